//! Resources of the shop: machines (module `machines`), measuring instruments (module
//! `instruments`) and people with their skills and certifications (module `hr`).
//!
//! Services take `today` (Europe/Paris calendar date) from the caller, so every date rule can be
//! tested at any date; the HTTP layer passes the real date.

pub mod demo;
pub mod employees;
pub mod instruments;
pub mod machines;

use crate::error::Validator;
use crate::units;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

/// `"field": null` clears the field; an absent field leaves it as is (PATCH).
pub(crate) fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Some(Option::deserialize(d)?))
}

/// A required text: trimmed, 1..=max characters.
pub(crate) fn req_text(
    v: &mut Validator,
    field: &str,
    s: Option<&str>,
    max: usize,
    what_fr: &str,
    what_en: &str,
) -> String {
    let t = s.map(str::trim).unwrap_or("");
    let n = t.chars().count();
    if n == 0 {
        v.add(
            field,
            "required",
            format!("{what_fr} est obligatoire."),
            format!("{what_en} is required."),
        );
    } else if n > max {
        v.add(
            field,
            "too_long",
            format!("{max} caractères au plus."),
            format!("At most {max} characters."),
        );
    }
    t.to_string()
}

/// An optional text: trimmed, empty → `None`, at most `max` characters.
pub(crate) fn opt_text(
    v: &mut Validator,
    field: &str,
    s: Option<&str>,
    max: usize,
) -> Option<String> {
    let t = s.map(str::trim).filter(|t| !t.is_empty())?;
    if t.chars().count() > max {
        v.add(
            field,
            "too_long",
            format!("{max} caractères au plus."),
            format!("At most {max} characters."),
        );
    }
    Some(t.to_string())
}

/// An optional strictly positive decimal (dimension, power…), returned in canonical form.
pub(crate) fn opt_positive(
    v: &mut Validator,
    field: &str,
    s: Option<&str>,
    scale: u32,
    max: i64,
) -> Option<String> {
    let t = s.map(str::trim).filter(|t| !t.is_empty())?;
    let d = units::decimal_field(v, field, t, scale, Decimal::ZERO, Decimal::from(max))?;
    if d.is_zero() {
        v.add(
            field,
            "not_positive",
            "La valeur doit être strictement positive.",
            "The value must be strictly positive.",
        );
        return None;
    }
    Some(d.to_string())
}

/// An optional non-negative amount in euros (`"75.00"`) → cents.
pub(crate) fn opt_money(v: &mut Validator, field: &str, s: Option<&str>) -> Option<i64> {
    let t = s.map(str::trim).filter(|t| !t.is_empty())?;
    units::money_field(v, field, t, false)
}

/// An optional integer within `[min, max]`.
pub(crate) fn opt_int(
    v: &mut Validator,
    field: &str,
    n: Option<i64>,
    min: i64,
    max: i64,
) -> Option<i32> {
    let n = n?;
    if n < min || n > max {
        v.add(
            field,
            "out_of_range",
            format!("La valeur doit être entre {min} et {max}."),
            format!("The value must be between {min} and {max}."),
        );
        return None;
    }
    Some(n as i32)
}

/// Checks that a code is one of `allowed` (list of `(code, label_fr, label_en)`).
pub(crate) fn check_code(
    v: &mut Validator,
    field: &str,
    s: Option<&str>,
    allowed: &[(&str, &str, &str)],
    required: bool,
) -> Option<String> {
    let t = s.map(str::trim).filter(|t| !t.is_empty());
    match t {
        None => {
            if required {
                v.add(
                    field,
                    "required",
                    "Ce champ est obligatoire.",
                    "This field is required.",
                );
            }
            None
        }
        Some(c) if allowed.iter().any(|(code, _, _)| *code == c) => Some(c.to_string()),
        Some(c) => {
            let list: Vec<&str> = allowed.iter().map(|(code, _, _)| *code).collect();
            v.add(
                field,
                "unknown_code",
                format!("Valeur inconnue « {c} » (possibles : {}).", list.join(", ")),
                format!("Unknown value “{c}” (allowed: {}).", list.join(", ")),
            );
            None
        }
    }
}

/// Label of a code in a `(code, fr, en)` table.
pub(crate) fn label_of(table: &[(&str, &str, &str)], code: &str, english: bool) -> String {
    table
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, fr, en)| if english { *en } else { *fr })
        .unwrap_or(code)
        .to_string()
}

/// A record code such as `M03`, `I09`, `E12`: 1–20 characters among A-Z, 0-9, `.`, `_`, `-`
/// (upper-cased).
pub(crate) fn record_code(v: &mut Validator, field: &str, s: Option<&str>) -> String {
    let c = s.map(str::trim).unwrap_or("").to_uppercase();
    let ok = !c.is_empty()
        && c.len() <= 20
        && c.chars()
            .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || "._-".contains(ch));
    if !ok {
        v.add(
            field,
            "invalid_code",
            "Le code est obligatoire : 1 à 20 caractères parmi A-Z, 0-9, « . », « _ » et « - ».",
            "The code is required: 1 to 20 characters among A-Z, 0-9, “.”, “_” and “-”.",
        );
    }
    c
}

pub(crate) fn code_taken(field: &str, code: &str) -> crate::error::FieldError {
    crate::error::FieldError::new(
        field,
        "code_taken",
        format!("Le code « {code} » est déjà utilisé."),
        format!("The code “{code}” is already taken."),
    )
}

pub(crate) fn url(base: &str, path: &str, id: i64) -> String {
    format!("{}/{path}/{id}", base.trim_end_matches('/'))
}
