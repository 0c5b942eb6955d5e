use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "tool_cutting_data")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tool_id: i64,
    pub iso_group: String,
    pub vc_min: Option<String>,
    pub vc_max: Option<String>,
    pub feed_kind: String,
    pub feed_min: Option<String>,
    pub feed_max: Option<String>,
    pub ap_min: Option<String>,
    pub ap_max: Option<String>,
    pub ae_min: Option<String>,
    pub ae_max: Option<String>,
    pub source: String,
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
