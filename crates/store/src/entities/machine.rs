use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A machine of the shop. Dimensions/decimals are canonical decimal strings; rates are cents.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "machines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub kind: String,
    pub brand: Option<String>,
    pub model: Option<String>,
    pub year: Option<i32>,
    pub serial: Option<String>,
    pub cnc_controller: Option<String>,
    pub travel_x_mm: Option<String>,
    pub travel_y_mm: Option<String>,
    pub travel_z_mm: Option<String>,
    pub rotary_axes: Option<String>,
    pub max_spindle_rpm: Option<i32>,
    pub spindle_power_kw: Option<String>,
    pub spindle_torque_nm: Option<String>,
    pub max_bar_diameter_mm: Option<String>,
    pub bar_feeder: bool,
    pub chuck_table_size: Option<String>,
    pub max_part_mass_kg: Option<String>,
    pub tool_magazine_size: Option<i32>,
    pub rapid_traverse_m_min: Option<String>,
    pub cam_software: Option<String>,
    pub post_processor_ref: Option<String>,
    pub hour_counter_h: Option<String>,
    pub status: String,
    pub location: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub photo: Option<String>,
    pub machine_rate_cents: Option<i64>,
    pub operator_rate_cents: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    pub active: bool,
    pub stations: i32,
    pub unattended_run: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
