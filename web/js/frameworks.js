// Goal frameworks: search, sort and export them, read their goals; coordinators add new
// frameworks with their goals. Programmes are linked to them on the draft's edit page.

import { ApiError, request, whenReady, may } from './api.js';
import { actionButton, el, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage, showFormErrors } from './layout.js';
import { ListView } from './list.js';

let frameworks = [];
let shown = null;
let list = null;

function renderRows() {
  document.querySelector('#frameworks-table tbody').replaceChildren(
    ...frameworks.map((f) => {
      const goals = actionButton(t('fw.show_goals'), f.name, () => showGoals(f.id).catch((err) => showMessage('page-error', err.message)));
      const tr = el('tr');
      const actions = el('td');
      actions.append(goals);
      const name = el('td', f.name);
      if (f.external_id) name.append(` (${t('fw.scorecard_mark')})`);
      tr.append(name, el('td', f.code), el('td', f.owner), el('td', f.adopted_year ?? t('none')), el('td', String(f.goal_count)), actions);
      return tr;
    }),
  );
}

/** What the styrkort system says of a goal: its id there, its KPI and targets, whether it
 * was removed. */
function goalFacts(g) {
  const facts = [];
  if (g.external_id) facts.push(t('fw.goal_external', { id: g.external_id }));
  if (g.kpi) facts.push(t('fw.goal_kpi', { kpi: g.kpi }));
  if (g.targets.length) {
    facts.push(t('fw.goal_targets', { targets: g.targets.map((x) => `${x.year}: ${x.value.toLocaleString('sv-SE')}`).join(', ') }));
  }
  if (g.archived_at) facts.push(t('fw.goal_archived', { date: g.archived_at.slice(0, 10) }));
  return facts;
}

async function showGoals(id) {
  const [{ data }, { data: goals }] = await Promise.all([
    request('GET', `/frameworks/${id}`, { requireLogin: false }),
    request('GET', `/goals?framework_id=${id}&archived=all&format=json`, { requireLogin: false }),
  ]);
  shown = id;
  document.getElementById('goals-section').hidden = false;
  const heading = document.getElementById('goals-heading');
  heading.textContent = t('fw.goals_of', { name: data.name });
  document.getElementById('goals-overall').textContent = data.external_id
    ? t('fw.scorecard_intro', { id: data.external_id })
    : data.overall_goal || '';
  document.getElementById('goals').replaceChildren(
    ...goals.items.map((g) => {
      const li = el('li', undefined, { value: String(g.number) });
      li.append(el('strong', g.title));
      if (g.description) li.append(el('p', g.description));
      const facts = goalFacts(g);
      if (facts.length) li.append(el('p', facts.join(' · '), { class: 'hint' }));
      return li;
    }),
  );
  heading.focus();
}

/** Field errors about single goals (`goals[3].title`) belong to the goals box. */
function goalErrors(err) {
  if (!(err instanceof ApiError)) return err;
  const lines = Object.entries(err.fields)
    .filter(([field]) => field.startsWith('goals'))
    .map(([field, message]) => {
      const n = /^goals\[(\d+)\]/.exec(field);
      return n ? `${t('fw.goal_n', { n: Number(n[1]) + 1 })}: ${message}` : message;
    });
  if (lines.length) err.fields.goals = lines.join(' ');
  return err;
}

whenReady(() => {
  setUpPage(() => {
    renderRows();
    if (shown) showGoals(shown).catch(() => {});
  });
  list = new ListView({
    path: '/frameworks',
    form: document.getElementById('filter-form'),
    filename: 'malramverk',
    render: (data) => {
      frameworks = data.items;
      renderRows();
    },
  });
  document.getElementById('new-section').hidden = !may('edit_register');
  const form = document.getElementById('framework-form');
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = form.elements;
    const year = f.adopted_year.value.trim();
    const body = {
      code: f.code.value.trim(),
      name: f.name.value,
      owner: f.owner.value,
      adopted_year: year ? Number(year) : null,
      overall_goal: f.overall_goal.value.trim() || null,
      description: f.description.value.trim() || null,
      goals: f.goals.value.split('\n').map((line) => line.trim()).filter(Boolean).map((title) => ({ title })),
    };
    try {
      await request('POST', '/frameworks', { body });
      showFormErrors(form, null, summary);
      form.reset();
      await list.load();
      showMessage('notice', t('fw.created'));
    } catch (err) {
      showFormErrors(form, goalErrors(err instanceof ApiError ? err : new Error(t('error.network'))), summary);
    }
  });
  list.load().catch((err) => showMessage('page-error', err.message));
});
