// The two planning dialogs: "Déplacer…" (the keyboard / phone alternative to dragging, with the
// server's dry-run check as live feedback) and "Déclarer une absence" (records it and shows the
// repair proposal the server computed).
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorBanner, useErrorText } from '../../components/ErrorBanner';
import { isMovable } from './checks';
import { barLabel } from './gantt';
import { parseLocal, shortDateTime, toLocalIso } from './time';
import type { Board, CheckResult, MoveRequest, UnavailabilityCreated, UnavailabilityKind } from './types';

function Dialog({ title, testId, children, onClose }: { title: string; testId: string; children: ReactNode; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('select, input, textarea')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="md-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="md-dialog panel pl-dialog" role="dialog" aria-modal="true" aria-label={title} data-testid={testId} ref={ref}>
        <h3 className="panel-title">{title}</h3>
        {children}
      </div>
    </div>
  );
}

/** "2026-12-08T07:30:00" → "2026-12-08T07:30" (datetime-local input value). */
export function toInputValue(s: string): string {
  return s.slice(0, 16);
}

/** datetime-local value → API date-time ("…:00" seconds added). */
export function fromInputValue(v: string): string {
  return v.length === 16 ? `${v}:00` : v;
}

export function MoveDialog({
  board,
  initialOpId,
  onClose,
  onMoved,
}: {
  board: Board;
  initialOpId: number | null;
  onClose: () => void;
  onMoved: (revision: number) => void;
}) {
  const { t } = useTranslation();
  const errText = useErrorText();
  const movable = useMemo(() => board.ops.filter(isMovable), [board.ops]);
  const [opId, setOpId] = useState<number | null>(initialOpId ?? movable[0]?.op_id ?? null);
  const op = board.ops.find((o) => o.op_id === opId) ?? null;
  const [machineId, setMachineId] = useState<number | null>(op?.machine_id ?? null);
  const [personId, setPersonId] = useState<number | null>(op?.person_id ?? null);
  const [start, setStart] = useState(op ? toInputValue(op.start) : '');
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<unknown>(null);

  const pickOp = (id: number | null) => {
    setOpId(id);
    const o = board.ops.find((x) => x.op_id === id);
    setMachineId(o?.machine_id ?? null);
    setPersonId(o?.person_id ?? null);
    setStart(o ? toInputValue(o.start) : '');
    setCheck(null);
  };

  const request: MoveRequest | null = opId != null && start ? { op_id: opId, machine_id: machineId, person_id: personId, start: fromInputValue(start) } : null;
  const key = JSON.stringify(request);
  useEffect(() => {
    if (!request) return;
    let live = true;
    const timer = setTimeout(() => {
      setChecking(true);
      api<CheckResult>('/planning/check-move', { method: 'POST', body: request })
        .then((r) => {
          if (!live) return;
          setCheck(r);
          setCheckError(null);
        })
        .catch((e: unknown) => live && setCheckError(e))
        .finally(() => live && setChecking(false));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `key` stands for the request's content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const move = useMutation({
    mutationFn: (body: MoveRequest) => api<{ revision: number }>('/planning/moves', { method: 'POST', body }),
    onSuccess: (r) => onMoved(r.revision),
  });

  const allowed = op?.allowed_machine_ids ?? [];
  const machinesAllowed = board.machines.filter((m) => allowed.length === 0 || allowed.includes(m.id));
  const machinesOther = board.machines.filter((m) => allowed.length > 0 && !allowed.includes(m.id));

  return (
    <Dialog title={t('planning.move_dialog.title')} testId="move-dialog" onClose={onClose}>
      <label className="field">
        <span className="field-label">{t('planning.move_dialog.op')}</span>
        <select className="input" value={opId ?? ''} onChange={(e) => pickOp(e.target.value ? Number(e.target.value) : null)} data-testid="move-op">
          <option value="">{t('planning.move_dialog.pick_op')}</option>
          {movable.map((o) => (
            <option key={o.op_id} value={o.op_id}>
              {barLabel(o)} — {shortDateTime(o.start)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t('planning.move_dialog.machine')}</span>
        <select className="input" value={machineId ?? ''} onChange={(e) => setMachineId(e.target.value ? Number(e.target.value) : null)} data-testid="move-machine">
          <option value="">—</option>
          <optgroup label={t('planning.move_dialog.allowed')}>
            {machinesAllowed.map((m) => (
              <option key={m.id} value={m.id}>
                {m.code} · {m.name}
              </option>
            ))}
          </optgroup>
          {machinesOther.length > 0 && (
            <optgroup label={t('planning.move_dialog.others')}>
              {machinesOther.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.code} · {m.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t('planning.move_dialog.person')}</span>
        <select className="input" value={personId ?? ''} onChange={(e) => setPersonId(e.target.value ? Number(e.target.value) : null)} data-testid="move-person">
          <option value="">—</option>
          {board.people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t('planning.move_dialog.start')}</span>
        <input className="input" type="datetime-local" step={900} value={start} onChange={(e) => setStart(e.target.value)} data-testid="move-start" />
      </label>
      <div className="pl-check" role="status" aria-live="polite" data-testid="move-check">
        {checking && <span className="muted small">{t('planning.move_dialog.checking')}</span>}
        {!checking && check?.ok && (
          <span className="pl-ok">
            {t('planning.move_dialog.ok', { start: shortDateTime(check.op?.start ?? request?.start), end: shortDateTime(check.op?.end ?? '') })}
          </span>
        )}
        {!checking && check && !check.ok && (
          <ul className="pl-violations">
            {check.violations.map((v, i) => (
              <li key={i} data-code={v.code}>
                {v.message}
              </li>
            ))}
          </ul>
        )}
        {checkError ? <span className="pl-bad">{errText(checkError)}</span> : null}
      </div>
      {move.error ? <ErrorBanner error={move.error} /> : null}
      <div className="md-dialog-actions">
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!request || move.isPending}
          onClick={() => request && move.mutate(request)}
          data-testid="move-submit"
        >
          {t('planning.move_dialog.submit')}
        </button>
      </div>
    </Dialog>
  );
}

const PERSON_KINDS: UnavailabilityKind[] = ['absence', 'conges', 'maladie', 'formation'];
const MACHINE_KINDS: UnavailabilityKind[] = ['maintenance', 'panne'];

export interface AbsenceDefaults {
  resource: 'person' | 'machine';
  id: number | null;
  from: string;
  to: string;
}

/** Default range of a new absence: the selected op's day (07:30–17:00), else today. */
export function absenceDefaults(board: Pick<Board, 'ops'>, opId: number | null, today: Date): AbsenceDefaults {
  const op = board.ops.find((o) => o.op_id === opId);
  const day = op ? parseLocal(op.start) : today;
  const from = new Date(day.getFullYear(), day.getMonth(), day.getDate(), 7, 30);
  const to = new Date(day.getFullYear(), day.getMonth(), day.getDate(), 17, 0);
  return { resource: 'person', id: op?.person_id ?? null, from: toLocalIso(from), to: toLocalIso(to) };
}

export function AbsenceDialog({
  board,
  defaults,
  onClose,
  onCreated,
}: {
  /** Only its people and machines are used (the "Indisponibilités" screen passes those alone). */
  board: Pick<Board, 'people' | 'machines'>;
  defaults: AbsenceDefaults;
  onClose: () => void;
  onCreated: (r: UnavailabilityCreated) => void;
}) {
  const { t } = useTranslation();
  const [resource, setResource] = useState<'person' | 'machine'>(defaults.resource);
  const [id, setId] = useState<number | null>(defaults.id);
  const [kind, setKind] = useState<UnavailabilityKind>(defaults.resource === 'person' ? 'absence' : 'panne');
  const [from, setFrom] = useState(toInputValue(defaults.from));
  const [to, setTo] = useState(toInputValue(defaults.to));
  const [reason, setReason] = useState('');
  const badRange = !!from && !!to && to <= from;

  const save = useMutation({
    mutationFn: () =>
      api<UnavailabilityCreated>('/planning/unavailability', {
        method: 'POST',
        body: { resource, resource_id: id, kind, from: fromInputValue(from), to: fromInputValue(to), reason: reason.trim() || null },
      }),
    onSuccess: onCreated,
  });

  const switchResource = (r: 'person' | 'machine') => {
    setResource(r);
    setId(null);
    setKind(r === 'person' ? 'absence' : 'panne');
  };
  const kinds = resource === 'person' ? PERSON_KINDS : MACHINE_KINDS;

  return (
    <Dialog title={t('planning.absence.title')} testId="absence-dialog" onClose={onClose}>
      <fieldset className="pl-radios">
        <legend className="field-label">{t('planning.absence.resource')}</legend>
        <label>
          <input type="radio" name="res" checked={resource === 'person'} onChange={() => switchResource('person')} data-testid="absence-res-person" /> {t('planning.absence.person')}
        </label>
        <label>
          <input type="radio" name="res" checked={resource === 'machine'} onChange={() => switchResource('machine')} data-testid="absence-res-machine" /> {t('planning.absence.machine')}
        </label>
      </fieldset>
      <label className="field">
        <span className="field-label">{t('planning.absence.who')}</span>
        <select className="input" value={id ?? ''} onChange={(e) => setId(e.target.value ? Number(e.target.value) : null)} data-testid="absence-who">
          <option value="">{t('planning.absence.pick')}</option>
          {resource === 'person'
            ? board.people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))
            : board.machines.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.code} · {m.name}
                </option>
              ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t('planning.absence.kind')}</span>
        <select className="input" value={kind} onChange={(e) => setKind(e.target.value as UnavailabilityKind)} data-testid="absence-kind">
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`planning.absence.kinds.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="pl-two">
        <label className="field">
          <span className="field-label">{t('planning.absence.from')}</span>
          <input className="input" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="absence-from" />
        </label>
        <label className="field">
          <span className="field-label">{t('planning.absence.to')}</span>
          <input className="input" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} data-testid="absence-to" />
        </label>
      </div>
      {badRange && <div className="field-error">{t('planning.absence.bad_range')}</div>}
      <label className="field">
        <span className="field-label">{t('planning.absence.reason')}</span>
        <input className="input" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} data-testid="absence-reason" />
      </label>
      {save.error ? <ErrorBanner error={save.error} /> : null}
      <div className="md-dialog-actions">
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="button" className="btn btn-primary" disabled={id == null || !from || !to || badRange || save.isPending} onClick={() => save.mutate()} data-testid="absence-submit">
          {save.isPending ? t('planning.recomputing') : t('planning.absence.submit')}
        </button>
      </div>
    </Dialog>
  );
}
