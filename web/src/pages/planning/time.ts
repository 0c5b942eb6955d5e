// Shop wall-clock times. The planning API speaks "2026-12-08T07:30:00" (Europe/Paris wall clock,
// no offset); the Gantt works with Date objects. Both directions use the browser's local fields
// (never UTC), so a bar drawn at 07:30 is sent back as 07:30 whatever the browser's zone.

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/;

/** "2026-12-08T07:30:00" (or "2026-12-08") → local Date; unparsable → Invalid Date. */
export function parseLocal(s: string): Date {
  const m = NAIVE.exec(s);
  if (!m) return new Date(Number.NaN);
  return new Date(+m[1], +m[2] - 1, +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local Date → "2026-12-08T07:30:00". */
export function toLocalIso(d: Date): string {
  return `${toLocalDay(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local Date → "2026-12-08". */
export function toLocalDay(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "2026-12-08T07:30:00" → "08/12 07:30" (with the year when `withYear`). */
export function shortDateTime(s: string | null | undefined, withYear = false): string {
  if (!s) return '';
  const m = NAIVE.exec(s);
  if (!m) return s;
  const day = withYear ? `${m[3]}/${m[2]}/${m[1]}` : `${m[3]}/${m[2]}`;
  return m[4] ? `${day} ${m[4]}:${m[5]}` : day;
}

/** "2026-12-15" → "15/12/2026". */
export function shortDate(s: string | null | undefined): string {
  if (!s) return '';
  const m = NAIVE.exec(s);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : s;
}

export function addMinutes(d: Date, min: number): Date {
  return new Date(d.getTime() + min * 60_000);
}

export function addDays(d: Date, days: number): Date {
  const r = new Date(d);
  r.setDate(r.getDate() + days);
  return r;
}

export function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

/** Monday 00:00 of the week of `d`. */
export function startOfWeek(d: Date): Date {
  const s = startOfDay(d);
  const wd = (s.getDay() + 6) % 7;
  return addDays(s, -wd);
}

/** ISO 8601 week of a local date: "2026-W50". */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const wd = (t.getUTCDay() + 6) % 7;
  t.setUTCDate(t.getUTCDate() - wd + 3); // the Thursday of this week decides the year
  const year = t.getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${year}-W${pad(week)}`;
}

/** "2026-W50" → the Monday of that ISO week (local), or null. */
export function mondayOfIsoWeek(w: string): Date | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(w);
  if (!m) return null;
  const jan4 = new Date(+m[1], 0, 4);
  const monday1 = startOfWeek(jan4);
  return addDays(monday1, (+m[2] - 1) * 7);
}

/** 135 → "2 h 15", 45 → "45 min", 600 → "10 h". */
export function hoursLabel(min: number): string {
  const sign = min < 0 ? '−' : '';
  const a = Math.round(Math.abs(min));
  const h = Math.floor(a / 60);
  const m = a % 60;
  if (h === 0) return `${sign}${m} min`;
  return m === 0 ? `${sign}${h} h` : `${sign}${h} h ${pad(m)}`;
}

/** Does [aStart, aEnd) overlap [bStart, bEnd)? */
export function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd;
}
