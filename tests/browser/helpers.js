// Shared set-up for the browser suite: Debian's Chromium through playwright-core, axe-core
// checks, screenshots under target/.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE = process.env.UTBLICK_BASE_URL;
assert.ok(BASE, 'UTBLICK_BASE_URL must name a running Utblick (the cargo test starts one)');

const SHOTS = process.env.SCREENSHOT_DIR || path.resolve('../../target/screenshots');
mkdirSync(SHOTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Runs axe-core with the WCAG 2.1 A/AA rules; fails listing every violation. */
export async function assertAccessible(page, label) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
  assert.deepEqual(violations, [], `${label}: axe-core found WCAG 2.1 A/AA violations`);
}

/** Reads a PDF with poppler's tools: its info (`pdfinfo`), structure tree (`pdfinfo -struct`)
 * and text (`pdftotext`), and saves its pages as PNG (`pdftoppm`) beside the screenshots.
 * Without poppler-utils the check is skipped, loudly — except in CI, where it fails. */
export function readPdf(file, name) {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
  } catch {
    assert.ok(!process.env.CI, 'poppler-utils (pdftoppm, pdfinfo, pdftotext) must be installed in CI');
    console.log('*** SKIPPING the PDF checks: poppler-utils is not installed (./scripts/test installs it). ***');
    return null;
  }
  const run = (tool, args) => execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  execFileSync('pdftoppm', ['-r', '60', '-png', file, path.join(SHOTS, name)]);
  return { info: run('pdfinfo', [file]), structure: run('pdfinfo', ['-struct', file]), text: run('pdftotext', ['-layout', file, '-']) };
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Collects console errors and failed requests, so a broken page cannot pass quietly. */
export function watchForErrors(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  return errors;
}

/** Signs in on the sign-in page and waits for the start page. */
export async function signIn(page, email, password) {
  await page.goto(`${BASE}/login.html`);
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(`${BASE}/`);
}

/**
 * Opens `path` and asserts it fits `width`: no sideways scrolling, no table wider than its
 * box, and at 1280 px a header of two rows at most; then photographs it as `page-<name>-<width>px`.
 */
export async function assertPageFits(page, path, width) {
  await page.goto(`${BASE}${path}`);
  await page.locator('#main h1').waitFor();
  await page.waitForLoadState('networkidle');
  const wide = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    tables: [...document.querySelectorAll('.table-scroll')].map((s) => s.scrollWidth - s.clientWidth).filter((d) => d > 1),
    header: document.querySelector('.site-header').getBoundingClientRect().height,
  }));
  assert.ok(wide.page <= 0, `${path} scrolls sideways by ${wide.page}px at ${width} px`);
  assert.deepEqual(wide.tables, [], `${path}: a table overflows at ${width} px`);
  if (width === 1280) assert.ok(wide.header < 140, `${path}: the header is ${wide.header}px high at 1280 px (two rows at most)`);
  const name = path === '/' ? 'start' : path.replace(/\?.*$/, '').replace(/\W+/g, '-').replace(/^-|-html$/g, '');
  await screenshot(page, `page-${name}-${width}px`);
}

/** Signs in over the API (as a script would) and returns a function that calls it. */
export async function apiAs(email, password) {
  const res = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Utblick-Csrf': '1' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200);
  const { access_token: token } = await res.json();
  return async (method, path, body) => {
    const r = await fetch(`${BASE}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    const text = await r.text();
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
    return JSON.parse(text);
  };
}
