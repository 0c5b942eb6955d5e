import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { ALL, fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { settings } from './fixtures';
import { SettingsPage } from './SettingsPage';

beforeEach(() => setTokens({ access_token: 'tok', refresh_token: 'ref' }));
afterEach(() => vi.unstubAllGlobals());

describe('SettingsPage', () => {
  it('sums the shop week up, links to Calendriers and never sends the week or the closed days', async () => {
    const api = fakeApi(meWith({ planning: [...ALL] }), {
      'GET /planning/settings': () => json(200, settings()),
      'PUT /planning/settings': () => json(200, { ...settings(), horizon_days: 45 }),
    });
    renderApp(
      <RequireAuth>
        <Routes>
          <Route path="/planning/parametres" element={<SettingsPage />} />
        </Routes>
      </RequireAuth>,
      '/planning/parametres',
    );
    const box = await screen.findByTestId('settings-calendars');
    expect(box.textContent).toContain('Lun–Jeu 07:30–12:00, 13:00–17:00 · Ven 07:30–12:30');
    expect(box.textContent).toContain('2 jours de fermeture en plus des jours fériés.');
    expect(screen.getByTestId('settings-to-calendars').getAttribute('href')).toBe('/planning/calendriers');
    fireEvent.change(screen.getByTestId('settings-horizon'), { target: { value: '45' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(api.made('PUT', '/planning/settings')).toHaveLength(1));
    expect(api.made('PUT', '/planning/settings')[0].body).toEqual({ rebalance_mode: 'attendre', horizon_days: 45, nightly: true, same_family_setup_factor: '0.3' });
  });
});
