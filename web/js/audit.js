// Coordinators and administrators: the audit log — who changed what, when — searched,
// sorted and exported like every other list, newest first.

import { currentUser, goToLogin, whenReady, may } from './api.js';
import { el, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage } from './layout.js';
import { ListView } from './list.js';

const ENTITIES = ['programme', 'framework', 'scorecard', 'goal', 'organisation', 'decision', 'twin_town',
  'collaboration', 'contact', 'funding_programme', 'project', 'elected_official', 'activity', 'lead',
  'reporting_year', 'report', 'compilation', 'attachment', 'reminder', 'settings', 'user', 'session', 'api_token'];
let events = [];

function renderEntities() {
  const select = document.getElementById('filter-entity');
  const chosen = select.value;
  const named = ENTITIES.map((e) => [e, t(`audit.entity.${e}`)]).sort((a, b) => a[1].localeCompare(b[1], 'sv'));
  select.replaceChildren(el('option', t('audit.all'), { value: '' }), ...named.map(([e, name]) => {
    const o = el('option', name, { value: e });
    o.selected = e === chosen;
    return o;
  }));
}

/** What changed, in one line: each field with its value before and after, or the details. */
function changes(e) {
  if (e.redacted) return t('audit.redacted');
  if (!e.changes || typeof e.changes !== 'object') return '';
  return Object.entries(e.changes).map(([field, v]) => {
    if (v && typeof v === 'object' && 'after' in v) return `${field}: ${JSON.stringify(v.before)} → ${JSON.stringify(v.after)}`;
    return `${field}: ${JSON.stringify(v)}`;
  }).join('; ');
}

function renderRows() {
  document.querySelector('#events tbody').replaceChildren(
    ...events.map((e) => {
      const tr = el('tr');
      const record = [t(`audit.entity.${e.entity_type}`), e.entity_id].filter(Boolean).join(' ');
      const version = e.entity_version ? ` (${t('audit.version', { version: e.entity_version })})` : '';
      tr.append(
        el('td', e.occurred_at.slice(0, 19).replace('T', ' ')),
        el('td', e.actor_label),
        el('td', e.action),
        el('td', record + version),
        el('td', changes(e), { class: 'changes' }),
      );
      return tr;
    }),
  );
}

whenReady(() => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage(() => {
    renderEntities();
    renderRows();
  });
  renderEntities();
  document.getElementById('security-link').hidden = !may('read_security_log');
  if (!may('read_audit')) {
    showMessage('page-error', t('forbidden'));
    return;
  }
  const list = new ListView({
    path: '/audit-events',
    form: document.getElementById('filter-form'),
    filename: 'granskningslogg',
    render: (data) => {
      events = data.items;
      renderRows();
    },
  });
  list.load().catch((err) => showMessage('page-error', err.message));
});
