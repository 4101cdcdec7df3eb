// The governance lists in the browser: goal frameworks added and linked to a draft;
// twin towns and collaborations corrected, archived and restored; search and the CSV
// export; and every signed-in page readable at 320 px with its menu folded.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, apiAs, assertAccessible, assertPageFits, launch, screenshot, signIn as signInAs, watchForErrors } from './helpers.js';

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

async function signIn(options = {}) {
  const context = await browser.newContext({ locale: 'sv-SE', acceptDownloads: true, ...options });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signInAs(page, EMAIL, PASSWORD);
  return { context, page, errors };
}

test('a scorecard pushed by the styrkort system shows its goals, KPI targets and removed goals', async () => {
  const api = await apiAs(EMAIL, PASSWORD);
  const card = (goals) => ({ name: 'Kommunstyrelsens styrkort 2026', owner: 'Kommunstyrelsen', goals });
  const ks1 = { external_id: 'KS-1', title: 'Fler internationella projekt', kpi: 'UTB0006', targets: [{ year: 2026, value: 4 }] };
  await api('PUT', '/scorecards/KS-2026', card([ks1, { external_id: 'KS-2', title: 'Fler studiebesök' }]));
  const pushed = await api('PUT', '/scorecards/KS-2026', card([ks1]));
  assert.deepEqual(pushed.goals.map((g) => g.outcome), ['unchanged', 'archived']);

  const { context, page, errors } = await signIn();
  await page.goto(`${BASE}/frameworks.html`);
  const row = page.locator('#frameworks-table tbody tr', { hasText: 'Kommunstyrelsens styrkort 2026' });
  await row.waitFor();
  assert.match(await row.innerText(), /\(styrkort\)/);
  await row.getByRole('button', { name: /Visa mål/ }).click();
  await page.getByRole('heading', { name: 'Målen i Kommunstyrelsens styrkort 2026' }).waitFor();
  const goals = page.locator('#goals li');
  assert.equal(await goals.count(), 2);
  const first = await goals.nth(0).innerText();
  assert.match(first, /Id i styrkortssystemet: KS-1/);
  assert.match(first, /Följs upp med nyckeltal UTB0006/);
  assert.match(first, /Målvärden 2026: 4/);
  assert.match(await goals.nth(1).innerText(), /Borttaget ur styrkortet \d{4}-\d{2}-\d{2}/);
  await assertAccessible(page, 'a scorecard with its goals');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a coordinator adds a goal framework and links a draft programme to it', async () => {
  const { context, page, errors } = await signIn();
  await page.getByRole('link', { name: 'Ramverk' }).click();
  await page.waitForURL(/frameworks\.html/);
  await page.getByRole('heading', { level: 1, name: 'Mål och ramverk' }).waitFor();
  await assertAccessible(page, 'frameworks page');

  await page.getByLabel('Namn', { exact: true }).fill('Agenda 2030');
  await page.getByLabel('Kod (för integrationer, t.ex. agenda-2030)').fill('Agenda 2030');
  await page.getByLabel('Ägare (vem som antog ramverket)').fill('Förenta nationerna');
  await page.getByLabel('Antaget år (valfritt)').fill('2015');
  await page.getByLabel('Mål, ett per rad').fill('Ingen fattigdom\nIngen hunger\nGod hälsa och välbefinnande');
  await page.getByRole('button', { name: 'Spara ramverket' }).click();
  await page.locator('[id="f-code-error"]').waitFor();
  await page.getByLabel('Kod (för integrationer, t.ex. agenda-2030)').fill('agenda-2030');
  await page.getByRole('button', { name: 'Spara ramverket' }).click();
  const row = page.locator('#frameworks-table tbody tr', { hasText: 'Agenda 2030' });
  await row.waitFor();
  assert.match(await row.innerText(), /Förenta nationerna/);
  await row.getByRole('button', { name: /Visa mål/ }).click();
  await page.getByRole('heading', { name: 'Målen i Agenda 2030' }).waitFor();
  assert.equal(await page.locator('#goals li').count(), 3);
  assert.match(await page.locator('#goals li').nth(2).innerText(), /God hälsa/);
  await assertAccessible(page, 'frameworks page with goals');
  await screenshot(page, 'frameworks');

  // A new draft of the programme links to the new framework.
  await page.getByRole('link', { name: 'Programmet' }).click();
  await page.getByRole('button', { name: 'Skapa ny version' }).click();
  await page.waitForURL(/programme-edit\.html\?id=\d+/);
  await page.getByLabel('Ramverk', { exact: true }).selectOption({ label: 'Agenda 2030 (Förenta nationerna)' });
  await page.getByRole('button', { name: 'Koppla ramverket' }).click();
  await page.locator('[id="f-relation-error"]').waitFor();
  await page.getByLabel('Hur programmet förhåller sig till ramverket').fill('Programmets områden bidrar till målen 3 och 4.');
  await page.getByRole('button', { name: 'Koppla ramverket' }).click();
  await page.getByText('Utkastet är kopplat till ramverket.').waitFor();
  await page.locator('#linked li', { hasText: 'Agenda 2030: Programmets områden bidrar' }).waitFor();
  await assertAccessible(page, 'draft with a linked framework');
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
  await context.close();
});

test('a coordinator registers a new governing document as a draft', async () => {
  const { context, page, errors } = await signIn();
  await page.getByRole('link', { name: 'Registrera ett nytt styrdokument' }).click();
  await page.waitForURL(/programme-new\.html/);
  await assertAccessible(page, 'new document page');
  await page.getByLabel('Titel').fill('Program för EU-samordning');
  await page.getByLabel('Dokument-id').fill('0612');
  await page.getByLabel('Diarienummer').fill('tjugo');
  await page.getByLabel('Ansvarig förvaltning').fill('Kommunledningsförvaltningen');
  await page.getByLabel('Ansvarig avdelning').fill('Utvecklingsavdelningen');
  await page.getByLabel('Syfte och mål').fill('Samordna kommunens arbete med EU-frågor.');
  await page.getByLabel('Bakgrund').fill('Fler EU-program berör kommunen.');
  await page.getByRole('button', { name: 'Registrera utkastet' }).click();
  await page.locator('[id="n-dnr-error"]').waitFor();
  await page.getByLabel('Diarienummer').fill('KS 2026/150');
  await page.getByRole('button', { name: 'Registrera utkastet' }).click();
  await page.waitForURL(/programme-edit\.html\?id=\d+/);
  await page.getByRole('button', { name: 'Lägg till ett område' }).click();
  await page.getByLabel('Rubrik för område 1').fill('EU-finansiering');
  await page.getByLabel('Beskrivning av område 1').fill('Extern medfinansiering prövas före varje nytt projekt.');
  await page.getByRole('button', { name: 'Spara utkastet' }).click();
  await page.getByText('Utkastet är sparat.').waitFor();
  await page.getByRole('link', { name: 'Visa versionen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Program för EU-samordning' }).waitFor();
  assert.match(await page.locator('#versions').innerText(), /Internationellt arbete/, 'both documents are listed');
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
  await context.close();
});

test('twin towns and collaborations are searched, corrected, archived, restored and exported', async () => {
  const { context, page, errors } = await signIn();
  await page.getByRole('link', { name: 'Vänorter' }).click();
  await page.waitForURL(/twin-towns\.html/);
  for (const [town, country] of [['Nowogard', 'PL'], ['Ærøskøbing', 'DK']]) {
    await page.getByLabel('Ort', { exact: true }).fill(town);
    await page.getByLabel('Land (landskod, t.ex. PL)').fill(country);
    await page.getByRole('button', { name: 'Föreslå vänort' }).click();
    await page.locator('#twins tbody tr', { hasText: town }).waitFor();
  }

  // Corrected: the region is added.
  await page.locator('#twins tbody tr', { hasText: 'Nowogard' }).getByRole('button', { name: /^Ändra: / }).click();
  await page.getByRole('heading', { name: 'Ändra vänort' }).waitFor();
  await page.getByLabel('Region (valfritt)').fill('Västpommern');
  await page.getByRole('button', { name: 'Spara vänort' }).click();
  await page.locator('#twins tbody tr', { hasText: 'Västpommern' }).waitFor();

  // Searched, ignoring case.
  await page.getByLabel('Sök ort, region eller land').fill('ÆRØ');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.locator('#twins tbody tr', { hasText: 'Nowogard' }).waitFor({ state: 'detached' });
  assert.equal(await page.locator('#twins tbody tr').count(), 1);
  assert.match(await page.locator('#pager').innerText(), /Visar 1–1 av 1/);

  // Exported as the list shows it: a CSV file Excel opens.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Exportera som CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'vanorter.csv');
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const csv = Buffer.concat(chunks);
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 BOM');
  const lines = csv.toString('utf8').trim().split('\r\n');
  assert.equal(lines.length, 2, 'the header and the one town searched for');
  // Asked for from a Swedish page: a file for people, Swedish headers and names.
  assert.equal(lines[0], 'Id;Ort;Land;Region;Sedan;Status;Beslut om status;Arkiverad');
  assert.match(lines[1], /Ærøskøbing;Danmark;/);

  // Archived, not deleted: gone from the list, back with Visa: Arkiverade, restored.
  await page.getByLabel('Sök ort, region eller land').fill('');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  page.once('dialog', (d) => d.accept()); // archiving asks first
  await page.locator('#twins tbody tr', { hasText: 'Nowogard' }).getByRole('button', { name: /^Arkivera/ }).click();
  await page.locator('#twins tbody tr', { hasText: 'Nowogard' }).waitFor({ state: 'detached' });
  await page.getByLabel('Visa', { exact: true }).selectOption('true');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  const archived = page.locator('#twins tbody tr', { hasText: 'Nowogard' });
  await archived.waitFor();
  await archived.getByRole('button', { name: /^Återställ/ }).click();
  await page.getByText('Posten är återställd ur arkivet.').waitFor();
  await assertAccessible(page, 'twin towns page with filters');
  await screenshot(page, 'twin-towns-archive');

  // A network membership gets its representative and a second partner; then archived.
  await page.getByRole('link', { name: 'Samarbeten' }).click();
  await page.waitForURL(/collaborations\.html/);
  const form = page.locator('#collab-form');
  await form.getByLabel('Slag', { exact: true }).selectOption('network_membership');
  await form.getByLabel('Namn', { exact: true }).fill('Eurocities');
  await form.getByLabel('Syfte').fill('Omvärldsbevakning bland europeiska städer');
  await form.getByLabel('Partnerns namn').fill('Eurocities');
  await form.getByLabel('Land (landskod, t.ex. PL)').fill('BE');
  await form.getByLabel('Slag av partner').selectOption('network');
  await page.getByRole('button', { name: 'Spara samarbete' }).click();
  const row = page.locator('#collabs tbody tr', { hasText: 'Eurocities' });
  await row.waitFor();
  await row.getByRole('button', { name: /^Ändra: / }).click();
  await page.getByRole('heading', { name: 'Ändra samarbete' }).waitFor();
  await form.getByLabel('Representant').selectOption({ label: 'Bo Ek (Tranås Energi AB)' });
  await page.getByRole('button', { name: 'Lägg till partner' }).click();
  await form.getByLabel('Partnerns namn').nth(1).fill('Ærø kommune');
  await form.getByLabel('Land (landskod, t.ex. PL)').nth(1).fill('XX');
  await page.getByRole('button', { name: 'Spara samarbete' }).click();
  await page.locator('[id="k-p1-country-error"]').waitFor();
  await form.getByLabel('Land (landskod, t.ex. PL)').nth(1).fill('DK');
  await page.getByRole('button', { name: 'Spara samarbete' }).click();
  const edited = page.locator('#collabs tbody tr', { hasText: 'Ærø kommune (DK)' });
  await edited.waitFor();
  assert.match(await edited.innerText(), /Eurocities \(BE\), Ærø kommune \(DK\)/);
  assert.match(await edited.innerText(), /Bo Ek/);

  await page.getByLabel('Sök namn, syfte eller partner').fill('ærø');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.locator('#pager', { hasText: 'Visar 1–1 av 1' }).waitFor();
  page.once('dialog', (d) => d.accept()); // archiving asks first
  await edited.getByRole('button', { name: /^Arkivera/ }).click();
  await page.getByText('Posten är arkiverad.', { exact: false }).waitFor();
  assert.equal(await page.locator('#collabs tbody tr').count(), 0);
  await assertAccessible(page, 'collaborations page after archiving');
  await screenshot(page, 'collaborations-edited');
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
  await context.close();
});

test('every signed-in page is readable at 320 px, with the menu behind a button', async () => {
  const { context, page, errors } = await signIn({ viewport: { width: 320, height: 640 } });
  const pages = ['/', '/programme-new.html', '/decisions.html', '/twin-towns.html', '/collaborations.html', '/projects.html', '/activities.html', '/leads.html', '/reports.html', '/compilation.html', '/contacts.html', '/organisations.html', '/frameworks.html'];
  for (const path of pages) {
    await page.goto(`${BASE}${path}`);
    await page.locator('#main h1').waitFor();
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 320 px`);
    const menu = page.getByRole('button', { name: 'Meny' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.getByRole('link', { name: 'Beslut' }).isVisible(), false, `${path}: the menu is folded`);
    await assertAccessible(page, `${path} at 320 px`);
  }
  await page.getByRole('button', { name: 'Meny' }).click();
  assert.equal(await page.getByRole('button', { name: 'Meny' }).getAttribute('aria-expanded'), 'true');
  await page.getByRole('link', { name: 'Vänorter' }).click();
  await page.waitForURL(/twin-towns\.html/);
  await screenshot(page, 'twin-towns-320px');
  assert.deepEqual(errors, []);
  await context.close();
});

test('no list overflows at 1280 px or 375 px, and every page is photographed at both widths', async () => {
  // Rows with long words, the widest each list gets in real use.
  const api = await apiAs(EMAIL, PASSWORD);
  const orgs = await api('GET', '/organisations?per_page=100');
  const owner = orgs.items.find((o) => o.can.add_work).id;
  await api('POST', '/decisions', { body: 'council', decided_on: '2026-10-01', paragraph: '§ 201', diarienummer: 'KF 2026/201',
    subject: 'Internationaliseringsstrategiuppföljningsrapport för vänortssamarbetet med Kommunförbundsregionen', link: 'https://diarium.tranas.se/arende/2026-201/protokollsutdrag-med-bilagor' });
  await api('POST', '/twin-towns', { town: 'Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch', country: 'GB', region: 'Anglesey' });
  await api('POST', '/collaborations', { kind: 'network_membership', name: 'Nätverket för hållbara och klimatneutrala småstäder i Östersjöregionen',
    owner_organisation_id: owner, purpose: 'Erfarenhetsutbyte.', partners: [
      { name: 'Union of the Baltic Cities Sustainable Cities Commission', country: 'FI', kind: 'network' },
      { name: 'Stadtverwaltung Klimaschutzkoordinierungsstelle', country: 'DE', kind: 'municipality' }] });
  await api('POST', '/contacts', { organisation_id: owner, name: 'Anna-Karin Mikaelsson-Östberg', email: 'anna-karin.mikaelsson-ostberg@internationellasamordningen.tranas.se', phone: '+46 140 681 00', network_role: 'Kontaktperson för Östersjönätverket' });

  const pages = ['/', '/decisions.html', '/twin-towns.html', '/collaborations.html', '/contacts.html', '/organisations.html', '/frameworks.html', '/programme-new.html', '/compilation.html', '/tillganglighet.html', '/personuppgifter.html'];
  for (const width of [1280, 375]) {
    const { context, page, errors } = await signIn({ viewport: { width, height: 900 } });
    for (const path of pages) await assertPageFits(page, path, width);
    await assertAccessible(page, `pages at ${width} px`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('the lists work by keyboard: the folded menu, a form, search with Enter, a row action with Space', async () => {
  const { context, page, errors } = await signIn({ viewport: { width: 320, height: 640 } });
  await page.goto(`${BASE}/twin-towns.html`);
  await page.getByRole('heading', { level: 1, name: 'Vänorter' }).waitFor();
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
  const order = [];
  for (let i = 0; i < 3; i += 1) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  assert.deepEqual(order, ['Hoppa till innehållet', '◎ Utblick', 'Meny']);
  await page.keyboard.press('Enter');
  assert.equal(await page.getByRole('button', { name: 'Meny' }).getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'Programmet', 'the unfolded menu comes next');

  // The proposal form: typed, tabbed, sent with Enter.
  await page.getByLabel('Ort', { exact: true }).focus();
  await page.keyboard.type('Kaunas');
  await page.keyboard.press('Tab');
  await page.keyboard.type('LT');
  await page.keyboard.press('Enter');
  await page.locator('#twins tbody tr', { hasText: 'Kaunas' }).waitFor();

  // Search: Enter in the search box applies it.
  await page.getByLabel('Sök ort, region eller land').focus();
  await page.keyboard.type('KAUN');
  await page.keyboard.press('Enter');
  await page.locator('#pager', { hasText: 'Visar 1–1 av 1' }).waitFor();

  // A row's action by keyboard.
  page.once('dialog', (d) => d.accept()); // archiving asks first
  await page.getByRole('button', { name: 'Arkivera: Kaunas' }).focus();
  await page.keyboard.press('Space');
  await page.getByText('Posten är arkiverad.', { exact: false }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
