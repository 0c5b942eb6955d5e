//! `repair()`: after an event already written into the input (absence, machine down, broken
//! tool, urgent job), keep the current plan where it is still valid and re-place only what the
//! event touches and what must move because of it.
//!
//! Policy (docs/planner.md):
//! 1. fixed operations are booked where they are;
//! 2. for an urgent job, its operations are placed first, as early as possible (they may take
//!    the place of planned operations, which then move);
//! 3. every other operation of the current plan is kept (same machine, station, person and
//!    start; same end on the new calendars, unless only its set-up changed because the
//!    operation before it on the station moved) when that is still valid: allowed machine,
//!    eligible person, release, capacity, and kept predecessors ending before; the operation
//!    hit by a broken tool is never kept;
//! 4. the others (invalid, new, or hit) are placed in their former order as early as possible
//!    on any allowed machine and person; a kept successor that would now start before its
//!    re-placed predecessor ends is moved too, and so on.
//!
//! No search: a repair costs a few list passes (well under the 300 ms target on a shop-sized
//! plan, see the bench).

use std::collections::HashMap;
use std::time::Instant;

use super::build::{Kind, Model};
use super::decode::{NoPlace, State};
use super::model::*;
use super::out::{finish, fixed_diagnostics, impossible_due_dates};
use super::plan::fallback_order;

/// Tries to keep `o` exactly as in `cur`; books it and returns true when still valid.
fn keep(model: &Model, state: &mut State, o: usize, cur: &PlannedOp, needed: Option<u32>) -> bool {
    let op = &model.ops[o];
    let s = model.rel(cur.start, false);
    let e = model.rel(cur.end, true);
    if s < op.release.max(model.min_t) || model.at(s) != cur.start || model.at(e) != cur.end {
        return false;
    }
    for &p in &op.preds {
        if let Some(pp) = state.placed[p]
            && pp.end > s
        {
            return false;
        }
    }
    let person = match cur.person_id {
        Some(id) => match model.person_idx.get(&id) {
            Some(&p) if op.eligible.contains(&p) => Some(p),
            _ => return false,
        },
        None => None,
    };
    let opt = match (&op.kind, cur.machine_id) {
        (Kind::Machine(opts), Some(id)) => {
            let Some(&m) = model.machine_idx.get(&id) else {
                return false;
            };
            let Some(x) = opts.iter().find(|x| x.m == m) else {
                return false;
            };
            Some(*x)
        }
        (Kind::Machine(_), None) => return false,
        (_, Some(_)) => return false,
        _ => None,
    };
    // The plan does not say which station of a machine an operation used: prefer a station
    // whose operation before it has the same set-up family when its set-up was reduced.
    let stations = opt.map_or(1, |x| model.machines[x.m].stations);
    let mut order: Vec<usize> = (0..stations).collect();
    // Otherwise avoid the station whose last family the next reduced operation on this
    // machine (`needed`) counts on.
    if let Some(x) = opt.filter(|_| stations > 1) {
        let reduced = cur.setup_min != x.setup && op.family.is_some();
        order.sort_by_key(|&st| {
            let tl = &state.stations[x.m][st];
            let k = tl.partition_point(|b| b.e <= s);
            let prev = k.checked_sub(1).map(|k| tl[k].fam);
            let same = prev.is_some_and(|f| f == op.family);
            let takes_needed = needed.is_some() && prev == Some(needed) && op.family != needed;
            (reduced && !same, takes_needed, st)
        });
    }
    // A plan's set-up may be the full one where a reduction became possible later (an
    // operation of the same family was slipped in before it): keeping it is valid.
    let full = opt.is_some_and(|x| cur.setup_min == x.setup);
    let mut relaxed = None;
    for st in order {
        if let Some(pl) = state.fits_at(model, o, opt, st, person, s, full) {
            if pl.person != person {
                continue;
            }
            if pl.end == e && pl.setup == cur.setup_min {
                state.book(model, o, pl);
                return true;
            }
            // Only its set-up changed, because the operation before it on the station moved:
            // it may keep its start when its end does not move later (a longer set-up would
            // push the people and machines after it).
            if pl.setup != cur.setup_min && pl.end <= e && relaxed.is_none() {
                relaxed = Some(pl);
            }
        }
    }
    match relaxed {
        Some(pl) => {
            state.book(model, o, pl);
            true
        }
        None => false,
    }
}

/// Kept successors cannot stay without their predecessor: unbooked, reported as blocked.
fn drop_successors(model: &Model, state: &mut State, o: usize, failed: &mut Vec<(usize, NoPlace)>) {
    let mut stack: Vec<usize> = model.ops[o].succs.clone();
    let mut seen = vec![false; model.ops.len()];
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut seen[s], true) {
            continue;
        }
        if state.placed[s].is_some_and(|p| !p.fixed) {
            state.unbook(model, s);
            failed.push((s, NoPlace::Blocked));
        }
        stack.extend(model.ops[s].succs.iter().copied());
    }
}

/// Repairs `current` for `input` after `event`. Never panics; diagnostics as in `plan`.
pub fn repair(
    input: &ShopInput,
    current: &[PlannedOp],
    event: &Event,
    params: &PlanParams,
) -> PlanOut {
    let _ = params; // No search: deterministic whatever the seed and time limit.
    let started = Instant::now();
    let model = Model::build(input);
    let mut state = State::new(&model);
    let overlaps = state.book_fixed(&model);
    let mut diags = model.diags.clone();
    diags.extend(fixed_diagnostics(&model, &overlaps));
    diags.extend(impossible_due_dates(&model, &state));

    let cur: HashMap<i64, &PlannedOp> = current.iter().map(|p| (p.op_id, p)).collect();
    let movable = |o: usize| model.ops[o].ok && model.ops[o].fixed.is_none();
    let mut failed: Vec<(usize, NoPlace)> = Vec::new();

    // 2. The urgent job first.
    if let Event::UrgentJob { job_id } = event {
        for job in model.jobs.iter().filter(|j| j.input.id == *job_id) {
            for &o in &job.topo {
                if movable(o)
                    && state.placed[o].is_none()
                    && let Err(why) = state.place(&model, o, None)
                {
                    failed.push((o, why));
                }
            }
        }
    }
    let hit = match event {
        Event::BrokenTool { op_id } => model.op_idx.get(op_id).copied(),
        _ => None,
    };

    // 3. Keep what is still valid, in the current order.
    let mut kept_order: Vec<(i64, usize)> = current
        .iter()
        .filter_map(|p| {
            model
                .op_idx
                .get(&p.op_id)
                .map(|&o| (model.rel(p.start, false), o))
        })
        .filter(|&(_, o)| movable(o) && Some(o) != hit && state.placed[o].is_none())
        .collect();
    kept_order.sort_unstable();
    // Key of each operation to (re)place: its former start, new ones after everything.
    let mut todo: Vec<(i64, usize)> = Vec::new();
    let failed_set = |failed: &Vec<(usize, NoPlace)>, o: usize| failed.iter().any(|f| f.0 == o);
    // For each operation, the family of the next operation with a reduced set-up on its
    // machine (station choice when keeping).
    let mut needed: Vec<Option<u32>> = vec![None; model.ops.len()];
    let mut next_reduced: HashMap<i64, Option<u32>> = HashMap::new();
    for &(_, o) in kept_order.iter().rev() {
        let p = cur[&model.ops[o].id];
        let Some(mid) = p.machine_id else { continue };
        let entry = next_reduced.entry(mid).or_insert(None);
        needed[o] = *entry;
        let full = match &model.ops[o].kind {
            Kind::Machine(opts) => opts
                .iter()
                .any(|x| Some(model.machines[x.m].id) == p.machine_id && x.setup == p.setup_min),
            _ => true,
        };
        if !full {
            *entry = model.ops[o].family;
        }
    }
    let mut tried = vec![false; model.ops.len()];
    for &(t, o) in &kept_order {
        if std::mem::replace(&mut tried[o], true) {
            continue; // The same operation twice in `current`: the earliest one counts.
        }
        if !keep(&model, &mut state, o, cur[&model.ops[o].id], needed[o]) {
            todo.push((t, o));
        }
    }
    if let Some(o) = hit
        && movable(o)
        && state.placed[o].is_none()
    {
        let t = cur
            .get(&model.ops[o].id)
            .map_or(model.horizon, |p| model.rel(p.start, false));
        todo.push((t, o));
    }
    for (i, o) in fallback_order(&model).into_iter().enumerate() {
        if state.placed[o].is_none() && !todo.iter().any(|x| x.1 == o) && !failed_set(&failed, o) {
            todo.push((model.horizon + i as i64, o));
        }
    }

    // 4. Re-place, smallest key among the ready ones first; push successors that now clash.
    while !todo.is_empty() {
        todo.sort_unstable();
        let ready = todo.iter().position(|&(_, o)| {
            model.ops[o]
                .preds
                .iter()
                .all(|&p| state.placed[p].is_some())
        });
        let Some(k) = ready else {
            // What is left waits for an operation that could not be placed.
            for (_, o) in std::mem::take(&mut todo) {
                failed.push((o, NoPlace::Blocked));
                drop_successors(&model, &mut state, o, &mut failed);
            }
            break;
        };
        let (_, o) = todo.remove(k);
        if state.placed[o].is_some() {
            continue;
        }
        match state.place(&model, o, None) {
            Ok(pl) => {
                for &s in &model.ops[o].succs {
                    if let Some(sp) = state.placed[s]
                        && !sp.fixed
                        && sp.start < pl.end
                    {
                        state.unbook(&model, s);
                        todo.push((
                            cur.get(&model.ops[s].id)
                                .map_or(pl.end, |p| model.rel(p.start, false)),
                            s,
                        ));
                    }
                }
            }
            Err(why) => {
                failed.push((o, why));
                drop_successors(&model, &mut state, o, &mut failed);
            }
        }
    }
    let mut seen = vec![false; model.ops.len()];
    failed.retain(|&(o, _)| !std::mem::replace(&mut seen[o], true) && state.placed[o].is_none());
    finish(&model, &state, &failed, diags, 0, started)
}
