// The record's audit trail beside its form ("chatter"): who, when, what, and each changed field.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { AuditEntry, ListResponse } from '../api/types';
import { diffRecords } from '../lib/diff';
import { useFormat } from '../lib/useFormat';
import { ErrorBanner } from './ErrorBanner';

/** History endpoints may answer a paged list or a bare array: accept both. */
export function historyItems(data: ListResponse<AuditEntry> | AuditEntry[] | undefined): AuditEntry[] {
  if (!data) return [];
  return Array.isArray(data) ? data : data.items;
}

const ISO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function useValueText() {
  const { t } = useTranslation();
  const f = useFormat();
  return (v: unknown): string => {
    if (v === null || v === undefined || v === '') return t('common.empty');
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : t('common.empty');
    if (typeof v === 'object') return JSON.stringify(v);
    if (typeof v === 'string' && ISO_TS.test(v)) return f.dateTime(v);
    return String(v);
  };
}

export function useActionLabel() {
  const { t, i18n } = useTranslation();
  return (action: string) => (i18n.exists(`audit_actions.${action}`) ? t(`audit_actions.${action}`) : action);
}

export function HistoryPanel({
  entity,
  id,
  version,
  fieldLabels = {},
  formatValue,
}: {
  /** API collection, e.g. `users` → GET /api/v1/users/{id}/history. */
  entity: string;
  id: number | string;
  /** Refetch whenever the record changes. */
  version?: number;
  fieldLabels?: Record<string, string>;
  /** Entity-specific display of a value (e.g. role codes → labels); undefined → the default. */
  formatValue?: (field: string, value: unknown) => string | undefined;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const defaultText = useValueText();
  const valueText = (field: string, v: unknown) => formatValue?.(field, v) ?? defaultText(v);
  const actionLabel = useActionLabel();
  const q = useQuery({
    queryKey: ['history', entity, String(id), version],
    queryFn: () => api<ListResponse<AuditEntry> | AuditEntry[]>(`/${entity}/${id}/history`, { query: { per_page: 100 } }),
  });
  const items = historyItems(q.data);
  return (
    <aside className="history panel" data-testid="history-panel" aria-label={t('history.title')}>
      <h3 className="panel-title">{t('history.title')}</h3>
      {q.isPending && <p className="muted">{t('common.loading')}</p>}
      {q.isError && <ErrorBanner error={q.error} />}
      {q.isSuccess && items.length === 0 && <p className="muted">{t('history.empty')}</p>}
      <ol className="history-list">
        {items.map((e) => {
          const changes = diffRecords(e.before, e.after);
          const created = e.before == null && e.after != null;
          return (
            <li key={e.id} className="history-item" data-testid="history-item">
              <div className="history-head">
                <span className="avatar" aria-hidden="true">
                  {(e.actor_login || '?').slice(0, 2).toUpperCase()}
                </span>
                <div>
                  <div>
                    <strong>{e.actor_login || t('history.system')}</strong> · <span className="history-action">{actionLabel(e.action)}</span>
                  </div>
                  <time className="muted small" dateTime={e.at}>
                    {f.dateTime(e.at)}
                  </time>
                </div>
              </div>
              {changes.length > 0 ? (
                <ul className="history-changes">
                  {changes.map((c) => (
                    <li key={c.field}>
                      <span className="history-field">{fieldLabels[c.field] ?? c.field}</span>
                      <span className="history-values">
                        {created ? null : (
                          <>
                            <span className="diff-before">{valueText(c.field, c.before)}</span>
                            <span className="diff-arrow" aria-hidden="true">
                              {' → '}
                            </span>
                          </>
                        )}
                        <span className="diff-after">{valueText(c.field, c.after)}</span>
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                e.before != null && <p className="muted small">{t('history.no_change')}</p>
              )}
            </li>
          );
        })}
      </ol>
    </aside>
  );
}
