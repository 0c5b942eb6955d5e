import { describe, expect, it } from 'vitest';
import { checkMove, daysTouched, isMovable, maxConcurrency } from './checks';
import { board } from './fixtures';
import { parseLocal } from './time';

const at = (s: string) => parseLocal(s);

describe('checkMove', () => {
  it('accepts a move into a free slot of an allowed machine with a skilled person', () => {
    const b = board();
    // Op 11 onto M07 (2 stations, empty), same person, same time: nothing breaks.
    const v = checkMove(b, { op_id: 11, machine_id: 6, person_id: 8, start: at('2026-12-08T07:30:00'), end: at('2026-12-08T11:10:00') });
    expect(v).toEqual([]);
  });

  it('refuses a turning op given to a milling-only operator, naming the person and skill', () => {
    const b = board();
    const v = checkMove(b, { op_id: 11, machine_id: 1, person_id: 10, start: at('2026-12-08T07:30:00'), end: at('2026-12-08T11:10:00') });
    const skill = v.find((x) => x.code === 'skill');
    expect(skill).toEqual({ code: 'skill', key: 'skill_missing', params: { person: 'Sébastien Pelletier', skill: 'LATHE_Y', level: 2 } });
  });

  it('tells a too-low level from a missing skill', () => {
    const v = checkMove(board(), { op_id: 11, machine_id: 1, person_id: 9, start: at('2026-12-08T07:30:00'), end: at('2026-12-08T11:10:00') });
    expect(v.map((x) => x.key)).toContain('skill_level');
    expect(v.find((x) => x.key === 'skill_level')?.params).toMatchObject({ has: 1, level: 2 });
  });

  it('flags a machine the routing does not allow', () => {
    const v = checkMove(board(), { op_id: 11, machine_id: 4, person_id: 8, start: at('2026-12-08T07:30:00'), end: at('2026-12-08T11:10:00') });
    expect(v.map((x) => x.code)).toContain('machine_not_allowed');
  });

  it('flags an overlap on a one-station machine but not back-to-back bars', () => {
    const b = board();
    const overlap = checkMove(b, { op_id: 11, machine_id: 1, person_id: 9, start: at('2026-12-08T09:00:00'), end: at('2026-12-08T12:40:00') });
    expect(overlap.filter((x) => x.code === 'capacity').map((x) => x.key)).toEqual(['machine_busy']);
    // 11 ends at 11:10 where 21 starts: not a conflict.
    const touching = checkMove(b, { op_id: 11, machine_id: 1, person_id: 8, start: at('2026-12-08T07:30:00'), end: at('2026-12-08T11:10:00') });
    expect(touching.filter((x) => x.code === 'capacity')).toEqual([]);
  });

  it('lets two bars share a two-station machine, not three', () => {
    const b = board();
    b.ops.push({ ...b.ops[2], op_id: 30, machine_id: 6, person_id: null, start: '2026-12-08T08:00:00', end: '2026-12-08T10:00:00' });
    const two = checkMove(b, { op_id: 11, machine_id: 6, person_id: null, start: at('2026-12-08T07:30:00'), end: at('2026-12-08T11:10:00') });
    expect(two.filter((x) => x.code === 'capacity')).toEqual([]);
    b.ops.push({ ...b.ops[2], op_id: 31, machine_id: 6, person_id: null, start: '2026-12-08T09:00:00', end: '2026-12-08T12:00:00' });
    const three = checkMove(b, { op_id: 11, machine_id: 6, person_id: null, start: at('2026-12-08T07:30:00'), end: at('2026-12-08T11:10:00') });
    expect(three.map((x) => x.key)).toContain('machine_busy');
  });

  it('flags the person already busy in the slot', () => {
    const v = checkMove(board(), { op_id: 12, machine_id: 4, person_id: 8, start: at('2026-12-08T12:00:00'), end: at('2026-12-08T14:00:00') });
    expect(v.map((x) => x.key)).toContain('person_busy');
  });

  it('checks precedence both ways', () => {
    const b = board();
    // 12 follows 11 (ends 11:10): starting 12 at 10:00 is too early.
    const early = checkMove(b, { op_id: 12, machine_id: 4, person_id: 10, start: at('2026-12-08T10:00:00'), end: at('2026-12-08T12:00:00') });
    expect(early.find((x) => x.code === 'precedence')?.key).toBe('before_predecessor');
    // 11 pushed past 12's start (13:00).
    const late = checkMove(b, { op_id: 11, machine_id: 6, person_id: 8, start: at('2026-12-08T12:00:00'), end: at('2026-12-08T15:40:00') });
    expect(late.find((x) => x.code === 'precedence')?.key).toBe('after_successor');
  });

  it('flags closed days and the absence of the target person', () => {
    const b = board();
    const xmas = checkMove(b, { op_id: 11, machine_id: 6, person_id: 8, start: at('2026-12-25T07:30:00'), end: at('2026-12-25T11:10:00') });
    expect(xmas.find((x) => x.code === 'calendar')).toEqual({ code: 'calendar', key: 'closed_day', params: { day: '25/12/2026' } });
    const off = checkMove(b, { op_id: 12, machine_id: 4, person_id: 10, start: at('2026-12-09T08:00:00'), end: at('2026-12-09T10:00:00') });
    expect(off.find((x) => x.key === 'unavailable')?.params).toEqual({ who: 'Sébastien Pelletier', reason: 'Congés' });
  });

  it('refuses to move a started or finished operation, not a pinned one', () => {
    const b = board();
    const pinned = { ...b.ops[0], fixed: true, pinned: true };
    expect(isMovable(pinned)).toBe(true);
    expect(isMovable({ ...b.ops[0], status: 'en_pause' })).toBe(false);
    b.ops[0].status = 'termine';
    expect(isMovable(b.ops[0])).toBe(false);
    const v = checkMove(b, { op_id: 11, machine_id: 1, person_id: 8, start: at('2026-12-08T07:30:00'), end: at('2026-12-08T11:10:00') });
    expect(v.map((x) => x.code)).toContain('fixed');
  });
});

describe('helpers', () => {
  it('maxConcurrency counts simultaneous intervals inside the window', () => {
    expect(maxConcurrency([[0, 10], [5, 15], [10, 20]], 0, 20)).toBe(2);
    expect(maxConcurrency([[0, 10], [10, 20]], 0, 20)).toBe(1);
    expect(maxConcurrency([[0, 10]], 10, 20)).toBe(0);
  });
  it('daysTouched lists each calendar day of a range, end excluded', () => {
    expect(daysTouched(at('2026-12-08T22:00:00'), at('2026-12-10T00:00:00'))).toEqual(['2026-12-08', '2026-12-09']);
  });
});
