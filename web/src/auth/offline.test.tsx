// Offline restart of the phone app: the kept copy of `me` (meCache.ts) lets Mes tâches and the
// offline queue work under the "Hors ligne" banner until the server answers again.
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import { setTokens } from '../api/client';
import type { Me } from '../api/types';
import { TASKS } from '../pages/shopfloor/fixtures';
import { QUEUE_STORAGE_KEY, resetShopFloorQueue } from '../pages/shopfloor/queue';
import { json, renderApp } from '../test/utils';
import { ME_CACHE_KEY, storeMe } from './meCache';

const OPERATOR: Me = {
  id: 7,
  login: 'operateur',
  full_name: 'Paul Opérateur',
  email: null,
  roles: ['operateur'],
  must_change_password: false,
  permissions: { time_tracking: ['read', 'create', 'validate'] },
};

const INFO = { name: 'usinage', version: '0', company: null, database: 'sqlite', demo: false };
const PENDING = {
  key: 'k-1',
  path: '/shop-floor/operations/102/start',
  body: { occurred_at: '2026-12-07T07:55:00.000Z' },
  occurred_at: '2026-12-07T07:55:00.000Z',
  label: 'Démarrer — OF-2026-0011 Op. 20',
  operation_id: 102,
};

type Route = (init?: RequestInit) => Response;
let routes: Record<string, Route> | null = null;
const calls: string[] = [];
const fetchMock = vi.fn<typeof fetch>();

/** `null` routes = no network at all (every fetch fails as in a phone without Wi-Fi). */
function serve(r: Record<string, Route> | null) {
  routes = r;
}

beforeEach(() => {
  calls.length = 0;
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const path = new URL(String(input), 'http://x').pathname.replace(/^\/api\/v1/, '');
    const key = `${init?.method ?? 'GET'} ${path}`;
    calls.push(key);
    if (!routes) throw new TypeError('Failed to fetch');
    const handler = routes[key];
    return handler ? handler(init) : json(404, { code: 'not_found', detail: `no mock for ${key}` });
  });
  vi.stubGlobal('fetch', fetchMock);
  resetShopFloorQueue();
});
afterEach(() => vi.unstubAllGlobals());

function kept(): Me | null {
  const raw = localStorage.getItem(ME_CACHE_KEY);
  return raw ? (JSON.parse(raw) as { me: Me }).me : null;
}

/** The phone restarted with no network: a session, the kept copy of me and one queued action. */
function restartOfflineWithPendingAction() {
  setTokens({ access_token: 'a', refresh_token: 'r' });
  storeMe(OPERATOR);
  localStorage.setItem(QUEUE_STORAGE_KEY, JSON.stringify({ pending: [PENDING], conflicts: [] }));
  resetShopFloorQueue();
  serve(null);
  renderApp(<AppRoutes />, '/shop-floor');
}

describe('offline restart', () => {
  it('opens Mes tâches on the kept copy of me, under the "Hors ligne" banner, with the pending action', async () => {
    restartOfflineWithPendingAction();

    await screen.findByTestId('shopfloor-tasks');
    const banner = screen.getByTestId('offline-banner');
    expect(banner.textContent).toContain('Hors ligne');
    expect(banner.textContent).toContain('seront envoyées dès le retour du réseau');
    expect(screen.getByTestId('user-name').textContent).toBe('Paul Opérateur');
    expect(screen.getByTestId('queue-count').textContent).toBe('1 action en attente');
    // The list cannot load: said once, quietly, not as "Le serveur ne répond pas".
    expect((await screen.findByTestId('tasks-offline')).textContent).toContain('pas disponible hors ligne');
    expect(screen.queryByTestId('error-banner')).toBeNull();
    expect(calls).toContain('GET /auth/me');
    expect(kept()).toEqual(OPERATOR);
  });

  it('asks the server again when the network is back: the copy is replaced, the banner goes, the action is sent', async () => {
    restartOfflineWithPendingAction();
    await screen.findByTestId('offline-banner');
    await screen.findByTestId('tasks-offline');

    const renamed = { ...OPERATOR, full_name: 'Paul Opérateur (équipe B)' };
    const offlineCalls = calls.length;
    serve({
      'GET /auth/me': () => json(200, renamed),
      'GET /info': () => json(200, INFO),
      'GET /shop-floor/tasks': () => json(200, TASKS),
      'POST /shop-floor/operations/102/start': () => json(200, {}),
    });
    act(() => {
      window.dispatchEvent(new Event('online'));
    });
    await waitFor(() => expect(screen.queryByTestId('offline-banner')).toBeNull());
    expect(screen.getByTestId('user-name').textContent).toBe('Paul Opérateur (équipe B)');
    expect(kept()).toEqual(renamed);
    // Mes tâches loads again, and the queued action went once.
    await screen.findByTestId('task-102');
    await waitFor(() => expect(screen.queryByTestId('queue-badge')).toBeNull());
    expect(calls.slice(offlineCalls).filter((c) => c === 'POST /shop-floor/operations/102/start')).toHaveLength(1);
  });

  it('"Réessayer" of the banner asks the server at once', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    storeMe(OPERATOR);
    serve(null);
    renderApp(<AppRoutes />, '/shop-floor');
    await screen.findByTestId('offline-banner');
    serve({ 'GET /auth/me': () => json(200, OPERATOR), 'GET /info': () => json(200, INFO), 'GET /shop-floor/tasks': () => json(200, []) });
    fireEvent.click(screen.getByTestId('offline-retry'));
    await waitFor(() => expect(screen.queryByTestId('offline-banner')).toBeNull());
    await screen.findByTestId('tasks-empty');
  });

  it('without a kept copy, still says that the server does not answer', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    serve(null);
    renderApp(<AppRoutes />, '/shop-floor');
    // (after the one retry of /auth/me)
    expect((await screen.findByTestId('error-banner', {}, { timeout: 4000 })).textContent).toContain('Le serveur ne répond pas');
    expect(screen.queryByTestId('shopfloor-tasks')).toBeNull();
  });
});

describe('the kept copy follows the session', () => {
  it('is written when me is loaded, and removed by the logout', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    serve({
      'GET /auth/me': () => json(200, OPERATOR),
      'GET /info': () => json(200, INFO),
      'GET /shop-floor/tasks': () => json(200, []),
      'POST /auth/logout': () => new Response(null, { status: 204 }),
    });
    renderApp(<AppRoutes />, '/shop-floor');
    await screen.findByTestId('tasks-empty');
    expect(kept()).toEqual(OPERATOR);
    expect(screen.queryByTestId('offline-banner')).toBeNull();
    fireEvent.click(screen.getByTestId('logout'));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toMatch(/^\/login/));
    expect(localStorage.getItem(ME_CACHE_KEY)).toBeNull();
  });

  it('is removed by a 401 (session over) and never used then', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    storeMe(OPERATOR);
    serve({
      'GET /auth/me': () => json(401, { code: 'unauthenticated', detail: 'Session expirée.' }),
      'POST /auth/refresh': () => json(401, { code: 'unauthenticated', detail: 'Session expirée.' }),
      'GET /info': () => json(200, INFO),
    });
    renderApp(<AppRoutes />, '/shop-floor');
    await waitFor(() => expect(screen.getByTestId('where').textContent).toMatch(/^\/login\?/));
    expect(localStorage.getItem(ME_CACHE_KEY)).toBeNull();
    expect(screen.queryByTestId('shopfloor-tasks')).toBeNull();
  });

  it('a login keeps the new user’s copy (never the password)', async () => {
    storeMe(OPERATOR); // left by an earlier session whose tokens are gone
    serve({
      'GET /info': () => json(200, INFO),
      'POST /auth/login': () => json(200, { access_token: 'a2', refresh_token: 'r2', token_type: 'Bearer', expires_in: 900, user: { ...OPERATOR, id: 8, login: 'jmartin', full_name: 'Julie Martin' } }),
      'GET /shop-floor/tasks': () => json(200, []),
    });
    renderApp(<AppRoutes />, '/shop-floor');
    await screen.findByTestId('login-card');
    expect(localStorage.getItem(ME_CACHE_KEY)).toBeNull();
    fireEvent.change(screen.getByTestId('login-input'), { target: { value: 'jmartin' } });
    fireEvent.change(screen.getByTestId('password-input'), { target: { value: 's3cret-pass' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    await screen.findByTestId('tasks-empty');
    expect(kept()?.login).toBe('jmartin');
    expect(localStorage.getItem(ME_CACHE_KEY)).not.toContain('s3cret-pass');
  });
});
