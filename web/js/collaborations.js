// Collaborations and network memberships: owning organisations record them; the council's
// decision makes them active.

import { ApiError, currentUser, goToLogin, request } from './api.js';
import { el, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage, showFormErrors } from './layout.js';

const NEXT = { proposed: ['active', 'ended'], active: ['ended'], ended: [] };
const PARTNER_KINDS = ['municipality', 'region', 'university', 'company', 'association', 'network', 'authority', 'other'];
let collabs = [];
let organisations = [];
let decisions = [];
let selected = null;

function isCoordinator() {
  return ['admin', 'coordinator'].includes(currentUser()?.role);
}

function mayOwn(orgId) {
  const me = currentUser();
  return isCoordinator() || (me?.role === 'reporter' && me.organisation_id === orgId);
}

function renderForm() {
  const kind = document.getElementById('k-kind');
  const k = kind.value || 'collaboration';
  kind.replaceChildren(...['collaboration', 'network_membership'].map((x) => {
    const o = el('option', t(`collab.${x}`), { value: x });
    o.selected = x === k;
    return o;
  }));
  const owner = document.getElementById('k-owner');
  const cur = owner.value;
  owner.replaceChildren(...organisations.filter((o) => o.active && mayOwn(o.id)).map((o) => {
    const opt = el('option', o.name, { value: String(o.id) });
    opt.selected = String(o.id) === cur;
    return opt;
  }));
  const pk = document.getElementById('k-pkind');
  const p = pk.value || 'municipality';
  pk.replaceChildren(...PARTNER_KINDS.map((x) => {
    const o = el('option', t(`partner.${x}`), { value: x });
    o.selected = x === p;
    return o;
  }));
  document.getElementById('new-section').hidden = owner.options.length === 0;
}

function renderRows() {
  document.querySelector('#collabs tbody').replaceChildren(
    ...collabs.map((c) => {
      const tr = el('tr');
      const actions = el('td');
      if (isCoordinator() && NEXT[c.status].length) {
        const b = el('button', t('twins.change'), { type: 'button', class: 'secondary', 'aria-label': `${t('twins.change')}: ${c.name}` });
        b.addEventListener('click', () => openStatus(c));
        actions.append(b);
      }
      tr.append(
        el('td', c.name),
        el('td', t(`collab.${c.kind}`)),
        el('td', organisations.find((o) => o.id === c.owner_organisation_id)?.name || ''),
        el('td', c.partners.map((p) => `${p.name} (${p.country})`).join(', ') || t('none')),
        el('td', t(`collabstatus.${c.status}`)),
        actions,
      );
      return tr;
    }),
  );
}

function openStatus(c) {
  selected = c;
  document.getElementById('status-section').hidden = false;
  document.getElementById('status-name').textContent = `${c.name} – ${t(`collabstatus.${c.status}`)}`;
  document.getElementById('s-status').replaceChildren(...NEXT[c.status].map((x) => el('option', t(`collabstatus.${x}`), { value: x })));
  document.getElementById('s-decision').replaceChildren(
    el('option', t('twins.no_decision'), { value: '' }),
    ...decisions.map((d) => el('option', `${d.decided_on} § ${d.paragraph} ${d.diarienummer}: ${d.subject}`, { value: String(d.id) })),
  );
  document.getElementById('s-status').focus();
}

async function load() {
  const [c, o, d] = await Promise.all([
    request('GET', '/collaborations?per_page=100'),
    request('GET', '/organisations?per_page=100'),
    request('GET', '/decisions?per_page=100&body=council'),
  ]);
  collabs = c.data.items;
  organisations = o.data.items;
  decisions = d.data.items;
  renderForm();
  renderRows();
}

document.addEventListener('DOMContentLoaded', () => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage(() => {
    renderForm();
    renderRows();
  });
  const form = document.getElementById('collab-form');
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = form.elements;
    const partner = f['partners[0].name'].value.trim();
    try {
      await request('POST', '/collaborations', {
        body: {
          kind: f.kind.value,
          name: f.name.value,
          owner_organisation_id: Number(f.owner_organisation_id.value),
          purpose: f.purpose.value,
          partners: partner ? [{ name: partner, country: f['partners[0].country'].value, kind: f['partners[0].kind'].value }] : [],
        },
      });
      showFormErrors(form, null, summary);
      form.reset();
      await load();
      showMessage('notice', t('collabs.created'));
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
      await request('POST', `/collaborations/${selected.id}/status`, {
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
