//! Flexible job shop: the optimisation core.
//!
//! Time is an integer number of abstract units (minutes for the shop, the instance's units for
//! the benchmarks). Each job is a chain of operations; each operation has one or more
//! alternatives `(machine, duration)`. A machine runs one operation at a time.
//!
//! INTERFACE CONTRACT (used by `crate::shop` and by the bench): the types and the signature of
//! [`solve`] below are shared.
//!
//! # How `solve` behaves
//! - Validation first ([`InstanceError`]); then a Giffler–Thompson dispatch (a feasible
//!   schedule, returned as is with a zero time limit or `max_iterations: Some(0)`), then a tabu
//!   search on critical blocks (see `tabu.rs`) until the time limit, the iteration budget or a
//!   proven optimum (makespan equal to a simple lower bound).
//! - `threads` searches run in parallel (std::thread::scope), seeds derived from `seed`; the
//!   best schedule wins, ties to the lowest thread index. With `max_iterations` set (and the
//!   time limit not reached first) the result depends only on the instance, `seed` and
//!   `threads`.
//! - Schedules are semi-active: each operation starts as early as its job predecessor, its
//!   machine predecessor, its release and its job's release allow.
//! - Frozen operations stay at their machine and start, with the duration of their alternative
//!   on that machine (or their first alternative's if the machine is not in the list). They
//!   are taken as already running or locked: on their machine they come before every
//!   non-frozen operation, the non-frozen operations after them in their job start after they
//!   end, and the precedence *into* a frozen operation is not enforced (the shop freezes the
//!   first operations of a job, whose predecessors are done). [`verify`] checks exactly that.
//!   Consequence: no operation is placed in an idle gap *before* a frozen operation on the
//!   same machine (freeze only what has started or is about to).
//! - A job's completion is the latest end among its operations; its tardiness is
//!   `max(0, completion - due) * weight` (a weight below 1 counts as 1).
//! - An operation changes machine among its alternatives during the search; two alternatives
//!   on the same machine are only told apart by the dispatch (it takes the one ending first).
//! - `Solution::iterations` is the sum over the threads. The time limit covers the whole call
//!   (the dispatch included); the search checks the clock every 16 iterations, so it overruns
//!   by a few tens of milliseconds at most (measured: 20 ms on 2,000 operations with the
//!   tardiness objective, whose iterations are the slow ones).
//! - [`verify`] checks any solution against its instance; [`parse_jobshop`] and [`parse_fjsp`]
//!   read the benchmark formats. Measurements: `docs/planner-benchmarks.md`.

use std::time::{Duration, Instant};

mod construct;
mod parse;
mod problem;
mod rng;
mod state;
mod tabu;

pub use parse::{parse_fjsp, parse_jobshop};

/// One way to run an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alternative {
    pub machine: usize,
    pub duration: i64,
}

/// An operation that is already placed and must not move (running, or validated and locked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frozen {
    pub machine: usize,
    pub start: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// Non-empty; machines `< Instance::machines`; durations `>= 0`.
    pub alternatives: Vec<Alternative>,
    /// Earliest start of this operation (material/tools available), default 0.
    pub release: i64,
    pub frozen: Option<Frozen>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// Operations in precedence order.
    pub operations: Vec<Operation>,
    /// Earliest start of the first operation.
    pub release: i64,
    /// Due date (end of last operation), if any.
    pub due: Option<i64>,
    /// Weight of one unit of lateness (>= 1).
    pub weight: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    pub machines: usize,
    pub jobs: Vec<Job>,
}

/// What the search minimises, lexicographically.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objective {
    /// Makespan only (the benchmarks).
    Makespan,
    /// Weighted total tardiness, then makespan (the shop).
    WeightedTardinessThenMakespan,
}

#[derive(Clone, Debug)]
pub struct Params {
    pub objective: Objective,
    /// Wall-clock limit for the whole search.
    pub time_limit: Duration,
    /// Iteration budget per thread; with `Some`, the result depends only on the seed (not on
    /// machine speed) as long as the time limit is not reached first.
    pub max_iterations: Option<u64>,
    pub seed: u64,
    /// Search threads (1 = single-threaded). Each runs its own seeded search; the best wins,
    /// ties broken by thread index, so the result is deterministic for a seed and a budget.
    pub threads: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            objective: Objective::Makespan,
            time_limit: Duration::from_secs(1),
            max_iterations: None,
            seed: 1,
            threads: 1,
        }
    }
}

/// Where one operation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    pub machine: usize,
    pub start: i64,
    pub end: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Solution {
    /// `placements[j][o]` for operation `o` of job `j`.
    pub placements: Vec<Vec<Placement>>,
    /// Per machine, the `(job, operation)` pairs in processing order.
    pub sequences: Vec<Vec<(usize, usize)>>,
    pub makespan: i64,
    pub weighted_tardiness: i64,
    /// Search statistics (for the bench and the logs).
    pub iterations: u64,
}

/// Why an instance cannot be solved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstanceError {
    NoAlternative {
        job: usize,
        operation: usize,
    },
    UnknownMachine {
        job: usize,
        operation: usize,
        machine: usize,
    },
    NegativeDuration {
        job: usize,
        operation: usize,
    },
    /// Two frozen operations overlap on one machine.
    FrozenOverlap {
        machine: usize,
    },
}

/// Solves the instance. Always returns a feasible schedule for a valid instance (capacity and
/// precedence respected, releases respected, frozen operations where they are).
pub fn solve(instance: &Instance, params: &Params) -> Result<Solution, InstanceError> {
    let started = Instant::now();
    let p = problem::build(instance, params.objective)?;
    let deadline = started
        .checked_add(params.time_limit)
        .unwrap_or_else(|| started + Duration::from_secs(86_400 * 365));
    let threads = params.threads.max(1);
    let no_search = params.time_limit.is_zero() || params.max_iterations == Some(0) || p.n == 0;
    let seed_of = |t: usize| {
        let mut s = params.seed ^ (t as u64).wrapping_mul(0xD1B5_4A32_D192_ED03);
        rng::splitmix64(&mut s)
    };
    let run = |t: usize| -> (state::State, u64) {
        let mut r = rng::Rng::new(seed_of(t));
        // Thread 0 starts from the pure priority rule, the others from a noisy one.
        let start = construct::construct(&p, &mut r, if t == 0 { 0 } else { 150 });
        if no_search {
            return (start, 0);
        }
        let out = tabu::search(&p, start, &mut r, deadline, params.max_iterations);
        (out.best, out.iterations)
    };
    let results: Vec<(state::State, u64)> = if threads == 1 || no_search {
        vec![run(0)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|t| scope.spawn(move || run(t))).collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("search thread panicked"))
                .collect()
        })
    };
    let iterations = results.iter().map(|r| r.1).sum();
    let best = results
        .into_iter()
        .enumerate()
        .min_by_key(|(t, r)| (r.0.score(), *t))
        .map(|(_, r)| r.0)
        .expect("at least one thread");
    Ok(to_solution(&p, instance, &best, iterations))
}

fn to_solution(
    p: &problem::Problem,
    instance: &Instance,
    st: &state::State,
    iterations: u64,
) -> Solution {
    let mut placements: Vec<Vec<Placement>> = p
        .frozen
        .iter()
        .map(|row| {
            row.iter()
                .map(|f| {
                    f.unwrap_or(Placement {
                        machine: 0,
                        start: 0,
                        end: 0,
                    })
                })
                .collect()
        })
        .collect();
    for i in 0..p.n {
        let (j, o) = p.orig[i];
        placements[j][o] = Placement {
            machine: st.mach[i] as usize,
            start: st.head[i],
            end: st.end(i as u32),
        };
    }
    let mut sequences: Vec<Vec<(usize, usize)>> = vec![Vec::new(); instance.machines];
    let mut frozen_on: Vec<Vec<(i64, usize, usize)>> = vec![Vec::new(); instance.machines];
    for (j, row) in p.frozen.iter().enumerate() {
        for (o, f) in row.iter().enumerate() {
            if let Some(f) = f {
                frozen_on[f.machine].push((f.start, j, o));
            }
        }
    }
    for (m, list) in frozen_on.iter_mut().enumerate() {
        list.sort_unstable();
        sequences[m].extend(list.iter().map(|&(_, j, o)| (j, o)));
        sequences[m].extend(st.seq[m].iter().map(|&i| p.orig[i as usize]));
    }
    let (makespan, weighted_tardiness) = objective_of(instance, &placements);
    Solution {
        placements,
        sequences,
        makespan,
        weighted_tardiness,
        iterations,
    }
}

/// Makespan (0 for an empty instance) and weighted tardiness of placements.
fn objective_of(instance: &Instance, placements: &[Vec<Placement>]) -> (i64, i64) {
    let mut makespan = 0;
    let mut wt = 0;
    for (job, row) in instance.jobs.iter().zip(placements) {
        let Some(c) = row.iter().map(|pl| pl.end).max() else {
            continue;
        };
        makespan = makespan.max(c);
        if let Some(due) = job.due {
            wt += (c - due).max(0) * job.weight.max(1);
        }
    }
    (makespan, wt)
}

/// Checks a solution against its instance: every operation on one of its alternatives (or
/// where it is frozen) with that duration, releases, job precedence (except into a frozen
/// operation), one operation at a time per machine, sequences consistent with the
/// placements, and the reported makespan and weighted tardiness. The first violation, in
/// French.
pub fn verify(instance: &Instance, solution: &Solution) -> Result<(), String> {
    if solution.placements.len() != instance.jobs.len() {
        return Err(format!(
            "{} jobs placés pour {} jobs",
            solution.placements.len(),
            instance.jobs.len()
        ));
    }
    let mut on_machine: Vec<Vec<(i64, i64, usize, usize)>> = vec![Vec::new(); instance.machines];
    for (j, (job, row)) in instance.jobs.iter().zip(&solution.placements).enumerate() {
        if row.len() != job.operations.len() {
            return Err(format!(
                "job {j} : {} opérations placées pour {}",
                row.len(),
                job.operations.len()
            ));
        }
        for (o, (op, pl)) in job.operations.iter().zip(row).enumerate() {
            let here = format!("job {j}, opération {o}");
            if pl.machine >= instance.machines {
                return Err(format!("{here} : machine {} inconnue", pl.machine));
            }
            if let Some(f) = op.frozen {
                let d = problem::frozen_duration(op, f.machine);
                if pl.machine != f.machine || pl.start != f.start || pl.end != f.start + d {
                    return Err(format!("{here} : opération figée déplacée"));
                }
            } else {
                if !op
                    .alternatives
                    .iter()
                    .any(|a| a.machine == pl.machine && a.duration == pl.end - pl.start)
                {
                    return Err(format!(
                        "{here} : machine {} ou durée {} hors des alternatives",
                        pl.machine,
                        pl.end - pl.start
                    ));
                }
                if pl.start < op.release || pl.start < job.release {
                    return Err(format!(
                        "{here} : commence à {} avant sa date de disponibilité",
                        pl.start
                    ));
                }
                if o > 0 && pl.start < row[o - 1].end {
                    return Err(format!(
                        "{here} : commence à {} avant la fin de l'opération précédente ({})",
                        pl.start,
                        row[o - 1].end
                    ));
                }
            }
            on_machine[pl.machine].push((pl.start, pl.end, j, o));
        }
    }
    if solution.sequences.len() != instance.machines {
        return Err("une séquence par machine attendue".to_string());
    }
    for (m, list) in on_machine.iter_mut().enumerate() {
        let seq = &solution.sequences[m];
        if seq.len() != list.len() {
            return Err(format!(
                "machine {m} : la séquence ne correspond pas aux placements"
            ));
        }
        for w in seq.windows(2) {
            let (a, b) = (
                &solution.placements[w[0].0][w[0].1],
                &solution.placements[w[1].0][w[1].1],
            );
            if a.machine != m || b.machine != m || b.start < a.end {
                return Err(format!(
                    "machine {m} : chevauchement ou séquence incohérente ({:?} puis {:?})",
                    w[0], w[1]
                ));
            }
        }
        if let Some(&(j, o)) = seq.first()
            && solution.placements[j][o].machine != m
        {
            return Err(format!("machine {m} : séquence incohérente"));
        }
        let mut in_seq: Vec<(usize, usize)> = seq.clone();
        in_seq.sort_unstable();
        let mut placed: Vec<(usize, usize)> = list.iter().map(|&(_, _, j, o)| (j, o)).collect();
        placed.sort_unstable();
        if in_seq != placed {
            return Err(format!(
                "machine {m} : la séquence ne correspond pas aux placements"
            ));
        }
    }
    let (makespan, wt) = objective_of(instance, &solution.placements);
    if makespan != solution.makespan || wt != solution.weighted_tardiness {
        return Err(format!(
            "objectif annoncé ({}, {}) différent du calculé ({makespan}, {wt})",
            solution.makespan, solution.weighted_tardiness
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
