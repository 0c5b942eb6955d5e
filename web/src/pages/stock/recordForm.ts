// Pure helpers of the small stock forms (locations, grades, lots, stock items, reservations).

export type FieldKind = 'text' | 'int' | 'id' | 'bool' | 'select';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required?: boolean;
  /** Select codes (labels come from i18n or `optionLabel`). */
  options?: readonly string[];
  /** Only sent on create (e.g. shape and dimensions of a stock item). */
  createOnly?: boolean;
  hint?: string;
}

export type FormValues = Record<string, string>;

/** Form strings of a record (or empty strings for a new one). */
export function formValues(specs: readonly FieldSpec[], record?: Record<string, unknown> | null): FormValues {
  const out: FormValues = {};
  for (const s of specs) {
    const v = record?.[s.name];
    if (s.kind === 'bool') out[s.name] = v === undefined || v === null ? (record ? 'false' : '') : String(v);
    else out[s.name] = v === undefined || v === null ? '' : String(v);
  }
  return out;
}

/** One field as sent on the wire: text trimmed, integers as numbers (text kept so the API names the bad field). */
function wire(spec: FieldSpec, raw: string): unknown {
  const v = raw.trim();
  if (v === '') return null;
  switch (spec.kind) {
    case 'int':
    case 'id':
      return /^-?\d+$/.test(v) ? Number(v) : v;
    case 'bool':
      return v === 'true';
    default:
      return v;
  }
}

/**
 * Request body: on create every non-empty field; on edit only the changed, editable fields
 * (a cleared field is sent as null).
 */
export function recordBody(specs: readonly FieldSpec[], values: FormValues, original?: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of specs) {
    const raw = values[s.name] ?? '';
    if (original) {
      if (s.createOnly || original[s.name] === raw) continue;
      out[s.name] = wire(s, raw);
    } else if (raw.trim() !== '') {
      out[s.name] = wire(s, raw);
    }
  }
  return out;
}
