use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A certification / authorisation (CACES, habilitation électrique, ISO 9606, SST…).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "employee_certifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employee_id: i64,
    pub kind: String,
    pub designation: String,
    pub issued_on: Date,
    pub expires_on: Option<Date>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
