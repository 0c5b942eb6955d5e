// Proposals side panel: the pending list, and one proposal opened with its moves (before →
// after), the effect on due dates, the planner's diagnostics and KPIs, and Accepter / Rejeter for
// those holding planning.validate. Its `ops` are drawn as ghost bars on the Gantt by the page.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { useFormat } from '../../lib/useFormat';
import { effectTrend, moveChanges } from './gantt';
import { hoursLabel, shortDate, shortDateTime } from './time';
import type { Diagnostic, PlannedSlot, Proposal, ProposalSummary } from './types';

const MAX_MOVES = 60;

export function isStaleError(e: unknown): boolean {
  return isApiError(e) && e.status === 409 && (e.code === 'planning_proposal_stale' || e.code === 'conflict' || e.code === 'stale_version');
}

function Slot({ s, changed }: { s: PlannedSlot | null; changed: { machine: boolean; person: boolean; time: boolean } }) {
  const { t } = useTranslation();
  if (!s) return <span className="muted">{t('planning.proposals.unplanned')}</span>;
  return (
    <span className="pl-slot">
      <span className={changed.machine ? 'pl-chg' : ''}>{s.machine_code ?? '—'}</span>
      {' · '}
      <span className={changed.person ? 'pl-chg' : ''}>{s.person_name ?? '—'}</span>
      {' · '}
      <span className={changed.time ? 'pl-chg' : ''}>{shortDateTime(s.start)}</span>
    </span>
  );
}

export function DiagnosticList({ items, testId }: { items: Diagnostic[]; testId?: string }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <ul className="pl-diags" data-testid={testId}>
      {items.map((d, i) => (
        <li key={i} className={`pl-diag pl-sev-${d.severity}`} data-code={d.code}>
          <Icon name={d.severity === 'info' ? 'bell' : 'alert'} size={14} />
          <span className="pl-sr">{t(`planning.severity.${d.severity}`)} : </span>
          <span>{d.message}</span>
        </li>
      ))}
    </ul>
  );
}

function lateText(min: number, onTime: string): string {
  return min > 0 ? hoursLabel(min) : onTime;
}

export function ProposalDetail({
  p,
  canValidate,
  pending,
  error,
  onAccept,
  onReject,
  onClose,
}: {
  p: Proposal;
  canValidate: boolean;
  pending: boolean;
  error: unknown;
  onAccept: (note: string) => void;
  onReject: (note: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [note, setNote] = useState('');
  const open = p.status === 'en_attente';
  const stale = p.stale || isStaleError(error);
  const moves = p.moves.slice(0, MAX_MOVES);
  return (
    <div className="pl-proposal" data-testid="proposal-detail" data-status={p.status}>
      <div className="pl-prop-head">
        <button type="button" className="btn btn-link btn-sm" onClick={onClose} data-testid="proposal-close">
          <Icon name="chevron_left" size={14} /> {t('planning.proposals.back')}
        </button>
        <h3 className="panel-title">
          <span className="mono" data-testid="proposal-number">{p.number}</span>{' '}
          <span className={`chip pl-prop-${p.status}`} data-testid="proposal-status">
            {p.status_label ?? t(`planning.proposals.status.${p.status}`, { defaultValue: p.status })}
          </span>
        </h3>
        <div className="small">
          <strong>{p.trigger_label}</strong>
          {p.trigger_ref && <> — {p.trigger_ref}</>}
        </div>
        <div className="small muted">{t('planning.proposals.created_by', { who: p.created_by ?? '—', date: f.dateTime(p.created_at) })}</div>
        {p.decided_at && (
          <div className="small muted">
            {t('planning.proposals.decided', { status: t(`planning.proposals.status.${p.status}`), who: p.decided_by ?? '—', date: f.dateTime(p.decided_at) })}
            {p.decision_note && <> — « {p.decision_note} »</>}
          </div>
        )}
        {p.summary && (
          <p className="pl-summary" data-testid="proposal-summary">
            {p.summary}
          </p>
        )}
        {open && p.requires_validation && <p className="small pl-warn">{t('planning.proposals.needs_validation')}</p>}
        <p className="small muted">{t('planning.proposals.ghost_hint')}</p>
      </div>

      {stale && (
        <div className="banner banner-warn" role="alert" data-testid="proposal-stale">
          <Icon name="alert" size={18} />
          <div className="banner-body">
            <strong>{t('planning.proposals.stale')}</strong>
          </div>
        </div>
      )}
      {error && !isStaleError(error) ? <ErrorBanner error={error} /> : null}

      {open && (
        <div className="pl-decide" data-testid="proposal-decide">
          {canValidate ? (
            <>
              <label className="field">
                <span className="field-label">{t('planning.proposals.note')}</span>
                <textarea className="input" rows={2} value={note} onChange={(e) => setNote(e.target.value)} data-testid="proposal-note" />
              </label>
              <div className="pl-decide-buttons">
                <button type="button" className="btn btn-primary" disabled={pending || stale} onClick={() => onAccept(note)} data-testid="proposal-accept">
                  <Icon name="check" size={16} /> {t('planning.proposals.accept')}
                </button>
                <button type="button" className="btn btn-secondary" disabled={pending} onClick={() => onReject(note)} data-testid="proposal-reject">
                  <Icon name="x" size={16} /> {t('planning.proposals.reject')}
                </button>
              </div>
            </>
          ) : (
            <p className="small muted" data-testid="proposal-no-right">
              {t('planning.proposals.no_right')}
            </p>
          )}
        </div>
      )}

      <section>
        <h4 className="pl-h4">{t('planning.proposals.moves', { count: p.moves.length })}</h4>
        {p.moves.length === 0 ? (
          <p className="small muted">{t('planning.proposals.no_moves')}</p>
        ) : (
          <div className="table-scroll">
            <table className="table table-compact pl-moves" data-testid="proposal-moves">
              <thead>
                <tr>
                  <th>{t('planning.proposals.op')}</th>
                  <th>{t('planning.proposals.before')}</th>
                  <th>{t('planning.proposals.after')}</th>
                </tr>
              </thead>
              <tbody>
                {moves.map((m) => {
                  const c = moveChanges(m);
                  return (
                    <tr key={m.op_id} data-testid={`move-row-${m.op_id}`}>
                      <td>
                        <span className="mono">{m.job_number}</span> · {m.label}
                      </td>
                      <td>
                        <Slot s={m.before} changed={{ machine: false, person: false, time: false }} />
                      </td>
                      <td>
                        <Slot s={m.after} changed={c} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {p.moves.length > MAX_MOVES && <p className="small muted">{t('planning.proposals.more_moves', { count: p.moves.length - MAX_MOVES })}</p>}
          </div>
        )}
      </section>

      {p.effects.length > 0 && (
        <section>
          <h4 className="pl-h4">{t('planning.proposals.effects')}</h4>
          <div className="table-scroll">
            <table className="table table-compact" data-testid="proposal-effects">
              <thead>
                <tr>
                  <th>{t('planning.proposals.job')}</th>
                  <th>{t('planning.proposals.due')}</th>
                  <th>{t('planning.proposals.late_before')}</th>
                  <th>{t('planning.proposals.late_after')}</th>
                </tr>
              </thead>
              <tbody>
                {p.effects.map((e) => {
                  const trend = effectTrend(e);
                  return (
                    <tr key={e.job_id} className={`pl-trend-${trend}`} data-trend={trend}>
                      <td className="mono">{e.job_number}</td>
                      <td>{shortDate(e.due)}</td>
                      <td>{lateText(e.late_before_min, t('planning.proposals.on_time'))}</td>
                      <td className="pl-after">{lateText(e.late_after_min, t('planning.proposals.on_time'))}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {p.diagnostics.length > 0 && (
        <section>
          <h4 className="pl-h4">{t('planning.proposals.diagnostics')}</h4>
          <DiagnosticList items={p.diagnostics} testId="proposal-diagnostics" />
        </section>
      )}

      {p.kpis && (
        <section>
          <h4 className="pl-h4">{t('planning.proposals.kpis')}</h4>
          <dl className="pl-kpis" data-testid="proposal-kpis">
            <dt>{t('planning.proposals.kpi.late_jobs')}</dt>
            <dd>{p.kpis.late_jobs}</dd>
            <dt>{t('planning.proposals.kpi.weighted_tardiness')}</dt>
            <dd>{f.number(p.kpis.weighted_tardiness)}</dd>
            <dt>{t('planning.proposals.kpi.makespan_end')}</dt>
            <dd>{shortDateTime(p.kpis.makespan_end, true)}</dd>
            <dt>{t('planning.proposals.kpi.setup_min')}</dt>
            <dd>{hoursLabel(p.kpis.setup_min)}</dd>
            <dt>{t('planning.proposals.kpi.planned_ops')}</dt>
            <dd>{p.kpis.planned_ops}</dd>
            <dt>{t('planning.proposals.kpi.unplanned_ops')}</dt>
            <dd className={p.kpis.unplanned_ops > 0 ? 'pl-bad' : ''}>{p.kpis.unplanned_ops}</dd>
            <dt>{t('planning.proposals.kpi.elapsed_ms')}</dt>
            <dd>{f.number(p.kpis.elapsed_ms / 1000, 1)} s</dd>
          </dl>
        </section>
      )}
    </div>
  );
}

export function ProposalList({ items, onOpen }: { items: ProposalSummary[]; onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (items.length === 0) return <p className="small muted" data-testid="proposals-empty">{t('planning.proposals.none')}</p>;
  return (
    <ul className="pl-prop-list" data-testid="proposals-list">
      {items.map((p) => (
        <li key={p.id}>
          <button type="button" className="pl-prop-item" onClick={() => onOpen(p.id)} data-testid={`proposal-${p.id}`}>
            <span className="pl-prop-line">
              <strong className="mono">{p.number}</strong>
              <span className="small muted">{f.dateTime(p.created_at)}</span>
            </span>
            <span className="small">
              {p.trigger_label}
              {p.trigger_ref && <> — {p.trigger_ref}</>}
            </span>
            {p.summary && <span className="small muted">{p.summary}</span>}
            {p.stale && <span className="chip pl-prop-perimee">{t('planning.proposals.status.perimee')}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
