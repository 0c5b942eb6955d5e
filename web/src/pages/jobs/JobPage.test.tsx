import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { ALL, fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { DIFF, JOB, JOB_RUNNING, OPS } from './fixtures';
import { JobPage } from './JobPage';
import type { Job } from './types';

const ME = meWith({ routings: [...ALL], method_sheets: [...ALL], machines: ['read'], crm: ['read'] });
const MACHINES = {
  items: [
    { id: 1, code: 'SCIE-01', name: 'Scie à ruban' },
    { id: 4, code: 'TOUR-02', name: 'Tour CN Mazak QT 250' },
    { id: 5, code: 'TOUR-03', name: 'Tour CN Doosan Lynx' },
    { id: 8, code: 'FRAI-01', name: 'Centre 3 axes' },
  ],
  total: 4,
  page: 1,
  per_page: 200,
};
const VERSIONS = [
  { version: 1, created_by: 'Système', created_at: '2026-11-25T10:00:00Z', comment: 'Gamme générée', operation_count: 4, current: false },
  { version: 2, created_by: 'Sandrine Bessenay', created_at: '2026-11-25T11:00:00Z', comment: null, operation_count: 4, current: true },
];
const side = {
  'GET /machines': () => json(200, MACHINES),
  'GET /qr/jobs/21.svg': () => new Response('<svg/>', { status: 200 }),
  'GET /jobs/21/history': () => json(200, []),
  'GET /jobs/21/routing/versions': () => json(200, VERSIONS),
};

beforeEach(() => setTokens({ access_token: 'tok', refresh_token: 'ref' }));
afterEach(() => vi.unstubAllGlobals());

function render() {
  renderApp(
    <RequireAuth>
      <Routes>
        <Route path="/jobs/:id" element={<JobPage />} />
      </Routes>
    </RequireAuth>,
    '/jobs/21',
  );
}

const order = () => Array.from(screen.getByTestId('operations').querySelectorAll('[data-testid^="op-pos-"]')).map((e) => e.textContent);

describe('JobPage', () => {
  it('follows the shop floor: real vs estimated per operation and for the job, parts, scrap cost, pending time', async () => {
    fakeApi(ME, { ...side, 'GET /jobs/21': () => json(200, JOB_RUNNING) });
    render();
    await screen.findByTestId('operations');
    // Débit: 1 h 05 for 49 min planned, over the estimate.
    const debit = screen.getByTestId('op-real-101');
    expect(debit.textContent).toBe('Réel 1 h 05 / prévu 49 min');
    expect(debit.getAttribute('data-over')).toBe('true');
    // Turning: 3 h 20 for 3 h 34, under; its declared time waits for the chef d'atelier.
    expect(screen.getByTestId('op-real-102').textContent).toBe('Réel 3 h 20 / prévu 3 h 34');
    expect(screen.getByTestId('op-real-102').getAttribute('data-over')).toBeNull();
    expect(screen.getByTestId('op-time-status-102').textContent).toBe('Temps déclaré à valider');
    expect(screen.queryByTestId('op-time-status-101')).toBeNull();
    expect(screen.getByTestId('op-qty-101').textContent).toBe('Bonnes : 26 · Rebut : 0');
    expect(screen.getByTestId('op-qty-102').textContent).toMatch(/^Bonnes : 24 · Rebut : 1 · Coût du rebut : 12,40\s€$/);
    // Not started: nothing to show.
    expect(screen.queryByTestId('op-real-103')).toBeNull();
    expect(screen.queryByTestId('op-qty-103')).toBeNull();
    // Job summary.
    expect(screen.getByTestId('job-real').textContent).toBe('4 h 25 / 4 h 23');
    expect(screen.getByTestId('job-real').getAttribute('data-over')).toBe('true');
    expect(screen.getByTestId('job-estimated').textContent).toBe('5 h 03');
    expect(screen.getByTestId('job-scrap-cost').textContent).toMatch(/^12,40\s€$/);
    expect(screen.getByText('Temps réel / prévu (opérations terminées)')).toBeTruthy();
    expect(screen.getByText('Coût des rebuts')).toBeTruthy();
  });

  it('shows no shop-floor figures on a draft job', async () => {
    fakeApi(ME, { ...side, 'GET /jobs/21': () => json(200, { ...JOB, estimated_min: '303', actual_min: '0', estimated_done_min: '0', scrap_cost: '0' }) });
    render();
    await screen.findByTestId('operations');
    expect(screen.getByTestId('job-real').textContent).toBe('Aucune opération terminée');
    expect(screen.queryByTestId('job-scrap-cost')).toBeNull();
    expect(screen.queryByTestId('op-real-101')).toBeNull();
  });

  it('shows the job header: OF number, part, débit, critical banner, warnings', async () => {
    fakeApi(ME, { ...side, 'GET /jobs/21': () => json(200, JOB) });
    render();
    expect((await screen.findByTestId('job-number')).textContent).toBe('OF-2026-0011');
    expect(screen.getByTestId('job-part').textContent).toContain('AX-4021');
    expect(screen.getByTestId('debit').textContent).toContain('Débit Ø50×70 — 26 pcs');
    expect(screen.getByTestId('critical-banner')).toBeTruthy();
    expect(screen.getByTestId('job-warnings').textContent).toContain('Taraud M10');
    // The draft routing is said by the job status; no second badge.
    expect(screen.queryByTestId('routing-state')).toBeNull();
    expect(screen.getByTestId('job-order-link').getAttribute('href')).toBe('/orders/5');
    // Tools: in stock green, missing red.
    expect(screen.getByTestId('tool-102-0').getAttribute('data-state')).toBe('ok');
    expect(screen.getByTestId('tool-102-1').getAttribute('data-state')).toBe('missing');
    expect(screen.getByTestId('method-sheet-102').getAttribute('href')).toBe('/method-sheets/202');
    expect(screen.getByTestId('missing-101').textContent).toBe('1 à renseigner');
    // The server's total_min (214 min) shown in hours.
    expect(screen.getByTestId('op-total-102').textContent).toBe('Total pour 25 : 3 h 34');
  });

  it('moves an operation with the arrows and sends the whole new order with the job version', async () => {
    const moved: Job = { ...JOB, version: 7, operations: [OPS[0], OPS[1], { ...OPS[3], position: 30 }, { ...OPS[2], position: 40 }] };
    const api = fakeApi(ME, { ...side, 'GET /jobs/21': () => json(200, JOB), 'POST /jobs/21/routing/reorder': () => json(200, moved) });
    render();
    await screen.findByTestId('operations');
    expect(order()).toEqual(['10', '20', '30', '40']);
    expect((screen.getByTestId('op-up-101') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('op-up-104'));
    await screen.findByText('Ordre des opérations enregistré.');
    expect(api.made('POST', '/jobs/21/routing/reorder')[0].body).toEqual({ operation_ids: [101, 102, 104, 103], version: 6 });
    await waitFor(() => expect(screen.getByTestId('op-pos-104').textContent).toBe('30'));
  });

  it('reorders by drag and drop (drop below the middle of a row = after it)', async () => {
    const api = fakeApi(ME, { ...side, 'GET /jobs/21': () => json(200, JOB), 'POST /jobs/21/routing/reorder': () => json(200, JOB) });
    render();
    await screen.findByTestId('operations');
    const data = new Map<string, string>();
    const dataTransfer = { setData: (k: string, v: string) => data.set(k, v), getData: (k: string) => data.get(k) ?? '', effectAllowed: '', dropEffect: '' };
    const target = screen.getByTestId('op-102');
    target.getBoundingClientRect = () => ({ top: 100, height: 40, bottom: 140, left: 0, right: 0, width: 0, x: 0, y: 100, toJSON: () => '' });
    expect(screen.getByTestId('op-101').getAttribute('draggable')).toBe('false');
    fireEvent.mouseDown(screen.getByTestId('op-grip-101'));
    expect(screen.getByTestId('op-101').getAttribute('draggable')).toBe('true');
    fireEvent.dragStart(screen.getByTestId('op-101'), { dataTransfer });
    fireEvent.dragOver(target, { dataTransfer, clientY: 130 });
    expect(target.className).toContain('drop-after');
    fireEvent.drop(target, { dataTransfer, clientY: 130 });
    await waitFor(() => expect(api.made('POST', '/jobs/21/routing/reorder')).toHaveLength(1));
    expect(api.made('POST', '/jobs/21/routing/reorder')[0].body).toEqual({ operation_ids: [102, 101, 103, 104], version: 6 });
  });

  it('shows next to the row why a machine cannot do the operation', async () => {
    const api = fakeApi(ME, {
      ...side,
      'GET /jobs/21': () => json(200, JOB),
      'PATCH /job-operations/102': () =>
        json(422, {
          code: 'validation',
          detail: 'Cette machine ne peut pas faire l’opération.',
          errors: [
            { field: 'machine_id', code: 'machine_kind', message: 'FRAI-01 est une fraiseuse 3 axes : elle ne fait pas de tournage.' },
            { field: 'machine_id', code: 'bar_capacity', message: 'Barre Ø50 au-dessus de la capacité (Ø42).' },
          ],
        }),
    });
    render();
    const select = (await screen.findByTestId('op-machine-102')) as HTMLSelectElement;
    await within(select).findByRole('option', { name: 'FRAI-01 — Centre 3 axes' });
    fireEvent.change(select, { target: { value: '8' } });
    const err = await screen.findByTestId('op-machine-error-102');
    expect(err.textContent).toContain('elle ne fait pas de tournage');
    expect(err.textContent).toContain('capacité (Ø42)');
    expect(api.made('PATCH', '/job-operations/102')[0].body).toEqual({ machine_id: 8, version: 1 });
  });

  it('saves a time typed in French on leaving the field', async () => {
    const api = fakeApi(ME, { ...side, 'GET /jobs/21': () => json(200, JOB), 'PATCH /job-operations/102': () => json(200, JOB) });
    render();
    const input = (await screen.findByTestId('op-setup-102')) as HTMLInputElement;
    expect(input.value).toBe('45');
    fireEvent.change(input, { target: { value: '37,5' } });
    fireEvent.blur(input);
    await waitFor(() => expect(api.made('PATCH', '/job-operations/102')).toHaveLength(1));
    expect(api.made('PATCH', '/job-operations/102')[0].body).toEqual({ setup_min: '37.5', version: 1 });
  });

  it('hides the editing controls when the routing cannot be edited', async () => {
    fakeApi(ME, { ...side, 'GET /jobs/21': () => json(200, { ...JOB, can_edit_routing: false, can_validate_routing: false }) });
    render();
    await screen.findByTestId('routing-read-only');
    expect(screen.queryByTestId('add-op')).toBeNull();
    expect(screen.queryByTestId('op-up-104')).toBeNull();
    expect(screen.queryByTestId('op-delete-102')).toBeNull();
    expect(screen.queryByTestId('validate-routing')).toBeNull();
    expect(screen.queryByTestId('regenerate-routing')).toBeNull();
    expect((screen.getByTestId('op-setup-102') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('op-machine-102').tagName).toBe('SPAN');
    expect(screen.getByTestId('op-102').getAttribute('draggable')).toBe('false');
  });

  it('compares an old version with the current one and restores it after confirmation', async () => {
    const api = fakeApi(ME, {
      ...side,
      'GET /jobs/21': () => json(200, JOB),
      'GET /jobs/21/routing/versions/1/diff': () => json(200, DIFF),
      'POST /jobs/21/routing/versions/1/restore': () => json(200, { ...JOB, version: 7, routing_version: 3 }),
    });
    render();
    fireEvent.click(await screen.findByTestId('diff-1'));
    const diff = await screen.findByTestId('diff');
    expect(diff.textContent).toContain('1 ajoutée, 1 supprimée, 1 modifiée');
    const changed = within(diff).getByTestId('diff-modifiee');
    // Machine ids are shown by code.
    expect(changed.textContent).toContain('Machine TOUR-03 → TOUR-02');
    expect(changed.textContent).toContain('Réglage (min) 30 → 45');
    fireEvent.click(screen.getByTestId('restore-1'));
    fireEvent.click(within(screen.getByTestId('restore-dialog')).getByTestId('confirm-ok'));
    await screen.findByText('Version 1 restaurée.');
    expect(api.made('POST', '/jobs/21/routing/versions/1/restore')[0].body).toEqual({ version: 6 });
  });

  it('validates the routing after confirmation', async () => {
    const api = fakeApi(ME, {
      ...side,
      'GET /jobs/21': () => json(200, JOB),
      'POST /jobs/21/routing/validate': () => json(200, { ...JOB, status: 'pret', status_label: 'Prêt', routing_validated_by: 'Sandrine Bessenay', routing_validated_at: '2026-11-26T09:00:00Z', version: 7 }),
    });
    render();
    fireEvent.click(await screen.findByTestId('validate-routing'));
    fireEvent.click(within(screen.getByTestId('validate-dialog')).getByTestId('confirm-ok'));
    await screen.findByText('Gamme validée.');
    expect(api.made('POST', '/jobs/21/routing/validate')[0].body).toEqual({ version: 6 });
    await waitFor(() => expect(screen.getByTestId('routing-state').textContent).toBe('Gamme validée'));
    expect(screen.getByTestId('routing-validated').textContent).toContain('Validée par Sandrine Bessenay');
  });
});
