// A traveler's header QR code encodes the job's URL (`<public url>/jobs/{id}`). Who may read the
// routings opens the job page; an operator (shop-floor rights, no routings) is taken instead to
// his next operation of that job, found in his own task list ("Mes tâches").
import type { QueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Me } from '../../api/types';
import { isUnreachable } from '../../auth/meCache';
import { can } from '../../modules';
import type { TaskView } from './types';

/** The job id of a traveler's header QR (`<any origin>/jobs/12`) or of a path `/jobs/12`; else null. */
export function jobIdFromScan(raw: string): number | null {
  const m = /(?:^|\/)jobs\/(\d{1,10})(?:[/?#]|$)/.exec(raw.trim());
  return m ? Number(m[1]) : null;
}

/**
 * True when a job URL leads this user to his operation rather than to the job page: no right on
 * the routings (the job page would only say "Accès refusé"), but the shop floor's.
 */
export function opensJobAsOperator(me: Pick<Me, 'permissions'> | null | undefined): boolean {
  return !can(me, 'routings') && can(me, 'time_tracking');
}

/**
 * The operator's next operation of a job: among his tasks of that job not finished, the first
 * one of the routing (lowest position). Null when none is his.
 */
export function nextTaskOfJob(tasks: readonly TaskView[], jobId: number): TaskView | null {
  const mine = tasks.filter((t) => t.job_id === jobId && t.status !== 'termine');
  mine.sort((a, b) => a.position - b.position || a.operation_id - b.operation_id);
  return mine[0] ?? null;
}

/** Query key of "Mes tâches" (`all`: every open operation, supervisors only). */
export function tasksQueryKey(all: boolean) {
  return ['shop-floor', 'tasks', all] as const;
}

export function fetchTasks(all: boolean): Promise<TaskView[]> {
  return api<TaskView[]>('/shop-floor/tasks', { query: { all: all ? 'true' : undefined } });
}

/**
 * The user's own task list, asked fresh from the server (the one Mes tâches shows, same cache
 * entry); the last list loaded when the server cannot be reached.
 */
export async function loadMyTasks(qc: QueryClient): Promise<TaskView[]> {
  try {
    return await qc.fetchQuery({ queryKey: tasksQueryKey(false), queryFn: () => fetchTasks(false), staleTime: 0, networkMode: 'always' });
  } catch (e) {
    const kept = qc.getQueryData<TaskView[]>(tasksQueryKey(false));
    if (kept && isUnreachable(e)) return kept;
    throw e;
  }
}
