// The annual report in the browser: a coordinator opens 2026; a reporter opens the
// organisation's report, sees the figures summed from its activities, corrects one with a
// reason (a correction without one is refused beside its field) and hands the report in; a
// handed-in report cannot be edited; the coordinator returns it with a comment, which the
// reporter reads. Then the second organisation hands in, the first again, the coordinator
// approves both and compiles the year: final, downloaded as a workbook, as a PDF (read by
// poppler: tags, title, text; its pages saved as pictures) and as a DOCX (read by mammoth),
// presented with the council's decision, published — and read, charts and all, by someone
// not signed in.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { BASE, apiAs, assertAccessible, launch, readPdf, screenshot, signIn, watchForErrors } from './helpers.js';

const REPORTER = [process.env.UTBLICK_REPORTER_EMAIL, process.env.UTBLICK_REPORTER_PASSWORD];
const COORDINATOR = [process.env.UTBLICK_COORDINATOR_EMAIL, process.env.UTBLICK_COORDINATOR_PASSWORD];

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function open(who) {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, ...who);
  await page.getByRole('link', { name: 'Årsrapporter' }).click();
  await page.waitForURL(/reports\.html/);
  await page.getByRole('heading', { level: 1, name: 'Årsrapporter' }).waitFor();
  return { context, page, errors };
}

test('a report is opened, written from its figures, corrected, handed in and returned', async () => {
  // The coordinator opens the year.
  const c = await open(COORDINATOR);
  await c.page.getByLabel('År', { exact: true }).first().fill('2026');
  await c.page.getByLabel('Sista dag att lämna in').fill('2027-02-15');
  await c.page.getByRole('button', { name: 'Öppna året' }).click();
  await c.page.getByText('Rapporteringsåret 2026 är öppnat.').waitFor();
  await c.page.locator('#reports tbody tr', { hasText: 'Tranås Energi AB' }).waitFor();
  assert.equal(await c.page.locator('#reports tbody tr').count(), 2, 'both organisations report');
  await assertAccessible(c.page, 'reports page, coordinator');
  await screenshot(c.page, 'reporting-year-opened');

  // The reporter writes the organisation's report.
  const r = await open(REPORTER);
  assert.equal(await r.page.locator('#open-section').isHidden(), true, 'a reporter opens no year');
  await r.page.getByRole('button', { name: 'Öppna rapporten: Barn- och utbildningsförvaltningen' }).click();
  await r.page.getByRole('heading', { level: 2, name: /Barn- och utbildningsförvaltningen: rapport för 2026/ }).waitFor();
  const hoursRow = r.page.locator('#figures tbody tr', { hasText: 'Arbetstid (timmar)' });
  assert.match(await hoursRow.innerText(), /0,00/);
  await r.page.getByLabel('Vad har gjorts under året?').fill('Två studiebesök och en mässa.');
  // A goal of the seed's frameworks: how the year's work contributed to it.
  const goal = r.page.locator('#r-goals textarea').first();
  assert.ok(await r.page.locator('#r-goals textarea').count() > 0, 'the goal frameworks offer their goals');
  await goal.fill('Utbytet stärker elevernas lärande.');
  await r.page.getByLabel('Arbetstid (timmar), rättat värde').fill('32,5');
  await r.page.getByRole('button', { name: 'Spara rapporten' }).click();
  await r.page.locator('#report-error').getByText(/.+/).waitFor();
  assert.match(await r.page.locator('#r-c1-reason-error').innerText(), /.+/, 'the missing reason is named beside its field');
  await r.page.getByLabel('Skäl till rättelsen').nth(1).fill('Resdagarna saknades i Utblick.');
  await r.page.getByRole('button', { name: 'Spara rapporten' }).click();
  await r.page.getByText('Rapporten är sparad.').waitFor();
  assert.match(await hoursRow.innerText(), /32,50/);
  assert.equal(await goal.inputValue(), 'Utbytet stärker elevernas lärande.', 'the contribution is kept');
  // Evidence: the minutes attached, a wrong file attached and removed; the minutes come back
  // byte for byte as a download.
  const minutes = Buffer.from([...Buffer.from('%PDF-1.7\n'), ...Array.from({ length: 4096 }, (_, i) => i % 256)]);
  for (const [name, buffer] of [['Protokoll från Tartu.pdf', minutes], ['Fel fil.txt', Buffer.from('fel')]]) {
    await r.page.getByLabel('Fil att bifoga').setInputFiles({ name, mimeType: name.endsWith('.pdf') ? 'application/pdf' : 'text/plain', buffer });
    await r.page.getByRole('button', { name: 'Bifoga filen' }).click();
    await r.page.getByText(`Filen ${name} är bifogad.`).waitFor();
  }
  await r.page.getByRole('button', { name: 'Ta bort: Fel fil.txt' }).click();
  await r.page.getByText('Filen Fel fil.txt är borttagen.').waitFor();
  assert.equal(await r.page.locator('#files li').count(), 1);
  const [file] = await Promise.all([
    r.page.waitForEvent('download'),
    r.page.getByRole('button', { name: 'Ladda ned: Protokoll från Tartu.pdf' }).click(),
  ]);
  assert.equal(file.suggestedFilename(), 'Protokoll från Tartu.pdf');
  assert.ok(readFileSync(await file.path()).equals(minutes), 'the file comes back byte for byte');
  await assertAccessible(r.page, 'report, reporter');
  await r.page.getByLabel('Ny status').selectOption('submitted');
  await r.page.getByRole('button', { name: 'Spara status' }).click();
  await r.page.getByText('Statusen är ändrad.').waitFor();
  await r.page.getByText(/Version 1, inlämnad/).waitFor();
  await r.page.locator('#files li', { hasText: 'inlämnad med version 1' }).waitFor();
  assert.equal(await r.page.getByRole('button', { name: /^Ta bort:/ }).count(), 0, 'a handed-in file stays');
  assert.equal(await r.page.getByLabel('Vad har gjorts under året?').isDisabled(), true, 'a handed-in report is not edited');
  await screenshot(r.page, 'report-handed-in');

  // The coordinator returns it with a comment; a return without one is refused in Swedish.
  await c.page.reload();
  await c.page.getByRole('button', { name: 'Öppna rapporten: Barn- och utbildningsförvaltningen' }).click();
  await c.page.getByLabel('Ny status').selectOption('returned');
  await c.page.getByRole('button', { name: 'Spara status' }).click();
  await c.page.locator('#status-error').getByText(/kommentar/).waitFor();
  await c.page.getByLabel('Kommentar (krävs när rapporten återsänds)').fill('Lägg till mässans resultat.');
  await c.page.getByRole('button', { name: 'Spara status' }).click();
  await c.page.getByText('Statusen är ändrad.').waitFor();

  await r.page.reload();
  await r.page.getByRole('button', { name: 'Öppna rapporten: Barn- och utbildningsförvaltningen' }).click();
  await r.page.getByText('Samordnarens kommentar: Lägg till mässans resultat.').waitFor();
  assert.equal(await r.page.getByLabel('Vad har gjorts under året?').isDisabled(), false, 'a returned report is written again');
  assert.deepEqual(c.errors.filter((e) => !/status of 4\d\d/.test(e)), []);
  assert.deepEqual(r.errors.filter((e) => !/status of 4\d\d/.test(e)), []);
  await c.context.close();
  await r.context.close();
});

const OTHER_REPORTER = [process.env.UTBLICK_OTHER_REPORTER_EMAIL, process.env.UTBLICK_OTHER_REPORTER_PASSWORD];

/** Moves the named organisation's report to `status` on the reports page. */
async function move(page, organisation, status) {
  await page.reload();
  await page.getByRole('button', { name: `Öppna rapporten: ${organisation}` }).click();
  await page.getByLabel('Ny status').selectOption(status);
  await page.getByRole('button', { name: 'Spara status' }).click();
  await page.getByText('Statusen är ändrad.').waitFor();
}

/** The chart images of the page, each drawn (its SVG loaded and decoded). */
async function assertChartsDrawn(page) {
  const charts = page.locator('figure.chart img');
  assert.ok(await charts.count() >= 5, 'a chart beside each of five tables');
  await page.waitForFunction(() => [...document.querySelectorAll('figure.chart img')].every((i) => i.complete && i.naturalWidth > 0));
}

test('the year is compiled, frozen, exported, presented with the council\'s decision, published and read by anyone', async () => {
  // The second organisation hands its report in; the first hands its returned report in again.
  const other = await open(OTHER_REPORTER);
  await other.page.getByRole('button', { name: 'Öppna rapporten: Tranås Energi AB' }).click();
  await other.page.getByLabel('Vad har gjorts under året?').fill('Ett nätverksmöte om fjärrvärme i Tartu.');
  await other.page.getByRole('button', { name: 'Spara rapporten' }).click();
  await other.page.getByText('Rapporten är sparad.').waitFor();
  await move(other.page, 'Tranås Energi AB', 'submitted');
  const r = await open(REPORTER);
  await move(r.page, 'Barn- och utbildningsförvaltningen', 'submitted');

  // The coordinator approves both and compiles the year.
  const c = await open(COORDINATOR);
  await move(c.page, 'Barn- och utbildningsförvaltningen', 'approved');
  await move(c.page, 'Tranås Energi AB', 'approved');
  await c.page.getByRole('link', { name: 'Redovisningar till kommunfullmäktige' }).click();
  await c.page.waitForURL(/compilation\.html$/);
  await c.page.getByLabel('Rapporteringsår').selectOption({ label: '2026' });
  await c.page.getByRole('button', { name: 'Påbörja sammanställningen' }).click();
  await c.page.getByRole('heading', { level: 1, name: 'Internationellt arbete 2026' }).waitFor();
  await c.page.getByText(/Utkastet räknas fram ur uppgifterna/).waitFor();
  const byOrganisation = c.page.locator('section', { has: c.page.getByRole('heading', { level: 2, name: 'Per organisation' }) });
  assert.match(await byOrganisation.locator('tbody').innerText(), /Barn- och utbildningsförvaltningen[\s\S]*Tranås Energi AB[\s\S]*Totalt/);
  await c.page.getByText('Ett nätverksmöte om fjärrvärme i Tartu.').waitFor();
  await assertChartsDrawn(c.page);
  await assertAccessible(c.page, 'compilation, draft');

  await c.page.getByLabel('Ny status').selectOption('final');
  await c.page.getByRole('button', { name: 'Spara status' }).click();
  await c.page.getByText('Statusen är sparad.').waitFor();
  await c.page.getByText(/Status: Slutlig\. Version 1, fryst/).waitFor();

  // The tables as a workbook, read back by a reader from the registry.
  const [download] = await Promise.all([
    c.page.waitForEvent('download'),
    c.page.getByRole('button', { name: 'Ladda ner tabellerna (Excel)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'sammanställning-2026.xlsx');
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await download.path());
  const sheet = book.getWorksheet('Per organisation');
  assert.ok(sheet, 'a sheet per table');
  assert.equal(sheet.getCell('A1').value, 'Organisation');
  assert.equal(sheet.getCell('A2').value, 'Barn- och utbildningsförvaltningen');

  // The document for the council: an accessible PDF (its tags, title and text read by
  // poppler, its pages saved as pictures) and a DOCX read by a reader from the registry.
  const [pdf] = await Promise.all([
    c.page.waitForEvent('download'),
    c.page.getByRole('button', { name: 'Ladda ner dokumentet (PDF)' }).click(),
  ]);
  assert.equal(pdf.suggestedFilename(), 'sammanställning-2026.pdf');
  const read = readPdf(await pdf.path(), 'compilation-pdf');
  if (read) {
    assert.match(read.info, /^Title:\s+Internationellt arbete 2026$/m);
    assert.match(read.info, /^Tagged:\s+yes$/m);
    for (const tag of ['H1', 'Table', 'TH', 'TD', 'Figure', 'Caption']) {
      assert.match(read.structure, new RegExp(`^\\s*${tag}\\b`, 'm'), `the PDF's structure has ${tag}`);
    }
    assert.match(read.text, /Internationellt arbete 2026/);
    assert.match(read.text, /Status: Slutlig\. Version 1, fryst/);
    assert.match(read.text, /Barn- och utbildningsförvaltningen/);
    assert.match(read.text, /Ett nätverksmöte om fjärrvärme i Tartu\./);
  }
  const [word] = await Promise.all([
    c.page.waitForEvent('download'),
    c.page.getByRole('button', { name: 'Ladda ner dokumentet (Word)' }).click(),
  ]);
  assert.equal(word.suggestedFilename(), 'sammanställning-2026.docx');
  const html = (await mammoth.convertToHtml({ path: await word.path() })).value;
  assert.ok(html.startsWith('<p>Internationellt arbete 2026</p><p>Status: Slutlig. Version 1, fryst'), 'its title and status first');
  assert.ok(html.includes('<h1>Per organisation</h1>'), 'its sections are headings');
  assert.ok(html.includes('<thead><tr><th><p><strong>Organisation</strong></p></th>'), 'a table\'s first row is its header');
  assert.ok(html.includes('<td><p>Barn- och utbildningsförvaltningen</p></td>'), 'the rows');
  assert.ok(html.includes('<h2>Tranås Energi AB</h2><p>Ett nätverksmöte om fjärrvärme i Tartu.</p>'), 'the organisations\' texts');

  // Presented with the council's decision from the register, and published.
  const api = await apiAs(...COORDINATOR);
  await api('POST', '/decisions', { body: 'council', decided_on: '2027-04-20', paragraph: '§ 41', diarienummer: 'KS 2027/12',
    subject: 'Redovisning av det internationella arbetet 2026' });
  await c.page.reload();
  await c.page.getByLabel('Ny status').selectOption('presented');
  await c.page.getByRole('button', { name: 'Spara status' }).click();
  await c.page.locator('#status-error').getByText(/kommunfullmäktige/).waitFor();
  await c.page.getByLabel('Kommunfullmäktiges beslut (krävs för att redovisa)').selectOption({ index: 1 });
  await c.page.getByRole('button', { name: 'Spara status' }).click();
  await c.page.getByText('Redovisad för kommunfullmäktige 2027-04-20, § 41 (KS 2027/12).').waitFor();
  await c.page.getByRole('button', { name: 'Publicera för alla' }).click();
  await c.page.getByText('Sammanställningen är publicerad och kan läsas utan inloggning.').waitFor();
  await screenshot(c.page, 'compilation-presented');

  // Anyone reads it, without signing in, from the footer of the start page.
  const anyone = await browser.newContext({ locale: 'sv-SE' });
  const page = await anyone.newPage();
  const errors = watchForErrors(page);
  await page.goto(`${BASE}/`);
  await page.getByRole('link', { name: 'Redovisningar till kommunfullmäktige' }).click();
  await page.getByRole('link', { name: '2026' }).click();
  await page.getByRole('heading', { level: 1, name: 'Internationellt arbete 2026' }).waitFor();
  await page.getByText('Redovisad för kommunfullmäktige 2027-04-20, § 41 (KS 2027/12).').waitFor();
  assert.equal(await page.locator('#status-form').isHidden(), true, 'the public moves nothing');
  await assertChartsDrawn(page);
  await assertAccessible(page, 'compilation, public');
  await screenshot(page, 'compilation-public');
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Ladda ner översikten (CSV)' }).click(),
  ]);
  assert.equal(csv.suggestedFilename(), 'sammanställning-2026-översikt.csv');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isHidden(), true, 'printed without the site around it');
  assert.equal(await page.locator('#doc-actions').isHidden(), true, 'and without its buttons');
  await screenshot(page, 'compilation-print');
  assert.deepEqual(errors, []);
  for (const x of [other, r, c]) {
    assert.deepEqual(x.errors.filter((e) => !/status of 4\d\d/.test(e)), []);
    await x.context.close();
  }
  await anyone.close();
});

test('the report page works by keyboard: a year opened, a report written, a file attached and handed in', async () => {
  const key = async (page, locator, text) => {
    await locator.focus();
    await page.keyboard.type(text);
  };
  const c = await open(COORDINATOR);
  await key(c.page, c.page.getByLabel('År', { exact: true }).first(), '2027');
  // A date field's parts follow the machine's locale, not the page's (Chromium here shows
  // mm/dd/yyyy), so the date is set as a value; the rest is keys only.
  await c.page.getByLabel('Sista dag att lämna in').fill('2028-02-15');
  await c.page.getByRole('button', { name: 'Öppna året' }).focus();
  await c.page.keyboard.press('Enter');
  await c.page.getByText('Rapporteringsåret 2027 är öppnat.').waitFor();
  await c.context.close();

  const r = await open(REPORTER);
  // The newest year is chosen; its report opens from its button with Enter.
  assert.equal(await r.page.locator('#year-select option:checked').innerText(), '2027');
  await r.page.getByRole('button', { name: 'Öppna rapporten: Barn- och utbildningsförvaltningen' }).focus();
  await r.page.keyboard.press('Enter');
  await r.page.getByRole('heading', { level: 2, name: /Barn- och utbildningsförvaltningen: rapport för 2027/ }).waitFor();
  await r.page.waitForFunction(() => document.activeElement?.id === 'report-heading', undefined, { timeout: 5000 })
    .catch(() => assert.fail('focus moves to the report'));
  await key(r.page, r.page.getByLabel('Vad har gjorts under året?'), 'Ett år utan resor, med digitala möten.');
  await r.page.getByRole('button', { name: 'Spara rapporten' }).focus();
  await r.page.keyboard.press('Enter');
  await r.page.getByText('Rapporten är sparad.').waitFor();
  // A file chosen from the file field (the system's dialog is the browser's own), attached
  // with Enter.
  await r.page.getByLabel('Fil att bifoga').setInputFiles({ name: 'Mötesanteckningar.txt', mimeType: 'text/plain', buffer: Buffer.from('Digitalt möte 2027-03-01.') });
  await r.page.getByRole('button', { name: 'Bifoga filen' }).focus();
  await r.page.keyboard.press('Enter');
  await r.page.getByText('Filen Mötesanteckningar.txt är bifogad.').waitFor();
  // The status select moved with the arrow keys, saved with Enter.
  const select = r.page.getByLabel('Ny status');
  await select.focus();
  await r.page.keyboard.press('Home');
  const count = await select.locator('option').count();
  for (let i = 0; i < count && (await select.inputValue()) !== 'submitted'; i += 1) {
    await r.page.keyboard.press('ArrowDown');
  }
  assert.equal(await select.inputValue(), 'submitted');
  await r.page.getByRole('button', { name: 'Spara status' }).focus();
  await r.page.keyboard.press('Enter');
  await r.page.getByText('Statusen är ändrad.').waitFor();
  await r.page.locator('#files li', { hasText: 'inlämnad med version 1' }).waitFor();
  assert.deepEqual(r.errors, []);
  await r.context.close();
});

test('the compilation page works by keyboard: begun, made final and downloaded as a PDF', async () => {
  const c = await open(COORDINATOR);
  await c.page.getByRole('link', { name: 'Redovisningar till kommunfullmäktige' }).focus();
  await c.page.keyboard.press('Enter');
  await c.page.waitForURL(/compilation\.html$/);
  // The year chosen with the arrow keys, the compilation begun with Enter.
  const choose = async (select, want) => {
    await select.focus();
    await c.page.keyboard.press('Home');
    const count = await select.locator('option').count();
    for (let i = 0; i < count && (await select.inputValue()) !== want; i += 1) {
      await c.page.keyboard.press('ArrowDown');
    }
    assert.equal(await select.inputValue(), want);
  };
  const year = c.page.getByLabel('Rapporteringsår');
  const value = await year.locator('option', { hasText: '2027' }).getAttribute('value');
  await choose(year, value);
  await c.page.getByRole('button', { name: 'Påbörja sammanställningen' }).focus();
  await c.page.keyboard.press('Enter');
  await c.page.getByRole('heading', { level: 1, name: 'Internationellt arbete 2027' }).waitFor();
  await choose(c.page.getByLabel('Ny status'), 'final');
  await c.page.getByRole('button', { name: 'Spara status' }).focus();
  await c.page.keyboard.press('Enter');
  await c.page.getByText(/Status: Slutlig\. Version 1, fryst/).waitFor();
  // The document's buttons are reached with Tab, in order, and Enter downloads.
  await c.page.getByRole('button', { name: 'Skriv ut' }).focus();
  await c.page.keyboard.press('Tab');
  assert.equal(await c.page.evaluate(() => document.activeElement?.textContent), 'Ladda ner dokumentet (PDF)');
  const [pdf] = await Promise.all([c.page.waitForEvent('download'), c.page.keyboard.press('Enter')]);
  assert.equal(pdf.suggestedFilename(), 'sammanställning-2027.pdf');
  await c.page.keyboard.press('Tab');
  assert.equal(await c.page.evaluate(() => document.activeElement?.textContent), 'Ladda ner dokumentet (Word)');
  assert.deepEqual(c.errors, []);
  await c.context.close();
});

test('the KPI page charts each KPI over the years with the scorecard\'s targets', async () => {
  // The styrkort system sets a target of the municipality's activities for 2026 and 2027.
  const api = await apiAs(...COORDINATOR);
  await api('PUT', '/scorecards/KF-2026', { name: 'Kommunfullmäktiges styrkort', owner: 'Kommunfullmäktige', goals: [
    { external_id: 'KF-1', title: 'Fler internationella aktiviteter', kpi: 'UTB0001', targets: [{ year: 2026, value: 40 }, { year: 2027, value: 45 }] },
  ] });
  const c = await open(COORDINATOR);
  await c.page.getByRole('link', { name: 'Nyckeltal' }).click();
  await c.page.waitForURL(/kpis\.html/);
  await c.page.getByRole('heading', { level: 1, name: 'Nyckeltal för styrkorten' }).waitFor();
  const activities = c.page.locator('section.kpi', { has: c.page.locator('#h-UTB0001') });
  await activities.getByRole('img', { name: /Aktiviteter i internationellt arbete per år/ }).waitFor();
  // 2026 was presented to the council: its values are the frozen compilation's.
  const row2026 = activities.locator('tbody tr', { hasText: '2026' });
  assert.match(await row2026.innerText(), /40/);
  assert.match(await row2026.innerText(), /Fastställd sammanställning/);
  assert.equal(await c.page.locator('section.kpi').count(), 13, 'the whole municipality: every KPI');
  await assertAccessible(c.page, 'KPI page, the whole municipality');
  await screenshot(c.page, 'kpis');

  // One organisation: its own KPIs only, and the choice in the address.
  await c.page.getByLabel('Organisation').selectOption({ label: 'Barn- och utbildningsförvaltningen' });
  await c.page.waitForURL(/kpis\.html\?organisation=\d+/);
  assert.equal(await c.page.locator('section.kpi').count(), 5, 'the activity KPIs of an organisation');
  await c.page.reload();
  assert.equal(await c.page.getByLabel('Organisation').locator('option:checked').innerText(), 'Barn- och utbildningsförvaltningen');
  const [csv] = await Promise.all([c.page.waitForEvent('download'), c.page.getByRole('button', { name: 'Ladda ner nyckeltalen (CSV)' }).click()]);
  assert.equal(csv.suggestedFilename(), 'nyckeltal.csv');
  const text = readFileSync(await csv.path(), 'utf8');
  assert.ok(text.startsWith('\ufeffNyckeltal;Titel;Enhet;Organisation;År;Kön;Värde;Målvärde;Källa'), text.slice(0, 80));
  assert.ok(!text.includes('Tranås kommun;'), 'one organisation\'s values only');
  // The same as a workbook, from the keyboard: the figures are numbers.
  await c.page.getByRole('button', { name: 'Ladda ner nyckeltalen (Excel)' }).focus();
  const [xlsx] = await Promise.all([c.page.waitForEvent('download'), c.page.keyboard.press('Enter')]);
  assert.equal(xlsx.suggestedFilename(), 'nyckeltal.xlsx');
  const kbook = new ExcelJS.Workbook();
  await kbook.xlsx.readFile(await xlsx.path());
  const ksheet = kbook.worksheets[0];
  assert.deepEqual(ksheet.getRow(1).values.slice(1, 4), ['Nyckeltal', 'Titel', 'Enhet']);
  assert.equal(ksheet.rowCount, text.trim().split('\r\n').length, 'the CSV\'s rows');
  assert.equal(typeof ksheet.getRow(2).getCell(5).value, 'number', 'the year is a number');
  assert.ok(!ksheet.getColumn(4).values.includes('Tranås kommun'), 'one organisation\'s values only');
  assert.deepEqual(c.errors, []);
  await c.context.close();
});
