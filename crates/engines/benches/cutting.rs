//! `cutting::compute` for one tool: a turning, a milling and a drilling request
//! (run: `cargo bench -p usinage-engines --bench cutting`).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use usinage_engines::cutting::{
    CuttingDataCandidate, CuttingRequest, CuttingTool, DataSource, MachineLimits, compute,
};
use usinage_engines::estimate::{IsoGroup, ToolKind};

fn row(source: DataSource, vc: (f64, f64), feed: (f64, f64)) -> CuttingDataCandidate {
    CuttingDataCandidate {
        source,
        label: Some(format!("{} ligne", source.code())),
        vc_min: Some(vc.0),
        vc_max: Some(vc.1),
        feed_min: Some(feed.0),
        feed_max: Some(feed.1),
        ..Default::default()
    }
}

fn machine(max_rpm: f64, power_kw: f64) -> Option<MachineLimits> {
    Some(MachineLimits {
        label: Some("M".into()),
        max_rpm: Some(max_rpm),
        power_kw: Some(power_kw),
        efficiency: None,
    })
}

fn bench_cutting(c: &mut Criterion) {
    // Turning C45 Ø50, ap 3 on a 5.5 kW lathe (power exceeded), base interne + fournisseur rows.
    let mut turning = CuttingRequest::new(CuttingTool::new(ToolKind::Tournage), IsoGroup::P);
    turning.work_diameter_mm = Some(50.0);
    turning.ap_mm = Some(3.0);
    turning.candidates = vec![
        row(DataSource::Fournisseur, (200.0, 300.0), (0.1, 0.4)),
        row(DataSource::BaseInterne, (220.0, 260.0), (0.2, 0.3)),
    ];
    turning.machine = machine(4000.0, 5.5);

    // Milling Ø12 z4 in 2017A, ae 1.2 (chip thinning), NORMS defaults, 6000 rpm cap.
    let mut milling = CuttingRequest::new(
        CuttingTool {
            diameter_mm: Some(12.0),
            teeth: Some(4),
            ..CuttingTool::new(ToolKind::Fraisage)
        },
        IsoGroup::N,
    );
    milling.ae_mm = Some(1.2);
    milling.machine = machine(6000.0, 7.5);

    // Drilling Ø8.5 in C45 with a Ø10 reference row (feed ∝ D).
    let mut drilling = CuttingRequest::new(
        CuttingTool {
            diameter_mm: Some(8.5),
            ..CuttingTool::new(ToolKind::Percage)
        },
        IsoGroup::P,
    );
    let mut drow = row(DataSource::BaseInterne, (80.0, 110.0), (0.18, 0.25));
    drow.reference_diameter_mm = Some(10.0);
    drilling.candidates = vec![drow];
    drilling.machine = machine(8000.0, 11.0);

    c.bench_function("cutting/compute_turning", |b| {
        b.iter(|| compute(black_box(&turning)))
    });
    c.bench_function("cutting/compute_milling", |b| {
        b.iter(|| compute(black_box(&milling)))
    });
    c.bench_function("cutting/compute_drilling", |b| {
        b.iter(|| compute(black_box(&drilling)))
    });
}

criterion_group!(benches, bench_cutting);
criterion_main!(benches);
