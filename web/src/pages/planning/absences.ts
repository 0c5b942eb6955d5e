// Pure helpers of the "Indisponibilités" screen: where an absence or a downtime stands against
// now (à venir / en cours / passée) and the screen's filters. Times are shop wall-clock
// date-times without offset ("2026-12-08T07:30:00"), read with the browser's local fields like
// the rest of the planning screens.
import { parseLocal } from './time';
import type { Unavailability } from './types';

export type UnavailabilityState = 'a_venir' | 'en_cours' | 'passee';

/** À venir before its start, en cours from its start until its end (excluded), passée after. */
export function unavailabilityState(u: Pick<Unavailability, 'from' | 'to'>, now: Date): UnavailabilityState {
  const t = now.getTime();
  if (t < parseLocal(u.from).getTime()) return 'a_venir';
  if (t < parseLocal(u.to).getTime()) return 'en_cours';
  return 'passee';
}

/** The state filter: `actuelles` (the default) hides what is over. */
export type StateFilter = 'actuelles' | UnavailabilityState | 'toutes';
export const STATE_FILTERS: StateFilter[] = ['actuelles', 'a_venir', 'en_cours', 'passee', 'toutes'];

export type ResourceFilter = 'toutes' | 'person' | 'machine';

export interface UnavailabilityFilters {
  resource: ResourceFilter;
  state: StateFilter;
  /** First day of the period ("2026-12-01"), empty: no lower bound. */
  from: string;
  /** Last day of the period (included), empty: no upper bound. */
  to: string;
}

export const DEFAULT_FILTERS: UnavailabilityFilters = { resource: 'toutes', state: 'actuelles', from: '', to: '' };

/** Reads the filters from the URL (`?ressource=machine&etat=passee&du=…&au=…`). */
export function filtersFromSearch(p: URLSearchParams): UnavailabilityFilters {
  const r = p.get('ressource');
  const s = p.get('etat') as StateFilter | null;
  const day = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : '');
  return {
    resource: r === 'person' || r === 'machine' ? r : 'toutes',
    state: s && STATE_FILTERS.includes(s) ? s : 'actuelles',
    from: day(p.get('du')),
    to: day(p.get('au')),
  };
}

/** The URL parameters of the filters; defaults are left out so a plain link stays plain. */
export function filtersToSearch(f: UnavailabilityFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.resource !== 'toutes') out.ressource = f.resource;
  if (f.state !== 'actuelles') out.etat = f.state;
  if (f.from) out.du = f.from;
  if (f.to) out.au = f.to;
  return out;
}

/**
 * The server's query for the list: the resource and the period (days, the last one included,
 * as on the screen) are filtered there too, so a long history is not all sent for one month.
 */
export function listQuery(f: UnavailabilityFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.resource !== 'toutes') q.resource = f.resource;
  if (f.from) q.from = f.from;
  if (f.to) q.to = f.to;
  return q;
}

/**
 * Keeps the rows matching the filters. The period keeps what overlaps it: an absence from the
 * 28/11 to the 02/12 is in "du 01/12 au 31/12". The resource and period are also filtered on
 * the server; filtering again here keeps the screen right while the new list loads.
 */
export function filterUnavailability(rows: Unavailability[], f: UnavailabilityFilters, now: Date): Unavailability[] {
  const lo = f.from ? parseLocal(f.from).getTime() : -Infinity;
  const hiDay = f.to ? parseLocal(f.to) : null;
  const hi = hiDay ? new Date(hiDay.getFullYear(), hiDay.getMonth(), hiDay.getDate() + 1).getTime() : Infinity;
  return rows.filter((u) => {
    if (f.resource !== 'toutes' && u.resource !== f.resource) return false;
    const st = unavailabilityState(u, now);
    if (f.state === 'actuelles' && st === 'passee') return false;
    if (f.state !== 'actuelles' && f.state !== 'toutes' && st !== f.state) return false;
    return parseLocal(u.from).getTime() < hi && parseLocal(u.to).getTime() > lo;
  });
}

/** RFC 3339 instant ("2026-12-07T09:00:00Z") → "07/12/2026 10:00" in the browser's zone. */
export function declaredAt(s: string | null | undefined): string {
  if (!s) return '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
