// Wire shapes of the shop-floor and time-tracking API (docs/shop-floor.md, "Shapes"). Minutes
// are decimal strings or numbers depending on the field; the UI reads both through Number().
import type { Operation } from '../jobs/types';

export type Dec = string | number;

export type OpStatus = 'a_faire' | 'en_cours' | 'en_pause' | 'termine' | string;

export interface TaskView {
  operation_id: number;
  job_id: number;
  job_number: string;
  order_number: string | null;
  client_name: string | null;
  part_reference: string | null;
  designation: string | null;
  position: number;
  label: string;
  process: string;
  process_label: string;
  machine_id: number | null;
  machine_label: string | null;
  work_centre: string | null;
  status: OpStatus;
  status_label: string;
  priority: number | string | null;
  due_date: string | null;
  late: boolean;
  quantity: number;
  input_available: number;
  qty_good: number;
  qty_scrap: number;
  assigned_user_id: number | null;
  assigned_name: string | null;
  operators: string[];
  estimated_min: Dec | null;
  actual_min: Dec | null;
}

export interface CodeLabel {
  code: string;
  label: string;
}

export interface WorkSession {
  user_id: number;
  user_name: string;
  started_at: string;
  ended_at: string | null;
  end_reason: string | null;
  end_reason_label: string | null;
}

export interface Can {
  start: boolean;
  pause: boolean;
  resume: boolean;
  report: boolean;
  finish: boolean;
}

export interface InstrumentChecked {
  instrument_id: number;
  code: string;
  label: string;
  state: string;
}

export interface FloorOperationView {
  operation: Operation;
  job_id: number;
  job_number: string;
  job_status: string;
  order_number: string | null;
  client_name: string | null;
  part_reference: string | null;
  designation: string | null;
  quantity: number;
  status: OpStatus;
  status_label: string;
  assigned_user_id: number | null;
  assigned_name: string | null;
  input_available: number;
  qty_good: number;
  qty_scrap: number;
  qty_rework: number;
  estimated_min: Dec | null;
  measured_min: Dec | null;
  machine_min: Dec | null;
  actual_min: Dec | null;
  time_status: 'mesure' | 'en_attente' | 'approuve' | 'refuse' | string | null;
  my_session_open: boolean;
  sessions: WorkSession[];
  pause_reasons: CodeLabel[];
  scrap_reasons: CodeLabel[];
  can: Can;
  is_debit: boolean;
  is_control: boolean;
  debit: { grade: string | null; diameter_mm: Dec | null; cut_length_mm: Dec | null; pieces: number | null } | null;
  instruments_checked: InstrumentChecked[];
  tool_changes: number;
  scrap_cost: number | null;
  warnings: string[];
  replayed?: boolean;
}

export interface SawCut {
  stock_id: number;
  label: string;
  location: string | null;
  length_mm: Dec;
  is_offcut: boolean;
  pieces: number;
  consumed_mm: Dec;
  remainder_mm: Dec;
  remainder: 'offcut' | 'scrap' | 'none';
}

export interface SawCandidate {
  stock_id: number;
  label: string;
  location: string | null;
  length_mm: Dec;
  is_offcut: boolean;
  available: Dec | number;
}

export interface SawPlanView {
  cut_length_mm: Dec;
  pieces: number;
  kerf_mm: Dec;
  cuts: SawCut[];
  candidates: SawCandidate[];
  error?: string | null;
}

/** Cutting conditions (contract: vc/n/f/vf/ap; server: vc_m_min/n_rpm/feed/vf_mm_min/ap_mm). */
export interface CuttingConditions {
  vc?: Dec | null;
  n?: Dec | null;
  f?: Dec | null;
  vf?: Dec | null;
  ap?: Dec | null;
  vc_m_min?: Dec | null;
  n_rpm?: Dec | null;
  feed?: Dec | null;
  vf_mm_min?: Dec | null;
  ap_mm?: Dec | null;
  warnings?: string[];
}

/** Tool fields: the contract says reference/designation/type, the server sends code/name/tool_type. */
export interface ToolNames {
  reference?: string;
  designation?: string;
  code?: string;
  name?: string;
}

export interface BrokenToolProposal {
  tool: ToolNames & { id: number; type?: string | null; tool_type?: string | null; diameter_mm: Dec | null; position?: string | null };
  replacements: (ToolNames & {
    tool_id: number;
    location: string | null;
    available: Dec | number;
    same_reference: boolean;
    conditions: CuttingConditions | null;
  })[];
  purchase_request_needed: boolean;
}

export interface BrokenToolResult {
  breakage_id: number;
  replacement_tool_id?: number | null;
  purchase_request_id?: number | null;
  message: string;
  operation: FloorOperationView;
}

export interface CommentView {
  id: number;
  operation_id: number;
  kind: 'commentaire' | 'amelioration';
  text: string;
  status?: string;
  created_at?: string;
  user_name?: string;
}

export type MachineState = 'marche' | 'pause' | 'arret';

export interface BoardMachine {
  machine_id: number;
  /** The contract's machine label; the server sends code + name. */
  label?: string;
  code?: string;
  name?: string;
  status_label?: string;
  pause_reason?: string | null;
  kind: string | null;
  status: MachineState;
  operation_id: number | null;
  job_number: string | null;
  part_reference: string | null;
  /** The running operation's label (the contract lists `label` twice; the server may name it either way). */
  operation_label?: string | null;
  op_label?: string | null;
  operators: string[];
  qty_good: number;
  quantity: number;
  progress_pct: number;
  started_at: string | null;
  estimated_min: Dec | null;
  measured_min: Dec | null;
  late: boolean;
}

export interface BoardOperator {
  user_id: number;
  name: string;
  clocked_in: boolean;
  since: string | null;
  operations: number[];
}

export interface BoardView {
  machines: BoardMachine[];
  operators: BoardOperator[];
  updated_at: string;
}

export interface ClockView {
  clocked_in: boolean;
  since: string | null;
  today_min: Dec;
}

export interface TimeEntryView {
  id: number;
  user_id: number;
  user_name: string;
  kind: 'presence' | 'operation' | string;
  operation_id: number | null;
  job_number: string | null;
  started_at: string;
  ended_at: string | null;
  minutes: Dec | null;
  measured_min: Dec | null;
  source: 'scan' | 'manuel' | 'correction' | string;
  status: 'valide' | 'en_attente' | 'approuvee' | 'refusee' | string;
  status_label: string;
  reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  warnings: string[];
}

export interface TimesheetDay {
  date: string;
  presence_min: Dec;
  operation_min: Dec;
  entries: TimeEntryView[];
}

export interface TimesheetView {
  user_id: number;
  user_name: string;
  week: string;
  monday: string;
  days: TimesheetDay[];
  total_min: Dec;
  overtime_25_min: Dec;
  overtime_50_min: Dec;
  average_12w_min: Dec;
  warnings: string[];
  pending: number;
}
