// A fetch stand-in for component tests: routes by method + path, records every call with its body.
import { vi } from 'vitest';
import type { Me } from '../api/types';
import { json } from './utils';

export interface Call {
  method: string;
  path: string;
  search: URLSearchParams;
  body: unknown;
  headers: Headers;
}

type Handler = (call: Call) => Response | Promise<Response>;

export function fakeApi(me: Me, routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const fetchMock = vi.fn<typeof fetch>(async (input, init) => {
    const url = new URL(String(input), 'http://x');
    const method = init?.method ?? 'GET';
    const raw = init?.body;
    const body = raw instanceof FormData ? raw : typeof raw === 'string' ? JSON.parse(raw) : raw;
    const call: Call = { method, path: url.pathname.replace(/^\/api\/v1/, ''), search: url.searchParams, body, headers: new Headers(init?.headers) };
    calls.push(call);
    if (call.path === '/auth/me') return json(200, me);
    if (call.path === '/info') return json(200, { name: 'usinage', version: '0', company: null, database: 'sqlite', demo: false });
    const handler = routes[`${method} ${call.path}`];
    if (handler) return handler(call);
    return json(404, { code: 'not_found', detail: `no fake for ${method} ${call.path}` });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    /** Calls other than the session ones. */
    made: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}

export const ALL = ['read', 'create', 'update', 'delete', 'validate'] as const;

export function meWith(permissions: Me['permissions']): Me {
  return { id: 1, login: 'chef', full_name: 'Chef Atelier', email: null, roles: ['chef_atelier'], must_change_password: false, permissions };
}
