//! Working time of each person in a plan against the French limits (Code du travail:
//! L3121-18 10 h per day, L3121-20 48 h in a week, L3121-22 44 h on average over 12 weeks) and
//! the contract (time above it is overtime, which a manager validates).

use std::collections::{BTreeMap, HashMap};

use super::build::{Model, diag, fmt_date, fmt_min};
use super::decode::{Placed, State};
use super::model::*;

/// Person pieces of a planned operation, on the model's axis.
fn segments(model: &Model, op: &PlannedOp) -> Option<(usize, Vec<(i64, i64)>)> {
    let p = *model.person_idx.get(&op.person_id?)?;
    let o = model.op_idx.get(&op.op_id).copied();
    let machine = op
        .machine_id
        .and_then(|id| model.machine_idx.get(&id).copied());
    let pl = Placed {
        machine,
        station: 0,
        person: Some(p),
        start: model.rel(op.start, false),
        end: model.rel(op.end, true),
        pend: model.rel(op.end, true),
        setup: op.setup_min,
        work: op.work_min,
        reduced: false,
        // Fixed, or not an operation of the input: the person is there from start to end.
        fixed: op.fixed || o.is_none(),
    };
    Some((p, State::person_segments(model, o.unwrap_or(0), &pl)))
}

/// Planned minutes per person (model index) and day (model day index).
fn planned_of(model: &Model, ops: &[PlannedOp]) -> Vec<BTreeMap<i64, i64>> {
    let mut planned: Vec<BTreeMap<i64, i64>> = vec![BTreeMap::new(); model.people.len()];
    for op in ops {
        if let Some((p, segs)) = segments(model, op) {
            for (d, m) in State::by_day(model, &segs) {
                *planned[p].entry(d).or_insert(0) += m;
            }
        }
    }
    planned
}

/// The minutes each person is planned to work on each day of the plan, counted as the limits
/// are checked (an unattended run counts its set-up only): `(employee id, day) → minutes`.
pub fn planned_minutes_by_day(
    input: &ShopInput,
    plan: &PlanOut,
) -> BTreeMap<(i64, chrono::NaiveDate), i64> {
    let model = Model::build(input);
    let mut out = BTreeMap::new();
    for (p, days) in planned_of(&model, &plan.ops).iter().enumerate() {
        let id = model.input.people[model.people[p].src].id;
        for (&d, &m) in days {
            *out.entry((id, model.date_of_day(d))).or_insert(0) += m;
        }
    }
    out
}

pub(crate) fn working_time_of(model: &Model, ops: &[PlannedOp]) -> Vec<Diagnostic> {
    let s = &model.input.settings;
    let week_offset = State::new_week_offset(model);
    let week_of = |day: i64| (day + week_offset).div_euclid(7);
    let monday = |w: i64| model.date_of_day(w * 7 - week_offset);
    let planned = planned_of(model, ops);
    let mut out = Vec::new();
    for (p, days) in planned.iter().enumerate() {
        if days.is_empty() {
            continue;
        }
        let person = &model.input.people[model.people[p].src];
        let name = &person.name;
        let mut all: HashMap<i64, i64> = HashMap::new();
        for h in &person.history {
            let d = h.day.signed_duration_since(model.base.date()).num_days();
            if d < 0 {
                *all.entry(d).or_insert(0) += h.minutes.max(0);
            }
        }
        for (&d, &m) in days {
            *all.entry(d).or_insert(0) += m;
        }
        let mut weeks: BTreeMap<i64, i64> = BTreeMap::new();
        for (&d, &m) in &all {
            *weeks.entry(week_of(d)).or_insert(0) += m;
        }
        let with = |d: Diagnostic| Diagnostic {
            person_id: Some(person.id),
            ..d
        };
        for (&d, &m) in days {
            if m > s.max_day_min {
                out.push(with(diag(
                    "working_time_day",
                    Severity::Warning,
                    None,
                    None,
                    format!(
                        "{name} : {} planifiées le {}, au-delà de la limite de {} par jour.",
                        fmt_min(m),
                        fmt_date(model.date_of_day(d)),
                        fmt_min(s.max_day_min)
                    ),
                )));
            }
        }
        let planned_weeks: Vec<i64> = {
            let mut w: Vec<i64> = days.keys().map(|&d| week_of(d)).collect();
            w.dedup();
            w
        };
        let n = i64::from(s.avg_weeks.max(1));
        for w in planned_weeks {
            let total = weeks.get(&w).copied().unwrap_or(0);
            let label = fmt_date(monday(w));
            if total > s.max_week_min {
                out.push(with(diag("working_time_week", Severity::Warning, None, None,
                    format!("{name} : {} planifiées la semaine du {label}, au-delà de la limite de {} par semaine.",
                        fmt_min(total), fmt_min(s.max_week_min)))));
            }
            let sum: i64 = (w - n + 1..=w)
                .map(|x| weeks.get(&x).copied().unwrap_or(0))
                .sum();
            let avg = sum / n;
            if avg > s.max_avg_week_min {
                out.push(with(diag("working_time_average", Severity::Warning, None, None,
                    format!("{name} : moyenne de {} par semaine sur les {n} semaines jusqu'à celle du {label}, au-delà de {}.",
                        fmt_min(avg), fmt_min(s.max_avg_week_min)))));
            }
            if person.contract_week_min > 0 && total > person.contract_week_min {
                out.push(with(diag("overtime", Severity::Warning, None, None,
                    format!("{name} : {} d'heures supplémentaires la semaine du {label} ({} planifiées pour un contrat de {}) ; à faire valider.",
                        fmt_min(total - person.contract_week_min), fmt_min(total), fmt_min(person.contract_week_min)))));
            }
        }
    }
    out
}

/// Planned minutes per person per day and ISO week (plus `history`) against the daily, weekly
/// and 12-week average limits (`working_time_day`, `working_time_week`,
/// `working_time_average`) and the contract (`overtime`, to be validated). Warnings only.
pub fn working_time(input: &ShopInput, plan: &PlanOut) -> Vec<Diagnostic> {
    let model = Model::build(input);
    working_time_of(&model, &plan.ops)
}

impl State {
    /// Weekday of the origin (0 = Monday): day index + this, divided by 7, is the ISO week.
    pub(crate) fn new_week_offset(model: &Model) -> i64 {
        use chrono::Datelike;
        i64::from(model.base.date().weekday().num_days_from_monday())
    }
}
