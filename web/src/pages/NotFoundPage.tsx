import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { Icon } from '../components/Icon';

export function NotFoundPage() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <div className="page">
      <div className="empty-state" data-testid="not-found">
        <span className="empty-icon">
          <Icon name="alert" size={40} />
        </span>
        <div className="big-404">404</div>
        <h2>{t('notfound.title')}</h2>
        <p className="muted">{t('notfound.body', { path: pathname })}</p>
        <Link to="/" className="btn btn-primary">
          {t('notfound.home')}
        </Link>
      </div>
    </div>
  );
}
