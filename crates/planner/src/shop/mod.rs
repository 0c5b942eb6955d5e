//! The shop model (calendars, people, due dates) on top of [`crate::jobshop`].
//!
//! Contract (signatures fixed, used by the application):
//! - [`plan`]: the whole shop from scratch;
//! - [`repair`]: after an event, keeping what is still valid;
//! - [`diff`]: what a proposal changes;
//! - [`check_move`]: a drag on the Gantt, accepted (with its recomputed end) or refused with
//!   the reasons;
//! - [`working_time`]: French working-time limits and overtime;
//! - [`french_public_holidays`], [`weekly_capacity_min`].
//!
//! See docs/planner.md for the model (time axis, mapping to the core, weights, diagnostics,
//! repair policy).

mod build;
pub mod calendar;
mod check;
mod decode;
mod diff;
pub mod model;
mod out;
mod plan;
mod repair;
#[doc(hidden)]
pub mod sample;
mod working_time;

pub use calendar::{french_public_holidays, weekly_capacity_min};
pub use check::check_move;
pub use diff::diff;
pub use model::*;
pub use plan::plan;
pub use repair::repair;
pub use working_time::{planned_minutes_by_day, working_time};
#[cfg(test)]
mod tests;
mod verify;

pub use verify::verify_plan;
