import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../../components/Form';
import { HistoryPanel } from '../../components/HistoryPanel';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { can } from '../../modules';
import type { RateGrid, RateLine } from '../crm/types';
import '../crm/crm.css';
import { gridBody, gridValues, PRICING_FIELDS, type RateGridValues } from './rateGrid';

export function useRateGrid() {
  const { i18n } = useTranslation();
  return useQuery({ queryKey: ['rates', i18n.language], queryFn: () => api<RateGrid>('/rates') });
}

/** The grid editor, used by the Système → Grille tarifaire page and by the setup wizard. */
export function RateGridForm({ grid, onSaved, submitLabel, formId = 'rates-form' }: { grid: RateGrid; onSaved?: (g: RateGrid) => void; submitLabel?: string; formId?: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const editable = can(me, 'system', 'validate');
  const form = useFormErrors();
  const [v, setV] = useState<RateGridValues>(() => gridValues(grid));
  const save = useMutation({
    mutationFn: () => api<RateGrid>('/rates', { method: 'PUT', body: gridBody(grid.version, v) }),
    onSuccess: (g) => {
      void qc.invalidateQueries({ queryKey: ['rates'] });
      void qc.invalidateQueries({ queryKey: ['history', 'rates'] });
      void qc.invalidateQueries({ queryKey: ['setup'] });
      toast.show(t('rates.saved'));
      onSaved?.(g);
    },
    onError: form.setError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    save.mutate();
  };
  const table = (list: 'activities' | 'machine_kinds', lines: RateLine[]) => (
    <section className="panel">
      <h3 className="panel-title">{t(`rates.${list}`)}</h3>
      <table className="table rate-table" data-testid={`rates-${list}`}>
        <thead>
          <tr>
            <th />
            <th className="num">{t('rates.rate')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => {
            const name = `${list}.${l.code}`;
            const err = form.errorFor(name);
            return (
              <tr key={l.code}>
                <td>
                  <label htmlFor={inputProps(name).id}>{l.label}</label>
                  {l.code === 'reglage' && list === 'activities' && <div className="hint">{t('rates.reglage_hint')}</div>}
                  {err && (
                    <div className="field-error" data-testid={`error-${name}`}>
                      {err}
                    </div>
                  )}
                </td>
                <td className="num nowrap">
                  <input
                    {...inputProps(name, err)}
                    className="input"
                    inputMode="decimal"
                    readOnly={!editable}
                    value={v[list][l.code] ?? ''}
                    onChange={(e) => {
                      const x = e.target.value;
                      setV((s) => ({ ...s, [list]: { ...s[list], [l.code]: x } }));
                      form.clearField(name);
                    }}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
  return (
    <form id={formId} onSubmit={submit} noValidate data-testid="rates-form">
      <p className="hint">{t('rates.intro')}</p>
      {!editable && <p className="badge badge-warn">{t('rates.read_only')}</p>}
      <FormErrorSummary error={form.error} unmatched={form.unmatched} onReload={() => void qc.invalidateQueries({ queryKey: ['rates'] })} />
      <div className="rate-grid-cols">
        {table('activities', grid.activities)}
        {table('machine_kinds', grid.machine_kinds)}
      </div>
      <section className="panel" style={{ marginTop: 16 }}>
        <h3 className="panel-title">{t('rates.pricing')}</h3>
        <div className="form-grid">
          {PRICING_FIELDS.map((k) => (
            <Field key={k} name={k} label={t(`rates.${k}`)} error={form.errorFor(k)} hint={k === 'min_margin_pct' ? t('rates.min_margin_hint') : undefined} required>
              <input {...inputProps(k, form.errorFor(k))} className="input" inputMode="decimal" readOnly={!editable} value={v[k]} onChange={(e) => { const x = e.target.value; setV((s) => ({ ...s, [k]: x })); form.clearField(k); }} />
            </Field>
          ))}
        </div>
      </section>
      {editable && (
        <div className="wizard-nav">
          <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="save-rates">
            {save.isPending ? t('common.saving') : (submitLabel ?? t('common.save'))}
          </button>
        </div>
      )}
    </form>
  );
}

export function RatesPage() {
  const { t } = useTranslation();
  const q = useRateGrid();
  return (
    <div className="page" data-testid="rates-page">
      <PageHeader crumbs={[{ label: t('system.title'), to: '/system' }, { label: t('rates.title') }]} />
      {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <div className="form-layout">
          <div className="sheet">
            <RateGridForm key={q.data.version} grid={q.data} />
          </div>
          <div className="side">
            <HistoryPanel entity="rates" id="grid" version={q.data.version} />
          </div>
        </div>
      )}
    </div>
  );
}
