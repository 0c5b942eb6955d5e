//! User accounts (module `users`).

use crate::audit;
use crate::auth::{hash_password_async, password_error};
use crate::ctx::Ctx;
use crate::error::{AppError, Validator};
use crate::listing::{ListQuery, Page};
use crate::rights::{Action, Module, Role};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use usinage_engines::password_policy;
use usinage_store::Db;
use usinage_store::entities::{employee, session, user};

pub const SORTABLE: &[&str] = &["login", "full_name", "created_at", "updated_at", "id"];

/// The wire shape of a user: never the hash.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub email: Option<String>,
    pub active: bool,
    pub roles: Vec<String>,
    pub role_labels: Vec<String>,
    pub employee_id: Option<i64>,
    pub must_change_password: bool,
    /// `actif` or `inactif`
    pub status: String,
    pub status_label: String,
    /// Canonical UI address of this record (what its QR code encodes).
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

pub fn view(u: &user::Model, base_url: &str, english: bool) -> UserView {
    let roles = u.role_list();
    let role_labels = roles
        .iter()
        .filter_map(|r| Role::parse(r))
        .map(|r| if english { r.label_en() } else { r.label_fr() }.to_string())
        .collect();
    let (status, label) = match (u.active, english) {
        (true, false) => ("actif", "Actif"),
        (true, true) => ("actif", "Active"),
        (false, false) => ("inactif", "Inactif"),
        (false, true) => ("inactif", "Inactive"),
    };
    UserView {
        id: u.id,
        login: u.login.clone(),
        full_name: u.full_name.clone(),
        email: u.email.clone(),
        active: u.active,
        roles,
        role_labels,
        employee_id: u.employee_id,
        must_change_password: u.must_change_password,
        status: status.into(),
        status_label: label.into(),
        url: format!("{}/users/{}", base_url.trim_end_matches('/'), u.id),
        created_at: u.created_at,
        updated_at: u.updated_at,
        version: u.version,
    }
}

/// What the audit trail keeps of a user (no password hash).
fn snapshot(u: &user::Model) -> serde_json::Value {
    serde_json::json!({
        "login": u.login, "full_name": u.full_name, "email": u.email, "active": u.active,
        "roles": u.role_list(), "employee_id": u.employee_id, "must_change_password": u.must_change_password,
    })
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub active: Option<bool>,
    pub role: Option<String>,
}

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    q: &ListQuery,
    f: &UserFilter,
) -> Result<Page<user::Model>, AppError> {
    ctx.require(Module::Users, Action::Read)?;
    let mut s = user::Entity::find();
    if let Some(a) = f.active {
        s = s.filter(user::Column::Active.eq(a));
    }
    if let Some(r) = &f.role {
        if Role::parse(r).is_none() {
            return Err(AppError::field(
                "role",
                "unknown_role",
                format!("Rôle inconnu : {r}"),
                format!("Unknown role: {r}"),
            ));
        }
        // Roles are stored space-separated; pad both sides so `operateur` never matches a prefix.
        s = s.filter(Expr::cust("(' ' || roles || ' ')").like(format!("% {r} %")));
    }
    if let Some(p) = q.like_pattern() {
        let like = |c: user::Column| Expr::expr(Func::lower(Expr::col(c))).like(p.clone());
        s = s.filter(
            like(user::Column::Login)
                .or(like(user::Column::FullName))
                .or(like(user::Column::Email)),
        );
    }
    let col = |f: &str| match f {
        "login" => user::Column::Login,
        "full_name" => user::Column::FullName,
        "created_at" => user::Column::CreatedAt,
        "updated_at" => user::Column::UpdatedAt,
        _ => user::Column::Id,
    };
    s = match &q.sort {
        Some((f, true)) => s.order_by_desc(col(f)).order_by_desc(user::Column::Id),
        Some((f, false)) => s.order_by_asc(col(f)).order_by_asc(user::Column::Id),
        None => s.order_by_asc(user::Column::Login),
    };
    let (page, size) = q.window();
    let pager = s.paginate(&db.conn, size);
    let total = pager.num_items().await?;
    let items = pager.fetch_page(page).await?;
    Ok(Page {
        items,
        total,
        page: q.page,
        per_page: q.per_page,
    })
}

pub async fn get(db: &Db, ctx: &Ctx, id: i64) -> Result<user::Model, AppError> {
    ctx.require(Module::Users, Action::Read)?;
    find(db, id).await
}

async fn find(db: &Db, id: i64) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("Utilisateur", "User"))
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    pub login: String,
    pub full_name: String,
    pub email: Option<String>,
    pub password: String,
    pub roles: Vec<String>,
    pub active: Option<bool>,
    pub employee_id: Option<i64>,
    /// Ask the user to choose his own password at first login.
    pub must_change_password: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct UserPatch {
    pub version: i32,
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    pub roles: Option<Vec<String>>,
    pub active: Option<bool>,
    pub password: Option<String>,
    pub must_change_password: Option<bool>,
}

/// `"email": null` clears the field; an absent field leaves it as is.
fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::deserialize(d)?))
}

fn check_login(v: &mut Validator, login: &str) {
    let ok_chars = login
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !(3..=64).contains(&login.len()) || !ok_chars {
        v.add(
            "login",
            "invalid_login",
            "L'identifiant doit faire 3 à 64 caractères parmi a-z, 0-9, « . », « _ » et « - ».",
            "The login must be 3 to 64 characters among a-z, 0-9, “.”, “_” and “-”.",
        );
    }
}

fn check_full_name(v: &mut Validator, name: &str) {
    let n = name.trim().chars().count();
    if n == 0 || n > 200 {
        v.add(
            "full_name",
            "invalid_full_name",
            "Le nom complet est obligatoire (200 caractères au plus).",
            "The full name is required (at most 200 characters).",
        );
    }
}

fn check_email(v: &mut Validator, email: &Option<String>) -> Option<String> {
    let e = email.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    let valid = e.len() <= 254
        && e.split_once('@').is_some_and(|(a, d)| {
            !a.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        })
        && !e.contains(char::is_whitespace);
    if !valid {
        v.add(
            "email",
            "invalid_email",
            format!("Adresse e-mail invalide : « {e} »."),
            format!("Invalid e-mail address: “{e}”."),
        );
    }
    Some(e.to_lowercase())
}

fn check_roles(v: &mut Validator, roles: &[String]) -> String {
    if roles.is_empty() {
        v.add(
            "roles",
            "roles_required",
            "Choisissez au moins un rôle.",
            "Choose at least one role.",
        );
    }
    let mut out: Vec<&str> = Vec::new();
    for r in roles {
        match Role::parse(r.trim()) {
            Some(role) if !out.contains(&role.code()) => out.push(role.code()),
            Some(_) => {}
            None => v.add(
                "roles",
                "unknown_role",
                format!("Rôle inconnu : « {r} »."),
                format!("Unknown role: “{r}”."),
            ),
        }
    }
    out.join(" ")
}

/// A new account may be linked to an existing employee record that has no account yet.
async fn check_employee_free<C: ConnectionTrait>(c: &C, employee_id: i64) -> Result<(), AppError> {
    match employee::Entity::find_by_id(employee_id).one(c).await? {
        None => Err(AppError::field(
            "employee_id",
            "unknown_employee",
            format!("La fiche salarié n° {employee_id} n'existe pas."),
            format!("Employee record #{employee_id} does not exist."),
        )),
        Some(e) if e.user_id.is_some() => Err(AppError::field(
            "employee_id",
            "employee_linked",
            format!(
                "La fiche {} ({} {}) est déjà liée à un autre compte.",
                e.matricule, e.first_name, e.last_name
            ),
            format!(
                "Record {} ({} {}) is already linked to another account.",
                e.matricule, e.first_name, e.last_name
            ),
        )),
        Some(_) => Ok(()),
    }
}

pub async fn create(db: &Db, ctx: &Ctx, n: NewUser) -> Result<user::Model, AppError> {
    ctx.require(Module::Users, Action::Create)?;
    let login = n.login.trim().to_lowercase();
    let mut v = Validator::default();
    check_login(&mut v, &login);
    check_full_name(&mut v, &n.full_name);
    let email = check_email(&mut v, &n.email);
    let roles = check_roles(&mut v, &n.roles);
    if let Err(p) = password_policy::check(&login, &n.password) {
        v.push(password_error("password", p));
    }
    v.finish()?;
    if user::Entity::find()
        .filter(user::Column::Login.eq(login.as_str()))
        .one(&db.conn)
        .await?
        .is_some()
    {
        return Err(AppError::field(
            "login",
            "login_taken",
            format!("L'identifiant « {login} » est déjà utilisé."),
            format!("The login “{login}” is already taken."),
        ));
    }
    if let Some(eid) = n.employee_id {
        check_employee_free(&db.conn, eid).await?;
    }
    let hash = hash_password_async(n.password).await?;
    let now = crate::now();
    let tx = db.write().await?;
    let u = user::ActiveModel {
        login: Set(login),
        full_name: Set(n.full_name.trim().to_string()),
        email: Set(email),
        password_hash: Set(hash),
        active: Set(n.active.unwrap_or(true)),
        roles: Set(roles),
        must_change_password: Set(n.must_change_password.unwrap_or(false)),
        employee_id: Set(n.employee_id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&tx.tx)
    .await?;
    if let Some(eid) = u.employee_id {
        // The employee record owns the link: point it at the new account.
        employee::Entity::update_many()
            .col_expr(employee::Column::UserId, Expr::value(u.id))
            .filter(employee::Column::Id.eq(eid))
            .exec(&tx.tx)
            .await?;
    }
    audit::record(
        &tx.tx,
        ctx,
        "user",
        &u.id.to_string(),
        "create",
        None,
        Some(snapshot(&u)),
    )
    .await?;
    tx.commit().await?;
    Ok(u)
}

pub async fn update(db: &Db, ctx: &Ctx, id: i64, p: UserPatch) -> Result<user::Model, AppError> {
    ctx.require(Module::Users, Action::Update)?;
    let current = find(db, id).await?;
    let mut v = Validator::default();
    if let Some(n) = &p.full_name {
        check_full_name(&mut v, n);
    }
    let email = p.email.as_ref().map(|e| check_email(&mut v, e));
    let roles = p.roles.as_ref().map(|r| check_roles(&mut v, r));
    if let Some(pw) = &p.password
        && let Err(problem) = password_policy::check(&current.login, pw)
    {
        v.push(password_error("password", problem));
    }
    let self_edit = ctx.actor_id() == Some(id);
    if self_edit && p.active == Some(false) {
        v.add(
            "active",
            "cannot_deactivate_self",
            "Vous ne pouvez pas désactiver votre propre compte.",
            "You cannot deactivate your own account.",
        );
    }
    if self_edit
        && current.role_list().iter().any(|r| r == "admin")
        && roles
            .as_ref()
            .is_some_and(|r| !r.split(' ').any(|x| x == "admin"))
    {
        v.add(
            "roles",
            "cannot_drop_own_admin",
            "Vous ne pouvez pas retirer votre propre rôle administrateur.",
            "You cannot remove your own administrator role.",
        );
    }
    v.finish()?;
    if p.version != current.version {
        return Err(AppError::stale_version());
    }
    let hash = match p.password.clone() {
        Some(pw) => Some(hash_password_async(pw).await?),
        None => None,
    };
    let tx = db.write().await?;
    let before = snapshot(&current);
    let deactivating = p.active == Some(false) && current.active;
    let mut am: user::ActiveModel = current.clone().into();
    if let Some(n) = p.full_name {
        am.full_name = Set(n.trim().to_string());
    }
    if let Some(e) = email {
        am.email = Set(e);
    }
    if let Some(r) = roles {
        am.roles = Set(r);
    }
    if let Some(a) = p.active {
        am.active = Set(a);
    }
    if let Some(h) = hash {
        am.password_hash = Set(h);
    }
    if let Some(m) = p.must_change_password {
        am.must_change_password = Set(m);
    }
    am.updated_at = Set(crate::now());
    am.version = Set(current.version + 1);
    // Optimistic lock in the UPDATE itself: two concurrent PATCHes with the same version cannot
    // both win.
    let res = user::Entity::update_many()
        .set(am)
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::Version.eq(p.version))
        .exec(&tx.tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::stale_version());
    }
    let updated = user::Entity::find_by_id(id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Utilisateur", "User"))?;
    if deactivating || p.password.is_some() {
        session::Entity::update_many()
            .col_expr(session::Column::RevokedAt, Expr::value(crate::now()))
            .filter(session::Column::UserId.eq(id))
            .filter(session::Column::RevokedAt.is_null())
            .exec(&tx.tx)
            .await?;
    }
    let mut after = snapshot(&updated);
    if p.password.is_some() {
        after["password_changed"] = serde_json::Value::Bool(true);
    }
    audit::record(
        &tx.tx,
        ctx,
        "user",
        &id.to_string(),
        "update",
        Some(before),
        Some(after),
    )
    .await?;
    tx.commit().await?;
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

/// Allowed next statuses for the status bar: a user is `actif` or `inactif`.
pub async fn transitions(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    english: bool,
) -> Result<Vec<Transition>, AppError> {
    let u = get(db, ctx, id).await?;
    if !ctx
        .principal
        .as_ref()
        .is_none_or(|p| p.can(Module::Users, Action::Update))
        || ctx.actor_id() == Some(id)
    {
        return Ok(vec![]);
    }
    Ok(if u.active {
        vec![Transition {
            to: "inactif".into(),
            label: if english { "Deactivate" } else { "Désactiver" }.into(),
        }]
    } else {
        vec![Transition {
            to: "actif".into(),
            label: if english { "Reactivate" } else { "Réactiver" }.into(),
        }]
    })
}

/// The one function that changes a user's status (checks the transition, the right, audits).
pub async fn transition(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    req: TransitionRequest,
) -> Result<user::Model, AppError> {
    ctx.require(Module::Users, Action::Update)?;
    let u = find(db, id).await?;
    let target = match req.to.as_str() {
        "actif" => true,
        "inactif" => false,
        other => {
            return Err(AppError::field(
                "to",
                "unknown_status",
                format!("Statut inconnu : « {other} » (actif ou inactif)."),
                format!("Unknown status: “{other}” (actif or inactif)."),
            ));
        }
    };
    if u.active == target {
        return Err(AppError::new(
            crate::error::Kind::Conflict,
            "illegal_transition",
            format!(
                "Le compte est déjà {}.",
                if target { "actif" } else { "inactif" }
            ),
            format!(
                "The account is already {}.",
                if target { "active" } else { "inactive" }
            ),
        ));
    }
    update(
        db,
        ctx,
        id,
        UserPatch {
            version: req.version,
            active: Some(target),
            ..Default::default()
        },
    )
    .await
}
