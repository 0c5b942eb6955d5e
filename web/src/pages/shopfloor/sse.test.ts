import { describe, expect, it, vi } from 'vitest';
import { backoffMs, SseParser, subscribeEvents, type SseEvent } from './sse';

describe('SseParser', () => {
  it('parses named events with JSON data', () => {
    const p = new SseParser();
    const evs = p.push('event: shop_floor\ndata: {"operation_id":12,"status":"en_cours"}\n\n');
    expect(evs).toEqual([{ event: 'shop_floor', data: '{"operation_id":12,"status":"en_cours"}' }]);
    expect(JSON.parse(evs[0].data).operation_id).toBe(12);
  });

  it('joins events split across chunks, anywhere', () => {
    const p = new SseParser();
    const text = 'event: shop_floor\r\ndata: {"a":1}\r\n\r\n: keep-alive\n\nevent: other\ndata: x\ndata: y\nid: 7\n\n';
    const out: SseEvent[] = [];
    for (const ch of text) out.push(...p.push(ch));
    expect(out).toEqual([
      { event: 'shop_floor', data: '{"a":1}' },
      { event: 'other', data: 'x\ny', id: '7' },
    ]);
  });

  it('defaults to "message", ignores comments and empty events', () => {
    const p = new SseParser();
    expect(p.push(':ping\n\n\ndata:hello\n\n')).toEqual([{ event: 'message', data: 'hello' }]);
    expect(p.push('event: x\n\n')).toEqual([]);
    expect(p.push('data: y\n\n')).toEqual([{ event: 'message', data: 'y' }]);
  });

  it('backs off exponentially with a cap', () => {
    expect([0, 1, 2, 3].map((n) => backoffMs(n))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(20)).toBe(30_000);
  });
});

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
}

describe('subscribeEvents', () => {
  it('sends the bearer token, delivers events and reconnects with backoff', async () => {
    localStorage.setItem('usinage.access_token', 'tok');
    const sleeps: number[] = [];
    let calls = 0;
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      calls += 1;
      expect(new Headers(init?.headers).get('authorization')).toBe('Bearer tok');
      if (calls === 2) throw new TypeError('network');
      return new Response(streamOf([`event: shop_floor\ndata: {"n":${calls}}\n`, '\n']), { status: 200 });
    });
    const events: SseEvent[] = [];
    let opens = 0;
    let stop: () => void = () => undefined;
    await new Promise<void>((resolve) => {
      stop = subscribeEvents({
        fetchImpl: fetchImpl as unknown as typeof fetch,
        onEvent: (e) => {
          events.push(e);
          if (events.length === 2) resolve();
        },
        onOpen: () => (opens += 1),
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      });
    });
    stop();
    expect(events.map((e) => JSON.parse(e.data).n)).toEqual([1, 3]);
    expect(opens).toBe(2);
    // after the first stream ends: 1 s; after the network failure: 2 s.
    expect(sleeps.slice(0, 2)).toEqual([1000, 2000]);
  });
});
