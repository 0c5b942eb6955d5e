//! Drawing-reading engine of Gestion Usinage: a customer's drawing (PDF, scan, image, DXF,
//! STEP) in, a [`DrawingAnalysis`] out — title block, tolerances, fits converted to limits,
//! roughness, threads, GD&T, projection, envelope, shape class, critical markers — each value
//! with a confidence and its location on the page. See `docs/drawing-engine.md`.
//!
//! Extraction runs external tools (poppler-utils, tesseract) under [`Limits`]; the analysis
//! ([`analysis`]) is pure.

pub mod analysis;
pub mod corpus;
pub mod error;
pub mod extract;
pub mod model;
pub mod po;
pub mod sniff;
pub mod spec;

pub use analysis::materials::{GradeSynonyms, builtin_grades, match_material};
pub use error::DrawingError;
pub use extract::Limits;
pub use model::*;

/// Reads one drawing (blocking: run it on a blocking thread). `filename` is only used to
/// check the extension against the content.
pub fn analyze_file(
    bytes: &[u8],
    filename: &str,
    limits: &Limits,
    grades: &[GradeSynonyms],
) -> Result<DrawingAnalysis, DrawingError> {
    let start = std::time::Instant::now();
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(DrawingError::FileTooLarge {
            bytes: bytes.len() as u64,
            max: limits.max_file_bytes,
        });
    }
    let kind = sniff::detect(bytes, filename)?;
    let ex = extract::extract(bytes, kind, limits)?;
    let mut a = analysis::analyze_pages(&ex.pages, grades, kind);
    a.pages = ex.page_count;
    a.format_note = ex.format_note;
    if let Some([l, w, h]) = ex.cad_envelope {
        a.envelope = Some(Found {
            value: Envelope {
                diameter: None,
                length: Some(l),
                width: Some(w),
                height: Some(h),
            },
            confidence: 0.7,
            page: 0,
            bbox: BBox::default(),
        });
    }
    if a.text_source == Some(TextSource::Ocr) {
        a.warnings.push(
            "Texte lu par OCR : vérifier les valeurs, en particulier les cotes et les indices."
                .into(),
        );
    }
    a.seconds = start.elapsed().as_secs_f64();
    Ok(a)
}
