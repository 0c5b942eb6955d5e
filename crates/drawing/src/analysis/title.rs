//! Title block (cartouche): labels in French or English found on rows, value taken by geometry —
//! right of the label on the same line (after an optional colon), else below it in the same
//! cell. OCR noise is tolerated in labels (accents lost, one wrong letter, `N°` read as `No`/`N*`).

use super::text::{Row, key, levenshtein};
use crate::model::{BBox, Word};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    DrawingNumber,
    Revision,
    PartName,
    Material,
    HeatTreatment,
    SurfaceTreatment,
    /// "Traitement"/"Treatment" alone: the value decides heat vs surface.
    Treatment,
    Customer,
    Scale,
    Date,
    Quantity,
    GeneralTolerance,
    /// Known title-block labels we do not read (drawn by, sheet, mass…): they stop values.
    Other,
}

/// Labels as comparison keys (see [`key`]), longest first at match time.
const LABELS: &[(Field, &str)] = &[
    (Field::DrawingNumber, "no plan"),
    (Field::DrawingNumber, "n plan"),
    (Field::DrawingNumber, "no de plan"),
    (Field::DrawingNumber, "n de plan"),
    (Field::DrawingNumber, "numero de plan"),
    (Field::DrawingNumber, "numero plan"),
    (Field::DrawingNumber, "plan no"),
    (Field::DrawingNumber, "plan n"),
    (Field::DrawingNumber, "ref plan"),
    (Field::DrawingNumber, "reference plan"),
    (Field::DrawingNumber, "drawing no"),
    (Field::DrawingNumber, "drawing n"),
    (Field::DrawingNumber, "drawing number"),
    (Field::DrawingNumber, "dwg no"),
    (Field::DrawingNumber, "dwg n"),
    (Field::DrawingNumber, "dwg number"),
    (Field::Revision, "indice"),
    (Field::Revision, "ind"),
    (Field::Revision, "rev"),
    (Field::Revision, "revision"),
    (Field::PartName, "designation"),
    (Field::PartName, "denomination"),
    (Field::PartName, "title"),
    (Field::PartName, "part name"),
    (Field::PartName, "description"),
    (Field::PartName, "nom de la piece"),
    (Field::Material, "matiere"),
    (Field::Material, "materiau"),
    (Field::Material, "material"),
    (Field::Material, "matl"),
    (Field::HeatTreatment, "traitement thermique"),
    (Field::HeatTreatment, "trait thermique"),
    (Field::HeatTreatment, "heat treatment"),
    (Field::HeatTreatment, "tth"),
    (Field::SurfaceTreatment, "traitement de surface"),
    (Field::SurfaceTreatment, "traitement surface"),
    (Field::SurfaceTreatment, "surface treatment"),
    (Field::SurfaceTreatment, "finition"),
    (Field::SurfaceTreatment, "revetement"),
    (Field::SurfaceTreatment, "coating"),
    (Field::SurfaceTreatment, "finish"),
    (Field::Treatment, "traitement"),
    (Field::Treatment, "traitements"),
    (Field::Treatment, "treatment"),
    (Field::Treatment, "treatments"),
    (Field::Customer, "client"),
    (Field::Customer, "customer"),
    (Field::Customer, "donneur d ordre"),
    (Field::Scale, "echelle"),
    (Field::Scale, "ech"),
    (Field::Scale, "scale"),
    (Field::Date, "date"),
    (Field::Quantity, "qte"),
    (Field::Quantity, "quantite"),
    (Field::Quantity, "qty"),
    (Field::Quantity, "quantity"),
    (Field::Quantity, "nb pieces"),
    (Field::GeneralTolerance, "tolerances generales"),
    (Field::GeneralTolerance, "tolerance generale"),
    (Field::GeneralTolerance, "general tolerances"),
    (Field::GeneralTolerance, "general tolerance"),
    (Field::GeneralTolerance, "tol generales"),
    (Field::Other, "dessine par"),
    (Field::Other, "dessine"),
    (Field::Other, "drawn by"),
    (Field::Other, "drawn"),
    (Field::Other, "verifie par"),
    (Field::Other, "verifie"),
    (Field::Other, "checked by"),
    (Field::Other, "checked"),
    (Field::Other, "approuve"),
    (Field::Other, "approved"),
    (Field::Other, "format"),
    (Field::Other, "size"),
    (Field::Other, "feuille"),
    (Field::Other, "sheet"),
    (Field::Other, "masse"),
    (Field::Other, "mass"),
    (Field::Other, "weight"),
    (Field::Other, "projection"),
    (Field::Other, "societe"),
    (Field::Other, "company"),
];

/// Token key of one word: `key` plus OCR fixes for "N°" and a trailing colon.
fn token_key(text: &str) -> String {
    let k = key(text);
    let t = text.trim();
    // N°, Nº, No., N*, N? → "no"
    let lower = t.to_lowercase();
    if lower.starts_with('n')
        && t.chars().count() <= 3
        && (lower.contains('°')
            || lower.contains('º')
            || lower.contains('*')
            || lower == "no."
            || lower == "no"
            || lower == "n"
            || lower == "n?")
    {
        return "no".into();
    }
    k
}

fn token_eq(word: &str, label: &str) -> bool {
    if word == label {
        return true;
    }
    let n = label.chars().count();
    (n >= 5 && levenshtein(word, label) <= 1) || (n >= 9 && levenshtein(word, label) <= 2)
}

/// A label found on a row: words `start..end` of the row.
#[derive(Debug, Clone)]
pub struct LabelHit {
    pub field: Field,
    pub row: usize,
    pub start: usize,
    pub end: usize,
    pub bbox: BBox,
    pub conf: f32,
}

/// All labels on all rows, longest label first where several overlap.
pub fn find_labels(rows: &[Row]) -> Vec<LabelHit> {
    let mut sorted: Vec<&(Field, &str)> = LABELS.iter().collect();
    sorted.sort_by_key(|(_, l)| std::cmp::Reverse(l.split(' ').count() * 100 + l.len()));
    let mut hits = Vec::new();
    for (ri, row) in rows.iter().enumerate() {
        let keys: Vec<String> = row.words.iter().map(|w| token_key(&w.text)).collect();
        // Words may hold several tokens ("N°plan:"); split them to tokens with word index.
        let mut toks: Vec<(String, usize)> = Vec::new();
        for (wi, k) in keys.iter().enumerate() {
            for t in k.split(' ').filter(|t| !t.is_empty()) {
                toks.push((if t == "n" { "no".into() } else { t.to_string() }, wi));
            }
            if k.is_empty() && token_key(&row.words[wi].text) == "no" {
                toks.push(("no".into(), wi));
            }
        }
        let mut used = vec![false; toks.len()];
        let mut i = 0;
        while i < toks.len() {
            let mut matched = false;
            for (field, label) in &sorted {
                let parts: Vec<&str> = label.split(' ').collect();
                if i + parts.len() > toks.len() || used[i..i + parts.len()].iter().any(|u| *u) {
                    continue;
                }
                if parts
                    .iter()
                    .zip(&toks[i..i + parts.len()])
                    .all(|(l, (t, _))| token_eq(t, l))
                {
                    // A label is the start of its word group: the word before must not be
                    // glued to it (e.g. "Matières premières" inside a sentence is fine).
                    let ws = toks[i].1;
                    let we = toks[i + parts.len() - 1].1 + 1;
                    // Very short labels ("ind", "ech", "rev", "tth") only when they are a whole word.
                    let whole = row.words[ws..we]
                        .iter()
                        .map(|w| key(&w.text).replace(' ', ""))
                        .collect::<String>()
                        .len()
                        <= label.replace(' ', "").len() + 3;
                    if !whole {
                        continue;
                    }
                    let bbox = row.words[ws..we]
                        .iter()
                        .skip(1)
                        .fold(row.words[ws].bbox, |a, w| a.union(&w.bbox));
                    let conf =
                        row.words[ws..we].iter().map(|w| w.conf).sum::<f32>() / (we - ws) as f32;
                    hits.push(LabelHit {
                        field: *field,
                        row: ri,
                        start: ws,
                        end: we,
                        bbox,
                        conf,
                    });
                    for u in &mut used[i..i + parts.len()] {
                        *u = true;
                    }
                    i += parts.len();
                    matched = true;
                    break;
                }
            }
            if !matched {
                i += 1;
            }
        }
    }
    merge_wrapped_labels(rows, &mut hits, &sorted);
    hits
}

/// Labels wrapped on two lines in a narrow cell ("Traitement" / "thermique"): the first
/// word(s) on one row, the rest just below, left-aligned.
fn merge_wrapped_labels(rows: &[Row], hits: &mut Vec<LabelHit>, sorted: &[&(Field, &str)]) {
    let used = |hits: &Vec<LabelHit>, ri: usize, wi: usize| {
        hits.iter()
            .any(|l| l.row == ri && wi >= l.start && wi < l.end)
    };
    let mut extra: Vec<LabelHit> = Vec::new();
    for (ri, row) in rows.iter().enumerate() {
        let h = row.h.max(1e-4);
        for wi in 0..row.words.len() {
            if used(hits, ri, wi) || used(&extra, ri, wi) {
                continue;
            }
            let w = &row.words[wi];
            // Row just below with a word starting at the same x.
            let Some((rj, wj)) = rows.iter().enumerate().find_map(|(rj, r)| {
                if r.page != row.page || rj == ri {
                    return None;
                }
                let dy = r.bbox.y0 - row.bbox.y1;
                if !(-0.2 * h..=0.9 * h).contains(&dy) {
                    return None;
                }
                let wj = r
                    .words
                    .iter()
                    .position(|x| (x.bbox.x0 - w.bbox.x0).abs() < h)?;
                Some((rj, wj))
            }) else {
                continue;
            };
            if used(hits, rj, wj) {
                continue;
            }
            let below = &rows[rj];
            for (field, label) in sorted {
                let parts: Vec<&str> = label.split(' ').collect();
                if parts.len() < 2 {
                    continue;
                }
                for k in 1..parts.len() {
                    let (top, bottom) = parts.split_at(k);
                    if wi + top.len() > row.words.len() || wj + bottom.len() > below.words.len() {
                        continue;
                    }
                    let top_ok = top
                        .iter()
                        .zip(&row.words[wi..wi + top.len()])
                        .all(|(l, w)| token_eq(&token_key(&w.text), l));
                    let bottom_ok = bottom
                        .iter()
                        .zip(&below.words[wj..wj + bottom.len()])
                        .all(|(l, w)| token_eq(&token_key(&w.text), l));
                    if top_ok && bottom_ok {
                        let bbox = row.words[wi..wi + top.len()]
                            .iter()
                            .chain(&below.words[wj..wj + bottom.len()])
                            .fold(w.bbox, |a, x| a.union(&x.bbox));
                        extra.push(LabelHit {
                            field: *field,
                            row: ri,
                            start: wi,
                            end: wi + top.len(),
                            bbox,
                            conf: w.conf,
                        });
                        extra.push(LabelHit {
                            field: Field::Other,
                            row: rj,
                            start: wj,
                            end: wj + bottom.len(),
                            bbox,
                            conf: w.conf,
                        });
                    }
                }
            }
        }
    }
    // A merged label replaces single-row hits on the same words (e.g. "Traitement" alone).
    for e in &extra {
        hits.retain(|l| !(l.row == e.row && l.start < e.end && e.start < l.end));
    }
    // Keep only the first (longest) merged label per word.
    let mut seen: Vec<(usize, usize)> = Vec::new();
    for e in extra {
        if !seen.contains(&(e.row, e.start)) {
            seen.push((e.row, e.start));
            hits.push(e);
        }
    }
}

/// Value candidate for a label: words, box, mean confidence, and whether it was below.
#[derive(Debug, Clone)]
pub struct ValueHit {
    pub text: String,
    pub bbox: BBox,
    pub conf: f32,
    pub below: bool,
}

fn is_sep(w: &Word) -> bool {
    let t = w.text.trim();
    t.chars()
        .all(|c| matches!(c, ':' | '.' | '-' | '|' | '=' | '_' | ';'))
        && !t.is_empty()
}

fn join(words: &[&Word]) -> Option<ValueHit> {
    let words: Vec<&&Word> = words.iter().filter(|w| !is_sep(w)).collect();
    let first = words.first()?;
    let mut text = String::new();
    let mut bbox = first.bbox;
    let mut conf = 0.0;
    for w in &words {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(w.text.trim_start_matches(':').trim());
        bbox = bbox.union(&w.bbox);
        conf += w.conf;
    }
    let text = text
        .trim()
        .trim_matches(|c| c == ':' || c == '|')
        .trim()
        .to_string();
    (!text.is_empty()).then(|| ValueHit {
        text,
        bbox,
        conf: conf / words.len() as f32,
        below: false,
    })
}

/// Value of `label`: right on the same row up to the next label or a wide gap; else the row
/// just below, starting under the label.
pub fn value_of(rows: &[Row], labels: &[LabelHit], label: &LabelHit) -> Option<ValueHit> {
    let row = &rows[label.row];
    let h = row.h.max(1e-4);
    let is_label_word = |ri: usize, wi: usize| {
        labels
            .iter()
            .any(|l| l.row == ri && wi >= l.start && wi < l.end)
    };
    // The label word itself may carry the value after a colon: "Matière:C45".
    let last = &row.words[label.end - 1];
    let mut right: Vec<Word> = Vec::new();
    if let Some((_, after)) = last.text.split_once(':')
        && !after.trim().is_empty()
    {
        right.push(Word {
            text: after.trim().to_string(),
            ..last.clone()
        });
    }
    // Words right of the label on the rows whose centre lies within the label's height,
    // ± one line (a value wrapped on two lines is centred on its label), top to bottom.
    let mut side_rows: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.page == row.page
                && r.bbox.cy() >= label.bbox.y0 - 0.9 * h
                && r.bbox.cy() <= label.bbox.y1 + 0.9 * h
        })
        .map(|(ri, _)| ri)
        .collect();
    side_rows.sort_by(|a, b| rows[*a].bbox.cy().total_cmp(&rows[*b].bbox.cy()));
    let colon0 = last.text.trim_end().ends_with(':');
    // Labels right of ours on its row: a word under one of them belongs to that cell.
    let other_labels: Vec<BBox> = (label.end..row.words.len())
        .filter(|&wi| is_label_word(label.row, wi))
        .map(|wi| row.words[wi].bbox)
        .collect();
    for ri in side_rows {
        let r = &rows[ri];
        let mut prev_x1 = label.bbox.x1;
        let mut colon = colon0;
        let mut got: Vec<Word> = Vec::new();
        for (wi, w) in r.words.iter().enumerate() {
            if w.bbox.x0 < label.bbox.x1 - 0.1 * h || (ri == label.row && wi < label.end) {
                continue;
            }
            if is_label_word(ri, wi)
                || (ri != label.row
                    && other_labels
                        .iter()
                        .any(|b| w.bbox.x0 < b.x1 + h && w.bbox.x1 > b.x0 - h))
            {
                break;
            }
            let gap = w.bbox.x0 - prev_x1;
            let limit = if got.is_empty() {
                if colon { 6.0 * h } else { 12.0 * h }
            } else {
                2.2 * h
            };
            if gap > limit {
                break;
            }
            if is_sep(w) {
                colon = true;
                prev_x1 = w.bbox.x1;
                continue;
            }
            got.push(w.clone());
            prev_x1 = w.bbox.x1;
        }
        // Rows other than the label's own only count when they start near the first
        // value's left edge (same cell).
        if ri != label.row
            && let (Some(first), Some(g)) = (right.first(), got.first())
            && (g.bbox.x0 - first.bbox.x0).abs() > 1.5 * h
        {
            continue;
        }
        right.extend(got);
    }
    let right: Vec<&Word> = right.iter().collect();
    // The cell ends where the next label of the label's row starts (stacked layouts).
    let limit_x = (label.end..row.words.len())
        .find(|&wi| is_label_word(label.row, wi))
        .map(|wi| row.words[wi].bbox.x0 - 0.3 * h)
        .unwrap_or(f32::MAX);
    let (value_row, words): (usize, Vec<&Word>) = if !right.is_empty() {
        (label.row, right)
    } else {
        // Below: nearest row under the label, overlapping it horizontally.
        let mut best: Option<(usize, f32)> = None;
        for (ri, r) in rows.iter().enumerate() {
            if r.page != row.page || ri == label.row {
                continue;
            }
            let dy = r.bbox.y0 - label.bbox.y1;
            if dy < -0.3 * h || dy > 2.2 * h.max(r.h) {
                continue;
            }
            let overlaps = r.words.iter().any(|w| {
                w.bbox.x0 > label.bbox.x0 - 1.5 * h
                    && w.bbox.x0 < (label.bbox.x1 + 3.0 * h).min(limit_x)
            });
            if overlaps && best.is_none_or(|(_, d)| dy < d) {
                best = Some((ri, dy));
            }
        }
        let (ri, _) = best?;
        let r = &rows[ri];
        let start = r.words.iter().position(|w| {
            w.bbox.x0 > label.bbox.x0 - 1.5 * h
                && w.bbox.x0 < (label.bbox.x1 + 3.0 * h).min(limit_x)
        })?;
        if is_label_word(ri, start) {
            return None;
        }
        let mut below: Vec<&Word> = vec![&r.words[start]];
        let mut prev_x1 = r.words[start].bbox.x1;
        for wi in start + 1..r.words.len() {
            let w = &r.words[wi];
            if is_label_word(ri, wi) || w.bbox.x0 - prev_x1 > 2.2 * r.h || w.bbox.x0 >= limit_x {
                break;
            }
            below.push(w);
            prev_x1 = w.bbox.x1;
        }
        (ri, below)
    };
    let mut value = join(&words)?;
    value.below = value_row != label.row;
    // Continuation lines of a value wrapped in its cell.
    let left = label.bbox.x0.min(value.bbox.x0) - h;
    let mut last_row = value_row;
    let mut last_y1 = value.bbox.y1;
    for _ in 0..2 {
        let lh = rows[last_row].h.max(1e-4);
        let next = rows.iter().enumerate().find(|(ri, r)| {
            *ri != last_row
                && r.page == row.page
                && r.bbox.y0 > last_y1 - 0.3 * lh
                && r.bbox.y0 - last_y1 < 0.9 * lh
                && r.words
                    .iter()
                    .any(|w| w.bbox.x0 >= left && w.bbox.x0 < value.bbox.x1)
        });
        let Some((ri, r)) = next else { break };
        let cont: Vec<(usize, &Word)> = r
            .words
            .iter()
            .enumerate()
            .filter(|(_, w)| {
                w.bbox.x0 >= left && w.bbox.x1 <= limit_x.max(value.bbox.x1 + 2.0 * lh)
            })
            .collect();
        if cont.is_empty() || cont.iter().any(|(wi, _)| is_label_word(ri, *wi)) {
            break;
        }
        // Only words contiguous from the left edge of the cell.
        let mut taken: Vec<&Word> = vec![cont[0].1];
        for pair in cont.windows(2) {
            if pair[1].1.bbox.x0 - pair[0].1.bbox.x1 > 2.2 * r.h {
                break;
            }
            taken.push(pair[1].1);
        }
        let Some(more) = join(&taken) else { break };
        value.text.push(' ');
        value.text.push_str(&more.text);
        value.bbox = value.bbox.union(&more.bbox);
        value.conf = value.conf.min(more.conf);
        last_row = ri;
        last_y1 = more.bbox.y1;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::text::rows;
    use crate::model::{PageText, TextSource};

    pub fn page(words: &[(&str, f32, f32)]) -> PageText {
        // (text, x0, y0) with a 0.01 × 0.012 box per character.
        PageText {
            number: 1,
            width: 1.0,
            height: 1.0,
            source: TextSource::Vector,
            deskew_degrees: None,
            words: words
                .iter()
                .map(|(t, x, y)| Word {
                    text: t.to_string(),
                    page: 1,
                    bbox: BBox::new(*x, *y, x + 0.008 * t.chars().count() as f32, y + 0.012),
                    conf: 1.0,
                })
                .collect(),
        }
    }

    fn read(p: &PageText, field: Field) -> Option<String> {
        let rows = rows(p);
        let labels = find_labels(&rows);
        let l = labels.iter().find(|l| l.field == field)?;
        value_of(&rows, &labels, l).map(|v| v.text)
    }

    #[test]
    fn value_right_of_label() {
        let p = page(&[
            ("Matière", 0.50, 0.80),
            (":", 0.557, 0.80),
            ("42CrMo4", 0.57, 0.80),
            ("Indice", 0.70, 0.80),
            ("B", 0.76, 0.80),
        ]);
        assert_eq!(read(&p, Field::Material).as_deref(), Some("42CrMo4"));
        assert_eq!(read(&p, Field::Revision).as_deref(), Some("B"));
    }

    #[test]
    fn value_below_label_in_same_cell() {
        let p = page(&[
            ("Designation", 0.50, 0.80),
            ("Scale", 0.70, 0.80),
            ("Arbre", 0.50, 0.815),
            ("moteur", 0.55, 0.815),
            ("1:2", 0.70, 0.815),
        ]);
        assert_eq!(read(&p, Field::PartName).as_deref(), Some("Arbre moteur"));
        assert_eq!(read(&p, Field::Scale).as_deref(), Some("1:2"));
    }

    #[test]
    fn ocr_noisy_labels() {
        let p = page(&[
            ("N°", 0.1, 0.1),
            ("plan", 0.125, 0.1),
            ("PL-0042", 0.2, 0.1),
        ]);
        assert_eq!(read(&p, Field::DrawingNumber).as_deref(), Some("PL-0042"));
        let p = page(&[("Matlere", 0.1, 0.1), ("C45", 0.2, 0.1)]);
        assert_eq!(read(&p, Field::Material).as_deref(), Some("C45"));
        let p = page(&[
            ("Drawing", 0.1, 0.1),
            ("No.", 0.17, 0.1),
            ("D-77", 0.21, 0.1),
        ]);
        assert_eq!(read(&p, Field::DrawingNumber).as_deref(), Some("D-77"));
        let p = page(&[("Echelle:", 0.1, 0.1), ("1:1", 0.18, 0.1)]);
        assert_eq!(read(&p, Field::Scale).as_deref(), Some("1:1"));
    }

    #[test]
    fn label_followed_by_other_label_reads_below() {
        let p = page(&[
            ("Client", 0.1, 0.1),
            ("Date", 0.2, 0.1),
            ("ACME", 0.1, 0.115),
            ("2025-03-01", 0.2, 0.115),
        ]);
        assert_eq!(read(&p, Field::Customer).as_deref(), Some("ACME"));
        assert_eq!(read(&p, Field::Date).as_deref(), Some("2025-03-01"));
    }
}
