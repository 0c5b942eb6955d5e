//! Worked examples computed by hand (the arithmetic is in the comments) and properties.

use super::*;
use crate::estimate::{IsoGroup, ToolKind};
use proptest::prelude::*;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[track_caller]
fn assert_close(got: Option<f64>, want: f64, tol: f64) {
    let g = got.expect("value expected, got None");
    assert!(close(g, want, tol), "got {g}, want {want} ± {tol}");
}

fn row(source: DataSource, vc: (f64, f64), feed: (f64, f64)) -> CuttingDataCandidate {
    CuttingDataCandidate {
        source,
        vc_min: Some(vc.0),
        vc_max: Some(vc.1),
        feed_min: Some(feed.0),
        feed_max: Some(feed.1),
        ..Default::default()
    }
}

fn lathe(power_kw: f64, max_rpm: f64) -> Option<MachineLimits> {
    Some(MachineLimits {
        label: Some("TOUR-01".into()),
        max_rpm: Some(max_rpm),
        power_kw: Some(power_kw),
        efficiency: None,
    })
}

fn turning_c45(ap: f64) -> CuttingRequest {
    let mut r = CuttingRequest::new(CuttingTool::new(ToolKind::Tournage), IsoGroup::P);
    r.work_diameter_mm = Some(50.0);
    r.ap_mm = Some(ap);
    r.candidates = vec![row(DataSource::BaseInterne, (240.0, 240.0), (0.25, 0.25))];
    r
}

fn end_mill_12(kind: ToolKind, z: u32) -> CuttingTool {
    CuttingTool {
        diameter_mm: Some(12.0),
        teeth: Some(z),
        ..CuttingTool::new(kind)
    }
}

fn codes_of(c: &CuttingConditions) -> Vec<&str> {
    c.warnings.iter().map(|w| w.code.as_str()).collect()
}

// Turning C45 (P) Ø50, Vc 240, f 0.25, ap 2, κr 95°, η 0.8:
// n = 1000·240/(π·50) = 1527.9 tr/min; Vf = 0.25·1527.9 = 382.0 mm/min; Q = 240·2·0.25 = 120;
// hm = 0.25·sin 95° = 0.24905; kc = 1500·0.24905^−0.22 = 2036.6 N/mm²;
// Pc = 240·2·0.25·2036.6/60 000 = 4.073 kW; Pmot = 4.073/0.8 = 5.092 kW;
// Mc = 4.073·30 000/(π·1527.9) = 25.46 N·m. On a 5.5 kW / 4000 rpm lathe: no warning.
#[test]
fn turning_c45_worked_example() {
    let mut r = turning_c45(2.0);
    r.machine = lathe(5.5, 4000.0);
    let c = compute(&r);
    assert_eq!(c.feed_kind, FeedKind::F);
    assert_eq!(c.source, Some(DataSource::BaseInterne));
    assert_close(c.speed_diameter_mm, 50.0, 0.0);
    assert_close(c.n_rpm, 1527.89, 0.01);
    assert_close(c.vf_mm_min, 381.97, 0.01);
    assert_close(c.q_cm3_min, 120.0, 1e-9);
    assert_close(c.hm_mm, 0.24905, 1e-5);
    assert_close(c.kc_n_mm2, 2036.6, 0.1);
    assert_close(c.cutting_power_kw, 4.0732, 0.001);
    assert_close(c.power_required_kw, 5.0915, 0.001);
    assert_close(c.torque_nm, 25.46, 0.01);
    assert_close(c.machine_power_kw, 5.5, 0.0);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    assert!(c.complete);
    // Display: n to 10 tr/min, Vf to 1 mm/min, power to 0.01 kW.
    assert_eq!(c.rounded.n_rpm, Some(1530.0));
    assert_eq!(c.rounded.vf_mm_min, Some(382.0));
    assert_eq!(c.rounded.vc_m_min, Some(240.0));
    assert_eq!(c.rounded.kc_n_mm2, Some(2037.0));
    assert_eq!(c.rounded.power_required_kw, Some(5.09));
}

// NORMS §4.3 example A: Ø60, Vc 220, f 0.25, ap 2 → n 1167, Pc 3.73, Pmot 4.67, Mc 30.5.
#[test]
fn norms_example_a_turning() {
    let mut r = turning_c45(2.0);
    r.work_diameter_mm = Some(60.0);
    r.candidates = vec![row(DataSource::BaseInterne, (220.0, 220.0), (0.25, 0.25))];
    let c = compute(&r);
    assert_close(c.n_rpm, 1167.0, 0.5);
    assert_close(c.kc_n_mm2, 2037.0, 1.0);
    assert_close(c.cutting_power_kw, 3.73, 0.005);
    assert_close(c.power_required_kw, 4.67, 0.005);
    assert_close(c.torque_nm, 30.5, 0.05);
    assert_close(c.q_cm3_min, 110.0, 1e-9);
}

// Same lathe job at ap 3 on a 5.5 kW lathe: Pc = 240·3·0.25·2036.6/60 000 = 6.110 kW,
// Pmot = 7.637 kW > 5.5 → ap that fits = 3·5.5/7.637 = 2.160 → 2.1 mm (rounded down).
#[test]
fn power_exceeded_on_a_5_5_kw_lathe_proposes_ap() {
    let mut r = turning_c45(3.0);
    r.machine = lathe(5.5, 4000.0);
    let c = compute(&r);
    assert_close(c.power_required_kw, 7.637, 0.001);
    assert!(c.has_warning(codes::PUISSANCE_DEPASSEE));
    assert_eq!(c.ap_for_power_mm, Some(2.1));
    let w = c
        .warnings
        .iter()
        .find(|w| w.code == codes::PUISSANCE_DEPASSEE)
        .unwrap();
    assert!(
        w.message_fr.contains("ap proposé 2,1 mm"),
        "{}",
        w.message_fr
    );
    assert!(w.message_fr.contains("7,64 kW"), "{}", w.message_fr);
    // The proposal really fits: 2.1/3 · 7.637 = 5.35 ≤ 5.5.
    let mut r2 = r.clone();
    r2.ap_mm = c.ap_for_power_mm;
    let c2 = compute(&r2);
    assert!(c2.power_required_kw.unwrap() <= 5.5);
    assert!(!c2.has_warning(codes::PUISSANCE_DEPASSEE));
    // ap stays as asked on the sheet (proposal only).
    assert_eq!(c.ap_mm, Some(3.0));
}

// Milling Ø12, z 4, 2017A (N), ae 1.2, ap 10, no shop data → NORMS §4.2: Vc 650, fz = 0.0085·12
// = 0.102. Chip thinning: 1 − 2·1.2/12 = 0.8, √(1 − 0.64) = 0.6 → factor 1/0.6 = 1.667,
// fz = 0.170. n = 1000·650/(π·12) = 17 241.8; Vf = 0.170·4·17 241.8 = 11 724.4 mm/min;
// φ = arccos 0.8 = 0.6435 rad; hm = 0.170·0.2/0.6435 = 0.05284; kc = 800·0.05284^−0.25 = 1668.6;
// Q = 10·1.2·11 724.4/1000 = 140.7 cm³/min; Pc = 10·1.2·11 724.4·1668.6/(60·10⁶) = 3.913 kW.
#[test]
fn milling_2017a_with_radial_chip_thinning() {
    let mut r = CuttingRequest::new(end_mill_12(ToolKind::Fraisage, 4), IsoGroup::N);
    r.ae_mm = Some(1.2);
    r.ap_mm = Some(10.0);
    let c = compute(&r);
    assert_eq!(c.source, Some(DataSource::DefautNorme));
    assert!(c.has_warning(codes::DEFAUT_NORME));
    assert_eq!(c.feed_kind, FeedKind::Fz);
    assert_close(c.feed_data, 0.102, 1e-12);
    assert_close(c.thinning_factor, 1.0 / 0.6, 1e-9);
    assert_close(c.feed, 0.17, 1e-9);
    assert_close(c.n_rpm, 17241.79, 0.01);
    assert_close(c.vf_mm_min, 11724.41, 0.01);
    assert_close(c.hm_mm, 0.052836, 1e-6);
    assert_close(c.kc_n_mm2, 1668.6, 0.1);
    assert_close(c.q_cm3_min, 140.69, 0.01);
    assert_close(c.cutting_power_kw, 3.913, 0.001);
    assert!(
        c.adjustments_fr
            .iter()
            .any(|a| a.contains("Amincissement") && a.contains("×1,667")),
        "{:?}",
        c.adjustments_fr
    );
    assert!(
        c.adjustments_fr
            .iter()
            .any(|a| a.contains("fz = 0,0085 × D = 0,0085 × 12 = 0,102")),
        "{:?}",
        c.adjustments_fr
    );
}

// NORMS §4.4 example B (7075, Ø12 z3, ap 10, ae 3, Vc 400, fz 0.06, no thinning correction):
// n 10 610, Vf 1910, hm 0.0286, kc 1945, Q 57.3, Pc 1.86, Pmot 2.32.
#[test]
fn norms_example_b_milling_without_thinning() {
    let mut r = CuttingRequest::new(end_mill_12(ToolKind::Fraisage, 3), IsoGroup::N);
    r.ae_mm = Some(3.0);
    r.ap_mm = Some(10.0);
    r.candidates = vec![row(DataSource::Fournisseur, (400.0, 400.0), (0.06, 0.06))];
    r.settings.chip_thinning = false;
    let c = compute(&r);
    assert_close(c.n_rpm, 10610.3, 0.1);
    assert_close(c.vf_mm_min, 1909.9, 0.1);
    assert_close(c.hm_mm, 0.0286, 0.00005);
    assert_close(c.kc_n_mm2, 1945.0, 1.0);
    assert_close(c.q_cm3_min, 57.3, 0.01);
    assert_close(c.cutting_power_kw, 1.86, 0.005);
    assert_close(c.power_required_kw, 2.32, 0.005);
    assert_eq!(c.thinning_factor, Some(1.0));
    // With thinning on: ae = D/4 → factor 1/√(1 − 0.25) = 1.1547, fz 0.0693.
    r.settings.chip_thinning = true;
    let c = compute(&r);
    assert_close(c.thinning_factor, 1.154_700_5, 1e-6);
    assert_close(c.feed, 0.069_282, 1e-6);
}

// ae 0.3 on Ø12 (2.5 % of D): raw factor = 12/(2·√(0.3·11.7)) = 3.2026, capped at 2.0 by
// default; with the cap raised to 4 the full 3.2026 is applied.
#[test]
fn chip_thinning_factor_is_capped() {
    let mut r = CuttingRequest::new(end_mill_12(ToolKind::Fraisage, 4), IsoGroup::N);
    r.ae_mm = Some(0.3);
    r.ap_mm = Some(10.0);
    let c = compute(&r);
    assert_eq!(c.thinning_factor, Some(2.0));
    assert_close(c.feed, 0.204, 1e-9);
    assert!(c.adjustments_fr.iter().any(|a| a.contains("plafonné à 2")));
    r.settings.max_thinning_factor = 4.0;
    let c = compute(&r);
    assert_close(c.thinning_factor, 3.2026, 0.0001);
    assert_close(rules::thinning_factor(0.3, 12.0).into(), 3.2026, 0.0001);
}

// Slot Ø12 (ae = D): no thinning (ae ≥ D/2), hm = fz·2/π; requested ap 20 capped at 1·D = 12.
// Requested ae 15 > D capped at 12.
#[test]
fn slotting_caps_ap_at_one_diameter_and_ae_at_d() {
    let mut r = CuttingRequest::new(end_mill_12(ToolKind::Fraisage, 4), IsoGroup::N);
    r.ae_mm = Some(15.0);
    r.ap_mm = Some(20.0);
    let c = compute(&r);
    assert_eq!(c.ae_mm, Some(12.0));
    assert_eq!(c.ap_mm, Some(12.0));
    assert_eq!(c.thinning_factor, Some(1.0));
    assert_close(c.hm_mm, 0.102 * 2.0 / std::f64::consts::PI, 1e-9);
    assert!(c.adjustments_fr.iter().any(|a| a.contains("rainurage")));
    // Side milling: ap 30 capped at 2·D = 24; cutting length 22 caps first.
    r.ae_mm = Some(3.0);
    r.ap_mm = Some(30.0);
    r.tool.cutting_length_mm = Some(22.0);
    let c = compute(&r);
    assert_eq!(c.ap_mm, Some(22.0));
    r.tool.cutting_length_mm = None;
    assert_eq!(compute(&r).ap_mm, Some(24.0));
}

// Defaults of an end mill without data limits: roughing ae = 0.4·D = 4.8, ap = 1·D = 12;
// finishing ae = 0.1·D = 1.2. A data ap_max of 8 caps ap.
#[test]
fn end_mill_default_engagement() {
    let mut r = CuttingRequest::new(end_mill_12(ToolKind::Fraisage, 3), IsoGroup::P);
    let c = compute(&r);
    assert_close(c.ae_mm, 4.8, 1e-9);
    assert_close(c.ap_mm, 12.0, 1e-9);
    r.intent = Intent::Finition;
    let c = compute(&r);
    assert_close(c.ae_mm, 1.2, 1e-9);
    let mut row = row(DataSource::BaseInterne, (200.0, 250.0), (0.04, 0.06));
    row.ap_max = Some(8.0);
    r.candidates = vec![row];
    r.intent = Intent::Ebauche;
    r.ap_mm = Some(10.0);
    let c = compute(&r);
    assert_eq!(c.ap_mm, Some(8.0));
    assert!(
        c.adjustments_fr
            .iter()
            .any(|a| a.contains("ap maxi des données"))
    );
}

// Drilling Ø8.5 in C45 (P), NORMS §4.2: Vc 95, f = 0.0225·8.5 = 0.19125 mm/tr.
// n = 1000·95/(π·8.5) = 3557.6; Vf = 0.19125·3557.6 = 680.4; Q = 95·0.19125·8.5/4 = 38.61;
// hm = (0.19125/2)·sin 70° = 0.08986; kc = 1500·0.08986^−0.22 = 2548.6;
// Pc = 0.19125·95·8.5·2548.6/240 000 = 1.640 kW; ap = D/2 = 4.25.
#[test]
fn drilling_8_5_in_c45() {
    let tool = CuttingTool {
        diameter_mm: Some(8.5),
        ..CuttingTool::new(ToolKind::Percage)
    };
    let r = CuttingRequest::new(tool, IsoGroup::P);
    let c = compute(&r);
    assert_close(c.feed, 0.19125, 1e-12);
    assert_close(c.n_rpm, 3557.58, 0.01);
    assert_close(c.vf_mm_min, 680.39, 0.01);
    assert_close(c.q_cm3_min, 38.609, 0.001);
    assert_close(c.hm_mm, 0.089858, 1e-6);
    assert_close(c.kc_n_mm2, 2548.6, 0.1);
    assert_close(c.cutting_power_kw, 1.640, 0.001);
    assert_close(c.ap_mm, 4.25, 1e-12);
    assert_eq!(c.ae_mm, None);
    assert_eq!(c.rounded.n_rpm, Some(3560.0));
    assert_eq!(c.rounded.feed, Some(0.191));
}

// NORMS §4.5: Ø10 drill, 140°, Vc 80, f 0.2 in C45 → n 2546, Vf 509, kc 2524, Pc 1.68.
#[test]
fn norms_example_c_drilling() {
    let tool = CuttingTool {
        diameter_mm: Some(10.0),
        point_angle_deg: Some(140.0),
        ..CuttingTool::new(ToolKind::Percage)
    };
    let mut r = CuttingRequest::new(tool, IsoGroup::P);
    r.candidates = vec![row(DataSource::Manuel, (80.0, 80.0), (0.2, 0.2))];
    let c = compute(&r);
    assert_close(c.n_rpm, 2546.5, 0.1);
    assert_close(c.vf_mm_min, 509.3, 0.1);
    assert_close(c.kc_n_mm2, 2524.0, 1.0);
    assert_close(c.cutting_power_kw, 1.68, 0.005);
}

// A base_interne drill row given for Ø10 (f 0.20) used on a Ø5 drill: f ∝ D → 0.20·5/10 = 0.10.
#[test]
fn drill_feed_scales_with_diameter() {
    let tool = CuttingTool {
        diameter_mm: Some(5.0),
        ..CuttingTool::new(ToolKind::Percage)
    };
    let mut r = CuttingRequest::new(tool, IsoGroup::P);
    let mut row = row(DataSource::BaseInterne, (90.0, 90.0), (0.2, 0.2));
    row.reference_diameter_mm = Some(10.0);
    r.candidates = vec![row];
    let c = compute(&r);
    assert_close(c.feed, 0.1, 1e-12);
    assert!(
        c.adjustments_fr
            .iter()
            .any(|a| a.contains("données pour Ø10 mm"))
    );
}

// Drilling Ø20 in C45 at NORMS values on a 1.5 kW machine: f = 0.0225·20 = 0.45, Vc 95,
// hm = 0.225·sin 70° = 0.21143, kc = 1500·0.21143^−0.22 = 2111.3,
// Pc = 0.45·95·20·2111.3/240 000 = 7.522 kW, Pmot 9.402 > 1.5. Pc ∝ f^(1 − mc) so the feed
// that fits is 0.45·(1.5/9.402)^(1/0.78) = 0.04278 → 0.042 mm/tr (rounded down).
#[test]
fn drilling_power_exceeded_proposes_feed() {
    let tool = CuttingTool {
        diameter_mm: Some(20.0),
        ..CuttingTool::new(ToolKind::Percage)
    };
    let mut r = CuttingRequest::new(tool, IsoGroup::P);
    r.machine = lathe(1.5, 6000.0);
    let c = compute(&r);
    assert_close(c.kc_n_mm2, 2111.3, 0.1);
    assert_close(c.cutting_power_kw, 7.522, 0.001);
    assert!(c.has_warning(codes::PUISSANCE_DEPASSEE));
    assert_eq!(c.feed_for_power, Some(0.042));
    assert_eq!(c.ap_for_power_mm, None);
    // Check it: at f 0.042 the motor power is within 1.5 kW, at 0.043 it is not.
    let mut fit = r.clone();
    fit.settings.use_norm_defaults = false;
    fit.candidates = vec![row(DataSource::Manuel, (95.0, 95.0), (0.042, 0.042))];
    assert!(compute(&fit).power_required_kw.unwrap() <= 1.5);
    fit.candidates = vec![row(DataSource::Manuel, (95.0, 95.0), (0.043, 0.043))];
    assert!(compute(&fit).power_required_kw.unwrap() > 1.5);
}

// Tapping M10×1.5, HSS-E in steel (NORMS §4.2: Vc 15): n = 1000·15/(π·10) = 477.5,
// Vf = n·P = 477.5·1.5 = 716.2 mm/min (NORMS §4.5). Power not computed.
#[test]
fn tapping_m10x1_5() {
    let tool = CuttingTool {
        diameter_mm: Some(10.0),
        thread_pitch_mm: Some(1.5),
        label: Some("Taraud M10×1,5 HSS-E".into()),
        ..CuttingTool::new(ToolKind::Taraudage)
    };
    let r = CuttingRequest::new(tool, IsoGroup::P);
    let c = compute(&r);
    assert_eq!(c.feed_kind, FeedKind::Pas);
    assert_close(c.feed, 1.5, 0.0);
    assert_close(c.n_rpm, 477.46, 0.01);
    assert_close(c.vf_mm_min, 716.20, 0.01);
    assert_eq!(c.cutting_power_kw, None);
    assert_eq!(c.q_cm3_min, None);
    assert!(c.complete);
    assert_eq!(c.rounded.n_rpm, Some(480.0));
    assert_eq!(c.tool_label.as_deref(), Some("Taraud M10×1,5 HSS-E"));
    // Without a pitch: Vf à renseigner.
    let mut r = r;
    r.tool.thread_pitch_mm = None;
    let c = compute(&r);
    assert!(c.n_rpm.is_some());
    assert_eq!(c.vf_mm_min, None);
    assert!(c.to_fill_fr.contains(&"pas".to_string()));
    assert!(c.has_warning(codes::DONNEES_MANQUANTES));
    assert!(!c.complete);
}

// Ø12 end mill in 2017A at 650 m/min needs 17 242 tr/min; on a 6000 rpm machine n = 6000,
// Vc = π·12·6000/1000 = 226.2 m/min, Vf = 0.17·4·6000 = 4080 mm/min.
#[test]
fn spindle_speed_capped_on_a_6000_rpm_machine() {
    let mut r = CuttingRequest::new(end_mill_12(ToolKind::Fraisage, 4), IsoGroup::N);
    r.ae_mm = Some(1.2);
    r.ap_mm = Some(10.0);
    r.machine = Some(MachineLimits {
        max_rpm: Some(6000.0),
        power_kw: Some(7.5),
        ..Default::default()
    });
    let c = compute(&r);
    assert_close(c.n_rpm, 6000.0, 0.0);
    assert_close(c.vc_m_min, 226.19, 0.01);
    assert_close(c.vc_data_m_min, 650.0, 0.0);
    assert_close(c.vf_mm_min, 4080.0, 1e-6);
    assert!(c.has_warning(codes::N_MAX_DEPASSE));
    let w = &c
        .warnings
        .iter()
        .find(|w| w.code == codes::N_MAX_DEPASSE)
        .unwrap()
        .message_fr;
    assert!(w.contains("17 242") && w.contains("226,2"), "{w}");
    assert_eq!(c.rounded.n_rpm, Some(6000.0));
    assert_eq!(c.rounded.vc_m_min, Some(226.0));
}

// Priority: a fournisseur row is ignored when a base_interne row exists; the configured order
// reversed picks the fournisseur row.
#[test]
fn source_priority_base_interne_then_configurable() {
    let mut r = turning_c45(2.0);
    let mut four = row(DataSource::Fournisseur, (300.0, 300.0), (0.3, 0.3));
    four.label = Some("Sandvik GC4425".into());
    let mut base = row(DataSource::BaseInterne, (220.0, 220.0), (0.25, 0.25));
    base.label = Some("C45 ébauche".into());
    r.candidates = vec![four, base];
    let c = compute(&r);
    assert_eq!(c.source, Some(DataSource::BaseInterne));
    assert_eq!(c.source_label.as_deref(), Some("C45 ébauche"));
    assert_close(c.vc_m_min, 220.0, 0.0);
    assert!(
        c.adjustments_fr
            .iter()
            .any(|a| a
                == "Ligne fournisseur « Sandvik GC4425 » non retenue : base interne prioritaire"),
        "{:?}",
        c.adjustments_fr
    );
    r.settings.source_priority = vec![DataSource::Fournisseur, DataSource::BaseInterne];
    let c = compute(&r);
    assert_eq!(c.source, Some(DataSource::Fournisseur));
    assert_close(c.vc_m_min, 300.0, 0.0);
    // pick_source itself.
    let picked = pick_source(
        &r.candidates,
        &DataSource::default_priority(),
        ToolKind::Tournage,
        IsoGroup::P,
    )
    .unwrap();
    assert_eq!(picked.source, DataSource::BaseInterne);
}

// Rows of another tool kind / group are skipped; an incomplete base_interne row (no feed) falls
// through to manuel; a source missing from the list is never taken.
#[test]
fn pick_source_skips_unusable_and_foreign_rows() {
    let mut other_group = row(DataSource::BaseInterne, (100.0, 100.0), (0.1, 0.1));
    other_group.iso_group = Some(IsoGroup::M);
    let mut other_kind = row(DataSource::BaseInterne, (100.0, 100.0), (0.1, 0.1));
    other_kind.tool_kind = Some(ToolKind::Percage);
    let incomplete = CuttingDataCandidate {
        source: DataSource::BaseInterne,
        vc_min: Some(200.0),
        feed_min: Some(f64::NAN),
        ..Default::default()
    };
    let manual = row(DataSource::Manuel, (180.0, 180.0), (0.2, 0.2));
    let rows = vec![other_group, other_kind, incomplete, manual];
    let p = pick_source(
        &rows,
        &DataSource::default_priority(),
        ToolKind::Tournage,
        IsoGroup::P,
    )
    .unwrap();
    assert_eq!(p.source, DataSource::Manuel);
    assert!(
        pick_source(
            &rows,
            &[DataSource::Fournisseur],
            ToolKind::Tournage,
            IsoGroup::P
        )
        .is_none()
    );
    let mut r = turning_c45(2.0);
    r.candidates = rows;
    let c = compute(&r);
    assert_eq!(c.source, Some(DataSource::Manuel));
    assert!(
        c.adjustments_fr
            .iter()
            .any(|a| a.contains("base interne ignorée : Vc ou f manquante ou invalide")),
        "{:?}",
        c.adjustments_fr
    );
}

// No usable data and NORMS defaults off: Vc and f "à renseigner", n/Vf/power None, ap still
// given (2 mm default), warning donnees_manquantes; a defaut_norme row is not taken either.
#[test]
fn missing_data_returns_what_can_be_computed() {
    let mut r = turning_c45(2.0);
    r.ap_mm = None;
    r.settings.use_norm_defaults = false;
    r.candidates = vec![row(DataSource::DefautNorme, (240.0, 240.0), (0.25, 0.25))];
    let c = compute(&r);
    assert_eq!(c.source, None);
    assert_eq!(c.vc_m_min, None);
    assert_eq!(c.feed, None);
    assert_eq!(c.n_rpm, None);
    assert_eq!(c.vf_mm_min, None);
    assert_eq!(c.power_required_kw, None);
    assert_eq!(c.ap_mm, Some(2.0));
    assert_eq!(c.speed_diameter_mm, Some(50.0));
    assert!(c.has_warning(codes::DONNEES_MANQUANTES));
    assert!(!c.has_warning(codes::DEFAUT_NORME));
    assert_eq!(c.to_fill_fr, vec!["Vc".to_string(), "f".to_string()]);
    assert!(!c.complete);
    assert!(
        c.adjustments_fr
            .iter()
            .any(|a| a.contains("valeurs NORMS désactivées"))
    );
    assert_eq!(c.rounded.n_rpm, None);
}

// NaN Ø, negative ap, zero teeth, efficiency 1.5: warnings, no panic, defaults where they exist.
#[test]
fn invalid_inputs_give_warnings_not_panics() {
    let mut r = turning_c45(-1.0);
    r.work_diameter_mm = Some(f64::NAN);
    r.machine = Some(MachineLimits {
        max_rpm: Some(f64::INFINITY),
        power_kw: Some(-3.0),
        efficiency: Some(1.5),
        label: None,
    });
    let c = compute(&r);
    assert_eq!(c.n_rpm, None);
    assert_eq!(c.ap_mm, Some(2.0)); // negative ap ignored → default
    assert_eq!(c.efficiency, 0.8);
    let invalid = c
        .warnings
        .iter()
        .filter(|w| w.code == codes::ENTREE_INVALIDE)
        .count();
    assert_eq!(invalid, 5, "{:?}", c.warnings); // Ø pièce, ap, n max, puissance, η
    assert!(c.to_fill_fr.contains(&"Ø pièce".to_string()));
    assert!(!c.complete);

    let mut m = CuttingRequest::new(end_mill_12(ToolKind::Fraisage, 0), IsoGroup::P);
    m.tool.diameter_mm = Some(-12.0);
    let c = compute(&m);
    assert!(c.has_warning(codes::ENTREE_INVALIDE));
    assert!(c.to_fill_fr.contains(&"Ø outil".to_string()));
    assert!(c.to_fill_fr.contains(&"z (nombre de dents)".to_string()));
    assert_eq!(c.vf_mm_min, None);
}

// Finishing: data Vc 200–300, f 0.1–0.4 → Vc at 75 % = 275, f at 25 % = 0.175; Ra 1.6 with
// rε 0.8 limits f to √(1.6·32·0.8/1000)/1.4 = 0.2024/1.4 = 0.1446 mm/tr; ap 0.5 by default.
// Roughing takes the middle: Vc 250, f 0.25, ap = ap max of the data (3).
#[test]
fn finishing_turning_with_target_ra() {
    let mut r = turning_c45(2.0);
    r.ap_mm = None;
    let mut data = row(DataSource::BaseInterne, (200.0, 300.0), (0.1, 0.4));
    data.ap_max = Some(3.0);
    r.candidates = vec![data];
    let c = compute(&r);
    assert_close(c.vc_m_min, 250.0, 1e-9);
    assert_close(c.feed, 0.25, 1e-12);
    assert_eq!(c.ap_mm, Some(3.0));
    r.intent = Intent::Finition;
    r.target_ra_um = Some(1.6);
    r.tool.nose_radius_mm = Some(0.8);
    let c = compute(&r);
    assert_close(c.vc_m_min, 275.0, 1e-9);
    assert_close(c.feed_data, 0.175, 1e-12);
    assert_close(c.feed, 0.14457, 1e-5);
    assert_eq!(c.ap_mm, Some(0.5));
    assert!(c.adjustments_fr.iter().any(|a| a.contains("NORMS §3.3")));
    // Ra 0.2 → grinding warning.
    r.target_ra_um = Some(0.2);
    assert!(compute(&r).has_warning(codes::RECTIFICATION));
}

// Without a machine: values computed, warning "à renseigner"; with a machine lacking its power
// only the power check is flagged.
#[test]
fn machine_limits_absent_are_flagged() {
    let c = compute(&turning_c45(2.0));
    assert!(c.has_warning(codes::MACHINE_A_RENSEIGNER));
    assert!(c.complete);
    assert!(c.n_rpm.is_some());
    let mut r = turning_c45(2.0);
    r.machine = Some(MachineLimits {
        max_rpm: Some(4000.0),
        ..Default::default()
    });
    let c = compute(&r);
    let msgs: Vec<&str> = c
        .warnings
        .iter()
        .filter(|w| w.code == codes::MACHINE_A_RENSEIGNER)
        .map(|w| w.message_fr.as_str())
        .collect();
    assert_eq!(
        msgs,
        vec!["Puissance broche à renseigner : puissance non vérifiée"]
    );
}

// Face mill Ø50 z5 in C45, NORMS §4.2: Vc 200, fz 0.175; default ae = 0.75·50 = 37.5, ap 2;
// centred face milling hm = 0.175·(0.75/arcsin 0.75) = 0.175·0.75/0.84806 = 0.15477;
// n = 1000·200/(π·50) = 1273.2; Vf = 0.175·5·1273.2 = 1114.1; Q = 2·37.5·1114.1/1000 = 83.56.
#[test]
fn face_milling_defaults() {
    let tool = CuttingTool {
        diameter_mm: Some(50.0),
        teeth: Some(5),
        ..CuttingTool::new(ToolKind::Surfacage)
    };
    let c = compute(&CuttingRequest::new(tool, IsoGroup::P));
    assert_close(c.ae_mm, 37.5, 1e-9);
    assert_close(c.ap_mm, 2.0, 1e-9);
    assert_close(c.hm_mm, 0.15477, 1e-5);
    assert_close(c.n_rpm, 1273.24, 0.01);
    assert_close(c.vf_mm_min, 1114.08, 0.01);
    assert_close(c.q_cm3_min, 83.56, 0.01);
    assert_eq!(c.thinning_factor, Some(1.0));
}

#[test]
fn display_rounding_and_french_numbers() {
    assert_eq!(rules::round_rpm(1527.89), 1530.0);
    assert_eq!(rules::round_rpm(1525.0), 1530.0);
    assert_eq!(rules::round_rpm(47.6), 48.0);
    assert_eq!(rules::round_feed(0.19125), 0.191);
    assert_eq!(rules::round_feed(0.0045), 0.0045);
    assert_eq!(rules::floor_to(2.16, 0.1), 2.1);
    assert_eq!(rules::floor_to(2.2, 0.1), 2.2);
    assert_eq!(rules::fr(17241.79, 0), "17 242");
    assert_eq!(rules::fr(0.102, 3), "0,102");
    assert_eq!(rules::fr(650.0, 2), "650");
    assert_eq!(rules::fr(1234567.5, 1), "1 234 567,5");
    assert_eq!(rules::fr(-0.0001, 2), "0");
    assert_eq!(
        rules::range_point(Some(300.0), Some(200.0), 0.75),
        Some(275.0)
    );
    assert_eq!(rules::range_point(None, Some(200.0), 0.75), Some(200.0));
    assert_eq!(rules::range_point(Some(f64::NAN), None, 0.5), None);
}

#[test]
fn serde_minimal_request_and_output_codes() {
    let json = r#"{
        "tool": {"kind": "fraisage", "diameter_mm": 12, "teeth": 4},
        "iso_group": "N",
        "ae_mm": 1.2,
        "candidates": [{"source": "fournisseur", "vc_min": 500, "vc_max": 700,
                        "feed_min": 0.08, "feed_max": 0.12}],
        "settings": {"source_priority": ["fournisseur", "base_interne"]}
    }"#;
    let r: CuttingRequest = serde_json::from_str(json).unwrap();
    assert!(r.settings.use_norm_defaults);
    assert_eq!(r.settings.max_thinning_factor, 2.0);
    assert_eq!(r.intent, Intent::Ebauche);
    let c = compute(&r);
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["feed_kind"], "fz");
    assert_eq!(v["source"], "fournisseur");
    assert_eq!(v["intent"], "ebauche");
    assert!(v["warnings"][0]["code"].is_string());
    let back: CuttingConditions = serde_json::from_value(v).unwrap();
    assert_eq!(back, c);
}

#[test]
fn from_estimate_rows_and_machines() {
    use crate::estimate::CuttingData;
    let cd = CuttingData {
        tool_kind: ToolKind::Percage,
        iso_group: IsoGroup::P,
        vc_min: 70.0,
        vc_max: 120.0,
        feed_min: 0.0,
        feed_max: 0.2,
        ap_max: None,
        ae_max: None,
        source: "saisie_manuelle".into(),
    };
    let c = CuttingDataCandidate::from_cutting_data(&cd).unwrap();
    assert_eq!(c.source, DataSource::Manuel);
    assert_eq!(c.feed_min, None);
    assert_eq!(c.feed_max, Some(0.2));
    let unknown = CuttingData {
        source: "catalogue".into(),
        ..cd
    };
    assert!(CuttingDataCandidate::from_cutting_data(&unknown).is_none());
    assert_eq!(
        DataSource::from_code(" BASE_INTERNE "),
        Some(DataSource::BaseInterne)
    );
}

/// Deterministic: the same request gives the same output, field by field.
#[test]
fn deterministic() {
    let mut r = CuttingRequest::new(end_mill_12(ToolKind::Fraisage, 4), IsoGroup::N);
    r.ae_mm = Some(1.2);
    r.machine = lathe(5.5, 6000.0);
    assert_eq!(compute(&r), compute(&r));
    assert_eq!(codes_of(&compute(&r)), codes_of(&compute(&r)));
}

fn kind_strategy() -> impl Strategy<Value = ToolKind> {
    prop_oneof![
        Just(ToolKind::Tournage),
        Just(ToolKind::Alesage),
        Just(ToolKind::Tronconnage),
        Just(ToolKind::Fraisage),
        Just(ToolKind::Surfacage),
        Just(ToolKind::Percage),
        Just(ToolKind::Taraudage),
    ]
}

fn group_strategy() -> impl Strategy<Value = IsoGroup> {
    prop_oneof![
        Just(IsoGroup::P),
        Just(IsoGroup::M),
        Just(IsoGroup::K),
        Just(IsoGroup::N),
        Just(IsoGroup::S),
        Just(IsoGroup::H),
    ]
}

fn any_f64() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        Just(None),
        Just(Some(f64::NAN)),
        Just(Some(f64::INFINITY)),
        Just(Some(0.0)),
        (-1e6f64..1e6).prop_map(Some),
        (0.01f64..200.0).prop_map(Some),
    ]
}

proptest! {
    /// n·π·D/1000 equals the Vc applied (capped or not), and n never exceeds the machine max.
    #[test]
    fn prop_speed_matches_applied_vc(
        kind in kind_strategy(),
        group in group_strategy(),
        d in 0.5f64..400.0,
        max_rpm in prop::option::of(100.0f64..30000.0),
    ) {
        let mut tool = CuttingTool::new(kind);
        tool.diameter_mm = Some(d);
        tool.teeth = Some(3);
        tool.thread_pitch_mm = Some(1.0);
        let mut r = CuttingRequest::new(tool, group);
        r.work_diameter_mm = Some(d);
        r.machine = Some(MachineLimits { max_rpm, ..Default::default() });
        let c = compute(&r);
        let n = c.n_rpm.unwrap();
        let vc = c.vc_m_min.unwrap();
        prop_assert!((n * std::f64::consts::PI * d / 1000.0 - vc).abs() <= 1e-9 * vc.max(1.0));
        if let Some(m) = max_rpm {
            prop_assert!(n <= m + 1e-9);
        }
        prop_assert!(vc <= c.vc_data_m_min.unwrap() + 1e-9);
    }

    /// The power needed grows with ap (turning, boring, parting, milling), never decreases.
    #[test]
    fn prop_power_grows_with_ap(
        kind in prop_oneof![
            Just(ToolKind::Tournage),
            Just(ToolKind::Alesage),
            Just(ToolKind::Tronconnage),
            Just(ToolKind::Fraisage),
            Just(ToolKind::Surfacage),
        ],
        group in group_strategy(),
        ap1 in 0.05f64..30.0,
        extra in 0.0f64..30.0,
        ae in 0.1f64..20.0,
    ) {
        let tool = CuttingTool { diameter_mm: Some(16.0), teeth: Some(4), ..CuttingTool::new(kind) };
        let mut r = CuttingRequest::new(tool, group);
        r.work_diameter_mm = Some(80.0);
        r.ae_mm = Some(ae);
        r.ap_mm = Some(ap1);
        let p1 = compute(&r).power_required_kw.unwrap();
        r.ap_mm = Some(ap1 + extra);
        let c2 = compute(&r);
        let p2 = c2.power_required_kw.unwrap();
        prop_assert!(p2 >= p1 - 1e-12, "p1 {p1} p2 {p2}");
        prop_assert!(p1 > 0.0);
    }

    /// Any input, however broken: no panic, every number finite (or None), warnings when invalid.
    #[test]
    fn prop_never_panics(
        kind in kind_strategy(),
        group in group_strategy(),
        d in any_f64(),
        wd in any_f64(),
        ap in any_f64(),
        ae in any_f64(),
        pitch in any_f64(),
        vc in any_f64(),
        feed in any_f64(),
        rpm in any_f64(),
        kw in any_f64(),
        eta in any_f64(),
        ra in any_f64(),
        cap in -5.0f64..5.0,
        teeth in prop::option::of(0u32..8),
        finish in any::<bool>(),
        defaults in any::<bool>(),
    ) {
        let tool = CuttingTool {
            diameter_mm: d,
            teeth,
            thread_pitch_mm: pitch,
            nose_radius_mm: ra,
            entering_angle_deg: ae,
            ..CuttingTool::new(kind)
        };
        let mut r = CuttingRequest::new(tool, group);
        r.work_diameter_mm = wd;
        r.ap_mm = ap;
        r.ae_mm = ae;
        r.target_ra_um = ra;
        r.intent = if finish { Intent::Finition } else { Intent::Ebauche };
        r.settings.use_norm_defaults = defaults;
        r.settings.max_thinning_factor = cap;
        r.candidates = vec![CuttingDataCandidate {
            source: DataSource::Fournisseur,
            vc_min: vc,
            feed_min: feed,
            ..Default::default()
        }];
        r.machine = Some(MachineLimits { max_rpm: rpm, power_kw: kw, efficiency: eta, label: None });
        let c = compute(&r);
        for v in [
            c.vc_m_min, c.feed, c.ap_mm, c.ae_mm, c.n_rpm, c.vf_mm_min, c.q_cm3_min, c.hm_mm,
            c.kc_n_mm2, c.cutting_power_kw, c.power_required_kw, c.torque_nm,
        ]
        .into_iter()
        .flatten()
        {
            prop_assert!(v.is_finite() && v >= 0.0, "{v} in {c:?}");
        }
        prop_assert!(c.efficiency > 0.0 && c.efficiency <= 1.0);
        prop_assert_eq!(c.complete, c.to_fill_fr.is_empty());
        if c.vc_m_min.is_none() {
            prop_assert!(c.has_warning(codes::DONNEES_MANQUANTES));
        }
    }
}
