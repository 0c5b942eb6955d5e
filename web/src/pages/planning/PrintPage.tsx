// /planning/imprimer?from=&to= — the plan per machine as plain tables that print on A4
// landscape (no menu, no buttons), with the plan revision and the print date.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { useFormat } from '../../lib/useFormat';
import { opsByMachine } from './logic';
import { partRef } from './gantt';
import { addDays, shortDate, shortDateTime, toLocalDay } from './time';
import type { Board } from './types';
import './planning.css';

export function PrintPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [sp, setSp] = useSearchParams();
  const today = new Date();
  const from = sp.get('from') || toLocalDay(today);
  const to = sp.get('to') || toLocalDay(addDays(today, 6));
  const q = useQuery({ queryKey: ['planning', 'board', 'print', from, to], queryFn: () => api<Board>('/planning/board', { query: { from, to } }) });
  const b = q.data;
  const people = new Map((b?.people ?? []).map((p) => [p.id, p.name]));
  const groups = b ? opsByMachine(b.machines, b.ops, from, to) : [];
  return (
    <div className="page pl-print" data-testid="planning-print">
      <div className="pl-no-print pl-toolbar">
        <label className="form-inline small">
          {t('planning.print_view.from')}{' '}
          <input className="input input-sm" type="date" value={from} onChange={(e) => e.target.value && setSp({ from: e.target.value, to })} />
        </label>
        <label className="form-inline small">
          {t('planning.print_view.to')}{' '}
          <input className="input input-sm" type="date" value={to} onChange={(e) => e.target.value && setSp({ from, to: e.target.value })} />
        </label>
        <button type="button" className="btn btn-primary btn-sm" onClick={() => window.print()} data-testid="print-now">
          <Icon name="printer" size={14} /> {t('planning.print_view.print')}
        </button>
      </div>
      <h1>{t('planning.print_view.title')}</h1>
      {b && (
        <p className="small" data-testid="print-subtitle">
          {t('planning.print_view.subtitle', { from: shortDate(from), to: shortDate(to), rev: b.revision, date: f.dateTime(new Date()) })}
        </p>
      )}
      {q.isError && <ErrorBanner error={q.error} />}
      {b && groups.length === 0 && <p className="muted">{t('planning.print_view.empty')}</p>}
      {groups.map((g) => (
        <section key={g.machine?.id ?? 'none'} className="pl-print-machine" data-testid={`print-machine-${g.machine?.id ?? 'none'}`}>
          <h2>{g.machine ? `${g.machine.code} · ${g.machine.name}` : t('planning.no_machine')}</h2>
          <table className="table table-compact">
            <thead>
              <tr>
                <th>{t('planning.print_view.start')}</th>
                <th>{t('planning.print_view.end')}</th>
                <th>{t('planning.print_view.job')}</th>
                <th>{t('planning.print_view.part')}</th>
                <th>{t('planning.print_view.op')}</th>
                <th>{t('planning.print_view.person')}</th>
                <th>{t('planning.print_view.due')}</th>
              </tr>
            </thead>
            <tbody>
              {g.ops.map((o) => (
                <tr key={o.op_id}>
                  <td>{shortDateTime(o.start)}</td>
                  <td>{shortDateTime(o.end)}</td>
                  <td className="mono">{o.job_number}</td>
                  <td>{partRef(o.part)}</td>
                  <td>
                    {o.position} {o.label}
                  </td>
                  <td>{o.person_id != null ? (people.get(o.person_id) ?? '') : '—'}</td>
                  <td>
                    {shortDate(o.due)}
                    {o.late && <strong className="pl-bad"> ({t('planning.print_view.late')})</strong>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
