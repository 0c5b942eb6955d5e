import { describe, expect, it } from 'vitest';
import { diffRecords, flatten, prettyJson } from './diff';

describe('diffRecords', () => {
  it('lists only changed fields, skipping bookkeeping ones', () => {
    const before = { full_name: 'Kevin Dumas', email: 'k@x.fr', roles: ['operateur'], version: 3, updated_at: 'a' };
    const after = { full_name: 'Kévin Dumas', email: 'k@x.fr', roles: ['operateur', 'qualite'], version: 4, updated_at: 'b' };
    expect(diffRecords(before, after)).toEqual([
      { field: 'full_name', before: 'Kevin Dumas', after: 'Kévin Dumas' },
      { field: 'roles', before: ['operateur'], after: ['operateur', 'qualite'] },
    ]);
  });
  it('treats a creation as every field going from nothing to its value', () => {
    expect(diffRecords(null, { login: 'op', active: true, id: 9 })).toEqual([
      { field: 'login', before: undefined, after: 'op' },
      { field: 'active', before: undefined, after: true },
    ]);
  });
  it('reports removed keys and null ↔ undefined as no change', () => {
    expect(diffRecords({ a: 1, b: null }, { c: undefined })).toEqual([{ field: 'a', before: 1, after: undefined }]);
  });
  it('does not report an empty list appearing where there was nothing', () => {
    expect(diffRecords({ removed: ['operateur:users:read'] }, { added: [] })).toEqual([
      { field: 'removed', before: ['operateur:users:read'], after: undefined },
    ]);
  });
  it('walks into nested objects so a rights change reads role.module', () => {
    const before = { operateur: { tools: ['read'], users: ['read'] } };
    const after = { operateur: { tools: ['read'] } };
    expect(diffRecords(before, after)).toEqual([{ field: 'operateur.users', before: ['read'], after: undefined }]);
  });
});

describe('flatten', () => {
  it('keeps arrays whole and empty objects as values', () => {
    expect(flatten({ a: { b: { c: 1 } }, d: [1, 2], e: {} })).toEqual({ 'a.b.c': 1, d: [1, 2], e: {} });
  });
});

describe('prettyJson', () => {
  it('keeps short value arrays on one line and nests objects', () => {
    expect(prettyJson({ a: ['read', 'create'], b: { c: 1 }, d: [] })).toBe('{\n  "a": ["read", "create"],\n  "b": {\n    "c": 1\n  },\n  "d": []\n}');
    expect(prettyJson([{ x: 1 }])).toBe('[\n  {\n    "x": 1\n  }\n]');
    expect(prettyJson(null)).toBe('null');
  });
});
