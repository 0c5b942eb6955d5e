use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The method sheet (fiche méthode) of one operation; `content` is JSON (set-up, tools with cutting
/// conditions, CAM steps, inspection points, safety notes).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "method_sheets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub operation_id: i64,
    pub job_id: i64,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub updated_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
