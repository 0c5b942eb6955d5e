//! Resources: machines, measuring instruments (calibrations, exceptions, uses), employees
//! (skills, certifications). Dimensions and decimals are TEXT holding a canonical decimal;
//! money is integer cents; enumerations are short ASCII codes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Machines {
    Table,
    Id,
    Code,
    Name,
    Kind,
    Brand,
    Model,
    Year,
    Serial,
    CncController,
    TravelXMm,
    TravelYMm,
    TravelZMm,
    RotaryAxes,
    MaxSpindleRpm,
    SpindlePowerKw,
    SpindleTorqueNm,
    MaxBarDiameterMm,
    BarFeeder,
    ChuckTableSize,
    MaxPartMassKg,
    ToolMagazineSize,
    RapidTraverseMMin,
    CamSoftware,
    PostProcessorRef,
    HourCounterH,
    Status,
    Location,
    Photo,
    MachineRateCents,
    OperatorRateCents,
    Notes,
    Active,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Instruments {
    Table,
    Id,
    Code,
    Name,
    InstrumentType,
    RangeText,
    Resolution,
    Serial,
    Location,
    CalibrationIntervalMonths,
    LastCalibration,
    NextCalibration,
    LastResult,
    CertificateRef,
    Active,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum InstrumentCalibrations {
    Table,
    Id,
    InstrumentId,
    CalibratedOn,
    Result,
    CertificateNo,
    PerformedBy,
    Notes,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InstrumentExceptions {
    Table,
    Id,
    InstrumentId,
    Reason,
    ValidUntil,
    GrantedBy,
    GrantedByLogin,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InstrumentUses {
    Table,
    Id,
    InstrumentId,
    Reference,
    UsedOn,
    State,
    ExceptionId,
    UserId,
    UserLogin,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
    Matricule,
    FirstName,
    LastName,
    JobTitle,
    Category,
    HireDate,
    UserId,
    Active,
    WeeklyHours,
    HourlyCostCents,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum EmployeeSkills {
    Table,
    Id,
    EmployeeId,
    Skill,
    Level,
}

#[derive(DeriveIden)]
enum EmployeeCertifications {
    Table,
    Id,
    EmployeeId,
    Kind,
    Designation,
    IssuedOn,
    ExpiresOn,
    Active,
    CreatedAt,
    UpdatedAt,
    Version,
}

fn id(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn ts(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn text(c: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).null().to_owned()
}

fn req(c: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).not_null().to_owned()
}

fn dec(c: impl IntoIden) -> ColumnDef {
    text(c, 40)
}

fn flag(c: impl IntoIden, default: bool) -> ColumnDef {
    ColumnDef::new(c)
        .boolean()
        .not_null()
        .default(default)
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
                .table(Machines::Table)
                .col(id(Machines::Id))
                .col(req(Machines::Code, 20).unique_key().to_owned())
                .col(req(Machines::Name, 200))
                .col(req(Machines::Kind, 32))
                .col(text(Machines::Brand, 100))
                .col(text(Machines::Model, 100))
                .col(ColumnDef::new(Machines::Year).integer().null())
                .col(text(Machines::Serial, 100))
                .col(text(Machines::CncController, 32))
                .col(dec(Machines::TravelXMm))
                .col(dec(Machines::TravelYMm))
                .col(dec(Machines::TravelZMm))
                .col(text(Machines::RotaryAxes, 200))
                .col(ColumnDef::new(Machines::MaxSpindleRpm).integer().null())
                .col(dec(Machines::SpindlePowerKw))
                .col(dec(Machines::SpindleTorqueNm))
                .col(dec(Machines::MaxBarDiameterMm))
                .col(flag(Machines::BarFeeder, false))
                .col(text(Machines::ChuckTableSize, 100))
                .col(dec(Machines::MaxPartMassKg))
                .col(ColumnDef::new(Machines::ToolMagazineSize).integer().null())
                .col(dec(Machines::RapidTraverseMMin))
                .col(text(Machines::CamSoftware, 100))
                .col(text(Machines::PostProcessorRef, 200))
                .col(dec(Machines::HourCounterH))
                .col(req(Machines::Status, 32))
                .col(text(Machines::Location, 200))
                .col(ColumnDef::new(Machines::Photo).text().null())
                .col(
                    ColumnDef::new(Machines::MachineRateCents)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(Machines::OperatorRateCents)
                        .big_integer()
                        .null(),
                )
                .col(ColumnDef::new(Machines::Notes).text().null())
                .col(flag(Machines::Active, true))
                .col(ts(Machines::CreatedAt))
                .col(ts(Machines::UpdatedAt))
                .col(version(Machines::Version))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Instruments::Table)
                .col(id(Instruments::Id))
                .col(req(Instruments::Code, 20).unique_key().to_owned())
                .col(req(Instruments::Name, 200))
                .col(req(Instruments::InstrumentType, 32))
                .col(text(Instruments::RangeText, 100))
                .col(text(Instruments::Resolution, 100))
                .col(text(Instruments::Serial, 100))
                .col(text(Instruments::Location, 200))
                .col(
                    ColumnDef::new(Instruments::CalibrationIntervalMonths)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Instruments::LastCalibration).date().null())
                .col(ColumnDef::new(Instruments::NextCalibration).date().null())
                .col(text(Instruments::LastResult, 16))
                .col(text(Instruments::CertificateRef, 100))
                .col(flag(Instruments::Active, true))
                .col(ts(Instruments::CreatedAt))
                .col(ts(Instruments::UpdatedAt))
                .col(version(Instruments::Version))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(InstrumentCalibrations::Table)
                .col(id(InstrumentCalibrations::Id))
                .col(
                    ColumnDef::new(InstrumentCalibrations::InstrumentId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(InstrumentCalibrations::CalibratedOn)
                        .date()
                        .not_null(),
                )
                .col(req(InstrumentCalibrations::Result, 16))
                .col(text(InstrumentCalibrations::CertificateNo, 100))
                .col(req(InstrumentCalibrations::PerformedBy, 200))
                .col(ColumnDef::new(InstrumentCalibrations::Notes).text().null())
                .col(text(InstrumentCalibrations::CreatedBy, 64))
                .col(ts(InstrumentCalibrations::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            InstrumentCalibrations::Table,
                            InstrumentCalibrations::InstrumentId,
                        )
                        .to(Instruments::Table, Instruments::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_instrument_calibrations_instrument")
                .table(InstrumentCalibrations::Table)
                .col(InstrumentCalibrations::InstrumentId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(InstrumentExceptions::Table)
                .col(id(InstrumentExceptions::Id))
                .col(
                    ColumnDef::new(InstrumentExceptions::InstrumentId)
                        .big_integer()
                        .not_null(),
                )
                .col(req(InstrumentExceptions::Reason, 500))
                .col(
                    ColumnDef::new(InstrumentExceptions::ValidUntil)
                        .date()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(InstrumentExceptions::GrantedBy)
                        .big_integer()
                        .null(),
                )
                .col(text(InstrumentExceptions::GrantedByLogin, 64))
                .col(ts(InstrumentExceptions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            InstrumentExceptions::Table,
                            InstrumentExceptions::InstrumentId,
                        )
                        .to(Instruments::Table, Instruments::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_instrument_exceptions_instrument")
                .table(InstrumentExceptions::Table)
                .col(InstrumentExceptions::InstrumentId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(InstrumentUses::Table)
                .col(id(InstrumentUses::Id))
                .col(
                    ColumnDef::new(InstrumentUses::InstrumentId)
                        .big_integer()
                        .not_null(),
                )
                .col(req(InstrumentUses::Reference, 200))
                .col(ColumnDef::new(InstrumentUses::UsedOn).date().not_null())
                .col(req(InstrumentUses::State, 16))
                .col(
                    ColumnDef::new(InstrumentUses::ExceptionId)
                        .big_integer()
                        .null(),
                )
                .col(ColumnDef::new(InstrumentUses::UserId).big_integer().null())
                .col(text(InstrumentUses::UserLogin, 64))
                .col(ts(InstrumentUses::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(InstrumentUses::Table, InstrumentUses::InstrumentId)
                        .to(Instruments::Table, Instruments::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(InstrumentUses::Table, InstrumentUses::ExceptionId)
                        .to(InstrumentExceptions::Table, InstrumentExceptions::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_instrument_uses_instrument")
                .table(InstrumentUses::Table)
                .col(InstrumentUses::InstrumentId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Employees::Table)
                .col(id(Employees::Id))
                .col(req(Employees::Matricule, 20).unique_key().to_owned())
                .col(req(Employees::FirstName, 100))
                .col(req(Employees::LastName, 100))
                .col(text(Employees::JobTitle, 200))
                .col(req(Employees::Category, 32))
                .col(ColumnDef::new(Employees::HireDate).date().null())
                .col(
                    ColumnDef::new(Employees::UserId)
                        .big_integer()
                        .null()
                        .unique_key(),
                )
                .col(flag(Employees::Active, true))
                .col(req(Employees::WeeklyHours, 200))
                .col(
                    ColumnDef::new(Employees::HourlyCostCents)
                        .big_integer()
                        .null(),
                )
                .col(ts(Employees::CreatedAt))
                .col(ts(Employees::UpdatedAt))
                .col(version(Employees::Version))
                .foreign_key(
                    ForeignKey::create()
                        .from(Employees::Table, Employees::UserId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EmployeeSkills::Table)
                .col(id(EmployeeSkills::Id))
                .col(
                    ColumnDef::new(EmployeeSkills::EmployeeId)
                        .big_integer()
                        .not_null(),
                )
                .col(req(EmployeeSkills::Skill, 32))
                .col(ColumnDef::new(EmployeeSkills::Level).integer().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(EmployeeSkills::Table, EmployeeSkills::EmployeeId)
                        .to(Employees::Table, Employees::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_employee_skills")
                .table(EmployeeSkills::Table)
                .col(EmployeeSkills::EmployeeId)
                .col(EmployeeSkills::Skill)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EmployeeCertifications::Table)
                .col(id(EmployeeCertifications::Id))
                .col(
                    ColumnDef::new(EmployeeCertifications::EmployeeId)
                        .big_integer()
                        .not_null(),
                )
                .col(req(EmployeeCertifications::Kind, 32))
                .col(req(EmployeeCertifications::Designation, 300))
                .col(
                    ColumnDef::new(EmployeeCertifications::IssuedOn)
                        .date()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(EmployeeCertifications::ExpiresOn)
                        .date()
                        .null(),
                )
                .col(flag(EmployeeCertifications::Active, true))
                .col(ts(EmployeeCertifications::CreatedAt))
                .col(ts(EmployeeCertifications::UpdatedAt))
                .col(version(EmployeeCertifications::Version))
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            EmployeeCertifications::Table,
                            EmployeeCertifications::EmployeeId,
                        )
                        .to(Employees::Table, Employees::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_employee_certifications_employee")
                .table(EmployeeCertifications::Table)
                .col(EmployeeCertifications::EmployeeId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            EmployeeCertifications::Table.into_iden(),
            EmployeeSkills::Table.into_iden(),
            Employees::Table.into_iden(),
            InstrumentUses::Table.into_iden(),
            InstrumentExceptions::Table.into_iden(),
            InstrumentCalibrations::Table.into_iden(),
            Instruments::Table.into_iden(),
            Machines::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
