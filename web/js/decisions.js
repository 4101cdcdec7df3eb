// The decisions register: search, filter, export; coordinators register, correct and
// archive decisions (never delete them).

import { ApiError, currentUser, goToLogin, request, whenReady, may } from './api.js';
import { actionButton, el, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage, showFormErrors } from './layout.js';
import { ListView } from './list.js';

const BODIES = ['council', 'executive_board', 'committee', 'company_board'];
let decisions = [];
let editing = null;

function option(value, label, selected) {
  const o = el('option', label, { value });
  o.selected = selected;
  return o;
}

function renderSelects() {
  const fb = document.getElementById('filter-body');
  const chosen = fb.value;
  fb.replaceChildren(option('', t('decisions.all_bodies'), !chosen), ...BODIES.map((b) => option(b, t(`body.${b}`), b === chosen)));
  const fa = document.getElementById('filter-archived');
  const arch = fa.value || 'false';
  fa.replaceChildren(
    option('false', t('decisions.current'), arch === 'false'),
    option('true', t('decisions.archived'), arch === 'true'),
    option('all', t('decisions.both'), arch === 'all'),
  );
  const db = document.getElementById('d-body');
  const b = db.value || 'council';
  db.replaceChildren(...BODIES.map((x) => option(x, t(`body.${x}`), x === b)));
}

let list = null;

function renderRows() {
  document.querySelector('#decisions tbody').replaceChildren(
    ...decisions.map((d) => {
      const tr = el('tr', undefined, d.archived_at ? { class: 'archived-row' } : {});
      const actions = el('td');
      const box = el('div', undefined, { class: 'inline' });
      if (d.can.edit) box.append(actionButton(t('decisions.edit'), d.subject, () => startEdit(d)));
      if (d.can.archive) {
        box.append(actionButton(t(d.archived_at ? 'decisions.restore' : 'decisions.archive'), d.subject, () =>
          list.archive(d, { archived: 'decisions.archived_notice', restored: 'decisions.restored' }),
        ));
      }
      if (box.childElementCount) actions.append(box);
      const subject = el('td', d.subject, { lang: 'sv' });
      if (d.link) {
        subject.textContent = '';
        subject.append(el('a', d.subject, { href: d.link, rel: 'noopener noreferrer' }));
      }
      tr.append(el('td', d.decided_on), el('td', t(`body.${d.body}`)), el('td', `§ ${d.paragraph}`), el('td', d.diarienummer), subject, actions);
      return tr;
    }),
  );
}

async function load() {
  decisions = (await list.load()).items;
}

function startEdit(d) {
  editing = d;
  const form = document.getElementById('decision-form');
  form.elements.body.value = d.body;
  form.elements.decided_on.value = d.decided_on;
  form.elements.paragraph.value = `§ ${d.paragraph}`;
  form.elements.diarienummer.value = d.diarienummer;
  form.elements.subject.value = d.subject;
  form.elements.link.value = d.link || '';
  document.getElementById('form-heading').textContent = t('decisions.editing');
  document.getElementById('d-cancel').hidden = false;
  form.elements.body.focus();
}

function stopEdit() {
  editing = null;
  document.getElementById('decision-form').reset();
  document.getElementById('form-heading').textContent = t('decisions.new');
  document.getElementById('d-cancel').hidden = true;
  renderSelects();
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
  renderSelects();
  document.getElementById('edit-section').hidden = !may('edit_register');
  list = new ListView({
    path: '/decisions',
    form: document.getElementById('filter-form'),
    filename: 'beslut',
    render: (data) => {
      decisions = data.items;
      renderRows();
    },
  });
  document.getElementById('d-cancel').addEventListener('click', stopEdit);
  const form = document.getElementById('decision-form');
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {
      body: data.get('body'),
      decided_on: data.get('decided_on') || null,
      paragraph: data.get('paragraph'),
      diarienummer: data.get('diarienummer'),
      subject: data.get('subject'),
      link: String(data.get('link') || '').trim() || null,
    };
    try {
      if (editing) {
        await request('PATCH', `/decisions/${editing.id}`, { body, headers: { 'If-Match': `"${editing.version}"` } });
      } else {
        await request('POST', '/decisions', { body });
      }
      showFormErrors(form, null, summary);
      const message = t(editing ? 'users.saved' : 'decisions.created');
      stopEdit();
      await load();
      showMessage('notice', message);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid-json' && !body.decided_on) {
        err.fields = { decided_on: t('decisions.date_needed') };
      }
      showFormErrors(form, err instanceof ApiError ? err : new Error(t('error.network')), summary);
    }
  });
  load().catch((err) => showMessage('page-error', err.message));
});
