use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One line of a quote: one customer drawing (or a manual line without drawing). The reviewed
/// values are columns; `analysis_json` is what the drawing engine read, `draft_json` the part
/// spec built from both with its open questions and assumptions, `estimate_json` the estimate.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "quote_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub quote_id: i64,
    pub position: i32,
    pub blob_id: Option<i64>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub pages: Option<i32>,
    /// `en_attente`, `en_cours`, `termine`, `echec`, `manuel`
    pub analysis_status: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub analysis_error: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub analysis_json: Option<String>,
    pub drawing_number: Option<String>,
    pub drawing_revision: Option<String>,
    pub part_name: Option<String>,
    pub grade_id: Option<i64>,
    pub heat_treatment: Option<String>,
    pub surface_treatment: Option<String>,
    /// Quantity breaks, comma-separated ("1,10,50").
    pub quantities: String,
    pub critical: bool,
    /// `turned`, `prismatic`, `sheet_bent`, `welded`, `unknown`
    pub shape: String,
    pub env_diameter_mm: Option<String>,
    pub env_length_mm: Option<String>,
    pub env_width_mm: Option<String>,
    pub env_height_mm: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub draft_json: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub estimate_json: Option<String>,
    pub selected_quantity: Option<i32>,
    /// `economique`, `standard`, `express`
    pub selected_scenario: String,
    pub unit_price_cents: Option<i64>,
    /// Unit price typed by a person for the selected quantity (never below the minimum margin).
    pub unit_price_override_cents: Option<i64>,
    pub total_cents: Option<i64>,
    pub reviewed: bool,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
