// Reservations of stock for a job: list (status, type, job reference), create (a tool stock line or a
// material stock item, with "available = on hand − reserved" shown before saving), release.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { ListResponse } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { SearchSelect } from '../../components/SearchSelect';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import {
  availabilityOfItem,
  canRelease,
  exceedsAvailable,
  ITEM_TYPES,
  RESERVATION_STATUSES,
  reservationBody,
  stockItemLabel,
  toolLabel,
  type Availability,
  type Reservation,
} from './masterData';
import type { StockItem, StockLine, Tool } from './stock';
import '../../styles/masterData.css';

interface ToolLineRef {
  tool: Tool;
  line: StockLine;
}

/**
 * Tool stock line id → tool + location. The API has no "line by id" read, so the lines of the tools
 * holding reserved pieces are fetched once (enough for active reservations).
 */
function useToolLines(enabled: boolean) {
  return useQuery({
    queryKey: ['reservations', 'tool-lines'],
    enabled,
    staleTime: 60_000,
    queryFn: async () => {
      const tools = await api<ListResponse<Tool>>('/tools', { query: { per_page: 500 } });
      const map = new Map<number, ToolLineRef>();
      await Promise.all(
        tools.items
          .filter((t) => t.reserved > 0)
          .map(async (tool) => {
            const lines = await api<StockLine[]>(`/tools/${tool.id}/stock`);
            for (const line of lines) map.set(line.id, { tool, line });
          }),
      );
      return map;
    },
  });
}

function MaterialItemCell({ id, label }: { id: number; label?: string }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['material-stock', String(id)], queryFn: () => api<StockItem>(`/material-stock/${id}`), staleTime: 60_000, retry: false });
  if (!q.data) return <span className="muted">{label ?? t('reservations.item_material', { id })}</span>;
  return <Link to={`/material-stock/${id}`}>{stockItemLabel(q.data)}</Link>;
}

function ToolLineCell({ id, lines, label }: { id: number; lines: Map<number, ToolLineRef> | undefined; label?: string }) {
  const { t } = useTranslation();
  const ref = lines?.get(id);
  if (!ref) return <span className="muted">{label ?? t('reservations.item_tool_line', { id })}</span>;
  return (
    <Link to={`/tools/${ref.tool.id}`}>
      {toolLabel(ref.tool)} <span className="muted">· {ref.line.location_code}</span>
    </Link>
  );
}

function ReleaseDialog({ r, onClose }: { r: Reservation; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const [reason, setReason] = useState('');
  const release = useMutation({
    mutationFn: () => api<Reservation>(`/reservations/${r.id}/release`, { method: 'POST', body: { version: r.version, reason: reason.trim() || null } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['/reservations'] });
      void qc.invalidateQueries({ queryKey: ['reservations'] });
      void qc.invalidateQueries({ queryKey: ['material-stock'] });
      toast.show(t('reservations.released'));
      onClose();
    },
  });
  return (
    <ConfirmDialog
      title={t('reservations.release_title', { job: r.job_ref })}
      confirmLabel={t('reservations.release_confirm')}
      pending={release.isPending}
      error={release.error}
      onConfirm={() => release.mutate()}
      onCancel={onClose}
      testId="release-dialog"
    >
      <p>{t('reservations.release_text', { n: r.remaining })}</p>
      <Field name="release_reason" label={t('reservations.release_reason')}>
        <input {...inputProps('release_reason')} className="input" value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
    </ConfirmDialog>
  );
}

const FORM_FIELDS = ['item_type', 'item_id', 'job_ref', 'quantity'] as const;

export function ReservationForm({ onDone, onCancel }: { onDone: (r: Reservation) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const toast = useToast();
  const qc = useQueryClient();
  const form = useFormErrors(FORM_FIELDS);
  const types = ITEM_TYPES.filter((x) => can(me, x === 'outil' ? 'tools' : 'materials', 'update'));
  const [type, setType] = useState<string>(types[0] ?? 'matiere');
  const [tool, setTool] = useState<Tool | null>(null);
  const [lineId, setLineId] = useState('');
  const [item, setItem] = useState<StockItem | null>(null);
  const [qty, setQty] = useState('1');
  const [job, setJob] = useState('');
  const lines = useQuery({ queryKey: ['tool-stock', tool?.id, 'reservation'], queryFn: () => api<StockLine[]>(`/tools/${tool?.id}/stock`), enabled: !!tool });
  const line = lines.data?.find((l) => String(l.id) === lineId) ?? (lines.data?.length === 1 ? lines.data[0] : undefined);
  const itemId = type === 'outil' ? (line?.id ?? null) : (item?.id ?? null);
  const avail: Availability | null = type === 'outil' ? (line ? { on_hand: line.quantity, reserved: line.reserved, available: line.available } : null) : item ? availabilityOfItem(item) : null;
  const over = exceedsAvailable(qty, avail);
  const save = useMutation({
    mutationFn: () => api<Reservation>('/reservations', { method: 'POST', body: reservationBody({ item_type: type, item_id: itemId, job_ref: job, quantity: qty }) }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['/reservations'] });
      void qc.invalidateQueries({ queryKey: ['reservations'] });
      void qc.invalidateQueries({ queryKey: ['material-stock'] });
      void qc.invalidateQueries({ queryKey: ['/material-stock'] });
      void qc.invalidateQueries({ queryKey: ['tool-stock'] });
      toast.show(t('reservations.created', { job: r.job_ref }));
      onDone(r);
    },
    onError: form.setError,
  });
  const chooseType = (v: string) => {
    setType(v);
    setTool(null);
    setItem(null);
    setLineId('');
    form.clearField('item_type');
    form.clearField('item_id');
  };
  return (
    <section className="sheet md-create" data-testid="reservation-form" aria-label={t('reservations.new')}>
      <h2>{t('reservations.new')}</h2>
      <FormErrorSummary error={form.error} unmatched={form.unmatched} />
      <form
        className="form-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          form.setError(null);
          save.mutate();
        }}
      >
        <Field name="item_type" label={t('reservations.item_type')} error={form.errorFor('item_type')} required>
          <select {...inputProps('item_type', form.errorFor('item_type'))} className="input" value={type} onChange={(e) => chooseType(e.target.value)}>
            {ITEM_TYPES.map((c) => (
              <option key={c} value={c}>
                {t(`reservations.item_types.${c}`)}
              </option>
            ))}
          </select>
        </Field>
        {type === 'outil' ? (
          <>
            <Field name="tool" label={t('reservations.tool')} error={form.errorFor('item_id')} required>
              <SearchSelect<Tool>
                endpoint="/tools"
                query={{ active: true }}
                label={t('reservations.tool')}
                placeholder={t('reservations.search_tool')}
                value={tool}
                onChange={(v) => {
                  setTool(v);
                  setLineId('');
                  form.clearField('item_id');
                }}
                optionLabel={toolLabel}
                optionDetail={(r) => `${t('stock.available')} ${r.available} / ${r.on_hand}`}
                testId="pick-tool"
                inputId="f-tool"
                invalid={!!form.errorFor('item_id')}
              />
            </Field>
            <Field name="item_id" label={t('reservations.tool_line')} required hint={tool && lines.data?.length === 0 ? t('reservations.no_line') : undefined}>
              <select {...inputProps('item_id')} className="input" disabled={!tool} value={line ? String(line.id) : lineId} onChange={(e) => setLineId(e.target.value)}>
                <option value="">{t('reservations.choose')}</option>
                {lines.data?.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.location_code} — {t('stock.available')} {l.available}
                  </option>
                ))}
              </select>
            </Field>
          </>
        ) : (
          <Field name="item" label={t('reservations.material_item')} error={form.errorFor('item_id')} required className="span-2">
            <SearchSelect<StockItem>
              endpoint="/material-stock"
              label={t('reservations.material_item')}
              placeholder={t('reservations.search_item')}
              value={item}
              onChange={(v) => {
                setItem(v);
                form.clearField('item_id');
              }}
              optionLabel={stockItemLabel}
              optionDetail={(r) => `${t('stock.available')} ${r.available} / ${r.quantity}${r.location_code ? ` · ${r.location_code}` : ''}${r.certified ? ` · ${t('stock.certified')}` : ''}`}
              testId="pick-item"
              inputId="f-item"
              invalid={!!form.errorFor('item_id')}
            />
          </Field>
        )}
        {avail && (
          <div className={`span-2 availability ${over ? 'is-over' : ''}`} data-testid="availability">
            <span>{t('reservations.availability', { ...avail })}</span>
            {over && (
              <span>
                <Icon name="alert" size={16} /> {t('reservations.over_available')}
              </span>
            )}
          </div>
        )}
        <Field name="quantity" label={t('reservations.quantity')} error={form.errorFor('quantity')} required>
          <input {...inputProps('quantity', form.errorFor('quantity'))} className="input" inputMode="numeric" value={qty} onChange={(e) => setQty(e.target.value)} />
        </Field>
        <Field name="job_ref" label={t('reservations.job_ref')} error={form.errorFor('job_ref')} required hint={t('reservations.job_ref_hint')}>
          <input {...inputProps('job_ref', form.errorFor('job_ref'))} className="input" placeholder="OF-2026-0142" value={job} onChange={(e) => setJob(e.target.value)} />
        </Field>
        <div className="span-2 md-inline-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="save-reservation">
            {save.isPending ? t('common.saving') : t('reservations.save')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function ReservationsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const [releasing, setReleasing] = useState<Reservation | null>(null);
  const readsTools = can(me, 'tools', 'read');
  const toolLines = useToolLines(readsTools);
  const mayCreate = can(me, 'tools', 'update') || can(me, 'materials', 'update');
  const columns = useMemo<DataColumn<Reservation>[]>(
    () => [
      { id: 'id', header: 'N°', sortKey: 'id', cell: (r) => <span className="mono">{r.id}</span>, className: 'num', hiddenByDefault: true },
      { id: 'type', header: t('reservations.item_type'), cell: (r) => <span className="chip">{t(`reservations.item_types.${r.item_type}`, { defaultValue: r.item_type_label })}</span>, className: 'nowrap' },
      { id: 'item', header: t('reservations.item'), cell: (r) => (r.item_type === 'outil' ? <ToolLineCell id={r.item_id} lines={toolLines.data} label={r.item_label} /> : <MaterialItemCell id={r.item_id} label={r.item_label} />), className: 'md-item' },
      { id: 'job_ref', header: t('reservations.job_ref_short'), sortKey: 'job_ref', cell: (r) => <span className="mono">{r.job_ref}</span>, className: 'nowrap' },
      {
        id: 'quantity',
        header: t('reservations.reserved_consumed'),
        cell: (r) => (
          <span title={`${t('reservations.quantity')} ${r.quantity} · ${t('reservations.consumed')} ${r.consumed}`}>
            {r.quantity} / {r.consumed}
          </span>
        ),
        className: 'num nowrap',
      },
      { id: 'remaining', header: t('reservations.remaining'), cell: (r) => <strong>{r.remaining}</strong>, className: 'num' },
      { id: 'status', header: t('reservations.status'), cell: (r) => <span className={`status-badge status-res-${r.status}`}>{r.status_label}</span> },
      { id: 'created_by', header: t('reservations.created_by'), cell: (r) => r.created_by, className: 'nowrap' },
      { id: 'created_at', header: t('reservations.created_at'), sortKey: 'created_at', cell: (r) => f.dateTime(r.created_at), className: 'nowrap' },
      {
        id: 'actions',
        header: '',
        cell: (r) =>
          canRelease(r) && can(me, r.item_type === 'outil' ? 'tools' : 'materials', 'update') ? (
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setReleasing(r)} data-testid={`release-${r.id}`}>
              {t('reservations.release')}
            </button>
          ) : null,
        className: 'nowrap',
      },
    ],
    [t, f, me, toolLines.data],
  );
  const filters = useMemo<FilterDef[]>(
    () => [
      { key: 'status', label: t('reservations.status'), type: 'select', options: RESERVATION_STATUSES.map((c) => ({ value: c, label: t(`reservations.statuses.${c}`) })) },
      { key: 'item_type', label: t('reservations.item_type'), type: 'select', options: ITEM_TYPES.map((c) => ({ value: c, label: t(`reservations.item_types.${c}`) })) },
      { key: 'job_ref', label: t('reservations.job_ref'), type: 'text', placeholder: 'OF-2026-0142' },
    ],
    [t],
  );
  return (
    <div className="page" data-testid="reservations-page">
      <PageHeader crumbs={[{ label: t('reservations.title') }]} />
      {creating && <ReservationForm onDone={() => setCreating(false)} onCancel={() => setCreating(false)} />}
      <DataTable<Reservation>
        tableId="reservations"
        endpoint="/reservations"
        columns={columns}
        filters={filters}
        defaultSort="-created_at"
        rowKey={(r) => r.id}
        exportName={t('reservations.title').toLowerCase()}
        actions={
          mayCreate && !creating ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="new-reservation">
              <Icon name="plus" size={16} />
              <span>{t('reservations.new')}</span>
            </button>
          ) : null
        }
      />
      {releasing && <ReleaseDialog r={releasing} onClose={() => setReleasing(null)} />}
    </div>
  );
}
