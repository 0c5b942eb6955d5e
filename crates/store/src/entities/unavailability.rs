use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A period a machine (`resource_kind = machine`) or an employee (`employee`) cannot work:
/// absence, leave, training, maintenance, breakdown.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "unavailabilities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub resource_kind: String,
    pub resource_id: i64,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub kind: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
