import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../auth/AuthContext';
import { LabelPrintButton, useRowSelection } from '../../components/LabelPrintButton';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { can } from '../../modules';
import { stockLevel, TOOL_TYPES, type Tool } from './stock';

export function StockBadge({ available, onHand, min }: { available: number; onHand: number; min: number }) {
  const { t } = useTranslation();
  const level = stockLevel(available, onHand, min);
  return (
    <span className={`status-badge status-stock-${level}`} data-testid="stock-badge">
      {t(`stock.level_${level}`)}
    </span>
  );
}

export function ToolsListPage() {
  const { t } = useTranslation();
  const sel = useRowSelection();
  const me = useMe();
  const columns = useMemo<DataColumn<Tool>[]>(
    () => [
      { id: 'code', header: t('stock.code'), sortKey: 'code', cell: (r) => <span className="mono">{r.code}</span>, className: 'nowrap' },
      { id: 'name', header: t('stock.name'), sortKey: 'name', cell: (r) => r.name },
      { id: 'type', header: t('stock.type'), sortKey: 'tool_type', cell: (r) => r.type_label, className: 'nowrap' },
      { id: 'iso', header: t('stock.iso_designation'), cell: (r) => r.iso_designation ?? '', className: 'nowrap' },
      { id: 'diameter', header: t('stock.diameter_mm'), sortKey: 'diameter_mm', cell: (r) => r.diameter_mm ?? '', className: 'num' },
      { id: 'on_hand', header: t('stock.on_hand'), cell: (r) => r.on_hand, className: 'num' },
      { id: 'reserved', header: t('stock.reserved'), cell: (r) => r.reserved, className: 'num' },
      { id: 'available', header: t('stock.available'), cell: (r) => <strong>{r.available}</strong>, className: 'num' },
      { id: 'min', header: t('stock.min_stock'), cell: (r) => r.min_stock, className: 'num' },
      { id: 'level', header: t('stock.level'), cell: (r) => <StockBadge available={r.available} onHand={r.on_hand} min={r.min_stock} /> },
      { id: 'supplier', header: t('stock.supplier_name'), cell: (r) => r.supplier_name ?? '', hiddenByDefault: true },
    ],
    [t],
  );
  const filters = useMemo<FilterDef[]>(
    () => [
      { key: 'type', label: t('stock.type'), type: 'select', options: TOOL_TYPES.map((c) => ({ value: c, label: t(`stock.tool_types.${c}`) })) },
      { key: 'below_min', label: t('stock.below_min'), type: 'select', options: [{ value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }] },
    ],
    [t],
  );
  return (
    <div className="page" data-testid="tools-page">
      <PageHeader crumbs={[{ label: t('modules.tools') }]} />
      <DataTable<Tool>
        tableId="tools"
        endpoint="/tools"
        columns={columns}
        filters={filters}
        defaultSort="code"
        rowKey={(r) => r.id}
        rowHref={(r) => `/tools/${r.id}`}
        exportName={t('modules.tools').toLowerCase()}
        selection={sel}
        actions={
          <>
            {can(me, 'tools', 'create') ? (
            <Link to="/tools/new" className="btn btn-primary" data-testid="new-tool">
              <Icon name="plus" size={16} />
              <span>{t('stock.new_tool')}</span>
            </Link>
          ) : null}
            <LabelPrintButton entity="tools" ids={sel.selected} />
          </>
        }
      />
    </div>
  );
}
