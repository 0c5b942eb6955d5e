export type Severity = 'critique' | 'attention' | 'info';

export interface Alert {
  id: number;
  kind: string;
  kind_label: string;
  severity: Severity | string;
  severity_label: string;
  entity_type: string;
  entity_id: number;
  title: string;
  detail: string;
  due_date: string | null;
  url: string;
  computed_at: string;
}

export interface AlertList {
  items: Alert[];
  total: number;
  computed_at: string | null;
}

export interface AlertCount {
  total: number;
  critique: number;
  attention: number;
  info: number;
}

export const SEVERITY_ORDER: Severity[] = ['critique', 'attention', 'info'];

/** Groups the alerts by severity, critical first, keeping the server order inside a group. */
export function groupBySeverity(items: Alert[]): { severity: Severity; items: Alert[] }[] {
  return SEVERITY_ORDER.map((severity) => ({ severity, items: items.filter((a) => a.severity === severity) })).filter((g) => g.items.length > 0);
}

/** In-app link of the alert's record; materials have no record page, so their stock list. */
export function recordPath(a: Pick<Alert, 'entity_type' | 'entity_id'>): string {
  if (a.entity_type === 'materials') return '/material-stock';
  return `/${a.entity_type}/${a.entity_id}`;
}

/** Badge text: the count, capped at 99+; nothing when zero. */
export function badgeText(n: number | undefined): string | null {
  if (!n || n <= 0) return null;
  return n > 99 ? '99+' : String(n);
}

/** Badge colour class: the worst severity present. */
export function badgeClass(c: AlertCount | undefined): string {
  if (!c) return '';
  if (c.critique > 0) return 'alert-badge-critique';
  if (c.attention > 0) return 'alert-badge-attention';
  return 'alert-badge-info';
}

/** ISO date → dd/mm/yyyy. */
export function frDate(d: string | null): string {
  if (!d) return '';
  const [y, m, day] = d.split('-');
  return `${day}/${m}/${y}`;
}
