// A traveler's header QR code (/jobs/{id}) scanned or opened by an operator, who has no right on
// the routings: he lands on his next operation of that job, or is told that none is his.
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../../App';
import { setTokens } from '../../api/client';
import { fakeApi, meWith } from '../../test/fakeApi';
import { json, renderApp } from '../../test/utils';
import { TASKS } from './fixtures';
import { jobIdFromScan, nextTaskOfJob, opensJobAsOperator } from './jobScan';
import { resetShopFloorQueue } from './queue';
import type { TaskView } from './types';

beforeEach(() => {
  setTokens({ access_token: 'tok', refresh_token: 'ref' });
  resetShopFloorQueue();
});
afterEach(() => vi.unstubAllGlobals());

// The demo's operator: shop floor, method sheets, machines… but no routings.
const OPERATOR = {
  ...meWith({ time_tracking: ['read', 'create', 'validate'], method_sheets: ['read'], machines: ['read'] }),
  id: 7,
  login: 'operateur',
  full_name: 'Paul Opérateur',
  roles: ['operateur'],
};
const CHEF = meWith({ time_tracking: ['read', 'create', 'validate'], routings: ['read', 'update'] });

const task = (over: Partial<TaskView>): TaskView => ({ ...TASKS[1], ...over });
// Job 21: op. 20 (102, running) and op. 40 (104, to do) are his; job 30: op. 10 (301) is his.
const MINE: TaskView[] = [task({ operation_id: 301, job_id: 30, job_number: 'OF-2026-0030', position: 10 }), ...TASKS];

describe('job QR helpers', () => {
  it('reads the job id of a traveler’s header QR, whatever the origin', () => {
    expect(jobIdFromScan('https://nas-atelier.local:8443/jobs/21')).toBe(21);
    expect(jobIdFromScan('http://192.168.1.10:8080/jobs/21?x=1')).toBe(21);
    expect(jobIdFromScan(' /jobs/7 ')).toBe(7);
    expect(jobIdFromScan('jobs/7')).toBe(7);
    expect(jobIdFromScan('https://x/operations/102')).toBeNull();
    expect(jobIdFromScan('https://x/jobs/')).toBeNull();
    expect(jobIdFromScan('https://x/jobsite/3')).toBeNull();
    expect(jobIdFromScan('102')).toBeNull();
  });

  it('picks the first operation of the routing not finished among his tasks of that job', () => {
    expect(nextTaskOfJob(MINE, 21)?.operation_id).toBe(102);
    expect(nextTaskOfJob([...MINE].reverse(), 21)?.operation_id).toBe(102);
    expect(nextTaskOfJob(MINE, 30)?.operation_id).toBe(301);
    expect(nextTaskOfJob([task({ operation_id: 101, position: 10, status: 'termine' }), ...TASKS], 21)?.operation_id).toBe(102);
    expect(nextTaskOfJob(MINE, 99)).toBeNull();
    expect(nextTaskOfJob([], 21)).toBeNull();
  });

  it('sends to the operation only who cannot read the routings but works on the shop floor', () => {
    expect(opensJobAsOperator(OPERATOR)).toBe(true);
    expect(opensJobAsOperator(CHEF)).toBe(false);
    expect(opensJobAsOperator(meWith({ orders: ['read'] }))).toBe(false);
  });
});

function scan(text: string) {
  fireEvent.change(screen.getByTestId('task-scan-manual'), { target: { value: text } });
  fireEvent.click(screen.getByTestId('task-scan-open'));
}

describe('Mes tâches scanner, job QR code', () => {
  it('takes an operator to his next operation of the job, from the fresh task list', async () => {
    let served = [TASKS[1]];
    const api = fakeApi(OPERATOR, { 'GET /shop-floor/tasks': () => json(200, served) });
    renderApp(<AppRoutes />, '/shop-floor');
    await screen.findByTestId('task-104');
    // Meanwhile the chef gave him op. 20 of that job too: the list is asked again at the scan.
    served = MINE;
    scan('https://nas-atelier.local:8443/jobs/21');
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/operations/102'));
    expect(api.made('GET', '/shop-floor/tasks').length).toBeGreaterThanOrEqual(2);
    expect(api.made('GET', '/jobs/21')).toHaveLength(0);
  });

  it('says so when no operation of the job is his, and stays on Mes tâches', async () => {
    fakeApi(OPERATOR, { 'GET /shop-floor/tasks': () => json(200, MINE) });
    renderApp(<AppRoutes />, '/shop-floor');
    await screen.findByTestId('task-102');
    scan('https://nas-atelier.local:8443/jobs/55');
    const msg = await screen.findByTestId('job-no-operation');
    expect(msg.textContent).toContain('Aucune opération de cet OF ne vous est affectée');
    expect(screen.getByTestId('where').textContent).toBe('/shop-floor');
    expect(screen.queryByTestId('forbidden-banner')).toBeNull();
  });

  it('opens the job page for a user who may read the routings', async () => {
    fakeApi(CHEF, { 'GET /shop-floor/tasks': () => json(200, []) });
    renderApp(<AppRoutes />, '/shop-floor');
    await screen.findByTestId('tasks-empty');
    scan('https://nas-atelier.local:8443/jobs/21');
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/jobs/21'));
  });

  it('still refuses a QR code that is neither an operation nor a job', async () => {
    fakeApi(OPERATOR, { 'GET /shop-floor/tasks': () => json(200, []) });
    renderApp(<AppRoutes />, '/shop-floor');
    await screen.findByTestId('tasks-empty');
    scan('https://nas-atelier.local:8443/tools/3');
    expect((await screen.findByTestId('error-banner')).textContent).toContain('ni celui d’une opération ni celui d’un OF');
  });
});

describe('/jobs/{id} opened directly', () => {
  it('an operator lands on his operation (no "Accès refusé")', async () => {
    const api = fakeApi(OPERATOR, {
      'GET /shop-floor/tasks': () => json(200, MINE),
      'GET /jobs/30': () => json(403, { code: 'forbidden', detail: 'Accès refusé : gammes' }),
    });
    renderApp(<AppRoutes />, '/jobs/30');
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/operations/301'));
    expect(api.made('GET', '/jobs/30')).toHaveLength(0);
    expect(screen.queryByTestId('forbidden-banner')).toBeNull();
  });

  it('an operator with nothing on that job reads why, with the way back to Mes tâches', async () => {
    fakeApi(OPERATOR, { 'GET /shop-floor/tasks': () => json(200, MINE) });
    renderApp(<AppRoutes />, '/jobs/55');
    const msg = await screen.findByTestId('job-no-operation');
    expect(msg.textContent).toContain('Aucune opération de cet OF ne vous est affectée');
    expect(screen.getByTestId('where').textContent).toBe('/jobs/55');
    fireEvent.click(screen.getByTestId('job-back-to-tasks'));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/shop-floor'));
  });

  it('a user with the right on routings keeps the job page', async () => {
    const api = fakeApi(CHEF, { 'GET /jobs/21': () => json(404, { code: 'not_found', detail: 'OF introuvable.' }) });
    renderApp(<AppRoutes />, '/jobs/21');
    await waitFor(() => expect(api.made('GET', '/jobs/21')).toHaveLength(1));
    expect(api.made('GET', '/shop-floor/tasks')).toHaveLength(0);
    expect(screen.getByTestId('where').textContent).toBe('/jobs/21');
  });
});
