import { describe, expect, it } from 'vitest';
import type { RateGrid } from '../crm/types';
import { gridBody, gridValues, nextStep, previousStep, shouldOpenWizard } from './rateGrid';

const grid: RateGrid = {
  activities: [
    { code: 'programmation', label: 'Programmation', rate: '72.00', id: 1, updated_at: null, version: 1 },
    { code: 'reglage', label: 'Réglage', rate: null, id: null, updated_at: null, version: null },
  ],
  machine_kinds: [{ code: 'fraiseuse_5axes', label: '5 axes', rate: '105.00', id: 2, updated_at: null, version: 1 }],
  min_margin_pct: '8', target_margin_pct: '15', express_coef: '1.3', express_48h_coef: '1.5', economy_coef: '0.93',
  configured: true, version: 4,
};

describe('rate grid form', () => {
  it('round-trips the grid, empty boxes as null', () => {
    const v = gridValues(grid);
    expect(v.activities).toEqual({ programmation: '72.00', reglage: '' });
    v.activities.programmation = ' 75,50 ';
    v.machine_kinds.fraiseuse_5axes = '';
    const b = gridBody(grid.version, v);
    expect(b).toMatchObject({
      version: 4,
      activities: { programmation: '75,50', reglage: null },
      machine_kinds: { fraiseuse_5axes: null },
      min_margin_pct: '8',
    });
  });

  it('walks the wizard steps in order', () => {
    expect(nextStep('entreprise')).toBe('activites');
    expect(nextStep('utilisateurs')).toBeNull();
    expect(previousStep('entreprise')).toBeNull();
    expect(previousStep('machines')).toBe('grille_tarifaire');
  });

  it('opens the wizard only for someone who may complete it, while not done', () => {
    expect(shouldOpenWizard(false, true)).toBe(true);
    expect(shouldOpenWizard(true, true)).toBe(false);
    expect(shouldOpenWizard(false, false)).toBe(false);
    expect(shouldOpenWizard(undefined, true)).toBe(false);
  });
});
