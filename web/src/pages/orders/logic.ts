// Pure logic of the order screens (unit-tested without the DOM): money arithmetic on decimal
// strings, line totals, status pipeline and transitions, the critical-client rule of the control
// sheet, the order form body, the delivery dialog and the review of an imported customer PO.
import type { ClientOption, Dec, Found, MaybeFound, Order, OrderInput, OrderLine, OrderLineInput, OrderStatus, PoImport, PoLine, PoMatch, Priority, QuoteLineCandidate } from './types';

// ---- money on decimal strings -------------------------------------------------------------

/** Money is computed in ten-thousandths of a euro (4 decimals) so "12.345" × 3 stays exact. */
const SCALE = 10_000;

/**
 * "12,50" / "12.5" / "1 234,5" → 125000 (ten-thousandths); "" → null; anything else → NaN.
 * More than 4 decimals is refused (NaN): nobody types a price like that.
 */
export function parseMoney(text: string | number | null | undefined): number | null {
  if (text == null) return null;
  if (typeof text === 'number') return Number.isFinite(text) ? Math.round(text * SCALE) : NaN;
  const s = text.trim().replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (s === '') return null;
  const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(s);
  if (!m) return NaN;
  const units = Number(m[2]) * SCALE + Number((m[3] ?? '').padEnd(4, '0'));
  return m[1] ? -units : units;
}

/** Ten-thousandths → decimal string with 2 decimals, rounded half away from zero ("1234.50"). */
export function scaledToDec(v: number): Dec {
  const neg = v < 0;
  const cents = Math.round(Math.abs(v) / 100);
  const s = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return neg && cents !== 0 ? `-${s}` : s;
}

/** Typed price → the decimal string sent to the server ("12,5" → "12.5"); invalid or empty → null. */
export function moneyInput(text: string): Dec | null {
  const v = parseMoney(text);
  if (v === null || Number.isNaN(v)) return null;
  const neg = v < 0;
  const a = Math.abs(v);
  const frac = String(a % SCALE).padStart(4, '0').replace(/0+$/, '');
  const s = `${Math.floor(a / SCALE)}${frac ? `.${frac}` : ''}`;
  return neg ? `-${s}` : s;
}

/** Server decimal → what a French input shows ("12.50" → "12,50"). */
export function moneyText(v: Dec | number | null | undefined, lang: 'fr' | 'en' = 'fr'): string {
  if (v == null || v === '') return '';
  const s = String(v);
  return lang === 'fr' ? s.replace('.', ',') : s;
}

/** Decimals to show for a unit price: 2, or up to 4 when the price has them ("12.345" → 3). */
export function priceDecimals(v: Dec | number | null | undefined): number {
  if (v == null) return 2;
  const m = /\.(\d+)$/.exec(String(v));
  const significant = m ? m[1].replace(/0+$/, '').length : 0;
  return Math.min(4, Math.max(2, significant));
}

/** A unit price with its own decimals: "12.345" → "12,345 €", "48" → "48,00 €". */
export function formatUnitPrice(v: Dec | number | null | undefined, lang: 'fr' | 'en' = 'fr'): string {
  if (v == null || v === '') return '';
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  const d = priceDecimals(v);
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { style: 'currency', currency: 'EUR', minimumFractionDigits: d, maximumFractionDigits: d }).format(n);
}

/** Quantity × unit price, in € HT with 2 decimals; null when either is missing or invalid. */
export function lineTotal(quantity: number | null, unitPrice: string | number | null | undefined): Dec | null {
  const p = parseMoney(unitPrice ?? null);
  if (quantity == null || !Number.isInteger(quantity) || p === null || Number.isNaN(p)) return null;
  return scaledToDec(p * quantity);
}

/** Sum of line totals (lines without a price count as 0). */
export function sumTotals(totals: readonly (Dec | null)[]): Dec {
  let sum = 0;
  for (const t of totals) {
    const v = parseMoney(t);
    if (v !== null && !Number.isNaN(v)) sum += v;
  }
  return scaledToDec(sum);
}

// ---- quantities ----------------------------------------------------------------------------

/** "25" / "1 000" → 25 / 1000; "" → null; "2,5", "-1", "abc" → NaN. */
export function parseQuantity(text: string): number | null {
  const s = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (s === '') return null;
  return /^\d+$/.test(s) ? Number(s) : NaN;
}

// ---- statuses ------------------------------------------------------------------------------

const MAIN_ROAD: OrderStatus[] = ['en_attente', 'validee', 'en_production', 'livree_partielle', 'livree'];

/** The status bar's pipeline: the main road, with "Annulée" at the end when cancelled. */
export function orderPipeline(status: OrderStatus): OrderStatus[] {
  return status === 'annulee' ? [...MAIN_ROAD, 'annulee'] : MAIN_ROAD;
}

export type OrderConfirm = 'validate' | 'cancel' | null;

/** How a transition button looks and which confirmation it asks first. */
export function orderTransitionDisplay(to: OrderStatus): { tone: 'primary' | 'secondary' | 'danger'; confirm: OrderConfirm } {
  if (to === 'validee') return { tone: 'primary', confirm: 'validate' };
  if (to === 'annulee') return { tone: 'danger', confirm: 'cancel' };
  if (to === 'en_attente') return { tone: 'secondary', confirm: null };
  return { tone: 'primary', confirm: null };
}

/** Lines (and the client) can be changed only while the order waits for validation. */
export function linesEditable(status: OrderStatus): boolean {
  return status === 'en_attente';
}

/** Header fields (dates, priority, PO, notes) stay editable until the order is closed. */
export function headerEditable(status: OrderStatus): boolean {
  return status !== 'livree' && status !== 'annulee';
}

/** A delivery note can be made once validated, while something is left to ship. */
export function canDeliver(order: Pick<Order, 'status' | 'lines'>): boolean {
  if (!['validee', 'en_production', 'livree_partielle'].includes(order.status)) return false;
  return order.lines.some((l) => l.remaining > 0);
}

// ---- critical work -----------------------------------------------------------------------

export const CRITICAL_SECTORS = ['aeronautique', 'spatial', 'defense', 'nucleaire'] as const;

/** A client marked critical, or of a critical sector (aéronautique, spatial, défense, nucléaire). */
export function isCriticalClient(c: Pick<ClientOption, 'critical' | 'sectors'> | null | undefined): boolean {
  if (!c) return false;
  return !!c.critical || (c.sectors ?? []).some((s) => (CRITICAL_SECTORS as readonly string[]).includes(s));
}

/**
 * The control / safety sheet checkbox: forced ticked and locked for critical work; otherwise the
 * person's choice (ticked by default).
 */
export function controlSheetState(critical: boolean, chosen: boolean): { checked: boolean; locked: boolean } {
  return critical ? { checked: true, locked: true } : { checked: chosen, locked: false };
}

// ---- order form --------------------------------------------------------------------------

export interface OrderHeaderValues {
  client: ClientOption | null;
  quote_id: number | null;
  customer_po_number: string;
  customer_po_date: string;
  requested_date: string;
  promised_date: string;
  priority: Priority;
  critical: boolean;
  control_sheet: boolean;
  notes: string;
}

export const ORDER_HEADER_FIELDS = [
  'client_id',
  'customer_po_number',
  'customer_po_date',
  'requested_date',
  'promised_date',
  'priority',
  'critical',
  'control_sheet',
  'notes',
  'lines',
] as const;

export function emptyOrderHeader(): OrderHeaderValues {
  return {
    client: null,
    quote_id: null,
    customer_po_number: '',
    customer_po_date: '',
    requested_date: '',
    promised_date: '',
    priority: 'normale',
    critical: false,
    control_sheet: true,
    notes: '',
  };
}

export function orderHeaderValues(o: Order): OrderHeaderValues {
  return {
    client: { id: o.client_id, name: o.client_name },
    quote_id: o.quote_id,
    customer_po_number: o.customer_po_number ?? '',
    customer_po_date: o.customer_po_date ?? '',
    requested_date: o.requested_date ?? '',
    promised_date: o.promised_date ?? '',
    priority: o.priority,
    critical: o.critical,
    control_sheet: o.control_sheet,
    notes: o.notes ?? '',
  };
}

/** A line of the editable lines table: what the inputs hold (text), keyed for React. */
export interface LineDraft {
  key: string;
  quote_line_id: number | null;
  grade_id: number | null;
  reference: string;
  revision: string;
  designation: string;
  quantity: string;
  unit_price: string;
  requested_date: string;
  critical: boolean;
}

let draftSeq = 0;

export function emptyLineDraft(): LineDraft {
  draftSeq += 1;
  return { key: `new-${draftSeq}`, quote_line_id: null, grade_id: null, reference: '', revision: '', designation: '', quantity: '', unit_price: '', requested_date: '', critical: false };
}

export function lineDraftFrom(l: OrderLine, lang: 'fr' | 'en' = 'fr'): LineDraft {
  return {
    key: `line-${l.id}`,
    quote_line_id: l.quote_line_id,
    grade_id: l.grade_id,
    reference: l.reference ?? '',
    revision: l.revision ?? '',
    designation: l.designation,
    quantity: String(l.quantity),
    unit_price: moneyText(l.unit_price, lang),
    requested_date: l.requested_date ?? '',
    critical: l.critical,
  };
}

export type LineErrorCode = 'designation_required' | 'quantity_required' | 'quantity_invalid' | 'price_invalid';
export type LineErrors = Partial<Record<'designation' | 'quantity' | 'unit_price', LineErrorCode>>;

/** Local checks before sending: a designation, a whole quantity ≥ 1, a valid price (or none). */
export function lineErrors(d: LineDraft): LineErrors {
  const e: LineErrors = {};
  if (!d.designation.trim()) e.designation = 'designation_required';
  const q = parseQuantity(d.quantity);
  if (q === null) e.quantity = 'quantity_required';
  else if (Number.isNaN(q) || q < 1) e.quantity = 'quantity_invalid';
  const p = parseMoney(d.unit_price);
  if (p !== null && (Number.isNaN(p) || p < 0)) e.unit_price = 'price_invalid';
  return e;
}

export function hasLineErrors(drafts: readonly LineDraft[]): boolean {
  return drafts.some((d) => Object.keys(lineErrors(d)).length > 0);
}

/** The total shown on a draft line, recomputed as the person types. */
export function draftTotal(d: LineDraft): Dec | null {
  const q = parseQuantity(d.quantity);
  return lineTotal(q === null || Number.isNaN(q) ? null : q, d.unit_price);
}

export function draftsTotal(drafts: readonly LineDraft[]): Dec {
  return sumTotals(drafts.map(draftTotal));
}

const opt = (s: string): string | null => (s.trim() === '' ? null : s.trim());

export function lineInput(d: LineDraft): OrderLineInput {
  const q = parseQuantity(d.quantity);
  return {
    quote_line_id: d.quote_line_id,
    reference: opt(d.reference),
    revision: opt(d.revision),
    designation: d.designation.trim(),
    grade_id: d.grade_id,
    quantity: q === null || Number.isNaN(q) ? 0 : q,
    unit_price: moneyInput(d.unit_price),
    requested_date: opt(d.requested_date),
    critical: d.critical,
  };
}

/**
 * The body of POST /orders or PATCH /orders/{id}: the whole header, and the lines when they may be
 * changed (`lines` undefined = leave them). Text and dates are sent trimmed, an empty string
 * clearing the field (the server reads `null` as "unchanged"). The control sheet is sent ticked
 * for critical work.
 */
export function orderInputBody(v: OrderHeaderValues, lines: readonly LineDraft[] | undefined, version?: number): OrderInput {
  const critical = v.critical || isCriticalClient(v.client);
  const body: OrderInput = {
    client_id: v.client?.id ?? 0,
    customer_po_number: v.customer_po_number.trim(),
    customer_po_date: v.customer_po_date.trim(),
    requested_date: v.requested_date.trim(),
    promised_date: v.promised_date.trim(),
    priority: v.priority,
    critical,
    control_sheet: controlSheetState(critical, v.control_sheet).checked,
    notes: v.notes.trim(),
  };
  if (v.quote_id != null) body.quote_id = v.quote_id;
  if (version !== undefined) body.version = version;
  if (lines) body.lines = lines.map(lineInput);
  return body;
}

export function sameHeader(a: OrderHeaderValues, b: OrderHeaderValues): boolean {
  return (
    (a.client?.id ?? null) === (b.client?.id ?? null) &&
    a.quote_id === b.quote_id &&
    a.customer_po_number === b.customer_po_number &&
    a.customer_po_date === b.customer_po_date &&
    a.requested_date === b.requested_date &&
    a.promised_date === b.promised_date &&
    a.priority === b.priority &&
    a.critical === b.critical &&
    a.control_sheet === b.control_sheet &&
    a.notes === b.notes
  );
}

export function sameLines(a: readonly LineDraft[], b: readonly LineDraft[]): boolean {
  if (a.length !== b.length) return false;
  const strip = ({ key: _key, ...rest }: LineDraft) => JSON.stringify(rest);
  return a.every((d, i) => d.key === b[i].key && strip(d) === strip(b[i]));
}

// ---- delivery ------------------------------------------------------------------------------

/** The dialog opens with everything left to ship. */
export function deliveryDefaults(lines: readonly Pick<OrderLine, 'id' | 'remaining'>[]): Record<number, string> {
  return Object.fromEntries(lines.map((l) => [l.id, String(Math.max(0, l.remaining))]));
}

export type DeliveryCheck =
  | { ok: true; lines: { order_line_id: number; quantity: number }[] }
  | { ok: false; error: 'empty' | 'invalid' | 'too_many'; lineId?: number };

/** Typed quantities → the delivery lines (zeros left out), refusing more than what is left. */
export function checkDelivery(lines: readonly Pick<OrderLine, 'id' | 'remaining'>[], typed: Record<number, string>): DeliveryCheck {
  const out: { order_line_id: number; quantity: number }[] = [];
  for (const l of lines) {
    const q = parseQuantity(typed[l.id] ?? '');
    if (q === null || q === 0) continue;
    if (Number.isNaN(q)) return { ok: false, error: 'invalid', lineId: l.id };
    if (q > l.remaining) return { ok: false, error: 'too_many', lineId: l.id };
    out.push({ order_line_id: l.id, quantity: q });
  }
  return out.length === 0 ? { ok: false, error: 'empty' } : { ok: true, lines: out };
}

// ---- customer PO import ----------------------------------------------------------------

export type ConfidenceLevel = 'high' | 'medium' | 'low' | 'none';

/** ≥ 0.9 green, ≥ 0.6 orange, else red; no value → grey. */
export function confidenceLevel(c: number | null | undefined): ConfidenceLevel {
  if (c == null || !Number.isFinite(c)) return 'none';
  if (c >= 0.9) return 'high';
  if (c >= 0.6) return 'medium';
  return 'low';
}

export function candidateReference(c: QuoteLineCandidate): string {
  return c.reference ?? c.drawing_number ?? '';
}
export function candidateRevision(c: QuoteLineCandidate): string | null {
  return c.revision ?? c.drawing_revision ?? null;
}
export function candidateQuantity(c: QuoteLineCandidate): number | null {
  return c.quantity ?? c.selected_quantity ?? null;
}

/** "#2 · AX-4021 ind. B — Axe de vérin" (the option text of the quote line select). */
export function candidateLabel(c: QuoteLineCandidate, indLabel = 'ind.'): string {
  const ref = candidateReference(c);
  const rev = candidateRevision(c);
  const name = c.designation ?? c.part_name ?? '';
  return [`#${c.position}`, ref ? ` · ${ref}` : '', rev ? ` ${indLabel} ${rev}` : '', name ? ` — ${name}` : ''].join('');
}

/** One PO line under review: what was read, and what the person decided. */
export interface PoRow {
  po: PoLine;
  match: PoMatch | null;
  /** null = this PO line is left out of the order. */
  quote_line_id: number | null;
  quantity: string;
  unit_price: string;
  requested_date: string;
  /** What the inputs held when the PO was read (to tell whether the person changed them). */
  read_quantity: string;
  read_unit_price: string;
}

export function initialPoRows(imp: Pick<PoImport, 'po' | 'matches'>, lang: 'fr' | 'en' = 'fr'): PoRow[] {
  return imp.po.lines.map((po, i) => {
    const match = imp.matches.find((m) => m.po_line === i) ?? null;
    const quantity = po.quantity == null ? '' : String(po.quantity);
    const unit_price = moneyText(po.unit_price, lang);
    return {
      po,
      match,
      quote_line_id: match?.quote_line_id ?? null,
      quantity,
      unit_price,
      requested_date: po.requested_date ?? '',
      read_quantity: quantity,
      read_unit_price: unit_price,
    };
  });
}

export interface PoFlags {
  /** The quote's quantity when the ordered one differs. */
  quantity: number | null;
  /** The quote's unit price when the ordered one differs. */
  price: Dec | null;
  /** The quote's revision when the PO's differs (null quote revision → "—" shown). */
  revision: { quote: string | null; po: string | null } | null;
}

const normRev = (r: string | null | undefined) => (r ?? '').trim().toUpperCase();

/**
 * Differences between the (possibly corrected) PO line and the quote line it is matched to:
 * recomputed from the current values, so correcting the quantity to the quote's clears the flag.
 * Quote-side values come from the server's match when the line is the one it proposed, else from
 * the candidate row.
 */
export function poFlags(row: PoRow, candidates: readonly QuoteLineCandidate[]): PoFlags {
  const none: PoFlags = { quantity: null, price: null, revision: null };
  if (row.quote_line_id == null) return none;
  const cand = candidates.find((c) => c.id === row.quote_line_id) ?? null;
  const fromMatch = row.match && row.match.quote_line_id === row.quote_line_id ? row.match : null;
  const qQty = fromMatch?.quote_quantity ?? (cand ? candidateQuantity(cand) : null);
  const qPrice = fromMatch?.quote_unit_price ?? cand?.unit_price ?? null;
  const qRev = cand ? candidateRevision(cand) : null;
  const typedQty = parseQuantity(row.quantity);
  const typedPrice = parseMoney(row.unit_price);
  const quotePrice = parseMoney(qPrice);
  const out: PoFlags = { ...none };
  if (qQty != null && typedQty !== null && !Number.isNaN(typedQty) && typedQty !== qQty) out.quantity = qQty;
  if (quotePrice !== null && !Number.isNaN(quotePrice) && typedPrice !== null && !Number.isNaN(typedPrice) && typedPrice !== quotePrice) out.price = qPrice;
  if (cand) {
    if (row.po.revision && normRev(row.po.revision) !== normRev(qRev)) out.revision = { quote: qRev, po: row.po.revision };
  } else if (fromMatch?.revision_differs) {
    out.revision = { quote: null, po: row.po.revision };
  }
  return out;
}

/**
 * The differences to show: the server's own sentences while the row is as it proposed (same quote
 * line, quantity and price as read), else those recomputed from what the person changed.
 */
export function shownFlags(row: PoRow, candidates: readonly QuoteLineCandidate[]): { source: 'server'; texts: string[] } | { source: 'computed'; flags: PoFlags } {
  const asProposed =
    row.match != null && row.quote_line_id === row.match.quote_line_id && row.quantity.trim() === row.read_quantity.trim() && row.unit_price.trim() === row.read_unit_price.trim();
  if (asProposed && row.match?.flags_fr && row.match.flags_fr.length > 0) return { source: 'server', texts: row.match.flags_fr };
  return { source: 'computed', flags: poFlags(row, candidates) };
}

export type PoRowError = 'quantity' | 'price' | 'duplicate';

export type PoConfirmLines = { quote_line_id: number; quantity: number; unit_price?: Dec; requested_date?: string }[];

/**
 * What "Confirmer la commande" sends: the kept lines (matched to a quote line), each with a whole
 * quantity ≥ 1 and a valid price; a quote line may be used once only.
 */
export function checkPoRows(rows: readonly PoRow[]): { lines: PoConfirmLines; errors: Record<number, PoRowError> } {
  const errors: Record<number, PoRowError> = {};
  const lines: PoConfirmLines = [];
  const used = new Map<number, number>();
  rows.forEach((r, i) => {
    if (r.quote_line_id == null) return;
    const q = parseQuantity(r.quantity);
    const p = parseMoney(r.unit_price);
    if (q === null || Number.isNaN(q) || q < 1) {
      errors[i] = 'quantity';
      return;
    }
    if (p !== null && (Number.isNaN(p) || p < 0)) {
      errors[i] = 'price';
      return;
    }
    if (used.has(r.quote_line_id)) {
      errors[i] = 'duplicate';
      return;
    }
    used.set(r.quote_line_id, i);
    const line: PoConfirmLines[number] = { quote_line_id: r.quote_line_id, quantity: q };
    const price = moneyInput(r.unit_price);
    if (price !== null) line.unit_price = price;
    if (r.requested_date) line.requested_date = r.requested_date;
    lines.push(line);
  });
  return { lines, errors };
}

// ---- the PO import as the server sends it ------------------------------------------------

function isFound<T>(v: MaybeFound<T>): v is Found<T> {
  return typeof v === 'object' && v !== null && 'value' in (v as object) && 'confidence' in (v as object);
}

/** A read value, bare or wrapped with its confidence → the bare value (null when absent). */
export function foundValue<T>(v: MaybeFound<T>): T | null {
  if (v === undefined || v === null) return null;
  return isFound(v) ? v.value : (v as T);
}

const decOf = (v: MaybeFound<string | number>): Dec | null => {
  const x = foundValue(v);
  return x === null ? null : String(x);
};
const strOf = (v: MaybeFound<string>): string | null => {
  const x = foundValue(v);
  return x === null ? null : String(x);
};
const numOf = (v: MaybeFound<number>): number | null => {
  const x = foundValue(v);
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
};

/**
 * The server's PO import → what the review screen uses: the values read on the PO (bare, or
 * `{value, confidence, page, bbox}` as the reader gives them) flattened; the warnings of the
 * reader, of each line and of the matching gathered.
 */
export function normalizePoImport(raw: unknown): PoImport {
  const r = (raw ?? {}) as Record<string, unknown>;
  const po = (r.po ?? {}) as Record<string, unknown>;
  const rawLines = Array.isArray(po.lines) ? (po.lines as Record<string, unknown>[]) : [];
  const lines: PoLine[] = rawLines.map((l, i) => ({
    position: typeof l.position === 'number' ? l.position : i + 1,
    reference: strOf(l.reference as MaybeFound<string>),
    revision: strOf(l.revision as MaybeFound<string>),
    designation: strOf(l.designation as MaybeFound<string>),
    quantity: numOf(l.quantity as MaybeFound<number>),
    unit_price: decOf(l.unit_price as MaybeFound<string>),
    total: decOf((l.line_total ?? l.total) as MaybeFound<string>),
    requested_date: strOf(l.requested_date as MaybeFound<string>),
    confidence: typeof l.confidence === 'number' ? l.confidence : null,
    warnings_fr: Array.isArray(l.warnings_fr) ? (l.warnings_fr as string[]) : [],
  }));
  const warnings = [
    ...(Array.isArray(po.warnings_fr) ? (po.warnings_fr as string[]) : []),
    ...(Array.isArray(r.warnings_fr) ? (r.warnings_fr as string[]) : []),
  ];
  return {
    blob_id: r.blob_id as number,
    filename: String(r.filename ?? ''),
    po: {
      po_number: strOf(po.po_number as MaybeFound<string>),
      po_date: strOf(po.po_date as MaybeFound<string>),
      buyer: strOf(po.buyer as MaybeFound<string>),
      quote_reference: strOf(po.quote_reference as MaybeFound<string>),
      lines,
      warnings_fr: [...new Set(warnings)],
    },
    quote: (r.quote as PoImport['quote']) ?? null,
    quote_confidence: typeof r.quote_confidence === 'number' ? r.quote_confidence : null,
    quote_reasons_fr: Array.isArray(r.quote_reasons_fr) ? (r.quote_reasons_fr as string[]) : [],
    ambiguous_with: Array.isArray(r.ambiguous_with) ? (r.ambiguous_with as string[]) : [],
    order_id: typeof r.order_id === 'number' ? r.order_id : null,
    order_number: typeof r.order_number === 'string' ? r.order_number : null,
    matches: Array.isArray(r.matches) ? (r.matches as PoMatch[]) : [],
    quote_lines: Array.isArray(r.quote_lines) ? (r.quote_lines as QuoteLineCandidate[]) : [],
  };
}
