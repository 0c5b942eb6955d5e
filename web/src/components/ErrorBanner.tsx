import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { Icon } from './Icon';

const FORBIDDEN_PREFIX = /^\s*(acc[eè]s refus[ée]|access denied|forbidden)\s*[:：]\s*/i;

/**
 * The server's 403 detail may already start with "Accès refusé :"; the banner adds the prefix
 * itself (in the UI language), so it is stripped from the detail to avoid saying it twice.
 */
export function stripForbiddenPrefix(detail: string): string {
  return detail.replace(FORBIDDEN_PREFIX, '');
}

/** The user-facing sentence for any error: the server's `detail` first, then a known code. */
export function useErrorText() {
  const { t, i18n } = useTranslation();
  return (error: unknown): string => {
    if (isApiError(error)) {
      if (error.detail) return error.detail;
      if (i18n.exists(`errors.${error.code}`)) return t(`errors.${error.code}`);
      if (error.status >= 500) return t('errors.server_error');
      return error.title || t('errors.http_error');
    }
    if (error instanceof Error) return error.message;
    return String(error);
  };
}

/**
 * Shows an API error. A 403 is spelled out as "Accès refusé : <server detail>" so a user who
 * opened a screen beyond his rights knows why it is empty.
 */
/** `retryLabel`: the button's text when retrying means something else ("Recharger" after a 409). */
export function ErrorBanner({ error, onRetry, retryLabel, className }: { error: unknown; onRetry?: () => void; retryLabel?: string; className?: string }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (!error) return null;
  const api = isApiError(error) ? error : null;
  const forbidden = api?.isForbidden ?? false;
  return (
    <div
      className={`banner ${forbidden ? 'banner-forbidden' : 'banner-error'} ${className ?? ''}`}
      role="alert"
      data-testid={forbidden ? 'forbidden-banner' : 'error-banner'}
    >
      <Icon name={forbidden ? 'lock' : 'alert'} size={20} />
      <div className="banner-body">
        {forbidden ? (
          <strong>
            {t('errors.forbidden')}
            {t('common.colon')}
            <span data-testid="forbidden-detail">{stripForbiddenPrefix(api?.detail ?? '') || t('errors.forbidden_local')}</span>
          </strong>
        ) : (
          <strong>{text(error)}</strong>
        )}
        {api?.requestId && api.status >= 500 && <div className="muted small">{t('errors.request_id', { id: api.requestId })}</div>}
      </div>
      {onRetry && !forbidden && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry} data-testid="error-retry">
          {retryLabel ?? t('common.retry')}
        </button>
      )}
    </div>
  );
}
