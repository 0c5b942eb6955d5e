//! Amounts, quantities and dates as customers write them: "1 234,50 €", "1.234,50",
//! "1,234.50", "12,5 EUR"; "06/12/2026", "2026-12-06", "6 décembre 2026", "Dec 6, 2026",
//! "S50/2026" (week). Each parser gives a certainty 0–1 (1 = no ambiguity).

use crate::analysis::text::norm;
use chrono::NaiveDate;
use regex::Regex;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::LazyLock;

/// Words and symbols allowed around an amount.
const CURRENCY_WORDS: &[&str] = &[
    "€", "eur", "euro", "euros", "$", "usd", "chf", "£", "gbp", "ht", "h.t.", "h.t", "ttc", "net",
];

/// Unit words allowed after a quantity.
const QTY_UNITS: &[&str] = &[
    "pcs", "pc", "pce", "pces", "p", "piece", "pieces", "pièce", "pièces", "u", "u.", "un", "un.",
    "unite", "unites", "unité", "unités", "ex", "ex.", "ea", "each", "pieces.", "pc.", "pcs.",
    "st",
];

/// Parses an amount. `fr` decides the one ambiguous case, a single separator followed by
/// exactly three digits ("1,234" / "1.234"): French reads "1,234" as 1.234 and "1.234" as
/// 1234, English the other way round. The result keeps at least 2 decimals ("464" → 464.00).
pub fn parse_amount(s: &str, fr: bool) -> Option<(Decimal, f32)> {
    let mut t = s.trim().to_lowercase();
    // Strip currency/tax words at either end ("1 234,50 € HT", "EUR 12.50").
    loop {
        let before = t.clone();
        for w in CURRENCY_WORDS {
            if let Some(r) = t.strip_suffix(w) {
                t = r.trim_end().to_string();
            }
            if let Some(r) = t.strip_prefix(w) {
                t = r.trim_start().to_string();
            }
        }
        if t == before {
            break;
        }
    }
    let neg = t.starts_with('-');
    let t = t.trim_start_matches('-').trim();
    if t.is_empty() || !t.chars().next()?.is_ascii_digit() {
        return None;
    }
    if !t.chars().all(|c| {
        c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’')
    }) {
        return None;
    }
    // Space or apostrophe groups: "1 234 567,89", "1'234.50".
    let groups: Vec<&str> = t
        .split([' ', '\u{a0}', '\u{202f}', '\'', '’'])
        .filter(|g| !g.is_empty())
        .collect();
    if groups.len() > 1 {
        let first = groups[0];
        if first.is_empty() || first.len() > 3 || !first.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        for (i, g) in groups.iter().enumerate().skip(1) {
            let int_part: &str = if i + 1 == groups.len() {
                g.split([',', '.']).next().unwrap_or("")
            } else {
                g
            };
            if int_part.len() != 3 || !int_part.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
        }
    }
    let n: String = groups.concat();
    let commas = n.matches(',').count();
    let dots = n.matches('.').count();
    let mut certainty = 1.0;
    let canonical: String = match (commas, dots) {
        (0, 0) => n.clone(),
        (c, 0) | (0, c) => {
            let sep = if commas > 0 { ',' } else { '.' };
            if c > 1 {
                if !valid_grouping(&n, sep) {
                    return None;
                }
                n.replace(sep, "")
            } else {
                let (int, frac) = n.split_once(sep)?;
                if int.is_empty() || frac.is_empty() {
                    return None;
                }
                let decimal = if frac.len() == 3 && int != "0" && int.len() <= 3 {
                    certainty = 0.8;
                    (sep == ',') == fr
                } else {
                    true
                };
                if decimal {
                    format!("{int}.{frac}")
                } else {
                    format!("{int}{frac}")
                }
            }
        }
        _ => {
            let last_comma = n.rfind(',')?;
            let last_dot = n.rfind('.')?;
            let (dec_sep, group_sep) = if last_comma > last_dot {
                (',', '.')
            } else {
                ('.', ',')
            };
            if n.matches(dec_sep).count() != 1 {
                return None;
            }
            let (int, frac) = n.split_once(dec_sep)?;
            if !valid_grouping(int, group_sep) {
                return None;
            }
            format!("{}.{frac}", int.replace(group_sep, ""))
        }
    };
    let mut d = Decimal::from_str(&canonical).ok()?;
    if d.scale() < 2 {
        d.rescale(2);
    }
    if neg {
        d.set_sign_negative(true);
    }
    Some((d, certainty))
}

/// "1.234.567" / "1,234": groups of three after a first group of one to three digits.
fn valid_grouping(int: &str, sep: char) -> bool {
    let parts: Vec<&str> = int.split(sep).collect();
    parts[0].len() <= 3
        && !parts[0].is_empty()
        && parts[1..].iter().all(|p| p.len() == 3)
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
}

/// Parses a piece count: "10", "10,00", "1 000", "25 pcs", "12 u". Integral and > 0 only.
pub fn parse_quantity(s: &str, fr: bool) -> Option<(u32, f32)> {
    let mut t = s.trim().to_lowercase();
    for u in QTY_UNITS {
        if let Some(r) = t.strip_suffix(u)
            && r.ends_with(|c: char| c.is_ascii_digit() || c.is_whitespace())
        {
            t = r.trim_end().to_string();
            break;
        }
    }
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || " ,.\u{a0}\u{202f}".contains(c))
    {
        return None;
    }
    // "1.000" is a thousand in French, not 1.
    let (d, c) = parse_amount(&t, fr)?;
    if d.fract() != Decimal::ZERO || d <= Decimal::ZERO || d > Decimal::from(10_000_000u32) {
        return None;
    }
    use rust_decimal::prelude::ToPrimitive;
    Some((d.to_u32()?, c))
}

/// Canonical money string: at least two decimals, dot separator ("1234.50").
pub fn money_string(d: Decimal) -> String {
    let mut d = d;
    if d.scale() < 2 {
        d.rescale(2);
    }
    d.to_string()
}

static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b").expect("regex"));
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2}) ?([/.\-]) ?(\d{1,2}) ?[/.\-] ?(\d{4}|\d{2})\b").expect("regex")
});
static TEXT_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:er|st|nd|rd|th)?\.? ([\p{L}]{3,9})\.?,? (\d{4})\b")
        .expect("regex")
});
static TEXT_MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([\p{L}]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b").expect("regex")
});
static WEEK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(?:s|sem\.?|semaine|kw|cw|wk|week)|\$) ?(\d{1,2}) ?[/\- ] ?(\d{4})\b")
        .expect("regex")
});

/// Month number of a French or English month name or abbreviation (accents optional).
pub fn month_of(word: &str) -> Option<u32> {
    let w = norm(word);
    let w = w.trim_end_matches('.');
    const MONTHS: &[(&str, &str, u32)] = &[
        ("janvier", "january", 1),
        ("fevrier", "february", 2),
        ("mars", "march", 3),
        ("avril", "april", 4),
        ("mai", "may", 5),
        ("juin", "june", 6),
        ("juillet", "july", 7),
        ("aout", "august", 8),
        ("septembre", "september", 9),
        ("octobre", "october", 10),
        ("novembre", "november", 11),
        ("decembre", "december", 12),
    ];
    if w.len() < 3 {
        return None;
    }
    // Whole names, then abbreviations (prefix of 3+ letters; "juil"/"jui" disambiguated).
    for (fr, en, m) in MONTHS {
        if w == *fr || w == *en {
            return Some(*m);
        }
    }
    match w {
        "jui" | "ju" => return None,
        "juil" | "jul" => return Some(7),
        "jun" => return Some(6),
        "mar" => return Some(3),
        "ma" => return None,
        _ => {}
    }
    let mut found = None;
    for (fr, en, m) in MONTHS {
        if fr.starts_with(w) || en.starts_with(w) {
            if found.is_some_and(|f| f != *m) {
                return None;
            }
            found = Some(*m);
        }
    }
    found
}

fn year4(y: &str) -> Option<i32> {
    let v: i32 = y.parse().ok()?;
    Some(if y.len() == 2 { 2000 + v } else { v })
}

/// A date found in a text: byte span, value, certainty.
#[derive(Debug, Clone, PartialEq)]
pub struct DateHit {
    pub start: usize,
    pub end: usize,
    pub date: NaiveDate,
    pub certainty: f32,
}

/// Every date in `s`, left to right (overlapping matches removed, the earliest kept).
pub fn find_dates(s: &str) -> Vec<DateHit> {
    let mut hits: Vec<DateHit> = Vec::new();
    for c in ISO.captures_iter(s) {
        let m = c.get(0).expect("match");
        if let (Some(y), Some(mo), Some(d)) = (
            c[1].parse::<i32>().ok(),
            c[2].parse::<u32>().ok(),
            c[3].parse::<u32>().ok(),
        ) && let Some(date) = NaiveDate::from_ymd_opt(y, mo, d)
        {
            hits.push(DateHit {
                start: m.start(),
                end: m.end(),
                date,
                certainty: 1.0,
            });
        }
    }
    for c in NUMERIC.captures_iter(s) {
        let m = c.get(0).expect("match");
        let (Some(a), Some(b), Some(y)) = (
            c[1].parse::<u32>().ok(),
            c[3].parse::<u32>().ok(),
            year4(&c[4]),
        ) else {
            continue;
        };
        // Day first (France, UK); month first only when the day-first reading is impossible.
        let (date, certainty) = match NaiveDate::from_ymd_opt(y, b, a) {
            Some(d) => (d, if c[4].len() == 2 { 0.9 } else { 1.0 }),
            None => match NaiveDate::from_ymd_opt(y, a, b) {
                Some(d) => (d, 0.7),
                None => continue,
            },
        };
        // "1.5.2026" could be an amount list; only '.' with a 4-digit year is kept.
        if &c[2] == "." && c[4].len() == 2 {
            continue;
        }
        hits.push(DateHit {
            start: m.start(),
            end: m.end(),
            date,
            certainty,
        });
    }
    for c in TEXT_DMY.captures_iter(s) {
        let m = c.get(0).expect("match");
        if let (Some(d), Some(mo), Some(y)) = (
            c[1].parse::<u32>().ok(),
            month_of(&c[2]),
            c[3].parse::<i32>().ok(),
        ) && let Some(date) = NaiveDate::from_ymd_opt(y, mo, d)
        {
            hits.push(DateHit {
                start: m.start(),
                end: m.end(),
                date,
                certainty: 1.0,
            });
        }
    }
    for c in TEXT_MDY.captures_iter(s) {
        let m = c.get(0).expect("match");
        if let (Some(mo), Some(d), Some(y)) = (
            month_of(&c[1]),
            c[2].parse::<u32>().ok(),
            c[3].parse::<i32>().ok(),
        ) && let Some(date) = NaiveDate::from_ymd_opt(y, mo, d)
        {
            hits.push(DateHit {
                start: m.start(),
                end: m.end(),
                date,
                certainty: 1.0,
            });
        }
    }
    for c in WEEK.captures_iter(s) {
        let m = c.get(0).expect("match");
        if let (Some(w), Some(y)) = (c[1].parse::<u32>().ok(), c[2].parse::<i32>().ok())
            && let Some(date) = NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon)
        {
            hits.push(DateHit {
                start: m.start(),
                end: m.end(),
                date,
                certainty: 0.85,
            });
        }
    }
    hits.retain(|h| (1990..=2100).contains(&chrono::Datelike::year(&h.date)));
    hits.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<DateHit> = Vec::new();
    for h in hits {
        if out.last().is_none_or(|l| h.start >= l.end) {
            out.push(h);
        }
    }
    out
}

/// The first date of `s`.
pub fn parse_date(s: &str) -> Option<(NaiveDate, f32)> {
    find_dates(s).first().map(|h| (h.date, h.certainty))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amt(s: &str, fr: bool) -> String {
        parse_amount(s, fr)
            .map(|(d, _)| d.to_string())
            .unwrap_or_else(|| "-".into())
    }

    #[test]
    fn french_and_english_amounts() {
        assert_eq!(amt("1 234,50 €", true), "1234.50");
        assert_eq!(amt("1\u{202f}234,50\u{a0}€", true), "1234.50");
        assert_eq!(amt("1.234,50", true), "1234.50");
        assert_eq!(amt("1,234.50", false), "1234.50");
        assert_eq!(amt("1,234.50", true), "1234.50");
        assert_eq!(amt("46,40", true), "46.40");
        assert_eq!(amt("46.4", true), "46.40");
        assert_eq!(amt("464", true), "464.00");
        assert_eq!(amt("EUR 12.50", false), "12.50");
        assert_eq!(amt("12,50 € HT", true), "12.50");
        assert_eq!(amt("1'234.50", false), "1234.50");
        assert_eq!(amt("12 345 678,9", true), "12345678.90");
        assert_eq!(amt("0,125", true), "0.125");
        assert_eq!(amt("0.125", true), "0.125");
        // The one ambiguous case follows the document's language.
        assert_eq!(amt("1,234", true), "1.234");
        assert_eq!(amt("1,234", false), "1234.00");
        assert_eq!(amt("1.234", true), "1234.00");
        assert_eq!(amt("1.234", false), "1.234");
        assert!(parse_amount("1,234", true).unwrap().1 < 1.0);
        assert!(parse_amount("1 234,50", true).unwrap().1 == 1.0);
        // Not amounts.
        for bad in [
            "10 46,40",
            "abc",
            "",
            "12/04/2026",
            "1.234.56",
            "1,23,4",
            "€",
            "1 2345",
            "AFZ-24",
        ] {
            assert_eq!(amt(bad, true), "-", "{bad}");
        }
        assert_eq!(amt("-12,5", true), "-12.50");
    }

    #[test]
    fn quantities() {
        let q = |s: &str| parse_quantity(s, true).map(|x| x.0);
        assert_eq!(q("10"), Some(10));
        assert_eq!(q("10,00"), Some(10));
        assert_eq!(q("1 000"), Some(1000));
        assert_eq!(q("1.000"), Some(1000));
        assert_eq!(q("25 pcs"), Some(25));
        assert_eq!(q("12 u"), Some(12));
        assert_eq!(q("100 pièces"), Some(100));
        assert_eq!(q("2,5"), None);
        assert_eq!(q("0"), None);
        assert_eq!(q("45 jours"), None);
        assert_eq!(q("AFZ"), None);
        assert_eq!(parse_quantity("1,000", false).map(|x| x.0), Some(1000));
    }

    #[test]
    fn dates_in_all_formats() {
        let d = |s: &str| parse_date(s).map(|x| x.0.to_string());
        let want = Some("2026-12-06".to_string());
        assert_eq!(d("Date : 06/12/2026"), want);
        assert_eq!(d("6/12/26"), want);
        assert_eq!(d("06.12.2026"), want);
        assert_eq!(d("06-12-2026"), want);
        assert_eq!(d("2026-12-06"), want);
        assert_eq!(d("Andrézieux, le 6 décembre 2026"), want);
        assert_eq!(d("le 6 DÉCEMBRE 2026"), want);
        assert_eq!(d("6 déc. 2026"), want);
        assert_eq!(d("6 dec 2026"), want);
        assert_eq!(d("December 6, 2026"), want);
        assert_eq!(d("Dec. 6th, 2026"), want);
        assert_eq!(d("6th December 2026"), want);
        assert_eq!(d("1er mars 2026"), Some("2026-03-01".into()));
        assert_eq!(d("15 juil. 2026"), Some("2026-07-15".into()));
        assert_eq!(d("15 juin 2026"), Some("2026-06-15".into()));
        // ISO week 50 of 2026 starts on Monday 7 December.
        assert_eq!(d("S50/2026"), Some("2026-12-07".into()));
        assert_eq!(d("semaine 2 2027"), Some("2027-01-11".into()));
        // OCR reads the S of a week as '$'.
        assert_eq!(d("$50/2026"), Some("2026-12-07".into()));
        // Month first only when day first is impossible.
        assert_eq!(d("12/31/2026"), Some("2026-12-31".into()));
        assert!(parse_date("12/31/2026").unwrap().1 < 1.0);
        assert_eq!(d("31/02/2026"), None);
        assert_eq!(d("46,40"), None);
        assert_eq!(d("1 234,50"), None);
        assert_eq!(month_of("Févr."), Some(2));
        assert_eq!(month_of("ju"), None);
        assert_eq!(month_of("Mai"), Some(5));
        let all = find_dates("du 15/11/2026, livrable le 2027-01-04");
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].date.to_string(), "2027-01-04");
    }

    #[test]
    fn canonical_money() {
        assert_eq!(money_string(Decimal::new(12345, 1)), "1234.50");
        assert_eq!(money_string(Decimal::new(7, 0)), "7.00");
        assert_eq!(money_string(Decimal::new(125, 3)), "0.125");
    }
}
