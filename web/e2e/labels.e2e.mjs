// Labels and stock forms on a running demo server: a location created through the new form (422 first),
// label sheets printed for two selected tools (a PDF comes back), a stock item entered then withdrawn
// for a job. Screenshots in USINAGE_E2E_SHOTS.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const BASE = (process.env.USINAGE_E2E_URL ?? 'http://127.0.0.1:18080').replace(/\/$/, '');
const SHOTS = resolve(process.env.USINAGE_E2E_SHOTS ?? 'test-results/screens');
const CHROMIUM = process.env.USINAGE_E2E_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = process.env.USINAGE_E2E_PASSWORD ?? 'usinage-demo';
const STAMP = new Date().toISOString().replace(/\D/g, '').slice(4, 14);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'];

mkdirSync(SHOTS, { recursive: true });
let browser;
let page;

async function shot(name) {
  await page.screenshot({ path: join(SHOTS, `labels-${name}.png`), fullPage: true });
}

function step(name, fn) {
  test(name, async () => {
    try {
      await fn();
    } catch (e) {
      if (page) await shot(`FAIL-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`).catch(() => undefined);
      throw e;
    }
  });
}

before(async () => {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const c = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  page = await c.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
});

step('a) a location is created through the form, with a French 422 first', async () => {
  await page.goto(`${BASE}/locations`);
  await page.getByTestId('login-input').fill('admin');
  await page.getByTestId('password-input').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('datatable-locations').waitFor();
  await page.getByTestId('new-locations').click();
  await page.getByTestId('locations-create').waitFor();
  await page.locator('#f-code').fill(`E2E-${STAMP}`);
  await page.getByTestId('save').click();
  // Name and kind missing: the API names the fields.
  await page.locator('.field-error').first().waitFor();
  await shot('01-location-422');
  await page.locator('#f-name').fill('Rack e2e — barres longues');
  await page.locator('#f-kind').selectOption('rack');
  await page.locator('#f-saw_distance_m').fill('4.5');
  await page.getByTestId('save').click();
  await page.getByTestId('locations-edit').waitFor();
  assert.match(await page.getByTestId('record-title').innerText(), new RegExp(`E2E-${STAMP}`));
  await shot('02-location-created');
});

step('b) labels are printed for two selected tools: a PDF comes back', async () => {
  await page.goto(`${BASE}/tools`);
  await page.getByTestId('datatable-tools').waitFor();
  await page.getByText('CNMG 120408-PM').first().waitFor();
  const boxes = page.locator('[data-testid^="select-"]:not([data-testid="select-page"])');
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByTestId('print-labels').click();
  await page.getByTestId('labels-skip').fill('2');
  await shot('03-tools-labels-dialog');
  const [resp] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/labels') && r.request().method() === 'POST'), page.getByTestId('labels-go').click()]);
  assert.equal(resp.status(), 200);
  assert.equal(resp.headers()['content-type'], 'application/pdf');
  const sent = JSON.parse(resp.request().postData());
  assert.equal(sent.entity, 'tools');
  assert.equal(sent.ids.length, 2);
  assert.equal(sent.skip, 2);
});

step('c) a bar is entered in stock, then withdrawn for a job (job reference required)', async () => {
  await page.goto(`${BASE}/material-stock/new`);
  await page.getByTestId('material-stock-create').waitFor();
  await page.locator('#f-grade_id option').nth(1).waitFor({ state: 'attached' });
  const grade = await page.locator('#f-grade_id option').nth(1).getAttribute('value');
  await page.locator('#f-grade_id').selectOption(grade);
  await page.locator('#f-shape').selectOption('rond');
  await page.locator('#f-diameter_mm').fill('40');
  await page.locator('#f-length_mm').fill('3000');
  await page.locator('#f-quantity').fill('4');
  await page.locator('#f-label').fill(`E2E-${STAMP}`);
  await shot('04-stock-item-form');
  await page.getByTestId('save').click();
  await page.getByTestId('material-stock-edit').waitFor();
  assert.equal(await page.getByTestId('item-quantity').innerText(), '4');
  // A withdrawal without a job reference is refused with the API's French message.
  await page.getByTestId('save-movement').click();
  await page.locator('[data-testid="material-movement-form"] .field-error').first().waitFor();
  await shot('05-withdraw-422');
  await page.locator('#f-job_ref').fill('OF-2026-0042');
  await page.getByTestId('save-movement').click();
  await page.getByTestId('item-quantity').filter({ hasText: '3' }).waitFor();
  await page.getByTestId('movements').getByText('OF-2026-0042').waitFor();
  await shot('06-withdrawn');
});

after(async () => {
  await browser?.close();
});
