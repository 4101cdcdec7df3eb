// The compilation for the council. Without `?id`: the compilations (published ones for
// anyone; every one, and a form to begin one, for those signed in). With `?id`: the document
// itself — its tables as the server writes them (the same as in the exports), each chart
// beside its table, the organisations' texts — printable; coordinators move it on its path
// and publish it. What may be done comes from the server (`can`); the page copies no rule.

import { currentUser, downloadExport, fetchText, may, request, whenReady } from './api.js';
import { el, options, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage, submitForm } from './layout.js';

const params = new URLSearchParams(location.search);
const id = params.get('id');
const version = params.get('version');
// The chart drawn beside each table.
const CHART_OF = { by_work_kind: 'work_kind', by_organisation: 'organisations', countries_named: 'countries', years: 'years', funding: 'funding' };
let list = [];
let years = [];
let doc = null;
let decisions = [];

function renderList() {
  const signedIn = Boolean(currentUser());
  document.getElementById('list-section').hidden = false;
  document.getElementById('no-compilations').hidden = list.length > 0;
  document.querySelector('#compilations tbody').replaceChildren(...list.map((c) => {
    const tr = el('tr');
    const year = el('td');
    year.append(el('a', String(c.year), { href: `/compilation.html?id=${c.id}` }));
    tr.append(year, el('td', t(`compstatus.${c.status}`)), el('td', c.published_at ? c.published_at.slice(0, 10) : t('comp.not_published')));
    return tr;
  }));
  const begin = document.getElementById('begin-section');
  begin.hidden = !(signedIn && may('coordinate_reporting'));
  const free = years.filter((y) => !list.some((c) => c.reporting_year_id === y.id));
  options(document.getElementById('b-year'), free.map((y) => [String(y.id), String(y.year)]));
  document.getElementById('no-free-years').hidden = free.length > 0;
  document.getElementById('begin-form').hidden = free.length === 0;
}

function table(tab, headingId) {
  const box = el('div', undefined, { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': headingId });
  const tableEl = el('table');
  const head = el('tr');
  tab.headers.forEach((h, i) => head.append(el('th', h, { scope: 'col', ...(tab.numeric[i] ? { class: 'amount-head' } : {}) })));
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  for (const row of tab.rows) {
    const tr = el('tr');
    row.forEach((cell, i) => {
      if (i === 0) tr.append(el('th', cell, { scope: 'row' }));
      else tr.append(el('td', cell, tab.numeric[i] ? { class: 'amount' } : {}));
    });
    tbody.append(tr);
  }
  tableEl.append(thead, tbody);
  box.append(tableEl);
  return box;
}

function chartPath(key) {
  const base = currentUser() ? `/compilations/${doc.id}` : `/published-compilations/${doc.id}`;
  return `${base}/charts/${key}${version ? `?version=${version}` : ''}`;
}

/** A chart as an image: fetched with the session's token when signed in (an image cannot
 * send it), linked directly for the public. */
function chart(key) {
  const info = doc.charts.find((c) => c.key === key);
  const figure = el('figure', undefined, { class: 'chart' });
  const img = el('img', undefined, { alt: t('comp.chart_alt', { title: info.title }), width: '720' });
  if (currentUser()) {
    fetchText(chartPath(key)).then((svg) => {
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    }).catch((err) => showMessage('page-error', err.message));
  } else {
    img.src = `/api/v1${chartPath(key)}`;
  }
  figure.append(img);
  return figure;
}

function renderDoc() {
  const d = doc;
  document.getElementById('doc').hidden = false;
  document.title = `${t('comp.heading', { year: d.year })} – Utblick`;
  const title = document.getElementById('page-title');
  delete title.dataset.i18n;
  title.textContent = t('comp.heading', { year: d.year });
  document.getElementById('doc-eyebrow').hidden = false;
  const status = t(`compstatus.${d.status}`);
  const shown = d.versions.find((v) => v.number === d.shown_version);
  document.getElementById('doc-meta').textContent = d.shown_version
    ? t('comp.meta_frozen', { status, version: d.shown_version, at: shown ? shown.frozen_at.slice(0, 10) : '' })
    : t('comp.meta_draft', { status });
  const decision = document.getElementById('doc-decision');
  decision.hidden = !d.decision;
  if (d.decision) decision.textContent = t('comp.decision', d.decision ? { date: d.decision.decided_on, paragraph: d.decision.paragraph, diarienummer: d.decision.diarienummer } : {});
  const comment = document.getElementById('doc-comment');
  comment.hidden = !(d.status === 'draft' && d.comment);
  comment.textContent = d.comment ? t('comp.reopened', { comment: d.comment }) : '';

  const body = document.getElementById('doc-body');
  const sections = d.tables.map((tab) => {
    const section = el('section', undefined, { 'aria-labelledby': `t-${tab.key}` });
    section.append(el('h2', tab.title, { id: `t-${tab.key}` }));
    if (CHART_OF[tab.key]) section.append(chart(CHART_OF[tab.key]));
    section.append(table(tab, `t-${tab.key}`));
    return section;
  });
  const texts = el('section', undefined, { 'aria-labelledby': 't-texts' });
  texts.append(el('h2', t('comp.texts'), { id: 't-texts' }));
  for (const r of d.compilation.reports) {
    texts.append(el('h3', r.organisation));
    texts.append(el('p', r.narrative || t('comp.no_text'), { class: 'prose-text' }));
    if (r.contributions.length) {
      const dl = el('dl', undefined, { class: 'facts' });
      for (const c of r.contributions) dl.append(el('dt', c.goal), el('dd', c.contribution));
      texts.append(dl);
    }
  }
  body.replaceChildren(...sections, texts);

  const signedIn = Boolean(currentUser());
  const sform = document.getElementById('status-form');
  sform.hidden = !(signedIn && d.can.status.length > 0 && !version);
  options(sform.elements.status, d.can.status.map((m) => [m.to, t(`compstatus.${m.to}`)]));
  options(sform.elements.decision_id, [['', t('comp.no_decision')], ...decisions.map((x) => [String(x.id), `${x.decided_on} § ${x.paragraph} – ${x.subject}`])]);
  const publish = document.getElementById('publish');
  publish.hidden = !(signedIn && d.can.publish && !version);
  publish.textContent = d.published_at ? t('comp.withdraw') : t('comp.publish');
  document.getElementById('versions').replaceChildren(...d.versions.map((v) => {
    const li = el('li');
    li.append(el('a', t('comp.version_line', { number: v.number, at: v.frozen_at.slice(0, 10) }), { href: `/compilation.html?id=${d.id}&version=${v.number}` }));
    return li;
  }));
}

function exportPath(query) {
  const q = `${query}${version ? `&version=${version}` : ''}`;
  return currentUser() ? `/compilations/${doc.id}/export?${q}` : `/published-compilations/${doc.id}/export?${q}`;
}

async function loadDoc() {
  if (currentUser()) {
    const data = (await request('GET', `/compilations/${id}`)).data;
    if (version) {
      const frozen = (await request('GET', `/compilations/${id}/versions/${version}`)).data;
      Object.assign(data, { compilation: frozen.compilation, tables: frozen.tables, charts: frozen.charts, shown_version: frozen.number });
    }
    doc = data;
    if (may('coordinate_reporting')) {
      decisions = (await request('GET', '/decisions?format=json&body=council')).data.items || [];
    }
  } else {
    doc = (await request('GET', `/published-compilations/${id}`, { requireLogin: false })).data;
  }
  renderDoc();
}

async function loadList() {
  if (currentUser()) {
    [list, years] = await Promise.all([
      request('GET', '/compilations').then((r) => r.data),
      request('GET', '/reporting-years').then((r) => r.data),
    ]);
  } else {
    list = (await request('GET', '/published-compilations', { requireLogin: false })).data;
    years = [];
  }
  renderList();
}

whenReady(() => {
  setUpPage(() => {
    if (doc) renderDoc();
    else if (!id) renderList();
  });
  if (!id) {
    const bform = document.getElementById('begin-form');
    bform.addEventListener('submit', (event) => {
      event.preventDefault();
      let begun = null;
      submitForm(bform, document.getElementById('begin-error'), async () => {
        begun = (await request('POST', '/compilations', { body: { reporting_year_id: Number(bform.elements.reporting_year_id.value) } })).data;
      }, () => {
        location.href = `/compilation.html?id=${begun.id}`;
      });
    });
    loadList().catch((err) => showMessage('page-error', err.message));
    return;
  }
  document.getElementById('print').addEventListener('click', () => window.print());
  // The names the server gives its attachments.
  const download = (query, ext) => {
    const name = `sammanställning-${doc.year}${query.includes('table=overview') ? '-översikt' : ''}.${ext}`;
    if (currentUser()) {
      downloadExport(exportPath(query), name).catch((err) => showMessage('page-error', err.message));
    } else {
      const a = el('a', undefined, { href: `/api/v1${exportPath(query)}`, download: name });
      document.body.append(a);
      a.click();
      a.remove();
    }
  };
  document.getElementById('get-pdf').addEventListener('click', () => download('format=pdf', 'pdf'));
  document.getElementById('get-docx').addEventListener('click', () => download('format=docx', 'docx'));
  document.getElementById('get-xlsx').addEventListener('click', () => download('format=xlsx', 'xlsx'));
  document.getElementById('get-csv').addEventListener('click', () => download('format=csv&table=overview', 'csv'));
  document.getElementById('get-json').addEventListener('click', () => download('format=json', 'json'));
  const sform = document.getElementById('status-form');
  sform.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = sform.elements;
    const comment = f.comment.value.trim();
    submitForm(sform, document.getElementById('status-error'), () => request('POST', `/compilations/${doc.id}/status`, {
      body: { status: f.status.value, decision_id: f.decision_id.value ? Number(f.decision_id.value) : null, comment: comment || null },
      headers: { 'If-Match': `"${doc.version}"` },
    }), async () => {
      sform.reset();
      await loadDoc();
      showMessage('notice', t('comp.status_saved'));
    });
  });
  document.getElementById('publish').addEventListener('click', async () => {
    const publishing = !doc.published_at;
    try {
      await request('POST', `/compilations/${doc.id}/publication`, { body: { published: publishing }, headers: { 'If-Match': `"${doc.version}"` } });
      await loadDoc();
      showMessage('notice', publishing ? t('comp.published_now') : t('comp.withdrawn'));
    } catch (err) {
      showMessage('publish-error', err.message);
    }
  });
  loadDoc().catch((err) => showMessage('page-error', err.status === 404 ? t('comp.not_found') : err.message));
});
