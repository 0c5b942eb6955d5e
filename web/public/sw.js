// Service worker of Gestion Usinage (registered by src/pwa/register.ts, production builds only).
//
// - One cache per build: the page registers `/sw.js?v=<build id>` (the build id is derived from
//   the hashed file names of the running build), so every new build installs a new worker, which
//   fills `usinage-shell-<build id>` and, once active, deletes the caches of older builds.
// - Install precaches the whole app shell of the build: index.html, the files it links, every
//   chunk those files reference (lazy screens, the QR scanner library, their CSS) and the icons,
//   so any screen, the camera scanner included, opens without network.
// - Navigations: the network first (a new build ships a new index.html), the cached index.html
//   when the network is down or hangs for more than NAV_TIMEOUT_MS (shop Wi-Fi).
// - /api, health probes and anything not GET: always the network, never a cache. The shop-floor
//   actions tapped offline wait in the page's own queue (localStorage, src/pages/shopfloor/queue.ts).
const VERSION = new URL(self.location.href).searchParams.get('v') || 'dev';
const PREFIX = 'usinage-shell-';
const CACHE = `${PREFIX}${VERSION}`;
const NAV_TIMEOUT_MS = 4000;
const STATIC = ['/manifest.webmanifest', '/favicon.svg', '/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon-maskable-512.png', '/icons/icon.svg'];
// File names of the build referenced by index.html ("/assets/x.js"), by the entry chunk
// ("assets/x.js") or by a chunk importing its sibling ("./x.js").
const REF = /(?:\/?assets\/|\.\/)([A-Za-z0-9_][\w.-]*\.(?:js|css|woff2?|ttf|png|svg|jpe?g|webp|gif))/g;

function refs(text) {
  const out = new Set();
  for (const m of text.matchAll(REF)) out.add(`/assets/${m[1]}`);
  return [...out];
}

/** The server answers unknown paths with index.html (SPA fallback): never keep that as a file. */
function cacheable(url, res) {
  if (!res || !res.ok || res.type === 'opaque') return false;
  const type = res.headers.get('content-type') || '';
  return !(type.startsWith('text/html') && !url.endsWith('.html'));
}

async function precache() {
  const cache = await caches.open(CACHE);
  const index = await fetch('/index.html', { cache: 'no-cache' });
  if (!index.ok) throw new Error(`index.html: HTTP ${index.status}`);
  const html = await index.clone().text();
  await cache.put('/index.html', index);
  await cache.addAll(STATIC.filter((u) => u !== '/icons/icon.svg'));
  // The files index.html links are required; what the chunks reference is best effort (a
  // "./x.js" string of a library may not be a file of ours).
  const required = new Set(refs(html));
  const queue = [...required];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const url = queue.shift();
    let res;
    try {
      res = await fetch(url, { cache: 'no-cache' });
    } catch (e) {
      if (required.has(url)) throw e;
      continue;
    }
    if (!cacheable(url, res)) {
      if (required.has(url)) throw new Error(`${url}: HTTP ${res.status}`);
      continue;
    }
    if (/\.(js|css)$/.test(url)) {
      for (const r of refs(await res.clone().text())) {
        if (!seen.has(r)) {
          seen.add(r);
          queue.push(r);
        }
      }
    }
    await cache.put(url, res);
  }
  await cache.add('/icons/icon.svg').catch(() => undefined);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'version' && event.ports[0]) event.ports[0].postMessage({ version: VERSION, cache: CACHE });
});

async function cachedShell() {
  const cache = await caches.open(CACHE);
  return (await cache.match('/index.html')) || (await caches.match('/index.html'));
}

/** Network first; the cached shell when offline or when the network hangs. */
async function navigate(request) {
  const network = fetch(request);
  network.catch(() => undefined); // answered from the cache: a late failure is not an error
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), NAV_TIMEOUT_MS));
  try {
    const first = await Promise.race([network, timeout]);
    if (first) return first;
    const shell = await cachedShell();
    return shell || (await network);
  } catch {
    const shell = await cachedShell();
    return shell || Response.error();
  }
}

/** Cache first for the build's files (hashed names never change), kept on first use. */
async function shellFile(request) {
  const hit = await caches.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const res = await fetch(request);
  if (cacheable(new URL(request.url).pathname, res)) {
    const copy = res.clone();
    void caches.open(CACHE).then((c) => c.put(request, copy));
  }
  return res;
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  // The API (with its docs), health probes and the worker itself: always the network.
  if (path.startsWith('/api') || path === '/healthz' || path === '/readyz' || path === '/sw.js') return;
  if (req.mode === 'navigate') {
    event.respondWith(navigate(req));
    return;
  }
  // index.html fetched by the page (new build check): the network, not the cache.
  if (path === '/' || path === '/index.html') return;
  if (path.startsWith('/assets/') || path.startsWith('/icons/') || STATIC.includes(path)) event.respondWith(shellFile(req));
});
