import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { RequestsPage } from '../time/RequestsPage';
import { TimePage } from '../time/TimePage';
import { BoardPage } from './BoardPage';
import { OPS } from '../jobs/fixtures';
import { OperationPage } from '../jobs/OperationPage';
import { BOARD, floorOp, TASKS, TIMESHEET } from './fixtures';
import { resetShopFloorQueue } from './queue';
import { TasksPage } from './TasksPage';

beforeEach(() => {
  setTokens({ access_token: 'tok', refresh_token: 'ref' });
  resetShopFloorQueue();
});
afterEach(() => vi.unstubAllGlobals());

const OPERATOR = { ...meWith({ time_tracking: ['read', 'create'] }), id: 7, login: 'operateur', full_name: 'Paul Opérateur', roles: ['operateur'] };
const CHEF = meWith({ time_tracking: ['read', 'create', 'validate'] });

function at(url: string, element: React.ReactNode, path: string) {
  renderApp(
    <RequireAuth>
      <Routes>
        <Route path={path} element={element} />
        <Route path="/operations/:id" element={<div data-testid="op-opened" />} />
      </Routes>
    </RequireAuth>,
    url,
  );
}

describe('Mes tâches', () => {
  it('lists the tasks in the server order with status, machine, quantities and late flag', async () => {
    fakeApi(OPERATOR, { 'GET /shop-floor/tasks': () => json(200, TASKS) });
    at('/shop-floor', <TasksPage />, '/shop-floor');
    const list = await screen.findByTestId('tasks-list');
    const cards = list.querySelectorAll('[data-testid^="task-"]:not([data-testid="task-late"]):not([data-testid="task-qty"])');
    expect([...cards].map((c) => c.getAttribute('data-testid'))).toEqual(['task-102', 'task-104']);
    const first = screen.getByTestId('task-102');
    expect(first.textContent).toContain('En cours');
    expect(first.textContent).toContain('TOUR-02');
    expect(first.textContent).toContain('OF-2026-0011');
    expect(first.textContent).toContain('en retard');
    expect(first.querySelector('[data-testid="task-qty"]')?.textContent).toBe('11 / 25 pcs');
    expect(first.getAttribute('href')).toBe('/operations/102');
    // an operator has no "all operations" toggle
    expect(screen.queryByTestId('tasks-all')).toBeNull();
  });

  it('opens an operation from a typed number or a scanned traveler URL', async () => {
    fakeApi(OPERATOR, { 'GET /shop-floor/tasks': () => json(200, []) });
    at('/shop-floor', <TasksPage />, '/shop-floor');
    await screen.findByTestId('tasks-empty');
    fireEvent.change(screen.getByTestId('task-scan-manual'), { target: { value: 'https://atelier.example/operations/104' } });
    fireEvent.click(screen.getByTestId('task-scan-open'));
    await screen.findByTestId('op-opened');
    expect(screen.getByTestId('where').textContent).toBe('/operations/104');
  });

  it('lists the conflicting offline actions with the server message until ignored', async () => {
    localStorage.setItem(
      'usinage.shopfloor.queue',
      JSON.stringify({
        pending: [],
        conflicts: [{ key: 'k1', path: '/shop-floor/operations/102/finish', body: { good: 1, scrap: 0, occurred_at: '2026-12-07T08:00:00Z' }, occurred_at: '2026-12-07T08:00:00Z', label: 'Terminer — OF-2026-0011 Op. 20', status: 409, code: 'bad_status', message: 'L’opération est déjà terminée.' }],
      }),
    );
    resetShopFloorQueue();
    fakeApi(OPERATOR, { 'GET /shop-floor/tasks': () => json(200, []) });
    at('/shop-floor', <TasksPage />, '/shop-floor');
    const box = await screen.findByTestId('queue-conflicts');
    expect(box.textContent).toContain('Actions en conflit');
    expect(box.textContent).toContain('Terminer — OF-2026-0011 Op. 20');
    expect(box.textContent).toContain('L’opération est déjà terminée.');
    fireEvent.click(screen.getByTestId('queue-ignore'));
    await waitFor(() => expect(screen.queryByTestId('queue-conflicts')).toBeNull());
    expect(localStorage.getItem('usinage.shopfloor.queue')).toBeNull();
  });

  it('lets a supervisor see every open operation', async () => {
    const api = fakeApi(CHEF, { 'GET /shop-floor/tasks': () => json(200, TASKS) });
    at('/shop-floor', <TasksPage />, '/shop-floor');
    fireEvent.click(await screen.findByTestId('tasks-all'));
    await waitFor(() => expect(api.made('GET', '/shop-floor/tasks').some((c) => c.search.get('all') === 'true')).toBe(true));
  });
});

describe('Contrôle: instrument check', () => {
  it('shows a refused (expired) instrument clearly', async () => {
    fakeApi(OPERATOR, {
      'GET /shop-floor/operations/104': () => json(200, floorOp({ operation: OPS[3], is_control: true, status: 'en_cours', status_label: 'En cours', can: { start: false, pause: true, resume: false, report: true, finish: true } })),
      'POST /shop-floor/operations/104/instrument-check': (c) =>
        (c.body as { code?: string }).code === 'PAC-01'
          ? json(422, { code: 'instrument_blocked', detail: 'Instrument PAC-01 périmé (étalonnage échu le 01/11/2026) : interdit d’usage.' })
          : json(200, floorOp({ operation: OPS[3], is_control: true, instruments_checked: [{ instrument_id: 3, code: 'MIC-25-50', label: 'Micromètre 25-50', state: 'valide' }] })),
    });
    at('/operations/104', <OperationPage />, '/operations/:id');
    fireEvent.click(await screen.findByTestId('action-instrument'));
    fireEvent.change(screen.getByTestId('instrument-scan-manual'), { target: { value: 'PAC-01' } });
    fireEvent.click(screen.getByTestId('instrument-scan-open'));
    const refused = await screen.findByTestId('instrument-refused');
    expect(refused.textContent).toContain('Instrument refusé : PAC-01');
    expect(refused.textContent).toContain('périmé');
    fireEvent.change(screen.getByTestId('instrument-scan-manual'), { target: { value: 'MIC-25-50' } });
    fireEvent.click(screen.getByTestId('instrument-scan-open'));
    await waitFor(() => expect(screen.queryByTestId('instrument-sheet')).toBeNull());
    expect(screen.getByTestId('op-instruments').textContent).toContain('MIC-25-50');
  });
});

describe('Atelier en direct', () => {
  it('shows machine tiles and operators and re-reads the board on a shop_floor event', async () => {
    let push: (s: string) => void = () => undefined;
    const enc = new TextEncoder();
    let boardCalls = 0;
    fakeApi(CHEF, {
      'GET /shop-floor/board': () => {
        boardCalls += 1;
        const b = structuredClone(BOARD);
        if (boardCalls > 1) b.machines[1] = { ...b.machines[1], status: 'marche', operation_id: 101, job_number: 'OF-2026-0011', operation_label: 'Débit', operators: ['Marie Régleuse'], quantity: 26 };
        return json(200, b);
      },
      'GET /events': () =>
        new Response(
          new ReadableStream({
            start(c) {
              push = (s) => c.enqueue(enc.encode(s));
            },
          }),
          { status: 200, headers: { 'content-type': 'text/event-stream' } },
        ),
    });
    at('/shop-floor/board', <BoardPage />, '/shop-floor/board');
    const tile = await screen.findByTestId('machine-4');
    expect(tile.getAttribute('data-status')).toBe('marche');
    expect(tile.textContent).toContain('OF-2026-0011');
    expect(tile.textContent).toContain('Tournage complet');
    expect(tile.textContent).toContain('Paul Opérateur');
    expect(tile.textContent).toContain('1 h 25 / 3 h 28');
    expect(screen.getByTestId('machine-1').textContent).toContain('À l’arrêt');
    expect(screen.getByTestId('operator-7').textContent).toContain('Pointé depuis');
    expect(screen.getByTestId('operator-8').textContent).toContain('Non pointé');
    await waitFor(() => expect(screen.getByTestId('board-live').textContent).toBe('En direct'));
    const before = boardCalls;
    push('event: shop_floor\ndata: {"operation_id":101,"status":"en_cours"}\n\n');
    await waitFor(() => expect(screen.getByTestId('machine-1').getAttribute('data-status')).toBe('marche'), { timeout: 3000 });
    expect(boardCalls).toBeGreaterThan(before);
  });
});

describe('Pointage', () => {
  it('clocks in through the queue and shows the week with overtime, average and warnings', async () => {
    const api = fakeApi(OPERATOR, {
      'GET /time/clock': () => json(200, { clocked_in: false, since: null, today_min: 0 }),
      'POST /time/clock': () => json(200, { clocked_in: true, since: '2026-12-07T07:00:00Z', today_min: 0 }),
      'GET /time/timesheet': () => json(200, TIMESHEET),
    });
    at('/time', <TimePage />, '/time');
    expect((await screen.findByTestId('clock-state')).textContent).toBe('Vous n’êtes pas pointé.');
    fireEvent.click(screen.getByTestId('clock-button'));
    await waitFor(() => expect(screen.getByTestId('clock-state').textContent).toContain('Présent depuis'));
    const [call] = api.made('POST', '/time/clock');
    expect(call.body).toMatchObject({ action: 'in' });
    expect(call.headers.get('Idempotency-Key')).toBeTruthy();
    expect((await screen.findByTestId('week-total')).textContent).toBe('40 h 00');
    expect(screen.getByTestId('avg12').textContent).toBe('38 h 00');
    expect(screen.getByTestId('timesheet-warnings').textContent).toContain('Pause de 20 minutes');
    expect(screen.queryByTestId('time-person')).toBeNull();
    fireEvent.click(screen.getByTestId('week-prev'));
    await waitFor(() => expect(api.made('GET', '/time/timesheet').some((c) => c.search.get('week') !== null)).toBe(true));
  });

  it('sends a manual entry and shows the returned warnings', async () => {
    const api = fakeApi(OPERATOR, {
      'GET /time/clock': () => json(200, { clocked_in: false, since: null, today_min: 0 }),
      'GET /time/timesheet': () => json(200, TIMESHEET),
      'POST /time/entries': () => json(201, { id: 9, warnings: ['Plus de 10 h dans la journée.'] }),
    });
    at('/time', <TimePage />, '/time');
    await screen.findByTestId('manual-entry');
    fireEvent.click(screen.getByTestId('entry-submit'));
    expect(screen.getByTestId('manual-entry').textContent).toContain('Début et fin sont obligatoires');
    fireEvent.change(screen.getByTestId('entry-start'), { target: { value: '2026-12-07T06:00' } });
    fireEvent.change(screen.getByTestId('entry-end'), { target: { value: '2026-12-07T17:30' } });
    fireEvent.change(screen.getByTestId('entry-reason'), { target: { value: 'Oubli de pointage' } });
    fireEvent.click(screen.getByTestId('entry-submit'));
    expect((await screen.findByTestId('entry-warnings')).textContent).toContain('Plus de 10 h');
    expect(api.made('POST', '/time/entries')[0].body).toMatchObject({ kind: 'presence', reason: 'Oubli de pointage' });
  });

  it('lets the chef approve or refuse pending requests', async () => {
    const req = { id: 31, user_id: 7, user_name: 'Paul Opérateur', kind: 'operation', operation_id: 102, job_number: 'OF-2026-0011', started_at: '2026-12-07T07:00:00Z', ended_at: '2026-12-07T09:00:00Z', minutes: '120', measured_min: '85', source: 'correction', status: 'en_attente', status_label: 'En attente', reason: 'Réglage long', decided_by: null, decided_at: null, decision_note: null, warnings: [] };
    const api = fakeApi(CHEF, {
      'GET /time/requests': () => json(200, [req, { ...req, id: 32 }]),
      'POST /time/requests/31/decision': () => json(200, { ...req, status: 'approuvee' }),
      'POST /time/requests/32/decision': () => json(200, { ...req, id: 32, status: 'refusee' }),
    });
    at('/time/requests', <RequestsPage />, '/time/requests');
    const card = await screen.findByTestId('request-31');
    expect(card.querySelector('[data-testid="request-measured"]')?.textContent).toBe('1 h 25');
    expect(card.querySelector('[data-testid="request-declared"]')?.textContent).toBe('2 h 00');
    fireEvent.click(card.querySelector('[data-testid="request-approve"]')!);
    await waitFor(() => expect(api.made('POST', '/time/requests/31/decision')[0]?.body).toEqual({ approve: true }));
    fireEvent.click(screen.getByTestId('request-32').querySelector('[data-testid="request-refuse"]')!);
    fireEvent.change(screen.getByTestId('refuse-note'), { target: { value: 'Pas vu sur la machine' } });
    fireEvent.click(screen.getByTestId('refuse-ok'));
    await waitFor(() => expect(api.made('POST', '/time/requests/32/decision')[0]?.body).toEqual({ approve: false, note: 'Pas vu sur la machine' }));
  });
});
