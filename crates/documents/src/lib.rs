//! Documents produced by Gestion Usinage. Now: QR codes (every record's URL) and tabular exports
//! (CSV, XLSX) used by every list. Next: PDFs (quotes, invoices, travelers, labels) with typst.

pub mod labels;
pub mod method_sheet;
pub mod order_docs;
pub mod pdf;
pub mod qr;
pub mod quote;
pub mod table_export;
pub mod time;
pub mod traveler;
