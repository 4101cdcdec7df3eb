// The annual report in the browser: a coordinator opens 2026; a reporter opens the
// organisation's report, sees the figures summed from its activities, corrects one with a
// reason (a correction without one is refused beside its field) and hands the report in; a handed-in report cannot be edited; the
// coordinator returns it with a comment, which the reporter reads.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertAccessible, launch, screenshot, signIn, watchForErrors } from './helpers.js';

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
  await assertAccessible(r.page, 'report, reporter');
  await r.page.getByLabel('Ny status').selectOption('submitted');
  await r.page.getByRole('button', { name: 'Spara status' }).click();
  await r.page.getByText('Statusen är ändrad.').waitFor();
  await r.page.getByText(/Version 1, inlämnad/).waitFor();
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
