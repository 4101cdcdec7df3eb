// What every list page shares: the search-and-order form, the exports of the same
// selection, and paging through lists longer than one page.

import { downloadExport, request } from './api.js';
import { el, showMessage } from './dom.js';
import { t } from './i18n.js';

const PER_PAGE = 50;

/**
 * A list on a page: `path` (under /api/v1), the filter form, the export file name and
 * `render(data)` for a page of it. `fixed` holds query parameters the page always sends;
 * `whole` loads every match at once (the JSON export) for views such as a tree.
 */
export class ListView {
  constructor({ path, form, filename, render, fixed = {}, whole = false }) {
    Object.assign(this, { path, form, filename, render, fixed, whole, page: 1 });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.page = 1;
      this.load().catch((err) => showMessage('page-error', err.message));
    });
    // The exports take the same choices as the list: XLSX and CSV for spreadsheets, JSON
    // for scripts.
    document.getElementById('exports')?.replaceChildren(
      ...['xlsx', 'csv', 'json'].map((format) => {
        const button = el('button', t(`list.export_${format}`), { type: 'button', class: 'link-like', 'data-i18n': `list.export_${format}` });
        button.addEventListener('click', () => this.download(format));
        return button;
      }),
    );
  }

  /** The query for the form's current choices. */
  query(extra = {}) {
    const params = new URLSearchParams(this.fixed);
    for (const [key, value] of new FormData(this.form)) {
      const v = String(value).trim();
      if (v) params.set(key, v);
    }
    for (const [key, value] of Object.entries(extra)) params.set(key, value);
    return params.toString();
  }

  /** Loads the current page and renders it with its pager. */
  async load() {
    const extra = this.whole ? { format: 'json' } : { page: this.page, per_page: PER_PAGE };
    const { data } = await request('GET', `${this.path}?${this.query(extra)}`);
    if (data.items.length === 0 && this.page > 1 && data.total > 0) {
      this.page = data.total_pages;
      return this.load();
    }
    this.data = data;
    this.render(data);
    this.renderPager();
    return data;
  }

  renderPager() {
    const pager = document.getElementById('pager');
    if (!pager || this.whole) return;
    const { page, total, total_pages: pages } = this.data;
    const from = total === 0 ? 0 : (page - 1) * PER_PAGE + 1;
    const to = Math.min(page * PER_PAGE, total);
    const text = total === 0 ? t('list.empty') : t('list.showing', { from, to, total });
    const status = el('p', text, { class: 'count', role: 'status' });
    const nav = el('div', undefined, { class: 'inline' });
    if (pages > 1) {
      const prev = el('button', t('list.previous'), { type: 'button', class: 'secondary' });
      prev.disabled = page <= 1;
      prev.addEventListener('click', () => this.go(page - 1));
      const next = el('button', t('list.next'), { type: 'button', class: 'secondary' });
      next.disabled = page >= pages;
      next.addEventListener('click', () => this.go(page + 1));
      nav.append(prev, el('span', t('list.page_of', { page, pages })), next);
    }
    pager.replaceChildren(status, nav);
  }

  go(page) {
    this.page = page;
    this.load().catch((err) => showMessage('page-error', err.message));
  }

  /**
   * Archives a record of this list, or restores an archived one, and reloads; `messages`
   * names the texts that confirm it.
   */
  async archive(record, messages = { archived: 'list.archived_notice', restored: 'list.restored' }) {
    // Archiving takes a public record out of the lists: it asks first (restoring does not).
    if (!record.archived_at && !confirm(t('list.archive_confirm'))) return;
    try {
      const restore = record.archived_at ? '?restore=true' : '';
      await request('POST', `${this.path}/${record.id}/archive${restore}`, { headers: { 'If-Match': `"${record.version}"` } });
      await this.load();
      showMessage('notice', t(record.archived_at ? messages.restored : messages.archived));
    } catch (err) {
      await this.load();
      showMessage('page-error', err.message);
    }
  }

  async download(format) {
    try {
      await downloadExport(`${this.path}?${this.query({ format })}`, `${this.filename}.${format}`);
    } catch (err) {
      showMessage('page-error', `${t('list.export_failed')} ${err.message}`);
    }
  }
}
