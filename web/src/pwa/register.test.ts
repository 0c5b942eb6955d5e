import { afterEach, describe, expect, it, vi } from 'vitest';
import { assetNames, buildIdOf, buildIdOfHtml, checkForNewBuild, currentBuildId, resetUpdateBanner, workerUrl } from './register';

const HTML = (js: string, css: string) => `<!doctype html><html lang="fr"><head>
    <link rel="manifest" href="/manifest.webmanifest" />
    <script type="module" crossorigin src="/assets/${js}"></script>
    <link rel="modulepreload" crossorigin href="/assets/AuthContext-DeNshFrf.js">
    <link rel="stylesheet" crossorigin href="/assets/${css}">
  </head><body><div id="root"></div></body></html>`;

afterEach(() => {
  document.head.innerHTML = '';
  document.body.innerHTML = '';
  resetUpdateBanner();
});

describe('build id', () => {
  it('keeps the hashed js and css names only, sorted', () => {
    expect(assetNames(['http://x/assets/index-b.js', '/assets/index-a.css?x=1', '/favicon.svg', '/src/main.tsx'])).toEqual(['index-a.css', 'index-b.js']);
  });

  it('is stable for the same files and changes with any of them', () => {
    const a = buildIdOf(['index-a.css', 'index-b.js']);
    expect(buildIdOf(['index-a.css', 'index-b.js'])).toBe(a);
    expect(buildIdOf(['index-a.css', 'index-c.js'])).not.toBe(a);
    expect(buildIdOf(['index-z.css', 'index-b.js'])).not.toBe(a);
    expect(buildIdOf([])).toBe('dev');
    expect(a).toMatch(/^[0-9a-z]+$/);
  });

  it('is the same from the served index.html and from the page it built', () => {
    const html = HTML('index-dZ0-eW-U.js', 'index-DI3Kkl2N.css');
    document.head.innerHTML = new DOMParser().parseFromString(html, 'text/html').head.innerHTML;
    expect(currentBuildId(document)).toBe(buildIdOfHtml(html));
    expect(buildIdOfHtml(html)).toBe(buildIdOf(['index-DI3Kkl2N.css', 'index-dZ0-eW-U.js']));
    // The dev server's index.html has no build files.
    expect(buildIdOfHtml('<script type="module" src="/src/main.tsx"></script>')).toBe('dev');
  });

  it('names the worker after the build', () => {
    expect(workerUrl('1k2j3h')).toBe('/sw.js?v=1k2j3h');
  });
});

describe('new build check', () => {
  const served = (html: string) => vi.fn(async () => new Response(html, { status: 200, headers: { 'Content-Type': 'text/html' } })) as unknown as typeof fetch;

  it('offers to reload when the server has another build', async () => {
    const running = buildIdOfHtml(HTML('index-old.js', 'index-old.css'));
    expect(await checkForNewBuild(running, served(HTML('index-new.js', 'index-old.css')))).toBe(true);
    const banner = document.querySelector('[data-testid="pwa-update"]');
    expect(banner?.textContent).toContain('Nouvelle version disponible');
    expect(banner?.getAttribute('role')).toBe('status');
    expect(document.querySelector('[data-testid="pwa-reload"]')?.textContent).toBe('Recharger');
    // Once.
    expect(await checkForNewBuild(running, served(HTML('index-new2.js', 'index-old.css')))).toBe(true);
    expect(document.querySelectorAll('[data-testid="pwa-update"]')).toHaveLength(1);
  });

  it('stays quiet on the same build, offline, or on an error page', async () => {
    const html = HTML('index-a.js', 'index-a.css');
    expect(await checkForNewBuild(buildIdOfHtml(html), served(html))).toBe(false);
    const offline = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await checkForNewBuild('x', offline)).toBe(false);
    const down = vi.fn(async () => new Response('', { status: 502 })) as unknown as typeof fetch;
    expect(await checkForNewBuild('x', down)).toBe(false);
    expect(document.querySelector('[data-testid="pwa-update"]')).toBeNull();
  });
});
