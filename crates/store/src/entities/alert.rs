use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One row of the alerts snapshot (derived data, replaced as a whole at every recompute).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "alerts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `stock_outil`, `stock_matiere`, `etalonnage`, `habilitation`
    pub kind: String,
    /// `critique`, `attention`, `info`
    pub severity: String,
    /// UI path of the record, e.g. `instruments`
    pub entity_type: String,
    pub entity_id: i64,
    pub title: String,
    pub detail: String,
    pub due_date: Option<Date>,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
