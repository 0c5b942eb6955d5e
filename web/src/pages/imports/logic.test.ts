import { describe, expect, it } from 'vitest';
import { canImport, cellText, contentTypeFor, previewColumns, XLSX_TYPE, type ImportReport } from './logic';

const report = (p: Partial<ImportReport>): ImportReport => ({
  kind: 'tools',
  dry_run: true,
  total_rows: 2,
  valid_rows: 2,
  imported: 0,
  errors: [],
  preview: [],
  ...p,
});

describe('imports logic', () => {
  it('sends XLSX files as spreadsheets and anything else as CSV', () => {
    expect(contentTypeFor('outils.XLSX')).toBe(XLSX_TYPE);
    expect(contentTypeFor('clients.csv')).toBe('text/csv');
  });
  it('offers the import only after a clean dry run of the same kind', () => {
    expect(canImport(null, 'tools')).toBe(false);
    expect(canImport(report({}), 'tools')).toBe(true);
    expect(canImport(report({}), 'clients')).toBe(false);
    expect(canImport(report({ errors: [{ row: 3, field: 'siret', code: 'x', message: 'm' }] }), 'tools')).toBe(false);
    expect(canImport(report({ dry_run: false }), 'tools')).toBe(false);
    expect(canImport(report({ valid_rows: 0, total_rows: 0 }), 'tools')).toBe(false);
  });
  it('lists preview columns in first-seen order and formats cells', () => {
    expect(previewColumns([{ code: 'A' }, { code: 'B', type: 'fraise' }])).toEqual(['code', 'type']);
    expect(cellText(['a', 'b'])).toBe('a, b');
    expect(cellText(undefined)).toBe('');
    expect(cellText(4)).toBe('4');
  });
});
