//! Inputs and outputs of the estimate engine. Every type is serde-serializable; geometry and
//! physics are `f64` (mm, min, rpm), money is [`Decimal`] rounded to cents.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

// ------------------------------------------------------------------------------------ part

/// Shape class found on the drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShapeClass {
    Turned,
    Prismatic,
    SheetBent,
    Welded,
    Unknown,
}

/// Overall envelope (largest dimensions, mm).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Envelope {
    Round {
        diameter: f64,
        length: f64,
    },
    Block {
        length: f64,
        width: f64,
        height: f64,
    },
}

impl Envelope {
    /// Volume of the envelope (mm³).
    pub fn volume_mm3(&self) -> f64 {
        match *self {
            Envelope::Round { diameter, length } => {
                std::f64::consts::PI * diameter * diameter / 4.0 * length
            }
            Envelope::Block {
                length,
                width,
                height,
            } => length * width * height,
        }
    }

    /// Largest dimension (mm).
    pub fn max_dim(&self) -> f64 {
        match *self {
            Envelope::Round { diameter, length } => diameter.max(length),
            Envelope::Block {
                length,
                width,
                height,
            } => length.max(width).max(height),
        }
    }
}

/// ISO 513 material group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum IsoGroup {
    P,
    M,
    K,
    N,
    S,
    H,
}

impl IsoGroup {
    pub fn code(self) -> &'static str {
        match self {
            IsoGroup::P => "P",
            IsoGroup::M => "M",
            IsoGroup::K => "K",
            IsoGroup::N => "N",
            IsoGroup::S => "S",
            IsoGroup::H => "H",
        }
    }

    pub fn from_code(s: &str) -> Option<IsoGroup> {
        match s.trim().to_ascii_uppercase().as_str() {
            "P" => Some(IsoGroup::P),
            "M" => Some(IsoGroup::M),
            "K" => Some(IsoGroup::K),
            "N" => Some(IsoGroup::N),
            "S" => Some(IsoGroup::S),
            "H" => Some(IsoGroup::H),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Material {
    pub grade_id: i64,
    /// Shown in messages, e.g. "C45" or "Ti-6Al-4V".
    pub label: String,
    pub iso_group: IsoGroup,
    /// g/cm³.
    pub density: f64,
}

/// A tolerance read on the drawing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tolerance {
    /// ISO 286 grade, e.g. 7 for H7 / g7.
    It { grade: u8 },
    /// Symmetric ± value (mm).
    PlusMinus { value: f64 },
}

/// A machined feature (what the drawing engine found, independent of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Feature {
    /// External turned diameter over a length (mm).
    ExternalTurning {
        diameter: f64,
        length: f64,
        #[serde(default)]
        tolerance: Option<Tolerance>,
        #[serde(default)]
        ra: Option<f64>,
    },
    /// Bore (turned part: drilled then bored; prismatic part: drilled then reamed/bored).
    Bore {
        diameter: f64,
        depth: f64,
        #[serde(default)]
        tolerance: Option<Tolerance>,
        #[serde(default)]
        ra: Option<f64>,
    },
    /// Plain drilled holes.
    Holes {
        count: u32,
        diameter: f64,
        depth: f64,
    },
    /// Tapped holes, e.g. designation "M8" or "M10x1.25" (ISO metric).
    Threads {
        count: u32,
        designation: String,
        depth: f64,
        /// `true` for an external thread on a turned diameter (single-point threading).
        #[serde(default)]
        external: bool,
    },
    Pocket {
        length: f64,
        width: f64,
        depth: f64,
        #[serde(default)]
        ra: Option<f64>,
    },
    /// Face to be machined (face mill), `stock` = thickness removed (mm).
    Face {
        length: f64,
        width: f64,
        stock: f64,
        #[serde(default)]
        ra: Option<f64>,
    },
    Slot {
        length: f64,
        width: f64,
        depth: f64,
    },
    /// A surface with a roughness requirement not attached to another feature.
    Surface {
        area_mm2: f64,
        ra: f64,
    },
    /// Free-form / compound surface that needs simultaneous 5 axes.
    Freeform5Axis {
        area_mm2: f64,
        depth: f64,
    },
    /// Weld seams (total length, mm).
    Weld {
        length: f64,
    },
    /// Bends on sheet metal.
    Bends {
        count: u32,
    },
}

/// Treatment done by a subcontractor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Treatment {
    /// Matches [`SubcontractPrice::treatment`], e.g. "anodisation", "trempe".
    pub code: String,
    pub label_fr: String,
}

/// What the drawing says about the part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartSpec {
    pub shape: ShapeClass,
    pub envelope: Envelope,
    pub material: Material,
    pub features: Vec<Feature>,
    /// Tightest tolerance on the drawing when not attached to a feature.
    #[serde(default)]
    pub tightest_tolerance: Option<Tolerance>,
    /// ISO 2768-1 general class letter (`f`, `m`, `c`, `v`), if written.
    #[serde(default)]
    pub general_tolerance_class: Option<char>,
    /// Number of GD&T frames.
    #[serde(default)]
    pub gdt_count: u32,
    #[serde(default)]
    pub treatments: Vec<Treatment>,
    /// Critical part (aero, defence…): certified material with 3.1 certificate, 100 % control.
    #[serde(default)]
    pub critical: bool,
    /// Direction allows certified stock for a non-critical part.
    #[serde(default)]
    pub allow_certified: bool,
    /// Net mass of the finished part (kg), e.g. from a STEP volume; else the envelope is used.
    #[serde(default)]
    pub net_mass_kg: Option<f64>,
    /// Number of clampings for a prismatic part (default 2: both sides).
    #[serde(default)]
    pub setups: Option<u32>,
    /// Quantity breaks, e.g. [1, 10, 50, 100].
    pub quantities: Vec<u32>,
}

// ------------------------------------------------------------------------------------ shop

/// Machine kinds (same codes as the app's rate grid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MachineKind {
    Scie,
    Tour,
    TourFraiseur,
    #[serde(rename = "fraiseuse_3axes")]
    Fraiseuse3Axes,
    #[serde(rename = "fraiseuse_4axes")]
    Fraiseuse4Axes,
    #[serde(rename = "fraiseuse_5axes")]
    Fraiseuse5Axes,
    Soudure,
    Plieuse,
    Rectifieuse,
    Electroerosion,
    Mmt,
    Autre,
}

impl MachineKind {
    pub fn from_code(s: &str) -> MachineKind {
        match s {
            "scie" => MachineKind::Scie,
            "tour" => MachineKind::Tour,
            "tour_fraiseur" => MachineKind::TourFraiseur,
            "fraiseuse_3axes" | "fraiseuse_3ax" => MachineKind::Fraiseuse3Axes,
            "fraiseuse_4axes" | "fraiseuse_4ax" => MachineKind::Fraiseuse4Axes,
            "fraiseuse_5axes" | "fraiseuse_5ax" => MachineKind::Fraiseuse5Axes,
            "soudure" => MachineKind::Soudure,
            "plieuse" => MachineKind::Plieuse,
            "rectifieuse" => MachineKind::Rectifieuse,
            "electroerosion" => MachineKind::Electroerosion,
            "mmt" => MachineKind::Mmt,
            _ => MachineKind::Autre,
        }
    }

    pub fn is_lathe(self) -> bool {
        matches!(self, MachineKind::Tour | MachineKind::TourFraiseur)
    }

    /// Linear + rotary axes of a milling machine (0 for others).
    pub fn mill_axes(self) -> u8 {
        match self {
            MachineKind::Fraiseuse3Axes => 3,
            MachineKind::Fraiseuse4Axes => 4,
            MachineKind::Fraiseuse5Axes => 5,
            _ => 0,
        }
    }
}

/// One machine of the shop's own park.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: MachineKind,
    #[serde(default)]
    pub travel_x: Option<f64>,
    #[serde(default)]
    pub travel_y: Option<f64>,
    #[serde(default)]
    pub travel_z: Option<f64>,
    /// Bar capacity through the spindle (mm).
    #[serde(default)]
    pub max_bar_diameter: Option<f64>,
    /// Largest chucked blank (mm); a blank above the bar capacity but below this is sawn and chucked.
    #[serde(default)]
    pub max_chuck_diameter: Option<f64>,
    #[serde(default)]
    pub bar_feeder: bool,
    #[serde(default)]
    pub max_rpm: Option<f64>,
    #[serde(default)]
    pub power_kw: Option<f64>,
    pub available: bool,
    /// € HT per hour (machine with its operator unless `operator_rate` is given).
    pub hourly_rate: Decimal,
    /// Added to `hourly_rate` when the machine rate excludes the operator.
    #[serde(default)]
    pub operator_rate: Option<Decimal>,
    /// Hours already planned on this machine (for the lead time).
    #[serde(default)]
    pub load_hours: f64,
}

/// Tool families for cutting data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToolKind {
    /// External turning insert (f in mm/rev).
    Tournage,
    /// Boring bar (f in mm/rev).
    Alesage,
    /// Parting-off blade (f in mm/rev).
    Tronconnage,
    /// Solid end mill (fz in mm/tooth).
    Fraisage,
    /// Indexable face mill (fz in mm/tooth).
    Surfacage,
    /// Drill (f in mm/rev).
    Percage,
    /// Tap (feed = pitch; only Vc is used).
    Taraudage,
}

impl ToolKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            ToolKind::Tournage => "tournage",
            ToolKind::Alesage => "alésage",
            ToolKind::Tronconnage => "tronçonnage",
            ToolKind::Fraisage => "fraisage",
            ToolKind::Surfacage => "surfaçage",
            ToolKind::Percage => "perçage",
            ToolKind::Taraudage => "taraudage",
        }
    }

    /// Name of the feed unit the person has to enter.
    pub fn feed_name(self) -> &'static str {
        match self {
            ToolKind::Fraisage | ToolKind::Surfacage => "fz",
            ToolKind::Taraudage => "pas",
            _ => "f",
        }
    }
}

/// Cutting data for one tool family and one material group (ranges; the engine uses the middle).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CuttingData {
    pub tool_kind: ToolKind,
    pub iso_group: IsoGroup,
    pub vc_min: f64,
    pub vc_max: f64,
    /// f (mm/rev) or fz (mm/tooth); unused for taps.
    #[serde(default)]
    pub feed_min: f64,
    #[serde(default)]
    pub feed_max: f64,
    #[serde(default)]
    pub ap_max: Option<f64>,
    #[serde(default)]
    pub ae_max: Option<f64>,
    /// Where the values come from: "fournisseur", "base_interne", "saisie_manuelle".
    #[serde(default)]
    pub source: String,
}

/// Section of a stock item.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Section {
    Round {
        diameter: f64,
    },
    /// Flat bar or plate: width × thickness.
    Flat {
        width: f64,
        thickness: f64,
    },
}

impl Section {
    pub fn area_mm2(&self) -> f64 {
        match *self {
            Section::Round { diameter } => std::f64::consts::PI * diameter * diameter / 4.0,
            Section::Flat { width, thickness } => width * thickness,
        }
    }

    pub fn label(&self) -> String {
        match *self {
            Section::Round { diameter } => format!("Ø{}", fmt_mm(diameter)),
            Section::Flat { width, thickness } => {
                format!("plat {}×{}", fmt_mm(width), fmt_mm(thickness))
            }
        }
    }
}

/// A bar, plate or offcut in stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockCandidate {
    pub id: i64,
    pub label: String,
    pub grade_id: i64,
    pub section: Section,
    /// Usable length (mm) of one piece.
    pub length: f64,
    /// Pieces available (not reserved).
    pub pieces: u32,
    pub certified: bool,
    pub is_offcut: bool,
    /// € per kg (stock valuation).
    pub cost_per_kg: Decimal,
}

/// Buying price of a grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchasePrice {
    pub grade_id: i64,
    pub price_per_kg: Decimal,
    /// € per kg with an EN 10204 3.1 certificate (else `price_per_kg` is used).
    #[serde(default)]
    pub certified_price_per_kg: Option<Decimal>,
    /// Fixed fee per order for the 3.1 certificate.
    #[serde(default)]
    pub certificate_fee: Decimal,
    /// Supplier lead time (working days).
    #[serde(default)]
    pub lead_days: u32,
}

/// How a subcontractor charges.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "basis", content = "price", rename_all = "snake_case")]
pub enum SubcontractBasis {
    PerKg(Decimal),
    PerPiece(Decimal),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubcontractPrice {
    pub treatment: String,
    pub supplier: String,
    pub basis: SubcontractBasis,
    /// Fixed charge per lot.
    #[serde(default)]
    pub lot_charge: Decimal,
    /// Minimum invoice per lot.
    #[serde(default)]
    pub min_charge: Decimal,
    #[serde(default)]
    pub lead_days: u32,
}

/// A tool of the crib, to know whether the tools the job needs are in stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolStock {
    pub tool_kind: ToolKind,
    pub diameter: f64,
    pub in_stock: u32,
    #[serde(default)]
    pub unit_price: Option<Decimal>,
    #[serde(default)]
    pub label: String,
}

/// Pricing settings (mirror of the app's `pricing` setting) and engine parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PricingSettings {
    /// Floor: no scenario may give a margin on cost below this (%).
    pub min_margin_pct: Decimal,
    /// Standard scenario margin on cost (%).
    pub target_margin_pct: Decimal,
    /// Express multiplier on hours (delivery ≤ 5 working days).
    pub express_coef: Decimal,
    /// Express multiplier on hours when the Express lead time is ≤ 2 working days.
    pub express_48h_coef: Decimal,
    /// Économique multiplier on hours (< 1, long lead time, batched).
    pub economy_coef: Decimal,
    /// The hourly rates of the grid already contain the target margin (the demo shop's
    /// "selling, fully burdened" rates): the cost of an hour is then `rate / (1 + target)`.
    pub rates_include_target_margin: bool,
    /// Safety margin on every time (setup, cycle, programming), %.
    pub time_margin_pct: f64,
    /// Scrap / bar-end allowance on bars and bought material, %.
    pub material_scrap_pct: Decimal,
    /// Minimum amount of a quote line (€ HT), if any.
    #[serde(default)]
    pub min_line_amount: Option<Decimal>,
    /// Working hours per day per machine (lead time).
    pub hours_per_day: f64,
    /// Économique: minimum lead time (working days).
    pub economy_min_days: u32,
    /// Express: overtime factor on daily hours (e.g. 1.3 = evenings).
    pub express_capacity_factor: f64,
    /// Use NORMS §4.2 starting data when cutting data is missing (flagged `defaut_norme`).
    pub use_norm_defaults: bool,
}

impl Default for PricingSettings {
    fn default() -> Self {
        PricingSettings {
            min_margin_pct: Decimal::new(8, 0),
            target_margin_pct: Decimal::new(15, 0),
            express_coef: Decimal::new(13, 1),
            express_48h_coef: Decimal::new(15, 1),
            economy_coef: Decimal::new(93, 2),
            rates_include_target_margin: true,
            time_margin_pct: 10.0,
            material_scrap_pct: Decimal::new(5, 0),
            min_line_amount: None,
            hours_per_day: 7.8,
            economy_min_days: 30,
            express_capacity_factor: 1.3,
            use_norm_defaults: true,
        }
    }
}

/// Shop time standards (allowances not given by a formula). All values are overridable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeStandards {
    /// Setup (h) per machine kind clamping.
    pub setup_saw_h: f64,
    pub setup_lathe_h: f64,
    pub setup_mill3_h: f64,
    pub setup_mill5_h: f64,
    pub setup_weld_h: f64,
    pub setup_bend_h: f64,
    pub setup_grind_h: f64,
    /// Extra setup per tool to load and measure (h).
    pub setup_per_tool_h: f64,
    /// Band saw cutting rate per ISO group (cm²/min), index P M K N S H.
    pub saw_rate_cm2_min: [f64; 6],
    /// Handling per saw cut (min).
    pub saw_handling_min: f64,
    /// Tool change chip-to-chip (s).
    pub tool_change_s: f64,
    /// Rapid moves and positioning per feature (s).
    pub rapid_per_feature_s: f64,
    /// Load/unload per part: bar-fed lathe, chucked blank, mill clamping (min).
    pub load_bar_min: f64,
    pub load_chuck_min: f64,
    pub load_mill_min: f64,
    /// Approach/overrun per pass (mm).
    pub approach_mm: f64,
    /// Turning roughing depth of cut when the cutting data gives none (mm).
    pub ap_turning_mm: f64,
    /// Insert nose radius for the finishing-feed formula (mm).
    pub nose_radius_mm: f64,
    /// Drill point angle (°).
    pub drill_point_deg: f64,
    /// Tapping spindle reversal (s per hole).
    pub tap_reversal_s: f64,
    /// TIG travel speed (mm/min) and arc-on ratio.
    pub weld_speed_mm_min: f64,
    pub weld_arc_ratio: f64,
    /// Press brake: minutes per bend.
    pub bend_min: f64,
    /// Programming (h): base per drawing by shape, per feature, 5-axis extra.
    pub prog_base_turned_h: f64,
    pub prog_base_prismatic_h: f64,
    pub prog_base_other_h: f64,
    pub prog_per_feature_h: f64,
    pub prog_5axis_h: f64,
    /// Control: base minutes per controlled part, extra per tolerance class, per GD&T frame.
    pub control_base_min: f64,
    pub control_per_feature_min: f64,
    pub control_it6_min: f64,
    pub control_it7_min: f64,
    pub control_it8_min: f64,
    pub control_per_gdt_min: f64,
    /// First-article control (h per lot), critical parts FAI (h per lot).
    pub control_first_article_h: f64,
    pub control_fai_critical_h: f64,
    /// Deburring minutes: base, per hole/thread, per pocket/slot/face, per metre of weld.
    pub deburr_base_min: f64,
    pub deburr_per_hole_min: f64,
    pub deburr_per_pocket_min: f64,
    pub deburr_per_weld_m_min: f64,
    /// Packaging: minutes per part and hours per lot.
    pub pack_per_part_min: f64,
    pub pack_per_lot_h: f64,
}

impl Default for TimeStandards {
    fn default() -> Self {
        TimeStandards {
            setup_saw_h: 0.15,
            setup_lathe_h: 0.75,
            setup_mill3_h: 0.6,
            setup_mill5_h: 1.2,
            setup_weld_h: 1.0,
            setup_bend_h: 0.3,
            setup_grind_h: 0.3,
            setup_per_tool_h: 0.05,
            saw_rate_cm2_min: [30.0, 15.0, 35.0, 100.0, 8.0, 5.0],
            saw_handling_min: 0.5,
            tool_change_s: 4.0,
            rapid_per_feature_s: 3.0,
            load_bar_min: 0.2,
            load_chuck_min: 0.75,
            load_mill_min: 1.0,
            approach_mm: 2.0,
            ap_turning_mm: 2.0,
            nose_radius_mm: 0.8,
            drill_point_deg: 140.0,
            tap_reversal_s: 1.0,
            weld_speed_mm_min: 100.0,
            weld_arc_ratio: 0.5,
            bend_min: 0.5,
            prog_base_turned_h: 0.75,
            prog_base_prismatic_h: 1.0,
            prog_base_other_h: 0.5,
            prog_per_feature_h: 0.1,
            prog_5axis_h: 3.0,
            control_base_min: 1.0,
            control_per_feature_min: 0.3,
            control_it6_min: 3.0,
            control_it7_min: 2.0,
            control_it8_min: 1.0,
            control_per_gdt_min: 1.5,
            control_first_article_h: 0.25,
            control_fai_critical_h: 2.0,
            deburr_base_min: 1.0,
            deburr_per_hole_min: 0.15,
            deburr_per_pocket_min: 0.3,
            deburr_per_weld_m_min: 2.0,
            pack_per_part_min: 0.5,
            pack_per_lot_h: 0.1,
        }
    }
}

/// Everything the engine needs to know about the shop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopContext {
    pub machines: Vec<Machine>,
    /// Activity code (`programmation`, `reglage`, `controle`, `controle_mmt`, `ebavurage`,
    /// `emballage`, `soudure`, `sciage`…) → € HT per hour.
    pub activity_rates: Vec<(String, Decimal)>,
    pub cutting_data: Vec<CuttingData>,
    pub stock: Vec<StockCandidate>,
    pub purchase_prices: Vec<PurchasePrice>,
    pub subcontract_prices: Vec<SubcontractPrice>,
    /// Tool crib; empty = unknown (no tool purchase computed).
    #[serde(default)]
    pub tools: Vec<ToolStock>,
    pub settings: PricingSettings,
    #[serde(default)]
    pub times: TimeStandards,
}

impl ShopContext {
    pub fn activity_rate(&self, code: &str) -> Option<Decimal> {
        self.activity_rates
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, r)| *r)
    }
}

// ------------------------------------------------------------------------------------ output

/// Process families, in routing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcessKind {
    Debit,
    Tournage,
    Fraisage,
    PercageTaraudage,
    Soudure,
    Pliage,
    Rectification,
    Ebavurage,
    TraitementSousTraite,
    Controle,
    Emballage,
}

impl ProcessKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            ProcessKind::Debit => "Débit / sciage",
            ProcessKind::Tournage => "Tournage",
            ProcessKind::Fraisage => "Fraisage",
            ProcessKind::PercageTaraudage => "Perçage / taraudage",
            ProcessKind::Soudure => "Soudure",
            ProcessKind::Pliage => "Pliage",
            ProcessKind::Rectification => "Rectification",
            ProcessKind::Ebavurage => "Ébavurage",
            ProcessKind::TraitementSousTraite => "Traitement sous-traité",
            ProcessKind::Controle => "Contrôle",
            ProcessKind::Emballage => "Emballage",
        }
    }
}

/// A machine considered for an operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MachineCandidate {
    pub machine_id: i64,
    pub code: String,
    pub name: String,
    pub capable: bool,
    pub available: bool,
    /// Why it can or cannot (French).
    pub reasons_fr: Vec<String>,
    /// Cost of this operation on this machine for the largest quantity break (€), when capable.
    pub cost_for_ranking: Option<Decimal>,
}

/// Who does an operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resource {
    Machine {
        machine_id: i64,
        code: String,
        rate: Decimal,
    },
    Activity {
        code: String,
        rate: Option<Decimal>,
    },
    Subcontract {
        treatment: String,
        supplier: String,
    },
    None,
}

/// One step of an operation's cycle (a feature, a tool change…).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub label_fr: String,
    pub minutes: f64,
}

/// One operation of the draft routing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// 10, 20, 30…
    pub number: u32,
    pub process: ProcessKind,
    pub description_fr: String,
    pub candidates: Vec<MachineCandidate>,
    pub resource: Resource,
    /// Why this resource (French).
    pub why_fr: String,
    /// Setup per lot (h), before and after the time margin.
    pub setup_h_raw: f64,
    pub setup_h: f64,
    /// Cycle per part (min), before and after the time margin.
    pub cycle_min_raw: f64,
    pub cycle_min: f64,
    pub steps: Vec<Step>,
}

/// Where the raw material comes from for a quantity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StockAllocation {
    /// `None` = bought.
    pub stock_id: Option<i64>,
    pub label: String,
    pub is_offcut: bool,
    pub certified: bool,
    pub parts: u32,
    pub cost_per_kg: Decimal,
}

/// Raw stock (débit) of one part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RawStock {
    pub section: Section,
    /// Blank length (mm) after allowances, e.g. 70 for "Ø50 × 70".
    pub blank_length: f64,
    /// Length consumed per part (blank + saw kerf, or part + parting width when bar-fed).
    pub consumed_length: f64,
    pub bar_fed: bool,
    /// e.g. "Débit Ø50 × 70".
    pub debit_fr: String,
    /// kg of material consumed per part.
    pub mass_kg: f64,
    pub certified_required: bool,
    /// Allowances applied, in words.
    pub allowances_fr: Vec<String>,
    /// Stock proposed, best first (offcuts, then bars).
    pub proposed: Vec<StockAllocation>,
}

/// A tool the job needs and the crib lacks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolToBuy {
    pub tool_kind: ToolKind,
    pub diameter: f64,
    pub label_fr: String,
    pub unit_price: Option<Decimal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioKind {
    Economique,
    Standard,
    Express,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    pub kind: ScenarioKind,
    /// Coefficient applied to the hours.
    pub hours_coef: Decimal,
    pub unit_price: Decimal,
    pub total_price: Decimal,
    /// Margin on cost (%), two decimals.
    pub margin_pct: Decimal,
    pub lead_time_days: u32,
    /// The price was raised to the minimum margin.
    pub raised_to_min_margin: bool,
    /// The price was raised to the minimum line amount.
    pub raised_to_min_line: bool,
    pub note_fr: String,
}

/// Costs and prices for one quantity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuantityBreak {
    pub quantity: u32,
    pub material_cost: Decimal,
    pub machine_cost: Decimal,
    pub labour_cost: Decimal,
    /// Setup + programming + one-off control (already inside machine/labour cost).
    pub one_off_cost: Decimal,
    pub subcontract_cost: Decimal,
    pub tools_cost: Decimal,
    pub total_cost: Decimal,
    pub unit_cost: Decimal,
    /// Hours of this job (all operations, with margin).
    pub job_hours: f64,
    pub material_sources: Vec<StockAllocation>,
    /// Économique, Standard, Express.
    pub scenarios: Vec<Scenario>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueLevel {
    /// The part cannot be made as quoted (no machine…).
    Bloquant,
    /// A value is missing: a person must enter it.
    Question,
    /// Worth a look (defaults used, capped speed…).
    Avertissement,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub level: IssueLevel,
    pub code: String,
    pub message_fr: String,
}

/// Where a number comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceSource {
    /// Read on the drawing (the part spec).
    Plan,
    /// Computed by a documented formula.
    Formule,
    /// Cutting data of the shop's tool database.
    DonneesCoupe,
    /// NORMS §4.2 starting value, used because the shop has none.
    DefautNorme,
    /// Shop time standard (TimeStandards).
    StandardAtelier,
    /// Machine record.
    Machine,
    /// Rate grid.
    GrilleTarifaire,
    /// Stock record.
    Stock,
    /// Purchase price.
    PrixAchat,
    /// Subcontractor price.
    SousTraitance,
    /// Pricing settings.
    Parametres,
}

/// One number of the estimate with its formula, inputs and source ("why this price").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceItem {
    pub key: String,
    pub label_fr: String,
    pub value: String,
    pub unit: String,
    pub formula: String,
    pub inputs: Vec<(String, String)>,
    pub source: TraceSource,
}

/// The result of [`crate::estimate::estimate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub operations: Vec<Operation>,
    pub raw_stock: Option<RawStock>,
    pub programming_h: f64,
    pub tools_to_buy: Vec<ToolToBuy>,
    pub breaks: Vec<QuantityBreak>,
    pub issues: Vec<Issue>,
    /// `false` when a question or a blocking item is open: a person must complete it.
    pub complete: bool,
    pub trace: Vec<TraceItem>,
}

impl Estimate {
    pub fn blocking(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|i| i.level == IssueLevel::Bloquant)
    }

    pub fn questions(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|i| i.level == IssueLevel::Question)
    }

    pub fn trace_item(&self, key: &str) -> Option<&TraceItem> {
        self.trace.iter().find(|t| t.key == key)
    }
}

/// Millimetres without useless decimals: 50 → "50", 12.5 → "12.5".
pub fn fmt_mm(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if (r - r.round()).abs() < 1e-9 {
        format!("{}", r.round() as i64)
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').to_string()
    }
}
