import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/PageHeader';

/** Hub of the `system` module: what exists now, and what is planned. */
export function SystemPage() {
  const { t } = useTranslation();
  return (
    <div className="page" data-testid="system-page">
      <PageHeader crumbs={[{ label: t('system.title') }]} />
      <div className="tiles">
        <Link to="/rights" className="tile">
          <span className="tile-icon">
            <Icon name="shield" size={24} />
          </span>
          <span className="tile-text">
            <span className="tile-name">{t('nav.rights')}</span>
            <span className="tile-state ok">{t('dashboard.available')}</span>
          </span>
        </Link>
        <Link to="/audit" className="tile">
          <span className="tile-icon">
            <Icon name="activity" size={24} />
          </span>
          <span className="tile-text">
            <span className="tile-name">{t('nav.audit')}</span>
            <span className="tile-state ok">{t('dashboard.available')}</span>
          </span>
        </Link>
        <Link to="/setup" className="tile" data-testid="tile-setup">
          <span className="tile-icon">
            <Icon name="system" size={24} />
          </span>
          <span className="tile-text">
            <span className="tile-name">{t('system.settings')}</span>
            <span className="tile-state ok">{t('dashboard.available')}</span>
          </span>
        </Link>
        <Link to="/imports" className="tile" data-testid="tile-imports">
          <span className="tile-icon">
            <Icon name="download" size={24} />
          </span>
          <span className="tile-text">
            <span className="tile-name">{t('imports.title')}</span>
            <span className="tile-state ok">{t('dashboard.available')}</span>
          </span>
        </Link>
        <Link to="/rates" className="tile" data-testid="tile-rates">
          <span className="tile-icon">
            <Icon name="finance" size={24} />
          </span>
          <span className="tile-text">
            <span className="tile-name">{t('nav_crm.rates')}</span>
            <span className="tile-state ok">{t('dashboard.available')}</span>
          </span>
        </Link>
        <div className="tile tile-soon" aria-disabled="true">
          <span className="tile-icon">
            <Icon name="download" size={24} />
          </span>
          <span className="tile-text">
            <span className="tile-name">{t('system.backup')}</span>
            <span className="tile-state">{t('nav.soon')}</span>
          </span>
        </div>
      </div>
    </div>
  );
}
