// "Où ranger ?": racks and areas ranked for a material grade (GET /materials/{id}/storage-suggestion),
// each with the reasons the API gives (distance to the saw, gap to the ideal distance).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import type { StorageSuggestion } from './masterData';
import '../../styles/masterData.css';

export function StorageSuggestionPanel({ gradeId, limit = 5 }: { gradeId: number; limit?: number }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['storage-suggestion', gradeId], queryFn: () => api<StorageSuggestion[]>(`/materials/${gradeId}/storage-suggestion`) });
  const items = (q.data ?? []).slice(0, limit);
  return (
    <section className="panel" data-testid="storage-suggestion" aria-label={t('storage.title')}>
      <h3 className="panel-title">{t('storage.title')}</h3>
      <p className="muted small">{t('storage.intro')}</p>
      {q.isPending && <p className="muted">{t('common.loading')}</p>}
      {q.isError && <ErrorBanner error={q.error} />}
      {q.isSuccess && items.length === 0 && <p className="muted">{t('storage.none')}</p>}
      <ol className="storage-list">
        {items.map((s) => (
          <li key={s.location.id} className={`storage-item ${s.rank === 1 ? 'is-best' : ''}`} data-testid="storage-item">
            <span className="storage-rank" aria-label={`#${s.rank}`}>
              {s.rank}
            </span>
            <div>
              <Link to={`/locations/${s.location.id}`} className="mono">
                {s.location.code}
              </Link>{' '}
              <span>{s.location.name}</span> <span className="chip">{s.location.kind_label}</span>
              <ul className="storage-reasons">
                <li>{t('storage.saw_distance', { d: s.location.saw_distance_m })}</li>
                <li>
                  {t('storage.gap', { gap: s.gap_m })}
                  {/^0(\.0*)?$/.test(s.gap_m) ? ` (${t('storage.best')})` : ''}
                </li>
              </ul>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
