/* global document */
// Clients & suppliers, rate grid and setup wizard on a running server with demo data.
//   USINAGE_E2E_URL=http://127.0.0.1:18201 USINAGE_E2E_SHOTS=/tmp/shots-crm node --test e2e/crm.e2e.mjs
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
const CLIENT_NAME = `Lauragais Aéro ${STAMP}`;

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'];

mkdirSync(SHOTS, { recursive: true });

/** @type {import('playwright-core').Browser} */
let browser;
/** @type {import('playwright-core').Page} */
let page;

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
  const file = join(SHOTS, `crm-${name}.png`);
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
  const c = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  page = await c.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
});

after(async () => {
  await browser?.close();
});

step('a) the demo clients are listed and filtered', async () => {
  await page.goto(`${BASE}/clients`);
  await page.waitForURL((u) => u.pathname === '/login');
  await login(page, ADMIN, DEMO_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/clients');
  await page.getByTestId('datatable-clients').waitFor();
  await page.getByText('Aviaxe Structures SAS').waitFor();
  assert.match(await page.getByTestId('datatable-total').innerText(), /10/);
  await shot(page, '01-clients');
  await page.getByTestId('filter-sector').selectOption('defense');
  await page.getByText('Pyréos Défense SAS').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="datatable-total"]')?.textContent?.includes('2'));
  await shot(page, '02-clients-defense');
});

step('b) a SIRET with a wrong key is refused in French, then the client is created', async () => {
  await page.goto(`${BASE}/clients/new`);
  await page.getByTestId('partner-create').waitFor();
  await page.getByTestId('input-name').fill(CLIENT_NAME);
  await page.getByTestId('input-siret').fill('732 829 320 00075');
  await page.getByTestId('input-vat_number').fill('FR46732829320');
  await page.getByTestId('sectors-aeronautique').check();
  await page.getByTestId('input-critical').check();
  await page.getByTestId('add-contact').click();
  await page.getByTestId('input-contacts[0].name').fill('Anne Lefort');
  await page.getByTestId('input-contacts[0].function').fill('Acheteuse');
  await page.getByTestId('input-contacts[0].email').fill('a.lefort@lauragais-aero.fr');
  await page.getByTestId('save').click();
  await page.getByTestId('error-siret').waitFor();
  assert.match(await page.getByTestId('error-siret').innerText(), /clé de contrôle/);
  assert.match(await page.getByTestId('error-vat_number').innerText(), /TVA/);
  await shot(page, '03-client-siret-error');
  await page.getByTestId('input-siret').fill('732 829 320 00074');
  await page.getByTestId('input-vat_number').fill('FR44732829320');
  await page.getByTestId('save').click();
  await page.getByTestId('partner-edit').waitFor();
  assert.equal(await page.getByTestId('partner-title').innerText(), CLIENT_NAME);
  await shot(page, '04-client-created');
});

step('c) the client is edited, then archived through the status bar', async () => {
  await page.getByTestId('input-notes').fill('Premier contact au salon SIANE.');
  await page.getByTestId('save').click();
  await page.getByText('Fiche enregistrée.').waitFor();
  await page.getByTestId('transition-archive').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="status-badge"]')?.textContent?.includes('Archivé'));
  await page.getByTestId('transition-actif').waitFor();
  await shot(page, '05-client-archived');
});

step('d) a supplier is evaluated and its current score follows', async () => {
  await page.getByTestId('nav-suppliers').click();
  await page.getByTestId('datatable-suppliers').waitFor();
  await page.getByText('Calor\u2019Trempe Loire SAS').or(page.getByText("Calor'Trempe Loire SAS")).first().click();
  await page.getByTestId('partner-edit').waitFor();
  await page.getByTestId('evaluations').waitFor();
  await page.getByTestId('input-quality').fill('120');
  await page.getByTestId('input-delivery').fill('65');
  await page.getByTestId('input-price').fill('70');
  await page.getByTestId('add-evaluation').click();
  await page.getByTestId('error-quality').waitFor();
  await page.getByTestId('input-quality').fill('90');
  await page.getByTestId('input-comment').fill('Lot de nitruration livré avec 3 jours de retard');
  await page.getByTestId('add-evaluation').click();
  await page.getByText('Évaluation enregistrée.').waitFor();
  await page.getByTestId('evaluations').getByText('Lot de nitruration livré avec 3 jours de retard').waitFor();
  await shot(page, '06-supplier-evaluated');
  await page.getByTestId('nav-suppliers').click();
  await page.getByTestId('datatable-suppliers').waitFor();
  await shot(page, '07-suppliers');
});

step('e) the rate grid shows the demo rates and names a wrong value', async () => {
  await page.goto(`${BASE}/rates`);
  await page.getByTestId('rates-form').waitFor();
  assert.equal(await page.getByTestId('input-machine_kinds.fraiseuse_5axes').inputValue(), '105.00');
  await shot(page, '08-rates');
  await page.getByTestId('input-activities.programmation').fill('abc');
  await page.getByTestId('save-rates').click();
  await page.getByTestId('error-activities.programmation').waitFor();
  await page.getByTestId('input-activities.programmation').fill('74,50');
  await page.getByTestId('save-rates').click();
  await page.getByText('Grille tarifaire enregistrée.').waitFor();
  await page.waitForFunction(() => (document.querySelector('[data-testid="input-activities.programmation"]')?.value ?? '') === '74.50');
});

step('f) the setup wizard walks through its five steps', async () => {
  await page.goto(`${BASE}/system`);
  await page.getByTestId('tile-setup').click();
  await page.getByTestId('setup-page').waitFor();
  await page.getByTestId('step-entreprise').waitFor();
  assert.equal(await page.getByTestId('input-name').inputValue(), 'Usinage Démo SARL');
  await shot(page, '09-setup-company');
  await page.getByTestId('input-siret').fill('73584053000018');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('error-siret').waitFor();
  await page.getByTestId('input-siret').fill('735 840 530 00019');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('step-activites').waitFor();
  assert.ok(await page.getByTestId('activity-usinage').isChecked());
  await shot(page, '10-setup-activities');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('step-grille_tarifaire').waitFor();
  await page.getByTestId('wizard-skip').click();
  await page.getByTestId('step-machines').waitFor();
  await page.getByTestId('wizard-skip').click();
  await page.getByTestId('step-utilisateurs').waitFor();
  await shot(page, '11-setup-users');
  await page.getByTestId('wizard-finish').click();
  await page.getByTestId('dashboard').waitFor();
});
