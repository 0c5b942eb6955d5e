//! Storage of Gestion Usinage: SeaORM entities and migrations that run on SQLite (embedded
//! default) and PostgreSQL (production on the NAS).
//!
//! Money and quantities are `rust_decimal` in the domain; SQLite drops the scale of decimals
//! (45.00 reads back 45), so decimal columns are stored as TEXT on both databases by the modules
//! that need them, and round-trip tests run on both.

pub mod db;
pub mod entities;
pub mod migrations;

pub use db::{Backend, Db};
pub use migrations::Migrator;
