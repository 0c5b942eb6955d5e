// Test fixture shaped like the API: the method sheet of a turning operation, with cutting
// conditions as the cutting engine stores them (raw values + `rounded`).
import type { CuttingConditions, MethodSheet } from './types';

export const COND_TURN: CuttingConditions = {
  vc_m_min: 240,
  feed_kind: 'f',
  feed: 0.25,
  ap_mm: 2,
  ae_mm: null,
  n_rpm: 1527.9,
  vf_mm_min: 381.97,
  q_cm3_min: 120,
  power_required_kw: 4.123,
  machine_power_kw: 5.5,
  source: 'base_interne',
  source_label: 'Base interne (C45, tournage)',
  rounded: { vc_m_min: 240, feed: 0.25, ap_mm: 2, n_rpm: 1530, vf_mm_min: 382, q_cm3_min: 120, power_required_kw: 4.12 },
  to_fill_fr: [],
  adjustments_fr: ['Vc lue dans la base interne.'],
  warnings: [],
  complete: true,
};

export const COND_TAP: CuttingConditions = {
  vc_m_min: null,
  feed_kind: 'pas',
  feed: 1.5,
  n_rpm: null,
  vf_mm_min: null,
  q_cm3_min: null,
  power_required_kw: null,
  machine_power_kw: 5.5,
  source: null,
  rounded: {},
  to_fill_fr: ['Vc'],
  adjustments_fr: [],
  warnings: [{ code: 'donnees_manquantes', message_fr: 'Aucune donnée de coupe pour le taraudage en groupe P : Vc à renseigner.' }],
  complete: false,
};

export const SHEET: MethodSheet = {
  id: 202,
  operation_id: 102,
  job_id: 21,
  job_number: 'OF-2026-0011',
  operation: { id: 102, position: 20, label: 'Tournage complet', process: 'tournage', machine_id: 4, machine_code: 'TOUR-02', machine_name: 'Tour CN Mazak QT 250', max_rpm: 4000, power_kw: '5.5' },
  part: { reference: 'AX-4021', revision: 'B', designation: 'Axe de vérin', grade: 'C45', iso_group: 'P', quantity: 25 },
  version: 2,
  content: {
    setup: { fixturing: 'Mandrin 3 mors doux, serrage Ø50', datums: null, zero_point: '', notes: null },
    tools: [
      { position: 'T01', tool_id: 7, label: 'Plaquette CNMG 120408', kind: 'tournage', diameter: null, teeth: null, nose_radius: 0.8, intent: 'ebauche', work_diameter: 50, ap: 2, ae: null, conditions: COND_TURN },
      { position: 'T05', tool_id: 9, label: 'Taraud M10', kind: 'taraudage', diameter: 10, pitch: 1.5, intent: 'finition', conditions: COND_TAP },
    ],
    cam_steps: ['Dressage face', 'Ébauche Ø45,5', 'Finition Ø45 h7'],
    inspection_points: [{ characteristic: 'Ø45 h7', nominal: '45', tolerance: '0 / -0,025', instrument_type: 'micrometre', instrument_id: 3, frequency: '1re pièce + 1/10' }],
    safety_notes: ['Carter fermé pendant l’usinage'],
    nc_program: 'AX4021_OP20',
  },
  missing: ['Références / appuis de la prise de pièce', 'Origine pièce (zéro)', 'Vc du taraud T05'],
  updated_by: 'Sandrine Bessenay',
  updated_at: '2026-11-26T09:30:00Z',
  can_edit: true,
  history_version: null,
};
