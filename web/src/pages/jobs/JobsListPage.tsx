import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../lib/useFormat';
import { JobStatusBadge } from '../orders/components';
import { JOB_STATUSES, type JobSummary } from './types';
import '../orders/orders.css';
import './jobs.css';

export function JobsListPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const columns = useMemo<DataColumn<JobSummary>[]>(
    () => [
      {
        id: 'number',
        header: t('jobs.number'),
        sortKey: 'number',
        cell: (r) => (
          <span className="nowrap">
            <span className="mono">{r.number}</span>
            {r.critical && <span className="badge badge-warn j-crit-mini">{t('orders.critical_short')}</span>}
          </span>
        ),
        className: 'nowrap',
      },
      { id: 'order', header: t('jobs.order'), cell: (r) => <span className="mono">{r.order_number}</span>, className: 'nowrap' },
      { id: 'client', header: t('jobs.client'), cell: (r) => r.client_name },
      {
        id: 'part',
        header: t('jobs.part'),
        cell: (r) => (
          <>
            <span className="mono">{r.reference ?? ''}</span> <span>{r.designation}</span>
          </>
        ),
        className: 'wrap',
      },
      { id: 'quantity', header: t('jobs.quantity'), cell: (r) => f.number(r.quantity), className: 'num' },
      { id: 'status', header: t('jobs.status'), sortKey: 'status', cell: (r) => <JobStatusBadge status={r.status} label={r.status_label} /> },
      { id: 'due_date', header: t('jobs.due_date'), sortKey: 'due_date', cell: (r) => f.date(r.due_date), className: 'nowrap' },
      { id: 'operation_count', header: t('jobs.operation_count'), cell: (r) => f.number(r.operation_count), className: 'num' },
      { id: 'routing_version', header: t('jobs.routing_version'), cell: (r) => `v${r.routing_version}`, className: 'num', hiddenByDefault: true },
    ],
    [t, f],
  );
  const filters = useMemo<FilterDef[]>(
    () => [{ key: 'status', label: t('jobs.status'), type: 'select', options: JOB_STATUSES.map((s) => ({ value: s, label: t(`jobs.statuses.${s}`) })) }],
    [t],
  );
  return (
    <div className="page" data-testid="jobs-page">
      <PageHeader crumbs={[{ label: t('jobs.title') }]} />
      <p className="hint j-intro">{t('jobs.intro')}</p>
      <DataTable<JobSummary>
        tableId="jobs"
        endpoint="/jobs"
        columns={columns}
        filters={filters}
        defaultSort="-number"
        rowKey={(r) => r.id}
        rowHref={(r) => `/jobs/${r.id}`}
        exportName="ordres-de-fabrication"
      />
    </div>
  );
}
