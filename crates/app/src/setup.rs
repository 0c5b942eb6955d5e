//! Setup wizard (Paramètres généraux): company identity, industry activities with the main
//! one, and the "setup complete" flag. The rate grid is in [`crate::rates`]; machines and users
//! have their own screens. Writes need `system` × `validate` (admin and direction by default);
//! reading is open to every signed-in user (the identity appears on every screen).

use crate::audit;
use crate::crm::{CodeLabels, check_name, check_siret, check_vat};
use crate::ctx::Ctx;
use crate::error::{AppError, Validator};
use crate::rates::compare_and_set;
use crate::rights::{Action, Module};
use crate::settings;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use serde::{Deserialize, Serialize};
use usinage_store::Db;
use usinage_store::entities::{rate, setting, user};

/// Largest logo accepted, as a `data:` URL (characters).
pub const MAX_LOGO_LEN: usize = 200 * 1024;

pub const ACTIVITIES: CodeLabels = &[
    ("usinage", "Usinage", "Machining"),
    ("decolletage", "Décolletage", "Bar turning"),
    ("tolerie", "Tôlerie", "Sheet metal"),
    ("soudure", "Soudure", "Welding"),
    ("chaudronnerie", "Chaudronnerie", "Boilermaking"),
    ("rectification", "Rectification", "Grinding"),
    ("electroerosion", "Électroérosion", "EDM"),
    ("plasturgie", "Plasturgie", "Plastics"),
    (
        "traitement_surface",
        "Traitement de surface",
        "Surface treatment",
    ),
    ("assemblage", "Assemblage / montage", "Assembly"),
    (
        "impression_3d",
        "Fabrication additive",
        "Additive manufacturing",
    ),
];

/// Company identity, stored under the `company` setting (a superset of
/// [`settings::Company`], which other screens read).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct CompanyIdentity {
    pub name: String,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// `data:image/png;base64,…` (PNG, JPEG, SVG or WebP), at most 200 kB.
    #[serde(default)]
    pub logo: Option<String>,
    /// Optimistic lock: send back the version you read.
    #[serde(default)]
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CompanyUpdate {
    pub version: i32,
    pub name: String,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub logo: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Activities {
    /// Checked industry codes.
    pub activities: Vec<String>,
    /// The main one (must be checked).
    pub main_activity: String,
    #[serde(default)]
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActivityOption {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActivitiesView {
    pub activities: Vec<String>,
    pub main_activity: String,
    /// Every industry the shop may check, with its label.
    pub options: Vec<ActivityOption>,
    /// `false` until saved once (the defaults are then proposed: usinage).
    pub configured: bool,
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ActivitiesUpdate {
    pub version: i32,
    pub activities: Vec<String>,
    pub main_activity: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SetupDone {
    pub completed_at: chrono::DateTime<chrono::Utc>,
    pub completed_by: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SetupStep {
    /// `entreprise`, `activites`, `grille_tarifaire`, `machines`, `utilisateurs`
    pub code: String,
    pub label: String,
    pub done: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SetupStatus {
    pub completed: bool,
    pub completed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub completed_by: Option<String>,
    pub steps: Vec<SetupStep>,
}

async fn raw<C: ConnectionTrait>(db: &C, key: &str) -> Result<Option<String>, AppError> {
    Ok(setting::Entity::find_by_id(key.to_string())
        .one(db)
        .await?
        .map(|s| s.value))
}

fn parse<T: serde::de::DeserializeOwned + Default>(raw: &Option<String>) -> T {
    raw.as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or_default()
}

fn signed_in(ctx: &Ctx) -> Result<(), AppError> {
    // Services are only reached by authenticated callers or the system; nothing more to check.
    let _ = ctx;
    Ok(())
}

pub async fn company(db: &Db, ctx: &Ctx) -> Result<CompanyIdentity, AppError> {
    signed_in(ctx)?;
    Ok(parse(&raw(&db.conn, settings::COMPANY).await?))
}

fn check_logo(v: &mut Validator, logo: Option<String>) -> Option<String> {
    let l = logo?;
    let allowed = [
        "data:image/png;base64,",
        "data:image/jpeg;base64,",
        "data:image/svg+xml;base64,",
        "data:image/webp;base64,",
    ];
    let Some(prefix) = allowed.iter().find(|p| l.starts_with(*p)) else {
        v.add(
            "logo",
            "invalid_logo",
            "Le logo doit être une image PNG, JPEG, SVG ou WebP.",
            "The logo must be a PNG, JPEG, SVG or WebP image.",
        );
        return None;
    };
    if l.len() > MAX_LOGO_LEN {
        v.add(
            "logo",
            "logo_too_large",
            "Le logo dépasse 200 ko : réduisez l'image.",
            "The logo exceeds 200 kB: use a smaller image.",
        );
        return None;
    }
    let b64 = &l[prefix.len()..];
    if b64.is_empty()
        || !b64
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        v.add(
            "logo",
            "invalid_logo",
            "Le logo n'est pas une image encodée valide.",
            "The logo is not a valid encoded image.",
        );
        return None;
    }
    Some(l)
}

fn t(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

pub async fn put_company(
    db: &Db,
    ctx: &Ctx,
    u: CompanyUpdate,
) -> Result<CompanyIdentity, AppError> {
    ctx.require(Module::System, Action::Validate)?;
    let mut v = Validator::default();
    let name = check_name(&mut v, "name", &u.name);
    let siret = check_siret(&mut v, "siret", t(&u.siret));
    let vat = check_vat(
        &mut v,
        "vat_number",
        t(&u.vat_number),
        siret.as_deref().map(|s| &s[..9]),
    );
    let address = t(&u.address);
    if address.as_ref().is_some_and(|a| a.chars().count() > 1000) {
        v.add(
            "address",
            "too_long",
            "1000 caractères au plus.",
            "At most 1000 characters.",
        );
    }
    let phone = crate::crm::check_phone(&mut v, "phone", t(&u.phone));
    let email = crate::crm::check_email(&mut v, "email", t(&u.email));
    let logo = check_logo(&mut v, t(&u.logo));
    v.finish()?;
    let tx = db.write().await?;
    let old_raw = raw(&tx.tx, settings::COMPANY).await?;
    let current: CompanyIdentity = parse(&old_raw);
    if u.version != current.version {
        return Err(AppError::stale_version());
    }
    let next = CompanyIdentity {
        name,
        siret,
        vat_number: vat,
        address,
        phone,
        email,
        logo,
        version: current.version + 1,
    };
    compare_and_set(&tx.tx, settings::COMPANY, old_raw.as_deref(), &next).await?;
    let strip = |c: &CompanyIdentity| {
        let mut j = serde_json::to_value(c).unwrap_or_default();
        // The audit keeps whether a logo was set, not the image itself.
        j["logo"] = serde_json::Value::Bool(c.logo.is_some());
        j
    };
    audit::record(
        &tx.tx,
        ctx,
        "settings",
        settings::COMPANY,
        "update",
        old_raw.as_ref().map(|_| strip(&current)),
        Some(strip(&next)),
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

fn activities_view(a: Activities, configured: bool, english: bool) -> ActivitiesView {
    let (activities, main) = if configured {
        (a.activities, a.main_activity)
    } else {
        (vec!["usinage".to_string()], "usinage".to_string())
    };
    ActivitiesView {
        activities,
        main_activity: main,
        options: ACTIVITIES
            .iter()
            .map(|(c, fr, en)| ActivityOption {
                code: c.to_string(),
                label: if english { en } else { fr }.to_string(),
            })
            .collect(),
        configured,
        version: a.version,
    }
}

pub async fn activities(db: &Db, ctx: &Ctx, english: bool) -> Result<ActivitiesView, AppError> {
    signed_in(ctx)?;
    let r = raw(&db.conn, settings::ACTIVITIES).await?;
    Ok(activities_view(parse(&r), r.is_some(), english))
}

pub async fn put_activities(
    db: &Db,
    ctx: &Ctx,
    u: ActivitiesUpdate,
    english: bool,
) -> Result<ActivitiesView, AppError> {
    ctx.require(Module::System, Action::Validate)?;
    let mut v = Validator::default();
    let mut list: Vec<String> = Vec::new();
    for a in &u.activities {
        if !ACTIVITIES.iter().any(|(c, _, _)| c == a) {
            v.add(
                "activities",
                "unknown_code",
                format!("Activité inconnue : « {a} »."),
                format!("Unknown activity: “{a}”."),
            );
        } else if !list.contains(a) {
            list.push(a.clone());
        }
    }
    if u.activities.is_empty() {
        v.add(
            "activities",
            "required",
            "Cochez au moins une activité.",
            "Check at least one activity.",
        );
    }
    if !list.contains(&u.main_activity) {
        v.add(
            "main_activity",
            "not_checked",
            "L'activité principale doit faire partie des activités cochées.",
            "The main activity must be one of the checked activities.",
        );
    }
    v.finish()?;
    let tx = db.write().await?;
    let old_raw = raw(&tx.tx, settings::ACTIVITIES).await?;
    let current: Activities = parse(&old_raw);
    if u.version != current.version {
        return Err(AppError::stale_version());
    }
    let next = Activities {
        activities: list,
        main_activity: u.main_activity,
        version: current.version + 1,
    };
    compare_and_set(&tx.tx, settings::ACTIVITIES, old_raw.as_deref(), &next).await?;
    audit::record(
        &tx.tx,
        ctx,
        "settings",
        settings::ACTIVITIES,
        "update",
        old_raw
            .as_ref()
            .map(|_| serde_json::to_value(&current).unwrap_or_default()),
        Some(serde_json::to_value(&next).unwrap_or_default()),
    )
    .await?;
    tx.commit().await?;
    Ok(activities_view(next, true, english))
}

pub async fn status(db: &Db, ctx: &Ctx, english: bool) -> Result<SetupStatus, AppError> {
    signed_in(ctx)?;
    status_in(&db.conn, english).await
}

async fn status_in<C: ConnectionTrait>(db: &C, english: bool) -> Result<SetupStatus, AppError> {
    let done: Option<SetupDone> = settings::get(db, settings::SETUP).await?;
    let company: CompanyIdentity = parse(&raw(db, settings::COMPANY).await?);
    let activities = raw(db, settings::ACTIVITIES).await?.is_some();
    let rates =
        raw(db, settings::PRICING).await?.is_some() || rate::Entity::find().count(db).await? > 0;
    let users = user::Entity::find().count(db).await? > 1;
    let step = |code: &str, fr: &str, en: &str, done: bool| SetupStep {
        code: code.into(),
        label: if english { en } else { fr }.into(),
        done,
    };
    Ok(SetupStatus {
        completed: done.is_some(),
        completed_at: done.as_ref().map(|d| d.completed_at),
        completed_by: done.map(|d| d.completed_by),
        steps: vec![
            step(
                "entreprise",
                "Entreprise",
                "Company",
                !company.name.trim().is_empty(),
            ),
            step("activites", "Activités", "Activities", activities),
            step("grille_tarifaire", "Grille tarifaire", "Rate grid", rates),
            // Machines are declared in their own module; not tracked here.
            step("machines", "Machines", "Machines", false),
            step("utilisateurs", "Utilisateurs", "Users", users),
        ],
    })
}

/// Marks the setup as done (the wizard no longer opens by itself). Needs at least the company
/// name; idempotent.
pub async fn complete(db: &Db, ctx: &Ctx, english: bool) -> Result<SetupStatus, AppError> {
    ctx.require(Module::System, Action::Validate)?;
    let tx = db.write().await?;
    let company: CompanyIdentity = parse(&raw(&tx.tx, settings::COMPANY).await?);
    if company.name.trim().is_empty() {
        return Err(AppError::field(
            "company",
            "company_required",
            "Renseignez d'abord l'identité de l'entreprise (raison sociale).",
            "Fill in the company identity first (company name).",
        ));
    }
    if settings::get::<_, SetupDone>(&tx.tx, settings::SETUP)
        .await?
        .is_none()
    {
        let d = SetupDone {
            completed_at: crate::now(),
            completed_by: ctx.actor_login().to_string(),
        };
        settings::put(&tx.tx, settings::SETUP, &d).await?;
        audit::record(
            &tx.tx,
            ctx,
            "settings",
            settings::SETUP,
            "complete",
            None,
            Some(serde_json::to_value(&d).unwrap_or_default()),
        )
        .await?;
    }
    let s = status_in(&tx.tx, english).await?;
    tx.commit().await?;
    Ok(s)
}

/// Demo: the shop's activities (DEMO-SHOP.md §1) and the setup marked as done.
pub async fn load_demo<C: ConnectionTrait>(tx: &C, ctx: &Ctx) -> Result<(), AppError> {
    let a = Activities {
        activities: vec!["usinage".into(), "soudure".into(), "rectification".into()],
        main_activity: "usinage".into(),
        version: 1,
    };
    settings::put(tx, settings::ACTIVITIES, &a).await?;
    let d = SetupDone {
        completed_at: crate::now(),
        completed_by: ctx.actor_login().to_string(),
    };
    settings::put(tx, settings::SETUP, &d).await?;
    audit::record(
        tx,
        ctx,
        "settings",
        settings::ACTIVITIES,
        "update",
        None,
        Some(serde_json::to_value(&a).unwrap_or_default()),
    )
    .await?;
    Ok(())
}
