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
import { StatusBar } from '../../components/StatusBar';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { StatusBadge } from '../users/UsersListPage';
import { createBody, emptyValues, PARTNER_FIELDS, patchBody, valuesOf, type PartnerFormValues } from './partnerForm';
import { ScoreChip, useCrmOptions } from './PartnersListPage';
import type { Contact, Evaluation, Partner, PartnerKind } from './types';

type FormApi = ReturnType<typeof useFormErrors>;

function Checks({ name, label, options, value, onChange, error, disabled }: {
  name: string;
  label: string;
  options: { code: string; label: string }[];
  value: string[];
  onChange: (v: string[]) => void;
  error?: string;
  disabled?: boolean;
}) {
  return (
    <Field name={name} label={label} error={error} asGroup className="span-2">
      <div className="check-grid">
        {options.map((o) => (
          <label key={o.code} className="check-row">
            <input
              type="checkbox"
              checked={value.includes(o.code)}
              disabled={disabled}
              onChange={(e) => onChange(e.target.checked ? [...value, o.code] : value.filter((x) => x !== o.code))}
              data-testid={`${name}-${o.code}`}
            />
            {o.label}
          </label>
        ))}
      </div>
    </Field>
  );
}

function ContactsEditor({ value, onChange, form, disabled }: { value: Contact[]; onChange: (c: Contact[]) => void; form: FormApi; disabled: boolean }) {
  const { t } = useTranslation();
  const setAt = (i: number, patch: Partial<Contact>) => onChange(value.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <div className="span-2" data-testid="contacts">
      {value.length === 0 && <p className="muted">{t('crm.no_contacts')}</p>}
      {value.map((c, i) => (
        <div key={i} className="form-grid" style={{ gridTemplateColumns: 'repeat(4, minmax(0, 1fr)) auto', alignItems: 'end', marginBottom: 8 }}>
          {(['name', 'function', 'email', 'phone'] as const).map((k) => {
            const fname = `contacts[${i}].${k}`;
            return (
              <Field key={k} name={fname} label={k === 'name' ? t('crm.contact_name') : k === 'function' ? t('crm.contact_function') : t(`crm.${k}`)} error={form.errorFor(fname)} required={k === 'name'}>
                <input {...inputProps(fname, form.errorFor(fname))} className="input" readOnly={disabled} value={c[k] ?? ''} onChange={(e) => setAt(i, { [k]: e.target.value })} />
              </Field>
            );
          })}
          {!disabled && (
            <button type="button" className="btn btn-secondary" onClick={() => onChange(value.filter((_, j) => j !== i))} data-testid={`remove-contact-${i}`}>
              {t('crm.remove_contact')}
            </button>
          )}
        </div>
      ))}
      {!disabled && (
        <button type="button" className="btn btn-secondary" onClick={() => onChange([...value, { name: '', function: '', email: '', phone: '' }])} data-testid="add-contact">
          {t('crm.add_contact')}
        </button>
      )}
    </div>
  );
}

function PartnerFields({ v, set, form, supplier, disabled }: {
  v: PartnerFormValues;
  set: <K extends keyof PartnerFormValues>(k: K, value: PartnerFormValues[K]) => void;
  form: FormApi;
  supplier: boolean;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const options = useCrmOptions();
  const text = (k: 'name' | 'siret' | 'vat_number' | 'email' | 'phone' | 'website', label: string, extra: { required?: boolean; hint?: string; mono?: boolean } = {}) => (
    <Field name={k} label={label} error={form.errorFor(k)} required={extra.required} hint={extra.hint}>
      <input {...inputProps(k, form.errorFor(k))} className={`input ${extra.mono ? 'mono' : ''}`} readOnly={disabled} value={v[k]} onChange={(e) => set(k, e.target.value)} />
    </Field>
  );
  const area = (k: 'billing_address' | 'delivery_address' | 'notes', label: string) => (
    <Field name={k} label={label} error={form.errorFor(k)} className={k === 'notes' ? 'span-2' : undefined}>
      <textarea {...inputProps(k, form.errorFor(k))} className="input" rows={3} readOnly={disabled} value={v[k]} onChange={(e) => set(k, e.target.value)} />
    </Field>
  );
  return (
    <>
      <h3 className="form-section span-2">{t('crm.identity')}</h3>
      <div className="span-2">{text('name', t('crm.name'), { required: true })}</div>
      {text('siret', t('crm.siret'), { hint: t('crm.siret_hint'), mono: true })}
      {text('vat_number', t('crm.vat_number'), { hint: t('crm.vat_hint'), mono: true })}
      {text('email', t('crm.email'))}
      {text('phone', t('crm.phone'))}
      {text('website', t('crm.website'))}
      <Field name="critical" label={t('crm.critical')} error={form.errorFor('critical')} hint={t('crm.critical_hint')}>
        <label className="check-row">
          <input type="checkbox" checked={v.critical} disabled={disabled} onChange={(e) => set('critical', e.target.checked)} data-testid="input-critical" />
          {t('crm.critical')}
        </label>
      </Field>
      <h3 className="form-section span-2">{t('crm.addresses')}</h3>
      {area('billing_address', t('crm.billing_address'))}
      {area('delivery_address', t('crm.delivery_address'))}
      <h3 className="form-section span-2">{t('crm.commercial')}</h3>
      <Field name="payment_terms" label={t('crm.payment_terms')} error={form.errorFor('payment_terms')} required>
        <select {...inputProps('payment_terms', form.errorFor('payment_terms'))} className="input" disabled={disabled} value={v.payment_terms} onChange={(e) => set('payment_terms', e.target.value)}>
          {(options.data?.payment_terms ?? [{ code: v.payment_terms, label: v.payment_terms }]).map((o) => (
            <option key={o.code} value={o.code}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
      <div />
      <Checks name="sectors" label={t('crm.sectors')} options={options.data?.sectors ?? []} value={v.sectors} onChange={(x) => set('sectors', x)} error={form.errorFor('sectors')} disabled={disabled} />
      {supplier && (
        <Checks name="supplier_kinds" label={t('crm.supplier_kinds')} options={options.data?.supplier_kinds ?? []} value={v.supplier_kinds} onChange={(x) => set('supplier_kinds', x)} error={form.errorFor('supplier_kinds')} disabled={disabled} />
      )}
      <h3 className="form-section span-2">{t('crm.contacts')}</h3>
      <ContactsEditor value={v.contacts} onChange={(c) => set('contacts', c)} form={form} disabled={disabled} />
      {area('notes', t('crm.notes'))}
    </>
  );
}

function useValues(initial: PartnerFormValues, form: FormApi) {
  const [v, setV] = useState(initial);
  const set = <K extends keyof PartnerFormValues>(k: K, value: PartnerFormValues[K]) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };
  return { v, setV, set };
}

function CreatePartner({ kind }: { kind: PartnerKind }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(PARTNER_FIELDS);
  const supplier = kind === 'suppliers';
  const { v, set } = useValues(emptyValues(), form);
  const create = useMutation({
    mutationFn: () => api<Partner>(`/${kind}`, { method: 'POST', body: createBody(v, supplier) }),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: [`/${kind}`] });
      qc.setQueryData(['partner', kind, String(p.id)], p);
      toast.show(t('crm.created', { name: p.name }));
      navigate(`/${kind}/${p.id}`, { replace: true });
    },
    onError: form.setError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    create.mutate();
  };
  const title = supplier ? t('crm.suppliers') : t('crm.clients');
  return (
    <div className="page" data-testid="partner-create">
      <PageHeader
        crumbs={[{ label: title, to: `/${kind}` }, { label: supplier ? t('crm.new_supplier') : t('crm.new_client') }]}
        actions={
          <>
            <button type="submit" form="partner-form" className="btn btn-primary" disabled={create.isPending} data-testid="save">
              {create.isPending ? t('common.saving') : t('common.save')}
            </button>
            <Link to={`/${kind}`} className="btn btn-secondary">
              {t('common.cancel')}
            </Link>
          </>
        }
      />
      <div className="sheet">
        <div className="sheet-body">
          <FormErrorSummary error={form.error} unmatched={form.unmatched} />
          <form id="partner-form" className="form-grid" onSubmit={submit} noValidate>
            <PartnerFields v={v} set={set} form={form} supplier={supplier} disabled={false} />
          </form>
        </div>
      </div>
    </div>
  );
}

function Evaluations({ supplier, editable }: { supplier: Partner; editable: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(['evaluated_on', 'quality', 'delivery', 'price', 'comment']);
  const q = useQuery({
    queryKey: ['evaluations', supplier.id, supplier.version],
    queryFn: () => api<ListResponse<Evaluation>>(`/suppliers/${supplier.id}/evaluations`, { query: { per_page: 20 } }),
  });
  const [v, setV] = useState({ evaluated_on: '', quality: '', delivery: '', price: '', comment: '' });
  const add = useMutation({
    mutationFn: () =>
      api<Evaluation>(`/suppliers/${supplier.id}/evaluations`, {
        method: 'POST',
        body: {
          evaluated_on: v.evaluated_on || null,
          quality: Number(v.quality || NaN),
          delivery: Number(v.delivery || NaN),
          price: Number(v.price || NaN),
          comment: v.comment || null,
        },
      }),
    onSuccess: () => {
      toast.show(t('crm.evaluation_added'));
      setV({ evaluated_on: '', quality: '', delivery: '', price: '', comment: '' });
      void qc.invalidateQueries({ queryKey: ['evaluations', supplier.id] });
      void qc.invalidateQueries({ queryKey: ['partner', 'suppliers', String(supplier.id)] });
      void qc.invalidateQueries({ queryKey: ['history'] });
    },
    onError: form.setError,
  });
  const num = (k: 'quality' | 'delivery' | 'price') => (
    <Field name={k} label={t(`crm.${k}`)} error={form.errorFor(k)} required>
      <input {...inputProps(k, form.errorFor(k))} className="input" type="number" min={0} max={100} value={v[k]} onChange={(e) => { setV((s) => ({ ...s, [k]: e.target.value })); form.clearField(k); }} />
    </Field>
  );
  return (
    <section className="crm-evals" data-testid="evaluations">
      <h3>{t('crm.evaluations')}</h3>
      <p className="hint">{t('crm.evaluations_hint')}</p>
      {q.isError && <ErrorBanner error={q.error} />}
      {q.data && q.data.items.length === 0 && <p className="muted">{t('crm.no_evaluations')}</p>}
      {q.data && q.data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('crm.evaluated_on')}</th>
              <th className="num">{t('crm.quality')}</th>
              <th className="num">{t('crm.delivery')}</th>
              <th className="num">{t('crm.price')}</th>
              <th className="num">{t('crm.overall')}</th>
              <th>{t('crm.comment')}</th>
            </tr>
          </thead>
          <tbody>
            {q.data.items.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">{f.date(e.evaluated_on)}</td>
                <td className="num">{e.quality}</td>
                <td className="num">{e.delivery}</td>
                <td className="num">{e.price}</td>
                <td className="num">
                  <ScoreChip score={e.overall} />
                </td>
                <td>
                  {e.comment}
                  {e.source === 'auto' && <span className="badge" style={{ marginLeft: 6 }}>{t('crm.source_auto')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editable && (
        <form
          className="form-grid"
          style={{ marginTop: 12 }}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            form.setError(null);
            add.mutate();
          }}
        >
          <FormErrorSummary error={form.error} unmatched={form.unmatched} />
          <Field name="evaluated_on" label={t('crm.evaluated_on')} error={form.errorFor('evaluated_on')}>
            <input {...inputProps('evaluated_on', form.errorFor('evaluated_on'))} className="input" type="date" value={v.evaluated_on} onChange={(e) => setV((s) => ({ ...s, evaluated_on: e.target.value }))} />
          </Field>
          {num('quality')}
          {num('delivery')}
          {num('price')}
          <Field name="comment" label={t('crm.comment')} error={form.errorFor('comment')} className="span-2">
            <input {...inputProps('comment', form.errorFor('comment'))} className="input" value={v.comment} onChange={(e) => setV((s) => ({ ...s, comment: e.target.value }))} />
          </Field>
          <div className="span-2">
            <button type="submit" className="btn btn-primary" disabled={add.isPending} data-testid="add-evaluation">
              {t('crm.add_evaluation')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function EditPartner({ kind, partner, onSaved }: { kind: PartnerKind; partner: Partner; onSaved: (p: Partner) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(PARTNER_FIELDS);
  const supplier = kind === 'suppliers';
  const editable = can(me, 'crm', 'update');
  const options = useCrmOptions();
  const { v, setV, set } = useValues(valuesOf(partner), form);
  const patch = patchBody(partner, v);
  const dirty = Object.keys(patch).length > 0;
  const save = useMutation({
    mutationFn: () => api<Partner>(`/${kind}/${partner.id}`, { method: 'PATCH', body: { version: partner.version, ...patch } }),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: [`/${kind}`] });
      void qc.invalidateQueries({ queryKey: ['history', kind, String(partner.id)] });
      toast.show(t('crm.saved'));
      onSaved(p);
    },
    onError: form.setError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    save.mutate();
  };
  const title = supplier ? t('crm.suppliers') : t('crm.clients');
  const fieldLabels: Record<string, string> = {
    name: t('crm.name'), siren: t('crm.siren'), siret: t('crm.siret'), vat_number: t('crm.vat_number'),
    billing_address: t('crm.billing_address'), delivery_address: t('crm.delivery_address'), email: t('crm.email'),
    phone: t('crm.phone'), website: t('crm.website'), payment_terms: t('crm.payment_terms'), sectors: t('crm.sectors'),
    supplier_kinds: t('crm.supplier_kinds'), critical: t('crm.critical'), contacts: t('crm.contacts'), notes: t('crm.notes'),
    status: t('crm.status'), quality: t('crm.quality'), delivery: t('crm.delivery'), price: t('crm.price'), comment: t('crm.comment'),
    evaluated_on: t('crm.evaluated_on'),
  };
  return (
    <div className="page" data-testid="partner-edit">
      <PageHeader
        crumbs={[{ label: title, to: `/${kind}` }, { label: partner.name }]}
        actions={
          editable ? (
            <>
              <button type="submit" form="partner-form" className="btn btn-primary" disabled={!dirty || save.isPending} data-testid="save">
                {save.isPending ? t('common.saving') : t('common.save')}
              </button>
              <button type="button" className="btn btn-secondary" disabled={!dirty || save.isPending} onClick={() => { setV(valuesOf(partner)); form.setError(null); }}>
                {t('common.discard')}
              </button>
              {dirty && <span className="unsaved">{t('common.unsaved')}</span>}
            </>
          ) : null
        }
      />
      <div className="form-layout">
        <div className="sheet">
          <StatusBar<Partner>
            recordPath={`/${kind}/${partner.id}`}
            status={partner.status}
            statusLabel={partner.status_label}
            version={partner.version}
            disabled={dirty}
            states={[
              { code: 'actif', label: t('crm.status_actif') },
              { code: 'archive', label: t('crm.status_archive') },
            ]}
            onChanged={(p) => {
              toast.show(t('crm.status_changed', { label: p.status_label }));
              void qc.invalidateQueries({ queryKey: [`/${kind}`] });
              onSaved(p);
            }}
          />
          <div className="sheet-body">
            <div className="sheet-title">
              <h2 data-testid="partner-title">{partner.name}</h2>
              {partner.siret && <span className="mono muted">{partner.siret}</span>}
              <StatusBadge status={partner.status} label={partner.status_label} />
              {partner.critical && <span className="badge badge-warn">{t('crm.critical_badge')}</span>}
              {supplier && partner.score && (
                <span title={t('crm.current_score')}>
                  {t('crm.current_score')} <ScoreChip score={partner.score.overall} />
                </span>
              )}
            </div>
            <FormErrorSummary error={form.error} unmatched={form.unmatched} onReload={() => void qc.invalidateQueries({ queryKey: ['partner', kind, String(partner.id)] })} />
            <form id="partner-form" className="form-grid" onSubmit={submit} noValidate>
              <PartnerFields v={v} set={set} form={form} supplier={supplier} disabled={!editable} />
              <dl className="meta span-2">
                <div>
                  <dt>{t('crm.siren')}</dt>
                  <dd className="mono">{partner.siren ?? '—'}</dd>
                </div>
                <div>
                  <dt>{t('crm.created_at')}</dt>
                  <dd>{f.dateTime(partner.created_at)}</dd>
                </div>
                <div>
                  <dt>{t('crm.updated_at')}</dt>
                  <dd>{f.dateTime(partner.updated_at)}</dd>
                </div>
              </dl>
            </form>
          </div>
          {supplier && <Evaluations supplier={partner} editable={editable} />}
        </div>
        <div className="side">
          <QrBadge entity={kind} id={partner.id} caption={partner.name} subCaption={partner.siret ?? ''} />
          <AttachmentsPanel entity={kind} entityId={partner.id} />
          <HistoryPanel
            entity={kind}
            id={partner.id}
            version={partner.version}
            fieldLabels={fieldLabels}
            formatValue={(field, value) => {
              if (field === 'contacts' && Array.isArray(value)) return value.map((c) => String((c as Contact).name)).join(', ');
              const list = field === 'sectors' ? options.data?.sectors : field === 'supplier_kinds' ? options.data?.supplier_kinds : field === 'payment_terms' ? options.data?.payment_terms : undefined;
              if (!list) return undefined;
              const label = (c: unknown) => list.find((o) => o.code === c)?.label ?? String(c);
              return Array.isArray(value) ? value.map(label).join(', ') : label(value);
            }}
          />
        </div>
      </div>
    </div>
  );
}

function PartnerLoader({ kind, id }: { kind: PartnerKind; id: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['partner', kind, id], queryFn: () => api<Partner>(`/${kind}/${id}`) });
  const title = kind === 'suppliers' ? t('crm.suppliers') : t('crm.clients');
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: title, to: `/${kind}` }, { label: `#${id}` }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  return <EditPartner key={`${q.data.id}-${q.data.version}-${q.data.score?.evaluated_on ?? ''}`} kind={kind} partner={q.data} onSaved={(p) => qc.setQueryData(['partner', kind, id], p)} />;
}

export function PartnerFormPage({ kind }: { kind: PartnerKind }) {
  const { id } = useParams();
  if (!id || id === 'new') return <CreatePartner key={kind} kind={kind} />;
  return <PartnerLoader key={`${kind}-${id}`} kind={kind} id={id} />;
}
