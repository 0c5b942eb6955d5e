//! Finite-capacity planning, pure (no database, no HTTP).
//!
//! - [`jobshop`]: the optimisation core — a flexible job shop (each operation may run on one of
//!   several machines, each with its own duration), solved by a constructive start and a tabu
//!   search on critical blocks, deterministic for a seed and an iteration budget. Measured on
//!   public instances (ft, la, ta, mk) by the `planner-bench` binary.
//! - [`shop`]: the shop model the application feeds — calendars, operators and skills, release
//!   dates, subcontracting lead times, frozen operations, due dates and priorities — turned
//!   into a dated plan through [`jobshop`], with validation messages in French, the diff
//!   between two plans (proposals) and event repair.

pub mod jobshop;
pub mod shop;
