use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A job (ordre de fabrication, OF) for one order line: `number` `OF-YYYY-NNNN`. Status: `brouillon`
/// (routing to review), `pret` (routing validated by méthode), `en_cours`, `termine`, `annule`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub number: String,
    pub order_id: i64,
    pub order_line_id: i64,
    pub quantity: i32,
    pub status: String,
    pub routing_version: i32,
    pub routing_source: String,
    pub routing_validated_by: Option<String>,
    pub routing_validated_at: Option<DateTimeUtc>,
    pub due_date: Option<Date>,
    pub critical: bool,
    pub priority: i32,
    pub sur_urgent: bool,
    pub grade_id: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub part_json: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub debit_json: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub warnings_json: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
