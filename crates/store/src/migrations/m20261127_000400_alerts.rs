//! Alerts snapshot: derived data recomputed by a background job (stock under minimum,
//! calibrations due or expired, certifications expiring or expired), replaced as a whole in one
//! transaction at every run so that reading the list and the count badge is cheap.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Alerts {
    Table,
    Id,
    Kind,
    Severity,
    EntityType,
    EntityId,
    Title,
    Detail,
    DueDate,
    ComputedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alerts::Table)
                .col(
                    ColumnDef::new(Alerts::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Alerts::Kind).string_len(32).not_null())
                .col(ColumnDef::new(Alerts::Severity).string_len(16).not_null())
                .col(ColumnDef::new(Alerts::EntityType).string_len(64).not_null())
                .col(ColumnDef::new(Alerts::EntityId).big_integer().not_null())
                .col(ColumnDef::new(Alerts::Title).string_len(300).not_null())
                .col(ColumnDef::new(Alerts::Detail).text().not_null())
                .col(ColumnDef::new(Alerts::DueDate).date().null())
                .col(
                    ColumnDef::new(Alerts::ComputedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_alerts_kind_severity")
                .table(Alerts::Table)
                .col(Alerts::Kind)
                .col(Alerts::Severity)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alerts::Table).to_owned())
            .await
    }
}
