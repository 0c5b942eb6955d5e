use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A derogation granted by a responsable: an expired instrument may be used until `valid_until`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "instrument_exceptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub instrument_id: i64,
    pub reason: String,
    pub valid_until: Date,
    pub granted_by: Option<i64>,
    pub granted_by_login: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
