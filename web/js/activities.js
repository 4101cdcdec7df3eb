// The activity register: each organisation's people record what they did — with
// participants, working time and costs — and who represented the municipality; the
// coordinators keep the elected officials and the council's appointment for international
// matters.

import { currentUser, goToLogin, may, request, whenReady } from './api.js';
import { actionButton, el, options, showMessage } from './dom.js';
import { filesPart } from './files.js';
import { t } from './i18n.js';
import { setUpPage, submitForm } from './layout.js';
import { importForm } from './import.js';
import { ListView } from './list.js';
import { hundredths, kronor } from './numbers.js';

const KINDS = ['conference', 'study_visit', 'network_meeting', 'delegation_received', 'delegation_made', 'fair', 'representation', 'exchange', 'project_meeting', 'staff_mobility'];
const ORGANISERS = ['own', 'region', 'national', 'international'];
const WORK = ['horizon_scanning', 'positioning', 'development'];
const BODIES = ['council', 'executive_board', 'committee', 'company_board'];
let activities = [];
let organisations = [];
let projects = [];
let officials = [];
let councilDecisions = [];
let editing = null;
let appointing = null;
let list = null;
let showFiles = null;

const orgName = (id) => organisations.find((o) => o.id === id)?.name || '';

function renderFilters() {
  const keep = (id) => document.getElementById(id).value;
  options(document.getElementById('filter-org'), [['', t('list.any_status')], ...organisations.map((o) => [String(o.id), o.name])], keep('filter-org'));
  options(document.getElementById('filter-work'), [['', t('list.any_status')], ...WORK.map((w) => [w, t(`kind.${w}`)])], keep('filter-work'));
}

function renderRows() {
  document.querySelector('#activities tbody').replaceChildren(...activities.map((a) => {
    const tr = el('tr', undefined, a.archived_at ? { class: 'archived-row' } : {});
    const box = el('div', undefined, { class: 'inline' });
    if (a.can.edit) box.append(actionButton(t('decisions.edit'), a.title, () => startEdit(a)));
    if (a.can.archive) box.append(actionButton(t(a.archived_at ? 'decisions.restore' : 'decisions.archive'), a.title, () => list.archive(a)));
    const when = a.starts_on === a.ends_on ? a.starts_on : `${a.starts_on} – ${a.ends_on}`;
    const actions = el('td');
    actions.append(box);
    tr.append(
      el('td', a.title), el('td', when), el('td', orgName(a.organisation_id)), el('td', t(`activity.${a.kind}`)),
      el('td', a.countries.join(', ')), el('td', String(a.total), { class: 'amount' }),
      el('td', kronor(a.hours), { class: 'amount' }), el('td', kronor(a.own_cost + a.external_cost), { class: 'amount' }),
      actions,
    );
    return tr;
  }));
}

function renderForm() {
  const f = document.getElementById('activity-form').elements;
  options(f.kind, KINDS.map((k) => [k, t(`activity.${k}`)]), f.kind.value || 'study_visit');
  options(f.organiser, ORGANISERS.map((o) => [o, t(`organiser.${o}`)]), f.organiser.value || 'own');
  const owners = organisations.filter((o) => o.can.add_work || o.id === editing?.organisation_id);
  options(f.organisation_id, owners.map((o) => [String(o.id), o.name]), f.organisation_id.value);
  options(f.project_id, [['', t('users.none')], ...projects.map((p) => [String(p.id), p.title])], f.project_id.value);
  const chosen = new Set([...document.querySelectorAll('#a-reps input:checked')].map((i) => i.value));
  document.getElementById('a-reps').replaceChildren(
    el('legend', t('activities.representatives')),
    ...officials.filter((o) => !o.archived_at).map((o) => {
      const box = el('div', undefined, { class: 'check' });
      const input = el('input', undefined, { type: 'checkbox', id: `a-rep-${o.id}`, name: 'representatives', value: String(o.id) });
      input.checked = chosen.has(String(o.id));
      box.append(input, el('label', `${o.name}, ${o.office}`, { for: input.id }));
      return box;
    }),
  );
  document.getElementById('new-section').hidden = owners.length === 0;
  document.getElementById('import-section').hidden = owners.length === 0;
}

function startEdit(a) {
  editing = a;
  renderForm();
  const f = document.getElementById('activity-form').elements;
  for (const key of ['title', 'kind', 'starts_on', 'ends_on', 'organiser', 'other_resources', 'outcome']) f[key].value = a[key] ?? '';
  f.organisation_id.value = String(a.organisation_id);
  f.project_id.value = a.project_id ? String(a.project_id) : '';
  f.countries.value = a.countries.join(', ');
  for (const key of ['women', 'men', 'total']) f[key].value = String(a[key]);
  for (const key of ['hours', 'own_cost', 'external_cost']) f[key].value = kronor(a[key]).replace(/\s/g, '');
  for (const input of document.querySelectorAll('#a-reps input')) input.checked = a.representatives.includes(Number(input.value));
  document.getElementById('new-heading').textContent = t('activities.editing');
  document.getElementById('a-cancel').hidden = false;
  // The activity's files, while it is being edited (whoever edits it may attach).
  document.getElementById('act-files-box').hidden = false;
  showFiles(a.id, a.can.edit).catch((err) => showMessage('act-file-error', err.message));
  f.title.focus();
}

function stopEdit() {
  editing = null;
  document.getElementById('activity-form').reset();
  for (const input of document.querySelectorAll('#a-reps input')) input.checked = false;
  document.getElementById('new-heading').textContent = t('activities.new');
  document.getElementById('a-cancel').hidden = true;
  document.getElementById('act-files-box').hidden = true;
  renderForm();
}

/** A whole number as typed, or the text itself so that the server names the field. */
function count(text) {
  const s = String(text).trim();
  return /^\d+$/.test(s) ? Number(s) : s;
}

function activityBody() {
  const f = document.getElementById('activity-form').elements;
  const text = (name) => f[name].value.trim() || null;
  return {
    title: f.title.value,
    kind: f.kind.value,
    organisation_id: Number(f.organisation_id.value),
    project_id: f.project_id.value ? Number(f.project_id.value) : null,
    starts_on: text('starts_on'),
    ends_on: text('ends_on'),
    countries: f.countries.value.split(',').map((c) => c.trim()).filter(Boolean),
    organiser: f.organiser.value,
    women: count(f.women.value),
    men: count(f.men.value),
    total: count(f.total.value),
    hours: hundredths(f.hours.value || '0'),
    own_cost: hundredths(f.own_cost.value || '0'),
    external_cost: hundredths(f.external_cost.value || '0'),
    other_resources: text('other_resources'),
    outcome: text('outcome'),
    representatives: [...document.querySelectorAll('#a-reps input:checked')].map((i) => Number(i.value)),
  };
}

function renderOfficials() {
  document.querySelector('#officials tbody').replaceChildren(...officials.map((o) => {
    const tr = el('tr', undefined, o.archived_at ? { class: 'archived-row' } : {});
    const actions = el('td');
    const box = el('div', undefined, { class: 'inline' });
    if (o.can.edit && !o.international) box.append(actionButton(t('officials.appoint'), o.name, () => openAppoint(o)));
    if (box.childElementCount) actions.append(box);
    tr.append(el('td', o.name), el('td', o.office), el('td', t(`body.${o.body}`)), el('td', o.international ? t('users.yes') : t('none')), actions);
    return tr;
  }));
  const register = may('edit_register');
  document.getElementById('official-form').hidden = !register;
  options(document.getElementById('o-body'), BODIES.map((b) => [b, t(`body.${b}`)]), document.getElementById('o-body').value || 'council');
}

function openAppoint(o) {
  appointing = o;
  const form = document.getElementById('appoint-form');
  form.hidden = false;
  options(document.getElementById('ap-decision'), councilDecisions.map((d) => [String(d.id), `${d.decided_on} § ${d.paragraph} ${d.diarienummer}: ${d.subject}`]));
  document.getElementById('ap-decision').focus();
}

async function loadOfficials() {
  officials = (await request('GET', '/officials')).data;
  renderOfficials();
}

async function load() {
  const [o, p, d] = await Promise.all([
    request('GET', '/organisations?format=json'),
    request('GET', '/projects?format=json'),
    request('GET', '/decisions?per_page=100&body=council'),
  ]);
  organisations = o.data.items;
  projects = p.data.items;
  councilDecisions = d.data.items;
  await loadOfficials();
  renderFilters();
  renderForm();
  await list.load();
}

whenReady(() => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  showFiles = filesPart('act-', 'activities', async (message) => {
    if (editing) await showFiles(editing.id, editing.can.edit);
    showMessage('notice', message);
  });
  setUpPage(() => {
    renderFilters();
    renderForm();
    renderRows();
    renderOfficials();
  });
  list = new ListView({
    path: '/activities',
    form: document.getElementById('filter-form'),
    filename: 'aktiviteter',
    render: (data) => {
      activities = data.items;
      renderRows();
    },
  });
  document.getElementById('a-cancel').addEventListener('click', stopEdit);
  const form = document.getElementById('activity-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = activityBody();
    const was = editing;
    submitForm(form, document.getElementById('form-error'), () => (was
      ? request('PATCH', `/activities/${was.id}`, { body, headers: { 'If-Match': `"${was.version}"` } })
      : request('POST', '/activities', { body })), async () => {
      stopEdit();
      await list.load();
      showMessage('notice', t(was ? 'users.saved' : 'activities.created'));
    });
  });
  const oform = document.getElementById('official-form');
  oform.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = oform.elements;
    const body = { name: f.name.value, office: f.office.value, body: f.body.value, term_from: f.term_from.value || null, term_to: f.term_to.value || null };
    submitForm(oform, document.getElementById('official-error'), () => request('POST', '/officials', { body }), async () => {
      oform.reset();
      await loadOfficials();
      renderForm();
      showMessage('notice', t('officials.created'));
    });
  });
  const aform = document.getElementById('appoint-form');
  aform.addEventListener('submit', (event) => {
    event.preventDefault();
    submitForm(aform, document.getElementById('official-error'), () => request('POST', `/officials/${appointing.id}/international`, {
      body: { decision_id: Number(aform.elements.decision_id.value) },
      headers: { 'If-Match': `"${appointing.version}"` },
    }), async () => {
      aform.hidden = true;
      await loadOfficials();
      showMessage('notice', t('officials.appointed'));
    });
  });
  importForm('activities', () => list.load());
  load().catch((err) => showMessage('page-error', err.message));
});
