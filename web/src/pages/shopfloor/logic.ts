// Pure helpers of the shop-floor and time screens (unit-tested without the DOM): durations,
// which action buttons an operation offers, scanned text → operation id, hours/minutes typed by
// an operator, ISO weeks, supervisor roles.
import type { Can, MachineState } from './types';

/** Minutes (number or decimal string) → "1 h 25", "45 min", "0 min"; null/NaN → "—". */
export function formatDuration(min: number | string | null | undefined): string {
  if (min == null || min === '') return '—';
  const n = Number(min);
  if (!Number.isFinite(n)) return '—';
  const sign = n < 0 ? '-' : '';
  if (n > 0 && n < 0.5) return '< 1 min';
  const total = Math.round(Math.abs(n));
  if (total < 60) return `${sign}${total} min`;
  const h = Math.floor(total / 60);
  const m = total % 60;
  return `${sign}${h} h ${String(m).padStart(2, '0')}`;
}

/** Minutes between two instants (ISO strings or Dates), never negative. */
export function minutesBetween(from: string | Date, to: string | Date): number {
  const a = new Date(from).getTime();
  const b = new Date(to).getTime();
  if (!Number.isFinite(a) || !Number.isFinite(b)) return 0;
  return Math.max(0, (b - a) / 60_000);
}

/** Real vs estimated: ratio in percent (100 = on time), null when no estimate. */
export function ratioPct(real: number | string | null | undefined, estimated: number | string | null | undefined): number | null {
  const r = Number(real);
  const e = Number(estimated);
  if (real == null || estimated == null || !Number.isFinite(r) || !Number.isFinite(e) || e <= 0) return null;
  return Math.round((r / e) * 100);
}

export type ActionKind = 'start' | 'pause' | 'resume' | 'report' | 'finish';

/** The action buttons to show, in screen order, for the server's `can`. */
export function visibleActions(can: Partial<Can> | null | undefined): ActionKind[] {
  if (!can) return [];
  const order: ActionKind[] = ['start', 'resume', 'pause', 'report', 'finish'];
  return order.filter((a) => !!can[a]);
}

/** The pause reason that demands a note. */
export const OTHER_REASON = 'autre';

export function pauseNoteMissing(reason: string, note: string): boolean {
  return reason === OTHER_REASON && note.trim() === '';
}

/**
 * What a scan or a typed entry means: the operation id of a traveler QR
 * (`<any origin>/operations/12`), a path `/operations/12`, or a bare number. Anything else → null.
 */
export function operationIdFromScan(raw: string): number | null {
  const text = raw.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text);
  const m = /(?:^|\/)operations\/(\d{1,10})(?:[/?#]|$)/.exec(text);
  return m ? Number(m[1]) : null;
}

/** "1" h + "25" min → 85; empty both → null; invalid (negative, not a number, ≥ 60 min with hours) → false. */
export function parseHoursMinutes(hours: string, minutes: string): number | null | false {
  const h = hours.trim().replace(',', '.');
  const m = minutes.trim().replace(',', '.');
  if (h === '' && m === '') return null;
  const hv = h === '' ? 0 : Number(h);
  const mv = m === '' ? 0 : Number(m);
  if (!/^\d*(?:\.\d+)?$/.test(h) || !/^\d*(?:\.\d+)?$/.test(m) || !Number.isFinite(hv) || !Number.isFinite(mv)) return false;
  if (!Number.isInteger(mv) || hv < 0 || mv < 0) return false;
  const total = Math.round(hv * 60 + mv);
  return total > 0 ? total : false;
}

/** Minutes → the h/min pair an operator edits. */
export function splitMinutes(min: number | string | null | undefined): { h: string; m: string } {
  const n = Math.round(Number(min ?? 0));
  if (!Number.isFinite(n) || n <= 0) return { h: '0', m: '0' };
  return { h: String(Math.floor(n / 60)), m: String(n % 60) };
}

/** A declaration farther than 1 minute from the measurement goes to the chef d'atelier. */
export function needsApproval(declared: number, measured: number | string | null | undefined): boolean {
  const m = Number(measured ?? 0);
  return Math.abs(declared - (Number.isFinite(m) ? m : 0)) > 1;
}

export const SUPERVISOR_ROLES = ['chef_atelier', 'direction', 'admin'] as const;

export function isSupervisor(roles: readonly string[] | null | undefined): boolean {
  return !!roles?.some((r) => (SUPERVISOR_ROLES as readonly string[]).includes(r));
}

/** Good + scrap may not exceed the input still available on the operation. */
export function quantityError(good: number, scrap: number, available: number, done: number): 'negative' | 'too_many' | null {
  if (!Number.isInteger(good) || !Number.isInteger(scrap) || good < 0 || scrap < 0) return 'negative';
  if (good + scrap + done > available) return 'too_many';
  return null;
}

export function machineStateClass(s: MachineState | string): string {
  return s === 'marche' || s === 'pause' || s === 'arret' ? `sf-m-${s}` : 'sf-m-arret';
}

// ---- ISO weeks ------------------------------------------------------------------------------

/** The ISO week of a date ("2026-W49"), computed in local time. */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const year = t.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.ceil(((t.getTime() - jan1) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday (UTC date) of an ISO week string, or null when malformed. */
export function mondayOfWeek(week: string): Date | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return null;
  const year = Number(m[1]);
  const w = Number(m[2]);
  if (w < 1 || w > 53) return null;
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const day = jan4.getUTCDay() || 7;
  const monday = new Date(jan4);
  monday.setUTCDate(jan4.getUTCDate() - day + 1 + (w - 1) * 7);
  return monday;
}

/** The week `delta` weeks away ("2026-W01", -1 → "2025-W52"). */
export function shiftWeek(week: string, delta: number): string {
  const monday = mondayOfWeek(week);
  if (!monday) return week;
  monday.setUTCDate(monday.getUTCDate() + delta * 7);
  return isoWeek(new Date(monday.getUTCFullYear(), monday.getUTCMonth(), monday.getUTCDate()));
}

/** `datetime-local` input value ("2026-12-07T08:30") → ISO with the device offset. */
export function localInputToIso(v: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return null;
  const d = new Date(v);
  return Number.isFinite(d.getTime()) ? d.toISOString() : null;
}

/** A tool's reference and name, whichever way the server spells them. */
export function toolNames(t: { reference?: string; designation?: string; code?: string; name?: string }): { ref: string; name: string } {
  return { ref: t.reference ?? t.code ?? '', name: t.designation ?? t.name ?? '' };
}

/** A machine tile's title: the contract's `label`, or the server's code + name. */
export function machineTitle(m: { label?: string; code?: string; name?: string }): string {
  if (m.code || m.name) return [m.code, m.name].filter(Boolean).join(' ');
  return m.label ?? '';
}
