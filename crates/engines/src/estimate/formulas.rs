//! Cutting formulas of NORMS.md §4.1 and the roughness rules of §3.3, as plain `f64` physics.
//!
//! Units everywhere: mm, m/min, mm/rev, mm/tooth, mm/min, rpm, minutes, cm³/min. Money never
//! goes through this file.

use std::f64::consts::PI;

/// Spindle speed `n = 1000·Vc / (π·D)` (rpm). D is the workpiece Ø in turning, the tool Ø in
/// milling and drilling. Returns 0 for a non-positive diameter.
pub fn spindle_speed(vc_m_min: f64, d_mm: f64) -> f64 {
    if d_mm <= 0.0 {
        return 0.0;
    }
    1000.0 * vc_m_min / (PI * d_mm)
}

/// Cutting speed back-calculated from a (capped) spindle speed: `Vc = π·D·n / 1000`.
pub fn cutting_speed(d_mm: f64, n_rpm: f64) -> f64 {
    PI * d_mm * n_rpm / 1000.0
}

/// Spindle speed capped at the machine maximum: `(n, capped)`.
pub fn capped_speed(vc_m_min: f64, d_mm: f64, n_max: Option<f64>) -> (f64, bool) {
    let n = spindle_speed(vc_m_min, d_mm);
    match n_max {
        Some(max) if max > 0.0 && n > max => (max, true),
        _ => (n, false),
    }
}

/// Feed rate in turning and drilling: `Vf = f·n` (mm/min).
pub fn feed_rate_turning(f_mm_rev: f64, n_rpm: f64) -> f64 {
    f_mm_rev * n_rpm
}

/// Feed rate in milling: `Vf = fz·z·n` (mm/min).
pub fn feed_rate_milling(fz_mm: f64, z: u32, n_rpm: f64) -> f64 {
    fz_mm * f64::from(z) * n_rpm
}

/// Time of one turning pass: `t = (L + la) / (f·n)` (min).
pub fn turning_pass_time(length_mm: f64, approach_mm: f64, f_mm_rev: f64, n_rpm: f64) -> f64 {
    safe_div(length_mm + approach_mm, f_mm_rev * n_rpm)
}

/// Facing at constant cutting speed (G96) from radius R to r:
/// `t = π·(R² − r²) / (1000·Vc·f)`; below `r_lim = 1000·Vc / (2π·n_max)` the spindle is at its
/// maximum, which adds `r_lim / (f·n_max)`. Returns `(minutes, r_lim)`.
pub fn facing_time(r_out: f64, r_in: f64, vc: f64, f: f64, n_max: Option<f64>) -> (f64, f64) {
    let r_lim = match n_max {
        Some(n) if n > 0.0 => 1000.0 * vc / (2.0 * PI * n),
        _ => 0.0,
    };
    let inner = r_in.max(r_lim).min(r_out);
    let mut t = safe_div(PI * (r_out * r_out - inner * inner), 1000.0 * vc * f);
    if let Some(n) = n_max.filter(|n| *n > 0.0)
        && r_lim > r_in
    {
        t += safe_div(r_lim.min(r_out) - r_in, f * n);
    }
    (t, r_lim)
}

/// Side-milling entry length `la = √(ae·(D − ae))` (mm).
pub fn side_milling_entry(ae: f64, d: f64) -> f64 {
    (ae * (d - ae)).max(0.0).sqrt()
}

/// Milling time `t = (L + la + lo) / Vf` (min).
pub fn milling_time(length: f64, la: f64, lo: f64, vf: f64) -> f64 {
    safe_div(length + la + lo, vf)
}

/// Drill point length `lp = D / (2·tan(σ/2))` (mm), σ the point angle in degrees.
pub fn drill_point_length(d: f64, point_angle_deg: f64) -> f64 {
    let half = (point_angle_deg / 2.0).to_radians();
    safe_div(d, 2.0 * half.tan())
}

/// Drilling time `t = (H + lp + la) / (f·n)` (min).
pub fn drilling_time(depth: f64, lp: f64, la: f64, f: f64, n: f64) -> f64 {
    safe_div(depth + lp + la, f * n)
}

/// Rigid tapping, in and out at the same speed: `t = 2·(H + la) / (n·P)` (min).
pub fn tapping_time(depth: f64, la: f64, n: f64, pitch: f64) -> f64 {
    safe_div(2.0 * (depth + la), n * pitch)
}

/// Material removal rate in turning `Q = Vc·ap·f` (cm³/min).
pub fn mrr_turning(vc: f64, ap: f64, f: f64) -> f64 {
    vc * ap * f
}

/// Material removal rate in milling `Q = ap·ae·Vf / 1000` (cm³/min).
pub fn mrr_milling(ap: f64, ae: f64, vf: f64) -> f64 {
    ap * ae * vf / 1000.0
}

/// Material removal rate in drilling `Q = Vc·f·D / 4` (cm³/min).
pub fn mrr_drilling(vc: f64, f: f64, d: f64) -> f64 {
    vc * f * d / 4.0
}

/// Specific cutting force `kc = kc1.1 · hm^(−mc)` (N/mm²).
pub fn specific_cutting_force(kc11: f64, hm: f64, mc: f64) -> f64 {
    if hm <= 0.0 {
        return kc11;
    }
    kc11 * hm.powf(-mc)
}

/// Cutting power in turning `Pc = Vc·ap·f·kc / 60 000` (kW).
pub fn power_turning(vc: f64, ap: f64, f: f64, kc: f64) -> f64 {
    vc * ap * f * kc / 60_000.0
}

/// Cutting power in milling `Pc = ap·ae·Vf·kc / (60·10⁶)` (kW).
pub fn power_milling(ap: f64, ae: f64, vf: f64, kc: f64) -> f64 {
    ap * ae * vf * kc / 60_000_000.0
}

/// Cutting power in drilling `Pc = f·Vc·D·kc / 240 000` (kW).
pub fn power_drilling(f: f64, vc: f64, d: f64, kc: f64) -> f64 {
    f * vc * d * kc / 240_000.0
}

/// Spindle torque `Mc = Pc·30 000 / (π·n)` (N·m); 0 when n is not positive.
pub fn spindle_torque(pc_kw: f64, n_rpm: f64) -> f64 {
    safe_div(pc_kw * 30_000.0, PI * n_rpm)
}

/// Chip thickness in turning `hm = f·sin κr` (mm), κr the entering angle in degrees.
pub fn chip_thickness_turning(f: f64, kappa_r_deg: f64) -> f64 {
    f * kappa_r_deg.to_radians().sin()
}

/// Chip thickness in drilling `hm = (f/2)·sin(σ/2)` (mm), σ the point angle in degrees.
pub fn chip_thickness_drilling(f: f64, point_angle_deg: f64) -> f64 {
    f / 2.0 * (point_angle_deg / 2.0).to_radians().sin()
}

/// Mean chip thickness in side milling `hm = fz·(2·ae/D)/φ`, `φ = arccos(1 − 2·ae/D)` (rad);
/// ae is clamped to [0, D]. Returns 0 when D or ae is not positive.
pub fn mean_chip_thickness_side_milling(fz: f64, ae: f64, d: f64) -> f64 {
    if d <= 0.0 || ae <= 0.0 {
        return 0.0;
    }
    let r = (ae / d).min(1.0);
    let phi = (1.0 - 2.0 * r).acos();
    safe_div(fz * 2.0 * r, phi)
}

/// Mean chip thickness in centred face milling
/// `hm = fz·sin κr·180·ae / (π·D·arcsin(ae/D)[°])` = `fz·sin κr·(ae/D) / arcsin(ae/D)[rad]` (mm);
/// ae is clamped to [0, D]. Returns 0 when D or ae is not positive.
pub fn mean_chip_thickness_face_milling(fz: f64, kappa_r_deg: f64, ae: f64, d: f64) -> f64 {
    if d <= 0.0 || ae <= 0.0 {
        return 0.0;
    }
    let r = (ae / d).min(1.0);
    safe_div(fz * kappa_r_deg.to_radians().sin() * r, r.asin())
}

/// Theoretical turning roughness `Ra ≈ 1000·f² / (32·rε)` (µm).
pub fn turning_ra(f: f64, nose_radius: f64) -> f64 {
    safe_div(1000.0 * f * f, 32.0 * nose_radius)
}

/// Feed for a target Ra in turning: `f = √(Ra·32·rε / 1000) / 1.4` (safety factor 1.4, §3.3).
pub fn feed_for_ra(ra_um: f64, nose_radius: f64) -> f64 {
    (ra_um * 32.0 * nose_radius / 1000.0).max(0.0).sqrt() / 1.4
}

/// Finishing strategy from the required Ra (NORMS §3.3 rule of thumb for routing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Finish {
    /// Ra ≥ 3.2: roughing + one finishing pass at the normal feed.
    Normale,
    /// 0.8 < Ra < 3.2: dedicated finishing pass at the feed given by [`feed_for_ra`].
    Reduite,
    /// 0.4 < Ra ≤ 0.8: fine finishing (small feed, wiper); grinding on hardened parts.
    Fine,
    /// Ra ≤ 0.4: grinding / honing operation.
    Rectification,
}

pub fn finish_for_ra(ra_um: f64) -> Finish {
    if ra_um >= 3.2 {
        Finish::Normale
    } else if ra_um > 0.8 {
        Finish::Reduite
    } else if ra_um > 0.4 {
        Finish::Fine
    } else {
        Finish::Rectification
    }
}

fn safe_div(a: f64, b: f64) -> f64 {
    if b.abs() < 1e-12 { 0.0 } else { a / b }
}

/// ISO 286 standard tolerance grades IT5–IT11 (µm) up to 500 mm (NORMS §1.2), stored rounded.
const IT_TABLE: &[(f64, [u32; 7])] = &[
    (3.0, [4, 6, 10, 14, 25, 40, 60]),
    (6.0, [5, 8, 12, 18, 30, 48, 75]),
    (10.0, [6, 9, 15, 22, 36, 58, 90]),
    (18.0, [8, 11, 18, 27, 43, 70, 110]),
    (30.0, [9, 13, 21, 33, 52, 84, 130]),
    (50.0, [11, 16, 25, 39, 62, 100, 160]),
    (80.0, [13, 19, 30, 46, 74, 120, 190]),
    (120.0, [15, 22, 35, 54, 87, 140, 220]),
    (180.0, [18, 25, 40, 63, 100, 160, 250]),
    (250.0, [20, 29, 46, 72, 115, 185, 290]),
    (315.0, [23, 32, 52, 81, 130, 210, 320]),
    (400.0, [25, 36, 57, 89, 140, 230, 360]),
    (500.0, [27, 40, 63, 97, 155, 250, 400]),
];

/// IT grade a tolerance width corresponds to at a nominal size: the largest grade g (5…11) with
/// `IT_g ≤ width` (conservative: a 20 µm band at Ø25 lies between IT6 = 13 and IT7 = 21, so it
/// needs an IT6-capable process). Narrower than IT5 gives 5; wider than IT12 (= 1.6 × IT11) gives 12.
pub fn it_grade_for_width(nominal_mm: f64, width_um: f64) -> u8 {
    let row = IT_TABLE
        .iter()
        .find(|(upto, _)| nominal_mm <= *upto)
        .unwrap_or(&IT_TABLE[IT_TABLE.len() - 1])
        .1;
    if width_um > f64::from(row[6]) * 1.6 {
        return 12;
    }
    let mut grade = 5u8;
    for (i, it) in row.iter().enumerate() {
        if f64::from(*it) <= width_um + 1e-9 {
            grade = 5 + i as u8;
        }
    }
    grade
}

/// ISO 2768-1 general linear tolerance (± mm) for a class `f`/`m`/`c`/`v` and a size (NORMS §2.1).
pub fn iso2768_linear(class: char, size_mm: f64) -> Option<f64> {
    const LIMITS: [f64; 8] = [3.0, 6.0, 30.0, 120.0, 400.0, 1000.0, 2000.0, 4000.0];
    let row: [Option<f64>; 8] = match class.to_ascii_lowercase() {
        'f' => [
            Some(0.05),
            Some(0.05),
            Some(0.1),
            Some(0.15),
            Some(0.2),
            Some(0.3),
            Some(0.5),
            None,
        ],
        'm' => [
            Some(0.1),
            Some(0.1),
            Some(0.2),
            Some(0.3),
            Some(0.5),
            Some(0.8),
            Some(1.2),
            Some(2.0),
        ],
        'c' => [
            Some(0.2),
            Some(0.3),
            Some(0.5),
            Some(0.8),
            Some(1.2),
            Some(2.0),
            Some(3.0),
            Some(4.0),
        ],
        'v' => [
            None,
            Some(0.5),
            Some(1.0),
            Some(1.5),
            Some(2.5),
            Some(4.0),
            Some(6.0),
            Some(8.0),
        ],
        _ => return None,
    };
    if size_mm < 0.5 {
        return None;
    }
    let i = LIMITS.iter().position(|l| size_mm <= *l)?;
    row[i]
}
