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
      tr.append(el('td', f.name), el('td', f.code), el('td', f.owner), el('td', f.adopted_year ?? t('none')), el('td', String(f.goal_count)), actions);
      return tr;
    }),
  );
}

async function showGoals(id) {
  const { data } = await request('GET', `/frameworks/${id}`, { requireLogin: false });
  shown = id;
  document.getElementById('goals-section').hidden = false;
  const heading = document.getElementById('goals-heading');
  heading.textContent = t('fw.goals_of', { name: data.name });
  document.getElementById('goals-overall').textContent = data.overall_goal || '';
  document.getElementById('goals').replaceChildren(
    ...data.goals.map((g) => {
      const li = el('li', undefined, { value: String(g.number) });
      li.append(el('strong', g.title));
      if (g.description) li.append(el('p', g.description));
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
