// Pure logic of the rate grid form: values from the server grid, and the PUT body.
import type { RateGrid } from '../crm/types';

export interface RateGridValues {
  activities: Record<string, string>;
  machine_kinds: Record<string, string>;
  min_margin_pct: string;
  target_margin_pct: string;
  express_coef: string;
  express_48h_coef: string;
  economy_coef: string;
}

export const PRICING_FIELDS = ['min_margin_pct', 'target_margin_pct', 'express_coef', 'express_48h_coef', 'economy_coef'] as const;

export function gridValues(g: RateGrid): RateGridValues {
  const lines = (ls: RateGrid['activities']) => Object.fromEntries(ls.map((l) => [l.code, l.rate ?? '']));
  return {
    activities: lines(g.activities),
    machine_kinds: lines(g.machine_kinds),
    min_margin_pct: g.min_margin_pct,
    target_margin_pct: g.target_margin_pct,
    express_coef: g.express_coef,
    express_48h_coef: g.express_48h_coef,
    economy_coef: g.economy_coef,
  };
}

/** Every line is sent: an empty box clears the rate (`null`). */
export function gridBody(version: number, v: RateGridValues): Record<string, unknown> {
  const lines = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, x]) => [k, x.trim() === '' ? null : x.trim()]));
  return {
    version,
    activities: lines(v.activities),
    machine_kinds: lines(v.machine_kinds),
    min_margin_pct: v.min_margin_pct.trim(),
    target_margin_pct: v.target_margin_pct.trim(),
    express_coef: v.express_coef.trim(),
    express_48h_coef: v.express_48h_coef.trim(),
    economy_coef: v.economy_coef.trim(),
  };
}

/** Wizard step order and where each step is saved. */
export const SETUP_STEPS = ['entreprise', 'activites', 'grille_tarifaire', 'machines', 'utilisateurs'] as const;
export type SetupStepCode = (typeof SETUP_STEPS)[number];

export function nextStep(s: SetupStepCode): SetupStepCode | null {
  const i = SETUP_STEPS.indexOf(s);
  return i >= 0 && i < SETUP_STEPS.length - 1 ? SETUP_STEPS[i + 1] : null;
}

export function previousStep(s: SetupStepCode): SetupStepCode | null {
  const i = SETUP_STEPS.indexOf(s);
  return i > 0 ? SETUP_STEPS[i - 1] : null;
}

/** Largest logo accepted by the server, as a data URL. */
export const MAX_LOGO_CHARS = 200 * 1024;

/** A first-start admin (may complete the setup) lands on the wizard until it is done. */
export function shouldOpenWizard(completed: boolean | undefined, canValidateSystem: boolean): boolean {
  return completed === false && canValidateSystem;
}
