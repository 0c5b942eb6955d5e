// /quotes/prices — wire shapes of GET/PUT /quote-prices (crates/app/src/quotes/shop.rs:
// `QuotePrices`, `GradePrice`, `TreatmentPrice`) and the pure logic of the screen: French
// decimals typed with a comma, the PUT body with its local checks, and the problem+json
// `errors[].field` paths (`materials[0].price_per_kg`) brought back to a table cell.
import type { FieldError, Lang } from '../../api/types';
import type { Dec } from './types';

/** Buying price of a grade, by grade code (the `code` of /materials). */
export interface GradePrice {
  grade_code: string;
  /** € HT per kg. */
  price_per_kg: Dec;
  /** € HT per kg with an EN 10204 3.1 certificate. */
  certified_price_per_kg?: Dec | null;
  /** Fixed certificate fee per order (€ HT). */
  certificate_fee?: Dec | null;
  lead_days: number;
}

export const BASES = ['per_kg', 'per_piece'] as const;
export type Basis = (typeof BASES)[number];

/** A subcontractor's price for a treatment. */
export interface TreatmentPrice {
  treatment: string;
  supplier: string;
  basis: Basis | string;
  /** € HT per kg or per piece, after `basis`. */
  price: Dec;
  lot_charge?: Dec | null;
  min_charge?: Dec | null;
  lead_days: number;
}

export interface QuotePrices {
  materials: GradePrice[];
  treatments: TreatmentPrice[];
}

/** Treatment codes the drawing reader produces (usinage_drawing::spec::treatment_code), plus "autre". */
export const TREATMENT_CODES = [
  'trempe_revenu',
  'cementation',
  'nitruration',
  'detensionnement',
  'anodisation',
  'zingage',
  'passivation',
  'peinture',
  'brunissage',
  'chromage',
  'nickelage',
  'phosphatation',
  'autre',
] as const;

export const MATERIAL_FIELDS = ['grade_code', 'price_per_kg', 'certified_price_per_kg', 'certificate_fee', 'lead_days'] as const;
export type MaterialField = (typeof MATERIAL_FIELDS)[number];
export const TREATMENT_FIELDS = ['treatment', 'supplier', 'basis', 'price', 'lot_charge', 'min_charge', 'lead_days'] as const;
export type TreatmentField = (typeof TREATMENT_FIELDS)[number];

export type PriceTable = 'materials' | 'treatments';

const FIELDS: Record<PriceTable, readonly string[]> = { materials: MATERIAL_FIELDS, treatments: TREATMENT_FIELDS };

// ---- decimals typed by a person -------------------------------------------------------------

/** "2,60" → "2.60", " 1 234,5 " → "1234.5" (spaces and the decimal comma); not validated. */
export function normalizeDecimal(text: string): string {
  return text.trim().replace(/[\s\u00a0\u202f]/g, '').replace(/,/g, '.');
}

/** A non-negative decimal as the server reads it, once normalised ("2.60", "25", "0.5"). */
export function isDecimal(normalized: string): boolean {
  return /^\d+(?:\.\d+)?$/.test(normalized);
}

/** "2.60" from the server → "2,60" in a French input (as is in English); null → "". */
export function decimalInput(v: Dec | null | undefined, lang: Lang = 'fr'): string {
  if (v == null) return '';
  const s = String(v).trim();
  return lang === 'fr' ? s.replace('.', ',') : s;
}

export const MAX_LEAD_DAYS = 999;

/** "" → 0, "12" → 12; anything else (decimals, negatives, text, > 999) → null. */
export function parseLeadDays(text: string): number | null {
  const s = text.trim();
  if (s === '') return 0;
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n <= MAX_LEAD_DAYS ? n : null;
}

// ---- form rows -------------------------------------------------------------------------------

/** A row as typed: every cell is text; `key` stays with the row when others are added or removed. */
export interface MaterialRow {
  key: number;
  grade_code: string;
  price_per_kg: string;
  certified_price_per_kg: string;
  certificate_fee: string;
  lead_days: string;
}

export interface TreatmentRow {
  key: number;
  treatment: string;
  supplier: string;
  basis: string;
  price: string;
  lot_charge: string;
  min_charge: string;
  lead_days: string;
}

export interface PricesForm {
  materials: MaterialRow[];
  treatments: TreatmentRow[];
}

export function emptyMaterialRow(key: number): MaterialRow {
  return { key, grade_code: '', price_per_kg: '', certified_price_per_kg: '', certificate_fee: '', lead_days: '' };
}

export function emptyTreatmentRow(key: number): TreatmentRow {
  return { key, treatment: '', supplier: '', basis: 'per_kg', price: '', lot_charge: '', min_charge: '', lead_days: '' };
}

/** The rows of the two tables from GET /quote-prices (keys 1, 2, 3… across both tables). */
export function pricesForm(p: QuotePrices, lang: Lang = 'fr'): PricesForm {
  let key = 0;
  return {
    materials: (p.materials ?? []).map((m) => ({
      key: ++key,
      grade_code: m.grade_code ?? '',
      price_per_kg: decimalInput(m.price_per_kg, lang),
      certified_price_per_kg: decimalInput(m.certified_price_per_kg, lang),
      certificate_fee: decimalInput(m.certificate_fee, lang),
      lead_days: m.lead_days == null ? '' : String(m.lead_days),
    })),
    treatments: (p.treatments ?? []).map((t) => ({
      key: ++key,
      treatment: t.treatment ?? '',
      supplier: t.supplier ?? '',
      basis: t.basis ?? 'per_kg',
      price: decimalInput(t.price, lang),
      lot_charge: decimalInput(t.lot_charge, lang),
      min_charge: decimalInput(t.min_charge, lang),
      lead_days: t.lead_days == null ? '' : String(t.lead_days),
    })),
  };
}

/** A key no row of the form uses yet. */
export function nextRowKey(f: PricesForm): number {
  return Math.max(0, ...f.materials.map((r) => r.key), ...f.treatments.map((r) => r.key)) + 1;
}

const blank = (s: string) => s.trim() === '';

/** A row added and left empty is not sent (nor reported). */
export function isBlankMaterial(r: MaterialRow): boolean {
  return MATERIAL_FIELDS.every((k) => blank(r[k]));
}

export function isBlankTreatment(r: TreatmentRow): boolean {
  return TREATMENT_FIELDS.every((k) => k === 'basis' || blank(r[k]));
}

/** Why a cell is refused before sending (the value is an i18n key under quotes.prices.err). */
export type LocalErrorCode = 'grade_required' | 'treatment_required' | 'supplier_required' | 'amount' | 'amount_required' | 'days' | 'basis' | 'duplicate_grade' | 'duplicate_treatment';

export interface LocalError {
  /** Same path as the server's (`materials[0].price_per_kg`), index in the body sent. */
  field: string;
  code: LocalErrorCode;
}

export interface PricesBody {
  body: QuotePrices;
  errors: LocalError[];
  /** Row keys in the order of the body's lists: index `i` of an error path is `keys.x[i]`. */
  keys: Record<PriceTable, number[]>;
}

/**
 * The whole object for PUT /quote-prices: decimals with a dot, empty optional amounts as null,
 * an empty lead time as 0, blank rows left out; with the checks the server would make (and
 * the lead time, which it could only refuse as malformed JSON).
 */
export function pricesBody(f: PricesForm): PricesBody {
  const errors: LocalError[] = [];
  const keys: PricesBody['keys'] = { materials: [], treatments: [] };
  const amount = (path: string, text: string, required: boolean): string | null => {
    const n = normalizeDecimal(text);
    if (n === '') {
      if (required) errors.push({ field: path, code: 'amount_required' });
      return required ? '' : null;
    }
    if (!isDecimal(n)) errors.push({ field: path, code: 'amount' });
    return n;
  };
  const days = (path: string, text: string): number => {
    const d = parseLeadDays(text);
    if (d === null) errors.push({ field: path, code: 'days' });
    return d ?? 0;
  };

  const materials: GradePrice[] = [];
  const grades = new Set<string>();
  for (const r of f.materials) {
    if (isBlankMaterial(r)) continue;
    const i = materials.length;
    const p = (k: MaterialField) => `materials[${i}].${k}`;
    const code = r.grade_code.trim();
    if (code === '') errors.push({ field: p('grade_code'), code: 'grade_required' });
    else if (grades.has(code.toUpperCase())) errors.push({ field: p('grade_code'), code: 'duplicate_grade' });
    grades.add(code.toUpperCase());
    materials.push({
      grade_code: code,
      price_per_kg: amount(p('price_per_kg'), r.price_per_kg, true) ?? '',
      certified_price_per_kg: amount(p('certified_price_per_kg'), r.certified_price_per_kg, false),
      certificate_fee: amount(p('certificate_fee'), r.certificate_fee, false),
      lead_days: days(p('lead_days'), r.lead_days),
    });
    keys.materials.push(r.key);
  }

  const treatments: TreatmentPrice[] = [];
  const pairs = new Set<string>();
  for (const r of f.treatments) {
    if (isBlankTreatment(r)) continue;
    const i = treatments.length;
    const p = (k: TreatmentField) => `treatments[${i}].${k}`;
    const treatment = r.treatment.trim();
    const supplier = r.supplier.trim();
    if (treatment === '') errors.push({ field: p('treatment'), code: 'treatment_required' });
    if (supplier === '') errors.push({ field: p('supplier'), code: 'supplier_required' });
    const pair = `${treatment}\u0000${supplier.toLowerCase()}`;
    if (treatment !== '' && supplier !== '' && pairs.has(pair)) errors.push({ field: p('supplier'), code: 'duplicate_treatment' });
    pairs.add(pair);
    if (!(BASES as readonly string[]).includes(r.basis)) errors.push({ field: p('basis'), code: 'basis' });
    treatments.push({
      treatment,
      supplier,
      basis: r.basis,
      price: amount(p('price'), r.price, true) ?? '',
      lot_charge: amount(p('lot_charge'), r.lot_charge, false),
      min_charge: amount(p('min_charge'), r.min_charge, false),
      lead_days: days(p('lead_days'), r.lead_days),
    });
    keys.treatments.push(r.key);
  }
  return { body: { materials, treatments }, errors, keys };
}

/** Whether the form would save something else than what was loaded. */
export function pricesDirty(loaded: QuotePrices, f: PricesForm): boolean {
  return JSON.stringify(pricesBody(pricesForm(loaded)).body) !== JSON.stringify(pricesBody(f).body);
}

// ---- server errors → cells -------------------------------------------------------------------

export interface ErrorPath {
  table: PriceTable;
  index: number;
  /** Column, or null when the error names the row only (`materials[2]`). */
  field: string | null;
}

/** `materials[0].price_per_kg`, `materials.0.price_per_kg` or `/materials/0/price_per_kg` → its parts. */
export function parseErrorPath(path: string): ErrorPath | null {
  const m = /^\/?(materials|treatments)(?:\[(\d+)\]|[./](\d+))(?:[./]([A-Za-z_][A-Za-z0-9_]*))?$/.exec(path.trim());
  if (!m) return null;
  return { table: m[1] as PriceTable, index: Number(m[2] ?? m[3]), field: m[4] ?? null };
}

/** Key of a cell in the error map: table, row key, column. */
export function cellKey(table: PriceTable, rowKey: number, field: string): string {
  return `${table}:${rowKey}:${field}`;
}

/**
 * Spreads `errors[]` over the cells of the rows that were sent (`keys`, in body order). An
 * error naming a row without a column lands on its first column; paths that name no sent row
 * or an unknown column are returned as `unmatched` (shown in the summary so none is lost).
 */
export function cellErrors(errors: readonly FieldError[], keys: Record<PriceTable, readonly number[]>): { cells: Record<string, string>; unmatched: FieldError[] } {
  const cells: Record<string, string> = {};
  const unmatched: FieldError[] = [];
  for (const e of errors) {
    const p = parseErrorPath(e.field);
    const rowKey = p ? keys[p.table][p.index] : undefined;
    const field = p ? (p.field ?? FIELDS[p.table][0]) : null;
    if (!p || rowKey === undefined || !field || !FIELDS[p.table].includes(field)) {
      unmatched.push(e);
      continue;
    }
    const k = cellKey(p.table, rowKey, field);
    cells[k] = cells[k] ? `${cells[k]} ${e.message}` : e.message;
  }
  return { cells, unmatched };
}
