// Offline queue of shop-floor actions. Every action POST gets, at the tap, an Idempotency-Key
// (crypto.randomUUID) and `occurred_at` (device time). When the network is down the action is kept
// in localStorage (it survives a reload) and replayed in order when the network is back (`online`
// event and a periodic retry) with the SAME key and occurred_at, so the server applies it once
// and records it at the time of the tap. A 4xx on replay is a conflict: kept in a visible list
// with the server's message until the operator dismisses it.
import { ApiError, apiFetch, isApiError } from '../../api/client';

export interface QueuedAction {
  /** The Idempotency-Key; also the action's id in the queue. */
  key: string;
  /** API path under /api/v1, e.g. `/shop-floor/operations/12/start`. */
  path: string;
  /** JSON body, `occurred_at` included. */
  body: Record<string, unknown>;
  occurred_at: string;
  /** What the operator tapped, for the lists ("Démarrer — OF-2026-0011 op. 20"). */
  label: string;
  operation_id?: number | null;
}

export interface ConflictedAction extends QueuedAction {
  status: number;
  code: string;
  /** The server's message (problem+json detail), in the UI language. */
  message: string;
}

export interface QueueState {
  pending: QueuedAction[];
  conflicts: ConflictedAction[];
}

export interface QueueStore {
  load(): QueueState;
  save(state: QueueState): void;
}

export const QUEUE_STORAGE_KEY = 'usinage.shopfloor.queue';

const EMPTY: QueueState = { pending: [], conflicts: [] };

function validAction(a: unknown): a is QueuedAction {
  if (typeof a !== 'object' || a === null) return false;
  const o = a as Record<string, unknown>;
  return typeof o.key === 'string' && typeof o.path === 'string' && typeof o.body === 'object' && o.body !== null && typeof o.occurred_at === 'string';
}

/** The queue kept in localStorage (synchronous, survives a reload and a browser restart). */
export function localStore(key = QUEUE_STORAGE_KEY): QueueStore {
  return {
    load() {
      try {
        const raw = localStorage.getItem(key);
        if (!raw) return EMPTY;
        const v = JSON.parse(raw) as Partial<QueueState>;
        return {
          pending: Array.isArray(v.pending) ? v.pending.filter(validAction) : [],
          conflicts: Array.isArray(v.conflicts) ? (v.conflicts.filter(validAction) as ConflictedAction[]) : [],
        };
      } catch {
        return EMPTY;
      }
    },
    save(state) {
      try {
        if (state.pending.length === 0 && state.conflicts.length === 0) localStorage.removeItem(key);
        else localStorage.setItem(key, JSON.stringify(state));
      } catch {
        /* storage full or disabled: the queue still works in memory */
      }
    },
  };
}

export interface SendResult {
  data: unknown;
  /** The server answered from its idempotency store (`Idempotency-Replayed: true`). */
  replayed: boolean;
}

/** Sends one action; throws ApiError (status 0 = network failure). */
export type Send = (action: QueuedAction) => Promise<SendResult>;

export const httpSend: Send = async (a) => {
  const res = await apiFetch(a.path, { method: 'POST', body: a.body, headers: { 'Idempotency-Key': a.key } });
  const text = res.status === 204 ? '' : await res.text();
  return { data: text ? (JSON.parse(text) as unknown) : undefined, replayed: (res.headers.get('idempotency-replayed') ?? '').toLowerCase() === 'true' };
};

export function isNetworkFailure(e: unknown): boolean {
  return (isApiError(e) && e.status === 0) || e instanceof TypeError;
}

export type SubmitOutcome<T> = { queued: false; data: T; replayed: boolean } | { queued: true; action: QueuedAction };

export interface QueueOptions {
  store?: QueueStore;
  send?: Send;
  now?: () => Date;
  uuid?: () => string;
  isOnline?: () => boolean;
}

type Listener = () => void;
type SentListener = (action: QueuedAction, result: SendResult) => void;

function defaultUuid(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Non-secure contexts (plain http on a LAN address) have no randomUUID.
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class ActionQueue {
  private state: QueueState;
  private readonly store: QueueStore;
  private readonly send: Send;
  private readonly now: () => Date;
  private readonly uuid: () => string;
  private readonly isOnline: () => boolean;
  private readonly listeners = new Set<Listener>();
  private readonly sentListeners = new Set<SentListener>();
  private flushing: Promise<void> | null = null;
  /** Outcome of actions sent during a flush, for the submit that is waiting for them. */
  private readonly results = new Map<string, SendResult | ConflictedAction>();
  private starts = 0;
  private stopTimer: (() => void) | null = null;

  constructor(opts: QueueOptions = {}) {
    this.store = opts.store ?? localStore();
    this.send = opts.send ?? httpSend;
    this.now = opts.now ?? (() => new Date());
    this.uuid = opts.uuid ?? defaultUuid;
    this.isOnline = opts.isOnline ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false);
    this.state = this.store.load();
  }

  /** The current state (a new object after every change, for useSyncExternalStore). */
  snapshot = (): QueueState => this.state;

  subscribe = (fn: Listener): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** Called for every queued action the server accepted on replay (to refresh the screens). */
  onSent(fn: SentListener): () => void {
    this.sentListeners.add(fn);
    return () => this.sentListeners.delete(fn);
  }

  private set(next: QueueState) {
    this.state = next;
    this.store.save(next);
    for (const l of this.listeners) l();
  }

  /** Builds an action at the tap: a fresh key and the device time. */
  make(path: string, body: Record<string, unknown>, label: string, operationId?: number | null): QueuedAction {
    const occurred_at = this.now().toISOString();
    return { key: this.uuid(), path, body: { ...body, occurred_at }, occurred_at, label, operation_id: operationId ?? null };
  }

  /**
   * Sends an action now, or queues it when the device is offline, the network fails, or earlier
   * actions are still waiting (order is kept). A 4xx/5xx answer to a direct send is thrown (the
   * screen shows the message); nothing is queued then.
   */
  async submit<T>(path: string, body: Record<string, unknown>, label: string, operationId?: number | null): Promise<SubmitOutcome<T>> {
    const action = this.make(path, body, label, operationId);
    if (this.state.pending.length > 0 || !this.isOnline()) {
      this.enqueue(action);
      if (this.isOnline()) {
        await this.flush();
        const r = this.results.get(action.key);
        this.results.delete(action.key);
        if (r && 'data' in r) return { queued: false, data: r.data as T, replayed: r.replayed };
        if (r) {
          // It was refused: the conflict list shows it, the screen shows it too.
          this.dismiss(action.key);
          throw new ApiError({ status: r.status, code: r.code, detail: r.message });
        }
      }
      return { queued: true, action };
    }
    try {
      const r = await this.send(action);
      return { queued: false, data: r.data as T, replayed: r.replayed };
    } catch (e) {
      if (!isNetworkFailure(e)) throw e;
      this.enqueue(action);
      return { queued: true, action };
    }
  }

  enqueue(action: QueuedAction) {
    this.set({ ...this.state, pending: [...this.state.pending, action] });
  }

  /** Forgets a conflicted action (the operator read the message). */
  dismiss(key: string) {
    this.set({ ...this.state, conflicts: this.state.conflicts.filter((c) => c.key !== key) });
  }

  /**
   * Replays the waiting actions in order, each with its own key and occurred_at. Stops at the
   * first network failure or server error (5xx, lost session) and leaves the rest for later; a
   * 4xx moves the action to the conflicts and goes on with the next one.
   */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.run().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  private async run(): Promise<void> {
    while (this.state.pending.length > 0) {
      const action = this.state.pending[0];
      let result: SendResult;
      try {
        result = await this.send(action);
      } catch (e) {
        if (isNetworkFailure(e) || !isApiError(e) || e.status >= 500 || e.status === 401 || e.status === 429) return;
        const conflict: ConflictedAction = { ...action, status: e.status, code: e.code, message: e.detail || e.title || e.code };
        this.results.set(action.key, conflict);
        this.set({ pending: this.state.pending.filter((a) => a.key !== action.key), conflicts: [...this.state.conflicts, conflict] });
        continue;
      }
      this.results.set(action.key, result);
      this.set({ ...this.state, pending: this.state.pending.filter((a) => a.key !== action.key) });
      for (const l of this.sentListeners) l(action, result);
    }
  }

  /**
   * Replays on the `online` event and every `intervalMs`; reference-counted, so every screen that
   * needs it may call it. Returns the stop function.
   */
  start(intervalMs = 20_000): () => void {
    this.starts += 1;
    if (this.starts === 1 && typeof window !== 'undefined') {
      const onOnline = () => void this.flush();
      window.addEventListener('online', onOnline);
      const timer = window.setInterval(() => {
        if (this.state.pending.length > 0 && this.isOnline()) void this.flush();
      }, intervalMs);
      this.stopTimer = () => {
        window.removeEventListener('online', onOnline);
        window.clearInterval(timer);
      };
      if (this.state.pending.length > 0 && this.isOnline()) void this.flush();
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.starts -= 1;
      if (this.starts === 0) {
        this.stopTimer?.();
        this.stopTimer = null;
      }
    };
  }
}

let shared: ActionQueue | null = null;

/** The app's one queue (localStorage, real fetch). */
export function shopFloorQueue(): ActionQueue {
  shared ??= new ActionQueue();
  return shared;
}

/** For tests: drop the shared queue so the next call reloads it from storage. */
export function resetShopFloorQueue(q: ActionQueue | null = null) {
  shared = q;
}
