use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The current plan: where and when one job operation is planned, and by whom. `pinned`: placed
/// by a person on the Gantt; the planner keeps it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "planned_operations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub operation_id: i64,
    pub job_id: i64,
    pub machine_id: Option<i64>,
    pub employee_id: Option<i64>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub work_min: i64,
    pub setup_min: i64,
    pub pinned: bool,
    pub proposal_id: Option<i64>,
    pub updated_by: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
