//! Broken tool on an operation: replacements in stock (same type and diameter, the same
//! reference first, with their location and the cutting conditions recomputed for the
//! operation's machine); choosing one takes it out of stock for the job, puts it on the
//! operation and updates the method sheet (new version). None in stock: an urgent purchase
//! request waits for direction's validation. Every breakage is recorded for planning.

use super::events::{Bus, FloorEvent};
use super::{Loaded, dec, ensure_may_act, idempotency, user_id};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind};
use crate::production::OpTool;
use crate::production::method_sheets::{self, SheetContent, SheetTool};
use crate::rights::{Action, Module};
use crate::stock::ledger::{self, Line};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use usinage_engines::cutting;
use usinage_store::Db;
use usinage_store::entities::{
    job_operation, method_sheet, storage_location, tool, tool_breakage, tool_movement,
    tool_purchase_request, tool_stock,
};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ToolRef {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub tool_type: String,
    pub diameter_mm: Option<String>,
    /// Position on the operation (T01…), when the tool is on it.
    pub position: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConditionsSummary {
    pub vc_m_min: Option<f64>,
    pub n_rpm: Option<f64>,
    pub feed: Option<f64>,
    pub vf_mm_min: Option<f64>,
    pub ap_mm: Option<f64>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Replacement {
    pub tool_id: i64,
    pub code: String,
    pub name: String,
    pub location: Option<String>,
    pub available: i64,
    pub same_reference: bool,
    pub conditions: Option<ConditionsSummary>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BrokenToolProposal {
    pub tool: ToolRef,
    pub replacements: Vec<Replacement>,
    /// Nothing in stock: declaring the breakage creates an urgent purchase request.
    pub purchase_request_needed: bool,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BrokenToolQuery {
    pub tool_id: i64,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct BrokenToolInput {
    pub tool_id: Option<i64>,
    pub replacement_tool_id: Option<i64>,
    pub note: Option<String>,
    pub occurred_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BrokenToolResult {
    pub breakage_id: Option<i64>,
    pub replacement_tool_id: Option<i64>,
    pub purchase_request_id: Option<i64>,
    pub message: String,
    pub operation: super::FloorOperationView,
}

/// ISO insert geometry ("CNMG 120408" in "Plaquette CNMG 120408-PM"): an insert fits the same
/// holder only with the same shape and size; the chip breaker and grade may differ.
pub fn geometry(t: &tool::Model) -> Option<String> {
    let text = t.iso_designation.clone().unwrap_or_else(|| t.name.clone());
    let words: Vec<&str> = text.split_whitespace().collect();
    let i = words
        .iter()
        .position(|w| w.len() == 4 && w.chars().all(|c| c.is_ascii_uppercase()))?;
    let size: String = words
        .get(i + 1)
        .map(|w| {
            w.chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect()
        })
        .unwrap_or_default();
    Some(format!("{} {size}", words[i]).trim().to_string())
}

fn op_tools(op: &job_operation::Model) -> Vec<OpTool> {
    serde_json::from_str(&op.tools_json).unwrap_or_default()
}

async fn sheet_of<C: ConnectionTrait>(
    db: &C,
    op_id: i64,
) -> Result<Option<(method_sheet::Model, SheetContent)>, AppError> {
    Ok(method_sheet::Entity::find()
        .filter(method_sheet::Column::OperationId.eq(op_id))
        .one(db)
        .await?
        .map(|s| {
            let c: SheetContent = serde_json::from_str(&s.content).unwrap_or_default();
            (s, c)
        }))
}

/// The sheet line of the broken tool, rewritten for `t`.
fn swapped(line: &SheetTool, t: &tool::Model) -> SheetTool {
    let mut n = line.clone();
    n.tool_id = Some(t.id);
    n.label = format!("{} {}", t.code, t.name);
    if let Some(d) = t
        .diameter_mm
        .as_deref()
        .and_then(crate::units::parse_decimal)
        .and_then(|d| d.to_string().parse::<f64>().ok())
    {
        n.diameter = Some(d);
    }
    if let Some(z) = t.flutes.and_then(|z| u32::try_from(z).ok()) {
        n.teeth = Some(z);
    }
    n.conditions = None;
    n
}

fn summary(c: &cutting::CuttingConditions) -> ConditionsSummary {
    ConditionsSummary {
        vc_m_min: c.vc_m_min,
        n_rpm: c.n_rpm,
        feed: c.feed,
        vf_mm_min: c.vf_mm_min,
        ap_mm: c.ap_mm,
        warnings: c.warnings.iter().map(|w| w.message_fr.clone()).collect(),
    }
}

async fn broken<C: ConnectionTrait>(
    db: &C,
    l: &Loaded,
    tool_id: i64,
) -> Result<(tool::Model, Option<String>), AppError> {
    let t = tool::Entity::find_by_id(tool_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "tool_id",
                "not_found",
                "Outil introuvable.",
                "Tool not found.",
            )
        })?;
    let position = op_tools(&l.op)
        .into_iter()
        .find(|o| o.tool_id == Some(tool_id))
        .map(|o| o.position);
    Ok((t, position))
}

async fn replacements<C: ConnectionTrait>(
    db: &C,
    l: &Loaded,
    t: &tool::Model,
) -> Result<Vec<Replacement>, AppError> {
    let dia = t
        .diameter_mm
        .as_deref()
        .and_then(crate::units::parse_decimal);
    let same_kind: Vec<tool::Model> = tool::Entity::find()
        .filter(tool::Column::ToolType.eq(t.tool_type.clone()))
        .filter(tool::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|c| {
            c.diameter_mm
                .as_deref()
                .and_then(crate::units::parse_decimal)
                == dia
        })
        .filter(|c| geometry(t).is_none() || geometry(c) == geometry(t))
        .collect();
    let stock = tool_stock::Entity::find()
        .filter(tool_stock::Column::ToolId.is_in(same_kind.iter().map(|c| c.id)))
        .order_by_asc(tool_stock::Column::Id)
        .all(db)
        .await?;
    let locations: HashMap<i64, String> = storage_location::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.code))
        .collect();
    let sheet = sheet_of(db, l.op.id).await?;
    let line = sheet
        .as_ref()
        .and_then(|(_, c)| c.tools.iter().find(|x| x.tool_id == Some(t.id)).cloned());
    let cx = match &line {
        Some(_) => Some(method_sheets::cutting_context(db, &l.job, &l.op).await?),
        None => None,
    };
    let mut out: Vec<Replacement> = same_kind
        .iter()
        .filter_map(|c| {
            let lines: Vec<&tool_stock::Model> =
                stock.iter().filter(|s| s.tool_id == c.id).collect();
            let available: i64 = lines.iter().map(|s| s.quantity - s.reserved).sum();
            if available <= 0 {
                return None;
            }
            let best = lines.iter().max_by_key(|s| s.quantity - s.reserved)?;
            let conditions = match (&line, &cx) {
                (Some(line), Some(cx)) => method_sheets::request_for(&swapped(line, c), cx)
                    .map(|r| summary(&cutting::compute(&r))),
                _ => None,
            };
            Some(Replacement {
                tool_id: c.id,
                code: c.code.clone(),
                name: c.name.clone(),
                location: locations.get(&best.location_id).cloned(),
                available,
                same_reference: c.id == t.id,
                conditions,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.same_reference
            .cmp(&a.same_reference)
            .then(b.available.cmp(&a.available))
            .then(a.code.cmp(&b.code))
    });
    Ok(out)
}

pub async fn proposal(
    db: &Db,
    ctx: &Ctx,
    op_id: i64,
    tool_id: i64,
) -> Result<BrokenToolProposal, AppError> {
    ctx.require(Module::TimeTracking, Action::Read)?;
    let l = super::load(&db.conn, op_id).await?;
    let (t, position) = broken(&db.conn, &l, tool_id).await?;
    let replacements = replacements(&db.conn, &l, &t).await?;
    Ok(BrokenToolProposal {
        purchase_request_needed: replacements.is_empty(),
        tool: ToolRef {
            id: t.id,
            code: t.code,
            name: t.name,
            tool_type: t.tool_type,
            diameter_mm: t.diameter_mm,
            position,
        },
        replacements,
    })
}

/// Takes one replacement out of the fullest stock line of `t` for the job.
async fn take_one(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    l: &Loaded,
    t: &tool::Model,
    broken: &tool::Model,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<tool_movement::Model, AppError> {
    let line = tool_stock::Entity::find()
        .filter(tool_stock::Column::ToolId.eq(t.id))
        .all(tx)
        .await?
        .into_iter()
        .filter(|s| s.quantity - s.reserved > 0)
        .max_by_key(|s| (s.quantity - s.reserved, -s.id))
        .ok_or_else(|| {
            AppError::new(
                Kind::Conflict,
                "insufficient_stock",
                format!("L'outil {} n'est plus en stock.", t.code),
                format!("Tool {} is no longer in stock.", t.code),
            )
        })?;
    let (before, after) =
        ledger::change(tx, Line::Tool, line.id, -1, Some(l.job.number.as_str())).await?;
    let m = tool_movement::ActiveModel {
        tool_id: Set(t.id),
        tool_stock_id: Set(line.id),
        kind: Set("sortie".into()),
        quantity: Set(1),
        qty_before: Set(before),
        qty_after: Set(after),
        job_ref: Set(Some(l.job.number.clone())),
        destination: Set(l.op.machine_id.map(|m| format!("machine {m}"))),
        reason: Set(Some(format!(
            "Remplacement de l'outil cassé {} (OF {} op. {})",
            broken.code, l.job.number, l.op.position
        ))),
        actor_id: Set(ctx.actor_id()),
        actor_login: Set(ctx.actor_login().to_string()),
        at: Set(at),
        operation_id: Set(Some(l.op.id)),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(
        tx,
        ctx,
        "tool",
        &t.id.to_string(),
        "movement",
        None,
        Some(serde_json::json!({"movement_id": m.id, "kind": "sortie", "quantity": 1, "operation_id": l.op.id})),
    )
    .await?;
    Ok(m)
}

/// Puts the replacement on the operation and its method sheet; returns the new conditions.
async fn swap_on_operation(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    l: &Loaded,
    broken: &tool::Model,
    t: &tool::Model,
) -> Result<Option<cutting::CuttingConditions>, AppError> {
    if broken.id != t.id {
        let mut tools = op_tools(&l.op);
        for o in tools.iter_mut().filter(|o| o.tool_id == Some(broken.id)) {
            o.tool_id = Some(t.id);
            o.tool_code = Some(t.code.clone());
            o.label = format!("{} {}", t.code, t.name);
            o.diameter = t
                .diameter_mm
                .as_deref()
                .and_then(|d| dec(&Some(d.to_string())).to_string().parse().ok())
                .or(o.diameter);
        }
        let mut am: job_operation::ActiveModel = l.op.clone().into();
        am.tools_json = Set(serde_json::to_string(&tools)
            .map_err(|_| AppError::internal("outils de l'opération"))?);
        am.updated_at = Set(crate::now());
        am.version = Set(l.op.version + 1);
        am.update(tx).await?;
    }
    let Some((sheet, mut content)) = sheet_of(tx, l.op.id).await? else {
        return Ok(None);
    };
    let Some(idx) = content
        .tools
        .iter()
        .position(|x| x.tool_id == Some(broken.id))
    else {
        return Ok(None);
    };
    content.tools[idx] = swapped(&content.tools[idx], t);
    let cx = method_sheets::cutting_context(tx, &l.job, &l.op).await?;
    method_sheets::compute_all(&mut content, &cx);
    let conditions = content.tools[idx].conditions.clone();
    method_sheets::save_version(
        tx,
        ctx,
        &sheet,
        &content,
        format!(
            "Outil cassé {} remplacé par {} {} (conditions recalculées)",
            broken.code, t.code, t.name
        ),
    )
    .await?;
    Ok(conditions)
}

pub async fn declare(
    db: &Db,
    ctx: &Ctx,
    bus: &Bus,
    op_id: i64,
    i: BrokenToolInput,
    key: Option<&str>,
    english: bool,
) -> Result<BrokenToolResult, AppError> {
    ctx.require(Module::TimeTracking, Action::Create)?;
    let key = idempotency::check_key(key)?;
    let at = idempotency::occurred_at(i.occurred_at)?;
    let tool_id = i.tool_id.ok_or_else(|| {
        AppError::field(
            "tool_id",
            "required",
            "Indiquez l'outil cassé.",
            "Give the broken tool.",
        )
    })?;
    let note = i
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    if note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        return Err(AppError::field(
            "note",
            "too_long",
            "1 000 caractères au plus.",
            "At most 1,000 characters.",
        ));
    }
    let me = user_id(ctx)?;
    let tx = db.write().await?;
    if let Some(k) = &key
        && idempotency::seen(&tx.tx, me, k).await?
    {
        drop(tx);
        let v = super::actions::replay(db, ctx, op_id, english).await?;
        return Ok(BrokenToolResult {
            breakage_id: None,
            replacement_tool_id: None,
            purchase_request_id: None,
            message: "Déjà enregistré.".into(),
            operation: v,
        });
    }
    let l = super::load(&tx.tx, op_id).await?;
    ensure_may_act(&tx.tx, ctx, &l.op).await?;
    super::ensure_job_open(&l.job)?;
    if l.op.status == "termine" {
        return Err(AppError::new(
            Kind::Conflict,
            "operation_finished",
            "L'opération est terminée.",
            "The operation is finished.",
        ));
    }
    idempotency::remember(
        &tx.tx,
        ctx,
        key.as_deref(),
        "broken_tool",
        Some(op_id),
        at,
        serde_json::json!({"tool_id": tool_id, "replacement_tool_id": i.replacement_tool_id, "note": note}),
    )
    .await?;
    let (t, position) = broken(&tx.tx, &l, tool_id).await?;
    let available = replacements(&tx.tx, &l, &t).await?;
    let (replacement, movement, conditions, pr, status, message) = match i.replacement_tool_id {
        Some(r) => {
            if !available.iter().any(|x| x.tool_id == r) {
                return Err(AppError::field(
                    "replacement_tool_id",
                    "not_compatible",
                    "Cet outil n'est pas un remplaçant en stock (même type et même diamètre).",
                    "This tool is not an in-stock replacement (same type and diameter).",
                ));
            }
            let rt = tool::Entity::find_by_id(r)
                .one(&tx.tx)
                .await?
                .ok_or_else(|| AppError::not_found("Outil", "Tool"))?;
            let m = take_one(&tx.tx, ctx, &l, &rt, &t, at).await?;
            let c = swap_on_operation(&tx.tx, ctx, &l, &t, &rt).await?;
            let msg = format!(
                "{} remplacé par {} {}{} ; fiche méthode mise à jour.",
                t.code,
                rt.code,
                rt.name,
                available
                    .iter()
                    .find(|x| x.tool_id == r)
                    .and_then(|x| x.location.clone())
                    .map(|loc| format!(" (pris en {loc})"))
                    .unwrap_or_default()
            );
            (Some(r), Some(m.id), c, None, "remplace", msg)
        }
        None if !available.is_empty() => {
            return Err(AppError::field(
                "replacement_tool_id",
                "required",
                format!(
                    "{} remplaçant(s) en stock : choisissez-en un.",
                    available.len()
                ),
                format!("{} replacement(s) in stock: choose one.", available.len()),
            ));
        }
        None => {
            let now = crate::now();
            let pr = tool_purchase_request::ActiveModel {
                tool_id: Set(t.id),
                quantity: Set(1),
                urgent: Set(true),
                status: Set("demandee".into()),
                reason: Set(Some(format!(
                    "Outil cassé sur l'OF {} op. {}, aucun remplaçant en stock{}",
                    l.job.number,
                    l.op.position,
                    note.as_deref()
                        .map(|n| format!(" : {n}"))
                        .unwrap_or_default()
                ))),
                requested_by: Set(ctx.actor_login().to_string()),
                decided_by: Set(None),
                decided_at: Set(None),
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
                "tool_purchase_request",
                &pr.id.to_string(),
                "create",
                None,
                Some(serde_json::json!({"tool_id": t.id, "urgent": true, "operation_id": l.op.id})),
            )
            .await?;
            (
                None,
                None,
                None,
                Some(pr.id),
                "achat_urgent",
                format!(
                    "Aucun {} en stock : demande d'achat urgente n° {} envoyée à la direction.",
                    t.code, pr.id
                ),
            )
        }
    };
    let b = tool_breakage::ActiveModel {
        operation_id: Set(l.op.id),
        job_id: Set(l.job.id),
        tool_id: Set(t.id),
        replacement_tool_id: Set(replacement),
        tool_movement_id: Set(movement),
        purchase_request_id: Set(pr),
        status: Set(status.into()),
        note: Set(note),
        conditions_json: Set(conditions
            .as_ref()
            .and_then(|c| serde_json::to_string(c).ok())),
        user_id: Set(Some(me)),
        user_login: Set(ctx.actor_login().to_string()),
        at: Set(at),
        ..Default::default()
    }
    .insert(&tx.tx)
    .await?;
    audit::record(
        &tx.tx,
        ctx,
        "tool_breakage",
        &b.id.to_string(),
        "create",
        None,
        Some(serde_json::json!({
            "operation_id": l.op.id, "tool_id": t.id, "position": position,
            "replacement_tool_id": replacement, "purchase_request_id": pr, "status": status,
        })),
    )
    .await?;
    tx.commit().await?;
    bus.publish(FloorEvent {
        kind: "broken_tool".into(),
        operation_id: Some(op_id),
        job_id: Some(l.job.id),
        machine_id: l.op.machine_id,
        user_id: Some(me),
        status: Some(l.op.status.clone()),
        at,
    });
    let planned = usinage_store::entities::planned_operation::Entity::find()
        .one(&db.conn)
        .await
        .ok()
        .flatten()
        .is_some();
    if status == "achat_urgent" && planned {
        // No tool left: the planner proposes another part on the machine meanwhile; a
        // planning failure never undoes the declaration.
        let what = format!(
            "OF {} op. {} : {} cassé",
            l.job.number, l.op.position, t.code
        );
        if let Err(e) = crate::planning::proposals::repair_after(
            db,
            ctx,
            bus,
            usinage_planner::shop::Event::BrokenTool { op_id },
            "outil_casse",
            Some(what),
        )
        .await
        {
            tracing::warn!(error = %e.detail.fr, "repair after a broken tool failed");
        }
    }
    let l = super::load(&db.conn, op_id).await?;
    Ok(BrokenToolResult {
        breakage_id: Some(b.id),
        replacement_tool_id: replacement,
        purchase_request_id: pr,
        message,
        operation: super::view(db, ctx, &l, english).await?,
    })
}
