use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A measuring instrument; `next_calibration` = `last_calibration` + interval (service rule).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "instruments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub instrument_type: String,
    pub range_text: Option<String>,
    pub resolution: Option<String>,
    pub serial: Option<String>,
    pub location: Option<String>,
    pub calibration_interval_months: i32,
    pub last_calibration: Option<Date>,
    pub next_calibration: Option<Date>,
    /// `conforme` / `non_conforme` of the last calibration, if any.
    pub last_result: Option<String>,
    pub certificate_ref: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
