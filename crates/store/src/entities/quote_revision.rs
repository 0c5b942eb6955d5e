use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Snapshot (JSON of the quote as sent) kept when a sent quote is reopened as a new revision.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "quote_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub quote_id: i64,
    pub revision: i32,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub snapshot: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
