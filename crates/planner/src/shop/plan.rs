//! `plan()`: the shop turned into a flexible job shop for [`crate::jobshop`], whose machine
//! choice and sequence are then replayed on the real calendars by [`super::decode`].
//!
//! Mapping (see docs/planner.md):
//! - time axis of the core: working minutes of the shop calendar (union of the machine
//!   windows) from the origin, so a night or a week-end costs nothing in the core either;
//! - a machine with `stations` identical stations = that many core machines;
//! - a manual or subcontracted operation runs on a private core machine of its own (no shop
//!   capacity), a subcontract lasting `lead_days` × the shop's mean working minutes per day;
//! - a job's operations form a chain in a topological order of its predecessors (parallel
//!   branches are serialised in the core only; the decoder keeps the true graph);
//! - fixed operations stay out of the core (they are booked first in the decoder); their
//!   ends become releases of their successors;
//! - weights: `(1 + priority) × 3 if critical × 10 if sur-urgent`.

use std::time::Instant;

use super::build::{Kind, Model};
use super::decode::{NoPlace, State};
use super::model::{PlanOut, PlanParams};
use super::out::{finish, fixed_diagnostics, impossible_due_dates};
use crate::jobshop;

/// Iteration budget of the core per thread: with it the result depends only on the seed as
/// long as the time limit is not reached first.
pub(crate) const CORE_MAX_ITERATIONS: u64 = 20_000;

/// Converts shop minutes to the core's axis (working minutes of the shop calendar).
struct RefAxis<'m> {
    iv: &'m [(i64, i64)],
    cum: Vec<i64>,
}

impl<'m> RefAxis<'m> {
    fn new(model: &'m Model) -> RefAxis<'m> {
        let iv = &model.shop.iv[..];
        let mut cum = Vec::with_capacity(iv.len() + 1);
        let mut acc = 0;
        for &(a, b) in iv {
            cum.push(acc);
            acc += b - a;
        }
        cum.push(acc);
        RefAxis { iv, cum }
    }

    fn to_ref(&self, t: i64) -> i64 {
        let i = self.iv.partition_point(|&(_, e)| e <= t);
        match self.iv.get(i) {
            Some(&(a, _)) if a < t => self.cum[i] + t - a,
            _ => self.cum[i],
        }
    }
}

/// The order in which to place the operations and the machine the core chose for each.
pub(crate) struct CoreOrder {
    pub order: Vec<usize>,
    pub machine: Vec<Option<usize>>,
    pub iterations: u64,
}

/// Priority order when the core cannot be used: sur-urgent first, then by due date and weight,
/// each job's operations in topological order.
pub(crate) fn fallback_order(model: &Model) -> Vec<usize> {
    let mut jobs: Vec<usize> = (0..model.jobs.len()).collect();
    jobs.sort_by_key(|&j| {
        let job = &model.jobs[j];
        (
            !job.sur_urgent,
            job.due_t.unwrap_or(i64::MAX),
            -job.weight,
            j,
        )
    });
    jobs.iter()
        .flat_map(|&j| model.jobs[j].topo.iter().copied())
        .filter(|&o| model.ops[o].ok && model.ops[o].fixed.is_none())
        .collect()
}

fn core_order(model: &Model, fixed: &State, params: &PlanParams) -> CoreOrder {
    let axis = RefAxis::new(model);
    let days = (model.horizon / 1440).max(1);
    let per_day = (model.shop.total() / days).max(1);
    let mut offset = Vec::with_capacity(model.machines.len());
    let mut core_to_machine: Vec<Option<usize>> = Vec::new();
    for (m, mach) in model.machines.iter().enumerate() {
        offset.push(core_to_machine.len());
        core_to_machine.extend(std::iter::repeat_n(Some(m), mach.stations));
    }
    let mut jobs = Vec::new();
    let mut back: Vec<Vec<usize>> = Vec::new();
    for job in &model.jobs {
        let chain: Vec<usize> = job
            .topo
            .iter()
            .copied()
            .filter(|&o| model.ops[o].ok && model.ops[o].fixed.is_none())
            .collect();
        if chain.is_empty() {
            continue;
        }
        let mut ops = Vec::with_capacity(chain.len());
        for &o in &chain {
            let op = &model.ops[o];
            let mut release = op.release;
            for &p in &op.preds {
                if let (Some(_), Some(pl)) = (model.ops[p].fixed, fixed.placed[p]) {
                    release = release.max(pl.end);
                }
            }
            let alternatives = match &op.kind {
                Kind::Machine(opts) => opts
                    .iter()
                    .flat_map(|x| {
                        let first = offset[x.m];
                        (0..model.machines[x.m].stations).map(move |st| jobshop::Alternative {
                            machine: first + st,
                            duration: x.setup + x.run,
                        })
                    })
                    .collect(),
                Kind::Manual(min) => {
                    core_to_machine.push(None);
                    vec![jobshop::Alternative {
                        machine: core_to_machine.len() - 1,
                        duration: *min,
                    }]
                }
                Kind::Sub(d) => {
                    core_to_machine.push(None);
                    vec![jobshop::Alternative {
                        machine: core_to_machine.len() - 1,
                        duration: d * per_day,
                    }]
                }
            };
            ops.push(jobshop::Operation {
                alternatives,
                release: axis.to_ref(release.max(0)),
                frozen: None,
            });
        }
        jobs.push(jobshop::Job {
            operations: ops,
            release: 0,
            due: job.due_t.map(|d| axis.to_ref(d.max(0))),
            weight: job.weight.max(1),
        });
        back.push(chain);
    }
    let instance = jobshop::Instance {
        machines: core_to_machine.len(),
        jobs,
    };
    let core_params = jobshop::Params {
        objective: jobshop::Objective::WeightedTardinessThenMakespan,
        time_limit: params.time_limit,
        max_iterations: Some(CORE_MAX_ITERATIONS),
        seed: params.seed,
        threads: params.threads.max(1),
    };
    let mut machine = vec![None; model.ops.len()];
    match jobshop::solve(&instance, &core_params) {
        Ok(sol) if sol.placements.len() == back.len() => {
            let mut keyed = Vec::with_capacity(model.ops.len());
            for (k, chain) in back.iter().enumerate() {
                for (i, &o) in chain.iter().enumerate() {
                    let Some(pl) = sol.placements[k].get(i) else {
                        continue;
                    };
                    machine[o] = core_to_machine.get(pl.machine).copied().flatten();
                    keyed.push(((pl.start, k, i), o));
                }
            }
            keyed.sort_unstable();
            let order: Vec<usize> = keyed.into_iter().map(|(_, o)| o).collect();
            if order.len() == back.iter().map(Vec::len).sum::<usize>() {
                return CoreOrder {
                    order,
                    machine,
                    iterations: sol.iterations,
                };
            }
            CoreOrder {
                order: fallback_order(model),
                machine: vec![None; model.ops.len()],
                iterations: sol.iterations,
            }
        }
        _ => CoreOrder {
            order: fallback_order(model),
            machine,
            iterations: 0,
        },
    }
}

/// Places the operations in `order` (machine imposed when `machine[o]` is set).
pub(crate) fn decode(
    model: &Model,
    mut state: State,
    order: &[usize],
    machine: Option<&[Option<usize>]>,
) -> (State, Vec<(usize, NoPlace)>) {
    let mut failed = Vec::new();
    for &o in order {
        if state.placed[o].is_some() || !model.ops[o].ok {
            continue;
        }
        let only = machine.and_then(|m| m[o]);
        if let Err(why) = state.place(model, o, only) {
            failed.push((o, why));
        }
    }
    (state, failed)
}

/// `(unplanned, weighted tardiness, makespan, set-up)`: lower is better.
pub(crate) fn score(model: &Model, state: &State, failed: usize) -> (usize, i64, i64, i64) {
    let mut wt = 0;
    let mut makespan = 0;
    let mut setup = 0;
    for job in &model.jobs {
        let mut end = None::<i64>;
        for &o in &job.topo {
            if let Some(pl) = &state.placed[o] {
                end = Some(end.map_or(pl.end, |e: i64| e.max(pl.end)));
                setup += pl.setup;
            }
        }
        if let (Some(end), Some(due)) = (end, job.due_t) {
            wt += (end - due).max(0) * job.weight;
        }
        makespan = makespan.max(end.unwrap_or(0));
    }
    (failed, wt, makespan, setup)
}

/// Plans the whole shop. Never panics; what cannot be planned is explained in `diagnostics`.
pub fn plan(input: &super::model::ShopInput, params: &PlanParams) -> PlanOut {
    let started = Instant::now();
    let model = Model::build(input);
    let mut fixed = State::new(&model);
    let overlaps = fixed.book_fixed(&model);
    let mut diags = model.diags.clone();
    diags.extend(fixed_diagnostics(&model, &overlaps));
    diags.extend(impossible_due_dates(&model, &fixed));

    let core = core_order(&model, &fixed, params);
    // Three replays, the best one wins (fewer unplanned, then the core's objective, then
    // set-up): the core's order on the core's machines; the core's order choosing the machine
    // again on the real calendars; and a priority rule (sur-urgent, due date, weight) as a
    // safety net when the flat axis of the core misleads it.
    let (a, fa) = decode(&model, fixed.clone(), &core.order, Some(&core.machine));
    let mut best = (score(&model, &a, fa.len()), a, fa);
    let others = [
        decode(&model, fixed.clone(), &core.order, None),
        decode(&model, fixed, &fallback_order(&model), None),
    ];
    for (st, f) in others {
        let sc = score(&model, &st, f.len());
        if sc < best.0 {
            best = (sc, st, f);
        }
    }
    let (_, state, failed) = best;
    finish(&model, &state, &failed, diags, core.iterations, started)
}
