import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import type { Calibration, Instrument, InstrumentException, InstrumentUse } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { LabelPrintButton, useRowSelection } from '../../components/LabelPrintButton';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../../components/Form';
import { AttachmentsPanel } from '../../components/AttachmentsPanel';
import { HistoryPanel } from '../../components/HistoryPanel';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { QrBadge } from '../../components/QrBadge';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { SpecFields, StateBadge, useFieldLabels, useResourceForm } from './ResourceForm';
import { INSTRUMENT_SPECS, INSTRUMENT_STATES, INSTRUMENT_TYPES } from './specs';

/** Expired or non-conforming: only an exception allows a use. */
function blocked(i: Instrument): boolean {
  return i.state === 'expire' || i.state === 'non_conforme';
}

export function InstrumentsListPage() {
  const { t } = useTranslation();
  const sel = useRowSelection();
  const f = useFormat();
  const me = useMe();
  const columns = useMemo<DataColumn<Instrument>[]>(
    () => [
      { id: 'code', header: t('instruments.code'), sortKey: 'code', cell: (m) => <span className="mono">{m.code}</span>, className: 'nowrap' },
      { id: 'name', header: t('instruments.name'), sortKey: 'name', cell: (m) => m.name },
      { id: 'type', header: t('instruments.type'), sortKey: 'instrument_type', cell: (m) => m.instrument_type_label, className: 'nowrap' },
      { id: 'range', header: t('instruments.range'), cell: (m) => m.range ?? '' },
      { id: 'location', header: t('instruments.location'), cell: (m) => m.location ?? '', hiddenByDefault: true },
      { id: 'last', header: t('instruments.last_calibration'), sortKey: 'last_calibration', cell: (m) => f.date(m.last_calibration), className: 'nowrap', hiddenByDefault: true },
      { id: 'next', header: t('instruments.next_calibration'), sortKey: 'next_calibration', cell: (m) => f.date(m.next_calibration), className: 'nowrap' },
      {
        id: 'state',
        header: t('instruments.state'),
        cell: (m) => (
          <>
            <StateBadge state={m.state} label={m.state_label} /> {m.current_exception && blocked(m) && <span className="badge badge-warn">{t('instruments.exception_badge')}</span>}
          </>
        ),
        className: 'nowrap',
      },
      { id: 'due', header: t('instruments.days_to_due'), cell: (m) => (m.days_to_due ?? ''), className: 'num' },
    ],
    [t, f],
  );
  const filters = useMemo<FilterDef[]>(
    () => [
      { key: 'state', label: t('instruments.state'), type: 'select', options: INSTRUMENT_STATES.map((k) => ({ value: k, label: t(`instrument_states.${k}`) })) },
      { key: 'instrument_type', label: t('instruments.type'), type: 'select', options: INSTRUMENT_TYPES.map((k) => ({ value: k, label: t(`instrument_types.${k}`) })) },
    ],
    [t],
  );
  return (
    <div className="page" data-testid="instruments-page">
      <PageHeader crumbs={[{ label: t('instruments.title') }]} />
      <DataTable<Instrument>
        tableId="instruments"
        endpoint="/instruments"
        columns={columns}
        filters={filters}
        defaultSort="code"
        rowKey={(m) => m.id}
        rowHref={(m) => `/instruments/${m.id}`}
        exportName="instruments"
        selection={sel}
        actions={
          <>
            {can(me, 'instruments', 'create') ? (
            <Link to="/instruments/new" className="btn btn-primary" data-testid="new-instrument">
              <Icon name="plus" size={16} />
              <span>{t('instruments.new')}</span>
            </Link>
          ) : null}
            <LabelPrintButton entity="instruments" ids={sel.selected} />
          </>
        }
      />
    </div>
  );
}

/** A small POST form inside the record page (calibration, exception, use). */
export function usePostForm<T>(path: string, fields: readonly string[], onDone: (r: T) => void) {
  const form = useFormErrors(fields);
  const [v, setV] = useState<Record<string, string>>({});
  const set = (k: string, value: string) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };
  const m = useMutation({
    mutationFn: () => api<T>(path, { method: 'POST', body: v }),
    onSuccess: (r) => {
      setV({});
      form.setError(null);
      onDone(r);
    },
    onError: form.setError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    m.mutate();
  };
  return { form, v, set, m, submit };
}

export interface PostFormLike {
  form: { errorFor: (name: string) => string | undefined };
  v: Record<string, string>;
  set: (k: string, value: string) => void;
}

export function TextInput({ name, label, type = 'text', p }: { name: string; label: string; type?: string; p: PostFormLike }) {
  return (
    <Field name={name} label={label} error={p.form.errorFor(name)}>
      <input {...inputProps(name, p.form.errorFor(name))} type={type} className="input" value={p.v[name] ?? ''} onChange={(e) => p.set(name, e.target.value)} />
    </Field>
  );
}

function InstrumentSide({ inst, onChanged }: { inst: Instrument; onChanged: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const toast = useToast();
  const qc = useQueryClient();
  const base = `/instruments/${inst.id}`;
  const cals = useQuery({ queryKey: ['calibrations', inst.id, inst.version], queryFn: () => api<Calibration[]>(`${base}/calibrations`) });
  const exs = useQuery({ queryKey: ['exceptions', inst.id, inst.version], queryFn: () => api<InstrumentException[]>(`${base}/exceptions`) });
  const uses = useQuery({ queryKey: ['uses', inst.id], queryFn: () => api<InstrumentUse[]>(`${base}/uses`) });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['/instruments'] });
    void qc.invalidateQueries({ queryKey: ['history'] });
    void qc.invalidateQueries({ queryKey: ['exceptions', inst.id] });
    void qc.invalidateQueries({ queryKey: ['calibrations', inst.id] });
    onChanged();
  };
  const cal = usePostForm<Instrument>(`${base}/calibrations`, ['date', 'result', 'certificate_no', 'performed_by', 'notes'], () => {
    toast.show(t('instruments.calibration_recorded'));
    refresh();
  });
  const ex = usePostForm<InstrumentException>(`${base}/exceptions`, ['reason', 'valid_until'], () => {
    toast.show(t('instruments.exception_recorded'));
    refresh();
  });
  const use = usePostForm<InstrumentUse>(`${base}/use`, ['reference'], () => {
    toast.show(t('instruments.use_recorded'));
    void qc.invalidateQueries({ queryKey: ['uses', inst.id] });
    void qc.invalidateQueries({ queryKey: ['history'] });
  });
  return (
    <>
      <section className="res-panel" data-testid="calibrations">
        <h3>{t('instruments.calibrations')}</h3>
        <table className="res-table">
          <thead>
            <tr>
              <th>{t('instruments.cal_date')}</th>
              <th>{t('instruments.cal_result')}</th>
              <th>{t('instruments.certificate_no')}</th>
              <th>{t('instruments.performed_by')}</th>
            </tr>
          </thead>
          <tbody>
            {(cals.data ?? []).map((c) => (
              <tr key={c.id}>
                <td className="nowrap">{f.date(c.date)}</td>
                <td>
                  <StateBadge state={c.result === 'conforme' ? 'valide' : 'non_conforme'} label={c.result_label} />
                </td>
                <td>{c.certificate_no ?? ''}</td>
                <td>{c.performed_by}</td>
              </tr>
            ))}
            {cals.data?.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  {t('instruments.no_calibration')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {can(me, 'instruments', 'update') && (
          <form className="res-inline-form" onSubmit={cal.submit} noValidate data-testid="calibration-form">
            <TextInput name="date" label={t('instruments.cal_date')} type="date" p={cal} />
            <Field name="result" label={t('instruments.cal_result')} error={cal.form.errorFor('result')}>
              <select {...inputProps('result', cal.form.errorFor('result'))} className="input" value={cal.v.result ?? ''} onChange={(e) => cal.set('result', e.target.value)}>
                <option value="">{t('resources.choose')}</option>
                <option value="conforme">{t('instruments.conforme')}</option>
                <option value="non_conforme">{t('instruments.non_conforme')}</option>
              </select>
            </Field>
            <TextInput name="certificate_no" label={t('instruments.certificate_no')} p={cal} />
            <TextInput name="performed_by" label={t('instruments.performed_by')} p={cal} />
            <button type="submit" className="btn btn-secondary" disabled={cal.m.isPending} data-testid="record-calibration">
              {t('instruments.record_calibration')}
            </button>
          </form>
        )}
        <FormErrorSummary error={cal.form.error} unmatched={cal.form.unmatched} />
      </section>
      <section className="res-panel" data-testid="exceptions">
        <h3>{t('instruments.exceptions')}</h3>
        <p className="muted">{t('instruments.exceptions_hint')}</p>
        <table className="res-table">
          <tbody>
            {(exs.data ?? []).map((e) => (
              <tr key={e.id}>
                <td className="nowrap">
                  {t('instruments.until', { date: f.date(e.valid_until) })} {e.current ? <span className="badge badge-warn">{t('instruments.exception_current')}</span> : <span className="muted">{t('instruments.exception_past')}</span>}
                </td>
                <td>{e.reason}</td>
                <td className="muted">{e.granted_by_login ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {can(me, 'instruments', 'validate') && (
          <form className="res-inline-form" onSubmit={ex.submit} noValidate data-testid="exception-form">
            <TextInput name="reason" label={t('instruments.reason')} p={ex} />
            <TextInput name="valid_until" label={t('instruments.valid_until')} type="date" p={ex} />
            <button type="submit" className="btn btn-secondary" disabled={ex.m.isPending} data-testid="grant-exception">
              {t('instruments.grant_exception')}
            </button>
          </form>
        )}
        <FormErrorSummary error={ex.form.error} unmatched={ex.form.unmatched} />
      </section>
      <section className="res-panel" data-testid="uses">
        <h3>{t('instruments.uses')}</h3>
        <form className="res-inline-form" onSubmit={use.submit} noValidate data-testid="use-form">
          <TextInput name="reference" label={t('instruments.use_reference')} p={use} />
          <button type="submit" className="btn btn-secondary" disabled={use.m.isPending} data-testid="record-use">
            {t('instruments.record_use')}
          </button>
        </form>
        <FormErrorSummary error={use.form.error} unmatched={use.form.unmatched} />
        <table className="res-table">
          <tbody>
            {(uses.data ?? []).slice(0, 10).map((u) => (
              <tr key={u.id}>
                <td className="nowrap">{f.date(u.used_on)}</td>
                <td>{u.reference}</td>
                <td className="muted">{u.user_login ?? ''}</td>
                <td>{u.exception_id ? <span className="badge badge-warn">{t('instruments.exception_badge')}</span> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function InstrumentForm({ inst, onSaved }: { inst: Instrument | null; onSaved: (m: Instrument) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const editable = can(me, 'instruments', inst ? 'update' : 'create');
  const fieldLabels = useFieldLabels(INSTRUMENT_SPECS, {
    range_text: 'range',
    next_calibration: 'instruments.next_calibration',
    last_result: 'instruments.cal_result',
    reason: 'instruments.reason',
    valid_until: 'instruments.valid_until',
    reference: 'instruments.use_reference',
    state: 'instruments.state',
  });
  const r = useResourceForm<Instrument>({
    specs: INSTRUMENT_SPECS,
    record: inst,
    endpoint: '/instruments',
    savedMessage: t('instruments.saved'),
    onSaved: (m) => {
      if (!inst) navigate(`/instruments/${m.id}`, { replace: true });
      else onSaved(m);
    },
  });
  const title = inst ? `${inst.code} — ${inst.name}` : t('instruments.new');
  return (
    <div className="page" data-testid={inst ? 'instrument-edit' : 'instrument-create'}>
      <PageHeader
        crumbs={[{ label: t('instruments.title'), to: '/instruments' }, { label: title }]}
        actions={
          editable ? (
            <>
              <button type="submit" form="instrument-form" className="btn btn-primary" disabled={(inst && !r.dirty) || r.save.isPending} data-testid="save">
                {r.save.isPending ? t('common.saving') : t('common.save')}
              </button>
              {inst ? (
                <button type="button" className="btn btn-secondary" disabled={!r.dirty} onClick={r.reset}>
                  {t('common.discard')}
                </button>
              ) : (
                <Link to="/instruments" className="btn btn-secondary">
                  {t('common.cancel')}
                </Link>
              )}
            </>
          ) : null
        }
      />
      <div className="form-layout">
        <div className="sheet">
          <div className="sheet-body">
            {inst && (
              <>
                <div className="sheet-title">
                  <h2 data-testid="instrument-title">{title}</h2>
                  <StateBadge state={inst.state} label={inst.state_label} />
                  {!inst.active && <StateBadge state="hors_service" label={inst.status_label} />}
                </div>
                <div
                  className={`banner res-alert ${inst.usable ? (inst.state === 'valide' ? 'banner-info' : 'banner-warn') : 'banner-error'}`}
                  data-testid="instrument-usability"
                >
                  <div className="banner-body">
                    <strong>
                      {inst.next_calibration
                        ? t('instruments.next_line', { date: f.date(inst.next_calibration), days: inst.days_to_due ?? 0 })
                        : t('instruments.never_calibrated')}
                    </strong>{' '}
                    {inst.usable
                      ? inst.current_exception && blocked(inst)
                        ? t('instruments.usable_by_exception', { date: f.date(inst.current_exception.valid_until), reason: inst.current_exception.reason })
                        : t('instruments.usable')
                      : t('instruments.blocked')}
                  </div>
                </div>
              </>
            )}
            <FormErrorSummary error={r.form.error} unmatched={r.form.unmatched} onReload={() => void qc.invalidateQueries({ queryKey: ['instrument'] })} />
            <form id="instrument-form" className="form-grid" onSubmit={r.submit} noValidate>
              <SpecFields specs={INSTRUMENT_SPECS} values={r.values} set={r.set} errorFor={r.form.errorFor} editable={editable} />
            </form>
            {inst && <InstrumentSide inst={inst} onChanged={() => void qc.invalidateQueries({ queryKey: ['instrument', String(inst.id)] })} />}
          </div>
        </div>
        {inst && (
          <div className="side">
            <QrBadge entity="instruments" id={inst.id} caption={inst.code} subCaption={inst.name} />
            <AttachmentsPanel entity="instruments" entityId={inst.id} />
            <HistoryPanel entity="instruments" id={inst.id} version={inst.version} fieldLabels={fieldLabels} />
          </div>
        )}
      </div>
    </div>
  );
}

function InstrumentLoader({ id }: { id: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['instrument', id], queryFn: () => api<Instrument>(`/instruments/${id}`) });
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: t('instruments.title'), to: '/instruments' }, { label: `#${id}` }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  return <InstrumentForm key={`${q.data.id}-${q.data.version}`} inst={q.data} onSaved={(m) => qc.setQueryData(['instrument', id], m)} />;
}

export function InstrumentFormPage() {
  const { id } = useParams();
  if (!id || id === 'new') return <InstrumentForm inst={null} onSaved={() => undefined} />;
  return <InstrumentLoader key={id} id={id} />;
}
