// /jobs/:id opened by an operator (no right on routings): the header QR code of a traveler,
// scanned with the phone's camera app or the general Scanner, takes him to his next operation of
// that job (his task list, jobScan.ts), or says that none of its operations is his. Users who may
// read the routings get the job page itself (App.tsx).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { QueueBanner } from './components';
import { loadMyTasks, nextTaskOfJob } from './jobScan';

/** "None of this job's operations is yours", with the way back to Mes tâches. */
export function JobNoOperation({ withLink = false }: { withLink?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="banner banner-warn" role="alert" data-testid="job-no-operation">
      <Icon name="alert" size={20} />
      <div className="banner-body">
        <strong>{t('shopfloor.job_no_operation')}</strong>
        {withLink && (
          <div>
            <Link to="/shop-floor" data-testid="job-back-to-tasks">
              {t('shopfloor.back_to_tasks')}
            </Link>
          </div>
        )}
      </div>
    </div>
  );
}

export function OperatorJobPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const jobId = /^\d{1,10}$/.test(id) ? Number(id) : null;
  const q = useQuery({
    queryKey: ['shop-floor', 'job-target', id],
    queryFn: () => loadMyTasks(qc),
    enabled: jobId != null,
    staleTime: 0,
    gcTime: 0,
    retry: false,
    networkMode: 'always',
  });
  const next = q.data && jobId != null ? nextTaskOfJob(q.data, jobId) : null;
  if (next) return <Navigate to={`/operations/${next.operation_id}`} replace />;
  return (
    <div className="page sf-page" data-testid="operator-job">
      <PageHeader crumbs={[{ label: t('shopfloor.tasks_title'), to: '/shop-floor' }, { label: t('shopfloor.job_qr_title') }]} />
      <QueueBanner />
      {jobId != null && q.isPending ? (
        <p className="muted" data-testid="job-finding">
          {t('shopfloor.job_finding')}
        </p>
      ) : q.isError ? (
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <JobNoOperation withLink />
      )}
    </div>
  );
}
