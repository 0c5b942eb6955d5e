use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The single row (`id = 1`) recording the newest audit row: its id and hash. Appends lock this
/// row first, which serialises them on PostgreSQL and lets `audit verify` notice removed tails.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "audit_head")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub last_id: i64,
    pub last_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
