//! The scrap/rework reasons qualité manages, and the operators' comments and improvement
//! suggestions that méthode handles.

use super::Loaded;
use crate::audit;
use crate::crm::{CodeLabels, label_of};
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::rights::{Action, Module};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use usinage_store::Db;
use usinage_store::entities::{job, job_operation, operation_comment, scrap_reason};

pub const COMMENT_KINDS: CodeLabels = &[
    ("commentaire", "Commentaire", "Comment"),
    (
        "amelioration",
        "Suggestion d'amélioration",
        "Improvement suggestion",
    ),
];

pub const COMMENT_STATUSES: CodeLabels = &[
    ("ouvert", "À traiter", "Open"),
    ("traite", "Traité", "Handled"),
];

pub(crate) async fn active<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<scrap_reason::Model>, AppError> {
    Ok(scrap_reason::Entity::find()
        .filter(scrap_reason::Column::Active.eq(true))
        .order_by_asc(scrap_reason::Column::Position)
        .order_by_asc(scrap_reason::Column::Id)
        .all(db)
        .await?)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScrapReasonView {
    pub id: i64,
    pub code: String,
    pub label: String,
    pub active: bool,
    pub position: i32,
    pub version: i32,
}

fn reason_view(r: scrap_reason::Model) -> ScrapReasonView {
    ScrapReasonView {
        id: r.id,
        code: r.code,
        label: r.label,
        active: r.active,
        position: r.position,
        version: r.version,
    }
}

/// Every reason (the floor shows the active ones; qualité manages all).
pub async fn list_reasons(db: &Db, ctx: &Ctx) -> Result<Vec<ScrapReasonView>, AppError> {
    if ctx.require(Module::Quality, Action::Read).is_err() {
        ctx.require(Module::TimeTracking, Action::Read)?;
    }
    Ok(scrap_reason::Entity::find()
        .order_by_asc(scrap_reason::Column::Position)
        .order_by_asc(scrap_reason::Column::Id)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(reason_view)
        .collect())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReasonInput {
    pub code: Option<String>,
    pub label: Option<String>,
    pub active: Option<bool>,
    pub position: Option<i32>,
    /// Required on update (optimistic lock).
    pub version: Option<i32>,
}

fn label_field(v: &mut Validator, label: &Option<String>, required: bool) -> Option<String> {
    match label.as_deref().map(str::trim) {
        None | Some("") => {
            if required {
                v.add(
                    "label",
                    "required",
                    "Le libellé est obligatoire.",
                    "The label is required.",
                );
            }
            None
        }
        Some(l) if l.chars().count() > 200 => {
            v.add(
                "label",
                "too_long",
                "200 caractères au plus.",
                "At most 200 characters.",
            );
            None
        }
        Some(l) => Some(l.to_string()),
    }
}

pub async fn create_reason(
    db: &Db,
    ctx: &Ctx,
    i: ReasonInput,
) -> Result<ScrapReasonView, AppError> {
    // Managing the list is quality:update (qualité, chef d'atelier, direction); operators have
    // quality:create to declare non-conformities, not to change the list.
    ctx.require(Module::Quality, Action::Update)?;
    let mut v = Validator::default();
    let code = match i.code.as_deref().map(str::trim) {
        Some(c)
            if !c.is_empty()
                && c.len() <= 40
                && c.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_') =>
        {
            Some(c.to_string())
        }
        _ => {
            v.add(
                "code",
                "invalid",
                "Code obligatoire : minuscules, chiffres et « _ », 40 caractères au plus.",
                "Code required: lower-case letters, digits and “_”, at most 40 characters.",
            );
            None
        }
    };
    let label = label_field(&mut v, &i.label, true);
    v.finish()?;
    let code = code.unwrap_or_default();
    let tx = db.write().await?;
    if scrap_reason::Entity::find()
        .filter(scrap_reason::Column::Code.eq(code.clone()))
        .one(&tx.tx)
        .await?
        .is_some()
    {
        return Err(AppError::field(
            "code",
            "duplicate",
            format!("La raison « {code} » existe déjà."),
            format!("Reason “{code}” already exists."),
        ));
    }
    let now = crate::now();
    let r = scrap_reason::ActiveModel {
        code: Set(code),
        label: Set(label.unwrap_or_default()),
        active: Set(i.active.unwrap_or(true)),
        position: Set(i.position.unwrap_or(500)),
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
        "scrap_reason",
        &r.id.to_string(),
        "create",
        None,
        Some(serde_json::json!({"code": r.code, "label": r.label, "active": r.active})),
    )
    .await?;
    tx.commit().await?;
    Ok(reason_view(r))
}

pub async fn update_reason(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    i: ReasonInput,
) -> Result<ScrapReasonView, AppError> {
    ctx.require(Module::Quality, Action::Update)?;
    let mut v = Validator::default();
    let label = label_field(&mut v, &i.label, false);
    if i.version.is_none() {
        v.add(
            "version",
            "required",
            "La version de l'enregistrement est obligatoire.",
            "The record's version is required.",
        );
    }
    if i.code.is_some() {
        v.add(
            "code",
            "read_only",
            "Le code d'une raison ne change pas (les rebuts passés y font référence).",
            "A reason's code cannot change (past scrap records refer to it).",
        );
    }
    v.finish()?;
    let tx = db.write().await?;
    let r = scrap_reason::Entity::find_by_id(id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Raison de rebut", "Scrap reason"))?;
    if Some(r.version) != i.version {
        return Err(AppError::stale_version());
    }
    let before = serde_json::json!({"label": r.label, "active": r.active, "position": r.position});
    let mut am: scrap_reason::ActiveModel = r.clone().into();
    if let Some(l) = label {
        am.label = Set(l);
    }
    if let Some(a) = i.active {
        am.active = Set(a);
    }
    if let Some(p) = i.position {
        am.position = Set(p);
    }
    am.updated_at = Set(crate::now());
    am.version = Set(r.version + 1);
    let r = am.update(&tx.tx).await?;
    audit::record(
        &tx.tx,
        ctx,
        "scrap_reason",
        &id.to_string(),
        "update",
        Some(before),
        Some(serde_json::json!({"label": r.label, "active": r.active, "position": r.position})),
    )
    .await?;
    tx.commit().await?;
    Ok(reason_view(r))
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CommentView {
    pub id: i64,
    pub operation_id: i64,
    pub job_id: i64,
    pub job_number: String,
    pub position: i32,
    pub operation_label: String,
    pub kind: String,
    pub kind_label: String,
    pub text: String,
    pub status: String,
    pub status_label: String,
    pub user_login: String,
    pub handled_by: Option<String>,
    pub handled_at: Option<DateTime<Utc>>,
    pub handled_note: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub(crate) async fn add_comment_in<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    l: &Loaded,
    kind: &str,
    text: &str,
) -> Result<operation_comment::Model, AppError> {
    let c = operation_comment::ActiveModel {
        operation_id: Set(l.op.id),
        job_id: Set(l.job.id),
        kind: Set(kind.to_string()),
        text: Set(text.to_string()),
        status: Set("ouvert".into()),
        user_id: Set(ctx.actor_id()),
        user_login: Set(ctx.actor_login().to_string()),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        ctx,
        "operation_comment",
        &c.id.to_string(),
        "create",
        None,
        Some(serde_json::json!({"operation_id": l.op.id, "kind": kind, "text": text})),
    )
    .await?;
    Ok(c)
}

pub(crate) async fn comment_views<C: ConnectionTrait>(
    db: &C,
    list: Vec<operation_comment::Model>,
    english: bool,
) -> Result<Vec<CommentView>, AppError> {
    let ops = job_operation::Entity::find()
        .filter(job_operation::Column::Id.is_in(list.iter().map(|c| c.operation_id)))
        .all(db)
        .await?;
    let jobs = job::Entity::find()
        .filter(job::Column::Id.is_in(list.iter().map(|c| c.job_id)))
        .all(db)
        .await?;
    Ok(list
        .into_iter()
        .map(|c| {
            let op = ops.iter().find(|o| o.id == c.operation_id);
            CommentView {
                id: c.id,
                operation_id: c.operation_id,
                job_id: c.job_id,
                job_number: jobs
                    .iter()
                    .find(|j| j.id == c.job_id)
                    .map(|j| j.number.clone())
                    .unwrap_or_default(),
                position: op.map(|o| o.position).unwrap_or_default(),
                operation_label: op.map(|o| o.label.clone()).unwrap_or_default(),
                kind_label: label_of(COMMENT_KINDS, &c.kind, english),
                kind: c.kind,
                text: c.text,
                status_label: label_of(COMMENT_STATUSES, &c.status, english),
                status: c.status,
                user_login: c.user_login,
                handled_by: c.handled_by,
                handled_at: c.handled_at,
                handled_note: c.handled_note,
                created_at: c.created_at,
            }
        })
        .collect())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommentFilter {
    /// `ouvert` (default) or `traite`.
    pub status: Option<String>,
    pub operation_id: Option<i64>,
}

/// Comments and suggestions for méthode (readers of method sheets who may edit them, and
/// supervisors); an operation's own comments for anyone who reads time tracking.
pub async fn comments(
    db: &Db,
    ctx: &Ctx,
    f: &CommentFilter,
    english: bool,
) -> Result<Vec<CommentView>, AppError> {
    if f.operation_id.is_none() {
        ctx.require(Module::MethodSheets, Action::Update)?;
    } else {
        ctx.require(Module::TimeTracking, Action::Read)?;
    }
    let status = f.status.as_deref().unwrap_or("ouvert");
    if !COMMENT_STATUSES.iter().any(|(c, _, _)| *c == status) {
        return Err(AppError::field(
            "status",
            "invalid_choice",
            "Statut inconnu : ouvert ou traite.",
            "Unknown status: ouvert or traite.",
        ));
    }
    let mut q = operation_comment::Entity::find()
        .filter(operation_comment::Column::Status.eq(status))
        .order_by_desc(operation_comment::Column::CreatedAt);
    if let Some(o) = f.operation_id {
        q = q.filter(operation_comment::Column::OperationId.eq(o));
    }
    let list = q.all(&db.conn).await?;
    comment_views(&db.conn, list, english).await
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct HandleInput {
    pub note: Option<String>,
}

pub async fn handle(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    i: HandleInput,
    english: bool,
) -> Result<CommentView, AppError> {
    ctx.require(Module::MethodSheets, Action::Update)?;
    let note = i
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(AppError::field(
            "note",
            "too_long",
            "2 000 caractères au plus.",
            "At most 2,000 characters.",
        ));
    }
    let tx = db.write().await?;
    let c = operation_comment::Entity::find_by_id(id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Commentaire", "Comment"))?;
    if c.status != "ouvert" {
        return Err(AppError::new(
            Kind::Conflict,
            "already_handled",
            "Ce commentaire est déjà traité.",
            "This comment is already handled.",
        ));
    }
    let mut am: operation_comment::ActiveModel = c.clone().into();
    am.status = Set("traite".into());
    am.handled_by = Set(Some(ctx.actor_login().to_string()));
    am.handled_at = Set(Some(crate::now()));
    am.handled_note = Set(note);
    let c = am.update(&tx.tx).await?;
    audit::record(
        &tx.tx,
        ctx,
        "operation_comment",
        &id.to_string(),
        "handle",
        Some(serde_json::json!({"status": "ouvert"})),
        Some(serde_json::json!({"status": "traite", "note": c.handled_note})),
    )
    .await?;
    tx.commit().await?;
    let mut out = comment_views(&db.conn, vec![c], english).await?;
    out.pop()
        .ok_or_else(|| AppError::internal("commentaire traité"))
}
