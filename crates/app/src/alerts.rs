//! Alerts: one place listing what needs attention in the shop — tools and materials under their
//! minimum stock, measuring instruments due for calibration or expired/blocked, certifications
//! expiring (J-30, J-10) or expired, plan proposals waiting for a manager, re-balancing applied
//! automatically in the last 24 hours, and sur-urgent jobs (past their requested date).
//!
//! The alerts are derived data. A background job ([`recompute`], started by `usinage serve` at
//! start and every N minutes) evaluates the rules of each module (tool `below_min`, the material
//! minimum rules of [`crate::stock::materials::alerts`], [`instruments::instrument_state`],
//! [`employees::reminders`]) and replaces the `alerts` table as a whole in one transaction, so
//! that the list and the count badge are cheap reads. Readers only see the kinds whose module
//! they may read.
//!
//! The `alerts` table is not part of backups: it holds nothing that is not derived from backed-up
//! records, and the job rebuilds it at start and every N minutes (a restored snapshot would
//! only be stale).
//!
//! Severity: `critique` = blocked or exhausted now (instrument expired or non-conforming,
//! certification expired, nothing left in stock); `attention` = act soon (calibration due within
//! a month, certification at J-10, stock under its minimum); `info` = certification at J-30.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::resources::{employees, instruments};
use crate::rights::{Action, Module};
use crate::stock::{self, materials, tools};
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use usinage_store::Db;
use usinage_store::entities::{alert, instrument, tool};

/// (kind, module whose read right shows it, French label, English label)
pub const KINDS: &[(&str, Module, &str, &str)] = &[
    ("stock_outil", Module::Tools, "Stock outil", "Tool stock"),
    (
        "stock_matiere",
        Module::Materials,
        "Stock matière",
        "Material stock",
    ),
    (
        "etalonnage",
        Module::Instruments,
        "Étalonnage",
        "Calibration",
    ),
    ("habilitation", Module::Hr, "Habilitation", "Certification"),
    ("planning", Module::Planning, "Planning", "Planning"),
];

/// (severity, rank — lower first, French label, English label)
pub const SEVERITIES: &[(&str, u8, &str, &str)] = &[
    ("critique", 0, "Critique", "Critical"),
    ("attention", 1, "Attention", "Warning"),
    ("info", 2, "Information", "Information"),
];

fn rank(severity: &str) -> u8 {
    SEVERITIES
        .iter()
        .find(|s| s.0 == severity)
        .map_or(9, |s| s.1)
}

fn fr_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// One alert as computed, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlert {
    pub kind: &'static str,
    pub severity: &'static str,
    pub entity_type: &'static str,
    pub entity_id: i64,
    pub title: String,
    pub detail: String,
    pub due_date: Option<NaiveDate>,
}

// ---------------------------------------------------------------------------------------------
// Pure rules (no I/O).

/// Stock under minimum: nothing on hand is critical, otherwise a warning; `None` when the stock
/// is at or above the minimum.
pub fn stock_severity(on_hand: i64, min: i64, below_min: bool) -> Option<&'static str> {
    if !below_min || min <= 0 {
        None
    } else if on_hand <= 0 {
        Some("critique")
    } else {
        Some("attention")
    }
}

/// Severity of an instrument state: blocked = critical, due = warning, valid = none.
pub fn instrument_severity(state: instruments::InstrumentState) -> Option<&'static str> {
    use instruments::InstrumentState::*;
    match state {
        Valide => None,
        AEtalonner => Some("attention"),
        Expire | NonConforme => Some("critique"),
    }
}

/// Severity of a certification reminder stage (`j30`, `j10`, `expire`).
pub fn certification_severity(stage: &str) -> &'static str {
    match stage {
        "expire" => "critique",
        "j10" => "attention",
        _ => "info",
    }
}

// ---------------------------------------------------------------------------------------------
// Computation.

async fn tool_alerts(db: &Db) -> Result<Vec<NewAlert>, AppError> {
    let list = tool::Entity::find()
        .filter(tool::Column::Active.eq(true))
        .all(&db.conn)
        .await?;
    let ids: Vec<i64> = list.iter().map(|t| t.id).collect();
    let sums = tools::summaries(&db.conn, &ids).await?;
    let mut out = vec![];
    for t in &list {
        let v = tools::view(t, sums.get(&t.id).copied().unwrap_or_default(), "", false);
        let Some(sev) = stock_severity(v.on_hand, v.min_stock, v.below_min) else {
            continue;
        };
        out.push(NewAlert {
            kind: "stock_outil",
            severity: sev,
            entity_type: "tools",
            entity_id: t.id,
            title: format!("Stock outil sous le minimum : {} {}", t.code, t.name),
            detail: format!(
                "{} en stock (dont {} réservé(s)) pour un minimum de {}.",
                v.on_hand, v.reserved, v.min_stock
            ),
            due_date: None,
        });
    }
    Ok(out)
}

async fn material_alerts(db: &Db, ctx: &Ctx) -> Result<Vec<NewAlert>, AppError> {
    let mut out = vec![];
    for a in materials::alerts(db, ctx, true).await? {
        let Some(sev) = stock_severity(a.on_hand, a.min_quantity, a.below_min) else {
            continue;
        };
        out.push(NewAlert {
            kind: "stock_matiere",
            severity: sev,
            entity_type: "materials",
            entity_id: a.grade_id,
            title: format!(
                "Stock matière sous le minimum : {} {} Ø{}",
                a.grade_code,
                stock::label(materials::SHAPES, &a.shape, false).to_lowercase(),
                a.diameter_mm
            ),
            detail: format!(
                "{} barre(s) en stock (disponible {}) pour un minimum de {}.",
                a.on_hand, a.available, a.min_quantity
            ),
            due_date: None,
        });
    }
    Ok(out)
}

async fn instrument_alerts(db: &Db, today: NaiveDate) -> Result<Vec<NewAlert>, AppError> {
    let mut out = vec![];
    for i in instrument::Entity::find()
        .filter(instrument::Column::Active.eq(true))
        .all(&db.conn)
        .await?
    {
        let state =
            instruments::instrument_state(i.next_calibration, i.last_result.as_deref(), today);
        let Some(sev) = instrument_severity(state) else {
            continue;
        };
        use instruments::InstrumentState::*;
        let (title, detail) = match (state, i.next_calibration) {
            (NonConforme, _) => (
                format!("Instrument non conforme : {} {}", i.code, i.name),
                "Dernier étalonnage non conforme : utilisation bloquée.".to_string(),
            ),
            (Expire, None) => (
                format!("Instrument jamais étalonné : {} {}", i.code, i.name),
                "Aucun étalonnage enregistré : utilisation bloquée.".to_string(),
            ),
            (Expire, Some(n)) => (
                format!("Étalonnage expiré : {} {}", i.code, i.name),
                format!(
                    "Étalonnage dépassé depuis le {} : utilisation bloquée sauf dérogation.",
                    fr_date(n)
                ),
            ),
            (_, n) => (
                format!("Étalonnage à prévoir : {} {}", i.code, i.name),
                match n {
                    Some(n) => format!(
                        "Prochain étalonnage le {} (dans {} jour(s)).",
                        fr_date(n),
                        (n - today).num_days()
                    ),
                    None => "Prochain étalonnage à planifier.".to_string(),
                },
            ),
        };
        out.push(NewAlert {
            kind: "etalonnage",
            severity: sev,
            entity_type: "instruments",
            entity_id: i.id,
            title,
            detail,
            due_date: i.next_calibration,
        });
    }
    Ok(out)
}

async fn certification_alerts(
    db: &Db,
    ctx: &Ctx,
    today: NaiveDate,
) -> Result<Vec<NewAlert>, AppError> {
    Ok(employees::reminders(db, ctx, today, "", false)
        .await?
        .into_iter()
        .map(|r| {
            let who = format!("{} {}", r.matricule, r.employee_name);
            let what = if r.designation.is_empty() {
                r.kind_label.clone()
            } else {
                format!("{} — {}", r.kind_label, r.designation)
            };
            let (title, detail) = if r.stage == "expire" {
                (
                    format!("Habilitation expirée : {who}"),
                    format!("{what} : expirée depuis le {}.", fr_date(r.expires_on)),
                )
            } else {
                (
                    format!("Habilitation à renouveler : {who}"),
                    format!(
                        "{what} : expire le {} (J-{}).",
                        fr_date(r.expires_on),
                        r.days_left
                    ),
                )
            };
            NewAlert {
                kind: "habilitation",
                severity: certification_severity(&r.stage),
                entity_type: "employees",
                entity_id: r.employee_id,
                title,
                detail,
                due_date: Some(r.expires_on),
            }
        })
        .collect())
}

/// Evaluates every alert rule on `today` (system rights: all kinds).
pub async fn compute(db: &Db, today: NaiveDate) -> Result<Vec<NewAlert>, AppError> {
    let ctx = Ctx::system("alerts");
    let mut all = tool_alerts(db).await?;
    all.extend(material_alerts(db, &ctx).await?);
    all.extend(instrument_alerts(db, today).await?);
    all.extend(certification_alerts(db, &ctx, today).await?);
    all.extend(crate::planning::proposals::alerts(db, today).await?);
    Ok(all)
}

/// Recomputes the alerts for `today` and replaces the stored snapshot in one transaction.
/// Returns the number of alerts stored. Derived data: not audited.
pub async fn recompute(db: &Db, today: NaiveDate) -> Result<usize, AppError> {
    let all = compute(db, today).await?;
    let now = crate::now();
    let tx = db.write().await?;
    alert::Entity::delete_many().exec(&tx.tx).await?;
    for a in &all {
        alert::ActiveModel {
            kind: Set(a.kind.into()),
            severity: Set(a.severity.into()),
            entity_type: Set(a.entity_type.into()),
            entity_id: Set(a.entity_id),
            title: Set(a.title.clone()),
            detail: Set(a.detail.clone()),
            due_date: Set(a.due_date),
            computed_at: Set(now),
            ..Default::default()
        }
        .insert(&tx.tx)
        .await?;
    }
    tx.commit().await?;
    Ok(all.len())
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// The alert kinds the caller may see (one read right per kind's module).
pub fn readable_kinds(ctx: &Ctx) -> Vec<&'static str> {
    KINDS
        .iter()
        .filter(|k| ctx.require(k.1, Action::Read).is_ok())
        .map(|k| k.0)
        .collect()
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertItem {
    pub id: i64,
    /// `stock_outil`, `stock_matiere`, `etalonnage`, `habilitation`, `planning`
    pub kind: String,
    pub kind_label: String,
    /// `critique`, `attention`, `info`
    pub severity: String,
    pub severity_label: String,
    /// UI path of the record (`tools`, `materials`, `instruments`, `employees`, `jobs`,
    /// `planning/propositions`).
    pub entity_type: String,
    pub entity_id: i64,
    /// French title and detail.
    pub title: String,
    pub detail: String,
    pub due_date: Option<NaiveDate>,
    /// `<public_base_url>/<entity_type>/<entity_id>`
    pub url: String,
    pub computed_at: chrono::DateTime<chrono::Utc>,
}

pub fn view(a: &alert::Model, base: &str, english: bool) -> AlertItem {
    let kind_label = KINDS
        .iter()
        .find(|k| k.0 == a.kind)
        .map_or(a.kind.clone(), |k| {
            if english { k.3 } else { k.2 }.to_string()
        });
    let severity_label = SEVERITIES
        .iter()
        .find(|s| s.0 == a.severity)
        .map_or(a.severity.clone(), |s| {
            if english { s.3 } else { s.2 }.to_string()
        });
    AlertItem {
        id: a.id,
        kind: a.kind.clone(),
        kind_label,
        severity: a.severity.clone(),
        severity_label,
        entity_type: a.entity_type.clone(),
        entity_id: a.entity_id,
        title: a.title.clone(),
        detail: a.detail.clone(),
        due_date: a.due_date,
        url: format!(
            "{}/{}/{}",
            base.trim_end_matches('/'),
            a.entity_type,
            a.entity_id
        ),
        computed_at: a.computed_at,
    }
}

#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    /// Free text searched in the title and detail (case-insensitive).
    pub q: Option<String>,
    pub kind: Option<String>,
    pub severity: Option<String>,
}

/// The stored alerts the caller may see, critical first, then by due date (soonest first,
/// undated last), kind and title.
pub async fn list(db: &Db, ctx: &Ctx, f: &AlertFilter) -> Result<Vec<alert::Model>, AppError> {
    let mut v = crate::error::Validator::default();
    if let Some(k) = &f.kind
        && !KINDS.iter().any(|c| c.0 == k)
    {
        v.add(
            "kind",
            "unknown_value",
            format!("Type d'alerte inconnu : « {k} »."),
            format!("Unknown alert kind: “{k}”."),
        );
    }
    if let Some(s) = &f.severity
        && !SEVERITIES.iter().any(|c| c.0 == s)
    {
        v.add(
            "severity",
            "unknown_value",
            format!("Gravité inconnue : « {s} »."),
            format!("Unknown severity: “{s}”."),
        );
    }
    v.finish()?;
    let kinds = readable_kinds(ctx);
    if kinds.is_empty() {
        return Ok(vec![]);
    }
    let mut q = alert::Entity::find().filter(alert::Column::Kind.is_in(kinds));
    if let Some(k) = &f.kind {
        q = q.filter(alert::Column::Kind.eq(k.as_str()));
    }
    if let Some(s) = &f.severity {
        q = q.filter(alert::Column::Severity.eq(s.as_str()));
    }
    let mut rows = q.all(&db.conn).await?;
    if let Some(t) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let t = t.to_lowercase();
        rows.retain(|a| {
            a.title.to_lowercase().contains(&t) || a.detail.to_lowercase().contains(&t)
        });
    }
    rows.sort_by(|a, b| {
        (
            rank(&a.severity),
            a.due_date.is_none(),
            a.due_date,
            &a.kind,
            &a.title,
            a.id,
        )
            .cmp(&(
                rank(&b.severity),
                b.due_date.is_none(),
                b.due_date,
                &b.kind,
                &b.title,
                b.id,
            ))
    });
    Ok(rows)
}

/// When the stored snapshot was computed (`None` before the first run).
pub async fn computed_at(db: &Db) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    use sea_orm::QueryOrder;
    Ok(alert::Entity::find()
        .order_by_desc(alert::Column::ComputedAt)
        .one(&db.conn)
        .await?
        .map(|a| a.computed_at))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AlertCount {
    pub total: i64,
    pub critique: i64,
    pub attention: i64,
    pub info: i64,
}

/// Counts for the top-bar badge, with the same rights filter as [`list`].
pub async fn count(db: &Db, ctx: &Ctx) -> Result<AlertCount, AppError> {
    let kinds = readable_kinds(ctx);
    let mut c = AlertCount::default();
    if kinds.is_empty() {
        return Ok(c);
    }
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let rows: Vec<(String, i64)> = alert::Entity::find()
        .select_only()
        .column(alert::Column::Severity)
        .column_as(Expr::col(alert::Column::Id).count(), "n")
        .filter(alert::Column::Kind.is_in(kinds))
        .group_by(alert::Column::Severity)
        .into_tuple()
        .all(&db.conn)
        .await?;
    for (s, n) in rows {
        c.total += n;
        match s.as_str() {
            "critique" => c.critique += n,
            "attention" => c.attention += n,
            _ => c.info += n,
        }
    }
    Ok(c)
}

/// Recompute now, for a caller who may see at least one kind of alert (it only refreshes
/// derived data; what he then reads stays filtered by his rights).
pub async fn refresh(db: &Db, ctx: &Ctx, today: NaiveDate) -> Result<usize, AppError> {
    if readable_kinds(ctx).is_empty() {
        return Err(AppError::forbidden(
            "Accès refusé : votre profil ne permet de consulter aucune alerte.",
            "Access denied: your profile may not read any alert.",
        ));
    }
    recompute(db, today).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use instruments::InstrumentState;

    #[test]
    fn stock_under_minimum_is_critical_when_nothing_is_left() {
        assert_eq!(stock_severity(0, 5, true), Some("critique"));
        assert_eq!(stock_severity(2, 5, true), Some("attention"));
        assert_eq!(stock_severity(5, 5, false), None);
        assert_eq!(stock_severity(0, 0, false), None);
    }

    #[test]
    fn blocked_instruments_are_critical_and_due_ones_a_warning() {
        assert_eq!(
            instrument_severity(InstrumentState::Expire),
            Some("critique")
        );
        assert_eq!(
            instrument_severity(InstrumentState::NonConforme),
            Some("critique")
        );
        assert_eq!(
            instrument_severity(InstrumentState::AEtalonner),
            Some("attention")
        );
        assert_eq!(instrument_severity(InstrumentState::Valide), None);
    }

    #[test]
    fn certifications_expired_are_critical_j10_a_warning_j30_an_information() {
        assert_eq!(certification_severity("expire"), "critique");
        assert_eq!(certification_severity("j10"), "attention");
        assert_eq!(certification_severity("j30"), "info");
    }

    #[test]
    fn critical_sorts_before_warning_before_information() {
        assert!(rank("critique") < rank("attention"));
        assert!(rank("attention") < rank("info"));
    }
}
