import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { ErrorBanner } from '../../components/ErrorBanner';
import { HistoryPanel } from '../../components/HistoryPanel';
import { PageHeader } from '../../components/PageHeader';
import { StatusBar } from '../../components/StatusBar';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { PR_STATES, type PurchaseRequest } from './stock';

export function PurchaseRequestsListPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const columns = useMemo<DataColumn<PurchaseRequest>[]>(
    () => [
      { id: 'id', header: 'N°', sortKey: 'id', cell: (r) => r.id, className: 'num' },
      { id: 'tool', header: t('modules.tools'), cell: (r) => `${r.tool_code} — ${r.tool_name}` },
      { id: 'quantity', header: t('stock.quantity'), cell: (r) => r.quantity, className: 'num' },
      { id: 'urgent', header: t('stock.urgent'), cell: (r) => (r.urgent ? <span className="status-badge status-stock-out">{t('stock.urgent')}</span> : '') },
      { id: 'status', header: t('users.status'), sortKey: 'status', cell: (r) => <span className={`status-badge status-${r.status}`}>{r.status_label}</span> },
      { id: 'by', header: t('stock.requested_by'), cell: (r) => r.requested_by },
      { id: 'created_at', header: t('users.created_at'), sortKey: 'created_at', cell: (r) => f.dateTime(r.created_at), className: 'nowrap' },
    ],
    [t, f],
  );
  const filters = useMemo<FilterDef[]>(
    () => [
      { key: 'status', label: t('users.status'), type: 'select', options: PR_STATES.map((s) => ({ value: s, label: t(`stock.pr_states.${s}`) })) },
      { key: 'urgent', label: t('stock.urgent'), type: 'select', options: [{ value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }] },
    ],
    [t],
  );
  return (
    <div className="page" data-testid="purchase-requests-page">
      <PageHeader crumbs={[{ label: t('modules.tools'), to: '/tools' }, { label: t('stock.purchase_requests') }]} />
      <DataTable<PurchaseRequest>
        tableId="tool-purchase-requests"
        endpoint="/tool-purchase-requests"
        columns={columns}
        filters={filters}
        defaultSort="-id"
        rowKey={(r) => r.id}
        rowHref={(r) => `/tool-purchase-requests/${r.id}`}
        exportName={t('stock.purchase_requests').toLowerCase()}
      />
    </div>
  );
}

export function PurchaseRequestPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const q = useQuery({ queryKey: ['purchase-request', id], queryFn: () => api<PurchaseRequest>(`/tool-purchase-requests/${id}`) });
  const crumbs = [{ label: t('stock.purchase_requests'), to: '/tool-purchase-requests' }, { label: `N° ${id}` }];
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError)
    return (
      <div className="page">
        <PageHeader crumbs={crumbs} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  const r = q.data;
  return (
    <div className="page" data-testid="purchase-request">
      <PageHeader crumbs={crumbs} />
      <div className="form-layout">
        <div className="sheet">
          <StatusBar<PurchaseRequest>
            recordPath={`/tool-purchase-requests/${r.id}`}
            status={r.status}
            statusLabel={r.status_label}
            version={r.version}
            states={PR_STATES.map((s) => ({ code: s, label: t(`stock.pr_states.${s}`) }))}
            onChanged={(n) => {
              toast.show(t('stock.pr_changed', { label: n.status_label }));
              qc.setQueryData(['purchase-request', id], n);
              void qc.invalidateQueries({ queryKey: ['/tool-purchase-requests'] });
            }}
          />
          <div className="sheet-body">
            <div className="sheet-title">
              <h2>
                {t('stock.purchase_request')} N° {r.id}
              </h2>
              {r.urgent && <span className="status-badge status-stock-out">{t('stock.urgent')}</span>}
            </div>
            <dl className="meta">
              <div>
                <dt>{t('modules.tools')}</dt>
                <dd>
                  <Link to={`/tools/${r.tool_id}`}>
                    {r.tool_code} — {r.tool_name}
                  </Link>
                </dd>
              </div>
              <div>
                <dt>{t('stock.quantity')}</dt>
                <dd>{r.quantity}</dd>
              </div>
              <div>
                <dt>{t('stock.requested_by')}</dt>
                <dd>{r.requested_by}</dd>
              </div>
              <div>
                <dt>{t('stock.decided_by')}</dt>
                <dd>{r.decided_by ? `${r.decided_by} — ${f.dateTime(r.decided_at)}` : '—'}</dd>
              </div>
              <div>
                <dt>{t('stock.reason')}</dt>
                <dd>{r.reason ?? ''}</dd>
              </div>
            </dl>
            {r.urgent && <p className="hint">{t('stock.urgent_hint')}</p>}
          </div>
        </div>
        <div className="side">
          <HistoryPanel entity="tool-purchase-requests" id={r.id} version={r.version} />
        </div>
      </div>
    </div>
  );
}
