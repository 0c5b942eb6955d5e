//! Tools (module `tools`): reference data, cutting data per ISO group, stock per storage
//! location with its movement ledger, life counters, and purchase requests under minimum stock.
//!
//! `supplier_id` is a nullable reference to the suppliers module (built separately, no foreign
//! key yet); `supplier_name` keeps a free-text supplier.

use super::ledger::{self, Line};
use super::{
    Codes, ISO_GROUPS, Transition, TransitionRequest, code, count, label, merge, opt_dec, opt_text,
    req_text, trimmed, url,
};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::listing::{ListQuery, Page, fetch_page};
use crate::rights::{Action, Module};
use crate::units;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use usinage_store::Db;
use usinage_store::entities::{
    storage_location, tool, tool_cutting_data as cd, tool_movement as mv,
    tool_purchase_request as pr, tool_stock,
};

pub const TYPES: Codes = &[
    ("fraise", "Fraise", "End mill / milling cutter"),
    ("foret", "Foret", "Drill"),
    ("plaquette", "Plaquette", "Insert"),
    ("porte_outil", "Porte-outil", "Tool holder"),
    ("taraud", "Taraud", "Tap"),
    ("alesoir", "Alésoir", "Reamer"),
    ("fraise_a_fileter", "Fraise à fileter", "Thread mill"),
    ("outil_a_saigner", "Outil à saigner", "Parting tool"),
    ("barre_d_alesage", "Barre d'alésage", "Boring bar"),
    ("foret_a_centrer", "Foret à centrer", "Spot drill"),
    (
        "fraise_a_chanfreiner",
        "Fraise à chanfreiner",
        "Chamfer mill",
    ),
    ("fraise_a_surfacer", "Fraise à surfacer", "Face mill"),
    ("autre", "Autre", "Other"),
];

pub const LIFE_UNITS: Codes = &[
    ("minutes", "Minutes", "Minutes"),
    ("pieces", "Pièces", "Parts"),
];

pub const FEED_KINDS: Codes = &[
    ("fz", "fz (mm/dent)", "fz (mm/tooth)"),
    ("f", "f (mm/tr)", "f (mm/rev)"),
];

pub const SOURCES: Codes = &[
    ("fournisseur", "Fournisseur", "Supplier"),
    ("base_interne", "Base interne", "In-house database"),
    ("saisie_manuelle", "Saisie manuelle", "Manual entry"),
];

pub const MOVEMENT_KINDS: Codes = &[
    ("entree", "Entrée", "Receipt"),
    (
        "sortie",
        "Sortie (machine / opérateur)",
        "Issue (machine / operator)",
    ),
    ("casse", "Casse", "Breakage"),
    ("rebut", "Rebut", "Scrap"),
    ("reaffutage", "Envoi en réaffûtage", "Sent for regrind"),
    ("retour", "Retour", "Return"),
];

pub const PR_STATUSES: Codes = &[
    ("brouillon", "Brouillon", "Draft"),
    ("demandee", "Demandée", "Requested"),
    ("validee", "Validée", "Approved"),
    ("refusee", "Refusée", "Refused"),
    ("commandee", "Commandée", "Ordered"),
];

fn incoming(kind: &str) -> bool {
    matches!(kind, "entree" | "retour")
}

pub const SORTABLE: &[&str] = &[
    "code",
    "name",
    "tool_type",
    "diameter_mm",
    "created_at",
    "updated_at",
    "id",
];

// ---------------------------------------------------------------- views

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ToolView {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub tool_type: String,
    pub type_label: String,
    pub iso_designation: Option<String>,
    pub diameter_mm: Option<String>,
    pub cutting_length_mm: Option<String>,
    pub overall_length_mm: Option<String>,
    pub flutes: Option<i32>,
    pub coating: Option<String>,
    pub grade: Option<String>,
    /// Supplier record (suppliers module), when known.
    pub supplier_id: Option<i64>,
    /// Free-text supplier name.
    pub supplier_name: Option<String>,
    pub supplier_ref: Option<String>,
    /// € HT per piece, "14.50".
    pub unit_price: Option<String>,
    pub min_stock: i64,
    /// Pieces on hand, all locations.
    pub on_hand: i64,
    /// Pieces reserved for jobs.
    pub reserved: i64,
    /// on_hand − reserved.
    pub available: i64,
    /// On hand below the minimum stock.
    pub below_min: bool,
    pub life_unit: Option<String>,
    pub life_limit: Option<i64>,
    pub life_used: i64,
    pub life_exhausted: bool,
    pub regrind_count: i32,
    pub active: bool,
    pub status: String,
    pub status_label: String,
    pub notes: Option<String>,
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

/// (on hand, reserved) per tool.
pub async fn summaries<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, (i64, i64)>, AppError> {
    let mut out: HashMap<i64, (i64, i64)> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for l in tool_stock::Entity::find()
        .filter(tool_stock::Column::ToolId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        let e = out.entry(l.tool_id).or_default();
        e.0 += l.quantity;
        e.1 += l.reserved;
    }
    Ok(out)
}

pub fn view(t: &tool::Model, stock: (i64, i64), base: &str, english: bool) -> ToolView {
    let (status, sl) = match (t.active, english) {
        (true, false) => ("actif", "Actif"),
        (true, true) => ("actif", "Active"),
        (false, false) => ("inactif", "Inactif"),
        (false, true) => ("inactif", "Inactive"),
    };
    ToolView {
        id: t.id,
        code: t.code.clone(),
        name: t.name.clone(),
        tool_type: t.tool_type.clone(),
        type_label: label(TYPES, &t.tool_type, english),
        iso_designation: t.iso_designation.clone(),
        diameter_mm: t.diameter_mm.clone(),
        cutting_length_mm: t.cutting_length_mm.clone(),
        overall_length_mm: t.overall_length_mm.clone(),
        flutes: t.flutes,
        coating: t.coating.clone(),
        grade: t.grade.clone(),
        supplier_id: t.supplier_id,
        supplier_name: t.supplier_name.clone(),
        supplier_ref: t.supplier_ref.clone(),
        unit_price: t.unit_price_cents.map(units::cents_to_string),
        min_stock: t.min_stock,
        on_hand: stock.0,
        reserved: stock.1,
        available: stock.0 - stock.1,
        below_min: stock.0 < t.min_stock,
        life_unit: t.life_unit.clone(),
        life_limit: t.life_limit,
        life_used: t.life_used,
        life_exhausted: t.life_limit.is_some_and(|l| t.life_used >= l),
        regrind_count: t.regrind_count,
        active: t.active,
        status: status.into(),
        status_label: sl.into(),
        notes: t.notes.clone(),
        url: url(base, "tools", t.id),
        created_at: t.created_at,
        updated_at: t.updated_at,
        version: t.version,
    }
}

fn snapshot(t: &tool::Model) -> serde_json::Value {
    let mut v = serde_json::to_value(t).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        for k in ["id", "created_at", "updated_at", "version"] {
            o.remove(k);
        }
    }
    v
}

// ---------------------------------------------------------------- input

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ToolInput {
    pub code: Option<String>,
    pub name: Option<String>,
    /// Required: fraise, foret, plaquette, porte_outil, taraud, alesoir, fraise_a_fileter,
    /// outil_a_saigner, barre_d_alesage, …
    #[serde(rename = "type")]
    pub tool_type: Option<String>,
    pub iso_designation: Option<String>,
    pub diameter_mm: Option<String>,
    pub cutting_length_mm: Option<String>,
    pub overall_length_mm: Option<String>,
    pub flutes: Option<i32>,
    pub coating: Option<String>,
    pub grade: Option<String>,
    pub supplier_id: Option<i64>,
    pub supplier_name: Option<String>,
    pub supplier_ref: Option<String>,
    /// "14.50" (€ HT per piece)
    pub unit_price: Option<String>,
    pub min_stock: Option<i64>,
    /// minutes or pieces
    pub life_unit: Option<String>,
    pub life_limit: Option<i64>,
    pub life_used: Option<i64>,
    pub active: Option<bool>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ToolPatch {
    pub version: i32,
    #[serde(flatten)]
    pub fields: ToolInput,
}

fn validate(i: &ToolInput) -> Result<tool::ActiveModel, AppError> {
    let mut v = Validator::default();
    let code_s = req_text(
        &mut v,
        "code",
        &i.code.as_ref().map(|c| c.to_uppercase()),
        40,
    );
    let name = req_text(&mut v, "name", &i.name, 200);
    let ty = code(&mut v, "type", &i.tool_type, TYPES, true);
    let iso = opt_text(&mut v, "iso_designation", &i.iso_designation, 100);
    let dia = opt_dec(&mut v, "diameter_mm", &i.diameter_mm, 3, "2000");
    let cl = opt_dec(&mut v, "cutting_length_mm", &i.cutting_length_mm, 3, "2000");
    let ol = opt_dec(&mut v, "overall_length_mm", &i.overall_length_mm, 3, "2000");
    if let Some(f) = i.flutes
        && !(1..=100).contains(&f)
    {
        v.add(
            "flutes",
            "invalid_flutes",
            "Le nombre de dents va de 1 à 100.",
            "Flutes range from 1 to 100.",
        );
    }
    let coating = opt_text(&mut v, "coating", &i.coating, 100);
    let grade = opt_text(&mut v, "grade", &i.grade, 100);
    if let Some(s) = i.supplier_id
        && s <= 0
    {
        v.add(
            "supplier_id",
            "invalid_id",
            "Identifiant fournisseur invalide.",
            "Invalid supplier id.",
        );
    }
    let sname = opt_text(&mut v, "supplier_name", &i.supplier_name, 200);
    let sref = opt_text(&mut v, "supplier_ref", &i.supplier_ref, 100);
    let price =
        trimmed(&i.unit_price).and_then(|p| units::money_field(&mut v, "unit_price", &p, false));
    let min = count(&mut v, "min_stock", i.min_stock, 0, false);
    let lu = code(&mut v, "life_unit", &i.life_unit, LIFE_UNITS, false);
    if let Some(l) = i.life_limit {
        count(&mut v, "life_limit", Some(l), 1, false);
        if lu.is_none() {
            v.add(
                "life_unit",
                "required",
                "Précisez l'unité de durée de vie (minutes ou pieces).",
                "Give the life unit (minutes or pieces).",
            );
        }
    }
    let used = count(&mut v, "life_used", i.life_used, 0, false);
    let notes = opt_text(&mut v, "notes", &i.notes, 4000);
    v.finish()?;
    Ok(tool::ActiveModel {
        code: Set(code_s),
        name: Set(name),
        tool_type: Set(ty.unwrap_or_default()),
        iso_designation: Set(iso),
        diameter_mm: Set(dia),
        cutting_length_mm: Set(cl),
        overall_length_mm: Set(ol),
        flutes: Set(i.flutes),
        coating: Set(coating),
        grade: Set(grade),
        supplier_id: Set(i.supplier_id),
        supplier_name: Set(sname),
        supplier_ref: Set(sref),
        unit_price_cents: Set(price),
        min_stock: Set(min),
        life_unit: Set(lu),
        life_limit: Set(i.life_limit),
        life_used: Set(used),
        active: Set(i.active.unwrap_or(true)),
        notes: Set(notes),
        ..Default::default()
    })
}

async fn code_free<C: ConnectionTrait>(
    db: &C,
    code: &str,
    except: Option<i64>,
) -> Result<(), AppError> {
    let mut s = tool::Entity::find().filter(tool::Column::Code.eq(code));
    if let Some(id) = except {
        s = s.filter(tool::Column::Id.ne(id));
    }
    if s.one(db).await?.is_some() {
        return Err(AppError::field(
            "code",
            "code_taken",
            format!("Le code outil « {code} » est déjà utilisé."),
            format!("The tool code “{code}” is already used."),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------- CRUD

#[derive(Debug, Clone, Default)]
pub struct ToolFilter {
    pub tool_type: Option<String>,
    pub below_min: Option<bool>,
    pub active: Option<bool>,
}

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    f: &ToolFilter,
) -> Result<Page<tool::Model>, AppError> {
    ctx.require(Module::Tools, Action::Read)?;
    let mut s = tool::Entity::find();
    if let Some(t) = &f.tool_type {
        if !TYPES.iter().any(|c| c.0 == t) {
            return Err(AppError::field(
                "type",
                "unknown_value",
                format!("Type d'outil inconnu : « {t} »."),
                format!("Unknown tool type: “{t}”."),
            ));
        }
        s = s.filter(tool::Column::ToolType.eq(t.as_str()));
    }
    if let Some(a) = f.active {
        s = s.filter(tool::Column::Active.eq(a));
    }
    if let Some(b) = f.below_min {
        let on_hand =
            "(SELECT COALESCE(SUM(ts.quantity), 0) FROM tool_stock ts WHERE ts.tool_id = tools.id)";
        s = s.filter(Expr::cust(format!(
            "tools.min_stock {} {on_hand}",
            if b { ">" } else { "<=" }
        )));
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: tool::Column| Expr::expr(Func::lower(Expr::col(c))).like(p.clone());
        s = s.filter(
            like(tool::Column::Code)
                .or(like(tool::Column::Name))
                .or(like(tool::Column::IsoDesignation))
                .or(like(tool::Column::SupplierRef)),
        );
    }
    let col = |f: &str| match f {
        "code" => tool::Column::Code,
        "name" => tool::Column::Name,
        "tool_type" => tool::Column::ToolType,
        "diameter_mm" => tool::Column::DiameterMm,
        "created_at" => tool::Column::CreatedAt,
        "updated_at" => tool::Column::UpdatedAt,
        _ => tool::Column::Id,
    };
    s = match &q.sort {
        Some((f, true)) => s.order_by_desc(col(f)).order_by_desc(tool::Column::Id),
        Some((f, false)) => s.order_by_asc(col(f)).order_by_asc(tool::Column::Id),
        None => s.order_by_asc(tool::Column::Code),
    };
    fetch_page(s, q, &db.conn).await
}

pub async fn get(db: &Db, ctx: &Ctx, id: i64) -> Result<tool::Model, AppError> {
    ctx.require(Module::Tools, Action::Read)?;
    find(&db.conn, id).await
}

async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<tool::Model, AppError> {
    tool::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Outil", "Tool"))
}

pub async fn create(db: &Db, ctx: &Ctx, i: ToolInput) -> Result<tool::Model, AppError> {
    ctx.require(Module::Tools, Action::Create)?;
    validate(&i)?;
    let tx = db.write().await?;
    let t = create_in(&tx.tx, ctx, &i).await?;
    tx.commit().await?;
    Ok(t)
}

/// Validates and inserts one tool inside the caller's transaction (create endpoint and imports);
/// the caller checks the right.
pub async fn create_in<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    i: &ToolInput,
) -> Result<tool::Model, AppError> {
    let mut am = validate(i)?;
    let code_s = am.code.clone().unwrap();
    code_free(tx, &code_s, None).await?;
    let now = crate::now();
    am.regrind_count = Set(0);
    am.created_at = Set(now);
    am.updated_at = Set(now);
    am.version = Set(1);
    let t = am.insert(tx).await?;
    audit::record(
        tx,
        ctx,
        "tool",
        &t.id.to_string(),
        "create",
        None,
        Some(snapshot(&t)),
    )
    .await?;
    Ok(t)
}

pub async fn update(db: &Db, ctx: &Ctx, id: i64, p: ToolPatch) -> Result<tool::Model, AppError> {
    ctx.require(Module::Tools, Action::Update)?;
    let cur = find(&db.conn, id).await?;
    let f = p.fields;
    let price = cur.unit_price_cents.map(units::cents_to_string);
    let merged = ToolInput {
        code: Some(f.code.unwrap_or(cur.code.clone())),
        name: Some(f.name.unwrap_or(cur.name.clone())),
        tool_type: Some(f.tool_type.unwrap_or(cur.tool_type.clone())),
        iso_designation: merge(&f.iso_designation, &cur.iso_designation),
        diameter_mm: merge(&f.diameter_mm, &cur.diameter_mm),
        cutting_length_mm: merge(&f.cutting_length_mm, &cur.cutting_length_mm),
        overall_length_mm: merge(&f.overall_length_mm, &cur.overall_length_mm),
        flutes: f.flutes.or(cur.flutes),
        coating: merge(&f.coating, &cur.coating),
        grade: merge(&f.grade, &cur.grade),
        supplier_id: f.supplier_id.or(cur.supplier_id),
        supplier_name: merge(&f.supplier_name, &cur.supplier_name),
        supplier_ref: merge(&f.supplier_ref, &cur.supplier_ref),
        unit_price: merge(&f.unit_price, &price),
        min_stock: Some(f.min_stock.unwrap_or(cur.min_stock)),
        life_unit: merge(&f.life_unit, &cur.life_unit),
        life_limit: f.life_limit.or(cur.life_limit),
        life_used: Some(f.life_used.unwrap_or(cur.life_used)),
        active: Some(f.active.unwrap_or(cur.active)),
        notes: merge(&f.notes, &cur.notes),
    };
    let mut am = validate(&merged)?;
    if p.version != cur.version {
        return Err(AppError::stale_version());
    }
    code_free(&db.conn, am.code.as_ref(), Some(id)).await?;
    am.id = Set(id);
    am.regrind_count = Set(cur.regrind_count);
    am.created_at = Set(cur.created_at);
    am.updated_at = Set(crate::now());
    am.version = Set(cur.version + 1);
    let tx = db.write().await?;
    let res = tool::Entity::update_many()
        .set(am)
        .filter(tool::Column::Id.eq(id))
        .filter(tool::Column::Version.eq(p.version))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let new = find(&tx.tx, id).await?;
    audit::record(
        &tx.tx,
        ctx,
        "tool",
        &id.to_string(),
        "update",
        Some(snapshot(&cur)),
        Some(snapshot(&new)),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

// ---------------------------------------------------------------- cutting data

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CuttingDataView {
    pub id: i64,
    pub tool_id: i64,
    pub iso_group: String,
    pub iso_group_label: String,
    pub vc_min: Option<String>,
    pub vc_max: Option<String>,
    /// fz (mm/tooth, milling) or f (mm/rev, turning/drilling)
    pub feed_kind: String,
    pub feed_min: Option<String>,
    pub feed_max: Option<String>,
    pub ap_min: Option<String>,
    pub ap_max: Option<String>,
    pub ae_min: Option<String>,
    pub ae_max: Option<String>,
    pub source: String,
    pub source_label: String,
    pub notes: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

pub fn cutting_view(c: &cd::Model, english: bool) -> CuttingDataView {
    CuttingDataView {
        id: c.id,
        tool_id: c.tool_id,
        iso_group: c.iso_group.clone(),
        iso_group_label: label(ISO_GROUPS, &c.iso_group, english),
        vc_min: c.vc_min.clone(),
        vc_max: c.vc_max.clone(),
        feed_kind: c.feed_kind.clone(),
        feed_min: c.feed_min.clone(),
        feed_max: c.feed_max.clone(),
        ap_min: c.ap_min.clone(),
        ap_max: c.ap_max.clone(),
        ae_min: c.ae_min.clone(),
        ae_max: c.ae_max.clone(),
        source: c.source.clone(),
        source_label: label(SOURCES, &c.source, english),
        notes: c.notes.clone(),
        created_at: c.created_at,
        updated_at: c.updated_at,
        version: c.version,
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CuttingDataInput {
    /// P, M, K, N, S or H
    pub iso_group: Option<String>,
    /// m/min
    pub vc_min: Option<String>,
    pub vc_max: Option<String>,
    /// fz or f
    pub feed_kind: Option<String>,
    pub feed_min: Option<String>,
    pub feed_max: Option<String>,
    /// mm
    pub ap_min: Option<String>,
    pub ap_max: Option<String>,
    pub ae_min: Option<String>,
    pub ae_max: Option<String>,
    /// fournisseur, base_interne, saisie_manuelle
    pub source: Option<String>,
    pub notes: Option<String>,
}

fn validate_cutting(i: &CuttingDataInput) -> Result<cd::ActiveModel, AppError> {
    let mut v = Validator::default();
    let g = code(&mut v, "iso_group", &i.iso_group, ISO_GROUPS, true);
    let fk = code(&mut v, "feed_kind", &i.feed_kind, FEED_KINDS, true);
    let src = code(&mut v, "source", &i.source, SOURCES, true);
    let mut range = |min_f: &str,
                     max_f: &str,
                     min: &Option<String>,
                     max: &Option<String>,
                     scale: u32,
                     top: &str| {
        let a = opt_dec(&mut v, min_f, min, scale, top);
        let b = opt_dec(&mut v, max_f, max, scale, top);
        if let (Some(x), Some(y)) = (&a, &b)
            && units::parse_decimal(x) > units::parse_decimal(y)
        {
            v.add(
                max_f,
                "max_below_min",
                "Le maximum est inférieur au minimum.",
                "The maximum is below the minimum.",
            );
        }
        (a, b)
    };
    let (vc_min, vc_max) = range("vc_min", "vc_max", &i.vc_min, &i.vc_max, 1, "2000");
    let (feed_min, feed_max) = range("feed_min", "feed_max", &i.feed_min, &i.feed_max, 4, "50");
    let (ap_min, ap_max) = range("ap_min", "ap_max", &i.ap_min, &i.ap_max, 3, "200");
    let (ae_min, ae_max) = range("ae_min", "ae_max", &i.ae_min, &i.ae_max, 3, "500");
    if vc_min.is_none() && vc_max.is_none() {
        v.add(
            "vc_min",
            "required",
            "Donnez au moins une vitesse de coupe Vc.",
            "Give at least one cutting speed Vc.",
        );
    }
    let notes = opt_text(&mut v, "notes", &i.notes, 2000);
    v.finish()?;
    Ok(cd::ActiveModel {
        iso_group: Set(g.unwrap_or_default()),
        feed_kind: Set(fk.unwrap_or_default()),
        source: Set(src.unwrap_or_default()),
        vc_min: Set(vc_min),
        vc_max: Set(vc_max),
        feed_min: Set(feed_min),
        feed_max: Set(feed_max),
        ap_min: Set(ap_min),
        ap_max: Set(ap_max),
        ae_min: Set(ae_min),
        ae_max: Set(ae_max),
        notes: Set(notes),
        ..Default::default()
    })
}

pub async fn list_cutting(db: &Db, ctx: &Ctx, tool_id: i64) -> Result<Vec<cd::Model>, AppError> {
    get(db, ctx, tool_id).await?;
    Ok(cd::Entity::find()
        .filter(cd::Column::ToolId.eq(tool_id))
        .order_by_asc(cd::Column::IsoGroup)
        .order_by_asc(cd::Column::Id)
        .all(&db.conn)
        .await?)
}

pub async fn add_cutting(
    db: &Db,
    ctx: &Ctx,
    tool_id: i64,
    i: CuttingDataInput,
) -> Result<cd::Model, AppError> {
    ctx.require(Module::Tools, Action::Update)?;
    find(&db.conn, tool_id).await?;
    let am = validate_cutting(&i)?;
    let tx = db.write().await?;
    let c = insert_cutting(&tx.tx, tool_id, am).await?;
    audit::record(
        &tx.tx,
        ctx,
        "tool",
        &tool_id.to_string(),
        "cutting_data_add",
        None,
        Some(serde_json::to_value(&c).unwrap_or_default()),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

/// A change to one cutting-data row: the whole row again, with the version read.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CuttingDataUpdate {
    pub version: i32,
    #[serde(flatten)]
    pub fields: CuttingDataInput,
}

async fn find_cutting<C: ConnectionTrait>(
    db: &C,
    tool_id: i64,
    id: i64,
) -> Result<cd::Model, AppError> {
    cd::Entity::find_by_id(id)
        .filter(cd::Column::ToolId.eq(tool_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Donnée de coupe", "Cutting data"))
}

pub async fn update_cutting(
    db: &Db,
    ctx: &Ctx,
    tool_id: i64,
    id: i64,
    u: CuttingDataUpdate,
) -> Result<cd::Model, AppError> {
    ctx.require(Module::Tools, Action::Update)?;
    find(&db.conn, tool_id).await?;
    let cur = find_cutting(&db.conn, tool_id, id).await?;
    let mut am = validate_cutting(&u.fields)?;
    if u.version != cur.version {
        return Err(AppError::stale_version());
    }
    am.tool_id = Set(tool_id);
    am.created_at = Set(cur.created_at);
    am.updated_at = Set(crate::now());
    am.version = Set(cur.version + 1);
    let tx = db.write().await?;
    let res = cd::Entity::update_many()
        .set(am)
        .filter(cd::Column::Id.eq(id))
        .filter(cd::Column::Version.eq(u.version))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let new = find_cutting(&tx.tx, tool_id, id).await?;
    audit::record(
        &tx.tx,
        ctx,
        "tool",
        &tool_id.to_string(),
        "cutting_data_update",
        Some(serde_json::to_value(&cur).unwrap_or_default()),
        Some(serde_json::to_value(&new).unwrap_or_default()),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

pub async fn delete_cutting(db: &Db, ctx: &Ctx, tool_id: i64, id: i64) -> Result<(), AppError> {
    ctx.require(Module::Tools, Action::Update)?;
    find(&db.conn, tool_id).await?;
    let cur = find_cutting(&db.conn, tool_id, id).await?;
    let tx = db.write().await?;
    let res = cd::Entity::delete_many()
        .filter(cd::Column::Id.eq(id))
        .filter(cd::Column::ToolId.eq(tool_id))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::not_found("Donnée de coupe", "Cutting data"));
    }
    audit::record(
        &tx.tx,
        ctx,
        "tool",
        &tool_id.to_string(),
        "cutting_data_delete",
        Some(serde_json::to_value(&cur).unwrap_or_default()),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- life counter

/// Use of a tool reported from the shop floor (`add`, in the tool's life unit) or a reset
/// after a new edge / regrind (`reset` with a reason).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct LifeInput {
    /// Minutes or pieces to add (1 – 100 000).
    pub add: Option<i64>,
    #[serde(default)]
    pub reset: bool,
    pub reason: Option<String>,
}

/// Adds to (or resets) the life counter atomically: concurrent reports all count.
pub async fn record_life(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    i: LifeInput,
) -> Result<tool::Model, AppError> {
    ctx.require(Module::Tools, Action::Update)?;
    let cur = find(&db.conn, id).await?;
    let mut v = Validator::default();
    let reason = opt_text(&mut v, "reason", &i.reason, 500);
    match (i.add, i.reset) {
        (Some(_), true) => v.add(
            "add",
            "conflict",
            "Ajoutez un usage ou remettez le compteur à zéro, pas les deux.",
            "Either add use or reset the counter, not both.",
        ),
        (None, false) => v.add(
            "add",
            "required",
            "Indiquez la durée ou le nombre de pièces à ajouter.",
            "Give the minutes or pieces to add.",
        ),
        (Some(n), false) if !(1..=100_000).contains(&n) => v.add(
            "add",
            "out_of_range",
            "La quantité à ajouter va de 1 à 100 000.",
            "The amount to add ranges from 1 to 100,000.",
        ),
        (None, true) if reason.is_none() => v.add(
            "reason",
            "required",
            "Donnez la raison de la remise à zéro (réaffûtage, plaquette changée…).",
            "Give the reason for the reset (regrind, new insert…).",
        ),
        _ => {}
    }
    if cur.life_unit.is_none() && i.add.is_some() {
        v.add(
            "add",
            "no_life_unit",
            "Cet outil n'a pas d'unité de durée de vie (minutes ou pièces) : renseignez-la d'abord.",
            "This tool has no life unit (minutes or pieces): set it first.",
        );
    }
    v.finish()?;
    let tx = db.write().await?;
    let expr = match i.add {
        Some(n) => Expr::col(tool::Column::LifeUsed).add(n),
        None => Expr::value(0i64),
    };
    tool::Entity::update_many()
        .col_expr(tool::Column::LifeUsed, expr)
        .col_expr(
            tool::Column::Version,
            Expr::col(tool::Column::Version).add(1),
        )
        .col_expr(tool::Column::UpdatedAt, Expr::value(crate::now()))
        .filter(tool::Column::Id.eq(id))
        .exec(&tx.tx)
        .await?;
    let new = find(&tx.tx, id).await?;
    audit::record(
        &tx.tx,
        ctx,
        "tool",
        &id.to_string(),
        if i.reset { "life_reset" } else { "life_add" },
        Some(serde_json::json!({ "life_used": cur.life_used })),
        Some(serde_json::json!({
            "life_used": new.life_used, "added": i.add, "reason": reason,
            "life_limit": new.life_limit, "life_unit": new.life_unit,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

async fn insert_cutting<C: ConnectionTrait>(
    tx: &C,
    tool_id: i64,
    mut am: cd::ActiveModel,
) -> Result<cd::Model, AppError> {
    let now = crate::now();
    am.tool_id = Set(tool_id);
    am.created_at = Set(now);
    am.updated_at = Set(now);
    am.version = Set(1);
    Ok(am.insert(tx).await?)
}

// ---------------------------------------------------------------- stock and movements

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StockLineView {
    pub id: i64,
    pub location_id: i64,
    pub location_code: String,
    pub quantity: i64,
    pub reserved: i64,
    pub available: i64,
    pub version: i32,
}

pub async fn stock_lines(db: &Db, ctx: &Ctx, tool_id: i64) -> Result<Vec<StockLineView>, AppError> {
    get(db, ctx, tool_id).await?;
    let lines = tool_stock::Entity::find()
        .filter(tool_stock::Column::ToolId.eq(tool_id))
        .order_by_asc(tool_stock::Column::Id)
        .all(&db.conn)
        .await?;
    let locs: HashMap<i64, String> = super::locations::codes(db).await?;
    Ok(lines
        .into_iter()
        .map(|l| StockLineView {
            id: l.id,
            location_id: l.location_id,
            location_code: locs.get(&l.location_id).cloned().unwrap_or_default(),
            quantity: l.quantity,
            reserved: l.reserved,
            available: l.quantity - l.reserved,
            version: l.version,
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MovementView {
    pub id: i64,
    pub tool_id: i64,
    pub tool_stock_id: i64,
    pub kind: String,
    pub kind_label: String,
    pub quantity: i64,
    pub qty_before: i64,
    pub qty_after: i64,
    pub job_ref: Option<String>,
    pub destination: Option<String>,
    pub reason: Option<String>,
    pub actor_login: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

pub fn movement_view(m: &mv::Model, english: bool) -> MovementView {
    MovementView {
        id: m.id,
        tool_id: m.tool_id,
        tool_stock_id: m.tool_stock_id,
        kind: m.kind.clone(),
        kind_label: label(MOVEMENT_KINDS, &m.kind, english),
        quantity: m.quantity,
        qty_before: m.qty_before,
        qty_after: m.qty_after,
        job_ref: m.job_ref.clone(),
        destination: m.destination.clone(),
        reason: m.reason.clone(),
        actor_login: m.actor_login.clone(),
        at: m.at,
    }
}

pub async fn movements(
    db: &Db,
    ctx: &Ctx,
    tool_id: i64,
    q: &ListQuery,
) -> Result<Page<mv::Model>, AppError> {
    get(db, ctx, tool_id).await?;
    let s = mv::Entity::find()
        .filter(mv::Column::ToolId.eq(tool_id))
        .order_by_desc(mv::Column::Id);
    fetch_page(s, q, &db.conn).await
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ToolMovementInput {
    /// entree, sortie, casse, rebut, reaffutage, retour
    pub kind: Option<String>,
    pub location_id: Option<i64>,
    /// Pieces, ≥ 1.
    pub quantity: Option<i64>,
    /// Job / operation reference (uses that job's reservation first).
    pub job_ref: Option<String>,
    /// Machine or operator the tool goes to (required for `sortie`).
    pub destination: Option<String>,
    pub reason: Option<String>,
}

/// Records a movement and changes the stock line accordingly, in one transaction; proposes a
/// purchase request when the tool falls under its minimum stock; a regrind resets the life
/// counter.
pub async fn move_stock(
    db: &Db,
    ctx: &Ctx,
    tool_id: i64,
    i: ToolMovementInput,
) -> Result<mv::Model, AppError> {
    ctx.require(Module::Tools, Action::Update)?;
    let mut v = Validator::default();
    let kind = code(&mut v, "kind", &i.kind, MOVEMENT_KINDS, true).unwrap_or_default();
    let qty = count(&mut v, "quantity", i.quantity, 1, true);
    if i.location_id.is_none() {
        v.add(
            "location_id",
            "required",
            "Choisissez l'emplacement.",
            "Choose the location.",
        );
    }
    let job = opt_text(&mut v, "job_ref", &i.job_ref, 100);
    let dest = opt_text(&mut v, "destination", &i.destination, 200);
    if kind == "sortie" && dest.is_none() {
        v.add(
            "destination",
            "required",
            "Indiquez la machine ou l'opérateur destinataire.",
            "Give the destination machine or operator.",
        );
    }
    let reason = opt_text(&mut v, "reason", &i.reason, 2000);
    v.finish()?;
    let location_id = i.location_id.unwrap_or_default();
    let t = find(&db.conn, tool_id).await?;
    let loc = storage_location::Entity::find_by_id(location_id)
        .one(&db.conn)
        .await?;
    if loc.is_none_or(|l| !l.active) {
        return Err(AppError::field(
            "location_id",
            "unknown_location",
            "Emplacement introuvable ou inactif.",
            "Unknown or inactive location.",
        ));
    }
    let tx = db.write().await?;
    let existing = tool_stock::Entity::find()
        .filter(tool_stock::Column::ToolId.eq(tool_id))
        .filter(tool_stock::Column::LocationId.eq(location_id))
        .one(&tx.tx)
        .await?;
    let line = match existing {
        Some(l) => l,
        None if incoming(&kind) => {
            let now = crate::now();
            tool_stock::ActiveModel {
                tool_id: Set(tool_id),
                location_id: Set(location_id),
                quantity: Set(0),
                reserved: Set(0),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(&tx.tx)
            .await?
        }
        None => return Err(ledger::insufficient(0, qty, 0)),
    };
    let delta = if incoming(&kind) { qty } else { -qty };
    let (before, after) =
        ledger::change(&tx.tx, Line::Tool, line.id, delta, job.as_deref()).await?;
    let m = mv::ActiveModel {
        tool_id: Set(tool_id),
        tool_stock_id: Set(line.id),
        kind: Set(kind.clone()),
        quantity: Set(qty),
        qty_before: Set(before),
        qty_after: Set(after),
        job_ref: Set(job),
        destination: Set(dest),
        reason: Set(reason),
        actor_id: Set(ctx.actor_id()),
        actor_login: Set(ctx.actor_login().to_string()),
        at: Set(crate::now()),
        ..Default::default()
    }
    .insert(&tx.tx)
    .await?;
    if kind == "reaffutage" {
        tool::Entity::update_many()
            .col_expr(tool::Column::LifeUsed, Expr::value(0i64))
            .col_expr(
                tool::Column::RegrindCount,
                Expr::col(tool::Column::RegrindCount).add(1),
            )
            .col_expr(tool::Column::UpdatedAt, Expr::value(crate::now()))
            .col_expr(
                tool::Column::Version,
                Expr::col(tool::Column::Version).add(1),
            )
            .filter(tool::Column::Id.eq(tool_id))
            .exec(&tx.tx)
            .await?;
    }
    audit::record(
        &tx.tx,
        ctx,
        "tool",
        &tool_id.to_string(),
        "movement",
        None,
        Some(serde_json::to_value(&m).unwrap_or_default()),
    )
    .await?;
    if !incoming(&kind) {
        propose_purchase(&tx.tx, ctx, &t).await?;
    }
    tx.commit().await?;
    Ok(m)
}

/// Under minimum stock and no open request → a draft purchase request bringing the stock back
/// to the minimum (urgent when nothing is left).
async fn propose_purchase<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    t: &tool::Model,
) -> Result<(), AppError> {
    let on_hand = summaries(tx, &[t.id])
        .await?
        .get(&t.id)
        .map(|s| s.0)
        .unwrap_or(0);
    if on_hand >= t.min_stock {
        return Ok(());
    }
    let open = pr::Entity::find()
        .filter(pr::Column::ToolId.eq(t.id))
        .filter(pr::Column::Status.is_in(["brouillon", "demandee", "validee"]))
        .one(tx)
        .await?;
    if open.is_some() {
        return Ok(());
    }
    let now = crate::now();
    let r = pr::ActiveModel {
        tool_id: Set(t.id),
        quantity: Set(t.min_stock - on_hand),
        urgent: Set(on_hand == 0),
        status: Set("brouillon".into()),
        reason: Set(Some(format!(
            "Stock {on_hand} sous le minimum {} (proposition automatique).",
            t.min_stock
        ))),
        requested_by: Set(ctx.actor_login().to_string()),
        decided_by: Set(None),
        decided_at: Set(None),
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
        "tool_purchase_request",
        &r.id.to_string(),
        "create",
        None,
        Some(serde_json::to_value(&r).unwrap_or_default()),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- purchase requests

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PurchaseRequestView {
    pub id: i64,
    pub tool_id: i64,
    pub tool_code: String,
    pub tool_name: String,
    pub quantity: i64,
    pub urgent: bool,
    pub status: String,
    pub status_label: String,
    pub reason: Option<String>,
    pub requested_by: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

pub async fn pr_views(
    db: &Db,
    items: &[pr::Model],
    base: &str,
    english: bool,
) -> Result<Vec<PurchaseRequestView>, AppError> {
    let ids: Vec<i64> = items.iter().map(|r| r.tool_id).collect();
    let tools: HashMap<i64, tool::Model> = tool::Entity::find()
        .filter(tool::Column::Id.is_in(ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    Ok(items
        .iter()
        .map(|r| {
            let t = tools.get(&r.tool_id);
            PurchaseRequestView {
                id: r.id,
                tool_id: r.tool_id,
                tool_code: t.map(|t| t.code.clone()).unwrap_or_default(),
                tool_name: t.map(|t| t.name.clone()).unwrap_or_default(),
                quantity: r.quantity,
                urgent: r.urgent,
                status: r.status.clone(),
                status_label: label(PR_STATUSES, &r.status, english),
                reason: r.reason.clone(),
                requested_by: r.requested_by.clone(),
                decided_by: r.decided_by.clone(),
                decided_at: r.decided_at,
                url: url(base, "tool-purchase-requests", r.id),
                created_at: r.created_at,
                updated_at: r.updated_at,
                version: r.version,
            }
        })
        .collect())
}

pub const PR_SORTABLE: &[&str] = &["created_at", "updated_at", "status", "id"];

#[derive(Debug, Clone, Default)]
pub struct PrFilter {
    pub status: Option<String>,
    pub urgent: Option<bool>,
    pub tool_id: Option<i64>,
}

pub async fn list_requests(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    f: &PrFilter,
) -> Result<Page<pr::Model>, AppError> {
    ctx.require(Module::Tools, Action::Read)?;
    let mut s = pr::Entity::find();
    if let Some(st) = &f.status {
        s = s.filter(pr::Column::Status.eq(st.as_str()));
    }
    if let Some(u) = f.urgent {
        s = s.filter(pr::Column::Urgent.eq(u));
    }
    if let Some(t) = f.tool_id {
        s = s.filter(pr::Column::ToolId.eq(t));
    }
    if let Some(p) = q.like_pattern() {
        s = s.filter(Expr::cust_with_values(
            "tool_id IN (SELECT id FROM tools WHERE LOWER(code) LIKE $1 OR LOWER(name) LIKE $1)",
            [p],
        ));
    }
    let col = |f: &str| match f {
        "created_at" => pr::Column::CreatedAt,
        "updated_at" => pr::Column::UpdatedAt,
        "status" => pr::Column::Status,
        _ => pr::Column::Id,
    };
    s = match &q.sort {
        Some((f, true)) => s.order_by_desc(col(f)).order_by_desc(pr::Column::Id),
        Some((f, false)) => s.order_by_asc(col(f)).order_by_asc(pr::Column::Id),
        None => s.order_by_desc(pr::Column::Id),
    };
    fetch_page(s, q, &db.conn).await
}

pub async fn get_request(db: &Db, ctx: &Ctx, id: i64) -> Result<pr::Model, AppError> {
    ctx.require(Module::Tools, Action::Read)?;
    pr::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("Demande d'achat", "Purchase request"))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PurchaseRequestInput {
    pub tool_id: Option<i64>,
    pub quantity: Option<i64>,
    pub urgent: Option<bool>,
    pub reason: Option<String>,
}

pub async fn create_request(
    db: &Db,
    ctx: &Ctx,
    i: PurchaseRequestInput,
) -> Result<pr::Model, AppError> {
    ctx.require(Module::Tools, Action::Create)?;
    let mut v = Validator::default();
    if i.tool_id.is_none() {
        v.add(
            "tool_id",
            "required",
            "Choisissez l'outil.",
            "Choose the tool.",
        );
    }
    let qty = count(&mut v, "quantity", i.quantity, 1, true);
    let reason = opt_text(&mut v, "reason", &i.reason, 2000);
    v.finish()?;
    let tool_id = i.tool_id.unwrap_or_default();
    if tool::Entity::find_by_id(tool_id)
        .one(&db.conn)
        .await?
        .is_none()
    {
        return Err(AppError::field(
            "tool_id",
            "unknown_tool",
            "Outil introuvable.",
            "Unknown tool.",
        ));
    }
    let now = crate::now();
    let tx = db.write().await?;
    let r = pr::ActiveModel {
        tool_id: Set(tool_id),
        quantity: Set(qty),
        urgent: Set(i.urgent.unwrap_or(false)),
        status: Set("brouillon".into()),
        reason: Set(reason),
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
        &r.id.to_string(),
        "create",
        None,
        Some(serde_json::to_value(&r).unwrap_or_default()),
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

fn next_statuses(from: &str) -> &'static [&'static str] {
    match from {
        "brouillon" => &["demandee"],
        "demandee" => &["validee", "refusee"],
        "validee" => &["commandee"],
        _ => &[],
    }
}

/// Right needed for a transition: deciding on an urgent request is `tools.validate` (direction
/// and admin by default); everything else is `tools.update`.
fn needed(r: &pr::Model, to: &str) -> Action {
    if r.urgent && matches!(to, "validee" | "refusee") {
        Action::Validate
    } else {
        Action::Update
    }
}

pub async fn request_transitions(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    english: bool,
) -> Result<Vec<Transition>, AppError> {
    let r = get_request(db, ctx, id).await?;
    Ok(next_statuses(&r.status)
        .iter()
        .filter(|to| ctx.require(Module::Tools, needed(&r, to)).is_ok())
        .map(|to| Transition {
            to: to.to_string(),
            label: label(PR_STATUSES, to, english),
        })
        .collect())
}

/// The one function that changes a purchase request's status.
pub async fn transition_request(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    t: TransitionRequest,
) -> Result<pr::Model, AppError> {
    ctx.require(Module::Tools, Action::Update)?;
    let r = get_request(db, ctx, id).await?;
    if !PR_STATUSES.iter().any(|s| s.0 == t.to) {
        return Err(AppError::field(
            "to",
            "unknown_status",
            format!("Statut inconnu : « {} ».", t.to),
            format!("Unknown status: “{}”.", t.to),
        ));
    }
    if !next_statuses(&r.status).contains(&t.to.as_str()) {
        return Err(AppError::new(
            Kind::Conflict,
            "illegal_transition",
            format!(
                "Passage impossible de « {} » à « {} ».",
                label(PR_STATUSES, &r.status, false),
                label(PR_STATUSES, &t.to, false)
            ),
            format!(
                "Cannot go from “{}” to “{}”.",
                label(PR_STATUSES, &r.status, true),
                label(PR_STATUSES, &t.to, true)
            ),
        ));
    }
    if needed(&r, &t.to) == Action::Validate {
        ctx.require(Module::Tools, Action::Validate).map_err(|_| {
            AppError::forbidden(
                "Accès refusé : une demande d'achat urgente doit être validée par un responsable (droit « valider » du module Outils).",
                "Access denied: an urgent purchase request must be approved by a manager (“validate” right of the Tools module).",
            )
        })?;
    }
    if t.version != r.version {
        return Err(AppError::stale_version());
    }
    let tx = db.write().await?;
    let decided = matches!(t.to.as_str(), "validee" | "refusee");
    let mut am: pr::ActiveModel = r.clone().into();
    am.status = Set(t.to.clone());
    if decided {
        am.decided_by = Set(Some(ctx.actor_login().to_string()));
        am.decided_at = Set(Some(crate::now()));
    }
    am.updated_at = Set(crate::now());
    am.version = Set(r.version + 1);
    let res = pr::Entity::update_many()
        .set(am)
        .filter(pr::Column::Id.eq(id))
        .filter(pr::Column::Version.eq(t.version))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let new = pr::Entity::find_by_id(id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Demande d'achat", "Purchase request"))?;
    audit::record(
        &tx.tx,
        ctx,
        "tool_purchase_request",
        &id.to_string(),
        "transition",
        Some(serde_json::json!({"status": r.status})),
        Some(serde_json::json!({"status": new.status})),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

// ---------------------------------------------------------------- demo

/// (code, name, type, iso designation, diameter, flutes, coating/grade, price €, min, qty,
///  cutting data [(group, vc, feed)], feed kind)
type DemoTool = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<i32>,
    &'static str,
    &'static str,
    i64,
    i64,
    &'static [(&'static str, &'static str, &'static str)],
    &'static str,
);

const DEMO_TOOLS: &[DemoTool] = &[
    (
        "T01",
        "Plaquette CNMG 120408-PM",
        "plaquette",
        Some("CNMG 120408-PM"),
        None,
        None,
        "CVD P25",
        "14.50",
        20,
        34,
        &[("P", "200", "0.25")],
        "f",
    ),
    (
        "T02",
        "Plaquette CNMG 120408-MM",
        "plaquette",
        Some("CNMG 120408-MM"),
        None,
        None,
        "PVD/CVD M20",
        "15.20",
        10,
        6,
        &[("M", "160", "0.20")],
        "f",
    ),
    (
        "T03",
        "Plaquette DNMG 150608-PM",
        "plaquette",
        Some("DNMG 150608-PM"),
        None,
        None,
        "CVD P25",
        "15.80",
        20,
        25,
        &[("P", "190", "0.22")],
        "f",
    ),
    (
        "T04",
        "Plaquette DNMG 150608-MM",
        "plaquette",
        Some("DNMG 150608-MM"),
        None,
        None,
        "M20",
        "16.20",
        10,
        12,
        &[("M", "150", "0.18")],
        "f",
    ),
    (
        "T05",
        "Plaquette VCMT 160404 polie alu",
        "plaquette",
        Some("VCMT 160404"),
        None,
        None,
        "K10 non revêtu",
        "12.40",
        10,
        14,
        &[("N", "500", "0.12")],
        "f",
    ),
    (
        "T06",
        "Plaquette VCMT 160404 PVD (Ti)",
        "plaquette",
        Some("VCMT 160404"),
        None,
        None,
        "PVD S15",
        "17.90",
        10,
        10,
        &[("M", "100", "0.10"), ("S", "50", "0.10")],
        "f",
    ),
    (
        "T07",
        "Plaquette WNMG 080408-PM",
        "plaquette",
        Some("WNMG 080408-PM"),
        None,
        None,
        "CVD P25",
        "12.90",
        20,
        22,
        &[("P", "200", "0.25"), ("M", "150", "0.20")],
        "f",
    ),
    (
        "T08",
        "Plaquette CCMT 09T304 (alésage)",
        "plaquette",
        Some("CCMT 09T304"),
        None,
        None,
        "PVD P/M",
        "8.90",
        10,
        18,
        &[
            ("P", "170", "0.12"),
            ("M", "130", "0.10"),
            ("N", "300", "0.10"),
            ("S", "45", "0.08"),
        ],
        "f",
    ),
    (
        "T09",
        "Plaquette à gorge L 3 mm R0.2",
        "plaquette",
        None,
        None,
        None,
        "PVD",
        "13.60",
        10,
        11,
        &[
            ("P", "140", "0.08"),
            ("M", "100", "0.06"),
            ("N", "300", "0.10"),
            ("S", "40", "0.05"),
        ],
        "f",
    ),
    (
        "T10",
        "Plaquette à tronçonner L 3 mm",
        "outil_a_saigner",
        None,
        None,
        None,
        "PVD",
        "11.80",
        10,
        12,
        &[
            ("P", "110", "0.06"),
            ("M", "80", "0.05"),
            ("N", "250", "0.08"),
            ("S", "35", "0.04"),
        ],
        "f",
    ),
    (
        "T11",
        "Plaquette filetage 16ER 1.50 ISO",
        "plaquette",
        Some("16ER 1.50 ISO"),
        None,
        None,
        "PVD",
        "16.50",
        10,
        13,
        &[
            ("P", "130", "1.5"),
            ("M", "100", "1.5"),
            ("N", "200", "1.5"),
            ("S", "40", "1.5"),
        ],
        "f",
    ),
    (
        "T12",
        "Porte-outil PCLNR 2525M12",
        "porte_outil",
        Some("PCLNR 2525M12"),
        None,
        None,
        "",
        "145",
        1,
        2,
        &[],
        "f",
    ),
    (
        "T13",
        "Porte-outil PDJNR 2525M15",
        "porte_outil",
        Some("PDJNR 2525M15"),
        None,
        None,
        "",
        "150",
        1,
        2,
        &[],
        "f",
    ),
    (
        "T14",
        "Porte-outil SVJCR 2525M16",
        "porte_outil",
        Some("SVJCR 2525M16"),
        None,
        None,
        "",
        "135",
        1,
        1,
        &[],
        "f",
    ),
    (
        "T15",
        "Porte-outil PWLNR 2525M08",
        "porte_outil",
        Some("PWLNR 2525M08"),
        None,
        None,
        "",
        "140",
        1,
        1,
        &[],
        "f",
    ),
    (
        "T16",
        "Barre d'alésage S20S-SCLCR09",
        "barre_d_alesage",
        Some("S20S-SCLCR09"),
        Some("20"),
        None,
        "acier",
        "165",
        1,
        2,
        &[],
        "f",
    ),
    (
        "T17",
        "Porte-outil filetage SER 2525M16",
        "porte_outil",
        Some("SER 2525M16"),
        None,
        None,
        "",
        "110",
        1,
        2,
        &[],
        "f",
    ),
    (
        "T18",
        "Lame + bloc tronçonnage L 3 mm",
        "outil_a_saigner",
        None,
        None,
        None,
        "",
        "160",
        1,
        1,
        &[],
        "f",
    ),
    (
        "T19",
        "Fraise Ø6 Z3 alu hélice 45°",
        "fraise",
        None,
        Some("6"),
        Some(3),
        "carbure non revêtu",
        "38",
        3,
        5,
        &[("N", "500", "0.045")],
        "fz",
    ),
    (
        "T20",
        "Fraise Ø10 Z3 alu",
        "fraise",
        None,
        Some("10"),
        Some(3),
        "carbure DLC",
        "52",
        3,
        4,
        &[("N", "550", "0.06")],
        "fz",
    ),
    (
        "T21",
        "Fraise Ø16 Z3 alu ébauche",
        "fraise",
        None,
        Some("16"),
        Some(3),
        "carbure",
        "85",
        2,
        2,
        &[("N", "600", "0.10")],
        "fz",
    ),
    (
        "T22",
        "Fraise Ø3 Z4 acier",
        "fraise",
        None,
        Some("3"),
        Some(4),
        "carbure TiAlN",
        "24",
        5,
        2,
        &[
            ("P", "150", "0.012"),
            ("M", "80", "0.010"),
            ("N", "300", "0.015"),
        ],
        "fz",
    ),
    (
        "T23",
        "Fraise Ø6 Z4",
        "fraise",
        None,
        Some("6"),
        Some(4),
        "carbure TiAlN",
        "36",
        4,
        6,
        &[
            ("P", "160", "0.035"),
            ("M", "80", "0.03"),
            ("N", "400", "0.04"),
            ("S", "45", "0.03"),
        ],
        "fz",
    ),
    (
        "T24",
        "Fraise Ø8 Z4",
        "fraise",
        None,
        Some("8"),
        Some(4),
        "carbure TiAlN",
        "44",
        4,
        5,
        &[
            ("P", "160", "0.045"),
            ("M", "80", "0.035"),
            ("N", "400", "0.05"),
            ("S", "45", "0.035"),
        ],
        "fz",
    ),
    (
        "T25",
        "Fraise Ø10 Z4",
        "fraise",
        None,
        Some("10"),
        Some(4),
        "carbure TiAlN",
        "58",
        4,
        7,
        &[
            ("P", "160", "0.05"),
            ("M", "80", "0.04"),
            ("N", "450", "0.06"),
            ("S", "45", "0.04"),
        ],
        "fz",
    ),
    (
        "T26",
        "Fraise Ø12 Z4",
        "fraise",
        None,
        Some("12"),
        Some(4),
        "carbure TiAlN",
        "68",
        3,
        3,
        &[
            ("P", "160", "0.055"),
            ("M", "80", "0.045"),
            ("N", "450", "0.07"),
            ("S", "45", "0.045"),
        ],
        "fz",
    ),
    (
        "T27",
        "Fraise Ø16 Z4",
        "fraise",
        None,
        Some("16"),
        Some(4),
        "carbure TiAlN",
        "98",
        2,
        2,
        &[
            ("P", "150", "0.065"),
            ("M", "75", "0.05"),
            ("N", "450", "0.09"),
            ("S", "45", "0.05"),
        ],
        "fz",
    ),
    (
        "T28",
        "Fraise Ø20 Z4",
        "fraise",
        None,
        Some("20"),
        Some(4),
        "carbure TiAlN",
        "135",
        2,
        2,
        &[
            ("P", "150", "0.07"),
            ("M", "75", "0.055"),
            ("N", "450", "0.10"),
            ("S", "45", "0.055"),
        ],
        "fz",
    ),
    (
        "T29",
        "Fraise Ø10 Z5 pas variable Ti/inox",
        "fraise",
        None,
        Some("10"),
        Some(5),
        "carbure AlCrN",
        "95",
        3,
        4,
        &[
            ("P", "140", "0.05"),
            ("M", "90", "0.045"),
            ("S", "50", "0.045"),
        ],
        "fz",
    ),
    (
        "T30",
        "Fraise à rainurer Ø4 Z2",
        "fraise",
        None,
        Some("4"),
        Some(2),
        "carbure TiAlN",
        "26",
        4,
        5,
        &[
            ("P", "120", "0.02"),
            ("M", "60", "0.015"),
            ("N", "350", "0.03"),
            ("S", "35", "0.015"),
        ],
        "fz",
    ),
    (
        "T31",
        "Fraise hémisphérique Ø6 Z2",
        "fraise",
        None,
        Some("6"),
        Some(2),
        "carbure TiAlN",
        "42",
        2,
        3,
        &[
            ("P", "170", "0.04"),
            ("M", "90", "0.03"),
            ("N", "400", "0.05"),
            ("S", "55", "0.03"),
        ],
        "fz",
    ),
    (
        "T32",
        "Fraise à chanfreiner 90° Ø10 Z4",
        "fraise_a_chanfreiner",
        None,
        Some("10"),
        Some(4),
        "carbure TiAlN",
        "45",
        2,
        3,
        &[
            ("P", "120", "0.03"),
            ("M", "70", "0.025"),
            ("N", "300", "0.04"),
            ("S", "40", "0.02"),
        ],
        "fz",
    ),
    (
        "T33",
        "Fraise à surfacer Ø50 45° 4 plaquettes",
        "fraise_a_surfacer",
        None,
        Some("50"),
        Some(4),
        "corps acier",
        "420",
        1,
        1,
        &[],
        "fz",
    ),
    (
        "T34",
        "Plaquette R245-12 T3 M-PM",
        "plaquette",
        Some("R245-12 T3 M-PM"),
        None,
        None,
        "CVD/PVD P/M",
        "11.50",
        20,
        28,
        &[("P", "250", "0.20"), ("M", "150", "0.15")],
        "fz",
    ),
    (
        "T35",
        "Foret à pointer 90° Ø10",
        "foret_a_centrer",
        None,
        Some("10"),
        Some(2),
        "carbure",
        "38",
        2,
        3,
        &[
            ("P", "80", "0.08"),
            ("M", "50", "0.06"),
            ("N", "150", "0.10"),
            ("S", "30", "0.05"),
        ],
        "f",
    ),
    (
        "T36",
        "Foret Ø3.3 5×D (M4)",
        "foret",
        None,
        Some("3.3"),
        Some(2),
        "carbure TiAlN",
        "42",
        3,
        4,
        &[
            ("P", "90", "0.08"),
            ("M", "50", "0.05"),
            ("N", "150", "0.10"),
            ("S", "35", "0.05"),
        ],
        "f",
    ),
    (
        "T37",
        "Foret Ø4.2 5×D (M5)",
        "foret",
        None,
        Some("4.2"),
        Some(2),
        "carbure TiAlN",
        "45",
        3,
        3,
        &[
            ("P", "90", "0.10"),
            ("M", "50", "0.06"),
            ("N", "150", "0.12"),
            ("S", "35", "0.06"),
        ],
        "f",
    ),
    (
        "T38",
        "Foret Ø5.0 5×D (M6)",
        "foret",
        None,
        Some("5"),
        Some(2),
        "carbure TiAlN",
        "48",
        3,
        4,
        &[
            ("P", "95", "0.12"),
            ("M", "50", "0.07"),
            ("N", "160", "0.14"),
            ("S", "35", "0.07"),
        ],
        "f",
    ),
    (
        "T39",
        "Foret Ø6.8 5×D (M8)",
        "foret",
        None,
        Some("6.8"),
        Some(2),
        "carbure TiAlN",
        "58",
        3,
        1,
        &[
            ("P", "95", "0.15"),
            ("M", "50", "0.09"),
            ("N", "160", "0.18"),
            ("S", "35", "0.08"),
        ],
        "f",
    ),
    (
        "T40",
        "Foret Ø8.5 5×D (M10)",
        "foret",
        None,
        Some("8.5"),
        Some(2),
        "carbure TiAlN",
        "72",
        2,
        2,
        &[
            ("P", "100", "0.18"),
            ("M", "50", "0.10"),
            ("N", "170", "0.22"),
            ("S", "35", "0.09"),
        ],
        "f",
    ),
    (
        "T41",
        "Foret Ø10.2 5×D (M12)",
        "foret",
        None,
        Some("10.2"),
        Some(2),
        "carbure TiAlN",
        "88",
        2,
        3,
        &[
            ("P", "100", "0.20"),
            ("M", "50", "0.12"),
            ("N", "170", "0.25"),
            ("S", "35", "0.10"),
        ],
        "f",
    ),
    (
        "T42",
        "Coffret forets HSS-Co Ø1–13 (DIN 338)",
        "foret",
        None,
        None,
        None,
        "HSS-Co",
        "120",
        1,
        2,
        &[
            ("P", "22", "0.10"),
            ("M", "11", "0.06"),
            ("N", "60", "0.15"),
            ("S", "12", "0.05"),
        ],
        "f",
    ),
    (
        "T43-M6",
        "Taraud machine M6×1 6HX hélice 40°",
        "taraud",
        Some("M6x1 6HX"),
        Some("6"),
        Some(3),
        "HSS-E-PM TiCN",
        "21",
        5,
        6,
        &[
            ("P", "15", "1"),
            ("M", "6", "1"),
            ("N", "30", "1"),
            ("S", "9", "1"),
        ],
        "f",
    ),
    (
        "T43-M8",
        "Taraud machine M8×1.25 6HX hélice 40°",
        "taraud",
        Some("M8x1.25 6HX"),
        Some("8"),
        Some(3),
        "HSS-E-PM TiCN",
        "26",
        5,
        3,
        &[
            ("P", "15", "1.25"),
            ("M", "6", "1.25"),
            ("N", "30", "1.25"),
            ("S", "9", "1.25"),
        ],
        "f",
    ),
    (
        "T44-6",
        "Alésoir Ø6 H7 6 dents",
        "alesoir",
        None,
        Some("6"),
        Some(6),
        "carbure",
        "85",
        1,
        2,
        &[
            ("P", "65", "0.15"),
            ("M", "40", "0.12"),
            ("N", "180", "0.25"),
            ("S", "20", "0.10"),
        ],
        "f",
    ),
    (
        "T44-10",
        "Alésoir Ø10 H7 6 dents",
        "alesoir",
        None,
        Some("10"),
        Some(6),
        "carbure",
        "110",
        1,
        1,
        &[
            ("P", "65", "0.15"),
            ("M", "40", "0.12"),
            ("N", "180", "0.25"),
            ("S", "20", "0.10"),
        ],
        "f",
    ),
    (
        "T46",
        "Foret Ø11 3×D (passage M10)",
        "foret",
        None,
        Some("11"),
        Some(2),
        "carbure TiAlN",
        "79",
        2,
        2,
        &[
            ("P", "100", "0.20"),
            ("M", "50", "0.11"),
            ("N", "170", "0.24"),
            ("S", "35", "0.10"),
        ],
        "f",
    ),
];

/// Demo tool crib (DEMO-SHOP.md §5): tools with their catalogue start values as cutting data
/// (source `fournisseur`), stock in the tool cabinets through `entree` movements.
pub async fn load_demo<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    locations: &[storage_location::Model],
) -> Result<(), AppError> {
    let loc_for = |ty: &str| {
        let code = match ty {
            "plaquette" | "outil_a_saigner" => "A1-T1",
            "fraise" | "fraise_a_chanfreiner" => "A1-T2",
            "foret" | "taraud" | "alesoir" | "foret_a_centrer" => "A1-T3-C2",
            _ => "A2",
        };
        locations
            .iter()
            .find(|l| l.code == code)
            .map(|l| l.id)
            .unwrap_or(locations[0].id)
    };
    let now = crate::now();
    for (code_s, name, ty, iso, dia, flutes, grade, price, min, qty, cuts, feed_kind) in DEMO_TOOLS
    {
        let t = tool::ActiveModel {
            code: Set(code_s.to_string()),
            name: Set(name.to_string()),
            tool_type: Set(ty.to_string()),
            iso_designation: Set(iso.map(str::to_string)),
            diameter_mm: Set(dia.map(str::to_string)),
            cutting_length_mm: Set(None),
            overall_length_mm: Set(None),
            flutes: Set(*flutes),
            coating: Set(None),
            grade: Set(Some(grade.to_string()).filter(|g| !g.is_empty())),
            supplier_id: Set(None),
            supplier_name: Set(Some("Outillage Forézien".into())),
            supplier_ref: Set(iso.map(str::to_string)),
            unit_price_cents: Set(units::parse_decimal(price)
                .and_then(|d| i64::try_from((d * rust_decimal::Decimal::from(100)).round()).ok())),
            min_stock: Set(*min),
            life_unit: Set(if *ty == "fraise" {
                Some("minutes".into())
            } else {
                None
            }),
            life_limit: Set(if *ty == "fraise" { Some(240) } else { None }),
            life_used: Set(0),
            regrind_count: Set(0),
            active: Set(true),
            notes: Set(None),
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
            "tool",
            &t.id.to_string(),
            "create",
            None,
            Some(snapshot(&t)),
        )
        .await?;
        for (g, vc, feed) in cuts.iter() {
            insert_cutting(
                tx,
                t.id,
                cd::ActiveModel {
                    iso_group: Set(g.to_string()),
                    vc_min: Set(Some(vc.to_string())),
                    vc_max: Set(Some(vc.to_string())),
                    feed_kind: Set(feed_kind.to_string()),
                    feed_min: Set(Some(feed.to_string())),
                    feed_max: Set(Some(feed.to_string())),
                    ap_min: Set(None),
                    ap_max: Set(None),
                    ae_min: Set(None),
                    ae_max: Set(None),
                    source: Set("fournisseur".into()),
                    notes: Set(Some("Valeur de départ catalogue (DEMO-SHOP §5)".into())),
                    ..Default::default()
                },
            )
            .await?;
        }
        let line = tool_stock::ActiveModel {
            tool_id: Set(t.id),
            location_id: Set(loc_for(ty)),
            quantity: Set(*qty),
            reserved: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        mv::ActiveModel {
            tool_id: Set(t.id),
            tool_stock_id: Set(line.id),
            kind: Set("entree".into()),
            quantity: Set(*qty),
            qty_before: Set(0),
            qty_after: Set(*qty),
            job_ref: Set(None),
            destination: Set(None),
            reason: Set(Some("Stock initial".into())),
            actor_id: Set(None),
            actor_login: Set(ctx.actor_login().to_string()),
            at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        propose_purchase(tx, ctx, &t).await?;
    }
    Ok(())
}
