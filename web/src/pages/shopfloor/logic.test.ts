import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  isoWeek,
  isSupervisor,
  mondayOfWeek,
  needsApproval,
  operationIdFromScan,
  parseHoursMinutes,
  pauseNoteMissing,
  quantityError,
  ratioPct,
  shiftWeek,
  splitMinutes,
  visibleActions,
} from './logic';

describe('formatDuration', () => {
  it('writes minutes under an hour and h mm above', () => {
    expect(formatDuration(0)).toBe('0 min');
    expect(formatDuration(45)).toBe('45 min');
    expect(formatDuration('0.05')).toBe('< 1 min');
    expect(formatDuration('85')).toBe('1 h 25');
    expect(formatDuration('120.4')).toBe('2 h 00');
    expect(formatDuration(59.6)).toBe('1 h 00');
    expect(formatDuration(-30)).toBe('-30 min');
  });
  it('shows a dash for nothing', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration('')).toBe('—');
    expect(formatDuration('abc')).toBe('—');
  });
});

describe('visibleActions', () => {
  it('shows only what the server allows, in screen order', () => {
    expect(visibleActions({ start: true, pause: false, resume: false, report: false, finish: false })).toEqual(['start']);
    expect(visibleActions({ start: false, pause: true, resume: false, report: true, finish: true })).toEqual(['pause', 'report', 'finish']);
    expect(visibleActions({ start: false, pause: false, resume: true, report: true, finish: true })).toEqual(['resume', 'report', 'finish']);
    expect(visibleActions({ start: false, pause: false, resume: false, report: false, finish: false })).toEqual([]);
    expect(visibleActions(null)).toEqual([]);
  });
});

describe('scans and typed entries', () => {
  it('finds the operation id of a traveler QR, a path or a number', () => {
    expect(operationIdFromScan('https://usinage.local:8443/operations/12')).toBe(12);
    expect(operationIdFromScan('http://192.168.1.5/operations/7?x=1')).toBe(7);
    expect(operationIdFromScan('/operations/33')).toBe(33);
    expect(operationIdFromScan(' 42 ')).toBe(42);
    expect(operationIdFromScan('https://x/jobs/12')).toBeNull();
    expect(operationIdFromScan('/operations/12abc')).toBeNull();
    expect(operationIdFromScan('hello')).toBeNull();
  });
  it('needs a note for the reason "autre" only', () => {
    expect(pauseNoteMissing('autre', ' ')).toBe(true);
    expect(pauseNoteMissing('autre', 'fuite')).toBe(false);
    expect(pauseNoteMissing('reglage', '')).toBe(false);
  });
});

describe('declared time', () => {
  it('parses hours and minutes', () => {
    expect(parseHoursMinutes('1', '25')).toBe(85);
    expect(parseHoursMinutes('', '40')).toBe(40);
    expect(parseHoursMinutes('1,5', '')).toBe(90);
    expect(parseHoursMinutes('', '')).toBeNull();
    expect(parseHoursMinutes('-1', '0')).toBe(false);
    expect(parseHoursMinutes('a', '0')).toBe(false);
    expect(parseHoursMinutes('0', '0')).toBe(false);
    expect(parseHoursMinutes('1', '2.5')).toBe(false);
  });
  it('splits minutes for editing', () => {
    expect(splitMinutes('85.4')).toEqual({ h: '1', m: '25' });
    expect(splitMinutes(null)).toEqual({ h: '0', m: '0' });
  });
  it('sends a declaration to the chef beyond one minute', () => {
    expect(needsApproval(86, '85')).toBe(false);
    expect(needsApproval(87, '85')).toBe(true);
    expect(needsApproval(60, null)).toBe(true);
  });
  it('computes real vs estimated', () => {
    expect(ratioPct('90', '60')).toBe(150);
    expect(ratioPct(30, 0)).toBeNull();
    expect(ratioPct(null, 10)).toBeNull();
  });
});

describe('quantities and roles', () => {
  it('keeps good + scrap within the input', () => {
    expect(quantityError(20, 2, 25, 0)).toBeNull();
    expect(quantityError(20, 2, 25, 5)).toBe('too_many');
    expect(quantityError(-1, 0, 25, 0)).toBe('negative');
    expect(quantityError(1.5, 0, 25, 0)).toBe('negative');
  });
  it('knows the supervising roles', () => {
    expect(isSupervisor(['operateur'])).toBe(false);
    expect(isSupervisor(['chef_atelier'])).toBe(true);
    expect(isSupervisor(['direction', 'qualite'])).toBe(true);
    expect(isSupervisor(undefined)).toBe(false);
  });
});

describe('ISO weeks', () => {
  it('numbers weeks the ISO way', () => {
    expect(isoWeek(new Date(2026, 11, 7))).toBe('2026-W50');
    expect(isoWeek(new Date(2026, 0, 1))).toBe('2026-W01');
    expect(isoWeek(new Date(2021, 0, 3))).toBe('2020-W53');
  });
  it('finds the Monday and shifts weeks across years', () => {
    expect(mondayOfWeek('2026-W50')?.toISOString().slice(0, 10)).toBe('2026-12-07');
    expect(mondayOfWeek('2026-W1')).toBeNull();
    expect(shiftWeek('2026-W01', -1)).toBe('2025-W52');
    expect(shiftWeek('2020-W53', 1)).toBe('2021-W01');
    expect(shiftWeek('2026-W50', 1)).toBe('2026-W51');
  });
});
