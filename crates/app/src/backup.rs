//! Backup and restore, identical on SQLite and PostgreSQL: a JSON document with every business
//! table, read and written through the entities (so types convert between the two databases).
//! Sessions are not saved: after a restore everybody logs in again.

use crate::error::AppError;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder, Statement};
use serde::{Deserialize, Serialize};
use usinage_store::entities::{
    attachment, audit_head, audit_log, delivery, delivery_line, employee, employee_certification,
    employee_skill, file_blob, instrument, instrument_calibration, instrument_exception,
    instrument_use, job, job_operation, machine, material_grade, material_lot, material_minimum,
    material_movement, material_stock, method_sheet, method_sheet_version, operation_comment,
    order, order_line, partner, plan_proposal, planned_operation, planning_state, quote,
    quote_line, quote_revision, rate, role_right, routing_version, scrap_reason, scrap_record,
    setting, shop_closure, shop_event, stock_reservation, storage_location, supplier_evaluation,
    time_entry, tool, tool_breakage, tool_cutting_data, tool_movement, tool_purchase_request,
    tool_stock, unavailability, user, work_calendar,
};
use usinage_store::{Backend, Db};

pub const FORMAT: &str = "gestion-usinage-backup";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tables {
    pub users: Vec<user::Model>,
    pub role_rights: Vec<role_right::Model>,
    pub settings: Vec<setting::Model>,
    pub audit_log: Vec<audit_log::Model>,
    pub audit_head: Vec<audit_head::Model>,
    // Resources (machines, instruments, people); `default` keeps older backups readable.
    #[serde(default)]
    pub machines: Vec<machine::Model>,
    #[serde(default)]
    pub instruments: Vec<instrument::Model>,
    #[serde(default)]
    pub instrument_calibrations: Vec<instrument_calibration::Model>,
    #[serde(default)]
    pub instrument_exceptions: Vec<instrument_exception::Model>,
    #[serde(default)]
    pub instrument_uses: Vec<instrument_use::Model>,
    #[serde(default)]
    pub employees: Vec<employee::Model>,
    #[serde(default)]
    pub employee_skills: Vec<employee_skill::Model>,
    #[serde(default)]
    pub employee_certifications: Vec<employee_certification::Model>,
    #[serde(default)]
    pub partners: Vec<partner::Model>,
    #[serde(default)]
    pub supplier_evaluations: Vec<supplier_evaluation::Model>,
    #[serde(default)]
    pub rates: Vec<rate::Model>,
    pub stock: StockTables,
    /// Attached files with their bytes (base64).
    #[serde(default)]
    pub files: FileTables,
    /// Quotes and their lines (drawings are in `files.file_blobs`).
    #[serde(default)]
    pub quotes: QuoteTables,
    /// Orders, jobs, routings, method sheets, deliveries.
    #[serde(default)]
    pub production: ProductionTables,
    /// Shop floor: work sessions and clock periods, floor actions, scrap, comments, broken tools.
    #[serde(default)]
    pub shop_floor: ShopFloorTables,
    /// Planning: calendars, closures, unavailabilities, proposals, the current plan.
    #[serde(default)]
    pub planning: PlanningTables,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PlanningTables {
    pub work_calendars: Vec<work_calendar::Model>,
    pub shop_closures: Vec<shop_closure::Model>,
    pub unavailabilities: Vec<unavailability::Model>,
    pub plan_proposals: Vec<plan_proposal::Model>,
    pub planned_operations: Vec<planned_operation::Model>,
    pub planning_state: Vec<planning_state::Model>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ShopFloorTables {
    pub time_entries: Vec<time_entry::Model>,
    pub shop_events: Vec<shop_event::Model>,
    pub scrap_reasons: Vec<scrap_reason::Model>,
    pub scrap_records: Vec<scrap_record::Model>,
    pub operation_comments: Vec<operation_comment::Model>,
    pub tool_breakages: Vec<tool_breakage::Model>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ProductionTables {
    pub orders: Vec<order::Model>,
    pub order_lines: Vec<order_line::Model>,
    pub jobs: Vec<job::Model>,
    pub job_operations: Vec<job_operation::Model>,
    pub routing_versions: Vec<routing_version::Model>,
    pub method_sheets: Vec<method_sheet::Model>,
    pub method_sheet_versions: Vec<method_sheet_version::Model>,
    pub deliveries: Vec<delivery::Model>,
    pub delivery_lines: Vec<delivery_line::Model>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct QuoteTables {
    pub quotes: Vec<quote::Model>,
    pub quote_lines: Vec<quote_line::Model>,
    pub quote_revisions: Vec<quote_revision::Model>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FileTables {
    pub file_blobs: Vec<file_blob::Model>,
    pub attachments: Vec<attachment::Model>,
}

/// Stock module tables (locations, tools, materials, reservations).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct StockTables {
    pub storage_locations: Vec<storage_location::Model>,
    pub tools: Vec<tool::Model>,
    pub tool_cutting_data: Vec<tool_cutting_data::Model>,
    pub tool_stock: Vec<tool_stock::Model>,
    pub tool_movements: Vec<tool_movement::Model>,
    pub tool_purchase_requests: Vec<tool_purchase_request::Model>,
    pub material_grades: Vec<material_grade::Model>,
    pub material_lots: Vec<material_lot::Model>,
    pub material_stock: Vec<material_stock::Model>,
    pub material_movements: Vec<material_movement::Model>,
    pub material_minimums: Vec<material_minimum::Model>,
    pub stock_reservations: Vec<stock_reservation::Model>,
}

macro_rules! all_by_id {
    ($tx:expr, $entity:ident) => {
        $entity::Entity::find()
            .order_by_asc($entity::Column::Id)
            .all($tx)
            .await?
    };
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Backup {
    pub format: String,
    pub format_version: u32,
    pub app_version: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub source_database: String,
    pub tables: Tables,
}

pub async fn dump(db: &Db) -> Result<Backup, AppError> {
    // One read transaction: a consistent snapshot even while the server runs.
    let tx = sea_orm::TransactionTrait::begin(&db.conn).await?;
    let tables = Tables {
        users: user::Entity::find()
            .order_by_asc(user::Column::Id)
            .all(&tx)
            .await?,
        role_rights: role_right::Entity::find().all(&tx).await?,
        settings: setting::Entity::find().all(&tx).await?,
        audit_log: audit_log::Entity::find()
            .order_by_asc(audit_log::Column::Id)
            .all(&tx)
            .await?,
        audit_head: audit_head::Entity::find().all(&tx).await?,
        machines: machine::Entity::find()
            .order_by_asc(machine::Column::Id)
            .all(&tx)
            .await?,
        instruments: instrument::Entity::find()
            .order_by_asc(instrument::Column::Id)
            .all(&tx)
            .await?,
        instrument_calibrations: instrument_calibration::Entity::find()
            .order_by_asc(instrument_calibration::Column::Id)
            .all(&tx)
            .await?,
        instrument_exceptions: instrument_exception::Entity::find()
            .order_by_asc(instrument_exception::Column::Id)
            .all(&tx)
            .await?,
        instrument_uses: instrument_use::Entity::find()
            .order_by_asc(instrument_use::Column::Id)
            .all(&tx)
            .await?,
        employees: employee::Entity::find()
            .order_by_asc(employee::Column::Id)
            .all(&tx)
            .await?,
        employee_skills: employee_skill::Entity::find()
            .order_by_asc(employee_skill::Column::Id)
            .all(&tx)
            .await?,
        employee_certifications: employee_certification::Entity::find()
            .order_by_asc(employee_certification::Column::Id)
            .all(&tx)
            .await?,
        partners: partner::Entity::find()
            .order_by_asc(partner::Column::Id)
            .all(&tx)
            .await?,
        supplier_evaluations: supplier_evaluation::Entity::find()
            .order_by_asc(supplier_evaluation::Column::Id)
            .all(&tx)
            .await?,
        rates: rate::Entity::find()
            .order_by_asc(rate::Column::Id)
            .all(&tx)
            .await?,
        stock: StockTables {
            storage_locations: all_by_id!(&tx, storage_location),
            tools: all_by_id!(&tx, tool),
            tool_cutting_data: all_by_id!(&tx, tool_cutting_data),
            tool_stock: all_by_id!(&tx, tool_stock),
            tool_movements: all_by_id!(&tx, tool_movement),
            tool_purchase_requests: all_by_id!(&tx, tool_purchase_request),
            material_grades: all_by_id!(&tx, material_grade),
            material_lots: all_by_id!(&tx, material_lot),
            material_stock: all_by_id!(&tx, material_stock),
            material_movements: all_by_id!(&tx, material_movement),
            material_minimums: all_by_id!(&tx, material_minimum),
            stock_reservations: all_by_id!(&tx, stock_reservation),
        },
        files: FileTables {
            file_blobs: all_by_id!(&tx, file_blob),
            attachments: all_by_id!(&tx, attachment),
        },
        quotes: QuoteTables {
            quotes: all_by_id!(&tx, quote),
            quote_lines: all_by_id!(&tx, quote_line),
            quote_revisions: all_by_id!(&tx, quote_revision),
        },
        production: ProductionTables {
            orders: all_by_id!(&tx, order),
            order_lines: all_by_id!(&tx, order_line),
            jobs: all_by_id!(&tx, job),
            job_operations: all_by_id!(&tx, job_operation),
            routing_versions: all_by_id!(&tx, routing_version),
            method_sheets: all_by_id!(&tx, method_sheet),
            method_sheet_versions: all_by_id!(&tx, method_sheet_version),
            deliveries: all_by_id!(&tx, delivery),
            delivery_lines: all_by_id!(&tx, delivery_line),
        },
        shop_floor: ShopFloorTables {
            time_entries: all_by_id!(&tx, time_entry),
            shop_events: all_by_id!(&tx, shop_event),
            scrap_reasons: all_by_id!(&tx, scrap_reason),
            scrap_records: all_by_id!(&tx, scrap_record),
            operation_comments: all_by_id!(&tx, operation_comment),
            tool_breakages: all_by_id!(&tx, tool_breakage),
        },
        planning: PlanningTables {
            work_calendars: all_by_id!(&tx, work_calendar),
            shop_closures: all_by_id!(&tx, shop_closure),
            unavailabilities: all_by_id!(&tx, unavailability),
            plan_proposals: all_by_id!(&tx, plan_proposal),
            planned_operations: all_by_id!(&tx, planned_operation),
            planning_state: all_by_id!(&tx, planning_state),
        },
    };
    tx.commit().await?;
    Ok(Backup {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").into(),
        created_at: crate::now(),
        source_database: db.backend().as_str().into(),
        tables,
    })
}

macro_rules! insert_all {
    ($tx:expr, $entity:ident, $rows:expr) => {
        for chunk in $rows.chunks(200) {
            let models: Vec<$entity::ActiveModel> = chunk.iter().cloned().map(Into::into).collect();
            if !models.is_empty() {
                $entity::Entity::insert_many(models)
                    .exec_without_returning($tx)
                    .await?;
            }
        }
    };
}

/// Restores into an empty database (migrated, no accounts, no audit rows), all or nothing.
pub async fn restore(db: &Db, b: Backup) -> Result<(), AppError> {
    if b.format != FORMAT || b.format_version != FORMAT_VERSION {
        return Err(AppError::bad_request(
            format!(
                "Ce fichier n'est pas une sauvegarde Gestion Usinage au format {FORMAT_VERSION}."
            ),
            format!("This file is not a Gestion Usinage backup in format {FORMAT_VERSION}."),
        ));
    }
    let tx = db.write().await?;
    let users = user::Entity::find().count(&tx.tx).await?;
    let audits = audit_log::Entity::find().count(&tx.tx).await?;
    if users > 0 || audits > 0 {
        return Err(AppError::new(
            crate::error::Kind::Conflict,
            "database_not_empty",
            "La restauration se fait dans une base vide : cette base contient déjà des données.",
            "Restore goes into an empty database: this one already holds data.",
        ));
    }
    role_right::Entity::delete_many().exec(&tx.tx).await?;
    setting::Entity::delete_many().exec(&tx.tx).await?;
    audit_head::Entity::delete_many().exec(&tx.tx).await?;
    let t = &b.tables;
    insert_all!(&tx.tx, user, t.users);
    insert_all!(&tx.tx, role_right, t.role_rights);
    insert_all!(&tx.tx, setting, t.settings);
    insert_all!(&tx.tx, audit_log, t.audit_log);
    insert_all!(&tx.tx, audit_head, t.audit_head);
    insert_all!(&tx.tx, machine, t.machines);
    insert_all!(&tx.tx, instrument, t.instruments);
    insert_all!(&tx.tx, instrument_calibration, t.instrument_calibrations);
    insert_all!(&tx.tx, instrument_exception, t.instrument_exceptions);
    insert_all!(&tx.tx, instrument_use, t.instrument_uses);
    insert_all!(&tx.tx, employee, t.employees);
    insert_all!(&tx.tx, employee_skill, t.employee_skills);
    insert_all!(&tx.tx, employee_certification, t.employee_certifications);
    insert_all!(&tx.tx, partner, t.partners);
    insert_all!(&tx.tx, supplier_evaluation, t.supplier_evaluations);
    insert_all!(&tx.tx, rate, t.rates);
    // Stock, in foreign-key order.
    let st = &t.stock;
    insert_all!(&tx.tx, storage_location, st.storage_locations);
    insert_all!(&tx.tx, tool, st.tools);
    insert_all!(&tx.tx, tool_cutting_data, st.tool_cutting_data);
    insert_all!(&tx.tx, tool_stock, st.tool_stock);
    insert_all!(&tx.tx, tool_movement, st.tool_movements);
    insert_all!(&tx.tx, tool_purchase_request, st.tool_purchase_requests);
    insert_all!(&tx.tx, material_grade, st.material_grades);
    insert_all!(&tx.tx, material_lot, st.material_lots);
    insert_all!(&tx.tx, material_stock, st.material_stock);
    insert_all!(&tx.tx, material_movement, st.material_movements);
    insert_all!(&tx.tx, material_minimum, st.material_minimums);
    insert_all!(&tx.tx, stock_reservation, st.stock_reservations);
    // Files one by one: a blob may weigh megabytes.
    for b in &t.files.file_blobs {
        file_blob::Entity::insert(file_blob::ActiveModel::from(b.clone()))
            .exec_without_returning(&tx.tx)
            .await?;
    }
    insert_all!(&tx.tx, attachment, t.files.attachments);
    insert_all!(&tx.tx, quote, t.quotes.quotes);
    insert_all!(&tx.tx, quote_line, t.quotes.quote_lines);
    insert_all!(&tx.tx, quote_revision, t.quotes.quote_revisions);
    let pr = &t.production;
    insert_all!(&tx.tx, order, pr.orders);
    insert_all!(&tx.tx, order_line, pr.order_lines);
    insert_all!(&tx.tx, job, pr.jobs);
    insert_all!(&tx.tx, job_operation, pr.job_operations);
    insert_all!(&tx.tx, routing_version, pr.routing_versions);
    insert_all!(&tx.tx, method_sheet, pr.method_sheets);
    insert_all!(&tx.tx, method_sheet_version, pr.method_sheet_versions);
    insert_all!(&tx.tx, delivery, pr.deliveries);
    insert_all!(&tx.tx, delivery_line, pr.delivery_lines);
    let sf = &t.shop_floor;
    if !sf.scrap_reasons.is_empty() {
        // The migration's default list is replaced by the saved one.
        scrap_reason::Entity::delete_many().exec(&tx.tx).await?;
    }
    insert_all!(&tx.tx, time_entry, sf.time_entries);
    insert_all!(&tx.tx, shop_event, sf.shop_events);
    insert_all!(&tx.tx, scrap_reason, sf.scrap_reasons);
    insert_all!(&tx.tx, scrap_record, sf.scrap_records);
    insert_all!(&tx.tx, operation_comment, sf.operation_comments);
    insert_all!(&tx.tx, tool_breakage, sf.tool_breakages);
    let pl = &t.planning;
    if !pl.planning_state.is_empty() {
        // The migration's state row is replaced by the saved one.
        planning_state::Entity::delete_many().exec(&tx.tx).await?;
    }
    insert_all!(&tx.tx, work_calendar, pl.work_calendars);
    insert_all!(&tx.tx, shop_closure, pl.shop_closures);
    insert_all!(&tx.tx, unavailability, pl.unavailabilities);
    insert_all!(&tx.tx, plan_proposal, pl.plan_proposals);
    insert_all!(&tx.tx, planned_operation, pl.planned_operations);
    insert_all!(&tx.tx, planning_state, pl.planning_state);
    if db.backend() == Backend::Postgres {
        // Explicit ids were inserted: move the sequences past them.
        for table in [
            "users",
            "sessions",
            "machines",
            "instruments",
            "instrument_calibrations",
            "instrument_exceptions",
            "instrument_uses",
            "employees",
            "employee_skills",
            "employee_certifications",
            "partners",
            "supplier_evaluations",
            "rates",
            "storage_locations",
            "tools",
            "tool_cutting_data",
            "tool_stock",
            "tool_movements",
            "tool_purchase_requests",
            "material_grades",
            "material_lots",
            "material_stock",
            "material_movements",
            "material_minimums",
            "stock_reservations",
            "file_blobs",
            "attachments",
            "quotes",
            "quote_lines",
            "quote_revisions",
            "orders",
            "order_lines",
            "jobs",
            "job_operations",
            "routing_versions",
            "method_sheets",
            "method_sheet_versions",
            "deliveries",
            "delivery_lines",
            "time_entries",
            "shop_events",
            "scrap_reasons",
            "scrap_records",
            "operation_comments",
            "tool_breakages",
            "work_calendars",
            "shop_closures",
            "unavailabilities",
            "plan_proposals",
            "planned_operations",
        ] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            );
            tx.tx
                .execute_raw(Statement::from_string(db.db_backend(), sql))
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
