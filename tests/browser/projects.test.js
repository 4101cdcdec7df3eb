// A reporter records a lead, makes it a project idea, plans it, is stopped at the
// co-funding gate with a clear Swedish message, records the assessment and moves the
// project on; the funding table sums own and external money; two activities are recorded
// with hours and costs; a coordinator sees them.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { assertAccessible, launch, screenshot, signIn, watchForErrors } from './helpers.js';

const REPORTER = [process.env.UTBLICK_REPORTER_EMAIL, process.env.UTBLICK_REPORTER_PASSWORD];
const COORDINATOR = [process.env.UTBLICK_COORDINATOR_EMAIL, process.env.UTBLICK_COORDINATOR_PASSWORD];
assert.ok(REPORTER[0] && COORDINATOR[0], 'a reporter and a coordinator are named');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function open(who) {
  const context = await browser.newContext({ locale: 'sv-SE', acceptDownloads: true });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, ...who);
  await page.getByRole('link', { name: 'Projekt' }).click();
  await page.waitForURL(/projects\.html/);
  return { context, page, errors };
}

test('a lead becomes a project idea that stops at the gate until assessed, and its activities are recorded', async () => {
  const { context, page, errors } = await open(REPORTER);
  // The horizon-scanning log: a call, then the idea made from it.
  await page.getByRole('link', { name: 'Omvärldsbevakning' }).click();
  await page.waitForURL(/leads\.html/);
  await page.getByRole('heading', { name: 'Ny spaning' }).waitFor();
  await assertAccessible(page, 'horizon-scanning page');
  await page.getByLabel('Titel', { exact: true }).fill('Skolutbyte med Tartu');
  await page.getByLabel('Beskrivning', { exact: true }).fill('Elever och lärare möts två gånger om året.');
  await page.getByLabel('Länk till källan (valfritt)').fill('https://www.utbyten.se/erasmus');
  await page.getByRole('button', { name: 'Spara spaningen' }).click();
  await page.locator('#l-deadline-error').waitFor();
  await page.getByLabel(/Sista ansökningsdag/).fill('2030-02-19');
  await page.getByRole('button', { name: 'Spara spaningen' }).click();
  await page.getByText('Spaningen är registrerad.').waitFor();
  await page.getByRole('button', { name: 'Gör till projektidé: Skolutbyte med Tartu' }).click();
  await page.getByLabel(/hur bidrar projektet/).fill('Hållbar tillväxt genom utbyte mellan skolor.');
  await page.getByLabel(/vilket bestående värde/).fill('Ett bestående partnerskap mellan skolorna.');
  await page.getByRole('button', { name: 'Skapa projektidén' }).click();
  await page.getByText(/Projektidén är skapad från spaningen/).waitFor();
  await screenshot(page, 'lead-became-project');

  await page.getByRole('link', { name: 'Projekt', exact: true }).click();
  await page.waitForURL(/projects\.html/);
  await assertAccessible(page, 'projects page');
  await page.getByRole('button', { name: 'Ändra: Skolutbyte med Tartu' }).click();
  await page.getByLabel('Egna medel (kr)').fill('120 000,50');
  await page.getByLabel('Egen arbetstid (timmar)').fill('250,5');
  await page.getByRole('button', { name: 'Lägg till partner' }).click();
  await page.getByLabel('Partnerns namn').fill('Tartu linn');
  await page.getByLabel(/^Land \(landskod/).fill('EE');
  await page.getByRole('button', { name: 'Lägg till extern finansiering' }).click();
  await page.getByLabel('Finansieringskälla', { exact: true }).selectOption({ label: 'Erasmus+' });
  await page.getByLabel('Belopp', { exact: true }).fill('30 000');
  await page.getByLabel('Valuta', { exact: true }).selectOption('EUR');
  await page.getByLabel('Växelkurs som använts (kr per euro)').fill('11,20');
  await page.getByRole('button', { name: 'Spara projektet' }).click();
  await page.getByText('Ändringen är sparad.').waitFor();

  // The project opens with its funding summed in kronor, euro converted once.
  const funding = page.locator('#funding');
  await funding.getByText(/336\s000,00 kr/).first().waitFor();
  assert.match(await funding.innerText(), /120\s000,50 kr/);
  await page.getByLabel('Ny status').selectOption('planning');
  await page.getByRole('button', { name: 'Spara status' }).click();
  await page.getByText('Statusen är ändrad.').waitFor();

  // At the gate: the page says why, and the server refuses the move in Swedish.
  const gate = page.locator('#gate');
  await gate.waitFor();
  assert.match(await gate.innerText(), /extern medfinansiering har prövats/);
  await page.getByLabel('Ny status').selectOption('applied');
  await page.getByRole('button', { name: 'Spara status' }).click();
  await page.locator('#status-error').getByText(/registrera prövningen först/).waitFor();
  await assertAccessible(page, 'a project stopped at the gate');
  await screenshot(page, 'project-at-the-gate');

  await page.getByLabel('Datum för prövningen').fill('2026-11-27');
  await page.getByLabel('Vem prövade').fill('Anna Berg');
  await page.locator('#a-programmes').getByLabel('Erasmus+').check();
  await page.getByLabel('Resultat', { exact: true }).selectOption('will_apply');
  await page.getByLabel('Motivering').fill('Erasmus+ KA1 passar skolans utbyte.');
  await page.getByRole('button', { name: 'Registrera prövningen' }).click();
  await page.getByText('Prövningen är registrerad.').waitFor();
  // The gate opens once the assessment is recorded.
  await gate.waitFor({ state: 'hidden' });
  await page.getByLabel('Ny status').selectOption('applied');
  await page.getByRole('button', { name: 'Spara status' }).click();
  await page.getByText('Statusen är ändrad.').waitFor();
  assert.match(await page.locator('#project-path [aria-current="step"]').innerText(), /Ansökt/);
  // The application itself, attached to the project and listed with it.
  await page.getByLabel('Fil att bifoga').setInputFiles({ name: 'Ansökan Erasmus+.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n') });
  await page.getByRole('button', { name: 'Bifoga filen' }).click();
  await page.getByText('Filen Ansökan Erasmus+.pdf är bifogad.').waitFor();
  await page.getByRole('button', { name: 'Ladda ned: Ansökan Erasmus+.pdf' }).waitFor();
  await screenshot(page, 'project-applied');

  // Two activities of the project, with hours and costs.
  await page.getByRole('link', { name: 'Aktiviteter' }).click();
  await page.waitForURL(/activities\.html/);
  await page.getByRole('heading', { name: 'Ny aktivitet' }).waitFor();
  await assertAccessible(page, 'activities page');
  for (const [title, day, hours, cost] of [['Projektmöte i Tartu', '2026-03-10', '16', '8 500'], ['Lärarutbyte i Tranås', '2026-04-20', '32,5', '2 000,50']]) {
    await page.getByLabel('Titel', { exact: true }).fill(title);
    await page.getByLabel('Slag av aktivitet').last().selectOption('project_meeting');
    await page.getByLabel('Projekt (valfritt)').selectOption({ label: 'Skolutbyte med Tartu' });
    await page.getByLabel('Första dag').fill(day);
    await page.getByLabel(/^Länder/).fill('EE');
    await page.getByLabel('Kvinnor').fill('3');
    await page.getByLabel('Män').fill('1');
    await page.getByLabel('Totalt antal deltagare').fill('4');
    await page.getByLabel('Arbetstid (timmar)').fill(hours);
    await page.getByLabel('Egen kostnad (kr)').fill(cost);
    await page.getByRole('button', { name: 'Spara aktiviteten' }).click();
    await page.getByText('Aktiviteten är registrerad.').waitFor();
    await page.locator('#activities tbody tr', { hasText: title }).waitFor();
  }
  const row = page.locator('#activities tbody tr', { hasText: 'Lärarutbyte i Tranås' });
  assert.match(await row.innerText(), /32,50/);
  assert.match(await row.innerText(), /2\s000,50/);
  await screenshot(page, 'activities-recorded');
  // A photo of the exchange attached to the activity while it is edited.
  await page.getByRole('button', { name: 'Ändra: Lärarutbyte i Tranås' }).click();
  await page.getByLabel('Fil att bifoga').setInputFiles({ name: 'Lärarna i Tranås.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]) });
  await page.getByRole('button', { name: 'Bifoga filen' }).click();
  await page.getByText('Filen Lärarna i Tranås.jpg är bifogad.').waitFor();
  await page.getByRole('button', { name: 'Ladda ned: Lärarna i Tranås.jpg' }).waitFor();
  await assertAccessible(page, 'an activity with its files');
  await page.getByRole('button', { name: 'Avbryt ändringen' }).click();
  await page.locator('#act-files-box').waitFor({ state: 'hidden' });

  // The register as a real spreadsheet, read back by a spreadsheet reader: Swedish headers,
  // days as dates, hours and kronor as numbers.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Exportera till Excel (XLSX)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'aktiviteter.xlsx');
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await download.path());
  const sheet = book.worksheets[0];
  const headers = sheet.getRow(1).values.slice(1);
  assert.ok(headers.includes('Arbetstid (timmar)') && headers.includes('Första dag'), headers.join(', '));
  const rows = [];
  sheet.eachRow((row, n) => { if (n > 1) rows.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).value]))); });
  const exchange = rows.find((r) => r.Titel === 'Lärarutbyte i Tranås');
  assert.equal(exchange['Arbetstid (timmar)'], 32.5);
  assert.equal(exchange['Egen kostnad (kr)'], 2000.5);
  assert.ok(exchange['Första dag'] instanceof Date, 'a day is a date');
  assert.equal(exchange.Typ, 'Projektmöte');

  // The same file imported back (a trial run first): every row is found, nothing changes.
  await page.getByLabel('Fil (CSV eller XLSX)').setInputFiles(await download.path());
  await page.getByRole('button', { name: 'Importera', exact: true }).click();
  await page.getByText(/Provkörningen gick igenom: 0 nya, 0 ändrade och 2 oförändrade av 2 rader/).waitFor();
  assert.deepEqual(errors.filter((e) => !/status of (409|422)/.test(e)), []);
  await context.close();

  // A coordinator sees it in the list.
  const c = await open(COORDINATOR);
  const project = c.page.locator('#projects tbody tr', { hasText: 'Skolutbyte med Tartu' });
  await project.waitFor();
  assert.match(await project.innerText(), /Ansökt/);
  // The projects as a spreadsheet, partners and funding included, imported back as a trial
  // run: every row is found and nothing changes.
  const [projects] = await Promise.all([
    c.page.waitForEvent('download'),
    c.page.getByRole('button', { name: 'Exportera till Excel (XLSX)' }).click(),
  ]);
  assert.equal(projects.suggestedFilename(), 'projekt.xlsx');
  const pbook = new ExcelJS.Workbook();
  await pbook.xlsx.readFile(await projects.path());
  const pheaders = pbook.worksheets[0].getRow(1).values.slice(1);
  const tartu = [];
  pbook.worksheets[0].eachRow((r, n) => { if (n > 1) tartu.push(Object.fromEntries(pheaders.map((h, i) => [h, r.getCell(i + 1).value]))); });
  const school = tartu.find((r) => r.Titel === 'Skolutbyte med Tartu');
  assert.equal(school.Parter, 'Tartu linn (Estland, Kommun, Partner)');
  assert.match(school[pheaders.find((h) => h.startsWith('Extern finansiering'))], /^Erasmus\+ \(30000,00, Euro, 11200000, 336000,00, Ansökt, \)$/);
  await c.page.getByLabel('Fil (CSV eller XLSX)').setInputFiles(await projects.path());
  await c.page.getByRole('button', { name: 'Importera', exact: true }).click();
  await c.page.getByText(/Provkörningen gick igenom: 0 nya, 0 ändrade och \d+ oförändrade av \d+ rader/).waitFor();
  await c.page.getByRole('link', { name: 'Aktiviteter' }).click();
  await c.page.locator('#activities tbody tr', { hasText: 'Projektmöte i Tartu' }).waitFor();
  assert.deepEqual(c.errors, []);
  await c.context.close();
});

test('the project page works by keyboard: a new idea, the gate, the assessment, the next step', async () => {
  const { context, page, errors } = await open(REPORTER);
  const key = async (label, text) => {
    await label.focus();
    await page.keyboard.type(text);
  };
  await page.getByRole('heading', { name: 'Ny projektidé' }).waitFor();
  await key(page.getByLabel('Titel', { exact: true }), 'Tangentbordsprojektet');
  await key(page.getByLabel('Beskrivning', { exact: true }), 'Ett projekt som bara tangentbordet har rört.');
  await key(page.locator('#p-kind'), 'Verksamhet');
  await key(page.getByLabel(/hur bidrar projektet/), 'Kunskap för alla.');
  await key(page.getByLabel(/vilket bestående värde/), 'Ett nätverk.');
  await page.getByLabel('Egna medel (kr)').focus();
  await page.keyboard.press('Enter');
  await page.getByText('Projektidén är registrerad.').waitFor();
  await page.getByRole('heading', { level: 2, name: 'Tangentbordsprojektet' }).waitFor();

  // A closed select is moved with the arrow keys, as a keyboard user does: type-ahead letters
  // typed within a second of the last ones join them into one prefix (measured: "Pl", then
  // "P" at once, matches nothing), so a fast machine's next move would find no option.
  const move = async (status) => {
    const select = page.getByLabel('Ny status');
    await select.focus();
    await page.keyboard.press('Home');
    const count = await select.locator('option').count();
    for (let i = 0; i < count && (await select.inputValue()) !== status; i += 1) {
      await page.keyboard.press('ArrowDown');
    }
    assert.equal(await select.inputValue(), status);
    await page.getByRole('button', { name: 'Spara status' }).focus();
    await page.keyboard.press('Enter');
  };
  await move('planning');
  await page.getByText('Statusen är ändrad.').waitFor();
  await move('ongoing');
  await page.locator('#status-error').getByText(/registrera prövningen först/).waitFor();

  // The assessment: today's date is offered; a programme ticked with Space.
  assert.match(await page.getByLabel('Datum för prövningen').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
  await key(page.getByLabel('Vem prövade'), 'Anna Berg');
  await page.locator('#a-programmes').getByLabel('Nordplus').focus();
  await page.keyboard.press('Space');
  await key(page.getByLabel('Resultat', { exact: true }), 'Ingen l');
  await key(page.getByLabel('Motivering'), 'Ingen utlysning i år; egna medel.');
  await page.getByRole('button', { name: 'Registrera prövningen' }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('Prövningen är registrerad.').waitFor();
  // The project drawn again with its assessment: the gate gone, the moves without it.
  await page.locator('#assessments', { hasText: 'Anna Berg' }).waitFor();
  await page.locator('#gate').waitFor({ state: 'hidden' });
  await move('ongoing');
  await page.getByText('Statusen är ändrad.').waitFor();
  assert.match(await page.locator('#project-path [aria-current="step"]').innerText(), /Pågående/);
  assert.deepEqual(errors.filter((e) => !/status of 409/.test(e)), []);
  await context.close();
});
