//! The audit trail: every write records who, when, what, before/after and the request id, in an
//! append-only table chained by hash (see `usinage_engines::audit_chain`).

use crate::Ctx;
use crate::error::AppError;
use crate::listing::{ListQuery, Page};
use crate::rights::{Action, Module};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use usinage_engines::audit_chain::{AuditFields, ChainBreak, ChainVerifier, StoredRow, row_hash};
use usinage_store::Db;
use usinage_store::entities::{audit_head, audit_log};

/// Appends one audit row inside the caller's transaction. Must be called in the same
/// transaction as the write it describes, so both land or neither does.
pub async fn record<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    entity_type: &str,
    entity_id: &str,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<i64, AppError> {
    // Lock the head row first: concurrent appends on PostgreSQL queue here instead of forking
    // the chain (on SQLite the writer lock already serialises them).
    audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::LastId,
            Expr::col(audit_head::Column::LastId),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec(tx)
        .await?;
    let head = audit_head::Entity::find_by_id(1)
        .one(tx)
        .await?
        .ok_or_else(|| AppError::internal("tête du journal d'audit absente"))?;
    let id = head.last_id + 1;
    let at = crate::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let before = before.map(|v| v.to_string());
    let after = after.map(|v| v.to_string());
    let fields = AuditFields {
        id,
        at: &at,
        actor_id: ctx.actor_id(),
        actor_login: ctx.actor_login(),
        entity_type,
        entity_id,
        action,
        before: before.as_deref(),
        after: after.as_deref(),
        request_id: &ctx.request_id,
    };
    let hash = row_hash(&head.last_hash, &fields);
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: Set(id),
        at: Set(at.clone()),
        actor_id: Set(ctx.actor_id()),
        actor_login: Set(ctx.actor_login().to_string()),
        entity_type: Set(entity_type.to_string()),
        entity_id: Set(entity_id.to_string()),
        action: Set(action.to_string()),
        before: Set(before.clone()),
        after: Set(after.clone()),
        request_id: Set(ctx.request_id.clone()),
        prev_hash: Set(head.last_hash.clone()),
        hash: Set(hash.clone()),
    })
    .exec_without_returning(tx)
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastId, Expr::value(id))
        .col_expr(audit_head::Column::LastHash, Expr::value(hash))
        .filter(audit_head::Column::Id.eq(1))
        .exec(tx)
        .await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_login: String,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub request_id: String,
    pub hash: String,
}

impl From<audit_log::Model> for AuditEntry {
    fn from(m: audit_log::Model) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditEntry {
            id: m.id,
            at: m.at,
            actor_id: m.actor_id,
            actor_login: m.actor_login,
            entity_type: m.entity_type,
            entity_id: m.entity_id,
            action: m.action,
            before: parse(m.before),
            after: parse(m.after),
            request_id: m.request_id,
            hash: m.hash,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub user_id: Option<i64>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

pub const SORTABLE: &[&str] = &["id", "at"];

/// Audit log, newest first (module `system`, read).
pub async fn list(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    f: &AuditFilter,
) -> Result<Page<AuditEntry>, AppError> {
    ctx.require(Module::System, Action::Read)?;
    query(db, q, f).await
}

/// History of one record, for whoever may read that record's module.
pub async fn history(
    db: &Db,
    ctx: &Ctx,
    module: Module,
    entity_type: &str,
    entity_id: &str,
    q: &ListQuery,
) -> Result<Page<AuditEntry>, AppError> {
    ctx.require(module, Action::Read)?;
    let f = AuditFilter {
        entity_type: Some(entity_type.into()),
        entity_id: Some(entity_id.into()),
        ..Default::default()
    };
    query(db, q, &f).await
}

async fn query(db: &Db, q: &ListQuery, f: &AuditFilter) -> Result<Page<AuditEntry>, AppError> {
    let mut s = audit_log::Entity::find();
    if let Some(t) = &f.entity_type {
        s = s.filter(audit_log::Column::EntityType.eq(t.as_str()));
    }
    if let Some(i) = &f.entity_id {
        s = s.filter(audit_log::Column::EntityId.eq(i.as_str()));
    }
    if let Some(u) = f.user_id {
        s = s.filter(audit_log::Column::ActorId.eq(u));
    }
    // `at` is RFC 3339 UTC text, so lexical order is time order.
    if let Some(d) = f.from {
        s = s.filter(audit_log::Column::At.gte(format!("{d}T00:00:00")));
    }
    if let Some(d) = f.to {
        s = s.filter(audit_log::Column::At.lt(format!("{}T00:00:00", d.succ_opt().unwrap_or(d))));
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: audit_log::Column| {
            Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(c))).like(p.clone())
        };
        s = s.filter(
            like(audit_log::Column::ActorLogin)
                .or(like(audit_log::Column::EntityType))
                .or(like(audit_log::Column::Action))
                .or(like(audit_log::Column::EntityId)),
        );
    }
    s = match &q.sort {
        Some((_, false)) => s.order_by_asc(audit_log::Column::Id),
        _ => s.order_by_desc(audit_log::Column::Id),
    };
    let (page, size) = q.window();
    let pager = s.paginate(&db.conn, size);
    let total = pager.num_items().await?;
    let items = pager
        .fetch_page(page)
        .await?
        .into_iter()
        .map(AuditEntry::from)
        .collect();
    Ok(Page {
        items,
        total,
        page: q.page,
        per_page: q.per_page,
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VerifyReport {
    pub ok: bool,
    pub checked: u64,
    pub first_bad_id: Option<i64>,
    pub reason: Option<String>,
}

/// Walks the whole chain in pages of 1 000 rows.
pub async fn verify(db: &Db) -> Result<VerifyReport, AppError> {
    let mut v = ChainVerifier::new();
    let mut after_id = 0i64;
    loop {
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::Id.gt(after_id))
            .order_by_asc(audit_log::Column::Id)
            .paginate(&db.conn, 1000)
            .fetch_page(0)
            .await?;
        if rows.is_empty() {
            break;
        }
        let mut go_on = true;
        for r in &rows {
            let fields = AuditFields {
                id: r.id,
                at: &r.at,
                actor_id: r.actor_id,
                actor_login: &r.actor_login,
                entity_type: &r.entity_type,
                entity_id: &r.entity_id,
                action: &r.action,
                before: r.before.as_deref(),
                after: r.after.as_deref(),
                request_id: &r.request_id,
            };
            if !v.push(&StoredRow {
                fields,
                prev_hash: &r.prev_hash,
                hash: &r.hash,
            }) {
                go_on = false;
                break;
            }
        }
        after_id = rows.last().map(|r| r.id).unwrap_or(after_id);
        if !go_on {
            break;
        }
    }
    let head = audit_head::Entity::find_by_id(1).one(&db.conn).await?;
    let head = head
        .as_ref()
        .filter(|h| h.last_id > 0)
        .map(|h| (h.last_id, h.last_hash.as_str()));
    let report = v.finish(head);
    let (first_bad_id, reason) = match report.first_break {
        None => (None, None),
        Some(ChainBreak::Altered { id }) => (
            Some(id),
            Some(format!(
                "la ligne {id} a été modifiée (son contenu ne correspond plus à son empreinte)"
            )),
        ),
        Some(ChainBreak::Unlinked { id }) => (
            Some(id),
            Some(format!(
                "la ligne {id} ne suit plus la ligne précédente (ligne précédente modifiée ou supprimée)"
            )),
        ),
        Some(ChainBreak::Missing { after_id, id }) => (
            Some(after_id + 1),
            Some(format!(
                "les lignes {} à {} ont été supprimées",
                after_id + 1,
                id - 1
            )),
        ),
        Some(ChainBreak::HeadMismatch { last_id }) => (
            last_id.map(|i| i + 1).or(Some(1)),
            Some("la fin du journal a été supprimée ou la tête de chaîne modifiée".to_string()),
        ),
    };
    Ok(VerifyReport {
        ok: first_bad_id.is_none(),
        checked: report.checked,
        first_bad_id,
        reason,
    })
}
