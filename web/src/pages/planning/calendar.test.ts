import { describe, expect, it } from 'vitest';
import {
  closuresFromRows,
  copyDay,
  dayMinutes,
  fieldSection,
  formatHhmm,
  newShiftFor,
  parseHhmm,
  rowsFromShifts,
  sameWeek,
  shiftsFromRows,
  validateClosureRows,
  validateShiftRows,
  weekMinutes,
  weekSummary,
  type ShiftRow,
} from './calendar';
import { settings } from './fixtures';

let k = 1000;
const row = (weekday: number, start: string, end: string): ShiftRow => ({ key: k++, weekday, start, end });
const codes = (rows: ShiftRow[]) => rows.map((r) => validateShiftRows(rows).get(r.key)?.code ?? null);
const DAYS = ['Lun', 'Mar', 'Mer', 'Jeu', 'Ven', 'Sam', 'Dim'];

describe('times typed in the week editor', () => {
  it('reads 07:30, 7:30, 7h30, 7h, 7 and 0730; 24:00 is the end of the day', () => {
    for (const s of ['07:30', '7:30', '7h30', ' 07 : 30 ', '0730']) expect(parseHhmm(s)).toBe(450);
    expect(parseHhmm('7h')).toBe(420);
    expect(parseHhmm('7')).toBe(420);
    expect(parseHhmm('24:00')).toBe(1440);
    expect(parseHhmm('7:75')).toBeNull();
    expect(parseHhmm('')).toBeNull();
    expect(parseHhmm('midi')).toBeNull();
    expect(formatHhmm(1440)).toBe('24:00');
    expect(formatHhmm(450)).toBe('07:30');
  });
});

describe('validateShiftRows (the server rules, checked before sending)', () => {
  it('accepts the demo week: two shifts a day with a lunch break', () => {
    expect(validateShiftRows(rowsFromShifts(settings().shop_shifts)).size).toBe(0);
  });

  it('refuses an end before (or at) the start', () => {
    expect(codes([row(0, '12:00', '07:30')])).toEqual(['end_before_start']);
    expect(codes([row(0, '07:30', '07:30')])).toEqual(['end_before_start']);
  });

  it('refuses a shift past midnight (a night shift is cut at 24:00)', () => {
    expect(codes([row(0, '22:00', '24:00')])).toEqual([null]);
    expect(codes([row(0, '22:00', '30:00')])).toEqual(['over_24h']);
  });

  it('refuses two shifts of a day that overlap, marking both and naming the other', () => {
    const a = row(0, '07:00', '12:30');
    const b = row(0, '12:00', '16:30');
    const c = row(1, '12:00', '16:30');
    const e = validateShiftRows([a, b, c]);
    expect(e.get(a.key)).toEqual({ code: 'overlap', other: '12:00–16:30' });
    expect(e.get(b.key)).toEqual({ code: 'overlap', other: '07:00–12:30' });
    expect(e.has(c.key)).toBe(false);
    // Touching is not overlapping.
    expect(validateShiftRows([row(0, '07:00', '12:00'), row(0, '12:00', '16:30')]).size).toBe(0);
  });

  it('says which time does not read', () => {
    expect(codes([row(0, '7.30', '12:00'), row(0, '13:00', 'x')])).toEqual(['start_format', 'end_format']);
  });
});

describe('rows ↔ API shifts', () => {
  it('sends weekday, start_min, end_min sorted by day then start', () => {
    expect(shiftsFromRows([row(1, '13:00', '16:30'), row(0, '7:00', '12:00'), row(1, '07:00', '12:00')])).toEqual([
      { weekday: 0, start_min: 420, end_min: 720 },
      { weekday: 1, start_min: 420, end_min: 720 },
      { weekday: 1, start_min: 780, end_min: 990 },
    ]);
  });

  it('counts the day and the week (39 h for the demo shop)', () => {
    const rows = rowsFromShifts(settings().shop_shifts);
    expect(dayMinutes(rows, 0)).toBe(8 * 60 + 30);
    expect(dayMinutes(rows, 4)).toBe(5 * 60);
    expect(dayMinutes(rows, 6)).toBe(0);
    expect(weekMinutes(rows)).toBe(39 * 60);
    // While two shifts overlap, the day counts their union (07:30–17:00), not 10 h.
    expect(dayMinutes([row(0, '07:30', '13:30'), row(0, '13:00', '17:00')], 0)).toBe(9 * 60 + 30);
  });

  it('compares weeks whatever the order', () => {
    const s = settings().shop_shifts;
    expect(sameWeek([...s].reverse(), s)).toBe(true);
    expect(sameWeek(s.slice(1), s)).toBe(false);
  });

  it('copies Monday onto Tuesday–Friday, replacing their hours', () => {
    const rows = copyDay([row(0, '07:00', '12:00'), row(0, '13:00', '16:30'), row(4, '08:00', '09:00')], 0, [1, 2, 3, 4]);
    expect(shiftsFromRows(rows).filter((s) => s.weekday === 4)).toEqual([
      { weekday: 4, start_min: 420, end_min: 720 },
      { weekday: 4, start_min: 780, end_min: 990 },
    ]);
    expect(rows).toHaveLength(10);
  });

  it('adds a new shift after the last one of the day, within the day', () => {
    expect(newShiftFor([], 2)).toMatchObject({ weekday: 2, start: '07:30', end: '12:00' });
    expect(newShiftFor([row(2, '07:30', '12:00')], 2)).toMatchObject({ start: '13:00', end: '17:00' });
    expect(newShiftFor([row(2, '07:30', '23:30')], 2)).toMatchObject({ start: '23:00', end: '24:00' });
  });

  it('sums a week up in one line, equal days grouped', () => {
    expect(weekSummary(settings().shop_shifts, DAYS, 'Repos')).toBe('Lun–Jeu 07:30–12:00, 13:00–17:00 · Ven 07:30–12:30');
    expect(weekSummary([], DAYS, 'Repos')).toBe('Repos');
  });
});

describe('closed days', () => {
  it('need a date and a label, each day once', () => {
    const rows = [
      { key: 1, day: '2026-12-24', label: 'Veille de Noël' },
      { key: 2, day: '2026-12-24', label: 'Encore' },
      { key: 3, day: '', label: 'Pont' },
      { key: 4, day: '2026-12-31', label: '  ' },
    ];
    const e = validateClosureRows(rows);
    expect([...e.entries()]).toEqual([
      [2, 'duplicate_day'],
      [3, 'day_required'],
      [4, 'label_required'],
    ]);
    expect(closuresFromRows([rows[0], { key: 5, day: '2026-05-15', label: ' Pont de l’Ascension ' }])).toEqual([
      { day: '2026-05-15', label: 'Pont de l’Ascension' },
      { day: '2026-12-24', label: 'Veille de Noël' },
    ]);
  });
});

describe('fieldSection', () => {
  it('maps the server field errors to the part of the editor', () => {
    expect(fieldSection('shifts')).toBe('shifts');
    expect(fieldSection('shop_shifts')).toBe('shifts');
    expect(fieldSection('closures')).toBe('closures');
    expect(fieldSection('horizon_days')).toBeNull();
  });
});
