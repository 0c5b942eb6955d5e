//! Production: jobs (ordres de fabrication, OF), one per order line, with their routing (gamme:
//! ordered operations on the shop's machines and work centres, see [`routing`]), the method
//! sheet of each operation ([`method_sheets`]) and the traveler ([`docs`]). Jobs are generated
//! when an order is validated ([`generate`]). See `docs/orders.md`.

pub mod docs;
pub mod generate;
pub mod method_sheets;
pub mod routing;

pub use generate::generate_for_order;

use crate::audit;
use crate::crm::{CodeLabels, label_of};
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::listing::{ListQuery, Page, fetch_page};
use crate::rights::{Action, Module};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use usinage_store::Db;
use usinage_store::entities::{
    job, job_operation, machine, material_grade, method_sheet, order, order_line, partner,
    tool_stock,
};

pub const JOB_STATUSES: CodeLabels = &[
    ("brouillon", "Gamme à valider", "Routing to review"),
    ("pret", "Prêt (gamme validée)", "Ready (routing validated)"),
    ("en_cours", "En cours", "In progress"),
    ("termine", "Terminé", "Done"),
    ("annule", "Annulé", "Cancelled"),
];

pub const OPERATION_STATUSES: CodeLabels = &[
    ("a_faire", "À faire", "To do"),
    ("en_cours", "En cours", "In progress"),
    ("en_pause", "En pause", "Paused"),
    ("termine", "Terminée", "Done"),
];

/// Processes of a routing, in the usual order (codes of the estimate engine's `ProcessKind`).
pub const PROCESSES: CodeLabels = &[
    ("debit", "Débit / sciage", "Sawing"),
    ("tournage", "Tournage", "Turning"),
    ("fraisage", "Fraisage", "Milling"),
    (
        "percage_taraudage",
        "Perçage / taraudage",
        "Drilling / tapping",
    ),
    ("soudure", "Soudure", "Welding"),
    ("pliage", "Pliage", "Bending"),
    ("rectification", "Rectification", "Grinding"),
    ("ebavurage", "Ébavurage", "Deburring"),
    (
        "traitement_sous_traite",
        "Traitement sous-traité",
        "Subcontracted treatment",
    ),
    ("controle", "Contrôle", "Inspection"),
    ("emballage", "Emballage", "Packaging"),
];

/// Work centres that are not machines (activities of the rate grid and the dispatch bench).
pub const WORK_CENTRES: CodeLabels = &[
    ("sciage", "Sciage", "Sawing"),
    ("usinage", "Usinage", "Machining"),
    ("soudure", "Poste de soudure", "Welding station"),
    ("rectification", "Rectification", "Grinding"),
    ("ebavurage", "Ébavurage / marquage", "Deburring / marking"),
    ("montage", "Montage / assemblage", "Assembly"),
    ("controle", "Contrôle / FAI", "Inspection / FAI"),
    ("controle_mmt", "Contrôle MMT", "CMM inspection"),
    (
        "emballage",
        "Emballage / expédition",
        "Packaging / shipping",
    ),
];

/// Roles allowed to change a routing once production started, and to edit a method sheet.
pub const METHOD_ROLES: &[&str] = &["methode", "chef_atelier", "admin"];

pub fn has_method_role(ctx: &Ctx) -> bool {
    ctx.principal
        .as_ref()
        .is_none_or(|p| p.roles.iter().any(|r| METHOD_ROLES.contains(&r.as_str())))
}

/// Statuses a person may set by hand (validating the routing is its own action).
pub fn transitions(status: &str) -> &'static [&'static str] {
    match status {
        "brouillon" => &["annule"],
        "pret" => &["brouillon", "en_cours", "annule"],
        "en_cours" => &["termine", "annule"],
        _ => &[],
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct OpTool {
    /// T01, T02…
    pub position: String,
    pub label: String,
    /// Tool family of the cutting engine (`tournage`, `fraisage`, `percage`…).
    pub kind: Option<String>,
    pub diameter: Option<f64>,
    pub tool_id: Option<i64>,
    pub tool_code: Option<String>,
    #[serde(default)]
    pub in_stock: bool,
    #[serde(default)]
    pub available_qty: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct OpInstrument {
    pub characteristic: String,
    pub instrument_type: Option<String>,
    pub instrument_id: Option<i64>,
    pub instrument_code: Option<String>,
    #[serde(default)]
    pub usable: bool,
}

/// Débit line of a job: what the saw cuts (or what the bar feeder consumes).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct DebitView {
    pub grade: Option<String>,
    /// "Ø50", "60×40"…
    pub section: String,
    /// Cut length (mm) per part.
    pub cut_length_mm: f64,
    /// Pieces to cut (ordered + scrap allowance).
    pub quantity: u32,
    pub bar_fed: bool,
    /// "Débit Ø50×70 — 26 pcs".
    pub label: String,
    #[serde(default)]
    pub certified_required: bool,
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MethodSheetRef {
    pub id: i64,
    pub version: i32,
    pub missing_count: usize,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OperationView {
    pub id: i64,
    pub position: i32,
    pub process: String,
    pub process_label: String,
    pub label: String,
    pub description: Option<String>,
    pub machine_id: Option<i64>,
    pub machine_code: Option<String>,
    pub machine_name: Option<String>,
    pub work_centre: Option<String>,
    pub work_centre_label: Option<String>,
    pub supplier_id: Option<i64>,
    pub supplier_name: Option<String>,
    pub subcontract_po: Option<String>,
    pub send_date: Option<NaiveDate>,
    pub return_date: Option<NaiveDate>,
    /// Minutes per lot.
    pub setup_min: String,
    /// Minutes per part.
    pub run_min: String,
    /// setup + run × quantity (minutes).
    pub total_min: String,
    pub skills: Vec<String>,
    pub tools: Vec<OpTool>,
    pub instruments: Vec<OpInstrument>,
    pub nc_program: Option<String>,
    pub status: String,
    pub status_label: String,
    pub method_sheet: Option<MethodSheetRef>,
    /// Good / scrapped parts declared on the shop floor.
    pub qty_good: i32,
    pub qty_scrap: i32,
    /// Real labour minutes once finished (measured, or the approved declaration).
    pub actual_min: Option<String>,
    /// `mesure`, `en_attente`, `approuve`, `refuse`.
    pub time_status: Option<String>,
    /// Scrap cost at this operation (€ HT).
    pub scrap_cost: String,
    /// What a phone opens when the operation's QR is scanned.
    pub scan_url: String,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JobSummary {
    pub id: i64,
    pub number: String,
    pub order_id: i64,
    pub order_number: String,
    pub client_name: String,
    pub reference: Option<String>,
    pub designation: String,
    pub quantity: i32,
    pub status: String,
    pub status_label: String,
    pub due_date: Option<NaiveDate>,
    pub critical: bool,
    pub operation_count: u64,
    pub routing_version: i32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JobTransition {
    pub status: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JobView {
    #[serde(flatten)]
    pub summary: JobSummary,
    pub order_line_id: i64,
    pub revision: Option<String>,
    pub grade_label: Option<String>,
    /// `genere` (from the quote's estimate) or `manuel`.
    pub routing_source: String,
    pub routing_validated_by: Option<String>,
    pub routing_validated_at: Option<chrono::DateTime<chrono::Utc>>,
    pub debit: Option<DebitView>,
    pub warnings: Vec<String>,
    pub version: i32,
    pub transitions: Vec<JobTransition>,
    pub can_edit_routing: bool,
    pub can_validate_routing: bool,
    pub has_drawing: bool,
    pub certified_material: bool,
    pub control_sheet: bool,
    /// Estimated minutes of the whole routing (setup + run × quantity).
    pub estimated_min: String,
    /// Real minutes of the finished operations, and the estimate of those same operations.
    pub actual_min: String,
    pub estimated_done_min: String,
    /// Cost of the parts scrapped on the shop floor (€ HT).
    pub scrap_cost: String,
    pub operations: Vec<OperationView>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobFilter {
    pub status: Option<String>,
    pub order_id: Option<String>,
    pub machine_id: Option<String>,
}

pub const SORTABLE: &[&str] = &["number", "due_date", "status", "created_at", "id"];

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct JobStatusChange {
    pub status: String,
}

pub(crate) async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<job::Model, AppError> {
    job::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Ordre de fabrication", "Job"))
}

pub(crate) async fn operations_of<C: ConnectionTrait>(
    db: &C,
    job_id: i64,
) -> Result<Vec<job_operation::Model>, AppError> {
    Ok(job_operation::Entity::find()
        .filter(job_operation::Column::JobId.eq(job_id))
        .order_by_asc(job_operation::Column::Position)
        .order_by_asc(job_operation::Column::Id)
        .all(db)
        .await?)
}

fn dec(s: &str) -> rust_decimal::Decimal {
    crate::units::parse_decimal(s).unwrap_or_default()
}

async fn summaries<C: ConnectionTrait>(
    db: &C,
    rows: &[job::Model],
    english: bool,
) -> Result<Vec<JobSummary>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|j| j.id).collect();
    let counts: Vec<(i64, i64)> = job_operation::Entity::find()
        .select_only()
        .column(job_operation::Column::JobId)
        .column_as(job_operation::Column::Id.count(), "n")
        .filter(job_operation::Column::JobId.is_in(ids))
        .group_by(job_operation::Column::JobId)
        .into_tuple()
        .all(db)
        .await?;
    let order_ids: Vec<i64> = rows.iter().map(|j| j.order_id).collect();
    let orders: Vec<(i64, String, i64)> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .column(order::Column::Number)
        .column(order::Column::ClientId)
        .filter(order::Column::Id.is_in(order_ids))
        .into_tuple()
        .all(db)
        .await?;
    let client_ids: Vec<i64> = orders.iter().map(|o| o.2).collect();
    let clients: Vec<(i64, String)> = partner::Entity::find()
        .select_only()
        .column(partner::Column::Id)
        .column(partner::Column::Name)
        .filter(partner::Column::Id.is_in(client_ids))
        .into_tuple()
        .all(db)
        .await?;
    let line_ids: Vec<i64> = rows.iter().map(|j| j.order_line_id).collect();
    let lines: Vec<(i64, Option<String>, String)> = order_line::Entity::find()
        .select_only()
        .column(order_line::Column::Id)
        .column(order_line::Column::Reference)
        .column(order_line::Column::Designation)
        .filter(order_line::Column::Id.is_in(line_ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .map(|j| {
            let o = orders.iter().find(|o| o.0 == j.order_id);
            let l = lines.iter().find(|l| l.0 == j.order_line_id);
            JobSummary {
                id: j.id,
                number: j.number.clone(),
                order_id: j.order_id,
                order_number: o.map(|o| o.1.clone()).unwrap_or_default(),
                client_name: o
                    .and_then(|o| clients.iter().find(|c| c.0 == o.2))
                    .map(|c| c.1.clone())
                    .unwrap_or_default(),
                reference: l.and_then(|l| l.1.clone()),
                designation: l.map(|l| l.2.clone()).unwrap_or_default(),
                quantity: j.quantity,
                status: j.status.clone(),
                status_label: label_of(JOB_STATUSES, &j.status, english),
                due_date: j.due_date,
                critical: j.critical,
                operation_count: counts
                    .iter()
                    .find(|c| c.0 == j.id)
                    .map(|c| c.1 as u64)
                    .unwrap_or(0),
                routing_version: j.routing_version,
            }
        })
        .collect())
}

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    f: &JobFilter,
    english: bool,
) -> Result<Page<JobSummary>, AppError> {
    ctx.require(Module::Routings, Action::Read)?;
    let mut v = Validator::default();
    let num = |v: &mut Validator, field: &str, s: &Option<String>| -> Option<i64> {
        let s = s.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        match s.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                v.add(
                    field,
                    "invalid_number",
                    "Identifiant numérique attendu.",
                    "A numeric id is expected.",
                );
                None
            }
        }
    };
    let order_id = num(&mut v, "order_id", &f.order_id);
    let machine_id = num(&mut v, "machine_id", &f.machine_id);
    let status = f.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = status
        && !JOB_STATUSES.iter().any(|(c, _, _)| *c == s)
    {
        v.add(
            "status",
            "invalid_choice",
            "Statut inconnu : brouillon, pret, en_cours, termine ou annule.",
            "Unknown status.",
        );
    }
    v.finish()?;
    use job::Column as C;
    let mut s = job::Entity::find();
    if let Some(st) = status {
        s = s.filter(C::Status.eq(st));
    }
    if let Some(o) = order_id {
        s = s.filter(C::OrderId.eq(o));
    }
    if let Some(m) = machine_id {
        // A sub-select, not a list of ids: stays one indexed query at any size
        // (idx_job_operations_machine_job).
        s = s.filter(
            C::Id.in_subquery(
                Query::select()
                    .column(job_operation::Column::JobId)
                    .from(job_operation::Entity)
                    .and_where(Expr::col(job_operation::Column::MachineId).eq(m))
                    .to_owned(),
            ),
        );
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: C| Expr::expr(Func::lower(Expr::col(c))).like(p.clone());
        let lines = Query::select()
            .column(order_line::Column::Id)
            .from(order_line::Entity)
            .cond_where(
                Expr::expr(Func::lower(Expr::col(order_line::Column::Reference)))
                    .like(p.clone())
                    .or(
                        Expr::expr(Func::lower(Expr::col(order_line::Column::Designation)))
                            .like(p.clone()),
                    ),
            )
            .to_owned();
        s = s.filter(like(C::Number).or(C::OrderLineId.in_subquery(lines)));
    }
    let col = |f: &str| match f {
        "number" => C::Number,
        "due_date" => C::DueDate,
        "status" => C::Status,
        "created_at" => C::CreatedAt,
        _ => C::Id,
    };
    s = match &q.sort {
        Some((f, true)) => s.order_by_desc(col(f)).order_by_desc(C::Id),
        Some((f, false)) => s.order_by_asc(col(f)).order_by_asc(C::Id),
        None => s.order_by_desc(C::Id),
    };
    let page = fetch_page(s, q, &db.conn).await?;
    Ok(Page {
        items: summaries(&db.conn, &page.items, english).await?,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

pub async fn get(db: &Db, ctx: &Ctx, id: i64, english: bool) -> Result<JobView, AppError> {
    ctx.require(Module::Routings, Action::Read)?;
    let j = find(&db.conn, id).await?;
    view(&db.conn, ctx, &j, english).await
}

/// Can this person change this job's routing now?
pub fn can_edit_routing(ctx: &Ctx, j: &job::Model) -> bool {
    let right = ctx.require(Module::Routings, Action::Update).is_ok();
    match j.status.as_str() {
        "brouillon" | "pret" => right,
        "en_cours" => right && has_method_role(ctx),
        _ => false,
    }
}

pub(crate) fn op_view(
    o: &job_operation::Model,
    quantity: i32,
    machines: &[machine::Model],
    sheets: &[method_sheet::Model],
    stock: &[(i64, i64)],
    english: bool,
) -> OperationView {
    let m = o
        .machine_id
        .and_then(|id| machines.iter().find(|m| m.id == id));
    let setup = dec(&o.setup_min);
    let run = dec(&o.run_min);
    let mut tools: Vec<OpTool> = serde_json::from_str(&o.tools_json).unwrap_or_default();
    for t in &mut tools {
        if let Some(id) = t.tool_id {
            let qty: i64 = stock.iter().filter(|s| s.0 == id).map(|s| s.1).sum();
            t.available_qty = qty;
            t.in_stock = qty > 0;
        }
    }
    let sheet = sheets.iter().find(|s| s.operation_id == o.id);
    OperationView {
        id: o.id,
        position: o.position,
        process: o.process.clone(),
        process_label: label_of(PROCESSES, &o.process, english),
        label: o.label.clone(),
        description: o.description.clone(),
        machine_id: o.machine_id,
        machine_code: m.map(|m| m.code.clone()),
        machine_name: m.map(|m| m.name.clone()),
        work_centre: o.work_centre.clone(),
        work_centre_label: o
            .work_centre
            .as_deref()
            .map(|w| label_of(WORK_CENTRES, w, english)),
        supplier_id: o.supplier_id,
        supplier_name: o.supplier_name.clone(),
        subcontract_po: o.subcontract_po.clone(),
        send_date: o.send_date,
        return_date: o.return_date,
        setup_min: o.setup_min.clone(),
        run_min: o.run_min.clone(),
        total_min: (setup + run * rust_decimal::Decimal::from(quantity))
            .round_dp(1)
            .normalize()
            .to_string(),
        skills: o.skills.split_whitespace().map(str::to_string).collect(),
        tools,
        instruments: serde_json::from_str(&o.instruments_json).unwrap_or_default(),
        nc_program: o.nc_program.clone(),
        status: o.status.clone(),
        status_label: label_of(OPERATION_STATUSES, &o.status, english),
        method_sheet: sheet.map(|s| MethodSheetRef {
            id: s.id,
            version: s.version,
            missing_count: method_sheets::missing_of_json(&s.content).len(),
        }),
        qty_good: o.qty_good,
        qty_scrap: o.qty_scrap,
        actual_min: o.actual_min.clone(),
        time_status: o.time_status.clone(),
        scrap_cost: crate::units::cents_to_string(o.scrap_cost_cents),
        scan_url: format!("/operations/{}", o.id),
        version: o.version,
    }
}

/// (tool id, pieces available = on hand − reserved) for the tools of these operations.
async fn tool_availability<C: ConnectionTrait>(
    db: &C,
    ops: &[job_operation::Model],
) -> Result<Vec<(i64, i64)>, AppError> {
    let tool_ids: Vec<i64> = ops
        .iter()
        .flat_map(|o| serde_json::from_str::<Vec<OpTool>>(&o.tools_json).unwrap_or_default())
        .filter_map(|t| t.tool_id)
        .collect();
    if tool_ids.is_empty() {
        return Ok(Vec::new());
    }
    let stock: Vec<(i64, i64, i64)> = tool_stock::Entity::find()
        .select_only()
        .column(tool_stock::Column::ToolId)
        .column(tool_stock::Column::Quantity)
        .column(tool_stock::Column::Reserved)
        .filter(tool_stock::Column::ToolId.is_in(tool_ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(stock
        .iter()
        .map(|s| (s.0, Ord::max(s.1 - s.2, 0)))
        .collect())
}

pub(crate) async fn view<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    j: &job::Model,
    english: bool,
) -> Result<JobView, AppError> {
    let summary = summaries(db, std::slice::from_ref(j), english)
        .await?
        .remove(0);
    let ops = operations_of(db, j.id).await?;
    let machine_ids: Vec<i64> = ops.iter().filter_map(|o| o.machine_id).collect();
    let machines = machine::Entity::find()
        .filter(machine::Column::Id.is_in(machine_ids))
        .all(db)
        .await?;
    let sheets = method_sheet::Entity::find()
        .filter(method_sheet::Column::JobId.eq(j.id))
        .all(db)
        .await?;
    let stock = tool_availability(db, &ops).await?;
    let line = order_line::Entity::find_by_id(j.order_line_id)
        .one(db)
        .await?;
    let o = order::Entity::find_by_id(j.order_id).one(db).await?;
    let grade = match j.grade_id {
        Some(g) => material_grade::Entity::find_by_id(g).one(db).await?,
        None => None,
    };
    let mut warnings: Vec<String> = j
        .warnings_json
        .as_deref()
        .and_then(|w| serde_json::from_str(w).ok())
        .unwrap_or_default();
    if ops.is_empty() {
        warnings.push(
            "Gamme vide : ajoutez les opérations (débit, usinage, contrôle, emballage…).".into(),
        );
    }
    let operations: Vec<OperationView> = ops
        .iter()
        .map(|o| op_view(o, j.quantity, &machines, &sheets, &stock, english))
        .collect();
    for op in &operations {
        for t in op.tools.iter().filter(|t| !t.in_stock) {
            warnings.push(format!(
                "Op. {} : outil {} absent du magasin — à commander ou à remplacer.",
                op.position, t.label
            ));
        }
        for i in op.instruments.iter().filter(|i| !i.usable) {
            warnings.push(format!(
                "Op. {} : pas d'instrument étalonné disponible pour « {} ».",
                op.position, i.characteristic
            ));
        }
    }
    let dec = |s: &str| crate::units::parse_decimal(s).unwrap_or_default();
    let estimate =
        |o: &job_operation::Model| dec(&o.setup_min) + dec(&o.run_min) * Decimal::from(j.quantity);
    let done: Vec<&job_operation::Model> = ops.iter().filter(|o| o.actual_min.is_some()).collect();
    let round = |d: Decimal| d.round_dp(2).normalize().to_string();
    Ok(JobView {
        estimated_min: round(ops.iter().map(estimate).sum()),
        actual_min: round(
            done.iter()
                .map(|o| dec(o.actual_min.as_deref().unwrap_or("0")))
                .sum(),
        ),
        estimated_done_min: round(done.iter().copied().map(estimate).sum()),
        scrap_cost: crate::units::cents_to_string(ops.iter().map(|o| o.scrap_cost_cents).sum()),
        summary,
        order_line_id: j.order_line_id,
        revision: line.as_ref().and_then(|l| l.revision.clone()),
        grade_label: grade.map(|g| format!("{} — {}", g.code, g.afnor)),
        routing_source: j.routing_source.clone(),
        routing_validated_by: j.routing_validated_by.clone(),
        routing_validated_at: j.routing_validated_at,
        debit: j
            .debit_json
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok()),
        warnings,
        version: j.version,
        transitions: transitions(&j.status)
            .iter()
            .filter(|_| ctx.require(Module::Routings, Action::Update).is_ok())
            .map(|to| JobTransition {
                status: to.to_string(),
                label: label_of(JOB_STATUSES, to, english),
            })
            .collect(),
        can_edit_routing: can_edit_routing(ctx, j),
        can_validate_routing: j.status == "brouillon"
            && !ops.is_empty()
            && ctx.require(Module::Routings, Action::Validate).is_ok(),
        has_drawing: line.as_ref().is_some_and(|l| l.blob_id.is_some()),
        certified_material: line.as_ref().is_some_and(|l| l.certified_material),
        control_sheet: o.as_ref().is_some_and(|o| o.control_sheet),
        operations,
    })
}

fn job_audit(j: &job::Model) -> serde_json::Value {
    serde_json::json!({
        "number": j.number, "status": j.status, "quantity": j.quantity,
        "routing_version": j.routing_version, "routing_validated_by": j.routing_validated_by,
    })
}

/// Manual status change (validating the routing is [`routing::validate`]).
pub async fn set_status(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    change: JobStatusChange,
    english: bool,
) -> Result<JobView, AppError> {
    ctx.require(Module::Routings, Action::Update)?;
    let to = change.status.trim().to_string();
    if !JOB_STATUSES.iter().any(|(c, _, _)| *c == to) {
        return Err(AppError::field(
            "status",
            "invalid_choice",
            "Statut inconnu : brouillon, pret, en_cours, termine ou annule.",
            "Unknown status.",
        ));
    }
    let tx = db.write().await?;
    let cur = find(&tx.tx, id).await?;
    if !transitions(&cur.status).contains(&to.as_str()) {
        let hint = if to == "pret" {
            " Une gamme passe « prête » quand les méthodes la valident."
        } else {
            ""
        };
        return Err(AppError::new(
            Kind::Conflict,
            "invalid_transition",
            format!(
                "Un OF « {} » ne peut pas passer à « {} ».{hint}",
                label_of(JOB_STATUSES, &cur.status, false),
                label_of(JOB_STATUSES, &to, false)
            ),
            format!("A “{}” job cannot become “{to}”.", cur.status),
        ));
    }
    let mut am: job::ActiveModel = cur.clone().into();
    am.status = Set(to.clone());
    if to == "brouillon" {
        am.routing_validated_by = Set(None);
        am.routing_validated_at = Set(None);
    }
    am.updated_at = Set(crate::now());
    am.version = Set(cur.version + 1);
    let j = am.update(&tx.tx).await?;
    audit::record(
        &tx.tx,
        ctx,
        "job",
        &id.to_string(),
        "status",
        Some(job_audit(&cur)),
        Some(job_audit(&j)),
    )
    .await?;
    if to == "en_cours" {
        order_in_production(&tx.tx, ctx, &j).await?;
    }
    let out = view(&tx.tx, ctx, &j, english).await?;
    tx.commit().await?;
    Ok(out)
}

/// The first job started puts its order in production (from `validee`).
pub(crate) async fn order_in_production<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    j: &job::Model,
) -> Result<(), AppError> {
    let o = crate::orders::find(db, j.order_id).await?;
    if o.status != "validee" {
        return Ok(());
    }
    let mut am: order::ActiveModel = o.clone().into();
    am.status = Set("en_production".into());
    am.updated_at = Set(crate::now());
    am.version = Set(o.version + 1);
    am.update(db).await?;
    audit::record(
        db,
        ctx,
        "order",
        &o.id.to_string(),
        "status",
        Some(serde_json::json!({"status": o.status})),
        Some(serde_json::json!({"status": "en_production", "by_job": j.number})),
    )
    .await?;
    Ok(())
}

/// Cancelling an order cancels its jobs that are not finished.
pub(crate) async fn cancel_jobs<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    order_id: i64,
) -> Result<(), AppError> {
    let jobs = job::Entity::find()
        .filter(job::Column::OrderId.eq(order_id))
        .filter(job::Column::Status.is_not_in(["termine", "annule"]))
        .all(db)
        .await?;
    for j in jobs {
        let mut am: job::ActiveModel = j.clone().into();
        am.status = Set("annule".into());
        am.updated_at = Set(crate::now());
        am.version = Set(j.version + 1);
        let after = am.update(db).await?;
        audit::record(
            db,
            ctx,
            "job",
            &j.id.to_string(),
            "status",
            Some(job_audit(&j)),
            Some(job_audit(&after)),
        )
        .await?;
    }
    Ok(())
}

/// An operation with its job: what a scanned operation QR opens.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OperationRef {
    pub job_id: i64,
    pub job_number: String,
    pub job_status: String,
    pub operation: OperationView,
}

pub async fn get_operation(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    english: bool,
) -> Result<OperationRef, AppError> {
    // Who scans a traveler's QR on the shop floor reads method sheets, not every routing.
    if ctx.require(Module::Routings, Action::Read).is_err() {
        ctx.require(Module::MethodSheets, Action::Read)?;
    }
    let op = job_operation::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("Opération", "Operation"))?;
    let j = find(&db.conn, op.job_id).await?;
    let machines = match op.machine_id {
        Some(m) => machine::Entity::find_by_id(m)
            .one(&db.conn)
            .await?
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    let sheets = method_sheet::Entity::find()
        .filter(method_sheet::Column::OperationId.eq(op.id))
        .all(&db.conn)
        .await?;
    let stock = tool_availability(&db.conn, std::slice::from_ref(&op)).await?;
    Ok(OperationRef {
        job_id: j.id,
        job_number: j.number.clone(),
        job_status: j.status.clone(),
        operation: op_view(&op, j.quantity, &machines, &sheets, &stock, english),
    })
}
