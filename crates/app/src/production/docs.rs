//! Production documents: the traveler (fiche suiveuse) of a job with a QR per operation, the
//! method sheet PDF, and the drawing thumbnail.

use super::method_sheets::{self, SheetContent};
use super::{JobView, OperationView, find, view};
use crate::ctx::Ctx;
use crate::error::{AppError, Kind};
use crate::rights::{Action, Module};
use crate::setup::CompanyIdentity;
use sea_orm::EntityTrait;
use usinage_documents::method_sheet::{
    InspectionPoint as MethodInspection, MethodSheetDoc, MethodTool,
};
use usinage_documents::traveler::{TravelerDoc, TravelerOperation};
use usinage_drawing::FileKind;
use usinage_store::Db;
use usinage_store::entities::{file_blob, order, order_line};

fn base(url: &str) -> String {
    url.trim_end_matches('/').to_string()
}

/// "1 h 05", "45 min".
pub fn minutes_fr(s: &str) -> Option<String> {
    let m: f64 = s.parse().ok()?;
    if m <= 0.0 {
        return None;
    }
    if m >= 60.0 {
        let total = m.round() as i64;
        Some(format!("{} h {:02}", total / 60, total % 60))
    } else {
        Some(format!("{} min", fr_num(m, 1)))
    }
}

/// French decimal with at most `dp` decimals: 3.5 → "3,5".
pub fn fr_num(x: f64, dp: usize) -> String {
    let s = format!("{x:.dp$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    s.replace('.', ",")
}

fn work_centre(o: &OperationView) -> String {
    match (
        &o.machine_code,
        &o.machine_name,
        &o.supplier_name,
        &o.work_centre_label,
    ) {
        (Some(c), Some(n), _, _) => format!("{c} — {n}"),
        (Some(c), None, _, _) => c.clone(),
        (None, _, Some(s), _) => format!("Sous-traitance — {s}"),
        (None, _, None, Some(w)) => w.clone(),
        _ => "À affecter".into(),
    }
}

/// Traveler data of a job (pure once the views are loaded).
pub fn traveler_doc(
    j: &JobView,
    company: &str,
    customer_po: Option<String>,
    public_url: &str,
    image: Option<Vec<u8>>,
    issued: String,
) -> TravelerDoc {
    let s = &j.summary;
    let mut marks = Vec::new();
    if s.critical {
        marks.push("contrôle 100 %".to_string());
    }
    if j.certified_material {
        marks.push("matière certifiée 3.1".to_string());
    }
    if j.control_sheet {
        marks.push("fiche de contrôle jointe".to_string());
    }
    TravelerDoc {
        company_name: company.to_string(),
        job_number: s.number.clone(),
        job_url: Some(format!("{}/jobs/{}", base(public_url), s.id)),
        order_number: Some(s.order_number.clone()),
        customer_po,
        customer: s.client_name.clone(),
        part_name: s.designation.clone(),
        drawing_number: s.reference.clone(),
        drawing_revision: j.revision.clone(),
        material: match (&j.grade_label, &j.debit) {
            (Some(g), Some(d)) => Some(format!("{g} — {}", d.section)),
            (Some(g), None) => Some(g.clone()),
            (None, Some(d)) => Some(d.section.clone()),
            (None, None) => None,
        },
        cutting: j.debit.as_ref().map(|d| d.label.clone()),
        quantity: format!("{} pcs", s.quantity),
        due_date: s.due_date.map(|d| d.format("%d/%m/%Y").to_string()),
        critical: s.critical,
        critical_marks: marks,
        drawing_image: image,
        operations: j
            .operations
            .iter()
            .map(|o| TravelerOperation {
                number: o.position.max(0) as u32,
                label: o.label.clone(),
                work_center: work_centre(o),
                setup_time: minutes_fr(&o.setup_min),
                run_time: o
                    .run_min
                    .parse::<f64>()
                    .ok()
                    .filter(|m| *m > 0.0)
                    .map(|m| format!("{} min/pc", fr_num(m, 2))),
                tools: o
                    .tools
                    .iter()
                    .map(|t| format!("{} {}", t.position, t.label))
                    .chain(o.instruments.iter().map(|i| match &i.instrument_code {
                        Some(c) => format!("{c} {}", i.characteristic),
                        None => i.characteristic.clone(),
                    }))
                    .collect(),
                nc_program: o.nc_program.clone(),
                url: Some(format!("{}{}", base(public_url), o.scan_url)),
                note: o
                    .subcontract_po
                    .as_ref()
                    .map(|p| format!("Commande sous-traitant {p}")),
            })
            .collect(),
        notes: j.warnings.clone(),
        issued: Some(issued),
    }
}

async fn company_name(db: &Db) -> Result<String, AppError> {
    let c: Option<CompanyIdentity> =
        crate::settings::get(&db.conn, crate::settings::COMPANY).await?;
    Ok(c.map(|c| c.name)
        .unwrap_or_else(|| "Gestion Usinage".into()))
}

/// First page of the job's drawing as PNG (`None` when there is no drawing or no preview).
async fn drawing_bytes(db: &Db, j: &JobView, dpi: u32) -> Result<Option<Vec<u8>>, AppError> {
    let Some(line) = order_line::Entity::find_by_id(j.order_line_id)
        .one(&db.conn)
        .await?
    else {
        return Ok(None);
    };
    let Some(blob) = line.blob_id else {
        return Ok(None);
    };
    let Some(b) = file_blob::Entity::find_by_id(blob).one(&db.conn).await? else {
        return Ok(None);
    };
    let png = tokio::task::spawn_blocking(move || {
        let limits = usinage_drawing::Limits::default();
        let kind = usinage_drawing::sniff::detect(&b.data, "").unwrap_or(FileKind::Other);
        usinage_drawing::extract::preview_png(&b.data, kind, 1, dpi, &limits).ok()
    })
    .await
    .map_err(|_| AppError::internal("aperçu du plan"))?;
    Ok(png)
}

pub async fn drawing_png(db: &Db, ctx: &Ctx, job_id: i64) -> Result<Vec<u8>, AppError> {
    ctx.require(Module::Routings, Action::Read)?;
    let j = find(&db.conn, job_id).await?;
    let v = view(&db.conn, ctx, &j, false).await?;
    drawing_bytes(db, &v, 110).await?.ok_or_else(|| {
        AppError::new(
            Kind::NotFound,
            "no_drawing",
            "Pas de plan pour cette pièce (ou aperçu impossible).",
            "No drawing for this part.",
        )
    })
}

pub async fn traveler_pdf(
    db: &Db,
    ctx: &Ctx,
    job_id: i64,
    public_url: &str,
    today: chrono::NaiveDate,
) -> Result<(String, Vec<u8>), AppError> {
    ctx.require(Module::Routings, Action::Read)?;
    let j = find(&db.conn, job_id).await?;
    let v = view(&db.conn, ctx, &j, false).await?;
    let o = order::Entity::find_by_id(j.order_id).one(&db.conn).await?;
    let image = drawing_bytes(db, &v, 60).await?;
    let issued = format!(
        "{} par {}",
        today.format("%d/%m/%Y"),
        ctx.principal
            .as_ref()
            .map(|p| p.full_name.clone())
            .unwrap_or_else(|| "le système".into())
    );
    let doc = traveler_doc(
        &v,
        &company_name(db).await?,
        o.and_then(|o| o.customer_po_number),
        public_url,
        image,
        issued,
    );
    let bytes =
        tokio::task::spawn_blocking(move || usinage_documents::traveler::render(&doc, today))
            .await
            .map_err(|_| AppError::internal("fiche suiveuse"))?
            .map_err(|e| AppError::internal(&format!("fiche suiveuse : {e}")))?;
    Ok((format!("fiche-suiveuse-{}.pdf", j.number), bytes))
}

/// Method sheet data (pure once the view is loaded).
pub fn method_sheet_doc(
    v: &method_sheets::MethodSheetView,
    company: &str,
    public_url: &str,
    attachments: Vec<String>,
) -> MethodSheetDoc {
    let c: &SheetContent = &v.content;
    let machine_power = v.operation.power_kw.clone();
    let some = |s: String| Some(s).filter(|s| !s.is_empty());
    MethodSheetDoc {
        company_name: company.to_string(),
        job_number: Some(v.job_number.clone()),
        operation_number: v.operation.position.max(0) as u32,
        operation_label: v.operation.label.clone(),
        work_center: match (&v.operation.machine_code, &v.operation.machine_name) {
            (Some(c), Some(n)) => format!("{c} — {n}"),
            (Some(c), None) => c.clone(),
            _ => "Poste manuel".into(),
        },
        part_name: v.part.designation.clone(),
        drawing_number: v.part.reference.clone(),
        drawing_revision: v.part.revision.clone(),
        material: v.part.grade.clone().map(|g| match &v.part.iso_group {
            Some(iso) => format!("{g} (groupe ISO {iso})"),
            None => g,
        }),
        version: format!(
            "v{} — modifiée le {} par {}",
            v.version,
            v.updated_at
                .with_timezone(&usinage_documents::time::ParisTz)
                .format("%d/%m/%Y à %H:%M"),
            v.updated_by
        ),
        fixturing: c.setup.fixturing.clone(),
        datums: c.setup.datums.clone(),
        zero_point: c.setup.zero_point.clone(),
        tools: c
            .tools
            .iter()
            .map(|t| {
                let k = t.conditions.as_ref();
                let r = k.map(|k| k.rounded).unwrap_or_default();
                let power_needed = r.power_required_kw;
                let machine_kw = machine_power.as_deref().and_then(|m| m.parse::<f64>().ok());
                MethodTool {
                    position: t.position.clone(),
                    designation: t.label.clone(),
                    diameter: t.diameter.map(|d| fr_num(d, 2)),
                    teeth: t.teeth.map(|z| z.to_string()),
                    cutting_speed: r.vc_m_min.map(|x| fr_num(x, 0)),
                    feed: match (r.feed, k.map(|k| k.feed_kind.code())) {
                        (Some(f), Some(kind)) => Some(format!("{kind} {}", fr_num(f, 3))),
                        (Some(f), None) => Some(fr_num(f, 3)),
                        _ => None,
                    },
                    depth_of_cut: r.ap_mm.map(|x| fr_num(x, 2)),
                    width_of_cut: r.ae_mm.map(|x| fr_num(x, 2)),
                    spindle_speed: r.n_rpm.map(|x| fr_num(x, 0)),
                    feed_rate: r.vf_mm_min.map(|x| fr_num(x, 0)),
                    removal_rate: r.q_cm3_min.map(|x| fr_num(x, 1)),
                    power: match (power_needed, machine_kw) {
                        (Some(p), Some(m)) => Some(format!("{} / {}", fr_num(p, 2), fr_num(m, 1))),
                        (Some(p), None) => Some(fr_num(p, 2)),
                        _ => None,
                    },
                    power_warning: k.is_some_and(|k| {
                        k.has_warning(usinage_engines::cutting::codes::PUISSANCE_DEPASSEE)
                    }),
                    warnings: k
                        .map(|k| {
                            k.warnings
                                .iter()
                                .map(|w| w.message_fr.clone())
                                .chain(k.to_fill_fr.iter().map(|f| format!("{f} à renseigner")))
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            })
            .collect(),
        steps: c.cam_steps.clone(),
        inspection: c
            .inspection_points
            .iter()
            .map(|p| MethodInspection {
                characteristic: p.characteristic.clone(),
                nominal: [p.nominal.clone(), p.tolerance.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
                instrument: p
                    .instrument_type
                    .as_deref()
                    .map(|t| crate::crm::label_of(crate::resources::instruments::TYPES, t, false))
                    .and_then(&some),
                frequency: p.frequency.clone(),
            })
            .collect(),
        safety: c.safety_notes.clone(),
        attachments,
        nc_program: c.nc_program.clone(),
        missing: v.missing.clone(),
        url: Some(format!(
            "{}/operations/{}",
            base(public_url),
            v.operation_id
        )),
    }
}

pub async fn method_sheet_pdf(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    public_url: &str,
    today: chrono::NaiveDate,
) -> Result<(String, Vec<u8>), AppError> {
    let v = method_sheets::get(db, ctx, id).await?;
    let attachments = crate::attachments::names_of(db, "method-sheets", id).await?;
    let doc = method_sheet_doc(&v, &company_name(db).await?, public_url, attachments);
    let bytes =
        tokio::task::spawn_blocking(move || usinage_documents::method_sheet::render(&doc, today))
            .await
            .map_err(|_| AppError::internal("fiche méthode"))?
            .map_err(|e| AppError::internal(&format!("fiche méthode : {e}")))?;
    Ok((
        format!(
            "fiche-methode-{}-op{}.pdf",
            v.job_number, v.operation.position
        ),
        bytes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_like_a_shop() {
        assert_eq!(minutes_fr("65").as_deref(), Some("1 h 05"));
        assert_eq!(minutes_fr("45").as_deref(), Some("45 min"));
        assert_eq!(minutes_fr("3.5").as_deref(), Some("3,5 min"));
        assert_eq!(minutes_fr("0"), None);
        assert_eq!(fr_num(2.25, 2), "2,25");
        assert_eq!(fr_num(1528.0, 0), "1528");
    }
}
