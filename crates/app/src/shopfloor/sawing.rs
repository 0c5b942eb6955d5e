//! Sawing (débit) deducts bar stock: the bars of the job's grade and diameter, offcuts first,
//! chosen by `usinage_engines::shopfloor::sawing::plan`; each bar cut is a `sortie` movement
//! linked to the operation, what remains above the minimum length becomes an offcut stock line
//! at the bar's location (`chute` movement), the rest is scrap. Stock lines are locked before
//! the plan is made, so two débits never consume the same bar.

use super::{Loaded, debit_of, dec_str};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind};
use crate::rights::{Action, Module};
use crate::stock::ledger::{self, Line};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use usinage_engines::shopfloor::sawing::{self as engine, BarCandidate, Remainder, SawParams};
use usinage_store::Db;
use usinage_store::entities::{
    material_lot, material_movement as mv, material_stock as item, order_line, stock_reservation,
    storage_location,
};

/// Setting key of the saw parameters.
pub const SETTINGS: &str = "shop_floor";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SawSettings {
    kerf_mm: Option<String>,
    end_trim_mm: Option<String>,
    min_offcut_mm: Option<String>,
}

pub async fn params<C: ConnectionTrait>(db: &C) -> Result<SawParams, AppError> {
    let s: Option<SawSettings> = crate::settings::get(db, SETTINGS).await?;
    let mut p = SawParams::default();
    if let Some(s) = s {
        let d = |v: &Option<String>| v.as_deref().and_then(crate::units::parse_decimal);
        if let Some(v) = d(&s.kerf_mm) {
            p.kerf_mm = v;
        }
        if let Some(v) = d(&s.end_trim_mm) {
            p.end_trim_mm = v;
        }
        if let Some(v) = d(&s.min_offcut_mm) {
            p.min_offcut_mm = v;
        }
    }
    Ok(p)
}

/// "Ø50" → 50; "Ø 31,75" → 31.75; sections that are not round → None.
pub fn section_diameter(section: &str) -> Option<Decimal> {
    let s = section.trim();
    let rest = s.strip_prefix('Ø').or_else(|| s.strip_prefix("D"))?;
    let num: String = rest
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    crate::units::parse_decimal(&num)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SawCandidateView {
    pub stock_id: i64,
    pub label: String,
    pub location: Option<String>,
    pub length_mm: String,
    pub is_offcut: bool,
    pub available: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SawCutView {
    pub stock_id: i64,
    pub label: String,
    pub location: Option<String>,
    pub length_mm: String,
    pub is_offcut: bool,
    pub pieces: u32,
    pub consumed_mm: String,
    pub remainder_mm: String,
    /// `offcut`, `scrap` or `none`.
    pub remainder: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SawPlanView {
    pub cut_length_mm: String,
    pub pieces: u32,
    pub kerf_mm: String,
    pub end_trim_mm: String,
    pub min_offcut_mm: String,
    pub cuts: Vec<SawCutView>,
    pub candidates: Vec<SawCandidateView>,
    /// Why no plan is possible (French or English per the request).
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SawPlanQuery {
    /// Force this stock line first.
    pub stock_id: Option<i64>,
    /// Pieces to cut (default: what remains to cut for the job).
    pub pieces: Option<u32>,
}

struct Stock {
    line: item::Model,
    location: Option<String>,
    /// Bars free for this job (its own reservation included).
    available: i64,
}

/// What the saw needs: grade, diameter and cut length from the job's débit.
fn need(l: &Loaded) -> Result<(i64, Decimal, Decimal), AppError> {
    let missing = || {
        AppError::new(
            Kind::Conflict,
            "debit_undefined",
            format!(
                "Le débit de l'OF {} n'est pas défini (nuance, diamètre ou longueur) : la méthode doit le compléter avant de scier.",
                l.job.number
            ),
            format!(
                "Job {}'s débit is not defined (grade, diameter or length): methods must complete it before sawing.",
                l.job.number
            ),
        )
    };
    let d = debit_of(&l.job).ok_or_else(missing)?;
    let grade = l.job.grade_id.ok_or_else(missing)?;
    let dia = section_diameter(&d.section).ok_or_else(missing)?;
    let cut = Decimal::try_from(d.cut_length_mm).map_err(|_| missing())?;
    if cut <= Decimal::ZERO {
        return Err(missing());
    }
    Ok((grade, dia, cut.round_dp(2)))
}

async fn stock_for<C: ConnectionTrait>(
    db: &C,
    l: &Loaded,
    grade: i64,
    dia: Decimal,
    lock: bool,
) -> Result<Vec<Stock>, AppError> {
    let certified_needed = order_line::Entity::find_by_id(l.job.order_line_id)
        .one(db)
        .await?
        .is_some_and(|ol| ol.certified_material)
        || l.job.critical;
    let mut q = item::Entity::find()
        .filter(item::Column::GradeId.eq(grade))
        .filter(item::Column::Shape.eq("rond"))
        .filter(item::Column::Active.eq(true))
        .filter(item::Column::Quantity.gt(0))
        .order_by_asc(item::Column::Id);
    if lock {
        q = q.lock_exclusive();
    }
    let lines: Vec<item::Model> = q
        .all(db)
        .await?
        .into_iter()
        .filter(|s| crate::units::parse_decimal(&s.diameter_mm) == Some(dia))
        .collect();
    let lots: HashMap<i64, bool> = material_lot::Entity::find()
        .filter(material_lot::Column::Id.is_in(lines.iter().filter_map(|s| s.lot_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|lot| (lot.id, lot.certified))
        .collect();
    let own: HashMap<i64, i64> = stock_reservation::Entity::find()
        .filter(stock_reservation::Column::ItemType.eq(Line::Material.item_type()))
        .filter(stock_reservation::Column::JobRef.eq(l.job.number.clone()))
        .filter(stock_reservation::Column::Status.eq("active"))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.item_id, r.quantity - r.consumed))
        .collect();
    let locations: HashMap<i64, String> = storage_location::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.code))
        .collect();
    Ok(lines
        .into_iter()
        .filter(|s| {
            // Certified (3.1) bars are kept for the parts that require them, and those parts
            // take nothing else.
            let certified = s.lot_id.and_then(|x| lots.get(&x).copied()) == Some(true);
            certified == certified_needed
        })
        .map(|s| Stock {
            available: s.quantity - s.reserved + own.get(&s.id).copied().unwrap_or(0),
            location: s.location_id.and_then(|x| locations.get(&x).cloned()),
            line: s,
        })
        .filter(|s| s.available > 0)
        .collect())
}

fn stock_label(s: &item::Model) -> String {
    s.label.clone().unwrap_or_else(|| {
        format!(
            "{} Ø{} × {} mm",
            if s.is_offcut { "Chute" } else { "Barre" },
            s.diameter_mm,
            s.length_mm
        )
    })
}

fn candidates(stock: &[Stock]) -> Vec<BarCandidate> {
    stock
        .iter()
        .map(|s| BarCandidate {
            stock_id: s.line.id,
            length_mm: crate::units::parse_decimal(&s.line.length_mm).unwrap_or_default(),
            available: s.available,
            is_offcut: s.line.is_offcut,
        })
        .collect()
}

fn saw_error(e: &engine::SawError) -> AppError {
    let code = match e {
        engine::SawError::BarTooShort { .. } => "bar_too_short",
        engine::SawError::NotEnough { .. } => "insufficient_stock",
        engine::SawError::UnknownStock { .. } => "unknown_stock",
        _ => "invalid_saw_request",
    };
    let mut err = AppError::new(Kind::Conflict, "saw_impossible", e.fr(), e.en());
    err.errors = vec![crate::error::FieldError::new(
        "stock_id",
        code,
        e.fr(),
        e.en(),
    )];
    err
}

/// The proposal shown before validating a débit (no change).
pub async fn plan(
    db: &Db,
    ctx: &Ctx,
    op_id: i64,
    q: &SawPlanQuery,
    english: bool,
) -> Result<SawPlanView, AppError> {
    ctx.require(Module::TimeTracking, Action::Read)?;
    let l = super::load(&db.conn, op_id).await?;
    if !super::consumes_bar(&l) {
        return Err(not_debit(&l));
    }
    let (grade, dia, cut) = need(&l)?;
    let p = params(&db.conn).await?;
    let stock = stock_for(&db.conn, &l, grade, dia, false).await?;
    let remaining = (l.input() - i64::from(l.op.qty_good + l.op.qty_scrap)).max(0);
    let pieces = q
        .pieces
        .unwrap_or_else(|| u32::try_from(remaining).unwrap_or(0));
    let result = engine::plan(&candidates(&stock), cut, pieces, &p, q.stock_id);
    let by_id: HashMap<i64, &Stock> = stock.iter().map(|s| (s.line.id, s)).collect();
    let (cuts, error) = match result {
        Ok(plan) => (
            plan.cuts
                .iter()
                .map(|c| {
                    let s = by_id.get(&c.stock_id);
                    SawCutView {
                        stock_id: c.stock_id,
                        label: s.map(|s| stock_label(&s.line)).unwrap_or_default(),
                        location: s.and_then(|s| s.location.clone()),
                        length_mm: dec_str(c.length_mm),
                        is_offcut: c.is_offcut,
                        pieces: c.pieces,
                        consumed_mm: dec_str(c.consumed_mm),
                        remainder_mm: dec_str(c.remainder_mm),
                        remainder: remainder_code(&c.remainder).into(),
                    }
                })
                .collect(),
            None,
        ),
        Err(e) => (Vec::new(), Some(if english { e.en() } else { e.fr() })),
    };
    Ok(SawPlanView {
        cut_length_mm: dec_str(cut),
        pieces,
        kerf_mm: dec_str(p.kerf_mm),
        end_trim_mm: dec_str(p.end_trim_mm),
        min_offcut_mm: dec_str(p.min_offcut_mm),
        cuts,
        candidates: stock
            .iter()
            .map(|s| SawCandidateView {
                stock_id: s.line.id,
                label: stock_label(&s.line),
                location: s.location.clone(),
                length_mm: s.line.length_mm.clone(),
                is_offcut: s.line.is_offcut,
                available: s.available,
            })
            .collect(),
        error,
    })
}

fn remainder_code(r: &Remainder) -> &'static str {
    match r {
        Remainder::Offcut => "offcut",
        Remainder::Scrap => "scrap",
        Remainder::None => "none",
    }
}

fn not_debit(l: &Loaded) -> AppError {
    AppError::new(
        Kind::Conflict,
        "not_a_debit",
        format!(
            "L'opération {} de l'OF {} ne consomme pas de barre (ni débit, ni embarreur).",
            l.op.position, l.job.number
        ),
        format!(
            "Operation {} of job {} consumes no bar (no sawing, no bar feeder).",
            l.op.position, l.job.number
        ),
    )
}

#[allow(clippy::too_many_arguments)]
async fn movement(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    line: &item::Model,
    kind: &str,
    delta: i64,
    job_ref: &str,
    reason: String,
    operation_id: i64,
    at: DateTime<Utc>,
) -> Result<mv::Model, AppError> {
    let (before, after) = ledger::change(
        tx,
        Line::Material,
        line.id,
        delta,
        (delta < 0).then_some(job_ref),
    )
    .await?;
    let m = mv::ActiveModel {
        stock_id: Set(line.id),
        grade_id: Set(line.grade_id),
        location_id: Set(line.location_id),
        kind: Set(kind.to_string()),
        quantity: Set(delta.abs()),
        qty_before: Set(before),
        qty_after: Set(after),
        job_ref: Set(Some(job_ref.to_string())),
        reason: Set(Some(reason)),
        actor_id: Set(ctx.actor_id()),
        actor_login: Set(ctx.actor_login().to_string()),
        at: Set(at),
        operation_id: Set(Some(operation_id)),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(
        tx,
        ctx,
        "material_stock",
        &line.id.to_string(),
        "movement",
        None,
        Some(serde_json::json!({
            "movement_id": m.id, "kind": kind, "quantity": m.quantity, "job_ref": job_ref,
            "operation_id": operation_id,
        })),
    )
    .await?;
    Ok(m)
}

/// Cuts `pieces` for the operation inside the caller's transaction; returns the new offcut
/// stock lines.
pub(crate) async fn consume(
    tx: &DatabaseTransaction,
    ctx: &Ctx,
    l: &Loaded,
    pieces: u32,
    forced: Option<i64>,
    at: DateTime<Utc>,
) -> Result<Vec<i64>, AppError> {
    if pieces == 0 {
        return Ok(Vec::new());
    }
    let (grade, dia, cut) = need(l)?;
    let p = params(tx).await?;
    let stock = stock_for(tx, l, grade, dia, true).await?;
    let plan =
        engine::plan(&candidates(&stock), cut, pieces, &p, forced).map_err(|e| saw_error(&e))?;
    let by_id: HashMap<i64, &Stock> = stock.iter().map(|s| (s.line.id, s)).collect();
    let mut offcuts = Vec::new();
    for c in &plan.cuts {
        let s = by_id
            .get(&c.stock_id)
            .ok_or_else(|| AppError::internal("barre du plan de débit absente"))?;
        let what = match c.remainder {
            Remainder::Offcut => format!("chute de {} mm gardée", dec_str(c.remainder_mm)),
            Remainder::Scrap => format!("reste {} mm au rebut", dec_str(c.remainder_mm)),
            Remainder::None => "barre entièrement consommée".to_string(),
        };
        let out = movement(
            tx,
            ctx,
            &s.line,
            "sortie",
            -1,
            &l.job.number,
            format!(
                "Débit OF {} op. {} : {} pcs × {} mm ({what})",
                l.job.number,
                l.op.position,
                c.pieces,
                dec_str(cut)
            ),
            l.op.id,
            at,
        )
        .await?;
        if s.line.is_offcut && out.qty_after == 0 {
            // A used-up offcut leaves the stock lists.
            item::Entity::update_many()
                .col_expr(item::Column::Active, sea_orm::sea_query::Expr::value(false))
                .filter(item::Column::Id.eq(s.line.id))
                .exec(tx)
                .await?;
        }
        if c.remainder == Remainder::Offcut {
            let now = crate::now();
            let o = item::ActiveModel {
                label: Set(None),
                grade_id: Set(s.line.grade_id),
                lot_id: Set(s.line.lot_id),
                shape: Set(s.line.shape.clone()),
                diameter_mm: Set(s.line.diameter_mm.clone()),
                width_mm: Set(s.line.width_mm.clone()),
                wall_mm: Set(s.line.wall_mm.clone()),
                length_mm: Set(dec_str(c.remainder_mm)),
                quantity: Set(0),
                reserved: Set(0),
                location_id: Set(s.line.location_id),
                cost_per_kg_cents: Set(s.line.cost_per_kg_cents),
                is_offcut: Set(true),
                parent_id: Set(Some(s.line.id)),
                active: Set(true),
                notes: Set(Some(format!(
                    "Chute du débit OF {} op. {}",
                    l.job.number, l.op.position
                ))),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(tx)
            .await?;
            movement(
                tx,
                ctx,
                &o,
                "chute",
                1,
                &l.job.number,
                format!(
                    "Chute de la barre {} (débit OF {})",
                    s.line.id, l.job.number
                ),
                l.op.id,
                at,
            )
            .await?;
            offcuts.push(o.id);
        }
    }
    Ok(offcuts)
}
