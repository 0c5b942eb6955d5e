export const IMPORT_KINDS = ['clients', 'suppliers', 'machines', 'tools', 'materials', 'material-stock', 'employees'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Module whose create right is needed to import a kind. */
export const KIND_MODULE: Record<ImportKind, string> = {
  clients: 'crm',
  suppliers: 'crm',
  machines: 'machines',
  tools: 'tools',
  materials: 'materials',
  'material-stock': 'materials',
  employees: 'hr',
};

export interface RowError {
  row: number;
  field: string;
  code: string;
  message: string;
}

export interface ImportReport {
  kind: string;
  dry_run: boolean;
  total_rows: number;
  /** Export-only columns found in the file and skipped (Id, Statut, Modifié le…). */
  ignored_columns?: string[];
  valid_rows: number;
  imported: number;
  errors: RowError[];
  preview: Record<string, unknown>[];
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Content-Type sent with the raw file: XLSX by extension, CSV otherwise. */
export function contentTypeFor(name: string): string {
  return /\.xlsx$/i.test(name) ? XLSX_TYPE : 'text/csv';
}

/** "Importer" is offered only after a dry run of the same file and kind without any error. */
export function canImport(report: ImportReport | null, kind: string): boolean {
  return !!report && report.dry_run && report.kind === kind && report.errors.length === 0 && report.valid_rows > 0;
}

/** Columns of the preview table: every key seen, in first-seen order. */
export function previewColumns(rows: Record<string, unknown>[]): string[] {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return cols;
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  return String(v);
}
