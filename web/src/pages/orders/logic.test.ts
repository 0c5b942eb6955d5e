import { describe, expect, it } from 'vitest';
import { LINE_1, LINE_2, ORDER, PO_IMPORT, PO_IMPORT_RAW } from './fixtures';
import {
  canDeliver,
  checkDelivery,
  checkPoRows,
  confidenceLevel,
  controlSheetState,
  deliveryDefaults,
  draftTotal,
  draftsTotal,
  emptyLineDraft,
  initialPoRows,
  isCriticalClient,
  lineDraftFrom,
  lineErrors,
  lineTotal,
  moneyInput,
  orderHeaderValues,
  orderInputBody,
  orderPipeline,
  orderTransitionDisplay,
  parseMoney,
  parseQuantity,
  poFlags,
  sameLines,
  scaledToDec,
  sumTotals,
  candidateLabel,
  foundValue,
  formatUnitPrice,
  priceDecimals,
  normalizePoImport,
  shownFlags,
} from './logic';

describe('money on decimal strings', () => {
  it('parses French and English decimals into ten-thousandths', () => {
    expect(parseMoney('12,50')).toBe(125_000);
    expect(parseMoney('12.5')).toBe(125_000);
    expect(parseMoney('1 234,5')).toBe(12_345_000);
    expect(parseMoney('12,345 €')).toBe(123_450);
    expect(parseMoney('-3')).toBe(-30_000);
    expect(parseMoney('')).toBeNull();
    expect(parseMoney(null)).toBeNull();
    expect(parseMoney('12.34567')).toBeNaN();
    expect(parseMoney('douze')).toBeNaN();
  });

  it('rounds to the cent half away from zero', () => {
    expect(scaledToDec(123_450)).toBe('12.35');
    expect(scaledToDec(-123_450)).toBe('-12.35');
    expect(scaledToDec(123_449)).toBe('12.34');
    expect(scaledToDec(0)).toBe('0.00');
    expect(scaledToDec(12_000_000)).toBe('1200.00');
  });

  it('sends what was typed as a dot decimal, without trailing zeros', () => {
    expect(moneyInput('12,50')).toBe('12.5');
    expect(moneyInput('1 234,56')).toBe('1234.56');
    expect(moneyInput('48')).toBe('48');
    expect(moneyInput('0,0405')).toBe('0.0405');
    expect(moneyInput('')).toBeNull();
    expect(moneyInput('abc')).toBeNull();
  });

  it('computes line totals exactly: 3 × 12,345 € = 37,035 → 37,04 €; 10 × 12,345 € = 123,45 €', () => {
    expect(lineTotal(3, '12.345')).toBe('37.04');
    expect(lineTotal(10, '12.345')).toBe('123.45');
    expect(lineTotal(50, '48.00')).toBe('2400.00');
    // 0,1 + 0,2 style float errors do not appear: 3 × 0,10 € = 0,30 €.
    expect(lineTotal(3, '0.10')).toBe('0.30');
    expect(lineTotal(null, '12')).toBeNull();
    expect(lineTotal(2, null)).toBeNull();
    expect(lineTotal(2.5, '12')).toBeNull();
    expect(sumTotals(['2400.00', '123.45', null])).toBe('2523.45');
    expect(sumTotals([])).toBe('0.00');
  });
});

describe('unit prices', () => {
  it('keep their own decimals (2 to 4) so that 10 × 12,345 € = 123,45 € reads right', () => {
    expect(priceDecimals('12.345')).toBe(3);
    expect(priceDecimals('12.50')).toBe(2);
    expect(priceDecimals('48')).toBe(2);
    expect(priceDecimals('0.04056')).toBe(4);
    const flat = (s: string) => s.replace(/\s/g, ' ');
    expect(flat(formatUnitPrice('12.345'))).toBe('12,345 €');
    expect(flat(formatUnitPrice('48'))).toBe('48,00 €');
    expect(formatUnitPrice('12.345', 'en')).toBe('€12.345');
    expect(formatUnitPrice(null)).toBe('');
  });
});

describe('quantities', () => {
  it('accepts whole numbers, with French thousands spacing', () => {
    expect(parseQuantity('25')).toBe(25);
    expect(parseQuantity('1 000')).toBe(1000);
    expect(parseQuantity(' ')).toBeNull();
    expect(parseQuantity('2,5')).toBeNaN();
    expect(parseQuantity('-1')).toBeNaN();
  });
});

describe('statuses', () => {
  it('shows the main road, with the cancellation at the end when cancelled', () => {
    expect(orderPipeline('validee')).toEqual(['en_attente', 'validee', 'en_production', 'livree_partielle', 'livree']);
    expect(orderPipeline('annulee').at(-1)).toBe('annulee');
  });

  it('asks before validating (jobs and routings are generated) and before cancelling', () => {
    expect(orderTransitionDisplay('validee')).toEqual({ tone: 'primary', confirm: 'validate' });
    expect(orderTransitionDisplay('annulee')).toEqual({ tone: 'danger', confirm: 'cancel' });
    expect(orderTransitionDisplay('en_production').confirm).toBeNull();
  });

  it('offers a delivery once validated and while something is left', () => {
    expect(canDeliver({ status: 'en_attente', lines: [LINE_1] })).toBe(false);
    expect(canDeliver({ status: 'validee', lines: [LINE_1] })).toBe(true);
    expect(canDeliver({ status: 'livree_partielle', lines: [{ ...LINE_1, remaining: 0 }] })).toBe(false);
    expect(canDeliver({ status: 'livree', lines: [LINE_1] })).toBe(false);
  });
});

describe('critical work and the control sheet', () => {
  it('a client is critical when marked so or of a critical sector', () => {
    expect(isCriticalClient({ critical: true })).toBe(true);
    expect(isCriticalClient({ critical: false, sectors: ['energie', 'nucleaire'] })).toBe(true);
    expect(isCriticalClient({ critical: false, sectors: ['agroalimentaire'] })).toBe(false);
    expect(isCriticalClient(null)).toBe(false);
  });

  it('locks the control sheet ticked for critical work, else keeps the choice', () => {
    expect(controlSheetState(true, false)).toEqual({ checked: true, locked: true });
    expect(controlSheetState(false, false)).toEqual({ checked: false, locked: false });
    expect(controlSheetState(false, true)).toEqual({ checked: true, locked: false });
  });

  it('sends critical and the control sheet ticked for a client of a critical sector, even if unticked', () => {
    const v = { ...orderHeaderValues(ORDER), client: { id: 9, name: 'Nucléa', sectors: ['nucleaire'] }, control_sheet: false };
    const body = orderInputBody(v, undefined, 3);
    expect(body.critical).toBe(true);
    expect(body.control_sheet).toBe(true);
    expect(body.client_id).toBe(9);
    expect(body.version).toBe(3);
    expect(body.lines).toBeUndefined();
  });
});

describe('order form body', () => {
  it('sends cleared texts and dates as empty strings (null would leave them unchanged)', () => {
    const v = { ...orderHeaderValues(ORDER), customer_po_number: '  ', promised_date: '', notes: ' Livrer quai 2 ' };
    const body = orderInputBody(v, undefined, 3);
    expect(body.customer_po_number).toBe('');
    expect(body.promised_date).toBe('');
    expect(body.notes).toBe('Livrer quai 2');
    expect(body.priority).toBe('haute');
    expect(body.control_sheet).toBe(true);
  });

  it('turns the lines typed in French into the wire shape', () => {
    const d = { ...emptyLineDraft(), reference: ' AX-1 ', designation: 'Axe', quantity: '1 000', unit_price: '12,5', requested_date: '2026-12-01' };
    const body = orderInputBody({ ...orderHeaderValues(ORDER) }, [d]);
    expect(body.lines).toEqual([
      { quote_line_id: null, reference: 'AX-1', revision: null, designation: 'Axe', grade_id: null, quantity: 1000, unit_price: '12.5', requested_date: '2026-12-01', critical: false },
    ]);
  });

  it('checks each line: a designation, a whole quantity ≥ 1, a valid price or none', () => {
    expect(lineErrors({ ...emptyLineDraft(), designation: 'Axe', quantity: '3' })).toEqual({});
    expect(lineErrors(emptyLineDraft())).toEqual({ designation: 'designation_required', quantity: 'quantity_required' });
    expect(lineErrors({ ...emptyLineDraft(), designation: 'Axe', quantity: '0', unit_price: '12,5,0' })).toEqual({ quantity: 'quantity_invalid', unit_price: 'price_invalid' });
  });

  it('recomputes totals while typing and tells an edited line from the loaded one', () => {
    const a = lineDraftFrom(LINE_2);
    expect(a.unit_price).toBe('12,345');
    expect(draftTotal(a)).toBe('123.45');
    expect(draftTotal({ ...a, quantity: '3' })).toBe('37.04');
    expect(draftsTotal([lineDraftFrom(LINE_1), a])).toBe('2523.45');
    expect(sameLines([lineDraftFrom(LINE_1)], [lineDraftFrom(LINE_1)])).toBe(true);
    expect(sameLines([lineDraftFrom(LINE_1)], [{ ...lineDraftFrom(LINE_1), quantity: '51' }])).toBe(false);
  });
});

describe('delivery', () => {
  const lines = [
    { id: 11, remaining: 50 },
    { id: 12, remaining: 6 },
  ];
  it('opens with what is left and keeps only the lines with a quantity', () => {
    expect(deliveryDefaults(lines)).toEqual({ 11: '50', 12: '6' });
    expect(checkDelivery(lines, { 11: '20', 12: '0' })).toEqual({ ok: true, lines: [{ order_line_id: 11, quantity: 20 }] });
  });
  it('refuses more than what is left, a non whole number, or nothing at all', () => {
    expect(checkDelivery(lines, { 11: '20', 12: '7' })).toEqual({ ok: false, error: 'too_many', lineId: 12 });
    expect(checkDelivery(lines, { 11: '2,5' })).toEqual({ ok: false, error: 'invalid', lineId: 11 });
    expect(checkDelivery(lines, { 11: '0', 12: '' })).toEqual({ ok: false, error: 'empty' });
  });
});

describe('customer PO review', () => {
  it('colours the confidence', () => {
    expect(confidenceLevel(0.95)).toBe('high');
    expect(confidenceLevel(0.72)).toBe('medium');
    expect(confidenceLevel(0.4)).toBe('low');
    expect(confidenceLevel(null)).toBe('none');
  });

  it('labels a quote line for the select', () => {
    expect(candidateLabel(PO_IMPORT.quote_lines[1])).toBe('#2 · BR-118 ind. A — Bride de fixation');
    expect(candidateLabel({ id: 9, position: 4, drawing_number: 'Z-1', part_name: 'Cale' })).toBe('#4 · Z-1 — Cale');
  });

  it('starts from the server matches, leaving out PO lines matched to nothing', () => {
    const rows = initialPoRows(PO_IMPORT);
    expect(rows.map((r) => r.quote_line_id)).toEqual([31, 32, null]);
    expect(rows[1].unit_price).toBe('11,90');
    expect(rows[0].quantity).toBe('60');
  });

  it('flags quantity, price and revision differences against the matched quote line', () => {
    const rows = initialPoRows(PO_IMPORT);
    expect(poFlags(rows[0], PO_IMPORT.quote_lines)).toEqual({ quantity: 50, price: null, revision: null });
    expect(poFlags(rows[1], PO_IMPORT.quote_lines)).toEqual({ quantity: null, price: '12.50', revision: { quote: 'A', po: 'B' } });
    expect(poFlags(rows[2], PO_IMPORT.quote_lines)).toEqual({ quantity: null, price: null, revision: null });
  });

  it('recomputes the flags when the person corrects a value or picks another quote line', () => {
    const rows = initialPoRows(PO_IMPORT);
    expect(poFlags({ ...rows[0], quantity: '50' }, PO_IMPORT.quote_lines).quantity).toBeNull();
    expect(poFlags({ ...rows[1], unit_price: '12,5' }, PO_IMPORT.quote_lines).price).toBeNull();
    const rematched = { ...rows[1], quote_line_id: 33 };
    expect(poFlags(rematched, PO_IMPORT.quote_lines)).toEqual({ quantity: 25, price: '31.00', revision: { quote: 'C', po: 'B' } });
  });

  it('shows the server\'s sentences while the row is as proposed, recomputed flags once changed', () => {
    const rows = initialPoRows(PO_IMPORT);
    expect(shownFlags(rows[0], PO_IMPORT.quote_lines)).toEqual({ source: 'server', texts: ['Quantité différente : 60 sur la commande, 50 au devis'] });
    expect(shownFlags({ ...rows[0], quantity: '55' }, PO_IMPORT.quote_lines)).toEqual({ source: 'computed', flags: { quantity: 50, price: null, revision: null } });
    // No server sentence for row 2: computed.
    expect(shownFlags(rows[1], PO_IMPORT.quote_lines).source).toBe('computed');
  });

  it('confirms the kept lines, in French decimals turned to dots, each quote line once', () => {
    const rows = initialPoRows(PO_IMPORT);
    expect(checkPoRows(rows)).toEqual({
      lines: [
        { quote_line_id: 31, quantity: 60, unit_price: '48', requested_date: '2026-12-18' },
        { quote_line_id: 32, quantity: 10, unit_price: '11.9' },
      ],
      errors: {},
    });
    const dup = rows.map((r, i) => (i === 1 ? { ...r, quote_line_id: 31 } : r));
    expect(checkPoRows(dup).errors).toEqual({ 1: 'duplicate' });
    const bad = rows.map((r, i) => (i === 0 ? { ...r, quantity: '0' } : i === 1 ? { ...r, unit_price: 'x' } : r));
    expect(checkPoRows(bad).errors).toEqual({ 0: 'quantity', 1: 'price' });
  });
});

describe('PO import from the server', () => {
  it('unwraps values read with their confidence', () => {
    expect(foundValue({ value: 'PO-1', confidence: 0.9 })).toBe('PO-1');
    expect(foundValue('PO-1')).toBe('PO-1');
    expect(foundValue(null)).toBeNull();
    expect(foundValue(undefined)).toBeNull();
    expect(foundValue({ value: 0, confidence: 0.5 })).toBe(0);
  });

  it('flattens the read PO, keeps each line\'s warnings and gathers the others once', () => {
    const imp = normalizePoImport(PO_IMPORT_RAW);
    expect(imp.po.po_number).toBe('PO-88121');
    expect(imp.po.buyer).toBe('M. Durand');
    expect(imp.po.lines.map((l) => [l.position, l.reference, l.quantity, l.unit_price, l.total])).toEqual([
      [1, 'AX-4021', 60, '48.00', '2880.00'],
      [2, 'BR-118', 10, '11.90', '119.00'],
      [3, 'XX-0001', 1, '25.00', '25.00'],
    ]);
    expect(imp.po.lines[2].warnings_fr).toEqual(['Quantité × prix ≠ total de la ligne.']);
    expect(imp.po.warnings_fr).toEqual(['Date de livraison illisible sur la ligne 2.', 'Ligne 3 : aucune ligne du devis ne correspond.']);
    expect(imp.order_number).toBe('CO-2026-0007');
    expect(imp.quote_confidence).toBe(0.98);
    // Matches are by index in po.lines.
    expect(initialPoRows(imp).map((r) => r.quote_line_id)).toEqual([31, 32, null]);
  });

  it('reads decimals sent as numbers as decimal strings', () => {
    const imp = normalizePoImport({ blob_id: 1, filename: 'x.pdf', po: { lines: [{ position: 1, quantity: { value: 5, confidence: 1 }, unit_price: { value: 12.5, confidence: 1 } }] }, quote: null, matches: [], quote_lines: [] });
    expect(imp.po.lines[0].unit_price).toBe('12.5');
    expect(imp.po.lines[0].reference).toBeNull();
    expect(imp.po.po_number).toBeNull();
  });
});
