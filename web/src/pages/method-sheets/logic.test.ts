import { describe, expect, it } from 'vitest';
import { COND_TAP, COND_TURN, SHEET } from './fixtures';
import {
  conditionsLevel,
  condView,
  draftSignature,
  feedUnit,
  fromDraft,
  moveAt,
  normalizeContent,
  numText,
  parseNum,
  pointDraft,
  powerLevel,
  removeAt,
  settingsBody,
  textRows,
  setupHints,
  toDraft,
  toolDraft,
  toolEdited,
  toolHints,
  warningLevel,
  warningText,
} from './logic';

describe('content from the server', () => {
  it('fills in what an older sheet lacks', () => {
    const c = normalizeContent({ setup: { fixturing: 'Étau' }, tools: [{ position: 'T01' }], cam_steps: ['a', 3] });
    expect(c.setup).toEqual({ fixturing: 'Étau', datums: null, zero_point: null, notes: null });
    expect(c.tools[0].label).toBe('');
    expect(c.cam_steps).toEqual(['a']);
    expect(c.inspection_points).toEqual([]);
    expect(c.safety_notes).toEqual([]);
    expect(normalizeContent(null).tools).toEqual([]);
  });
});

describe('numbers typed in French', () => {
  it('reads and writes decimals with a comma', () => {
    expect(parseNum('0,8')).toBe(0.8);
    expect(parseNum(' 12 ')).toBe(12);
    expect(parseNum('')).toBeNull();
    expect(parseNum('-1')).toBeNaN();
    expect(parseNum('1,2,3')).toBeNaN();
    expect(numText(0.8)).toBe('0,8');
    expect(numText(null)).toBe('');
    expect(numText(1 / 3)).toBe('0,3333');
  });
});

describe('draft ↔ content', () => {
  it('round-trips a sheet unchanged, keeping what the form does not show and dropping computed conditions', () => {
    const d = toDraft(SHEET.content);
    const { content, errors } = fromDraft(d);
    expect(errors).toEqual({});
    expect(content.tools[0]).toEqual({
      position: 'T01',
      tool_id: 7,
      label: 'Plaquette CNMG 120408',
      kind: 'tournage',
      diameter: null,
      teeth: null,
      nose_radius: 0.8,
      intent: 'ebauche',
      work_diameter: 50,
      ap: 2,
      ae: null,
      vc: null,
      feed: null,
    });
    expect(content.tools[1].pitch).toBe(1.5);
    expect('conditions' in content.tools[1]).toBe(false);
    expect(content.inspection_points[0].instrument_id).toBe(3);
    expect(content.setup).toEqual({ fixturing: 'Mandrin 3 mors doux, serrage Ø50', datums: null, zero_point: null, notes: null });
    expect(content.nc_program).toBe('AX4021_OP20');
  });

  it('sends position, kind and intent as strings, never null (the server needs strings)', () => {
    const d = { ...toDraft(SHEET.content), tools: [{ ...toolDraft(null), label: 'Foret Ø8,5', diameter: '8,5' }] };
    const t = fromDraft(d).content.tools[0];
    expect(t.position).toBe('');
    expect(t.kind).toBe('');
    expect(t.intent).toBe('ebauche');
    expect(t.diameter).toBe(8.5);
  });

  it('refuses non-numbers, a fractional number of teeth, and blank labels', () => {
    const d = toDraft(SHEET.content);
    d.tools[0] = { ...d.tools[0], ap: '2 mm', teeth: '2,5', label: ' ' };
    d.inspection_points.push(pointDraft(null));
    expect(fromDraft(d).errors).toEqual({
      'tools.0.ap': 'number',
      'tools.0.teeth': 'integer',
      'tools.0.label': 'label_required',
      'inspection_points.1.characteristic': 'characteristic_required',
    });
  });

  it('drops empty CAM steps and safety notes', () => {
    const d = { ...toDraft(SHEET.content), cam_steps: ['Dressage', '  ', 'Perçage Ø8,5'], safety_notes: [''] };
    const c = fromDraft(d).content;
    expect(c.cam_steps).toEqual(['Dressage', 'Perçage Ø8,5']);
    expect(c.safety_notes).toEqual([]);
  });

  it('tells an edited draft from the loaded one (keys and originals do not count)', () => {
    const a = toDraft(SHEET.content);
    const b = toDraft(SHEET.content);
    expect(draftSignature(a)).toBe(draftSignature(b));
    b.cam_steps = moveAt(b.cam_steps, 0, 1);
    expect(draftSignature(a)).not.toBe(draftSignature(b));
  });

  it('knows when a tool changed since its conditions were computed', () => {
    const t = toDraft(SHEET.content).tools[0];
    expect(toolEdited(t)).toBe(false);
    expect(toolEdited({ ...t, ap: '1,5' })).toBe(true);
    expect(toolEdited({ ...t, vc: '200' })).toBe(true);
    expect(toolEdited({ ...t, label: 'Autre nom' })).toBe(false);
    expect(toolEdited(toolDraft(null))).toBe(true);
  });
});

describe('"à renseigner" hints', () => {
  it('flags empty set-up fields', () => {
    expect(setupHints(toDraft(SHEET.content).setup)).toEqual(['datums', 'zero_point']);
    expect(setupHints({ fixturing: ' ', datums: 'A', zero_point: 'Z0', notes: '' })).toEqual(['fixturing']);
  });

  it('flags the tool inputs the cutting engine needs', () => {
    const turn = toDraft(SHEET.content).tools[0];
    expect(toolHints(turn)).toEqual([]);
    expect(toolHints({ ...turn, work_diameter: '' })).toEqual(['work_diameter']);
    expect(toolHints({ ...toolDraft(null), kind: 'fraisage' })).toEqual(['diameter', 'teeth']);
    expect(toolHints({ ...toolDraft(null), kind: 'percage', diameter: '8,5' })).toEqual([]);
  });
});

describe('text areas', () => {
  it('grow with their text: wrapped lines count, within bounds', () => {
    expect(textRows('')).toBe(2);
    expect(textRows('a\nb\nc')).toBe(3);
    expect(textRows('x'.repeat(150))).toBe(3);
    expect(textRows('x'.repeat(150) + '\ny')).toBe(4);
    expect(textRows('\n'.repeat(20))).toBe(8);
  });
});

describe('lists', () => {
  it('moves and removes items', () => {
    expect(moveAt(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveAt(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(removeAt(['a', 'b', 'c'], 1)).toEqual(['a', 'c']);
  });
});

describe('cutting conditions', () => {
  it('shows the rounded values first: n 1530 tr/min, Vf 382 mm/min, 4,12 kW of 5,5', () => {
    const v = condView(COND_TURN)!;
    expect(v.vc).toBe(240);
    expect(v.n).toBe(1530);
    expect(v.vf).toBe(382);
    expect(v.power).toBe(4.12);
    expect(v.machinePower).toBe(5.5);
    expect(v.ap).toBe(2);
    expect(v.sourceLabel).toBe('Base interne (C45, tournage)');
    expect(condView(null)).toBeNull();
  });

  it('reads the short names of the contract too', () => {
    const v = condView({ vc: 180, feed_kind: 'fz', feed: 0.05, ap: 1, ae: 3, power_kw: 2 })!;
    expect([v.vc, v.feed, v.ap, v.ae, v.power]).toEqual([180, 0.05, 1, 3, 2]);
    expect(v.warnings).toEqual([]);
  });

  it('names the feed by its kind', () => {
    expect(feedUnit('fz')).toEqual({ symbol: 'fz', unit: 'mm/dent' });
    expect(feedUnit('f')).toEqual({ symbol: 'f', unit: 'mm/tr' });
    expect(feedUnit('pas')).toEqual({ symbol: 'pas', unit: 'mm' });
  });

  it('compares the power needed with the machine: 4,12/5,5 = 75 % ok, 4,5/5,5 = 82 % high, 6/5,5 over', () => {
    expect(powerLevel(4.12, 5.5)).toBe('ok');
    expect(powerLevel(4.5, 5.5)).toBe('high');
    expect(powerLevel(6, 5.5)).toBe('over');
    expect(powerLevel(3, null)).toBe('unknown');
    expect(powerLevel(3, 0)).toBe('unknown');
  });

  it('colours warnings: missing data and exceeded power red, others orange', () => {
    expect(warningLevel({ code: 'puissance_depassee', message_fr: 'x' })).toBe('danger');
    expect(warningLevel({ code: 'donnees_manquantes', message_fr: 'x' })).toBe('danger');
    expect(warningLevel({ code: 'n_max_depasse', message_fr: 'x' })).toBe('warn');
    expect(warningLevel('texte libre')).toBe('warn');
    expect(warningText({ code: 'defaut_norme', message_fr: 'Valeur de départ NORMS.' })).toBe('Valeur de départ NORMS.');
  });

  it('gives a tool the worst level of its conditions', () => {
    expect(conditionsLevel(COND_TURN)).toBeNull();
    expect(conditionsLevel(COND_TAP)).toBe('danger');
    expect(conditionsLevel({ ...COND_TURN, rounded: { ...COND_TURN.rounded, power_required_kw: 4.6 } })).toBe('warn');
    expect(conditionsLevel({ ...COND_TURN, warnings: [{ code: 'n_max_depasse', message_fr: 'n plafonnée' }] })).toBe('warn');
  });
});

describe('cutting settings', () => {
  it('builds the PUT body, refusing a thinning cap below 1', () => {
    expect(settingsBody(['fournisseur', 'base_interne'], false, true, '1,5')).toEqual({
      body: { source_priority: ['fournisseur', 'base_interne'], use_norm_defaults: false, chip_thinning: true, max_thinning_factor: 1.5 },
      error: null,
    });
    expect(settingsBody(['manuel'], true, true, '0,5').error).toBe('factor');
    expect(settingsBody(['manuel'], true, false, '').body.max_thinning_factor).toBe(2);
  });
});
