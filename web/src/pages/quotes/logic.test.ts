import { describe, expect, it } from 'vitest';
import {
  analysisProgress,
  bboxStyle,
  confidenceLevel,
  decimalText,
  extractedFor,
  fieldConfidence,
  fieldForKey,
  lineBody,
  linePatch,
  linePrice,
  lineFormValues,
  parseDecimalInput,
  parseQuantities,
  quoteCreateBody,
  quoteHeaderPatch,
  quoteHeaderValues,
  resourceText,
  scenariosInOrder,
  selectedBreak,
  statusPipeline,
  transitionDisplay,
  validateBlocker,
} from './logic';
import { LINE, QUOTE } from './fixtures';
import type { Estimate, QuoteLine } from './types';

describe('parseQuantities', () => {
  it('reads "1, 10,50" and other separators', () => {
    expect(parseQuantities('1, 10,50')).toEqual({ ok: true, values: [1, 10, 50] });
    expect(parseQuantities('50;10 ; 1')).toEqual({ ok: true, values: [1, 10, 50] });
    expect(parseQuantities('1 10 50')).toEqual({ ok: true, values: [1, 10, 50] });
    expect(parseQuantities('1/10/50')).toEqual({ ok: true, values: [1, 10, 50] });
    expect(parseQuantities(' 10, 10, 1 ')).toEqual({ ok: true, values: [1, 10] });
  });

  it('reads French thousands grouping', () => {
    expect(parseQuantities('100, 1 000, 2\u202f500')).toEqual({ ok: true, values: [100, 1000, 2500] });
  });

  it('names the wrong token', () => {
    expect(parseQuantities('1, x, 50')).toEqual({ ok: false, error: 'invalid', token: 'x' });
    expect(parseQuantities('1, 2.5')).toEqual({ ok: false, error: 'invalid', token: '2.5' });
    expect(parseQuantities('-3')).toEqual({ ok: false, error: 'invalid', token: '-3' });
    expect(parseQuantities('0, 10')).toEqual({ ok: false, error: 'zero', token: '0' });
    expect(parseQuantities('10000000')).toEqual({ ok: false, error: 'too_large', token: '10000000' });
  });

  it('empty is an error only when required', () => {
    expect(parseQuantities(' , ')).toEqual({ ok: false, error: 'empty', token: '' });
    expect(parseQuantities('', false)).toEqual({ ok: true, values: [] });
  });
});

describe('decimal inputs', () => {
  it('accepts the French comma', () => {
    expect(parseDecimalInput('12,5')).toBe(12.5);
    expect(parseDecimalInput(' 40 ')).toBe(40);
    expect(parseDecimalInput('')).toBeNull();
    expect(parseDecimalInput('12,5,3')).toBeNaN();
    expect(parseDecimalInput('abc')).toBeNaN();
    expect(decimalText(12.5, 'fr')).toBe('12,5');
    expect(decimalText(12.5, 'en')).toBe('12.5');
    expect(decimalText(null)).toBe('');
  });
});

describe('bboxStyle', () => {
  it('turns a normalised box into percentages', () => {
    expect(bboxStyle({ x0: 0.1, y0: 0.2, x1: 0.35, y1: 0.25 })).toEqual({ left: '10%', top: '20%', width: '25%', height: '5%' });
  });
  it('orders swapped corners and clamps to the page', () => {
    expect(bboxStyle({ x0: 0.9, y0: 0.5, x1: 1.2, y1: -0.1 })).toEqual({ left: '90%', top: '0%', width: '10%', height: '50%' });
  });
  it('refuses broken boxes', () => {
    expect(bboxStyle(null)).toBeNull();
    expect(bboxStyle({ x0: Number.NaN, y0: 0, x1: 1, y1: 1 })).toBeNull();
  });
});

describe('confidence', () => {
  it('has three colours and a grey', () => {
    expect(confidenceLevel(0.95)).toBe('high');
    expect(confidenceLevel(0.9)).toBe('high');
    expect(confidenceLevel(0.89)).toBe('medium');
    expect(confidenceLevel(0.6)).toBe('medium');
    expect(confidenceLevel(0.59)).toBe('low');
    expect(confidenceLevel(null)).toBe('none');
  });
  it('maps extracted keys to form fields', () => {
    expect(fieldForKey('material')).toBe('grade_id');
    expect(fieldForKey('revision')).toBe('drawing_revision');
    expect(fieldForKey('quantity')).toBe('quantities');
    expect(fieldForKey('dimension')).toBeNull();
    expect(extractedFor(LINE.extracted, 'grade_id')).toEqual([2]);
    expect(fieldConfidence(LINE.extracted, 'drawing_number')).toBe(0.97);
    expect(fieldConfidence(LINE.extracted, 'critical')).toBeNull();
  });
});

describe('statuses', () => {
  it('shows the outcome at the end of the pipeline', () => {
    expect(statusPipeline('brouillon')).toEqual(['brouillon', 'a_valider', 'envoye', 'accepte']);
    expect(statusPipeline('refuse')).toEqual(['brouillon', 'a_valider', 'envoye', 'refuse']);
    expect(statusPipeline('expire')).toEqual(['brouillon', 'a_valider', 'envoye', 'expire']);
  });
  it('asks before refusing, expiring or reopening a sent quote', () => {
    expect(transitionDisplay('envoye', 'refuse')).toEqual({ tone: 'danger', confirm: 'refuse' });
    expect(transitionDisplay('envoye', 'expire')).toEqual({ tone: 'secondary', confirm: 'expire' });
    expect(transitionDisplay('envoye', 'brouillon')).toEqual({ tone: 'secondary', confirm: 'revision' });
    expect(transitionDisplay('a_valider', 'brouillon')).toEqual({ tone: 'secondary', confirm: null });
    expect(transitionDisplay('brouillon', 'a_valider')).toEqual({ tone: 'primary', confirm: null });
    expect(transitionDisplay('envoye', 'accepte')).toEqual({ tone: 'primary', confirm: null });
  });
  it('counts analysed drawings', () => {
    const l = (analysis_status: QuoteLine['analysis_status'], drawing = true) => ({ analysis_status, drawing: drawing ? LINE.drawing : null });
    expect(analysisProgress([l('termine'), l('en_cours'), l('en_attente'), l('echec'), l('manuel', false)])).toEqual({ done: 2, total: 4, pending: 2 });
    expect(analysisProgress([])).toEqual({ done: 0, total: 0, pending: 0 });
  });
});

describe('scenarios', () => {
  const est = LINE.estimate as Estimate;
  it('orders Économique, Standard, Express', () => {
    const shuffled = { scenarios: [est.breaks[0].scenarios[2], est.breaks[0].scenarios[0], est.breaks[0].scenarios[1]] };
    expect(scenariosInOrder(shuffled).map((s) => s.kind)).toEqual(['economique', 'standard', 'express']);
  });
  it('finds the selected quantity, else the first', () => {
    expect(selectedBreak(est, 50)?.quantity).toBe(50);
    expect(selectedBreak(est, 7)?.quantity).toBe(10);
    expect(selectedBreak(null, 10)).toBeNull();
    expect(linePrice({ estimate: est, selected_quantity: 50 })).toEqual({ quantity: 50, scenario: est.breaks[1].scenarios[1] });
    expect(linePrice({ estimate: est, selected_quantity: 50 }, 'express')?.scenario.unit_price).toBe('61.20');
    expect(linePrice({ estimate: null, selected_quantity: 50 })).toBeNull();
  });
  it('names the resource of an operation', () => {
    expect(resourceText({ kind: 'machine', machine_id: 1, code: 'TOUR-02', rate: '68.00' })).toBe('TOUR-02');
    expect(resourceText({ kind: 'subcontract', treatment: 'Zingage', supplier: 'Galva Sud' })).toBe('Zingage — Galva Sud');
    expect(resourceText({ kind: 'none' })).toBe('');
  });
});

describe('validateBlocker', () => {
  const ok = { editable: true, dirty: false };
  it('says why the line cannot be validated', () => {
    expect(validateBlocker(LINE, { editable: false, dirty: false })).toBe('read_only');
    expect(validateBlocker({ ...LINE, analysis_status: 'en_cours' }, ok)).toBe('pending');
    expect(validateBlocker(LINE, { editable: true, dirty: true })).toBe('dirty');
    expect(validateBlocker({ ...LINE, estimate: null, missing: [] }, ok)).toBe('no_estimate');
    expect(validateBlocker({ ...LINE, estimate: null }, ok)).toBe('missing');
    expect(validateBlocker(LINE, ok)).toBe('questions');
    const est = LINE.estimate as Estimate;
    expect(validateBlocker({ ...LINE, estimate: { ...est, issues: [...est.issues, { level: 'bloquant', code: 'no_machine', message_fr: 'Aucune machine.' }] } }, ok)).toBe('blocking');
    expect(validateBlocker({ ...LINE, estimate: { ...est, issues: [{ level: 'avertissement', code: 'x', message_fr: 'y' }] } }, ok)).toBeNull();
  });
});

describe('line form', () => {
  it('is clean right after loading', () => {
    const v = lineFormValues(LINE);
    expect(v.quantities).toBe('10, 50');
    expect(v.diameter).toBe('40');
    expect(linePatch(LINE, v)).toEqual({ body: {}, errors: {}, dirty: false });
  });

  it('sends only what changed, with the version', () => {
    const v = { ...lineFormValues(LINE), quantities: '1, 10,50', part_name: '  Axe de vérin Ø40 ', length: '125,5' };
    const r = linePatch(LINE, v);
    expect(r.errors).toEqual({});
    expect(r.body).toEqual({
      quantities: [1, 10, 50],
      part_name: 'Axe de vérin Ø40',
      envelope: { diameter: 40, length: 125.5, width: null, height: null },
      version: 4,
    });
  });

  it('clears a text with "" and takes an equivalent quantity text as clean', () => {
    expect(linePatch(LINE, { ...lineFormValues(LINE), heat_treatment: '' }).body).toEqual({ heat_treatment: '', version: 4 });
    // A grade cannot be removed, only changed.
    expect(linePatch(LINE, { ...lineFormValues(LINE), grade_id: '' }).dirty).toBe(false);
    expect(linePatch(LINE, { ...lineFormValues(LINE), grade_id: '5' }).body).toEqual({ grade_id: 5, version: 4 });
    expect(linePatch(LINE, { ...lineFormValues(LINE), quantities: '50 ; 10' }).dirty).toBe(false);
  });

  it('reports local errors', () => {
    const r = linePatch(LINE, { ...lineFormValues(LINE), quantities: '10, dix', diameter: '-4' });
    expect(r.dirty).toBe(true);
    expect(r.errors.quantities).toEqual({ key: 'quotes.qty_error.invalid', token: 'dix' });
    expect(r.errors['envelope.diameter']).toEqual({ key: 'quotes.dimension_invalid' });
  });

  it('builds the body of a manual line', () => {
    const r = lineBody({ ...lineFormValues(LINE), quantities: '' }, { quantitiesRequired: true });
    expect(r.errors.quantities?.key).toBe('quotes.qty_error.empty');
  });
});

describe('quote header', () => {
  it('leaves empty optional fields out of the POST', () => {
    expect(quoteCreateBody({ client: { id: 3, name: 'Aviaxe' }, subject: ' Axes ', customer_reference: '', valid_until: '', notes: '' })).toEqual({ client_id: 3, subject: 'Axes' });
  });
  it('patches changed fields with the current version', () => {
    const v = quoteHeaderValues(QUOTE);
    expect(quoteHeaderPatch(QUOTE, v)).toEqual({});
    expect(quoteHeaderPatch(QUOTE, { ...v, customer_reference: 'CDE-88', notes: '' })).toEqual({ customer_reference: 'CDE-88', notes: '', version: 3 });
    expect(quoteHeaderPatch(QUOTE, { ...v, client: { id: 9, name: 'Autre' } }, 5)).toEqual({ client_id: 9, version: 5 });
    // The validity date can be moved, not removed.
    expect(quoteHeaderPatch(QUOTE, { ...v, valid_until: '' })).toEqual({});
    expect(quoteHeaderPatch(QUOTE, { ...v, valid_until: '2027-01-15' })).toEqual({ valid_until: '2027-01-15', version: 3 });
  });
});
