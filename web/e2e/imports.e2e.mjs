// Import screen: choose a kind, pick a CSV, "Vérifier" shows the per-row French errors and the
// preview, "Importer" is enabled only after a clean dry run.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const BASE = (process.env.USINAGE_E2E_URL ?? 'http://127.0.0.1:18080').replace(/\/$/, '');
const SHOTS = resolve(process.env.USINAGE_E2E_SHOTS ?? 'test-results/screens');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'];
const STAMP = new Date().toISOString().replace(/\D/g, '').slice(4, 14);
mkdirSync(SHOTS, { recursive: true });

let browser;
let page;

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.USINAGE_E2E_CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
  const c = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  page = await c.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${BASE}/login`);
  await page.getByTestId('login-input').fill('admin');
  await page.getByTestId('password-input').fill('usinage-demo');
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
});

after(async () => {
  await browser?.close();
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

function csvFile(rows) {
  return { name: 'outils.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeffCode;Désignation;Type;Diamètre (mm);Dents\n${rows.join('\n')}\n`) };
}

test('the import page is reachable from Système', async () => {
  await page.goto(`${BASE}/system`);
  await page.getByTestId('tile-imports').click();
  await page.waitForURL((u) => u.pathname === '/imports');
  await page.getByTestId('imports-page').waitFor();
});

test('a dry run with a bad row shows the French error and keeps Importer disabled', async () => {
  await page.getByTestId('import-kind').selectOption('tools');
  await page.getByTestId('import-file').setInputFiles(
    csvFile([`E2E-${STAMP}-1;Fraise 6;fraise;6;4`, `E2E-${STAMP}-2;Foret 8;;8;2`, `E2E-${STAMP}-3;Fraise 10;fraise;-10;3`]),
  );
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-errors').waitFor();
  const text = await page.getByTestId('import-errors').innerText();
  assert.match(text, /type/);
  assert.match(text, /diameter_mm/);
  assert.ok(await page.getByTestId('import-run').isDisabled());
  assert.equal(await page.getByTestId('import-preview').locator('tbody tr').count(), 3);
  await shot('imports-errors');
});

test('a clean file: Vérifier then Importer writes the rows', async () => {
  await page.getByTestId('import-file').setInputFiles(csvFile([`E2E-${STAMP}-1;Fraise 6;fraise;6;4`, `E2E-${STAMP}-2;Foret 8;foret;8;2`]));
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-summary').waitFor();
  assert.ok(await page.getByTestId('import-run').isEnabled());
  await shot('imports-ready');
  await page.getByTestId('import-run').click();
  await page.getByTestId('import-done').waitFor();
  assert.match(await page.getByTestId('import-done').innerText(), /2 enregistrement/);
  await shot('imports-done');
});
