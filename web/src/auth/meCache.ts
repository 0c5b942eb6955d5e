// The last `me` the server sent (user, roles, rights — never a password or a token), kept so that
// the phone app restarted without network still knows who is signed in: Mes tâches and the
// offline queue of shop-floor actions work, under an "Hors ligne" banner, until the server
// answers again (AuthContext).
//
// Bound to the session: written when `me` is loaded (login, /auth/me), removed on logout, on a
// 401/403 of /auth/me, when the session is lost, and ignored (and removed) when no session
// tokens are stored. Keyed per server: the entry records the origin it was loaded from and is
// only read back on that origin, for that user id. clearMe() also removes the operator's task
// list kept for offline use (shop floor, tasksCache.ts): one place for what the session keeps.
//
// Desktop app (platform/desktop.ts): its tokens never go to localStorage (system credential
// store, and the page's loopback origin is the same whatever server the app is connected to), so
// nothing of the session is written there either: no offline copy, the app has its own
// reconnect banner.
import { getTokens, isApiError } from '../api/client';
import type { Me } from '../api/types';
import { clearTasks } from '../pages/shopfloor/tasksCache';
import { desktopBridge } from '../platform/desktop';

export const ME_CACHE_KEY = 'usinage.me';

interface StoredMe {
  v: 1;
  /** Origin of the server the copy came from. */
  server: string;
  user_id: number;
  saved_at: string;
  me: Me;
}

function serverOrigin(): string {
  return typeof window === 'undefined' ? '' : window.location.origin;
}

function validMe(v: unknown): v is Me {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.id === 'number' &&
    typeof o.login === 'string' &&
    Array.isArray(o.roles) &&
    o.roles.every((r) => typeof r === 'string') &&
    typeof o.permissions === 'object' &&
    o.permissions !== null
  );
}

/** Keeps a copy of `me` (browser only; the desktop app keeps nothing, see above). */
export function storeMe(me: Me, now: Date = new Date()): void {
  try {
    if (desktopBridge()) {
      localStorage.removeItem(ME_CACHE_KEY);
      return;
    }
    const entry: StoredMe = { v: 1, server: serverOrigin(), user_id: me.id, saved_at: now.toISOString(), me };
    localStorage.setItem(ME_CACHE_KEY, JSON.stringify(entry));
  } catch {
    /* storage full or disabled: no offline restart, nothing else changes */
  }
}

/** The stored copy, when it belongs to this server and a session is stored; else null. */
export function loadMe(): Me | null {
  try {
    if (desktopBridge() || !getTokens()) {
      clearMe();
      return null;
    }
    const raw = localStorage.getItem(ME_CACHE_KEY);
    if (!raw) return null;
    const e = JSON.parse(raw) as Partial<StoredMe>;
    if (e.v !== 1 || e.server !== serverOrigin() || !validMe(e.me) || e.user_id !== e.me.id) {
      clearMe();
      return null;
    }
    return e.me;
  } catch {
    return null;
  }
}

/** Removes the copy of `me` and the task list kept with it (tasksCache.ts). */
export function clearMe(): void {
  clearTasks();
  try {
    localStorage.removeItem(ME_CACHE_KEY);
  } catch {
    /* nothing stored */
  }
}

/**
 * The server could not be reached (no network, Wi-Fi without route, the request gave up): a
 * failed fetch (status 0), an aborted request, or a gateway's 502/503/504 (HTTPS proxy of the
 * NAS in front of a stopped server). Not a 401/403 nor any answer of the server itself.
 */
export function isUnreachable(e: unknown): boolean {
  if (isApiError(e)) return e.status === 0 || e.status === 502 || e.status === 503 || e.status === 504;
  return e instanceof TypeError || (e instanceof DOMException && (e.name === 'AbortError' || e.name === 'TimeoutError'));
}
