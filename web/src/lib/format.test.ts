import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatMoney, formatNumber, isoDate } from './format';

// Intl uses narrow no-break spaces (U+202F) as French thousands separators and a no-break space
// (U+00A0) before the euro sign; compare with those made visible.
const visible = (s: string) => s.replace(/\u202f/g, '⍽').replace(/\u00a0/g, '·');

describe('formatDate', () => {
  it('shows a calendar date day-first without shifting it across time zones', () => {
    expect(formatDate('2026-11-27', 'fr')).toBe('27/11/2026');
    expect(formatDate('2026-01-01', 'fr')).toBe('01/01/2026');
    expect(formatDate('2026-11-27', 'en')).toBe('27/11/2026');
  });
  it('shows a UTC timestamp on the shop calendar (Europe/Paris)', () => {
    // 23:30 UTC on the 27th is already the 28th in Paris (UTC+1 in winter).
    expect(formatDate('2026-11-27T23:30:00Z', 'fr')).toBe('28/11/2026');
  });
  it('returns empty for nothing and the raw text for garbage', () => {
    expect(formatDate(null)).toBe('');
    expect(formatDate('')).toBe('');
    expect(formatDate('pas une date')).toBe('pas une date');
  });
});

describe('formatDateTime', () => {
  it('converts UTC to Paris time, 24-hour clock', () => {
    expect(formatDateTime('2026-11-27T14:05:00Z', 'fr')).toBe('27/11/2026 15:05');
    expect(formatDateTime('2026-07-14T14:05:09Z', 'fr', { seconds: true })).toBe('14/07/2026 16:05:09');
    expect(formatDateTime('2026-11-27T14:05:00Z', 'en')).toBe('27/11/2026 15:05');
  });
  it('accepts Date objects and plain dates', () => {
    expect(formatDateTime(new Date(Date.UTC(2026, 10, 27, 7, 0)), 'fr')).toBe('27/11/2026 08:00');
    expect(formatDateTime('2026-11-27', 'fr')).toBe('27/11/2026');
  });
});

describe('formatMoney', () => {
  it('formats euros the French way: 1 234,56 €', () => {
    expect(visible(formatMoney('1234.56', 'fr'))).toBe('1⍽234,56·€');
    expect(visible(formatMoney(1234567.5, 'fr'))).toBe('1⍽234⍽567,50·€');
    expect(visible(formatMoney('0', 'fr'))).toBe('0,00·€');
    expect(visible(formatMoney('-45.5', 'fr'))).toBe('-45,50·€');
  });
  it('formats euros the English way', () => {
    expect(formatMoney('1234.56', 'en')).toBe('€1,234.56');
  });
  it('keeps exactly two decimals from the API decimal strings', () => {
    expect(visible(formatMoney('12.345', 'fr'))).toBe('12,35·€');
    expect(visible(formatMoney('7.8', 'fr'))).toBe('7,80·€');
  });
  it('passes through what is not a number', () => {
    expect(formatMoney(null)).toBe('');
    expect(formatMoney('abc')).toBe('abc');
  });
});

describe('formatNumber', () => {
  it('groups thousands and uses a decimal comma in French', () => {
    expect(visible(formatNumber(12345.678, 'fr'))).toBe('12⍽345,678');
    expect(visible(formatNumber('2500', 'fr', 2))).toBe('2⍽500,00');
    expect(formatNumber(12345.678, 'en')).toBe('12,345.678');
  });
  it('rounds to at most three decimals by default', () => {
    expect(formatNumber(0.12345, 'fr')).toBe('0,123');
  });
});

describe('isoDate', () => {
  it('gives the Paris calendar day as YYYY-MM-DD', () => {
    expect(isoDate(new Date(Date.UTC(2026, 10, 27, 23, 30)))).toBe('2026-11-28');
    expect(isoDate(new Date(Date.UTC(2026, 10, 27, 10, 0)))).toBe('2026-11-27');
  });
});
