import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import { getTokens, setTokens } from '../api/client';
import { ADMIN_ME, json, renderApp } from '../test/utils';
import { loginPath, safeNext } from './AuthContext';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe('safeNext', () => {
  it('only follows same-site paths', () => {
    expect(safeNext('/users/3')).toBe('/users/3');
    expect(safeNext('/audit?entity_type=user')).toBe('/audit?entity_type=user');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
  it('builds the login URL that remembers where the user was going', () => {
    expect(loginPath({ pathname: '/users/3', search: '' })).toBe('/login?next=%2Fusers%2F3');
    expect(loginPath({ pathname: '/', search: '' })).toBe('/login');
    expect(loginPath({ pathname: '/audit', search: '?page=2' }, 'expired')).toBe('/login?next=%2Faudit%3Fpage%3D2&reason=expired');
  });
});

function routeFetch(routes: Record<string, (init?: RequestInit) => Response>) {
  fetchMock.mockImplementation(async (input, init) => {
    const path = new URL(String(input), 'http://x').pathname;
    const handler = routes[`${init?.method ?? 'GET'} ${path}`];
    return handler ? handler(init) : json(404, { code: 'not_found', detail: `no mock for ${path}` });
  });
}

describe('login flow', () => {
  it('a deep link without a session goes to login, then back to the record', async () => {
    const user = { id: 3, login: 'kdumas', full_name: 'Kevin Dumas', email: null, active: true, roles: ['operateur'], employee_id: null, must_change_password: false, status: 'actif', status_label: 'Actif', url: 'http://x/users/3', created_at: '2026-11-02T07:37:00Z', updated_at: '2026-11-02T07:37:00Z', version: 1 };
    routeFetch({
      'GET /api/v1/info': () => json(200, { name: 'usinage', version: '0.1.0', company: 'Usinage Démo SARL', database: 'sqlite', demo: true }),
      'POST /api/v1/auth/login': (init) => {
        const body = JSON.parse(String(init?.body));
        return body.password === 'usinage-demo'
          ? json(200, { access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: 900, user: ADMIN_ME })
          : json(401, { code: 'invalid_credentials', detail: 'Identifiant ou mot de passe incorrect.' });
      },
      'GET /api/v1/users/3': () => json(200, user),
      'GET /api/v1/users/3/transitions': () => json(200, [{ to: 'inactif', label: 'Désactiver' }]),
      'GET /api/v1/users/3/history': () => json(200, { items: [], total: 0, page: 1, per_page: 100 }),
      'GET /api/v1/qr/users/3.svg': () => new Response('<svg xmlns="http://www.w3.org/2000/svg"/>', { headers: { 'content-type': 'image/svg+xml' } }),
    });
    renderApp(<AppRoutes />, '/users/3');
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/login?next=%2Fusers%2F3'));

    fireEvent.change(screen.getByTestId('login-input'), { target: { value: 'admin' } });
    fireEvent.change(screen.getByTestId('password-input'), { target: { value: 'wrong-password' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toContain('Identifiant ou mot de passe incorrect.');

    fireEvent.change(screen.getByTestId('password-input'), { target: { value: 'usinage-demo' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    expect((await screen.findByTestId('user-title')).textContent).toBe('Kevin Dumas');
    expect(screen.getByTestId('where').textContent).toBe('/users/3');
    expect(getTokens()).toEqual({ access: 'a', refresh: 'r' });
  });

  it('a user who must change his password is held on /account', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    routeFetch({
      'GET /api/v1/info': () => json(200, { name: 'usinage', version: '0.1.0', company: null, database: 'sqlite', demo: false }),
      'GET /api/v1/auth/me': () => json(200, { ...ADMIN_ME, must_change_password: true }),
    });
    renderApp(<AppRoutes />, '/users');
    expect(await screen.findByTestId('forced-change')).toBeTruthy();
    expect(screen.getByTestId('where').textContent).toBe('/account');
  });

  it('hides the modules the user cannot read and marks unbuilt ones', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    routeFetch({
      'GET /api/v1/info': () => json(200, { name: 'usinage', version: '0.1.0', company: null, database: 'sqlite', demo: false }),
      'GET /api/v1/auth/me': () =>
        json(200, { ...ADMIN_ME, roles: ['operateur'], permissions: { time_tracking: ['read', 'create'], tools: ['read'] } }),
    });
    renderApp(<AppRoutes />, '/');
    await screen.findByTestId('dashboard');
    expect(screen.queryByTestId('nav-users')).toBeNull();
    expect(screen.queryByTestId('nav-rights')).toBeNull();
    // The shop floor is built: the operator's menu opens it.
    expect(screen.getByTestId('nav-time_tracking').textContent).not.toContain('bientôt');
    expect(screen.getByTestId('nav-time_tracking').className).not.toContain('soon');
    expect(screen.getByTestId('nav-scan')).toBeTruthy();
  });
});
