//! Routing (gamme) editing: add, change (machine, times, subcontract data…), remove, reorder
//! operations; every change is a new routing version (a JSON snapshot) that can be compared
//! with the current routing and restored. Méthode validates a routing before it goes to the
//! shop; once a job is in progress, changes need méthode, chef d'atelier or admin.

use super::{
    JobView, OpInstrument, OpTool, PROCESSES, WORK_CENTRES, find, has_method_role, operations_of,
    view,
};
use crate::audit;
use crate::crm::label_of;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::orders::{clean, date_field};
use crate::rights::{Action, Module};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use usinage_store::Db;
use usinage_store::entities::{
    job, job_operation, machine, method_sheet, method_sheet_version, partner, routing_version,
};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OperationInput {
    /// Process code (`debit`, `tournage`, `fraisage`, …, `controle`, `emballage`).
    pub process: Option<String>,
    pub label: Option<String>,
    pub description: Option<String>,
    /// Machine doing the operation (checked: kind, bar capacity, travels).
    pub machine_id: Option<i64>,
    /// Work centre when no machine (`controle`, `ebavurage`, `emballage`…).
    pub work_centre: Option<String>,
    pub supplier_id: Option<i64>,
    pub supplier_name: Option<String>,
    /// Purchase order sent to the subcontractor.
    pub subcontract_po: Option<String>,
    /// `YYYY-MM-DD`
    pub send_date: Option<String>,
    /// `YYYY-MM-DD`
    pub return_date: Option<String>,
    /// Minutes per lot, e.g. "45".
    pub setup_min: Option<String>,
    /// Minutes per part, e.g. "3.5".
    pub run_min: Option<String>,
    /// Skill codes separated by spaces or commas.
    pub skills: Option<String>,
    pub nc_program: Option<String>,
    /// On POST: insert after this operation (default: at the end).
    pub after_id: Option<i64>,
    /// Clears `machine_id` (a `null` cannot be told from an absent field).
    #[serde(default)]
    pub clear_machine: bool,
    /// Required on PATCH.
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct Reorder {
    /// Every operation id of the job, in the new order.
    pub operation_ids: Vec<i64>,
    /// The job's version.
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct JobVersion {
    /// The job's version as read.
    pub version: i32,
    /// Why (kept with the routing version).
    pub comment: Option<String>,
}

/// One operation as kept in a routing version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OpSnapshot {
    pub id: i64,
    pub position: i32,
    pub process: String,
    pub label: String,
    pub description: Option<String>,
    pub machine_id: Option<i64>,
    pub work_centre: Option<String>,
    pub supplier_id: Option<i64>,
    pub supplier_name: Option<String>,
    pub subcontract_po: Option<String>,
    pub send_date: Option<NaiveDate>,
    pub return_date: Option<NaiveDate>,
    pub setup_min: String,
    pub run_min: String,
    pub skills: String,
    pub tools_json: String,
    pub instruments_json: String,
    pub nc_program: Option<String>,
    /// The method sheet's content at that time.
    pub sheet: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoutingVersionView {
    pub version: i32,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub comment: Option<String>,
    pub operation_count: usize,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct RoutingChange {
    /// `ajoutee`, `supprimee`, `modifiee`, `deplacee`.
    pub kind: String,
    pub position: i32,
    pub label: String,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoutingDiff {
    pub from: i32,
    pub to: i32,
    pub changes: Vec<RoutingChange>,
}

pub(crate) fn snapshot_of(
    ops: &[job_operation::Model],
    sheets: &[method_sheet::Model],
) -> Vec<OpSnapshot> {
    ops.iter()
        .map(|o| OpSnapshot {
            id: o.id,
            position: o.position,
            process: o.process.clone(),
            label: o.label.clone(),
            description: o.description.clone(),
            machine_id: o.machine_id,
            work_centre: o.work_centre.clone(),
            supplier_id: o.supplier_id,
            supplier_name: o.supplier_name.clone(),
            subcontract_po: o.subcontract_po.clone(),
            send_date: o.send_date,
            return_date: o.return_date,
            setup_min: o.setup_min.clone(),
            run_min: o.run_min.clone(),
            skills: o.skills.clone(),
            tools_json: o.tools_json.clone(),
            instruments_json: o.instruments_json.clone(),
            nc_program: o.nc_program.clone(),
            sheet: sheets
                .iter()
                .find(|s| s.operation_id == o.id)
                .map(|s| s.content.clone()),
        })
        .collect()
}

async fn current_snapshot<C: ConnectionTrait>(
    db: &C,
    job_id: i64,
) -> Result<Vec<OpSnapshot>, AppError> {
    let ops = operations_of(db, job_id).await?;
    let sheets = method_sheet::Entity::find()
        .filter(method_sheet::Column::JobId.eq(job_id))
        .all(db)
        .await?;
    Ok(snapshot_of(&ops, &sheets))
}

/// Stores the routing as it is now as version `version`.
pub(crate) async fn save_version<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    job_id: i64,
    version: i32,
    comment: Option<String>,
) -> Result<(), AppError> {
    let snap = current_snapshot(db, job_id).await?;
    routing_version::ActiveModel {
        job_id: Set(job_id),
        version: Set(version),
        snapshot: Set(
            serde_json::to_string(&snap).map_err(|_| AppError::internal("instantané de gamme"))?
        ),
        comment: Set(comment),
        created_by: Set(ctx.actor_login().to_string()),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// May this person change the routing of `j` now? (Right, status, role once started.)
pub(crate) fn require_editable(ctx: &Ctx, j: &job::Model) -> Result<(), AppError> {
    ctx.require(Module::Routings, Action::Update)?;
    match j.status.as_str() {
        "brouillon" | "pret" => Ok(()),
        "en_cours" if has_method_role(ctx) => Ok(()),
        "en_cours" => Err(AppError::forbidden(
            "La production de cet OF a commencé : seuls les méthodes, le chef d'atelier ou l'administrateur modifient sa gamme.",
            "Production has started: only methods, the shop foreman or the admin may change this routing.",
        )),
        _ => Err(AppError::new(
            Kind::Conflict,
            "job_closed",
            format!(
                "L'OF {} est « {} » : sa gamme ne se modifie plus.",
                j.number,
                label_of(super::JOB_STATUSES, &j.status, false)
            ),
            format!("Job {} is closed: its routing cannot change.", j.number),
        )),
    }
}

/// After a change: new routing version, a validated routing goes back to review, audit.
async fn bump<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    j: &job::Model,
    action: &str,
    comment: Option<String>,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<job::Model, AppError> {
    let mut am: job::ActiveModel = j.clone().into();
    am.routing_version = Set(j.routing_version + 1);
    if j.status == "pret" {
        am.status = Set("brouillon".into());
        am.routing_validated_by = Set(None);
        am.routing_validated_at = Set(None);
    }
    am.updated_at = Set(crate::now());
    am.version = Set(j.version + 1);
    let out = am.update(db).await?;
    save_version(db, ctx, j.id, out.routing_version, comment).await?;
    audit::record(
        db,
        ctx,
        "job",
        &j.id.to_string(),
        action,
        Some(before),
        Some(after),
    )
    .await?;
    Ok(out)
}

fn op_audit(o: &job_operation::Model) -> serde_json::Value {
    serde_json::json!({
        "id": o.id, "position": o.position, "process": o.process, "label": o.label,
        "machine_id": o.machine_id, "work_centre": o.work_centre, "supplier_id": o.supplier_id,
        "supplier_name": o.supplier_name, "subcontract_po": o.subcontract_po,
        "send_date": o.send_date, "return_date": o.return_date, "setup_min": o.setup_min,
        "run_min": o.run_min, "skills": o.skills, "nc_program": o.nc_program,
    })
}

fn minutes(v: &mut Validator, field: &str, s: &Option<String>) -> Option<String> {
    let s = s.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    crate::units::decimal_field(
        v,
        field,
        s,
        2,
        rust_decimal::Decimal::ZERO,
        rust_decimal::Decimal::from(100_000),
    )
    .map(|d| d.normalize().to_string())
}

/// The checked values of an operation input.
struct Checked {
    process: Option<String>,
    label: Option<String>,
    description: Option<String>,
    work_centre: Option<String>,
    supplier_name: Option<String>,
    subcontract_po: Option<String>,
    send_date: Option<NaiveDate>,
    return_date: Option<NaiveDate>,
    setup_min: Option<String>,
    run_min: Option<String>,
    skills: Option<String>,
    nc_program: Option<String>,
}

fn check_input(i: &OperationInput) -> Result<Checked, AppError> {
    let mut v = Validator::default();
    let process = i
        .process
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(p) = process
        && !PROCESSES.iter().any(|(c, _, _)| *c == p)
    {
        let codes: Vec<&str> = PROCESSES.iter().map(|(c, _, _)| *c).collect();
        v.add(
            "process",
            "invalid_choice",
            format!("Procédé « {p} » inconnu : {}.", codes.join(", ")),
            format!("Unknown process “{p}”."),
        );
    }
    let work_centre = i
        .work_centre
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(w) = work_centre
        && !WORK_CENTRES.iter().any(|(c, _, _)| *c == w)
    {
        let codes: Vec<&str> = WORK_CENTRES.iter().map(|(c, _, _)| *c).collect();
        v.add(
            "work_centre",
            "invalid_choice",
            format!("Poste « {w} » inconnu : {}.", codes.join(", ")),
            format!("Unknown work centre “{w}”."),
        );
    }
    let skills = clean(&i.skills, 200, "skills", &mut v).map(|s| {
        s.split([' ', ','])
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    });
    let send_date = date_field(&mut v, "send_date", &i.send_date);
    let return_date = date_field(&mut v, "return_date", &i.return_date);
    if let (Some(s), Some(r)) = (send_date, return_date)
        && r < s
    {
        v.add(
            "return_date",
            "before_send",
            "Le retour du sous-traitant ne peut pas précéder l'envoi.",
            "The return cannot precede the sending.",
        );
    }
    let out = Checked {
        process: process.map(str::to_string),
        label: clean(&i.label, 200, "label", &mut v),
        description: clean(&i.description, 4000, "description", &mut v),
        work_centre: work_centre.map(str::to_string),
        supplier_name: clean(&i.supplier_name, 200, "supplier_name", &mut v),
        subcontract_po: clean(&i.subcontract_po, 100, "subcontract_po", &mut v),
        send_date,
        return_date,
        setup_min: minutes(&mut v, "setup_min", &i.setup_min),
        run_min: minutes(&mut v, "run_min", &i.run_min),
        skills,
        nc_program: clean(&i.nc_program, 100, "nc_program", &mut v),
    };
    v.finish()?;
    Ok(out)
}

async fn machine_for<C: ConnectionTrait>(
    db: &C,
    j: &job::Model,
    process: &str,
    id: i64,
) -> Result<machine::Model, AppError> {
    let m = machine::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| m.active)
        .ok_or_else(|| {
            AppError::field(
                "machine_id",
                "unknown_machine",
                "Machine inconnue ou archivée.",
                "Unknown or archived machine.",
            )
        })?;
    super::generate::check_machine(db, j, process, &m).await?;
    Ok(m)
}

async fn supplier_for<C: ConnectionTrait>(db: &C, id: i64) -> Result<partner::Model, AppError> {
    partner::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|p| p.kind == "fournisseur" || p.kind == "supplier")
        .ok_or_else(|| {
            AppError::field(
                "supplier_id",
                "unknown_supplier",
                "Fournisseur inconnu : choisissez un sous-traitant de la liste.",
                "Unknown supplier.",
            )
        })
}

/// Renumbers positions 10, 20, 30… in the given order.
async fn renumber<C: ConnectionTrait>(db: &C, ids: &[i64]) -> Result<(), AppError> {
    for (k, id) in ids.iter().enumerate() {
        let pos = (k as i32 + 1) * 10;
        job_operation::Entity::update_many()
            .col_expr(
                job_operation::Column::Position,
                sea_orm::sea_query::Expr::value(pos),
            )
            .filter(job_operation::Column::Id.eq(*id))
            .exec(db)
            .await?;
    }
    Ok(())
}

pub async fn add_operation(
    db: &Db,
    ctx: &Ctx,
    job_id: i64,
    i: OperationInput,
    english: bool,
) -> Result<JobView, AppError> {
    ctx.require(Module::Routings, Action::Update)?;
    let c = check_input(&i)?;
    let Some(process) = c.process.clone() else {
        return Err(AppError::field(
            "process",
            "required",
            "Choisissez le procédé de l'opération (débit, tournage, fraisage, contrôle…).",
            "Choose the operation's process.",
        ));
    };
    let tx = db.write().await?;
    let j = find(&tx.tx, job_id).await?;
    require_editable(ctx, &j)?;
    let m = match i.machine_id {
        Some(id) => Some(machine_for(&tx.tx, &j, &process, id).await?),
        None => None,
    };
    let supplier = match i.supplier_id {
        Some(id) => Some(supplier_for(&tx.tx, id).await?),
        None => None,
    };
    let ops = operations_of(&tx.tx, job_id).await?;
    if let Some(after) = i.after_id
        && !ops.iter().any(|o| o.id == after)
    {
        return Err(AppError::field(
            "after_id",
            "unknown_operation",
            "L'opération de référence n'est pas dans cette gamme.",
            "The reference operation is not in this routing.",
        ));
    }
    let now = crate::now();
    let label = c
        .label
        .clone()
        .unwrap_or_else(|| label_of(PROCESSES, &process, false));
    let op = job_operation::ActiveModel {
        job_id: Set(job_id),
        position: Set(0),
        process: Set(process.clone()),
        label: Set(label),
        description: Set(c.description),
        machine_id: Set(m.as_ref().map(|m| m.id)),
        work_centre: Set(c.work_centre),
        supplier_id: Set(supplier.as_ref().map(|s| s.id)),
        supplier_name: Set(c
            .supplier_name
            .or_else(|| supplier.as_ref().map(|s| s.name.clone()))),
        subcontract_po: Set(c.subcontract_po),
        send_date: Set(c.send_date),
        return_date: Set(c.return_date),
        setup_min: Set(c.setup_min.unwrap_or_else(|| "0".into())),
        run_min: Set(c.run_min.unwrap_or_else(|| "0".into())),
        skills: Set(c.skills.unwrap_or_default()),
        tools_json: Set("[]".into()),
        instruments_json: Set("[]".into()),
        nc_program: Set(c.nc_program),
        status: Set("a_faire".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&tx.tx)
    .await?;
    let mut order: Vec<i64> = ops.iter().map(|o| o.id).collect();
    let at = i
        .after_id
        .and_then(|a| order.iter().position(|x| *x == a))
        .map(|p| p + 1)
        .unwrap_or(order.len());
    order.insert(at, op.id);
    renumber(&tx.tx, &order).await?;
    if m.is_some() {
        super::method_sheets::create_blank(&tx.tx, ctx, &j, &op).await?;
    }
    let op = job_operation::Entity::find_by_id(op.id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::internal("opération"))?;
    let j = bump(
        &tx.tx,
        ctx,
        &j,
        "routing_add",
        Some(format!("Ajout de l'opération {} {}", op.position, op.label)),
        serde_json::json!({"routing_version": j.routing_version}),
        serde_json::json!({"routing_version": j.routing_version + 1, "added": op_audit(&op)}),
    )
    .await?;
    let out = view(&tx.tx, ctx, &j, english).await?;
    tx.commit().await?;
    Ok(out)
}

async fn find_op<C: ConnectionTrait>(db: &C, id: i64) -> Result<job_operation::Model, AppError> {
    job_operation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Opération", "Operation"))
}

pub async fn update_operation(
    db: &Db,
    ctx: &Ctx,
    op_id: i64,
    i: OperationInput,
    english: bool,
) -> Result<JobView, AppError> {
    ctx.require(Module::Routings, Action::Update)?;
    let Some(version) = i.version else {
        return Err(AppError::field(
            "version",
            "required",
            "Renvoyez la version lue de l'opération.",
            "Send back the operation's version.",
        ));
    };
    let c = check_input(&i)?;
    let tx = db.write().await?;
    let cur = find_op(&tx.tx, op_id).await?;
    let j = find(&tx.tx, cur.job_id).await?;
    require_editable(ctx, &j)?;
    if cur.version != version {
        return Err(AppError::stale_version());
    }
    if cur.status == "termine" {
        // What was done on the floor (machine, times, quantities) stays as recorded.
        return Err(AppError::new(
            Kind::Conflict,
            "operation_finished",
            format!(
                "L'opération {} est terminée : elle ne peut plus être modifiée.",
                cur.position
            ),
            format!(
                "Operation {} is finished: it can no longer be changed.",
                cur.position
            ),
        ));
    }
    let process = c.process.clone().unwrap_or_else(|| cur.process.clone());
    let mut am: job_operation::ActiveModel = cur.clone().into();
    if c.process.is_some() {
        am.process = Set(process.clone());
    }
    let machine_changed = match (i.machine_id, i.clear_machine) {
        (_, true) => {
            am.machine_id = Set(None);
            cur.machine_id.is_some()
        }
        (Some(id), false) => {
            let m = machine_for(&tx.tx, &j, &process, id).await?;
            am.machine_id = Set(Some(m.id));
            cur.machine_id != Some(m.id)
        }
        (None, false) => {
            // The process changed: the machine kept must still be able to do it.
            if c.process.is_some()
                && let Some(mid) = cur.machine_id
            {
                machine_for(&tx.tx, &j, &process, mid).await?;
            }
            false
        }
    };
    if let Some(l) = c.label {
        am.label = Set(l);
    }
    if i.description.is_some() {
        am.description = Set(c.description);
    }
    if i.work_centre.is_some() {
        am.work_centre = Set(c.work_centre);
    }
    if let Some(sid) = i.supplier_id {
        let s = supplier_for(&tx.tx, sid).await?;
        am.supplier_id = Set(Some(s.id));
        if c.supplier_name.is_none() {
            am.supplier_name = Set(Some(s.name));
        }
    }
    if i.supplier_name.is_some() {
        am.supplier_name = Set(c.supplier_name);
    }
    if i.subcontract_po.is_some() {
        am.subcontract_po = Set(c.subcontract_po);
    }
    if i.send_date.is_some() {
        am.send_date = Set(c.send_date);
    }
    if i.return_date.is_some() {
        am.return_date = Set(c.return_date);
    }
    if let Some(s) = c.setup_min {
        am.setup_min = Set(s);
    }
    if let Some(r) = c.run_min {
        am.run_min = Set(r);
    }
    if let Some(s) = c.skills {
        am.skills = Set(s);
    }
    if i.nc_program.is_some() {
        am.nc_program = Set(c.nc_program);
    }
    am.updated_at = Set(crate::now());
    am.version = Set(cur.version + 1);
    let op = am.update(&tx.tx).await?;
    if machine_changed {
        // New machine: the cutting conditions are recomputed for its speed and power.
        super::method_sheets::recompute_for_operation(&tx.tx, ctx, &j, &op).await?;
    }
    let j = bump(
        &tx.tx,
        ctx,
        &j,
        "routing_update",
        Some(format!(
            "Modification de l'opération {} {}",
            op.position, op.label
        )),
        op_audit(&cur),
        op_audit(&op),
    )
    .await?;
    let out = view(&tx.tx, ctx, &j, english).await?;
    tx.commit().await?;
    Ok(out)
}

pub(crate) async fn delete_sheet_of<C: ConnectionTrait>(
    db: &C,
    op_id: i64,
) -> Result<(), AppError> {
    if let Some(s) = method_sheet::Entity::find()
        .filter(method_sheet::Column::OperationId.eq(op_id))
        .one(db)
        .await?
    {
        method_sheet_version::Entity::delete_many()
            .filter(method_sheet_version::Column::MethodSheetId.eq(s.id))
            .exec(db)
            .await?;
        method_sheet::Entity::delete_by_id(s.id).exec(db).await?;
    }
    Ok(())
}

pub async fn delete_operation(
    db: &Db,
    ctx: &Ctx,
    op_id: i64,
    english: bool,
) -> Result<JobView, AppError> {
    ctx.require(Module::Routings, Action::Update)?;
    let tx = db.write().await?;
    let op = find_op(&tx.tx, op_id).await?;
    let j = find(&tx.tx, op.job_id).await?;
    require_editable(ctx, &j)?;
    if op.status != "a_faire" {
        return Err(AppError::new(
            Kind::Conflict,
            "operation_started",
            format!(
                "L'opération {} a déjà été commencée : elle ne peut plus être supprimée.",
                op.position
            ),
            format!(
                "Operation {} has started: it cannot be removed.",
                op.position
            ),
        ));
    }
    delete_sheet_of(&tx.tx, op.id).await?;
    job_operation::Entity::delete_by_id(op.id)
        .exec(&tx.tx)
        .await?;
    let rest: Vec<i64> = operations_of(&tx.tx, j.id)
        .await?
        .iter()
        .map(|o| o.id)
        .collect();
    renumber(&tx.tx, &rest).await?;
    let j = bump(
        &tx.tx,
        ctx,
        &j,
        "routing_delete",
        Some(format!(
            "Suppression de l'opération {} {}",
            op.position, op.label
        )),
        serde_json::json!({"removed": op_audit(&op)}),
        serde_json::json!({"routing_version": j.routing_version + 1}),
    )
    .await?;
    let out = view(&tx.tx, ctx, &j, english).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn reorder(
    db: &Db,
    ctx: &Ctx,
    job_id: i64,
    r: Reorder,
    english: bool,
) -> Result<JobView, AppError> {
    ctx.require(Module::Routings, Action::Update)?;
    let tx = db.write().await?;
    let j = find(&tx.tx, job_id).await?;
    require_editable(ctx, &j)?;
    if j.version != r.version {
        return Err(AppError::stale_version());
    }
    let ops = operations_of(&tx.tx, job_id).await?;
    let mut given = r.operation_ids.clone();
    given.sort_unstable();
    let mut have: Vec<i64> = ops.iter().map(|o| o.id).collect();
    have.sort_unstable();
    if given != have {
        return Err(AppError::field(
            "operation_ids",
            "not_a_permutation",
            "Donnez toutes les opérations de la gamme, chacune une fois, dans le nouvel ordre.",
            "Give every operation of the routing once, in the new order.",
        ));
    }
    let before: Vec<String> = ops
        .iter()
        .map(|o| format!("{} {}", o.position, o.label))
        .collect();
    renumber(&tx.tx, &r.operation_ids).await?;
    let after: Vec<String> = operations_of(&tx.tx, job_id)
        .await?
        .iter()
        .map(|o| format!("{} {}", o.position, o.label))
        .collect();
    let j = bump(
        &tx.tx,
        ctx,
        &j,
        "routing_reorder",
        Some("Nouvel ordre des opérations".into()),
        serde_json::json!({"order": before}),
        serde_json::json!({"order": after}),
    )
    .await?;
    let out = view(&tx.tx, ctx, &j, english).await?;
    tx.commit().await?;
    Ok(out)
}

/// Méthode validates the routing: the job is ready for the shop.
pub async fn validate(
    db: &Db,
    ctx: &Ctx,
    job_id: i64,
    jv: JobVersion,
    english: bool,
) -> Result<JobView, AppError> {
    ctx.require(Module::Routings, Action::Validate)?;
    let tx = db.write().await?;
    let j = find(&tx.tx, job_id).await?;
    if j.version != jv.version {
        return Err(AppError::stale_version());
    }
    if j.status != "brouillon" {
        return Err(AppError::new(
            Kind::Conflict,
            "routing_not_draft",
            format!(
                "La gamme de l'OF {} n'est pas à valider (statut « {} »).",
                j.number,
                label_of(super::JOB_STATUSES, &j.status, false)
            ),
            format!("Job {}'s routing is not waiting for validation.", j.number),
        ));
    }
    let ops = operations_of(&tx.tx, job_id).await?;
    let mut v = Validator::default();
    if ops.is_empty() {
        v.add(
            "operations",
            "required",
            "Une gamme vide ne peut pas être validée : ajoutez les opérations.",
            "An empty routing cannot be validated.",
        );
    }
    for o in &ops {
        let machine_process = !matches!(
            o.process.as_str(),
            "traitement_sous_traite" | "controle" | "emballage" | "ebavurage"
        );
        if machine_process && o.machine_id.is_none() && o.work_centre.is_none() {
            v.add(
                "operations",
                "no_resource",
                format!(
                    "Op. {} {} : choisissez une machine ou un poste.",
                    o.position, o.label
                ),
                format!("Op. {}: choose a machine or work centre.", o.position),
            );
        }
        if o.process == "traitement_sous_traite"
            && o.supplier_id.is_none()
            && o.supplier_name.is_none()
        {
            v.add(
                "operations",
                "no_supplier",
                format!(
                    "Op. {} {} : indiquez le sous-traitant.",
                    o.position, o.label
                ),
                format!("Op. {}: enter the subcontractor.", o.position),
            );
        }
    }
    v.finish()?;
    let mut am: job::ActiveModel = j.clone().into();
    am.status = Set("pret".into());
    am.routing_validated_by = Set(Some(ctx.actor_login().to_string()));
    am.routing_validated_at = Set(Some(crate::now()));
    am.updated_at = Set(crate::now());
    am.version = Set(j.version + 1);
    let out_j = am.update(&tx.tx).await?;
    let comment = jv
        .comment
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    audit::record(
        &tx.tx,
        ctx,
        "job",
        &job_id.to_string(),
        "routing_validate",
        Some(serde_json::json!({"status": j.status, "routing_version": j.routing_version})),
        Some(serde_json::json!({
            "status": "pret", "routing_version": j.routing_version, "comment": comment,
        })),
    )
    .await?;
    let out = view(&tx.tx, ctx, &out_j, english).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn versions(
    db: &Db,
    ctx: &Ctx,
    job_id: i64,
) -> Result<Vec<RoutingVersionView>, AppError> {
    ctx.require(Module::Routings, Action::Read)?;
    let j = find(&db.conn, job_id).await?;
    let rows = routing_version::Entity::find()
        .filter(routing_version::Column::JobId.eq(job_id))
        .order_by_desc(routing_version::Column::Version)
        .all(&db.conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| RoutingVersionView {
            current: r.version == j.routing_version,
            operation_count: serde_json::from_str::<Vec<OpSnapshot>>(&r.snapshot)
                .map(|s| s.len())
                .unwrap_or(0),
            version: r.version,
            created_by: r.created_by,
            created_at: r.created_at,
            comment: r.comment,
        })
        .collect())
}

async fn version_snapshot<C: ConnectionTrait>(
    db: &C,
    job_id: i64,
    v: i32,
) -> Result<Vec<OpSnapshot>, AppError> {
    let row = routing_version::Entity::find()
        .filter(routing_version::Column::JobId.eq(job_id))
        .filter(routing_version::Column::Version.eq(v))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Version de gamme", "Routing version"))?;
    serde_json::from_str(&row.snapshot).map_err(|_| AppError::internal("version de gamme"))
}

fn opt(s: &Option<String>) -> Option<String> {
    s.clone()
}

fn names<T: serde::de::DeserializeOwned>(json: &str, f: impl Fn(&T) -> String) -> String {
    serde_json::from_str::<Vec<T>>(json)
        .unwrap_or_default()
        .iter()
        .map(f)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Field-by-field differences of one operation (French field names).
fn field_changes(a: &OpSnapshot, b: &OpSnapshot) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut cmp = |field: &str, x: Option<String>, y: Option<String>| {
        if x != y {
            out.push(FieldChange {
                field: field.into(),
                before: x,
                after: y,
            });
        }
    };
    cmp("procédé", Some(a.process.clone()), Some(b.process.clone()));
    cmp("libellé", Some(a.label.clone()), Some(b.label.clone()));
    cmp("description", opt(&a.description), opt(&b.description));
    cmp(
        "machine",
        a.machine_id.map(|m| m.to_string()),
        b.machine_id.map(|m| m.to_string()),
    );
    cmp("poste", opt(&a.work_centre), opt(&b.work_centre));
    cmp(
        "sous-traitant",
        opt(&a.supplier_name),
        opt(&b.supplier_name),
    );
    cmp(
        "commande sous-traitant",
        opt(&a.subcontract_po),
        opt(&b.subcontract_po),
    );
    cmp(
        "envoi",
        a.send_date.map(|d| d.to_string()),
        b.send_date.map(|d| d.to_string()),
    );
    cmp(
        "retour",
        a.return_date.map(|d| d.to_string()),
        b.return_date.map(|d| d.to_string()),
    );
    cmp(
        "réglage (min)",
        Some(a.setup_min.clone()),
        Some(b.setup_min.clone()),
    );
    cmp(
        "temps pièce (min)",
        Some(a.run_min.clone()),
        Some(b.run_min.clone()),
    );
    cmp(
        "compétences",
        Some(a.skills.clone()),
        Some(b.skills.clone()),
    );
    cmp(
        "outils",
        Some(names::<OpTool>(&a.tools_json, |t| {
            format!("{} {}", t.position, t.label)
        })),
        Some(names::<OpTool>(&b.tools_json, |t| {
            format!("{} {}", t.position, t.label)
        })),
    );
    cmp(
        "instruments",
        Some(names::<OpInstrument>(&a.instruments_json, |i| {
            i.characteristic.clone()
        })),
        Some(names::<OpInstrument>(&b.instruments_json, |i| {
            i.characteristic.clone()
        })),
    );
    cmp("programme CN", opt(&a.nc_program), opt(&b.nc_program));
    if a.sheet != b.sheet {
        out.push(FieldChange {
            field: "fiche méthode".into(),
            before: Some("version précédente".into()),
            after: Some("modifiée".into()),
        });
    }
    out
}

/// Differences from `old` to `new` (pure): operations added, removed, changed, moved.
pub fn diff_snapshots(old: &[OpSnapshot], new: &[OpSnapshot]) -> Vec<RoutingChange> {
    let mut out = Vec::new();
    for o in old.iter().filter(|o| !new.iter().any(|n| n.id == o.id)) {
        out.push(RoutingChange {
            kind: "supprimee".into(),
            position: o.position,
            label: o.label.clone(),
            fields: Vec::new(),
        });
    }
    // Relative order of the operations present in both.
    let kept_old: Vec<i64> = old
        .iter()
        .filter(|o| new.iter().any(|n| n.id == o.id))
        .map(|o| o.id)
        .collect();
    let kept_new: Vec<i64> = new
        .iter()
        .filter(|n| old.iter().any(|o| o.id == n.id))
        .map(|n| n.id)
        .collect();
    for n in new {
        match old.iter().find(|o| o.id == n.id) {
            None => out.push(RoutingChange {
                kind: "ajoutee".into(),
                position: n.position,
                label: n.label.clone(),
                fields: Vec::new(),
            }),
            Some(o) => {
                let moved = kept_old.iter().position(|x| *x == n.id)
                    != kept_new.iter().position(|x| *x == n.id);
                let fields = field_changes(o, n);
                if moved {
                    out.push(RoutingChange {
                        kind: "deplacee".into(),
                        position: n.position,
                        label: n.label.clone(),
                        fields: vec![FieldChange {
                            field: "position".into(),
                            before: Some(o.position.to_string()),
                            after: Some(n.position.to_string()),
                        }],
                    });
                }
                if !fields.is_empty() {
                    out.push(RoutingChange {
                        kind: "modifiee".into(),
                        position: n.position,
                        label: n.label.clone(),
                        fields,
                    });
                }
            }
        }
    }
    out
}

pub async fn diff(db: &Db, ctx: &Ctx, job_id: i64, v: i32) -> Result<RoutingDiff, AppError> {
    ctx.require(Module::Routings, Action::Read)?;
    let j = find(&db.conn, job_id).await?;
    let old = version_snapshot(&db.conn, job_id, v).await?;
    let cur = current_snapshot(&db.conn, job_id).await?;
    Ok(RoutingDiff {
        from: v,
        to: j.routing_version,
        changes: diff_snapshots(&old, &cur),
    })
}

/// Puts the routing back as it was in version `v` (a new version, the history stays).
pub async fn restore(
    db: &Db,
    ctx: &Ctx,
    job_id: i64,
    v: i32,
    jv: JobVersion,
    english: bool,
) -> Result<JobView, AppError> {
    ctx.require(Module::Routings, Action::Update)?;
    let tx = db.write().await?;
    let j = find(&tx.tx, job_id).await?;
    require_editable(ctx, &j)?;
    if j.version != jv.version {
        return Err(AppError::stale_version());
    }
    let old = version_snapshot(&tx.tx, job_id, v).await?;
    let ops = operations_of(&tx.tx, job_id).await?;
    if let Some(started) = ops
        .iter()
        .find(|o| o.status != "a_faire" && !old.iter().any(|s| s.id == o.id))
    {
        return Err(AppError::new(
            Kind::Conflict,
            "operation_started",
            format!(
                "L'opération {} {} a commencé et n'existe pas dans la version {v} : restauration impossible.",
                started.position, started.label
            ),
            format!(
                "Operation {} has started and is not in version {v}.",
                started.position
            ),
        ));
    }
    for o in ops.iter().filter(|o| !old.iter().any(|s| s.id == o.id)) {
        delete_sheet_of(&tx.tx, o.id).await?;
        job_operation::Entity::delete_by_id(o.id)
            .exec(&tx.tx)
            .await?;
    }
    let now = crate::now();
    for s in &old {
        let machine_ok = match s.machine_id {
            Some(m) => machine::Entity::find_by_id(m).one(&tx.tx).await?.is_some(),
            None => true,
        };
        let supplier_ok = match s.supplier_id {
            Some(p) => partner::Entity::find_by_id(p).one(&tx.tx).await?.is_some(),
            None => true,
        };
        let existing = ops.iter().find(|o| o.id == s.id);
        let mut am = match existing {
            Some(o) => {
                let mut am: job_operation::ActiveModel = o.clone().into();
                am.version = Set(o.version + 1);
                am
            }
            None => job_operation::ActiveModel {
                job_id: Set(job_id),
                status: Set("a_faire".into()),
                created_at: Set(now),
                version: Set(1),
                ..Default::default()
            },
        };
        am.position = Set(s.position);
        am.process = Set(s.process.clone());
        am.label = Set(s.label.clone());
        am.description = Set(s.description.clone());
        am.machine_id = Set(s.machine_id.filter(|_| machine_ok));
        am.work_centre = Set(s.work_centre.clone());
        am.supplier_id = Set(s.supplier_id.filter(|_| supplier_ok));
        am.supplier_name = Set(s.supplier_name.clone());
        am.subcontract_po = Set(s.subcontract_po.clone());
        am.send_date = Set(s.send_date);
        am.return_date = Set(s.return_date);
        am.setup_min = Set(s.setup_min.clone());
        am.run_min = Set(s.run_min.clone());
        am.skills = Set(s.skills.clone());
        am.tools_json = Set(s.tools_json.clone());
        am.instruments_json = Set(s.instruments_json.clone());
        am.nc_program = Set(s.nc_program.clone());
        am.updated_at = Set(now);
        let op = match existing {
            Some(_) => am.update(&tx.tx).await?,
            None => am.insert(&tx.tx).await?,
        };
        if let Some(content) = &s.sheet {
            super::method_sheets::restore_content(&tx.tx, ctx, &j, &op, content, v).await?;
        }
    }
    let j = bump(
        &tx.tx,
        ctx,
        &j,
        "routing_restore",
        Some(format!("Restauration de la version {v}")),
        serde_json::json!({"routing_version": j.routing_version}),
        serde_json::json!({"routing_version": j.routing_version + 1, "restored_from": v}),
    )
    .await?;
    let out = view(&tx.tx, ctx, &j, english).await?;
    tx.commit().await?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: i64, position: i32, label: &str) -> OpSnapshot {
        OpSnapshot {
            id,
            position,
            process: "tournage".into(),
            label: label.into(),
            description: None,
            machine_id: Some(1),
            work_centre: None,
            supplier_id: None,
            supplier_name: None,
            subcontract_po: None,
            send_date: None,
            return_date: None,
            setup_min: "30".into(),
            run_min: "4".into(),
            skills: "tournage_cn".into(),
            tools_json: "[]".into(),
            instruments_json: "[]".into(),
            nc_program: None,
            sheet: None,
        }
    }

    #[test]
    fn diff_names_added_removed_changed_and_moved() {
        let old = vec![
            op(1, 10, "Débit"),
            op(2, 20, "Tournage"),
            op(3, 30, "Contrôle"),
        ];
        let mut changed = op(2, 10, "Tournage");
        changed.machine_id = Some(7);
        changed.run_min = "3.5".into();
        let new = vec![changed, op(1, 20, "Débit"), op(4, 30, "Emballage")];
        let d = diff_snapshots(&old, &new);
        let kinds: Vec<(&str, &str)> = d
            .iter()
            .map(|c| (c.kind.as_str(), c.label.as_str()))
            .collect();
        assert!(kinds.contains(&("supprimee", "Contrôle")));
        assert!(kinds.contains(&("ajoutee", "Emballage")));
        assert!(kinds.contains(&("deplacee", "Tournage")));
        let m = d.iter().find(|c| c.kind == "modifiee").unwrap();
        let fields: Vec<&str> = m.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["machine", "temps pièce (min)"]);
        assert_eq!(m.fields[1].before.as_deref(), Some("4"));
        assert_eq!(m.fields[1].after.as_deref(), Some("3.5"));
    }

    #[test]
    fn same_routing_has_no_diff() {
        let a = vec![op(1, 10, "Débit"), op(2, 20, "Tournage")];
        assert!(diff_snapshots(&a, &a).is_empty());
    }
}
