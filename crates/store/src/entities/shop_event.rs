use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One shop-floor action as received (kind, device time, body) with the response sent, keyed by the client's `Idempotency-Key` per user so a replay returns the same response and changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "shop_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub idempotency_key: Option<String>,
    pub user_id: i64,
    pub operation_id: Option<i64>,
    pub kind: String,
    pub occurred_at: DateTimeUtc,
    pub recorded_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub response: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
