// The start page: the adopted programme, its facts, priority areas, kinds of work and
// goal frameworks, and the list of all versions.

import { ApiError, get, request, whenReady, may } from './api.js';
import { applyTexts, t } from './i18n.js';
import { el } from './dom.js';
import { setUpPage } from './layout.js';

const $ = (id) => document.getElementById(id);


/** Splits prose on blank lines into paragraphs. */
function paragraphs(container, text) {
  container.replaceChildren(
    ...String(text || '').split(/\n\s*\n/).filter(Boolean).map((p) => el('p', p.trim())),
  );
}

let state = { programme: null, frameworks: [], versions: [] };

function renderFacts(p) {
  const rows = [
    ['facts.document_id', p.document_id],
    ['facts.diarienummer', p.diarienummer],
    ['facts.version', String(p.version)],
    ['facts.document_type', t(`type.${p.document_type}`)],
    ['facts.status', t(`status.${p.status}`)],
    ['facts.administration', p.responsible_administration],
    ['facts.department', p.responsible_department],
    ['facts.decided_by', t(`body.${p.decided_by}`)],
    ['facts.published', p.published || t('none')],
    ['facts.revise_by', p.revise_by || t('none')],
  ];
  $('facts').replaceChildren(...rows.flatMap(([key, value]) => [el('dt', t(key)), el('dd', value)]));
}

function renderRevision(p) {
  const banner = $('revision-banner');
  if (p.status === 'adopted' && p.revise_by) {
    banner.textContent = t(p.revision_overdue ? 'revision.overdue' : 'revision.due', { date: p.revise_by });
    banner.classList.toggle('banner', p.revision_overdue);
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
}

function renderAreas(p) {
  $('priority-areas').replaceChildren(
    ...p.priority_areas.map((a) => {
      const li = el('li');
      const h = el('h3');
      h.append(el('span', String(a.number), { class: 'number', 'aria-hidden': 'true' }), a.title);
      li.append(h, el('p', a.description));
      return li;
    }),
  );
}

function renderKinds(p) {
  $('work-kinds').replaceChildren(
    ...p.work_kinds.map((k) => {
      const li = el('li');
      li.append(el('h3', t(`kind.${k.kind}`)), el('p', k.description, { lang: 'sv' }));
      return li;
    }),
  );
}

function renderFrameworks() {
  $('frameworks').replaceChildren(
    ...state.frameworks.map(({ detail, relation }) => {
      const box = el('section', undefined, { class: 'framework', 'aria-labelledby': `fw-${detail.id}` });
      box.append(el('h3', detail.name, { id: `fw-${detail.id}`, lang: 'sv' }));
      const meta = [`${t('frameworks.owner')}: ${detail.owner}`];
      if (detail.adopted_year) meta.push(`${t('frameworks.year')} ${detail.adopted_year}`);
      box.append(el('p', meta.join(' '), { class: 'meta' }));
      if (detail.overall_goal) {
        const p = el('p');
        p.append(el('strong', `${t('frameworks.overall')}: `), el('span', detail.overall_goal, { lang: 'sv' }));
        box.append(p);
      }
      const ol = el('ol', undefined, { lang: 'sv' });
      ol.append(...detail.goals.map((g) => el('li', g.title)));
      box.append(ol);
      if (relation) box.append(el('p', relation, { class: 'relation', lang: 'sv' }));
      return box;
    }),
  );
}

/** Coordinators start a new version of an adopted programme, or go on with a draft. */
function renderActions(p) {
  const box = $('version-actions');
  box.replaceChildren();
  box.hidden = !(p.can.edit || p.can.new_version);
  if (box.hidden) return;
  if (p.can.edit) {
    box.append(el('a', t('life.edit_draft'), { href: `/programme-edit.html?id=${p.id}`, class: 'button-link' }));
    return;
  }
  const draft = state.versions.find((v) => v.document_id === p.document_id && v.status === 'draft');
  if (draft) {
    box.append(el('a', t('life.open_draft', { version: draft.version }), { href: `/programme-edit.html?id=${draft.id}`, class: 'button-link' }));
    return;
  }
  const button = el('button', t('life.new_version'), { type: 'button', class: 'primary', id: 'new-version' });
  button.addEventListener('click', async () => {
    try {
      const { data } = await request('POST', `/programmes/${p.id}/versions`);
      location.assign(`/programme-edit.html?id=${data.id}`);
    } catch (err) {
      showError(err.message);
    }
  });
  box.append(button);
}

function renderVersions() {
  const body = $('versions').querySelector('tbody');
  body.replaceChildren(
    ...state.versions.map((v) => {
      const tr = el('tr');
      const title = el('td', undefined, { lang: 'sv' });
      const current = state.programme && v.id === state.programme.id;
      title.append(el('a', v.title, current ? { href: `/?id=${v.id}`, 'aria-current': 'page' } : { href: `/?id=${v.id}` }));
      tr.append(
        title,
        el('td', String(v.version)),
        el('td', t(`status.${v.status}`)),
        el('td', v.published || t('none')),
      );
      return tr;
    }),
  );
  $('versions-section').hidden = state.versions.length === 0;
}

function render() {
  applyTexts();
  const p = state.programme;
  if (!p) return;
  document.title = `${p.title} – Utblick`;
  $('programme-title').textContent = p.title;
  $('programme-title').lang = 'sv';
  renderRevision(p);
  renderActions(p);
  renderFacts(p);
  paragraphs($('purpose'), p.purpose);
  paragraphs($('background'), p.background);
  renderAreas(p);
  renderKinds(p);
  renderFrameworks();
  renderVersions();
  $('programme').hidden = false;
}

function showError(message) {
  $('status').textContent = '';
  const box = $('error');
  box.textContent = message;
  box.hidden = false;
}

async function load() {
  const list = await get('/programmes?per_page=100');
  state.versions = list.items;
  const wanted = Number(new URLSearchParams(location.search).get('id'));
  const chosen = list.items.find((p) => p.id === wanted) || list.items.find((p) => p.status === 'adopted') || list.items[0];
  if (!chosen) {
    showError(t('error.none'));
    return;
  }
  const programme = await get(`/programmes/${chosen.id}`);
  const frameworks = await Promise.all(
    programme.frameworks.map(async (f) => ({ detail: await get(`/frameworks/${f.id}`), relation: f.relation })),
  );
  state = { ...state, programme, frameworks };
  render();
  $('status').textContent = t('loaded');
  $('status').classList.add('visually-hidden');
}

whenReady(() => {
  setUpPage(() => {
    render();
    if (state.programme) $('status').textContent = t('loaded');
  });
  $('status').textContent = t('loading');
  $('new-document').hidden = !may('edit_register');
  load().catch((err) => {
    if (err instanceof ApiError) showError(t('error.api', { detail: err.message }));
    else showError(t('error.network'));
  });
});
