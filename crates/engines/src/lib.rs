//! Pure engines of Gestion Usinage: no database, no HTTP, no clock. Data in, data out.
//!
//! Each module documents the rule it implements and where the rule comes from, has unit and
//! property tests, and is benchmarked in `benches/engines.rs`.

pub mod audit_chain;
pub mod cutting;
pub mod estimate;
pub mod identifiers;
pub mod password_policy;
pub mod routing;
pub mod shopfloor;
pub mod stock;
