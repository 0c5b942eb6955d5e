//! Inputs and outputs of the routing engine. Outputs are serde-serializable; lengths in mm,
//! times in minutes (`f64`).

use crate::estimate::{
    Estimate, Machine, PartSpec, ProcessKind, Section, StockAllocation, ToolKind, Treatment,
};
use serde::{Deserialize, Serialize};

// ------------------------------------------------------------------------------------ input

/// A tool of the crib (tool stock).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CribTool {
    pub id: i64,
    pub code: String,
    pub label: String,
    pub kind: ToolKind,
    /// Cutting Ø (mm) for drills, taps (major Ø), end mills, reamers; 0 when not relevant
    /// (inserts, parting blades).
    pub diameter: f64,
    /// Pieces available (not reserved).
    pub quantity: u32,
}

/// A measuring instrument of the shop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instrument {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `pied_a_coulisse`, `micrometre`, `alesometre`, `tampon_lisse`, `bague_lisse`,
    /// `tampon_filete`, `bague_filetee`, `rugosimetre`, `mmt`, `comparateur`…
    pub instrument_type: String,
    /// Measuring range (mm) of a caliper, micrometer, bore gauge.
    #[serde(default)]
    pub range_min: Option<f64>,
    #[serde(default)]
    pub range_max: Option<f64>,
    /// Size of a fixed gauge: "Ø20 H7", "M10-6H", "M8x1"… (plug and ring gauges).
    #[serde(default)]
    pub size: Option<String>,
    /// Calibration valid (not expired, not blocked).
    pub usable: bool,
}

/// A treatment of the order line with the chosen supplier (None = still to choose).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreatmentOrder {
    pub treatment: Treatment,
    #[serde(default)]
    pub supplier: Option<String>,
}

/// Routing settings (the app's `routing` setting).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoutingSettings {
    /// Extra blanks for scrap (%), rounded up to whole pieces.
    pub scrap_pct: f64,
    /// From this ordered quantity on, at least one extra blank; below it, none.
    pub scrap_min_qty: u32,
    /// Nominal bar length (mm) used to count bars.
    pub bar_length_mm: f64,
    /// Bar end left in the bar feeder (mm), lost per bar when bar-fed.
    pub bar_end_mm: f64,
}

impl Default for RoutingSettings {
    fn default() -> Self {
        RoutingSettings {
            scrap_pct: 2.0,
            scrap_min_qty: 10,
            bar_length_mm: 3000.0,
            bar_end_mm: 200.0,
        }
    }
}

/// Everything [`super::generate`] needs. The estimate is the one re-run for the ordered quantity.
#[derive(Debug, Clone, Copy)]
pub struct RoutingInput<'a> {
    pub spec: &'a PartSpec,
    pub estimate: &'a Estimate,
    /// Ordered quantity of the order line.
    pub quantity: u32,
    /// Drawing number (and index) used to name NC programs, e.g. "PL-1234-B".
    pub drawing_ref: &'a str,
    pub settings: &'a RoutingSettings,
    /// Activity codes checked in the setup wizard (`usinage`, `decolletage`, `tolerie`…);
    /// empty = `usinage` (the wizard's default).
    pub activities: &'a [String],
    pub tools: &'a [CribTool],
    pub instruments: &'a [Instrument],
    /// The shop's machine park now (the estimate's choice is re-checked against it).
    pub machines: &'a [Machine],
    /// Critical order line (OR-ed with the part spec's flag).
    pub critical: bool,
    /// Treatments of the line with their supplier; empty = the spec's treatments with the
    /// estimate's subcontractors.
    pub treatments: &'a [TreatmentOrder],
    /// The customer asks for a control sheet (relevé de cotes).
    pub control_sheet_required: bool,
}

// ------------------------------------------------------------------------------------ output

/// Who does an operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkCentre {
    Machine {
        machine_id: i64,
        code: String,
    },
    /// A manual activity: `controle`, `ebavurage`, `emballage`, `montage`, `decoupe`…
    Activity {
        code: String,
    },
    Subcontract {
        treatment: String,
        supplier: Option<String>,
    },
    /// No machine can do it: to choose (see warnings).
    None,
}

/// A tool an operation needs, matched against the crib.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolNeed {
    /// T01, T02… in the order of use, per operation.
    pub position: String,
    pub kind: ToolKind,
    /// Ø (mm), 0 when not relevant (inserts).
    pub diameter: f64,
    pub label_fr: String,
    /// Matched crib tool (same kind, nearest Ø within the kind's rule).
    pub tool_id: Option<i64>,
    pub tool_code: Option<String>,
    /// Matched and at least one piece available.
    pub in_stock: bool,
    pub available_qty: u32,
}

/// A measuring instrument a characteristic needs, matched against the shop's instruments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstrumentNeed {
    pub characteristic_fr: String,
    pub instrument_type: String,
    pub instrument_id: Option<i64>,
    pub instrument_code: Option<String>,
    /// The matched instrument's calibration is valid (false when none matched).
    pub usable: bool,
}

/// One inspection point of a method sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InspectionPoint {
    pub characteristic_fr: String,
    pub nominal: Option<f64>,
    pub tolerance_fr: String,
    pub instrument_type: String,
    /// "100 %" or "1re pièce + 1 pièce sur 10".
    pub frequency_fr: String,
}

/// Draft method sheet (fiche méthode) of one operation. Everything is editable by méthodes;
/// `missing_fr` lists what is "à renseigner".
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct MethodSheetDraft {
    /// Material, state and raw stock, e.g. "C45 (groupe ISO P) — brut Ø50×68".
    pub material_fr: String,
    /// Fixturing (mandrin, étau, montage), datums, clampings.
    pub setup_fr: Vec<String>,
    /// Program zero; "à renseigner" when it cannot be proposed.
    pub zero_point_fr: String,
    /// Same list as the operation's tools (positions T01…).
    pub tools: Vec<ToolNeed>,
    /// Ordered CAM programming steps (CNC operations).
    pub cam_steps: Vec<String>,
    /// Work instructions (manual operations, subcontracting).
    pub instructions_fr: Vec<String>,
    pub inspection_points: Vec<InspectionPoint>,
    pub safety_fr: Vec<String>,
    pub missing_fr: Vec<String>,
}

/// Subcontracting data to fill in on a treatment operation (no intermediate item is created).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubcontractDraft {
    pub treatment_code: String,
    pub treatment_fr: String,
    pub supplier: Option<String>,
    /// Purchase order number, send date, expected return date: empty, to fill.
    pub purchase_order: Option<String>,
    pub send_date: Option<String>,
    pub return_date: Option<String>,
}

/// One operation of the draft routing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoutingOperation {
    /// 10, 20, 30…
    pub number: u32,
    pub process: ProcessKind,
    /// e.g. "Débit Ø50×68 — 26 pcs", "Tournage", "Traitement sous-traité : anodisation".
    pub label_fr: String,
    pub description_fr: String,
    pub work_centre: WorkCentre,
    /// Skill codes the operator needs (`tournage_cn`, `fraisage_cn`, `sciage`, `controle`…).
    pub skills: Vec<String>,
    /// Pieces to process (launched quantity; ordered quantity for packaging).
    pub quantity: u32,
    pub tools: Vec<ToolNeed>,
    pub instruments: Vec<InstrumentNeed>,
    /// Suggested NC program name, e.g. "PL-1234_OP20" (CNC operations).
    pub nc_program: Option<String>,
    /// Setup per lot and run per part (min), from the estimate (time margin included).
    pub setup_min: f64,
    pub run_min_per_part: f64,
    pub subcontract: Option<SubcontractDraft>,
    /// Documents to produce or attach (fiche de contrôle, FAI, certificat 3.1…).
    pub documents_fr: Vec<String>,
    /// The process is outside the shop's declared activities (kept, see warnings).
    pub outside_activities: bool,
    /// Where the operation comes from: "devis OP20", "modèle soudure"…
    pub origin_fr: String,
    pub method_sheet: MethodSheetDraft,
}

/// The débit (raw stock) line of the job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DebitLine {
    pub grade_id: i64,
    pub grade: String,
    pub section: Section,
    /// e.g. "Ø50", "plat 60×25".
    pub section_label: String,
    /// Blank length (estimate's `blank_length`: part length + facing allowance).
    pub cut_length: f64,
    /// Length consumed per part (blank + saw kerf, or part + facing + parting when bar-fed).
    pub consumed_length: f64,
    /// Launched quantity (ordered + scrap allowance).
    pub quantity: u32,
    pub bar_fed: bool,
    pub bar_length: f64,
    pub parts_per_bar: u32,
    pub bars: u32,
    /// quantity × consumed length (mm).
    pub total_length: f64,
    pub certified_required: bool,
    /// e.g. "Débit Ø50×68 — 26 pcs" or "Barre Ø20 en embarreur — 26 pcs × 52 mm (1 barre)".
    pub label_fr: String,
    pub allowances_fr: Vec<String>,
    /// Stock proposed by the estimate (offcuts first).
    pub proposed: Vec<StockAllocation>,
}

/// The generated routing (gamme) of one job, to be reviewed by méthodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoutingDraft {
    pub operations: Vec<RoutingOperation>,
    pub debit: Option<DebitLine>,
    pub ordered_quantity: u32,
    /// Extra pieces for scrap (see the rule in docs/routing-engine.md).
    pub scrap_extra: u32,
    pub launched_quantity: u32,
    pub critical: bool,
    /// Activities used (after the default).
    pub activities: Vec<String>,
    pub warnings_fr: Vec<String>,
    /// Everything "à renseigner", prefixed by the operation ("OP20 : …").
    pub missing_fr: Vec<String>,
}
