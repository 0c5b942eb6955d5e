//! Authentication: argon2id password hashes, opaque random tokens stored hashed, revocable
//! sessions. Each request re-reads the session, the user and the rights matrix, so deactivating
//! a user, changing his roles or editing the matrix applies on his very next request.

use crate::audit;
use crate::ctx::{Ctx, Principal};
use crate::error::{AppError, Kind};
use crate::rights::{self, Action, Module};
use crate::throttle::Throttle;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::time::Instant;
use usinage_engines::password_policy::{self, PasswordProblem};
use usinage_store::Db;
use usinage_store::entities::{session, user};

pub const ACCESS_TTL_SECS: i64 = 15 * 60;
pub const REFRESH_TTL_DAYS: i64 = 30;

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let hash: PasswordHash = Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map_err(|_| AppError::internal("hachage"))?;
    Ok(hash.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Hashing costs ~20 ms of CPU on purpose: keep it off the async workers.
pub async fn hash_password_async(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| AppError::internal("hachage"))?
}

async fn verify_password_async(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

fn new_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Maps a password-policy problem to a French/English field error.
pub fn password_error(field: &str, p: PasswordProblem) -> crate::FieldError {
    use crate::FieldError;
    match p {
        PasswordProblem::TooShort => FieldError::new(
            field,
            "password_too_short",
            format!(
                "Le mot de passe doit faire au moins {} caractères.",
                password_policy::MIN_LEN
            ),
            format!(
                "The password must be at least {} characters long.",
                password_policy::MIN_LEN
            ),
        ),
        PasswordProblem::TooLong => FieldError::new(
            field,
            "password_too_long",
            format!(
                "Le mot de passe doit faire au plus {} caractères.",
                password_policy::MAX_LEN
            ),
            format!(
                "The password must be at most {} characters long.",
                password_policy::MAX_LEN
            ),
        ),
        PasswordProblem::SameAsLogin => FieldError::new(
            field,
            "password_is_login",
            "Le mot de passe ne peut pas être l'identifiant.",
            "The password cannot be the login.",
        ),
        PasswordProblem::TooCommon => FieldError::new(
            field,
            "password_too_common",
            "Ce mot de passe est trop courant.",
            "This password is too common.",
        ),
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub email: Option<String>,
    pub roles: Vec<String>,
    pub must_change_password: bool,
    /// module code → allowed action codes
    #[schema(value_type = Object)]
    pub permissions: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: String,
    pub expires_in: i64,
    pub user: Me,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

fn me_of(u: &user::Model, p: &Principal) -> Me {
    let mut permissions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in Module::ALL {
        let acts: Vec<String> = Action::ALL
            .iter()
            .filter(|a| p.can(*m, **a))
            .map(|a| a.code().to_string())
            .collect();
        if !acts.is_empty() {
            permissions.insert(m.code().into(), acts);
        }
    }
    Me {
        id: u.id,
        login: u.login.clone(),
        full_name: u.full_name.clone(),
        email: u.email.clone(),
        roles: u.role_list(),
        must_change_password: u.must_change_password,
        permissions,
    }
}

async fn principal_of(db: &Db, u: &user::Model, session_id: i64) -> Result<Principal, AppError> {
    let roles = u.role_list();
    let grants = rights::grants_for(&db.conn, &roles).await?;
    Ok(Principal {
        user_id: u.id,
        login: u.login.clone(),
        full_name: u.full_name.clone(),
        roles,
        must_change_password: u.must_change_password,
        session_id,
        grants,
    })
}

async fn open_session(db: &Db, ctx: &Ctx, u: &user::Model) -> Result<TokenResponse, AppError> {
    let access = new_token();
    let refresh = new_token();
    let now = crate::now();
    let tx = db.write().await?;
    let s = session::ActiveModel {
        user_id: Set(u.id),
        access_hash: Set(token_hash(&access)),
        refresh_hash: Set(token_hash(&refresh)),
        access_expires_at: Set(now + Duration::seconds(ACCESS_TTL_SECS)),
        refresh_expires_at: Set(now + Duration::days(REFRESH_TTL_DAYS)),
        created_at: Set(now),
        revoked_at: Set(None),
        client_ip: Set(ctx.client_ip.clone()),
        ..Default::default()
    }
    .insert(&tx.tx)
    .await?;
    let actor = Ctx {
        principal: Some(principal_of(db, u, s.id).await?),
        ..ctx.clone()
    };
    audit::record(
        &tx.tx,
        &actor,
        "session",
        &s.id.to_string(),
        "login",
        None,
        Some(serde_json::json!({"user_id": u.id, "client_ip": ctx.client_ip})),
    )
    .await?;
    tx.commit().await?;
    let p = principal_of(db, u, s.id).await?;
    Ok(TokenResponse {
        access_token: access,
        refresh_token: refresh,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TTL_SECS,
        user: me_of(u, &p),
    })
}

fn invalid_credentials() -> AppError {
    AppError::new(
        Kind::Unauthenticated,
        "invalid_credentials",
        "Identifiant ou mot de passe incorrect.",
        "Wrong login or password.",
    )
}

/// A valid argon2id hash of a random password: verifying against it when the login does not
/// exist takes the same time as a real check, so response times do not reveal logins.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2jIGqWlI8nLrYw3I7dyYc0ZfW6Q4o9o4iXz2y8o9h2w";

pub async fn login(
    db: &Db,
    throttle: &Throttle,
    ctx: &Ctx,
    req: LoginRequest,
) -> Result<TokenResponse, AppError> {
    let login = req.login.trim().to_lowercase();
    let ip = ctx.client_ip.as_deref();
    if let Some(wait) = throttle.blocked(&login, ip, Instant::now()) {
        return Err(AppError::new(
            Kind::TooManyRequests {
                retry_after_secs: wait,
            },
            "too_many_attempts",
            format!(
                "Trop de tentatives de connexion échouées. Réessayez dans {} min.",
                wait.div_ceil(60)
            ),
            format!(
                "Too many failed login attempts. Try again in {} min.",
                wait.div_ceil(60)
            ),
        ));
    }
    if login.is_empty() || req.password.is_empty() || login.len() > 64 || req.password.len() > 1024
    {
        throttle.fail(&login, ip, Instant::now());
        return Err(invalid_credentials());
    }
    let found = user::Entity::find()
        .filter(user::Column::Login.eq(login.as_str()))
        .one(&db.conn)
        .await?;
    let hash = found
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_string());
    let ok = verify_password_async(req.password, hash).await;
    let Some(u) = found.filter(|_| ok) else {
        throttle.fail(&login, ip, Instant::now());
        tracing::warn!(target: "security", login = %login, client_ip = ?ip, "failed login");
        return Err(invalid_credentials());
    };
    if !u.active {
        return Err(AppError::new(
            Kind::Unauthenticated,
            "account_disabled",
            "Ce compte est désactivé. Contactez l'administrateur.",
            "This account is disabled. Contact the administrator.",
        ));
    }
    throttle.succeed(&login);
    open_session(db, ctx, &u).await
}

/// Resolves a bearer token to the acting user, re-reading roles and rights.
pub async fn authenticate(db: &Db, access_token: &str) -> Result<Principal, AppError> {
    let now = Utc::now();
    let s = session::Entity::find()
        .filter(session::Column::AccessHash.eq(token_hash(access_token)))
        .filter(session::Column::RevokedAt.is_null())
        .one(&db.conn)
        .await?
        .filter(|s| s.access_expires_at > now)
        .ok_or_else(AppError::unauthenticated)?;
    let u = user::Entity::find_by_id(s.user_id)
        .one(&db.conn)
        .await?
        .filter(|u| u.active)
        .ok_or_else(AppError::unauthenticated)?;
    principal_of(db, &u, s.id).await
}

pub async fn refresh(db: &Db, ctx: &Ctx, req: RefreshRequest) -> Result<TokenResponse, AppError> {
    let now: DateTime<Utc> = crate::now();
    let s = session::Entity::find()
        .filter(session::Column::RefreshHash.eq(token_hash(req.refresh_token.trim())))
        .filter(session::Column::RevokedAt.is_null())
        .one(&db.conn)
        .await?
        .filter(|s| s.refresh_expires_at > now)
        .ok_or_else(AppError::unauthenticated)?;
    let u = user::Entity::find_by_id(s.user_id)
        .one(&db.conn)
        .await?
        .filter(|u| u.active)
        .ok_or_else(AppError::unauthenticated)?;
    let access = new_token();
    let refresh = new_token();
    let tx = db.write().await?;
    // Rotation: the old refresh token stops working; a stolen copy replayed later finds nothing.
    let res = session::Entity::update_many()
        .col_expr(
            session::Column::AccessHash,
            Expr::value(token_hash(&access)),
        )
        .col_expr(
            session::Column::RefreshHash,
            Expr::value(token_hash(&refresh)),
        )
        .col_expr(
            session::Column::AccessExpiresAt,
            Expr::value(now + Duration::seconds(ACCESS_TTL_SECS)),
        )
        .filter(session::Column::Id.eq(s.id))
        .filter(session::Column::RefreshHash.eq(s.refresh_hash.clone()))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::unauthenticated());
    }
    tx.commit().await?;
    let _ = ctx;
    let p = principal_of(db, &u, s.id).await?;
    Ok(TokenResponse {
        access_token: access,
        refresh_token: refresh,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TTL_SECS,
        user: me_of(&u, &p),
    })
}

pub async fn logout(db: &Db, ctx: &Ctx) -> Result<(), AppError> {
    let p = ctx
        .principal
        .as_ref()
        .ok_or_else(AppError::unauthenticated)?;
    let tx = db.write().await?;
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(crate::now()))
        .filter(session::Column::Id.eq(p.session_id))
        .exec(&tx.tx)
        .await?;
    audit::record(
        &tx.tx,
        ctx,
        "session",
        &p.session_id.to_string(),
        "logout",
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn me(db: &Db, ctx: &Ctx) -> Result<Me, AppError> {
    let p = ctx
        .principal
        .as_ref()
        .ok_or_else(AppError::unauthenticated)?;
    let u = user::Entity::find_by_id(p.user_id)
        .one(&db.conn)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    Ok(me_of(&u, p))
}

pub async fn change_password(db: &Db, ctx: &Ctx, req: PasswordChange) -> Result<(), AppError> {
    let p = ctx
        .principal
        .as_ref()
        .ok_or_else(AppError::unauthenticated)?;
    let u = user::Entity::find_by_id(p.user_id)
        .one(&db.conn)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    if !verify_password_async(req.current_password.clone(), u.password_hash.clone()).await {
        return Err(AppError::field(
            "current_password",
            "wrong_password",
            "Le mot de passe actuel est incorrect.",
            "The current password is wrong.",
        ));
    }
    if let Err(problem) = password_policy::check(&u.login, &req.new_password) {
        return Err(AppError::validation(vec![password_error(
            "new_password",
            problem,
        )]));
    }
    if req.new_password == req.current_password {
        return Err(AppError::field(
            "new_password",
            "password_unchanged",
            "Le nouveau mot de passe doit être différent de l'actuel.",
            "The new password must differ from the current one.",
        ));
    }
    let hash = hash_password_async(req.new_password).await?;
    let tx = db.write().await?;
    let version = u.version;
    let mut am: user::ActiveModel = u.into();
    am.password_hash = Set(hash);
    am.must_change_password = Set(false);
    am.updated_at = Set(crate::now());
    am.version = Set(version + 1);
    am.update(&tx.tx).await?;
    // Other sessions of this user end: a changed password must lock out whoever knew the old one.
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(crate::now()))
        .filter(session::Column::UserId.eq(p.user_id))
        .filter(session::Column::Id.ne(p.session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(&tx.tx)
        .await?;
    audit::record(
        &tx.tx,
        ctx,
        "user",
        &p.user_id.to_string(),
        "password_change",
        None,
        Some(serde_json::json!({"must_change_password": false})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_verify_and_differ_per_salt() {
        let a = hash_password("Tour-CN-2026!").unwrap();
        let b = hash_password("Tour-CN-2026!").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify_password("Tour-CN-2026!", &a));
        assert!(!verify_password("tour-cn-2026!", &a));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn the_dummy_hash_parses_so_unknown_logins_cost_a_real_verification() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify_password("anything", DUMMY_HASH));
    }

    #[test]
    fn tokens_are_random_and_stored_only_hashed() {
        let t = new_token();
        assert_eq!(t.len(), 43);
        assert_ne!(t, new_token());
        assert_eq!(token_hash(&t).len(), 64);
        assert_ne!(token_hash(&t), t);
    }
}
