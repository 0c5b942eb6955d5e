import { describe, expect, it } from 'vitest';
import { createBody, fitsPhotoLimit, patchBody, skillsBody, skillsChanged, valuesFrom, weeklyTotal, type FieldSpec } from './logic';

const specs: FieldSpec[] = [
  { name: 'code', kind: 'text', label: 'x' },
  { name: 'year', kind: 'int', label: 'x' },
  { name: 'travel_x_mm', kind: 'decimal', label: 'x' },
  { name: 'bar_feeder', kind: 'bool', label: 'x' },
  { name: 'active', kind: 'bool', label: 'x' },
];

describe('resources form bodies', () => {
  it('creation sends filled fields only, integers as numbers and decimals as strings', () => {
    const v = { code: ' M09 ', year: '2024', travel_x_mm: '205,5', bar_feeder: true, active: true };
    expect(createBody(specs, v)).toEqual({ code: 'M09', year: 2024, travel_x_mm: '205,5', bar_feeder: true, active: true });
    expect(createBody(specs, { ...v, year: '' })).not.toHaveProperty('year');
  });

  it('an integer typed wrong is sent as text so the server names the field', () => {
    expect(createBody(specs, { code: 'M', year: '20 24x', travel_x_mm: '', bar_feeder: false, active: true }).year).toBe('20 24x');
  });

  it('a PATCH carries only what changed, and null for a cleared field', () => {
    const original = valuesFrom(specs, { code: 'M09', year: 2024, travel_x_mm: '205', bar_feeder: false, active: true });
    expect(original).toEqual({ code: 'M09', year: '2024', travel_x_mm: '205', bar_feeder: false, active: true });
    expect(patchBody(specs, original, { ...original })).toEqual({});
    expect(patchBody(specs, original, { ...original, travel_x_mm: '', bar_feeder: true })).toEqual({ travel_x_mm: null, bar_feeder: true });
  });

  it('a new record starts active', () => {
    expect(valuesFrom(specs, null).active).toBe(true);
    expect(valuesFrom(specs, null).bar_feeder).toBe(false);
  });
});

describe('people', () => {
  it('a Monday–Thursday 8.5 h, Friday 5 h week is 39 h', () => {
    expect(weeklyTotal(['8,5', '8.5', '8.5', '8.5', '5', '0', ''])).toBe(39);
    expect(weeklyTotal(['abc', '7'])).toBe(7);
  });

  it('skills are sent for every code, and 0 equals absent', () => {
    expect(skillsBody(['SAW', 'MILL3'], { MILL3: 2 })).toEqual({ SAW: 0, MILL3: 2 });
    expect(skillsChanged({ SAW: 0, MILL3: 2 }, { MILL3: 2 })).toBe(false);
    expect(skillsChanged({ MILL3: 3 }, { MILL3: 2 })).toBe(true);
  });

  it('a photo over 300 kB is refused before upload', () => {
    expect(fitsPhotoLimit('x'.repeat(10))).toBe(true);
    expect(fitsPhotoLimit('x'.repeat(300 * 1024 + 1))).toBe(false);
  });
});
