// /planning/temps-de-travail — planned hours per person for a week against the French limits
// (10 h a day, 48 h a week, 44 h on average over 12 weeks), contract hours, overtime and alerts.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { limitBreaches } from './logic';
import { PlanningTabs } from './PlanningTabs';
import { DiagnosticList } from './ProposalPanel';
import { addDays, hoursLabel, isoWeek, mondayOfIsoWeek, shortDate, toLocalDay } from './time';
import type { WorkingTimeView } from './types';
import './planning.css';

export function WorkingTimePage() {
  const { t } = useTranslation();
  const [week, setWeek] = useState(() => isoWeek(new Date()));
  const q = useQuery({ queryKey: ['planning', 'working-time', week], queryFn: () => api<WorkingTimeView>('/planning/working-time', { query: { week } }) });
  const monday = mondayOfIsoWeek(week);
  const days = monday ? Array.from({ length: 7 }, (_, i) => toLocalDay(addDays(monday, i))) : [];
  const shift = (n: number) => monday && setWeek(isoWeek(addDays(monday, 7 * n)));
  const l = q.data?.limits;
  return (
    <div className="page pl-page" data-testid="planning-working-time">
      <PageHeader
        crumbs={[{ label: t('planning.title'), to: '/planning' }, { label: t('planning.wt.title') }]}
        actions={
          <div className="pl-seg">
            <button type="button" className="btn btn-sm btn-secondary" onClick={() => shift(-1)} aria-label={t('planning.prev')}>
              ‹
            </button>
            <label className="form-inline small">
              <span className="pl-sr">{t('planning.wt.week')}</span>
              <input className="input input-sm" type="week" value={week} onChange={(e) => e.target.value && setWeek(e.target.value)} data-testid="wt-week" />
            </label>
            <button type="button" className="btn btn-sm btn-secondary" onClick={() => shift(1)} aria-label={t('planning.next')}>
              ›
            </button>
          </div>
        }
      >
        <PlanningTabs />
      </PageHeader>
      {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
      {q.isPending && <p className="muted">{t('common.loading')}</p>}
      {q.data && l && (
        <section className="panel">
          <p className="small" data-testid="wt-limits">
            {t('planning.wt.limits', { day: hoursLabel(l.day_min), week: hoursLabel(l.week_min), avg: hoursLabel(l.avg_week_min), weeks: l.avg_weeks })}
          </p>
          {q.data.people.length === 0 ? (
            <p className="muted">{t('planning.wt.empty')}</p>
          ) : (
            <div className="table-scroll">
              <table className="table table-compact pl-wt" data-testid="wt-table">
                <thead>
                  <tr>
                    <th>{t('planning.wt.person')}</th>
                    {days.map((d) => (
                      <th key={d}>{shortDate(d).slice(0, 5)}</th>
                    ))}
                    <th>{t('planning.wt.week_total')}</th>
                    <th>{t('planning.wt.contract')}</th>
                    <th>{t('planning.wt.overtime')}</th>
                    <th>{t('planning.wt.avg', { weeks: l.avg_weeks })}</th>
                    <th>{t('planning.wt.alerts')}</th>
                  </tr>
                </thead>
                <tbody>
                  {q.data.people.map((p) => {
                    const b = limitBreaches(p, l);
                    return (
                      <tr key={p.id} data-testid={`wt-row-${p.id}`}>
                        <td>{p.name}</td>
                        {days.map((d) => {
                          const v = p.days.find((x) => x.day === d)?.planned_min ?? 0;
                          return (
                            <td key={d} className={b.days.includes(d) ? 'pl-over-limit' : ''}>
                              {v > 0 ? hoursLabel(v) : '·'}
                            </td>
                          );
                        })}
                        <td className={b.week ? 'pl-over-limit' : ''}>{hoursLabel(p.week_min)}</td>
                        <td>{hoursLabel(p.contract_week_min)}</td>
                        <td className={p.overtime_min > 0 ? 'pl-warn' : ''}>{p.overtime_min > 0 ? hoursLabel(p.overtime_min) : '—'}</td>
                        <td className={b.avg ? 'pl-over-limit' : ''}>{hoursLabel(p.avg_week_min)}</td>
                        <td className="pl-alerts">{p.alerts.length ? <DiagnosticList items={p.alerts} /> : <span className="small muted">{t('planning.wt.no_alert')}</span>}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <p className="small muted">{t('planning.wt.overtime_hint')}</p>
        </section>
      )}
    </div>
  );
}
