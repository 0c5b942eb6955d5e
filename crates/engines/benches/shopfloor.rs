//! Shop-floor engines: a sawing plan over 200 stock lines, the labour split of 10,000 sessions
//! and a week summary over one year of days
//! (run: `cargo bench -p usinage-engines --bench shopfloor`).

use chrono::{Duration, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use std::hint::black_box;
use usinage_engines::shopfloor::labor::{Segment, split};
use usinage_engines::shopfloor::sawing::{BarCandidate, SawParams, plan};
use usinage_engines::shopfloor::working_time::{DayWork, Limits, week};

fn bench_shopfloor(c: &mut Criterion) {
    // 200 lines: 150 offcuts of 80–1570 mm (1 bar each) and 50 bar lines of 3 m (2 bars each).
    let candidates: Vec<BarCandidate> = (0..200i64)
        .map(|i| BarCandidate {
            stock_id: i + 1,
            length_mm: if i < 150 {
                Decimal::from(80 + (i * 37) % 1500)
            } else {
                Decimal::from(3000)
            },
            available: if i < 150 { 1 } else { 2 },
            is_offcut: i < 150,
        })
        .collect();
    let p = SawParams::default();
    let cut = Decimal::new(725, 1);
    assert!(plan(&candidates, cut, 500, &p, None).is_ok());
    c.bench_function("shopfloor/saw_plan_200_lines_500_pieces", |b| {
        b.iter(|| plan(black_box(&candidates), black_box(cut), 500, &p, None))
    });

    // 100 operators × 100 sessions over 50 operations, overlapping (machine tending).
    let mut segments = Vec::with_capacity(10_000);
    for operator in 0..100i64 {
        for k in 0..100i64 {
            let start = k * 1_800 + (operator * 7 + k * 13) % 900;
            segments.push(Segment {
                operator,
                operation: (operator * 3 + k) % 50,
                start,
                end: start + 1_200 + (k * 97) % 2_400,
            });
        }
    }
    c.bench_function("shopfloor/labor_split_10000_segments", |b| {
        b.iter(|| split(black_box(&segments)))
    });

    // One year of days (two rows a day: presence and a correction).
    let first = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let history: Vec<DayWork> = (0..365i64)
        .flat_map(|i| {
            let date = first + Duration::days(i);
            [
                DayWork {
                    date,
                    minutes: 420 + (i * 17) % 240,
                },
                DayWork { date, minutes: 15 },
            ]
        })
        .collect();
    let monday = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let limits = Limits::default();
    c.bench_function("shopfloor/week_summary_1_year", |b| {
        b.iter(|| week(black_box(&history), monday, &limits))
    });
}

criterion_group!(benches, bench_shopfloor);
criterion_main!(benches);
