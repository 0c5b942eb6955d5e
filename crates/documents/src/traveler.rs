//! The traveler (fiche suiveuse) of a job (OF): the sheet that goes with the parts from sawing
//! to shipping. A4 portrait, French: the OF number in big type with its QR code, the part,
//! drawing, material and cut blank, a "PIÈCE CRITIQUE" banner when it applies, a drawing
//! thumbnail, then one row per operation with its own QR code (scanning opens the operation on
//! a phone) and empty cells the operator fills in by hand (opérateur, date, quantités, visa).
//!
//! Every text arrives already formatted (times, quantities, dates) and travels to the template
//! as JSON data, never interpolated into it.

use crate::pdf::{PdfError, render_with_images};
use crate::qr;
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("../templates/traveler.typ");
/// Name of the typst bytes input holding the drawing thumbnail.
const DRAWING_INPUT: &str = "drawing";

/// One operation of the routing, as printed on the traveler.
#[derive(Debug, Clone)]
pub struct TravelerOperation {
    /// 10, 20, 30…
    pub number: u32,
    /// "Tournage OP1 — dressage, ébauche et finition côté 1"
    pub label: String,
    /// "M02 — Haas ST-20Y"; "Sous-traitance — Anodia Surfaces"
    pub work_center: String,
    /// Estimated setup for the batch: "1 h 00"
    pub setup_time: Option<String>,
    /// Estimated time per part: "3,5 min/pc"
    pub run_time: Option<String>,
    /// Short list: "T01 CNMG 120408-PM", "I04 micromètre 0–25"
    pub tools: Vec<String>,
    /// "O2024 — AFZ-24-0117_OP20.nc"
    pub nc_program: Option<String>,
    /// Address opened by the operation's QR code: "http://atelier.local:8080/o/op/123".
    pub url: Option<String>,
    /// Short instruction printed under the label ("Reporter le n° de coulée").
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TravelerDoc {
    /// The shop's name, printed small in the header.
    pub company_name: String,
    /// "OF-2026-0042"
    pub job_number: String,
    /// Address opened by the job's QR code.
    pub job_url: Option<String>,
    /// Our order number: "CC-2026-0012"
    pub order_number: Option<String>,
    /// The customer's purchase order: "4500123456"
    pub customer_po: Option<String>,
    pub customer: String,
    pub part_name: String,
    pub drawing_number: Option<String>,
    pub drawing_revision: Option<String>,
    /// "42CrMo4 +QT (1.7225) — rond Ø35"
    pub material: Option<String>,
    /// Cut blanks, printed after the "Débit" label: "Ø35 × 124,6 — 26 pcs"
    pub cutting: Option<String>,
    /// "25 pcs"
    pub quantity: String,
    /// "27/03/2026"
    pub due_date: Option<String>,
    pub critical: bool,
    /// What makes the part critical: "contrôle 100 %", "matière certifiée 3.1".
    pub critical_marks: Vec<String>,
    /// Drawing thumbnail (PNG or JPEG bytes); `None` or unreadable: "Plan non disponible".
    pub drawing_image: Option<Vec<u8>>,
    pub operations: Vec<TravelerOperation>,
    /// Free instructions for the whole job.
    pub notes: Vec<String>,
    /// "02/03/2026 par T. Gonon"
    pub issued: Option<String>,
}

/// Renders the traveler. `today` is the date typst sees (the document's dates are in `doc`).
pub fn render(doc: &TravelerDoc, today: chrono::NaiveDate) -> Result<Vec<u8>, PdfError> {
    let image = doc.drawing_image.as_deref().and_then(image_format);
    let data = to_json(doc, image.map(|(_, format)| format))?;
    let images: Vec<(&str, &[u8])> = image
        .map(|(bytes, _)| (DRAWING_INPUT, bytes))
        .into_iter()
        .collect();
    render_with_images(TEMPLATE, &data, today, &images)
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

/// QR code (SVG) of a record URL, or `None` when no URL is given.
fn qr_of(url: &Option<String>) -> Result<Option<String>, PdfError> {
    opt(url)
        .map(|u| qr::svg(u).map_err(|e| PdfError::Layout(e.to_string())))
        .transpose()
}

/// The image and its typst format when the bytes are a PNG or JPEG whose header can be read.
/// Anything else is left out: a traveler without its thumbnail is better than no traveler.
fn image_format(bytes: &[u8]) -> Option<(&[u8], &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let reader =
            image::ImageReader::with_format(std::io::Cursor::new(bytes), image::ImageFormat::Png);
        let (w, h) = reader.into_dimensions().ok()?;
        (w > 0 && h > 0).then_some((bytes, "png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some((bytes, "jpg"))
    } else {
        None
    }
}

/// "PIÈCE CRITIQUE — contrôle 100 % — matière certifiée 3.1", or `None` for a normal part.
pub fn critical_banner(doc: &TravelerDoc) -> Option<String> {
    doc.critical.then(|| {
        std::iter::once("PIÈCE CRITIQUE")
            .chain(texts(&doc.critical_marks))
            .collect::<Vec<_>>()
            .join(" — ")
    })
}

/// The template prints the "Débit" label itself: "Débit Ø50×70 — 26 pcs" loses its first word
/// instead of printing "Débit Débit …".
fn cutting_text(s: &str) -> &str {
    s.strip_prefix("Débit")
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .map_or(s, str::trim_start)
}

/// "AFZ-24-0117 ind. B"
fn drawing_label(number: &Option<String>, revision: &Option<String>) -> Option<String> {
    opt(number).map(|n| match opt(revision) {
        Some(r) => format!("{n} ind.\u{a0}{r}"),
        None => n.to_string(),
    })
}

fn operation_json(op: &TravelerOperation) -> Result<Value, PdfError> {
    Ok(json!({
        "number": op.number.to_string(),
        "label": op.label.trim(),
        "work_center": op.work_center.trim(),
        "setup_time": opt(&op.setup_time).map(|s| s.replace(' ', "\u{a0}")),
        "run_time": opt(&op.run_time).map(|s| s.replace(' ', "\u{a0}")),
        "tools": texts(&op.tools),
        "nc_program": opt(&op.nc_program),
        "note": opt(&op.note),
        "qr_svg": qr_of(&op.url)?,
    }))
}

fn to_json(d: &TravelerDoc, image_format: Option<&str>) -> Result<Value, PdfError> {
    Ok(json!({
        "company_name": d.company_name.trim(),
        "job_number": d.job_number.trim(),
        "job_qr_svg": qr_of(&d.job_url)?,
        "order_number": opt(&d.order_number),
        "customer_po": opt(&d.customer_po),
        "customer": d.customer.trim(),
        "part_name": d.part_name.trim(),
        "drawing": drawing_label(&d.drawing_number, &d.drawing_revision),
        "material": opt(&d.material),
        "cutting": opt(&d.cutting).map(cutting_text),
        "quantity": d.quantity.trim(),
        "due_date": opt(&d.due_date),
        "critical_banner": critical_banner(d),
        "drawing_input": image_format.map(|_| DRAWING_INPUT),
        "drawing_format": image_format,
        "operations": d.operations.iter().map(operation_json).collect::<Result<Vec<_>, _>>()?,
        "notes": texts(&d.notes),
        "issued": opt(&d.issued),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
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

    fn op(
        number: u32,
        label: &str,
        wc: &str,
        setup: &str,
        run: &str,
        tools: &[&str],
    ) -> TravelerOperation {
        TravelerOperation {
            number,
            label: label.into(),
            work_center: wc.into(),
            setup_time: (!setup.is_empty()).then(|| setup.into()),
            run_time: (!run.is_empty()).then(|| run.into()),
            tools: tools.iter().map(|t| t.to_string()).collect(),
            nc_program: None,
            url: Some(format!("http://atelier.local:8080/o/op/{}", 1200 + number)),
            note: None,
        }
    }

    /// A synthetic drawing thumbnail: a white sheet with a frame and a shaft outline.
    fn thumbnail() -> Vec<u8> {
        let mut img = image::GrayImage::from_pixel(320, 200, image::Luma([255]));
        for x in 0..320 {
            for y in 0..200 {
                let frame = x < 3 || y < 3 || x > 316 || y > 196;
                let shaft = (40..=280).contains(&x) && (y == 70 || y == 130);
                let ends = (x == 40 || x == 280) && (70..=130).contains(&y);
                let axis = y == 100 && x % 12 < 8;
                if frame || shaft || ends || axis {
                    img.put_pixel(x, y, image::Luma([0]));
                }
            }
        }
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    /// P1 of the demo shop: shaft Ø30×120 in 42CrMo4 for Agroval, 8 operations.
    pub(crate) fn p1_traveler() -> TravelerDoc {
        let mut ops = vec![
            op(
                10,
                "Débit barre Ø35 à 124,6 mm",
                "M01 — Behringer HBP 263A",
                "0 h 09",
                "1,2 min/pc",
                &["Lame bi-métal 27 × 0,9", "I03 pied à coulisse 0–300"],
            ),
            op(
                20,
                "Tournage OP1 — dressage, ébauche et finition côté 1, centrage",
                "M02 — Haas ST-20Y",
                "1 h 00",
                "3,5 min/pc",
                &[
                    "T01 CNMG 120408-PM",
                    "T08 CCMT 09T304",
                    "I01 pied à coulisse",
                ],
            ),
            op(
                30,
                "Tournage OP2 — retournement, finition portées Ø25 h6, chanfreins",
                "M02 — Haas ST-20Y",
                "0 h 45",
                "4,0 min/pc",
                &[
                    "T03 DNMG 150608-PM",
                    "T09 gorge 3 mm",
                    "I05 micromètre 25–50",
                ],
            ),
            op(
                40,
                "Fraisage rainure de clavette 8 P9 × 25 (axe Y, outil tournant)",
                "M02 — Haas ST-20Y",
                "0 h 30",
                "2,0 min/pc",
                &["T24 fraise Ø8 Z4", "Cale 8 P9"],
            ),
            op(
                50,
                "Ébavurage, cassage d'angles",
                "Établi ébavurage",
                "",
                "1,5 min/pc",
                &["Ébavureur", "Toile abrasive 240"],
            ),
            op(
                60,
                "Contrôle 100 % des portées Ø25 h6",
                "Contrôle — salle de métrologie",
                "0 h 30",
                "1,5 min/pc",
                &[
                    "I04 micromètre 0–25",
                    "I05 micromètre 25–50",
                    "I14 rugosimètre",
                ],
            ),
            op(
                70,
                "Huilage, marquage n° de lot sur étiquette",
                "Établi ébavurage",
                "",
                "0,5 min/pc",
                &["Huile de protection"],
            ),
            op(
                80,
                "Emballage et expédition",
                "Expédition",
                "",
                "0,5 min/pc",
                &[],
            ),
        ];
        ops[0].note = Some("Reporter le n° de coulée 24-K7731 sur la fiche.".into());
        ops[1].nc_program = Some("O2020 — AFZ-24-0117_OP20.nc".into());
        ops[2].nc_program = Some("O2030 — AFZ-24-0117_OP30.nc".into());
        ops[3].nc_program = Some("O2040 — AFZ-24-0117_OP40.nc".into());
        TravelerDoc {
            company_name: "Usinage Démo SARL".into(),
            job_number: "OF-2026-0042".into(),
            job_url: Some("http://atelier.local:8080/o/job/42".into()),
            order_number: Some("CC-2026-0012".into()),
            customer_po: Some("AGV-PO-2026-0318".into()),
            customer: "Agroval Process SAS".into(),
            part_name: "Arbre de transmission Ø30×120".into(),
            drawing_number: Some("AFZ-24-0117".into()),
            drawing_revision: Some("B".into()),
            material: Some("42CrMo4 +QT (1.7225) — rond Ø35, coulée 24-K7731".into()),
            cutting: Some("Ø35 × 124,6 — 26 pcs".into()),
            quantity: "25 pcs".into(),
            due_date: Some("27/03/2026".into()),
            critical: true,
            critical_marks: vec!["contrôle 100 %".into(), "matière certifiée 3.1".into()],
            drawing_image: Some(thumbnail()),
            operations: ops,
            notes: vec![
                "Portées Ø25 h6 (0/−0,013) Ra 0,8 : contrôle 100 % au micromètre, relevé sur la fiche de contrôle.".into(),
                "Symboles tolérés : « guillemets », #dièse, $dollar, *étoile*, _souligné_, @arobase, [crochets].".into(),
            ],
            issued: Some("02/03/2026 par Thierry Gonon".into()),
        }
    }

    #[test]
    fn traveler_with_8_operations_has_job_number_banner_and_every_operation() {
        let doc = p1_traveler();
        let pdf = render(&doc, today()).unwrap();
        save("traveler-p1", &pdf);
        assert!(pdf.starts_with(b"%PDF-"));
        let (pages, text) = text_of(&pdf);
        assert_eq!(pages, 2, "{text}");
        assert!(text.contains("OF-2026-0042"), "{text}");
        assert!(text.contains("PIÈCE CRITIQUE"), "{text}");
        assert!(text.contains("matière certifiée 3.1"), "{text}");
        assert!(text.contains("Agroval Process SAS"), "{text}");
        assert!(text.contains("AGV-PO-2026-0318"), "{text}");
        assert!(text.contains("Ø35 × 124,6 — 26 pcs"), "{text}");
        for n in (10..=80).step_by(10) {
            assert!(text.contains(&format!("{n}")), "operation {n}: {text}");
        }
        assert!(text.contains("Emballage et expédition"), "{text}");
        assert!(text.contains("O2030"), "{text}");
        assert!(text.contains("Qté rebut"), "{text}");
        assert!(
            text.contains("suivre la pièce jusqu’à l’expédition"),
            "{text}"
        );
        assert!(text.contains("Page 2 / 2"), "{text}");
        assert!(text.contains("#dièse"), "{text}");
        assert!(!text.contains("Plan non disponible"), "{text}");
    }

    #[test]
    fn traveler_without_drawing_or_optional_data_shows_placeholder_and_no_banner() {
        let doc = TravelerDoc {
            company_name: "Atelier".into(),
            job_number: "OF-2026-0001".into(),
            job_url: None,
            order_number: None,
            customer_po: Some("  ".into()),
            customer: "Client".into(),
            part_name: "Pièce".into(),
            drawing_number: None,
            drawing_revision: Some("A".into()),
            material: None,
            cutting: None,
            quantity: "1".into(),
            due_date: None,
            critical: false,
            critical_marks: vec!["ignoré".into()],
            drawing_image: None,
            operations: vec![],
            notes: vec![],
            issued: None,
        };
        let pdf = render(&doc, today()).unwrap();
        save("traveler-bare", &pdf);
        let (pages, text) = text_of(&pdf);
        assert_eq!(pages, 1);
        assert!(text.contains("OF-2026-0001"), "{text}");
        assert!(text.contains("Plan non disponible"), "{text}");
        assert!(!text.contains("PIÈCE CRITIQUE"), "{text}");
        // Bytes that are not an image: the traveler still prints, with the placeholder.
        let broken = TravelerDoc {
            drawing_image: Some(b"\x89PNG\r\n\x1a\nnot really".to_vec()),
            ..doc
        };
        let (_, text) = text_of(&render(&broken, today()).unwrap());
        assert!(text.contains("Plan non disponible"), "{text}");
    }

    #[test]
    fn critical_banner_lists_the_marks_only_for_a_critical_part() {
        let mut doc = p1_traveler();
        assert_eq!(
            critical_banner(&doc).as_deref(),
            Some("PIÈCE CRITIQUE — contrôle 100 % — matière certifiée 3.1")
        );
        doc.critical_marks = vec![" ".into()];
        assert_eq!(critical_banner(&doc).as_deref(), Some("PIÈCE CRITIQUE"));
        doc.critical = false;
        assert_eq!(critical_banner(&doc), None);
    }

    #[test]
    fn image_format_accepts_png_and_jpeg_and_rejects_the_rest() {
        let png = thumbnail();
        assert_eq!(image_format(&png).map(|(_, f)| f), Some("png"));
        assert_eq!(
            image_format(&[0xFF, 0xD8, 0xFF, 0xE0]).map(|(_, f)| f),
            Some("jpg")
        );
        assert_eq!(image_format(b"GIF89a"), None);
        assert_eq!(image_format(&png[..20]), None);
    }

    #[test]
    fn every_operation_gets_its_own_qr_code() {
        let v = to_json(&p1_traveler(), None).unwrap();
        let ops = v["operations"].as_array().unwrap();
        assert_eq!(ops.len(), 8);
        assert!(
            ops.iter()
                .all(|o| o["qr_svg"].as_str().unwrap().contains("<svg"))
        );
        assert_ne!(ops[0]["qr_svg"], ops[1]["qr_svg"]);
        assert_eq!(ops[4]["setup_time"], Value::Null);
        assert_eq!(v["drawing"], "AFZ-24-0117 ind.\u{a0}B");
        assert_eq!(v["cutting"], "Ø35 × 124,6 — 26 pcs");
        assert_eq!(cutting_text("Débit Ø50×70 — 26 pcs"), "Ø50×70 — 26 pcs");
        assert_eq!(cutting_text("Débitage laser"), "Débitage laser");
    }
}
