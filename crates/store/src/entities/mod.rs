//! One module per table. The wire format is not these structs: services map them to views.

pub mod audit_head;
pub mod audit_log;
pub mod partner;
pub mod rate;
pub mod role_right;
pub mod session;
pub mod setting;
pub mod supplier_evaluation;
pub mod user;
