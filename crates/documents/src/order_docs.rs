//! Documents of a customer order: the order acknowledgment (accusé de réception de commande),
//! letter-style like the quote, and the delivery note (bon de livraison) that goes with the
//! parts, with the material lots and certificates of every line and the signature boxes.
//! A4 portrait, French, the company's legal mentions in the footer of every page.
//!
//! Money, quantities and dates arrive already formatted as French strings: this crate has no
//! decimal type. Every text travels to the template as JSON data (never interpolated into it).

use crate::pdf::{PdfError, render as render_pdf};
use crate::qr;
use crate::quote::Party;
use serde_json::{Value, json};

const ACK_TEMPLATE: &str = include_str!("../templates/order_ack.typ");
const DELIVERY_TEMPLATE: &str = include_str!("../templates/delivery_note.typ");

/// One line of the acknowledged order.
#[derive(Debug, Clone)]
pub struct OrderAckLine {
    pub position: u32,
    /// Drawing number or part reference: "AFZ-24-0117"
    pub reference: String,
    pub revision: Option<String>,
    /// "Arbre de transmission Ø30×120 — 42CrMo4 +QT"
    pub designation: String,
    /// "25"
    pub quantity: String,
    /// "21,70 €"
    pub unit_price: String,
    pub total: String,
    /// The date the customer asked for: "20/03/2026"
    pub requested_date: Option<String>,
    /// The date we commit to: "27/03/2026"
    pub promised_date: Option<String>,
    /// "Certificat matière 3.1 fourni", "FAI EN 9102 à la 1re livraison"…
    pub remarks: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct OrderAckDoc {
    pub company: Party,
    /// Footer lines: "SARL au capital de …, RCS …, SIRET …, TVA …".
    pub company_legal: Vec<String>,
    pub client: Party,
    /// Our order number: "CC-2026-0012"
    pub number: String,
    /// Date of the acknowledgment: "04/03/2026"
    pub date: String,
    /// The customer's purchase order number and date.
    pub customer_po: Option<String>,
    pub customer_po_date: Option<String>,
    /// Our quote: "DV-2026-0007 rév. 1"
    pub quote_reference: Option<String>,
    /// "Camille Perret — 04 77 00 00 16"
    pub contact: Option<String>,
    pub lines: Vec<OrderAckLine>,
    /// "2 166,10 €"
    pub total_ht: String,
    /// "TVA 20 %"
    pub vat_label: String,
    pub total_vat: String,
    pub total_ttc: String,
    /// Payment terms, delivery terms, "Prix HT en euros"…
    pub conditions: Vec<String>,
    pub notes: Option<String>,
    /// Address opened by the order's QR code.
    pub url: Option<String>,
}

/// One line of a delivery.
#[derive(Debug, Clone)]
pub struct DeliveryLine {
    /// Drawing number or part reference.
    pub reference: String,
    pub revision: Option<String>,
    pub designation: String,
    pub ordered: String,
    /// Quantity in this delivery.
    pub delivered_now: String,
    /// Delivered before this note.
    pub already_delivered: String,
    pub remaining: String,
    /// "Matière : lot L-2026-031, certificat 3.1 n° 24-K7731" — one line each.
    pub traceability: Vec<String>,
    /// Critical part: a certificate of conformity goes with the delivery.
    pub critical: bool,
}

#[derive(Debug, Clone)]
pub struct DeliveryNoteDoc {
    pub company: Party,
    pub company_legal: Vec<String>,
    /// The customer (invoiced party).
    pub client: Party,
    /// Delivery address lines when not the customer's address: "Agroval Process SAS — Quai 3", …
    pub ship_to: Vec<String>,
    /// "BL-2026-0031"
    pub number: String,
    /// "20/03/2026"
    pub date: String,
    /// Our order: "CC-2026-0012"
    pub order_number: Option<String>,
    pub customer_po: Option<String>,
    pub lines: Vec<DeliveryLine>,
    /// A certificate of conformity is attached (always so when a line is critical).
    pub certificate_of_conformity: bool,
    /// "2 colis", "1 palette"
    pub packages: Option<String>,
    /// "18,4 kg"
    pub weight: Option<String>,
    /// Carrier and consignment: "Geodis — récépissé 4471-2208"
    pub carrier: Option<String>,
    pub notes: Option<String>,
    /// Address opened by the delivery's QR code.
    pub url: Option<String>,
}

/// Renders the order acknowledgment. `today` is the date typst sees.
pub fn render_acknowledgment(
    doc: &OrderAckDoc,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, PdfError> {
    render_pdf(ACK_TEMPLATE, &ack_json(doc)?, today)
}

/// Renders the delivery note. `today` is the date typst sees.
pub fn render_delivery_note(
    doc: &DeliveryNoteDoc,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, PdfError> {
    render_pdf(DELIVERY_TEMPLATE, &delivery_json(doc)?, today)
}

/// Non-empty, trimmed text, or `None`.
fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Trimmed, non-empty items.
fn texts(v: &[String]) -> Vec<&str> {
    v.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Amounts, quantities and dates must not wrap inside a narrow table cell ("1 234,56 €").
fn nowrap(s: &str) -> String {
    s.trim().replace(' ', "\u{a0}")
}

fn qr_of(url: &Option<String>) -> Result<Option<String>, PdfError> {
    opt(url)
        .map(|u| qr::svg(u).map_err(|e| PdfError::Layout(e.to_string())))
        .transpose()
}

fn party_json(p: &Party) -> Value {
    json!({
        "name": p.name.trim(),
        "address_lines": texts(&p.address_lines),
        "siret": opt(&p.siret),
        "vat_number": opt(&p.vat_number),
        "phone": opt(&p.phone),
        "email": opt(&p.email),
    })
}

/// "AFZ-24-0117 ind. B"
fn reference(r: &str, revision: &Option<String>) -> String {
    match opt(revision) {
        Some(rev) => format!("{} ind.\u{a0}{rev}", r.trim()),
        None => r.trim().to_string(),
    }
}

/// The promised date differs from the requested one: the customer must see it at a glance.
fn date_changed(l: &OrderAckLine) -> bool {
    matches!((opt(&l.requested_date), opt(&l.promised_date)), (Some(a), Some(b)) if a != b)
}

fn ack_json(d: &OrderAckDoc) -> Result<Value, PdfError> {
    let lines: Vec<Value> = d
        .lines
        .iter()
        .map(|l| {
            json!({
                "position": l.position.to_string(),
                "reference": reference(&l.reference, &l.revision),
                "designation": l.designation.trim(),
                "quantity": nowrap(&l.quantity),
                "unit_price": nowrap(&l.unit_price),
                "total": nowrap(&l.total),
                "requested_date": opt(&l.requested_date).map(nowrap),
                "promised_date": opt(&l.promised_date).map(nowrap),
                "date_changed": date_changed(l),
                "remarks": texts(&l.remarks),
            })
        })
        .collect();
    Ok(json!({
        "company": party_json(&d.company),
        "company_legal": texts(&d.company_legal),
        "client": party_json(&d.client),
        "number": d.number.trim(),
        "date": d.date.trim(),
        "customer_po": opt(&d.customer_po),
        "customer_po_date": opt(&d.customer_po_date),
        "quote_reference": opt(&d.quote_reference),
        "contact": opt(&d.contact),
        "lines": lines,
        "any_date_changed": d.lines.iter().any(date_changed),
        "total_ht": nowrap(&d.total_ht),
        "vat_label": d.vat_label.trim(),
        "total_vat": nowrap(&d.total_vat),
        "total_ttc": nowrap(&d.total_ttc),
        "conditions": texts(&d.conditions),
        "notes": opt(&d.notes),
        "qr_svg": qr_of(&d.url)?,
    }))
}

/// A certificate of conformity goes with every delivery that holds a critical part, whatever
/// the caller said.
pub fn certificate_attached(d: &DeliveryNoteDoc) -> bool {
    d.certificate_of_conformity || d.lines.iter().any(|l| l.critical)
}

fn delivery_json(d: &DeliveryNoteDoc) -> Result<Value, PdfError> {
    let ship_to = texts(&d.ship_to);
    let lines: Vec<Value> = d
        .lines
        .iter()
        .map(|l| {
            json!({
                "reference": reference(&l.reference, &l.revision),
                "designation": l.designation.trim(),
                "ordered": nowrap(&l.ordered),
                "delivered_now": nowrap(&l.delivered_now),
                "already_delivered": nowrap(&l.already_delivered),
                "remaining": nowrap(&l.remaining),
                "traceability": texts(&l.traceability),
                "critical": l.critical,
            })
        })
        .collect();
    Ok(json!({
        "company": party_json(&d.company),
        "company_legal": texts(&d.company_legal),
        "client": party_json(&d.client),
        // No separate address: deliver to the customer's.
        "ship_to": if ship_to.is_empty() {
            std::iter::once(d.client.name.trim()).chain(texts(&d.client.address_lines)).collect()
        } else { ship_to },
        "number": d.number.trim(),
        "date": d.date.trim(),
        "order_number": opt(&d.order_number),
        "customer_po": opt(&d.customer_po),
        "lines": lines,
        "certificate": certificate_attached(d),
        "packages": opt(&d.packages),
        "weight": opt(&d.weight),
        "carrier": opt(&d.carrier),
        "notes": opt(&d.notes),
        "qr_svg": qr_of(&d.url)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap()
    }

    fn text_of(pdf: &[u8]) -> (usize, String) {
        let doc = lopdf::Document::load_mem(pdf).unwrap();
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        (pages.len(), doc.extract_text(&pages).unwrap())
    }

    fn save(name: &str, pdf: &[u8]) {
        if let Ok(dir) = std::env::var("DOCS_SAMPLE_DIR") {
            std::fs::write(format!("{dir}/{name}.pdf"), pdf).unwrap();
        }
    }

    fn shop() -> Party {
        Party {
            name: "Usinage Démo SARL".into(),
            address_lines: vec![
                "12 rue des Tourneurs".into(),
                "ZA du Bois-Joli".into(),
                "42160 Andrézieux-Bouthéon".into(),
            ],
            siret: Some("735 840 530 00019".into()),
            vat_number: Some("FR64735840530".into()),
            phone: Some("04 77 00 00 10".into()),
            email: Some("adv@usinage-demo.fr".into()),
        }
    }

    fn legal() -> Vec<String> {
        vec![
            "Usinage Démo SARL — SARL au capital de 80 000 € — RCS Saint-Étienne 735 840 530"
                .into(),
            "SIRET 735 840 530 00019 — TVA intracommunautaire FR64735840530 — APE 2562B".into(),
        ]
    }

    fn agroval() -> Party {
        Party {
            name: "Agroval Process SAS".into(),
            address_lines: vec![
                "Service achats".into(),
                "8 rue de la Loire".into(),
                "42300 Roanne".into(),
            ],
            siret: Some("793 751 058 00017".into()),
            vat_number: Some("FR89793751058".into()),
            phone: None,
            email: Some("achats@agroval-process.fr".into()),
        }
    }

    /// Demo order: P1 × 100 at 21,70 € and P3 × 10 at 89,90 € (DEMO-SHOP §9 prices).
    /// Totals by hand: 2 170,00 + 899,00 = 3 069,00 € HT; TVA 20 % = 613,80 €; TTC 3 682,80 €.
    fn ack() -> OrderAckDoc {
        OrderAckDoc {
            company: shop(),
            company_legal: legal(),
            client: agroval(),
            number: "CC-2026-0012".into(),
            date: "04/03/2026".into(),
            customer_po: Some("AGV-PO-2026-0318".into()),
            customer_po_date: Some("03/03/2026".into()),
            quote_reference: Some("DV-2026-0007 rév. 1 du 16/02/2026".into()),
            contact: Some("Camille Perret — 04 77 00 00 16".into()),
            lines: vec![
                OrderAckLine {
                    position: 1,
                    reference: "AFZ-24-0117".into(),
                    revision: Some("B".into()),
                    designation: "Arbre de transmission Ø30×120 — 42CrMo4 +QT".into(),
                    quantity: "100".into(),
                    unit_price: "21,70 €".into(),
                    total: "2 170,00 €".into(),
                    requested_date: Some("20/03/2026".into()),
                    promised_date: Some("27/03/2026".into()),
                    remarks: vec!["Certificat matière EN 10204 3.1 fourni.".into()],
                },
                OrderAckLine {
                    position: 2,
                    reference: "AGV-25-0043".into(),
                    revision: Some("C".into()),
                    designation: "Bride 316L Ø120×20, 6 trous — passivée".into(),
                    quantity: "10".into(),
                    unit_price: "89,90 €".into(),
                    total: "899,00 €".into(),
                    requested_date: Some("10/04/2026".into()),
                    promised_date: Some("10/04/2026".into()),
                    remarks: vec![],
                },
            ],
            total_ht: "3 069,00 €".into(),
            vat_label: "TVA 20 %".into(),
            total_vat: "613,80 €".into(),
            total_ttc: "3 682,80 €".into(),
            conditions: vec![
                "Paiement à 60 jours date de facture, par virement.".into(),
                "Pénalités de retard : taux BCE majoré de 10 points ; indemnité forfaitaire pour frais de recouvrement : 40 €.".into(),
                "Livraison départ usine (EXW Andrézieux-Bouthéon), emballage standard compris.".into(),
            ],
            notes: Some("Merci de nous signaler sous 48 h tout écart avec votre commande.".into()),
            url: Some("http://atelier.local:8080/o/order/12".into()),
        }
    }

    fn delivery() -> DeliveryNoteDoc {
        DeliveryNoteDoc {
            company: shop(),
            company_legal: legal(),
            client: agroval(),
            ship_to: vec![
                "Agroval Process SAS — Magasin réception, quai 3".into(),
                "ZI du Coteau, 15 allée des Mûriers".into(),
                "42120 Le Coteau".into(),
            ],
            number: "BL-2026-0031".into(),
            date: "27/03/2026".into(),
            order_number: Some("CC-2026-0012".into()),
            customer_po: Some("AGV-PO-2026-0318".into()),
            lines: vec![
                DeliveryLine {
                    reference: "AFZ-24-0117".into(),
                    revision: Some("B".into()),
                    designation: "Arbre de transmission Ø30×120".into(),
                    ordered: "100".into(),
                    delivered_now: "60".into(),
                    already_delivered: "25".into(),
                    remaining: "15".into(),
                    traceability: vec![
                        "Matière : lot L-2026-031, coulée 24-K7731, certificat 3.1 n° NAR-26-0412"
                            .into(),
                        "OF-2026-0042 — contrôle 100 % des portées Ø25 h6".into(),
                    ],
                    critical: true,
                },
                DeliveryLine {
                    reference: "AGV-25-0043".into(),
                    revision: Some("C".into()),
                    designation: "Bride 316L Ø120×20, 6 trous — passivée".into(),
                    ordered: "10".into(),
                    delivered_now: "10".into(),
                    already_delivered: "0".into(),
                    remaining: "0".into(),
                    traceability: vec![
                        "Matière : lot L-2026-027, coulée 25-S20417, certificat 3.1 n° IDL-26-118"
                            .into(),
                        "Passivation : Anodia Surfaces, certificat n° AS-26-0933".into(),
                    ],
                    critical: false,
                },
            ],
            certificate_of_conformity: false,
            packages: Some("2 colis".into()),
            weight: Some("38,5 kg".into()),
            carrier: Some("Geodis — récépissé 4471-2208".into()),
            notes: None,
            url: Some("http://atelier.local:8080/o/delivery/31".into()),
        }
    }

    #[test]
    fn acknowledgment_shows_references_lines_dates_and_totals_on_one_page() {
        let pdf = render_acknowledgment(&ack(), today()).unwrap();
        save("order-ack", &pdf);
        assert!(pdf.starts_with(b"%PDF-"));
        let (pages, text) = text_of(&pdf);
        assert_eq!(pages, 1, "{text}");
        for key in [
            "ACCUSÉ DE RÉCEPTION",
            "CC-2026-0012",
            "AGV-PO-2026-0318",
            "DV-2026-0007",
            "AFZ-24-0117",
            "27/03/2026",
            "3\u{a0}069,00",
            "613,80",
            "3\u{a0}682,80",
            "TVA 20 %",
            "RCS Saint-Étienne",
            "Page 1 / 1",
        ] {
            assert!(text.contains(key), "{key}: {text}");
        }
    }

    #[test]
    fn a_promised_date_later_than_requested_is_flagged() {
        let a = ack();
        assert!(date_changed(&a.lines[0]));
        assert!(!date_changed(&a.lines[1]));
        let v = ack_json(&a).unwrap();
        assert_eq!(v["any_date_changed"], true);
        assert_eq!(v["lines"][0]["reference"], "AFZ-24-0117 ind.\u{a0}B");
        assert_eq!(v["total_ht"], "3\u{a0}069,00\u{a0}€");
    }

    #[test]
    fn acknowledgment_of_30_lines_repeats_the_legal_footer_on_every_page() {
        let mut doc = ack();
        let line = doc.lines[0].clone();
        doc.lines = (1..=30)
            .map(|i| OrderAckLine {
                position: i,
                ..line.clone()
            })
            .collect();
        let pdf = render_acknowledgment(&doc, today()).unwrap();
        save("order-ack-long", &pdf);
        let (pages, text) = text_of(&pdf);
        assert!(pages >= 2, "{pages}");
        assert_eq!(text.matches("RCS Saint-Étienne").count(), pages, "{text}");
        assert!(text.contains(&format!("Page {pages} / {pages}")), "{text}");
    }

    #[test]
    fn delivery_note_lists_quantities_lots_and_the_conformity_certificate() {
        let doc = delivery();
        assert!(certificate_attached(&doc), "a critical line forces the CoC");
        let pdf = render_delivery_note(&doc, today()).unwrap();
        save("delivery-note", &pdf);
        let (pages, text) = text_of(&pdf);
        assert_eq!(pages, 1, "{text}");
        for key in [
            "BON DE LIVRAISON",
            "BL-2026-0031",
            "CC-2026-0012",
            "AGV-PO-2026-0318",
            "quai 3",
            "lot L-2026-031",
            "certificat 3.1 n° NAR-26-0412",
            "Certificat de conformité joint",
            "2 colis",
            "38,5 kg",
            "Expéditeur",
            "Réceptionnaire",
            "RCS Saint-Étienne",
        ] {
            assert!(text.contains(key), "{key}: {text}");
        }
    }

    #[test]
    fn delivery_without_critical_part_or_ship_to_goes_to_the_customer_without_coc() {
        let mut doc = delivery();
        doc.lines.remove(0);
        doc.ship_to = vec![" ".into()];
        doc.packages = None;
        doc.weight = None;
        doc.carrier = None;
        assert!(!certificate_attached(&doc));
        let v = delivery_json(&doc).unwrap();
        assert_eq!(v["ship_to"][0], "Agroval Process SAS");
        assert_eq!(v["ship_to"][3], "42300 Roanne");
        let pdf = render_delivery_note(&doc, today()).unwrap();
        save("delivery-note-plain", &pdf);
        let (_, text) = text_of(&pdf);
        assert!(!text.contains("Certificat de conformité joint"), "{text}");
        assert!(text.contains("42300 Roanne"), "{text}");
        doc.certificate_of_conformity = true;
        assert!(certificate_attached(&doc));
    }
}
