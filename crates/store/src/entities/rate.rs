use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One line of the hourly rate grid: per activity or per machine kind, in cents per hour.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "rates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `activity` or `machine_kind`
    pub kind: String,
    pub code: String,
    pub rate_cents: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
