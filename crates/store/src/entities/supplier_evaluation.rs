use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One dated evaluation of a supplier; scores 0–100. The latest one is the current score.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "supplier_evaluations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub supplier_id: i64,
    pub evaluated_on: Date,
    pub quality: i32,
    pub delivery: i32,
    pub price: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    /// `manuel` or `auto` (from a receipt / non-conformity outcome)
    pub source: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
