use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A file attached to a record (`entity` is the record's UI path, e.g. `clients`,
/// `material-lots`). The bytes live in `file_blobs`, shared by identical files.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub entity: String,
    pub entity_id: i64,
    /// `document`, `certificat`, `plan`, `photo`, `fiche_securite`, `autre`
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub blob_id: i64,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub uploaded_by_id: Option<i64>,
    pub uploaded_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
