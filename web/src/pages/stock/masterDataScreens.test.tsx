import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { ALL, fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { CuttingDataTable } from './CuttingDataTable';
import { MaterialMinimumsPage } from './MaterialMinimumsPage';
import { ReservationForm, ReservationsPage } from './ReservationsPage';
import { ToolLifeCounter } from './ToolLifeCounter';
import type { Tool } from './stock';

beforeEach(() => setTokens({ access_token: 'tok', refresh_token: 'ref' }));
afterEach(() => vi.unstubAllGlobals());

const ADMINISH = meWith({ tools: [...ALL], materials: [...ALL] });

const CD = {
  id: 21,
  tool_id: 5,
  iso_group: 'P',
  iso_group_label: 'P — Aciers',
  vc_min: '180',
  vc_max: '220',
  feed_kind: 'fz',
  feed_min: '0.05',
  feed_max: '0.08',
  ap_min: null,
  ap_max: '12',
  ae_min: null,
  ae_max: null,
  source: 'fournisseur',
  source_label: 'Fournisseur',
  notes: null,
  created_at: '2026-11-01T08:00:00Z',
  updated_at: '2026-11-01T08:00:00Z',
  version: 2,
};

describe('CuttingDataTable', () => {
  it('edits a row in place with PATCH (same body as POST + version)', async () => {
    const api = fakeApi(ADMINISH, {
      'GET /tools/5/cutting-data': () => json(200, [CD]),
      'PATCH /tools/5/cutting-data/21': () => json(200, { ...CD, vc_max: '240', version: 3 }),
    });
    renderApp(
      <RequireAuth>
        <CuttingDataTable toolId={5} editable />
      </RequireAuth>,
    );
    fireEvent.click(await screen.findByTestId('edit-cutting-21'));
    const vcMax = screen.getByTestId('cd-vc_max') as HTMLInputElement;
    expect(vcMax.value).toBe('220');
    fireEvent.change(vcMax, { target: { value: '240' } });
    fireEvent.click(screen.getByTestId('save-cutting'));
    await screen.findByText('Condition de coupe enregistrée.');
    const body = api.made('PATCH', '/tools/5/cutting-data/21')[0].body as Record<string, unknown>;
    expect(body).toMatchObject({ iso_group: 'P', vc_min: '180', vc_max: '240', feed_kind: 'fz', feed_min: '0.05', ap_min: null, ap_max: '12', source: 'fournisseur', version: 2 });
  });

  it('puts a 422 under the field', async () => {
    fakeApi(ADMINISH, {
      'GET /tools/5/cutting-data': () => json(200, [CD]),
      'PATCH /tools/5/cutting-data/21': () => json(422, { code: 'validation', detail: 'Données invalides.', errors: [{ field: 'vc_max', code: 'range', message: 'Vc max doit être ≥ Vc min.' }] }),
    });
    renderApp(
      <RequireAuth>
        <CuttingDataTable toolId={5} editable />
      </RequireAuth>,
    );
    fireEvent.click(await screen.findByTestId('edit-cutting-21'));
    fireEvent.click(screen.getByTestId('save-cutting'));
    expect((await screen.findByTestId('error-vc_max')).textContent).toBe('Vc max doit être ≥ Vc min.');
  });

  it('deletes a row after confirmation; read-only users get no buttons', async () => {
    const api = fakeApi(ADMINISH, {
      'GET /tools/5/cutting-data': () => json(200, [CD]),
      'DELETE /tools/5/cutting-data/21': () => new Response(null, { status: 204 }),
    });
    renderApp(
      <RequireAuth>
        <CuttingDataTable toolId={5} editable />
      </RequireAuth>,
    );
    fireEvent.click(await screen.findByTestId('delete-cutting-21'));
    expect(api.made('DELETE', '/tools/5/cutting-data/21')).toHaveLength(0);
    fireEvent.click(within(screen.getByTestId('confirm-dialog')).getByTestId('confirm-ok'));
    await screen.findByText('Condition de coupe supprimée.');
    expect(api.made('DELETE', '/tools/5/cutting-data/21')).toHaveLength(1);
  });

  it('has no edit buttons when not editable', async () => {
    fakeApi(ADMINISH, { 'GET /tools/5/cutting-data': () => json(200, [CD]) });
    renderApp(
      <RequireAuth>
        <CuttingDataTable toolId={5} editable={false} />
      </RequireAuth>,
    );
    await screen.findByTestId('cutting-row-P');
    expect(screen.queryByTestId('edit-cutting-21')).toBeNull();
    expect(screen.queryByTestId('add-cutting')).toBeNull();
  });
});

const TOOL = { id: 5, code: 'T12', name: 'Fraise Ø10', life_unit: 'minutes', life_limit: 120, life_used: 90, life_exhausted: false, regrind_count: 1, version: 4 } as Tool;

describe('ToolLifeCounter', () => {
  it('adds usage and resets with a reason', async () => {
    const onUpdated = vi.fn();
    const api = fakeApi(ADMINISH, { 'POST /tools/5/life': (c) => json(200, { ...TOOL, life_used: (c.body as { add?: number }).add ? 115 : 0 }) });
    renderApp(
      <RequireAuth>
        <ToolLifeCounter tool={TOOL} editable onUpdated={onUpdated} />
      </RequireAuth>,
    );
    expect((await screen.findByTestId('life-used')).textContent).toBe('90 / 120 min');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('90');
    fireEvent.change(screen.getByTestId('input-add'), { target: { value: '25' } });
    fireEvent.click(screen.getByTestId('life-add'));
    await waitFor(() => expect(onUpdated).toHaveBeenCalledTimes(1));
    expect(api.made('POST', '/tools/5/life')[0].body).toEqual({ add: 25 });
    fireEvent.click(screen.getByTestId('life-reset'));
    fireEvent.change(screen.getByTestId('input-reason'), { target: { value: 'réaffûtage' } });
    fireEvent.click(within(screen.getByTestId('life-reset-dialog')).getByTestId('confirm-ok'));
    await waitFor(() => expect(onUpdated).toHaveBeenCalledTimes(2));
    expect(api.made('POST', '/tools/5/life')[1].body).toEqual({ reset: true, reason: 'réaffûtage' });
  });

  it('shows the "épuisée" badge', async () => {
    fakeApi(ADMINISH, {});
    renderApp(
      <RequireAuth>
        <ToolLifeCounter tool={{ ...TOOL, life_used: 130, life_exhausted: true }} editable={false} onUpdated={() => undefined} />
      </RequireAuth>,
    );
    expect((await screen.findByTestId('life-exhausted')).textContent).toBe('Épuisée');
    expect(screen.queryByTestId('life-add')).toBeNull();
  });
});

const ITEM = { id: 40, label: 'CH-0131', grade_code: '42CrMo4', grade_name: '42CD4', shape: 'rond', shape_label: 'Rond', diameter_mm: '40', width_mm: null, length_mm: '250', quantity: 3, reserved: 1, available: 2, location_code: 'R2', certified: false, is_offcut: true, version: 1 };

describe('ReservationForm', () => {
  it('shows available = on hand − reserved for the chosen item and the 409 detail from the server', async () => {
    const api = fakeApi(ADMINISH, {
      'GET /material-stock': () => json(200, { items: [ITEM], total: 1, page: 1, per_page: 20 }),
      'POST /reservations': () => json(409, { code: 'insufficient_stock', detail: 'Stock insuffisant : 2 disponible(s), 5 demandé(s).' }),
    });
    renderApp(
      <RequireAuth>
        <ReservationForm onDone={() => undefined} onCancel={() => undefined} />
      </RequireAuth>,
    );
    fireEvent.change(await screen.findByTestId('input-item_type'), { target: { value: 'matiere' } });
    fireEvent.focus(screen.getByTestId('pick-item'));
    fireEvent.change(screen.getByTestId('pick-item'), { target: { value: 'CH-01' } });
    fireEvent.click(await screen.findByTestId('pick-item-option'));
    expect(screen.getByTestId('availability').textContent).toContain('Disponible = en stock 3 − réservé 1 = 2');
    fireEvent.change(screen.getByTestId('input-quantity'), { target: { value: '5' } });
    expect(screen.getByTestId('availability').textContent).toContain('le serveur refusera');
    fireEvent.change(screen.getByTestId('input-job_ref'), { target: { value: 'OF-2026-0142' } });
    fireEvent.click(screen.getByTestId('save-reservation'));
    expect((await screen.findByTestId('form-error')).textContent).toContain('Stock insuffisant : 2 disponible(s), 5 demandé(s).');
    expect(api.made('POST', '/reservations')[0].body).toEqual({ item_type: 'matiere', item_id: 40, job_ref: 'OF-2026-0142', quantity: 5 });
  });
});

describe('ReservationsPage', () => {
  it('lists reservations and releases one with its version and a reason', async () => {
    const R = { id: 3, item_type: 'matiere', item_type_label: 'Matière', item_id: 40, job_ref: 'OF-9', quantity: 2, consumed: 0, remaining: 2, status: 'active', status_label: 'Active', created_by: 'chef', created_at: '2026-11-20T09:00:00Z', updated_at: '2026-11-20T09:00:00Z', version: 1 };
    const api = fakeApi(ADMINISH, {
      'GET /reservations': () => json(200, { items: [R], total: 1, page: 1, per_page: 50 }),
      'GET /tools': () => json(200, { items: [], total: 0, page: 1, per_page: 500 }),
      'GET /material-stock/40': () => json(200, ITEM),
      'POST /reservations/3/release': () => json(200, { ...R, status: 'liberee', remaining: 0, version: 2 }),
    });
    renderApp(
      <RequireAuth>
        <ReservationsPage />
      </RequireAuth>,
      '/reservations',
    );
    await screen.findByText('CH-0131 — 42CrMo4 Rond Ø 40 × 250');
    fireEvent.click(screen.getByTestId('release-3'));
    fireEvent.change(screen.getByTestId('input-release_reason'), { target: { value: 'OF annulé' } });
    fireEvent.click(within(screen.getByTestId('release-dialog')).getByTestId('confirm-ok'));
    await screen.findByText('Réservation libérée.');
    expect(api.made('POST', '/reservations/3/release')[0].body).toEqual({ version: 1, reason: 'OF annulé' });
  });
});

describe('MaterialMinimumsPage', () => {
  it('edits a minimum with PATCH and deletes one after confirmation', async () => {
    const M = { minimum_id: 7, grade_id: 2, grade_code: '42CrMo4', shape: 'rond', diameter_mm: '40', min_quantity: 4, on_hand: 1, available: 1, below_min: true, version: 3 };
    const api = fakeApi(ADMINISH, {
      'GET /material-stock/alerts': () => json(200, [M]),
      'GET /materials': () => json(200, { items: [{ id: 2, code: '42CrMo4', afnor: '42CD4' }], total: 1, page: 1, per_page: 500 }),
      'PATCH /material-minimums/7': () => json(200, { ...M, min_quantity: 6 }),
      'DELETE /material-minimums/7': () => new Response(null, { status: 204 }),
    });
    renderApp(
      <RequireAuth>
        <MaterialMinimumsPage />
      </RequireAuth>,
    );
    expect((await screen.findByTestId('minimum-7')).textContent).toContain('Sous le minimum');
    expect(api.made('GET', '/material-stock/alerts')[0].search.get('below_only')).toBe('false');
    fireEvent.click(screen.getByTestId('edit-minimum-7'));
    await screen.findByRole('option', { name: '42CrMo4 — 42CD4' });
    fireEvent.change(screen.getByTestId('input-min_quantity'), { target: { value: '6' } });
    fireEvent.click(screen.getByTestId('save-minimum'));
    await screen.findByText('Minimum modifié.');
    expect(api.made('PATCH', '/material-minimums/7')[0].body).toEqual({ grade_id: 2, shape: 'rond', diameter_mm: '40', min_quantity: 6, version: 3 });
    fireEvent.click(await screen.findByTestId('delete-minimum-7'));
    fireEvent.click(within(screen.getByTestId('confirm-dialog')).getByTestId('confirm-ok'));
    await screen.findByText('Minimum supprimé.');
    expect(api.made('DELETE', '/material-minimums/7')).toHaveLength(1);
  });
});
