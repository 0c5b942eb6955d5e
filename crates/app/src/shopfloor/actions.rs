//! Floor actions on an operation: start, pause (reason), resume, report quantities, finish,
//! tool change, instrument check. One function, [`act`], runs them all the same way: rights,
//! idempotency key, device time, the operation locked, the rule from
//! `usinage_engines::shopfloor::flow`, the writes and the audit in one transaction, then the live
//! event.

use super::events::{Bus, FloorEvent};
use super::{
    FloorOperationView, Loaded, PAUSE_REASONS, dec, dec_str, ensure_job_open, ensure_may_act,
    idempotency, is_control, measure, sessions_of, user_id,
};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, FieldError, Kind, Validator};
use crate::resources::opt_text;
use crate::rights::{Action, Module};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QuerySelect, Set,
};
use serde::Deserialize;
use usinage_engines::shopfloor::flow::{self, OpAction, OpStatus};
use usinage_engines::shopfloor::labor;
use usinage_store::Db;
use usinage_store::entities::{
    instrument, job, job_operation, machine, order_line, quote_line, scrap_record, time_entry,
};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TimeOnly {
    /// When the action happened on the device (queued offline actions); default now.
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PauseInput {
    /// reglage, attente_matiere, attente_outil, panne_machine, pause, autre.
    pub reason: Option<String>,
    /// Required for `autre`.
    pub note: Option<String>,
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct QuantityInput {
    /// Good parts declared now (added to the ones already declared).
    pub good: Option<i64>,
    pub scrap: Option<i64>,
    pub rework: Option<i64>,
    /// Reason code (scrap reasons list) for scrap and rework.
    pub scrap_reason: Option<String>,
    pub note: Option<String>,
    /// Débit: force this stock line (bar or offcut).
    pub stock_id: Option<i64>,
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct FinishInput {
    pub good: Option<i64>,
    pub scrap: Option<i64>,
    pub rework: Option<i64>,
    pub scrap_reason: Option<String>,
    /// The operator's own time on the operation (minutes, decimal string) when it differs from
    /// the measured one; a difference over 1 minute goes to the chef d'atelier.
    pub declared_min: Option<String>,
    /// "Changement d'outil" ticked.
    pub tool_change: Option<bool>,
    /// Comment for méthode.
    pub comment: Option<String>,
    pub stock_id: Option<i64>,
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ToolChangeInput {
    pub tool_id: Option<i64>,
    pub note: Option<String>,
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct InstrumentCheckInput {
    /// Scanned instrument id (its QR) …
    pub instrument_id: Option<i64>,
    /// … or its internal code typed by hand.
    pub code: Option<String>,
    pub occurred_at: Option<DateTime<Utc>>,
}

/// One floor action.
#[derive(Debug, Clone)]
pub enum FloorAction {
    Start(TimeOnly),
    Pause(PauseInput),
    Resume(TimeOnly),
    Report(QuantityInput),
    Finish(FinishInput),
    ToolChange(ToolChangeInput),
    InstrumentCheck(InstrumentCheckInput),
}

impl FloorAction {
    pub fn kind(&self) -> &'static str {
        match self {
            FloorAction::Start(_) => "start",
            FloorAction::Pause(_) => "pause",
            FloorAction::Resume(_) => "resume",
            FloorAction::Report(_) => "report",
            FloorAction::Finish(_) => "finish",
            FloorAction::ToolChange(_) => "tool_change",
            FloorAction::InstrumentCheck(_) => "instrument_check",
        }
    }
    fn occurred_at(&self) -> Option<DateTime<Utc>> {
        match self {
            FloorAction::Start(t) | FloorAction::Resume(t) => t.occurred_at,
            FloorAction::Pause(p) => p.occurred_at,
            FloorAction::Report(q) => q.occurred_at,
            FloorAction::Finish(f) => f.occurred_at,
            FloorAction::ToolChange(t) => t.occurred_at,
            FloorAction::InstrumentCheck(i) => i.occurred_at,
        }
    }
    fn payload(&self) -> serde_json::Value {
        match self {
            FloorAction::Start(_) | FloorAction::Resume(_) => serde_json::json!({}),
            FloorAction::Pause(p) => serde_json::json!({"reason": p.reason, "note": p.note}),
            FloorAction::Report(q) => serde_json::json!({
                "good": q.good, "scrap": q.scrap, "rework": q.rework,
                "scrap_reason": q.scrap_reason, "note": q.note, "stock_id": q.stock_id,
            }),
            FloorAction::Finish(f) => serde_json::json!({
                "good": f.good, "scrap": f.scrap, "rework": f.rework,
                "scrap_reason": f.scrap_reason, "declared_min": f.declared_min,
                "tool_change": f.tool_change, "comment": f.comment, "stock_id": f.stock_id,
            }),
            FloorAction::ToolChange(t) => serde_json::json!({"tool_id": t.tool_id, "note": t.note}),
            FloorAction::InstrumentCheck(i) => {
                serde_json::json!({"instrument_id": i.instrument_id, "code": i.code})
            }
        }
    }
}

fn flow_error(e: flow::FlowError) -> AppError {
    let (kind, code, field) = match &e {
        flow::FlowError::NegativeQuantity { field } => (Kind::Validation, "negative", *field),
        flow::FlowError::TooMany { .. } => (Kind::Validation, "too_many", "good"),
        flow::FlowError::ReasonRequired => (Kind::Validation, "required", "reason"),
        flow::FlowError::AlreadyFinished => (Kind::Conflict, "operation_finished", ""),
        flow::FlowError::NotStarted => (Kind::Conflict, "operation_not_started", ""),
        flow::FlowError::AlreadyRunning => (Kind::Conflict, "operation_running", ""),
        flow::FlowError::NotRunning => (Kind::Conflict, "operation_not_running", ""),
        flow::FlowError::NothingToProcess => (Kind::Conflict, "nothing_to_process", ""),
    };
    if kind == Kind::Validation {
        AppError::field(field, code, e.fr(), e.en())
    } else {
        AppError::new(kind, code, e.fr(), e.en())
    }
}

/// Quantities typed by the operator: non-negative and not absurd (checked against the input
/// again under the lock).
fn quantities(v: &mut Validator, good: Option<i64>, scrap: Option<i64>, rework: Option<i64>) {
    for (field, q) in [("good", good), ("scrap", scrap), ("rework", rework)] {
        if let Some(q) = q {
            if q < 0 {
                v.add(
                    field,
                    "negative",
                    "Une quantité ne peut pas être négative.",
                    "A quantity cannot be negative.",
                );
            } else if q > 1_000_000 {
                v.add(
                    field,
                    "absurd",
                    "Quantité invraisemblable (plus d'un million de pièces).",
                    "Implausible quantity (over a million parts).",
                );
            }
        }
    }
}

/// Checks what can be checked before the transaction (French 422, nothing written).
fn check_input(a: &FloorAction) -> Result<(), AppError> {
    let mut v = Validator::default();
    match a {
        FloorAction::Pause(p) => {
            match p.reason.as_deref().map(str::trim) {
                None | Some("") => v.add(
                    "reason",
                    "required",
                    "Indiquez la raison de la pause.",
                    "Give the reason for the pause.",
                ),
                Some(r) if !PAUSE_REASONS.iter().any(|(c, _, _)| *c == r) => v.add(
                    "reason",
                    "invalid_choice",
                    "Raison inconnue : réglage, attente matière, attente outil, panne machine, pause ou autre.",
                    "Unknown reason.",
                ),
                Some("autre") if opt_text(&mut v, "note", p.note.as_deref(), 500).is_none() => v.add(
                    "note",
                    "required",
                    "Précisez la raison de la pause « autre ».",
                    "Describe the “other” reason.",
                ),
                _ => {}
            }
            opt_text(&mut v, "note", p.note.as_deref(), 500);
        }
        FloorAction::Report(q) => {
            quantities(&mut v, q.good, q.scrap, q.rework);
            if q.good.unwrap_or(0) + q.scrap.unwrap_or(0) + q.rework.unwrap_or(0) == 0 {
                v.add(
                    "good",
                    "required",
                    "Indiquez au moins une pièce (bonne, rebutée ou retouchée).",
                    "Give at least one part (good, scrapped or reworked).",
                );
            }
            opt_text(&mut v, "note", q.note.as_deref(), 2000);
        }
        FloorAction::Finish(f) => {
            quantities(&mut v, f.good, f.scrap, f.rework);
            if let Some(d) = f
                .declared_min
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
            {
                match crate::units::parse_decimal(d) {
                    Some(m) if m >= Decimal::ZERO && m <= Decimal::from(24 * 60) => {}
                    _ => v.add(
                        "declared_min",
                        "invalid",
                        "Temps déclaré invalide : des minutes entre 0 et 1 440 (24 h).",
                        "Invalid declared time: minutes between 0 and 1,440 (24 h).",
                    ),
                }
            }
            opt_text(&mut v, "comment", f.comment.as_deref(), 2000);
        }
        FloorAction::ToolChange(t) => {
            opt_text(&mut v, "note", t.note.as_deref(), 500);
        }
        FloorAction::InstrumentCheck(i) => {
            if i.instrument_id.is_none()
                && opt_text(&mut v, "code", i.code.as_deref(), 100).is_none()
            {
                v.add(
                    "instrument_id",
                    "required",
                    "Scannez l'instrument utilisé ou tapez son code.",
                    "Scan the instrument used or type its code.",
                );
            }
        }
        FloorAction::Start(_) | FloorAction::Resume(_) => {}
    }
    v.finish()
}

/// Runs one action; returns the operation as it is afterwards. A replayed key returns the
/// operation as it is now with `replayed: true`, having changed nothing.
#[allow(clippy::too_many_arguments)]
pub async fn act(
    db: &Db,
    ctx: &Ctx,
    bus: &Bus,
    op_id: i64,
    action: FloorAction,
    key: Option<&str>,
    english: bool,
) -> Result<FloorOperationView, AppError> {
    ctx.require(Module::TimeTracking, Action::Create)?;
    let key = idempotency::check_key(key)?;
    let at = idempotency::occurred_at(action.occurred_at())?;
    check_input(&action)?;
    let me = user_id(ctx)?;
    let tx = db.write().await?;
    if let Some(k) = &key
        && idempotency::seen(&tx.tx, me, k).await?
    {
        drop(tx);
        return replay(db, ctx, op_id, english).await;
    }
    // The operation row is locked: two operators acting at once are serialised.
    let op = job_operation::Entity::find_by_id(op_id)
        .lock_exclusive()
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Opération", "Operation"))?;
    let l = super::load(&tx.tx, op.id).await?;
    ensure_may_act(&tx.tx, ctx, &l.op).await?;
    ensure_job_open(&l.job)?;
    match idempotency::remember(
        &tx.tx,
        ctx,
        key.as_deref(),
        action.kind(),
        Some(op_id),
        at,
        action.payload(),
    )
    .await
    {
        Err(e) if idempotency::is_duplicate(&e) => {
            drop(tx);
            return replay(db, ctx, op_id, english).await;
        }
        r => r?,
    };
    let status = apply(&tx.tx, ctx, &l, &action, at).await?;
    tx.commit().await?;
    bus.publish(FloorEvent {
        kind: action.kind().into(),
        operation_id: Some(op_id),
        job_id: Some(l.job.id),
        machine_id: l.op.machine_id,
        user_id: Some(me),
        status: Some(status),
        at,
    });
    let l = super::load(&db.conn, op_id).await?;
    super::view(db, ctx, &l, english).await
}

pub(crate) async fn replay(
    db: &Db,
    ctx: &Ctx,
    op_id: i64,
    english: bool,
) -> Result<FloorOperationView, AppError> {
    let l = super::load(&db.conn, op_id).await?;
    let mut v = super::view(db, ctx, &l, english).await?;
    v.replayed = true;
    Ok(v)
}

/// Scanning an operation also clocks the person in when he is not.
async fn ensure_clocked_in(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    user: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let open = time_entry::Entity::find()
        .filter(time_entry::Column::UserId.eq(user))
        .filter(time_entry::Column::Kind.eq("presence"))
        .filter(time_entry::Column::EndedAt.is_null())
        .filter(time_entry::Column::Status.is_in(["valide", "approuvee"]))
        .one(tx)
        .await?;
    if open.is_some() {
        return Ok(());
    }
    let now = crate::now();
    let e = time_entry::ActiveModel {
        user_id: Set(user),
        employee_id: Set(super::employee_of(tx, user).await?),
        kind: Set("presence".into()),
        started_at: Set(at),
        source: Set("scan".into()),
        status: Set("valide".into()),
        reason: Set(Some(
            "Pointage automatique au démarrage d'une opération".into(),
        )),
        requested_by: Set(ctx.actor_login().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(
        tx,
        ctx,
        "time_entry",
        &e.id.to_string(),
        "clock_in",
        None,
        Some(serde_json::json!({"user_id": user, "at": at, "auto": true})),
    )
    .await?;
    Ok(())
}

/// Closes a work session at `at` and stores its labour share (the operator's other sessions in
/// the same period share his time).
async fn close_session(
    tx: &DatabaseTransaction,
    s: &time_entry::Model,
    at: DateTime<Utc>,
    reason: &str,
    note: Option<String>,
) -> Result<(), AppError> {
    if at < s.started_at {
        return Err(AppError::new(
            Kind::Conflict,
            "action_before_start",
            format!(
                "Cette action ({}) est antérieure au démarrage de la séance ({}) : elle n'est pas enregistrée.",
                at.format("%d/%m %H:%M"),
                s.started_at.format("%d/%m %H:%M")
            ),
            "This action is earlier than the start of the session: not recorded.",
        ));
    }
    let mine = time_entry::Entity::find()
        .filter(time_entry::Column::UserId.eq(s.user_id))
        .filter(time_entry::Column::Kind.eq("operation"))
        .filter(time_entry::Column::Status.is_in(["valide", "approuvee"]))
        .filter(time_entry::Column::StartedAt.lt(at))
        .all(tx)
        .await?;
    let segments: Vec<labor::Segment> = mine
        .iter()
        .filter(|o| o.id == s.id || o.ended_at.is_none_or(|e| e > s.started_at))
        .map(|o| {
            let end = if o.id == s.id {
                at
            } else {
                o.ended_at.unwrap_or(at).min(at)
            };
            labor::Segment {
                operator: o.user_id,
                // One "operation" per session: the share of this very session comes out.
                operation: o.id,
                start: o.started_at.timestamp(),
                end: end.timestamp().max(o.started_at.timestamp()),
            }
        })
        .collect();
    let share = labor::split(&segments)
        .into_iter()
        .filter(|x| x.operation == s.id)
        .map(|x| x.minutes)
        .sum::<Decimal>();
    let version = s.version;
    let mut am: time_entry::ActiveModel = s.clone().into();
    am.ended_at = Set(Some(at));
    am.end_reason = Set(Some(reason.to_string()));
    am.end_note = Set(note);
    am.minutes = Set(Some(dec_str(share)));
    am.updated_at = Set(crate::now());
    am.version = Set(version + 1);
    am.update(tx).await?;
    Ok(())
}

async fn open_session(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    l: &Loaded,
    user: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let last_end = sessions_of(tx, l.op.id)
        .await?
        .iter()
        .filter(|s| s.user_id == user)
        .filter_map(|s| s.ended_at)
        .max();
    if let Some(e) = last_end
        && at < e
    {
        return Err(AppError::new(
            Kind::Conflict,
            "action_out_of_order",
            format!(
                "Cette reprise ({}) est antérieure à votre dernière pause ({}) : elle n'est pas enregistrée.",
                at.format("%d/%m %H:%M"),
                e.format("%d/%m %H:%M")
            ),
            "This resume is earlier than your last pause: not recorded.",
        ));
    }
    ensure_clocked_in(tx, ctx, user, at).await?;
    let now = crate::now();
    time_entry::ActiveModel {
        user_id: Set(user),
        employee_id: Set(super::employee_of(tx, user).await?),
        kind: Set("operation".into()),
        operation_id: Set(Some(l.op.id)),
        job_id: Set(Some(l.job.id)),
        machine_id: Set(l.op.machine_id),
        started_at: Set(at),
        source: Set("scan".into()),
        status: Set("valide".into()),
        requested_by: Set(ctx.actor_login().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}

fn op_audit(o: &job_operation::Model) -> serde_json::Value {
    serde_json::json!({
        "status": o.status, "qty_good": o.qty_good, "qty_scrap": o.qty_scrap,
        "qty_rework": o.qty_rework, "assigned_user_id": o.assigned_user_id,
        "actual_min": o.actual_min, "time_status": o.time_status,
        "tool_changes": o.tool_changes, "scrap_cost_cents": o.scrap_cost_cents,
    })
}

/// Material cost of one part (cents) from the quote line's estimate for the nearest quantity.
async fn material_per_part_cents<C: ConnectionTrait>(
    db: &C,
    j: &job::Model,
) -> Result<i64, AppError> {
    let Some(line) = order_line::Entity::find_by_id(j.order_line_id)
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let Some(ql) = line.quote_line_id else {
        return Ok(0);
    };
    let est = quote_line::Entity::find_by_id(ql)
        .one(db)
        .await?
        .and_then(|q| q.estimate_json)
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok());
    Ok(est
        .as_ref()
        .map(|e| material_per_part(e, i64::from(j.quantity)))
        .unwrap_or(0))
}

/// Searches an estimate for its quantity breaks (`quantity` + `material_cost`) and returns the
/// material cost per part of the break nearest to `qty`, in cents.
pub(crate) fn material_per_part(v: &serde_json::Value, qty: i64) -> i64 {
    fn walk(v: &serde_json::Value, out: &mut Vec<(i64, Decimal)>) {
        match v {
            serde_json::Value::Object(m) => {
                if let (Some(q), Some(c)) = (
                    m.get("quantity").and_then(serde_json::Value::as_i64),
                    m.get("material_cost"),
                ) {
                    let cost = match c {
                        serde_json::Value::String(s) => crate::units::parse_decimal(s),
                        serde_json::Value::Number(n) => crate::units::parse_decimal(&n.to_string()),
                        _ => None,
                    };
                    if let Some(cost) = cost
                        && q > 0
                    {
                        out.push((q, cost));
                    }
                }
                m.values().for_each(|x| walk(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut breaks = Vec::new();
    walk(v, &mut breaks);
    breaks
        .iter()
        .min_by_key(|(q, _)| (q - qty).abs())
        .map(|(q, c)| {
            (*c * Decimal::from(100) / Decimal::from(*q))
                .round()
                .try_into()
                .unwrap_or(0)
        })
        .unwrap_or(0)
}

/// Scrap cost of `scrapped` parts at this operation: material + machine time of the operations
/// up to this one.
async fn scrap_cost<C: ConnectionTrait>(
    db: &C,
    l: &Loaded,
    scrapped: i64,
) -> Result<i64, AppError> {
    if scrapped <= 0 {
        return Ok(0);
    }
    let material = material_per_part_cents(db, &l.job).await?;
    let upto: Vec<&job_operation::Model> = l
        .ops
        .iter()
        .filter(|o| o.position <= l.op.position)
        .collect();
    let machine_ids: Vec<i64> = upto.iter().filter_map(|o| o.machine_id).collect();
    let machines = machine::Entity::find()
        .filter(machine::Column::Id.is_in(machine_ids))
        .all(db)
        .await?;
    let steps: Vec<flow::CostStep> = upto
        .iter()
        .map(|o| {
            let m = o
                .machine_id
                .and_then(|id| machines.iter().find(|m| m.id == id));
            flow::CostStep {
                run_min: dec(&Some(o.run_min.clone())),
                setup_min: dec(&Some(o.setup_min.clone())),
                rate_cents_per_hour: m
                    .map(|m| m.machine_rate_cents.unwrap_or(0) + m.operator_rate_cents.unwrap_or(0))
                    .unwrap_or(0),
            }
        })
        .collect();
    Ok(flow::scrap_cost_cents(
        material,
        &steps,
        i64::from(l.job.quantity).max(1),
        scrapped,
    ))
}

/// Validates a reason code against the list qualité manages.
async fn scrap_reason<C: ConnectionTrait>(
    db: &C,
    code: &Option<String>,
    needed: bool,
) -> Result<Option<String>, AppError> {
    let code = code.as_deref().map(str::trim).filter(|c| !c.is_empty());
    match code {
        None if needed => Err(AppError::field(
            "scrap_reason",
            "required",
            "Indiquez la raison du rebut ou de la retouche.",
            "Give the reason for the scrap or rework.",
        )),
        None => Ok(None),
        Some(c) => {
            if super::reasons::active(db)
                .await?
                .iter()
                .any(|r| r.code == c)
            {
                Ok(Some(c.to_string()))
            } else {
                Err(AppError::field(
                    "scrap_reason",
                    "invalid_choice",
                    format!("Raison de rebut inconnue ou désactivée : « {c} »."),
                    format!("Unknown or disabled scrap reason “{c}”."),
                ))
            }
        }
    }
}

/// Adds declared quantities (with the sawing of a débit and the scrap records); returns the
/// operation's new good/scrap/rework and the added scrap cost.
#[allow(clippy::too_many_arguments)]
async fn declare(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    l: &Loaded,
    good: i64,
    scrap: i64,
    rework: i64,
    reason: &Option<String>,
    note: Option<String>,
    stock_id: Option<i64>,
    at: DateTime<Utc>,
) -> Result<(i32, i32, i32, i64), AppError> {
    flow::check_quantities(
        l.input(),
        i64::from(l.op.qty_good),
        i64::from(l.op.qty_scrap),
        good,
        scrap,
        rework,
    )
    .map_err(flow_error)?;
    let reason = scrap_reason(tx, reason, scrap + rework > 0).await?;
    if super::consumes_bar(l) {
        let pieces = u32::try_from(good + scrap).unwrap_or(u32::MAX);
        super::sawing::consume(tx, ctx, l, pieces, stock_id, at).await?;
    }
    let cost = scrap_cost(tx, l, scrap).await?;
    for (kind, qty, c) in [("rebut", scrap, cost), ("retouche", rework, 0)] {
        if qty > 0 {
            scrap_record::ActiveModel {
                operation_id: Set(l.op.id),
                job_id: Set(l.job.id),
                kind: Set(kind.into()),
                quantity: Set(i32::try_from(qty).unwrap_or(i32::MAX)),
                reason_code: Set(reason.clone()),
                note: Set(note.clone()),
                cost_cents: Set(c),
                user_id: Set(ctx.actor_id()),
                user_login: Set(ctx.actor_login().to_string()),
                at: Set(at),
                ..Default::default()
            }
            .insert(tx)
            .await?;
        }
    }
    let to_i32 = |x: i64| i32::try_from(x).unwrap_or(i32::MAX);
    Ok((
        l.op.qty_good + to_i32(good),
        l.op.qty_scrap + to_i32(scrap),
        l.op.qty_rework + to_i32(rework),
        cost,
    ))
}

/// The first operation started puts the job in progress (and its order in production); the
/// last one finished ends the job.
async fn job_follows(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    l: &Loaded,
    new_status: &str,
) -> Result<(), AppError> {
    let to = if l.job.status == "pret" && new_status != "a_faire" {
        "en_cours"
    } else if new_status == "termine"
        && l.ops
            .iter()
            .all(|o| o.id == l.op.id || o.status == "termine")
    {
        "termine"
    } else {
        return Ok(());
    };
    if l.job.status == to {
        return Ok(());
    }
    let j = job::Entity::find_by_id(l.job.id)
        .one(tx)
        .await?
        .ok_or_else(|| AppError::not_found("OF", "Job"))?;
    let mut am: job::ActiveModel = j.clone().into();
    am.status = Set(to.into());
    am.updated_at = Set(crate::now());
    am.version = Set(j.version + 1);
    am.update(tx).await?;
    audit::record(
        tx,
        ctx,
        "job",
        &j.id.to_string(),
        "status",
        Some(serde_json::json!({"status": j.status})),
        Some(serde_json::json!({"status": to, "by_operation": l.op.id})),
    )
    .await?;
    if to == "en_cours" {
        crate::production::order_in_production(tx, ctx, &j).await?;
    }
    Ok(())
}

/// Applies the action under the lock; returns the operation's new status.
async fn apply(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    l: &Loaded,
    action: &FloorAction,
    at: DateTime<Utc>,
) -> Result<String, AppError> {
    let me = user_id(ctx)?;
    let sessions = sessions_of(tx, l.op.id).await?;
    let mine = sessions
        .iter()
        .find(|s| s.user_id == me && s.ended_at.is_none());
    let others_open = sessions
        .iter()
        .any(|s| s.user_id != me && s.ended_at.is_none());
    let status = OpStatus::parse(&l.op.status).unwrap_or(OpStatus::AFaire);
    let before = op_audit(&l.op);
    let mut am: job_operation::ActiveModel = l.op.clone().into();
    let mut new_status = status;
    match action {
        FloorAction::Start(_) | FloorAction::Resume(_) => {
            let a = if matches!(action, FloorAction::Start(_)) {
                OpAction::Start
            } else {
                OpAction::Resume
            };
            new_status =
                flow::transition(status, a, mine.is_some(), others_open).map_err(flow_error)?;
            if status == OpStatus::AFaire {
                flow::can_start(
                    l.input(),
                    i64::from(l.op.qty_good),
                    i64::from(l.op.qty_scrap),
                )
                .map_err(flow_error)?;
            }
            open_session(tx, ctx, l, me, at).await?;
            if l.op.started_at.is_none() {
                am.started_at = Set(Some(at));
            }
            if l.op.assigned_user_id.is_none() {
                am.assigned_user_id = Set(Some(me));
            }
        }
        FloorAction::Pause(p) => {
            new_status = flow::transition(status, OpAction::Pause, mine.is_some(), others_open)
                .map_err(flow_error)?;
            let s = mine.ok_or_else(|| flow_error(flow::FlowError::NotRunning))?;
            let reason = p.reason.as_deref().map(str::trim).unwrap_or("autre");
            close_session(
                tx,
                s,
                at,
                reason,
                p.note.as_deref().map(str::trim).map(str::to_string),
            )
            .await?;
        }
        FloorAction::Report(q) => {
            new_status = flow::transition(status, OpAction::Report, mine.is_some(), others_open)
                .map_err(flow_error)?;
            let (g, s, r, cost) = declare(
                tx,
                ctx,
                l,
                q.good.unwrap_or(0),
                q.scrap.unwrap_or(0),
                q.rework.unwrap_or(0),
                &q.scrap_reason,
                q.note.clone(),
                q.stock_id,
                at,
            )
            .await?;
            am.qty_good = Set(g);
            am.qty_scrap = Set(s);
            am.qty_rework = Set(r);
            am.scrap_cost_cents = Set(l.op.scrap_cost_cents + cost);
        }
        FloorAction::Finish(f) => {
            new_status = flow::transition(status, OpAction::Finish, mine.is_some(), others_open)
                .map_err(flow_error)?;
            let (good, scrap, rework) = (
                f.good.unwrap_or(0),
                f.scrap.unwrap_or(0),
                f.rework.unwrap_or(0),
            );
            let (g, s, r, cost) = if good + scrap + rework > 0 {
                declare(
                    tx,
                    ctx,
                    l,
                    good,
                    scrap,
                    rework,
                    &f.scrap_reason,
                    f.comment.clone(),
                    f.stock_id,
                    at,
                )
                .await?
            } else {
                (l.op.qty_good, l.op.qty_scrap, l.op.qty_rework, 0)
            };
            if g + s == 0 {
                return Err(AppError::field(
                    "good",
                    "required",
                    "Indiquez les quantités réalisées (pièces bonnes et rebutées) pour terminer l'opération.",
                    "Give the quantities made (good and scrapped parts) to finish the operation.",
                ));
            }
            // Every open session on the operation ends with it.
            for s in sessions.iter().filter(|s| s.ended_at.is_none()) {
                close_session(tx, s, at.max(s.started_at), "fin", None).await?;
            }
            let closed = sessions_of(tx, l.op.id).await?;
            let (labour, machine_min, per_user) = measure(tx, l.op.id, &closed, at).await?;
            let my_measured = per_user.get(&me).copied().unwrap_or_default();
            let declared = f
                .declared_min
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .and_then(crate::units::parse_decimal);
            let differs = declared.is_some_and(|d| (d - my_measured).abs() > Decimal::ONE);
            if let Some(d) = declared {
                let now = crate::now();
                time_entry::ActiveModel {
                    user_id: Set(me),
                    employee_id: Set(super::employee_of(tx, me).await?),
                    kind: Set("declaration".into()),
                    operation_id: Set(Some(l.op.id)),
                    job_id: Set(Some(l.job.id)),
                    machine_id: Set(l.op.machine_id),
                    started_at: Set(l.op.started_at.unwrap_or(at)),
                    ended_at: Set(Some(at)),
                    minutes: Set(Some(dec_str(d))),
                    measured_min: Set(Some(dec_str(my_measured))),
                    source: Set("correction".into()),
                    status: Set(if differs { "en_attente" } else { "valide" }.into()),
                    reason: Set(Some(format!(
                        "Temps déclaré à la fin de l'opération {} de l'OF {}",
                        l.op.position, l.job.number
                    ))),
                    requested_by: Set(ctx.actor_login().to_string()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    version: Set(1),
                    ..Default::default()
                }
                .insert(tx)
                .await?;
            }
            am.qty_good = Set(g);
            am.qty_scrap = Set(s);
            am.qty_rework = Set(r);
            am.scrap_cost_cents = Set(l.op.scrap_cost_cents + cost);
            am.actual_min = Set(Some(dec_str(labour)));
            am.machine_min = Set(Some(dec_str(machine_min)));
            am.time_status = Set(Some(if differs { "en_attente" } else { "mesure" }.into()));
            am.finished_at = Set(Some(at));
            if f.tool_change == Some(true) {
                am.tool_changes = Set(l.op.tool_changes + 1);
            }
            if let Some(c) = f
                .comment
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                super::reasons::add_comment_in(tx, ctx, l, "commentaire", c).await?;
            }
        }
        FloorAction::ToolChange(_) => {
            if status == OpStatus::Termine {
                return Err(flow_error(flow::FlowError::AlreadyFinished));
            }
            am.tool_changes = Set(l.op.tool_changes + 1);
        }
        FloorAction::InstrumentCheck(i) => {
            if !is_control(&l.op) && l.op.instruments_json.trim() == "[]" {
                return Err(AppError::new(
                    Kind::Conflict,
                    "no_control_here",
                    "Cette opération ne prévoit aucun contrôle avec un instrument.",
                    "This operation has no check with an instrument.",
                ));
            }
            let inst = match (i.instrument_id, i.code.as_deref().map(str::trim)) {
                (Some(id), _) => instrument::Entity::find_by_id(id).one(tx).await?,
                (None, Some(code)) => {
                    instrument::Entity::find()
                        .filter(instrument::Column::Code.eq(code))
                        .one(tx)
                        .await?
                }
                _ => None,
            }
            .ok_or_else(|| {
                let mut e = AppError::not_found("Instrument", "Instrument");
                e.errors = vec![FieldError::new(
                    "instrument_id",
                    "not_found",
                    "Instrument introuvable : scannez son QR ou tapez son code.",
                    "Instrument not found: scan its QR or type its code.",
                )];
                e
            })?;
            crate::resources::instruments::record_use_in(
                tx,
                ctx,
                crate::paris_today(),
                &inst,
                format!("{} / OP{}", l.job.number, l.op.position),
                Some(l.op.id),
            )
            .await?;
        }
    }
    am.status = Set(new_status.code().to_string());
    am.updated_at = Set(crate::now());
    am.version = Set(l.op.version + 1);
    let after = am.update(tx).await?;
    audit::record(
        tx,
        ctx,
        "job_operation",
        &l.op.id.to_string(),
        action.kind(),
        Some(before),
        Some(op_audit(&after)),
    )
    .await?;
    job_follows(tx, ctx, l, new_status.code()).await?;
    Ok(new_status.code().to_string())
}

/// Clock-out (or any end of shift): every work session the person has open is closed with
/// `reason`, and each operation left without anyone on it goes to "en pause". Returns the
/// operations touched.
pub async fn pause_all_for_user(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    user_id: i64,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<Vec<i64>, AppError> {
    let open = time_entry::Entity::find()
        .filter(time_entry::Column::UserId.eq(user_id))
        .filter(time_entry::Column::Kind.eq("operation"))
        .filter(time_entry::Column::EndedAt.is_null())
        .all(tx)
        .await?;
    let mut touched = Vec::new();
    for s in open {
        close_session(tx, &s, at.max(s.started_at), reason, None).await?;
        let Some(op_id) = s.operation_id else {
            continue;
        };
        touched.push(op_id);
        let still = time_entry::Entity::find()
            .filter(time_entry::Column::OperationId.eq(op_id))
            .filter(time_entry::Column::Kind.eq("operation"))
            .filter(time_entry::Column::EndedAt.is_null())
            .one(tx)
            .await?;
        if still.is_none()
            && let Some(op) = job_operation::Entity::find_by_id(op_id).one(tx).await?
            && op.status == "en_cours"
        {
            let before = op_audit(&op);
            let mut am: job_operation::ActiveModel = op.clone().into();
            am.status = Set("en_pause".into());
            am.updated_at = Set(crate::now());
            am.version = Set(op.version + 1);
            let after = am.update(tx).await?;
            audit::record(
                tx,
                ctx,
                "job_operation",
                &op_id.to_string(),
                "pause",
                Some(before),
                Some(op_audit(&after)),
            )
            .await?;
        }
    }
    Ok(touched)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CommentInput {
    /// `commentaire` or `amelioration` (improvement suggestion).
    pub kind: Option<String>,
    pub text: Option<String>,
}

/// A comment or suggestion on an operation, for méthode.
pub async fn comment(
    db: &Db,
    ctx: &Ctx,
    op_id: i64,
    i: CommentInput,
    english: bool,
) -> Result<super::reasons::CommentView, AppError> {
    ctx.require(Module::TimeTracking, Action::Create)?;
    let mut v = Validator::default();
    let kind = i
        .kind
        .as_deref()
        .map(str::trim)
        .unwrap_or("commentaire")
        .to_string();
    if !super::reasons::COMMENT_KINDS
        .iter()
        .any(|(c, _, _)| *c == kind)
    {
        v.add(
            "kind",
            "invalid_choice",
            "Type inconnu : commentaire ou amelioration.",
            "Unknown kind: commentaire or amelioration.",
        );
    }
    let text = opt_text(&mut v, "text", i.text.as_deref(), 2000);
    if text.is_none() && v.errors.iter().all(|e| e.field != "text") {
        v.add(
            "text",
            "required",
            "Écrivez votre commentaire.",
            "Write your comment.",
        );
    }
    v.finish()?;
    let tx = db.write().await?;
    let l = super::load(&tx.tx, op_id).await?;
    let c =
        super::reasons::add_comment_in(&tx.tx, ctx, &l, &kind, &text.unwrap_or_default()).await?;
    tx.commit().await?;
    let mut out = super::reasons::comment_views(&db.conn, vec![c], english).await?;
    out.pop()
        .ok_or_else(|| AppError::internal("commentaire enregistré"))
}
