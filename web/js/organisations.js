// The organisation register as a tree: administrations and companies with their
// departments and their contact persons. Search, filter and export it; coordinators
// register, rename and deactivate (never delete) organisations.

import { ApiError, currentUser, goToLogin, request, whenReady, may } from './api.js';
import { actionButton, el, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage, showFormErrors } from './layout.js';
import { ListView } from './list.js';

const KINDS = ['administration', 'company', 'central_function'];
let orgs = []; // the organisations the filter shows
let everyOrg = []; // all of them, for the form's choice of parent
let contacts = [];
let list = null;
let editing = null;

function node(o) {
  const li = el('li');
  const row = el('div', undefined, { class: o.active ? 'org' : 'org inactive' });
  row.append(el('strong', o.name), el('span', t(`orgkind.${o.kind}`)));
  if (o.external_id) row.append(el('span', `${t('orgs.external_short')}: ${o.external_id}`));
  if (!o.active) row.append(el('span', t('orgs.inactive')));
  if (o.can.edit) row.append(actionButton(t('decisions.edit'), o.name, () => startEdit(o)));
  li.append(row);
  const people = contacts.filter((c) => c.organisation_id === o.id && !c.erased_at);
  if (people.length) {
    const ul = el('ul', undefined, { class: 'people', 'aria-label': `${t('nav.contacts')}: ${o.name}` });
    ul.append(...people.map((c) => el('li', [c.name, c.network_role, c.email].filter(Boolean).join(' · '))));
    li.append(ul);
  }
  const children = orgs.filter((c) => c.parent_id === o.id);
  if (children.length) {
    const ul = el('ul');
    ul.append(...children.map(node));
    li.append(ul);
  }
  return li;
}

function render() {
  document.getElementById('tree').replaceChildren(...orgs.filter((o) => !o.parent_id || !orgs.some((p) => p.id === o.parent_id)).map(node));
  const kind = document.getElementById('o-kind');
  const k = kind.value || 'administration';
  kind.replaceChildren(...KINDS.map((x) => {
    const opt = el('option', t(`orgkind.${x}`), { value: x });
    opt.selected = x === k;
    return opt;
  }));
  const parent = document.getElementById('o-parent');
  const p = parent.value;
  parent.replaceChildren(el('option', t('users.none'), { value: '' }), ...everyOrg.filter((o) => o.active && o.id !== editing?.id).map((o) => {
    const opt = el('option', o.name, { value: String(o.id) });
    opt.selected = String(o.id) === p;
    return opt;
  }));
}

// The tree needs whole lists, not pages: the JSON export gives every match.
async function load() {
  const [all, people] = await Promise.all([
    request('GET', '/organisations?format=json'),
    request('GET', '/contacts?format=json'),
    list.load(),
  ]);
  everyOrg = all.data.items;
  contacts = people.data.items;
  render();
}

function startEdit(o) {
  editing = o;
  render();
  const f = document.getElementById('org-form').elements;
  f.name.value = o.name;
  f.kind.value = o.kind;
  f.parent_id.value = o.parent_id ? String(o.parent_id) : '';
  f.external_id.value = o.external_id || '';
  f.active.checked = o.active;
  document.getElementById('form-heading').textContent = t('orgs.editing');
  document.getElementById('o-cancel').hidden = false;
  f.name.focus();
}

function stopEdit() {
  editing = null;
  document.getElementById('org-form').reset();
  document.getElementById('form-heading').textContent = t('orgs.new');
  document.getElementById('o-cancel').hidden = true;
  render();
}

whenReady(() => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage(render);
  document.getElementById('edit-section').hidden = !may('edit_register');
  document.getElementById('o-cancel').addEventListener('click', stopEdit);
  list = new ListView({
    path: '/organisations',
    form: document.getElementById('filter-form'),
    filename: 'organisationer',
    whole: true,
    render: (data) => {
      orgs = data.items;
      render();
    },
  });
  const form = document.getElementById('org-form');
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = form.elements;
    const body = {
      name: f.name.value,
      kind: f.kind.value,
      parent_id: f.parent_id.value ? Number(f.parent_id.value) : null,
      external_id: f.external_id.value.trim() || null,
    };
    try {
      if (editing) {
        await request('PATCH', `/organisations/${editing.id}`, { body: { ...body, active: f.active.checked }, headers: { 'If-Match': `"${editing.version}"` } });
      } else {
        await request('POST', '/organisations', { body });
      }
      showFormErrors(form, null, summary);
      stopEdit();
      await load();
      showMessage('notice', t('users.saved'));
    } catch (err) {
      showFormErrors(form, err instanceof ApiError ? err : new Error(t('error.network')), summary);
    }
  });
  load().catch((err) => showMessage('page-error', err.message));
});
