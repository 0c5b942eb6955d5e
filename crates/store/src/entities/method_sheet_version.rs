use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Every saved version of a method sheet, with who changed it and a summary of what changed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "method_sheet_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub method_sheet_id: i64,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub summary: Option<String>,
    pub changed_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
