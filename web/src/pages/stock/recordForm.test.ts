import { describe, expect, it } from 'vitest';
import { formValues, recordBody, type FieldSpec } from './recordForm';

const SPECS: FieldSpec[] = [
  { name: 'code', kind: 'text', required: true },
  { name: 'quantity', kind: 'int' },
  { name: 'location_id', kind: 'id' },
  { name: 'active', kind: 'bool' },
  { name: 'shape', kind: 'select', options: ['rond'], createOnly: true },
];

describe('recordBody', () => {
  it('sends every filled field on create, integers as numbers', () => {
    const v = { code: ' A1 ', quantity: '3', location_id: '', active: '', shape: 'rond' };
    expect(recordBody(SPECS, v)).toEqual({ code: 'A1', quantity: 3, shape: 'rond' });
  });

  it('keeps a non-integer as text so the API names the bad field', () => {
    expect(recordBody(SPECS, { code: 'A1', quantity: 'trois' })).toEqual({ code: 'A1', quantity: 'trois' });
  });

  it('sends only changed editable fields on edit, a cleared field as null', () => {
    const original = formValues(SPECS, { code: 'A1', quantity: 3, location_id: 4, active: true, shape: 'rond' });
    expect(original).toEqual({ code: 'A1', quantity: '3', location_id: '4', active: 'true', shape: 'rond' });
    const edited = { ...original, location_id: '', active: 'false', shape: 'carre' };
    expect(recordBody(SPECS, edited, original)).toEqual({ location_id: null, active: false });
  });
});
