// /quotes/prices — purchase prices of material per grade and subcontractors' treatment prices
// (GET/PUT /quote-prices): two editable tables saved together. Every estimate reads them, so
// changing them needs the validate right on quotes; others see the values read-only.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, isApiError } from '../../api/client';
import type { FieldError, ListResponse } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormErrorSummary } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { gradeLabel, useGrades } from './components';
import {
  BASES,
  cellErrors,
  cellKey,
  emptyMaterialRow,
  emptyTreatmentRow,
  nextRowKey,
  normalizeDecimal,
  pricesBody,
  pricesDirty,
  pricesForm,
  TREATMENT_CODES,
  type MaterialField,
  type MaterialRow,
  type PricesBody,
  type PricesForm,
  type PriceTable,
  type QuotePrices,
  type TreatmentField,
  type TreatmentRow,
} from './prices';
import type { GradeOption } from './types';
import './quotes.css';

export const PRICES_KEY = ['/quote-prices'];
const FORM_ID = 'quote-prices-form';
const SUPPLIERS_LIST = 'quote-price-suppliers';

interface Failure {
  error: unknown;
  /** Messages per cell (cellKey), until the cell is edited. */
  cells: Record<string, string>;
  unmatched: FieldError[];
}

/** Supplier names for the datalist of the subcontractor cells (nothing without the CRM right). */
function useSupplierNames(enabled: boolean) {
  return useQuery({
    queryKey: ['/suppliers', 'names'],
    queryFn: () => api<ListResponse<{ id: number; name: string }>>('/suppliers', { query: { per_page: 500 } }),
    enabled,
    staleTime: 5 * 60_000,
    select: (d) => [...new Set(d.items.map((s) => s.name))].sort((a, b) => a.localeCompare(b, 'fr')),
  });
}

/** Column header with its unit; `num` aligns it right. */
function Th({ children, num }: { children: ReactNode; num?: boolean }) {
  return <th className={num ? 'num' : undefined}>{children}</th>;
}

function PricesEditor({ prices }: { prices: QuotePrices }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const editable = can(me, 'quotes', 'validate');
  const grades = useGrades();
  const suppliers = useSupplierNames(editable && can(me, 'crm', 'read'));

  // The form diffs against what it was loaded from: a refetch replaces it only while untouched.
  const [base, setBase] = useState(prices);
  const [form, setForm] = useState<PricesForm>(() => pricesForm(prices, f.lang));
  const dirty = pricesDirty(base, form);
  if (base !== prices && !dirty) {
    setBase(prices);
    setForm(pricesForm(prices, f.lang));
  }
  const [failure, setFailure] = useState<Failure | null>(null);
  const [added, setAdded] = useState<number | null>(null);

  const fail = (error: unknown, keys: PricesBody['keys']) => {
    const m = cellErrors(isApiError(error) ? error.errors : [], keys);
    setFailure({ error, ...m });
  };
  const save = useMutation({
    mutationFn: (v: { body: QuotePrices; keys: PricesBody['keys'] }) => api<QuotePrices>('/quote-prices', { method: 'PUT', body: v.body }),
    onSuccess: (saved) => {
      qc.setQueryData(PRICES_KEY, saved);
      setBase(saved);
      setForm(pricesForm(saved, f.lang));
      setFailure(null);
      setAdded(null);
      toast.show(t('quotes.prices.saved'));
    },
    onError: (e, v) => fail(e, v.keys),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!editable) return;
    const r = pricesBody(form);
    if (r.errors.length > 0) {
      const errors = r.errors.map((x) => ({ field: x.field, code: x.code, message: t(`quotes.prices.err.${x.code}`) }));
      fail(new ApiError({ status: 422, code: 'validation', detail: t('quotes.prices.check_cells'), errors }), r.keys);
      return;
    }
    setFailure(null);
    save.mutate({ body: r.body, keys: r.keys });
  };
  const discard = () => {
    setForm(pricesForm(base, f.lang));
    setFailure(null);
    setAdded(null);
  };

  const errorAt = (table: PriceTable, key: number, field: string) => failure?.cells[cellKey(table, key, field)];
  const clearCell = (table: PriceTable, key: number, field: string) =>
    setFailure((s) => {
      const k = cellKey(table, key, field);
      if (!s || !(k in s.cells)) return s;
      const cells = { ...s.cells };
      delete cells[k];
      return { ...s, cells };
    });
  const setMaterial = (key: number, field: MaterialField, value: string) => {
    setForm((s) => ({ ...s, materials: s.materials.map((r) => (r.key === key ? { ...r, [field]: value } : r)) }));
    clearCell('materials', key, field);
  };
  const setTreatment = (key: number, field: TreatmentField, value: string) => {
    setForm((s) => ({ ...s, treatments: s.treatments.map((r) => (r.key === key ? { ...r, [field]: value } : r)) }));
    clearCell('treatments', key, field);
  };
  const addRow = (table: PriceTable) => {
    const key = nextRowKey(form);
    setForm((s) => (table === 'materials' ? { ...s, materials: [...s.materials, emptyMaterialRow(key)] } : { ...s, treatments: [...s.treatments, emptyTreatmentRow(key)] }));
    setAdded(key);
  };
  const removeRow = (table: PriceTable, key: number) => {
    setForm((s) => (table === 'materials' ? { ...s, materials: s.materials.filter((r) => r.key !== key) } : { ...s, treatments: s.treatments.filter((r) => r.key !== key) }));
  };

  /** Props of a cell's input or select: its accessible name, error state and test id. */
  const cellProps = (table: PriceTable, r: { key: number }, i: number, field: string, column: string) => {
    const err = errorAt(table, r.key, field);
    const id = `qp-${table}-${r.key}-${field}`;
    return {
      id,
      'aria-label': t('quotes.prices.cell', { column, n: i + 1 }),
      'aria-invalid': err ? true : undefined,
      'aria-describedby': err ? `${id}-error` : undefined,
      'data-testid': `${table === 'materials' ? 'mat' : 'trt'}-${i}-${field}`,
      autoFocus: added === r.key && (field === 'grade_code' || field === 'treatment') ? true : undefined,
    } as const;
  };
  const cellError = (table: PriceTable, r: { key: number }, i: number, field: string) => {
    const err = errorAt(table, r.key, field);
    return err ? (
      <div className="field-error" id={`qp-${table}-${r.key}-${field}-error`} data-testid={`error-${table === 'materials' ? 'mat' : 'trt'}-${i}-${field}`}>
        {err}
      </div>
    ) : null;
  };
  // Read-only amounts: as money, unless more than 2 decimals were given (a price per kg may).
  const money = (text: string) => {
    const n = normalizeDecimal(text);
    if (n === '') return <span className="muted">—</span>;
    const decimals = n.split('.')[1]?.length ?? 0;
    return decimals > 2 ? `${f.number(n, Math.min(decimals, 6))}\u00a0€` : f.money(n);
  };

  // ---- materials ----
  const gradeOptions: GradeOption[] = grades.data?.items ?? [];
  const findGrade = (code: string) => gradeOptions.find((g) => g.code.toUpperCase() === code.trim().toUpperCase());
  const gradeCell = (r: MaterialRow, i: number) => {
    const code = r.grade_code;
    const known = findGrade(code);
    if (!editable) return <span className="nowrap">{known ? gradeLabel(known) : code}</span>;
    const unknown = grades.isSuccess && code.trim() !== '' && !known;
    const props = cellProps('materials', r, i, 'grade_code', t('quotes.prices.grade'));
    return (
      <>
        {grades.isError ? (
          <input {...props} className="input" value={code} onChange={(e) => setMaterial(r.key, 'grade_code', e.target.value)} />
        ) : (
          <select {...props} className="input" value={code} onChange={(e) => setMaterial(r.key, 'grade_code', e.target.value)}>
            <option value="">{t('quotes.prices.grade_none')}</option>
            {code !== '' && !gradeOptions.some((g) => g.code === code) && (
              <option value={code}>{known ? gradeLabel(known) : unknown ? t('quotes.prices.unknown_code', { code }) : code}</option>
            )}
            {gradeOptions.map((g) => (
              <option key={g.id} value={g.code}>
                {gradeLabel(g)}
              </option>
            ))}
          </select>
        )}
        {cellError('materials', r, i, 'grade_code')}
        {unknown && !errorAt('materials', r.key, 'grade_code') && (
          <div className="hint qp-warn" data-testid={`unknown-grade-${i}`}>
            {t('quotes.prices.unknown_grade')}
          </div>
        )}
      </>
    );
  };
  const materialAmount = (r: MaterialRow, i: number, field: 'price_per_kg' | 'certified_price_per_kg' | 'certificate_fee') =>
    editable ? (
      <>
        <input {...cellProps('materials', r, i, field, t(`quotes.prices.${field}`))} className="input qp-num" inputMode="decimal" autoComplete="off" value={r[field]} onChange={(e) => setMaterial(r.key, field, e.target.value)} />
        {cellError('materials', r, i, field)}
      </>
    ) : (
      money(r[field])
    );
  const leadCell = (table: PriceTable, r: MaterialRow | TreatmentRow, i: number) =>
    editable ? (
      <>
        <input
          {...cellProps(table, r, i, 'lead_days', t('quotes.prices.lead_days'))}
          className="input qp-days"
          inputMode="numeric"
          autoComplete="off"
          value={r.lead_days}
          onChange={(e) => (table === 'materials' ? setMaterial(r.key, 'lead_days', e.target.value) : setTreatment(r.key, 'lead_days', e.target.value))}
        />
        {cellError(table, r, i, 'lead_days')}
      </>
    ) : (
      f.number(r.lead_days.trim() === '' ? 0 : r.lead_days)
    );
  const removeCell = (table: PriceTable, key: number, i: number) =>
    editable ? (
      <td className="qp-actions">
        <button type="button" className="icon-btn" aria-label={t('quotes.prices.remove_row', { n: i + 1 })} title={t('quotes.prices.remove_row', { n: i + 1 })} onClick={() => removeRow(table, key)} data-testid={`remove-${table === 'materials' ? 'mat' : 'trt'}-${i}`}>
          <Icon name="trash" size={16} />
        </button>
      </td>
    ) : null;

  // ---- treatments ----
  const treatmentCell = (r: TreatmentRow, i: number) => {
    const known = (TREATMENT_CODES as readonly string[]).includes(r.treatment);
    const label = (code: string) => t(`quotes.treatments.${code}`, { defaultValue: code });
    if (!editable) return label(r.treatment);
    return (
      <>
        <select {...cellProps('treatments', r, i, 'treatment', t('quotes.prices.treatment'))} className="input" value={r.treatment} onChange={(e) => setTreatment(r.key, 'treatment', e.target.value)}>
          <option value="">{t('quotes.prices.treatment_none')}</option>
          {r.treatment !== '' && !known && <option value={r.treatment}>{t('quotes.prices.unknown_code', { code: r.treatment })}</option>}
          {TREATMENT_CODES.map((c) => (
            <option key={c} value={c}>
              {label(c)}
            </option>
          ))}
        </select>
        {cellError('treatments', r, i, 'treatment')}
      </>
    );
  };
  const treatmentAmount = (r: TreatmentRow, i: number, field: 'price' | 'lot_charge' | 'min_charge') => {
    const unit = field === 'price' && (BASES as readonly string[]).includes(r.basis) ? t(`quotes.prices.units.${r.basis}`) : null;
    if (!editable) return money(r[field]);
    return (
      <>
        <span className="qp-with-unit">
          <input {...cellProps('treatments', r, i, field, t(`quotes.prices.${field}`))} className="input qp-num" inputMode="decimal" autoComplete="off" value={r[field]} onChange={(e) => setTreatment(r.key, field, e.target.value)} />
          {unit && <span className="muted small qp-unit">{unit}</span>}
        </span>
        {cellError('treatments', r, i, field)}
      </>
    );
  };

  const materialsCols = editable ? 6 : 5;
  const treatmentsCols = editable ? 8 : 7;
  return (
    <div className="page" data-testid="quote-prices-page">
      <PageHeader
        crumbs={[{ label: t('quotes.title'), to: '/quotes' }, { label: t('quotes.prices.title') }]}
        actions={
          editable ? (
            <>
              <button type="submit" form={FORM_ID} className="btn btn-primary" disabled={!dirty || save.isPending} data-testid="save-prices">
                {save.isPending ? t('common.saving') : t('common.save')}
              </button>
              <button type="button" className="btn btn-secondary" disabled={!dirty || save.isPending} onClick={discard} data-testid="discard-prices">
                {t('common.discard')}
              </button>
              {dirty && <span className="unsaved">{t('common.unsaved')}</span>}
            </>
          ) : null
        }
      />
      <p className="qp-intro" data-testid="prices-intro">
        {t('quotes.prices.intro')}
      </p>
      {!editable && (
        <p className="badge badge-warn" data-testid="prices-read-only">
          {t('quotes.prices.read_only')}
        </p>
      )}
      <FormErrorSummary error={failure?.error ?? null} unmatched={failure?.unmatched} />
      <form id={FORM_ID} onSubmit={submit} noValidate>
        <section className="panel qp-section" aria-labelledby="qp-materials-title">
          <div className="q-section-head">
            <h3 className="panel-title" id="qp-materials-title">
              {t('quotes.prices.materials')} <span className="muted">({form.materials.length})</span>
            </h3>
          </div>
          <p className="hint">{t('quotes.prices.materials_hint')}</p>
          <div className="table-scroll">
            <table className="table qp-table" data-testid="prices-materials">
              <thead>
                <tr>
                  <Th>{t('quotes.prices.grade')}</Th>
                  <Th num>{t('quotes.prices.price_per_kg')}</Th>
                  <Th num>{t('quotes.prices.certified_price_per_kg')}</Th>
                  <Th num>{t('quotes.prices.certificate_fee')}</Th>
                  <Th num>{t('quotes.prices.lead_days')}</Th>
                  {editable && (
                    <th>
                      <span className="sr-only">{t('quotes.prices.actions')}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {form.materials.map((r, i) => (
                  <tr key={r.key} data-testid={`material-row-${i}`}>
                    <td className="qp-grade">{gradeCell(r, i)}</td>
                    <td className="num nowrap">{materialAmount(r, i, 'price_per_kg')}</td>
                    <td className="num nowrap">{materialAmount(r, i, 'certified_price_per_kg')}</td>
                    <td className="num nowrap">{materialAmount(r, i, 'certificate_fee')}</td>
                    <td className="num nowrap">{leadCell('materials', r, i)}</td>
                    {removeCell('materials', r.key, i)}
                  </tr>
                ))}
                {form.materials.length === 0 && (
                  <tr>
                    <td colSpan={materialsCols} className="table-msg" data-testid="no-material-prices">
                      {t('quotes.prices.empty_materials')}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          {editable && (
            <button type="button" className="btn btn-secondary qp-add" onClick={() => addRow('materials')} data-testid="add-material-price">
              <Icon name="plus" size={16} /> {t('quotes.prices.add_material')}
            </button>
          )}
        </section>

        <section className="panel qp-section" aria-labelledby="qp-treatments-title">
          <div className="q-section-head">
            <h3 className="panel-title" id="qp-treatments-title">
              {t('quotes.prices.treatments')} <span className="muted">({form.treatments.length})</span>
            </h3>
          </div>
          <p className="hint">{t('quotes.prices.treatments_hint')}</p>
          <div className="table-scroll">
            <table className="table qp-table" data-testid="prices-treatments">
              <thead>
                <tr>
                  <Th>{t('quotes.prices.treatment')}</Th>
                  <Th>{t('quotes.prices.supplier')}</Th>
                  <Th>{t('quotes.prices.basis')}</Th>
                  <Th num>{t('quotes.prices.price')}</Th>
                  <Th num>{t('quotes.prices.lot_charge')}</Th>
                  <Th num>{t('quotes.prices.min_charge')}</Th>
                  <Th num>{t('quotes.prices.lead_days')}</Th>
                  {editable && (
                    <th>
                      <span className="sr-only">{t('quotes.prices.actions')}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {form.treatments.map((r, i) => (
                  <tr key={r.key} data-testid={`treatment-row-${i}`}>
                    <td className="qp-treatment">{treatmentCell(r, i)}</td>
                    <td className="qp-supplier">
                      {editable ? (
                        <>
                          <input
                            {...cellProps('treatments', r, i, 'supplier', t('quotes.prices.supplier'))}
                            className="input"
                            list={suppliers.data && suppliers.data.length > 0 ? SUPPLIERS_LIST : undefined}
                            autoComplete="off"
                            value={r.supplier}
                            onChange={(e) => setTreatment(r.key, 'supplier', e.target.value)}
                          />
                          {cellError('treatments', r, i, 'supplier')}
                        </>
                      ) : (
                        r.supplier
                      )}
                    </td>
                    <td className="nowrap">
                      {editable ? (
                        <>
                          <select {...cellProps('treatments', r, i, 'basis', t('quotes.prices.basis'))} className="input qp-basis" value={r.basis} onChange={(e) => setTreatment(r.key, 'basis', e.target.value)}>
                            {!(BASES as readonly string[]).includes(r.basis) && <option value={r.basis}>{t('quotes.prices.unknown_code', { code: r.basis })}</option>}
                            {BASES.map((b) => (
                              <option key={b} value={b}>
                                {t(`quotes.prices.bases.${b}`)}
                              </option>
                            ))}
                          </select>
                          {cellError('treatments', r, i, 'basis')}
                        </>
                      ) : (
                        t(`quotes.prices.bases.${r.basis}`, { defaultValue: r.basis })
                      )}
                    </td>
                    <td className="num nowrap">{treatmentAmount(r, i, 'price')}</td>
                    <td className="num nowrap">{treatmentAmount(r, i, 'lot_charge')}</td>
                    <td className="num nowrap">{treatmentAmount(r, i, 'min_charge')}</td>
                    <td className="num nowrap">{leadCell('treatments', r, i)}</td>
                    {removeCell('treatments', r.key, i)}
                  </tr>
                ))}
                {form.treatments.length === 0 && (
                  <tr>
                    <td colSpan={treatmentsCols} className="table-msg" data-testid="no-treatment-prices">
                      {t('quotes.prices.empty_treatments')}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          {editable && (
            <button type="button" className="btn btn-secondary qp-add" onClick={() => addRow('treatments')} data-testid="add-treatment-price">
              <Icon name="plus" size={16} /> {t('quotes.prices.add_treatment')}
            </button>
          )}
        </section>
      </form>
      {editable && suppliers.data && suppliers.data.length > 0 && (
        <datalist id={SUPPLIERS_LIST} data-testid="supplier-names">
          {suppliers.data.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      )}
    </div>
  );
}

export function QuotePricesPage() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: PRICES_KEY, queryFn: () => api<QuotePrices>('/quote-prices') });
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page" data-testid="quote-prices-page">
        <PageHeader crumbs={[{ label: t('quotes.title'), to: '/quotes' }, { label: t('quotes.prices.title') }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  return <PricesEditor prices={q.data} />;
}
