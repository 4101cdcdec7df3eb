// The horizon-scanning log: contact persons record leads — calls with their deadlines,
// trends, legislation, partner requests — and make a lead a project idea in one step; the
// deadlines of open calls are a calendar to subscribe to.

import { currentUser, goToLogin, request, whenReady } from './api.js';
import { actionButton, el, options, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage, submitForm } from './layout.js';
import { ListView } from './list.js';

const KINDS = ['call', 'trend', 'legislation', 'partner_request'];
const WORK = ['horizon_scanning', 'positioning', 'development'];
let leads = [];
let organisations = [];
let catalogue = [];
let areas = [];
let editing = null;
let converting = null;
let list = null;

const orgName = (id) => organisations.find((o) => o.id === id)?.name || '';

function checkboxes(container, legend, items, name, chosen) {
  container.replaceChildren(el('legend', legend), ...items.map(([value, label]) => {
    const box = el('div', undefined, { class: 'check' });
    const input = el('input', undefined, { type: 'checkbox', id: `${container.id}-${value}`, name, value });
    input.checked = chosen.has(value);
    box.append(input, el('label', label, { for: input.id }));
    return box;
  }));
}

const checked = (container) => [...container.querySelectorAll('input:checked')].map((i) => Number(i.value));

function renderFilters() {
  const keep = (id) => document.getElementById(id).value;
  options(document.getElementById('filter-org'), [['', t('list.any_status')], ...organisations.map((o) => [String(o.id), o.name])], keep('filter-org'));
  options(document.getElementById('filter-kind'), [['', t('list.any_status')], ...KINDS.map((k) => [k, t(`leadkind.${k}`)])], keep('filter-kind'));
}

function renderRows() {
  document.querySelector('#leads tbody').replaceChildren(...leads.map((l) => {
    const tr = el('tr', undefined, l.archived_at ? { class: 'archived-row' } : {});
    const box = el('div', undefined, { class: 'inline' });
    if (l.can.add_work) box.append(actionButton(t('leads.to_project'), l.title, () => openConvert(l)));
    if (l.project_id) box.append(el('a', t('leads.became'), { href: '/projects.html' }));
    if (l.can.edit) box.append(actionButton(t('decisions.edit'), l.title, () => startEdit(l)));
    if (l.can.archive) box.append(actionButton(t(l.archived_at ? 'decisions.restore' : 'decisions.archive'), l.title, () => list.archive(l)));
    const source = el('td');
    if (l.source_link) source.append(el('a', new URL(l.source_link).hostname, { href: l.source_link, rel: 'noopener noreferrer' }));
    const actions = el('td');
    actions.append(box);
    tr.append(el('td', l.title), el('td', t(`leadkind.${l.kind}`)), el('td', l.deadline || ''), el('td', orgName(l.organisation_id)), source, actions);
    return tr;
  }));
}

function renderForm() {
  const f = document.getElementById('lead-form').elements;
  options(f.kind, KINDS.map((k) => [k, t(`leadkind.${k}`)]), f.kind.value || 'call');
  options(f.funding_programme_id, [['', t('users.none')], ...catalogue.map((c) => [String(c.id), c.name])], f.funding_programme_id.value);
  const owners = organisations.filter((o) => o.can.add_work || o.id === editing?.organisation_id);
  options(f.organisation_id, owners.map((o) => [String(o.id), o.name]), f.organisation_id.value);
  const concerns = document.getElementById('l-concerns');
  const chosen = new Set(checked(concerns).map(String));
  checkboxes(concerns, t('leads.concerns'), organisations.map((o) => [String(o.id), o.name]), 'concerns', chosen);
  document.getElementById('new-section').hidden = owners.length === 0;
}

function startEdit(l) {
  editing = l;
  renderForm();
  const f = document.getElementById('lead-form').elements;
  for (const key of ['title', 'kind', 'description', 'source_link', 'deadline']) f[key].value = l[key] ?? '';
  f.funding_programme_id.value = l.funding_programme_id ? String(l.funding_programme_id) : '';
  f.organisation_id.value = String(l.organisation_id);
  for (const input of document.querySelectorAll('#l-concerns input')) input.checked = l.concerns.includes(Number(input.value));
  document.getElementById('new-heading').textContent = t('leads.editing');
  document.getElementById('l-cancel').hidden = false;
  f.title.focus();
}

function stopEdit() {
  editing = null;
  document.getElementById('lead-form').reset();
  for (const input of document.querySelectorAll('#l-concerns input')) input.checked = false;
  document.getElementById('new-heading').textContent = t('leads.new');
  document.getElementById('l-cancel').hidden = true;
  renderForm();
}

function openConvert(l) {
  converting = l;
  document.getElementById('convert-section').hidden = false;
  document.getElementById('convert-name').textContent = l.title;
  options(document.getElementById('c-kind'), WORK.map((w) => [w, t(`kind.${w}`)]), 'development');
  checkboxes(document.getElementById('c-areas'), t('projects.areas'), areas.map((a) => [String(a.id), `${a.number}. ${a.title}`]), 'priority_areas', new Set());
  document.getElementById('convert-heading').focus();
}

async function load() {
  const [o, f, p] = await Promise.all([
    request('GET', '/organisations?format=json'),
    request('GET', '/funding-programmes'),
    request('GET', '/programmes?status=adopted&per_page=1&sort=-published'),
  ]);
  organisations = o.data.items;
  catalogue = f.data;
  const inForce = p.data.items[0];
  areas = inForce ? (await request('GET', `/programmes/${inForce.id}`)).data.priority_areas : [];
  renderFilters();
  renderForm();
  await list.load();
}

whenReady(() => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage(() => {
    renderFilters();
    renderForm();
    renderRows();
  });
  list = new ListView({
    path: '/leads',
    form: document.getElementById('filter-form'),
    filename: 'omvarldsbevakning',
    render: (data) => {
      leads = data.items;
      renderRows();
    },
  });
  document.getElementById('l-cancel').addEventListener('click', stopEdit);
  const form = document.getElementById('lead-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = form.elements;
    const body = {
      title: f.title.value,
      kind: f.kind.value,
      description: f.description.value,
      source_link: f.source_link.value.trim() || null,
      deadline: f.deadline.value || null,
      funding_programme_id: f.funding_programme_id.value ? Number(f.funding_programme_id.value) : null,
      organisation_id: Number(f.organisation_id.value),
      concerns: checked(document.getElementById('l-concerns')).filter((id) => id !== Number(f.organisation_id.value)),
    };
    const was = editing;
    submitForm(form, document.getElementById('form-error'), () => (was
      ? request('PATCH', `/leads/${was.id}`, { body, headers: { 'If-Match': `"${was.version}"` } })
      : request('POST', '/leads', { body })), async () => {
      stopEdit();
      await list.load();
      showMessage('notice', t(was ? 'users.saved' : 'leads.created'));
    });
  });
  const cform = document.getElementById('convert-form');
  cform.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = cform.elements;
    submitForm(cform, document.getElementById('convert-error'), () => request('POST', `/leads/${converting.id}/project`, {
      body: {
        kind: f.kind.value,
        priority_areas: checked(document.getElementById('c-areas')),
        contribution: f.contribution.value.trim() || null,
        lasting_value: f.lasting_value.value.trim() || null,
      },
      headers: { 'If-Match': `"${converting.version}"` },
    }), async () => {
      cform.reset();
      document.getElementById('convert-section').hidden = true;
      await list.load();
      showMessage('notice', t('leads.project_created'));
    });
  });
  document.getElementById('calendar-url').textContent = `${location.origin}/api/v1/calendars/open-calls.ics?key=`;
  load().catch((err) => showMessage('page-error', err.message));
});
