//! Materials (module `materials`): grades with their equivalents, heat lots with EN 10204
//! certificates, stock items (bars, plates, tubes, offcuts), the movement ledger, the offcut-first
//! stock suggestion, minimum stock alerts and the storage suggestion.

use super::ledger::{self, Line};
use super::locations;
use super::{
    Codes, ISO_GROUPS, code, count, label, merge, opt_dec, opt_text, req_dec, req_text, trimmed,
    url,
};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::listing::{ListQuery, Page, fetch_page};
use crate::rights::{Action, Module};
use crate::units;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use usinage_engines::stock as engine;
use usinage_store::Db;
use usinage_store::entities::{
    material_grade as grade, material_lot as lot, material_minimum as minimum,
    material_movement as mv, material_stock as item, storage_location,
};

pub const SHAPES: Codes = &[
    ("rond", "Rond", "Round bar"),
    ("carre", "Carré", "Square bar"),
    ("hexagone", "Hexagone", "Hexagon bar"),
    ("plat", "Plat", "Flat bar"),
    ("tube", "Tube", "Tube"),
    ("tole", "Tôle", "Plate"),
];

pub const CERTIFICATES: Codes = &[
    ("aucun", "Aucun", "None"),
    ("2.2", "EN 10204 2.2", "EN 10204 2.2"),
    ("3.1", "EN 10204 3.1", "EN 10204 3.1"),
    ("3.2", "EN 10204 3.2", "EN 10204 3.2"),
];

pub const MOVEMENT_KINDS: Codes = &[
    ("entree", "Entrée", "Receipt"),
    ("sortie", "Sortie / débit", "Issue / cut"),
    ("chute", "Chute créée", "Offcut created"),
    ("rebut", "Rebut", "Scrap"),
    ("inventaire", "Inventaire", "Stock count"),
];

fn active_status(active: bool, english: bool) -> (String, String) {
    let (s, l) = match (active, english) {
        (true, false) => ("actif", "Actif"),
        (true, true) => ("actif", "Active"),
        (false, false) => ("inactif", "Inactif"),
        (false, true) => ("inactif", "Inactive"),
    };
    (s.into(), l.into())
}

fn snap<T: Serialize>(m: &T) -> serde_json::Value {
    let mut v = serde_json::to_value(m).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        for k in ["id", "created_at", "updated_at", "version"] {
            o.remove(k);
        }
    }
    v
}

// ================================================================ grades

pub const GRADE_SORTABLE: &[&str] = &[
    "code",
    "afnor",
    "iso_group",
    "created_at",
    "updated_at",
    "id",
];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GradeView {
    pub id: i64,
    pub code: String,
    /// AFNOR / common designation, e.g. "X2CrNi18-9 / 304L".
    pub afnor: String,
    /// EN number, e.g. 1.4307.
    pub en_number: Option<String>,
    pub en_name: Option<String>,
    pub aisi: Option<String>,
    pub din: Option<String>,
    pub iso_group: String,
    pub iso_group_label: String,
    /// kg/dm³
    pub density: String,
    pub hardness: Option<String>,
    /// Machinability index (%).
    pub machinability: Option<String>,
    pub active: bool,
    pub status: String,
    pub status_label: String,
    pub notes: Option<String>,
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

pub fn grade_view(g: &grade::Model, base: &str, english: bool) -> GradeView {
    let (status, status_label) = active_status(g.active, english);
    GradeView {
        id: g.id,
        code: g.code.clone(),
        afnor: g.afnor.clone(),
        en_number: g.en_number.clone(),
        en_name: g.en_name.clone(),
        aisi: g.aisi.clone(),
        din: g.din.clone(),
        iso_group: g.iso_group.clone(),
        iso_group_label: label(ISO_GROUPS, &g.iso_group, english),
        density: g.density.clone(),
        hardness: g.hardness.clone(),
        machinability: g.machinability.clone(),
        active: g.active,
        status,
        status_label,
        notes: g.notes.clone(),
        url: url(base, "materials", g.id),
        created_at: g.created_at,
        updated_at: g.updated_at,
        version: g.version,
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct GradeInput {
    pub code: Option<String>,
    pub afnor: Option<String>,
    pub en_number: Option<String>,
    pub en_name: Option<String>,
    pub aisi: Option<String>,
    pub din: Option<String>,
    /// P, M, K, N, S, H
    pub iso_group: Option<String>,
    /// kg/dm³, e.g. "7.85"
    pub density: Option<String>,
    pub hardness: Option<String>,
    pub machinability: Option<String>,
    pub active: Option<bool>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct GradePatch {
    pub version: i32,
    #[serde(flatten)]
    pub fields: GradeInput,
}

fn validate_grade(i: &GradeInput) -> Result<grade::ActiveModel, AppError> {
    let mut v = Validator::default();
    let code_s = req_text(
        &mut v,
        "code",
        &i.code.as_ref().map(|c| c.to_uppercase()),
        40,
    );
    let afnor = req_text(&mut v, "afnor", &i.afnor, 100);
    let en_number = opt_text(&mut v, "en_number", &i.en_number, 20);
    if let Some(n) = &en_number
        && !(n.len() == 6
            && n.as_bytes()[1] == b'.'
            && n.chars()
                .enumerate()
                .all(|(k, c)| k == 1 || c.is_ascii_digit()))
    {
        v.add(
            "en_number",
            "invalid_en_number",
            "Numéro EN attendu sous la forme 1.4307.",
            "EN number expected as 1.4307.",
        );
    }
    let en_name = opt_text(&mut v, "en_name", &i.en_name, 100);
    let aisi = opt_text(&mut v, "aisi", &i.aisi, 40);
    let din = opt_text(&mut v, "din", &i.din, 40);
    let g = code(&mut v, "iso_group", &i.iso_group, ISO_GROUPS, true);
    let density = req_dec(&mut v, "density", &i.density, 3, "25");
    let hardness = opt_text(&mut v, "hardness", &i.hardness, 60);
    let mach = opt_dec(&mut v, "machinability", &i.machinability, 1, "1000");
    let notes = opt_text(&mut v, "notes", &i.notes, 4000);
    v.finish()?;
    Ok(grade::ActiveModel {
        code: Set(code_s),
        afnor: Set(afnor),
        en_number: Set(en_number),
        en_name: Set(en_name),
        aisi: Set(aisi),
        din: Set(din),
        iso_group: Set(g.unwrap_or_default()),
        density: Set(density.map(|d| d.to_string()).unwrap_or_default()),
        hardness: Set(hardness),
        machinability: Set(mach),
        active: Set(i.active.unwrap_or(true)),
        notes: Set(notes),
        ..Default::default()
    })
}

async fn grade_code_free<C: ConnectionTrait>(
    db: &C,
    code: &str,
    except: Option<i64>,
) -> Result<(), AppError> {
    let mut s = grade::Entity::find().filter(grade::Column::Code.eq(code));
    if let Some(id) = except {
        s = s.filter(grade::Column::Id.ne(id));
    }
    if s.one(db).await?.is_some() {
        return Err(AppError::field(
            "code",
            "code_taken",
            format!("Le code matière « {code} » est déjà utilisé."),
            format!("The material code “{code}” is already used."),
        ));
    }
    Ok(())
}

pub async fn list_grades(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    iso_group: Option<String>,
) -> Result<Page<grade::Model>, AppError> {
    ctx.require(Module::Materials, Action::Read)?;
    let mut s = grade::Entity::find();
    if let Some(g) = iso_group {
        s = s.filter(grade::Column::IsoGroup.eq(g));
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: grade::Column| Expr::expr(Func::lower(Expr::col(c))).like(p.clone());
        s = s.filter(
            like(grade::Column::Code)
                .or(like(grade::Column::Afnor))
                .or(like(grade::Column::EnNumber))
                .or(like(grade::Column::EnName))
                .or(like(grade::Column::Aisi))
                .or(like(grade::Column::Din)),
        );
    }
    let col = |f: &str| match f {
        "code" => grade::Column::Code,
        "afnor" => grade::Column::Afnor,
        "iso_group" => grade::Column::IsoGroup,
        "created_at" => grade::Column::CreatedAt,
        "updated_at" => grade::Column::UpdatedAt,
        _ => grade::Column::Id,
    };
    s = match &q.sort {
        Some((f, true)) => s.order_by_desc(col(f)).order_by_desc(grade::Column::Id),
        Some((f, false)) => s.order_by_asc(col(f)).order_by_asc(grade::Column::Id),
        None => s.order_by_asc(grade::Column::Code),
    };
    fetch_page(s, q, &db.conn).await
}

pub async fn get_grade(db: &Db, ctx: &Ctx, id: i64) -> Result<grade::Model, AppError> {
    ctx.require(Module::Materials, Action::Read)?;
    find_grade(&db.conn, id).await
}

async fn find_grade<C: ConnectionTrait>(db: &C, id: i64) -> Result<grade::Model, AppError> {
    grade::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Matière", "Material grade"))
}

pub async fn create_grade(db: &Db, ctx: &Ctx, i: GradeInput) -> Result<grade::Model, AppError> {
    ctx.require(Module::Materials, Action::Create)?;
    validate_grade(&i)?;
    let tx = db.write().await?;
    let g = create_grade_in(&tx.tx, ctx, &i).await?;
    tx.commit().await?;
    Ok(g)
}

/// Validates and inserts one grade inside the caller's transaction (create endpoint and
/// imports); the caller checks the right.
pub async fn create_grade_in<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    i: &GradeInput,
) -> Result<grade::Model, AppError> {
    let mut am = validate_grade(i)?;
    grade_code_free(tx, am.code.as_ref(), None).await?;
    let now = crate::now();
    am.created_at = Set(now);
    am.updated_at = Set(now);
    am.version = Set(1);
    let g = am.insert(tx).await?;
    audit::record(
        tx,
        ctx,
        "material_grade",
        &g.id.to_string(),
        "create",
        None,
        Some(snap(&g)),
    )
    .await?;
    Ok(g)
}

pub async fn update_grade(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    p: GradePatch,
) -> Result<grade::Model, AppError> {
    ctx.require(Module::Materials, Action::Update)?;
    let cur = find_grade(&db.conn, id).await?;
    let f = p.fields;
    let merged = GradeInput {
        code: Some(f.code.unwrap_or(cur.code.clone())),
        afnor: Some(f.afnor.unwrap_or(cur.afnor.clone())),
        en_number: merge(&f.en_number, &cur.en_number),
        en_name: merge(&f.en_name, &cur.en_name),
        aisi: merge(&f.aisi, &cur.aisi),
        din: merge(&f.din, &cur.din),
        iso_group: Some(f.iso_group.unwrap_or(cur.iso_group.clone())),
        density: Some(f.density.unwrap_or(cur.density.clone())),
        hardness: merge(&f.hardness, &cur.hardness),
        machinability: merge(&f.machinability, &cur.machinability),
        active: Some(f.active.unwrap_or(cur.active)),
        notes: merge(&f.notes, &cur.notes),
    };
    let mut am = validate_grade(&merged)?;
    if p.version != cur.version {
        return Err(AppError::stale_version());
    }
    grade_code_free(&db.conn, am.code.as_ref(), Some(id)).await?;
    am.id = Set(id);
    am.created_at = Set(cur.created_at);
    am.updated_at = Set(crate::now());
    am.version = Set(cur.version + 1);
    let tx = db.write().await?;
    let res = grade::Entity::update_many()
        .set(am)
        .filter(grade::Column::Id.eq(id))
        .filter(grade::Column::Version.eq(p.version))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let new = find_grade(&tx.tx, id).await?;
    audit::record(
        &tx.tx,
        ctx,
        "material_grade",
        &id.to_string(),
        "update",
        Some(snap(&cur)),
        Some(snap(&new)),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

// ================================================================ lots

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LotView {
    pub id: i64,
    pub grade_id: i64,
    pub grade_code: String,
    pub heat_number: String,
    pub supplier_name: Option<String>,
    /// aucun, 2.2, 3.1, 3.2 (EN 10204)
    pub certificate_type: String,
    pub certificate_label: String,
    pub certificate_ref: Option<String>,
    /// Certified material (3.1/3.2 certificate on file): kept for parts that require it.
    pub certified: bool,
    pub notes: Option<String>,
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

pub async fn lot_views(
    db: &Db,
    items: &[lot::Model],
    base: &str,
    english: bool,
) -> Result<Vec<LotView>, AppError> {
    let grades = grade_codes(db).await?;
    Ok(items
        .iter()
        .map(|l| LotView {
            id: l.id,
            grade_id: l.grade_id,
            grade_code: grades.get(&l.grade_id).cloned().unwrap_or_default(),
            heat_number: l.heat_number.clone(),
            supplier_name: l.supplier_name.clone(),
            certificate_type: l.certificate_type.clone(),
            certificate_label: label(CERTIFICATES, &l.certificate_type, english),
            certificate_ref: l.certificate_ref.clone(),
            certified: l.certified,
            notes: l.notes.clone(),
            url: url(base, "material-lots", l.id),
            created_at: l.created_at,
            updated_at: l.updated_at,
            version: l.version,
        })
        .collect())
}

pub(crate) async fn grade_codes(db: &Db) -> Result<HashMap<i64, String>, AppError> {
    Ok(grade::Entity::find()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g.code))
        .collect())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct LotInput {
    pub grade_id: Option<i64>,
    pub heat_number: Option<String>,
    pub supplier_name: Option<String>,
    /// aucun, 2.2, 3.1, 3.2
    pub certificate_type: Option<String>,
    pub certificate_ref: Option<String>,
    /// Defaults to true for a 3.1/3.2 certificate with its reference.
    pub certified: Option<bool>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct LotPatch {
    pub version: i32,
    #[serde(flatten)]
    pub fields: LotInput,
}

fn validate_lot(i: &LotInput) -> Result<lot::ActiveModel, AppError> {
    let mut v = Validator::default();
    if i.grade_id.is_none() {
        v.add(
            "grade_id",
            "required",
            "Choisissez la matière.",
            "Choose the material grade.",
        );
    }
    let heat = req_text(&mut v, "heat_number", &i.heat_number, 100);
    let supplier = opt_text(&mut v, "supplier_name", &i.supplier_name, 200);
    let cert = code(
        &mut v,
        "certificate_type",
        &Some(trimmed(&i.certificate_type).unwrap_or("aucun".into())),
        CERTIFICATES,
        true,
    )
    .unwrap_or_default();
    let cref = opt_text(&mut v, "certificate_ref", &i.certificate_ref, 200);
    let can_certify = matches!(cert.as_str(), "3.1" | "3.2") && cref.is_some();
    let certified = i.certified.unwrap_or(can_certify);
    if certified && !can_certify {
        v.add(
            "certified",
            "certificate_missing",
            "Une matière certifiée exige un certificat EN 10204 3.1 ou 3.2 et sa référence.",
            "Certified material requires an EN 10204 3.1 or 3.2 certificate and its reference.",
        );
    }
    let notes = opt_text(&mut v, "notes", &i.notes, 4000);
    v.finish()?;
    Ok(lot::ActiveModel {
        grade_id: Set(i.grade_id.unwrap_or_default()),
        heat_number: Set(heat),
        supplier_name: Set(supplier),
        certificate_type: Set(cert),
        certificate_ref: Set(cref),
        certified: Set(certified),
        notes: Set(notes),
        ..Default::default()
    })
}

pub const LOT_SORTABLE: &[&str] = &["heat_number", "created_at", "updated_at", "id"];

pub async fn list_lots(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    grade_id: Option<i64>,
    certified: Option<bool>,
) -> Result<Page<lot::Model>, AppError> {
    ctx.require(Module::Materials, Action::Read)?;
    let mut s = lot::Entity::find();
    if let Some(g) = grade_id {
        s = s.filter(lot::Column::GradeId.eq(g));
    }
    if let Some(c) = certified {
        s = s.filter(lot::Column::Certified.eq(c));
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: lot::Column| Expr::expr(Func::lower(Expr::col(c))).like(p.clone());
        s = s.filter(
            like(lot::Column::HeatNumber)
                .or(like(lot::Column::SupplierName))
                .or(like(lot::Column::CertificateRef)),
        );
    }
    let col = |f: &str| match f {
        "heat_number" => lot::Column::HeatNumber,
        "created_at" => lot::Column::CreatedAt,
        "updated_at" => lot::Column::UpdatedAt,
        _ => lot::Column::Id,
    };
    s = match &q.sort {
        Some((f, true)) => s.order_by_desc(col(f)).order_by_desc(lot::Column::Id),
        Some((f, false)) => s.order_by_asc(col(f)).order_by_asc(lot::Column::Id),
        None => s.order_by_desc(lot::Column::Id),
    };
    fetch_page(s, q, &db.conn).await
}

pub async fn get_lot(db: &Db, ctx: &Ctx, id: i64) -> Result<lot::Model, AppError> {
    ctx.require(Module::Materials, Action::Read)?;
    lot::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("Lot matière", "Material lot"))
}

async fn lot_unique(
    db: &Db,
    grade_id: i64,
    heat: &str,
    except: Option<i64>,
) -> Result<(), AppError> {
    if grade::Entity::find_by_id(grade_id)
        .one(&db.conn)
        .await?
        .is_none()
    {
        return Err(AppError::field(
            "grade_id",
            "unknown_grade",
            "Matière introuvable.",
            "Unknown material grade.",
        ));
    }
    let mut s = lot::Entity::find()
        .filter(lot::Column::GradeId.eq(grade_id))
        .filter(lot::Column::HeatNumber.eq(heat));
    if let Some(id) = except {
        s = s.filter(lot::Column::Id.ne(id));
    }
    if s.one(&db.conn).await?.is_some() {
        return Err(AppError::field(
            "heat_number",
            "heat_taken",
            format!("La coulée « {heat} » existe déjà pour cette matière."),
            format!("Heat “{heat}” already exists for this grade."),
        ));
    }
    Ok(())
}

pub async fn create_lot(db: &Db, ctx: &Ctx, i: LotInput) -> Result<lot::Model, AppError> {
    ctx.require(Module::Materials, Action::Create)?;
    let mut am = validate_lot(&i)?;
    lot_unique(db, *am.grade_id.as_ref(), am.heat_number.as_ref(), None).await?;
    let now = crate::now();
    am.created_at = Set(now);
    am.updated_at = Set(now);
    am.version = Set(1);
    let tx = db.write().await?;
    let l = am.insert(&tx.tx).await?;
    audit::record(
        &tx.tx,
        ctx,
        "material_lot",
        &l.id.to_string(),
        "create",
        None,
        Some(snap(&l)),
    )
    .await?;
    tx.commit().await?;
    Ok(l)
}

pub async fn update_lot(db: &Db, ctx: &Ctx, id: i64, p: LotPatch) -> Result<lot::Model, AppError> {
    ctx.require(Module::Materials, Action::Update)?;
    let cur = get_lot(db, ctx, id).await?;
    let f = p.fields;
    let merged = LotInput {
        grade_id: Some(cur.grade_id),
        heat_number: Some(f.heat_number.unwrap_or(cur.heat_number.clone())),
        supplier_name: merge(&f.supplier_name, &cur.supplier_name),
        certificate_type: Some(f.certificate_type.unwrap_or(cur.certificate_type.clone())),
        certificate_ref: merge(&f.certificate_ref, &cur.certificate_ref),
        certified: f.certified.or(Some(cur.certified)),
        notes: merge(&f.notes, &cur.notes),
    };
    let mut am = validate_lot(&merged)?;
    if p.version != cur.version {
        return Err(AppError::stale_version());
    }
    lot_unique(db, cur.grade_id, am.heat_number.as_ref(), Some(id)).await?;
    am.id = Set(id);
    am.created_at = Set(cur.created_at);
    am.updated_at = Set(crate::now());
    am.version = Set(cur.version + 1);
    let tx = db.write().await?;
    let res = lot::Entity::update_many()
        .set(am)
        .filter(lot::Column::Id.eq(id))
        .filter(lot::Column::Version.eq(p.version))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let new = lot::Entity::find_by_id(id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Lot matière", "Material lot"))?;
    audit::record(
        &tx.tx,
        ctx,
        "material_lot",
        &id.to_string(),
        "update",
        Some(snap(&cur)),
        Some(snap(&new)),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

// ================================================================ stock items

pub const STOCK_SORTABLE: &[&str] = &["diameter_mm", "length_mm", "created_at", "updated_at", "id"];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StockItemView {
    pub id: i64,
    pub label: Option<String>,
    pub grade_id: i64,
    pub grade_code: String,
    pub grade_name: String,
    pub iso_group: String,
    pub lot_id: Option<i64>,
    pub heat_number: Option<String>,
    pub certificate_type: Option<String>,
    /// From the lot: certified stock is kept for parts that require it.
    pub certified: bool,
    pub shape: String,
    pub shape_label: String,
    /// Diameter, side or thickness (mm).
    pub diameter_mm: String,
    pub width_mm: Option<String>,
    pub wall_mm: Option<String>,
    /// Length of one piece (mm).
    pub length_mm: String,
    /// Pieces on hand.
    pub quantity: i64,
    /// Pieces reserved for jobs.
    pub reserved: i64,
    /// quantity − reserved.
    pub available: i64,
    pub location_id: Option<i64>,
    pub location_code: Option<String>,
    /// € per kg, "7.60".
    pub cost_per_kg: Option<String>,
    pub is_offcut: bool,
    pub parent_id: Option<i64>,
    pub active: bool,
    pub status: String,
    pub status_label: String,
    pub notes: Option<String>,
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

pub async fn stock_views(
    db: &Db,
    items: &[item::Model],
    base: &str,
    english: bool,
) -> Result<Vec<StockItemView>, AppError> {
    let grades: HashMap<i64, grade::Model> = grade::Entity::find()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let lot_ids: Vec<i64> = items.iter().filter_map(|i| i.lot_id).collect();
    let lots: HashMap<i64, lot::Model> = lot::Entity::find()
        .filter(lot::Column::Id.is_in(lot_ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let locs: HashMap<i64, String> = super::locations::codes(db).await?;
    Ok(items
        .iter()
        .map(|i| {
            let g = grades.get(&i.grade_id);
            let l = i.lot_id.and_then(|id| lots.get(&id));
            let (status, status_label) = active_status(i.active, english);
            StockItemView {
                id: i.id,
                label: i.label.clone(),
                grade_id: i.grade_id,
                grade_code: g.map(|g| g.code.clone()).unwrap_or_default(),
                grade_name: g.map(|g| g.afnor.clone()).unwrap_or_default(),
                iso_group: g.map(|g| g.iso_group.clone()).unwrap_or_default(),
                lot_id: i.lot_id,
                heat_number: l.map(|l| l.heat_number.clone()),
                certificate_type: l.map(|l| l.certificate_type.clone()),
                certified: l.is_some_and(|l| l.certified),
                shape: i.shape.clone(),
                shape_label: label(SHAPES, &i.shape, english),
                diameter_mm: i.diameter_mm.clone(),
                width_mm: i.width_mm.clone(),
                wall_mm: i.wall_mm.clone(),
                length_mm: i.length_mm.clone(),
                quantity: i.quantity,
                reserved: i.reserved,
                available: i.quantity - i.reserved,
                location_id: i.location_id,
                location_code: i.location_id.and_then(|id| locs.get(&id).cloned()),
                cost_per_kg: i.cost_per_kg_cents.map(units::cents_to_string),
                is_offcut: i.is_offcut,
                parent_id: i.parent_id,
                active: i.active,
                status,
                status_label,
                notes: i.notes.clone(),
                url: url(base, "material-stock", i.id),
                created_at: i.created_at,
                updated_at: i.updated_at,
                version: i.version,
            }
        })
        .collect())
}

#[derive(Debug, Clone, Default)]
pub struct StockFilter {
    pub grade_id: Option<i64>,
    pub shape: Option<String>,
    pub is_offcut: Option<bool>,
    pub location_id: Option<i64>,
    pub available_only: bool,
}

pub async fn list_stock(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    f: &StockFilter,
) -> Result<Page<item::Model>, AppError> {
    ctx.require(Module::Materials, Action::Read)?;
    let mut s = item::Entity::find();
    if let Some(g) = f.grade_id {
        s = s.filter(item::Column::GradeId.eq(g));
    }
    if let Some(sh) = &f.shape {
        s = s.filter(item::Column::Shape.eq(sh.as_str()));
    }
    if let Some(o) = f.is_offcut {
        s = s.filter(item::Column::IsOffcut.eq(o));
    }
    if let Some(l) = f.location_id {
        s = s.filter(item::Column::LocationId.eq(l));
    }
    if f.available_only {
        s = s.filter(Expr::col(item::Column::Quantity).gt(Expr::col(item::Column::Reserved)));
    }
    if let Some(p) = q.like_pattern() {
        s = s.filter(
            Expr::expr(Func::lower(Expr::col(item::Column::Label))).like(p.clone()).or(Expr::cust_with_values(
                "grade_id IN (SELECT id FROM material_grades WHERE LOWER(code) LIKE $1 OR LOWER(afnor) LIKE $1 OR LOWER(COALESCE(en_number, '')) LIKE $1)",
                [p.clone()],
            )),
        );
    }
    let col = |f: &str| match f {
        "diameter_mm" => item::Column::DiameterMm,
        "length_mm" => item::Column::LengthMm,
        "created_at" => item::Column::CreatedAt,
        "updated_at" => item::Column::UpdatedAt,
        _ => item::Column::Id,
    };
    s = match &q.sort {
        Some((f, true)) => s.order_by_desc(col(f)).order_by_desc(item::Column::Id),
        Some((f, false)) => s.order_by_asc(col(f)).order_by_asc(item::Column::Id),
        None => s
            .order_by_asc(item::Column::GradeId)
            .order_by_asc(item::Column::Id),
    };
    fetch_page(s, q, &db.conn).await
}

pub async fn get_stock(db: &Db, ctx: &Ctx, id: i64) -> Result<item::Model, AppError> {
    ctx.require(Module::Materials, Action::Read)?;
    find_item(&db.conn, id).await
}

async fn find_item<C: ConnectionTrait>(db: &C, id: i64) -> Result<item::Model, AppError> {
    item::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Article de stock matière", "Material stock item"))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct StockItemInput {
    pub label: Option<String>,
    pub grade_id: Option<i64>,
    pub lot_id: Option<i64>,
    /// rond, carre, hexagone, plat, tube, tole
    pub shape: Option<String>,
    /// Diameter, side or thickness (mm).
    pub diameter_mm: Option<String>,
    pub width_mm: Option<String>,
    pub wall_mm: Option<String>,
    /// Length of one piece (mm).
    pub length_mm: Option<String>,
    /// Pieces received (an `entree` movement), ≥ 0.
    pub quantity: Option<i64>,
    pub location_id: Option<i64>,
    /// "7.60" € per kg
    pub cost_per_kg: Option<String>,
    pub is_offcut: Option<bool>,
    pub notes: Option<String>,
}

/// Editable fields of a stock item; quantities change only through movements.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct StockItemPatch {
    pub version: i32,
    pub label: Option<String>,
    pub location_id: Option<i64>,
    pub cost_per_kg: Option<String>,
    pub active: Option<bool>,
    pub notes: Option<String>,
}

async fn check_location<C: ConnectionTrait>(
    db: &C,
    v: &mut Validator,
    id: Option<i64>,
) -> Result<(), AppError> {
    if let Some(l) = id
        && storage_location::Entity::find_by_id(l)
            .one(db)
            .await?
            .is_none_or(|l| !l.active)
    {
        v.add(
            "location_id",
            "unknown_location",
            "Emplacement introuvable ou inactif.",
            "Unknown or inactive location.",
        );
    }
    Ok(())
}

pub async fn create_stock(db: &Db, ctx: &Ctx, i: StockItemInput) -> Result<item::Model, AppError> {
    ctx.require(Module::Materials, Action::Create)?;
    let tx = db.write().await?;
    let m = create_stock_in(&tx.tx, ctx, &i).await?;
    tx.commit().await?;
    Ok(m)
}

/// Validates and inserts one stock item (and its reception movement) inside the caller's
/// transaction (create endpoint and imports); the caller checks the right.
pub async fn create_stock_in(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    i: &StockItemInput,
) -> Result<item::Model, AppError> {
    let mut v = Validator::default();
    let label_s = opt_text(&mut v, "label", &i.label, 40);
    if i.grade_id.is_none() {
        v.add(
            "grade_id",
            "required",
            "Choisissez la matière.",
            "Choose the material grade.",
        );
    }
    let shape = code(&mut v, "shape", &i.shape, SHAPES, true).unwrap_or_default();
    let dia = req_dec(&mut v, "diameter_mm", &i.diameter_mm, 3, "3000");
    let width = opt_dec(&mut v, "width_mm", &i.width_mm, 3, "3000");
    let wall = opt_dec(&mut v, "wall_mm", &i.wall_mm, 3, "500");
    if shape == "tube" && wall.is_none() {
        v.add(
            "wall_mm",
            "required",
            "Donnez l'épaisseur de paroi du tube.",
            "Give the tube wall thickness.",
        );
    }
    if matches!(shape.as_str(), "plat" | "tole") && width.is_none() {
        v.add(
            "width_mm",
            "required",
            "Donnez la largeur du plat ou de la tôle.",
            "Give the width of the flat bar or plate.",
        );
    }
    let length = req_dec(&mut v, "length_mm", &i.length_mm, 3, "20000");
    let qty = count(&mut v, "quantity", i.quantity, 0, true);
    let cost =
        trimmed(&i.cost_per_kg).and_then(|c| units::money_field(&mut v, "cost_per_kg", &c, false));
    let notes = opt_text(&mut v, "notes", &i.notes, 4000);
    check_location(tx, &mut v, i.location_id).await?;
    if let Some(g) = i.grade_id
        && grade::Entity::find_by_id(g).one(tx).await?.is_none()
    {
        v.add(
            "grade_id",
            "unknown_grade",
            "Matière introuvable.",
            "Unknown material grade.",
        );
    }
    if let Some(l) = i.lot_id {
        match lot::Entity::find_by_id(l).one(tx).await? {
            None => v.add("lot_id", "unknown_lot", "Lot introuvable.", "Unknown lot."),
            Some(l) if Some(l.grade_id) != i.grade_id => v.add(
                "lot_id",
                "lot_grade_mismatch",
                "Ce lot appartient à une autre matière.",
                "This lot belongs to another grade.",
            ),
            Some(_) => {}
        }
    }
    v.finish()?;
    let now = crate::now();
    let m = item::ActiveModel {
        label: Set(label_s),
        grade_id: Set(i.grade_id.unwrap_or_default()),
        lot_id: Set(i.lot_id),
        shape: Set(shape),
        diameter_mm: Set(dia.map(|d| d.to_string()).unwrap_or_default()),
        width_mm: Set(width),
        wall_mm: Set(wall),
        length_mm: Set(length.map(|d| d.to_string()).unwrap_or_default()),
        quantity: Set(0),
        reserved: Set(0),
        location_id: Set(i.location_id),
        cost_per_kg_cents: Set(cost),
        is_offcut: Set(i.is_offcut.unwrap_or(false)),
        parent_id: Set(None),
        active: Set(true),
        notes: Set(notes),
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
        "material_stock",
        &m.id.to_string(),
        "create",
        None,
        Some(snap(&m)),
    )
    .await?;
    if qty > 0 {
        record_movement(tx, ctx, &m, "entree", qty, None, Some("Réception".into())).await?;
    }
    find_item(tx, m.id).await
}

pub async fn update_stock(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    p: StockItemPatch,
) -> Result<item::Model, AppError> {
    ctx.require(Module::Materials, Action::Update)?;
    let cur = find_item(&db.conn, id).await?;
    let mut v = Validator::default();
    let label_s = match &p.label {
        Some(_) => opt_text(&mut v, "label", &p.label, 40),
        None => cur.label.clone(),
    };
    let cost = match trimmed(&p.cost_per_kg) {
        Some(c) => units::money_field(&mut v, "cost_per_kg", &c, false),
        None if p.cost_per_kg.is_some() => None,
        None => cur.cost_per_kg_cents,
    };
    let notes = match &p.notes {
        Some(_) => opt_text(&mut v, "notes", &p.notes, 4000),
        None => cur.notes.clone(),
    };
    check_location(&db.conn, &mut v, p.location_id).await?;
    v.finish()?;
    if p.version != cur.version {
        return Err(AppError::stale_version());
    }
    let tx = db.write().await?;
    // Only descriptive columns: quantity and reserved are never part of this UPDATE.
    let res = item::Entity::update_many()
        .col_expr(item::Column::Label, Expr::value(label_s))
        .col_expr(
            item::Column::LocationId,
            Expr::value(p.location_id.or(cur.location_id)),
        )
        .col_expr(item::Column::CostPerKgCents, Expr::value(cost))
        .col_expr(item::Column::Notes, Expr::value(notes))
        .col_expr(
            item::Column::Active,
            Expr::value(p.active.unwrap_or(cur.active)),
        )
        .col_expr(item::Column::UpdatedAt, Expr::value(crate::now()))
        .col_expr(item::Column::Version, Expr::value(cur.version + 1))
        .filter(item::Column::Id.eq(id))
        .filter(item::Column::Version.eq(p.version))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let new = find_item(&tx.tx, id).await?;
    audit::record(
        &tx.tx,
        ctx,
        "material_stock",
        &id.to_string(),
        "update",
        Some(snap(&cur)),
        Some(snap(&new)),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

// ================================================================ movements

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MaterialMovementView {
    pub id: i64,
    pub stock_id: i64,
    pub grade_id: i64,
    pub location_id: Option<i64>,
    pub kind: String,
    pub kind_label: String,
    pub quantity: i64,
    pub qty_before: i64,
    pub qty_after: i64,
    pub job_ref: Option<String>,
    pub reason: Option<String>,
    pub actor_login: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

pub fn movement_view(m: &mv::Model, english: bool) -> MaterialMovementView {
    MaterialMovementView {
        id: m.id,
        stock_id: m.stock_id,
        grade_id: m.grade_id,
        location_id: m.location_id,
        kind: m.kind.clone(),
        kind_label: label(MOVEMENT_KINDS, &m.kind, english),
        quantity: m.quantity,
        qty_before: m.qty_before,
        qty_after: m.qty_after,
        job_ref: m.job_ref.clone(),
        reason: m.reason.clone(),
        actor_login: m.actor_login.clone(),
        at: m.at,
    }
}

pub async fn movements(
    db: &Db,
    ctx: &Ctx,
    stock_id: i64,
    q: &ListQuery,
) -> Result<Page<mv::Model>, AppError> {
    get_stock(db, ctx, stock_id).await?;
    fetch_page(
        mv::Entity::find()
            .filter(mv::Column::StockId.eq(stock_id))
            .order_by_desc(mv::Column::Id),
        q,
        &db.conn,
    )
    .await
}

/// Changes a stock item through the ledger and writes its movement row.
async fn record_movement(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    it: &item::Model,
    kind: &str,
    qty: i64,
    job: Option<String>,
    reason: Option<String>,
) -> Result<mv::Model, AppError> {
    let (before, after) = match kind {
        "inventaire" => ledger::set_counted(tx, Line::Material, it.id, qty).await?,
        "entree" | "chute" => ledger::change(tx, Line::Material, it.id, qty, None).await?,
        _ => ledger::change(tx, Line::Material, it.id, -qty, job.as_deref()).await?,
    };
    let m = mv::ActiveModel {
        stock_id: Set(it.id),
        grade_id: Set(it.grade_id),
        location_id: Set(it.location_id),
        kind: Set(kind.to_string()),
        quantity: Set(qty),
        qty_before: Set(before),
        qty_after: Set(after),
        job_ref: Set(job),
        reason: Set(reason),
        actor_id: Set(ctx.actor_id()),
        actor_login: Set(ctx.actor_login().to_string()),
        at: Set(crate::now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(
        tx,
        ctx,
        "material_stock",
        &it.id.to_string(),
        "movement",
        None,
        Some(snap(&m)),
    )
    .await?;
    Ok(m)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MaterialMovementInput {
    /// entree, sortie, rebut, inventaire (`chute` is created by a `sortie` with `offcut_length_mm`)
    pub kind: Option<String>,
    /// Pieces (≥ 1); for `inventaire` the counted quantity (≥ 0).
    pub quantity: Option<i64>,
    /// Job reference; required for `sortie`. Uses that job's reservation first.
    pub job_ref: Option<String>,
    pub reason: Option<String>,
    /// The job's part requires certified material (aero, defence…).
    pub certified_job: Option<bool>,
    /// Direction allows this standard job to consume certified stock (needs `materials.validate`).
    pub allow_certified: Option<bool>,
    /// Length left on the cut bar (mm): creates an offcut stock item (one piece).
    pub offcut_length_mm: Option<String>,
    /// Where the offcut goes (defaults to the bar's location).
    pub offcut_location_id: Option<i64>,
}

/// Result of a movement: the movement and, for a cut, the offcut created.
#[derive(Debug, Clone)]
pub struct MovementResult {
    pub movement: mv::Model,
    pub offcut: Option<item::Model>,
}

pub async fn move_stock(
    db: &Db,
    ctx: &Ctx,
    stock_id: i64,
    i: MaterialMovementInput,
) -> Result<MovementResult, AppError> {
    ctx.require(Module::Materials, Action::Update)?;
    let it = find_item(&db.conn, stock_id).await?;
    let mut v = Validator::default();
    let kind = code(&mut v, "kind", &i.kind, MOVEMENT_KINDS, true).unwrap_or_default();
    if kind == "chute" {
        v.add(
            "kind",
            "offcut_from_cut",
            "Une chute se crée par une sortie avec « offcut_length_mm ».",
            "An offcut is created by an issue with “offcut_length_mm”.",
        );
    }
    let qty = count(
        &mut v,
        "quantity",
        i.quantity,
        if kind == "inventaire" { 0 } else { 1 },
        true,
    );
    let job = opt_text(&mut v, "job_ref", &i.job_ref, 100);
    if kind == "sortie" && job.is_none() {
        v.add(
            "job_ref",
            "required",
            "Indiquez l'affaire (référence du travail) pour une sortie.",
            "Give the job reference for an issue.",
        );
    }
    let reason = opt_text(&mut v, "reason", &i.reason, 2000);
    let offcut_len = match trimmed(&i.offcut_length_mm) {
        None => None,
        Some(_) => {
            let d = req_dec(&mut v, "offcut_length_mm", &i.offcut_length_mm, 3, "20000");
            if kind != "sortie" || qty != 1 {
                v.add(
                    "offcut_length_mm",
                    "offcut_needs_single_cut",
                    "Une chute se déclare sur la sortie d'une seule barre.",
                    "An offcut is declared on the issue of a single bar.",
                );
            }
            if let (Some(d), Some(l)) = (d, units::parse_decimal(&it.length_mm))
                && d >= l
            {
                v.add(
                    "offcut_length_mm",
                    "offcut_too_long",
                    "La chute doit être plus courte que la barre coupée.",
                    "The offcut must be shorter than the cut bar.",
                );
            }
            d
        }
    };
    if offcut_len.is_some() {
        check_location(&db.conn, &mut v, i.offcut_location_id).await?;
    }
    v.finish()?;
    // Certified stock is kept for parts that require it.
    if kind == "sortie" && !i.certified_job.unwrap_or(false) {
        let certified = match it.lot_id {
            Some(l) => lot::Entity::find_by_id(l)
                .one(&db.conn)
                .await?
                .is_some_and(|l| l.certified),
            None => false,
        };
        if certified {
            if !i.allow_certified.unwrap_or(false) {
                return Err(AppError::new(
                    Kind::Conflict,
                    "certified_stock_reserved",
                    "Matière certifiée : elle est réservée aux pièces qui l'exigent. Une affaire standard ne la consomme qu'avec l'accord de la direction (allow_certified).",
                    "Certified material is kept for parts that require it. A standard job consumes it only with management's approval (allow_certified).",
                ));
            }
            ctx.require(Module::Materials, Action::Validate)?;
        }
    }
    let tx = db.write().await?;
    let movement = record_movement(&tx.tx, ctx, &it, &kind, qty, job.clone(), reason).await?;
    let mut offcut = None;
    if let Some(len) = offcut_len {
        let now = crate::now();
        let o = item::ActiveModel {
            label: Set(None),
            grade_id: Set(it.grade_id),
            lot_id: Set(it.lot_id),
            shape: Set(it.shape.clone()),
            diameter_mm: Set(it.diameter_mm.clone()),
            width_mm: Set(it.width_mm.clone()),
            wall_mm: Set(it.wall_mm.clone()),
            length_mm: Set(len.to_string()),
            quantity: Set(0),
            reserved: Set(0),
            location_id: Set(i.offcut_location_id.or(it.location_id)),
            cost_per_kg_cents: Set(it.cost_per_kg_cents),
            is_offcut: Set(true),
            parent_id: Set(Some(it.id)),
            active: Set(true),
            notes: Set(Some(format!(
                "Chute de l'article {} ({})",
                it.id,
                job.clone().unwrap_or_default()
            ))),
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
            "material_stock",
            &o.id.to_string(),
            "create",
            None,
            Some(snap(&o)),
        )
        .await?;
        record_movement(
            &tx.tx,
            ctx,
            &o,
            "chute",
            1,
            job,
            Some(format!("Chute de la barre {}", it.id)),
        )
        .await?;
        offcut = Some(find_item(&tx.tx, o.id).await?);
    }
    tx.commit().await?;
    Ok(MovementResult { movement, offcut })
}

// ================================================================ suggestions and alerts

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    pub grade_id: Option<i64>,
    pub shape: Option<String>,
    /// Smallest section that makes the part (mm).
    pub diameter: Option<String>,
    /// Length of one blank (mm).
    pub length: Option<String>,
    /// Number of blanks (default 1).
    pub qty: Option<i64>,
    pub certified_required: Option<bool>,
    pub allow_certified: Option<bool>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuggestionView {
    pub rank: usize,
    pub blanks: i64,
    pub covers_need: bool,
    pub oversize_mm: String,
    pub waste_length_mm: String,
    pub item: StockItemView,
}

pub async fn suggest(
    db: &Db,
    ctx: &Ctx,
    p: SuggestParams,
    base: &str,
    english: bool,
) -> Result<Vec<SuggestionView>, AppError> {
    ctx.require(Module::Materials, Action::Read)?;
    let mut v = Validator::default();
    if p.grade_id.is_none() {
        v.add(
            "grade_id",
            "required",
            "Choisissez la matière.",
            "Choose the material grade.",
        );
    }
    let shape = code(&mut v, "shape", &p.shape, SHAPES, true).unwrap_or_default();
    let dia = req_dec(&mut v, "diameter", &p.diameter, 3, "3000");
    let len = req_dec(&mut v, "length", &p.length, 3, "20000");
    let qty = count(&mut v, "qty", Some(p.qty.unwrap_or(1)), 1, true);
    v.finish()?;
    let grade_id = p.grade_id.unwrap_or_default();
    let items = item::Entity::find()
        .filter(item::Column::GradeId.eq(grade_id))
        .filter(item::Column::Active.eq(true))
        .all(&db.conn)
        .await?;
    let lots: HashMap<i64, bool> = lot::Entity::find()
        .filter(lot::Column::GradeId.eq(grade_id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l.certified))
        .collect();
    let stock: Vec<engine::StockItem> = items
        .iter()
        .filter_map(|i| {
            Some(engine::StockItem {
                id: i.id,
                grade_id: i.grade_id,
                shape: i.shape.clone(),
                diameter: units::parse_decimal(&i.diameter_mm)?,
                length: units::parse_decimal(&i.length_mm)?,
                available: i.quantity - i.reserved,
                is_offcut: i.is_offcut,
                certified: i
                    .lot_id
                    .and_then(|l| lots.get(&l).copied())
                    .unwrap_or(false),
            })
        })
        .collect();
    let need = engine::StockNeed {
        grade_id,
        shape,
        diameter: dia.unwrap_or_default(),
        needed_length: len.unwrap_or_default(),
        qty,
        certified_required: p.certified_required.unwrap_or(false),
        allow_certified: p.allow_certified.unwrap_or(false),
    };
    let ranked = engine::suggest_stock(&need, &stock);
    let by_id: HashMap<i64, item::Model> = items.into_iter().map(|i| (i.id, i)).collect();
    let models: Vec<item::Model> = ranked
        .iter()
        .filter_map(|c| by_id.get(&c.item_id).cloned())
        .collect();
    let views = stock_views(db, &models, base, english).await?;
    Ok(ranked
        .iter()
        .zip(views)
        .enumerate()
        .map(|(k, (c, item))| SuggestionView {
            rank: k + 1,
            blanks: c.blanks,
            covers_need: c.covers_need,
            oversize_mm: c.oversize.normalize().to_string(),
            waste_length_mm: c.waste_length.normalize().to_string(),
            item,
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StorageSuggestion {
    pub rank: usize,
    /// Distance from the ideal distance to the saw for this grade (m).
    pub gap_m: String,
    pub location: locations::LocationView,
}

/// Where to store a grade: racks and areas ranked so that frequently cut grades sit near the saw
/// (cuts = `sortie` movements per grade).
pub async fn storage_suggestion(
    db: &Db,
    ctx: &Ctx,
    grade_id: i64,
    base: &str,
    english: bool,
) -> Result<Vec<StorageSuggestion>, AppError> {
    ctx.require(Module::Materials, Action::Read)?;
    find_grade(&db.conn, grade_id).await?;
    let mut counts: HashMap<i64, u64> = HashMap::new();
    for m in mv::Entity::find()
        .filter(mv::Column::Kind.eq("sortie"))
        .all(&db.conn)
        .await?
    {
        *counts.entry(m.grade_id).or_default() += 1;
    }
    let counts: Vec<(i64, u64)> = counts.into_iter().collect();
    let locs: Vec<storage_location::Model> = storage_location::Entity::find()
        .filter(storage_location::Column::Active.eq(true))
        .filter(storage_location::Column::Kind.is_in(["rack", "zone"]))
        .all(&db.conn)
        .await?;
    let places: Vec<engine::Place> = locs
        .iter()
        .map(|l| engine::Place {
            id: l.id,
            saw_distance: units::parse_decimal(&l.saw_distance_m).unwrap_or_default(),
        })
        .collect();
    let ranked = engine::suggest_storage(grade_id, &counts, &places);
    Ok(ranked
        .into_iter()
        .enumerate()
        .filter_map(|(k, s)| {
            let l = locs.iter().find(|l| l.id == s.location_id)?;
            Some(StorageSuggestion {
                rank: k + 1,
                gap_m: s.gap.normalize().to_string(),
                location: locations::view(l, base, english),
            })
        })
        .collect())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MinimumInput {
    pub grade_id: Option<i64>,
    pub shape: Option<String>,
    pub diameter_mm: Option<String>,
    pub min_quantity: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertView {
    pub minimum_id: i64,
    pub grade_id: i64,
    pub grade_code: String,
    pub shape: String,
    pub diameter_mm: String,
    pub min_quantity: i64,
    /// Full bars on hand (offcuts not counted).
    pub on_hand: i64,
    pub available: i64,
    pub below_min: bool,
    pub version: i32,
}

fn validate_minimum(i: &MinimumInput) -> Result<(i64, String, String, i64), AppError> {
    let mut v = Validator::default();
    if i.grade_id.is_none() {
        v.add(
            "grade_id",
            "required",
            "Choisissez la matière.",
            "Choose the material grade.",
        );
    }
    let shape = code(&mut v, "shape", &i.shape, SHAPES, true).unwrap_or_default();
    let dia = req_dec(&mut v, "diameter_mm", &i.diameter_mm, 3, "3000");
    let min = count(&mut v, "min_quantity", i.min_quantity, 0, true);
    v.finish()?;
    Ok((
        i.grade_id.unwrap_or_default(),
        shape,
        dia.map(|d| d.to_string()).unwrap_or_default(),
        min,
    ))
}

async fn known_grade(db: &Db, grade_id: i64) -> Result<(), AppError> {
    find_grade(&db.conn, grade_id)
        .await
        .map(|_| ())
        .map_err(|_| {
            AppError::field(
                "grade_id",
                "unknown_grade",
                "Matière introuvable.",
                "Unknown material grade.",
            )
        })
}

pub async fn create_minimum(
    db: &Db,
    ctx: &Ctx,
    i: MinimumInput,
) -> Result<minimum::Model, AppError> {
    ctx.require(Module::Materials, Action::Update)?;
    let (grade_id, shape, dia, min) = validate_minimum(&i)?;
    known_grade(db, grade_id).await?;
    let now = crate::now();
    let tx = db.write().await?;
    let m = minimum::ActiveModel {
        grade_id: Set(grade_id),
        shape: Set(shape),
        diameter_mm: Set(dia),
        min_quantity: Set(min),
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
        "material_minimum",
        &m.id.to_string(),
        "create",
        None,
        Some(snap(&m)),
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

/// A change to a minimum: the whole row again, with the version read.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct MinimumUpdate {
    pub version: i32,
    #[serde(flatten)]
    pub fields: MinimumInput,
}

async fn find_minimum<C: ConnectionTrait>(db: &C, id: i64) -> Result<minimum::Model, AppError> {
    minimum::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Stock minimum", "Minimum stock"))
}

pub async fn update_minimum(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    u: MinimumUpdate,
) -> Result<minimum::Model, AppError> {
    ctx.require(Module::Materials, Action::Update)?;
    let cur = find_minimum(&db.conn, id).await?;
    let (grade_id, shape, dia, min) = validate_minimum(&u.fields)?;
    known_grade(db, grade_id).await?;
    if u.version != cur.version {
        return Err(AppError::stale_version());
    }
    let tx = db.write().await?;
    let res = minimum::Entity::update_many()
        .set(minimum::ActiveModel {
            grade_id: Set(grade_id),
            shape: Set(shape),
            diameter_mm: Set(dia),
            min_quantity: Set(min),
            updated_at: Set(crate::now()),
            version: Set(cur.version + 1),
            ..Default::default()
        })
        .filter(minimum::Column::Id.eq(id))
        .filter(minimum::Column::Version.eq(u.version))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let new = find_minimum(&tx.tx, id).await?;
    audit::record(
        &tx.tx,
        ctx,
        "material_minimum",
        &id.to_string(),
        "update",
        Some(snap(&cur)),
        Some(snap(&new)),
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

pub async fn delete_minimum(db: &Db, ctx: &Ctx, id: i64) -> Result<(), AppError> {
    ctx.require(Module::Materials, Action::Update)?;
    let cur = find_minimum(&db.conn, id).await?;
    let tx = db.write().await?;
    let res = minimum::Entity::delete_by_id(id).exec(&tx.tx).await?;
    if res.rows_affected != 1 {
        return Err(AppError::not_found("Stock minimum", "Minimum stock"));
    }
    audit::record(
        &tx.tx,
        ctx,
        "material_minimum",
        &id.to_string(),
        "delete",
        Some(snap(&cur)),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Minimum stock per grade/shape/diameter against the full bars on hand.
pub async fn alerts(db: &Db, ctx: &Ctx, only_below: bool) -> Result<Vec<AlertView>, AppError> {
    ctx.require(Module::Materials, Action::Read)?;
    let grades = grade_codes(db).await?;
    let items = item::Entity::find()
        .filter(item::Column::Active.eq(true))
        .filter(item::Column::IsOffcut.eq(false))
        .all(&db.conn)
        .await?;
    let mut out = vec![];
    for m in minimum::Entity::find()
        .order_by_asc(minimum::Column::Id)
        .all(&db.conn)
        .await?
    {
        let d = units::parse_decimal(&m.diameter_mm);
        let (on_hand, reserved) = items
            .iter()
            .filter(|i| {
                i.grade_id == m.grade_id
                    && i.shape == m.shape
                    && units::parse_decimal(&i.diameter_mm) == d
            })
            .fold((0, 0), |a, i| (a.0 + i.quantity, a.1 + i.reserved));
        let below = on_hand < m.min_quantity;
        if only_below && !below {
            continue;
        }
        out.push(AlertView {
            minimum_id: m.id,
            grade_id: m.grade_id,
            grade_code: grades.get(&m.grade_id).cloned().unwrap_or_default(),
            shape: m.shape,
            diameter_mm: m.diameter_mm,
            min_quantity: m.min_quantity,
            on_hand,
            available: on_hand - reserved,
            below_min: below,
            version: m.version,
        });
    }
    Ok(out)
}

// ================================================================ demo

/// (code, afnor, EN number, EN name, AISI, DIN, ISO, density, hardness, machinability, std €/kg,
///  certified lots, stock: [(shape, dia, width, length, qty)])
type DemoGrade = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    bool,
    &'static [(
        &'static str,
        &'static str,
        Option<&'static str>,
        &'static str,
        i64,
    )],
);

/// Demo grades' codes and purchase prices (€/kg), for the quoting module's price list.
pub(crate) fn demo_prices() -> impl Iterator<Item = (&'static str, &'static str)> {
    DEMO_GRADES.iter().map(|g| (g.0, g.10))
}

const DEMO_GRADES: &[DemoGrade] = &[
    (
        "MA01",
        "S235JR",
        Some("1.0038"),
        Some("S235JR"),
        Some("A36 (≈)"),
        Some("St37-2"),
        "P",
        "7.85",
        Some("≤ 160 HB"),
        Some("70"),
        "1.90",
        false,
        &[
            ("rond", "30", None, "6000", 4),
            ("rond", "50", None, "6000", 2),
            ("plat", "8", Some("80"), "6000", 3),
        ],
    ),
    (
        "MA02",
        "C45 +N",
        Some("1.0503"),
        Some("C45"),
        Some("1045"),
        Some("C45"),
        "P",
        "7.85",
        Some("≈ 200 HB"),
        Some("65"),
        "2.30",
        false,
        &[
            ("rond", "40", None, "6000", 3),
            ("rond", "60", None, "6000", 2),
        ],
    ),
    (
        "MA03",
        "42CrMo4 +QT",
        Some("1.7225"),
        Some("42CrMo4"),
        Some("4140"),
        Some("42CrMo4"),
        "P",
        "7.85",
        Some("900–1100 MPa"),
        Some("50"),
        "3.20",
        true,
        &[
            ("rond", "35", None, "6000", 2),
            ("rond", "50", None, "6000", 2),
        ],
    ),
    (
        "MA04",
        "35NiCrMo16 +QT",
        Some("1.6773"),
        Some("35NiCrMo16"),
        None,
        None,
        "P",
        "7.85",
        None,
        Some("40"),
        "7.50",
        true,
        &[("rond", "40", None, "3000", 1)],
    ),
    (
        "MA05",
        "100Cr6 +AC",
        Some("1.3505"),
        Some("100Cr6"),
        Some("52100"),
        Some("100Cr6"),
        "P",
        "7.81",
        Some("≤ 207 HB"),
        Some("40"),
        "3.70",
        false,
        &[("rond", "30", None, "3000", 2)],
    ),
    (
        "MA06",
        "X2CrNi18-9 / 304L",
        Some("1.4307"),
        Some("X2CrNi18-9"),
        Some("304L"),
        Some("X2CrNi18-9"),
        "M",
        "7.90",
        Some("≤ 215 HB"),
        Some("45"),
        "5.40",
        true,
        &[
            ("rond", "20", None, "3000", 5),
            ("rond", "40", None, "3000", 3),
        ],
    ),
    (
        "MA07",
        "X2CrNiMo17-12-2 / 316L",
        Some("1.4404"),
        Some("X2CrNiMo17-12-2"),
        Some("316L"),
        Some("X2CrNiMo17-12-2"),
        "M",
        "8.00",
        Some("≤ 215 HB"),
        Some("40"),
        "7.60",
        true,
        &[
            ("rond", "125", None, "3000", 1),
            ("rond", "50", None, "3000", 2),
        ],
    ),
    (
        "MA08",
        "17-4PH X5CrNiCuNb16-4 H1150",
        Some("1.4542"),
        Some("X5CrNiCuNb16-4"),
        Some("630"),
        None,
        "M",
        "7.78",
        None,
        Some("35"),
        "12.50",
        true,
        &[("rond", "40", None, "3000", 1)],
    ),
    (
        "MA09",
        "EN AW-2017A T451",
        Some("3.1325"),
        Some("AlCu4MgSi"),
        Some("2017"),
        Some("AlCuMg1"),
        "N",
        "2.79",
        Some("≈ 110 HB"),
        Some("300"),
        "7.20",
        false,
        &[
            ("rond", "40", None, "3000", 3),
            ("plat", "20", Some("50"), "3000", 2),
        ],
    ),
    (
        "MA10",
        "EN AW-6082 T6",
        Some("3.2315"),
        Some("AlSi1MgMn"),
        Some("6082 (≈ 6061)"),
        Some("AlMgSi1"),
        "N",
        "2.70",
        Some("≈ 95 HB"),
        Some("300"),
        "5.60",
        false,
        &[
            ("rond", "80", None, "3000", 2),
            ("rond", "30", None, "3000", 4),
        ],
    ),
    (
        "MA11",
        "EN AW-7075 T651",
        Some("3.4365"),
        Some("AlZn5.5MgCu"),
        Some("7075"),
        Some("AlZnMgCu1.5"),
        "N",
        "2.81",
        Some("≈ 150 HB"),
        Some("250"),
        "11.50",
        true,
        &[
            ("plat", "25", Some("60"), "3000", 2),
            ("tole", "16", Some("1000"), "2000", 1),
        ],
    ),
    (
        "MA12",
        "Ti-6Al-4V grade 5",
        Some("3.7165"),
        Some("TiAl6V4"),
        Some("Grade 5"),
        Some("TiAl6V4"),
        "S",
        "4.42",
        Some("≈ 330 HB"),
        Some("20"),
        "68.00",
        true,
        &[("rond", "40", None, "3000", 1)],
    ),
    (
        "MA13",
        "CuZn39Pb3 (laiton)",
        None,
        Some("CW614N"),
        Some("C38500"),
        Some("CuZn39Pb3"),
        "N",
        "8.47",
        None,
        Some("100"),
        "9.50",
        false,
        &[
            ("rond", "20", None, "3000", 6),
            ("hexagone", "22", None, "3000", 2),
        ],
    ),
    (
        "MA14",
        "CuSn8 (bronze phosphoreux)",
        None,
        Some("CW453K"),
        Some("C52100"),
        Some("CuSn8"),
        "N",
        "8.80",
        None,
        Some("20"),
        "19.00",
        false,
        &[("tube", "40", None, "3000", 1)],
    ),
    (
        "MA15",
        "POM-C (acétal copolymère)",
        None,
        None,
        None,
        None,
        "N",
        "1.41",
        None,
        None,
        "8.00",
        false,
        &[("rond", "50", None, "1000", 3)],
    ),
];

pub async fn load_demo<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    locs: &[storage_location::Model],
) -> Result<(), AppError> {
    let loc = |code: &str| locs.iter().find(|l| l.code == code).map(|l| l.id);
    let now = crate::now();
    let mut grade_ids: HashMap<&str, i64> = HashMap::new();
    let mut lots_by_grade: HashMap<&str, i64> = HashMap::new();
    let cents = |s: &str| {
        units::parse_decimal(s).and_then(|d| i64::try_from((d * Decimal::from(100)).round()).ok())
    };
    for (
        k,
        (code_s, afnor, en_no, en_name, aisi, din, iso, dens, hard, mach, price, certified, items),
    ) in DEMO_GRADES.iter().enumerate()
    {
        let g = grade::ActiveModel {
            code: Set(code_s.to_string()),
            afnor: Set(afnor.to_string()),
            en_number: Set(en_no.map(str::to_string)),
            en_name: Set(en_name.map(str::to_string)),
            aisi: Set(aisi.map(str::to_string)),
            din: Set(din.map(str::to_string)),
            iso_group: Set(iso.to_string()),
            density: Set(dens.to_string()),
            hardness: Set(hard.map(str::to_string)),
            machinability: Set(mach.map(str::to_string)),
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
            "material_grade",
            &g.id.to_string(),
            "create",
            None,
            Some(snap(&g)),
        )
        .await?;
        grade_ids.insert(code_s, g.id);
        let l = lot::ActiveModel {
            grade_id: Set(g.id),
            heat_number: Set(format!("25-{}{:04}", &iso, 4100 + k * 37)),
            supplier_name: Set(Some(
                if *iso == "N" {
                    "Alu Rhône Distribution"
                } else {
                    "Aciers du Forez"
                }
                .into(),
            )),
            certificate_type: Set(if *certified { "3.1" } else { "2.2" }.into()),
            certificate_ref: Set(Some(format!("CERT-{code_s}-2025"))),
            certified: Set(*certified),
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
            "material_lot",
            &l.id.to_string(),
            "create",
            None,
            Some(snap(&l)),
        )
        .await?;
        lots_by_grade.insert(code_s, l.id);
        for (shape, dia, width, length, qty) in items.iter() {
            demo_item(
                tx,
                ctx,
                g.id,
                Some(l.id),
                shape,
                dia,
                *width,
                length,
                *qty,
                loc(if *iso == "N" { "R2" } else { "R1" }),
                cents(price),
                false,
                None,
            )
            .await?;
        }
        if *iso == "P" || *iso == "M" || *iso == "N" {
            let m = minimum::ActiveModel {
                grade_id: Set(g.id),
                shape: Set(items[0].0.to_string()),
                diameter_mm: Set(items[0].1.to_string()),
                min_quantity: Set(2),
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
                "material_minimum",
                &m.id.to_string(),
                "create",
                None,
                Some(snap(&m)),
            )
            .await?;
        }
    }
    // Offcuts in rack R3 (DEMO-SHOP §6).
    let heat =
        |grade: &str, heat: &str, certified: bool| (grade.to_string(), heat.to_string(), certified);
    let special = [
        heat("MA03", "24-K7731", true),
        heat("MA07", "25-S20417", true),
        heat("MA11", "A-88214", true),
        heat("MA12", "25-T0925", false),
    ];
    let mut special_lots: HashMap<String, i64> = HashMap::new();
    for (g, h, c) in special {
        let l = lot::ActiveModel {
            grade_id: Set(grade_ids[g.as_str()]),
            heat_number: Set(h.clone()),
            supplier_name: Set(None),
            certificate_type: Set(if c { "3.1" } else { "aucun" }.into()),
            certificate_ref: Set(if c { Some(format!("3.1-{h}")) } else { None }),
            certified: Set(c),
            notes: Set(if c {
                None
            } else {
                Some("Certificat manquant : quarantaine, inutilisable en aéronautique.".into())
            }),
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
            "material_lot",
            &l.id.to_string(),
            "create",
            None,
            Some(snap(&l)),
        )
        .await?;
        special_lots.insert(g, l.id);
    }
    let r3 = loc("R3");
    #[allow(clippy::type_complexity)]
    let offcuts: [(&str, &str, Option<i64>, &str, &str, Option<&str>, &str); 6] = [
        (
            "CH-0112",
            "MA03",
            special_lots.get("MA03").copied(),
            "rond",
            "35",
            None,
            "640",
        ),
        (
            "CH-0118",
            "MA07",
            special_lots.get("MA07").copied(),
            "rond",
            "125",
            None,
            "180",
        ),
        (
            "CH-0121",
            "MA11",
            special_lots.get("MA11").copied(),
            "plat",
            "25",
            Some("60"),
            "410",
        ),
        (
            "CH-0125",
            "MA12",
            special_lots.get("MA12").copied(),
            "tole",
            "45",
            Some("90"),
            "160",
        ),
        (
            "CH-0131",
            "MA10",
            lots_by_grade.get("MA10").copied(),
            "rond",
            "80",
            None,
            "230",
        ),
        (
            "CH-0134",
            "MA13",
            lots_by_grade.get("MA13").copied(),
            "hexagone",
            "22",
            None,
            "1150",
        ),
    ];
    for (label_s, g, l, shape, dia, width, length) in offcuts {
        demo_item(
            tx,
            ctx,
            grade_ids[g],
            l,
            shape,
            dia,
            width,
            length,
            1,
            r3,
            None,
            true,
            Some(label_s),
        )
        .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn demo_item<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    grade_id: i64,
    lot_id: Option<i64>,
    shape: &str,
    dia: &str,
    width: Option<&str>,
    length: &str,
    qty: i64,
    location_id: Option<i64>,
    cost: Option<i64>,
    is_offcut: bool,
    label_s: Option<&str>,
) -> Result<(), AppError> {
    let now = crate::now();
    let it = item::ActiveModel {
        label: Set(label_s.map(str::to_string)),
        grade_id: Set(grade_id),
        lot_id: Set(lot_id),
        shape: Set(shape.into()),
        diameter_mm: Set(dia.into()),
        width_mm: Set(width.map(str::to_string)),
        wall_mm: Set(if shape == "tube" {
            Some("7.5".into())
        } else {
            None
        }),
        length_mm: Set(length.into()),
        quantity: Set(qty),
        reserved: Set(0),
        location_id: Set(location_id),
        cost_per_kg_cents: Set(cost),
        is_offcut: Set(is_offcut),
        parent_id: Set(None),
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
        "material_stock",
        &it.id.to_string(),
        "create",
        None,
        Some(snap(&it)),
    )
    .await?;
    mv::ActiveModel {
        stock_id: Set(it.id),
        grade_id: Set(grade_id),
        location_id: Set(location_id),
        kind: Set("entree".into()),
        quantity: Set(qty),
        qty_before: Set(0),
        qty_after: Set(qty),
        job_ref: Set(None),
        reason: Set(Some("Stock initial".into())),
        actor_id: Set(None),
        actor_login: Set(ctx.actor_login().to_string()),
        at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}
