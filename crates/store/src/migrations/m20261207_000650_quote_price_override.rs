//! The unit price agreed with the customer on a quote line (`unit_price_override_cents`).
//! Databases whose quotes table was created by an earlier build of the quotes migration already
//! have the column: it is then left as is.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum QuoteLines {
    Table,
    UnitPriceOverrideCents,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.has_column("quote_lines", "unit_price_override_cents")
            .await?
        {
            return Ok(());
        }
        m.alter_table(
            Table::alter()
                .table(QuoteLines::Table)
                .add_column(
                    ColumnDef::new(QuoteLines::UnitPriceOverrideCents)
                        .big_integer()
                        .null(),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(QuoteLines::Table)
                .drop_column(QuoteLines::UnitPriceOverrideCents)
                .to_owned(),
        )
        .await
    }
}
