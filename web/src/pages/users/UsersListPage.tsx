import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { User } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { ROLE_CODES } from './roles';

export function RoleChips({ roles }: { roles: string[] }) {
  const { t } = useTranslation();
  return (
    <span className="chips">
      {roles.map((r) => (
        <span key={r} className={`chip chip-role-${r}`}>
          {t(`roles.${r}`, { defaultValue: r })}
        </span>
      ))}
    </span>
  );
}

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return (
    <span className={`status-badge status-${status}`} data-testid="status-badge">
      {label}
    </span>
  );
}

export function UsersListPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const columns = useMemo<DataColumn<User>[]>(
    () => [
      { id: 'login', header: t('users.login'), sortKey: 'login', cell: (u) => <span className="mono">{u.login}</span>, className: 'nowrap' },
      { id: 'full_name', header: t('users.full_name'), sortKey: 'full_name', cell: (u) => u.full_name, className: 'nowrap' },
      { id: 'email', header: t('users.email'), cell: (u) => u.email ?? '' },
      { id: 'roles', header: t('users.roles'), cell: (u) => <RoleChips roles={u.roles} /> },
      { id: 'status', header: t('users.status'), cell: (u) => <StatusBadge status={u.status} label={u.status_label} /> },
      { id: 'updated_at', header: t('users.updated_at'), sortKey: 'updated_at', cell: (u) => f.dateTime(u.updated_at), className: 'nowrap' },
      { id: 'created_at', header: t('users.created_at'), sortKey: 'created_at', cell: (u) => f.dateTime(u.created_at), className: 'nowrap', hiddenByDefault: true },
    ],
    [t, f],
  );
  const filters = useMemo<FilterDef[]>(
    () => [
      {
        key: 'active',
        label: t('users.filter_active'),
        type: 'select',
        options: [
          { value: 'true', label: t('users.active_true') },
          { value: 'false', label: t('users.active_false') },
        ],
      },
      { key: 'role', label: t('users.filter_role'), type: 'select', options: ROLE_CODES.map((r) => ({ value: r, label: t(`roles.${r}`) })) },
    ],
    [t],
  );
  return (
    <div className="page" data-testid="users-page">
      <PageHeader crumbs={[{ label: t('users.title') }]} />
      <DataTable<User>
        tableId="users"
        endpoint="/users"
        columns={columns}
        filters={filters}
        defaultSort="login"
        rowKey={(u) => u.id}
        rowHref={(u) => `/users/${u.id}`}
        exportName={t('users.title').toLowerCase()}
        actions={
          can(me, 'users', 'create') ? (
            <Link to="/users/new" className="btn btn-primary" data-testid="new-user">
              <Icon name="plus" size={16} />
              <span>{t('users.new')}</span>
            </Link>
          ) : null
        }
      />
    </div>
  );
}
