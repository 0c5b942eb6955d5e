// Client-side checks of a manual move, run synchronously while a bar is dragged (vis-timeline's
// onMoving) with what the board already holds. They only warn: the server decides on drop
// (POST /planning/moves) and its French reasons are what the user finally reads.
import { overlaps, parseLocal, toLocalDay, addDays, startOfDay } from './time';
import type { Board, BoardOp } from './types';

export type CheckCode = 'fixed' | 'machine_not_allowed' | 'skill' | 'capacity' | 'precedence' | 'calendar';

/** One reason, as an i18n key under `planning.check.` with its values. */
export interface ClientViolation {
  code: CheckCode;
  key: string;
  params: Record<string, string | number>;
}

export interface MoveTarget {
  op_id: number;
  machine_id: number | null;
  person_id: number | null;
  start: Date;
  end: Date;
}

/** Started or finished on the floor: the plan follows the floor, nobody moves them. */
const STARTED = new Set(['en_cours', 'en_pause', 'termine', 'terminee', 'annule', 'annulee']);

/**
 * Ops that cannot be dragged. `fixed` alone does not forbid it: the API also sets it on pinned
 * ops (the planner keeps them), which a person may move again by hand.
 */
export function isMovable(op: Pick<BoardOp, 'status'>): boolean {
  return !STARTED.has(op.status);
}

/** Highest number of `intervals` running at the same time inside [start, end). */
export function maxConcurrency(intervals: [number, number][], start: number, end: number): number {
  const events: [number, number][] = [];
  for (const [s, e] of intervals) {
    const a = Math.max(s, start);
    const b = Math.min(e, end);
    if (a < b) {
      events.push([a, 1], [b, -1]);
    }
  }
  // Ends before starts at the same instant: back-to-back bars do not overlap.
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of events) {
    cur += d;
    max = Math.max(max, cur);
  }
  return max;
}

function opName(op: BoardOp): string {
  return `${op.job_number} · ${op.label}`;
}

/** Every day (YYYY-MM-DD) touched by [start, end). */
export function daysTouched(start: Date, end: Date): string[] {
  const out: string[] = [];
  const last = new Date(end.getTime() - 1);
  for (let d = startOfDay(start); d <= last; d = addDays(d, 1)) out.push(toLocalDay(d));
  return out;
}

/** Reasons why moving `target.op_id` to the target row/time would break a rule; [] when fine. */
export function checkMove(board: Board, target: MoveTarget): ClientViolation[] {
  const op = board.ops.find((o) => o.op_id === target.op_id);
  if (!op) return [];
  const out: ClientViolation[] = [];
  const s = target.start.getTime();
  const e = target.end.getTime();

  if (!isMovable(op)) out.push({ code: 'fixed', key: 'fixed', params: { op: opName(op) } });

  const machine = target.machine_id != null ? board.machines.find((m) => m.id === target.machine_id) : undefined;
  if (target.machine_id != null && op.allowed_machine_ids.length > 0 && !op.allowed_machine_ids.includes(target.machine_id)) {
    out.push({ code: 'machine_not_allowed', key: 'machine_not_allowed', params: { machine: machine?.code ?? String(target.machine_id), op: op.label } });
  }

  const person = target.person_id != null ? board.people.find((p) => p.id === target.person_id) : undefined;
  if (person && op.skill) {
    const need = op.skill;
    const has = person.skills.find((k) => k.skill === need.skill);
    if (!has) out.push({ code: 'skill', key: 'skill_missing', params: { person: person.name, skill: need.skill, level: need.level } });
    else if (has.level < need.level) {
      out.push({ code: 'skill', key: 'skill_level', params: { person: person.name, skill: need.skill, level: need.level, has: has.level } });
    }
  }

  const others = board.ops.filter((o) => o.op_id !== op.op_id);
  if (machine) {
    const busy = others.filter((o) => o.machine_id === machine.id).map((o) => [parseLocal(o.start).getTime(), parseLocal(o.end).getTime()] as [number, number]);
    const stations = Math.max(1, machine.stations);
    if (maxConcurrency(busy, s, e) >= stations) out.push({ code: 'capacity', key: 'machine_busy', params: { machine: machine.code, stations } });
  }
  if (person) {
    const busy = others.filter((o) => o.person_id === person.id).map((o) => [parseLocal(o.start).getTime(), parseLocal(o.end).getTime()] as [number, number]);
    if (maxConcurrency(busy, s, e) >= 1) out.push({ code: 'capacity', key: 'person_busy', params: { person: person.name } });
  }

  for (const id of op.predecessor_ids) {
    const p = board.ops.find((o) => o.op_id === id);
    if (p && parseLocal(p.end).getTime() > s) out.push({ code: 'precedence', key: 'before_predecessor', params: { other: opName(p) } });
  }
  for (const id of op.successor_ids) {
    const n = board.ops.find((o) => o.op_id === id);
    if (n && parseLocal(n.start).getTime() < e) out.push({ code: 'precedence', key: 'after_successor', params: { other: opName(n) } });
  }

  const closed = new Set(board.closed_days);
  const hit = daysTouched(target.start, target.end).find((d) => closed.has(d));
  if (hit) out.push({ code: 'calendar', key: 'closed_day', params: { day: hit.split('-').reverse().join('/') } });
  for (const u of board.unavailability) {
    const mine = (u.resource === 'machine' && u.id === target.machine_id) || (u.resource === 'person' && u.id === target.person_id);
    if (!mine || !overlaps(s, e, parseLocal(u.from).getTime(), parseLocal(u.to).getTime())) continue;
    const who = u.resource === 'machine' ? (machine?.code ?? String(u.id)) : (person?.name ?? String(u.id));
    out.push({ code: 'calendar', key: 'unavailable', params: { who, reason: u.reason ?? '' } });
  }
  return out;
}
