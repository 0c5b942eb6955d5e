//! Method sheets (fiches méthode), one per machine operation: set-up (fixturing, datums, zero
//! point), tools with positions and the cutting conditions computed by
//! `usinage_engines::cutting` for the operation's machine, CAM steps, inspection points,
//! safety notes. Every save is a new version with who changed what. Only méthode, chef
//! d'atelier and admin edit (the right AND the role are checked here, by the server).

use super::{find as find_job, has_method_role};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::{AppError, Kind};
use crate::rights::{Action, Module};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use usinage_engines::cutting::{self, CuttingDataCandidate, CuttingTool, DataSource, Intent};
pub use usinage_engines::cutting::{
    CuttingConditions, CuttingRequest, CuttingSettings, MachineLimits,
};
use usinage_engines::estimate::{IsoGroup, ToolKind};
use usinage_store::Db;
use usinage_store::entities::{
    job, job_operation, machine, material_grade, method_sheet, method_sheet_version, order_line,
    tool, tool_cutting_data,
};

/// Settings key of the cutting engine's settings (source priority, NORMS defaults).
pub const CUTTING_SETTINGS: &str = "cutting_settings";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct SheetSetup {
    /// Prise de pièce: chuck, soft jaws, vice, fixture…
    pub fixturing: Option<String>,
    /// References / datums used for the set-up.
    pub datums: Option<String>,
    /// Program zero (origine pièce).
    pub zero_point: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct SheetTool {
    /// T01, T02…
    pub position: String,
    #[serde(default)]
    pub tool_id: Option<i64>,
    pub label: String,
    /// `tournage`, `alesage`, `tronconnage`, `fraisage`, `surfacage`, `percage`, `taraudage`.
    pub kind: String,
    #[serde(default)]
    pub diameter: Option<f64>,
    #[serde(default)]
    pub teeth: Option<u32>,
    #[serde(default)]
    pub nose_radius: Option<f64>,
    #[serde(default)]
    pub pitch: Option<f64>,
    /// `ebauche` or `finition`.
    #[serde(default = "ebauche")]
    pub intent: String,
    /// Workpiece Ø where a turning tool cuts (mm).
    #[serde(default)]
    pub work_diameter: Option<f64>,
    #[serde(default)]
    pub ap: Option<f64>,
    #[serde(default)]
    pub ae: Option<f64>,
    /// Vc typed by a person (m/min): wins over the data (source `manuel`).
    #[serde(default)]
    pub vc: Option<f64>,
    /// f or fz typed by a person.
    #[serde(default)]
    pub feed: Option<f64>,
    /// Computed on save (read-only for the client).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub conditions: Option<CuttingConditions>,
}

fn ebauche() -> String {
    "ebauche".into()
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct InspectionPoint {
    pub characteristic: String,
    pub nominal: Option<String>,
    pub tolerance: Option<String>,
    pub instrument_type: Option<String>,
    pub instrument_id: Option<i64>,
    /// "100 %", "1re pièce + 1/10"…
    pub frequency: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct SheetContent {
    pub setup: SheetSetup,
    pub tools: Vec<SheetTool>,
    pub cam_steps: Vec<String>,
    pub inspection_points: Vec<InspectionPoint>,
    pub safety_notes: Vec<String>,
    pub nc_program: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SheetOperation {
    pub id: i64,
    pub position: i32,
    pub label: String,
    pub process: String,
    pub machine_id: Option<i64>,
    pub machine_code: Option<String>,
    pub machine_name: Option<String>,
    pub max_rpm: Option<i32>,
    pub power_kw: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SheetPart {
    pub reference: Option<String>,
    pub revision: Option<String>,
    pub designation: String,
    pub grade: Option<String>,
    pub iso_group: Option<String>,
    pub quantity: i32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MethodSheetView {
    pub id: i64,
    pub operation_id: i64,
    pub job_id: i64,
    pub job_number: String,
    pub operation: SheetOperation,
    pub part: SheetPart,
    pub version: i32,
    pub content: SheetContent,
    /// What is still "à renseigner".
    pub missing: Vec<String>,
    pub updated_by: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub can_edit: bool,
    /// Set when this is an older version (read-only).
    pub history_version: Option<i32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SheetVersionView {
    pub version: i32,
    pub changed_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct SheetUpdate {
    pub version: i32,
    pub content: SheetContent,
    /// What changed, in words (kept with the version).
    pub summary: Option<String>,
}

pub fn tool_kind_of(code: &str) -> Option<ToolKind> {
    serde_json::from_value(serde_json::Value::String(code.to_string())).ok()
}

pub fn tool_kind_code(k: ToolKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// What is still "à renseigner" on a sheet (pure).
pub fn missing_of(c: &SheetContent, machine_op: bool) -> Vec<String> {
    let mut out = Vec::new();
    let empty = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    if empty(&c.setup.fixturing) {
        out.push("Prise de pièce (montage)".to_string());
    }
    if empty(&c.setup.datums) {
        out.push("Références / appuis".to_string());
    }
    if machine_op && empty(&c.setup.zero_point) {
        out.push("Origine programme (zéro pièce)".to_string());
    }
    if machine_op && c.tools.is_empty() {
        out.push("Liste des outils".to_string());
    }
    for t in &c.tools {
        if let Some(cond) = &t.conditions {
            for f in &cond.to_fill_fr {
                out.push(format!("{} {} : {f}", t.position, t.label));
            }
        }
        if t.tool_id.is_none() {
            out.push(format!(
                "{} {} : outil du magasin à choisir",
                t.position, t.label
            ));
        }
    }
    if machine_op && c.cam_steps.is_empty() {
        out.push("Étapes de programmation FAO".to_string());
    }
    if c.inspection_points.is_empty() {
        out.push("Points de contrôle".to_string());
    }
    if machine_op && empty(&c.nc_program) {
        out.push("Programme CN".to_string());
    }
    out
}

pub(crate) fn missing_of_json(content: &str) -> Vec<String> {
    let c: SheetContent = serde_json::from_str(content).unwrap_or_default();
    missing_of(&c, true)
}

/// Everything the cutting engine needs that does not change from tool to tool.
pub struct CuttingContext {
    pub iso_group: IsoGroup,
    pub machine: Option<MachineLimits>,
    pub settings: CuttingSettings,
    /// Rows of the tool database: (tool id, tool kind, candidate).
    pub rows: Vec<(i64, Option<ToolKind>, CuttingDataCandidate)>,
}

fn num(s: &Option<String>) -> Option<f64> {
    s.as_deref()
        .and_then(crate::units::parse_decimal)
        .and_then(|d| d.to_string().parse().ok())
}

pub(crate) fn tool_type_kind(tool_type: &str) -> Option<ToolKind> {
    Some(match tool_type {
        "fraise" | "fraise_a_chanfreiner" => ToolKind::Fraisage,
        "fraise_a_surfacer" => ToolKind::Surfacage,
        "foret" | "foret_a_centrer" => ToolKind::Percage,
        "taraud" | "fraise_a_fileter" => ToolKind::Taraudage,
        "alesoir" | "barre_d_alesage" => ToolKind::Alesage,
        "plaquette" => ToolKind::Tournage,
        "outil_a_saigner" => ToolKind::Tronconnage,
        _ => return None,
    })
}

pub(crate) async fn cutting_context<C: ConnectionTrait>(
    db: &C,
    j: &job::Model,
    op: &job_operation::Model,
) -> Result<CuttingContext, AppError> {
    let grade = match j.grade_id {
        Some(g) => material_grade::Entity::find_by_id(g).one(db).await?,
        None => None,
    };
    let iso_group = grade
        .as_ref()
        .and_then(|g| IsoGroup::from_code(&g.iso_group))
        .unwrap_or(IsoGroup::P);
    let machine = match op.machine_id {
        Some(m) => machine::Entity::find_by_id(m)
            .one(db)
            .await?
            .map(|m| MachineLimits {
                label: Some(m.code.clone()),
                max_rpm: m.max_spindle_rpm.map(f64::from),
                power_kw: num(&m.spindle_power_kw),
                efficiency: None,
            }),
        None => None,
    };
    let settings: CuttingSettings = crate::settings::get(db, CUTTING_SETTINGS)
        .await?
        .unwrap_or_default();
    let tools = tool::Entity::find().all(db).await?;
    let rows = tool_cutting_data::Entity::find()
        .filter(tool_cutting_data::Column::IsoGroup.eq(iso_group.code()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            let t = tools.iter().find(|t| t.id == r.tool_id)?;
            let kind = tool_type_kind(&t.tool_type);
            let cand = CuttingDataCandidate {
                source: DataSource::from_code(&r.source).unwrap_or(DataSource::Manuel),
                label: Some(format!("{} {}", t.code, t.name)),
                tool_kind: kind,
                iso_group: Some(iso_group),
                vc_min: num(&r.vc_min),
                vc_max: num(&r.vc_max),
                feed_min: num(&r.feed_min),
                feed_max: num(&r.feed_max),
                feed_per_diameter: false,
                reference_diameter_mm: num(&t.diameter_mm),
                ap_max: num(&r.ap_max),
                ae_max: num(&r.ae_max),
            };
            Some((r.tool_id, kind, cand))
        })
        .collect();
    Ok(CuttingContext {
        iso_group,
        machine,
        settings,
        rows,
    })
}

/// The cutting request of one tool of a sheet: the tool's own rows first, then the rows of
/// tools of the same family; a value typed on the sheet is a `manuel` row that wins.
pub(crate) fn request_for(t: &SheetTool, cx: &CuttingContext) -> Option<CuttingRequest> {
    let kind = tool_kind_of(&t.kind)?;
    let mut tool = CuttingTool::new(kind);
    tool.tool_id = t.tool_id;
    tool.label = Some(t.label.clone());
    tool.diameter_mm = t.diameter;
    tool.teeth = t.teeth;
    tool.nose_radius_mm = t.nose_radius;
    tool.thread_pitch_mm = t.pitch;
    let mut req = CuttingRequest::new(tool, cx.iso_group);
    req.work_diameter_mm = t.work_diameter;
    req.intent = if t.intent == "finition" {
        Intent::Finition
    } else {
        Intent::Ebauche
    };
    req.ap_mm = t.ap;
    req.ae_mm = t.ae;
    req.machine = cx.machine.clone();
    req.settings = cx.settings.clone();
    let own: Vec<CuttingDataCandidate> = cx
        .rows
        .iter()
        .filter(|r| Some(r.0) == t.tool_id)
        .map(|r| r.2.clone())
        .collect();
    let family: Vec<CuttingDataCandidate> = cx
        .rows
        .iter()
        .filter(|r| Some(r.0) != t.tool_id && r.1 == Some(kind))
        .map(|r| r.2.clone())
        .collect();
    if t.vc.is_some() || t.feed.is_some() {
        // Typed on the sheet: a manual row, put first in the priority for this tool. The
        // missing half comes from the best data row.
        let base = own.first().or(family.first()).cloned().unwrap_or_default();
        req.candidates.push(CuttingDataCandidate {
            source: DataSource::Manuel,
            label: Some("saisie sur la fiche".into()),
            tool_kind: Some(kind),
            iso_group: Some(cx.iso_group),
            vc_min: t.vc.or(base.vc_min),
            vc_max: t.vc.or(base.vc_max),
            feed_min: t.feed.or(base.feed_min),
            feed_max: t.feed.or(base.feed_max),
            feed_per_diameter: t.feed.is_none() && base.feed_per_diameter,
            reference_diameter_mm: if t.feed.is_some() {
                t.diameter
            } else {
                base.reference_diameter_mm
            },
            ap_max: base.ap_max,
            ae_max: base.ae_max,
        });
        req.settings
            .source_priority
            .retain(|s| *s != DataSource::Manuel);
        req.settings.source_priority.insert(0, DataSource::Manuel);
        return Some(req);
    }
    req.candidates = if own.is_empty() { family } else { own };
    Some(req)
}

/// Computes the conditions of every tool of a sheet (in place).
pub fn compute_all(c: &mut SheetContent, cx: &CuttingContext) {
    for t in &mut c.tools {
        t.conditions = request_for(t, cx).map(|r| cutting::compute(&r));
    }
}

/// Checks a sheet typed by a person (French errors, nothing written on failure).
fn check_content(c: &SheetContent) -> Result<(), AppError> {
    let mut v = crate::error::Validator::default();
    let long = |s: &Option<String>| s.as_deref().is_some_and(|s| s.chars().count() > 2000);
    if long(&c.setup.fixturing)
        || long(&c.setup.datums)
        || long(&c.setup.zero_point)
        || long(&c.setup.notes)
    {
        v.add(
            "content.setup",
            "too_long",
            "Un champ de prise de pièce dépasse 2 000 caractères.",
            "A set-up field exceeds 2,000 characters.",
        );
    }
    if c.tools.len() > 60 {
        v.add(
            "content.tools",
            "too_many",
            "Au plus 60 outils par opération.",
            "At most 60 tools per operation.",
        );
    }
    for (i, t) in c.tools.iter().enumerate() {
        let f = |n: &str| format!("content.tools[{i}].{n}");
        if tool_kind_of(&t.kind).is_none() {
            v.add(&f("kind"), "invalid_choice", format!("Outil {} : famille « {} » inconnue (tournage, alesage, tronconnage, fraisage, surfacage, percage, taraudage).", i + 1, t.kind), "Unknown tool family.");
        }
        if t.label.trim().is_empty() || t.label.chars().count() > 200 {
            v.add(
                &f("label"),
                "required",
                format!(
                    "Outil {} : désignation obligatoire (200 caractères au plus).",
                    i + 1
                ),
                "Tool label required.",
            );
        }
        if t.position.trim().is_empty() || t.position.chars().count() > 10 {
            v.add(
                &f("position"),
                "required",
                format!("Outil {} : position obligatoire (ex. T01).", i + 1),
                "Tool position required.",
            );
        }
        if t.intent != "ebauche" && t.intent != "finition" {
            v.add(
                &f("intent"),
                "invalid_choice",
                "Usage : ebauche ou finition.",
                "Intent: ebauche or finition.",
            );
        }
        for (name, val, max) in [
            ("diameter", t.diameter, 2000.0),
            ("nose_radius", t.nose_radius, 10.0),
            ("pitch", t.pitch, 20.0),
            ("work_diameter", t.work_diameter, 5000.0),
            ("ap", t.ap, 100.0),
            ("ae", t.ae, 2000.0),
            ("vc", t.vc, 3000.0),
            ("feed", t.feed, 50.0),
        ] {
            if let Some(x) = val
                && (!x.is_finite() || x <= 0.0 || x > max)
            {
                v.add(
                    &f(name),
                    "out_of_range",
                    format!(
                        "Outil {} : {name} doit être positif et au plus {max}.",
                        i + 1
                    ),
                    format!("Tool {}: {name} must be positive and at most {max}.", i + 1),
                );
            }
        }
        if t.teeth.is_some_and(|z| z == 0 || z > 100) {
            v.add(
                &f("teeth"),
                "out_of_range",
                format!("Outil {} : nombre de dents de 1 à 100.", i + 1),
                "Teeth from 1 to 100.",
            );
        }
    }
    let total_text: usize = c
        .cam_steps
        .iter()
        .chain(c.safety_notes.iter())
        .map(|s| s.chars().count())
        .sum();
    if c.cam_steps.len() > 200 || c.safety_notes.len() > 100 || total_text > 50_000 {
        v.add(
            "content.cam_steps",
            "too_long",
            "Trop d'étapes ou de consignes (texte trop long).",
            "Too many steps or notes.",
        );
    }
    if c.inspection_points.len() > 200 {
        v.add(
            "content.inspection_points",
            "too_many",
            "Au plus 200 points de contrôle.",
            "At most 200 inspection points.",
        );
    }
    for (i, p) in c.inspection_points.iter().enumerate() {
        if p.characteristic.trim().is_empty() {
            v.add(
                &format!("content.inspection_points[{i}].characteristic"),
                "required",
                format!("Point de contrôle {} : caractéristique obligatoire.", i + 1),
                "Characteristic required.",
            );
        }
    }
    if c.nc_program
        .as_deref()
        .is_some_and(|s| s.chars().count() > 100)
    {
        v.add(
            "content.nc_program",
            "too_long",
            "Le nom du programme CN dépasse 100 caractères.",
            "NC program name too long.",
        );
    }
    v.finish()
}

fn is_machine_op(op: &job_operation::Model) -> bool {
    op.machine_id.is_some()
        && !matches!(
            op.process.as_str(),
            "controle" | "emballage" | "traitement_sous_traite"
        )
}

fn to_json(c: &SheetContent) -> Result<String, AppError> {
    serde_json::to_string(c).map_err(|_| AppError::internal("fiche méthode"))
}

/// Default safety notes of a process (the person completes them).
pub fn default_safety(process: &str) -> Vec<String> {
    let mut v = vec!["Port des EPI : lunettes, chaussures de sécurité.".to_string()];
    match process {
        "debit" => v.push("Scie : carter en place, barre maintenue, ne pas dégager les chutes à la main.".into()),
        "tournage" => v.push("Tour : porte fermée pendant l'usinage, mandrin serré à la clé dynamométrique, copeaux au crochet.".into()),
        "fraisage" | "percage_taraudage" => v.push("Fraiseuse : porte fermée, étau serré, copeaux à la soufflette interdite (balayette).".into()),
        "soudure" => v.push("Soudure : masque, gants, écran, aspiration des fumées.".into()),
        "ebavurage" => v.push("Ébavurage : gants anti-coupure.".into()),
        _ => {}
    }
    v
}

async fn insert_sheet<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    j: &job::Model,
    op: &job_operation::Model,
    content: &SheetContent,
    summary: &str,
) -> Result<method_sheet::Model, AppError> {
    let now = crate::now();
    let body = to_json(content)?;
    let s = method_sheet::ActiveModel {
        operation_id: Set(op.id),
        job_id: Set(j.id),
        version: Set(1),
        content: Set(body.clone()),
        updated_by: Set(ctx.actor_login().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    method_sheet_version::ActiveModel {
        method_sheet_id: Set(s.id),
        version: Set(1),
        content: Set(body),
        summary: Set(Some(summary.to_string())),
        changed_by: Set(ctx.actor_login().to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(s)
}

/// The sheet of a generated operation (conditions computed now).
pub(crate) async fn create_generated<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    j: &job::Model,
    op: &job_operation::Model,
    mut content: SheetContent,
) -> Result<method_sheet::Model, AppError> {
    let cx = cutting_context(db, j, op).await?;
    compute_all(&mut content, &cx);
    insert_sheet(db, ctx, j, op, &content, "Générée avec la gamme").await
}

/// An empty sheet for an operation added by hand.
pub(crate) async fn create_blank<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    j: &job::Model,
    op: &job_operation::Model,
) -> Result<method_sheet::Model, AppError> {
    let content = SheetContent {
        safety_notes: default_safety(&op.process),
        ..Default::default()
    };
    insert_sheet(db, ctx, j, op, &content, "Créée avec l'opération").await
}

/// Stores `content` as a new version of the sheet (also the shop floor's tool replacement).
pub(crate) async fn save_version<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    s: &method_sheet::Model,
    content: &SheetContent,
    summary: String,
) -> Result<method_sheet::Model, AppError> {
    save_body(db, ctx, s, to_json(content)?, summary).await
}

/// Stores `body` (the sheet's JSON, as it will be read back) as a new version.
async fn save_body<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    s: &method_sheet::Model,
    body: String,
    summary: String,
) -> Result<method_sheet::Model, AppError> {
    let now = crate::now();
    let mut am: method_sheet::ActiveModel = s.clone().into();
    am.version = Set(s.version + 1);
    am.content = Set(body.clone());
    am.updated_by = Set(ctx.actor_login().to_string());
    am.updated_at = Set(now);
    let out = am.update(db).await?;
    method_sheet_version::ActiveModel {
        method_sheet_id: Set(s.id),
        version: Set(out.version),
        content: Set(body),
        summary: Set(Some(summary.clone())),
        changed_by: Set(ctx.actor_login().to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        ctx,
        "method_sheet",
        &s.id.to_string(),
        "update",
        Some(serde_json::json!({"version": s.version})),
        Some(serde_json::json!({"version": out.version, "summary": summary})),
    )
    .await?;
    Ok(out)
}

/// The operation's machine changed: conditions recomputed for its speed and power.
pub(crate) async fn recompute_for_operation<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    j: &job::Model,
    op: &job_operation::Model,
) -> Result<(), AppError> {
    let Some(s) = method_sheet::Entity::find()
        .filter(method_sheet::Column::OperationId.eq(op.id))
        .one(db)
        .await?
    else {
        if op.machine_id.is_some() {
            create_blank(db, ctx, j, op).await?;
        }
        return Ok(());
    };
    let mut content: SheetContent = serde_json::from_str(&s.content).unwrap_or_default();
    let cx = cutting_context(db, j, op).await?;
    compute_all(&mut content, &cx);
    let label = cx
        .machine
        .as_ref()
        .and_then(|m| m.label.clone())
        .unwrap_or_else(|| "aucune".into());
    save_version(
        db,
        ctx,
        &s,
        &content,
        format!("Conditions de coupe recalculées pour la machine {label}"),
    )
    .await?;
    Ok(())
}

/// Routing restore: the sheet goes back to the content it had in that routing version.
pub(crate) async fn restore_content<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    j: &job::Model,
    op: &job_operation::Model,
    content: &str,
    routing_version: i32,
) -> Result<(), AppError> {
    let c: SheetContent = serde_json::from_str(content).unwrap_or_default();
    match method_sheet::Entity::find()
        .filter(method_sheet::Column::OperationId.eq(op.id))
        .one(db)
        .await?
    {
        Some(s) if s.content == content => Ok(()),
        Some(s) => save_body(
            db,
            ctx,
            &s,
            content.to_string(),
            format!("Restaurée avec la version {routing_version} de la gamme"),
        )
        .await
        .map(|_| ()),
        None => insert_sheet(
            db,
            ctx,
            j,
            op,
            &c,
            &format!("Restaurée avec la version {routing_version} de la gamme"),
        )
        .await
        .map(|_| ()),
    }
}

async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<method_sheet::Model, AppError> {
    method_sheet::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Fiche méthode", "Method sheet"))
}

fn can_edit(ctx: &Ctx, j: &job::Model) -> bool {
    ctx.require(Module::MethodSheets, Action::Update).is_ok()
        && has_method_role(ctx)
        && !matches!(j.status.as_str(), "termine" | "annule")
}

async fn build_view<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    s: &method_sheet::Model,
    content: SheetContent,
    history: Option<(i32, String, chrono::DateTime<chrono::Utc>)>,
) -> Result<MethodSheetView, AppError> {
    let op = job_operation::Entity::find_by_id(s.operation_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Opération", "Operation"))?;
    let j = find_job(db, s.job_id).await?;
    let m = match op.machine_id {
        Some(id) => machine::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let line = order_line::Entity::find_by_id(j.order_line_id)
        .one(db)
        .await?;
    let grade = match j.grade_id {
        Some(g) => material_grade::Entity::find_by_id(g).one(db).await?,
        None => None,
    };
    let missing = missing_of(&content, is_machine_op(&op));
    let (version, by, at, hist) = match history {
        Some((v, by, at)) => (v, by, at, Some(v)),
        None => (s.version, s.updated_by.clone(), s.updated_at, None),
    };
    Ok(MethodSheetView {
        id: s.id,
        operation_id: op.id,
        job_id: j.id,
        job_number: j.number.clone(),
        operation: SheetOperation {
            id: op.id,
            position: op.position,
            label: op.label.clone(),
            process: op.process.clone(),
            machine_id: op.machine_id,
            machine_code: m.as_ref().map(|m| m.code.clone()),
            machine_name: m.as_ref().map(|m| m.name.clone()),
            max_rpm: m.as_ref().and_then(|m| m.max_spindle_rpm),
            power_kw: m.as_ref().and_then(|m| m.spindle_power_kw.clone()),
        },
        part: SheetPart {
            reference: line.as_ref().and_then(|l| l.reference.clone()),
            revision: line.as_ref().and_then(|l| l.revision.clone()),
            designation: line.map(|l| l.designation).unwrap_or_default(),
            grade: grade.as_ref().map(|g| format!("{} — {}", g.code, g.afnor)),
            iso_group: grade.map(|g| g.iso_group),
            quantity: j.quantity,
        },
        version,
        content,
        missing,
        updated_by: by,
        updated_at: at,
        can_edit: hist.is_none() && can_edit(ctx, &j),
        history_version: hist,
    })
}

pub async fn get(db: &Db, ctx: &Ctx, id: i64) -> Result<MethodSheetView, AppError> {
    ctx.require(Module::MethodSheets, Action::Read)?;
    let s = find(&db.conn, id).await?;
    let content = serde_json::from_str(&s.content).unwrap_or_default();
    build_view(&db.conn, ctx, &s, content, None).await
}

pub async fn get_for_operation(
    db: &Db,
    ctx: &Ctx,
    op_id: i64,
) -> Result<MethodSheetView, AppError> {
    ctx.require(Module::MethodSheets, Action::Read)?;
    let s = method_sheet::Entity::find()
        .filter(method_sheet::Column::OperationId.eq(op_id))
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("Fiche méthode", "Method sheet"))?;
    let content = serde_json::from_str(&s.content).unwrap_or_default();
    build_view(&db.conn, ctx, &s, content, None).await
}

/// Saves a new version; the cutting conditions are recomputed from the sheet's values.
pub async fn update(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    u: SheetUpdate,
) -> Result<MethodSheetView, AppError> {
    ctx.require(Module::MethodSheets, Action::Update)?;
    if !has_method_role(ctx) {
        return Err(AppError::forbidden(
            "Seuls les méthodes, le chef d'atelier ou l'administrateur modifient une fiche méthode.",
            "Only methods, the shop foreman or the admin may change a method sheet.",
        ));
    }
    check_content(&u.content)?;
    let summary = u
        .summary
        .map(|s| s.trim().chars().take(500).collect::<String>())
        .filter(|s| !s.is_empty());
    let tx = db.write().await?;
    let s = find(&tx.tx, id).await?;
    if s.version != u.version {
        return Err(AppError::stale_version());
    }
    let j = find_job(&tx.tx, s.job_id).await?;
    if matches!(j.status.as_str(), "termine" | "annule") {
        return Err(AppError::new(
            Kind::Conflict,
            "job_closed",
            format!(
                "L'OF {} est clos : sa fiche méthode ne se modifie plus.",
                j.number
            ),
            format!("Job {} is closed.", j.number),
        ));
    }
    let op = job_operation::Entity::find_by_id(s.operation_id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Opération", "Operation"))?;
    let old: SheetContent = serde_json::from_str(&s.content).unwrap_or_default();
    let mut content = u.content;
    let cx = cutting_context(&tx.tx, &j, &op).await?;
    compute_all(&mut content, &cx);
    let summary = summary.unwrap_or_else(|| describe_changes(&old, &content));
    let s = save_version(&tx.tx, ctx, &s, &content, summary).await?;
    let out = build_view(&tx.tx, ctx, &s, content, None).await?;
    tx.commit().await?;
    Ok(out)
}

/// "Outils : T03 ajouté ; Prise de pièce modifiée" (pure).
pub fn describe_changes(a: &SheetContent, b: &SheetContent) -> String {
    let mut parts = Vec::new();
    if a.setup != b.setup {
        parts.push("prise de pièce modifiée".to_string());
    }
    let pos = |c: &SheetContent| {
        c.tools
            .iter()
            .map(|t| t.position.clone())
            .collect::<Vec<_>>()
    };
    let (pa, pb) = (pos(a), pos(b));
    for p in pb.iter().filter(|p| !pa.contains(p)) {
        parts.push(format!("outil {p} ajouté"));
    }
    for p in pa.iter().filter(|p| !pb.contains(p)) {
        parts.push(format!("outil {p} retiré"));
    }
    for tb in &b.tools {
        if let Some(ta) = a.tools.iter().find(|t| t.position == tb.position) {
            let strip = |t: &SheetTool| SheetTool {
                conditions: None,
                ..t.clone()
            };
            if strip(ta) != strip(tb) {
                parts.push(format!("outil {} modifié", tb.position));
            }
        }
    }
    if a.cam_steps != b.cam_steps {
        parts.push("étapes FAO modifiées".into());
    }
    if a.inspection_points != b.inspection_points {
        parts.push("points de contrôle modifiés".into());
    }
    if a.safety_notes != b.safety_notes {
        parts.push("consignes de sécurité modifiées".into());
    }
    if a.nc_program != b.nc_program {
        parts.push("programme CN modifié".into());
    }
    if parts.is_empty() {
        "Enregistrée sans changement".into()
    } else {
        let s = parts.join(" ; ");
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => s,
        }
    }
}

pub async fn versions(db: &Db, ctx: &Ctx, id: i64) -> Result<Vec<SheetVersionView>, AppError> {
    ctx.require(Module::MethodSheets, Action::Read)?;
    find(&db.conn, id).await?;
    Ok(method_sheet_version::Entity::find()
        .filter(method_sheet_version::Column::MethodSheetId.eq(id))
        .order_by_desc(method_sheet_version::Column::Version)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|v| SheetVersionView {
            version: v.version,
            changed_by: v.changed_by,
            created_at: v.created_at,
            summary: v.summary,
        })
        .collect())
}

pub async fn version(db: &Db, ctx: &Ctx, id: i64, v: i32) -> Result<MethodSheetView, AppError> {
    ctx.require(Module::MethodSheets, Action::Read)?;
    let s = find(&db.conn, id).await?;
    let row = method_sheet_version::Entity::find()
        .filter(method_sheet_version::Column::MethodSheetId.eq(id))
        .filter(method_sheet_version::Column::Version.eq(v))
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("Version de fiche méthode", "Method sheet version"))?;
    let content = serde_json::from_str(&row.content).unwrap_or_default();
    build_view(
        &db.conn,
        ctx,
        &s,
        content,
        Some((row.version, row.changed_by, row.created_at)),
    )
    .await
}

/// Preview of the cutting engine for the sheet editor (no write).
pub fn compute_preview(ctx: &Ctx, req: &CuttingRequest) -> Result<CuttingConditions, AppError> {
    ctx.require(Module::MethodSheets, Action::Read)?;
    Ok(cutting::compute(req))
}

pub async fn cutting_settings(db: &Db, ctx: &Ctx) -> Result<CuttingSettings, AppError> {
    ctx.require(Module::MethodSheets, Action::Read)?;
    Ok(crate::settings::get(&db.conn, CUTTING_SETTINGS)
        .await?
        .unwrap_or_default())
}

/// The shop's cutting settings (source priority, NORMS defaults): méthode validates them.
pub async fn save_cutting_settings(
    db: &Db,
    ctx: &Ctx,
    s: CuttingSettings,
) -> Result<CuttingSettings, AppError> {
    ctx.require(Module::MethodSheets, Action::Validate)?;
    let mut v = crate::error::Validator::default();
    let mut seen = Vec::new();
    for p in &s.source_priority {
        if seen.contains(p) {
            v.add(
                "source_priority",
                "duplicate",
                "Chaque source apparaît une seule fois dans l'ordre de priorité.",
                "Each source appears once.",
            );
        }
        seen.push(*p);
    }
    if s.source_priority.is_empty() {
        v.add(
            "source_priority",
            "required",
            "Donnez au moins une source (base interne, fournisseur, manuel).",
            "Give at least one source.",
        );
    }
    if !(1.0..=4.0).contains(&s.max_thinning_factor) {
        v.add(
            "max_thinning_factor",
            "out_of_range",
            "Le plafond d'amincissement va de 1 à 4.",
            "The thinning cap goes from 1 to 4.",
        );
    }
    v.finish()?;
    let tx = db.write().await?;
    let before: CuttingSettings = crate::settings::get(&tx.tx, CUTTING_SETTINGS)
        .await?
        .unwrap_or_default();
    crate::settings::put(&tx.tx, CUTTING_SETTINGS, &s).await?;
    audit::record(
        &tx.tx,
        ctx,
        "setting",
        CUTTING_SETTINGS,
        "update",
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&s).ok(),
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(position: &str, kind: &str) -> SheetTool {
        SheetTool {
            position: position.into(),
            tool_id: Some(1),
            label: "Plaquette CNMG".into(),
            kind: kind.into(),
            diameter: None,
            teeth: None,
            nose_radius: Some(0.8),
            pitch: None,
            intent: "ebauche".into(),
            work_diameter: Some(50.0),
            ap: Some(2.0),
            ae: None,
            vc: None,
            feed: None,
            conditions: None,
        }
    }

    #[test]
    fn an_empty_sheet_lists_what_to_fill() {
        let m = missing_of(&SheetContent::default(), true);
        assert!(m.contains(&"Prise de pièce (montage)".to_string()));
        assert!(m.contains(&"Liste des outils".to_string()));
        assert!(m.contains(&"Programme CN".to_string()));
        // A control operation needs no tools nor program.
        let m = missing_of(&SheetContent::default(), false);
        assert!(!m.contains(&"Liste des outils".to_string()));
    }

    #[test]
    fn typed_vc_wins_over_the_data() {
        let cx = CuttingContext {
            iso_group: IsoGroup::P,
            machine: Some(MachineLimits {
                label: Some("TOUR-1".into()),
                max_rpm: Some(4000.0),
                power_kw: Some(15.0),
                efficiency: None,
            }),
            settings: CuttingSettings::default(),
            rows: vec![(
                1,
                Some(ToolKind::Tournage),
                CuttingDataCandidate {
                    source: DataSource::BaseInterne,
                    vc_min: Some(220.0),
                    vc_max: Some(260.0),
                    feed_min: Some(0.2),
                    feed_max: Some(0.3),
                    ..Default::default()
                },
            )],
        };
        let mut t = tool("T01", "tournage");
        let c = cutting::compute(&request_for(&t, &cx).unwrap());
        assert_eq!(c.source, Some(DataSource::BaseInterne));
        t.vc = Some(180.0);
        let c = cutting::compute(&request_for(&t, &cx).unwrap());
        assert_eq!(c.source, Some(DataSource::Manuel));
        assert!((c.vc_m_min.unwrap() - 180.0).abs() < 1e-9);
        // n = 1000·Vc / (π·D) = 180000 / (π·50) ≈ 1146 tr/min
        assert!((c.n_rpm.unwrap() - 1145.9).abs() < 1.0);
    }

    #[test]
    fn changes_are_described() {
        let a = SheetContent {
            tools: vec![tool("T01", "tournage")],
            ..Default::default()
        };
        let mut b = a.clone();
        b.tools.push(tool("T02", "percage"));
        b.setup.fixturing = Some("Mandrin 3 mors doux".into());
        assert_eq!(
            describe_changes(&a, &b),
            "Prise de pièce modifiée ; outil T02 ajouté"
        );
        assert_eq!(describe_changes(&a, &a), "Enregistrée sans changement");
    }

    #[test]
    fn bad_sheet_is_refused() {
        let mut t = tool("T01", "scie_sauteuse");
        t.ap = Some(-1.0);
        let c = SheetContent {
            tools: vec![t],
            ..Default::default()
        };
        let e = check_content(&c).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert!(fields.contains(&"content.tools[0].kind"));
        assert!(fields.contains(&"content.tools[0].ap"));
    }
}
