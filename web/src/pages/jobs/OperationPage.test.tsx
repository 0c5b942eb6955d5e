import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { floorOp, RUNNING, SAW_PLAN } from '../shopfloor/fixtures';
import { resetShopFloorQueue } from '../shopfloor/queue';
import { OPS } from './fixtures';
import { OperationPage } from './OperationPage';

beforeEach(() => setTokens({ access_token: 'tok', refresh_token: 'ref' }));
afterEach(() => vi.unstubAllGlobals());

function render() {
  renderApp(
    <RequireAuth>
      <Routes>
        <Route path="/operations/:id" element={<OperationPage />} />
      </Routes>
    </RequireAuth>,
    '/operations/102',
  );
}

const REF = { job_id: 21, job_number: 'OF-2026-0011', job_status: 'pret', operation: OPS[1] };

describe('OperationPage (traveler QR)', () => {
  it('shows the operation with its machine, times, tools and links', async () => {
    fakeApi(meWith({ routings: ['read'], method_sheets: ['read'] }), { 'GET /job-operations/102': () => json(200, REF) });
    render();
    expect((await screen.findByTestId('operation-head')).textContent).toContain('Tournage complet');
    expect(screen.getByTestId('operation-head').textContent).toContain('Prêt');
    expect(screen.getByTestId('operation-machine').textContent).toContain('TOUR-02');
    expect(screen.getByTestId('operation-total').textContent).toBe('3 h 34');
    expect(screen.getByTestId('operation-tools').textContent).toContain('T-M10 : pas en stock, à commander');
    expect(screen.getByTestId('operation-instruments').textContent).toContain('Ø45 h7');
    expect(screen.getByTestId('operation-method-sheet').getAttribute('href')).toBe('/method-sheets/202');
    expect(screen.getByTestId('operation-job').getAttribute('href')).toBe('/jobs/21');
  });

  it('gives an operator the method sheet but no link to the routing he may not read', async () => {
    fakeApi(meWith({ method_sheets: ['read'] }), { 'GET /job-operations/102': () => json(200, REF) });
    render();
    await screen.findByTestId('operation-head');
    expect(screen.getByTestId('operation-method-sheet')).toBeTruthy();
    expect(screen.queryByTestId('operation-job')).toBeNull();
    expect(screen.getByTestId('page-title').textContent).toBe('OF-2026-0011 · Op. 20');
  });
});

describe('OperationPage (operator actions, time tracking)', () => {
  const OPERATOR = { ...meWith({ time_tracking: ['read', 'create'], method_sheets: ['read'] }), id: 7, login: 'operateur', full_name: 'Paul Opérateur', roles: ['operateur'] };
  beforeEach(() => resetShopFloorQueue());

  it('starts the operation with an idempotency key and occurred_at, then offers pause / report / finish', async () => {
    const api = fakeApi(OPERATOR, {
      'GET /shop-floor/operations/102': () => json(200, floorOp()),
      'POST /shop-floor/operations/102/start': () => json(200, RUNNING),
    });
    render();
    expect((await screen.findByTestId('op-status')).textContent).toBe('À faire');
    expect(screen.getByTestId('op-machine').textContent).toContain('TOUR-02');
    // the routing information stays, folded below the actions
    expect(screen.getByTestId('op-routing').textContent).toContain('T-M10');
    expect(screen.getByTestId('operation-method-sheet').getAttribute('href')).toBe('/method-sheets/202');
    expect(screen.queryByTestId('action-pause')).toBeNull();
    fireEvent.click(screen.getByTestId('action-start'));
    await waitFor(() => expect(screen.getByTestId('op-status').textContent).toBe('En cours'));
    const [call] = api.made('POST', '/shop-floor/operations/102/start');
    expect(call.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof (call.body as { occurred_at: string }).occurred_at).toBe('string');
    expect(screen.getByTestId('action-pause')).toBeTruthy();
    expect(screen.getByTestId('action-report')).toBeTruthy();
    expect(screen.getByTestId('action-finish')).toBeTruthy();
    expect(screen.queryByTestId('action-start')).toBeNull();
  });

  it('pauses with a reason; "Autre" needs a note', async () => {
    const api = fakeApi(OPERATOR, {
      'GET /shop-floor/operations/102': () => json(200, RUNNING),
      'POST /shop-floor/operations/102/pause': () => json(200, floorOp({ status: 'en_pause', status_label: 'En pause', can: { start: false, pause: false, resume: true, report: true, finish: true } })),
    });
    render();
    fireEvent.click(await screen.findByTestId('action-pause'));
    fireEvent.click(screen.getByTestId('reason-autre'));
    fireEvent.click(screen.getByTestId('pause-ok'));
    expect(screen.getByTestId('pause-sheet').textContent).toContain('précisez la raison');
    expect(api.made('POST', '/shop-floor/operations/102/pause')).toHaveLength(0);
    fireEvent.change(screen.getByTestId('pause-note'), { target: { value: 'Fuite d’huile' } });
    fireEvent.click(screen.getByTestId('pause-ok'));
    await waitFor(() => expect(screen.getByTestId('op-status').textContent).toBe('En pause'));
    expect(api.made('POST', '/shop-floor/operations/102/pause')[0].body).toMatchObject({ reason: 'autre', note: 'Fuite d’huile' });
    expect(screen.getByTestId('action-resume')).toBeTruthy();
  });

  it('sends the pause at once when a reason is tapped', async () => {
    const api = fakeApi(OPERATOR, {
      'GET /shop-floor/operations/102': () => json(200, RUNNING),
      'POST /shop-floor/operations/102/pause': () => json(200, floorOp({ status: 'en_pause', status_label: 'En pause', can: { start: false, pause: false, resume: true, report: true, finish: true } })),
    });
    render();
    fireEvent.click(await screen.findByTestId('action-pause'));
    fireEvent.click(screen.getByTestId('reason-panne_machine'));
    await waitFor(() => expect(screen.queryByTestId('pause-sheet')).toBeNull());
    expect(api.made('POST', '/shop-floor/operations/102/pause')[0].body).toMatchObject({ reason: 'panne_machine' });
    expect(screen.getByTestId('op-status').textContent).toBe('En pause');
  });

  it('finishes: quantities, scrap reason, then the measured time or a declared one', async () => {
    const api = fakeApi(OPERATOR, {
      'GET /shop-floor/operations/102': () => json(200, RUNNING),
      'POST /shop-floor/operations/102/finish': () => json(200, floorOp({ status: 'termine', status_label: 'Terminée', qty_good: 23, qty_scrap: 2, can: { start: false, pause: false, resume: false, report: false, finish: false } })),
    });
    render();
    fireEvent.click(await screen.findByTestId('action-finish'));
    expect((screen.getByTestId('qty-good') as HTMLInputElement).value).toBe('25');
    fireEvent.change(screen.getByTestId('qty-good'), { target: { value: '23' } });
    fireEvent.change(screen.getByTestId('qty-scrap'), { target: { value: '3' } });
    fireEvent.click(screen.getByTestId('finish-ok'));
    expect(screen.getByTestId('finish-sheet').textContent).toContain('dépassent les 25 pièces');
    fireEvent.change(screen.getByTestId('qty-scrap'), { target: { value: '2' } });
    fireEvent.click(screen.getByTestId('finish-ok'));
    expect(screen.getByTestId('finish-sheet').textContent).toContain('Choisissez la raison du rebut');
    fireEvent.change(screen.getByTestId('scrap-reason'), { target: { value: 'cote_hors_tolerance' } });
    fireEvent.click(screen.getByTestId('tool-change'));
    fireEvent.click(screen.getByTestId('finish-ok'));
    expect((await screen.findByTestId('measured-time')).textContent).toBe('Temps mesuré : 1 h 25');
    fireEvent.click(screen.getByTestId('finish-other'));
    fireEvent.change(screen.getByTestId('declared-h'), { target: { value: '2' } });
    fireEvent.change(screen.getByTestId('declared-m'), { target: { value: '0' } });
    expect(screen.getByTestId('declared-warn').textContent).toContain('chef d’atelier vérifiera');
    fireEvent.click(screen.getByTestId('declared-ok'));
    await waitFor(() => expect(screen.getByTestId('op-status').textContent).toBe('Terminée'));
    expect(api.made('POST', '/shop-floor/operations/102/finish')[0].body).toMatchObject({ good: 23, scrap: 2, scrap_reason: 'cote_hors_tolerance', tool_change: true, declared_min: '120' });
    expect(screen.getByTestId('op-good').textContent).toBe('23');
  });

  it('queues the action when the network is down and shows it waiting', async () => {
    fakeApi(OPERATOR, {
      'GET /shop-floor/operations/102': () => json(200, floorOp()),
      'POST /shop-floor/operations/102/start': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    render();
    fireEvent.click(await screen.findByTestId('action-start'));
    expect((await screen.findByTestId('queue-count')).textContent).toBe('1 action en attente');
    expect(screen.getByTestId('op-status').textContent).toBe('En cours');
    expect(localStorage.getItem('usinage.shopfloor.queue')).toContain('/shop-floor/operations/102/start');
  });

  it('shows the server’s French message when an action is refused', async () => {
    fakeApi(OPERATOR, {
      'GET /shop-floor/operations/102': () => json(200, floorOp()),
      'POST /shop-floor/operations/102/start': () => json(403, { code: 'operation_assigned_elsewhere', detail: 'Cette opération est affectée à Marie Régleuse.' }),
    });
    render();
    fireEvent.click(await screen.findByTestId('action-start'));
    expect((await screen.findByTestId('forbidden-detail')).textContent).toBe('Cette opération est affectée à Marie Régleuse.');
    expect(screen.queryByTestId('queue-badge')).toBeNull();
  });

  it('shows the saw plan of a débit and lets the operator force another bar', async () => {
    const api = fakeApi(OPERATOR, {
      'GET /shop-floor/operations/101': () => json(200, floorOp({ operation: OPS[0], is_debit: true, ...RUNNING_CAN })),
      'GET /shop-floor/operations/101/saw-plan': () => json(200, SAW_PLAN),
    });
    renderApp(
      <RequireAuth>
        <Routes>
          <Route path="/operations/:id" element={<OperationPage />} />
        </Routes>
      </RequireAuth>,
      '/operations/101',
    );
    const plan = await screen.findByTestId('saw-plan');
    await waitFor(() => expect(plan.textContent).toContain('Prendre C45 Ø50 — 2000 mm'));
    expect(plan.textContent).toContain('à RACK-B2');
    expect(plan.textContent).toContain('reste 100 mm → chute');
    fireEvent.click(screen.getByTestId('action-finish'));
    const sheet = screen.getByTestId('finish-sheet');
    const select = await within(sheet).findByTestId('saw-stock');
    fireEvent.change(select, { target: { value: '61' } });
    await waitFor(() => expect(api.made('GET', '/shop-floor/operations/101/saw-plan').some((c) => c.search.get('stock_id') === '61')).toBe(true));
  });
});

const RUNNING_CAN = { status: 'en_cours', status_label: 'En cours', can: { start: false, pause: true, resume: false, report: true, finish: true } };
