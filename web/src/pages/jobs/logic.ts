// Pure logic of the job / routing screens (unit-tested without the DOM): reordering operations
// (drag and drop, up/down), minutes typed by a person, the operation PATCH body, tool and
// instrument states, and the rendering of a routing diff.
import type { DiffChange, DiffKind, Job, Operation, OperationInput, OperationTool, RoutingDiff } from './types';

// ---- reorder -------------------------------------------------------------------------------

/** The list with the item at `from` moved to index `to` (indexes out of range → unchanged copy). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= out.length || to < 0 || to >= out.length || from === to) return out;
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item);
  return out;
}

export type DropPlace = 'before' | 'after';

/**
 * Operation ids after dropping `dragId` before or after `targetId`. Dropping on itself, or an
 * unknown id, leaves the order as it was.
 */
export function dropOrder(ids: readonly number[], dragId: number, targetId: number, place: DropPlace): number[] {
  if (dragId === targetId || !ids.includes(dragId) || !ids.includes(targetId)) return [...ids];
  const rest = ids.filter((id) => id !== dragId);
  const at = rest.indexOf(targetId) + (place === 'after' ? 1 : 0);
  rest.splice(at, 0, dragId);
  return rest;
}

/** Ids after moving one operation a step up (-1) or down (+1). */
export function stepOrder(ids: readonly number[], id: number, step: -1 | 1): number[] {
  const i = ids.indexOf(id);
  return i < 0 ? [...ids] : moveItem(ids, i, i + step);
}

export function sameOrder(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Above the middle of the row → before it; below → after. */
export function dropPlace(pointerY: number, rowTop: number, rowHeight: number): DropPlace {
  return pointerY < rowTop + rowHeight / 2 ? 'before' : 'after';
}

/** Operations sorted by position (10, 20…), as the server numbers them. */
export function sortedOperations(ops: readonly Operation[]): Operation[] {
  return [...ops].sort((a, b) => a.position - b.position || a.id - b.id);
}

// ---- minutes -------------------------------------------------------------------------------

/** "12,5" / "12.5" → "12.5"; "" → null; negative or not a number → false. */
export function parseMinutes(text: string): string | null | false {
  const s = text.trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (s === '') return null;
  if (!/^\d+(?:\.\d+)?$/.test(s)) return false;
  return s.replace(/^0+(?=\d)/, '');
}

/** Server minutes ("12.50") → what a French input shows ("12,5"). */
export function minutesText(v: string | number | null | undefined, lang: 'fr' | 'en' = 'fr'): string {
  if (v == null || v === '') return '';
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  const s = String(Math.round(n * 100) / 100);
  return lang === 'fr' ? s.replace('.', ',') : s;
}

/** Total minutes of an operation: setup + run × quantity (null when a value is not a number). */
export function totalMinutes(setup: string | number | null, run: string | number | null, quantity: number): number | null {
  const s = Number(setup ?? 0);
  const r = Number(run ?? 0);
  if (!Number.isFinite(s) || !Number.isFinite(r)) return null;
  return Math.round((s + r * quantity) * 100) / 100;
}

/** 45 → "45 min"; 125 → "2 h 05"; 120 → "2 h 00"; fractions of a minute kept under an hour. */
export function durationText(min: number | null, lang: 'fr' | 'en' = 'fr'): string {
  if (min == null || !Number.isFinite(min)) return '—';
  if (min < 60) {
    const v = Math.round(min * 10) / 10;
    return `${lang === 'fr' ? String(v).replace('.', ',') : String(v)} min`;
  }
  const total = Math.round(min);
  const h = Math.floor(total / 60);
  const m = total % 60;
  return `${h} h ${String(m).padStart(2, '0')}`;
}

// ---- operation edits --------------------------------------------------------------------

/**
 * The PATCH body of one operation: only the fields changed, and the operation's version. A machine
 * set to none is sent as `clear_machine` (the server reads a `null` as "unchanged").
 */
export function operationPatch(op: Pick<Operation, 'version'>, changes: Omit<OperationInput, 'version'>): OperationInput {
  const body: OperationInput = { ...changes, version: op.version };
  if ('machine_id' in changes && changes.machine_id == null) {
    delete body.machine_id;
    body.clear_machine = true;
  }
  return body;
}

export function isSubcontract(op: Pick<Operation, 'process' | 'supplier_id' | 'supplier_name'>): boolean {
  return op.process === 'traitement_sous_traite' || op.supplier_id != null || !!op.supplier_name;
}

/** Machine operations: those that get a method sheet and a machine select. */
export function isMachineProcess(process: string): boolean {
  return ['debit', 'tournage', 'fraisage', 'percage_taraudage', 'rectification', 'soudure', 'pliage'].includes(process);
}

export type ToolState = 'ok' | 'missing' | 'unknown';

/** Green: in the crib; red: not in stock (to order); grey: no matching tool in the crib. */
export function toolState(t: Pick<OperationTool, 'in_stock' | 'tool_id'>): ToolState {
  if (t.in_stock) return 'ok';
  return t.tool_id == null ? 'unknown' : 'missing';
}

/** "T01 Foret Ø8,5" — position, label, diameter when not already in the label. */
export function toolText(t: Pick<OperationTool, 'position' | 'label' | 'diameter'>, lang: 'fr' | 'en' = 'fr'): string {
  const d = t.diameter != null && !t.label.includes('Ø') ? ` Ø${lang === 'fr' ? String(t.diameter).replace('.', ',') : t.diameter}` : '';
  return `${t.position ? `${t.position} ` : ''}${t.label}${d}`;
}

export type RoutingState = 'validee' | 'brouillon';

export function routingState(job: Pick<Job, 'routing_validated_at' | 'status'>): RoutingState {
  return job.routing_validated_at && job.status !== 'brouillon' ? 'validee' : 'brouillon';
}

// ---- routing diff ----------------------------------------------------------------------------

const KIND_ORDER: DiffKind[] = ['ajoutee', 'supprimee', 'deplacee', 'modifiee'];

/** How many changes of each kind ("2 ajoutées, 1 modifiée"), kinds without change left out. */
export function diffCounts(diff: Pick<RoutingDiff, 'changes'>): { kind: DiffKind; count: number }[] {
  return KIND_ORDER.map((kind) => ({ kind, count: diff.changes.filter((c) => c.kind === kind).length })).filter((x) => x.count > 0);
}

/** Changes in routing order (by position, then added/removed/moved/changed). */
export function sortedChanges(changes: readonly DiffChange[]): DiffChange[] {
  return [...changes].sort((a, b) => (a.position ?? 1e9) - (b.position ?? 1e9) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
}

/** A diffed value as text: empty → "—", booleans oui/non, arrays joined, numbers French. */
export function diffValue(v: unknown, lang: 'fr' | 'en' = 'fr'): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return lang === 'fr' ? (v ? 'oui' : 'non') : v ? 'yes' : 'no';
  if (typeof v === 'number') return lang === 'fr' ? String(v).replace('.', ',') : String(v);
  if (Array.isArray(v)) return v.length === 0 ? '—' : v.map((x) => diffValue(x, lang)).join(', ');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.label === 'string') return o.label;
    if (typeof o.code === 'string') return o.code;
    return JSON.stringify(v);
  }
  const s = String(v);
  return lang === 'fr' && /^-?\d+\.\d+$/.test(s) ? s.replace('.', ',') : s;
}

export function isMachineField(field: string): boolean {
  return field === 'machine' || field === 'machine_id';
}

/** A machine id of the diff ("7") → its code ("TOUR-02") when known; otherwise unchanged. */
export function machineCodeOf(v: unknown, machines: readonly { id: number; code: string }[]): unknown {
  if (v == null || v === '') return v;
  const id = Number(v);
  const m = Number.isInteger(id) ? machines.find((x) => x.id === id) : undefined;
  return m ? m.code : v;
}

/** One line per changed field: "Machine : TOUR-01 → TOUR-02" (labels from `fieldLabel`). */
export function diffLines(c: DiffChange, fieldLabel: (field: string) => string, lang: 'fr' | 'en' = 'fr'): string[] {
  return c.fields.map((f) => `${fieldLabel(f.field)}${lang === 'fr' ? ' : ' : ': '}${diffValue(f.before, lang)} → ${diffValue(f.after, lang)}`);
}

/**
 * Versions listed (newest first): all, or the `n - 1` newest plus the oldest one (the generated
 * routing, the usual point of comparison).
 */
export function visibleVersions<T extends { version: number }>(versions: readonly T[], all: boolean, n = 5): T[] {
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  if (all || sorted.length <= n) return sorted;
  return [...sorted.slice(0, n - 1), sorted[sorted.length - 1]];
}
