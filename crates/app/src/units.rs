//! Money and quantities. Money is stored as integer cents (`i64`) and sent as a decimal string
//! with two decimals (`"1234.50"`); quantities and dimensions are `rust_decimal` sent as
//! strings. Never `f64`: SQLite would store a decimal column as REAL and lose cents.

use crate::error::Validator;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Cents → `"1234.50"`.
///
/// ```
/// assert_eq!(usinage_app::units::cents_to_string(123450), "1234.50");
/// assert_eq!(usinage_app::units::cents_to_string(-5), "-0.05");
/// ```
pub fn cents_to_string(cents: i64) -> String {
    Decimal::new(cents, 2).to_string()
}

/// Parses a decimal typed by a person: accepts `1234.5`, `1234,50`, `1 234,50`.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let cleaned: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '\u{a0}')
        .collect::<String>()
        .replace(',', ".");
    if cleaned.is_empty() || cleaned.len() > 40 {
        return None;
    }
    Decimal::from_str(&cleaned).ok()
}

/// Validates a money amount (at most 2 decimals, within ±10 billion €) and returns cents.
pub fn money_field(v: &mut Validator, field: &str, s: &str, allow_negative: bool) -> Option<i64> {
    let Some(d) = parse_decimal(s) else {
        v.add(
            field,
            "invalid_amount",
            format!("Montant invalide : « {s} »."),
            format!("Invalid amount: “{s}”."),
        );
        return None;
    };
    if d.scale() > 2 && d != d.round_dp(2) {
        v.add(
            field,
            "too_many_decimals",
            "Un montant a au plus 2 décimales.",
            "An amount has at most 2 decimals.",
        );
        return None;
    }
    if !allow_negative && d.is_sign_negative() && !d.is_zero() {
        v.add(
            field,
            "negative",
            "Le montant ne peut pas être négatif.",
            "The amount cannot be negative.",
        );
        return None;
    }
    let cents = (d * Decimal::from(100)).round();
    let cents = i64::try_from(cents)
        .ok()
        .filter(|c| c.abs() <= 1_000_000_000_000);
    if cents.is_none() {
        v.add(
            field,
            "out_of_range",
            "Montant hors limites.",
            "Amount out of range.",
        );
    }
    cents
}

/// Validates a decimal quantity with at most `max_scale` decimals within `[min, max]`.
pub fn decimal_field(
    v: &mut Validator,
    field: &str,
    s: &str,
    max_scale: u32,
    min: Decimal,
    max: Decimal,
) -> Option<Decimal> {
    let Some(d) = parse_decimal(s) else {
        v.add(
            field,
            "invalid_number",
            format!("Nombre invalide : « {s} »."),
            format!("Invalid number: “{s}”."),
        );
        return None;
    };
    if d != d.round_dp(max_scale) {
        v.add(
            field,
            "too_many_decimals",
            format!("Au plus {max_scale} décimales."),
            format!("At most {max_scale} decimals."),
        );
        return None;
    }
    if d < min {
        let code = if min.is_zero() {
            "negative"
        } else {
            "too_small"
        };
        v.add(
            field,
            code,
            format!("La valeur doit être au moins {min}."),
            format!("The value must be at least {min}."),
        );
        return None;
    }
    if d > max {
        v.add(
            field,
            "too_large",
            format!("La valeur doit être au plus {max}."),
            format!("The value must be at most {max}."),
        );
        return None;
    }
    Some(d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn amounts_typed_the_french_way_become_cents() {
        let mut v = Validator::default();
        assert_eq!(money_field(&mut v, "rate", "1 234,50", false), Some(123450));
        assert_eq!(money_field(&mut v, "rate", "45", false), Some(4500));
        assert_eq!(money_field(&mut v, "rate", "45.10", false), Some(4510));
        assert!(v.errors.is_empty());
        assert_eq!(money_field(&mut v, "rate", "-3", false), None);
        assert_eq!(money_field(&mut v, "rate", "3.005", false), None);
        assert_eq!(money_field(&mut v, "rate", "abc", false), None);
        let codes: Vec<_> = v.errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["negative", "too_many_decimals", "invalid_amount"]);
    }

    #[test]
    fn quantities_are_bounded_and_keep_their_scale() {
        let mut v = Validator::default();
        assert_eq!(
            decimal_field(&mut v, "length_mm", "70,5", 2, dec("0"), dec("12000")),
            Some(dec("70.5"))
        );
        assert_eq!(
            decimal_field(&mut v, "qty", "-1", 3, dec("0"), dec("1000000")),
            None
        );
        assert_eq!(v.errors[0].code, "negative");
    }
}
