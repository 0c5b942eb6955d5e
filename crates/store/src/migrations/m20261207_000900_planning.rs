//! Planning (issue 8): working calendars (the shop's default week and one per machine or
//! person), shop closures, unavailabilities (absences, maintenance, breakdowns), the current plan
//! (`planned_operations`, one row per planned job operation, with its revision in
//! `planning_state`) and the planner's proposals, which a manager accepts or rejects. Jobs get a
//! priority and the automatic sur-urgent flag; machines their number of identical stations and
//! whether they run unattended.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Priority,
    SurUrgent,
}

#[derive(DeriveIden)]
enum Machines {
    Table,
    Stations,
    UnattendedRun,
}

#[derive(DeriveIden)]
enum WorkCalendars {
    Table,
    Id,
    Scope,
    ResourceId,
    ShiftsJson,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum ShopClosures {
    Table,
    Id,
    Day,
    Label,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Unavailabilities {
    Table,
    Id,
    ResourceKind,
    ResourceId,
    StartsAt,
    EndsAt,
    Kind,
    Reason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum PlanProposals {
    Table,
    Id,
    Number,
    Trigger,
    TriggerRef,
    Status,
    RequiresValidation,
    BaseRevision,
    PlanJson,
    DiffJson,
    KpisJson,
    Summary,
    MovesCount,
    LateJobs,
    CreatedBy,
    CreatedAt,
    DecidedBy,
    DecidedAt,
    DecisionNote,
    Version,
}

#[derive(DeriveIden)]
enum PlannedOperations {
    Table,
    Id,
    OperationId,
    JobId,
    MachineId,
    EmployeeId,
    StartsAt,
    EndsAt,
    WorkMin,
    SetupMin,
    Pinned,
    ProposalId,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RoleRights {
    Table,
    Role,
    Module,
    Action,
}

#[derive(DeriveIden)]
enum PlanningState {
    Table,
    Id,
    Revision,
    UpdatedBy,
    UpdatedAt,
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

fn flag<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .boolean()
        .not_null()
        .default(false)
        .to_owned()
}

/// The chef d'atelier now validates plan proposals (issue 8). A fresh install gets it from the
/// default matrix, seeded after the migrations when `role_rights` is empty; an existing install
/// gets the one row here, unless it is there already.
async fn grant_chef_validation(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let backend = db.get_database_backend();
    let count = |q: SelectStatement| {
        let stmt = backend.build(&q);
        async move {
            let row = db.query_one_raw(stmt).await?;
            Ok::<i64, DbErr>(match row {
                Some(r) => r.try_get_by_index::<i64>(0)?,
                None => 0,
            })
        }
    };
    let any = count(
        Query::select()
            .expr(Expr::col(RoleRights::Role).count())
            .from(RoleRights::Table)
            .to_owned(),
    )
    .await?;
    if any == 0 {
        return Ok(());
    }
    let has = count(
        Query::select()
            .expr(Expr::col(RoleRights::Role).count())
            .from(RoleRights::Table)
            .and_where(Expr::col(RoleRights::Role).eq("chef_atelier"))
            .and_where(Expr::col(RoleRights::Module).eq("planning"))
            .and_where(Expr::col(RoleRights::Action).eq("validate"))
            .to_owned(),
    )
    .await?;
    if has == 0 {
        m.exec_stmt(
            Query::insert()
                .into_table(RoleRights::Table)
                .columns([RoleRights::Role, RoleRights::Module, RoleRights::Action])
                .values_panic(["chef_atelier".into(), "planning".into(), "validate".into()])
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add(m, Jobs::Table, int0(Jobs::Priority)).await?;
        add(m, Jobs::Table, flag(Jobs::SurUrgent)).await?;
        add(
            m,
            Machines::Table,
            ColumnDef::new(Machines::Stations)
                .integer()
                .not_null()
                .default(1)
                .to_owned(),
        )
        .await?;
        add(m, Machines::Table, flag(Machines::UnattendedRun)).await?;

        m.create_table(
            Table::create()
                .table(WorkCalendars::Table)
                .col(id(WorkCalendars::Id))
                .col(string(WorkCalendars::Scope, 20))
                .col(big(WorkCalendars::ResourceId))
                .col(text(WorkCalendars::ShiftsJson))
                .col(ts(WorkCalendars::CreatedAt))
                .col(ts(WorkCalendars::UpdatedAt))
                .col(int(WorkCalendars::Version))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_work_calendars_scope_resource",
            WorkCalendars::Table,
            vec![
                WorkCalendars::Scope.into_iden(),
                WorkCalendars::ResourceId.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ShopClosures::Table)
                .col(id(ShopClosures::Id))
                .col(
                    ColumnDef::new(ShopClosures::Day)
                        .date()
                        .not_null()
                        .unique_key(),
                )
                .col(string(ShopClosures::Label, 200))
                .col(ts(ShopClosures::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Unavailabilities::Table)
                .col(id(Unavailabilities::Id))
                .col(string(Unavailabilities::ResourceKind, 20))
                .col(big(Unavailabilities::ResourceId))
                .col(ts(Unavailabilities::StartsAt))
                .col(ts(Unavailabilities::EndsAt))
                .col(string(Unavailabilities::Kind, 30))
                .col(opt_text(Unavailabilities::Reason))
                .col(string(Unavailabilities::CreatedBy, 100))
                .col(ts(Unavailabilities::CreatedAt))
                .col(ts(Unavailabilities::UpdatedAt))
                .col(int(Unavailabilities::Version))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_unavailabilities_resource",
            Unavailabilities::Table,
            vec![
                Unavailabilities::ResourceKind.into_iden(),
                Unavailabilities::ResourceId.into_iden(),
            ],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PlanProposals::Table)
                .col(id(PlanProposals::Id))
                .col(
                    ColumnDef::new(PlanProposals::Number)
                        .string_len(30)
                        .not_null()
                        .unique_key(),
                )
                .col(string(PlanProposals::Trigger, 30))
                .col(opt_str(PlanProposals::TriggerRef, 200))
                .col(string(PlanProposals::Status, 20))
                .col(flag(PlanProposals::RequiresValidation))
                .col(int(PlanProposals::BaseRevision))
                .col(text(PlanProposals::PlanJson))
                .col(text(PlanProposals::DiffJson))
                .col(text(PlanProposals::KpisJson))
                .col(opt_text(PlanProposals::Summary))
                .col(int0(PlanProposals::MovesCount))
                .col(int0(PlanProposals::LateJobs))
                .col(string(PlanProposals::CreatedBy, 100))
                .col(ts(PlanProposals::CreatedAt))
                .col(opt_str(PlanProposals::DecidedBy, 100))
                .col(opt_ts(PlanProposals::DecidedAt))
                .col(opt_text(PlanProposals::DecisionNote))
                .col(int(PlanProposals::Version))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_plan_proposals_status",
            PlanProposals::Table,
            vec![PlanProposals::Status.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PlannedOperations::Table)
                .col(id(PlannedOperations::Id))
                .col(
                    ColumnDef::new(PlannedOperations::OperationId)
                        .big_integer()
                        .not_null()
                        .unique_key(),
                )
                .col(big(PlannedOperations::JobId))
                .col(opt_big(PlannedOperations::MachineId))
                .col(opt_big(PlannedOperations::EmployeeId))
                .col(ts(PlannedOperations::StartsAt))
                .col(ts(PlannedOperations::EndsAt))
                .col(big(PlannedOperations::WorkMin))
                .col(big(PlannedOperations::SetupMin))
                .col(flag(PlannedOperations::Pinned))
                .col(opt_big(PlannedOperations::ProposalId))
                .col(string(PlannedOperations::UpdatedBy, 100))
                .col(ts(PlannedOperations::UpdatedAt))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_planned_operations_machine",
            PlannedOperations::Table,
            vec![PlannedOperations::MachineId.into_iden()],
            false,
        )
        .await?;
        index(
            m,
            "idx_planned_operations_employee",
            PlannedOperations::Table,
            vec![PlannedOperations::EmployeeId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PlanningState::Table)
                .col(
                    ColumnDef::new(PlanningState::Id)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(int(PlanningState::Revision))
                .col(string(PlanningState::UpdatedBy, 100))
                .col(ts(PlanningState::UpdatedAt))
                .to_owned(),
        )
        .await?;
        let now = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
        m.exec_stmt(
            Query::insert()
                .into_table(PlanningState::Table)
                .columns([
                    PlanningState::Id,
                    PlanningState::Revision,
                    PlanningState::UpdatedBy,
                    PlanningState::UpdatedAt,
                ])
                .values_panic([1i64.into(), 0i32.into(), "system".into(), now.into()])
                .to_owned(),
        )
        .await?;
        grant_chef_validation(m).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            PlanningState::Table.into_iden(),
            PlannedOperations::Table.into_iden(),
            PlanProposals::Table.into_iden(),
            Unavailabilities::Table.into_iden(),
            ShopClosures::Table.into_iden(),
            WorkCalendars::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
