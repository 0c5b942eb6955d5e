//! From a decoded state to the [`PlanOut`] the application stores: planned operations, job
//! outcomes, diagnostics and indicators.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{Duration, NaiveTime};

use super::build::{Model, diag, fmt_date, fmt_dt, fmt_min};
use super::decode::{NoPlace, State};
use super::model::*;
use super::working_time::working_time_of;

/// The planned operation as the application sees it (fixed ones keep their exact dates).
pub(crate) fn planned_op(model: &Model, o: usize, pl: &super::decode::Placed) -> PlannedOp {
    let op = &model.ops[o];
    let (start, end) = match op.fixed {
        Some(f) if pl.fixed => (f.start, f.end.max(f.start)),
        _ => (model.at(pl.start), model.at(pl.end)),
    };
    PlannedOp {
        op_id: op.id,
        job_id: model.jobs[op.job].input.id,
        machine_id: match (op.fixed, pl.fixed) {
            (Some(f), true) => f.machine_id,
            _ => pl.machine.map(|m| model.machines[m].id),
        },
        person_id: match (op.fixed, pl.fixed) {
            (Some(f), true) => f.person_id,
            _ => pl.person.map(|p| model.people[p].id),
        },
        start,
        end,
        work_min: pl.work,
        setup_min: pl.setup,
        fixed: pl.fixed,
    }
}

/// Minutes after the end of the due day (0 when on time).
pub(crate) fn lateness(due: Option<chrono::NaiveDate>, end: Option<chrono::NaiveDateTime>) -> i64 {
    match (due, end) {
        (Some(d), Some(e)) => {
            let due_end = d
                .checked_add_signed(Duration::days(1))
                .unwrap_or(d)
                .and_time(NaiveTime::MIN);
            e.signed_duration_since(due_end).num_minutes().max(0)
        }
        _ => 0,
    }
}

pub(crate) fn fixed_diagnostics(
    model: &Model,
    overlaps: &[(usize, Option<usize>, Option<usize>)],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &(o, other, person) in overlaps {
        let op = &model.ops[o];
        let job_id = model.jobs[op.job].input.id;
        let with = other.map_or_else(
            || "une autre opération figée".to_string(),
            |x| model.op_label(x),
        );
        let (on, person_id, machine_id) = match person {
            Some(p) => (model.people[p].name.clone(), Some(model.people[p].id), None),
            None => {
                let m = op.fixed.and_then(|f| f.machine_id);
                let name = m.and_then(|id| model.machine_idx.get(&id)).map_or_else(
                    || "la machine".to_string(),
                    |&mi| model.machines[mi].name.clone(),
                );
                (name, None, m)
            }
        };
        out.push(Diagnostic {
            person_id,
            machine_id,
            ..diag(
                "frozen_overlap",
                Severity::Warning,
                Some(job_id),
                Some(op.id),
                format!(
                    "{} (figée) chevauche {} sur {} : à vérifier avec l'atelier.",
                    model.op_label(o),
                    with,
                    on
                ),
            )
        });
    }
    for (o, op) in model.ops.iter().enumerate() {
        if let Some(id) = op.fixed.and_then(|f| f.machine_id)
            && !model.machine_idx.contains_key(&id)
        {
            out.push(diag(
                "unknown_machine",
                Severity::Warning,
                Some(model.jobs[op.job].input.id),
                Some(op.id),
                format!(
                    "{} (figée) est sur une machine inconnue ({id}).",
                    model.op_label(o)
                ),
            ));
        }
    }
    out
}

/// Jobs that would be late even alone in the shop (critical path on the calendars from the
/// origin, every machine and person free except for fixed operations of the job itself).
pub(crate) fn impossible_due_dates(model: &Model, fixed: &State) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut lone = State::new(model);
    for (j, job) in model.jobs.iter().enumerate() {
        let Some(due_t) = job.due_t else { continue };
        if job.sur_urgent
            || job
                .topo
                .iter()
                .any(|&o| !model.ops[o].ok && model.ops[o].fixed.is_none())
        {
            continue;
        }
        let mut end = i64::MIN;
        let mut complete = true;
        for &o in &job.topo {
            let placed = match (model.ops[o].fixed, fixed.placed[o]) {
                (Some(_), Some(pl)) => {
                    lone.book(model, o, pl);
                    Some(pl)
                }
                _ => lone.place(model, o, None).ok(),
            };
            match placed {
                Some(pl) => end = end.max(pl.end),
                None => {
                    complete = false;
                    break;
                }
            }
        }
        for &o in &job.topo {
            lone.unbook(model, o);
        }
        if complete && end > due_t {
            let due = job.input.due.map(fmt_date).unwrap_or_default();
            out.push(diag("impossible_due_date", Severity::Warning, Some(job.input.id), None,
                format!("{} : la date souhaitée du {} ne peut pas être tenue, même en passant avant tout le reste : fin au plus tôt le {}.",
                    model.job_label(j), due, fmt_dt(model.at(end)))));
        }
    }
    out
}

/// Builds the result of a decoded state.
pub(crate) fn finish(
    model: &Model,
    state: &State,
    failed: &[(usize, NoPlace)],
    mut diags: Vec<Diagnostic>,
    iterations: u64,
    started: Instant,
) -> PlanOut {
    let mut ops: Vec<PlannedOp> = state
        .placed
        .iter()
        .enumerate()
        .filter_map(|(o, pl)| pl.as_ref().map(|pl| planned_op(model, o, pl)))
        .collect();
    ops.sort_by_key(|p| (p.start, p.op_id));

    let horizon_days = model.horizon / 1440;
    let mut blocked: HashMap<usize, Vec<String>> = HashMap::new();
    for &(o, why) in failed {
        let op = &model.ops[o];
        match why {
            NoPlace::Horizon => diags.push(diag("beyond_horizon", Severity::Error, Some(model.jobs[op.job].input.id), Some(op.id),
                format!("{} ne tient pas dans l'horizon de {} jours (calendriers et charge) : non planifiée.",
                    model.op_label(o), horizon_days))),
            NoPlace::Blocked => blocked.entry(op.job).or_default().push(op.input.position.to_string()),
        }
    }
    let mut blocked: Vec<(usize, Vec<String>)> = blocked.into_iter().collect();
    blocked.sort_unstable();
    for (j, positions) in blocked {
        diags.push(diag(
            "blocked",
            Severity::Error,
            Some(model.jobs[j].input.id),
            None,
            format!(
                "{} : les opérations {} attendent une opération non planifiée.",
                model.job_label(j),
                positions.join(", ")
            ),
        ));
    }

    // A fixed operation that starts before a planned predecessor ends.
    for (o, op) in model.ops.iter().enumerate() {
        let (Some(_), Some(pl)) = (op.fixed, state.placed[o]) else {
            continue;
        };
        for &p in &op.preds {
            if let Some(pp) = state.placed[p]
                && pp.end > pl.start
                && !pp.fixed
            {
                diags.push(diag(
                    "fixed_precedence",
                    Severity::Warning,
                    Some(model.jobs[op.job].input.id),
                    Some(op.id),
                    format!(
                        "{} est figée avant la fin de {} ({}).",
                        model.op_label(o),
                        model.op_label(p),
                        fmt_dt(model.at(pp.end))
                    ),
                ));
            }
        }
    }

    let mut jobs = Vec::with_capacity(model.jobs.len());
    let mut weighted_tardiness = 0;
    let mut late_jobs = 0;
    let by_op: HashMap<i64, &PlannedOp> = ops.iter().map(|p| (p.op_id, p)).collect();
    for (j, job) in model.jobs.iter().enumerate() {
        let mut end = None;
        let mut complete = !job.topo.is_empty() || job.input.operations.is_empty();
        for &o in &job.topo {
            match by_op.get(&model.ops[o].id) {
                Some(p) => end = Some(end.map_or(p.end, |e: chrono::NaiveDateTime| e.max(p.end))),
                None => complete = false,
            }
        }
        let end = if complete { end } else { None };
        let late = lateness(job.input.due, end);
        if job.sur_urgent {
            diags.push(diag("sur_urgent", Severity::Warning, Some(job.input.id), None,
                format!("{} : la date souhaitée du {} est dépassée ; l'OF passe en sur-urgent (priorité relevée).",
                    model.job_label(j), job.input.due.map(fmt_date).unwrap_or_default())));
        }
        if late > 0 {
            late_jobs += 1;
            weighted_tardiness += late * job.weight;
            diags.push(diag(
                "late",
                Severity::Warning,
                Some(job.input.id),
                None,
                format!(
                    "{} : fin prévue le {}, {} après la date souhaitée du {}.",
                    model.job_label(j),
                    end.map(fmt_dt).unwrap_or_default(),
                    fmt_min(late),
                    job.input.due.map(fmt_date).unwrap_or_default()
                ),
            ));
        }
        jobs.push(JobOutcome {
            job_id: job.input.id,
            end,
            due: job.input.due,
            lateness_min: late,
            sur_urgent: job.sur_urgent,
        });
    }

    diags.extend(working_time_of(model, &ops));

    let kpis = Kpis {
        weighted_tardiness,
        late_jobs,
        makespan_end: ops.iter().map(|p| p.end).max(),
        setup_min: ops.iter().filter(|p| !p.fixed).map(|p| p.setup_min).sum(),
        planned_ops: ops.len(),
        unplanned_ops: model.ops.len().saturating_sub(ops.len()),
        iterations,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    PlanOut {
        ops,
        jobs,
        diagnostics: diags,
        kpis,
    }
}
