// Display formats. French first (27/11/2026, 1 234,56 €), English as en-GB (same day-first
// order, which is what an English-speaking shop in Europe reads). Timestamps come from the API
// in UTC and are shown in the shop's time zone.
import type { Lang } from '../api/types';

export const SHOP_TIME_ZONE = 'Europe/Paris';

export function locale(lang: Lang): string {
  return lang === 'en' ? 'en-GB' : 'fr-FR';
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

type DateInput = string | Date | null | undefined;

function toDate(v: DateInput): { date: Date; dateOnly: boolean } | null {
  if (v == null || v === '') return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : { date: v, dateOnly: false };
  const m = DATE_ONLY.exec(v);
  // A calendar date has no time zone: pin it to UTC midnight and format it in UTC so that it
  // never shifts by a day.
  if (m) return { date: new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])), dateOnly: true };
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : { date: d, dateOnly: false };
}

/** 2026-11-27 or an RFC 3339 timestamp → "27/11/2026". Empty → "". Unparsable → the input. */
export function formatDate(v: DateInput, lang: Lang = 'fr'): string {
  const p = toDate(v);
  if (!p) return typeof v === 'string' ? v : '';
  return new Intl.DateTimeFormat(locale(lang), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: p.dateOnly ? 'UTC' : SHOP_TIME_ZONE,
  }).format(p.date);
}

/** RFC 3339 → "27/11/2026 15:05" in Europe/Paris. */
export function formatDateTime(v: DateInput, lang: Lang = 'fr', opts: { seconds?: boolean } = {}): string {
  const p = toDate(v);
  if (!p) return typeof v === 'string' ? v : '';
  if (p.dateOnly) return formatDate(v, lang);
  const parts = new Intl.DateTimeFormat(locale(lang), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: opts.seconds ? '2-digit' : undefined,
    hourCycle: 'h23',
    timeZone: SHOP_TIME_ZONE,
  }).formatToParts(p.date);
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === t)?.value ?? '';
  const time = `${get('hour')}:${get('minute')}${opts.seconds ? `:${get('second')}` : ''}`;
  return `${get('day')}/${get('month')}/${get('year')} ${time}`;
}

function toNumber(v: string | number | null | undefined): number | null {
  if (v == null || v === '') return null;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  return Number.isFinite(n) ? n : null;
}

/** Decimal string or number → "1 234,56 €" (fr) / "€1,234.56" (en). Money is a decimal string on the wire. */
export function formatMoney(v: string | number | null | undefined, lang: Lang = 'fr', currency = 'EUR'): string {
  const n = toNumber(v);
  if (n === null) return v == null ? '' : String(v);
  return new Intl.NumberFormat(locale(lang), { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

/** Number with grouping; `decimals` fixes the fraction digits, else up to 3 are shown. */
export function formatNumber(v: string | number | null | undefined, lang: Lang = 'fr', decimals?: number): string {
  const n = toNumber(v);
  if (n === null) return v == null ? '' : String(v);
  return new Intl.NumberFormat(locale(lang), {
    minimumFractionDigits: decimals ?? 0,
    maximumFractionDigits: decimals ?? 3,
  }).format(n);
}

/** "2026-11-27" for <input type=date> and API date filters, in the shop's time zone. */
export function isoDate(d: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: SHOP_TIME_ZONE }).format(d);
  return parts;
}
