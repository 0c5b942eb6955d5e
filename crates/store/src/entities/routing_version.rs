use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Snapshot (JSON) of a job's routing after each change, for diff and restore.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "routing_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub job_id: i64,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub snapshot: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
