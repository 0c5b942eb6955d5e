//! Time tracking (pointage, docs/time-tracking.md): clock-in/out periods, manual entries and
//! time corrections as requests the chef d'atelier approves or refuses, and the weekly
//! timesheet with the French working-time limits and overtime tiers
//! (`usinage_engines::shopfloor::working_time`, NORMS.md §9).
//!
//! Rows are `time_entries`: `presence` (clock-in/out), `operation` (work session on an
//! operation, written by the shop-floor service, or typed afterwards) and `declaration` (the
//! time an operator declared at an operation's finish). Only `valide` and `approuvee` rows
//! count. A day's worked time is its presence time, split at midnight Europe/Paris; a day
//! without presence counts its operation minutes.
//!
//! Rights: module `time_tracking` (read / create); deciding requests needs `validate` and a
//! supervising role (chef d'atelier, direction, admin). An operator sees only his own rows.

use crate::audit;
use crate::crm::{CodeLabels, label_of};
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::rights::{Action, Module, RowScope};
use crate::shopfloor::{employee_of, idempotency, is_supervisor};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;
use usinage_documents::time::{ParisTz, fr_datetime};
use usinage_engines::shopfloor::working_time::{self, DayWork, Limits, Warning};
use usinage_store::Db;
use usinage_store::entities::{job, job_operation, time_entry, user};

pub const KINDS: CodeLabels = &[
    ("presence", "Présence", "Presence"),
    ("operation", "Opération", "Operation"),
    ("declaration", "Temps déclaré", "Declared time"),
];

pub const STATUSES: CodeLabels = &[
    ("valide", "Validé", "Valid"),
    ("en_attente", "En attente", "Pending"),
    ("approuvee", "Approuvé", "Approved"),
    ("refusee", "Refusé", "Refused"),
];

pub const SOURCES: CodeLabels = &[
    ("scan", "Scan", "Scan"),
    ("manuel", "Saisie manuelle", "Manual entry"),
    ("correction", "Correction", "Correction"),
];

/// Roles that approve or refuse time requests.
/// Longest manual entry (minutes).
pub const MAX_ENTRY_MIN: i64 = 16 * 60;

/// Statuses that count in timesheets.
const COUNTED: [&str; 2] = ["valide", "approuvee"];

// ---------------------------------------------------------------------------------------------
// Shapes

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimeEntryView {
    pub id: i64,
    pub user_id: i64,
    pub user_name: String,
    /// `presence`, `operation`, `declaration`.
    pub kind: String,
    pub kind_label: String,
    pub operation_id: Option<i64>,
    pub job_number: Option<String>,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// Minutes, decimal string (`"85.50"`): the period's length, the operator's labour share
    /// of a work session, or the declared time. `null` while a period is open.
    pub minutes: Option<String>,
    /// Measured minutes of a declaration.
    pub measured_min: Option<String>,
    /// `scan`, `manuel`, `correction`.
    pub source: String,
    /// `valide`, `en_attente`, `approuvee`, `refusee`.
    pub status: String,
    pub status_label: String,
    pub reason: Option<String>,
    pub requested_by: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    /// Working-time limits this entry would pass once approved (at creation only).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ClockInput {
    /// `in` (arrival) or `out` (departure).
    pub action: String,
    /// When the scan happened (queued offline actions): ≤ 5 min ahead, ≤ 7 days old.
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClockView {
    pub clocked_in: bool,
    /// Start of the open presence period.
    pub since: Option<DateTime<Utc>>,
    /// Minutes worked today (Europe/Paris), the open period counted up to now.
    pub today_min: i64,
    /// Minutes worked this ISO week.
    pub week_min: i64,
    /// Working-time limits passed (day, week, 12-week average).
    pub warnings: Vec<String>,
    /// True when this answers a replayed `Idempotency-Key` (nothing was changed).
    pub replayed: bool,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct EntryInput {
    /// Whose time (default: oneself; an operator may enter only his own).
    pub user_id: Option<i64>,
    /// `presence` or `operation`.
    pub kind: String,
    /// Required for `operation`.
    pub operation_id: Option<i64>,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    /// Why the time is entered by hand (forgotten scan, phone off…). Required.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntryFilter {
    /// Supervisors only (an operator sees his own entries).
    pub user_id: Option<String>,
    /// First day (`YYYY-MM-DD`, Europe/Paris), default 30 days before `to`.
    pub from: Option<String>,
    /// Last day included, default today.
    pub to: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestFilter {
    /// Default `en_attente` (oldest first); `approuvee` / `refusee` list the last decisions.
    pub status: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    pub approve: bool,
    /// Required when refusing.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimesheetQuery {
    /// Supervisors only (an operator sees his own timesheet).
    pub user_id: Option<String>,
    /// ISO week `2026-W49`, default the current week (Europe/Paris).
    pub week: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimesheetDay {
    pub date: NaiveDate,
    /// Presence (clock-in/out) minutes of the day, split at midnight.
    pub presence_min: i64,
    /// Labour minutes on operations.
    pub operation_min: i64,
    /// What counts for the day: presence, or the operation minutes when there is no presence.
    pub worked_min: i64,
    /// Every entry started that day, whatever its status.
    pub entries: Vec<TimeEntryView>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimesheetView {
    pub user_id: i64,
    pub user_name: String,
    /// `2026-W49`.
    pub week: String,
    pub monday: NaiveDate,
    pub days: Vec<TimesheetDay>,
    pub total_min: i64,
    /// Overtime paid +25 % (36th to 43rd hour).
    pub overtime_25_min: i64,
    /// Overtime paid +50 % (from the 44th hour).
    pub overtime_50_min: i64,
    /// Average per week over the 12 weeks ending this one.
    pub average_12w_min: i64,
    /// Largest weekly average the coming weeks may have to stay within 44 h on average.
    pub average_budget_min: i64,
    pub warnings: Vec<String>,
    /// Requests of this person still waiting for a decision.
    pub pending: u64,
}

// ---------------------------------------------------------------------------------------------
// Time helpers (Europe/Paris days)

fn paris_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&ParisTz).date_naive()
}

/// `07:58` in Paris time.
fn paris_hm(t: DateTime<Utc>) -> String {
    t.with_timezone(&ParisTz).format("%H:%M").to_string()
}

/// `07:58` today, `05/12/2026 07:58` another day.
fn paris_when(t: DateTime<Utc>) -> String {
    if paris_date(t) == crate::paris_today() {
        paris_hm(t)
    } else {
        fr_datetime(t)
    }
}

/// The UTC instant of 00:00 in Paris on `d`. Midnight is never near a daylight-saving switch
/// (01:00 UTC), so the offset of one hour before the naive instant is the right one.
fn paris_midnight(d: NaiveDate) -> DateTime<Utc> {
    let naive = d.and_hms_opt(0, 0, 0).expect("midnight");
    let offset = ParisTz.offset_from_utc_datetime(&(naive - Duration::hours(1)));
    Utc.from_utc_datetime(&(naive - Duration::seconds(i64::from(offset.local_minus_utc()))))
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Milliseconds of `[start, end)` per Paris date.
fn split_by_day(start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<(NaiveDate, i64)> {
    let mut out = Vec::new();
    let mut s = start;
    while s < end {
        let d = paris_date(s);
        let Some(next_day) = d.succ_opt() else { break };
        let next = paris_midnight(next_day).min(end);
        if next <= s {
            break;
        }
        out.push((d, (next - s).num_milliseconds()));
        s = next;
    }
    out
}

fn dec(s: Option<&str>) -> Option<Decimal> {
    s.and_then(crate::units::parse_decimal)
}

/// Minutes as a decimal string with 2 decimals (`"85.50"`).
fn min_str(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

fn ms_to_min(ms: i64) -> Decimal {
    Decimal::from(ms) / Decimal::from(60_000)
}

fn round_min(d: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    d.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap_or(0)
}

/// Per Paris date: presence milliseconds and operation minutes of the counted entries.
#[derive(Debug, Default, Clone, Copy)]
struct DayTotals {
    presence_ms: i64,
    operation: Decimal,
}

impl DayTotals {
    fn presence_min(&self) -> i64 {
        round_min(ms_to_min(self.presence_ms))
    }
    fn operation_min(&self) -> i64 {
        round_min(self.operation)
    }
    fn worked_min(&self) -> i64 {
        if self.presence_ms > 0 {
            self.presence_min()
        } else {
            self.operation_min()
        }
    }
}

fn counts(e: &time_entry::Model) -> bool {
    COUNTED.contains(&e.status.as_str())
}

fn accumulate<'a>(
    entries: impl IntoIterator<Item = &'a time_entry::Model>,
    now: DateTime<Utc>,
) -> BTreeMap<NaiveDate, DayTotals> {
    let mut map: BTreeMap<NaiveDate, DayTotals> = BTreeMap::new();
    for e in entries.into_iter().filter(|e| counts(e)) {
        match e.kind.as_str() {
            "presence" => {
                let end = e.ended_at.unwrap_or(now);
                for (d, ms) in split_by_day(e.started_at, end) {
                    map.entry(d).or_default().presence_ms += ms;
                }
            }
            "operation" => {
                let Some(m) = dec(e.minutes.as_deref()) else {
                    continue;
                };
                let parts = match e.ended_at {
                    Some(end) if end > e.started_at => split_by_day(e.started_at, end),
                    _ => Vec::new(),
                };
                let total: i64 = parts.iter().map(|p| p.1).sum();
                if parts.len() <= 1 || total <= 0 {
                    map.entry(paris_date(e.started_at)).or_default().operation += m;
                    continue;
                }
                // Split the labour minutes in proportion to the session's time on each day.
                let mut left = m;
                for (i, (d, ms)) in parts.iter().enumerate() {
                    let share = if i + 1 == parts.len() {
                        left
                    } else {
                        (m * Decimal::from(*ms) / Decimal::from(total)).round_dp(4)
                    };
                    left -= share;
                    map.entry(*d).or_default().operation += share;
                }
            }
            _ => {}
        }
    }
    map
}

fn history(map: &BTreeMap<NaiveDate, DayTotals>) -> Vec<DayWork> {
    map.iter()
        .map(|(d, t)| DayWork {
            date: *d,
            minutes: t.worked_min(),
        })
        .collect()
}

fn warning_text(w: &Warning, english: bool) -> String {
    if english { w.en.clone() } else { w.fr.clone() }
}

// ---------------------------------------------------------------------------------------------
// Rights

fn actor(ctx: &Ctx) -> Result<i64, AppError> {
    ctx.actor_id()
        .ok_or_else(|| AppError::internal("pointage sans utilisateur"))
}

/// `time_tracking:validate` and a supervising role: deciding on time is the chef's, not the
/// operator's (who validates his own operations with the same right).
fn require_supervisor(ctx: &Ctx) -> Result<(), AppError> {
    ctx.require(Module::TimeTracking, Action::Validate)?;
    if is_supervisor(ctx) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "Seuls le chef d'atelier, la direction ou l'administrateur peuvent approuver ou refuser des temps.",
            "Only the shop foreman, management or the administrator may approve or refuse time.",
        ))
    }
}

fn own_only() -> AppError {
    AppError::forbidden(
        "Vous ne pouvez consulter que vos propres pointages.",
        "You may only see your own time entries.",
    )
}

/// The person whose time is read: oneself for an operator (another id → 403), anyone for a
/// supervisor (default oneself).
fn reader_target(ctx: &Ctx, requested: Option<i64>) -> Result<i64, AppError> {
    match ctx
        .principal
        .as_ref()
        .map(|p| p.row_scope(Module::TimeTracking))
    {
        Some(RowScope::OwnOnly(me)) => match requested {
            Some(u) if u != me => Err(own_only()),
            _ => Ok(me),
        },
        _ => match requested {
            Some(u) => Ok(u),
            None => actor(ctx),
        },
    }
}

fn parse_id(v: &mut Validator, field: &str, s: &Option<String>) -> Option<i64> {
    let s = s.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match s.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            v.add(
                field,
                "invalid_number",
                "Identifiant numérique attendu.",
                "A numeric id is expected.",
            );
            None
        }
    }
}

/// Dates a timesheet may ask for (keeps every date computation far from chrono's limits).
fn in_range(d: NaiveDate) -> bool {
    (2000..=2100).contains(&d.year())
}

fn parse_date(v: &mut Validator, field: &str, s: &Option<String>) -> Option<NaiveDate> {
    let s = s.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match NaiveDate::from_str(s) {
        Ok(d) if in_range(d) => Some(d),
        _ => {
            v.add(
                field,
                "invalid_date",
                format!("Date invalide « {s} » : format attendu AAAA-MM-JJ, entre 2000 et 2100."),
                format!("Invalid date “{s}”: expected YYYY-MM-DD, between 2000 and 2100."),
            );
            None
        }
    }
}

fn check_code(
    v: &mut Validator,
    field: &str,
    list: CodeLabels,
    s: &Option<String>,
) -> Option<String> {
    let s = s.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    if list.iter().any(|(c, _, _)| *c == s) {
        Some(s.to_string())
    } else {
        let codes: Vec<&str> = list.iter().map(|c| c.0).collect();
        v.add(
            field,
            "invalid_choice",
            format!("Valeur inconnue « {s} » : {}.", codes.join(", ")),
            format!("Unknown value “{s}”: {}.", codes.join(", ")),
        );
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

async fn user_name<C: ConnectionTrait>(db: &C, id: i64) -> Result<String, AppError> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|u| u.full_name)
        .ok_or_else(|| AppError::not_found("Utilisateur", "User"))
}

async fn views<C: ConnectionTrait>(
    db: &C,
    rows: &[time_entry::Model],
    english: bool,
) -> Result<Vec<TimeEntryView>, AppError> {
    let mut user_ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    let users: Vec<(i64, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::FullName)
        .filter(user::Column::Id.is_in(user_ids))
        .into_tuple()
        .all(db)
        .await?;
    // Job of each row: its own, or its operation's.
    let op_ids: Vec<i64> = rows
        .iter()
        .filter(|r| r.job_id.is_none())
        .filter_map(|r| r.operation_id)
        .collect();
    let ops: Vec<(i64, i64)> = if op_ids.is_empty() {
        Vec::new()
    } else {
        job_operation::Entity::find()
            .select_only()
            .column(job_operation::Column::Id)
            .column(job_operation::Column::JobId)
            .filter(job_operation::Column::Id.is_in(op_ids))
            .into_tuple()
            .all(db)
            .await?
    };
    let job_of = |r: &time_entry::Model| {
        r.job_id.or_else(|| {
            r.operation_id
                .and_then(|o| ops.iter().find(|x| x.0 == o).map(|x| x.1))
        })
    };
    let job_ids: Vec<i64> = rows.iter().filter_map(job_of).collect();
    let jobs: Vec<(i64, String)> = if job_ids.is_empty() {
        Vec::new()
    } else {
        job::Entity::find()
            .select_only()
            .column(job::Column::Id)
            .column(job::Column::Number)
            .filter(job::Column::Id.is_in(job_ids))
            .into_tuple()
            .all(db)
            .await?
    };
    Ok(rows
        .iter()
        .map(|r| TimeEntryView {
            id: r.id,
            user_id: r.user_id,
            user_name: users
                .iter()
                .find(|u| u.0 == r.user_id)
                .map(|u| u.1.clone())
                .unwrap_or_default(),
            kind: r.kind.clone(),
            kind_label: label_of(KINDS, &r.kind, english),
            operation_id: r.operation_id,
            job_number: job_of(r).and_then(|j| jobs.iter().find(|x| x.0 == j).map(|x| x.1.clone())),
            started_at: r.started_at,
            ended_at: r.ended_at,
            minutes: r.minutes.clone(),
            measured_min: r.measured_min.clone(),
            source: r.source.clone(),
            status: r.status.clone(),
            status_label: label_of(STATUSES, &r.status, english),
            reason: r.reason.clone(),
            requested_by: r.requested_by.clone(),
            decided_by: r.decided_by.clone(),
            decided_at: r.decided_at,
            decision_note: r.decision_note.clone(),
            warnings: Vec::new(),
        })
        .collect())
}

async fn find_entry<C: ConnectionTrait>(db: &C, id: i64) -> Result<time_entry::Model, AppError> {
    time_entry::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Pointage", "Time entry"))
}

/// Entries of `user_id` that may touch `[from, to)`: started in it (or the day before, for a
/// period crossing `from`), or still open.
async fn entries_around<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<time_entry::Model>, AppError> {
    use time_entry::Column as C;
    Ok(time_entry::Entity::find()
        .filter(C::UserId.eq(user_id))
        .filter(C::StartedAt.lt(to))
        .filter(
            Condition::any()
                .add(C::StartedAt.gte(from - Duration::days(1)))
                .add(C::EndedAt.is_null()),
        )
        .order_by_asc(C::StartedAt)
        .order_by_asc(C::Id)
        .all(db)
        .await?)
}

/// First instant of the 12-week window ending with `monday`'s week.
fn window_start(monday: NaiveDate, limits: &Limits) -> DateTime<Utc> {
    let weeks = i64::from(limits.avg_weeks.max(1));
    paris_midnight(monday - Duration::weeks(weeks - 1))
}

async fn open_presence<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
) -> Result<Option<time_entry::Model>, AppError> {
    use time_entry::Column as C;
    Ok(time_entry::Entity::find()
        .filter(C::UserId.eq(user_id))
        .filter(C::Kind.eq("presence"))
        .filter(C::EndedAt.is_null())
        .filter(C::Status.is_in(COUNTED))
        .order_by_desc(C::StartedAt)
        .one(db)
        .await?)
}

async fn clock_view<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    warn_day: NaiveDate,
    english: bool,
) -> Result<ClockView, AppError> {
    let limits = Limits::default();
    let now = crate::now();
    let today = paris_date(now);
    let monday = monday_of(today);
    let from = window_start(monday_of(warn_day).min(monday), &limits);
    let to = paris_midnight(monday_of(warn_day).max(monday) + Duration::days(7));
    let rows = entries_around(db, user_id, from, to).await?;
    let map = accumulate(&rows, now);
    let h = history(&map);
    let open = open_presence(db, user_id).await?;
    Ok(ClockView {
        clocked_in: open.is_some(),
        since: open.map(|o| o.started_at),
        today_min: map.get(&today).map(DayTotals::worked_min).unwrap_or(0),
        week_min: map
            .range(monday..monday + Duration::days(7))
            .map(|(_, t)| t.worked_min())
            .sum(),
        warnings: working_time::check(&h, warn_day, &limits)
            .iter()
            .map(|w| warning_text(w, english))
            .collect(),
        replayed: false,
    })
}

/// `GET /time/clock`: am I clocked in, since when, today's and this week's minutes.
pub async fn clock_status(db: &Db, ctx: &Ctx, english: bool) -> Result<ClockView, AppError> {
    ctx.require(Module::TimeTracking, Action::Read)?;
    let me = actor(ctx)?;
    clock_view(&db.conn, me, crate::paris_today(), english).await
}

/// Serialises the writers of one person's time on PostgreSQL (SQLite writers already are).
async fn lock_user<C: ConnectionTrait>(db: &C, user_id: i64) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(user_id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Utilisateur", "User"))
}

fn entry_audit(e: &time_entry::Model) -> serde_json::Value {
    serde_json::json!({
        "user_id": e.user_id, "kind": e.kind, "operation_id": e.operation_id,
        "started_at": e.started_at, "ended_at": e.ended_at, "minutes": e.minutes,
        "measured_min": e.measured_min, "source": e.source, "status": e.status,
        "reason": e.reason, "decided_by": e.decided_by, "decision_note": e.decision_note,
    })
}

// ---------------------------------------------------------------------------------------------
// Clock in / out

/// `POST /time/clock`: clock in or out (oneself). Clocking out also closes the caller's open
/// work sessions (reason `fin_de_poste`). With an idempotency key already used by this person,
/// nothing changes and the current state comes back with `replayed`.
pub async fn clock(
    db: &Db,
    ctx: &Ctx,
    input: ClockInput,
    key: Option<&str>,
    english: bool,
) -> Result<ClockView, AppError> {
    ctx.require(Module::TimeTracking, Action::Create)?;
    let me = actor(ctx)?;
    let key = idempotency::check_key(key)?;
    let action = input.action.trim().to_lowercase();
    if action != "in" && action != "out" {
        return Err(AppError::field(
            "action",
            "invalid_choice",
            "Action de pointage inconnue : « in » (arrivée) ou « out » (départ).",
            "Unknown clock action: “in” or “out”.",
        ));
    }
    let at = idempotency::occurred_at(input.occurred_at)?;
    let replay = || async {
        let mut v = clock_view(&db.conn, me, crate::paris_today(), english).await?;
        v.replayed = true;
        Ok::<_, AppError>(v)
    };
    let tx = db.write().await?;
    let u = lock_user(&tx.tx, me).await?;
    if let Some(k) = key.as_deref()
        && idempotency::seen(&tx.tx, me, k).await?
    {
        drop(tx);
        return replay().await;
    }
    let open = open_presence(&tx.tx, me).await?;
    let now = crate::now();
    let entry_id = if action == "in" {
        if let Some(o) = &open {
            return Err(AppError::new(
                Kind::Conflict,
                "already_clocked_in",
                format!("Vous êtes déjà pointé depuis {}.", paris_when(o.started_at)),
                format!(
                    "You are already clocked in since {}.",
                    o.started_at
                        .with_timezone(&ParisTz)
                        .format("%Y-%m-%d %H:%M")
                ),
            ));
        }
        // A queued arrival cannot fall inside a presence already recorded.
        use time_entry::Column as C;
        let later = time_entry::Entity::find()
            .filter(C::UserId.eq(me))
            .filter(C::Kind.eq("presence"))
            .filter(C::Status.is_in(["valide", "approuvee", "en_attente"]))
            .filter(C::StartedAt.lte(at))
            .filter(C::EndedAt.gt(at))
            .one(&tx.tx)
            .await?;
        if let Some(o) = later {
            return Err(overlap_error(&o));
        }
        let e = time_entry::ActiveModel {
            user_id: Set(me),
            employee_id: Set(employee_of(&tx.tx, me).await?),
            kind: Set("presence".into()),
            started_at: Set(at),
            source: Set("scan".into()),
            status: Set("valide".into()),
            requested_by: Set(u.login.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(&tx.tx)
        .await?;
        audit::record(
            &tx.tx,
            ctx,
            "time_entry",
            &e.id.to_string(),
            "clock_in",
            None,
            Some(entry_audit(&e)),
        )
        .await?;
        e.id
    } else {
        let Some(o) = open else {
            return Err(AppError::new(
                Kind::Conflict,
                "not_clocked_in",
                "Vous n'êtes pas pointé : pointez d'abord votre arrivée.",
                "You are not clocked in: clock in first.",
            ));
        };
        if at < o.started_at {
            return Err(AppError::field(
                "occurred_at",
                "before_start",
                format!(
                    "L'heure de départ ({}) est avant l'heure d'arrivée ({}).",
                    paris_when(at),
                    paris_when(o.started_at)
                ),
                format!(
                    "The departure time ({at}) is before the arrival time ({}).",
                    o.started_at
                ),
            ));
        }
        let minutes = min_str(ms_to_min((at - o.started_at).num_milliseconds()));
        let res = time_entry::Entity::update_many()
            .set(time_entry::ActiveModel {
                ended_at: Set(Some(at)),
                end_reason: Set(Some("sortie".into())),
                minutes: Set(Some(minutes)),
                updated_at: Set(now),
                version: Set(o.version + 1),
                ..Default::default()
            })
            .filter(time_entry::Column::Id.eq(o.id))
            .filter(time_entry::Column::EndedAt.is_null())
            .exec(&tx.tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(AppError::new(
                Kind::Conflict,
                "not_clocked_in",
                "Votre départ vient d'être enregistré par ailleurs : rechargez la page.",
                "Your departure was just recorded elsewhere: reload the page.",
            ));
        }
        let after = find_entry(&tx.tx, o.id).await?;
        audit::record(
            &tx.tx,
            ctx,
            "time_entry",
            &o.id.to_string(),
            "clock_out",
            Some(entry_audit(&o)),
            Some(entry_audit(&after)),
        )
        .await?;
        crate::shopfloor::pause_all_for_user(&tx.tx, ctx, me, at, "fin_de_poste").await?;
        o.id
    };
    let kind = if action == "in" {
        "clock_in"
    } else {
        "clock_out"
    };
    match idempotency::remember(
        &tx.tx,
        ctx,
        key.as_deref(),
        kind,
        None,
        at,
        serde_json::json!({"action": action, "entry_id": entry_id}),
    )
    .await
    {
        Ok(_) => {}
        Err(e) if idempotency::is_duplicate(&e) => {
            drop(tx);
            return replay().await;
        }
        Err(e) => return Err(e),
    }
    tx.commit().await?;
    clock_view(&db.conn, me, paris_date(at), english).await
}

fn overlap_error(o: &time_entry::Model) -> AppError {
    let until_fr = o
        .ended_at
        .map(|e| format!("à {}", paris_when(e)))
        .unwrap_or_else(|| "maintenant (période en cours)".into());
    let until_en = o
        .ended_at
        .map(|e| e.to_rfc3339())
        .unwrap_or_else(|| "now (open period)".into());
    AppError::new(
        Kind::Conflict,
        "overlapping_entry",
        format!(
            "Cette période chevauche une présence déjà enregistrée de {} {until_fr} ({}).",
            paris_when(o.started_at),
            label_of(STATUSES, &o.status, false).to_lowercase()
        ),
        format!(
            "This period overlaps a presence already recorded from {} to {until_en} ({}).",
            o.started_at.to_rfc3339(),
            o.status
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// Manual entries

/// `POST /time/entries`: a period typed afterwards (forgotten scan). Stored as a request
/// (`manuel`, `en_attente`) the chef d'atelier approves; returns it with the working-time
/// limits it would pass once approved. Second value: true on an idempotent replay.
pub async fn create_entry(
    db: &Db,
    ctx: &Ctx,
    input: EntryInput,
    key: Option<&str>,
    english: bool,
) -> Result<(TimeEntryView, bool), AppError> {
    ctx.require(Module::TimeTracking, Action::Create)?;
    let me = actor(ctx)?;
    let key = idempotency::check_key(key)?;
    let target = match ctx
        .principal
        .as_ref()
        .map(|p| p.row_scope(Module::TimeTracking))
    {
        Some(RowScope::OwnOnly(own)) => match input.user_id {
            Some(u) if u != own => {
                return Err(AppError::forbidden(
                    "Vous ne pouvez saisir que vos propres pointages.",
                    "You may only enter your own time.",
                ));
            }
            _ => own,
        },
        _ => input.user_id.unwrap_or(me),
    };
    let now = crate::now();
    let mut v = Validator::default();
    let kind = input.kind.trim().to_string();
    if kind != "presence" && kind != "operation" {
        v.add(
            "kind",
            "invalid_choice",
            "Type de saisie inconnu : « presence » (présence) ou « operation » (temps sur une opération).",
            "Unknown entry kind: “presence” or “operation”.",
        );
    }
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    match &reason {
        None => v.add(
            "reason",
            "required",
            "Indiquez le motif de la saisie manuelle (oubli de pointage, téléphone éteint…).",
            "Give the reason for the manual entry (forgotten scan, phone off…).",
        ),
        Some(r) if r.chars().count() > 500 => v.add(
            "reason",
            "too_long",
            "Le motif ne peut pas dépasser 500 caractères.",
            "The reason cannot exceed 500 characters.",
        ),
        _ => {}
    }
    use chrono::SubsecRound;
    let start = input.started_at.trunc_subsecs(6);
    let end = input.ended_at.trunc_subsecs(6);
    let length = end - start;
    if end <= start {
        v.add(
            "ended_at",
            "before_start",
            "La fin doit être après le début.",
            "The end must be after the start.",
        );
    } else if length > Duration::minutes(MAX_ENTRY_MIN) {
        v.add(
            "ended_at",
            "too_long",
            format!(
                "Une saisie ne peut pas dépasser {} h (ici {} h {:02}).",
                MAX_ENTRY_MIN / 60,
                length.num_minutes() / 60,
                length.num_minutes() % 60
            ),
            format!("An entry cannot exceed {} h.", MAX_ENTRY_MIN / 60),
        );
    }
    if end > now + Duration::minutes(1) {
        v.add(
            "ended_at",
            "in_future",
            "On ne peut pas saisir un temps dans le futur.",
            "Time cannot be entered in the future.",
        );
    }
    let op = match (kind.as_str(), input.operation_id) {
        ("operation", None) => {
            v.add(
                "operation_id",
                "required",
                "Choisissez l'opération sur laquelle vous avez travaillé.",
                "Choose the operation you worked on.",
            );
            None
        }
        ("operation", Some(id)) => {
            let op = job_operation::Entity::find_by_id(id).one(&db.conn).await?;
            if op.is_none() {
                v.add(
                    "operation_id",
                    "not_found",
                    format!("Opération n° {id} introuvable."),
                    format!("Operation {id} not found."),
                );
            }
            op
        }
        _ => None,
    };
    v.finish()?;

    let tx = db.write().await?;
    let u = lock_user(&tx.tx, target).await?;
    if let Some(k) = key.as_deref()
        && let Some(ev) = idempotency::find(&tx.tx, me, k).await?
    {
        drop(tx);
        return replayed_entry(db, &ev.payload, english).await;
    }
    if kind == "presence" {
        use time_entry::Column as C;
        let other = time_entry::Entity::find()
            .filter(C::UserId.eq(target))
            .filter(C::Kind.eq("presence"))
            .filter(C::Status.is_in(["valide", "approuvee", "en_attente"]))
            .filter(C::StartedAt.lt(end))
            .filter(
                Condition::any()
                    .add(C::EndedAt.gt(start))
                    .add(C::EndedAt.is_null()),
            )
            .order_by_asc(C::StartedAt)
            .one(&tx.tx)
            .await?;
        if let Some(o) = other {
            return Err(overlap_error(&o));
        }
    }
    let minutes = ms_to_min(length.num_milliseconds());
    let e = time_entry::ActiveModel {
        user_id: Set(target),
        employee_id: Set(employee_of(&tx.tx, target).await?),
        kind: Set(kind.clone()),
        operation_id: Set(op.as_ref().map(|o| o.id)),
        job_id: Set(op.as_ref().map(|o| o.job_id)),
        machine_id: Set(op.as_ref().and_then(|o| o.machine_id)),
        started_at: Set(start),
        ended_at: Set(Some(end)),
        minutes: Set(Some(min_str(minutes))),
        source: Set("manuel".into()),
        status: Set("en_attente".into()),
        reason: Set(reason),
        requested_by: Set(ctx.actor_login().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&tx.tx)
    .await?;
    audit::record(
        &tx.tx,
        ctx,
        "time_entry",
        &e.id.to_string(),
        "create",
        None,
        Some(entry_audit(&e)),
    )
    .await?;
    match idempotency::remember(
        &tx.tx,
        ctx,
        key.as_deref(),
        "time_entry",
        e.operation_id,
        now,
        serde_json::json!({"entry_id": e.id, "user_id": u.id}),
    )
    .await
    {
        Ok(_) => {}
        Err(err) if idempotency::is_duplicate(&err) => {
            drop(tx);
            let ev = match key.as_deref() {
                Some(k) => idempotency::find(&db.conn, me, k).await?,
                None => None,
            };
            let ev = ev.ok_or(err)?;
            return replayed_entry(db, &ev.payload, english).await;
        }
        Err(err) => return Err(err),
    }
    // Limits passed once approved: the person's counted time plus this entry.
    let limits = Limits::default();
    let days: Vec<NaiveDate> = split_by_day(start, end).into_iter().map(|d| d.0).collect();
    let first = days.first().copied().unwrap_or_else(|| paris_date(start));
    let last = days.last().copied().unwrap_or(first);
    let rows = entries_around(
        &tx.tx,
        target,
        window_start(monday_of(first), &limits),
        paris_midnight(monday_of(last) + Duration::days(7)),
    )
    .await?;
    let mut as_approved = e.clone();
    as_approved.status = "approuvee".into();
    let map = accumulate(
        rows.iter()
            .filter(|r| r.id != e.id)
            .chain(std::iter::once(&as_approved)),
        now,
    );
    let h = history(&map);
    let mut warnings: Vec<Warning> = Vec::new();
    for d in &days {
        for w in working_time::check(&h, *d, &limits) {
            if !warnings
                .iter()
                .any(|x| x.kind == w.kind && x.period == w.period)
            {
                warnings.push(w);
            }
        }
    }
    let mut out = views(&tx.tx, std::slice::from_ref(&e), english)
        .await?
        .remove(0);
    out.warnings = warnings.iter().map(|w| warning_text(w, english)).collect();
    tx.commit().await?;
    Ok((out, false))
}

async fn replayed_entry(
    db: &Db,
    payload: &str,
    english: bool,
) -> Result<(TimeEntryView, bool), AppError> {
    let id = serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|p| p["entry_id"].as_i64())
        .ok_or_else(|| {
            AppError::new(
                Kind::Conflict,
                "idempotency_key_reused",
                "Cette clé d'idempotence a déjà servi pour une autre action.",
                "This idempotency key was already used for another action.",
            )
        })?;
    let e = find_entry(&db.conn, id).await?;
    let v = views(&db.conn, std::slice::from_ref(&e), english)
        .await?
        .remove(0);
    Ok((v, true))
}

// ---------------------------------------------------------------------------------------------
// Lists

/// `GET /time/entries`: entries started between `from` and `to` (Paris days), newest first.
pub async fn list_entries(
    db: &Db,
    ctx: &Ctx,
    f: &EntryFilter,
    english: bool,
) -> Result<Vec<TimeEntryView>, AppError> {
    ctx.require(Module::TimeTracking, Action::Read)?;
    let mut v = Validator::default();
    let user_id = parse_id(&mut v, "user_id", &f.user_id);
    let from = parse_date(&mut v, "from", &f.from);
    let to = parse_date(&mut v, "to", &f.to);
    let status = check_code(&mut v, "status", STATUSES, &f.status);
    let kind = check_code(&mut v, "kind", KINDS, &f.kind);
    let to = to.unwrap_or_else(crate::paris_today);
    let from = from.unwrap_or(to - Duration::days(30));
    if from > to {
        v.add(
            "from",
            "after_to",
            "La date de début est après la date de fin.",
            "The start date is after the end date.",
        );
    }
    v.finish()?;
    use time_entry::Column as C;
    let mut s = time_entry::Entity::find()
        .filter(C::StartedAt.gte(paris_midnight(from)))
        .filter(C::StartedAt.lt(paris_midnight(to + Duration::days(1))));
    match ctx
        .principal
        .as_ref()
        .map(|p| p.row_scope(Module::TimeTracking))
    {
        Some(RowScope::OwnOnly(me)) => {
            if user_id.is_some_and(|u| u != me) {
                return Err(own_only());
            }
            s = s.filter(C::UserId.eq(me));
        }
        _ => {
            if let Some(u) = user_id {
                s = s.filter(C::UserId.eq(u));
            }
        }
    }
    if let Some(st) = status {
        s = s.filter(C::Status.eq(st));
    }
    if let Some(k) = kind {
        s = s.filter(C::Kind.eq(k));
    }
    let rows = s
        .order_by_desc(C::StartedAt)
        .order_by_desc(C::Id)
        .limit(2000)
        .all(&db.conn)
        .await?;
    views(&db.conn, &rows, english).await
}

/// `GET /time/requests` (supervisors): manual entries and declarations waiting for a decision,
/// oldest first; `approuvee` / `refusee` list the 500 last decisions.
pub async fn requests(
    db: &Db,
    ctx: &Ctx,
    f: &RequestFilter,
    english: bool,
) -> Result<Vec<TimeEntryView>, AppError> {
    require_supervisor(ctx)?;
    let mut v = Validator::default();
    let status = check_code(&mut v, "status", STATUSES, &f.status);
    v.finish()?;
    let status = status.unwrap_or_else(|| "en_attente".into());
    use time_entry::Column as C;
    let s = time_entry::Entity::find().filter(C::Status.eq(status.as_str()));
    let s = if status == "en_attente" {
        s.order_by_asc(C::CreatedAt).order_by_asc(C::Id)
    } else {
        s.order_by_desc(C::DecidedAt)
            .order_by_desc(C::Id)
            .limit(500)
    };
    let rows = s.all(&db.conn).await?;
    views(&db.conn, &rows, english).await
}

// ---------------------------------------------------------------------------------------------
// Decisions

/// `POST /time/requests/{id}/decision`: approve or refuse a pending request. Approving a
/// declaration replaces the measured time by the declared one on the operation; approving a
/// manual operation entry adds its minutes to the operation. Two supervisors deciding at once:
/// the status condition lets one win, the other gets 409.
pub async fn decide(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    d: Decision,
    english: bool,
) -> Result<TimeEntryView, AppError> {
    require_supervisor(ctx)?;
    let note = d
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    if !d.approve && note.is_none() {
        return Err(AppError::field(
            "note",
            "required",
            "Indiquez le motif du refus : l'opérateur le verra.",
            "Give the reason for refusing: the operator will see it.",
        ));
    }
    if note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        return Err(AppError::field(
            "note",
            "too_long",
            "La note ne peut pas dépasser 1000 caractères.",
            "The note cannot exceed 1000 characters.",
        ));
    }
    let tx = db.write().await?;
    let cur = find_entry(&tx.tx, id).await?;
    if cur.status != "en_attente" {
        return Err(already_decided(&cur));
    }
    let now = crate::now();
    let status = if d.approve { "approuvee" } else { "refusee" };
    let res = time_entry::Entity::update_many()
        .set(time_entry::ActiveModel {
            status: Set(status.into()),
            decided_by: Set(Some(ctx.actor_login().to_string())),
            decided_at: Set(Some(now)),
            decision_note: Set(note),
            updated_at: Set(now),
            version: Set(cur.version + 1),
            ..Default::default()
        })
        .filter(time_entry::Column::Id.eq(id))
        .filter(time_entry::Column::Status.eq("en_attente"))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        drop(tx);
        let cur = find_entry(&db.conn, id).await?;
        return Err(already_decided(&cur));
    }
    let after = find_entry(&tx.tx, id).await?;
    audit::record(
        &tx.tx,
        ctx,
        "time_entry",
        &id.to_string(),
        if d.approve { "approve" } else { "refuse" },
        Some(entry_audit(&cur)),
        Some(entry_audit(&after)),
    )
    .await?;
    if let Some(op_id) = after.operation_id {
        apply_to_operation(&tx.tx, ctx, &after, op_id, d.approve).await?;
    }
    let out = views(&tx.tx, std::slice::from_ref(&after), english)
        .await?
        .remove(0);
    tx.commit().await?;
    Ok(out)
}

fn already_decided(e: &time_entry::Model) -> AppError {
    let by = match (&e.decided_by, e.decided_at) {
        (Some(by), Some(at)) => format!(" par {by} le {}", fr_datetime(at)),
        _ => String::new(),
    };
    AppError::new(
        Kind::Conflict,
        "already_decided",
        format!(
            "Cette demande n'est plus en attente ({}{by}).",
            label_of(STATUSES, &e.status, false).to_lowercase()
        ),
        format!("This request is no longer pending ({}).", e.status),
    )
}

async fn apply_to_operation<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    e: &time_entry::Model,
    op_id: i64,
    approve: bool,
) -> Result<(), AppError> {
    let (new_actual, new_status): (Option<Decimal>, Option<&str>) = match e.kind.as_str() {
        "declaration" => (None, Some(if approve { "approuve" } else { "refuse" })),
        "operation" if approve => (None, None),
        _ => return Ok(()),
    };
    let Some(op) = job_operation::Entity::find_by_id(op_id)
        .lock_exclusive()
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let actual = dec(op.actual_min.as_deref());
    let minutes = dec(e.minutes.as_deref()).unwrap_or_default();
    let new_actual = match e.kind.as_str() {
        "declaration" if approve => {
            let measured = dec(e.measured_min.as_deref()).unwrap_or_default();
            let base = actual.unwrap_or(measured);
            Some((base - measured + minutes).max(Decimal::ZERO))
        }
        "operation" => Some(actual.unwrap_or_default() + minutes),
        _ => new_actual,
    };
    let mut am: job_operation::ActiveModel = op.clone().into();
    if let Some(a) = new_actual {
        am.actual_min = Set(Some(min_str(a)));
    }
    if let Some(s) = new_status {
        am.time_status = Set(Some(s.into()));
    }
    am.updated_at = Set(crate::now());
    am.version = Set(op.version + 1);
    let after = am.update(db).await?;
    audit::record(
        db,
        ctx,
        "job_operation",
        &op_id.to_string(),
        "time_decision",
        Some(serde_json::json!({"actual_min": op.actual_min, "time_status": op.time_status})),
        Some(serde_json::json!({
            "actual_min": after.actual_min, "time_status": after.time_status,
            "time_entry_id": e.id, "approved": approve,
        })),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Timesheet

/// `GET /time/timesheet`: one person's ISO week: minutes per day, total, overtime tiers,
/// 12-week average, limits passed and pending requests.
pub async fn timesheet(
    db: &Db,
    ctx: &Ctx,
    q: &TimesheetQuery,
    english: bool,
) -> Result<TimesheetView, AppError> {
    ctx.require(Module::TimeTracking, Action::Read)?;
    let mut v = Validator::default();
    let requested = parse_id(&mut v, "user_id", &q.user_id);
    let week = q.week.as_deref().map(str::trim).filter(|w| !w.is_empty());
    let monday = match week {
        Some(w) => working_time::parse_iso_week(w)
            .filter(|d| in_range(*d))
            .or_else(|| {
                v.add(
                    "week",
                    "invalid_week",
                    format!("Semaine invalide « {w} » : format attendu 2026-W49."),
                    format!("Invalid week “{w}”: expected 2026-W49."),
                );
                None
            }),
        None => Some(monday_of(crate::paris_today())),
    };
    v.finish()?;
    let monday = monday.unwrap_or_else(|| monday_of(crate::paris_today()));
    let target = reader_target(ctx, requested)?;
    let name = user_name(&db.conn, target).await?;
    let limits = Limits::default();
    let now = crate::now();
    let end = paris_midnight(monday + Duration::days(7));
    let rows = entries_around(&db.conn, target, window_start(monday, &limits), end).await?;
    let map = accumulate(&rows, now);
    let summary = working_time::week(&history(&map), monday, &limits);
    let start = paris_midnight(monday);
    let week_rows: Vec<time_entry::Model> = rows
        .iter()
        .filter(|r| r.started_at >= start && r.started_at < end)
        .cloned()
        .collect();
    let all_views = views(&db.conn, &week_rows, english).await?;
    let days = (0..7)
        .map(|i| {
            let date = monday + Duration::days(i);
            let t = map.get(&date).copied().unwrap_or_default();
            TimesheetDay {
                date,
                presence_min: t.presence_min(),
                operation_min: t.operation_min(),
                worked_min: summary.days[i as usize],
                entries: all_views
                    .iter()
                    .filter(|e| paris_date(e.started_at) == date)
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    let pending = time_entry::Entity::find()
        .filter(time_entry::Column::UserId.eq(target))
        .filter(time_entry::Column::Status.eq("en_attente"))
        .count(&db.conn)
        .await?;
    Ok(TimesheetView {
        user_id: target,
        user_name: name,
        week: working_time::iso_week_label(monday),
        monday,
        days,
        total_min: summary.total_min,
        overtime_25_min: summary.overtime_25_min,
        overtime_50_min: summary.overtime_50_min,
        average_12w_min: summary.average_min,
        average_budget_min: summary.average_budget_min,
        warnings: summary
            .warnings
            .iter()
            .map(|w| warning_text(w, english))
            .collect(),
        pending,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, mi, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn paris_midnights_follow_summer_time() {
        assert_eq!(paris_midnight(date(2026, 12, 8)), utc(2026, 12, 7, 23, 0));
        assert_eq!(paris_midnight(date(2026, 7, 14)), utc(2026, 7, 13, 22, 0));
        // Days of the switches: 29/03/2026 and 25/10/2026 start on the winter/summer offset.
        assert_eq!(paris_midnight(date(2026, 3, 29)), utc(2026, 3, 28, 23, 0));
        assert_eq!(paris_midnight(date(2026, 3, 30)), utc(2026, 3, 29, 22, 0));
        assert_eq!(paris_midnight(date(2026, 10, 25)), utc(2026, 10, 24, 22, 0));
        assert_eq!(paris_midnight(date(2026, 10, 26)), utc(2026, 10, 25, 23, 0));
    }

    #[test]
    fn a_night_shift_is_split_at_paris_midnight() {
        // 21:00 → 05:00 Paris (winter) = 20:00 → 04:00 UTC.
        let parts = split_by_day(utc(2026, 12, 7, 20, 0), utc(2026, 12, 8, 4, 0));
        assert_eq!(
            parts,
            vec![
                (date(2026, 12, 7), 3 * 3_600_000),
                (date(2026, 12, 8), 5 * 3_600_000)
            ]
        );
        // The short night of the spring switch: 22:00 → 06:00 local is 7 h.
        let parts = split_by_day(utc(2026, 3, 28, 21, 0), utc(2026, 3, 29, 4, 0));
        assert_eq!(parts.iter().map(|p| p.1).sum::<i64>(), 7 * 3_600_000);
        assert_eq!(parts[0], (date(2026, 3, 28), 2 * 3_600_000));
    }

    fn entry(
        kind: &str,
        status: &str,
        s: DateTime<Utc>,
        e: Option<DateTime<Utc>>,
        min: Option<&str>,
    ) -> time_entry::Model {
        time_entry::Model {
            id: 1,
            user_id: 1,
            employee_id: None,
            kind: kind.into(),
            operation_id: None,
            job_id: None,
            machine_id: None,
            started_at: s,
            ended_at: e,
            end_reason: None,
            end_note: None,
            minutes: min.map(str::to_string),
            measured_min: None,
            source: "scan".into(),
            status: status.into(),
            reason: None,
            requested_by: "x".into(),
            decided_by: None,
            decided_at: None,
            decision_note: None,
            created_at: s,
            updated_at: s,
            version: 1,
        }
    }

    #[test]
    fn days_count_presence_else_operation_minutes() {
        let rows = vec![
            entry(
                "presence",
                "valide",
                utc(2026, 12, 7, 7, 0),
                Some(utc(2026, 12, 7, 15, 30)),
                None,
            ),
            entry(
                "operation",
                "valide",
                utc(2026, 12, 7, 8, 0),
                Some(utc(2026, 12, 7, 10, 0)),
                Some("60.00"),
            ),
            // No presence on Tuesday: its operation minutes count.
            entry(
                "operation",
                "approuvee",
                utc(2026, 12, 8, 8, 0),
                Some(utc(2026, 12, 8, 9, 30)),
                Some("90"),
            ),
            // Pending and refused rows do not count.
            entry(
                "presence",
                "en_attente",
                utc(2026, 12, 9, 7, 0),
                Some(utc(2026, 12, 9, 15, 0)),
                None,
            ),
            entry(
                "presence",
                "refusee",
                utc(2026, 12, 10, 7, 0),
                Some(utc(2026, 12, 10, 15, 0)),
                None,
            ),
            // Open period counted up to now.
            entry("presence", "valide", utc(2026, 12, 11, 7, 0), None, None),
        ];
        let map = accumulate(&rows, utc(2026, 12, 11, 9, 15));
        let mon = map[&date(2026, 12, 7)];
        assert_eq!(
            (mon.presence_min(), mon.operation_min(), mon.worked_min()),
            (510, 60, 510)
        );
        let tue = map[&date(2026, 12, 8)];
        assert_eq!((tue.presence_min(), tue.worked_min()), (0, 90));
        assert!(!map.contains_key(&date(2026, 12, 9)));
        assert!(!map.contains_key(&date(2026, 12, 10)));
        assert_eq!(map[&date(2026, 12, 11)].worked_min(), 135);
    }

    #[test]
    fn minutes_strings() {
        assert_eq!(min_str(ms_to_min(85 * 60_000 + 30_000)), "85.50");
        assert_eq!(min_str(Decimal::from(60)), "60.00");
        assert_eq!(round_min(Decimal::new(295, 1)), 30);
    }
}
