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

/// The shop's grades with every name they are known by; `grade_id` is the row id.
pub fn grade_synonyms(grades: &[material_grade::Model]) -> Vec<GradeSynonyms> {
    let list = |s: &Option<String>| -> Vec<String> {
        s.iter()
            .flat_map(|v| v.split([',', ';', '/']))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    };
    grades
        .iter()
        .map(|g| GradeSynonyms {
            grade_id: g.id.to_string(),
            afnor: list(&Some(g.afnor.clone())),
            en_number: list(&g.en_number),
            en_name: list(&g.en_name),
            aisi: list(&g.aisi),
            din: list(&g.din),
            synonyms: vec![g.code.clone()],
        })
        .collect()
}

/// Pre-fills the reviewed columns from what was read; what the person already entered on a
/// manual field (quantities typed at upload) is kept.
fn prefill(
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
