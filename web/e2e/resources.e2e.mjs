// Resources screens (machines, measuring instruments, staff) on a running server with demo data.
//
//   USINAGE_E2E_URL=http://127.0.0.1:18202 USINAGE_E2E_SHOTS=/tmp/shots-resources node --test e2e/resources.e2e.mjs
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
const STAMP = new Date().toISOString().replace(/\D/g, '').slice(8, 14);
const TIMEOUT = Number(process.env.USINAGE_E2E_TIMEOUT ?? 15_000);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'];

mkdirSync(SHOTS, { recursive: true });

/** @type {import('playwright-core').Browser} */
let browser;
/** @type {import('playwright-core').Page} */
let page;

async function waitForServer() {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server not reachable at ${BASE}/healthz`);
}

async function shot(p, name) {
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

function step(name, fn) {
  test(name, async () => {
    try {
      await fn();
    } catch (e) {
      if (page) await shot(page, `FAIL-res-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
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
  const c = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  page = await c.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(`${BASE}/machines`);
  await page.waitForURL((u) => u.pathname === '/login');
  await login(page, 'admin', DEMO_PASSWORD);
  await page.waitForURL((u) => u.pathname === '/machines');
});

after(async () => {
  await browser?.close();
});

step('machines: the demo fleet is listed and filtered', async () => {
  await page.getByTestId('machines-page').waitFor();
  await page.getByText('Centre d\'usinage 5 axes').waitFor();
  await page.getByTestId('datatable-total').filter({ hasText: 'sur 8' }).waitFor();
  await shot(page, 'res-01-machines-list');
  await page.getByTestId('filter-kind').selectOption('tour_fraiseur');
  await page.getByTestId('datatable-total').filter({ hasText: 'sur 2' }).waitFor();
  await page.getByText('QUICK TURN 250MY').waitFor();
});

step('machines: a creation error is shown under the field, then the machine is created', async () => {
  await page.goto(`${BASE}/machines/new`);
  await page.getByTestId('machine-create').waitFor();
  const code = `M${STAMP}`.slice(0, 10);
  await page.getByTestId('input-code').fill(code);
  await page.getByTestId('input-name').fill('Tour CN e2e');
  await page.getByTestId('input-kind').selectOption('tour');
  await page.getByTestId('input-max_spindle_rpm').fill('150000');
  await page.getByTestId('input-year').fill('1920');
  await page.getByTestId('save').click();
  await page.getByTestId('error-max_spindle_rpm').waitFor();
  assert.match(await page.getByTestId('error-max_spindle_rpm').innerText(), /entre 1 et 100000/);
  await page.getByTestId('error-year').waitFor();
  await shot(page, 'res-02-machine-create-422');
  await page.getByTestId('input-max_spindle_rpm').fill('6000');
  await page.getByTestId('input-year').fill('2024');
  await page.getByTestId('input-machine_rate').fill('68,50');
  await page.getByTestId('save').click();
  await page.getByTestId('machine-edit').waitFor();
  assert.match(await page.getByTestId('machine-title').innerText(), new RegExp(code));
});

step('machines: edit and status change to "en panne"', async () => {
  await page.getByTestId('input-rotary_axes').fill('C 360°');
  await page.getByTestId('save').click();
  await page.getByText('Machine enregistrée.').first().waitFor();
  // The record reloads with its new version (history shows the change) before the status moves.
  await page.getByText('Axes rotatifs').last().waitFor();
  await page.getByTestId('transition-en_panne').click();
  await page.locator('[data-testid="status-current"]', { hasText: 'En panne' }).waitFor();
  await page.getByTestId('state-en_panne').first().waitFor();
  await shot(page, 'res-03-machine-edit-status');
});

step('instruments: the expired one is blocked, an exception lets it be used', async () => {
  await page.goto(`${BASE}/instruments`);
  await page.getByTestId('instruments-page').waitFor();
  await page.getByTestId('state-expire').first().waitFor();
  await page.getByTestId('state-a_etalonner').first().waitFor();
  await shot(page, 'res-04-instruments-list');
  await page.getByTestId('filter-state').selectOption('expire');
  await page.getByText('Ø10 H7').waitFor();
  await page.getByText('Ø10 H7').click();
  await page.getByTestId('instrument-edit').waitFor();
  assert.match(await page.getByTestId('instrument-usability').innerText(), /Bloqué/);
  await page.getByTestId('input-reference').fill('OF-2026-0142 / OP30');
  await page.getByTestId('record-use').click();
  await page.locator('[data-testid="use-form"] ~ [data-testid="form-error"]').waitFor();
  const refusal = page.locator('[data-testid="use-form"] ~ [data-testid="form-error"]');
  assert.match(await refusal.innerText(), /utilisation refusée sans dérogation/);
  await refusal.scrollIntoViewIfNeeded();
  await shot(page, 'res-05-instrument-blocked');
  const until = new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10);
  await page.getByTestId('input-reason').fill('Tampon de remplacement commandé');
  await page.getByTestId('input-valid_until').fill(until);
  await page.getByTestId('grant-exception').click();
  await page.getByText('Dérogation enregistrée.').waitFor();
  await page.getByTestId('instrument-usability').filter({ hasText: 'par dérogation' }).waitFor();
  await page.getByTestId('exceptions').getByText('Tampon de remplacement commandé').waitFor();
  await page.getByTestId('input-reference').fill('OF-2026-0142 / OP30');
  await page.getByTestId('record-use').click();
  await page.getByText('Utilisation enregistrée.').waitFor();
  await shot(page, 'res-06-instrument-exception');
});

step('instruments: recording a calibration makes it valid again', async () => {
  const today = new Date().toISOString().slice(0, 10);
  await page.getByTestId('input-date').fill(today);
  await page.getByTestId('input-result').selectOption('conforme');
  await page.getByTestId('input-performed_by').fill('Nadia Belkacem');
  await page.getByTestId('record-calibration').click();
  await page.getByText('Étalonnage enregistré.').waitFor();
  await page.getByTestId('instrument-usability').filter({ hasText: 'Utilisable.' }).waitFor();
  await shot(page, 'res-07-instrument-calibrated');
});

step('staff: reminders, skills matrix, 422 and certifications', async () => {
  await page.goto(`${BASE}/employees`);
  await page.getByTestId('employees-page').waitFor();
  await page.getByTestId('reminders').waitFor();
  assert.match(await page.getByTestId('reminders').innerText(), /Belkacem/);
  await shot(page, 'res-08-employees-list');
  await page.getByText('Gonon Thierry').click();
  await page.getByTestId('employee-edit').waitFor();
  assert.equal(await page.getByTestId('skill-LATHE_Y').inputValue(), '3');
  assert.match(await page.getByTestId('hours-total').innerText(), /39/);
  await page.getByTestId('hours-0').fill('13');
  await page.getByTestId('save').click();
  await page.getByTestId('error-weekly_hours').waitFor();
  await shot(page, 'res-09-employee-422');
  await page.getByTestId('hours-0').fill('8.5');
  await page.getByTestId('skill-MILL5').selectOption('3');
  await page.getByTestId('save').click();
  await page.getByText('Fiche enregistrée.').waitFor();
  await page.getByTestId('input-kind').selectOption('habilitation_electrique');
  await page.getByTestId('input-designation').fill('Habilitation BS + BE Manœuvre (recyclage)');
  await page.getByTestId('input-issued_on').fill(new Date().toISOString().slice(0, 10));
  await page.getByTestId('input-expires_on').fill(new Date(Date.now() + 3 * 365 * 86400_000).toISOString().slice(0, 10));
  await page.getByTestId('add-certification').click();
  await page.getByText('Habilitation ajoutée.').waitFor();
  await page.getByText('Habilitation BS + BE Manœuvre (recyclage)').waitFor();
  await shot(page, 'res-10-employee-edit');
});
