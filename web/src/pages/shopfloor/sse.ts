// Server-sent events read through fetch streaming (EventSource cannot send the bearer header):
// an incremental parser of the `event:` / `data:` / `id:` lines and a subscription that
// reconnects with exponential backoff.
import { API_BASE, getTokens, refreshTokens } from '../../api/client';

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Incremental SSE parser (https://html.spec.whatwg.org/#event-stream-interpretation). */
export class SseParser {
  private buf = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;

  /** Feeds a chunk of text; returns the events completed by it. */
  push(chunk: string): SseEvent[] {
    this.buf += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buf);
      if (!m) break;
      // A lone "\r" at the end may be the first half of "\r\n": wait for more.
      if (m[0] === '\r' && m.index === this.buf.length - 1) break;
      const line = this.buf.slice(0, m.index);
      this.buf = this.buf.slice(m.index + m[0].length);
      const ev = this.line(line);
      if (ev) out.push(ev);
    }
    return out;
  }

  private line(line: string): SseEvent | null {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return null;
      }
      const ev: SseEvent = { event: this.event || 'message', data: this.data.join('\n') };
      if (this.id !== undefined) ev.id = this.id;
      this.event = '';
      this.data = [];
      return ev;
    }
    if (line.startsWith(':')) return null;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? '' : line.slice(i + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    return null;
  }
}

/** Delay before reconnection attempt `n` (0-based): 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffMs(n: number, base = 1000, cap = 30_000): number {
  return Math.min(cap, base * 2 ** Math.max(0, Math.min(n, 16)));
}

export interface SubscribeOptions {
  onEvent: (e: SseEvent) => void;
  /** Connected (again): the caller re-reads what it shows, events may have been missed. */
  onOpen?: () => void;
  onError?: (e: unknown) => void;
  path?: string;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Subscribes to GET /api/v1/events until the returned function is called. */
export function subscribeEvents(opts: SubscribeOptions): () => void {
  const ctrl = new AbortController();
  const doFetch = opts.fetchImpl ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const sleep = opts.sleep ?? defaultSleep;
  const url = opts.path ?? `${API_BASE}/events`;

  void (async () => {
    let failures = 0;
    while (!ctrl.signal.aborted) {
      try {
        const token = getTokens()?.access;
        const res = await doFetch(url, {
          headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          signal: ctrl.signal,
          cache: 'no-store',
        });
        if (res.status === 401) {
          await refreshTokens();
          throw new Error('unauthenticated');
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        failures = 0;
        opts.onOpen?.();
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        const parser = new SseParser();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const ev of parser.push(decoder.decode(value, { stream: true }))) opts.onEvent(ev);
        }
      } catch (e) {
        if (ctrl.signal.aborted) return;
        opts.onError?.(e);
      }
      if (ctrl.signal.aborted) return;
      await sleep(backoffMs(failures), ctrl.signal);
      failures += 1;
    }
  })();

  return () => ctrl.abort();
}
