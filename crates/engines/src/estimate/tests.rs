use super::formulas as f;
use super::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

// ------------------------------------------------------------------ fixtures (DEMO-SHOP §2–6)

#[allow(clippy::too_many_arguments)]
fn machine(
    id: i64,
    code: &str,
    kind: MachineKind,
    travel: (f64, f64, f64),
    bar: Option<f64>,
    chuck: Option<f64>,
    rpm: Option<f64>,
    rate: &str,
) -> Machine {
    Machine {
        id,
        code: code.into(),
        name: code.into(),
        kind,
        travel_x: (travel.0 > 0.0).then_some(travel.0),
        travel_y: (travel.1 > 0.0).then_some(travel.1),
        travel_z: (travel.2 > 0.0).then_some(travel.2),
        max_bar_diameter: bar,
        max_chuck_diameter: chuck,
        bar_feeder: bar.is_some() && kind.is_lathe(),
        max_rpm: rpm,
        power_kw: None,
        available: true,
        hourly_rate: d(rate),
        operator_rate: None,
        load_hours: 0.0,
    }
}

fn demo_machines() -> Vec<Machine> {
    use MachineKind::*;
    vec![
        machine(
            1,
            "M01",
            Scie,
            (0.0, 0.0, 0.0),
            Some(260.0),
            None,
            None,
            "45",
        ),
        machine(
            2,
            "M02",
            TourFraiseur,
            (0.0, 0.0, 533.0),
            Some(51.0),
            Some(210.0),
            Some(4000.0),
            "75",
        ),
        machine(
            3,
            "M03",
            TourFraiseur,
            (0.0, 0.0, 600.0),
            Some(76.0),
            Some(254.0),
            Some(4000.0),
            "75",
        ),
        machine(
            4,
            "M04",
            Fraiseuse3Axes,
            (762.0, 406.0, 508.0),
            None,
            None,
            Some(8100.0),
            "70",
        ),
        machine(
            5,
            "M05",
            Fraiseuse5Axes,
            (650.0, 520.0, 475.0),
            None,
            None,
            Some(15000.0),
            "105",
        ),
        machine(
            6,
            "M06",
            Soudure,
            (1200.0, 800.0, 0.0),
            None,
            None,
            None,
            "58",
        ),
        machine(7, "M07", Mmt, (500.0, 400.0, 400.0), None, None, None, "85"),
        machine(
            8,
            "M08",
            Rectifieuse,
            (460.0, 150.0, 0.0),
            None,
            None,
            None,
            "68",
        ),
    ]
}

fn cd(kind: ToolKind, g: IsoGroup, vc: f64, feed: f64) -> CuttingData {
    CuttingData {
        tool_kind: kind,
        iso_group: g,
        vc_min: vc,
        vc_max: vc,
        feed_min: feed,
        feed_max: feed,
        ap_max: None,
        ae_max: None,
        source: "fournisseur".into(),
    }
}

fn demo_cutting_data() -> Vec<CuttingData> {
    use IsoGroup::*;
    use ToolKind::*;
    let mut v = Vec::new();
    for (g, turn, mill, drill, tap) in [
        (P, (200.0, 0.25), (160.0, 0.05), (95.0, 0.15), 15.0),
        (M, (160.0, 0.2), (80.0, 0.04), (50.0, 0.09), 6.0),
        (N, (500.0, 0.12), (450.0, 0.06), (160.0, 0.18), 30.0),
    ] {
        v.push(cd(Tournage, g, turn.0, turn.1));
        v.push(cd(Alesage, g, turn.0 * 0.85, 0.12));
        v.push(cd(Tronconnage, g, turn.0 * 0.55, 0.06));
        v.push(cd(Fraisage, g, mill.0, mill.1));
        v.push(cd(Surfacage, g, mill.0 * 1.5, 0.15));
        v.push(cd(Percage, g, drill.0, drill.1));
        v.push(cd(Taraudage, g, tap, 0.0));
    }
    v
}

fn demo_shop() -> ShopContext {
    ShopContext {
        machines: demo_machines(),
        activity_rates: vec![
            ("programmation".into(), d("72")),
            ("controle".into(), d("58")),
            ("controle_mmt".into(), d("85")),
            ("ebavurage".into(), d("42")),
        ],
        cutting_data: demo_cutting_data(),
        stock: vec![],
        purchase_prices: vec![
            PurchasePrice {
                grade_id: 3,
                price_per_kg: d("3.20"),
                certified_price_per_kg: Some(d("3.60")),
                certificate_fee: d("25"),
                lead_days: 3,
            },
            PurchasePrice {
                grade_id: 11,
                price_per_kg: d("11.50"),
                certified_price_per_kg: Some(d("12.50")),
                certificate_fee: d("25"),
                lead_days: 4,
            },
            PurchasePrice {
                grade_id: 12,
                price_per_kg: d("68"),
                certified_price_per_kg: Some(d("68")),
                certificate_fee: d("40"),
                lead_days: 10,
            },
        ],
        subcontract_prices: vec![SubcontractPrice {
            treatment: "anodisation".into(),
            supplier: "S07 Anodia Surfaces".into(),
            basis: SubcontractBasis::PerPiece(d("3.50")),
            lot_charge: d("95"),
            min_charge: d("95"),
            lead_days: 5,
        }],
        tools: vec![],
        settings: PricingSettings::default(),
        times: TimeStandards::default(),
    }
}

fn steel_42crmo4() -> Material {
    Material {
        grade_id: 3,
        label: "42CrMo4".into(),
        iso_group: IsoGroup::P,
        density: 7.85,
    }
}

/// P1-like shaft Ø30 × 120 with two Ø25 IT6 bearing seats and a keyway.
fn turned_part() -> PartSpec {
    PartSpec {
        shape: ShapeClass::Turned,
        envelope: Envelope::Round {
            diameter: 30.0,
            length: 120.0,
        },
        material: steel_42crmo4(),
        features: vec![
            Feature::ExternalTurning {
                diameter: 30.0,
                length: 40.0,
                tolerance: None,
                ra: Some(3.2),
            },
            Feature::ExternalTurning {
                diameter: 25.0,
                length: 40.0,
                tolerance: Some(Tolerance::It { grade: 6 }),
                ra: Some(0.8),
            },
            Feature::ExternalTurning {
                diameter: 25.0,
                length: 40.0,
                tolerance: Some(Tolerance::It { grade: 6 }),
                ra: Some(0.8),
            },
            Feature::Slot {
                length: 25.0,
                width: 8.0,
                depth: 4.0,
            },
        ],
        tightest_tolerance: None,
        general_tolerance_class: Some('m'),
        gdt_count: 0,
        treatments: vec![],
        critical: false,
        allow_certified: false,
        net_mass_kg: None,
        setups: None,
        quantities: vec![1, 10, 50, 100],
    }
}

/// P2-like bracket 80 × 50 × 20 in 7075 with a pocket, two Ø6 H7 bores, four M5, anodised.
fn prismatic_part() -> PartSpec {
    PartSpec {
        shape: ShapeClass::Prismatic,
        envelope: Envelope::Block {
            length: 80.0,
            width: 50.0,
            height: 20.0,
        },
        material: Material {
            grade_id: 11,
            label: "7075-T651".into(),
            iso_group: IsoGroup::N,
            density: 2.81,
        },
        features: vec![
            Feature::Face {
                length: 80.0,
                width: 50.0,
                stock: 2.0,
                ra: Some(1.6),
            },
            Feature::Pocket {
                length: 40.0,
                width: 30.0,
                depth: 10.0,
                ra: Some(1.6),
            },
            Feature::Bore {
                diameter: 6.0,
                depth: 20.0,
                tolerance: Some(Tolerance::It { grade: 7 }),
                ra: None,
            },
            Feature::Bore {
                diameter: 6.0,
                depth: 20.0,
                tolerance: Some(Tolerance::It { grade: 7 }),
                ra: None,
            },
            Feature::Threads {
                count: 4,
                designation: "M5".into(),
                depth: 10.0,
                external: false,
            },
        ],
        tightest_tolerance: Some(Tolerance::PlusMinus { value: 0.05 }),
        general_tolerance_class: Some('m'),
        gdt_count: 1,
        treatments: vec![Treatment {
            code: "anodisation".into(),
            label_fr: "Anodisation noire".into(),
        }],
        critical: false,
        allow_certified: false,
        net_mass_kg: Some(0.16),
        setups: Some(2),
        quantities: vec![1, 10, 50, 100],
    }
}

fn op(e: &Estimate, p: ProcessKind) -> &Operation {
    e.operations
        .iter()
        .find(|o| o.process == p)
        .unwrap_or_else(|| panic!("no {p:?} operation"))
}

fn machine_code(o: &Operation) -> Option<&str> {
    match &o.resource {
        Resource::Machine { code, .. } => Some(code),
        _ => None,
    }
}

// ------------------------------------------------------------------ NORMS worked examples

#[test]
fn worked_example_a_turning_c45() {
    let n = f::spindle_speed(220.0, 60.0);
    assert!(close(n, 1167.0, 0.5), "{n}");
    let vf = f::feed_rate_turning(0.25, n);
    assert!(close(vf, 292.0, 0.5), "{vf}");
    let t = f::turning_pass_time(100.0, 2.0, 0.25, n);
    assert!(close(t * 60.0, 21.0, 0.05), "{}", t * 60.0);
    let hm = 0.25 * 95f64.to_radians().sin();
    let kc = f::specific_cutting_force(1500.0, hm, 0.22);
    assert!(close(kc, 2037.0, 1.5), "{kc}");
    assert!(close(f::mrr_turning(220.0, 2.0, 0.25), 110.0, 1e-9));
    let pc = f::power_turning(220.0, 2.0, 0.25, kc);
    assert!(close(pc, 3.73, 0.005), "{pc}");
    assert!(close(pc / 0.8, 4.67, 0.01));
    let torque = pc * 30_000.0 / (std::f64::consts::PI * n);
    assert!(close(torque, 30.5, 0.05), "{torque}");
    // Facing Ø60 at Vc 220, f 0.2, n_max 4000: r_lim 8.75 mm, ≈ 4.2 s.
    let (tf, r_lim) = f::facing_time(30.0, 0.0, 220.0, 0.2, Some(4000.0));
    assert!(close(r_lim, 8.75, 0.01), "{r_lim}");
    assert!(close(tf * 60.0, 4.2, 0.05), "{}", tf * 60.0);
}

#[test]
fn worked_example_b_milling_7075() {
    let n = f::spindle_speed(400.0, 12.0);
    assert!(close(n, 10_610.0, 1.0), "{n}");
    let vf = f::feed_rate_milling(0.06, 3, n);
    assert!(close(vf, 1910.0, 1.0), "{vf}");
    let phi = (1.0 - 2.0 * 3.0 / 12.0f64).acos();
    let hm = 0.06 * (2.0 * 3.0 / 12.0) / phi;
    assert!(close(hm, 0.0286, 0.0001), "{hm}");
    let kc = f::specific_cutting_force(800.0, hm, 0.25);
    assert!(close(kc, 1945.0, 2.0), "{kc}");
    let q = f::mrr_milling(10.0, 3.0, vf);
    assert!(close(q, 57.3, 0.05), "{q}");
    let pc = f::power_milling(10.0, 3.0, vf, kc);
    assert!(close(pc, 1.86, 0.01), "{pc}");
    let la = f::side_milling_entry(3.0, 12.0);
    assert!(close(la, 5.2, 0.01), "{la}");
    let t = f::milling_time(150.0, la, 4.0, vf);
    assert!(close(t * 60.0, 5.0, 0.05), "{}", t * 60.0);
    // Capped at 8 000 rpm: Vc falls to 302 m/min.
    let (nc, capped) = f::capped_speed(400.0, 12.0, Some(8000.0));
    assert!(capped && nc == 8000.0);
    assert!(close(f::cutting_speed(12.0, nc), 302.0, 0.5));
}

#[test]
fn worked_example_c_drilling_and_tapping_c45() {
    let lp = f::drill_point_length(10.0, 140.0);
    assert!(close(lp, 1.82, 0.01), "{lp}");
    let n = f::spindle_speed(80.0, 10.0);
    assert!(close(n, 2546.0, 0.5), "{n}");
    assert!(close(f::feed_rate_turning(0.2, n), 509.0, 0.5));
    let t = f::drilling_time(25.0, lp, 2.0, 0.2, n);
    assert!(close(t * 60.0, 3.4, 0.05), "{}", t * 60.0);
    let kc = f::specific_cutting_force(1500.0, 0.1 * 70f64.to_radians().sin(), 0.22);
    assert!(close(kc, 2524.0, 3.0), "{kc}");
    let nt = f::spindle_speed(15.0, 10.0);
    assert!(close(nt, 477.0, 0.5), "{nt}");
    assert!(close(nt * 1.5, 716.0, 0.5));
    let tt = f::tapping_time(20.0, 3.0, nt, 1.5);
    assert!(close(tt * 60.0, 3.9, 0.05), "{}", tt * 60.0);
}

#[test]
fn demo_shop_rpm_cap_ø3_end_mill_on_m04() {
    // DEMO-SHOP: Ø3 at Vc 150 needs 15 915 rpm, capped at 8 100 → effective Vc 76 m/min.
    let (n, capped) = f::capped_speed(150.0, 3.0, Some(8100.0));
    assert!(capped);
    assert!(close(f::spindle_speed(150.0, 3.0), 15_915.0, 1.0));
    assert!(close(f::cutting_speed(3.0, n), 76.0, 0.5));
}

#[test]
fn roughness_feed_and_finishing_strategy() {
    // §3.3 example: Ra 1.6, rε 0.8 → f = 0.20 theoretical → ≈ 0.14 with the 1.4 factor.
    let f_th = (1.6f64 * 32.0 * 0.8 / 1000.0).sqrt();
    assert!(close(f_th, 0.20, 0.005));
    assert!(close(f::feed_for_ra(1.6, 0.8), 0.143, 0.002));
    // Roughing at 0.25: Rt = 9.8 µm, Ra ≈ 2.4 µm.
    assert!(close(1000.0 * 0.25f64.powi(2) / (8.0 * 0.8), 9.8, 0.05));
    assert!(close(f::turning_ra(0.25, 0.8), 2.44, 0.01));
    assert_eq!(f::finish_for_ra(3.2), f::Finish::Normale);
    assert_eq!(f::finish_for_ra(1.6), f::Finish::Reduite);
    assert_eq!(f::finish_for_ra(0.8), f::Finish::Fine);
    assert_eq!(f::finish_for_ra(0.4), f::Finish::Rectification);
}

#[test]
fn tolerance_grades_and_iso2768() {
    // ±0.01 on Ø25 = 20 µm: IT6 (13) ≤ 20 < IT7 (21) → IT6-capable process.
    assert_eq!(f::it_grade_for_width(25.0, 20.0), 6);
    // 21 µm on Ø25 is exactly IT7.
    assert_eq!(f::it_grade_for_width(25.0, 21.0), 7);
    assert_eq!(f::it_grade_for_width(25.0, 5.0), 5);
    assert_eq!(f::it_grade_for_width(25.0, 1000.0), 12);
    // ISO 2768-m: 85 → ±0.3; 120 → ±0.3 ("up to and including"); f below 0.5 mm → none.
    assert_eq!(f::iso2768_linear('m', 85.0), Some(0.3));
    assert_eq!(f::iso2768_linear('m', 120.0), Some(0.3));
    assert_eq!(f::iso2768_linear('v', 2.0), None);
    assert_eq!(f::iso2768_linear('c', 500.0), Some(2.0));
    // The prismatic part: ±0.05 on 80 mm = 100 µm → IT9 (74 ≤ 100 < 120).
    let (g, why) = tightest_it(&prismatic_part()).unwrap();
    assert_eq!(g, 7, "{why}"); // the H7 bores win over ±0.05
}

#[test]
fn thread_designations() {
    assert_eq!(times::parse_thread("M8"), Some((8.0, 1.25)));
    assert_eq!(times::parse_thread("M10x1,25"), Some((10.0, 1.25)));
    assert_eq!(times::parse_thread("m10 × 1.25"), Some((10.0, 1.25)));
    assert_eq!(times::parse_thread("M12-6H"), Some((12.0, 1.75)));
    assert_eq!(times::parse_thread("G1/4"), Some((13.157, 1.337)));
    assert_eq!(times::parse_thread("UNC 1/4-20"), None);
}

// ------------------------------------------------------------------ raw stock

#[test]
fn raw_stock_allowances_give_debit_ø50_x_70() {
    // DOMAIN example "Débit Ø50 longueur 70": Ø46 × 67 turned part, chucked (no bar feeder).
    let mut spec = turned_part();
    spec.envelope = Envelope::Round {
        diameter: 46.0,
        length: 67.0,
    };
    spec.features.truncate(1);
    spec.features[0] = Feature::ExternalTurning {
        diameter: 46.0,
        length: 67.0,
        tolerance: None,
        ra: None,
    };
    let mut shop = demo_shop();
    for m in &mut shop.machines {
        m.bar_feeder = false;
    }
    let e = estimate(&spec, &shop);
    let raw = e.raw_stock.as_ref().unwrap();
    assert_eq!(raw.section, Section::Round { diameter: 50.0 }); // 46 + 2 = 48 → Ø50 standard
    assert_eq!(raw.blank_length, 70.0); // 67 + 3 facing
    assert_eq!(raw.consumed_length, 72.0); // + 2 kerf
    assert_eq!(raw.debit_fr, "Débit Ø50 × 70");
    assert!(!raw.bar_fed);
    assert_eq!(op(&e, ProcessKind::Debit).description_fr, "Débit Ø50 × 70");
    // Mass: π/4 · 50² · 72 · 7.85e-6 = 1.110 kg.
    assert!(close(raw.mass_kg, 1.110, 0.001), "{}", raw.mass_kg);
}

#[test]
fn bar_fed_turning_has_no_saw_cut_and_uses_parting_allowance() {
    let e = estimate(&turned_part(), &demo_shop());
    let raw = e.raw_stock.as_ref().unwrap();
    assert!(raw.bar_fed, "Ø32 fits M02's Ø51 bar feeder");
    assert_eq!(raw.section, Section::Round { diameter: 32.0 });
    assert_eq!(raw.consumed_length, 124.0); // 120 + 1 facing + 3 parting
    assert!(e.operations.iter().all(|o| o.process != ProcessKind::Debit));
}

fn stock(id: i64, dia: f64, len: f64, offcut: bool, cert: bool, cost: &str) -> StockCandidate {
    StockCandidate {
        id,
        label: format!("{} Ø{dia} × {len}", if offcut { "Chute" } else { "Barre" }),
        grade_id: 3,
        section: Section::Round { diameter: dia },
        length: len,
        pieces: 1,
        certified: cert,
        is_offcut: offcut,
        cost_per_kg: d(cost),
    }
}

#[test]
fn offcut_first_then_bar_then_bought() {
    let spec = turned_part();
    let mut shop = demo_shop();
    shop.stock = vec![
        stock(10, 35.0, 3000.0, false, false, "3.00"),
        stock(11, 32.0, 400.0, true, false, "3.00"), // 3 parts of 124 mm
        stock(12, 80.0, 500.0, true, false, "3.00"), // too large a section: never offered
    ];
    let e = estimate(&spec, &shop);
    let raw = e.raw_stock.as_ref().unwrap();
    let ids: Vec<_> = raw.proposed.iter().map(|p| p.stock_id).collect();
    assert_eq!(ids, vec![Some(11), Some(10)], "offcut first, Ø80 rejected");
    let q1 = &e.breaks[0];
    assert_eq!(q1.material_sources.len(), 1);
    assert_eq!(q1.material_sources[0].stock_id, Some(11));
    let q100 = e.breaks.iter().find(|b| b.quantity == 100).unwrap();
    let parts: Vec<_> = q100
        .material_sources
        .iter()
        .map(|s| (s.stock_id, s.parts))
        .collect();
    assert_eq!(parts, vec![(Some(11), 3), (Some(10), 24), (None, 73)]);
}

#[test]
fn certified_stock_rule_both_ways() {
    let mut shop = demo_shop();
    shop.stock = vec![
        stock(20, 32.0, 400.0, true, false, "3.00"),
        stock(21, 32.0, 3000.0, false, true, "3.40"),
    ];
    // Non-critical: the certified bar is never taken…
    let spec = turned_part();
    let e = estimate(&spec, &shop);
    let ids: Vec<_> = e
        .raw_stock
        .as_ref()
        .unwrap()
        .proposed
        .iter()
        .map(|p| p.stock_id)
        .collect();
    assert_eq!(ids, vec![Some(20)]);
    // …unless direction allows it, and then after the uncertified offcut.
    let mut allowed = turned_part();
    allowed.allow_certified = true;
    let e = estimate(&allowed, &shop);
    let ids: Vec<_> = e
        .raw_stock
        .as_ref()
        .unwrap()
        .proposed
        .iter()
        .map(|p| p.stock_id)
        .collect();
    assert_eq!(ids, vec![Some(20), Some(21)]);
    // Critical: only certified stock; the uncertified offcut is refused.
    let mut critical = turned_part();
    critical.critical = true;
    let e = estimate(&critical, &shop);
    let raw = e.raw_stock.as_ref().unwrap();
    assert!(raw.certified_required);
    let ids: Vec<_> = raw.proposed.iter().map(|p| p.stock_id).collect();
    assert_eq!(ids, vec![Some(21)]);
    // Critical with nothing certified in stock: bought with a 3.1 certificate at the certified price.
    shop.stock.truncate(1);
    let e = estimate(&critical, &shop);
    let src = &e.breaks[0].material_sources;
    assert_eq!(src.len(), 1);
    assert!(src[0].stock_id.is_none() && src[0].certified);
    assert!(src[0].label.contains("certificat 3.1"));
    assert_eq!(src[0].cost_per_kg, d("3.60"));
    // Mass 0.7829 kg (Ø32 × 124 × 7.85) × 3.60 × 1.05 + 25 certificate = 27.96.
    assert_eq!(e.breaks[0].material_cost, d("27.96"));
}

// ------------------------------------------------------------------ machines

#[test]
fn ø80_bar_is_not_for_a_lathe_with_65_bar_capacity() {
    let mut spec = turned_part();
    spec.envelope = Envelope::Round {
        diameter: 78.0,
        length: 100.0,
    };
    spec.features = vec![Feature::ExternalTurning {
        diameter: 78.0,
        length: 100.0,
        tolerance: None,
        ra: None,
    }];
    let mut shop = demo_shop();
    shop.machines = vec![
        machine(
            1,
            "M01",
            MachineKind::Scie,
            (0.0, 0.0, 0.0),
            Some(260.0),
            None,
            None,
            "45",
        ),
        machine(
            31,
            "T65",
            MachineKind::Tour,
            (0.0, 0.0, 600.0),
            Some(65.0),
            None,
            Some(4000.0),
            "60",
        ),
        machine(
            32,
            "T102",
            MachineKind::Tour,
            (0.0, 0.0, 600.0),
            Some(102.0),
            None,
            Some(3000.0),
            "80",
        ),
    ];
    let e = estimate(&spec, &shop);
    assert_eq!(
        e.raw_stock.as_ref().unwrap().section,
        Section::Round { diameter: 90.0 }
    );
    let t = op(&e, ProcessKind::Tournage);
    assert_eq!(machine_code(t), Some("T102"));
    let t65 = t.candidates.iter().find(|c| c.code == "T65").unwrap();
    assert!(!t65.capable);
    assert!(
        t65.reasons_fr[0].contains("dépasse la capacité barre Ø65"),
        "{:?}",
        t65.reasons_fr
    );
    assert!(t.why_fr.contains("seule machine capable"), "{}", t.why_fr);
    // Without the big lathe: blocking item, the estimate is not complete.
    shop.machines.retain(|m| m.code != "T102");
    let e = estimate(&spec, &shop);
    let b: Vec<_> = e.blocking().collect();
    assert_eq!(b.len(), 1);
    assert!(
        b[0].message_fr
            .starts_with("Aucune machine de l'atelier ne peut réaliser l'opération « tournage »"),
        "{}",
        b[0].message_fr
    );
    assert!(!e.complete);
    assert_eq!(op(&e, ProcessKind::Tournage).resource, Resource::None);
}

#[test]
fn five_axis_only_feature() {
    let mut spec = prismatic_part();
    spec.features.push(Feature::Freeform5Axis {
        area_mm2: 1500.0,
        depth: 5.0,
    });
    let e = estimate(&spec, &demo_shop());
    let m = op(&e, ProcessKind::Fraisage);
    assert_eq!(machine_code(m), Some("M05"));
    let m04 = m.candidates.iter().find(|c| c.code == "M04").unwrap();
    assert!(!m04.capable);
    assert!(m04.reasons_fr[0].contains("3 axes"));
    // Drilling stays in the same clamping, on the same machine, with no new clamping setup.
    let p = op(&e, ProcessKind::PercageTaraudage);
    assert_eq!(machine_code(p), Some("M05"));
    assert!(p.setup_h_raw < 0.5);
    // No 5-axis machine → blocking.
    let mut shop = demo_shop();
    shop.machines.retain(|m| m.code != "M05");
    let e = estimate(&spec, &shop);
    assert!(e.blocking().any(|i| i.message_fr.contains("fraisage")));
    // Without the free-form surface the cheaper 3-axis M04 wins.
    let e = estimate(&prismatic_part(), &demo_shop());
    assert_eq!(machine_code(op(&e, ProcessKind::Fraisage)), Some("M04"));
}

#[test]
fn unavailable_machine_is_skipped_when_another_can() {
    let mut shop = demo_shop();
    shop.machines
        .iter_mut()
        .find(|m| m.code == "M04")
        .unwrap()
        .available = false;
    let e = estimate(&prismatic_part(), &shop);
    let m = op(&e, ProcessKind::Fraisage);
    assert_eq!(machine_code(m), Some("M05"));
    let m04 = m.candidates.iter().find(|c| c.code == "M04").unwrap();
    assert!(!m04.available);
}

#[test]
fn turned_part_with_keyway_stays_on_the_mill_turn() {
    let e = estimate(&turned_part(), &demo_shop());
    let t = op(&e, ProcessKind::Tournage);
    assert_eq!(machine_code(t), Some("M02"), "{}", t.why_fr);
    assert!(
        e.operations
            .iter()
            .all(|o| o.process != ProcessKind::Fraisage)
    );
    assert!(t.steps.iter().any(|s| s.label_fr.starts_with("Rainure")));
    // Ra 0.8 bearing seats: fine finishing feed √(0.8·32·0.8/1000)/1.4 = 0.1022 mm/rev.
    let fin = e
        .trace
        .iter()
        .find(|t| t.key == "tournage.f2.finition")
        .unwrap();
    assert!(
        fin.inputs
            .iter()
            .any(|(n, v)| n == "f" && v == "0.102 mm/tr"),
        "{:?}",
        fin.inputs
    );
}

// ------------------------------------------------------------------ cutting data

#[test]
fn missing_cutting_data_asks_a_question() {
    let mut spec = prismatic_part();
    spec.material = Material {
        grade_id: 12,
        label: "Ti-6Al-4V".into(),
        iso_group: IsoGroup::S,
        density: 4.42,
    };
    let e = estimate(&spec, &demo_shop());
    let q: Vec<_> = e.questions().map(|i| i.message_fr.as_str()).collect();
    assert!(
        q.iter().any(|m| m.starts_with(
            "Données de coupe manquantes pour fraisage en groupe S : saisir Vc et fz"
        )),
        "{q:?}"
    );
    assert!(q.iter().any(|m| {
        m.starts_with("Données de coupe manquantes pour taraudage en groupe S : saisir Vc")
    }));
    assert!(!e.complete);
    // Norm defaults were used and are visible as such in the trace.
    assert!(e.trace.iter().any(|t| t.source == TraceSource::DefautNorme));
    assert!(op(&e, ProcessKind::Fraisage).cycle_min > 0.0);
    // Shop data present → no question, no default.
    let e = estimate(&prismatic_part(), &demo_shop());
    assert_eq!(e.questions().count(), 0, "{:?}", e.issues);
    assert!(e.trace.iter().all(|t| t.source != TraceSource::DefautNorme));
    assert!(e.complete);
    // Defaults disabled: the question stays, nothing is guessed.
    let mut shop = demo_shop();
    shop.settings.use_norm_defaults = false;
    let e = estimate(&spec, &shop);
    assert!(e.trace.iter().all(|t| t.source != TraceSource::DefautNorme));
    assert!(e.questions().any(|i| i.code == "temps_incomplet_fraisage"));
}

// ------------------------------------------------------------------ times

#[test]
fn ten_percent_margin_on_times() {
    let e = estimate(&prismatic_part(), &demo_shop());
    for o in &e.operations {
        assert!(
            close(o.cycle_min, o.cycle_min_raw * 1.10, 1e-9),
            "{:?}",
            o.process
        );
        assert!(close(o.setup_h, o.setup_h_raw * 1.10, 1e-9));
        let sum: f64 = o.steps.iter().map(|s| s.minutes).sum();
        assert!(close(sum, o.cycle_min_raw, 1e-9), "{:?}", o.process);
    }
    let mut shop = demo_shop();
    shop.settings.time_margin_pct = 0.0;
    let e0 = estimate(&prismatic_part(), &shop);
    let m0 = op(&e0, ProcessKind::Fraisage);
    let m = op(&e, ProcessKind::Fraisage);
    assert!(close(m.cycle_min, m0.cycle_min * 1.1, 1e-9));
    assert!(close(e.programming_h, e0.programming_h * 1.1, 1e-9));
    let t = e.trace_item("op20.cycle").unwrap();
    assert_eq!(t.source, TraceSource::Parametres);
}

#[test]
fn control_time_grows_with_tightness() {
    let mut loose = prismatic_part();
    loose
        .features
        .retain(|f| !matches!(f, Feature::Bore { .. }));
    loose.tightest_tolerance = None;
    loose.gdt_count = 0;
    let mut tight = loose.clone();
    tight.tightest_tolerance = Some(Tolerance::It { grade: 6 });
    tight.gdt_count = 4;
    let shop = demo_shop();
    let a = estimate(&loose, &shop);
    let b = estimate(&tight, &shop);
    let ca = op(&a, ProcessKind::Controle);
    let cb = op(&b, ProcessKind::Controle);
    assert!(
        cb.cycle_min > ca.cycle_min * 5.0,
        "{} vs {}",
        cb.cycle_min,
        ca.cycle_min
    );
    // 4 GD&T frames → CMM.
    assert_eq!(machine_code(cb), Some("M07"));
    assert!(matches!(ca.resource, Resource::Activity { .. }));
}

// ------------------------------------------------------------------ prices

fn all_breaks_ok(e: &Estimate, s: &PricingSettings) {
    for b in &e.breaks {
        let [eco, std, exp] = [&b.scenarios[0], &b.scenarios[1], &b.scenarios[2]];
        assert_eq!(
            (eco.kind, std.kind, exp.kind),
            (
                ScenarioKind::Economique,
                ScenarioKind::Standard,
                ScenarioKind::Express
            )
        );
        assert!(
            eco.unit_price <= std.unit_price && std.unit_price <= exp.unit_price,
            "q{}",
            b.quantity
        );
        assert!(
            eco.lead_time_days >= std.lead_time_days && std.lead_time_days >= exp.lead_time_days
        );
        for sc in &b.scenarios {
            assert!(
                sc.margin_pct >= s.min_margin_pct,
                "{:?} {}",
                sc.kind,
                sc.margin_pct
            );
            assert!(check_price(b.total_cost, sc.total_price, s).is_ok());
            assert!(sc.unit_price.scale() <= 2);
            assert_eq!(sc.total_price, sc.unit_price * Decimal::from(b.quantity));
        }
        assert!(b.total_cost.scale() <= 2 && b.material_cost.scale() <= 2);
    }
}

#[test]
fn scenarios_are_ordered_and_never_below_min_margin() {
    let shop = demo_shop();
    for spec in [turned_part(), prismatic_part()] {
        let e = estimate(&spec, &shop);
        assert_eq!(e.breaks.len(), 4);
        all_breaks_ok(&e, &shop.settings);
    }
}

#[test]
fn economy_is_raised_to_the_minimum_margin() {
    // Hours-dominated part with rates that include 15 %: Économique at 0.93 gives < 8 %.
    let shop = demo_shop();
    let e = estimate(&turned_part(), &shop);
    let b = &e.breaks[1];
    let eco = &b.scenarios[0];
    assert!(eco.raised_to_min_margin, "{eco:?}");
    assert!(eco.note_fr.contains("marge minimum de 8 %"));
    let qd = Decimal::from(b.quantity);
    assert_eq!(eco.unit_price, ceil_cents(b.total_cost * d("1.08") / qd));
    assert!(
        eco.margin_pct >= d("8") && eco.margin_pct < d("8.2"),
        "{}",
        eco.margin_pct
    );
    let std = &b.scenarios[1];
    assert!(!std.raised_to_min_margin);
    // Standard = 15 % on cost within rounding.
    assert!(
        (std.margin_pct - d("15")).abs() < d("0.2"),
        "{}",
        std.margin_pct
    );
    all_breaks_ok(&e, &shop.settings);
    // With a milder coefficient nothing is raised.
    let mut shop = demo_shop();
    shop.settings.economy_coef = d("0.97");
    let e = estimate(&turned_part(), &shop);
    assert!(!e.breaks[1].scenarios[0].raised_to_min_margin);
}

#[test]
fn manual_price_below_minimum_is_refused_in_french() {
    let s = PricingSettings::default();
    let err = check_price(d("40"), d("42"), &s).unwrap_err();
    assert_eq!(
        err.message_fr(),
        "Prix refusé : 42,00 € HT donne une marge de 5 % sur le coût de revient (40,00 € HT), \
         inférieure à la marge minimum de 8 %. Prix minimum : 43,20 € HT."
    );
    assert_eq!(min_price(d("40"), &s), d("43.20"));
    assert!(check_price(d("40"), d("43.20"), &s).is_ok());
    assert!(check_price(d("40"), d("43.19"), &s).is_err());
    assert!(matches!(
        check_price(d("40"), d("0"), &s),
        Err(MarginError::NotPositive { .. })
    ));
    let big = check_price(d("12345.678"), d("1000"), &s)
        .unwrap_err()
        .message_fr();
    assert!(big.contains("12 345,68 € HT"), "{big}");
    assert!(big.contains("marge de -91,9 %"), "{big}");
}

#[test]
fn unit_price_decreases_with_quantity() {
    let shop = demo_shop();
    for spec in [turned_part(), prismatic_part()] {
        let e = estimate(&spec, &shop);
        for w in e.breaks.windows(2) {
            assert!(w[1].unit_cost < w[0].unit_cost);
            for k in 0..3 {
                assert!(
                    w[1].scenarios[k].unit_price < w[0].scenarios[k].unit_price,
                    "{:?} q{} → q{}",
                    w[0].scenarios[k].kind,
                    w[0].quantity,
                    w[1].quantity
                );
            }
        }
    }
}

#[test]
fn cents_rounding() {
    assert_eq!(cents(d("1.005")), d("1.01"));
    assert_eq!(cents(d("1.004999")), d("1.00"));
    assert_eq!(cents(d("-1.005")), d("-1.01"));
    assert_eq!(ceil_cents(d("43.2000001")), d("43.21"));
    assert_eq!(dec(0.123456), d("0.1235"));
    assert_eq!(pricing::eur(d("1234567.5")), "1 234 567,50 €");
    // A floor-raised unit price is rounded up so the rounded total still holds the margin.
    let s = PricingSettings::default();
    let sc = pricing::price_scenario(
        &pricing::ScenarioInput {
            kind: ScenarioKind::Economique,
            hours_coef: d("0.5"),
            quantity: 3,
            hours_cost: d("100"),
            other_cost: d("0"),
            total_cost: d("100"),
            lead_time_days: 30,
        },
        &s,
    );
    assert!(sc.raised_to_min_margin);
    assert_eq!(sc.unit_price, d("36.00"));
    assert_eq!(sc.total_price, d("108.00"));
    let sc = pricing::price_scenario(
        &pricing::ScenarioInput {
            kind: ScenarioKind::Standard,
            hours_coef: d("1"),
            quantity: 7,
            hours_cost: d("100"),
            other_cost: d("0"),
            total_cost: d("100"),
            lead_time_days: 5,
        },
        &s,
    );
    // 115 / 7 = 16.428… → 16.43; total 115.01.
    assert_eq!(sc.unit_price, d("16.43"));
    assert_eq!(sc.total_price, d("115.01"));
}

#[test]
fn min_line_amount() {
    let mut shop = demo_shop();
    shop.settings.min_line_amount = Some(d("150"));
    let mut spec = turned_part();
    spec.features.truncate(1);
    spec.quantities = vec![1];
    shop.activity_rates.retain(|(c, _)| c != "programmation");
    shop.activity_rates.push(("programmation".into(), d("1")));
    let e = estimate(&spec, &shop);
    let std = &e.breaks[0].scenarios[1];
    if std.raised_to_min_line {
        assert_eq!(std.total_price, d("150.00"));
    } else {
        assert!(std.total_price >= d("150"));
    }
}

#[test]
fn subcontract_lot_charge_and_minimum() {
    let e = estimate(&prismatic_part(), &demo_shop());
    // 95 € lot + 3.50 € per piece, minimum 95.
    let cost: Vec<_> = e.breaks.iter().map(|b| b.subcontract_cost).collect();
    assert_eq!(
        cost,
        vec![d("98.50"), d("130.00"), d("270.00"), d("445.00")]
    );
    let op = op(&e, ProcessKind::TraitementSousTraite);
    assert!(
        matches!(&op.resource, Resource::Subcontract { supplier, .. } if supplier.starts_with("S07"))
    );
    let mut shop = demo_shop();
    shop.subcontract_prices.clear();
    let e = estimate(&prismatic_part(), &shop);
    assert!(e.questions().any(|q| {
        q.message_fr
            .starts_with("Prix de sous-traitance manquant pour « Anodisation noire »")
    }));
}

#[test]
fn tools_to_buy_are_charged_once() {
    let mut shop = demo_shop();
    shop.tools = vec![
        ToolStock {
            tool_kind: ToolKind::Percage,
            diameter: 4.2,
            in_stock: 0,
            unit_price: Some(d("45")),
            label: "T37".into(),
        },
        ToolStock {
            tool_kind: ToolKind::Taraudage,
            diameter: 5.0,
            in_stock: 4,
            unit_price: Some(d("19")),
            label: "T43".into(),
        },
    ];
    let e = estimate(&prismatic_part(), &shop);
    let bought: Vec<_> = e
        .tools_to_buy
        .iter()
        .map(|t| (t.tool_kind, t.diameter))
        .collect();
    assert!(bought.contains(&(ToolKind::Percage, 4.2)));
    assert!(!bought.iter().any(|(k, _)| *k == ToolKind::Taraudage));
    // Unknown prices → questions; known ones summed once per line.
    assert!(
        e.questions()
            .any(|q| q.message_fr.contains("absent du magasin"))
    );
    assert!(e.breaks.iter().all(|b| b.tools_cost == d("45.00")));
}

#[test]
fn lead_time_from_load() {
    let mut shop = demo_shop();
    let e0 = estimate(&prismatic_part(), &shop);
    shop.machines
        .iter_mut()
        .find(|m| m.code == "M04")
        .unwrap()
        .load_hours = 78.0; // 10 days
    let e1 = estimate(&prismatic_part(), &shop);
    let s0 = e0.breaks[0].scenarios[1].lead_time_days;
    let s1 = e1.breaks[0].scenarios[1].lead_time_days;
    assert_eq!(s1, s0 + 10);
    // Express ignores the queue; Économique waits at least the economy minimum.
    assert_eq!(
        e1.breaks[0].scenarios[2].lead_time_days,
        e0.breaks[0].scenarios[2].lead_time_days
    );
    assert!(e1.breaks[0].scenarios[0].lead_time_days >= 30);
}

#[test]
fn express_within_48h_uses_the_48h_coefficient() {
    let mut shop = demo_shop();
    for p in &mut shop.purchase_prices {
        p.lead_days = 0;
    }
    let mut spec = turned_part();
    spec.quantities = vec![1, 500];
    let e = estimate(&spec, &shop);
    let x1 = &e.breaks[0].scenarios[2];
    assert!(x1.lead_time_days <= 2, "{}", x1.lead_time_days);
    assert_eq!(x1.hours_coef, d("1.5"));
    let x500 = &e.breaks[1].scenarios[2];
    assert!(x500.lead_time_days > 2);
    assert_eq!(x500.hours_coef, d("1.3"));
}

#[test]
fn trace_explains_every_price() {
    let e = estimate(&prismatic_part(), &demo_shop());
    for b in &e.breaks {
        let q = b.quantity;
        let t = e.trace_item(&format!("q{q}.cout_revient")).unwrap();
        assert_eq!(t.value, format!("{:.2}", b.total_cost));
        assert!(!t.formula.is_empty() && !t.inputs.is_empty());
        for name in ["economique", "standard", "express"] {
            let p = e.trace_item(&format!("q{q}.prix.{name}")).unwrap();
            assert!(p.inputs.iter().any(|(n, _)| n == "marge min"));
        }
    }
    // Pocket 40×30 in 7075: Ø12 end mill at Vc 450 needs 11 937 rpm > 8 100 on M04 → capped,
    // and the trace says so with the effective Vc.
    let n = e.trace_item("fraisage.m2.n").unwrap();
    assert_eq!(n.formula, "n = min(1000·Vc/(π·D), n_max)");
    assert_eq!(n.value, "8100");
    assert!(
        n.inputs
            .iter()
            .any(|(k, v)| k == "Vc effective" && v == "305 m/min"),
        "{:?}",
        n.inputs
    );
    assert_eq!(n.source, TraceSource::DonneesCoupe);
    // The M5 tap at 30 m/min is not capped.
    let t = e.trace_item("percage.m3.n").unwrap();
    assert_eq!(t.formula, "n = 1000·Vc/(π·D)");
    assert_eq!(t.value, "1909.859");
}

#[test]
fn deterministic_and_serializable() {
    let shop = demo_shop();
    let a = estimate(&prismatic_part(), &shop);
    let b = estimate(&prismatic_part(), &shop);
    assert_eq!(a, b);
    let json = serde_json::to_string(&a).unwrap();
    assert!(json.contains("\"kind\":\"standard\""));
    // Inputs round-trip through JSON (what a service stores).
    let spec_json = serde_json::to_string(&prismatic_part()).unwrap();
    let back: PartSpec = serde_json::from_str(&spec_json).unwrap();
    assert_eq!(back, prismatic_part());
    let shop_json = serde_json::to_string(&shop).unwrap();
    let back: ShopContext = serde_json::from_str(&shop_json).unwrap();
    assert_eq!(estimate(&prismatic_part(), &back), a);
}

#[test]
fn welded_and_bent_parts() {
    let mut spec = prismatic_part();
    spec.shape = ShapeClass::Welded;
    spec.features = vec![
        Feature::Weld { length: 1800.0 },
        Feature::Holes {
            count: 16,
            diameter: 11.0,
            depth: 8.0,
        },
    ];
    spec.treatments.clear();
    spec.net_mass_kg = Some(11.64);
    spec.material = steel_42crmo4();
    let e = estimate(&spec, &demo_shop());
    let w = op(&e, ProcessKind::Soudure);
    assert_eq!(machine_code(w), Some("M06"));
    // 1800 / (100 × 0.5) = 36 min raw.
    assert!(close(w.cycle_min_raw, 36.0, 1e-9));
    assert!(e.raw_stock.is_none());
    assert!(e.breaks[0].material_cost > Decimal::ZERO);
    let mut bent = spec.clone();
    bent.shape = ShapeClass::SheetBent;
    bent.features = vec![Feature::Bends { count: 4 }];
    let e = estimate(&bent, &demo_shop());
    assert!(
        e.blocking().any(|i| i.message_fr.contains("pliage")
            && i.message_fr.contains("aucune machine de ce type"))
    );
}
