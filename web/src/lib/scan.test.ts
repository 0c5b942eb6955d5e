import { describe, expect, it } from 'vitest';
import { resolveScan } from './scan';

const ORIGIN = 'http://atelier.local:8080';

describe('resolveScan', () => {
  it('opens a record URL of this server in place', () => {
    expect(resolveScan('http://atelier.local:8080/users/3', ORIGIN)).toEqual({ kind: 'internal', path: '/users/3' });
    expect(resolveScan('  http://atelier.local:8080/users/3?tab=x  ', ORIGIN)).toEqual({ kind: 'internal', path: '/users/3?tab=x' });
  });
  it('accepts a typed path', () => {
    expect(resolveScan('/users/12', ORIGIN)).toEqual({ kind: 'internal', path: '/users/12' });
    expect(resolveScan('users/12', ORIGIN)).toEqual({ kind: 'internal', path: '/users/12' });
  });
  it('does not navigate to another server, but offers the path when it is one of ours', () => {
    expect(resolveScan('https://nas.example/users/3', ORIGIN)).toEqual({ kind: 'other-origin', origin: 'https://nas.example', path: '/users/3', url: 'https://nas.example/users/3' });
    expect(resolveScan('https://example.com/promo', ORIGIN)).toMatchObject({ kind: 'other-origin', path: null });
  });
  it('shows anything else as text', () => {
    expect(resolveScan('LOT-2026-0042', ORIGIN)).toEqual({ kind: 'text', text: 'LOT-2026-0042' });
    expect(resolveScan('javascript:alert(1)', ORIGIN)).toEqual({ kind: 'text', text: 'javascript:alert(1)' });
    expect(resolveScan('//evil.example/users/1', ORIGIN).kind).not.toBe('internal');
  });
});
