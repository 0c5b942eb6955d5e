// /jobs/:id — a job (OF) and its routing (gamme): header, operations that méthode reorders (drag
// and drop, or the up/down buttons on a phone or from the keyboard), edits (machine, times,
// subcontract), adds and removes; the routing is validated, regenerated while a draft, and every
// change is a version that can be compared and restored.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import type { ListResponse } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner, useErrorText } from '../../components/ErrorBanner';
import { Field, inputProps } from '../../components/Form';
import { HistoryPanel } from '../../components/HistoryPanel';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { QrBadge } from '../../components/QrBadge';
import { SearchSelect } from '../../components/SearchSelect';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { DownloadButton, JobStatusBadge, RecordStatusBar, useHistoryDisplay, Warnings } from '../orders/components';
import { useBlobUrl } from '../quotes/components';
import { formatDuration } from '../shopfloor/logic';
import {
  diffCounts,
  diffValue,
  isMachineField,
  machineCodeOf,
  dropOrder,
  dropPlace,
  durationText,
  isMachineProcess,
  isSubcontract,
  minutesText,
  operationPatch,
  parseMinutes,
  routingState,
  sameOrder,
  sortedChanges,
  sortedOperations,
  stepOrder,
  toolState,
  toolText,
  visibleVersions,
  type DropPlace,
} from './logic';
import { PROCESSES, type Job, type MachineOption, type Operation, type OperationInput, type RoutingDiff, type RoutingVersion } from './types';
import '../orders/orders.css';
import './jobs.css';

/** Record name of the QR code and the history (UI path segment, see app::records). */
export const JOB_ENTITY = 'jobs';

const JOB_PIPELINE = ['brouillon', 'pret', 'en_cours', 'termine'];
/** Routing versions listed before "show all" (the first one, generated, is often the one compared). */
const VERSIONS_SHOWN = 5;

export function useJob(id: string | number) {
  return useQuery({ queryKey: ['job', String(id)], queryFn: () => api<Job>(`/jobs/${id}`) });
}

function useMachines() {
  return useQuery({
    queryKey: ['/machines', 'all'],
    queryFn: () => api<ListResponse<MachineOption>>('/machines', { query: { per_page: 200 } }),
    staleTime: 5 * 60_000,
  });
}

/** The messages of a 422 on one field (e.g. why a machine cannot do the operation). */
function fieldMessages(e: unknown, field: string): string[] {
  if (!isApiError(e)) return [];
  const mine = e.errors.filter((x) => x.field === field || x.field.startsWith(`${field}.`) || x.field.startsWith(`${field}[`)).map((x) => x.message);
  return mine;
}

/** Real minutes above a positive estimate (shown in the danger colour). */
function isOver(real: string | number | null | undefined, estimated: string | number | null | undefined): boolean {
  const r = Number(real);
  const e = Number(estimated);
  return real != null && estimated != null && Number.isFinite(r) && Number.isFinite(e) && e > 0 && r > e;
}

const OVER_STYLE = { color: 'var(--c-danger)', fontWeight: 600 } as const;

/** Good / scrap parts, scrap cost and the pending declared-time badge of an operation. */
function OperationProgress({ op }: { op: Operation }) {
  const { t } = useTranslation();
  const f = useFormat();
  const good = op.qty_good ?? 0;
  const scrap = op.qty_scrap ?? 0;
  const cost = Number(op.scrap_cost ?? 0);
  if (good === 0 && scrap === 0) return null;
  return (
    <div className="small j-op-qty" data-testid={`op-qty-${op.id}`}>
      {t('followup.qty', { good: f.number(good), scrap: f.number(scrap) })}
      {cost > 0 && <span className="muted"> · {t('followup.scrap_cost_op', { cost: f.money(op.scrap_cost) })}</span>}
    </div>
  );
}

// ---- one operation ---------------------------------------------------------------------------

function MinutesInput({ value, label, disabled, onCommit, testId }: { value: string; label: string; disabled: boolean; onCommit: (v: string | null) => void; testId: string }) {
  const f = useFormat();
  const shown = minutesText(value, f.lang);
  const [text, setText] = useState(shown);
  const [seen, setSeen] = useState(shown);
  if (shown !== seen) {
    setSeen(shown);
    setText(shown);
  }
  const parsed = parseMinutes(text);
  const invalid = parsed === false;
  const commit = () => {
    if (invalid || text === shown) return;
    onCommit(parsed);
  };
  return (
    <input
      className="input input-sm num j-min"
      inputMode="decimal"
      aria-label={label}
      aria-invalid={invalid || undefined}
      disabled={disabled}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setText(shown);
      }}
      data-testid={testId}
    />
  );
}

function SubcontractFields({ op, editable, pending, onSave }: { op: Operation; editable: boolean; pending: boolean; onSave: (c: Omit<OperationInput, 'version'>) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const initial = {
    supplier: op.supplier_id != null ? { id: op.supplier_id, name: op.supplier_name ?? '' } : null,
    supplier_name: op.supplier_name ?? '',
    po: op.subcontract_po ?? '',
    send: op.send_date ?? '',
    ret: op.return_date ?? '',
  };
  const [v, setV] = useState(initial);
  const [seenVersion, setSeenVersion] = useState(op.version);
  if (seenVersion !== op.version) {
    setSeenVersion(op.version);
    setV(initial);
  }
  const dirty = JSON.stringify(v) !== JSON.stringify(initial);
  if (!editable) {
    return (
      <dl className="j-sub j-sub-ro" data-testid={`subcontract-${op.id}`}>
        <div>
          <dt>{t('jobs.supplier')}</dt>
          <dd>{op.supplier_name || <span className="j-todo">{t('jobs.to_fill')}</span>}</dd>
        </div>
        <div>
          <dt>{t('jobs.subcontract_po')}</dt>
          <dd>{op.subcontract_po || <span className="j-todo">{t('jobs.to_fill')}</span>}</dd>
        </div>
        <div>
          <dt>{t('jobs.send_date')}</dt>
          <dd>{op.send_date ? f.date(op.send_date) : '—'}</dd>
        </div>
        <div>
          <dt>{t('jobs.return_date')}</dt>
          <dd>{op.return_date ? f.date(op.return_date) : '—'}</dd>
        </div>
      </dl>
    );
  }
  return (
    <div className="j-sub" data-testid={`subcontract-${op.id}`}>
      <div className="j-sub-field j-sub-supplier">
        <span className="field-label">
          {t('jobs.supplier')}
          {!v.supplier && v.supplier_name && (
            <>
              {' : '}
              <strong data-testid={`supplier-name-${op.id}`}>{v.supplier_name}</strong>
            </>
          )}
        </span>
        <SearchSelect<{ id: number; name: string }>
          endpoint="/suppliers"
          query={{ status: 'actif' }}
          label={t('jobs.supplier')}
          placeholder={v.supplier_name ? t('jobs.supplier_change') : t('jobs.supplier_placeholder')}
          value={v.supplier}
          onChange={(s) => setV({ ...v, supplier: s, supplier_name: s?.name ?? '' })}
          optionLabel={(s) => s.name}
          testId={`supplier-${op.id}`}
        />
      </div>
      <label className="j-sub-field">
        <span className="field-label">{t('jobs.subcontract_po')}</span>
        <input className="input input-sm mono" value={v.po} onChange={(e) => setV({ ...v, po: e.target.value })} data-testid={`subcontract-po-${op.id}`} />
      </label>
      <label className="j-sub-field">
        <span className="field-label">{t('jobs.send_date')}</span>
        <input type="date" className="input input-sm" value={v.send} onChange={(e) => setV({ ...v, send: e.target.value })} data-testid={`send-date-${op.id}`} />
      </label>
      <label className="j-sub-field">
        <span className="field-label">{t('jobs.return_date')}</span>
        <input type="date" className="input input-sm" value={v.ret} onChange={(e) => setV({ ...v, ret: e.target.value })} data-testid={`return-date-${op.id}`} />
      </label>
      <button
        type="button"
        className="btn btn-secondary btn-sm"
        disabled={!dirty || pending}
        onClick={() =>
          onSave({
            ...(v.supplier ? { supplier_id: v.supplier.id } : {}),
            supplier_name: v.supplier?.name ?? v.supplier_name.trim(),
            subcontract_po: v.po.trim(),
            send_date: v.send,
            return_date: v.ret,
          })
        }
        data-testid={`subcontract-save-${op.id}`}
      >
        {t('common.save')}
      </button>
    </div>
  );
}

function OperationRow({
  op,
  job,
  index,
  count,
  editable,
  machines,
  onJob,
  onMove,
  onDelete,
  onEdit,
  drag,
}: {
  op: Operation;
  job: Job;
  index: number;
  count: number;
  editable: boolean;
  machines: MachineOption[];
  onJob: (j: Job) => void;
  onMove: (step: -1 | 1) => void;
  onDelete: () => void;
  onEdit: () => void;
  drag: {
    /** The row can be dragged: only once the grip is pressed, so inputs keep their text selection. */
    armed: boolean;
    onArm: (on: boolean) => void;
    dragging: boolean;
    over: DropPlace | null;
    onDragStart: (e: DragEvent) => void;
    onDragOver: (e: DragEvent<HTMLLIElement>) => void;
    onDrop: (e: DragEvent) => void;
    onDragEnd: () => void;
    onDragLeave: () => void;
  };
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const errorText = useErrorText();
  const [errorField, setErrorField] = useState<string | null>(null);
  const patch = useMutation({
    mutationFn: (changes: Omit<OperationInput, 'version'>) => api<Job>(`/job-operations/${op.id}`, { method: 'PATCH', body: operationPatch(op, changes) }),
    onSuccess: (j) => {
      setErrorField(null);
      onJob(j);
    },
    onError: (e, changes) => {
      const field = Object.keys(changes)[0] ?? null;
      setErrorField(field);
      if (!isApiError(e) || e.status !== 422) toast.show(errorText(e), 'error');
    },
  });
  const machineErrors = errorField === 'machine_id' ? fieldMessages(patch.error, 'machine_id') : [];
  const machineDetail = errorField === 'machine_id' && patch.error && machineErrors.length === 0 ? errorText(patch.error) : null;
  const timeError = (errorField === 'setup_min' || errorField === 'run_min') && patch.error ? [...fieldMessages(patch.error, 'setup_min'), ...fieldMessages(patch.error, 'run_min')].join(' ') || errorText(patch.error) : null;
  const showMachine = op.machine_id != null || isMachineProcess(op.process);
  const knownMachine = op.machine_id == null || machines.some((m) => m.id === op.machine_id);
  const cls = ['j-op', drag.dragging ? 'is-dragging' : '', drag.over ? `drop-${drag.over}` : '', isSubcontract(op) ? 'is-sub' : ''].join(' ');
  return (
    <li
      className={cls}
      data-testid={`op-${op.id}`}
      data-position={op.position}
      draggable={editable && drag.armed}
      onDragStart={drag.onDragStart}
      onDragOver={drag.onDragOver}
      onDragLeave={drag.onDragLeave}
      onDrop={drag.onDrop}
      onDragEnd={drag.onDragEnd}
    >
      <div className="j-op-handle">
        {editable ? (
          <>
            <span className="j-grip" aria-hidden="true" title={t('jobs.drag_hint')} onMouseDown={() => drag.onArm(true)} onMouseUp={() => drag.onArm(false)} data-testid={`op-grip-${op.id}`}>
              ⋮⋮
            </span>
            <button type="button" className="icon-btn j-step" disabled={index === 0} onClick={() => onMove(-1)} aria-label={t('jobs.move_up', { n: op.position })} data-testid={`op-up-${op.id}`}>
              <Icon name="chevron_up" size={16} />
            </button>
            <button type="button" className="icon-btn j-step" disabled={index === count - 1} onClick={() => onMove(1)} aria-label={t('jobs.move_down', { n: op.position })} data-testid={`op-down-${op.id}`}>
              <Icon name="chevron_down" size={16} />
            </button>
          </>
        ) : null}
      </div>
      <div className="j-op-pos mono" data-testid={`op-pos-${op.id}`}>
        {op.position}
      </div>
      <div className="j-op-main">
        <div className="j-op-title">
          <span className={`j-proc j-proc-${op.process}`}>{op.process_label}</span>
          <strong>{op.label}</strong>
          {op.status && op.status !== 'a_faire' && op.status_label && <span className="status-badge">{op.status_label}</span>}
          {op.time_status === 'en_attente' && (
            <span className="badge badge-warn" title={t('shopfloor.time_status.en_attente')} data-testid={`op-time-status-${op.id}`}>
              {t('followup.time_pending')}
            </span>
          )}
        </div>
        <OperationProgress op={op} />
        {op.description && <div className="small muted j-op-desc">{op.description}</div>}
        {(op.tools.length > 0 || op.instruments.length > 0) && (
          <div className="j-chips">
            {op.tools.map((tool, i) => {
              const st = toolState(tool);
              return (
                <span
                  key={`t${i}`}
                  className={`chip j-tool j-tool-${st}`}
                  title={st === 'ok' ? t('jobs.tool_ok', { code: tool.tool_code ?? '', qty: tool.available_qty ?? 0 }) : st === 'missing' ? t('jobs.tool_missing', { code: tool.tool_code ?? '' }) : t('jobs.tool_unknown')}
                  data-testid={`tool-${op.id}-${i}`}
                  data-state={st}
                >
                  {toolText(tool, f.lang)}
                  {st !== 'ok' && <span className="sr-only"> ({st === 'missing' ? t('jobs.tool_missing_short') : t('jobs.tool_unknown')})</span>}
                </span>
              );
            })}
            {op.instruments.map((ins, i) => (
              <span key={`i${i}`} className={`chip j-ins ${ins.usable ? '' : 'j-ins-ko'}`} title={ins.usable ? (ins.instrument_code ?? '') : t('jobs.instrument_unusable')} data-testid={`instrument-${op.id}-${i}`}>
                <Icon name="instruments" size={12} /> {ins.characteristic}
                {ins.instrument_code ? ` · ${ins.instrument_code}` : ins.instrument_type ? ` · ${t(`jobs.instrument_types.${ins.instrument_type}`, { defaultValue: ins.instrument_type })}` : ''}
              </span>
            ))}
          </div>
        )}
      </div>
      <div className="j-op-machine">
        {showMachine ? (
          editable ? (
            <select
              className={`input input-sm ${machineErrors.length || machineDetail ? 'j-invalid' : ''}`}
              aria-label={t('jobs.machine_for', { n: op.position })}
              value={op.machine_id ?? ''}
              disabled={patch.isPending}
              onChange={(e) => patch.mutate({ machine_id: e.target.value === '' ? null : Number(e.target.value) })}
              data-testid={`op-machine-${op.id}`}
            >
              <option value="">{t('jobs.no_machine')}</option>
              {!knownMachine && <option value={op.machine_id ?? ''}>{op.machine_code ?? `#${op.machine_id}`}</option>}
              {machines.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.code} — {m.name}
                </option>
              ))}
            </select>
          ) : (
            <span className="mono" data-testid={`op-machine-${op.id}`}>
              {op.machine_code ? `${op.machine_code}` : '—'}
              {op.machine_name && <span className="muted small"> {op.machine_name}</span>}
            </span>
          )
        ) : (
          <span className="small">{op.work_centre_label ?? op.work_centre ?? (isSubcontract(op) ? t('jobs.subcontracted') : '—')}</span>
        )}
        {(machineErrors.length > 0 || machineDetail) && (
          <div className="field-error j-machine-error" role="alert" data-testid={`op-machine-error-${op.id}`}>
            {machineDetail && <div>{machineDetail}</div>}
            {machineErrors.length > 0 && (
              <ul>
                {machineErrors.map((m, i) => (
                  <li key={i}>{m}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {op.nc_program && (
          <div className="small j-nc" title={t('jobs.nc_program')}>
            <span className="muted">{t('jobs.nc_short')}</span> <span className="mono">{op.nc_program}</span>
          </div>
        )}
      </div>
      <div className="j-op-times">
        <label className="j-time">
          <span className="muted small">{t('jobs.setup')}</span>
          <MinutesInput value={op.setup_min} label={t('jobs.setup_for', { n: op.position })} disabled={!editable || patch.isPending} onCommit={(v) => patch.mutate({ setup_min: v })} testId={`op-setup-${op.id}`} />
        </label>
        <label className="j-time">
          <span className="muted small">{t('jobs.run')}</span>
          <MinutesInput value={op.run_min} label={t('jobs.run_for', { n: op.position })} disabled={!editable || patch.isPending} onCommit={(v) => patch.mutate({ run_min: v })} testId={`op-run-${op.id}`} />
        </label>
        <div className="small j-total" data-testid={`op-total-${op.id}`}>
          {t('jobs.total_for', { qty: f.number(job.quantity), d: durationText(Number(op.total_min), f.lang) })}
        </div>
        {op.actual_min != null && (
          <div className="small j-total" style={isOver(op.actual_min, op.total_min) ? OVER_STYLE : undefined} data-testid={`op-real-${op.id}`} data-over={isOver(op.actual_min, op.total_min) || undefined}>
            {t('followup.real_vs_est', { real: formatDuration(op.actual_min), est: formatDuration(op.total_min) })}
          </div>
        )}
        {timeError && <div className="field-error">{timeError}</div>}
      </div>
      <div className="j-op-links">
        {op.method_sheet ? (
          <Link to={`/method-sheets/${op.method_sheet.id}`} className="btn btn-secondary btn-sm" data-testid={`method-sheet-${op.id}`}>
            <Icon name="method_sheets" size={14} /> {t('jobs.method_sheet')}
          </Link>
        ) : null}
        {op.method_sheet && op.method_sheet.missing_count > 0 && (
          <span className="badge j-missing-badge" data-testid={`missing-${op.id}`}>
            {t('jobs.missing_count', { count: op.method_sheet.missing_count })}
          </span>
        )}
        {editable && (
          <span className="j-op-actions">
            <button type="button" className="icon-btn" onClick={onEdit} aria-label={t('jobs.edit_op', { n: op.position })} title={t('jobs.edit_op', { n: op.position })} data-testid={`op-edit-${op.id}`}>
              <Icon name="pencil" size={16} />
            </button>
            <button type="button" className="icon-btn" onClick={onDelete} aria-label={t('jobs.delete_op', { n: op.position })} title={t('jobs.delete_op', { n: op.position })} data-testid={`op-delete-${op.id}`}>
              <Icon name="trash" size={16} />
            </button>
          </span>
        )}
      </div>
      {(isSubcontract(op) || (errorField && !['machine_id', 'setup_min', 'run_min'].includes(errorField) && patch.error)) && (
        <div className="j-op-sub">
          {isSubcontract(op) && <SubcontractFields op={op} editable={editable} pending={patch.isPending} onSave={(c) => patch.mutate(c)} />}
          {errorField && !['machine_id', 'setup_min', 'run_min'].includes(errorField) && patch.error ? <ErrorBanner error={patch.error} /> : null}
        </div>
      )}
    </li>
  );
}

// ---- add / edit dialogs -----------------------------------------------------------------------

function OperationDialog({ job, op, machines, onDone, onCancel }: { job: Job; op: Operation | null; machines: MachineOption[]; onDone: (j: Job) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const ops = sortedOperations(job.operations);
  const [process, setProcess] = useState<string>(op?.process ?? 'fraisage');
  const [label, setLabel] = useState(op?.label ?? '');
  const [description, setDescription] = useState(op?.description ?? '');
  const [machineId, setMachineId] = useState<string>(op?.machine_id != null ? String(op.machine_id) : '');
  const [workCentre, setWorkCentre] = useState(op?.work_centre ?? '');
  const [nc, setNc] = useState(op?.nc_program ?? '');
  const [after, setAfter] = useState<string>(ops.length ? String(ops[ops.length - 1].id) : '');
  const save = useMutation({
    mutationFn: () => {
      // Texts are sent trimmed: an empty one clears the field (null would leave it unchanged).
      const body: OperationInput = {
        label: label.trim(),
        description: description.trim(),
        work_centre: workCentre.trim(),
        nc_program: nc.trim(),
      };
      if (machineId !== '') body.machine_id = Number(machineId);
      if (op) {
        if (machineId === '' && op.machine_id != null) body.clear_machine = true;
        return api<Job>(`/job-operations/${op.id}`, { method: 'PATCH', body: { ...body, version: op.version } });
      }
      return api<Job>(`/jobs/${job.id}/operations`, { method: 'POST', body: { ...body, process, after_id: after === '' ? null : Number(after) } });
    },
    onSuccess: onDone,
  });
  const machineErr = fieldMessages(save.error, 'machine_id');
  return (
    <ConfirmDialog
      title={op ? t('jobs.edit_op', { n: op.position }) : t('jobs.add_op')}
      confirmLabel={op ? t('common.save') : t('jobs.add_op_confirm')}
      pending={save.isPending}
      error={save.error}
      onConfirm={() => save.mutate()}
      onCancel={onCancel}
      testId="operation-dialog"
    >
      <div className="form-grid j-op-form">
        <Field name="op_process" label={t('jobs.process')}>
          <select {...inputProps('op_process')} className="input" value={process} onChange={(e) => setProcess(e.target.value)} disabled={!!op}>
            {PROCESSES.map((p) => (
              <option key={p} value={p}>
                {t(`jobs.processes.${p}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field name="op_label" label={t('jobs.label')} hint={t('jobs.label_hint')}>
          <input {...inputProps('op_label')} className="input" value={label} onChange={(e) => setLabel(e.target.value)} />
        </Field>
        <Field name="op_machine" label={t('jobs.machine')} error={machineErr.join(' ') || undefined}>
          <select {...inputProps('op_machine', machineErr.join(' ') || undefined)} className="input" value={machineId} onChange={(e) => setMachineId(e.target.value)}>
            <option value="">{t('jobs.no_machine')}</option>
            {machines.map((m) => (
              <option key={m.id} value={m.id}>
                {m.code} — {m.name}
              </option>
            ))}
          </select>
        </Field>
        <Field name="op_work_centre" label={t('jobs.work_centre')} hint={t('jobs.work_centre_hint')}>
          <input {...inputProps('op_work_centre')} className="input" value={workCentre} onChange={(e) => setWorkCentre(e.target.value)} />
        </Field>
        {!op && ops.length > 0 && (
          <Field name="op_after" label={t('jobs.after')}>
            <select {...inputProps('op_after')} className="input" value={after} onChange={(e) => setAfter(e.target.value)}>
              <option value="">{t('jobs.at_start')}</option>
              {ops.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.position} — {o.label}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field name="op_nc" label={t('jobs.nc_program')}>
          <input {...inputProps('op_nc')} className="input mono" value={nc} onChange={(e) => setNc(e.target.value)} />
        </Field>
        <Field name="op_description" label={t('jobs.description')} className="span-2">
          <textarea {...inputProps('op_description')} className="input" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
      </div>
    </ConfirmDialog>
  );
}

// ---- routing editor -------------------------------------------------------------------------

function RoutingEditor({ job, onJob }: { job: Job; onJob: (j: Job) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const machines = useMachines();
  const editable = job.can_edit_routing;
  const ops = sortedOperations(job.operations);
  const ids = ops.map((o) => o.id);
  const [pending, setPending] = useState<number[] | null>(null);
  const [dragId, setDragId] = useState<number | null>(null);
  const [armed, setArmed] = useState<number | null>(null);
  const [over, setOver] = useState<{ id: number; place: DropPlace } | null>(null);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Operation | null>(null);
  const [deleting, setDeleting] = useState<Operation | null>(null);
  const reorder = useMutation({
    mutationFn: (order: number[]) => api<Job>(`/jobs/${job.id}/routing/reorder`, { method: 'POST', body: { operation_ids: order, version: job.version } }),
    onSuccess: (j) => {
      setPending(null);
      toast.show(t('jobs.reordered'));
      onJob(j);
    },
    onError: (e) => {
      setPending(null);
      toast.show(errorText(e), 'error');
    },
  });
  const del = useMutation({
    mutationFn: (op: Operation) => api<Job>(`/job-operations/${op.id}`, { method: 'DELETE' }),
    onSuccess: (j) => {
      setDeleting(null);
      toast.show(t('jobs.op_deleted'));
      onJob(j);
    },
  });
  const send = (order: number[]) => {
    if (sameOrder(order, ids) || reorder.isPending) return;
    setPending(order);
    reorder.mutate(order);
  };
  const shownIds = pending ?? ids;
  const shown = shownIds.map((id) => ops.find((o) => o.id === id)).filter((o): o is Operation => !!o);
  const machineList = machines.data?.items ?? [];
  return (
    <section className="panel j-routing" data-testid="routing" aria-label={t('jobs.routing')}>
      <div className="j-section-head">
        <h3 className="panel-title">
          {t('jobs.routing')} <span className="muted">({ops.length})</span>
        </h3>
        {editable && <span className="muted small j-drag-hint">{t('jobs.drag_hint')}</span>}
        {editable && (
          <button type="button" className="btn btn-secondary" onClick={() => setAdding(true)} data-testid="add-op">
            <Icon name="plus" size={16} /> {t('jobs.add_op')}
          </button>
        )}
      </div>
      {!editable && <p className="hint" data-testid="routing-read-only">{t('jobs.routing_read_only')}</p>}
      {machines.isError && <ErrorBanner error={machines.error} />}
      <div className="j-ops-head" aria-hidden="true">
        <span />
        <span>{t('jobs.col.position')}</span>
        <span>{t('jobs.col.operation')}</span>
        <span>{t('jobs.col.machine')}</span>
        <span>{t('jobs.col.times')}</span>
        <span />
      </div>
      <ol className={`j-ops ${reorder.isPending ? 'is-saving' : ''}`} data-testid="operations" aria-busy={reorder.isPending || undefined}>
        {shown.map((op, i) => (
          <OperationRow
            key={op.id}
            op={op}
            job={job}
            index={i}
            count={shown.length}
            editable={editable}
            machines={machineList}
            onJob={onJob}
            onMove={(step) => send(stepOrder(shownIds, op.id, step))}
            onDelete={() => {
              del.reset();
              setDeleting(op);
            }}
            onEdit={() => setEditing(op)}
            drag={{
              armed: armed === op.id,
              onArm: (on) => setArmed(on ? op.id : null),
              dragging: dragId === op.id,
              over: over && over.id === op.id && dragId !== op.id ? over.place : null,
              onDragStart: (e) => {
                setDragId(op.id);
                e.dataTransfer.effectAllowed = 'move';
                e.dataTransfer.setData('text/plain', String(op.id));
              },
              onDragOver: (e) => {
                if (dragId == null) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                const r = e.currentTarget.getBoundingClientRect();
                const place = dropPlace(e.clientY, r.top, r.height);
                if (!over || over.id !== op.id || over.place !== place) setOver({ id: op.id, place });
              },
              onDragLeave: () => undefined,
              onDrop: (e) => {
                e.preventDefault();
                const from = dragId ?? Number(e.dataTransfer.getData('text/plain'));
                const place = over?.id === op.id ? over.place : 'before';
                setDragId(null);
                setOver(null);
                setArmed(null);
                if (from) send(dropOrder(shownIds, from, op.id, place));
              },
              onDragEnd: () => {
                setDragId(null);
                setOver(null);
                setArmed(null);
              },
            }}
          />
        ))}
        {ops.length === 0 && (
          <li className="j-empty muted" data-testid="no-operations">
            {t('jobs.no_operations')}
          </li>
        )}
      </ol>
      {(adding || editing) && (
        <OperationDialog
          job={job}
          op={editing}
          machines={machineList}
          onCancel={() => {
            setAdding(false);
            setEditing(null);
          }}
          onDone={(j) => {
            toast.show(editing ? t('jobs.op_saved') : t('jobs.op_added'));
            setAdding(false);
            setEditing(null);
            onJob(j);
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t('jobs.delete_op_confirm', { n: deleting.position, label: deleting.label })}
          danger
          confirmLabel={t('jobs.delete')}
          pending={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate(deleting)}
          onCancel={() => setDeleting(null)}
          testId="delete-op-dialog"
        >
          {deleting.method_sheet && <p>{t('jobs.delete_op_sheet')}</p>}
        </ConfirmDialog>
      )}
    </section>
  );
}

// ---- versions ---------------------------------------------------------------------------------

export function DiffView({ diff, machines = [] }: { diff: RoutingDiff; machines?: MachineOption[] }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  // Field names come in French from the server ("machine", "réglage (min)"); codes get a label.
  const fieldLabel = (field: string) => (/^[a-z_]+$/.test(field) && i18n.exists(`jobs.fields.${field}`) ? t(`jobs.fields.${field}`) : field.charAt(0).toUpperCase() + field.slice(1));
  const shown = (field: string, v: unknown) => diffValue(isMachineField(field) ? machineCodeOf(v, machines) : v, f.lang);
  const counts = diffCounts(diff);
  if (diff.changes.length === 0) return <p className="muted small" data-testid="diff-empty">{t('jobs.diff_none', { from: diff.from, to: diff.to })}</p>;
  return (
    <div className="j-diff" data-testid="diff">
      <p className="small">
        {t('jobs.diff_title', { from: diff.from, to: diff.to })} —{' '}
        {counts.map((c, i) => (
          <span key={c.kind}>
            {i > 0 && ', '}
            {t(`jobs.diff_kinds_count.${c.kind}`, { count: c.count })}
          </span>
        ))}
      </p>
      <ul className="j-diff-list">
        {sortedChanges(diff.changes).map((c, i) => (
          <li key={i} className={`j-diff-item j-diff-${c.kind}`} data-testid={`diff-${c.kind}`}>
            <span className={`badge j-kind j-kind-${c.kind}`}>{t(`jobs.diff_kinds.${c.kind}`)}</span> <span className="mono">{c.position ?? ''}</span> <strong>{c.label}</strong>
            {c.fields.length > 0 && (
              <ul className="j-diff-fields small">
                {c.fields.map((fd, k) => (
                  <li key={k}>
                    <span className="history-field">{fieldLabel(fd.field)}</span>{' '}
                    <span className="diff-before">{shown(fd.field, fd.before)}</span>
                    <span className="diff-arrow"> → </span>
                    <span className="diff-after">{shown(fd.field, fd.after)}</span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function VersionsPanel({ job, onJob }: { job: Job; onJob: (j: Job) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const [open, setOpen] = useState<number | null>(null);
  const [restoring, setRestoring] = useState<number | null>(null);
  const machines = useMachines();
  const versions = useQuery({
    queryKey: ['routing-versions', job.id, job.version],
    queryFn: () => api<RoutingVersion[]>(`/jobs/${job.id}/routing/versions`),
  });
  const diff = useQuery({
    queryKey: ['routing-diff', job.id, open, job.version],
    queryFn: () => api<RoutingDiff>(`/jobs/${job.id}/routing/versions/${open}/diff`),
    enabled: open != null,
  });
  const restore = useMutation({
    mutationFn: (v: number) => api<Job>(`/jobs/${job.id}/routing/versions/${v}/restore`, { method: 'POST', body: { version: job.version } }),
    onSuccess: (j, v) => {
      toast.show(t('jobs.restored', { v }));
      setRestoring(null);
      setOpen(null);
      onJob(j);
    },
  });
  const [all, setAll] = useState(false);
  const sorted = versions.data ?? [];
  const list = visibleVersions(sorted, all, VERSIONS_SHOWN);
  return (
    <section className="panel j-versions" data-testid="versions" aria-label={t('jobs.versions')}>
      <h3 className="panel-title">{t('jobs.versions')}</h3>
      {versions.isPending && <p className="muted small">{t('common.loading')}</p>}
      {versions.isError && <ErrorBanner error={versions.error} />}
      <ol className="j-version-list">
        {list.map((v) => {
          const current = v.current ?? v.version === job.routing_version;
          return (
            <li key={v.version} data-testid={`version-${v.version}`} className={current ? 'is-current' : ''}>
              <div className="j-version-head">
                <strong>v{v.version}</strong>
                {current && <span className="badge j-current">{t('jobs.current_version')}</span>}
                <span className="muted small">{t('jobs.version_by', { who: v.created_by, when: f.dateTime(v.created_at) })}</span>
              </div>
              {v.comment && <div className="small">{v.comment}</div>}
              <div className="small muted">{t('jobs.operations_count', { count: v.operation_count })}</div>
              {!current && (
                <div className="j-version-actions">
                  <button type="button" className="btn btn-secondary btn-sm" onClick={() => setOpen(open === v.version ? null : v.version)} aria-expanded={open === v.version} data-testid={`diff-${v.version}`}>
                    {open === v.version ? t('jobs.hide_diff') : t('jobs.show_diff')}
                  </button>
                  {job.can_edit_routing && (
                    <button type="button" className="btn btn-secondary btn-sm" onClick={() => { restore.reset(); setRestoring(v.version); }} data-testid={`restore-${v.version}`}>
                      {t('jobs.restore')}
                    </button>
                  )}
                </div>
              )}
              {open === v.version && (
                <div className="j-version-diff">
                  {diff.isPending && <p className="muted small">{t('common.loading')}</p>}
                  {diff.isError && <ErrorBanner error={diff.error} />}
                  {diff.data && <DiffView diff={diff.data} machines={machines.data?.items} />}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {sorted.length > VERSIONS_SHOWN && (
        <button type="button" className="btn btn-link btn-sm j-more" onClick={() => setAll(!all)} data-testid="all-versions">
          {all ? t('jobs.fewer_versions') : t('jobs.all_versions', { count: sorted.length })}
        </button>
      )}
      {restoring != null && (
        <ConfirmDialog
          title={t('jobs.restore_confirm', { v: restoring })}
          confirmLabel={t('jobs.restore')}
          pending={restore.isPending}
          error={restore.error}
          onConfirm={() => restore.mutate(restoring)}
          onCancel={() => setRestoring(null)}
          testId="restore-dialog"
        >
          <p>{t('jobs.restore_text')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function DrawingPanel({ job }: { job: Job }) {
  const { t } = useTranslation();
  const img = useBlobUrl(job.has_drawing ? `/jobs/${job.id}/drawing.png` : null);
  if (!job.has_drawing) return null;
  return (
    <section className="panel j-drawing" data-testid="job-drawing">
      <h3 className="panel-title">{t('jobs.drawing')}</h3>
      {img.error ? <ErrorBanner error={img.error} /> : img.url ? (
        <a href={img.url} target="_blank" rel="noreferrer">
          <img src={img.url} alt={t('jobs.drawing_alt', { ref: job.reference ?? job.number })} />
        </a>
      ) : (
        <span className="mini-spinner" aria-hidden="true" />
      )}
    </section>
  );
}

// ---- page -------------------------------------------------------------------------------------

function JobDetail({ job, onJob }: { job: Job; onJob: (j: Job) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const [confirm, setConfirm] = useState<'validate' | 'regenerate' | null>(null);
  const routing = routingState(job);
  const update = (j: Job) => {
    void qc.invalidateQueries({ queryKey: ['/jobs'] });
    void qc.invalidateQueries({ queryKey: ['history', JOB_ENTITY] });
    onJob(j);
  };
  const action = useMutation({
    mutationFn: (what: 'validate' | 'regenerate') => api<Job>(`/jobs/${job.id}/routing/${what}`, { method: 'POST', body: { version: job.version } }),
    onSuccess: (j, what) => {
      toast.show(what === 'validate' ? t('jobs.validated') : t('jobs.regenerated'));
      setConfirm(null);
      update(j);
    },
  });
  const canValidate = job.status === 'brouillon' && (job.can_validate_routing ?? can(me, 'routings', 'validate'));
  const canRegenerate = job.status === 'brouillon' && job.can_edit_routing;
  const history = useHistoryDisplay('jobs');
  return (
    <div className="page j-page" data-testid="job-detail">
      <PageHeader
        crumbs={[{ label: t('jobs.title'), to: '/jobs' }, { label: job.number }]}
        actions={
          <>
            {canValidate && (
              <button type="button" className="btn btn-primary" onClick={() => { action.reset(); setConfirm('validate'); }} data-testid="validate-routing">
                <Icon name="check" size={16} /> {t('jobs.validate')}
              </button>
            )}
            <DownloadButton path={`/jobs/${job.id}/traveler.pdf`} fallbackName={`${job.number}-fiche-suiveuse.pdf`} label={t('jobs.traveler_pdf')} testId="traveler-pdf" icon="printer" />
            {canRegenerate && (
              <button type="button" className="btn btn-secondary" onClick={() => { action.reset(); setConfirm('regenerate'); }} data-testid="regenerate-routing">
                <Icon name="refresh" size={16} /> <span className="btn-label">{t('jobs.regenerate')}</span>
              </button>
            )}
          </>
        }
      />
      {job.critical && (
        <div className="banner banner-warn j-critical" role="note" data-testid="critical-banner">
          <Icon name="alert" size={20} />
          <div className="banner-body">
            <strong>{t('jobs.critical_banner')}</strong>
            <div className="small">{t('jobs.critical_banner_text')}</div>
          </div>
        </div>
      )}
      <Warnings items={job.warnings} testId="job-warnings" />
      <div className="j-stack">
        <div className="form-layout">
          <div className="j-main">
            <div className="sheet panel">
              <RecordStatusBar<Job>
                path={`/jobs/${job.id}`}
                status={job.status}
                statusLabel={job.status_label}
                pipeline={job.status === 'annule' ? [...JOB_PIPELINE, 'annule'] : JOB_PIPELINE}
                transitions={job.transitions}
                toneFor={(s) => (s === 'annule' ? 'danger' : 'primary')}
                labelFor={(s) => t(`jobs.statuses.${s}`)}
                confirmFor={(s) => (s === 'annule' ? { title: t('jobs.confirm_cancel_title', { number: job.number }), text: <p>{t('jobs.confirm_cancel_text')}</p>, danger: true } : null)}
                onChanged={update}
              />
              <div className="sheet-body">
                <div className="j-title">
                  <h2 className="mono j-number" data-testid="job-number">
                    {job.number}
                  </h2>
                  <JobStatusBadge status={job.status} label={job.status_label} />
                  {/* A draft routing is what the job status already says; a validated one is worth a badge. */}
                  {(routing === 'validee' || job.status !== 'brouillon') && (
                    <span className={`badge j-routing-${routing}`} data-testid="routing-state">
                      {t(`jobs.routing_states.${routing}`)}
                    </span>
                  )}
                  {job.certified_material && <span className="badge o-badge-cert">{t('orders.certified_material')}</span>}
                  {job.control_sheet && <span className="badge j-control-sheet">{t('jobs.control_sheet')}</span>}
                </div>
                <div className="j-part" data-testid="job-part">
                  <span className="mono j-ref">{job.reference ?? '—'}</span>
                  {job.revision && <span className="muted"> {t('orders.ind', { rev: job.revision })}</span>}
                  <span className="j-designation"> — {job.designation}</span>
                </div>
                {job.debit && (
                  <div className="j-debit" data-testid="debit">
                    <div className="j-debit-head">
                      <Icon name="materials" size={16} /> <strong>{job.debit.label}</strong>
                    </div>
                    {(job.grade_label || job.debit.certified_required) && (
                      <div className="small">
                        {job.grade_label}
                        {job.debit.certified_required && <span className="badge o-badge-cert j-debit-cert">{t('jobs.certified_required')}</span>}
                      </div>
                    )}
                    {(job.debit.notes ?? []).length > 0 && (
                      <ul className="j-debit-notes small muted">
                        {job.debit.notes!.map((n, i) => (
                          <li key={i}>{n}</li>
                        ))}
                      </ul>
                    )}
                  </div>
                )}
                <dl className="meta j-meta">
                  <div>
                    <dt>{t('jobs.order')}</dt>
                    <dd>
                      <Link to={`/orders/${job.order_id}`} className="mono" data-testid="job-order-link">
                        {job.order_number}
                      </Link>
                    </dd>
                  </div>
                  <div>
                    <dt>{t('jobs.client')}</dt>
                    <dd>{job.client_name}</dd>
                  </div>
                  <div>
                    <dt>{t('jobs.quantity')}</dt>
                    <dd className="j-qty">{f.number(job.quantity)}</dd>
                  </div>
                  <div>
                    <dt>{t('jobs.due_date')}</dt>
                    <dd>{job.due_date ? f.date(job.due_date) : '—'}</dd>
                  </div>
                  {job.estimated_min != null && (
                    <div>
                      <dt>{t('followup.job_estimated')}</dt>
                      <dd data-testid="job-estimated">{formatDuration(job.estimated_min)}</dd>
                    </div>
                  )}
                  {job.actual_min != null && (
                    <div>
                      <dt>{t('followup.job_real')}</dt>
                      <dd data-testid="job-real" style={isOver(job.actual_min, job.estimated_done_min) ? OVER_STYLE : undefined} data-over={isOver(job.actual_min, job.estimated_done_min) || undefined}>
                        {job.operations.some((o) => o.actual_min != null) || Number(job.actual_min) > 0
                          ? t('followup.job_real_value', { real: formatDuration(job.actual_min), est: formatDuration(job.estimated_done_min ?? 0) })
                          : t('followup.job_none_done')}
                      </dd>
                    </div>
                  )}
                  {job.scrap_cost != null && (Number(job.scrap_cost) > 0 || job.status === 'en_cours' || job.status === 'termine') && (
                    <div>
                      <dt>{t('followup.job_scrap_cost')}</dt>
                      <dd data-testid="job-scrap-cost">{f.money(job.scrap_cost)}</dd>
                    </div>
                  )}
                  <div>
                    <dt>{t('jobs.routing_status')}</dt>
                    <dd data-testid="routing-validated">
                      {routing === 'validee' && job.routing_validated_at
                        ? t('jobs.validated_by', { who: job.routing_validated_by ?? '', when: f.dateTime(job.routing_validated_at) })
                        : t('jobs.routing_draft', { v: job.routing_version, source: t(`jobs.sources.${job.routing_source}`, { defaultValue: job.routing_source }) })}
                    </dd>
                  </div>
                </dl>
              </div>
            </div>
          </div>
          <div className="side">
            <DrawingPanel job={job} />
            <QrBadge entity={JOB_ENTITY} id={job.id} caption={job.number} subCaption={`${job.reference ?? ''} × ${job.quantity}`} />
          </div>
        </div>
        <RoutingEditor job={job} onJob={update} />
        <div className="j-bottom">
          <VersionsPanel job={job} onJob={update} />
          <HistoryPanel entity={JOB_ENTITY} id={job.id} version={job.version} {...history} />
        </div>
      </div>
      {confirm && (
        <ConfirmDialog
          title={confirm === 'validate' ? t('jobs.validate_confirm', { number: job.number }) : t('jobs.regenerate_confirm')}
          confirmLabel={confirm === 'validate' ? t('jobs.validate') : t('jobs.regenerate')}
          danger={confirm === 'regenerate'}
          pending={action.isPending}
          error={action.error}
          onConfirm={() => action.mutate(confirm)}
          onCancel={() => setConfirm(null)}
          testId={`${confirm}-dialog`}
        >
          <p>{confirm === 'validate' ? t('jobs.validate_text') : t('jobs.regenerate_text')}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

export function JobPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useJob(id);
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: t('jobs.title'), to: '/jobs' }, { label: `#${id}` }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  return <JobDetail key={q.data.id} job={q.data} onJob={(j) => qc.setQueryData(['job', id], j)} />;
}
