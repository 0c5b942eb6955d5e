//! The shop model on a shop-sized case: 300 jobs, 2,000 operations, 20 machines (some with two
//! stations), 25 people, two shifts, one month. Targets: plan < 2 s, repair < 300 ms.
//!
//! `cargo bench -p usinage-planner --bench shop -- --sample-size 10`

use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use usinage_planner::shop::sample::sample_shop;
use usinage_planner::shop::{
    Event, PlanParams, PlannedOp, Unavailability, plan, repair, verify_plan,
};

fn bench(c: &mut Criterion) {
    let origin = NaiveDate::from_ymd_opt(2026, 3, 2)
        .and_then(|d| d.and_hms_opt(5, 0, 0))
        .expect("date");
    let input = sample_shop(42, 300, 2_000, origin);
    let params = PlanParams {
        time_limit: Duration::from_millis(1500),
        seed: 1,
        threads: 2,
    };

    let first = plan(&input, &params);
    let errors = verify_plan(&input, &first);
    assert!(
        errors.is_empty(),
        "invalid plan: {:?}",
        &errors[..errors.len().min(5)]
    );
    eprintln!(
        "plan: {} ms, {} planned, {} unplanned, {} late jobs, weighted tardiness {} min, setup {} min, makespan {:?}, {} core iterations",
        first.kpis.elapsed_ms,
        first.kpis.planned_ops,
        first.kpis.unplanned_ops,
        first.kpis.late_jobs,
        first.kpis.weighted_tardiness,
        first.kpis.setup_min,
        first.kpis.makespan_end,
        first.kpis.iterations
    );

    // Operator 105 is absent Wednesday and Thursday of the first week.
    let mut absent = input.clone();
    if let Some(cal) = absent
        .people
        .iter_mut()
        .find(|p| p.id == 105)
        .and_then(|p| p.calendar.as_mut())
    {
        cal.unavailable.push(Unavailability {
            from: origin + chrono::Duration::days(2),
            to: origin + chrono::Duration::days(4),
            reason: "Maladie".into(),
        });
    }
    let event = Event::Absence { person_id: 105 };
    let repaired = repair(&absent, &first.ops, &event, &params);
    let errors = verify_plan(&absent, &repaired);
    assert!(
        errors.is_empty(),
        "invalid repair: {:?}",
        &errors[..errors.len().min(5)]
    );
    let moves = usinage_planner::shop::diff(&absent, &first, &repaired).moves;
    let hers: Vec<&PlannedOp> = first
        .ops
        .iter()
        .filter(|p| p.person_id == Some(105))
        .collect();
    let (mut own, mut after_own) = (0, 0);
    for m in &moves {
        if hers.iter().any(|p| p.op_id == m.op_id) {
            own += 1;
        } else if hers
            .iter()
            .any(|p| p.job_id == m.job_id && p.op_id < m.op_id)
        {
            after_own += 1;
        }
    }
    eprintln!(
        "repair after an absence: {} ms, {} operations moved ({own} of the absent person's {}, {after_own} later in their jobs, {} others), {} unplanned, {} late jobs",
        repaired.kpis.elapsed_ms,
        moves.len(),
        hers.len(),
        moves.len() - own - after_own,
        repaired.kpis.unplanned_ops,
        repaired.kpis.late_jobs
    );

    let mut group = c.benchmark_group("shop");
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("plan_300_jobs_2000_ops", |b| {
        b.iter(|| plan(&input, &params))
    });
    group.bench_function("repair_absence", |b| {
        b.iter(|| repair(&absent, &first.ops, &event, &params))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
