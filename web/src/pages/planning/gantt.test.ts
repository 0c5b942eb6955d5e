import { describe, expect, it } from 'vitest';
import { board, proposal } from './fixtures';
import { barLabel, buildGroups, buildItems, effectTrend, fetchRange, moveChanges, nightHours, parseRow, partRef, shiftAnchor, targetFor, tooltip, zoomWindow } from './gantt';
import { parseLocal, toLocalIso } from './time';

const tr = (k: string, p?: Record<string, string | number>) => (p ? `${k}(${Object.values(p).join(',')})` : k);

describe('board → vis-timeline', () => {
  it('labels a bar with job, drawing reference and operation', () => {
    expect(partRef('Axe Ø40 — PL-1234 ind. B')).toBe('PL-1234 ind. B');
    expect(partRef('FFM-AXE-040 ind. A — Axe de biellette')).toBe('FFM-AXE-040 ind. A');
    expect(partRef('Bride')).toBe('Bride');
    expect(barLabel(board().ops[0])).toBe('OF-2026-0002 · PL-1234 ind. B · Tournage');
  });

  it('builds machine rows, then person rows, in order', () => {
    const g = buildGroups(board(), 'both', tr);
    expect(g.map((x) => x.id)).toEqual(['m:1', 'm:4', 'm:6', 'p:8', 'p:9', 'p:10']);
    expect(g.map((x) => x.order)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(g[3]).toMatchObject({ content: 'Kévin Dumas', className: 'pl-row-person' });
    expect(buildGroups(board(), 'machines', tr).every((x) => x.id.startsWith('m:'))).toBe(true);
  });

  it('adds a "no machine" row only when an op has none', () => {
    const b = board();
    expect(buildGroups(b, 'machines', tr).some((x) => x.id === 'm:none')).toBe(false);
    b.ops[0].machine_id = null;
    expect(buildGroups(b, 'machines', tr).at(-1)).toMatchObject({ id: 'm:none', content: 'no_machine' });
  });

  it('draws each op once per shown dimension, with status, late, pinned and urgent classes', () => {
    const items = buildItems(board(), 'both', { editable: true, tr });
    const bars = items.filter((i) => i.type !== 'background');
    expect(bars).toHaveLength(6);
    const m21 = bars.find((i) => i.id === '21|m')!;
    expect(m21.group).toBe('m:1');
    expect(m21.className.split(' ')).toEqual(expect.arrayContaining(['pl-op', 'pl-st-a_faire', 'pl-late', 'pl-pinned', 'pl-urgent']));
    expect(m21.opid).toBe(21);
    expect(bars.find((i) => i.id === '12|p')!.group).toBe('p:10');
    expect(toLocalIso(m21.start)).toBe('2026-12-08T11:10:00');
    expect(m21.editable).toEqual({ updateTime: true, updateGroup: true, remove: false });
  });

  it('makes nothing draggable read-only, and never a finished op', () => {
    const b = board();
    b.ops[1].status = 'termine';
    expect(buildItems(b, 'machines', { editable: false, tr }).filter((i) => i.opid).every((i) => i.editable === false)).toBe(true);
    const items = buildItems(b, 'machines', { editable: true, tr });
    expect(items.find((i) => i.id === '12|m')!.editable).toBe(false);
    expect(items.find((i) => i.id === '11|m')!.editable).not.toBe(false);
  });

  it('shows closed days across all rows and absences in their row only', () => {
    const items = buildItems(board(), 'both', { editable: true, tr });
    const closed = items.find((i) => i.id === 'closed-2026-12-25')!;
    expect(closed).toMatchObject({ type: 'background', className: 'pl-closed' });
    expect(closed.group).toBeUndefined();
    const abs = items.find((i) => i.className === 'pl-unavail')!;
    expect(abs).toMatchObject({ group: 'p:10', content: 'Congés' });
    expect(buildItems(board(), 'machines', { editable: true, tr }).some((i) => i.className === 'pl-unavail')).toBe(false);
  });

  it('draws a proposal as ghost bars, the moved ones marked', () => {
    const items = buildItems(board(), 'machines', { editable: true, tr, proposal: proposal() });
    const ghosts = items.filter((i) => i.ghost);
    expect(ghosts.map((g) => g.id)).toEqual(['ghost-11|m', 'ghost-12|m', 'ghost-21|m']);
    expect(ghosts[0]).toMatchObject({ group: 'm:6', editable: false, selectable: false });
    expect(ghosts[0].className).toContain('pl-ghost-moved');
    expect(ghosts[1].className).not.toContain('pl-ghost-moved');
  });

  it('escapes what it puts in the HTML tooltip', () => {
    const b = board();
    b.ops[0].part = 'Axe <script>alert(1)</script>';
    const html = tooltip(b.ops[0], b, tr);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
});

describe('drop target', () => {
  it('a machine row changes the machine, a person row the person', () => {
    const o = board().ops[0];
    const s = parseLocal('2026-12-08T09:00:00');
    const e = parseLocal('2026-12-08T12:40:00');
    expect(targetFor(o, 'm:6', s, e)).toMatchObject({ machine_id: 6, person_id: 8 });
    expect(targetFor(o, 'p:10', s, e)).toMatchObject({ machine_id: 1, person_id: 10 });
    expect(targetFor(o, 'm:none', s, e)).toMatchObject({ machine_id: null, person_id: 8 });
    expect(parseRow('x')).toBeNull();
  });
});

describe('zoom and range', () => {
  const wed = parseLocal('2026-12-09T10:00:00');
  it('frames the day, the ISO week and the month', () => {
    const d = zoomWindow('day', wed);
    expect([toLocalIso(d.start), toLocalIso(d.end)]).toEqual(['2026-12-09T00:00:00', '2026-12-10T00:00:00']);
    const w = zoomWindow('week', wed);
    expect([toLocalIso(w.start), toLocalIso(w.end)]).toEqual(['2026-12-07T00:00:00', '2026-12-14T00:00:00']);
    const m = zoomWindow('month', wed);
    expect([toLocalIso(m.start), toLocalIso(m.end)]).toEqual(['2026-12-01T00:00:00', '2027-01-01T00:00:00']);
    expect(toLocalIso(shiftAnchor('month', wed, 1))).toBe('2027-01-01T00:00:00');
    expect(toLocalIso(shiftAnchor('week', wed, -1))).toBe('2026-12-02T00:00:00');
  });
  it('fetches whole weeks with a week of margin', () => {
    expect(fetchRange(zoomWindow('week', wed))).toEqual({ from: '2026-11-30', to: '2026-12-27' });
  });
});

describe('proposal diff', () => {
  it('marks what changed in each move', () => {
    const [a, b] = proposal().moves;
    expect(moveChanges(a)).toEqual({ machine: true, person: true, time: true, added: false, removed: false });
    expect(moveChanges(b)).toEqual({ machine: false, person: false, time: true, added: false, removed: false });
    expect(moveChanges({ ...a, before: null }).added).toBe(true);
  });
  it('says whether a job gets later or earlier', () => {
    expect(effectTrend({ late_before_min: 0, late_after_min: 620 })).toBe('worse');
    expect(effectTrend({ late_before_min: 120, late_after_min: 0 })).toBe('better');
    expect(effectTrend({ late_before_min: 0, late_after_min: 0 })).toBe('same');
  });
});

describe('night hours', () => {
  it('hides what is outside the shop shifts, in whole hours', () => {
    const day = [{ start_min: 450, end_min: 720 }, { start_min: 780, end_min: 1020 }];
    expect(nightHours(day)).toEqual({ fromMin: 1020, toMin: 420 });
    expect(nightHours([{ start_min: 330, end_min: 1290 }])).toEqual({ fromMin: 1320, toMin: 300 });
  });
  it('hides nothing without shifts or round the clock', () => {
    expect(nightHours([])).toBeNull();
    expect(nightHours([{ start_min: 0, end_min: 1380 }])).toBeNull();
  });
});
