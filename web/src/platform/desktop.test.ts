import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearTokens, getTokens, setTokens } from '../api/client';
import { BRIDGE_HEADER, desktopBridge, resetDesktopTokenCache } from './desktop';

interface FakeXhr {
  method: string;
  url: string;
  sync: boolean;
  headers: Record<string, string>;
}

function installXhr(status: number, body: string) {
  const calls: FakeXhr[] = [];
  class Xhr {
    status = 0;
    responseText = '';
    call: FakeXhr = { method: '', url: '', sync: true, headers: {} };
    open(method: string, url: string, async?: boolean) {
      this.call = { method, url, sync: async === false, headers: {} };
    }
    setRequestHeader(k: string, v: string) {
      this.call.headers[k] = v;
    }
    send() {
      calls.push(this.call);
      this.status = status;
      this.responseText = body;
    }
  }
  vi.stubGlobal('XMLHttpRequest', Xhr);
  return calls;
}

afterEach(() => {
  delete window.__USINAGE_DESKTOP__;
  resetDesktopTokenCache();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('desktop bridge', () => {
  it('is absent in a browser: tokens stay in localStorage as before', () => {
    expect(desktopBridge()).toBeNull();
    setTokens({ access_token: 'a', refresh_token: 'r' });
    expect(localStorage.getItem('usinage.access_token')).toBe('a');
    expect(getTokens()).toEqual({ access: 'a', refresh: 'r' });
    clearTokens();
    expect(getTokens()).toBeNull();
  });

  it('in the app, reads the tokens once from the bridge and keeps them out of localStorage', async () => {
    window.__USINAGE_DESKTOP__ = { secret: 's3cret', version: '0.1.0', server: 'http://nas:8080' };
    const calls = installXhr(200, JSON.stringify({ access: 'A1', refresh: 'R1' }));
    const fetchMock = vi.fn(() => Promise.resolve(new Response(null, { status: 204 })));
    vi.stubGlobal('fetch', fetchMock);

    expect(getTokens()).toEqual({ access: 'A1', refresh: 'R1' });
    expect(getTokens()).toEqual({ access: 'A1', refresh: 'R1' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'GET', url: '/__desktop/tokens', sync: true });
    expect(calls[0].headers[BRIDGE_HEADER]).toBe('s3cret');

    setTokens({ access_token: 'A2', refresh_token: 'R2' });
    expect(getTokens()).toEqual({ access: 'A2', refresh: 'R2' });
    clearTokens();
    expect(getTokens()).toBeNull();
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    const [put, del] = fetchMock.mock.calls as unknown as [string, RequestInit][];
    expect(put[0]).toBe('/__desktop/tokens');
    expect(put[1].method).toBe('PUT');
    expect(JSON.parse(String(put[1].body))).toEqual({ access: 'A2', refresh: 'R2' });
    expect((put[1].headers as Record<string, string>)[BRIDGE_HEADER]).toBe('s3cret');
    expect(del[1].method).toBe('DELETE');
    expect(localStorage.getItem('usinage.access_token')).toBeNull();
  });

  it('treats a bridge without tokens as signed out', () => {
    window.__USINAGE_DESKTOP__ = { secret: 's', version: '0.1.0', server: null };
    installXhr(404, '');
    expect(getTokens()).toBeNull();
  });
});
