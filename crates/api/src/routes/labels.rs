//! QR label sheets as PDF (A4, 3 × 8 labels of 70 × 37 mm).

use crate::AppState;
use crate::extract::{ApiJson, Auth, Lang};
use crate::problem::{ApiError, ApiResult, Problem};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use usinage_app::error::{AppError, Validator};
use usinage_app::rights::Action;
use usinage_documents::labels::{Label, sheet};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LabelRequest {
    /// Entity path as in record URLs, e.g. `users`.
    pub entity: String,
    /// Record ids, in label order (1–240).
    pub ids: Vec<i64>,
    /// Labels already used on the first sheet (0–23), left blank.
    #[serde(default)]
    pub skip: usize,
}

/// Longest title / subtitle printed on a 70 × 37 mm label; longer text is cut with "…"
/// (the template also clips, this keeps the cut readable).
const TITLE_MAX: usize = 20;
const SUBTITLE_MAX: usize = 64;

fn clip(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s
            .chars()
            .take(max - 1)
            .collect::<String>()
            .trim_end()
            .to_string();
        out.push('…');
        out
    }
}

fn join(parts: &[Option<String>]) -> String {
    parts
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// "Ø40 × 180 mm", "30×10 × 1000 mm", "Ø60×5 × 500 mm"… (dimensions of one piece).
fn dimensions(
    shape: &str,
    d: &str,
    width: Option<&str>,
    wall: Option<&str>,
    length: &str,
) -> String {
    let section = match (shape, width, wall) {
        ("rond", _, _) => format!("Ø{d}"),
        ("tube", _, Some(w)) => format!("Ø{d}×{w}"),
        ("tube", _, None) => format!("Ø{d}"),
        ("carre", _, _) => format!("{d}×{d}"),
        ("hexagone", _, _) => format!("6 pans {d}"),
        (_, Some(w), _) => format!("{d}×{w}"),
        _ => d.to_string(),
    };
    format!("{section} × {length} mm")
}

/// Title and subtitle of one record's label; each entity with a QR adds its case here.
async fn label_of(
    s: &AppState,
    ctx: &usinage_app::Ctx,
    english: bool,
    entity: &str,
    id: i64,
) -> Result<Label, AppError> {
    use usinage_app::resources::{instruments, machines};
    use usinage_app::stock::{locations, materials, tools};
    let base = s.cfg.public_base_url.trim_end_matches('/');
    let url = format!("{base}/{entity}/{id}");
    let (title, subtitle) = match entity {
        "users" => {
            let u = usinage_app::users::get(&s.db, ctx, id).await?;
            (u.login, u.full_name)
        }
        "locations" => {
            let l = locations::view(&locations::get(&s.db, ctx, id).await?, base, english);
            (l.code, join(&[Some(l.name), Some(l.kind_label)]))
        }
        "tools" => {
            let t = tools::view(&tools::get(&s.db, ctx, id).await?, (0, 0), base, english);
            // The name often repeats the ISO designation ("Plaquette CNMG 120408-PM").
            let name = Some(t.name).filter(|n| {
                t.iso_designation
                    .as_deref()
                    .is_none_or(|iso| !n.contains(iso))
            });
            (
                t.code,
                join(&[
                    Some(t.type_label),
                    t.diameter_mm.map(|d| format!("Ø{d}")),
                    t.iso_designation,
                    name,
                ]),
            )
        }
        "material-stock" => {
            let m = materials::get_stock(&s.db, ctx, id).await?;
            let v = materials::stock_views(&s.db, std::slice::from_ref(&m), base, english)
                .await?
                .remove(0);
            let kind = match (v.is_offcut, english) {
                (true, false) => "Chute",
                (true, true) => "Offcut",
                (false, false) => "Barre",
                (false, true) => "Bar",
            };
            let lot = v.heat_number.map(|h| {
                if english {
                    format!("heat {h}")
                } else {
                    format!("coulée {h}")
                }
            });
            (
                format!("{kind} {}", v.grade_code),
                join(&[
                    Some(format!("{} #{}", v.shape_label, v.id)),
                    Some(dimensions(
                        &v.shape,
                        &v.diameter_mm,
                        v.width_mm.as_deref(),
                        v.wall_mm.as_deref(),
                        &v.length_mm,
                    )),
                    lot,
                    v.location_code,
                    v.label,
                ]),
            )
        }
        "material-lots" => {
            let l = materials::get_lot(&s.db, ctx, id).await?;
            let v = materials::lot_views(&s.db, std::slice::from_ref(&l), base, english)
                .await?
                .remove(0);
            (
                v.heat_number,
                join(&[
                    Some(v.grade_code),
                    Some(v.certificate_label),
                    v.supplier_name,
                ]),
            )
        }
        "materials" => {
            let g = materials::get_grade(&s.db, ctx, id).await?;
            (g.code, join(&[Some(g.afnor), g.en_number]))
        }
        "instruments" => {
            let m = instruments::get(&s.db, ctx, id).await?;
            let today = chrono::Utc::now().date_naive();
            let v = instruments::view(&m, &[], today, base, english);
            let next = v.next_calibration.map(|d| {
                let d = d.format("%d/%m/%Y");
                if english {
                    format!("calibration due {d}")
                } else {
                    format!("étalonnage avant le {d}")
                }
            });
            (
                v.code,
                join(&[Some(v.instrument_type_label), v.range, next, Some(v.name)]),
            )
        }
        "machines" => {
            let m = machines::view(&machines::get(&s.db, ctx, id).await?, base, english, false);
            (
                m.code,
                join(&[Some(m.name), Some(m.kind_label), m.brand, m.model]),
            )
        }
        "clients" | "suppliers" => {
            let kind = if entity == "clients" {
                usinage_app::crm::PartnerKind::Client
            } else {
                usinage_app::crm::PartnerKind::Supplier
            };
            let p = usinage_app::crm::get(&s.db, ctx, kind, id).await?;
            (p.name, join(&[p.phone, p.email]))
        }
        _ => return Err(AppError::not_found("Type d'enregistrement", "Record type")),
    };
    Ok(Label {
        title: clip(&title, TITLE_MAX),
        subtitle: clip(&subtitle, SUBTITLE_MAX),
        url,
    })
}

#[utoipa::path(post, path = "/api/v1/labels", tag = "qr", security(("bearer" = [])), request_body = LabelRequest,
    responses((status = 200, content_type = "application/pdf", description = "PDF label sheet(s)"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn labels(
    State(s): State<AppState>,
    Auth(ctx): Auth,
    lang: Lang,
    ApiJson(req): ApiJson<LabelRequest>,
) -> ApiResult<Response> {
    let module = super::qr::module_of(&req.entity)
        .ok_or_else(|| ApiError(AppError::not_found("Type d'enregistrement", "Record type")))?;
    ctx.require(module, Action::Read)?;
    let mut v = Validator::default();
    if req.ids.is_empty() || req.ids.len() > 240 {
        v.add(
            "ids",
            "invalid_count",
            "Choisissez entre 1 et 240 étiquettes.",
            "Choose between 1 and 240 labels.",
        );
    }
    if req.skip > 23 {
        v.add(
            "skip",
            "invalid_skip",
            "Le nombre d'étiquettes déjà utilisées va de 0 à 23.",
            "Used labels range from 0 to 23.",
        );
    }
    v.finish()?;
    let mut labels = Vec::with_capacity(req.ids.len());
    for id in &req.ids {
        labels.push(label_of(&s, &ctx, lang.english, &req.entity, *id).await?);
    }
    let today = chrono::Utc::now().date_naive();
    let pdf = tokio::task::spawn_blocking(move || sheet(&labels, req.skip, today))
        .await
        .map_err(|_| AppError::internal("PDF"))?
        .map_err(|e| {
            tracing::error!(error = %e, "label sheet");
            AppError::internal("PDF")
        })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"etiquettes-{}.pdf\"", req.entity),
            ),
        ],
        pdf,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_with_an_ellipsis_and_short_text_is_kept() {
        assert_eq!(clip("A1-T1", 20), "A1-T1");
        let long = clip(&"Fraise carbure monobloc ".repeat(10), 20);
        assert_eq!(long.chars().count(), 20);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn dimensions_follow_the_shape() {
        assert_eq!(dimensions("rond", "40", None, None, "180"), "Ø40 × 180 mm");
        assert_eq!(
            dimensions("plat", "30", Some("10"), None, "1000"),
            "30×10 × 1000 mm"
        );
        assert_eq!(
            dimensions("tube", "60", None, Some("5"), "500"),
            "Ø60×5 × 500 mm"
        );
        assert_eq!(
            dimensions("carre", "20", None, None, "300"),
            "20×20 × 300 mm"
        );
    }
}
