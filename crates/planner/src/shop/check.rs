//! A manual move on the Gantt: accepted with its recomputed dates, or refused with every reason
//! in French.

use super::build::{Kind, Model, Opt, fmt_dt};
use super::model::*;
use super::verify::person_span;

fn violation(code: &str, message: String) -> Violation {
    Violation {
        code: code.into(),
        message,
    }
}

/// Checks a drag of `request.op_id` to `request.start` (on another machine and/or person when
/// given) against the skills, the calendars, the capacity of the machine (stations) and of the
/// person, and the precedences in `plan`. On success, the operation with its set-up and work
/// times for the target machine and its end computed through the calendars.
pub fn check_move(
    input: &ShopInput,
    plan: &PlanOut,
    request: &MoveRequest,
) -> Result<PlannedOp, Vec<Violation>> {
    let model = Model::build(input);
    let Some(&o) = model.op_idx.get(&request.op_id) else {
        return Err(vec![violation(
            "unknown_operation",
            format!("L'opération {} n'existe pas.", request.op_id),
        )]);
    };
    let op = &model.ops[o];
    let label = model.op_label(o);
    let current = plan.ops.iter().find(|p| p.op_id == request.op_id);
    if op.fixed.is_some() || current.is_some_and(|c| c.fixed) {
        return Err(vec![violation(
            "fixed",
            format!("{label} est en cours ou figée : elle ne peut pas être déplacée."),
        )]);
    }
    let mut v = Vec::new();
    if request.start < input.origin {
        v.push(violation(
            "before_origin",
            format!(
                "{label} ne peut pas commencer avant le {}.",
                fmt_dt(input.origin)
            ),
        ));
    }

    // Resources.
    let machine_id = request.machine_id.or(current.and_then(|c| c.machine_id));
    let mut opt: Option<Opt> = None;
    let mut resources_ok = true;
    match &op.kind {
        Kind::Machine(opts) => match machine_id {
            None => {
                resources_ok = false;
                v.push(violation(
                    "machine_not_allowed",
                    format!("{label} doit être placée sur une machine."),
                ));
            }
            Some(id) => match model.machine_idx.get(&id) {
                None => {
                    resources_ok = false;
                    v.push(violation(
                        "unknown_resource",
                        format!("La machine {id} n'existe pas."),
                    ));
                }
                Some(&m) => match opts.iter().find(|x| x.m == m) {
                    Some(x) => opt = Some(*x),
                    None => {
                        resources_ok = false;
                        v.push(violation(
                            "machine_not_allowed",
                            format!(
                                "{} ne fait pas partie des machines prévues pour {label}.",
                                model.machines[m].name
                            ),
                        ));
                    }
                },
            },
        },
        Kind::Manual(_) | Kind::Sub(_) => {
            if request.machine_id.is_some() {
                resources_ok = false;
                v.push(violation(
                    "machine_not_allowed",
                    format!("{label} se fait sans machine."),
                ));
            }
        }
    }
    let person_id = match op.kind {
        Kind::Sub(_) => None,
        _ => request.person_id.or(current.and_then(|c| c.person_id)),
    };
    let mut person: Option<usize> = None;
    if let Some(id) = person_id {
        match model.person_idx.get(&id) {
            None => {
                resources_ok = false;
                v.push(violation(
                    "unknown_resource",
                    format!("La personne {id} n'existe pas."),
                ));
            }
            Some(&p) => {
                let who = &input.people[model.people[p].src];
                if let Some(req) = &op.input.skill {
                    let best = who
                        .skills
                        .iter()
                        .filter(|s| s.skill == req.skill)
                        .map(|s| s.level)
                        .max();
                    match best {
                        None => {
                            resources_ok = false;
                            v.push(violation(
                                "skill",
                                format!("{} n'a pas la compétence « {} ».", who.name, req.skill),
                            ));
                        }
                        Some(l) if l < req.level => {
                            resources_ok = false;
                            v.push(violation(
                                "skill",
                                format!(
                                    "{} n'a pas la compétence « {} » niveau {} (son niveau : {l}).",
                                    who.name, req.skill, req.level
                                ),
                            ));
                        }
                        Some(_) => {}
                    }
                }
                if who.calendar.is_none() {
                    resources_ok = false;
                    v.push(violation(
                        "calendar",
                        format!("{} n'a pas de calendrier de travail.", who.name),
                    ));
                }
                person = Some(p);
            }
        }
    }
    let needs_person = match (&op.kind, opt) {
        (Kind::Machine(_), Some(x)) => {
            if model.machines[x.m].unattended {
                x.setup > 0
            } else {
                x.setup + x.run > 0
            }
        }
        (Kind::Manual(min), _) => *min > 0,
        _ => false,
    };
    if needs_person && person_id.is_none() {
        resources_ok = false;
        let what = op.input.skill.as_ref().map_or(String::new(), |r| {
            format!(" ayant la compétence « {} » niveau {}", r.skill, r.level)
        });
        v.push(violation(
            "skill",
            format!("{label} demande une personne{what}."),
        ));
    }
    if !resources_ok {
        return Err(v);
    }

    // Set-up after the same family on the target machine (the operation ending last before).
    let s = model.rel(request.start, false);
    let others: Vec<&PlannedOp> = plan
        .ops
        .iter()
        .filter(|p| p.op_id != request.op_id)
        .collect();
    if let (Some(x), Some(fam)) = (opt.as_mut(), op.input.setup_family.as_ref()) {
        let prev = others
            .iter()
            .filter(|p| p.machine_id == Some(model.machines[x.m].id) && p.end <= request.start)
            .max_by_key(|p| (p.end, p.op_id));
        let same = prev
            .and_then(|p| model.op_idx.get(&p.op_id))
            .is_some_and(|&po| model.ops[po].input.setup_family.as_ref() == Some(fam));
        if same {
            x.setup = model.reduced_setup(x.setup);
        }
    }

    // Calendars.
    let state = super::decode::State::new(&model);
    let pl = state.fits_at(&model, o, opt, 0, person, s, false);
    let Some(pl) = pl else {
        let mut why = Vec::new();
        if let Some(x) = opt
            && !model.machines[x.m].win.contains(s)
        {
            why.push(format!(
                "{} ne travaille pas à cette heure",
                model.machines[x.m].name
            ));
        }
        if let Some(p) = person
            && !model.pwin(p).contains(s)
        {
            why.push(format!(
                "{} ne travaille pas à cette heure",
                model.people[p].name
            ));
        }
        if matches!(op.kind, Kind::Sub(_)) && !model.shop.contains(s) {
            why.push("l'atelier est fermé à cette heure".to_string());
        }
        if why.is_empty() {
            why.push(format!(
                "elle ne tient pas dans les calendriers avant la fin de l'horizon ({} jours)",
                model.horizon / 1440
            ));
        }
        v.push(violation(
            "calendar",
            format!(
                "{label} ne peut pas commencer le {} : {}.",
                fmt_dt(request.start),
                why.join(", ")
            ),
        ));
        return Err(v);
    };
    // `fits_at` ran on an empty state: a reduced set-up is what we computed above, not its own.
    let (setup, work) = match opt {
        Some(x) => (x.setup, x.setup + x.run),
        None => (pl.setup, pl.work),
    };
    let end = model.at(pl.end);
    let pend = pl.pend;
    if s < op.release {
        v.push(violation(
            "release",
            format!(
                "{label} ne peut pas commencer avant le {} (matière ou outils disponibles).",
                fmt_dt(model.at(op.release))
            ),
        ));
    }

    // Capacity.
    if let Some(x) = opt {
        let mid = model.machines[x.m].id;
        let clash: Vec<&&PlannedOp> = others
            .iter()
            .filter(|p| {
                p.machine_id == Some(mid)
                    && p.start < end.max(request.start)
                    && p.end > request.start
            })
            .collect();
        if clash.len() >= model.machines[x.m].stations {
            let c = clash[0];
            let what = model.op_idx.get(&c.op_id).map_or_else(
                || format!("l'opération {}", c.op_id),
                |&co| model.op_label(co),
            );
            v.push(violation(
                "capacity",
                format!(
                    "{} est déjà occupée par {what} du {} au {}.",
                    model.machines[x.m].name,
                    fmt_dt(c.start),
                    fmt_dt(c.end)
                ),
            ));
        }
    }
    if let Some(p) = person {
        let pid = model.people[p].id;
        for c in others.iter().filter(|c| c.person_id == Some(pid)) {
            let (a, b) = person_span(&model, c);
            if a < pend && b > s {
                let what = model.op_idx.get(&c.op_id).map_or_else(
                    || format!("l'opération {}", c.op_id),
                    |&co| model.op_label(co),
                );
                v.push(violation(
                    "capacity",
                    format!(
                        "{} est déjà sur {what} du {} au {}.",
                        model.people[p].name,
                        fmt_dt(c.start),
                        fmt_dt(c.end)
                    ),
                ));
                break;
            }
        }
    }

    // Precedence.
    for &pr in &op.preds {
        match others.iter().find(|p| p.op_id == model.ops[pr].id) {
            Some(pp) if pp.end > request.start => v.push(violation(
                "precedence",
                format!(
                    "{label} commencerait avant la fin de {} ({}).",
                    model.op_label(pr),
                    fmt_dt(pp.end)
                ),
            )),
            Some(_) => {}
            None => v.push(violation(
                "precedence",
                format!(
                    "{label} attend {}, qui n'est pas planifiée.",
                    model.op_label(pr)
                ),
            )),
        }
    }
    for &su in &op.succs {
        if let Some(sp) = others.iter().find(|p| p.op_id == model.ops[su].id)
            && sp.start < end
        {
            v.push(violation(
                "precedence",
                format!(
                    "{label} finirait le {}, après le début de {} ({}).",
                    fmt_dt(end),
                    model.op_label(su),
                    fmt_dt(sp.start)
                ),
            ));
        }
    }
    if !v.is_empty() {
        return Err(v);
    }
    Ok(PlannedOp {
        op_id: op.id,
        job_id: model.jobs[op.job].input.id,
        machine_id: opt.map(|x| model.machines[x.m].id),
        person_id: pl.person.map(|p| model.people[p].id),
        start: model.at(pl.start),
        end,
        work_min: work,
        setup_min: setup,
        fixed: false,
    })
}
