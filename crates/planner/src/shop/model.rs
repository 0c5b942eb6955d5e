//! The shop model: what the application gives the planner and what it gets back.
//!
//! INTERFACE CONTRACT between `usinage-planner::shop` and `usinage-app::planning`: field names
//! are serialised as they are (the app stores plans and proposals as JSON and the UI reads
//! them). Times are naive local date-times of the shop (Europe/Paris wall clock); durations
//! are minutes.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// A working window in a week: `weekday` 0 = Monday … 6 = Sunday, minutes from midnight,
/// `start_min < end_min <= 1440`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    pub weekday: u8,
    pub start_min: u16,
    pub end_min: u16,
}

/// A period when the resource cannot work (absence, maintenance, breakdown, holiday).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unavailability {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    /// Shown to the user ("Congés", "Maintenance préventive", …).
    pub reason: String,
}

/// When a machine or a person works: weekly shifts minus closed days minus unavailabilities.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub shifts: Vec<Shift>,
    /// Public holidays and shop closures (whole days).
    pub closed_days: Vec<NaiveDate>,
    pub unavailable: Vec<Unavailability>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineIn {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Identical stations that can run at the same time (>= 1).
    pub stations: u32,
    /// Runs unattended: an operator is needed for the set-up only, not for the run.
    pub unattended_run: bool,
    pub calendar: Calendar,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillLevel {
    /// Skill code as in `employee_skills.skill` / `job_operations.skills` (e.g. `tournage`).
    pub skill: String,
    /// 1 = notions … 4 = expert (level scale of the HR module).
    pub level: i32,
}

/// Planned minutes already worked or planned on a day outside this plan (working-time limits).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayMinutes {
    pub day: NaiveDate,
    pub minutes: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonIn {
    /// Employee id.
    pub id: i64,
    pub name: String,
    pub skills: Vec<SkillLevel>,
    /// `None`: the person has no calendar — reported, never planned.
    pub calendar: Option<Calendar>,
    /// Minutes already worked/planned on days before the plan (12-week average), oldest first.
    pub history: Vec<DayMinutes>,
    /// Contract time per week (35 h = 2,100 min): planned time above it is overtime, which a
    /// manager must validate.
    pub contract_week_min: i64,
}

/// One machine an operation can run on, with its own times on that machine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineOption {
    pub machine_id: i64,
    pub setup_min: i64,
    /// Run time for the whole quantity.
    pub run_min: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OpResource {
    /// On one of these machines (non-empty for a valid operation).
    Machine { options: Vec<MachineOption> },
    /// At a work centre with no machine (control, packaging, deburring): a person only.
    Manual { minutes: i64 },
    /// Sent out: takes `lead_days` calendar days (no shop capacity).
    Subcontract { lead_days: i64 },
}

/// An operation that is where it is and must stay: running, or pinned by a person on the Gantt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fixed {
    pub machine_id: Option<i64>,
    pub person_id: Option<i64>,
    pub start: NaiveDateTime,
    /// For a running operation: the expected end (start + remaining time).
    pub end: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpIn {
    /// `job_operations.id`.
    pub id: i64,
    pub position: i32,
    pub label: String,
    pub process: String,
    pub resource: OpResource,
    /// Required skill and minimum level; `None`: anybody (or nobody for a subcontract).
    pub skill: Option<SkillLevel>,
    /// Operations of the same job that must end before this one starts (ids). Empty for the
    /// first; the app passes the routing order (previous position).
    pub predecessors: Vec<i64>,
    /// Set-up family (same family after same family: set-up divided by `setup_family_factor`).
    pub setup_family: Option<String>,
    /// Earliest start (material or tools available), if later than the plan origin.
    pub release: Option<NaiveDateTime>,
    pub fixed: Option<Fixed>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobIn {
    /// `jobs.id`.
    pub id: i64,
    /// OF number, order number and part, for labels and messages.
    pub number: String,
    pub order_number: String,
    pub part: String,
    /// `date_livraison_souhaitee`: the job is due at the end of that day.
    pub due: Option<NaiveDate>,
    /// Critical part (aerospace/defence) or urgent order: weight ×3.
    pub critical: bool,
    /// Manual priority 0 (normal) … 3; an urgent order is 2 or more.
    pub priority: i32,
    pub operations: Vec<OpIn>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShopSettings {
    /// Set-up time factor when an operation follows one of the same family on a machine
    /// (e.g. 0.3: 30 % of the set-up remains).
    pub same_family_setup_factor: f64,
    /// French limits: 10 h/day, 48 h/week, 44 h average over 12 weeks (minutes).
    pub max_day_min: i64,
    pub max_week_min: i64,
    pub max_avg_week_min: i64,
    pub avg_weeks: u32,
}

impl Default for ShopSettings {
    fn default() -> Self {
        ShopSettings {
            same_family_setup_factor: 0.3,
            max_day_min: 600,
            max_week_min: 48 * 60,
            max_avg_week_min: 44 * 60,
            avg_weeks: 12,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShopInput {
    /// Nothing is planned before this instant (now, rounded to the minute).
    pub origin: NaiveDateTime,
    /// The plan covers at most this many days; what does not fit is reported.
    pub horizon_days: u32,
    /// Days count as sur-urgent (past due) relative to this date.
    pub today: NaiveDate,
    pub machines: Vec<MachineIn>,
    pub people: Vec<PersonIn>,
    pub jobs: Vec<JobIn>,
    pub settings: ShopSettings,
}

#[derive(Clone, Debug)]
pub struct PlanParams {
    pub time_limit: std::time::Duration,
    pub seed: u64,
    pub threads: usize,
}

impl Default for PlanParams {
    fn default() -> Self {
        PlanParams {
            time_limit: std::time::Duration::from_millis(1500),
            seed: 1,
            threads: 2,
        }
    }
}

/// One operation in the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedOp {
    pub op_id: i64,
    pub job_id: i64,
    pub machine_id: Option<i64>,
    pub person_id: Option<i64>,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    /// Working minutes (set-up + run on the chosen machine, after the family reduction).
    pub work_min: i64,
    pub setup_min: i64,
    /// Came from `fixed` (running or pinned).
    pub fixed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobOutcome {
    pub job_id: i64,
    pub end: Option<NaiveDateTime>,
    pub due: Option<NaiveDate>,
    /// Minutes after the end of the due day (0 when on time).
    pub lateness_min: i64,
    /// Due date already passed today: flagged, weight raised.
    pub sur_urgent: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The job or operation could not be planned.
    Error,
    /// Planned, but something needs a person's look (late, overtime…).
    Warning,
    Info,
}

/// A message for the user, in French, about the input or the result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable code: `cycle`, `no_machine`, `unknown_machine`, `no_calendar`, `no_skilled_person`,
    /// `impossible_due_date`, `late`, `sur_urgent`, `beyond_horizon`, `working_time_day`,
    /// `working_time_week`, `working_time_average`, `overtime`, `frozen_overlap`…
    pub code: String,
    pub severity: Severity,
    pub job_id: Option<i64>,
    pub op_id: Option<i64>,
    pub person_id: Option<i64>,
    pub machine_id: Option<i64>,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kpis {
    pub weighted_tardiness: i64,
    pub late_jobs: usize,
    pub makespan_end: Option<NaiveDateTime>,
    pub setup_min: i64,
    pub planned_ops: usize,
    pub unplanned_ops: usize,
    /// Search effort, for the logs.
    pub iterations: u64,
    pub elapsed_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOut {
    pub ops: Vec<PlannedOp>,
    pub jobs: Vec<JobOutcome>,
    pub diagnostics: Vec<Diagnostic>,
    pub kpis: Kpis,
}

/// One change between the current plan and a proposal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub op_id: i64,
    pub job_id: i64,
    pub before: Option<PlannedOp>,
    pub after: Option<PlannedOp>,
}

/// Effect of a proposal on a job's end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueEffect {
    pub job_id: i64,
    pub due: Option<NaiveDate>,
    pub end_before: Option<NaiveDateTime>,
    pub end_after: Option<NaiveDateTime>,
    pub late_before_min: i64,
    pub late_after_min: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDiff {
    pub moves: Vec<Move>,
    pub effects: Vec<DueEffect>,
}

/// Why a manual move (a drag on the Gantt) is refused; `code` is stable, `message` French.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// `skill`, `capacity`, `precedence`, `calendar`, `machine_not_allowed`, `fixed`,
    /// `unknown_operation`, `unknown_resource`, `before_origin`.
    pub code: String,
    pub message: String,
}

/// A manual placement asked from the Gantt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveRequest {
    pub op_id: i64,
    /// `None` keeps the current machine.
    pub machine_id: Option<i64>,
    /// `None` keeps the current person.
    pub person_id: Option<i64>,
    pub start: NaiveDateTime,
}

/// What happened that calls for a repair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A person is absent (already in their calendar in the input).
    Absence { person_id: i64 },
    /// A machine is down (already in its calendar).
    MachineDown { machine_id: i64 },
    /// A tool broke on this operation: it restarts later (`release` already set in the input).
    BrokenTool { op_id: i64 },
    /// An urgent job was added or raised.
    UrgentJob { job_id: i64 },
}
