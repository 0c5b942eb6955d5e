//! Manual moves from the Gantt: checked by the planner's rules (skill, capacity, precedence,
//! calendar, allowed machine), then written with the operation pinned where the person put it.

use super::input::{self, Overrides};
use super::proposals::bump;
use super::views::{BoardOp, board_op};
use super::{parse_local, utc};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, FieldError, Kind};
use crate::rights::{Action, Module};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use usinage_planner::shop::{self, MoveRequest, Violation};
use usinage_store::Db;
use usinage_store::entities::planned_operation;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MoveInput {
    pub op_id: Option<i64>,
    /// Target machine; absent keeps the current one.
    pub machine_id: Option<i64>,
    /// Target person (employee id); absent keeps the current one.
    pub person_id: Option<i64>,
    /// New start, shop time `2026-12-08T13:00:00`.
    pub start: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ViolationView {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckResult {
    pub ok: bool,
    pub violations: Vec<ViolationView>,
    /// The operation where it would go (end and times recomputed for the target machine).
    pub op: Option<BoardOp>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MoveResult {
    pub revision: i32,
    pub op: BoardOp,
}

fn request(i: &MoveInput) -> Result<MoveRequest, AppError> {
    let mut errors = vec![];
    if i.op_id.is_none() {
        errors.push(FieldError::new(
            "op_id",
            "required",
            "Indiquez l'opération à déplacer.",
            "Give the operation to move.",
        ));
    }
    let start = i.start.as_deref().and_then(parse_local);
    if start.is_none() {
        errors.push(FieldError::new(
            "start",
            "invalid",
            "Début attendu au format 2026-12-08T13:00.",
            "Start expected as 2026-12-08T13:00.",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    Ok(MoveRequest {
        op_id: i.op_id.unwrap_or_default(),
        machine_id: i.machine_id,
        person_id: i.person_id,
        start: start.unwrap_or_default(),
    })
}

fn views(v: &[Violation]) -> Vec<ViolationView> {
    v.iter()
        .map(|v| ViolationView {
            code: v.code.clone(),
            message: v.message.clone(),
        })
        .collect()
}

/// Dry run: would this move be accepted, and where would the operation end?
pub async fn check(db: &Db, ctx: &Ctx, i: MoveInput) -> Result<CheckResult, AppError> {
    ctx.require(Module::Planning, Action::Create)?;
    let req = request(&i)?;
    let l = input::load(
        &db.conn,
        input::origin_now(),
        crate::paris_today(),
        &Overrides::default(),
    )
    .await?;
    let plan = l.current_plan();
    Ok(match shop::check_move(&l.input, &plan, &req) {
        Ok(op) => CheckResult {
            ok: true,
            violations: vec![],
            op: Some(board_op(&l, &op, true)),
        },
        Err(v) => CheckResult {
            ok: false,
            violations: views(&v),
            op: None,
        },
    })
}

/// Applies a manual move; refused with the planner's reasons (422) when a rule is broken.
pub async fn apply(db: &Db, ctx: &Ctx, i: MoveInput) -> Result<MoveResult, AppError> {
    ctx.require(Module::Planning, Action::Create)?;
    let req = request(&i)?;
    let l = input::load(
        &db.conn,
        input::origin_now(),
        crate::paris_today(),
        &Overrides::default(),
    )
    .await?;
    let plan = l.current_plan();
    let op = match shop::check_move(&l.input, &plan, &req) {
        Ok(op) => op,
        Err(v) => {
            let detail = v
                .iter()
                .map(|v| v.message.clone())
                .collect::<Vec<_>>()
                .join(" ");
            let mut e = AppError::new(
                Kind::Validation,
                "planning_move_refused",
                format!("Déplacement refusé : {detail}"),
                format!("Move refused: {detail}"),
            );
            e.errors = v
                .iter()
                .map(|v| FieldError::new("move", &v.code, v.message.clone(), v.message.clone()))
                .collect();
            return Err(e);
        }
    };
    let tx = db.write().await?;
    let existing = planned_operation::Entity::find()
        .filter(planned_operation::Column::OperationId.eq(op.op_id))
        .one(&tx.tx)
        .await?;
    let now = crate::now();
    let before = existing.as_ref().map(|r| {
        serde_json::json!({"machine_id": r.machine_id, "employee_id": r.employee_id,
            "starts_at": r.starts_at, "ends_at": r.ends_at, "pinned": r.pinned})
    });
    let row = match existing {
        Some(r) => {
            let mut a: planned_operation::ActiveModel = r.into();
            a.machine_id = Set(op.machine_id);
            a.employee_id = Set(op.person_id);
            a.starts_at = Set(utc(op.start));
            a.ends_at = Set(utc(op.end));
            a.work_min = Set(op.work_min);
            a.setup_min = Set(op.setup_min);
            a.pinned = Set(true);
            a.updated_by = Set(ctx.actor_login().to_string());
            a.updated_at = Set(now);
            a.update(&tx.tx).await?
        }
        None => {
            planned_operation::ActiveModel {
                operation_id: Set(op.op_id),
                job_id: Set(op.job_id),
                machine_id: Set(op.machine_id),
                employee_id: Set(op.person_id),
                starts_at: Set(utc(op.start)),
                ends_at: Set(utc(op.end)),
                work_min: Set(op.work_min),
                setup_min: Set(op.setup_min),
                pinned: Set(true),
                proposal_id: Set(None),
                updated_by: Set(ctx.actor_login().to_string()),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&tx.tx)
            .await?
        }
    };
    let revision = bump(&tx.tx, ctx).await?;
    audit::record(
        &tx.tx,
        ctx,
        "planned_operation",
        &row.operation_id.to_string(),
        "move",
        before,
        Some(
            serde_json::json!({"machine_id": row.machine_id, "employee_id": row.employee_id,
            "starts_at": row.starts_at, "ends_at": row.ends_at, "pinned": true}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(MoveResult {
        revision,
        op: board_op(&l, &op, true),
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RevisionView {
    pub revision: i32,
}

/// Gives a pinned operation back to the planner (it may move at the next accepted proposal).
pub async fn unpin(db: &Db, ctx: &Ctx, op_id: i64) -> Result<RevisionView, AppError> {
    ctx.require(Module::Planning, Action::Create)?;
    let tx = db.write().await?;
    let r = planned_operation::Entity::find()
        .filter(planned_operation::Column::OperationId.eq(op_id))
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Opération planifiée", "Planned operation"))?;
    if !r.pinned {
        tx.commit().await?;
        return Ok(RevisionView {
            revision: super::views::revision(&db.conn).await?,
        });
    }
    let mut a: planned_operation::ActiveModel = r.clone().into();
    a.pinned = Set(false);
    a.updated_by = Set(ctx.actor_login().to_string());
    a.updated_at = Set(crate::now());
    a.update(&tx.tx).await?;
    let revision = bump(&tx.tx, ctx).await?;
    audit::record(
        &tx.tx,
        ctx,
        "planned_operation",
        &op_id.to_string(),
        "unpin",
        Some(serde_json::json!({"pinned": true})),
        Some(serde_json::json!({"pinned": false})),
    )
    .await?;
    tx.commit().await?;
    Ok(RevisionView { revision })
}
