//! An independent check of a plan against its input: what the tests assert, and what the
//! application may run on a stored plan after editing the shop data.

use std::collections::HashMap;

use super::build::{Kind, Model};
use super::calendar::consume;
use super::model::*;

/// Person busy span `[start, end)` of a planned operation on the model's axis.
pub(crate) fn person_span(model: &Model, p: &PlannedOp) -> (i64, i64) {
    let s = model.rel(p.start, false);
    let e = model.rel(p.end, true);
    if p.fixed {
        return (s, e);
    }
    let unattended = p
        .machine_id
        .and_then(|id| model.machine_idx.get(&id))
        .is_some_and(|&m| model.machines[m].unattended);
    if unattended {
        let (Some(m), Some(pi)) = (
            p.machine_id.and_then(|id| model.machine_idx.get(&id)),
            p.person_id.and_then(|id| model.person_idx.get(&id)),
        ) else {
            return (s, s);
        };
        let se = consume(
            &model.machines[*m].win,
            Some(model.pwin(*pi)),
            s,
            p.setup_min,
            None,
        )
        .map_or(e, |x| x.1);
        (s, se)
    } else {
        (s, e)
    }
}

/// Every broken rule of `plan` for `input`, in plain English for the tests and the logs (empty when the plan is valid): known operations, allowed machine, skilled person with
/// a calendar, working minutes inside the windows, release, precedence, machine capacity
/// (stations), person capacity.
pub fn verify_plan(input: &ShopInput, plan: &PlanOut) -> Vec<String> {
    let model = Model::build(input);
    let mut errors = Vec::new();
    let mut seen: HashMap<i64, &PlannedOp> = HashMap::new();
    for p in &plan.ops {
        if seen.insert(p.op_id, p).is_some() {
            errors.push(format!("op {} planned twice", p.op_id));
        }
    }
    for p in &plan.ops {
        let Some(&o) = model.op_idx.get(&p.op_id) else {
            errors.push(format!("op {} is not in the input", p.op_id));
            continue;
        };
        let op = &model.ops[o];
        if p.fixed {
            continue;
        }
        let who = format!("op {}", p.op_id);
        let s = model.rel(p.start, false);
        let e = model.rel(p.end, true);
        if p.start < input.origin {
            errors.push(format!("{who} starts before the origin"));
        }
        if e > model.horizon {
            errors.push(format!("{who} ends beyond the horizon"));
        }
        if s < op.release {
            errors.push(format!("{who} starts before its release"));
        }
        let person = match p.person_id {
            Some(id) => match model.person_idx.get(&id) {
                Some(&pi) => {
                    let person = &input.people[model.people[pi].src];
                    if person.calendar.is_none() {
                        errors.push(format!("{who}: person {id} has no calendar"));
                    }
                    if let Some(req) = &op.input.skill
                        && !person
                            .skills
                            .iter()
                            .any(|k| k.skill == req.skill && k.level >= req.level)
                    {
                        errors.push(format!(
                            "{who}: person {id} lacks {} level {}",
                            req.skill, req.level
                        ));
                    }
                    Some(model.pwin(pi))
                }
                None => {
                    errors.push(format!("{who}: unknown person {id}"));
                    None
                }
            },
            None => None,
        };
        let check = |errors: &mut Vec<String>, got: Option<(i64, i64)>, what: &str| {
            if got != Some((s, e)) {
                errors.push(format!(
                    "{who}: {what} windows give {got:?}, plan says ({s}, {e})"
                ));
            }
        };
        match &op.kind {
            Kind::Machine(opts) => {
                let Some(opt) = p
                    .machine_id
                    .and_then(|id| model.machine_idx.get(&id))
                    .and_then(|&m| opts.iter().find(|x| x.m == m))
                else {
                    errors.push(format!(
                        "{who}: machine {:?} not among its options",
                        p.machine_id
                    ));
                    continue;
                };
                if p.setup_min != opt.setup && p.setup_min != model.reduced_setup(opt.setup) {
                    errors.push(format!(
                        "{who}: set-up {} is neither {} nor its family reduction",
                        p.setup_min, opt.setup
                    ));
                }
                if p.work_min != p.setup_min + opt.run {
                    errors.push(format!(
                        "{who}: work {} != set-up + run {}",
                        p.work_min,
                        p.setup_min + opt.run
                    ));
                }
                let mach = &model.machines[opt.m];
                let demand = if mach.unattended {
                    p.setup_min
                } else {
                    p.work_min
                };
                if demand > 0 && person.is_none() {
                    errors.push(format!("{who}: nobody on an operation that needs a person"));
                }
                if mach.unattended {
                    let se = match person {
                        Some(pw) if demand > 0 => {
                            consume(&mach.win, Some(pw), s, p.setup_min, None)
                        }
                        _ => consume(&mach.win, None, s, 0, None).map(|(a, _)| (a, a)),
                    };
                    let got = se.and_then(|(a, se)| {
                        if opt.run == 0 {
                            Some((a, se))
                        } else {
                            consume(&mach.win, None, se, opt.run, None).map(|(_, end)| (a, end))
                        }
                    });
                    check(&mut errors, got, "machine (unattended)");
                } else {
                    check(
                        &mut errors,
                        consume(&mach.win, person, s, p.work_min, None),
                        "machine ∩ person",
                    );
                }
            }
            Kind::Manual(min) => {
                if p.machine_id.is_some() {
                    errors.push(format!("{who}: a manual operation on a machine"));
                }
                match person {
                    Some(pw) => check(&mut errors, consume(pw, None, s, *min, None), "person"),
                    None if *min > 0 => {
                        errors.push(format!("{who}: manual operation without a person"))
                    }
                    None => {}
                }
            }
            Kind::Sub(days) => {
                let ok =
                    consume(&model.shop, None, s, 0, None) == Some((s, s)) && e - s == days * 1440;
                if !ok {
                    errors.push(format!(
                        "{who}: subcontract not from a working instant for {days} days"
                    ));
                }
            }
        }
        for &pr in &op.preds {
            match seen.get(&model.ops[pr].id) {
                Some(pp) if pp.end > p.start => {
                    errors.push(format!("{who} starts before predecessor {} ends", pp.op_id))
                }
                Some(_) => {}
                None => errors.push(format!(
                    "{who} planned but predecessor {} is not",
                    model.ops[pr].id
                )),
            }
        }
    }

    // Capacity: sweep of the intervals of each machine (stations) and each person (one).
    let mut machine_iv: HashMap<i64, Vec<(i64, i64, i64, bool)>> = HashMap::new();
    let mut person_iv: HashMap<i64, Vec<(i64, i64, i64, bool)>> = HashMap::new();
    for p in &plan.ops {
        let (s, e) = (model.rel(p.start, false), model.rel(p.end, true));
        if let Some(m) = p.machine_id {
            machine_iv
                .entry(m)
                .or_default()
                .push((s, e, p.op_id, p.fixed));
        }
        if let Some(id) = p.person_id {
            let (a, b) = person_span(&model, p);
            person_iv
                .entry(id)
                .or_default()
                .push((a, b, p.op_id, p.fixed));
        }
    }
    let mut sweep = |what: &str, id: i64, iv: &mut Vec<(i64, i64, i64, bool)>, cap: usize| {
        iv.retain(|x| x.1 > x.0);
        iv.sort_unstable();
        let mut running: Vec<(i64, i64, bool)> = Vec::new();
        for &(s, e, op, fixed) in iv.iter() {
            running.retain(|r| r.0 > s);
            running.push((e, op, fixed));
            if running.len() > cap && running.iter().any(|r| !r.2) {
                let ops: Vec<String> = running.iter().map(|r| r.1.to_string()).collect();
                errors.push(format!(
                    "{what} {id} over capacity {cap} with ops {}",
                    ops.join(", ")
                ));
            }
        }
    };
    let mut ids: Vec<i64> = machine_iv.keys().copied().collect();
    ids.sort_unstable();
    for id in ids {
        let cap = model
            .machine_idx
            .get(&id)
            .map_or(1, |&m| model.machines[m].stations);
        if let Some(iv) = machine_iv.get_mut(&id) {
            sweep("machine", id, iv, cap);
        }
    }
    let mut ids: Vec<i64> = person_iv.keys().copied().collect();
    ids.sort_unstable();
    for id in ids {
        if let Some(iv) = person_iv.get_mut(&id) {
            sweep("person", id, iv, 1);
        }
    }
    errors
}
