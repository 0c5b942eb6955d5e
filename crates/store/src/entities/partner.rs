use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A client or a supplier (`kind`), the French "tiers".
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "partners")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `client` or `supplier`
    pub kind: String,
    pub name: String,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub billing_address: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub delivery_address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// Payment terms code, e.g. `45j_fdm`.
    pub payment_terms: String,
    /// Sector codes separated by spaces.
    pub sectors: String,
    /// Supplier kind codes separated by spaces (empty for clients).
    pub supplier_kinds: String,
    pub critical: bool,
    /// JSON array of contacts `{name, function, email, phone}`.
    #[sea_orm(column_type = "Text")]
    pub contacts: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    pub archived: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
