use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A customer order (commande client): `number` is `CO-YYYY-NNNN`. Status: `en_attente`, `validee`,
/// `en_production`, `livree_partielle`, `livree`, `annulee`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub number: String,
    pub client_id: i64,
    pub quote_id: Option<i64>,
    pub customer_po_number: Option<String>,
    pub customer_po_date: Option<Date>,
    pub po_blob_id: Option<i64>,
    pub requested_date: Option<Date>,
    pub promised_date: Option<Date>,
    pub priority: String,
    pub status: String,
    pub critical: bool,
    pub control_sheet: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub status_comment: Option<String>,
    pub total_cents: Option<i64>,
    pub created_by_id: Option<i64>,
    pub created_by: String,
    pub validated_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
