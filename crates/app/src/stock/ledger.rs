//! The one place where a stock line's quantity or reservation changes. Callers write the movement
//! row with the returned before/after in the same transaction.
//!
//! Concurrency: the line is read with `SELECT … FOR UPDATE` (PostgreSQL; SQLite writers are
//! serialised by `Db::write`), and the UPDATE itself repeats the availability condition
//! (`quantity - reserved + own_reservation >= taken`) and checks `rows_affected`, so two
//! withdrawals can never both take the last pieces and stock never goes negative.

use crate::error::{AppError, Kind};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    Set,
};
use usinage_store::entities::stock_reservation;

/// Tables holding stock lines (`quantity`, `reserved`, `version`, `updated_at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    Tool,
    Material,
}

impl Line {
    pub fn table(self) -> &'static str {
        match self {
            Line::Tool => "tool_stock",
            Line::Material => "material_stock",
        }
    }
    /// `item_type` in `stock_reservations`.
    pub fn item_type(self) -> &'static str {
        match self {
            Line::Tool => "outil",
            Line::Material => "matiere",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct LineState {
    pub quantity: i64,
    pub reserved: i64,
}

/// Reads a line under a row lock.
pub async fn lock(tx: &DatabaseTransaction, line: Line, id: i64) -> Result<LineState, AppError> {
    let stmt = Query::select()
        .columns([Alias::new("quantity"), Alias::new("reserved")])
        .from(Alias::new(line.table()))
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .lock_exclusive()
        .to_owned();
    let row = tx
        .query_one(&stmt)
        .await?
        .ok_or_else(|| AppError::not_found("Ligne de stock", "Stock line"))?;
    Ok(LineState {
        quantity: row.try_get::<i64>("", "quantity")?,
        reserved: row.try_get::<i64>("", "reserved")?,
    })
}

pub fn insufficient(available: i64, wanted: i64, reserved_elsewhere: i64) -> AppError {
    let mut e = AppError::new(
        Kind::Conflict,
        "insufficient_stock",
        format!(
            "Stock insuffisant : {available} disponible(s) pour {wanted} demandé(s){}.",
            if reserved_elsewhere > 0 {
                format!(" ({reserved_elsewhere} réservé(s) pour d'autres affaires)")
            } else {
                String::new()
            }
        ),
        format!(
            "Insufficient stock: {available} available for {wanted} requested{}.",
            if reserved_elsewhere > 0 {
                format!(" ({reserved_elsewhere} reserved for other jobs)")
            } else {
                String::new()
            }
        ),
    );
    e.errors = vec![crate::error::FieldError::new(
        "quantity",
        "insufficient_stock",
        e.detail.fr.clone(),
        e.detail.en.clone(),
    )];
    e
}

/// Applies `delta` pieces to a line (negative = taken out). A withdrawal for `job_ref` uses that
/// job's reservation on this line first; pieces reserved for other jobs are never taken.
/// Returns (quantity before, quantity after).
pub async fn change(
    tx: &DatabaseTransaction,
    line: Line,
    id: i64,
    delta: i64,
    job_ref: Option<&str>,
) -> Result<(i64, i64), AppError> {
    let st = lock(tx, line, id).await?;
    let mut use_reserved = 0;
    let mut reservation = None;
    if delta < 0
        && let Some(job) = job_ref
    {
        reservation = stock_reservation::Entity::find()
            .filter(stock_reservation::Column::ItemType.eq(line.item_type()))
            .filter(stock_reservation::Column::ItemId.eq(id))
            .filter(stock_reservation::Column::JobRef.eq(job))
            .filter(stock_reservation::Column::Status.eq("active"))
            .one(tx)
            .await?;
        if let Some(r) = &reservation {
            use_reserved = (r.quantity - r.consumed).clamp(0, -delta);
        }
    }
    let taken = std::cmp::max(-delta, 0);
    let free = st.quantity - st.reserved + use_reserved;
    if taken > free {
        return Err(insufficient(
            std::cmp::max(free, 0),
            taken,
            st.reserved - use_reserved,
        ));
    }
    let stmt = Query::update()
        .table(Alias::new(line.table()))
        .value(
            Alias::new("quantity"),
            Expr::col(Alias::new("quantity")).add(delta),
        )
        .value(
            Alias::new("reserved"),
            Expr::col(Alias::new("reserved")).sub(use_reserved),
        )
        .value(
            Alias::new("version"),
            Expr::col(Alias::new("version")).add(1),
        )
        .value(Alias::new("updated_at"), crate::now())
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .and_where(
            Expr::col(Alias::new("quantity"))
                .sub(Expr::col(Alias::new("reserved")))
                .add(use_reserved)
                .gte(taken),
        )
        .and_where(Expr::col(Alias::new("quantity")).add(delta).gte(0))
        .to_owned();
    let res = tx.execute(&stmt).await?;
    if res.rows_affected() != 1 {
        return Err(insufficient(std::cmp::max(free, 0), taken, st.reserved));
    }
    if let Some(r) = reservation
        && use_reserved > 0
    {
        let consumed = r.consumed + use_reserved;
        let done = consumed >= r.quantity;
        let version = r.version;
        let mut am: stock_reservation::ActiveModel = r.into();
        am.consumed = Set(consumed);
        if done {
            am.status = Set("soldee".into());
        }
        am.updated_at = Set(crate::now());
        am.version = Set(version + 1);
        am.update(tx).await?;
    }
    Ok((st.quantity, st.quantity + delta))
}

/// Sets a line to a counted quantity (inventory); never below what is reserved.
pub async fn set_counted(
    tx: &DatabaseTransaction,
    line: Line,
    id: i64,
    counted: i64,
) -> Result<(i64, i64), AppError> {
    let st = lock(tx, line, id).await?;
    if counted < st.reserved {
        return Err(AppError::new(
            Kind::Conflict,
            "below_reserved",
            format!(
                "Quantité comptée ({counted}) inférieure aux réservations en cours ({}) : libérez d'abord les réservations.",
                st.reserved
            ),
            format!(
                "Counted quantity ({counted}) below the current reservations ({}): release them first.",
                st.reserved
            ),
        ));
    }
    change(tx, line, id, counted - st.quantity, None).await
}

/// Adds (`delta > 0`) or releases (`delta < 0`) reserved pieces on a line, checking that a new
/// reservation fits in what is free.
pub async fn reserve(
    tx: &DatabaseTransaction,
    line: Line,
    id: i64,
    delta: i64,
) -> Result<(), AppError> {
    let st = lock(tx, line, id).await?;
    if delta > 0 && st.quantity - st.reserved < delta {
        return Err(insufficient(st.quantity - st.reserved, delta, st.reserved));
    }
    let stmt = Query::update()
        .table(Alias::new(line.table()))
        .value(
            Alias::new("reserved"),
            Expr::col(Alias::new("reserved")).add(delta),
        )
        .value(
            Alias::new("version"),
            Expr::col(Alias::new("version")).add(1),
        )
        .value(Alias::new("updated_at"), crate::now())
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .and_where(
            Expr::col(Alias::new("quantity"))
                .sub(Expr::col(Alias::new("reserved")))
                .gte(delta),
        )
        .and_where(Expr::col(Alias::new("reserved")).add(delta).gte(0))
        .to_owned();
    let res = tx.execute(&stmt).await?;
    if res.rows_affected() != 1 {
        return Err(insufficient(st.quantity - st.reserved, delta, st.reserved));
    }
    Ok(())
}
