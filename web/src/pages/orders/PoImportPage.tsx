// /orders/import — a customer's purchase order (PDF or scan) is read by the server and matched to
// a quote's lines; the person checks what was read, corrects the matches, quantities, prices and
// dates, then confirms: the quote's order is updated (or created) and opened.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, isApiError } from '../../api/client';
import { formatSize } from '../../components/AttachmentsPanel';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { ConfidenceDot } from './components';
import { candidateLabel, checkPoRows, confidenceLevel, initialPoRows, lineTotal, normalizePoImport, shownFlags, sumTotals, type PoRow } from './logic';
import type { Order, PoConfirm, PoImport } from './types';
import './orders.css';

function UploadStep({ onRead }: { onRead: (imp: PoImport) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const read = useMutation({
    mutationFn: () => {
      const fd = new FormData();
      if (file) fd.append('file', file, file.name);
      return api<unknown>('/orders/po-import', { method: 'POST', body: fd });
    },
    onSuccess: (raw) => onRead(normalizePoImport(raw)),
  });
  const pick = (list: FileList | null) => {
    if (list && list.length > 0) {
      setFile(list[0]);
      read.reset();
    }
  };
  const noMatch = isApiError(read.error) && read.error.code === 'po_no_match' ? read.error : null;
  return (
    <section className="panel o-po-upload" data-testid="po-upload">
      <div
        className={`o-drop ${over ? 'is-over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e: DragEvent) => {
          e.preventDefault();
          setOver(false);
          pick(e.dataTransfer?.files ?? null);
        }}
        data-testid="po-drop"
      >
        <Icon name="download" size={28} />
        <strong>{t('orders.po.drop_title')}</strong>
        <span className="muted small">{t('orders.po.drop_hint')}</span>
        <label className="btn btn-secondary btn-sm o-drop-pick">
          <input ref={inputRef} type="file" accept="application/pdf,image/*" className="sr-only" onChange={(e) => pick(e.target.files)} data-testid="po-file-input" />
          {t('orders.po.choose_file')}
        </label>
        {file && (
          <div className="o-chosen" data-testid="po-chosen">
            <Icon name="paperclip" size={14} /> {file.name} <span className="muted small">{formatSize(file.size, f.lang)}</span>
          </div>
        )}
      </div>
      {noMatch ? (
        <div className="banner banner-error" role="alert" data-testid="po-no-match">
          <Icon name="alert" size={20} />
          <div className="banner-body">
            <strong>{noMatch.detail || t('orders.po.no_match')}</strong>
            <div className="small">
              {t('orders.po.no_match_hint')} <Link to="/orders/new">{t('orders.new')}</Link>
            </div>
          </div>
        </div>
      ) : read.error ? (
        <ErrorBanner error={read.error} />
      ) : null}
      <div className="o-form-actions">
        <button type="button" className="btn btn-primary" disabled={!file || read.isPending} onClick={() => read.mutate()} data-testid="po-read">
          {read.isPending ? (
            <>
              <span className="mini-spinner" aria-hidden="true" /> {t('orders.po.reading')}
            </>
          ) : (
            t('orders.po.read')
          )}
        </button>
      </div>
    </section>
  );
}

function FlagList({ row, imp }: { row: PoRow; imp: PoImport }) {
  const { t } = useTranslation();
  const f = useFormat();
  const shown = shownFlags(row, imp.quote_lines);
  if (shown.source === 'server') {
    return (
      <ul className="o-flags">
        {shown.texts.map((text, i) => (
          <li key={i} className="o-flag" data-testid="flag-server">
            {text}
          </li>
        ))}
      </ul>
    );
  }
  const flags = shown.flags;
  const items: { key: string; text: string }[] = [];
  if (flags.quantity != null) items.push({ key: 'qty', text: t('orders.po.flag_quantity', { qty: f.number(flags.quantity) }) });
  if (flags.price != null) items.push({ key: 'price', text: t('orders.po.flag_price', { price: f.money(flags.price) }) });
  if (flags.revision) items.push({ key: 'rev', text: flags.revision.quote ? t('orders.po.flag_revision', { rev: flags.revision.quote }) : t('orders.po.flag_revision_unknown') });
  if (items.length === 0) return row.quote_line_id == null ? null : <span className="o-flag-ok small">{t('orders.po.flag_none')}</span>;
  return (
    <ul className="o-flags">
      {items.map((i) => (
        <li key={i.key} className="o-flag" data-testid={`flag-${i.key}`}>
          {i.text}
        </li>
      ))}
    </ul>
  );
}

function ReviewStep({ imp, onRestart }: { imp: PoImport; onRestart: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(['customer_po_number', 'customer_po_date', 'requested_date', 'lines', 'quote_id', 'blob_id']);
  const [poNumber, setPoNumber] = useState(imp.po.po_number ?? '');
  const [poDate, setPoDate] = useState(imp.po.po_date ?? '');
  const [buyer, setBuyer] = useState(imp.po.buyer ?? '');
  const [quoteRef, setQuoteRef] = useState(imp.po.quote_reference ?? '');
  const [requested, setRequested] = useState('');
  const [rows, setRows] = useState<PoRow[]>(() => initialPoRows(imp, f.lang));
  const [tried, setTried] = useState(false);
  const checked = checkPoRows(rows);
  const update = (i: number, patch: Partial<PoRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const confirm = useMutation({
    mutationFn: () => {
      const body: PoConfirm = { blob_id: imp.blob_id, quote_id: imp.quote!.id, customer_po_number: poNumber.trim(), lines: checked.lines };
      if (poDate) body.customer_po_date = poDate;
      if (requested) body.requested_date = requested;
      return api<Order>('/orders/po-import/confirm', { method: 'POST', body });
    },
    onSuccess: (o) => {
      void qc.invalidateQueries({ queryKey: ['/orders'] });
      qc.setQueryData(['order', String(o.id)], o);
      toast.show(t('orders.po.confirmed', { number: o.number }));
      navigate(`/orders/${o.id}`);
    },
    onError: form.setError,
  });
  const poMissing = poNumber.trim() === '';
  const poError = tried && poMissing ? t('orders.po.po_number_required') : form.errorFor('customer_po_number');
  const rowErrors = Object.keys(checked.errors).length > 0;
  const noLine = checked.lines.length === 0;
  const submit = () => {
    setTried(true);
    form.setError(null);
    if (poMissing || rowErrors || noLine || !imp.quote) return;
    confirm.mutate();
  };
  const total = checked.lines.reduce<string[]>((acc, l) => {
    const tot = lineTotal(l.quantity, l.unit_price ?? null);
    if (tot) acc.push(tot);
    return acc;
  }, []);
  return (
    <>
      <section className="panel o-po-read" data-testid="po-review">
        <div className="o-section-head">
          <h3 className="panel-title">{t('orders.po.read_values')}</h3>
          <span className="muted small">
            <Icon name="paperclip" size={14} /> {imp.filename}
          </span>
          <button type="button" className="btn btn-secondary btn-sm" onClick={onRestart} data-testid="po-restart">
            {t('orders.po.other_file')}
          </button>
        </div>
        {imp.po.warnings_fr.length > 0 && (
          <div className="banner banner-warn" role="status" data-testid="po-warnings">
            <Icon name="alert" size={20} />
            <div className="banner-body">
              <ul className="banner-list">
                {imp.po.warnings_fr.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </div>
          </div>
        )}
        <FormErrorSummary error={form.error} unmatched={form.unmatched} />
        <div className="form-grid">
          <Field name="customer_po_number" label={t('orders.customer_po_number')} required error={poError}>
            <input {...inputProps('customer_po_number', poError)} className="input mono" value={poNumber} onChange={(e) => setPoNumber(e.target.value)} />
          </Field>
          <Field name="customer_po_date" label={t('orders.customer_po_date')} error={form.errorFor('customer_po_date')}>
            <input {...inputProps('customer_po_date', form.errorFor('customer_po_date'))} type="date" className="input" value={poDate} onChange={(e) => setPoDate(e.target.value)} />
          </Field>
          <Field name="buyer" label={t('orders.po.buyer')}>
            <input {...inputProps('buyer')} className="input" value={buyer} onChange={(e) => setBuyer(e.target.value)} />
          </Field>
          <Field name="quote_reference" label={t('orders.po.quote_reference')} hint={t('orders.po.quote_reference_hint')}>
            <input {...inputProps('quote_reference')} className="input mono" value={quoteRef} onChange={(e) => setQuoteRef(e.target.value)} />
          </Field>
          <Field name="requested_date" label={t('orders.po.requested_date_all')} hint={t('orders.po.requested_date_all_hint')} error={form.errorFor('requested_date')}>
            <input {...inputProps('requested_date', form.errorFor('requested_date'))} type="date" className="input" value={requested} onChange={(e) => setRequested(e.target.value)} />
          </Field>
        </div>
        <div className="o-po-quote" data-testid="po-quote">
          {imp.quote ? (
            <>
              <span className="muted">{t('orders.po.matched_quote')}</span>{' '}
              <Link to={`/quotes/${imp.quote.id}`} className="mono" data-testid="po-quote-link">
                {imp.quote.number}
              </Link>{' '}
              — {imp.quote.client_name} {imp.quote_confidence != null && <ConfidenceDot confidence={imp.quote_confidence} />}
              {(imp.quote_reasons_fr ?? []).length > 0 && <div className="small muted">{imp.quote_reasons_fr!.join(' · ')}</div>}
              {(imp.ambiguous_with ?? []).length > 0 && (
                <div className="small o-ambiguous" data-testid="po-ambiguous">
                  {t('orders.po.ambiguous', { quotes: imp.ambiguous_with!.join(', ') })}
                </div>
              )}
              {imp.order_id != null ? (
                <div className="small" data-testid="po-existing-order">
                  {t('orders.po.existing_order', { number: imp.order_number ?? '' })} <Link to={`/orders/${imp.order_id}`}>{t('orders.po.open_order')}</Link>
                </div>
              ) : (
                <div className="small muted">{t('orders.po.new_order')}</div>
              )}
            </>
          ) : (
            <span className="field-error">{t('orders.po.no_quote')}</span>
          )}
        </div>
      </section>

      <section className="panel o-po-lines-panel" aria-label={t('orders.po.lines')}>
        <h3 className="panel-title">
          {t('orders.po.lines')} <span className="muted">({rows.length})</span>
        </h3>
        <div className="table-scroll">
          <table className="table o-po-lines" data-testid="po-lines">
            <thead>
              <tr>
                <th>{t('orders.po.col_po_line')}</th>
                <th>{t('orders.po.col_quote_line_flags')}</th>
                <th className="num">{t('orders.col.quantity')}</th>
                <th className="num">{t('orders.col.unit_price')}</th>
                <th>{t('orders.col.requested_date')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const err = tried ? checked.errors[i] : undefined;
                const level = confidenceLevel(r.match?.confidence);
                const reMatched = r.match && r.quote_line_id !== r.match.quote_line_id;
                return (
                  <tr key={r.po.position} className={r.quote_line_id == null ? 'o-po-skipped' : ''} data-testid={`po-row-${i}`}>
                    <td className="o-po-read-cell">
                      <div>
                        <span className="muted small">#{r.po.position}</span> <span className="mono">{r.po.reference ?? '—'}</span>
                        {r.po.revision && <span className="muted small"> {t('orders.ind', { rev: r.po.revision })}</span>}
                      </div>
                      <div className="small">{r.po.designation}</div>
                      {(r.po.warnings_fr ?? []).map((w, k) => (
                        <div key={k} className="small o-line-warn">
                          {w}
                        </div>
                      ))}
                      <div className="muted small">
                        {t('orders.po.read_as', { qty: r.po.quantity == null ? '—' : f.number(r.po.quantity), price: r.po.unit_price == null ? '—' : f.money(r.po.unit_price) })} <ConfidenceDot confidence={r.po.confidence} />
                      </div>
                    </td>
                    <td className={`o-po-match o-po-conf-${reMatched ? 'manual' : level}`}>
                      <select
                        className="input input-sm o-w-match"
                        aria-label={t('orders.po.match_for', { n: r.po.position })}
                        value={r.quote_line_id ?? ''}
                        onChange={(e) => update(i, { quote_line_id: e.target.value === '' ? null : Number(e.target.value) })}
                        data-testid={`po-match-${i}`}
                      >
                        <option value="">{t('orders.po.skip_line')}</option>
                        {imp.quote_lines.map((c) => (
                          <option key={c.id} value={c.id}>
                            {candidateLabel(c, t('orders.ind_short'))}
                          </option>
                        ))}
                      </select>
                      {err === 'duplicate' && <div className="field-error">{t('orders.po.error_duplicate')}</div>}
                      <div className="o-po-conf" data-testid={`po-conf-${i}`}>
                        {reMatched ? (
                          <span className="small">{t('orders.po.manual_match')}</span>
                        ) : r.match ? (
                          <details className="o-reasons-box">
                            <summary>
                              <ConfidenceDot confidence={r.match.confidence} /> <span className="small muted">{t('orders.po.reasons', { count: r.match.reasons_fr.length })}</span>
                            </summary>
                            <ul className="o-reasons small">
                              {r.match.reasons_fr.map((x, k) => (
                                <li key={k}>{x}</li>
                              ))}
                            </ul>
                          </details>
                        ) : (
                          <span className="muted small">{t('orders.po.no_proposal')}</span>
                        )}
                      </div>
                      <div className="o-flags-cell" data-testid={`po-flags-${i}`}>
                        <FlagList row={r} imp={imp} />
                      </div>
                    </td>
                    <td className="num">
                      <input
                        className="input input-sm num o-w-qty"
                        inputMode="numeric"
                        aria-label={t('orders.po.quantity_for', { n: r.po.position })}
                        aria-invalid={err === 'quantity' ? true : undefined}
                        value={r.quantity}
                        onChange={(e) => update(i, { quantity: e.target.value })}
                        data-testid={`po-qty-${i}`}
                      />
                      {err === 'quantity' && <div className="field-error">{t('orders.line_error.quantity_invalid')}</div>}
                    </td>
                    <td className="num">
                      <input
                        className="input input-sm num o-w-price"
                        inputMode="decimal"
                        aria-label={t('orders.po.price_for', { n: r.po.position })}
                        aria-invalid={err === 'price' ? true : undefined}
                        value={r.unit_price}
                        onChange={(e) => update(i, { unit_price: e.target.value })}
                        data-testid={`po-price-${i}`}
                      />
                      {err === 'price' && <div className="field-error">{t('orders.line_error.price_invalid')}</div>}
                    </td>
                    <td>
                      <input type="date" className="input input-sm" aria-label={t('orders.po.date_for', { n: r.po.position })} value={r.requested_date} onChange={(e) => update(i, { requested_date: e.target.value })} data-testid={`po-date-${i}`} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <div className="o-form-actions">
          <button type="button" className="btn btn-primary" onClick={submit} disabled={confirm.isPending || !imp.quote} data-testid="po-confirm">
            {confirm.isPending ? t('common.saving') : t('orders.po.confirm')}
          </button>
          <span className="muted small" data-testid="po-summary">
            {t('orders.po.summary', { kept: checked.lines.length, total: rows.length, amount: f.money(sumTotals(total)) })}
          </span>
          {tried && noLine && <span className="field-error">{t('orders.po.error_no_line')}</span>}
          {tried && rowErrors && <span className="field-error">{t('orders.po.error_rows')}</span>}
        </div>
      </section>
    </>
  );
}

export function PoImportPage() {
  const { t } = useTranslation();
  const [imp, setImp] = useState<PoImport | null>(null);
  return (
    <div className="page" data-testid="po-import-page">
      <PageHeader crumbs={[{ label: t('orders.title'), to: '/orders' }, { label: t('orders.import_po') }]} />
      <p className="hint o-intro">{t('orders.po.intro')}</p>
      {imp ? <ReviewStep key={String(imp.blob_id)} imp={imp} onRestart={() => setImp(null)} /> : <UploadStep onRead={setImp} />}
    </div>
  );
}
