// Signing in and administration: an administrator signs in, creates a user and an API
// token (shown once), and signs out; bad input gets messages next to the fields; an
// expired session returns the user to sign-in and then back to where they were.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, assertAccessible, assertPageFits, launch, screenshot, watchForErrors } from './helpers.js';

const EMAIL = process.env.UTBLICK_ADMIN_EMAIL;
const PASSWORD = process.env.UTBLICK_ADMIN_PASSWORD;
assert.ok(EMAIL && PASSWORD, 'UTBLICK_ADMIN_EMAIL and UTBLICK_ADMIN_PASSWORD name an administrator');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function signIn(page, next = '') {
  await page.goto(`${BASE}/login.html${next}`);
  await page.getByLabel('E-postadress').fill(EMAIL);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
}

test('a wrong password gets a clear message and the sign-in page is accessible', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await page.goto(`${BASE}/login.html`);
  await assertAccessible(page, 'sign-in page');
  await page.getByLabel('E-postadress').fill(EMAIL);
  await page.getByLabel('Lösenord').fill('fel lösenord här');
  await page.getByRole('button', { name: 'Logga in' }).click();
  const alert = page.locator('#form-error');
  await alert.waitFor();
  assert.match(await alert.innerText(), /E-postadressen eller lösenordet är fel/);
  await screenshot(page, 'login-wrong-password');
  await context.close();
});

test('an administrator signs in, creates a user and an API token, and signs out', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page);
  await page.waitForURL(`${BASE}/`);
  await page.locator('#signed-in-as').waitFor();
  assert.equal(await page.locator('#signed-in-as').innerText(), 'Test admin');

  await page.getByRole('link', { name: 'Användare' }).click();
  await page.waitForURL(/users\.html/);
  await page.locator('#users tbody tr').first().waitFor();
  await assertAccessible(page, 'users page');

  // Bad input first: the message sits next to the field.
  await page.getByLabel('E-post', { exact: true }).fill('inte en adress');
  await page.getByLabel('Namn', { exact: true }).fill('Sara Lind');
  await page.getByLabel('Första lösenord').fill('ett långt lösenord här');
  await page.getByRole('button', { name: 'Skapa användare' }).click();
  await page.locator('#new-email-error').waitFor();
  assert.match(await page.locator('#new-email-error').innerText(), /e-postadress/);
  assert.equal(await page.getByLabel('E-post', { exact: true }).getAttribute('aria-invalid'), 'true');

  await page.getByLabel('E-post', { exact: true }).fill('sara.lind@tranas.se');
  await page.getByLabel('Roll', { exact: true }).selectOption('reporter');
  await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Barn- och utbildningsförvaltningen' });
  await page.getByLabel('Första lösenord').fill('ett långt lösenord här');
  await page.getByRole('button', { name: 'Skapa användare' }).click();
  await page.getByText('Användaren sara.lind@tranas.se är skapad.').waitFor();
  const row = page.locator('#users tbody tr', { hasText: 'sara.lind@tranas.se' });
  await row.waitFor();
  // The role is shown, and changed, in its own column.
  const roleOf = row.getByLabel('Roll: Sara Lind');
  assert.equal(await roleOf.inputValue(), 'reporter');
  assert.match(await row.innerText(), /Barn- och utbildningsförvaltningen/);
  await screenshot(page, 'users');

  // A change of role asks first: dismissed, nothing changes; accepted, it is saved.
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await roleOf.selectOption('reader');
  assert.match(asked, /Ändra rollen för Sara Lind till Läsare/);
  assert.equal(await roleOf.inputValue(), 'reporter', 'a dismissed change is undone in the select');
  page.once('dialog', (d) => d.accept());
  await roleOf.selectOption('coordinator');
  await page.getByText('Ändringen är sparad.').waitFor();
  await page.reload();
  assert.equal(await page.getByLabel('Roll: Sara Lind').inputValue(), 'coordinator', 'the accepted role is stored');
  // The administrator's own row offers no role or deactivation: that is done by another.
  const own = page.locator('#users tbody tr', { hasText: 'Test admin' });
  assert.equal(await own.getByRole('combobox').count(), 0);

  await page.getByRole('link', { name: 'API-nycklar' }).click();
  await page.waitForURL(/tokens\.html/);
  await page.getByLabel('Vad nyckeln används till', { exact: true }).fill('Styrkort');
  await page.getByLabel(/Läsa styrtal/).check();
  await page.getByRole('button', { name: 'Skapa nyckel' }).click();
  await page.locator('#created').waitFor();
  const token = await page.locator('#created-token').innerText();
  assert.match(token, /^utb_[0-9a-f]{8}_[0-9a-f]{40}$/);
  const listed = page.locator('#tokens tbody tr', { hasText: 'Styrkort' });
  await listed.waitFor();
  assert.ok(!(await listed.innerText()).includes(token), 'the list never shows the secret');
  assert.match(await listed.innerText(), /Test admin/, 'who created it');
  assert.match(await listed.innerText(), /Giltig/);
  await assertAccessible(page, 'tokens page with a new token');
  await screenshot(page, 'tokens');

  // The token works against the API, as the styrkort system would use it.
  const res = await fetch(`${BASE}/api/v1/organisations`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);

  // The KPIs opened to anyone, and closed again.
  assert.equal((await fetch(`${BASE}/kolada/v3/kpi`)).status, 401);
  await page.getByLabel('Nyckeltalen är öppna för alla').check();
  await page.getByRole('button', { name: 'Spara', exact: true }).click();
  await page.getByText('Nyckeltalen är nu öppna för alla.').waitFor();
  assert.equal((await fetch(`${BASE}/kolada/v3/kpi`)).status, 200, 'read without a key');
  await page.reload();
  await page.locator('#feed-published:checked').waitFor();
  await page.getByLabel('Nyckeltalen är öppna för alla').uncheck();
  await page.getByRole('button', { name: 'Spara', exact: true }).click();
  await page.getByText(/Nyckeltalen läses nu bara av inloggade/).waitFor();
  assert.equal((await fetch(`${BASE}/kolada/v3/kpi`)).status, 401);

  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: 'Logga in' }).waitFor();
  assert.equal(await page.locator('#signed-in-as').count(), 0);
  // The deliberate bad input above answered 422; nothing else may have failed.
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
  await context.close();
});

test('the administrator\'s lists search, sort and export: accounts, API keys and the audit log', async () => {
  const context = await browser.newContext({ locale: 'sv-SE', acceptDownloads: true });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page);
  await page.locator('#signed-in-as').waitFor();

  // Accounts: searched, filtered by role, exported.
  await page.getByRole('link', { name: 'Användare' }).click();
  await page.locator('#users tbody tr').first().waitFor();
  await page.getByLabel('Sök e-post eller namn').fill('sara.lind');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('#users tbody tr').length === 1);
  assert.match(await page.locator('#users tbody tr').innerText(), /sara\.lind@tranas\.se/);
  const [users] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exportera som CSV' }).click()]);
  assert.equal(users.suggestedFilename(), 'anvandare.csv');

  // API keys: the valid ones.
  await page.getByRole('link', { name: 'API-nycklar' }).click();
  await page.locator('#tokens tbody tr').first().waitFor();
  await page.getByLabel('Status', { exact: true }).selectOption('revoked');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('#tokens tbody tr')].every((r) => /Återkallad/.test(r.innerText)));

  // The audit log: who changed what, searched and filtered by kind of record.
  await page.getByRole('link', { name: 'Loggar' }).click();
  await page.getByRole('heading', { level: 1, name: 'Granskningslogg' }).waitFor();
  await page.locator('#events tbody tr').first().waitFor();
  await page.getByLabel('Slag av post').selectOption({ label: 'Användare' });
  await page.getByLabel('Sök händelse, post eller vem').fill('user.created');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('#events tbody tr')];
    return rows.length > 0 && rows.every((r) => r.innerText.includes('user.created'));
  });
  assert.match(await page.locator('#events tbody tr').first().innerText(), /Användare \d+/);
  const [log] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exportera till Excel (XLSX)' }).click()]);
  assert.equal(log.suggestedFilename(), 'granskningslogg.xlsx');
  await assertAccessible(page, 'audit log');
  await screenshot(page, 'audit-log');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an ended session goes to sign-in, and back to the page afterwards', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await signIn(page);
  await page.waitForURL(`${BASE}/`);
  // (The start page has taken its own access token with the cookie.)
  await page.locator('#signed-in-as').waitFor();
  // The session ends behind the page's back: the browser no longer has the refresh cookie
  // (it expired with the session).
  await context.clearCookies();
  await page.goto(`${BASE}/users.html`);
  await page.waitForURL(/login\.html\?next=%2Fusers\.html/);
  await page.getByLabel('E-postadress').fill(EMAIL);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(/users\.html/);
  await page.locator('#users tbody tr').first().waitFor();
  await context.close();
});

test('the English sign-in page and the password page are accessible', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${BASE}/login.html?lang=en`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await assertAccessible(page, 'sign-in page (en)');
  await page.getByLabel('E-mail address').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: 'Change password' }).click();
  await page.getByRole('heading', { level: 1, name: 'Change password' }).waitFor();
  await page.getByLabel('Current password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('kort');
  await page.getByLabel('Repeat the new password').fill('kort');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.locator('#new_password-error').waitFor();
  assert.match(await page.locator('#new_password-error').innerText(), /at least 12 characters/);
  await assertAccessible(page, 'password page with an error');
  await screenshot(page, 'password-error');
  await context.close();
});

test('a decision is registered, corrected, archived (not deleted) and found again', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await signIn(page);
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: 'Beslut' }).click();
  await page.waitForURL(/decisions\.html/);
  await page.getByRole('heading', { level: 1, name: 'Beslut' }).waitFor();
  await assertAccessible(page, 'decisions page');

  await page.getByLabel('Beslutsorgan', { exact: true }).last().selectOption('council');
  await page.getByLabel('Datum', { exact: true }).fill('2026-11-26');
  // Three bad fields: three errors, each at its field, in Swedish (never the server's English).
  await page.getByLabel('Paragraf', { exact: true }).fill('tolv');
  await page.getByLabel('Diarienummer', { exact: true }).fill('tjugo');
  await page.getByLabel('Ärende', { exact: true }).fill('Ny vänort: Nowogard');
  await page.getByLabel('Länk till diariet (valfritt)').fill('ftp://diarium.tranas.se/112');
  await page.getByRole('button', { name: 'Spara beslut' }).click();
  await page.locator('#d-dnr-error').waitFor();
  assert.match(await page.locator('#d-paragraph-error').innerText(), /paragrafnummer/);
  assert.match(await page.locator('#d-dnr-error').innerText(), /är inget diarienummer/);
  assert.match(await page.locator('#d-link-error').innerText(), /webbadress som börjar med https/);
  for (const id of ['#d-paragraph-error', '#d-dnr-error', '#d-link-error']) {
    assert.doesNotMatch(await page.locator(id).innerText(), /must|is not/, `${id} is in Swedish`);
  }
  await page.getByLabel('Paragraf', { exact: true }).fill('§ 112');
  await page.getByLabel('Länk till diariet (valfritt)').fill('');

  await page.getByLabel('Diarienummer', { exact: true }).fill('KF 2026.58');
  await page.getByRole('button', { name: 'Spara beslut' }).click();
  await page.getByText('Beslutet är registrerat.').waitFor();
  const row = page.locator('#decisions tbody tr', { hasText: 'Nowogard' });
  await row.waitFor();
  assert.match(await row.innerText(), /KF 2026\.58/, 'shown exactly as registered');
  assert.match(await row.innerText(), /Kommunfullmäktige/);

  await row.getByRole('button', { name: /^Ändra/ }).click();
  await page.getByLabel('Ärende', { exact: true }).fill('Ny vänort: Nowogard, Polen');
  await page.getByRole('button', { name: 'Spara beslut' }).click();
  await page.locator('#decisions tbody tr', { hasText: 'Nowogard, Polen' }).waitFor();

  page.once('dialog', (d) => d.accept()); // archiving asks first
  await page.locator('#decisions tbody tr', { hasText: 'Nowogard, Polen' }).getByRole('button', { name: /^Arkivera/ }).click();
  await page.getByText('Beslutet är arkiverat.').waitFor();
  assert.equal(await page.locator('#decisions tbody tr', { hasText: 'Nowogard' }).count(), 0);
  await page.getByLabel('Visa', { exact: true }).selectOption('true');
  await page.getByRole('button', { name: 'Visa beslut' }).click();
  await page.locator('#decisions tbody tr', { hasText: 'Nowogard, Polen' }).waitFor();
  // Found by its number in any usual form: the normal form matches.
  await page.getByLabel('Sök i ärende och diarienummer').fill('KF 2026/58');
  await page.getByRole('button', { name: 'Visa beslut' }).click();
  await page.locator('#decisions tbody tr', { hasText: 'Nowogard, Polen' }).waitFor();
  await assertAccessible(page, 'decisions page with archived decisions');
  await screenshot(page, 'decisions');
  await context.close();
});

test('the security log shows failed sign-ins; every token of a person is revoked in one action', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  // A failed sign-in to look for (and a token to revoke).
  const failed = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'okand.person@tranas.se', password: 'fel lösenord här' }),
  });
  assert.equal(failed.status, 401);
  await signIn(page);
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: 'Loggar' }).click();
  await page.getByRole('link', { name: 'Säkerhetslogg' }).click();
  await page.waitForURL(/security\.html/);
  const row = page.locator('#events tbody tr', { hasText: 'okand.person@tranas.se' });
  await row.waitFor();
  assert.match(await row.innerText(), /Misslyckad inloggning/);
  assert.match(await row.innerText(), /Okänt konto/);
  await page.getByLabel('Händelse', { exact: true }).selectOption('login.throttled');
  await page.getByRole('button', { name: 'Visa händelser' }).click();
  await page.locator('#events tbody tr', { hasText: 'okand.person@tranas.se' }).waitFor({ state: 'detached' });
  await assertAccessible(page, 'security log');
  await screenshot(page, 'security-log');

  await page.getByRole('link', { name: 'API-nycklar' }).click();
  await page.waitForURL(/tokens\.html/);
  await page.getByLabel('Vad nyckeln används till', { exact: true }).fill('IT-skript');
  await page.getByRole('button', { name: 'Skapa nyckel' }).click();
  await page.locator('#tokens tbody tr', { hasText: 'IT-skript' }).waitFor();
  await page.getByRole('link', { name: 'Användare' }).click();
  await page.waitForURL(/users\.html/);
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Återkalla API-nycklar: Test admin' }).click();
  await page.getByText(/API-nycklar som Test admin skapat är återkallade/).waitFor();
  await page.getByRole('link', { name: 'API-nycklar' }).click();
  await page.waitForURL(/tokens\.html/);
  const revoked = page.locator('#tokens tbody tr', { hasText: 'IT-skript' });
  await revoked.waitFor();
  assert.match(await revoked.innerText(), /Återkallad/);
  assert.equal(await revoked.getByRole('button').count(), 0, 'nothing left to revoke');
  // The administrator's pages fit a phone too.
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ['/users.html', '/tokens.html', '/security.html']) {
    await page.goto(`${BASE}${path}`);
    await page.locator('#main h1').waitFor();
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 320 px`);
    await assertAccessible(page, `${path} at 320 px`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the administrator’s pages and the sign-in page fit 1280 px and 375 px, and are photographed at both', async () => {
  for (const width of [1280, 375]) {
    const context = await browser.newContext({ locale: 'sv-SE', viewport: { width, height: 900 } });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${BASE}/login.html`);
    await page.locator('#main h1').waitFor();
    await screenshot(page, `page-login-${width}px`);
    await signIn(page);
    await page.locator('#signed-in-as').waitFor();
    const pages = ['/users.html', '/tokens.html', '/audit.html', '/security.html', '/password.html', '/programme-edit.html?id=1'];
    for (const path of pages) {
      await assertPageFits(page, path, width);
      await assertAccessible(page, `${path} at ${width} px`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
