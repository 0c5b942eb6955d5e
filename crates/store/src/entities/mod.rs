//! One module per table. The wire format is not these structs: services map them to views.

pub mod audit_head;
pub mod audit_log;
pub mod material_grade;
pub mod material_lot;
pub mod material_minimum;
pub mod material_movement;
pub mod material_stock;
pub mod partner;
pub mod rate;
pub mod role_right;
pub mod session;
pub mod setting;
pub mod stock_reservation;
pub mod storage_location;
pub mod supplier_evaluation;
pub mod tool;
pub mod tool_cutting_data;
pub mod tool_movement;
pub mod tool_purchase_request;
pub mod tool_stock;
pub mod user;
