//! Migrations, one per schema change, never edited once landed. They run on SQLite and
//! PostgreSQL; both are exercised by the test suite.

use sea_orm_migration::prelude::*;

mod m20261127_000001_foundation;
mod m20261127_000100_crm;
mod m20261127_000200_resources;
mod m20261127_000300_stock;
mod m20261127_000400_alerts;
mod m20261206_000500_attachments;
mod m20261206_000600_quotes;
mod m20261207_000650_quote_price_override;
mod m20261207_000700_orders;
mod m20261207_000800_shop_floor;
mod m20261207_000900_planning;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_foundation::Migration),
            Box::new(m20261127_000100_crm::Migration),
            Box::new(m20261127_000300_stock::Migration),
            Box::new(m20261127_000200_resources::Migration),
            Box::new(m20261127_000400_alerts::Migration),
            Box::new(m20261206_000500_attachments::Migration),
            Box::new(m20261206_000600_quotes::Migration),
            Box::new(m20261207_000650_quote_price_override::Migration),
            Box::new(m20261207_000700_orders::Migration),
            Box::new(m20261207_000800_shop_floor::Migration),
            Box::new(m20261207_000900_planning::Migration),
        ]
    }
}
