// Pure logic of the method sheet editor (unit-tested without the DOM): the content read from the
// server made safe to edit, the form draft (numbers typed in French) and back, the "à renseigner"
// hints, list moves, and how cutting conditions and their warnings are shown.
import type { CuttingConditions, CuttingWarning, InspectionPoint, SheetContent, SheetSetup, SheetTool } from './types';

// ---- content -------------------------------------------------------------------------------

const str = (v: unknown): string | null => (typeof v === 'string' ? v : v == null ? null : String(v));
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

/** Whatever the server sent (older sheets may lack keys) → a complete content object. */
export function normalizeContent(raw: unknown): SheetContent {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const s = (o.setup && typeof o.setup === 'object' ? o.setup : {}) as Record<string, unknown>;
  const setup: SheetSetup = { fixturing: str(s.fixturing), datums: str(s.datums), zero_point: str(s.zero_point), notes: str(s.notes) };
  const tools = Array.isArray(o.tools) ? (o.tools as Record<string, unknown>[]).filter((x) => x && typeof x === 'object').map((x) => ({ ...x, label: str(x.label) ?? '' }) as SheetTool) : [];
  const points = Array.isArray(o.inspection_points)
    ? (o.inspection_points as Record<string, unknown>[]).filter((x) => x && typeof x === 'object').map((x) => ({ ...x, characteristic: str(x.characteristic) ?? '' }) as InspectionPoint)
    : [];
  return { setup, tools, cam_steps: strList(o.cam_steps), inspection_points: points, safety_notes: strList(o.safety_notes), nc_program: str(o.nc_program) };
}

// ---- numbers typed in the form ---------------------------------------------------------------

/** 12.5 → "12,5" (fr). */
export function numText(v: number | null | undefined, lang: 'fr' | 'en' = 'fr'): string {
  if (v == null || !Number.isFinite(v)) return '';
  const s = String(Math.round(v * 10_000) / 10_000);
  return lang === 'fr' ? s.replace('.', ',') : s;
}

/** "12,5" → 12.5; "" → null; negative / not a number → NaN. */
export function parseNum(text: string): number | null {
  const s = text.trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (s === '') return null;
  return /^\d+(?:\.\d+)?$/.test(s) ? Number(s) : NaN;
}

export const TOOL_NUM_FIELDS = ['diameter', 'teeth', 'work_diameter', 'ap', 'ae', 'vc', 'feed'] as const;
export type ToolNumField = (typeof TOOL_NUM_FIELDS)[number];

/** One tool of the form: numbers as typed; `original` keeps what the form does not edit. */
export interface ToolDraft {
  key: string;
  original: SheetTool | null;
  position: string;
  label: string;
  kind: string;
  intent: string;
  diameter: string;
  teeth: string;
  work_diameter: string;
  ap: string;
  ae: string;
  /** Vc / feed typed by a person (they win over the cutting data). */
  vc: string;
  feed: string;
}

export interface PointDraft {
  key: string;
  original: InspectionPoint | null;
  characteristic: string;
  nominal: string;
  tolerance: string;
  instrument_type: string;
  frequency: string;
}

export interface SheetDraft {
  setup: { fixturing: string; datums: string; zero_point: string; notes: string };
  tools: ToolDraft[];
  cam_steps: string[];
  inspection_points: PointDraft[];
  safety_notes: string[];
  nc_program: string;
}

let seq = 0;
const nextKey = (p: string) => `${p}-${++seq}`;

export function toolDraft(t: SheetTool | null, lang: 'fr' | 'en' = 'fr'): ToolDraft {
  return {
    key: nextKey('tool'),
    original: t,
    position: t?.position ?? '',
    label: t?.label ?? '',
    kind: t?.kind ?? '',
    intent: t?.intent ?? 'ebauche',
    diameter: numText(t?.diameter, lang),
    teeth: numText(t?.teeth, lang),
    work_diameter: numText(t?.work_diameter, lang),
    ap: numText(t?.ap, lang),
    ae: numText(t?.ae, lang),
    vc: numText(t?.vc, lang),
    feed: numText(t?.feed, lang),
  };
}

export function pointDraft(p: InspectionPoint | null): PointDraft {
  return {
    key: nextKey('pt'),
    original: p,
    characteristic: p?.characteristic ?? '',
    nominal: p?.nominal ?? '',
    tolerance: p?.tolerance ?? '',
    instrument_type: p?.instrument_type ?? '',
    frequency: p?.frequency ?? '',
  };
}

export function toDraft(c: SheetContent, lang: 'fr' | 'en' = 'fr'): SheetDraft {
  return {
    setup: { fixturing: c.setup.fixturing ?? '', datums: c.setup.datums ?? '', zero_point: c.setup.zero_point ?? '', notes: c.setup.notes ?? '' },
    tools: c.tools.map((t) => toolDraft(t, lang)),
    cam_steps: [...c.cam_steps],
    inspection_points: c.inspection_points.map(pointDraft),
    safety_notes: [...c.safety_notes],
    nc_program: c.nc_program ?? '',
  };
}

/** The draft compared field by field (keys and kept originals do not count). */
export function draftSignature(d: SheetDraft): string {
  return JSON.stringify({
    ...d,
    tools: d.tools.map(({ key: _k, original: _o, ...rest }) => rest),
    inspection_points: d.inspection_points.map(({ key: _k, original: _o, ...rest }) => rest),
  });
}

export type DraftErrors = Record<string, 'number' | 'integer' | 'label_required' | 'characteristic_required'>;

const opt = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/**
 * The draft → the content PUT to the server, or the fields in error (`tools.2.diameter`, …).
 * Edited values replace the original's; what the form does not show (tool id, nose radius, pitch,
 * instrument id) is kept. Computed conditions are not sent back: the server recomputes them.
 * Empty CAM steps and safety notes are dropped.
 */
export function fromDraft(d: SheetDraft): { content: SheetContent; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const tools: SheetTool[] = d.tools.map((t, i) => {
    const { conditions: _c, ...kept } = t.original ?? ({} as SheetTool);
    // position, label, kind and intent are plain strings on the wire (never null).
    const out: SheetTool = { ...kept, position: t.position.trim(), label: t.label.trim(), kind: t.kind.trim(), intent: t.intent.trim() || 'ebauche', diameter: null };
    if (!t.label.trim()) errors[`tools.${i}.label`] = 'label_required';
    for (const f of TOOL_NUM_FIELDS) {
      const v = parseNum(t[f]);
      if (v !== null && Number.isNaN(v)) errors[`tools.${i}.${f}`] = 'number';
      else if (f === 'teeth' && v !== null && !Number.isInteger(v)) errors[`tools.${i}.${f}`] = 'integer';
      out[f] = v === null || Number.isNaN(v) ? null : v;
    }
    return out;
  });
  const inspection_points: InspectionPoint[] = d.inspection_points.map((p, i) => {
    if (!p.characteristic.trim()) errors[`inspection_points.${i}.characteristic`] = 'characteristic_required';
    return {
      ...(p.original ?? {}),
      characteristic: p.characteristic.trim(),
      nominal: opt(p.nominal),
      tolerance: opt(p.tolerance),
      instrument_type: opt(p.instrument_type),
      frequency: opt(p.frequency),
    };
  });
  const content: SheetContent = {
    setup: { fixturing: opt(d.setup.fixturing), datums: opt(d.setup.datums), zero_point: opt(d.setup.zero_point), notes: opt(d.setup.notes) },
    tools,
    cam_steps: d.cam_steps.map((s) => s.trim()).filter((s) => s !== ''),
    inspection_points,
    safety_notes: d.safety_notes.map((s) => s.trim()).filter((s) => s !== ''),
    nc_program: opt(d.nc_program),
  };
  return { content, errors };
}

// ---- "à renseigner" --------------------------------------------------------------------------

export const SETUP_REQUIRED = ['fixturing', 'datums', 'zero_point'] as const;
export type SetupField = (typeof SETUP_REQUIRED)[number];

/** Set-up fields still empty in the draft: each shows an orange "à renseigner" hint. */
export function setupHints(setup: SheetDraft['setup']): SetupField[] {
  return SETUP_REQUIRED.filter((k) => setup[k].trim() === '');
}

/** Tool inputs the cutting engine needs that are still empty (diameter; work Ø for turning). */
export function toolHints(t: ToolDraft): ToolNumField[] {
  const out: ToolNumField[] = [];
  if (t.diameter.trim() === '' && t.kind !== 'tournage' && t.kind !== 'tronconnage') out.push('diameter');
  if ((t.kind === 'tournage' || t.kind === 'alesage' || t.kind === 'tronconnage') && t.work_diameter.trim() === '') out.push('work_diameter');
  if ((t.kind === 'fraisage' || t.kind === 'surfacage') && t.teeth.trim() === '') out.push('teeth');
  return out;
}

const EDITED_FIELDS = ['kind', 'intent', 'diameter', 'teeth', 'work_diameter', 'ap', 'ae', 'vc', 'feed'] as const;

/** True when a tool's inputs differ from what the conditions shown were computed for. */
export function toolEdited(t: ToolDraft, lang: 'fr' | 'en' = 'fr'): boolean {
  if (!t.original) return true;
  const o = toolDraft(t.original, lang);
  return EDITED_FIELDS.some((k) => o[k].trim() !== t[k].trim());
}

/** Rows a text area needs to show a text without scrolling (lines wrapped at ~70 characters). */
export function textRows(text: string, min = 2, max = 8, perLine = 70): number {
  const rows = text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / perLine)), 0);
  return Math.min(max, Math.max(min, rows));
}

// ---- lists ------------------------------------------------------------------------------------

/** The list with item `i` moved one step up (-1) or down (+1); out of range → unchanged copy. */
export function moveAt<T>(list: readonly T[], i: number, step: -1 | 1): T[] {
  const j = i + step;
  const out = [...list];
  if (i < 0 || i >= out.length || j < 0 || j >= out.length) return out;
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

export function removeAt<T>(list: readonly T[], i: number): T[] {
  return list.filter((_, k) => k !== i);
}

// ---- conditions -----------------------------------------------------------------------------

export type WarnLevel = 'danger' | 'warn';

const DANGER_CODES = new Set(['puissance_depassee', 'donnees_manquantes', 'entree_invalide']);

export function warningCode(w: CuttingWarning | string): string {
  return typeof w === 'string' ? '' : w.code;
}

export function warningText(w: CuttingWarning | string): string {
  return typeof w === 'string' ? w : w.message_fr;
}

/** Red for what makes the condition unusable as is (power exceeded, no data); orange otherwise. */
export function warningLevel(w: CuttingWarning | string): WarnLevel {
  return DANGER_CODES.has(warningCode(w)) ? 'danger' : 'warn';
}

export type PowerLevel = 'ok' | 'high' | 'over' | 'unknown';

/** Spindle power needed vs the machine's: over 100 % red, over 80 % orange. */
export function powerLevel(needed: number | null | undefined, machine: number | null | undefined): PowerLevel {
  if (needed == null || machine == null || !Number.isFinite(needed) || !Number.isFinite(machine) || machine <= 0) return 'unknown';
  const r = needed / machine;
  if (r > 1) return 'over';
  if (r > 0.8) return 'high';
  return 'ok';
}

/** Feed symbol and unit: fz mm/dent, f mm/tr, pas mm. */
export function feedUnit(kind: string | null | undefined): { symbol: string; unit: string } {
  if (kind === 'fz') return { symbol: 'fz', unit: 'mm/dent' };
  if (kind === 'pas') return { symbol: 'pas', unit: 'mm' };
  return { symbol: 'f', unit: 'mm/tr' };
}

/** The conditions as the sheet shows them: rounded values first, then raw ones. */
export interface CondView {
  vc: number | null;
  feedKind: string | null;
  feed: number | null;
  ap: number | null;
  ae: number | null;
  n: number | null;
  vf: number | null;
  q: number | null;
  power: number | null;
  machinePower: number | null;
  apForPower: number | null;
  source: string | null;
  sourceLabel: string | null;
  toFill: string[];
  adjustments: string[];
  warnings: (CuttingWarning | string)[];
}

const first = (...vals: (number | null | undefined)[]): number | null => {
  for (const v of vals) if (typeof v === 'number' && Number.isFinite(v)) return v;
  return null;
};

export function condView(c: CuttingConditions | null | undefined): CondView | null {
  if (!c) return null;
  const r = c.rounded ?? {};
  return {
    vc: first(r.vc_m_min, c.vc_m_min, c.vc),
    feedKind: c.feed_kind ?? null,
    feed: first(r.feed, c.feed),
    ap: first(r.ap_mm, c.ap_mm, c.ap),
    ae: first(r.ae_mm, c.ae_mm, c.ae),
    n: first(r.n_rpm, c.n_rpm),
    vf: first(r.vf_mm_min, c.vf_mm_min),
    q: first(r.q_cm3_min, c.q_cm3_min),
    power: first(r.power_required_kw, c.power_required_kw, c.power_kw),
    machinePower: first(c.machine_power_kw),
    apForPower: first(c.ap_for_power_mm),
    source: c.source ?? null,
    sourceLabel: c.source_label ?? null,
    toFill: c.to_fill_fr ?? [],
    adjustments: c.adjustments_fr ?? [],
    warnings: c.warnings ?? [],
  };
}

/** The worst level among a tool's warnings and its power check (null: nothing to flag). */
export function conditionsLevel(c: CuttingConditions | null | undefined): WarnLevel | null {
  const v = condView(c);
  if (!v) return null;
  const p = powerLevel(v.power, v.machinePower);
  if (p === 'over' || v.warnings.some((w) => warningLevel(w) === 'danger')) return 'danger';
  if (p === 'high' || v.warnings.length > 0 || v.toFill.length > 0) return 'warn';
  return null;
}

// ---- the shop's cutting settings ------------------------------------------------------------

export const SOURCES = ['base_interne', 'fournisseur', 'manuel'] as const;

export interface CuttingSettings {
  source_priority: string[];
  use_norm_defaults: boolean;
  chip_thinning: boolean;
  max_thinning_factor: number;
}

/** The PUT body of /cutting/settings; the thinning cap must be a number ≥ 1 (default 2). */
export function settingsBody(order: readonly string[], norms: boolean, thinning: boolean, factorText: string): { body: CuttingSettings; error: 'factor' | null } {
  const v = parseNum(factorText);
  const bad = v !== null && (Number.isNaN(v) || v < 1);
  return {
    body: { source_priority: [...order], use_norm_defaults: norms, chip_thinning: thinning, max_thinning_factor: v === null || bad ? 2 : v },
    error: bad ? 'factor' : null,
  };
}
