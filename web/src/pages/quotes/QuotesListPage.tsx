import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../auth/AuthContext';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { QuoteStatusBadge } from './components';
import { QUOTE_STATUSES, type QuoteSummary } from './types';
import './quotes.css';

export function QuoteNumber({ number, revision }: { number: string; revision: number }) {
  const { t } = useTranslation();
  return (
    <span className="nowrap">
      <span className="mono">{number}</span> <span className="muted small">{t('quotes.revision_short', { n: revision })}</span>
    </span>
  );
}

export function QuotesListPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const columns = useMemo<DataColumn<QuoteSummary>[]>(
    () => [
      { id: 'number', header: t('quotes.number'), sortKey: 'number', cell: (r) => <QuoteNumber number={r.number} revision={r.revision} />, className: 'nowrap' },
      { id: 'client', header: t('quotes.client'), cell: (r) => r.client_name },
      { id: 'subject', header: t('quotes.subject'), cell: (r) => r.subject ?? '', className: 'wrap' },
      { id: 'status', header: t('quotes.status'), sortKey: 'status', cell: (r) => <QuoteStatusBadge status={r.status} label={r.status_label} /> },
      { id: 'line_count', header: t('quotes.line_count'), cell: (r) => f.number(r.line_count), className: 'num' },
      {
        id: 'lines_pending',
        header: t('quotes.lines_pending'),
        cell: (r) =>
          r.lines_pending > 0 ? (
            <span className="q-pending" data-testid={`pending-${r.id}`}>
              <span className="mini-spinner" aria-hidden="true" /> {f.number(r.lines_pending)}
            </span>
          ) : (
            <span className="muted">0</span>
          ),
        className: 'num',
      },
      { id: 'total_standard', header: t('quotes.total_standard'), cell: (r) => (r.total_standard == null ? <span className="muted">—</span> : f.money(r.total_standard)), className: 'num nowrap' },
      { id: 'valid_until', header: t('quotes.valid_until'), sortKey: 'valid_until', cell: (r) => f.date(r.valid_until), className: 'nowrap' },
      { id: 'created_at', header: t('quotes.created_at'), sortKey: 'created_at', cell: (r) => f.date(r.created_at), className: 'nowrap' },
    ],
    [t, f],
  );
  const filters = useMemo<FilterDef[]>(
    () => [{ key: 'status', label: t('quotes.status'), type: 'select', options: QUOTE_STATUSES.map((s) => ({ value: s, label: t(`quotes.statuses.${s}`) })) }],
    [t],
  );
  return (
    <div className="page" data-testid="quotes-page">
      <PageHeader
        crumbs={[{ label: t('quotes.title') }]}
        actions={
          <Link to="/quotes/prices" className="btn btn-secondary" data-testid="quote-prices-link">
            <Icon name="finance" size={16} />
            <span>{t('quotes.prices_link')}</span>
          </Link>
        }
      />
      <DataTable<QuoteSummary>
        tableId="quotes"
        endpoint="/quotes"
        columns={columns}
        filters={filters}
        defaultSort="-created_at"
        rowKey={(r) => r.id}
        rowHref={(r) => `/quotes/${r.id}`}
        exportable={false}
        actions={
          can(me, 'quotes', 'create') ? (
            <Link to="/quotes/new" className="btn btn-primary" data-testid="new-quote">
              <Icon name="plus" size={16} />
              <span>{t('quotes.new')}</span>
            </Link>
          ) : null
        }
      />
    </div>
  );
}
