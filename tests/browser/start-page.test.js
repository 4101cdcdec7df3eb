// The start page: the seed programme, its facts, its three priority areas and frameworks;
// the language switch; 320 px; keyboard; a clear message when the API fails; axe-clean.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, assertAccessible, launch, screenshot, watchForErrors } from './helpers.js';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function openStartPage(options = {}) {
  const context = await browser.newContext({ locale: 'sv-SE', ...options });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto(BASE + '/');
  await page.getByRole('heading', { level: 1, name: 'Internationellt arbete' }).waitFor();
  return { context, page, errors };
}

test('the start page shows the programme, its facts, three priority areas and frameworks', async () => {
  const { context, page, errors } = await openStartPage();
  assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
  assert.match(await page.title(), /Internationellt arbete/);

  // The header names the municipality (the configured `web.municipality`) beside the product.
  await page.locator('.site-header .brand .municipality', { hasText: 'Tranås kommun' }).waitFor();
  assert.match(await page.locator('.site-header .brand').innerText(), /Utblick\s+Tranås kommun/);
  // Designsystemet is in place: its tokens are defined and its theme's accent colours the header.
  const ds = await page.evaluate(() => ({
    accent: getComputedStyle(document.documentElement).getPropertyValue('--ds-color-accent-base-default').trim(),
    header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
  }));
  assert.ok(ds.accent, 'the design system theme is loaded');
  assert.notEqual(ds.header, 'rgba(0, 0, 0, 0)', 'the header takes its colour from the theme');

  const facts = await page.locator('#facts').innerText();
  for (const expected of ['Dokument-ID', '0424', 'Diarienummer', '20/16', 'Kommunstyrelsen', 'Kommunledningsförvaltningen', 'Kansli- och personalavdelningen', '2016-04-23', '2020-04-22', 'Antagen']) {
    assert.ok(facts.includes(expected), `document facts show ${expected}`);
  }

  const areas = await page.locator('#priority-areas > li h3').allInnerTexts();
  assert.equal(areas.length, 3);
  assert.match(areas[0], /Livslångt lärande för individen och för samhället/);
  assert.match(areas[1], /Goda och kreativa livsmiljöer/);
  assert.match(areas[2], /Hållbar samhällsplanering/);

  const kinds = await page.locator('#work-kinds h3').allInnerTexts();
  assert.deepEqual(kinds, ['Omvärldsbevakning', 'Positionering', 'Verksamhetsutveckling']);

  const frameworks = await page.locator('#frameworks h3').allInnerTexts();
  assert.deepEqual(frameworks, ['Europa 2020', 'Utvecklingsplan för Tranås kommun']);
  assert.equal(await page.locator('#frameworks section').first().locator('li').count(), 5);
  assert.ok((await page.locator('#frameworks').innerText()).includes('20 000 invånare år 2020'));

  const banner = page.locator('#revision-banner');
  assert.ok(await banner.isVisible(), 'the overdue revision is flagged');
  assert.match(await banner.innerText(), /2020-04-22.*försenad/);

  assert.ok(await page.getByRole('link', { name: 'API-dokumentation' }).first().isVisible());
  await assertAccessible(page, 'start page (sv)');
  await screenshot(page, 'start-page-sv');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the language switch turns the page to English and back, and is remembered', async () => {
  const { context, page, errors } = await openStartPage();
  await page.getByRole('button', { name: 'In English' }).click();
  await page.getByRole('heading', { level: 2, name: 'Priority areas' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.ok((await page.locator('#facts').innerText()).includes('Document ID'));
  assert.ok((await page.locator('#facts').innerText()).includes('Municipal executive board'));
  assert.deepEqual(await page.locator('#work-kinds h3').allInnerTexts(), ['Horizon scanning', 'Positioning', 'Operational development']);
  assert.match(await page.locator('#revision-banner').innerText(), /overdue/);
  await assertAccessible(page, 'start page (en)');
  await screenshot(page, 'start-page-en');

  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Priority areas' }).waitFor();
  const back = page.getByRole('button', { name: 'På svenska' });
  assert.equal(await back.getAttribute('lang'), 'sv');
  await back.click();
  await page.getByRole('heading', { level: 2, name: 'Prioriterade områden' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every page links the accessibility statement and the privacy notice from its footer', async () => {
  const { context, page, errors } = await openStartPage();
  for (const path of ['/', '/login.html', '/frameworks.html']) {
    await page.goto(BASE + path);
    const footer = page.locator('footer.site-footer');
    await footer.getByRole('link', { name: 'Tillgänglighetsredogörelse' }).waitFor();
    await footer.getByRole('link', { name: 'Personuppgifter' }).waitFor();
  }
  await page.locator('footer').getByRole('link', { name: 'Tillgänglighetsredogörelse' }).click();
  await page.getByRole('heading', { level: 1, name: 'Tillgänglighetsredogörelse' }).waitFor();
  assert.match(await page.locator('main').innerText(), /axe-core/, 'says what is tested');
  assert.match(await page.locator('main').innerText(), /Digg/, 'names the supervising agency');
  await assertAccessible(page, 'accessibility statement');
  await screenshot(page, 'accessibility-statement');
  await page.locator('footer').getByRole('link', { name: 'Personuppgifter' }).click();
  await page.getByRole('heading', { level: 1, name: 'Så behandlar vi personuppgifter' }).waitFor();
  assert.match(await page.locator('main').innerText(), /raderas/, 'says how erasure works');
  await assertAccessible(page, 'privacy notice');
  await page.getByRole('button', { name: 'In English' }).click();
  await page.getByRole('heading', { level: 1, name: 'How we handle personal data' }).waitFor();
  await screenshot(page, 'privacy-notice-en');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the page is readable at 320 px without sideways scrolling', async () => {
  const { context, page, errors } = await openStartPage({ viewport: { width: 320, height: 640 } });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 320 px`);
  assert.ok(await page.locator('#priority-areas').isVisible());
  await assertAccessible(page, 'start page at 320 px');
  await screenshot(page, 'start-page-320px');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the page works by keyboard: skip link first, then the menu and the language switch', async () => {
  const { context, page } = await openStartPage();
  await page.keyboard.press('Tab');
  let focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.equal(focused, 'Hoppa till innehållet');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');

  // From the top of a fresh page: skip link, brand, menu, then the language switch.
  await page.goto('about:blank');
  await page.goto(BASE + '/');
  await page.getByRole('heading', { level: 1, name: 'Internationellt arbete' }).waitFor();
  const order = [];
  for (let i = 0; i < 6; i += 1) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement?.textContent?.trim()));
  }
  assert.deepEqual(order, ['Hoppa till innehållet', '◎ Utblick', 'Programmet', 'Ramverk', 'Logga in', 'In English']);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 2, name: 'Priority areas' }).waitFor();
  focused = await page.evaluate(() => document.activeElement?.id);
  assert.equal(focused, 'lang-switch', 'focus stays on the switch after switching');
  await context.close();
});

test('when the API fails, the page says so clearly instead of showing nothing', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await page.route('**/api/v1/programmes?*', (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        type: 'urn:utblick:problem:service-unavailable',
        title: 'The service is not available',
        status: 503,
        detail: 'The database is not reachable right now. Try again shortly.',
        code: 'service-unavailable',
        errors: [],
      }),
    }),
  );
  await page.goto(BASE + '/');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Programmet kunde inte hämtas: The database is not reachable/);
  assert.ok(await page.locator('#programme').isHidden());
  await assertAccessible(page, 'start page with a failing API');
  await screenshot(page, 'start-page-api-down');
  await context.close();
});

test('the API documentation opens from the start page\'s footer, served without internet', async () => {
  const { context, page } = await openStartPage();
  await page.getByRole('link', { name: 'API-dokumentation' }).first().click();
  await page.waitForURL(/\/api\/docs\//);
  await page.getByText('Utblick API').first().waitFor();
  assert.ok(await page.getByText('list_programmes').first().isVisible() || (await page.content()).includes('/api/v1/programmes'));
  await screenshot(page, 'api-docs');
  await context.close();
});
