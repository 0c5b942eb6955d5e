import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import type { Certification, CertificationReminder, Employee } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { DataTable, type DataColumn, type FilterDef } from '../../components/DataTable';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field, FormErrorSummary, inputProps } from '../../components/Form';
import { AttachmentsPanel } from '../../components/AttachmentsPanel';
import { HistoryPanel } from '../../components/HistoryPanel';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { QrBadge } from '../../components/QrBadge';
import { useToast } from '../../components/Toast';
import { useFormat } from '../../lib/useFormat';
import { can } from '../../modules';
import { TextInput, usePostForm } from './InstrumentsPages';
import { skillsBody, skillsChanged, weeklyTotal } from './logic';
import { SpecFields, StateBadge, useFieldLabels, useResourceForm } from './ResourceForm';
import { CATEGORIES, CERT_KINDS, EMPLOYEE_SPECS, SKILLS } from './specs';

const DEFAULT_HOURS = ['7', '7', '7', '7', '7', '0', '0'];

function Reminders() {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({ queryKey: ['reminders'], queryFn: () => api<CertificationReminder[]>('/employees/reminders') });
  if (!q.data || q.data.length === 0) return null;
  return (
    <div className="banner banner-warn reminders" data-testid="reminders">
      <div className="banner-body">
        <strong>{t('employees.reminders_title')}</strong>
        <ul className="banner-list">
          {q.data.map((r) => (
            <li key={r.certification_id}>
              <Link to={`/employees/${r.employee_id}`}>{r.employee_name}</Link> — {r.kind_label} ({r.designation}) :{' '}
              {r.stage === 'expire'
                ? t('employees.expired_on', { date: f.date(r.expires_on) })
                : t('employees.expires_in', { date: f.date(r.expires_on), days: r.days_left, stage: r.stage === 'j10' ? 'J-10' : 'J-30' })}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function EmployeesListPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const columns = useMemo<DataColumn<Employee>[]>(
    () => [
      { id: 'matricule', header: t('employees.matricule'), sortKey: 'matricule', cell: (e) => <span className="mono">{e.matricule}</span>, className: 'nowrap' },
      { id: 'last_name', header: t('employees.name'), sortKey: 'last_name', cell: (e) => `${e.last_name} ${e.first_name}`, className: 'nowrap' },
      { id: 'job', header: t('employees.job_title'), cell: (e) => e.job_title ?? '' },
      { id: 'category', header: t('employees.category'), sortKey: 'category', cell: (e) => e.category_label, className: 'nowrap' },
      { id: 'hours', header: t('employees.weekly_total'), cell: (e) => `${f.number(e.weekly_total)} h`, className: 'num nowrap' },
      {
        id: 'skills',
        header: t('employees.skills'),
        cell: (e) =>
          Object.entries(e.skills)
            .filter(([, l]) => l >= 2)
            .map(([k]) => k)
            .join(', '),
      },
      {
        id: 'certs',
        header: t('employees.certifications'),
        cell: (e) => <StateBadge state={e.certifications_state} label={t(`cert_states.${e.certifications_state}`)} />,
      },
      { id: 'status', header: t('employees.status'), cell: (e) => <span className={`status-badge status-${e.status}`}>{e.status_label}</span>, hiddenByDefault: true },
    ],
    [t, f],
  );
  const filters = useMemo<FilterDef[]>(
    () => [
      { key: 'category', label: t('employees.category'), type: 'select', options: CATEGORIES.map((k) => ({ value: k, label: t(`categories.${k}`) })) },
      { key: 'skill', label: t('employees.skill_filter'), type: 'select', options: SKILLS.map((k) => ({ value: k, label: `${k} — ${t(`skills.${k}`)}` })) },
      {
        key: 'active',
        label: t('employees.status'),
        type: 'select',
        options: [
          { value: 'true', label: t('users.active_true') },
          { value: 'false', label: t('users.active_false') },
        ],
      },
    ],
    [t],
  );
  return (
    <div className="page" data-testid="employees-page">
      <PageHeader crumbs={[{ label: t('employees.title') }]} />
      <Reminders />
      <DataTable<Employee>
        tableId="employees"
        endpoint="/employees"
        columns={columns}
        filters={filters}
        defaultSort="matricule"
        rowKey={(e) => e.id}
        rowHref={(e) => `/employees/${e.id}`}
        exportName="personnel"
        actions={
          can(me, 'hr', 'create') ? (
            <Link to="/employees/new" className="btn btn-primary" data-testid="new-employee">
              <Icon name="plus" size={16} />
              <span>{t('employees.new')}</span>
            </Link>
          ) : null
        }
      />
    </div>
  );
}

function Certifications({ emp, onChanged }: { emp: Employee; onChanged: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const toast = useToast();
  const add = usePostForm<Certification>(`/employees/${emp.id}/certifications`, ['kind', 'designation', 'issued_on', 'expires_on'], () => {
    toast.show(t('employees.certification_added'));
    onChanged();
  });
  return (
    <section className="res-panel" data-testid="certifications">
      <h3>{t('employees.certifications')}</h3>
      <table className="res-table">
        <thead>
          <tr>
            <th>{t('employees.cert_kind')}</th>
            <th>{t('employees.designation')}</th>
            <th>{t('employees.issued_on')}</th>
            <th>{t('employees.expires_on')}</th>
            <th>{t('employees.cert_state')}</th>
          </tr>
        </thead>
        <tbody>
          {emp.certifications.map((c) => (
            <tr key={c.id}>
              <td>{c.kind_label}</td>
              <td>{c.designation}</td>
              <td className="nowrap">{f.date(c.issued_on)}</td>
              <td className="nowrap">{c.expires_on ? f.date(c.expires_on) : t('employees.no_expiry')}</td>
              <td className="nowrap">
                <StateBadge state={c.state} label={c.state_label} />
                {c.days_left !== null && c.days_left >= 0 && c.days_left <= 30 && <span className="muted"> {t('employees.days_left', { days: c.days_left })}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {can(me, 'hr', 'update') && (
        <form className="res-inline-form" onSubmit={add.submit} noValidate data-testid="certification-form">
          <Field name="kind" label={t('employees.cert_kind')} error={add.form.errorFor('kind')}>
            <select {...inputProps('kind', add.form.errorFor('kind'))} className="input" value={add.v.kind ?? ''} onChange={(e) => add.set('kind', e.target.value)}>
              <option value="">{t('resources.choose')}</option>
              {CERT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`cert_kinds.${k}`)}
                </option>
              ))}
            </select>
          </Field>
          <TextInput name="designation" label={t('employees.designation')} p={add} />
          <TextInput name="issued_on" label={t('employees.issued_on')} type="date" p={add} />
          <TextInput name="expires_on" label={t('employees.expires_on')} type="date" p={add} />
          <button type="submit" className="btn btn-secondary" disabled={add.m.isPending} data-testid="add-certification">
            {t('employees.add_certification')}
          </button>
        </form>
      )}
      <FormErrorSummary error={add.form.error} unmatched={add.form.unmatched} />
    </section>
  );
}

function EmployeeForm({ emp, onSaved }: { emp: Employee | null; onSaved: (e: Employee) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const editable = can(me, 'hr', emp ? 'update' : 'create');
  const fieldLabels = useFieldLabels(EMPLOYEE_SPECS, {
    hourly_cost_cents: 'hourly_cost',
    weekly_hours: 'employees.weekly_hours',
    skills: 'employees.skills_matrix',
    kind: 'employees.cert_kind',
    designation: 'employees.designation',
    issued_on: 'employees.issued_on',
    expires_on: 'employees.expires_on',
  });
  const [hours, setHours] = useState<string[]>(emp?.weekly_hours ?? DEFAULT_HOURS);
  const [skills, setSkills] = useState<Record<string, number>>(emp?.skills ?? {});
  const hoursChanged = hours.join('|') !== (emp?.weekly_hours ?? DEFAULT_HOURS).join('|');
  const r = useResourceForm<Employee>({
    specs: EMPLOYEE_SPECS,
    record: emp,
    endpoint: '/employees',
    extraFields: ['weekly_hours', 'skills'],
    extraBody: () => ({
      ...(hoursChanged || !emp ? { weekly_hours: hours } : {}),
      ...(skillsChanged(skills, emp?.skills ?? {}) ? { skills: skillsBody(SKILLS, skills) } : {}),
    }),
    savedMessage: t('employees.saved'),
    onSaved: (e) => {
      void qc.invalidateQueries({ queryKey: ['reminders'] });
      if (!emp) navigate(`/employees/${e.id}`, { replace: true });
      else onSaved(e);
    },
  });
  const days = t('employees.weekdays').split(',');
  const title = emp ? `${emp.matricule} — ${emp.full_name}` : t('employees.new');
  return (
    <div className="page" data-testid={emp ? 'employee-edit' : 'employee-create'}>
      <PageHeader
        crumbs={[{ label: t('employees.title'), to: '/employees' }, { label: title }]}
        actions={
          editable ? (
            <>
              <button type="submit" form="employee-form" className="btn btn-primary" disabled={(emp && !r.dirty) || r.save.isPending} data-testid="save">
                {r.save.isPending ? t('common.saving') : t('common.save')}
              </button>
              {emp ? (
                <button
                  type="button"
                  className="btn btn-secondary"
                  disabled={!r.dirty}
                  onClick={() => {
                    r.reset();
                    setHours(emp.weekly_hours);
                    setSkills(emp.skills);
                  }}
                >
                  {t('common.discard')}
                </button>
              ) : (
                <Link to="/employees" className="btn btn-secondary">
                  {t('common.cancel')}
                </Link>
              )}
            </>
          ) : null
        }
      />
      <div className="form-layout">
        <div className="sheet">
          <div className="sheet-body">
            {emp && (
              <div className="sheet-title">
                <h2 data-testid="employee-title">{title}</h2>
                <span className="muted">{emp.job_title}</span>
                <StateBadge state={emp.certifications_state} label={t(`cert_states.${emp.certifications_state}`)} />
              </div>
            )}
            <FormErrorSummary error={r.form.error} unmatched={r.form.unmatched} onReload={() => void qc.invalidateQueries({ queryKey: ['employee'] })} />
            <form id="employee-form" className="form-grid" onSubmit={r.submit} noValidate>
              <SpecFields specs={EMPLOYEE_SPECS} values={r.values} set={r.set} errorFor={r.form.errorFor} editable={editable} />
              <div className="span-2 spec-cell">
                <Field name="weekly_hours" label={t('employees.weekly_hours')} error={r.form.errorFor('weekly_hours')} asGroup>
                  <div className="hours-grid">
                    {hours.map((h, i) => (
                      <label key={i}>
                        {days[i]}
                        <input
                          className="input"
                          inputMode="decimal"
                          readOnly={!editable}
                          value={h}
                          data-testid={`hours-${i}`}
                          onChange={(e) => {
                            const next = [...hours];
                            next[i] = e.target.value;
                            setHours(next);
                            r.form.clearField('weekly_hours');
                          }}
                        />
                      </label>
                    ))}
                    <label>
                      {t('employees.total')}
                      <strong data-testid="hours-total">{f.number(weeklyTotal(hours))} h</strong>
                    </label>
                  </div>
                </Field>
              </div>
              <div className="span-2 spec-cell">
                <Field name="skills" label={t('employees.skills_matrix')} error={r.form.errorFor('skills')} hint={t('employees.levels_hint')} asGroup>
                  <div className="skills-grid">
                    {SKILLS.map((k) => (
                      <label key={k} className={(skills[k] ?? 0) === 0 ? 'skill-level-0' : undefined}>
                        <span title={t(`skills.${k}`)}>
                          <span className="mono">{k}</span> {t(`skills.${k}`)}
                        </span>
                        <select
                          className="input"
                          disabled={!editable}
                          value={skills[k] ?? 0}
                          data-testid={`skill-${k}`}
                          onChange={(e) => setSkills((s) => ({ ...s, [k]: Number(e.target.value) }))}
                        >
                          {[0, 1, 2, 3].map((l) => (
                            <option key={l} value={l}>
                              {l} — {t(`levels.l${l}`)}
                            </option>
                          ))}
                        </select>
                      </label>
                    ))}
                  </div>
                </Field>
              </div>
            </form>
            {emp && <Certifications emp={emp} onChanged={() => { void qc.invalidateQueries({ queryKey: ['employee', String(emp.id)] }); void qc.invalidateQueries({ queryKey: ['reminders'] }); }} />}
          </div>
        </div>
        {emp && (
          <div className="side">
            <QrBadge entity="employees" id={emp.id} caption={emp.full_name} subCaption={emp.matricule} />
            <AttachmentsPanel entity="employees" entityId={emp.id} />
            <HistoryPanel entity="employees" id={emp.id} version={emp.version} fieldLabels={fieldLabels} />
          </div>
        )}
      </div>
    </div>
  );
}

function EmployeeLoader({ id }: { id: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['employee', id], queryFn: () => api<Employee>(`/employees/${id}`) });
  if (q.isPending) return <div className="page muted">{t('common.loading')}</div>;
  if (q.isError) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: t('employees.title'), to: '/employees' }, { label: `#${id}` }]} />
        <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  }
  const key = `${q.data.id}-${q.data.version}-${q.data.certifications.map((c) => c.version).join('.')}-${q.data.certifications.length}`;
  return <EmployeeForm key={key} emp={q.data} onSaved={(e) => qc.setQueryData(['employee', id], e)} />;
}

export function EmployeeFormPage() {
  const { id } = useParams();
  if (!id || id === 'new') return <EmployeeForm emp={null} onSaved={() => undefined} />;
  return <EmployeeLoader key={id} id={id} />;
}
