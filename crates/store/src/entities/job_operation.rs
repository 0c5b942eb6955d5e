use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One operation of a job's routing (gamme), on one machine or work centre, or subcontracted.
/// Times are canonical decimal strings in minutes (setup per lot, run per part).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "job_operations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub job_id: i64,
    pub position: i32,
    pub process: String,
    pub label: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub machine_id: Option<i64>,
    pub work_centre: Option<String>,
    pub supplier_id: Option<i64>,
    pub supplier_name: Option<String>,
    pub subcontract_po: Option<String>,
    pub send_date: Option<Date>,
    pub return_date: Option<Date>,
    pub setup_min: String,
    pub run_min: String,
    pub skills: String,
    #[sea_orm(column_type = "Text")]
    pub tools_json: String,
    #[sea_orm(column_type = "Text")]
    pub instruments_json: String,
    pub nc_program: Option<String>,
    pub status: String,
    pub assigned_user_id: Option<i64>,
    pub qty_good: i32,
    pub qty_scrap: i32,
    pub qty_rework: i32,
    /// Labour minutes kept for the operation (measured, or the approved declaration).
    pub actual_min: Option<String>,
    /// Machine minutes (union of the work sessions).
    pub machine_min: Option<String>,
    /// `mesure`, `en_attente` (a declared time waits for the chef d'atelier), `approuve`, `refuse`.
    pub time_status: Option<String>,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub scrap_cost_cents: i64,
    pub tool_changes: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
