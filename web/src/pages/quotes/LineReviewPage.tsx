// /quotes/:id/lines/:lineId — a person checks what was read on a drawing: the pages on the left
// with a box around every value read, the fields on the right (hovering one lights the other),
// then the estimate below. Nothing is sent to the customer before every line is validated here.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, downloadFile } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { formatSize } from '../../components/AttachmentsPanel';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner, useErrorText } from '../../components/ErrorBanner';
import { Field, FormErrorSummary, fieldId, inputProps, useFormErrors } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { AnalysisBadge, ConfidenceDot, gradeLabel, pagePath, useBlobUrl, useGrades } from './components';
import { EstimatePanel, effectiveSelection, type Selection } from './EstimatePanel';
import { NegotiatedPrice } from './NegotiatedPrice';
import {
  bboxStyle,
  confidenceLevel,
  extractedFor,
  extractedText,
  fieldConfidence,
  fieldForKey,
  INFO_KEYS,
  isPending,
  LINE_FIELDS,
  lineFormValues,
  linePatch,
  LIST_KEYS,
  validateBlocker,
  type LineField,
  type LineFormValues,
} from './logic';
import { EnvelopeInputs, POLL_MS, useQuote } from './QuotePages';
import { SHAPES, type Extracted, type Quote, type QuoteLine } from './types';
import './quotes.css';


/** What is lit: a form field (all its boxes) or one box (and its field). */
interface Hot {
  field?: LineField | null;
  index?: number | null;
}

const SERVER_FIELDS = [...LINE_FIELDS, 'envelope.diameter', 'envelope.length', 'envelope.width', 'envelope.height', 'selected_quantity', 'selected_scenario', 'reviewed', 'version'] as const;

export function useLine(lineId: string) {
  return useQuery({
    queryKey: ['quote-line', lineId],
    queryFn: () => api<QuoteLine>(`/quote-lines/${lineId}`),
    refetchInterval: (q) => (q.state.data && isPending(q.state.data.analysis_status) ? POLL_MS : false),
  });
}

// ---- drawing pages ---------------------------------------------------------------------------

function DrawingPage({ line, n, zoom, hotSet, onHover, onFocusBox, onPick }: {
  line: QuoteLine;
  n: number;
  zoom: number;
  hotSet: Set<number>;
  onHover: (i: number | null) => void;
  onFocusBox: (i: number | null) => void;
  onPick: (i: number) => void;
}) {
  const { t } = useTranslation();
  const img = useBlobUrl(pagePath(line.id, n));
  const boxes = line.extracted
    .map((e, i) => ({ e, i, style: bboxStyle(e.bbox) }))
    .filter((x) => x.style && (x.e.page ?? 1) === n);
  return (
    <figure className="q-page" style={{ width: `${zoom * 100}%` }} data-testid={`page-${n}`}>
      <div className="q-page-inner">
        {img.url ? (
          <img src={img.url} alt={t('quotes.page_alt', { n, name: line.drawing?.filename ?? '' })} draggable={false} />
        ) : (
          <div className="q-page-placeholder">{img.error ? <ErrorBanner error={img.error} /> : <span className="spinner" aria-label={t('common.loading')} />}</div>
        )}
        {img.url &&
          boxes.map(({ e, i, style }) => (
            <button
              key={i}
              type="button"
              className={`q-box conf-${confidenceLevel(e.confidence)} ${hotSet.has(i) ? 'is-hot' : ''}`}
              style={style!}
              data-idx={i}
              data-testid={`box-${i}`}
              aria-label={`${e.label}${t('common.colon')}${extractedText(e.value)}`}
              title={`${e.label}${t('common.colon')}${extractedText(e.value)}`}
              onMouseEnter={() => onHover(i)}
              onMouseLeave={() => onHover(null)}
              onFocus={() => onFocusBox(i)}
              onBlur={() => onFocusBox(null)}
              onClick={() => onPick(i)}
            />
          ))}
      </div>
      <figcaption className="muted small">{t('quotes.page_n', { n, total: line.drawing?.pages ?? 1 })}</figcaption>
    </figure>
  );
}

function DrawingPanel({ line, hotSet, setHover, setFocus, pick }: {
  line: QuoteLine;
  hotSet: Set<number>;
  setHover: (h: Hot | null) => void;
  setFocus: (h: Hot | null) => void;
  pick: (i: number) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [zoom, setZoom] = useState(1);
  const [dlError, setDlError] = useState<unknown>(null);
  const d = line.drawing;
  if (!d) {
    return (
      <div className="q-drawing q-drawing-empty" data-testid="no-drawing">
        <Icon name="quotes" size={32} />
        <p>{t('quotes.no_drawing')}</p>
      </div>
    );
  }
  const pages = d.previewable === false ? [] : Array.from({ length: Math.max(0, d.pages) }, (_, i) => i + 1);
  return (
    <div className="q-drawing" data-testid="drawing">
      <div className="q-drawing-bar">
        <span className="q-drawing-name" title={d.filename}>
          <Icon name="paperclip" size={14} /> {d.filename}
        </span>
        <span className="muted small">
          {t('quotes.drawing_meta', { pages: d.pages, size: formatSize(d.size_bytes, f.lang) })}
          {line.text_source ? ` · ${t(`quotes.text_sources.${line.text_source}`, { defaultValue: t('quotes.text_source', { v: line.text_source }) })}` : ''}
        </span>
        <span className="q-drawing-tools">
          <button type="button" className="icon-btn" onClick={() => setZoom((z) => Math.max(1, z - 0.5))} disabled={zoom <= 1} aria-label={t('quotes.zoom_out')} title={t('quotes.zoom_out')} data-testid="zoom-out">
            −
          </button>
          <span className="small">{Math.round(zoom * 100)} %</span>
          <button type="button" className="icon-btn" onClick={() => setZoom((z) => Math.min(3, z + 0.5))} disabled={zoom >= 3} aria-label={t('quotes.zoom_in')} title={t('quotes.zoom_in')} data-testid="zoom-in">
            +
          </button>
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() => {
              setDlError(null);
              downloadFile(`/quote-lines/${line.id}/drawing`, {}, d.filename).catch(setDlError);
            }}
            data-testid="download-drawing"
          >
            <Icon name="download" size={14} /> <span className="btn-label">{t('quotes.original_file')}</span>
          </button>
        </span>
      </div>
      {dlError ? <ErrorBanner error={dlError} /> : null}
      <div className="q-pages" id="q-pages">
        {pages.length === 0 ? (
          <p className="muted q-no-preview">{t('quotes.no_preview')}</p>
        ) : (
          pages.map((n) => (
            <DrawingPage
              // A page rendered after the analysis replaces a placeholder fetched before it.
              key={`${n}-${line.analysis_status}`}
              line={line}
              n={n}
              zoom={zoom}
              hotSet={hotSet}
              onHover={(i) => setHover(i == null ? null : { index: i })}
              onFocusBox={(i) => setFocus(i == null ? null : { index: i })}
              onPick={pick}
            />
          ))
        )}
      </div>
    </div>
  );
}

// ---- fields ----------------------------------------------------------------------------------

function readValues(line: QuoteLine, field: LineField): string {
  return extractedFor(line.extracted, field)
    .map((i) => extractedText(line.extracted[i].value))
    .filter((s) => s !== '')
    .join(' · ');
}

function ReviewField({ field, line, hot, missing, setHover, onFocusField, children, label, error, required, asGroup, hint }: {
  field: LineField;
  line: QuoteLine;
  hot: boolean;
  missing?: string;
  setHover: (h: Hot | null) => void;
  onFocusField: (f: LineField | null) => void;
  children: ReactNode;
  label: string;
  error?: string;
  required?: boolean;
  asGroup?: boolean;
  hint?: ReactNode;
}) {
  const { t } = useTranslation();
  const read = readValues(line, field);
  const hasRead = extractedFor(line.extracted, field).length > 0;
  return (
    <div
      className={`q-field ${hot ? 'is-hot' : ''} ${missing ? 'is-missing' : ''}`}
      onMouseEnter={() => setHover({ field })}
      onMouseLeave={() => setHover(null)}
      onFocus={() => onFocusField(field)}
      onBlur={() => onFocusField(null)}
      data-testid={`rf-${field}`}
    >
      <Field
        name={field}
        asGroup={asGroup}
        required={required}
        error={error}
        hint={hint}
        label={
          <>
            {hasRead && <ConfidenceDot confidence={fieldConfidence(line.extracted, field)} />} {label}
          </>
        }
      >
        {children}
      </Field>
      {missing && (
        <div className="q-question" data-testid={`missing-${field}`}>
          <Icon name="alert" size={14} /> {missing}
        </div>
      )}
      {line.drawing && (
        <div className="q-read small" data-testid={`read-${field}`}>
          {hasRead ? t('quotes.read_value', { value: read || '—' }) : <span className="muted">{t('quotes.nothing_read')}</span>}
        </div>
      )}
    </div>
  );
}

function ExtractedList({ title, items, hotSet, setHover }: { title: string; items: { e: Extracted; i: number }[]; hotSet: Set<number>; setHover: (h: Hot | null) => void }) {
  if (items.length === 0) return null;
  return (
    <div className="q-read-list">
      <h4>{title}</h4>
      <ul>
        {items.map(({ e, i }) => (
          <li
            key={i}
            className={hotSet.has(i) ? 'is-hot' : ''}
            onMouseEnter={() => setHover({ index: i })}
            onMouseLeave={() => setHover(null)}
            data-testid={`extracted-${i}`}
          >
            <ConfidenceDot confidence={e.confidence} />
            <span className="q-read-value mono">{extractedText(e.value)}</span>
            {e.label && <span className="muted small">{e.label}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

// ---- the screen ------------------------------------------------------------------------------

function LineReview({ quote, line, onLine }: { quote: Quote; line: QuoteLine; onLine: (l: QuoteLine) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const errorText = useErrorText();
  const grades = useGrades();
  const form = useFormErrors(SERVER_FIELDS);
  const pending = isPending(line.analysis_status);
  const editable = quote.status === 'brouillon' && can(me, 'quotes', 'update');
  const readOnly = !editable || pending;

  // Form values follow the line's version: a save (or the end of an analysis) reloads them.
  const [v, setV] = useState<LineFormValues>(() => lineFormValues(line, f.lang));
  const [seenVersion, setSeenVersion] = useState(line.version);
  if (seenVersion !== line.version) {
    setSeenVersion(line.version);
    setV(lineFormValues(line, f.lang));
  }
  const [tried, setTried] = useState(false);
  const { body, errors, dirty } = linePatch(line, v);
  const local = (name: string) => (tried && errors[name] ? t(errors[name].key, { token: errors[name].token }) : undefined);
  const set = <K extends keyof LineFormValues>(k: K, value: LineFormValues[K]) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(['diameter', 'length', 'width', 'height'].includes(k) ? `envelope.${k}` : k);
  };

  // Highlight: hovering wins over focus.
  const [hover, setHover] = useState<Hot | null>(null);
  const [focus, setFocus] = useState<Hot | null>(null);
  const hot = hover ?? focus;
  const hotField: LineField | null = hot?.field ?? (hot?.index != null ? fieldForKey(line.extracted[hot.index]?.key ?? '') : null);
  const hotSet = new Set<number>(hot?.index != null ? [hot.index] : hot?.field ? extractedFor(line.extracted, hot.field) : []);
  const focusField = (field: LineField | null) => {
    setFocus(field ? { field } : null);
    if (!field) return;
    const first = extractedFor(line.extracted, field)[0];
    if (first === undefined) return;
    const el = document.getElementById('q-pages')?.querySelector<HTMLElement>(`[data-idx="${first}"]`);
    el?.scrollIntoView?.({ block: 'nearest', inline: 'nearest', behavior: 'smooth' });
  };
  const pick = (i: number) => {
    const field = fieldForKey(line.extracted[i]?.key ?? '');
    if (!field) return;
    const id = field === 'envelope' ? fieldId('envelope.diameter') : fieldId(field);
    document.getElementById(id)?.focus();
  };

  const refreshQuote = () => {
    void qc.invalidateQueries({ queryKey: ['quote', String(quote.id)] });
    void qc.invalidateQueries({ queryKey: ['/quotes'] });
  };
  const patch = useMutation({
    mutationFn: (b: Record<string, unknown>) => api<QuoteLine>(`/quote-lines/${line.id}`, { method: 'PATCH', body: b }),
    onSuccess: (l, b) => {
      onLine(l);
      refreshQuote();
      setTried(false);
      if ('reviewed' in b) toast.show(b.reviewed ? t('quotes.validated') : t('quotes.unvalidated'));
      else if ('unit_price' in b) toast.show(b.unit_price === '' ? t('quotes.negotiated.cleared') : t('quotes.negotiated.saved'));
      else if ('selected_scenario' in b) toast.show(t('quotes.selection_saved', { scenario: t(`quotes.scenarios.${String(b.selected_scenario)}`), qty: f.number(Number(b.selected_quantity)) }));
      else toast.show(t('quotes.line_saved'));
    },
    onError: (e, b) => {
      if ('reviewed' in b || 'selected_scenario' in b || 'unit_price' in b) toast.show(errorText(e), 'error');
      else form.setError(e);
    },
  });
  const reanalyze = useMutation({
    mutationFn: () => api<QuoteLine>(`/quote-lines/${line.id}/reanalyze`, { method: 'POST' }),
    onSuccess: (l) => {
      toast.show(t('quotes.reanalyzed'));
      setAskReanalyze(false);
      onLine(l);
      refreshQuote();
    },
  });
  const [askReanalyze, setAskReanalyze] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    setTried(true);
    if (Object.keys(errors).length > 0 || !dirty) return;
    patch.mutate(body as Record<string, unknown>);
  };

  const blocker = validateBlocker(line, { editable, dirty });
  const missingFor = (field: LineField) => line.missing.find((m) => m.field === field || m.field.startsWith(`${field}.`))?.message_fr;
  const otherMissing = line.missing.filter((m) => !LINE_FIELDS.some((fl) => m.field === fl || m.field.startsWith(`${fl}.`)));
  const rf = (field: LineField) => ({
    field,
    line,
    hot: hotField === field,
    missing: missingFor(field),
    setHover,
    onFocusField: focusField,
  });
  const text = (k: 'drawing_number' | 'drawing_revision' | 'part_name' | 'heat_treatment' | 'surface_treatment', extra: { mono?: boolean } = {}) => (
    <ReviewField {...rf(k)} label={t(`quotes.f.${k}`)} error={form.errorFor(k)}>
      <input {...inputProps(k, form.errorFor(k))} className={`input ${extra.mono ? 'mono' : ''}`} readOnly={readOnly} value={v[k]} onChange={(e) => set(k, e.target.value)} />
    </ReviewField>
  );
  const gradeItems = grades.data?.items ?? [];
  const selection = line.estimate ? effectiveSelection(line.estimate, line.selected_quantity, line.selected_scenario) : null;
  const selectHint = !editable ? t('quotes.blockers.read_only') : pending ? t('quotes.blockers.pending') : dirty ? t('quotes.select_dirty') : undefined;

  const lines = [...quote.lines].sort((a, b) => a.position - b.position);
  const idx = lines.findIndex((l) => l.id === line.id);
  const prev = idx > 0 ? lines[idx - 1] : null;
  const next = idx >= 0 && idx < lines.length - 1 ? lines[idx + 1] : null;

  const listItems = (key: string) => line.extracted.map((e, i) => ({ e, i })).filter(({ e }) => e.key === key);
  const infoItems = line.extracted.map((e, i) => ({ e, i })).filter(({ e }) => (INFO_KEYS as readonly string[]).includes(e.key));

  return (
    <div className="page q-review-page" data-testid="line-review">
      <PageHeader
        crumbs={[
          { label: t('quotes.title'), to: '/quotes' },
          { label: `${quote.number} ${t('quotes.revision_short', { n: quote.revision })}`, to: `/quotes/${quote.id}` },
          { label: t('quotes.line_title', { position: line.position }) },
        ]}
        actions={
          <>
            {idx >= 0 && <span className="muted small">{t('quotes.line_of', { index: idx + 1, count: lines.length })}</span>}
            {prev ? (
              <Link to={`/quotes/${quote.id}/lines/${prev.id}`} className="btn btn-secondary" aria-label={t('quotes.prev_line')} title={t('quotes.prev_line')} data-testid="prev-line">
                <Icon name="chevron_left" size={16} />
              </Link>
            ) : null}
            {next ? (
              <Link to={`/quotes/${quote.id}/lines/${next.id}`} className="btn btn-secondary" aria-label={t('quotes.next_line')} title={t('quotes.next_line')} data-testid="next-line">
                <Icon name="chevron_right" size={16} />
              </Link>
            ) : null}
            {editable && line.drawing && (
              <button type="button" className="btn btn-secondary" disabled={pending || reanalyze.isPending} onClick={() => setAskReanalyze(true)} data-testid="reanalyze">
                <Icon name="refresh" size={16} /> <span className="btn-label">{t('quotes.reanalyze')}</span>
              </button>
            )}
          </>
        }
      />

      <div className="q-review-title">
        <h2 data-testid="line-title">
          {line.part_name || line.drawing_number || line.drawing?.filename || t('quotes.line_title', { position: line.position })}
        </h2>
        <AnalysisBadge status={line.analysis_status} label={line.analysis_status_label} />
        {line.reviewed && (
          <span className="status-badge q-reviewed-badge" data-testid="reviewed-badge">
            {t('quotes.reviewed_by', { who: line.reviewed_by_name ?? '', when: f.dateTime(line.reviewed_at) })}
          </span>
        )}
      </div>

      {pending && (
        <div className="banner banner-info" role="status" data-testid="analysing">
          <span className="mini-spinner" aria-hidden="true" />
          <div className="banner-body">{t('quotes.analysing')}</div>
        </div>
      )}
      {line.analysis_status === 'echec' && (
        <div className="banner banner-error" role="alert" data-testid="analysis-failed">
          <Icon name="alert" size={20} />
          <div className="banner-body">
            <strong>{t('quotes.analysis_failed')}</strong>
            {line.analysis_error && <div>{line.analysis_error}</div>}
          </div>
        </div>
      )}
      {line.analysis_status === 'manuel' && line.drawing && (
        <div className="banner banner-info" data-testid="manual-info">
          <Icon name="alert" size={20} />
          <div className="banner-body">{t('quotes.manual_info')}</div>
        </div>
      )}
      {!editable && (
        <p className="hint" data-testid="read-only-hint">
          {t('quotes.read_only_hint')}
        </p>
      )}

      <div className="q-review">
        <DrawingPanel line={line} hotSet={hotSet} setHover={setHover} setFocus={setFocus} pick={pick} />

        <div className="q-fields panel" data-testid="review-fields">
          {(line.missing.length > 0 || otherMissing.length > 0) && (
            <div className="q-missing" data-testid="missing">
              <h3 className="panel-title">
                <Icon name="alert" size={16} /> {t('quotes.missing_title')}
              </h3>
              <ul>
                {line.missing.map((m, i) => {
                  const field = LINE_FIELDS.find((fl) => m.field === fl || m.field.startsWith(`${fl}.`));
                  return (
                    <li key={i}>
                      {field && editable && !pending ? (
                        <button type="button" className="btn-link q-missing-link" onClick={() => document.getElementById(field === 'envelope' ? fieldId('envelope.diameter') : fieldId(field))?.focus()}>
                          {m.message_fr}
                        </button>
                      ) : (
                        m.message_fr
                      )}
                    </li>
                  );
                })}
              </ul>
            </div>
          )}

          <FormErrorSummary error={form.error} unmatched={form.unmatched} onReload={() => void qc.invalidateQueries({ queryKey: ['quote-line', String(line.id)] })} />
          <form id="line-form" className="q-form" onSubmit={submit} noValidate>
            <div className="q-form-grid">
              {text('drawing_number', { mono: true })}
              {text('drawing_revision', { mono: true })}
            </div>
            {text('part_name')}
            <ReviewField {...rf('grade_id')} label={t('quotes.f.grade_id')} error={form.errorFor('grade_id')}>
              <select {...inputProps('grade_id', form.errorFor('grade_id'))} className="input" disabled={readOnly} value={v.grade_id} onChange={(e) => set('grade_id', e.target.value)}>
                <option value="" disabled={line.grade_id != null}>
                  {t('quotes.grade_none')}
                </option>
                {line.grade_id != null && !gradeItems.some((g) => g.id === line.grade_id) && <option value={line.grade_id}>{line.grade_code ?? `#${line.grade_id}`}</option>}
                {gradeItems.map((g) => (
                  <option key={g.id} value={g.id}>
                    {gradeLabel(g)}
                  </option>
                ))}
              </select>
            </ReviewField>
            <div className="q-form-grid">
              {text('heat_treatment')}
              {text('surface_treatment')}
            </div>
            <ReviewField {...rf('quantities')} label={t('quotes.f.quantities')} error={local('quantities') ?? form.errorFor('quantities')} hint={t('quotes.quantities_hint')}>
              <input {...inputProps('quantities', local('quantities') ?? form.errorFor('quantities'))} className="input" inputMode="numeric" placeholder="1, 10, 50" readOnly={readOnly} value={v.quantities} onChange={(e) => set('quantities', e.target.value)} />
            </ReviewField>
            <ReviewField {...rf('shape')} label={t('quotes.f.shape')} error={form.errorFor('shape')}>
              <select {...inputProps('shape', form.errorFor('shape'))} className="input" disabled={readOnly} value={v.shape} onChange={(e) => set('shape', e.target.value as LineFormValues['shape'])}>
                {SHAPES.map((s) => (
                  <option key={s} value={s}>
                    {t(`quotes.shapes.${s}`)}
                  </option>
                ))}
              </select>
            </ReviewField>
            <ReviewField {...rf('envelope')} label={t('quotes.f.envelope')} error={form.errorFor('envelope')} asGroup>
              <EnvelopeInputs
                v={v}
                set={set}
                form={form}
                readOnly={readOnly}
                localErrors={{
                  'envelope.diameter': local('envelope.diameter'),
                  'envelope.length': local('envelope.length'),
                  'envelope.width': local('envelope.width'),
                  'envelope.height': local('envelope.height'),
                }}
              />
            </ReviewField>
            <ReviewField {...rf('critical')} label={t('quotes.f.critical')} error={form.errorFor('critical')} hint={t('quotes.critical_hint')}>
              <label className="check-row">
                <input type="checkbox" id={fieldId('critical')} checked={v.critical} disabled={readOnly} onChange={(e) => set('critical', e.target.checked)} data-testid="input-critical" />
                {t('quotes.f.critical')}
              </label>
            </ReviewField>

            {editable && (
              <div className="q-form-actions">
                <button type="submit" className="btn btn-primary" disabled={!dirty || patch.isPending || pending} data-testid="save-line">
                  {patch.isPending && !('reviewed' in (patch.variables ?? {})) ? t('common.saving') : t('quotes.save_line')}
                </button>
                <button
                  type="button"
                  className="btn btn-secondary"
                  disabled={!dirty || patch.isPending}
                  onClick={() => {
                    setV(lineFormValues(line, f.lang));
                    setTried(false);
                    form.setError(null);
                  }}
                >
                  {t('common.discard')}
                </button>
                {dirty && <span className="unsaved">{t('common.unsaved')}</span>}
              </div>
            )}
          </form>

          <div className="q-validate" data-testid="validate-box">
            {line.reviewed ? (
              editable && (
                <button type="button" className="btn btn-secondary" disabled={patch.isPending} onClick={() => patch.mutate({ reviewed: false, version: line.version })} data-testid="unvalidate-line">
                  {t('quotes.unvalidate')}
                </button>
              )
            ) : (
              <>
                <button
                  type="button"
                  className="btn btn-primary btn-lg"
                  disabled={blocker !== null || patch.isPending}
                  aria-describedby={blocker ? 'validate-reason' : undefined}
                  onClick={() => patch.mutate({ reviewed: true, version: line.version })}
                  data-testid="validate-line"
                >
                  <Icon name="check" size={16} /> {t('quotes.validate')}
                </button>
                {blocker && (
                  <p className="q-validate-reason" id="validate-reason" data-testid="validate-reason">
                    {t(`quotes.blockers.${blocker}`)}
                  </p>
                )}
              </>
            )}
          </div>

          {line.assumptions.length > 0 && (
            <div className="q-notes" data-testid="assumptions">
              <h4>{t('quotes.assumptions_title')}</h4>
              <ul>
                {line.assumptions.map((a, i) => (
                  <li key={i}>{a}</li>
                ))}
              </ul>
            </div>
          )}
          {line.warnings.length > 0 && (
            <div className="q-notes q-warnings" data-testid="warnings">
              <h4>{t('quotes.warnings_title')}</h4>
              <ul>
                {line.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </div>
          )}

          <div className="q-read-lists" data-testid="read-lists">
            {(infoItems.length > 0 || line.general_tolerance || line.projection) && (
              <div className="q-read-list">
                <h4>{t('quotes.read.info')}</h4>
                <ul>
                  {line.general_tolerance && !infoItems.some(({ e }) => e.key === 'general_tolerance') && (
                    <li>
                      <span className="muted small">{t('quotes.info.general_tolerance')}</span> <span className="mono">{line.general_tolerance}</span>
                    </li>
                  )}
                  {line.projection && !infoItems.some(({ e }) => e.key === 'projection') && (
                    <li>
                      <span className="muted small">{t('quotes.info.projection')}</span> {t(`quotes.projections.${line.projection}`)}
                    </li>
                  )}
                  {infoItems.map(({ e, i }) => (
                    <li key={i} className={hotSet.has(i) ? 'is-hot' : ''} onMouseEnter={() => setHover({ index: i })} onMouseLeave={() => setHover(null)} data-testid={`extracted-${i}`}>
                      <ConfidenceDot confidence={e.confidence} />
                      <span className="muted small">{t(`quotes.info.${e.key}`, { defaultValue: e.label })}</span> <span className="mono">{extractedText(e.value)}</span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {LIST_KEYS.map((k) => (
              <ExtractedList key={k} title={t(`quotes.read.${k}`)} items={listItems(k)} hotSet={hotSet} setHover={setHover} />
            ))}
          </div>
        </div>
      </div>

      <h2 className="q-estimate-title">{t('quotes.est.title')}</h2>
      {line.estimate ? (
        <EstimatePanel
          estimate={line.estimate}
          selection={selection}
          canSelect={editable && !pending && !dirty}
          selectHint={selectHint}
          selecting={patch.isPending}
          onSelect={(s: Selection) => patch.mutate({ selected_quantity: s.quantity, selected_scenario: s.scenario, version: line.version })}
        />
      ) : (
        <p className="panel muted" data-testid="no-estimate">
          {pending ? t('quotes.blockers.pending') : line.missing.length > 0 ? t('quotes.blockers.missing') : t('quotes.blockers.no_estimate')}
        </p>
      )}
      <NegotiatedPrice
        line={line}
        editable={editable && !pending && !dirty}
        pending={patch.isPending}
        onSubmit={(unitPrice) => patch.mutate({ unit_price: unitPrice, version: line.version })}
      />

      {askReanalyze && (
        <ConfirmDialog
          title={t('quotes.reanalyze_confirm_title')}
          confirmLabel={t('quotes.reanalyze')}
          pending={reanalyze.isPending}
          error={reanalyze.error}
          onConfirm={() => reanalyze.mutate()}
          onCancel={() => {
            setAskReanalyze(false);
            reanalyze.reset();
          }}
          testId="reanalyze-dialog"
        >
          <p>{t('quotes.reanalyze_confirm_text')}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

export function LineReviewPage() {
  const { t } = useTranslation();
  const { id = '', lineId = '' } = useParams();
  const qc = useQueryClient();
  const quote = useQuote(id);
  const line = useLine(lineId);
  if (quote.isPending || line.isPending) return <div className="page muted">{t('common.loading')}</div>;
  const error = quote.error ?? line.error;
  if (error || !quote.data || !line.data) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: t('quotes.title'), to: '/quotes' }, { label: `#${id}`, to: `/quotes/${id}` }, { label: t('quotes.line_title', { position: lineId }) }]} />
        <ErrorBanner
          error={error}
          onRetry={() => {
            void quote.refetch();
            void line.refetch();
          }}
        />
      </div>
    );
  }
  return (
    <LineReview
      key={line.data.id}
      quote={quote.data}
      line={line.data}
      onLine={(l) => {
        qc.setQueryData(['quote-line', lineId], l);
      }}
    />
  );
}
