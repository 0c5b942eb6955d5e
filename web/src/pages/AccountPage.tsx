import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ApiError } from '../api/client';
import { useAuth, useMe } from '../auth/AuthContext';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../components/Form';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/PageHeader';
import { useToast } from '../components/Toast';
import { RoleChips } from './users/UsersListPage';

const FIELDS = ['current_password', 'new_password', 'confirm'] as const;

export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { reloadMe } = useAuth();
  const toast = useToast();
  const navigate = useNavigate();
  const form = useFormErrors(FIELDS);
  const [v, setV] = useState({ current_password: '', new_password: '', confirm: '' });
  const forced = me.must_change_password;
  const set = (k: keyof typeof v, value: string) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };

  const change = useMutation({
    mutationFn: () => api<void>('/auth/password', { method: 'POST', body: { current_password: v.current_password, new_password: v.new_password } }),
    onSuccess: async () => {
      setV({ current_password: '', new_password: '', confirm: '' });
      toast.show(t('account.changed'));
      await reloadMe();
      if (forced) navigate('/', { replace: true });
    },
    onError: form.setError,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Checked here too so a typo is caught before a round trip; the server still decides.
    const errors = [];
    if (v.new_password.length < 10) errors.push({ field: 'new_password', code: 'too_short', message: t('account.too_short') });
    if (v.new_password !== v.confirm) errors.push({ field: 'confirm', code: 'mismatch', message: t('account.mismatch') });
    if (errors.length) {
      form.setError(new ApiError({ status: 422, code: 'validation', detail: errors[0].message, errors }));
      return;
    }
    form.setError(null);
    change.mutate();
  };

  return (
    <div className="page" data-testid="account-page">
      <PageHeader crumbs={[{ label: t('account.title') }]} />
      {forced && (
        <div className="banner banner-warn" role="alert" data-testid="forced-change">
          <Icon name="key" size={20} />
          <strong>{t('account.forced')}</strong>
        </div>
      )}
      <div className="account-layout">
        <section className="sheet">
          <h3 className="panel-title">{t('account.identity')}</h3>
          <dl className="meta">
            <div>
              <dt>{t('users.login')}</dt>
              <dd className="mono">{me.login}</dd>
            </div>
            <div>
              <dt>{t('users.full_name')}</dt>
              <dd>{me.full_name}</dd>
            </div>
            <div>
              <dt>{t('users.email')}</dt>
              <dd>{me.email ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('users.roles')}</dt>
              <dd>
                <RoleChips roles={me.roles} />
              </dd>
            </div>
          </dl>
        </section>
        <section className="sheet">
          <h3 className="panel-title">{t('account.change_password')}</h3>
          <FormErrorSummary error={form.error} unmatched={form.unmatched} />
          <form className="form-stack" onSubmit={submit} noValidate>
            <input type="text" name="username" autoComplete="username" value={me.login} readOnly hidden />
            <Field name="current_password" label={t('account.current')} error={form.errorFor('current_password')} required>
              <input {...inputProps('current_password', form.errorFor('current_password'))} type="password" autoComplete="current-password" className="input" value={v.current_password} onChange={(e) => set('current_password', e.target.value)} />
            </Field>
            <Field name="new_password" label={t('account.new')} error={form.errorFor('new_password')} hint={t('users.password_hint')} required>
              <input {...inputProps('new_password', form.errorFor('new_password'))} type="password" autoComplete="new-password" className="input" value={v.new_password} onChange={(e) => set('new_password', e.target.value)} />
            </Field>
            <Field name="confirm" label={t('account.confirm')} error={form.errorFor('confirm')} required>
              <input {...inputProps('confirm', form.errorFor('confirm'))} type="password" autoComplete="new-password" className="input" value={v.confirm} onChange={(e) => set('confirm', e.target.value)} />
            </Field>
            <button type="submit" className="btn btn-primary btn-lg" disabled={change.isPending || !v.current_password || !v.new_password} data-testid="change-password">
              {change.isPending ? t('common.saving') : t('account.change_password')}
            </button>
          </form>
        </section>
      </div>
    </div>
  );
}
