// The annual report: a coordinator opens a reporting year; each administration and company
// writes its report from the figures Utblick sums from its activities, corrects a figure by
// hand with a reason, and hands it in; the coordinator returns it with a comment or approves
// it. What may be done comes from the server (`can`); the page copies no rule.

import { currentUser, goToLogin, may, request, whenReady } from './api.js';
import { actionButton, el, options, showMessage } from './dom.js';
import { filesPart } from './files.js';
import { t } from './i18n.js';
import { setUpPage, submitForm } from './layout.js';
import { hundredths, kronor } from './numbers.js';

const FIGURES = ['activities', 'hours', 'own_money', 'external_money', 'participants', 'projects'];
// Figures kept in hundredths (hours) or öre (money); the others are counts.
const DECIMAL = new Set(['hours', 'own_money', 'external_money']);
let years = [];
let frameworks = [];
let chosenYear = null;
let report = null;
let showFiles = null;

const shown = (figure, value) => (DECIMAL.has(figure) ? kronor(value) : String(value));
const parsed = (figure, text) => (DECIMAL.has(figure) ? hundredths(text) : Number(text.trim()));

function renderYears() {
  document.getElementById('no-years').hidden = years.length > 0;
  options(document.getElementById('year-select'), years.map((y) => [String(y.id), String(y.year)]), chosenYear ? String(chosenYear.id) : undefined);
  chosenYear = years.find((y) => String(y.id) === document.getElementById('year-select').value) || null;
  document.getElementById('year-deadline').textContent = chosenYear ? t('reports.deadline_line', { date: chosenYear.deadline }) : '';
  document.querySelector('#reports tbody').replaceChildren(...(chosenYear ? chosenYear.reports : []).map((r) => {
    const tr = el('tr');
    const actions = el('td');
    actions.append(actionButton(t('reports.open_report'), r.organisation, () => openReport(r.id)));
    // Who was reminded when: each reminder e-mail, what became of it, and to how many.
    const reminders = el('td');
    if (r.reminders.length) {
      const list = el('ul', undefined, { class: 'plain' });
      for (const m of r.reminders) {
        list.append(el('li', t('reports.reminder_line', {
          kind: t(`reminderkind.${m.kind}`), status: t(`reminderstatus.${m.status}`), at: m.at.slice(0, 10), n: m.recipients.length,
        }), { title: m.recipients.join(', ') || m.error || '' }));
      }
      reminders.append(list);
    } else {
      reminders.textContent = t('reports.no_reminders');
    }
    tr.append(el('td', r.organisation), el('td', t(`reportstatus.${r.status}`)), el('td', String(r.days_late), { class: 'amount' }), reminders, actions);
    return tr;
  }));
}

function renderReport() {
  const r = report;
  document.getElementById('report-section').hidden = false;
  const name = chosenYear?.reports.find((x) => x.id === r.id)?.organisation || '';
  document.getElementById('report-heading').textContent = t('reports.heading', { organisation: name, year: r.year });
  document.getElementById('report-meta').textContent = t('reports.meta', {
    status: t(`reportstatus.${r.status}`), deadline: r.deadline, late: r.days_late,
  });
  const comment = document.getElementById('report-comment');
  comment.hidden = !(r.status === 'returned' && r.comment);
  comment.textContent = r.comment ? t('reports.returned_comment', { comment: r.comment }) : '';
  document.querySelector('#figures tbody').replaceChildren(...r.figures.figures.map((f) => {
    const tr = el('tr');
    tr.append(el('th', t(`figure.${f.figure}`), { scope: 'row' }), el('td', shown(f.figure, f.computed), { class: 'amount' }),
      el('td', shown(f.figure, f.reported), { class: 'amount' }));
    return tr;
  }));
  document.querySelector('#kinds tbody').replaceChildren(...r.figures.by_work_kind.map((k) => {
    const tr = el('tr');
    tr.append(el('th', t(`kind.${k.kind}`), { scope: 'row' }), el('td', String(k.activities), { class: 'amount' }),
      el('td', kronor(k.hours), { class: 'amount' }), el('td', kronor(k.own_cost), { class: 'amount' }),
      el('td', kronor(k.external_cost), { class: 'amount' }), el('td', String(k.participants), { class: 'amount' }));
    return tr;
  }));
  const form = document.getElementById('report-form');
  form.elements.narrative.value = r.narrative;
  form.elements.other_resources.value = r.other_resources;
  const fieldset = document.getElementById('r-corrections');
  fieldset.replaceChildren(el('legend', t('reports.corrections')), ...FIGURES.map((figure, i) => {
    const mine = r.corrections.find((c) => c.figure === figure);
    const box = el('div', undefined, { class: 'inline' });
    const value = el('input', undefined, { type: 'text', inputmode: 'decimal', id: `r-c${i}-corrected`, name: `corrections[${i}].corrected` });
    value.value = mine ? shown(figure, mine.corrected) : '';
    const reason = el('input', undefined, { type: 'text', id: `r-c${i}-reason`, name: `corrections[${i}].reason` });
    reason.value = mine ? mine.reason : '';
    const valueBox = el('div', undefined, { class: 'field' });
    valueBox.append(el('label', t('reports.corrected', { figure: t(`figure.${figure}`) }), { for: value.id }), value);
    const reasonBox = el('div', undefined, { class: 'field' });
    reasonBox.append(el('label', t('reports.reason'), { for: reason.id }), reason);
    box.append(valueBox, reasonBox);
    return box;
  }));
  renderGoals(r);
  for (const input of form.querySelectorAll('input, textarea, button')) input.disabled = !r.can.edit;
  const last = document.getElementById('r-last-year');
  last.hidden = !(r.can.edit && r.last_year && !r.narrative);
  const sform = document.getElementById('status-form');
  sform.hidden = r.can.status.length === 0;
  options(sform.elements.status, r.can.status.map((m) => [m.to, t(`reportstatus.${m.to}`)]));
  document.getElementById('versions').replaceChildren(...(r.versions.length
    ? r.versions.map((v) => el('li', t('reports.version_line', { number: v.number, at: v.submitted_at.slice(0, 10) })))
    : [el('li', t('reports.no_versions'))]));
}

/** A text per goal of each goal framework: how the year's work helped reach it. */
function renderGoals(r) {
  const box = document.getElementById('r-goals');
  // A goal the styrkort system removed, or another organisation's scorecard goal, is offered
  // only where the report already names it.
  const named = (g) => r.contributions.some((c) => c.goal_id === g.id);
  const offered = (g) => named(g)
    || (!g.archived_at && (g.organisation_id == null || g.organisation_id === r.organisation_id));
  const shown = frameworks.map((f) => ({ ...f, goals: f.goals.filter(offered) })).filter((f) => f.goals.length);
  box.replaceChildren(el('legend', t('reports.contributions')), ...shown.map((f) => {
    const group = el('fieldset', undefined, { class: 'field' });
    group.append(el('legend', f.name), ...f.goals.map((g) => {
      const field = el('div', undefined, { class: 'field' });
      const text = el('textarea', undefined, { id: `r-g${g.id}`, rows: '2', 'data-goal': String(g.id) });
      text.value = r.contributions.find((c) => c.goal_id === g.id)?.contribution || '';
      field.append(el('label', `${g.number}. ${g.title}`, { for: text.id }), text);
      return field;
    }));
    return group;
  }));
  if (shown.length === 0) box.append(el('p', t('reports.no_frameworks'), { class: 'hint' }));
}

/** The goal contributions written in the form, named after their place in the request. */
function contributions() {
  const out = [];
  for (const text of document.querySelectorAll('#r-goals textarea')) {
    const given = text.value.trim() !== '';
    text.name = given ? `contributions[${out.length}].contribution` : `unused-${text.id}`;
    if (given) out.push({ goal_id: Number(text.dataset.goal), contribution: text.value });
  }
  return out;
}

/** The corrections written in the form: each figure given a value or a reason. The inputs
 * are named after their place in the request, so that the server's errors land beside them. */
function corrections() {
  const out = [];
  FIGURES.forEach((figure, i) => {
    const value = document.getElementById(`r-c${i}-corrected`);
    const reason = document.getElementById(`r-c${i}-reason`);
    const given = value.value.trim() !== '' || reason.value.trim() !== '';
    value.name = given ? `corrections[${out.length}].corrected` : `unused-${i}-corrected`;
    reason.name = given ? `corrections[${out.length}].reason` : `unused-${i}-reason`;
    if (given) out.push({ figure, corrected: value.value.trim() === '' ? null : parsed(figure, value.value), reason: reason.value });
  });
  return out;
}

async function openReport(id) {
  report = (await request('GET', `/reports/${id}`)).data;
  renderReport();
  // Focus moves to the report as soon as it shows; its files follow.
  document.getElementById('report-heading').focus();
  await showFiles(report.id, report.can.edit);
}

async function loadFrameworks() {
  const list = (await request('GET', '/frameworks?format=json')).data.items;
  frameworks = await Promise.all(list.map(async (f) => (await request('GET', `/frameworks/${f.id}`)).data));
}

async function loadYears() {
  years = (await request('GET', '/reporting-years')).data;
  renderYears();
}

async function reopen(message) {
  await loadYears();
  await openReport(report.id);
  showMessage('notice', message);
}

whenReady(() => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage(() => {
    renderYears();
    if (report) {
      renderReport();
      showFiles(report.id, report.can.edit);
    }
  });
  document.getElementById('open-section').hidden = !may('coordinate_reporting');
  document.getElementById('year-select').addEventListener('change', () => {
    chosenYear = years.find((y) => String(y.id) === document.getElementById('year-select').value) || null;
    renderYears();
  });
  const oform = document.getElementById('open-form');
  oform.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = oform.elements;
    let opened = null;
    submitForm(oform, document.getElementById('open-error'), async () => {
      opened = (await request('POST', '/reporting-years', { body: { year: Number(f.year.value), deadline: f.deadline.value || null } })).data;
    }, async () => {
      oform.reset();
      chosenYear = opened;
      await loadYears();
      showMessage('notice', t('reports.opened', { year: opened.year }));
    });
  });
  document.getElementById('r-last-year').addEventListener('click', () => {
    const form = document.getElementById('report-form');
    form.elements.narrative.value = report.last_year.narrative;
    form.elements.other_resources.value = report.last_year.other_resources;
    form.elements.narrative.focus();
  });
  showFiles = filesPart('', 'reports', reopen);
  const rform = document.getElementById('report-form');
  rform.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {
      narrative: rform.elements.narrative.value,
      other_resources: rform.elements.other_resources.value,
      corrections: corrections(),
      contributions: contributions(),
    };
    submitForm(rform, document.getElementById('report-error'), () => request('PATCH', `/reports/${report.id}`, {
      body, headers: { 'If-Match': `"${report.version}"` },
    }), () => reopen(t('reports.saved')));
  });
  const sform = document.getElementById('status-form');
  sform.addEventListener('submit', (event) => {
    event.preventDefault();
    const comment = sform.elements.comment.value.trim();
    submitForm(sform, document.getElementById('status-error'), () => request('POST', `/reports/${report.id}/status`, {
      body: { status: sform.elements.status.value, comment: comment || null },
      headers: { 'If-Match': `"${report.version}"` },
    }), () => {
      sform.reset();
      return reopen(t('twins.status_saved'));
    });
  });
  // A link from a reminder e-mail opens its report (`?report=<id>`).
  const linked = new URLSearchParams(location.search).get('report');
  Promise.all([loadYears(), loadFrameworks()]).then(async () => {
    if (!linked) return;
    const year = years.find((y) => y.reports.some((r) => String(r.id) === linked));
    if (year) {
      chosenYear = year;
      renderYears();
    }
    await openReport(linked);
  }).catch((err) => showMessage('page-error', err.message));
});
