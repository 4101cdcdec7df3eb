// Signing in with the municipality's account, through a real OpenID provider (oidc-provider,
// started here on the port Utblick was configured with): the first person becomes a reporter
// of the organisation her group names, the second lands as pending; a group change at the
// provider changes the role at the next sign-in; signing out at the provider ends the
// Utblick session.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, assertAccessible, launch, screenshot } from './helpers.js';
import { startIdp } from './idp.js';

const IDP_PORT = Number(process.env.UTBLICK_IDP_PORT);
assert.ok(IDP_PORT, 'UTBLICK_IDP_PORT names the port Utblick expects its identity provider on');
const IDP = `http://127.0.0.1:${IDP_PORT}`;

let browser;
let idp;

before(async () => {
  idp = await startIdp(IDP_PORT, BASE);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await idp?.close();
});

/** Signs `person` in at the provider from Utblick's sign-in page (its own login and consent). */
async function signInAtProvider(page, person) {
  await page.goto(`${BASE}/login.html`);
  await page.getByRole('button', { name: 'Logga in med kommunens konto' }).click();
  await page.waitForURL(`${IDP}/**`);
  const login = page.locator('input[name="login"]');
  if (await login.count()) {
    await login.fill(person);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
  }
  // The provider asks once whether Utblick may have the claims.
  await page.waitForURL((url) => url.href.startsWith(BASE) || url.pathname.includes('/interaction/'));
  if (!page.url().startsWith(BASE)) await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => url.href.startsWith(BASE) && !url.pathname.startsWith('/api/'));
}

/**
 * Errors of Utblick's pages (the provider's own pages ask the internet for fonts, which this
 * machine does not reach). A refresh refused after the provider ended the session is how the
 * page learns it, not an error.
 */
function watchUtblick(page) {
  const errors = [];
  page.on('console', (msg) => {
    const url = msg.location()?.url || '';
    const ended = url.endsWith('/api/v1/auth/refresh') && msg.text().includes('401');
    if (msg.type() === 'error' && url.startsWith(BASE) && !ended) errors.push(`console: ${msg.text()} (${url})`);
  });
  page.on('pageerror', (err) => {
    if (page.url().startsWith(BASE)) errors.push(`page error: ${err.message}`);
  });
  return errors;
}

/** Who the page is signed in as, from the API with the page's session. */
function me(page) {
  return page.evaluate(async () => {
    const api = await import('/js/api.js');
    return api.currentUser();
  });
}

test('the groups at the provider make the role, and signing out there ends the session', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  const errors = watchUtblick(page);
  await page.goto(`${BASE}/login.html`);
  await page.getByRole('heading', { name: 'Med kommunens konto' }).waitFor();
  await assertAccessible(page, 'sign-in page with single sign-on');
  await screenshot(page, 'login-sso');

  // Eva is in the group of Barn- och utbildningsförvaltningen's reporters.
  await signInAtProvider(page, 'eva');
  await page.locator('#signed-in-as').waitFor();
  assert.equal(await page.locator('#signed-in-as').innerText(), 'Eva Ek');
  let eva = await me(page);
  assert.equal(eva.role, 'reporter');
  assert.equal(eva.email, 'eva@tranas.se');
  assert.ok(eva.organisation_id, 'a reporter of her organisation');

  // She signs out at the provider: the provider tells Utblick (back-channel), and the
  // Utblick session is over.
  await page.goto(`${IDP}/session/end`);
  await page.locator('button[name="logout"], button[value="yes"], button[type="submit"]').first().click();
  await page.waitForLoadState('networkidle');
  await page.goto(`${BASE}/`);
  await page.locator('#login-link').waitFor();
  const refresh = await context.request.post(`${BASE}/api/v1/auth/refresh`, { headers: { 'X-Utblick-Csrf': '1' } });
  assert.equal(refresh.status(), 401, 'the session has ended');

  // Moved to the coordinators at the provider: a coordinator at the next sign-in.
  idp.setGroups('eva', ['utblick-samordnare']);
  await signInAtProvider(page, 'eva');
  await page.locator('#signed-in-as').waitFor();
  eva = await me(page);
  assert.equal(eva.role, 'coordinator');
  assert.equal(eva.organisation_id, null);

  // Signing out of Utblick signs out at the provider too, and comes back to the sign-in page.
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.waitForURL(`${IDP}/**`);
  await page.locator('button[name="logout"], button[value="yes"], button[type="submit"]').first().click();
  await page.waitForURL(`${BASE}/login.html?sso=signed-out`);
  await page.getByText('Du är utloggad, även från kommunens konto.').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a person in no group Utblick knows lands as pending', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await signInAtProvider(page, 'olle');
  await page.waitForURL(`${BASE}/login.html?sso=pending`);
  await page.getByText('Ditt konto är skapat och väntar på att en administratör godkänner det.', { exact: false }).waitFor();
  await assertAccessible(page, 'sign-in page, account pending');
  const refresh = await context.request.post(`${BASE}/api/v1/auth/refresh`, { headers: { 'X-Utblick-Csrf': '1' } });
  assert.equal(refresh.status(), 401, 'not signed in');
  await context.close();
});
