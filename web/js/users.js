// Administrators: the list of accounts, creating one, changing role and active status.

import { ApiError, currentUser, goToLogin, request, whenReady, may } from './api.js';
import { applyTexts, t } from './i18n.js';
import { actionButton, el, showMessage } from './dom.js';
import { ListView } from './list.js';
import { setUpPage, showFormErrors } from './layout.js';

const ROLES = ['reader', 'reporter', 'coordinator', 'admin'];
let users = [];
let organisations = [];


function option(value, label, selected = false) {
  const o = el('option', label, { value });
  o.selected = selected;
  return o;
}

function orgName(id) {
  return organisations.find((o) => o.id === id)?.name || t('users.none');
}

function notice(message) {
  showMessage('notice', message);
}

async function save(user, patch) {
  try {
    // If-Match carries the version shown: a change made meanwhile by someone else is
    // refused (412) instead of silently overwritten.
    await request('PATCH', `/users/${user.id}`, { body: patch, headers: { 'If-Match': `"${user.version}"` } });
    await load();
    notice(t('users.saved'));
  } catch (err) {
    showMessage('page-error', err.message);
    await load();
  }
}

async function revokeTokens(user) {
  if (!confirm(t('users.revoke_tokens_confirm', { name: user.display_name }))) return;
  try {
    const { data } = await request('POST', `/users/${user.id}/revoke-api-tokens`);
    const count = data.revoked.length;
    notice(count ? t('users.revoked_tokens', { count, name: user.display_name }) : t('users.no_tokens', { name: user.display_name }));
  } catch (err) {
    showMessage('page-error', err.message);
  }
}

function renderRows() {
  const body = document.querySelector('#users tbody');
  body.replaceChildren(
    ...users.map((u) => {
      const tr = el('tr');
      const actions = el('div', undefined, { class: 'inline' });
      // The role is changed where it is shown; a change asks first: one arrow key in the
      // select must not demote anyone.
      const roleCell = el('td');
      if (u.can.edit) {
        const roleSelect = el('select', undefined, { 'aria-label': `${t('users.role')}: ${u.display_name}`, class: 'fit' });
        roleSelect.append(...ROLES.map((r) => option(r, t(`role.${r}`), r === u.role)));
        roleSelect.addEventListener('change', () => {
          const role = roleSelect.value;
          if (confirm(t('users.role_confirm', { name: u.display_name, role: t(`role.${role}`) }))) save(u, { role });
          else roleSelect.value = u.role;
        });
        roleCell.append(roleSelect);
        const toggle = el('button', t(u.active ? 'users.deactivate' : 'users.activate'), { type: 'button', class: 'secondary' });
        toggle.addEventListener('click', () => {
          if (!u.active || confirm(t('users.deactivate_confirm', { name: u.display_name }))) save(u, { active: !u.active });
        });
        actions.append(toggle);
      } else {
        roleCell.textContent = t(`role.${u.role}`);
      }
      // API tokens outlive their creator's account: revoking them is a choice of its own.
      actions.append(actionButton(t('users.revoke_tokens'), u.display_name, () => revokeTokens(u)));
      const td = el('td');
      td.append(actions);
      tr.append(
        el('td', u.display_name),
        el('td', u.email),
        roleCell,
        // Where the role comes from: the identity provider's groups decide it at every sign-in;
        // an account waiting for approval is approved by giving it a role and activating it.
        el('td', t(`rolesource.${u.role_source}`)),
        el('td', orgName(u.organisation_id)),
        el('td', t(u.active ? 'users.yes' : 'users.no')),
        td,
      );
      return tr;
    }),
  );
}

function renderForm() {
  const role = document.getElementById('new-role');
  const chosen = role.value || 'reader';
  role.replaceChildren(...ROLES.map((r) => option(r, t(`role.${r}`), r === chosen)));
  const org = document.getElementById('new-organisation');
  const chosenOrg = org.value;
  org.replaceChildren(option('', t('users.none')), ...organisations.map((o) => option(String(o.id), o.name, String(o.id) === chosenOrg)));
}

let list = null;

async function load() {
  const [, o] = await Promise.all([list.load(), request('GET', '/organisations?per_page=100')]);
  organisations = o.data.items;
  renderRows();
  renderForm();
}

whenReady(() => {
  const me = currentUser();
  if (!me) {
    goToLogin();
    return;
  }
  setUpPage(() => {
    renderRows();
    renderForm();
  });
  if (!may('manage_users')) {
    showMessage('page-error', t('forbidden'));
    return;
  }
  list = new ListView({
    path: '/users',
    form: document.getElementById('filter-form'),
    filename: 'anvandare',
    render: (data) => {
      users = data.items;
      renderRows();
    },
  });
  const form = document.getElementById('user-form');
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const org = data.get('organisation_id');
    try {
      const { data: created } = await request('POST', '/users', {
        body: {
          email: data.get('email'),
          display_name: data.get('display_name'),
          role: data.get('role'),
          organisation_id: org ? Number(org) : null,
          password: data.get('password'),
        },
      });
      showFormErrors(form, null, summary);
      form.reset();
      await load();
      notice(t('users.created', { email: created.email }));
    } catch (err) {
      showFormErrors(form, err instanceof ApiError ? err : new Error(t('error.network')), summary);
    }
  });
  load().catch((err) => showMessage('page-error', err.message));
  applyTexts();
});
