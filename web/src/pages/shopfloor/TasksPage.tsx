// /shop-floor — "Mes tâches": the operator's operations in priority order, a big Scanner button
// (traveler QR → /operations/{id}; the traveler's header QR, /jobs/{id}, → the operator's next
// operation of that job, jobScan.ts) and, for supervisors, every open operation. The operator's
// own list is kept on the device each time it loads (tasksCache.ts) and shown, with the time it
// was saved, when the phone is offline and the list cannot load.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAuth, useMe } from '../../auth/AuthContext';
import { isUnreachable } from '../../auth/meCache';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../lib/useFormat';
import { QrScanner, QueueBanner, StatusChip, useQueueRunner } from './components';
import { fetchTasks, jobIdFromScan, loadMyTasks, nextTaskOfJob, opensJobAsOperator, tasksQueryKey } from './jobScan';
import { formatDuration, isSupervisor, operationIdFromScan } from './logic';
import { JobNoOperation } from './OperatorJobPage';
import { keptTasksToShow, savedAtLabel, storeTasks } from './tasksCache';
import type { TaskView } from './types';

export function TaskCard({ task }: { task: TaskView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const done = task.qty_good + task.qty_scrap;
  const pct = task.input_available > 0 ? Math.min(100, Math.round((task.qty_good / task.input_available) * 100)) : 0;
  return (
    <Link
      to={`/operations/${task.operation_id}`}
      className={`sf-card sf-card-${task.status} ${task.late ? 'sf-card-late' : ''}`}
      data-testid={`task-${task.operation_id}`}
    >
      <div className="sf-card-head">
        <StatusChip status={task.status} label={task.status_label} />
        {task.late && <span className="sf-chip sf-late" data-testid="task-late">{t('shopfloor.late')}</span>}
        <span className="sf-grow" />
        {task.due_date && <span className="small sf-muted">{t('shopfloor.due', { date: f.date(task.due_date) })}</span>}
      </div>
      <div className="sf-card-machine">{task.machine_label ?? task.work_centre ?? '—'}</div>
      <div className="sf-card-title">
        <span className="mono">{task.job_number}</span> · {t('shopfloor.op', { n: task.position })} {task.label}
      </div>
      <div className="small">
        {task.part_reference && <strong>{task.part_reference} </strong>}
        {task.designation}
        {task.client_name && <span className="sf-muted"> — {task.client_name}</span>}
      </div>
      <div className="sf-bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </div>
      <div className="sf-card-foot">
        <span className="sf-qty" data-testid="task-qty">
          {t('shopfloor.qty', { done, input: task.input_available })}
        </span>
        <span className="sf-muted">
          {formatDuration(task.actual_min)} / {formatDuration(task.estimated_min)}
        </span>
      </div>
      {task.operators.length > 0 && <div className="small sf-muted">{t('shopfloor.operators', { names: task.operators.join(', ') })}</div>}
    </Link>
  );
}

/** Above the kept list: offline, and since when the list is not up to date. */
function KeptNotice({ savedAt }: { savedAt: string }) {
  const { t } = useTranslation();
  const { lang } = useFormat();
  return (
    <div className="banner banner-info" role="status" data-testid="tasks-kept">
      <div className="banner-body">
        <strong data-testid="tasks-kept-title">{t('shopfloor.tasks_kept', savedAtLabel(savedAt, lang))}</strong>
        <div className="small">{t('shopfloor.tasks_kept_hint')}</div>
      </div>
    </div>
  );
}

export function TasksPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { offline } = useAuth();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const supervisor = isSupervisor(me.roles);
  const [all, setAll] = useState(false);
  const [scanError, setScanError] = useState<unknown>(null);
  const [noOperation, setNoOperation] = useState(false);
  const [finding, setFinding] = useState(false);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  useQueueRunner();
  const q = useQuery({
    queryKey: tasksQueryKey(all),
    queryFn: async () => {
      const tasks = await fetchTasks(all);
      // Only the operator's own list is kept for offline use, never "all operations".
      if (!all) storeTasks(me.id, tasks);
      return tasks;
    },
    refetchInterval: 60_000,
  });

  /** A traveler's header QR: the job page for who may read it, else the operator's operation. */
  const openJob = (jobId: number) => {
    if (!opensJobAsOperator(me)) {
      navigate(`/jobs/${jobId}`);
      return;
    }
    setFinding(true);
    loadMyTasks(qc)
      .then(
        (tasks) => {
          if (!alive.current) return;
          const next = nextTaskOfJob(tasks, jobId);
          if (next) navigate(`/operations/${next.operation_id}`);
          else setNoOperation(true);
        },
        (e: unknown) => {
          if (alive.current) setScanError(e);
        },
      )
      .finally(() => {
        if (alive.current) setFinding(false);
      });
  };

  const onScan = (text: string): boolean => {
    setScanError(null);
    setNoOperation(false);
    const id = operationIdFromScan(text);
    if (id != null) {
      navigate(`/operations/${id}`);
      return true;
    }
    const jobId = jobIdFromScan(text);
    if (jobId != null) {
      openJob(jobId);
      return true;
    }
    setScanError(new Error(t('shopfloor.scan_unknown', { text: text.slice(0, 80) })));
    return false;
  };
  // Offline the list cannot load (the request failed, or waits for the browser's network): the
  // "Hors ligne" banner explains it (no error banner); the list loaded before, if any, stays
  // shown, else the one kept on the device for this user, with the time it was saved.
  const unreachable = (q.isError && isUnreachable(q.error)) || q.fetchStatus === 'paused';
  const listOffline = offline && unreachable;
  const live = q.data !== undefined;
  const fetching = q.isFetching;
  const kept = useMemo(() => keptTasksToShow(me.id, { own: !all, live, unreachable, offline, fetching }), [me.id, all, live, unreachable, offline, fetching]);
  const tasks = q.data ?? kept?.tasks;

  return (
    <div className="page sf-page" data-testid="shopfloor-tasks">
      <PageHeader crumbs={[{ label: t('shopfloor.tasks_title') }]} />
      <QueueBanner />
      <QrScanner onResult={onScan} scanLabel={t('shopfloor.scan')} manualLabel={t('shopfloor.manual_label')} manualPlaceholder={t('shopfloor.manual_placeholder')} testId="task-scan" />
      {finding && (
        <p className="muted" data-testid="job-finding">
          {t('shopfloor.job_finding')}
        </p>
      )}
      {noOperation && <JobNoOperation />}
      {scanError != null && <ErrorBanner error={scanError} />}
      {supervisor && (
        <div className="sf-toolbar">
          <label className="sf-toggle">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="tasks-all" />
            {t('shopfloor.all_ops')}
          </label>
          <Link to="/shop-floor/board" className="btn btn-secondary sf-touch">
            {t('nav_sf.board')}
          </Link>
        </div>
      )}
      {q.isError && !listOffline && !kept && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
      {kept && <KeptNotice savedAt={kept.savedAt} />}
      {listOffline && !tasks ? (
        <p className="muted" data-testid="tasks-offline">
          {t('shopfloor.tasks_offline')}
        </p>
      ) : q.isPending && !tasks ? (
        <p className="muted">{t('common.loading')}</p>
      ) : tasks && tasks.length === 0 ? (
        <p className="muted" data-testid="tasks-empty">
          {t('shopfloor.no_tasks')}
        </p>
      ) : (
        <div className="sf-cards" data-testid="tasks-list">
          {tasks?.map((task) => <TaskCard key={task.operation_id} task={task} />)}
        </div>
      )}
    </div>
  );
}
