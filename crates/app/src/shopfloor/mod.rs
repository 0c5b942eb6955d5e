//! Shop floor (atelier): operators start, pause, resume, report and finish job operations from
//! a phone or a PC ([`actions`]); sawing deducts bar stock ([`sawing`]); broken tools get an
//! in-stock replacement ([`broken_tool`]); the office sees the shop live ([`board`], [`events`]).
//! Rules in `docs/shop-floor.md`; the pure parts (status transitions, quantities, time split,
//! bar choice, scrap cost) are `usinage_engines::shopfloor`.

pub mod actions;
pub mod board;
pub mod broken_tool;
pub mod demo;
pub mod events;
pub mod idempotency;
pub mod reasons;
pub mod sawing;

pub use actions::pause_all_for_user;

use crate::crm::{CodeLabels, label_of};
use crate::ctx::Ctx;
use crate::error::{AppError, Kind};
use crate::production::{self, OPERATION_STATUSES, OperationView};
use crate::rights::{Action, Module, RowScope};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use usinage_engines::shopfloor::{flow, labor};
use usinage_store::Db;
use usinage_store::entities::{
    instrument, instrument_use, job, job_operation, machine, material_movement, material_stock,
    order, order_line, partner, time_entry, user,
};

pub const PAUSE_REASONS: CodeLabels = &[
    ("reglage", "Réglage", "Setup"),
    ("attente_matiere", "Attente matière", "Waiting for material"),
    ("attente_outil", "Attente outil", "Waiting for a tool"),
    ("panne_machine", "Panne machine", "Machine breakdown"),
    ("pause", "Pause", "Break"),
    ("autre", "Autre", "Other"),
];

/// End reasons of a work session that are not pauses chosen by the operator.
pub const END_REASONS: CodeLabels = &[
    ("fin", "Opération terminée", "Operation finished"),
    ("fin_de_poste", "Fin de poste", "End of shift"),
];

pub const TIME_STATUSES: CodeLabels = &[
    ("mesure", "Temps mesuré", "Measured time"),
    (
        "en_attente",
        "Temps déclaré à valider",
        "Declared time to approve",
    ),
    (
        "approuve",
        "Temps déclaré approuvé",
        "Declared time approved",
    ),
    ("refuse", "Temps déclaré refusé", "Declared time refused"),
];

/// Roles that supervise the floor: act on anyone's operation, see every task, approve time.
pub const SUPERVISOR_ROLES: &[&str] = &["chef_atelier", "direction", "admin"];

pub fn is_supervisor(ctx: &Ctx) -> bool {
    ctx.principal.as_ref().is_some_and(|p| {
        p.roles
            .iter()
            .any(|r| SUPERVISOR_ROLES.contains(&r.as_str()))
    })
}

/// Priority rank of an order (0 first).
fn priority_rank(p: &str) -> u8 {
    match p {
        "urgente" => 0,
        "haute" => 1,
        _ => 2,
    }
}

fn status_rank(s: &str) -> u8 {
    match s {
        "en_cours" => 0,
        "en_pause" => 1,
        _ => 2,
    }
}

pub(crate) fn dec(s: &Option<String>) -> Decimal {
    s.as_deref()
        .and_then(crate::units::parse_decimal)
        .unwrap_or_default()
}

pub(crate) fn dec_str(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string()
}

/// Estimated minutes of an operation: setup + run × quantity.
pub(crate) fn estimated_min(op: &job_operation::Model, quantity: i32) -> Decimal {
    dec(&Some(op.setup_min.clone())) + dec(&Some(op.run_min.clone())) * Decimal::from(quantity)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CodeLabel {
    pub code: String,
    pub label: String,
}

pub(crate) fn code_labels(list: CodeLabels, english: bool) -> Vec<CodeLabel> {
    list.iter()
        .map(|(c, fr, en)| CodeLabel {
            code: (*c).to_string(),
            label: (if english { *en } else { *fr }).to_string(),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
    pub end_reason_label: Option<String>,
    pub end_note: Option<String>,
    /// Labour minutes of this session (its share when the operator ran several operations).
    pub minutes: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Can {
    pub start: bool,
    pub pause: bool,
    pub resume: bool,
    pub report: bool,
    pub finish: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DebitInfo {
    pub grade: Option<String>,
    pub diameter_mm: Option<String>,
    pub cut_length_mm: String,
    pub pieces: i64,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InstrumentChecked {
    pub instrument_id: i64,
    pub code: String,
    pub label: String,
    pub state: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OffcutView {
    pub stock_id: i64,
    pub length_mm: String,
    pub diameter_mm: String,
    pub location_id: Option<i64>,
}

/// What an operator sees of an operation on the floor.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FloorOperationView {
    pub operation: OperationView,
    pub job_id: i64,
    pub job_number: String,
    pub job_status: String,
    pub order_number: String,
    pub client_name: String,
    pub part_reference: Option<String>,
    pub designation: String,
    pub quantity: i32,
    pub priority: String,
    pub due_date: Option<chrono::NaiveDate>,
    pub status: String,
    pub status_label: String,
    pub assigned_user_id: Option<i64>,
    pub assigned_name: Option<String>,
    /// Parts this operation can process: the previous operation's good parts (transfer
    /// batches), or the job's quantity for the first operation.
    pub input_available: i64,
    pub qty_good: i32,
    pub qty_scrap: i32,
    pub qty_rework: i32,
    /// Minutes: setup + run × quantity.
    pub estimated_min: String,
    /// Labour minutes measured so far (open sessions counted up to now).
    pub measured_min: String,
    /// This operator's own measured minutes on the operation.
    pub my_measured_min: String,
    /// Machine minutes (union of the sessions).
    pub machine_min: String,
    /// Minutes kept after finish (measured, or the approved declaration).
    pub actual_min: Option<String>,
    pub time_status: Option<String>,
    pub time_status_label: Option<String>,
    pub my_session_open: bool,
    pub sessions: Vec<SessionView>,
    pub pause_reasons: Vec<CodeLabel>,
    pub scrap_reasons: Vec<CodeLabel>,
    pub can: Can,
    pub is_debit: bool,
    pub is_control: bool,
    pub debit: Option<DebitInfo>,
    pub instruments_checked: Vec<InstrumentChecked>,
    /// Offcuts this operation put back in stock (labels to print: entity `material-stock`).
    pub offcuts: Vec<OffcutView>,
    pub tool_changes: i32,
    /// Scrap cost of this operation (€ HT, e.g. "12.40").
    pub scrap_cost: String,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub warnings: Vec<String>,
    /// True when this answers a replayed request (same Idempotency-Key): nothing was changed.
    pub replayed: bool,
}

/// One line of "Mes tâches".
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TaskView {
    pub operation_id: i64,
    pub job_id: i64,
    pub job_number: String,
    pub order_number: String,
    pub client_name: String,
    pub part_reference: Option<String>,
    pub designation: String,
    pub position: i32,
    pub label: String,
    pub process: String,
    pub process_label: String,
    pub machine_id: Option<i64>,
    pub machine_label: Option<String>,
    pub work_centre: Option<String>,
    pub status: String,
    pub status_label: String,
    pub priority: String,
    pub due_date: Option<chrono::NaiveDate>,
    pub late: bool,
    pub quantity: i32,
    pub input_available: i64,
    pub qty_good: i32,
    pub qty_scrap: i32,
    pub assigned_user_id: Option<i64>,
    pub assigned_name: Option<String>,
    pub operators: Vec<String>,
    pub estimated_min: String,
    pub actual_min: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskFilter {
    /// Another person's tasks (supervisors).
    pub user_id: Option<i64>,
    pub machine_id: Option<i64>,
    /// Comma-separated statuses (a_faire, en_cours, en_pause, termine).
    pub status: Option<String>,
    /// Every open operation (supervisors).
    pub all: Option<bool>,
}

/// An operation with everything the floor rules need.
pub(crate) struct Loaded {
    pub op: job_operation::Model,
    pub job: job::Model,
    /// Every operation of the job, by position.
    pub ops: Vec<job_operation::Model>,
}

impl Loaded {
    pub fn previous(&self) -> Option<&job_operation::Model> {
        self.ops
            .iter()
            .filter(|o| o.position < self.op.position)
            .max_by_key(|o| o.position)
    }
    /// Parts that enter the job: the ordered quantity, or the débit's pieces when larger.
    pub fn job_input(&self) -> i64 {
        let debit = debit_of(&self.job).map(|d| i64::from(d.quantity));
        i64::from(self.job.quantity).max(debit.unwrap_or(0))
    }
    pub fn input(&self) -> i64 {
        flow::input_available(
            self.previous().map(|p| i64::from(p.qty_good)),
            self.job_input(),
        )
    }
}

pub(crate) fn debit_of(j: &job::Model) -> Option<production::DebitView> {
    j.debit_json
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
}

pub(crate) async fn load<C: ConnectionTrait>(db: &C, id: i64) -> Result<Loaded, AppError> {
    let op = job_operation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Opération", "Operation"))?;
    let job = production::find(db, op.job_id).await?;
    let ops = production::operations_of(db, job.id).await?;
    Ok(Loaded { op, job, ops })
}

/// The employee record of a user account, if any.
pub(crate) async fn employee_of<C: ConnectionTrait>(
    db: &C,
    user: i64,
) -> Result<Option<i64>, AppError> {
    Ok(usinage_store::entities::employee::Entity::find()
        .filter(usinage_store::entities::employee::Column::UserId.eq(user))
        .one(db)
        .await?
        .map(|e| e.id))
}

pub(crate) fn user_id(ctx: &Ctx) -> Result<i64, AppError> {
    ctx.actor_id().ok_or_else(AppError::unauthenticated)
}

/// An operator acts on his own operations and on unassigned ones; a supervisor on any.
pub(crate) async fn ensure_may_act<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    op: &job_operation::Model,
) -> Result<(), AppError> {
    let me = user_id(ctx)?;
    match op.assigned_user_id {
        Some(u) if u != me && !is_supervisor(ctx) => {
            let name = user::Entity::find_by_id(u)
                .one(db)
                .await?
                .map(|u| u.full_name)
                .unwrap_or_else(|| format!("utilisateur {u}"));
            Err(AppError::new(
                Kind::Forbidden,
                "operation_assigned_elsewhere",
                format!(
                    "Cette opération est affectée à {name}. Seul le chef d'atelier peut la confier à quelqu'un d'autre."
                ),
                format!(
                    "This operation is assigned to {name}. Only the shop foreman can hand it to someone else."
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// A job's routing must be validated (prêt) before its operations start; a cancelled or
/// finished job is closed.
pub(crate) fn ensure_job_open(j: &job::Model) -> Result<(), AppError> {
    let (fr, en) = match j.status.as_str() {
        "pret" | "en_cours" => return Ok(()),
        "brouillon" => (
            format!(
                "La gamme de l'OF {} n'est pas encore validée par les méthodes : ses opérations ne peuvent pas démarrer.",
                j.number
            ),
            format!(
                "Job {}'s routing is not validated by methods yet: its operations cannot start.",
                j.number
            ),
        ),
        "annule" => (
            format!("L'OF {} est annulé.", j.number),
            format!("Job {} is cancelled.", j.number),
        ),
        _ => (
            format!("L'OF {} est terminé.", j.number),
            format!("Job {} is finished.", j.number),
        ),
    };
    Err(AppError::new(Kind::Conflict, "job_not_open", fr, en))
}

pub(crate) async fn sessions_of<C: ConnectionTrait>(
    db: &C,
    op_id: i64,
) -> Result<Vec<time_entry::Model>, AppError> {
    Ok(time_entry::Entity::find()
        .filter(time_entry::Column::OperationId.eq(op_id))
        .filter(time_entry::Column::Kind.eq("operation"))
        .filter(time_entry::Column::Status.is_in(["valide", "approuvee"]))
        .order_by_asc(time_entry::Column::StartedAt)
        .order_by_asc(time_entry::Column::Id)
        .all(db)
        .await?)
}

/// Measured time of an operation at `now`: (labour minutes, machine minutes, labour per user).
/// The operators' sessions on other operations in the same period count, so that an operator
/// tending two machines gives each half of his time.
pub(crate) async fn measure<C: ConnectionTrait>(
    db: &C,
    op_id: i64,
    sessions: &[time_entry::Model],
    now: DateTime<Utc>,
) -> Result<(Decimal, Decimal, HashMap<i64, Decimal>), AppError> {
    if sessions.is_empty() {
        return Ok((Decimal::ZERO, Decimal::ZERO, HashMap::new()));
    }
    let users: BTreeSet<i64> = sessions.iter().map(|s| s.user_id).collect();
    let from = sessions.iter().map(|s| s.started_at).min().unwrap_or(now);
    let to = sessions
        .iter()
        .map(|s| s.ended_at.unwrap_or(now))
        .max()
        .unwrap_or(now);
    let others = time_entry::Entity::find()
        .filter(time_entry::Column::UserId.is_in(users.iter().copied()))
        .filter(time_entry::Column::Kind.eq("operation"))
        .filter(time_entry::Column::Status.is_in(["valide", "approuvee"]))
        .filter(time_entry::Column::OperationId.ne(op_id))
        .filter(time_entry::Column::StartedAt.lt(to))
        .all(db)
        .await?;
    let segments: Vec<labor::Segment> = sessions
        .iter()
        .chain(
            others
                .iter()
                .filter(|s| s.ended_at.is_none_or(|e| e > from)),
        )
        .map(|s| labor::Segment {
            operator: s.user_id,
            operation: s.operation_id.unwrap_or_default(),
            start: s.started_at.timestamp(),
            end: s
                .ended_at
                .unwrap_or(now)
                .timestamp()
                .max(s.started_at.timestamp()),
        })
        .collect();
    let shares = labor::split(&segments);
    let mut per_user = HashMap::new();
    let mut labour = Decimal::ZERO;
    for s in shares.iter().filter(|s| s.operation == op_id) {
        labour += s.minutes;
        *per_user.entry(s.operator).or_insert(Decimal::ZERO) += s.minutes;
    }
    Ok((labour, labor::elapsed_minutes(&segments, op_id), per_user))
}

async fn names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, AppError> {
    let ids: BTreeSet<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect())
}

struct JobContext {
    order_number: String,
    client_name: String,
    part_reference: Option<String>,
    designation: String,
    priority: String,
}

async fn job_context<C: ConnectionTrait>(db: &C, j: &job::Model) -> Result<JobContext, AppError> {
    let o = order::Entity::find_by_id(j.order_id).one(db).await?;
    let l = order_line::Entity::find_by_id(j.order_line_id)
        .one(db)
        .await?;
    let client = match &o {
        Some(o) => partner::Entity::find_by_id(o.client_id)
            .one(db)
            .await?
            .map(|p| p.name),
        None => None,
    };
    Ok(JobContext {
        order_number: o.as_ref().map(|o| o.number.clone()).unwrap_or_default(),
        client_name: client.unwrap_or_default(),
        part_reference: l.as_ref().and_then(|l| l.reference.clone()),
        designation: l.map(|l| l.designation).unwrap_or_default(),
        priority: o.map(|o| o.priority).unwrap_or_else(|| "normale".into()),
    })
}

pub(crate) fn is_debit(op: &job_operation::Model) -> bool {
    op.process == "debit"
}

/// The operation that consumes bar stock: the débit (saw), or, for a bar-fed part, the first
/// turning operation (the bar feeder consumes the bar at the lathe).
pub(crate) fn consumes_bar(l: &Loaded) -> bool {
    if is_debit(&l.op) {
        return true;
    }
    let bar_fed = debit_of(&l.job).is_some_and(|d| d.bar_fed);
    bar_fed
        && !l.ops.iter().any(is_debit)
        && l.ops
            .iter()
            .filter(|o| o.process == "tournage")
            .min_by_key(|o| o.position)
            .is_some_and(|o| o.id == l.op.id)
}

pub(crate) fn is_control(op: &job_operation::Model) -> bool {
    op.process == "controle" || op.work_centre.as_deref() == Some("controle")
}

/// The floor view of an operation (read right: time tracking).
pub async fn get(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    english: bool,
) -> Result<FloorOperationView, AppError> {
    ctx.require(Module::TimeTracking, Action::Read)?;
    let l = load(&db.conn, id).await?;
    view(db, ctx, &l, english).await
}

pub(crate) async fn view(
    db: &Db,
    ctx: &Ctx,
    l: &Loaded,
    english: bool,
) -> Result<FloorOperationView, AppError> {
    let conn = &db.conn;
    let me = user_id(ctx)?;
    let op = &l.op;
    let base = production::get_operation(db, ctx, op.id, english).await?;
    let jc = job_context(conn, &l.job).await?;
    let sessions = sessions_of(conn, op.id).await?;
    let now = crate::now();
    let (labour, machine_min, per_user) = measure(conn, op.id, &sessions, now).await?;
    let who = names(
        conn,
        sessions
            .iter()
            .map(|s| s.user_id)
            .chain(op.assigned_user_id),
    )
    .await?;
    let my_open = sessions
        .iter()
        .any(|s| s.user_id == me && s.ended_at.is_none());
    let others_open = sessions
        .iter()
        .any(|s| s.user_id != me && s.ended_at.is_none());
    let status = flow::OpStatus::parse(&op.status).unwrap_or(flow::OpStatus::AFaire);
    let may_act = ensure_may_act(conn, ctx, op).await.is_ok()
        && ensure_job_open(&l.job).is_ok()
        && ctx.require(Module::TimeTracking, Action::Create).is_ok();
    let input = l.input();
    let done = i64::from(op.qty_good + op.qty_scrap);
    let allowed =
        |a: flow::OpAction| may_act && flow::transition(status, a, my_open, others_open).is_ok();
    let can = Can {
        start: allowed(flow::OpAction::Start)
            && status != flow::OpStatus::EnPause
            && flow::can_start(input, i64::from(op.qty_good), i64::from(op.qty_scrap)).is_ok(),
        pause: allowed(flow::OpAction::Pause),
        resume: allowed(flow::OpAction::Resume) && status != flow::OpStatus::EnCours,
        report: allowed(flow::OpAction::Report) && done < input,
        finish: allowed(flow::OpAction::Finish),
    };
    let mut warnings = Vec::new();
    if let Some(u) = op.assigned_user_id
        && u != me
    {
        warnings.push(if english {
            format!("Assigned to {}.", who.get(&u).cloned().unwrap_or_default())
        } else {
            format!(
                "Opération affectée à {}.",
                who.get(&u).cloned().unwrap_or_default()
            )
        });
    }
    if let Err(e) = ensure_job_open(&l.job)
        && status != flow::OpStatus::Termine
    {
        warnings.push(e.detail.get(english).to_string());
    }
    if status == flow::OpStatus::AFaire && input <= 0 {
        warnings.push(if english {
            "The previous operation has not delivered any good part yet.".into()
        } else {
            "L'opération précédente n'a encore livré aucune pièce bonne.".into()
        });
    }
    if let Some(w) = base
        .operation
        .instruments
        .iter()
        .find(|i| i.instrument_id.is_some() && !i.usable)
    {
        warnings.push(format!(
            "Instrument {} non utilisable (étalonnage) : scannez-en un autre.",
            w.instrument_code.clone().unwrap_or_default()
        ));
    }
    let estimated = estimated_min(op, l.job.quantity);
    if labour > estimated && estimated > Decimal::ZERO {
        warnings.push(format!(
            "Temps passé ({} min) au-delà de l'estimé ({} min).",
            dec_str(labour),
            dec_str(estimated)
        ));
    }
    let debit = if consumes_bar(l) {
        debit_of(&l.job).map(|d| DebitInfo {
            grade: d.grade.clone(),
            diameter_mm: sawing::section_diameter(&d.section).map(dec_str),
            cut_length_mm: dec_str(Decimal::try_from(d.cut_length_mm).unwrap_or_default()),
            pieces: i64::from(d.quantity),
            label: d.label,
        })
    } else {
        None
    };
    let uses = instrument_use::Entity::find()
        .filter(instrument_use::Column::OperationId.eq(op.id))
        .all(conn)
        .await?;
    let instruments: HashMap<i64, instrument::Model> = if uses.is_empty() {
        HashMap::new()
    } else {
        instrument::Entity::find()
            .filter(instrument::Column::Id.is_in(uses.iter().map(|u| u.instrument_id)))
            .all(conn)
            .await?
            .into_iter()
            .map(|i| (i.id, i))
            .collect()
    };
    let scrap_reasons = reasons::active(conn).await?;
    let offcut_ids: Vec<i64> = material_movement::Entity::find()
        .filter(material_movement::Column::OperationId.eq(op.id))
        .filter(material_movement::Column::Kind.eq("chute"))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.stock_id)
        .collect();
    let offcuts = if offcut_ids.is_empty() {
        Vec::new()
    } else {
        material_stock::Entity::find()
            .filter(material_stock::Column::Id.is_in(offcut_ids))
            .order_by_asc(material_stock::Column::Id)
            .all(conn)
            .await?
            .into_iter()
            .map(|s| OffcutView {
                stock_id: s.id,
                length_mm: s.length_mm,
                diameter_mm: s.diameter_mm,
                location_id: s.location_id,
            })
            .collect()
    };
    Ok(FloorOperationView {
        offcuts,
        job_id: l.job.id,
        job_number: l.job.number.clone(),
        job_status: l.job.status.clone(),
        order_number: jc.order_number,
        client_name: jc.client_name,
        part_reference: jc.part_reference,
        designation: jc.designation,
        quantity: l.job.quantity,
        priority: jc.priority,
        due_date: l.job.due_date,
        status: op.status.clone(),
        status_label: label_of(OPERATION_STATUSES, &op.status, english),
        assigned_user_id: op.assigned_user_id,
        assigned_name: op.assigned_user_id.and_then(|u| who.get(&u).cloned()),
        input_available: input,
        qty_good: op.qty_good,
        qty_scrap: op.qty_scrap,
        qty_rework: op.qty_rework,
        estimated_min: dec_str(estimated),
        measured_min: dec_str(labour),
        my_measured_min: dec_str(per_user.get(&me).copied().unwrap_or_default()),
        machine_min: dec_str(machine_min),
        actual_min: op.actual_min.clone(),
        time_status: op.time_status.clone(),
        time_status_label: op
            .time_status
            .as_deref()
            .map(|t| label_of(TIME_STATUSES, t, english)),
        my_session_open: my_open,
        sessions: sessions
            .iter()
            .map(|s| SessionView {
                id: s.id,
                user_id: s.user_id,
                user_name: who.get(&s.user_id).cloned().unwrap_or_default(),
                started_at: s.started_at,
                ended_at: s.ended_at,
                end_reason: s.end_reason.clone(),
                end_reason_label: s.end_reason.as_deref().map(|r| {
                    if PAUSE_REASONS.iter().any(|(c, _, _)| *c == r) {
                        label_of(PAUSE_REASONS, r, english)
                    } else {
                        label_of(END_REASONS, r, english)
                    }
                }),
                end_note: s.end_note.clone(),
                minutes: s.minutes.clone(),
            })
            .collect(),
        pause_reasons: code_labels(PAUSE_REASONS, english),
        scrap_reasons: scrap_reasons
            .into_iter()
            .map(|r| CodeLabel {
                code: r.code,
                label: r.label,
            })
            .collect(),
        can,
        is_debit: consumes_bar(l),
        is_control: is_control(op),
        debit,
        instruments_checked: uses
            .iter()
            .filter_map(|u| {
                let i = instruments.get(&u.instrument_id)?;
                Some(InstrumentChecked {
                    instrument_id: i.id,
                    code: i.code.clone(),
                    label: i.name.clone(),
                    state: u.state.clone(),
                    at: u.created_at,
                })
            })
            .collect(),
        tool_changes: op.tool_changes,
        scrap_cost: crate::units::cents_to_string(op.scrap_cost_cents),
        started_at: op.started_at,
        finished_at: op.finished_at,
        warnings,
        replayed: false,
        operation: base.operation,
    })
}

/// "Mes tâches": the operator's assigned operations and the ones he worked on, running first,
/// then by order priority, lateness, due date. Supervisors may ask for someone else's or all.
pub async fn tasks(
    db: &Db,
    ctx: &Ctx,
    f: &TaskFilter,
    english: bool,
) -> Result<Vec<TaskView>, AppError> {
    ctx.require(Module::TimeTracking, Action::Read)?;
    let me = user_id(ctx)?;
    let own_only = matches!(
        ctx.principal
            .as_ref()
            .map(|p| p.row_scope(Module::TimeTracking)),
        Some(RowScope::OwnOnly(_))
    );
    if own_only && (f.all == Some(true) || f.user_id.is_some_and(|u| u != me)) {
        return Err(AppError::forbidden(
            "Vous ne voyez que vos propres tâches.",
            "You only see your own tasks.",
        ));
    }
    let conn = &db.conn;
    let statuses: Vec<String> = match f.status.as_deref() {
        Some(s) if !s.trim().is_empty() => {
            let list: Vec<String> = s.split(',').map(|x| x.trim().to_string()).collect();
            if let Some(bad) = list
                .iter()
                .find(|x| !OPERATION_STATUSES.iter().any(|(c, _, _)| c == x))
            {
                return Err(AppError::field(
                    "status",
                    "invalid_choice",
                    format!("Statut inconnu : « {bad} » (a_faire, en_cours, en_pause, termine)."),
                    format!("Unknown status “{bad}”."),
                ));
            }
            list
        }
        _ => vec!["a_faire".into(), "en_cours".into(), "en_pause".into()],
    };
    let open_jobs: Vec<job::Model> = job::Entity::find()
        .filter(job::Column::Status.is_in(["pret", "en_cours", "termine"]))
        .all(conn)
        .await?;
    let jobs: HashMap<i64, job::Model> = open_jobs.into_iter().map(|j| (j.id, j)).collect();
    let mut q = job_operation::Entity::find()
        .filter(job_operation::Column::Status.is_in(statuses))
        .filter(job_operation::Column::JobId.is_in(jobs.keys().copied()));
    if let Some(m) = f.machine_id {
        q = q.filter(job_operation::Column::MachineId.eq(m));
    }
    let mut ops = q.all(conn).await?;
    if f.all != Some(true) {
        let who = f.user_id.unwrap_or(me);
        let worked: BTreeSet<i64> = time_entry::Entity::find()
            .filter(time_entry::Column::UserId.eq(who))
            .filter(time_entry::Column::Kind.eq("operation"))
            .filter(time_entry::Column::OperationId.is_in(ops.iter().map(|o| o.id)))
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|t| t.operation_id)
            .collect();
        ops.retain(|o| o.assigned_user_id == Some(who) || worked.contains(&o.id));
    }
    // Quantities of every operation of these jobs, for the transfer-batch input.
    let job_ids: BTreeSet<i64> = ops.iter().map(|o| o.job_id).collect();
    let all_ops = job_operation::Entity::find()
        .filter(job_operation::Column::JobId.is_in(job_ids.iter().copied()))
        .all(conn)
        .await?;
    let lines: HashMap<i64, order_line::Model> = order_line::Entity::find()
        .filter(
            order_line::Column::Id.is_in(
                job_ids
                    .iter()
                    .filter_map(|j| jobs.get(j).map(|j| j.order_line_id)),
            ),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let orders: HashMap<i64, order::Model> = order::Entity::find()
        .filter(
            order::Column::Id.is_in(
                job_ids
                    .iter()
                    .filter_map(|j| jobs.get(j).map(|j| j.order_id)),
            ),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let clients: HashMap<i64, String> = partner::Entity::find()
        .filter(partner::Column::Id.is_in(orders.values().map(|o| o.client_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let machines: HashMap<i64, machine::Model> = machine::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let open_sessions = time_entry::Entity::find()
        .filter(time_entry::Column::Kind.eq("operation"))
        .filter(time_entry::Column::EndedAt.is_null())
        .filter(time_entry::Column::OperationId.is_in(ops.iter().map(|o| o.id)))
        .all(conn)
        .await?;
    let who = names(
        conn,
        open_sessions
            .iter()
            .map(|s| s.user_id)
            .chain(ops.iter().filter_map(|o| o.assigned_user_id)),
    )
    .await?;
    let today = crate::paris_today();
    let mut out: Vec<(TaskView, (u8, u8, bool, chrono::NaiveDate))> = Vec::new();
    for o in ops {
        let Some(j) = jobs.get(&o.job_id) else {
            continue;
        };
        let ord = orders.get(&j.order_id);
        let line = lines.get(&j.order_line_id);
        let prev = all_ops
            .iter()
            .filter(|p| p.job_id == o.job_id && p.position < o.position)
            .max_by_key(|p| p.position);
        let debit = debit_of(j).map(|d| i64::from(d.quantity)).unwrap_or(0);
        let input = flow::input_available(
            prev.map(|p| i64::from(p.qty_good)),
            i64::from(j.quantity).max(debit),
        );
        let late = j.due_date.is_some_and(|d| d < today) && o.status != "termine";
        let priority = ord
            .map(|o| o.priority.clone())
            .unwrap_or_else(|| "normale".into());
        let key = (
            status_rank(&o.status),
            priority_rank(&priority),
            !late,
            j.due_date.unwrap_or(chrono::NaiveDate::MAX),
        );
        let m = o.machine_id.and_then(|m| machines.get(&m));
        out.push((
            TaskView {
                operation_id: o.id,
                job_id: j.id,
                job_number: j.number.clone(),
                order_number: ord.map(|o| o.number.clone()).unwrap_or_default(),
                client_name: ord
                    .and_then(|o| clients.get(&o.client_id).cloned())
                    .unwrap_or_default(),
                part_reference: line.and_then(|l| l.reference.clone()),
                designation: line.map(|l| l.designation.clone()).unwrap_or_default(),
                position: o.position,
                label: o.label.clone(),
                process: o.process.clone(),
                process_label: label_of(production::PROCESSES, &o.process, english),
                machine_id: o.machine_id,
                machine_label: m.map(|m| format!("{} {}", m.code, m.name)),
                work_centre: o.work_centre.clone(),
                status: o.status.clone(),
                status_label: label_of(OPERATION_STATUSES, &o.status, english),
                priority,
                due_date: j.due_date,
                late,
                quantity: j.quantity,
                input_available: input,
                qty_good: o.qty_good,
                qty_scrap: o.qty_scrap,
                assigned_user_id: o.assigned_user_id,
                assigned_name: o.assigned_user_id.and_then(|u| who.get(&u).cloned()),
                operators: open_sessions
                    .iter()
                    .filter(|s| s.operation_id == Some(o.id))
                    .filter_map(|s| who.get(&s.user_id).cloned())
                    .collect(),
                estimated_min: dec_str(estimated_min(&o, j.quantity)),
                actual_min: o.actual_min.clone(),
            },
            key,
        ));
    }
    out.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then_with(|| a.0.job_number.cmp(&b.0.job_number))
            .then_with(|| a.0.position.cmp(&b.0.position))
    });
    Ok(out.into_iter().map(|(t, _)| t).collect())
}
