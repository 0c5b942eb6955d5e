import { describe, expect, it } from 'vitest';
import { stockLevel, toolBody, toolForm, type Tool } from './stock';

const tool = {
  id: 1, code: 'T23', name: 'Fraise Ø6 Z4', type: 'fraise', type_label: 'Fraise', iso_designation: null, diameter_mm: '6',
  cutting_length_mm: null, overall_length_mm: null, flutes: 4, coating: 'TiAlN', grade: null, supplier_id: null,
  supplier_name: 'Outillage Forézien', supplier_ref: null, unit_price: '36.00', min_stock: 4, on_hand: 6, reserved: 1,
  available: 5, below_min: false, life_unit: null, life_limit: null, life_used: 0, life_exhausted: false, regrind_count: 0,
  active: true, status: 'actif', status_label: 'Actif', notes: null, url: '', created_at: '', updated_at: '', version: 3,
} satisfies Tool;

describe('toolBody', () => {
  it('on creation sends filled fields only, so a missing type is named by the server', () => {
    const f = { ...toolForm(), code: 'T90', name: 'Foret', min_stock: '2', flutes: 'deux' };
    expect(toolBody(f)).toEqual({ code: 'T90', name: 'Foret', min_stock: 2, flutes: 'deux' });
  });
  it('on edition sends only what changed, an emptied text clears it', () => {
    const f = { ...toolForm(tool), coating: '', min_stock: '6' };
    expect(toolBody(f, tool)).toEqual({ coating: '', min_stock: 6 });
    expect(toolBody(toolForm(tool), tool)).toEqual({});
  });
});

describe('stockLevel', () => {
  it('flags empty and under-minimum stock', () => {
    expect(stockLevel(0, 3, 2)).toBe('out');
    expect(stockLevel(1, 1, 3)).toBe('low');
    expect(stockLevel(5, 6, 4)).toBe('ok');
  });
});
