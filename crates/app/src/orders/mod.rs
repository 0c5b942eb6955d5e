//! Customer orders (commandes clients): created when a quote is accepted or by hand, completed
//! by the customer's PO ([`po_import`]), validated (which generates one job with its routing
//! per line, see [`crate::production`]), delivered in one or several delivery notes
//! ([`deliveries`]). Statuses change only through [`transitions`], with rights and audit.
//! See `docs/orders.md`.

pub mod deliveries;
pub mod demo;
pub mod docs;
pub mod po_import;

use crate::audit;
use crate::crm::{CodeLabels, label_of};
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::listing::{ListQuery, Page, fetch_page, parse_bool};
use crate::quotes::is_critical_client;
use crate::rights::{Action, Module};
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use usinage_store::Db;
use usinage_store::entities::{job, material_grade, order, order_line, partner, quote, quote_line};

pub const STATUSES: CodeLabels = &[
    ("en_attente", "En attente", "Pending"),
    ("validee", "Validée", "Validated"),
    ("en_production", "En production", "In production"),
    (
        "livree_partielle",
        "Livrée partiellement",
        "Partially delivered",
    ),
    ("livree", "Livrée", "Delivered"),
    ("annulee", "Annulée", "Cancelled"),
];

pub const PRIORITIES: CodeLabels = &[
    ("normale", "Normale", "Normal"),
    ("haute", "Haute", "High"),
    ("urgente", "Urgente", "Urgent"),
];

/// Statuses a person may set by hand from `status`. Deliveries set `livree_partielle` and
/// `livree` themselves (see [`deliveries`]).
pub fn transitions(status: &str) -> &'static [&'static str] {
    match status {
        "en_attente" => &["validee", "annulee"],
        "validee" => &["en_production", "annulee"],
        "en_production" => &["annulee"],
        _ => &[],
    }
}

/// Validating an order releases work to the shop: it needs the validate right.
pub fn transition_action(to: &str) -> Action {
    match to {
        "validee" => Action::Validate,
        _ => Action::Update,
    }
}

/// Statuses in which the shop still owes parts (a late order is one of these past its date).
pub const OPEN_STATUSES: &[&str] = &["en_attente", "validee", "en_production", "livree_partielle"];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderSummary {
    pub id: i64,
    pub number: String,
    pub client_id: i64,
    pub client_name: String,
    pub quote_id: Option<i64>,
    pub quote_number: Option<String>,
    pub customer_po_number: Option<String>,
    pub customer_po_date: Option<NaiveDate>,
    pub requested_date: Option<NaiveDate>,
    pub promised_date: Option<NaiveDate>,
    pub priority: String,
    pub priority_label: String,
    pub status: String,
    pub status_label: String,
    pub critical: bool,
    pub line_count: u64,
    /// € HT, `null` while a line has no price.
    pub total: Option<String>,
    /// Promised (else requested) date passed and parts still owed.
    pub late: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JobRef {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub status_label: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderLineView {
    pub id: i64,
    pub position: i32,
    pub quote_line_id: Option<i64>,
    pub reference: Option<String>,
    pub revision: Option<String>,
    pub designation: String,
    pub grade_id: Option<i64>,
    pub grade_label: Option<String>,
    pub quantity: i32,
    pub delivered_quantity: i32,
    pub remaining: i32,
    pub unit_price: Option<String>,
    pub total: Option<String>,
    pub requested_date: Option<NaiveDate>,
    pub critical: bool,
    pub certified_material: bool,
    pub job: Option<JobRef>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderTransition {
    pub status: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderView {
    #[serde(flatten)]
    pub summary: OrderSummary,
    pub control_sheet: bool,
    pub notes: Option<String>,
    pub status_comment: Option<String>,
    pub created_by_name: String,
    pub validated_at: Option<chrono::DateTime<chrono::Utc>>,
    pub version: i32,
    pub has_po_file: bool,
    pub transitions: Vec<OrderTransition>,
    pub lines: Vec<OrderLineView>,
    pub deliveries: Vec<deliveries::DeliveryView>,
    /// Things a person should look at (French).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OrderLineInput {
    pub quote_line_id: Option<i64>,
    pub reference: Option<String>,
    pub revision: Option<String>,
    pub designation: Option<String>,
    pub grade_id: Option<i64>,
    pub quantity: Option<i64>,
    /// € HT, e.g. "12.50".
    pub unit_price: Option<String>,
    /// `YYYY-MM-DD`
    pub requested_date: Option<String>,
    pub critical: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OrderInput {
    pub client_id: Option<i64>,
    pub quote_id: Option<i64>,
    pub customer_po_number: Option<String>,
    /// `YYYY-MM-DD`
    pub customer_po_date: Option<String>,
    /// Date de livraison souhaitée, `YYYY-MM-DD`.
    pub requested_date: Option<String>,
    /// Date promised to the customer, `YYYY-MM-DD`.
    pub promised_date: Option<String>,
    /// `normale`, `haute`, `urgente`.
    pub priority: Option<String>,
    pub critical: Option<bool>,
    /// A control/safety sheet goes with the parts (forced for critical clients).
    pub control_sheet: Option<bool>,
    pub notes: Option<String>,
    /// Replaces the lines (only while `en_attente`).
    pub lines: Option<Vec<OrderLineInput>>,
    /// Required on PATCH.
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct OrderStatusChange {
    pub status: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderFilter {
    pub status: Option<String>,
    pub client_id: Option<String>,
    pub priority: Option<String>,
    /// `true`: only late orders.
    pub late: Option<String>,
}

pub const SORTABLE: &[&str] = &[
    "number",
    "created_at",
    "requested_date",
    "promised_date",
    "status",
    "priority",
    "id",
];

/// Most lines an order may have.
pub const MAX_LINES: usize = 200;

pub(crate) fn clean(
    s: &Option<String>,
    max: usize,
    field: &str,
    v: &mut Validator,
) -> Option<String> {
    let t = s
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    if t.as_ref().is_some_and(|t| t.chars().count() > max) {
        v.add(
            field,
            "too_long",
            format!("Le texte dépasse {max} caractères."),
            format!("The text exceeds {max} characters."),
        );
    }
    t
}

pub(crate) fn date_field(v: &mut Validator, field: &str, s: &Option<String>) -> Option<NaiveDate> {
    let s = s.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            v.add(
                field,
                "invalid_date",
                format!("Date « {s} » invalide : format AAAA-MM-JJ attendu."),
                format!("Invalid date “{s}”: YYYY-MM-DD expected."),
            );
            None
        }
    }
}

pub(crate) async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<order::Model, AppError> {
    order::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Commande", "Order"))
}

pub(crate) async fn client<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<partner::Model, AppError> {
    partner::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|p| p.kind == "client")
        .ok_or_else(|| {
            AppError::field(
                "client_id",
                "unknown_client",
                "Client inconnu : choisissez un client de la liste.",
                "Unknown client: choose one from the list.",
            )
        })
}

/// `CO-2026-0007`, `OF-2026-0012`, `BL-2026-0003`: next number of the year for `prefix`,
/// inside the caller's write transaction.
macro_rules! next_number {
    ($db:expr, $entity:ident, $kind:literal, $year:expr) => {{
        let prefix = format!("{}-{}-", $kind, $year);
        let last = $entity::Entity::find()
            .filter($entity::Column::Number.starts_with(&prefix))
            // Longest first: "…-10000" after "…-9999" (text order alone puts it before).
            .order_by_desc(sea_orm::sea_query::Expr::expr(
                sea_orm::sea_query::Func::char_length(sea_orm::sea_query::Expr::col(
                    $entity::Column::Number,
                )),
            ))
            .order_by_desc($entity::Column::Number)
            .one($db)
            .await?;
        let n = last
            .and_then(|r| r.number[prefix.len()..].parse::<u32>().ok())
            .unwrap_or(0)
            + 1;
        format!("{prefix}{n:04}")
    }};
}
pub(crate) use next_number;

fn audit_json(o: &order::Model) -> serde_json::Value {
    serde_json::json!({
        "number": o.number, "client_id": o.client_id, "quote_id": o.quote_id,
        "customer_po_number": o.customer_po_number, "customer_po_date": o.customer_po_date,
        "requested_date": o.requested_date, "promised_date": o.promised_date,
        "priority": o.priority, "status": o.status, "critical": o.critical,
        "control_sheet": o.control_sheet, "notes": o.notes, "total_cents": o.total_cents,
    })
}

pub(crate) fn line_audit(l: &order_line::Model) -> serde_json::Value {
    serde_json::json!({
        "position": l.position, "quote_line_id": l.quote_line_id, "reference": l.reference,
        "revision": l.revision, "designation": l.designation, "grade_id": l.grade_id,
        "quantity": l.quantity, "delivered_quantity": l.delivered_quantity,
        "unit_price_cents": l.unit_price_cents, "requested_date": l.requested_date,
        "critical": l.critical, "certified_material": l.certified_material,
    })
}

fn is_late(o: &order::Model, today: NaiveDate) -> bool {
    OPEN_STATUSES.contains(&o.status.as_str())
        && o.promised_date
            .or(o.requested_date)
            .is_some_and(|d| d < today)
}

async fn summaries<C: ConnectionTrait>(
    db: &C,
    rows: &[order::Model],
    english: bool,
) -> Result<Vec<OrderSummary>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|o| o.id).collect();
    // One grouped count for the page instead of loading the lines.
    let counts: Vec<(i64, i64)> = order_line::Entity::find()
        .select_only()
        .column(order_line::Column::OrderId)
        .column_as(order_line::Column::Id.count(), "n")
        .filter(order_line::Column::OrderId.is_in(ids))
        .group_by(order_line::Column::OrderId)
        .into_tuple()
        .all(db)
        .await?;
    let mut clients: Vec<i64> = rows.iter().map(|o| o.client_id).collect();
    clients.sort_unstable();
    clients.dedup();
    let partners: Vec<(i64, String)> = partner::Entity::find()
        .select_only()
        .column(partner::Column::Id)
        .column(partner::Column::Name)
        .filter(partner::Column::Id.is_in(clients))
        .into_tuple()
        .all(db)
        .await?;
    let quote_ids: Vec<i64> = rows.iter().filter_map(|o| o.quote_id).collect();
    let quotes: Vec<(i64, String)> = if quote_ids.is_empty() {
        Vec::new()
    } else {
        quote::Entity::find()
            .select_only()
            .column(quote::Column::Id)
            .column(quote::Column::Number)
            .filter(quote::Column::Id.is_in(quote_ids))
            .into_tuple()
            .all(db)
            .await?
    };
    let today = crate::paris_today();
    Ok(rows
        .iter()
        .map(|o| OrderSummary {
            id: o.id,
            number: o.number.clone(),
            client_id: o.client_id,
            client_name: partners
                .iter()
                .find(|p| p.0 == o.client_id)
                .map(|p| p.1.clone())
                .unwrap_or_default(),
            quote_id: o.quote_id,
            quote_number: o
                .quote_id
                .and_then(|q| quotes.iter().find(|x| x.0 == q).map(|x| x.1.clone())),
            customer_po_number: o.customer_po_number.clone(),
            customer_po_date: o.customer_po_date,
            requested_date: o.requested_date,
            promised_date: o.promised_date,
            priority: o.priority.clone(),
            priority_label: label_of(PRIORITIES, &o.priority, english),
            status: o.status.clone(),
            status_label: label_of(STATUSES, &o.status, english),
            critical: o.critical,
            line_count: counts
                .iter()
                .find(|c| c.0 == o.id)
                .map(|c| c.1 as u64)
                .unwrap_or(0),
            total: o.total_cents.map(crate::units::cents_to_string),
            late: is_late(o, today),
            created_at: o.created_at,
        })
        .collect())
}

fn choice(v: &mut Validator, field: &str, value: Option<&str>, list: CodeLabels) -> Option<String> {
    let s = value.map(str::trim).filter(|s| !s.is_empty())?;
    if list.iter().any(|(c, _, _)| *c == s) {
        Some(s.to_string())
    } else {
        let codes: Vec<&str> = list.iter().map(|(c, _, _)| *c).collect();
        v.add(
            field,
            "invalid_choice",
            format!("Valeur « {s} » inconnue : {}.", codes.join(", ")),
            format!("Unknown value “{s}”: {}.", codes.join(", ")),
        );
        None
    }
}

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    f: &OrderFilter,
    english: bool,
) -> Result<Page<OrderSummary>, AppError> {
    ctx.require(Module::Orders, Action::Read)?;
    let mut v = Validator::default();
    let status = choice(&mut v, "status", f.status.as_deref(), STATUSES);
    let priority = choice(&mut v, "priority", f.priority.as_deref(), PRIORITIES);
    let client_id = match f
        .client_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                v.add(
                    "client_id",
                    "invalid_number",
                    "Le client doit être un identifiant numérique.",
                    "client_id must be a number.",
                );
                None
            }
        },
    };
    v.finish()?;
    let late = parse_bool("late", f.late.as_deref())?;
    use order::Column as C;
    let mut s = order::Entity::find();
    if let Some(st) = status {
        s = s.filter(C::Status.eq(st));
    }
    if let Some(p) = priority {
        s = s.filter(C::Priority.eq(p));
    }
    if let Some(c) = client_id {
        s = s.filter(C::ClientId.eq(c));
    }
    if late == Some(true) {
        let today = crate::paris_today();
        s = s
            .filter(C::Status.is_in(OPEN_STATUSES.iter().copied()))
            .filter(
                C::PromisedDate
                    .lt(today)
                    .or(C::PromisedDate.is_null().and(C::RequestedDate.lt(today))),
            );
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: C| Expr::expr(Func::lower(Expr::col(c))).like(p.clone());
        let clients: Vec<i64> = partner::Entity::find()
            .select_only()
            .column(partner::Column::Id)
            .filter(partner::Column::Kind.eq("client"))
            .filter(Expr::expr(Func::lower(Expr::col(partner::Column::Name))).like(p.clone()))
            .into_tuple()
            .all(&db.conn)
            .await?;
        s = s.filter(
            like(C::Number)
                .or(like(C::CustomerPoNumber))
                .or(C::ClientId.is_in(clients)),
        );
    }
    let col = |f: &str| match f {
        "number" => C::Number,
        "requested_date" => C::RequestedDate,
        "promised_date" => C::PromisedDate,
        "status" => C::Status,
        "priority" => C::Priority,
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

pub async fn get(db: &Db, ctx: &Ctx, id: i64, english: bool) -> Result<OrderView, AppError> {
    ctx.require(Module::Orders, Action::Read)?;
    let o = find(&db.conn, id).await?;
    view(&db.conn, ctx, &o, english).await
}

pub(crate) async fn lines_of<C: ConnectionTrait>(
    db: &C,
    order_id: i64,
) -> Result<Vec<order_line::Model>, AppError> {
    Ok(order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order_id))
        .order_by_asc(order_line::Column::Position)
        .order_by_asc(order_line::Column::Id)
        .all(db)
        .await?)
}

pub(crate) async fn view<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    o: &order::Model,
    english: bool,
) -> Result<OrderView, AppError> {
    let summary = summaries(db, std::slice::from_ref(o), english)
        .await?
        .remove(0);
    let rows = lines_of(db, o.id).await?;
    let grade_ids: Vec<i64> = rows.iter().filter_map(|l| l.grade_id).collect();
    let grades = material_grade::Entity::find()
        .filter(material_grade::Column::Id.is_in(grade_ids))
        .all(db)
        .await?;
    let jobs = job::Entity::find()
        .filter(job::Column::OrderId.eq(o.id))
        .all(db)
        .await?;
    let lines: Vec<OrderLineView> = rows
        .iter()
        .map(|l| OrderLineView {
            id: l.id,
            position: l.position,
            quote_line_id: l.quote_line_id,
            reference: l.reference.clone(),
            revision: l.revision.clone(),
            designation: l.designation.clone(),
            grade_id: l.grade_id,
            grade_label: l
                .grade_id
                .and_then(|g| grades.iter().find(|x| x.id == g))
                .map(|g| format!("{} — {}", g.code, g.afnor)),
            quantity: l.quantity,
            delivered_quantity: l.delivered_quantity,
            remaining: Ord::max(l.quantity - l.delivered_quantity, 0),
            unit_price: l.unit_price_cents.map(crate::units::cents_to_string),
            total: l
                .unit_price_cents
                .map(|c| crate::units::cents_to_string(c * i64::from(l.quantity))),
            requested_date: l.requested_date,
            critical: l.critical,
            certified_material: l.certified_material,
            job: jobs
                .iter()
                .find(|j| j.order_line_id == l.id)
                .map(|j| JobRef {
                    id: j.id,
                    number: j.number.clone(),
                    status: j.status.clone(),
                    status_label: label_of(crate::production::JOB_STATUSES, &j.status, english),
                }),
        })
        .collect();
    let mut warnings = Vec::new();
    if o.customer_po_number.is_none() && o.status == "en_attente" {
        warnings.push("Bon de commande client non reçu : numéro de commande client à saisir ou bon de commande à importer.".to_string());
    }
    if lines.is_empty() {
        warnings.push("Commande sans ligne.".to_string());
    }
    if lines.iter().any(|l| l.unit_price.is_none()) {
        warnings.push("Une ligne n'a pas de prix.".to_string());
    }
    if o.promised_date.is_none() && o.status != "annulee" && o.status != "livree" {
        warnings.push("Date de livraison promise non saisie.".to_string());
    }
    if let (Some(p), Some(r)) = (o.promised_date, o.requested_date)
        && p > r
    {
        warnings.push(format!(
            "La date promise ({}) est après la date souhaitée par le client ({}).",
            p.format("%d/%m/%Y"),
            r.format("%d/%m/%Y")
        ));
    }
    Ok(OrderView {
        summary,
        control_sheet: o.control_sheet,
        notes: o.notes.clone(),
        status_comment: o.status_comment.clone(),
        created_by_name: o.created_by.clone(),
        validated_at: o.validated_at,
        version: o.version,
        has_po_file: o.po_blob_id.is_some(),
        transitions: transitions(&o.status)
            .iter()
            .filter(|to| ctx.require(Module::Orders, transition_action(to)).is_ok())
            .map(|to| OrderTransition {
                status: to.to_string(),
                label: label_of(STATUSES, to, english),
            })
            .collect(),
        lines,
        deliveries: deliveries::views_of(db, o.id, &rows).await?,
        warnings,
    })
}

/// A line as validated, before it is written.
pub(crate) struct NewLine {
    pub quote_line_id: Option<i64>,
    pub reference: Option<String>,
    pub revision: Option<String>,
    pub designation: String,
    pub grade_id: Option<i64>,
    pub quantity: i32,
    pub unit_price_cents: Option<i64>,
    pub requested_date: Option<NaiveDate>,
    pub critical: bool,
    pub blob_id: Option<i64>,
}

fn check_lines(v: &mut Validator, lines: &[OrderLineInput]) -> Vec<NewLine> {
    if lines.len() > MAX_LINES {
        v.add(
            "lines",
            "too_many",
            format!("Une commande a au plus {MAX_LINES} lignes."),
            format!("An order has at most {MAX_LINES} lines."),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let f = |name: &str| format!("lines[{i}].{name}");
        let designation = clean(&l.designation, 200, &f("designation"), v);
        let reference = clean(&l.reference, 100, &f("reference"), v);
        let revision = clean(&l.revision, 20, &f("revision"), v);
        if designation.is_none() && reference.is_none() {
            v.add(
                &f("designation"),
                "required",
                format!(
                    "Ligne {} : saisissez la désignation ou la référence de la pièce.",
                    i + 1
                ),
                format!("Line {}: enter the part's designation or reference.", i + 1),
            );
        }
        let quantity = match l.quantity {
            Some(q) if (1..=1_000_000).contains(&q) => q as i32,
            Some(_) => {
                v.add(
                    &f("quantity"),
                    "out_of_range",
                    format!("Ligne {} : la quantité va de 1 à 1 000 000.", i + 1),
                    format!("Line {}: quantity goes from 1 to 1,000,000.", i + 1),
                );
                0
            }
            None => {
                v.add(
                    &f("quantity"),
                    "required",
                    format!("Ligne {} : saisissez la quantité commandée.", i + 1),
                    format!("Line {}: enter the ordered quantity.", i + 1),
                );
                0
            }
        };
        let unit_price_cents = l
            .unit_price
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(|s| crate::units::money_field(v, &f("unit_price"), s, false));
        let requested_date = date_field(v, &f("requested_date"), &l.requested_date);
        out.push(NewLine {
            quote_line_id: l.quote_line_id,
            designation: designation
                .or_else(|| reference.clone())
                .unwrap_or_default(),
            reference,
            revision,
            grade_id: l.grade_id,
            quantity,
            unit_price_cents,
            requested_date,
            critical: l.critical.unwrap_or(false),
            blob_id: None,
        });
    }
    out
}

/// Checks the references of the lines (grades, quote lines of the order's quote).
async fn resolve_lines<C: ConnectionTrait>(
    db: &C,
    lines: &mut [NewLine],
    quote_id: Option<i64>,
) -> Result<(), AppError> {
    let mut v = Validator::default();
    for (i, l) in lines.iter_mut().enumerate() {
        if let Some(g) = l.grade_id
            && material_grade::Entity::find_by_id(g)
                .one(db)
                .await?
                .is_none()
        {
            v.add(
                &format!("lines[{i}].grade_id"),
                "unknown_grade",
                format!("Ligne {} : nuance matière inconnue.", i + 1),
                format!("Line {}: unknown material grade.", i + 1),
            );
        }
        if let Some(ql) = l.quote_line_id {
            match quote_line::Entity::find_by_id(ql).one(db).await? {
                Some(q) if Some(q.quote_id) == quote_id => {
                    l.blob_id = q.blob_id;
                    if l.grade_id.is_none() {
                        l.grade_id = q.grade_id;
                    }
                    l.critical |= q.critical;
                }
                _ => v.add(
                    &format!("lines[{i}].quote_line_id"),
                    "unknown_quote_line",
                    format!(
                        "Ligne {} : la ligne de devis n'appartient pas au devis de la commande.",
                        i + 1
                    ),
                    format!(
                        "Line {}: the quote line is not in the order's quote.",
                        i + 1
                    ),
                ),
            }
        }
    }
    v.finish()
}

/// Writes the lines of an order (after deleting the old ones when replacing).
pub(crate) async fn write_lines<C: ConnectionTrait>(
    db: &C,
    o: &order::Model,
    lines: Vec<NewLine>,
) -> Result<Vec<order_line::Model>, AppError> {
    let now = crate::now();
    let mut out = Vec::with_capacity(lines.len());
    for (i, l) in lines.into_iter().enumerate() {
        let critical = l.critical || o.critical;
        out.push(
            order_line::ActiveModel {
                order_id: Set(o.id),
                position: Set(i as i32 + 1),
                quote_line_id: Set(l.quote_line_id),
                reference: Set(l.reference),
                revision: Set(l.revision),
                designation: Set(l.designation),
                grade_id: Set(l.grade_id),
                quantity: Set(l.quantity),
                delivered_quantity: Set(0),
                unit_price_cents: Set(l.unit_price_cents),
                requested_date: Set(l.requested_date.or(o.requested_date)),
                critical: Set(critical),
                // A critical part is made from certified material (3.1) only.
                certified_material: Set(critical),
                blob_id: Set(l.blob_id),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(db)
            .await?,
        );
    }
    Ok(out)
}

/// Total of the lines (cents), `None` when a line has no price.
pub(crate) fn total_of(lines: &[order_line::Model]) -> Option<i64> {
    if lines.is_empty() {
        return None;
    }
    lines
        .iter()
        .map(|l| l.unit_price_cents.map(|c| c * i64::from(l.quantity)))
        .sum()
}

pub(crate) async fn set_total<C: ConnectionTrait>(
    db: &C,
    o: order::Model,
) -> Result<order::Model, AppError> {
    let lines = lines_of(db, o.id).await?;
    let total = total_of(&lines);
    if total == o.total_cents {
        return Ok(o);
    }
    let mut am: order::ActiveModel = o.into();
    am.total_cents = Set(total);
    Ok(am.update(db).await?)
}

pub async fn create(
    db: &Db,
    ctx: &Ctx,
    i: OrderInput,
    english: bool,
) -> Result<OrderView, AppError> {
    ctx.require(Module::Orders, Action::Create)?;
    let mut v = Validator::default();
    if i.client_id.is_none() {
        v.add(
            "client_id",
            "required",
            "Choisissez le client de la commande.",
            "Choose the order's client.",
        );
    }
    let po = clean(&i.customer_po_number, 100, "customer_po_number", &mut v);
    let po_date = date_field(&mut v, "customer_po_date", &i.customer_po_date);
    let requested = date_field(&mut v, "requested_date", &i.requested_date);
    let promised = date_field(&mut v, "promised_date", &i.promised_date);
    let priority = choice(&mut v, "priority", i.priority.as_deref(), PRIORITIES);
    let notes = clean(&i.notes, 4000, "notes", &mut v);
    let mut lines = check_lines(&mut v, i.lines.as_deref().unwrap_or_default());
    v.finish()?;
    let tx = db.write().await?;
    let c = client(&tx.tx, i.client_id.unwrap_or_default()).await?;
    if let Some(q) = i.quote_id {
        let qm = quote::Entity::find_by_id(q).one(&tx.tx).await?;
        if qm.as_ref().is_none_or(|qm| qm.client_id != c.id) {
            return Err(AppError::field(
                "quote_id",
                "unknown_quote",
                "Devis inconnu ou d'un autre client.",
                "Unknown quote or another client's.",
            ));
        }
    }
    resolve_lines(&tx.tx, &mut lines, i.quote_id).await?;
    let critical_client = is_critical_client(&c);
    let critical = critical_client || i.critical.unwrap_or(false);
    let now = crate::now();
    let o = order::ActiveModel {
        number: Set(next_number!(
            &tx.tx,
            order,
            "CO",
            chrono::Datelike::year(&crate::paris_today())
        )),
        client_id: Set(c.id),
        quote_id: Set(i.quote_id),
        customer_po_number: Set(po),
        customer_po_date: Set(po_date),
        po_blob_id: Set(None),
        requested_date: Set(requested),
        promised_date: Set(promised),
        priority: Set(priority.unwrap_or_else(|| "normale".into())),
        status: Set("en_attente".into()),
        critical: Set(critical),
        // Attached automatically for critical work; asked otherwise, yes by default.
        control_sheet: Set(critical || i.control_sheet.unwrap_or(true)),
        notes: Set(notes),
        status_comment: Set(None),
        total_cents: Set(None),
        created_by_id: Set(ctx.actor_id()),
        created_by: Set(ctx.actor_login().to_string()),
        validated_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&tx.tx)
    .await?;
    let written = write_lines(&tx.tx, &o, lines).await?;
    let o = set_total(&tx.tx, o).await?;
    let mut after = audit_json(&o);
    after["lines"] = written.iter().map(line_audit).collect();
    audit::record(
        &tx.tx,
        ctx,
        "order",
        &o.id.to_string(),
        "create",
        None,
        Some(after),
    )
    .await?;
    let out = view(&tx.tx, ctx, &o, english).await?;
    tx.commit().await?;
    Ok(out)
}

/// Creates the order of an accepted quote (inside the caller's transaction): one line per quote
/// line with its selected quantity and price. Returns the existing order when there is one.
pub(crate) async fn create_from_quote<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    q: &quote::Model,
) -> Result<order::Model, AppError> {
    if let Some(o) = order::Entity::find()
        .filter(order::Column::QuoteId.eq(q.id))
        .filter(order::Column::Status.ne("annulee"))
        .one(db)
        .await?
    {
        return Ok(o);
    }
    let c = client(db, q.client_id).await?;
    let qlines = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.eq(q.id))
        .order_by_asc(quote_line::Column::Position)
        .order_by_asc(quote_line::Column::Id)
        .all(db)
        .await?;
    let critical = is_critical_client(&c);
    let now = crate::now();
    let o = order::ActiveModel {
        number: Set(next_number!(
            db,
            order,
            "CO",
            chrono::Datelike::year(&crate::paris_today())
        )),
        client_id: Set(c.id),
        quote_id: Set(Some(q.id)),
        customer_po_number: Set(None),
        customer_po_date: Set(None),
        po_blob_id: Set(None),
        requested_date: Set(None),
        promised_date: Set(None),
        priority: Set("normale".into()),
        status: Set("en_attente".into()),
        critical: Set(critical || qlines.iter().any(|l| l.critical)),
        control_sheet: Set(true),
        notes: Set(None),
        status_comment: Set(None),
        total_cents: Set(None),
        created_by_id: Set(ctx.actor_id()),
        created_by: Set(ctx.actor_login().to_string()),
        validated_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let lines: Vec<NewLine> = qlines
        .iter()
        .map(|l| NewLine {
            quote_line_id: Some(l.id),
            reference: l.drawing_number.clone(),
            revision: l.drawing_revision.clone(),
            designation: l
                .part_name
                .clone()
                .or_else(|| l.drawing_number.clone())
                .or_else(|| l.filename.clone())
                .unwrap_or_else(|| format!("Ligne {}", l.position)),
            grade_id: l.grade_id,
            quantity: Ord::max(l.selected_quantity.unwrap_or(1), 1),
            unit_price_cents: l.unit_price_cents,
            requested_date: None,
            critical: l.critical,
            blob_id: l.blob_id,
        })
        .collect();
    let written = write_lines(db, &o, lines).await?;
    let o = set_total(db, o).await?;
    let mut after = audit_json(&o);
    after["lines"] = written.iter().map(line_audit).collect();
    after["from_quote"] = serde_json::json!(q.number);
    audit::record(
        db,
        ctx,
        "order",
        &o.id.to_string(),
        "create",
        None,
        Some(after),
    )
    .await?;
    Ok(o)
}

/// Header changes any time before delivery; lines only while `en_attente`.
pub async fn update(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    i: OrderInput,
    english: bool,
) -> Result<OrderView, AppError> {
    ctx.require(Module::Orders, Action::Update)?;
    let Some(version) = i.version else {
        return Err(AppError::field(
            "version",
            "required",
            "Renvoyez la version lue de la commande.",
            "Send back the order's version.",
        ));
    };
    let mut v = Validator::default();
    let po = clean(&i.customer_po_number, 100, "customer_po_number", &mut v);
    let po_date = date_field(&mut v, "customer_po_date", &i.customer_po_date);
    let requested = date_field(&mut v, "requested_date", &i.requested_date);
    let promised = date_field(&mut v, "promised_date", &i.promised_date);
    let priority = choice(&mut v, "priority", i.priority.as_deref(), PRIORITIES);
    let notes = clean(&i.notes, 4000, "notes", &mut v);
    let lines = i.lines.as_ref().map(|l| check_lines(&mut v, l));
    v.finish()?;
    let tx = db.write().await?;
    let cur = find(&tx.tx, id).await?;
    if cur.version != version {
        return Err(AppError::stale_version());
    }
    if matches!(cur.status.as_str(), "livree" | "annulee") {
        return Err(AppError::new(
            Kind::Conflict,
            "order_closed",
            format!(
                "La commande {} est « {} » : elle ne se modifie plus.",
                cur.number,
                label_of(STATUSES, &cur.status, false)
            ),
            format!("Order {} is closed.", cur.number),
        ));
    }
    let mut am: order::ActiveModel = cur.clone().into();
    if let Some(c) = i.client_id
        && c != cur.client_id
    {
        if cur.status != "en_attente" {
            return Err(not_pending(&cur, "changer de client"));
        }
        am.client_id = Set(client(&tx.tx, c).await?.id);
    }
    if i.customer_po_number.is_some() {
        am.customer_po_number = Set(po);
    }
    if i.customer_po_date.is_some() {
        am.customer_po_date = Set(po_date);
    }
    if i.requested_date.is_some() {
        am.requested_date = Set(requested);
    }
    if i.promised_date.is_some() {
        am.promised_date = Set(promised);
    }
    if let Some(p) = priority {
        am.priority = Set(p);
    }
    if i.notes.is_some() {
        am.notes = Set(notes);
    }
    let client_critical = is_critical_client(&client(&tx.tx, cur.client_id).await?);
    if let Some(c) = i.critical {
        am.critical = Set(c || client_critical);
    }
    if let Some(cs) = i.control_sheet {
        let critical = i.critical.unwrap_or(cur.critical) || client_critical;
        if !cs && critical {
            return Err(AppError::field(
                "control_sheet",
                "required_for_critical",
                "Commande critique (aéronautique, défense…) : la fiche de contrôle / sécurité est obligatoire.",
                "Critical order: the control/safety sheet is mandatory.",
            ));
        }
        am.control_sheet = Set(cs);
    }
    am.updated_at = Set(crate::now());
    am.version = Set(cur.version + 1);
    let o = am.update(&tx.tx).await?;
    let mut before = audit_json(&cur);
    let mut after = audit_json(&o);
    if let Some(mut lines) = lines {
        if cur.status != "en_attente" {
            return Err(not_pending(&cur, "changer les lignes"));
        }
        resolve_lines(&tx.tx, &mut lines, o.quote_id).await?;
        let old = lines_of(&tx.tx, id).await?;
        order_line::Entity::delete_many()
            .filter(order_line::Column::OrderId.eq(id))
            .exec(&tx.tx)
            .await?;
        let written = write_lines(&tx.tx, &o, lines).await?;
        before["lines"] = old.iter().map(line_audit).collect();
        after["lines"] = written.iter().map(line_audit).collect();
    }
    let o = set_total(&tx.tx, o).await?;
    after["total_cents"] = serde_json::json!(o.total_cents);
    audit::record(
        &tx.tx,
        ctx,
        "order",
        &id.to_string(),
        "update",
        Some(before),
        Some(after),
    )
    .await?;
    let out = view(&tx.tx, ctx, &o, english).await?;
    tx.commit().await?;
    Ok(out)
}

fn not_pending(o: &order::Model, what: &str) -> AppError {
    AppError::new(
        Kind::Conflict,
        "order_not_pending",
        format!(
            "La commande {} est « {} » : on ne peut plus {what}.",
            o.number,
            label_of(STATUSES, &o.status, false)
        ),
        format!("Order {} is no longer pending.", o.number),
    )
}

pub async fn delete(db: &Db, ctx: &Ctx, id: i64) -> Result<(), AppError> {
    ctx.require(Module::Orders, Action::Delete)?;
    let tx = db.write().await?;
    let o = find(&tx.tx, id).await?;
    if o.status != "en_attente" {
        return Err(not_pending(&o, "la supprimer (annulez-la)"));
    }
    let old = lines_of(&tx.tx, id).await?;
    order_line::Entity::delete_many()
        .filter(order_line::Column::OrderId.eq(id))
        .exec(&tx.tx)
        .await?;
    order::Entity::delete_by_id(id).exec(&tx.tx).await?;
    let mut before = audit_json(&o);
    before["lines"] = old.iter().map(line_audit).collect();
    audit::record(
        &tx.tx,
        ctx,
        "order",
        &id.to_string(),
        "delete",
        Some(before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the status through an allowed transition. Validating generates the jobs and their
/// routings in the same transaction: all or nothing.
pub async fn set_status(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    change: OrderStatusChange,
    english: bool,
) -> Result<OrderView, AppError> {
    ctx.require(Module::Orders, Action::Read)?;
    let to = change.status.trim().to_string();
    let comment = change
        .comment
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    if comment.as_ref().is_some_and(|c| c.chars().count() > 2000) {
        return Err(AppError::field(
            "comment",
            "too_long",
            "Le commentaire dépasse 2 000 caractères.",
            "The comment exceeds 2,000 characters.",
        ));
    }
    if !STATUSES.iter().any(|(c, _, _)| *c == to) {
        return Err(AppError::field(
            "status",
            "invalid_choice",
            "Statut inconnu : en_attente, validee, en_production, livree_partielle, livree ou annulee.",
            "Unknown status.",
        ));
    }
    ctx.require(Module::Orders, transition_action(&to))?;
    let tx = db.write().await?;
    let cur = find(&tx.tx, id).await?;
    if !transitions(&cur.status).contains(&to.as_str()) {
        let hint = if to.starts_with("livree") {
            " Les livraisons se font par un bon de livraison."
        } else {
            ""
        };
        return Err(AppError::new(
            Kind::Conflict,
            "invalid_transition",
            format!(
                "Une commande « {} » ne peut pas passer à « {} ».{hint}",
                label_of(STATUSES, &cur.status, false),
                label_of(STATUSES, &to, false)
            ),
            format!(
                "A “{}” order cannot become “{}”.",
                label_of(STATUSES, &cur.status, true),
                label_of(STATUSES, &to, true)
            ),
        ));
    }
    let lines = lines_of(&tx.tx, id).await?;
    if to == "validee" {
        check_validatable(&cur, &lines)?;
    }
    if to == "annulee" {
        crate::production::cancel_jobs(&tx.tx, ctx, id).await?;
    }
    let mut am: order::ActiveModel = cur.clone().into();
    if to == "validee" {
        am.validated_at = Set(Some(crate::now()));
    }
    am.status = Set(to.clone());
    am.status_comment = Set(comment.clone());
    am.updated_at = Set(crate::now());
    am.version = Set(cur.version + 1);
    let o = am.update(&tx.tx).await?;
    let mut after = audit_json(&o);
    after["comment"] = serde_json::json!(comment);
    audit::record(
        &tx.tx,
        ctx,
        "order",
        &id.to_string(),
        "status",
        Some(audit_json(&cur)),
        Some(after),
    )
    .await?;
    if to == "validee" {
        crate::production::generate_for_order(&tx.tx, ctx, &o, &lines).await?;
    }
    let out = view(&tx.tx, ctx, &o, english).await?;
    tx.commit().await?;
    Ok(out)
}

/// An order goes to the shop with lines, quantities and a customer reference.
fn check_validatable(o: &order::Model, lines: &[order_line::Model]) -> Result<(), AppError> {
    let mut v = Validator::default();
    if lines.is_empty() {
        v.add(
            "lines",
            "required",
            "Une commande sans ligne ne peut pas être validée.",
            "An order without lines cannot be validated.",
        );
    }
    if o.customer_po_number.is_none() {
        v.add(
            "customer_po_number",
            "required",
            "Saisissez le numéro de commande du client (ou importez son bon de commande) avant de valider.",
            "Enter the customer's PO number (or import the PO) before validating.",
        );
    }
    v.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_life() {
        assert_eq!(transitions("en_attente"), ["validee", "annulee"]);
        assert!(transitions("livree").is_empty());
        assert!(transitions("annulee").is_empty());
        assert!(!transitions("validee").contains(&"livree"));
        assert_eq!(transition_action("validee"), Action::Validate);
        assert_eq!(transition_action("annulee"), Action::Update);
    }

    fn line(qty: i32, price: Option<i64>) -> order_line::Model {
        let now = chrono::Utc::now();
        order_line::Model {
            id: 1,
            order_id: 1,
            position: 1,
            quote_line_id: None,
            reference: None,
            revision: None,
            designation: "Axe".into(),
            grade_id: None,
            quantity: qty,
            delivered_quantity: 0,
            unit_price_cents: price,
            requested_date: None,
            critical: false,
            certified_material: false,
            blob_id: None,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    #[test]
    fn total_needs_every_price() {
        assert_eq!(
            total_of(&[line(10, Some(1250)), line(2, Some(100))]),
            Some(12700)
        );
        assert_eq!(total_of(&[line(10, Some(1250)), line(2, None)]), None);
        assert_eq!(total_of(&[]), None);
    }

    #[test]
    fn bad_lines_are_named() {
        let mut v = Validator::default();
        let out = check_lines(
            &mut v,
            &[OrderLineInput {
                quantity: Some(0),
                unit_price: Some("abc".into()),
                requested_date: Some("2026-13-01".into()),
                ..Default::default()
            }],
        );
        assert_eq!(out.len(), 1);
        let e = v.finish().unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert!(fields.contains(&"lines[0].designation"));
        assert!(fields.contains(&"lines[0].quantity"));
        assert!(fields.contains(&"lines[0].unit_price"));
        assert!(fields.contains(&"lines[0].requested_date"));
    }
}
