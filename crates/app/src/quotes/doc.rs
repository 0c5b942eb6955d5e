//! The quote as the customer receives it: data for the PDF template
//! (`usinage_documents::quote`). Prices come from the stored estimates; a quote that is not
//! yet validated prints with a "BROUILLON" watermark.

use super::lines::LineView;
use super::{QuoteView, find, view};
use crate::crm::{PAYMENT_TERMS, label_of};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::rights::{Action, Module};
use crate::settings::{self, Company};
use rust_decimal::Decimal;
use sea_orm::EntityTrait;
use usinage_documents::quote::{Party, QuoteBreak, QuoteDoc, QuoteDocLine, QuoteScenario};
use usinage_engines::estimate::pricing::eur;
use usinage_store::Db;
use usinage_store::entities::partner;

fn scenario_label(kind: &str) -> &'static str {
    match kind {
        "economique" => "Économique",
        "express" => "Express",
        _ => "Standard",
    }
}

fn money(v: &serde_json::Value) -> String {
    v.as_str()
        .and_then(|s| s.parse::<Decimal>().ok())
        .map(eur)
        .unwrap_or_else(|| "—".into())
}

fn days(n: u64) -> String {
    if n <= 1 {
        format!("{n} jour ouvré")
    } else {
        format!("{n} jours ouvrés")
    }
}

fn doc_line(l: &LineView) -> QuoteDocLine {
    let mut breaks = Vec::new();
    if let Some(e) = &l.estimate {
        for b in e["breaks"].as_array().into_iter().flatten() {
            let q = b["quantity"].as_u64().unwrap_or(0);
            let scenarios = b["scenarios"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| QuoteScenario {
                    label: scenario_label(s["kind"].as_str().unwrap_or("")).into(),
                    unit_price: money(&s["unit_price"]),
                    total: money(&s["total_price"]),
                    lead_time: days(s["lead_time_days"].as_u64().unwrap_or(0)),
                })
                .collect();
            breaks.push(QuoteBreak {
                quantity: q.to_string(),
                scenarios,
                selected: l.selected_quantity == Some(q as i32),
            });
        }
    }
    let treatments: Vec<String> = [&l.heat_treatment, &l.surface_treatment]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let mut remarks = Vec::new();
    if l.critical {
        remarks.push(
            "Pièce critique : matière certifiée EN 10204 3.1, contrôle à 100 %, rapport de contrôle fourni."
                .to_string(),
        );
    }
    match &l.unit_price_override {
        Some(p) => remarks.push(format!(
            "Prix convenu : {} HT la pièce pour {} pièce(s).",
            money(&serde_json::json!(p)),
            l.selected_quantity.unwrap_or(0)
        )),
        None => remarks.push(format!(
            "Offre retenue : {} pour {} pièce(s).",
            scenario_label(&l.selected_scenario),
            l.selected_quantity.unwrap_or(0)
        )),
    }
    QuoteDocLine {
        position: l.position.max(0) as u32,
        drawing_number: l.drawing_number.clone(),
        drawing_revision: l.drawing_revision.clone(),
        part_name: l
            .part_name
            .clone()
            .or_else(|| l.drawing.as_ref().map(|d| d.filename.clone()))
            .unwrap_or_else(|| format!("Ligne {}", l.position)),
        material: match (&l.grade_name, &l.grade_code) {
            (Some(name), Some(code)) => Some(format!("{name} ({code})")),
            (_, code) => code.clone(),
        },
        treatments: (!treatments.is_empty()).then(|| treatments.join(" — ")),
        critical: l.critical,
        breaks,
        remarks,
    }
}

pub(crate) fn company_party(c: &Company) -> Party {
    Party {
        name: c.name.clone(),
        address_lines: c
            .address
            .as_deref()
            .map(|a| a.lines().map(str::to_string).collect())
            .unwrap_or_default(),
        siret: c.siret.clone(),
        vat_number: c.vat_number.clone(),
        phone: None,
        email: None,
    }
}

/// Document data of a quote (pure once the views are loaded).
pub fn build(
    q: &QuoteView,
    company: &Company,
    client: &partner::Model,
    public_url: Option<&str>,
) -> QuoteDoc {
    let s = &q.summary;
    let mut legal = vec![company.name.clone()];
    if let Some(siret) = &company.siret {
        legal.push(format!("SIRET {siret}"));
    }
    if let Some(vat) = &company.vat_number {
        legal.push(format!("TVA intracommunautaire {vat}"));
    }
    let qr_svg = public_url.and_then(|u| {
        usinage_documents::qr::svg(&format!("{}/quotes/{}", u.trim_end_matches('/'), s.id)).ok()
    });
    QuoteDoc {
        company: company_party(company),
        company_legal: vec![legal.join(" — ")],
        client: Party {
            name: client.name.clone(),
            address_lines: client
                .billing_address
                .as_deref()
                .map(|a| a.lines().map(str::to_string).collect())
                .unwrap_or_default(),
            siret: client.siret.clone(),
            vat_number: client.vat_number.clone(),
            phone: client.phone.clone(),
            email: client.email.clone(),
        },
        number: s.number.clone(),
        revision: s.revision.max(0) as u32,
        date: q
            .sent_at
            .unwrap_or(q.updated_at)
            .format("%d/%m/%Y")
            .to_string(),
        valid_until: s.valid_until.format("%d/%m/%Y").to_string(),
        subject: s.subject.clone(),
        customer_reference: q.customer_reference.clone(),
        contact: Some(q.created_by_name.clone()),
        lines: q.lines.iter().map(doc_line).collect(),
        conditions: vec![
            "Prix en euros hors taxes, TVA 20 % en sus.".into(),
            format!(
                "Règlement : {}.",
                label_of(PAYMENT_TERMS, &client.payment_terms, false)
            ),
            "Délais en jours ouvrés à réception de commande et de la matière ou des plans définitifs.".into(),
            "Trois offres par quantité : Économique (délai long, fabrication groupée), Standard, Express (priorité, heures supplémentaires).".into(),
            "Pénalités de retard : trois fois le taux d'intérêt légal ; indemnité forfaitaire pour frais de recouvrement : 40 €.".into(),
        ],
        notes: q.notes.clone(),
        qr_svg,
        draft: matches!(s.status.as_str(), "brouillon" | "a_valider"),
    }
}

/// The PDF of a quote.
pub async fn pdf(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    public_url: Option<&str>,
    today: chrono::NaiveDate,
) -> Result<(String, Vec<u8>), AppError> {
    ctx.require(Module::Quotes, Action::Read)?;
    let q = find(&db.conn, id).await?;
    let v = view(&db.conn, ctx, &q, false).await?;
    let company: Company = settings::get(&db.conn, settings::COMPANY)
        .await?
        .unwrap_or(Company {
            name: "Gestion Usinage".into(),
            siret: None,
            vat_number: None,
            address: None,
        });
    let client = partner::Entity::find_by_id(q.client_id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::internal("client du devis"))?;
    let doc = build(&v, &company, &client, public_url);
    let bytes = tokio::task::spawn_blocking(move || usinage_documents::quote::render(&doc, today))
        .await
        .map_err(|_| AppError::internal("PDF du devis"))?
        .map_err(|e| AppError::internal(&format!("PDF du devis : {e}")))?;
    let name = if q.revision > 0 {
        format!("{}-rev{}.pdf", q.number, q.revision)
    } else {
        format!("{}.pdf", q.number)
    };
    Ok((name, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_days_are_french() {
        assert_eq!(money(&serde_json::json!("1234.5")), "1 234,50 €");
        assert_eq!(money(&serde_json::json!(null)), "—");
        assert_eq!(days(1), "1 jour ouvré");
        assert_eq!(days(12), "12 jours ouvrés");
        assert_eq!(scenario_label("economique"), "Économique");
    }
}
