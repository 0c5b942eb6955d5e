//! Clients and suppliers (one `partners` table, `kind` = `client` | `supplier`), supplier
//! evaluations, and the hourly rate grid lines.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Partners {
    Table,
    Id,
    Kind,
    Name,
    Siren,
    Siret,
    VatNumber,
    BillingAddress,
    DeliveryAddress,
    Email,
    Phone,
    Website,
    PaymentTerms,
    Sectors,
    SupplierKinds,
    Critical,
    Contacts,
    Notes,
    Archived,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum SupplierEvaluations {
    Table,
    Id,
    SupplierId,
    EvaluatedOn,
    Quality,
    Delivery,
    Price,
    Comment,
    Source,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Rates {
    Table,
    Id,
    Kind,
    Code,
    RateCents,
    CreatedAt,
    UpdatedAt,
    Version,
}

fn ts(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn id(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn version(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).integer().not_null().default(1).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Partners::Table)
                .col(id(Partners::Id))
                .col(ColumnDef::new(Partners::Kind).string_len(16).not_null())
                .col(ColumnDef::new(Partners::Name).string_len(200).not_null())
                .col(ColumnDef::new(Partners::Siren).string_len(9).null())
                .col(ColumnDef::new(Partners::Siret).string_len(14).null())
                .col(ColumnDef::new(Partners::VatNumber).string_len(20).null())
                .col(ColumnDef::new(Partners::BillingAddress).text().null())
                .col(ColumnDef::new(Partners::DeliveryAddress).text().null())
                .col(ColumnDef::new(Partners::Email).string_len(254).null())
                .col(ColumnDef::new(Partners::Phone).string_len(40).null())
                .col(ColumnDef::new(Partners::Website).string_len(300).null())
                .col(
                    ColumnDef::new(Partners::PaymentTerms)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Partners::Sectors)
                        .string_len(400)
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Partners::SupplierKinds)
                        .string_len(400)
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Partners::Critical)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(ColumnDef::new(Partners::Contacts).text().not_null())
                .col(ColumnDef::new(Partners::Notes).text().null())
                .col(
                    ColumnDef::new(Partners::Archived)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(ts(Partners::CreatedAt))
                .col(ts(Partners::UpdatedAt))
                .col(version(Partners::Version))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_partners_kind_name")
                .table(Partners::Table)
                .col(Partners::Kind)
                .col(Partners::Name)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SupplierEvaluations::Table)
                .col(id(SupplierEvaluations::Id))
                .col(
                    ColumnDef::new(SupplierEvaluations::SupplierId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SupplierEvaluations::EvaluatedOn)
                        .date()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SupplierEvaluations::Quality)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SupplierEvaluations::Delivery)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SupplierEvaluations::Price)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(SupplierEvaluations::Comment).text().null())
                .col(
                    ColumnDef::new(SupplierEvaluations::Source)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SupplierEvaluations::CreatedBy)
                        .string_len(64)
                        .not_null(),
                )
                .col(ts(SupplierEvaluations::CreatedAt))
                .col(ts(SupplierEvaluations::UpdatedAt))
                .col(version(SupplierEvaluations::Version))
                .foreign_key(
                    ForeignKey::create()
                        .from(SupplierEvaluations::Table, SupplierEvaluations::SupplierId)
                        .to(Partners::Table, Partners::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_supplier_evaluations_supplier")
                .table(SupplierEvaluations::Table)
                .col(SupplierEvaluations::SupplierId)
                .col(SupplierEvaluations::EvaluatedOn)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Rates::Table)
                .col(id(Rates::Id))
                .col(ColumnDef::new(Rates::Kind).string_len(16).not_null())
                .col(ColumnDef::new(Rates::Code).string_len(40).not_null())
                .col(ColumnDef::new(Rates::RateCents).big_integer().not_null())
                .col(ts(Rates::CreatedAt))
                .col(ts(Rates::UpdatedAt))
                .col(version(Rates::Version))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_rates_kind_code")
                .table(Rates::Table)
                .col(Rates::Kind)
                .col(Rates::Code)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Rates::Table.into_iden(),
            SupplierEvaluations::Table.into_iden(),
            Partners::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
