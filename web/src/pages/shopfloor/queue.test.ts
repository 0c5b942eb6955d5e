import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import { ActionQueue, localStore, QUEUE_STORAGE_KEY, type QueuedAction, type Send } from './queue';

/** A server stand-in: records every call; `down` makes it a network failure. */
function fakeServer() {
  const calls: QueuedAction[] = [];
  const seen = new Map<string, unknown>();
  const s: { down: boolean; refuse: Set<string>; calls: QueuedAction[]; send: Send } = {
    down: false,
    refuse: new Set<string>(),
    calls,
    send: (async (a: QueuedAction) => {
      if (s.down) throw new ApiError({ status: 0, code: 'network' });
      calls.push(a);
      if (s.refuse.has(a.path)) throw new ApiError({ status: 409, code: 'bad_status', detail: 'L’opération est déjà terminée.' });
      if (seen.has(a.key)) return { data: seen.get(a.key), replayed: true };
      const data: unknown = { path: a.path, at: a.body.occurred_at };
      seen.set(a.key, data);
      return { data, replayed: false };
    }) as Send,
  };
  return s;
}

function queue(server: ReturnType<typeof fakeServer>, online: { v: boolean }, t0 = Date.parse('2026-12-07T08:00:00Z')) {
  let n = 0;
  let clock = t0;
  return new ActionQueue({
    store: localStore(),
    send: server.send,
    isOnline: () => online.v,
    uuid: () => `key-${++n}-${Math.random().toString(36).slice(2, 6)}`,
    now: () => new Date((clock += 60_000)),
  });
}

describe('ActionQueue', () => {
  it('sends directly when online, with an Idempotency-Key and occurred_at', async () => {
    const srv = fakeServer();
    const q = queue(srv, { v: true });
    const r = await q.submit('/shop-floor/operations/1/start', {}, 'Démarrer');
    expect(r.queued).toBe(false);
    expect(srv.calls).toHaveLength(1);
    expect(srv.calls[0].key).toMatch(/^key-1/);
    expect(srv.calls[0].body.occurred_at).toBe('2026-12-07T08:01:00.000Z');
    expect(q.snapshot().pending).toHaveLength(0);
  });

  it('queues when offline and replays in order, once, with the same key and occurred_at', async () => {
    const srv = fakeServer();
    const online = { v: false };
    const q = queue(srv, online);
    const a = await q.submit('/shop-floor/operations/1/start', {}, 'Démarrer');
    const b = await q.submit('/shop-floor/operations/1/pause', { reason: 'pause' }, 'Pause');
    expect(a.queued && b.queued).toBe(true);
    expect(srv.calls).toHaveLength(0);
    expect(q.snapshot().pending.map((x) => x.path)).toEqual(['/shop-floor/operations/1/start', '/shop-floor/operations/1/pause']);
    const sent = vi.fn();
    q.onSent(sent);
    online.v = true;
    await q.flush();
    await q.flush();
    expect(srv.calls.map((x) => x.path)).toEqual(['/shop-floor/operations/1/start', '/shop-floor/operations/1/pause']);
    if (!a.queued || !b.queued) throw new Error('queued');
    expect(srv.calls[0].key).toBe(a.action.key);
    expect(srv.calls[0].body.occurred_at).toBe(a.action.occurred_at);
    expect(srv.calls[1].body).toEqual({ reason: 'pause', occurred_at: b.action.occurred_at });
    expect(sent).toHaveBeenCalledTimes(2);
    expect(q.snapshot().pending).toHaveLength(0);
  });

  it('queues on a network failure (fetch TypeError) even when the device thinks it is online', async () => {
    const srv = fakeServer();
    srv.down = true;
    const q = queue(srv, { v: true });
    const r = await q.submit('/shop-floor/operations/2/resume', {}, 'Reprendre');
    expect(r.queued).toBe(true);
    // A later action waits behind the first one: order is kept.
    srv.down = false;
    const r2 = await q.submit('/shop-floor/operations/2/finish', { good: 3, scrap: 0 }, 'Terminer');
    expect(r2.queued).toBe(false);
    expect(srv.calls.map((c) => c.path)).toEqual(['/shop-floor/operations/2/resume', '/shop-floor/operations/2/finish']);
  });

  it('stops replaying at a network failure and keeps the rest', async () => {
    const srv = fakeServer();
    const online = { v: false };
    const q = queue(srv, online);
    await q.submit('/a', {}, 'A');
    await q.submit('/b', {}, 'B');
    online.v = true;
    srv.down = true;
    await q.flush();
    expect(q.snapshot().pending).toHaveLength(2);
    srv.down = false;
    await q.flush();
    expect(srv.calls.map((c) => c.path)).toEqual(['/a', '/b']);
  });

  it('treats a replayed answer as success', async () => {
    const srv = fakeServer();
    const online = { v: true };
    const q = queue(srv, online);
    const action = q.make('/x', {}, 'X');
    await srv.send(action); // the first send reached the server but its answer was lost
    q.enqueue(action);
    const sent = vi.fn();
    q.onSent(sent);
    await q.flush();
    expect(sent.mock.calls[0][1].replayed).toBe(true);
    expect(q.snapshot()).toEqual({ pending: [], conflicts: [] });
  });

  it('keeps a 4xx on replay as a conflict with the server message, until dismissed', async () => {
    const srv = fakeServer();
    srv.refuse.add('/shop-floor/operations/3/finish');
    const online = { v: false };
    const q = queue(srv, online);
    await q.submit('/shop-floor/operations/3/finish', { good: 1, scrap: 0 }, 'Terminer');
    await q.submit('/shop-floor/operations/4/start', {}, 'Démarrer');
    online.v = true;
    await q.flush();
    const s = q.snapshot();
    expect(s.pending).toHaveLength(0);
    expect(s.conflicts).toHaveLength(1);
    expect(s.conflicts[0]).toMatchObject({ path: '/shop-floor/operations/3/finish', status: 409, message: 'L’opération est déjà terminée.', label: 'Terminer' });
    // the next action was still sent
    expect(srv.calls.map((c) => c.path)).toEqual(['/shop-floor/operations/3/finish', '/shop-floor/operations/4/start']);
    q.dismiss(s.conflicts[0].key);
    expect(q.snapshot().conflicts).toHaveLength(0);
  });

  it('throws a direct 4xx instead of queueing it', async () => {
    const srv = fakeServer();
    srv.refuse.add('/z');
    const q = queue(srv, { v: true });
    await expect(q.submit('/z', {}, 'Z')).rejects.toMatchObject({ status: 409, detail: 'L’opération est déjà terminée.' });
    expect(q.snapshot()).toEqual({ pending: [], conflicts: [] });
  });

  it('survives a reload through localStorage and replays with the same key', async () => {
    const srv = fakeServer();
    const online = { v: false };
    const q1 = queue(srv, online);
    const r = await q1.submit('/shop-floor/operations/5/pause', { reason: 'autre', note: 'fuite' }, 'Pause');
    if (!r.queued) throw new Error('queued');
    expect(localStorage.getItem(QUEUE_STORAGE_KEY)).toContain(r.action.key);
    // "reload": a new queue on the same storage
    online.v = true;
    const q2 = queue(srv, online);
    expect(q2.snapshot().pending).toHaveLength(1);
    await q2.flush();
    expect(srv.calls).toHaveLength(1);
    expect(srv.calls[0].key).toBe(r.action.key);
    expect(srv.calls[0].body).toEqual({ reason: 'autre', note: 'fuite', occurred_at: r.action.occurred_at });
    expect(localStorage.getItem(QUEUE_STORAGE_KEY)).toBeNull();
  });

  it('ignores a corrupt storage', () => {
    localStorage.setItem(QUEUE_STORAGE_KEY, '{not json');
    expect(localStore().load()).toEqual({ pending: [], conflicts: [] });
    localStorage.setItem(QUEUE_STORAGE_KEY, JSON.stringify({ pending: [{ key: 1 }], conflicts: 'x' }));
    expect(localStore().load()).toEqual({ pending: [], conflicts: [] });
  });

  it('replays on the online event', async () => {
    const srv = fakeServer();
    const online = { v: false };
    const q = queue(srv, online);
    await q.submit('/a', {}, 'A');
    const stop = q.start(60_000);
    online.v = true;
    window.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(srv.calls).toHaveLength(1));
    stop();
  });
});
