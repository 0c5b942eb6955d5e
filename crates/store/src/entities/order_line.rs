use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One ordered part: quantity, price, delivered so far; `quote_line_id` when it comes from a quote.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "order_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub position: i32,
    pub quote_line_id: Option<i64>,
    pub reference: Option<String>,
    pub revision: Option<String>,
    pub designation: String,
    pub grade_id: Option<i64>,
    pub quantity: i32,
    pub delivered_quantity: i32,
    pub unit_price_cents: Option<i64>,
    pub requested_date: Option<Date>,
    pub critical: bool,
    pub certified_material: bool,
    pub blob_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
