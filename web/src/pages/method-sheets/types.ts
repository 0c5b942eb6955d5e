// Wire shapes of /method-sheets (docs/orders.md, "Method sheets"). The cutting conditions of each
// tool are computed by the server's cutting engine on save and are read-only here.

export const TOOL_KINDS = ['tournage', 'alesage', 'tronconnage', 'fraisage', 'surfacage', 'percage', 'taraudage'] as const;
export type ToolKind = (typeof TOOL_KINDS)[number];

export const INTENTS = ['ebauche', 'finition'] as const;
export type Intent = (typeof INTENTS)[number];

export interface CuttingWarning {
  code: string;
  message_fr: string;
}

/** Values rounded for display by the cutting engine (`None` = "à renseigner"). */
export interface RoundedConditions {
  vc_m_min?: number | null;
  feed?: number | null;
  ap_mm?: number | null;
  ae_mm?: number | null;
  n_rpm?: number | null;
  vf_mm_min?: number | null;
  q_cm3_min?: number | null;
  power_required_kw?: number | null;
}

/**
 * The cutting engine's output for one tool (crates/engines/src/cutting/model.rs), stored with the
 * tool on save. The short names of docs/orders.md (`vc`, `ap`, `power_kw`…) are read too.
 */
export interface CuttingConditions {
  vc_m_min?: number | null;
  vc?: number | null;
  /** "f" (mm/tr), "fz" (mm/dent) or "pas" (taps). */
  feed_kind?: string | null;
  feed?: number | null;
  ap_mm?: number | null;
  ap?: number | null;
  ae_mm?: number | null;
  ae?: number | null;
  n_rpm?: number | null;
  vf_mm_min?: number | null;
  q_cm3_min?: number | null;
  power_required_kw?: number | null;
  power_kw?: number | null;
  machine_power_kw?: number | null;
  ap_for_power_mm?: number | null;
  source?: string | null;
  source_label?: string | null;
  rounded?: RoundedConditions | null;
  to_fill_fr?: string[];
  adjustments_fr?: string[];
  warnings?: (CuttingWarning | string)[];
  complete?: boolean;
}

export interface SheetTool {
  /** T01, T02… (a string, may be empty). */
  position: string;
  tool_id?: number | null;
  label: string;
  kind: ToolKind | string;
  diameter: number | null;
  teeth?: number | null;
  nose_radius?: number | null;
  pitch?: number | null;
  intent: Intent | string;
  work_diameter?: number | null;
  ap?: number | null;
  ae?: number | null;
  /** Vc typed by a person (m/min): wins over the data. */
  vc?: number | null;
  /** f or fz typed by a person. */
  feed?: number | null;
  conditions?: CuttingConditions | null;
}

export interface InspectionPoint {
  characteristic: string;
  nominal?: string | null;
  tolerance?: string | null;
  instrument_type?: string | null;
  instrument_id?: number | null;
  frequency?: string | null;
}

export interface SheetSetup {
  fixturing: string | null;
  datums: string | null;
  zero_point: string | null;
  notes: string | null;
}

export interface SheetContent {
  setup: SheetSetup;
  tools: SheetTool[];
  cam_steps: string[];
  inspection_points: InspectionPoint[];
  safety_notes: string[];
  nc_program?: string | null;
}

export interface MethodSheet {
  id: number;
  operation_id: number;
  job_id: number;
  job_number: string;
  operation: { id?: number; position: number; label: string; process: string; machine_id?: number | null; machine_code: string | null; machine_name: string | null; max_rpm?: number | null; power_kw?: string | null };
  part: { reference: string | null; revision: string | null; designation: string | null; grade: string | null; iso_group?: string | null; quantity?: number };
  version: number;
  content: SheetContent;
  missing: string[];
  updated_by: string | null;
  updated_at: string | null;
  can_edit: boolean;
  /** Set when this is an old version, shown read-only. */
  history_version?: number | null;
}

export interface SheetVersion {
  version: number;
  changed_by: string;
  created_at: string;
  summary: string | null;
}
