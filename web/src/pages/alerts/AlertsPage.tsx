import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { type AlertCount, type AlertList, badgeClass, badgeText, frDate, groupBySeverity, recordPath } from './logic';
import './alerts.css';

/** Top-bar bell with the number of alerts the user may see (polled every minute). */
export function AlertsBell() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['alerts', 'count'], queryFn: () => api<AlertCount>('/alerts/count'), refetchInterval: 60_000 });
  const text = badgeText(q.data?.total);
  return (
    <Link to="/alerts" className="icon-btn alerts-bell" title={t('alerts.title')} aria-label={`${t('alerts.title')}${text ? ` (${text})` : ''}`} data-testid="alerts-bell">
      <Icon name="bell" size={20} />
      {text && (
        <span className={`alert-badge ${badgeClass(q.data)}`} data-testid="alerts-count">
          {text}
        </span>
      )}
    </Link>
  );
}

export function AlertsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['alerts', 'list'], queryFn: () => api<AlertList>('/alerts') });
  const refresh = useMutation({
    mutationFn: () => api<AlertCount>('/alerts/refresh', { method: 'POST', body: {} }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['alerts'] }),
  });
  const groups = groupBySeverity(list.data?.items ?? []);
  return (
    <div className="page" data-testid="alerts-page">
      <PageHeader
        crumbs={[{ label: t('alerts.title') }]}
        actions={
          <button type="button" className="btn" onClick={() => refresh.mutate()} disabled={refresh.isPending} data-testid="alerts-refresh">
            {t('alerts.refresh')}
          </button>
        }
      />
      {list.data?.computed_at && <p className="alerts-computed">{t('alerts.computed_at', { when: new Date(list.data.computed_at).toLocaleString('fr-FR') })}</p>}
      {list.isLoading && <p>{t('common.loading', { defaultValue: 'Chargement…' })}</p>}
      {list.data && groups.length === 0 && <p data-testid="alerts-empty">{t('alerts.none')}</p>}
      {groups.map((g) => (
        <section key={g.severity} className={`alerts-group alerts-${g.severity}`} data-testid={`alerts-group-${g.severity}`}>
          <h2>
            {t(`alerts.severity.${g.severity}`)} ({g.items.length})
          </h2>
          <ul>
            {g.items.map((a) => (
              <li key={a.id} className="alert-row" data-testid="alert-row">
                <span className="alert-kind">{t(`alerts.kind.${a.kind}`, { defaultValue: a.kind_label })}</span>
                <Link to={recordPath(a)} className="alert-title">
                  {a.title}
                </Link>
                <span className="alert-detail">{a.detail}</span>
                {a.due_date && <span className="alert-due">{t('alerts.due', { date: frDate(a.due_date) })}</span>}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
