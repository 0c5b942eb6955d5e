// The operator's action page of one operation (/operations/:id with the time-tracking right):
// status, quantities, Démarrer / Pause / Reprendre / Déclarer / Terminer as the server's `can`
// allows, the saw plan of a débit, the instrument check of a control, broken tool, comments,
// real vs estimated time and the work sessions. Every POST goes through the offline queue.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { LabelPrintButton } from '../../components/LabelPrintButton';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../lib/useFormat';
import { PHONE_QUERY } from '../../lib/useMediaQuery';
import { can as canDo } from '../../modules';
import { QueueBanner, StatusChip, useFloorAction, useQueueRunner } from './components';
import { formatDuration, ratioPct, visibleActions, type ActionKind } from './logic';
import { OperationCrumbs, RoutingInfo } from './RoutingInfo';
import { BrokenToolSheet, CommentSheet, InstrumentSheet, PauseSheet, QuantitySheet, SawPlanPanel, Sessions } from './sheets';
import type { Can, FloorOperationView } from './types';

/** An offcut the operation put back in stock (FloorOperationView.offcuts). */
interface Offcut {
  stock_id: number;
  length_mm: string | number;
  diameter_mm: string | number;
  location_id: number | null;
}

/** The offcuts a finished débit put back in stock, with their labels to print. */
function OffcutsPanel({ offcuts }: { offcuts: Offcut[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section className="panel" data-testid="op-offcuts">
      <h3 className="panel-title">{t('followup.offcuts_title')}</h3>
      <ul className="sf-sessions">
        {offcuts.map((o) => (
          <li key={o.stock_id} data-testid={`offcut-${o.stock_id}`}>
            <strong>{t('followup.offcut_line', { d: f.number(o.diameter_mm), len: f.number(o.length_mm) })}</strong>
            <Link to={`/material-stock/${o.stock_id}`} className="small mono">
              #{o.stock_id}
            </Link>
          </li>
        ))}
      </ul>
      <p className="small sf-muted">{t('followup.offcuts_hint')}</p>
      <LabelPrintButton entity="material-stock" ids={offcuts.map((o) => o.stock_id)} />
    </section>
  );
}

type SheetKind = 'pause' | 'report' | 'finish' | 'instrument' | 'broken' | 'comment' | null;

const NONE: Can = { start: false, pause: false, resume: false, report: false, finish: false };

/** What the screen shows right after an action was queued offline (the server confirms later). */
function optimistic(view: FloorOperationView, kind: ActionKind, label: (s: string) => string): FloorOperationView {
  switch (kind) {
    case 'start':
    case 'resume':
      return { ...view, status: 'en_cours', status_label: label('en_cours'), my_session_open: true, can: { ...NONE, pause: true, report: true, finish: true } };
    case 'pause':
      return { ...view, status: 'en_pause', status_label: label('en_pause'), my_session_open: false, can: { ...NONE, resume: true, report: true, finish: true } };
    case 'finish':
      return { ...view, status: 'termine', status_label: label('termine'), my_session_open: false, can: NONE };
    default:
      return view;
  }
}

export function FloorOperation({ id }: { id: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const key = ['shop-floor', 'operation', id];
  useQueueRunner();
  const q = useQuery({ queryKey: key, queryFn: () => api<FloorOperationView>(`/shop-floor/operations/${id}`) });
  const action = useFloorAction();
  const [sheet, setSheet] = useState<SheetKind>(null);
  // The routing information is folded on a phone (actions first), open on a PC.
  const [routingOpen] = useState(() => typeof window !== 'undefined' && !!window.matchMedia && !window.matchMedia(PHONE_QUERY).matches);

  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page sf-page">
        <PageHeader crumbs={[{ label: t('jobs.operation_title') }]} />
        <QueueBanner />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  const v = q.data;
  const op = v.operation;
  const opLabel = `${v.job_number} ${t('shopfloor.op', { n: op.position })}`;
  const set = (next: FloorOperationView) => qc.setQueryData(key, next);
  const statusLabel = (s: string) => t(`shopfloor.status.${s}`);
  const canAct = canDo(me, 'time_tracking', 'create');

  /** A status action: the answer replaces the view; a queued one shows its expected effect. */
  const act = async (kind: ActionKind, body: Record<string, unknown> = {}): Promise<boolean> => {
    const r = await action.run<FloorOperationView>(`/shop-floor/operations/${id}/${kind}`, body, `${t(`shopfloor.${kind}`)} — ${opLabel}`, Number(id));
    if (r.status === 'sent') set(r.data);
    else if (r.status === 'queued') set(optimistic(v, kind, statusLabel));
    return r.status !== 'error';
  };

  const actions = canAct ? visibleActions(v.can) : [];
  const est = Number(v.estimated_min ?? 0);
  const real = v.actual_min ?? v.measured_min;
  const ratio = ratioPct(real, v.estimated_min);
  // Sent by the server since the offcut follow-up; absent from older payloads.
  const offcuts = (v as FloorOperationView & { offcuts?: Offcut[] }).offcuts ?? [];

  return (
    <div className="page sf-page j-opage" data-testid="operation-page">
      <OperationCrumbs jobId={v.job_id} jobNumber={v.job_number} position={op.position} canJob={canDo(me, 'routings', 'read')} />
      <QueueBanner />
      <section className="panel sf-head" data-testid="operation-head">
        <div className="sf-row">
          <StatusChip status={v.status} label={v.status_label} testId="op-status" />
          <span className={`j-proc j-proc-${op.process}`}>{op.process_label}</span>
          {v.time_status && v.time_status !== 'mesure' && <span className="sf-chip sf-st-en_pause">{t(`shopfloor.time_status.${v.time_status}`, { defaultValue: v.time_status })}</span>}
        </div>
        <h2>
          <span className="mono">{op.position}</span> {op.label}
        </h2>
        <div className="sf-card-machine" data-testid="op-machine">
          {op.machine_code ? `${op.machine_code} — ${op.machine_name ?? ''}` : (op.work_centre_label ?? op.work_centre ?? op.supplier_name ?? '—')}
        </div>
        <div className="small">
          <strong className="mono">{v.job_number}</strong>
          {v.order_number && <span className="sf-muted"> · {v.order_number}</span>}
          {v.part_reference && <strong> · {v.part_reference}</strong>} {v.designation}
          {v.client_name && <span className="sf-muted"> — {v.client_name}</span>}
        </div>
        {v.assigned_name && <div className="small sf-muted">{t('shopfloor.assigned', { name: v.assigned_name })}</div>}
        <dl className="sf-kpis" data-testid="op-quantities">
          <div>
            <dt>{t('shopfloor.input')}</dt>
            <dd>{v.input_available}</dd>
          </div>
          <div>
            <dt>{t('shopfloor.good')}</dt>
            <dd data-testid="op-good">{v.qty_good}</dd>
          </div>
          <div>
            <dt>{t('shopfloor.scrap')}</dt>
            <dd data-testid="op-scrap">{v.qty_scrap}</dd>
          </div>
          {v.qty_rework > 0 && (
            <div>
              <dt>{t('shopfloor.rework')}</dt>
              <dd>{v.qty_rework}</dd>
            </div>
          )}
        </dl>
      </section>

      {action.error ? <ErrorBanner error={action.error} /> : null}

      {canAct && (
        <div className="sf-actions" data-testid="op-actions">
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              className={`btn sf-big ${a === 'start' || a === 'resume' ? 'sf-btn-start' : a === 'pause' ? 'sf-btn-pause' : a === 'finish' ? 'sf-btn-finish' : 'btn-secondary'}`}
              disabled={action.pending}
              onClick={() => {
                action.setError(null);
                if (a === 'start' || a === 'resume') void act(a);
                else setSheet(a === 'pause' ? 'pause' : a === 'report' ? 'report' : 'finish');
              }}
              data-testid={`action-${a}`}
            >
              <Icon name={a === 'pause' ? 'time_tracking' : a === 'finish' ? 'check' : a === 'report' ? 'plus' : 'chevron_right'} size={24} />
              {t(`shopfloor.${a}`)}
            </button>
          ))}
          {actions.length === 0 && v.status !== 'termine' && <p className="muted">{t('shopfloor.no_action')}</p>}
        </div>
      )}

      {v.is_debit && v.status !== 'termine' && <SawPlanPanel id={id} />}

      {offcuts.length > 0 && <OffcutsPanel offcuts={offcuts} />}

      {v.is_control && (
        <section className="panel" data-testid="op-instruments">
          <h3 className="panel-title">{t('shopfloor.instruments_title')}</h3>
          {v.instruments_checked.length === 0 ? (
            <p className="muted">{t('shopfloor.no_instrument')}</p>
          ) : (
            <ul className="sf-sessions">
              {v.instruments_checked.map((i) => (
                <li key={i.instrument_id} className={i.state === 'valide' ? '' : 'sf-refused'}>
                  <strong className="mono">{i.code}</strong> {i.label} <span className="sf-chip">{i.state}</span>
                </li>
              ))}
            </ul>
          )}
          {canAct && (
            <button type="button" className="btn btn-primary sf-big btn-block" onClick={() => setSheet('instrument')} data-testid="action-instrument" style={{ marginTop: 8 }}>
              <Icon name="scan" size={22} /> {t('shopfloor.scan_instrument')}
            </button>
          )}
        </section>
      )}

      {canAct && (
        <div className="sf-secondary-actions">
          {op.tools.length > 0 && v.status !== 'termine' && (
            <button type="button" className="btn btn-secondary" onClick={() => setSheet('broken')} data-testid="action-broken">
              <Icon name="tools" size={20} /> {t('shopfloor.broken_tool')}
            </button>
          )}
          <button type="button" className="btn btn-secondary" onClick={() => setSheet('comment')} data-testid="action-comment">
            <Icon name="pencil" size={20} /> {t('shopfloor.comment_btn')}
          </button>
        </div>
      )}

      <section className="panel" data-testid="op-times">
        <h3 className="panel-title">{t('shopfloor.times')}</h3>
        <dl className="sf-kpis">
          <div>
            <dt>{t('shopfloor.estimated')}</dt>
            <dd data-testid="op-estimated">{formatDuration(v.estimated_min)}</dd>
          </div>
          <div>
            <dt>{t('shopfloor.measured')}</dt>
            <dd data-testid="op-measured" className={est > 0 && Number(v.measured_min) > est ? 'sf-over' : ''}>
              {formatDuration(v.measured_min)}
            </dd>
          </div>
          {v.machine_min != null && (
            <div>
              <dt>{t('shopfloor.machine_time')}</dt>
              <dd>{formatDuration(v.machine_min)}</dd>
            </div>
          )}
          {v.actual_min != null && (
            <div>
              <dt>{t('shopfloor.actual')}</dt>
              <dd data-testid="op-actual">{formatDuration(v.actual_min)}</dd>
            </div>
          )}
        </dl>
        {ratio != null && ratio > 0 && <p className={`small ${ratio > 100 ? 'sf-over' : 'sf-muted'}`}>{t('shopfloor.ratio', { pct: ratio })}</p>}
        {v.tool_changes > 0 && <p className="small">{t('shopfloor.tool_changes', { n: v.tool_changes })}</p>}
        <h4>{t('shopfloor.sessions')}</h4>
        <Sessions view={v} />
      </section>

      {v.warnings.length > 0 && (
        <section className="banner banner-warn" data-testid="op-warnings">
          <Icon name="alert" size={20} />
          <div className="banner-body">
            <strong>{t('shopfloor.warnings')}</strong>
            <ul className="sf-warnings">
              {v.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          </div>
        </section>
      )}

      <details className="sf-details" data-testid="op-routing" open={routingOpen}>
        <summary>
          <Icon name="routings" size={20} /> {t('shopfloor.routing_info')}
        </summary>
        <RoutingInfo op={op} jobId={v.job_id} jobNumber={v.job_number} />
      </details>

      {sheet === 'pause' && (
        <PauseSheet
          view={v}
          pending={action.pending}
          error={action.error}
          onClose={() => setSheet(null)}
          onSubmit={async (body) => {
            if (await act('pause', body)) setSheet(null);
          }}
        />
      )}
      {sheet === 'report' && (
        <QuantitySheet
          view={v}
          mode="report"
          pending={action.pending}
          error={action.error}
          onClose={() => setSheet(null)}
          onSubmit={async (body) => {
            if (await act('report', body)) setSheet(null);
          }}
        />
      )}
      {sheet === 'finish' && (
        <QuantitySheet
          view={v}
          mode="finish"
          id={id}
          pending={action.pending}
          error={action.error}
          refresh={async () => (await q.refetch()).data ?? v}
          onClose={() => setSheet(null)}
          onSubmit={async (body) => {
            if (await act('finish', body)) setSheet(null);
          }}
        />
      )}
      {sheet === 'instrument' && <InstrumentSheet id={id} opLabel={opLabel} onDone={set} onClose={() => setSheet(null)} />}
      {sheet === 'broken' && <BrokenToolSheet id={id} view={v} opLabel={opLabel} onDone={set} onClose={() => setSheet(null)} />}
      {sheet === 'comment' && <CommentSheet id={id} opLabel={opLabel} onClose={() => setSheet(null)} />}
    </div>
  );
}
