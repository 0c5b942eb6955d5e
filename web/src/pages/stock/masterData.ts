// Wire types and pure helpers of the stock master-data screens: reservations, material lots,
// storage suggestion, cutting data edition, material minimums and the tool life counter.
import type { Location, StockItem, Tool } from './stock';

export interface Reservation {
  id: number;
  /** `outil` (item_id = tool stock line) or `matiere` (item_id = material stock item). */
  item_type: 'outil' | 'matiere' | string;
  item_type_label: string;
  item_id: number;
  /** Readable name from the API, e.g. `T01 Fraise Ø10 — A1-T1`. */
  item_label?: string;
  job_ref: string;
  quantity: number;
  consumed: number;
  /** quantity − consumed while active, 0 otherwise. */
  remaining: number;
  status: 'active' | 'soldee' | 'liberee' | string;
  status_label: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface MaterialLot {
  id: number;
  grade_id: number;
  grade_code: string;
  heat_number: string;
  supplier_name: string | null;
  certificate_type: string;
  certificate_label: string;
  certificate_ref: string | null;
  certified: boolean;
  notes: string | null;
  url: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface StorageSuggestion {
  rank: number;
  /** Distance from the ideal distance to the saw (m), a decimal string. */
  gap_m: string;
  location: Location & { saw_distance_m: string };
}

export interface MinimumAlert {
  minimum_id: number;
  grade_id: number;
  grade_code: string;
  shape: string;
  diameter_mm: string;
  min_quantity: number;
  on_hand: number;
  available: number;
  below_min: boolean;
  /** Read before a PATCH (optimistic locking). */
  version: number;
}

export const RESERVATION_STATUSES = ['active', 'soldee', 'liberee'] as const;
export const ITEM_TYPES = ['outil', 'matiere'] as const;
export const CERTIFICATE_TYPES = ['aucun', '2.2', '3.1', '3.2'] as const;
export const SHAPES = ['rond', 'carre', 'hexagone', 'plat', 'tube', 'tole'] as const;

/** What the reservation form shows for the chosen item: on hand, reserved, available. */
export interface Availability {
  on_hand: number;
  reserved: number;
  available: number;
}

export function availabilityOfItem(item: Pick<StockItem, 'quantity' | 'reserved' | 'available'>): Availability {
  return { on_hand: item.quantity, reserved: item.reserved, available: item.available };
}

/** A typed whole number, or null when the text is not one (the server then names the field). */
export function wholeNumber(text: string): number | null {
  const v = text.trim();
  return /^\d+$/.test(v) ? Number(v) : null;
}

/** True when the typed quantity is a number above what is available (a hint; the server decides). */
export function exceedsAvailable(quantityText: string, a: Availability | null): boolean {
  const q = wholeNumber(quantityText);
  return a !== null && q !== null && q > a.available;
}

export function reservationBody(v: { item_type: string; item_id: number | null; job_ref: string; quantity: string }) {
  const q = v.quantity.trim();
  return {
    item_type: v.item_type || null,
    item_id: v.item_id,
    job_ref: v.job_ref.trim() || null,
    // Text that is not an integer goes as-is: the API answers 422 naming `quantity`.
    quantity: q === '' ? null : /^-?\d+$/.test(q) ? Number(q) : q,
  };
}

/** Only an active reservation with something left can be released. */
export function canRelease(r: Pick<Reservation, 'status' | 'remaining'>): boolean {
  return r.status === 'active' && r.remaining > 0;
}

export function stockItemLabel(i: Pick<StockItem, 'label' | 'id' | 'grade_code' | 'shape_label' | 'diameter_mm' | 'width_mm' | 'length_mm'>): string {
  const section = i.width_mm ? `${i.diameter_mm} × ${i.width_mm}` : `Ø ${i.diameter_mm}`;
  return `${i.label ?? `#${i.id}`} — ${i.grade_code} ${i.shape_label} ${section} × ${i.length_mm}`;
}

export function toolLabel(t: Pick<Tool, 'code' | 'name'>): string {
  return `${t.code} — ${t.name}`;
}

// ---- cutting data -------------------------------------------------------------------------

export const ISO_GROUPS = ['P', 'M', 'K', 'N', 'S', 'H'] as const;
export const FEED_KINDS = ['fz', 'f'] as const;
export const CUTTING_SOURCES = ['fournisseur', 'base_interne', 'saisie_manuelle'] as const;
export const CUTTING_FIELDS = ['iso_group', 'vc_min', 'vc_max', 'feed_kind', 'feed_min', 'feed_max', 'ap_min', 'ap_max', 'ae_min', 'ae_max', 'source', 'notes'] as const;
export type CuttingField = (typeof CUTTING_FIELDS)[number];
export type CuttingForm = Record<CuttingField, string>;

export function cuttingForm(c?: Partial<Record<CuttingField, string | null>> | null): CuttingForm {
  const out = {} as CuttingForm;
  for (const f of CUTTING_FIELDS) out[f] = c?.[f] ?? '';
  if (!c) {
    out.feed_kind = 'fz';
    out.source = 'saisie_manuelle';
  }
  return out;
}

/**
 * Body of POST/PATCH cutting data: every field (the PATCH takes the same JSON as the POST), decimals
 * stay strings (a French comma is the server's business), empty → null; `version` when editing.
 */
export function cuttingBody(v: CuttingForm, version?: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of CUTTING_FIELDS) {
    const s = v[f].trim();
    out[f] = s === '' ? null : s;
  }
  if (version !== undefined) out.version = version;
  return out;
}

/** `a–b`, a single value when both are equal or one is missing, `—` when none. */
export function rangeText(a: string | null | undefined, b: string | null | undefined): string {
  if (a && b && a !== b) return `${a}–${b}`;
  return a || b || '—';
}

// ---- material minimums --------------------------------------------------------------------

export interface MinimumForm {
  grade_id: string;
  shape: string;
  diameter_mm: string;
  min_quantity: string;
}

export function minimumForm(a?: MinimumAlert): MinimumForm {
  return {
    grade_id: a ? String(a.grade_id) : '',
    shape: a?.shape ?? 'rond',
    diameter_mm: a?.diameter_mm ?? '',
    min_quantity: a ? String(a.min_quantity) : '',
  };
}

/** POST body; the PATCH is the same plus the `version` read. */
export function minimumBody(v: MinimumForm, version?: number): Record<string, unknown> {
  const q = v.min_quantity.trim();
  const out: Record<string, unknown> = {
    grade_id: /^\d+$/.test(v.grade_id) ? Number(v.grade_id) : null,
    shape: v.shape || null,
    diameter_mm: v.diameter_mm.trim() || null,
    min_quantity: q === '' ? null : /^-?\d+$/.test(q) ? Number(q) : q,
  };
  if (version !== undefined) out.version = version;
  return out;
}

// ---- tool life ----------------------------------------------------------------------------

/** Share of the life used, 0–100 (clamped) for the bar; null without a limit. */
export function lifePercent(used: number, limit: number | null | undefined): number | null {
  if (limit == null || limit <= 0) return null;
  return Math.max(0, Math.min(100, Math.round((used / limit) * 100)));
}

/** Bar colour: ok under 75 %, warn up to 100 %, out when exhausted. */
export function lifeLevel(used: number, limit: number | null | undefined, exhausted: boolean): 'ok' | 'warn' | 'out' {
  if (exhausted) return 'out';
  const p = lifePercent(used, limit);
  if (p === null) return 'ok';
  return p >= 100 ? 'out' : p >= 75 ? 'warn' : 'ok';
}

export function lifeAddBody(text: string): { add: number | string } {
  const v = text.trim();
  return { add: /^-?\d+$/.test(v) ? Number(v) : v };
}
