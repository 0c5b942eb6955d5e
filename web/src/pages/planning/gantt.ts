// Board → vis-timeline rows and bars (pure, unit-tested). A bar exists once per shown dimension:
// in the machine row (`<op>|m`) and in the person row (`<op>|p`). Dropping a bar on a machine row
// changes the machine, on a person row the person.
import type { MoveTarget } from './checks';
import { isMovable } from './checks';
import { parseLocal, shortDate, shortDateTime, toLocalDay } from './time';
import type { Board, BoardOp, Proposal } from './types';

export type RowsView = 'machines' | 'people' | 'both';
export type Tr = (key: string, params?: Record<string, string | number>) => string;

export interface GanttGroup {
  id: string;
  content: string;
  title?: string;
  className?: string;
  order: number;
}

export interface GanttItem {
  id: string;
  group?: string;
  start: Date;
  end: Date;
  content: string;
  title?: string;
  className: string;
  type?: 'range' | 'background';
  editable?: boolean | { updateTime: boolean; updateGroup: boolean; remove: boolean };
  selectable?: boolean;
  /** data-opid on the bar (dataAttributes option): e2e and the move dialog find bars by it. */
  opid?: number;
  /** data-row: "m" or "p". */
  row?: string;
  /** The op behind the bar, for the template. */
  op?: BoardOp;
  ghost?: boolean;
}

export function machineRow(id: number | null): string {
  return `m:${id ?? 'none'}`;
}
export function personRow(id: number | null): string {
  return `p:${id ?? 'none'}`;
}

/** "m:4" → {kind:'m', id:4}; "p:none" → {kind:'p', id:null}. */
export function parseRow(group: string | number | undefined | null): { kind: 'm' | 'p'; id: number | null } | null {
  const m = /^([mp]):(\d+|none)$/.exec(String(group ?? ''));
  if (!m) return null;
  return { kind: m[1] as 'm' | 'p', id: m[2] === 'none' ? null : Number(m[2]) };
}

const DRAWING_REF = /\bind\.|[A-Z0-9]{2,}-[A-Z0-9]/;

/**
 * The drawing reference of a part label, which is what the shop reads: "FFM-AXE-040 ind. A —
 * Axe de biellette" → "FFM-AXE-040 ind. A" (either side of the dash); else the whole label.
 */
export function partRef(part: string): string {
  const parts = part.split(' — ').map((x) => x.trim()).filter(Boolean);
  return parts.find((x) => DRAWING_REF.test(x)) ?? part.trim();
}

export function barLabel(op: Pick<BoardOp, 'job_number' | 'part' | 'label'>): string {
  return [op.job_number, partRef(op.part), op.label].filter(Boolean).join(' · ');
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** The hover text of a bar (HTML: vis-timeline shows `title` as HTML, every value escaped). */
export function tooltip(op: BoardOp, board: Pick<Board, 'machines' | 'people'>, tr: Tr): string {
  const m = board.machines.find((x) => x.id === op.machine_id);
  const p = board.people.find((x) => x.id === op.person_id);
  const lines = [
    `<b>${esc(barLabel(op))}</b>`,
    op.order_number ? `${esc(tr('tip.order'))} : ${esc(op.order_number)}` : '',
    `${esc(tr('tip.part'))} : ${esc(op.part)}`,
    `${esc(tr('tip.op'))} : ${op.position} ${esc(op.label)}`,
    `${esc(tr('tip.machine'))} : ${m ? esc(`${m.code} ${m.name}`) : '—'}`,
    `${esc(tr('tip.person'))} : ${p ? esc(p.name) : '—'}`,
    `${esc(tr('tip.time'))} : ${esc(shortDateTime(op.start))} → ${esc(shortDateTime(op.end))} (${esc(tr('tip.setup', { min: op.setup_min }))})`,
    op.due ? `${esc(tr('tip.due'))} : ${esc(shortDate(op.due))}${op.late ? ` — ${esc(tr('tip.late'))}` : ''}` : '',
    `${esc(tr('tip.status'))} : ${esc(tr(`status.${op.status}`))}${op.pinned ? ` — ${esc(tr('tip.pinned'))}` : ''}${op.sur_urgent ? ` — ${esc(tr('tip.urgent'))}` : ''}`,
  ];
  return lines.filter(Boolean).join('<br>');
}

export function opClass(op: BoardOp, extra = ''): string {
  return [
    'pl-op',
    `pl-st-${op.status}`,
    op.late ? 'pl-late' : '',
    op.pinned ? 'pl-pinned' : '',
    op.sur_urgent ? 'pl-urgent' : '',
    op.critical ? 'pl-critical' : '',
    extra,
  ]
    .filter(Boolean)
    .join(' ');
}

export function buildGroups(board: Board, view: RowsView, tr: Tr): GanttGroup[] {
  const groups: GanttGroup[] = [];
  if (view !== 'people') {
    for (const m of [...board.machines].sort((a, b) => a.code.localeCompare(b.code))) {
      groups.push({ id: machineRow(m.id), content: `${m.code} · ${m.name}`, title: m.name, className: 'pl-row-machine', order: groups.length });
    }
    if (board.ops.some((o) => o.machine_id == null)) groups.push({ id: machineRow(null), content: tr('no_machine'), className: 'pl-row-machine', order: groups.length });
  }
  if (view !== 'machines') {
    for (const p of [...board.people].sort((a, b) => a.name.localeCompare(b.name))) {
      const skills = p.skills.map((k) => `${k.skill} ${k.level}`).join(', ');
      groups.push({ id: personRow(p.id), content: p.name, title: skills, className: 'pl-row-person', order: groups.length });
    }
    if (board.ops.some((o) => o.person_id == null)) groups.push({ id: personRow(null), content: tr('no_person'), className: 'pl-row-person', order: groups.length });
  }
  return groups;
}

/** The bars of the current plan, the background items (closed days, absences) and ghost bars. */
export function buildItems(board: Board, view: RowsView, opts: { editable: boolean; tr: Tr; proposal?: Proposal | null }): GanttItem[] {
  const { editable, tr, proposal } = opts;
  const items: GanttItem[] = [];
  const dims: ('m' | 'p')[] = view === 'both' ? ['m', 'p'] : view === 'machines' ? ['m'] : ['p'];
  for (const op of board.ops) {
    const canMove = editable && isMovable(op);
    for (const d of dims) {
      items.push({
        id: `${op.op_id}|${d}`,
        group: d === 'm' ? machineRow(op.machine_id) : personRow(op.person_id),
        start: parseLocal(op.start),
        end: parseLocal(op.end),
        content: barLabel(op),
        title: tooltip(op, board, tr),
        className: opClass(op),
        editable: canMove ? { updateTime: true, updateGroup: true, remove: false } : false,
        opid: op.op_id,
        row: d,
        op,
      });
    }
  }
  if (proposal) {
    const current = new Map(board.ops.map((o) => [o.op_id, o]));
    for (const op of proposal.ops) {
      const cur = current.get(op.op_id);
      const moved = !cur || cur.start !== op.start || cur.machine_id !== op.machine_id || cur.person_id !== op.person_id;
      for (const d of dims) {
        items.push({
          id: `ghost-${op.op_id}|${d}`,
          group: d === 'm' ? machineRow(op.machine_id) : personRow(op.person_id),
          start: parseLocal(op.start),
          end: parseLocal(op.end),
          content: barLabel(op),
          title: tooltip(op, board, tr),
          className: `pl-ghost ${moved ? 'pl-ghost-moved' : ''} ${op.late ? 'pl-late' : ''}`.trim(),
          editable: false,
          selectable: false,
          opid: op.op_id,
          row: d,
          op,
          ghost: true,
        });
      }
    }
  }
  for (const day of board.closed_days) {
    const start = parseLocal(day);
    items.push({ id: `closed-${day}`, start, end: new Date(start.getTime() + 86_400_000), content: '', title: tr('closed_day'), className: 'pl-closed', type: 'background' });
  }
  board.unavailability.forEach((u, i) => {
    const shown = (u.resource === 'machine' && view !== 'people') || (u.resource === 'person' && view !== 'machines');
    if (!shown) return;
    items.push({
      id: `unavail-${i}`,
      group: u.resource === 'machine' ? machineRow(u.id) : personRow(u.id),
      start: parseLocal(u.from),
      end: parseLocal(u.to),
      content: u.reason ?? tr('unavailable'),
      className: 'pl-unavail',
      type: 'background',
    });
  });
  return items;
}

/** Where a bar dropped on `group` at [start, end) goes: the row decides machine or person. */
export function targetFor(op: Pick<BoardOp, 'op_id' | 'machine_id' | 'person_id'>, group: string | number | undefined, start: Date, end: Date): MoveTarget {
  const row = parseRow(group);
  return {
    op_id: op.op_id,
    machine_id: row?.kind === 'm' ? row.id : op.machine_id,
    person_id: row?.kind === 'p' ? row.id : op.person_id,
    start,
    end,
  };
}

/** Lateness change of a job in a proposal: 'better' | 'worse' | 'same'. */
export function effectTrend(e: { late_before_min: number; late_after_min: number }): 'better' | 'worse' | 'same' {
  if (e.late_after_min < e.late_before_min) return 'better';
  if (e.late_after_min > e.late_before_min) return 'worse';
  return 'same';
}

/** What changed in one move of a proposal, for its table row. */
export function moveChanges(m: Proposal['moves'][number]): { machine: boolean; person: boolean; time: boolean; added: boolean; removed: boolean } {
  const b = m.before;
  const a = m.after;
  return {
    machine: !!b && !!a && b.machine_id !== a.machine_id,
    person: !!b && !!a && b.person_id !== a.person_id,
    time: !!b && !!a && (b.start !== a.start || b.end !== a.end),
    added: !b && !!a,
    removed: !!b && !a,
  };
}

/** The earliest start and latest end of a set of ops (to frame the Gantt on a proposal). */
export function opsSpan(ops: Pick<BoardOp, 'start' | 'end'>[]): { start: Date; end: Date } | null {
  if (ops.length === 0) return null;
  let s = Infinity;
  let e = -Infinity;
  for (const o of ops) {
    s = Math.min(s, parseLocal(o.start).getTime());
    e = Math.max(e, parseLocal(o.end).getTime());
  }
  return Number.isFinite(s) && Number.isFinite(e) ? { start: new Date(s), end: new Date(e) } : null;
}

export type Zoom = 'day' | 'week' | 'month';

/** The window shown for a zoom level around `anchor`: the day, the ISO week or the month. */
export function zoomWindow(zoom: Zoom, anchor: Date): { start: Date; end: Date } {
  const d = new Date(anchor.getFullYear(), anchor.getMonth(), anchor.getDate());
  if (zoom === 'day') return { start: d, end: new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1) };
  if (zoom === 'week') {
    const monday = new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7));
    return { start: monday, end: new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + 7) };
  }
  return { start: new Date(d.getFullYear(), d.getMonth(), 1), end: new Date(d.getFullYear(), d.getMonth() + 1, 1) };
}

/** The anchor one period before (-1) or after (+1). */
export function shiftAnchor(zoom: Zoom, anchor: Date, dir: -1 | 1): Date {
  if (zoom === 'day') return new Date(anchor.getFullYear(), anchor.getMonth(), anchor.getDate() + dir);
  if (zoom === 'week') return new Date(anchor.getFullYear(), anchor.getMonth(), anchor.getDate() + 7 * dir);
  return new Date(anchor.getFullYear(), anchor.getMonth() + dir, 1);
}

/** The board range fetched for a window: whole weeks, one week of margin each side. */
export function fetchRange(win: { start: Date; end: Date }): { from: string; to: string } {
  const s = new Date(win.start.getFullYear(), win.start.getMonth(), win.start.getDate() - 7);
  const monday = new Date(s.getFullYear(), s.getMonth(), s.getDate() - ((s.getDay() + 6) % 7));
  const e = new Date(win.end.getFullYear(), win.end.getMonth(), win.end.getDate() + 7);
  const sunday = new Date(e.getFullYear(), e.getMonth(), e.getDate() + ((7 - e.getDay()) % 7));
  return { from: toLocalDay(monday), to: toLocalDay(sunday) };
}

/**
 * The daily hours to hide (nights), so that a week shows the working hours only: outside the
 * earliest start and latest end of the shop's shifts (whole hours); null without shifts or when
 * the shop works (nearly) round the clock. Bars that run past closing time simply cross the gap.
 */
export function nightHours(shifts: { start_min: number; end_min: number }[]): { fromMin: number; toMin: number } | null {
  if (shifts.length === 0) return null;
  const first = Math.floor(Math.min(...shifts.map((x) => x.start_min)) / 60) * 60;
  const last = Math.ceil(Math.max(...shifts.map((x) => x.end_min)) / 60) * 60;
  return 24 * 60 - last + first >= 120 ? { fromMin: last, toMin: first } : null;
}
