//! One module per table. The wire format is not these structs: services map them to views.

pub mod audit_head;
pub mod audit_log;
pub mod employee;
pub mod employee_certification;
pub mod employee_skill;
pub mod instrument;
pub mod instrument_calibration;
pub mod instrument_exception;
pub mod instrument_use;
pub mod machine;
pub mod role_right;
pub mod session;
pub mod setting;
pub mod user;
