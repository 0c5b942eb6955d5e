import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { ALL, fakeApi, meWith, type Call } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { board, proposal, unavailabilities } from './fixtures';
import { UnavailabilityPage } from './UnavailabilityPage';

beforeEach(() => setTokens({ access_token: 'tok', refresh_token: 'ref' }));
afterEach(() => vi.unstubAllGlobals());

const CHEF = meWith({ planning: [...ALL] });
const OPERATOR = { ...meWith({ planning: ['read'] }), roles: ['operateur'] };
// 08/12/2026 10:00: Kévin Dumas is off (en cours), the DMG stops on the 14th (à venir),
// Sébastien Pelletier's leave in November is over (passée).
const NOW = () => new Date(2026, 11, 8, 10, 0);

const list = (c: Call) => {
  const r = c.search.get('resource');
  return json(200, unavailabilities().filter((u) => !r || u.resource === r));
};

function page(url = '/planning/indisponibilites') {
  renderApp(
    <RequireAuth>
      <Routes>
        <Route path="/planning/indisponibilites" element={<UnavailabilityPage now={NOW} />} />
        <Route path="/planning/propositions/:id" element={<div data-testid="proposal-page" />} />
      </Routes>
    </RequireAuth>,
    url,
  );
}

const rowIds = () => screen.queryAllByTestId(/^unav-row-/).map((r) => r.getAttribute('data-testid'));

describe('UnavailabilityPage', () => {
  it('lists current and upcoming ones with resource, kind, period, who declared and state', async () => {
    fakeApi(CHEF, { 'GET /planning/unavailability': list, 'GET /planning/board': () => json(200, board()) });
    page();
    const row = await screen.findByTestId('unav-row-2');
    // What is going on now first, then what comes next.
    expect(rowIds()).toEqual(['unav-row-2', 'unav-row-3']);
    const cells = row.querySelectorAll('td');
    expect(cells[0].textContent).toBe('Personne Kévin Dumas');
    expect(cells[1].textContent).toBe('Arrêt maladie');
    expect(cells[2].textContent).toBe('08/12/2026 07:30');
    expect(cells[3].textContent).toBe('09/12/2026 17:00');
    expect(cells[4].textContent).toContain('chef');
    expect(cells[5].textContent).toBe('En cours');
    expect(within(screen.getByTestId('unav-row-3')).getByText('À venir')).toBeTruthy();
    expect(within(screen.getByTestId('unav-row-3')).getByText('Vidange et graissage annuel')).toBeTruthy();
    expect(screen.getByTestId('unav-count').textContent).toBe('2 indisponibilités');
  });

  it('filters machines on the server, states and period here, and keeps them in the URL', async () => {
    const api = fakeApi(CHEF, { 'GET /planning/unavailability': list, 'GET /planning/board': () => json(200, board()) });
    page();
    await screen.findByTestId('unav-row-2');
    fireEvent.change(screen.getByTestId('unav-state'), { target: { value: 'toutes' } });
    expect(rowIds()).toEqual(['unav-row-2', 'unav-row-3', 'unav-row-1']);
    expect(within(screen.getByTestId('unav-row-1')).getByText('Passée')).toBeTruthy();

    fireEvent.click(screen.getByTestId('unav-res-machine'));
    await waitFor(() => expect(rowIds()).toEqual(['unav-row-3']));
    expect(api.made('GET', '/planning/unavailability').at(-1)?.search.get('resource')).toBe('machine');
    expect(screen.getByTestId('where').textContent).toBe('/planning/indisponibilites?ressource=machine&etat=toutes');

    fireEvent.click(screen.getByTestId('unav-res-toutes'));
    await screen.findByTestId('unav-row-1');
    fireEvent.change(screen.getByTestId('unav-from'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByTestId('unav-to'), { target: { value: '2026-11-30' } });
    expect(rowIds()).toEqual(['unav-row-1']);
    fireEvent.click(screen.getByTestId('unav-clear'));
    expect(rowIds()).toEqual(['unav-row-2', 'unav-row-3']);
    // A header sorts by that column alone.
    fireEvent.click(within(screen.getByTestId('th-resource')).getByRole('button'));
    expect(rowIds()).toEqual(['unav-row-2', 'unav-row-3']);
    fireEvent.click(within(screen.getByTestId('th-resource')).getByRole('button'));
    expect(rowIds()).toEqual(['unav-row-3', 'unav-row-2']);
  });

  it('asks before deleting, then calls DELETE and offers to recompute the plan', async () => {
    const p = { ...proposal(), id: 12, number: 'PROP-2026-0012', trigger: 'manuel' };
    const api = fakeApi(CHEF, {
      'GET /planning/unavailability': list,
      'GET /planning/board': () => json(200, board()),
      'DELETE /planning/unavailability/2': () => new Response(null, { status: 204 }),
      'POST /planning/proposals': () => json(201, p),
    });
    page();
    fireEvent.click(await screen.findByTestId('unav-delete-2'));
    const dlg = screen.getByTestId('unav-confirm');
    expect(within(dlg).getByTestId('unav-confirm-what').textContent).toBe('Arrêt maladie de Kévin Dumas, du 08/12/2026 07:30 au 09/12/2026 17:00.');
    fireEvent.click(within(dlg).getByTestId('confirm-cancel'));
    expect(screen.queryByTestId('unav-confirm')).toBeNull();
    expect(api.made('DELETE', '/planning/unavailability/2')).toHaveLength(0);

    fireEvent.click(screen.getByTestId('unav-delete-2'));
    fireEvent.click(within(screen.getByTestId('unav-confirm')).getByTestId('confirm-ok'));
    const outcome = await screen.findByTestId('unav-outcome');
    expect(api.made('DELETE', '/planning/unavailability/2')).toHaveLength(1);
    expect(outcome.textContent).toContain('Indisponibilité supprimée : Arrêt maladie de Kévin Dumas.');
    expect(outcome.textContent).toContain('Le plan actuel ne bouge pas');
    fireEvent.click(within(outcome).getByTestId('unav-recompute'));
    await screen.findByTestId('proposal-page');
    expect(api.made('POST', '/planning/proposals')[0].body).toEqual({ trigger: 'manuel' });
    expect(screen.getByTestId('where').textContent).toBe('/planning/propositions/12');
  });

  it('shows the server’s reason when a delete is refused', async () => {
    fakeApi(CHEF, {
      'GET /planning/unavailability': list,
      'GET /planning/board': () => json(200, board()),
      'DELETE /planning/unavailability/2': () => json(404, { code: 'not_found', detail: 'Indisponibilité introuvable.' }),
    });
    page();
    fireEvent.click(await screen.findByTestId('unav-delete-2'));
    fireEvent.click(within(screen.getByTestId('unav-confirm')).getByTestId('confirm-ok'));
    expect((await within(screen.getByTestId('unav-confirm')).findByRole('alert')).textContent).toContain('Indisponibilité introuvable.');
  });

  it('“Déclarer…” opens the Gantt’s dialog and then shows the repair proposal with its link', async () => {
    const p = { ...proposal(), id: 9, number: 'PROP-2026-0009' };
    const created = { ...unavailabilities()[0], id: 7, from: '2026-12-10T07:30:00', to: '2026-12-10T17:00:00', kind: 'panne', kind_label: 'Panne', reason: 'Broche HS' };
    const api = fakeApi(CHEF, {
      'GET /planning/unavailability': list,
      'GET /planning/board': () => json(200, board()),
      'POST /planning/unavailability': () => json(201, { unavailability: created, proposal: p, applied: false }),
    });
    page('/planning/indisponibilites?ressource=machine');
    await screen.findByTestId('unav-row-3');
    await waitFor(() => expect((screen.getByTestId('unav-declare') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('unav-declare'));
    const dlg = await screen.findByTestId('absence-dialog');
    // Opened on machines, as the list is.
    expect((within(dlg).getByTestId('absence-res-machine') as HTMLInputElement).checked).toBe(true);
    fireEvent.change(within(dlg).getByTestId('absence-who'), { target: { value: '4' } });
    fireEvent.change(within(dlg).getByTestId('absence-from'), { target: { value: '2026-12-10T07:30' } });
    fireEvent.change(within(dlg).getByTestId('absence-to'), { target: { value: '2026-12-10T17:00' } });
    fireEvent.change(within(dlg).getByTestId('absence-reason'), { target: { value: 'Broche HS' } });
    fireEvent.click(within(dlg).getByTestId('absence-submit'));
    const outcome = await screen.findByTestId('unav-outcome');
    expect(screen.queryByTestId('absence-dialog')).toBeNull();
    expect(api.made('POST', '/planning/unavailability')[0].body).toEqual({
      resource: 'machine',
      resource_id: 4,
      kind: 'panne',
      from: '2026-12-10T07:30:00',
      to: '2026-12-10T17:00:00',
      reason: 'Broche HS',
    });
    expect(outcome.textContent).toContain('Indisponibilité enregistrée : Panne de M05 Centre 5 axes DMG, du 10/12/2026 07:30 au 10/12/2026 17:00.');
    expect(within(outcome).getByTestId('unav-repair').textContent).toBe('Proposition de réparation PROP-2026-0009 : 2 opérations déplacées, 1 OF en retard');
    expect(outcome.textContent).toContain('Elle attend la validation d’un responsable');
    expect(within(outcome).getByTestId('unav-open-proposal').getAttribute('href')).toBe('/planning/propositions/9');
    // The list is asked again.
    await waitFor(() => expect(api.made('GET', '/planning/unavailability').length).toBeGreaterThan(1));
  });

  it('says when the repair was applied at once', async () => {
    const p = { ...proposal(), id: 9, number: 'PROP-2026-0009', status: 'appliquee' as const };
    fakeApi(CHEF, {
      'GET /planning/unavailability': list,
      'GET /planning/board': () => json(200, board()),
      'POST /planning/unavailability': () => json(201, { unavailability: unavailabilities()[1], proposal: p, applied: true }),
    });
    page();
    await waitFor(() => expect((screen.getByTestId('unav-declare') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('unav-declare'));
    const dlg = await screen.findByTestId('absence-dialog');
    fireEvent.change(within(dlg).getByTestId('absence-who'), { target: { value: '8' } });
    fireEvent.click(within(dlg).getByTestId('absence-submit'));
    const outcome = await screen.findByTestId('unav-outcome');
    expect(within(outcome).getByTestId('unav-repair').textContent).toContain('Réorganisation appliquée tout de suite (PROP-2026-0009)');
    expect(within(outcome).getByTestId('unav-open-proposal').getAttribute('href')).toBe('/planning');
  });

  it('an operator reads the list without Déclarer nor Supprimer', async () => {
    const api = fakeApi(OPERATOR, { 'GET /planning/unavailability': list });
    page();
    await screen.findByTestId('unav-row-2');
    expect(screen.getByTestId('unav-readonly').textContent).toContain('Lecture seule');
    expect(screen.queryByTestId('unav-declare')).toBeNull();
    expect(screen.queryByTestId('unav-delete-2')).toBeNull();
    expect(screen.queryByTestId('th-actions')).toBeNull();
    expect(api.made('GET', '/planning/board')).toHaveLength(0);
  });
});
