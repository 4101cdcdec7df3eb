// Collaborations and network memberships: owning organisations record and correct them,
// with their partners and the contact person who represents the municipality; the
// council's decision makes them active; they are archived, never deleted.

import { ApiError, currentUser, goToLogin, request, whenReady, may } from './api.js';
import { actionButton, el, options, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage, showFormErrors } from './layout.js';
import { ListView } from './list.js';

const PARTNER_KINDS = ['municipality', 'region', 'university', 'company', 'association', 'network', 'authority', 'other'];
let collabs = [];
let organisations = [];
let contacts = [];
let decisions = [];
let selected = null;
let editing = null;
let list = null;


function contactName(id) {
  return contacts.find((c) => c.id === id)?.name || '';
}

function renderForm() {
  const kind = document.getElementById('k-kind');
  options(kind, ['collaboration', 'network_membership'].map((x) => [x, t(`collab.${x}`)]), kind.value || 'collaboration');
  const owner = document.getElementById('k-owner');
  const owners = organisations.filter((o) => o.can.add_work || o.id === editing?.owner_organisation_id);
  options(owner, owners.map((o) => [String(o.id), o.name]), owner.value);
  const rep = document.getElementById('k-rep');
  const people = contacts.filter((c) => !c.erased_at);
  options(rep, [['', t('users.none')], ...people.map((c) => [String(c.id), `${c.name} (${organisations.find((o) => o.id === c.organisation_id)?.name || ''})`])], rep.value);
  for (const select of document.querySelectorAll('#partners select')) {
    options(select, PARTNER_KINDS.map((x) => [x, t(`partner.${x}`)]), select.value || 'municipality');
  }
  document.getElementById('new-section').hidden = owner.options.length === 0;
}

/** One partner's fields; `i` numbers them as the API names them (`partners[0].name`). */
function partnerFields(i, p = {}) {
  const box = el('fieldset', undefined, { class: 'area' });
  box.append(el('legend', `${t('collabs.partner')} ${i + 1}`));
  const field = (key, labelKey, input) => {
    const div = el('div', undefined, { class: 'field' });
    input.id = `k-p${i}-${key}`;
    input.name = `partners[${i}].${key}`;
    div.append(el('label', t(labelKey), { for: input.id }), input);
    return div;
  };
  const name = el('input', undefined, { type: 'text' });
  name.value = p.name || '';
  const country = el('input', undefined, { type: 'text', maxlength: '2' });
  country.value = p.country || '';
  const kind = el('select');
  options(kind, PARTNER_KINDS.map((x) => [x, t(`partner.${x}`)]), p.kind || 'municipality');
  const remove = el('button', t('collabs.remove_partner'), { type: 'button', class: 'secondary', 'aria-label': `${t('collabs.remove_partner')} ${i + 1}` });
  remove.addEventListener('click', () => setPartners(readPartners().filter((_, j) => j !== i)));
  box.append(field('name', 'collabs.partner_name', name), field('country', 'twins.country_code', country), field('kind', 'collabs.partner_kind', kind), remove);
  return box;
}

function readPartners() {
  return [...document.querySelectorAll('#partners fieldset')].map((_, i) => {
    const f = document.getElementById('collab-form').elements;
    return { name: f[`partners[${i}].name`].value.trim(), country: f[`partners[${i}].country`].value.trim(), kind: f[`partners[${i}].kind`].value };
  });
}

function setPartners(partners) {
  document.getElementById('partners').replaceChildren(...partners.map((p, i) => partnerFields(i, p)));
}

function renderRows() {
  document.querySelector('#collabs tbody').replaceChildren(
    ...collabs.map((c) => {
      const tr = el('tr', undefined, c.archived_at ? { class: 'archived-row' } : {});
      const actions = el('td');
      const box = el('div', undefined, { class: 'inline' });
      if (c.can.status.length) box.append(actionButton(t('twins.change'), c.name, () => openStatus(c)));
      if (c.can.edit) box.append(actionButton(t('decisions.edit'), c.name, () => startEdit(c)));
      if (c.can.archive) box.append(actionButton(t(c.archived_at ? 'decisions.restore' : 'decisions.archive'), c.name, () => list.archive(c)));
      if (box.childElementCount) actions.append(box);
      tr.append(
        el('td', c.name),
        el('td', t(`collab.${c.kind}`)),
        el('td', organisations.find((o) => o.id === c.owner_organisation_id)?.name || ''),
        el('td', c.partners.map((p) => `${p.name} (${p.country})`).join(', ') || t('none')),
        el('td', contactName(c.representative_contact_id) || t('none')),
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
  document.getElementById('s-status').replaceChildren(...c.can.status.map((m) => {
    const label = t(`collabstatus.${m.to}`);
    return el('option', m.needs_decision ? `${label} (${t('move.needs_decision')})` : label, { value: m.to });
  }));
  document.getElementById('s-decision').replaceChildren(
    el('option', t('twins.no_decision'), { value: '' }),
    ...decisions.map((d) => el('option', `${d.decided_on} § ${d.paragraph} ${d.diarienummer}: ${d.subject}`, { value: String(d.id) })),
  );
  document.getElementById('s-status').focus();
}

function startEdit(c) {
  editing = c;
  renderForm();
  const f = document.getElementById('collab-form').elements;
  f.kind.value = c.kind;
  f.name.value = c.name;
  f.owner_organisation_id.value = String(c.owner_organisation_id);
  f.purpose.value = c.purpose;
  f.period_from.value = c.period_from || '';
  f.period_to.value = c.period_to || '';
  f.representative_contact_id.value = c.representative_contact_id ? String(c.representative_contact_id) : '';
  setPartners(c.partners);
  document.getElementById('new-heading').textContent = t('collabs.editing');
  document.getElementById('k-cancel').hidden = false;
  f.name.focus();
}

function stopEdit() {
  editing = null;
  document.getElementById('collab-form').reset();
  setPartners([{}]);
  document.getElementById('new-heading').textContent = t('collabs.new');
  document.getElementById('k-cancel').hidden = true;
  renderForm();
}

async function load() {
  const [o, p, d] = await Promise.all([
    request('GET', '/organisations?format=json'),
    request('GET', '/contacts?format=json'),
    request('GET', '/decisions?per_page=100&body=council'),
  ]);
  organisations = o.data.items;
  contacts = p.data.items;
  decisions = d.data.items;
  renderForm();
  await list.load();
}

whenReady(() => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage(() => {
    setPartners(readPartners());
    renderForm();
    renderRows();
  });
  list = new ListView({
    path: '/collaborations',
    form: document.getElementById('filter-form'),
    filename: 'samarbeten',
    render: (data) => {
      collabs = data.items;
      renderRows();
    },
  });
  setPartners([{}]);
  document.getElementById('k-add-partner').addEventListener('click', () => {
    setPartners([...readPartners(), {}]);
    document.querySelector('#partners fieldset:last-child input')?.focus();
  });
  document.getElementById('k-cancel').addEventListener('click', stopEdit);
  const form = document.getElementById('collab-form');
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = form.elements;
    const body = {
      kind: f.kind.value,
      name: f.name.value,
      owner_organisation_id: Number(f.owner_organisation_id.value),
      purpose: f.purpose.value,
      period_from: f.period_from.value || null,
      period_to: f.period_to.value || null,
      representative_contact_id: f.representative_contact_id.value ? Number(f.representative_contact_id.value) : null,
      // A partner row left empty is no partner.
      partners: readPartners().filter((p) => p.name || p.country),
    };
    try {
      if (editing) {
        await request('PATCH', `/collaborations/${editing.id}`, { body, headers: { 'If-Match': `"${editing.version}"` } });
      } else {
        await request('POST', '/collaborations', { body });
      }
      showFormErrors(form, null, summary);
      const message = t(editing ? 'users.saved' : 'collabs.created');
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
      await request('POST', `/collaborations/${selected.id}/status`, {
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
