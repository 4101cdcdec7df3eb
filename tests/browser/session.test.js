// The session in the browser: a sign-in spans the browser's tabs, no script-readable storage
// holds the refresh token, a sign-out in one tab ends the others, and the page to return to
// after sign-in is always on this site.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, launch, watchForErrors } from './helpers.js';

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

async function signIn(page, query = '') {
  await page.goto(`${BASE}/login.html${query}`);
  await page.getByLabel('E-postadress').fill(EMAIL);
  await page.getByLabel('Lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
}

/** Everything scripts of the page can read: document.cookie, localStorage, sessionStorage. */
function readableStorage(page) {
  return page.evaluate(() => {
    const dump = (s) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i), s.getItem(s.key(i))]));
    return JSON.stringify({ cookie: document.cookie, local: dump(localStorage), session: dump(sessionStorage) });
  });
}

test('a sign-in in one tab is valid in a second tab, and no script can read the refresh token', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const first = await context.newPage();
  const errors = watchForErrors(first);
  await signIn(first);
  await first.waitForURL(`${BASE}/`);
  await first.locator('#signed-in-as').waitFor();

  const cookies = await context.cookies();
  const refresh = cookies.find((c) => c.name === 'utblick_refresh');
  assert.ok(refresh, 'the browser keeps the refresh token as a cookie');
  assert.equal(refresh.httpOnly, true);
  assert.equal(refresh.sameSite, 'Strict');
  assert.equal(refresh.path, '/api/v1/auth/refresh');
  assert.ok(refresh.value.length >= 32);
  const readable = await readableStorage(first);
  assert.ok(!readable.includes(refresh.value), `scripts can read the refresh token: ${readable}`);
  assert.ok(!/access_token|refresh_token/.test(readable), `no token in script-readable storage: ${readable}`);

  // A second tab of the same browser is signed in too, and so is a third opened at once.
  const second = await context.newPage();
  const third = await context.newPage();
  await Promise.all([second.goto(`${BASE}/users.html`), third.goto(`${BASE}/decisions.html`)]);
  await second.locator('#users tbody tr').first().waitFor();
  assert.equal(await second.locator('#signed-in-as').innerText(), await first.locator('#signed-in-as').innerText());
  await third.locator('#signed-in-as').waitFor();
  assert.equal(new URL(second.url()).pathname, '/users.html', 'not sent to sign in');
  assert.equal(new URL(third.url()).pathname, '/decisions.html', 'not sent to sign in');
  // The first tab still works after the others took new tokens.
  await first.goto(`${BASE}/tokens.html`);
  await first.locator('#signed-in-as').waitFor();
  assert.equal(new URL(first.url()).pathname, '/tokens.html');

  // Signing out in one tab ends the sign-in everywhere.
  await second.getByRole('button', { name: 'Logga ut' }).click();
  await second.waitForURL(`${BASE}/`);
  await third.goto(`${BASE}/users.html`);
  await third.waitForURL(/login\.html\?next=%2Fusers\.html/);
  assert.ok(!(await context.cookies()).some((c) => c.name === 'utblick_refresh'), 'the cookie is gone');
  assert.deepEqual(errors, []);
  await context.close();
});

test('after sign-in the user stays on this site, whatever ?next= says', async () => {
  const origin = new URL(BASE).origin;
  const cases = [
    ['/%09/evil.example/x', '/'],
    ['/%5Cevil.example/x', '/'],
    ['//evil.example/x', '/'],
    ['https://evil.example/x', '/'],
    ['/%0A/evil.example', '/'],
    [encodeURIComponent('/decisions.html?q=KF#lista'), '/decisions.html?q=KF#lista'],
  ];
  for (const [next, expected] of cases) {
    const context = await browser.newContext({ locale: 'sv-SE' });
    const page = await context.newPage();
    await signIn(page, `?next=${next}`);
    await page.waitForURL((url) => url.origin !== origin || url.pathname !== '/login.html');
    const landed = new URL(page.url());
    assert.equal(landed.origin, origin, `next=${next} led to ${page.url()}`);
    assert.equal(landed.pathname + landed.search + landed.hash, expected, `next=${next}`);
    await context.close();
  }
});
