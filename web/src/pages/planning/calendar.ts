// Pure helpers of the "Calendriers" screen: the week editor's rows (one per shift, times typed
// as HH:MM), their checks — the same rules as the server's `validate_shifts` (start before
// end, 24:00 at the latest, no two shifts of a day overlapping), checked before sending so the
// person sees which row is wrong — and the shop's closed days.
import type { ShopShift } from './types';

/** One shift as typed: weekday 0 = Monday … 6 = Sunday, times as text ("07:30"). */
export interface ShiftRow {
  key: number;
  weekday: number;
  start: string;
  end: string;
}

export interface ClosureRow {
  key: number;
  day: string;
  label: string;
}

export type ShiftErrorCode = 'start_format' | 'end_format' | 'over_24h' | 'end_before_start' | 'overlap';

export interface ShiftError {
  code: ShiftErrorCode;
  /** The other shift, for `overlap` ("07:00–12:00"). */
  other?: string;
}

export type ClosureErrorCode = 'day_required' | 'label_required' | 'label_too_long' | 'duplicate_day';

export const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;
export const DAY_MIN = 24 * 60;

/**
 * "07:30", "7:30", "7h30", "7h", "7" or "0730" → minutes after midnight; anything else → null.
 * Values past 24:00 are returned as they are (the check says "24:00 au plus").
 */
export function parseHhmm(s: string): number | null {
  const v = s.trim();
  let m = /^(\d{1,2})\s*[:hH]\s*(\d{2})?$/.exec(v) ?? /^(\d{1,2})$/.exec(v);
  if (!m) {
    const compact = /^(\d{2})(\d{2})$/.exec(v);
    if (!compact) return null;
    m = compact;
  }
  const h = Number(m[1]);
  const min = m[2] ? Number(m[2]) : 0;
  if (min >= 60) return null;
  return h * 60 + min;
}

/** 450 → "07:30"; 1440 → "24:00". */
export function formatHhmm(min: number): string {
  const h = Math.floor(min / 60);
  return `${String(h).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

export function shiftLabel(s: { start_min: number; end_min: number }): string {
  return `${formatHhmm(s.start_min)}–${formatHhmm(s.end_min)}`;
}

let nextKey = 1;
/** A fresh row key (React keys and error map keys; never sent). */
export function rowKey(): number {
  return nextKey++;
}

export function rowsFromShifts(shifts: ShopShift[]): ShiftRow[] {
  return [...shifts]
    .sort((a, b) => a.weekday - b.weekday || a.start_min - b.start_min)
    .map((s) => ({ key: rowKey(), weekday: s.weekday, start: formatHhmm(s.start_min), end: formatHhmm(s.end_min) }));
}

/**
 * The checks of each row, keyed by row key; an empty map means the week can be sent. A row
 * gets its first problem only (format, then 24:00, then order, then overlap); an overlap marks
 * both rows, each naming the other.
 */
export function validateShiftRows(rows: ShiftRow[]): Map<number, ShiftError> {
  const errors = new Map<number, ShiftError>();
  const ok: { key: number; weekday: number; start_min: number; end_min: number }[] = [];
  for (const r of rows) {
    const a = parseHhmm(r.start);
    const b = parseHhmm(r.end);
    if (a == null) errors.set(r.key, { code: 'start_format' });
    else if (b == null) errors.set(r.key, { code: 'end_format' });
    else if (a > DAY_MIN || b > DAY_MIN) errors.set(r.key, { code: 'over_24h' });
    else if (b <= a) errors.set(r.key, { code: 'end_before_start' });
    else ok.push({ key: r.key, weekday: r.weekday, start_min: a, end_min: b });
  }
  ok.sort((x, y) => x.weekday - y.weekday || x.start_min - y.start_min);
  for (let i = 0; i < ok.length; i++) {
    for (let j = i + 1; j < ok.length && ok[j].weekday === ok[i].weekday; j++) {
      if (ok[j].start_min < ok[i].end_min) {
        if (!errors.has(ok[i].key)) errors.set(ok[i].key, { code: 'overlap', other: shiftLabel(ok[j]) });
        if (!errors.has(ok[j].key)) errors.set(ok[j].key, { code: 'overlap', other: shiftLabel(ok[i]) });
      }
    }
  }
  return errors;
}

/** The rows as the API takes them (`ShiftView`), by day then start; rows that do not parse are left out. */
export function shiftsFromRows(rows: ShiftRow[]): ShopShift[] {
  const out: ShopShift[] = [];
  for (const r of rows) {
    const a = parseHhmm(r.start);
    const b = parseHhmm(r.end);
    if (a != null && b != null) out.push({ weekday: r.weekday, start_min: a, end_min: b });
  }
  return out.sort((a, b) => a.weekday - b.weekday || a.start_min - b.start_min);
}

/** Worked minutes of a day: valid rows only, overlapping ones counted once. */
export function dayMinutes(rows: ShiftRow[], weekday: number): number {
  let total = 0;
  let reached = 0;
  for (const s of shiftsFromRows(rows.filter((r) => r.weekday === weekday))) {
    if (s.end_min <= s.start_min || s.end_min > DAY_MIN) continue;
    const from = Math.max(s.start_min, reached);
    if (s.end_min > from) total += s.end_min - from;
    reached = Math.max(reached, s.end_min);
  }
  return total;
}

export function weekMinutes(rows: ShiftRow[]): number {
  return WEEKDAYS.reduce<number>((n, d) => n + dayMinutes(rows, d), 0);
}

/** The same week, whatever the order and the spelling of the times ("7:30" = "07:30"). */
export function sameWeek(a: ShopShift[], b: ShopShift[]): boolean {
  const k = (s: ShopShift[]) => JSON.stringify([...s].sort((x, y) => x.weekday - y.weekday || x.start_min - y.start_min));
  return k(a) === k(b);
}

/** Copies the shifts of one day onto other days (their own shifts are replaced). */
export function copyDay(rows: ShiftRow[], from: number, to: number[]): ShiftRow[] {
  const src = rows.filter((r) => r.weekday === from);
  const kept = rows.filter((r) => !to.includes(r.weekday));
  const copies = to.flatMap((d) => src.map((r) => ({ ...r, key: rowKey(), weekday: d })));
  return [...kept, ...copies].sort((a, b) => a.weekday - b.weekday || (parseHhmm(a.start) ?? 0) - (parseHhmm(b.start) ?? 0));
}

/** A new shift for a day: after its last shift (one hour, till 24:00 at most), else 07:30–12:00. */
export function newShiftFor(rows: ShiftRow[], weekday: number): ShiftRow {
  const ends = rows.filter((r) => r.weekday === weekday).map((r) => parseHhmm(r.end) ?? 0);
  const last = ends.length ? Math.max(...ends) : null;
  if (last == null) return { key: rowKey(), weekday, start: '07:30', end: '12:00' };
  const start = Math.min(last + 60, DAY_MIN - 60);
  return { key: rowKey(), weekday, start: formatHhmm(start), end: formatHhmm(Math.min(start + 240, DAY_MIN)) };
}

/** Checks of the closed days, keyed by row key: the server wants a label and each day once. */
export function validateClosureRows(rows: ClosureRow[]): Map<number, ClosureErrorCode> {
  const errors = new Map<number, ClosureErrorCode>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(r.day)) errors.set(r.key, 'day_required');
    else if (seen.has(r.day)) errors.set(r.key, 'duplicate_day');
    else if (!r.label.trim()) errors.set(r.key, 'label_required');
    else if (r.label.trim().length > 200) errors.set(r.key, 'label_too_long');
    if (/^\d{4}-\d{2}-\d{2}$/.test(r.day)) seen.add(r.day);
  }
  return errors;
}

export function closuresFromRows(rows: ClosureRow[]): { day: string; label: string }[] {
  return rows.map((r) => ({ day: r.day, label: r.label.trim() })).sort((a, b) => a.day.localeCompare(b.day));
}

export function rowsFromClosures(c: { day: string; label: string }[]): ClosureRow[] {
  return [...c].sort((a, b) => a.day.localeCompare(b.day)).map((x) => ({ key: rowKey(), day: x.day, label: x.label }));
}

/** Which part of the editor a server field error belongs to (422 `errors[].field`). */
export function fieldSection(field: string): 'shifts' | 'closures' | null {
  if (field === 'shifts' || field === 'shop_shifts' || field.startsWith('shifts[') || field.startsWith('shop_shifts[')) return 'shifts';
  if (field === 'closures' || field.startsWith('closures[')) return 'closures';
  return null;
}

/**
 * A week in one line, consecutive days with the same hours grouped:
 * "Lun–Jeu 07:30–12:00, 13:00–17:00 · Ven 07:30–12:30". `days` are the short day names.
 */
export function weekSummary(shifts: ShopShift[], days: string[], closed: string): string {
  const perDay = WEEKDAYS.map((d) =>
    shifts
      .filter((s) => s.weekday === d)
      .sort((a, b) => a.start_min - b.start_min)
      .map(shiftLabel)
      .join(', '),
  );
  const parts: string[] = [];
  let i = 0;
  while (i < 7) {
    let j = i;
    while (j + 1 < 7 && perDay[j + 1] === perDay[i]) j++;
    if (perDay[i]) parts.push(`${i === j ? days[i] : `${days[i]}–${days[j]}`} ${perDay[i]}`);
    i = j + 1;
  }
  return parts.length ? parts.join(' · ') : closed;
}
