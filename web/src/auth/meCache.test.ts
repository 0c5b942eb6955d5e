import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, clearTokens, setTokens } from '../api/client';
import { resetDesktopTokenCache } from '../platform/desktop';
import { ADMIN_ME } from '../test/utils';
import { clearMe, isUnreachable, loadMe, ME_CACHE_KEY, storeMe } from './meCache';

afterEach(() => {
  delete window.__USINAGE_DESKTOP__;
  resetDesktopTokenCache();
});

describe('kept copy of me', () => {
  it('is read back on the same server while a session is stored', () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    storeMe(ADMIN_ME, new Date('2026-12-07T08:00:00Z'));
    const raw = JSON.parse(localStorage.getItem(ME_CACHE_KEY) ?? '{}');
    expect(raw).toMatchObject({ v: 1, server: window.location.origin, user_id: 1, saved_at: '2026-12-07T08:00:00.000Z' });
    // The user, roles and rights as the server sent them; never a token.
    expect(raw.me).toEqual(ADMIN_ME);
    expect(JSON.stringify(raw)).not.toContain('"a"');
    expect(loadMe()).toEqual(ADMIN_ME);
    clearMe();
    expect(loadMe()).toBeNull();
  });

  it('is dropped when no session is stored (logged out elsewhere)', () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    storeMe(ADMIN_ME);
    clearTokens();
    expect(loadMe()).toBeNull();
    expect(localStorage.getItem(ME_CACHE_KEY)).toBeNull();
  });

  it('is not used on another server, nor when damaged', () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    localStorage.setItem(ME_CACHE_KEY, JSON.stringify({ v: 1, server: 'https://other.example', user_id: 1, saved_at: '', me: ADMIN_ME }));
    expect(loadMe()).toBeNull();
    expect(localStorage.getItem(ME_CACHE_KEY)).toBeNull();
    localStorage.setItem(ME_CACHE_KEY, JSON.stringify({ v: 1, server: window.location.origin, user_id: 2, saved_at: '', me: ADMIN_ME }));
    expect(loadMe()).toBeNull();
    localStorage.setItem(ME_CACHE_KEY, '{not json');
    expect(loadMe()).toBeNull();
  });

  it('is never written in the desktop app (its session is not in localStorage either)', () => {
    localStorage.setItem(ME_CACHE_KEY, JSON.stringify({ v: 1, server: window.location.origin, user_id: 1, saved_at: '', me: ADMIN_ME }));
    window.__USINAGE_DESKTOP__ = { secret: 's', version: '0.1.0', server: 'http://nas:8080' };
    storeMe(ADMIN_ME);
    expect(localStorage.getItem(ME_CACHE_KEY)).toBeNull();
    expect(loadMe()).toBeNull();
  });
});

describe('isUnreachable', () => {
  it('is a network failure or a gateway without server, never an answer of the server', () => {
    expect(isUnreachable(new ApiError({ status: 0, code: 'network' }))).toBe(true);
    expect(isUnreachable(new ApiError({ status: 502, code: 'server_error' }))).toBe(true);
    expect(isUnreachable(new ApiError({ status: 504, code: 'server_error' }))).toBe(true);
    expect(isUnreachable(new TypeError('Failed to fetch'))).toBe(true);
    expect(isUnreachable(new DOMException('aborted', 'AbortError'))).toBe(true);
    expect(isUnreachable(new ApiError({ status: 401, code: 'unauthenticated' }))).toBe(false);
    expect(isUnreachable(new ApiError({ status: 403, code: 'forbidden' }))).toBe(false);
    expect(isUnreachable(new ApiError({ status: 500, code: 'server_error' }))).toBe(false);
  });
});
