//! Orders (commandes clients) and production: one job (OF) per order line, its routing as
//! ordered operations (`job_operations`) with snapshots per routing version, one method sheet
//! per operation with its versions, and delivery notes (bons de livraison) for partial
//! deliveries. The customer's PO file is a `file_blobs` row.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    Number,
    ClientId,
    QuoteId,
    CustomerPoNumber,
    CustomerPoDate,
    PoBlobId,
    RequestedDate,
    PromisedDate,
    Priority,
    Status,
    Critical,
    ControlSheet,
    Notes,
    StatusComment,
    TotalCents,
    CreatedById,
    CreatedBy,
    ValidatedAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    OrderId,
    Position,
    QuoteLineId,
    Reference,
    Revision,
    Designation,
    GradeId,
    Quantity,
    DeliveredQuantity,
    UnitPriceCents,
    RequestedDate,
    Critical,
    CertifiedMaterial,
    BlobId,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Number,
    OrderId,
    OrderLineId,
    Quantity,
    Status,
    RoutingVersion,
    RoutingSource,
    RoutingValidatedBy,
    RoutingValidatedAt,
    DueDate,
    Critical,
    GradeId,
    PartJson,
    DebitJson,
    WarningsJson,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum JobOperations {
    Table,
    Id,
    JobId,
    Position,
    Process,
    Label,
    Description,
    MachineId,
    WorkCentre,
    SupplierId,
    SupplierName,
    SubcontractPo,
    SendDate,
    ReturnDate,
    SetupMin,
    RunMin,
    Skills,
    ToolsJson,
    InstrumentsJson,
    NcProgram,
    Status,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum RoutingVersions {
    Table,
    Id,
    JobId,
    Version,
    Snapshot,
    Comment,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MethodSheets {
    Table,
    Id,
    OperationId,
    JobId,
    Version,
    Content,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MethodSheetVersions {
    Table,
    Id,
    MethodSheetId,
    Version,
    Content,
    Summary,
    ChangedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Deliveries {
    Table,
    Id,
    Number,
    OrderId,
    DeliveredOn,
    Packages,
    WeightKg,
    Notes,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DeliveryLines {
    Table,
    Id,
    DeliveryId,
    OrderLineId,
    Quantity,
}

#[derive(DeriveIden)]
enum Partners {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Quotes {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum QuoteLines {
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

#[derive(DeriveIden)]
enum Machines {
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

fn opt_ts<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn big<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).big_integer().not_null().to_owned()
}

fn opt_big<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).big_integer().null().to_owned()
}

fn int<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).integer().not_null().to_owned()
}

fn boolean<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).boolean().not_null().to_owned()
}

fn string<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).not_null().to_owned()
}

fn opt_str<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).null().to_owned()
}

fn opt_date<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).date().null().to_owned()
}

fn text<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).text().not_null().to_owned()
}

fn opt_text<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).text().null().to_owned()
}

fn fk<F: IntoIden, T: IntoIden>(
    name: &str,
    from: (F, impl IntoIden),
    to: (T, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

async fn index<T: IntoIden>(
    m: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create().name(name).table(table).to_owned();
    for c in cols {
        i.col(c);
    }
    if unique {
        i.unique();
    }
    m.create_index(i).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Orders::Table)
                .col(id(Orders::Id))
                .col(string(Orders::Number, 32).unique_key())
                .col(big(Orders::ClientId))
                .col(opt_big(Orders::QuoteId))
                .col(opt_str(Orders::CustomerPoNumber, 100))
                .col(opt_date(Orders::CustomerPoDate))
                .col(opt_big(Orders::PoBlobId))
                .col(opt_date(Orders::RequestedDate))
                .col(opt_date(Orders::PromisedDate))
                .col(string(Orders::Priority, 20))
                .col(string(Orders::Status, 20))
                .col(boolean(Orders::Critical))
                .col(boolean(Orders::ControlSheet))
                .col(opt_text(Orders::Notes))
                .col(opt_text(Orders::StatusComment))
                .col(opt_big(Orders::TotalCents))
                .col(opt_big(Orders::CreatedById))
                .col(string(Orders::CreatedBy, 100))
                .col(opt_ts(Orders::ValidatedAt))
                .col(ts(Orders::CreatedAt))
                .col(ts(Orders::UpdatedAt))
                .col(int(Orders::Version))
                .foreign_key(&mut fk(
                    "fk_orders_client",
                    (Orders::Table, Orders::ClientId),
                    (Partners::Table, Partners::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_orders_quote",
                    (Orders::Table, Orders::QuoteId),
                    (Quotes::Table, Quotes::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_orders_po_blob",
                    (Orders::Table, Orders::PoBlobId),
                    (FileBlobs::Table, FileBlobs::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_orders_status_created",
            Orders::Table,
            vec![Orders::Status.into_iden(), Orders::CreatedAt.into_iden()],
            false,
        )
        .await?;
        index(
            m,
            "idx_orders_client",
            Orders::Table,
            vec![Orders::ClientId.into_iden()],
            false,
        )
        .await?;
        index(
            m,
            "idx_orders_created",
            Orders::Table,
            vec![Orders::CreatedAt.into_iden()],
            false,
        )
        .await?;
        index(
            m,
            "idx_orders_quote",
            Orders::Table,
            vec![Orders::QuoteId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OrderLines::Table)
                .col(id(OrderLines::Id))
                .col(big(OrderLines::OrderId))
                .col(int(OrderLines::Position))
                .col(opt_big(OrderLines::QuoteLineId))
                .col(opt_str(OrderLines::Reference, 100))
                .col(opt_str(OrderLines::Revision, 20))
                .col(string(OrderLines::Designation, 200))
                .col(opt_big(OrderLines::GradeId))
                .col(int(OrderLines::Quantity))
                .col(int(OrderLines::DeliveredQuantity))
                .col(opt_big(OrderLines::UnitPriceCents))
                .col(opt_date(OrderLines::RequestedDate))
                .col(boolean(OrderLines::Critical))
                .col(boolean(OrderLines::CertifiedMaterial))
                .col(opt_big(OrderLines::BlobId))
                .col(ts(OrderLines::CreatedAt))
                .col(ts(OrderLines::UpdatedAt))
                .col(int(OrderLines::Version))
                .foreign_key(&mut fk(
                    "fk_order_lines_order",
                    (OrderLines::Table, OrderLines::OrderId),
                    (Orders::Table, Orders::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_order_lines_quote_line",
                    (OrderLines::Table, OrderLines::QuoteLineId),
                    (QuoteLines::Table, QuoteLines::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_order_lines_grade",
                    (OrderLines::Table, OrderLines::GradeId),
                    (MaterialGrades::Table, MaterialGrades::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_order_lines_blob",
                    (OrderLines::Table, OrderLines::BlobId),
                    (FileBlobs::Table, FileBlobs::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_order_lines_order",
            OrderLines::Table,
            vec![OrderLines::OrderId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Jobs::Table)
                .col(id(Jobs::Id))
                .col(string(Jobs::Number, 32).unique_key())
                .col(big(Jobs::OrderId))
                .col(big(Jobs::OrderLineId))
                .col(int(Jobs::Quantity))
                .col(string(Jobs::Status, 20))
                .col(int(Jobs::RoutingVersion))
                .col(string(Jobs::RoutingSource, 20))
                .col(opt_str(Jobs::RoutingValidatedBy, 100))
                .col(opt_ts(Jobs::RoutingValidatedAt))
                .col(opt_date(Jobs::DueDate))
                .col(boolean(Jobs::Critical))
                .col(opt_big(Jobs::GradeId))
                .col(opt_text(Jobs::PartJson))
                .col(opt_text(Jobs::DebitJson))
                .col(opt_text(Jobs::WarningsJson))
                .col(ts(Jobs::CreatedAt))
                .col(ts(Jobs::UpdatedAt))
                .col(int(Jobs::Version))
                .foreign_key(&mut fk(
                    "fk_jobs_order",
                    (Jobs::Table, Jobs::OrderId),
                    (Orders::Table, Orders::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_jobs_order_line",
                    (Jobs::Table, Jobs::OrderLineId),
                    (OrderLines::Table, OrderLines::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_jobs_grade",
                    (Jobs::Table, Jobs::GradeId),
                    (MaterialGrades::Table, MaterialGrades::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_jobs_order",
            Jobs::Table,
            vec![Jobs::OrderId.into_iden()],
            false,
        )
        .await?;
        index(
            m,
            "idx_jobs_order_line",
            Jobs::Table,
            vec![Jobs::OrderLineId.into_iden()],
            true,
        )
        .await?;
        index(
            m,
            "idx_jobs_status",
            Jobs::Table,
            vec![Jobs::Status.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(JobOperations::Table)
                .col(id(JobOperations::Id))
                .col(big(JobOperations::JobId))
                .col(int(JobOperations::Position))
                .col(string(JobOperations::Process, 30))
                .col(string(JobOperations::Label, 200))
                .col(opt_text(JobOperations::Description))
                .col(opt_big(JobOperations::MachineId))
                .col(opt_str(JobOperations::WorkCentre, 40))
                .col(opt_big(JobOperations::SupplierId))
                .col(opt_str(JobOperations::SupplierName, 200))
                .col(opt_str(JobOperations::SubcontractPo, 100))
                .col(opt_date(JobOperations::SendDate))
                .col(opt_date(JobOperations::ReturnDate))
                .col(string(JobOperations::SetupMin, 40))
                .col(string(JobOperations::RunMin, 40))
                .col(string(JobOperations::Skills, 200))
                .col(text(JobOperations::ToolsJson))
                .col(text(JobOperations::InstrumentsJson))
                .col(opt_str(JobOperations::NcProgram, 100))
                .col(string(JobOperations::Status, 20))
                .col(ts(JobOperations::CreatedAt))
                .col(ts(JobOperations::UpdatedAt))
                .col(int(JobOperations::Version))
                .foreign_key(&mut fk(
                    "fk_job_operations_job",
                    (JobOperations::Table, JobOperations::JobId),
                    (Jobs::Table, Jobs::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_job_operations_machine",
                    (JobOperations::Table, JobOperations::MachineId),
                    (Machines::Table, Machines::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_job_operations_supplier",
                    (JobOperations::Table, JobOperations::SupplierId),
                    (Partners::Table, Partners::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_job_operations_job",
            JobOperations::Table,
            vec![
                JobOperations::JobId.into_iden(),
                JobOperations::Position.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            m,
            "idx_job_operations_machine",
            JobOperations::Table,
            vec![JobOperations::MachineId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RoutingVersions::Table)
                .col(id(RoutingVersions::Id))
                .col(big(RoutingVersions::JobId))
                .col(int(RoutingVersions::Version))
                .col(text(RoutingVersions::Snapshot))
                .col(opt_text(RoutingVersions::Comment))
                .col(string(RoutingVersions::CreatedBy, 100))
                .col(ts(RoutingVersions::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_routing_versions_job",
                    (RoutingVersions::Table, RoutingVersions::JobId),
                    (Jobs::Table, Jobs::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_routing_versions_job",
            RoutingVersions::Table,
            vec![
                RoutingVersions::JobId.into_iden(),
                RoutingVersions::Version.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(MethodSheets::Table)
                .col(id(MethodSheets::Id))
                .col(big(MethodSheets::OperationId))
                .col(big(MethodSheets::JobId))
                .col(int(MethodSheets::Version))
                .col(text(MethodSheets::Content))
                .col(string(MethodSheets::UpdatedBy, 100))
                .col(ts(MethodSheets::CreatedAt))
                .col(ts(MethodSheets::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_method_sheets_operation",
                    (MethodSheets::Table, MethodSheets::OperationId),
                    (JobOperations::Table, JobOperations::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_method_sheets_job",
                    (MethodSheets::Table, MethodSheets::JobId),
                    (Jobs::Table, Jobs::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_method_sheets_operation",
            MethodSheets::Table,
            vec![MethodSheets::OperationId.into_iden()],
            true,
        )
        .await?;
        index(
            m,
            "idx_method_sheets_job",
            MethodSheets::Table,
            vec![MethodSheets::JobId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(MethodSheetVersions::Table)
                .col(id(MethodSheetVersions::Id))
                .col(big(MethodSheetVersions::MethodSheetId))
                .col(int(MethodSheetVersions::Version))
                .col(text(MethodSheetVersions::Content))
                .col(opt_text(MethodSheetVersions::Summary))
                .col(string(MethodSheetVersions::ChangedBy, 100))
                .col(ts(MethodSheetVersions::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_method_sheet_versions_sheet",
                    (
                        MethodSheetVersions::Table,
                        MethodSheetVersions::MethodSheetId,
                    ),
                    (MethodSheets::Table, MethodSheets::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_method_sheet_versions_sheet",
            MethodSheetVersions::Table,
            vec![
                MethodSheetVersions::MethodSheetId.into_iden(),
                MethodSheetVersions::Version.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Deliveries::Table)
                .col(id(Deliveries::Id))
                .col(string(Deliveries::Number, 32).unique_key())
                .col(big(Deliveries::OrderId))
                .col(ColumnDef::new(Deliveries::DeliveredOn).date().not_null())
                .col(ColumnDef::new(Deliveries::Packages).integer().null())
                .col(opt_str(Deliveries::WeightKg, 40))
                .col(opt_text(Deliveries::Notes))
                .col(string(Deliveries::CreatedBy, 100))
                .col(ts(Deliveries::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_deliveries_order",
                    (Deliveries::Table, Deliveries::OrderId),
                    (Orders::Table, Orders::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_deliveries_order",
            Deliveries::Table,
            vec![Deliveries::OrderId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(DeliveryLines::Table)
                .col(id(DeliveryLines::Id))
                .col(big(DeliveryLines::DeliveryId))
                .col(big(DeliveryLines::OrderLineId))
                .col(int(DeliveryLines::Quantity))
                .foreign_key(&mut fk(
                    "fk_delivery_lines_delivery",
                    (DeliveryLines::Table, DeliveryLines::DeliveryId),
                    (Deliveries::Table, Deliveries::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_delivery_lines_order_line",
                    (DeliveryLines::Table, DeliveryLines::OrderLineId),
                    (OrderLines::Table, OrderLines::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_delivery_lines_delivery",
            DeliveryLines::Table,
            vec![DeliveryLines::DeliveryId.into_iden()],
            false,
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            DeliveryLines::Table.into_iden(),
            Deliveries::Table.into_iden(),
            MethodSheetVersions::Table.into_iden(),
            MethodSheets::Table.into_iden(),
            RoutingVersions::Table.into_iden(),
            JobOperations::Table.into_iden(),
            Jobs::Table.into_iden(),
            OrderLines::Table.into_iden(),
            Orders::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
