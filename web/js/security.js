// Administrators: the security-event log (failed and throttled sign-ins, refused refresh
// tokens and cross-site requests), newest first.

import { currentUser, goToLogin, whenReady, may } from './api.js';
import { el, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage } from './layout.js';
import { ListView } from './list.js';

const KINDS = ['login.failed', 'login.throttled', 'refresh.refused', 'csrf.refused', 'logout.refused'];
let events = [];

function renderKinds() {
  const select = document.getElementById('filter-kind');
  const chosen = select.value;
  const all = el('option', t('security.all'), { value: '' });
  select.replaceChildren(all, ...KINDS.map((k) => {
    const o = el('option', t(`security.kind.${k}`), { value: k });
    o.selected = k === chosen;
    return o;
  }));
}

/** Why it happened, in words: the reason of a failed sign-in, or the wait of a block. */
function reason(e) {
  if (e.detail?.reason) return t(`security.reason.${e.detail.reason}`);
  if (e.detail?.retry_after) return t('security.blocked_for', { seconds: e.detail.retry_after });
  return '';
}

function renderRows() {
  document.querySelector('#events tbody').replaceChildren(
    ...events.map((e) => {
      const tr = el('tr');
      tr.append(
        el('td', e.occurred_at.slice(0, 19).replace('T', ' ')),
        el('td', t(`security.kind.${e.kind}`)),
        el('td', e.account || '–'),
        el('td', e.client_ip || '–'),
        el('td', reason(e)),
        el('td', String(e.suppressed)),
      );
      return tr;
    }),
  );
}

whenReady(() => {
  const me = currentUser();
  if (!me) {
    goToLogin();
    return;
  }
  setUpPage(() => {
    renderKinds();
    renderRows();
  });
  renderKinds();
  if (!may('read_security_log')) {
    showMessage('page-error', t('forbidden'));
    return;
  }
  const list = new ListView({
    path: '/security-events',
    form: document.getElementById('filter-form'),
    filename: 'sakerhetslogg',
    render: (data) => {
      events = data.items;
      renderRows();
    },
  });
  list.load().catch((err) => showMessage('page-error', err.message));
});
