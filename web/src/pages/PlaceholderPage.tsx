import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../auth/AuthContext';
import { ErrorBanner } from '../components/ErrorBanner';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/PageHeader';
import { can, type ModuleDef } from '../modules';
import { ApiError } from '../api/client';

/** Screen of a module that is planned but not built yet. */
export function PlaceholderPage({ module }: { module: ModuleDef }) {
  const { t } = useTranslation();
  const me = useMe();
  const label = t(`modules.${module.code}`);
  return (
    <div className="page" data-testid={`placeholder-${module.code}`}>
      <PageHeader crumbs={[{ label }]} />
      {!can(me, module.code) ? (
        <ErrorBanner error={new ApiError({ status: 403, code: 'forbidden', detail: t('errors.forbidden_local') })} />
      ) : (
        <div className="empty-state" data-testid="placeholder">
          <span className="empty-icon">
            <Icon name={module.code} size={40} />
          </span>
          <h2>{t('placeholder.title')}</h2>
          <p className="muted">{t('placeholder.body', { module: label })}</p>
          <span className="badge-soon">{t('nav.soon')}</span>
          <p>
            <Link to="/" className="btn btn-secondary">
              {t('placeholder.back')}
            </Link>
          </p>
        </div>
      )}
    </div>
  );
}
