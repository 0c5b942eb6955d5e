//! Shop-floor engines (docs/shop-floor.md, "Rules"): pure functions the shop-floor service calls.
//!
//! - [`sawing`]: which bars to cut for a débit operation (offcuts first, kerf and end trim).
//! - [`labor`]: measured labour time when an operator tends several operations at once.
//! - [`flow`]: operation status transitions, transfer-batch quantities, scrap cost.
//! - [`working_time`]: French working-time limits and overtime tiers (NORMS.md §9).
//!
//! Errors carry a French and an English message (`fr()`, `en()`), French first.

pub mod flow;
pub mod labor;
pub mod sawing;
pub mod working_time;

use rust_decimal::Decimal;

/// A decimal written the French way: no trailing zeros, comma as decimal separator (`70,5`).
pub(crate) fn fr_num(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

/// A decimal written the English way: no trailing zeros (`70.5`).
pub(crate) fn en_num(d: Decimal) -> String {
    d.normalize().to_string()
}
