import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import { safeNext, useAuth } from '../auth/AuthContext';
import { useInfo } from '../components/AppShell';
import { useErrorText } from '../components/ErrorBanner';
import { Icon } from '../components/Icon';
import { LanguageSwitch } from '../components/LanguageSwitch';

export function LoginPage() {
  const { t } = useTranslation();
  const { login, me, hasToken } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const info = useInfo();
  const errorText = useErrorText();
  const [loginName, setLoginName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [wait, setWait] = useState(0);
  const next = safeNext(params.get('next'));

  // Count down a 429's Retry-After so the user knows when to try again.
  useEffect(() => {
    if (wait <= 0) return;
    const id = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(id);
  }, [wait]);

  if (hasToken && me && !busy) return <Navigate to={me.must_change_password ? '/account' : next} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await login(loginName.trim(), password);
      navigate(user.must_change_password ? '/account' : next, { replace: true });
    } catch (err) {
      setError(err);
      if (isApiError(err) && err.retryAfter) setWait(err.retryAfter);
      setBusy(false);
    }
  };

  const company = info.data?.company;
  return (
    <div className="login-page">
      <div className="login-card" data-testid="login-card">
        <div className="login-brand">
          <span className="brand-mark brand-mark-lg" aria-hidden="true">GU</span>
          <div>
            <div className="login-app">{t('app.name')}</div>
            <div className="muted small">{company ?? t('app.tagline')}</div>
          </div>
        </div>
        <h1 className="login-title">{t('login.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        {params.get('reason') === 'expired' && !error && <div className="banner banner-info">{t('login.session_expired')}</div>}
        {error != null && (
          <div className="banner banner-error" role="alert" data-testid="login-error">
            <Icon name="alert" size={20} />
            <div className="banner-body">
              <strong>{errorText(error)}</strong>
              {wait > 0 && (
                <div className="small" data-testid="login-wait">
                  {wait >= 90 ? t('login.retry_in_min', { minutes: Math.ceil(wait / 60) }) : t('login.retry_in', { seconds: wait })}
                </div>
              )}
            </div>
          </div>
        )}
        <form onSubmit={(e) => void submit(e)} className="form-stack" noValidate>
          <div className="field">
            <label className="field-label" htmlFor="login">
              {t('login.login')}
            </label>
            <input
              id="login"
              name="username"
              className="input input-lg"
              autoComplete="username"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              required
              autoFocus
              value={loginName}
              onChange={(e) => setLoginName(e.target.value)}
              data-testid="login-input"
            />
          </div>
          <div className="field">
            <label className="field-label" htmlFor="password">
              {t('login.password')}
            </label>
            <input
              id="password"
              name="password"
              type="password"
              className="input input-lg"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="password-input"
            />
          </div>
          <button type="submit" className="btn btn-primary btn-lg btn-block" disabled={busy || wait > 0 || !loginName || !password} data-testid="login-submit">
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
        <div className="login-foot">
          <LanguageSwitch />
          {info.data && <span className="muted small">v{info.data.version}</span>}
        </div>
      </div>
    </div>
  );
}
