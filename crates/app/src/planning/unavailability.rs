//! Absences of people and downtime of machines, each followed by a repair proposal; and the
//! planning settings and calendars.

use super::input::{UNAVAILABILITY_KINDS, unavailability_label};
use super::proposals::{self, ProposalView, period_fr};
use super::{
    PlanningSettings, REBALANCE_MODES, SETTINGS_KEY, ShiftView, load_settings, local, parse_local,
    utc, validate_shifts,
};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Validator};
use crate::rights::{Action, Module};
use crate::settings;
use crate::shopfloor::events::Bus;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, ModelTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use usinage_planner::shop::{Event, Shift};
use usinage_store::Db;
use usinage_store::entities::{employee, machine, shop_closure, unavailability, work_calendar};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnavailabilityView {
    pub id: i64,
    /// `person` or `machine`.
    pub resource: String,
    pub resource_id: i64,
    pub resource_name: String,
    pub kind: String,
    pub kind_label: String,
    #[schema(value_type = String)]
    pub from: NaiveDateTime,
    #[schema(value_type = String)]
    pub to: NaiveDateTime,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct UnavailabilityFilter {
    /// `person` or `machine`.
    pub resource: Option<String>,
    pub id: Option<i64>,
    /// Only what overlaps the period from this shop day or time (`2026-12-08` or
    /// `2026-12-08T07:30`).
    pub from: Option<String>,
    /// … to this shop day (included) or time.
    pub to: Option<String>,
}

/// A period bound of the list filter: a shop day (its start, or for `to` the start of the next
/// day, so that the day is included) or a shop time.
fn period_bound(s: &str, end: bool) -> Option<NaiveDateTime> {
    if let Some(t) = parse_local(s) {
        return Some(t);
    }
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    let d = if end { d.succ_opt()? } else { d };
    d.and_hms_opt(0, 0, 0)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct UnavailabilityInput {
    /// `person` or `machine`.
    pub resource: Option<String>,
    pub resource_id: Option<i64>,
    /// `absence`, `conges`, `maladie`, `formation` (people), `maintenance`, `panne` (machines).
    pub kind: Option<String>,
    /// Shop time `2026-12-08T07:30`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnavailabilityCreated {
    pub unavailability: UnavailabilityView,
    /// The repair proposal (or the applied repair).
    pub proposal: Option<ProposalView>,
    pub applied: bool,
}

fn db_kind(resource: &str) -> &'static str {
    if resource == "machine" {
        "machine"
    } else {
        "employee"
    }
}

async fn name_of(db: &Db, kind: &str, id: i64) -> Result<Option<String>, AppError> {
    Ok(if kind == "machine" {
        machine::Entity::find_by_id(id)
            .one(&db.conn)
            .await?
            .map(|m| format!("{} {}", m.code, m.name))
    } else {
        employee::Entity::find_by_id(id)
            .one(&db.conn)
            .await?
            .map(|e| format!("{} {}", e.first_name, e.last_name))
    })
}

async fn view_of(db: &Db, u: unavailability::Model) -> Result<UnavailabilityView, AppError> {
    let name = name_of(db, &u.resource_kind, u.resource_id)
        .await?
        .unwrap_or_else(|| format!("#{}", u.resource_id));
    Ok(UnavailabilityView {
        id: u.id,
        resource: if u.resource_kind == "machine" {
            "machine"
        } else {
            "person"
        }
        .into(),
        resource_id: u.resource_id,
        resource_name: name,
        kind_label: unavailability_label(&u.kind).into(),
        kind: u.kind,
        from: local(u.starts_at),
        to: local(u.ends_at),
        reason: u.reason,
        created_by: u.created_by,
        created_at: u.created_at,
    })
}

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    f: &UnavailabilityFilter,
) -> Result<Vec<UnavailabilityView>, AppError> {
    ctx.require(Module::Planning, Action::Read)?;
    // Every filter is checked before any is refused, so one answer names all the bad ones.
    let mut v = Validator::default();
    let resource = match f.resource.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(r @ ("person" | "machine")) => Some(r),
        Some(_) => {
            v.add(
                "resource",
                "invalid_choice",
                "Ressource : « person » ou « machine ».",
                "Resource: “person” or “machine”.",
            );
            None
        }
    };
    // A blank bound is no bound, as for the other lists' date filters.
    let bound = |s: Option<&str>, end: bool| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| period_bound(s, end))
    };
    let from = bound(f.from.as_deref(), false);
    let to = bound(f.to.as_deref(), true);
    if let Some(None) = from {
        v.add(
            "from",
            "invalid",
            "Début de période attendu au format 2026-12-08 ou 2026-12-08T07:30.",
            "Period start expected as 2026-12-08 or 2026-12-08T07:30.",
        );
    }
    if let Some(None) = to {
        v.add(
            "to",
            "invalid",
            "Fin de période attendue au format 2026-12-31 ou 2026-12-31T17:00.",
            "Period end expected as 2026-12-31 or 2026-12-31T17:00.",
        );
    }
    if let (Some(Some(a)), Some(Some(b))) = (from, to)
        && b <= a
    {
        v.add(
            "to",
            "before_start",
            "La fin de la période doit être après son début.",
            "The period end must be after its start.",
        );
    }
    v.finish()?;
    let mut q = unavailability::Entity::find();
    if let Some(r) = resource {
        q = q.filter(unavailability::Column::ResourceKind.eq(db_kind(r)));
    }
    if let Some(id) = f.id {
        q = q.filter(unavailability::Column::ResourceId.eq(id));
    }
    // Overlap: it ends after the period starts and starts before the period ends.
    if let Some(Some(a)) = from {
        q = q.filter(unavailability::Column::EndsAt.gt(utc(a)));
    }
    if let Some(Some(b)) = to {
        q = q.filter(unavailability::Column::StartsAt.lt(utc(b)));
    }
    let rows = q
        .order_by_desc(unavailability::Column::StartsAt)
        .all(&db.conn)
        .await?;
    let mut out = vec![];
    for u in rows.into_iter().take(500) {
        out.push(view_of(db, u).await?);
    }
    Ok(out)
}

/// Records an absence or a downtime and computes the repair (a proposal, or applied at once
/// when `rebalance_mode` is `appliquer`).
pub async fn create(
    db: &Db,
    ctx: &Ctx,
    bus: &Bus,
    i: UnavailabilityInput,
    english: bool,
) -> Result<UnavailabilityCreated, AppError> {
    ctx.require(Module::Planning, Action::Create)?;
    let mut v = Validator::default();
    let resource = i.resource.as_deref().unwrap_or("");
    if resource != "person" && resource != "machine" {
        v.add(
            "resource",
            "invalid_choice",
            "Ressource : « person » (une personne) ou « machine ».",
            "Resource: “person” or “machine”.",
        );
    }
    let kind = i.kind.as_deref().unwrap_or("");
    let allowed: &[&str] = if resource == "machine" {
        &["maintenance", "panne"]
    } else {
        &["absence", "conges", "maladie", "formation"]
    };
    if !allowed.contains(&kind) || !UNAVAILABILITY_KINDS.iter().any(|k| k.0 == kind) {
        v.add(
            "kind",
            "invalid_choice",
            format!("Type attendu : {}.", allowed.join(", ")),
            format!("Expected kind: {}.", allowed.join(", ")),
        );
    }
    let from = i.from.as_deref().and_then(parse_local);
    let to = i.to.as_deref().and_then(parse_local);
    if from.is_none() {
        v.add(
            "from",
            "invalid",
            "Début attendu au format 2026-12-08T07:30.",
            "Start expected as 2026-12-08T07:30.",
        );
    }
    if to.is_none() {
        v.add(
            "to",
            "invalid",
            "Fin attendue au format 2026-12-09T17:00.",
            "End expected as 2026-12-09T17:00.",
        );
    }
    if let (Some(a), Some(b)) = (from, to) {
        if b <= a {
            v.add(
                "to",
                "before_start",
                "La fin doit être après le début.",
                "The end must be after the start.",
            );
        } else if (b - a).num_days() > 366 {
            v.add(
                "to",
                "too_long",
                "Une indisponibilité dure un an au plus.",
                "An unavailability lasts one year at most.",
            );
        }
    }
    let reason = i
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        v.add(
            "reason",
            "too_long",
            "500 caractères au plus.",
            "At most 500 characters.",
        );
    }
    let Some(rid) = i.resource_id else {
        v.add(
            "resource_id",
            "required",
            "Indiquez la personne ou la machine.",
            "Give the person or the machine.",
        );
        return Err(v
            .finish()
            .err()
            .unwrap_or_else(|| AppError::internal("validation")));
    };
    v.finish()?;
    let (from, to) = (from.unwrap_or_default(), to.unwrap_or_default());
    let dbk = db_kind(resource);
    let Some(name) = name_of(db, dbk, rid).await? else {
        return Err(AppError::field(
            "resource_id",
            "not_found",
            if resource == "machine" {
                "Machine introuvable."
            } else {
                "Personne introuvable."
            },
            "Not found.",
        ));
    };
    let tx = db.write().await?;
    let now = crate::now();
    let u = unavailability::ActiveModel {
        resource_kind: Set(dbk.into()),
        resource_id: Set(rid),
        starts_at: Set(utc(from)),
        ends_at: Set(utc(to)),
        kind: Set(kind.into()),
        reason: Set(reason),
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
        "unavailability",
        &u.id.to_string(),
        "create",
        None,
        Some(
            serde_json::json!({"resource": dbk, "resource_id": rid, "kind": kind,
            "from": u.starts_at, "to": u.ends_at}),
        ),
    )
    .await?;
    tx.commit().await?;

    let (event, trigger) = if resource == "machine" {
        (Event::MachineDown { machine_id: rid }, "panne_machine")
    } else {
        (Event::Absence { person_id: rid }, "absence")
    };
    let trigger_ref = format!("{name}, {}", period_fr(from, to));
    let (p, applied) =
        proposals::repair_after(db, ctx, bus, event, trigger, Some(trigger_ref)).await?;
    let proposal = proposals::get(db, ctx, p.id, english).await?;
    Ok(UnavailabilityCreated {
        unavailability: view_of(db, u).await?,
        proposal: Some(proposal),
        applied,
    })
}

pub async fn delete(db: &Db, ctx: &Ctx, id: i64) -> Result<(), AppError> {
    ctx.require(Module::Planning, Action::Create)?;
    let tx = db.write().await?;
    let u = unavailability::Entity::find_by_id(id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Indisponibilité", "Unavailability"))?;
    audit::record(
        &tx.tx,
        ctx,
        "unavailability",
        &id.to_string(),
        "delete",
        Some(
            serde_json::json!({"resource": u.resource_kind, "resource_id": u.resource_id,
            "kind": u.kind, "from": u.starts_at, "to": u.ends_at}),
        ),
        None,
    )
    .await?;
    u.delete(&tx.tx).await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Settings and calendars

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ClosureView {
    #[schema(value_type = String)]
    pub day: NaiveDate,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SettingsView {
    pub rebalance_mode: String,
    pub rebalance_modes: Vec<crate::rights::CodeLabel>,
    pub horizon_days: u32,
    pub nightly: bool,
    /// Decimal text, e.g. `"0.3"`.
    pub same_family_setup_factor: String,
    pub shop_shifts: Vec<ShiftView>,
    pub closures: Vec<ClosureView>,
    /// Send it back with the change: a save based on an older version is refused (409).
    pub version: i64,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct SettingsInput {
    /// The `version` the change was made on; left out, the save is not checked.
    pub version: Option<i64>,
    pub rebalance_mode: Option<String>,
    pub horizon_days: Option<u32>,
    pub nightly: Option<bool>,
    pub same_family_setup_factor: Option<String>,
    pub shop_shifts: Option<Vec<ShiftView>>,
    pub closures: Option<Vec<ClosureView>>,
}

async fn settings_view(db: &Db, english: bool) -> Result<SettingsView, AppError> {
    let s = load_settings(&db.conn).await?;
    let closures = shop_closure::Entity::find()
        .order_by_asc(shop_closure::Column::Day)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|c| ClosureView {
            day: c.day,
            label: c.label,
        })
        .collect();
    Ok(SettingsView {
        rebalance_mode: s.rebalance_mode,
        rebalance_modes: REBALANCE_MODES
            .iter()
            .map(|(c, fr, en)| crate::rights::CodeLabel {
                code: (*c).into(),
                label: (if english { *en } else { *fr }).into(),
            })
            .collect(),
        horizon_days: s.horizon_days,
        nightly: s.nightly,
        same_family_setup_factor: s.same_family_setup_factor.normalize().to_string(),
        shop_shifts: s.shop_shifts.iter().map(ShiftView::from).collect(),
        closures,
        version: s.version,
    })
}

pub async fn get_settings(db: &Db, ctx: &Ctx, english: bool) -> Result<SettingsView, AppError> {
    ctx.require(Module::Planning, Action::Read)?;
    settings_view(db, english).await
}

pub async fn put_settings(
    db: &Db,
    ctx: &Ctx,
    i: SettingsInput,
    english: bool,
) -> Result<SettingsView, AppError> {
    ctx.require(Module::Planning, Action::Validate)?;
    // Read and written in one write transaction: the version check cannot race another save.
    let tx = db.write().await?;
    let mut s: PlanningSettings = load_settings(&tx.tx).await?;
    if i.version.is_some_and(|v| v != s.version) {
        return Err(AppError::stale_version());
    }
    let before = serde_json::to_value(&s).ok();
    let mut v = Validator::default();
    if let Some(m) = &i.rebalance_mode {
        if REBALANCE_MODES.iter().any(|x| x.0 == m) {
            s.rebalance_mode = m.clone();
        } else {
            v.add(
                "rebalance_mode",
                "invalid_choice",
                "Mode : « attendre » ou « appliquer ».",
                "Mode: “attendre” or “appliquer”.",
            );
        }
    }
    if let Some(h) = i.horizon_days {
        if (1..=120).contains(&h) {
            s.horizon_days = h;
        } else {
            v.add(
                "horizon_days",
                "out_of_range",
                "Horizon de 1 à 120 jours.",
                "Horizon from 1 to 120 days.",
            );
        }
    }
    if let Some(n) = i.nightly {
        s.nightly = n;
    }
    if let Some(f) = &i.same_family_setup_factor {
        match f.trim().replace(',', ".").parse::<Decimal>() {
            Ok(d) if d >= Decimal::ZERO && d <= Decimal::ONE => s.same_family_setup_factor = d,
            _ => v.add(
                "same_family_setup_factor",
                "out_of_range",
                "Coefficient de réglage entre 0 et 1 (ex. 0,3).",
                "Set-up factor between 0 and 1 (e.g. 0.3).",
            ),
        }
    }
    if let Some(sh) = &i.shop_shifts {
        validate_shifts(&mut v, "shop_shifts", sh);
        if sh.is_empty() {
            v.add(
                "shop_shifts",
                "required",
                "L'atelier doit travailler au moins une plage par semaine.",
                "The shop must work at least one shift a week.",
            );
        }
        s.shop_shifts = sh.iter().map(Shift::from).collect();
    }
    if let Some(c) = &i.closures {
        for x in c {
            if x.label.trim().is_empty() || x.label.chars().count() > 200 {
                v.add(
                    "closures",
                    "invalid",
                    "Chaque fermeture a un libellé (200 caractères au plus).",
                    "Each closure needs a label (at most 200 characters).",
                );
                break;
            }
        }
        let mut days: Vec<NaiveDate> = c.iter().map(|x| x.day).collect();
        days.sort();
        days.dedup();
        if days.len() != c.len() {
            v.add(
                "closures",
                "duplicate",
                "Un même jour de fermeture est donné deux fois.",
                "A closure day is given twice.",
            );
        }
    }
    v.finish()?;
    s.version += 1;
    settings::put(&tx.tx, SETTINGS_KEY, &s).await?;
    if let Some(c) = &i.closures {
        shop_closure::Entity::delete_many().exec(&tx.tx).await?;
        let now = crate::now();
        for x in c {
            shop_closure::ActiveModel {
                day: Set(x.day),
                label: Set(x.label.trim().to_string()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&tx.tx)
            .await?;
        }
    }
    audit::record(
        &tx.tx,
        ctx,
        "setting",
        SETTINGS_KEY,
        "update",
        before,
        serde_json::to_value(&s).ok(),
    )
    .await?;
    tx.commit().await?;
    settings_view(db, english).await
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CalendarView {
    /// `machine` or `person`.
    pub resource: String,
    pub id: i64,
    /// Own week; `null`: follows the shop's week (machines) or the contract hours (people).
    pub shifts: Option<Vec<ShiftView>>,
    /// 0 while the resource has no week of its own. Send it back with the change: a save based
    /// on an older version is refused (409).
    pub version: i32,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CalendarInput {
    /// `null` removes the resource's own week.
    pub shifts: Option<Vec<ShiftView>>,
    /// The `version` the change was made on; left out, the save is not checked.
    pub version: Option<i32>,
}

fn scope_of(resource: &str) -> Result<&'static str, AppError> {
    match resource {
        "machine" => Ok("machine"),
        "person" => Ok("employee"),
        _ => Err(AppError::not_found("Calendrier", "Calendar")),
    }
}

pub async fn get_calendar(
    db: &Db,
    ctx: &Ctx,
    resource: &str,
    id: i64,
) -> Result<CalendarView, AppError> {
    ctx.require(Module::Planning, Action::Read)?;
    let scope = scope_of(resource)?;
    if name_of(db, db_kind(resource), id).await?.is_none() {
        return Err(AppError::not_found("Ressource", "Resource"));
    }
    let c = work_calendar::Entity::find()
        .filter(work_calendar::Column::Scope.eq(scope))
        .filter(work_calendar::Column::ResourceId.eq(id))
        .one(&db.conn)
        .await?;
    Ok(CalendarView {
        resource: resource.into(),
        id,
        version: c.as_ref().map_or(0, |c| c.version),
        shifts: c.map(|c| {
            serde_json::from_str::<Vec<Shift>>(&c.shifts_json)
                .unwrap_or_default()
                .iter()
                .map(ShiftView::from)
                .collect()
        }),
    })
}

pub async fn put_calendar(
    db: &Db,
    ctx: &Ctx,
    resource: &str,
    id: i64,
    i: CalendarInput,
) -> Result<CalendarView, AppError> {
    ctx.require(Module::Planning, Action::Update)?;
    let scope = scope_of(resource)?;
    if name_of(db, db_kind(resource), id).await?.is_none() {
        return Err(AppError::not_found("Ressource", "Resource"));
    }
    if let Some(sh) = &i.shifts {
        let mut v = Validator::default();
        validate_shifts(&mut v, "shifts", sh);
        v.finish()?;
    }
    let tx = db.write().await?;
    let existing = work_calendar::Entity::find()
        .filter(work_calendar::Column::Scope.eq(scope))
        .filter(work_calendar::Column::ResourceId.eq(id))
        .one(&tx.tx)
        .await?;
    if i.version
        .is_some_and(|v| v != existing.as_ref().map_or(0, |c| c.version))
    {
        return Err(AppError::stale_version());
    }
    let before = existing
        .as_ref()
        .map(|c| serde_json::json!({"shifts": c.shifts_json}));
    let now = crate::now();
    match (&i.shifts, existing) {
        (None, Some(c)) => {
            c.delete(&tx.tx).await?;
        }
        (None, None) => {}
        (Some(sh), existing) => {
            let json: Vec<Shift> = sh.iter().map(Shift::from).collect();
            let json =
                serde_json::to_string(&json).map_err(|_| AppError::internal("calendrier"))?;
            match existing {
                Some(c) => {
                    let version = c.version;
                    let mut a: work_calendar::ActiveModel = c.into();
                    a.shifts_json = Set(json);
                    a.updated_at = Set(now);
                    a.version = Set(version + 1);
                    a.update(&tx.tx).await?;
                }
                None => {
                    work_calendar::ActiveModel {
                        scope: Set(scope.into()),
                        resource_id: Set(id),
                        shifts_json: Set(json),
                        created_at: Set(now),
                        updated_at: Set(now),
                        version: Set(1),
                        ..Default::default()
                    }
                    .insert(&tx.tx)
                    .await?;
                }
            }
        }
    }
    audit::record(
        &tx.tx,
        ctx,
        "work_calendar",
        &format!("{scope}:{id}"),
        "update",
        before,
        Some(serde_json::json!({"shifts": i.shifts.as_ref().map(|s| s.len())})),
    )
    .await?;
    tx.commit().await?;
    get_calendar(db, ctx, resource, id).await
}
