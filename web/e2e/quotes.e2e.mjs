/* global document */
// Quotes (devis) on a running server with demo data: a quote is created for the first client, a
// manual line "Axe Ø40" is added and estimated, its review screen shows the three scenarios per
// quantity (PC and phone), then the quote sheet lists the priced line and gives its PDF; last,
// the purchase and subcontract prices screen shows the demo prices.
//   USINAGE_E2E_URL=http://127.0.0.1:18080 USINAGE_E2E_SHOTS=/tmp/shots-quotes node --test e2e/quotes.e2e.mjs
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BASE = (process.env.USINAGE_E2E_URL ?? 'http://127.0.0.1:18080').replace(/\/$/, '');
const SHOTS = resolve(process.env.USINAGE_E2E_SHOTS ?? join(WEB_DIR, 'test-results/screens'));
const CHROMIUM = process.env.USINAGE_E2E_CHROMIUM ?? '/usr/bin/chromium';
const DEMO_PASSWORD = process.env.USINAGE_E2E_PASSWORD ?? 'usinage-demo';
const ADMIN = process.env.USINAGE_E2E_ADMIN ?? 'admin';
const TIMEOUT = Number(process.env.USINAGE_E2E_TIMEOUT ?? 15_000);
const STAMP = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const SUBJECT = `Axes de vérin e2e ${STAMP}`;

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'];

mkdirSync(SHOTS, { recursive: true });

/** @type {import('playwright-core').Browser} */
let browser;
/** @type {import('playwright-core').BrowserContext} */
let context;
/** @type {import('playwright-core').Page} */
let page;
const state = { quoteUrl: null, lineUrl: null };

async function waitForServer() {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${BASE}/healthz`);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = String(e.cause?.code ?? e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server not reachable at ${BASE}/healthz (${last})`);
}

async function shot(p, name) {
  const file = join(SHOTS, `quotes-${name}.png`);
  await p.screenshot({ path: file, fullPage: true });
  return file;
}

function step(name, fn) {
  test(name, async () => {
    try {
      await fn();
    } catch (e) {
      if (page) await shot(page, `FAIL-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
      throw e;
    }
  });
}

async function login(p, user, password) {
  await p.getByTestId('login-input').fill(user);
  await p.getByTestId('password-input').fill(password);
  await p.getByTestId('login-submit').click();
  await p.waitForURL((u) => !u.pathname.startsWith('/login'));
}

before(async () => {
  await waitForServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
});

after(async () => {
  await browser?.close();
});

step('a) the quotes list opens from the menu (module built)', async () => {
  await page.goto(`${BASE}/quotes`);
  await page.waitForURL((u) => u.pathname === '/login');
  await login(page, ADMIN, DEMO_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/quotes');
  await page.getByTestId('datatable-quotes').waitFor();
  assert.doesNotMatch(await page.getByTestId('nav-quotes').innerText(), /bientôt/);
  await page.getByTestId('filter-status').waitFor();
  await shot(page, '01-list');
});

step('b) a quote is created for the first client', async () => {
  await page.getByTestId('new-quote').click();
  await page.getByTestId('quote-create').waitFor();
  // Without a client the form says so under the field.
  await page.getByTestId('save').click();
  await page.getByTestId('error-client_id').waitFor();
  await page.getByTestId('pick-client').focus();
  await page.getByTestId('pick-client-option').first().waitFor();
  const clientName = (await page.getByTestId('pick-client-option').first().locator('span').first().innerText()).trim();
  await page.getByTestId('pick-client-option').first().click();
  await page.getByTestId('pick-client-chosen').waitFor();
  await page.getByTestId('input-subject').fill(SUBJECT);
  await page.getByTestId('input-customer_reference').fill(`RFQ-${STAMP}`);
  await shot(page, '02-new-quote');
  await page.getByTestId('save').click();
  await page.getByTestId('quote-detail').waitFor();
  assert.match(new URL(page.url()).pathname, /^\/quotes\/\d+$/);
  state.quoteUrl = page.url();
  assert.equal(await page.getByTestId('status-current').innerText(), 'Brouillon');
  // A draft keeps the client editable: it is shown as the chosen row of the client picker.
  assert.equal((await page.getByTestId('pick-client-chosen').locator('strong').innerText()).trim(), clientName);
  assert.equal(await page.getByTestId('input-subject').inputValue(), SUBJECT);
  await page.getByTestId('drop-zone').waitFor();
  await page.getByTestId('no-lines').waitFor();
  await shot(page, '03-quote-created');
});

step('c) a manual line "Axe Ø40" is added: first material, 10 and 50 parts, turned, Ø40 × 120', async () => {
  await page.getByTestId('add-manual-line').click();
  const form = page.getByTestId('manual-line-form');
  await form.waitFor();
  // A quantity that is not a number is refused before anything is sent.
  await form.getByTestId('input-part_name').fill('Axe Ø40');
  await form.getByTestId('input-quantities').fill('10, dix');
  await page.getByTestId('save-manual-line').click();
  await form.getByTestId('error-quantities').waitFor();
  await form.locator('#f-grade_id option').nth(1).waitFor({ state: 'attached' });
  const grade = await form.locator('#f-grade_id option').nth(1).getAttribute('value');
  await form.locator('#f-grade_id').selectOption(grade);
  await form.getByTestId('input-quantities').fill('10,50');
  await form.getByTestId('input-shape').selectOption('turned');
  await form.getByTestId('input-envelope.diameter').fill('40');
  await form.getByTestId('input-envelope.length').fill('120');
  await shot(page, '04-manual-line');
  const [resp] = await Promise.all([
    page.waitForResponse((r) => /\/api\/v1\/quotes\/\d+\/lines$/.test(r.url()) && r.request().method() === 'POST'),
    page.getByTestId('save-manual-line').click(),
  ]);
  assert.equal(resp.status(), 201, `POST lines → ${resp.status()} ${await resp.text().catch(() => '')}`);
  const sent = JSON.parse(resp.request().postData());
  assert.deepEqual(sent.quantities, [10, 50]);
  assert.equal(sent.shape, 'turned');
  assert.equal(sent.envelope.diameter, 40);
  assert.equal(sent.envelope.length, 120);
  assert.equal(sent.grade_id, Number(grade));
  await page.getByTestId('line-review').waitFor();
  assert.match(new URL(page.url()).pathname, /^\/quotes\/\d+\/lines\/\d+$/);
  state.lineUrl = page.url();
});

step('d) the review screen shows the estimate with three scenarios per quantity', async () => {
  await page.getByTestId('no-drawing').waitFor();
  assert.equal(await page.getByTestId('input-part_name').inputValue(), 'Axe Ø40');
  assert.equal(await page.getByTestId('input-quantities').inputValue(), '10, 50');
  await page
    .getByTestId('breaks-table')
    .waitFor()
    .catch(async (e) => {
      const why = (await page.getByTestId('no-estimate').innerText().catch(() => '')) || (await page.getByTestId('missing').innerText().catch(() => ''));
      throw new Error(`no estimate for the manual line: ${why || e.message}`);
    });
  assert.deepEqual(await page.locator('[data-testid^="scenario-head-"]').allInnerTexts(), ['Économique', 'Standard', 'Express']);
  for (const q of [10, 50]) {
    await page.getByTestId(`break-${q}`).waitFor();
    for (const k of ['economique', 'standard', 'express']) {
      const text = await page.getByTestId(`scenario-${q}-${k}`).innerText();
      assert.match(text, /€/, `price of ${k} for ${q}`);
      assert.match(text, /j ouvrés/, `lead time of ${k} for ${q}`);
    }
  }
  await page.getByTestId('operations-table').waitFor();
  await shot(page, '05-review-estimate');

  // Choose Standard for 50 parts (PATCH selected_quantity / selected_scenario).
  const std50 = page.getByTestId('scenario-50-standard');
  if (await std50.isEnabled()) {
    await std50.click();
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-50-standard"]')?.getAttribute('aria-pressed') === 'true');
  }

  // "Pourquoi ce prix ?": every number with its formula and source.
  await page.getByTestId('trace').locator('summary').click();
  await page.locator('[data-testid^="trace-"]').nth(1).waitFor();
  await shot(page, '06-why-this-price');

  // Validate the line when the estimate has no open question; else the reason is shown.
  const validate = page.getByTestId('validate-line');
  if (await validate.isEnabled()) {
    await validate.click();
    await page.getByTestId('reviewed-badge').waitFor();
  } else {
    assert.ok((await page.getByTestId('validate-reason').innerText()).trim().length > 0, 'a disabled "Valider la ligne" says why');
  }
  await shot(page, '07-review-validated-or-reason');
});

step('e) on a phone the review screen stacks the drawing, the fields and the estimate', async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', isMobile: true, hasTouch: true, storageState: await context.storageState() });
  const p = await phone.newPage();
  p.setDefaultTimeout(TIMEOUT);
  try {
    await p.goto(state.lineUrl);
    await p.getByTestId('line-review').waitFor();
    await p.getByTestId('breaks-table').waitFor();
    const fields = await p.getByTestId('review-fields').boundingBox();
    const drawing = await p.getByTestId('no-drawing').boundingBox();
    assert.ok(fields && drawing && fields.y > drawing.y, 'fields below the drawing on a phone');
    assert.ok(fields.width > 300, 'fields use the phone width');
    await shot(p, '08-review-phone');
  } finally {
    await phone.close();
  }
});

step('f) the quote sheet lists the priced line and gives its PDF', async () => {
  await page.goto(state.quoteUrl);
  await page.getByTestId('quote-detail').waitFor();
  const row = page.getByTestId('quote-lines').locator('tbody tr').filter({ hasText: 'Axe Ø40' }).first();
  await row.waitFor();
  assert.match(await row.innerText(), /10 \/ 50/);
  assert.match(await page.locator('[data-testid^="line-price-"]').first().innerText(), /€/);
  await shot(page, '09-quote-with-line');
  const [resp] = await Promise.all([
    page.waitForResponse((r) => /\/api\/v1\/quotes\/\d+\/pdf$/.test(r.url())),
    page.getByTestId('download-pdf').click(),
  ]);
  assert.equal(resp.status(), 200);
  assert.match(resp.headers()['content-type'] ?? '', /application\/pdf/);
  // The list (newest first) shows the new quote.
  await page.goto(`${BASE}/quotes`);
  await page.getByTestId('datatable-quotes').getByText(SUBJECT).waitFor();
  await shot(page, '10-list-with-quote');
});

step('g) purchase and subcontract prices: both tables filled by the demo data, editable by the admin', async () => {
  await page.goto(`${BASE}/quotes`);
  await page.getByTestId('quote-prices-link').click();
  await page.getByTestId('quote-prices-page').waitFor();
  assert.equal(new URL(page.url()).pathname, '/quotes/prices');
  await page.getByTestId('prices-intro').waitFor();
  // Demo data: 15 grade prices and 12 treatment prices.
  await page.getByTestId('material-row-0').waitFor();
  await page.getByTestId('treatment-row-0').waitFor();
  const materials = await page.locator('[data-testid^="material-row-"]').count();
  const treatments = await page.locator('[data-testid^="treatment-row-"]').count();
  assert.ok(materials > 0, 'material prices listed');
  assert.ok(treatments > 0, 'treatment prices listed');
  // The admin has the validate right: inputs (French decimals) and the save button.
  await page.getByTestId('save-prices').waitFor();
  assert.match(await page.getByTestId('mat-0-price_per_kg').inputValue(), /^\d+(,\d+)?$/);
  // Once the materials list is loaded, every demo price names a known grade.
  await page.getByTestId('mat-0-grade_code').locator('option').nth(1).waitFor({ state: 'attached' });
  assert.equal(await page.locator('[data-testid^="unknown-grade-"]').count(), 0, 'every demo price names a grade of the materials list');
  await shot(page, '11-prices');
});
