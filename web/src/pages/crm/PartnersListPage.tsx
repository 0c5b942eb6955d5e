import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { StatusBadge } from '../users/UsersListPage';
import { scoreLevel } from './partnerForm';
import type { CrmOptions, Partner, PartnerKind } from './types';
import './crm.css';

export function useCrmOptions() {
  const { i18n } = useTranslation();
  return useQuery({ queryKey: ['crm-options', i18n.language], queryFn: () => api<CrmOptions>('/crm/options'), staleTime: 10 * 60_000 });
}

export function ScoreChip({ score }: { score: number | null | undefined }) {
  if (score === null || score === undefined) return <span className="muted">—</span>;
  return (
    <span className={`score score-${scoreLevel(score)}`} data-testid="score">
      {score}
    </span>
  );
}

export function PartnersListPage({ kind }: { kind: PartnerKind }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const options = useCrmOptions();
  const supplier = kind === 'suppliers';
  const title = supplier ? t('crm.suppliers') : t('crm.clients');
  const columns = useMemo<DataColumn<Partner>[]>(() => {
    const cols: DataColumn<Partner>[] = [
      {
        id: 'name',
        header: t('crm.name'),
        sortKey: 'name',
        cell: (p) => (
          <span>
            {p.name}
            {p.critical && (
              <span className="badge badge-warn" style={{ marginLeft: 6 }}>
                {t('crm.critical_badge')}
              </span>
            )}
          </span>
        ),
      },
      { id: 'siret', header: t('crm.siret'), sortKey: 'siret', cell: (p) => <span className="mono">{p.siret ?? ''}</span>, className: 'nowrap' },
      supplier
        ? { id: 'kinds', header: t('crm.supplier_kinds'), cell: (p) => p.supplier_kind_labels.join(', ') }
        : { id: 'sectors', header: t('crm.sectors'), cell: (p) => p.sector_labels.join(', ') },
      { id: 'payment_terms', header: t('crm.payment_terms'), cell: (p) => p.payment_terms_label },
    ];
    if (supplier) cols.push({ id: 'score', header: t('crm.score'), cell: (p) => <ScoreChip score={p.score?.overall} />, className: 'nowrap' });
    cols.push(
      { id: 'status', header: t('crm.status'), cell: (p) => <StatusBadge status={p.status} label={p.status_label} /> },
      { id: 'vat', header: t('crm.vat_number'), cell: (p) => <span className="mono">{p.vat_number ?? ''}</span>, hiddenByDefault: true },
      { id: 'email', header: t('crm.email'), cell: (p) => p.email ?? '', hiddenByDefault: true },
      { id: 'updated_at', header: t('crm.updated_at'), sortKey: 'updated_at', cell: (p) => f.dateTime(p.updated_at), className: 'nowrap', hiddenByDefault: true },
    );
    return cols;
  }, [t, f, supplier]);
  const filters = useMemo<FilterDef[]>(() => {
    const fs: FilterDef[] = [
      {
        key: 'status',
        label: t('crm.filter_status'),
        type: 'select',
        options: [
          { value: 'actif', label: t('crm.status_actif') },
          { value: 'archive', label: t('crm.status_archive') },
        ],
      },
      { key: 'sector', label: t('crm.filter_sector'), type: 'select', options: (options.data?.sectors ?? []).map((o) => ({ value: o.code, label: o.label })) },
      {
        key: 'critical',
        label: t('crm.filter_critical'),
        type: 'select',
        options: [
          { value: 'true', label: t('common.yes') },
          { value: 'false', label: t('common.no') },
        ],
      },
    ];
    if (supplier) fs.push({ key: 'supplier_kind', label: t('crm.filter_kind'), type: 'select', options: (options.data?.supplier_kinds ?? []).map((o) => ({ value: o.code, label: o.label })) });
    return fs;
  }, [t, options.data, supplier]);
  return (
    <div className="page" data-testid={`${kind}-page`}>
      <PageHeader crumbs={[{ label: title }]} />
      <DataTable<Partner>
        key={kind}
        tableId={kind}
        endpoint={`/${kind}`}
        columns={columns}
        filters={filters}
        defaultSort="name"
        rowKey={(p) => p.id}
        rowHref={(p) => `/${kind}/${p.id}`}
        exportName={title.toLowerCase()}
        actions={
          can(me, 'crm', 'create') ? (
            <Link to={`/${kind}/new`} className="btn btn-primary" data-testid="new-partner">
              <Icon name="plus" size={16} />
              <span>{supplier ? t('crm.new_supplier') : t('crm.new_client')}</span>
            </Link>
          ) : null
        }
      />
    </div>
  );
}
