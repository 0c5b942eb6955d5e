use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A plan computed by the planner, waiting for a manager (or applied at once when the setting
/// allows it): the whole plan, its differences with the current one and their effect on due
/// dates. `base_revision` is the plan revision it was computed from: a proposal made on an
/// older plan is stale and cannot be accepted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "plan_proposals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub number: String,
    pub trigger: String,
    pub trigger_ref: Option<String>,
    pub status: String,
    pub requires_validation: bool,
    pub base_revision: i32,
    #[sea_orm(column_type = "Text")]
    pub plan_json: String,
    #[sea_orm(column_type = "Text")]
    pub diff_json: String,
    #[sea_orm(column_type = "Text")]
    pub kpis_json: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub summary: Option<String>,
    pub moves_count: i32,
    pub late_jobs: i32,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_note: Option<String>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
