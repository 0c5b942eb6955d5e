//! Records addressed by their UI path (`clients/12`, `material-lots/3`): which module guards
//! them and whether one exists. Used by QR codes and attachments.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::rights::Module;
use usinage_store::Db;

/// Record kinds that have a QR code: UI path segment → module whose rights apply.
pub fn module_of(entity: &str) -> Option<Module> {
    match entity {
        "users" => Some(Module::Users),
        "tools" | "tool-purchase-requests" | "locations" => Some(Module::Tools),
        "materials" | "material-lots" | "material-stock" => Some(Module::Materials),
        "clients" | "suppliers" => Some(Module::Crm),
        "machines" => Some(Module::Machines),
        "instruments" => Some(Module::Instruments),
        "employees" => Some(Module::Hr),
        "orders" => Some(Module::Orders),
        "jobs" => Some(Module::Routings),
        "method-sheets" => Some(Module::MethodSheets),
        _ => None,
    }
}

/// Name of the record in the audit trail (`entity_type` of its history).
pub fn audit_type(entity: &str) -> Option<&'static str> {
    Some(match entity {
        "users" => "user",
        "tools" => "tool",
        "tool-purchase-requests" => "tool_purchase_request",
        "locations" => "storage_location",
        "materials" => "material_grade",
        "material-lots" => "material_lot",
        "material-stock" => "material_stock",
        "clients" => "client",
        "suppliers" => "supplier",
        "machines" => "machine",
        "instruments" => "instrument",
        "employees" => "employee",
        "orders" => "order",
        "jobs" => "job",
        "method-sheets" => "method_sheet",
        _ => return None,
    })
}

/// Whether the record exists (read through the services, so the caller's rights apply: a
/// missing read right is a 403, an unknown id `Ok(false)`).
pub async fn exists(db: &Db, ctx: &Ctx, entity: &str, id: i64) -> Result<bool, AppError> {
    use crate::crm::{self, PartnerKind};
    use crate::resources::{employees, instruments, machines};
    use crate::stock::{locations, materials as mat, tools};
    let found = match entity {
        "users" => crate::users::get(db, ctx, id).await.map(|_| ()),
        "machines" => machines::get(db, ctx, id).await.map(|_| ()),
        "instruments" => instruments::get(db, ctx, id).await.map(|_| ()),
        "employees" => employees::get(db, ctx, id).await.map(|_| ()),
        "clients" => crm::get(db, ctx, PartnerKind::Client, id).await.map(|_| ()),
        "suppliers" => crm::get(db, ctx, PartnerKind::Supplier, id)
            .await
            .map(|_| ()),
        "locations" => locations::get(db, ctx, id).await.map(|_| ()),
        "tools" => tools::get(db, ctx, id).await.map(|_| ()),
        "materials" => mat::get_grade(db, ctx, id).await.map(|_| ()),
        "material-lots" => mat::get_lot(db, ctx, id).await.map(|_| ()),
        "material-stock" => mat::get_stock(db, ctx, id).await.map(|_| ()),
        "tool-purchase-requests" => tools::get_request(db, ctx, id).await.map(|_| ()),
        "orders" => crate::orders::get(db, ctx, id, false).await.map(|_| ()),
        "jobs" => crate::production::get(db, ctx, id, false).await.map(|_| ()),
        "method-sheets" => crate::production::method_sheets::get(db, ctx, id)
            .await
            .map(|_| ()),
        _ => return Ok(false),
    };
    match found {
        Ok(()) => Ok(true),
        Err(e) if e.kind == crate::error::Kind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}
