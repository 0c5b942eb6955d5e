//! Attached files (client/supplier documents, material certificates, machine photos, …) and the
//! content-addressed blob store under them. Files live in the database so that a write is
//! all-or-nothing, both backends behave the same, and the backup carries them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FileBlobs {
    Table,
    Id,
    Sha256,
    SizeBytes,
    Data,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    Entity,
    EntityId,
    Kind,
    Filename,
    ContentType,
    SizeBytes,
    BlobId,
    Note,
    UploadedById,
    UploadedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(FileBlobs::Table)
                .col(
                    ColumnDef::new(FileBlobs::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(FileBlobs::Sha256)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(FileBlobs::SizeBytes)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(FileBlobs::Data).blob().not_null())
                .col(
                    ColumnDef::new(FileBlobs::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Attachments::Table)
                .col(
                    ColumnDef::new(Attachments::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Attachments::Entity)
                        .string_len(40)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Attachments::EntityId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Attachments::Kind).string_len(32).not_null())
                .col(
                    ColumnDef::new(Attachments::Filename)
                        .string_len(255)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Attachments::ContentType)
                        .string_len(120)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Attachments::SizeBytes)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Attachments::BlobId).big_integer().not_null())
                .col(ColumnDef::new(Attachments::Note).text().null())
                .col(
                    ColumnDef::new(Attachments::UploadedById)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(Attachments::UploadedBy)
                        .string_len(100)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Attachments::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_attachments_blob")
                        .from(Attachments::Table, Attachments::BlobId)
                        .to(FileBlobs::Table, FileBlobs::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_attachments_entity")
                .table(Attachments::Table)
                .col(Attachments::Entity)
                .col(Attachments::EntityId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_attachments_blob")
                .table(Attachments::Table)
                .col(Attachments::BlobId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Attachments::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(FileBlobs::Table).to_owned())
            .await
    }
}
