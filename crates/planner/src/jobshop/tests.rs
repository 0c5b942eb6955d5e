use super::*;
use proptest::prelude::*;

fn data(rel: &str) -> String {
    let path = format!("{}/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn budget(iterations: u64, seed: u64, threads: usize) -> Params {
    Params {
        objective: Objective::Makespan,
        time_limit: Duration::from_secs(600),
        max_iterations: Some(iterations),
        seed,
        threads,
    }
}

fn one(machine: usize, duration: i64) -> Operation {
    Operation {
        alternatives: vec![Alternative { machine, duration }],
        release: 0,
        frozen: None,
    }
}

fn job(operations: Vec<Operation>) -> Job {
    Job {
        operations,
        release: 0,
        due: None,
        weight: 1,
    }
}

#[test]
fn parses_ft06_in_the_standard_format() {
    let ft06 = parse_jobshop(&data("jobshop/ft06.txt")).unwrap();
    assert_eq!(ft06.machines, 6);
    assert_eq!(ft06.jobs.len(), 6);
    assert!(ft06.jobs.iter().all(|j| j.operations.len() == 6));
    // First line "2 1 0 3 1 6 3 7 5 3 4 6".
    let first: Vec<(usize, i64)> = ft06.jobs[0]
        .operations
        .iter()
        .map(|o| (o.alternatives[0].machine, o.alternatives[0].duration))
        .collect();
    assert_eq!(first, vec![(2, 1), (0, 3), (1, 6), (3, 7), (5, 3), (4, 6)]);
}

#[test]
fn parses_mk01_in_brandimarte_format_with_one_based_machines() {
    let mk01 = parse_fjsp(&data("fjsp/mk01.txt")).unwrap();
    assert_eq!(mk01.machines, 6);
    assert_eq!(mk01.jobs.len(), 10);
    assert_eq!(mk01.jobs[0].operations.len(), 6);
    // "6  2 1 5 3 4  3 5 3 3 5 2 1 ..." : op 0 on machine 1 (5) or 3 (4).
    assert_eq!(
        mk01.jobs[0].operations[0].alternatives,
        vec![
            Alternative {
                machine: 0,
                duration: 5
            },
            Alternative {
                machine: 2,
                duration: 4
            }
        ]
    );
    assert_eq!(mk01.jobs[0].operations[1].alternatives.len(), 3);
    let ops: usize = mk01.jobs.iter().map(|j| j.operations.len()).sum();
    assert_eq!(ops, 55);
}

#[test]
fn parser_errors_are_reported_in_french() {
    assert!(
        parse_jobshop("2 2\n0 3 1 x\n")
            .unwrap_err()
            .contains("nombre attendu")
    );
    assert!(
        parse_jobshop("1 2\n0 3 5 1\n")
            .unwrap_err()
            .contains("machine 5")
    );
    assert!(
        parse_fjsp("1 2\n1 1 3 4\n")
            .unwrap_err()
            .contains("machine 3")
    );
    assert!(parse_jobshop("").unwrap_err().contains("vide"));
}

#[test]
fn ft06_reaches_its_optimum_55_within_a_small_budget() {
    let ft06 = parse_jobshop(&data("jobshop/ft06.txt")).unwrap();
    let sol = solve(&ft06, &budget(20_000, 1, 1)).unwrap();
    verify(&ft06, &sol).unwrap();
    assert_eq!(sol.makespan, 55);
}

#[test]
fn same_seed_and_budget_give_the_same_schedule_with_one_and_two_threads() {
    let la01 = parse_jobshop(&data("jobshop/la01.txt")).unwrap();
    let mk02 = parse_fjsp(&data("fjsp/mk02.txt")).unwrap();
    for inst in [&la01, &mk02] {
        for threads in [1, 2] {
            let a = solve(inst, &budget(3_000, 7, threads)).unwrap();
            let b = solve(inst, &budget(3_000, 7, threads)).unwrap();
            verify(inst, &a).unwrap();
            assert_eq!(a, b, "threads {threads}");
        }
    }
}

#[test]
fn search_improves_on_the_constructive_start() {
    let ft10 = parse_jobshop(&data("jobshop/ft10.txt")).unwrap();
    let start = solve(&ft10, &budget(0, 1, 1)).unwrap();
    let searched = solve(&ft10, &budget(20_000, 1, 1)).unwrap();
    verify(&ft10, &start).unwrap();
    verify(&ft10, &searched).unwrap();
    assert_eq!(start.iterations, 0);
    assert!(
        searched.makespan < start.makespan,
        "{} vs {}",
        searched.makespan,
        start.makespan
    );
    // Optimum 930; a few percent above is enough for 20,000 iterations.
    assert!(searched.makespan <= 980, "{}", searched.makespan);
}

#[test]
fn flexible_mk01_gets_within_ten_percent_of_its_optimum_40() {
    let mk01 = parse_fjsp(&data("fjsp/mk01.txt")).unwrap();
    let sol = solve(&mk01, &budget(5_000, 1, 1)).unwrap();
    verify(&mk01, &sol).unwrap();
    assert!(sol.makespan <= 44, "{}", sol.makespan);
}

#[test]
fn zero_time_limit_still_returns_a_feasible_schedule_at_once() {
    let ta71 = parse_jobshop(&data("jobshop/ta71.txt")).unwrap();
    let t0 = Instant::now();
    let sol = solve(
        &ta71,
        &Params {
            time_limit: Duration::ZERO,
            threads: 2,
            ..Params::default()
        },
    )
    .unwrap();
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
    verify(&ta71, &sol).unwrap();
    assert_eq!(sol.iterations, 0);
}

#[test]
fn invalid_instances_are_rejected_with_the_faulty_operation() {
    let mut inst = Instance {
        machines: 2,
        jobs: vec![job(vec![one(0, 3), one(1, 2)])],
    };
    inst.jobs[0].operations[1].alternatives.clear();
    assert_eq!(
        solve(&inst, &Params::default()),
        Err(InstanceError::NoAlternative {
            job: 0,
            operation: 1
        })
    );
    inst.jobs[0].operations[1] = one(5, 2);
    assert_eq!(
        solve(&inst, &Params::default()),
        Err(InstanceError::UnknownMachine {
            job: 0,
            operation: 1,
            machine: 5
        })
    );
    inst.jobs[0].operations[1] = one(1, -1);
    assert_eq!(
        solve(&inst, &Params::default()),
        Err(InstanceError::NegativeDuration {
            job: 0,
            operation: 1
        })
    );
    let mut a = one(1, 10);
    a.frozen = Some(Frozen {
        machine: 1,
        start: 0,
    });
    let mut b = one(1, 10);
    b.frozen = Some(Frozen {
        machine: 1,
        start: 5,
    });
    let overlap = Instance {
        machines: 2,
        jobs: vec![job(vec![a]), job(vec![b])],
    };
    assert_eq!(
        solve(&overlap, &Params::default()),
        Err(InstanceError::FrozenOverlap { machine: 1 })
    );
}

#[test]
fn frozen_operations_stay_put_and_come_first_on_their_machine() {
    // Job 0's first operation runs on machine 0 from 10 to 14; job 1 could have started at 0.
    let mut running = one(0, 4);
    running.frozen = Some(Frozen {
        machine: 0,
        start: 10,
    });
    let inst = Instance {
        machines: 2,
        jobs: vec![
            job(vec![running, one(1, 3)]),
            job(vec![one(0, 5), one(1, 5)]),
        ],
    };
    let sol = solve(&inst, &budget(200, 1, 1)).unwrap();
    verify(&inst, &sol).unwrap();
    assert_eq!(
        sol.placements[0][0],
        Placement {
            machine: 0,
            start: 10,
            end: 14
        }
    );
    assert_eq!(sol.placements[0][1].start, 14);
    assert_eq!(
        sol.placements[1][0].start, 14,
        "after the running operation"
    );
    assert_eq!(sol.sequences[0], vec![(0, 0), (1, 0)]);
}

#[test]
fn verify_catches_an_overlap_and_a_wrong_makespan() {
    let ft06 = parse_jobshop(&data("jobshop/ft06.txt")).unwrap();
    let sol = solve(&ft06, &budget(100, 1, 1)).unwrap();
    verify(&ft06, &sol).unwrap();
    let mut bad = sol.clone();
    bad.makespan -= 1;
    assert!(verify(&ft06, &bad).unwrap_err().contains("objectif"));
    let mut bad = sol.clone();
    let (j, o) = bad.sequences[0][1];
    let prev = bad.placements[bad.sequences[0][0].0][bad.sequences[0][0].1];
    let d = bad.placements[j][o].end - bad.placements[j][o].start;
    bad.placements[j][o].start = prev.start;
    bad.placements[j][o].end = prev.start + d;
    assert!(verify(&ft06, &bad).is_err());
}

#[test]
fn tardiness_objective_finds_a_schedule_without_lateness_when_one_exists() {
    // Due dates taken from a makespan-optimal ft06 schedule: a schedule meeting them all exists.
    let mut ft06 = parse_jobshop(&data("jobshop/ft06.txt")).unwrap();
    let reference = solve(&ft06, &budget(20_000, 1, 1)).unwrap();
    for (j, job) in ft06.jobs.iter_mut().enumerate() {
        job.due = Some(reference.placements[j].last().unwrap().end);
        job.weight = 1 + j as i64;
    }
    let start = solve(
        &ft06,
        &Params {
            objective: Objective::WeightedTardinessThenMakespan,
            ..budget(0, 3, 1)
        },
    )
    .unwrap();
    let sol = solve(
        &ft06,
        &Params {
            objective: Objective::WeightedTardinessThenMakespan,
            ..budget(5_000, 3, 2)
        },
    )
    .unwrap();
    verify(&ft06, &sol).unwrap();
    assert!(
        start.weighted_tardiness > 0,
        "the dispatch alone should not meet every due date"
    );
    assert_eq!(sol.weighted_tardiness, 0);
}

/// A random small instance: flexible operations, releases, due dates, and some first
/// operations frozen at non-overlapping places.
fn arb_instance() -> impl Strategy<Value = Instance> {
    (1usize..5, 1usize..7, any::<u64>()).prop_map(|(machines, n_jobs, seed)| {
        let mut r = rng::Rng::new(seed);
        let mut frozen_cursor = vec![0i64; machines];
        let jobs = (0..n_jobs)
            .map(|_| {
                let n_ops = r.below(5);
                let operations = (0..n_ops)
                    .map(|o| {
                        let k = 1 + r.below(3);
                        let alternatives = (0..k)
                            .map(|_| Alternative {
                                machine: r.below(machines),
                                duration: r.below(15) as i64,
                            })
                            .collect::<Vec<_>>();
                        let mut op = Operation {
                            alternatives,
                            release: if r.chance(1, 4) {
                                r.below(30) as i64
                            } else {
                                0
                            },
                            frozen: None,
                        };
                        if o == 0 && r.chance(1, 4) {
                            let a = op.alternatives[0];
                            let start = frozen_cursor[a.machine] + r.below(5) as i64;
                            frozen_cursor[a.machine] = start + a.duration;
                            op.frozen = Some(Frozen {
                                machine: a.machine,
                                start,
                            });
                        }
                        op
                    })
                    .collect();
                Job {
                    operations,
                    release: r.below(20) as i64,
                    due: if r.chance(2, 3) {
                        Some(r.below(80) as i64)
                    } else {
                        None
                    },
                    weight: 1 + r.below(3) as i64,
                }
            })
            .collect();
        Instance { machines, jobs }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_solution_is_feasible_and_never_worse_than_the_start(
        inst in arb_instance(),
        tardiness in any::<bool>(),
        threads in 1usize..3,
        seed in any::<u64>(),
    ) {
        let objective = if tardiness { Objective::WeightedTardinessThenMakespan } else { Objective::Makespan };
        let start = solve(&inst, &Params { objective, ..budget(0, seed, threads) }).unwrap();
        let sol = solve(&inst, &Params { objective, ..budget(300, seed, threads) }).unwrap();
        prop_assert_eq!(verify(&inst, &start), Ok(()));
        prop_assert_eq!(verify(&inst, &sol), Ok(()));
        let key = |s: &Solution| if tardiness { (s.weighted_tardiness, s.makespan) } else { (0, s.makespan) };
        prop_assert!(key(&sol) <= key(&start), "{:?} > {:?}", key(&sol), key(&start));
    }
}

#[test]
fn many_small_jobs_stay_feasible_with_the_hashed_tabu_table() {
    // 3,000 jobs of two operations: 18 million (operation, job) pairs, above the direct table.
    let mut r = rng::Rng::new(5);
    let jobs = (0..3000)
        .map(|j| {
            let mut jb = job(vec![
                one(r.below(10), 1 + r.below(9) as i64),
                one(r.below(10), 1 + r.below(9) as i64),
            ]);
            jb.due = Some(200 + (j as i64 % 50) * 20);
            jb
        })
        .collect();
    let inst = Instance { machines: 10, jobs };
    for objective in [
        Objective::Makespan,
        Objective::WeightedTardinessThenMakespan,
    ] {
        let start = solve(
            &inst,
            &Params {
                objective,
                ..budget(0, 1, 1)
            },
        )
        .unwrap();
        let sol = solve(
            &inst,
            &Params {
                objective,
                ..budget(300, 1, 2)
            },
        )
        .unwrap();
        verify(&inst, &sol).unwrap();
        if objective == Objective::Makespan {
            assert!(sol.makespan <= start.makespan);
        } else {
            let key = |s: &Solution| (s.weighted_tardiness, s.makespan);
            assert!(key(&sol) <= key(&start));
        }
    }
}
