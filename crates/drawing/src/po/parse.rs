//! Purchase-order parsing: pure functions from words with boxes to a [`PurchaseOrder`].
//!
//! Lines: the header row of the lines table is found by its labels ("Réf.", "Désignation",
//! "Qté", "P.U. HT", "Montant HT", "Délai", …, French or English); the column boundaries are
//! put in the white space between header cells where no data word crosses; every row below is
//! cut into cells by those boundaries until the totals. A row with a quantity starts a line;
//! text-only rows (wrapped designations) join the nearest line. Without a recognised header,
//! each row is read with the "reference … quantity unit-price total" pattern, accepted only
//! when quantity × unit price = total. Header fields (PO number, date, quote reference, buyer,
//! currency, total) are read by label on the remaining rows.

use super::formats::{find_dates, parse_amount, parse_date, parse_quantity};
use super::{LineLayout, PoLine, PurchaseOrder};
use crate::analysis::text::{Row, RowText, key, norm, rows, similarity};
use crate::model::{BBox, Found, PageText, TextSource, Word};
use chrono::NaiveDate;
use regex::Regex;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// Reading options.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PoParseOptions {
    /// Our own company names ("Usinage Démo SARL"): never taken as the buyer.
    pub own_names: Vec<String>,
    /// Tesseract page segmentation for scanned POs (replaces the drawing setting of
    /// `Limits`): 4 = one column of text lines of various sizes, the best on generated
    /// scans (see docs/po-import.md); drawings use 11 (sparse text).
    pub tesseract_psm: u8,
}

impl Default for PoParseOptions {
    fn default() -> Self {
        Self {
            own_names: Vec::new(),
            tesseract_psm: 4,
        }
    }
}

/// Parses a PO from extracted pages (see [`crate::extract::extract`]).
pub fn parse_po(pages: &[PageText]) -> PurchaseOrder {
    parse_po_with(pages, &PoParseOptions::default())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Col {
    Position,
    Reference,
    SupplierRef,
    Revision,
    Designation,
    Quantity,
    Unit,
    UnitPrice,
    Total,
    Date,
    /// A known label we do not read (discount, VAT code).
    Other,
    /// No label recognised (OCR garbage): the data decides, see [`infer_columns`].
    Unknown,
}

/// Column labels as [`key`]s.
const COL_LABELS: &[(&str, Col)] = &[
    ("pos", Col::Position),
    ("position", Col::Position),
    ("poste", Col::Position),
    ("ligne", Col::Position),
    ("lig", Col::Position),
    ("item", Col::Position),
    ("line", Col::Position),
    ("n", Col::Position),
    ("no", Col::Position),
    ("rang", Col::Position),
    ("reference article", Col::Reference),
    ("ref article", Col::Reference),
    ("ref client", Col::Reference),
    ("reference client", Col::Reference),
    ("code article", Col::Reference),
    ("n plan", Col::Reference),
    ("no plan", Col::Reference),
    ("n de plan", Col::Reference),
    ("numero de plan", Col::Reference),
    ("plan", Col::Reference),
    ("ref", Col::Reference),
    ("reference", Col::Reference),
    ("references", Col::Reference),
    ("ref piece", Col::Reference),
    ("article", Col::Reference),
    ("part number", Col::Reference),
    ("part no", Col::Reference),
    ("part n", Col::Reference),
    ("p n", Col::Reference),
    ("pn", Col::Reference),
    ("drawing no", Col::Reference),
    ("drawing number", Col::Reference),
    ("drawing", Col::Reference),
    ("item code", Col::Reference),
    ("code", Col::Reference),
    ("ref fournisseur", Col::SupplierRef),
    ("reference fournisseur", Col::SupplierRef),
    ("votre ref", Col::SupplierRef),
    ("votre reference", Col::SupplierRef),
    ("vos ref", Col::SupplierRef),
    ("ref frs", Col::SupplierRef),
    ("supplier ref", Col::SupplierRef),
    ("supplier part no", Col::SupplierRef),
    ("your ref", Col::SupplierRef),
    ("ind", Col::Revision),
    ("indice", Col::Revision),
    ("ind plan", Col::Revision),
    ("rev", Col::Revision),
    ("revision", Col::Revision),
    ("idx", Col::Revision),
    ("designation", Col::Designation),
    ("designation article", Col::Designation),
    ("description", Col::Designation),
    ("libelle", Col::Designation),
    ("denomination", Col::Designation),
    ("desc", Col::Designation),
    ("qte", Col::Quantity),
    ("qt", Col::Quantity),
    ("quantite", Col::Quantity),
    ("qte commandee", Col::Quantity),
    ("quantite commandee", Col::Quantity),
    ("qte cdee", Col::Quantity),
    ("cdee", Col::Quantity),
    ("qte commande", Col::Quantity),
    ("qty", Col::Quantity),
    ("quantity", Col::Quantity),
    ("unite", Col::Unit),
    ("u", Col::Unit),
    ("uv", Col::Unit),
    ("un", Col::Unit),
    ("unit", Col::Unit),
    ("uom", Col::Unit),
    ("p u ht", Col::UnitPrice),
    ("p u", Col::UnitPrice),
    ("pu ht", Col::UnitPrice),
    ("pu", Col::UnitPrice),
    ("pu net", Col::UnitPrice),
    ("prix unitaire", Col::UnitPrice),
    ("prix unitaire ht", Col::UnitPrice),
    ("prix unit", Col::UnitPrice),
    ("prix unit ht", Col::UnitPrice),
    ("prix u", Col::UnitPrice),
    ("prix", Col::UnitPrice),
    ("prix ht", Col::UnitPrice),
    ("prix net", Col::UnitPrice),
    ("tarif", Col::UnitPrice),
    ("unit price", Col::UnitPrice),
    ("price", Col::UnitPrice),
    ("montant ht", Col::Total),
    ("montant", Col::Total),
    ("montant net", Col::Total),
    ("montant total", Col::Total),
    ("total ht", Col::Total),
    ("total", Col::Total),
    ("total ligne", Col::Total),
    ("prix total", Col::Total),
    ("valeur", Col::Total),
    ("amount", Col::Total),
    ("net amount", Col::Total),
    ("total price", Col::Total),
    ("date de livraison souhaitee", Col::Date),
    ("date de livraison", Col::Date),
    ("date livraison", Col::Date),
    ("date liv", Col::Date),
    ("date souhaitee", Col::Date),
    ("date de besoin", Col::Date),
    ("date besoin", Col::Date),
    ("livraison", Col::Date),
    ("delai", Col::Date),
    ("delai de livraison", Col::Date),
    ("delai souhaite", Col::Date),
    ("date", Col::Date),
    ("delivery date", Col::Date),
    ("requested date", Col::Date),
    ("due date", Col::Date),
    ("delivery", Col::Date),
    ("remise", Col::Other),
    ("rem", Col::Other),
    ("discount", Col::Other),
    ("tva", Col::Other),
    ("taux tva", Col::Other),
    ("code tva", Col::Other),
    ("vat", Col::Other),
];

fn classify_cell(text: &str) -> Option<Col> {
    let t = text.trim();
    if t == "#" || t == "N°" || t == "Nº" {
        return Some(Col::Position);
    }
    let k = key(t);
    if k.is_empty() {
        return None;
    }
    let mut labels: Vec<&(&str, Col)> = COL_LABELS.iter().collect();
    labels.sort_by_key(|(l, _)| std::cmp::Reverse(l.len()));
    for (l, c) in &labels {
        if k == *l || k.starts_with(&format!("{l} ")) {
            return Some(*c);
        }
    }
    // OCR slips in longer labels ("Desigation", "Quantitè").
    let first_two: String = k.split(' ').take(2).collect::<Vec<_>>().join(" ");
    for (l, c) in &labels {
        if l.len() >= 5 && (similarity(&k, l) >= 0.8 || similarity(&first_two, l) >= 0.85) {
            return Some(*c);
        }
    }
    None
}

/// A row with where it lives.
struct PRow {
    page: u32,
    pi: usize,
    row: Row,
    rt: RowText,
    aspect: f32,
}

impl PRow {
    fn text(&self) -> &str {
        &self.rt.text
    }
}

/// One header cell: its kind and x-range.
#[derive(Debug, Clone)]
struct HeadCell {
    col: Col,
    x0: f32,
    x1: f32,
}

const TOTAL_WORDS: &[&str] = &[
    "total",
    "sous-total",
    "sous total",
    "montant total",
    "net a payer",
    "montant ht",
    "montant ttc",
    "tva",
    "subtotal",
    "grand total",
    "frais de port",
];

fn is_total_row(text: &str) -> bool {
    let n = norm(text);
    let n = n.trim_start_matches(|c: char| !c.is_alphanumeric());
    TOTAL_WORDS.iter().any(|w| n.starts_with(w))
}

/// Words grouped into horizontal clusters (cells): a gap wider than `gap_h` × word height
/// (physical, `aspect` = width / height) separates cells.
fn clusters(words: &[&Word], aspect: f32, gap_h: f32) -> Vec<Vec<Word>> {
    let mut ws: Vec<&Word> = words.to_vec();
    ws.sort_by(|a, b| a.bbox.x0.total_cmp(&b.bbox.x0));
    let mut out: Vec<(f32, Vec<Word>)> = Vec::new();
    for w in ws {
        let gap = gap_h * w.bbox.h() / aspect.max(1e-3);
        match out.last_mut() {
            Some((x1, cell)) if w.bbox.x0 <= *x1 + gap => {
                *x1 = x1.max(w.bbox.x1);
                cell.push(w.clone());
            }
            _ => out.push((w.bbox.x1, vec![w.clone()])),
        }
    }
    out.into_iter().map(|(_, c)| c).collect()
}

fn exact_label(text: &str) -> Option<Col> {
    let t = text.trim();
    if t == "#" || t == "N°" || t == "Nº" {
        return Some(Col::Position);
    }
    let k = key(t);
    COL_LABELS.iter().find(|(l, _)| *l == k).map(|(_, c)| *c)
}

/// Two labels of narrow neighbouring columns clustered together ("Pos. Réf.", "Qté Unité"):
/// a one-line cell that is not itself a label is cut where both sides are labels (at the
/// widest gap).
fn split_labels(cells: Vec<Vec<Word>>) -> Vec<Vec<Word>> {
    let mut out = Vec::new();
    for c in cells {
        if c.len() < 2 || exact_label(&cell_text(&c)).is_some() {
            out.push(c);
            continue;
        }
        let mut ws = c.clone();
        ws.sort_by(|a, b| a.bbox.x0.total_cmp(&b.bbox.x0));
        // Cut points where no word straddles (works for labels wrapped on several lines).
        let mut reach = f32::MIN;
        let mut cuts: Vec<(usize, f32)> = Vec::new();
        for (k, w) in ws.iter().enumerate() {
            if k > 0 && w.bbox.x0 > reach {
                cuts.push((k, w.bbox.x0 - reach));
            }
            reach = reach.max(w.bbox.x1);
        }
        let best = cuts
            .into_iter()
            .filter(|&(k, _)| {
                exact_label(&cell_text(&ws[..k])).is_some()
                    && exact_label(&cell_text(&ws[k..])).is_some()
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((k, _)) => {
                out.push(ws[..k].to_vec());
                out.push(ws[k..].to_vec());
            }
            None => out.push(c),
        }
    }
    out
}

/// Pieces of one label split by a wide word space ("PU" "HT", "Réf." "client" in a monospace
/// font): neighbours are joined when together they are a label and the right one alone is not
/// another column.
fn merge_labels(cells: Vec<Vec<Word>>) -> Vec<Vec<Word>> {
    let mut out: Vec<Vec<Word>> = Vec::new();
    for c in cells {
        if let Some(last) = out.last_mut() {
            let mut joined = last.clone();
            joined.extend(c.iter().cloned());
            let right = classify_cell(&cell_text(&c));
            if let Some(kind) = exact_label(&cell_text(&joined))
                && (right.is_none() || right == Some(Col::Other) || right == Some(kind))
            {
                *last = joined;
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn cell_text(words: &[Word]) -> String {
    let mut ws: Vec<&Word> = words.iter().collect();
    // Reading order: by line (rounded centre), then x.
    let h = ws
        .iter()
        .map(|w| w.bbox.h())
        .fold(0.0f32, f32::max)
        .max(1e-6);
    ws.sort_by(|a, b| {
        let la = (a.bbox.cy() / (0.6 * h)).round();
        let lb = (b.bbox.cy() / (0.6 * h)).round();
        la.total_cmp(&lb).then(a.bbox.x0.total_cmp(&b.bbox.x0))
    });
    ws.iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Header of the lines table on row `i` (and the label-only rows just above/below it).
fn header_at(prows: &[PRow], i: usize) -> Option<(Vec<HeadCell>, Vec<usize>)> {
    let r = &prows[i];
    let words: Vec<&Word> = r.row.words.iter().collect();
    let cells = merge_labels(split_labels(clusters(&words, r.aspect, 0.8)));
    let kinds: Vec<Option<Col>> = cells.iter().map(|c| classify_cell(&cell_text(c))).collect();
    let known = kinds.iter().flatten().filter(|k| **k != Col::Other).count();
    if known < 2
        || (known as f32) < 0.6 * cells.len() as f32
        || r.text().chars().filter(|c| c.is_ascii_digit()).count() > 2
    {
        return None;
    }
    // Wrapped labels: label-only rows just above or below (up to two each way), no word
    // straddling two header cells, all near the header.
    let spans: Vec<(f32, f32)> = cells
        .iter()
        .map(|c| {
            (
                c.iter().map(|w| w.bbox.x0).fold(f32::MAX, f32::min),
                c.iter().map(|w| w.bbox.x1).fold(f32::MIN, f32::max),
            )
        })
        .collect();
    let label_piece = |o: &PRow, near: &PRow| {
        o.pi == r.pi
            && (o.row.bbox.cy() - near.row.bbox.cy()).abs() < 1.3 * r.row.h
            && !o.text().chars().any(|c| c.is_ascii_digit())
            && o.row.words.len() <= 8
            && o.row.words.iter().all(|w| {
                spans
                    .iter()
                    .filter(|(x0, x1)| w.bbox.x0 < *x1 && w.bbox.x1 > *x0)
                    .count()
                    <= 1
                    && w.bbox.x0 > r.row.bbox.x0 - 0.15
                    && w.bbox.x1 < r.row.bbox.x1 + 0.15
            })
    };
    let mut band = vec![i];
    let mut top = i;
    while top > 0 && i - top < 2 && label_piece(&prows[top - 1], &prows[top]) {
        top -= 1;
        band.push(top);
    }
    let mut bottom = i;
    while bottom + 1 < prows.len()
        && bottom - i < 2
        && label_piece(&prows[bottom + 1], &prows[bottom])
    {
        bottom += 1;
        band.push(bottom);
    }
    band.sort();
    let all: Vec<&Word> = band
        .iter()
        .flat_map(|&j| prows[j].row.words.iter())
        .collect();
    let cells = merge_labels(split_labels(clusters(&all, r.aspect, 0.8)));
    let mut head: Vec<HeadCell> = Vec::new();
    for c in &cells {
        let col = classify_cell(&cell_text(c)).unwrap_or(Col::Unknown);
        let x0 = c.iter().map(|w| w.bbox.x0).fold(f32::MAX, f32::min);
        let x1 = c.iter().map(|w| w.bbox.x1).fold(f32::MIN, f32::max);
        head.push(HeadCell { col, x0, x1 });
    }
    let mut distinct: Vec<Col> = head.iter().map(|h| h.col).collect();
    distinct.sort();
    distinct.dedup();
    let main = distinct
        .iter()
        .filter(|c| !matches!(c, Col::Other | Col::Unit | Col::Unknown))
        .count();
    // Quantity or price labels may be lost by OCR: unit price and amount columns then
    // suffice, or four known columns and unlabelled ones (typed from their data).
    if main < 3
        || !(distinct.contains(&Col::Quantity)
            || (distinct.contains(&Col::UnitPrice) && distinct.contains(&Col::Total))
            || (main >= 4 && distinct.contains(&Col::Unknown)))
        || !(distinct.contains(&Col::Reference)
            || distinct.contains(&Col::Designation)
            || distinct.contains(&Col::SupplierRef))
    {
        return None;
    }
    // Two reference columns: the first is the customer's, a later one is ours.
    let mut seen_ref = false;
    for h in &mut head {
        if h.col == Col::Reference {
            if seen_ref {
                h.col = Col::SupplierRef;
            }
            seen_ref = true;
        }
    }
    Some((head, band))
}

/// Unlabelled columns typed by their data: whole numbers → quantity, amounts → unit price
/// then total, dates → requested date (each only when that column is missing).
fn infer_columns(
    head: &[HeadCell],
    bounds: &[f32],
    rows_idx: &[usize],
    prows: &[PRow],
    fr: bool,
) -> Vec<HeadCell> {
    let mut out = head.to_vec();
    for c in 0..out.len() {
        if out[c].col != Col::Unknown {
            continue;
        }
        let texts: Vec<String> = rows_idx
            .iter()
            .map(|&j| {
                prows[j]
                    .row
                    .words
                    .iter()
                    .filter(|w| column_of(w.bbox.cx(), bounds) == c)
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|t| !t.is_empty())
            .collect();
        if texts.is_empty() {
            continue;
        }
        let share = |f: &dyn Fn(&str) -> bool| {
            texts.iter().filter(|t| f(t)).count() as f32 / texts.len() as f32
        };
        let has = |col: Col| out.iter().any(|h| h.col == col);
        let quantities = share(&|t| parse_quantity(t, fr).is_some());
        let amounts = share(&|t| {
            parse_amount(t, fr).is_some()
                && t.contains([',', '.'])
                && parse_quantity(t, fr).is_none()
        });
        let dates = share(&|t| parse_date(t).is_some());
        out[c].col = if quantities >= 0.6 && !has(Col::Quantity) {
            Col::Quantity
        } else if amounts >= 0.6 && !has(Col::UnitPrice) {
            Col::UnitPrice
        } else if amounts >= 0.6 && !has(Col::Total) {
            Col::Total
        } else if dates >= 0.6 && !has(Col::Date) {
            Col::Date
        } else {
            Col::Other
        };
    }
    out
}

/// Boundaries between header cells: in each gap, the middle of the widest run of x where the
/// fewest data words lie.
fn boundaries(head: &[HeadCell], data: &[&Word]) -> Vec<f32> {
    let mut out = Vec::new();
    for pair in head.windows(2) {
        let (a, b) = (pair[0].x1, pair[1].x0);
        if b <= a {
            out.push((a + b) / 2.0);
            continue;
        }
        const K: usize = 40;
        let xs: Vec<f32> = (0..=K).map(|k| a + (b - a) * k as f32 / K as f32).collect();
        let cover: Vec<usize> = xs
            .iter()
            .map(|&x| {
                data.iter()
                    .filter(|w| w.bbox.x0 < x && w.bbox.x1 > x)
                    .count()
            })
            .collect();
        let min = *cover.iter().min().unwrap_or(&0);
        let (mut best, mut best_len, mut start) = ((a + b) / 2.0, 0usize, None::<usize>);
        for k in 0..=K + 1 {
            let is_min = k <= K && cover[k] == min;
            match (is_min, start) {
                (true, None) => start = Some(k),
                (false, Some(s)) => {
                    if k - s > best_len {
                        best_len = k - s;
                        best = (xs[s] + xs[k - 1]) / 2.0;
                    }
                    start = None;
                }
                _ => {}
            }
        }
        out.push(best);
    }
    out
}

fn column_of(x: f32, bounds: &[f32]) -> usize {
    bounds.iter().take_while(|b| x >= **b).count()
}

static REV_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[\s,;/(\[–-])(ind(?:ice)?|r[ée]v(?:ision)?|rev|idx)\s*\.?\s*:?\s*([A-Z]{1,2}\d?|\d{1,2})\b\)?",
    )
    .expect("regex")
});

/// Revision written inline ("ind. B", "rév. C", "Rev 02"): value and byte span.
fn inline_revision(text: &str) -> Option<(String, usize, usize)> {
    let c = REV_INLINE.captures(text)?;
    let all = c.get(0)?;
    let start = c.get(1)?.start();
    Some((c[2].to_uppercase(), start, all.end()))
}

/// Revision cell value: "B", "ind. B", "02".
fn clean_revision(text: &str) -> Option<String> {
    if let Some((v, _, _)) = inline_revision(text) {
        return Some(v);
    }
    let t = text
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_uppercase();
    (!t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_alphanumeric())).then_some(t)
}

/// A token that looks like a part or drawing number: a digit, four characters or more, and a
/// letter or a separator; not a date nor an amount.
fn is_ref_token(t: &str) -> bool {
    let t = t.trim_matches(|c: char| ",;:()[]".contains(c));
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    t.chars().count() >= 4
        && digits > 0
        && (letters > 0 || t.contains(['-', '.', '/', '_']) || digits >= 5)
        && !t.contains('€')
        && parse_date(t).is_none()
        && !(letters == 0 && parse_amount(t, true).is_some() && digits < 5)
}

/// Reference and the rest of a reference cell ("PL 4471 Axe" → ("PL 4471", "Axe")).
fn split_reference(text: &str) -> (Option<String>, String) {
    let toks: Vec<&str> = text.split_whitespace().collect();
    let mut n = 0;
    while n < toks.len() {
        let t = toks[n];
        let code_prefix = n + 1 < toks.len()
            && t.len() <= 4
            && t.chars().all(|c| c.is_ascii_uppercase())
            && (is_ref_token(toks[n + 1])
                || (toks[n + 1].len() >= 2 && toks[n + 1].chars().all(|c| c.is_ascii_digit())));
        // Pieces of a reference split by OCR: "DAU 23 -0882".
        let continuation = n > 0
            && (t.chars().all(|c| c.is_ascii_digit())
                || (t.starts_with(['-', '/', '.'])
                    && t.len() > 1
                    && t[1..].chars().all(|c| c.is_ascii_alphanumeric())));
        if is_ref_token(t) || code_prefix || continuation {
            n += 1;
        } else {
            break;
        }
    }
    if n == 0 {
        // No digit anywhere: a code like "AXE-VERIN" is still a reference in its own column.
        if toks.len() == 1 && toks[0].len() >= 3 {
            return (Some(toks[0].to_string()), String::new());
        }
        return (None, text.trim().to_string());
    }
    // OCR reads a serif S as '$' and puts spaces around dashes; no reference holds either.
    let r = toks[..n]
        .join(" ")
        .replace('$', "S")
        .replace(" -", "-")
        .replace("- ", "-")
        .trim_matches(|c: char| ",;:()".contains(c))
        .to_string();
    (Some(r), toks[n..].join(" "))
}

static REF_LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:plan|r[ée]f\.?|r[ée]f[ée]rence|p/n|pn|dwg|drawing)\s*(?:n\s?[°º]\s*)?:?\s*([A-Z0-9][A-Z0-9\-/_.]*\d[A-Z0-9\-/_.]*)")
        .expect("regex")
});

/// Reference inside a designation ("Arbre – plan AFZ-24-0117 ind. B"): value and byte span.
fn reference_in_text(text: &str) -> Option<(String, usize, usize)> {
    if let Some(c) = REF_LABELLED.captures(text) {
        let m = c.get(0)?;
        return Some((c[1].trim_end_matches('.').to_string(), m.start(), m.end()));
    }
    let mut pos = 0;
    for tok in text.split(' ') {
        if is_ref_token(tok) {
            let t = tok.trim_matches(|c: char| ",;:()".contains(c));
            let s = pos + tok.find(t).unwrap_or(0);
            return Some((t.to_string(), s, s + t.len()));
        }
        pos += tok.len() + 1;
    }
    None
}

fn tidy(text: &str) -> String {
    let t = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace("()", "");
    t.trim_matches(|c: char| c.is_whitespace() || "-–—,;:/|".contains(c))
        .to_string()
}

fn remove_span(text: &str, s: usize, e: usize) -> String {
    let mut t = String::with_capacity(text.len());
    t.push_str(&text[..s]);
    t.push(' ');
    t.push_str(&text[e..]);
    tidy(&t)
}

fn found<T>(value: T, words: &[&Word], certainty: f32, page: u32) -> Found<T> {
    let bbox = words
        .iter()
        .skip(1)
        .fold(words.first().map(|w| w.bbox).unwrap_or_default(), |a, w| {
            a.union(&w.bbox)
        });
    let conf = if words.is_empty() {
        0.5
    } else {
        words.iter().map(|w| w.conf).sum::<f32>() / words.len() as f32
    };
    Found {
        value,
        confidence: (conf * certainty).clamp(0.0, 1.0),
        page,
        bbox,
    }
}

fn fmt_money(d: Decimal, fr: bool) -> String {
    let s = super::formats::money_string(d);
    if fr { s.replace('.', ",") } else { s }
}

/// quantity × unit price against the line total, with repair of a lost decimal separator.
fn check_line(line: &mut PoLine, fr: bool) {
    // Quantity lost (OCR drops lone digits) or misread ("19" for "10"): the amount divided by
    // the unit price, when whole, gives it back.
    let mut derived_qty = false;
    if let (Some(pu), Some(tot)) = (&line.unit_price, &line.line_total)
        && pu.value > Decimal::ZERO
    {
        let q = tot.value / pu.value;
        let whole = q.fract().is_zero() && q > Decimal::ZERO && q < Decimal::from(10_000_000u32);
        let derived = whole
            .then(|| q.trunc().to_string().parse::<u32>().ok())
            .flatten();
        match (&line.quantity, derived) {
            (None, Some(d)) => {
                line.quantity = Some(Found {
                    value: d,
                    confidence: pu.confidence.min(tot.confidence) * 0.7,
                    page: tot.page,
                    bbox: BBox::default(),
                });
                line.warnings_fr.push(format!(
                    "Ligne {} : quantité non lue, déduite du montant / prix unitaire = {d}.",
                    line.position
                ));
                derived_qty = true;
            }
            (Some(f), Some(d))
                if f.value != d
                    && f.value.to_string().len() == d.to_string().len()
                    && crate::analysis::text::levenshtein(&f.value.to_string(), &d.to_string())
                        == 1 =>
            {
                line.warnings_fr.push(format!(
                    "Ligne {} : quantité lue {} corrigée en {d} (montant / prix unitaire), à vérifier.",
                    line.position, f.value
                ));
                line.quantity = Some(Found {
                    value: d,
                    confidence: f.confidence.min(0.7),
                    page: f.page,
                    bbox: f.bbox,
                });
                derived_qty = true;
            }
            _ => {}
        }
    }
    let (Some(q), Some(pu), Some(tot)) = (
        line.quantity.clone(),
        line.unit_price.clone(),
        line.line_total.clone(),
    ) else {
        return;
    };
    let qd = Decimal::from(q.value);
    let expected = (pu.value * qd).round_dp(2);
    let tol = Decimal::new(1, 2);
    if (expected - tot.value).abs() <= tol {
        // Three values that agree are right even when OCR was unsure of each.
        // (A quantity computed from the other two proves nothing.)
        for c in [
            line.quantity
                .as_mut()
                .filter(|_| !derived_qty)
                .map(|f| &mut f.confidence),
            line.unit_price.as_mut().map(|f| &mut f.confidence),
            line.line_total.as_mut().map(|f| &mut f.confidence),
        ]
        .into_iter()
        .flatten()
        {
            *c = c.max(0.9);
        }
        return;
    }
    let digits = |d: Decimal| -> String {
        super::formats::money_string(d)
            .chars()
            .filter(|c| c.is_ascii_digit())
            .collect::<String>()
            .trim_matches('0')
            .to_string()
    };
    // A lost separator only ever makes a number read larger.
    if q.value > 0 {
        let pu_from_total = (tot.value / qd).round_dp(4);
        if digits(pu_from_total) == digits(pu.value)
            && pu_from_total < pu.value
            && pu_from_total.round_dp(2) == pu_from_total
        {
            if let Some(f) = line.unit_price.as_mut() {
                let mut v = pu_from_total.round_dp(2);
                v.rescale(2);
                f.value = v;
                f.confidence *= 0.8;
            }
            line.warnings_fr.push(format!(
                "Ligne {} : prix unitaire relu {} (séparateur décimal mal lu), à vérifier.",
                line.position,
                fmt_money(pu_from_total, fr)
            ));
            return;
        }
    }
    if digits(expected) == digits(tot.value) && expected < tot.value {
        if let Some(f) = line.line_total.as_mut() {
            f.value = expected;
            f.confidence *= 0.8;
        }
        line.warnings_fr.push(format!(
            "Ligne {} : montant relu {} (séparateur décimal mal lu), à vérifier.",
            line.position,
            fmt_money(expected, fr)
        ));
        return;
    }
    for f in [
        line.quantity.as_mut().map(|f| &mut f.confidence),
        line.unit_price.as_mut().map(|f| &mut f.confidence),
        line.line_total.as_mut().map(|f| &mut f.confidence),
    ]
    .into_iter()
    .flatten()
    {
        *f *= 0.6;
    }
    line.warnings_fr.push(format!(
        "Ligne {} : quantité × prix unitaire = {} × {} = {}, différent du montant lu {}.",
        line.position,
        q.value,
        fmt_money(pu.value, fr),
        fmt_money(expected, fr),
        fmt_money(tot.value, fr)
    ));
}

fn finish_line(line: &mut PoLine, fr: bool) {
    check_line(line, fr);
    let rc = line.reference.as_ref().map_or(0.3, |f| f.confidence);
    let qc = line.quantity.as_ref().map_or(0.3, |f| f.confidence);
    line.confidence = rc.min(qc);
    if line.reference.is_none() {
        line.warnings_fr.push(format!(
            "Ligne {} : référence de pièce non trouvée.",
            line.position
        ));
    }
    if line.quantity.is_none() {
        line.warnings_fr
            .push(format!("Ligne {} : quantité non lue.", line.position));
    }
}

struct TableOut {
    lines: Vec<PoLine>,
    used: Vec<usize>,
}

/// Lines read from a table whose header is row `hi`.
fn read_table(prows: &[PRow], hi: usize, head: &[HeadCell], band: &[usize], fr: bool) -> TableOut {
    let r0 = &prows[hi];
    let page = r0.page;
    let h_ref = r0.row.h.max(1e-4);
    let start = *band.iter().max().unwrap_or(&hi) + 1;
    // Candidate rows: same page, until totals or a wide vertical gap.
    let mut cand: Vec<usize> = Vec::new();
    let mut prev_y1 = prows[start - 1].row.bbox.y1;
    for (j, r) in prows.iter().enumerate().skip(start) {
        if r.pi != r0.pi || is_total_row(r.text()) || r.row.bbox.y0 - prev_y1 > 6.0 * h_ref {
            break;
        }
        prev_y1 = r.row.bbox.y1;
        cand.push(j);
    }
    let data: Vec<&Word> = cand
        .iter()
        .flat_map(|&j| prows[j].row.words.iter())
        .collect();
    let bounds = boundaries(head, &data);
    let head = &infer_columns(head, &bounds, &cand, prows, fr);
    let cols_of = |j: usize| -> Vec<Vec<&Word>> {
        let mut cells: Vec<Vec<&Word>> = vec![Vec::new(); head.len()];
        for w in &prows[j].row.words {
            cells[column_of(w.bbox.cx(), &bounds)].push(w);
        }
        cells
    };
    let idx = |c: Col| head.iter().position(|h| h.col == c);
    let (i_qty, i_ref, i_sref, i_des, i_pu, i_tot) = (
        idx(Col::Quantity),
        idx(Col::Reference),
        idx(Col::SupplierRef),
        idx(Col::Designation),
        idx(Col::UnitPrice),
        idx(Col::Total),
    );
    let text_of = |cells: &[Vec<&Word>], i: Option<usize>| -> String {
        i.map(|i| {
            cells[i]
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
    };
    // Line starts, then text-only rows.
    let mut starts: Vec<usize> = Vec::new();
    // (row, has numbers)
    let mut extra: Vec<(usize, bool)> = Vec::new();
    for &j in &cand {
        let cells = cols_of(j);
        let qty_text = text_of(&cells, i_qty);
        let has_text = !text_of(&cells, i_ref).is_empty()
            || !text_of(&cells, i_des).is_empty()
            || !text_of(&cells, i_sref).is_empty();
        let qty_ok = parse_quantity(&qty_text, fr).is_some();
        let priced = parse_amount(&text_of(&cells, i_pu), fr).is_some()
            || parse_amount(&text_of(&cells, i_tot), fr).is_some();
        // Numbers in the quantity/price/total/date columns (a lone "€" wrapped under its
        // price is not one).
        let numeric_cols = cells.iter().enumerate().any(|(c, ws)| {
            ws.iter()
                .any(|w| w.text.chars().any(|ch| ch.is_ascii_digit()))
                && matches!(
                    head[c].col,
                    Col::Quantity | Col::UnitPrice | Col::Total | Col::Date
                )
        });
        // A reference with a price starts a line even when OCR lost its quantity.
        if has_text && (qty_ok || priced) {
            starts.push(j);
        } else {
            extra.push((j, numeric_cols));
        }
    }
    let last = starts.last().copied().unwrap_or(0);
    // Text-only rows join the nearest line start (ties: the line above).
    let mut groups: Vec<Vec<usize>> = starts.iter().map(|&s| vec![s]).collect();
    for (j, numeric) in extra {
        if j > last + 3 {
            continue;
        }
        // Text rows (wrapped designation, revision) within 0.9 row height of a line; rows
        // with numbers ("000" of a "1 000" wrapped in a narrow cell) only tight under it.
        let reach = if numeric { 0.6 } else { 0.9 };
        // Vertical gap to each line start (0 when they overlap).
        let o = prows[j].row.bbox;
        let best = starts
            .iter()
            .enumerate()
            .map(|(k, &s)| {
                let b = prows[s].row.bbox;
                (k, (o.y0 - b.y1).max(b.y0 - o.y1).max(0.0), s > j)
            })
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.2.cmp(&b.2)));
        if let Some((k, d, _)) = best
            && d < reach * h_ref
        {
            groups[k].push(j);
        }
    }
    let mut used: Vec<usize> = band.to_vec();
    let mut lines = Vec::new();
    for (n, g) in groups.iter_mut().enumerate() {
        g.sort();
        used.extend(g.iter().copied());
        let mut cells: Vec<Vec<&Word>> = vec![Vec::new(); head.len()];
        for &j in g.iter() {
            for (c, ws) in cols_of(j).into_iter().enumerate() {
                cells[c].extend(ws);
            }
        }
        let get = |c: Col| -> (String, Vec<&Word>) {
            match idx(c) {
                Some(i) => (
                    cells[i]
                        .iter()
                        .map(|w| w.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    cells[i].clone(),
                ),
                None => (String::new(), vec![]),
            }
        };
        let mut line = PoLine {
            position: n as u32 + 1,
            reference: None,
            revision: None,
            designation: None,
            quantity: None,
            unit_price: None,
            line_total: None,
            requested_date: None,
            confidence: 0.0,
            warnings_fr: vec![],
        };
        let (pos_t, _) = get(Col::Position);
        if let Ok(p) = pos_t.trim().trim_end_matches('.').parse::<u32>()
            && (1..100_000).contains(&p)
        {
            line.position = p;
        }
        let (mut des_t, des_w) = get(Col::Designation);
        // Revision: own column, else inline in the reference or designation cell.
        let (rev_t, rev_w) = get(Col::Revision);
        if let Some(v) = clean_revision(&rev_t) {
            line.revision = Some(found(v, &rev_w, 0.97, page));
        }
        // The customer's reference, else ours ("Votre réf.").
        let (mut ref_t, ref_w) = get(Col::Reference);
        let mut ref_words: Vec<&Word> = ref_w.clone();
        if ref_t.is_empty() {
            (ref_t, ref_words) = get(Col::SupplierRef);
        }
        if let Some((v, s, e)) = inline_revision(&ref_t) {
            if line.revision.is_none() {
                line.revision = Some(found(v, &ref_words, 0.93, page));
            }
            ref_t = remove_span(&ref_t, s, e);
        }
        let (reference, rest) = split_reference(&ref_t);
        if !rest.is_empty() {
            des_t = format!("{rest} {des_t}");
        }
        if let Some((v, s, e)) = inline_revision(&des_t) {
            if line.revision.is_none() {
                line.revision = Some(found(v, &des_w, 0.9, page));
            }
            des_t = remove_span(&des_t, s, e);
        }
        match reference {
            Some(r) => line.reference = Some(found(r, &ref_words, 0.97, page)),
            None => {
                if let Some((r, s, e)) = reference_in_text(&des_t) {
                    line.reference = Some(found(r, &des_w, 0.8, page));
                    des_t = remove_span(&des_t, s, e);
                }
            }
        }
        let des = tidy(&des_t);
        if !des.is_empty() {
            let mut w = des_w.clone();
            if ref_w.is_empty() {
                w.extend(ref_words.iter());
            }
            line.designation = Some(found(des, &w, 0.95, page));
        }
        let (q_t, q_w) = get(Col::Quantity);
        if let Some((q, c)) = parse_quantity(&q_t, fr) {
            line.quantity = Some(found(q, &q_w, c * 0.98, page));
        }
        let (d_t, d_w) = get(Col::Date);
        if let Some((d, c)) = parse_date(&d_t) {
            line.requested_date = Some(found(d, &d_w, c * 0.95, page));
        }
        // A date column whose label was not read: its dates land in the last numeric
        // column ("13 030,00 18.09.2026").
        let money = |col: Col, line: &mut PoLine| -> Option<Found<Decimal>> {
            let (mut t, w) = get(col);
            if parse_amount(&t, fr).is_none()
                && let Some(h) = find_dates(&t).into_iter().last()
            {
                if line.requested_date.is_none() {
                    line.requested_date = Some(found(h.date, &w, h.certainty * 0.8, page));
                }
                t = format!("{} {}", &t[..h.start], &t[h.end..]);
            }
            parse_amount(&t, fr).map(|(v, c)| found(v, &w, c * 0.97, page))
        };
        line.unit_price = money(Col::UnitPrice, &mut line);
        line.line_total = money(Col::Total, &mut line);
        finish_line(&mut line, fr);
        lines.push(line);
    }
    TableOut { lines, used }
}

/// Numbers of a row as spans of 1–3 consecutive words ("1 234,50" is three words).
fn number_spans(words: &[&Word], fr: bool) -> Vec<(usize, usize, Decimal)> {
    let mut out = Vec::new();
    for i in 0..words.len() {
        for n in 1..=3 {
            if i + n > words.len() {
                break;
            }
            let t = words[i..i + n]
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            if let Some((v, _)) = parse_amount(&t, fr) {
                out.push((i, i + n, v));
            }
        }
    }
    out
}

/// Fallback: one line per row holding "… quantity unit-price total" with qty × price = total.
fn read_rows(prows: &[PRow], skip: &[bool], fr: bool) -> (Vec<PoLine>, Vec<usize>) {
    let mut lines = Vec::new();
    let mut used = Vec::new();
    for (j, r) in prows.iter().enumerate() {
        if skip[j] || is_total_row(r.text()) {
            continue;
        }
        let words: Vec<&Word> = r
            .row
            .words
            .iter()
            .filter(|w| {
                let k = norm(&w.text);
                !matches!(k.as_str(), "€" | "eur" | "ht" | "$" | "usd" | "chf" | "£")
            })
            .collect();
        let spans = number_spans(&words, fr);
        let tol = Decimal::new(1, 2);
        let mut best: Option<(usize, usize, usize)> = None;
        for (a, sq) in spans.iter().enumerate() {
            let Some((q, _)) = parse_quantity(
                &words[sq.0..sq.1]
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                fr,
            ) else {
                continue;
            };
            for (b, sp) in spans.iter().enumerate() {
                if sp.0 < sq.1 {
                    continue;
                }
                for (c, st) in spans.iter().enumerate() {
                    if st.0 < sp.1 {
                        continue;
                    }
                    if (sp.2 * Decimal::from(q) - st.2).abs() <= tol
                        && st.2 > Decimal::ZERO
                        && best.is_none_or(|(_, _, bc)| {
                            spans[bc].1 < st.1 || (spans[bc].1 == st.1 && spans[bc].0 < st.0)
                        })
                    {
                        best = Some((a, b, c));
                    }
                }
            }
        }
        let Some((a, b, c)) = best else { continue };
        let (sq, sp, st) = (spans[a], spans[b], spans[c]);
        let before: Vec<&Word> = words[..sq.0].to_vec();
        let mut text = before
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let mut line = PoLine {
            position: lines.len() as u32 + 1,
            reference: None,
            revision: None,
            designation: None,
            quantity: None,
            unit_price: None,
            line_total: None,
            requested_date: None,
            confidence: 0.0,
            warnings_fr: vec![],
        };
        // Leading line number.
        if let Some(first) = before.first()
            && let Ok(p) = first.text.trim_end_matches('.').parse::<u32>()
            && p < 1000
            && before.len() > 1
        {
            line.position = p;
            text = text[first.text.len()..].trim_start().to_string();
        }
        if let Some((v, s, e)) = inline_revision(&text) {
            line.revision = Some(found(v, &before, 0.85, r.page));
            text = remove_span(&text, s, e);
        }
        if let Some((v, s, e)) = reference_in_text(&text) {
            line.reference = Some(found(v, &before, 0.8, r.page));
            text = remove_span(&text, s, e);
        }
        let des = tidy(&text);
        if !des.is_empty() {
            line.designation = Some(found(des, &before, 0.8, r.page));
        }
        let q = parse_quantity(
            &words[sq.0..sq.1]
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            fr,
        )
        .map(|x| x.0)
        .unwrap_or(0);
        line.quantity = Some(found(q, &words[sq.0..sq.1], 0.85, r.page));
        line.unit_price = Some(found(sp.2, &words[sp.0..sp.1], 0.85, r.page));
        line.line_total = Some(found(st.2, &words[st.0..st.1], 0.85, r.page));
        let after = words[st.1..]
            .iter()
            .chain(words[sq.1..sp.0].iter())
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some((d, c)) = parse_date(&after) {
            line.requested_date = Some(found(d, &words[st.1..], c * 0.8, r.page));
        }
        finish_line(&mut line, fr);
        lines.push(line);
        used.push(j);
    }
    (lines, used)
}

const ID: &str = r"([A-Z0-9][A-Z0-9\-/_.]*\d[A-Z0-9\-/_.]*)";

static PO_NUMBER: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        format!(r"(?i)\b(?:bon\s+de\s+commande|commande|purchase\s+order|order|p\.?\s?o\.?)\s*(?:n\s?[°º*o]\.?|n[uú]m[ée]ro|no\.?|nr\.?|number|#)\s*[.:]?\s*\|?\s*{ID}"),
        format!(r"(?i)\bn\s?[°º*o]\.?\s*(?:de\s+)?(?:la\s+)?(?:commande|cde)\b\s*[.:]?\s*\|?\s*{ID}"),
        format!(r"(?i)\b(?:bon\s+de\s+commande|purchase\s+order)\s*[.:]?\s*\|?\s*{ID}"),
        format!(r"(?i)\b(?:commande|order|cde)\s*:\s*\|?\s*{ID}"),
    ]
    .iter()
    .map(|r| Regex::new(r).expect("regex"))
    .collect()
});

static QUOTE_REF: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        format!(r"(?i)(?:votre|vos|v/|v\.|suivant|selon|r[ée]f(?:[ée]rence)?\.?)\s*(?:de\s+)?(?:votre\s+)?(?:devis|offre|proposition|cotation)\s*(?:n\s?[°º*o]\.?|no\.?|num[ée]ro)?\s*[.:]?\s*\|?\s*{ID}"),
        format!(r"(?i)\b(?:devis|offre)\s*(?:n\s?[°º*o]\.?|no\.?|num[ée]ro|r[ée]f\.?)\s*[.:]?\s*\|?\s*{ID}"),
        format!(r"(?i)\b(?:your\s+)?(?:quotation|quote|offer)\s*(?:no\.?|number|#|ref\.?|reference)?\s*[.:]?\s*\|?\s*{ID}"),
    ]
    .iter()
    .map(|r| Regex::new(r).expect("regex"))
    .collect()
});

static OUR_QUOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bDV[-\s]?\d{4}[-\s]?\d{3,5}(?:-\d{1,2})?\b").expect("regex"));

static LEGAL_FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:SAS|SASU|SARL|EURL|SA|SNC|SCOP|GIE|SE|GmbH|AG|Ltd|Limited|Inc|LLC|BV|NV|AB|SpA|Srl|S\.A\.S\.?|S\.A\.R\.L\.?|S\.A\.)(?:\b|$)")
        .expect("regex")
});

/// Looks like a PO/quote identifier (not a date, not a plain amount).
fn plausible_id(v: &str) -> bool {
    v.chars().any(|c| c.is_ascii_digit()) && parse_date(v).is_none() && v.len() >= 3
}

pub fn parse_po_with(pages: &[PageText], options: &PoParseOptions) -> PurchaseOrder {
    let mut prows: Vec<PRow> = Vec::new();
    for (pi, p) in pages.iter().enumerate() {
        let aspect = if p.height > 0.0 {
            p.width / p.height
        } else {
            1.0
        };
        let p = &without_specks(p);
        for row in rows(p) {
            let rt = RowText::new(&row);
            prows.push(PRow {
                page: p.number,
                pi,
                row,
                rt,
                aspect,
            });
        }
    }
    let text_source = if pages.iter().any(|p| p.source == TextSource::Ocr) {
        Some(TextSource::Ocr)
    } else {
        pages.first().map(|p| p.source)
    };
    let all_norm: String = prows
        .iter()
        .map(|r| norm(r.text()))
        .collect::<Vec<_>>()
        .join("\n");
    let fr = is_french(&all_norm);

    // Lines: tables (one header per page at most; the layout may repeat on later pages).
    let mut lines: Vec<PoLine> = Vec::new();
    let mut used = vec![false; prows.len()];
    let mut layout = LineLayout::None;
    let mut i = 0;
    while i < prows.len() {
        if used[i] {
            i += 1;
            continue;
        }
        if let Some((head, band)) = header_at(&prows, i) {
            let t = read_table(&prows, i, &head, &band, fr);
            for j in &t.used {
                used[*j] = true;
            }
            if !t.lines.is_empty() {
                layout = LineLayout::Table;
            }
            lines.extend(t.lines);
            i = t.used.iter().max().copied().unwrap_or(i) + 1;
        } else {
            i += 1;
        }
    }
    let mut warnings: Vec<String> = Vec::new();
    if lines.is_empty() {
        let (l, u) = read_rows(&prows, &used, fr);
        if !l.is_empty() {
            layout = LineLayout::Rows;
            warnings.push(
                "En-tête du tableau des lignes non reconnu : lignes lues au mieux, à vérifier."
                    .into(),
            );
        }
        for j in u {
            used[j] = true;
        }
        lines = l;
    }

    // Header fields on the rows outside the lines.
    let free: Vec<usize> = (0..prows.len()).filter(|j| !used[*j]).collect();
    let po_number = find_id(&prows, &free, &PO_NUMBER, &[0.97, 0.95, 0.9, 0.8], true);
    let quote_reference =
        find_id(&prows, &free, &QUOTE_REF, &[0.95, 0.9, 0.85], false).or_else(|| {
            prows.iter().find_map(|r| {
                OUR_QUOTE.find(r.text()).map(|m| {
                    let (bbox, conf) = r.rt.locate(&r.row, m.start(), m.end());
                    Found {
                        value: m.as_str().replace(' ', "-"),
                        confidence: conf * 0.8,
                        page: r.page,
                        bbox,
                    }
                })
            })
        });
    let po_number = po_number.filter(|n| {
        quote_reference
            .as_ref()
            .is_none_or(|q| key(&q.value) != key(&n.value))
    });
    let po_date = find_po_date(&prows, &free);
    let buyer = find_buyer(&prows, &free, options);
    let currency = find_currency(&prows, fr);
    let total_ht = find_total(&prows, &used, fr);

    if text_source == Some(TextSource::Ocr) {
        warnings.push(
            "Texte lu par OCR : vérifier le numéro de commande, les références, les quantités et les prix."
                .into(),
        );
    }
    if po_number.is_none() {
        warnings.push("Numéro de commande non trouvé : à saisir.".into());
    }
    if po_date.is_none() {
        warnings.push("Date de commande non trouvée : à saisir.".into());
    }
    if lines.is_empty() {
        warnings.push("Aucune ligne de commande reconnue : saisir les lignes à la main.".into());
    }
    if let Some(t) = &total_ht {
        let sum: Option<Decimal> = lines
            .iter()
            .map(|l| l.line_total.as_ref().map(|f| f.value))
            .sum();
        if let Some(sum) = sum
            && !lines.is_empty()
            && (sum - t.value).abs() > Decimal::new(1, 2)
        {
            warnings.push(format!(
                "Somme des lignes {} ≠ total HT du bon de commande {} : une ligne manque ou est mal lue.",
                fmt_money(sum, fr),
                fmt_money(t.value, fr)
            ));
        }
    }
    for l in &lines {
        warnings.extend(l.warnings_fr.iter().cloned());
    }
    PurchaseOrder {
        po_number,
        po_date,
        buyer,
        currency,
        quote_reference,
        lines,
        total_ht,
        text_source,
        pages: pages.len() as u32,
        layout,
        warnings_fr: warnings,
    }
}

/// OCR specks: words far smaller than the page's text (a dash read as a 1-pixel-high word, dust
/// read as "." or ":") would split rows.
fn without_specks(p: &PageText) -> PageText {
    let mut hs: Vec<f32> = p.words.iter().map(|w| w.bbox.h()).collect();
    if hs.len() < 5 {
        return p.clone();
    }
    hs.sort_by(f32::total_cmp);
    let median = hs[hs.len() / 2];
    let mut out = p.clone();
    out.words.retain(|w| {
        let h = w.bbox.h();
        let alnum = w.text.chars().any(|c| c.is_alphanumeric());
        h >= 0.25 * median && (alnum || h >= 0.45 * median)
    });
    out
}

fn is_french(all: &str) -> bool {
    let count = |ws: &[&str]| ws.iter().map(|w| all.matches(w).count()).sum::<usize>();
    let fr = count(&[
        "commande",
        "devis",
        "quantite",
        "qte",
        "designation",
        "livraison",
        "prix",
        "fournisseur",
        "montant",
        " le ",
        " de ",
    ]);
    let en = count(&[
        "order",
        "quantity",
        "qty",
        "description",
        "delivery",
        "price",
        "supplier",
        "amount",
        " the ",
        " of ",
    ]);
    fr >= en
}

fn find_id(
    prows: &[PRow],
    free: &[usize],
    res: &[Regex],
    conf: &[f32],
    stacked: bool,
) -> Option<Found<String>> {
    for (k, re) in res.iter().enumerate() {
        for &j in free {
            let r = &prows[j];
            for c in re.captures_iter(r.text()) {
                let Some(m) = c.get(1) else { continue };
                let v = m
                    .as_str()
                    .trim_end_matches(['.', ',', '/', '-'])
                    .to_string();
                if !plausible_id(&v) {
                    continue;
                }
                let (bbox, wc) = r.rt.locate(&r.row, m.start(), m.end());
                return Some(Found {
                    value: v,
                    confidence: wc * conf[k.min(conf.len() - 1)],
                    page: r.page,
                    bbox,
                });
            }
        }
    }
    // Label ending its cell, value just below ("BON DE COMMANDE N°" / "BC-2026-0456"), or a
    // title row then "N° BC-2026-0456".
    static LABEL_ONLY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|\b)(?:n\s?[°º*o]\.?\s*(?:de\s+)?(?:la\s+)?(?:commande|cde)|(?:bon\s+de\s+)?commande\s*n\s?[°º*o]\.?|(?:purchase\s+)?order\s*(?:no\.?|number|#)|po\s*(?:no\.?|number|#))\s*:?\s*$")
            .expect("regex")
    });
    static NUMBER_ONLY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)^\s*(?:n\s?[°º*o]\.?|no\.?|#)\s*:?\s*{ID}\s*$"
        ))
        .expect("regex")
    });
    if !stacked {
        return None;
    }
    for &j in free {
        let r = &prows[j];
        let mut pos = 0;
        for seg in r.text().split(" | ") {
            let seg_start = pos;
            pos += seg.len() + 3;
            if let Some(c) = NUMBER_ONLY.captures(seg)
                && let Some(m) = c.get(1)
                && plausible_id(m.as_str())
            {
                // The row above must be the document title.
                let titled = free.iter().any(|&k| {
                    let o = &prows[k];
                    o.pi == r.pi
                        && o.row.bbox.y1 <= r.row.bbox.y0 + 0.2 * r.row.h
                        && r.row.bbox.y0 - o.row.bbox.y1 < 2.5 * r.row.h
                        && {
                            let t = norm(o.text());
                            t.contains("commande") || t.contains("order")
                        }
                });
                if titled {
                    let (bbox, wc) =
                        r.rt.locate(&r.row, seg_start + m.start(), seg_start + m.end());
                    return Some(Found {
                        value: m.as_str().trim_end_matches(['.', ',']).to_string(),
                        confidence: wc * 0.85,
                        page: r.page,
                        bbox,
                    });
                }
            }
            if !LABEL_ONLY.is_match(seg) {
                continue;
            }
            let (lab, _) = r.rt.locate(&r.row, seg_start, seg_start + seg.len());
            let below = free.iter().map(|&k| &prows[k]).filter(|o| {
                o.pi == r.pi
                    && o.row.bbox.cy() > r.row.bbox.y1
                    && o.row.bbox.y0 - r.row.bbox.y1 < 2.5 * r.row.h
            });
            for o in below {
                if let Some(w) = o.row.words.iter().find(|w| {
                    w.bbox.x1 > lab.x0 - 0.01 && w.bbox.x0 < lab.x1 + 0.01 && plausible_id(&w.text)
                }) {
                    return Some(found(w.text.clone(), &[w], 0.85, o.page));
                }
            }
        }
    }
    None
}

const NOT_PO_DATE: &[&str] = &[
    "livraison",
    "livrer",
    "delai",
    "echeance",
    "devis",
    "offre",
    "quote",
    "quotation",
    "delivery",
    "due",
    "validit",
    "souhait",
    "besoin",
    "expedition",
    "reglement",
    "paiement",
    "facture",
];

fn find_po_date(prows: &[PRow], free: &[usize]) -> Option<Found<NaiveDate>> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:date\s*(?:de\s+(?:la\s+)?commande|d['’]\s*[ée]mission|du\s+bon|cde)?|order\s+date|po\s+date|dated?|\ble|\bdu)\s*[.:]?\s*\|?\s*$")
            .expect("regex")
    });
    let mut best: Option<(f32, Found<NaiveDate>)> = None;
    for &j in free {
        let r = &prows[j];
        let text = r.text();
        for h in find_dates(text) {
            let before = &text[..h.start];
            let seg_start = before.rfind(" | ").map_or(0, |p| p + 3);
            let local = norm(&before[seg_start.min(before.len())..]);
            let whole_before = norm(before);
            if NOT_PO_DATE.iter().any(|w| whole_before.contains(w)) {
                continue;
            }
            let labelled = LABEL.is_match(before) || LABEL.is_match(&before[seg_start..]);
            let score = if local.contains("commande") || local.contains("order date") {
                0.97
            } else if labelled && local.contains("date") {
                0.93
            } else if labelled {
                0.88
            } else if r.pi == 0 && r.row.bbox.y0 < 0.35 {
                0.6
            } else {
                continue;
            };
            let (bbox, wc) = r.rt.locate(&r.row, h.start, h.end);
            let conf = score * wc * h.certainty;
            if best.as_ref().is_none_or(|(s, _)| conf > *s) {
                best = Some((
                    conf,
                    Found {
                        value: h.date,
                        confidence: conf,
                        page: r.page,
                        bbox,
                    },
                ));
            }
        }
    }
    best.map(|(_, f)| f)
}

const NOT_BUYER: &[&str] = &[
    "fournisseur",
    "supplier",
    "vendor",
    "destinataire",
    "livraison",
    "livrer",
    "deliver",
    "ship to",
    "facturation",
    "invoice",
    "factur",
    "a l'attention",
    "attn",
];

fn find_buyer(prows: &[PRow], free: &[usize], options: &PoParseOptions) -> Option<Found<String>> {
    let own: Vec<String> = options.own_names.iter().map(|n| key(n)).collect();
    let is_own = |v: &str| {
        let k = key(v);
        own.iter()
            .any(|o| !o.is_empty() && (k.contains(o.as_str()) || similarity(&k, o) >= 0.8))
    };
    let max_h = free
        .iter()
        .filter(|&&j| prows[j].pi == 0)
        .map(|&j| prows[j].row.h)
        .fold(0.0f32, f32::max)
        .max(1e-6);
    let mut best: Option<(f32, Found<String>)> = None;
    for (n, &j) in free.iter().enumerate() {
        let r = &prows[j];
        if r.pi != 0 || r.row.bbox.y0 > 0.4 {
            continue;
        }
        // Context: a "Fournisseur :" / "Livraison" label on this row or the rows just above,
        // over the same x range.
        let context_bad = |x0: f32, x1: f32| {
            free[n.saturating_sub(6)..=n].iter().any(|&k| {
                let o = &prows[k];
                if o.pi != r.pi || r.row.bbox.y0 - o.row.bbox.y1 > 6.0 * r.row.h {
                    return false;
                }
                let mut pos = 0;
                o.text().split(" | ").any(|seg| {
                    let s0 = pos;
                    pos += seg.len() + 3;
                    let t = norm(seg);
                    NOT_BUYER.iter().any(|w| t.contains(w)) && {
                        let (b, _) = o.rt.locate(&o.row, s0, s0 + seg.len());
                        b.x0 < x1 + 0.05 && b.x1 > x0 - 0.05
                    }
                })
            })
        };
        for seg in r.text().split(" | ") {
            let Some(m) = LEGAL_FORM.find(seg) else {
                continue;
            };
            let mut v = seg[..m.end()].trim().to_string();
            // Drop a leading label ("Client : Aviaxe SAS").
            if let Some((a, b)) = v.split_once(':')
                && a.split_whitespace().count() <= 3
            {
                v = b.trim().to_string();
            }
            let start = r.text().find(seg).unwrap_or(0);
            let (mut bbox, wc) = r.rt.locate(&r.row, start, start + m.end());
            // A long name wrapped on two lines: the first part is just above, same size.
            let cand: Vec<&Word> = r
                .row
                .words
                .iter()
                .filter(|w| w.bbox.x0 >= bbox.x0 - 1e-4 && w.bbox.x1 <= bbox.x1 + 1e-4)
                .collect();
            let cand_h = cand.iter().map(|w| w.bbox.h()).fold(0.0f32, f32::max);
            let cand_top = cand.iter().map(|w| w.bbox.y0).fold(1.0f32, f32::min);
            // Words (not rows: the title may share the row) just above, same size.
            let above_words: Vec<&Word> = free
                .iter()
                .map(|&k| &prows[k])
                .filter(|o| o.pi == r.pi)
                .flat_map(|o| o.row.words.iter())
                .filter(|w| {
                    w.bbox.y1 <= cand_top + 0.3 * cand_h
                        && cand_top - w.bbox.y1 < 0.8 * cand_h
                        && w.bbox.x1 > bbox.x0 - 0.02
                        && w.bbox.x0 < bbox.x1 + 0.3
                        && (w.bbox.h() - cand_h).abs() < 0.35 * cand_h
                })
                .collect();
            // Only the words that continue the name: the cluster starting where it starts.
            let above_words: Vec<Word> = clusters(&above_words, r.aspect, 1.5)
                .into_iter()
                .find(|c| {
                    c.first()
                        .is_some_and(|w| (w.bbox.x0 - bbox.x0).abs() < 0.02)
                })
                .unwrap_or_default();
            let text = above_words
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            if !above_words.is_empty()
                && above_words.len() <= 4
                && !text.contains(':')
                && !text.chars().any(|c| c.is_ascii_digit())
                && !LEGAL_FORM.is_match(&text)
            {
                v = format!("{text} {v}");
                for w in &above_words {
                    bbox = bbox.union(&w.bbox);
                }
            }
            if v.split_whitespace().count() < 2 || is_own(&v) {
                continue;
            }
            let mut score = 0.6 + 0.3 * (r.row.h / max_h) + 0.1 * (1.0 - r.row.bbox.y0 / 0.4);
            if context_bad(bbox.x0, bbox.x1) {
                score *= 0.3;
            }
            let conf = (score.min(1.0) * wc * 0.95).clamp(0.0, 1.0);
            if best.as_ref().is_none_or(|(s, _)| conf > *s) {
                best = Some((
                    conf,
                    Found {
                        value: v,
                        confidence: conf,
                        page: r.page,
                        bbox,
                    },
                ));
            }
        }
    }
    if best.as_ref().is_some_and(|(s, _)| *s >= 0.35) {
        return best.map(|(_, f)| f);
    }
    // No legal form: the largest text at the top that is not the document title.
    let title = [
        "bon de commande",
        "commande",
        "purchase order",
        "order",
        "page",
    ];
    free.iter()
        .map(|&j| &prows[j])
        .filter(|r| r.pi == 0 && r.row.bbox.y0 < 0.2)
        .filter(|r| {
            let t = norm(r.text());
            !title.iter().any(|w| t.starts_with(w))
                && r.text().chars().filter(|c| c.is_alphabetic()).count() >= 4
                && !is_own(r.text())
                && !NOT_BUYER.iter().any(|w| t.contains(w))
        })
        .max_by(|a, b| {
            a.row
                .h
                .total_cmp(&b.row.h)
                .then(b.row.bbox.y0.total_cmp(&a.row.bbox.y0))
        })
        .map(|r| {
            let seg = r.text().split(" | ").next().unwrap_or_default();
            let (bbox, wc) = r.rt.locate(&r.row, 0, seg.len());
            Found {
                value: seg.trim().to_string(),
                confidence: 0.5 * wc,
                page: r.page,
                bbox,
            }
        })
}

fn find_currency(prows: &[PRow], fr: bool) -> Option<Found<String>> {
    const CODES: &[(&str, &[&str])] = &[
        ("EUR", &["€", "eur", "euro", "euros"]),
        ("USD", &["$", "usd"]),
        ("CHF", &["chf"]),
        ("GBP", &["£", "gbp"]),
    ];
    /// Occurrences, ISO code, first place seen (page, box).
    type Count<'a> = (usize, &'a str, Option<(u32, BBox)>);
    let mut counts: Vec<Count> = Vec::new();
    for (code, marks) in CODES {
        let mut n = 0;
        let mut first = None;
        for r in prows {
            for w in &r.row.words {
                let t = w.text.to_lowercase();
                let t = t.trim_matches(|c: char| ",;:.()".contains(c));
                // "$" also comes from OCR misreading an S ("$0-31.118", "$12/2026"): only
                // a lone symbol or one glued to an amount counts.
                let hit = marks.iter().any(|m| {
                    if m.chars().all(|c| c.is_alphabetic()) {
                        t == *m
                    } else {
                        t == *m
                            || (t.starts_with(m) || t.ends_with(m))
                                && parse_amount(t.trim_matches(|c| m.contains(c)), fr).is_some()
                    }
                });
                if hit {
                    n += 1;
                    first.get_or_insert((r.page, w.bbox));
                }
            }
        }
        counts.push((n, code, first));
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.0));
    match counts.first() {
        Some((n, code, Some((page, bbox)))) if *n > 0 => Some(Found {
            value: (*code).to_string(),
            confidence: if *n >= 2 { 0.95 } else { 0.8 },
            page: *page,
            bbox: *bbox,
        }),
        _ if fr => Some(Found {
            value: "EUR".into(),
            confidence: 0.5,
            page: 1,
            bbox: BBox::default(),
        }),
        _ => None,
    }
}

static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{1,3}(?:[ \u{a0}\u{202f}.,']\d{3})+(?:[.,]\d{1,3})?|\d+(?:[.,]\d{1,3})?")
        .expect("regex")
});

/// The last amount of a text: byte span, value, certainty.
fn last_amount(text: &str, fr: bool) -> Option<(usize, usize, Decimal, f32)> {
    MONEY
        .find_iter(text)
        .filter_map(|m| parse_amount(m.as_str(), fr).map(|(v, c)| (m.start(), m.end(), v, c)))
        .last()
}

fn find_total(prows: &[PRow], used: &[bool], fr: bool) -> Option<Found<Decimal>> {
    static TOTAL_HT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:total|montant|net)\s*(?:g[ée]n[ée]ral\s*)?(?:ht|h\.t\.?|hors\s+taxes?|net|excl\.?\s*(?:vat|tax)|before\s+tax)\b|(?i)sub-?total|^\s*total\s*(?:\(|:|\|)")
            .expect("regex")
    });
    let mut out = None;
    for (j, r) in prows.iter().enumerate() {
        if used[j] && !is_total_row(r.text()) {
            continue;
        }
        let t = r.text();
        let Some(m) = TOTAL_HT.find(t) else { continue };
        if norm(t).contains("ttc") && !norm(&t[..m.end()]).contains("ht") {
            continue;
        }
        // The amount: the last number after the label that parses.
        let rest = &t[m.end()..];
        if let Some((s, e, v, c)) = last_amount(rest, fr) {
            let (bbox, wc) = r.rt.locate(&r.row, m.end() + s, m.end() + e);
            out = Some(Found {
                value: v,
                confidence: wc * c * 0.95,
                page: r.page,
                bbox,
            });
        }
        if out.is_some() {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page from (text, x0, y0) words, 8 pt-ish high, on an A4 portrait page.
    pub(crate) fn page(words: &[(&str, f32, f32)]) -> PageText {
        PageText {
            number: 1,
            width: 595.0,
            height: 842.0,
            source: TextSource::Vector,
            deskew_degrees: None,
            words: words
                .iter()
                .map(|(t, x, y)| Word {
                    text: (*t).into(),
                    page: 1,
                    bbox: BBox::new(*x, *y, *x + 0.0105 * t.chars().count() as f32, *y + 0.011),
                    conf: 1.0,
                })
                .collect(),
        }
    }

    /// Words of a sentence starting at x, one space apart.
    fn sentence(out: &mut Vec<(String, f32, f32)>, text: &str, x: f32, y: f32) {
        let mut x = x;
        for w in text.split(' ') {
            out.push((w.to_string(), x, y));
            x += 0.0105 * w.chars().count() as f32 + 0.005;
        }
    }

    fn build(lines: &[(&str, f32, f32)]) -> PageText {
        let mut words: Vec<(String, f32, f32)> = Vec::new();
        for (t, x, y) in lines {
            sentence(&mut words, t, *x, *y);
        }
        let refs: Vec<(&str, f32, f32)> =
            words.iter().map(|(t, x, y)| (t.as_str(), *x, *y)).collect();
        page(&refs)
    }

    #[test]
    fn classifies_header_labels() {
        assert_eq!(classify_cell("Réf."), Some(Col::Reference));
        assert_eq!(classify_cell("Référence article"), Some(Col::Reference));
        assert_eq!(classify_cell("Désignation"), Some(Col::Designation));
        assert_eq!(classify_cell("Qté"), Some(Col::Quantity));
        assert_eq!(classify_cell("Quantité"), Some(Col::Quantity));
        assert_eq!(classify_cell("P.U. HT"), Some(Col::UnitPrice));
        assert_eq!(classify_cell("Prix unitaire HT (€)"), Some(Col::UnitPrice));
        assert_eq!(classify_cell("Montant HT"), Some(Col::Total));
        assert_eq!(classify_cell("Délai"), Some(Col::Date));
        assert_eq!(
            classify_cell("Date de livraison souhaitée"),
            Some(Col::Date)
        );
        assert_eq!(classify_cell("Unit price"), Some(Col::UnitPrice));
        assert_eq!(classify_cell("Ind."), Some(Col::Revision));
        assert_eq!(classify_cell("N°"), Some(Col::Position));
        assert_eq!(classify_cell("Desigation"), Some(Col::Designation));
        assert_eq!(classify_cell("Votre réf."), Some(Col::SupplierRef));
        assert_eq!(classify_cell("Arbre"), None);
    }

    #[test]
    fn inline_revisions_and_references() {
        assert_eq!(inline_revision("AFZ-24-0117 ind. B").unwrap().0, "B");
        assert_eq!(inline_revision("Support rév. C").unwrap().0, "C");
        assert_eq!(inline_revision("Bride Rev B").unwrap().0, "B");
        assert_eq!(inline_revision("Plan X (indice 02)").unwrap().0, "02");
        assert!(inline_revision("Arbre de transmission").is_none());
        assert!(inline_revision("Revêtement noir").is_none());
        let (r, rest) = split_reference("PL 4471 Axe de vérin");
        assert_eq!(r.as_deref(), Some("PL 4471"));
        assert_eq!(rest, "Axe de vérin");
        assert_eq!(
            split_reference("AFZ-24-0117").0.as_deref(),
            Some("AFZ-24-0117")
        );
        // OCR pieces of one reference: the space before a dash is closed.
        assert_eq!(
            split_reference("DAU 23 -0882 Bride").0.as_deref(),
            Some("DAU 23-0882")
        );
        assert_eq!(
            reference_in_text("Arbre – plan AFZ-24-0117").unwrap().0,
            "AFZ-24-0117"
        );
        assert!(is_ref_token("4500123456"));
        assert!(!is_ref_token("46,40"));
        assert!(!is_ref_token("06/12/2026"));
        assert!(!is_ref_token("Arbre"));
    }

    #[test]
    fn table_with_header_columns() {
        // Columns: Pos 0.08, Réf 0.13, Désignation 0.30, Qté 0.58, P.U. HT 0.66, Montant HT 0.78, Délai 0.90
        let p = build(&[
            ("AGROVAL PROCESS SAS", 0.08, 0.05),
            ("BON DE COMMANDE N° BC-2026-0456", 0.55, 0.05),
            ("Date : 06/12/2026", 0.55, 0.08),
            ("Fournisseur :", 0.55, 0.12),
            ("Usinage Démo SARL", 0.55, 0.14),
            ("Votre devis n° DV-2026-0001 du 15/11/2026", 0.08, 0.22),
            ("Pos.", 0.08, 0.30),
            ("Réf.", 0.13, 0.30),
            ("Désignation", 0.30, 0.30),
            ("Qté", 0.58, 0.30),
            ("P.U. HT", 0.66, 0.30),
            ("Montant HT", 0.78, 0.30),
            ("Délai", 0.90, 0.30),
            ("1", 0.08, 0.33),
            ("AFZ-24-0117", 0.13, 0.33),
            ("Arbre de transmission", 0.30, 0.33),
            ("ind. B", 0.30, 0.345),
            ("10", 0.58, 0.33),
            ("46,40", 0.66, 0.33),
            ("464,00", 0.78, 0.33),
            ("15/01/2027", 0.88, 0.33),
            ("2", 0.08, 0.37),
            ("AGV-25-0043", 0.13, 0.37),
            ("Bride 316L", 0.30, 0.37),
            ("1 000", 0.58, 0.37),
            ("56,20", 0.66, 0.37),
            ("56 200,00", 0.78, 0.37),
            ("S05/2027", 0.88, 0.37),
            ("Total HT 56 664,00 €", 0.60, 0.42),
            ("Conditions de paiement : 45 jours fin de mois", 0.08, 0.48),
        ]);
        let po = parse_po(&[p]);
        assert_eq!(po.layout, LineLayout::Table, "{po:#?}");
        assert_eq!(po.po_number.as_ref().unwrap().value, "BC-2026-0456");
        assert_eq!(po.po_date.as_ref().unwrap().value.to_string(), "2026-12-06");
        assert_eq!(po.quote_reference.as_ref().unwrap().value, "DV-2026-0001");
        assert_eq!(po.buyer.as_ref().unwrap().value, "AGROVAL PROCESS SAS");
        assert_eq!(po.currency.as_ref().unwrap().value, "EUR");
        assert_eq!(po.total_ht.as_ref().unwrap().value.to_string(), "56664.00");
        assert_eq!(po.lines.len(), 2, "{:#?}", po.lines);
        let l = &po.lines[0];
        assert_eq!(l.position, 1);
        assert_eq!(
            l.reference.as_ref().map(|f| f.value.as_str()),
            Some("AFZ-24-0117"),
            "{:#?}",
            po.lines
        );
        assert_eq!(l.revision.as_ref().unwrap().value, "B");
        assert_eq!(
            l.designation.as_ref().unwrap().value,
            "Arbre de transmission"
        );
        assert_eq!(l.quantity.as_ref().unwrap().value, 10);
        assert_eq!(l.unit_price.as_ref().unwrap().value.to_string(), "46.40");
        assert_eq!(l.line_total.as_ref().unwrap().value.to_string(), "464.00");
        assert_eq!(
            l.requested_date.as_ref().unwrap().value.to_string(),
            "2027-01-15"
        );
        let l = &po.lines[1];
        assert_eq!(l.quantity.as_ref().unwrap().value, 1000);
        assert_eq!(l.line_total.as_ref().unwrap().value.to_string(), "56200.00");
        // ISO week 5 of 2027 starts on Monday 1 February.
        assert_eq!(
            l.requested_date.as_ref().unwrap().value.to_string(),
            "2027-02-01"
        );
        assert!(l.revision.is_none());
        assert!(po.warnings_fr.is_empty(), "{:?}", po.warnings_fr);
        assert!(l.confidence > 0.9);
    }

    #[test]
    fn rows_without_header_use_the_pattern() {
        let p = build(&[
            ("Commande n° 4500012345 du 2 mars 2026", 0.08, 0.08),
            (
                "1 PL-4471 rév. B Axe de vérin 50 28,60 € 1 430,00 € 30/04/2026",
                0.08,
                0.30,
            ),
            ("Livraison franco", 0.08, 0.40),
        ]);
        let po = parse_po(&[p]);
        assert_eq!(po.layout, LineLayout::Rows);
        assert_eq!(po.po_number.as_ref().unwrap().value, "4500012345");
        assert_eq!(po.po_date.as_ref().unwrap().value.to_string(), "2026-03-02");
        assert_eq!(po.lines.len(), 1);
        let l = &po.lines[0];
        assert_eq!(l.reference.as_ref().unwrap().value, "PL-4471");
        assert_eq!(l.revision.as_ref().unwrap().value, "B");
        assert_eq!(l.designation.as_ref().unwrap().value, "Axe de vérin");
        assert_eq!(l.quantity.as_ref().unwrap().value, 50);
        assert_eq!(l.unit_price.as_ref().unwrap().value.to_string(), "28.60");
        assert_eq!(l.line_total.as_ref().unwrap().value.to_string(), "1430.00");
        assert_eq!(
            l.requested_date.as_ref().unwrap().value.to_string(),
            "2026-04-30"
        );
    }

    #[test]
    fn inconsistent_line_is_flagged_and_lost_separator_repaired() {
        let head = [
            ("Réf.", 0.10, 0.30),
            ("Désignation", 0.25, 0.30),
            ("Qté", 0.55, 0.30),
            ("P.U. HT", 0.65, 0.30),
            ("Montant HT", 0.78, 0.30),
        ];
        let mut l: Vec<(&str, f32, f32)> = head.to_vec();
        l.extend([
            ("AB-100", 0.10, 0.33),
            ("Axe", 0.25, 0.33),
            ("10", 0.55, 0.33),
            ("4640", 0.65, 0.33), // OCR lost the comma of 46,40
            ("464,00", 0.78, 0.33),
            ("AB-200", 0.10, 0.36),
            ("Bague", 0.25, 0.36),
            ("10", 0.55, 0.36),
            ("12,00", 0.65, 0.36),
            ("150,00", 0.78, 0.36),
        ]);
        let po = parse_po(&[build(&l)]);
        assert_eq!(po.lines.len(), 2);
        assert_eq!(
            po.lines[0].unit_price.as_ref().unwrap().value.to_string(),
            "46.40"
        );
        assert!(po.lines[1].confidence < 0.7, "{}", po.lines[1].confidence);
        assert!(
            po.warnings_fr.iter().any(|w| w.contains("Ligne 2")
                && w.contains("10 × 12,00 = 120,00")
                && w.contains("150,00")),
            "{:?}",
            po.warnings_fr
        );
    }

    #[test]
    fn lost_or_misread_quantity_comes_back_from_the_amount() {
        let mut l: Vec<(&str, f32, f32)> = vec![
            ("Réf.", 0.10, 0.30),
            ("Désignation", 0.25, 0.30),
            ("Qté", 0.55, 0.30),
            ("P.U. HT", 0.65, 0.30),
            ("Montant HT", 0.78, 0.30),
        ];
        l.extend([
            ("AB-100", 0.10, 0.33),
            ("Axe", 0.25, 0.33),
            // quantity 5 lost by OCR: 2 531,39 × 5 = 12 656,95
            ("2 531,39", 0.65, 0.33),
            ("12 656,95", 0.78, 0.33),
            ("AB-200", 0.10, 0.36),
            ("Bague", 0.25, 0.36),
            ("19", 0.55, 0.36), // "10" misread: 7,78 × 10 = 77,80
            ("7,78", 0.65, 0.36),
            ("77,80", 0.78, 0.36),
        ]);
        let po = parse_po(&[build(&l)]);
        assert_eq!(po.lines.len(), 2, "{:#?}", po.lines);
        assert_eq!(po.lines[0].quantity.as_ref().unwrap().value, 5);
        assert!(po.lines[0].quantity.as_ref().unwrap().confidence < 0.8);
        assert_eq!(po.lines[1].quantity.as_ref().unwrap().value, 10);
        assert!(po.warnings_fr.iter().any(|w| w.contains("déduite")));
        assert!(
            po.warnings_fr
                .iter()
                .any(|w| w.contains("lue 19 corrigée en 10"))
        );
    }

    #[test]
    fn unreadable_labels_are_typed_by_their_data() {
        // OCR turned "Qté cdée" into "as" and "Prix unit." into "px".
        let p = build(&[
            ("Ligne", 0.08, 0.30),
            ("Article", 0.14, 0.30),
            ("Description", 0.30, 0.30),
            ("Rév.", 0.50, 0.30),
            ("as", 0.57, 0.30),
            ("px", 0.66, 0.30),
            ("Montant", 0.76, 0.30),
            ("Délai", 0.90, 0.30),
            ("10", 0.08, 0.33),
            ("ODL-5521", 0.14, 0.33),
            ("Entretoise", 0.30, 0.33),
            ("F", 0.50, 0.33),
            ("1 000", 0.57, 0.33),
            ("29,94 €", 0.66, 0.33),
            ("29 940,00 €", 0.76, 0.33),
            ("12/12/2026", 0.88, 0.33),
        ]);
        let po = parse_po(&[p]);
        assert_eq!(po.layout, LineLayout::Table);
        let l = &po.lines[0];
        assert_eq!(l.position, 10);
        assert_eq!(l.revision.as_ref().unwrap().value, "F");
        assert_eq!(l.quantity.as_ref().unwrap().value, 1000);
        assert_eq!(l.unit_price.as_ref().unwrap().value.to_string(), "29.94");
        assert_eq!(l.line_total.as_ref().unwrap().value.to_string(), "29940.00");
    }

    #[test]
    fn english_po() {
        let p = build(&[
            ("Orbital Drives Ltd", 0.08, 0.05),
            ("PURCHASE ORDER No. PO-77812", 0.55, 0.05),
            ("Order date: December 6, 2026", 0.55, 0.08),
            ("Your quotation: DV-2026-0003", 0.08, 0.20),
            ("Item", 0.08, 0.30),
            ("Part number", 0.13, 0.30),
            ("Rev", 0.30, 0.30),
            ("Description", 0.36, 0.30),
            ("Qty", 0.58, 0.30),
            ("Unit price", 0.66, 0.30),
            ("Amount", 0.80, 0.30),
            ("1", 0.08, 0.33),
            ("ODL-5521", 0.13, 0.33),
            ("C", 0.30, 0.33),
            ("Spacer", 0.36, 0.33),
            ("250", 0.58, 0.33),
            ("3.85", 0.66, 0.33),
            ("962.50", 0.80, 0.33),
            ("Subtotal (excl. VAT) $ 962.50", 0.55, 0.40),
        ]);
        let po = parse_po(&[p]);
        assert_eq!(po.po_number.unwrap().value, "PO-77812");
        assert_eq!(po.po_date.unwrap().value.to_string(), "2026-12-06");
        assert_eq!(po.quote_reference.unwrap().value, "DV-2026-0003");
        assert_eq!(po.buyer.unwrap().value, "Orbital Drives Ltd");
        assert_eq!(po.currency.unwrap().value, "USD");
        assert_eq!(po.lines.len(), 1);
        let l = &po.lines[0];
        assert_eq!(l.revision.as_ref().unwrap().value, "C");
        assert_eq!(l.unit_price.as_ref().unwrap().value.to_string(), "3.85");
        assert_eq!(po.total_ht.unwrap().value.to_string(), "962.50");
    }

    #[test]
    fn empty_and_garbage_pages_do_not_panic() {
        let po = parse_po(&[]);
        assert!(po.lines.is_empty() && po.po_number.is_none());
        assert!(po.warnings_fr.iter().any(|w| w.contains("Aucune ligne")));
        let p = build(&[
            ("€€ 12 | ,,, 1.2.3 --", 0.1, 0.1),
            ("Qté Réf. Prix", 0.1, 0.2),
        ]);
        let _ = parse_po(&[p]);
    }
}
