//! Dimensions with tolerances, fits, roughness, threads and GD&T frames, read from row text.
//! Decimal comma and point both accepted; OCR variants of Ø (`@`, `ø`, `⌀`, `∅`) accepted.

use super::fits;
use crate::model::{Dimension, GdtFrame, GdtKind, Roughness, Thread, Tolerance};
use regex::Regex;
use std::sync::OnceLock;

/// A feature found in a row's text: value and byte range.
pub struct Hit<T> {
    pub value: T,
    pub start: usize,
    pub end: usize,
    pub confidence: f32,
}

fn num(s: &str) -> Option<f64> {
    s.trim().replace(',', ".").parse().ok()
}

const DIA: &str = r"(?P<dia>[Ø@øØ⌀∅]\s?)?";
const NUM: &str = r"\d{1,4}(?:[.,]\d{1,3})?";

/// Every match, restarting right after the `all` group so that a separator consumed as the
/// suffix of one match can still be the prefix of the next.
fn all_captures<'t>(r: &Regex, text: &'t str) -> Vec<regex::Captures<'t>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos <= text.len() {
        let Some(c) = r.captures_at(text, pos) else {
            break;
        };
        let Some(all) = c.name("all") else { break };
        let mut next = if all.end() > pos { all.end() } else { pos + 1 };
        while next < text.len() && !text.is_char_boundary(next) {
            next += 1;
        }
        out.push(c);
        if next <= pos {
            break;
        }
        pos = next;
    }
    out
}

fn re(cell: &'static OnceLock<Regex>, pat: impl FnOnce() -> String) -> &'static Regex {
    cell.get_or_init(|| Regex::new(&pat()).expect("static regex"))
}

/// Dimensions with a tolerance (fits, ±, deviations, limits) and plain Ø / R dimensions.
pub fn dimensions(text: &str) -> Vec<Hit<Dimension>> {
    static FIT: OnceLock<Regex> = OnceLock::new();
    static PM: OnceLock<Regex> = OnceLock::new();
    static DEV: OnceLock<Regex> = OnceLock::new();
    static LIM: OnceLock<Regex> = OnceLock::new();
    static PLAIN: OnceLock<Regex> = OnceLock::new();
    let fit = re(&FIT, || {
        format!(
            r"(?:^|[^\w.,])(?P<all>{DIA}(?P<nom>{NUM})\s?(?P<cls>JS|js|[DEFGHKMNP]|[defghkmnp])(?P<g>5|6|7|8|9|10|11))(?:$|[^\w.,/])"
        )
    });
    let pm = re(&PM, || {
        format!(r"(?:^|[^\w.,])(?P<all>{DIA}(?P<nom>{NUM})\s?(?:±|\+/-|\+-|\+ -)\s?(?P<t>{NUM}))")
    });
    let dev = re(&DEV, || {
        format!(
            r"(?:^|[^\w.,])(?P<all>{DIA}(?P<nom>{NUM})\s?(?P<up>[+-]\s?{NUM}|0)\s?/\s?(?P<lo>[+-]\s?{NUM}|0))"
        )
    });
    let lim = re(&LIM, || {
        format!(
            r"(?:^|[^\w.,])(?P<all>{DIA}(?P<a>\d{{1,4}}[.,]\d{{1,3}})\s?/\s?(?P<b>\d{{1,4}}[.,]\d{{1,3}}))(?:$|[^\w.,])"
        )
    });
    let plain = re(&PLAIN, || {
        format!(
            r"(?:^|[\s|(])(?P<all>(?P<pre>[Ø@øØ⌀∅]|R)\s?(?P<nom>{NUM})|(?P<bare>{NUM}))(?:$|[\s|)])"
        )
    });
    let mut hits: Vec<Hit<Dimension>> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let free = |taken: &Vec<(usize, usize)>, s: usize, e: usize| {
        !taken.iter().any(|&(a, b)| s < b && e > a)
    };
    let dia_of = |c: &regex::Captures| c.name("dia").is_some();
    for c in all_captures(fit, text) {
        let all = c.name("all").expect("group");
        let (Some(mut nom), cls, g) = (num(&c["nom"]), &c["cls"], &c["g"]) else {
            continue;
        };
        let class = format!("{cls}{g}");
        // OCR reads Ø as a leading 0 or 9 ("934 m6" for "Ø34 m6"): when the number is out
        // of the ISO 286 range or starts with 0, drop that first digit.
        let raw = &c["nom"];
        let mut ocr_dia = false;
        if c.name("dia").is_none()
            && raw.len() >= 2
            && (raw.starts_with('0') || (raw.starts_with('9') && nom > 500.0))
            && let Some(rest) = num(&raw[1..])
            && rest > 0.0
        {
            nom = rest;
            ocr_dia = true;
        }
        let dev = fits::deviations(nom, &class);
        let (upper, lower) = match dev {
            Some((u, l)) => (Some(u / 1000.0), Some(l / 1000.0)),
            None => (None, None),
        };
        let lim = fits::limits(nom, &class);
        taken.push((all.start(), all.end()));
        hits.push(Hit {
            value: Dimension {
                text: all.as_str().to_string(),
                nominal: nom,
                diameter: dia_of(&c) || ocr_dia,
                radius: false,
                tolerance: Some(Tolerance::Fit {
                    class,
                    upper,
                    lower,
                }),
                min: lim.map(|l| l.0),
                max: lim.map(|l| l.1),
            },
            start: all.start(),
            end: all.end(),
            confidence: if dev.is_some() { 0.9 } else { 0.6 },
        });
    }
    for c in all_captures(pm, text) {
        let all = c.name("all").expect("group");
        if !free(&taken, all.start(), all.end()) {
            continue;
        }
        let (Some(nom), Some(t)) = (num(&c["nom"]), num(&c["t"])) else {
            continue;
        };
        taken.push((all.start(), all.end()));
        hits.push(Hit {
            value: Dimension {
                text: all.as_str().to_string(),
                nominal: nom,
                diameter: dia_of(&c),
                radius: false,
                tolerance: Some(Tolerance::Symmetric { plus_minus: t }),
                min: Some(round(nom - t)),
                max: Some(round(nom + t)),
            },
            start: all.start(),
            end: all.end(),
            confidence: 0.9,
        });
    }
    for c in all_captures(dev, text) {
        let all = c.name("all").expect("group");
        if !free(&taken, all.start(), all.end()) {
            continue;
        }
        let sig = |s: &str| num(&s.replace(' ', ""));
        let (Some(nom), Some(up), Some(lo)) = (num(&c["nom"]), sig(&c["up"]), sig(&c["lo"])) else {
            continue;
        };
        if up < lo || up.abs() > 5.0 || lo.abs() > 5.0 {
            continue;
        }
        taken.push((all.start(), all.end()));
        hits.push(Hit {
            value: Dimension {
                text: all.as_str().to_string(),
                nominal: nom,
                diameter: dia_of(&c),
                radius: false,
                tolerance: Some(Tolerance::Deviations {
                    upper: up,
                    lower: lo,
                }),
                min: Some(round(nom + lo)),
                max: Some(round(nom + up)),
            },
            start: all.start(),
            end: all.end(),
            confidence: 0.85,
        });
    }
    for c in all_captures(lim, text) {
        let all = c.name("all").expect("group");
        if !free(&taken, all.start(), all.end()) {
            continue;
        }
        let (Some(a), Some(b)) = (num(&c["a"]), num(&c["b"])) else {
            continue;
        };
        let (max, min) = if a >= b { (a, b) } else { (b, a) };
        if max <= 0.0 || (max - min) / max > 0.05 {
            continue;
        }
        taken.push((all.start(), all.end()));
        hits.push(Hit {
            value: Dimension {
                text: all.as_str().to_string(),
                nominal: min,
                diameter: dia_of(&c),
                radius: false,
                tolerance: Some(Tolerance::Limits { max, min }),
                min: Some(min),
                max: Some(max),
            },
            start: all.start(),
            end: all.end(),
            confidence: 0.8,
        });
    }
    // Plain dimensions: Ø12, R5, bare numbers not already used; text around decides context
    // (the caller drops rows of the title block and notes).
    for c in all_captures(plain, text) {
        let all = c.name("all").expect("group");
        if !free(&taken, all.start(), all.end()) {
            continue;
        }
        let pre = c.name("pre").map(|m| m.as_str());
        let raw = c.name("nom").or_else(|| c.name("bare")).map(|m| m.as_str());
        let Some(mut nom) = raw.and_then(num) else {
            continue;
        };
        let mut diameter = matches!(pre, Some(p) if p != "R");
        let mut confidence = if pre.is_some() { 0.8 } else { 0.6 };
        // OCR reads Ø as a leading 0: "020" → Ø20.
        if let Some(r) = raw
            && pre.is_none()
            && r.len() >= 3
            && r.starts_with('0')
            && !r.contains(['.', ','])
        {
            nom = num(&r[1..]).unwrap_or(nom);
            diameter = true;
            confidence = 0.5;
        }
        if nom <= 0.0 {
            continue;
        }
        hits.push(Hit {
            value: Dimension {
                text: all.as_str().to_string(),
                nominal: nom,
                diameter,
                radius: pre == Some("R"),
                tolerance: None,
                min: None,
                max: None,
            },
            start: all.start(),
            end: all.end(),
            confidence,
        });
    }
    hits.sort_by_key(|h| h.start);
    hits
}

fn round(v: f64) -> f64 {
    (v * 10000.0).round() / 10000.0
}

pub fn roughness(text: &str) -> Vec<Hit<Roughness>> {
    static RA: OnceLock<Regex> = OnceLock::new();
    let r = re(&RA, || {
        r"(?:^|[^\w])(?P<all>(?P<p>R[az]|RA|RZ)\s?[:=]?\s?(?P<v>\d{1,2}(?:[.,]\d{1,3})?))".into()
    });
    all_captures(r, text)
        .into_iter()
        .filter_map(|c| {
            let all = c.name("all")?;
            let v = num(&c["v"])?;
            (0.01..=100.0).contains(&v).then(|| Hit {
                value: Roughness {
                    parameter: if c["p"].eq_ignore_ascii_case("rz") {
                        "Rz".into()
                    } else {
                        "Ra".into()
                    },
                    value_um: v,
                },
                start: all.start(),
                end: all.end(),
                confidence: 0.9,
            })
        })
        .collect()
}

pub fn threads(text: &str) -> Vec<Hit<Thread>> {
    static MET: OnceLock<Regex> = OnceLock::new();
    static GAS: OnceLock<Regex> = OnceLock::new();
    static UN: OnceLock<Regex> = OnceLock::new();
    let met = re(&MET, || {
        r"(?:^|[^\w.,])(?P<all>M\s?(?P<d>\d{1,3}(?:[.,]\d)?)(?:\s?[x×X*]\s?(?P<p>\d(?:[.,]\d{1,2})?))?)(?:$|[^\w.,]|-)".into()
    });
    let gas = re(&GAS, || {
        r#"(?:^|[^\w.,])(?P<all>G\s?(?P<s>1/8|1/4|3/8|1/2|3/4|1\s?1/4|1\s?1/2|1|2)(?:"|''|\s?A|\s?B)?)(?:$|[^\w/.,])"#.into()
    });
    let un = re(&UN, || {
        r"(?:^|[^\w.,])(?P<all>(?P<s>\d{1,2}/\d{1,2}|#?\d{1,2})\s?-\s?(?P<tpi>\d{1,2})\s?(?P<k>UNC|UNF|UNEF))".into()
    });
    let mut out = Vec::new();
    for c in all_captures(met, text) {
        let Some(all) = c.name("all") else { continue };
        let Some(d) = num(&c["d"]) else { continue };
        if !(1.0..=100.0).contains(&d) {
            continue;
        }
        let pitch = c.name("p").and_then(|p| num(p.as_str()));
        let designation = match pitch {
            Some(p) => format!("M{}x{}", fmt(d), fmt(p)),
            None => format!("M{}", fmt(d)),
        };
        out.push(Hit {
            value: Thread {
                designation,
                nominal_mm: Some(d),
                pitch_mm: pitch.or_else(|| coarse_pitch(d)),
            },
            start: all.start(),
            end: all.end(),
            confidence: 0.9,
        });
    }
    for c in all_captures(gas, text) {
        let Some(all) = c.name("all") else { continue };
        let size = c["s"].to_string();
        out.push(Hit {
            value: Thread {
                designation: format!("G{size}"),
                nominal_mm: None,
                pitch_mm: None,
            },
            start: all.start(),
            end: all.end(),
            confidence: 0.85,
        });
    }
    for c in all_captures(un, text) {
        let Some(all) = c.name("all") else { continue };
        out.push(Hit {
            value: Thread {
                designation: format!("{}-{} {}", &c["s"], &c["tpi"], &c["k"]),
                nominal_mm: None,
                pitch_mm: num(&c["tpi"]).filter(|t| *t > 0.0).map(|t| round(25.4 / t)),
            },
            start: all.start(),
            end: all.end(),
            confidence: 0.85,
        });
    }
    out.sort_by_key(|h| h.start);
    out
}

fn fmt(v: f64) -> String {
    let s = format!("{v}");
    s.trim_end_matches(".0").to_string()
}

/// ISO 261 coarse pitch for the usual sizes.
pub fn coarse_pitch(d: f64) -> Option<f64> {
    const T: &[(f64, f64)] = &[
        (1.0, 0.25),
        (1.2, 0.25),
        (1.6, 0.35),
        (2.0, 0.4),
        (2.5, 0.45),
        (3.0, 0.5),
        (4.0, 0.7),
        (5.0, 0.8),
        (6.0, 1.0),
        (8.0, 1.25),
        (10.0, 1.5),
        (12.0, 1.75),
        (14.0, 2.0),
        (16.0, 2.0),
        (18.0, 2.5),
        (20.0, 2.5),
        (22.0, 2.5),
        (24.0, 3.0),
        (27.0, 3.0),
        (30.0, 3.5),
        (36.0, 4.0),
        (42.0, 4.5),
        (48.0, 5.0),
    ];
    T.iter()
        .find(|(s, _)| (*s - d).abs() < 1e-9)
        .map(|(_, p)| *p)
}

/// GD&T frames written with the ISO 1101 symbol or the characteristic's name (FR/EN),
/// then a tolerance and up to three datums: "⊥ 0,02 A", "Planéité 0.01", "⌖ Ø0,1 A B".
pub fn gdt(text: &str) -> Vec<Hit<GdtFrame>> {
    static G: OnceLock<Regex> = OnceLock::new();
    let r = re(&G, || {
        r"(?i)(?P<all>(?P<k>⏥|⌭|⊥|∥|//|∠|⌖|◎|⌯|↗|⌰|⌒|⌓|○|planéité|planeite|flatness|rectitude|straightness|circularité|circularite|circularity|roundness|cylindricité|cylindricite|cylindricity|perpendicularité|perpendicularite|perpendicularity|parallélisme|parallelisme|parallelism|inclinaison|angularity|localisation|position|concentricité|concentricite|coaxialité|coaxialite|concentricity|coaxiality|symétrie|symetrie|symmetry|battement total|total runout|battement|runout)\s?[|:\]\[]?\s?(?P<dia>[Ø@øØ⌀∅]\s?)?(?P<t>\d{1,2}[.,]\d{1,3})(?P<d>(?:\s?[|\]\[]?\s?[A-Z](?:$|\b|[|\]]))*))".into()
    });
    let mut out = Vec::new();
    for c in all_captures(r, text) {
        let Some(all) = c.name("all") else { continue };
        let Some(t) = num(&c["t"]) else { continue };
        let k = c["k"].to_lowercase();
        let kind = match k.as_str() {
            "⏥" | "planéité" | "planeite" | "flatness" => GdtKind::Flatness,
            "rectitude" | "straightness" => GdtKind::Straightness,
            "○" | "circularité" | "circularite" | "circularity" | "roundness" => {
                GdtKind::Circularity
            }
            "⌭" | "cylindricité" | "cylindricite" | "cylindricity" => GdtKind::Cylindricity,
            "⊥" | "perpendicularité" | "perpendicularite" | "perpendicularity" => {
                GdtKind::Perpendicularity
            }
            "∥" | "//" | "parallélisme" | "parallelisme" | "parallelism" => GdtKind::Parallelism,
            "∠" | "inclinaison" | "angularity" => GdtKind::Angularity,
            "⌖" | "localisation" | "position" => GdtKind::Position,
            "◎" | "concentricité" | "concentricite" | "coaxialité" | "coaxialite"
            | "concentricity" | "coaxiality" => GdtKind::Concentricity,
            "⌯" | "symétrie" | "symetrie" | "symmetry" => GdtKind::Symmetry,
            "⌰" | "battement total" | "total runout" => GdtKind::TotalRunout,
            "↗" | "battement" | "runout" => GdtKind::Runout,
            "⌒" => GdtKind::ProfileLine,
            "⌓" => GdtKind::ProfileSurface,
            _ => continue,
        };
        if t <= 0.0 || t > 5.0 {
            continue;
        }
        let datums: Vec<String> = c
            .name("d")
            .map(|d| {
                d.as_str()
                    .chars()
                    .filter(|c| c.is_ascii_uppercase())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        out.push(Hit {
            value: GdtFrame {
                kind,
                tolerance_mm: t,
                datums,
            },
            start: all.start(),
            end: all.end(),
            confidence: if k.chars().count() == 1 || k == "//" {
                0.85
            } else {
                0.8
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dims(s: &str) -> Vec<Dimension> {
        dimensions(s).into_iter().map(|h| h.value).collect()
    }

    #[test]
    fn fits_converted() {
        let d = dims("Ø20 H7");
        assert_eq!(d.len(), 1);
        assert!(d[0].diameter);
        assert_eq!((d[0].min, d[0].max), (Some(20.0), Some(20.021)));
        let d = dims("alésage @20H7 et arbre 12 k6");
        assert_eq!(d[0].nominal, 20.0);
        assert!(d[0].diameter);
        assert_eq!((d[1].min, d[1].max), (Some(12.001), Some(12.012)));
        assert!(dims("M8").iter().all(|d| d.tolerance.is_none()));
    }

    #[test]
    fn tolerances() {
        let d = dims("45 ±0,1");
        assert_eq!((d[0].min, d[0].max), (Some(44.9), Some(45.1)));
        let d = dims("Ø32 +0.05/-0,02");
        assert_eq!(
            d[0].tolerance,
            Some(Tolerance::Deviations {
                upper: 0.05,
                lower: -0.02
            })
        );
        assert_eq!((d[0].min, d[0].max), (Some(31.98), Some(32.05)));
        let d = dims("30 0/-0,1");
        assert_eq!((d[0].min, d[0].max), (Some(29.9), Some(30.0)));
        let d = dims("Ø20,05/20,00");
        assert_eq!(
            d[0].tolerance,
            Some(Tolerance::Limits {
                max: 20.05,
                min: 20.0
            })
        );
        let d = dims("934 m6");
        assert!(d[0].diameter && d[0].nominal == 34.0);
        let d = dims("120 R5 Ø8 020");
        assert_eq!(d.len(), 4);
        assert!(d[1].radius);
        assert!(d[2].diameter && d[3].diameter && d[3].nominal == 20.0);
        // Dates are not limits.
        assert!(dims("12/03/2025").iter().all(|d| d.tolerance.is_none()));
    }

    #[test]
    fn roughness_values() {
        let r = roughness("Ra 1,6  Ra0.8 Rz 6.3 Rapport");
        let v: Vec<f64> = r.iter().map(|h| h.value.value_um).collect();
        assert_eq!(v, vec![1.6, 0.8, 6.3]);
        assert_eq!(r[2].value.parameter, "Rz");
    }

    #[test]
    fn thread_designations() {
        let t: Vec<String> =
            threads("4x M8 ; M10×1,25 ; G1/4 ; 1/4-20 UNC ; M6-6H ; ISO 2768-mK ; Ø20 H7")
                .into_iter()
                .map(|h| h.value.designation)
                .collect();
        assert_eq!(t, vec!["M8", "M10x1.25", "G1/4", "1/4-20 UNC", "M6"]);
        assert_eq!(threads("M8")[0].value.pitch_mm, Some(1.25));
    }

    #[test]
    fn gdt_frames() {
        let g = gdt("⊥ 0,02 A   Planéité 0.01   ⌖ Ø0,1 A B  // 0.05 B  Battement total 0,03 A");
        let k: Vec<GdtKind> = g.iter().map(|h| h.value.kind).collect();
        assert_eq!(
            k,
            vec![
                GdtKind::Perpendicularity,
                GdtKind::Flatness,
                GdtKind::Position,
                GdtKind::Parallelism,
                GdtKind::TotalRunout
            ]
        );
        assert_eq!(g[0].value.datums, vec!["A"]);
        assert_eq!(g[2].value.datums, vec!["A", "B"]);
        assert_eq!(g[2].value.tolerance_mm, 0.1);
        assert!(g[1].value.datums.is_empty());
    }

    #[test]
    fn random_text_never_panics() {
        let mut x: u32 = 12345;
        let alphabet: Vec<char> = "0123456789.,/±+-ØRaM xH7g6|⊥éA".chars().collect();
        for len in 0..300 {
            let s: String = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1664525).wrapping_add(1013904223);
                    alphabet[(x >> 16) as usize % alphabet.len()]
                })
                .collect();
            let _ = dimensions(&s);
            let _ = roughness(&s);
            let _ = threads(&s);
            let _ = gdt(&s);
        }
    }
}
