//! Business services of Gestion Usinage. One module per area; every rule lives here (or in a
//! pure engine), never in an HTTP handler or in the UI. Services take a [`ctx::Ctx`] (who is
//! acting, in which request) and the database, check rights, validate, write in one
//! transaction with its audit row, and return plain data.

pub mod alerts;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod bootstrap;
pub mod crm;
pub mod ctx;
pub mod demo;
pub mod error;
pub mod imports;
pub mod listing;
pub mod orders;
pub mod planning;
pub mod production;
pub mod quotes;
pub mod rates;
pub mod records;
pub mod resources;
pub mod rights;
pub mod settings;
pub mod setup;
pub mod shopfloor;
pub mod stock;
pub mod throttle;
pub mod timeclock;
pub mod units;
pub mod users;

pub use ctx::Ctx;
pub use error::{AppError, FieldError, Msg};
pub use usinage_store::Db;

/// Timestamps are stored and hashed with microsecond precision (PostgreSQL's resolution), so a
/// value read back equals the value written on both databases.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Utc};
    Utc::now().trunc_subsecs(6)
}

/// Today's calendar date in Europe/Paris (due dates, lateness, document dates).
pub fn paris_today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&usinage_documents::time::ParisTz)
        .date_naive()
}
