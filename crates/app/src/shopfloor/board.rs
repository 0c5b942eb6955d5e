//! The office's live view of the shop: which machine runs which operation, who is on it,
//! progress and delay; who is clocked in. Re-read on every floor event.

use super::{dec_str, estimated_min, measure, sessions_of};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::rights::{Action, Module};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::HashMap;
use usinage_store::Db;
use usinage_store::entities::{job, job_operation, machine, order_line, time_entry, user};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MachineTile {
    pub machine_id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    /// `marche` (someone is on an operation), `pause` (an operation is paused), `arret`.
    pub status: String,
    pub status_label: String,
    pub operation_id: Option<i64>,
    pub job_id: Option<i64>,
    pub job_number: Option<String>,
    pub part_reference: Option<String>,
    pub operation_label: Option<String>,
    pub position: Option<i32>,
    pub operators: Vec<String>,
    pub qty_good: i32,
    pub quantity: i32,
    pub progress_pct: u32,
    pub started_at: Option<DateTime<Utc>>,
    pub estimated_min: Option<String>,
    pub measured_min: Option<String>,
    /// Measured time beyond the estimate, or the job past its due date.
    pub late: bool,
    /// Last pause reason while paused.
    pub pause_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OperatorTile {
    pub user_id: i64,
    pub name: String,
    pub clocked_in: bool,
    pub since: Option<DateTime<Utc>>,
    pub operations: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoardView {
    pub machines: Vec<MachineTile>,
    pub operators: Vec<OperatorTile>,
    pub running: usize,
    pub paused: usize,
    pub updated_at: DateTime<Utc>,
}

pub async fn board(db: &Db, ctx: &Ctx, english: bool) -> Result<BoardView, AppError> {
    ctx.require(Module::TimeTracking, Action::Read)?;
    if !super::is_supervisor(ctx) && ctx.require(Module::Planning, Action::Update).is_err() {
        // The live view shows everyone's work: office roles only (not the operator's row rule).
        ctx.require(Module::Orders, Action::Read)?;
    }
    let conn = &db.conn;
    let now = crate::now();
    let machines = machine::Entity::find()
        .filter(machine::Column::Active.eq(true))
        .order_by_asc(machine::Column::Code)
        .all(conn)
        .await?;
    let live_ops = job_operation::Entity::find()
        .filter(job_operation::Column::Status.is_in(["en_cours", "en_pause"]))
        .all(conn)
        .await?;
    let jobs: HashMap<i64, job::Model> = job::Entity::find()
        .filter(job::Column::Id.is_in(live_ops.iter().map(|o| o.job_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|j| (j.id, j))
        .collect();
    let lines: HashMap<i64, order_line::Model> = order_line::Entity::find()
        .filter(order_line::Column::Id.is_in(jobs.values().map(|j| j.order_line_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let open = time_entry::Entity::find()
        .filter(time_entry::Column::EndedAt.is_null())
        .filter(time_entry::Column::Status.is_in(["valide", "approuvee"]))
        .filter(time_entry::Column::Kind.is_in(["operation", "presence"]))
        .all(conn)
        .await?;
    let users: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(open.iter().map(|t| t.user_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect();
    let today = crate::paris_today();
    let mut tiles = Vec::new();
    for m in &machines {
        // The running operation first, else the most recently started paused one.
        let op = live_ops
            .iter()
            .filter(|o| o.machine_id == Some(m.id))
            .max_by_key(|o| (o.status == "en_cours", o.started_at));
        let mut tile = MachineTile {
            machine_id: m.id,
            code: m.code.clone(),
            name: m.name.clone(),
            kind: m.kind.clone(),
            status: "arret".into(),
            status_label: if english { "Stopped" } else { "À l'arrêt" }.into(),
            operation_id: None,
            job_id: None,
            job_number: None,
            part_reference: None,
            operation_label: None,
            position: None,
            operators: Vec::new(),
            qty_good: 0,
            quantity: 0,
            progress_pct: 0,
            started_at: None,
            estimated_min: None,
            measured_min: None,
            late: false,
            pause_reason: None,
        };
        if let Some(o) = op {
            let j = jobs.get(&o.job_id);
            let sessions = sessions_of(conn, o.id).await?;
            let (labour, _, _) = measure(conn, o.id, &sessions, now).await?;
            let quantity = j.map(|j| j.quantity).unwrap_or(0);
            let estimated = estimated_min(o, quantity);
            let running = o.status == "en_cours";
            tile.status = if running { "marche" } else { "pause" }.into();
            tile.status_label = match (running, english) {
                (true, false) => "En marche",
                (true, true) => "Running",
                (false, false) => "En pause",
                (false, true) => "Paused",
            }
            .into();
            tile.operation_id = Some(o.id);
            tile.job_id = Some(o.job_id);
            tile.job_number = j.map(|j| j.number.clone());
            tile.part_reference = j
                .and_then(|j| lines.get(&j.order_line_id))
                .map(|l| l.reference.clone().unwrap_or_else(|| l.designation.clone()));
            tile.operation_label = Some(o.label.clone());
            tile.position = Some(o.position);
            tile.operators = open
                .iter()
                .filter(|t| t.kind == "operation" && t.operation_id == Some(o.id))
                .filter_map(|t| users.get(&t.user_id).cloned())
                .collect();
            tile.qty_good = o.qty_good;
            tile.quantity = quantity;
            tile.progress_pct = if quantity > 0 {
                u32::try_from((i64::from(o.qty_good) * 100 / i64::from(quantity)).clamp(0, 100))
                    .unwrap_or(0)
            } else {
                0
            };
            tile.started_at = o.started_at;
            tile.estimated_min = Some(dec_str(estimated));
            tile.measured_min = Some(dec_str(labour));
            tile.late = (labour > estimated && estimated > rust_decimal::Decimal::ZERO)
                || j.and_then(|j| j.due_date).is_some_and(|d| d < today);
            if !running {
                tile.pause_reason = sessions
                    .iter()
                    .filter_map(|s| s.end_reason.clone().map(|r| (s.ended_at, r)))
                    .max_by_key(|(e, _)| *e)
                    .map(|(_, r)| crate::crm::label_of(super::PAUSE_REASONS, &r, english));
            }
        }
        tiles.push(tile);
    }
    let mut operators: HashMap<i64, OperatorTile> = HashMap::new();
    for t in &open {
        let e = operators.entry(t.user_id).or_insert_with(|| OperatorTile {
            user_id: t.user_id,
            name: users.get(&t.user_id).cloned().unwrap_or_default(),
            clocked_in: false,
            since: None,
            operations: Vec::new(),
        });
        if t.kind == "presence" {
            e.clocked_in = true;
            e.since = Some(t.started_at);
        } else if let Some(o) = t.operation_id {
            e.operations.push(o);
        }
    }
    let mut operators: Vec<OperatorTile> = operators.into_values().collect();
    operators.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(BoardView {
        running: tiles.iter().filter(|t| t.status == "marche").count(),
        paused: tiles.iter().filter(|t| t.status == "pause").count(),
        machines: tiles,
        operators,
        updated_at: now,
    })
}
