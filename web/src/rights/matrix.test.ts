import { describe, expect, it } from 'vitest';
import type { Grants } from '../api/types';
import { countChanges, has, normalizeGrants, setModuleRow, toggleActionColumn, toggleGrant } from './matrix';

const ROLES = ['admin', 'chef_atelier', 'operateur'];
const MODULES = ['users', 'planning', 'time_tracking'];

describe('toggleGrant', () => {
  it('grants and removes a single right without touching the input', () => {
    const g: Grants = { operateur: {} };
    const g1 = toggleGrant(g, 'operateur', 'users', 'read');
    expect(g1.operateur.users).toEqual(['read']);
    expect(g).toEqual({ operateur: {} });
    const g2 = toggleGrant(g1, 'operateur', 'users', 'read');
    expect(has(g2, 'operateur', 'users', 'read')).toBe(false);
    expect(g2.operateur.users).toBeUndefined();
  });
  it('granting update, delete or validate also grants read', () => {
    const g = toggleGrant({}, 'chef_atelier', 'planning', 'validate');
    expect(g.chef_atelier.planning).toEqual(['read', 'validate']);
  });
  it('removing read removes everything on that module', () => {
    const g: Grants = { chef_atelier: { planning: ['read', 'update', 'validate'] } };
    expect(toggleGrant(g, 'chef_atelier', 'planning', 'read').chef_atelier.planning).toBeUndefined();
  });
  it('removing another action keeps read', () => {
    const g: Grants = { chef_atelier: { planning: ['read', 'update', 'validate'] } };
    expect(toggleGrant(g, 'chef_atelier', 'planning', 'update').chef_atelier.planning).toEqual(['read', 'validate']);
  });
  it('keeps actions in the canonical order', () => {
    let g: Grants = {};
    for (const a of ['validate', 'delete', 'create']) g = toggleGrant(g, 'operateur', 'time_tracking', a);
    expect(g.operateur.time_tracking).toEqual(['read', 'create', 'delete', 'validate']);
  });
  it('leaves the admin role locked', () => {
    const g: Grants = { admin: { users: ['read'] } };
    expect(toggleGrant(g, 'admin', 'users', 'read')).toBe(g);
  });
});

describe('normalizeGrants', () => {
  it('gives the admin everything, drops unknown modules and sorts actions', () => {
    const n = normalizeGrants({ operateur: { time_tracking: ['create', 'read'], ghost: ['read'] } }, ROLES, MODULES);
    expect(n.admin.users).toEqual(['read', 'create', 'update', 'delete', 'validate']);
    expect(Object.keys(n.admin)).toEqual(MODULES);
    expect(n.operateur).toEqual({ time_tracking: ['read', 'create'] });
    expect(n.chef_atelier).toEqual({});
  });
});

describe('toggleActionColumn', () => {
  it('grants an action on every module, then removes it everywhere', () => {
    const g1 = toggleActionColumn({ operateur: { users: ['read'] } }, 'operateur', 'read', MODULES);
    expect(MODULES.every((m) => has(g1, 'operateur', m, 'read'))).toBe(true);
    const g2 = toggleActionColumn(g1, 'operateur', 'read', MODULES);
    expect(g2.operateur).toEqual({});
  });
});

describe('setModuleRow', () => {
  it('sets all or nothing for one module', () => {
    const all = setModuleRow({}, 'operateur', 'planning', true);
    expect(all.operateur.planning).toEqual(['read', 'create', 'update', 'delete', 'validate']);
    expect(setModuleRow(all, 'operateur', 'planning', false).operateur.planning).toBeUndefined();
  });
});

describe('countChanges', () => {
  it('counts each differing (role, module, action)', () => {
    const a: Grants = { operateur: { users: ['read'], planning: ['read', 'update'] } };
    const b: Grants = { operateur: { planning: ['read'] }, chef_atelier: { users: ['read'] } };
    expect(countChanges(a, a)).toBe(0);
    expect(countChanges(a, b)).toBe(3);
  });
  it('is back to zero after a grant and its removal', () => {
    const base: Grants = { operateur: {} };
    const flipped = toggleGrant(toggleGrant(base, 'operateur', 'users', 'read'), 'operateur', 'users', 'read');
    expect(countChanges(base, flipped)).toBe(0);
  });
});
