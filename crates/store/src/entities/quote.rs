use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A quote (devis) to a client: `number` is `DV-YYYY-NNNN`, `revision` grows each time a sent
/// quote is reopened. Status: `brouillon`, `a_valider`, `envoye`, `accepte`, `refuse`, `expire`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "quotes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub number: String,
    pub revision: i32,
    pub client_id: i64,
    pub subject: Option<String>,
    pub customer_reference: Option<String>,
    pub status: String,
    pub valid_until: Date,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    /// Sum of the lines' selected totals (Standard unless chosen otherwise), in cents.
    pub total_standard_cents: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub status_comment: Option<String>,
    pub created_by_id: Option<i64>,
    pub created_by: String,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
