// /operations/:id — what the traveler's QR code of an operation opens on the shop floor (phone
// first). With the time-tracking right it is the operator's action page (start, pause, report,
// finish, saw plan, instrument check, broken tool, comments: pages/shopfloor/FloorOperation.tsx),
// the routing information (machine, times, tools, instruments, NC program, method sheet) folded
// below the actions. Without it (méthode, qualité…) it shows the routing information only.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { can } from '../../modules';
import { JobStatusBadge } from '../orders/components';
import { FloorOperation } from '../shopfloor/FloorOperation';
import { OperationCrumbs, RoutingInfo } from '../shopfloor/RoutingInfo';
import type { Operation } from './types';
import '../orders/orders.css';
import './jobs.css';

export interface OperationRef {
  job_id: number;
  job_number: string;
  job_status: string;
  job_status_label?: string;
  operation: Operation;
}

export function OperationPage() {
  const me = useMe();
  const { id = '' } = useParams();
  if (can(me, 'time_tracking', 'read')) return <FloorOperation key={id} id={id} />;
  return <RoutingOperationPage id={id} />;
}

function RoutingOperationPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const q = useQuery({ queryKey: ['job-operation', id], queryFn: () => api<OperationRef>(`/job-operations/${id}`) });
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: t('jobs.operation_title') }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  const { job_id, job_number, job_status, operation: op } = q.data;
  return (
    <div className="page j-opage" data-testid="operation-page">
      <OperationCrumbs jobId={job_id} jobNumber={job_number} position={op.position} canJob={can(me, 'routings', 'read')} />
      <section className="panel j-ocard" data-testid="operation-head">
        <div className="j-title">
          <span className="mono j-opos">{op.position}</span>
          <span className={`j-proc j-proc-${op.process}`}>{op.process_label}</span>
          <h2 className="j-olabel">{op.label}</h2>
        </div>
        {op.description && <p className="j-odesc">{op.description}</p>}
        <div className="j-ometa">
          <span>
            {t('jobs.job')} <strong className="mono">{job_number}</strong> <JobStatusBadge status={job_status} label={q.data.job_status_label} />
          </span>
          {op.status_label && <span className="status-badge">{op.status_label}</span>}
        </div>
      </section>
      <RoutingInfo op={op} jobId={job_id} jobNumber={job_number} />
      <p className="hint">{t('jobs.operation_next')}</p>
    </div>
  );
}

