// /planning/parametres — rebalance mode (wait for validation / apply and notify), horizon,
// nightly run and set-up factor. Written with planning.validate (direction, chef d'atelier,
// admin); others read. The shop's hours and closed days live in the same settings but are edited
// on /planning/calendriers (one editor, with its checks), so they are not sent from here.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { can } from '../../modules';
import { Link } from 'react-router';
import { weekSummary } from './calendar';
import { PlanningTabs } from './PlanningTabs';
import type { PlanningSettings } from './types';
import './planning.css';

const KEY = ['planning', 'settings'];

/**
 * What PUT takes: the fields of this screen only. The week and the closed days are left out
 * (absent = unchanged) so saving here never overwrites what was just saved in Calendriers.
 */
export function settingsBody(s: PlanningSettings) {
  return {
    rebalance_mode: s.rebalance_mode,
    horizon_days: s.horizon_days,
    nightly: s.nightly,
    same_family_setup_factor: s.same_family_setup_factor,
  };
}

function SettingsForm({ initial, readOnly }: { initial: PlanningSettings; readOnly: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const [s, setS] = useState<PlanningSettings>(initial);
  const days = [0, 1, 2, 3, 4, 5, 6].map((d) => t(`planning.cal.weekdays_short.${d}`));
  const save = useMutation({
    mutationFn: (body: PlanningSettings) => api<PlanningSettings>('/planning/settings', { method: 'PUT', body: settingsBody(body) }),
    onSuccess: (r) => {
      qc.setQueryData(KEY, r);
      setS(r);
      toast.show(t('planning.settings.saved'));
    },
  });
  const set = <K extends keyof PlanningSettings>(k: K, v: PlanningSettings[K]) => setS((x) => ({ ...x, [k]: v }));

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(s);
      }}
      data-testid="planning-settings-form"
    >
      {save.error ? <ErrorBanner error={save.error} /> : null}
      <fieldset disabled={readOnly} className="pl-settings-grid" style={{ border: 0, padding: 0, margin: 0 }}>
        <section className="panel">
          <fieldset className="form-stack" style={{ border: 0, padding: 0 }}>
            <legend className="field-label">{t('planning.settings.rebalance')}</legend>
            {(['attendre', 'appliquer'] as const).map((m) => (
              <label key={m} className="check-row">
                <input type="radio" name="mode" checked={s.rebalance_mode === m} onChange={() => set('rebalance_mode', m)} data-testid={`mode-${m}`} /> {t(`planning.settings.${m}`)}
              </label>
            ))}
          </fieldset>
          <label className="field">
            <span className="field-label">{t('planning.settings.horizon')}</span>
            <input className="input" type="number" min={1} max={365} value={s.horizon_days} onChange={(e) => set('horizon_days', Number(e.target.value))} data-testid="settings-horizon" />
          </label>
          <label className="check-row">
            <input type="checkbox" checked={s.nightly} onChange={(e) => set('nightly', e.target.checked)} data-testid="settings-nightly" /> {t('planning.settings.nightly')}
          </label>
          <label className="field">
            <span className="field-label">{t('planning.settings.setup_factor')}</span>
            <input className="input" inputMode="decimal" value={s.same_family_setup_factor} onChange={(e) => set('same_family_setup_factor', e.target.value.replace(',', '.'))} />
          </label>
        </section>
        <section className="panel" data-testid="settings-calendars">
          <h3 className="panel-title">{t('planning.settings.shifts')}</h3>
          <p className="small">{weekSummary(s.shop_shifts, days, t('planning.cal.never'))}</p>
          <p className="small muted">{t('planning.settings.closures_count', { count: s.closures.length })}</p>
          <Link to="/planning/calendriers" className="btn btn-sm btn-secondary" data-testid="settings-to-calendars">
            {t('planning.settings.edit_calendars')}
          </Link>
        </section>
      </fieldset>
      {!readOnly && (
        <div style={{ marginTop: 12 }}>
          <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="settings-save">
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
        </div>
      )}
    </form>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const readOnly = !can(me, 'planning', 'validate');
  const q = useQuery({ queryKey: KEY, queryFn: () => api<PlanningSettings>('/planning/settings') });
  return (
    <div className="page pl-page" data-testid="planning-settings">
      <PageHeader crumbs={[{ label: t('planning.title'), to: '/planning' }, { label: t('planning.settings.title') }]}>
        <PlanningTabs />
      </PageHeader>
      {readOnly && <p className="small muted">{t('planning.settings.read_only')}</p>}
      {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
      {q.isPending && <p className="muted">{t('common.loading')}</p>}
      {q.data && <SettingsForm key={JSON.stringify(q.data)} initial={q.data} readOnly={readOnly} />}
    </div>
  );
}
