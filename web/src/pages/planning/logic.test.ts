import { describe, expect, it } from 'vitest';
import { board } from './fixtures';
import { ApiError } from '../../api/client';
import { hhmmToMin, refusalText, limitBreaches, loadClass, minToHhmm, opsByMachine, percent } from './logic';
import { hoursLabel, isoWeek, mondayOfIsoWeek, parseLocal, shortDateTime, toLocalDay, toLocalIso } from './time';

describe('time', () => {
  it('reads and writes shop wall-clock times without shifting them', () => {
    expect(toLocalIso(parseLocal('2026-12-08T07:30:00'))).toBe('2026-12-08T07:30:00');
    expect(toLocalIso(parseLocal('2026-03-29T02:30:00')).slice(0, 10)).toBe('2026-03-29');
    expect(shortDateTime('2026-12-08T07:30:00')).toBe('08/12 07:30');
    expect(shortDateTime('2026-12-08T07:30:00', true)).toBe('08/12/2026 07:30');
  });
  it('computes ISO weeks, including across the new year', () => {
    expect(isoWeek(parseLocal('2026-12-07'))).toBe('2026-W50');
    expect(isoWeek(parseLocal('2027-01-01'))).toBe('2026-W53');
    expect(isoWeek(parseLocal('2024-12-30'))).toBe('2025-W01');
    expect(toLocalDay(mondayOfIsoWeek('2026-W50')!)).toBe('2026-12-07');
    expect(toLocalDay(mondayOfIsoWeek('2025-W01')!)).toBe('2024-12-30');
  });
  it('writes durations in hours', () => {
    expect(hoursLabel(600)).toBe('10 h');
    expect(hoursLabel(135)).toBe('2 h 15');
    expect(hoursLabel(45)).toBe('45 min');
  });
});

describe('load', () => {
  it('colours under 85 %, 85–100 % and over 100 %', () => {
    expect(loadClass(0.3, 2340)).toBe('pl-cell-low');
    expect(loadClass(0.77, 2340)).toBe('pl-cell-mid');
    expect(loadClass(0.85, 2340)).toBe('pl-cell-high');
    expect(loadClass(1, 2340)).toBe('pl-cell-high');
    expect(loadClass(1.01, 2340)).toBe('pl-cell-over');
    expect(loadClass(0, 0)).toBe('pl-cell-none');
    expect(percent(0.774)).toBe('77 %');
  });
});

describe('working time', () => {
  const limits = { day_min: 600, week_min: 2880, avg_week_min: 2640, avg_weeks: 12 };
  it('finds days over 10 h, weeks over 48 h and averages over 44 h', () => {
    const p = { id: 1, name: 'X', contract_week_min: 2340, days: [{ day: '2026-12-07', planned_min: 660 }, { day: '2026-12-08', planned_min: 600 }], week_min: 2900, avg_week_min: 2600, overtime_min: 560, alerts: [] };
    expect(limitBreaches(p, limits)).toEqual({ days: ['2026-12-07'], week: true, avg: false });
  });
});

describe('settings and print', () => {
  it('converts shift times', () => {
    expect(minToHhmm(450)).toBe('07:30');
    expect(hhmmToMin('07:30')).toBe(450);
    expect(hhmmToMin('7:75')).toBeNull();
  });
  it('groups the printed ops per machine in time order, within the range', () => {
    const b = board();
    const g = opsByMachine(b.machines, b.ops, '2026-12-08', '2026-12-08');
    expect(g.map((x) => x.machine?.code)).toEqual(['M02', 'M05']);
    expect(g[0].ops.map((o) => o.op_id)).toEqual([11, 21]);
    expect(opsByMachine(b.machines, b.ops, '2026-12-09', '2026-12-10')).toEqual([]);
  });
});

describe('refused move', () => {
  const fallback = () => 'fallback';
  it('lists the API reasons of field "move"', () => {
    const e = new ApiError({ status: 422, code: 'planning_move_refused', detail: 'Déplacement refusé : A. B.', errors: [{ field: 'move', code: 'skill', message: 'A.' }, { field: 'move', code: 'calendar', message: 'B.' }] });
    expect(refusalText(e, fallback)).toBe('A. B.');
  });
  it('else strips the title the banner already shows from the detail', () => {
    expect(refusalText(new ApiError({ status: 422, code: 'planning_move_refused', detail: 'Déplacement refusé : Lucas Brunel n’a pas la compétence.' }), fallback)).toBe('Lucas Brunel n’a pas la compétence.');
    expect(refusalText(new Error('x'), fallback)).toBe('fallback');
  });
});
