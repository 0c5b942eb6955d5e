// Test fixtures shaped like the API (docs/orders.md): a job with a generated routing (débit, turning,
// subcontracted treatment, control) and a routing diff.
import type { Job, Operation, RoutingDiff } from './types';

const op = (o: Partial<Operation> & Pick<Operation, 'id' | 'position' | 'process' | 'process_label' | 'label'>): Operation => ({
  description: null,
  machine_id: null,
  machine_code: null,
  machine_name: null,
  work_centre: null,
  work_centre_label: null,
  supplier_id: null,
  supplier_name: null,
  subcontract_po: null,
  send_date: null,
  return_date: null,
  setup_min: '0',
  run_min: '0',
  total_min: '0',
  skills: [],
  tools: [],
  instruments: [],
  nc_program: null,
  status: 'a_faire',
  status_label: 'À faire',
  method_sheet: null,
  scan_url: null,
  version: 1,
  ...o,
});

export const OPS: Operation[] = [
  op({ id: 101, position: 10, process: 'debit', process_label: 'Débit', label: 'Débit Ø50×70 — 26 pcs', machine_id: 1, machine_code: 'SCIE-01', machine_name: 'Scie à ruban', setup_min: '10', run_min: '1.5', total_min: '49', method_sheet: { id: 201, version: 1, missing_count: 1 } }),
  op({
    id: 102,
    position: 20,
    process: 'tournage',
    process_label: 'Tournage',
    label: 'Tournage complet',
    machine_id: 4,
    machine_code: 'TOUR-02',
    machine_name: 'Tour CN Mazak QT 250',
    setup_min: '45',
    run_min: '6.5',
    total_min: '214',
    tools: [
      { position: 'T01', label: 'Plaquette ébauche CNMG', kind: 'tournage', diameter: null, tool_id: 7, tool_code: 'T-CNMG', in_stock: true, available_qty: 12 },
      { position: 'T05', label: 'Taraud M10', kind: 'taraudage', diameter: 10, tool_id: 9, tool_code: 'T-M10', in_stock: false, available_qty: 0 },
    ],
    instruments: [{ characteristic: 'Ø45 h7', instrument_type: 'micrometre', instrument_id: 3, instrument_code: 'MIC-25-50', usable: true }],
    nc_program: 'AX4021_OP20',
    method_sheet: { id: 202, version: 2, missing_count: 0 },
  }),
  op({ id: 103, position: 30, process: 'traitement_sous_traite', process_label: 'Traitement sous-traité', label: 'Zingage', supplier_name: 'Galva Est', setup_min: '0', run_min: '0', total_min: '0' }),
  op({ id: 104, position: 40, process: 'controle', process_label: 'Contrôle', label: 'Contrôle final', work_centre: 'controle', work_centre_label: 'Contrôle', setup_min: '15', run_min: '1', total_min: '40' }),
];

export const JOB: Job = {
  id: 21,
  number: 'OF-2026-0011',
  order_id: 5,
  order_number: 'CO-2026-0007',
  client_name: 'Aviaxe Structures SAS',
  reference: 'AX-4021',
  designation: 'Axe de vérin',
  quantity: 25,
  status: 'brouillon',
  status_label: 'Brouillon',
  due_date: '2026-12-16',
  critical: true,
  operation_count: 4,
  routing_version: 2,
  order_line_id: 11,
  revision: 'B',
  grade_label: 'C45',
  routing_source: 'genere',
  routing_validated_by: null,
  routing_validated_at: null,
  debit: { grade: 'C45', section: 'Ø50', cut_length_mm: 70, quantity: 26, label: 'Débit Ø50×70 — 26 pcs' },
  warnings: ['Taraud M10 absent du magasin : à commander.'],
  version: 6,
  transitions: [{ status: 'annule', label: 'Annuler' }],
  can_edit_routing: true,
  can_validate_routing: true,
  has_drawing: false,
  operations: OPS,
};

export const DIFF: RoutingDiff = {
  from: 1,
  to: 2,
  changes: [
    { kind: 'modifiee', position: 20, label: 'Tournage complet', fields: [{ field: 'machine', before: '5', after: '4' }, { field: 'réglage (min)', before: '30', after: '45' }] },
    { kind: 'ajoutee', position: 30, label: 'Zingage', fields: [] },
    { kind: 'supprimee', position: 50, label: 'Ébavurage', fields: [] },
  ],
};

/**
 * The same job on the shop floor: the débit finished over its estimate (1 h 05 for 49 min), the
 * turning finished with a declared time waiting for the chef d'atelier and one scrapped part.
 */
export const JOB_RUNNING: Job = {
  ...JOB,
  status: 'en_cours',
  status_label: 'En cours',
  routing_validated_by: 'Sandrine Bessenay',
  routing_validated_at: '2026-11-26T09:00:00Z',
  can_edit_routing: false,
  can_validate_routing: false,
  transitions: [],
  warnings: [],
  estimated_min: '303',
  actual_min: '265',
  estimated_done_min: '263',
  scrap_cost: '12.4',
  operations: [
    { ...OPS[0], status: 'termine', status_label: 'Terminée', qty_good: 26, qty_scrap: 0, actual_min: '65', time_status: 'mesure', scrap_cost: '0' },
    { ...OPS[1], status: 'termine', status_label: 'Terminée', qty_good: 24, qty_scrap: 1, actual_min: '200', time_status: 'en_attente', scrap_cost: '12.4' },
    { ...OPS[2], qty_good: 0, qty_scrap: 0, actual_min: null, time_status: null, scrap_cost: '0' },
    { ...OPS[3], qty_good: 0, qty_scrap: 0, actual_min: null, time_status: null, scrap_cost: '0' },
  ],
};
