//! Routing engine bench: the worked example of `docs/routing-engine.md` (Ø45 h7 × 65 in C45,
//! bore Ø20 H7, M10, 25 pieces) on the example shop of `routing::example`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use usinage_engines::estimate::{ProcessKind, estimate};
use usinage_engines::routing::example::{crib, instruments, lathe, mill, saw, shop, worked_part};
use usinage_engines::routing::{RoutingInput, RoutingSettings, check_machine, generate};

fn bench_routing(c: &mut Criterion) {
    let spec = worked_part();
    let park = vec![saw(), lathe(), mill()];
    let est = estimate(&spec, &shop(park.clone()));
    let tools = crib();
    let instruments = instruments();
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
                black_box(ProcessKind::Tournage),
                black_box(&park[1]),
                black_box(&spec),
                black_box(est.raw_stock.as_ref()),
            )
        })
    });
}

criterion_group!(benches, bench_routing);
criterion_main!(benches);
