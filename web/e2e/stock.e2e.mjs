// Stock screens on a running demo server: tool list (export, filters), tool creation with a 422
// naming the field, edition, a stock movement, an urgent purchase request moved along its status
// bar, material stock with offcuts and reservations. Screenshots in USINAGE_E2E_SHOTS.
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
const CODE = `TE${STAMP}`;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'];

mkdirSync(SHOTS, { recursive: true });
let browser;
let page;

async function shot(name) {
  await page.screenshot({ path: join(SHOTS, `stock-${name}.png`), fullPage: true });
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

async function api(path, token, init = {}) {
  const r = await fetch(`${BASE}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  return { status: r.status, body: await r.json().catch(() => null) };
}

async function token(login) {
  const r = await fetch(`${BASE}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password: PASSWORD }) });
  return (await r.json()).access_token;
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

after(async () => {
  await browser?.close();
});

step('a) admin opens the tool crib: list with stock levels, filter under minimum', async () => {
  await page.goto(`${BASE}/tools`);
  await page.getByTestId('login-input').fill('admin');
  await page.getByTestId('password-input').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('datatable-tools').waitFor();
  await page.getByText('CNMG 120408-PM').first().waitFor();
  assert.ok((await page.getByTestId('stock-badge').count()) > 10);
  await shot('01-tools-list');
  await page.goto(`${BASE}/tools?below_min=true`);
  await page.getByTestId('datatable-tools').waitFor();
  await page.getByText('T39').first().waitFor();
  await shot('02-tools-below-min');
});

step('b) creating a tool without type shows the French error under the field, then succeeds', async () => {
  await page.goto(`${BASE}/tools/new`);
  await page.getByTestId('tool-create').waitFor();
  await page.getByTestId('input-code').fill(CODE);
  await page.getByTestId('input-name').fill('Fraise Ø8 Z3 alu (e2e)');
  await page.getByTestId('input-diameter_mm').fill('8');
  await page.getByTestId('input-min_stock').fill('2');
  await page.getByTestId('save').click();
  await page.getByTestId('error-type').waitFor();
  assert.match(await page.getByTestId('error-type').innerText(), /obligatoire/);
  await shot('03-tool-create-422');
  await page.getByTestId('input-type').selectOption('fraise');
  await page.getByTestId('save').click();
  await page.getByTestId('tool-edit').waitFor();
  assert.equal(await page.getByTestId('tool-title').innerText(), 'Fraise Ø8 Z3 alu (e2e)');
});

step('c) edit the tool, then record a receipt and a withdrawal that update the stock', async () => {
  await page.getByTestId('input-coating').fill('DLC');
  await page.getByTestId('save').click();
  await page.getByText('Modifications enregistrées.').waitFor();
  await page.getByTestId('input-kind').selectOption('entree');
  await page.getByTestId('input-location_id').selectOption({ label: 'A1-T2 — Armoire outils A1, tiroir 2 (fraises carbure)' });
  await page.getByTestId('input-quantity').fill('5');
  await page.getByTestId('save-movement').click();
  await page.getByText('Mouvement enregistré : 0 → 5.').waitFor();
  await page.getByTestId('input-kind').selectOption('sortie');
  await page.getByTestId('input-quantity').fill('9');
  await page.getByTestId('save-movement').click();
  await page.getByTestId('error-destination').waitFor();
  await page.getByTestId('input-destination').fill('DMG Mori CMX 600');
  await page.getByTestId('input-job_ref').fill('AF-2611-OP30');
  await page.getByTestId('save-movement').click();
  await page.getByText(/Stock insuffisant/).first().waitFor();
  await page.getByTestId('input-quantity').fill('2');
  await page.getByTestId('save-movement').click();
  await page.getByText('Mouvement enregistré : 5 → 3.').waitFor();
  await page.locator('[data-testid="tool-available"]', { hasText: /^3$/ }).waitFor();
  await page.getByTestId('movements').getByText('AF-2611-OP30').waitFor();
  await shot('04-tool-edit-movements');
});

step('d) an urgent purchase request: the foreman cannot validate it, direction does', async () => {
  const chef = await token('chef');
  const tools = await api(`/tools?q=${CODE}`, chef);
  const pr = await api('/tool-purchase-requests', chef, { method: 'POST', body: JSON.stringify({ tool_id: tools.body.items[0].id, quantity: 4, urgent: true, reason: 'Casse en production (e2e)' }) });
  assert.equal(pr.status, 201);
  const id = pr.body.id;
  await page.goto(`${BASE}/tool-purchase-requests/${id}`);
  await page.getByTestId('purchase-request').waitFor();
  await page.getByRole('button', { name: 'Demandée' }).click();
  await page.getByText('Demande passée à « Demandée ».').waitFor();
  // Admin (as direction) sees the validation button.
  await page.getByRole('button', { name: 'Validée' }).waitFor();
  await shot('05-purchase-request');
  const denied = await api(`/tool-purchase-requests/${id}/transitions`, chef, { method: 'POST', body: JSON.stringify({ to: 'validee', version: 2 }) });
  assert.equal(denied.status, 403);
  await page.getByRole('button', { name: 'Validée' }).click();
  await page.getByText('Demande passée à « Validée ».').waitFor();
  await shot('06-purchase-request-validated');
  await page.goto(`${BASE}/tool-purchase-requests`);
  await page.getByTestId('datatable-tool-purchase-requests').waitFor();
  await shot('07-purchase-requests-list');
});

step('e) material stock shows offcuts and what is reserved', async () => {
  const chef = await token('chef');
  const off = await api('/material-stock?q=CH-0131', chef);
  const item = off.body.items[0];
  const r = await api('/reservations', chef, { method: 'POST', body: JSON.stringify({ item_type: 'matiere', item_id: item.id, job_ref: `AF-E2E-${STAMP}`, quantity: 1 }) });
  assert.ok([201, 409].includes(r.status));
  await page.goto(`${BASE}/material-stock?is_offcut=true`);
  await page.getByTestId('datatable-material-stock').waitFor();
  await page.getByText('CH-0112').waitFor();
  await shot('08-material-offcuts');
  await page.goto(`${BASE}/materials`);
  await page.getByTestId('datatable-materials').waitFor();
  await page.getByText('1.4307').waitFor();
  await shot('09-materials');
  await page.goto(`${BASE}/locations`);
  await page.getByTestId('datatable-locations').waitFor();
  await shot('10-locations');
});
