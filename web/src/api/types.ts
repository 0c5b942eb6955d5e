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
