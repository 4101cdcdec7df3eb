// Projects: the owning organisation's people record an idea, plan it and move it along its
// path; at the co-funding gate the page says why a development project stops and offers the
// assessment form; the funding table sums own and external money in kronor. Every rule is
// the server's: the page shows the moves `can.status` lists and the errors it answers.

import { currentUser, goToLogin, request, whenReady } from './api.js';
import { actionButton, el, options, showMessage } from './dom.js';
import { filesPart } from './files.js';
import { t } from './i18n.js';
import { setUpPage, submitForm } from './layout.js';
import { importForm } from './import.js';
import { ListView } from './list.js';
import { hundredths, kronor } from './numbers.js';

const STATUSES = ['idea', 'planning', 'applied', 'granted', 'rejected', 'ongoing', 'completed', 'cancelled'];
const KINDS = ['horizon_scanning', 'positioning', 'development'];
const PARTNER_KINDS = ['municipality', 'region', 'university', 'company', 'association', 'network', 'authority', 'other'];
const ROLES = ['lead', 'partner', 'associate'];
const FUNDING = ['applied', 'granted', 'rejected', 'paid'];
const OUTCOMES = ['will_apply', 'not_eligible', 'not_worthwhile', 'no_suitable_call'];
let projects = [];
let organisations = [];
let contacts = [];
let catalogue = [];
let areas = [];
let selected = null;
let editing = null;
let list = null;
let showFiles = null;

function programmeName(id) {
  return catalogue.find((p) => p.id === id)?.name || String(id);
}

function orgName(id) {
  return organisations.find((o) => o.id === id)?.name || '';
}

function renderFilters() {
  const keep = (id) => document.getElementById(id).value;
  options(document.getElementById('filter-org'), [['', t('list.any_status')], ...organisations.map((o) => [String(o.id), o.name])], keep('filter-org'));
  options(document.getElementById('filter-status'), [['', t('list.any_status')], ...STATUSES.map((s) => [s, t(`projstatus.${s}`)])], keep('filter-status'));
  options(document.getElementById('filter-kind'), [['', t('list.any_status')], ...KINDS.map((k) => [k, t(`kind.${k}`)])], keep('filter-kind'));
}

function renderRows() {
  document.querySelector('#projects tbody').replaceChildren(
    ...projects.map((p) => {
      const tr = el('tr', undefined, p.archived_at ? { class: 'archived-row' } : {});
      const box = el('div', undefined, { class: 'inline' });
      box.append(actionButton(t('projects.open'), p.title, () => openProject(p)));
      if (p.can.edit) box.append(actionButton(t('decisions.edit'), p.title, () => startEdit(p)));
      if (p.can.archive) box.append(actionButton(t(p.archived_at ? 'decisions.restore' : 'decisions.archive'), p.title, () => list.archive(p)));
      tr.append(
        el('td', p.title),
        el('td', orgName(p.owner_organisation_id)),
        el('td', t(`kind.${p.kind}`)),
        el('td', t(`projstatus.${p.status}`)),
        el('td', `${kronor(p.external_granted)} kr`, { class: 'amount' }),
        el('td').appendChild(box).parentNode,
      );
      return tr;
    }),
  );
}

/** Where the project is on its path, what it may do next, and why a move waits. */
function renderProject(p) {
  selected = p;
  document.getElementById('project-section').hidden = false;
  document.getElementById('project-heading').textContent = p.title;
  document.getElementById('project-summary').textContent = `${orgName(p.owner_organisation_id)} · ${t(`kind.${p.kind}`)} · ${p.summary}`;
  const path = p.status === 'rejected' || p.status === 'cancelled'
    ? ['idea', 'planning', p.status]
    : ['idea', 'planning', 'applied', 'granted', 'ongoing', 'completed'];
  document.getElementById('project-path').replaceChildren(...path.map((s) => {
    const li = el('li', t(`projstatus.${s}`));
    if (s === p.status) li.setAttribute('aria-current', 'step');
    return li;
  }));
  const held = p.can.status.filter((m) => m.needs_assessment);
  const gate = document.getElementById('gate');
  gate.hidden = held.length === 0;
  gate.textContent = held.length ? t('projects.gate', { moves: held.map((m) => t(`projstatus.${m.to}`)).join(', ') }) : '';
  const sform = document.getElementById('status-form');
  sform.hidden = p.can.status.length === 0;
  options(document.getElementById('s-status'), p.can.status.map((m) => [m.to, m.needs_assessment ? `${t(`projstatus.${m.to}`)} (${t('projects.needs_assessment')})` : t(`projstatus.${m.to}`)]));
  renderFunding(p);
  document.getElementById('assessments').replaceChildren(...(p.assessments.length ? p.assessments.map((a) => el('li',
    `${a.assessed_on}, ${a.assessed_by}: ${t(`outcome.${a.outcome}`)}${a.programmes.length ? ` (${a.programmes.map(programmeName).join(', ')})` : ''}. ${a.motivation}`)) : [el('li', t('projects.not_assessed'))]));
  const aform = document.getElementById('assess-form');
  aform.hidden = !p.can.assess;
  // Most assessments are recorded the day they are made: today, unless changed.
  if (!aform.elements.assessed_on.value) {
    const now = new Date();
    aform.elements.assessed_on.value = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }
  document.getElementById('a-programmes').replaceChildren(
    el('legend', t('projects.considered')),
    ...catalogue.map((c) => {
      const id = `a-prog-${c.id}`;
      const box = el('div', undefined, { class: 'check' });
      box.append(el('input', undefined, { type: 'checkbox', id, name: 'programmes', value: String(c.id) }), el('label', c.name, { for: id }));
      return box;
    }),
  );
  options(document.getElementById('a-outcome'), OUTCOMES.map((o) => [o, t(`outcome.${o}`)]));
}

function renderFunding(p) {
  document.querySelector('#funding tbody').replaceChildren(
    (() => {
      const tr = el('tr');
      tr.append(el('td', t('projects.own')), el('td', ''), el('td', ''), el('td', `${kronor(p.own_money)} kr`, { class: 'amount' }), el('td', `${kronor(p.own_money)} kr`, { class: 'amount' }));
      return tr;
    })(),
    ...p.funding.map((f) => {
      const tr = el('tr');
      const amount = f.currency === 'EUR' ? `${kronor(f.amount)} € (${kronor(f.rate, 6)} kr/€)` : `${kronor(f.amount)} kr`;
      tr.append(el('td', programmeName(f.programme_id)), el('td', f.call || ''), el('td', t(`fundstatus.${f.status}`)),
        el('td', amount, { class: 'amount' }), el('td', `${kronor(f.amount_sek)} kr`, { class: 'amount' }));
      return tr;
    }),
  );
  const rate = p.co_funding_rate === null ? t('none') : `${kronor(p.co_funding_rate)} %`;
  const leverage = p.leverage === null ? t('none') : kronor(p.leverage);
  const row = (label, value) => {
    const tr = el('tr');
    tr.append(el('th', label, { scope: 'row', colspan: '4' }), el('td', value, { class: 'amount' }));
    return tr;
  };
  document.querySelector('#funding tfoot').replaceChildren(
    row(t('projects.granted'), `${kronor(p.external_granted)} kr`),
    row(t('projects.applied_sum'), `${kronor(p.external_applied)} kr`),
    row(t('projects.rate'), rate),
    row(t('projects.leverage'), leverage),
  );
}

async function openProject(p) {
  const { data } = await request('GET', `/projects/${p.id}`);
  renderProject(data);
  await showFiles(data.id, data.can.edit);
  document.getElementById('project-heading').focus();
}

function fieldBox(prefix, i, key, labelKey, input) {
  const div = el('div', undefined, { class: 'field' });
  input.id = `p-${prefix}${i}-${key}`;
  input.name = `${prefix === 'p' ? 'partners' : 'funding'}[${i}].${key}`;
  div.append(el('label', t(labelKey), { for: input.id }), input);
  return div;
}

function textInput(value, attrs = {}) {
  const input = el('input', undefined, { type: 'text', ...attrs });
  input.value = value ?? '';
  return input;
}

function select(items, chosen) {
  const s = el('select');
  options(s, items, chosen);
  return s;
}

function partnerFields(i, p = {}) {
  const box = el('fieldset', undefined, { class: 'area' });
  box.append(el('legend', `${t('collabs.partner')} ${i + 1}`));
  const remove = el('button', t('collabs.remove_partner'), { type: 'button', class: 'secondary', 'aria-label': `${t('collabs.remove_partner')} ${i + 1}` });
  remove.addEventListener('click', () => setPartners(readPartners().filter((_, j) => j !== i)));
  box.append(
    fieldBox('p', i, 'name', 'collabs.partner_name', textInput(p.name)),
    fieldBox('p', i, 'country', 'twins.country_code', textInput(p.country, { maxlength: '2' })),
    fieldBox('p', i, 'kind', 'collabs.partner_kind', select(PARTNER_KINDS.map((x) => [x, t(`partner.${x}`)]), p.kind || 'municipality')),
    fieldBox('p', i, 'role', 'projects.role', select(ROLES.map((x) => [x, t(`partnerrole.${x}`)]), p.role || 'partner')),
    remove,
  );
  return box;
}

function sourceFields(i, f = {}) {
  const box = el('fieldset', undefined, { class: 'area' });
  box.append(el('legend', `${t('projects.source')} ${i + 1}`));
  const remove = el('button', t('projects.remove_source'), { type: 'button', class: 'secondary', 'aria-label': `${t('projects.remove_source')} ${i + 1}` });
  remove.addEventListener('click', () => setSources(readSources().filter((_, j) => j !== i)));
  const active = catalogue.filter((c) => c.active || c.id === f.programme_id);
  box.append(
    fieldBox('f', i, 'programme_id', 'projects.source', select(active.map((c) => [String(c.id), c.name]), String(f.programme_id ?? ''))),
    fieldBox('f', i, 'call', 'projects.call', textInput(f.call)),
    fieldBox('f', i, 'amount', 'projects.amount', textInput(f.amount === undefined ? '' : kronor(f.amount).replace(/\s/g, ''), { inputmode: 'decimal' })),
    fieldBox('f', i, 'currency', 'projects.currency', select(['SEK', 'EUR'].map((c) => [c, t(`currency.${c}`)]), f.currency || 'SEK')),
    fieldBox('f', i, 'rate', 'projects.rate_used', textInput(f.rate ? kronor(f.rate, 6).replace(/\s/g, '') : '', { inputmode: 'decimal' })),
    fieldBox('f', i, 'status', 'facts.status', select(FUNDING.map((s) => [s, t(`fundstatus.${s}`)]), f.status || 'applied')),
    remove,
  );
  return box;
}

function formValue(name) {
  return document.getElementById('project-form').elements[name]?.value ?? '';
}

function readPartners() {
  return [...document.querySelectorAll('#partners fieldset')].map((_, i) => ({
    name: formValue(`partners[${i}].name`).trim(),
    country: formValue(`partners[${i}].country`).trim(),
    kind: formValue(`partners[${i}].kind`),
    role: formValue(`partners[${i}].role`),
  }));
}

function readSources() {
  return [...document.querySelectorAll('#sources fieldset')].map((_, i) => {
    const rate = formValue(`funding[${i}].rate`).trim();
    return {
      programme_id: Number(formValue(`funding[${i}].programme_id`)),
      call: formValue(`funding[${i}].call`).trim() || null,
      amount: hundredths(formValue(`funding[${i}].amount`)),
      currency: formValue(`funding[${i}].currency`),
      rate: rate ? hundredths(rate, 6) : null,
      status: formValue(`funding[${i}].status`),
    };
  });
}

function setPartners(partners) {
  document.getElementById('partners').replaceChildren(...partners.map((p, i) => partnerFields(i, p)));
}

function setSources(sources) {
  document.getElementById('sources').replaceChildren(...sources.map((f, i) => sourceFields(i, f)));
}

function renderForm() {
  const f = document.getElementById('project-form').elements;
  options(f.kind, KINDS.map((k) => [k, t(`kind.${k}`)]), f.kind.value || 'development');
  const owners = organisations.filter((o) => o.can.add_work || o.id === editing?.owner_organisation_id);
  options(f.owner_organisation_id, owners.map((o) => [String(o.id), o.name]), f.owner_organisation_id.value);
  const people = contacts.filter((c) => !c.erased_at);
  options(f.contact_id, [['', t('users.none')], ...people.map((c) => [String(c.id), `${c.name} (${orgName(c.organisation_id)})`])], f.contact_id.value);
  const chosen = new Set([...document.querySelectorAll('#p-areas input:checked')].map((i) => i.value));
  document.getElementById('p-areas').replaceChildren(
    el('legend', t('projects.areas')),
    el('p', t('areas.hint'), { class: 'hint' }),
    ...areas.map((a) => {
      const box = el('div', undefined, { class: 'check' });
      const input = el('input', undefined, { type: 'checkbox', id: `p-area-${a.id}`, name: 'priority_areas', value: String(a.id) });
      input.checked = chosen.has(String(a.id));
      box.append(input, el('label', `${a.number}. ${a.title}`, { for: input.id }));
      return box;
    }),
  );
  document.getElementById('new-section').hidden = owners.length === 0;
  document.getElementById('import-section').hidden = owners.length === 0;
}

function startEdit(p) {
  editing = p;
  renderForm();
  const f = document.getElementById('project-form').elements;
  for (const key of ['title', 'summary', 'kind', 'period_from', 'period_to', 'contribution', 'lasting_value', 'results', 'value_given']) {
    f[key].value = p[key] ?? '';
  }
  f.owner_organisation_id.value = String(p.owner_organisation_id);
  f.contact_id.value = p.contact_id ? String(p.contact_id) : '';
  f.own_money.value = kronor(p.own_money).replace(/\s/g, '');
  f.own_hours.value = kronor(p.own_hours).replace(/\s/g, '');
  for (const input of document.querySelectorAll('#p-areas input')) input.checked = p.priority_areas.includes(Number(input.value));
  setPartners(p.partners);
  setSources(p.funding);
  document.getElementById('new-heading').textContent = t('projects.editing');
  document.getElementById('p-cancel').hidden = false;
  f.title.focus();
}

function stopEdit() {
  editing = null;
  document.getElementById('project-form').reset();
  for (const input of document.querySelectorAll('#p-areas input')) input.checked = false;
  setPartners([]);
  setSources([]);
  document.getElementById('new-heading').textContent = t('projects.new');
  document.getElementById('p-cancel').hidden = true;
  renderForm();
}

function projectBody() {
  const text = (name) => formValue(name).trim() || null;
  return {
    title: formValue('title'),
    summary: formValue('summary'),
    kind: formValue('kind'),
    owner_organisation_id: Number(formValue('owner_organisation_id')),
    contact_id: formValue('contact_id') ? Number(formValue('contact_id')) : null,
    period_from: text('period_from'),
    period_to: text('period_to'),
    priority_areas: [...document.querySelectorAll('#p-areas input:checked')].map((i) => Number(i.value)),
    contribution: text('contribution'),
    lasting_value: text('lasting_value'),
    goals: editing ? editing.goals : [],
    // A partner row left empty is no partner.
    partners: readPartners().filter((p) => p.name || p.country),
    own_money: hundredths(formValue('own_money') || '0'),
    own_hours: hundredths(formValue('own_hours') || '0'),
    funding: readSources(),
    results: text('results'),
    value_given: text('value_given'),
  };
}

async function reopen(message) {
  await list.load();
  await openProject(selected);
  showMessage('notice', message);
}

async function load() {
  const [o, c, f, p] = await Promise.all([
    request('GET', '/organisations?format=json'),
    request('GET', '/contacts?format=json'),
    request('GET', '/funding-programmes'),
    request('GET', '/programmes?status=adopted&per_page=1&sort=-published'),
  ]);
  organisations = o.data.items;
  contacts = c.data.items;
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
    setPartners(readPartners());
    setSources(readSources());
    renderForm();
    renderRows();
    if (selected) {
      renderProject(selected);
      showFiles(selected.id, selected.can.edit);
    }
  });
  list = new ListView({
    path: '/projects',
    form: document.getElementById('filter-form'),
    filename: 'projekt',
    render: (data) => {
      projects = data.items;
      renderRows();
    },
  });
  document.getElementById('p-add-partner').addEventListener('click', () => {
    setPartners([...readPartners(), {}]);
    document.querySelector('#partners fieldset:last-child input')?.focus();
  });
  document.getElementById('p-add-source').addEventListener('click', () => {
    setSources([...readSources(), {}]);
    document.querySelector('#sources fieldset:last-child select')?.focus();
  });
  document.getElementById('p-cancel').addEventListener('click', stopEdit);
  const form = document.getElementById('project-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = projectBody();
    const wasEditing = editing;
    submitForm(form, document.getElementById('form-error'), async () => {
      const { data } = wasEditing
        ? await request('PATCH', `/projects/${wasEditing.id}`, { body, headers: { 'If-Match': `"${wasEditing.version}"` } })
        : await request('POST', '/projects', { body });
      selected = data;
    }, async () => {
      stopEdit();
      await reopen(t(wasEditing ? 'users.saved' : 'projects.created'));
    });
  });
  const sform = document.getElementById('status-form');
  sform.addEventListener('submit', (event) => {
    event.preventDefault();
    submitForm(sform, document.getElementById('status-error'), () => request('POST', `/projects/${selected.id}/status`, {
      body: { status: sform.elements.status.value },
      headers: { 'If-Match': `"${selected.version}"` },
    }), () => reopen(t('twins.status_saved')));
  });
  const aform = document.getElementById('assess-form');
  aform.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = aform.elements;
    submitForm(aform, document.getElementById('assess-error'), () => request('POST', `/projects/${selected.id}/assessments`, {
      body: {
        assessed_on: f.assessed_on.value || null,
        assessed_by: f.assessed_by.value,
        programmes: [...aform.querySelectorAll('input[name="programmes"]:checked')].map((i) => Number(i.value)),
        outcome: f.outcome.value,
        motivation: f.motivation.value,
      },
      headers: { 'If-Match': `"${selected.version}"` },
    }), () => {
      aform.reset();
      return reopen(t('projects.assessed'));
    });
  });
  showFiles = filesPart('proj-', 'projects', reopen);
  importForm('projects', () => list.load());
  load().catch((err) => showMessage('page-error', err.message));
});
