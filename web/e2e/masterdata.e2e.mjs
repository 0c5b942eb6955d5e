// Stock master data on a running demo server: alerts page and top-bar badge, a reservation created
// (with the 409 of the server shown first) and released, an attachment uploaded / downloaded /
// deleted on a client, a cutting data row edited in place, and screenshots of the new screens on
// desktop and on a 390 px phone. Screenshots in USINAGE_E2E_SHOTS.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const BASE = (process.env.USINAGE_E2E_URL ?? 'http://127.0.0.1:18080').replace(/\/$/, '');
const SHOTS = resolve(process.env.USINAGE_E2E_SHOTS ?? 'test-results/screens');
const CHROMIUM = process.env.USINAGE_E2E_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = process.env.USINAGE_E2E_PASSWORD ?? 'usinage-demo';
const STAMP = new Date().toISOString().replace(/\D/g, '').slice(4, 14);
const JOB = `OF-E2E-${STAMP}`;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'];

mkdirSync(SHOTS, { recursive: true });
let browser;
let page;
let phone;
let adminToken;
const ids = {};

/** Full-page capture: the app scrolls inside `.content`, so let the page grow for the shot. */
async function shot(p, name, full = true) {
  if (!full) return p.screenshot({ path: join(SHOTS, `md-${name}.png`) });
  const style = await p.addStyleTag({ content: 'html,body,#root,.shell{height:auto!important}.content{overflow:visible!important}' });
  await p.screenshot({ path: join(SHOTS, `md-${name}.png`), fullPage: true });
  await style.evaluate((el) => el.remove());
}

/** One panel of the screen, scrolled into view. */
async function part(p, testId, name) {
  const el = p.getByTestId(testId).first();
  await el.scrollIntoViewIfNeeded();
  await el.screenshot({ path: join(SHOTS, `md-${name}.png`) });
}

function step(name, fn) {
  test(name, async () => {
    try {
      await fn();
    } catch (e) {
      if (page) await shot(page, `FAIL-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`).catch(() => undefined);
      throw e;
    }
  });
}

async function api(path, init = {}) {
  const r = await fetch(`${BASE}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  return { status: r.status, body: await r.json().catch(() => null) };
}

async function login(p) {
  await p.getByTestId('login-input').fill('admin');
  await p.getByTestId('password-input').fill(PASSWORD);
  await p.getByTestId('login-submit').click();
  await p.waitForURL((u) => !u.pathname.startsWith('/login'));
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
  const r = await fetch(`${BASE}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: PASSWORD }) });
  adminToken = (await r.json()).access_token;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const c = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', acceptDownloads: true });
  page = await c.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  const pc = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  phone = await pc.newPage();
  phone.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
});

step('a) the alerts page lists the expired instrument and the stock under minimum; the bell shows the count', async () => {
  await api('/alerts/refresh', { method: 'POST', body: '{}' });
  const count = await api('/alerts/count');
  assert.equal(count.status, 200);
  assert.ok(count.body.total > 0, 'demo data has alerts');
  await page.goto(`${BASE}/alerts`);
  await login(page);
  await page.getByTestId('alerts-group-critique').waitFor();
  const badge = await page.getByTestId('alerts-count').innerText();
  assert.equal(badge.trim(), count.body.total > 99 ? '99+' : String(count.body.total));
  const text = await page.locator('main, body').first().innerText();
  assert.match(text, /[ÉE]talonnage|étalonn/i, 'an instrument calibration alert');
  assert.match(text, /minimum/i, 'a stock under minimum alert');
  await shot(page, '01-alerts');
});

step('b) a reservation: 409 "not enough stock" shown in French, then created and released', async () => {
  const items = await api('/material-stock?available=true&per_page=100');
  const item = items.body.items.find((i) => i.available >= 1 && i.label);
  assert.ok(item, 'a material stock item with free pieces');
  ids.item = item;
  await page.goto(`${BASE}/reservations`);
  await page.getByTestId('datatable-reservations').waitFor();
  await shot(page, '02-reservations');
  await page.getByTestId('new-reservation').click();
  await page.getByTestId('input-item_type').selectOption('matiere');
  await page.getByTestId('pick-item').fill(item.label);
  await page.getByTestId('pick-item-option').filter({ hasText: item.label }).first().click();
  await page.getByTestId('availability').getByText(`= ${item.available}`).waitFor();
  await page.getByTestId('input-quantity').fill(String(item.available + 50));
  await page.getByTestId('input-job_ref').fill(JOB);
  await page.getByTestId('availability').getByText('le serveur refusera').waitFor();
  await page.getByTestId('save-reservation').click();
  const err = await page.getByTestId('form-error').innerText();
  assert.match(err, /insuffisant|disponible/i, `French 409 detail, got: ${err}`);
  await shot(page, '03-reservation-409');
  await page.getByTestId('input-quantity').fill('1');
  await page.getByTestId('save-reservation').click();
  await page.getByText(`Réservation enregistrée pour ${JOB}.`).waitFor();
  await page.goto(`${BASE}/reservations?job_ref=${JOB}`);
  const row = page.locator('tr', { hasText: JOB });
  await row.getByText('Active').waitFor();
  await row.getByText(item.label).waitFor();
  await shot(page, '04-reservation-created');
  await row.getByRole('button', { name: 'Libérer' }).click();
  await page.getByTestId('input-release_reason').fill('OF annulé (e2e)');
  await page.getByTestId('release-dialog').getByTestId('confirm-ok').click();
  await page.getByText('Réservation libérée.').waitFor();
  await row.getByText('Libérée').waitFor();
  const after = await api(`/material-stock/${item.id}`);
  assert.equal(after.body.reserved, item.reserved, 'the reserved pieces are free again');
});

step('c) a client attachment: upload, download, delete', async () => {
  const clients = await api('/clients?per_page=1&sort=name');
  const client = clients.body.items[0];
  await page.goto(`${BASE}/clients/${client.id}`);
  await page.getByTestId('attachments-panel').waitFor();
  const name = `bon-de-commande-${STAMP}.txt`;
  const content = `Commande cadre ${STAMP}\n`;
  await page.getByTestId('attachment-file').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(content) });
  await page.getByTestId('attachment-kind').selectOption('document');
  await page.getByTestId('attachment-note').fill('Reçu par e-mail');
  await page.getByTestId('attachment-upload-submit').click();
  await page.getByText(`Fichier « ${name} » joint.`).waitFor();
  const row = page.getByTestId('attachment').filter({ hasText: name });
  await row.waitFor();
  await shot(page, '05-client-attachments');
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name, exact: true }).click()]);
  assert.equal(download.suggestedFilename(), name);
  const path = await download.path();
  assert.equal(readFileSync(path, 'utf8'), content);
  await row.getByRole('button', { name: /Supprimer/ }).click();
  await page.getByTestId('attachment-delete-dialog').getByTestId('confirm-ok').click();
  await page.getByText('Fichier supprimé.').waitFor();
  // The toast comes with the server's answer; the list is read again just after (a loaded CI
  // run counted the row before that).
  await page.getByTestId('attachment').filter({ hasText: name }).waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('attachment').filter({ hasText: name }).count(), 0);
});

step('d) a cutting data row edited in place', async () => {
  const tools = await api('/tools?per_page=100&sort=code');
  let tool;
  let cd;
  for (const t of tools.body.items) {
    const rows = await api(`/tools/${t.id}/cutting-data`);
    if (rows.body?.length) {
      tool = t;
      cd = rows.body[0];
      break;
    }
  }
  assert.ok(cd, 'a demo tool with cutting data');
  ids.tool = tool;
  ids.cd = cd;
  await page.goto(`${BASE}/tools/${tool.id}`);
  await page.getByTestId('cutting-data').waitFor();
  await page.getByTestId(`edit-cutting-${cd.id}`).click();
  const vcMax = `${Number(cd.vc_max ?? cd.vc_min ?? 100) + 5}`;
  await page.getByTestId('cd-vc_max').fill(vcMax);
  if (!cd.vc_min) await page.getByTestId('cd-vc_min').fill('100');
  await shot(page, '06-cutting-edit');
  await page.getByTestId('save-cutting').click();
  await page.getByText('Condition de coupe enregistrée.').waitFor();
  await page.getByTestId(`cutting-row-${cd.iso_group}`).first().getByText(new RegExp(`${vcMax}$|–${vcMax}`)).waitFor();
  const now = await api(`/tools/${tool.id}/cutting-data`);
  assert.equal(now.body.find((x) => x.id === cd.id).vc_max, vcMax);
  await page.getByTestId('tool-life').waitFor();
  await shot(page, '07-tool-form');
});

step('e) screenshots of the new screens on desktop and on a phone', async () => {
  const grades = await api('/materials?per_page=1&sort=code');
  const lots = await api('/material-lots?per_page=1&certified=true');
  const screens = [
    ['08-material-lots', '/material-lots', 'datatable-material-lots'],
    ['09-lot-form', `/material-lots/${lots.body.items[0]?.id ?? 1}`, 'attachments-panel'],
    ['10-grade-storage', `/materials/${grades.body.items[0].id}`, 'storage-suggestion'],
    ['11-minimums', '/material-minimums', 'minimums-table'],
    ['12-stock-item', `/material-stock/${ids.item.id}`, 'attachments-panel'],
  ];
  for (const [name, path, testId] of screens) {
    await page.goto(`${BASE}${path}`);
    await page.getByTestId(testId).waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, name);
  }
  assert.ok((await page.getByTestId('storage-item').count()) >= 0);
  await phone.goto(`${BASE}/reservations`);
  await login(phone);
  const phoneScreens = [
    ['p1-reservations', '/reservations', 'datatable-reservations'],
    ['p2-material-lots', '/material-lots', 'datatable-material-lots'],
    ['p3-minimums', '/material-minimums', 'minimums-table'],
    ['p4-tool-form', `/tools/${ids.tool.id}`, 'tool-life'],
    ['p5-grade-storage', `/materials/${grades.body.items[0].id}`, 'storage-suggestion'],
  ];
  for (const [name, path, testId] of phoneScreens) {
    await phone.goto(`${BASE}${path}`);
    await phone.getByTestId(testId).waitFor();
    await phone.waitForLoadState('networkidle');
    await shot(phone, name, false);
  }
  await phone.goto(`${BASE}/tools/${ids.tool.id}`);
  await phone.getByTestId('tool-life').waitFor();
  await part(phone, 'tool-life', 'p7-tool-life');
  await part(phone, 'cutting-data', 'p8-cutting-data');
  await part(phone, 'attachments-panel', 'p9-attachments');
  await phone.getByTestId(`edit-cutting-${ids.cd.id}`).click();
  await part(phone, 'cutting-editor', 'p10-cutting-editor');
  await phone.goto(`${BASE}/materials/${grades.body.items[0].id}`);
  await part(phone, 'storage-suggestion', 'p11-storage');
  await phone.goto(`${BASE}/reservations`);
  await phone.getByTestId('new-reservation').click();
  await phone.getByTestId('reservation-form').waitFor();
  await shot(phone, 'p6-reservation-form', false);
  const overflow = await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  assert.ok(overflow <= 1, `no horizontal page scroll on a phone (overflow ${overflow}px)`);
});
