//! Demo data: "Usinage Démo SARL" (see shared/design/DEMO-SHOP.md). One account per role, all
//! with the password `usinage-demo` (demo only). Later modules extend this loader.

use crate::auth::hash_password_async;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::settings::{self, Company};
use crate::{audit, bootstrap};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use usinage_store::Db;
use usinage_store::entities::user;

pub const DEMO_PASSWORD: &str = "usinage-demo";

/// (login, full name, email, roles) — names from DEMO-SHOP.md §4.
pub const DEMO_USERS: &[(&str, &str, &str, &[&str])] = &[
    (
        "admin",
        "Administrateur Démo",
        "admin@usinage-demo.fr",
        &["admin"],
    ),
    (
        "direction",
        "Marc Fayolle",
        "m.fayolle@usinage-demo.fr",
        &["direction"],
    ),
    (
        "chef",
        "Thierry Gonon",
        "t.gonon@usinage-demo.fr",
        &["chef_atelier"],
    ),
    (
        "methode",
        "Sandrine Bessenay",
        "s.bessenay@usinage-demo.fr",
        &["methode"],
    ),
    (
        "qualite",
        "Nadia Belkacem",
        "n.belkacem@usinage-demo.fr",
        &["qualite"],
    ),
    (
        "commercial",
        "Camille Perret",
        "c.perret@usinage-demo.fr",
        &["commercial"],
    ),
    (
        "compta",
        "Martine Chorain",
        "m.chorain@usinage-demo.fr",
        &["comptabilite"],
    ),
    (
        "operateur",
        "Kévin Dumas",
        "k.dumas@usinage-demo.fr",
        &["operateur"],
    ),
    (
        "operateur2",
        "Lucas Brunel",
        "l.brunel@usinage-demo.fr",
        &["operateur"],
    ),
];

pub fn demo_company() -> Company {
    Company {
        name: "Usinage Démo SARL".into(),
        siret: Some("73584053000019".into()),
        vat_number: Some("FR64735840530".into()),
        address: Some("12 rue des Tourneurs, ZA du Bois-Joli, 42160 Andrézieux-Bouthéon".into()),
    }
}

#[derive(Debug, Default)]
pub struct DemoReport {
    pub created_users: usize,
    pub skipped: bool,
}

/// Loads the demo into an empty database; does nothing on a database that already has
/// accounts (a real shop's data is never mixed with demo records).
pub async fn load(db: &Db) -> Result<DemoReport, AppError> {
    bootstrap::ensure_initialized(db, false).await?;
    let existing = user::Entity::find().count(&db.conn).await?;
    if existing > 0 {
        return Ok(DemoReport {
            created_users: 0,
            skipped: true,
        });
    }
    let hash = hash_password_async(DEMO_PASSWORD.to_string()).await?;
    let ctx = Ctx::system("demo");
    let tx = db.write().await?;
    let now = crate::now();
    let mut created = 0;
    for (login, name, email, roles) in DEMO_USERS {
        if user::Entity::find()
            .filter(user::Column::Login.eq(*login))
            .one(&tx.tx)
            .await?
            .is_some()
        {
            continue;
        }
        let u = user::ActiveModel {
            login: Set(login.to_string()),
            full_name: Set(name.to_string()),
            email: Set(Some(email.to_string())),
            password_hash: Set(hash.clone()),
            active: Set(true),
            roles: Set(roles.join(" ")),
            must_change_password: Set(false),
            employee_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(&tx.tx)
        .await?;
        audit::record(
            &tx.tx,
            &ctx,
            "user",
            &u.id.to_string(),
            "create",
            None,
            Some(serde_json::json!({"login": login, "full_name": name, "roles": roles})),
        )
        .await?;
        created += 1;
    }
    // Registration point: each module's demo loader, in dependency order (suppliers before
    // tools, grades before stock, machines before skills…), all in this one transaction.
    crate::crm::load_demo(&tx.tx, &ctx).await?;
    crate::rates::load_demo(&tx.tx, &ctx).await?;
    crate::setup::load_demo(&tx.tx, &ctx).await?;
    crate::stock::load_demo(&tx.tx, &ctx).await?;
    crate::resources::demo::load_demo(&tx.tx, &ctx).await?;
    crate::quotes::load_demo(&tx.tx, &ctx).await?;
    crate::orders::demo::load_demo(&tx.tx, &ctx).await?;
    crate::planning::demo::load_demo(&tx.tx).await?;

    let company = demo_company();
    settings::put(&tx.tx, settings::COMPANY, &company).await?;
    settings::put(&tx.tx, settings::DEMO, &true).await?;
    audit::record(
        &tx.tx,
        &ctx,
        "settings",
        settings::COMPANY,
        "update",
        None,
        Some(serde_json::to_value(&company).unwrap_or_default()),
    )
    .await?;
    tx.commit().await?;
    Ok(DemoReport {
        created_users: created,
        skipped: false,
    })
}
