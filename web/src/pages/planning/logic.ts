// Pure helpers of the load, working-time, settings and print screens.
import { isApiError } from '../../api/client';
import { parseLocal } from './time';
import type { BoardOp, PlanMachine, WorkingTimeLimits, WorkingTimePerson } from './types';

/** Colour band of a machine-week load ratio: < 85 %, 85–100 %, > 100 %. */
export function loadClass(ratio: number, capacityMin: number): 'pl-cell-none' | 'pl-cell-low' | 'pl-cell-mid' | 'pl-cell-high' | 'pl-cell-over' {
  if (capacityMin <= 0) return 'pl-cell-none';
  if (ratio > 1) return 'pl-cell-over';
  if (ratio >= 0.85) return 'pl-cell-high';
  if (ratio >= 0.5) return 'pl-cell-mid';
  return 'pl-cell-low';
}

export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

/** Which of the French limits a person's planned week breaks (the server's alerts come first). */
export function limitBreaches(p: WorkingTimePerson, l: WorkingTimeLimits): { days: string[]; week: boolean; avg: boolean } {
  return {
    days: p.days.filter((d) => d.planned_min > l.day_min).map((d) => d.day),
    week: p.week_min > l.week_min,
    avg: p.avg_week_min > l.avg_week_min,
  };
}

/** "07:30" ↔ 450 minutes after midnight. */
export function minToHhmm(min: number): string {
  const h = Math.floor(min / 60);
  const m = min % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
export function hhmmToMin(s: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && v <= 24 * 60 ? v : null;
}

/** Ops of a print range grouped per machine (machines in code order, ops by start). */
export function opsByMachine(machines: PlanMachine[], ops: BoardOp[], from: string, to: string): { machine: PlanMachine | null; ops: BoardOp[] }[] {
  const lo = parseLocal(from).getTime();
  const hiDay = parseLocal(to);
  const hi = new Date(hiDay.getFullYear(), hiDay.getMonth(), hiDay.getDate() + 1).getTime();
  const inRange = ops.filter((o) => parseLocal(o.start).getTime() < hi && parseLocal(o.end).getTime() > lo);
  const sorted = [...machines].sort((a, b) => a.code.localeCompare(b.code));
  const out: { machine: PlanMachine | null; ops: BoardOp[] }[] = sorted.map((m) => ({
    machine: m,
    ops: inRange.filter((o) => o.machine_id === m.id).sort((a, b) => a.start.localeCompare(b.start)),
  }));
  const none = inRange.filter((o) => o.machine_id == null || !machines.some((m) => m.id === o.machine_id));
  if (none.length) out.push({ machine: null, ops: none.sort((a, b) => a.start.localeCompare(b.start)) });
  return out.filter((g) => g.ops.length > 0);
}

/**
 * The reasons of a refused move: the API lists them in `errors` (field "move"); the `detail`
 * repeats them after "Déplacement refusé :", which the banner title already says.
 */
export function refusalText(e: unknown, errText: (e: unknown) => string): string {
  if (isApiError(e)) {
    const reasons = e.errors.filter((x) => x.field === 'move').map((x) => x.message);
    if (reasons.length) return reasons.join(' ');
    return e.detail.replace(/^\s*(D[ée]placement refus[ée]|Move refused)\s*:\s*/i, '') || errText(e);
  }
  return errText(e);
}
