// Twin towns: propose one; activate and end it with the council's decision from the
// register; let it rest; archive it (never delete).

import { ApiError, currentUser, goToLogin, request } from './api.js';
import { el, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage, showFormErrors } from './layout.js';

const NEXT = { proposed: ['active', 'ended'], active: ['dormant', 'ended'], dormant: ['active', 'ended'], ended: [] };
let towns = [];
let decisions = [];
let selected = null;

function canEdit() {
  return ['admin', 'coordinator'].includes(currentUser()?.role);
}

function renderRows() {
  document.querySelector('#twins tbody').replaceChildren(
    ...towns.map((tw) => {
      const tr = el('tr');
      const actions = el('td');
      if (canEdit() && NEXT[tw.status].length) {
        const b = el('button', t('twins.change'), { type: 'button', class: 'secondary', 'aria-label': `${t('twins.change')}: ${tw.town}` });
        b.addEventListener('click', () => openStatus(tw));
        actions.append(b);
      }
      tr.append(
        el('td', tw.town),
        el('td', tw.country),
        el('td', tw.region || t('none')),
        el('td', tw.since || t('none')),
        el('td', t(`twin.${tw.status}`)),
        actions,
      );
      return tr;
    }),
  );
}

function openStatus(tw) {
  selected = tw;
  document.getElementById('status-section').hidden = false;
  document.getElementById('status-town').textContent = `${tw.town} (${tw.country}) – ${t(`twin.${tw.status}`)}`;
  const s = document.getElementById('s-status');
  s.replaceChildren(...NEXT[tw.status].map((x) => el('option', t(`twin.${x}`), { value: x })));
  const d = document.getElementById('s-decision');
  d.replaceChildren(
    el('option', t('twins.no_decision'), { value: '' }),
    ...decisions.map((x) => el('option', `${x.decided_on} § ${x.paragraph} ${x.diarienummer}: ${x.subject}`, { value: String(x.id) })),
  );
  s.focus();
}

async function load() {
  const [tw, dec] = await Promise.all([
    request('GET', '/twin-towns?per_page=100&archived=false'),
    request('GET', '/decisions?per_page=100&body=council'),
  ]);
  towns = tw.data.items;
  decisions = dec.data.items;
  renderRows();
}

document.addEventListener('DOMContentLoaded', () => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage(renderRows);
  document.getElementById('new-section').hidden = !canEdit();
  const form = document.getElementById('twin-form');
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = form.elements;
    try {
      await request('POST', '/twin-towns', {
        body: { town: f.town.value, country: f.country.value, region: f.region.value.trim() || null },
      });
      showFormErrors(form, null, summary);
      form.reset();
      await load();
      showMessage('notice', t('twins.proposed_notice'));
    } catch (err) {
      showFormErrors(form, err instanceof ApiError ? err : new Error(t('error.network')), summary);
    }
  });
  const sform = document.getElementById('status-form');
  const ssummary = document.getElementById('status-error');
  sform.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = sform.elements;
    try {
      await request('POST', `/twin-towns/${selected.id}/status`, {
        body: { status: f.status.value, decision_id: f.decision_id.value ? Number(f.decision_id.value) : null },
        headers: { 'If-Match': `"${selected.version}"` },
      });
      showFormErrors(sform, null, ssummary);
      document.getElementById('status-section').hidden = true;
      await load();
      showMessage('notice', t('twins.status_saved'));
    } catch (err) {
      showFormErrors(sform, err instanceof ApiError ? err : new Error(t('error.network')), ssummary);
    }
  });
  load().catch((err) => showMessage('page-error', err.message));
});
