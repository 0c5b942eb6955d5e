//! Machines (module `machines`): the shop's fleet with the characteristics quoting, methods and
//! planning rely on, its status (disponible / en maintenance / en panne) and hourly rates.

use super::{
    check_code, code_taken, double_option, label_of, opt_int, opt_money, opt_positive, opt_text,
    record_code, req_text, url,
};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::listing::{ListQuery, Page, fetch_page};
use crate::rights::{Action, Module};
use crate::units;
use chrono::Datelike;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use usinage_store::Db;
use usinage_store::entities::machine;

pub const SORTABLE: &[&str] = &[
    "code",
    "name",
    "kind",
    "status",
    "year",
    "created_at",
    "updated_at",
    "id",
];

/// Machine kinds: (code, French label, English label).
pub const KINDS: &[(&str, &str, &str)] = &[
    ("scie", "Scie", "Saw"),
    ("tour", "Tour", "Lathe"),
    ("fraiseuse_3axes", "Fraiseuse 3 axes", "3-axis mill"),
    ("fraiseuse_4axes", "Fraiseuse 4 axes", "4-axis mill"),
    ("fraiseuse_5axes", "Fraiseuse 5 axes", "5-axis mill"),
    ("tour_fraiseur", "Tour-fraiseur", "Mill-turn"),
    ("soudure", "Poste de soudure", "Welding station"),
    ("plieuse", "Plieuse", "Press brake"),
    ("rectifieuse", "Rectifieuse", "Grinder"),
    ("electroerosion", "Électroérosion", "EDM"),
    ("mmt", "Machine à mesurer tridimensionnelle", "CMM"),
];

pub const CONTROLLERS: &[(&str, &str, &str)] = &[
    ("fanuc", "Fanuc", "Fanuc"),
    ("siemens", "Siemens", "Siemens"),
    ("heidenhain", "Heidenhain", "Heidenhain"),
    ("mazak", "Mazak (Mazatrol)", "Mazak (Mazatrol)"),
    ("haas", "Haas", "Haas"),
    ("num", "NUM", "NUM"),
    ("autre", "Autre", "Other"),
];

pub const STATUSES: &[(&str, &str, &str)] = &[
    ("disponible", "Disponible", "Available"),
    ("en_maintenance", "En maintenance", "Under maintenance"),
    ("en_panne", "En panne", "Broken down"),
];

/// Largest photo accepted, as a data URL (≈ 300 kB).
pub const MAX_PHOTO_CHARS: usize = 300 * 1024;
pub const MAX_RPM: i64 = 100_000;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MachineView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub brand: Option<String>,
    pub model: Option<String>,
    pub year: Option<i32>,
    pub serial: Option<String>,
    pub cnc_controller: Option<String>,
    pub cnc_controller_label: Option<String>,
    /// Decimal strings in mm.
    pub travel_x_mm: Option<String>,
    pub travel_y_mm: Option<String>,
    pub travel_z_mm: Option<String>,
    pub rotary_axes: Option<String>,
    pub max_spindle_rpm: Option<i32>,
    pub spindle_power_kw: Option<String>,
    pub spindle_torque_nm: Option<String>,
    pub max_bar_diameter_mm: Option<String>,
    pub bar_feeder: bool,
    pub chuck_table_size: Option<String>,
    pub max_part_mass_kg: Option<String>,
    pub tool_magazine_size: Option<i32>,
    pub rapid_traverse_m_min: Option<String>,
    pub cam_software: Option<String>,
    pub post_processor_ref: Option<String>,
    pub hour_counter_h: Option<String>,
    /// `disponible`, `en_maintenance` or `en_panne`
    pub status: String,
    pub status_label: String,
    pub location: Option<String>,
    /// `data:image/...;base64,...` (only on the single-record read, not in lists).
    pub photo: Option<String>,
    pub has_photo: bool,
    /// Euros per hour, `"75.00"`.
    pub machine_rate: Option<String>,
    pub operator_rate: Option<String>,
    pub notes: Option<String>,
    pub active: bool,
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

pub fn view(m: &machine::Model, base_url: &str, english: bool, with_photo: bool) -> MachineView {
    MachineView {
        id: m.id,
        code: m.code.clone(),
        name: m.name.clone(),
        kind: m.kind.clone(),
        kind_label: label_of(KINDS, &m.kind, english),
        brand: m.brand.clone(),
        model: m.model.clone(),
        year: m.year,
        serial: m.serial.clone(),
        cnc_controller: m.cnc_controller.clone(),
        cnc_controller_label: m
            .cnc_controller
            .as_deref()
            .map(|c| label_of(CONTROLLERS, c, english)),
        travel_x_mm: m.travel_x_mm.clone(),
        travel_y_mm: m.travel_y_mm.clone(),
        travel_z_mm: m.travel_z_mm.clone(),
        rotary_axes: m.rotary_axes.clone(),
        max_spindle_rpm: m.max_spindle_rpm,
        spindle_power_kw: m.spindle_power_kw.clone(),
        spindle_torque_nm: m.spindle_torque_nm.clone(),
        max_bar_diameter_mm: m.max_bar_diameter_mm.clone(),
        bar_feeder: m.bar_feeder,
        chuck_table_size: m.chuck_table_size.clone(),
        max_part_mass_kg: m.max_part_mass_kg.clone(),
        tool_magazine_size: m.tool_magazine_size,
        rapid_traverse_m_min: m.rapid_traverse_m_min.clone(),
        cam_software: m.cam_software.clone(),
        post_processor_ref: m.post_processor_ref.clone(),
        hour_counter_h: m.hour_counter_h.clone(),
        status: m.status.clone(),
        status_label: label_of(STATUSES, &m.status, english),
        location: m.location.clone(),
        photo: if with_photo { m.photo.clone() } else { None },
        has_photo: m.photo.is_some(),
        machine_rate: m.machine_rate_cents.map(units::cents_to_string),
        operator_rate: m.operator_rate_cents.map(units::cents_to_string),
        notes: m.notes.clone(),
        active: m.active,
        url: url(base_url, "machines", m.id),
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    }
}

/// What the audit trail keeps (the photo only as a flag: it is large).
fn snapshot(m: &machine::Model) -> serde_json::Value {
    let mut v = serde_json::to_value(m).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("photo");
        o.remove("created_at");
        o.remove("updated_at");
        o.insert("has_photo".into(), m.photo.is_some().into());
    }
    v
}

/// Fields of a machine, for creation (absent = empty) and PATCH (absent = unchanged,
/// `null` = cleared). Decimals and amounts are strings (`"762"`, `"75.00"`).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MachineFields {
    pub code: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub brand: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub model: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub year: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub serial: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub cnc_controller: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub travel_x_mm: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub travel_y_mm: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub travel_z_mm: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub rotary_axes: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub max_spindle_rpm: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub spindle_power_kw: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub spindle_torque_nm: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub max_bar_diameter_mm: Option<Option<String>>,
    pub bar_feeder: Option<bool>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub chuck_table_size: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub max_part_mass_kg: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub tool_magazine_size: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub rapid_traverse_m_min: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub cam_software: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub post_processor_ref: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub hour_counter_h: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub location: Option<Option<String>>,
    /// `data:image/png|jpeg|webp;base64,...`, at most 300 kB.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub photo: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub machine_rate: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub operator_rate: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct MachinePatch {
    pub version: i32,
    #[serde(flatten)]
    pub fields: MachineFields,
}

fn pick<T: Clone>(p: &Option<Option<T>>, cur: Option<T>) -> Option<T> {
    match p {
        Some(x) => x.clone(),
        None => cur,
    }
}

/// Merges the input over the current record (if any) and validates every field at once.
fn build(
    cur: Option<&machine::Model>,
    f: &MachineFields,
    today: chrono::NaiveDate,
) -> Result<machine::ActiveModel, AppError> {
    let mut v = Validator::default();
    let c = |g: fn(&machine::Model) -> Option<String>| cur.and_then(g);
    let code = record_code(
        &mut v,
        "code",
        f.code.as_deref().or(cur.map(|m| m.code.as_str())),
    );
    let name = req_text(
        &mut v,
        "name",
        f.name.as_deref().or(cur.map(|m| m.name.as_str())),
        200,
        "Le nom",
        "The name",
    );
    let kind = check_code(
        &mut v,
        "kind",
        f.kind.as_deref().or(cur.map(|m| m.kind.as_str())),
        KINDS,
        true,
    );
    let brand = opt_text(
        &mut v,
        "brand",
        pick(&f.brand, c(|m| m.brand.clone())).as_deref(),
        100,
    );
    let model = opt_text(
        &mut v,
        "model",
        pick(&f.model, c(|m| m.model.clone())).as_deref(),
        100,
    );
    let year = opt_int(
        &mut v,
        "year",
        pick(&f.year, cur.and_then(|m| m.year.map(i64::from))),
        1950,
        i64::from(today.year() + 1),
    );
    let serial = opt_text(
        &mut v,
        "serial",
        pick(&f.serial, c(|m| m.serial.clone())).as_deref(),
        100,
    );
    let cnc_controller = check_code(
        &mut v,
        "cnc_controller",
        pick(&f.cnc_controller, c(|m| m.cnc_controller.clone())).as_deref(),
        CONTROLLERS,
        false,
    );
    let travel =
        |v: &mut Validator, name: &str, p: &Option<Option<String>>, cur: Option<String>| {
            opt_positive(v, name, pick(p, cur).as_deref(), 3, 100_000)
        };
    let travel_x_mm = travel(
        &mut v,
        "travel_x_mm",
        &f.travel_x_mm,
        c(|m| m.travel_x_mm.clone()),
    );
    let travel_y_mm = travel(
        &mut v,
        "travel_y_mm",
        &f.travel_y_mm,
        c(|m| m.travel_y_mm.clone()),
    );
    let travel_z_mm = travel(
        &mut v,
        "travel_z_mm",
        &f.travel_z_mm,
        c(|m| m.travel_z_mm.clone()),
    );
    let rotary_axes = opt_text(
        &mut v,
        "rotary_axes",
        pick(&f.rotary_axes, c(|m| m.rotary_axes.clone())).as_deref(),
        200,
    );
    let max_spindle_rpm = opt_int(
        &mut v,
        "max_spindle_rpm",
        pick(
            &f.max_spindle_rpm,
            cur.and_then(|m| m.max_spindle_rpm.map(i64::from)),
        ),
        1,
        MAX_RPM,
    );
    let spindle_power_kw = opt_positive(
        &mut v,
        "spindle_power_kw",
        pick(&f.spindle_power_kw, c(|m| m.spindle_power_kw.clone())).as_deref(),
        2,
        10_000,
    );
    let spindle_torque_nm = opt_positive(
        &mut v,
        "spindle_torque_nm",
        pick(&f.spindle_torque_nm, c(|m| m.spindle_torque_nm.clone())).as_deref(),
        1,
        1_000_000,
    );
    let max_bar_diameter_mm = opt_positive(
        &mut v,
        "max_bar_diameter_mm",
        pick(&f.max_bar_diameter_mm, c(|m| m.max_bar_diameter_mm.clone())).as_deref(),
        2,
        2_000,
    );
    let chuck_table_size = opt_text(
        &mut v,
        "chuck_table_size",
        pick(&f.chuck_table_size, c(|m| m.chuck_table_size.clone())).as_deref(),
        100,
    );
    let max_part_mass_kg = opt_positive(
        &mut v,
        "max_part_mass_kg",
        pick(&f.max_part_mass_kg, c(|m| m.max_part_mass_kg.clone())).as_deref(),
        2,
        1_000_000,
    );
    let tool_magazine_size = opt_int(
        &mut v,
        "tool_magazine_size",
        pick(
            &f.tool_magazine_size,
            cur.and_then(|m| m.tool_magazine_size.map(i64::from)),
        ),
        1,
        1_000,
    );
    let rapid_traverse_m_min = opt_positive(
        &mut v,
        "rapid_traverse_m_min",
        pick(
            &f.rapid_traverse_m_min,
            c(|m| m.rapid_traverse_m_min.clone()),
        )
        .as_deref(),
        2,
        500,
    );
    let cam_software = opt_text(
        &mut v,
        "cam_software",
        pick(&f.cam_software, c(|m| m.cam_software.clone())).as_deref(),
        100,
    );
    let post_processor_ref = opt_text(
        &mut v,
        "post_processor_ref",
        pick(&f.post_processor_ref, c(|m| m.post_processor_ref.clone())).as_deref(),
        200,
    );
    let hour_counter_h = pick(&f.hour_counter_h, c(|m| m.hour_counter_h.clone()))
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| {
            units::decimal_field(
                &mut v,
                "hour_counter_h",
                &s,
                1,
                rust_decimal::Decimal::ZERO,
                rust_decimal::Decimal::from(10_000_000),
            )
        })
        .map(|d| d.to_string());
    let location = opt_text(
        &mut v,
        "location",
        pick(&f.location, c(|m| m.location.clone())).as_deref(),
        200,
    );
    let photo = pick(&f.photo, c(|m| m.photo.clone())).filter(|p| !p.trim().is_empty());
    if let Some(p) = &photo {
        let ok_prefix = [
            "data:image/png;base64,",
            "data:image/jpeg;base64,",
            "data:image/webp;base64,",
        ]
        .iter()
        .any(|pre| p.starts_with(pre));
        if !ok_prefix {
            v.add(
                "photo",
                "invalid_photo",
                "La photo doit être une image PNG, JPEG ou WebP.",
                "The photo must be a PNG, JPEG or WebP image.",
            );
        } else if p.len() > MAX_PHOTO_CHARS {
            v.add(
                "photo",
                "photo_too_large",
                "La photo dépasse 300 ko : réduisez-la avant de l'envoyer.",
                "The photo exceeds 300 kB: shrink it before sending it.",
            );
        }
    }
    let money = |v: &mut Validator, name: &str, p: &Option<Option<String>>, cur: Option<i64>| {
        let s = match p {
            Some(x) => x.clone(),
            None => cur.map(units::cents_to_string),
        };
        opt_money(v, name, s.as_deref())
    };
    let machine_rate = money(
        &mut v,
        "machine_rate",
        &f.machine_rate,
        cur.and_then(|m| m.machine_rate_cents),
    );
    let operator_rate = money(
        &mut v,
        "operator_rate",
        &f.operator_rate,
        cur.and_then(|m| m.operator_rate_cents),
    );
    let notes = opt_text(
        &mut v,
        "notes",
        pick(&f.notes, c(|m| m.notes.clone())).as_deref(),
        4_000,
    );
    v.finish()?;
    Ok(machine::ActiveModel {
        code: Set(code),
        name: Set(name),
        kind: Set(kind.unwrap_or_default()),
        brand: Set(brand),
        model: Set(model),
        year: Set(year),
        serial: Set(serial),
        cnc_controller: Set(cnc_controller),
        travel_x_mm: Set(travel_x_mm),
        travel_y_mm: Set(travel_y_mm),
        travel_z_mm: Set(travel_z_mm),
        rotary_axes: Set(rotary_axes),
        max_spindle_rpm: Set(max_spindle_rpm),
        spindle_power_kw: Set(spindle_power_kw),
        spindle_torque_nm: Set(spindle_torque_nm),
        max_bar_diameter_mm: Set(max_bar_diameter_mm),
        bar_feeder: Set(f.bar_feeder.or(cur.map(|m| m.bar_feeder)).unwrap_or(false)),
        chuck_table_size: Set(chuck_table_size),
        max_part_mass_kg: Set(max_part_mass_kg),
        tool_magazine_size: Set(tool_magazine_size),
        rapid_traverse_m_min: Set(rapid_traverse_m_min),
        cam_software: Set(cam_software),
        post_processor_ref: Set(post_processor_ref),
        hour_counter_h: Set(hour_counter_h),
        location: Set(location),
        photo: Set(photo),
        machine_rate_cents: Set(machine_rate),
        operator_rate_cents: Set(operator_rate),
        notes: Set(notes),
        active: Set(f.active.or(cur.map(|m| m.active)).unwrap_or(true)),
        ..Default::default()
    })
}

#[derive(Debug, Clone, Default)]
pub struct MachineFilter {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub active: Option<bool>,
}

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    f: &MachineFilter,
) -> Result<Page<machine::Model>, AppError> {
    ctx.require(Module::Machines, Action::Read)?;
    let mut v = Validator::default();
    let kind = check_code(&mut v, "kind", f.kind.as_deref(), KINDS, false);
    let status = check_code(&mut v, "status", f.status.as_deref(), STATUSES, false);
    v.finish()?;
    let mut s = machine::Entity::find();
    if let Some(k) = kind {
        s = s.filter(machine::Column::Kind.eq(k));
    }
    if let Some(st) = status {
        s = s.filter(machine::Column::Status.eq(st));
    }
    if let Some(a) = f.active {
        s = s.filter(machine::Column::Active.eq(a));
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: machine::Column| Expr::expr(Func::lower(Expr::col(c))).like(p.clone());
        s = s.filter(
            like(machine::Column::Code)
                .or(like(machine::Column::Name))
                .or(like(machine::Column::Brand))
                .or(like(machine::Column::Model))
                .or(like(machine::Column::Serial)),
        );
    }
    let col = |f: &str| match f {
        "code" => machine::Column::Code,
        "name" => machine::Column::Name,
        "kind" => machine::Column::Kind,
        "status" => machine::Column::Status,
        "year" => machine::Column::Year,
        "created_at" => machine::Column::CreatedAt,
        "updated_at" => machine::Column::UpdatedAt,
        _ => machine::Column::Id,
    };
    s = match &q.sort {
        Some((f, true)) => s.order_by_desc(col(f)).order_by_desc(machine::Column::Id),
        Some((f, false)) => s.order_by_asc(col(f)).order_by_asc(machine::Column::Id),
        None => s.order_by_asc(machine::Column::Code),
    };
    fetch_page(s, q, &db.conn).await
}

pub async fn get(db: &Db, ctx: &Ctx, id: i64) -> Result<machine::Model, AppError> {
    ctx.require(Module::Machines, Action::Read)?;
    find(&db.conn, id).await
}

async fn find<C: sea_orm::ConnectionTrait>(c: &C, id: i64) -> Result<machine::Model, AppError> {
    machine::Entity::find_by_id(id)
        .one(c)
        .await?
        .ok_or_else(|| AppError::not_found("Machine", "Machine"))
}

async fn ensure_code_free<C: sea_orm::ConnectionTrait>(
    c: &C,
    code: &str,
    except: Option<i64>,
) -> Result<(), AppError> {
    let mut s = machine::Entity::find().filter(machine::Column::Code.eq(code));
    if let Some(id) = except {
        s = s.filter(machine::Column::Id.ne(id));
    }
    if s.one(c).await?.is_some() {
        return Err(AppError::validation(vec![code_taken("code", code)]));
    }
    Ok(())
}

pub async fn create(
    db: &Db,
    ctx: &Ctx,
    today: chrono::NaiveDate,
    f: MachineFields,
) -> Result<machine::Model, AppError> {
    ctx.require(Module::Machines, Action::Create)?;
    build(None, &f, today)?;
    let tx = db.write().await?;
    let m = create_in(&tx.tx, ctx, today, &f).await?;
    tx.commit().await?;
    Ok(m)
}

/// Validates and inserts one machine inside the caller's transaction (create endpoint and
/// imports); the caller checks the right.
pub async fn create_in(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    today: chrono::NaiveDate,
    f: &MachineFields,
) -> Result<machine::Model, AppError> {
    let mut am = build(None, f, today)?;
    let code = am.code.clone().unwrap();
    ensure_code_free(tx, &code, None).await?;
    let now = crate::now();
    am.status = Set("disponible".into());
    am.created_at = Set(now);
    am.updated_at = Set(now);
    am.version = Set(1);
    let m = am.insert(tx).await?;
    audit::record(
        tx,
        ctx,
        "machine",
        &m.id.to_string(),
        "create",
        None,
        Some(snapshot(&m)),
    )
    .await?;
    Ok(m)
}

pub async fn update(
    db: &Db,
    ctx: &Ctx,
    today: chrono::NaiveDate,
    id: i64,
    p: MachinePatch,
) -> Result<machine::Model, AppError> {
    ctx.require(Module::Machines, Action::Update)?;
    let current = find(&db.conn, id).await?;
    let am = build(Some(&current), &p.fields, today)?;
    if p.version != current.version {
        return Err(AppError::stale_version());
    }
    let tx = db.write().await?;
    let code = am.code.clone().unwrap();
    ensure_code_free(&tx.tx, &code, Some(id)).await?;
    let m = save(&tx.tx, ctx, &current, am, p.version, "update").await?;
    tx.commit().await?;
    Ok(m)
}

/// Writes the new values with the optimistic lock and the audit row; the caller commits.
async fn save(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    current: &machine::Model,
    mut am: machine::ActiveModel,
    version: i32,
    action: &str,
) -> Result<machine::Model, AppError> {
    am.updated_at = Set(crate::now());
    am.version = Set(current.version + 1);
    let res = machine::Entity::update_many()
        .set(am)
        .filter(machine::Column::Id.eq(current.id))
        .filter(machine::Column::Version.eq(version))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let updated = find(tx, current.id).await?;
    audit::record(
        tx,
        ctx,
        "machine",
        &current.id.to_string(),
        action,
        Some(snapshot(current)),
        Some(snapshot(&updated)),
    )
    .await?;
    Ok(updated)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Transition {
    pub to: String,
    pub label: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct TransitionRequest {
    pub to: String,
    pub version: i32,
}

/// Allowed next statuses: any of the three other than the current one.
pub fn next_statuses(current: &str) -> Vec<&'static str> {
    STATUSES
        .iter()
        .map(|(c, _, _)| *c)
        .filter(|c| *c != current)
        .collect()
}

fn transition_label(to: &str, english: bool) -> &'static str {
    match (to, english) {
        ("disponible", false) => "Remettre en service",
        ("disponible", true) => "Back in service",
        ("en_maintenance", false) => "Passer en maintenance",
        ("en_maintenance", true) => "Put under maintenance",
        (_, false) => "Déclarer en panne",
        (_, true) => "Report a breakdown",
    }
}

pub async fn transitions(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    english: bool,
) -> Result<Vec<Transition>, AppError> {
    let m = get(db, ctx, id).await?;
    if !ctx
        .principal
        .as_ref()
        .is_none_or(|p| p.can(Module::Machines, Action::Update))
    {
        return Ok(vec![]);
    }
    Ok(next_statuses(&m.status)
        .into_iter()
        .map(|to| Transition {
            to: to.into(),
            label: transition_label(to, english).into(),
        })
        .collect())
}

/// The one function that changes a machine's status.
pub async fn transition(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    req: TransitionRequest,
) -> Result<machine::Model, AppError> {
    ctx.require(Module::Machines, Action::Update)?;
    let current = find(&db.conn, id).await?;
    if !STATUSES.iter().any(|(c, _, _)| *c == req.to) {
        return Err(AppError::field(
            "to",
            "unknown_status",
            format!(
                "Statut inconnu : « {} » (disponible, en_maintenance ou en_panne).",
                req.to
            ),
            format!(
                "Unknown status: “{}” (disponible, en_maintenance or en_panne).",
                req.to
            ),
        ));
    }
    if !next_statuses(&current.status).contains(&req.to.as_str()) {
        return Err(AppError::new(
            Kind::Conflict,
            "illegal_transition",
            format!(
                "La machine est déjà « {} ».",
                label_of(STATUSES, &current.status, false)
            ),
            format!(
                "The machine is already “{}”.",
                label_of(STATUSES, &current.status, true)
            ),
        ));
    }
    if req.version != current.version {
        return Err(AppError::stale_version());
    }
    let tx = db.write().await?;
    let am = machine::ActiveModel {
        status: Set(req.to.clone()),
        ..Default::default()
    };
    let m = save(&tx.tx, ctx, &current, am, req.version, "transition").await?;
    tx.commit().await?;
    Ok(m)
}

/// Inserts a machine without rights/audit checks beyond the given context (demo loader).
pub(crate) async fn insert_demo(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    today: chrono::NaiveDate,
    f: MachineFields,
) -> Result<machine::Model, AppError> {
    let mut am = build(None, &f, today)?;
    let now = crate::now();
    am.status = Set("disponible".into());
    am.created_at = Set(now);
    am.updated_at = Set(now);
    am.version = Set(1);
    let m = am.insert(tx).await?;
    audit::record(
        tx,
        ctx,
        "machine",
        &m.id.to_string(),
        "create",
        None,
        Some(snapshot(&m)),
    )
    .await?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_machine_needs_code_name_and_kind_and_sane_numbers() {
        let f = MachineFields {
            code: Some("m 3".into()),
            kind: Some("robot".into()),
            year: Some(Some(1949)),
            max_spindle_rpm: Some(Some(100_001)),
            travel_x_mm: Some(Some("-5".into())),
            spindle_power_kw: Some(Some("0".into())),
            machine_rate: Some(Some("abc".into())),
            ..Default::default()
        };
        let e = build(None, &f, d("2026-11-27")).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "code",
                "name",
                "kind",
                "year",
                "travel_x_mm",
                "max_spindle_rpm",
                "spindle_power_kw",
                "machine_rate"
            ]
        );
    }

    #[test]
    fn year_may_be_next_year_at_most() {
        let mut f = MachineFields {
            code: Some("M09".into()),
            name: Some("Tour".into()),
            kind: Some("tour".into()),
            year: Some(Some(2027)),
            ..Default::default()
        };
        assert!(build(None, &f, d("2026-11-27")).is_ok());
        f.year = Some(Some(2028));
        assert!(build(None, &f, d("2026-11-27")).is_err());
    }

    #[test]
    fn status_changes_to_any_other_status() {
        assert_eq!(next_statuses("disponible"), ["en_maintenance", "en_panne"]);
        assert_eq!(next_statuses("en_panne"), ["disponible", "en_maintenance"]);
    }
}
