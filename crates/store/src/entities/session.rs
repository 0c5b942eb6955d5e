use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A login session. Tokens are random and stored only as SHA-256 hashes, so a copy of the
/// database does not give access; revoking is setting `revoked_at`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[sea_orm(unique)]
    pub access_hash: String,
    #[sea_orm(unique)]
    pub refresh_hash: String,
    pub access_expires_at: DateTimeUtc,
    pub refresh_expires_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub client_ip: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
