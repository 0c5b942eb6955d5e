import { describe, expect, it } from 'vitest';
import {
  cellErrors,
  cellKey,
  decimalInput,
  emptyMaterialRow,
  emptyTreatmentRow,
  isDecimal,
  nextRowKey,
  normalizeDecimal,
  parseErrorPath,
  parseLeadDays,
  pricesBody,
  pricesDirty,
  pricesForm,
  type QuotePrices,
} from './prices';

const PRICES: QuotePrices = {
  materials: [
    { grade_code: 'MA02', price_per_kg: '2.60', certified_price_per_kg: '2.99', certificate_fee: '25', lead_days: 5 },
    { grade_code: 'MA07', price_per_kg: '6.10', certified_price_per_kg: null, certificate_fee: null, lead_days: 0 },
  ],
  treatments: [{ treatment: 'zingage', supplier: 'Anodia Surfaces SAS', basis: 'per_kg', price: '2.60', lot_charge: '35', min_charge: '60', lead_days: 5 }],
};

describe('French decimals', () => {
  it('turns a comma into a dot and drops spaces, keeping the digits as typed', () => {
    expect(normalizeDecimal('2,60')).toBe('2.60');
    expect(normalizeDecimal(' 1 234,5 ')).toBe('1234.5');
    expect(normalizeDecimal('1\u202f200')).toBe('1200');
    expect(normalizeDecimal('3.20')).toBe('3.20');
    expect(normalizeDecimal('')).toBe('');
  });

  it('accepts only non-negative decimals once normalised', () => {
    for (const ok of ['2.60', '25', '0', '0.5']) expect(isDecimal(ok)).toBe(true);
    for (const bad of ['', '-3', 'abc', '2.6.0', '.5', '2.', '1e3']) expect(isDecimal(bad)).toBe(false);
    expect(isDecimal(normalizeDecimal('1,234,5'))).toBe(false);
  });

  it('shows server decimals with a comma in French, as is in English', () => {
    expect(decimalInput('2.60')).toBe('2,60');
    expect(decimalInput('2.60', 'en')).toBe('2.60');
    expect(decimalInput(null)).toBe('');
    expect(decimalInput(undefined)).toBe('');
  });

  it('reads a lead time in whole days, empty meaning 0', () => {
    expect(parseLeadDays('')).toBe(0);
    expect(parseLeadDays(' 12 ')).toBe(12);
    expect(parseLeadDays('2,5')).toBeNull();
    expect(parseLeadDays('-1')).toBeNull();
    expect(parseLeadDays('1000')).toBeNull();
  });
});

describe('pricesForm / pricesBody', () => {
  it('round-trips what the server sent (French inputs, dots on the wire, null for empty amounts)', () => {
    const f = pricesForm(PRICES);
    expect(f.materials[0]).toEqual({ key: 1, grade_code: 'MA02', price_per_kg: '2,60', certified_price_per_kg: '2,99', certificate_fee: '25', lead_days: '5' });
    expect(f.treatments[0].key).toBe(3);
    expect(f.treatments[0].price).toBe('2,60');
    const r = pricesBody(f);
    expect(r.errors).toEqual([]);
    expect(r.body).toEqual(PRICES);
    expect(r.keys).toEqual({ materials: [1, 2], treatments: [3] });
    expect(pricesDirty(PRICES, f)).toBe(false);
  });

  it('sends "2.60" for "2,60" typed, 0 for an empty lead time, and leaves blank rows out', () => {
    const f = pricesForm(PRICES);
    f.materials[1] = { ...f.materials[1], price_per_kg: '6,35', lead_days: '' };
    f.materials.push(emptyMaterialRow(nextRowKey(f)));
    f.treatments.unshift(emptyTreatmentRow(10));
    const r = pricesBody(f);
    expect(r.errors).toEqual([]);
    expect(r.body.materials).toHaveLength(2);
    expect(r.body.materials[1]).toEqual({ grade_code: 'MA07', price_per_kg: '6.35', certified_price_per_kg: null, certificate_fee: null, lead_days: 0 });
    expect(r.body.treatments).toHaveLength(1);
    expect(r.keys).toEqual({ materials: [1, 2], treatments: [3] });
    expect(pricesDirty(PRICES, f)).toBe(true);
  });

  it('checks every cell with the server paths, indexed in the body sent', () => {
    const f = pricesForm(PRICES);
    f.treatments.unshift(emptyTreatmentRow(20)); // blank: skipped, so the next row is index 0
    f.materials.push({ key: 30, grade_code: 'ma02', price_per_kg: '', certified_price_per_kg: 'abc', certificate_fee: '-3', lead_days: '2,5' });
    f.treatments.push({ key: 31, treatment: '', supplier: ' ', basis: 'per_litre', price: '1,5', lot_charge: '', min_charge: '', lead_days: '' });
    f.treatments.push({ key: 32, treatment: 'zingage', supplier: 'anodia surfaces sas', basis: 'per_piece', price: '3', lot_charge: '', min_charge: '', lead_days: '' });
    const r = pricesBody(f);
    expect(r.errors).toEqual([
      { field: 'materials[2].grade_code', code: 'duplicate_grade' },
      { field: 'materials[2].price_per_kg', code: 'amount_required' },
      { field: 'materials[2].certified_price_per_kg', code: 'amount' },
      { field: 'materials[2].certificate_fee', code: 'amount' },
      { field: 'materials[2].lead_days', code: 'days' },
      { field: 'treatments[1].treatment', code: 'treatment_required' },
      { field: 'treatments[1].supplier', code: 'supplier_required' },
      { field: 'treatments[1].basis', code: 'basis' },
      { field: 'treatments[2].supplier', code: 'duplicate_treatment' },
    ]);
    expect(r.keys).toEqual({ materials: [1, 2, 30], treatments: [3, 31, 32] });
  });
});

describe('error paths → cells', () => {
  it('reads the three spellings of a path', () => {
    expect(parseErrorPath('materials[0].price_per_kg')).toEqual({ table: 'materials', index: 0, field: 'price_per_kg' });
    expect(parseErrorPath('treatments.12.lot_charge')).toEqual({ table: 'treatments', index: 12, field: 'lot_charge' });
    expect(parseErrorPath('/treatments/3/basis')).toEqual({ table: 'treatments', index: 3, field: 'basis' });
    expect(parseErrorPath('materials[2]')).toEqual({ table: 'materials', index: 2, field: null });
    expect(parseErrorPath('materials')).toBeNull();
    expect(parseErrorPath('version')).toBeNull();
  });

  it('puts each message on the cell of the row that was sent at that index', () => {
    const keys = { materials: [4, 9], treatments: [7] };
    const { cells, unmatched } = cellErrors(
      [
        { field: 'materials[1].price_per_kg', code: 'invalid_amount', message: '« abc » n’est pas un montant valide.' },
        { field: 'materials[1].price_per_kg', code: 'x', message: 'Encore.' },
        { field: 'treatments[0].basis', code: 'invalid_choice', message: 'Base de prix.' },
        { field: 'materials[0]', code: 'x', message: 'Ligne entière.' },
        { field: 'materials[5].price_per_kg', code: 'x', message: 'Hors tableau.' },
        { field: 'treatments[0].colour', code: 'x', message: 'Colonne inconnue.' },
        { field: '', code: 'x', message: 'Sans champ.' },
      ],
      keys,
    );
    expect(cells).toEqual({
      [cellKey('materials', 9, 'price_per_kg')]: '« abc » n’est pas un montant valide. Encore.',
      [cellKey('treatments', 7, 'basis')]: 'Base de prix.',
      [cellKey('materials', 4, 'grade_code')]: 'Ligne entière.',
    });
    expect(unmatched.map((e) => e.message)).toEqual(['Hors tableau.', 'Colonne inconnue.', 'Sans champ.']);
  });
});
