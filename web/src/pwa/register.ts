// Installable app (PWA): registers the service worker (public/sw.js) under the id of the running
// build, so every new build gets its own cache and the old ones are purged; watches for a newer
// build on the server and then offers to reload (never reloads by itself: an operator may be
// typing quantities); asks the browser to keep the storage (offline queue, cached shell) of the
// installed app. See docs/phone-app.md.
import i18n from 'i18next';

/** The hashed file names of a build ("index-dZ0-eW-U.js"), sorted. */
export function assetNames(urls: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const u of urls) {
    const m = /\/assets\/([^/?#"']+\.(?:js|css))/.exec(u);
    if (m) names.add(m[1]);
  }
  return [...names].sort();
}

/** A short id of a build from its file names (FNV-1a, base 36); `dev` when there are none. */
export function buildIdOf(names: string[]): string {
  if (names.length === 0) return 'dev';
  let h = 0x811c9dc5;
  for (const ch of names.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** The build the page runs: the scripts and stylesheets index.html linked. */
export function currentBuildId(doc: Document = document): string {
  const urls: string[] = [];
  doc.querySelectorAll<HTMLScriptElement>('script[src]').forEach((s) => urls.push(s.src));
  doc.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"][href]').forEach((l) => urls.push(l.href));
  return buildIdOf(assetNames(urls));
}

/** The build an index.html served by the server belongs to (same files as currentBuildId). */
export function buildIdOfHtml(html: string): string {
  const urls: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) urls.push(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(m[0]);
    if (href) urls.push(href[1]);
  }
  return buildIdOf(assetNames(urls));
}

/** The service worker's URL for a build. */
export function workerUrl(build: string): string {
  return `/sw.js?v=${encodeURIComponent(build)}`;
}

const CHECK_EVERY_MS = 15 * 60_000;
let bannerShown = false;

/** "Nouvelle version disponible — Recharger", at the bottom of the screen. */
export function showUpdateBanner(doc: Document = document): HTMLElement | null {
  if (bannerShown || !doc.body) return null;
  bannerShown = true;
  const en = i18n.language === 'en';
  const bar = doc.createElement('div');
  bar.setAttribute('role', 'status');
  bar.dataset.testid = 'pwa-update';
  bar.style.cssText =
    'position:fixed;left:8px;right:8px;bottom:calc(8px + env(safe-area-inset-bottom,0px));z-index:10000;display:flex;gap:12px;align-items:center;justify-content:space-between;padding:10px 14px;border-radius:10px;background:#1f3a5f;color:#fff;box-shadow:0 4px 16px rgba(0,0,0,.25);font:inherit;max-width:560px;margin:0 auto';
  const text = doc.createElement('span');
  text.textContent = en ? 'A new version is available.' : 'Nouvelle version disponible.';
  const button = doc.createElement('button');
  button.type = 'button';
  button.dataset.testid = 'pwa-reload';
  button.textContent = en ? 'Reload' : 'Recharger';
  button.style.cssText = 'min-height:44px;padding:0 16px;border:0;border-radius:8px;background:#e07b18;color:#fff;font:inherit;font-weight:600';
  button.addEventListener('click', () => window.location.reload());
  bar.append(text, button);
  doc.body.append(bar);
  return bar;
}

/** Compares the server's index.html with the running build; shows the banner when it changed. */
export async function checkForNewBuild(running: string, fetcher: typeof fetch = fetch): Promise<boolean> {
  try {
    const res = await fetcher('/index.html', { cache: 'no-store', headers: { Accept: 'text/html' } });
    if (!res.ok) return false;
    const served = buildIdOfHtml(await res.text());
    if (served === 'dev' || served === running) return false;
    showUpdateBanner();
    return true;
  } catch {
    return false; // offline: ask again later
  }
}

function standalone(): boolean {
  return window.matchMedia?.('(display-mode: standalone)').matches || (navigator as Navigator & { standalone?: boolean }).standalone === true;
}

/** Registers the worker of the running build and starts watching for a newer build. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const build = currentBuildId();
  const start = () => {
    navigator.serviceWorker.register(workerUrl(build), { scope: '/', updateViaCache: 'none' }).catch((e: unknown) => console.warn('service worker', e));
    // Installed app: keep the offline queue and the cached screens even when the phone is short
    // of space (Chrome grants it silently to installed apps; never asked in a plain tab).
    if (standalone()) void navigator.storage?.persist?.().catch(() => false);
  };
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });

  const check = () => {
    if (document.visibilityState === 'visible' && navigator.onLine !== false) void checkForNewBuild(build);
  };
  window.setInterval(check, CHECK_EVERY_MS);
  document.addEventListener('visibilitychange', check);
  window.addEventListener('online', check);
  // A screen's chunk of the old build is gone from the server after an update.
  window.addEventListener('vite:preloadError', () => showUpdateBanner());
}

/** For tests. */
export function resetUpdateBanner() {
  bannerShown = false;
}
