// The week editor of the "Calendriers" screen: one line per weekday, its shifts as pairs of
// HH:MM fields (text, so "24:00" can be typed — a time input stops at 23:59), add / remove a
// shift, the day's and the week's totals. Each row's problem is shown under it in French as
// soon as the row is left, or for all rows after a save attempt.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/Icon';
import { copyDay, dayMinutes, newShiftFor, WEEKDAYS, weekMinutes, type ShiftError, type ShiftRow } from './calendar';
import { hoursLabel } from './time';

export function WeekGrid({
  rows,
  onChange,
  errors,
  showAll,
  readOnly,
  serverError,
  testId,
}: {
  rows: ShiftRow[];
  onChange: (rows: ShiftRow[]) => void;
  errors: Map<number, ShiftError>;
  /** After a save attempt: every row's problem, touched or not. */
  showAll: boolean;
  readOnly: boolean;
  /** The server's 422 message for the week (field `shifts` / `shop_shifts`). */
  serverError?: string | null;
  testId: string;
}) {
  const { t } = useTranslation();
  const [touched, setTouched] = useState<Set<number>>(() => new Set());
  const touch = (key: number) => setTouched((s) => (s.has(key) ? s : new Set(s).add(key)));
  const set = (key: number, patch: Partial<ShiftRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const dayName = (d: number) => t(`planning.settings.weekdays.${d}`);
  const errText = (e: ShiftError) => t(`planning.cal.err.${e.code}`, { other: e.other });

  return (
    <div className="pl-week" data-testid={testId}>
      <div className="table-scroll">
        <table className="table table-compact pl-week-table">
          <thead>
            <tr>
              <th scope="col">{t('planning.cal.weekday')}</th>
              <th scope="col">{t('planning.cal.shifts')}</th>
              <th scope="col" className="num">
                {t('planning.cal.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {WEEKDAYS.map((d) => {
              const mine = rows.filter((r) => r.weekday === d);
              const total = dayMinutes(rows, d);
              return (
                <tr key={d} data-testid={`${testId}-day-${d}`} className={mine.length === 0 ? 'pl-week-off' : undefined}>
                  <th scope="row" className="pl-week-day">
                    {dayName(d)}
                  </th>
                  <td>
                    <div className="pl-week-shifts">
                      {mine.length === 0 && <span className="muted small">{t('planning.cal.closed')}</span>}
                      {mine.map((r) => {
                        const e = errors.get(r.key);
                        // An overlap concerns both rows: shown on the other one too once either is left.
                        const seen = showAll || touched.has(r.key) || (e?.code === 'overlap' && mine.some((x) => touched.has(x.key)));
                        const shown = e && seen ? e : null;
                        const label = `${r.start}–${r.end}`;
                        const badStart = shown?.code === 'start_format';
                        const badEnd = shown != null && !badStart;
                        return (
                          <div key={r.key} className={`pl-shift ${shown ? 'has-error' : ''}`} data-testid={`shift-row-${r.key}`} data-weekday={d}>
                            <div className="pl-shift-inputs">
                              <input
                                className="input input-sm pl-time"
                                value={r.start}
                                inputMode="numeric"
                                maxLength={5}
                                placeholder="HH:MM"
                                disabled={readOnly}
                                aria-label={`${t('planning.cal.start')} (${dayName(d)})`}
                                aria-invalid={badStart || undefined}
                                onChange={(ev) => set(r.key, { start: ev.target.value })}
                                onBlur={() => touch(r.key)}
                                data-testid="shift-start"
                              />
                              <span aria-hidden="true">–</span>
                              <input
                                className="input input-sm pl-time"
                                value={r.end}
                                inputMode="numeric"
                                maxLength={5}
                                placeholder="HH:MM"
                                disabled={readOnly}
                                aria-label={`${t('planning.cal.end')} (${dayName(d)})`}
                                aria-invalid={badEnd || undefined}
                                onChange={(ev) => set(r.key, { end: ev.target.value })}
                                onBlur={() => touch(r.key)}
                                data-testid="shift-end"
                              />
                              {!readOnly && (
                                <button
                                  type="button"
                                  className="icon-btn"
                                  onClick={() => onChange(rows.filter((x) => x.key !== r.key))}
                                  aria-label={t('planning.cal.remove_shift', { label, day: dayName(d) })}
                                  title={t('planning.cal.remove_shift', { label, day: dayName(d) })}
                                  data-testid="shift-remove"
                                >
                                  <Icon name="x" size={14} />
                                </button>
                              )}
                            </div>
                            {shown && (
                              <div className="field-error" data-testid="shift-error" data-code={shown.code}>
                                {errText(shown)}
                              </div>
                            )}
                          </div>
                        );
                      })}
                      {!readOnly && (
                        <button
                          type="button"
                          className="btn btn-xs btn-secondary pl-add-shift"
                          onClick={() => onChange([...rows, newShiftFor(rows, d)])}
                          aria-label={t('planning.cal.add_shift_day', { day: dayName(d) })}
                          data-testid={`${testId}-add-${d}`}
                        >
                          <Icon name="plus" size={12} /> {t('planning.cal.add_shift')}
                        </button>
                      )}
                    </div>
                  </td>
                  <td className="num pl-week-total">{total > 0 ? hoursLabel(total) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="pl-week-foot">
        <strong data-testid={`${testId}-total`}>{t('planning.cal.week_total', { total: hoursLabel(weekMinutes(rows)) })}</strong>
        {!readOnly && rows.some((r) => r.weekday === 0) && (
          <button type="button" className="btn btn-xs btn-secondary" onClick={() => onChange(copyDay(rows, 0, [1, 2, 3, 4]))} data-testid={`${testId}-copy-monday`}>
            {t('planning.cal.copy_monday')}
          </button>
        )}
      </div>
      {!readOnly && <p className="small muted">{t('planning.cal.time_hint')}</p>}
      {serverError && (
        <div className="field-error" role="alert" data-testid={`${testId}-server-error`}>
          {serverError}
        </div>
      )}
    </div>
  );
}
