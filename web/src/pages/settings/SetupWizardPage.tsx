import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../../components/Form';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import type { ActivitiesView, CompanyIdentity, SetupStatus } from '../crm/types';
import '../crm/crm.css';
import { MAX_LOGO_CHARS, nextStep, previousStep, SETUP_STEPS, shouldOpenWizard, type SetupStepCode } from './rateGrid';
import { RateGridForm, useRateGrid } from './RatesPage';

export function useSetupStatus(enabled = true) {
  const { i18n } = useTranslation();
  return useQuery({ queryKey: ['setup', i18n.language], queryFn: () => api<SetupStatus>('/setup'), enabled, staleTime: 60_000 });
}

/** Dashboard gate: an admin on a fresh installation is sent to the wizard. */
export function SetupGate({ children }: { children: React.ReactNode }) {
  const me = useMe();
  const allowed = can(me, 'system', 'validate');
  const s = useSetupStatus(allowed);
  if (shouldOpenWizard(s.data?.completed, allowed)) return <Navigate to="/setup" replace />;
  return <>{children}</>;
}

function CompanyStep({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(['name', 'siret', 'vat_number', 'address', 'phone', 'email', 'logo', 'version']);
  const q = useQuery({ queryKey: ['company'], queryFn: () => api<CompanyIdentity>('/settings/company') });
  const [v, setV] = useState<CompanyIdentity | null>(null);
  const cur = v ?? q.data ?? null;
  const save = useMutation({
    mutationFn: (c: CompanyIdentity) => api<CompanyIdentity>('/settings/company', { method: 'PUT', body: c }),
    onSuccess: (c) => {
      qc.setQueryData(['company'], c);
      setV(null);
      void qc.invalidateQueries({ queryKey: ['info'] });
      void qc.invalidateQueries({ queryKey: ['setup'] });
      toast.show(t('setup.saved'));
      onDone();
    },
    onError: form.setError,
  });
  if (q.isError) return <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />;
  if (!cur) return <p className="muted">{t('common.loading')}</p>;
  const set = (k: keyof CompanyIdentity, x: string | null) => {
    setV({ ...cur, [k]: x });
    form.clearField(k);
  };
  const onLogo = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result ?? '');
      if (url.length > MAX_LOGO_CHARS) {
        form.setError(null);
        toast.show(t('setup.logo_too_big'), 'error');
        return;
      }
      set('logo', url);
    };
    reader.readAsDataURL(file);
  };
  const text = (k: 'name' | 'siret' | 'vat_number' | 'phone' | 'email', label: string, required = false) => (
    <Field name={k} label={label} error={form.errorFor(k)} required={required}>
      <input {...inputProps(k, form.errorFor(k))} className="input" value={cur[k] ?? ''} onChange={(e) => set(k, e.target.value)} />
    </Field>
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    const blank = (s: string | null) => (s ?? '').trim() || null;
    save.mutate({ ...cur, name: cur.name.trim(), siret: blank(cur.siret), vat_number: blank(cur.vat_number), address: blank(cur.address), phone: blank(cur.phone), email: blank(cur.email) });
  };
  return (
    <form id="setup-form" className="form-grid" onSubmit={submit} noValidate data-testid="step-entreprise">
      <FormErrorSummary error={form.error} unmatched={form.unmatched} onReload={() => { setV(null); void q.refetch(); }} />
      <div className="span-2">{text('name', t('setup.company_name'), true)}</div>
      {text('siret', t('crm.siret'))}
      {text('vat_number', t('crm.vat_number'))}
      <Field name="address" label={t('setup.address')} error={form.errorFor('address')} className="span-2">
        <textarea {...inputProps('address', form.errorFor('address'))} className="input" rows={2} value={cur.address ?? ''} onChange={(e) => set('address', e.target.value)} />
      </Field>
      {text('phone', t('crm.phone'))}
      {text('email', t('crm.email'))}
      <Field name="logo" label={t('setup.logo')} error={form.errorFor('logo')} hint={t('setup.logo_hint')} className="span-2">
        <div style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
          {cur.logo && <img src={cur.logo} alt={t('setup.logo')} className="logo-preview" data-testid="logo-preview" />}
          <input {...inputProps('logo', form.errorFor('logo'))} type="file" accept="image/png,image/jpeg,image/svg+xml,image/webp" onChange={onLogo} />
          {cur.logo && (
            <button type="button" className="btn btn-secondary" onClick={() => set('logo', null)}>
              {t('setup.logo_remove')}
            </button>
          )}
        </div>
      </Field>
    </form>
  );
}

function ActivitiesStep({ onDone }: { onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(['activities', 'main_activity', 'version']);
  const q = useQuery({ queryKey: ['activities', i18n.language], queryFn: () => api<ActivitiesView>('/settings/activities') });
  const [v, setV] = useState<{ activities: string[]; main_activity: string } | null>(null);
  const save = useMutation({
    mutationFn: (body: { activities: string[]; main_activity: string; version: number }) => api<ActivitiesView>('/settings/activities', { method: 'PUT', body }),
    onSuccess: () => {
      setV(null);
      void qc.invalidateQueries({ queryKey: ['activities'] });
      void qc.invalidateQueries({ queryKey: ['setup'] });
      toast.show(t('setup.saved'));
      onDone();
    },
    onError: form.setError,
  });
  if (q.isError) return <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <p className="muted">{t('common.loading')}</p>;
  const cur = v ?? { activities: q.data.activities, main_activity: q.data.main_activity };
  const data = q.data;
  return (
    <form
      id="setup-form"
      className="form-grid"
      noValidate
      data-testid="step-activites"
      onSubmit={(e) => {
        e.preventDefault();
        form.setError(null);
        save.mutate({ ...cur, version: data.version });
      }}
    >
      <FormErrorSummary error={form.error} unmatched={form.unmatched} />
      <Field name="activities" label={t('setup.activities')} error={form.errorFor('activities')} asGroup className="span-2">
        <div className="check-grid">
          {data.options.map((o) => (
            <label key={o.code} className="check-row">
              <input
                type="checkbox"
                checked={cur.activities.includes(o.code)}
                onChange={(e) => {
                  setV({ ...cur, activities: e.target.checked ? [...cur.activities, o.code] : cur.activities.filter((x) => x !== o.code) });
                  form.clearField('activities');
                }}
                data-testid={`activity-${o.code}`}
              />
              {o.label}
            </label>
          ))}
        </div>
      </Field>
      <Field name="main_activity" label={t('setup.main_activity')} error={form.errorFor('main_activity')} required>
        <select {...inputProps('main_activity', form.errorFor('main_activity'))} className="input" value={cur.main_activity} onChange={(e) => { setV({ ...cur, main_activity: e.target.value }); form.clearField('main_activity'); }}>
          {data.options.map((o) => (
            <option key={o.code} value={o.code}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
    </form>
  );
}

function RatesStep({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const q = useRateGrid();
  if (q.isError) return <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <p className="muted">{t('common.loading')}</p>;
  return (
    <div data-testid="step-grille_tarifaire">
      <RateGridForm key={q.data.version} grid={q.data} onSaved={onDone} submitLabel={t('setup.next')} formId="setup-form" />
    </div>
  );
}

export function SetupWizardPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const [sp, setSp] = useSearchParams();
  const status = useSetupStatus();
  const raw = sp.get('step') as SetupStepCode | null;
  const step: SetupStepCode = raw && (SETUP_STEPS as readonly string[]).includes(raw) ? raw : 'entreprise';
  const go = (s: SetupStepCode | null) => s && setSp({ step: s });
  const complete = useMutation({
    mutationFn: () => api<SetupStatus>('/setup/complete', { method: 'POST' }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['setup'] });
      toast.show(t('setup.finished'));
      navigate('/', { replace: true });
    },
  });
  if (!can(me, 'system', 'validate')) return <Navigate to="/system" replace />;
  const done = (code: string) => status.data?.steps.find((s) => s.code === code)?.done ?? false;
  const canFinish = step === 'utilisateurs';
  return (
    <div className="page" data-testid="setup-page">
      <PageHeader crumbs={[{ label: t('system.title'), to: '/system' }, { label: t('setup.title') }]} />
      <div className="sheet">
        <p className="hint">{t('setup.intro')}</p>
        {status.data?.completed && status.data.completed_at && (
          <p className="muted" data-testid="setup-completed">
            {t('setup.completed_on', { date: f.dateTime(status.data.completed_at), who: status.data.completed_by ?? '' })}
          </p>
        )}
        <ol className="wizard-steps" data-testid="wizard-steps">
          {SETUP_STEPS.map((s, i) => (
            <li key={s} className={`${s === step ? 'current' : ''} ${done(s) ? 'done' : ''}`}>
              <button type="button" onClick={() => go(s)} aria-current={s === step ? 'step' : undefined} data-testid={`wizard-step-${s}`}>
                {i + 1}. {t(`setup.step_${s}`)}
              </button>
            </li>
          ))}
        </ol>
        {step === 'entreprise' && <CompanyStep onDone={() => go(nextStep(step))} />}
        {step === 'activites' && <ActivitiesStep onDone={() => go(nextStep(step))} />}
        {step === 'grille_tarifaire' && <RatesStep onDone={() => go(nextStep(step))} />}
        {step === 'machines' && (
          <div data-testid="step-machines">
            <p>{t('setup.machines_text')}</p>
            <Link to="/machines" className="btn btn-secondary">
              {t('setup.machines_link')}
            </Link>
          </div>
        )}
        {step === 'utilisateurs' && (
          <div data-testid="step-utilisateurs">
            <p>{t('setup.users_text')}</p>
            <Link to="/users" className="btn btn-secondary">
              {t('setup.users_link')}
            </Link>
          </div>
        )}
        {complete.isError && <ErrorBanner error={complete.error} />}
        <div className="wizard-nav">
          {previousStep(step) && (
            <button type="button" className="btn btn-secondary" onClick={() => go(previousStep(step))} data-testid="wizard-previous">
              {t('setup.previous')}
            </button>
          )}
          {(step === 'entreprise' || step === 'activites') && (
            <button type="submit" form="setup-form" className="btn btn-primary" data-testid="wizard-next">
              {t('setup.next')}
            </button>
          )}
          {!canFinish && (
            <button type="button" className="btn btn-secondary" onClick={() => go(nextStep(step))} data-testid="wizard-skip">
              {t('setup.skip')}
            </button>
          )}
          {canFinish && (
            <button type="button" className="btn btn-primary" onClick={() => complete.mutate()} disabled={complete.isPending} data-testid="wizard-finish">
              {t('setup.finish')}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
