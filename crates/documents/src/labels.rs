//! QR label sheets (A4, 3 × 8 labels of 70 × 37 mm) for locations, tools, bars, offcuts,
//! instruments, users… Each label: QR of the record's URL, a title (code), a subtitle, and the
//! URL in small print for when the camera fails.

use crate::pdf::{PdfError, render};
use crate::qr;

pub const PER_SHEET: usize = 24;
const TEMPLATE: &str = include_str!("../templates/labels.typ");

#[derive(Debug, Clone)]
pub struct Label {
    pub title: String,
    pub subtitle: String,
    pub url: String,
}

/// `skip` leaves the first labels of a partly used sheet blank (0–23).
pub fn sheet(labels: &[Label], skip: usize, today: chrono::NaiveDate) -> Result<Vec<u8>, PdfError> {
    let items: Vec<serde_json::Value> = labels
        .iter()
        .map(|l| {
            let svg = qr::svg(&l.url).map_err(|e| PdfError::Layout(e.to_string()))?;
            Ok(serde_json::json!({"title": l.title, "subtitle": l.subtitle, "caption": l.url, "qr_svg": svg}))
        })
        .collect::<Result<_, PdfError>>()?;
    render(
        TEMPLATE,
        &serde_json::json!({"labels": items, "skip": skip.min(PER_SHEET - 1)}),
        today,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_of_labels_is_a_pdf_with_one_page_per_24_labels() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let labels: Vec<Label> = (1..=30)
            .map(|i| Label {
                title: format!("A1-T{i}"),
                subtitle: "Armoire outils — tiroir ébauche Ø".into(),
                url: format!("http://atelier.local:8080/locations/{i}"),
            })
            .collect();
        let pdf = sheet(&labels, 2, today).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // 30 labels + 2 skipped cells = 32 cells → 2 pages.
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(doc.get_pages().len(), 2);
        let text = doc.extract_text(&[1]).unwrap();
        assert!(text.contains("A1-T1"), "{text}");
    }
}
