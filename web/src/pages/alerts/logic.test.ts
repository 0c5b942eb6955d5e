import { describe, expect, it } from 'vitest';
import { type Alert, badgeClass, badgeText, frDate, groupBySeverity, recordPath } from './logic';

const a = (id: number, severity: string, entity_type = 'tools'): Alert => ({
  id,
  kind: 'stock_outil',
  kind_label: 'Stock outil',
  severity,
  severity_label: severity,
  entity_type,
  entity_id: id,
  title: `A${id}`,
  detail: '',
  due_date: null,
  url: '',
  computed_at: '',
});

describe('alerts logic', () => {
  it('groups critical first and drops empty groups', () => {
    const g = groupBySeverity([a(1, 'info'), a(2, 'critique'), a(3, 'info')]);
    expect(g.map((x) => x.severity)).toEqual(['critique', 'info']);
    expect(g[1].items.map((x) => x.id)).toEqual([1, 3]);
  });
  it('links to the record, materials to the stock list', () => {
    expect(recordPath(a(7, 'info', 'instruments'))).toBe('/instruments/7');
    expect(recordPath(a(7, 'info', 'materials'))).toBe('/material-stock');
  });
  it('shows no badge at zero and caps at 99+', () => {
    expect(badgeText(0)).toBeNull();
    expect(badgeText(5)).toBe('5');
    expect(badgeText(140)).toBe('99+');
  });
  it('colours the badge by the worst severity', () => {
    expect(badgeClass({ total: 2, critique: 1, attention: 1, info: 0 })).toBe('alert-badge-critique');
    expect(badgeClass({ total: 1, critique: 0, attention: 1, info: 0 })).toBe('alert-badge-attention');
    expect(badgeClass({ total: 1, critique: 0, attention: 0, info: 1 })).toBe('alert-badge-info');
  });
  it('formats dates the French way', () => {
    expect(frDate('2026-12-20')).toBe('20/12/2026');
    expect(frDate(null)).toBe('');
  });
});
