// /shop-floor/board — "Atelier en direct": one tile per machine (marche / pause / arrêt, job,
// part, operation, operators, progress, measured vs estimated, late) and the operators with their
// clock-in state. Re-read on every `shop_floor` server-sent event (debounced), and every minute.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../lib/useFormat';
import { formatDuration, machineStateClass, machineTitle } from './logic';
import { subscribeEvents } from './sse';
import type { BoardMachine, BoardView } from './types';
import './shopfloor.css';

const BOARD_KEY = ['shop-floor', 'board'];

/** Re-reads the board on each shop_floor event, at most every `debounceMs`; true while connected. */
export function useLiveBoard(debounceMs = 400): boolean {
  const qc = useQueryClient();
  const [live, setLive] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        void qc.invalidateQueries({ queryKey: BOARD_KEY });
      }, debounceMs);
    };
    const stop = subscribeEvents({
      onOpen: () => {
        setLive(true);
        refresh();
      },
      onError: () => setLive(false),
      onEvent: (e) => {
        if (e.event === 'shop_floor') refresh();
      },
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [qc, debounceMs]);
  return live;
}

function MachineTile({ m }: { m: BoardMachine }) {
  const { t } = useTranslation();
  const opLabel = m.operation_label ?? m.op_label ?? null;
  const pct = Math.max(0, Math.min(100, Math.round(m.progress_pct ?? 0)));
  const over = Number(m.estimated_min) > 0 && Number(m.measured_min) > Number(m.estimated_min);
  return (
    <article className={`sf-tile ${machineStateClass(m.status)}`} data-testid={`machine-${m.machine_id}`} data-status={m.status}>
      <div className="sf-tile-head">
        <span className="sf-tile-name">{machineTitle(m)}</span>
        <span className="sf-state" data-testid="machine-state">
          {t(`shopfloor.machine_state.${m.status}`, { defaultValue: m.status })}
        </span>
      </div>
      {m.operation_id ? (
        <>
          <Link to={`/operations/${m.operation_id}`} className="small" data-testid="machine-op">
            <strong className="mono">{m.job_number}</strong>
            {m.part_reference && <> · {m.part_reference}</>}
            {opLabel && <> · {opLabel}</>}
          </Link>
          {m.operators.length > 0 && <div className="small">{m.operators.join(', ')}</div>}
          <div className="sf-bar" aria-label={`${pct} %`}>
            <span style={{ width: `${pct}%` }} />
          </div>
          <div className="sf-card-foot">
            <span className="sf-qty" data-testid="machine-qty">
              {m.qty_good} / {m.quantity}
            </span>
            <span className={over ? 'sf-over' : 'sf-muted'}>
              {formatDuration(m.measured_min)} / {formatDuration(m.estimated_min)}
            </span>
          </div>
          {m.status === 'pause' && m.pause_reason && <span className="sf-chip sf-st-en_pause">{m.pause_reason}</span>}
          {m.late && <span className="sf-chip sf-late">{t('shopfloor.late')}</span>}
        </>
      ) : (
        <div className="small sf-muted">{t('shopfloor.board_idle')}</div>
      )}
    </article>
  );
}

export function BoardPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const live = useLiveBoard();
  const q = useQuery({ queryKey: BOARD_KEY, queryFn: () => api<BoardView>('/shop-floor/board'), refetchInterval: 60_000, staleTime: 0 });
  return (
    <div className="page sf-board" data-testid="shopfloor-board">
      <PageHeader
        crumbs={[{ label: t('shopfloor.board_title') }]}
        actions={
          <span className={`sf-live ${live ? 'on' : ''}`} data-testid="board-live">
            {live ? t('shopfloor.board_live') : t('shopfloor.board_reconnecting')}
          </span>
        }
      />
      {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <>
          <p className="small sf-muted" data-testid="board-updated">
            {t('shopfloor.board_updated', { time: f.dateTime(q.data.updated_at, true) })}
          </p>
          {q.data.machines.length === 0 ? (
            <p className="muted">{t('shopfloor.no_machines')}</p>
          ) : (
            <div className="sf-tiles" data-testid="board-machines">
              {q.data.machines.map((m) => (
                <MachineTile key={m.machine_id} m={m} />
              ))}
            </div>
          )}
          <section className="panel" style={{ marginTop: 16 }}>
            <h3 className="panel-title">{t('shopfloor.operators_title')}</h3>
            <ul className="sf-operators" data-testid="board-operators">
              {q.data.operators.map((o) => (
                <li key={o.user_id} data-testid={`operator-${o.user_id}`}>
                  <span>
                    <span className={`sf-dot ${o.clocked_in ? 'on' : ''}`} />
                    <strong>{o.name}</strong>
                    <span className="small sf-muted" style={{ display: 'block' }}>
                      {o.clocked_in ? t('shopfloor.clocked_in', { time: o.since ? f.dateTime(o.since) : '' }) : t('shopfloor.clocked_out')}
                    </span>
                  </span>
                  {o.operations.length > 0 && <span className="small">{t('shopfloor.on_ops', { count: o.operations.length })}</span>}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
      {q.isPending && <p className="muted">{t('common.loading')}</p>}
    </div>
  );
}
