// Wire shapes of the v1 API, as documented in docs/api.md. Field names are the server's
// (snake_case); only what the UI reads is typed.

export type Lang = 'fr' | 'en';

export type ActionCode = 'read' | 'create' | 'update' | 'delete' | 'validate';

/** Per module code, the actions the current user may do. Modules without any right are absent. */
export type Permissions = Partial<Record<string, ActionCode[]>>;

export interface Me {
  id: number;
  login: string;
  full_name: string;
  email: string | null;
  roles: string[];
  must_change_password: boolean;
  permissions: Permissions;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: Me;
}

export interface Info {
  name: string;
  version: string;
  company: string | null;
  database: string;
  demo: boolean;
}

export interface ListResponse<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

/** Fields every stored record carries. */
export interface RecordBase {
  id: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface User extends RecordBase {
  login: string;
  full_name: string;
  email: string | null;
  active: boolean;
  roles: string[];
  employee_id: number | null;
  must_change_password: boolean;
  status: string;
  status_label: string;
  url: string;
}

export interface Transition {
  to: string;
  label: string;
}

export interface CodeLabel {
  code: string;
  label: string;
}

export type Grants = Record<string, Record<string, string[]>>;

export interface RightsDoc {
  roles: CodeLabel[];
  modules: (CodeLabel & { built: boolean })[];
  actions: CodeLabel[];
  grants: Grants;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor_id: number | null;
  actor_login: string;
  entity_type: string;
  entity_id: string | number;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string;
  hash: string;
}

export type AuditVerify =
  | { ok: true; checked: number }
  | { ok: false; checked: number; first_bad_id?: number; reason?: string };

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  errors?: FieldError[];
  request_id?: string;
}

// ---- resources: machines, instruments, people (docs/api.md) ----------------------------------

export interface Machine extends RecordBase {
  code: string;
  name: string;
  kind: string;
  kind_label: string;
  brand: string | null;
  model: string | null;
  year: number | null;
  serial: string | null;
  cnc_controller: string | null;
  cnc_controller_label: string | null;
  travel_x_mm: string | null;
  travel_y_mm: string | null;
  travel_z_mm: string | null;
  rotary_axes: string | null;
  max_spindle_rpm: number | null;
  spindle_power_kw: string | null;
  spindle_torque_nm: string | null;
  max_bar_diameter_mm: string | null;
  bar_feeder: boolean;
  chuck_table_size: string | null;
  max_part_mass_kg: string | null;
  tool_magazine_size: number | null;
  rapid_traverse_m_min: string | null;
  cam_software: string | null;
  post_processor_ref: string | null;
  hour_counter_h: string | null;
  status: string;
  status_label: string;
  location: string | null;
  photo: string | null;
  has_photo: boolean;
  machine_rate: string | null;
  operator_rate: string | null;
  notes: string | null;
  active: boolean;
  url: string;
}

export interface InstrumentException {
  id: number;
  reason: string;
  valid_until: string;
  granted_by_login: string | null;
  created_at: string;
  current: boolean;
}

export interface Instrument extends RecordBase {
  code: string;
  name: string;
  instrument_type: string;
  instrument_type_label: string;
  range: string | null;
  resolution: string | null;
  serial: string | null;
  location: string | null;
  calibration_interval_months: number;
  last_calibration: string | null;
  next_calibration: string | null;
  last_result: string | null;
  certificate_ref: string | null;
  state: 'valide' | 'a_etalonner' | 'expire' | 'non_conforme';
  state_label: string;
  days_to_due: number | null;
  current_exception: InstrumentException | null;
  usable: boolean;
  active: boolean;
  status: string;
  status_label: string;
  url: string;
}

export interface Calibration {
  id: number;
  instrument_id: number;
  date: string;
  result: string;
  result_label: string;
  certificate_no: string | null;
  performed_by: string;
  notes: string | null;
  recorded_by: string | null;
  created_at: string;
}

export interface InstrumentUse {
  id: number;
  instrument_id: number;
  reference: string;
  used_on: string;
  state: string;
  exception_id: number | null;
  user_login: string | null;
  created_at: string;
}

export interface Certification extends RecordBase {
  employee_id: number;
  kind: string;
  kind_label: string;
  designation: string;
  issued_on: string;
  expires_on: string | null;
  state: 'valide' | 'expire_bientot' | 'expire';
  state_label: string;
  days_left: number | null;
  active: boolean;
}

export interface Employee extends RecordBase {
  matricule: string;
  first_name: string;
  last_name: string;
  full_name: string;
  job_title: string | null;
  category: string;
  category_label: string;
  hire_date: string | null;
  user_id: number | null;
  active: boolean;
  status: string;
  status_label: string;
  weekly_hours: string[];
  weekly_total: string;
  hourly_cost: string | null;
  skills: Record<string, number>;
  certifications: Certification[];
  certifications_state: 'valide' | 'expire_bientot' | 'expire';
  url: string;
}

export interface CertificationReminder {
  stage: 'j30' | 'j10' | 'expire';
  days_left: number;
  employee_id: number;
  matricule: string;
  employee_name: string;
  certification_id: number;
  kind: string;
  kind_label: string;
  designation: string;
  expires_on: string;
  url: string;
}
