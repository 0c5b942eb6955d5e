use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use usinage_engines::audit_chain::{AuditFields, ChainVerifier, GENESIS_HASH, StoredRow, row_hash};
use usinage_engines::estimate::{
    CuttingData, Envelope, Feature, IsoGroup, Machine, MachineKind, Material, PartSpec,
    PricingSettings, PurchasePrice, Section, ShapeClass, ShopContext, StockCandidate,
    SubcontractBasis, SubcontractPrice, TimeStandards, Tolerance, ToolKind, Treatment, estimate,
};
use usinage_engines::identifiers::check_siret;

fn bench_audit_chain(c: &mut Criterion) {
    let after = "{\"login\":\"kdumas\",\"full_name\":\"Kévin Dumas\",\"roles\":[\"operateur\"],\"active\":true}".to_string();
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut prev = GENESIS_HASH.to_string();
    for id in 1..=10_000i64 {
        let at = format!("2026-11-27T10:{:02}:{:02}.000000Z", (id / 60) % 60, id % 60);
        let f = AuditFields {
            id,
            at: &at,
            actor_id: Some(1),
            actor_login: "admin",
            entity_type: "user",
            entity_id: "7",
            action: "update",
            before: Some(&after),
            after: Some(&after),
            request_id: "0f7c",
        };
        let h = row_hash(&prev, &f);
        rows.push((at, prev.clone(), h.clone()));
        prev = h;
    }
    c.bench_function("audit_chain/row_hash", |b| {
        let f = AuditFields {
            id: 1,
            at: "2026-11-27T10:00:00.000000Z",
            actor_id: Some(1),
            actor_login: "admin",
            entity_type: "user",
            entity_id: "7",
            action: "update",
            before: Some(&after),
            after: Some(&after),
            request_id: "0f7c",
        };
        b.iter(|| row_hash(black_box(GENESIS_HASH), black_box(&f)))
    });
    c.bench_function("audit_chain/verify_10k_rows", |b| {
        b.iter(|| {
            let mut v = ChainVerifier::new();
            for (i, (at, p, h)) in rows.iter().enumerate() {
                let f = AuditFields {
                    id: i as i64 + 1,
                    at,
                    actor_id: Some(1),
                    actor_login: "admin",
                    entity_type: "user",
                    entity_id: "7",
                    action: "update",
                    before: Some(&after),
                    after: Some(&after),
                    request_id: "0f7c",
                };
                v.push(&StoredRow {
                    fields: f,
                    prev_hash: p,
                    hash: h,
                });
            }
            let last = rows.last().unwrap();
            v.finish(Some((10_000, &last.2)))
        })
    });
}

fn bench_identifiers(c: &mut Criterion) {
    c.bench_function("identifiers/check_siret", |b| {
        b.iter(|| check_siret(black_box("735 840 530 00019")))
    });
}

fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

#[allow(clippy::too_many_arguments)]
fn bench_machine(
    id: i64,
    code: &str,
    kind: MachineKind,
    travel: Option<(f64, f64, f64)>,
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
        travel_x: travel.map(|t| t.0),
        travel_y: travel.map(|t| t.1),
        travel_z: travel.map(|t| t.2),
        max_bar_diameter: bar,
        max_chuck_diameter: chuck,
        bar_feeder: bar.is_some() && kind != MachineKind::Scie,
        max_rpm: rpm,
        power_kw: Some(15.0),
        available: true,
        hourly_rate: dec(rate),
        operator_rate: None,
        load_hours: 20.0,
    }
}

/// The demo shop of DEMO-SHOP.md §2–6 (machines, rates, cutting data for P/M/N, stock, prices).
fn bench_shop() -> ShopContext {
    use MachineKind::*;
    let mut cutting_data = Vec::new();
    for (g, turn, mill, drill, tap) in [
        (
            IsoGroup::P,
            (200.0, 0.25),
            (160.0, 0.05),
            (95.0, 0.15),
            15.0,
        ),
        (IsoGroup::M, (160.0, 0.2), (80.0, 0.04), (50.0, 0.09), 6.0),
        (
            IsoGroup::N,
            (500.0, 0.12),
            (450.0, 0.06),
            (160.0, 0.18),
            30.0,
        ),
    ] {
        for (kind, vc, feed) in [
            (ToolKind::Tournage, turn.0, turn.1),
            (ToolKind::Alesage, turn.0 * 0.85, 0.12),
            (ToolKind::Tronconnage, turn.0 * 0.55, 0.06),
            (ToolKind::Fraisage, mill.0, mill.1),
            (ToolKind::Surfacage, mill.0 * 1.5, 0.15),
            (ToolKind::Percage, drill.0, drill.1),
            (ToolKind::Taraudage, tap, 0.0),
        ] {
            cutting_data.push(CuttingData {
                tool_kind: kind,
                iso_group: g,
                vc_min: vc * 0.9,
                vc_max: vc * 1.1,
                feed_min: feed * 0.8,
                feed_max: feed * 1.2,
                ap_max: None,
                ae_max: None,
                source: "fournisseur".into(),
            });
        }
    }
    ShopContext {
        machines: vec![
            bench_machine(1, "M01", Scie, None, Some(260.0), None, None, "45"),
            bench_machine(
                2,
                "M02",
                TourFraiseur,
                Some((0.0, 0.0, 533.0)),
                Some(51.0),
                Some(210.0),
                Some(4000.0),
                "75",
            ),
            bench_machine(
                3,
                "M03",
                TourFraiseur,
                Some((0.0, 0.0, 600.0)),
                Some(76.0),
                Some(254.0),
                Some(4000.0),
                "75",
            ),
            bench_machine(
                4,
                "M04",
                Fraiseuse3Axes,
                Some((762.0, 406.0, 508.0)),
                None,
                None,
                Some(8100.0),
                "70",
            ),
            bench_machine(
                5,
                "M05",
                Fraiseuse5Axes,
                Some((650.0, 520.0, 475.0)),
                None,
                None,
                Some(15000.0),
                "105",
            ),
            bench_machine(6, "M06", Soudure, None, None, None, None, "58"),
            bench_machine(
                7,
                "M07",
                Mmt,
                Some((500.0, 400.0, 400.0)),
                None,
                None,
                None,
                "85",
            ),
            bench_machine(8, "M08", Rectifieuse, None, None, None, None, "68"),
        ],
        activity_rates: vec![
            ("programmation".into(), dec("72")),
            ("controle".into(), dec("58")),
            ("controle_mmt".into(), dec("85")),
            ("ebavurage".into(), dec("42")),
        ],
        cutting_data,
        stock: vec![
            StockCandidate {
                id: 112,
                label: "CH-0112 42CrMo4 Ø35".into(),
                grade_id: 3,
                section: Section::Round { diameter: 35.0 },
                length: 640.0,
                pieces: 1,
                certified: true,
                is_offcut: true,
                cost_per_kg: dec("3.20"),
            },
            StockCandidate {
                id: 121,
                label: "CH-0121 7075 plat 60×25".into(),
                grade_id: 11,
                section: Section::Flat {
                    width: 60.0,
                    thickness: 25.0,
                },
                length: 410.0,
                pieces: 1,
                certified: false,
                is_offcut: true,
                cost_per_kg: dec("11.50"),
            },
        ],
        purchase_prices: vec![
            PurchasePrice {
                grade_id: 3,
                price_per_kg: dec("3.20"),
                certified_price_per_kg: Some(dec("3.60")),
                certificate_fee: dec("25"),
                lead_days: 3,
            },
            PurchasePrice {
                grade_id: 11,
                price_per_kg: dec("11.50"),
                certified_price_per_kg: None,
                certificate_fee: dec("0"),
                lead_days: 4,
            },
        ],
        subcontract_prices: vec![SubcontractPrice {
            treatment: "anodisation".into(),
            supplier: "S07".into(),
            basis: SubcontractBasis::PerPiece(dec("3.50")),
            lot_charge: dec("95"),
            min_charge: dec("95"),
            lead_days: 5,
        }],
        tools: vec![],
        settings: PricingSettings::default(),
        times: TimeStandards::default(),
    }
}

fn bench_estimate(c: &mut Criterion) {
    let shop = bench_shop();
    let turned = PartSpec {
        shape: ShapeClass::Turned,
        envelope: Envelope::Round {
            diameter: 30.0,
            length: 120.0,
        },
        material: Material {
            grade_id: 3,
            label: "42CrMo4".into(),
            iso_group: IsoGroup::P,
            density: 7.85,
        },
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
            Feature::Threads {
                count: 1,
                designation: "M6".into(),
                depth: 12.0,
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
        quantities: vec![1, 10, 50, 100],
    };
    let prismatic = PartSpec {
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
            Feature::Slot {
                length: 60.0,
                width: 10.0,
                depth: 5.0,
            },
        ],
        tightest_tolerance: Some(Tolerance::PlusMinus { value: 0.05 }),
        general_tolerance_class: Some('m'),
        gdt_count: 2,
        treatments: vec![Treatment {
            code: "anodisation".into(),
            label_fr: "Anodisation noire".into(),
        }],
        critical: false,
        allow_certified: false,
        net_mass_kg: Some(0.16),
        setups: Some(2),
        quantities: vec![1, 10, 50, 100],
    };
    let mut g = c.benchmark_group("estimate");
    g.bench_function("turned_shaft_4_breaks", |b| {
        b.iter(|| estimate(black_box(&turned), black_box(&shop)))
    });
    g.bench_function("prismatic_bracket_4_breaks", |b| {
        b.iter(|| estimate(black_box(&prismatic), black_box(&shop)))
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_audit_chain,
    bench_identifiers,
    bench_estimate
);
criterion_main!(benches);
