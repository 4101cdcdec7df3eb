// Twin towns: propose one; correct it; activate and end it with the council's decision
// from the register; let it rest; archive it (never delete) and restore it.

import { ApiError, currentUser, goToLogin, request, whenReady, may } from './api.js';
import { actionButton, el, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage, showFormErrors } from './layout.js';
import { ListView } from './list.js';

let towns = [];
let decisions = [];
let selected = null;
let editing = null;
let list = null;

function renderRows() {
  document.querySelector('#twins tbody').replaceChildren(
    ...towns.map((tw) => {
      const tr = el('tr', undefined, tw.archived_at ? { class: 'archived-row' } : {});
      const actions = el('td');
      const box = el('div', undefined, { class: 'inline' });
      if (tw.can.status.length) box.append(actionButton(t('twins.change'), tw.town, () => openStatus(tw)));
      if (tw.can.edit) box.append(actionButton(t('decisions.edit'), tw.town, () => startEdit(tw)));
      if (tw.can.archive) box.append(actionButton(t(tw.archived_at ? 'decisions.restore' : 'decisions.archive'), tw.town, () => list.archive(tw)));
      if (box.childElementCount) actions.append(box);
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

/** A status to move to, saying when the move needs the council's decision. */
function statusLabel(key, move) {
  return move.needs_decision ? `${t(key)} (${t('move.needs_decision')})` : t(key);
}

function openStatus(tw) {
  selected = tw;
  document.getElementById('status-section').hidden = false;
  document.getElementById('status-town').textContent = `${tw.town} (${tw.country}) – ${t(`twin.${tw.status}`)}`;
  const s = document.getElementById('s-status');
  s.replaceChildren(...tw.can.status.map((m) => el('option', statusLabel(`twin.${m.to}`, m), { value: m.to })));
  const d = document.getElementById('s-decision');
  d.replaceChildren(
    el('option', t('twins.no_decision'), { value: '' }),
    ...decisions.map((x) => el('option', `${x.decided_on} § ${x.paragraph} ${x.diarienummer}: ${x.subject}`, { value: String(x.id) })),
  );
  s.focus();
}

function startEdit(tw) {
  editing = tw;
  const f = document.getElementById('twin-form').elements;
  f.town.value = tw.town;
  f.country.value = tw.country;
  f.region.value = tw.region || '';
  document.getElementById('new-heading').textContent = t('twins.editing');
  document.getElementById('t-submit').textContent = t('twins.save');
  document.getElementById('t-cancel').hidden = false;
  f.town.focus();
}

function stopEdit() {
  editing = null;
  document.getElementById('twin-form').reset();
  document.getElementById('new-heading').textContent = t('twins.new');
  document.getElementById('t-submit').textContent = t('twins.propose');
  document.getElementById('t-cancel').hidden = true;
}

async function load() {
  const [, dec] = await Promise.all([list.load(), request('GET', '/decisions?per_page=100&body=council')]);
  decisions = dec.data.items;
}

whenReady(() => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage(renderRows);
  list = new ListView({
    path: '/twin-towns',
    form: document.getElementById('filter-form'),
    filename: 'vanorter',
    render: (data) => {
      towns = data.items;
      renderRows();
    },
  });
  document.getElementById('new-section').hidden = !may('edit_register');
  document.getElementById('t-cancel').addEventListener('click', stopEdit);
  const form = document.getElementById('twin-form');
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = form.elements;
    const body = { town: f.town.value, country: f.country.value, region: f.region.value.trim() || null };
    try {
      if (editing) {
        await request('PATCH', `/twin-towns/${editing.id}`, {
          body: { ...body, since: editing.since },
          headers: { 'If-Match': `"${editing.version}"` },
        });
      } else {
        await request('POST', '/twin-towns', { body });
      }
      showFormErrors(form, null, summary);
      const message = t(editing ? 'users.saved' : 'twins.proposed_notice');
      stopEdit();
      await list.load();
      showMessage('notice', message);
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
      await list.load();
      showMessage('notice', t('twins.status_saved'));
    } catch (err) {
      showFormErrors(sform, err instanceof ApiError ? err : new Error(t('error.network')), ssummary);
    }
  });
  load().catch((err) => showMessage('page-error', err.message));
});
