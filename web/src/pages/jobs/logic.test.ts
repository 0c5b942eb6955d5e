import { describe, expect, it } from 'vitest';
import { DIFF, JOB, OPS } from './fixtures';
import {
  diffCounts,
  diffLines,
  diffValue,
  dropOrder,
  dropPlace,
  durationText,
  isSubcontract,
  machineCodeOf,
  minutesText,
  moveItem,
  operationPatch,
  parseMinutes,
  routingState,
  sameOrder,
  sortedChanges,
  sortedOperations,
  stepOrder,
  toolState,
  toolText,
  totalMinutes,
  visibleVersions,
} from './logic';

const IDS = [101, 102, 103, 104];

describe('reorder', () => {
  it('moves an item to an index', () => {
    expect(moveItem(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(moveItem(['a', 'b', 'c', 'd'], 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveItem(['a', 'b'], 0, 5)).toEqual(['a', 'b']);
  });

  it('drops before or after the target row', () => {
    // Control (104) dragged above the treatment (103).
    expect(dropOrder(IDS, 104, 103, 'before')).toEqual([101, 102, 104, 103]);
    // Débit (101) dragged below turning (102).
    expect(dropOrder(IDS, 101, 102, 'after')).toEqual([102, 101, 103, 104]);
    // Dragging down "before" the next row changes nothing.
    expect(dropOrder(IDS, 101, 102, 'before')).toEqual(IDS);
    expect(dropOrder(IDS, 102, 102, 'after')).toEqual(IDS);
    expect(dropOrder(IDS, 999, 102, 'after')).toEqual(IDS);
  });

  it('steps one operation up or down, not past the ends', () => {
    expect(stepOrder(IDS, 103, -1)).toEqual([101, 103, 102, 104]);
    expect(stepOrder(IDS, 103, 1)).toEqual([101, 102, 104, 103]);
    expect(stepOrder(IDS, 101, -1)).toEqual(IDS);
    expect(stepOrder(IDS, 104, 1)).toEqual(IDS);
    expect(sameOrder(stepOrder(IDS, 104, 1), IDS)).toBe(true);
    expect(sameOrder([1, 2], [2, 1])).toBe(false);
  });

  it('decides the drop side from the pointer and the row middle', () => {
    expect(dropPlace(110, 100, 40)).toBe('before');
    expect(dropPlace(121, 100, 40)).toBe('after');
  });

  it('sorts operations by position', () => {
    expect(sortedOperations([OPS[2], OPS[0], OPS[3], OPS[1]]).map((o) => o.id)).toEqual(IDS);
  });
});

describe('minutes', () => {
  it('reads minutes typed in French', () => {
    expect(parseMinutes('12,5')).toBe('12.5');
    expect(parseMinutes(' 045 ')).toBe('45');
    expect(parseMinutes('0,5')).toBe('0.5');
    expect(parseMinutes('')).toBeNull();
    expect(parseMinutes('-3')).toBe(false);
    expect(parseMinutes('1h')).toBe(false);
  });

  it('shows server minutes in French', () => {
    expect(minutesText('12.50')).toBe('12,5');
    expect(minutesText('45')).toBe('45');
    expect(minutesText('6.5', 'en')).toBe('6.5');
    expect(minutesText(null)).toBe('');
  });

  it('totals setup + run × quantity: 45 + 6,5 × 25 = 207,5 min', () => {
    expect(totalMinutes('45', '6.5', 25)).toBe(207.5);
    expect(totalMinutes(null, '2', 10)).toBe(20);
    expect(totalMinutes('x', '2', 10)).toBeNull();
  });

  it('writes a duration in minutes below an hour, else hours and minutes', () => {
    expect(durationText(45)).toBe('45 min');
    expect(durationText(7.5)).toBe('7,5 min');
    expect(durationText(125)).toBe('2 h 05');
    expect(durationText(207.5)).toBe('3 h 28');
    expect(durationText(null)).toBe('—');
  });
});

describe('operation edits', () => {
  it('sends only the changed fields and the operation version', () => {
    expect(operationPatch({ version: 3 }, { setup_min: '30' })).toEqual({ setup_min: '30', version: 3 });
    expect(operationPatch({ version: 3 }, { machine_id: 5 })).toEqual({ machine_id: 5, version: 3 });
  });

  it('clears the machine with clear_machine, not a null', () => {
    expect(operationPatch({ version: 2 }, { machine_id: null })).toEqual({ clear_machine: true, version: 2 });
  });

  it('tells subcontracted operations', () => {
    expect(isSubcontract(OPS[2])).toBe(true);
    expect(isSubcontract(OPS[1])).toBe(false);
    expect(isSubcontract({ process: 'controle', supplier_id: 4, supplier_name: null })).toBe(true);
  });

  it('colours tools: in stock, to order, or not in the crib', () => {
    expect(toolState(OPS[1].tools[0])).toBe('ok');
    expect(toolState(OPS[1].tools[1])).toBe('missing');
    expect(toolState({ in_stock: false, tool_id: null })).toBe('unknown');
    expect(toolText(OPS[1].tools[1])).toBe('T05 Taraud M10 Ø10');
    expect(toolText({ position: 'T03', label: 'Foret Ø8,5', diameter: 8.5 })).toBe('T03 Foret Ø8,5');
  });

  it('says whether the routing is validated', () => {
    expect(routingState(JOB)).toBe('brouillon');
    expect(routingState({ ...JOB, status: 'pret', routing_validated_at: '2026-11-26T09:00:00Z' })).toBe('validee');
  });
});

describe('routing diff', () => {
  it('counts the changes by kind, in a fixed order', () => {
    expect(diffCounts(DIFF)).toEqual([
      { kind: 'ajoutee', count: 1 },
      { kind: 'supprimee', count: 1 },
      { kind: 'modifiee', count: 1 },
    ]);
    expect(diffCounts({ changes: [] })).toEqual([]);
  });

  it('lists the changes in routing order', () => {
    expect(sortedChanges(DIFF.changes).map((c) => c.position)).toEqual([20, 30, 50]);
  });

  it('writes values in French', () => {
    expect(diffValue(null)).toBe('—');
    expect(diffValue('')).toBe('—');
    expect(diffValue(true)).toBe('oui');
    expect(diffValue(6.5)).toBe('6,5');
    expect(diffValue('6.5')).toBe('6,5');
    expect(diffValue(['T01', 'T02'])).toBe('T01, T02');
    expect(diffValue({ code: 'TOUR-02' })).toBe('TOUR-02');
    expect(diffValue('2026-12-01')).toBe('2026-12-01');
  });

  it('renders field changes as "label : before → after", machines by code', () => {
    const labels: Record<string, string> = { machine: 'Machine' };
    const machines = [
      { id: 4, code: 'TOUR-02' },
      { id: 5, code: 'TOUR-03' },
    ];
    const change = { ...DIFF.changes[0], fields: DIFF.changes[0].fields.map((f) => (f.field === 'machine' ? { ...f, before: machineCodeOf(f.before, machines), after: machineCodeOf(f.after, machines) } : f)) };
    expect(diffLines(change, (f) => labels[f] ?? f)).toEqual(['Machine : TOUR-03 → TOUR-02', 'réglage (min) : 30 → 45']);
    expect(machineCodeOf('99', machines)).toBe('99');
    expect(machineCodeOf(null, machines)).toBeNull();
  });
});

describe('versions list', () => {
  const v = (n: number) => ({ version: n });
  it('shows the newest ones and the first (generated) one', () => {
    const all = [1, 2, 3, 4, 5, 6, 7, 8].map(v);
    expect(visibleVersions(all, false).map((x) => x.version)).toEqual([8, 7, 6, 5, 1]);
    expect(visibleVersions(all, true).map((x) => x.version)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(visibleVersions([v(2), v(1)], false).map((x) => x.version)).toEqual([2, 1]);
  });
});
