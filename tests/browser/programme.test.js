// The programme's life in the browser: a coordinator creates a new version from the seed
// programme, edits a priority area, adopts it with the executive board's decision, and
// the old version shows as superseded.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, assertAccessible, launch, screenshot, signIn, watchForErrors } from './helpers.js';

const EMAIL = process.env.UTBLICK_COORDINATOR_EMAIL;
const PASSWORD = process.env.UTBLICK_COORDINATOR_PASSWORD;
assert.ok(EMAIL && PASSWORD, 'UTBLICK_COORDINATOR_EMAIL and UTBLICK_COORDINATOR_PASSWORD name a coordinator');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('a coordinator makes a new version, edits a priority area, adopts it, and the old one is superseded', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, EMAIL, PASSWORD);
  await page.getByRole('heading', { level: 1, name: 'Internationellt arbete' }).waitFor();

  await page.getByRole('button', { name: 'Skapa ny version' }).click();
  await page.waitForURL(/programme-edit\.html\?id=\d+/);
  await page.getByLabel('Rubrik för område 2').waitFor();
  await assertAccessible(page, 'draft editing page');
  assert.equal(await page.getByLabel('Rubrik för område 2').inputValue(), 'Goda och kreativa livsmiljöer');

  // A blank title is named next to its field.
  await page.getByLabel('Rubrik för område 2').fill('');
  await page.getByRole('button', { name: 'Spara utkastet' }).click();
  const fieldError = page.locator('[id="area-2-title-error"]');
  await fieldError.waitFor();
  assert.match(await fieldError.innerText(), /får inte vara tomt/);

  await page.getByLabel('Rubrik för område 2').fill('Goda, kreativa och trygga livsmiljöer');
  await page.getByRole('button', { name: 'Spara utkastet' }).click();
  await page.getByText('Utkastet är sparat.').waitFor();
  // An edit not yet saved when the draft is adopted is saved first, never dropped.
  await page.getByLabel('Rubrik för område 3').fill('Hållbar och klimatsmart samhällsplanering');

  // Adopting needs the board's decision; a bad registry number is named.
  await page.getByLabel('Datum').fill('2026-11-26');
  await page.getByLabel('Paragraf').fill('§ 203');
  await page.getByLabel('Diarienummer', { exact: true }).last().fill('tjugo');
  await page.getByLabel('Ärende').fill('Revidering av programmet Internationellt arbete');
  await page.getByRole('button', { name: 'Anta programmet' }).click();
  await page.locator('[id="a-dnr-error"]').waitFor();
  await page.getByLabel('Diarienummer', { exact: true }).last().fill('KS 2026/140');
  await page.getByRole('button', { name: 'Anta programmet' }).click();

  await page.waitForURL(/\/\?id=\d+/);
  await page.getByRole('heading', { level: 2, name: 'Dokumentfakta' }).waitFor();
  assert.match(await page.locator('#facts').innerText(), /Antagen/);
  assert.match(await page.locator('#priority-areas').innerText(), /Goda, kreativa och trygga livsmiljöer/);
  assert.match(await page.locator('#priority-areas').innerText(), /Hållbar och klimatsmart samhällsplanering/);
  const rows = await page.locator('#versions tbody tr').allInnerTexts();
  assert.equal(rows.length, 2);
  assert.match(rows[0], /2\s+Antagen/);
  assert.match(rows[1], /1\s+Ersatt/);
  await screenshot(page, 'programme-adopted');

  // The old version is still there, unchanged, marked superseded.
  await page.locator('#versions tbody tr').nth(1).getByRole('link').click();
  await page.waitForURL(/\/\?id=\d+/);
  await page.locator('#facts').getByText('Ersatt').waitFor();
  assert.match(await page.locator('#priority-areas').innerText(), /Goda och kreativa livsmiljöer/);
  await assertAccessible(page, 'superseded version');
  await screenshot(page, 'programme-superseded');
  // A superseded version offers no form, even at its editing address.
  const oldId = new URL(page.url()).searchParams.get('id');
  await page.goto(`${BASE}/programme-edit.html?id=${oldId}`);
  await page.getByText('Den här versionen är inte ett utkast och kan inte ändras.').waitFor();
  assert.equal(await page.locator('form:visible').count(), 0, 'no visible form on a superseded version');
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
  await context.close();
});

test('a coordinator adds a twin town and activates it with the council decision', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await signIn(page, EMAIL, PASSWORD);

  // The council's decision goes into the register first.
  await page.getByRole('link', { name: 'Beslut' }).click();
  await page.waitForURL(/decisions\.html/);
  await page.getByLabel('Beslutsorgan', { exact: true }).last().selectOption('council');
  await page.getByLabel('Datum', { exact: true }).fill('2026-10-19');
  await page.getByLabel('Paragraf', { exact: true }).fill('§ 88');
  await page.getByLabel('Diarienummer', { exact: true }).fill('KF 2026/41');
  await page.getByLabel('Ärende', { exact: true }).fill('Vänort: Nowogard');
  await page.getByRole('button', { name: 'Spara beslut' }).click();
  await page.getByText('Beslutet är registrerat.').waitFor();

  await page.getByRole('link', { name: 'Vänorter' }).click();
  await page.waitForURL(/twin-towns\.html/);
  await assertAccessible(page, 'twin towns page');
  await page.getByLabel('Ort', { exact: true }).fill('Nowogard');
  await page.getByLabel('Land (landskod, t.ex. PL)').fill('Polen');
  await page.getByRole('button', { name: 'Föreslå vänort' }).click();
  await page.locator('[id="t-country-error"]').waitFor();
  assert.match(await page.locator('[id="t-country-error"]').innerText(), /ISO 3166-1/);
  await page.getByLabel('Land (landskod, t.ex. PL)').fill('PL');
  await page.getByRole('button', { name: 'Föreslå vänort' }).click();
  const row = page.locator('#twins tbody tr', { hasText: 'Nowogard' });
  await row.waitFor();
  assert.match(await row.innerText(), /Föreslagen/);

  // Without the council's decision it cannot become active.
  await row.getByRole('button', { name: /Ändra status/ }).click();
  await page.getByLabel('Ny status').selectOption('active');
  await page.getByRole('button', { name: 'Spara status' }).click();
  await page.locator('#status-error').waitFor();
  assert.match(await page.locator('#status-error').innerText(), /kräver ett beslut av kommunfullmäktige/);
  await assertAccessible(page, 'twin towns page with an error');

  await page.getByLabel('Fullmäktiges beslut').selectOption({ label: '2026-10-19 § 88 KF 2026/41: Vänort: Nowogard' });
  await page.getByRole('button', { name: 'Spara status' }).click();
  await page.getByText('Statusen är ändrad.').waitFor();
  const active = page.locator('#twins tbody tr', { hasText: 'Nowogard' }).filter({ hasText: 'Aktiv' });
  await active.waitFor();
  assert.match(await active.innerText(), /Aktiv/);
  assert.match(await active.innerText(), /2026-10-19/, 'twinned since the decision');
  await screenshot(page, 'twin-towns');
  await context.close();
});

test('a coordinator records a network membership with its partner', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await signIn(page, EMAIL, PASSWORD);
  await page.getByRole('link', { name: 'Samarbeten' }).click();
  await page.waitForURL(/collaborations\.html/);
  const form = page.locator('#collab-form');
  await form.getByLabel('Slag', { exact: true }).selectOption('network_membership');
  await form.getByLabel('Namn', { exact: true }).fill('Eurocities');
  await form.getByLabel('Syfte').fill('Omvärldsbevakning bland europeiska städer');
  await form.getByLabel('Partnerns namn').fill('Eurocities');
  await form.getByLabel('Land (landskod, t.ex. PL)').fill('XX');
  await form.getByLabel('Slag av partner').selectOption('network');
  await page.getByRole('button', { name: 'Spara samarbete' }).click();
  await page.locator('[id="k-p0-country-error"]').waitFor();
  await page.getByLabel('Land (landskod, t.ex. PL)').fill('BE');
  await page.getByRole('button', { name: 'Spara samarbete' }).click();
  const row = page.locator('#collabs tbody tr', { hasText: 'Eurocities' });
  await row.waitFor();
  assert.match(await row.innerText(), /Nätverksmedlemskap/);
  assert.match(await row.innerText(), /Eurocities \(BE\)/);
  assert.match(await row.innerText(), /Föreslaget/);
  await assertAccessible(page, 'collaborations page');
  await screenshot(page, 'collaborations');
  await context.close();
});

test('a coordinator registers a department under its administration', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await signIn(page, EMAIL, PASSWORD);
  await page.getByRole('link', { name: 'Organisationer' }).click();
  await page.waitForURL(/organisations\.html/);
  await page.getByLabel('Namn', { exact: true }).fill('Grundskolan');
  await page.getByLabel('Hör till (för en avdelning)').selectOption({ label: 'Barn- och utbildningsförvaltningen' });
  await page.getByLabel('Id i styrkortssystemet (valfritt)').fill('ogiltigt id!');
  await page.getByRole('button', { name: 'Spara organisation' }).click();
  await page.locator('[id="o-external-error"]').waitFor();
  await page.getByLabel('Id i styrkortssystemet (valfritt)').fill('FV-BUF-GR');
  await page.getByRole('button', { name: 'Spara organisation' }).click();
  const nested = page.locator('#tree li li', { hasText: 'Grundskolan' });
  await nested.waitFor();
  assert.match(await nested.innerText(), /FV-BUF-GR/);
  await assertAccessible(page, 'organisations page');
  await screenshot(page, 'organisations');
  await context.close();
});
