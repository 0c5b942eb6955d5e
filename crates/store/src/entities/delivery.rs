use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A delivery note (bon de livraison) `BL-YYYY-NNNN` of an order; partial deliveries allowed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub number: String,
    pub order_id: i64,
    pub delivered_on: Date,
    pub packages: Option<i32>,
    pub weight_kg: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
