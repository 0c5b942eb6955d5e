// The shop's cutting-engine settings (GET/PUT /cutting/settings): which data source wins (base
// interne, fournisseur, saisie manuelle, in order), the NORMS starting values, chip thinning.
// Read by whoever reads method sheets; changed by those who validate them (méthode).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormErrorSummary, useFormErrors } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { moveAt, numText, settingsBody, SOURCES, type CuttingSettings } from './logic';

function SettingsForm({ initial, editable }: { initial: CuttingSettings; editable: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(['source_priority', 'use_norm_defaults', 'chip_thinning', 'max_thinning_factor']);
  const [order, setOrder] = useState<string[]>(initial.source_priority);
  const [norms, setNorms] = useState(initial.use_norm_defaults);
  const [thinning, setThinning] = useState(initial.chip_thinning);
  const [factor, setFactor] = useState(numText(initial.max_thinning_factor, f.lang));
  const built = settingsBody(order, norms, thinning, factor);
  const dirty = JSON.stringify(built.body) !== JSON.stringify(initial);
  const save = useMutation({
    mutationFn: () => api<CuttingSettings>('/cutting/settings', { method: 'PUT', body: built.body }),
    onSuccess: (s) => {
      toast.show(t('methodSheets.settings.saved'));
      qc.setQueryData(['cutting-settings'], s);
    },
    onError: form.setError,
  });
  const missing = SOURCES.filter((s) => !order.includes(s));
  return (
    <div className="ms-settings" data-testid="cutting-settings-form">
      <FormErrorSummary error={form.error} unmatched={form.unmatched} />
      <div className="field-label">{t('methodSheets.settings.priority')}</div>
      <ol className="ms-prio">
        {order.map((s, i) => (
          <li key={s} data-testid={`prio-${s}`}>
            <span className="ms-prio-n">{i + 1}.</span> <span className="ms-prio-label">{t(`methodSheets.sources.${s}`, { defaultValue: s })}</span>
            {editable && (
              <span className="ms-prio-actions">
                <button type="button" className="icon-btn" disabled={i === 0} onClick={() => setOrder(moveAt(order, i, -1))} aria-label={t('methodSheets.settings.up', { source: t(`methodSheets.sources.${s}`) })} data-testid={`prio-up-${s}`}>
                  <Icon name="chevron_up" size={14} />
                </button>
                <button type="button" className="icon-btn" disabled={i === order.length - 1} onClick={() => setOrder(moveAt(order, i, 1))} aria-label={t('methodSheets.settings.down', { source: t(`methodSheets.sources.${s}`) })} data-testid={`prio-down-${s}`}>
                  <Icon name="chevron_down" size={14} />
                </button>
                <button type="button" className="icon-btn" disabled={order.length === 1} onClick={() => setOrder(order.filter((x) => x !== s))} aria-label={t('methodSheets.settings.remove', { source: t(`methodSheets.sources.${s}`) })}>
                  <Icon name="x" size={14} />
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      {editable && missing.length > 0 && (
        <div className="ms-prio-add">
          {missing.map((s) => (
            <button key={s} type="button" className="btn btn-secondary btn-xs" onClick={() => setOrder([...order, s])}>
              <Icon name="plus" size={12} /> {t(`methodSheets.sources.${s}`)}
            </button>
          ))}
        </div>
      )}
      <label className="check-row">
        <input type="checkbox" checked={norms} disabled={!editable} onChange={(e) => setNorms(e.target.checked)} data-testid="use-norm-defaults" />
        <span>{t('methodSheets.settings.use_norm_defaults')}</span>
      </label>
      <label className="check-row">
        <input type="checkbox" checked={thinning} disabled={!editable} onChange={(e) => setThinning(e.target.checked)} data-testid="chip-thinning" />
        <span>{t('methodSheets.settings.chip_thinning')}</span>
      </label>
      {thinning && (
        <label className="ms-factor">
          <span className="small">{t('methodSheets.settings.max_thinning_factor')}</span>
          <input className="input input-sm num ms-w-num" inputMode="decimal" readOnly={!editable} value={factor} aria-invalid={built.error ? true : undefined} onChange={(e) => setFactor(e.target.value)} data-testid="max-thinning-factor" />
          {built.error && <span className="field-error">{t('methodSheets.settings.factor_error')}</span>}
        </label>
      )}
      {editable && (
        <div className="ms-settings-actions">
          <button type="button" className="btn btn-secondary btn-sm" disabled={!dirty || !!built.error || save.isPending} onClick={() => save.mutate()} data-testid="save-cutting-settings">
            {save.isPending ? t('common.saving') : t('methodSheets.settings.save')}
          </button>
          <span className="muted small">{t('methodSheets.settings.save_hint')}</span>
        </div>
      )}
    </div>
  );
}

export function CuttingSettingsPanel() {
  const { t } = useTranslation();
  const me = useMe();
  const q = useQuery({ queryKey: ['cutting-settings'], queryFn: () => api<CuttingSettings>('/cutting/settings'), staleTime: 60_000 });
  const editable = can(me, 'method_sheets', 'validate');
  return (
    <section className="panel ms-settings-panel" data-testid="cutting-settings">
      <details>
        <summary className="panel-title">{t('methodSheets.settings.title')}</summary>
        <p className="muted small">{t('methodSheets.settings.intro')}</p>
        {q.isPending && <p className="muted small">{t('common.loading')}</p>}
        {q.isError && <ErrorBanner error={q.error} />}
        {q.data && <SettingsForm key={JSON.stringify(q.data)} initial={q.data} editable={editable} />}
      </details>
    </section>
  );
}
