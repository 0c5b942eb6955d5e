// /planning/indisponibilites — the absences of people and the downtime of machines declared for
// the planning: who or what, kind and reason, period, who declared it and when, and whether it
// is à venir, en cours or passée. "Déclarer…" opens the Gantt's dialog; after a declaration the
// repair proposal the server computed is shown with a link to it. Deleting asks first, and does
// not move the plan back by itself (the server computes no repair then): the screen says so and
// offers "Recalculer le planning". Declaring and deleting need planning.create.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { can } from '../../modules';
import {
  DEFAULT_FILTERS,
  STATE_FILTERS,
  declaredAt,
  filterUnavailability,
  listQuery,
  filtersFromSearch,
  filtersToSearch,
  unavailabilityState,
  type ResourceFilter,
  type StateFilter,
  type UnavailabilityFilters,
} from './absences';
import { AbsenceDialog, absenceDefaults } from './dialogs';
import { PlanningTabs } from './PlanningTabs';
import { shortDateTime, toLocalDay } from './time';
import type { Board, Proposal, Unavailability, UnavailabilityCreated } from './types';
import './planning.css';

const LIST_KEY = ['planning', 'unavailability'];

/** What the screen says after a declaration or a deletion. */
type Outcome = { type: 'created'; r: UnavailabilityCreated } | { type: 'deleted'; u: Unavailability };

function kindOf(u: Unavailability, t: (k: string) => string): string {
  return u.kind_label ?? t(`planning.absence.kinds.${u.kind}`);
}

const systemNow = () => new Date();

/** `now` is for the tests (the states depend on the clock). */
export function UnavailabilityPage({ now = systemNow }: { now?: () => Date }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const canCreate = can(me, 'planning', 'create');
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const setFilters = (patch: Partial<UnavailabilityFilters>) => setSearch(filtersToSearch({ ...filters, ...patch }), { replace: true });
  // What is going on now first, then what comes next.
  const [sorting, setSorting] = useState<SortingState>([
    { id: 'state', desc: false },
    { id: 'from', desc: false },
  ]);
  const [dialog, setDialog] = useState(false);
  const [toDelete, setToDelete] = useState<Unavailability | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const serverQuery = listQuery(filters);
  const listQ = useQuery({
    queryKey: [...LIST_KEY, serverQuery],
    queryFn: () => api<Unavailability[]>('/planning/unavailability', { query: serverQuery }),
    placeholderData: (previous) => previous,
  });
  // The dialog's lists of people and machines: those of the plan (a one-day board is enough).
  const today = toLocalDay(now());
  const boardQ = useQuery({
    queryKey: ['planning', 'board', today, today],
    queryFn: () => api<Board>('/planning/board', { query: { from: today, to: today } }),
    enabled: canCreate,
    staleTime: 60_000,
  });

  // "Now" for the states, moved on every minute (an absence starting at 07:30 turns "en cours").
  const [moment, setMoment] = useState(now);
  useEffect(() => {
    const id = setInterval(() => setMoment(now()), 60_000);
    return () => clearInterval(id);
  }, [now]);
  const filterKey = JSON.stringify(filters);
  const rows = useMemo(
    () => filterUnavailability(listQ.data ?? [], JSON.parse(filterKey) as UnavailabilityFilters, moment),
    [listQ.data, filterKey, moment],
  );

  const remove = useMutation({
    mutationFn: (u: Unavailability) => api<void>(`/planning/unavailability/${u.id}`, { method: 'DELETE' }),
    onSuccess: (_, u) => {
      setToDelete(null);
      setOutcome({ type: 'deleted', u });
      void qc.invalidateQueries({ queryKey: ['planning'] });
    },
  });

  const recompute = useMutation({
    mutationFn: () => api<Proposal>('/planning/proposals', { method: 'POST', body: { trigger: 'manuel' } }),
    onSuccess: (p) => {
      toast.show(t('planning.proposals.created', { number: p.number }));
      qc.setQueryData(['planning', 'proposals', p.id], p);
      void qc.invalidateQueries({ queryKey: ['planning', 'proposals'] });
      void navigate(`/planning/propositions/${p.id}`);
    },
  });

  const onCreated = (r: UnavailabilityCreated) => {
    setDialog(false);
    setOutcome({ type: 'created', r });
    if (r.proposal) qc.setQueryData(['planning', 'proposals', r.proposal.id], r.proposal);
    void qc.invalidateQueries({ queryKey: ['planning'] });
  };

  const columns = useMemo<ColumnDef<Unavailability>[]>(
    () => [
      {
        id: 'resource',
        header: t('planning.unav.resource'),
        accessorFn: (u) => u.resource_name,
        cell: ({ row: { original: u } }) => (
          <span className="pl-unav-res">
            <span className={`chip pl-res-${u.resource}`}>{t(`planning.unav.${u.resource}`)}</span> <strong>{u.resource_name}</strong>
          </span>
        ),
      },
      {
        id: 'kind',
        header: t('planning.unav.kind'),
        accessorFn: (u) => kindOf(u, t),
        cell: ({ row: { original: u } }) => (
          <>
            <span className={`pl-kind pl-kind-${u.kind}`}>{kindOf(u, t)}</span>
            {u.reason && <div className="small muted">{u.reason}</div>}
          </>
        ),
      },
      { id: 'from', header: t('planning.unav.from'), accessorFn: (u) => u.from, cell: ({ row: { original: u } }) => <span className="pl-nowrap">{shortDateTime(u.from, true)}</span> },
      { id: 'to', header: t('planning.unav.to'), accessorFn: (u) => u.to, cell: ({ row: { original: u } }) => <span className="pl-nowrap">{shortDateTime(u.to, true)}</span> },
      {
        id: 'declared',
        header: t('planning.unav.declared'),
        accessorFn: (u) => u.created_at ?? '',
        cell: ({ row: { original: u } }) => (
          <>
            {u.created_by}
            {u.created_at && <div className="small muted">{declaredAt(u.created_at)}</div>}
          </>
        ),
      },
      {
        id: 'state',
        header: t('planning.unav.state'),
        accessorFn: (u) => ['en_cours', 'a_venir', 'passee'].indexOf(unavailabilityState(u, moment)),
        cell: ({ row: { original: u } }) => {
          const st = unavailabilityState(u, moment);
          return (
            <span className={`status-badge pl-state-${st}`} data-state={st}>
              {t(`planning.unav.states.${st}`)}
            </span>
          );
        },
      },
      ...(canCreate
        ? [
            {
              id: 'actions',
              header: () => <span className="pl-sr">{t('planning.unav.actions')}</span>,
              enableSorting: false,
              cell: ({ row: { original: u } }) => (
                <button
                  type="button"
                  className="btn btn-xs btn-secondary"
                  onClick={() => {
                    remove.reset();
                    setToDelete(u);
                  }}
                  aria-label={`${t('planning.unav.delete')} — ${kindOf(u, t)} ${u.resource_name}`}
                  data-testid={`unav-delete-${u.id}`}
                >
                  <Icon name="trash" size={14} /> {t('planning.unav.delete')}
                </button>
              ),
            } satisfies ColumnDef<Unavailability>,
          ]
        : []),
    ],
    // `remove.reset` is stable; `moment` changes with the list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, canCreate, moment],
  );

  // TanStack Table is not memoizable by the React compiler; the table is small.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (u) => String(u.id),
  });

  const anyFilter = JSON.stringify(filters) !== JSON.stringify(DEFAULT_FILTERS);
  const total = listQ.data?.length ?? 0;

  return (
    <div className="page pl-page" data-testid="planning-unavailability">
      <PageHeader
        crumbs={[{ label: t('planning.title'), to: '/planning' }, { label: t('planning.unav.title') }]}
        actions={
          canCreate ? (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => {
                setOutcome(null);
                setDialog(true);
              }}
              disabled={!boardQ.data}
              title={boardQ.data ? undefined : t('planning.unav.loading_resources')}
              data-testid="unav-declare"
            >
              <Icon name="plus" size={16} /> {t('planning.unav.declare')}
            </button>
          ) : undefined
        }
      >
        <PlanningTabs />
      </PageHeader>
      {!canCreate && (
        <p className="small muted" data-testid="unav-readonly">
          {t('planning.unav.read_only')}
        </p>
      )}
      {boardQ.isError && <ErrorBanner error={boardQ.error} onRetry={() => void boardQ.refetch()} />}

      {outcome && <OutcomeBanner outcome={outcome} canCreate={canCreate} onClose={() => setOutcome(null)} onRecompute={() => recompute.mutate()} recomputing={recompute.isPending} />}
      {recompute.error ? <ErrorBanner error={recompute.error} /> : null}

      <section className="panel pl-unav">
        <div className="dt-filters pl-unav-filters" data-testid="unav-filters">
          <div className="filter">
            <span>{t('planning.unav.filter_resource')}</span>
            <div className="pl-seg" role="group" aria-label={t('planning.unav.filter_resource')}>
              {(['toutes', 'person', 'machine'] as ResourceFilter[]).map((r) => (
                <button
                  key={r}
                  type="button"
                  className={`btn btn-sm ${filters.resource === r ? 'btn-primary' : 'btn-secondary'}`}
                  aria-pressed={filters.resource === r}
                  onClick={() => setFilters({ resource: r })}
                  data-testid={`unav-res-${r}`}
                >
                  {t(`planning.unav.resources.${r}`)}
                </button>
              ))}
            </div>
          </div>
          <label className="filter">
            <span>{t('planning.unav.filter_state')}</span>
            <select className="input input-sm" value={filters.state} onChange={(e) => setFilters({ state: e.target.value as StateFilter })} data-testid="unav-state">
              {STATE_FILTERS.map((s) => (
                <option key={s} value={s}>
                  {t(`planning.unav.states.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="filter pl-filter-date">
            <span>{t('planning.unav.filter_from')}</span>
            <input className="input input-sm" type="date" value={filters.from} onChange={(e) => setFilters({ from: e.target.value })} data-testid="unav-from" />
          </label>
          <label className="filter pl-filter-date">
            <span>{t('planning.unav.filter_to')}</span>
            <input className="input input-sm" type="date" value={filters.to} onChange={(e) => setFilters({ to: e.target.value })} data-testid="unav-to" />
          </label>
          {anyFilter && (
            <button type="button" className="btn btn-link" onClick={() => setSearch({}, { replace: true })} data-testid="unav-clear">
              {t('planning.unav.clear')}
            </button>
          )}
        </div>

        {listQ.isError && <ErrorBanner error={listQ.error} onRetry={() => void listQ.refetch()} />}
        <div className="table-scroll">
          <table className="table pl-unav-table" data-testid="unav-table" aria-busy={listQ.isFetching}>
            <thead>
              {table.getHeaderGroups().map((hg) => (
                <tr key={hg.id}>
                  {hg.headers.map((h) => {
                    const dir = h.column.getIsSorted();
                    const label = flexRender(h.column.columnDef.header, h.getContext());
                    return (
                      <th key={h.id} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined} data-testid={`th-${h.column.id}`}>
                        {h.column.getCanSort() ? (
                          <button type="button" className="th-sort" onClick={h.column.getToggleSortingHandler()}>
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
              {listQ.isPending && (
                <tr>
                  <td colSpan={columns.length} className="table-msg">
                    {t('common.loading')}
                  </td>
                </tr>
              )}
              {listQ.data && rows.length === 0 && (
                <tr>
                  <td colSpan={columns.length} className="table-msg" data-testid="unav-empty">
                    {total === 0 && !anyFilter ? t('planning.unav.empty') : t('planning.unav.empty_filtered')}
                  </td>
                </tr>
              )}
              {table.getRowModel().rows.map((row) => (
                <tr key={row.id} data-testid={`unav-row-${row.id}`} className={`pl-unav-${unavailabilityState(row.original, moment)}`}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {listQ.data && (
          <div className="dt-footer">
            <span className="muted small" data-testid="unav-count">
              {t('planning.unav.count', { count: rows.length })}
            </span>
          </div>
        )}
      </section>

      {dialog && boardQ.data && (
        <AbsenceDialog
          board={boardQ.data}
          defaults={{ ...absenceDefaults({ ops: [] }, null, now()), resource: filters.resource === 'machine' ? 'machine' : 'person' }}
          onClose={() => setDialog(false)}
          onCreated={onCreated}
        />
      )}
      {toDelete && (
        <ConfirmDialog
          title={t('planning.unav.delete_title')}
          confirmLabel={t('planning.unav.delete')}
          danger
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(toDelete)}
          onCancel={() => setToDelete(null)}
          testId="unav-confirm"
        >
          <p data-testid="unav-confirm-what">
            {t('planning.unav.delete_body', { kind: kindOf(toDelete, t), name: toDelete.resource_name, from: shortDateTime(toDelete.from, true), to: shortDateTime(toDelete.to, true) })}
          </p>
          <p className="small muted">{t('planning.unav.delete_hint')}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** The result of the last declaration (its repair proposal) or deletion (offer to recompute). */
function OutcomeBanner({
  outcome,
  canCreate,
  onClose,
  onRecompute,
  recomputing,
}: {
  outcome: Outcome;
  canCreate: boolean;
  onClose: () => void;
  onRecompute: () => void;
  recomputing: boolean;
}) {
  const { t } = useTranslation();
  const close = (
    <button type="button" className="icon-btn" onClick={onClose} aria-label={t('common.close')}>
      <Icon name="x" size={16} />
    </button>
  );
  if (outcome.type === 'deleted') {
    const u = outcome.u;
    return (
      <div className="banner banner-info" role="status" data-testid="unav-outcome">
        <Icon name="check" size={20} />
        <div className="banner-body">
          <strong>{t('planning.unav.deleted', { kind: kindOf(u, t), name: u.resource_name })}</strong>
          <div>{t('planning.unav.deleted_hint')}</div>
          {canCreate && (
            <button type="button" className="btn btn-sm btn-primary pl-outcome-btn" onClick={onRecompute} disabled={recomputing} data-testid="unav-recompute">
              <Icon name="refresh" size={14} /> {recomputing ? t('planning.recomputing') : t('planning.recompute')}
            </button>
          )}
        </div>
        {close}
      </div>
    );
  }
  const { unavailability: u, proposal: p, applied } = outcome.r;
  const what = t('planning.unav.declared_title', { kind: kindOf(u, t), name: u.resource_name, from: shortDateTime(u.from, true), to: shortDateTime(u.to, true) });
  const untouched = !p || p.moves_count === 0;
  return (
    <div className={`banner ${applied || untouched ? 'banner-success' : 'banner-warn'}`} role="status" data-testid="unav-outcome">
      <Icon name={applied || untouched ? 'check' : 'alert'} size={20} />
      <div className="banner-body">
        <strong>{what}</strong>
        {untouched ? (
          <div data-testid="unav-repair">{t('planning.unav.repair_none')}</div>
        ) : applied ? (
          <div data-testid="unav-repair">
            {t('planning.unav.repair_applied', { number: p.number })} {p.summary}
          </div>
        ) : (
          <>
            <div data-testid="unav-repair">{t('planning.unav.repair', { number: p.number, summary: p.summary ?? t('planning.proposals.moves', { count: p.moves_count }) })}</div>
            <div className="small">{t('planning.unav.repair_waits')}</div>
          </>
        )}
        {p && !untouched && (
          <Link className="btn btn-sm btn-primary pl-outcome-btn" to={applied ? '/planning' : `/planning/propositions/${p.id}`} data-testid="unav-open-proposal">
            {applied ? t('planning.unav.open_plan') : t('planning.unav.open_proposal')}
          </Link>
        )}
      </div>
      {close}
    </div>
  );
}
