// Test fixtures shaped like docs/shop-floor.md (the API contract).
import { OPS } from '../jobs/fixtures';
import type { BoardView, FloorOperationView, SawPlanView, TaskView, TimesheetView } from './types';

export const PAUSE_REASONS = [
  { code: 'reglage', label: 'Réglage' },
  { code: 'attente_matiere', label: 'Attente matière' },
  { code: 'attente_outil', label: 'Attente outil' },
  { code: 'panne_machine', label: 'Panne machine' },
  { code: 'pause', label: 'Pause' },
  { code: 'autre', label: 'Autre' },
];

export const SCRAP_REASONS = [
  { code: 'cote_hors_tolerance', label: 'Cote hors tolérance' },
  { code: 'defaut_matiere', label: 'Défaut matière' },
];

export function floorOp(over: Partial<FloorOperationView> = {}): FloorOperationView {
  return {
    operation: OPS[1],
    job_id: 21,
    job_number: 'OF-2026-0011',
    job_status: 'pret',
    order_number: 'CO-2026-0007',
    client_name: 'Aviaxe Structures SAS',
    part_reference: 'AX-4021',
    designation: 'Axe de vérin',
    quantity: 25,
    status: 'a_faire',
    status_label: 'À faire',
    assigned_user_id: null,
    assigned_name: null,
    input_available: 25,
    qty_good: 0,
    qty_scrap: 0,
    qty_rework: 0,
    estimated_min: '207.5',
    measured_min: '0',
    machine_min: '0',
    actual_min: null,
    time_status: 'mesure',
    my_session_open: false,
    sessions: [],
    pause_reasons: PAUSE_REASONS,
    scrap_reasons: SCRAP_REASONS,
    can: { start: true, pause: false, resume: false, report: false, finish: false },
    is_debit: false,
    is_control: false,
    debit: null,
    instruments_checked: [],
    tool_changes: 0,
    scrap_cost: 0,
    warnings: [],
    ...over,
  };
}

export const RUNNING = floorOp({
  status: 'en_cours',
  status_label: 'En cours',
  my_session_open: true,
  measured_min: '85',
  sessions: [{ user_id: 7, user_name: 'Paul Opérateur', started_at: '2026-12-07T07:00:00Z', ended_at: null, end_reason: null, end_reason_label: null }],
  can: { start: false, pause: true, resume: false, report: true, finish: true },
});

export const TASKS: TaskView[] = [
  {
    operation_id: 102,
    job_id: 21,
    job_number: 'OF-2026-0011',
    order_number: 'CO-2026-0007',
    client_name: 'Aviaxe Structures SAS',
    part_reference: 'AX-4021',
    designation: 'Axe de vérin',
    position: 20,
    label: 'Tournage complet',
    process: 'tournage',
    process_label: 'Tournage',
    machine_id: 4,
    machine_label: 'TOUR-02 Tour CN Mazak QT 250',
    work_centre: null,
    status: 'en_cours',
    status_label: 'En cours',
    priority: 1,
    due_date: '2026-12-01',
    late: true,
    quantity: 25,
    input_available: 25,
    qty_good: 10,
    qty_scrap: 1,
    assigned_user_id: 7,
    assigned_name: 'Paul Opérateur',
    operators: ['Paul Opérateur'],
    estimated_min: '207.5',
    actual_min: '85',
  },
  {
    operation_id: 104,
    job_id: 21,
    job_number: 'OF-2026-0011',
    order_number: 'CO-2026-0007',
    client_name: 'Aviaxe Structures SAS',
    part_reference: 'AX-4021',
    designation: 'Axe de vérin',
    position: 40,
    label: 'Contrôle final',
    process: 'controle',
    process_label: 'Contrôle',
    machine_id: null,
    machine_label: null,
    work_centre: 'Contrôle',
    status: 'a_faire',
    status_label: 'À faire',
    priority: 2,
    due_date: '2026-12-16',
    late: false,
    quantity: 25,
    input_available: 0,
    qty_good: 0,
    qty_scrap: 0,
    assigned_user_id: null,
    assigned_name: null,
    operators: [],
    estimated_min: '40',
    actual_min: null,
  },
];

export const SAW_PLAN: SawPlanView = {
  cut_length_mm: '70',
  pieces: 26,
  kerf_mm: '3',
  cuts: [{ stock_id: 55, label: 'C45 Ø50 — 2000 mm', location: 'RACK-B2', length_mm: '2000', is_offcut: false, pieces: 26, consumed_mm: '1900', remainder_mm: '100', remainder: 'offcut' }],
  candidates: [
    { stock_id: 55, label: 'C45 Ø50 — 2000 mm', location: 'RACK-B2', length_mm: '2000', is_offcut: false, available: 1 },
    { stock_id: 61, label: 'C45 Ø50 — chute 850 mm', location: 'CHUTES-1', length_mm: '850', is_offcut: true, available: 1 },
  ],
};

export const BOARD: BoardView = {
  machines: [
    { machine_id: 4, code: 'TOUR-02', name: 'Mazak', kind: 'tour', status: 'marche', operation_id: 102, job_number: 'OF-2026-0011', part_reference: 'AX-4021', operation_label: 'Tournage complet', operators: ['Paul Opérateur'], qty_good: 10, quantity: 25, progress_pct: 40, started_at: '2026-12-07T07:00:00Z', estimated_min: '207.5', measured_min: '85', late: true },
    { machine_id: 1, label: 'SCIE-01', kind: 'scie', status: 'arret', operation_id: null, job_number: null, part_reference: null, operators: [], qty_good: 0, quantity: 0, progress_pct: 0, started_at: null, estimated_min: null, measured_min: null, late: false },
  ],
  operators: [
    { user_id: 7, name: 'Paul Opérateur', clocked_in: true, since: '2026-12-07T06:55:00Z', operations: [102] },
    { user_id: 8, name: 'Marie Régleuse', clocked_in: false, since: null, operations: [] },
  ],
  updated_at: '2026-12-07T08:25:00Z',
};

export const TIMESHEET: TimesheetView = {
  user_id: 7,
  user_name: 'Paul Opérateur',
  week: '2026-W50',
  monday: '2026-12-07',
  days: ['07', '08', '09', '10', '11', '12', '13'].map((d, i) => ({ date: `2026-12-${d}`, presence_min: i < 5 ? 480 : 0, operation_min: i < 5 ? 420 : 0, entries: [] })),
  total_min: 2400,
  overtime_25_min: 0,
  overtime_50_min: 0,
  average_12w_min: '2280',
  warnings: ['Pause de 20 minutes manquante le 09/12.'],
  pending: 1,
};
