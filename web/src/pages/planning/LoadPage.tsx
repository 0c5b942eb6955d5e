// /planning/charge — planned load per machine and ISO week, as a heat map (over 85 % orange,
// over 100 % red).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { loadClass, percent } from './logic';
import { PlanningTabs } from './PlanningTabs';
import { hoursLabel, mondayOfIsoWeek, shortDate, toLocalDay } from './time';
import type { LoadView } from './types';
import './planning.css';

export function LoadPage() {
  const { t } = useTranslation();
  const [weeks, setWeeks] = useState(8);
  const q = useQuery({ queryKey: ['planning', 'load', weeks], queryFn: () => api<LoadView>('/planning/load', { query: { weeks } }) });
  return (
    <div className="page pl-page" data-testid="planning-load">
      <PageHeader
        crumbs={[{ label: t('planning.title'), to: '/planning' }, { label: t('planning.load.title') }]}
        actions={
          <label className="form-inline small">
            {t('planning.load.weeks')}{' '}
            <select className="input input-sm" value={weeks} onChange={(e) => setWeeks(Number(e.target.value))} data-testid="load-weeks">
              {[4, 8, 12, 26].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        }
      >
        <PlanningTabs />
      </PageHeader>
      {q.isError && <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />}
      {q.isPending && <p className="muted">{t('common.loading')}</p>}
      {q.data &&
        (q.data.machines.length === 0 ? (
          <p className="muted">{t('planning.load.empty')}</p>
        ) : (
          <section className="panel">
            <div className="table-scroll">
              <table className="table table-compact pl-heat" data-testid="load-table">
                <thead>
                  <tr>
                    <th>{t('planning.load.machine')}</th>
                    {q.data.weeks.map((w) => {
                      const monday = mondayOfIsoWeek(w);
                      return (
                        <th key={w} className="pl-cell" title={monday ? shortDate(toLocalDay(monday)) : undefined}>
                          {w.replace(/^\d{4}-/, '')}
                          {monday && <div className="small muted">{shortDate(toLocalDay(monday)).slice(0, 5)}</div>}
                        </th>
                      );
                    })}
                  </tr>
                </thead>
                <tbody>
                  {q.data.machines.map((m) => (
                    <tr key={m.id} data-testid={`load-row-${m.id}`}>
                      <th scope="row">
                        <span className="mono">{m.code}</span> <span className="small muted">{m.name}</span>
                      </th>
                      {q.data.weeks.map((w) => {
                        const c = m.cells.find((x) => x.week === w);
                        if (!c) return <td key={w} className="pl-cell pl-cell-none">—</td>;
                        const cls = loadClass(c.ratio, c.capacity_min);
                        return (
                          <td key={w} className={`pl-cell ${cls}`} title={t('planning.load.cell', { planned: hoursLabel(c.planned_min), capacity: hoursLabel(c.capacity_min) })} data-ratio={c.ratio}>
                            {c.capacity_min > 0 ? percent(c.ratio) : '—'}
                            <div className="small">{hoursLabel(c.planned_min)}</div>
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="small muted">{t('planning.load.legend')}</p>
          </section>
        ))}
    </div>
  );
}
