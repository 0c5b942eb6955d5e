//! Foundation: accounts, sessions, rights matrix, audit trail, settings.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Login,
    FullName,
    Email,
    PasswordHash,
    Active,
    Roles,
    MustChangePassword,
    EmployeeId,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    AccessHash,
    RefreshHash,
    AccessExpiresAt,
    RefreshExpiresAt,
    CreatedAt,
    RevokedAt,
    ClientIp,
}

#[derive(DeriveIden)]
enum RoleRights {
    Table,
    Role,
    Module,
    Action,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    ActorLogin,
    EntityType,
    EntityId,
    Action,
    Before,
    After,
    RequestId,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    LastId,
    LastHash,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
    UpdatedAt,
}

fn ts(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(
                    ColumnDef::new(Users::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Users::Login)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Users::FullName).string_len(200).not_null())
                .col(ColumnDef::new(Users::Email).string_len(254).null())
                .col(
                    ColumnDef::new(Users::PasswordHash)
                        .string_len(255)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Users::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(
                    ColumnDef::new(Users::Roles)
                        .string_len(400)
                        .not_null()
                        .default(""),
                )
                .col(
                    ColumnDef::new(Users::MustChangePassword)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(ColumnDef::new(Users::EmployeeId).big_integer().null())
                .col(ts(Users::CreatedAt))
                .col(ts(Users::UpdatedAt))
                .col(
                    ColumnDef::new(Users::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(
                    ColumnDef::new(Sessions::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Sessions::UserId).big_integer().not_null())
                .col(
                    ColumnDef::new(Sessions::AccessHash)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(Sessions::RefreshHash)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(ts(Sessions::AccessExpiresAt))
                .col(ts(Sessions::RefreshExpiresAt))
                .col(ts(Sessions::CreatedAt))
                .col(
                    ColumnDef::new(Sessions::RevokedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(Sessions::ClientIp).string_len(64).null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RoleRights::Table)
                .col(ColumnDef::new(RoleRights::Role).string_len(32).not_null())
                .col(ColumnDef::new(RoleRights::Module).string_len(32).not_null())
                .col(ColumnDef::new(RoleRights::Action).string_len(16).not_null())
                .primary_key(
                    Index::create()
                        .col(RoleRights::Role)
                        .col(RoleRights::Module)
                        .col(RoleRights::Action),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(
                    ColumnDef::new(AuditLog::Id)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(AuditLog::At).string_len(40).not_null())
                .col(ColumnDef::new(AuditLog::ActorId).big_integer().null())
                .col(
                    ColumnDef::new(AuditLog::ActorLogin)
                        .string_len(64)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AuditLog::EntityType)
                        .string_len(64)
                        .not_null(),
                )
                .col(ColumnDef::new(AuditLog::EntityId).string_len(64).not_null())
                .col(ColumnDef::new(AuditLog::Action).string_len(64).not_null())
                .col(ColumnDef::new(AuditLog::Before).text().null())
                .col(ColumnDef::new(AuditLog::After).text().null())
                .col(
                    ColumnDef::new(AuditLog::RequestId)
                        .string_len(64)
                        .not_null(),
                )
                .col(ColumnDef::new(AuditLog::PrevHash).string_len(64).not_null())
                .col(ColumnDef::new(AuditLog::Hash).string_len(64).not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_entity")
                .table(AuditLog::Table)
                .col(AuditLog::EntityType)
                .col(AuditLog::EntityId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_actor")
                .table(AuditLog::Table)
                .col(AuditLog::ActorId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditHead::Table)
                .col(
                    ColumnDef::new(AuditHead::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(AuditHead::LastId).big_integer().not_null())
                .col(
                    ColumnDef::new(AuditHead::LastHash)
                        .string_len(64)
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(AuditHead::Table)
                .columns([AuditHead::Id, AuditHead::LastId, AuditHead::LastHash])
                .values_panic([
                    1.into(),
                    0i64.into(),
                    "0000000000000000000000000000000000000000000000000000000000000000".into(),
                ])
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Settings::Table)
                .col(
                    ColumnDef::new(Settings::Key)
                        .string_len(64)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Settings::Value).text().not_null())
                .col(ts(Settings::UpdatedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Settings::Table.into_iden(),
            AuditHead::Table.into_iden(),
            AuditLog::Table.into_iden(),
            RoleRights::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
