import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, downloadFile } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { can } from '../../modules';
import {
  canImport,
  cellText,
  contentTypeFor,
  IMPORT_KINDS,
  KIND_MODULE,
  previewColumns,
  type ImportKind,
  type ImportReport,
} from './logic';

export function ImportPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params] = useSearchParams();
  const allowed = IMPORT_KINDS.filter((k) => can(me, KIND_MODULE[k], 'create'));
  const initial = (params.get('kind') as ImportKind | null) ?? allowed[0] ?? 'clients';
  const [kind, setKind] = useState<ImportKind>(allowed.includes(initial) ? initial : (allowed[0] ?? 'clients'));
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const run = useMutation({
    mutationFn: (dry: boolean) =>
      api<ImportReport>(`/imports/${kind}`, {
        method: 'POST',
        query: { dry_run: dry },
        body: file as File,
        headers: { 'Content-Type': contentTypeFor(file?.name ?? '') },
      }),
    onSuccess: (r) => setReport(r),
  });
  const reset = () => {
    setReport(null);
    run.reset();
  };
  const cols = previewColumns(report?.preview ?? []);
  const errorRows = new Set(report?.errors.map((e) => e.row) ?? []);
  const template = (ext: 'csv' | 'xlsx') =>
    void downloadFile(`/imports/${kind}/template.${ext}`, {}, `modele-import-${kind}.${ext}`);

  return (
    <div className="page" data-testid="imports-page">
      <PageHeader crumbs={[{ label: t('system.title'), to: '/system' }, { label: t('imports.title') }]} />
      <p className="muted">{t('imports.intro')}</p>
      <div className="form-inline" style={{ display: 'flex', gap: 16, alignItems: 'flex-end', flexWrap: 'wrap', margin: '12px 0' }}>
        <label className="field">
          <span className="field-label">{t('imports.kind')}</span>
          <select
            className="input"
            data-testid="import-kind"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as ImportKind);
              reset();
            }}
          >
            {allowed.map((k) => (
              <option key={k} value={k}>
                {t(`imports.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('imports.file')}</span>
          <input
            type="file"
            className="input"
            data-testid="import-file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              reset();
            }}
          />
        </label>
        <button type="button" className="btn btn-secondary" disabled={!file || run.isPending} onClick={() => run.mutate(true)} data-testid="import-check">
          {run.isPending && run.variables ? t('imports.checking') : t('imports.check')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!file || run.isPending || !canImport(report, kind)}
          onClick={() => run.mutate(false)}
          data-testid="import-run"
        >
          {run.isPending && !run.variables ? t('imports.importing') : t('imports.import')}
        </button>
        <button type="button" className="btn btn-link" onClick={() => template('csv')} data-testid="template-csv">
          {t('imports.template_csv')}
        </button>
        <button type="button" className="btn btn-link" onClick={() => template('xlsx')}>
          {t('imports.template_xlsx')}
        </button>
      </div>
      <ErrorBanner error={run.error} />
      {report && (
        <div data-testid="import-report">
          {!report.dry_run && report.errors.length === 0 ? (
            <div className="banner banner-success" data-testid="import-done">
              {t('imports.done', { count: report.imported })}
            </div>
          ) : (
            <div className={`banner ${report.errors.length ? 'banner-error' : 'banner-info'}`} data-testid="import-summary">
              {t('imports.summary', { total: report.total_rows, valid: report.valid_rows, errors: report.errors.length })}{' '}
              {report.errors.length === 0 && t('imports.ready')}
            </div>
          )}
          {(report.ignored_columns?.length ?? 0) > 0 && (
            <p className="muted" data-testid="import-ignored">
              {t('imports.ignored', { columns: report.ignored_columns?.join(', ') })}
            </p>
          )}
          {report.errors.length > 0 && (
            <table className="table table-compact" data-testid="import-errors">
              <caption>{t('imports.errors')}</caption>
              <thead>
                <tr>
                  <th>{t('imports.row')}</th>
                  <th>{t('imports.field')}</th>
                  <th>{t('imports.message')}</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((e, i) => (
                  <tr key={i}>
                    <td className="mono">{e.row}</td>
                    <td className="mono">{e.field}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.preview.length > 0 && (
            <div style={{ overflowX: 'auto', marginTop: 16 }}>
              <table className="table table-compact" data-testid="import-preview">
                <caption>{t('imports.preview')}</caption>
                <thead>
                  <tr>
                    <th>{t('imports.row')}</th>
                    {cols.map((c) => (
                      <th key={c}>{c}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {report.preview.map((r, i) => (
                    <tr key={i} className={errorRows.has(i + 2) ? 'row-error' : undefined}>
                      <td className="mono">{i + 2}</td>
                      {cols.map((c) => (
                        <td key={c}>{cellText(r[c])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
