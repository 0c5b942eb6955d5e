// Wire shapes of /quotes and /quote-lines (docs/quotes.md) and of the estimate engine's output
// (crates/engines/src/estimate/model.rs, serialized as is: enums snake_case, money as decimal
// strings, `Resource` tagged by `kind`, `Section` tagged by `shape`, trace inputs as pairs).

/** rust_decimal serialized as a string, e.g. "123.45". */
export type Dec = string;

export const QUOTE_STATUSES = ['brouillon', 'a_valider', 'envoye', 'accepte', 'refuse', 'expire'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

export const ANALYSIS_STATUSES = ['en_attente', 'en_cours', 'termine', 'echec', 'manuel'] as const;
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];

export const SHAPES = ['turned', 'prismatic', 'sheet_bent', 'welded', 'unknown'] as const;
export type Shape = (typeof SHAPES)[number];

export const SCENARIO_KINDS = ['economique', 'standard', 'express'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

export interface QuoteSummary {
  id: number;
  number: string;
  revision: number;
  client_id: number;
  client_name: string;
  subject: string | null;
  status: QuoteStatus;
  status_label: string;
  line_count: number;
  lines_pending: number;
  total_standard: Dec | null;
  valid_until: string | null;
  created_at: string;
}

export interface QuoteTransition {
  status: QuoteStatus;
  label: string;
}

export interface QuoteRevision {
  revision: number;
  status: QuoteStatus;
  created_at: string;
  created_by_name: string;
}

export interface Quote extends QuoteSummary {
  customer_reference: string | null;
  notes: string | null;
  /** Comment given with the last status change (e.g. why it was refused). */
  status_comment?: string | null;
  created_by_name: string;
  updated_at: string;
  version: number;
  critical_client: boolean;
  transitions: QuoteTransition[];
  lines: QuoteLine[];
  revisions: QuoteRevision[];
}

export interface DrawingFile {
  filename: string;
  content_type: string;
  size_bytes: number;
  pages: number;
  /** Page images can be shown (PDF and images); false for DXF, STEP, DWG… */
  previewable?: boolean;
}

export interface BBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export type ExtractedKey =
  | 'drawing_number'
  | 'revision'
  | 'part_name'
  | 'material'
  | 'heat_treatment'
  | 'surface_treatment'
  | 'customer'
  | 'scale'
  | 'date'
  | 'quantity'
  | 'general_tolerance'
  | 'projection'
  | 'envelope'
  | 'shape_class'
  | 'dimension'
  | 'roughness'
  | 'thread'
  | 'gdt'
  | 'critical';

export interface Extracted {
  key: ExtractedKey | string;
  label: string;
  value: string | number | boolean | null;
  confidence: number | null;
  page: number | null;
  bbox: BBox | null;
}

export interface LineEnvelope {
  diameter: number | null;
  length: number | null;
  width: number | null;
  height: number | null;
}

export interface MissingField {
  field: string;
  message_fr: string;
}

export interface QuoteLine {
  id: number;
  quote_id: number;
  position: number;
  drawing: DrawingFile | null;
  analysis_status: AnalysisStatus;
  analysis_status_label: string;
  analysis_error: string | null;
  drawing_number: string | null;
  drawing_revision: string | null;
  part_name: string | null;
  grade_id: number | null;
  grade_code: string | null;
  grade_name?: string | null;
  heat_treatment: string | null;
  surface_treatment: string | null;
  quantities: number[];
  critical: boolean;
  shape: Shape;
  envelope: LineEnvelope | null;
  general_tolerance: string | null;
  projection: 'first_angle' | 'third_angle' | null;
  text_source: string | null;
  extracted: Extracted[];
  warnings: string[];
  missing: MissingField[];
  assumptions: string[];
  estimate: Estimate | null;
  selected_quantity: number | null;
  selected_scenario: ScenarioKind | null;
  /** Price of the selected quantity in the selected scenario. */
  unit_price?: Dec | null;
  /** Unit price typed by a person instead of the offer's (never below the minimum margin). */
  unit_price_override?: Dec | null;
  total?: Dec | null;
  reviewed: boolean;
  reviewed_by_name: string | null;
  reviewed_at: string | null;
  version: number;
}

/** PATCH /quote-lines/{id} and POST /quotes/{id}/lines; every field optional. */
export interface LinePatch {
  drawing_number?: string | null;
  drawing_revision?: string | null;
  part_name?: string | null;
  grade_id?: number | null;
  heat_treatment?: string | null;
  surface_treatment?: string | null;
  quantities?: number[];
  critical?: boolean;
  shape?: Shape;
  envelope?: LineEnvelope;
  selected_quantity?: number;
  selected_scenario?: ScenarioKind;
  reviewed?: boolean;
  version?: number;
}

// ---- estimate (crates/engines/src/estimate/model.rs) -----------------------------------------

export type ProcessKind =
  | 'debit'
  | 'tournage'
  | 'fraisage'
  | 'percage_taraudage'
  | 'soudure'
  | 'pliage'
  | 'rectification'
  | 'ebavurage'
  | 'traitement_sous_traite'
  | 'controle'
  | 'emballage';

export interface MachineCandidate {
  machine_id: number;
  code: string;
  name: string;
  capable: boolean;
  available: boolean;
  reasons_fr: string[];
  cost_for_ranking: Dec | null;
}

export type Resource =
  | { kind: 'machine'; machine_id: number; code: string; rate: Dec }
  | { kind: 'activity'; code: string; rate: Dec | null }
  | { kind: 'subcontract'; treatment: string; supplier: string }
  | { kind: 'none' };

export interface Step {
  label_fr: string;
  minutes: number;
}

export interface Operation {
  number: number;
  process: ProcessKind;
  description_fr: string;
  candidates: MachineCandidate[];
  resource: Resource;
  why_fr: string;
  setup_h_raw: number;
  setup_h: number;
  cycle_min_raw: number;
  cycle_min: number;
  steps: Step[];
}

export type Section = { shape: 'round'; diameter: number } | { shape: 'flat'; width: number; thickness: number };

export interface StockAllocation {
  stock_id: number | null;
  label: string;
  is_offcut: boolean;
  certified: boolean;
  parts: number;
  cost_per_kg: Dec;
}

export interface RawStock {
  section: Section;
  blank_length: number;
  consumed_length: number;
  bar_fed: boolean;
  debit_fr: string;
  mass_kg: number;
  certified_required: boolean;
  allowances_fr: string[];
  proposed: StockAllocation[];
}

export interface ToolToBuy {
  tool_kind: string;
  diameter: number;
  label_fr: string;
  unit_price: Dec | null;
}

export interface Scenario {
  kind: ScenarioKind;
  hours_coef: Dec;
  unit_price: Dec;
  total_price: Dec;
  margin_pct: Dec;
  lead_time_days: number;
  raised_to_min_margin: boolean;
  raised_to_min_line: boolean;
  note_fr: string;
}

export interface QuantityBreak {
  quantity: number;
  material_cost: Dec;
  machine_cost: Dec;
  labour_cost: Dec;
  one_off_cost: Dec;
  subcontract_cost: Dec;
  tools_cost: Dec;
  total_cost: Dec;
  unit_cost: Dec;
  job_hours: number;
  material_sources: StockAllocation[];
  scenarios: Scenario[];
}

export type IssueLevel = 'bloquant' | 'question' | 'avertissement';

export interface Issue {
  level: IssueLevel;
  code: string;
  message_fr: string;
}

export type TraceSource =
  | 'plan'
  | 'formule'
  | 'donnees_coupe'
  | 'defaut_norme'
  | 'standard_atelier'
  | 'machine'
  | 'grille_tarifaire'
  | 'stock'
  | 'prix_achat'
  | 'sous_traitance'
  | 'parametres';

export interface TraceItem {
  key: string;
  label_fr: string;
  value: string;
  unit: string;
  formula: string;
  inputs: [string, string][];
  source: TraceSource;
}

export interface Estimate {
  operations: Operation[];
  raw_stock: RawStock | null;
  programming_h: number;
  tools_to_buy: ToolToBuy[];
  breaks: QuantityBreak[];
  issues: Issue[];
  complete: boolean;
  trace: TraceItem[];
}

/** A row of /materials as the selects need it. */
export interface GradeOption {
  id: number;
  code: string;
  afnor: string | null;
  iso_group?: string;
}

/** A row of /clients as the client picker needs it. */
export interface ClientOption {
  id: number;
  name: string;
  siret?: string | null;
  critical?: boolean;
}
