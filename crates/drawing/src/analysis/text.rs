//! Text helpers: normalisation (case, accents, OCR confusions) and grouping words into rows.

use crate::model::{BBox, PageText, Word};

/// Lower case without accents, `’` as `'`, whitespace collapsed.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = fold_char(c);
        if c.is_whitespace() {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
        } else {
            space = false;
            for l in c.to_lowercase() {
                out.push(l);
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Accents removed, typographic variants unified.
pub fn fold_char(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' | 'Á' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'î' | 'ï' | 'í' | 'Î' | 'Ï' => 'i',
        'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' => 'o',
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ç' | 'Ç' => 'c',
        'ÿ' => 'y',
        '’' | '‘' | '`' | '´' => '\'',
        '−' | '–' | '—' | '‐' => '-',
        '\u{a0}' | '\u{202f}' => ' ',
        _ => c,
    }
}

/// Plain comparison key: `norm` without punctuation except digits/letters/spaces.
pub fn key(s: &str) -> String {
    let n = norm(s);
    let mut out = String::with_capacity(n.len());
    for c in n.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Similarity 0–1 from the edit distance.
pub fn similarity(a: &str, b: &str) -> f32 {
    let n = a.chars().count().max(b.chars().count());
    if n == 0 {
        return 1.0;
    }
    1.0 - levenshtein(a, b) as f32 / n as f32
}

/// Words on one line of one page, left to right.
#[derive(Debug, Clone)]
pub struct Row {
    pub page: u32,
    pub words: Vec<Word>,
    pub bbox: BBox,
    /// Median word height (normalised units).
    pub h: f32,
}

/// Groups the words of a page into rows by vertical centre.
pub fn rows(page: &PageText) -> Vec<Row> {
    let mut words: Vec<Word> = page
        .words
        .iter()
        .filter(|w| w.bbox.h() > 0.0 && w.bbox.w() >= 0.0 && w.bbox.h().is_finite())
        .cloned()
        .collect();
    words.sort_by(|a, b| a.bbox.cy().total_cmp(&b.bbox.cy()));
    let mut rows: Vec<(f32, f32, Vec<Word>)> = Vec::new(); // (cy, h, words)
    for w in words {
        let cy = w.bbox.cy();
        let h = w.bbox.h();
        // Only the last few rows can still accept (sorted by cy).
        let start = rows.len().saturating_sub(4);
        let best = rows[start..]
            .iter()
            .enumerate()
            .filter(|(_, (rcy, rh, _))| (cy - rcy).abs() < 0.45 * rh.min(h).max(1e-6))
            .min_by(|a, b| (cy - a.1.0).abs().total_cmp(&(cy - b.1.0).abs()))
            .map(|(i, _)| i + start);
        match best {
            Some(i) => {
                let r = &mut rows[i];
                let n = r.2.len() as f32;
                r.0 = (r.0 * n + cy) / (n + 1.0);
                r.1 = (r.1 * n + h) / (n + 1.0);
                r.2.push(w);
            }
            None => rows.push((cy, h, vec![w])),
        }
    }
    rows.into_iter()
        .map(|(_, _, mut words)| {
            words.sort_by(|a, b| a.bbox.x0.total_cmp(&b.bbox.x0));
            let bbox = words
                .iter()
                .skip(1)
                .fold(words[0].bbox, |acc, w| acc.union(&w.bbox));
            let mut hs: Vec<f32> = words.iter().map(|w| w.bbox.h()).collect();
            hs.sort_by(f32::total_cmp);
            Row {
                page: words[0].page,
                h: hs[hs.len() / 2],
                bbox,
                words,
            }
        })
        .collect()
}

/// A row's text with the byte span of each word, to map regex matches back to boxes.
pub struct RowText {
    pub text: String,
    pub spans: Vec<(usize, usize)>,
}

impl RowText {
    pub fn new(row: &Row) -> Self {
        let mut text = String::new();
        let mut spans = Vec::with_capacity(row.words.len());
        for (i, w) in row.words.iter().enumerate() {
            if i > 0 {
                // A wide gap becomes a separator so matches do not jump between cells.
                let gap = w.bbox.x0 - row.words[i - 1].bbox.x1;
                text.push_str(if gap > 2.5 * row.h { " | " } else { " " });
            }
            let s = text.len();
            text.push_str(&w.text);
            spans.push((s, text.len()));
        }
        Self { text, spans }
    }

    /// Box and mean confidence of the words overlapping `start..end`.
    pub fn locate(&self, row: &Row, start: usize, end: usize) -> (BBox, f32) {
        let mut bbox: Option<BBox> = None;
        let (mut conf, mut n) = (0.0, 0);
        for (i, &(s, e)) in self.spans.iter().enumerate() {
            if s < end && e > start {
                let b = row.words[i].bbox;
                bbox = Some(bbox.map_or(b, |x| x.union(&b)));
                conf += row.words[i].conf;
                n += 1;
            }
        }
        (
            bbox.unwrap_or(row.bbox),
            if n == 0 { 0.5 } else { conf / n as f32 },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TextSource;

    fn w(t: &str, x0: f32, y0: f32, x1: f32, y1: f32) -> Word {
        Word {
            text: t.into(),
            page: 1,
            bbox: BBox::new(x0, y0, x1, y1),
            conf: 1.0,
        }
    }

    #[test]
    fn normalises() {
        assert_eq!(
            norm("  Matière :  Acier\u{a0}Inox "),
            "matiere : acier inox"
        );
        assert_eq!(key("N° plan:"), "n plan");
        assert_eq!(levenshtein("matiere", "matlere"), 1);
        assert!(similarity("abc", "abd") > 0.6);
    }

    #[test]
    fn groups_rows() {
        let page = PageText {
            number: 1,
            width: 1.0,
            height: 1.0,
            source: TextSource::Vector,
            deskew_degrees: None,
            words: vec![
                w("Matière", 0.5, 0.80, 0.55, 0.81),
                w("C45", 0.60, 0.801, 0.62, 0.811),
                w("Client", 0.5, 0.85, 0.55, 0.86),
            ],
        };
        let r = rows(&page);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].words.len(), 2);
        let t = RowText::new(&r[0]);
        assert_eq!(t.text, "Matière | C45");
    }
}
