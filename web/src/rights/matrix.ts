// Pure logic of the rights matrix (role × module × action), kept apart from the screen so the
// rules are unit-tested.
import type { Grants } from '../api/types';

export const ACTION_ORDER = ['read', 'create', 'update', 'delete', 'validate'] as const;
export const ADMIN_ROLE = 'admin';

function sortActions(actions: Iterable<string>): string[] {
  const set = new Set(actions);
  const known = ACTION_ORDER.filter((a) => set.has(a));
  const other = [...set].filter((a) => !(ACTION_ORDER as readonly string[]).includes(a)).sort();
  return [...known, ...other];
}

export function has(grants: Grants, role: string, module: string, action: string): boolean {
  return !!grants[role]?.[module]?.includes(action);
}

function withModule(grants: Grants, role: string, module: string, actions: string[]): Grants {
  const roleGrants = { ...(grants[role] ?? {}) };
  if (actions.length) roleGrants[module] = sortActions(actions);
  else delete roleGrants[module];
  return { ...grants, [role]: roleGrants };
}

/**
 * Canonical form: every role present, actions in a stable order, empty modules dropped, and the
 * admin holding every action on every module (the server enforces the same; showing it avoids
 * a surprise after saving).
 */
export function normalizeGrants(grants: Grants, roles: string[], modules: string[], actions: readonly string[] = ACTION_ORDER): Grants {
  const out: Grants = {};
  for (const role of roles) {
    out[role] = {};
    for (const m of modules) {
      const acts = role === ADMIN_ROLE ? [...actions] : (grants[role]?.[m] ?? []);
      if (acts.length) out[role][m] = sortActions(acts);
    }
  }
  return out;
}

/**
 * Flips one checkbox. Any action other than read needs read (a role that may update a record it
 * cannot open makes no sense), so granting it grants read, and removing read removes all.
 * The admin role is locked.
 */
export function toggleGrant(grants: Grants, role: string, module: string, action: string): Grants {
  if (role === ADMIN_ROLE) return grants;
  const current = grants[role]?.[module] ?? [];
  if (current.includes(action)) {
    return withModule(grants, role, module, action === 'read' ? [] : current.filter((a) => a !== action));
  }
  const next = new Set([...current, action]);
  if (action !== 'read') next.add('read');
  return withModule(grants, role, module, [...next]);
}

/** All actions of a module for a role, or none. */
export function setModuleRow(grants: Grants, role: string, module: string, on: boolean, actions: readonly string[] = ACTION_ORDER): Grants {
  if (role === ADMIN_ROLE) return grants;
  return withModule(grants, role, module, on ? [...actions] : []);
}

/** Header click: if every module has the action, remove it everywhere; else grant it everywhere. */
export function toggleActionColumn(grants: Grants, role: string, action: string, modules: string[]): Grants {
  if (role === ADMIN_ROLE) return grants;
  const all = modules.every((m) => has(grants, role, m, action));
  let g = grants;
  for (const m of modules) {
    if (all) g = has(g, role, m, action) ? toggleGrant(g, role, m, action) : g;
    else g = has(g, role, m, action) ? g : toggleGrant(g, role, m, action);
  }
  return g;
}

/** Number of (role, module, action) cells that differ. */
export function countChanges(a: Grants, b: Grants): number {
  let n = 0;
  const roles = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const r of roles) {
    const modules = new Set([...Object.keys(a[r] ?? {}), ...Object.keys(b[r] ?? {})]);
    for (const m of modules) {
      const x = new Set(a[r]?.[m] ?? []);
      const y = new Set(b[r]?.[m] ?? []);
      for (const act of x) if (!y.has(act)) n++;
      for (const act of y) if (!x.has(act)) n++;
    }
  }
  return n;
}
