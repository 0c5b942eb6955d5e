// The phone app (installable PWA, docs/phone-app.md) on phone viewports, on a running server with
// demo data: for a Pixel 7 and an iPhone 14 the operator signs in from the home-screen URL and
// lands on "Mes tâches" (no horizontal scroll), the manifest is valid and installable, the
// service worker controls the page and holds the whole shell of the build, a printed operation
// QR code's URL opens the operation (cold start through the login, the Scanner field), the
// operator starts, pauses with a reason, resumes and finishes an operation, the app
// reloads offline from the cache, and an action tapped offline survives a browser restart (the
// app opens on Mes tâches from the kept session, "Hors ligne" banner, with the task list loaded
// before the restart under "Hors ligne — liste enregistrée le …") and is replayed once back
// online; the traveler's job QR code takes the operator to his operation of that job (or says
// that none is his). Then: a new build gets its own cache (the old one is purged) and the app
// offers to reload; the camera scanner reads a job traveler's QR code (fake camera).
//
// Each phone is a persistent browser profile (like the installed app: service worker, caches
// and localStorage survive a restart). Chromium is driven with the iPhone's size, touch and
// Safari user agent: it is still Chromium (Blink) underneath, not WebKit, so this checks the
// layout and the flows at the iPhone's size, not Safari's engine.
//
// Data: the demo's ready job (assigned operations) belongs to shopfloor.e2e.mjs, which runs after
// this file. Each phone takes another ready job of the demo, of another material, receives its
// own bars in stock (the first operation, a bar-fed lathe, consumes them) and finishes every
// operation it starts: no operation is left running or paused, nothing on the live board.
// Screenshots: phone-<device>-*.png.
//   USINAGE_E2E_URL=http://127.0.0.1:18080 USINAGE_E2E_SHOTS=/tmp/shots-phone node --test e2e/phone.e2e.mjs
/* global document, window, caches */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BASE = (process.env.USINAGE_E2E_URL ?? 'http://127.0.0.1:18080').replace(/\/$/, '');
const SHOTS = resolve(process.env.USINAGE_E2E_SHOTS ?? join(WEB_DIR, 'test-results/screens'));
const CHROMIUM = process.env.USINAGE_E2E_CHROMIUM ?? '/usr/bin/chromium';
const DEMO_PASSWORD = process.env.USINAGE_E2E_PASSWORD ?? 'usinage-demo';
const TIMEOUT = Number(process.env.USINAGE_E2E_TIMEOUT ?? 15_000);
const QUEUE_KEY = 'usinage.shopfloor.queue';
const ME_KEY = 'usinage.me';
const TASKS_KEY = 'usinage.shopfloor.tasks';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'];
const COMMON = { locale: 'fr-FR', timezoneId: 'Europe/Paris', isMobile: true, hasTouch: true };
const DEVICES = [
  {
    key: 'pixel7',
    name: 'Pixel 7',
    options: {
      ...COMMON,
      viewport: { width: 412, height: 915 },
      screen: { width: 412, height: 915 },
      deviceScaleFactor: 2.625,
      userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    },
  },
  {
    key: 'iphone14',
    name: 'iPhone 14',
    // Safari's user agent on Chromium's engine (see the header).
    options: {
      ...COMMON,
      viewport: { width: 390, height: 844 },
      screen: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    },
  },
];

mkdirSync(SHOTS, { recursive: true });
const PROFILES = mkdtempSync(join(tmpdir(), 'usinage-phone-'));

/** Per device: its profile dir, context, page and the work it was given. */
const run = Object.fromEntries(DEVICES.map((d) => [d.key, { dir: join(PROFILES, d.key), ctx: null, page: null, work: null }]));
const tokens = {};
/** The name the app shows for `operateur` (topbar). */
let operatorName = '';
/** @type {import('playwright-core').Browser} a plain browser for one-off contexts */
let browser;

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

/** A session of `user` for the test process's own API calls. */
async function token(user) {
  tokens[user] ??= await (async () => {
    const r = await fetch(`${BASE}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: user, password: DEMO_PASSWORD }) });
    assert.equal(r.status, 200, `login ${user} → ${r.status}`);
    return (await r.json()).access_token;
  })();
  return tokens[user];
}

/** The API from the test process (setup and checks), signed in as `user`. */
async function api(user, path, method = 'GET', body = undefined) {
  const bearer = await token(user);
  const r = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: r.status, body: json ?? text };
}

async function apiOk(user, path, method = 'GET', body = undefined) {
  const r = await api(user, path, method, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path} as ${user} → ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`);
  return r.body;
}

async function shot(p, device, name, fullPage = true) {
  const file = join(SHOTS, `phone-${device.key}-${name}.png`);
  await p.screenshot({ path: file, fullPage });
  return file;
}

/** Runs a step and keeps a screenshot of the phone if it fails. */
function step(device, name, fn) {
  test(`${device ? `${device.name}: ` : ''}${name}`, async () => {
    try {
      await fn();
    } catch (e) {
      const r = device && run[device.key];
      if (r?.page && !r.page.isClosed()) await shot(r.page, device, `FAIL-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`).catch(() => undefined);
      throw e;
    }
  });
}

async function openProfile(device, extra = {}) {
  const r = run[device.key];
  r.ctx = await chromium.launchPersistentContext(r.dir, { executablePath: CHROMIUM, args: ARGS, headless: true, ...device.options, ...extra });
  r.page = r.ctx.pages()[0] ?? (await r.ctx.newPage());
  r.page.setDefaultTimeout(TIMEOUT);
  r.page.on('pageerror', (e) => console.error(`[${device.key} page error] ${e.message}`));
  return r;
}

async function login(p, user, password = DEMO_PASSWORD) {
  await p.getByTestId('login-input').fill(user);
  await p.getByTestId('password-input').fill(password);
  await p.getByTestId('login-submit').tap();
  await p.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** No horizontal scroll: the screen fits the phone's width. */
async function assertFits(p, what) {
  const m = await p.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
  assert.ok(m.sw <= m.iw, `${what}: no horizontal scroll (scrollWidth ${m.sw} > innerWidth ${m.iw})`);
}

/** The shell caches of the app, with what they hold (paths). */
async function shellCaches(p) {
  return p.evaluate(async () => {
    const out = {};
    for (const k of await caches.keys()) out[k] = (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname);
    return out;
  });
}

/**
 * Work for one phone: a ready job nobody works on (not the demo's job of shopfloor.e2e.mjs,
 * whose operations are assigned), not of that job's material, with no certified bar required,
 * whose first operation (the lathe, bar-fed, or the saw) takes bars and whose second is neither
 * a control nor the saw. Its own bars are put in stock first (as admin: a reception), so the
 * phone consumes them and never the bars other scenarios count on.
 */
async function giveWork(taken) {
  const jobs = (await apiOk('chef', '/jobs?per_page=100&sort=id')).items;
  const tasks = await apiOk('chef', '/shop-floor/tasks?all=true');
  const busy = new Set(tasks.filter((t) => t.assigned_user_id != null || t.operators.length > 0 || t.status !== 'a_faire').map((t) => t.job_id));
  const details = [];
  for (const job of jobs.filter((j) => j.status === 'pret' || j.status === 'en_cours')) details.push(await apiOk('chef', `/jobs/${job.id}`));
  const material = (j) => (j.debit ? `${j.debit.grade} ${j.debit.section}` : null);
  const reserved = new Set(details.filter((j) => busy.has(j.id)).map(material));
  const isControl = (o) => o.process === 'controle' || o.work_centre === 'controle';
  for (const job of details) {
    if (job.status !== 'pret' || busy.has(job.id) || taken.includes(job.id)) continue;
    const d = job.debit;
    if (!d?.grade || d.certified_required || reserved.has(material(job)) || !/^Ø\d+(?:[.,]\d+)?$/.test(d.section)) continue;
    const ops = [...job.operations].sort((a, b) => a.position - b.position);
    if (ops.length < 2 || ops.some((o) => o.status !== 'a_faire')) continue;
    const [first, second] = ops;
    if (isControl(first) || isControl(second) || second.process === 'debit' || first.supplier_id != null || second.supplier_id != null) continue;
    const v = await apiOk('operateur', `/shop-floor/operations/${first.id}`);
    if (!v.can?.start || v.is_control || !v.is_debit) continue;
    // Its bars: 3 m long, enough for every part (cut length + 3 mm saw kerf, 2 mm end trim).
    const grade = (await apiOk('admin', `/materials?q=${encodeURIComponent(d.grade)}`)).items.find((g) => g.code === d.grade);
    if (!grade) continue;
    const perBar = Math.floor((3000 - 2) / (Number(d.cut_length_mm) + 3));
    const bars = Math.ceil(v.input_available / perBar) + 1;
    const stock = await apiOk('admin', '/material-stock', 'POST', {
      grade_id: grade.id,
      shape: 'rond',
      diameter_mm: d.section.slice(1).replace(',', '.'),
      length_mm: '3000',
      quantity: bars,
      notes: `Barres pour le test téléphone (${job.number})`,
    });
    // The saw plan of the operation takes those bars and nothing else.
    const plan = await apiOk('operateur', `/shop-floor/operations/${first.id}/saw-plan`);
    assert.ok(!plan.error, `saw plan of ${job.number}: ${plan.error}`);
    assert.deepEqual([...new Set(plan.cuts.map((c) => c.stock_id))], [stock.id], `${job.number} is cut from its own bars only`);
    return { jobId: job.id, jobNumber: job.number, quantity: v.input_available, flowOp: first.id, offlineOp: second.id, stockId: stock.id };
  }
  throw new Error(`no ready job to work on from a phone among ${jobs.length} jobs`);
}

before(async () => {
  await waitForServer();
  const me = await apiOk('operateur', '/auth/me');
  operatorName = me.full_name || me.login;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const taken = [];
  for (const d of DEVICES) {
    run[d.key].work = await giveWork(taken);
    taken.push(run[d.key].work.jobId);
  }
});

after(async () => {
  for (const r of Object.values(run)) await r.ctx?.close().catch(() => undefined);
  await browser?.close();
  rmSync(PROFILES, { recursive: true, force: true });
});

for (const device of DEVICES) {
  const r = run[device.key];

  step(device, 'operateur signs in from the home-screen URL and lands on "Mes tâches", which fits the screen', async () => {
    await openProfile(device);
    const p = r.page;
    // The installed app opens its start_url.
    await p.goto(`${BASE}/shop-floor`);
    await p.waitForURL((u) => u.pathname === '/login');
    await p.getByTestId('login-card').waitFor();
    await assertFits(p, 'login');
    await login(p, 'operateur');
    assert.equal(new URL(p.url()).pathname, '/shop-floor');
    await p.getByTestId('shopfloor-tasks').waitFor();
    await p.getByTestId('tasks-list').or(p.getByTestId('tasks-empty')).first().waitFor();
    const scan = await p.getByTestId('task-scan-start').boundingBox();
    assert.ok(scan && scan.height >= 48 && scan.width >= device.options.viewport.width * 0.7, 'the Scanner button is a big full-width touch target');
    await assertFits(p, 'Mes tâches');
    await shot(p, device, 'taches');
  });

  step(device, 'the manifest is linked, valid JSON and installable (id, start_url, scope, standalone, icons with maskable, shortcuts)', async () => {
    const p = r.page;
    const href = await p.locator('link[rel="manifest"]').getAttribute('href');
    assert.equal(href, '/manifest.webmanifest');
    const res = await fetch(new URL(href, BASE));
    assert.equal(res.status, 200);
    const m = JSON.parse(await res.text());
    assert.equal(m.id, '/shop-floor');
    assert.equal(m.start_url, '/shop-floor');
    assert.equal(m.scope, '/');
    assert.equal(m.display, 'standalone');
    assert.equal(m.lang, 'fr');
    assert.ok(m.name && m.short_name && m.short_name.length <= 12, 'name and a short name for the home screen');
    assert.match(m.theme_color, /^#[0-9a-f]{6}$/i);
    assert.match(m.background_color, /^#[0-9a-f]{6}$/i);
    const png = async (src) => {
      const r = await fetch(new URL(src, BASE));
      assert.equal(r.status, 200, `${src} is served`);
      const b = Buffer.from(await r.arrayBuffer());
      assert.equal(b.subarray(1, 4).toString(), 'PNG', `${src} is a PNG`);
      return `${b.readUInt32BE(16)}x${b.readUInt32BE(20)}`;
    };
    const icons = m.icons.filter((i) => i.type === 'image/png');
    for (const i of icons) assert.equal(await png(i.src), i.sizes, `${i.src} is really ${i.sizes}`);
    const any = icons.filter((i) => (i.purpose ?? 'any').split(' ').includes('any')).map((i) => i.sizes);
    assert.ok(any.includes('192x192') && any.includes('512x512'), 'icons 192 and 512');
    assert.ok(icons.some((i) => i.purpose?.split(' ').includes('maskable') && i.sizes === '512x512'), 'a maskable 512 icon (Android adaptive icons)');
    const urls = m.shortcuts.map((s) => s.url);
    assert.deepEqual(m.shortcuts.map((s) => s.name), ['Mes tâches', 'Scanner']);
    assert.deepEqual(urls, ['/shop-floor', '/scan']);
    // Every URL of the manifest is inside its scope.
    for (const u of [m.start_url, m.id, ...urls]) assert.ok(u.startsWith(m.scope), `${u} in scope`);
    // The page carries what iOS uses instead (home-screen icon, title).
    assert.equal(await p.locator('link[rel="apple-touch-icon"]').count(), 1);
    assert.equal(await p.locator('meta[name="theme-color"]').getAttribute('content'), m.theme_color);
  });

  step(device, 'the service worker controls the page and holds the whole shell of this build', async () => {
    const p = r.page;
    await p.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
    const sw = await p.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration('/');
      const scripts = [...document.querySelectorAll('script[src]')].map((s) => new URL(s.src).pathname);
      return { script: navigator.serviceWorker.controller.scriptURL, scope: reg?.scope, scripts, secure: window.isSecureContext };
    });
    assert.ok(sw.secure, 'a secure context (localhost or HTTPS): the camera may be used');
    assert.equal(sw.scope, `${BASE}/`);
    const version = new URL(sw.script).searchParams.get('v');
    assert.match(version ?? '', /^[0-9a-z]+$/, `the worker is named after the build (${sw.script})`);
    const cachesNow = await shellCaches(p);
    assert.deepEqual(Object.keys(cachesNow).filter((k) => k.startsWith('usinage-shell-')), [`usinage-shell-${version}`], 'one shell cache, this build’s');
    const held = cachesNow[`usinage-shell-${version}`];
    for (const path of ['/index.html', '/manifest.webmanifest', '/icons/icon-192.png', ...sw.scripts]) assert.ok(held.includes(path), `${path} is cached`);
    // The lazy screens of the shop floor and the QR scanner library are precached too.
    for (const chunk of ['TasksPage', 'OperationPage', 'shopfloor']) assert.ok(held.some((h) => h.startsWith(`/assets/${chunk}-`)), `${chunk} chunk is cached`);
    assert.ok(!held.some((h) => h.startsWith('/api/')), 'no API answer is cached');
  });

  step(device, 'a printed QR code opens its operation: cold start through the login, then the Scanner field', async () => {
    const p = r.page;
    const { flowOp } = r.work;
    // An operation's QR scanned by the phone's own camera app, the app not signed in yet: the
    // login page keeps the deep link.
    const coldCtx = await browser.newContext(device.options);
    try {
      const c = await coldCtx.newPage();
      c.setDefaultTimeout(TIMEOUT);
      await c.goto(`${BASE}/operations/${flowOp}`);
      await c.waitForURL((u) => u.pathname === '/login');
      assert.equal(new URL(c.url()).searchParams.get('next'), `/operations/${flowOp}`);
      await login(c, 'operateur');
      assert.equal(new URL(c.url()).pathname, `/operations/${flowOp}`);
      await c.getByTestId('operation-page').waitFor();
    } finally {
      await coldCtx.close();
    }
    // The Scanner of "Mes tâches" gets the text the camera read: the operation's URL.
    await p.goto(`${BASE}/shop-floor`);
    await p.getByTestId('task-scan-manual').fill(`${BASE}/operations/${flowOp}`);
    await p.getByTestId('task-scan-open').tap();
    await p.waitForURL((u) => u.pathname === `/operations/${flowOp}`);
    await p.getByTestId('operation-page').waitFor();
    assert.equal((await p.getByTestId('op-status').innerText()).trim(), 'À faire');
    await assertFits(p, 'operation');
    await shot(p, device, 'operation');
  });

  step(device, 'start, pause with a reason, resume, then finish with the good quantity', async () => {
    const p = r.page;
    const op = r.work.flowOp;
    const action = async (name, trigger) => {
      const [resp] = await Promise.all([p.waitForResponse((x) => x.url().endsWith(`/shop-floor/operations/${op}/${name}`) && x.request().method() === 'POST'), trigger()]);
      assert.equal(resp.status(), 200, `${name} → ${resp.status()} ${await resp.text().catch(() => '')}`);
      return resp;
    };
    const start = p.getByTestId('action-start');
    const box = await start.boundingBox();
    assert.ok(box && box.height >= 48, 'Démarrer is a big touch target');
    await action('start', () => start.tap());
    await p.getByTestId('op-status').filter({ hasText: 'En cours' }).waitFor();
    await p.getByTestId('action-pause').tap();
    await p.getByTestId('pause-sheet').waitFor();
    await assertFits(p, 'pause sheet');
    await shot(p, device, 'pause-sheet', false);
    await action('pause', () => p.getByTestId('reason-attente_matiere').tap());
    await p.getByTestId('op-status').filter({ hasText: 'En pause' }).waitFor();
    await action('resume', () => p.getByTestId('action-resume').tap());
    await p.getByTestId('op-status').filter({ hasText: 'En cours' }).waitFor();
    await p.getByTestId('action-finish').tap();
    await p.getByTestId('finish-sheet').waitFor();
    await p.getByTestId('qty-good').fill(String(r.work.quantity));
    await p.getByTestId('qty-scrap').fill('0');
    await assertFits(p, 'finish sheet');
    await shot(p, device, 'finish-sheet', false);
    await p.getByTestId('finish-ok').tap();
    await p.getByTestId('measured-time').waitFor();
    await action('finish', () => p.getByTestId('finish-confirm').tap());
    await p.getByTestId('op-status').filter({ hasText: /Termin/ }).waitFor();
    assert.equal((await p.getByTestId('op-good').innerText()).trim(), String(r.work.quantity));
    await shot(p, device, 'finished');
    // What the server recorded.
    const v = await apiOk('chef', `/shop-floor/operations/${op}`);
    assert.equal(v.status, 'termine');
    assert.equal(v.qty_good, r.work.quantity);
    assert.equal(v.sessions.length, 2, 'two work sessions, before and after the pause');
    assert.ok(v.sessions.every((s) => s.ended_at), 'every session is closed');
    const sessions = [...v.sessions].sort((a, b) => a.started_at.localeCompare(b.started_at));
    assert.equal(sessions[0].end_reason, 'attente_matiere', 'the pause reason is recorded');
    assert.ok(v.assigned_user_id != null, 'starting it assigned it to the operator');
  });

  step(device, 'offline, a reload still shows the app from the cache', async () => {
    const p = r.page;
    await p.goto(`${BASE}/shop-floor`);
    await p.getByTestId('shopfloor-tasks').waitFor();
    await r.ctx.setOffline(true);
    try {
      await p.reload();
      // The page is the app's (from the service worker), not the browser's error page.
      assert.equal(await p.title(), 'Gestion Usinage');
      // Signed in from the kept copy of the session: Mes tâches, under the "Hors ligne" banner.
      await p.getByTestId('shopfloor-tasks').waitFor();
      await p.getByTestId('offline-banner').waitFor();
      await assertFits(p, 'offline');
      await shot(p, device, 'offline-reload');
    } finally {
      await r.ctx.setOffline(false);
    }
    await p.reload();
    await p.getByTestId('shopfloor-tasks').waitFor();
  });

  step(device, 'an action tapped offline survives a browser restart and is replayed once back online', async () => {
    let p = r.page;
    const op = r.work.offlineOp;
    // Mes tâches loaded with the network: the list the phone keeps for offline use.
    await p.goto(`${BASE}/shop-floor`);
    await p.getByTestId('tasks-list').or(p.getByTestId('tasks-empty')).first().waitFor();
    const cardIds = () => p.locator('[data-testid="tasks-list"] a.sf-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    const listed = await cardIds();
    assert.ok(listed.length > 0, 'the demo gives the operator tasks (operations assigned to him)');
    const savedList = await p.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? 'null'), TASKS_KEY);
    assert.deepEqual(savedList?.tasks?.map((t) => `task-${t.operation_id}`), listed, 'the list shown is the one kept');
    assert.equal(savedList.user_id, (await apiOk('operateur', '/auth/me')).id, 'kept for the operator');
    await p.goto(`${BASE}/operations/${op}`);
    await p.getByTestId('action-start').waitFor();
    await r.ctx.setOffline(true);
    await p.getByTestId('action-start').tap();
    await p.getByTestId('queue-count').filter({ hasText: '1 action en attente' }).waitFor();
    await shot(p, device, 'offline-queued');
    const saved = await r.ctx.storageState();
    const origin = saved.origins.find((o) => o.origin === BASE);
    const entry = origin?.localStorage.find((x) => x.name === QUEUE_KEY);
    assert.ok(entry, 'the queue is in the saved storage');
    const queued = JSON.parse(entry.value).pending;
    assert.equal(queued.length, 1);
    assert.equal(queued[0].path, `/shop-floor/operations/${op}/start`);
    const key = queued[0].key;
    // The browser is closed (phone restarted, app killed) and opened again, still offline.
    // Same profile (what a phone keeps: service worker, caches, localStorage), so more than the
    // saved storageState checked above. The app is closed first (a blank page): closing the
    // context drops its offline emulation, which fires `online` in a page still open, and the
    // queue would send the action then, with the browser's own user agent, its answer lost.
    await p.goto('about:blank');
    await r.ctx.close();
    await openProfile(device, { offline: true });
    p = r.page;
    // The home-screen icon: Mes tâches, signed in from the copy of the session kept on the
    // phone (the server cannot say who is signed in), with the "Hors ligne" banner.
    await p.goto(`${BASE}/shop-floor`);
    assert.equal(await p.title(), 'Gestion Usinage', 'the app opens from the cache after the restart');
    await p.getByTestId('shopfloor-tasks').waitFor();
    const banner = p.getByTestId('offline-banner');
    await banner.waitFor();
    assert.match(await banner.innerText(), /Hors ligne/);
    assert.match(await banner.innerText(), /seront envoyées dès le retour du réseau/);
    assert.equal((await p.getByTestId('user-name').textContent()).trim(), operatorName, 'the operator of the kept session');
    await p.getByTestId('queue-count').filter({ hasText: '1 action en attente' }).waitFor();
    // The task list loaded before the restart, under the notice of when it was saved.
    const notice = p.getByTestId('tasks-kept-title');
    await notice.waitFor();
    assert.match(await notice.innerText(), /^Hors ligne — liste enregistrée le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}$/);
    assert.deepEqual(await cardIds(), listed, 'the same task cards as before the restart');
    assert.equal(await p.getByTestId('tasks-offline').count(), 0);
    const errors = await p.getByTestId('error-banner').allInnerTexts();
    assert.deepEqual(errors, [], 'no "Le serveur ne répond pas" in place of the app');
    await assertFits(p, 'offline restart');
    await shot(p, device, 'offline-restart');
    const kept = await p.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? '{}'), QUEUE_KEY);
    assert.equal(kept.pending?.length, 1, 'the action is still queued after the restart');
    assert.equal(kept.pending[0].key, key);
    const stored = await p.evaluate((k) => ({ me: JSON.parse(localStorage.getItem(k) ?? 'null'), access: localStorage.getItem('usinage.access_token'), refresh: localStorage.getItem('usinage.refresh_token') }), ME_KEY);
    assert.equal(stored.me?.me?.login, 'operateur', 'the kept copy of the session is the operator’s');
    assert.ok(Array.isArray(stored.me.me.roles) && stored.me.me.permissions?.time_tracking, 'with his roles and rights');
    // Never the password nor a token (a demo e-mail may well contain "usinage-demo").
    const values = [];
    const walk = (v, key) => {
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
      else values.push([key, v]);
    };
    walk(stored.me, '');
    for (const [k, v] of values) {
      assert.ok(!/^(password|access_token|refresh_token)$/.test(k), `no ${k} kept`);
      assert.ok(v !== DEMO_PASSWORD && v !== stored.access && v !== stored.refresh, `${k}: neither the password nor a token`);
    }
    const before = await apiOk('chef', `/shop-floor/operations/${op}`);
    assert.equal(before.status, 'a_faire', 'nothing reached the server yet');
    // Back online, without a reload: the app asks the server again (the banner goes, the task
    // list loads) and replays the action, once. Counted on the answers: a try of the queue's
    // timer while still offline never reached the server.
    const replays = [];
    p.on('response', (res) => {
      const x = res.request();
      if (x.method() === 'POST' && x.url().endsWith(`/shop-floor/operations/${op}/start`)) replays.push(x.headers()['idempotency-key']);
    });
    await r.ctx.setOffline(false);
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await p.getByTestId('queue-badge').waitFor({ state: 'detached', timeout: 30_000 });
    await p.getByTestId(`task-${op}`).waitFor({ timeout: 30_000 });
    // The live list (with the replayed operation, now his) replaced the kept one.
    assert.equal(await p.getByTestId('tasks-kept').count(), 0, 'no "liste enregistrée" notice once online');
    await p.getByTestId(`task-${op}`).tap();
    await p.waitForURL((u) => u.pathname === `/operations/${op}`);
    await p.getByTestId('op-status').filter({ hasText: 'En cours' }).waitFor();
    assert.deepEqual(replays, [key], 'replayed once, with the key of the tap');
    const v = await apiOk('chef', `/shop-floor/operations/${op}`);
    assert.equal(v.status, 'en_cours');
    assert.equal(v.sessions.length, 1, 'one start recorded');
    const lag = Math.abs(Date.parse(v.sessions[0].started_at) - Date.parse(queued[0].occurred_at));
    assert.ok(lag < 1000, `recorded at the time of the tap, not of the replay (${v.sessions[0].started_at} vs ${queued[0].occurred_at})`);
    await shot(p, device, 'offline-replayed');
    // It stays running: the next step reaches it through the job's QR code, then finishes it.
  });

  step(device, 'the traveler’s job QR code takes the operator to his operation (Scanner and opened directly), or says none is his', async () => {
    const p = r.page;
    const { jobId, offlineOp: op } = r.work;
    try {
      // Mes tâches' Scanner gets the text the camera read on the traveler's header: the job's URL.
      // The operator has no right on the routings: he lands on his operation of that job (the
      // first op. is finished, the second is his and running), not on "Accès refusé".
      await p.goto(`${BASE}/shop-floor`);
      await p.getByTestId('tasks-list').waitFor();
      await p.getByTestId('task-scan-manual').fill(`${BASE}/jobs/${jobId}`);
      await p.getByTestId('task-scan-open').tap();
      await p.waitForURL((u) => u.pathname === `/operations/${op}`);
      await p.getByTestId('op-status').filter({ hasText: 'En cours' }).waitFor();
      assert.equal(await p.getByTestId('forbidden-banner').count(), 0);
      await shot(p, device, 'job-qr-scanned');
      // The same URL opened directly (the phone's camera app opens it in the installed app).
      await p.goto(`${BASE}/jobs/${jobId}`);
      await p.waitForURL((u) => u.pathname === `/operations/${op}`);
      await p.getByTestId('operation-page').waitFor();
      assert.equal(await p.getByTestId('forbidden-banner').count(), 0);
    } finally {
      // Leave nothing running: finish it (the board and the next files see a finished operation).
      const v = await apiOk('chef', `/shop-floor/operations/${op}`);
      if (v.status === 'en_cours') {
        const done = await api('operateur', `/shop-floor/operations/${op}/finish`, 'POST', { good: v.input_available, scrap: 0 });
        assert.equal(done.status, 200, `finish → ${done.status} ${JSON.stringify(done.body).slice(0, 300)}`);
      }
    }
    // Both of his operations of the job are finished: nothing of it is his any more.
    await p.goto(`${BASE}/shop-floor`);
    await p.getByTestId('shopfloor-tasks').waitFor();
    await p.getByTestId('task-scan-manual').fill(`${BASE}/jobs/${jobId}`);
    await p.getByTestId('task-scan-open').tap();
    const none = p.getByTestId('job-no-operation');
    await none.waitFor();
    assert.match(await none.innerText(), /Aucune opération de cet OF ne vous est affectée/);
    assert.equal(new URL(p.url()).pathname, '/shop-floor', 'he stays on Mes tâches, Scanner at hand');
    await assertFits(p, 'job QR without operation');
    await shot(p, device, 'job-qr-none');
    await p.goto(`${BASE}/jobs/${jobId}`);
    await p.getByTestId('operator-job').getByTestId('job-no-operation').waitFor();
    assert.equal(await p.getByTestId('forbidden-banner').count(), 0);
  });
}

step(null, 'update: a new build gets its own cache, the old one is purged, and the app offers to reload', async () => {
  const device = DEVICES[0];
  const r = run[device.key];
  const p = r.page;
  await p.goto(`${BASE}/shop-floor`);
  await p.getByTestId('shopfloor-tasks').waitFor();
  const workerOf = () => p.evaluate(() => new URL(navigator.serviceWorker.controller?.scriptURL ?? 'http://x/').searchParams.get('v'));
  const shellKeys = async () => Object.keys(await shellCaches(p)).filter((k) => k.startsWith('usinage-shell-'));
  const current = await workerOf();
  assert.ok(current);
  // The worker of a next build (what the page registers after an update of the server).
  await p.evaluate(() => navigator.serviceWorker.register('/sw.js?v=e2enext', { scope: '/', updateViaCache: 'none' }));
  await p.waitForFunction(() => navigator.serviceWorker.controller?.scriptURL.endsWith('v=e2enext'), null, { timeout: 30_000 });
  await expectKeys(shellKeys, ['usinage-shell-e2enext'], 'the next build has its own cache, the old one is purged');
  // Reloaded, the page registers the worker of the build it runs: that one comes back, the
  // other cache goes.
  await p.reload();
  await p.getByTestId('shopfloor-tasks').waitFor();
  await p.waitForFunction((v) => navigator.serviceWorker.controller?.scriptURL.endsWith(`v=${v}`), current, { timeout: 30_000 });
  await expectKeys(shellKeys, [`usinage-shell-${current}`], 'back to the running build’s cache alone');
  // The server now serves another build: the app offers to reload (never by itself).
  await p.route(`${BASE}/index.html`, async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace(/\/assets\/index-[\w-]+\.js/, '/assets/index-e2enext.js');
    await route.fulfill({ response: res, body: html });
  });
  await p.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await p.getByTestId('pwa-update').waitFor();
  assert.match(await p.getByTestId('pwa-update').innerText(), /Nouvelle version disponible/);
  await assertFits(p, 'update banner');
  await shot(p, device, 'update-banner', false);
  await p.unroute(`${BASE}/index.html`);
  await Promise.all([p.waitForEvent('load'), p.getByTestId('pwa-reload').tap()]);
  await p.getByTestId('shopfloor-tasks').waitFor();
  assert.equal(await p.getByTestId('pwa-update').count(), 0);
});

step(null, 'camera: on a phone, the chef d’atelier’s "Scanner" shortcut reads a traveler QR code through the camera and opens the job', async () => {
  const device = DEVICES[1];
  const { jobId } = run[DEVICES[0].key].work;
  // The QR code the server prints on the job's traveler (it encodes `<public url>/jobs/{id}`).
  const qr = await fetch(`${BASE}/api/v1/qr/jobs/${jobId}.png`, { headers: { Authorization: `Bearer ${await token('chef')}` } });
  assert.equal(qr.status, 200, `QR image → ${qr.status}`);
  const png = Buffer.from(await qr.arrayBuffer()).toString('base64');
  // A camera pointed at the traveler: the QR on white, as the MJPEG file Chromium's fake camera
  // plays in a loop.
  const painter = await browser.newPage();
  const jpeg = await painter.evaluate(async (b64) => {
    const img = new window.Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = 640;
    c.height = 480;
    const g = c.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    g.imageSmoothingEnabled = false;
    const side = 360;
    g.drawImage(img, (c.width - side) / 2, (c.height - side) / 2, side, side);
    return c.toDataURL('image/jpeg', 0.95).split(',')[1];
  }, png);
  await painter.close();
  const video = join(PROFILES, 'traveler-qr.mjpeg');
  const frame = Buffer.from(jpeg, 'base64');
  writeFileSync(video, Buffer.concat([frame, frame, frame]));
  const camera = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
  try {
    const ctx = await camera.newContext({ ...device.options, permissions: ['camera'] });
    const p = await ctx.newPage();
    p.setDefaultTimeout(TIMEOUT);
    // The manifest's "Scanner" shortcut.
    await p.goto(`${BASE}/scan`);
    await p.waitForURL((u) => u.pathname === '/login');
    // The job's traveler is for the office and the chef (an operator has no right on routings:
    // he scans the QR code of an operation).
    await login(p, 'chef');
    assert.equal(new URL(p.url()).pathname, '/scan');
    await p.getByTestId('scan-page').waitFor();
    assert.equal(await p.evaluate(() => window.isSecureContext), true);
    await p.getByTestId('scan-start').tap();
    await p.waitForURL((u) => u.pathname === `/jobs/${jobId}`, { timeout: 30_000 });
    await p.getByTestId('job-detail').waitFor();
    await assertFits(p, 'job after the camera scan');
    await shot(p, device, 'camera-scanned-job');
  } finally {
    await camera.close();
  }
});

/** Polls `get` until it returns `expected` (the worker activates a moment after it controls). */
async function expectKeys(get, expected, message) {
  const deadline = Date.now() + 10_000;
  let last;
  while (Date.now() < deadline) {
    last = await get();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.deepEqual(last, expected, message);
}
