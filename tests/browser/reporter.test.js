// A reporter (a contact person of one administration) keeps their own organisation's
// contact persons and is refused another organisation's.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, assertAccessible, launch, screenshot, signIn, watchForErrors } from './helpers.js';

const EMAIL = process.env.UTBLICK_REPORTER_EMAIL;
const PASSWORD = process.env.UTBLICK_REPORTER_PASSWORD;
const OTHER = process.env.UTBLICK_OTHER_CONTACT_ID;
assert.ok(EMAIL && PASSWORD && OTHER, 'the reporter and the other organisation’s contact are named');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('a reporter edits a contact person of their own organisation and is refused another’s', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await signIn(page, EMAIL, PASSWORD);
  await page.getByRole('link', { name: 'Kontaktpersoner' }).click();
  await page.waitForURL(/contacts\.html/);
  const own = page.locator('#contacts tbody tr', { hasText: 'Anna Berg' });
  const other = page.locator('#contacts tbody tr', { hasText: 'Bo Ek' });
  await own.waitFor();
  await other.waitFor();
  await assertAccessible(page, 'contacts page');
  assert.equal(await other.getByRole('button').count(), 0, 'no edit buttons for another organisation');

  await own.getByRole('button', { name: /^Ändra/ }).click();
  await page.getByLabel('Telefon (valfritt)').fill('ring mig');
  await page.getByRole('button', { name: 'Spara kontaktperson' }).click();
  await page.locator('[id="c-phone-error"]').waitFor();
  await page.getByLabel('Telefon (valfritt)').fill('0140-681 00');
  await page.getByLabel('Roll i nätverket (valfritt)').fill('Kontaktperson, omvärldsbevakning');
  await page.getByRole('button', { name: 'Spara kontaktperson' }).click();
  await page.getByText('Ändringen är sparad.').waitFor();
  assert.match(await page.locator('#contacts tbody tr', { hasText: 'Anna Berg' }).innerText(), /0140-681 00/);
  await screenshot(page, 'contacts-reporter');

  // Straight at the API, as a determined user might: refused.
  // (The page's own API module, with the token it holds in memory.)
  const status = await page.evaluate(async (id) => {
    const api = await import('/js/api.js');
    try {
      await api.request('PATCH', `/contacts/${id}`, {
        headers: { 'If-Match': '"1"' },
        body: { organisation_id: api.currentUser().organisation_id, name: 'Bo Ek' },
      });
      return 200;
    } catch (err) {
      return err.status;
    }
  }, OTHER);
  assert.equal(status, 403);
  assert.deepEqual(errors.filter((e) => !/status of (403|422)/.test(e)), []);
  await context.close();
});
