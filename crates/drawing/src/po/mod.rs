//! Customer purchase-order (PO, bon de commande) import: a PDF (text layer or scan) or an image
//! is read with the drawing engine's extraction ([`crate::extract`]: words with boxes, OCR for
//! scans), then [`parse_po`] finds the PO number, date, buyer, currency, the quote reference and
//! the lines (reference, revision, designation, quantity, unit price, line total, requested
//! date), each value with a confidence and its box. [`matching`] pairs the lines with quote lines
//! and flags quantity, price and revision differences; a person confirms or corrects.
//! See `docs/po-import.md`.

pub mod corpus;
pub mod formats;
pub mod matching;
pub mod parse;

use crate::error::DrawingError;
use crate::extract::{self, Limits};
use crate::model::{FileKind, Found, TextSource};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use corpus::{
    DemoParty, DemoPo, DemoPoLine, PoStyle, demo_po_pdf, demo_po_scan_pdf, demo_po_scan_png,
};
pub use matching::{
    Diff, LineMatch, PoMatchError, QuoteBreakRef, QuoteChoice, QuoteLineRef, best_quote,
    match_lines,
};
pub use parse::{PoParseOptions, parse_po, parse_po_with};

/// A customer purchase order as read. Every value is optional (not found) and carries its
/// confidence 0–1, page and box; `warnings_fr` lists what a person must check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchaseOrder {
    pub po_number: Option<Found<String>>,
    pub po_date: Option<Found<NaiveDate>>,
    /// Customer company issuing the order (letterhead).
    pub buyer: Option<Found<String>>,
    /// ISO 4217 code: "EUR", "USD", "CHF", "GBP".
    pub currency: Option<Found<String>>,
    /// Our quote number as written on the PO ("Votre devis n° DV-2026-0001").
    pub quote_reference: Option<Found<String>>,
    pub lines: Vec<PoLine>,
    /// Total before tax printed on the PO.
    pub total_ht: Option<Found<Decimal>>,
    pub text_source: Option<TextSource>,
    pub pages: u32,
    pub layout: LineLayout,
    pub warnings_fr: Vec<String>,
}

/// How the lines were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LineLayout {
    /// Columns located from a header row ("Réf.", "Qté", "P.U. HT", …).
    Table,
    /// No header recognised: each row read with the "reference … qty price total" pattern.
    Rows,
    /// No line found.
    #[default]
    None,
}

/// One ordered line. Money is a decimal serialised as a string ("1234.50").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoLine {
    /// Line number as written on the PO, else 1, 2, 3…
    pub position: u32,
    /// Part or drawing number.
    pub reference: Option<Found<String>>,
    pub revision: Option<Found<String>>,
    pub designation: Option<Found<String>>,
    pub quantity: Option<Found<u32>>,
    pub unit_price: Option<Found<Decimal>>,
    pub line_total: Option<Found<Decimal>>,
    pub requested_date: Option<Found<NaiveDate>>,
    /// Confidence of the line as a whole (lowest of reference and quantity, lowered when
    /// quantity × unit price ≠ total).
    pub confidence: f32,
    pub warnings_fr: Vec<String>,
}

/// Reads a purchase order file: PDF (text layer; pages without text are OCRed) or image
/// (PNG, JPEG, TIFF: OCR). Blocking: run it on a blocking thread.
pub fn read_po(bytes: &[u8], limits: &Limits) -> Result<PurchaseOrder, DrawingError> {
    read_po_with(bytes, limits, &PoParseOptions::default())
}

/// [`read_po`] with options (our own company names, to skip them when looking for the buyer;
/// the OCR page segmentation).
pub fn read_po_with(
    bytes: &[u8],
    limits: &Limits,
    options: &PoParseOptions,
) -> Result<PurchaseOrder, DrawingError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(DrawingError::FileTooLarge {
            bytes: bytes.len() as u64,
            max: limits.max_file_bytes,
        });
    }
    let kind = crate::sniff::sniff(bytes).ok_or(DrawingError::UnknownFormat)?;
    if !matches!(
        kind,
        FileKind::Pdf | FileKind::Png | FileKind::Jpeg | FileKind::Tiff
    ) {
        return Err(DrawingError::UnknownFormat);
    }
    let limits = Limits {
        tesseract_psm: options.tesseract_psm,
        ..limits.clone()
    };
    let ex = extract::extract(bytes, kind, &limits)?;
    let mut po = parse_po_with(&ex.pages, options);
    po.pages = ex.page_count;
    Ok(po)
}
