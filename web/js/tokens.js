// Administrators: API tokens for machines. A new token is shown once, then only its prefix.

import { ApiError, currentUser, goToLogin, request, whenReady, may } from './api.js';
import { t } from './i18n.js';
import { el, showMessage } from './dom.js';
import { setUpPage, showFormErrors } from './layout.js';
import { ListView } from './list.js';

const SCOPES = ['read', 'export', 'kpi:read', 'goals:write', 'import'];
let tokens = [];


function when(iso) {
  return iso ? iso.slice(0, 16).replace('T', ' ') : t('tokens.never');
}

function renderScopes() {
  const box = document.getElementById('scopes');
  const checked = new Set([...box.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.value));
  for (const label of box.querySelectorAll('label')) label.remove();
  for (const s of SCOPES) {
    const id = `scope-${s.replace(':', '-')}`;
    const input = el('input', undefined, { type: 'checkbox', id, value: s });
    input.checked = checked.has(s) || (checked.size === 0 && s === 'read');
    const label = el('label', undefined, { for: id });
    label.append(input, ` ${t(`scope.${s}`)} (${s})`);
    box.append(label);
  }
}

function renderRows() {
  document.querySelector('#tokens tbody').replaceChildren(
    ...tokens.map((tok) => {
      const tr = el('tr');
      const actions = el('td');
      if (tok.state !== 'revoked') {
        const b = el('button', t('tokens.revoke'), { type: 'button', class: 'secondary', 'aria-label': `${t('tokens.revoke')}: ${tok.name}` });
        b.addEventListener('click', async () => {
          if (!confirm(t('tokens.confirm', { name: tok.name }))) return;
          await request('POST', `/api-tokens/${tok.id}/revoke`);
          await load();
        });
        actions.append(b);
      }
      tr.append(
        el('td', tok.name),
        el('td', `utb_${tok.prefix}_…`),
        el('td', tok.scopes.map((s) => t(`scope.${s}`)).join(', ')),
        el('td', tok.created_by_active ? tok.created_by_name : t('tokens.creator_inactive', { name: tok.created_by_name })),
        el('td', when(tok.last_used_at)),
        el('td', t(`tokens.state.${tok.state}`)),
        actions,
      );
      return tr;
    }),
  );
}

let list = null;

async function load() {
  await list.load();
}

whenReady(() => {
  const me = currentUser();
  if (!me) {
    goToLogin();
    return;
  }
  setUpPage(() => {
    renderScopes();
    renderRows();
  });
  renderScopes();
  if (!may('manage_tokens')) {
    showMessage('page-error', t('forbidden'));
    return;
  }
  list = new ListView({
    path: '/api-tokens',
    form: document.getElementById('filter-form'),
    filename: 'api-nycklar',
    render: (data) => {
      tokens = data.items;
      renderRows();
    },
  });
  const form = document.getElementById('token-form');
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const scopes = [...form.querySelectorAll('#scopes input[type=checkbox]:checked')].map((c) => c.value);
    const expires = data.get('expires_at');
    try {
      const { data: created } = await request('POST', '/api-tokens', {
        body: { name: data.get('name'), scopes, expires_at: expires ? `${expires}T23:59:59Z` : null },
      });
      showFormErrors(form, null, summary);
      form.reset();
      renderScopes();
      document.getElementById('created-token').textContent = created.token;
      const box = document.getElementById('created');
      box.hidden = false;
      box.focus();
      await load();
    } catch (err) {
      showFormErrors(form, err instanceof ApiError ? err : new Error(t('error.network')), summary);
    }
  });
  document.getElementById('copy-token').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(document.getElementById('created-token').textContent);
      document.getElementById('copy-status').textContent = t('tokens.copied');
    } catch {
      document.getElementById('copy-status').textContent = '';
    }
  });
  const feed = document.getElementById('feed-form');
  let settings = null;
  const showFeed = async () => {
    const { data, etag } = await request('GET', '/settings');
    settings = { etag };
    feed.elements.kpi_feed_published.checked = data.kpi_feed_published;
  };
  feed.addEventListener('submit', async (event) => {
    event.preventDefault();
    const summary = document.getElementById('feed-error');
    try {
      const published = feed.elements.kpi_feed_published.checked;
      await request('PUT', '/settings', { body: { kpi_feed_published: published }, headers: { 'If-Match': settings?.etag ?? '' } });
      showFormErrors(feed, null, summary);
      await showFeed();
      document.getElementById('feed-saved').textContent = t(published ? 'feed.opened' : 'feed.closed');
    } catch (err) {
      showFormErrors(feed, err instanceof ApiError ? err : new Error(t('error.network')), summary);
    }
  });
  showFeed().catch((err) => showMessage('page-error', err.message));
  load().catch((err) => showMessage('page-error', err.message));
});
