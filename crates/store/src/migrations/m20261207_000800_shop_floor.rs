//! Shop floor (issue 7): operators' progress on job operations (who, quantities, measured and
//! declared time, scrap cost), work sessions and clock-in/out periods (`time_entries`, also the
//! correction and manual-entry requests), the action log that makes every floor action
//! idempotent (`shop_events`), scrap/rework records with the reasons qualité manages, comments
//! and improvement suggestions for méthode, and broken tools. Stock and instrument records get
//! the operation they were made for. Also the `(machine_id, job_id)` index the job list's
//! machine filter needs.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum JobOperations {
    Table,
    MachineId,
    JobId,
    AssignedUserId,
    QtyGood,
    QtyScrap,
    QtyRework,
    ActualMin,
    MachineMin,
    TimeStatus,
    StartedAt,
    FinishedAt,
    ScrapCostCents,
    ToolChanges,
    Status,
}

#[derive(DeriveIden)]
enum MaterialMovements {
    Table,
    OperationId,
}

#[derive(DeriveIden)]
enum ToolMovements {
    Table,
    OperationId,
}

#[derive(DeriveIden)]
enum InstrumentUses {
    Table,
    OperationId,
}

#[derive(DeriveIden)]
enum TimeEntries {
    Table,
    Id,
    UserId,
    EmployeeId,
    Kind,
    OperationId,
    JobId,
    MachineId,
    StartedAt,
    EndedAt,
    EndReason,
    EndNote,
    Minutes,
    MeasuredMin,
    Source,
    Status,
    Reason,
    RequestedBy,
    DecidedBy,
    DecidedAt,
    DecisionNote,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum ShopEvents {
    Table,
    Id,
    IdempotencyKey,
    UserId,
    OperationId,
    Kind,
    OccurredAt,
    RecordedAt,
    Payload,
    Response,
}

#[derive(DeriveIden)]
enum ScrapReasons {
    Table,
    Id,
    Code,
    Label,
    Active,
    Position,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum ScrapRecords {
    Table,
    Id,
    OperationId,
    JobId,
    Kind,
    Quantity,
    ReasonCode,
    Note,
    CostCents,
    UserId,
    UserLogin,
    At,
}

#[derive(DeriveIden)]
enum OperationComments {
    Table,
    Id,
    OperationId,
    JobId,
    Kind,
    Text,
    Status,
    UserId,
    UserLogin,
    HandledBy,
    HandledAt,
    HandledNote,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ToolBreakages {
    Table,
    Id,
    OperationId,
    JobId,
    ToolId,
    ReplacementToolId,
    ToolMovementId,
    PurchaseRequestId,
    Status,
    Note,
    ConditionsJson,
    UserId,
    UserLogin,
    At,
}

#[derive(DeriveIden)]
enum Users {
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
fn int0<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).integer().not_null().default(0).to_owned()
}
fn string<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).not_null().to_owned()
}
fn opt_str<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).null().to_owned()
}
fn text<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).text().not_null().to_owned()
}
fn opt_text<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).text().null().to_owned()
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

/// SQLite adds one column per ALTER TABLE.
async fn add<T: IntoIden>(m: &SchemaManager<'_>, table: T, col: ColumnDef) -> Result<(), DbErr> {
    m.alter_table(
        Table::alter()
            .table(table)
            .add_column(col.to_owned())
            .to_owned(),
    )
    .await
}

const REASONS: &[(&str, &str)] = &[
    ("cote_hors_tolerance", "Cote hors tolérance"),
    ("defaut_matiere", "Défaut matière"),
    ("piece_reglage", "Pièce de réglage"),
    ("casse_usure_outil", "Casse ou usure d'outil"),
    ("etat_surface", "État de surface non conforme"),
    ("choc_manutention", "Choc / manutention"),
    ("erreur_programme", "Erreur de programme"),
    ("autre", "Autre"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let t = || JobOperations::Table;
        add(m, t(), opt_big(JobOperations::AssignedUserId)).await?;
        add(m, t(), int0(JobOperations::QtyGood)).await?;
        add(m, t(), int0(JobOperations::QtyScrap)).await?;
        add(m, t(), int0(JobOperations::QtyRework)).await?;
        add(m, t(), opt_str(JobOperations::ActualMin, 32)).await?;
        add(m, t(), opt_str(JobOperations::MachineMin, 32)).await?;
        add(m, t(), opt_str(JobOperations::TimeStatus, 20)).await?;
        add(m, t(), opt_ts(JobOperations::StartedAt)).await?;
        add(m, t(), opt_ts(JobOperations::FinishedAt)).await?;
        add(
            m,
            t(),
            ColumnDef::new(JobOperations::ScrapCostCents)
                .big_integer()
                .not_null()
                .default(0)
                .to_owned(),
        )
        .await?;
        add(m, t(), int0(JobOperations::ToolChanges)).await?;
        index(
            m,
            "idx_job_operations_machine_job",
            JobOperations::Table,
            vec![
                JobOperations::MachineId.into_iden(),
                JobOperations::JobId.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            m,
            "idx_job_operations_assigned_status",
            JobOperations::Table,
            vec![
                JobOperations::AssignedUserId.into_iden(),
                JobOperations::Status.into_iden(),
            ],
            false,
        )
        .await?;
        add(
            m,
            MaterialMovements::Table,
            opt_big(MaterialMovements::OperationId),
        )
        .await?;
        add(m, ToolMovements::Table, opt_big(ToolMovements::OperationId)).await?;
        add(
            m,
            InstrumentUses::Table,
            opt_big(InstrumentUses::OperationId),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TimeEntries::Table)
                .col(id(TimeEntries::Id))
                .col(big(TimeEntries::UserId))
                .col(opt_big(TimeEntries::EmployeeId))
                .col(string(TimeEntries::Kind, 20))
                .col(opt_big(TimeEntries::OperationId))
                .col(opt_big(TimeEntries::JobId))
                .col(opt_big(TimeEntries::MachineId))
                .col(ts(TimeEntries::StartedAt))
                .col(opt_ts(TimeEntries::EndedAt))
                .col(opt_str(TimeEntries::EndReason, 40))
                .col(opt_text(TimeEntries::EndNote))
                .col(opt_str(TimeEntries::Minutes, 32))
                .col(opt_str(TimeEntries::MeasuredMin, 32))
                .col(string(TimeEntries::Source, 20))
                .col(string(TimeEntries::Status, 20))
                .col(opt_text(TimeEntries::Reason))
                .col(string(TimeEntries::RequestedBy, 100))
                .col(opt_str(TimeEntries::DecidedBy, 100))
                .col(opt_ts(TimeEntries::DecidedAt))
                .col(opt_text(TimeEntries::DecisionNote))
                .col(ts(TimeEntries::CreatedAt))
                .col(ts(TimeEntries::UpdatedAt))
                .col(int(TimeEntries::Version))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_time_entries_user")
                        .from(TimeEntries::Table, TimeEntries::UserId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_time_entries_user_start",
            TimeEntries::Table,
            vec![
                TimeEntries::UserId.into_iden(),
                TimeEntries::StartedAt.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            m,
            "idx_time_entries_operation",
            TimeEntries::Table,
            vec![TimeEntries::OperationId.into_iden()],
            false,
        )
        .await?;
        index(
            m,
            "idx_time_entries_status",
            TimeEntries::Table,
            vec![TimeEntries::Status.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ShopEvents::Table)
                .col(id(ShopEvents::Id))
                .col(opt_str(ShopEvents::IdempotencyKey, 100))
                .col(big(ShopEvents::UserId))
                .col(opt_big(ShopEvents::OperationId))
                .col(string(ShopEvents::Kind, 30))
                .col(ts(ShopEvents::OccurredAt))
                .col(ts(ShopEvents::RecordedAt))
                .col(text(ShopEvents::Payload))
                .col(opt_text(ShopEvents::Response))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_shop_events_user_key",
            ShopEvents::Table,
            vec![
                ShopEvents::UserId.into_iden(),
                ShopEvents::IdempotencyKey.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            m,
            "idx_shop_events_operation",
            ShopEvents::Table,
            vec![ShopEvents::OperationId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ScrapReasons::Table)
                .col(id(ScrapReasons::Id))
                .col(string(ScrapReasons::Code, 40).unique_key())
                .col(string(ScrapReasons::Label, 200))
                .col(ColumnDef::new(ScrapReasons::Active).boolean().not_null())
                .col(int(ScrapReasons::Position))
                .col(ts(ScrapReasons::CreatedAt))
                .col(ts(ScrapReasons::UpdatedAt))
                .col(int(ScrapReasons::Version))
                .to_owned(),
        )
        .await?;
        // Microseconds, as everywhere (PostgreSQL's resolution; backups compare equal).
        let now = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
        let mut ins = Query::insert()
            .into_table(ScrapReasons::Table)
            .columns([
                ScrapReasons::Code,
                ScrapReasons::Label,
                ScrapReasons::Active,
                ScrapReasons::Position,
                ScrapReasons::CreatedAt,
                ScrapReasons::UpdatedAt,
                ScrapReasons::Version,
            ])
            .to_owned();
        for (i, (code, label)) in REASONS.iter().enumerate() {
            ins.values_panic([
                (*code).into(),
                (*label).into(),
                true.into(),
                ((i as i32 + 1) * 10).into(),
                now.into(),
                now.into(),
                1.into(),
            ]);
        }
        m.exec_stmt(ins).await?;

        m.create_table(
            Table::create()
                .table(ScrapRecords::Table)
                .col(id(ScrapRecords::Id))
                .col(big(ScrapRecords::OperationId))
                .col(big(ScrapRecords::JobId))
                .col(string(ScrapRecords::Kind, 20))
                .col(int(ScrapRecords::Quantity))
                .col(opt_str(ScrapRecords::ReasonCode, 40))
                .col(opt_text(ScrapRecords::Note))
                .col(big(ScrapRecords::CostCents))
                .col(opt_big(ScrapRecords::UserId))
                .col(string(ScrapRecords::UserLogin, 100))
                .col(ts(ScrapRecords::At))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_scrap_records_job",
            ScrapRecords::Table,
            vec![ScrapRecords::JobId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OperationComments::Table)
                .col(id(OperationComments::Id))
                .col(big(OperationComments::OperationId))
                .col(big(OperationComments::JobId))
                .col(string(OperationComments::Kind, 20))
                .col(text(OperationComments::Text))
                .col(string(OperationComments::Status, 20))
                .col(opt_big(OperationComments::UserId))
                .col(string(OperationComments::UserLogin, 100))
                .col(opt_str(OperationComments::HandledBy, 100))
                .col(opt_ts(OperationComments::HandledAt))
                .col(opt_text(OperationComments::HandledNote))
                .col(ts(OperationComments::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ToolBreakages::Table)
                .col(id(ToolBreakages::Id))
                .col(big(ToolBreakages::OperationId))
                .col(big(ToolBreakages::JobId))
                .col(big(ToolBreakages::ToolId))
                .col(opt_big(ToolBreakages::ReplacementToolId))
                .col(opt_big(ToolBreakages::ToolMovementId))
                .col(opt_big(ToolBreakages::PurchaseRequestId))
                .col(string(ToolBreakages::Status, 30))
                .col(opt_text(ToolBreakages::Note))
                .col(opt_text(ToolBreakages::ConditionsJson))
                .col(opt_big(ToolBreakages::UserId))
                .col(string(ToolBreakages::UserLogin, 100))
                .col(ts(ToolBreakages::At))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ToolBreakages::Table.into_iden(),
            OperationComments::Table.into_iden(),
            ScrapRecords::Table.into_iden(),
            ScrapReasons::Table.into_iden(),
            ShopEvents::Table.into_iden(),
            TimeEntries::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
