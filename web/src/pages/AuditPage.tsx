import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { AuditEntry, AuditVerify, ListResponse, User } from '../api/types';
import { useMe } from '../auth/AuthContext';
import { DataTable, type DataColumn, type FilterDef } from '../components/DataTable';
import { ErrorBanner } from '../components/ErrorBanner';
import { useActionLabel, useValueText } from '../components/HistoryPanel';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/PageHeader';
import { diffRecords, prettyJson } from '../lib/diff';
import { useFormat } from '../lib/useFormat';
import { can } from '../modules';

/** UI route of a record, from the audit's entity_type (singular or plural). */
const ENTITY_ROUTES: Record<string, string> = { user: '/users', users: '/users' };

export function entityHref(type: string, id: string | number): string | null {
  const base = ENTITY_ROUTES[type];
  return base && id !== '' && id != null ? `${base}/${id}` : null;
}

/** Rights changes are recorded as `role:module:action` codes; spell them out. */
export function useRightCodeText() {
  const { t, i18n } = useTranslation();
  const lbl = (kind: string, code: string) => (i18n.exists(`${kind}.${code}`) ? t(`${kind}.${code}`) : code);
  return (v: unknown): string | undefined => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && /^[a-z_]+:[a-z_]+:[a-z_]+$/.test(x))) return undefined;
    if (v.length === 0) return undefined;
    return (v as string[])
      .map((x) => {
        const [r, m, a] = x.split(':');
        return `${lbl('roles', r)} · ${lbl('modules', m)} · ${lbl('actions', a)}`;
      })
      .join(' ; ');
  };
}

function AuditDetail({ e }: { e: AuditEntry }) {
  const { t, i18n } = useTranslation();
  const defaultText = useValueText();
  const rightsText = useRightCodeText();
  const valueText = (v: unknown) => rightsText(v) ?? defaultText(v);
  const fieldLabel = (f: string) => (i18n.exists(`audit_fields.${f}`) ? t(`audit_fields.${f}`) : f);
  const changes = diffRecords(e.before, e.after);
  return (
    <div className="audit-detail" data-testid={`audit-detail-${e.id}`}>
      {changes.length > 0 && (
        <table className="table table-compact diff-table">
          <caption>{t('audit.changes')}</caption>
          <thead>
            <tr>
              <th />
              <th>{t('audit.before')}</th>
              <th>{t('audit.after')}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.field}>
                <th scope="row" className="mono">
                  {fieldLabel(c.field)}
                </th>
                <td className="diff-before">{valueText(c.before)}</td>
                <td className="diff-after">{valueText(c.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="json-pair">
        <div>
          <div className="json-title">{t('audit.before')}</div>
          <pre className="json" data-testid="audit-before">{prettyJson(e.before)}</pre>
        </div>
        <div>
          <div className="json-title">{t('audit.after')}</div>
          <pre className="json" data-testid="audit-after">{prettyJson(e.after)}</pre>
        </div>
      </div>
      <div className="muted small mono">
        {t('audit.request_id')}: {e.request_id} · {t('audit.hash')}: {e.hash}
      </div>
    </div>
  );
}

function VerifyResult({ result }: { result: AuditVerify }) {
  const { t } = useTranslation();
  if (result.ok) {
    return (
      <div className="banner banner-success" role="status" data-testid="verify-result" data-ok="true">
        <Icon name="check" size={20} />
        <strong>{t('audit.verify_ok', { count: result.checked })}</strong>
      </div>
    );
  }
  return (
    <div className="banner banner-error" role="alert" data-testid="verify-result" data-ok="false">
      <Icon name="alert" size={20} />
      <strong>{t('audit.verify_bad', { id: result.first_bad_id ?? '?', count: result.checked, reason: result.reason ?? '' })}</strong>
    </div>
  );
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const actionLabel = useActionLabel();
  const users = useQuery({
    queryKey: ['/users', 'all-for-filter'],
    queryFn: () => api<ListResponse<User>>('/users', { query: { per_page: 500, sort: 'login' } }),
    enabled: can(me, 'users'),
    staleTime: 60_000,
  });
  const verify = useMutation({ mutationFn: () => api<AuditVerify>('/audit/verify') });
  const fieldLabel = (name: string) => (i18n.exists(`audit_fields.${name}`) ? t(`audit_fields.${name}`) : name);
  const entityLabel = (type: string) => (i18n.exists(`entities.${type}`) ? t(`entities.${type}`) : type);

  const columns = useMemo<DataColumn<AuditEntry>[]>(
    () => [
      { id: 'at', header: t('audit.at'), sortKey: 'at', cell: (e) => <time dateTime={e.at}>{f.dateTime(e.at, true)}</time>, className: 'nowrap' },
      { id: 'actor', header: t('audit.actor'), cell: (e) => e.actor_login || '—', className: 'nowrap' },
      { id: 'action', header: t('audit.action'), cell: (e) => <span className={`action-tag action-${e.action}`}>{actionLabel(e.action)}</span>, className: 'nowrap' },
      { id: 'entity_type', header: t('audit.entity_type'), cell: (e) => entityLabel(e.entity_type), className: 'nowrap' },
      {
        id: 'entity_id',
        header: t('audit.entity_id'),
        cell: (e) => {
          const href = entityHref(e.entity_type, e.entity_id);
          return href ? <Link to={href}>{String(e.entity_id)}</Link> : String(e.entity_id ?? '');
        },
        className: 'nowrap',
      },
      {
        id: 'changes',
        header: t('audit.changes'),
        cell: (e) => {
          const names = diffRecords(e.before, e.after).map((c) => fieldLabel(c.field));
          return <span className="muted small">{names.slice(0, 6).join(', ')}{names.length > 6 ? '…' : ''}</span>;
        },
      },
      { id: 'request_id', header: t('audit.request_id'), cell: (e) => <span className="mono small">{e.request_id}</span>, hiddenByDefault: true },
      { id: 'hash', header: t('audit.hash'), cell: (e) => <span className="mono small">{e.hash.slice(0, 12)}</span>, hiddenByDefault: true },
    ],
    // entityLabel/actionLabel only depend on t
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, f],
  );

  const filters = useMemo<FilterDef[]>(() => {
    const userFilter: FilterDef = users.data
      ? {
          key: 'user_id',
          label: t('audit.filter_user'),
          type: 'select',
          options: users.data.items.map((u) => ({ value: String(u.id), label: `${u.login} — ${u.full_name}` })),
        }
      : { key: 'user_id', label: t('audit.filter_user'), type: 'number' };
    return [
      { key: 'entity_type', label: t('audit.entity_type'), type: 'text', list: ['user', 'rights', 'session'] },
      userFilter,
      { key: 'from', label: t('common.from'), type: 'date' },
      { key: 'to', label: t('common.to'), type: 'date' },
    ];
  }, [t, users.data]);

  return (
    <div className="page" data-testid="audit-page">
      <PageHeader
        crumbs={[{ label: t('modules.system'), to: '/system' }, { label: t('audit.title') }]}
        actions={
          <button type="button" className="btn btn-secondary" onClick={() => verify.mutate()} disabled={verify.isPending} data-testid="audit-verify">
            <Icon name="shield" size={16} />
            <span>{verify.isPending ? t('audit.verifying') : t('audit.verify')}</span>
          </button>
        }
      />
      {verify.data && <VerifyResult result={verify.data} />}
      {verify.isError && <ErrorBanner error={verify.error} />}
      <DataTable<AuditEntry>
        tableId="audit"
        endpoint="/audit"
        columns={columns}
        filters={filters}
        rowKey={(e) => e.id}
        renderExpanded={(e) => <AuditDetail e={e} />}
        exportName="audit"
      />
    </div>
  );
}
