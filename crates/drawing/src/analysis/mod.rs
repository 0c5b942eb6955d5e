//! Analysis: pure functions from words with boxes to a [`DrawingAnalysis`]. No I/O.

pub mod features;
pub mod fits;
pub mod iso2768;
pub mod materials;
pub mod text;
pub mod title;

use crate::model::{
    BBox, DrawingAnalysis, Envelope, FileKind, Found, GeneralTolerance, MaterialMatch, PageText,
    Projection, ShapeClass,
};
use materials::GradeSynonyms;
use text::{Row, RowText, key, norm};
use title::Field;

const HEAT: &[&str] = &[
    "trempe",
    "revenu",
    "cementation",
    "cemente",
    "nitruration",
    "nitrure",
    "recuit",
    "normalisation",
    "detente",
    "detensionnement",
    "carbonitruration",
    "induction",
    "hrc",
    "quench",
    "temper",
    "hardened",
    "hardening",
    "carburiz",
    "nitrid",
    "anneal",
    "stress reliev",
    "through harden",
    "case harden",
    "vieillissement",
    "mise en solution",
];
const SURFACE: &[&str] = &[
    "anodis",
    "anodiz",
    "oxydation anodique",
    "zingage",
    "zingue",
    "zinc",
    "passivation",
    "passive",
    "passivat",
    "peinture",
    "peint",
    "paint",
    "chromage",
    "chrome",
    "chromat",
    "nickel",
    "phosphat",
    "brunissage",
    "noircissement",
    "black oxide",
    "galvanis",
    "galvaniz",
    "alodine",
    "sablage",
    "microbillage",
    "bead blast",
    "electropol",
    "cataphorese",
    "powder coat",
    "thermolaquage",
    "hard anodi",
    "trivalent",
];
const NONE_WORDS: &[&str] = &[
    "sans",
    "neant",
    "none",
    "aucun",
    "aucune",
    "n a",
    "na",
    "nil",
    "-",
    "brut",
    "as machined",
];

fn has_any(text: &str, words: &[&str]) -> bool {
    let n = norm(text);
    words.iter().any(|w| n.contains(w))
}

fn is_none_value(v: &str) -> bool {
    let k = key(v);
    k.is_empty()
        || NONE_WORDS.contains(&k.as_str())
        || v.trim().chars().all(|c| "-—–/_.".contains(c))
}

struct Cand {
    value: String,
    conf: f32,
    page: u32,
    bbox: BBox,
}

fn found<T>(value: T, conf: f32, page: u32, bbox: BBox) -> Found<T> {
    Found {
        value,
        confidence: conf.clamp(0.0, 1.0),
        page,
        bbox,
    }
}

fn iso_date(s: &str) -> Option<String> {
    let digits: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    if digits.len() < 3 {
        return None;
    }
    let (a, b, c) = (digits[0], digits[1], digits[2]);
    let (y, m, d) = if a.len() == 4 {
        (
            a.parse::<u32>().ok()?,
            b.parse::<u32>().ok()?,
            c.parse::<u32>().ok()?,
        )
    } else if c.len() == 4 || c.len() == 2 {
        let y: u32 = c.parse().ok()?;
        let y = if y < 100 { 2000 + y } else { y };
        (y, b.parse().ok()?, a.parse().ok()?)
    } else {
        return None;
    };
    ((1..=12).contains(&m) && (1..=31).contains(&d) && (1900..=2100).contains(&y))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn scale_of(s: &str) -> Option<String> {
    let t: String = s
        .chars()
        .map(|c| match c {
            'l' | 'I' | '|' => '1',
            'O' | 'o' => '0',
            ';' => ':',
            _ => c,
        })
        .collect();
    let re = regex_scale();
    let c = re.captures(&t)?;
    Some(format!("{}:{}", &c[1], &c[2]))
}

fn regex_scale() -> &'static regex::Regex {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        regex::Regex::new(r"(\d{1,3}(?:[.,]\d)?)\s?[:/]\s?(\d{1,3}(?:[.,]\d)?)").expect("regex")
    })
}

fn quantity_of(s: &str) -> Option<u32> {
    let t: String = s
        .split_whitespace()
        .next()?
        .chars()
        .map(|c| match c {
            'l' | 'I' | '|' => '1',
            'O' | 'o' => '0',
            _ => c,
        })
        .filter(|c| !matches!(c, '.' | ' '))
        .collect();
    t.parse().ok().filter(|q| *q > 0 && *q < 1_000_000)
}

fn revision_of(s: &str) -> Option<String> {
    let t = s
        .split_whitespace()
        .next()?
        .trim_matches(|c: char| !c.is_alphanumeric());
    (!t.is_empty() && t.chars().count() <= 3 && t.chars().all(|c| c.is_alphanumeric()))
        .then(|| t.to_uppercase())
}

/// Splits a treatment text into (heat, surface) parts by keywords.
fn split_treatments(v: &str) -> (Option<String>, Option<String>) {
    let heat = has_any(v, HEAT);
    let surf = has_any(v, SURFACE);
    match (heat, surf) {
        (true, false) => (Some(v.to_string()), None),
        (false, true) => (None, Some(v.to_string())),
        (true, true) => {
            let parts: Vec<&str> = v
                .split(['/', ';', ',', '+'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            let h: Vec<&str> = parts.iter().copied().filter(|p| has_any(p, HEAT)).collect();
            let s: Vec<&str> = parts
                .iter()
                .copied()
                .filter(|p| has_any(p, SURFACE) && !has_any(p, HEAT))
                .collect();
            (
                (!h.is_empty()).then(|| h.join(" + ")),
                (!s.is_empty()).then(|| s.join(" + ")),
            )
        }
        (false, false) => (None, None),
    }
}

/// Analyses the words of every page. `grades` are the shop's materials.
pub fn analyze_pages(
    pages: &[PageText],
    grades: &[GradeSynonyms],
    format: FileKind,
) -> DrawingAnalysis {
    let mut a = DrawingAnalysis::empty(format);
    a.pages = pages.len() as u32;
    a.text_source = pages.first().map(|p| p.source);
    let rows: Vec<Row> = pages.iter().flat_map(text::rows).collect();
    let labels = title::find_labels(&rows);
    let mut cands: std::collections::HashMap<Field, Vec<Cand>> = Default::default();
    let mut used_boxes: Vec<BBox> = Vec::new();
    let mut explicit_none: Vec<Field> = Vec::new();
    for l in &labels {
        used_boxes.push(l.bbox);
        if l.field == Field::Other {
            continue;
        }
        let Some(v) = title::value_of(&rows, &labels, l) else {
            continue;
        };
        used_boxes.push(v.bbox);
        let layout = if v.below { 0.9 } else { 0.95 };
        let conf = l.conf.min(1.0) * 0.5 + v.conf * 0.5;
        let page = rows[l.row].page;
        let mut push = |f: Field, value: String, factor: f32| {
            cands.entry(f).or_default().push(Cand {
                value,
                conf: conf * layout * factor,
                page,
                bbox: v.bbox,
            })
        };
        match l.field {
            Field::Treatment | Field::HeatTreatment | Field::SurfaceTreatment
                if is_none_value(&v.text) =>
            {
                match l.field {
                    Field::Treatment => {
                        explicit_none.push(Field::HeatTreatment);
                        explicit_none.push(Field::SurfaceTreatment);
                    }
                    f => explicit_none.push(f),
                }
            }
            Field::Treatment => {
                let (h, s) = split_treatments(&v.text);
                if let Some(h) = h {
                    push(Field::HeatTreatment, h, 0.95);
                }
                if let Some(s) = s {
                    push(Field::SurfaceTreatment, s, 0.95);
                }
            }
            Field::HeatTreatment => {
                let ok = has_any(&v.text, HEAT);
                push(
                    Field::HeatTreatment,
                    v.text.clone(),
                    if ok { 1.0 } else { 0.7 },
                );
            }
            Field::SurfaceTreatment => {
                if has_any(&v.text, SURFACE) {
                    push(Field::SurfaceTreatment, v.text.clone(), 1.0);
                } else if !v.text.contains("Ra") {
                    push(Field::SurfaceTreatment, v.text.clone(), 0.6);
                }
            }
            Field::Scale => {
                if let Some(s) = scale_of(&v.text) {
                    push(Field::Scale, s, 1.0);
                }
            }
            Field::Date => {
                if let Some(d) = iso_date(&v.text) {
                    push(Field::Date, d, 1.0);
                }
            }
            Field::Quantity => {
                if let Some(q) = quantity_of(&v.text) {
                    push(Field::Quantity, q.to_string(), 1.0);
                }
            }
            Field::Revision => {
                if let Some(r) = revision_of(&v.text) {
                    push(Field::Revision, r, 1.0);
                }
            }
            Field::GeneralTolerance => {
                if iso2768::parse(&v.text).is_some() {
                    push(Field::GeneralTolerance, v.text.clone(), 1.0);
                }
            }
            Field::DrawingNumber => {
                // First token, then only tokens with digits ("AX 12-554", not "PL-1 Spacer").
                let mut t: Vec<&str> = Vec::new();
                for (i, tok) in v.text.split_whitespace().enumerate() {
                    if i == 0 || (i < 3 && tok.chars().any(|c| c.is_ascii_digit())) {
                        t.push(tok);
                    } else {
                        break;
                    }
                }
                let has_digit = v.text.chars().any(|c| c.is_ascii_digit());
                push(
                    Field::DrawingNumber,
                    t.join(" "),
                    if has_digit { 1.0 } else { 0.6 },
                );
            }
            f => push(f, v.text.clone(), 1.0),
        }
    }
    let best = |f: Field| -> Option<Found<String>> {
        cands
            .get(&f)?
            .iter()
            .max_by(|a, b| a.conf.total_cmp(&b.conf))
            .map(|c| found(c.value.clone(), c.conf, c.page, c.bbox))
    };
    a.drawing_number = best(Field::DrawingNumber);
    a.revision = best(Field::Revision);
    a.part_name = best(Field::PartName);
    a.material = best(Field::Material);
    a.heat_treatment = best(Field::HeatTreatment);
    a.surface_treatment = best(Field::SurfaceTreatment);
    a.customer = best(Field::Customer);
    a.scale = best(Field::Scale);
    a.date = best(Field::Date);
    a.quantity = best(Field::Quantity).and_then(|f| {
        let q = f.value.parse::<u32>().ok()?;
        Some(f.map(|_| q))
    });

    // Whole-page text per row, for notes and unlabelled values.
    let row_texts: Vec<RowText> = rows.iter().map(RowText::new).collect();

    // General tolerance: labelled value first, else any "2768" note.
    let gt_label = best(Field::GeneralTolerance).and_then(|f| {
        iso2768::parse(&f.value).map(|(g, _, _)| found(g, f.confidence, f.page, f.bbox))
    });
    a.general_tolerance = gt_label.or_else(|| {
        rows.iter().zip(&row_texts).find_map(|(r, t)| {
            let (g, s, e): (GeneralTolerance, usize, usize) = iso2768::parse(&t.text)?;
            let (bbox, conf) = t.locate(r, s, e);
            Some(found(g, conf * 0.9, r.page, bbox))
        })
    });

    // Treatments written in notes without a label (lower confidence).
    for (field, words) in [
        (Field::HeatTreatment, HEAT),
        (Field::SurfaceTreatment, SURFACE),
    ] {
        let slot = match field {
            Field::HeatTreatment => &mut a.heat_treatment,
            _ => &mut a.surface_treatment,
        };
        if slot.is_some() || explicit_none.contains(&field) {
            continue;
        }
        for (r, t) in rows.iter().zip(&row_texts) {
            if labels.iter().any(|l| rows[l.row].bbox == r.bbox) {
                continue;
            }
            if has_any(&t.text, words) {
                let (bbox, conf) = t.locate(r, 0, t.text.len());
                *slot = Some(found(t.text.clone(), conf * 0.5, r.page, bbox));
                break;
            }
        }
    }

    // Material grade.
    if let Some(m) = &a.material {
        if let Some((id, c)) = materials::match_material(&m.value, grades) {
            a.material_grade = Some(found(
                MaterialMatch {
                    grade_id: id,
                    confidence: c,
                },
                c * m.confidence,
                m.page,
                m.bbox,
            ));
        }
    } else {
        // No label: a grade name standing alone somewhere (low confidence).
        for (r, t) in rows.iter().zip(&row_texts) {
            for w in &r.words {
                if w.text.chars().count() < 4 {
                    continue;
                }
                if let Some((id, c)) = materials::match_material(&w.text, grades)
                    && c >= 0.9
                {
                    a.material = Some(found(w.text.clone(), 0.4, r.page, w.bbox));
                    a.material_grade = Some(found(
                        MaterialMatch {
                            grade_id: id,
                            confidence: c,
                        },
                        0.4,
                        r.page,
                        w.bbox,
                    ));
                    break;
                }
            }
            let _ = t;
            if a.material.is_some() {
                break;
            }
        }
    }

    // Features.
    let in_title = |b: &BBox| {
        used_boxes
            .iter()
            .any(|u| b.x0 < u.x1 && b.x1 > u.x0 && b.y0 < u.y1 && b.y1 > u.y0)
    };
    for (ri, (r, t)) in rows.iter().zip(&row_texts).enumerate() {
        let label_row = labels.iter().any(|l| l.row == ri);
        let note_row = iso2768::parse(&t.text).is_some();
        let threads = features::threads(&t.text);
        for h in &threads {
            let (bbox, conf) = t.locate(r, h.start, h.end);
            a.threads
                .push(found(h.value.clone(), h.confidence * conf, r.page, bbox));
        }
        for h in features::roughness(&t.text) {
            let (bbox, conf) = t.locate(r, h.start, h.end);
            a.roughness
                .push(found(h.value, h.confidence * conf, r.page, bbox));
        }
        let gdt = features::gdt(&t.text);
        for h in &gdt {
            let (bbox, conf) = t.locate(r, h.start, h.end);
            a.gdt
                .push(found(h.value.clone(), h.confidence * conf, r.page, bbox));
        }
        if label_row || note_row {
            continue;
        }
        for h in features::dimensions(&t.text) {
            let inside =
                |ranges: &[(usize, usize)]| ranges.iter().any(|&(s, e)| h.start < e && h.end > s);
            let thread_ranges: Vec<(usize, usize)> =
                threads.iter().map(|x| (x.start, x.end)).collect();
            let gdt_ranges: Vec<(usize, usize)> = gdt.iter().map(|x| (x.start, x.end)).collect();
            if inside(&thread_ranges) || inside(&gdt_ranges) {
                continue;
            }
            // Skip numbers glued to units or Ra values.
            let before = t.text[..h.start].trim_end();
            let after = t.text[h.end..].trim_start();
            if before.ends_with("Ra")
                || before.ends_with("Rz")
                || after.starts_with("kg")
                || after.starts_with('°')
                || after.starts_with("HRC")
                || after.starts_with('x')
                || after.starts_with('×')
                || after.starts_with('%')
            {
                continue;
            }
            let (bbox, conf) = t.locate(r, h.start, h.end);
            if in_title(&bbox) {
                continue;
            }
            a.dimensions
                .push(found(h.value, h.confidence * conf, r.page, bbox));
        }
    }

    // Projection (text), critical markers.
    for (r, t) in rows.iter().zip(&row_texts) {
        let n = norm(&t.text);
        if a.projection.is_none()
            && let Some(p) = projection_of(&n)
        {
            let (bbox, conf) = t.locate(r, 0, t.text.len());
            a.projection = Some(found(p, 0.9 * conf, r.page, bbox));
        }
        for (pat, label) in CRITICAL {
            if contains_word(&n, pat) {
                let (bbox, conf) = t.locate(r, 0, t.text.len());
                if !a.critical_markers.iter().any(|m| m.value == *label) {
                    a.critical_markers
                        .push(found(label.to_string(), 0.85 * conf, r.page, bbox));
                }
            }
        }
    }

    let all_text = row_texts
        .iter()
        .map(|t| norm(&t.text))
        .collect::<Vec<_>>()
        .join("\n");
    shape_and_envelope(&mut a, &all_text);
    a
}

const CRITICAL: &[(&str, &str)] = &[
    ("piece critique", "pièce critique"),
    ("critical part", "pièce critique"),
    ("caracteristique cle", "caractéristique clé"),
    ("caracteristiques cles", "caractéristique clé"),
    ("key characteristic", "caractéristique clé"),
    ("kc", "caractéristique clé"),
    ("aeronautique", "secteur aéronautique"),
    ("aeronautic", "secteur aéronautique"),
    ("aerospace", "secteur aéronautique"),
    ("defense", "secteur défense"),
    ("defence", "secteur défense"),
    ("en 9100", "EN 9100"),
    ("en9100", "EN 9100"),
    ("as9100", "EN 9100"),
    ("piece de securite", "pièce de sécurité"),
    ("safety critical", "pièce de sécurité"),
];

fn contains_word(hay: &str, pat: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay[from..].find(pat) {
        let s = from + i;
        let e = s + pat.len();
        let ok_before = s == 0
            || !hay[..s]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric());
        let ok_after =
            e >= hay.len() || !hay[e..].chars().next().is_some_and(|c| c.is_alphanumeric());
        if ok_before && ok_after {
            return true;
        }
        from = e;
    }
    false
}

/// Projection method from text (normalised, without accents).
pub fn projection_of(n: &str) -> Option<Projection> {
    const FIRST: &[&str] = &[
        "projection europeenne",
        "european projection",
        "first angle",
        "1st angle",
        "premier diedre",
        "iso-e",
        "iso e",
        "methode e",
    ];
    const THIRD: &[&str] = &[
        "projection americaine",
        "american projection",
        "third angle",
        "3rd angle",
        "troisieme diedre",
        "iso-a",
        "iso a",
        "methode a",
    ];
    if FIRST.iter().any(|p| contains_word(n, p)) {
        Some(Projection::FirstAngle)
    } else if THIRD.iter().any(|p| contains_word(n, p)) {
        Some(Projection::ThirdAngle)
    } else {
        None
    }
}

const WELD: &[&str] = &[
    "mecano-soude",
    "mecanosoude",
    "soudure",
    "soude",
    "weld",
    "cordon",
];
const SHEET: &[&str] = &[
    "tole",
    "pliage",
    "plie",
    "developpe",
    "sheet metal",
    "bend",
    "folded",
    "epaisseur tole",
];

fn shape_and_envelope(a: &mut DrawingAnalysis, all_text: &str) {
    let all: Vec<&Found<crate::model::Dimension>> = a
        .dimensions
        .iter()
        .filter(|d| !d.value.radius && d.value.nominal >= 1.0 && d.value.nominal < 5000.0)
        .collect();
    // Overall sizes are usually left to the general tolerance: prefer untoleranced dimensions
    // for the envelope when there are enough of them.
    let plain: Vec<&Found<crate::model::Dimension>> = all
        .iter()
        .copied()
        .filter(|d| d.value.tolerance.is_none())
        .collect();
    let dims = if plain.len() >= 3 { plain } else { all.clone() };
    let dia: Vec<f64> = all
        .iter()
        .filter(|d| d.value.diameter)
        .map(|d| d.value.nominal)
        .collect();
    let mut lin: Vec<f64> = dims
        .iter()
        .filter(|d| !d.value.diameter)
        .map(|d| d.value.nominal)
        .collect();
    lin.sort_by(|a, b| b.total_cmp(a));
    lin.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    let max_dia = dia.iter().copied().fold(0.0, f64::max);
    let max_lin = lin.first().copied().unwrap_or(0.0);
    let page_box = a
        .dimensions
        .first()
        .map(|d| (d.page, d.bbox))
        .unwrap_or((1, BBox::default()));
    let has_words = |ws: &[&str]| ws.iter().any(|w| contains_word(all_text, w));
    let (shape, conf) = if has_words(WELD) {
        (Some(ShapeClass::Welded), 0.75)
    } else if has_words(SHEET) {
        (Some(ShapeClass::SheetMetal), 0.75)
    } else if dims.is_empty() {
        (None, 0.0)
    } else {
        let n_dia = all.iter().filter(|d| d.value.diameter).count();
        let frac = n_dia as f64 / all.len() as f64;
        if frac >= 0.4 && max_dia >= 0.15 * max_lin {
            (Some(ShapeClass::Turned), 0.5 + 0.4 * frac.min(1.0) as f32)
        } else {
            (Some(ShapeClass::Prismatic), 0.5 + 0.4 * (1.0 - frac) as f32)
        }
    };
    if let Some(s) = shape {
        a.shape_class = Some(found(s, conf, page_box.0, page_box.1));
    }
    let env = match shape {
        Some(ShapeClass::Turned) => Some(Envelope {
            diameter: Some(max_dia),
            length: (max_lin > 0.0).then_some(max_lin),
            width: None,
            height: None,
        }),
        Some(_) if !lin.is_empty() => Some(Envelope {
            diameter: None,
            length: lin.first().copied(),
            width: lin.get(1).copied(),
            height: lin.get(2).copied(),
        }),
        _ => None,
    };
    if let Some(e) = env {
        a.envelope = Some(found(e, 0.5, page_box.0, page_box.1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_scales_quantities() {
        assert_eq!(iso_date("12/03/2025").as_deref(), Some("2025-03-12"));
        assert_eq!(iso_date("2025-03-12").as_deref(), Some("2025-03-12"));
        assert_eq!(iso_date("12.03.25").as_deref(), Some("2025-03-12"));
        assert_eq!(iso_date("32/13/2025"), None);
        assert_eq!(scale_of("1 : 2").as_deref(), Some("1:2"));
        assert_eq!(scale_of("l:5").as_deref(), Some("1:5"));
        assert_eq!(scale_of("2/1").as_deref(), Some("2:1"));
        assert_eq!(quantity_of("25 pièces"), Some(25));
        assert_eq!(quantity_of("l0"), Some(10));
        assert_eq!(revision_of("b"), Some("B".into()));
        assert_eq!(revision_of("ABCD"), None);
    }

    #[test]
    fn treatments_split() {
        assert_eq!(
            split_treatments("Trempe revenu 45 HRC + zingage"),
            (Some("Trempe revenu 45 HRC".into()), Some("zingage".into()))
        );
        assert_eq!(
            split_treatments("Anodisation noire"),
            (None, Some("Anodisation noire".into()))
        );
        assert!(is_none_value("Sans"));
        assert!(is_none_value("—"));
    }

    #[test]
    fn projection_text() {
        assert_eq!(
            projection_of("projection europeenne"),
            Some(Projection::FirstAngle)
        );
        assert_eq!(
            projection_of("third angle projection"),
            Some(Projection::ThirdAngle)
        );
        assert_eq!(projection_of("iso-a"), Some(Projection::ThirdAngle));
        assert_eq!(projection_of("isometric view"), None);
        assert!(contains_word("kc", "kc"));
        assert!(!contains_word("kcal", "kc"));
    }
}
