//! The worked example of `docs/routing-engine.md` as data: a small shop (saw, CNC lathe with a
//! Ø42 bar feeder, 3-axis mill), its cutting data, crib and instruments, and the part (Ø45 h7 ×
//! 65 in C45 with a Ø20 H7 bore and an M10 tapped hole, 25 pieces). Used by the engine's tests,
//! its bench and the app's end-to-end checks, so they all speak of the same part.

use super::{CribTool, Instrument};
use crate::estimate::{
    CuttingData, Envelope, Feature, IsoGroup, Machine, MachineKind, Material, PartSpec,
    PricingSettings, PurchasePrice, ShapeClass, ShopContext, SubcontractBasis, SubcontractPrice,
    TimeStandards, Tolerance, ToolKind,
};
use rust_decimal::Decimal;

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn machine(id: i64, code: &str, kind: MachineKind) -> Machine {
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
        hourly_rate: d("60"),
        operator_rate: None,
        load_hours: 0.0,
    }
}

pub fn saw() -> Machine {
    Machine {
        name: "Scie à ruban".into(),
        max_bar_diameter: Some(260.0),
        hourly_rate: d("45"),
        ..machine(1, "M01", MachineKind::Scie)
    }
}

/// CNC lathe with a bar feeder for Ø42 and a Ø210 chuck.
pub fn lathe() -> Machine {
    Machine {
        name: "Tour CN".into(),
        travel_z: Some(500.0),
        max_bar_diameter: Some(42.0),
        max_chuck_diameter: Some(210.0),
        bar_feeder: true,
        max_rpm: Some(4000.0),
        power_kw: Some(14.9),
        hourly_rate: d("75"),
        ..machine(2, "M02", MachineKind::Tour)
    }
}

pub fn mill() -> Machine {
    Machine {
        name: "Centre d'usinage 3 axes".into(),
        travel_x: Some(762.0),
        travel_y: Some(406.0),
        travel_z: Some(508.0),
        max_rpm: Some(8100.0),
        hourly_rate: d("70"),
        ..machine(4, "M04", MachineKind::Fraiseuse3Axes)
    }
}

pub fn cutting_data() -> Vec<CuttingData> {
    let mut v = Vec::new();
    for (g, turn, milling, drill, tap) in [
        (
            IsoGroup::P,
            (200.0, 0.25),
            (160.0, 0.05),
            (95.0, 0.15),
            15.0,
        ),
        (
            IsoGroup::N,
            (500.0, 0.12),
            (450.0, 0.06),
            (160.0, 0.18),
            30.0,
        ),
    ] {
        for (kind, vc, f) in [
            (ToolKind::Tournage, turn.0, turn.1),
            (ToolKind::Alesage, turn.0 * 0.85, 0.12),
            (ToolKind::Tronconnage, turn.0 * 0.55, 0.06),
            (ToolKind::Fraisage, milling.0, milling.1),
            (ToolKind::Surfacage, milling.0 * 1.5, 0.15),
            (ToolKind::Percage, drill.0, drill.1),
            (ToolKind::Taraudage, tap, 0.0),
        ] {
            v.push(CuttingData {
                tool_kind: kind,
                iso_group: g,
                vc_min: vc,
                vc_max: vc,
                feed_min: f,
                feed_max: f,
                ap_max: None,
                ae_max: None,
                source: "fournisseur".into(),
            });
        }
    }
    v
}

pub fn shop(machines: Vec<Machine>) -> ShopContext {
    ShopContext {
        machines,
        activity_rates: vec![
            ("programmation".into(), d("72")),
            ("controle".into(), d("58")),
            ("ebavurage".into(), d("42")),
            ("emballage".into(), d("40")),
        ],
        cutting_data: cutting_data(),
        stock: vec![],
        purchase_prices: vec![PurchasePrice {
            grade_id: 2,
            price_per_kg: d("2.30"),
            certified_price_per_kg: Some(d("2.80")),
            certificate_fee: d("25"),
            lead_days: 3,
        }],
        subcontract_prices: vec![SubcontractPrice {
            treatment: "anodisation".into(),
            supplier: "Anodia Surfaces".into(),
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

pub fn c45() -> Material {
    Material {
        grade_id: 2,
        label: "C45".into(),
        iso_group: IsoGroup::P,
        density: 7.85,
    }
}

/// THE worked example: Ø45 h7 × 65 in C45 with a Ø20 H7 bore and an M10 tapped hole.
pub fn worked_part() -> PartSpec {
    PartSpec {
        shape: ShapeClass::Turned,
        envelope: Envelope::Round {
            diameter: 45.0,
            length: 65.0,
        },
        material: c45(),
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

pub fn crib_tool(id: i64, code: &str, kind: ToolKind, diameter: f64, quantity: u32) -> CribTool {
    CribTool {
        id,
        code: code.into(),
        label: code.into(),
        kind,
        diameter,
        quantity,
    }
}

pub fn crib() -> Vec<CribTool> {
    vec![
        crib_tool(1, "T01", ToolKind::Tournage, 0.0, 34),
        crib_tool(10, "T10", ToolKind::Tronconnage, 0.0, 12),
        crib_tool(16, "T16", ToolKind::Alesage, 0.0, 2),
        crib_tool(25, "T25", ToolKind::Fraisage, 10.0, 7),
        crib_tool(27, "T27", ToolKind::Fraisage, 16.0, 2),
        crib_tool(33, "T33", ToolKind::Surfacage, 50.0, 1),
        crib_tool(38, "T38", ToolKind::Percage, 5.0, 4),
        crib_tool(40, "T40", ToolKind::Percage, 8.5, 2),
        crib_tool(47, "T47", ToolKind::Percage, 18.0, 1),
        crib_tool(430, "T43-M10", ToolKind::Taraudage, 10.0, 3),
        crib_tool(431, "T43-M6", ToolKind::Taraudage, 6.0, 6),
        crib_tool(441, "T44-6H7", ToolKind::Alesage, 6.0, 2),
    ]
}

pub fn instrument(
    id: i64,
    code: &str,
    ty: &str,
    range: Option<(f64, f64)>,
    size: Option<&str>,
    usable: bool,
) -> Instrument {
    Instrument {
        id,
        code: code.into(),
        name: code.into(),
        instrument_type: ty.into(),
        range_min: range.map(|r| r.0),
        range_max: range.map(|r| r.1),
        size: size.map(str::to_string),
        usable,
    }
}

pub fn instruments() -> Vec<Instrument> {
    vec![
        instrument(1, "I01", "pied_a_coulisse", Some((0.0, 150.0)), None, true),
        instrument(4, "I04", "micrometre", Some((0.0, 25.0)), None, true),
        instrument(5, "I05", "micrometre", Some((25.0, 50.0)), None, true),
        instrument(6, "I06", "micrometre", Some((50.0, 75.0)), None, true),
        instrument(7, "I07", "alesometre", Some((18.0, 35.0)), None, true),
        instrument(9, "I09", "tampon_lisse", None, Some("Ø10 H7"), false),
        instrument(10, "I10", "tampon_lisse", None, Some("Ø20 H7"), true),
        instrument(11, "I11", "tampon_filete", None, Some("M6-6H"), true),
        instrument(18, "I18", "tampon_filete", None, Some("M10-6H"), true),
        instrument(14, "I14", "rugosimetre", None, None, true),
        instrument(17, "I17", "mmt", Some((0.0, 500.0)), None, true),
    ]
}
