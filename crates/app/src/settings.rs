//! Installation settings (company identity, setup state), stored as JSON values by key.

use crate::error::AppError;
use sea_orm::{ConnectionTrait, EntityTrait, Set, sea_query::OnConflict};
use serde::{Serialize, de::DeserializeOwned};
use usinage_store::entities::setting;

pub const COMPANY: &str = "company";
pub const DEMO: &str = "demo";
/// Industry activities and the main one (`setup::Activities`).
pub const ACTIVITIES: &str = "activities";
/// Pricing parameters of the rate grid (`rates::Pricing`).
pub const PRICING: &str = "pricing";
/// Set when the setup wizard was completed (`setup::SetupDone`).
pub const SETUP: &str = "setup";

pub async fn get<C: ConnectionTrait, T: DeserializeOwned>(
    db: &C,
    key: &str,
) -> Result<Option<T>, AppError> {
    Ok(setting::Entity::find_by_id(key.to_string())
        .one(db)
        .await?
        .and_then(|s| serde_json::from_str(&s.value).ok()))
}

pub async fn put<C: ConnectionTrait, T: Serialize>(
    db: &C,
    key: &str,
    value: &T,
) -> Result<(), AppError> {
    let value = serde_json::to_string(value).map_err(|_| AppError::internal("paramètre"))?;
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.into()),
        value: Set(value),
        updated_at: Set(crate::now()),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Company identity shown in the UI and on documents.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Company {
    pub name: String,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    pub address: Option<String>,
}
