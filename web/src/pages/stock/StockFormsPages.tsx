// Create / edit forms of locations, material grades, lots and stock items (the API owns every rule;
// errors come back as French problem+json naming the field), and the stock item movements form.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import type { ListResponse, RecordBase } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../../components/Form';
import { AttachmentsPanel } from '../../components/AttachmentsPanel';
import { HistoryPanel } from '../../components/HistoryPanel';
import { PageHeader } from '../../components/PageHeader';
import { QrBadge } from '../../components/QrBadge';
import { useToast } from '../../components/Toast';
import { can } from '../../modules';
import { formValues, recordBody, type FieldSpec, type FormValues } from './recordForm';
import type { Grade, Location, StockItem } from './stock';
import { StorageSuggestionPanel } from './StorageSuggestionPanel';

type Rec = RecordBase & Record<string, unknown>;

interface Kind {
  /** API + UI path: `locations`, `materials`, `material-lots`, `material-stock`. */
  path: string;
  module: string;
  specs: FieldSpec[];
  listLabel: string;
  newLabel: string;
  title: (r: Rec) => string;
}

const LOCATION_KINDS = ['armoire', 'tiroir', 'case', 'rack', 'zone'] as const;
const SHAPES = ['rond', 'carre', 'hexagone', 'plat', 'tube', 'tole'] as const;
const CERTIFICATES = ['aucun', '2.2', '3.1', '3.2'] as const;
const ISO = ['P', 'M', 'K', 'N', 'S', 'H'] as const;
export const MATERIAL_MOVES = ['sortie', 'rebut', 'inventaire', 'entree'] as const;

const KINDS: Record<string, Omit<Kind, 'listLabel' | 'newLabel'>> = {
  locations: {
    path: 'locations',
    module: 'tools',
    specs: [
      { name: 'code', kind: 'text', required: true, hint: 'A1-T3' },
      { name: 'name', kind: 'text', required: true },
      { name: 'kind', kind: 'select', required: true, options: LOCATION_KINDS },
      { name: 'saw_distance_m', kind: 'text', hint: '12.5' },
      { name: 'active', kind: 'bool' },
      { name: 'notes', kind: 'text' },
    ],
    title: (r) => `${String(r.code)} — ${String(r.name)}`,
  },
  materials: {
    path: 'materials',
    module: 'materials',
    specs: [
      { name: 'code', kind: 'text', required: true, hint: '42CrMo4' },
      { name: 'afnor', kind: 'text', required: true, hint: '42CD4' },
      { name: 'en_number', kind: 'text', hint: '1.7225' },
      { name: 'en_name', kind: 'text' },
      { name: 'aisi', kind: 'text' },
      { name: 'din', kind: 'text' },
      { name: 'iso_group', kind: 'select', required: true, options: ISO },
      { name: 'density', kind: 'text', required: true, hint: '7.85' },
      { name: 'hardness', kind: 'text' },
      { name: 'machinability', kind: 'text' },
      { name: 'active', kind: 'bool' },
      { name: 'notes', kind: 'text' },
    ],
    title: (r) => String(r.code),
  },
  'material-lots': {
    path: 'material-lots',
    module: 'materials',
    specs: [
      { name: 'grade_id', kind: 'id', required: true },
      { name: 'heat_number', kind: 'text', required: true },
      { name: 'supplier_name', kind: 'text' },
      { name: 'certificate_type', kind: 'select', options: CERTIFICATES },
      { name: 'certificate_ref', kind: 'text' },
      { name: 'certified', kind: 'bool' },
      { name: 'notes', kind: 'text' },
    ],
    title: (r) => `${String(r.heat_number)} (${String(r.grade_code)})`,
  },
  'material-stock': {
    path: 'material-stock',
    module: 'materials',
    specs: [
      { name: 'grade_id', kind: 'id', required: true, createOnly: true },
      { name: 'lot_id', kind: 'id', createOnly: true },
      { name: 'shape', kind: 'select', required: true, options: SHAPES, createOnly: true },
      { name: 'diameter_mm', kind: 'text', required: true, createOnly: true },
      { name: 'width_mm', kind: 'text', createOnly: true },
      { name: 'wall_mm', kind: 'text', createOnly: true },
      { name: 'length_mm', kind: 'text', required: true, createOnly: true },
      { name: 'quantity', kind: 'int', required: true, createOnly: true },
      { name: 'is_offcut', kind: 'bool', createOnly: true },
      { name: 'label', kind: 'text' },
      { name: 'location_id', kind: 'id' },
      { name: 'cost_per_kg', kind: 'text', hint: '7.60' },
      { name: 'active', kind: 'bool' },
      { name: 'notes', kind: 'text' },
    ],
    title: (r) => `${String(r.grade_code)} ${String(r.shape_label)} ${String(r.diameter_mm)} × ${String(r.length_mm)}${r.label ? ` — ${String(r.label)}` : ''}`,
  },
};

/** Choices of the `*_id` fields (locations, grades, lots). */
function useIdOptions() {
  const all = { per_page: 500 };
  const locations = useQuery({ queryKey: ['/locations', 'all'], queryFn: () => api<ListResponse<Location>>('/locations', { query: all }) });
  const grades = useQuery({ queryKey: ['/materials', 'all'], queryFn: () => api<ListResponse<Grade>>('/materials', { query: all }) });
  const lots = useQuery({ queryKey: ['/material-lots', 'all'], queryFn: () => api<ListResponse<Rec>>('/material-lots', { query: all }) });
  return (name: string): { value: string; label: string }[] => {
    if (name === 'location_id') return (locations.data?.items ?? []).map((l) => ({ value: String(l.id), label: `${l.code} — ${l.name}` }));
    if (name === 'grade_id') return (grades.data?.items ?? []).map((g) => ({ value: String(g.id), label: `${g.code} — ${g.afnor}` }));
    if (name === 'lot_id') return (lots.data?.items ?? []).map((l) => ({ value: String(l.id), label: `${String(l.heat_number)} (${String(l.grade_code)})` }));
    return [];
  };
}

function Fields({ kind, v, set, form, readOnly, creating }: { kind: Kind; v: FormValues; set: (k: string, value: string) => void; form: ReturnType<typeof useFormErrors>; readOnly: boolean; creating: boolean }) {
  const { t } = useTranslation();
  const idOptions = useIdOptions();
  const optionLabel = (name: string, code: string) => {
    if (name === 'kind') return t(`stock_forms.location_kinds.${code}`);
    if (name === 'shape') return t(`stock.shapes.${code}`);
    if (name === 'certificate_type') return code === 'aucun' ? t('stock_forms.no_certificate') : `EN 10204 ${code}`;
    return code;
  };
  return (
    <>
      {kind.specs.map((s) => {
        const ro = readOnly || (!creating && !!s.createOnly);
        const err = form.errorFor(s.name);
        const label = t(`stock_forms.fields.${s.name}`);
        let control: ReactNode;
        if (s.kind === 'bool') {
          control = (
            <select {...inputProps(s.name, err)} className="input" disabled={ro} value={v[s.name]} onChange={(e) => set(s.name, e.target.value)}>
              <option value="">—</option>
              <option value="true">{t('common.yes')}</option>
              <option value="false">{t('common.no')}</option>
            </select>
          );
        } else if (s.kind === 'select' || s.kind === 'id') {
          const opts = s.kind === 'id' ? idOptions(s.name) : (s.options ?? []).map((c) => ({ value: c, label: optionLabel(s.name, c) }));
          control = (
            <select {...inputProps(s.name, err)} className="input" disabled={ro} value={v[s.name]} onChange={(e) => set(s.name, e.target.value)}>
              <option value="">—</option>
              {opts.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          );
        } else {
          control = <input {...inputProps(s.name, err)} className="input" readOnly={ro} inputMode={s.kind === 'int' ? 'numeric' : undefined} value={v[s.name]} onChange={(e) => set(s.name, e.target.value)} />;
        }
        return (
          <Field key={s.name} name={s.name} label={label} error={err} required={s.required && (creating || !s.createOnly)} hint={s.hint}>
            {control}
          </Field>
        );
      })}
    </>
  );
}

function useKind(key: string): Kind {
  const { t } = useTranslation();
  return { ...KINDS[key], listLabel: t(`stock_forms.list.${key}`), newLabel: t(`stock_forms.new.${key}`) };
}

function CreateRecord({ kind }: { kind: Kind }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(kind.specs.map((s) => s.name));
  const [v, setV] = useState<FormValues>(() => formValues(kind.specs));
  const set = (k: string, value: string) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };
  const create = useMutation({
    mutationFn: () => api<Rec>(`/${kind.path}`, { method: 'POST', body: recordBody(kind.specs, v) }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: [`/${kind.path}`] });
      toast.show(t('stock_forms.created'));
      navigate(`/${kind.path}/${r.id}`, { replace: true });
    },
    onError: form.setError,
  });
  return (
    <div className="page" data-testid={`${kind.path}-create`}>
      <PageHeader
        crumbs={[{ label: kind.listLabel, to: `/${kind.path}` }, { label: kind.newLabel }]}
        actions={
          <>
            <button type="submit" form="record-form" className="btn btn-primary" disabled={create.isPending} data-testid="save">
              {create.isPending ? t('common.saving') : t('common.save')}
            </button>
            <Link to={`/${kind.path}`} className="btn btn-secondary">
              {t('common.cancel')}
            </Link>
          </>
        }
      />
      <div className="sheet">
        <FormErrorSummary error={form.error} unmatched={form.unmatched} />
        <form
          id="record-form"
          className="form-grid"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            form.setError(null);
            create.mutate();
          }}
        >
          <Fields kind={kind} v={v} set={set} form={form} readOnly={false} creating />
        </form>
      </div>
    </div>
  );
}

function EditRecord({ kind, record, onSaved, extra, side }: { kind: Kind; record: Rec; onSaved: (r: Rec) => void; extra?: ReactNode; side?: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(kind.specs.map((s) => s.name));
  const editable = can(me, kind.module, 'update');
  const original = formValues(kind.specs, record);
  const [v, setV] = useState<FormValues>(original);
  const set = (k: string, value: string) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };
  const patch = recordBody(kind.specs, v, original);
  const dirty = Object.keys(patch).length > 0;
  const save = useMutation({
    mutationFn: () => api<Rec>(`/${kind.path}/${record.id}`, { method: 'PATCH', body: { version: record.version, ...patch } }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: [`/${kind.path}`] });
      void qc.invalidateQueries({ queryKey: ['history', kind.path, String(record.id)] });
      toast.show(t('stock.saved'));
      onSaved(r);
    },
    onError: form.setError,
  });
  const title = kind.title(record);
  return (
    <div className="page" data-testid={`${kind.path}-edit`}>
      <PageHeader
        crumbs={[{ label: kind.listLabel, to: `/${kind.path}` }, { label: title }]}
        actions={
          editable ? (
            <>
              <button type="submit" form="record-form" className="btn btn-primary" disabled={!dirty || save.isPending} data-testid="save">
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
              <h2 data-testid="record-title">{title}</h2>
              {typeof record.status_label === 'string' && <span className="status-badge">{record.status_label}</span>}
            </div>
            <FormErrorSummary error={form.error} unmatched={form.unmatched} />
            <form
              id="record-form"
              className="form-grid"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                form.setError(null);
                save.mutate();
              }}
            >
              <Fields kind={kind} v={v} set={set} form={form} readOnly={!editable} creating={false} />
            </form>
            {extra}
          </div>
        </div>
        <div className="side">
          <QrBadge entity={kind.path} id={record.id} caption={title} />
          {side}
          <HistoryPanel entity={kind.path} id={record.id} version={record.version} />
        </div>
      </div>
    </div>
  );
}

function RecordPage({ kindKey, extra, side }: { kindKey: string; extra?: (r: Rec, refresh: () => void) => ReactNode; side?: (r: Rec) => ReactNode }) {
  const { id } = useParams();
  const kind = useKind(kindKey);
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: [kind.path, id], queryFn: () => api<Rec>(`/${kind.path}/${id}`), enabled: !!id && id !== 'new' });
  if (!id || id === 'new') return <CreateRecord kind={kind} />;
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: kind.listLabel, to: `/${kind.path}` }, { label: `#${id}` }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  const refresh = () => void qc.invalidateQueries({ queryKey: [kind.path, id] });
  return <EditRecord key={`${q.data.id}-${q.data.version}`} kind={kind} record={q.data} onSaved={(r) => qc.setQueryData([kind.path, id], r)} extra={extra?.(q.data, refresh)} side={side?.(q.data)} />;
}

interface MaterialMovement {
  id: number;
  kind: string;
  kind_label: string;
  quantity: number;
  qty_before: number;
  qty_after: number;
  job_ref: string | null;
  actor_login: string;
  at: string;
}

const MOVE_FIELDS = ['kind', 'quantity', 'job_ref', 'reason', 'offcut_length_mm', 'certified_job', 'allow_certified'] as const;

/** Sortie (with job reference, optional offcut), rebut, inventaire, entrée on a stock item. */
export function MaterialMovementForm({ item, onDone }: { item: StockItem; onDone: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const form = useFormErrors(MOVE_FIELDS);
  const [m, setM] = useState({ kind: 'sortie', quantity: '1', job_ref: '', reason: '', offcut_length_mm: '' });
  const set = (k: keyof typeof m, value: string) => {
    setM((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };
  const save = useMutation({
    mutationFn: () =>
      api<{ movement: MaterialMovement }>(`/material-stock/${item.id}/movements`, {
        method: 'POST',
        body: {
          kind: m.kind,
          quantity: /^-?\d+$/.test(m.quantity.trim()) ? Number(m.quantity.trim()) : null,
          job_ref: m.job_ref.trim() || null,
          reason: m.reason.trim() || null,
          offcut_length_mm: m.offcut_length_mm.trim() || null,
        },
      }),
    onSuccess: (r) => {
      toast.show(t('stock.movement_done', { before: r.movement.qty_before, after: r.movement.qty_after }));
      setM((s) => ({ ...s, quantity: '1', reason: '', offcut_length_mm: '' }));
      onDone();
    },
    onError: form.setError,
  });
  const text = (k: 'quantity' | 'job_ref' | 'reason' | 'offcut_length_mm', label: string) => (
    <Field name={k} label={label} error={form.errorFor(k)} required={k === 'quantity' || (k === 'job_ref' && m.kind === 'sortie')}>
      <input {...inputProps(k, form.errorFor(k))} className="input" value={m[k]} onChange={(e) => set(k, e.target.value)} />
    </Field>
  );
  return (
    <form
      className="form-grid"
      data-testid="material-movement-form"
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
          {MATERIAL_MOVES.map((k) => (
            <option key={k} value={k}>
              {t(`stock_forms.moves.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      {text('quantity', m.kind === 'inventaire' ? t('stock_forms.counted') : t('stock.quantity'))}
      {text('job_ref', t('stock.job_ref'))}
      {text('reason', t('stock.reason'))}
      {m.kind === 'sortie' && text('offcut_length_mm', t('stock_forms.offcut_length_mm'))}
      <div className="span-2">
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="save-movement">
          {t('stock.record_movement')}
        </button>
      </div>
    </form>
  );
}

function MaterialStockExtra({ item, refresh }: { item: StockItem; refresh: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const moves = useQuery({ queryKey: ['material-moves', item.id, item.version], queryFn: () => api<ListResponse<MaterialMovement>>(`/material-stock/${item.id}/movements`, { query: { per_page: 20 } }) });
  const done = () => {
    refresh();
    void qc.invalidateQueries({ queryKey: ['material-moves', item.id] });
    void qc.invalidateQueries({ queryKey: ['history', 'material-stock', String(item.id)] });
  };
  return (
    <>
      <dl className="meta" data-testid="item-stock-summary">
        <div>
          <dt>{t('stock.on_hand')}</dt>
          <dd data-testid="item-quantity">{item.quantity}</dd>
        </div>
        <div>
          <dt>{t('stock.reserved')}</dt>
          <dd>{item.reserved}</dd>
        </div>
        <div>
          <dt>{t('stock.available')}</dt>
          <dd>{item.available}</dd>
        </div>
      </dl>
      {can(me, 'materials', 'update') && <MaterialMovementForm item={item} onDone={done} />}
      <h3 className="form-section">{t('stock.movements')}</h3>
      <table className="table" data-testid="movements">
        <thead>
          <tr>
            <th>{t('stock.movement_kind')}</th>
            <th className="num">{t('stock.quantity')}</th>
            <th className="num">{t('stock.before_after')}</th>
            <th>{t('stock.job_ref')}</th>
            <th>{t('stock.who')}</th>
          </tr>
        </thead>
        <tbody>
          {moves.data?.items.map((mv) => (
            <tr key={mv.id}>
              <td>{mv.kind_label}</td>
              <td className="num">{mv.quantity}</td>
              <td className="num">
                {mv.qty_before} → {mv.qty_after}
              </td>
              <td>{mv.job_ref ?? ''}</td>
              <td>{mv.actor_login}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function LocationFormPage() {
  return <RecordPage kindKey="locations" />;
}
function CertificatesPanel({ r }: { r: Rec }) {
  const { t } = useTranslation();
  return <AttachmentsPanel entity="material-lots" entityId={r.id} title={t('attachments.certificates')} defaultKind="certificat" />;
}

export function GradeFormPage() {
  return (
    <RecordPage
      kindKey="materials"
      side={(r) => (
        <>
          <StorageSuggestionPanel gradeId={r.id} />
          <AttachmentsPanel entity="materials" entityId={r.id} />
        </>
      )}
    />
  );
}
export function LotFormPage() {
  return <RecordPage kindKey="material-lots" side={(r) => <CertificatesPanel r={r} />} />;
}
export function MaterialStockFormPage() {
  return (
    <RecordPage
      kindKey="material-stock"
      extra={(r, refresh) => <MaterialStockExtra item={r as unknown as StockItem} refresh={refresh} />}
      side={(r) => (
        <>
          {typeof r.grade_id === 'number' && <StorageSuggestionPanel gradeId={r.grade_id} limit={3} />}
          <AttachmentsPanel entity="material-stock" entityId={r.id} />
        </>
      )}
    />
  );
}
