use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Weekly working windows: the shop's default (`scope = atelier`, `resource_id = 0`), or one
/// machine's or one employee's own (`scope = machine | employee`). `shifts_json` is a list of
/// `{weekday, start_min, end_min}` (0 = Monday).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "work_calendars")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub scope: String,
    pub resource_id: i64,
    #[sea_orm(column_type = "Text")]
    pub shifts_json: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
