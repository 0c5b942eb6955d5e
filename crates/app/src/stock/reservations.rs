//! Reservations of stock for a job (DOMAIN.md §3.13 "material can be reserved for a pending
//! order"): a tool stock line or a material stock item (bar, lot, offcut) is reserved for a job
//! reference; reserved pieces cannot be consumed by another job, and `available = on hand −
//! reserved` everywhere. The job reference is text until the orders module lands.

use super::ledger::{self, Line};
use super::{Codes, count, label, opt_text, req_text};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::listing::{ListQuery, Page, fetch_page};
use crate::rights::{Action, Module};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use usinage_store::Db;
use usinage_store::entities::{material_stock, stock_reservation as res, tool_stock};

pub const ITEM_TYPES: Codes = &[
    ("outil", "Outil (ligne de stock)", "Tool (stock line)"),
    (
        "matiere",
        "Matière (article de stock)",
        "Material (stock item)",
    ),
];

pub const STATUSES: Codes = &[
    ("active", "Active", "Active"),
    ("soldee", "Soldée", "Used up"),
    ("liberee", "Libérée", "Released"),
];

fn line_of(t: &str) -> Line {
    if t == "outil" {
        Line::Tool
    } else {
        Line::Material
    }
}

fn module_of(t: &str) -> Module {
    if t == "outil" {
        Module::Tools
    } else {
        Module::Materials
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReservationView {
    pub id: i64,
    /// outil (tool stock line id) or matiere (material stock item id)
    pub item_type: String,
    pub item_type_label: String,
    pub item_id: i64,
    /// What is reserved, readable: `T01 Fraise Ø10 — A1-T1` or `MA02 rond Ø45 × 3000`.
    pub item_label: String,
    pub job_ref: String,
    pub quantity: i64,
    pub consumed: i64,
    /// quantity − consumed while active.
    pub remaining: i64,
    pub status: String,
    pub status_label: String,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

/// Views with the reserved item named (a few lookups for the whole page, not per row).
pub async fn views(
    db: &Db,
    rows: &[res::Model],
    english: bool,
) -> Result<Vec<ReservationView>, AppError> {
    use std::collections::HashMap;
    use usinage_store::entities::tool;
    let ids = |t: &str| -> Vec<i64> {
        rows.iter()
            .filter(|r| r.item_type == t)
            .map(|r| r.item_id)
            .collect()
    };
    let lines = tool_stock::Entity::find()
        .filter(tool_stock::Column::Id.is_in(ids("outil")))
        .all(&db.conn)
        .await?;
    let tools: HashMap<i64, tool::Model> = tool::Entity::find()
        .filter(tool::Column::Id.is_in(lines.iter().map(|l| l.tool_id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let locs: HashMap<i64, String> = super::locations::codes(db).await?;
    let items = material_stock::Entity::find()
        .filter(material_stock::Column::Id.is_in(ids("matiere")))
        .all(&db.conn)
        .await?;
    let grades = super::materials::grade_codes(db).await?;
    let mut names: HashMap<(&str, i64), String> = HashMap::new();
    for l in &lines {
        let t = tools.get(&l.tool_id);
        names.insert(
            ("outil", l.id),
            format!(
                "{} {} — {}",
                t.map(|t| t.code.as_str()).unwrap_or("?"),
                t.map(|t| t.name.as_str()).unwrap_or(""),
                locs.get(&l.location_id).map(String::as_str).unwrap_or("?")
            ),
        );
    }
    for i in &items {
        let size = match &i.width_mm {
            Some(w) => format!("{} × {w}", i.diameter_mm),
            None => format!("Ø{}", i.diameter_mm),
        };
        let mut name = format!(
            "{} {} {size} × {}",
            grades.get(&i.grade_id).map(String::as_str).unwrap_or("?"),
            i.shape,
            i.length_mm
        );
        if let Some(l) = &i.label {
            name = format!("{l} ({name})");
        }
        names.insert(("matiere", i.id), name);
    }
    Ok(rows
        .iter()
        .map(|r| {
            let n = names
                .get(&(r.item_type.as_str(), r.item_id))
                .cloned()
                .unwrap_or_else(|| format!("n° {}", r.item_id));
            view(r, n, english)
        })
        .collect())
}

pub fn view(r: &res::Model, item_label: String, english: bool) -> ReservationView {
    ReservationView {
        id: r.id,
        item_type: r.item_type.clone(),
        item_type_label: label(ITEM_TYPES, &r.item_type, english),
        item_id: r.item_id,
        item_label,
        job_ref: r.job_ref.clone(),
        quantity: r.quantity,
        consumed: r.consumed,
        remaining: if r.status == "active" {
            r.quantity - r.consumed
        } else {
            0
        },
        status: r.status.clone(),
        status_label: label(STATUSES, &r.status, english),
        created_by: r.created_by.clone(),
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
    }
}

#[derive(Debug, Clone, Default)]
pub struct ReservationFilter {
    pub item_type: Option<String>,
    pub item_id: Option<i64>,
    pub job_ref: Option<String>,
    pub status: Option<String>,
}

pub const SORTABLE: &[&str] = &["created_at", "job_ref", "id"];

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    f: &ReservationFilter,
) -> Result<Page<res::Model>, AppError> {
    let tools = ctx.require(Module::Tools, Action::Read).is_ok();
    let mats = ctx.require(Module::Materials, Action::Read).is_ok();
    if !tools && !mats {
        ctx.require(Module::Materials, Action::Read)?;
    }
    let mut s = res::Entity::find();
    if !tools {
        s = s.filter(res::Column::ItemType.eq("matiere"));
    }
    if !mats {
        s = s.filter(res::Column::ItemType.eq("outil"));
    }
    if let Some(t) = &f.item_type {
        s = s.filter(res::Column::ItemType.eq(t.as_str()));
    }
    if let Some(i) = f.item_id {
        s = s.filter(res::Column::ItemId.eq(i));
    }
    if let Some(j) = &f.job_ref {
        s = s.filter(res::Column::JobRef.eq(j.as_str()));
    }
    if let Some(st) = &f.status {
        s = s.filter(res::Column::Status.eq(st.as_str()));
    }
    if let Some(p) = q.like_pattern() {
        s = s.filter(
            sea_orm::sea_query::Expr::expr(sea_orm::sea_query::Func::lower(
                sea_orm::sea_query::Expr::col(res::Column::JobRef),
            ))
            .like(p),
        );
    }
    s = match &q.sort {
        Some((f, desc)) => {
            let c = match f.as_str() {
                "created_at" => res::Column::CreatedAt,
                "job_ref" => res::Column::JobRef,
                _ => res::Column::Id,
            };
            if *desc {
                s.order_by_desc(c)
            } else {
                s.order_by_asc(c)
            }
        }
        None => s.order_by_desc(res::Column::Id),
    };
    fetch_page(s, q, &db.conn).await
}

pub async fn get(db: &Db, ctx: &Ctx, id: i64) -> Result<res::Model, AppError> {
    let r = res::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("Réservation", "Reservation"))?;
    ctx.require(module_of(&r.item_type), Action::Read)?;
    Ok(r)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReservationInput {
    /// outil or matiere
    pub item_type: Option<String>,
    /// Tool stock line id or material stock item id.
    pub item_id: Option<i64>,
    pub job_ref: Option<String>,
    pub quantity: Option<i64>,
}

pub async fn create(db: &Db, ctx: &Ctx, i: ReservationInput) -> Result<res::Model, AppError> {
    let mut v = Validator::default();
    let ty = super::code(&mut v, "item_type", &i.item_type, ITEM_TYPES, true).unwrap_or_default();
    if i.item_id.is_none() {
        v.add(
            "item_id",
            "required",
            "Choisissez l'article à réserver.",
            "Choose the item to reserve.",
        );
    }
    let job = req_text(&mut v, "job_ref", &i.job_ref, 100);
    let qty = count(&mut v, "quantity", i.quantity, 1, true);
    v.finish()?;
    ctx.require(module_of(&ty), Action::Update)?;
    let item_id = i.item_id.unwrap_or_default();
    let exists = match line_of(&ty) {
        Line::Tool => tool_stock::Entity::find_by_id(item_id)
            .one(&db.conn)
            .await?
            .is_some(),
        Line::Material => material_stock::Entity::find_by_id(item_id)
            .one(&db.conn)
            .await?
            .is_some(),
    };
    if !exists {
        return Err(AppError::field(
            "item_id",
            "unknown_item",
            "Article de stock introuvable.",
            "Unknown stock item.",
        ));
    }
    let tx = db.write().await?;
    ledger::reserve(&tx.tx, line_of(&ty), item_id, qty).await?;
    // One active reservation per job and line: a second one adds to it.
    let existing = res::Entity::find()
        .filter(res::Column::ItemType.eq(ty.as_str()))
        .filter(res::Column::ItemId.eq(item_id))
        .filter(res::Column::JobRef.eq(job.as_str()))
        .filter(res::Column::Status.eq("active"))
        .one(&tx.tx)
        .await?;
    let now = crate::now();
    let r = match existing {
        Some(e) => {
            let before = serde_json::to_value(&e).unwrap_or_default();
            let (q, v) = (e.quantity, e.version);
            let mut am: res::ActiveModel = e.into();
            am.quantity = Set(q + qty);
            am.updated_at = Set(now);
            am.version = Set(v + 1);
            let r = am.update(&tx.tx).await?;
            audit::record(
                &tx.tx,
                ctx,
                "stock_reservation",
                &r.id.to_string(),
                "update",
                Some(before),
                Some(serde_json::to_value(&r).unwrap_or_default()),
            )
            .await?;
            r
        }
        None => {
            let r = res::ActiveModel {
                item_type: Set(ty.clone()),
                item_id: Set(item_id),
                job_ref: Set(job),
                quantity: Set(qty),
                consumed: Set(0),
                status: Set("active".into()),
                created_by: Set(ctx.actor_login().to_string()),
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
                "stock_reservation",
                &r.id.to_string(),
                "create",
                None,
                Some(serde_json::to_value(&r).unwrap_or_default()),
            )
            .await?;
            r
        }
    };
    tx.commit().await?;
    Ok(r)
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ReleaseRequest {
    pub version: i32,
    pub reason: Option<String>,
}

/// Releases what is left of an active reservation.
pub async fn release(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    r: ReleaseRequest,
) -> Result<res::Model, AppError> {
    let cur = get(db, ctx, id).await?;
    ctx.require(module_of(&cur.item_type), Action::Update)?;
    let mut v = Validator::default();
    let reason = opt_text(&mut v, "reason", &r.reason, 2000);
    v.finish()?;
    if cur.status != "active" {
        return Err(AppError::new(
            Kind::Conflict,
            "illegal_transition",
            "Cette réservation n'est plus active.",
            "This reservation is no longer active.",
        ));
    }
    if r.version != cur.version {
        return Err(AppError::stale_version());
    }
    let tx = db.write().await?;
    let left = cur.quantity - cur.consumed;
    let upd = res::Entity::update_many()
        .col_expr(
            res::Column::Status,
            sea_orm::sea_query::Expr::value("liberee"),
        )
        .col_expr(
            res::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(crate::now()),
        )
        .col_expr(
            res::Column::Version,
            sea_orm::sea_query::Expr::value(cur.version + 1),
        )
        .filter(res::Column::Id.eq(id))
        .filter(res::Column::Version.eq(r.version))
        .exec(&tx.tx)
        .await?;
    if upd.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    if left > 0 {
        ledger::reserve(&tx.tx, line_of(&cur.item_type), cur.item_id, -left).await?;
    }
    let new = res::Entity::find_by_id(id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Réservation", "Reservation"))?;
    audit::record(
        &tx.tx,
        ctx,
        "stock_reservation",
        &id.to_string(),
        "release",
        Some(serde_json::json!({"status": cur.status})),
        Some(serde_json::json!({"status": new.status, "released": left, "reason": reason})),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}
