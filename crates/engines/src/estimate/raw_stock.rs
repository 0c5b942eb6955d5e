//! Raw stock (débit): envelope + machining allowances, then the source of the material —
//! offcuts that fit first, then stock bars, else bought — with the certified-material rule.
//!
//! Allowances (documented in docs/estimate-engine.md):
//! - turned part: Ø + 2 mm up to Ø50, + 3 mm up to Ø120, + 5 mm above; length + 3 mm for facing
//!   (1.5 mm per end); saw kerf 2 mm per cut; bar-fed: length + 1 mm facing + 3 mm parting blade;
//! - prismatic part: + 3 mm per side on length and width, + 2 mm per side on thickness
//!   (+ 6 / + 6 / + 4 in total), saw kerf 2 mm;
//! - sheet part: + 5 mm on length and width (shearing), thickness as drawn.
//!
//! A stock section is accepted when it is at least the needed size and at most 20 mm (or 25 %)
//! larger. Certified stock: a critical part takes only certified stock (or buys it with a 3.1
//! certificate); a non-critical part never takes certified stock unless `allow_certified`, and
//! then after every uncertified candidate.

use super::Sink;
use super::model::*;
use rust_decimal::Decimal;

pub const KERF_MM: f64 = 2.0;
pub const FACING_MM: f64 = 3.0;
pub const BAR_FACING_MM: f64 = 1.0;
pub const PARTING_MM: f64 = 3.0;

/// Standard round bar diameters used when the material is bought.
const STD_ROUNDS: &[f64] = &[
    6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0, 22.0, 25.0, 28.0, 30.0, 32.0, 35.0, 40.0, 45.0,
    50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0, 90.0, 100.0, 110.0, 120.0, 130.0, 140.0, 150.0,
    160.0, 180.0, 200.0, 220.0, 250.0, 280.0, 300.0,
];
/// Standard flat / plate thicknesses and widths.
const STD_FLATS: &[f64] = &[
    5.0, 6.0, 8.0, 10.0, 12.0, 15.0, 16.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 60.0, 70.0,
    80.0, 90.0, 100.0, 120.0, 150.0, 200.0, 250.0, 300.0, 400.0, 500.0,
];

/// Diameter allowance on a turned part.
pub fn diameter_allowance(d: f64) -> f64 {
    if d <= 50.0 {
        2.0
    } else if d <= 120.0 {
        3.0
    } else {
        5.0
    }
}

fn next_std(list: &[f64], min: f64) -> f64 {
    list.iter()
        .copied()
        .find(|v| *v >= min - 1e-9)
        .unwrap_or(min.ceil())
}

/// The minimum section and blank length of a part (before the stock is known).
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    /// Minimum section.
    pub section: Section,
    /// Blank length (mm) including facing allowance (sawn blank).
    pub blank_length: f64,
    pub allowances_fr: Vec<String>,
}

pub fn need(spec: &PartSpec) -> Option<Need> {
    match (spec.shape, spec.envelope) {
        (ShapeClass::Welded | ShapeClass::Unknown, _) => None,
        (_, Envelope::Round { diameter, length }) => {
            let a = diameter_allowance(diameter);
            Some(Need {
                section: Section::Round {
                    diameter: diameter + a,
                },
                blank_length: length + FACING_MM,
                allowances_fr: vec![
                    format!("Ø + {} mm (surépaisseur d'usinage au diamètre)", fmt_mm(a)),
                    format!("longueur + {FACING_MM} mm (dressage des deux faces)"),
                    format!("trait de scie {KERF_MM} mm par coupe"),
                ],
            })
        }
        (
            ShapeClass::SheetBent,
            Envelope::Block {
                length,
                width,
                height,
            },
        ) => Some(Need {
            section: Section::Flat {
                width: width + 5.0,
                thickness: height,
            },
            blank_length: length + 5.0,
            allowances_fr: vec![
                "longueur et largeur + 5 mm (cisaillage)".into(),
                "épaisseur telle que dessinée".into(),
            ],
        }),
        (
            _,
            Envelope::Block {
                length,
                width,
                height,
            },
        ) => {
            // Longest side = cut length; the two others make the section.
            let mut dims = [length, width, height];
            dims.sort_by(|a, b| b.total_cmp(a));
            Some(Need {
                section: Section::Flat {
                    width: dims[1] + 6.0,
                    thickness: dims[2] + 4.0,
                },
                blank_length: dims[0] + 6.0,
                allowances_fr: vec![
                    "longueur et largeur + 3 mm par côté (+ 6 mm)".into(),
                    "épaisseur + 2 mm par face (+ 4 mm)".into(),
                    format!("trait de scie {KERF_MM} mm par coupe"),
                ],
            })
        }
    }
}

/// Oversize of a stock section over the need, or `None` when it does not fit or is too large.
pub fn fits(stock: &Section, need: &Section) -> Option<f64> {
    let ok = |have: f64, want: f64| have + 1e-9 >= want && have - want <= (want * 0.25).max(20.0);
    match (*stock, *need) {
        (Section::Round { diameter: h }, Section::Round { diameter: w }) => {
            ok(h, w).then_some(h - w)
        }
        (
            Section::Flat {
                width: hw,
                thickness: ht,
            },
            Section::Flat {
                width: ww,
                thickness: wt,
            },
        ) => {
            // A flat may be used either way round.
            let a = (ok(hw, ww) && ok(ht, wt)).then_some((hw - ww) + (ht - wt));
            let b = (ok(hw, wt) && ok(ht, ww)).then_some((hw - wt) + (ht - ww));
            match (a, b) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            }
        }
        _ => None,
    }
}

/// Section to buy: next standard size.
pub fn buy_section(need: &Section) -> Section {
    match *need {
        Section::Round { diameter } => Section::Round {
            diameter: next_std(STD_ROUNDS, diameter),
        },
        Section::Flat { width, thickness } => Section::Flat {
            width: next_std(STD_FLATS, width),
            thickness: next_std(STD_FLATS, thickness),
        },
    }
}

/// Stock candidates that can make the part, best first: offcuts, then bars; least oversize;
/// then id. Applies the certified rule.
pub fn ranked_stock<'a>(
    spec: &PartSpec,
    shop: &'a ShopContext,
    need: &Section,
    consumed_length: f64,
) -> Vec<(&'a StockCandidate, f64)> {
    let mut out: Vec<(&StockCandidate, f64)> = shop
        .stock
        .iter()
        .filter(|s| s.grade_id == spec.material.grade_id && s.pieces > 0)
        .filter(|s| s.length + 1e-9 >= consumed_length)
        .filter(|s| {
            if spec.critical {
                s.certified
            } else {
                !s.certified || spec.allow_certified
            }
        })
        .filter_map(|s| fits(&s.section, need).map(|o| (s, o)))
        .collect();
    let cert_last = !spec.critical;
    out.sort_by(|(a, oa), (b, ob)| {
        (cert_last && a.certified)
            .cmp(&(cert_last && b.certified))
            .then(b.is_offcut.cmp(&a.is_offcut))
            .then(oa.total_cmp(ob))
            .then(a.id.cmp(&b.id))
    });
    out
}

/// Parts a stock item can give.
pub fn capacity(s: &StockCandidate, consumed_length: f64) -> u32 {
    if consumed_length <= 0.0 {
        return 0;
    }
    let per_piece = (s.length / consumed_length + 1e-9).floor() as u32;
    per_piece.saturating_mul(s.pieces)
}

/// Mass (kg) of `length` mm of a section at density g/cm³.
pub fn mass_kg(section: &Section, length: f64, density: f64) -> f64 {
    section.area_mm2() * length * density / 1_000_000.0
}

/// Material cost and allocation for `q` parts: stock in rank order, then bought.
#[allow(clippy::too_many_arguments)]
pub fn allocate(
    spec: &PartSpec,
    shop: &ShopContext,
    raw: &RawStock,
    need_section: &Section,
    ranked: &[(&StockCandidate, f64)],
    q: u32,
    sink: &mut Sink,
    key: &str,
) -> (Decimal, Vec<StockAllocation>, Option<u32>) {
    let mut left = q;
    let mut allocs = Vec::new();
    let mut cost = Decimal::ZERO;
    let scrap = Decimal::ONE + shop.settings.material_scrap_pct / Decimal::ONE_HUNDRED;
    let mut buy_lead = None;
    for (s, _) in ranked {
        if left == 0 {
            break;
        }
        let take = capacity(s, raw.consumed_length).min(left);
        if take == 0 {
            continue;
        }
        let m = mass_kg(&s.section, raw.consumed_length, spec.material.density) * f64::from(take);
        let factor = if s.is_offcut { Decimal::ONE } else { scrap };
        let c = super::cents(super::dec(m) * s.cost_per_kg * factor);
        sink.trace_money(
            format!("{key}.stock_{}", s.id),
            &format!("Matière prise en stock : {} ({take} pièce(s))", s.label),
            c,
            "masse × €/kg × (1 + chutes % si barre)",
            &[
                ("masse", format!("{m:.3} kg")),
                ("€/kg", s.cost_per_kg.to_string()),
                (
                    "chutes",
                    if s.is_offcut {
                        "0 % (chute)".into()
                    } else {
                        format!("{} %", shop.settings.material_scrap_pct)
                    },
                ),
            ],
            TraceSource::Stock,
        );
        cost += c;
        left -= take;
        allocs.push(StockAllocation {
            stock_id: Some(s.id),
            label: s.label.clone(),
            is_offcut: s.is_offcut,
            certified: s.certified,
            parts: take,
            cost_per_kg: s.cost_per_kg,
        });
    }
    if left > 0 {
        let price = shop
            .purchase_prices
            .iter()
            .find(|p| p.grade_id == spec.material.grade_id);
        match price {
            None => {
                sink.issue(
                    IssueLevel::Question,
                    "prix_achat_matiere",
                    &format!(
                        "Prix d'achat manquant pour la matière {} : saisir le prix au kg",
                        spec.material.label
                    ),
                );
                allocs.push(StockAllocation {
                    stock_id: None,
                    label: format!(
                        "À acheter : {} {}",
                        spec.material.label,
                        raw.section.label()
                    ),
                    is_offcut: false,
                    certified: spec.critical,
                    parts: left,
                    cost_per_kg: Decimal::ZERO,
                });
            }
            Some(p) => {
                let per_kg = if spec.critical {
                    p.certified_price_per_kg.unwrap_or(p.price_per_kg)
                } else {
                    p.price_per_kg
                };
                let bought = buy_section(need_section);
                let m =
                    mass_kg(&bought, raw.consumed_length, spec.material.density) * f64::from(left);
                let fee = if spec.critical {
                    p.certificate_fee
                } else {
                    Decimal::ZERO
                };
                let c = super::cents(super::dec(m) * per_kg * scrap + fee);
                sink.trace_money(
                    format!("{key}.achat"),
                    &format!(
                        "Matière à acheter{} ({left} pièce(s))",
                        if spec.critical { " certifiée 3.1" } else { "" }
                    ),
                    c,
                    "masse × €/kg × (1 + chutes %) + frais de certificat",
                    &[
                        ("masse", format!("{m:.3} kg")),
                        ("€/kg", per_kg.to_string()),
                        ("chutes", format!("{} %", shop.settings.material_scrap_pct)),
                        ("certificat 3.1", fee.to_string()),
                    ],
                    TraceSource::PrixAchat,
                );
                cost += c;
                buy_lead = Some(p.lead_days);
                allocs.push(StockAllocation {
                    stock_id: None,
                    label: format!(
                        "À acheter : {} {}{}",
                        spec.material.label,
                        bought.label(),
                        if spec.critical {
                            " avec certificat 3.1"
                        } else {
                            ""
                        }
                    ),
                    is_offcut: false,
                    certified: spec.critical,
                    parts: left,
                    cost_per_kg: per_kg,
                });
            }
        }
    }
    (cost, allocs, buy_lead)
}
