// Drives the real desktop app (a real WebKitGTK window under Xvfb) through tauri-driver and
// WebKitWebDriver, with plain WebDriver HTTP calls (no Selenium, no browser download).
//
//   node tests/webdriver.mjs essai  <app> <outdir>
//   node tests/webdriver.mjs server <app> <outdir> <usinage-binary> <workdir>
//   node tests/webdriver.mjs tls    <app> <outdir> <usinage-binary> <workdir>
//
// tauri-driver must already listen on WEBDRIVER_URL (default http://127.0.0.1:4444).
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const WD = process.env.WEBDRIVER_URL ?? 'http://127.0.0.1:4444';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const DEMO_PASSWORD = 'usinage-demo';
const [scenario, app, outdir, usinageBin, workdir] = process.argv.slice(2);
mkdirSync(outdir, { recursive: true });

const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function wd(method, p, body) {
  const r = await fetch(WD + p, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const j = await r.json().catch(() => ({}));
  if (!r.ok || j.value?.error) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(j.value ?? j)}`);
  return j.value;
}

class Session {
  static async start(args) {
    const v = await wd('POST', '/session', {
      capabilities: { alwaysMatch: { 'tauri:options': { application: app, args } } },
    });
    const s = new Session();
    s.id = v.sessionId;
    return s;
  }
  p(rest) {
    return `/session/${this.id}${rest}`;
  }
  url() {
    return wd('GET', this.p('/url'));
  }
  exec(script, args = []) {
    return wd('POST', this.p('/execute/sync'), { script, args });
  }
  async find(css) {
    const v = await wd('POST', this.p('/element'), { using: 'css selector', value: css });
    return v[ELEMENT];
  }
  async waitFor(what, fn, timeout = 60_000) {
    const end = Date.now() + timeout;
    let last;
    while (Date.now() < end) {
      try {
        const v = await fn();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      await sleep(300);
    }
    throw new Error(`timeout waiting for ${what}${last ? `: ${last.message}` : ''}`);
  }
  waitCss(css, timeout) {
    return this.waitFor(css, () => this.exec('return !!document.querySelector(arguments[0])', [css]).then((ok) => ok && this.find(css)), timeout);
  }
  waitGone(css, timeout) {
    return this.waitFor(`${css} gone`, () => this.exec('return !document.querySelector(arguments[0])', [css]), timeout);
  }
  async type(css, text) {
    const el = await this.waitCss(css);
    await wd('POST', this.p(`/element/${el}/clear`), {});
    await wd('POST', this.p(`/element/${el}/value`), { text });
  }
  async click(css) {
    const el = await this.waitCss(css);
    await wd('POST', this.p(`/element/${el}/click`), {});
  }
  text(css) {
    return this.exec('const e = document.querySelector(arguments[0]); return e ? e.textContent : null', [css]);
  }
  async shot(name) {
    // Let WebKit paint what the DOM now holds (under Xvfb painting lags the DOM a little).
    await sleep(800);
    const b64 = await wd('GET', this.p('/screenshot'));
    const file = path.join(outdir, `${name}.png`);
    writeFileSync(file, Buffer.from(b64, 'base64'));
    try {
      execFileSync('import', ['-window', 'root', path.join(outdir, `${name}-x11.png`)], { stdio: 'ignore' });
    } catch {
      /* ImageMagick absent: the WebDriver screenshot is enough */
    }
    log('screenshot', file);
  }
  end() {
    return wd('DELETE', this.p('')).catch(() => {});
  }
}

async function login(s, user) {
  await s.waitFor('the UI on the loopback proxy', async () => (await s.url()).startsWith('http://127.0.0.1:'), 120_000);
  log('UI at', await s.url());
  const bridge = await s.exec('return window.__USINAGE_DESKTOP__ ? {server: window.__USINAGE_DESKTOP__.server, essai: window.__USINAGE_DESKTOP__.essai} : null');
  if (!bridge) throw new Error('window.__USINAGE_DESKTOP__ missing: the initialization script did not run');
  log('desktop bridge', JSON.stringify(bridge));
  // A previous run may have left a session in the credential store: sign out first.
  if (await s.exec('return !!document.querySelector("[data-testid=logout]")').catch(() => false)) {
    await s.click('[data-testid=logout]');
  }
  await s.type('[data-testid=login-input]', user);
  await s.type('[data-testid=password-input]', DEMO_PASSWORD);
  await s.click('[data-testid=login-submit]');
  await s.waitCss('[data-testid=user-name]', 60_000);
  const stored = await s.exec('return localStorage.getItem("usinage.access_token")');
  if (stored) throw new Error('the access token went to localStorage in the desktop app');
  const viaBridge = await s.exec(
    `return fetch('/__desktop/tokens', {headers: {'x-usinage-desktop': window.__USINAGE_DESKTOP__.secret}}).then(r => r.status)`,
  );
  if (viaBridge !== 200) throw new Error(`tokens not in the bridge (${viaBridge})`);
  log('logged in as', user, '— tokens in the credential store bridge, none in localStorage');
}

function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function startServer(port, dataDir, extra = []) {
  const child = spawn(usinageBin, ['serve', '--demo', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  child.output = () => out;
  return child;
}

async function waitHealthy(url, child) {
  const end = Date.now() + 180_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited: ${child.output()}`);
    if (/prêt en/.test(child.output())) return;
    await sleep(300);
  }
  throw new Error(`server not ready: ${child.output()}`);
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await done;
}

async function essai() {
  const s = await Session.start(['--essai']);
  try {
    await login(s, 'chef');
    await s.shot('essai');
    const title = await s.text('[data-testid=user-name]');
    log('home screen shows user', JSON.stringify(title));
  } finally {
    await s.end();
  }
}

async function server() {
  const port = await freePort();
  const dataDir = path.join(workdir, 'server-data');
  rmSync(dataDir, { recursive: true, force: true });
  let child = startServer(port, dataDir);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child);
  log('server up at', url);
  const s = await Session.start(['--serveur', url]);
  try {
    await login(s, 'chef');
    await s.shot('serveur-connecte');
    log('killing the server');
    await stopServer(child);
    await s.waitCss('#usinage-desktop-banner', 30_000);
    const banner = await s.text('#usinage-desktop-banner');
    if (!/Serveur injoignable/.test(banner)) throw new Error(`unexpected banner: ${banner}`);
    log('banner:', banner);
    await s.shot('serveur-injoignable');
    const problem = await s.exec(`return fetch('/api/v1/info').then(r => r.text().then(b => ({status: r.status, type: r.headers.get('content-type'), body: JSON.parse(b)})))`);
    if (problem.status !== 502 || problem.type !== 'application/problem+json' || problem.body.code !== 'server_unreachable')
      throw new Error(`unexpected proxy answer ${JSON.stringify(problem)}`);
    log('proxy answers', JSON.stringify(problem));
    log('restarting the server');
    child = startServer(port, dataDir);
    await waitHealthy(url, child);
    await s.waitGone('#usinage-desktop-banner', 30_000);
    log('banner gone');
    // The page works again: the session (tokens from the credential store) opens a list.
    await s.exec('history.pushState({}, "", "/orders"); dispatchEvent(new PopStateEvent("popstate"))');
    await s.waitCss('table, [data-testid=dashboard], .page', 30_000);
    await sleep(1500);
    const still = await s.exec('return !!document.querySelector("[data-testid=user-name]")');
    if (!still) throw new Error('signed out after the server came back');
    await s.shot('serveur-revenu');
  } finally {
    await s.end();
    await stopServer(child);
  }
}

async function tls() {
  const port = await freePort();
  const dataDir = path.join(workdir, 'tls-data');
  rmSync(dataDir, { recursive: true, force: true });
  let child = startServer(port, dataDir, ['--tls', 'auto']);
  const url = `https://127.0.0.1:${port}`;
  await waitHealthy(url, child);
  const printed = /empreinte SHA-256[^:]*: ([0-9A-F:]+)/.exec(child.output())?.[1];
  log('https server up at', url, 'fingerprint', printed);
  const s = await Session.start([]);
  try {
    await s.waitCss('#address');
    await s.type('#address', url);
    await s.click('#test');
    await s.waitCss('#fingerprint', 30_000);
    const shown = (await s.text('#fingerprint')).trim();
    log('launcher shows fingerprint', shown);
    if (printed && shown !== printed) throw new Error(`fingerprint differs from the server's: ${shown} vs ${printed}`);
    await s.shot('tls-premiere-connexion');
    await s.click('#trust');
    await s.waitFor('connect button enabled', () => s.exec('return !document.getElementById("connect").disabled'), 30_000);
    await s.click('#connect');
    await login(s, 'chef');
    await s.shot('tls-connecte');
    // The server gets a new certificate: the pin refuses it.
    await stopServer(child);
    rmSync(path.join(dataDir, 'tls'), { recursive: true, force: true });
    child = startServer(port, dataDir, ['--tls', 'auto']);
    await waitHealthy(url, child);
    await s.waitCss('#usinage-desktop-banner', 30_000);
    log('banner:', await s.text('#usinage-desktop-banner'));
    await s.shot('tls-certificat-change-bandeau');
    await s.click('#usinage-desktop-banner button');
    await s.waitCss('#address', 30_000);
    await s.type('#address', url);
    await s.click('#test');
    await s.waitFor('mismatch card', () => s.exec('return document.body.textContent.includes("Remplacer le certificat")'), 30_000);
    await s.shot('tls-certificat-change');
  } finally {
    await s.end();
    await stopServer(child);
  }
}

const run = { essai, server, tls }[scenario];
if (!run) {
  console.error('usage: webdriver.mjs essai|server|tls <app> <outdir> [usinage] [workdir]');
  process.exit(2);
}
run().then(
  () => log(`scenario ${scenario}: OK`),
  (e) => {
    console.error(`scenario ${scenario}: FAILED`, e);
    process.exit(1);
  },
);
