use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Append-only, hash-chained audit trail (see `usinage_engines::audit_chain`).
/// `at` is kept as the exact RFC 3339 text that was hashed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_login: String,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub before: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub after: Option<String>,
    pub request_id: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
