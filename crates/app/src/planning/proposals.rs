//! The planner's proposals: computed from the shop's data, stored with their differences from
//! the current plan, accepted or rejected by a manager. Accepting replaces the current plan in
//! one transaction, only if the plan has not changed since the proposal was computed.

use super::input::{self, Loaded, Overrides};
use super::views::{BoardOp, DiagnosticView, revision};
use super::{fr_date, utc};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind};
use crate::rights::{Action, Module};
use crate::shopfloor::events::{Bus, FloorEvent};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Duration as StdDuration;
use usinage_planner::shop::{
    self, Event, Kpis, PlanDiff, PlanOut, PlanParams, PlannedOp, Severity, ShopInput,
};
use usinage_store::Db;
use usinage_store::entities::{
    job, job_operation, plan_proposal, planned_operation, planning_state,
};

pub const TRIGGERS: &[(&str, &str, &str)] = &[
    ("manuel", "Recalcul demandé", "Requested recomputation"),
    ("nuit", "Recalcul de nuit", "Nightly recomputation"),
    ("absence", "Absence", "Absence"),
    (
        "panne_machine",
        "Machine indisponible",
        "Machine unavailable",
    ),
    ("outil_casse", "Outil cassé", "Broken tool"),
    ("urgence", "Commande urgente", "Urgent order"),
];

pub const STATUSES: &[(&str, &str, &str)] = &[
    (
        "en_attente",
        "En attente de validation",
        "Waiting for validation",
    ),
    ("acceptee", "Acceptée", "Accepted"),
    ("refusee", "Refusée", "Rejected"),
    (
        "appliquee",
        "Appliquée automatiquement",
        "Applied automatically",
    ),
    ("perimee", "Périmée", "Stale"),
];

fn label(list: &[(&str, &str, &str)], code: &str, english: bool) -> String {
    list.iter()
        .find(|t| t.0 == code)
        .map(|t| if english { t.2 } else { t.1 })
        .unwrap_or(code)
        .to_string()
}

/// Triggers whose repair may apply at once when the setting says so.
fn is_rebalance(trigger: &str) -> bool {
    matches!(trigger, "absence" | "panne_machine" | "outil_casse")
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProposalSummary {
    pub id: i64,
    pub number: String,
    pub trigger: String,
    pub trigger_label: String,
    pub trigger_ref: Option<String>,
    pub status: String,
    pub status_label: String,
    pub requires_validation: bool,
    pub moves_count: i32,
    pub late_jobs: i32,
    pub summary: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    /// Computed on an older plan: it can no longer be accepted.
    pub stale: bool,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlannedSlot {
    pub machine_id: Option<i64>,
    pub machine_code: Option<String>,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    #[schema(value_type = String)]
    pub start: NaiveDateTime,
    #[schema(value_type = String)]
    pub end: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MoveView {
    pub op_id: i64,
    pub job_id: i64,
    pub job_number: String,
    pub label: String,
    pub before: Option<PlannedSlot>,
    pub after: Option<PlannedSlot>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EffectView {
    pub job_id: i64,
    pub job_number: String,
    #[schema(value_type = Option<String>)]
    pub due: Option<NaiveDate>,
    #[schema(value_type = Option<String>)]
    pub end_before: Option<NaiveDateTime>,
    #[schema(value_type = Option<String>)]
    pub end_after: Option<NaiveDateTime>,
    pub late_before_min: i64,
    pub late_after_min: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KpisView {
    pub weighted_tardiness: i64,
    pub late_jobs: usize,
    #[schema(value_type = Option<String>)]
    pub makespan_end: Option<NaiveDateTime>,
    pub setup_min: i64,
    pub planned_ops: usize,
    pub unplanned_ops: usize,
    pub iterations: u64,
    pub elapsed_ms: u64,
}

impl From<&Kpis> for KpisView {
    fn from(k: &Kpis) -> Self {
        KpisView {
            weighted_tardiness: k.weighted_tardiness,
            late_jobs: k.late_jobs,
            makespan_end: k.makespan_end,
            setup_min: k.setup_min,
            planned_ops: k.planned_ops,
            unplanned_ops: k.unplanned_ops,
            iterations: k.iterations,
            elapsed_ms: k.elapsed_ms,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProposalView {
    #[serde(flatten)]
    pub summary: ProposalSummary,
    pub moves: Vec<MoveView>,
    pub effects: Vec<EffectView>,
    pub diagnostics: Vec<DiagnosticView>,
    pub kpis: KpisView,
    /// The whole proposed plan (ghost bars).
    pub ops: Vec<BoardOp>,
}

fn summary_view(p: &plan_proposal::Model, current_revision: i32, english: bool) -> ProposalSummary {
    ProposalSummary {
        id: p.id,
        number: p.number.clone(),
        trigger: p.trigger.clone(),
        trigger_label: label(TRIGGERS, &p.trigger, english),
        trigger_ref: p.trigger_ref.clone(),
        status: p.status.clone(),
        status_label: label(STATUSES, &p.status, english),
        requires_validation: p.requires_validation,
        moves_count: p.moves_count,
        late_jobs: p.late_jobs,
        summary: p.summary.clone(),
        created_by: p.created_by.clone(),
        created_at: p.created_at,
        decided_by: p.decided_by.clone(),
        decided_at: p.decided_at,
        decision_note: p.decision_note.clone(),
        stale: p.status == "perimee"
            || (p.status == "en_attente" && p.base_revision != current_revision),
        version: p.version,
    }
}

fn slot(l: &Loaded, o: &PlannedOp) -> PlannedSlot {
    PlannedSlot {
        machine_id: o.machine_id,
        machine_code: o.machine_id.map(|m| l.machine_code(m)),
        person_id: o.person_id,
        person_name: o.person_id.map(|p| l.person_name(p)),
        start: o.start,
        end: o.end,
    }
}

fn view(
    l: &Loaded,
    p: &plan_proposal::Model,
    current_revision: i32,
    english: bool,
) -> ProposalView {
    let plan: PlanOut = serde_json::from_str(&p.plan_json).unwrap_or(PlanOut {
        ops: vec![],
        jobs: vec![],
        diagnostics: vec![],
        kpis: Kpis::default(),
    });
    let diff: PlanDiff = serde_json::from_str(&p.diff_json).unwrap_or(PlanDiff {
        moves: vec![],
        effects: vec![],
    });
    let job_number = |id: i64| {
        l.input
            .jobs
            .iter()
            .find(|j| j.id == id)
            .map(|j| j.number.clone())
            .or_else(|| {
                l.ops
                    .values()
                    .find(|o| o.job_id == id)
                    .map(|o| o.job_number.clone())
            })
            .unwrap_or_else(|| format!("#{id}"))
    };
    let moves = diff
        .moves
        .iter()
        .map(|m| MoveView {
            op_id: m.op_id,
            job_id: m.job_id,
            job_number: job_number(m.job_id),
            label: l
                .ops
                .get(&m.op_id)
                .map(|o| o.label.clone())
                .unwrap_or_else(|| format!("#{}", m.op_id)),
            before: m.before.as_ref().map(|o| slot(l, o)),
            after: m.after.as_ref().map(|o| slot(l, o)),
        })
        .collect();
    let effects = diff
        .effects
        .iter()
        .map(|e| EffectView {
            job_id: e.job_id,
            job_number: job_number(e.job_id),
            due: e.due,
            end_before: e.end_before,
            end_after: e.end_after,
            late_before_min: e.late_before_min,
            late_after_min: e.late_after_min,
        })
        .collect();
    let all = NaiveDateTime::MIN;
    ProposalView {
        summary: summary_view(p, current_revision, english),
        moves,
        effects,
        diagnostics: plan.diagnostics.iter().map(DiagnosticView::from).collect(),
        kpis: KpisView::from(&plan.kpis),
        ops: l.bars(&plan, all, NaiveDateTime::MAX),
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ComputeInput {
    /// `manuel` (default) or `urgence` (with `job_id`).
    pub trigger: Option<String>,
    /// The urgent job (trigger `urgence`).
    pub job_id: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct DecisionInput {
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ProposalFilter {
    /// `en_attente`, `acceptee`, `refusee`, `appliquee`, `perimee`.
    pub status: Option<String>,
}

/// How long the planner may search for a proposal (the whole request stays under 2–3 s).
pub const PLAN_TIME: StdDuration = StdDuration::from_millis(1500);
/// Repairs answer faster.
pub const REPAIR_TIME: StdDuration = StdDuration::from_millis(250);

/// Runs the planner on the blocking pool (it uses both cores for its search).
pub async fn run_plan(input: ShopInput, time: StdDuration) -> Result<PlanOut, AppError> {
    tokio::task::spawn_blocking(move || {
        let params = PlanParams {
            time_limit: time,
            seed: 1,
            threads: 2,
        };
        let mut out = shop::plan(&input, &params);
        add_working_time(&input, &mut out);
        out
    })
    .await
    .map_err(|_| AppError::internal("planificateur"))
}

pub async fn run_repair(
    input: ShopInput,
    current: Vec<PlannedOp>,
    event: Event,
) -> Result<PlanOut, AppError> {
    tokio::task::spawn_blocking(move || {
        let params = PlanParams {
            time_limit: REPAIR_TIME,
            seed: 1,
            threads: 1,
        };
        let mut out = shop::repair(&input, &current, &event, &params);
        add_working_time(&input, &mut out);
        out
    })
    .await
    .map_err(|_| AppError::internal("planificateur"))
}

/// Working-time alerts of the result, once (the planner may already report some).
fn add_working_time(input: &ShopInput, out: &mut PlanOut) {
    for d in shop::working_time(input, out) {
        if !out.diagnostics.contains(&d) {
            out.diagnostics.push(d);
        }
    }
}

fn summary_text(diff: &PlanDiff, plan: &PlanOut) -> String {
    let late = plan.jobs.iter().filter(|j| j.lateness_min > 0).count();
    let errors = plan
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut s = format!(
        "{} opération(s) déplacée(s), {} OF en retard",
        diff.moves.len(),
        late
    );
    if errors > 0 {
        s.push_str(&format!(", {errors} problème(s) bloquant(s)"));
    }
    if plan.diagnostics.iter().any(|d| d.code == "overtime") {
        s.push_str(", heures supplémentaires à valider");
    }
    s
}

async fn next_number<C: ConnectionTrait>(db: &C) -> Result<String, AppError> {
    let year = crate::paris_today().year();
    let prefix = format!("PROP-{year}-");
    let n = plan_proposal::Entity::find()
        .filter(plan_proposal::Column::Number.starts_with(prefix.clone()))
        .count(db)
        .await?;
    Ok(format!("{prefix}{:04}", n + 1))
}

/// Stores a computed plan as a proposal; applies it at once when allowed (returns whether it
/// was applied). Also raises the automatic sur-urgent flag of late jobs.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn store(
    db: &Db,
    ctx: &Ctx,
    bus: &Bus,
    l: &Loaded,
    base_revision: i32,
    plan: PlanOut,
    trigger: &str,
    trigger_ref: Option<String>,
) -> Result<(plan_proposal::Model, bool), AppError> {
    let before = l.current_plan();
    let diff = shop::diff(&l.input, &before, &plan);
    let overtime = plan.diagnostics.iter().any(|d| d.code == "overtime");
    let settings = &l.settings;
    let auto = is_rebalance(trigger) && settings.rebalance_mode == "appliquer" && !overtime;
    let late_jobs = plan.jobs.iter().filter(|j| j.lateness_min > 0).count() as i32;
    let tx = db.write().await?;
    // Sur-urgent: every ready or running job past its requested date, automatically.
    let today = l.input.today;
    job::Entity::update_many()
        .col_expr(job::Column::SurUrgent, Expr::value(true))
        .filter(job::Column::Status.is_in(["pret", "en_cours"]))
        .filter(job::Column::DueDate.lt(today))
        .filter(job::Column::SurUrgent.eq(false))
        .exec(&tx.tx)
        .await?;
    // …and no longer once its requested date was moved later (or removed).
    job::Entity::update_many()
        .col_expr(job::Column::SurUrgent, Expr::value(false))
        .filter(job::Column::SurUrgent.eq(true))
        .filter(
            sea_orm::Condition::any()
                .add(job::Column::DueDate.gte(today))
                .add(job::Column::DueDate.is_null()),
        )
        .exec(&tx.tx)
        .await?;
    let now = crate::now();
    if trigger == "manuel" || trigger == "nuit" {
        // A new full plan supersedes the full plans still waiting.
        plan_proposal::Entity::update_many()
            .col_expr(plan_proposal::Column::Status, Expr::value("perimee"))
            .filter(plan_proposal::Column::Status.eq("en_attente"))
            .filter(plan_proposal::Column::Trigger.is_in(["manuel", "nuit"]))
            .exec(&tx.tx)
            .await?;
    }
    let p = plan_proposal::ActiveModel {
        number: Set(next_number(&tx.tx).await?),
        trigger: Set(trigger.into()),
        trigger_ref: Set(trigger_ref),
        status: Set(if auto { "appliquee" } else { "en_attente" }.into()),
        requires_validation: Set(!auto),
        base_revision: Set(base_revision),
        plan_json: Set(serde_json::to_string(&plan).map_err(|_| AppError::internal("plan"))?),
        diff_json: Set(serde_json::to_string(&diff).map_err(|_| AppError::internal("plan"))?),
        kpis_json: Set(serde_json::to_string(&plan.kpis).map_err(|_| AppError::internal("plan"))?),
        summary: Set(Some(summary_text(&diff, &plan))),
        moves_count: Set(diff.moves.len() as i32),
        late_jobs: Set(late_jobs),
        created_by: Set(ctx.actor_login().to_string()),
        created_at: Set(now),
        decided_by: Set(auto.then(|| "auto".to_string())),
        decided_at: Set(auto.then_some(now)),
        decision_note: Set(auto.then(|| {
            "Rééquilibrage appliqué automatiquement (paramètre « appliquer et prévenir »).".into()
        })),
        version: Set(1),
        ..Default::default()
    }
    .insert(&tx.tx)
    .await?;
    audit::record(
        &tx.tx,
        ctx,
        "plan_proposal",
        &p.id.to_string(),
        "create",
        None,
        Some(serde_json::json!({
            "number": p.number, "trigger": p.trigger, "status": p.status,
            "moves": p.moves_count, "late_jobs": p.late_jobs,
        })),
    )
    .await?;
    if auto {
        if current_revision(&tx.tx).await? != base_revision {
            return Err(stale());
        }
        apply(&tx.tx, ctx, &plan, p.id).await?;
    }
    tx.commit().await?;
    refresh_alerts(db);
    publish(
        bus,
        if auto {
            "plan_applied"
        } else {
            "plan_proposed"
        },
    );
    Ok((p, auto))
}

fn publish(bus: &Bus, kind: &str) {
    bus.publish(FloorEvent {
        kind: kind.into(),
        operation_id: None,
        job_id: None,
        machine_id: None,
        user_id: None,
        status: None,
        at: crate::now(),
    });
}

async fn current_revision<C: ConnectionTrait>(db: &C) -> Result<i32, AppError> {
    revision(db).await
}

fn stale() -> AppError {
    AppError::new(
        Kind::Conflict,
        "planning_proposal_stale",
        "Le planning a changé depuis le calcul de cette proposition : relancez le calcul.",
        "The plan changed since this proposal was computed: compute it again.",
    )
}

/// Replaces the current plan by `plan` and raises the revision. Pinned operations that are not
/// started stay pinned.
pub(crate) async fn apply<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    plan: &PlanOut,
    proposal_id: i64,
) -> Result<i32, AppError> {
    let previous: HashMap<i64, planned_operation::Model> = planned_operation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.operation_id, r))
        .collect();
    let ids: Vec<i64> = plan.ops.iter().map(|o| o.op_id).collect();
    let statuses: HashMap<i64, String> = job_operation::Entity::find()
        .filter(job_operation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.status))
        .collect();
    planned_operation::Entity::delete_many().exec(db).await?;
    let now = crate::now();
    let who = ctx.actor_login().to_string();
    let rows: Vec<planned_operation::ActiveModel> = plan
        .ops
        .iter()
        .filter(|o| statuses.get(&o.op_id).is_some_and(|s| s != "termine"))
        .map(|o| {
            let was_pinned = previous.get(&o.op_id).is_some_and(|r| r.pinned);
            let not_started = statuses.get(&o.op_id).is_some_and(|s| s == "a_faire");
            planned_operation::ActiveModel {
                operation_id: Set(o.op_id),
                job_id: Set(o.job_id),
                machine_id: Set(o.machine_id),
                employee_id: Set(o.person_id),
                starts_at: Set(utc(o.start)),
                ends_at: Set(utc(o.end)),
                work_min: Set(o.work_min),
                setup_min: Set(o.setup_min),
                pinned: Set(o.fixed && was_pinned && not_started),
                proposal_id: Set(Some(proposal_id)),
                updated_by: Set(who.clone()),
                updated_at: Set(now),
                ..Default::default()
            }
        })
        .collect();
    let count = rows.len();
    for chunk in rows.chunks(200) {
        planned_operation::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    let rev = bump(db, ctx).await?;
    audit::record(
        db,
        ctx,
        "planning",
        "1",
        "apply",
        None,
        Some(serde_json::json!({"proposal_id": proposal_id, "operations": count, "revision": rev})),
    )
    .await?;
    Ok(rev)
}

/// Raises the plan revision (locks the state row first on PostgreSQL).
pub(crate) async fn bump<C: ConnectionTrait>(db: &C, ctx: &Ctx) -> Result<i32, AppError> {
    let state = planning_state::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("état du planning"))?;
    let rev = state.revision + 1;
    let res = planning_state::Entity::update_many()
        .col_expr(planning_state::Column::Revision, Expr::value(rev))
        .col_expr(
            planning_state::Column::UpdatedBy,
            Expr::value(ctx.actor_login().to_string()),
        )
        .col_expr(planning_state::Column::UpdatedAt, Expr::value(crate::now()))
        .filter(planning_state::Column::Id.eq(1))
        .filter(planning_state::Column::Revision.eq(state.revision))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(stale());
    }
    Ok(rev)
}

/// Computes a proposal now (`manuel`, or `urgence` for one job, whose raised priority applies
/// only if a manager accepts).
pub async fn compute(
    db: &Db,
    ctx: &Ctx,
    bus: &Bus,
    i: ComputeInput,
    english: bool,
) -> Result<ProposalView, AppError> {
    ctx.require(Module::Planning, Action::Create)?;
    let trigger = i.trigger.as_deref().unwrap_or("manuel");
    let mut over = Overrides::default();
    let mut trigger_ref = None;
    match trigger {
        "manuel" => {}
        "urgence" => {
            let Some(job_id) = i.job_id else {
                return Err(AppError::field(
                    "job_id",
                    "required",
                    "Indiquez l'OF urgent.",
                    "Give the urgent job.",
                ));
            };
            let j = job::Entity::find_by_id(job_id)
                .one(&db.conn)
                .await?
                .ok_or_else(|| AppError::not_found("OF", "Job"))?;
            if j.status != "pret" && j.status != "en_cours" {
                return Err(AppError::field(
                    "job_id",
                    "not_plannable",
                    format!(
                        "L'OF {} n'est pas à planifier (gamme à valider, terminé ou annulé).",
                        j.number
                    ),
                    format!("Job {} cannot be planned.", j.number),
                ));
            }
            over.priority.insert(j.id, j.priority.max(2));
            trigger_ref = Some(j.number.clone());
        }
        _ => {
            return Err(AppError::field(
                "trigger",
                "invalid_choice",
                "Déclencheur : « manuel » ou « urgence ».",
                "Trigger: “manuel” or “urgence”.",
            ));
        }
    }
    let base = revision(&db.conn).await?;
    let l = input::load(&db.conn, input::origin_now(), crate::paris_today(), &over).await?;
    let plan = run_plan(l.input.clone(), PLAN_TIME).await?;
    let (p, _) = store(db, ctx, bus, &l, base, plan, trigger, trigger_ref).await?;
    let rev = revision(&db.conn).await?;
    Ok(view(&l, &p, rev, english))
}

/// A repair after an event, stored as a proposal (or applied, see [`store`]).
pub(crate) async fn repair_after(
    db: &Db,
    ctx: &Ctx,
    bus: &Bus,
    event: Event,
    trigger: &str,
    trigger_ref: Option<String>,
) -> Result<(plan_proposal::Model, bool), AppError> {
    let base = revision(&db.conn).await?;
    let l = input::load(
        &db.conn,
        input::origin_now(),
        crate::paris_today(),
        &Overrides::default(),
    )
    .await?;
    let current = l.current_plan().ops;
    let plan = if current.is_empty() {
        run_plan(l.input.clone(), PLAN_TIME).await?
    } else {
        run_repair(l.input.clone(), current, event).await?
    };
    store(db, ctx, bus, &l, base, plan, trigger, trigger_ref).await
}

pub async fn list(
    db: &Db,
    ctx: &Ctx,
    f: &ProposalFilter,
    english: bool,
) -> Result<Vec<ProposalSummary>, AppError> {
    ctx.require(Module::Planning, Action::Read)?;
    let mut q = plan_proposal::Entity::find();
    if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
        if !STATUSES.iter().any(|x| x.0 == s) {
            return Err(AppError::field(
                "status",
                "invalid_choice",
                "Statut inconnu : en_attente, acceptee, refusee, appliquee ou perimee.",
                "Unknown status.",
            ));
        }
        q = q.filter(plan_proposal::Column::Status.eq(s));
    }
    let rev = revision(&db.conn).await?;
    Ok(q.order_by_desc(plan_proposal::Column::Id)
        .all(&db.conn)
        .await?
        .iter()
        .take(200)
        .map(|p| summary_view(p, rev, english))
        .collect())
}

async fn find(db: &Db, id: i64) -> Result<plan_proposal::Model, AppError> {
    plan_proposal::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("Proposition de planning", "Plan proposal"))
}

pub async fn get(db: &Db, ctx: &Ctx, id: i64, english: bool) -> Result<ProposalView, AppError> {
    ctx.require(Module::Planning, Action::Read)?;
    let p = find(db, id).await?;
    let l = input::load(
        &db.conn,
        input::origin_now(),
        crate::paris_today(),
        &Overrides::default(),
    )
    .await?;
    let rev = revision(&db.conn).await?;
    Ok(view(&l, &p, rev, english))
}

fn note_of(i: &DecisionInput) -> Result<Option<String>, AppError> {
    let n = i
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    if n.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(AppError::field(
            "note",
            "too_long",
            "2 000 caractères au plus.",
            "At most 2,000 characters.",
        ));
    }
    Ok(n)
}

fn not_pending(p: &plan_proposal::Model) -> AppError {
    AppError::new(
        Kind::Conflict,
        "planning_proposal_decided",
        format!(
            "La proposition {} n'est plus en attente ({}).",
            p.number,
            label(STATUSES, &p.status, false).to_lowercase()
        ),
        format!("Proposal {} is no longer pending.", p.number),
    )
}

/// The proposal, read in the decision's transaction; only a waiting one can be decided.
async fn pending<C: ConnectionTrait>(db: &C, id: i64) -> Result<plan_proposal::Model, AppError> {
    let p = plan_proposal::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Proposition de planning", "Plan proposal"))?;
    if p.status != "en_attente" {
        return Err(not_pending(&p));
    }
    Ok(p)
}

/// Records a manager's decision (`acceptee` or `refusee`) with its note and audit row.
async fn decide<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    p: plan_proposal::Model,
    status: &str,
    note: Option<String>,
) -> Result<plan_proposal::Model, AppError> {
    let version = p.version;
    let mut a: plan_proposal::ActiveModel = p.into();
    a.status = Set(status.into());
    a.decided_by = Set(Some(ctx.actor_login().to_string()));
    a.decided_at = Set(Some(crate::now()));
    a.decision_note = Set(note);
    a.version = Set(version + 1);
    let p = a.update(db).await?;
    audit::record(
        db,
        ctx,
        "plan_proposal",
        &p.id.to_string(),
        if status == "acceptee" {
            "accept"
        } else {
            "reject"
        },
        Some(serde_json::json!({"status": "en_attente"})),
        Some(serde_json::json!({"status": status, "note": p.decision_note})),
    )
    .await?;
    Ok(p)
}

/// A manager accepts: the proposed plan becomes the current plan (and an urgent job keeps its
/// raised priority).
pub async fn accept(
    db: &Db,
    ctx: &Ctx,
    bus: &Bus,
    id: i64,
    i: DecisionInput,
    english: bool,
) -> Result<ProposalView, AppError> {
    ctx.require(Module::Planning, Action::Validate)?;
    let note = note_of(&i)?;
    let tx = db.write().await?;
    let p = pending(&tx.tx, id).await?;
    let rev = current_revision(&tx.tx).await?;
    if rev != p.base_revision {
        let mut a: plan_proposal::ActiveModel = p.clone().into();
        a.status = Set("perimee".into());
        a.version = Set(p.version + 1);
        a.update(&tx.tx).await?;
        tx.commit().await?;
        return Err(stale());
    }
    let plan: PlanOut =
        serde_json::from_str(&p.plan_json).map_err(|_| AppError::internal("proposition"))?;
    apply(&tx.tx, ctx, &plan, p.id).await?;
    if p.trigger == "urgence"
        && let Some(number) = &p.trigger_ref
        && let Some(j) = job::Entity::find()
            .filter(job::Column::Number.eq(number.clone()))
            .one(&tx.tx)
            .await?
        && j.priority < 2
    {
        let mut a: job::ActiveModel = j.clone().into();
        a.priority = Set(2);
        a.updated_at = Set(crate::now());
        a.version = Set(j.version + 1);
        a.update(&tx.tx).await?;
    }
    let p = decide(&tx.tx, ctx, p, "acceptee", note).await?;
    tx.commit().await?;
    refresh_alerts(db);
    publish(bus, "plan_applied");
    get(db, ctx, p.id, english).await
}

pub async fn reject(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    i: DecisionInput,
    english: bool,
) -> Result<ProposalView, AppError> {
    ctx.require(Module::Planning, Action::Validate)?;
    let note = note_of(&i)?;
    let tx = db.write().await?;
    let p = pending(&tx.tx, id).await?;
    let p = decide(&tx.tx, ctx, p, "refusee", note).await?;
    tx.commit().await?;
    refresh_alerts(db);
    get(db, ctx, p.id, english).await
}

/// `Du 08/12/2026 au 10/12/2026` for messages.
pub(crate) fn period_fr(from: NaiveDateTime, to: NaiveDateTime) -> String {
    format!("du {} au {}", fr_date(from.date()), fr_date(to.date()))
}

/// The nightly run: once a night between 02:00 and 06:00 (shop time), when the setting is on,
/// a full plan is proposed for the morning's validation. Returns the proposal's id when one
/// was made.
pub async fn nightly(db: &Db, bus: &Bus) -> Result<Option<i64>, AppError> {
    let settings = super::load_settings(&db.conn).await?;
    let now = super::local(crate::now());
    if !settings.nightly || !(2..6).contains(&now.hour()) {
        return Ok(None);
    }
    let since = utc(now.date().and_hms_opt(0, 0, 0).unwrap_or(now));
    let done = plan_proposal::Entity::find()
        .filter(plan_proposal::Column::Trigger.eq("nuit"))
        .filter(plan_proposal::Column::CreatedAt.gte(since))
        .count(&db.conn)
        .await?;
    if done > 0 {
        return Ok(None);
    }
    let ctx = Ctx::system("planificateur");
    let base = revision(&db.conn).await?;
    let l = input::load(
        &db.conn,
        input::origin_now(),
        crate::paris_today(),
        &Overrides::default(),
    )
    .await?;
    if l.input.jobs.is_empty() {
        return Ok(None);
    }
    let plan = run_plan(l.input.clone(), PLAN_TIME).await?;
    let (p, _) = store(db, &ctx, bus, &l, base, plan, "nuit", None).await?;
    Ok(Some(p.id))
}

/// What planning puts in the alerts: proposals waiting for a manager (an urgent one is
/// critical), re-balancing applied automatically in the last 24 hours, and ready or running
/// jobs past their requested date (sur-urgent).
pub async fn alerts(db: &Db, today: NaiveDate) -> Result<Vec<crate::alerts::NewAlert>, AppError> {
    use crate::alerts::NewAlert;
    let rev = revision(&db.conn).await?;
    let mut out = vec![];
    for p in plan_proposal::Entity::find()
        .filter(plan_proposal::Column::Status.eq("en_attente"))
        .filter(plan_proposal::Column::BaseRevision.eq(rev))
        .order_by_asc(plan_proposal::Column::Id)
        .all(&db.conn)
        .await?
    {
        out.push(NewAlert {
            kind: "planning",
            severity: if p.trigger == "urgence" {
                "critique"
            } else {
                "attention"
            },
            entity_type: "planning/propositions",
            entity_id: p.id,
            title: format!(
                "Proposition de planning {} à valider ({})",
                p.number,
                label(TRIGGERS, &p.trigger, false).to_lowercase()
            ),
            detail: p.summary.clone().unwrap_or_default(),
            due_date: None,
        });
    }
    let since = crate::now() - chrono::Duration::hours(24);
    for p in plan_proposal::Entity::find()
        .filter(plan_proposal::Column::Status.eq("appliquee"))
        .filter(plan_proposal::Column::DecidedAt.gte(since))
        .order_by_asc(plan_proposal::Column::Id)
        .all(&db.conn)
        .await?
    {
        out.push(NewAlert {
            kind: "planning",
            severity: "info",
            entity_type: "planning/propositions",
            entity_id: p.id,
            title: format!(
                "Rééquilibrage appliqué automatiquement : {} ({})",
                p.number,
                p.trigger_ref
                    .clone()
                    .unwrap_or_else(|| label(TRIGGERS, &p.trigger, false))
            ),
            detail: p.summary.clone().unwrap_or_default(),
            due_date: None,
        });
    }
    for j in job::Entity::find()
        .filter(job::Column::Status.is_in(["pret", "en_cours"]))
        .filter(job::Column::DueDate.lt(today))
        .order_by_asc(job::Column::DueDate)
        .all(&db.conn)
        .await?
    {
        let Some(due) = j.due_date else { continue };
        out.push(NewAlert {
            kind: "planning",
            severity: "critique",
            entity_type: "jobs",
            entity_id: j.id,
            title: format!("{} sur-urgent : date souhaitée dépassée", j.number),
            detail: format!(
                "Date souhaitée du {} dépassée : l'OF passe en tête au prochain planning.",
                fr_date(due)
            ),
            due_date: Some(due),
        });
    }
    Ok(out)
}

/// Refreshes the alerts after a planning change, in the background (the request does not wait).
pub(crate) fn refresh_alerts(db: &Db) {
    let db = db.clone();
    tokio::spawn(async move {
        if let Err(e) = crate::alerts::recompute(&db, crate::paris_today()).await {
            tracing::warn!(error = %e.detail.fr, "alerts after a planning change");
        }
    });
}
