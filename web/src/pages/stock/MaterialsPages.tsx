import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../auth/AuthContext';
import { Icon } from '../../components/Icon';
import { can } from '../../modules';
import { LabelPrintButton, useRowSelection } from '../../components/LabelPrintButton';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import type { Grade, Location, StockItem } from './stock';

const ISO = ['P', 'M', 'K', 'N', 'S', 'H'];

export function MaterialsListPage() {
  const { t } = useTranslation();
  const sel = useRowSelection();
  const me = useMe();
  const columns = useMemo<DataColumn<Grade>[]>(
    () => [
      { id: 'code', header: t('stock.code'), sortKey: 'code', cell: (r) => <span className="mono">{r.code}</span>, className: 'nowrap' },
      { id: 'afnor', header: t('stock.afnor'), sortKey: 'afnor', cell: (r) => r.afnor },
      { id: 'en_number', header: t('stock.en_number'), cell: (r) => r.en_number ?? '', className: 'mono' },
      { id: 'aisi', header: 'AISI', cell: (r) => r.aisi ?? '' },
      { id: 'din', header: 'DIN', cell: (r) => r.din ?? '', hiddenByDefault: true },
      { id: 'iso', header: t('stock.iso_group'), sortKey: 'iso_group', cell: (r) => <span className={`chip chip-iso-${r.iso_group}`}>{r.iso_group}</span> },
      { id: 'density', header: t('stock.density'), cell: (r) => r.density, className: 'num' },
      { id: 'mach', header: t('stock.machinability'), cell: (r) => r.machinability ?? '', className: 'num' },
    ],
    [t],
  );
  const filters = useMemo<FilterDef[]>(() => [{ key: 'iso_group', label: t('stock.iso_group'), type: 'select', options: ISO.map((c) => ({ value: c, label: c })) }], [t]);
  return (
    <div className="page" data-testid="materials-page">
      <PageHeader crumbs={[{ label: t('modules.materials') }]} />
      <DataTable<Grade> tableId="materials" endpoint="/materials" columns={columns} filters={filters} defaultSort="code" rowKey={(r) => r.id} exportName={t('modules.materials').toLowerCase()} selection={sel} rowHref={(r) => `/materials/${r.id}`} actions={
          <>
            {can(me, 'materials', 'create') ? (
              <Link to="/materials/new" className="btn btn-primary" data-testid="new-materials">
                <Icon name="plus" size={16} />
                <span>{t('stock_forms.new.materials')}</span>
              </Link>
            ) : null}
            <LabelPrintButton entity="materials" ids={sel.selected} />
          </>
        } />
    </div>
  );
}

export function MaterialStockListPage() {
  const { t } = useTranslation();
  const sel = useRowSelection();
  const me = useMe();
  const columns = useMemo<DataColumn<StockItem>[]>(
    () => [
      { id: 'label', header: t('stock.label'), cell: (r) => <span className="mono">{r.label ?? `#${r.id}`}</span>, className: 'nowrap' },
      { id: 'grade', header: t('stock.grade_col'), cell: (r) => `${r.grade_code} — ${r.grade_name}` },
      { id: 'shape', header: t('stock.shape'), cell: (r) => r.shape_label, className: 'nowrap', hiddenByDefault: true },
      { id: 'dim', header: t('stock.section'), sortKey: 'diameter_mm', cell: (r) => `${r.shape_label} ${r.width_mm ? `${r.diameter_mm} × ${r.width_mm}` : `Ø ${r.diameter_mm}`}`, className: 'num nowrap' },
      { id: 'length', header: t('stock.length_mm'), sortKey: 'length_mm', cell: (r) => r.length_mm, className: 'num' },
      { id: 'offcut', header: t('stock.offcut'), cell: (r) => (r.is_offcut ? <span className="chip">{t('stock.offcut')}</span> : '') },
      { id: 'lot', header: t('stock.heat'), cell: (r) => r.heat_number ?? '', className: 'mono nowrap', hiddenByDefault: true },
      { id: 'cert', header: t('stock.certified'), cell: (r) => (r.certified ? <span className="status-badge status-certified">{r.certificate_type ?? t('stock.certified')}</span> : '') },
      { id: 'quantity', header: t('stock.on_hand'), cell: (r) => r.quantity, className: 'num' },
      { id: 'reserved', header: t('stock.reserved'), cell: (r) => r.reserved, className: 'num' },
      { id: 'available', header: t('stock.available'), cell: (r) => <strong>{r.available}</strong>, className: 'num' },
      { id: 'location', header: t('stock.location'), cell: (r) => r.location_code ?? '', className: 'mono' },
    ],
    [t],
  );
  const filters = useMemo<FilterDef[]>(
    () => [
      { key: 'is_offcut', label: t('stock.offcut'), type: 'select', options: [{ value: 'true', label: t('stock.offcuts_only') }, { value: 'false', label: t('stock.bars_only') }] },
      { key: 'shape', label: t('stock.shape'), type: 'select', options: ['rond', 'carre', 'hexagone', 'plat', 'tube', 'tole'].map((c) => ({ value: c, label: t(`stock.shapes.${c}`) })) },
      { key: 'available', label: t('stock.available'), type: 'select', options: [{ value: 'true', label: t('stock.available_only') }] },
    ],
    [t],
  );
  return (
    <div className="page" data-testid="material-stock-page">
      <PageHeader crumbs={[{ label: t('modules.materials'), to: '/materials' }, { label: t('stock.material_stock') }]} />
      <DataTable<StockItem> tableId="material-stock" endpoint="/material-stock" columns={columns} filters={filters} rowKey={(r) => r.id} exportName={t('stock.material_stock').toLowerCase()} selection={sel} rowHref={(r) => `/material-stock/${r.id}`} actions={
          <>
            {can(me, 'materials', 'create') ? (
              <Link to="/material-stock/new" className="btn btn-primary" data-testid="new-material-stock">
                <Icon name="plus" size={16} />
                <span>{t('stock_forms.new.material-stock')}</span>
              </Link>
            ) : null}
            <LabelPrintButton entity="material-stock" ids={sel.selected} />
          </>
        } />
    </div>
  );
}

export function LocationsListPage() {
  const { t } = useTranslation();
  const sel = useRowSelection();
  const me = useMe();
  const columns = useMemo<DataColumn<Location>[]>(
    () => [
      { id: 'code', header: t('stock.code'), sortKey: 'code', cell: (r) => <span className="mono">{r.code}</span>, className: 'nowrap' },
      { id: 'name', header: t('stock.name'), sortKey: 'name', cell: (r) => r.name },
      { id: 'kind', header: t('stock.kind'), sortKey: 'kind', cell: (r) => r.kind_label },
      { id: 'saw', header: t('stock.saw_distance_m'), cell: (r) => r.saw_distance_m, className: 'num' },
      { id: 'status', header: t('users.status'), cell: (r) => r.status_label },
    ],
    [t],
  );
  return (
    <div className="page" data-testid="locations-page">
      <PageHeader crumbs={[{ label: t('stock.locations') }]} />
      <DataTable<Location> tableId="locations" endpoint="/locations" columns={columns} defaultSort="code" rowKey={(r) => r.id} exportName={t('stock.locations').toLowerCase()} selection={sel} rowHref={(r) => `/locations/${r.id}`} actions={
          <>
            {can(me, 'tools', 'create') ? (
              <Link to="/locations/new" className="btn btn-primary" data-testid="new-locations">
                <Icon name="plus" size={16} />
                <span>{t('stock_forms.new.locations')}</span>
              </Link>
            ) : null}
            <LabelPrintButton entity="locations" ids={sel.selected} />
          </>
        } />
    </div>
  );
}
