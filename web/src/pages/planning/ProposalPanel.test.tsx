import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { ALL, fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { board, proposal } from './fixtures';
import { ProposalDetail } from './ProposalPanel';

// vis-timeline draws with layout measures jsdom does not have; the page test checks the page
// around it (the Gantt's own mapping is covered by gantt.test.ts).
vi.mock('./GanttChart', () => ({
  GanttChart: (p: { items: { id: string; opid?: number; ghost?: boolean }[]; onSelect?: (id: number | null) => void }) => (
    <div data-testid="gantt">
      {p.items.map((i) => (
        <button key={i.id} type="button" data-testid={`bar-${i.id}`} onClick={() => p.onSelect?.(i.opid ?? null)} />
      ))}
    </div>
  ),
}));

const { PlanningPage } = await import('./PlanningPage');

beforeEach(() => setTokens({ access_token: 'tok', refresh_token: 'ref' }));
afterEach(() => vi.unstubAllGlobals());

function detail(props: Partial<Parameters<typeof ProposalDetail>[0]> = {}) {
  const onAccept = vi.fn();
  const onReject = vi.fn();
  render(<ProposalDetail p={proposal()} canValidate pending={false} error={null} onAccept={onAccept} onReject={onReject} onClose={() => undefined} {...props} />);
  return { onAccept, onReject };
}

describe('ProposalDetail', () => {
  it('lists each move before → after with what changed highlighted', () => {
    detail();
    const row = screen.getByTestId('move-row-11');
    const cells = row.querySelectorAll('td');
    expect(cells[1].textContent).toBe('M02 · Kévin Dumas · 08/12 07:30');
    expect(cells[2].textContent).toBe('M07 · Lucas Brunel · 08/12 07:30');
    // Machine and person changed, the start did not.
    expect([...cells[2].querySelectorAll('.pl-chg')].map((e) => e.textContent)).toEqual(['M07', 'Lucas Brunel', '08/12 07:30']);
    const row21 = screen.getByTestId('move-row-21').querySelectorAll('td')[2];
    expect([...row21.querySelectorAll('.pl-chg')].map((e) => e.textContent)).toEqual(['10/12 07:30']);
  });

  it('shows the lateness effects coloured, diagnostics and KPIs', () => {
    detail();
    const effects = screen.getByTestId('proposal-effects');
    const worse = within(effects).getByText('OF-2026-0003').closest('tr')!;
    expect(worse.getAttribute('data-trend')).toBe('worse');
    expect(worse.textContent).toContain('10 h 20');
    expect(within(effects).getByText('OF-2026-0002').closest('tr')!.textContent).toContain('à l’heure');
    expect(screen.getByTestId('proposal-diagnostics').textContent).toContain('OF-2026-0003 finit 1 j après son échéance.');
    expect(screen.getByTestId('proposal-kpis').textContent).toContain('10/12/2026 10:20');
  });

  it('accepts or rejects with the note, only for planning.validate', () => {
    const { onAccept, onReject } = detail();
    fireEvent.change(screen.getByTestId('proposal-note'), { target: { value: 'OK pour moi' } });
    fireEvent.click(screen.getByTestId('proposal-accept'));
    expect(onAccept).toHaveBeenCalledWith('OK pour moi');
    fireEvent.click(screen.getByTestId('proposal-reject'));
    expect(onReject).toHaveBeenCalledWith('OK pour moi');
  });

  it('hides the decision without the right', () => {
    detail({ canValidate: false });
    expect(screen.queryByTestId('proposal-accept')).toBeNull();
    expect(screen.getByTestId('proposal-no-right').textContent).toContain('direction');
  });

  it('says the plan changed when the server answers 409 stale, and blocks Accepter', () => {
    detail({ error: new ApiError({ status: 409, code: 'planning_proposal_stale', detail: 'x' }) });
    expect(screen.getByTestId('proposal-stale').textContent).toBe('Le planning a changé depuis ce calcul : relancez');
    expect((screen.getByTestId('proposal-accept') as HTMLButtonElement).disabled).toBe(true);
  });
});

const CHEF = meWith({ planning: [...ALL] });
const OPERATOR = { ...meWith({ planning: ['read'] }), roles: ['operateur'] };

function page(url = '/planning') {
  renderApp(
    <RequireAuth>
      <Routes>
        <Route path="/planning" element={<PlanningPage />} />
        <Route path="/planning/propositions/:id" element={<PlanningPage />} />
      </Routes>
    </RequireAuth>,
    url,
  );
}

describe('PlanningPage', () => {
  it('Recalculer opens the new proposal with its ghost bars; Accepter applies it', async () => {
    const p = proposal();
    const api = fakeApi(CHEF, {
      'GET /planning/board': () => json(200, { ...board(), ops: [] }),
      'GET /planning/proposals': () => json(200, []),
      'POST /planning/proposals': () => json(201, p),
      [`GET /planning/proposals/${p.id}`]: () => json(200, p),
      [`POST /planning/proposals/${p.id}/accept`]: () => json(200, { ...p, status: 'appliquee' }),
    });
    page();
    expect((await screen.findByTestId('plan-empty')).textContent).toContain('Recalculer le planning');
    fireEvent.click(screen.getByTestId('plan-recompute'));
    await screen.findByTestId('proposal-detail');
    expect(screen.getByTestId('where').textContent).toBe(`/planning/propositions/${p.id}`);
    expect(api.made('POST', '/planning/proposals')[0].body).toEqual({ trigger: 'manuel' });
    await screen.findByTestId('bar-ghost-11|m');
    fireEvent.click(screen.getByTestId('proposal-accept'));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/planning'));
    expect(api.made('POST', `/planning/proposals/${p.id}/accept`)).toHaveLength(1);
  });

  it('an absence opens the repair proposal the server computed', async () => {
    const p = { ...proposal(), id: 9, number: 'PROP-2026-0009' };
    const api = fakeApi(CHEF, {
      'GET /planning/board': () => json(200, board()),
      'GET /planning/proposals': () => json(200, []),
      'POST /planning/unavailability': () => json(201, { unavailability: { id: 1 }, proposal: p, applied: false }),
      'GET /planning/proposals/9': () => json(200, p),
    });
    page();
    await screen.findByTestId('bar-11|m');
    fireEvent.click(screen.getByTestId('plan-absence'));
    const dlg = await screen.findByTestId('absence-dialog');
    fireEvent.change(within(dlg).getByTestId('absence-who'), { target: { value: '8' } });
    fireEvent.change(within(dlg).getByTestId('absence-from'), { target: { value: '2026-12-08T07:30' } });
    fireEvent.change(within(dlg).getByTestId('absence-to'), { target: { value: '2026-12-09T17:00' } });
    fireEvent.change(within(dlg).getByTestId('absence-reason'), { target: { value: 'Enfant malade' } });
    fireEvent.click(within(dlg).getByTestId('absence-submit'));
    await screen.findByTestId('proposal-detail');
    expect(screen.getByTestId('proposal-number').textContent).toBe('PROP-2026-0009');
    expect(api.made('POST', '/planning/unavailability')[0].body).toEqual({
      resource: 'person',
      resource_id: 8,
      kind: 'absence',
      from: '2026-12-08T07:30:00',
      to: '2026-12-09T17:00:00',
      reason: 'Enfant malade',
    });
  });

  it('the keyboard move dialog shows the server check and its refusal', async () => {
    const api = fakeApi(CHEF, {
      'GET /planning/board': () => json(200, board()),
      'GET /planning/proposals': () => json(200, []),
      'POST /planning/check-move': () =>
        json(200, { ok: false, violations: [{ code: 'skill', message: 'Sébastien Pelletier n’a pas la compétence « LATHE_Y » (niveau 2 requis).' }], op: null }),
      'POST /planning/moves': () => json(422, { code: 'planning_move_refused', detail: 'Sébastien Pelletier n’a pas la compétence « LATHE_Y ».', violations: [] }),
    });
    page();
    await screen.findByTestId('bar-11|m');
    fireEvent.click(screen.getByTestId('plan-move'));
    const dlg = await screen.findByTestId('move-dialog');
    fireEvent.change(within(dlg).getByTestId('move-op'), { target: { value: '11' } });
    fireEvent.change(within(dlg).getByTestId('move-person'), { target: { value: '10' } });
    await waitFor(() => expect(within(dlg).getByTestId('move-check').textContent).toContain('n’a pas la compétence'));
    expect(api.made('POST', '/planning/check-move').at(-1)?.body).toEqual({ op_id: 11, machine_id: 1, person_id: 10, start: '2026-12-08T07:30:00' });
    fireEvent.click(within(dlg).getByTestId('move-submit'));
    expect((await within(dlg).findByRole('alert')).textContent).toContain('LATHE_Y');
  });

  it('a selected bar offers "Urgence", which asks for an urgent proposal of its job', async () => {
    const p = { ...proposal(), id: 7, trigger: 'urgence' };
    const api = fakeApi(CHEF, {
      'GET /planning/board': () => json(200, board()),
      'GET /planning/proposals': () => json(200, []),
      'POST /planning/proposals': () => json(201, p),
      'GET /planning/proposals/7': () => json(200, p),
    });
    page();
    fireEvent.click(await screen.findByTestId('bar-21|m'));
    const urgent = await screen.findByTestId('plan-urgent');
    expect(urgent.textContent).toBe('Urgence OF-2026-0003');
    fireEvent.click(urgent);
    await screen.findByTestId('proposal-detail');
    expect(api.made('POST', '/planning/proposals')[0].body).toEqual({ trigger: 'urgence', job_id: 4 });
  });

  it('an operator sees the plan read-only: no recompute, no absence, no proposals panel', async () => {
    fakeApi(OPERATOR, { 'GET /planning/board': () => json(200, board()) });
    page();
    await screen.findByTestId('plan-readonly');
    await screen.findByTestId('bar-11|m');
    expect(screen.queryByTestId('plan-recompute')).toBeNull();
    expect(screen.queryByTestId('plan-absence')).toBeNull();
    expect(screen.queryByTestId('proposals-panel')).toBeNull();
  });
});
