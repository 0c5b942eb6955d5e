//! Best-effort CAD reading. STEP: envelope of all `CARTESIAN_POINT`s (includes axis placements,
//! so it can exceed the solid; no volume). DXF (ASCII): TEXT/MTEXT entities as words, extent of
//! LINE/CIRCLE/ARC/LWPOLYLINE/TEXT coordinates.

use crate::model::{BBox, PageText, TextSource, Word};

/// Extents (mm) along x, y, z, sorted from largest to smallest; `None` without any point.
pub fn step_envelope(text: &str) -> Option<[f64; 3]> {
    let scale = step_unit_scale(text);
    let mut min = [f64::MAX; 3];
    let mut max = [f64::MIN; 3];
    let mut n = 0usize;
    let mut rest = text;
    while let Some(i) = rest.find("CARTESIAN_POINT") {
        rest = &rest[i + 15..];
        let Some(open) = rest.find("((").or_else(|| rest.find(",(")) else {
            break;
        };
        let after = &rest[open + 2..];
        let Some(close) = after.find(')') else { break };
        if open > 200 {
            continue;
        }
        let coords: Vec<f64> = after[..close]
            .split(',')
            .filter_map(|c| c.trim().parse::<f64>().ok())
            .collect();
        if coords.len() >= 2 {
            for k in 0..coords.len().min(3) {
                min[k] = min[k].min(coords[k] * scale);
                max[k] = max[k].max(coords[k] * scale);
            }
            if coords.len() == 2 {
                min[2] = min[2].min(0.0);
                max[2] = max[2].max(0.0);
            }
            n += 1;
        }
    }
    if n == 0 {
        return None;
    }
    let mut ext = [max[0] - min[0], max[1] - min[1], max[2] - min[2]];
    ext.sort_by(|a, b| b.total_cmp(a));
    Some(ext)
}

fn step_unit_scale(text: &str) -> f64 {
    let up = text.to_ascii_uppercase();
    if up.contains("'INCH'") {
        25.4
    } else if up.contains(".MILLI.,.METRE.") || up.contains("(.MILLI.") {
        1.0
    } else if up.contains(".METRE.") {
        1000.0
    } else {
        1.0
    }
}

/// DXF text as one page of words (boxes relative to the drawing extent) plus the extent (units).
pub fn dxf_text(text: &str) -> (PageText, Option<(f64, f64)>) {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut pairs = Vec::with_capacity(lines.len() / 2);
    let mut i = 0;
    while i + 1 < lines.len() {
        if let Ok(code) = lines[i].trim().parse::<i32>() {
            pairs.push((code, lines[i + 1]));
        }
        i += 2;
    }
    struct Txt {
        s: String,
        x: f64,
        y: f64,
        h: f64,
    }
    let mut texts: Vec<Txt> = Vec::new();
    let (mut minx, mut miny, mut maxx, mut maxy) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut grow = |x: f64, y: f64| {
        if x.is_finite() && y.is_finite() {
            minx = minx.min(x);
            miny = miny.min(y);
            maxx = maxx.max(x);
            maxy = maxy.max(y);
        }
    };
    let mut k = 0;
    let mut in_entities = false;
    while k < pairs.len() {
        let (code, val) = pairs[k];
        if code == 2 && val.trim() == "ENTITIES" {
            in_entities = true;
        }
        if code == 0 && in_entities {
            let kind = val.trim().to_string();
            let mut j = k + 1;
            let mut num = std::collections::HashMap::<i32, Vec<f64>>::new();
            let mut strings: Vec<String> = Vec::new();
            while j < pairs.len() && pairs[j].0 != 0 {
                let (c, v) = pairs[j];
                if c == 1 || c == 3 {
                    strings.push(v.to_string());
                } else if (10..=40).contains(&c)
                    && let Ok(f) = v.trim().parse::<f64>()
                {
                    num.entry(c).or_default().push(f);
                }
                j += 1;
            }
            let first = |c: i32| num.get(&c).and_then(|v| v.first().copied());
            match kind.as_str() {
                "TEXT" | "MTEXT" => {
                    let s = clean_mtext(&strings.concat());
                    if let (Some(x), Some(y)) = (first(10), first(20)) {
                        let h = first(40).unwrap_or(2.5).abs().max(0.1);
                        grow(x, y);
                        grow(x + 0.6 * h * s.chars().count() as f64, y + h);
                        texts.push(Txt { s, x, y, h });
                    }
                }
                "LINE" => {
                    if let (Some(x), Some(y), Some(x2), Some(y2)) =
                        (first(10), first(20), first(11), first(21))
                    {
                        grow(x, y);
                        grow(x2, y2);
                    }
                }
                "CIRCLE" | "ARC" => {
                    if let (Some(x), Some(y), Some(r)) = (first(10), first(20), first(40)) {
                        grow(x - r, y - r);
                        grow(x + r, y + r);
                    }
                }
                "LWPOLYLINE" | "POINT" | "VERTEX" => {
                    if let (Some(xs), Some(ys)) = (num.get(&10), num.get(&20)) {
                        for (x, y) in xs.iter().zip(ys) {
                            grow(*x, *y);
                        }
                    }
                }
                _ => {}
            }
            k = j;
            continue;
        }
        k += 1;
    }
    let extent = (minx <= maxx && miny <= maxy).then_some((maxx - minx, maxy - miny));
    let (w, h) = extent.unwrap_or((1.0, 1.0));
    let (w, h) = (w.max(1e-6), h.max(1e-6));
    let mut words = Vec::new();
    for t in texts {
        // One word per whitespace-separated token, boxes estimated from the text height.
        let cw = 0.6 * t.h;
        let mut x = t.x;
        for tok in t.s.split_whitespace() {
            let len = tok.chars().count() as f64;
            let bx = BBox::new(
                ((x - minx) / w) as f32,
                ((maxy - (t.y + t.h)) / h) as f32,
                ((x + cw * len - minx) / w) as f32,
                ((maxy - t.y) / h) as f32,
            );
            words.push(Word {
                text: tok.to_string(),
                page: 1,
                bbox: bx,
                conf: 1.0,
            });
            x += cw * (len + 1.0);
        }
    }
    (
        PageText {
            number: 1,
            width: w as f32,
            height: h as f32,
            source: TextSource::Cad,
            words,
            deskew_degrees: None,
        },
        extent,
    )
}

/// Removes MTEXT formatting codes (`\P`, `{\fArial;...}`, `%%c` = Ø).
fn clean_mtext(s: &str) -> String {
    let s = s
        .replace("%%c", "Ø")
        .replace("%%C", "Ø")
        .replace("%%p", "±")
        .replace("%%P", "±")
        .replace("%%d", "°")
        .replace("%%D", "°")
        .replace("\\P", " ");
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '}' => {}
            '\\' => {
                // Skip a formatting code up to ';' (\f, \H, \C …) or a single char.
                match chars.peek() {
                    Some('f' | 'F' | 'H' | 'C' | 'T' | 'Q' | 'W' | 'A' | 'p') => {
                        for d in chars.by_ref() {
                            if d == ';' {
                                break;
                            }
                        }
                    }
                    _ => {
                        chars.next();
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_points() {
        let s = "ISO-10303-21;\nDATA;\n#1=CARTESIAN_POINT('',(0.,0.,0.));\n#2=CARTESIAN_POINT('',(120.,-5.,30.));\n#3=CARTESIAN_POINT('Origin',(0.,80.,0.));\n#9=( LENGTH_UNIT() NAMED_UNIT(*) SI_UNIT(.MILLI.,.METRE.) );\nENDSEC;";
        assert_eq!(step_envelope(s).unwrap(), [120.0, 85.0, 30.0]);
        assert!(step_envelope("ISO-10303-21;").is_none());
        assert!(step_envelope("CARTESIAN_POINT(").is_none());
    }

    #[test]
    fn dxf_texts_and_extent() {
        let d = "0\nSECTION\n2\nENTITIES\n0\nLINE\n10\n0\n20\n0\n11\n200\n21\n100\n0\nTEXT\n10\n150\n20\n10\n40\n3.5\n1\nMatière : C45\n0\nMTEXT\n10\n10\n20\n90\n40\n5\n1\n{\\fArial;%%c20 H7}\n0\nENDSEC\n0\nEOF\n";
        let (page, ext) = dxf_text(d);
        assert_eq!(ext.unwrap().0, 200.0);
        let all: Vec<&str> = page.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(all, vec!["Matière", ":", "C45", "Ø20", "H7"]);
        let _ = dxf_text("0\n0\n0\nENTITIES\n0\nTEXT\n10\nx\n");
    }
}
