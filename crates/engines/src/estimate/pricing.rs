//! Prices: three scenarios per quantity break and the minimum-margin rule.
//!
//! Margin is a margin **on cost** (coût de revient): `margin % = (price − cost) / cost × 100`
//! (DEMO-SHOP §3: "target margin 15 % on cost; floor 8 %").
//!
//! - cost = hours cost + material + subcontracting + tools. When the grid rates already contain
//!   the target margin (`rates_include_target_margin`), hours cost = Σ hours × rate / (1 + target).
//! - Standard = (hours cost + other costs) × (1 + target).
//! - Express = (hours cost × express coef + other costs) × (1 + target); the 48 h coefficient
//!   applies when the Express lead time is ≤ 2 working days.
//! - Économique = (hours cost × economy coef + other costs) × (1 + target).
//! - Floor: no scenario below cost × (1 + min margin): it is raised to it and flagged. A price
//!   typed by hand below the floor is refused by [`check_price`].
//! - Unit price rounded to the cent (half away from zero); a floor-raised unit price is rounded
//!   up so that the rounded price still holds the minimum margin. Total = unit × quantity.

use super::model::{PricingSettings, Scenario, ScenarioKind};
use super::{ceil_cents, cents};
use rust_decimal::Decimal;
use std::fmt;

/// Margin on cost (%), two decimals; 0 when the cost is not positive.
pub fn margin_pct(cost: Decimal, price: Decimal) -> Decimal {
    if cost <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    ((price - cost) / cost * Decimal::ONE_HUNDRED).round_dp(2)
}

/// Lowest price (rounded up to the cent) that holds the minimum margin.
pub fn min_price(cost: Decimal, settings: &PricingSettings) -> Decimal {
    ceil_cents(cost * (Decimal::ONE + settings.min_margin_pct / Decimal::ONE_HUNDRED))
}

/// Why a price typed by hand is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarginError {
    /// Zero or negative price.
    NotPositive { price: Decimal },
    /// Price below the minimum margin.
    BelowMinimum {
        cost: Decimal,
        price: Decimal,
        margin_pct: Decimal,
        min_margin_pct: Decimal,
        min_price: Decimal,
    },
}

impl MarginError {
    /// The message shown to the person, in French.
    pub fn message_fr(&self) -> String {
        match self {
            MarginError::NotPositive { price } => format!(
                "Prix refusé : {} HT n'est pas un prix de vente valable (il doit être positif).",
                eur(*price)
            ),
            MarginError::BelowMinimum {
                cost,
                price,
                margin_pct,
                min_margin_pct,
                min_price,
            } => format!(
                "Prix refusé : {} HT donne une marge de {} % sur le coût de revient ({} HT), \
                 inférieure à la marge minimum de {} %. Prix minimum : {} HT.",
                eur(*price),
                pct(*margin_pct),
                eur(*cost),
                pct(*min_margin_pct),
                eur(*min_price)
            ),
        }
    }
}

impl fmt::Display for MarginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_fr())
    }
}

impl std::error::Error for MarginError {}

/// Checks a price entered by hand against the minimum margin.
pub fn check_price(
    cost: Decimal,
    price: Decimal,
    settings: &PricingSettings,
) -> Result<(), MarginError> {
    if price <= Decimal::ZERO {
        return Err(MarginError::NotPositive { price });
    }
    let floor = cost * (Decimal::ONE + settings.min_margin_pct / Decimal::ONE_HUNDRED);
    if price < floor {
        return Err(MarginError::BelowMinimum {
            cost: cents(cost),
            price,
            margin_pct: margin_pct(cost, price),
            min_margin_pct: settings.min_margin_pct,
            min_price: min_price(cost, settings),
        });
    }
    Ok(())
}

/// "1 234,50 €"
pub fn eur(d: Decimal) -> String {
    let s = format!("{:.2}", cents(d));
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{frac} €")
}

/// "8" or "6,95"
pub fn pct(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

/// Inputs of one scenario price.
pub struct ScenarioInput {
    pub kind: ScenarioKind,
    pub hours_coef: Decimal,
    pub quantity: u32,
    pub hours_cost: Decimal,
    pub other_cost: Decimal,
    pub total_cost: Decimal,
    pub lead_time_days: u32,
}

/// Prices one scenario (see the module doc for the rules).
pub fn price_scenario(i: &ScenarioInput, s: &PricingSettings) -> Scenario {
    let q = Decimal::from(i.quantity.max(1));
    let target = Decimal::ONE + s.target_margin_pct / Decimal::ONE_HUNDRED;
    let raw = (i.hours_cost * i.hours_coef + i.other_cost) * target;
    let floor = i.total_cost * (Decimal::ONE + s.min_margin_pct / Decimal::ONE_HUNDRED);
    let mut unit = cents(raw / q);
    let mut raised_margin = false;
    let mut raised_line = false;
    if unit * q < floor {
        unit = ceil_cents(floor / q);
        raised_margin = true;
    }
    if let Some(min_line) = s.min_line_amount
        && unit * q < min_line
    {
        unit = ceil_cents(min_line / q);
        raised_line = true;
    }
    let total = unit * q;
    let margin = margin_pct(i.total_cost, total);
    let mut note = match i.kind {
        ScenarioKind::Standard => "Planning actuel, marge cible.".to_string(),
        ScenarioKind::Express => format!(
            "Prioritaire (heures supplémentaires, replanification) : heures × {}.",
            pct(i.hours_coef)
        ),
        ScenarioKind::Economique => format!(
            "Délai long, fabrication groupée sur créneaux libres : heures × {}.",
            pct(i.hours_coef)
        ),
    };
    if raised_margin {
        note.push_str(&format!(
            " Prix relevé à la marge minimum de {} % (le calcul donnait {} HT).",
            pct(s.min_margin_pct),
            eur(cents(raw))
        ));
    }
    if raised_line {
        note.push_str(&format!(
            " Prix relevé au minimum de ligne de {} HT.",
            eur(s.min_line_amount.unwrap_or_default())
        ));
    }
    Scenario {
        kind: i.kind,
        hours_coef: i.hours_coef,
        unit_price: unit,
        total_price: total,
        margin_pct: margin,
        lead_time_days: i.lead_time_days,
        raised_to_min_margin: raised_margin,
        raised_to_min_line: raised_line,
        note_fr: note,
    }
}
