// Mes tâches offline: the operator's own list, kept on the phone each time it loads
// (tasksCache.ts), is shown after an offline restart under "Hors ligne — liste enregistrée le …",
// until the live list replaces it. Whole app, as in auth/offline.test.tsx.
import { onlineManager } from '@tanstack/react-query';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../../App';
import { setTokens } from '../../api/client';
import type { Me } from '../../api/types';
import { storeMe } from '../../auth/meCache';
import { json, renderApp } from '../../test/utils';
import { TASKS } from './fixtures';
import { resetShopFloorQueue } from './queue';
import { storeTasks, TASKS_CACHE_KEY } from './tasksCache';
import type { TaskView } from './types';

const OPERATOR: Me = {
  id: 7,
  login: 'operateur',
  full_name: 'Paul Opérateur',
  email: null,
  roles: ['operateur'],
  must_change_password: false,
  permissions: { time_tracking: ['read', 'create'] },
};
const CHEF: Me = { ...OPERATOR, id: 3, login: 'chef', full_name: 'Chef Atelier', roles: ['chef_atelier'], permissions: { time_tracking: ['read', 'create', 'validate'] } };
const INFO = { name: 'usinage', version: '0', company: null, database: 'sqlite', demo: false };
/** The list of another moment: one task, not the fixture's two. */
const LATER: TaskView[] = [{ ...TASKS[1], operation_id: 205, job_number: 'OF-2026-0042' }];

type Route = (url: URL) => Response;
let routes: Record<string, Route> | null = null;
const calls: string[] = [];

/** `null` routes = no network at all (every fetch fails as in a phone without Wi-Fi). */
function serve(r: Record<string, Route> | null) {
  routes = r;
}

function online(me: Me, tasks: (url: URL) => TaskView[] = () => TASKS): Record<string, Route> {
  return {
    'GET /auth/me': () => json(200, me),
    'GET /info': () => json(200, INFO),
    'GET /shop-floor/tasks': (url) => json(200, tasks(url)),
    'POST /auth/logout': () => new Response(null, { status: 204 }),
  };
}

beforeEach(() => {
  calls.length = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      const url = new URL(String(input), 'http://x');
      const key = `${init?.method ?? 'GET'} ${url.pathname.replace(/^\/api\/v1/, '')}`;
      calls.push(key + url.search);
      if (!routes) throw new TypeError('Failed to fetch');
      const handler = routes[key];
      return handler ? handler(url) : json(404, { code: 'not_found', detail: `no mock for ${key}` });
    }),
  );
  resetShopFloorQueue();
});
afterEach(() => {
  vi.unstubAllGlobals();
  onlineManager.setOnline(true);
});

function cardIds(): string[] {
  const list = screen.getByTestId('tasks-list');
  return [...list.querySelectorAll('a.sf-card')].map((c) => c.getAttribute('data-testid') ?? '');
}

/** The phone restarted with no network, the session and the copy of me kept. */
function restartOffline(me: Me = OPERATOR) {
  setTokens({ access_token: 'a', refresh_token: 'r' });
  storeMe(me);
  serve(null);
  renderApp(<AppRoutes />, '/shop-floor');
}

describe('Mes tâches kept for offline use', () => {
  it('is saved when it loads, and shown after an offline restart under the notice', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    serve(online(OPERATOR));
    const first = renderApp(<AppRoutes />, '/shop-floor');
    await screen.findByTestId('task-102');
    const saved = JSON.parse(localStorage.getItem(TASKS_CACHE_KEY) ?? 'null') as { user_id: number; saved_at: string; tasks: TaskView[] };
    expect(saved.user_id).toBe(7);
    expect(saved.tasks.map((t) => t.operation_id)).toEqual([102, 104]);
    first.unmount();

    restartOffline();
    const notice = await screen.findByTestId('tasks-kept', {}, { timeout: 4000 });
    expect(notice.textContent).toMatch(/^Hors ligne — liste enregistrée le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/);
    expect(cardIds()).toEqual(['task-102', 'task-104']);
    expect(screen.getByTestId('offline-banner')).toBeTruthy();
    expect(screen.queryByTestId('tasks-offline')).toBeNull();
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  it('says when the list was saved, in the shop’s time, with the same cards; the live list replaces it when the network is back', async () => {
    storeTasks(7, TASKS, new Date('2026-12-07T18:32:00Z'));
    restartOffline();
    const notice = await screen.findByTestId('tasks-kept', {}, { timeout: 4000 });
    expect(screen.getByTestId('tasks-kept-title').textContent).toBe('Hors ligne — liste enregistrée le 07/12/2026 à 19:32');
    expect(notice.textContent).toContain('la liste à jour la remplacera dès le retour du réseau');
    const card = screen.getByTestId('task-102');
    expect(card.textContent).toContain('TOUR-02');
    expect(card.getAttribute('href')).toBe('/operations/102');
    expect(card.querySelector('[data-testid="task-qty"]')?.textContent).toBe('11 / 25 pcs');

    serve(online(OPERATOR, () => LATER));
    act(() => {
      window.dispatchEvent(new Event('online'));
    });
    await screen.findByTestId('task-205', {}, { timeout: 4000 });
    expect(screen.queryByTestId('tasks-kept')).toBeNull();
    expect(screen.queryByTestId('offline-banner')).toBeNull();
    expect(cardIds()).toEqual(['task-205']);
    // The new list is the one kept now.
    expect((JSON.parse(localStorage.getItem(TASKS_CACHE_KEY) ?? '{}') as { tasks: TaskView[] }).tasks.map((t) => t.operation_id)).toEqual([205]);
  });

  it('is shown too while the request waits for the browser’s network (paused, not failed)', async () => {
    storeTasks(7, TASKS, new Date('2026-12-07T18:32:00Z'));
    onlineManager.setOnline(false);
    restartOffline();
    await screen.findByTestId('tasks-kept', {}, { timeout: 4000 });
    expect(cardIds()).toEqual(['task-102', 'task-104']);
    // The list was never asked: the query waits for the network.
    expect(calls.filter((c) => c.startsWith('GET /shop-floor/tasks'))).toEqual([]);
  });

  it('an empty kept list says so under the notice', async () => {
    storeTasks(7, [], new Date('2026-12-07T18:32:00Z'));
    restartOffline();
    await screen.findByTestId('tasks-kept', {}, { timeout: 4000 });
    expect(screen.getByTestId('tasks-empty')).toBeTruthy();
  });

  it('without a kept list (or another user’s), still says the list is not available offline', async () => {
    storeTasks(8, TASKS);
    restartOffline();
    expect((await screen.findByTestId('tasks-offline', {}, { timeout: 4000 })).textContent).toContain('pas disponible hors ligne');
    expect(screen.queryByTestId('tasks-kept')).toBeNull();
    expect(screen.queryByTestId('tasks-list')).toBeNull();
  });

  it('never keeps the supervisor’s "all operations" list, nor shows the kept one in its place', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    serve(online(CHEF, (url) => (url.searchParams.get('all') === 'true' ? LATER : TASKS)));
    const first = renderApp(<AppRoutes />, '/shop-floor');
    await screen.findByTestId('task-102');
    fireEvent.click(screen.getByTestId('tasks-all'));
    await screen.findByTestId('task-205');
    expect(calls).toContain('GET /shop-floor/tasks?all=true');
    // Still his own list, from before the toggle.
    expect((JSON.parse(localStorage.getItem(TASKS_CACHE_KEY) ?? '{}') as { tasks: TaskView[] }).tasks.map((t) => t.operation_id)).toEqual([102, 104]);
    first.unmount();

    restartOffline(CHEF);
    await screen.findByTestId('tasks-kept', {}, { timeout: 4000 });
    expect(cardIds()).toEqual(['task-102', 'task-104']);
    fireEvent.click(screen.getByTestId('tasks-all'));
    await screen.findByTestId('tasks-offline', {}, { timeout: 4000 });
    expect(screen.queryByTestId('tasks-kept')).toBeNull();
  });

  it('is removed by the logout', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    serve(online(OPERATOR));
    renderApp(<AppRoutes />, '/shop-floor');
    await screen.findByTestId('task-102');
    expect(localStorage.getItem(TASKS_CACHE_KEY)).not.toBeNull();
    fireEvent.click(screen.getByTestId('logout'));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toMatch(/^\/login/));
    expect(localStorage.getItem(TASKS_CACHE_KEY)).toBeNull();
  });

  it('is removed when the server refuses the session (401)', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    storeMe(OPERATOR);
    storeTasks(7, TASKS);
    serve({
      'GET /auth/me': () => json(401, { code: 'unauthenticated', detail: 'Session expirée.' }),
      'POST /auth/refresh': () => json(401, { code: 'unauthenticated', detail: 'Session expirée.' }),
      'GET /info': () => json(200, INFO),
    });
    renderApp(<AppRoutes />, '/shop-floor');
    await waitFor(() => expect(screen.getByTestId('where').textContent).toMatch(/^\/login\?/));
    expect(localStorage.getItem(TASKS_CACHE_KEY)).toBeNull();
    expect(screen.queryByTestId('task-102')).toBeNull();
  });
});
