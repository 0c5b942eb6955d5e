// The sheets of the operation page: pause reasons, quantities (report / finish with the time
// step), saw plan, instrument check, broken tool, comments; and the work sessions list.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { useFormat } from '../../lib/useFormat';
import { QrScanner, Sheet, useFloorAction } from './components';
import { formatDuration, minutesBetween, needsApproval, parseHoursMinutes, pauseNoteMissing, quantityError, splitMinutes, toolNames } from './logic';
import type { BrokenToolProposal, BrokenToolResult, CommentView, FloorOperationView, SawPlanView } from './types';

export function Sessions({ view }: { view: FloorOperationView }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (view.sessions.length === 0) return <p className="muted">{t('shopfloor.no_sessions')}</p>;
  return (
    <ul className="sf-sessions" data-testid="op-sessions">
      {view.sessions.map((s, i) => (
        <li key={i} data-testid="op-session">
          <strong>{s.user_name}</strong>
          <span>
            {f.dateTime(s.started_at)} → {s.ended_at ? f.dateTime(s.ended_at) : <em>{t('shopfloor.session_open')}</em>}
          </span>
          <span className="sf-muted">{formatDuration(minutesBetween(s.started_at, s.ended_at ?? new Date()))}</span>
          {s.end_reason_label && <span className="sf-chip sf-st-en_pause">{s.end_reason_label}</span>}
        </li>
      ))}
    </ul>
  );
}

function SheetButtons({ onCancel, confirm, pending, disabled, testId }: { onCancel: () => void; confirm: string; pending: boolean; disabled?: boolean; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="sf-sheet-actions">
      <button type="submit" className="btn btn-primary sf-big" disabled={pending || disabled} data-testid={`${testId}-ok`}>
        {confirm}
      </button>
      <button type="button" className="btn btn-secondary sf-big" onClick={onCancel} data-testid={`${testId}-cancel`}>
        {t('common.cancel')}
      </button>
    </div>
  );
}

export function PauseSheet({
  view,
  pending,
  error,
  onClose,
  onSubmit,
}: {
  view: FloorOperationView;
  pending: boolean;
  error: unknown;
  onClose: () => void;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const missing = pauseNoteMissing(reason, note);
  return (
    <Sheet title={t('shopfloor.pause_title')} onClose={onClose} testId="pause-sheet">
      <form
        className="sf-stack"
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (!reason || missing) return;
          void onSubmit({ reason, ...(note.trim() ? { note: note.trim() } : {}) });
        }}
      >
        <div className="sf-reasons" role="group" aria-label={t('shopfloor.pause_title')}>
          {view.pause_reasons.map((r) => (
            <button
              key={r.code}
              type="button"
              className="btn btn-secondary"
              aria-pressed={reason === r.code}
              disabled={pending}
              onClick={() => {
                setReason(r.code);
                // One tap with gloves: a reason sends the pause at once; "Autre" asks for a note first.
                if (r.code !== 'autre') void onSubmit({ reason: r.code });
              }}
              data-testid={`reason-${r.code}`}
            >
              {r.label}
            </button>
          ))}
        </div>
        {reason === 'autre' && (
          <label className="sf-field">
            {t('shopfloor.pause_note')}
            <input className="input sf-input" value={note} onChange={(e) => setNote(e.target.value)} aria-invalid={tried && missing} data-testid="pause-note" autoFocus />
          </label>
        )}
        {tried && missing && <p className="field-error">{t('shopfloor.pause_note_required')}</p>}
        {error ? <ErrorBanner error={error} /> : null}
        {reason === 'autre' ? (
          <SheetButtons onCancel={onClose} confirm={t('shopfloor.pause_confirm')} pending={pending} testId="pause" />
        ) : (
          <button type="button" className="btn btn-secondary sf-big" onClick={onClose} data-testid="pause-cancel">
            {t('common.cancel')}
          </button>
        )}
      </form>
    </Sheet>
  );
}

function intOf(s: string): number {
  return s.trim() === '' ? 0 : Number(s);
}

/** Report (partial quantities) or finish (quantities, then the time step). */
export function QuantitySheet({
  view,
  mode,
  id,
  pending,
  error,
  refresh,
  onClose,
  onSubmit,
}: {
  view: FloorOperationView;
  mode: 'report' | 'finish';
  id?: string;
  pending: boolean;
  error: unknown;
  refresh?: () => Promise<FloorOperationView>;
  onClose: () => void;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const done = view.qty_good + view.qty_scrap;
  const left = Math.max(0, view.input_available - done);
  const [good, setGood] = useState(mode === 'finish' ? String(left) : '');
  const [scrap, setScrap] = useState('');
  const [rework, setRework] = useState('');
  const [reason, setReason] = useState('');
  const [toolChange, setToolChange] = useState(false);
  const [comment, setComment] = useState('');
  const [stockId, setStockId] = useState<number | null>(null);
  const [step, setStep] = useState<'qty' | 'time'>('qty');
  const [measured, setMeasured] = useState<string | number | null>(view.measured_min);
  const [other, setOther] = useState(false);
  const init = splitMinutes(view.measured_min);
  const [h, setH] = useState(init.h);
  const [m, setM] = useState(init.m);
  const [tried, setTried] = useState(false);

  const g = intOf(good);
  const sc = intOf(scrap);
  const rw = intOf(rework);
  const qErr = quantityError(g, sc, view.input_available, done) ?? (Number.isInteger(rw) && rw >= 0 ? null : 'negative');
  const needsReason = sc > 0 || rw > 0;
  const reasonMissing = needsReason && !reason;
  const body = (): Record<string, unknown> => ({
    good: g,
    scrap: sc,
    ...(rw > 0 ? { rework: rw } : {}),
    ...(needsReason ? { scrap_reason: reason } : {}),
    ...(mode === 'report' && comment.trim() ? { note: comment.trim() } : {}),
    ...(mode === 'finish' ? { tool_change: toolChange } : {}),
    ...(mode === 'finish' && comment.trim() ? { comment: comment.trim() } : {}),
    ...(mode === 'finish' && stockId != null ? { stock_id: stockId } : {}),
  });
  const declared = parseHoursMinutes(h, m);

  if (step === 'time') {
    return (
      <Sheet title={t('shopfloor.finish_title')} onClose={onClose} testId="finish-time">
        <p className="sf-measured" data-testid="measured-time">
          {t('shopfloor.measured_time', { d: formatDuration(measured) })}
        </p>
        {error ? <ErrorBanner error={error} /> : null}
        {!other ? (
          <div className="sf-stack">
            <button type="button" className="btn btn-primary sf-big sf-huge" disabled={pending} onClick={() => void onSubmit(body())} data-testid="finish-confirm">
              <Icon name="check" size={26} /> {t('shopfloor.confirm_time')}
            </button>
            <button type="button" className="btn btn-secondary sf-big" onClick={() => setOther(true)} data-testid="finish-other">
              {t('shopfloor.other_time')}
            </button>
            <button type="button" className="btn btn-link sf-touch" onClick={() => setStep('qty')}>
              <Icon name="chevron_left" size={18} /> {t('shopfloor.back')}
            </button>
          </div>
        ) : (
          <form
            className="sf-stack"
            onSubmit={(e) => {
              e.preventDefault();
              setTried(true);
              if (typeof declared !== 'number') return;
              void onSubmit({ ...body(), declared_min: String(declared) });
            }}
          >
            <div className="sf-hm">
              <label className="sf-field">
                {t('shopfloor.hours')}
                <input className="input sf-input" inputMode="numeric" value={h} onChange={(e) => setH(e.target.value)} data-testid="declared-h" />
              </label>
              <label className="sf-field">
                {t('shopfloor.minutes')}
                <input className="input sf-input" inputMode="numeric" value={m} onChange={(e) => setM(e.target.value)} data-testid="declared-m" />
              </label>
            </div>
            {tried && typeof declared !== 'number' && <p className="field-error">{t('shopfloor.declared_invalid')}</p>}
            {typeof declared === 'number' && needsApproval(declared, measured) && (
              <div className="banner banner-warn" data-testid="declared-warn">
                <Icon name="alert" size={20} />
                <span>{t('shopfloor.declared_warn')}</span>
              </div>
            )}
            <SheetButtons onCancel={() => setOther(false)} confirm={t('shopfloor.confirm_declared')} pending={pending} testId="declared" />
          </form>
        )}
      </Sheet>
    );
  }

  return (
    <Sheet title={mode === 'finish' ? t('shopfloor.finish_title') : t('shopfloor.report_title')} onClose={onClose} testId={`${mode}-sheet`}>
      <form
        className="sf-stack"
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (qErr || reasonMissing) return;
          if (mode === 'report') {
            void onSubmit(body());
            return;
          }
          void (async () => {
            // Re-read the measured time at the moment of finishing (offline: the last one known).
            try {
              const fresh = refresh ? await refresh() : view;
              setMeasured(fresh.measured_min);
              const s = splitMinutes(fresh.measured_min);
              setH(s.h);
              setM(s.m);
            } catch {
              /* offline */
            }
            setTried(false);
            setStep('time');
          })();
        }}
      >
        <p className="small sf-muted">{mode === 'report' ? t('shopfloor.report_hint') : t('shopfloor.available', { n: view.input_available, done })}</p>
        <div className="sf-qtys">
          <label>
            {t('shopfloor.good')}
            <input className="input sf-input" inputMode="numeric" value={good} onChange={(e) => setGood(e.target.value)} data-testid="qty-good" />
          </label>
          <label>
            {t('shopfloor.scrap')}
            <input className="input sf-input" inputMode="numeric" value={scrap} onChange={(e) => setScrap(e.target.value)} data-testid="qty-scrap" />
          </label>
          <label>
            {t('shopfloor.rework')}
            <input className="input sf-input" inputMode="numeric" value={rework} onChange={(e) => setRework(e.target.value)} data-testid="qty-rework" />
          </label>
        </div>
        {needsReason && (
          <label className="sf-field">
            {t('shopfloor.scrap_reason')}
            <select className="input sf-input" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={tried && reasonMissing} data-testid="scrap-reason">
              <option value="">{t('shopfloor.choose')}</option>
              {view.scrap_reasons.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {tried && qErr && <p className="field-error">{qErr === 'too_many' ? t('shopfloor.qty_too_many', { n: view.input_available - done }) : t('shopfloor.qty_invalid')}</p>}
        {tried && reasonMissing && <p className="field-error">{t('shopfloor.scrap_reason_required')}</p>}
        {mode === 'finish' && (
          <label className="sf-check">
            <input type="checkbox" checked={toolChange} onChange={(e) => setToolChange(e.target.checked)} data-testid="tool-change" />
            {t('shopfloor.tool_change')}
          </label>
        )}
        <label className="sf-field">
          {mode === 'finish' ? t('shopfloor.comment') : t('shopfloor.note')}
          <textarea className="input" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="qty-comment" />
        </label>
        {mode === 'finish' && view.is_debit && id && <SawPlanPanel id={id} pieces={g + sc} stockId={stockId} onStock={setStockId} />}
        {error ? <ErrorBanner error={error} /> : null}
        <SheetButtons onCancel={onClose} confirm={mode === 'finish' ? t('shopfloor.next') : t('shopfloor.report_confirm')} pending={pending} testId={mode} />
      </form>
    </Sheet>
  );
}

/** Which bar or offcut to take, where, and what becomes of the rest; a picker forces another line. */
export function SawPlanPanel({ id, pieces, stockId, onStock }: { id: string; pieces?: number; stockId?: number | null; onStock?: (id: number | null) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['shop-floor', 'saw-plan', id, pieces ?? null, stockId ?? null],
    queryFn: () => api<SawPlanView>(`/shop-floor/operations/${id}/saw-plan`, { query: { pieces: pieces && pieces > 0 ? pieces : undefined, stock_id: stockId ?? undefined } }),
  });
  return (
    <section className="panel sf-stack" data-testid="saw-plan">
      <h3 className="panel-title">{t('shopfloor.saw_title')}</h3>
      {q.isPending && <p className="muted">{t('common.loading')}</p>}
      {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <>
          <p className="small">{t('shopfloor.saw_pieces', { pieces: q.data.pieces, len: f.number(q.data.cut_length_mm), kerf: f.number(q.data.kerf_mm) })}</p>
          {q.data.error && <ErrorBanner error={new Error(q.data.error)} />}
          {q.data.cuts.map((c) => (
            <div key={c.stock_id} className="sf-cut" data-testid="saw-cut">
              <strong>
                {t('shopfloor.saw_take', { label: c.label })} {c.is_offcut && <span className="sf-chip">{t('shopfloor.offcut')}</span>}
              </strong>
              {c.location && (
                <div>
                  <Icon name="columns" size={16} /> {t('shopfloor.saw_where', { location: c.location })}
                </div>
              )}
              <div className="small">{t('shopfloor.saw_cut', { pieces: c.pieces, consumed: f.number(c.consumed_mm) })}</div>
              <div className={`small sf-rem-${c.remainder}`}>
                {c.remainder === 'offcut'
                  ? t('shopfloor.saw_rem_offcut', { mm: f.number(c.remainder_mm) })
                  : c.remainder === 'scrap'
                    ? t('shopfloor.saw_rem_scrap', { mm: f.number(c.remainder_mm) })
                    : t('shopfloor.saw_rem_none')}
              </div>
            </div>
          ))}
          {onStock && q.data.candidates.length > 0 && (
            <label className="sf-field">
              {t('shopfloor.saw_force')}
              <select className="input sf-input" value={stockId ?? ''} onChange={(e) => onStock(e.target.value ? Number(e.target.value) : null)} data-testid="saw-stock">
                <option value="">{t('shopfloor.saw_auto')}</option>
                {q.data.candidates.map((c) => (
                  <option key={c.stock_id} value={c.stock_id}>
                    {t('shopfloor.saw_candidate', { label: c.label, len: f.number(c.length_mm), offcut: c.is_offcut ? t('shopfloor.saw_offcut') : '', location: c.location ?? '—' })}
                  </option>
                ))}
              </select>
            </label>
          )}
        </>
      )}
    </section>
  );
}

/** A scanned instrument QR (`…/instruments/12`) gives its id; anything else is its internal code. */
export function instrumentBody(text: string): { instrument_id: number } | { code: string } {
  const m = /(?:^|\/)instruments\/(\d{1,10})(?:[/?#]|$)/.exec(text.trim());
  return m ? { instrument_id: Number(m[1]) } : { code: text.trim() };
}

export function InstrumentSheet({ id, opLabel, onDone, onClose }: { id: string; opLabel: string; onDone: (v: FloorOperationView) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const action = useFloorAction();
  const [refused, setRefused] = useState<{ text: string; error: unknown }[]>([]);
  const check = (text: string): boolean => {
    void (async () => {
      const r = await action.run<FloorOperationView>(`/shop-floor/operations/${id}/instrument-check`, instrumentBody(text), `${t('shopfloor.scan_instrument')} — ${opLabel}`, Number(id), { toast: true });
      if (r.status === 'sent') {
        onDone(r.data);
        onClose();
      } else if (r.status === 'queued') onClose();
      else setRefused((xs) => [...xs, { text, error: r.error }]);
    })();
    return true;
  };
  return (
    <Sheet title={t('shopfloor.scan_instrument')} onClose={onClose} testId="instrument-sheet">
      <QrScanner onResult={check} scanLabel={t('shopfloor.scan_instrument')} manualLabel={t('shopfloor.instrument_code')} manualPlaceholder="MIC-25-50" inputMode="text" testId="instrument-scan" />
      {refused.map((r, i) => (
        <div key={i} data-testid="instrument-refused">
          <strong className="sf-refused">
            {t('shopfloor.instrument_refused')} : {r.text}
          </strong>
          <ErrorBanner error={r.error} />
        </div>
      ))}
      <button type="button" className="btn btn-secondary sf-big" onClick={onClose}>
        {t('common.close')}
      </button>
    </Sheet>
  );
}

export function BrokenToolSheet({
  id,
  view,
  opLabel,
  onDone,
  onClose,
}: {
  id: string;
  view: FloorOperationView;
  opLabel: string;
  onDone: (v: FloorOperationView) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const action = useFloorAction();
  const tools = view.operation.tools.filter((x) => x.tool_id != null);
  const [toolId, setToolId] = useState<number | null>(tools.length === 1 ? tools[0].tool_id : null);
  const [result, setResult] = useState<BrokenToolResult | null>(null);
  const q = useQuery({
    queryKey: ['shop-floor', 'broken-tool', id, toolId],
    queryFn: () => api<BrokenToolProposal>(`/shop-floor/operations/${id}/broken-tool`, { query: { tool_id: toolId } }),
    enabled: toolId != null,
  });
  const declare = async (replacement: number | null) => {
    if (toolId == null) return;
    const r = await action.run<BrokenToolResult>(
      `/shop-floor/operations/${id}/broken-tool`,
      { tool_id: toolId, ...(replacement != null ? { replacement_tool_id: replacement } : {}) },
      `${t('shopfloor.broken_tool')} — ${opLabel}`,
      Number(id),
    );
    if (r.status === 'sent') {
      setResult(r.data);
      if (r.data.operation) onDone(r.data.operation);
    } else if (r.status === 'queued') onClose();
  };
  return (
    <Sheet title={t('shopfloor.broken_tool')} onClose={onClose} testId="broken-sheet">
      {result ? (
        <>
          <div className="banner banner-success" data-testid="broken-result">
            <Icon name="check" size={20} />
            <span>{result.message}</span>
          </div>
          <button type="button" className="btn btn-primary sf-big" onClick={onClose}>
            {t('common.close')}
          </button>
        </>
      ) : (
        <>
          {tools.length === 0 && <p className="muted">{t('shopfloor.broken_no_tools')}</p>}
          {toolId == null ? (
            <div className="sf-stack">
              <p>{t('shopfloor.broken_pick')}</p>
              {tools.map((x) => (
                <button key={x.position} type="button" className="btn btn-secondary sf-choice" onClick={() => setToolId(x.tool_id)} data-testid={`broken-tool-${x.tool_id}`}>
                  <strong>
                    {x.position} · {x.label}
                  </strong>
                  <span className="small mono">{x.tool_code}</span>
                </button>
              ))}
            </div>
          ) : (
            <div className="sf-stack">
              {q.isPending && <p className="muted">{t('common.loading')}</p>}
              {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
              {q.data && (
                <>
                  <p>
                    <strong className="mono">{toolNames(q.data.tool).ref}</strong> {toolNames(q.data.tool).name}
                  </p>
                  {q.data.replacements.length > 0 ? (
                    <>
                      <p className="small sf-muted">{t('shopfloor.broken_replace')}</p>
                      {q.data.replacements.map((r) => (
                        <button key={r.tool_id} type="button" className="btn btn-secondary sf-choice" disabled={action.pending} onClick={() => void declare(r.tool_id)} data-testid={`replacement-${r.tool_id}`}>
                          <strong>
                            <span className="mono">{toolNames(r).ref}</span> {toolNames(r).name} {r.same_reference && <span className="sf-chip sf-st-en_cours">{t('shopfloor.broken_same_ref')}</span>}
                          </strong>
                          <span className="small">
                            {t('shopfloor.location', { l: r.location ?? '—' })} · {t('shopfloor.in_stock', { n: f.number(r.available) })}
                          </span>
                          {r.conditions && (
                            <span className="small sf-muted">
                              {t('shopfloor.broken_conditions', {
                                vc: f.number(r.conditions.vc ?? r.conditions.vc_m_min ?? null, 0),
                                n: f.number(r.conditions.n ?? r.conditions.n_rpm ?? null, 0),
                                f: f.number(r.conditions.f ?? r.conditions.feed ?? null),
                                vf: f.number(r.conditions.vf ?? r.conditions.vf_mm_min ?? null, 0),
                              })}
                            </span>
                          )}
                        </button>
                      ))}
                    </>
                  ) : (
                    <p className="banner banner-warn" data-testid="broken-purchase">
                      {q.data.purchase_request_needed ? t('shopfloor.broken_purchase') : t('shopfloor.broken_none')}
                    </p>
                  )}
                  <button type="button" className="btn btn-secondary sf-big" disabled={action.pending} onClick={() => void declare(null)} data-testid="broken-declare">
                    {t('shopfloor.broken_declare_only')}
                  </button>
                </>
              )}
            </div>
          )}
          {action.error ? <ErrorBanner error={action.error} /> : null}
          <button type="button" className="btn btn-link sf-touch" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </>
      )}
    </Sheet>
  );
}

export function CommentSheet({ id, opLabel, onClose }: { id: string; opLabel: string; onClose: () => void }) {
  const { t } = useTranslation();
  const action = useFloorAction();
  const [kind, setKind] = useState<CommentView['kind']>('amelioration');
  const [text, setText] = useState('');
  return (
    <Sheet title={t('shopfloor.comment_title')} onClose={onClose} testId="comment-sheet">
      <form
        className="sf-stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim()) return;
          void (async () => {
            const r = await action.run<CommentView>(`/shop-floor/operations/${id}/comments`, { kind, text: text.trim() }, `${t('shopfloor.comment_btn')} — ${opLabel}`, Number(id), { toast: true });
            if (r.status !== 'error') onClose();
          })();
        }}
      >
        <div className="sf-reasons">
          {(['amelioration', 'commentaire'] as const).map((k) => (
            <button key={k} type="button" className="btn btn-secondary" aria-pressed={kind === k} onClick={() => setKind(k)} data-testid={`comment-kind-${k}`}>
              {t(`shopfloor.kind_${k}`)}
            </button>
          ))}
        </div>
        <label className="sf-field">
          {t('shopfloor.comment_text')}
          <textarea className="input" rows={4} value={text} onChange={(e) => setText(e.target.value)} data-testid="comment-text" />
        </label>
        {action.error ? <ErrorBanner error={action.error} /> : null}
        <SheetButtons onCancel={onClose} confirm={t('shopfloor.send')} pending={action.pending} disabled={!text.trim()} testId="comment" />
      </form>
    </Sheet>
  );
}
