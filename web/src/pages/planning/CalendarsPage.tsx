// /planning/calendriers — the working weeks the planner uses. The shop's week and closed days
// (PUT /planning/settings, planning.validate) apply to every machine; a machine or a person may
// have a week of its own (PUT /planning/calendars/{machines|people}/{id}, planning.update), e.g.
// a machine running unattended at night or a part-time person. Without one, a machine follows
// the shop's week and a person the contract hours (HR record); `shifts: null` goes back to that.
// Shifts are checked here with the server's rules before anything is sent; the server's 422
// messages are shown beside the part they concern.
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { can } from '../../modules';
import {
  closuresFromRows,
  fieldSection,
  rowKey,
  rowsFromClosures,
  rowsFromShifts,
  sameWeek,
  shiftsFromRows,
  validateClosureRows,
  validateShiftRows,
  weekMinutes,
  weekSummary,
  type ClosureRow,
  type ShiftRow,
} from './calendar';
import { PlanningTabs } from './PlanningTabs';
import { shortDate, hoursLabel, toLocalDay } from './time';
import type { Board, PlanningSettings, ShopShift } from './types';
import { WeekGrid } from './WeekGrid';
import './planning.css';

const SETTINGS_KEY = ['planning', 'settings'];

type ResourceKind = 'machine' | 'person';

export interface CalendarView {
  resource: ResourceKind;
  id: number;
  /** Own week; null: the shop's week (machine) or the contract hours (person). */
  shifts: ShopShift[] | null;
  /** 0 without an own week; sent back with a change (a stale one gets 409). */
  version: number;
}

const calendarPath = (r: ResourceKind, id: number) => `/planning/calendars/${r === 'machine' ? 'machines' : 'people'}/${id}`;
const calendarKey = (r: ResourceKind, id: number) => ['planning', 'calendar', r, id];

/** A 422's field messages split by part of the editor; anything else stays for the banner. */
function splitErrors(e: unknown): { shifts: string | null; closures: string | null; rest: unknown } {
  if (!isApiError(e) || e.status !== 422 || e.errors.length === 0) return { shifts: null, closures: null, rest: e };
  const pick = (s: 'shifts' | 'closures') =>
    e.errors
      .filter((x) => fieldSection(x.field) === s)
      .map((x) => x.message)
      .join(' ') || null;
  const unmapped = e.errors.some((x) => fieldSection(x.field) == null);
  return { shifts: pick('shifts'), closures: pick('closures'), rest: unmapped ? e : null };
}

/**
 * A save refused because someone else saved first (409 stale_version): the banner's button
 * reloads the data (the editor then shows what is saved now, and the change is made again).
 */
function staleReload(e: unknown, label: string, reload: () => void): { onRetry?: () => void; retryLabel?: string } {
  return isApiError(e) && e.isStale ? { onRetry: reload, retryLabel: label } : {};
}

function useDayNames() {
  const { t } = useTranslation();
  return [0, 1, 2, 3, 4, 5, 6].map((d) => t(`planning.cal.weekdays_short.${d}`));
}

/** `?r=atelier`, `?r=machine-4`, `?r=person-8`. */
function parseSelection(v: string | null): { kind: 'atelier' } | { kind: ResourceKind; id: number } {
  const m = /^(machine|person)-(\d+)$/.exec(v ?? '');
  return m ? { kind: m[1] as ResourceKind, id: Number(m[2]) } : { kind: 'atelier' };
}

export function CalendarsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const days = useDayNames();
  const canShop = can(me, 'planning', 'validate');
  const canOwn = can(me, 'planning', 'update');
  const [search, setSearch] = useSearchParams();
  const sel = parseSelection(search.get('r'));
  const select = (v: string) => setSearch(v === 'atelier' ? {} : { r: v }, { replace: true });

  const settingsQ = useQuery({ queryKey: SETTINGS_KEY, queryFn: () => api<PlanningSettings>('/planning/settings') });
  // The machines and people the planner knows: those of the plan (a one-day board is enough).
  const today = toLocalDay(new Date());
  const boardQ = useQuery({
    queryKey: ['planning', 'board', today, today],
    queryFn: () => api<Board>('/planning/board', { query: { from: today, to: today } }),
    staleTime: 60_000,
  });
  const machines = boardQ.data?.machines ?? [];
  const people = boardQ.data?.people ?? [];
  // Whether each has a week of its own (a small shop: a few tens of requests at most).
  const resources: { kind: ResourceKind; id: number }[] = [...machines.map((m) => ({ kind: 'machine' as const, id: m.id })), ...people.map((p) => ({ kind: 'person' as const, id: p.id }))];
  const calendarsQ = useQueries({
    queries: resources.map((r) => ({ queryKey: calendarKey(r.kind, r.id), queryFn: () => api<CalendarView>(calendarPath(r.kind, r.id)), staleTime: 60_000 })),
  });
  const ownOf = (kind: ResourceKind, id: number): boolean | null => {
    const i = resources.findIndex((r) => r.kind === kind && r.id === id);
    const d = i >= 0 ? calendarsQ[i]?.data : undefined;
    return d ? d.shifts != null : null;
  };

  const shopShifts = settingsQ.data?.shop_shifts ?? [];
  const selectedName =
    sel.kind === 'machine'
      ? (() => {
          const m = machines.find((x) => x.id === sel.id);
          return m ? `${m.code} · ${m.name}` : null;
        })()
      : sel.kind === 'person'
        ? (people.find((x) => x.id === sel.id)?.name ?? null)
        : null;

  const navItem = (value: string, label: string, badge: string | null, own: boolean | null, testId: string) => {
    const active = (sel.kind === 'atelier' ? 'atelier' : `${sel.kind}-${sel.id}`) === value;
    return (
      <li key={value}>
        <button type="button" className={`pl-cal-item ${active ? 'active' : ''}`} aria-current={active ? 'true' : undefined} onClick={() => select(value)} data-testid={testId}>
          <span className="pl-cal-item-name">{label}</span>
          {badge && <span className={`badge ${own ? 'pl-badge-own' : 'pl-badge-common'}`}>{badge}</span>}
        </button>
      </li>
    );
  };

  return (
    <div className="page pl-page" data-testid="planning-calendars">
      <PageHeader crumbs={[{ label: t('planning.title'), to: '/planning' }, { label: t('planning.cal.title') }]}>
        <PlanningTabs />
      </PageHeader>
      <p className="small muted pl-cal-intro">{t('planning.cal.intro')}</p>
      {settingsQ.isError && <ErrorBanner error={settingsQ.error} onRetry={() => void settingsQ.refetch()} />}
      {boardQ.isError && <ErrorBanner error={boardQ.error} onRetry={() => void boardQ.refetch()} />}
      <div className="pl-cal-layout">
        <label className="field pl-cal-select">
          <span className="field-label">{t('planning.cal.pick')}</span>
          <select className="input" value={sel.kind === 'atelier' ? 'atelier' : `${sel.kind}-${sel.id}`} onChange={(e) => select(e.target.value)} data-testid="cal-select">
            <option value="atelier">{t('planning.cal.shop')}</option>
            <optgroup label={t('planning.cal.machines')}>
              {machines.map((m) => (
                <option key={m.id} value={`machine-${m.id}`}>
                  {m.code} · {m.name}
                  {ownOf('machine', m.id) ? ` (${t('planning.cal.own')})` : ''}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('planning.cal.people')}>
              {people.map((p) => (
                <option key={p.id} value={`person-${p.id}`}>
                  {p.name}
                  {ownOf('person', p.id) ? ` (${t('planning.cal.own')})` : ''}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <nav className="panel pl-cal-nav" aria-label={t('planning.cal.title')} data-testid="cal-nav">
          <ul>{navItem('atelier', t('planning.cal.shop'), null, null, 'cal-nav-atelier')}</ul>
          <h3 className="pl-h4">{t('planning.cal.machines')}</h3>
          <ul>
            {machines.map((m) => {
              const own = ownOf('machine', m.id);
              return navItem(`machine-${m.id}`, `${m.code} · ${m.name}`, own == null ? null : own ? t('planning.cal.own') : t('planning.cal.follows_shop'), own, `cal-nav-machine-${m.id}`);
            })}
          </ul>
          <h3 className="pl-h4">{t('planning.cal.people')}</h3>
          <ul>
            {people.map((p) => {
              const own = ownOf('person', p.id);
              return navItem(`person-${p.id}`, p.name, own == null ? null : own ? t('planning.cal.own') : t('planning.cal.follows_contract'), own, `cal-nav-person-${p.id}`);
            })}
          </ul>
          {boardQ.isPending && <p className="muted small">{t('common.loading')}</p>}
        </nav>
        <div className="pl-cal-main">
          {sel.kind === 'atelier' ? (
            settingsQ.data ? (
              <ShopCalendar key={JSON.stringify([settingsQ.data.shop_shifts, settingsQ.data.closures])} settings={settingsQ.data} readOnly={!canShop} />
            ) : (
              settingsQ.isPending && <p className="muted">{t('common.loading')}</p>
            )
          ) : (
            <OwnCalendar
              key={`${sel.kind}-${sel.id}`}
              kind={sel.kind}
              id={sel.id}
              name={selectedName ?? (boardQ.isPending ? '…' : `#${sel.id}`)}
              shopShifts={shopShifts}
              days={days}
              readOnly={!canOwn}
            />
          )}
        </div>
      </div>
    </div>
  );
}

function SaveBar({ dirty, pending, onCancel, testId }: { dirty: boolean; pending: boolean; onCancel: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="pl-cal-save">
      <button type="submit" className="btn btn-primary" disabled={pending || !dirty} data-testid={`${testId}-save`}>
        {pending ? t('planning.cal.saving') : t('planning.cal.save')}
      </button>
      {dirty && (
        <>
          <button type="button" className="btn btn-secondary" onClick={onCancel} data-testid={`${testId}-cancel`}>
            {t('planning.cal.cancel')}
          </button>
          <span className="small pl-warn" data-testid={`${testId}-dirty`}>
            {t('planning.cal.unsaved')}
          </span>
        </>
      )}
    </div>
  );
}

/** The shop's week and closed days (both in the planning settings). */
function ShopCalendar({ settings, readOnly }: { settings: PlanningSettings; readOnly: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const [rows, setRows] = useState<ShiftRow[]>(() => rowsFromShifts(settings.shop_shifts));
  const [closures, setClosures] = useState<ClosureRow[]>(() => rowsFromClosures(settings.closures));
  const [tried, setTried] = useState(false);
  const errors = validateShiftRows(rows);
  const closureErrors = validateClosureRows(closures);
  const empty = rows.length === 0;
  const dirty = !sameWeek(shiftsFromRows(rows), settings.shop_shifts) || JSON.stringify(closuresFromRows(closures)) !== JSON.stringify(closuresFromRows(rowsFromClosures(settings.closures)));

  const save = useMutation({
    mutationFn: () =>
      api<PlanningSettings>('/planning/settings', { method: 'PUT', body: { version: settings.version, shop_shifts: shiftsFromRows(rows), closures: closuresFromRows(closures) } }),
    onSuccess: (r) => {
      // The page remounts this editor on the new data (its key).
      qc.setQueryData(SETTINGS_KEY, r);
      void qc.invalidateQueries({ queryKey: ['planning', 'board'] });
      toast.show(t('planning.cal.saved_shop'));
    },
  });
  const server = splitErrors(save.error);
  const blocked = errors.size > 0 || closureErrors.size > 0 || empty;

  return (
    <form
      className="panel"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (!blocked) save.mutate();
      }}
      data-testid="cal-shop"
      noValidate
    >
      <h2 className="panel-title">{t('planning.cal.shop_title')}</h2>
      {readOnly && <p className="small muted">{t('planning.cal.read_only_shop')}</p>}
      {server.rest ? (
        <ErrorBanner
          error={server.rest}
          {...staleReload(server.rest, t('common.reload'), () => {
            save.reset();
            void qc.invalidateQueries({ queryKey: SETTINGS_KEY });
          })}
        />
      ) : null}
      <WeekGrid rows={rows} onChange={setRows} errors={errors} showAll={tried} readOnly={readOnly} serverError={server.shifts} testId="cal-week" />
      {tried && empty && (
        <div className="field-error" data-testid="cal-shop-empty">
          {t('planning.cal.err.shop_empty')}
        </div>
      )}

      <h3 className="pl-h4 pl-cal-closures-title">{t('planning.cal.closures')}</h3>
      <p className="small muted">{t('planning.cal.closures_hint')}</p>
      <ClosuresEditor rows={closures} onChange={setClosures} errors={closureErrors} showAll={tried} readOnly={readOnly} serverError={server.closures} />

      {!readOnly && (
        <>
          {tried && blocked && (
            <div className="field-error" role="alert" data-testid="cal-shop-blocked">
              {errors.size > 0 ? t('planning.cal.err.fix_first') : closureErrors.size > 0 ? t('planning.cal.err.fix_closures') : t('planning.cal.err.shop_empty')}
            </div>
          )}
          <SaveBar
            dirty={dirty}
            pending={save.isPending}
            onCancel={() => {
              setRows(rowsFromShifts(settings.shop_shifts));
              setClosures(rowsFromClosures(settings.closures));
              setTried(false);
              save.reset();
            }}
            testId="cal-shop"
          />
          <p className="small muted">{t('planning.cal.replan_hint')}</p>
        </>
      )}
    </form>
  );
}

function ClosuresEditor({
  rows,
  onChange,
  errors,
  showAll,
  readOnly,
  serverError,
}: {
  rows: ClosureRow[];
  onChange: (rows: ClosureRow[]) => void;
  errors: Map<number, string>;
  showAll: boolean;
  readOnly: boolean;
  serverError: string | null;
}) {
  const { t } = useTranslation();
  const [touched, setTouched] = useState<Set<number>>(() => new Set());
  const touch = (k: number) => setTouched((s) => (s.has(k) ? s : new Set(s).add(k)));
  const set = (key: number, patch: Partial<ClosureRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <div className="pl-closures" data-testid="cal-closures">
      {rows.length === 0 && <p className="muted small">{t('planning.cal.no_closure')}</p>}
      {rows.map((r) => {
        const code = errors.get(r.key);
        const shown = code && (showAll || touched.has(r.key)) ? code : null;
        return (
          <div key={r.key} className={`pl-closure ${shown ? 'has-error' : ''}`} data-testid={`closure-row-${r.key}`}>
            <div className="pl-row-inputs">
              <input
                className="input input-sm pl-closure-day"
                type="date"
                value={r.day}
                disabled={readOnly}
                onChange={(e) => set(r.key, { day: e.target.value })}
                onBlur={() => touch(r.key)}
                aria-label={t('planning.cal.closure_day')}
                data-testid="closure-day"
              />
              <input
                className="input input-sm"
                value={r.label}
                maxLength={200}
                disabled={readOnly}
                placeholder={t('planning.cal.closure_label')}
                onChange={(e) => set(r.key, { label: e.target.value })}
                onBlur={() => touch(r.key)}
                aria-label={t('planning.cal.closure_label')}
                data-testid="closure-label"
              />
              {!readOnly && (
                <button
                  type="button"
                  className="icon-btn"
                  onClick={() => onChange(rows.filter((x) => x.key !== r.key))}
                  aria-label={t('planning.cal.remove_closure', { day: shortDate(r.day) || '—' })}
                  data-testid="closure-remove"
                >
                  <Icon name="x" size={14} />
                </button>
              )}
            </div>
            {shown && (
              <div className="field-error" data-testid="closure-error" data-code={shown}>
                {t(`planning.cal.err.${shown}`)}
              </div>
            )}
          </div>
        );
      })}
      {!readOnly && (
        <button type="button" className="btn btn-sm btn-secondary" onClick={() => onChange([...rows, { key: rowKey(), day: '', label: '' }])} data-testid="closure-add">
          <Icon name="plus" size={14} /> {t('planning.cal.add_closure')}
        </button>
      )}
      {serverError && (
        <div className="field-error" role="alert" data-testid="cal-closures-server-error">
          {serverError}
        </div>
      )}
    </div>
  );
}

/** A machine's or a person's own week, or what it follows without one. */
function OwnCalendar({ kind, id, name, shopShifts, days, readOnly }: { kind: ResourceKind; id: number; name: string; shopShifts: ShopShift[]; days: string[]; readOnly: boolean }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: calendarKey(kind, id), queryFn: () => api<CalendarView>(calendarPath(kind, id)) });
  if (q.isError) return <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <p className="muted">{t('common.loading')}</p>;
  return <OwnCalendarForm key={JSON.stringify(q.data.shifts)} view={q.data} name={name} shopShifts={shopShifts} days={days} readOnly={readOnly} />;
}

function OwnCalendarForm({ view, name, shopShifts, days, readOnly }: { view: CalendarView; name: string; shopShifts: ShopShift[]; days: string[]; readOnly: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const kind = view.resource;
  const [rows, setRows] = useState<ShiftRow[] | null>(() => (view.shifts ? rowsFromShifts(view.shifts) : null));
  const [tried, setTried] = useState(false);
  const [confirmRevert, setConfirmRevert] = useState(false);

  const put = useMutation({
    mutationFn: (shifts: ShopShift[] | null) => api<CalendarView>(calendarPath(kind, view.id), { method: 'PUT', body: { version: view.version, shifts } }),
    onSuccess: (r, shifts) => {
      setConfirmRevert(false);
      qc.setQueryData(calendarKey(kind, view.id), r);
      void qc.invalidateQueries({ queryKey: ['planning', 'board'] });
      toast.show(shifts == null ? t('planning.cal.reverted', { name }) : t('planning.cal.saved_own', { name }));
    },
  });
  const server = splitErrors(put.error);
  const testId = `cal-${kind}`;

  if (rows == null) {
    // No week of its own: say what it follows.
    return (
      <section className="panel" data-testid={testId}>
        <h2 className="panel-title">{name}</h2>
        <p data-testid={`${testId}-follows`}>
          {kind === 'machine'
            ? t('planning.cal.machine_follows', { name, total: hoursLabel(weekMinutes(rowsFromShifts(shopShifts))) })
            : t('planning.cal.person_follows', { name })}
        </p>
        {kind === 'machine' && <p className="small muted pl-week-summary">{weekSummary(shopShifts, days, t('planning.cal.never'))}</p>}
        {readOnly ? (
          <p className="small muted">{t('planning.cal.read_only_own')}</p>
        ) : (
          <>
            <button type="button" className="btn btn-primary" onClick={() => setRows(rowsFromShifts(shopShifts))} data-testid={`${testId}-define`}>
              <Icon name="pencil" size={14} /> {t('planning.cal.define_own')}
            </button>
            <p className="small muted">{t('planning.cal.define_own_hint')}</p>
          </>
        )}
      </section>
    );
  }

  const errors = validateShiftRows(rows);
  const saved = view.shifts;
  const dirty = saved == null || !sameWeek(shiftsFromRows(rows), saved);
  return (
    <form
      className="panel"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (errors.size === 0) put.mutate(shiftsFromRows(rows));
      }}
      data-testid={testId}
      noValidate
    >
      <div className="pl-cal-head">
        <h2 className="panel-title">{name}</h2>
        <span className="badge pl-badge-own">{t('planning.cal.own')}</span>
      </div>
      {readOnly && <p className="small muted">{t('planning.cal.read_only_own')}</p>}
      {server.rest ? (
        <ErrorBanner
          error={server.rest}
          {...staleReload(server.rest, t('common.reload'), () => {
            put.reset();
            void qc.invalidateQueries({ queryKey: calendarKey(kind, view.id) });
          })}
        />
      ) : null}
      <WeekGrid rows={rows} onChange={setRows} errors={errors} showAll={tried} readOnly={readOnly} serverError={server.shifts} testId="cal-week" />
      {!readOnly && (
        <>
          {tried && errors.size > 0 && (
            <div className="field-error" role="alert" data-testid={`${testId}-blocked`}>
              {t('planning.cal.err.fix_first')}
            </div>
          )}
          <SaveBar
            dirty={dirty}
            pending={put.isPending}
            onCancel={() => {
              setRows(saved ? rowsFromShifts(saved) : null);
              setTried(false);
              put.reset();
            }}
            testId={testId}
          />
          {saved != null && (
            <div className="pl-cal-revert">
              <button
                type="button"
                className="btn btn-secondary"
                onClick={() => {
                  put.reset();
                  setConfirmRevert(true);
                }}
                data-testid={`${testId}-revert`}
              >
                {kind === 'machine' ? t('planning.cal.revert_machine') : t('planning.cal.revert_person')}
              </button>
            </div>
          )}
          <p className="small muted">{t('planning.cal.replan_hint')}</p>
        </>
      )}
      {confirmRevert && (
        <ConfirmDialog
          title={t('planning.cal.revert_title', { name })}
          confirmLabel={kind === 'machine' ? t('planning.cal.revert_machine') : t('planning.cal.revert_person')}
          pending={put.isPending}
          error={put.error}
          onConfirm={() => put.mutate(null)}
          onCancel={() => setConfirmRevert(false)}
          testId="cal-revert-confirm"
        >
          <p>{kind === 'machine' ? t('planning.cal.revert_body_machine') : t('planning.cal.revert_body_person')}</p>
          {kind === 'machine' && <p className="small muted">{weekSummary(shopShifts, days, t('planning.cal.never'))}</p>}
        </ConfirmDialog>
      )}
    </form>
  );
}
