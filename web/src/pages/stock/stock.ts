// Wire types and pure helpers of the stock screens (tools, materials, locations, purchases).
import type { RecordBase } from '../../api/types';

export interface Tool extends RecordBase {
  code: string;
  name: string;
  type: string;
  type_label: string;
  iso_designation: string | null;
  diameter_mm: string | null;
  cutting_length_mm: string | null;
  overall_length_mm: string | null;
  flutes: number | null;
  coating: string | null;
  grade: string | null;
  supplier_id: number | null;
  supplier_name: string | null;
  supplier_ref: string | null;
  unit_price: string | null;
  min_stock: number;
  on_hand: number;
  reserved: number;
  available: number;
  below_min: boolean;
  life_unit: string | null;
  life_limit: number | null;
  life_used: number;
  life_exhausted: boolean;
  regrind_count: number;
  active: boolean;
  status: string;
  status_label: string;
  notes: string | null;
  url: string;
}

export interface StockLine {
  id: number;
  location_id: number;
  location_code: string;
  quantity: number;
  reserved: number;
  available: number;
}

export interface CuttingData extends RecordBase {
  iso_group: string;
  iso_group_label: string;
  vc_min: string | null;
  vc_max: string | null;
  feed_kind: string;
  feed_min: string | null;
  feed_max: string | null;
  ap_min: string | null;
  ap_max: string | null;
  ae_min: string | null;
  ae_max: string | null;
  source: string;
  source_label: string;
}

export interface Movement {
  id: number;
  kind: string;
  kind_label: string;
  quantity: number;
  qty_before: number;
  qty_after: number;
  job_ref: string | null;
  destination?: string | null;
  reason: string | null;
  actor_login: string;
  at: string;
}

export interface Location extends RecordBase {
  code: string;
  name: string;
  kind: string;
  kind_label: string;
  saw_distance_m: string;
  status: string;
  status_label: string;
}

export interface Grade extends RecordBase {
  code: string;
  afnor: string;
  en_number: string | null;
  en_name: string | null;
  aisi: string | null;
  din: string | null;
  iso_group: string;
  density: string;
  machinability: string | null;
}

export interface StockItem extends RecordBase {
  label: string | null;
  grade_code: string;
  grade_name: string;
  heat_number: string | null;
  certificate_type: string | null;
  certified: boolean;
  shape: string;
  shape_label: string;
  diameter_mm: string;
  width_mm: string | null;
  length_mm: string;
  quantity: number;
  reserved: number;
  available: number;
  location_code: string | null;
  is_offcut: boolean;
}

export interface PurchaseRequest extends RecordBase {
  tool_id: number;
  tool_code: string;
  tool_name: string;
  quantity: number;
  urgent: boolean;
  status: string;
  status_label: string;
  reason: string | null;
  requested_by: string;
  decided_by: string | null;
  decided_at: string | null;
}

export const TOOL_TYPES = [
  'fraise', 'foret', 'plaquette', 'porte_outil', 'taraud', 'alesoir', 'fraise_a_fileter', 'outil_a_saigner',
  'barre_d_alesage', 'foret_a_centrer', 'fraise_a_chanfreiner', 'fraise_a_surfacer', 'autre',
] as const;

export const TOOL_MOVEMENTS = ['entree', 'sortie', 'casse', 'rebut', 'reaffutage', 'retour'] as const;

export const PR_STATES = ['brouillon', 'demandee', 'validee', 'refusee', 'commandee'] as const;

/** Editable tool fields as the form holds them (text inputs). */
export interface ToolForm {
  code: string;
  name: string;
  type: string;
  iso_designation: string;
  diameter_mm: string;
  flutes: string;
  coating: string;
  grade: string;
  supplier_name: string;
  supplier_ref: string;
  unit_price: string;
  min_stock: string;
  life_unit: string;
  life_limit: string;
}

export function toolForm(t?: Tool): ToolForm {
  return {
    code: t?.code ?? '',
    name: t?.name ?? '',
    type: t?.type ?? '',
    iso_designation: t?.iso_designation ?? '',
    diameter_mm: t?.diameter_mm ?? '',
    flutes: t?.flutes != null ? String(t.flutes) : '',
    coating: t?.coating ?? '',
    grade: t?.grade ?? '',
    supplier_name: t?.supplier_name ?? '',
    supplier_ref: t?.supplier_ref ?? '',
    unit_price: t?.unit_price ?? '',
    min_stock: t ? String(t.min_stock) : '0',
    life_unit: t?.life_unit ?? '',
    life_limit: t?.life_limit != null ? String(t.life_limit) : '',
  };
}

const INT_FIELDS = new Set(['flutes', 'min_stock', 'life_limit']);

/** A typed integer, or the raw text so the server names the field in its 422. */
function intOrText(s: string): number | string | null {
  const v = s.trim();
  if (v === '') return null;
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

/**
 * Body to send: on creation every filled field (type left empty is not sent, the server names it);
 * on edition only what changed, "" clearing an optional text.
 */
export function toolBody(form: ToolForm, original?: Tool): Record<string, unknown> {
  const base = original ? toolForm(original) : undefined;
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(form) as [keyof ToolForm, string][]) {
    if (base && base[k] === raw) continue;
    if (!base && raw.trim() === '') continue;
    out[k] = INT_FIELDS.has(k) ? intOrText(raw) : raw.trim();
  }
  return out;
}

/** Stock level of a tool as a badge class: out, low (under minimum), ok. */
export function stockLevel(available: number, onHand: number, min: number): 'out' | 'low' | 'ok' {
  if (available <= 0) return 'out';
  if (onHand < min) return 'low';
  return 'ok';
}
