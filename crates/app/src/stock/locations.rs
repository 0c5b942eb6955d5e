//! Storage locations (`A1-T3-C2`): a flat list of places with a code, a kind and a QR label,
//! used by tool stock and material stock. Read with `tools` or `materials`, written with
//! `tools.update` or `materials.update`.

use super::{Codes, code, label, opt_text, req_text, trimmed, url};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Validator};
use crate::listing::{ListQuery, Page, fetch_page};
use crate::rights::{Action, Module};
use crate::units;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use usinage_store::Db;
use usinage_store::entities::storage_location as loc;

pub const KINDS: Codes = &[
    ("armoire", "Armoire", "Cabinet"),
    ("tiroir", "Tiroir", "Drawer"),
    ("case", "Case", "Bin"),
    ("rack", "Rack", "Rack"),
    ("zone", "Zone", "Area"),
];

pub const SORTABLE: &[&str] = &["code", "name", "kind", "created_at", "updated_at", "id"];

pub(crate) fn require_read(ctx: &Ctx) -> Result<(), AppError> {
    if ctx.require(Module::Tools, Action::Read).is_ok() {
        return Ok(());
    }
    ctx.require(Module::Materials, Action::Read)
}

pub(crate) fn require_write(ctx: &Ctx) -> Result<(), AppError> {
    if ctx.require(Module::Tools, Action::Update).is_ok() {
        return Ok(());
    }
    ctx.require(Module::Materials, Action::Update)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LocationView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    /// Walking distance to the saw (m), used by the storage suggestion.
    pub saw_distance_m: String,
    pub active: bool,
    pub status: String,
    pub status_label: String,
    pub notes: Option<String>,
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

pub fn view(m: &loc::Model, base: &str, english: bool) -> LocationView {
    let (status, sl) = match (m.active, english) {
        (true, false) => ("actif", "Actif"),
        (true, true) => ("actif", "Active"),
        (false, false) => ("inactif", "Inactif"),
        (false, true) => ("inactif", "Inactive"),
    };
    LocationView {
        id: m.id,
        code: m.code.clone(),
        name: m.name.clone(),
        kind: m.kind.clone(),
        kind_label: label(KINDS, &m.kind, english),
        saw_distance_m: m.saw_distance_m.clone(),
        active: m.active,
        status: status.into(),
        status_label: sl.into(),
        notes: m.notes.clone(),
        url: url(base, "locations", m.id),
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

fn snapshot(m: &loc::Model) -> serde_json::Value {
    serde_json::json!({"code": m.code, "name": m.name, "kind": m.kind, "saw_distance_m": m.saw_distance_m, "active": m.active, "notes": m.notes})
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct LocationInput {
    pub code: Option<String>,
    pub name: Option<String>,
    /// armoire, tiroir, case, rack, zone
    pub kind: Option<String>,
    pub saw_distance_m: Option<String>,
    pub active: Option<bool>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct LocationPatch {
    pub version: i32,
    #[serde(flatten)]
    pub fields: LocationInput,
}

struct Valid {
    code: String,
    name: String,
    kind: String,
    saw: String,
    notes: Option<String>,
}

fn validate(i: &LocationInput) -> Result<Valid, AppError> {
    let mut v = Validator::default();
    let code_s = req_text(
        &mut v,
        "code",
        &i.code.as_ref().map(|c| c.to_uppercase()),
        40,
    );
    if !code_s.is_empty()
        && !code_s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    {
        v.add(
            "code",
            "invalid_code",
            "Le code n'admet que lettres, chiffres et « - _ . / » (ex. A1-T3-C2).",
            "The code allows only letters, digits and “- _ . /” (e.g. A1-T3-C2).",
        );
    }
    let name = req_text(&mut v, "name", &i.name, 200);
    let kind = code(&mut v, "kind", &i.kind, KINDS, true).unwrap_or_default();
    let saw = match trimmed(&i.saw_distance_m) {
        None => "0".to_string(),
        Some(s) => units::decimal_field(
            &mut v,
            "saw_distance_m",
            &s,
            2,
            Decimal::ZERO,
            Decimal::from(10_000),
        )
        .map(|d| d.to_string())
        .unwrap_or_default(),
    };
    let notes = opt_text(&mut v, "notes", &i.notes, 2000);
    v.finish()?;
    Ok(Valid {
        code: code_s,
        name,
        kind,
        saw,
        notes,
    })
}

async fn code_free(db: &Db, code: &str, except: Option<i64>) -> Result<(), AppError> {
    let mut s = loc::Entity::find().filter(loc::Column::Code.eq(code));
    if let Some(id) = except {
        s = s.filter(loc::Column::Id.ne(id));
    }
    if s.one(&db.conn).await?.is_some() {
        return Err(AppError::field(
            "code",
            "code_taken",
            format!("Le code « {code} » est déjà utilisé."),
            format!("The code “{code}” is already used."),
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct LocationFilter {
    pub kind: Option<String>,
    pub active: Option<bool>,
}

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    f: &LocationFilter,
) -> Result<Page<loc::Model>, AppError> {
    require_read(ctx)?;
    let mut s = loc::Entity::find();
    if let Some(k) = &f.kind {
        s = s.filter(loc::Column::Kind.eq(k.as_str()));
    }
    if let Some(a) = f.active {
        s = s.filter(loc::Column::Active.eq(a));
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: loc::Column| Expr::expr(Func::lower(Expr::col(c))).like(p.clone());
        s = s.filter(like(loc::Column::Code).or(like(loc::Column::Name)));
    }
    let col = |f: &str| match f {
        "code" => loc::Column::Code,
        "name" => loc::Column::Name,
        "kind" => loc::Column::Kind,
        "created_at" => loc::Column::CreatedAt,
        "updated_at" => loc::Column::UpdatedAt,
        _ => loc::Column::Id,
    };
    s = match &q.sort {
        Some((f, true)) => s.order_by_desc(col(f)).order_by_desc(loc::Column::Id),
        Some((f, false)) => s.order_by_asc(col(f)).order_by_asc(loc::Column::Id),
        None => s.order_by_asc(loc::Column::Code),
    };
    fetch_page(s, q, &db.conn).await
}

/// Code of every location by id (for views that name where things are).
pub async fn codes(db: &Db) -> Result<std::collections::HashMap<i64, String>, AppError> {
    Ok(loc::Entity::find()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l.code))
        .collect())
}

pub async fn get(db: &Db, ctx: &Ctx, id: i64) -> Result<loc::Model, AppError> {
    require_read(ctx)?;
    find(db, id).await
}

pub(crate) async fn find(db: &Db, id: i64) -> Result<loc::Model, AppError> {
    loc::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("Emplacement", "Location"))
}

pub async fn create(db: &Db, ctx: &Ctx, i: LocationInput) -> Result<loc::Model, AppError> {
    require_write(ctx)?;
    let val = validate(&i)?;
    code_free(db, &val.code, None).await?;
    let tx = db.write().await?;
    let m = insert(&tx.tx, val, i.active.unwrap_or(true)).await?;
    audit::record(
        &tx.tx,
        ctx,
        "storage_location",
        &m.id.to_string(),
        "create",
        None,
        Some(snapshot(&m)),
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

async fn insert<C: sea_orm::ConnectionTrait>(
    tx: &C,
    val: Valid,
    active: bool,
) -> Result<loc::Model, AppError> {
    let now = crate::now();
    Ok(loc::ActiveModel {
        code: Set(val.code),
        name: Set(val.name),
        kind: Set(val.kind),
        saw_distance_m: Set(val.saw),
        active: Set(active),
        notes: Set(val.notes),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?)
}

pub async fn update(db: &Db, ctx: &Ctx, id: i64, p: LocationPatch) -> Result<loc::Model, AppError> {
    require_write(ctx)?;
    let cur = find(db, id).await?;
    let f = p.fields;
    let merged = LocationInput {
        code: Some(f.code.unwrap_or(cur.code.clone())),
        name: Some(f.name.unwrap_or(cur.name.clone())),
        kind: Some(f.kind.unwrap_or(cur.kind.clone())),
        saw_distance_m: Some(f.saw_distance_m.unwrap_or(cur.saw_distance_m.clone())),
        active: None,
        notes: super::merge(&f.notes, &cur.notes),
    };
    let val = validate(&merged)?;
    if p.version != cur.version {
        return Err(AppError::stale_version());
    }
    code_free(db, &val.code, Some(id)).await?;
    let tx = db.write().await?;
    let mut am: loc::ActiveModel = cur.clone().into();
    am.code = Set(val.code);
    am.name = Set(val.name);
    am.kind = Set(val.kind);
    am.saw_distance_m = Set(val.saw);
    am.notes = Set(val.notes);
    if let Some(a) = f.active {
        am.active = Set(a);
    }
    am.updated_at = Set(crate::now());
    am.version = Set(cur.version + 1);
    let res = loc::Entity::update_many()
        .set(am)
        .filter(loc::Column::Id.eq(id))
        .filter(loc::Column::Version.eq(p.version))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let new = loc::Entity::find_by_id(id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Emplacement", "Location"))?;
    audit::record(
        &tx.tx,
        ctx,
        "storage_location",
        &id.to_string(),
        "update",
        Some(snapshot(&cur)),
        Some(snapshot(&new)),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

/// Demo locations (DEMO-SHOP: tool cabinets, racks R1–R3 by the saw).
pub async fn load_demo<C: sea_orm::ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
) -> Result<Vec<loc::Model>, AppError> {
    let rows = [
        (
            "A1-T1",
            "Armoire outils A1, tiroir 1 (plaquettes)",
            "tiroir",
            "25",
        ),
        (
            "A1-T2",
            "Armoire outils A1, tiroir 2 (fraises carbure)",
            "tiroir",
            "25",
        ),
        (
            "A1-T3-C2",
            "Armoire outils A1, tiroir 3, case 2 (forets, tarauds)",
            "case",
            "25",
        ),
        ("A2", "Armoire porte-outils A2", "armoire", "28"),
        ("R1", "Rack R1 — à côté de la scie", "rack", "2"),
        ("R2", "Rack R2 — allée centrale", "rack", "12"),
        ("R3", "Rack R3 — chutes", "rack", "6"),
        ("Z-REC", "Zone réception", "zone", "20"),
    ];
    let mut out = vec![];
    for (code, name, kind, dist) in rows {
        let m = insert(
            tx,
            Valid {
                code: code.into(),
                name: name.into(),
                kind: kind.into(),
                saw: dist.into(),
                notes: None,
            },
            true,
        )
        .await?;
        audit::record(
            tx,
            ctx,
            "storage_location",
            &m.id.to_string(),
            "create",
            None,
            Some(snapshot(&m)),
        )
        .await?;
        out.push(m);
    }
    Ok(out)
}
