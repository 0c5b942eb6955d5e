//! Cutting data lookup: the shop's data for (tool kind, ISO group) first; when missing, a
//! question for the person and — only if the settings allow it — the NORMS §4.2 starting value,
//! flagged `defaut_norme` in the trace.

use super::Sink;
use super::model::{IsoGroup, IssueLevel, ShopContext, ToolKind, TraceSource};

/// Cutting values used for one tool (middle of the ranges).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved {
    pub vc: f64,
    /// f (mm/rev) or fz (mm/tooth); for taps unused (feed = pitch).
    pub feed: f64,
    pub ap_max: Option<f64>,
    pub ae_max: Option<f64>,
    pub source: TraceSource,
}

/// NORMS §4.2 starting data (coated carbide; taps HSS-E): `(Vc, feed, feed ∝ D)`. When the third
/// value is true the feed is a factor of the tool diameter (fz = k·D, f = k·D).
pub fn norm_default(kind: ToolKind, g: IsoGroup) -> (f64, f64, bool) {
    use IsoGroup::*;
    use ToolKind::*;
    match (kind, g) {
        // Turning: middle of the §4.2 turning column.
        (Tournage, P) => (240.0, 0.25, false),
        (Tournage, M) => (150.0, 0.2, false),
        (Tournage, K) => (250.0, 0.25, false),
        (Tournage, N) => (500.0, 0.2, false),
        (Tournage, S) => (50.0, 0.15, false),
        (Tournage, H) => (70.0, 0.1, false),
        // Boring: 80 % of turning Vc, f 0.12 (finishing bar).
        (Alesage, g) => (norm_default(Tournage, g).0 * 0.8, 0.12, false),
        // Parting: 50 % of turning Vc, f 0.06.
        (Tronconnage, g) => (norm_default(Tournage, g).0 * 0.5, 0.06, false),
        // Solid carbide end mill: Vc middle, fz = k·D.
        (Fraisage, P) => (225.0, 0.0075, true),
        (Fraisage, M) => (85.0, 0.0045, true),
        (Fraisage, K) => (210.0, 0.0075, true),
        (Fraisage, N) => (650.0, 0.0085, true),
        (Fraisage, S) => (75.0, 0.003, true),
        (Fraisage, H) => (60.0, 0.002, true),
        // Indexable face mill.
        (Surfacage, P) => (200.0, 0.175, false),
        (Surfacage, M) => (115.0, 0.13, false),
        (Surfacage, K) => (240.0, 0.2, false),
        (Surfacage, N) => (900.0, 0.125, false),
        (Surfacage, S) => (65.0, 0.1, false),
        (Surfacage, H) => (70.0, 0.075, false),
        // Solid carbide drill: steel 70–120 m/min, f = 0.015–0.03·D (§4.2 note).
        (Percage, P) => (95.0, 0.0225, true),
        (Percage, M) => (50.0, 0.015, true),
        (Percage, K) => (100.0, 0.025, true),
        (Percage, N) => (160.0, 0.025, true),
        (Percage, S) => (35.0, 0.012, true),
        (Percage, H) => (40.0, 0.01, true),
        // HSS-E taps.
        (Taraudage, P) => (15.0, 0.0, false),
        (Taraudage, M) => (6.0, 0.0, false),
        (Taraudage, K) => (15.0, 0.0, false),
        (Taraudage, N) => (30.0, 0.0, false),
        (Taraudage, S) => (9.0, 0.0, false),
        (Taraudage, H) => (5.0, 0.0, false),
    }
}

/// kc1.1 (N/mm²) and mc per group (NORMS §4.2, representative grade of each group).
pub fn kc_constants(g: IsoGroup) -> (f64, f64) {
    match g {
        IsoGroup::P => (1500.0, 0.22),
        IsoGroup::M => (2150.0, 0.20),
        IsoGroup::K => (1150.0, 0.20),
        IsoGroup::N => (800.0, 0.25),
        IsoGroup::S => (1400.0, 0.22),
        IsoGroup::H => (4600.0, 0.25),
    }
}

/// Looks up cutting data; `tool_d` scales diameter-proportional default feeds. Returns `None`
/// when the data is missing and norm defaults are disabled (the time cannot be computed).
pub fn resolve(
    shop: &ShopContext,
    kind: ToolKind,
    g: IsoGroup,
    tool_d: f64,
    sink: &mut Sink,
) -> Option<Resolved> {
    if let Some(cd) = shop
        .cutting_data
        .iter()
        .find(|c| c.tool_kind == kind && c.iso_group == g && c.vc_max > 0.0)
    {
        let vc = (cd.vc_min.max(0.0) + cd.vc_max) / 2.0;
        let feed = (cd.feed_min.max(0.0) + cd.feed_max.max(0.0)) / 2.0;
        if kind == ToolKind::Taraudage || feed > 0.0 {
            return Some(Resolved {
                vc,
                feed,
                ap_max: cd.ap_max,
                ae_max: cd.ae_max,
                source: TraceSource::DonneesCoupe,
            });
        }
    }
    let feed_name = if kind == ToolKind::Taraudage {
        "Vc".to_string()
    } else {
        format!("Vc et {}", kind.feed_name())
    };
    let code = format!("donnees_coupe_{:?}_{}", kind, g.code()).to_lowercase();
    let msg = format!(
        "Données de coupe manquantes pour {} en groupe {} : saisir {}",
        kind.label_fr(),
        g.code(),
        feed_name
    );
    let defaults = shop.settings.use_norm_defaults;
    let msg = if defaults {
        format!("{msg} (valeurs de départ NORMS §4.2 utilisées en attendant)")
    } else {
        msg
    };
    sink.issue(IssueLevel::Question, &code, &msg);
    if !defaults {
        return None;
    }
    let (vc, k, per_d) = norm_default(kind, g);
    let feed = if per_d { k * tool_d } else { k };
    Some(Resolved {
        vc,
        feed,
        ap_max: None,
        ae_max: None,
        source: TraceSource::DefautNorme,
    })
}
