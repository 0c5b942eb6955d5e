import { describe, expect, it } from 'vitest';
import { declaredAt, filterUnavailability, filtersFromSearch, filtersToSearch, listQuery, unavailabilityState, DEFAULT_FILTERS } from './absences';
import { unavailabilities } from './fixtures';

const NOW = new Date(2026, 11, 8, 10, 0);

describe('unavailabilityState', () => {
  it('is à venir before the start, en cours from the start until the end, passée from the end', () => {
    const u = { from: '2026-12-08T07:30:00', to: '2026-12-08T17:00:00' };
    expect(unavailabilityState(u, new Date(2026, 11, 8, 7, 29))).toBe('a_venir');
    expect(unavailabilityState(u, new Date(2026, 11, 8, 7, 30))).toBe('en_cours');
    expect(unavailabilityState(u, new Date(2026, 11, 8, 16, 59))).toBe('en_cours');
    expect(unavailabilityState(u, new Date(2026, 11, 8, 17, 0))).toBe('passee');
  });
});

describe('filterUnavailability', () => {
  const rows = unavailabilities();
  const ids = (f: Partial<typeof DEFAULT_FILTERS>) => filterUnavailability(rows, { ...DEFAULT_FILTERS, ...f }, NOW).map((u) => u.id);

  it('hides what is over by default (en cours and à venir stay)', () => {
    expect(ids({})).toEqual([3, 2]);
    expect(ids({ state: 'toutes' })).toEqual([3, 2, 1]);
    expect(ids({ state: 'passee' })).toEqual([1]);
    expect(ids({ state: 'en_cours' })).toEqual([2]);
    expect(ids({ state: 'a_venir' })).toEqual([3]);
  });

  it('keeps people or machines', () => {
    expect(ids({ resource: 'machine', state: 'toutes' })).toEqual([3]);
    expect(ids({ resource: 'person', state: 'toutes' })).toEqual([2, 1]);
  });

  it('keeps what overlaps the period, its last day included', () => {
    expect(ids({ state: 'toutes', from: '2026-11-27', to: '2026-12-08' })).toEqual([2, 1]);
    expect(ids({ state: 'toutes', from: '2026-12-14' })).toEqual([3]);
    expect(ids({ state: 'toutes', to: '2026-12-13' })).toEqual([2, 1]);
    // Ends at 28/11 00:00: not on the 28th.
    expect(ids({ state: 'toutes', from: '2026-11-28', to: '2026-11-30' })).toEqual([]);
  });
});

describe('filters in the URL', () => {
  it('round-trips, defaults left out, nonsense ignored', () => {
    const f = { resource: 'machine' as const, state: 'passee' as const, from: '2026-12-01', to: '2026-12-31' };
    const p = new URLSearchParams(filtersToSearch(f));
    expect(p.toString()).toBe('ressource=machine&etat=passee&du=2026-12-01&au=2026-12-31');
    expect(filtersFromSearch(p)).toEqual(f);
    expect(filtersToSearch(DEFAULT_FILTERS)).toEqual({});
    expect(filtersFromSearch(new URLSearchParams('ressource=x&etat=y&du=08/12/2026'))).toEqual(DEFAULT_FILTERS);
  });
});

describe('declaredAt', () => {
  it('shows an RFC 3339 instant in the local zone as dd/mm/yyyy hh:mm', () => {
    const d = new Date('2026-12-08T06:50:00Z');
    const p = (n: number) => String(n).padStart(2, '0');
    expect(declaredAt('2026-12-08T06:50:00Z')).toBe(`${p(d.getDate())}/12/2026 ${p(d.getHours())}:50`);
    expect(declaredAt(null)).toBe('');
  });
});

describe('listQuery', () => {
  it('sends the resource and the period to the server, nothing for the defaults', () => {
    expect(listQuery(DEFAULT_FILTERS)).toEqual({});
    expect(listQuery({ ...DEFAULT_FILTERS, resource: 'machine', from: '2026-12-01', to: '2026-12-31' })).toEqual({ resource: 'machine', from: '2026-12-01', to: '2026-12-31' });
    // The state is the browser's business (it moves with the clock).
    expect(listQuery({ ...DEFAULT_FILTERS, state: 'passee', to: '2026-12-31' })).toEqual({ to: '2026-12-31' });
  });
});
