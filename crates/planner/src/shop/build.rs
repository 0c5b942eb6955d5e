//! The input checked and indexed: machines, people and operations with their windows on the
//! time axis, precedence graph, eligible people, weights, and the French diagnostics of what
//! cannot be planned.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::calendar::{Windows, minutes_between};
use super::model::*;

/// Longest horizon the planner accepts (days); a longer one is clamped (bounded memory and time).
pub(crate) const MAX_HORIZON_DAYS: u32 = 730;
/// Most identical stations a machine may declare.
const MAX_STATIONS: u32 = 64;

pub(crate) struct Machine {
    pub id: i64,
    pub name: String,
    pub stations: usize,
    pub unattended: bool,
    pub win: Windows,
}

pub(crate) struct Person {
    pub id: i64,
    /// Index in `ShopInput::people`.
    pub src: usize,
    pub name: String,
    pub win: Option<Windows>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Opt {
    pub m: usize,
    pub setup: i64,
    pub run: i64,
}

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Machine(Vec<Opt>),
    Manual(i64),
    Sub(i64),
}

pub(crate) struct Op<'a> {
    pub id: i64,
    pub job: usize,
    pub input: &'a OpIn,
    pub kind: Kind,
    /// Operation indices of the predecessors / successors (same job, known ids).
    pub preds: Vec<usize>,
    pub succs: Vec<usize>,
    /// People with the skill, level and a calendar, by (level, id).
    pub eligible: Vec<usize>,
    pub family: Option<u32>,
    /// Earliest start on the axis (origin, release).
    pub release: i64,
    /// Can be planned (its own data is valid and its job has no cycle); fixed ops are placed
    /// as given whatever this says.
    pub ok: bool,
    pub fixed: Option<&'a Fixed>,
}

pub(crate) struct Job<'a> {
    pub input: &'a JobIn,
    /// Operation indices in a topological order (ties: position, id); empty on a cycle.
    pub topo: Vec<usize>,
    pub weight: i64,
    pub due_t: Option<i64>,
    pub sur_urgent: bool,
}

pub(crate) struct Model<'a> {
    pub input: &'a ShopInput,
    pub base: NaiveDateTime,
    /// Minute of the day of `base`.
    pub base_tod: i64,
    /// First usable minute (0, or 1 when the origin has seconds).
    pub min_t: i64,
    pub horizon: i64,
    pub machines: Vec<Machine>,
    pub machine_idx: HashMap<i64, usize>,
    pub people: Vec<Person>,
    pub person_idx: HashMap<i64, usize>,
    /// Union of the machine windows: the shop's calendar (subcontract departures, core axis).
    pub shop: Windows,
    pub ops: Vec<Op<'a>>,
    pub op_idx: HashMap<i64, usize>,
    pub jobs: Vec<Job<'a>>,
    pub setup_factor: f64,
    pub diags: Vec<Diagnostic>,
}

pub(crate) fn diag(
    code: &str,
    severity: Severity,
    job_id: Option<i64>,
    op_id: Option<i64>,
    message: String,
) -> Diagnostic {
    Diagnostic {
        code: code.into(),
        severity,
        job_id,
        op_id,
        person_id: None,
        machine_id: None,
        message,
    }
}

/// `15/03/2026 14:30`
pub(crate) fn fmt_dt(dt: NaiveDateTime) -> String {
    dt.format("%d/%m/%Y %H:%M").to_string()
}

pub(crate) fn fmt_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `3 h 20` / `45 min`.
pub(crate) fn fmt_min(m: i64) -> String {
    if m.abs() < 60 {
        format!("{m} min")
    } else if m % 60 == 0 {
        format!("{} h", m / 60)
    } else {
        format!("{} h {:02}", m / 60, (m % 60).abs())
    }
}

impl<'a> Model<'a> {
    pub fn at(&self, t: i64) -> NaiveDateTime {
        self.base
            .checked_add_signed(Duration::minutes(t))
            .unwrap_or(NaiveDateTime::MAX)
    }

    pub fn rel(&self, dt: NaiveDateTime, ceil: bool) -> i64 {
        minutes_between(self.base, dt, ceil)
    }

    /// Day index (0 = the origin's date) of minute `t`.
    pub fn day_of(&self, t: i64) -> i64 {
        (t + self.base_tod).div_euclid(1440)
    }

    pub fn date_of_day(&self, day: i64) -> NaiveDate {
        self.base
            .date()
            .checked_add_signed(Duration::days(day))
            .unwrap_or(NaiveDate::MAX)
    }

    pub fn job_label(&self, j: usize) -> String {
        let job = self.jobs[j].input;
        // Job numbers usually carry their kind already (`OF-2026-0001`).
        let number = if job.number.starts_with("OF") {
            job.number.clone()
        } else {
            format!("OF {}", job.number)
        };
        if job.part.is_empty() {
            number
        } else {
            format!("{number} ({})", job.part)
        }
    }

    pub fn op_label(&self, o: usize) -> String {
        let op = self.ops[o].input;
        format!(
            "{} op. {} « {} »",
            self.job_label(self.ops[o].job),
            op.position,
            op.label
        )
    }

    /// Windows of a person (empty when they have no calendar).
    pub fn pwin(&self, p: usize) -> &Windows {
        static EMPTY: Windows = Windows { iv: Vec::new() };
        self.people[p].win.as_ref().unwrap_or(&EMPTY)
    }

    /// Set-up after the family reduction.
    pub fn reduced_setup(&self, setup: i64) -> i64 {
        let f = if self.setup_factor.is_finite() {
            self.setup_factor.clamp(0.0, 1.0)
        } else {
            1.0
        };
        (setup as f64 * f).round() as i64
    }

    pub fn build(input: &'a ShopInput) -> Model<'a> {
        let base = input
            .origin
            .with_second(0)
            .and_then(|d| d.with_nanosecond(0))
            .unwrap_or(input.origin);
        let min_t = if base == input.origin { 0 } else { 1 };
        let base_tod = i64::from(base.time().num_seconds_from_midnight()) / 60;
        let horizon_days = input.horizon_days.min(MAX_HORIZON_DAYS);
        let horizon = i64::from(horizon_days) * 1440;
        let mut diags = Vec::new();

        let mut machines = Vec::new();
        let mut machine_idx = HashMap::new();
        for m in &input.machines {
            if machine_idx.contains_key(&m.id) {
                diags.push(Diagnostic {
                    machine_id: Some(m.id),
                    ..diag("duplicate_machine", Severity::Warning, None, None,
                        format!("La machine {} ({}) est déclarée deux fois : seule la première est utilisée.", m.code, m.id))
                });
                continue;
            }
            machine_idx.insert(m.id, machines.len());
            machines.push(Machine {
                id: m.id,
                name: if m.code.is_empty() {
                    m.name.clone()
                } else {
                    format!("{} {}", m.code, m.name).trim().to_string()
                },
                stations: m.stations.clamp(1, MAX_STATIONS) as usize,
                unattended: m.unattended_run,
                win: Windows::build(&m.calendar, base, min_t, horizon),
            });
        }

        let mut people = Vec::new();
        let mut person_idx = HashMap::new();
        for (src, p) in input.people.iter().enumerate() {
            if person_idx.contains_key(&p.id) {
                continue;
            }
            if p.calendar.is_none() {
                diags.push(Diagnostic {
                    person_id: Some(p.id),
                    ..diag("no_calendar", Severity::Warning, None, None,
                        format!("{} n'a pas de calendrier de travail : cette personne n'est jamais planifiée.", p.name))
                });
            }
            person_idx.insert(p.id, people.len());
            people.push(Person {
                id: p.id,
                src,
                name: p.name.clone(),
                win: p
                    .calendar
                    .as_ref()
                    .map(|c| Windows::build(c, base, min_t, horizon)),
            });
        }

        let shop = if machines.iter().any(|m| !m.win.iv.is_empty()) {
            Windows::union(machines.iter().map(|m| &m.win))
        } else if people
            .iter()
            .any(|p| p.win.as_ref().is_some_and(|w| !w.iv.is_empty()))
        {
            Windows::union(people.iter().filter_map(|p| p.win.as_ref()))
        } else {
            Windows::always(min_t, horizon)
        };

        let mut families: HashMap<&str, u32> = HashMap::new();
        let mut ops: Vec<Op> = Vec::new();
        let mut op_idx = HashMap::new();
        let mut jobs = Vec::new();
        for (j, job) in input.jobs.iter().enumerate() {
            let sur_urgent = job.due.is_some_and(|d| d < input.today);
            let mut weight = 1 + i64::from(job.priority.clamp(0, 3));
            if job.critical {
                weight *= 3;
            }
            if sur_urgent {
                weight *= 10;
            }
            let due_t = job.due.map(|d| {
                let end = d
                    .checked_add_signed(Duration::days(1))
                    .unwrap_or(NaiveDate::MAX)
                    .and_time(NaiveTime::MIN);
                minutes_between(base, end, false)
            });
            let first = ops.len();
            for op in &job.operations {
                if op_idx.contains_key(&op.id) {
                    diags.push(diag("duplicate_operation", Severity::Error, Some(job.id), Some(op.id),
                        format!("L'opération {} de l'OF {} est déclarée deux fois : la seconde est ignorée.", op.id, job.number)));
                    continue;
                }
                op_idx.insert(op.id, ops.len());
                let family = op.setup_family.as_deref().map(|f| {
                    let n = families.len() as u32;
                    *families.entry(f).or_insert(n)
                });
                let release = op
                    .release
                    .map_or(min_t, |r| minutes_between(base, r, true).max(min_t));
                ops.push(Op {
                    id: op.id,
                    job: j,
                    input: op,
                    kind: Kind::Manual(0),
                    preds: Vec::new(),
                    succs: Vec::new(),
                    eligible: Vec::new(),
                    family,
                    release,
                    ok: true,
                    fixed: op.fixed.as_ref(),
                });
            }
            jobs.push(Job {
                input: job,
                topo: Vec::new(),
                weight,
                due_t,
                sur_urgent,
            });
            let _ = first;
        }

        let mut model = Model {
            input,
            base,
            base_tod,
            min_t,
            horizon,
            machines,
            machine_idx,
            people,
            person_idx,
            shop,
            ops,
            op_idx,
            jobs,
            setup_factor: input.settings.same_family_setup_factor,
            diags,
        };
        model.check_operations();
        model.check_precedences();
        model
    }

    /// Resources and skills of each operation.
    fn check_operations(&mut self) {
        let input = self.input;
        for o in 0..self.ops.len() {
            let op = self.ops[o].input;
            let job = self.jobs[self.ops[o].job].input;
            let label = self.op_label(o);
            let mut ok = true;
            let kind = match &op.resource {
                OpResource::Machine { options } => {
                    let mut opts = Vec::new();
                    let mut unknown = Vec::new();
                    for opt in options {
                        match self.machine_idx.get(&opt.machine_id) {
                            Some(&m) if !opts.iter().any(|x: &Opt| x.m == m) => opts.push(Opt {
                                m,
                                setup: opt.setup_min.max(0),
                                run: opt.run_min.max(0),
                            }),
                            Some(_) => {}
                            None => unknown.push(opt.machine_id.to_string()),
                        }
                    }
                    if options.is_empty() {
                        ok = false;
                        self.diags.push(diag("no_machine", Severity::Error, Some(job.id), Some(op.id),
                            format!("{label} : aucune machine ne peut réaliser cette opération ; elle n'est pas planifiée.")));
                    } else if opts.is_empty() {
                        ok = false;
                        self.diags.push(diag("unknown_machine", Severity::Error, Some(job.id), Some(op.id),
                            format!("{label} : machine(s) inconnue(s) ({}) ; l'opération n'est pas planifiée.", unknown.join(", "))));
                    } else if !unknown.is_empty() {
                        self.diags.push(diag(
                            "unknown_machine",
                            Severity::Warning,
                            Some(job.id),
                            Some(op.id),
                            format!(
                                "{label} : machine(s) inconnue(s) ignorée(s) ({}).",
                                unknown.join(", ")
                            ),
                        ));
                    }
                    Kind::Machine(opts)
                }
                OpResource::Manual { minutes } => Kind::Manual((*minutes).max(0)),
                OpResource::Subcontract { lead_days } => {
                    Kind::Sub((*lead_days).clamp(0, i64::from(MAX_HORIZON_DAYS) + 1))
                }
            };
            let needs_person = !matches!(kind, Kind::Sub(_));
            let mut eligible: Vec<usize> = Vec::new();
            let mut skilled_without_calendar = Vec::new();
            if needs_person {
                for (pi, mp) in self.people.iter().enumerate() {
                    let person = &input.people[mp.src];
                    let fits = match &op.skill {
                        None => true,
                        Some(req) => person
                            .skills
                            .iter()
                            .any(|s| s.skill == req.skill && s.level >= req.level),
                    };
                    if !fits {
                        continue;
                    }
                    if mp.win.is_some() {
                        eligible.push(pi);
                    } else {
                        skilled_without_calendar.push(person.name.clone());
                    }
                }
                let level = |pi: usize| -> i32 {
                    op.skill.as_ref().map_or(0, |req| {
                        let p = &input.people[self.people[pi].src];
                        p.skills
                            .iter()
                            .filter(|s| s.skill == req.skill)
                            .map(|s| s.level)
                            .max()
                            .unwrap_or(0)
                    })
                };
                eligible.sort_by_key(|&pi| (level(pi), self.people[pi].id));
                if eligible.is_empty() && self.ops[o].fixed.is_none() {
                    ok = false;
                    let need = match &op.skill {
                        Some(req) => {
                            format!("la compétence « {} » niveau {}", req.skill, req.level)
                        }
                        None => "une personne".to_string(),
                    };
                    let extra = if skilled_without_calendar.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " ({} l'a mais sans calendrier)",
                            skilled_without_calendar.join(", ")
                        )
                    };
                    self.diags.push(diag("no_skilled_person", Severity::Error, Some(job.id), Some(op.id),
                        format!("{label} : personne avec un calendrier n'a {need}{extra} ; l'opération n'est pas planifiée.")));
                }
            }
            let o_mut = &mut self.ops[o];
            o_mut.kind = kind;
            o_mut.eligible = eligible;
            o_mut.ok = ok;
        }
    }

    /// Precedence graph per job, cycles, and what cannot be planned because a predecessor
    /// cannot.
    fn check_precedences(&mut self) {
        for j in 0..self.jobs.len() {
            let job = self.jobs[j].input;
            let mut members: Vec<usize> = job
                .operations
                .iter()
                .filter_map(|op| self.op_idx.get(&op.id).copied())
                .filter(|&o| self.ops[o].job == j)
                .collect();
            members.sort_unstable();
            members.dedup();
            for &o in &members {
                let mut preds = Vec::new();
                for p in &self.ops[o].input.predecessors {
                    match self.op_idx.get(p) {
                        Some(&po) if self.ops[po].job == j && po != o => {
                            if !preds.contains(&po) {
                                preds.push(po);
                            }
                        }
                        Some(&po) if po == o => {
                            self.diags.push(diag(
                                "cycle",
                                Severity::Error,
                                Some(job.id),
                                Some(self.ops[o].id),
                                format!(
                                    "{} : l'opération est sa propre prédécesseur.",
                                    self.op_label(o)
                                ),
                            ));
                            preds.push(po);
                        }
                        _ => self.diags.push(diag(
                            "unknown_predecessor",
                            Severity::Warning,
                            Some(job.id),
                            Some(self.ops[o].id),
                            format!(
                                "{} : prédécesseur {} inconnu dans cet OF, ignoré.",
                                self.op_label(o),
                                p
                            ),
                        )),
                    }
                }
                for &po in &preds {
                    if !self.ops[po].succs.contains(&o) {
                        self.ops[po].succs.push(o);
                    }
                }
                self.ops[o].preds = preds;
            }
            // Kahn, smallest (position, id) first.
            let mut indeg: HashMap<usize, usize> = members
                .iter()
                .map(|&o| (o, self.ops[o].preds.len()))
                .collect();
            let mut ready: Vec<usize> = members.iter().copied().filter(|o| indeg[o] == 0).collect();
            let mut topo = Vec::with_capacity(members.len());
            while !ready.is_empty() {
                ready.sort_by_key(|&o| {
                    std::cmp::Reverse((self.ops[o].input.position, self.ops[o].id))
                });
                let o = ready.pop().unwrap_or_default();
                topo.push(o);
                for &s in &self.ops[o].succs {
                    if let Some(d) = indeg.get_mut(&s) {
                        *d -= 1;
                        if *d == 0 {
                            ready.push(s);
                        }
                    }
                }
            }
            if topo.len() < members.len() {
                let mut stuck: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|o| !topo.contains(o))
                    .collect();
                stuck.sort_by_key(|&o| (self.ops[o].input.position, self.ops[o].id));
                let names: Vec<String> = stuck
                    .iter()
                    .map(|&o| {
                        format!(
                            "{} « {} »",
                            self.ops[o].input.position, self.ops[o].input.label
                        )
                    })
                    .collect();
                self.diags.push(diag("cycle", Severity::Error, Some(job.id), None,
                    format!("{} : les prédécesseurs forment un cycle entre les opérations {} ; l'OF n'est pas planifié.",
                        self.job_label(j), names.join(", "))));
                for &o in &members {
                    self.ops[o].ok = false;
                }
                // Still give every op a place in `topo` (fixed ones are placed as given).
                topo.extend(stuck);
            } else {
                let mut blocked = Vec::new();
                for &o in &topo {
                    if self.ops[o].fixed.is_some() {
                        continue;
                    }
                    let pred_bad = self.ops[o]
                        .preds
                        .iter()
                        .any(|&p| !self.ops[p].ok && self.ops[p].fixed.is_none());
                    if self.ops[o].ok && pred_bad {
                        self.ops[o].ok = false;
                        blocked.push(format!("{}", self.ops[o].input.position));
                    }
                }
                if !blocked.is_empty() {
                    self.diags.push(diag("blocked", Severity::Error, Some(job.id), None,
                        format!("{} : les opérations {} attendent une opération qui ne peut pas être planifiée.",
                            self.job_label(j), blocked.join(", "))));
                }
            }
            self.jobs[j].topo = topo;
        }
    }
}
