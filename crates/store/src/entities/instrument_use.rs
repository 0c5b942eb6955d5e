use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A recorded use of an instrument for a job/operation reference.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "instrument_uses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub instrument_id: i64,
    pub reference: String,
    pub used_on: Date,
    /// Instrument state when used (`valide`, `a_etalonner`, or `expire` under an exception).
    pub state: String,
    pub exception_id: Option<i64>,
    pub user_id: Option<i64>,
    pub user_login: Option<String>,
    pub created_at: DateTimeUtc,
    pub operation_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
