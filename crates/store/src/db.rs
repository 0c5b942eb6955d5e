use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The database handle shared by every service.
///
/// Write transactions go through [`Db::write`]. On SQLite it takes an in-process lock first:
/// SQLite allows one writer at a time, and a deferred transaction that reads then writes fails
/// with `SQLITE_BUSY` instead of waiting when another writer got in between. Serialising writers
/// in the process (SQLite is single-server anyway) removes that failure mode; reads stay
/// concurrent thanks to WAL. On PostgreSQL writers run concurrently and rely on row locks.
#[derive(Clone)]
pub struct Db {
    pub conn: DatabaseConnection,
    backend: Backend,
    write_lock: Arc<Mutex<()>>,
}

/// A write transaction (holding the SQLite writer lock when relevant). Commit it explicitly;
/// dropping it rolls back.
pub struct WriteTx {
    pub tx: DatabaseTransaction,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}

impl Db {
    /// Connects to `sqlite://path?mode=rwc` or `postgres://…`. `schema` selects a PostgreSQL
    /// schema (used by tests to isolate each run).
    pub async fn connect(url: &str, schema: Option<&str>) -> Result<Db, DbErr> {
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(DbErr::Custom(format!(
                "URL de base de données non reconnue (sqlite:… ou postgres://…) : {url}"
            )));
        };
        let mut opts = ConnectOptions::new(url.to_string());
        opts.sqlx_logging(false)
            .acquire_timeout(Duration::from_secs(10));
        match backend {
            Backend::Sqlite => {
                opts.max_connections(8).min_connections(1);
                opts.map_sqlx_sqlite_opts(|o| {
                    o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                        .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(10))
                        .create_if_missing(true)
                });
            }
            Backend::Postgres => {
                opts.max_connections(16).min_connections(1);
                if let Some(s) = schema {
                    opts.set_schema_search_path(s.to_string());
                }
            }
        }
        let conn = Database::connect(opts).await?;
        Ok(Db {
            conn,
            backend,
            write_lock: Arc::new(Mutex::new(())),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn db_backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// Runs pending migrations.
    pub async fn migrate(&self) -> Result<(), DbErr> {
        crate::Migrator::up(&self.conn, None).await
    }

    /// Starts a write transaction (see the type's documentation).
    pub async fn write(&self) -> Result<WriteTx, DbErr> {
        let guard = match self.backend {
            Backend::Sqlite => Some(self.write_lock.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        let tx = self.conn.begin().await?;
        Ok(WriteTx { tx, _guard: guard })
    }

    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.execute_unprepared("SELECT 1").await.map(|_| ())
    }
}
