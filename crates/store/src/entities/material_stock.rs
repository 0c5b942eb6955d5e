use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "material_stock")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub label: Option<String>,
    pub grade_id: i64,
    pub lot_id: Option<i64>,
    pub shape: String,
    pub diameter_mm: String,
    pub width_mm: Option<String>,
    pub wall_mm: Option<String>,
    pub length_mm: String,
    pub quantity: i64,
    pub reserved: i64,
    pub location_id: Option<i64>,
    pub cost_per_kg_cents: Option<i64>,
    pub is_offcut: bool,
    pub parent_id: Option<i64>,
    pub active: bool,
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
