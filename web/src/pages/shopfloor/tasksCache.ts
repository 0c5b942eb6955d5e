// The operator's own task list ("Mes tâches", `all=false`), kept in localStorage each time it
// loads, so that the phone app restarted without network still shows the last list, under an
// "Hors ligne — liste enregistrée le …" notice, until the server answers again (TasksPage).
//
// Never the supervisor's "all operations" list. Only the tasks as the server sent them (the first
// TASKS_CACHE_MAX, in the server's priority order), the user id they belong to, the server's
// origin and the time they were saved: no token, no secret. Read back only for that user on that
// server; anything else (another user, another server, damaged JSON) gives null and is removed.
//
// Bound to the session like the copy of `me` (meCache.ts): clearMe() removes it too, so it goes
// at logout, on a 401/403 of /auth/me and when no session tokens are stored. The desktop app
// keeps nothing of the session in localStorage, so nothing is written there either.
import { formatDate, formatDateTime } from '../../lib/format';
import type { Lang } from '../../api/types';
import { desktopBridge } from '../../platform/desktop';
import type { TaskView } from './types';

export const TASKS_CACHE_KEY = 'usinage.shopfloor.tasks';
/** At most this many tasks are kept (the first ones, in the server's order). */
export const TASKS_CACHE_MAX = 200;

interface StoredTasks {
  v: 1;
  /** Origin of the server the list came from. */
  server: string;
  user_id: number;
  saved_at: string;
  tasks: TaskView[];
}

export interface KeptTasks {
  tasks: TaskView[];
  /** When the list was loaded from the server (RFC 3339). */
  savedAt: string;
}

function serverOrigin(): string {
  return typeof window === 'undefined' ? '' : window.location.origin;
}

/** Enough of a task for its card (TaskCard) to render. */
function validTask(v: unknown): v is TaskView {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.operation_id === 'number' &&
    typeof o.job_id === 'number' &&
    typeof o.job_number === 'string' &&
    typeof o.position === 'number' &&
    typeof o.label === 'string' &&
    typeof o.status === 'string' &&
    typeof o.status_label === 'string' &&
    typeof o.input_available === 'number' &&
    typeof o.qty_good === 'number' &&
    typeof o.qty_scrap === 'number' &&
    typeof o.late === 'boolean' &&
    Array.isArray(o.operators) &&
    o.operators.every((n) => typeof n === 'string')
  );
}

/** Keeps the user's own list, as just loaded (browser only; the desktop app keeps nothing). */
export function storeTasks(userId: number, tasks: readonly TaskView[], now: Date = new Date()): void {
  try {
    if (desktopBridge()) {
      localStorage.removeItem(TASKS_CACHE_KEY);
      return;
    }
    const entry: StoredTasks = { v: 1, server: serverOrigin(), user_id: userId, saved_at: now.toISOString(), tasks: tasks.slice(0, TASKS_CACHE_MAX) };
    localStorage.setItem(TASKS_CACHE_KEY, JSON.stringify(entry));
  } catch {
    // Storage full or disabled: no list offline rather than an older one.
    clearTasks();
  }
}

/** The list kept for this user on this server; null when there is none or it is not usable. */
export function loadTasks(userId: number): KeptTasks | null {
  try {
    if (desktopBridge()) return null;
    const raw = localStorage.getItem(TASKS_CACHE_KEY);
    if (!raw) return null;
    const e = JSON.parse(raw) as Partial<StoredTasks> | null;
    if (
      typeof e !== 'object' ||
      e === null ||
      e.v !== 1 ||
      e.server !== serverOrigin() ||
      e.user_id !== userId ||
      typeof e.saved_at !== 'string' ||
      Number.isNaN(Date.parse(e.saved_at)) ||
      !Array.isArray(e.tasks) ||
      !e.tasks.every(validTask)
    ) {
      clearTasks(); // another user's list, or damaged: never shown
      return null;
    }
    return { tasks: e.tasks.slice(0, TASKS_CACHE_MAX), savedAt: e.saved_at };
  } catch {
    clearTasks();
    return null;
  }
}

export function clearTasks(): void {
  try {
    localStorage.removeItem(TASKS_CACHE_KEY);
  } catch {
    /* nothing stored */
  }
}

/** Where Mes tâches stands, for the choice of the list to show. */
export interface TasksState {
  /** The operator's own list (not the supervisor's "all operations"). */
  own: boolean;
  /** A list loaded from the server in this run of the app is there. */
  live: boolean;
  /** The last try failed because the server could not be reached, or waits for the network. */
  unreachable: boolean;
  /** The app runs offline (useAuth().offline). */
  offline: boolean;
  /** A new try is on its way (network back: the live list is coming). */
  fetching: boolean;
}

/**
 * The kept list to show in place of the live one: own list, nothing live, the server out of
 * reach while the app is offline — and still while the first try after the network came back
 * runs, so that the list does not blink away before the live one replaces it. Else null.
 */
export function keptTasksToShow(userId: number, s: TasksState): KeptTasks | null {
  if (!s.own || s.live || !s.unreachable || !(s.offline || s.fetching)) return null;
  return loadTasks(userId);
}

/** Date and time of the save, for "liste enregistrée le {{date}} à {{time}}" (shop time zone). */
export function savedAtLabel(savedAt: string, lang: Lang): { date: string; time: string } {
  // formatDateTime gives "07/12/2026 19:32" in the shop's time zone, whatever the language.
  const dateTime = formatDateTime(savedAt, lang);
  return { date: formatDate(savedAt, lang), time: dateTime.slice(dateTime.lastIndexOf(' ') + 1) };
}
