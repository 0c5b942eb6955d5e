import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../../api/client';
import { RequireAuth } from '../../auth/AuthContext';
import { fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
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
