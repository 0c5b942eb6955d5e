// Readable before → after differences for the history panel and the audit log.

/** Bookkeeping fields that change on every write and say nothing to the reader. */
export const NOISE_FIELDS = new Set(['updated_at', 'version', 'created_at', 'password_hash', 'id']);

export interface FieldChange {
  /** Dotted path for nested objects: `operateur.users`. */
  field: string;
  before: unknown;
  after: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{a: {b: 1}, c: [1]}` → `{"a.b": 1, c: [1]}`; arrays stay whole (a role list reads better so). */
export function flatten(obj: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(v) && Object.keys(v).length > 0) flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

/** Absent, null and an empty list all read as "nothing" to a person. */
const isNothing = (v: unknown) => v == null || (Array.isArray(v) && v.length === 0);

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNothing(a) && isNothing(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Fields whose value differs between two snapshots, in a stable order (keys of `after` first).
 * A creation (before = null) lists every field of `after`; a deletion every field of `before`.
 * Noise fields are skipped at the top level only.
 */
export function diffRecords(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
  ignore: ReadonlySet<string> = NOISE_FIELDS,
): FieldChange[] {
  const b = flatten(before ?? {});
  const a = flatten(after ?? {});
  const keys: string[] = [];
  for (const k of [...Object.keys(a), ...Object.keys(b)]) if (!keys.includes(k)) keys.push(k);
  return keys
    .filter((k) => !ignore.has(k))
    .filter((k) => !same(b[k], a[k]))
    .map((k) => ({ field: k, before: b[k], after: a[k] }));
}

/** JSON.stringify with indentation, but arrays of plain values kept on one line (`["read", "create"]`). */
export function prettyJson(v: unknown): string {
  const s = JSON.stringify(v, null, 2) ?? 'null';
  return s.replace(/\[\n([^[\]{}]*?)\n\s*\]/g, (_m, inner: string) => `[${inner.split('\n').map((x) => x.trim()).join(' ')}]`);
}
