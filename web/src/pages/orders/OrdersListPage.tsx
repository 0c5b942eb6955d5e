import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../auth/AuthContext';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { OrderStatusBadge, PriorityBadge } from './components';
import { ORDER_STATUSES, PRIORITIES, type OrderSummary } from './types';
import './orders.css';

export function OrdersListPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const columns = useMemo<DataColumn<OrderSummary>[]>(
    () => [
      {
        id: 'number',
        header: t('orders.number'),
        sortKey: 'number',
        cell: (r) => (
          <span className="nowrap">
            <span className="mono">{r.number}</span>
            {r.critical && (
              <span className="badge badge-warn o-crit-mini" title={t('orders.critical')}>
                {t('orders.critical_short')}
              </span>
            )}
          </span>
        ),
        className: 'nowrap',
      },
      { id: 'client', header: t('orders.client'), cell: (r) => r.client_name },
      { id: 'po', header: t('orders.po_short'), cell: (r) => (r.customer_po_number ? <span className="mono">{r.customer_po_number}</span> : <span className="muted">—</span>), className: 'nowrap' },
      { id: 'requested_date', header: t('orders.requested_date'), sortKey: 'requested_date', cell: (r) => f.date(r.requested_date), className: 'nowrap' },
      { id: 'promised_date', header: t('orders.promised_date'), sortKey: 'promised_date', cell: (r) => f.date(r.promised_date), className: 'nowrap' },
      { id: 'priority', header: t('orders.priority'), sortKey: 'priority', cell: (r) => <PriorityBadge priority={r.priority} label={r.priority_label} /> },
      { id: 'status', header: t('orders.status'), sortKey: 'status', cell: (r) => <OrderStatusBadge status={r.status} label={r.status_label} /> },
      { id: 'total', header: t('orders.total_ht'), cell: (r) => (r.total == null ? <span className="muted">—</span> : f.money(r.total)), className: 'num nowrap' },
      {
        id: 'late',
        header: t('orders.late'),
        cell: (r) =>
          r.late ? (
            <span className="o-late" data-testid={`late-${r.id}`}>
              <Icon name="alert" size={14} /> {t('orders.late_yes')}
            </span>
          ) : (
            <span className="muted">—</span>
          ),
        className: 'nowrap',
      },
      { id: 'quote', header: t('orders.quote'), cell: (r) => r.quote_number ?? '', hiddenByDefault: true, className: 'nowrap' },
      { id: 'line_count', header: t('orders.line_count'), cell: (r) => f.number(r.line_count), className: 'num', hiddenByDefault: true },
      { id: 'created_at', header: t('orders.created_at'), sortKey: 'created_at', cell: (r) => f.date(r.created_at), className: 'nowrap', hiddenByDefault: true },
    ],
    [t, f],
  );
  const filters = useMemo<FilterDef[]>(
    () => [
      { key: 'status', label: t('orders.status'), type: 'select', options: ORDER_STATUSES.map((s) => ({ value: s, label: t(`orders.statuses.${s}`) })) },
      { key: 'priority', label: t('orders.priority'), type: 'select', options: PRIORITIES.map((p) => ({ value: p, label: t(`orders.priorities.${p}`) })) },
      { key: 'late', label: t('orders.late'), type: 'select', options: [{ value: 'true', label: t('orders.late_only') }] },
    ],
    [t],
  );
  const canCreate = can(me, 'orders', 'create');
  return (
    <div className="page" data-testid="orders-page">
      <PageHeader crumbs={[{ label: t('orders.title') }]} />
      <DataTable<OrderSummary>
        tableId="orders"
        endpoint="/orders"
        columns={columns}
        filters={filters}
        defaultSort="-created_at"
        rowKey={(r) => r.id}
        rowHref={(r) => `/orders/${r.id}`}
        exportName="commandes"
        actions={
          canCreate ? (
            <>
              <Link to="/orders/new" className="btn btn-primary" data-testid="new-order">
                <Icon name="plus" size={16} />
                <span>{t('orders.new')}</span>
              </Link>
              <Link to="/orders/import" className="btn btn-secondary" data-testid="import-po">
                <Icon name="download" size={16} />
                <span>{t('orders.import_po')}</span>
              </Link>
            </>
          ) : null
        }
      />
    </div>
  );
}
