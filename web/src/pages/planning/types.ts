// Shapes of the planning API (docs: /api/v1/planning/*). Planned times are shop wall-clock
// date-times without offset ("2026-12-08T07:30:00"); created_at/decided_at are RFC 3339 UTC.

export type Severity = 'info' | 'warning' | 'error';

export interface SkillNeed {
  skill: string;
  level: number;
}

export interface PlanMachine {
  id: number;
  code: string;
  name: string;
  kind: string;
  stations: number;
  /** Machine state (the real API adds it). */
  status?: string;
}

export interface PlanPerson {
  id: number;
  name: string;
  skills: SkillNeed[];
  has_calendar: boolean;
}

export interface BoardOp {
  op_id: number;
  job_id: number;
  job_number: string;
  order_number: string | null;
  part: string;
  label: string;
  process: string;
  position: number;
  machine_id: number | null;
  person_id: number | null;
  start: string;
  end: string;
  work_min: number;
  setup_min: number;
  pinned: boolean;
  fixed: boolean;
  status: string;
  due: string | null;
  late: boolean;
  sur_urgent: boolean;
  critical: boolean;
  priority: number;
  allowed_machine_ids: number[];
  skill: SkillNeed | null;
  /** Sent to a subcontractor (no machine, no person). */
  subcontract?: boolean;
  /** The machine runs unattended once set up (the person is needed for the set-up only). */
  unattended?: boolean;
  predecessor_ids: number[];
  successor_ids: number[];
}

export interface BoardUnavailability {
  resource: 'machine' | 'person';
  id: number;
  from: string;
  to: string;
  reason: string | null;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  job_id: number | null;
  op_id: number | null;
  person_id: number | null;
  machine_id: number | null;
  message: string;
}

export interface Board {
  revision: number;
  from: string;
  to: string;
  machines: PlanMachine[];
  people: PlanPerson[];
  ops: BoardOp[];
  unavailability: BoardUnavailability[];
  closed_days: string[];
  diagnostics: Diagnostic[];
  pending_proposals: number;
  unplanned_ops?: number;
}

export interface MoveRequest {
  op_id: number;
  machine_id: number | null;
  person_id: number | null;
  start: string;
}

export interface Violation {
  code: string;
  message: string;
}

export interface CheckResult {
  ok: boolean;
  violations: Violation[];
  op: BoardOp | null;
}

export type ProposalStatus = 'en_attente' | 'acceptee' | 'refusee' | 'appliquee' | 'perimee';

export interface ProposalSummary {
  id: number;
  number: string;
  trigger: string;
  trigger_label: string;
  trigger_ref: string | null;
  status: ProposalStatus;
  /** The status in the caller's language (real API). */
  status_label?: string;
  requires_validation: boolean;
  moves_count: number;
  late_jobs: number;
  summary: string | null;
  created_by: string | null;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  stale: boolean;
  version?: number;
}

export interface PlannedSlot {
  machine_id: number | null;
  machine_code: string | null;
  person_id: number | null;
  person_name: string | null;
  start: string;
  end: string;
}

export interface ProposalMove {
  op_id: number;
  job_id: number;
  job_number: string;
  label: string;
  before: PlannedSlot | null;
  after: PlannedSlot | null;
}

export interface ProposalEffect {
  job_id: number;
  job_number: string;
  due: string | null;
  end_before: string | null;
  end_after: string | null;
  late_before_min: number;
  late_after_min: number;
}

export interface ProposalKpis {
  weighted_tardiness: number;
  late_jobs: number;
  makespan_end: string | null;
  setup_min: number;
  planned_ops: number;
  unplanned_ops: number;
  iterations: number;
  elapsed_ms: number;
}

export interface Proposal extends ProposalSummary {
  moves: ProposalMove[];
  effects: ProposalEffect[];
  diagnostics: Diagnostic[];
  kpis: ProposalKpis | null;
  ops: BoardOp[];
}

export type UnavailabilityKind = 'absence' | 'conges' | 'maladie' | 'formation' | 'maintenance' | 'panne';

export interface Unavailability {
  id: number;
  resource: 'person' | 'machine';
  resource_id: number;
  resource_name: string;
  kind: UnavailabilityKind;
  kind_label?: string;
  from: string;
  to: string;
  reason: string | null;
  created_by: string | null;
  created_at?: string;
  repair_proposal_id?: number | null;
}

export interface UnavailabilityCreated {
  unavailability: Unavailability;
  proposal: Proposal | null;
  applied: boolean;
}

export interface LoadCell {
  week: string;
  capacity_min: number;
  planned_min: number;
  ratio: number;
}

export interface LoadView {
  weeks: string[];
  machines: { id: number; code: string; name: string; cells: LoadCell[] }[];
}

export interface WorkingTimeLimits {
  day_min: number;
  week_min: number;
  avg_week_min: number;
  avg_weeks: number;
}

export interface WorkingTimePerson {
  id: number;
  name: string;
  contract_week_min: number;
  days: { day: string; planned_min: number }[];
  week_min: number;
  avg_week_min: number;
  overtime_min: number;
  alerts: Diagnostic[];
}

export interface WorkingTimeView {
  week: string;
  limits: WorkingTimeLimits;
  people: WorkingTimePerson[];
}

export interface ShopShift {
  weekday: number;
  start_min: number;
  end_min: number;
}

export interface PlanningSettings {
  rebalance_mode: 'attendre' | 'appliquer';
  /** The modes with their labels (real API; read only). */
  rebalance_modes?: { code: string; label: string }[];
  horizon_days: number;
  nightly: boolean;
  same_family_setup_factor: string;
  shop_shifts: ShopShift[];
  closures: { day: string; label: string }[];
  /** Bumped on every save; Calendriers sends it back (a stale save gets 409). */
  version?: number;
}
