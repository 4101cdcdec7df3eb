// The KPIs of one organisation, or of the whole municipality, over the years: for each KPI a
// chart of its values with the styrkort's targets, and the same figures as a table (the
// chart's text alternative). `?organisation=ID` chooses the organisation; none is the whole
// municipality.

import { currentUser, downloadExport, goToLogin, request, whenReady } from './api.js';
import { el, options, showMessage } from './dom.js';
import { language, t } from './i18n.js';
import { setUpPage } from './layout.js';

const SVG = 'http://www.w3.org/2000/svg';
let kpis = [];
let values = [];
let organisations = [];
let municipality = '';

function chosen() {
  const raw = new URLSearchParams(location.search).get('organisation');
  return raw && /^\d+$/.test(raw) ? Number(raw) : null;
}

function number(x, unit) {
  const digits = unit === 'antal' ? 0 : 2;
  return x.toLocaleString(language() === 'en' ? 'en-GB' : 'sv-SE', { maximumFractionDigits: digits });
}

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** A bar per year (its value), a mark per year with a target; the table beside it says the same. */
function chart(kpi, rows) {
  const width = 560;
  const height = 220;
  const left = 56;
  const bottom = 28;
  const top = 12;
  const max = Math.max(1, ...rows.flatMap((r) => [r.value ?? 0, r.target ?? 0]));
  const min = Math.min(0, ...rows.flatMap((r) => [r.value ?? 0, r.target ?? 0]));
  const y = (v) => top + (height - top - bottom) * (1 - (v - min) / (max - min));
  const slot = (width - left) / Math.max(rows.length, 1);
  const label = t('kpi.chart_label', { title: kpi.title });
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'kpi-chart' });
  root.append(svg('line', { x1: left, x2: width, y1: y(0), y2: y(0), stroke: 'currentColor' }));
  for (const tick of [max, min].filter((v, i, all) => all.indexOf(v) === i)) {
    const text = svg('text', { x: left - 6, y: y(tick) + 4, 'text-anchor': 'end', 'font-size': 12, fill: 'currentColor' });
    text.textContent = number(tick, kpi.unit);
    root.append(text);
  }
  rows.forEach((r, i) => {
    const x = left + i * slot;
    if (r.value != null) {
      const top0 = Math.min(y(r.value), y(0));
      root.append(svg('rect', { x: x + slot * 0.2, y: top0, width: slot * 0.6, height: Math.max(1, Math.abs(y(r.value) - y(0))), class: 'kpi-bar' }));
    }
    if (r.target != null) {
      root.append(svg('line', { x1: x + slot * 0.1, x2: x + slot * 0.9, y1: y(r.target), y2: y(r.target), class: 'kpi-target', 'stroke-width': 3 }));
    }
    const year = svg('text', { x: x + slot / 2, y: height - 8, 'text-anchor': 'middle', 'font-size': 12, fill: 'currentColor' });
    year.textContent = String(r.year);
    root.append(year);
  });
  return root;
}

function table(kpi, rows) {
  const head = el('tr');
  for (const key of ['kpi.year', 'kpi.value', 'kpi.target', 'kpi.source']) head.append(el('th', t(key), { scope: 'col' }));
  const body = rows.map((r) => {
    const tr = el('tr');
    tr.append(
      el('td', String(r.year)),
      el('td', r.value == null ? t('kpi.missing') : number(r.value, kpi.unit), { class: 'amount' }),
      el('td', r.target == null ? t('none') : number(r.target, kpi.unit), { class: 'amount' }),
      el('td', t(r.frozen ? 'kpi.frozen' : 'kpi.now')),
    );
    return tr;
  });
  const tableEl = el('table');
  tableEl.append(el('caption', t('kpi.table_caption', { title: kpi.title, unit: kpi.unit })), el('thead'), el('tbody'));
  tableEl.tHead.append(head);
  tableEl.tBodies[0].append(...body);
  const scroll = el('div', undefined, { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': kpi.title });
  scroll.append(tableEl);
  return scroll;
}

function render() {
  const org = chosen();
  options(document.getElementById('k-organisation'), [['', municipality || t('kpi.municipality')],
    ...organisations.map((o) => [String(o.id), o.name])], org == null ? '' : String(org));
  const mine = values.filter((v) => v.gender === 'T' && (v.organisation_id ?? null) === org);
  document.getElementById('no-values').hidden = mine.length > 0;
  const sections = kpis.filter((k) => org == null || k.scope === 'organisations_and_municipality').map((k) => {
    const rows = mine.filter((v) => v.kpi_id === k.id).sort((a, b) => a.year - b.year);
    const section = el('section', undefined, { class: 'kpi', 'aria-labelledby': `h-${k.id}` });
    section.append(el('h2', `${k.title} (${k.id})`, { id: `h-${k.id}` }), el('p', k.description, { class: 'hint' }));
    if (rows.length === 0) return section;
    const figure = el('figure', undefined, { class: 'chart' });
    figure.append(chart(k, rows));
    section.append(figure, table(k, rows));
    return section;
  });
  document.getElementById('kpis').replaceChildren(...(mine.length ? sections : []));
}

whenReady(async () => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage(render);
  try {
    const [k, v, site] = await Promise.all([
      request('GET', '/kpis'),
      request('GET', '/kpi-values'),
      request('GET', '/site', { auth: false }).catch(() => ({ data: {} })),
    ]);
    kpis = k.data;
    values = v.data;
    municipality = site.data.municipality || '';
    const named = new Map(values.filter((x) => x.organisation_id != null).map((x) => [x.organisation_id, x.organisation]));
    organisations = [...named].map(([id, name]) => ({ id, name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'sv'));
    render();
  } catch (err) {
    showMessage('page-error', err.message);
  }
  document.getElementById('k-organisation').addEventListener('change', (event) => {
    const url = new URL(location.href);
    if (event.target.value) url.searchParams.set('organisation', event.target.value);
    else url.searchParams.delete('organisation');
    history.replaceState(null, '', url);
    render();
  });
  for (const format of ['csv', 'xlsx']) {
    document.getElementById(`get-${format}`).addEventListener('click', () => {
      const org = chosen();
      const query = org == null ? '' : `&organisation_id=${org}`;
      downloadExport(`/kpi-values?format=${format}${query}`, `nyckeltal.${format}`)
        .catch((err) => showMessage('page-error', err.message));
    });
  }
});
