use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Scrapped (`rebut`) or reworked (`retouche`) parts declared on an operation, with the cost reaching the job.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "scrap_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub operation_id: i64,
    pub job_id: i64,
    pub kind: String,
    pub quantity: i32,
    pub reason_code: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub cost_cents: i64,
    pub user_id: Option<i64>,
    pub user_login: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
