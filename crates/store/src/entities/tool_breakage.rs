use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A tool broken on an operation: replaced from stock (`remplace`) or waiting for an urgent purchase (`achat_urgent`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "tool_breakages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub operation_id: i64,
    pub job_id: i64,
    pub tool_id: i64,
    pub replacement_tool_id: Option<i64>,
    pub tool_movement_id: Option<i64>,
    pub purchase_request_id: Option<i64>,
    pub status: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub conditions_json: Option<String>,
    pub user_id: Option<i64>,
    pub user_login: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
