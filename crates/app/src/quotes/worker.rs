//! Background analysis of uploaded drawings. The queue is the `analysis_status` column: a line
//! is claimed by switching it from `en_attente` to `en_cours` (one conditional UPDATE, so two
//! servers never analyse the same line), analysed on the blocking pool, then its reviewed
//! columns are pre-filled and the estimate computed. A failing drawing gets `echec` with a
//! French message; the next line goes on. At start, lines left `en_cours` by a stopped server
//! go back to the queue.

use super::lines;
use crate::audit;
use crate::ctx::Ctx;
use crate::error::AppError;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use usinage_drawing::{DrawingAnalysis, FileKind, GradeSynonyms, Limits, ShapeClass};
use usinage_store::Db;
use usinage_store::entities::{file_blob, material_grade, quote_line};

pub struct Analyzer {
    db: Db,
    wake: Notify,
    limits: Limits,
}

impl Analyzer {
    /// Starts the worker task (needs a Tokio runtime).
    pub fn start(db: Db) -> Arc<Analyzer> {
        let a = Arc::new(Analyzer {
            db,
            wake: Notify::new(),
            limits: Limits::default(),
        });
        let worker = a.clone();
        tokio::spawn(async move { worker.run().await });
        a
    }

    /// Tells the worker new lines are queued.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    async fn run(self: Arc<Self>) {
        if let Err(e) = quote_line::Entity::update_many()
            .col_expr(
                quote_line::Column::AnalysisStatus,
                Expr::value("en_attente"),
            )
            .filter(quote_line::Column::AnalysisStatus.eq("en_cours"))
            .exec(&self.db.conn)
            .await
        {
            tracing::warn!(error = %e, "drawing queue: reset of interrupted analyses failed");
        }
        loop {
            match self.next().await {
                Ok(Some(id)) => {
                    if let Err(e) = self.process(id).await {
                        tracing::error!(line = id, error = %e, "drawing analysis could not be saved");
                        let _ = self.fail(id, &e.detail.fr).await;
                    }
                }
                Ok(None) => {
                    // Woken by an upload; the timeout also picks up lines queued by another
                    // server on the same database.
                    let _ =
                        tokio::time::timeout(Duration::from_secs(20), self.wake.notified()).await;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "drawing queue unavailable");
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
            }
        }
    }

    /// Claims the oldest queued line.
    async fn next(&self) -> Result<Option<i64>, AppError> {
        loop {
            let Some(l) = quote_line::Entity::find()
                .filter(quote_line::Column::AnalysisStatus.eq("en_attente"))
                .order_by_asc(quote_line::Column::Id)
                .one(&self.db.conn)
                .await?
            else {
                return Ok(None);
            };
            let tx = self.db.write().await?;
            let r = quote_line::Entity::update_many()
                .col_expr(quote_line::Column::AnalysisStatus, Expr::value("en_cours"))
                .filter(quote_line::Column::Id.eq(l.id))
                .filter(quote_line::Column::AnalysisStatus.eq("en_attente"))
                .exec(&tx.tx)
                .await?;
            tx.commit().await?;
            if r.rows_affected == 1 {
                return Ok(Some(l.id));
            }
        }
    }

    async fn fail(&self, id: i64, message: &str) -> Result<(), AppError> {
        let tx = self.db.write().await?;
        quote_line::Entity::update_many()
            .col_expr(quote_line::Column::AnalysisStatus, Expr::value("echec"))
            .col_expr(quote_line::Column::AnalysisError, Expr::value(message))
            .filter(quote_line::Column::Id.eq(id))
            .exec(&tx.tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn process(&self, id: i64) -> Result<(), AppError> {
        let Some(l) = quote_line::Entity::find_by_id(id)
            .one(&self.db.conn)
            .await?
        else {
            return Ok(());
        };
        let Some(blob) = l.blob_id else {
            return self.fail(id, "Ligne sans plan.").await;
        };
        let bytes = file_blob::Entity::find_by_id(blob)
            .one(&self.db.conn)
            .await?
            .map(|b| b.data)
            .unwrap_or_default();
        let grades = material_grade::Entity::find()
            .filter(material_grade::Column::Active.eq(true))
            .all(&self.db.conn)
            .await?;
        let synonyms = grade_synonyms(&grades);
        let filename = l.filename.clone().unwrap_or_default();
        let limits = self.limits.clone();
        let started = std::time::Instant::now();
        let result = tokio::task::spawn_blocking(move || {
            usinage_drawing::analyze_file(&bytes, &filename, &limits, &synonyms)
        })
        .await
        .map_err(|_| AppError::internal("analyse du plan interrompue"))?;
        tracing::info!(
            line = id,
            seconds = started.elapsed().as_secs_f64(),
            ok = result.is_ok(),
            "drawing analysed"
        );
        let tx = self.db.write().await?;
        // The line may have been deleted or re-queued meanwhile.
        let Some(cur) = quote_line::Entity::find_by_id(id).one(&tx.tx).await? else {
            return Ok(());
        };
        if cur.analysis_status != "en_cours" {
            return Ok(());
        }
        let mut am: quote_line::ActiveModel = cur.clone().into();
        match result {
            Err(e) => {
                am.analysis_status = Set("echec".into());
                am.analysis_error = Set(Some(e.message_fr()));
                am.analysis_json = Set(None);
            }
            Ok(a) => {
                prefill(&mut am, &cur, &a, &grades);
                am.analysis_status = Set(if a.format == FileKind::Other {
                    "manuel".into()
                } else {
                    "termine".into()
                });
                am.analysis_error = Set(None);
                am.pages = Set(Some(a.pages as i32));
                am.analysis_json = Set(Some(
                    serde_json::to_string(&a).map_err(|_| AppError::internal("analyse"))?,
                ));
            }
        }
        am.reviewed = Set(false);
        am.updated_at = Set(crate::now());
        am.version = Set(cur.version + 1);
        let am = am.update(&tx.tx).await?.into();
        let l = lines::recompute(&tx.tx, am).await?;
        let ctx = Ctx::system("analyse des plans");
        audit::record(
            &tx.tx,
            &ctx,
            "quote",
            &l.quote_id.to_string(),
            "drawing_analysed",
            None,
            Some(serde_json::json!({
                "line_id": l.id, "status": l.analysis_status, "error": l.analysis_error,
                "drawing_number": l.drawing_number, "grade_id": l.grade_id,
            })),
        )
        .await?;
        super::touch(&tx.tx, l.quote_id).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A designation without its delivery condition ("C45 +N" → "C45", "EN AW-2017A T451" →
/// "EN AW-2017A", "Ti-6Al-4V grade 5" → "Ti-6Al-4V").
fn base_designation(name: &str) -> String {
    let mut kept = Vec::new();
    for t in name.split_whitespace() {
        let upper = t.to_ascii_uppercase();
        let temper = t.starts_with('+')
            || t.starts_with('(')
            || upper == "GRADE"
            || ((upper.starts_with('T') || upper.starts_with('H'))
                && upper.len() > 1
                && upper[1..].chars().all(|c| c.is_ascii_digit()));
        if temper {
            break;
        }
        kept.push(t);
    }
    kept.join(" ")
}

/// The shop's grades with every name they are known by; `grade_id` is the row id. The names
/// of the grade record (AFNOR, EN number and name, AISI, DIN, code) are completed with the
/// drawing engine's synonym table (old AFNOR designations such as XC48, 35NCD16, AU4G, Z2CN18-10)
/// for the built-in grade they designate.
pub fn grade_synonyms(grades: &[material_grade::Model]) -> Vec<GradeSynonyms> {
    let builtin = usinage_drawing::builtin_grades();
    let list = |s: &Option<String>| -> Vec<String> {
        let mut out = Vec::new();
        for v in s.iter().flat_map(|v| v.split([',', ';', '/'])) {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            out.push(v.to_string());
            let base = base_designation(v);
            if !base.is_empty() && base != v {
                out.push(base);
            }
        }
        out
    };
    grades
        .iter()
        .map(|g| {
            let mut s = GradeSynonyms {
                grade_id: g.id.to_string(),
                afnor: list(&Some(g.afnor.clone())),
                en_number: list(&g.en_number),
                en_name: list(&g.en_name),
                aisi: list(&g.aisi),
                din: list(&g.din),
                synonyms: vec![g.code.clone()],
            };
            let own: Vec<String> = [&s.afnor, &s.en_number, &s.en_name, &s.aisi, &s.din]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            for name in own {
                let Some((id, conf)) = usinage_drawing::match_material(&name, &builtin) else {
                    continue;
                };
                if conf < 0.95 {
                    continue;
                }
                if let Some(b) = builtin.iter().find(|b| b.grade_id == id) {
                    for n in [
                        &b.afnor,
                        &b.en_number,
                        &b.en_name,
                        &b.aisi,
                        &b.din,
                        &b.synonyms,
                    ]
                    .into_iter()
                    .flatten()
                    .chain(std::iter::once(&b.grade_id))
                    {
                        if !s.synonyms.contains(n) {
                            s.synonyms.push(n.clone());
                        }
                    }
                }
            }
            s
        })
        .collect()
}

/// Pre-fills the reviewed columns from what was read; what the person already entered on a
/// manual field (quantities typed at upload) is kept.
pub(crate) fn prefill(
    am: &mut quote_line::ActiveModel,
    cur: &quote_line::Model,
    a: &DrawingAnalysis,
    grades: &[material_grade::Model],
) {
    let s = |f: &Option<usinage_drawing::Found<String>>| f.as_ref().map(|f| f.value.clone());
    am.drawing_number = Set(s(&a.drawing_number));
    am.drawing_revision = Set(s(&a.revision));
    am.part_name = Set(s(&a.part_name));
    am.heat_treatment = Set(s(&a.heat_treatment));
    am.surface_treatment = Set(s(&a.surface_treatment));
    am.grade_id = Set(a
        .material_grade
        .as_ref()
        .and_then(|m| m.value.grade_id.parse::<i64>().ok())
        .filter(|id| grades.iter().any(|g| g.id == *id)));
    if cur.quantities.trim().is_empty()
        && let Some(q) = a.quantity.as_ref().filter(|q| q.value > 0)
    {
        am.quantities = Set(q.value.to_string());
    }
    am.critical = Set(cur.critical || !a.critical_markers.is_empty());
    am.shape = Set(match a.shape_class.as_ref().map(|f| f.value) {
        Some(ShapeClass::Turned) => "turned",
        Some(ShapeClass::Prismatic) => "prismatic",
        Some(ShapeClass::SheetMetal) => "sheet_bent",
        Some(ShapeClass::Welded) => "welded",
        None => "unknown",
    }
    .into());
    let e = a.envelope.as_ref().map(|e| &e.value);
    let mm = |v: Option<f64>| v.map(usinage_engines::estimate::fmt_mm);
    am.env_diameter_mm = Set(mm(e.and_then(|e| e.diameter)));
    am.env_length_mm = Set(mm(e.and_then(|e| e.length)));
    am.env_width_mm = Set(mm(e.and_then(|e| e.width)));
    am.env_height_mm = Set(mm(e.and_then(|e| e.height)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grade(
        id: i64,
        code: &str,
        afnor: &str,
        en: &str,
        aisi: Option<&str>,
    ) -> material_grade::Model {
        material_grade::Model {
            id,
            code: code.into(),
            afnor: afnor.into(),
            en_number: None,
            en_name: Some(en.into()),
            aisi: aisi.map(str::to_string),
            din: None,
            iso_group: "P".into(),
            density: "7.85".into(),
            hardness: None,
            machinability: None,
            active: true,
            notes: None,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn delivery_conditions_are_dropped() {
        assert_eq!(base_designation("C45 +N"), "C45");
        assert_eq!(base_designation("EN AW-2017A T451"), "EN AW-2017A");
        assert_eq!(base_designation("Ti-6Al-4V grade 5"), "Ti-6Al-4V");
        assert_eq!(base_designation("A36 (≈)"), "A36");
        assert_eq!(base_designation("42CrMo4"), "42CrMo4");
    }

    #[test]
    fn old_afnor_designations_reach_the_shop_grades() {
        let grades = vec![
            grade(2, "MA02", "C45 +N", "C45", Some("1045")),
            grade(4, "MA04", "35NiCrMo16 +QT", "35NiCrMo16", None),
            grade(9, "MA09", "EN AW-2017A T451", "AlCu4MgSi", Some("2017")),
        ];
        let syn = grade_synonyms(&grades);
        let id = |raw: &str| usinage_drawing::match_material(raw, &syn).map(|(id, _)| id);
        assert_eq!(id("C45").as_deref(), Some("2"));
        assert_eq!(id("XC48").as_deref(), Some("2"));
        assert_eq!(id("35NCD16").as_deref(), Some("4"));
        assert_eq!(id("AU4G").as_deref(), Some("9"));
        assert_eq!(id("EN AW-2017A").as_deref(), Some("9"));
    }
}
