//! Routing generation for the worked example of docs/routing-engine.md: Ø45 IT7 × 65 in C45
//! with a Ø20 IT7 bore and an M10 tapped hole, 25 pieces, saw + lathe (bar Ø42) + 3-axis mill.
//! The estimate is computed once outside the measured loop.

use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use std::hint::black_box;
use usinage_engines::estimate::{
    CuttingData, Envelope, Feature, IsoGroup, Machine, MachineKind, Material, PartSpec,
    PricingSettings, PurchasePrice, ShapeClass, ShopContext, TimeStandards, Tolerance, ToolKind,
    estimate,
};
use usinage_engines::routing::{
    CribTool, Instrument, RoutingInput, RoutingSettings, check_machine, generate,
};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn machine(id: i64, code: &str, kind: MachineKind) -> Machine {
    Machine {
        id,
        code: code.into(),
        name: code.into(),
        kind,
        travel_x: None,
        travel_y: None,
        travel_z: None,
        max_bar_diameter: None,
        max_chuck_diameter: None,
        bar_feeder: false,
        max_rpm: None,
        power_kw: None,
        available: true,
        hourly_rate: dec("60"),
        operator_rate: None,
        load_hours: 0.0,
    }
}

fn machines() -> Vec<Machine> {
    vec![
        Machine {
            max_bar_diameter: Some(260.0),
            ..machine(1, "M01", MachineKind::Scie)
        },
        Machine {
            travel_z: Some(500.0),
            max_bar_diameter: Some(42.0),
            max_chuck_diameter: Some(210.0),
            bar_feeder: true,
            max_rpm: Some(4000.0),
            ..machine(2, "M02", MachineKind::Tour)
        },
        Machine {
            travel_x: Some(762.0),
            travel_y: Some(406.0),
            travel_z: Some(508.0),
            max_rpm: Some(8100.0),
            ..machine(4, "M04", MachineKind::Fraiseuse3Axes)
        },
    ]
}

fn shop() -> ShopContext {
    let mut cutting = Vec::new();
    for (kind, vc, f) in [
        (ToolKind::Tournage, 200.0, 0.25),
        (ToolKind::Alesage, 170.0, 0.12),
        (ToolKind::Tronconnage, 110.0, 0.06),
        (ToolKind::Fraisage, 160.0, 0.05),
        (ToolKind::Surfacage, 240.0, 0.15),
        (ToolKind::Percage, 95.0, 0.15),
        (ToolKind::Taraudage, 15.0, 0.0),
    ] {
        cutting.push(CuttingData {
            tool_kind: kind,
            iso_group: IsoGroup::P,
            vc_min: vc,
            vc_max: vc,
            feed_min: f,
            feed_max: f,
            ap_max: None,
            ae_max: None,
            source: "fournisseur".into(),
        });
    }
    ShopContext {
        machines: machines(),
        activity_rates: vec![
            ("programmation".into(), dec("72")),
            ("controle".into(), dec("58")),
            ("ebavurage".into(), dec("42")),
        ],
        cutting_data: cutting,
        stock: vec![],
        purchase_prices: vec![PurchasePrice {
            grade_id: 2,
            price_per_kg: dec("2.30"),
            certified_price_per_kg: None,
            certificate_fee: Decimal::ZERO,
            lead_days: 3,
        }],
        subcontract_prices: vec![],
        tools: vec![],
        settings: PricingSettings::default(),
        times: TimeStandards::default(),
    }
}

fn part() -> PartSpec {
    PartSpec {
        shape: ShapeClass::Turned,
        envelope: Envelope::Round {
            diameter: 45.0,
            length: 65.0,
        },
        material: Material {
            grade_id: 2,
            label: "C45".into(),
            iso_group: IsoGroup::P,
            density: 7.85,
        },
        features: vec![
            Feature::ExternalTurning {
                diameter: 45.0,
                length: 65.0,
                tolerance: Some(Tolerance::It { grade: 7 }),
                ra: Some(1.6),
            },
            Feature::Bore {
                diameter: 20.0,
                depth: 30.0,
                tolerance: Some(Tolerance::It { grade: 7 }),
                ra: Some(1.6),
            },
            Feature::Threads {
                count: 1,
                designation: "M10".into(),
                depth: 15.0,
                external: false,
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
        quantities: vec![25],
    }
}

fn bench_routing(c: &mut Criterion) {
    let spec = part();
    let est = estimate(&spec, &shop());
    let park = machines();
    let tools: Vec<CribTool> = [
        (1, ToolKind::Tournage, 0.0),
        (16, ToolKind::Alesage, 0.0),
        (40, ToolKind::Percage, 8.5),
        (47, ToolKind::Percage, 18.0),
        (430, ToolKind::Taraudage, 10.0),
    ]
    .into_iter()
    .map(|(id, kind, diameter)| CribTool {
        id,
        code: format!("T{id}"),
        label: format!("T{id}"),
        kind,
        diameter,
        quantity: 3,
    })
    .collect();
    let instruments: Vec<Instrument> = [
        ("I01", "pied_a_coulisse", Some((0.0, 150.0)), None),
        ("I05", "micrometre", Some((25.0, 50.0)), None),
        ("I10", "tampon_lisse", None, Some("Ø20 H7")),
        ("I18", "tampon_filete", None, Some("M10-6H")),
        ("I14", "rugosimetre", None, None),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (code, ty, range, size))| Instrument {
        id: i as i64 + 1,
        code: code.into(),
        name: code.into(),
        instrument_type: ty.into(),
        range_min: range.map(|r: (f64, f64)| r.0),
        range_max: range.map(|r| r.1),
        size: size.map(str::to_string),
        usable: true,
    })
    .collect();
    let settings = RoutingSettings::default();
    let activities = vec!["usinage".to_string()];
    let input = RoutingInput {
        spec: &spec,
        estimate: &est,
        quantity: 25,
        drawing_ref: "PL-2041 A",
        settings: &settings,
        activities: &activities,
        tools: &tools,
        instruments: &instruments,
        machines: &park,
        critical: false,
        treatments: &[],
        control_sheet_required: false,
    };
    assert_eq!(
        generate(&input).debit.unwrap().label_fr,
        "Débit Ø50×68 — 26 pcs"
    );
    c.bench_function("routing/generate_worked_example", |b| {
        b.iter(|| generate(black_box(&input)))
    });
    c.bench_function("routing/check_machine_lathe", |b| {
        b.iter(|| {
            check_machine(
                black_box(usinage_engines::estimate::ProcessKind::Tournage),
                black_box(&park[1]),
                black_box(&spec),
                black_box(est.raw_stock.as_ref()),
            )
        })
    });
}

criterion_group!(benches, bench_routing);
criterion_main!(benches);
