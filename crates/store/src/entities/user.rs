use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub login: String,
    pub full_name: String,
    pub email: Option<String>,
    pub password_hash: String,
    pub active: bool,
    /// Role codes separated by spaces, e.g. `"chef_atelier methode"`.
    pub roles: String,
    pub must_change_password: bool,
    pub employee_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn role_list(&self) -> Vec<String> {
        self.roles.split_whitespace().map(str::to_string).collect()
    }
}
