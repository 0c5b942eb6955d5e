//! Inputs and outputs of the cutting engine (all `serde`; optional inputs default to "absent").

use serde::{Deserialize, Serialize};

use crate::estimate::{CuttingData, IsoGroup, Machine, ToolKind};

/// Where a row of cutting data comes from. The codes are the ones of the shop's tool database
/// (`source` column); `defaut_norme` marks the NORMS §4.2 starting values.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DataSource {
    /// The shop's own validated data ("base interne").
    BaseInterne,
    /// Tool supplier's catalogue / website data.
    Fournisseur,
    /// Typed in by a person (the default of a row without a source).
    #[default]
    Manuel,
    /// NORMS §4.2 starting value (only when `use_norm_defaults`; always flagged).
    DefautNorme,
}

impl DataSource {
    pub fn code(self) -> &'static str {
        match self {
            DataSource::BaseInterne => "base_interne",
            DataSource::Fournisseur => "fournisseur",
            DataSource::Manuel => "manuel",
            DataSource::DefautNorme => "defaut_norme",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            DataSource::BaseInterne => "base interne",
            DataSource::Fournisseur => "fournisseur",
            DataSource::Manuel => "saisie manuelle",
            DataSource::DefautNorme => "valeur de départ NORMS §4.2",
        }
    }

    /// Parses a database code; `saisie_manuelle` (the estimate's older spelling) means `manuel`.
    pub fn from_code(s: &str) -> Option<DataSource> {
        match s.trim().to_ascii_lowercase().as_str() {
            "base_interne" => Some(DataSource::BaseInterne),
            "fournisseur" => Some(DataSource::Fournisseur),
            "manuel" | "saisie_manuelle" => Some(DataSource::Manuel),
            "defaut_norme" => Some(DataSource::DefautNorme),
            _ => None,
        }
    }

    /// The default priority: base interne > fournisseur > manuel.
    pub fn default_priority() -> Vec<DataSource> {
        vec![
            DataSource::BaseInterne,
            DataSource::Fournisseur,
            DataSource::Manuel,
        ]
    }
}

/// Roughing or finishing: moves the point taken inside the data ranges and the default ap/ae.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    #[default]
    Ebauche,
    Finition,
}

impl Intent {
    pub fn label_fr(self) -> &'static str {
        match self {
            Intent::Ebauche => "ébauche",
            Intent::Finition => "finition",
        }
    }
}

/// What the feed value means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedKind {
    /// mm per revolution (turning, boring, parting, drilling).
    #[serde(rename = "f")]
    F,
    /// mm per tooth (milling).
    #[serde(rename = "fz")]
    Fz,
    /// Thread pitch, mm per revolution (tapping).
    #[serde(rename = "pas")]
    Pas,
}

impl FeedKind {
    pub fn for_tool(kind: ToolKind) -> FeedKind {
        match kind {
            ToolKind::Fraisage | ToolKind::Surfacage => FeedKind::Fz,
            ToolKind::Taraudage => FeedKind::Pas,
            _ => FeedKind::F,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            FeedKind::F => "f",
            FeedKind::Fz => "fz",
            FeedKind::Pas => "pas",
        }
    }

    pub fn unit_fr(self) -> &'static str {
        match self {
            FeedKind::Fz => "mm/dent",
            _ => "mm/tr",
        }
    }
}

/// The tool of the operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CuttingTool {
    pub kind: ToolKind,
    /// Tool database id, copied to the output.
    #[serde(default)]
    pub tool_id: Option<i64>,
    /// Shown on the method sheet, e.g. "Fraise carbure Ø12 Z4".
    #[serde(default)]
    pub label: Option<String>,
    /// Tool Ø (mm): milling, drilling, tapping (nominal Ø). Unused for turning tools.
    #[serde(default)]
    pub diameter_mm: Option<f64>,
    /// Number of teeth / flutes z (milling only).
    #[serde(default)]
    pub teeth: Option<u32>,
    /// Nose radius rε (mm), turning finishing with a target Ra (default 0.8).
    #[serde(default)]
    pub nose_radius_mm: Option<f64>,
    /// Thread pitch P (mm), taps.
    #[serde(default)]
    pub thread_pitch_mm: Option<f64>,
    /// Entering angle κr (°): turning 95, parting 90, milling 90 unless given.
    #[serde(default)]
    pub entering_angle_deg: Option<f64>,
    /// Drill point angle σ (°), default 140.
    #[serde(default)]
    pub point_angle_deg: Option<f64>,
    /// Usable cutting length (mm) of a milling cutter: caps ap.
    #[serde(default)]
    pub cutting_length_mm: Option<f64>,
}

impl CuttingTool {
    pub fn new(kind: ToolKind) -> CuttingTool {
        CuttingTool {
            kind,
            tool_id: None,
            label: None,
            diameter_mm: None,
            teeth: None,
            nose_radius_mm: None,
            thread_pitch_mm: None,
            entering_angle_deg: None,
            point_angle_deg: None,
            cutting_length_mm: None,
        }
    }
}

/// One row of cutting data for the tool (from the tool database, a supplier, a person).
/// Ranges: when both bounds are given the engine takes a point inside (middle for roughing,
/// see [`crate::cutting`]); one bound alone is used as is.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CuttingDataCandidate {
    pub source: DataSource,
    /// Shown in the trace, e.g. "Sandvik 2P342-1200 cat. 2024 p. D155" or a row reference.
    #[serde(default)]
    pub label: Option<String>,
    /// When given and different from the request, the row is ignored (lets a caller pass all rows).
    #[serde(default)]
    pub tool_kind: Option<ToolKind>,
    #[serde(default)]
    pub iso_group: Option<IsoGroup>,
    #[serde(default)]
    pub vc_min: Option<f64>,
    #[serde(default)]
    pub vc_max: Option<f64>,
    /// f (mm/rev) or fz (mm/tooth); ignored for taps (feed = pitch).
    #[serde(default)]
    pub feed_min: Option<f64>,
    #[serde(default)]
    pub feed_max: Option<f64>,
    /// The feed values are factors of the tool Ø: f = k·D, fz = k·D (NORMS §4.2 style).
    #[serde(default)]
    pub feed_per_diameter: bool,
    /// Tool Ø the (absolute) feed was given for: drills and end mills get f ∝ D.
    #[serde(default)]
    pub reference_diameter_mm: Option<f64>,
    #[serde(default)]
    pub ap_max: Option<f64>,
    #[serde(default)]
    pub ae_max: Option<f64>,
}

impl CuttingDataCandidate {
    /// A row of the estimate's shop cutting data; `None` when its `source` code is not one of
    /// `base_interne`, `fournisseur`, `manuel` / `saisie_manuelle`, `defaut_norme`. Zero values
    /// of the estimate's ranges mean "not given".
    pub fn from_cutting_data(cd: &CuttingData) -> Option<CuttingDataCandidate> {
        let nz = |x: f64| (x > 0.0).then_some(x);
        Some(CuttingDataCandidate {
            source: DataSource::from_code(&cd.source)?,
            label: None,
            tool_kind: Some(cd.tool_kind),
            iso_group: Some(cd.iso_group),
            vc_min: nz(cd.vc_min),
            vc_max: nz(cd.vc_max),
            feed_min: nz(cd.feed_min),
            feed_max: nz(cd.feed_max),
            feed_per_diameter: false,
            reference_diameter_mm: None,
            ap_max: cd.ap_max,
            ae_max: cd.ae_max,
        })
    }
}

/// Machine limits used for the checks; every field optional (absent = not checked, "à renseigner").
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MachineLimits {
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub max_rpm: Option<f64>,
    /// Spindle motor power (kW).
    #[serde(default)]
    pub power_kw: Option<f64>,
    /// Machine efficiency η (default 0.8, NORMS §4.1: 0.75–0.85).
    #[serde(default)]
    pub efficiency: Option<f64>,
}

impl From<&Machine> for MachineLimits {
    fn from(m: &Machine) -> MachineLimits {
        MachineLimits {
            label: Some(m.code.clone()),
            max_rpm: m.max_rpm,
            power_kw: m.power_kw,
            efficiency: None,
        }
    }
}

/// Shop settings of the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CuttingSettings {
    /// First source of this list that has a usable row wins. Default base_interne > fournisseur > manuel.
    pub source_priority: Vec<DataSource>,
    /// Use the NORMS §4.2 starting values when no row is usable (flagged `defaut_norme`).
    pub use_norm_defaults: bool,
    /// Correct fz for radial chip thinning when ae < D/2 (set false if the rows are already
    /// given for the light engagement).
    pub chip_thinning: bool,
    /// Cap of the chip-thinning factor (default 2.0).
    pub max_thinning_factor: f64,
}

impl Default for CuttingSettings {
    fn default() -> Self {
        CuttingSettings {
            source_priority: DataSource::default_priority(),
            use_norm_defaults: true,
            chip_thinning: true,
            max_thinning_factor: 2.0,
        }
    }
}

/// Everything [`crate::cutting::compute`] needs for one tool of one operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CuttingRequest {
    pub tool: CuttingTool,
    pub iso_group: IsoGroup,
    /// Workpiece Ø where the tool cuts (turning, boring, parting): Vc is applied there.
    #[serde(default)]
    pub work_diameter_mm: Option<f64>,
    #[serde(default)]
    pub intent: Intent,
    /// Requested depth of cut ap (mm); default from the data / the rules of the engine.
    #[serde(default)]
    pub ap_mm: Option<f64>,
    /// Requested radial engagement ae (mm), milling.
    #[serde(default)]
    pub ae_mm: Option<f64>,
    /// Target Ra (µm) of a finishing turning pass: limits f (NORMS §3.3).
    #[serde(default)]
    pub target_ra_um: Option<f64>,
    #[serde(default)]
    pub candidates: Vec<CuttingDataCandidate>,
    #[serde(default)]
    pub machine: Option<MachineLimits>,
    #[serde(default)]
    pub settings: CuttingSettings,
}

impl CuttingRequest {
    pub fn new(tool: CuttingTool, iso_group: IsoGroup) -> CuttingRequest {
        CuttingRequest {
            tool,
            iso_group,
            work_diameter_mm: None,
            intent: Intent::Ebauche,
            ap_mm: None,
            ae_mm: None,
            target_ra_um: None,
            candidates: Vec::new(),
            machine: None,
            settings: CuttingSettings::default(),
        }
    }
}

/// A warning for the method sheet. The same code may appear more than once (one per field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CuttingWarning {
    pub code: String,
    pub message_fr: String,
}

/// Values rounded for display (see `docs/cutting-engine.md`); `None` = "à renseigner".
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct RoundedConditions {
    /// 1 m/min.
    pub vc_m_min: Option<f64>,
    /// 0.001 mm (0.0001 below 0.01).
    pub feed: Option<f64>,
    /// 0.01 mm.
    pub ap_mm: Option<f64>,
    /// 0.01 mm.
    pub ae_mm: Option<f64>,
    /// 10 tr/min (1 tr/min below 100).
    pub n_rpm: Option<f64>,
    /// 1 mm/min.
    pub vf_mm_min: Option<f64>,
    /// 0.1 cm³/min.
    pub q_cm3_min: Option<f64>,
    /// 1 N/mm².
    pub kc_n_mm2: Option<f64>,
    /// 0.01 kW.
    pub power_required_kw: Option<f64>,
    /// 0.1 N·m.
    pub torque_nm: Option<f64>,
}

/// The cutting conditions of one tool, as applied after every adjustment. Values are raw
/// `f64` (for further computation); [`RoundedConditions`] is what the sheet prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CuttingConditions {
    pub tool_kind: ToolKind,
    pub tool_id: Option<i64>,
    pub tool_label: Option<String>,
    pub intent: Intent,
    /// Ø the spindle speed is computed at (work Ø in turning, tool Ø otherwise).
    pub speed_diameter_mm: Option<f64>,
    /// Vc applied (m/min), after the speed cap.
    pub vc_m_min: Option<f64>,
    /// Vc read from the data, before the cap.
    pub vc_data_m_min: Option<f64>,
    pub feed_kind: FeedKind,
    /// f, fz or pitch applied.
    pub feed: Option<f64>,
    /// Feed read from the data before the Ø, Ra and chip-thinning adjustments.
    pub feed_data: Option<f64>,
    pub teeth: Option<u32>,
    pub ap_mm: Option<f64>,
    pub ae_mm: Option<f64>,
    pub n_rpm: Option<f64>,
    pub vf_mm_min: Option<f64>,
    /// Removal rate Q (cm³/min).
    pub q_cm3_min: Option<f64>,
    /// Chip thickness used for kc (mm).
    pub hm_mm: Option<f64>,
    pub kc_n_mm2: Option<f64>,
    /// Pc at the cutting edge (kW).
    pub cutting_power_kw: Option<f64>,
    /// Pc / η: power needed at the spindle motor (kW).
    pub power_required_kw: Option<f64>,
    pub torque_nm: Option<f64>,
    /// Spindle power of the machine (kW), when known.
    pub machine_power_kw: Option<f64>,
    /// η used.
    pub efficiency: f64,
    /// When the power is exceeded: the ap that fits (mm, rounded down to 0.1).
    pub ap_for_power_mm: Option<f64>,
    /// When the power is exceeded in drilling: the feed that fits (mm/rev, rounded down to 0.001).
    pub feed_for_power: Option<f64>,
    /// Chip-thinning factor applied to fz (1 = none).
    pub thinning_factor: Option<f64>,
    pub source: Option<DataSource>,
    pub source_label: Option<String>,
    pub rounded: RoundedConditions,
    /// Values a person must enter ("à renseigner"), e.g. "Vc", "fz", "z (nombre de dents)".
    pub to_fill_fr: Vec<String>,
    /// What the engine changed and why, in order.
    pub adjustments_fr: Vec<String>,
    pub warnings: Vec<CuttingWarning>,
    /// `true` when every condition could be computed (machine checks may still be missing).
    pub complete: bool,
}

impl CuttingConditions {
    pub fn has_warning(&self, code: &str) -> bool {
        self.warnings.iter().any(|w| w.code == code)
    }
}

/// Warning codes.
pub mod codes {
    /// n capped at the machine maximum, Vc reduced.
    pub const N_MAX_DEPASSE: &str = "n_max_depasse";
    /// Power needed above the spindle power: ap (or f in drilling) proposed.
    pub const PUISSANCE_DEPASSEE: &str = "puissance_depassee";
    /// No usable data / a value missing: "à renseigner".
    pub const DONNEES_MANQUANTES: &str = "donnees_manquantes";
    /// NORMS §4.2 starting value used.
    pub const DEFAUT_NORME: &str = "defaut_norme";
    /// NaN, infinite, zero or negative input: ignored.
    pub const ENTREE_INVALIDE: &str = "entree_invalide";
    /// Machine limit unknown: not checked.
    pub const MACHINE_A_RENSEIGNER: &str = "machine_a_renseigner";
    /// Ra ≤ 0.4 µm: a turning pass will not do, grinding/honing.
    pub const RECTIFICATION: &str = "rectification";
}
