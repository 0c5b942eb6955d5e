use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "tools")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub tool_type: String,
    pub iso_designation: Option<String>,
    pub diameter_mm: Option<String>,
    pub cutting_length_mm: Option<String>,
    pub overall_length_mm: Option<String>,
    pub flutes: Option<i32>,
    pub coating: Option<String>,
    pub grade: Option<String>,
    pub supplier_id: Option<i64>,
    pub supplier_name: Option<String>,
    pub supplier_ref: Option<String>,
    pub unit_price_cents: Option<i64>,
    pub min_stock: i64,
    pub life_unit: Option<String>,
    pub life_limit: Option<i64>,
    pub life_used: i64,
    pub regrind_count: i32,
    pub active: bool,
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
