//! Matching PO lines to quote lines.
//!
//! Score of a (PO line, quote line) pair: the reference against the drawing number, compared
//! exactly, then without case/spaces/dashes, then without leading zeros, then with OCR
//! confusions folded (O/0, I/1, S/5, B/8…), then by containment; the designation is a weak
//! signal (it only confirms, or alone gives at most 0.6). Equal quantity and price raise the
//! confidence, a different revision lowers it. Pairs are assigned one to one, best first.
//! Quantity, price and revision differences are flagged with both values.

use super::PurchaseOrder;
use super::formats::money_string;
use crate::analysis::text::{key, levenshtein, similarity};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A quote line the PO may refer to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteLineRef {
    pub quote_line_id: i64,
    pub quote_number: String,
    pub drawing_number: Option<String>,
    pub drawing_revision: Option<String>,
    pub part_name: Option<String>,
    /// Selected quantity of the line.
    pub quantity: Option<u32>,
    /// Unit price (HT) at the selected quantity.
    pub unit_price: Option<Decimal>,
    /// Other quantity breaks of the line: a PO quantity equal to one of them is compared with
    /// that break's price.
    #[serde(default)]
    pub breaks: Vec<QuoteBreakRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteBreakRef {
    pub quantity: u32,
    pub unit_price: Decimal,
}

/// A value on the PO against the value on the quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diff<T> {
    pub po: T,
    pub quote: T,
}

/// Result for one PO line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineMatch {
    /// Index in `PurchaseOrder::lines`.
    pub po_line: usize,
    pub quote_line_id: Option<i64>,
    pub quote_number: Option<String>,
    /// 0 when nothing matched.
    pub confidence: f32,
    pub reasons_fr: Vec<String>,
    pub quantity_differs: Option<Diff<u32>>,
    /// Against the selected quantity's price, or the price of the break the PO quantity equals.
    pub price_differs: Option<Diff<Decimal>>,
    pub revision_differs: Option<Diff<String>>,
}

impl LineMatch {
    /// Something a person must look at: no match, or a difference.
    pub fn needs_review(&self) -> bool {
        self.quote_line_id.is_none()
            || self.quantity_differs.is_some()
            || self.price_differs.is_some()
            || self.revision_differs.is_some()
            || self.confidence < 0.8
    }
}

/// Reference comparison key: upper case, letters and digits only ("afz-24 0117" → "AFZ240117").
pub fn reference_key(s: &str) -> String {
    key(&s.replace('$', "S"))
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_uppercase())
        .collect()
}

/// [`reference_key`] without leading zeros in digit runs ("AFZ-24-0117" → "AFZ24117").
fn loose_key(s: &str) -> String {
    let k = key(s).to_uppercase();
    let mut out = String::new();
    for group in k.split(|c: char| !c.is_alphanumeric()) {
        let mut run = String::new();
        let mut digits = false;
        let flush = |run: &mut String, digits: bool, out: &mut String| {
            if digits {
                let t = run.trim_start_matches('0');
                out.push_str(if t.is_empty() { "0" } else { t });
            } else {
                out.push_str(run);
            }
            run.clear();
        };
        for c in group.chars() {
            let d = c.is_ascii_digit();
            if !run.is_empty() && d != digits {
                flush(&mut run, digits, &mut out);
            }
            digits = d;
            run.push(c);
        }
        flush(&mut run, digits, &mut out);
    }
    out
}

/// Characters OCR confuses, folded to one.
fn ocr_fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'O' | 'Q' | 'D' => '0',
            'I' | 'L' | 'T' | '|' => '1',
            'S' => '5',
            'B' => '8',
            'Z' => '2',
            'G' => '6',
            other => other,
        })
        .collect()
}

/// How well a PO reference names a drawing number: score and reason.
pub fn reference_score(po: &str, quote: &str) -> (f32, &'static str) {
    let (a, b) = (reference_key(po), reference_key(quote));
    if a.is_empty() || b.is_empty() {
        return (0.0, "");
    }
    if po.trim().eq_ignore_ascii_case(quote.trim()) {
        return (1.0, "Référence identique");
    }
    if a == b {
        return (
            0.97,
            "Référence identique aux espaces, tirets et majuscules près",
        );
    }
    let (la, lb) = (loose_key(po), loose_key(quote));
    if la == lb {
        return (0.93, "Référence identique aux zéros de tête près");
    }
    if ocr_fold(&a) == ocr_fold(&b) || ocr_fold(&la) == ocr_fold(&lb) {
        return (
            0.85,
            "Référence identique aux confusions de lecture près (O/0, I/1…)",
        );
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if short.len() >= 5 && long.contains(short.as_str()) {
        return (0.75, "Référence contenue dans l'autre");
    }
    if a.len().min(b.len()) >= 6 && levenshtein(&ocr_fold(&a), &ocr_fold(&b)) == 1 {
        return (0.55, "Référence à un caractère près");
    }
    (0.0, "")
}

/// Revision key: "ind. B" → "B", "02" → "2".
fn revision_key(s: &str) -> String {
    let k = reference_key(s);
    let k = k
        .strip_prefix("INDICE")
        .or_else(|| k.strip_prefix("IND"))
        .or_else(|| k.strip_prefix("REVISION"))
        .or_else(|| k.strip_prefix("REV"))
        .unwrap_or(&k)
        .to_string();
    let t = k.trim_start_matches('0');
    if t.is_empty() && !k.is_empty() {
        "0".into()
    } else {
        t.to_string()
    }
}

const STOP: &[&str] = &[
    "de", "du", "des", "la", "le", "les", "d", "l", "en", "pour", "a", "au", "et", "the", "of",
    "for", "and",
];

/// Designation similarity 0–1: best of whole-string similarity and word overlap.
pub fn designation_similarity(a: &str, b: &str) -> f32 {
    let (ka, kb) = (key(a), key(b));
    if ka.is_empty() || kb.is_empty() {
        return 0.0;
    }
    let words = |k: &str| -> Vec<String> {
        let mut v: Vec<String> = k
            .split(' ')
            .filter(|w| !STOP.contains(w) && !w.is_empty())
            .map(str::to_string)
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let (wa, wb) = (words(&ka), words(&kb));
    let common = wa
        .iter()
        .filter(|w| wb.iter().any(|x| x == *w || similarity(w, x) >= 0.8))
        .count();
    let union = wa.len() + wb.len() - common;
    let jaccard = if union == 0 {
        0.0
    } else {
        common as f32 / union as f32
    };
    similarity(&ka, &kb).max(jaccard)
}

/// French money: "1 234,50 €".
pub fn euros_fr(d: Decimal) -> String {
    let s = money_string(d);
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let neg = int.starts_with('-');
    let digits = int.trim_start_matches('-');
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    format!("{}{grouped},{frac} €", if neg { "-" } else { "" })
}

struct Pair {
    score: f32,
    reasons: Vec<String>,
    quantity: Option<Diff<u32>>,
    price: Option<Diff<Decimal>>,
    revision: Option<Diff<String>>,
}

fn score_pair(po: &PurchaseOrder, i: usize, c: &QuoteLineRef) -> Option<Pair> {
    let line = &po.lines[i];
    let mut reasons = Vec::new();
    let (r, why) = match (&line.reference, &c.drawing_number) {
        (Some(p), Some(q)) => reference_score(&p.value, q),
        _ => (0.0, ""),
    };
    let d = match (&line.designation, &c.part_name) {
        (Some(p), Some(q)) => Some(designation_similarity(&p.value, q)),
        _ => None,
    };
    let mut score;
    if r >= 0.5 {
        reasons.push(format!(
            "{why} : {}",
            c.drawing_number.as_deref().unwrap_or_default()
        ));
        let field_conf = line.reference.as_ref().map_or(0.5, |f| f.confidence);
        score = r * (0.6 + 0.4 * field_conf);
        match d {
            Some(d) if d >= 0.6 => {
                score += (1.0 - score) * 0.3;
                reasons.push(format!("Désignation proche ({:.0} %)", d * 100.0));
            }
            Some(d) if d < 0.25 => score *= 0.95,
            _ => {}
        }
    } else if let Some(d) = d.filter(|d| *d >= 0.75) {
        score = 0.25 + 0.35 * (d - 0.75) / 0.25;
        reasons.push(format!(
            "Rapprochement sur la désignation seulement ({:.0} %) : à confirmer",
            d * 100.0
        ));
    } else {
        return None;
    }
    // Quantity and price.
    let po_q = line.quantity.as_ref().map(|f| f.value);
    let po_p = line.unit_price.as_ref().map(|f| f.value);
    let mut quantity = None;
    let mut ref_price = c.unit_price;
    if let (Some(pq), Some(qq)) = (po_q, c.quantity) {
        if pq == qq {
            score += (1.0 - score) * 0.2;
            reasons.push(format!("Quantité identique : {pq}"));
        } else {
            quantity = Some(Diff { po: pq, quote: qq });
            reasons.push(format!("Quantité différente : commande {pq}, devis {qq}"));
            if let Some(b) = c.breaks.iter().find(|b| b.quantity == pq) {
                ref_price = Some(b.unit_price);
                reasons.push(format!(
                    "Quantité d'un autre palier du devis ({} pcs à {})",
                    b.quantity,
                    euros_fr(b.unit_price)
                ));
            }
        }
    }
    let mut price = None;
    if let (Some(pp), Some(qp)) = (po_p, ref_price) {
        if (pp - qp).abs() < Decimal::new(5, 3) {
            score += (1.0 - score) * 0.2;
            reasons.push(format!("Prix unitaire identique : {}", euros_fr(pp)));
        } else {
            let pct = if qp.is_zero() {
                String::new()
            } else {
                let p = ((pp - qp) / qp * Decimal::from(100)).round_dp(1);
                format!(
                    " ({}{} %)",
                    if p > Decimal::ZERO { "+" } else { "" },
                    p.to_string().replace('.', ",")
                )
            };
            reasons.push(format!(
                "Prix unitaire différent : commande {}, devis {}{pct}",
                euros_fr(pp),
                euros_fr(qp)
            ));
            price = Some(Diff { po: pp, quote: qp });
        }
    }
    let mut revision = None;
    if let (Some(pr), Some(qr)) = (&line.revision, &c.drawing_revision)
        && revision_key(&pr.value) != revision_key(qr)
        && !qr.trim().is_empty()
    {
        score *= 0.9;
        reasons.push(format!(
            "Indice différent : commande {}, devis {}",
            pr.value, qr
        ));
        revision = Some(Diff {
            po: pr.value.clone(),
            quote: qr.clone(),
        });
    }
    Some(Pair {
        score: score.clamp(0.0, 1.0),
        reasons,
        quantity,
        price,
        revision,
    })
}

/// Matches each PO line to at most one quote line (one to one, best pairs first). Returns one
/// entry per PO line, in PO order; a line that matches nothing has `quote_line_id: None` and
/// confidence 0.
pub fn match_lines(po: &PurchaseOrder, candidates: &[QuoteLineRef]) -> Vec<LineMatch> {
    let mut pairs: Vec<(usize, usize, Pair)> = Vec::new();
    for i in 0..po.lines.len() {
        for (k, c) in candidates.iter().enumerate() {
            if let Some(p) = score_pair(po, i, c)
                && p.score >= 0.3
            {
                pairs.push((i, k, p));
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.2.score
            .total_cmp(&a.2.score)
            .then(a.0.cmp(&b.0))
            .then(a.1.cmp(&b.1))
    });
    let mut out: Vec<LineMatch> = (0..po.lines.len())
        .map(|i| LineMatch {
            po_line: i,
            quote_line_id: None,
            quote_number: None,
            confidence: 0.0,
            reasons_fr: vec![],
            quantity_differs: None,
            price_differs: None,
            revision_differs: None,
        })
        .collect();
    let mut line_done = vec![false; po.lines.len()];
    let mut cand_done = vec![false; candidates.len()];
    // Runner-up scores per PO line, to flag ambiguity.
    let mut seconds: BTreeMap<usize, (f32, usize)> = BTreeMap::new();
    for (i, k, p) in &pairs {
        if line_done[*i] {
            let e = seconds.entry(*i).or_insert((p.score, *k));
            if p.score > e.0 {
                *e = (p.score, *k);
            }
            continue;
        }
        if cand_done[*k] {
            continue;
        }
        line_done[*i] = true;
        cand_done[*k] = true;
        let c = &candidates[*k];
        out[*i] = LineMatch {
            po_line: *i,
            quote_line_id: Some(c.quote_line_id),
            quote_number: Some(c.quote_number.clone()),
            confidence: p.score,
            reasons_fr: p.reasons.clone(),
            quantity_differs: p.quantity.clone(),
            price_differs: p.price.clone(),
            revision_differs: p.revision.clone(),
        };
    }
    for m in &mut out {
        if let Some((s, k)) = seconds.get(&m.po_line)
            && m.quote_line_id.is_some()
            && m.confidence - s < 0.05
        {
            let c = &candidates[*k];
            m.confidence *= 0.8;
            m.reasons_fr.push(format!(
                "Ambigu : la ligne du devis {} ({}) convient aussi",
                c.quote_number,
                c.drawing_number.as_deref().unwrap_or("sans plan")
            ));
        }
        if m.quote_line_id.is_none() {
            let r = po.lines[m.po_line]
                .reference
                .as_ref()
                .map(|f| f.value.as_str())
                .unwrap_or("(sans référence)");
            m.reasons_fr.push(format!(
                "Aucune ligne de devis ne correspond à la référence {r}"
            ));
        }
    }
    out
}

/// The quote the PO answers, with the line matches against that quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteChoice {
    pub quote_number: String,
    pub confidence: f32,
    pub matches: Vec<LineMatch>,
    pub reasons_fr: Vec<String>,
    /// Other quotes that fit as well: a person chooses.
    pub ambiguous_with: Vec<String>,
}

/// No quote for this PO.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum PoMatchError {
    #[error("no candidate quote")]
    NoCandidate { po_number: Option<String> },
    #[error("no quote matches the purchase order")]
    NoMatchingQuote {
        po_number: Option<String>,
        quote_reference: Option<String>,
    },
}

impl PoMatchError {
    /// Message for the user, in French.
    pub fn message_fr(&self) -> String {
        let po = |n: &Option<String>| {
            n.as_ref()
                .map(|n| format!("Le bon de commande n° {n}"))
                .unwrap_or_else(|| "Le bon de commande".into())
        };
        match self {
            Self::NoCandidate { po_number } => format!(
                "{} ne correspond à aucun devis : ce client n'a aucun devis en cours. Créez le devis ou saisissez la commande à la main.",
                po(po_number)
            ),
            Self::NoMatchingQuote {
                po_number,
                quote_reference,
            } => format!(
                "{} ne correspond à aucun devis : aucune de ses lignes ne reprend un plan ou une désignation des devis du client{}. Vérifiez le client, ou saisissez la commande à la main.",
                po(po_number),
                quote_reference
                    .as_ref()
                    .map(|q| format!(" (devis cité : {q}, introuvable)"))
                    .unwrap_or_default()
            ),
        }
    }
}

/// How the PO's quote reference names this quote number: 2 exactly ("DV-2026-0001",
/// "DV 2026 1", "DV-2026-0001-2" for a revision), 1 within one OCR slip ("DV-26026-0001"),
/// 0 not at all.
fn cite_strength(reference: &str, quote_number: &str) -> u8 {
    let (a, b) = (reference_key(reference), reference_key(quote_number));
    if b.is_empty() {
        0
    } else if a == b
        || loose_key(reference) == loose_key(quote_number)
        || (a.starts_with(&b) && a.len() <= b.len() + 3)
    {
        2
    } else if b.len() >= 8 && levenshtein(&ocr_fold(&a), &ocr_fold(&b)) <= 1 {
        1
    } else {
        0
    }
}

/// Picks the quote among several: the quote cited on the PO wins; else the quote with the most
/// matched lines (then the highest total confidence). Equal candidates are reported in
/// `ambiguous_with`. No candidate, or no line matching any quote → [`PoMatchError`].
pub fn best_quote(
    po: &PurchaseOrder,
    candidates: &[QuoteLineRef],
) -> Result<QuoteChoice, PoMatchError> {
    let po_number = po.po_number.as_ref().map(|f| f.value.clone());
    if candidates.is_empty() {
        return Err(PoMatchError::NoCandidate { po_number });
    }
    let mut by_quote: BTreeMap<&str, Vec<QuoteLineRef>> = BTreeMap::new();
    for c in candidates {
        by_quote
            .entry(c.quote_number.as_str())
            .or_default()
            .push(c.clone());
    }
    struct Eval {
        number: String,
        matches: Vec<LineMatch>,
        matched: usize,
        sum: f32,
    }
    let evals: Vec<Eval> = by_quote
        .iter()
        .map(|(n, lines)| {
            let matches = match_lines(po, lines);
            let matched = matches.iter().filter(|m| m.quote_line_id.is_some()).count();
            let sum = matches.iter().map(|m| m.confidence).sum();
            Eval {
                number: (*n).to_string(),
                matches,
                matched,
                sum,
            }
        })
        .collect();
    let n_lines = po.lines.len().max(1) as f32;
    let quality = |e: &Eval| e.sum / n_lines;
    let cited = po.quote_reference.as_ref();
    let mut reasons = Vec::new();
    // The quote cited: named exactly, else the only one within one OCR slip.
    let cited_eval = cited.and_then(|q| {
        let strong: Vec<&Eval> = evals
            .iter()
            .filter(|e| cite_strength(&q.value, &e.number) == 2)
            .collect();
        let weak: Vec<&Eval> = evals
            .iter()
            .filter(|e| cite_strength(&q.value, &e.number) == 1)
            .collect();
        strong
            .first()
            .copied()
            .or_else(|| (weak.len() == 1).then(|| weak[0]))
    });
    if let Some(q) = cited
        && let Some(e) = cited_eval
    {
        reasons.push(format!("Devis cité sur le bon de commande : {}", e.number));
        let mut ambiguous = Vec::new();
        let mut confidence = 0.6 + 0.4 * q.confidence;
        if e.matched == 0 {
            confidence *= 0.6;
            if let Some(o) = evals
                .iter()
                .filter(|o| o.matched > 0)
                .max_by(|a, b| a.matched.cmp(&b.matched).then(a.sum.total_cmp(&b.sum)))
            {
                reasons.push(format!(
                    "Aucune ligne ne correspond au devis cité, mais {} ligne(s) correspondent au devis {} : à vérifier",
                    o.matched, o.number
                ));
                ambiguous.push(o.number.clone());
            }
        } else {
            reasons.push(format!(
                "{} ligne(s) sur {} rapprochée(s)",
                e.matched,
                po.lines.len()
            ));
        }
        return Ok(QuoteChoice {
            quote_number: e.number.clone(),
            confidence: confidence.clamp(0.0, 1.0),
            matches: e.matches.clone(),
            reasons_fr: reasons,
            ambiguous_with: ambiguous,
        });
    }
    if let Some(q) = cited {
        reasons.push(format!(
            "Le devis cité ({}) n'est pas parmi les devis du client : choix sur les lignes",
            q.value
        ));
    }
    let best = evals
        .iter()
        .max_by(|a, b| {
            a.matched
                .cmp(&b.matched)
                .then(a.sum.total_cmp(&b.sum))
                // Deterministic: the first quote number wins a perfect tie.
                .then(b.number.cmp(&a.number))
        })
        .filter(|e| e.matched > 0);
    let Some(best) = best else {
        return Err(PoMatchError::NoMatchingQuote {
            po_number,
            quote_reference: cited.map(|q| q.value.clone()),
        });
    };
    let ambiguous: Vec<String> = evals
        .iter()
        .filter(|e| {
            e.number != best.number
                && e.matched == best.matched
                && (quality(e) - quality(best)).abs() < 0.05
        })
        .map(|e| e.number.clone())
        .collect();
    reasons.push(format!(
        "{} ligne(s) sur {} rapprochée(s) avec le devis {}",
        best.matched,
        po.lines.len(),
        best.number
    ));
    let mut confidence = quality(best);
    if !ambiguous.is_empty() {
        confidence *= 0.6;
        reasons.push(format!(
            "Ambigu : le(s) devis {} convien(nen)t aussi bien, choisir",
            ambiguous.join(", ")
        ));
    }
    Ok(QuoteChoice {
        quote_number: best.number.clone(),
        confidence: confidence.clamp(0.0, 1.0),
        matches: best.matches.clone(),
        reasons_fr: reasons,
        ambiguous_with: ambiguous,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BBox, Found};
    use crate::po::{LineLayout, PoLine};

    fn f<T>(v: T) -> Option<Found<T>> {
        Some(Found {
            value: v,
            confidence: 1.0,
            page: 1,
            bbox: BBox::default(),
        })
    }

    fn line(r: &str, rev: Option<&str>, des: &str, q: u32, pu: &str) -> PoLine {
        PoLine {
            position: 1,
            reference: (!r.is_empty()).then(|| r.to_string()).and_then(f),
            revision: rev.map(str::to_string).and_then(f),
            designation: f(des.to_string()),
            quantity: f(q),
            unit_price: f(pu.parse::<Decimal>().unwrap()),
            line_total: None,
            requested_date: None,
            confidence: 1.0,
            warnings_fr: vec![],
        }
    }

    fn po(lines: Vec<PoLine>, quote: Option<&str>) -> PurchaseOrder {
        PurchaseOrder {
            po_number: f("BC-2026-0456".into()),
            po_date: None,
            buyer: None,
            currency: None,
            quote_reference: quote.map(str::to_string).and_then(f),
            lines,
            total_ht: None,
            text_source: None,
            pages: 1,
            layout: LineLayout::Table,
            warnings_fr: vec![],
        }
    }

    fn ql(id: i64, quote: &str, dn: &str, rev: &str, name: &str, q: u32, pu: &str) -> QuoteLineRef {
        QuoteLineRef {
            quote_line_id: id,
            quote_number: quote.into(),
            drawing_number: Some(dn.into()),
            drawing_revision: Some(rev.into()),
            part_name: Some(name.into()),
            quantity: Some(q),
            unit_price: Some(pu.parse().unwrap()),
            breaks: vec![],
        }
    }

    #[test]
    fn reference_normalisation() {
        assert_eq!(reference_score("AFZ-24-0117", "AFZ-24-0117").0, 1.0);
        assert_eq!(reference_score("afz 24 0117", "AFZ-24-0117").0, 0.97);
        assert_eq!(reference_score("AFZ-24-117", "AFZ-24-0117").0, 0.93);
        assert_eq!(reference_score("AFZ-24-O117", "AFZ-24-0117").0, 0.85);
        assert_eq!(reference_score("AFZ-24-0117-B", "AFZ-24-0117").0, 0.75);
        assert_eq!(reference_score("AFZ-24-0118", "AFZ-24-0117").0, 0.55);
        assert_eq!(reference_score("PL-4471", "AFZ-24-0117").0, 0.0);
        assert_eq!(reference_score("", "AFZ").0, 0.0);
        assert_eq!(loose_key("D25-0042"), "D2542");
        assert_eq!(revision_key("ind. B"), "B");
        assert_eq!(revision_key("02"), "2");
        assert_eq!(revision_key("Rev 2"), "2");
        assert!(designation_similarity("Arbre de transmission", "ARBRE TRANSMISSION") > 0.9);
        assert!(designation_similarity("Bride", "Arbre de transmission") < 0.3);
        assert_eq!(euros_fr(Decimal::new(123450, 2)), "1\u{202f}234,50 €");
        assert_eq!(euros_fr(Decimal::new(4640, 2)), "46,40 €");
    }

    #[test]
    fn exact_match_with_equal_quantity_and_price() {
        let p = po(
            vec![line(
                "AFZ-24-0117",
                Some("B"),
                "Arbre de transmission",
                10,
                "46.40",
            )],
            None,
        );
        let q = [
            ql(
                7,
                "DV-2026-0001",
                "AFZ-24-0117",
                "B",
                "Arbre de transmission",
                10,
                "46.40",
            ),
            ql(
                8,
                "DV-2026-0001",
                "AGV-25-0043",
                "C",
                "Bride 316L",
                10,
                "89.90",
            ),
        ];
        let m = match_lines(&p, &q);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].quote_line_id, Some(7));
        assert!(m[0].confidence > 0.99, "{}", m[0].confidence);
        assert!(m[0].quantity_differs.is_none() && m[0].price_differs.is_none());
        assert!(!m[0].needs_review());
    }

    #[test]
    fn quantity_difference_is_flagged() {
        let p = po(
            vec![line("AFZ-24-0117", Some("B"), "Arbre", 25, "46.40")],
            None,
        );
        let q = [ql(
            7,
            "DV-2026-0001",
            "AFZ-24-0117",
            "B",
            "Arbre de transmission",
            10,
            "46.40",
        )];
        let m = &match_lines(&p, &q)[0];
        assert_eq!(m.quote_line_id, Some(7));
        assert_eq!(m.quantity_differs, Some(Diff { po: 25, quote: 10 }));
        assert!(m.price_differs.is_none());
        assert!(m.needs_review());
        assert!(
            m.reasons_fr
                .iter()
                .any(|r| r == "Quantité différente : commande 25, devis 10")
        );
    }

    #[test]
    fn price_difference_is_flagged_with_both_values() {
        let p = po(
            vec![line("AFZ-24-0117", Some("B"), "Arbre", 10, "44.00")],
            None,
        );
        let q = [ql(
            7,
            "DV-2026-0001",
            "AFZ-24-0117",
            "B",
            "Arbre",
            10,
            "46.40",
        )];
        let m = &match_lines(&p, &q)[0];
        assert_eq!(
            m.price_differs,
            Some(Diff {
                po: "44.00".parse().unwrap(),
                quote: "46.40".parse().unwrap()
            })
        );
        // (44.00 − 46.40) / 46.40 = −5.17 % → "-5,2 %"
        assert!(
            m.reasons_fr
                .iter()
                .any(|r| r == "Prix unitaire différent : commande 44,00 €, devis 46,40 € (-5,2 %)"),
            "{:?}",
            m.reasons_fr
        );
    }

    #[test]
    fn other_quantity_break_is_compared_with_its_own_price() {
        let p = po(
            vec![line("AFZ-24-0117", Some("B"), "Arbre", 100, "21.70")],
            None,
        );
        let mut c = ql(7, "DV-2026-0001", "AFZ-24-0117", "B", "Arbre", 10, "46.40");
        c.breaks = vec![
            QuoteBreakRef {
                quantity: 10,
                unit_price: "46.40".parse().unwrap(),
            },
            QuoteBreakRef {
                quantity: 100,
                unit_price: "21.70".parse().unwrap(),
            },
        ];
        let m = &match_lines(&p, &[c])[0];
        assert_eq!(m.quantity_differs, Some(Diff { po: 100, quote: 10 }));
        assert!(m.price_differs.is_none(), "{:?}", m.reasons_fr);
    }

    #[test]
    fn revision_difference_is_flagged() {
        let p = po(
            vec![line("AFZ-24-0117", Some("C"), "Arbre", 10, "46.40")],
            None,
        );
        let q = [ql(
            7,
            "DV-2026-0001",
            "AFZ-24-0117",
            "B",
            "Arbre",
            10,
            "46.40",
        )];
        let m = &match_lines(&p, &q)[0];
        assert_eq!(
            m.revision_differs,
            Some(Diff {
                po: "C".into(),
                quote: "B".into()
            })
        );
        let same = po(
            vec![line("AFZ-24-0117", Some("ind. B"), "Arbre", 10, "46.40")],
            None,
        );
        assert!(match_lines(&same, &q)[0].revision_differs.is_none());
    }

    #[test]
    fn nothing_matches() {
        let p = po(
            vec![line("XYZ-999", None, "Pignon conique", 5, "12.00")],
            None,
        );
        let m = match_lines(&p, &[]);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].quote_line_id, None);
        assert_eq!(m[0].confidence, 0.0);
        let q = [ql(
            7,
            "DV-2026-0001",
            "AFZ-24-0117",
            "B",
            "Arbre de transmission",
            10,
            "46.40",
        )];
        let m = match_lines(&p, &q);
        assert_eq!(m[0].quote_line_id, None);
        assert_eq!(m[0].confidence, 0.0);
        let e = best_quote(&p, &q).unwrap_err();
        assert!(matches!(e, PoMatchError::NoMatchingQuote { .. }));
        assert_eq!(
            e.message_fr(),
            "Le bon de commande n° BC-2026-0456 ne correspond à aucun devis : aucune de ses lignes ne reprend un plan ou une désignation des devis du client. Vérifiez le client, ou saisissez la commande à la main."
        );
        let e = best_quote(&p, &[]).unwrap_err();
        assert!(e.message_fr().contains("aucun devis en cours"));
    }

    #[test]
    fn designation_only_is_weak() {
        let p = po(
            vec![line("", None, "Arbre de transmission", 10, "46.40")],
            None,
        );
        let q = [ql(
            7,
            "DV-2026-0001",
            "AFZ-24-0117",
            "B",
            "Arbre de transmission",
            10,
            "46.40",
        )];
        let m = &match_lines(&p, &q)[0];
        assert_eq!(m.quote_line_id, Some(7));
        assert!(m.confidence < 0.8 && m.confidence > 0.5, "{}", m.confidence);
        assert!(m.needs_review());
    }

    #[test]
    fn one_to_one_assignment() {
        // Two PO lines, same drawing: only one gets the quote line.
        let p = po(
            vec![
                line("AFZ-24-0117", Some("B"), "Arbre", 10, "46.40"),
                line("AFZ-24-0117", Some("B"), "Arbre", 5, "50.00"),
            ],
            None,
        );
        let q = [ql(
            7,
            "DV-2026-0001",
            "AFZ-24-0117",
            "B",
            "Arbre",
            10,
            "46.40",
        )];
        let m = match_lines(&p, &q);
        assert_eq!(m[0].quote_line_id, Some(7));
        assert_eq!(m[1].quote_line_id, None);
    }

    #[test]
    fn two_quotes_cited_reference_wins_else_lines_decide() {
        let lines = vec![
            line("AFZ-24-0117", Some("B"), "Arbre", 10, "46.40"),
            line("AGV-25-0043", Some("C"), "Bride", 10, "89.90"),
        ];
        let q = [
            ql(1, "DV-2026-0001", "AFZ-24-0117", "B", "Arbre", 10, "46.40"),
            ql(2, "DV-2026-0001", "AGV-25-0043", "C", "Bride", 10, "89.90"),
            ql(3, "DV-2026-0002", "AFZ-24-0117", "B", "Arbre", 10, "46.40"),
            ql(4, "DV-2026-0002", "AGV-25-0043", "C", "Bride", 10, "89.90"),
            ql(5, "DV-2026-0003", "AFZ-24-0117", "B", "Arbre", 100, "21.70"),
        ];
        // Cited: that quote wins, even written loosely.
        let c = best_quote(&po(lines.clone(), Some("DV 2026-2")), &q).unwrap();
        assert_eq!(c.quote_number, "DV-2026-0002");
        assert!(c.ambiguous_with.is_empty());
        assert_eq!(c.matches[0].quote_line_id, Some(3));
        assert!(c.confidence > 0.9);
        // Not cited: two identical quotes are ambiguous; the partial third one is not.
        let c = best_quote(&po(lines.clone(), None), &q).unwrap();
        assert_eq!(c.quote_number, "DV-2026-0001");
        assert_eq!(c.ambiguous_with, vec!["DV-2026-0002".to_string()]);
        assert!(c.confidence < 0.7);
        // Without the twin, the complete quote beats the one matching one line.
        let c = best_quote(
            &po(lines.clone(), None),
            &[q[0].clone(), q[1].clone(), q[4].clone()],
        )
        .unwrap();
        assert_eq!(c.quote_number, "DV-2026-0001");
        assert!(c.ambiguous_with.is_empty());
        assert!(c.confidence > 0.9, "{}", c.confidence);
        // One OCR slip in the cited number still names the quote.
        let c = best_quote(&po(lines.clone(), Some("DV-20226-0002")), &q).unwrap();
        assert_eq!(c.quote_number, "DV-2026-0002");
        // A cited quote that is not a candidate: lines decide, and it is said.
        let c = best_quote(
            &po(lines, Some("DV-2025-0999")),
            &[q[0].clone(), q[1].clone()],
        )
        .unwrap();
        assert_eq!(c.quote_number, "DV-2026-0001");
        assert!(c.reasons_fr[0].contains("DV-2025-0999"));
    }
}
