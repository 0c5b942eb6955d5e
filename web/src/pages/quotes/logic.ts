// Pure logic of the quote screens (unit-tested without the DOM): quantity parsing, drawing
// overlay geometry, confidence levels, status pipeline and transitions, scenario lookup, what
// blocks the validation of a line, and the PATCH body of the line form.
import type {
  AnalysisStatus,
  BBox,
  ClientOption,
  Estimate,
  Extracted,
  LineEnvelope,
  LinePatch,
  QuantityBreak,
  Quote,
  QuoteLine,
  QuoteStatus,
  Resource,
  Scenario,
  ScenarioKind,
  Shape,
} from './types';
import { SCENARIO_KINDS } from './types';

// ---- quantities ---------------------------------------------------------------------------

export const MAX_QUANTITY = 1_000_000;

export type QuantityError = 'empty' | 'invalid' | 'zero' | 'too_large';

export type QuantityParse = { ok: true; values: number[] } | { ok: false; error: QuantityError; token: string };

const GROUPED = /^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$/;

/**
 * "1, 10,50" → [1, 10, 50]. Separators: comma, semicolon, slash, spaces; "1 000" (French
 * thousands grouping) is one thousand. Sorted ascending, duplicates removed. Empty text is an
 * error only when `required`.
 */
export function parseQuantities(text: string, required = true): QuantityParse {
  const chunks = text
    .split(/[,;/]/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const tokens: string[] = [];
  for (const c of chunks) {
    if (GROUPED.test(c)) tokens.push(c.replace(/[ \u00a0\u202f]/g, ''));
    else tokens.push(...c.split(/[\s\u00a0\u202f]+/).filter((x) => x !== ''));
  }
  if (tokens.length === 0) return required ? { ok: false, error: 'empty', token: '' } : { ok: true, values: [] };
  const values = new Set<number>();
  for (const tok of tokens) {
    if (!/^\d+$/.test(tok)) return { ok: false, error: 'invalid', token: tok };
    const n = Number(tok);
    if (n === 0) return { ok: false, error: 'zero', token: tok };
    if (n > MAX_QUANTITY) return { ok: false, error: 'too_large', token: tok };
    values.add(n);
  }
  return { ok: true, values: [...values].sort((a, b) => a - b) };
}

/** [1, 10, 50] → "1, 10, 50" (what the input shows). */
export function quantitiesText(values: readonly number[]): string {
  return values.join(', ');
}

// ---- numbers typed by a person --------------------------------------------------------------

/** "12,5" or "12.5" → 12.5; "" → null; anything else → NaN. */
export function parseDecimalInput(text: string): number | null {
  const s = text.trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (s === '') return null;
  return /^\d+(?:\.\d+)?$/.test(s) ? Number(s) : NaN;
}

/** 12.5 → "12,5" (fr) for an input's initial value; null → "". */
export function decimalText(v: number | null | undefined, lang: 'fr' | 'en' = 'fr'): string {
  if (v == null || !Number.isFinite(v)) return '';
  const s = String(Math.round(v * 1000) / 1000);
  return lang === 'fr' ? s.replace('.', ',') : s;
}

// ---- drawing overlay -------------------------------------------------------------------------

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const pct = (v: number) => `${Math.round(v * 100_000) / 1000}%`;

/**
 * A normalised box (0..1, origin top-left) → absolute position in % of the page image. Corners
 * given in any order are put back in order; a box with a non-finite coordinate gives null.
 */
export function bboxStyle(b: BBox | null | undefined): { left: string; top: string; width: string; height: string } | null {
  if (!b) return null;
  const vals = [b.x0, b.y0, b.x1, b.y1];
  if (vals.some((v) => typeof v !== 'number' || !Number.isFinite(v))) return null;
  const x0 = clamp01(Math.min(b.x0, b.x1));
  const x1 = clamp01(Math.max(b.x0, b.x1));
  const y0 = clamp01(Math.min(b.y0, b.y1));
  const y1 = clamp01(Math.max(b.y0, b.y1));
  return { left: pct(x0), top: pct(y0), width: pct(x1 - x0), height: pct(y1 - y0) };
}

export type ConfidenceLevel = 'high' | 'medium' | 'low' | 'none';

/** ≥ 0.9 green, ≥ 0.6 orange, else red; no value → grey. */
export function confidenceLevel(c: number | null | undefined): ConfidenceLevel {
  if (c == null || !Number.isFinite(c)) return 'none';
  if (c >= 0.9) return 'high';
  if (c >= 0.6) return 'medium';
  return 'low';
}

/** Fields of the review form, in display order. */
export const LINE_FIELDS = [
  'drawing_number',
  'drawing_revision',
  'part_name',
  'grade_id',
  'heat_treatment',
  'surface_treatment',
  'quantities',
  'shape',
  'envelope',
  'critical',
] as const;
export type LineField = (typeof LINE_FIELDS)[number];

const KEY_TO_FIELD: Record<string, LineField> = {
  drawing_number: 'drawing_number',
  revision: 'drawing_revision',
  part_name: 'part_name',
  material: 'grade_id',
  heat_treatment: 'heat_treatment',
  surface_treatment: 'surface_treatment',
  quantity: 'quantities',
  shape_class: 'shape',
  envelope: 'envelope',
  critical: 'critical',
};

/** The form field an extracted value feeds (`material` → `grade_id`), or null for read-only facts. */
export function fieldForKey(key: string): LineField | null {
  return KEY_TO_FIELD[key] ?? null;
}

/** Keys shown as read-only lists under the form. */
export const LIST_KEYS = ['dimension', 'roughness', 'thread', 'gdt'] as const;
/** Other facts read on the title block, shown as a small table. */
export const INFO_KEYS = ['customer', 'general_tolerance', 'projection', 'scale', 'date'] as const;

/** Indexes of `extracted` that feed a form field. */
export function extractedFor(extracted: readonly Extracted[], field: LineField): number[] {
  const out: number[] = [];
  extracted.forEach((e, i) => {
    if (fieldForKey(e.key) === field) out.push(i);
  });
  return out;
}

/** Best confidence of what was read for a field (null when nothing was read). */
export function fieldConfidence(extracted: readonly Extracted[], field: LineField): number | null {
  let best: number | null = null;
  for (const i of extractedFor(extracted, field)) {
    const c = extracted[i].confidence;
    if (c != null && (best === null || c > best)) best = c;
  }
  return best;
}

/** "true"/1/… → display text of an extracted value. */
export function extractedText(v: Extracted['value']): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  return String(v);
}

// ---- statuses --------------------------------------------------------------------------------

/** The pipeline shown in the status bar: the main road, ending with the actual outcome. */
export function statusPipeline(status: QuoteStatus): QuoteStatus[] {
  const end: QuoteStatus = status === 'refuse' || status === 'expire' ? status : 'accepte';
  return ['brouillon', 'a_valider', 'envoye', end];
}

export type TransitionConfirm = 'refuse' | 'expire' | 'revision' | null;

export interface TransitionDisplay {
  tone: 'primary' | 'secondary' | 'danger';
  /** Which confirmation to ask before moving (null: none). */
  confirm: TransitionConfirm;
}

/** How a transition button looks and whether it asks first. */
export function transitionDisplay(from: QuoteStatus, to: QuoteStatus): TransitionDisplay {
  if (to === 'refuse') return { tone: 'danger', confirm: 'refuse' };
  if (to === 'expire') return { tone: 'secondary', confirm: 'expire' };
  if (to === 'brouillon') return { tone: 'secondary', confirm: from === 'envoye' ? 'revision' : null };
  if (to === 'a_valider' || to === 'envoye' || to === 'accepte') return { tone: 'primary', confirm: null };
  return { tone: 'secondary', confirm: null };
}

export function isPending(status: AnalysisStatus): boolean {
  return status === 'en_attente' || status === 'en_cours';
}

/** "x / n plans analysés": lines with a drawing, and how many are no longer queued or running. */
export function analysisProgress(lines: readonly Pick<QuoteLine, 'analysis_status' | 'drawing'>[]): { done: number; total: number; pending: number } {
  const withDrawing = lines.filter((l) => l.drawing !== null || isPending(l.analysis_status));
  const pending = lines.filter((l) => isPending(l.analysis_status)).length;
  return { done: withDrawing.length - pending, total: withDrawing.length, pending };
}

// ---- estimate --------------------------------------------------------------------------------

export function scenarioOrder(kind: ScenarioKind): number {
  return SCENARIO_KINDS.indexOf(kind);
}

/** Économique, Standard, Express whatever the order on the wire. */
export function scenariosInOrder(b: Pick<QuantityBreak, 'scenarios'>): Scenario[] {
  return [...b.scenarios].sort((a, c) => scenarioOrder(a.kind) - scenarioOrder(c.kind));
}

/** The break of the selected quantity, else the first one. */
export function selectedBreak(estimate: Estimate | null, quantity: number | null): QuantityBreak | null {
  if (!estimate || estimate.breaks.length === 0) return null;
  return estimate.breaks.find((b) => b.quantity === quantity) ?? estimate.breaks[0];
}

/** Price of a line for its selected quantity in one scenario (the list shows Standard). */
export function linePrice(line: Pick<QuoteLine, 'estimate' | 'selected_quantity'>, kind: ScenarioKind = 'standard'): { quantity: number; scenario: Scenario } | null {
  const b = selectedBreak(line.estimate, line.selected_quantity);
  const s = b?.scenarios.find((x) => x.kind === kind);
  return b && s ? { quantity: b.quantity, scenario: s } : null;
}

export function issueCounts(estimate: Estimate | null): { bloquant: number; question: number; avertissement: number } {
  const c = { bloquant: 0, question: 0, avertissement: 0 };
  for (const i of estimate?.issues ?? []) c[i.level] += 1;
  return c;
}

export type ValidateBlocker = 'read_only' | 'pending' | 'dirty' | 'no_estimate' | 'blocking' | 'questions' | 'missing' | null;

/** Why "Valider la ligne" is disabled (null: it can be pressed). */
export function validateBlocker(line: Pick<QuoteLine, 'analysis_status' | 'estimate' | 'missing'>, opts: { editable: boolean; dirty: boolean }): ValidateBlocker {
  if (!opts.editable) return 'read_only';
  if (isPending(line.analysis_status)) return 'pending';
  if (opts.dirty) return 'dirty';
  if (!line.estimate) return line.missing.length > 0 ? 'missing' : 'no_estimate';
  const c = issueCounts(line.estimate);
  if (c.bloquant > 0) return 'blocking';
  if (c.question > 0) return 'questions';
  return null;
}

/** Machine code, activity code, subcontractor… of an operation, for the routing table. */
export function resourceText(r: Resource): string {
  switch (r.kind) {
    case 'machine':
      return r.code;
    case 'activity':
      return r.code;
    case 'subcontract':
      return r.supplier ? `${r.treatment} — ${r.supplier}` : r.treatment;
    default:
      return '';
  }
}

// ---- line form -------------------------------------------------------------------------------

export interface LineFormValues {
  drawing_number: string;
  drawing_revision: string;
  part_name: string;
  grade_id: string;
  heat_treatment: string;
  surface_treatment: string;
  quantities: string;
  critical: boolean;
  shape: Shape;
  diameter: string;
  length: string;
  width: string;
  height: string;
}

export function lineFormValues(line: QuoteLine, lang: 'fr' | 'en' = 'fr'): LineFormValues {
  const e = line.envelope;
  return {
    drawing_number: line.drawing_number ?? '',
    drawing_revision: line.drawing_revision ?? '',
    part_name: line.part_name ?? '',
    grade_id: line.grade_id == null ? '' : String(line.grade_id),
    heat_treatment: line.heat_treatment ?? '',
    surface_treatment: line.surface_treatment ?? '',
    quantities: quantitiesText(line.quantities),
    critical: line.critical,
    shape: line.shape,
    diameter: decimalText(e?.diameter, lang),
    length: decimalText(e?.length, lang),
    width: decimalText(e?.width, lang),
    height: decimalText(e?.height, lang),
  };
}

export function emptyLineForm(): LineFormValues {
  return {
    drawing_number: '',
    drawing_revision: '',
    part_name: '',
    grade_id: '',
    heat_treatment: '',
    surface_treatment: '',
    quantities: '',
    critical: false,
    shape: 'unknown',
    diameter: '',
    length: '',
    width: '',
    height: '',
  };
}

export type EnvelopePart = 'diameter' | 'length' | 'width' | 'height';
export const ENVELOPE_PARTS: EnvelopePart[] = ['diameter', 'length', 'width', 'height'];

export interface LineBodyResult {
  body: LinePatch;
  /** Local errors per field name (`quantities`, `envelope.diameter`…): the value is the i18n key. */
  errors: Record<string, { key: string; token?: string }>;
}

const textOrNull = (s: string) => (s.trim() === '' ? null : s.trim());

// On PATCH, `null` means "unchanged" to the server: a cleared text is sent as "".
const cleared = (v: string | null | undefined) => v ?? '';

/** The whole body of the form (POST of a manual line), with the local checks. */
export function lineBody(v: LineFormValues, opts: { quantitiesRequired?: boolean } = {}): LineBodyResult {
  const errors: LineBodyResult['errors'] = {};
  const q = parseQuantities(v.quantities, opts.quantitiesRequired ?? false);
  if (!q.ok) errors.quantities = { key: `quotes.qty_error.${q.error}`, token: q.token };
  const envelope: LineEnvelope = { diameter: null, length: null, width: null, height: null };
  for (const p of ENVELOPE_PARTS) {
    const n = parseDecimalInput(v[p]);
    if (n !== null && (Number.isNaN(n) || n <= 0)) errors[`envelope.${p}`] = { key: 'quotes.dimension_invalid' };
    else envelope[p] = n;
  }
  const body: LinePatch = {
    drawing_number: textOrNull(v.drawing_number),
    drawing_revision: textOrNull(v.drawing_revision),
    part_name: textOrNull(v.part_name),
    grade_id: v.grade_id === '' ? null : Number(v.grade_id),
    heat_treatment: textOrNull(v.heat_treatment),
    surface_treatment: textOrNull(v.surface_treatment),
    quantities: q.ok ? q.values : [],
    critical: v.critical,
    shape: v.shape,
    envelope,
  };
  return { body, errors };
}

const sameEnvelope = (a: LineEnvelope | null, b: LineEnvelope) =>
  ENVELOPE_PARTS.every((p) => (a?.[p] ?? null) === b[p]);

/** Only what changed against the line (PATCH), plus its `version` when anything did. */
export function linePatch(line: QuoteLine, v: LineFormValues): LineBodyResult & { dirty: boolean } {
  const { body, errors } = lineBody(v);
  const patch: LinePatch = {};
  const str = (k: 'drawing_number' | 'drawing_revision' | 'part_name' | 'heat_treatment' | 'surface_treatment') => {
    if ((body[k] ?? null) !== (line[k] ?? null)) patch[k] = cleared(body[k]);
  };
  str('drawing_number');
  str('drawing_revision');
  str('part_name');
  // A grade can be changed, not removed (the server keeps it when none is sent).
  if (body.grade_id != null && body.grade_id !== line.grade_id) patch.grade_id = body.grade_id;
  str('heat_treatment');
  str('surface_treatment');
  // A quantity text that does not parse is a change (so the error shows on save).
  if (errors.quantities || quantitiesText(body.quantities ?? []) !== quantitiesText(line.quantities)) patch.quantities = body.quantities;
  if (body.critical !== line.critical) patch.critical = body.critical;
  if (body.shape !== line.shape) patch.shape = body.shape;
  const envErrors = Object.keys(errors).some((k) => k.startsWith('envelope.'));
  if (envErrors || !sameEnvelope(line.envelope, body.envelope!)) patch.envelope = body.envelope;
  const dirty = Object.keys(patch).length > 0;
  if (dirty) patch.version = line.version;
  return { body: patch, errors, dirty };
}

// ---- quote header ----------------------------------------------------------------------------

export interface QuoteHeaderValues {
  client: ClientOption | null;
  subject: string;
  customer_reference: string;
  valid_until: string;
  notes: string;
}

export const QUOTE_HEADER_FIELDS = ['client_id', 'subject', 'customer_reference', 'valid_until', 'notes', 'version'] as const;

export function emptyQuoteHeader(): QuoteHeaderValues {
  return { client: null, subject: '', customer_reference: '', valid_until: '', notes: '' };
}

export function quoteHeaderValues(q: Quote): QuoteHeaderValues {
  return {
    client: { id: q.client_id, name: q.client_name, critical: q.critical_client },
    subject: q.subject ?? '',
    customer_reference: q.customer_reference ?? '',
    valid_until: q.valid_until ?? '',
    notes: q.notes ?? '',
  };
}

/** POST /quotes: empty optional fields are left out (the server then applies its defaults). */
export function quoteCreateBody(v: QuoteHeaderValues): Record<string, unknown> {
  const body: Record<string, unknown> = { client_id: v.client?.id ?? null };
  for (const k of ['subject', 'customer_reference', 'valid_until', 'notes'] as const) {
    if (v[k].trim() !== '') body[k] = v[k].trim();
  }
  return body;
}

/**
 * PATCH /quotes/{id}: the fields changed against what the form was loaded from (a cleared text
 * is sent as "", `null` meaning "unchanged" to the server; the validity date cannot be removed),
 * with the quote's current version (it also moves when a line changes).
 */
export function quoteHeaderPatch(q: Quote, v: QuoteHeaderValues, version = q.version): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (v.client && v.client.id !== q.client_id) patch.client_id = v.client.id;
  for (const k of ['subject', 'customer_reference', 'notes'] as const) {
    const now = v[k].trim();
    if (now !== (q[k] ?? '')) patch[k] = now;
  }
  const until = v.valid_until.trim();
  if (until !== '' && until !== (q.valid_until ?? '')) patch.valid_until = until;
  if (Object.keys(patch).length > 0) patch.version = version;
  return patch;
}
