import { describe, expect, it } from 'vitest';
import { formatSize } from '../../components/AttachmentsPanel';
import {
  canRelease,
  cuttingBody,
  cuttingForm,
  exceedsAvailable,
  lifeAddBody,
  lifeLevel,
  lifePercent,
  minimumBody,
  minimumForm,
  rangeText,
  reservationBody,
  stockItemLabel,
  wholeNumber,
} from './masterData';

describe('reservations', () => {
  it('sends a whole quantity as a number and keeps anything else for the server to name', () => {
    expect(reservationBody({ item_type: 'matiere', item_id: 7, job_ref: ' OF-42 ', quantity: '2' })).toEqual({ item_type: 'matiere', item_id: 7, job_ref: 'OF-42', quantity: 2 });
    expect(reservationBody({ item_type: '', item_id: null, job_ref: '', quantity: '1,5' })).toEqual({ item_type: null, item_id: null, job_ref: null, quantity: '1,5' });
    expect(reservationBody({ item_type: 'outil', item_id: 3, job_ref: 'x', quantity: '' }).quantity).toBeNull();
  });

  it('warns when the quantity is above what is available', () => {
    const a = { on_hand: 5, reserved: 2, available: 3 };
    expect(exceedsAvailable('3', a)).toBe(false);
    expect(exceedsAvailable('4', a)).toBe(true);
    expect(exceedsAvailable('abc', a)).toBe(false);
    expect(exceedsAvailable('4', null)).toBe(false);
    expect(wholeNumber(' 12 ')).toBe(12);
    expect(wholeNumber('-1')).toBeNull();
  });

  it('releases only an active reservation with something left', () => {
    expect(canRelease({ status: 'active', remaining: 2 })).toBe(true);
    expect(canRelease({ status: 'active', remaining: 0 })).toBe(false);
    expect(canRelease({ status: 'liberee', remaining: 0 })).toBe(false);
  });

  it('labels a stock item by its mark, grade and section', () => {
    expect(stockItemLabel({ id: 4, label: 'CH-0131', grade_code: '42CrMo4', shape_label: 'Rond', diameter_mm: '40', width_mm: null, length_mm: '250' })).toBe('CH-0131 — 42CrMo4 Rond Ø 40 × 250');
    expect(stockItemLabel({ id: 4, label: null, grade_code: 'S235', shape_label: 'Plat', diameter_mm: '10', width_mm: '50', length_mm: '3000' })).toBe('#4 — S235 Plat 10 × 50 × 3000');
  });
});

describe('cutting data', () => {
  it('sends every field as the POST does, decimals as typed, empty as null, with the version', () => {
    const v = { ...cuttingForm({ iso_group: 'P', vc_min: '180', vc_max: '220', feed_kind: 'fz', feed_min: '0,05', source: 'fournisseur' }) };
    const body = cuttingBody(v, 3);
    expect(body).toMatchObject({ iso_group: 'P', vc_min: '180', vc_max: '220', feed_min: '0,05', feed_max: null, ap_min: null, notes: null, version: 3 });
    expect(Object.keys(body)).toHaveLength(13);
    expect(cuttingBody(cuttingForm())).toMatchObject({ feed_kind: 'fz', source: 'saisie_manuelle', iso_group: null });
    expect('version' in cuttingBody(cuttingForm())).toBe(false);
  });

  it('shows a range compactly', () => {
    expect(rangeText('180', '220')).toBe('180–220');
    expect(rangeText('180', '180')).toBe('180');
    expect(rangeText(null, '2')).toBe('2');
    expect(rangeText(null, null)).toBe('—');
  });
});

describe('material minimums', () => {
  it('round-trips a minimum into the POST/PATCH body', () => {
    const f = minimumForm({ minimum_id: 1, grade_id: 4, grade_code: 'X', shape: 'rond', diameter_mm: '40', min_quantity: 3, on_hand: 1, available: 1, below_min: true, version: 2 });
    expect(minimumBody({ ...f, min_quantity: '5' }, 2)).toEqual({ grade_id: 4, shape: 'rond', diameter_mm: '40', min_quantity: 5, version: 2 });
    expect(minimumBody(minimumForm())).toEqual({ grade_id: null, shape: 'rond', diameter_mm: null, min_quantity: null });
  });
});

describe('tool life', () => {
  it('computes the bar share and colour', () => {
    expect(lifePercent(30, 120)).toBe(25);
    expect(lifePercent(200, 120)).toBe(100);
    expect(lifePercent(5, null)).toBeNull();
    expect(lifeLevel(30, 120, false)).toBe('ok');
    expect(lifeLevel(100, 120, false)).toBe('warn');
    expect(lifeLevel(120, 120, false)).toBe('out');
    expect(lifeLevel(10, 120, true)).toBe('out');
    expect(lifeAddBody(' 25 ')).toEqual({ add: 25 });
    expect(lifeAddBody('x')).toEqual({ add: 'x' });
  });
});

describe('formatSize', () => {
  it('speaks octets in French and bytes in English', () => {
    expect(formatSize(512)).toBe('512\u00a0o');
    expect(formatSize(12_595)).toBe('12,3\u00a0Ko');
    expect(formatSize(4_718_592)).toBe('4,5\u00a0Mo');
    expect(formatSize(12_595, 'en')).toBe('12.3\u00a0KB');
  });
});
