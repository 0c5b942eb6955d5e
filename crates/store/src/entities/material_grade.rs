use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "material_grades")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub afnor: String,
    pub en_number: Option<String>,
    pub en_name: Option<String>,
    pub aisi: Option<String>,
    pub din: Option<String>,
    pub iso_group: String,
    pub density: String,
    pub hardness: Option<String>,
    pub machinability: Option<String>,
    pub active: bool,
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
