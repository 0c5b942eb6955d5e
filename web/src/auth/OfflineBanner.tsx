// "Hors ligne" banner at the top of every screen while the server cannot be reached (the session
// runs on the kept copy of `me`, or the browser has no network): shop-floor actions are kept in
// the offline queue and sent when the network is back (pages/shopfloor/queue.ts).
import { useTranslation } from 'react-i18next';
import { Icon } from '../components/Icon';
import { useAuth } from './AuthContext';
import './auth.css';

export function OfflineBanner() {
  const { t } = useTranslation();
  const { offline, reloadMe } = useAuth();
  if (!offline) return null;
  return (
    <div className="banner banner-warn offline-banner" role="status" data-testid="offline-banner">
      <Icon name="alert" size={20} />
      <div className="banner-body">
        <strong data-testid="offline-title">{t('shopfloor.offline')}</strong>
        <div className="small">{t('shopfloor.offline_text')}</div>
      </div>
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => void reloadMe()} data-testid="offline-retry">
        {t('common.retry')}
      </button>
    </div>
  );
}
