// /quotes/new and /quotes/:id — the quote header, its status, the drawings dropped by the
// customer (one line each, analysed in the background) and the lines table.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, downloadFile } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { formatSize } from '../../components/AttachmentsPanel';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner, useErrorText } from '../../components/ErrorBanner';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { SearchSelect } from '../../components/SearchSelect';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { AnalysisBadge, DrawingThumb, QuoteStatusBadge, gradeLabel, localFieldError, useGrades } from './components';
import {
  analysisProgress,
  emptyLineForm,
  emptyQuoteHeader,
  ENVELOPE_PARTS,
  isPending,
  lineBody,
  linePrice,
  parseQuantities,
  QUOTE_HEADER_FIELDS,
  quoteCreateBody,
  quoteHeaderPatch,
  quoteHeaderValues,
  statusPipeline,
  transitionDisplay,
  type LineFormValues,
  type QuoteHeaderValues,
} from './logic';
import { QuoteNumber } from './QuotesListPage';
import { SHAPES, type ClientOption, type Quote, type QuoteLine, type QuoteTransition } from './types';
import './quotes.css';

type FormApi = ReturnType<typeof useFormErrors>;

export const POLL_MS = 2000;

/** GET /quotes/{id}, polled every 2 s while a drawing is queued or being analysed. */
export function useQuote(id: string | number) {
  return useQuery({
    queryKey: ['quote', String(id)],
    queryFn: () => api<Quote>(`/quotes/${id}`),
    refetchInterval: (q) => (q.state.data?.lines.some((l) => isPending(l.analysis_status)) ? POLL_MS : false),
  });
}

// ---- header fields (create and edit) -----------------------------------------------------------

function HeaderFields({ v, set, form, readOnly, clientLocked }: {
  v: QuoteHeaderValues;
  set: <K extends keyof QuoteHeaderValues>(k: K, value: QuoteHeaderValues[K]) => void;
  form: FormApi;
  readOnly: boolean;
  clientLocked?: boolean;
}) {
  const { t } = useTranslation();
  const text = (k: 'subject' | 'customer_reference', extra: { span?: boolean } = {}) => (
    <Field name={k} label={t(`quotes.${k}`)} error={form.errorFor(k)} className={extra.span ? 'span-2' : undefined}>
      <input {...inputProps(k, form.errorFor(k))} className="input" readOnly={readOnly} value={v[k]} onChange={(e) => set(k, e.target.value)} />
    </Field>
  );
  return (
    <>
      <Field name="client_id" label={t('quotes.client')} error={form.errorFor('client_id')} required className="span-2">
        {readOnly || clientLocked ? (
          <div className="input q-readonly" data-testid="quote-client">
            {v.client ? <Link to={`/clients/${v.client.id}`}>{v.client.name}</Link> : '—'}
          </div>
        ) : (
          <SearchSelect<ClientOption>
            endpoint="/clients"
            query={{ status: 'actif' }}
            label={t('quotes.client')}
            placeholder={t('quotes.client_placeholder')}
            value={v.client}
            onChange={(c) => set('client', c)}
            optionLabel={(c) => c.name}
            testId="pick-client"
            inputId="f-client_id"
            invalid={!!form.errorFor('client_id')}
          />
        )}
      </Field>
      {text('subject', { span: true })}
      {text('customer_reference')}
      <Field name="valid_until" label={t('quotes.valid_until')} error={form.errorFor('valid_until')} hint={t('quotes.valid_until_hint')}>
        <input {...inputProps('valid_until', form.errorFor('valid_until'))} type="date" className="input" readOnly={readOnly} value={v.valid_until} onChange={(e) => set('valid_until', e.target.value)} />
      </Field>
      <Field name="notes" label={t('quotes.notes')} error={form.errorFor('notes')} className="span-2">
        <textarea {...inputProps('notes', form.errorFor('notes'))} className="input" rows={3} readOnly={readOnly} value={v.notes} onChange={(e) => set('notes', e.target.value)} />
      </Field>
    </>
  );
}

function useHeaderValues(initial: QuoteHeaderValues, form: FormApi) {
  const [v, setV] = useState(initial);
  const set = <K extends keyof QuoteHeaderValues>(k: K, value: QuoteHeaderValues[K]) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k === 'client' ? 'client_id' : k);
  };
  return { v, setV, set };
}

function CreateQuote() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(QUOTE_HEADER_FIELDS);
  const { v, set } = useHeaderValues(emptyQuoteHeader(), form);
  const create = useMutation({
    mutationFn: () => api<Quote>('/quotes', { method: 'POST', body: quoteCreateBody(v) }),
    onSuccess: (q) => {
      void qc.invalidateQueries({ queryKey: ['/quotes'] });
      qc.setQueryData(['quote', String(q.id)], q);
      toast.show(t('quotes.created', { number: q.number }));
      navigate(`/quotes/${q.id}`, { replace: true });
    },
    onError: form.setError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    if (!v.client) {
      form.setError(localFieldError(t('quotes.client_required'), 'client_id'));
      return;
    }
    create.mutate();
  };
  return (
    <div className="page" data-testid="quote-create">
      <PageHeader
        crumbs={[{ label: t('quotes.title'), to: '/quotes' }, { label: t('quotes.new') }]}
        actions={
          <>
            <button type="submit" form="quote-form" className="btn btn-primary" disabled={create.isPending} data-testid="save">
              {create.isPending ? t('common.saving') : t('quotes.create')}
            </button>
            <Link to="/quotes" className="btn btn-secondary">
              {t('common.cancel')}
            </Link>
          </>
        }
      />
      <div className="sheet panel q-create">
        <FormErrorSummary error={form.error} unmatched={form.unmatched} />
        <form id="quote-form" className="form-grid" onSubmit={submit} noValidate>
          <HeaderFields v={v} set={set} form={form} readOnly={false} />
        </form>
      </div>
    </div>
  );
}

// ---- status ------------------------------------------------------------------------------------

function QuoteStatusBar({ quote, disabled, onChanged }: { quote: Quote; disabled: boolean; onChanged: (q: Quote) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const [asking, setAsking] = useState<QuoteTransition | null>(null);
  const [comment, setComment] = useState('');
  const move = useMutation({
    mutationFn: ({ to, comment: c }: { to: QuoteTransition; comment: string }) =>
      api<Quote>(`/quotes/${quote.id}/status`, { method: 'POST', body: c.trim() ? { status: to.status, comment: c.trim() } : { status: to.status } }),
    onSuccess: (q) => {
      toast.show(t('quotes.status_changed', { label: q.status_label || t(`quotes.statuses.${q.status}`) }));
      setAsking(null);
      setComment('');
      onChanged(q);
    },
    onError: (e) => {
      if (!asking) toast.show(errorText(e), 'error');
    },
  });
  const click = (tr: QuoteTransition) => {
    const d = transitionDisplay(quote.status, tr.status);
    if (d.confirm) {
      move.reset();
      setAsking(tr);
    } else move.mutate({ to: tr, comment: '' });
  };
  const pipeline = statusPipeline(quote.status);
  const confirm = asking ? transitionDisplay(quote.status, asking.status).confirm : null;
  return (
    <div className="statusbar" data-testid="statusbar">
      <div className="statusbar-actions">
        {quote.transitions.map((tr) => {
          const d = transitionDisplay(quote.status, tr.status);
          return (
            <button
              key={tr.status}
              type="button"
              className={`btn btn-${d.tone === 'danger' ? 'danger-outline' : d.tone}`}
              disabled={disabled || move.isPending}
              onClick={() => click(tr)}
              data-testid={`transition-${tr.status}`}
            >
              {move.isPending && move.variables?.to.status === tr.status ? t('status.changing') : tr.label}
            </button>
          );
        })}
      </div>
      <ol className="statusbar-steps" aria-label={t('status.title')}>
        {pipeline.map((s) => (
          <li key={s} className={s === quote.status ? 'current' : ''} aria-current={s === quote.status ? 'step' : undefined} data-testid={s === quote.status ? 'status-current' : undefined}>
            {s === quote.status ? quote.status_label || t(`quotes.statuses.${s}`) : t(`quotes.statuses.${s}`)}
          </li>
        ))}
      </ol>
      {asking && confirm && (
        <ConfirmDialog
          title={t(`quotes.confirm_${confirm}_title`)}
          confirmLabel={asking.label}
          danger={confirm === 'refuse'}
          pending={move.isPending}
          error={move.error}
          onConfirm={() => move.mutate({ to: asking, comment })}
          onCancel={() => {
            setAsking(null);
            setComment('');
            move.reset();
          }}
          testId="transition-dialog"
        >
          <p>{t(`quotes.confirm_${confirm}_text`)}</p>
          <Field name="comment" label={t('quotes.comment')}>
            <textarea {...inputProps('comment')} className="input" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
          </Field>
        </ConfirmDialog>
      )}
    </div>
  );
}

// ---- drawings upload -------------------------------------------------------------------------

function DrawingUpload({ quote, onUploaded }: { quote: Quote; onUploaded: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const form = useFormErrors(['file', 'quantities']);
  const inputRef = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [quantities, setQuantities] = useState('');
  const [over, setOver] = useState(false);
  const parsed = parseQuantities(quantities, false);
  const qtyError = parsed.ok ? undefined : t(`quotes.qty_error.${parsed.error}`, { token: parsed.token });
  const upload = useMutation({
    mutationFn: () => {
      const fd = new FormData();
      for (const file of files) fd.append('file', file, file.name);
      if (parsed.ok && parsed.values.length > 0) fd.append('quantities', parsed.values.join(','));
      return api<QuoteLine[]>(`/quotes/${quote.id}/drawings`, { method: 'POST', body: fd });
    },
    onSuccess: (lines) => {
      toast.show(t('quotes.uploaded', { count: lines?.length ?? files.length }));
      setFiles([]);
      if (inputRef.current) inputRef.current.value = '';
      onUploaded();
    },
    onError: form.setError,
  });
  const add = (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const next = [...files];
    for (const file of Array.from(list)) {
      if (!next.some((x) => x.name === file.name && x.size === file.size)) next.push(file);
    }
    setFiles(next);
    form.setError(null);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    add(e.dataTransfer?.files ?? null);
  };
  return (
    <form
      className="q-upload"
      data-testid="drawing-upload"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        form.setError(null);
        if (files.length === 0) {
          form.setError(localFieldError(t('quotes.no_files'), 'file'));
          return;
        }
        if (!parsed.ok) return;
        upload.mutate();
      }}
    >
      <div
        className={`q-drop ${over ? 'is-over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        <Icon name="download" size={28} />
        <strong>{t('quotes.drop_title')}</strong>
        <span className="muted small">{t('quotes.drop_hint')}</span>
        <label className="btn btn-secondary btn-sm q-drop-pick">
          <input ref={inputRef} type="file" multiple className="sr-only" onChange={(e) => add(e.target.files)} data-testid="drawing-files" />
          {t('quotes.choose_files')}
        </label>
      </div>
      {files.length > 0 && (
        <ul className="q-files" data-testid="chosen-files">
          {files.map((file) => (
            <li key={`${file.name}-${file.size}`}>
              <Icon name="paperclip" size={14} /> <span className="q-file-name">{file.name}</span> <span className="muted small">{formatSize(file.size, f.lang)}</span>
              <button type="button" className="icon-btn" aria-label={t('quotes.remove_file', { name: file.name })} onClick={() => setFiles(files.filter((x) => x !== file))}>
                <Icon name="x" size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <FormErrorSummary error={form.error} unmatched={form.unmatched} />
      {form.errorFor('file') && <div className="field-error">{form.errorFor('file')}</div>}
      <div className="q-upload-row">
        <Field name="upload_quantities" label={t('quotes.quantities_for_upload')} error={qtyError ?? form.errorFor('quantities')} hint={t('quotes.quantities_hint')}>
          <input {...inputProps('upload_quantities', qtyError)} className="input" inputMode="numeric" placeholder="1, 10, 50" value={quantities} onChange={(e) => setQuantities(e.target.value)} />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={upload.isPending || files.length === 0 || !parsed.ok} data-testid="upload-drawings">
          {upload.isPending ? t('quotes.uploading') : files.length === 0 ? t('quotes.upload_none') : t('quotes.upload', { count: files.length })}
        </button>
      </div>
    </form>
  );
}

// ---- manual line ---------------------------------------------------------------------------

const MANUAL_FIELDS = ['part_name', 'grade_id', 'quantities', 'shape', 'envelope', 'envelope.diameter', 'envelope.length', 'envelope.width', 'envelope.height'] as const;

export function EnvelopeInputs({ v, set, form, readOnly, localErrors, onFocusField }: {
  v: Pick<LineFormValues, 'diameter' | 'length' | 'width' | 'height'>;
  set: (k: 'diameter' | 'length' | 'width' | 'height', value: string) => void;
  form: FormApi;
  readOnly: boolean;
  localErrors: Record<string, string | undefined>;
  onFocusField?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="q-envelope">
      {ENVELOPE_PARTS.map((p) => {
        const name = `envelope.${p}`;
        const err = localErrors[name] ?? form.errorFor(name);
        return (
          <label key={p} className={`q-env-part ${err ? 'has-error' : ''}`}>
            <span className="q-env-label" title={t(`quotes.env_${p}_long`)}>
              {t(`quotes.env_${p}`)}
            </span>
            <input
              {...inputProps(name, err)}
              className="input"
              inputMode="decimal"
              readOnly={readOnly}
              value={v[p]}
              aria-label={t(`quotes.env_${p}_long`)}
              onChange={(e) => set(p, e.target.value)}
              onFocus={onFocusField}
            />
            {err && <span className="field-error">{err}</span>}
          </label>
        );
      })}
    </div>
  );
}

function ManualLineForm({ quote, onCancel }: { quote: Quote; onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const grades = useGrades();
  const form = useFormErrors(MANUAL_FIELDS);
  const [v, setV] = useState<LineFormValues>({ ...emptyLineForm(), shape: 'turned' });
  const [tried, setTried] = useState(false);
  const set = <K extends keyof LineFormValues>(k: K, value: LineFormValues[K]) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(['diameter', 'length', 'width', 'height'].includes(k) ? `envelope.${k}` : k);
  };
  const { body, errors } = lineBody(v, { quantitiesRequired: true });
  const local = Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, tried ? t(e.key, { token: e.token }) : undefined]));
  const create = useMutation({
    mutationFn: () =>
      api<QuoteLine>(`/quotes/${quote.id}/lines`, {
        method: 'POST',
        body: { part_name: body.part_name, grade_id: body.grade_id, quantities: body.quantities, shape: body.shape, envelope: body.envelope },
      }),
    onSuccess: (line) => {
      toast.show(t('quotes.line_added'));
      void qc.invalidateQueries({ queryKey: ['quote', String(quote.id)] });
      void qc.invalidateQueries({ queryKey: ['/quotes'] });
      qc.setQueryData(['quote-line', String(line.id)], line);
      navigate(`/quotes/${quote.id}/lines/${line.id}`);
    },
    onError: form.setError,
  });
  return (
    <form
      className="panel q-manual"
      data-testid="manual-line-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        form.setError(null);
        if (Object.keys(errors).length > 0) return;
        create.mutate();
      }}
    >
      <h3 className="panel-title">{t('quotes.manual_line_title')}</h3>
      <FormErrorSummary error={form.error} unmatched={form.unmatched} />
      <div className="form-grid">
        <Field name="part_name" label={t('quotes.f.part_name')} error={form.errorFor('part_name')} required className="span-2">
          <input {...inputProps('part_name', form.errorFor('part_name'))} className="input" value={v.part_name} onChange={(e) => set('part_name', e.target.value)} />
        </Field>
        <Field name="grade_id" label={t('quotes.f.grade_id')} error={form.errorFor('grade_id')}>
          <select {...inputProps('grade_id', form.errorFor('grade_id'))} className="input" value={v.grade_id} onChange={(e) => set('grade_id', e.target.value)}>
            <option value="">{t('quotes.grade_none')}</option>
            {(grades.data?.items ?? []).map((g) => (
              <option key={g.id} value={g.id}>
                {gradeLabel(g)}
              </option>
            ))}
          </select>
        </Field>
        <Field name="quantities" label={t('quotes.f.quantities')} error={local.quantities ?? form.errorFor('quantities')} hint={t('quotes.quantities_hint')} required>
          <input {...inputProps('quantities', local.quantities ?? form.errorFor('quantities'))} className="input" inputMode="numeric" placeholder="1, 10, 50" value={v.quantities} onChange={(e) => set('quantities', e.target.value)} />
        </Field>
        <Field name="shape" label={t('quotes.f.shape')} error={form.errorFor('shape')}>
          <select {...inputProps('shape', form.errorFor('shape'))} className="input" value={v.shape} onChange={(e) => set('shape', e.target.value as LineFormValues['shape'])}>
            {SHAPES.map((s) => (
              <option key={s} value={s}>
                {t(`quotes.shapes.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field name="envelope" label={t('quotes.f.envelope')} error={form.errorFor('envelope')} asGroup>
          <EnvelopeInputs v={v} set={set} form={form} readOnly={false} localErrors={local} />
        </Field>
      </div>
      <div className="q-form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending} data-testid="save-manual-line">
          {create.isPending ? t('common.saving') : t('quotes.add_line')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

// ---- lines table ---------------------------------------------------------------------------

function LinesTable({ quote, editable }: { quote: Quote; editable: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const [deleting, setDeleting] = useState<QuoteLine | null>(null);
  const del = useMutation({
    mutationFn: (l: QuoteLine) => api<void>(`/quote-lines/${l.id}`, { method: 'DELETE' }),
    onSuccess: () => {
      toast.show(t('quotes.line_deleted'));
      setDeleting(null);
      void qc.invalidateQueries({ queryKey: ['quote', String(quote.id)] });
      void qc.invalidateQueries({ queryKey: ['/quotes'] });
    },
  });
  const lines = [...quote.lines].sort((a, b) => a.position - b.position);
  if (lines.length === 0) return <p className="muted" data-testid="no-lines">{t('quotes.no_lines')}</p>;
  return (
    <div className="table-scroll">
      <table className="table q-lines" data-testid="quote-lines">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>{t('quotes.col.drawing')}</th>
            <th>{t('quotes.col.part')}</th>
            <th>{t('quotes.col.material')}</th>
            <th>{t('quotes.col.quantities')}</th>
            <th>{t('quotes.col.analysis')}</th>
            <th className="num">{t('quotes.col.price_standard')}</th>
            <th>{t('quotes.col.reviewed')}</th>
            <th aria-label={t('quotes.col.actions')} />
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => {
            const price = linePrice(l);
            return (
              <tr key={l.id} data-testid={`line-${l.id}`}>
                <td className="num">{l.position}</td>
                <td>
                  {l.drawing && l.drawing.previewable !== false ? (
                    <DrawingThumb key={`${l.id}-${l.analysis_status}`} lineId={l.id} pages={l.drawing.pages} alt={t('quotes.page_alt', { n: 1, name: l.drawing.filename })} />
                  ) : (
                    <span className="muted small">{l.drawing ? t('quotes.no_preview_short') : t('quotes.no_drawing_short')}</span>
                  )}
                </td>
                <td className="q-part">
                  <span className="mono">{l.drawing_number ?? (l.drawing ? l.drawing.filename : '—')}</span>
                  {l.drawing_revision && <span className="muted small"> {t('quotes.ind', { rev: l.drawing_revision })}</span>}
                  {l.part_name && <div>{l.part_name}</div>}
                </td>
                <td className="nowrap">{l.grade_code ?? <span className="muted">—</span>}</td>
                <td className="nowrap">{l.quantities.map((q) => f.number(q)).join(' / ')}</td>
                <td>
                  <AnalysisBadge status={l.analysis_status} label={l.analysis_status_label} />
                  {l.analysis_status === 'echec' && l.analysis_error && <div className="small q-error-text">{l.analysis_error}</div>}
                </td>
                <td className="num nowrap" data-testid={`line-price-${l.id}`}>
                  {price ? (
                    <>
                      <strong>{f.money(price.scenario.total_price)}</strong>
                      <div className="muted small">
                        {f.number(price.quantity)} × {f.money(price.scenario.unit_price)}
                      </div>
                      {l.selected_scenario && l.selected_scenario !== 'standard' && (
                        <div className="small q-chosen">
                          {t('quotes.chosen_scenario', { scenario: t(`quotes.scenarios.${l.selected_scenario}`) })}
                          {l.total != null && ` ${f.money(l.total)}`}
                        </div>
                      )}
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  {l.reviewed ? (
                    <span className="q-reviewed" title={t('quotes.reviewed_by', { who: l.reviewed_by_name ?? '', when: f.dateTime(l.reviewed_at) })} data-testid={`reviewed-${l.id}`}>
                      <Icon name="check" size={16} /> <span className="sr-only">{t('quotes.col.reviewed')}</span>
                    </span>
                  ) : (
                    <span className="muted small nowrap">{t('quotes.to_review')}</span>
                  )}
                </td>
                <td className="nowrap">
                  <Link to={`/quotes/${quote.id}/lines/${l.id}`} className="btn btn-secondary btn-sm" data-testid={`review-line-${l.id}`}>
                    {t('quotes.review')}
                  </Link>
                  {editable && (
                    <button type="button" className="icon-btn" aria-label={t('quotes.delete_line', { position: l.position })} title={t('quotes.delete_line', { position: l.position })} onClick={() => setDeleting(l)} data-testid={`delete-line-${l.id}`}>
                      <Icon name="trash" size={16} />
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {deleting && (
        <ConfirmDialog
          title={t('quotes.delete_line_confirm', { position: deleting.position })}
          danger
          confirmLabel={t('quotes.delete')}
          pending={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate(deleting)}
          onCancel={() => {
            setDeleting(null);
            del.reset();
          }}
        />
      )}
    </div>
  );
}

function AnalysisProgress({ quote }: { quote: Quote }) {
  const { t } = useTranslation();
  const p = analysisProgress(quote.lines);
  if (p.total === 0) return null;
  return (
    <div className={`q-progress ${p.pending > 0 ? 'is-running' : ''}`} data-testid="analysis-progress">
      {p.pending > 0 && <span className="mini-spinner" aria-hidden="true" />}
      <span>{t('quotes.progress', { done: p.done, total: p.total })}</span>
      <progress max={p.total} value={p.done} aria-label={t('quotes.progress', { done: p.done, total: p.total })} />
    </div>
  );
}

// ---- detail ------------------------------------------------------------------------------------

function QuoteDetail({ quote, onChanged }: { quote: Quote; onChanged: (q: Quote) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const form = useFormErrors(QUOTE_HEADER_FIELDS);
  const draft = quote.status === 'brouillon';
  const editable = draft && can(me, 'quotes', 'update');
  const { v, setV, set } = useHeaderValues(quoteHeaderValues(quote), form);
  // The form diffs against what it was loaded from, so a reload (polling while drawings are
  // analysed) neither drops typed text nor sends fields nobody touched; the version sent is the
  // current one (every line change moves it).
  const [base, setBase] = useState(quote);
  const patch = quoteHeaderPatch(base, v, quote.version);
  const dirty = Object.keys(patch).length > 0;
  if (base !== quote && !dirty) {
    setBase(quote);
    setV(quoteHeaderValues(quote));
  }
  const [manual, setManual] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [pdfError, setPdfError] = useState<unknown>(null);
  const [pdfBusy, setPdfBusy] = useState(false);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['quote', String(quote.id)] });
    void qc.invalidateQueries({ queryKey: ['/quotes'] });
  };
  const save = useMutation({
    mutationFn: () => api<Quote>(`/quotes/${quote.id}`, { method: 'PATCH', body: patch }),
    onSuccess: (q) => {
      toast.show(t('quotes.saved'));
      void qc.invalidateQueries({ queryKey: ['/quotes'] });
      setBase(q);
      setV(quoteHeaderValues(q));
      onChanged(q);
    },
    onError: form.setError,
  });
  const del = useMutation({
    mutationFn: () => api<void>(`/quotes/${quote.id}`, { method: 'DELETE' }),
    onSuccess: () => {
      toast.show(t('quotes.deleted', { number: quote.number }));
      void qc.invalidateQueries({ queryKey: ['/quotes'] });
      navigate('/quotes', { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    if (!v.client) {
      form.setError(localFieldError(t('quotes.client_required'), 'client_id'));
      return;
    }
    save.mutate();
  };
  const pdf = async () => {
    setPdfError(null);
    setPdfBusy(true);
    try {
      await downloadFile(`/quotes/${quote.id}/pdf`, {}, `${quote.number}.pdf`);
    } catch (e) {
      setPdfError(e);
    } finally {
      setPdfBusy(false);
    }
  };
  const reviewed = quote.lines.filter((l) => l.reviewed).length;
  return (
    <div className="page" data-testid="quote-detail">
      <PageHeader
        crumbs={[{ label: t('quotes.title'), to: '/quotes' }, { label: `${quote.number} ${t('quotes.revision_short', { n: quote.revision })}` }]}
        actions={
          <>
            {editable && (
              <>
                <button type="submit" form="quote-form" className="btn btn-primary" disabled={!dirty || save.isPending} data-testid="save">
                  {save.isPending ? t('common.saving') : t('common.save')}
                </button>
                <button
                  type="button"
                  className="btn btn-secondary"
                  disabled={!dirty || save.isPending}
                  onClick={() => {
                    setV(quoteHeaderValues(quote));
                    setBase(quote);
                    form.setError(null);
                  }}
                >
                  {t('common.discard')}
                </button>
                {dirty && <span className="unsaved">{t('common.unsaved')}</span>}
              </>
            )}
            <button type="button" className="btn btn-secondary" onClick={() => void pdf()} disabled={pdfBusy} data-testid="download-pdf">
              <Icon name="download" size={16} />
              <span className="btn-label">{pdfBusy ? t('quotes.downloading') : t('quotes.download_pdf')}</span>
            </button>
            {draft && can(me, 'quotes', 'delete') && (
              <button type="button" className="btn btn-secondary" onClick={() => setDeleting(true)} data-testid="delete-quote" title={t('quotes.delete')}>
                <Icon name="trash" size={16} />
                <span className="btn-label">{t('quotes.delete')}</span>
              </button>
            )}
          </>
        }
      />
      {pdfError ? <ErrorBanner error={pdfError} /> : null}
      <div className="form-layout">
        <div className="q-main">
          <div className="sheet panel">
            <QuoteStatusBar
              quote={quote}
              disabled={dirty}
              onChanged={(q) => {
                void qc.invalidateQueries({ queryKey: ['/quotes'] });
                setBase(q);
                setV(quoteHeaderValues(q));
                onChanged(q);
              }}
            />
            <div className="sheet-body">
              <div className="sheet-title">
                <h2 data-testid="quote-title">
                  <QuoteNumber number={quote.number} revision={quote.revision} />
                </h2>
                <QuoteStatusBadge status={quote.status} label={quote.status_label} />
                {quote.critical_client && <span className="badge badge-warn" data-testid="critical-client">{t('quotes.critical_client')}</span>}
              </div>
              {!draft && <p className="hint">{t('quotes.read_only_hint')}</p>}
              {quote.status_comment && (
                <p className="q-status-comment" data-testid="status-comment">
                  <span className="muted">{t('quotes.status_comment')}</span> {quote.status_comment}
                </p>
              )}
              <FormErrorSummary error={form.error} unmatched={form.unmatched} onReload={() => { setBase(quote); setV(quoteHeaderValues(quote)); form.setError(null); refresh(); }} />
              <form id="quote-form" className="form-grid" onSubmit={submit} noValidate>
                <HeaderFields v={v} set={set} form={form} readOnly={!editable} />
              </form>
              <dl className="meta">
                <div>
                  <dt>{t('quotes.created_by')}</dt>
                  <dd>{quote.created_by_name}</dd>
                </div>
                <div>
                  <dt>{t('quotes.created_at')}</dt>
                  <dd>{f.dateTime(quote.created_at)}</dd>
                </div>
                <div>
                  <dt>{t('quotes.updated_at')}</dt>
                  <dd>{f.dateTime(quote.updated_at)}</dd>
                </div>
              </dl>
            </div>
          </div>
        </div>

        <div className="side">
          <section className="panel q-totals" data-testid="quote-totals">
            <h3 className="panel-title">{t('quotes.total_title')}</h3>
            <div className="q-total" data-testid="quote-total">
              {quote.total_standard == null ? <span className="muted">—</span> : f.money(quote.total_standard)}
            </div>
            <p className="muted small">{t('quotes.total_hint')}</p>
            <p className="small" data-testid="reviewed-count">
              {t('quotes.reviewed_count', { done: reviewed, total: quote.lines.length })}
            </p>
            {quote.valid_until && <p className="small">{t('quotes.valid_until_text', { date: f.date(quote.valid_until) })}</p>}
          </section>
          <section className="panel" data-testid="revisions">
            <h3 className="panel-title">{t('quotes.revisions')}</h3>
            {quote.revisions.length === 0 ? (
              <p className="muted small">{t('quotes.no_revisions')}</p>
            ) : (
              <ul className="q-revisions">
                {[...quote.revisions]
                  .sort((a, b) => b.revision - a.revision)
                  .map((r) => (
                    <li key={r.revision}>
                      <strong>{t('quotes.revision_n', { n: r.revision })}</strong> <QuoteStatusBadge status={r.status} />
                      <div className="muted small">{t('quotes.revision_by', { when: f.dateTime(r.created_at), who: r.created_by_name })}</div>
                    </li>
                  ))}
              </ul>
            )}
          </section>
        </div>
      </div>
      <section className="panel q-lines-panel" data-testid="lines-section" aria-label={t('quotes.lines')}>
        <div className="q-section-head">
          <h3 className="panel-title">
            {t('quotes.lines')} <span className="muted">({quote.lines.length})</span>
          </h3>
          <AnalysisProgress quote={quote} />
          {editable && !manual && (
            <button type="button" className="btn btn-secondary" onClick={() => setManual(true)} data-testid="add-manual-line">
              <Icon name="plus" size={16} /> {t('quotes.manual_line')}
            </button>
          )}
        </div>
        <LinesTable quote={quote} editable={editable} />
        {manual && editable && <ManualLineForm quote={quote} onCancel={() => setManual(false)} />}
        {editable && <DrawingUpload quote={quote} onUploaded={refresh} />}
      </section>
      {deleting && (
        <ConfirmDialog
          title={t('quotes.delete_confirm', { number: quote.number })}
          danger
          confirmLabel={t('quotes.delete')}
          pending={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate()}
          onCancel={() => {
            setDeleting(false);
            del.reset();
          }}
          testId="delete-quote-dialog"
        />
      )}
    </div>
  );
}

function QuoteLoader({ id }: { id: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuote(id);
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: t('quotes.title'), to: '/quotes' }, { label: `#${id}` }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  return <QuoteDetail key={q.data.id} quote={q.data} onChanged={(x) => qc.setQueryData(['quote', id], x)} />;
}

export function QuotePage() {
  const { id } = useParams();
  if (!id || id === 'new') return <CreateQuote />;
  return <QuoteLoader key={id} id={id} />;
}
