//! Quotes (devis): a quote to a client, one line per customer drawing (or a manual line),
//! background analysis of the drawings ([`worker`]), the estimate of every line on the shop's
//! own machines ([`shop`], `usinage_engines::estimate`), review by a person, statuses with
//! revisions, and the PDF. See `docs/quotes.md`.
//!
//! The values a person reviews are columns of `quote_lines`; the drawing engine only pre-fills
//! them. Every change re-runs the estimate, and a changed line must be reviewed again.

pub mod doc;
pub mod lines;
pub mod shop;
pub mod worker;

use crate::audit;
use crate::crm::{CodeLabels, label_of};
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::listing::{ListQuery, Page, fetch_page};
use crate::rights::{Action, Module};
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use usinage_store::Db;
use usinage_store::entities::{partner, quote, quote_line, quote_revision};

pub use lines::{LinePatch, LineView};

pub const STATUSES: CodeLabels = &[
    ("brouillon", "Brouillon", "Draft"),
    ("a_valider", "À valider", "To validate"),
    ("envoye", "Envoyé", "Sent"),
    ("accepte", "Accepté", "Accepted"),
    ("refuse", "Refusé", "Refused"),
    ("expire", "Expiré", "Expired"),
];

/// Default validity of a new quote (days).
pub const DEFAULT_VALIDITY_DAYS: u64 = 30;

/// Statuses reachable from `status`. Reopening a sent, refused or expired quote (back to
/// `brouillon`) creates a new revision.
pub fn transitions(status: &str) -> &'static [&'static str] {
    match status {
        "brouillon" => &["a_valider"],
        "a_valider" => &["brouillon", "envoye"],
        "envoye" => &["accepte", "refuse", "expire", "brouillon"],
        "refuse" | "expire" => &["brouillon"],
        _ => &[],
    }
}

/// Right needed for a transition: sending and recording the customer's answer is a
/// validation; the rest is an update.
pub fn transition_action(to: &str) -> Action {
    match to {
        "envoye" | "accepte" | "refuse" => Action::Validate,
        _ => Action::Update,
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuoteSummary {
    pub id: i64,
    pub number: String,
    pub revision: i32,
    pub client_id: i64,
    pub client_name: String,
    pub subject: Option<String>,
    pub status: String,
    pub status_label: String,
    pub line_count: u64,
    /// Lines still queued or being analysed.
    pub lines_pending: u64,
    /// Sum of the lines' selected totals (€ HT), `null` while a line has no price.
    pub total_standard: Option<String>,
    pub valid_until: NaiveDate,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuoteTransition {
    pub status: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RevisionView {
    pub revision: i32,
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by_name: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuoteView {
    #[serde(flatten)]
    pub summary: QuoteSummary,
    pub customer_reference: Option<String>,
    pub notes: Option<String>,
    pub status_comment: Option<String>,
    pub created_by_name: String,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
    /// The client works for a critical sector (aéronautique, spatial, défense, nucléaire) or
    /// is marked critical: its lines default to critical parts.
    pub critical_client: bool,
    pub transitions: Vec<QuoteTransition>,
    pub lines: Vec<LineView>,
    pub revisions: Vec<RevisionView>,
    /// The order created when the quote was accepted.
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct QuoteInput {
    pub client_id: Option<i64>,
    pub subject: Option<String>,
    pub customer_reference: Option<String>,
    /// `YYYY-MM-DD`
    pub valid_until: Option<String>,
    pub notes: Option<String>,
    /// Required on PATCH.
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct StatusChange {
    pub status: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteFilter {
    pub status: Option<String>,
    pub client_id: Option<String>,
}

pub const SORTABLE: &[&str] = &["number", "created_at", "valid_until", "status", "id"];

pub(crate) fn is_critical_client(p: &partner::Model) -> bool {
    p.critical
        || p.sectors
            .split_whitespace()
            .any(|s| matches!(s, "aeronautique" | "spatial" | "defense" | "nucleaire"))
}

fn clean(s: &Option<String>, max: usize, field: &str, v: &mut Validator) -> Option<String> {
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

async fn client<C: ConnectionTrait>(db: &C, id: i64) -> Result<partner::Model, AppError> {
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

pub(crate) async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<quote::Model, AppError> {
    quote::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Devis", "Quote"))
}

/// `DV-2026-0007`: next number of the year, inside the caller's write transaction.
async fn next_number<C: ConnectionTrait>(db: &C, year: i32) -> Result<String, AppError> {
    let prefix = format!("DV-{year}-");
    let last = quote::Entity::find()
        .filter(quote::Column::Number.starts_with(&prefix))
        // Longest first: "…-10000" after "…-9999" (text order alone puts it before).
        .order_by_desc(sea_orm::sea_query::Expr::expr(
            sea_orm::sea_query::Func::char_length(sea_orm::sea_query::Expr::col(
                quote::Column::Number,
            )),
        ))
        .order_by_desc(quote::Column::Number)
        .one(db)
        .await?;
    let n = last
        .and_then(|q| q.number[prefix.len()..].parse::<u32>().ok())
        .unwrap_or(0)
        + 1;
    Ok(format!("{prefix}{n:04}"))
}

fn audit_json(q: &quote::Model) -> serde_json::Value {
    serde_json::json!({
        "number": q.number, "revision": q.revision, "client_id": q.client_id,
        "subject": q.subject, "customer_reference": q.customer_reference, "status": q.status,
        "valid_until": q.valid_until, "notes": q.notes, "total_standard_cents": q.total_standard_cents,
    })
}

async fn summaries<C: ConnectionTrait>(
    db: &C,
    rows: &[quote::Model],
    english: bool,
) -> Result<Vec<QuoteSummary>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|q| q.id).collect();
    let lines = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.is_in(ids))
        .all(db)
        .await?;
    let clients: Vec<i64> = rows.iter().map(|q| q.client_id).collect();
    let partners = partner::Entity::find()
        .filter(partner::Column::Id.is_in(clients))
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .map(|q| {
            let mine = lines.iter().filter(|l| l.quote_id == q.id);
            QuoteSummary {
                id: q.id,
                number: q.number.clone(),
                revision: q.revision,
                client_id: q.client_id,
                client_name: partners
                    .iter()
                    .find(|p| p.id == q.client_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                subject: q.subject.clone(),
                status: q.status.clone(),
                status_label: label_of(STATUSES, &q.status, english),
                line_count: mine.clone().count() as u64,
                lines_pending: mine
                    .filter(|l| {
                        l.analysis_status == "en_attente" || l.analysis_status == "en_cours"
                    })
                    .count() as u64,
                total_standard: q.total_standard_cents.map(crate::units::cents_to_string),
                valid_until: q.valid_until,
                created_at: q.created_at,
            }
        })
        .collect())
}

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    f: &QuoteFilter,
    english: bool,
) -> Result<Page<QuoteSummary>, AppError> {
    ctx.require(Module::Quotes, Action::Read)?;
    let mut v = Validator::default();
    let status = f.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = status
        && !STATUSES.iter().any(|(c, _, _)| *c == s)
    {
        v.add(
            "status",
            "invalid_choice",
            "Statut inconnu : brouillon, a_valider, envoye, accepte, refuse ou expire.",
            "Unknown status.",
        );
    }
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
    use quote::Column as C;
    let mut s = quote::Entity::find();
    if let Some(st) = status {
        s = s.filter(C::Status.eq(st));
    }
    if let Some(c) = client_id {
        s = s.filter(C::ClientId.eq(c));
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: C| Expr::expr(Func::lower(Expr::col(c))).like(p.clone());
        let clients: Vec<i64> = partner::Entity::find()
            .filter(Expr::expr(Func::lower(Expr::col(partner::Column::Name))).like(p.clone()))
            .all(&db.conn)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        s = s.filter(
            like(C::Number)
                .or(like(C::Subject))
                .or(like(C::CustomerReference))
                .or(C::ClientId.is_in(clients)),
        );
    }
    let col = |f: &str| match f {
        "number" => C::Number,
        "valid_until" => C::ValidUntil,
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

pub async fn get(db: &Db, ctx: &Ctx, id: i64, english: bool) -> Result<QuoteView, AppError> {
    ctx.require(Module::Quotes, Action::Read)?;
    let q = find(&db.conn, id).await?;
    view(&db.conn, ctx, &q, english).await
}

pub(crate) async fn view<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    q: &quote::Model,
    english: bool,
) -> Result<QuoteView, AppError> {
    let summary = summaries(db, std::slice::from_ref(q), english)
        .await?
        .remove(0);
    let c = partner::Entity::find_by_id(q.client_id).one(db).await?;
    let rows = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.eq(q.id))
        .order_by_asc(quote_line::Column::Position)
        .order_by_asc(quote_line::Column::Id)
        .all(db)
        .await?;
    let mut lines_out = Vec::with_capacity(rows.len());
    for l in &rows {
        lines_out.push(lines::view(db, l, english).await?);
    }
    let revisions = quote_revision::Entity::find()
        .filter(quote_revision::Column::QuoteId.eq(q.id))
        .order_by_asc(quote_revision::Column::Revision)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RevisionView {
            revision: r.revision,
            status: r.status,
            created_at: r.created_at,
            created_by_name: r.created_by,
        })
        .collect();
    let order = usinage_store::entities::order::Entity::find()
        .filter(usinage_store::entities::order::Column::QuoteId.eq(q.id))
        .filter(usinage_store::entities::order::Column::Status.ne("annulee"))
        .one(db)
        .await?;
    Ok(QuoteView {
        summary,
        customer_reference: q.customer_reference.clone(),
        notes: q.notes.clone(),
        status_comment: q.status_comment.clone(),
        created_by_name: q.created_by.clone(),
        sent_at: q.sent_at,
        updated_at: q.updated_at,
        version: q.version,
        critical_client: c.as_ref().is_some_and(is_critical_client),
        transitions: transitions(&q.status)
            .iter()
            .filter(|to| ctx.require(Module::Quotes, transition_action(to)).is_ok())
            .map(|to| QuoteTransition {
                status: to.to_string(),
                label: label_of(STATUSES, to, english),
            })
            .collect(),
        lines: lines_out,
        revisions,
        order_id: order.as_ref().map(|o| o.id),
        order_number: order.map(|o| o.number),
    })
}

fn parse_valid_until(v: &mut Validator, s: &Option<String>, today: NaiveDate) -> Option<NaiveDate> {
    let s = s.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if d >= today => Some(d),
        Ok(_) => {
            v.add(
                "valid_until",
                "in_the_past",
                "La date de validité est déjà passée.",
                "The validity date is in the past.",
            );
            None
        }
        Err(_) => {
            v.add(
                "valid_until",
                "invalid_date",
                "Date de validité invalide (AAAA-MM-JJ).",
                "Invalid validity date (YYYY-MM-DD).",
            );
            None
        }
    }
}

pub async fn create(
    db: &Db,
    ctx: &Ctx,
    i: QuoteInput,
    today: NaiveDate,
    english: bool,
) -> Result<QuoteView, AppError> {
    ctx.require(Module::Quotes, Action::Create)?;
    let mut v = Validator::default();
    if i.client_id.is_none() {
        v.add(
            "client_id",
            "required",
            "Choisissez le client du devis.",
            "Choose the quote's client.",
        );
    }
    let subject = clean(&i.subject, 200, "subject", &mut v);
    let reference = clean(&i.customer_reference, 100, "customer_reference", &mut v);
    let notes = clean(&i.notes, 4000, "notes", &mut v);
    let valid_until = parse_valid_until(&mut v, &i.valid_until, today)
        .unwrap_or(today + chrono::Days::new(DEFAULT_VALIDITY_DAYS));
    v.finish()?;
    let tx = db.write().await?;
    let c = client(&tx.tx, i.client_id.unwrap_or_default()).await?;
    let now = crate::now();
    let q = quote::ActiveModel {
        number: Set(next_number(&tx.tx, chrono::Datelike::year(&today)).await?),
        revision: Set(0),
        client_id: Set(c.id),
        subject: Set(subject),
        customer_reference: Set(reference),
        status: Set("brouillon".into()),
        valid_until: Set(valid_until),
        notes: Set(notes),
        total_standard_cents: Set(None),
        status_comment: Set(None),
        created_by_id: Set(ctx.actor_id()),
        created_by: Set(ctx.actor_login().to_string()),
        sent_at: Set(None),
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
        "quote",
        &q.id.to_string(),
        "create",
        None,
        Some(audit_json(&q)),
    )
    .await?;
    let out = view(&tx.tx, ctx, &q, english).await?;
    tx.commit().await?;
    Ok(out)
}

/// Lines and header can change only while the quote is a draft.
pub(crate) fn require_draft(q: &quote::Model) -> Result<(), AppError> {
    if q.status != "brouillon" {
        return Err(AppError::new(
            Kind::Conflict,
            "quote_not_draft",
            format!(
                "Le devis {} est « {} » : repassez-le en brouillon pour le modifier.",
                q.number,
                label_of(STATUSES, &q.status, false)
            ),
            format!(
                "Quote {} is “{}”: set it back to draft to change it.",
                q.number,
                label_of(STATUSES, &q.status, true)
            ),
        ));
    }
    Ok(())
}

/// Bumps the quote's version and recomputes its total (after a line changed).
pub(crate) async fn touch<C: ConnectionTrait>(db: &C, quote_id: i64) -> Result<(), AppError> {
    let lines = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.eq(quote_id))
        .all(db)
        .await?;
    let total = if lines.is_empty() || lines.iter().any(|l| l.total_cents.is_none()) {
        None
    } else {
        Some(lines.iter().filter_map(|l| l.total_cents).sum::<i64>())
    };
    quote::Entity::update_many()
        .col_expr(quote::Column::TotalStandardCents, Expr::value(total))
        .col_expr(quote::Column::UpdatedAt, Expr::value(crate::now()))
        .col_expr(
            quote::Column::Version,
            Expr::col(quote::Column::Version).add(1),
        )
        .filter(quote::Column::Id.eq(quote_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn update(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    i: QuoteInput,
    today: NaiveDate,
    english: bool,
) -> Result<QuoteView, AppError> {
    ctx.require(Module::Quotes, Action::Update)?;
    let mut v = Validator::default();
    let Some(version) = i.version else {
        return Err(AppError::field(
            "version",
            "required",
            "Renvoyez la version lue du devis.",
            "Send back the quote's version.",
        ));
    };
    let subject = clean(&i.subject, 200, "subject", &mut v);
    let reference = clean(&i.customer_reference, 100, "customer_reference", &mut v);
    let notes = clean(&i.notes, 4000, "notes", &mut v);
    let valid_until = parse_valid_until(&mut v, &i.valid_until, today);
    v.finish()?;
    let tx = db.write().await?;
    let cur = find(&tx.tx, id).await?;
    if cur.version != version {
        return Err(AppError::stale_version());
    }
    require_draft(&cur)?;
    let mut am: quote::ActiveModel = cur.clone().into();
    if let Some(c) = i.client_id {
        am.client_id = Set(client(&tx.tx, c).await?.id);
    }
    if i.subject.is_some() {
        am.subject = Set(subject);
    }
    if i.customer_reference.is_some() {
        am.customer_reference = Set(reference);
    }
    if i.notes.is_some() {
        am.notes = Set(notes);
    }
    if let Some(d) = valid_until {
        am.valid_until = Set(d);
    }
    am.updated_at = Set(crate::now());
    am.version = Set(cur.version + 1);
    let q = am.update(&tx.tx).await?;
    audit::record(
        &tx.tx,
        ctx,
        "quote",
        &id.to_string(),
        "update",
        Some(audit_json(&cur)),
        Some(audit_json(&q)),
    )
    .await?;
    let out = view(&tx.tx, ctx, &q, english).await?;
    tx.commit().await?;
    Ok(out)
}

/// Deletes a draft quote that was never sent, its lines and their drawings (when no other
/// record shares the bytes).
pub async fn delete(db: &Db, ctx: &Ctx, id: i64) -> Result<(), AppError> {
    ctx.require(Module::Quotes, Action::Delete)?;
    let tx = db.write().await?;
    let q = find(&tx.tx, id).await?;
    require_draft(&q)?;
    if q.revision > 0 {
        return Err(AppError::new(
            Kind::Conflict,
            "quote_was_sent",
            "Ce devis a déjà été envoyé (révisions conservées) : passez-le en refusé ou expiré au lieu de le supprimer.",
            "This quote was already sent (revisions are kept): mark it refused or expired instead.",
        ));
    }
    let rows = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.eq(id))
        .all(&tx.tx)
        .await?;
    quote_line::Entity::delete_many()
        .filter(quote_line::Column::QuoteId.eq(id))
        .exec(&tx.tx)
        .await?;
    for blob in rows.iter().filter_map(|l| l.blob_id) {
        lines::drop_blob_if_unused(&tx.tx, blob).await?;
    }
    quote::Entity::delete_by_id(id).exec(&tx.tx).await?;
    audit::record(
        &tx.tx,
        ctx,
        "quote",
        &id.to_string(),
        "delete",
        Some(audit_json(&q)),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the status through an allowed transition.
pub async fn set_status(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    change: StatusChange,
    english: bool,
) -> Result<QuoteView, AppError> {
    ctx.require(Module::Quotes, Action::Read)?;
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
            "Statut inconnu : brouillon, a_valider, envoye, accepte, refuse ou expire.",
            "Unknown status.",
        ));
    }
    ctx.require(Module::Quotes, transition_action(&to))?;
    let tx = db.write().await?;
    let cur = find(&tx.tx, id).await?;
    if !transitions(&cur.status).contains(&to.as_str()) {
        return Err(AppError::new(
            Kind::Conflict,
            "invalid_transition",
            format!(
                "Un devis « {} » ne peut pas passer à « {} ».",
                label_of(STATUSES, &cur.status, false),
                label_of(STATUSES, &to, false)
            ),
            format!(
                "A “{}” quote cannot become “{}”.",
                label_of(STATUSES, &cur.status, true),
                label_of(STATUSES, &to, true)
            ),
        ));
    }
    let rows = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.eq(id))
        .order_by_asc(quote_line::Column::Position)
        .all(&tx.tx)
        .await?;
    if to == "a_valider" {
        lines::check_ready(&rows)?;
    }
    let mut am: quote::ActiveModel = cur.clone().into();
    if to == "brouillon" && cur.status != "a_valider" {
        // Reopening what the customer saw: keep it as it was sent, then work on a new
        // revision.
        let snapshot = view(&tx.tx, ctx, &cur, false).await?;
        quote_revision::ActiveModel {
            quote_id: Set(cur.id),
            revision: Set(cur.revision),
            status: Set(cur.status.clone()),
            snapshot: Set(serde_json::to_string(&snapshot)
                .map_err(|_| AppError::internal("instantané du devis"))?),
            created_by: Set(ctx.actor_login().to_string()),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&tx.tx)
        .await?;
        am.revision = Set(cur.revision + 1);
    }
    if to == "envoye" {
        am.sent_at = Set(Some(crate::now()));
    }
    am.status = Set(to.clone());
    am.status_comment = Set(comment.clone());
    am.updated_at = Set(crate::now());
    am.version = Set(cur.version + 1);
    let q = am.update(&tx.tx).await?;
    let mut after = audit_json(&q);
    after["comment"] = serde_json::json!(comment);
    if to == "accepte" {
        // The customer said yes: the order is created at once, waiting for its PO.
        let o = crate::orders::create_from_quote(&tx.tx, ctx, &q).await?;
        after["order"] = serde_json::json!(o.number);
    }
    audit::record(
        &tx.tx,
        ctx,
        "quote",
        &id.to_string(),
        "status",
        Some(audit_json(&cur)),
        Some(after),
    )
    .await?;
    let out = view(&tx.tx, ctx, &q, english).await?;
    tx.commit().await?;
    Ok(out)
}

/// Demo: purchase and treatment prices, and one quote to the first client with a manual line
/// (priced at once) and a generated drawing queued for analysis (the server's worker reads it
/// at start).
pub async fn load_demo<C: ConnectionTrait>(tx: &C, ctx: &Ctx) -> Result<(), AppError> {
    use shop::{GradePrice, QUOTE_PRICES, QuotePrices, TreatmentPrice};
    let treatment =
        |t: &str, supplier: &str, basis: &str, price: &str, min: &str, lead: u32| TreatmentPrice {
            treatment: t.into(),
            supplier: supplier.into(),
            basis: basis.into(),
            price: price.into(),
            lot_charge: Some("35".into()),
            min_charge: Some(min.into()),
            lead_days: lead,
        };
    let heat = "Calor'Trempe Loire SAS";
    let surface = "Anodia Surfaces SAS";
    let prices = QuotePrices {
        materials: crate::stock::materials::demo_prices()
            .map(|(code, price)| {
                let p = crate::units::parse_decimal(price).unwrap_or_default();
                GradePrice {
                    grade_code: code.into(),
                    price_per_kg: price.into(),
                    certified_price_per_kg: Some(
                        (p * rust_decimal::Decimal::new(115, 2))
                            .round_dp(2)
                            .to_string(),
                    ),
                    certificate_fee: Some("25".into()),
                    lead_days: 5,
                }
            })
            .collect(),
        treatments: vec![
            treatment("trempe_revenu", heat, "per_kg", "3.20", "120", 8),
            treatment("cementation", heat, "per_kg", "4.50", "150", 10),
            treatment("nitruration", heat, "per_kg", "5.80", "180", 12),
            treatment("anodisation", surface, "per_piece", "4.20", "90", 7),
            treatment("zingage", surface, "per_kg", "2.60", "60", 5),
            treatment("passivation", surface, "per_piece", "1.80", "70", 5),
            treatment("peinture", surface, "per_piece", "6.50", "90", 8),
            treatment("brunissage", surface, "per_kg", "3.00", "60", 5),
            treatment("detensionnement", heat, "per_kg", "1.90", "90", 6),
            treatment("chromage", surface, "per_piece", "9.50", "150", 10),
            treatment("nickelage", surface, "per_piece", "5.80", "120", 8),
            treatment("phosphatation", surface, "per_kg", "2.20", "60", 5),
        ],
    };
    crate::settings::put(tx, QUOTE_PRICES, &prices).await?;
    let Some(client) = partner::Entity::find()
        .filter(partner::Column::Kind.eq("client"))
        .order_by_asc(partner::Column::Id)
        .one(tx)
        .await?
    else {
        return Ok(());
    };
    let grade = usinage_store::entities::material_grade::Entity::find()
        .filter(usinage_store::entities::material_grade::Column::Code.eq("MA02"))
        .one(tx)
        .await?;
    let today = crate::now().date_naive();
    let now = crate::now();
    let q = quote::ActiveModel {
        number: Set(next_number(tx, chrono::Datelike::year(&today)).await?),
        revision: Set(0),
        client_id: Set(client.id),
        subject: Set(Some("Consultation axes et brides — lot 2027".into())),
        customer_reference: Set(Some("RFQ-2026-118".into())),
        status: Set("brouillon".into()),
        valid_until: Set(today + chrono::Days::new(DEFAULT_VALIDITY_DAYS)),
        notes: Set(None),
        total_standard_cents: Set(None),
        status_comment: Set(None),
        created_by_id: Set(None),
        created_by: Set("commercial".into()),
        sent_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let patch = LinePatch {
        drawing_number: Some("PL-4471".into()),
        drawing_revision: Some("B".into()),
        part_name: Some("Axe de vérin".into()),
        grade_id: grade.map(|g| g.id),
        quantities: Some(vec![1, 10, 50, 100]),
        shape: Some("turned".into()),
        envelope: Some(lines::EnvelopeView {
            diameter: Some(40.0),
            length: Some(120.0),
            width: None,
            height: None,
        }),
        surface_treatment: Some("Zingage blanc".into()),
        selected_quantity: Some(50),
        ..Default::default()
    };
    lines::add_demo_line(tx, &q, 1, patch, None).await?;
    // Three generated customer drawings (the drawing engine's corpus), analysed by the worker
    // when the server starts.
    let fonts = usinage_drawing::corpus::system_fonts();
    for (position, index) in [(2, 3), (3, 0), (4, 6)] {
        let (src, _) = usinage_drawing::corpus::generate(2026, index);
        if let Ok(pdf) = usinage_drawing::corpus::render_pdf(&src, &fonts) {
            let name = format!("plan-client-{position}.pdf");
            lines::add_demo_line(tx, &q, position, LinePatch::default(), Some((&name, pdf)))
                .await?;
        }
    }
    touch(tx, q.id).await?;
    audit::record(
        tx,
        ctx,
        "quote",
        &q.id.to_string(),
        "create",
        None,
        Some(audit_json(&q)),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_follow_the_quote_life() {
        assert_eq!(transitions("brouillon"), ["a_valider"]);
        assert_eq!(transitions("a_valider"), ["brouillon", "envoye"]);
        assert!(transitions("envoye").contains(&"accepte"));
        assert!(transitions("accepte").is_empty());
        assert_eq!(transitions("refuse"), ["brouillon"]);
        assert_eq!(transition_action("envoye"), Action::Validate);
        assert_eq!(transition_action("a_valider"), Action::Update);
    }

    #[test]
    fn critical_sectors_make_a_critical_client() {
        let mut p = partner::Model {
            id: 1,
            kind: "client".into(),
            name: "Aéro".into(),
            siren: None,
            siret: None,
            vat_number: None,
            billing_address: None,
            delivery_address: None,
            email: None,
            phone: None,
            website: None,
            payment_terms: "45j_fdm".into(),
            sectors: "automobile defense".into(),
            supplier_kinds: String::new(),
            critical: false,
            contacts: "[]".into(),
            notes: None,
            archived: false,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            version: 1,
        };
        assert!(is_critical_client(&p));
        p.sectors = "automobile".into();
        assert!(!is_critical_client(&p));
        p.critical = true;
        assert!(is_critical_client(&p));
    }
}
