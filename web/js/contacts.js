// The contact network: everyone signed in reads it; reporters keep their own
// organisation's contact persons, coordinators everyone's; erasure on request.

import { ApiError, currentUser, goToLogin, request, whenReady, may } from './api.js';
import { actionButton, el, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage, showFormErrors } from './layout.js';
import { ListView } from './list.js';

let contacts = [];
let organisations = [];
let editing = null;
let list = null;

/** The organisations the signed-in person may add contacts to (the server says so in `can`). */
function editableOrganisations() {
  return organisations.filter((o) => o.can.add_work);
}

function orgName(id) {
  return organisations.find((o) => o.id === id)?.name || '';
}

function option(value, label, selected) {
  const o = el('option', label, { value });
  o.selected = selected;
  return o;
}

function renderSelects() {
  const f = document.getElementById('filter-org');
  const chosen = f.value;
  f.replaceChildren(option('', t('contacts.all'), !chosen), ...organisations.map((o) => option(String(o.id), o.name, String(o.id) === chosen)));
  const c = document.getElementById('c-org');
  const cur = c.value;
  c.replaceChildren(...editableOrganisations().map((o) => option(String(o.id), o.name, String(o.id) === cur)));
  document.getElementById('edit-section').hidden = editableOrganisations().length === 0;
}

function renderRows() {
  document.querySelector('#contacts tbody').replaceChildren(
    ...contacts.map((c) => {
      const tr = el('tr');
      const actions = el('td');
      const box = el('div', undefined, { class: 'inline' });
      if (c.can.edit) box.append(actionButton(t('decisions.edit'), c.name, () => startEdit(c)));
      if (c.can.erase) box.append(actionButton(t('contacts.erase'), c.name, () => eraseContact(c)));
      if (box.childElementCount) actions.append(box);
      tr.append(el('td', c.name), el('td', orgName(c.organisation_id)), el('td', c.network_role || t('none')), el('td', c.email || t('none')), el('td', c.phone || t('none')), actions);
      return tr;
    }),
  );
}

async function load() {
  const { data } = await request('GET', '/organisations?per_page=100');
  organisations = data.items;
  renderSelects();
  await list.load();
}

function startEdit(c) {
  editing = c;
  const f = document.getElementById('contact-form').elements;
  f.organisation_id.value = String(c.organisation_id);
  for (const k of ['name', 'title', 'email', 'phone', 'network_role', 'term_from', 'term_to']) f[k].value = c[k] || '';
  document.getElementById('form-heading').textContent = t('contacts.editing');
  document.getElementById('c-cancel').hidden = false;
  f.name.focus();
}

function stopEdit() {
  editing = null;
  document.getElementById('contact-form').reset();
  document.getElementById('form-heading').textContent = t('contacts.new');
  document.getElementById('c-cancel').hidden = true;
  renderSelects();
}

async function eraseContact(c) {
  if (!confirm(t('contacts.confirm_erase', { name: c.name }))) return;
  try {
    await request('POST', `/contacts/${c.id}/erase`, { headers: { 'If-Match': `"${c.version}"` } });
    await list.load();
    showMessage('notice', t('contacts.erased'));
  } catch (err) {
    await list.load();
    showMessage('page-error', err.message);
  }
}

whenReady(() => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage(() => {
    renderSelects();
    renderRows();
  });
  list = new ListView({
    path: '/contacts',
    form: document.getElementById('filter-form'),
    filename: 'kontaktpersoner',
    render: (data) => {
      contacts = data.items;
      renderRows();
    },
  });
  document.getElementById('c-cancel').addEventListener('click', stopEdit);
  const form = document.getElementById('contact-form');
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = form.elements;
    const body = {
      organisation_id: Number(f.organisation_id.value),
      name: f.name.value,
      title: f.title.value.trim() || null,
      email: f.email.value.trim() || null,
      phone: f.phone.value.trim() || null,
      network_role: f.network_role.value.trim() || null,
      term_from: f.term_from.value || null,
      term_to: f.term_to.value || null,
    };
    try {
      if (editing) {
        await request('PATCH', `/contacts/${editing.id}`, { body, headers: { 'If-Match': `"${editing.version}"` } });
      } else {
        await request('POST', '/contacts', { body });
      }
      showFormErrors(form, null, summary);
      const message = t(editing ? 'users.saved' : 'contacts.created');
      stopEdit();
      await list.load();
      showMessage('notice', message);
    } catch (err) {
      showFormErrors(form, err instanceof ApiError ? err : new Error(t('error.network')), summary);
    }
  });
  load().catch((err) => showMessage('page-error', err.message));
});
