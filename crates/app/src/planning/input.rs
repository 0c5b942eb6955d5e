//! Reads the shop into the planner's model: machines (same-kind alternatives, stations,
//! calendars, downtime), people (skills, calendars, absences, hours already worked), jobs ready
//! or in progress with their operations not finished (running ones fixed where they run,
//! pinned ones where a person put them), and the current plan.
//!
//! Rules taken here (see docs/planner.md):
//! - an operation may run on its routed machine or on any other active machine of the same
//!   kind; on another machine its run time is scaled by the ratio of the machines' maximum
//!   spindle speeds, bounded to [0.7, 1.5] (set-up unchanged) — an estimate, shown as such;
//! - routing skills map to HR skills: sciage/découpe → SAW, tournage_cn → LATHE (LATHE_Y
//!   counts), fraisage_cn → MILL3 (MILL4/MILL5 count), fraisage_5axes → MILL5, soudure → WELD
//!   (TIG or MIG), pliage → BEND, rectification → GRIND, ébavurage → DEBURR (level 1),
//!   contrôle → CMM (level 1), contrôle MMT → CMM; level 2 (autonomous) unless stated;
//! - people planned: active employees of category ouvrier/apprenti/intérimaire, or anybody with
//!   a calendar of their own; their week is their own calendar, else their contract hours per
//!   day from 07:30 with a lunch break 12:00–13:00 (none: no calendar, reported);
//! - a machine `en_panne`/`en_maintenance` is unavailable over the whole horizon;
//! - an operation whose tool broke with none in stock (urgent purchase) starts at the earliest
//!   [`URGENT_TOOL_DAYS`] days after the breakage, unless a tool came into stock since.

use super::{PlanningSettings, load_settings, local, minutes};
use crate::error::AppError;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, HashMap};
use usinage_planner::shop::{
    Calendar, DayMinutes, Fixed, JobIn, JobOutcome, MachineIn, MachineOption, OpIn, OpResource,
    PersonIn, PlanOut, PlannedOp, Shift, ShopInput, ShopSettings, SkillLevel, Unavailability,
};
use usinage_store::entities::{
    employee, employee_skill, job, job_operation, machine, order, order_line, planned_operation,
    shop_closure, time_entry, tool_breakage, tool_stock, unavailability, work_calendar,
};

/// Working days a tool bought urgently after a breakage takes to arrive, when none is in stock
/// (the operation waits for it; the machine takes another part meanwhile).
pub const URGENT_TOOL_DAYS: i64 = 3;

/// What the views need besides the planner's input.
#[derive(Debug, Clone, Default)]
pub struct OpInfo {
    pub job_id: i64,
    pub job_number: String,
    pub order_number: String,
    pub part: String,
    pub label: String,
    pub process: String,
    pub position: i32,
    pub status: String,
    pub due: Option<NaiveDate>,
    pub critical: bool,
    pub priority: i32,
    pub sur_urgent: bool,
}

pub struct Loaded {
    pub input: ShopInput,
    pub settings: PlanningSettings,
    pub ops: HashMap<i64, OpInfo>,
    pub machines: Vec<machine::Model>,
    pub employees: HashMap<i64, employee::Model>,
    /// Employee of each user account.
    pub employee_of_user: HashMap<i64, i64>,
    /// The current plan's rows.
    pub current: Vec<planned_operation::Model>,
}

impl Loaded {
    pub fn machine_code(&self, id: i64) -> String {
        self.machines
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.code.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }
    pub fn person_name(&self, id: i64) -> String {
        self.employees
            .get(&id)
            .map(|e| format!("{} {}", e.first_name, e.last_name))
            .unwrap_or_else(|| format!("#{id}"))
    }

    /// The current plan in the planner's terms (for diffs, checks and repairs).
    pub fn current_plan(&self) -> PlanOut {
        let ops: Vec<PlannedOp> = self
            .current
            .iter()
            .filter(|r| self.ops.contains_key(&r.operation_id))
            .map(|r| PlannedOp {
                op_id: r.operation_id,
                job_id: r.job_id,
                machine_id: r.machine_id,
                person_id: r.employee_id,
                start: local(r.starts_at),
                end: local(r.ends_at),
                work_min: r.work_min,
                setup_min: r.setup_min,
                fixed: r.pinned,
            })
            .collect();
        let mut jobs = vec![];
        for j in &self.input.jobs {
            let end = ops.iter().filter(|o| o.job_id == j.id).map(|o| o.end).max();
            jobs.push(outcome(j, end, self.input.today));
        }
        PlanOut {
            ops,
            jobs,
            diagnostics: vec![],
            kpis: Default::default(),
        }
    }
}

/// A job's end against its due date (end of the due day).
pub fn outcome(j: &JobIn, end: Option<NaiveDateTime>, today: NaiveDate) -> JobOutcome {
    let lateness_min = match (end, j.due) {
        (Some(e), Some(d)) => {
            let due_end = d.and_hms_opt(23, 59, 59).unwrap_or_default();
            (e - due_end).num_minutes().max(0)
        }
        _ => 0,
    };
    JobOutcome {
        job_id: j.id,
        end,
        due: j.due,
        lateness_min,
        sur_urgent: j.due.is_some_and(|d| d < today),
    }
}

/// HR skill and minimum level for an operation's routing skills (the most demanding wins).
pub fn required_skill(routing_skills: &str) -> Option<SkillLevel> {
    let mut best: Option<(u8, SkillLevel)> = None;
    for s in routing_skills
        .split([' ', ',', ';'])
        .filter(|s| !s.is_empty())
    {
        let (rank, skill, level) = match s {
            "sciage" | "decoupe" => (1, "SAW", 2),
            "tournage_cn" => (2, "LATHE", 2),
            "fraisage_cn" => (2, "MILL3", 2),
            "fraisage_5axes" => (3, "MILL5", 2),
            "soudure" => (2, "WELD", 2),
            "pliage" => (2, "BEND", 2),
            "rectification" => (2, "GRIND", 2),
            "ebavurage" => (1, "DEBURR", 1),
            "controle" | "controle_soudure" => (1, "CMM", 1),
            "controle_mmt" => (2, "CMM", 2),
            _ => continue,
        };
        if best.as_ref().is_none_or(|(r, _)| rank > *r) {
            best = Some((
                rank,
                SkillLevel {
                    skill: skill.into(),
                    level,
                },
            ));
        }
    }
    best.map(|(_, s)| s)
}

/// An employee's skills as the planner compares them: the HR codes, plus the families they
/// imply (LATHE_Y ⇒ LATHE, MILL5 ⇒ MILL4 ⇒ MILL3, WELD_TIG/WELD_MIG ⇒ WELD) at the same level.
pub fn person_skills(rows: &[employee_skill::Model]) -> Vec<SkillLevel> {
    let mut m: BTreeMap<String, i32> = BTreeMap::new();
    let mut put = |k: &str, l: i32| {
        let e = m.entry(k.to_string()).or_insert(0);
        *e = (*e).max(l);
    };
    for r in rows {
        put(&r.skill, r.level);
        match r.skill.as_str() {
            "LATHE_Y" => put("LATHE", r.level),
            "MILL5" => {
                put("MILL4", r.level);
                put("MILL3", r.level);
            }
            "MILL4" => put("MILL3", r.level),
            "WELD_TIG" | "WELD_MIG" => put("WELD", r.level),
            _ => {}
        }
    }
    m.into_iter()
        .filter(|(_, l)| *l > 0)
        .map(|(skill, level)| SkillLevel { skill, level })
        .collect()
}

/// A week from daily contract hours (Monday first): from 07:30, lunch 12:00–13:00.
pub fn shifts_from_hours(hours: &[Decimal]) -> Vec<Shift> {
    let mut v = vec![];
    for (d, h) in hours.iter().enumerate().take(7) {
        let m = (*h * Decimal::from(60)).round().to_i64().unwrap_or(0);
        if m <= 0 {
            continue;
        }
        let m = m.min(16 * 60) as u16;
        let morning = m.min(270);
        v.push(Shift {
            weekday: d as u8,
            start_min: 450,
            end_min: 450 + morning,
        });
        if m > 270 {
            v.push(Shift {
                weekday: d as u8,
                start_min: 780,
                end_min: (780 + (m - 270)).min(1440),
            });
        }
    }
    v
}

fn parse_shifts(json: &str) -> Vec<Shift> {
    serde_json::from_str(json).unwrap_or_default()
}

fn speed_factor(routed: Option<&machine::Model>, target: &machine::Model) -> Decimal {
    let (Some(a), Some(b)) = (
        routed.and_then(|m| m.max_spindle_rpm),
        target.max_spindle_rpm,
    ) else {
        return Decimal::ONE;
    };
    if a <= 0 || b <= 0 {
        return Decimal::ONE;
    }
    (Decimal::from(a) / Decimal::from(b)).clamp(Decimal::new(7, 1), Decimal::new(15, 1))
}

fn ceil_min(d: Decimal) -> i64 {
    d.ceil().to_i64().unwrap_or(i64::MAX / 4).max(0)
}

/// Plan origin: now, rounded up to the next 5 minutes (shop time).
pub fn origin_now() -> NaiveDateTime {
    let t = local(crate::now());
    let t = t
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(t);
    let rem = i64::from(t.minute() % 5);
    if rem == 0 {
        t
    } else {
        t + Duration::minutes(5 - rem)
    }
}

/// Overrides for one computation (an urgent job's raised priority).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub priority: HashMap<i64, i32>,
}

pub async fn load<C: ConnectionTrait>(
    db: &C,
    origin: NaiveDateTime,
    today: NaiveDate,
    over: &Overrides,
) -> Result<Loaded, AppError> {
    let settings = load_settings(db).await?;
    let horizon_end = origin + Duration::days(i64::from(settings.horizon_days));
    let calendars = work_calendar::Entity::find().all(db).await?;
    let own = |scope: &str, id: i64| {
        calendars
            .iter()
            .find(|c| c.scope == scope && c.resource_id == id)
            .map(|c| parse_shifts(&c.shifts_json))
    };
    let shop_shifts = own("atelier", 0).unwrap_or_else(|| settings.shop_shifts.clone());

    let mut closed: Vec<NaiveDate> = vec![];
    for y in origin.year()..=horizon_end.year() {
        closed.extend(usinage_planner::shop::french_public_holidays(y));
    }
    closed.extend(
        shop_closure::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.day),
    );
    closed.sort();
    closed.dedup();

    let unav = unavailability::Entity::find()
        .filter(unavailability::Column::EndsAt.gt(super::utc(origin)))
        .all(db)
        .await?;
    let unav_of = |kind: &str, id: i64| -> Vec<Unavailability> {
        unav.iter()
            .filter(|u| u.resource_kind == kind && u.resource_id == id)
            .map(|u| Unavailability {
                from: local(u.starts_at),
                to: local(u.ends_at),
                reason: u
                    .reason
                    .clone()
                    .filter(|r| !r.trim().is_empty())
                    .unwrap_or_else(|| unavailability_label(&u.kind).to_string()),
            })
            .collect()
    };

    // Machines.
    let machines = machine::Entity::find()
        .filter(machine::Column::Active.eq(true))
        .all(db)
        .await?;
    let mut machines_in = vec![];
    for m in &machines {
        let mut unavailable = unav_of("machine", m.id);
        if m.status == "en_panne" || m.status == "en_maintenance" {
            unavailable.push(Unavailability {
                from: origin,
                to: horizon_end + Duration::days(1),
                reason: if m.status == "en_panne" {
                    "Machine en panne".into()
                } else {
                    "Machine en maintenance".into()
                },
            });
        }
        machines_in.push(MachineIn {
            id: m.id,
            code: m.code.clone(),
            name: m.name.clone(),
            stations: m.stations.max(1) as u32,
            unattended_run: m.unattended_run,
            calendar: Calendar {
                shifts: own("machine", m.id).unwrap_or_else(|| shop_shifts.clone()),
                closed_days: closed.clone(),
                unavailable,
            },
        });
    }

    // People.
    let employees = employee::Entity::find()
        .filter(employee::Column::Active.eq(true))
        .all(db)
        .await?;
    let skills = employee_skill::Entity::find().all(db).await?;
    let since = super::utc(
        (today - Duration::weeks(12))
            .and_hms_opt(0, 0, 0)
            .unwrap_or(origin),
    );
    let presence = time_entry::Entity::find()
        .filter(time_entry::Column::Kind.eq("presence"))
        .filter(time_entry::Column::StartedAt.gte(since))
        .all(db)
        .await?;
    let mut people = vec![];
    let mut employee_of_user = HashMap::new();
    for e in &employees {
        if let Some(u) = e.user_id {
            employee_of_user.insert(u, e.id);
        }
        let own_shifts = own("employee", e.id);
        let shop_worker = matches!(e.category.as_str(), "ouvrier" | "apprenti" | "interimaire");
        if !shop_worker && own_shifts.is_none() {
            continue;
        }
        let hours = crate::resources::employees::parse_hours(&e.weekly_hours);
        let contract_week_min =
            ceil_min(hours.iter().copied().sum::<Decimal>() * Decimal::from(60));
        let shifts = own_shifts.unwrap_or_else(|| shifts_from_hours(&hours));
        let calendar = (!shifts.is_empty()).then(|| Calendar {
            shifts,
            closed_days: closed.clone(),
            unavailable: unav_of("employee", e.id),
        });
        let mine: Vec<employee_skill::Model> = skills
            .iter()
            .filter(|s| s.employee_id == e.id)
            .cloned()
            .collect();
        let mut days: BTreeMap<NaiveDate, i64> = BTreeMap::new();
        for t in presence.iter().filter(|t| Some(t.user_id) == e.user_id) {
            let d = local(t.started_at).date();
            if d >= today {
                continue;
            }
            let m = t
                .minutes
                .as_deref()
                .map(minutes)
                .and_then(|m| m.round().to_i64())
                .unwrap_or(0);
            *days.entry(d).or_insert(0) += m;
        }
        people.push(PersonIn {
            id: e.id,
            name: format!("{} {}", e.first_name, e.last_name),
            skills: person_skills(&mine),
            calendar,
            history: days
                .into_iter()
                .map(|(day, minutes)| DayMinutes { day, minutes })
                .collect(),
            contract_week_min,
        });
    }

    // Jobs and operations.
    let jobs = job::Entity::find()
        .filter(job::Column::Status.is_in(["pret", "en_cours"]))
        .all(db)
        .await?;
    let job_ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
    let all_ops = job_operation::Entity::find()
        .filter(job_operation::Column::JobId.is_in(job_ids.clone()))
        .all(db)
        .await?;
    let orders: HashMap<i64, order::Model> = order::Entity::find()
        .filter(order::Column::Id.is_in(jobs.iter().map(|j| j.order_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let lines: HashMap<i64, order_line::Model> = order_line::Entity::find()
        .filter(
            order_line::Column::Id.is_in(jobs.iter().map(|j| j.order_line_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let current = planned_operation::Entity::find().all(db).await?;
    let pinned: HashMap<i64, &planned_operation::Model> = current
        .iter()
        .filter(|r| r.pinned)
        .map(|r| (r.operation_id, r))
        .collect();

    // Operations waiting for a tool bought after a breakage, while none is in stock.
    let breakages = tool_breakage::Entity::find()
        .filter(tool_breakage::Column::Status.eq("achat_urgent"))
        .filter(tool_breakage::Column::JobId.is_in(job_ids.clone()))
        .all(db)
        .await?;
    let mut waiting_tool: HashMap<i64, NaiveDateTime> = HashMap::new();
    for b in &breakages {
        let in_stock: i64 = tool_stock::Entity::find()
            .filter(tool_stock::Column::ToolId.eq(b.tool_id))
            .all(db)
            .await?
            .iter()
            .map(|s| s.quantity - s.reserved)
            .sum();
        if in_stock > 0 {
            continue;
        }
        let until = local(b.at) + Duration::days(URGENT_TOOL_DAYS);
        let e = waiting_tool.entry(b.operation_id).or_insert(until);
        *e = (*e).max(until);
    }

    let mut ops_info = HashMap::new();
    let mut jobs_in = vec![];
    for j in &jobs {
        let line = lines.get(&j.order_line_id);
        let part = match line {
            Some(l) => match (&l.reference, &l.revision) {
                (Some(r), Some(rev)) => format!("{r} ind. {rev} — {}", l.designation),
                (Some(r), None) => format!("{r} — {}", l.designation),
                _ => l.designation.clone(),
            },
            None => String::new(),
        };
        let order_number = orders
            .get(&j.order_id)
            .map(|o| o.number.clone())
            .unwrap_or_default();
        let priority = over.priority.get(&j.id).copied().unwrap_or(j.priority);
        let mut mine: Vec<&job_operation::Model> =
            all_ops.iter().filter(|o| o.job_id == j.id).collect();
        mine.sort_by_key(|o| (o.position, o.id));
        let qty = Decimal::from(j.quantity.max(1));
        let mut ops_in = vec![];
        let mut previous: Option<i64> = None;
        for o in mine {
            if o.status == "termine" {
                continue;
            }
            ops_info.insert(
                o.id,
                OpInfo {
                    job_id: j.id,
                    job_number: j.number.clone(),
                    order_number: order_number.clone(),
                    part: part.clone(),
                    label: o.label.clone(),
                    process: o.process.clone(),
                    position: o.position,
                    status: o.status.clone(),
                    due: j.due_date,
                    critical: j.critical,
                    priority,
                    sur_urgent: j.sur_urgent || j.due_date.is_some_and(|d| d < today),
                },
            );
            let setup = minutes(&o.setup_min);
            let run = minutes(&o.run_min) * qty;
            let resource = if o.supplier_id.is_some() || o.supplier_name.is_some() {
                let lead = match (o.send_date, o.return_date) {
                    (Some(s), Some(r)) if r > s => (r - s).num_days(),
                    _ => 10,
                };
                OpResource::Subcontract { lead_days: lead }
            } else if let Some(mid) = o.machine_id {
                let routed = machines.iter().find(|m| m.id == mid);
                let mut options = vec![];
                let candidates: Vec<&machine::Model> = match routed {
                    Some(r) => machines.iter().filter(|m| m.kind == r.kind).collect(),
                    None => vec![],
                };
                for m in candidates {
                    options.push(MachineOption {
                        machine_id: m.id,
                        setup_min: ceil_min(setup),
                        run_min: ceil_min(run * speed_factor(routed, m)),
                    });
                }
                // Routed machine first.
                options.sort_by_key(|x| (x.machine_id != mid, x.machine_id));
                OpResource::Machine { options }
            } else {
                OpResource::Manual {
                    minutes: ceil_min(setup + run),
                }
            };
            let fixed = if o.status == "en_cours" || o.status == "en_pause" {
                let start = o.started_at.map(local).unwrap_or(origin);
                let total = setup + run;
                let done = o.actual_min.as_deref().map(minutes).unwrap_or_default();
                let remaining = ceil_min((total - done).max(Decimal::from(15)));
                Some(Fixed {
                    machine_id: o.machine_id,
                    person_id: o
                        .assigned_user_id
                        .and_then(|u| employee_of_user.get(&u).copied()),
                    start: start.min(origin),
                    end: origin + Duration::minutes(remaining),
                })
            } else {
                pinned
                    .get(&o.id)
                    .filter(|p| local(p.starts_at) >= origin)
                    .map(|p| Fixed {
                        machine_id: p.machine_id,
                        person_id: p.employee_id,
                        start: local(p.starts_at),
                        end: local(p.ends_at),
                    })
            };
            ops_in.push(OpIn {
                id: o.id,
                position: o.position,
                label: o.label.clone(),
                process: o.process.clone(),
                resource,
                skill: required_skill(&o.skills),
                predecessors: previous.into_iter().collect(),
                setup_family: line.and_then(|l| l.reference.clone()),
                release: waiting_tool.get(&o.id).copied().filter(|r| *r > origin),
                fixed,
            });
            previous = Some(o.id);
        }
        if ops_in.is_empty() {
            continue;
        }
        jobs_in.push(JobIn {
            id: j.id,
            number: j.number.clone(),
            order_number,
            part,
            due: j.due_date,
            critical: j.critical,
            priority,
            operations: ops_in,
        });
    }

    let factor = settings
        .same_family_setup_factor
        .to_f64()
        .unwrap_or(0.3)
        .clamp(0.0, 1.0);
    let input = ShopInput {
        origin,
        horizon_days: settings.horizon_days,
        today,
        machines: machines_in,
        people,
        jobs: jobs_in,
        settings: ShopSettings {
            same_family_setup_factor: factor,
            ..ShopSettings::default()
        },
    };
    Ok(Loaded {
        input,
        settings,
        ops: ops_info,
        machines,
        employees: employees.into_iter().map(|e| (e.id, e)).collect(),
        employee_of_user,
        current,
    })
}

pub const UNAVAILABILITY_KINDS: &[(&str, &str, &str)] = &[
    ("absence", "Absence", "Absence"),
    ("conges", "Congés", "Leave"),
    ("maladie", "Arrêt maladie", "Sick leave"),
    ("formation", "Formation", "Training"),
    ("maintenance", "Maintenance", "Maintenance"),
    ("panne", "Panne", "Breakdown"),
];

pub fn unavailability_label(kind: &str) -> &'static str {
    UNAVAILABILITY_KINDS
        .iter()
        .find(|k| k.0 == kind)
        .map(|k| k.1)
        .unwrap_or("Indisponible")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_skills_map_to_hr_skills() {
        assert_eq!(required_skill("tournage_cn").unwrap().skill, "LATHE");
        let s = required_skill("fraisage_cn fraisage_5axes").unwrap();
        assert_eq!((s.skill.as_str(), s.level), ("MILL5", 2));
        let s = required_skill("controle controle_mmt").unwrap();
        assert_eq!((s.skill.as_str(), s.level), ("CMM", 2));
        assert_eq!(required_skill("controle").unwrap().level, 1);
        assert!(required_skill("emballage").is_none());
        assert!(required_skill("").is_none());
    }

    #[test]
    fn hr_skills_imply_their_families() {
        let row = |skill: &str, level| employee_skill::Model {
            id: 0,
            employee_id: 1,
            skill: skill.into(),
            level,
        };
        let s = person_skills(&[row("LATHE_Y", 3), row("MILL5", 2), row("WELD_TIG", 0)]);
        let lvl = |k: &str| s.iter().find(|x| x.skill == k).map(|x| x.level);
        assert_eq!(lvl("LATHE"), Some(3));
        assert_eq!(lvl("MILL3"), Some(2));
        assert_eq!(lvl("MILL4"), Some(2));
        assert_eq!(lvl("WELD"), None, "level 0 is no skill");
    }

    #[test]
    fn contract_hours_become_a_week() {
        let h: Vec<Decimal> = ["8.5", "8.5", "8.5", "8.5", "5", "0", "0"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let w = shifts_from_hours(&h);
        let total: i64 = w.iter().map(|s| i64::from(s.end_min - s.start_min)).sum();
        assert_eq!(total, 39 * 60);
        assert_eq!((w[0].start_min, w[0].end_min), (450, 720));
        assert_eq!((w[1].start_min, w[1].end_min), (780, 1020));
        assert!(shifts_from_hours(&[Decimal::ZERO; 7]).is_empty());
    }
}
