//! Idempotent floor actions. A phone that lost the Wi-Fi replays its queued actions with the
//! key it generated at the tap; the first request stores a `shop_events` row under
//! `(user_id, idempotency_key)` in the same transaction as the action, so a replay finds it and
//! changes nothing. Two copies of one request in flight: on SQLite the writer lock serialises
//! them and the second sees the row; on PostgreSQL the unique index makes the second insert wait
//! for the first and fail, which [`is_duplicate`] recognises.

use crate::ctx::Ctx;
use crate::error::{AppError, Kind};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use usinage_store::entities::shop_event;

pub const MAX_KEY_LEN: usize = 100;

/// Checks a key's shape (French 422 otherwise).
pub fn check_key(key: Option<&str>) -> Result<Option<String>, AppError> {
    match key.map(str::trim) {
        None | Some("") => Ok(None),
        Some(k) if k.chars().count() > MAX_KEY_LEN || k.chars().any(|c| c.is_control()) => {
            Err(AppError::field(
                "Idempotency-Key",
                "invalid_key",
                format!(
                    "Clé d'idempotence invalide : au plus {MAX_KEY_LEN} caractères imprimables."
                ),
                format!("Invalid idempotency key: at most {MAX_KEY_LEN} printable characters."),
            ))
        }
        Some(k) => Ok(Some(k.to_string())),
    }
}

/// The action already recorded under this key for this user, if any.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    key: &str,
) -> Result<Option<shop_event::Model>, AppError> {
    Ok(shop_event::Entity::find()
        .filter(shop_event::Column::UserId.eq(user_id))
        .filter(shop_event::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

pub async fn seen<C: ConnectionTrait>(db: &C, user_id: i64, key: &str) -> Result<bool, AppError> {
    Ok(find(db, user_id, key).await?.is_some())
}

/// Records the action (with its key when given) in the caller's transaction.
pub async fn remember<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    key: Option<&str>,
    kind: &str,
    operation_id: Option<i64>,
    occurred_at: DateTime<Utc>,
    payload: serde_json::Value,
) -> Result<shop_event::Model, AppError> {
    let user_id = ctx
        .actor_id()
        .ok_or_else(|| AppError::internal("action d'atelier sans utilisateur"))?;
    shop_event::ActiveModel {
        idempotency_key: Set(key.map(str::to_string)),
        user_id: Set(user_id),
        operation_id: Set(operation_id),
        kind: Set(kind.to_string()),
        occurred_at: Set(occurred_at),
        recorded_at: Set(crate::now()),
        payload: Set(payload.to_string()),
        response: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| {
        let t = e.to_string().to_lowercase();
        if key.is_some() && (t.contains("unique") || t.contains("duplicate key")) {
            AppError::new(
                Kind::Conflict,
                DUPLICATE,
                "Cette action a déjà été enregistrée (même clé d'idempotence).",
                "This action was already recorded (same idempotency key).",
            )
        } else {
            AppError::from(e)
        }
    })
}

const DUPLICATE: &str = "idempotency_duplicate";

/// The same key was recorded by a concurrent copy of the request.
pub fn is_duplicate(e: &AppError) -> bool {
    e.code == DUPLICATE
}

/// Device time of a queued action: not more than 5 minutes ahead of the server, not older than
/// 7 days. `None` = now.
pub fn occurred_at(at: Option<DateTime<Utc>>) -> Result<DateTime<Utc>, AppError> {
    let now = crate::now();
    let Some(at) = at else {
        return Ok(now);
    };
    if at > now + chrono::Duration::minutes(5) {
        return Err(AppError::field(
            "occurred_at",
            "in_future",
            "L'heure de l'action est dans le futur : vérifiez l'heure du téléphone.",
            "The action's time is in the future: check the phone's clock.",
        ));
    }
    if at < now - chrono::Duration::days(7) {
        return Err(AppError::field(
            "occurred_at",
            "too_old",
            "Action en attente depuis plus de 7 jours : elle n'est plus acceptée, faites une saisie manuelle de temps.",
            "Action queued for more than 7 days: no longer accepted, enter the time manually.",
        ));
    }
    use chrono::SubsecRound;
    Ok(at.trunc_subsecs(6))
}
