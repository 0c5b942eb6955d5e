// /time — "Pointage": clock in / out and today's minutes, the week's timesheet (days, totals,
// overtime 25 % / 50 %, 12-week average, warnings) and the manual entry form (a request checked
// by the chef d'atelier). Supervisors may show another person's week and enter time for him.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { QueueBanner, useFloorAction, useQueueRunner } from '../shopfloor/components';
import { formatDuration, isoWeek, isSupervisor, localInputToIso, shiftWeek } from '../shopfloor/logic';
import type { BoardView, ClockView, TimeEntryView, TimesheetView } from '../shopfloor/types';
import '../shopfloor/shopfloor.css';

function ClockPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['shop-floor', 'clock'], queryFn: () => api<ClockView>('/time/clock'), refetchInterval: 60_000 });
  const action = useFloorAction();
  const clock = async (dir: 'in' | 'out') => {
    const label = dir === 'in' ? t('time.clock_in') : t('time.clock_out');
    const r = await action.run<ClockView>('/time/clock', { action: dir }, label);
    if (r.status === 'sent') qc.setQueryData(['shop-floor', 'clock'], r.data);
    else if (r.status === 'queued' && q.data) qc.setQueryData(['shop-floor', 'clock'], { ...q.data, clocked_in: dir === 'in', since: dir === 'in' ? new Date().toISOString() : null });
    void qc.invalidateQueries({ queryKey: ['shop-floor', 'timesheet'] });
  };
  return (
    <section className="panel sf-clock" data-testid="clock-panel">
      {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <>
          <div className="sf-clock-state" data-testid="clock-state">
            {q.data.clocked_in ? t('time.clocked_in_since', { time: q.data.since ? f.dateTime(q.data.since) : '' }) : t('time.clocked_out_now')}
          </div>
          <div data-testid="clock-today">{t('time.today', { d: formatDuration(q.data.today_min) })}</div>
          <button
            type="button"
            className={`btn sf-big sf-huge ${q.data.clocked_in ? 'sf-btn-finish' : 'sf-btn-start'}`}
            disabled={action.pending}
            onClick={() => void clock(q.data.clocked_in ? 'out' : 'in')}
            data-testid="clock-button"
          >
            <Icon name="time_tracking" size={28} /> {q.data.clocked_in ? t('time.clock_out') : t('time.clock_in')}
          </button>
        </>
      )}
      {action.error ? <ErrorBanner error={action.error} /> : null}
    </section>
  );
}

function Timesheet({ userId, week, setWeek }: { userId: number | null; week: string; setWeek: (w: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['shop-floor', 'timesheet', userId, week],
    queryFn: () => api<TimesheetView>('/time/timesheet', { query: { week, user_id: userId ?? undefined } }),
  });
  return (
    <section className="panel" data-testid="timesheet">
      <div className="sf-week-nav">
        <button type="button" className="btn btn-secondary sf-touch" onClick={() => setWeek(shiftWeek(week, -1))} aria-label={t('time.previous_week')} data-testid="week-prev">
          <Icon name="chevron_left" size={22} />
        </button>
        <h3 className="panel-title sf-grow" style={{ margin: 0 }} data-testid="week-title">
          {q.data ? t('time.week_of', { week: q.data.week, name: q.data.user_name }) : week}
        </h3>
        <button type="button" className="btn btn-secondary sf-touch" onClick={() => setWeek(shiftWeek(week, 1))} aria-label={t('time.next_week')} data-testid="week-next">
          <Icon name="chevron_right" size={22} />
        </button>
      </div>
      {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <>
          <table className="sf-table">
            <thead>
              <tr>
                <th>{t('time.day')}</th>
                <th>{t('time.presence')}</th>
                <th>{t('time.operations')}</th>
              </tr>
            </thead>
            <tbody>
              {q.data.days.map((d) => (
                <tr key={d.date} data-testid={`day-${d.date}`}>
                  <td>{new Date(`${d.date}T12:00:00`).toLocaleDateString(f.lang === 'en' ? 'en-GB' : 'fr-FR', { weekday: 'short', day: 'numeric', month: 'short' })}</td>
                  <td>{formatDuration(d.presence_min)}</td>
                  <td>{formatDuration(d.operation_min)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td>{t('time.total')}</td>
                <td data-testid="week-total">{formatDuration(q.data.total_min)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
          <dl className="sf-kpis" style={{ marginTop: 12 }}>
            <div>
              <dt>{t('time.overtime_25')}</dt>
              <dd data-testid="ot25">{formatDuration(q.data.overtime_25_min)}</dd>
            </div>
            <div>
              <dt>{t('time.overtime_50')}</dt>
              <dd data-testid="ot50">{formatDuration(q.data.overtime_50_min)}</dd>
            </div>
            <div>
              <dt>{t('time.average_12w')}</dt>
              <dd data-testid="avg12">{formatDuration(q.data.average_12w_min)}</dd>
            </div>
          </dl>
          {q.data.pending > 0 && <p className="small">{t('time.pending_count', { count: q.data.pending })}</p>}
          {q.data.warnings.length > 0 && (
            <div className="banner banner-warn" data-testid="timesheet-warnings">
              <Icon name="alert" size={20} />
              <ul className="sf-warnings">
                {q.data.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function ManualEntry({ userId }: { userId: number | null }) {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const [kind, setKind] = useState<'presence' | 'operation'>('presence');
  const [opId, setOpId] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const m = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<TimeEntryView>('/time/entries', { method: 'POST', body }),
    onSuccess: (e) => {
      setWarnings(e.warnings ?? []);
      toast.show(t('time.submitted'));
      setReason('');
      void qc.invalidateQueries({ queryKey: ['shop-floor', 'timesheet'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const s = localInputToIso(start);
    const en = localInputToIso(end);
    if (!s || !en || en <= s) return setProblem(t('time.dates_required'));
    if (kind === 'operation' && !/^\d+$/.test(opId.trim())) return setProblem(t('time.operation_required'));
    if (!reason.trim()) return setProblem(t('time.reason_required'));
    setProblem(null);
    setWarnings([]);
    m.mutate({
      kind,
      started_at: s,
      ended_at: en,
      reason: reason.trim(),
      ...(kind === 'operation' ? { operation_id: Number(opId) } : {}),
      ...(userId != null ? { user_id: userId } : {}),
    });
  };
  return (
    <section className="panel" data-testid="manual-entry">
      <h3 className="panel-title">{t('time.manual_title')}</h3>
      <p className="hint">{t('time.manual_hint')}</p>
      <form className="sf-stack" onSubmit={submit}>
        <div className="sf-reasons">
          {(['presence', 'operation'] as const).map((k) => (
            <button key={k} type="button" className="btn btn-secondary" aria-pressed={kind === k} onClick={() => setKind(k)} data-testid={`entry-kind-${k}`}>
              {t(`time.kind_${k}`)}
            </button>
          ))}
        </div>
        {kind === 'operation' && (
          <label className="sf-field">
            {t('time.operation_id')}
            <input className="input sf-input" inputMode="numeric" value={opId} onChange={(e) => setOpId(e.target.value)} data-testid="entry-op" />
          </label>
        )}
        <div className="sf-hm">
          <label className="sf-field">
            {t('time.started_at')}
            <input className="input sf-input" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} data-testid="entry-start" />
          </label>
          <label className="sf-field">
            {t('time.ended_at')}
            <input className="input sf-input" type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} data-testid="entry-end" />
          </label>
        </div>
        <label className="sf-field">
          {t('time.reason')}
          <input className="input sf-input" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="entry-reason" />
        </label>
        {problem && <p className="field-error">{problem}</p>}
        {m.isError && <ErrorBanner error={m.error} />}
        {warnings.length > 0 && (
          <div className="banner banner-warn" data-testid="entry-warnings">
            <Icon name="alert" size={20} />
            <ul className="sf-warnings">
              {warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          </div>
        )}
        <button type="submit" className="btn btn-primary sf-big" disabled={m.isPending} data-testid="entry-submit">
          {t('time.submit')}
        </button>
      </form>
    </section>
  );
}

export function TimePage() {
  const { t } = useTranslation();
  const me = useMe();
  const supervisor = isSupervisor(me.roles);
  const [week, setWeek] = useState(() => isoWeek(new Date()));
  const [userId, setUserId] = useState<number | null>(null);
  useQueueRunner();
  // The people a supervisor may pick: the operators of the live board.
  const people = useQuery({ queryKey: ['shop-floor', 'board'], queryFn: () => api<BoardView>('/shop-floor/board'), enabled: supervisor });
  return (
    <div className="page sf-page" data-testid="time-page">
      <PageHeader
        crumbs={[{ label: t('time.title') }]}
        actions={
          supervisor && can(me, 'time_tracking', 'read') ? (
            <Link to="/time/requests" className="btn btn-secondary sf-touch" data-testid="time-requests-link">
              {t('time.requests_link')}
            </Link>
          ) : undefined
        }
      />
      <QueueBanner />
      {userId == null && <ClockPanel />}
      {supervisor && (
        <label className="sf-field" style={{ margin: '12px 0' }}>
          {t('time.person')}
          <select className="input sf-input" value={userId ?? ''} onChange={(e) => setUserId(e.target.value ? Number(e.target.value) : null)} data-testid="time-person">
            <option value="">{t('time.me')}</option>
            {people.data?.operators
              .filter((o) => o.user_id !== me.id)
              .map((o) => (
                <option key={o.user_id} value={o.user_id}>
                  {o.name}
                </option>
              ))}
          </select>
        </label>
      )}
      <Timesheet userId={userId} week={week} setWeek={setWeek} />
      <ManualEntry userId={userId} />
    </div>
  );
}
