import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import type { ListResponse } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../../components/Form';
import { AttachmentsPanel } from '../../components/AttachmentsPanel';
import { HistoryPanel } from '../../components/HistoryPanel';
import { PageHeader } from '../../components/PageHeader';
import { QrBadge } from '../../components/QrBadge';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { CuttingDataTable } from './CuttingDataTable';
import { ToolLifeCounter } from './ToolLifeCounter';
import { StockBadge } from './ToolsListPage';
import { TOOL_MOVEMENTS, TOOL_TYPES, toolBody, toolForm, type Location, type Movement, type StockLine, type Tool, type ToolForm } from './stock';

const FIELDS = ['code', 'name', 'type', 'iso_designation', 'diameter_mm', 'flutes', 'coating', 'grade', 'supplier_name', 'supplier_ref', 'unit_price', 'min_stock', 'life_unit', 'life_limit', 'version'] as const;
const MOVE_FIELDS = ['kind', 'location_id', 'quantity', 'job_ref', 'destination', 'reason'] as const;

function ToolFields({ v, set, form, readOnly }: { v: ToolForm; set: (k: keyof ToolForm, value: string) => void; form: ReturnType<typeof useFormErrors>; readOnly: boolean }) {
  const { t } = useTranslation();
  const text = (k: keyof ToolForm, required = false, hint?: string) => (
    <Field name={k} label={t(`stock.${k}`)} error={form.errorFor(k)} required={required} hint={hint}>
      <input {...inputProps(k, form.errorFor(k))} className="input" readOnly={readOnly} value={v[k]} onChange={(e) => set(k, e.target.value)} />
    </Field>
  );
  return (
    <>
      {text('code', true)}
      {text('name', true)}
      <Field name="type" label={t('stock.type')} error={form.errorFor('type')} required>
        <select {...inputProps('type', form.errorFor('type'))} className="input" disabled={readOnly} value={v.type} onChange={(e) => set('type', e.target.value)}>
          <option value="">—</option>
          {TOOL_TYPES.map((c) => (
            <option key={c} value={c}>
              {t(`stock.tool_types.${c}`)}
            </option>
          ))}
        </select>
      </Field>
      {text('iso_designation', false, 'CNMG 120408-PM')}
      {text('diameter_mm')}
      {text('flutes')}
      {text('coating')}
      {text('grade')}
      {text('supplier_name')}
      {text('supplier_ref')}
      {text('unit_price', false, '14,50')}
      {text('min_stock')}
      <Field name="life_unit" label={t('stock.life_unit')} error={form.errorFor('life_unit')}>
        <select {...inputProps('life_unit', form.errorFor('life_unit'))} className="input" disabled={readOnly} value={v.life_unit} onChange={(e) => set('life_unit', e.target.value)}>
          <option value="">—</option>
          <option value="minutes">{t('stock.life_units.minutes')}</option>
          <option value="pieces">{t('stock.life_units.pieces')}</option>
        </select>
      </Field>
      {text('life_limit')}
    </>
  );
}

function CreateTool() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(FIELDS);
  const [v, setV] = useState<ToolForm>(toolForm());
  const set = (k: keyof ToolForm, value: string) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };
  const create = useMutation({
    mutationFn: () => api<Tool>('/tools', { method: 'POST', body: toolBody(v) }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['/tools'] });
      toast.show(t('stock.tool_created', { code: r.code }));
      navigate(`/tools/${r.id}`, { replace: true });
    },
    onError: form.setError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    create.mutate();
  };
  return (
    <div className="page" data-testid="tool-create">
      <PageHeader
        crumbs={[{ label: t('modules.tools'), to: '/tools' }, { label: t('stock.new_tool') }]}
        actions={
          <>
            <button type="submit" form="tool-form" className="btn btn-primary" disabled={create.isPending} data-testid="save">
              {create.isPending ? t('common.saving') : t('common.save')}
            </button>
            <Link to="/tools" className="btn btn-secondary">
              {t('common.cancel')}
            </Link>
          </>
        }
      />
      <div className="sheet">
        <FormErrorSummary error={form.error} unmatched={form.unmatched} />
        <form id="tool-form" className="form-grid" onSubmit={submit} noValidate>
          <ToolFields v={v} set={set} form={form} readOnly={false} />
        </form>
      </div>
    </div>
  );
}

function MovementForm({ tool, onDone }: { tool: Tool; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const form = useFormErrors(MOVE_FIELDS);
  const locations = useQuery({ queryKey: ['/locations', 'all'], queryFn: () => api<ListResponse<Location>>('/locations', { query: { per_page: 500 } }) });
  const [m, setM] = useState({ kind: 'sortie', location_id: '', quantity: '1', job_ref: '', destination: '', reason: '' });
  const set = (k: keyof typeof m, value: string) => {
    setM((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };
  const save = useMutation({
    mutationFn: () =>
      api<Movement>(`/tools/${tool.id}/movements`, {
        method: 'POST',
        body: {
          kind: m.kind,
          location_id: m.location_id ? Number(m.location_id) : null,
          quantity: /^-?\d+$/.test(m.quantity.trim()) ? Number(m.quantity.trim()) : null,
          job_ref: m.job_ref || null,
          destination: m.destination || null,
          reason: m.reason || null,
        },
      }),
    onSuccess: (r) => {
      toast.show(t('stock.movement_done', { before: r.qty_before, after: r.qty_after }));
      setM((s) => ({ ...s, quantity: '1', reason: '' }));
      onDone();
    },
    onError: form.setError,
  });
  return (
    <form
      className="form-grid"
      data-testid="movement-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        form.setError(null);
        save.mutate();
      }}
    >
      <h3 className="form-section span-2">{t('stock.new_movement')}</h3>
      <div className="span-2">
        <FormErrorSummary error={form.error} unmatched={form.unmatched} />
      </div>
      <Field name="kind" label={t('stock.movement_kind')} error={form.errorFor('kind')} required>
        <select {...inputProps('kind', form.errorFor('kind'))} className="input" value={m.kind} onChange={(e) => set('kind', e.target.value)}>
          {TOOL_MOVEMENTS.map((k) => (
            <option key={k} value={k}>
              {t(`stock.tool_movements.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field name="location_id" label={t('stock.location')} error={form.errorFor('location_id')} required>
        <select {...inputProps('location_id', form.errorFor('location_id'))} className="input" value={m.location_id} onChange={(e) => set('location_id', e.target.value)}>
          <option value="">—</option>
          {locations.data?.items.map((l) => (
            <option key={l.id} value={l.id}>
              {l.code} — {l.name}
            </option>
          ))}
        </select>
      </Field>
      <Field name="quantity" label={t('stock.quantity')} error={form.errorFor('quantity')} required>
        <input {...inputProps('quantity', form.errorFor('quantity'))} className="input" inputMode="numeric" value={m.quantity} onChange={(e) => set('quantity', e.target.value)} />
      </Field>
      <Field name="job_ref" label={t('stock.job_ref')} error={form.errorFor('job_ref')}>
        <input {...inputProps('job_ref', form.errorFor('job_ref'))} className="input" value={m.job_ref} onChange={(e) => set('job_ref', e.target.value)} />
      </Field>
      <Field name="destination" label={t('stock.destination')} error={form.errorFor('destination')}>
        <input {...inputProps('destination', form.errorFor('destination'))} className="input" value={m.destination} onChange={(e) => set('destination', e.target.value)} />
      </Field>
      <Field name="reason" label={t('stock.reason')} error={form.errorFor('reason')}>
        <input {...inputProps('reason', form.errorFor('reason'))} className="input" value={m.reason} onChange={(e) => set('reason', e.target.value)} />
      </Field>
      <div className="span-2">
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="save-movement">
          {t('stock.record_movement')}
        </button>
      </div>
    </form>
  );
}

function EditTool({ tool, onSaved }: { tool: Tool; onSaved: (r: Tool) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(FIELDS);
  const editable = can(me, 'tools', 'update');
  const [v, setV] = useState<ToolForm>(toolForm(tool));
  const set = (k: keyof ToolForm, value: string) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };
  const patch = toolBody(v, tool);
  const dirty = Object.keys(patch).length > 0;
  const lines = useQuery({ queryKey: ['tool-stock', tool.id, tool.version], queryFn: () => api<StockLine[]>(`/tools/${tool.id}/stock`) });
  const moves = useQuery({ queryKey: ['tool-moves', tool.id, tool.version], queryFn: () => api<ListResponse<Movement>>(`/tools/${tool.id}/movements`, { query: { per_page: 20 } }) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['tool', String(tool.id)] }).then(() => {
    void qc.invalidateQueries({ queryKey: ['tool-stock', tool.id] });
    void qc.invalidateQueries({ queryKey: ['tool-moves', tool.id] });
    void qc.invalidateQueries({ queryKey: ['history', 'tools', String(tool.id)] });
  });
  const save = useMutation({
    mutationFn: () => api<Tool>(`/tools/${tool.id}`, { method: 'PATCH', body: { version: tool.version, ...patch } }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['/tools'] });
      void qc.invalidateQueries({ queryKey: ['history', 'tools', String(tool.id)] });
      toast.show(t('stock.saved'));
      onSaved(r);
    },
    onError: form.setError,
  });
  return (
    <div className="page" data-testid="tool-edit">
      <PageHeader
        crumbs={[{ label: t('modules.tools'), to: '/tools' }, { label: `${tool.code} — ${tool.name}` }]}
        actions={
          editable ? (
            <>
              <button type="submit" form="tool-form" className="btn btn-primary" disabled={!dirty || save.isPending} data-testid="save">
                {save.isPending ? t('common.saving') : t('common.save')}
              </button>
              {dirty && <span className="unsaved">{t('common.unsaved')}</span>}
            </>
          ) : null
        }
      />
      <div className="form-layout">
        <div className="sheet">
          <div className="sheet-body">
            <div className="sheet-title">
              <h2 data-testid="tool-title">{tool.name}</h2>
              <span className="mono muted">{tool.code}</span>
              <StockBadge available={tool.available} onHand={tool.on_hand} min={tool.min_stock} />
            </div>
            <dl className="meta" data-testid="tool-stock-summary">
              <div>
                <dt>{t('stock.on_hand')}</dt>
                <dd>{tool.on_hand}</dd>
              </div>
              <div>
                <dt>{t('stock.reserved')}</dt>
                <dd>{tool.reserved}</dd>
              </div>
              <div>
                <dt>{t('stock.available')}</dt>
                <dd data-testid="tool-available">{tool.available}</dd>
              </div>
              <div>
                <dt>{t('stock.min_stock')}</dt>
                <dd>{tool.min_stock}</dd>
              </div>
            </dl>
            <ToolLifeCounter tool={tool} editable={editable} onUpdated={onSaved} />
            <FormErrorSummary error={form.error} unmatched={form.unmatched} onReload={refresh} />
            <form
              id="tool-form"
              className="form-grid"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                form.setError(null);
                save.mutate();
              }}
            >
              <h3 className="form-section span-2">{t('stock.general')}</h3>
              <ToolFields v={v} set={set} form={form} readOnly={!editable} />
            </form>
            <h3 className="form-section">{t('stock.stock_by_location')}</h3>
            <table className="table" data-testid="stock-lines">
              <thead>
                <tr>
                  <th>{t('stock.location')}</th>
                  <th className="num">{t('stock.on_hand')}</th>
                  <th className="num">{t('stock.reserved')}</th>
                  <th className="num">{t('stock.available')}</th>
                </tr>
              </thead>
              <tbody>
                {lines.data?.map((l) => (
                  <tr key={l.id}>
                    <td className="mono">{l.location_code}</td>
                    <td className="num">{l.quantity}</td>
                    <td className="num">{l.reserved}</td>
                    <td className="num">{l.available}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {editable && <MovementForm tool={tool} onDone={refresh} />}
            <CuttingDataTable toolId={tool.id} editable={editable} />
            <h3 className="form-section">{t('stock.movements')}</h3>
            <div className="table-scroll">
            <table className="table" data-testid="movements">
              <thead>
                <tr>
                  <th>{t('stock.at')}</th>
                  <th>{t('stock.movement_kind')}</th>
                  <th className="num">{t('stock.quantity')}</th>
                  <th className="num">{t('stock.before_after')}</th>
                  <th>{t('stock.job_ref')}</th>
                  <th>{t('stock.who')}</th>
                </tr>
              </thead>
              <tbody>
                {moves.data?.items.map((m) => (
                  <tr key={m.id}>
                    <td className="nowrap">{f.dateTime(m.at)}</td>
                    <td>{m.kind_label}</td>
                    <td className="num">{m.quantity}</td>
                    <td className="num">
                      {m.qty_before} → {m.qty_after}
                    </td>
                    <td>{m.job_ref ?? ''}</td>
                    <td>{m.actor_login}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          </div>
        </div>
        <div className="side">
          <QrBadge entity="tools" id={tool.id} caption={tool.code} subCaption={tool.name} />
          <AttachmentsPanel entity="tools" entityId={tool.id} />
          <HistoryPanel entity="tools" id={tool.id} version={tool.version} />
        </div>
      </div>
    </div>
  );
}

function ToolLoader({ id }: { id: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['tool', id], queryFn: () => api<Tool>(`/tools/${id}`) });
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: t('modules.tools'), to: '/tools' }, { label: `#${id}` }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  return <EditTool key={`${q.data.id}-${q.data.version}`} tool={q.data} onSaved={(r) => qc.setQueryData(['tool', id], r)} />;
}

export function ToolFormPage() {
  const { id } = useParams();
  if (!id || id === 'new') return <CreateTool />;
  return <ToolLoader key={id} id={id} />;
}
