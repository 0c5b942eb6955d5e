//! First start: seed the rights matrix and, on an installation without any account, create the
//! `admin` account with a one-time password that must be changed at first login.

use crate::audit;
use crate::auth::hash_password_async;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::rights;
use base64::Engine;
use rand::RngCore;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use usinage_store::Db;
use usinage_store::entities::user;

/// What the first start did, for the CLI to print once.
#[derive(Debug, Default)]
pub struct Bootstrap {
    pub seeded_rights: bool,
    /// `Some(password)` when the initial admin was just created.
    pub admin_password: Option<String>,
}

/// Idempotent: safe to call at every start.
pub async fn ensure_initialized(db: &Db, create_admin: bool) -> Result<Bootstrap, AppError> {
    let tx = db.write().await?;
    let seeded_rights = rights::seed_defaults(&tx.tx).await?;
    let mut out = Bootstrap {
        seeded_rights,
        admin_password: None,
    };
    if create_admin && user::Entity::find().count(&tx.tx).await? == 0 {
        let mut b = [0u8; 12];
        rand::rng().fill_bytes(&mut b);
        let password = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
        let now = crate::now();
        let u = user::ActiveModel {
            login: Set("admin".into()),
            full_name: Set("Administrateur".into()),
            email: Set(None),
            password_hash: Set(hash_password_async(password.clone()).await?),
            active: Set(true),
            roles: Set("admin".into()),
            must_change_password: Set(true),
            employee_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(&tx.tx)
        .await?;
        let ctx = Ctx::system("bootstrap");
        audit::record(&tx.tx, &ctx, "user", &u.id.to_string(), "create", None, Some(serde_json::json!({"login": "admin", "roles": ["admin"], "must_change_password": true}))).await?;
        out.admin_password = Some(password);
    }
    tx.commit().await?;
    Ok(out)
}
