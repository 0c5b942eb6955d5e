// Material lots (heat numbers) with their EN 10204 certificate; rows open the lot form.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { ListResponse } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import type { MaterialLot } from './masterData';
import type { Grade } from './stock';
import '../../styles/masterData.css';

export function MaterialLotsListPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const grades = useQuery({ queryKey: ['/materials', 'all'], queryFn: () => api<ListResponse<Grade>>('/materials', { query: { per_page: 500 } }) });
  const columns = useMemo<DataColumn<MaterialLot>[]>(
    () => [
      { id: 'heat_number', header: t('lots.heat_number'), sortKey: 'heat_number', cell: (r) => <span className="mono">{r.heat_number}</span>, className: 'nowrap' },
      { id: 'grade', header: t('lots.grade'), cell: (r) => r.grade_code, className: 'nowrap' },
      { id: 'supplier', header: t('lots.supplier'), cell: (r) => r.supplier_name ?? '' },
      {
        id: 'certificate',
        header: t('lots.certificate'),
        cell: (r) => (r.certificate_type === 'aucun' ? <span className="muted">{r.certificate_label}</span> : `EN 10204 ${r.certificate_type}`),
        className: 'nowrap',
      },
      { id: 'certificate_ref', header: t('lots.certificate_ref'), cell: (r) => r.certificate_ref ?? '', className: 'mono nowrap' },
      {
        id: 'certified',
        header: t('lots.certified'),
        cell: (r) => (r.certified ? <span className="status-badge status-certified">{t('lots.certified')}</span> : ''),
      },
      { id: 'created_at', header: t('lots.created_at'), sortKey: 'created_at', cell: (r) => f.date(r.created_at), className: 'nowrap' },
      { id: 'updated_at', header: t('lots.updated_at'), sortKey: 'updated_at', cell: (r) => f.dateTime(r.updated_at), className: 'nowrap', hiddenByDefault: true },
    ],
    [t, f],
  );
  const filters = useMemo<FilterDef[]>(
    () => [
      { key: 'grade_id', label: t('lots.grade'), type: 'select', options: (grades.data?.items ?? []).map((g) => ({ value: String(g.id), label: `${g.code} — ${g.afnor}` })) },
      {
        key: 'certified',
        label: t('lots.certified'),
        type: 'select',
        options: [
          { value: 'true', label: t('lots.certified_only') },
          { value: 'false', label: t('lots.not_certified') },
        ],
      },
    ],
    [t, grades.data],
  );
  return (
    <div className="page" data-testid="material-lots-page">
      <PageHeader crumbs={[{ label: t('modules.materials'), to: '/materials' }, { label: t('lots.title') }]} />
      <DataTable<MaterialLot>
        tableId="material-lots"
        endpoint="/material-lots"
        columns={columns}
        filters={filters}
        defaultSort="-created_at"
        rowKey={(r) => r.id}
        rowHref={(r) => `/material-lots/${r.id}`}
        exportName={t('lots.title').toLowerCase()}
        actions={
          can(me, 'materials', 'create') ? (
            <Link to="/material-lots/new" className="btn btn-primary" data-testid="new-material-lots">
              <Icon name="plus" size={16} />
              <span>{t('stock_forms.new.material-lots')}</span>
            </Link>
          ) : null
        }
      />
    </div>
  );
}
