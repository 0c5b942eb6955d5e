use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An employee record (HR). `weekly_hours` is a JSON array of 7 decimal strings, Monday first.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "employees")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub matricule: String,
    pub first_name: String,
    pub last_name: String,
    pub job_title: Option<String>,
    pub category: String,
    pub hire_date: Option<Date>,
    #[sea_orm(unique)]
    pub user_id: Option<i64>,
    pub active: bool,
    pub weekly_hours: String,
    pub hourly_cost_cents: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
