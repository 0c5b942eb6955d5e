//! What the Gantt, the load view and the working-time view read.

use super::input::{self, Loaded, OpInfo, Overrides};
use super::local;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::rights::{Action, Module};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use usinage_engines::shopfloor::working_time::iso_week_label;
use usinage_planner::shop::{self, Diagnostic, OpResource, PlanOut, PlannedOp, Severity};
use usinage_store::Db;
use usinage_store::entities::{plan_proposal, planning_state};

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkillView {
    pub skill: String,
    pub level: i32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MachineRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub stations: i32,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub skills: Vec<SkillView>,
    pub has_calendar: bool,
}

/// One bar of the Gantt.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoardOp {
    pub op_id: i64,
    pub job_id: i64,
    pub job_number: String,
    pub order_number: String,
    pub part: String,
    pub label: String,
    pub process: String,
    pub position: i32,
    pub machine_id: Option<i64>,
    pub person_id: Option<i64>,
    /// Shop time, `2026-12-08T07:30:00`.
    #[schema(value_type = String)]
    pub start: NaiveDateTime,
    #[schema(value_type = String)]
    pub end: NaiveDateTime,
    pub work_min: i64,
    pub setup_min: i64,
    /// Placed by a person on the Gantt.
    pub pinned: bool,
    /// Running or pinned: the planner does not move it.
    pub fixed: bool,
    pub status: String,
    #[schema(value_type = Option<String>)]
    pub due: Option<NaiveDate>,
    pub late: bool,
    pub sur_urgent: bool,
    pub critical: bool,
    pub priority: i32,
    pub allowed_machine_ids: Vec<i64>,
    pub skill: Option<SkillView>,
    pub subcontract: bool,
    /// On a machine that runs unattended once set up (the person is needed for the set-up).
    pub unattended: bool,
    pub predecessor_ids: Vec<i64>,
    pub successor_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnavailabilityBar {
    /// `machine` or `person`.
    pub resource: String,
    pub id: i64,
    #[schema(value_type = String)]
    pub from: NaiveDateTime,
    #[schema(value_type = String)]
    pub to: NaiveDateTime,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DiagnosticView {
    pub code: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub job_id: Option<i64>,
    pub op_id: Option<i64>,
    pub person_id: Option<i64>,
    pub machine_id: Option<i64>,
    pub message: String,
}

impl From<&Diagnostic> for DiagnosticView {
    fn from(d: &Diagnostic) -> Self {
        DiagnosticView {
            code: d.code.clone(),
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            }
            .into(),
            job_id: d.job_id,
            op_id: d.op_id,
            person_id: d.person_id,
            machine_id: d.machine_id,
            message: d.message.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Board {
    pub revision: i32,
    #[schema(value_type = String)]
    pub from: NaiveDate,
    #[schema(value_type = String)]
    pub to: NaiveDate,
    pub machines: Vec<MachineRow>,
    pub people: Vec<PersonRow>,
    pub ops: Vec<BoardOp>,
    pub unavailability: Vec<UnavailabilityBar>,
    #[schema(value_type = Vec<String>)]
    pub closed_days: Vec<NaiveDate>,
    pub diagnostics: Vec<DiagnosticView>,
    pub pending_proposals: u64,
    /// Operations of ready or running jobs not in the current plan.
    pub unplanned_ops: usize,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct BoardQuery {
    /// First day (`YYYY-MM-DD`), default today.
    pub from: Option<String>,
    /// Last day, default 14 days after `from`.
    pub to: Option<String>,
}

pub async fn revision<C: sea_orm::ConnectionTrait>(db: &C) -> Result<i32, AppError> {
    Ok(planning_state::Entity::find_by_id(1)
        .one(db)
        .await?
        .map(|s| s.revision)
        .unwrap_or(0))
}

/// One bar from a planned operation and what is known of it.
pub fn board_op(l: &Loaded, p: &PlannedOp, pinned: bool) -> BoardOp {
    let info = l.ops.get(&p.op_id).cloned().unwrap_or_else(|| OpInfo {
        job_id: p.job_id,
        job_number: format!("#{}", p.job_id),
        ..Default::default()
    });
    let op_in = l
        .input
        .jobs
        .iter()
        .find(|j| j.id == p.job_id)
        .and_then(|j| j.operations.iter().find(|o| o.id == p.op_id));
    let job_in = l.input.jobs.iter().find(|j| j.id == p.job_id);
    let (allowed, subcontract) = match op_in.map(|o| &o.resource) {
        Some(OpResource::Machine { options }) => {
            (options.iter().map(|o| o.machine_id).collect(), false)
        }
        Some(OpResource::Subcontract { .. }) => (vec![], true),
        _ => (vec![], false),
    };
    let successors = job_in
        .map(|j| {
            j.operations
                .iter()
                .filter(|o| o.predecessors.contains(&p.op_id))
                .map(|o| o.id)
                .collect()
        })
        .unwrap_or_default();
    let late = info.due.is_some_and(|d| {
        let job_end = l.current_end_of(p.job_id).unwrap_or(p.end);
        job_end.max(p.end) > d.and_hms_opt(23, 59, 59).unwrap_or_default()
    });
    BoardOp {
        op_id: p.op_id,
        job_id: p.job_id,
        job_number: info.job_number,
        order_number: info.order_number,
        part: info.part,
        label: info.label,
        process: info.process,
        position: info.position,
        machine_id: p.machine_id,
        person_id: p.person_id,
        start: p.start,
        end: p.end,
        work_min: p.work_min,
        setup_min: p.setup_min,
        pinned,
        fixed: p.fixed,
        status: info.status,
        due: info.due,
        late,
        sur_urgent: info.sur_urgent,
        critical: info.critical,
        priority: info.priority,
        allowed_machine_ids: allowed,
        skill: op_in.and_then(|o| o.skill.as_ref()).map(|s| SkillView {
            skill: s.skill.clone(),
            level: s.level,
        }),
        subcontract,
        unattended: p.machine_id.is_some_and(|m| {
            l.input
                .machines
                .iter()
                .any(|x| x.id == m && x.unattended_run)
        }),
        predecessor_ids: op_in.map(|o| o.predecessors.clone()).unwrap_or_default(),
        successor_ids: successors,
    }
}

impl Loaded {
    fn current_end_of(&self, job_id: i64) -> Option<NaiveDateTime> {
        self.current
            .iter()
            .filter(|r| r.job_id == job_id)
            .map(|r| local(r.ends_at))
            .max()
    }

    pub fn machine_rows(&self) -> Vec<MachineRow> {
        let mut v: Vec<MachineRow> = self
            .machines
            .iter()
            .map(|m| MachineRow {
                id: m.id,
                code: m.code.clone(),
                name: m.name.clone(),
                kind: m.kind.clone(),
                stations: m.stations.max(1),
                status: m.status.clone(),
            })
            .collect();
        v.sort_by(|a, b| a.code.cmp(&b.code));
        v
    }

    pub fn person_rows(&self) -> Vec<PersonRow> {
        self.input
            .people
            .iter()
            .map(|p| PersonRow {
                id: p.id,
                name: p.name.clone(),
                skills: p
                    .skills
                    .iter()
                    .map(|s| SkillView {
                        skill: s.skill.clone(),
                        level: s.level,
                    })
                    .collect(),
                has_calendar: p.calendar.is_some(),
            })
            .collect()
    }

    pub fn unavailability_bars(&self) -> Vec<UnavailabilityBar> {
        let mut v = vec![];
        for m in &self.input.machines {
            for u in &m.calendar.unavailable {
                v.push(UnavailabilityBar {
                    resource: "machine".into(),
                    id: m.id,
                    from: u.from,
                    to: u.to,
                    reason: u.reason.clone(),
                });
            }
        }
        for p in &self.input.people {
            for u in p.calendar.iter().flat_map(|c| c.unavailable.iter()) {
                v.push(UnavailabilityBar {
                    resource: "person".into(),
                    id: p.id,
                    from: u.from,
                    to: u.to,
                    reason: u.reason.clone(),
                });
            }
        }
        v
    }

    /// Bars of a plan (current or proposed) overlapping `[from, to]`.
    pub fn bars(&self, plan: &PlanOut, from: NaiveDateTime, to: NaiveDateTime) -> Vec<BoardOp> {
        let pinned: HashMap<i64, bool> = self
            .current
            .iter()
            .map(|r| (r.operation_id, r.pinned))
            .collect();
        plan.ops
            .iter()
            .filter(|o| o.end >= from && o.start <= to)
            .map(|o| {
                let running = self
                    .ops
                    .get(&o.op_id)
                    .is_some_and(|i| i.status != "a_faire");
                board_op(
                    self,
                    o,
                    o.fixed && !running && pinned.get(&o.op_id).copied().unwrap_or(false),
                )
            })
            .collect()
    }
}

fn day_range(q: &BoardQuery, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), AppError> {
    let from = crate::listing::parse_date("from", q.from.as_deref())?.unwrap_or(today);
    let to =
        crate::listing::parse_date("to", q.to.as_deref())?.unwrap_or(from + Duration::days(14));
    if to < from || (to - from).num_days() > 366 {
        return Err(AppError::field(
            "to",
            "invalid_range",
            "La période doit aller du plus ancien au plus récent, sur un an au plus.",
            "The period must go forward, one year at most.",
        ));
    }
    Ok((from, to))
}

/// The current plan between two days, with what the Gantt needs to check a drag.
pub async fn board(db: &Db, ctx: &Ctx, q: &BoardQuery) -> Result<Board, AppError> {
    ctx.require(Module::Planning, Action::Read)?;
    let today = crate::paris_today();
    let (from, to) = day_range(q, today)?;
    let l = input::load(&db.conn, input::origin_now(), today, &Overrides::default()).await?;
    let current = l.current_plan();
    let from_t = from.and_hms_opt(0, 0, 0).unwrap_or_default();
    let to_t = to.and_hms_opt(23, 59, 59).unwrap_or_default();
    let ops = l.bars(&current, from_t, to_t);
    let planned: std::collections::HashSet<i64> = current.ops.iter().map(|o| o.op_id).collect();
    let unplanned_ops = l.ops.keys().filter(|k| !planned.contains(k)).count();
    let last = latest_applied(db).await?;
    let diagnostics = last
        .and_then(|p| serde_json::from_str::<PlanOut>(&p.plan_json).ok())
        .map(|p| p.diagnostics.iter().map(DiagnosticView::from).collect())
        .unwrap_or_default();
    let mut closed: Vec<NaiveDate> = l
        .input
        .machines
        .first()
        .map(|m| m.calendar.closed_days.clone())
        .unwrap_or_default();
    closed.retain(|d| *d >= from && *d <= to);
    Ok(Board {
        revision: revision(&db.conn).await?,
        from,
        to,
        machines: l.machine_rows(),
        people: l.person_rows(),
        ops,
        unavailability: l
            .unavailability_bars()
            .into_iter()
            .filter(|u| u.to >= from_t && u.from <= to_t)
            .collect(),
        closed_days: closed,
        diagnostics,
        pending_proposals: plan_proposal::Entity::find()
            .filter(plan_proposal::Column::Status.eq("en_attente"))
            .count(&db.conn)
            .await?,
        unplanned_ops,
    })
}

async fn latest_applied(db: &Db) -> Result<Option<plan_proposal::Model>, AppError> {
    use sea_orm::QueryOrder;
    Ok(plan_proposal::Entity::find()
        .filter(plan_proposal::Column::Status.is_in(["acceptee", "appliquee"]))
        .order_by_desc(plan_proposal::Column::DecidedAt)
        .order_by_desc(plan_proposal::Column::Id)
        .one(&db.conn)
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Load per machine and week

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LoadCell {
    pub week: String,
    pub capacity_min: i64,
    pub planned_min: i64,
    /// planned / capacity (0 when no capacity).
    pub ratio: f64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LoadRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub cells: Vec<LoadCell>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LoadView {
    pub weeks: Vec<String>,
    pub machines: Vec<LoadRow>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct LoadQuery {
    /// Number of weeks from the current one (1–26, default 8).
    pub weeks: Option<u32>,
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Splits an operation's working minutes over the days it spans, in proportion to elapsed
/// time (a bar across a night puts its minutes on both days).
pub fn minutes_per_day(o: &PlannedOp) -> Vec<(NaiveDate, i64)> {
    let total = (o.end - o.start).num_minutes();
    if total <= 0 || o.work_min <= 0 {
        return vec![(o.start.date(), o.work_min.max(0))];
    }
    let mut out = vec![];
    let mut given = 0;
    let mut d = o.start.date();
    while d <= o.end.date() {
        let a = o.start.max(d.and_hms_opt(0, 0, 0).unwrap_or(o.start));
        let b = o.end.min(
            (d + Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .unwrap_or(o.end),
        );
        let share = if d == o.end.date() {
            o.work_min - given
        } else {
            o.work_min * (b - a).num_minutes() / total
        };
        given += share;
        if share > 0 {
            out.push((d, share));
        }
        d += Duration::days(1);
    }
    out
}

pub async fn load_view(db: &Db, ctx: &Ctx, q: &LoadQuery) -> Result<LoadView, AppError> {
    ctx.require(Module::Planning, Action::Read)?;
    let weeks = q.weeks.unwrap_or(8);
    if !(1..=26).contains(&weeks) {
        return Err(AppError::field(
            "weeks",
            "out_of_range",
            "Nombre de semaines entre 1 et 26.",
            "Number of weeks between 1 and 26.",
        ));
    }
    let today = crate::paris_today();
    let l = input::load(&db.conn, input::origin_now(), today, &Overrides::default()).await?;
    let plan = l.current_plan();
    let first = monday_of(today);
    let mondays: Vec<NaiveDate> = (0..weeks)
        .map(|k| first + Duration::weeks(i64::from(k)))
        .collect();
    let mut planned: HashMap<(i64, NaiveDate), i64> = HashMap::new();
    for o in &plan.ops {
        let Some(m) = o.machine_id else { continue };
        for (d, min) in minutes_per_day(o) {
            *planned.entry((m, monday_of(d))).or_insert(0) += min;
        }
    }
    let mut rows = vec![];
    let mut machines: Vec<_> = l.input.machines.iter().collect();
    machines.sort_by(|a, b| a.code.cmp(&b.code));
    for m in machines {
        let cells = mondays
            .iter()
            .map(|monday| {
                let capacity =
                    shop::weekly_capacity_min(&m.calendar, *monday) * i64::from(m.stations.max(1));
                let p = planned.get(&(m.id, *monday)).copied().unwrap_or(0);
                LoadCell {
                    week: iso_week_label(*monday),
                    capacity_min: capacity,
                    planned_min: p,
                    ratio: if capacity > 0 {
                        ((p as f64 / capacity as f64) * 1000.0).round() / 1000.0
                    } else {
                        0.0
                    },
                }
            })
            .collect();
        rows.push(LoadRow {
            id: m.id,
            code: m.code.clone(),
            name: m.name.clone(),
            cells,
        });
    }
    Ok(LoadView {
        weeks: mondays.iter().map(|d| iso_week_label(*d)).collect(),
        machines: rows,
    })
}

// ---------------------------------------------------------------------------------------------
// Working time

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DayPlanned {
    #[schema(value_type = String)]
    pub day: NaiveDate,
    pub planned_min: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonWeek {
    pub id: i64,
    pub name: String,
    pub contract_week_min: i64,
    pub days: Vec<DayPlanned>,
    pub week_min: i64,
    /// Average over the 12 weeks ending with this one (worked before today, planned after).
    pub avg_week_min: i64,
    pub overtime_min: i64,
    pub alerts: Vec<DiagnosticView>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Limits {
    pub day_min: i64,
    pub week_min: i64,
    pub avg_week_min: i64,
    pub avg_weeks: u32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkingTimeView {
    pub week: String,
    pub limits: Limits,
    pub people: Vec<PersonWeek>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct WeekQuery {
    /// ISO week `2026-W50`, default the current week.
    pub week: Option<String>,
}

pub async fn working_time_view(
    db: &Db,
    ctx: &Ctx,
    q: &WeekQuery,
) -> Result<WorkingTimeView, AppError> {
    ctx.require(Module::Planning, Action::Read)?;
    let today = crate::paris_today();
    let monday = match q.week.as_deref() {
        None => monday_of(today),
        Some(w) => {
            usinage_engines::shopfloor::working_time::parse_iso_week(w).ok_or_else(|| {
                AppError::field(
                    "week",
                    "invalid",
                    "Semaine attendue au format 2026-W50.",
                    "Week expected as 2026-W50.",
                )
            })?
        }
    };
    let l = input::load(&db.conn, input::origin_now(), today, &Overrides::default()).await?;
    let plan = l.current_plan();
    let alerts = shop::working_time(&l.input, &plan);
    let planned = shop::planned_minutes_by_day(&l.input, &plan);
    let s = &l.input.settings;
    let mut people = vec![];
    for p in &l.input.people {
        let mut per_day: BTreeMap<NaiveDate, i64> = BTreeMap::new();
        for ((_, d), m) in planned.range((p.id, NaiveDate::MIN)..=(p.id, NaiveDate::MAX)) {
            *per_day.entry(*d).or_insert(0) += m;
        }
        for h in &p.history {
            per_day.entry(h.day).or_insert(h.minutes);
        }
        let days: Vec<DayPlanned> = (0..7)
            .map(|k| {
                let day = monday + Duration::days(k);
                DayPlanned {
                    day,
                    planned_min: per_day.get(&day).copied().unwrap_or(0),
                }
            })
            .collect();
        let week_min: i64 = days.iter().map(|d| d.planned_min).sum();
        let start = monday - Duration::weeks(i64::from(s.avg_weeks.max(1)) - 1);
        let end = monday + Duration::days(6);
        let span: i64 = per_day
            .iter()
            .filter(|(d, _)| **d >= start && **d <= end)
            .map(|(_, m)| *m)
            .sum();
        people.push(PersonWeek {
            id: p.id,
            name: p.name.clone(),
            contract_week_min: p.contract_week_min,
            days,
            week_min,
            avg_week_min: span / i64::from(s.avg_weeks.max(1)),
            overtime_min: (week_min - p.contract_week_min).max(0),
            alerts: alerts
                .iter()
                .filter(|a| a.person_id == Some(p.id))
                .filter(|a| week_of_message_matches(a, monday))
                .map(DiagnosticView::from)
                .collect(),
        });
    }
    Ok(WorkingTimeView {
        week: iso_week_label(monday),
        limits: Limits {
            day_min: s.max_day_min,
            week_min: s.max_week_min,
            avg_week_min: s.max_avg_week_min,
            avg_weeks: s.avg_weeks,
        },
        people,
    })
}

/// Working-time alerts carry no date field: keep those whose message names a day or the ISO
/// week of the requested week (the planner writes `2026-W50` or `dd/mm/yyyy`).
fn week_of_message_matches(d: &Diagnostic, monday: NaiveDate) -> bool {
    let label = iso_week_label(monday);
    if d.message.contains(&label) {
        return true;
    }
    (0..7).any(|k| {
        let day = monday + Duration::days(k);
        d.message.contains(&day.format("%d/%m/%Y").to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(start: &str, end: &str, work: i64) -> PlannedOp {
        PlannedOp {
            op_id: 1,
            job_id: 1,
            machine_id: Some(1),
            person_id: None,
            start: super::super::parse_local(start).unwrap(),
            end: super::super::parse_local(end).unwrap(),
            work_min: work,
            setup_min: 0,
            fixed: false,
        }
    }

    #[test]
    fn minutes_are_split_over_the_days_a_bar_spans() {
        let one = minutes_per_day(&op("2026-12-08T08:00", "2026-12-08T10:00", 120));
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].1, 120);
        let two = minutes_per_day(&op("2026-12-08T16:00", "2026-12-09T08:00", 120));
        let sum: i64 = two.iter().map(|x| x.1).sum();
        assert_eq!(sum, 120, "no minute lost or added");
        assert_eq!(two.len(), 2);
        assert!(two[0].1 > 0 && two[1].1 > 0);
    }

    #[test]
    fn monday_of_any_day() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        assert_eq!(monday_of(d), NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert_eq!(monday_of(monday_of(d)), monday_of(d));
    }
}
