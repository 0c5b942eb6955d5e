// Pure helpers of the resources screens (machines, instruments, people): field specs → request
// bodies, weekly hours. No React here, so vitest covers them directly.

export type FieldKind = 'text' | 'int' | 'decimal' | 'money' | 'select' | 'bool' | 'date' | 'textarea';

export interface FieldSpec {
  /** JSON field name (also the error field name from the server). */
  name: string;
  kind: FieldKind;
  /** i18n key of the label. */
  label: string;
  /** Select options: codes (labels from i18n `${optionsKey}.${code}`). */
  options?: readonly string[];
  optionsKey?: string;
  required?: boolean;
  hint?: string;
  /** Occupies both columns of the form grid. */
  wide?: boolean;
  /** Section heading (i18n key) shown before this field. */
  section?: string;
}

export type FormValues = Record<string, string | boolean>;

/** Form values from a record (null → empty string; booleans stay booleans). */
export function valuesFrom(specs: readonly FieldSpec[], record: Record<string, unknown> | null): FormValues {
  const out: FormValues = {};
  for (const s of specs) {
    const v = record?.[s.name];
    if (s.kind === 'bool') out[s.name] = v === undefined || v === null ? s.name === 'active' : Boolean(v);
    else out[s.name] = v === undefined || v === null ? '' : String(v);
  }
  return out;
}

/** The JSON value of one field: empty → null; integers as numbers (invalid text is sent as is,
 * so the server names the field); decimals and money as strings. */
export function wireValue(spec: FieldSpec, value: string | boolean): unknown {
  if (spec.kind === 'bool') return Boolean(value);
  const s = String(value).trim();
  if (s === '') return null;
  if (spec.kind === 'int') {
    const n = Number(s.replace(/\s/g, ''));
    return Number.isInteger(n) ? n : s;
  }
  return s;
}

/** Body of a creation: every filled field. */
export function createBody(specs: readonly FieldSpec[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const s of specs) {
    const w = wireValue(s, values[s.name] ?? '');
    if (w !== null) body[s.name] = w;
  }
  return body;
}

/** Body of a PATCH: only the fields that changed (a cleared field is sent as null). */
export function patchBody(specs: readonly FieldSpec[], original: FormValues, values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const s of specs) {
    const before = wireValue(s, original[s.name] ?? '');
    const after = wireValue(s, values[s.name] ?? '');
    if (JSON.stringify(before) !== JSON.stringify(after)) body[s.name] = after;
  }
  return body;
}

/** Sum of hours typed the French way ("8,5"); NaN-free (an invalid day counts 0). */
export function weeklyTotal(hours: readonly string[]): number {
  return hours.reduce((sum, h) => {
    const n = Number(String(h).replace(',', '.').trim() || '0');
    return sum + (Number.isFinite(n) ? n : 0);
  }, 0);
}

/** Skills as sent to the server: every code of the matrix with its level (0 clears it). */
export function skillsBody(codes: readonly string[], levels: Record<string, number>): Record<string, number> {
  return Object.fromEntries(codes.map((c) => [c, levels[c] ?? 0]));
}

/** True when two skill maps differ (levels 0 and absent are the same). */
export function skillsChanged(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? 0) !== (b[k] ?? 0)) return true;
  return false;
}

/** Reads an image file into a data URL, refusing files whose data URL would exceed `maxChars`. */
export function fitsPhotoLimit(dataUrl: string, maxChars = 300 * 1024): boolean {
  return dataUrl.length <= maxChars;
}
