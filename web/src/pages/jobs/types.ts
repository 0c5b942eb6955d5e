// Wire shapes of /jobs, /job-operations and the routing versions (docs/orders.md, "Jobs and
// routings"). Minutes are decimal strings.

export type Dec = string;

export const JOB_STATUSES = ['brouillon', 'pret', 'en_cours', 'termine', 'annule'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Process kinds of an operation (the estimate engine's ProcessKind). */
export const PROCESSES = [
  'debit',
  'tournage',
  'fraisage',
  'percage_taraudage',
  'soudure',
  'pliage',
  'rectification',
  'ebavurage',
  'traitement_sous_traite',
  'controle',
  'emballage',
] as const;
export type Process = (typeof PROCESSES)[number];

export interface JobSummary {
  id: number;
  number: string;
  order_id: number;
  order_number: string;
  client_name: string;
  reference: string | null;
  designation: string;
  quantity: number;
  status: JobStatus;
  status_label: string;
  due_date: string | null;
  critical: boolean;
  operation_count: number;
  routing_version: number;
}

export interface Debit {
  grade: string | null;
  section: string | null;
  cut_length_mm: number | null;
  quantity: number | null;
  bar_fed?: boolean;
  label: string;
  certified_required?: boolean;
  notes?: string[];
}

export interface OperationTool {
  position: string;
  label: string;
  kind: string | null;
  diameter: number | null;
  tool_id: number | null;
  tool_code: string | null;
  in_stock: boolean;
  available_qty: number | null;
}

export interface OperationInstrument {
  characteristic: string;
  instrument_type: string | null;
  instrument_id: number | null;
  instrument_code: string | null;
  usable: boolean;
}

export interface Operation {
  id: number;
  position: number;
  process: Process | string;
  process_label: string;
  label: string;
  description: string | null;
  machine_id: number | null;
  machine_code: string | null;
  machine_name: string | null;
  work_centre: string | null;
  work_centre_label: string | null;
  supplier_id: number | null;
  supplier_name: string | null;
  subcontract_po: string | null;
  send_date: string | null;
  return_date: string | null;
  setup_min: Dec;
  run_min: Dec;
  total_min: Dec;
  skills: string[];
  tools: OperationTool[];
  instruments: OperationInstrument[];
  nc_program: string | null;
  status: string;
  status_label: string;
  method_sheet: { id: number; version: number; missing_count: number } | null;
  scan_url: string | null;
  version: number;
  // Shop-floor follow-up (docs/shop-floor.md); optional so older payloads and mocks still type.
  /** Good / scrapped parts declared on the shop floor. */
  qty_good?: number;
  qty_scrap?: number;
  /** Real labour minutes once finished (measured, or the approved declaration), decimal string. */
  actual_min?: Dec | null;
  /** `mesure`, `en_attente` (declared time waiting for the chef d'atelier), `approuve`, `refuse`. */
  time_status?: 'mesure' | 'en_attente' | 'approuve' | 'refuse' | null;
  /** Scrap cost at this operation, € HT as a decimal string. */
  scrap_cost?: Dec;
}

export interface JobTransition {
  status: string;
  label: string;
}

export interface Job extends JobSummary {
  order_line_id: number;
  revision: string | null;
  grade_label: string | null;
  routing_source: 'genere' | 'manuel' | string;
  routing_validated_by: string | null;
  routing_validated_at: string | null;
  debit: Debit | null;
  warnings: string[];
  version: number;
  transitions: JobTransition[];
  can_edit_routing: boolean;
  /** The caller may validate the routing (méthode, chef d'atelier, admin). */
  can_validate_routing?: boolean;
  has_drawing: boolean;
  certified_material?: boolean;
  control_sheet?: boolean;
  /** Estimated minutes of the whole routing (setup + run × quantity). */
  estimated_min?: Dec;
  /** Real minutes of the finished operations, and the estimate of those same operations. */
  actual_min?: Dec;
  estimated_done_min?: Dec;
  /** Cost of the parts scrapped on the shop floor, € HT as a decimal string. */
  scrap_cost?: Dec;
  operations: Operation[];
}

/**
 * POST /jobs/{id}/operations and PATCH /job-operations/{id}. On PATCH an absent or null field is
 * left as it is, an empty string clears a text or date, and `clear_machine` removes the machine.
 */
export interface OperationInput {
  process?: string;
  label?: string | null;
  description?: string | null;
  machine_id?: number | null;
  work_centre?: string | null;
  supplier_id?: number | null;
  supplier_name?: string | null;
  subcontract_po?: string | null;
  send_date?: string | null;
  return_date?: string | null;
  setup_min?: Dec | null;
  run_min?: Dec | null;
  /** Skill codes separated by spaces or commas. */
  skills?: string;
  nc_program?: string | null;
  clear_machine?: boolean;
  version?: number;
  after_id?: number | null;
}

export interface RoutingVersion {
  version: number;
  created_by: string;
  created_at: string;
  comment: string | null;
  operation_count: number;
  current?: boolean;
}

export type DiffKind = 'ajoutee' | 'supprimee' | 'modifiee' | 'deplacee';

export interface DiffField {
  /** French field name as the server writes it ("machine", "réglage (min)"…) or a code. */
  field: string;
  before: unknown;
  after: unknown;
}

export interface DiffChange {
  kind: DiffKind;
  position: number | null;
  label: string;
  fields: DiffField[];
}

export interface RoutingDiff {
  from: number;
  to: number;
  changes: DiffChange[];
}

/** A row of /machines as the machine select needs it. */
export interface MachineOption {
  id: number;
  code: string;
  name: string;
  kind?: string;
  status?: string;
  active?: boolean;
}
