//! Quotes (devis): the quote, one line per customer drawing (or manual line), and the snapshots
//! of sent revisions. The drawing itself is a `file_blobs` row; the analysis and the estimate
//! are stored as JSON next to the reviewed values (columns), so a person's corrections survive
//! a re-estimate and the analysis queue is the `analysis_status` column itself.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Quotes {
    Table,
    Id,
    Number,
    Revision,
    ClientId,
    Subject,
    CustomerReference,
    Status,
    ValidUntil,
    Notes,
    TotalStandardCents,
    StatusComment,
    CreatedById,
    CreatedBy,
    SentAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum QuoteLines {
    Table,
    Id,
    QuoteId,
    Position,
    BlobId,
    Filename,
    ContentType,
    SizeBytes,
    Pages,
    AnalysisStatus,
    AnalysisError,
    AnalysisJson,
    DrawingNumber,
    DrawingRevision,
    PartName,
    GradeId,
    HeatTreatment,
    SurfaceTreatment,
    Quantities,
    Critical,
    Shape,
    EnvDiameterMm,
    EnvLengthMm,
    EnvWidthMm,
    EnvHeightMm,
    DraftJson,
    EstimateJson,
    SelectedQuantity,
    SelectedScenario,
    UnitPriceCents,
    TotalCents,
    Reviewed,
    ReviewedBy,
    ReviewedAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum QuoteRevisions {
    Table,
    Id,
    QuoteId,
    Revision,
    Status,
    Snapshot,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Partners {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum FileBlobs {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MaterialGrades {
    Table,
    Id,
}

fn id<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn ts<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn opt_str<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Quotes::Table)
                .col(id(Quotes::Id))
                .col(
                    ColumnDef::new(Quotes::Number)
                        .string_len(32)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Quotes::Revision).integer().not_null())
                .col(ColumnDef::new(Quotes::ClientId).big_integer().not_null())
                .col(opt_str(Quotes::Subject, 200))
                .col(opt_str(Quotes::CustomerReference, 100))
                .col(ColumnDef::new(Quotes::Status).string_len(20).not_null())
                .col(ColumnDef::new(Quotes::ValidUntil).date().not_null())
                .col(ColumnDef::new(Quotes::Notes).text().null())
                .col(
                    ColumnDef::new(Quotes::TotalStandardCents)
                        .big_integer()
                        .null(),
                )
                .col(ColumnDef::new(Quotes::StatusComment).text().null())
                .col(ColumnDef::new(Quotes::CreatedById).big_integer().null())
                .col(ColumnDef::new(Quotes::CreatedBy).string_len(100).not_null())
                .col(
                    ColumnDef::new(Quotes::SentAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ts(Quotes::CreatedAt))
                .col(ts(Quotes::UpdatedAt))
                .col(ColumnDef::new(Quotes::Version).integer().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_quotes_client")
                        .from(Quotes::Table, Quotes::ClientId)
                        .to(Partners::Table, Partners::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_quotes_status")
                .table(Quotes::Table)
                .col(Quotes::Status)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QuoteLines::Table)
                .col(id(QuoteLines::Id))
                .col(ColumnDef::new(QuoteLines::QuoteId).big_integer().not_null())
                .col(ColumnDef::new(QuoteLines::Position).integer().not_null())
                .col(ColumnDef::new(QuoteLines::BlobId).big_integer().null())
                .col(opt_str(QuoteLines::Filename, 255))
                .col(opt_str(QuoteLines::ContentType, 120))
                .col(ColumnDef::new(QuoteLines::SizeBytes).big_integer().null())
                .col(ColumnDef::new(QuoteLines::Pages).integer().null())
                .col(
                    ColumnDef::new(QuoteLines::AnalysisStatus)
                        .string_len(20)
                        .not_null(),
                )
                .col(ColumnDef::new(QuoteLines::AnalysisError).text().null())
                .col(ColumnDef::new(QuoteLines::AnalysisJson).text().null())
                .col(opt_str(QuoteLines::DrawingNumber, 100))
                .col(opt_str(QuoteLines::DrawingRevision, 20))
                .col(opt_str(QuoteLines::PartName, 200))
                .col(ColumnDef::new(QuoteLines::GradeId).big_integer().null())
                .col(opt_str(QuoteLines::HeatTreatment, 200))
                .col(opt_str(QuoteLines::SurfaceTreatment, 200))
                .col(
                    ColumnDef::new(QuoteLines::Quantities)
                        .string_len(100)
                        .not_null(),
                )
                .col(ColumnDef::new(QuoteLines::Critical).boolean().not_null())
                .col(ColumnDef::new(QuoteLines::Shape).string_len(20).not_null())
                .col(opt_str(QuoteLines::EnvDiameterMm, 20))
                .col(opt_str(QuoteLines::EnvLengthMm, 20))
                .col(opt_str(QuoteLines::EnvWidthMm, 20))
                .col(opt_str(QuoteLines::EnvHeightMm, 20))
                .col(ColumnDef::new(QuoteLines::DraftJson).text().null())
                .col(ColumnDef::new(QuoteLines::EstimateJson).text().null())
                .col(
                    ColumnDef::new(QuoteLines::SelectedQuantity)
                        .integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(QuoteLines::SelectedScenario)
                        .string_len(20)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(QuoteLines::UnitPriceCents)
                        .big_integer()
                        .null(),
                )
                .col(ColumnDef::new(QuoteLines::TotalCents).big_integer().null())
                .col(ColumnDef::new(QuoteLines::Reviewed).boolean().not_null())
                .col(opt_str(QuoteLines::ReviewedBy, 100))
                .col(
                    ColumnDef::new(QuoteLines::ReviewedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ts(QuoteLines::CreatedAt))
                .col(ts(QuoteLines::UpdatedAt))
                .col(ColumnDef::new(QuoteLines::Version).integer().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_quote_lines_quote")
                        .from(QuoteLines::Table, QuoteLines::QuoteId)
                        .to(Quotes::Table, Quotes::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_quote_lines_blob")
                        .from(QuoteLines::Table, QuoteLines::BlobId)
                        .to(FileBlobs::Table, FileBlobs::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_quote_lines_grade")
                        .from(QuoteLines::Table, QuoteLines::GradeId)
                        .to(MaterialGrades::Table, MaterialGrades::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_quote_lines_quote")
                .table(QuoteLines::Table)
                .col(QuoteLines::QuoteId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_quote_lines_analysis")
                .table(QuoteLines::Table)
                .col(QuoteLines::AnalysisStatus)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QuoteRevisions::Table)
                .col(id(QuoteRevisions::Id))
                .col(
                    ColumnDef::new(QuoteRevisions::QuoteId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(QuoteRevisions::Revision)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(QuoteRevisions::Status)
                        .string_len(20)
                        .not_null(),
                )
                .col(ColumnDef::new(QuoteRevisions::Snapshot).text().not_null())
                .col(
                    ColumnDef::new(QuoteRevisions::CreatedBy)
                        .string_len(100)
                        .not_null(),
                )
                .col(ts(QuoteRevisions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_quote_revisions_quote")
                        .from(QuoteRevisions::Table, QuoteRevisions::QuoteId)
                        .to(Quotes::Table, Quotes::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_quote_revisions_quote")
                .table(QuoteRevisions::Table)
                .col(QuoteRevisions::QuoteId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(QuoteRevisions::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(QuoteLines::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Quotes::Table).to_owned())
            .await
    }
}
