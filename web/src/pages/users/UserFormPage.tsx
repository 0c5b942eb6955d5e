import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import type { User } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field, FormErrorSummary, inputProps, useFormErrors } from '../../components/Form';
import { HistoryPanel } from '../../components/HistoryPanel';
import { PageHeader } from '../../components/PageHeader';
import { QrBadge } from '../../components/QrBadge';
import { StatusBar } from '../../components/StatusBar';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { ROLE_CODES } from './roles';
import { StatusBadge } from './UsersListPage';

const CREATE_FIELDS = ['login', 'full_name', 'email', 'password', 'roles', 'active'] as const;
const EDIT_FIELDS = ['full_name', 'email', 'password', 'roles', 'version'] as const;

function RolesField({
  value,
  onChange,
  error,
  disabled,
}: {
  value: string[];
  onChange: (roles: string[]) => void;
  error?: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Field name="roles" label={t('users.roles')} error={error} required asGroup className="span-2">
      <div className="check-grid">
        {ROLE_CODES.map((r) => (
          <label key={r} className="check-row">
            <input
              type="checkbox"
              checked={value.includes(r)}
              disabled={disabled}
              onChange={(e) => onChange(e.target.checked ? [...value, r] : value.filter((x) => x !== r))}
              data-testid={`role-${r}`}
            />
            {t(`roles.${r}`)}
          </label>
        ))}
      </div>
    </Field>
  );
}

function useUserFieldLabels(): Record<string, string> {
  const { t } = useTranslation();
  return {
    login: t('users.login'),
    full_name: t('users.full_name'),
    email: t('users.email'),
    roles: t('users.roles'),
    active: t('users.active'),
    status: t('users.status'),
    must_change_password: t('users.must_change'),
    password: t('users.password'),
    password_changed: t('audit_fields.password_changed'),
  };
}

// ---- creation -------------------------------------------------------------------------------

function CreateUser() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors(CREATE_FIELDS);
  const [v, setV] = useState({ login: '', full_name: '', email: '', password: '', roles: [] as string[], active: true });
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };
  const create = useMutation({
    mutationFn: () =>
      api<User>('/users', {
        method: 'POST',
        body: { login: v.login.trim(), full_name: v.full_name.trim(), email: v.email.trim() || null, password: v.password, roles: v.roles, active: v.active },
      }),
    onSuccess: (u) => {
      void qc.invalidateQueries({ queryKey: ['/users'] });
      qc.setQueryData(['user', String(u.id)], u);
      toast.show(t('users.created', { login: u.login }));
      navigate(`/users/${u.id}`, { replace: true });
    },
    onError: form.setError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    create.mutate();
  };
  return (
    <div className="page" data-testid="user-create">
      <PageHeader
        crumbs={[{ label: t('users.title'), to: '/users' }, { label: t('users.new_title') }]}
        actions={
          <>
            <button type="submit" form="user-form" className="btn btn-primary" disabled={create.isPending} data-testid="save">
              {create.isPending ? t('common.saving') : t('common.save')}
            </button>
            <Link to="/users" className="btn btn-secondary">
              {t('common.cancel')}
            </Link>
          </>
        }
      />
      <div className="sheet">
        <FormErrorSummary error={form.error} unmatched={form.unmatched} />
        <form id="user-form" className="form-grid" onSubmit={submit} noValidate>
          <Field name="login" label={t('users.login')} error={form.errorFor('login')} hint={t('users.login_hint')} required>
            <input
              {...inputProps('login', form.errorFor('login'))}
              className="input"
              autoCapitalize="none"
              autoComplete="off"
              spellCheck={false}
              value={v.login}
              onChange={(e) => set('login', e.target.value)}
            />
          </Field>
          <Field name="full_name" label={t('users.full_name')} error={form.errorFor('full_name')} required>
            <input {...inputProps('full_name', form.errorFor('full_name'))} className="input" value={v.full_name} onChange={(e) => set('full_name', e.target.value)} />
          </Field>
          <Field name="email" label={t('users.email')} error={form.errorFor('email')}>
            <input {...inputProps('email', form.errorFor('email'))} type="email" className="input" value={v.email} onChange={(e) => set('email', e.target.value)} />
          </Field>
          <Field name="password" label={t('users.password')} error={form.errorFor('password')} hint={t('users.password_hint')} required>
            <input
              {...inputProps('password', form.errorFor('password'))}
              type="password"
              autoComplete="new-password"
              className="input"
              value={v.password}
              onChange={(e) => set('password', e.target.value)}
            />
          </Field>
          <RolesField value={v.roles} onChange={(r) => set('roles', r)} error={form.errorFor('roles')} />
          <Field name="active" label={t('users.status')} error={form.errorFor('active')}>
            <label className="check-row">
              <input type="checkbox" checked={v.active} onChange={(e) => set('active', e.target.checked)} data-testid="input-active" />
              {t('users.active')}
            </label>
          </Field>
        </form>
      </div>
    </div>
  );
}

// ---- edition --------------------------------------------------------------------------------

function EditUser({ user, onSaved }: { user: User; onSaved: (u: User) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const fieldLabels = useUserFieldLabels();
  const form = useFormErrors(EDIT_FIELDS);
  const editable = can(me, 'users', 'update');
  const [v, setV] = useState({ full_name: user.full_name, email: user.email ?? '', roles: user.roles, password: '' });
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => {
    setV((s) => ({ ...s, [k]: value }));
    form.clearField(k);
  };

  // Only what changed is sent, with the version read, so two people editing different fields
  // still get the stale-version guard.
  const patch: Record<string, unknown> = {};
  if (v.full_name.trim() !== user.full_name) patch.full_name = v.full_name.trim();
  if ((v.email.trim() || null) !== (user.email ?? null)) patch.email = v.email.trim() || null;
  if ([...v.roles].sort().join() !== [...user.roles].sort().join()) patch.roles = v.roles;
  if (v.password) patch.password = v.password;
  const dirty = Object.keys(patch).length > 0;

  const save = useMutation({
    mutationFn: () => api<User>(`/users/${user.id}`, { method: 'PATCH', body: { version: user.version, ...patch } }),
    onSuccess: (u) => {
      void qc.invalidateQueries({ queryKey: ['/users'] });
      void qc.invalidateQueries({ queryKey: ['history', 'users', String(user.id)] });
      if (u.id === me.id) void qc.invalidateQueries({ queryKey: ['me'] });
      toast.show(t('users.saved'));
      onSaved(u);
    },
    onError: form.setError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    save.mutate();
  };

  return (
    <div className="page" data-testid="user-edit">
      <PageHeader
        crumbs={[{ label: t('users.title'), to: '/users' }, { label: user.full_name || user.login }]}
        actions={
          editable ? (
            <>
              <button type="submit" form="user-form" className="btn btn-primary" disabled={!dirty || save.isPending} data-testid="save">
                {save.isPending ? t('common.saving') : t('common.save')}
              </button>
              <button
                type="button"
                className="btn btn-secondary"
                disabled={!dirty || save.isPending}
                onClick={() => {
                  setV({ full_name: user.full_name, email: user.email ?? '', roles: user.roles, password: '' });
                  form.setError(null);
                }}
              >
                {t('common.discard')}
              </button>
              {dirty && <span className="unsaved">{t('common.unsaved')}</span>}
            </>
          ) : null
        }
      />
      <div className="form-layout">
        <div className="sheet">
          <StatusBar<User>
            recordPath={`/users/${user.id}`}
            status={user.status}
            statusLabel={user.status_label}
            version={user.version}
            disabled={dirty}
            states={[
              { code: 'actif', label: t('user_status.actif') },
              { code: 'inactif', label: t('user_status.inactif') },
            ]}
            onChanged={(u) => {
              toast.show(t('users.status_changed', { label: u.status_label }));
              void qc.invalidateQueries({ queryKey: ['/users'] });
              onSaved(u);
            }}
          />
          <div className="sheet-body">
            <div className="sheet-title">
              <h2 data-testid="user-title">{user.full_name || user.login}</h2>
              <span className="mono muted">{user.login}</span>
              <StatusBadge status={user.status} label={user.status_label} />
              {user.must_change_password && <span className="badge badge-warn">{t('users.must_change')}</span>}
            </div>
            <FormErrorSummary
              error={form.error}
              unmatched={form.unmatched}
              onReload={() => void qc.invalidateQueries({ queryKey: ['user', String(user.id)] })}
            />
            <form id="user-form" className="form-grid" onSubmit={submit} noValidate>
              <h3 className="form-section span-2">{t('users.general')}</h3>
              <Field name="full_name" label={t('users.full_name')} error={form.errorFor('full_name')} required>
                <input {...inputProps('full_name', form.errorFor('full_name'))} className="input" readOnly={!editable} value={v.full_name} onChange={(e) => set('full_name', e.target.value)} />
              </Field>
              <Field name="email" label={t('users.email')} error={form.errorFor('email')}>
                <input {...inputProps('email', form.errorFor('email'))} type="email" className="input" readOnly={!editable} value={v.email} onChange={(e) => set('email', e.target.value)} />
              </Field>
              <RolesField value={v.roles} onChange={(r) => set('roles', r)} error={form.errorFor('roles')} disabled={!editable} />
              {editable && (
                <>
                  <h3 className="form-section span-2">{t('users.security')}</h3>
                  <Field name="password" label={t('users.reset_password')} error={form.errorFor('password')} hint={t('users.reset_password_hint')}>
                    <input
                      {...inputProps('password', form.errorFor('password'))}
                      type="password"
                      autoComplete="new-password"
                      className="input"
                      value={v.password}
                      onChange={(e) => set('password', e.target.value)}
                    />
                  </Field>
                </>
              )}
              <dl className="meta span-2">
                <div>
                  <dt>{t('users.created_at')}</dt>
                  <dd>{f.dateTime(user.created_at)}</dd>
                </div>
                <div>
                  <dt>{t('users.updated_at')}</dt>
                  <dd>{f.dateTime(user.updated_at)}</dd>
                </div>
              </dl>
            </form>
          </div>
        </div>
        <div className="side">
          <QrBadge entity="users" id={user.id} caption={user.full_name || user.login} subCaption={user.login} />
          <HistoryPanel
            entity="users"
            id={user.id}
            version={user.version}
            fieldLabels={fieldLabels}
            formatValue={(field, value) =>
              field === 'roles' && Array.isArray(value) ? value.map((r) => t(`roles.${String(r)}`, { defaultValue: String(r) })).join(', ') : undefined
            }
          />
        </div>
      </div>
    </div>
  );
}

function UserLoader({ id }: { id: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['user', id], queryFn: () => api<User>(`/users/${id}`) });
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: t('users.title'), to: '/users' }, { label: `#${id}` }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  // Keyed by version: after a save or a status change the form restarts from the server's truth.
  return <EditUser key={`${q.data.id}-${q.data.version}`} user={q.data} onSaved={(u) => qc.setQueryData(['user', id], u)} />;
}

export function UserFormPage() {
  const { id } = useParams();
  if (!id || id === 'new') return <CreateUser />;
  return <UserLoader key={id} id={id} />;
}
