//! Stock: storage locations, tools (cutting data, stock per location, movements, purchase
//! requests), materials (grades, lots with certificates, stock items and offcuts, movements,
//! minimums) and reservations for jobs.
//!
//! `tools.supplier_id` is a plain nullable big integer without a foreign key: suppliers live in
//! another module built in parallel; `supplier_name` keeps the free-text supplier.

use sea_orm_migration::prelude::*;

fn id(c: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(c))
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}
fn text(c: &'static str, len: u32, null: bool) -> ColumnDef {
    let mut d = ColumnDef::new(Alias::new(c));
    d.string_len(len);
    if null {
        d.null();
    } else {
        d.not_null();
    }
    d.to_owned()
}
fn long_text(c: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(c)).text().null().to_owned()
}
fn big(c: &'static str, null: bool) -> ColumnDef {
    let mut d = ColumnDef::new(Alias::new(c));
    d.big_integer();
    if null {
        d.null();
    } else {
        d.not_null().default(0);
    }
    d.to_owned()
}
fn int(c: &'static str, null: bool) -> ColumnDef {
    let mut d = ColumnDef::new(Alias::new(c));
    d.integer();
    if null {
        d.null();
    } else {
        d.not_null().default(0);
    }
    d.to_owned()
}
fn boolean(c: &'static str, default: bool) -> ColumnDef {
    ColumnDef::new(Alias::new(c))
        .boolean()
        .not_null()
        .default(default)
        .to_owned()
}
fn ts(c: &'static str, null: bool) -> ColumnDef {
    let mut d = ColumnDef::new(Alias::new(c));
    d.timestamp_with_time_zone();
    if null {
        d.null();
    } else {
        d.not_null();
    }
    d.to_owned()
}
fn fk(from_table: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(Alias::new(from_table), Alias::new(col))
        .to(Alias::new(to), Alias::new("id"))
        .to_owned()
}

/// Standard closing columns: created_at, updated_at, version.
fn stamps(t: &mut TableCreateStatement) {
    t.col(ts("created_at", false))
        .col(ts("updated_at", false))
        .col(
            ColumnDef::new(Alias::new("version"))
                .integer()
                .not_null()
                .default(1),
        );
}

const TABLES: &[&str] = &[
    "stock_reservations",
    "material_minimums",
    "material_movements",
    "material_stock",
    "material_lots",
    "material_grades",
    "tool_purchase_requests",
    "tool_movements",
    "tool_stock",
    "tool_cutting_data",
    "tools",
    "storage_locations",
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = Table::create()
            .table(Alias::new("storage_locations"))
            .col(id("id"))
            .col(text("code", 40, false).unique_key().to_owned())
            .col(text("name", 200, false))
            .col(text("kind", 16, false))
            .col(text("saw_distance_m", 40, false))
            .col(boolean("active", true))
            .col(long_text("notes"))
            .to_owned();
        stamps(&mut t);
        m.create_table(t).await?;

        let mut t = Table::create()
            .table(Alias::new("tools"))
            .col(id("id"))
            .col(text("code", 40, false).unique_key().to_owned())
            .col(text("name", 200, false))
            .col(text("tool_type", 32, false))
            .col(text("iso_designation", 100, true))
            .col(text("diameter_mm", 40, true))
            .col(text("cutting_length_mm", 40, true))
            .col(text("overall_length_mm", 40, true))
            .col(int("flutes", true))
            .col(text("coating", 100, true))
            .col(text("grade", 100, true))
            .col(big("supplier_id", true))
            .col(text("supplier_name", 200, true))
            .col(text("supplier_ref", 100, true))
            .col(big("unit_price_cents", true))
            .col(big("min_stock", false))
            .col(text("life_unit", 16, true))
            .col(big("life_limit", true))
            .col(big("life_used", false))
            .col(int("regrind_count", false))
            .col(boolean("active", true))
            .col(long_text("notes"))
            .to_owned();
        stamps(&mut t);
        m.create_table(t).await?;

        let mut t = Table::create()
            .table(Alias::new("tool_cutting_data"))
            .col(id("id"))
            .col(big("tool_id", false))
            .col(text("iso_group", 1, false))
            .col(text("vc_min", 40, true))
            .col(text("vc_max", 40, true))
            .col(text("feed_kind", 4, false))
            .col(text("feed_min", 40, true))
            .col(text("feed_max", 40, true))
            .col(text("ap_min", 40, true))
            .col(text("ap_max", 40, true))
            .col(text("ae_min", 40, true))
            .col(text("ae_max", 40, true))
            .col(text("source", 20, false))
            .col(long_text("notes"))
            .foreign_key(&mut fk("tool_cutting_data", "tool_id", "tools"))
            .to_owned();
        stamps(&mut t);
        m.create_table(t).await?;

        let mut t = Table::create()
            .table(Alias::new("tool_stock"))
            .col(id("id"))
            .col(big("tool_id", false))
            .col(big("location_id", false))
            .col(big("quantity", false))
            .col(big("reserved", false))
            .foreign_key(&mut fk("tool_stock", "tool_id", "tools"))
            .foreign_key(&mut fk("tool_stock", "location_id", "storage_locations"))
            .to_owned();
        stamps(&mut t);
        m.create_table(t).await?;
        m.create_index(
            Index::create()
                .name("ux_tool_stock_tool_location")
                .table(Alias::new("tool_stock"))
                .col(Alias::new("tool_id"))
                .col(Alias::new("location_id"))
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("tool_movements"))
                .col(id("id"))
                .col(big("tool_id", false))
                .col(big("tool_stock_id", false))
                .col(text("kind", 16, false))
                .col(big("quantity", false))
                .col(big("qty_before", false))
                .col(big("qty_after", false))
                .col(text("job_ref", 100, true))
                .col(text("destination", 200, true))
                .col(long_text("reason"))
                .col(big("actor_id", true))
                .col(text("actor_login", 64, false))
                .col(ts("at", false))
                .foreign_key(&mut fk("tool_movements", "tool_id", "tools"))
                .foreign_key(&mut fk("tool_movements", "tool_stock_id", "tool_stock"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_tool_movements_tool")
                .table(Alias::new("tool_movements"))
                .col(Alias::new("tool_id"))
                .to_owned(),
        )
        .await?;

        let mut t = Table::create()
            .table(Alias::new("tool_purchase_requests"))
            .col(id("id"))
            .col(big("tool_id", false))
            .col(big("quantity", false))
            .col(boolean("urgent", false))
            .col(text("status", 16, false))
            .col(long_text("reason"))
            .col(text("requested_by", 64, false))
            .col(text("decided_by", 64, true))
            .col(ts("decided_at", true))
            .foreign_key(&mut fk("tool_purchase_requests", "tool_id", "tools"))
            .to_owned();
        stamps(&mut t);
        m.create_table(t).await?;

        let mut t = Table::create()
            .table(Alias::new("material_grades"))
            .col(id("id"))
            .col(text("code", 40, false).unique_key().to_owned())
            .col(text("afnor", 100, false))
            .col(text("en_number", 20, true))
            .col(text("en_name", 100, true))
            .col(text("aisi", 40, true))
            .col(text("din", 40, true))
            .col(text("iso_group", 1, false))
            .col(text("density", 40, false))
            .col(text("hardness", 60, true))
            .col(text("machinability", 40, true))
            .col(boolean("active", true))
            .col(long_text("notes"))
            .to_owned();
        stamps(&mut t);
        m.create_table(t).await?;

        let mut t = Table::create()
            .table(Alias::new("material_lots"))
            .col(id("id"))
            .col(big("grade_id", false))
            .col(text("heat_number", 100, false))
            .col(text("supplier_name", 200, true))
            .col(text("certificate_type", 8, false))
            .col(text("certificate_ref", 200, true))
            .col(boolean("certified", false))
            .col(long_text("notes"))
            .foreign_key(&mut fk("material_lots", "grade_id", "material_grades"))
            .to_owned();
        stamps(&mut t);
        m.create_table(t).await?;
        m.create_index(
            Index::create()
                .name("ux_material_lots_grade_heat")
                .table(Alias::new("material_lots"))
                .col(Alias::new("grade_id"))
                .col(Alias::new("heat_number"))
                .unique()
                .to_owned(),
        )
        .await?;

        let mut t = Table::create()
            .table(Alias::new("material_stock"))
            .col(id("id"))
            .col(text("label", 40, true))
            .col(big("grade_id", false))
            .col(big("lot_id", true))
            .col(text("shape", 16, false))
            .col(text("diameter_mm", 40, false))
            .col(text("width_mm", 40, true))
            .col(text("wall_mm", 40, true))
            .col(text("length_mm", 40, false))
            .col(big("quantity", false))
            .col(big("reserved", false))
            .col(big("location_id", true))
            .col(big("cost_per_kg_cents", true))
            .col(boolean("is_offcut", false))
            .col(big("parent_id", true))
            .col(boolean("active", true))
            .col(long_text("notes"))
            .foreign_key(&mut fk("material_stock", "grade_id", "material_grades"))
            .foreign_key(&mut fk("material_stock", "lot_id", "material_lots"))
            .foreign_key(&mut fk(
                "material_stock",
                "location_id",
                "storage_locations",
            ))
            .to_owned();
        stamps(&mut t);
        m.create_table(t).await?;
        m.create_index(
            Index::create()
                .name("ix_material_stock_grade")
                .table(Alias::new("material_stock"))
                .col(Alias::new("grade_id"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("material_movements"))
                .col(id("id"))
                .col(big("stock_id", false))
                .col(big("grade_id", false))
                .col(big("location_id", true))
                .col(text("kind", 16, false))
                .col(big("quantity", false))
                .col(big("qty_before", false))
                .col(big("qty_after", false))
                .col(text("job_ref", 100, true))
                .col(long_text("reason"))
                .col(big("actor_id", true))
                .col(text("actor_login", 64, false))
                .col(ts("at", false))
                .foreign_key(&mut fk("material_movements", "stock_id", "material_stock"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_material_movements_stock")
                .table(Alias::new("material_movements"))
                .col(Alias::new("stock_id"))
                .to_owned(),
        )
        .await?;

        let mut t = Table::create()
            .table(Alias::new("material_minimums"))
            .col(id("id"))
            .col(big("grade_id", false))
            .col(text("shape", 16, false))
            .col(text("diameter_mm", 40, false))
            .col(big("min_quantity", false))
            .foreign_key(&mut fk("material_minimums", "grade_id", "material_grades"))
            .to_owned();
        stamps(&mut t);
        m.create_table(t).await?;

        let mut t = Table::create()
            .table(Alias::new("stock_reservations"))
            .col(id("id"))
            .col(text("item_type", 16, false))
            .col(big("item_id", false))
            .col(text("job_ref", 100, false))
            .col(big("quantity", false))
            .col(big("consumed", false))
            .col(text("status", 16, false))
            .col(text("created_by", 64, false))
            .to_owned();
        stamps(&mut t);
        m.create_table(t).await?;
        m.create_index(
            Index::create()
                .name("ix_stock_reservations_item")
                .table(Alias::new("stock_reservations"))
                .col(Alias::new("item_type"))
                .col(Alias::new("item_id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            m.drop_table(Table::drop().table(Alias::new(*t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
