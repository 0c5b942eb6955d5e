//! The customer quote (devis) as a PDF: A4 portrait, French, one block per drawing line with a
//! table quantity × scenarios (Économique / Standard / Express), conditions, a "Bon pour accord"
//! box and the company's legal mentions in the footer of every page.
//!
//! Money, quantities and dates arrive already formatted as French strings: this crate has no
//! decimal type. Every text travels to the template as JSON data (never interpolated into it).

use crate::pdf::{PdfError, render as render_pdf};
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("../templates/quote.typ");

/// A company (the shop issuing the quote, or the client it is addressed to).
#[derive(Debug, Clone)]
pub struct Party {
    pub name: String,
    pub address_lines: Vec<String>,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One production scenario for one quantity.
#[derive(Debug, Clone)]
pub struct QuoteScenario {
    /// "Économique", "Standard", "Express"…
    pub label: String,
    /// "1 234,56 €"
    pub unit_price: String,
    pub total: String,
    /// "15 jours ouvrés"
    pub lead_time: String,
}

/// One quantity break of a line, priced in every scenario.
#[derive(Debug, Clone)]
pub struct QuoteBreak {
    pub quantity: String,
    pub scenarios: Vec<QuoteScenario>,
    /// The quantity the customer asked for / we recommend: emphasised in the table.
    pub selected: bool,
}

/// One line of the quote: one drawing.
#[derive(Debug, Clone)]
pub struct QuoteDocLine {
    pub position: u32,
    pub drawing_number: Option<String>,
    pub drawing_revision: Option<String>,
    pub part_name: String,
    pub material: Option<String>,
    pub treatments: Option<String>,
    pub critical: bool,
    pub breaks: Vec<QuoteBreak>,
    pub remarks: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct QuoteDoc {
    pub company: Party,
    /// Footer lines: "SAS au capital de …, RCS …, SIRET …, TVA …".
    pub company_legal: Vec<String>,
    pub client: Party,
    /// "DV-2026-0007"
    pub number: String,
    pub revision: u32,
    /// "06/12/2026"
    pub date: String,
    pub valid_until: String,
    pub subject: Option<String>,
    pub customer_reference: Option<String>,
    /// Who issued the quote ("Affaire suivie par").
    pub contact: Option<String>,
    pub lines: Vec<QuoteDocLine>,
    /// Payment terms, delivery, "Prix HT en euros, TVA 20 % en sus"…
    pub conditions: Vec<String>,
    pub notes: Option<String>,
    pub qr_svg: Option<String>,
    /// Watermark "BROUILLON — non envoyé".
    pub draft: bool,
}

/// Renders the quote. `today` is the date typst sees (the document's dates are in `doc`).
pub fn render(doc: &QuoteDoc, today: chrono::NaiveDate) -> Result<Vec<u8>, PdfError> {
    render_pdf(TEMPLATE, &to_json(doc), today)
}

/// Non-empty, trimmed text, or `None`.
fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Amounts and lead times must not wrap inside a narrow table cell ("1 234,56 €").
fn nowrap(s: &str) -> String {
    s.trim().replace(' ', "\u{a0}")
}

fn party_json(p: &Party) -> Value {
    json!({
        "name": p.name.trim(),
        "address_lines": p.address_lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect::<Vec<_>>(),
        "siret": opt(&p.siret),
        "vat_number": opt(&p.vat_number),
        "phone": opt(&p.phone),
        "email": opt(&p.email),
    })
}

/// "Ligne 1 — Plan 2024-0815 ind. B — Axe de vérin"
fn line_title(l: &QuoteDocLine) -> String {
    let mut parts = vec![format!("Ligne {}", l.position)];
    if let Some(n) = opt(&l.drawing_number) {
        parts.push(match opt(&l.drawing_revision) {
            Some(r) => format!("Plan {n} ind.\u{a0}{r}"),
            None => format!("Plan {n}"),
        });
    }
    let name = l.part_name.trim();
    if !name.is_empty() {
        parts.push(name.to_string());
    }
    parts.join(" — ")
}

fn line_json(l: &QuoteDocLine) -> Value {
    // Scenario columns: every label met in the breaks, so a break missing a scenario leaves an
    // empty cell instead of shifting the others. A label first met in a later break goes before
    // the next label of that break already placed, keeping "Économique, Standard, Express".
    let mut columns: Vec<&str> = Vec::new();
    for b in &l.breaks {
        for (i, s) in b.scenarios.iter().enumerate() {
            if columns.contains(&s.label.as_str()) {
                continue;
            }
            let at = b.scenarios[i + 1..]
                .iter()
                .find_map(|next| columns.iter().position(|c| *c == next.label))
                .unwrap_or(columns.len());
            columns.insert(at, &s.label);
        }
    }
    let rows: Vec<Value> = l
        .breaks
        .iter()
        .map(|b| {
            let cells: Vec<Value> = columns
                .iter()
                .map(|c| match b.scenarios.iter().find(|s| s.label == *c) {
                    Some(s) => json!({
                        "unit_price": nowrap(&s.unit_price),
                        "total": nowrap(&s.total),
                        "lead_time": s.lead_time.trim(),
                    }),
                    None => Value::Null,
                })
                .collect();
            json!({"quantity": nowrap(&b.quantity), "selected": b.selected, "cells": cells})
        })
        .collect();
    json!({
        "title": line_title(l),
        "material": opt(&l.material),
        "treatments": opt(&l.treatments),
        "critical": l.critical,
        "columns": columns,
        "rows": rows,
        "remarks": l.remarks.iter().map(|r| r.trim()).filter(|r| !r.is_empty()).collect::<Vec<_>>(),
    })
}

fn to_json(d: &QuoteDoc) -> Value {
    json!({
        "company": party_json(&d.company),
        "company_legal": d.company_legal.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect::<Vec<_>>(),
        "client": party_json(&d.client),
        "number": d.number.trim(),
        "revision": d.revision,
        "date": d.date.trim(),
        "valid_until": d.valid_until.trim(),
        "subject": opt(&d.subject),
        "customer_reference": opt(&d.customer_reference),
        "contact": opt(&d.contact),
        "lines": d.lines.iter().map(line_json).collect::<Vec<_>>(),
        "conditions": d.conditions.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect::<Vec<_>>(),
        "notes": opt(&d.notes),
        "qr_svg": opt(&d.qr_svg),
        "draft": d.draft,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
    }

    fn scenarios(qty: u32) -> Vec<QuoteScenario> {
        // Rough prices: set-up amortised over the batch, express +35 %, économique −12 %.
        let unit = 48.0 + 420.0 / f64::from(qty);
        [
            ("Économique", 0.88, "25 jours ouvrés"),
            ("Standard", 1.0, "15 jours ouvrés"),
            ("Express", 1.35, "5 jours ouvrés"),
        ]
        .into_iter()
        .map(|(label, k, lead)| QuoteScenario {
            label: label.into(),
            unit_price: fr_money(unit * k),
            total: fr_money(unit * k * f64::from(qty)),
            lead_time: lead.into(),
        })
        .collect()
    }

    /// "12 345,67 €" (test helper only; the caller formats real amounts with its decimals).
    fn fr_money(v: f64) -> String {
        let cents = (v * 100.0).round() as u64;
        let int = (cents / 100).to_string();
        let mut grouped = String::new();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(ch);
        }
        format!("{grouped},{:02} €", cents % 100)
    }

    fn shop() -> Party {
        Party {
            name: "Usinage Bessenay & Fils".into(),
            address_lines: vec![
                "12 rue des Forges".into(),
                "ZI des Chartreux".into(),
                "69400 Villefranche-sur-Saône".into(),
            ],
            siret: Some("123 456 782 00010".into()),
            vat_number: Some("FR11123456782".into()),
            phone: Some("04 74 00 00 00".into()),
            email: Some("devis@usinage-bessenay.fr".into()),
        }
    }

    fn line(position: u32, quantities: &[u32], selected: u32) -> QuoteDocLine {
        QuoteDocLine {
            position,
            drawing_number: Some(format!("2024-{:04}", 814 + position)),
            drawing_revision: Some("B".into()),
            part_name: "Axe de vérin Ø25 h7 — L 180".into(),
            material: Some("42CrMo4 (1.7225) trempé revenu".into()),
            treatments: Some("Nitruration gazeuse + zingage noir".into()),
            critical: position == 1,
            breaks: quantities
                .iter()
                .map(|&q| QuoteBreak {
                    quantity: q.to_string(),
                    scenarios: scenarios(q),
                    selected: q == selected,
                })
                .collect(),
            remarks: vec![
                "Tolérance générale ISO 2768-mK ; ajustement Ø25 h7 rectifié.".into(),
                "Certificat matière EN 10204 3.1 fourni.".into(),
            ],
        }
    }

    fn sample(lines: Vec<QuoteDocLine>) -> QuoteDoc {
        QuoteDoc {
            company: shop(),
            company_legal: vec![
                "Usinage Bessenay & Fils — SAS au capital de 150 000 € — RCS Villefranche-Tarare 123 456 782".into(),
                "SIRET 123 456 782 00010 — TVA intracommunautaire FR11123456782 — APE 2562B".into(),
            ],
            client: Party {
                name: "Hydrauliques du Rhône SA".into(),
                address_lines: vec![
                    "Service achats — M. Martin".into(),
                    "45 avenue Jean Jaurès".into(),
                    "69007 Lyon".into(),
                ],
                siret: Some("987 654 324 00027".into()),
                vat_number: Some("FR14987654324".into()),
                phone: None,
                email: Some("achats@hydro-rhone.fr".into()),
            },
            number: "DV-2026-0007".into(),
            revision: 1,
            date: "06/12/2026".into(),
            valid_until: "05/01/2027".into(),
            subject: Some("Axes et chapes de vérins — série 2027".into()),
            customer_reference: Some("DA-2026-4471 (demande du 02/12/2026)".into()),
            contact: Some("Sandrine Bessenay — 04 74 00 00 12".into()),
            lines,
            conditions: vec![
                "Prix HT en euros, TVA 20 % en sus.".into(),
                "Paiement à 45 jours fin de mois par virement ; pas d'escompte pour paiement anticipé.".into(),
                "Pénalités de retard : 3 fois le taux d'intérêt légal ; indemnité forfaitaire pour frais de recouvrement : 40 €.".into(),
                "Délais indicatifs à compter de la réception de la commande et de la matière éventuellement fournie.".into(),
                "Livraison départ usine (EXW Villefranche-sur-Saône), emballage standard compris.".into(),
            ],
            notes: Some("Quantités différentes ou livraisons échelonnées sur demande. « Guillemets », #dièse, $dollar, *étoile*, _souligné_, @arobase, [crochets] : le texte n'est jamais interprété.".into()),
            qr_svg: Some(crate::qr::svg("http://atelier.local:8080/quotes/7").unwrap()),
            draft: false,
        }
    }

    fn two_lines() -> QuoteDoc {
        let mut second = line(2, &[20, 200], 200);
        second.drawing_number = Some("CH-118".into());
        second.drawing_revision = None;
        second.part_name = "Chape femelle".into();
        second.material = Some("S355J2".into());
        second.treatments = None;
        second.remarks = vec![];
        sample(vec![line(1, &[1, 10, 50, 100], 50), second])
    }

    fn text_of(pdf: &[u8]) -> (usize, String) {
        let doc = lopdf::Document::load_mem(pdf).unwrap();
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        (pages.len(), doc.extract_text(&pages).unwrap())
    }

    #[test]
    fn quote_with_two_lines_is_a_one_page_pdf_with_number_and_signature_box() {
        let pdf = render(&two_lines(), today()).unwrap();
        if let Ok(dir) = std::env::var("QUOTE_SAMPLE_DIR") {
            std::fs::write(format!("{dir}/quote-sample.pdf"), &pdf).unwrap();
        }
        assert!(pdf.starts_with(b"%PDF-"));
        let (pages, text) = text_of(&pdf);
        assert_eq!(pages, 1, "{text}");
        assert!(text.contains("DV-2026-0007"), "{text}");
        assert!(text.contains("Bon pour accord"), "{text}");
        assert!(text.contains("PIÈCE CRITIQUE"), "{text}");
        assert!(text.contains("Page 1 / 1"), "{text}");
        assert!(text.contains("#dièse"), "{text}");
    }

    #[test]
    fn quote_with_25_lines_spans_several_pages_with_legal_footer_on_each() {
        let lines = (1..=25).map(|i| line(i, &[1, 10, 50, 100], 10)).collect();
        let mut doc = sample(lines);
        doc.draft = true;
        let pdf = render(&doc, today()).unwrap();
        if let Ok(dir) = std::env::var("QUOTE_SAMPLE_DIR") {
            std::fs::write(format!("{dir}/quote-long.pdf"), &pdf).unwrap();
        }
        let (pages, text) = text_of(&pdf);
        assert!(pages >= 4, "{pages} pages");
        assert!(text.contains(&format!("Page {pages} / {pages}")), "{text}");
        assert_eq!(text.matches("RCS Villefranche").count(), pages, "{text}");
        assert!(text.contains("Ligne 25"), "{text}");
        assert!(text.contains("BROUILLON"), "{text}");
    }

    #[test]
    fn a_line_longer_than_a_page_breaks_with_its_table_header_repeated() {
        let quantities: Vec<u32> = (1..=45).map(|i| i * 10).collect();
        let pdf = render(&sample(vec![line(1, &quantities, 100)]), today()).unwrap();
        if let Ok(dir) = std::env::var("QUOTE_SAMPLE_DIR") {
            std::fs::write(format!("{dir}/quote-huge-line.pdf"), &pdf).unwrap();
        }
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert!(doc.get_pages().len() >= 2);
        let page2 = doc.extract_text(&[2]).unwrap();
        assert!(
            page2.contains("Quantité") && page2.contains("Express"),
            "{page2}"
        );
        assert!(page2.contains("450"), "{page2}");
    }

    #[test]
    fn quote_with_empty_optional_fields_renders() {
        let bare = |name: &str| Party {
            name: name.into(),
            address_lines: vec![],
            siret: None,
            vat_number: None,
            phone: None,
            email: None,
        };
        let doc = QuoteDoc {
            company: bare("Atelier"),
            company_legal: vec![],
            client: bare("Client"),
            number: "DV-2026-0001".into(),
            revision: 0,
            date: "01/12/2026".into(),
            valid_until: "31/12/2026".into(),
            subject: None,
            customer_reference: Some("   ".into()),
            contact: None,
            lines: vec![
                QuoteDocLine {
                    position: 1,
                    drawing_number: None,
                    drawing_revision: Some("A".into()),
                    part_name: "Pièce sans plan".into(),
                    material: None,
                    treatments: None,
                    critical: false,
                    breaks: vec![],
                    remarks: vec![],
                },
                QuoteDocLine {
                    position: 2,
                    drawing_number: None,
                    drawing_revision: None,
                    part_name: String::new(),
                    material: None,
                    treatments: None,
                    critical: false,
                    breaks: vec![QuoteBreak {
                        quantity: "5".into(),
                        scenarios: vec![],
                        selected: false,
                    }],
                    remarks: vec![],
                },
            ],
            conditions: vec![],
            notes: None,
            qr_svg: None,
            draft: false,
        };
        let pdf = render(&doc, today()).unwrap();
        if let Ok(dir) = std::env::var("QUOTE_SAMPLE_DIR") {
            std::fs::write(format!("{dir}/quote-bare.pdf"), &pdf).unwrap();
        }
        let (pages, text) = text_of(&pdf);
        assert_eq!(pages, 1);
        assert!(text.contains("DV-2026-0001"), "{text}");
        assert!(text.contains("Bon pour accord"), "{text}");
        // Same, with no line at all.
        let empty = QuoteDoc {
            lines: vec![],
            ..doc
        };
        assert!(render(&empty, today()).unwrap().starts_with(b"%PDF-"));
    }

    #[test]
    fn line_title_and_scenario_columns() {
        let l = line(1, &[1, 10], 10);
        assert_eq!(
            line_title(&l),
            "Ligne 1 — Plan 2024-0815 ind.\u{a0}B — Axe de vérin Ø25 h7 — L 180"
        );
        let mut l2 = line(3, &[1, 10], 10);
        l2.breaks[0].scenarios.remove(0); // no "Économique" for 1 piece
        let v = line_json(&l2);
        assert_eq!(v["columns"][0], "Économique");
        assert!(v["rows"][0]["cells"][0].is_null());
        assert_eq!(v["rows"][0]["cells"].as_array().unwrap().len(), 3);
    }
}
