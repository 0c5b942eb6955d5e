import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, buildUrl, configureClient, filenameFromDisposition, getTokens, parseProblem, problemFromBody, setTokens } from './client';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const problem = status >= 400;
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': problem ? 'application/problem+json' : 'application/json', ...headers },
  });
}

describe('problemFromBody', () => {
  it('reads a full problem+json document', () => {
    const e = problemFromBody(
      422,
      {
        type: 'https://x/errors/validation',
        title: 'Données invalides',
        status: 422,
        code: 'validation',
        detail: 'Le SIRET est invalide.',
        errors: [{ field: 'siret', code: 'siret_checksum', message: 'Clé de contrôle incorrecte' }],
        request_id: 'r-1',
      },
      new Headers(),
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.code).toBe('validation');
    expect(e.detail).toBe('Le SIRET est invalide.');
    expect(e.message).toBe('Le SIRET est invalide.');
    expect(e.errors).toEqual([{ field: 'siret', code: 'siret_checksum', message: 'Clé de contrôle incorrecte' }]);
    expect(e.requestId).toBe('r-1');
  });
  it('keeps the Retry-After of a 429 in seconds', () => {
    const e = problemFromBody(429, { code: 'too_many_attempts', detail: 'Trop de tentatives.' }, new Headers({ 'retry-after': '30' }));
    expect(e.retryAfter).toBe(30);
  });
  it('derives a code from the status when the body has none, and ignores HTML pages', () => {
    const e = problemFromBody(403, '<html><body>Forbidden</body></html>', new Headers({ 'x-request-id': 'abc' }));
    expect(e.code).toBe('forbidden');
    expect(e.detail).toBe('');
    expect(e.requestId).toBe('abc');
    expect(e.isForbidden).toBe(true);
    expect(problemFromBody(502, null).code).toBe('server_error');
  });
  it('uses a short plain-text body as the detail', () => {
    expect(problemFromBody(400, 'missing field `login`').detail).toBe('missing field `login`');
  });
  it('drops malformed field errors instead of crashing', () => {
    const e = problemFromBody(422, { errors: [{ field: 'a', message: 'ok' }, { nope: 1 }, 'x', null] });
    expect(e.errors).toEqual([{ field: 'a', code: '', message: 'ok' }]);
  });
  it('flags a stale version', () => {
    expect(problemFromBody(409, { code: 'stale_version' }).isStale).toBe(true);
    expect(problemFromBody(409, { code: 'conflict' }).isStale).toBe(false);
  });
});

describe('parseProblem', () => {
  it('parses JSON and text responses', async () => {
    const a = await parseProblem(json(404, { code: 'not_found', detail: 'Utilisateur 9 introuvable.' }));
    expect(a.detail).toBe('Utilisateur 9 introuvable.');
    const b = await parseProblem(new Response('oops', { status: 500, headers: { 'content-type': 'text/plain' } }));
    expect(b.detail).toBe('oops');
    expect(b.code).toBe('server_error');
  });
});

describe('buildUrl', () => {
  it('prefixes /api/v1 and leaves out empty parameters', () => {
    expect(buildUrl('/users', { page: 1, q: '', sort: '-login', active: undefined, x: null })).toBe('/api/v1/users?page=1&sort=-login');
    expect(buildUrl('/api/v1/audit', { from: '2026-11-01' })).toBe('/api/v1/audit?from=2026-11-01');
  });
});

describe('filenameFromDisposition', () => {
  it('reads plain and RFC 5987 file names', () => {
    expect(filenameFromDisposition('attachment; filename="users.csv"')).toBe('users.csv');
    expect(filenameFromDisposition("attachment; filename*=UTF-8''utilisateurs%20%C3%A9t%C3%A9.xlsx")).toBe('utilisateurs été.xlsx');
    expect(filenameFromDisposition(null)).toBeNull();
  });
});

describe('api() auth handling', () => {
  const fetchMock = vi.fn<typeof fetch>();
  const onAuthLost = vi.fn();
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock);
    fetchMock.mockReset();
    onAuthLost.mockReset();
    configureClient({ getLang: () => 'en', onAuthLost });
    setTokens({ access_token: 'old-access', refresh_token: 'old-refresh' });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    configureClient({ getLang: () => 'fr', onAuthLost: () => undefined });
  });

  it('sends the bearer token and the UI language', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { ok: 1 }));
    await api('/users');
    const [, init] = fetchMock.mock.calls[0];
    const h = new Headers(init?.headers);
    expect(h.get('authorization')).toBe('Bearer old-access');
    expect(h.get('accept-language')).toBe('en');
  });

  it('refreshes once on 401 unauthenticated and retries with the new token', async () => {
    fetchMock
      .mockResolvedValueOnce(json(401, { code: 'unauthenticated', detail: 'expired' }))
      .mockResolvedValueOnce(json(200, { access_token: 'new-access', refresh_token: 'new-refresh', token_type: 'Bearer', expires_in: 900, user: {} }))
      .mockResolvedValueOnce(json(200, { id: 1 }));
    await expect(api('/users/1')).resolves.toEqual({ id: 1 });
    expect(fetchMock.mock.calls[1][0]).toBe('/api/v1/auth/refresh');
    expect(JSON.parse(String(fetchMock.mock.calls[1][1]?.body))).toEqual({ refresh_token: 'old-refresh' });
    expect(new Headers(fetchMock.mock.calls[2][1]?.headers).get('authorization')).toBe('Bearer new-access');
    expect(getTokens()).toEqual({ access: 'new-access', refresh: 'new-refresh' });
    expect(onAuthLost).not.toHaveBeenCalled();
  });

  it('drops the session and tells the app when the refresh is refused', async () => {
    fetchMock
      .mockResolvedValueOnce(json(401, { code: 'unauthenticated' }))
      .mockResolvedValueOnce(json(401, { code: 'unauthenticated' }));
    await expect(api('/users')).rejects.toMatchObject({ status: 401 });
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(getTokens()).toBeNull();
    expect(onAuthLost).toHaveBeenCalledOnce();
  });

  it('shares one refresh between concurrent requests', async () => {
    let refreshCalls = 0;
    fetchMock.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url.endsWith('/auth/refresh')) {
        refreshCalls++;
        return json(200, { access_token: 'n', refresh_token: 'r', token_type: 'Bearer', expires_in: 900, user: {} });
      }
      const auth = new Headers(init?.headers).get('authorization');
      return auth === 'Bearer n' ? json(200, { url }) : json(401, { code: 'unauthenticated' });
    });
    await Promise.all([api('/a'), api('/b'), api('/c')]);
    expect(refreshCalls).toBe(1);
  });

  it('does not refresh on a wrong login (401 invalid_credentials) nor on 403', async () => {
    fetchMock.mockResolvedValueOnce(json(401, { code: 'invalid_credentials', detail: 'Identifiant ou mot de passe incorrect.' }));
    await expect(api('/auth/login', { method: 'POST', body: {}, anonymous: true })).rejects.toMatchObject({ code: 'invalid_credentials' });
    fetchMock.mockResolvedValueOnce(json(403, { code: 'forbidden', detail: 'Accès réservé.' }));
    const err = await api('/rights').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).detail).toBe('Accès réservé.');
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(getTokens()).not.toBeNull();
  });

  it('turns a network failure into ApiError status 0', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(api('/users')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('resolves undefined on 204', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(api('/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });
});
