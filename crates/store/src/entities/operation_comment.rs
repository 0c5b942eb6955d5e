use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A comment or improvement suggestion an operator leaves on an operation, for méthode (`ouvert` → `traite`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "operation_comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub operation_id: i64,
    pub job_id: i64,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub status: String,
    pub user_id: Option<i64>,
    pub user_login: String,
    pub handled_by: Option<String>,
    pub handled_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub handled_note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
