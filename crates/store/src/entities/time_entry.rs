use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A period of work: an operator's session on an operation (`kind` `operation`, opened by start/resume, closed by pause/finish), a clock-in/out period (`presence`), or a time declaration at finish (`declaration`). Manual entries and corrections are requests: `status` `en_attente` → `approuvee`/`refusee`; scans are `valide`. `minutes` is a decimal string.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "time_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub employee_id: Option<i64>,
    pub kind: String,
    pub operation_id: Option<i64>,
    pub job_id: Option<i64>,
    pub machine_id: Option<i64>,
    pub started_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub end_reason: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub end_note: Option<String>,
    pub minutes: Option<String>,
    pub measured_min: Option<String>,
    pub source: String,
    pub status: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub requested_by: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
