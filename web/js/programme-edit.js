// Editing a draft programme version (its texts, priority areas and kinds of work),
// linking it to goal frameworks, and adopting it with the executive board's decision.

import { ApiError, currentUser, goToLogin, request, whenReady } from './api.js';
import { el, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage, showFormErrors } from './layout.js';

const KINDS = ['horizon_scanning', 'positioning', 'development'];
const id = Number(new URLSearchParams(location.search).get('id'));
let programme = null;
let etag = null;
let frameworks = [];
let saved = null; // the draft form as last saved, to tell unsaved edits

function areaBox(area, index) {
  const n = index + 1;
  const box = el('fieldset', undefined, { class: 'area' });
  box.append(el('legend', `${n}`));
  const titleId = `area-${n}-title`;
  const descId = `area-${n}-description`;
  const titleField = el('div', undefined, { class: 'field' });
  titleField.append(el('label', t('life.area_title', { n }), { for: titleId }));
  const title = el('input', undefined, { id: titleId, name: `priority_areas[${index}].title`, type: 'text' });
  title.value = area.title;
  titleField.append(title);
  const descField = el('div', undefined, { class: 'field' });
  descField.append(el('label', t('life.area_description', { n }), { for: descId }));
  const desc = el('textarea', undefined, { id: descId, name: `priority_areas[${index}].description` });
  desc.value = area.description;
  descField.append(desc);
  const remove = el('button', t('life.remove_area', { n }), { type: 'button', class: 'secondary' });
  remove.addEventListener('click', () => {
    const areas = readAreas();
    areas.splice(index, 1);
    renderAreas(areas);
  });
  box.append(titleField, descField, remove);
  return box;
}

function readAreas() {
  return [...document.querySelectorAll('#areas fieldset')].map((box) => ({
    title: box.querySelector('input').value,
    description: box.querySelector('textarea').value,
  }));
}

function renderAreas(areas) {
  document.getElementById('areas').replaceChildren(...areas.map(areaBox));
}

function renderKinds(kinds) {
  document.getElementById('kinds').replaceChildren(
    ...KINDS.map((k) => {
      const field = el('div', undefined, { class: 'field' });
      const idk = `kind-${k}`;
      field.append(el('label', t('life.kind_description', { kind: t(`kind.${k}`).toLowerCase() }), { for: idk }));
      const ta = el('textarea', undefined, { id: idk, name: `kind.${k}` });
      ta.value = kinds.find((w) => w.kind === k)?.description || '';
      field.append(ta);
      return field;
    }),
  );
}

function fill(p) {
  const f = document.getElementById('draft-form');
  for (const name of ['title', 'diarienummer', 'responsible_administration', 'responsible_department', 'purpose', 'background']) {
    f.elements[name].value = p[name];
  }
  renderAreas(p.priority_areas);
  renderKinds(p.work_kinds);
  document.getElementById('linked').replaceChildren(
    ...(p.frameworks || []).map((l) => el('li', `${l.name}: ${l.relation}`)),
  );
  const select = document.getElementById('f-framework');
  const chosen = select.value;
  select.replaceChildren(
    ...frameworks
      .filter((f) => !(p.frameworks || []).some((l) => l.id === f.id))
      .map((f) => {
        const o = el('option', `${f.name} (${f.owner})`, { value: String(f.id) });
        o.selected = String(f.id) === chosen;
        return o;
      }),
  );
  document.getElementById('framework-form').hidden = select.options.length === 0 || !p.can.edit;
  document.getElementById('edit-heading').textContent = `${t('life.edit_title')}: ${p.title} (${t('facts.version').toLowerCase()} ${p.version})`;
  document.getElementById('view-link').href = `/?id=${p.id}`;
}

async function load() {
  frameworks = (await request('GET', '/frameworks?format=json')).data.items;
  const res = await request('GET', `/programmes/${id}`);
  programme = res.data;
  etag = res.etag;
  fill(programme);
  saved = JSON.stringify(content());
  if (!programme.can.edit) {
    showMessage('page-error', t('life.not_draft'));
    for (const form of document.querySelectorAll('form')) form.hidden = true;
  }
  document.getElementById('adopt-form').hidden = !programme.can.adopt;
}

/** Saves the draft's form; true when saved (errors are shown at their fields). */
async function saveDraft(form, summary) {
  try {
    const res = await request('PATCH', `/programmes/${id}`, { body: content(), headers: { 'If-Match': etag } });
    programme = res.data;
    etag = res.etag;
    showFormErrors(form, null, summary);
    fill(programme);
    saved = JSON.stringify(content());
    return true;
  } catch (err) {
    showFormErrors(form, err instanceof ApiError ? err : new Error(t('error.network')), summary);
    return false;
  }
}

function content() {
  const f = document.getElementById('draft-form');
  return {
    title: f.elements.title.value,
    diarienummer: f.elements.diarienummer.value,
    responsible_administration: f.elements.responsible_administration.value,
    responsible_department: f.elements.responsible_department.value,
    purpose: f.elements.purpose.value,
    background: f.elements.background.value,
    priority_areas: readAreas(),
    work_kinds: KINDS.map((k) => ({ kind: k, description: document.getElementById(`kind-${k}`).value.trim() })).filter((w) => w.description),
  };
}

whenReady(() => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage(() => programme && fill({ ...programme, ...content(), id: programme.id, version: programme.version, work_kinds: content().work_kinds }));
  const form = document.getElementById('draft-form');
  const summary = document.getElementById('form-error');
  document.getElementById('add-area').addEventListener('click', () => {
    const areas = readAreas();
    areas.push({ title: '', description: '' });
    renderAreas(areas);
    document.getElementById(`area-${areas.length}-title`).focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (await saveDraft(form, summary)) showMessage('notice', t('life.saved'));
  });
  const link = document.getElementById('framework-form');
  const linkSummary = document.getElementById('fw-error');
  link.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { framework_id: Number(link.elements.framework_id.value), relation: link.elements.relation.value };
    try {
      const res = await request('POST', `/programmes/${id}/frameworks`, { body, headers: { 'If-Match': etag } });
      programme = res.data;
      etag = res.etag;
      showFormErrors(link, null, linkSummary);
      link.reset();
      fill(programme);
      showMessage('notice', t('life.linked'));
    } catch (err) {
      showFormErrors(link, err instanceof ApiError ? err : new Error(t('error.network')), linkSummary);
    }
  });
  const adopt = document.getElementById('adopt-form');
  const adoptSummary = document.getElementById('adopt-error');
  adopt.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = adopt.elements;
    const body = {
      decision: {
        body: 'executive_board',
        decided_on: f['decision.decided_on'].value || null,
        paragraph: f['decision.paragraph'].value,
        diarienummer: f['decision.diarienummer'].value,
        subject: f['decision.subject'].value,
      },
      revise_by: f.revise_by.value || null,
    };
    // Edits not yet saved are saved first: adoption never drops them silently.
    if (JSON.stringify(content()) !== saved && !(await saveDraft(form, summary))) {
      showFormErrors(adopt, new Error(t('life.save_before_adopt')), adoptSummary);
      return;
    }
    try {
      await request('POST', `/programmes/${id}/adopt`, { body, headers: { 'If-Match': etag } });
      location.assign(`/?id=${id}`);
    } catch (err) {
      if (err instanceof ApiError && !body.decision.decided_on) err.fields = { 'decision.decided_on': t('decisions.date_needed') };
      showFormErrors(adopt, err instanceof ApiError ? err : new Error(t('error.network')), adoptSummary);
    }
  });
  // The forms wait for the stored version: an area added before it arrived would be lost
  // when it is filled in.
  const forms = document.querySelectorAll('form');
  for (const f of forms) f.inert = true;
  load()
    .catch((err) => showMessage('page-error', err.message))
    .finally(() => {
      for (const f of forms) f.inert = false;
    });
});
