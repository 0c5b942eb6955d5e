// The 22 module codes of docs/api.md, grouped the way a shop thinks about them. `built` says
// whether the screen exists yet; others open a "planned module" page.
import type { ActionCode, Me } from './api/types';

export const MODULE_CODES = [
  'users', 'hr', 'crm', 'quotes', 'orders', 'routings', 'method_sheets', 'machines', 'programs', 'tools',
  'materials', 'instruments', 'quality', 'planning', 'time_tracking', 'maintenance', 'invoicing', 'finance',
  'statistics', 'integrations', 'robots', 'system',
] as const;

export type ModuleCode = (typeof MODULE_CODES)[number];

export type SectionCode = 'commercial' | 'production' | 'resources' | 'quality_hr' | 'steering' | 'admin';

export interface NavChild {
  /** i18n key of the label. */
  labelKey: string;
  path: string;
  icon: string;
  testId: string;
  /** A right the entry needs besides the module's read right (e.g. method_sheets:update). */
  right?: { module: ModuleCode; action: ActionCode };
}

export interface ModuleDef {
  code: ModuleCode;
  section: SectionCode;
  path: string;
  built: boolean;
  /** Built screens that live under this module in the menu (Système → Droits, Journal d'audit). */
  children?: NavChild[];
}

export const MODULES: ModuleDef[] = [
  {
    code: 'crm',
    section: 'commercial',
    path: '/clients',
    built: true,
    children: [{ labelKey: 'nav_crm.suppliers', path: '/suppliers', icon: 'crm', testId: 'nav-suppliers' }],
  },
  { code: 'quotes', section: 'commercial', path: '/quotes', built: true },
  { code: 'orders', section: 'commercial', path: '/orders', built: true },
  { code: 'invoicing', section: 'commercial', path: '/invoicing', built: false },
  { code: 'routings', section: 'production', path: '/jobs', built: true },
  // Method sheets are opened from an operation (job view, or the traveler's QR on the shop floor).
  // Méthode reads the operators' suggestions here.
  {
    code: 'method_sheets',
    section: 'production',
    path: '/scan',
    built: true,
    children: [
      { labelKey: 'nav_sf.comments', path: '/shop-floor/comments', icon: 'pencil', testId: 'nav-shopfloor-comments', right: { module: 'method_sheets', action: 'update' } },
    ],
  },
  { code: 'programs', section: 'production', path: '/programs', built: false },
  {
    code: 'planning',
    section: 'production',
    path: '/planning',
    built: true,
    children: [
      { labelKey: 'nav_planning.load', path: '/planning/charge', icon: 'statistics', testId: 'nav-planning-load' },
      { labelKey: 'nav_planning.working_time', path: '/planning/temps-de-travail', icon: 'time_tracking', testId: 'nav-planning-working-time' },
      { labelKey: 'nav_planning.absences', path: '/planning/indisponibilites', icon: 'hr', testId: 'nav-planning-absences' },
      { labelKey: 'nav_planning.calendars', path: '/planning/calendriers', icon: 'planning', testId: 'nav-planning-calendars' },
      { labelKey: 'nav_planning.settings', path: '/planning/parametres', icon: 'system', testId: 'nav-planning-settings' },
    ],
  },
  // "Atelier": the operator's tasks (/shop-floor, what the PWA opens), the office's live view and
  // the time clock (docs/shop-floor.md).
  {
    code: 'time_tracking',
    section: 'production',
    path: '/shop-floor',
    built: true,
    children: [
      { labelKey: 'nav_sf.board', path: '/shop-floor/board', icon: 'activity', testId: 'nav-shopfloor-board' },
      { labelKey: 'nav_sf.time', path: '/time', icon: 'time_tracking', testId: 'nav-time' },
    ],
  },
  { code: 'machines', section: 'resources', path: '/machines', built: true },
  {
    code: 'tools',
    section: 'resources',
    path: '/tools',
    built: true,
    children: [
      { labelKey: 'nav.purchase_requests', path: '/tool-purchase-requests', icon: 'orders', testId: 'nav-purchase-requests' },
      { labelKey: 'nav.locations', path: '/locations', icon: 'columns', testId: 'nav-locations' },
    ],
  },
  {
    code: 'materials',
    section: 'resources',
    path: '/materials',
    built: true,
    children: [
      { labelKey: 'nav.material_stock', path: '/material-stock', icon: 'materials', testId: 'nav-material-stock' },
      { labelKey: 'nav_md.material_lots', path: '/material-lots', icon: 'quality', testId: 'nav-material-lots' },
      { labelKey: 'nav_md.material_minimums', path: '/material-minimums', icon: 'alert', testId: 'nav-material-minimums' },
      { labelKey: 'nav_md.reservations', path: '/reservations', icon: 'lock', testId: 'nav-reservations' },
    ],
  },
  { code: 'instruments', section: 'resources', path: '/instruments', built: true },
  { code: 'maintenance', section: 'resources', path: '/maintenance', built: false },
  {
    code: 'quality',
    section: 'quality_hr',
    path: '/quality',
    built: false,
    children: [{ labelKey: 'nav_sf.reasons', path: '/shop-floor/reasons', icon: 'alert', testId: 'nav-scrap-reasons' }],
  },
  { code: 'hr', section: 'quality_hr', path: '/employees', built: true },
  { code: 'finance', section: 'steering', path: '/finance', built: false },
  { code: 'statistics', section: 'steering', path: '/statistics', built: false },
  { code: 'users', section: 'admin', path: '/users', built: true },
  { code: 'integrations', section: 'admin', path: '/integrations', built: false },
  { code: 'robots', section: 'admin', path: '/robots', built: false },
  {
    code: 'system',
    section: 'admin',
    path: '/system',
    built: true,
    children: [
      { labelKey: 'nav.rights', path: '/rights', icon: 'shield', testId: 'nav-rights' },
      { labelKey: 'nav.audit', path: '/audit', icon: 'activity', testId: 'nav-audit' },
      { labelKey: 'nav_crm.setup', path: '/setup', icon: 'system', testId: 'nav-setup' },
      { labelKey: 'nav_crm.rates', path: '/rates', icon: 'finance', testId: 'nav-rates' },
      { labelKey: 'imports.title', path: '/imports', icon: 'download', testId: 'nav-imports' },
    ],
  },
];

export const SECTIONS: SectionCode[] = ['commercial', 'production', 'resources', 'quality_hr', 'steering', 'admin'];

export function moduleByCode(code: string): ModuleDef | undefined {
  return MODULES.find((m) => m.code === code);
}

export function can(me: Pick<Me, 'permissions'> | null | undefined, module: string, action: ActionCode = 'read'): boolean {
  return !!me?.permissions[module]?.includes(action);
}

/**
 * Modules shown to this user: those with at least the read right, in menu order, each with the
 * children whose extra right the user has.
 */
export function visibleModules(me: Pick<Me, 'permissions'> | null | undefined): ModuleDef[] {
  return MODULES.filter((m) => can(me, m.code, 'read')).map((m) =>
    m.children?.some((c) => c.right) ? { ...m, children: m.children.filter((c) => !c.right || can(me, c.right.module, c.right.action)) } : m,
  );
}
