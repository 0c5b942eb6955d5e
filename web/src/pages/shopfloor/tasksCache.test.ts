import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearTokens, setTokens } from '../../api/client';
import { clearMe, loadMe, ME_CACHE_KEY, storeMe } from '../../auth/meCache';
import { resetDesktopTokenCache } from '../../platform/desktop';
import { ADMIN_ME } from '../../test/utils';
import { TASKS } from './fixtures';
import { clearTasks, keptTasksToShow, loadTasks, savedAtLabel, storeTasks, TASKS_CACHE_KEY, TASKS_CACHE_MAX, type TasksState } from './tasksCache';
import type { TaskView } from './types';

afterEach(() => {
  delete window.__USINAGE_DESKTOP__;
  resetDesktopTokenCache();
  vi.restoreAllMocks();
});

function raw(): Record<string, unknown> | null {
  const s = localStorage.getItem(TASKS_CACHE_KEY);
  return s ? (JSON.parse(s) as Record<string, unknown>) : null;
}

function entry(over: Record<string, unknown>): string {
  return JSON.stringify({ v: 1, server: window.location.origin, user_id: 7, saved_at: '2026-12-07T18:32:00.000Z', tasks: TASKS, ...over });
}

describe('kept task list', () => {
  it('is read back for the same user on the same server, with the time it was saved', () => {
    setTokens({ access_token: 'secret-access', refresh_token: 'secret-refresh' });
    storeTasks(7, TASKS, new Date('2026-12-07T18:32:00Z'));
    expect(raw()).toMatchObject({ v: 1, server: window.location.origin, user_id: 7, saved_at: '2026-12-07T18:32:00.000Z' });
    expect(loadTasks(7)).toEqual({ tasks: TASKS, savedAt: '2026-12-07T18:32:00.000Z' });
    // The tasks as the server sent them; never a token.
    const text = localStorage.getItem(TASKS_CACHE_KEY) ?? '';
    expect(text).not.toContain('secret-access');
    expect(text).not.toContain('secret-refresh');
  });

  it('is not shown to another user, and is then removed', () => {
    storeTasks(7, TASKS);
    expect(loadTasks(8)).toBeNull();
    expect(localStorage.getItem(TASKS_CACHE_KEY)).toBeNull();
    expect(loadTasks(7)).toBeNull();
  });

  it('is not used when it came from another server', () => {
    localStorage.setItem(TASKS_CACHE_KEY, entry({ server: 'https://other.example' }));
    expect(loadTasks(7)).toBeNull();
  });

  it('gives null, never a throw, for damaged or absent data', () => {
    expect(loadTasks(7)).toBeNull();
    for (const bad of [
      '{not json',
      'null',
      '42',
      '[]',
      entry({ v: 2 }),
      entry({ user_id: '7' }),
      entry({ saved_at: 'hier' }),
      entry({ saved_at: undefined }),
      entry({ tasks: 'TASKS' }),
      entry({ tasks: [{ ...TASKS[0], operation_id: '102' }] }),
      entry({ tasks: [{ ...TASKS[0], operators: null }] }),
      entry({ tasks: [TASKS[0], null] }),
    ]) {
      localStorage.setItem(TASKS_CACHE_KEY, bad);
      expect(() => loadTasks(7), bad).not.toThrow();
      expect(loadTasks(7), bad).toBeNull();
    }
    // A well-formed entry after all that is read (the checks above are not always-null).
    localStorage.setItem(TASKS_CACHE_KEY, entry({}));
    expect(loadTasks(7)?.tasks).toHaveLength(2);
  });

  it('keeps only the first tasks of a long list, in the server order', () => {
    const many: TaskView[] = Array.from({ length: TASKS_CACHE_MAX + 50 }, (_, i) => ({ ...TASKS[1], operation_id: 1000 + i }));
    storeTasks(7, many);
    const stored = raw()?.tasks as TaskView[];
    expect(TASKS_CACHE_MAX).toBe(200);
    expect(stored).toHaveLength(200);
    expect(stored[0].operation_id).toBe(1000);
    expect(stored[199].operation_id).toBe(1199);
    expect(loadTasks(7)?.tasks).toHaveLength(200);
    // A longer list written by hand is cut on reading too.
    localStorage.setItem(TASKS_CACHE_KEY, entry({ tasks: many }));
    expect(loadTasks(7)?.tasks).toHaveLength(200);
  });

  it('an empty list is kept as such (nothing to do, as of the save)', () => {
    storeTasks(7, []);
    expect(loadTasks(7)?.tasks).toEqual([]);
  });

  it('does not throw when the storage is full, and leaves no older list behind', () => {
    storeTasks(7, TASKS, new Date('2026-12-06T10:00:00Z'));
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    expect(() => storeTasks(7, TASKS)).not.toThrow();
    expect(loadTasks(7)).toBeNull();
  });

  it('is never written in the desktop app', () => {
    localStorage.setItem(TASKS_CACHE_KEY, entry({}));
    window.__USINAGE_DESKTOP__ = { secret: 's', version: '0.1.0', server: 'http://nas:8080' };
    storeTasks(7, TASKS);
    expect(localStorage.getItem(TASKS_CACHE_KEY)).toBeNull();
    expect(loadTasks(7)).toBeNull();
  });

  it('goes with the kept copy of me: logout / 401 (clearMe) and no session stored', () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    storeMe(ADMIN_ME);
    storeTasks(1, TASKS);
    clearMe();
    expect(localStorage.getItem(TASKS_CACHE_KEY)).toBeNull();
    expect(localStorage.getItem(ME_CACHE_KEY)).toBeNull();

    storeMe(ADMIN_ME);
    storeTasks(1, TASKS);
    clearTokens();
    expect(loadMe()).toBeNull();
    expect(localStorage.getItem(TASKS_CACHE_KEY)).toBeNull();

    storeTasks(1, TASKS);
    clearTasks();
    expect(localStorage.getItem(TASKS_CACHE_KEY)).toBeNull();
  });
});

describe('keptTasksToShow', () => {
  const offline: TasksState = { own: true, live: false, unreachable: true, offline: true, fetching: false };

  it('is the kept list while the own list cannot load offline, and while the first try after it runs', () => {
    storeTasks(7, TASKS);
    expect(keptTasksToShow(7, offline)?.tasks).toEqual(TASKS);
    expect(keptTasksToShow(7, { ...offline, offline: false, fetching: true })?.tasks).toEqual(TASKS);
  });

  it('is null otherwise', () => {
    storeTasks(7, TASKS);
    expect(keptTasksToShow(7, { ...offline, own: false })).toBeNull(); // "all operations"
    expect(keptTasksToShow(7, { ...offline, live: true })).toBeNull(); // the live list is there
    expect(keptTasksToShow(7, { ...offline, unreachable: false })).toBeNull(); // the server answered (403, 500…)
    expect(keptTasksToShow(7, { ...offline, offline: false })).toBeNull(); // online, the try failed
    expect(keptTasksToShow(8, offline)).toBeNull(); // another user
  });
});

describe('savedAtLabel', () => {
  it('gives the date and the time of the save in the shop’s time zone', () => {
    expect(savedAtLabel('2026-12-07T18:32:00.000Z', 'fr')).toEqual({ date: '07/12/2026', time: '19:32' });
    expect(savedAtLabel('2026-07-01T22:05:00.000Z', 'en')).toEqual({ date: '02/07/2026', time: '00:05' });
  });
});
