//! Quote lines: drawings uploaded (queued for analysis), manual lines, review by a person, and
//! the estimate re-run after every change.

use super::{find as find_quote, require_draft, shop, touch};
use crate::attachments::{MAX_BYTES, clean_filename, sniff};
use crate::audit;
use crate::crm::{CodeLabels, label_of};
use crate::ctx::Ctx;
use crate::error::{AppError, Kind, Validator};
use crate::rights::{Action, Module};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set, TryIntoModel,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use usinage_drawing::spec::{self, Missing, SpecDraft};
use usinage_drawing::{
    BBox, DrawingAnalysis, Envelope as DEnv, FileKind, Found, ShapeClass as DShape,
};
use usinage_engines::estimate::{self, Estimate, ScenarioKind, ShopContext};
use usinage_store::Db;
use usinage_store::entities::{attachment, file_blob, material_grade, partner, quote_line};

pub const ANALYSIS_STATUSES: CodeLabels = &[
    ("en_attente", "En attente d'analyse", "Queued"),
    ("en_cours", "Analyse en cours", "Analysing"),
    ("termine", "Plan analysé", "Analysed"),
    ("echec", "Échec de l'analyse", "Analysis failed"),
    ("manuel", "Saisie manuelle", "Manual entry"),
];

pub const SHAPES: &[&str] = &["turned", "prismatic", "sheet_bent", "welded", "unknown"];
pub const SCENARIOS: &[&str] = &["economique", "standard", "express"];
/// Drawings per upload.
pub const MAX_FILES: usize = 50;
/// Quantity breaks per line.
pub const MAX_BREAKS: usize = 8;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrawingInfo {
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub pages: i32,
    /// Page images can be shown (PDF and images).
    pub previewable: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct EnvelopeView {
    pub diameter: Option<f64>,
    pub length: Option<f64>,
    pub width: Option<f64>,
    pub height: Option<f64>,
}

/// A value the drawing engine read, where it read it (box normalised 0..1, top-left origin).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExtractedField {
    pub key: String,
    pub label: String,
    pub value: String,
    pub confidence: f32,
    pub page: u32,
    #[schema(value_type = Object)]
    pub bbox: BBox,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LineView {
    pub id: i64,
    pub quote_id: i64,
    pub position: i32,
    pub drawing: Option<DrawingInfo>,
    pub analysis_status: String,
    pub analysis_status_label: String,
    pub analysis_error: Option<String>,
    pub drawing_number: Option<String>,
    pub drawing_revision: Option<String>,
    pub part_name: Option<String>,
    pub grade_id: Option<i64>,
    pub grade_code: Option<String>,
    /// AFNOR designation of the grade, e.g. "C45 +N".
    pub grade_name: Option<String>,
    pub heat_treatment: Option<String>,
    pub surface_treatment: Option<String>,
    pub quantities: Vec<u32>,
    pub critical: bool,
    pub shape: String,
    pub envelope: EnvelopeView,
    pub general_tolerance: Option<String>,
    pub projection: Option<String>,
    pub text_source: Option<String>,
    pub extracted: Vec<ExtractedField>,
    pub warnings: Vec<String>,
    #[schema(value_type = Vec<Object>)]
    pub missing: Vec<Missing>,
    pub assumptions: Vec<String>,
    #[schema(value_type = Option<Object>)]
    pub estimate: Option<serde_json::Value>,
    pub selected_quantity: Option<i32>,
    pub selected_scenario: String,
    pub unit_price: Option<String>,
    /// Set when the unit price was typed by a person instead of the scenario's.
    pub unit_price_override: Option<String>,
    pub total: Option<String>,
    pub reviewed: bool,
    pub reviewed_by_name: Option<String>,
    pub reviewed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub version: i32,
}

/// Changes to a line (every field optional; `version` required).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct LinePatch {
    pub drawing_number: Option<String>,
    pub drawing_revision: Option<String>,
    pub part_name: Option<String>,
    /// `0` or `null` clears it… only `null`-absent is "unchanged": send the id to set it.
    pub grade_id: Option<i64>,
    pub heat_treatment: Option<String>,
    pub surface_treatment: Option<String>,
    pub quantities: Option<Vec<i64>>,
    pub critical: Option<bool>,
    pub shape: Option<String>,
    pub envelope: Option<EnvelopeView>,
    pub selected_quantity: Option<i32>,
    pub selected_scenario: Option<String>,
    /// Unit price (€ HT) typed by a person for the selected quantity, e.g. "18,50"; refused
    /// below the minimum margin; `""` goes back to the selected scenario's price.
    pub unit_price: Option<String>,
    pub reviewed: Option<bool>,
    pub version: Option<i32>,
}

/// A drawing file as the HTTP layer hands it over.
#[derive(Debug, Clone)]
pub struct Upload {
    pub filename: String,
    pub bytes: Vec<u8>,
}

fn parse_quantities(s: &str) -> Vec<u32> {
    s.split([',', ';', ' '])
        .filter_map(|p| p.trim().parse::<u32>().ok())
        .filter(|q| *q > 0)
        .collect()
}

fn join_quantities(q: &[u32]) -> String {
    q.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

fn mm(s: &Option<String>) -> Option<f64> {
    s.as_deref().and_then(|v| v.parse::<f64>().ok())
}

fn mm_string(v: Option<f64>) -> Option<String> {
    v.map(estimate::fmt_mm)
}

fn shape_code(s: DShape) -> &'static str {
    match s {
        DShape::Turned => "turned",
        DShape::Prismatic => "prismatic",
        DShape::SheetMetal => "sheet_bent",
        DShape::Welded => "welded",
    }
}

fn shape_of(code: &str) -> Option<DShape> {
    Some(match code {
        "turned" => DShape::Turned,
        "prismatic" => DShape::Prismatic,
        "sheet_bent" => DShape::SheetMetal,
        "welded" => DShape::Welded,
        _ => return None,
    })
}

fn analysis_of(l: &quote_line::Model) -> Option<DrawingAnalysis> {
    l.analysis_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
}

fn found_manual<T>(value: T) -> Found<T> {
    Found {
        value,
        confidence: 1.0,
        page: 0,
        bbox: BBox::default(),
    }
}

/// The analysis as corrected by the person: the reviewed columns replace what was read.
pub fn reviewed_analysis(l: &quote_line::Model) -> DrawingAnalysis {
    let mut a = analysis_of(l).unwrap_or_else(|| DrawingAnalysis::empty(FileKind::Other));
    a.shape_class = shape_of(&l.shape).map(found_manual);
    let env = DEnv {
        diameter: mm(&l.env_diameter_mm),
        length: mm(&l.env_length_mm),
        width: mm(&l.env_width_mm),
        height: mm(&l.env_height_mm),
    };
    a.envelope = (env.diameter.is_some()
        || env.length.is_some()
        || env.width.is_some()
        || env.height.is_some())
    .then(|| found_manual(env));
    a.heat_treatment = l.heat_treatment.clone().map(found_manual);
    a.surface_treatment = l.surface_treatment.clone().map(found_manual);
    if !l.critical {
        a.critical_markers.clear();
    } else if a.critical_markers.is_empty() {
        a.critical_markers
            .push(found_manual("pièce critique (saisie)".into()));
    }
    a
}

/// Part spec and estimate of a line from its reviewed values (pure).
pub fn evaluate(
    l: &quote_line::Model,
    grade: Option<&material_grade::Model>,
    shop: &ShopContext,
) -> (SpecDraft, Option<Estimate>) {
    let a = reviewed_analysis(l);
    let draft = spec::part_spec(
        &a,
        grade.map(shop::material_of),
        &parse_quantities(&l.quantities),
    );
    let est = draft.spec.as_ref().map(|s| estimate::estimate(s, shop));
    (draft, est)
}

/// Unit price and total (cents) of the selected quantity and scenario.
pub fn selected_price(
    est: &Estimate,
    quantity: Option<i32>,
    scenario: &str,
) -> Option<(i32, i64, i64)> {
    let b = match quantity {
        Some(q) => est.breaks.iter().find(|b| b.quantity as i32 == q),
        None => None,
    }
    .or_else(|| est.breaks.first())?;
    let kind = match scenario {
        "economique" => ScenarioKind::Economique,
        "express" => ScenarioKind::Express,
        _ => ScenarioKind::Standard,
    };
    let s = b.scenarios.iter().find(|s| s.kind == kind)?;
    let to_cents = |d: Decimal| (d * Decimal::from(100)).round().try_into().ok();
    Some((
        b.quantity as i32,
        to_cents(s.unit_price)?,
        to_cents(s.total_price)?,
    ))
}

/// A unit price typed by a person for `quantity`: refused below the minimum margin on the
/// estimate's unit cost. Returns (unit, total) in cents.
pub fn negotiated(
    est: &Estimate,
    quantity: i32,
    unit_cents: i64,
    settings: &usinage_engines::estimate::PricingSettings,
) -> Result<(i64, i64), estimate::MarginError> {
    let price = Decimal::new(unit_cents, 2);
    let cost = est
        .breaks
        .iter()
        .find(|b| b.quantity as i32 == quantity)
        .map(|b| b.unit_cost)
        .unwrap_or_default();
    estimate::check_price(cost, price, settings)?;
    Ok((unit_cents, unit_cents * i64::from(quantity.max(0))))
}

/// Re-runs the estimate of a line and stores it (inside the caller's transaction).
pub(crate) async fn recompute<C: ConnectionTrait>(
    db: &C,
    mut am: quote_line::ActiveModel,
) -> Result<quote_line::Model, AppError> {
    let l = am
        .clone()
        .try_into_model()
        .map_err(|_| AppError::internal("ligne de devis"))?;
    let grade = match l.grade_id {
        Some(g) => material_grade::Entity::find_by_id(g).one(db).await?,
        None => None,
    };
    let shop = shop::load(db).await?;
    let (draft, est) = evaluate(&l, grade.as_ref(), &shop);
    let price = est
        .as_ref()
        .and_then(|e| selected_price(e, l.selected_quantity, &l.selected_scenario));
    am.draft_json = Set(Some(json(&serde_json::json!({
        "missing": draft.missing, "assumptions": draft.assumptions, "spec": draft.spec,
    }))?));
    am.estimate_json = Set(match &est {
        Some(e) => Some(json(e)?),
        None => None,
    });
    let price = match (price, l.unit_price_override_cents, &est) {
        (Some((q, _, _)), Some(typed), Some(e)) => {
            let (unit, total) = negotiated(e, q, typed, &shop.settings).map_err(|m| {
                AppError::field(
                    "unit_price",
                    "below_min_margin",
                    m.message_fr(),
                    "Price refused: below the minimum margin on cost.",
                )
            })?;
            Some((q, unit, total))
        }
        (p, _, _) => p,
    };
    am.selected_quantity = Set(price.map(|p| p.0).or(l.selected_quantity));
    am.unit_price_cents = Set(price.map(|p| p.1));
    am.total_cents = Set(price.map(|p| p.2));
    Ok(am.update(db).await?)
}

fn json<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|_| AppError::internal("sérialisation"))
}

fn fmt_dim(d: &usinage_drawing::Dimension) -> String {
    match (d.min, d.max) {
        (Some(min), Some(max)) => format!("{} ({} … {})", d.text, min, max),
        _ => d.text.clone(),
    }
}

/// Everything the engine read, flattened for the review screen's overlay.
pub fn extracted(a: &DrawingAnalysis) -> Vec<ExtractedField> {
    let mut out = Vec::new();
    let mut push = |key: &str, label: &str, value: String, f: (f32, u32, BBox)| {
        out.push(ExtractedField {
            key: key.into(),
            label: label.into(),
            value,
            confidence: f.0,
            page: f.1,
            bbox: f.2,
        })
    };
    fn loc<T>(f: &Found<T>) -> (f32, u32, BBox) {
        (f.confidence, f.page, f.bbox)
    }
    let texts: [(&str, &str, &Option<Found<String>>); 9] = [
        ("drawing_number", "N° de plan", &a.drawing_number),
        ("revision", "Indice", &a.revision),
        ("part_name", "Désignation", &a.part_name),
        ("material", "Matière", &a.material),
        ("heat_treatment", "Traitement thermique", &a.heat_treatment),
        (
            "surface_treatment",
            "Traitement de surface",
            &a.surface_treatment,
        ),
        ("customer", "Client", &a.customer),
        ("scale", "Échelle", &a.scale),
        ("date", "Date", &a.date),
    ];
    for (k, label, f) in texts {
        if let Some(f) = f {
            push(k, label, f.value.clone(), loc(f));
        }
    }
    if let Some(f) = &a.quantity {
        push("quantity", "Quantité", f.value.to_string(), loc(f));
    }
    if let Some(f) = &a.general_tolerance {
        push(
            "general_tolerance",
            "Tolérance générale",
            f.value.to_string(),
            loc(f),
        );
    }
    if let Some(f) = &a.projection {
        let v = match f.value {
            usinage_drawing::Projection::FirstAngle => "Européenne (1er dièdre)",
            usinage_drawing::Projection::ThirdAngle => "Américaine (3e dièdre)",
        };
        push("projection", "Projection", v.into(), loc(f));
    }
    if let Some(f) = &a.shape_class {
        push(
            "shape_class",
            "Forme",
            shape_label(shape_code(f.value)).into(),
            loc(f),
        );
    }
    if let Some(f) = &a.envelope {
        let e = &f.value;
        let v = match (e.diameter, e.length, e.width, e.height) {
            (Some(d), Some(l), _, _) => {
                format!("Ø{} × {}", estimate::fmt_mm(d), estimate::fmt_mm(l))
            }
            (_, l, w, h) => [l, w, h]
                .iter()
                .map(|v| v.map(estimate::fmt_mm).unwrap_or_else(|| "?".into()))
                .collect::<Vec<_>>()
                .join(" × "),
        };
        push("envelope", "Encombrement (mm)", v, loc(f));
    }
    for d in &a.dimensions {
        push("dimension", "Cote", fmt_dim(&d.value), loc(d));
    }
    for r in &a.roughness {
        push(
            "roughness",
            "Rugosité",
            format!("{} {} µm", r.value.parameter, r.value.value_um),
            loc(r),
        );
    }
    for t in &a.threads {
        push("thread", "Filetage", t.value.designation.clone(), loc(t));
    }
    for g in &a.gdt {
        push(
            "gdt",
            "Tolérance géométrique",
            format!(
                "{:?} {} {}",
                g.value.kind,
                g.value.tolerance_mm,
                g.value.datums.join(" ")
            )
            .trim()
            .to_string(),
            loc(g),
        );
    }
    for c in &a.critical_markers {
        push("critical", "Pièce critique", c.value.clone(), loc(c));
    }
    out
}

pub fn shape_label(code: &str) -> &'static str {
    match code {
        "turned" => "Tournée",
        "prismatic" => "Prismatique",
        "sheet_bent" => "Tôlerie pliée",
        "welded" => "Mécano-soudée",
        _ => "Non reconnue",
    }
}

fn previewable(content_type: &str) -> bool {
    matches!(
        content_type,
        "application/pdf" | "image/png" | "image/jpeg" | "image/tiff"
    )
}

pub(crate) async fn view<C: ConnectionTrait>(
    db: &C,
    l: &quote_line::Model,
    english: bool,
) -> Result<LineView, AppError> {
    let grade = match l.grade_id {
        Some(g) => material_grade::Entity::find_by_id(g).one(db).await?,
        None => None,
    };
    let a = analysis_of(l);
    let draft: serde_json::Value = l
        .draft_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let missing = draft["missing"]
        .as_array()
        .map(|m| {
            m.iter()
                .filter_map(|x| {
                    Some(Missing {
                        field: match x["field"].as_str()? {
                            "envelope" => "envelope",
                            "grade_id" => "grade_id",
                            "quantities" => "quantities",
                            _ => "autre",
                        },
                        message_fr: x["message_fr"].as_str()?.to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let assumptions = draft["assumptions"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut warnings: Vec<String> = a.as_ref().map(|a| a.warnings.clone()).unwrap_or_default();
    if let Some(n) = a.as_ref().and_then(|a| a.format_note.clone()) {
        warnings.insert(0, n);
    }
    Ok(LineView {
        id: l.id,
        quote_id: l.quote_id,
        position: l.position,
        drawing: l.filename.as_ref().map(|f| {
            let ct = l.content_type.clone().unwrap_or_default();
            DrawingInfo {
                filename: f.clone(),
                previewable: previewable(&ct),
                content_type: ct,
                size_bytes: l.size_bytes.unwrap_or(0),
                pages: l.pages.unwrap_or(0),
            }
        }),
        analysis_status: l.analysis_status.clone(),
        analysis_status_label: label_of(ANALYSIS_STATUSES, &l.analysis_status, english),
        analysis_error: l.analysis_error.clone(),
        drawing_number: l.drawing_number.clone(),
        drawing_revision: l.drawing_revision.clone(),
        part_name: l.part_name.clone(),
        grade_id: l.grade_id,
        grade_code: grade.as_ref().map(|g| g.code.clone()),
        grade_name: grade.map(|g| g.afnor),
        heat_treatment: l.heat_treatment.clone(),
        surface_treatment: l.surface_treatment.clone(),
        quantities: parse_quantities(&l.quantities),
        critical: l.critical,
        shape: l.shape.clone(),
        envelope: EnvelopeView {
            diameter: mm(&l.env_diameter_mm),
            length: mm(&l.env_length_mm),
            width: mm(&l.env_width_mm),
            height: mm(&l.env_height_mm),
        },
        general_tolerance: a
            .as_ref()
            .and_then(|a| a.general_tolerance.as_ref())
            .map(|g| g.value.to_string()),
        projection: a.as_ref().and_then(|a| a.projection.as_ref()).map(|p| {
            match p.value {
                usinage_drawing::Projection::FirstAngle => "first_angle",
                usinage_drawing::Projection::ThirdAngle => "third_angle",
            }
            .to_string()
        }),
        text_source: a
            .as_ref()
            .and_then(|a| a.text_source)
            .and_then(|t| serde_json::to_value(t).ok())
            .and_then(|v| v.as_str().map(str::to_string)),
        extracted: a.as_ref().map(extracted).unwrap_or_default(),
        warnings,
        missing,
        assumptions,
        estimate: l
            .estimate_json
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok()),
        selected_quantity: l.selected_quantity,
        selected_scenario: l.selected_scenario.clone(),
        unit_price: l.unit_price_cents.map(crate::units::cents_to_string),
        unit_price_override: l
            .unit_price_override_cents
            .map(crate::units::cents_to_string),
        total: l.total_cents.map(crate::units::cents_to_string),
        reviewed: l.reviewed,
        reviewed_by_name: l.reviewed_by.clone(),
        reviewed_at: l.reviewed_at,
        version: l.version,
    })
}

pub(crate) async fn find<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<quote_line::Model, AppError> {
    quote_line::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Ligne de devis", "Quote line"))
}

pub async fn get(db: &Db, ctx: &Ctx, id: i64, english: bool) -> Result<LineView, AppError> {
    ctx.require(Module::Quotes, Action::Read)?;
    let l = find(&db.conn, id).await?;
    view(&db.conn, &l, english).await
}

async fn next_position<C: ConnectionTrait>(db: &C, quote_id: i64) -> Result<i32, AppError> {
    let last: Option<i32> = quote_line::Entity::find()
        .filter(quote_line::Column::QuoteId.eq(quote_id))
        .select_only()
        .column_as(quote_line::Column::Position.max(), "m")
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    Ok(last.unwrap_or(0) + 1)
}

fn blank_line(
    quote_id: i64,
    position: i32,
    quantities: &[u32],
    critical: bool,
) -> quote_line::ActiveModel {
    let now = crate::now();
    quote_line::ActiveModel {
        quote_id: Set(quote_id),
        position: Set(position),
        blob_id: Set(None),
        filename: Set(None),
        content_type: Set(None),
        size_bytes: Set(None),
        pages: Set(None),
        analysis_status: Set("manuel".into()),
        analysis_error: Set(None),
        analysis_json: Set(None),
        drawing_number: Set(None),
        drawing_revision: Set(None),
        part_name: Set(None),
        grade_id: Set(None),
        heat_treatment: Set(None),
        surface_treatment: Set(None),
        quantities: Set(join_quantities(quantities)),
        critical: Set(critical),
        shape: Set("unknown".into()),
        env_diameter_mm: Set(None),
        env_length_mm: Set(None),
        env_width_mm: Set(None),
        env_height_mm: Set(None),
        draft_json: Set(None),
        estimate_json: Set(None),
        selected_quantity: Set(None),
        selected_scenario: Set("standard".into()),
        unit_price_cents: Set(None),
        unit_price_override_cents: Set(None),
        total_cents: Set(None),
        reviewed: Set(false),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
}

/// Demo lines: a manual line priced at once, or a drawing queued for analysis.
pub(crate) async fn add_demo_line<C: ConnectionTrait>(
    tx: &C,
    q: &usinage_store::entities::quote::Model,
    position: i32,
    p: LinePatch,
    drawing: Option<(&str, Vec<u8>)>,
) -> Result<(), AppError> {
    let critical = client_is_critical(tx, q.client_id).await?;
    let mut am = apply_patch(tx, blank_line(q.id, position, &[1, 10, 50], critical), &p).await?;
    match drawing {
        Some((name, bytes)) => {
            let ct = sniff(&bytes, name);
            let blob = store_blob(tx, bytes).await?;
            am.blob_id = Set(Some(blob.id));
            am.filename = Set(Some(name.into()));
            am.content_type = Set(Some(ct.into()));
            am.size_bytes = Set(Some(blob.size_bytes));
            am.analysis_status = Set("en_attente".into());
            am.insert(tx).await?;
        }
        None => {
            let l = am.insert(tx).await?;
            recompute(tx, l.into()).await?;
        }
    }
    Ok(())
}

/// Demo: a drawing analysed now (same code path as the background worker), reviewed values
/// pre-filled, quantities `[qty]` selected.
pub(crate) async fn add_demo_analysed_line<C: ConnectionTrait>(
    tx: &C,
    q: &usinage_store::entities::quote::Model,
    position: i32,
    name: &str,
    pdf: Vec<u8>,
    qty: u32,
) -> Result<(), AppError> {
    let critical = client_is_critical(tx, q.client_id).await?;
    let mut am = blank_line(q.id, position, &[qty], critical);
    let ct = sniff(&pdf, name);
    let blob = store_blob(tx, pdf.clone()).await?;
    am.blob_id = Set(Some(blob.id));
    am.filename = Set(Some(name.into()));
    am.content_type = Set(Some(ct.into()));
    am.size_bytes = Set(Some(blob.size_bytes));
    am.selected_quantity = Set(Some(qty as i32));
    let cur = am.insert(tx).await?;
    let grades = material_grade::Entity::find()
        .filter(material_grade::Column::Active.eq(true))
        .all(tx)
        .await?;
    let synonyms = super::worker::grade_synonyms(&grades);
    let filename = name.to_string();
    let analysed = tokio::task::spawn_blocking(move || {
        usinage_drawing::analyze_file(
            &pdf,
            &filename,
            &usinage_drawing::Limits::default(),
            &synonyms,
        )
    })
    .await
    .map_err(|_| AppError::internal("analyse du plan démo"))?;
    let mut am: quote_line::ActiveModel = cur.clone().into();
    match analysed {
        Ok(a) => {
            super::worker::prefill(&mut am, &cur, &a, &grades);
            am.analysis_status = Set("termine".into());
            am.pages = Set(Some(a.pages as i32));
            am.analysis_json = Set(Some(json(&a)?));
        }
        Err(e) => {
            am.analysis_status = Set("echec".into());
            am.analysis_error = Set(Some(e.message_fr()));
        }
    }
    am.quantities = Set(qty.to_string());
    am.selected_quantity = Set(Some(qty as i32));
    let l = am.update(tx).await?;
    recompute(tx, l.into()).await?;
    Ok(())
}

/// Validates a quantity list ("1, 10, 50"): positive integers, at most [`MAX_BREAKS`].
pub fn check_quantities(v: &mut Validator, raw: &[i64]) -> Vec<u32> {
    let mut out = Vec::new();
    for q in raw {
        match u32::try_from(*q) {
            Ok(q) if (1..=1_000_000).contains(&q) => out.push(q),
            _ => {
                v.add(
                    "quantities",
                    "invalid_quantity",
                    format!("Quantité invalide : {q} (entier de 1 à 1 000 000)."),
                    format!("Invalid quantity: {q} (integer from 1 to 1,000,000)."),
                );
                return vec![];
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    if out.len() > MAX_BREAKS {
        v.add(
            "quantities",
            "too_many",
            format!("Au plus {MAX_BREAKS} quantités par ligne."),
            format!("At most {MAX_BREAKS} quantities per line."),
        );
    }
    out
}

/// Parses the `quantities` form field of an upload ("1, 10, 50").
pub fn quantities_field(raw: Option<&str>) -> Result<Vec<u32>, AppError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(vec![]);
    };
    let mut nums = Vec::new();
    for p in raw.split([',', ';', ' ']).filter(|p| !p.trim().is_empty()) {
        match p.trim().parse::<i64>() {
            Ok(n) => nums.push(n),
            Err(_) => {
                return Err(AppError::field(
                    "quantities",
                    "invalid_quantity",
                    format!(
                        "Quantité illisible : « {} ». Exemple : 1, 10, 50.",
                        p.trim()
                    ),
                    format!("Unreadable quantity: “{}”. Example: 1, 10, 50.", p.trim()),
                ));
            }
        }
    }
    let mut v = Validator::default();
    let q = check_quantities(&mut v, &nums);
    v.finish()?;
    Ok(q)
}

async fn client_is_critical<C: ConnectionTrait>(db: &C, client_id: i64) -> Result<bool, AppError> {
    Ok(partner::Entity::find_by_id(client_id)
        .one(db)
        .await?
        .as_ref()
        .is_some_and(super::is_critical_client))
}

/// Stores the drawings and queues one line each for analysis (the worker picks them up).
pub async fn add_drawings(
    db: &Db,
    ctx: &Ctx,
    quote_id: i64,
    files: Vec<Upload>,
    quantities: Vec<u32>,
    english: bool,
) -> Result<Vec<LineView>, AppError> {
    ctx.require(Module::Quotes, Action::Update)?;
    if files.is_empty() {
        return Err(AppError::field(
            "file",
            "required",
            "Joignez au moins un plan (PDF, image, DXF, STEP…).",
            "Attach at least one drawing (PDF, image, DXF, STEP…).",
        ));
    }
    let mut v = Validator::default();
    if files.len() > MAX_FILES {
        v.add(
            "file",
            "too_many",
            format!("Au plus {MAX_FILES} plans par envoi."),
            format!("At most {MAX_FILES} drawings per upload."),
        );
    }
    for f in &files {
        if f.bytes.is_empty() {
            v.add(
                "file",
                "empty",
                format!("Le fichier « {} » est vide.", f.filename),
                format!("File “{}” is empty.", f.filename),
            );
        } else if f.bytes.len() > MAX_BYTES {
            v.add(
                "file",
                "too_large",
                format!(
                    "Le fichier « {} » dépasse la taille permise ({} Mo).",
                    f.filename,
                    MAX_BYTES / 1024 / 1024
                ),
                format!(
                    "File “{}” exceeds the allowed size ({} MB).",
                    f.filename,
                    MAX_BYTES / 1024 / 1024
                ),
            );
        }
    }
    v.finish()?;
    let tx = db.write().await?;
    let q = find_quote(&tx.tx, quote_id).await?;
    require_draft(&q)?;
    let critical = client_is_critical(&tx.tx, q.client_id).await?;
    let mut position = next_position(&tx.tx, quote_id).await?;
    let mut out = Vec::new();
    for f in files {
        let filename = clean_filename(&f.filename);
        let content_type = sniff(&f.bytes, &filename);
        let blob = store_blob(&tx.tx, f.bytes).await?;
        let mut am = blank_line(quote_id, position, &quantities, critical);
        am.blob_id = Set(Some(blob.id));
        am.filename = Set(Some(filename.clone()));
        am.content_type = Set(Some(content_type.into()));
        am.size_bytes = Set(Some(blob.size_bytes));
        am.analysis_status = Set("en_attente".into());
        let l = am.insert(&tx.tx).await?;
        audit::record(
            &tx.tx,
            ctx,
            "quote",
            &quote_id.to_string(),
            "drawing_added",
            None,
            Some(serde_json::json!({
                "line_id": l.id, "filename": filename, "sha256": blob.sha256,
                "size_bytes": blob.size_bytes, "content_type": content_type,
            })),
        )
        .await?;
        out.push(view(&tx.tx, &l, english).await?);
        position += 1;
    }
    touch(&tx.tx, quote_id).await?;
    tx.commit().await?;
    Ok(out)
}

pub(crate) async fn store_blob<C: ConnectionTrait>(
    db: &C,
    bytes: Vec<u8>,
) -> Result<file_blob::Model, AppError> {
    let sha = hex::encode(Sha256::digest(&bytes));
    if let Some(b) = file_blob::Entity::find()
        .filter(file_blob::Column::Sha256.eq(&sha))
        .one(db)
        .await?
    {
        return Ok(b);
    }
    Ok(file_blob::ActiveModel {
        sha256: Set(sha),
        size_bytes: Set(bytes.len() as i64),
        data: Set(bytes),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Removes a blob no attachment, quote line, order line or order refers to any more.
pub(crate) async fn drop_blob_if_unused<C: ConnectionTrait>(
    db: &C,
    blob_id: i64,
) -> Result<(), AppError> {
    let lines = quote_line::Entity::find()
        .filter(quote_line::Column::BlobId.eq(blob_id))
        .count(db)
        .await?;
    let attached = attachment::Entity::find()
        .filter(attachment::Column::BlobId.eq(blob_id))
        .count(db)
        .await?;
    let ordered = usinage_store::entities::order_line::Entity::find()
        .filter(usinage_store::entities::order_line::Column::BlobId.eq(blob_id))
        .count(db)
        .await?
        + usinage_store::entities::order::Entity::find()
            .filter(usinage_store::entities::order::Column::PoBlobId.eq(blob_id))
            .count(db)
            .await?;
    if lines == 0 && attached == 0 && ordered == 0 {
        file_blob::Entity::delete_by_id(blob_id).exec(db).await?;
    }
    Ok(())
}

/// A line without drawing, priced from the values entered and the rate grid.
pub async fn add_manual(
    db: &Db,
    ctx: &Ctx,
    quote_id: i64,
    p: LinePatch,
    english: bool,
) -> Result<LineView, AppError> {
    ctx.require(Module::Quotes, Action::Update)?;
    let tx = db.write().await?;
    let q = find_quote(&tx.tx, quote_id).await?;
    require_draft(&q)?;
    let critical = client_is_critical(&tx.tx, q.client_id).await?;
    let position = next_position(&tx.tx, quote_id).await?;
    let base = blank_line(quote_id, position, &[], critical);
    let am = apply_patch(&tx.tx, base, &p).await?;
    let l = am.insert(&tx.tx).await?;
    let l = recompute(&tx.tx, l.into()).await?;
    audit::record(
        &tx.tx,
        ctx,
        "quote",
        &quote_id.to_string(),
        "line_added",
        None,
        Some(line_audit(&l)),
    )
    .await?;
    touch(&tx.tx, quote_id).await?;
    let out = view(&tx.tx, &l, english).await?;
    tx.commit().await?;
    Ok(out)
}

fn line_audit(l: &quote_line::Model) -> serde_json::Value {
    serde_json::json!({
        "line_id": l.id, "drawing_number": l.drawing_number, "drawing_revision": l.drawing_revision,
        "part_name": l.part_name, "grade_id": l.grade_id, "heat_treatment": l.heat_treatment,
        "surface_treatment": l.surface_treatment, "quantities": l.quantities, "critical": l.critical,
        "shape": l.shape, "envelope": [l.env_diameter_mm, l.env_length_mm, l.env_width_mm, l.env_height_mm],
        "selected_quantity": l.selected_quantity, "selected_scenario": l.selected_scenario,
        "unit_price_cents": l.unit_price_cents, "unit_price_override_cents": l.unit_price_override_cents, "total_cents": l.total_cents, "reviewed": l.reviewed,
    })
}

fn text(v: &mut Validator, field: &str, s: &str, max: usize) -> Option<String> {
    let t = s.trim();
    if t.chars().count() > max {
        v.add(
            field,
            "too_long",
            format!("Le texte dépasse {max} caractères."),
            format!("The text exceeds {max} characters."),
        );
    }
    (!t.is_empty()).then(|| t.to_string())
}

fn dimension(v: &mut Validator, field: &str, x: Option<f64>) -> Option<String> {
    match x {
        None => None,
        Some(x) if x.is_finite() && x > 0.0 && x <= 20_000.0 => mm_string(Some(x)),
        Some(_) => {
            v.add(
                field,
                "invalid_dimension",
                "Dimension invalide : un nombre de millimètres entre 0 et 20 000.",
                "Invalid dimension: millimetres between 0 and 20,000.",
            );
            None
        }
    }
}

/// Validates a patch and applies it to the active model (no write). The reviewed flag is
/// handled by the caller.
async fn apply_patch<C: ConnectionTrait>(
    db: &C,
    mut am: quote_line::ActiveModel,
    p: &LinePatch,
) -> Result<quote_line::ActiveModel, AppError> {
    let mut v = Validator::default();
    if let Some(s) = &p.drawing_number {
        am.drawing_number = Set(text(&mut v, "drawing_number", s, 100));
    }
    if let Some(s) = &p.drawing_revision {
        am.drawing_revision = Set(text(&mut v, "drawing_revision", s, 20));
    }
    if let Some(s) = &p.part_name {
        am.part_name = Set(text(&mut v, "part_name", s, 200));
    }
    if let Some(s) = &p.heat_treatment {
        am.heat_treatment = Set(text(&mut v, "heat_treatment", s, 200));
    }
    if let Some(s) = &p.surface_treatment {
        am.surface_treatment = Set(text(&mut v, "surface_treatment", s, 200));
    }
    if let Some(q) = &p.quantities {
        let q = check_quantities(&mut v, q);
        am.quantities = Set(join_quantities(&q));
    }
    if let Some(c) = p.critical {
        am.critical = Set(c);
    }
    if let Some(s) = &p.shape {
        if SHAPES.contains(&s.as_str()) {
            am.shape = Set(s.clone());
        } else {
            v.add(
                "shape",
                "invalid_choice",
                "Forme inconnue : turned, prismatic, sheet_bent, welded ou unknown.",
                "Unknown shape: turned, prismatic, sheet_bent, welded or unknown.",
            );
        }
    }
    if let Some(e) = &p.envelope {
        am.env_diameter_mm = Set(dimension(&mut v, "envelope.diameter", e.diameter));
        am.env_length_mm = Set(dimension(&mut v, "envelope.length", e.length));
        am.env_width_mm = Set(dimension(&mut v, "envelope.width", e.width));
        am.env_height_mm = Set(dimension(&mut v, "envelope.height", e.height));
    }
    if let Some(s) = &p.selected_scenario {
        if SCENARIOS.contains(&s.as_str()) {
            am.selected_scenario = Set(s.clone());
        } else {
            v.add(
                "selected_scenario",
                "invalid_choice",
                "Scénario inconnu : economique, standard ou express.",
                "Unknown scenario: economique, standard or express.",
            );
        }
    }
    if let Some(q) = p.selected_quantity {
        am.selected_quantity = Set(Some(q));
    }
    if let Some(s) = &p.unit_price {
        am.unit_price_override_cents = Set(if s.trim().is_empty() {
            None
        } else {
            crate::units::money_field(&mut v, "unit_price", s, false)
        });
    }
    v.finish()?;
    if let Some(g) = p.grade_id {
        let found = material_grade::Entity::find_by_id(g).one(db).await?;
        match found {
            Some(g) => am.grade_id = Set(Some(g.id)),
            None => {
                return Err(AppError::field(
                    "grade_id",
                    "unknown_grade",
                    "Matière inconnue : choisissez une nuance de la liste des matières.",
                    "Unknown material: choose a grade from the materials list.",
                ));
            }
        }
    }
    Ok(am)
}

/// Applies a person's corrections, re-estimates; a change of any value clears the review.
pub async fn patch(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    p: LinePatch,
    english: bool,
) -> Result<LineView, AppError> {
    ctx.require(Module::Quotes, Action::Update)?;
    let Some(version) = p.version else {
        return Err(AppError::field(
            "version",
            "required",
            "Renvoyez la version lue de la ligne.",
            "Send back the line's version.",
        ));
    };
    let tx = db.write().await?;
    let cur = find(&tx.tx, id).await?;
    if cur.version != version {
        return Err(AppError::stale_version());
    }
    let q = find_quote(&tx.tx, cur.quote_id).await?;
    require_draft(&q)?;
    if matches!(cur.analysis_status.as_str(), "en_attente" | "en_cours") {
        return Err(AppError::new(
            Kind::Conflict,
            "analysis_running",
            "Le plan est en cours d'analyse : attendez la fin pour corriger la ligne.",
            "The drawing is being analysed: wait for the end to correct the line.",
        ));
    }
    let mut am = apply_patch(&tx.tx, cur.clone().into(), &p).await?;
    let moved = p
        .selected_quantity
        .is_some_and(|q| Some(q) != cur.selected_quantity)
        || p.selected_scenario
            .as_ref()
            .is_some_and(|s| *s != cur.selected_scenario);
    if p.unit_price.is_none() && moved {
        // A typed price belongs to the quantity and offer it was typed for.
        am.unit_price_override_cents = Set(None);
    }
    let mut l = recompute(&tx.tx, am).await?;
    let changed = line_audit(&l) != line_audit(&cur);
    let mut am: quote_line::ActiveModel = l.clone().into();
    match p.reviewed {
        Some(true) => {
            check_reviewable(&l)?;
            am.reviewed = Set(true);
            am.reviewed_by = Set(Some(ctx.actor_login().to_string()));
            am.reviewed_at = Set(Some(crate::now()));
        }
        Some(false) => {
            am.reviewed = Set(false);
        }
        None if changed && cur.reviewed => {
            // A reviewed value changed: the line must be looked at again.
            am.reviewed = Set(false);
        }
        None => {}
    }
    am.updated_at = Set(crate::now());
    am.version = Set(cur.version + 1);
    l = am.update(&tx.tx).await?;
    audit::record(
        &tx.tx,
        ctx,
        "quote",
        &cur.quote_id.to_string(),
        "line_updated",
        Some(line_audit(&cur)),
        Some(line_audit(&l)),
    )
    .await?;
    touch(&tx.tx, cur.quote_id).await?;
    let out = view(&tx.tx, &l, english).await?;
    tx.commit().await?;
    Ok(out)
}

/// A line can be marked reviewed when it has a complete estimate and a price.
fn check_reviewable(l: &quote_line::Model) -> Result<(), AppError> {
    let est: Option<serde_json::Value> = l
        .estimate_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok());
    let open: Vec<String> = match &est {
        None => {
            let draft: serde_json::Value = l
                .draft_json
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok())
                .unwrap_or_default();
            draft["missing"]
                .as_array()
                .map(|m| {
                    m.iter()
                        .filter_map(|x| x["message_fr"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        }
        Some(e) => e["issues"]
            .as_array()
            .map(|i| {
                i.iter()
                    .filter(|x| x["level"] != "avertissement")
                    .filter_map(|x| x["message_fr"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    };
    if est.is_none() || !open.is_empty() || l.total_cents.is_none() {
        let what = if open.is_empty() {
            "la ligne n'a pas encore de prix".to_string()
        } else {
            open.join(" ; ")
        };
        return Err(AppError::new(
            Kind::Conflict,
            "line_not_ready",
            format!("Ligne {} non validable : {what}.", l.position),
            format!(
                "Line {} cannot be validated: open questions remain.",
                l.position
            ),
        ));
    }
    Ok(())
}

/// Every line reviewed and priced, at least one line: the quote can go to validation.
pub(crate) fn check_ready(rows: &[quote_line::Model]) -> Result<(), AppError> {
    if rows.is_empty() {
        return Err(AppError::new(
            Kind::Conflict,
            "quote_empty",
            "Le devis n'a aucune ligne.",
            "The quote has no line.",
        ));
    }
    let pending: Vec<String> = rows
        .iter()
        .filter(|l| !l.reviewed || l.total_cents.is_none())
        .map(|l| l.position.to_string())
        .collect();
    if !pending.is_empty() {
        return Err(AppError::new(
            Kind::Conflict,
            "lines_not_reviewed",
            format!(
                "Lignes à vérifier et valider avant de soumettre le devis : {}.",
                pending.join(", ")
            ),
            format!(
                "Lines to review and validate before submitting the quote: {}.",
                pending.join(", ")
            ),
        ));
    }
    Ok(())
}

pub async fn delete(db: &Db, ctx: &Ctx, id: i64) -> Result<(), AppError> {
    ctx.require(Module::Quotes, Action::Update)?;
    let tx = db.write().await?;
    let l = find(&tx.tx, id).await?;
    let q = find_quote(&tx.tx, l.quote_id).await?;
    require_draft(&q)?;
    quote_line::Entity::delete_by_id(id).exec(&tx.tx).await?;
    if let Some(b) = l.blob_id {
        drop_blob_if_unused(&tx.tx, b).await?;
    }
    audit::record(
        &tx.tx,
        ctx,
        "quote",
        &l.quote_id.to_string(),
        "line_removed",
        Some(line_audit(&l)),
        None,
    )
    .await?;
    touch(&tx.tx, l.quote_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Queues the drawing again (after a tool was installed, a better scan…). The person's
/// corrections are replaced by what is read.
pub async fn reanalyze(db: &Db, ctx: &Ctx, id: i64, english: bool) -> Result<LineView, AppError> {
    ctx.require(Module::Quotes, Action::Update)?;
    let tx = db.write().await?;
    let l = find(&tx.tx, id).await?;
    let q = find_quote(&tx.tx, l.quote_id).await?;
    require_draft(&q)?;
    if l.blob_id.is_none() {
        return Err(AppError::new(
            Kind::Conflict,
            "no_drawing",
            "Cette ligne n'a pas de plan à analyser.",
            "This line has no drawing to analyse.",
        ));
    }
    let mut am: quote_line::ActiveModel = l.clone().into();
    am.analysis_status = Set("en_attente".into());
    am.analysis_error = Set(None);
    am.unit_price_override_cents = Set(None);
    am.reviewed = Set(false);
    am.updated_at = Set(crate::now());
    am.version = Set(l.version + 1);
    let l = am.update(&tx.tx).await?;
    audit::record(
        &tx.tx,
        ctx,
        "quote",
        &l.quote_id.to_string(),
        "reanalyze",
        None,
        Some(serde_json::json!({"line_id": l.id})),
    )
    .await?;
    let out = view(&tx.tx, &l, english).await?;
    tx.commit().await?;
    Ok(out)
}

/// The drawing as uploaded: (filename, content type, bytes).
pub async fn drawing(db: &Db, ctx: &Ctx, id: i64) -> Result<(String, String, Vec<u8>), AppError> {
    let (l, bytes) = line_and_drawing(db, ctx, id).await?;
    Ok((
        l.filename.unwrap_or_else(|| "plan".into()),
        l.content_type
            .unwrap_or_else(|| "application/octet-stream".into()),
        bytes,
    ))
}

/// The line (read right) and the bytes of its drawing.
async fn line_and_drawing(
    db: &Db,
    ctx: &Ctx,
    id: i64,
) -> Result<(quote_line::Model, Vec<u8>), AppError> {
    ctx.require(Module::Quotes, Action::Read)?;
    let l = find(&db.conn, id).await?;
    let Some(blob) = l.blob_id else {
        return Err(AppError::not_found("Plan", "Drawing"));
    };
    let b = file_blob::Entity::find_by_id(blob)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::internal("plan sans contenu"))?;
    Ok((l, b.data))
}

/// Page `page` (1-based) of the drawing as PNG, rendered on the blocking pool.
pub async fn page_png(db: &Db, ctx: &Ctx, id: i64, page: u32) -> Result<Vec<u8>, AppError> {
    let (l, bytes) = line_and_drawing(db, ctx, id).await?;
    let filename = l.filename.clone().unwrap_or_default();
    let pages = l.pages.unwrap_or(1).max(1) as u32;
    if page == 0 || page > pages {
        return Err(AppError::not_found("Page du plan", "Drawing page"));
    }
    let res = tokio::task::spawn_blocking(move || {
        let limits = usinage_drawing::Limits::default();
        let kind = usinage_drawing::sniff::detect(&bytes, &filename).unwrap_or(FileKind::Other);
        usinage_drawing::extract::preview_png(&bytes, kind, page, 110, &limits)
    })
    .await
    .map_err(|_| AppError::internal("aperçu du plan"))?;
    res.map_err(|e| {
        AppError::new(
            Kind::NotFound,
            "no_preview",
            e.message_fr(),
            "No preview for this drawing page.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_fields_parse_and_refuse_garbage() {
        assert_eq!(
            quantities_field(Some("50, 1 ;10,10")).unwrap(),
            vec![1, 10, 50]
        );
        assert_eq!(quantities_field(Some("  ")).unwrap(), Vec::<u32>::new());
        let e = quantities_field(Some("1, dix")).unwrap_err();
        assert_eq!(e.errors[0].field, "quantities");
        assert!(quantities_field(Some("0")).is_err());
        assert!(quantities_field(Some("1,2,3,4,5,6,7,8,9")).is_err());
    }

    #[test]
    fn envelope_dimensions_are_checked() {
        let mut v = Validator::default();
        assert_eq!(dimension(&mut v, "e", Some(50.0)).as_deref(), Some("50"));
        assert_eq!(dimension(&mut v, "e", Some(12.5)).as_deref(), Some("12.5"));
        assert_eq!(dimension(&mut v, "e", Some(-1.0)), None);
        assert_eq!(dimension(&mut v, "e", Some(f64::NAN)), None);
        assert!(v.finish().is_err());
    }
}
