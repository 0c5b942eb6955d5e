import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../App';
import { setTokens } from '../api/client';
import type { RightsDoc } from '../api/types';
import { ADMIN_ME, json, renderApp } from '../test/utils';

const DOC: RightsDoc = {
  roles: [
    { code: 'admin', label: 'Administrateur' },
    { code: 'operateur', label: 'Opérateur' },
  ],
  modules: [
    { code: 'users', label: 'Utilisateurs', built: true },
    { code: 'time_tracking', label: 'Pointage', built: false },
  ],
  actions: ['read', 'create', 'update', 'delete', 'validate'].map((code) => ({ code, label: code })),
  grants: { admin: { users: ['read'] }, operateur: { time_tracking: ['read', 'create'] } },
};

const fetchMock = vi.fn<typeof fetch>();
let putBodies: unknown[] = [];
beforeEach(() => {
  putBodies = [];
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  setTokens({ access_token: 'a', refresh_token: 'r' });
});
afterEach(() => vi.unstubAllGlobals());

function serve(me = ADMIN_ME, rightsStatus = 200) {
  fetchMock.mockImplementation(async (input, init) => {
    const path = new URL(String(input), 'http://x').pathname;
    if (path === '/api/v1/auth/me') return json(200, me);
    if (path === '/api/v1/info') return json(200, { name: 'usinage', version: '0', company: null, database: 'sqlite', demo: false });
    if (path === '/api/v1/rights' && init?.method === 'PUT') {
      const body = JSON.parse(String(init.body));
      putBodies.push(body);
      return json(200, { ...DOC, grants: body.grants });
    }
    if (path === '/api/v1/rights') {
      return rightsStatus === 200 ? json(200, DOC) : json(rightsStatus, { code: 'forbidden', detail: 'Vous n’avez pas le droit « lire » sur le module « Système ».' });
    }
    return json(404, { code: 'not_found' });
  });
}

describe('RightsPage', () => {
  it('toggles a right and saves the whole matrix with PUT', async () => {
    serve();
    renderApp(<AppRoutes />, '/rights');
    const box = (await screen.findByTestId('rights-operateur-users-read')) as HTMLInputElement;
    expect(box.checked).toBe(false);
    const save = screen.getByTestId('rights-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true);

    fireEvent.click(box);
    expect(box.checked).toBe(true);
    expect(screen.getByTestId('rights-changes').textContent).toContain('1');
    fireEvent.click(save);
    await waitFor(() => expect(putBodies).toHaveLength(1));
    const sent = putBodies[0] as { grants: Record<string, Record<string, string[]>> };
    expect(sent.grants.operateur).toEqual({ users: ['read'], time_tracking: ['read', 'create'] });
    // The admin is shown and sent with every right, and cannot be unticked.
    expect(sent.grants.admin.time_tracking).toEqual(['read', 'create', 'update', 'delete', 'validate']);
    expect((screen.getByTestId('rights-admin-users-delete') as HTMLInputElement).disabled).toBe(true);
    expect(await screen.findByTestId('toast-success')).toBeTruthy();
    await waitFor(() => expect((screen.getByTestId('rights-save') as HTMLButtonElement).disabled).toBe(true));
  });

  it('ticking validate also ticks read', async () => {
    serve();
    renderApp(<AppRoutes />, '/rights');
    fireEvent.click(await screen.findByTestId('rights-operateur-users-validate'));
    expect((screen.getByTestId('rights-operateur-users-read') as HTMLInputElement).checked).toBe(true);
  });

  it('shows the server’s refusal to a user without the right', async () => {
    serve({ ...ADMIN_ME, roles: ['operateur'], permissions: { time_tracking: ['read'] } }, 403);
    renderApp(<AppRoutes />, '/rights');
    const banner = await screen.findByTestId('forbidden-banner');
    expect(banner.textContent).toMatch(/^Accès refusé\s*:\s*Vous n’avez pas le droit « lire » sur le module « Système »\.$/);
  });
});
