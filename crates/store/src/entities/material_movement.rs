use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "material_movements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub stock_id: i64,
    pub grade_id: i64,
    pub location_id: Option<i64>,
    pub kind: String,
    pub quantity: i64,
    pub qty_before: i64,
    pub qty_after: i64,
    pub job_ref: Option<String>,
    pub reason: Option<String>,
    pub actor_id: Option<i64>,
    pub actor_login: String,
    pub at: DateTimeUtc,
    pub operation_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
