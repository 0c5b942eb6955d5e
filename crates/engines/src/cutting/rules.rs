//! The engine's own rules (constants, range point, chip thinning, rounding, French numbers).
//! Every constant is documented in `docs/cutting-engine.md` with its reason or source.

use crate::estimate::ToolKind;

use super::model::Intent;

/// Point taken inside a data range `min + t·(max − min)`: roughing takes the middle for Vc and
/// feed (as the estimate does, so the sheet matches what was quoted); finishing takes Vc in the
/// upper quarter and the feed in the lower quarter (higher speed, smaller feed).
pub fn range_positions(intent: Intent) -> (f64, f64) {
    match intent {
        Intent::Ebauche => (0.5, 0.5),
        Intent::Finition => (0.75, 0.25),
    }
}

/// η when the machine gives none (NORMS §4.1: 0.75–0.85).
pub const DEFAULT_EFFICIENCY: f64 = 0.8;
/// Entering angle κr of a turning / boring tool when not given (the estimate's value).
pub const TURNING_KAPPA_DEG: f64 = 95.0;
/// Entering angle of parting blades and milling cutters when not given.
pub const SQUARE_KAPPA_DEG: f64 = 90.0;
/// Drill point angle σ when not given (NORMS §4.5 example: 140°).
pub const DRILL_POINT_DEG: f64 = 140.0;
/// Nose radius rε when a finishing Ra is asked and the tool gives none (estimate TimeStandards).
pub const DEFAULT_NOSE_RADIUS_MM: f64 = 0.8;

/// Roughing ap in turning without data (estimate `TimeStandards::ap_turning_mm`, NORMS §4.3).
pub const TURNING_AP_ROUGH_MM: f64 = 2.0;
/// Roughing ap of a boring bar without data (less rigid than an external tool).
pub const BORING_AP_ROUGH_MM: f64 = 1.0;
/// Finishing ap (turning, boring, face milling): the 0.5 mm left by the estimate's roughing.
pub const FINISH_AP_MM: f64 = 0.5;
/// Parting blade width used as ap when nothing is given.
pub const PARTING_WIDTH_MM: f64 = 3.0;
/// Face mill roughing ap without data (estimate's face milling).
pub const FACE_MILL_AP_ROUGH_MM: f64 = 2.0;
/// Face mill ae: 75 % of D (estimate's face milling rows).
pub const FACE_MILL_AE_RATIO: f64 = 0.75;
/// End mill roughing ae: 40 % of D (estimate's pockets).
pub const END_MILL_AE_ROUGH_RATIO: f64 = 0.4;
/// End mill finishing ae (wall finishing): 10 % of D.
pub const END_MILL_AE_FINISH_RATIO: f64 = 0.1;
/// End mill default ap: 1·D (estimate's pockets).
pub const END_MILL_AP_RATIO: f64 = 1.0;
/// End mill ap cap when ae > D/2 (slotting, heavy engagement): 1·D (WIDIA, full slotting).
pub const END_MILL_AP_CAP_SLOT: f64 = 1.0;
/// End mill ap cap in side milling (ae ≤ D/2): 2·D (estimate's wall levels).
pub const END_MILL_AP_CAP_SIDE: f64 = 2.0;

pub fn is_turning(kind: ToolKind) -> bool {
    matches!(
        kind,
        ToolKind::Tournage | ToolKind::Alesage | ToolKind::Tronconnage
    )
}

pub fn is_milling(kind: ToolKind) -> bool {
    matches!(kind, ToolKind::Fraisage | ToolKind::Surfacage)
}

/// A finite, strictly positive value.
pub fn valid(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite() && *v > 0.0)
}

/// The value at `t` in a range; one valid bound alone is used as is; bounds are sorted.
pub fn range_point(min: Option<f64>, max: Option<f64>, t: f64) -> Option<f64> {
    match (valid(min), valid(max)) {
        (Some(a), Some(b)) => {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            Some(lo + t * (hi - lo))
        }
        (Some(a), None) | (None, Some(a)) => Some(a),
        (None, None) => None,
    }
}

/// Radial chip-thinning factor (uncapped) of a milling cutter: the maximum chip thickness is
/// `hex = fz·√(1 − (1 − 2·ae/D)²)` when ae < D/2 (and `hex = fz` from D/2 on), so the feed that
/// restores the target chip is `fz / √(1 − (1 − 2·ae/D)²)` = `fz · D / (2·√(ae·(D − ae)))`.
/// Returns 1 for ae ≥ D/2 and for invalid inputs.
pub fn thinning_factor(ae: f64, d: f64) -> f64 {
    if !(ae > 0.0 && d > 0.0 && ae.is_finite() && d.is_finite()) || ae >= d / 2.0 {
        return 1.0;
    }
    let x = 1.0 - 2.0 * ae / d;
    let s = (1.0 - x * x).sqrt();
    if s > 0.0 { 1.0 / s } else { 1.0 }
}

/// Rounds half away from zero to a multiple of `step`.
pub fn round_to(x: f64, step: f64) -> f64 {
    let r = (x / step).round() * step;
    // Clean the binary noise of the multiplication (0.30000000000000004 → 0.3).
    (r * 1e9).round() / 1e9
}

/// Rounds down to a multiple of `step`.
pub fn floor_to(x: f64, step: f64) -> f64 {
    let r = (x / step + 1e-9).floor() * step;
    (r * 1e9).round() / 1e9
}

/// Display rounding of a spindle speed: 10 tr/min, 1 tr/min below 100 tr/min.
pub fn round_rpm(n: f64) -> f64 {
    if n < 100.0 {
        round_to(n, 1.0)
    } else {
        round_to(n, 10.0)
    }
}

/// Display rounding of a feed: 0.001 mm, 0.0001 mm below 0.01 mm.
pub fn round_feed(f: f64) -> f64 {
    if f < 0.01 {
        round_to(f, 0.0001)
    } else {
        round_to(f, 0.001)
    }
}

/// French number: decimal comma, `decimals` places with trailing zeros trimmed, space as
/// thousands separator (`17241.7, 0` → `17 242`; `0.102, 3` → `0,102`).
pub fn fr(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "?".into();
    }
    let s = format!("{:.*}", decimals, x);
    let (sign, s) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest.to_string()),
        None => ("", s),
    };
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
        None => (s.clone(), String::new()),
    };
    let mut grouped = String::new();
    let len = int.len();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(ch);
    }
    let sign = if grouped.chars().all(|c| c == '0') && frac.is_empty() {
        ""
    } else {
        sign
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}
