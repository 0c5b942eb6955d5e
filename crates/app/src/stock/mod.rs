//! Stock (modules `tools` and `materials`): storage locations, tools, materials, the movement
//! ledgers and reservations for jobs. DOMAIN.md §3.12, §3.13, W2, W6.
//!
//! One rule holds everywhere: a stock quantity never changes without a movement row (who, why,
//! job, quantity before/after), written by [`ledger::change`] in the same transaction, under a
//! row lock on PostgreSQL (the SQLite writer lock serialises writers already) and with a
//! conditional UPDATE that can never take stock below what is reserved for other jobs.
//! Piece counts are integers (bars, inserts); dimensions are decimal strings.

pub mod ledger;
pub mod locations;
pub mod materials;
pub mod reservations;
pub mod tools;

use crate::error::Validator;
use crate::units;
use rust_decimal::Decimal;

/// (code, French label, English label)
pub type Codes = &'static [(&'static str, &'static str, &'static str)];

pub fn label(codes: Codes, code: &str, english: bool) -> String {
    codes
        .iter()
        .find(|c| c.0 == code)
        .map(|c| if english { c.2 } else { c.1 })
        .unwrap_or(code)
        .to_string()
}

/// Wire shape of a status or enumeration choice.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Transition {
    pub to: String,
    pub label: String,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct TransitionRequest {
    pub to: String,
    pub version: i32,
}

pub(crate) fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A required short text.
pub(crate) fn req_text(v: &mut Validator, field: &str, s: &Option<String>, max: usize) -> String {
    match trimmed(s) {
        None => {
            v.add(
                field,
                "required",
                format!("Le champ « {field} » est obligatoire."),
                format!("The field “{field}” is required."),
            );
            String::new()
        }
        Some(t) => {
            if t.chars().count() > max {
                v.add(
                    field,
                    "too_long",
                    format!("{max} caractères au plus."),
                    format!("At most {max} characters."),
                );
            }
            t
        }
    }
}

/// An optional short text (empty = none).
pub(crate) fn opt_text(
    v: &mut Validator,
    field: &str,
    s: &Option<String>,
    max: usize,
) -> Option<String> {
    let t = trimmed(s)?;
    if t.chars().count() > max {
        v.add(
            field,
            "too_long",
            format!("{max} caractères au plus."),
            format!("At most {max} characters."),
        );
    }
    Some(t)
}

/// A code among `codes`; `required` adds an error when absent.
pub(crate) fn code(
    v: &mut Validator,
    field: &str,
    s: &Option<String>,
    codes: Codes,
    required: bool,
) -> Option<String> {
    match trimmed(s) {
        None => {
            if required {
                v.add(
                    field,
                    "required",
                    format!(
                        "Le champ « {field} » est obligatoire ({}).",
                        codes.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
                    ),
                    format!(
                        "The field “{field}” is required ({}).",
                        codes.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            None
        }
        Some(t) if codes.iter().any(|c| c.0 == t) => Some(t),
        Some(t) => {
            v.add(
                field,
                "unknown_value",
                format!(
                    "Valeur inconnue « {t} » (valeurs possibles : {}).",
                    codes.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
                ),
                format!(
                    "Unknown value “{t}” (allowed: {}).",
                    codes.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
                ),
            );
            None
        }
    }
}

/// An optional decimal (mm, m/min, mm/tooth…) stored as its canonical string.
pub(crate) fn opt_dec(
    v: &mut Validator,
    field: &str,
    s: &Option<String>,
    scale: u32,
    max: &str,
) -> Option<String> {
    let t = trimmed(s)?;
    units::decimal_field(
        v,
        field,
        &t,
        scale,
        Decimal::ZERO,
        max.parse().unwrap_or(Decimal::MAX),
    )
    .map(|d| d.to_string())
}

/// A required decimal, strictly positive.
pub(crate) fn req_dec(
    v: &mut Validator,
    field: &str,
    s: &Option<String>,
    scale: u32,
    max: &str,
) -> Option<Decimal> {
    let Some(t) = trimmed(s) else {
        v.add(
            field,
            "required",
            format!("Le champ « {field} » est obligatoire."),
            format!("The field “{field}” is required."),
        );
        return None;
    };
    let d = units::decimal_field(
        v,
        field,
        &t,
        scale,
        Decimal::ZERO,
        max.parse().unwrap_or(Decimal::MAX),
    )?;
    if d.is_zero() {
        v.add(
            field,
            "must_be_positive",
            "La valeur doit être supérieure à zéro.",
            "The value must be greater than zero.",
        );
        return None;
    }
    Some(d)
}

/// A count of pieces: an integer ≥ `min`.
pub(crate) fn count(
    v: &mut Validator,
    field: &str,
    n: Option<i64>,
    min: i64,
    required: bool,
) -> i64 {
    match n {
        None if required => {
            v.add(
                field,
                "required",
                format!("Le champ « {field} » est obligatoire."),
                format!("The field “{field}” is required."),
            );
            0
        }
        None => 0,
        Some(n) if n < min => {
            let (fr, en) = if min == 0 {
                (
                    "La quantité ne peut pas être négative.".to_string(),
                    "The quantity cannot be negative.".to_string(),
                )
            } else {
                (
                    format!("La quantité doit être au moins {min}."),
                    format!("The quantity must be at least {min}."),
                )
            };
            v.add(field, if n < 0 { "negative" } else { "too_small" }, fr, en);
            n
        }
        Some(n) if n > 1_000_000_000 => {
            v.add(
                field,
                "too_large",
                "Quantité hors limites.",
                "Quantity out of range.",
            );
            n
        }
        Some(n) => n,
    }
}

/// Nullable text in a patch: absent keeps, "" clears.
pub(crate) fn merge(patch: &Option<String>, current: &Option<String>) -> Option<String> {
    match patch {
        Some(p) => Some(p.clone()),
        None => current.clone(),
    }
}

pub(crate) fn url(base: &str, path: &str, id: i64) -> String {
    format!("{}/{path}/{id}", base.trim_end_matches('/'))
}

pub const ISO_GROUPS: Codes = &[
    ("P", "P — aciers", "P — steels"),
    ("M", "M — inox austénitiques", "M — austenitic stainless"),
    ("K", "K — fontes", "K — cast irons"),
    ("N", "N — non ferreux", "N — non-ferrous"),
    (
        "S",
        "S — superalliages, titane",
        "S — superalloys, titanium",
    ),
    ("H", "H — aciers trempés", "H — hardened steels"),
];

/// Demo stock (DEMO-SHOP.md §5 and §6): locations, the tool crib, the 15 grades with bars,
/// lots (some certified) and the offcuts of rack R3.
pub async fn load_demo<C: sea_orm::ConnectionTrait>(
    tx: &C,
    ctx: &crate::ctx::Ctx,
) -> Result<(), crate::error::AppError> {
    let locs = locations::load_demo(tx, ctx).await?;
    tools::load_demo(tx, ctx, &locs).await?;
    materials::load_demo(tx, ctx, &locs).await?;
    Ok(())
}
