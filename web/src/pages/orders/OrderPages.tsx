// /orders/new and /orders/:id — the order header, its status (validating creates the jobs and
// their routings), the lines (editable while "En attente", then each with its job), the deliveries
// (delivery notes) and the documents (acknowledgment, the customer's PO).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../../components/Form';
import { HistoryPanel } from '../../components/HistoryPanel';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { QrBadge } from '../../components/QrBadge';
import { SearchSelect } from '../../components/SearchSelect';
import { useToast } from '../../components/Toast';
import { isoDate } from '../../lib/format';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { localFieldError } from '../quotes/components';
import { DownloadButton, JobStatusBadge, OrderStatusBadge, PriorityBadge, RecordStatusBar, useHistoryDisplay, Warnings } from './components';
import {
  canDeliver,
  checkDelivery,
  controlSheetState,
  deliveryDefaults,
  draftTotal,
  draftsTotal,
  emptyLineDraft,
  emptyOrderHeader,
  formatUnitPrice,
  headerEditable,
  isCriticalClient,
  lineDraftFrom,
  lineErrors,
  linesEditable,
  ORDER_HEADER_FIELDS,
  orderHeaderValues,
  orderInputBody,
  orderPipeline,
  orderTransitionDisplay,
  sameHeader,
  sameLines,
  hasLineErrors,
  type LineDraft,
  type OrderHeaderValues,
} from './logic';
import { PRIORITIES, type ClientOption, type Order, type OrderStatus } from './types';
import './orders.css';

type FormApi = ReturnType<typeof useFormErrors>;

/** Record names of the QR code and the history (UI path segments, see app::records). */
export const ORDER_ENTITY = 'orders';

export function useOrder(id: string | number) {
  return useQuery({ queryKey: ['order', String(id)], queryFn: () => api<Order>(`/orders/${id}`) });
}

// ---- header ---------------------------------------------------------------------------------

function HeaderFields({ v, set, form, readOnly, clientLocked, order }: {
  v: OrderHeaderValues;
  set: <K extends keyof OrderHeaderValues>(k: K, value: OrderHeaderValues[K]) => void;
  form: FormApi;
  readOnly: boolean;
  clientLocked: boolean;
  order?: Order;
}) {
  const { t } = useTranslation();
  const clientCritical = isCriticalClient(v.client);
  const critical = v.critical || clientCritical;
  const sheet = controlSheetState(critical, v.control_sheet);
  const text = (k: 'customer_po_number', extra: { mono?: boolean } = {}) => (
    <Field name={k} label={t(`orders.${k}`)} error={form.errorFor(k)}>
      <input {...inputProps(k, form.errorFor(k))} className={`input ${extra.mono ? 'mono' : ''}`} readOnly={readOnly} value={v[k]} onChange={(e) => set(k, e.target.value)} />
    </Field>
  );
  const date = (k: 'customer_po_date' | 'requested_date' | 'promised_date') => (
    <Field name={k} label={t(`orders.${k}`)} error={form.errorFor(k)}>
      <input {...inputProps(k, form.errorFor(k))} type="date" className="input" readOnly={readOnly} value={v[k]} onChange={(e) => set(k, e.target.value)} />
    </Field>
  );
  return (
    <>
      <Field name="client_id" label={t('orders.client')} error={form.errorFor('client_id')} required className="span-2">
        {readOnly || clientLocked ? (
          <div className="input o-readonly" data-testid="order-client">
            {v.client ? <Link to={`/clients/${v.client.id}`}>{v.client.name}</Link> : '—'}
          </div>
        ) : (
          <SearchSelect<ClientOption>
            endpoint="/clients"
            query={{ status: 'actif' }}
            label={t('orders.client')}
            placeholder={t('orders.client_placeholder')}
            value={v.client}
            onChange={(c) => set('client', c)}
            optionLabel={(c) => c.name}
            optionDetail={v.client && !isCriticalClient(v.client) && !v.client.siret ? undefined : (c) => (isCriticalClient(c) ? t('orders.critical_client') : (c.siret ?? ''))}
            testId="pick-client"
            inputId="f-client_id"
            invalid={!!form.errorFor('client_id')}
          />
        )}
      </Field>
      {order && (
        <div className="field">
          <span className="field-label">{t('orders.quote')}</span>
          <div className="input o-readonly" data-testid="order-quote">
            {order.quote_id ? <Link to={`/quotes/${order.quote_id}`}>{order.quote_number ?? `#${order.quote_id}`}</Link> : <span className="muted">{t('orders.no_quote')}</span>}
          </div>
        </div>
      )}
      {text('customer_po_number', { mono: true })}
      {date('customer_po_date')}
      {date('requested_date')}
      {date('promised_date')}
      <Field name="priority" label={t('orders.priority')} error={form.errorFor('priority')}>
        <select {...inputProps('priority', form.errorFor('priority'))} className="input" disabled={readOnly} value={v.priority} onChange={(e) => set('priority', e.target.value as OrderHeaderValues['priority'])}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`orders.priorities.${p}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field name="critical" label={t('orders.critical')} error={form.errorFor('critical')} hint={clientCritical ? t('orders.critical_from_client') : undefined}>
        <label className="check-row">
          <input {...inputProps('critical', form.errorFor('critical'))} type="checkbox" checked={critical} disabled={readOnly || clientCritical} onChange={(e) => set('critical', e.target.checked)} />
          <span>{t('orders.critical_label')}</span>
        </label>
      </Field>
      <Field
        name="control_sheet"
        label={t('orders.control_sheet_title')}
        error={form.errorFor('control_sheet')}
        className="span-2"
        hint={sheet.locked ? <span data-testid="control-sheet-locked">{t('orders.control_sheet_locked')}</span> : t('orders.control_sheet_hint')}
      >
        <label className="check-row">
          <input
            {...inputProps('control_sheet', form.errorFor('control_sheet'))}
            type="checkbox"
            checked={sheet.checked}
            disabled={readOnly || sheet.locked}
            onChange={(e) => set('control_sheet', e.target.checked)}
          />
          <span>{t('orders.control_sheet')}</span>
          {sheet.locked && <Icon name="lock" size={14} />}
        </label>
      </Field>
      <Field name="notes" label={t('orders.notes')} error={form.errorFor('notes')} className="span-2">
        <textarea {...inputProps('notes', form.errorFor('notes'))} className="input" rows={2} readOnly={readOnly} value={v.notes} onChange={(e) => set('notes', e.target.value)} />
      </Field>
    </>
  );
}

function useHeader(initial: OrderHeaderValues, form: FormApi) {
  const [v, setV] = useState(initial);
  const set = <K extends keyof OrderHeaderValues>(k: K, value: OrderHeaderValues[K]) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k === 'client' ? 'client_id' : k);
  };
  return { v, setV, set };
}

// ---- lines ----------------------------------------------------------------------------------

function LinesEditor({ drafts, setDrafts, form }: { drafts: LineDraft[]; setDrafts: (d: LineDraft[]) => void; form: FormApi }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [touched, setTouched] = useState(false);
  const update = (i: number, patch: Partial<LineDraft>) => {
    setDrafts(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
    form.clearField('lines');
  };
  return (
    <div className="table-scroll">
      <table className="table o-lines o-lines-edit" data-testid="order-lines">
        <thead>
          <tr>
            <th className="num">{t('orders.col.position')}</th>
            <th>{t('orders.col.reference')}</th>
            <th>{t('orders.col.revision')}</th>
            <th>{t('orders.col.designation')}</th>
            <th className="num">{t('orders.col.quantity')}</th>
            <th className="num">{t('orders.col.unit_price')}</th>
            <th>{t('orders.col.requested_date')}</th>
            <th>{t('orders.col.critical')}</th>
            <th className="num">{t('orders.col.total')}</th>
            <th aria-label={t('orders.col.actions')} />
          </tr>
        </thead>
        <tbody>
          {drafts.map((d, i) => {
            const errs = touched ? lineErrors(d) : {};
            const total = draftTotal(d);
            const n = i + 1;
            return (
              <tr key={d.key} data-testid={`edit-line-${i}`}>
                <td className="num">{n}</td>
                <td>
                  <input className="input input-sm mono o-w-ref" aria-label={t('orders.col.reference_n', { n })} value={d.reference} onChange={(e) => update(i, { reference: e.target.value })} data-testid={`line-${i}-reference`} />
                </td>
                <td>
                  <input className="input input-sm o-w-rev" aria-label={t('orders.col.revision_n', { n })} value={d.revision} onChange={(e) => update(i, { revision: e.target.value })} data-testid={`line-${i}-revision`} />
                </td>
                <td>
                  <input
                    className="input input-sm o-w-des"
                    aria-label={t('orders.col.designation_n', { n })}
                    aria-invalid={errs.designation ? true : undefined}
                    value={d.designation}
                    onChange={(e) => update(i, { designation: e.target.value })}
                    onBlur={() => setTouched(true)}
                    data-testid={`line-${i}-designation`}
                  />
                  {errs.designation && <div className="field-error">{t(`orders.line_error.${errs.designation}`)}</div>}
                </td>
                <td className="num">
                  <input
                    className="input input-sm num o-w-qty"
                    inputMode="numeric"
                    aria-label={t('orders.col.quantity_n', { n })}
                    aria-invalid={errs.quantity ? true : undefined}
                    value={d.quantity}
                    onChange={(e) => update(i, { quantity: e.target.value })}
                    onBlur={() => setTouched(true)}
                    data-testid={`line-${i}-quantity`}
                  />
                  {errs.quantity && <div className="field-error">{t(`orders.line_error.${errs.quantity}`)}</div>}
                </td>
                <td className="num">
                  <input
                    className="input input-sm num o-w-price"
                    inputMode="decimal"
                    aria-label={t('orders.col.unit_price_n', { n })}
                    aria-invalid={errs.unit_price ? true : undefined}
                    value={d.unit_price}
                    onChange={(e) => update(i, { unit_price: e.target.value })}
                    onBlur={() => setTouched(true)}
                    data-testid={`line-${i}-unit_price`}
                  />
                  {errs.unit_price && <div className="field-error">{t(`orders.line_error.${errs.unit_price}`)}</div>}
                </td>
                <td>
                  <input type="date" className="input input-sm" aria-label={t('orders.col.requested_date_n', { n })} value={d.requested_date} onChange={(e) => update(i, { requested_date: e.target.value })} data-testid={`line-${i}-requested_date`} />
                </td>
                <td className="o-center">
                  <input type="checkbox" aria-label={t('orders.col.critical_n', { n })} checked={d.critical} onChange={(e) => update(i, { critical: e.target.checked })} data-testid={`line-${i}-critical`} />
                </td>
                <td className="num nowrap" data-testid={`line-${i}-total`}>
                  {total == null ? <span className="muted">—</span> : f.money(total)}
                </td>
                <td>
                  <button type="button" className="icon-btn" aria-label={t('orders.remove_line', { n })} title={t('orders.remove_line', { n })} onClick={() => setDrafts(drafts.filter((_, j) => j !== i))} data-testid={`line-${i}-remove`}>
                    <Icon name="trash" size={16} />
                  </button>
                </td>
              </tr>
            );
          })}
          {drafts.length === 0 && (
            <tr>
              <td colSpan={10} className="table-msg" data-testid="no-lines">
                {t('orders.no_lines')}
              </td>
            </tr>
          )}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={8}>
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => setDrafts([...drafts, emptyLineDraft()])} data-testid="add-line">
                <Icon name="plus" size={14} /> {t('orders.add_line')}
              </button>
            </td>
            <td className="num nowrap o-total-cell" data-testid="lines-total">
              {f.money(draftsTotal(drafts))}
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function LinesView({ order }: { order: Order }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="table-scroll">
      <table className="table o-lines" data-testid="order-lines">
        <thead>
          <tr>
            <th className="num">{t('orders.col.position')}</th>
            <th>{t('orders.col.reference')}</th>
            <th>{t('orders.col.designation')}</th>
            <th className="num">{t('orders.col.quantity')}</th>
            <th className="num">{t('orders.col.delivered')}</th>
            <th className="num">{t('orders.col.unit_price')}</th>
            <th className="num">{t('orders.col.total')}</th>
            <th>{t('orders.col.requested_date')}</th>
            <th>{t('orders.col.job')}</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l) => (
            <tr key={l.id} data-testid={`line-${l.id}`}>
              <td className="num">{l.position}</td>
              <td className="nowrap">
                <span className="mono">{l.reference ?? '—'}</span>
                {l.revision && <span className="muted small"> {t('orders.ind', { rev: l.revision })}</span>}
              </td>
              <td className="wrap">
                {l.designation}
                <div className="o-line-tags">
                  {l.grade_label && <span className="muted small">{l.grade_label}</span>}
                  {l.critical && <span className="badge badge-warn">{t('orders.critical_short')}</span>}
                  {l.certified_material && <span className="badge o-badge-cert" title={t('orders.certified_material_hint')}>{t('orders.certified_material')}</span>}
                </div>
              </td>
              <td className="num">{f.number(l.quantity)}</td>
              <td className="num nowrap">
                {f.number(l.delivered_quantity)}
                {l.remaining > 0 && l.delivered_quantity > 0 && <div className="muted small">{t('orders.remaining_n', { n: f.number(l.remaining) })}</div>}
              </td>
              <td className="num nowrap">{l.unit_price == null ? <span className="muted">—</span> : formatUnitPrice(l.unit_price, f.lang)}</td>
              <td className="num nowrap">{l.total == null ? <span className="muted">—</span> : f.money(l.total)}</td>
              <td className="nowrap">{f.date(l.requested_date)}</td>
              <td className="nowrap" data-testid={`line-job-${l.id}`}>
                {l.job ? (
                  <>
                    <Link to={`/jobs/${l.job.id}`} className="mono" data-testid={`job-link-${l.job.id}`}>
                      {l.job.number}
                    </Link>{' '}
                    <JobStatusBadge status={l.job.status} label={l.job.status_label} />
                  </>
                ) : (
                  <span className="muted small">{t('orders.no_job')}</span>
                )}
              </td>
            </tr>
          ))}
          {order.lines.length === 0 && (
            <tr>
              <td colSpan={9} className="table-msg" data-testid="no-lines">
                {t('orders.no_lines')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

// ---- deliveries -----------------------------------------------------------------------------

function DeliverDialog({ order, onDone, onCancel }: { order: Order; onDone: (o: Order) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const open = order.lines.filter((l) => l.remaining > 0);
  const [qty, setQty] = useState<Record<number, string>>(() => deliveryDefaults(open));
  const [date, setDate] = useState(() => isoDate(new Date()));
  const [packages, setPackages] = useState('');
  const [weight, setWeight] = useState('');
  const [notes, setNotes] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const check = checkDelivery(open, qty);
  const post = useMutation({
    mutationFn: () => {
      if (!check.ok) throw new Error('invalid');
      const body: Record<string, unknown> = { delivered_on: date || undefined, lines: check.lines };
      const p = Number(packages);
      if (packages.trim() && Number.isInteger(p) && p > 0) body.packages = p;
      if (weight.trim()) body.weight_kg = weight.trim().replace(',', '.');
      if (notes.trim()) body.notes = notes.trim();
      return api<Order>(`/orders/${order.id}/deliveries`, { method: 'POST', body });
    },
    onSuccess: (o) => {
      const last = [...o.deliveries].sort((a, b) => b.id - a.id)[0];
      toast.show(t('orders.delivery_created', { number: last?.number ?? '' }));
      onDone(o);
    },
  });
  const confirm = () => {
    if (!check.ok) {
      const l = check.lineId ? open.find((x) => x.id === check.lineId) : null;
      setLocalError(t(`orders.delivery_error.${check.error}`, { ref: l?.reference ?? l?.designation ?? '', n: l?.remaining ?? 0 }));
      return;
    }
    setLocalError(null);
    post.mutate();
  };
  return (
    <ConfirmDialog title={t('orders.deliver_title', { number: order.number })} confirmLabel={t('orders.deliver_confirm')} pending={post.isPending} error={post.error} onConfirm={confirm} onCancel={onCancel} testId="deliver-dialog">
      <div className="table-scroll">
        <table className="table o-deliver-table">
          <thead>
            <tr>
              <th>{t('orders.col.reference')}</th>
              <th className="num">{t('orders.col.quantity')}</th>
              <th className="num">{t('orders.col.delivered')}</th>
              <th className="num">{t('orders.col.remaining')}</th>
              <th className="num">{t('orders.col.to_deliver')}</th>
            </tr>
          </thead>
          <tbody>
            {open.map((l) => (
              <tr key={l.id}>
                <td>
                  <span className="mono">{l.reference ?? '—'}</span>
                  <div className="small muted">{l.designation}</div>
                </td>
                <td className="num">{f.number(l.quantity)}</td>
                <td className="num">{f.number(l.delivered_quantity)}</td>
                <td className="num" data-testid={`remaining-${l.id}`}>
                  {f.number(l.remaining)}
                </td>
                <td className="num">
                  <input
                    className="input input-sm num o-w-qty"
                    inputMode="numeric"
                    aria-label={t('orders.to_deliver_for', { ref: l.reference ?? l.designation })}
                    value={qty[l.id] ?? ''}
                    onChange={(e) => {
                      setQty({ ...qty, [l.id]: e.target.value });
                      setLocalError(null);
                    }}
                    data-testid={`deliver-qty-${l.id}`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="form-grid o-deliver-fields">
        <Field name="delivered_on" label={t('orders.delivered_on')}>
          <input {...inputProps('delivered_on')} type="date" className="input" value={date} onChange={(e) => setDate(e.target.value)} />
        </Field>
        <Field name="packages" label={t('orders.packages')}>
          <input {...inputProps('packages')} className="input" inputMode="numeric" value={packages} onChange={(e) => setPackages(e.target.value)} />
        </Field>
        <Field name="weight_kg" label={t('orders.weight_kg')}>
          <input {...inputProps('weight_kg')} className="input" inputMode="decimal" value={weight} onChange={(e) => setWeight(e.target.value)} />
        </Field>
        <Field name="delivery_notes" label={t('orders.delivery_notes')} className="span-2">
          <input {...inputProps('delivery_notes')} className="input" value={notes} onChange={(e) => setNotes(e.target.value)} />
        </Field>
      </div>
      {localError && (
        <div className="field-error" role="alert" data-testid="deliver-error">
          {localError}
        </div>
      )}
    </ConfirmDialog>
  );
}

function DeliveriesPanel({ order, editable, onChanged }: { order: Order; editable: boolean; onChanged: (o: Order) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [open, setOpen] = useState(false);
  const allowed = editable && canDeliver(order);
  return (
    <section className="panel o-deliveries" data-testid="deliveries" aria-label={t('orders.deliveries')}>
      <div className="o-section-head">
        <h3 className="panel-title">
          {t('orders.deliveries')} <span className="muted">({order.deliveries.length})</span>
        </h3>
        {allowed && (
          <button type="button" className="btn btn-primary" onClick={() => setOpen(true)} data-testid="deliver">
            <Icon name="orders" size={16} /> {t('orders.deliver')}
          </button>
        )}
      </div>
      {order.deliveries.length === 0 ? (
        <p className="muted small" data-testid="no-deliveries">
          {t('orders.no_deliveries')}
        </p>
      ) : (
        <ul className="o-delivery-list">
          {[...order.deliveries]
            .sort((a, b) => b.id - a.id)
            .map((d) => (
              <li key={d.id} data-testid={`delivery-${d.id}`}>
                <div className="o-delivery-head">
                  <strong className="mono">{d.number}</strong>
                  <span className="muted small">{f.date(d.delivered_on)}</span>
                  <DownloadButton path={d.pdf_url || `/deliveries/${d.id}/pdf`} fallbackName={`${d.number}.pdf`} label={t('orders.delivery_pdf')} testId={`delivery-pdf-${d.id}`} />
                </div>
                <ul className="o-delivery-lines small">
                  {d.lines.map((l) => (
                    <li key={l.order_line_id}>
                      <span className="mono">{l.reference ?? ''}</span> {l.designation} — <strong>{f.number(l.quantity)}</strong>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
        </ul>
      )}
      {open && (
        <DeliverDialog
          order={order}
          onCancel={() => setOpen(false)}
          onDone={(o) => {
            setOpen(false);
            onChanged(o);
          }}
        />
      )}
    </section>
  );
}

// ---- create ---------------------------------------------------------------------------------

function CreateOrder() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(ORDER_HEADER_FIELDS);
  const { v, set } = useHeader(emptyOrderHeader(), form);
  const [drafts, setDrafts] = useState<LineDraft[]>(() => [emptyLineDraft()]);
  const create = useMutation({
    mutationFn: () => api<Order>('/orders', { method: 'POST', body: orderInputBody(v, drafts) }),
    onSuccess: (o) => {
      void qc.invalidateQueries({ queryKey: ['/orders'] });
      qc.setQueryData(['order', String(o.id)], o);
      toast.show(t('orders.created', { number: o.number }));
      navigate(`/orders/${o.id}`, { replace: true });
    },
    onError: form.setError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    if (!v.client) {
      form.setError(localFieldError(t('orders.client_required'), 'client_id'));
      return;
    }
    if (drafts.length === 0 || hasLineErrors(drafts)) {
      form.setError(localFieldError(t('orders.lines_invalid'), 'lines'));
      return;
    }
    create.mutate();
  };
  return (
    <div className="page" data-testid="order-create">
      <PageHeader
        crumbs={[{ label: t('orders.title'), to: '/orders' }, { label: t('orders.new') }]}
        actions={
          <>
            <button type="submit" form="order-form" className="btn btn-primary" disabled={create.isPending} data-testid="save">
              {create.isPending ? t('common.saving') : t('orders.create')}
            </button>
            <Link to="/orders" className="btn btn-secondary">
              {t('common.cancel')}
            </Link>
          </>
        }
      />
      <div className="sheet panel">
        <FormErrorSummary error={form.error} unmatched={form.unmatched} />
        <form id="order-form" className="form-grid" onSubmit={submit} noValidate>
          <HeaderFields v={v} set={set} form={form} readOnly={false} clientLocked={false} />
        </form>
      </div>
      <section className="panel o-lines-panel" aria-label={t('orders.lines')}>
        <h3 className="panel-title">{t('orders.lines')}</h3>
        {form.errorFor('lines') && <div className="field-error" data-testid="error-lines">{form.errorFor('lines')}</div>}
        <LinesEditor drafts={drafts} setDrafts={setDrafts} form={form} />
      </section>
    </div>
  );
}

// ---- detail ---------------------------------------------------------------------------------

function OrderDetail({ order, onChanged }: { order: Order; onChanged: (o: Order) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const form = useFormErrors(ORDER_HEADER_FIELDS);
  const canUpdate = can(me, 'orders', 'update');
  const headerRW = canUpdate && headerEditable(order.status);
  const linesRW = canUpdate && linesEditable(order.status);
  const { v, setV, set } = useHeader(orderHeaderValues(order), form);
  const [drafts, setDrafts] = useState<LineDraft[]>(() => order.lines.map((l) => lineDraftFrom(l, f.lang)));
  const [base, setBase] = useState(order);
  const baseHeader = orderHeaderValues(base);
  const baseLines = base.lines.map((l) => lineDraftFrom(l, f.lang));
  const headerDirty = !sameHeader(v, baseHeader);
  const linesDirty = linesRW && !sameLines(drafts, baseLines);
  const dirty = headerDirty || linesDirty;
  const reset = (o: Order) => {
    setBase(o);
    setV(orderHeaderValues(o));
    setDrafts(o.lines.map((l) => lineDraftFrom(l, f.lang)));
  };
  if (base !== order && !dirty) reset(order);
  const [deleting, setDeleting] = useState(false);
  const save = useMutation({
    mutationFn: () => api<Order>(`/orders/${order.id}`, { method: 'PATCH', body: orderInputBody(v, linesRW ? drafts : undefined, order.version) }),
    onSuccess: (o) => {
      toast.show(t('orders.saved'));
      void qc.invalidateQueries({ queryKey: ['/orders'] });
      reset(o);
      onChanged(o);
    },
    onError: form.setError,
  });
  const del = useMutation({
    mutationFn: () => api<void>(`/orders/${order.id}`, { method: 'DELETE' }),
    onSuccess: () => {
      toast.show(t('orders.deleted', { number: order.number }));
      void qc.invalidateQueries({ queryKey: ['/orders'] });
      navigate('/orders', { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    if (!v.client) {
      form.setError(localFieldError(t('orders.client_required'), 'client_id'));
      return;
    }
    if (linesRW && (drafts.length === 0 || hasLineErrors(drafts))) {
      form.setError(localFieldError(t('orders.lines_invalid'), 'lines'));
      return;
    }
    save.mutate();
  };
  const changed = (o: Order) => {
    void qc.invalidateQueries({ queryKey: ['/orders'] });
    void qc.invalidateQueries({ queryKey: ['history', ORDER_ENTITY] });
    reset(o);
    onChanged(o);
  };
  const canValidate = order.transitions.some((tr) => tr.status === 'validee');
  const history = useHistoryDisplay('orders');
  const total = linesRW ? draftsTotal(drafts) : order.total;

  return (
    <div className="page" data-testid="order-detail">
      <PageHeader
        crumbs={[{ label: t('orders.title'), to: '/orders' }, { label: order.number }]}
        actions={
          <>
            {headerRW && (
              <>
                <button type="submit" form="order-form" className="btn btn-primary" disabled={!dirty || save.isPending} data-testid="save">
                  {save.isPending ? t('common.saving') : t('common.save')}
                </button>
                {dirty && (
                  <>
                    <button type="button" className="btn btn-secondary" disabled={save.isPending} onClick={() => { reset(order); form.setError(null); }} data-testid="discard">
                      {t('common.discard')}
                    </button>
                    <span className="unsaved">{t('common.unsaved')}</span>
                  </>
                )}
              </>
            )}
            <DownloadButton path={`/orders/${order.id}/acknowledgment.pdf`} fallbackName={`AR-${order.number}.pdf`} label={t('orders.acknowledgment_pdf')} testId="ack-pdf" />
            {order.has_po_file && <DownloadButton path={`/orders/${order.id}/po-file`} fallbackName={`BC-${order.customer_po_number ?? order.number}`} label={t('orders.po_file')} testId="po-file" icon="paperclip" />}
            {order.status === 'en_attente' && can(me, 'orders', 'delete') && (
              <button type="button" className="btn btn-secondary" onClick={() => setDeleting(true)} data-testid="delete-order" title={t('orders.delete')}>
                <Icon name="trash" size={16} />
                <span className="btn-label">{t('orders.delete')}</span>
              </button>
            )}
          </>
        }
      />
      <Warnings items={order.warnings} />
      <div className="form-layout">
        <div className="o-main">
          <div className="sheet panel">
            <RecordStatusBar<Order>
              path={`/orders/${order.id}`}
              status={order.status}
              statusLabel={order.status_label}
              pipeline={orderPipeline(order.status)}
              transitions={order.transitions}
              disabled={dirty}
              toneFor={(s) => orderTransitionDisplay(s as OrderStatus).tone}
              labelFor={(s) => t(`orders.statuses.${s}`)}
              withComment
              confirmFor={(s) => {
                const c = orderTransitionDisplay(s as OrderStatus).confirm;
                if (c === 'validate') return { title: t('orders.confirm_validate_title', { number: order.number }), text: <p>{t('orders.confirm_validate_text', { count: order.lines.length })}</p> };
                if (c === 'cancel') return { title: t('orders.confirm_cancel_title', { number: order.number }), text: <p>{t('orders.confirm_cancel_text')}</p>, danger: true };
                return null;
              }}
              onChanged={changed}
            />
            <div className="sheet-body">
              <div className="sheet-title">
                <h2 className="mono" data-testid="order-title">
                  {order.number}
                </h2>
                <OrderStatusBadge status={order.status} label={order.status_label} />
                <PriorityBadge priority={order.priority} label={order.priority_label} />
                {order.critical && (
                  <span className="badge badge-warn" data-testid="critical-order">
                    {t('orders.critical')}
                  </span>
                )}
                {order.late && (
                  <span className="o-late" data-testid="late-order">
                    <Icon name="alert" size={14} /> {t('orders.late_yes')}
                  </span>
                )}
              </div>
              {canValidate && <p className="hint o-validate-hint" data-testid="validate-hint">{t('orders.validate_hint')}</p>}
              {!headerRW && <p className="hint">{t('orders.read_only_hint')}</p>}
              {order.status_comment && (
                <p className="o-status-comment" data-testid="status-comment">
                  <span className="muted">{t('orders.status_comment')}</span> {order.status_comment}
                </p>
              )}
              <FormErrorSummary error={form.error} unmatched={form.unmatched} onReload={() => { reset(order); form.setError(null); void qc.invalidateQueries({ queryKey: ['order', String(order.id)] }); }} />
              <form id="order-form" className="form-grid" onSubmit={submit} noValidate>
                <HeaderFields v={v} set={set} form={form} readOnly={!headerRW} clientLocked={!linesRW} order={order} />
              </form>
              <dl className="meta">
                <div>
                  <dt>{t('orders.created_by')}</dt>
                  <dd>{order.created_by_name}</dd>
                </div>
                <div>
                  <dt>{t('orders.created_at')}</dt>
                  <dd>{f.dateTime(order.created_at)}</dd>
                </div>
                {order.validated_at && (
                  <div>
                    <dt>{t('orders.validated_at')}</dt>
                    <dd>{f.dateTime(order.validated_at)}</dd>
                  </div>
                )}
              </dl>
            </div>
          </div>
        </div>
        <div className="side">
          <section className="panel o-totals" data-testid="order-totals">
            <h3 className="panel-title">{t('orders.total_ht')}</h3>
            <div className="o-total" data-testid="order-total">
              {total == null ? <span className="muted">—</span> : f.money(total)}
            </div>
            <p className="muted small">{t('orders.lines_count', { count: linesRW ? drafts.length : order.lines.length })}</p>
          </section>
          <QrBadge entity={ORDER_ENTITY} id={order.id} caption={order.number} subCaption={order.client_name} />
        </div>
      </div>
      <section className="panel o-lines-panel" data-testid="lines-section" aria-label={t('orders.lines')}>
        <h3 className="panel-title">
          {t('orders.lines')} <span className="muted">({linesRW ? drafts.length : order.lines.length})</span>
        </h3>
        {form.errorFor('lines') && <div className="field-error" data-testid="error-lines">{form.errorFor('lines')}</div>}
        {linesRW ? <LinesEditor drafts={drafts} setDrafts={setDrafts} form={form} /> : <LinesView order={order} />}
      </section>
      <DeliveriesPanel order={order} editable={canUpdate && !dirty} onChanged={changed} />
      <div className="o-history">
        <HistoryPanel entity={ORDER_ENTITY} id={order.id} version={order.version} {...history} />
      </div>
      {deleting && (
        <ConfirmDialog
          title={t('orders.delete_confirm', { number: order.number })}
          danger
          confirmLabel={t('orders.delete')}
          pending={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate()}
          onCancel={() => {
            setDeleting(false);
            del.reset();
          }}
          testId="delete-order-dialog"
        />
      )}
    </div>
  );
}

function OrderLoader({ id }: { id: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useOrder(id);
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: t('orders.title'), to: '/orders' }, { label: `#${id}` }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  return <OrderDetail key={q.data.id} order={q.data} onChanged={(o) => qc.setQueryData(['order', id], o)} />;
}

export function OrderPage() {
  const { id } = useParams();
  if (!id || id === 'new') return <CreateOrder />;
  return <OrderLoader key={id} id={id} />;
}
