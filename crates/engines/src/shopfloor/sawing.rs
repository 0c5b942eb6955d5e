//! Sawing plan for a débit operation (docs/shop-floor.md, "Sawing").
//!
//! Rule: `n` pieces cut from one bar consume `end_trim + n × (cut + kerf)` (the bar end is
//! dressed once, every piece costs its length plus one saw kerf). What remains is a new offcut
//! when it is at least `min_offcut_mm`, scrap when shorter but not zero, nothing when zero.
//! Defaults (setting `shop_floor`): kerf 3 mm, end trim 2 mm, minimum offcut 100 mm.
//!
//! Choice of bars, one physical bar at a time, while pieces remain:
//! 0. the stock line the operator forced, as long as it has bars;
//! 1. the shortest offcut that holds all the remaining pieces;
//! 2. else the shortest full bar that holds all the remaining pieces;
//! 3. else the longest item (offcut first at equal length) that holds at least one piece, cut
//!    as many pieces as it holds, and loop.
//!
//! Ties are broken by `stock_id`, so the plan is deterministic.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use super::{en_num, fr_num};

/// Saw settings (setting `shop_floor`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SawParams {
    /// Width of the saw cut, lost for every piece (mm).
    pub kerf_mm: Decimal,
    /// Length dressed once at the bar end before the first piece (mm).
    pub end_trim_mm: Decimal,
    /// A remainder at least this long is kept as an offcut (mm); shorter is scrap.
    pub min_offcut_mm: Decimal,
}

impl Default for SawParams {
    fn default() -> Self {
        SawParams {
            kerf_mm: Decimal::from(3),
            end_trim_mm: Decimal::from(2),
            min_offcut_mm: Decimal::from(100),
        }
    }
}

/// One stock line of the job's grade and diameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarCandidate {
    pub stock_id: i64,
    /// Length of one bar of this line (mm).
    pub length_mm: Decimal,
    /// Free bars on this line (on hand − reserved).
    pub available: i64,
    pub is_offcut: bool,
}

/// What is left of a bar after cutting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Remainder {
    /// At least the minimum offcut length: becomes a new offcut stock line.
    Offcut,
    /// Shorter than the minimum offcut, but not zero: thrown away.
    Scrap,
    /// Nothing left.
    None,
}

/// One physical bar cut.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarCut {
    pub stock_id: i64,
    pub length_mm: Decimal,
    pub is_offcut: bool,
    /// Pieces cut from this bar.
    pub pieces: u32,
    /// `end_trim + pieces × (cut + kerf)`.
    pub consumed_mm: Decimal,
    /// `length − consumed`.
    pub remainder_mm: Decimal,
    pub remainder: Remainder,
}

/// The bars to cut, in cutting order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SawPlan {
    pub cuts: Vec<BarCut>,
    /// Pieces cut (= pieces wanted).
    pub pieces: u32,
    /// Total length consumed (pieces, kerfs and end trims).
    pub consumed_mm: Decimal,
    /// Number of new offcuts.
    pub offcuts: u32,
    /// Total length of the remainders too short to keep (kerfs and trims not included).
    pub scrap_mm: Decimal,
    /// Total length of the new offcuts.
    pub offcut_mm: Decimal,
}

/// Why no plan can be made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SawError {
    /// Zero pieces asked.
    NoPieces,
    /// Cut length zero or negative.
    InvalidLength,
    /// The forced stock line cannot hold one piece.
    BarTooShort {
        stock_id: i64,
        length_mm: Decimal,
        needed_mm: Decimal,
    },
    /// The forced stock line is not among the candidates (or has no free bar).
    UnknownStock { stock_id: i64 },
    /// All the candidates together give fewer pieces than wanted.
    NotEnough { available_pieces: u32, wanted: u32 },
}

impl SawError {
    /// Stable code (snake_case) for the API error.
    pub fn code(&self) -> &'static str {
        match self {
            SawError::NoPieces => "no_pieces",
            SawError::InvalidLength => "invalid_length",
            SawError::BarTooShort { .. } => "bar_too_short",
            SawError::UnknownStock { .. } => "unknown_stock",
            SawError::NotEnough { .. } => "not_enough_stock",
        }
    }

    /// Message in French.
    pub fn fr(&self) -> String {
        match self {
            SawError::NoPieces => "Aucune pièce à débiter : indiquez au moins une pièce.".into(),
            SawError::InvalidLength => {
                "Longueur de débit invalide : elle doit être supérieure à 0 mm.".into()
            }
            SawError::BarTooShort {
                stock_id,
                length_mm,
                needed_mm,
            } => format!(
                "Barre trop courte : la ligne de stock n° {stock_id} fait {} mm, il faut {} mm \
                 pour une pièce (longueur de débit + trait de scie + dressage).",
                fr_num(*length_mm),
                fr_num(*needed_mm)
            ),
            SawError::UnknownStock { stock_id } => format!(
                "Ligne de stock n° {stock_id} introuvable : elle n'est pas parmi les barres \
                 disponibles de cette nuance et de ce diamètre."
            ),
            SawError::NotEnough {
                available_pieces,
                wanted,
            } => format!(
                "Stock insuffisant : les barres disponibles donnent {available_pieces} pièce(s), \
                 il en faut {wanted}."
            ),
        }
    }

    /// Message in English.
    pub fn en(&self) -> String {
        match self {
            SawError::NoPieces => "Nothing to saw: enter at least one piece.".into(),
            SawError::InvalidLength => "Invalid cut length: it must be greater than 0 mm.".into(),
            SawError::BarTooShort {
                stock_id,
                length_mm,
                needed_mm,
            } => format!(
                "Bar too short: stock line #{stock_id} is {} mm long, one piece needs {} mm \
                 (cut length + saw kerf + end trim).",
                en_num(*length_mm),
                en_num(*needed_mm)
            ),
            SawError::UnknownStock { stock_id } => format!(
                "Stock line #{stock_id} not found among the available bars of this grade and \
                 diameter."
            ),
            SawError::NotEnough {
                available_pieces,
                wanted,
            } => format!(
                "Not enough stock: the available bars give {available_pieces} piece(s), \
                 {wanted} are needed."
            ),
        }
    }
}

impl std::fmt::Display for SawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.fr())
    }
}

impl std::error::Error for SawError {}

/// Pieces of `cut_mm` one bar of `length_mm` holds: the largest `n` with
/// `end_trim + n × (cut + kerf) ≤ length`. Zero when the cut length is not positive.
pub fn pieces_per_bar(length_mm: Decimal, cut_mm: Decimal, p: &SawParams) -> u32 {
    let step = cut_mm + p.kerf_mm.max(Decimal::ZERO);
    if cut_mm <= Decimal::ZERO || step <= Decimal::ZERO {
        return 0;
    }
    let usable = length_mm - p.end_trim_mm.max(Decimal::ZERO);
    if usable < step {
        return 0;
    }
    match usable.checked_div(step) {
        Some(q) => q.floor().to_u32().unwrap_or(u32::MAX),
        None => u32::MAX,
    }
}

/// Length consumed by `n` pieces on one bar.
fn consumed(n: u32, cut_mm: Decimal, p: &SawParams) -> Decimal {
    p.end_trim_mm.max(Decimal::ZERO) + Decimal::from(n) * (cut_mm + p.kerf_mm.max(Decimal::ZERO))
}

fn cut_bar(c: &BarCandidate, n: u32, cut_mm: Decimal, p: &SawParams) -> BarCut {
    let consumed_mm = consumed(n, cut_mm, p);
    let remainder_mm = c.length_mm - consumed_mm;
    let remainder = if remainder_mm >= p.min_offcut_mm && remainder_mm > Decimal::ZERO {
        Remainder::Offcut
    } else if remainder_mm > Decimal::ZERO {
        Remainder::Scrap
    } else {
        Remainder::None
    };
    BarCut {
        stock_id: c.stock_id,
        length_mm: c.length_mm,
        is_offcut: c.is_offcut,
        pieces: n,
        consumed_mm,
        remainder_mm,
        remainder,
    }
}

/// A candidate line while planning: its bars left and what one bar holds.
struct Line<'a> {
    c: &'a BarCandidate,
    per_bar: u32,
    left: i64,
}

/// Plans the bars to cut for `pieces` pieces of `cut_mm` (see the module rule).
/// `forced` is the stock line the operator chose: it is used first, the rule completes it.
pub fn plan(
    candidates: &[BarCandidate],
    cut_mm: Decimal,
    pieces: u32,
    p: &SawParams,
    forced: Option<i64>,
) -> Result<SawPlan, SawError> {
    if pieces == 0 {
        return Err(SawError::NoPieces);
    }
    if cut_mm <= Decimal::ZERO {
        return Err(SawError::InvalidLength);
    }
    let mut lines: Vec<Line> = candidates
        .iter()
        .map(|c| Line {
            c,
            per_bar: pieces_per_bar(c.length_mm, cut_mm, p),
            left: c.available.max(0),
        })
        .collect();
    // Deterministic order whatever the caller's order: by stock_id.
    lines.sort_by_key(|l| l.c.stock_id);

    let mut cuts: Vec<BarCut> = Vec::new();
    let mut remaining = pieces;

    if let Some(id) = forced {
        let idx = lines
            .iter()
            .position(|l| l.c.stock_id == id && l.left > 0)
            .ok_or(SawError::UnknownStock { stock_id: id })?;
        let line = &mut lines[idx];
        if line.per_bar == 0 {
            return Err(SawError::BarTooShort {
                stock_id: id,
                length_mm: line.c.length_mm,
                needed_mm: consumed(1, cut_mm, p),
            });
        }
        while remaining > 0 && line.left > 0 {
            let n = line.per_bar.min(remaining);
            cuts.push(cut_bar(line.c, n, cut_mm, p));
            line.left -= 1;
            remaining -= n;
        }
    }

    while remaining > 0 {
        let usable = || {
            lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.left > 0 && l.per_bar > 0)
        };
        // (1) shortest offcut holding everything, (2) shortest full bar holding everything.
        let holds_all = |offcut: bool| {
            usable()
                .filter(|(_, l)| l.c.is_offcut == offcut && l.per_bar >= remaining)
                .min_by(|(_, a), (_, b)| {
                    a.c.length_mm
                        .cmp(&b.c.length_mm)
                        .then(a.c.stock_id.cmp(&b.c.stock_id))
                })
                .map(|(i, _)| i)
        };
        // (3) longest item, offcut first at equal length, lowest stock_id.
        let longest = || {
            usable()
                .min_by(|(_, a), (_, b)| {
                    b.c.length_mm
                        .cmp(&a.c.length_mm)
                        .then(b.c.is_offcut.cmp(&a.c.is_offcut))
                        .then(a.c.stock_id.cmp(&b.c.stock_id))
                })
                .map(|(i, _)| i)
        };
        let Some(idx) = holds_all(true)
            .or_else(|| holds_all(false))
            .or_else(longest)
        else {
            let available_pieces = candidates
                .iter()
                .map(|c| {
                    u64::from(pieces_per_bar(c.length_mm, cut_mm, p))
                        .saturating_mul(c.available.max(0) as u64)
                })
                .fold(0u64, u64::saturating_add);
            return Err(SawError::NotEnough {
                available_pieces: u32::try_from(available_pieces).unwrap_or(u32::MAX),
                wanted: pieces,
            });
        };
        let line = &mut lines[idx];
        let n = line.per_bar.min(remaining);
        cuts.push(cut_bar(line.c, n, cut_mm, p));
        line.left -= 1;
        remaining -= n;
    }

    let mut plan = SawPlan {
        cuts: Vec::new(),
        pieces: 0,
        consumed_mm: Decimal::ZERO,
        offcuts: 0,
        scrap_mm: Decimal::ZERO,
        offcut_mm: Decimal::ZERO,
    };
    for c in &cuts {
        plan.pieces += c.pieces;
        plan.consumed_mm += c.consumed_mm;
        match c.remainder {
            Remainder::Offcut => {
                plan.offcuts += 1;
                plan.offcut_mm += c.remainder_mm;
            }
            Remainder::Scrap => plan.scrap_mm += c.remainder_mm,
            Remainder::None => {}
        }
    }
    plan.cuts = cuts;
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn d(v: i64) -> Decimal {
        Decimal::from(v)
    }

    fn bar(stock_id: i64, length: i64, available: i64, is_offcut: bool) -> BarCandidate {
        BarCandidate {
            stock_id,
            length_mm: d(length),
            available,
            is_offcut,
        }
    }

    #[test]
    fn pieces_per_bar_counts_trim_and_kerf() {
        let p = SawParams::default();
        // 2 + n × 73 ≤ 3000 → n = 41 (2 + 41×73 = 2995).
        assert_eq!(pieces_per_bar(d(3000), d(70), &p), 41);
        assert_eq!(pieces_per_bar(d(75), d(70), &p), 1);
        assert_eq!(pieces_per_bar(d(74), d(70), &p), 0);
        assert_eq!(pieces_per_bar(d(3000), d(0), &p), 0);
        assert_eq!(pieces_per_bar(d(3000), d(-5), &p), 0);
        assert_eq!(
            pieces_per_bar(Decimal::new(1505, 1), Decimal::new(725, 1), &p),
            1
        );
    }

    #[test]
    fn remainder_kinds() {
        let p = SawParams::default();
        // 1 piece of 70 on 75 mm: 2 + 73 = 75, nothing left.
        let plan = plan(&[bar(1, 75, 1, true)], d(70), 1, &p, None).unwrap();
        assert_eq!(plan.cuts[0].remainder, Remainder::None);
        assert_eq!(plan.cuts[0].remainder_mm, d(0));
        // 1 piece on 150: 75 left → scrap.
        let plan2 = super::plan(&[bar(1, 150, 1, true)], d(70), 1, &p, None).unwrap();
        assert_eq!(plan2.cuts[0].remainder, Remainder::Scrap);
        assert_eq!(plan2.scrap_mm, d(75));
        // 1 piece on 175: exactly 100 left → offcut.
        let plan3 = super::plan(&[bar(1, 175, 1, false)], d(70), 1, &p, None).unwrap();
        assert_eq!(plan3.cuts[0].remainder, Remainder::Offcut);
        assert_eq!(plan3.offcuts, 1);
        assert_eq!(plan3.offcut_mm, d(100));
    }

    #[test]
    fn offcut_first_then_shortest_full_bar() {
        let p = SawParams::default();
        let c = vec![
            bar(1, 3000, 5, false),
            bar(2, 1000, 5, false),
            bar(3, 400, 1, true),
            bar(4, 300, 1, true),
            bar(5, 150, 1, true),
        ];
        // 4 pieces of 70: need 2 + 4×73 = 294 → offcut 300 (shortest holding all).
        let pl = plan(&c, d(70), 4, &p, None).unwrap();
        assert_eq!(pl.cuts.len(), 1);
        assert_eq!(pl.cuts[0].stock_id, 4);
        // 10 pieces: 732 mm, no offcut holds all → shortest full bar that does: 1000.
        let pl = plan(&c, d(70), 10, &p, None).unwrap();
        assert_eq!(pl.cuts.len(), 1);
        assert_eq!(pl.cuts[0].stock_id, 2);
        assert_eq!(pl.cuts[0].remainder_mm, d(268));
        assert_eq!(pl.cuts[0].remainder, Remainder::Offcut);
    }

    #[test]
    fn longest_first_when_nothing_holds_everything() {
        let p = SawParams::default();
        let c = vec![
            bar(1, 1000, 2, false), // 13 pieces per bar
            bar(2, 1000, 1, true),  // same length, offcut first
            bar(3, 300, 1, true),   // 4 pieces
        ];
        // 30 pieces: nothing holds 30 → longest (offcut 1000: 13), 17 left → longest
        // (bar 1000: 13), 4 left → offcut 300 holds all.
        let pl = plan(&c, d(70), 30, &p, None).unwrap();
        let ids: Vec<(i64, u32)> = pl.cuts.iter().map(|c| (c.stock_id, c.pieces)).collect();
        assert_eq!(ids, vec![(2, 13), (1, 13), (3, 4)]);
        assert_eq!(pl.pieces, 30);
        assert_eq!(pl.consumed_mm, d(2 + 13 * 73 + 2 + 13 * 73 + 2 + 4 * 73));
    }

    #[test]
    fn forced_line_first_then_rule() {
        let p = SawParams::default();
        let c = vec![
            bar(1, 3000, 3, false),
            bar(2, 300, 1, true),
            bar(7, 500, 1, false),
        ];
        // Forced 7 (6 pieces), 4 left → offcut 300.
        let pl = plan(&c, d(70), 10, &p, Some(7)).unwrap();
        let ids: Vec<(i64, u32)> = pl.cuts.iter().map(|c| (c.stock_id, c.pieces)).collect();
        assert_eq!(ids, vec![(7, 6), (2, 4)]);
        // Forced line holding everything: used alone even if an offcut would do.
        let pl = plan(&c, d(70), 3, &p, Some(1)).unwrap();
        assert_eq!(pl.cuts.len(), 1);
        assert_eq!(pl.cuts[0].stock_id, 1);
    }

    #[test]
    fn forced_errors() {
        let p = SawParams::default();
        let c = vec![
            bar(1, 3000, 3, false),
            bar(2, 120, 1, true),
            bar(3, 3000, 0, false),
        ];
        assert_eq!(
            plan(&c, d(70), 2, &p, Some(9)),
            Err(SawError::UnknownStock { stock_id: 9 })
        );
        assert_eq!(
            plan(&c, d(70), 2, &p, Some(3)),
            Err(SawError::UnknownStock { stock_id: 3 })
        );
        let e = plan(&c, d(120), 2, &p, Some(2)).unwrap_err();
        assert_eq!(
            e,
            SawError::BarTooShort {
                stock_id: 2,
                length_mm: d(120),
                needed_mm: d(125)
            }
        );
        assert_eq!(
            e.fr(),
            "Barre trop courte : la ligne de stock n° 2 fait 120 mm, il faut 125 mm pour une \
             pièce (longueur de débit + trait de scie + dressage)."
        );
        assert!(e.en().contains("120 mm"));
    }

    #[test]
    fn input_errors_and_not_enough() {
        let p = SawParams::default();
        let c = vec![
            bar(1, 1000, 2, false),
            bar(2, 300, 1, true),
            bar(3, 50, 4, true),
        ];
        assert_eq!(plan(&c, d(70), 0, &p, None), Err(SawError::NoPieces));
        assert_eq!(plan(&c, d(0), 3, &p, None), Err(SawError::InvalidLength));
        assert_eq!(plan(&c, d(-1), 3, &p, None), Err(SawError::InvalidLength));
        let e = plan(&c, d(70), 40, &p, None).unwrap_err();
        assert_eq!(
            e,
            SawError::NotEnough {
                available_pieces: 30,
                wanted: 40
            }
        );
        assert_eq!(
            e.fr(),
            "Stock insuffisant : les barres disponibles donnent 30 pièce(s), il en faut 40."
        );
        assert_eq!(
            plan(&[], d(70), 1, &p, None).unwrap_err().code(),
            "not_enough_stock"
        );
    }

    #[test]
    fn decimal_lengths_and_french_numbers() {
        let p = SawParams {
            kerf_mm: Decimal::new(25, 1),
            ..SawParams::default()
        };
        let c = vec![BarCandidate {
            stock_id: 4,
            length_mm: Decimal::new(705, 1),
            available: 1,
            is_offcut: true,
        }];
        let e = plan(&c, Decimal::new(725, 1), 1, &p, Some(4)).unwrap_err();
        assert!(e.fr().contains("70,5 mm"), "{}", e.fr());
        assert!(e.fr().contains("77 mm"), "{}", e.fr());
        assert!(e.en().contains("70.5 mm"), "{}", e.en());
    }

    #[test]
    fn serde_shapes() {
        assert_eq!(
            serde_json::to_string(&Remainder::Offcut).unwrap(),
            "\"offcut\""
        );
        assert_eq!(serde_json::to_string(&Remainder::None).unwrap(), "\"none\"");
        let pl = plan(
            &[bar(1, 300, 1, true)],
            d(70),
            1,
            &SawParams::default(),
            None,
        )
        .unwrap();
        let back: SawPlan = serde_json::from_str(&serde_json::to_string(&pl).unwrap()).unwrap();
        assert_eq!(back, pl);
    }

    fn arb_candidates() -> impl Strategy<Value = Vec<BarCandidate>> {
        proptest::collection::vec((50i64..4000, 0i64..4, any::<bool>()), 0..12).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (len, avail, off))| bar(i as i64 + 1, len, avail, off))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn plan_properties(
            cands in arb_candidates(),
            cut in 5i64..600,
            pieces in 1u32..80,
            forced in proptest::option::of(1i64..14),
        ) {
            let p = SawParams::default();
            match plan(&cands, d(cut), pieces, &p, forced) {
                Ok(pl) => {
                    let mut used: HashMap<i64, i64> = HashMap::new();
                    let mut total = 0u32;
                    for c in &pl.cuts {
                        prop_assert_eq!(c.consumed_mm + c.remainder_mm, c.length_mm);
                        prop_assert!(c.pieces >= 1);
                        prop_assert!(c.remainder_mm >= Decimal::ZERO);
                        prop_assert_eq!(
                            c.remainder,
                            if c.remainder_mm >= p.min_offcut_mm { Remainder::Offcut }
                            else if c.remainder_mm > Decimal::ZERO { Remainder::Scrap }
                            else { Remainder::None }
                        );
                        *used.entry(c.stock_id).or_default() += 1;
                        total += c.pieces;
                    }
                    prop_assert_eq!(total, pieces);
                    prop_assert_eq!(pl.pieces, pieces);
                    for (id, n) in used {
                        let line = cands.iter().find(|c| c.stock_id == id).unwrap();
                        prop_assert!(n <= line.available);
                    }
                    if let Some(f) = forced {
                        prop_assert_eq!(pl.cuts[0].stock_id, f);
                    }
                }
                Err(SawError::NotEnough { available_pieces, wanted }) => {
                    prop_assert!(available_pieces < wanted);
                    let cap: u32 = cands.iter()
                        .map(|c| pieces_per_bar(c.length_mm, d(cut), &p) * c.available as u32)
                        .sum();
                    prop_assert_eq!(cap, available_pieces);
                }
                Err(SawError::UnknownStock { stock_id }) => {
                    prop_assert!(!cands.iter().any(|c| c.stock_id == stock_id && c.available > 0));
                }
                Err(SawError::BarTooShort { stock_id, .. }) => {
                    let line = cands.iter().find(|c| c.stock_id == stock_id).unwrap();
                    prop_assert_eq!(pieces_per_bar(line.length_mm, d(cut), &p), 0);
                }
                Err(e) => prop_assert!(false, "unexpected {:?}", e),
            }
        }

        #[test]
        fn plan_is_order_independent(cands in arb_candidates(), cut in 5i64..600, pieces in 1u32..60) {
            let p = SawParams::default();
            let mut rev = cands.clone();
            rev.reverse();
            prop_assert_eq!(plan(&cands, d(cut), pieces, &p, None), plan(&rev, d(cut), pieces, &p, None));
        }
    }
}
