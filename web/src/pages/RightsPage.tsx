import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Grants, RightsDoc } from '../api/types';
import { useMe } from '../auth/AuthContext';
import { ErrorBanner } from '../components/ErrorBanner';
import { FormErrorSummary } from '../components/Form';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/PageHeader';
import { useToast } from '../components/Toast';
import { useIsPhone } from '../lib/useMediaQuery';
import { ADMIN_ROLE, countChanges, has, normalizeGrants, setModuleRow, toggleActionColumn, toggleGrant } from '../rights/matrix';

const RIGHTS_KEY = ['rights'] as const;

export function RightsPage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const me = useMe();
  const isPhone = useIsPhone();
  const q = useQuery({ queryKey: RIGHTS_KEY, queryFn: () => api<RightsDoc>('/rights') });
  const [draft, setDraft] = useState<Grants | null>(null);
  const [roleChoice, setRoleChoice] = useState<string>('all');

  const doc = q.data;
  const roleCodes = useMemo(() => doc?.roles.map((r) => r.code) ?? [], [doc]);
  const moduleCodes = useMemo(() => doc?.modules.map((m) => m.code) ?? [], [doc]);
  const actionCodes = useMemo(() => doc?.actions.map((a) => a.code) ?? [], [doc]);
  const baseline = useMemo(() => (doc ? normalizeGrants(doc.grants, roleCodes, moduleCodes, actionCodes) : {}), [doc, roleCodes, moduleCodes, actionCodes]);
  const grants = draft ?? baseline;
  const changes = draft ? countChanges(draft, baseline) : 0;
  // Only the admin may write (docs/api.md); others with `system` read see the matrix read-only.
  const canWrite = me.roles.includes(ADMIN_ROLE);

  const save = useMutation({
    mutationFn: () => api<RightsDoc>('/rights', { method: 'PUT', body: { grants } }),
    onSuccess: (saved) => {
      qc.setQueryData(RIGHTS_KEY, saved);
      setDraft(null);
      // My own permissions may have changed (menu entries).
      void qc.invalidateQueries({ queryKey: ['me'] });
      toast.show(t('rights.saved'));
    },
  });

  const label = (kind: 'roles' | 'modules' | 'actions', code: string, fallback: string) =>
    i18n.exists(`${kind}.${code}`) ? t(`${kind}.${code}`) : fallback;

  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError || !doc) {
    return (
      <div className="page" data-testid="rights-page">
        <PageHeader crumbs={[{ label: t('modules.system'), to: '/system' }, { label: t('nav.rights') }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }

  const nonAdmin = doc.roles.filter((r) => r.code !== ADMIN_ROLE);
  // On a phone the full grid (8 roles × 5 actions) is unreadable: one role at a time.
  const effectiveRole = isPhone && roleChoice === 'all' ? (nonAdmin[0]?.code ?? ADMIN_ROLE) : roleChoice;
  const shownRoles = effectiveRole === 'all' ? doc.roles : doc.roles.filter((r) => r.code === effectiveRole);
  const singleRole = canWrite && shownRoles.length === 1 && shownRoles[0].code !== ADMIN_ROLE ? shownRoles[0].code : null;
  const edit = (fn: (g: Grants) => Grants) => setDraft(fn(grants));

  return (
    <div className="page" data-testid="rights-page">
      <PageHeader
        crumbs={[{ label: t('modules.system'), to: '/system' }, { label: t('nav.rights') }]}
        actions={
          canWrite ? (
            <>
              <button type="button" className="btn btn-primary" disabled={changes === 0 || save.isPending} onClick={() => save.mutate()} data-testid="rights-save">
                {save.isPending ? t('common.saving') : t('common.save')}
              </button>
              <button type="button" className="btn btn-secondary" disabled={changes === 0 || save.isPending} onClick={() => setDraft(null)} data-testid="rights-discard">
                {t('common.discard')}
              </button>
              {changes > 0 && (
                <span className="unsaved" data-testid="rights-changes">
                  {t('rights.changes', { count: changes })}
                </span>
              )}
            </>
          ) : null
        }
      />
      <FormErrorSummary error={save.error} />
      <div className="rights-intro">
        <p className="muted">{t('rights.subtitle')}</p>
        <div className="rights-controls">
          <label className="filter">
            <span>{t('rights.role')}</span>
            <select className="input" value={effectiveRole} onChange={(e) => setRoleChoice(e.target.value)} data-testid="rights-role-select">
              {!isPhone && <option value="all">{t('rights.all_roles')}</option>}
              {doc.roles.map((r) => (
                <option key={r.code} value={r.code}>
                  {label('roles', r.code, r.label)}
                </option>
              ))}
            </select>
          </label>
          <div className="rights-legend" aria-label={t('rights.legend')}>
            {doc.actions.map((a) => (
              <span key={a.code} title={label('actions', a.code, a.label)}>
                <b>{t(`actions_short.${a.code}`, { defaultValue: a.code.slice(0, 1).toUpperCase() })}</b> {label('actions', a.code, a.label)}
              </span>
            ))}
            <span className="muted small">{t('rights.implies_read')}</span>
          </div>
        </div>
      </div>

      <div className="table-scroll rights-scroll">
        <table className="table rights-table" data-testid="rights-table">
          <thead>
            <tr>
              <th rowSpan={2} className="rights-module-col">
                {t('rights.module')}
              </th>
              {shownRoles.map((r) => (
                <th key={r.code} colSpan={doc.actions.length} className={`rights-role ${r.code === ADMIN_ROLE ? 'locked' : ''}`} data-testid={`rights-role-${r.code}`}>
                  {r.code === ADMIN_ROLE && <Icon name="lock" size={12} />} {label('roles', r.code, r.label)}
                </th>
              ))}
            </tr>
            <tr>
              {shownRoles.map((r) =>
                doc.actions.map((a, i) => {
                  const full = label('actions', a.code, a.label);
                  const short = t(`actions_short.${a.code}`, { defaultValue: a.code.slice(0, 1).toUpperCase() });
                  const locked = r.code === ADMIN_ROLE || !canWrite;
                  return (
                    <th key={`${r.code}-${a.code}`} className={`rights-action ${i === 0 ? 'group-start' : ''}`} title={full}>
                      {locked ? (
                        <span title={full}>{short}</span>
                      ) : (
                        <button
                          type="button"
                          className="th-action"
                          title={t('rights.toggle_column', { action: full })}
                          onClick={() => edit((g) => toggleActionColumn(g, r.code, a.code, moduleCodes))}
                        >
                          {short}
                        </button>
                      )}
                    </th>
                  );
                }),
              )}
            </tr>
          </thead>
          <tbody>
            {doc.modules.map((m) => (
              <tr key={m.code} data-testid={`rights-row-${m.code}`}>
                <th scope="row" className="rights-module-col">
                  <span className={m.built ? '' : 'muted'}>{label('modules', m.code, m.label)}</span>
                  {!m.built && <span className="badge-soon">{t('nav.soon')}</span>}
                  {singleRole && (
                    <button
                      type="button"
                      className="btn btn-link btn-xs"
                      title={t('rights.toggle_row')}
                      onClick={() => edit((g) => setModuleRow(g, singleRole, m.code, !actionCodes.every((a) => has(g, singleRole, m.code, a)), actionCodes))}
                      data-testid={`rights-row-toggle-${m.code}`}
                    >
                      {actionCodes.every((a) => has(grants, singleRole, m.code, a)) ? t('rights.none') : t('rights.all')}
                    </button>
                  )}
                </th>
                {shownRoles.map((r) => {
                  const locked = r.code === ADMIN_ROLE;
                  return doc.actions.map((a, i) => {
                    const full = label('actions', a.code, a.label);
                    const checked = locked || has(grants, r.code, m.code, a.code);
                    return (
                      <td key={`${r.code}-${a.code}`} className={`rights-cell ${i === 0 ? 'group-start' : ''} ${locked ? 'locked' : ''}`}>
                        <input
                          type="checkbox"
                          checked={checked}
                          disabled={locked || !canWrite}
                          title={locked ? t('rights.locked') : full}
                          aria-label={`${label('roles', r.code, r.label)} — ${label('modules', m.code, m.label)} — ${full}`}
                          onChange={() => edit((g) => toggleGrant(g, r.code, m.code, a.code))}
                          data-testid={`rights-${r.code}-${m.code}-${a.code}`}
                        />
                      </td>
                    );
                  });
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
