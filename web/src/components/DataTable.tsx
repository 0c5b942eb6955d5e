// The list view every module reuses: server-side paging, sorting, search and filters (all kept in
// the URL so Back and shared links restore the view), column chooser, CSV/XLSX export, row → form.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type ExpandedState,
  type SortingState,
  type VisibilityState,
} from '@tanstack/react-table';
import { Fragment, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, downloadFile, type Query } from '../api/client';
import type { ListResponse } from '../api/types';
import { isoDate } from '../lib/format';
import { ErrorBanner, useErrorText } from './ErrorBanner';
import { Icon } from './Icon';
import { useToast } from './Toast';

export interface FilterOption {
  value: string;
  label: string;
}

export type FilterDef =
  | { key: string; label: string; type: 'select'; options: FilterOption[] }
  | { key: string; label: string; type: 'text'; placeholder?: string; list?: string[] }
  | { key: string; label: string; type: 'date' }
  | { key: string; label: string; type: 'number' };

export interface DataColumn<T> {
  /** Unique id; also used in test ids and the column chooser. */
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** Server field for `sort=`; absent → the column is not sortable. */
  sortKey?: string;
  hiddenByDefault?: boolean;
  /** Extra class on th/td: `num` (right-aligned), `nowrap`, `wrap`. */
  className?: string;
}

export interface DataTableProps<T> {
  tableId: string;
  /** List endpoint, relative to /api/v1 (`/users`). */
  endpoint: string;
  columns: DataColumn<T>[];
  filters?: FilterDef[];
  defaultSort?: string;
  defaultPerPage?: number;
  searchable?: boolean;
  /** Fixed query parameters (e.g. a parent id) added to every request and export. */
  fixedQuery?: Query;
  rowKey: (row: T) => string | number;
  rowHref?: (row: T) => string;
  renderExpanded?: (row: T) => ReactNode;
  exportName?: string;
  exportable?: boolean;
  /** Buttons shown at the left of the toolbar (e.g. "New"). */
  actions?: ReactNode;
  /** Row checkboxes (e.g. to print labels); keys are `rowKey` values, kept across pages. */
  selection?: { selected: (string | number)[]; onChange: (keys: (string | number)[]) => void };
}

const PER_PAGE_OPTIONS = [25, 50, 100, 200];
const DEBOUNCE_MS = 300;

function loadHidden(tableId: string, columns: DataColumn<unknown>[]): VisibilityState {
  try {
    const raw = localStorage.getItem(`usinage.cols.${tableId}`);
    if (raw) return JSON.parse(raw) as VisibilityState;
  } catch {
    /* ignore a corrupt preference */
  }
  return Object.fromEntries(columns.filter((c) => c.hiddenByDefault).map((c) => [c.id, false]));
}

/** `-updated_at` → `updated_at`, descending. */
export function parseSort(sort: string | null): { field: string; desc: boolean } | null {
  if (!sort) return null;
  return sort.startsWith('-') ? { field: sort.slice(1), desc: true } : { field: sort, desc: false };
}

/** Clicking a header: a new column sorts ascending, the sorted one flips direction. */
export function nextSort(current: string | null, field: string): string {
  const cur = parseSort(current);
  if (cur && cur.field === field && !cur.desc) return `-${field}`;
  return field;
}

function SearchBox({ value, onCommit, placeholder }: { value: string; onCommit: (v: string) => void; placeholder: string }) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  // The URL changed from outside (Back button, "clear filters"): show it.
  if (value !== seen) {
    setSeen(value);
    setText(value);
  }
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return (
    <div className="search-box">
      <Icon name="search" size={16} />
      <input
        type="search"
        className="input"
        value={text}
        placeholder={placeholder}
        aria-label={placeholder}
        data-testid="datatable-search"
        onChange={(e) => {
          const v = e.target.value;
          setText(v);
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => {
            setSeen(v.trim());
            onCommit(v.trim());
          }, DEBOUNCE_MS);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            if (timer.current) clearTimeout(timer.current);
            setSeen(text.trim());
            onCommit(text.trim());
          }
        }}
      />
    </div>
  );
}

function FilterControl({ def, value, onChange }: { def: FilterDef; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const id = `flt-${def.key}`;
  let control: ReactNode;
  switch (def.type) {
    case 'select':
      control = (
        <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={`filter-${def.key}`}>
          <option value="">{t('common.all')}</option>
          {def.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'date':
      control = <input id={id} type="date" className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={`filter-${def.key}`} />;
      break;
    default:
      control = (
        <>
          <input
            id={id}
            type={def.type === 'number' ? 'number' : 'text'}
            className="input"
            value={value}
            list={def.type === 'text' && def.list ? `${id}-list` : undefined}
            placeholder={def.type === 'text' ? def.placeholder : undefined}
            onChange={(e) => onChange(e.target.value)}
            data-testid={`filter-${def.key}`}
          />
          {def.type === 'text' && def.list && (
            <datalist id={`${id}-list`}>
              {def.list.map((v) => (
                <option key={v} value={v} />
              ))}
            </datalist>
          )}
        </>
      );
  }
  return (
    <div className="filter">
      <label htmlFor={id}>{def.label}</label>
      {control}
    </div>
  );
}

function ColumnChooser<T>({ columns, visibility, onChange }: { columns: DataColumn<T>[]; visibility: VisibilityState; onChange: (v: VisibilityState) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: globalThis.MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  const visibleCount = columns.filter((c) => visibility[c.id] !== false).length;
  return (
    <div className="dropdown" ref={ref}>
      <button type="button" className="btn btn-secondary" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="columns-button">
        <Icon name="columns" size={16} />
        <span className="btn-label">{t('common.columns')}</span>
      </button>
      {open && (
        <div className="dropdown-menu" role="menu">
          {columns.map((c) => {
            const checked = visibility[c.id] !== false;
            return (
              <label key={c.id} className="check-row">
                <input
                  type="checkbox"
                  checked={checked}
                  // Keep at least one column, or the table has nothing to click.
                  disabled={checked && visibleCount === 1}
                  onChange={() => onChange({ ...visibility, [c.id]: !checked })}
                  data-testid={`col-toggle-${c.id}`}
                />
                {c.header}
              </label>
            );
          })}
        </div>
      )}
    </div>
  );
}

export function DataTable<T>(props: DataTableProps<T>) {
  const {
    tableId,
    endpoint,
    columns,
    filters = [],
    defaultSort,
    defaultPerPage = 50,
    searchable = true,
    fixedQuery,
    rowKey,
    rowHref,
    renderExpanded,
    exportName = tableId,
    exportable = true,
    actions,
    selection,
  } = props;
  const { t } = useTranslation();
  const navigate = useNavigate();
  const toast = useToast();
  const errorText = useErrorText();
  const [params, setParams] = useSearchParams();

  const page = Math.max(1, Number(params.get('page')) || 1);
  const perPage = Number(params.get('per_page')) || defaultPerPage;
  const sort = params.get('sort') ?? defaultSort ?? null;
  const q = params.get('q') ?? '';
  const filterValues = Object.fromEntries(filters.map((f) => [f.key, params.get(f.key) ?? '']));

  /** Same filters for the list and the exports. */
  const baseQuery: Query = { ...fixedQuery, q: searchable ? q : undefined, sort: sort ?? undefined, ...filterValues };
  const listQuery: Query = { ...baseQuery, page, per_page: perPage };

  const update = (changes: Record<string, string | number | null>, resetPage = true) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v === null || v === '') next.delete(k);
          else next.set(k, String(v));
        }
        if (resetPage) next.delete('page');
        return next;
      },
      { replace: true },
    );
  };

  const query = useQuery({
    queryKey: [endpoint, 'list', listQuery],
    queryFn: ({ signal }) => api<ListResponse<T>>(endpoint, { query: listQuery, signal }),
    placeholderData: keepPreviousData,
  });

  const [visibility, setVisibility] = useState<VisibilityState>(() => loadHidden(tableId, columns as DataColumn<unknown>[]));
  const changeVisibility = (v: VisibilityState) => {
    setVisibility(v);
    localStorage.setItem(`usinage.cols.${tableId}`, JSON.stringify(v));
  };
  const [expanded, setExpanded] = useState<ExpandedState>({});

  const sorting: SortingState = useMemo(() => {
    const s = parseSort(sort);
    const col = s && columns.find((c) => c.sortKey === s.field);
    return col ? [{ id: col.id, desc: s.desc }] : [];
  }, [sort, columns]);

  const columnDefs = useMemo<ColumnDef<T>[]>(
    () =>
      columns.map((c) => ({
        id: c.id,
        header: c.header,
        cell: (info) => c.cell(info.row.original),
        enableSorting: !!c.sortKey,
        enableHiding: true,
        meta: c,
      })),
    [columns],
  );

  const data = query.data?.items;
  const total = query.data?.total ?? 0;
  // The app does not use the React Compiler; react-table's unmemoizable API is fine here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable<T>({
    data: data ?? [],
    columns: columnDefs,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => String(rowKey(row)),
    getRowCanExpand: () => !!renderExpanded,
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    pageCount: Math.max(1, Math.ceil(total / perPage)),
    state: { sorting, columnVisibility: visibility, pagination: { pageIndex: page - 1, pageSize: perPage }, expanded },
    onColumnVisibilityChange: (u) => changeVisibility(typeof u === 'function' ? u(visibility) : u),
    onExpandedChange: setExpanded,
  });

  const [exporting, setExporting] = useState<'csv' | 'xlsx' | null>(null);
  const doExport = async (format: 'csv' | 'xlsx') => {
    setExporting(format);
    try {
      await downloadFile(endpoint, { ...baseQuery, format }, `${exportName}-${isoDate(new Date())}.${format}`);
    } catch (e) {
      toast.show(errorText(e), 'error');
    } finally {
      setExporting(null);
    }
  };

  const openRow = (row: T, e: MouseEvent | KeyboardEvent) => {
    if (!rowHref) return;
    const target = e.target as HTMLElement;
    if (target.closest('button, a, input, label, select')) return;
    const href = rowHref(row);
    if ('ctrlKey' in e && (e.ctrlKey || e.metaKey)) window.open(href, '_blank', 'noopener');
    else navigate(href);
  };

  const from = total === 0 ? 0 : (page - 1) * perPage + 1;
  const to = Math.min(total, page * perPage);
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const anyFilter = q !== '' || filters.some((f) => filterValues[f.key] !== '');
  const visibleCols = table.getVisibleLeafColumns();
  const colSpan = visibleCols.length + (renderExpanded ? 1 : 0) + (selection ? 1 : 0);
  const pageKeys = table.getRowModel().rows.map((r) => rowKey(r.original));
  const isSelected = (k: string | number) => selection?.selected.includes(k) ?? false;
  const allOnPage = pageKeys.length > 0 && pageKeys.every(isSelected);
  const togglePage = () => {
    if (!selection) return;
    const others = selection.selected.filter((k) => !pageKeys.includes(k));
    selection.onChange(allOnPage ? others : [...others, ...pageKeys]);
  };
  const toggleRow = (k: string | number) => {
    if (!selection) return;
    selection.onChange(isSelected(k) ? selection.selected.filter((x) => x !== k) : [...selection.selected, k]);
  };

  return (
    <div className="datatable" data-testid={`datatable-${tableId}`}>
      <div className="dt-toolbar">
        <div className="dt-toolbar-left">
          {actions}
          {searchable && <SearchBox value={q} onCommit={(v) => update({ q: v })} placeholder={t('common.search')} />}
        </div>
        <div className="dt-toolbar-right">
          <ColumnChooser columns={columns} visibility={visibility} onChange={changeVisibility} />
          {exportable && (
            <>
              <button type="button" className="btn btn-secondary" disabled={exporting !== null} onClick={() => void doExport('csv')} data-testid="export-csv" title={t('common.export_csv')}>
                <Icon name="download" size={16} />
                <span>{exporting === 'csv' ? t('common.exporting') : 'CSV'}</span>
              </button>
              <button type="button" className="btn btn-secondary" disabled={exporting !== null} onClick={() => void doExport('xlsx')} data-testid="export-xlsx" title={t('common.export_xlsx')}>
                <Icon name="download" size={16} />
                <span>{exporting === 'xlsx' ? t('common.exporting') : 'Excel'}</span>
              </button>
            </>
          )}
        </div>
      </div>

      {filters.length > 0 && (
        <div className="dt-filters" data-testid="datatable-filters">
          {filters.map((f) => (
            <FilterControl key={f.key} def={f} value={filterValues[f.key]} onChange={(v) => update({ [f.key]: v })} />
          ))}
          {anyFilter && (
            <button
              type="button"
              className="btn btn-link"
              onClick={() => update({ q: null, ...Object.fromEntries(filters.map((f) => [f.key, null])) })}
              data-testid="clear-filters"
            >
              {t('common.clear_filters')}
            </button>
          )}
        </div>
      )}

      {query.isError && <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />}

      <div className={`table-scroll ${query.isFetching ? 'is-fetching' : ''}`}>
        <table className="table" aria-busy={query.isFetching}>
          <thead>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {selection && (
                  <th className="col-select">
                    <input type="checkbox" checked={allOnPage} onChange={togglePage} aria-label={t('common.select_page')} data-testid="select-page" />
                  </th>
                )}
                {renderExpanded && <th className="col-expand" aria-label={t('common.expand')} />}
                {hg.headers.map((h) => {
                  const meta = h.column.columnDef.meta as DataColumn<T>;
                  const dir = h.column.getIsSorted();
                  const label = flexRender(h.column.columnDef.header, h.getContext());
                  return (
                    <th
                      key={h.id}
                      className={meta.className}
                      aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}
                      data-testid={`th-${h.column.id}`}
                    >
                      {meta.sortKey ? (
                        <button type="button" className="th-sort" onClick={() => update({ sort: nextSort(sort, meta.sortKey!) })}>
                          {label}
                          <span className={`sort-ind ${dir ? 'on' : ''}`}>
                            <Icon name={dir === 'desc' ? 'chevron_down' : 'chevron_up'} size={12} />
                          </span>
                        </button>
                      ) : (
                        label
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {query.isPending && (
              <tr>
                <td colSpan={colSpan} className="table-msg">
                  {t('common.loading')}
                </td>
              </tr>
            )}
            {!query.isPending && table.getRowModel().rows.length === 0 && !query.isError && (
              <tr>
                <td colSpan={colSpan} className="table-msg" data-testid="datatable-empty">
                  {t('common.no_results')}
                </td>
              </tr>
            )}
            {table.getRowModel().rows.map((row) => (
              <Fragment key={row.id}>
                <tr
                  className={rowHref ? 'clickable' : undefined}
                  data-testid={`row-${row.id}`}
                  tabIndex={rowHref ? 0 : undefined}
                  onClick={(e) => openRow(row.original, e)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') openRow(row.original, e);
                  }}
                >
                  {selection && (
                    <td className="col-select" onClick={(e) => e.stopPropagation()}>
                      <input
                        type="checkbox"
                        checked={isSelected(rowKey(row.original))}
                        onChange={() => toggleRow(rowKey(row.original))}
                        aria-label={t('common.select_row')}
                        data-testid={`select-${row.id}`}
                      />
                    </td>
                  )}
                  {renderExpanded && (
                    <td className="col-expand">
                      <button
                        type="button"
                        className="icon-btn"
                        aria-expanded={row.getIsExpanded()}
                        aria-label={t('common.expand')}
                        onClick={row.getToggleExpandedHandler()}
                        data-testid={`expand-${row.id}`}
                      >
                        <Icon name={row.getIsExpanded() ? 'chevron_down' : 'chevron_right'} size={16} />
                      </button>
                    </td>
                  )}
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className={(cell.column.columnDef.meta as DataColumn<T>).className}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
                {renderExpanded && row.getIsExpanded() && (
                  <tr className="expanded-row">
                    <td colSpan={colSpan}>{renderExpanded(row.original)}</td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>

      <div className="dt-footer">
        <span className="muted" data-testid="datatable-total">
          {t('common.range', { from, to, total })}
        </span>
        <div className="pager">
          <label className="per-page">
            <span>{t('common.rows_per_page')}</span>
            <select className="input input-sm" value={perPage} onChange={(e) => update({ per_page: Number(e.target.value) })}>
              {PER_PAGE_OPTIONS.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn btn-secondary btn-sm" disabled={page <= 1} onClick={() => update({ page: page - 1 }, false)} data-testid="page-prev" aria-label={t('common.previous')}>
            <Icon name="chevron_left" size={16} />
          </button>
          <span className="page-no">
            {page} / {lastPage}
          </span>
          <button type="button" className="btn btn-secondary btn-sm" disabled={page >= lastPage} onClick={() => update({ page: page + 1 }, false)} data-testid="page-next" aria-label={t('common.next')}>
            <Icon name="chevron_right" size={16} />
          </button>
        </div>
      </div>
    </div>
  );
}
