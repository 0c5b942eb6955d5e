//! Job generation when an order is validated: one job (OF) per order line. For a line that comes
//! from a priced quote line, the estimate is re-run for the ordered quantity on the shop as it is
//! today and `usinage_engines::routing` turns it into a draft routing with its débit line, tools
//! from the crib, instruments, and a method sheet per machine operation whose cutting conditions
//! come from `usinage_engines::cutting`. A line without a usable estimate gets an empty routing
//! to build by hand (`routing_source = manuel`).

use super::method_sheets::{self, InspectionPoint, SheetContent, SheetSetup, SheetTool};
use super::routing::save_version;
use super::{DebitView, OpInstrument, OpTool};
use crate::audit;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::orders::next_number;
use crate::quotes::{lines as qlines, shop};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use usinage_engines::estimate::{
    self, Envelope, Estimate, Machine, PartSpec, ProcessKind, ShopContext,
};
use usinage_engines::routing::{
    self as engine, CribTool, Instrument, RoutingDraft, RoutingInput, RoutingOperation,
    RoutingSettings, WorkCentre,
};
use usinage_store::entities::{
    instrument, job, job_operation, material_grade, order, order_line, partner, quote_line, tool,
    tool_stock,
};

/// Settings key of the routing rules (scrap allowance, bar length).
pub const ROUTING_SETTINGS: &str = "routing_settings";

/// What every job of an order shares: the shop, crib, instruments, activities.
pub struct Workshop {
    pub shop: ShopContext,
    pub crib: Vec<CribTool>,
    pub instruments: Vec<Instrument>,
    pub activities: Vec<String>,
    pub settings: RoutingSettings,
}

fn num(s: &Option<String>) -> Option<f64> {
    s.as_deref()
        .and_then(crate::units::parse_decimal)
        .and_then(|d| d.to_string().parse().ok())
}

/// "0–25 mm" → (0, 25).
fn range_of(s: &str) -> Option<(f64, f64)> {
    let cleaned: String = s
        .chars()
        .map(|c| if c == '–' || c == '—' { '-' } else { c })
        .filter(|c| c.is_ascii_digit() || *c == '-' || *c == '.' || *c == ',')
        .collect();
    let (a, b) = cleaned.split_once('-')?;
    let a: f64 = a.replace(',', ".").parse().ok()?;
    let b: f64 = b.replace(',', ".").parse().ok()?;
    (b > a).then_some((a, b))
}

pub async fn workshop<C: ConnectionTrait>(db: &C) -> Result<Workshop, AppError> {
    let shop = shop::load(db).await?;
    let tools = tool::Entity::find()
        .filter(tool::Column::Active.eq(true))
        .order_by_asc(tool::Column::Code)
        .all(db)
        .await?;
    let stock = tool_stock::Entity::find().all(db).await?;
    let crib = tools
        .iter()
        .filter_map(|t| {
            let kind = method_sheets::tool_type_kind(&t.tool_type)?;
            let qty: i64 = stock
                .iter()
                .filter(|s| s.tool_id == t.id)
                .map(|s| (s.quantity - s.reserved).max(0))
                .sum();
            Some(CribTool {
                id: t.id,
                code: t.code.clone(),
                label: t.name.clone(),
                kind,
                diameter: num(&t.diameter_mm).unwrap_or(0.0),
                quantity: qty.clamp(0, i64::from(u32::MAX)) as u32,
            })
        })
        .collect();
    let today = crate::paris_today();
    let instruments = instrument::Entity::find()
        .filter(instrument::Column::Active.eq(true))
        .order_by_asc(instrument::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|i| {
            let state = crate::resources::instruments::instrument_state(
                i.next_calibration,
                i.last_result.as_deref(),
                today,
            );
            let range = i.range_text.as_deref().and_then(range_of);
            Instrument {
                id: i.id,
                code: i.code.clone(),
                name: i.name.clone(),
                instrument_type: i.instrument_type.clone(),
                range_min: range.map(|r| r.0),
                range_max: range.map(|r| r.1),
                size: i.range_text.clone().filter(|_| range.is_none()),
                usable: !state.blocked(),
            }
        })
        .collect();
    let activities: crate::setup::Activities =
        crate::settings::get(db, crate::settings::ACTIVITIES)
            .await?
            .unwrap_or_default();
    let settings = crate::settings::get(db, ROUTING_SETTINGS)
        .await?
        .unwrap_or_default();
    Ok(Workshop {
        shop,
        crib,
        instruments,
        activities: activities.activities,
        settings,
    })
}

/// Part spec and estimate of an order line for its ordered quantity (`None` when the quote line
/// lacks what the estimate needs).
pub async fn estimate_line<C: ConnectionTrait>(
    db: &C,
    line: &order_line::Model,
    shop: &ShopContext,
) -> Result<Option<(PartSpec, Estimate)>, AppError> {
    let Some(qid) = line.quote_line_id else {
        return Ok(None);
    };
    let Some(mut ql) = quote_line::Entity::find_by_id(qid).one(db).await? else {
        return Ok(None);
    };
    ql.quantities = line.quantity.to_string();
    ql.critical |= line.critical;
    let grade_id = line.grade_id.or(ql.grade_id);
    ql.grade_id = grade_id;
    let grade = match grade_id {
        Some(g) => material_grade::Entity::find_by_id(g).one(db).await?,
        None => None,
    };
    let (draft, est) = qlines::evaluate(&ql, grade.as_ref(), shop);
    Ok(draft.spec.zip(est))
}

pub fn process_code(p: ProcessKind) -> String {
    serde_json::to_value(p)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn round(x: f64, dp: i32) -> String {
    let f = 10f64.powi(dp);
    let r = (x * f).round() / f;
    let s = format!("{r:.*}", dp as usize);
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if s.is_empty() || s == "-0" {
        "0".into()
    } else {
        s
    }
}

fn fill(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && !t.to_lowercase().contains("à renseigner")).then(|| t.to_string())
}

/// The method sheet content of a generated operation (pure).
pub fn sheet_of(op: &RoutingOperation, spec: &PartSpec, crib: &[CribTool]) -> SheetContent {
    let ms = &op.method_sheet;
    let work_d = match spec.envelope {
        Envelope::Round { diameter, .. } => Some(diameter),
        Envelope::Block { .. } => None,
    };
    let tools = ms
        .tools
        .iter()
        .map(|t| {
            let kind = method_sheets::tool_kind_code(t.kind);
            let turning = matches!(
                t.kind,
                estimate::ToolKind::Tournage
                    | estimate::ToolKind::Alesage
                    | estimate::ToolKind::Tronconnage
            );
            let pitch = if t.kind == estimate::ToolKind::Taraudage {
                spec.features.iter().find_map(|f| match f {
                    estimate::Feature::Threads { designation, .. } => {
                        estimate::times::parse_thread(designation)
                            .filter(|(d, _)| (d - t.diameter).abs() < 0.6 || t.diameter <= 0.0)
                            .map(|(_, p)| p)
                    }
                    _ => None,
                })
            } else {
                None
            };
            let lower = t.label_fr.to_lowercase();
            SheetTool {
                position: t.position.clone(),
                tool_id: t.tool_id,
                label: t.label_fr.clone(),
                kind,
                diameter: (t.diameter > 0.0).then_some(t.diameter),
                teeth: match t.kind {
                    estimate::ToolKind::Fraisage => Some(if t.diameter < 6.0 { 3 } else { 4 }),
                    estimate::ToolKind::Surfacage => Some(5),
                    _ => None,
                },
                nose_radius: turning.then_some(if lower.contains("finition") { 0.4 } else { 0.8 }),
                pitch,
                intent: if lower.contains("finition") || lower.contains("alésoir") {
                    "finition".into()
                } else {
                    "ebauche".into()
                },
                work_diameter: if turning && t.kind != estimate::ToolKind::Alesage {
                    work_d
                } else if t.kind == estimate::ToolKind::Alesage {
                    (t.diameter > 0.0).then_some(t.diameter)
                } else {
                    None
                },
                ap: None,
                ae: None,
                vc: None,
                feed: None,
                conditions: None,
            }
        })
        .collect();
    let _ = crib;
    let mut setup_lines = ms.setup_fr.iter().filter_map(|s| fill(s));
    let fixturing = setup_lines.next();
    let rest: Vec<String> = setup_lines.collect();
    SheetContent {
        setup: SheetSetup {
            fixturing,
            datums: (!rest.is_empty()).then(|| rest.join("\n")),
            zero_point: fill(&ms.zero_point_fr),
            notes: (!ms.instructions_fr.is_empty() || !ms.material_fr.is_empty()).then(|| {
                std::iter::once(ms.material_fr.clone())
                    .filter(|s| !s.is_empty())
                    .chain(ms.instructions_fr.iter().cloned())
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
        },
        tools,
        cam_steps: ms.cam_steps.clone(),
        inspection_points: ms
            .inspection_points
            .iter()
            .map(|p| InspectionPoint {
                characteristic: p.characteristic_fr.clone(),
                nominal: p.nominal.map(|n| round(n, 3)),
                tolerance: Some(p.tolerance_fr.clone()).filter(|s| !s.is_empty()),
                instrument_type: Some(p.instrument_type.clone()).filter(|s| !s.is_empty()),
                instrument_id: op
                    .instruments
                    .iter()
                    .find(|i| i.characteristic_fr == p.characteristic_fr)
                    .and_then(|i| i.instrument_id),
                frequency: Some(p.frequency_fr.clone()).filter(|s| !s.is_empty()),
            })
            .collect(),
        safety_notes: ms.safety_fr.clone(),
        nc_program: op.nc_program.clone(),
    }
}

fn debit_view(d: &engine::DebitLine) -> DebitView {
    DebitView {
        grade: Some(d.grade.clone()),
        section: d.section_label.clone(),
        cut_length_mm: d.cut_length,
        quantity: d.quantity,
        bar_fed: d.bar_fed,
        label: d.label_fr.clone(),
        certified_required: d.certified_required,
        notes: d.allowances_fr.clone(),
    }
}

/// Writes the operations and method sheets of a draft routing for job `j`.
pub(crate) async fn write_draft<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    j: &job::Model,
    draft: &RoutingDraft,
    spec: &PartSpec,
    crib: &[CribTool],
) -> Result<(), AppError> {
    let suppliers = partner::Entity::find()
        .filter(partner::Column::Kind.ne("client"))
        .all(db)
        .await?;
    let now = crate::now();
    for (k, op) in draft.operations.iter().enumerate() {
        let (machine_id, work_centre, supplier_name) = match &op.work_centre {
            WorkCentre::Machine { machine_id, .. } => (Some(*machine_id), None, None),
            WorkCentre::Activity { code } => (None, Some(code.clone()), None),
            WorkCentre::Subcontract { supplier, .. } => (None, None, supplier.clone()),
            WorkCentre::None => (None, None, None),
        };
        let supplier_id = supplier_name.as_ref().and_then(|n| {
            suppliers
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(n))
                .map(|p| p.id)
        });
        let tools: Vec<OpTool> = op
            .tools
            .iter()
            .map(|t| OpTool {
                position: t.position.clone(),
                label: t.label_fr.clone(),
                kind: Some(method_sheets::tool_kind_code(t.kind)),
                diameter: (t.diameter > 0.0).then_some(t.diameter),
                tool_id: t.tool_id,
                tool_code: t.tool_code.clone(),
                in_stock: t.in_stock,
                available_qty: i64::from(t.available_qty),
            })
            .collect();
        let instruments: Vec<OpInstrument> = op
            .instruments
            .iter()
            .map(|i| OpInstrument {
                characteristic: i.characteristic_fr.clone(),
                instrument_type: Some(i.instrument_type.clone()),
                instrument_id: i.instrument_id,
                instrument_code: i.instrument_code.clone(),
                usable: i.usable,
            })
            .collect();
        let mut description = op.description_fr.clone();
        for d in &op.documents_fr {
            description.push_str(&format!("\nDocument : {d}"));
        }
        let row = job_operation::ActiveModel {
            job_id: Set(j.id),
            position: Set((k as i32 + 1) * 10),
            process: Set(process_code(op.process)),
            label: Set(op.label_fr.chars().take(200).collect()),
            description: Set(Some(description).filter(|d| !d.trim().is_empty())),
            machine_id: Set(machine_id),
            work_centre: Set(work_centre),
            supplier_id: Set(supplier_id),
            supplier_name: Set(supplier_name),
            subcontract_po: Set(None),
            send_date: Set(None),
            return_date: Set(None),
            setup_min: Set(round(op.setup_min, 1)),
            run_min: Set(round(op.run_min_per_part, 2)),
            skills: Set(op.skills.join(" ")),
            tools_json: Set(serde_json::to_string(&tools).unwrap_or_else(|_| "[]".into())),
            instruments_json: Set(
                serde_json::to_string(&instruments).unwrap_or_else(|_| "[]".into())
            ),
            nc_program: Set(op.nc_program.clone()),
            status: Set("a_faire".into()),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await?;
        if machine_id.is_some()
            || !op.method_sheet.cam_steps.is_empty()
            || !op.method_sheet.inspection_points.is_empty()
        {
            method_sheets::create_generated(db, ctx, j, &row, sheet_of(op, spec, crib)).await?;
        }
    }
    Ok(())
}

fn job_audit(j: &job::Model) -> serde_json::Value {
    serde_json::json!({
        "number": j.number, "order_id": j.order_id, "order_line_id": j.order_line_id,
        "quantity": j.quantity, "status": j.status, "routing_source": j.routing_source,
    })
}

/// The draft routing of one line (pure once the data is loaded).
pub fn draft_for(
    spec: &PartSpec,
    est: &Estimate,
    line: &order_line::Model,
    ws: &Workshop,
    control_sheet: bool,
) -> RoutingDraft {
    let drawing_ref = match (&line.reference, &line.revision) {
        (Some(r), Some(i)) => format!("{r}-{i}"),
        (Some(r), None) => r.clone(),
        _ => format!("L{}", line.position),
    };
    engine::generate(&RoutingInput {
        spec,
        estimate: est,
        quantity: line.quantity.max(1) as u32,
        drawing_ref: &drawing_ref,
        settings: &ws.settings,
        activities: &ws.activities,
        tools: &ws.crib,
        instruments: &ws.instruments,
        machines: &ws.shop.machines,
        critical: line.critical,
        treatments: &[],
        control_sheet_required: control_sheet,
    })
}

/// Creates the job of `line` with its generated (or empty) routing.
pub(crate) async fn create_job<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    o: &order::Model,
    line: &order_line::Model,
    ws: &Workshop,
) -> Result<job::Model, AppError> {
    let est = estimate_line(db, line, &ws.shop).await?;
    let draft = est
        .as_ref()
        .map(|(spec, e)| draft_for(spec, e, line, ws, o.control_sheet));
    let mut warnings: Vec<String> = Vec::new();
    if line.quote_line_id.is_none() {
        warnings.push("Ligne sans devis chiffré : gamme à construire à la main.".into());
    } else if draft.is_none() {
        warnings.push(
            "Le devis de cette ligne ne permet pas de générer la gamme (matière ou encombrement manquant) : gamme à construire à la main.".into(),
        );
    }
    if let Some(d) = &draft {
        warnings.extend(d.warnings_fr.iter().cloned());
    }
    if line.certified_material {
        warnings.push(
            "Pièce critique : matière certifiée 3.1 obligatoire (lot avec certificat).".into(),
        );
    }
    let now = crate::now();
    let number = next_number!(db, job, "OF", chrono::Datelike::year(&crate::paris_today()));
    let j = job::ActiveModel {
        number: Set(number),
        order_id: Set(o.id),
        order_line_id: Set(line.id),
        quantity: Set(line.quantity),
        status: Set("brouillon".into()),
        routing_version: Set(1),
        routing_source: Set(if draft.is_some() { "genere" } else { "manuel" }.into()),
        routing_validated_by: Set(None),
        routing_validated_at: Set(None),
        due_date: Set(line.requested_date.or(o.promised_date).or(o.requested_date)),
        critical: Set(line.critical),
        grade_id: Set(line.grade_id),
        part_json: Set(est
            .as_ref()
            .and_then(|(spec, _)| serde_json::to_string(spec).ok())),
        debit_json: Set(draft
            .as_ref()
            .and_then(|d| d.debit.as_ref())
            .and_then(|d| serde_json::to_string(&debit_view(d)).ok())),
        warnings_json: Set(serde_json::to_string(&warnings).ok()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if let (Some(d), Some((spec, _))) = (&draft, &est) {
        write_draft(db, ctx, &j, d, spec, &ws.crib).await?;
    }
    save_version(
        db,
        ctx,
        j.id,
        1,
        Some(if draft.is_some() {
            "Générée à la validation de la commande".into()
        } else {
            "Gamme vide à construire".into()
        }),
    )
    .await?;
    audit::record(
        db,
        ctx,
        "job",
        &j.id.to_string(),
        "create",
        None,
        Some(job_audit(&j)),
    )
    .await?;
    Ok(j)
}

/// One job per line of a validated order (inside the validation's transaction).
pub async fn generate_for_order<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    o: &order::Model,
    lines: &[order_line::Model],
) -> Result<Vec<job::Model>, AppError> {
    let ws = workshop(db).await?;
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if job::Entity::find()
            .filter(job::Column::OrderLineId.eq(line.id))
            .one(db)
            .await?
            .is_some()
        {
            continue;
        }
        out.push(create_job(db, ctx, o, line, &ws).await?);
    }
    Ok(out)
}

/// Regenerates a draft routing from the quote (the current one is replaced; history kept).
pub async fn regenerate(
    db: &crate::Db,
    ctx: &Ctx,
    job_id: i64,
    jv: super::routing::JobVersion,
    english: bool,
) -> Result<super::JobView, AppError> {
    ctx.require(
        crate::rights::Module::Routings,
        crate::rights::Action::Update,
    )?;
    let tx = db.write().await?;
    let j = super::find(&tx.tx, job_id).await?;
    if j.version != jv.version {
        return Err(AppError::stale_version());
    }
    if j.status != "brouillon" {
        return Err(AppError::new(
            crate::error::Kind::Conflict,
            "routing_not_draft",
            "Seule une gamme à valider se régénère : repassez l'OF en brouillon.",
            "Only a draft routing can be regenerated.",
        ));
    }
    let line = order_line::Entity::find_by_id(j.order_line_id)
        .one(&tx.tx)
        .await?
        .ok_or_else(|| AppError::not_found("Ligne de commande", "Order line"))?;
    let o = crate::orders::find(&tx.tx, j.order_id).await?;
    let ws = workshop(&tx.tx).await?;
    let Some((spec, est)) = estimate_line(&tx.tx, &line, &ws.shop).await? else {
        return Err(AppError::new(
            crate::error::Kind::Conflict,
            "no_estimate",
            "Cette ligne n'a pas de devis chiffré : la gamme se construit à la main.",
            "This line has no priced quote: build the routing by hand.",
        ));
    };
    let draft = draft_for(&spec, &est, &line, &ws, o.control_sheet);
    for op in super::operations_of(&tx.tx, j.id).await? {
        super::routing::delete_sheet_of(&tx.tx, op.id).await?;
        job_operation::Entity::delete_by_id(op.id)
            .exec(&tx.tx)
            .await?;
    }
    write_draft(&tx.tx, ctx, &j, &draft, &spec, &ws.crib).await?;
    let mut am: job::ActiveModel = j.clone().into();
    am.routing_version = Set(j.routing_version + 1);
    am.routing_source = Set("genere".into());
    am.part_json = Set(serde_json::to_string(&spec).ok());
    am.debit_json = Set(draft
        .debit
        .as_ref()
        .and_then(|d| serde_json::to_string(&debit_view(d)).ok()));
    let mut warnings = draft.warnings_fr.clone();
    if line.certified_material {
        warnings.push(
            "Pièce critique : matière certifiée 3.1 obligatoire (lot avec certificat).".into(),
        );
    }
    am.warnings_json = Set(serde_json::to_string(&warnings).ok());
    am.updated_at = Set(crate::now());
    am.version = Set(j.version + 1);
    let j2 = am.update(&tx.tx).await?;
    save_version(
        &tx.tx,
        ctx,
        j.id,
        j2.routing_version,
        Some("Régénérée depuis le devis".into()),
    )
    .await?;
    audit::record(
        &tx.tx,
        ctx,
        "job",
        &j.id.to_string(),
        "routing_regenerate",
        Some(serde_json::json!({"routing_version": j.routing_version})),
        Some(serde_json::json!({"routing_version": j2.routing_version})),
    )
    .await?;
    let out = super::view(&tx.tx, ctx, &j2, english).await?;
    tx.commit().await?;
    Ok(out)
}

/// Refuses a machine that cannot do the operation (kind, bar capacity, travels), with the
/// reasons in French on `machine_id`.
pub(crate) async fn check_machine<C: ConnectionTrait>(
    db: &C,
    j: &job::Model,
    process: &str,
    m: &usinage_store::entities::machine::Model,
) -> Result<(), AppError> {
    let Some(kind) =
        serde_json::from_value::<ProcessKind>(serde_json::Value::String(process.to_string())).ok()
    else {
        return Ok(());
    };
    let shop = shop::load(db).await?;
    let Some(machine) = shop.machines.iter().find(|x| x.id == m.id).cloned() else {
        return Ok(());
    };
    let spec: Option<PartSpec> = j
        .part_json
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok());
    let raw = spec
        .as_ref()
        .and_then(|s| estimate::estimate(s, &shop).raw_stock);
    let result = match &spec {
        Some(s) => engine::check_machine(kind, &machine, s, raw.as_ref()),
        None => kind_only(kind, &machine),
    };
    result.map_err(|reasons| {
        AppError::field(
            "machine_id",
            "machine_cannot",
            format!(
                "La machine {} ne peut pas faire cette opération : {}.",
                m.code,
                reasons.join(" ; ")
            ),
            format!("Machine {} cannot do this operation.", m.code),
        )
    })
}

/// Without a part spec (routing built by hand), only the machine kind is checked.
fn kind_only(kind: ProcessKind, m: &Machine) -> Result<(), Vec<String>> {
    let spec = PartSpec {
        shape: estimate::ShapeClass::Unknown,
        envelope: Envelope::Block {
            length: 1.0,
            width: 1.0,
            height: 1.0,
        },
        material: estimate::Material {
            grade_id: 0,
            label: String::new(),
            iso_group: estimate::IsoGroup::P,
            density: 7.85,
        },
        features: Vec::new(),
        tightest_tolerance: None,
        general_tolerance_class: None,
        gdt_count: 0,
        treatments: Vec::new(),
        critical: false,
        allow_certified: false,
        net_mass_kg: None,
        setups: None,
        quantities: vec![1],
    };
    engine::check_machine(kind, m, &spec, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example (docs/routing-engine.md): Ø45 h7 × 65 in C45, bore Ø20 H7, M10,
    /// 25 pieces, on a shop with a saw, a lathe (Ø42 bar capacity, 4 000 tr/min, 14,9 kW) and a
    /// mill — through the same path as an order validation: estimate → routing → method sheet →
    /// cutting conditions for the lathe.
    #[test]
    fn worked_example_gives_a_routing_and_conditions_a_machinist_accepts() {
        use usinage_engines::cutting::{CuttingDataCandidate, CuttingSettings, MachineLimits};
        use usinage_engines::routing::example as ex;
        let park = vec![ex::saw(), ex::lathe(), ex::mill()];
        let shop = ex::shop(park.clone());
        let spec = ex::worked_part();
        let est = estimate::estimate(&spec, &shop);
        let ws = Workshop {
            shop: shop.clone(),
            crib: ex::crib(),
            instruments: ex::instruments(),
            activities: vec!["usinage".into()],
            settings: RoutingSettings::default(),
        };
        let now = chrono::Utc::now();
        let line = order_line::Model {
            id: 1,
            order_id: 1,
            position: 1,
            quote_line_id: Some(1),
            reference: Some("PL-2041".into()),
            revision: Some("A".into()),
            designation: "Bague".into(),
            grade_id: Some(2),
            quantity: 25,
            delivered_quantity: 0,
            unit_price_cents: None,
            requested_date: None,
            critical: false,
            certified_material: false,
            blob_id: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let draft = draft_for(&spec, &est, &line, &ws, false);
        // Ø45 + 2 mm → Ø47 → Ø50 bar (above the lathe's Ø42 bar capacity: sawn);
        // 65 + 3 mm facing = 68 mm; 25 + ⌈25 × 2 %⌉ = 26 pieces.
        let debit = draft.debit.as_ref().unwrap();
        assert_eq!(debit.label_fr, "Débit Ø50×68 — 26 pcs");
        assert_eq!(debit_view(debit).cut_length_mm, 68.0);
        let codes: Vec<String> = draft
            .operations
            .iter()
            .map(|o| process_code(o.process))
            .collect();
        assert_eq!(codes.first().map(String::as_str), Some("debit"));
        assert_eq!(codes.last().map(String::as_str), Some("emballage"));
        let turning = draft
            .operations
            .iter()
            .find(|o| o.process == ProcessKind::Tournage)
            .unwrap();
        let mut sheet = sheet_of(turning, &spec, &ws.crib);
        let cx = method_sheets::CuttingContext {
            iso_group: estimate::IsoGroup::P,
            machine: Some(MachineLimits::from(&park[1])),
            settings: CuttingSettings::default(),
            rows: shop
                .cutting_data
                .iter()
                .filter_map(|c| {
                    CuttingDataCandidate::from_cutting_data(c)
                        .map(|cand| (0, Some(c.tool_kind), cand))
                })
                .collect(),
        };
        method_sheets::compute_all(&mut sheet, &cx);
        let cond = |kind: &str| {
            sheet
                .tools
                .iter()
                .find(|t| t.kind == kind)
                .and_then(|t| t.conditions.clone())
                .unwrap_or_else(|| panic!("no {kind} tool: {:#?}", sheet.tools))
        };
        // Roughing insert at Ø45, Vc 200 m/min (supplier data): n = 1000·200 / (π·45) ≈ 1415.
        let t = cond("tournage");
        assert!((t.n_rpm.unwrap() - 1414.7).abs() < 1.0, "{t:#?}");
        assert!(t.power_required_kw.unwrap() < 14.9, "{t:#?}");
        assert!(!t.has_warning("n_max_depasse"));
        // M10 tap: Vc 15 → n = 15000 / (π·10) ≈ 477 tr/min; feed = pitch 1,5 → Vf ≈ 716 mm/min.
        let tap = cond("taraudage");
        assert_eq!(tap.feed, Some(1.5));
        assert!((tap.n_rpm.unwrap() - 477.5).abs() < 1.0, "{tap:#?}");
        assert!((tap.vf_mm_min.unwrap() - 716.2).abs() < 2.0, "{tap:#?}");
        // Every drill stays under the lathe's 4 000 tr/min.
        for t in sheet.tools.iter().filter(|t| t.kind == "percage") {
            let c = t.conditions.as_ref().unwrap();
            assert!(c.n_rpm.unwrap() <= 4000.0, "{c:#?}");
        }
        assert!(!sheet.cam_steps.is_empty() && !sheet.inspection_points.is_empty());
    }

    #[test]
    fn ranges_and_rounding() {
        assert_eq!(range_of("0–25 mm"), Some((0.0, 25.0)));
        assert_eq!(range_of("25-50 mm"), Some((25.0, 50.0)));
        assert_eq!(range_of("Ø20 H7"), None);
        assert_eq!(round(12.345, 1), "12.3");
        assert_eq!(round(3.0, 2), "3");
        assert_eq!(
            process_code(ProcessKind::TraitementSousTraite),
            "traitement_sous_traite"
        );
    }
}
