//! Material stock choices (DOMAIN.md §3.13, W6).
//!
//! - [`suggest_stock`]: which bars, plates or offcuts to cut for a job. Offcuts that fit are
//!   offered before full bars ("reste une barre de 70 mm sur du Ø50, on la réutilise"), least
//!   waste first. Certified stock is kept for the parts that require it: a standard job only sees
//!   it when direction allowed it, and then after every uncertified candidate.
//! - [`suggest_storage`]: where to store a grade: frequently cut grades near the saw.

use rust_decimal::Decimal;
use serde::Serialize;

/// One stock item as the engine sees it (already filtered to active items by the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct StockItem {
    pub id: i64,
    pub grade_id: i64,
    pub shape: String,
    /// Diameter, side or thickness (mm) — the section size compared with the request.
    pub diameter: Decimal,
    /// Length of one piece (mm).
    pub length: Decimal,
    /// Pieces on hand minus pieces reserved for other jobs.
    pub available: i64,
    pub is_offcut: bool,
    pub certified: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StockNeed {
    pub grade_id: i64,
    pub shape: String,
    /// Smallest section size that can make the part (mm).
    pub diameter: Decimal,
    /// Length of one blank (mm), saw kerf included by the caller if wanted.
    pub needed_length: Decimal,
    /// Number of blanks.
    pub qty: i64,
    /// The part requires certified material (aero, defence…).
    pub certified_required: bool,
    /// A standard job may use certified stock (direction's decision for this job).
    pub allow_certified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub item_id: i64,
    pub is_offcut: bool,
    pub certified: bool,
    /// Blanks this item can give (all its available pieces), capped at the quantity needed.
    pub blanks: i64,
    /// Whether this item alone covers the whole need.
    pub covers_need: bool,
    /// Oversize of the section (mm): stock diameter − needed diameter.
    pub oversize: Decimal,
    /// Length left over (mm) after cutting `blanks` blanks from this item's pieces.
    pub waste_length: Decimal,
}

/// Ranks the stock that can make `need`: offcuts first, then full bars; inside each, least
/// oversize, then least length wasted, then covering the whole need, then id (stable).
/// Certified stock is excluded for a standard job unless `allow_certified`, and then comes after
/// every uncertified candidate. A part that requires certified material sees only certified stock.
pub fn suggest_stock(need: &StockNeed, stock: &[StockItem]) -> Vec<Candidate> {
    if need.qty <= 0 || need.needed_length <= Decimal::ZERO {
        return vec![];
    }
    let mut out: Vec<Candidate> = stock
        .iter()
        .filter(|s| s.grade_id == need.grade_id && s.shape == need.shape)
        .filter(|s| s.diameter >= need.diameter && s.available > 0)
        .filter(|s| {
            if need.certified_required {
                s.certified
            } else {
                !s.certified || need.allow_certified
            }
        })
        .filter_map(|s| {
            let per_piece = (s.length / need.needed_length).floor();
            let per_piece = i64::try_from(per_piece).ok().filter(|n| *n >= 1)?;
            let possible = per_piece.saturating_mul(s.available);
            let blanks = possible.min(need.qty);
            // Pieces actually opened and what remains of them.
            let pieces_used = (blanks + per_piece - 1) / per_piece;
            let waste =
                Decimal::from(pieces_used) * s.length - Decimal::from(blanks) * need.needed_length;
            Some(Candidate {
                item_id: s.id,
                is_offcut: s.is_offcut,
                certified: s.certified,
                blanks,
                covers_need: blanks >= need.qty,
                oversize: s.diameter - need.diameter,
                waste_length: waste,
            })
        })
        .collect();
    let certified_last = !need.certified_required;
    out.sort_by(|a, b| {
        (certified_last && a.certified)
            .cmp(&(certified_last && b.certified))
            .then(b.is_offcut.cmp(&a.is_offcut))
            .then(a.oversize.cmp(&b.oversize))
            .then(a.waste_length.cmp(&b.waste_length))
            .then(b.covers_need.cmp(&a.covers_need))
            .then(a.item_id.cmp(&b.item_id))
    });
    out
}

/// A storage location with its walking distance to the saw (m).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub id: i64,
    pub saw_distance: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceScore {
    pub location_id: i64,
    /// Distance from the ideal distance for this grade (m); lower is better.
    pub gap: Decimal,
}

/// Ranks places to store `grade_id`. `cut_counts` = (grade id, number of cuts recorded). The
/// grades are ordered by how often they are cut; the most cut grade's ideal place is the one
/// nearest the saw, the least cut grade's the farthest, linearly in between. Places are ranked
/// by their gap to that ideal distance, then by distance, then by id.
pub fn suggest_storage(
    grade_id: i64,
    cut_counts: &[(i64, u64)],
    places: &[Place],
) -> Vec<PlaceScore> {
    if places.is_empty() {
        return vec![];
    }
    let min = places
        .iter()
        .map(|p| p.saw_distance)
        .min()
        .unwrap_or_default();
    let max = places
        .iter()
        .map(|p| p.saw_distance)
        .max()
        .unwrap_or_default();
    let mut counts: Vec<(i64, u64)> = cut_counts.to_vec();
    if !counts.iter().any(|(g, _)| *g == grade_id) {
        counts.push((grade_id, 0));
    }
    // Most cut first; ties by grade id for a stable answer.
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let rank = counts.iter().position(|(g, _)| *g == grade_id).unwrap_or(0);
    let ideal = if counts.len() <= 1 || counts[rank].1 == counts[0].1 {
        min
    } else {
        min + (max - min) * Decimal::from(rank as u64) / Decimal::from((counts.len() - 1) as u64)
    };
    let mut out: Vec<(PlaceScore, Decimal)> = places
        .iter()
        .map(|p| {
            (
                PlaceScore {
                    location_id: p.id,
                    gap: (p.saw_distance - ideal).abs().round_dp(3),
                },
                p.saw_distance,
            )
        })
        .collect();
    out.sort_by(|a, b| {
        a.0.gap
            .cmp(&b.0.gap)
            .then(a.1.cmp(&b.1))
            .then(a.0.location_id.cmp(&b.0.location_id))
    });
    out.into_iter().map(|(s, _)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn item(id: i64, dia: &str, len: &str, avail: i64, offcut: bool, cert: bool) -> StockItem {
        StockItem {
            id,
            grade_id: 3,
            shape: "rond".into(),
            diameter: d(dia),
            length: d(len),
            available: avail,
            is_offcut: offcut,
            certified: cert,
        }
    }

    fn need(dia: &str, len: &str, qty: i64) -> StockNeed {
        StockNeed {
            grade_id: 3,
            shape: "rond".into(),
            diameter: d(dia),
            needed_length: d(len),
            qty,
            certified_required: false,
            allow_certified: false,
        }
    }

    #[test]
    fn a_fitting_offcut_is_offered_before_a_full_bar() {
        let stock = [
            item(1, "50", "3000", 4, false, false),
            item(2, "50", "70", 1, true, false),
        ];
        let c = suggest_stock(&need("50", "65", 1), &stock);
        assert_eq!(c.iter().map(|c| c.item_id).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(c[0].waste_length, d("5"));
        assert!(c[0].covers_need);
    }

    #[test]
    fn an_offcut_too_short_or_too_thin_is_not_offered() {
        let stock = [
            item(1, "50", "3000", 1, false, false),
            item(2, "50", "60", 1, true, false),
            item(3, "40", "500", 1, true, false),
            StockItem {
                grade_id: 9,
                ..item(4, "50", "500", 1, true, false)
            },
            StockItem {
                shape: "carre".into(),
                ..item(5, "50", "500", 1, true, false)
            },
            item(6, "60", "500", 0, true, false),
        ];
        let c = suggest_stock(&need("50", "65", 1), &stock);
        assert_eq!(c.iter().map(|c| c.item_id).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn least_waste_first_among_offcuts() {
        let stock = [
            item(1, "50", "400", 1, true, false),
            item(2, "50", "140", 1, true, false),
            item(3, "55", "130", 1, true, false),
        ];
        let c = suggest_stock(&need("50", "65", 2), &stock);
        // Same section first (oversize 0): 140 leaves 10 mm, 400 leaves 270 mm; then Ø55.
        assert_eq!(c.iter().map(|c| c.item_id).collect::<Vec<_>>(), [2, 1, 3]);
        assert_eq!(c[0].waste_length, d("10"));
    }

    #[test]
    fn certified_stock_is_kept_for_parts_that_require_it() {
        let stock = [
            item(1, "35", "640", 1, true, true),
            item(2, "35", "3000", 2, false, false),
        ];
        let standard = suggest_stock(&need("35", "120", 5), &stock);
        assert_eq!(standard.iter().map(|c| c.item_id).collect::<Vec<_>>(), [2]);
        let allowed = suggest_stock(
            &StockNeed {
                allow_certified: true,
                ..need("35", "120", 5)
            },
            &stock,
        );
        assert_eq!(
            allowed.iter().map(|c| c.item_id).collect::<Vec<_>>(),
            [2, 1]
        );
        let aero = suggest_stock(
            &StockNeed {
                certified_required: true,
                ..need("35", "120", 5)
            },
            &stock,
        );
        assert_eq!(aero.iter().map(|c| c.item_id).collect::<Vec<_>>(), [1]);
        assert_eq!(aero[0].blanks, 5);
        assert_eq!(aero[0].waste_length, d("40"));
    }

    #[test]
    fn the_most_cut_grade_goes_nearest_the_saw() {
        let places = [
            Place {
                id: 10,
                saw_distance: d("2"),
            },
            Place {
                id: 11,
                saw_distance: d("15"),
            },
            Place {
                id: 12,
                saw_distance: d("30"),
            },
        ];
        let counts = [(1, 120), (2, 40), (3, 2)];
        assert_eq!(suggest_storage(1, &counts, &places)[0].location_id, 10);
        assert_eq!(suggest_storage(2, &counts, &places)[0].location_id, 11);
        assert_eq!(suggest_storage(3, &counts, &places)[0].location_id, 12);
        // A grade never cut goes to the far end.
        assert_eq!(suggest_storage(4, &counts, &places)[0].location_id, 12);
        assert!(suggest_storage(1, &counts, &[]).is_empty());
    }

    fn arb_item() -> impl Strategy<Value = StockItem> {
        (
            1i64..500,
            0u8..3,
            20u32..60,
            10u32..4000,
            0i64..5,
            any::<bool>(),
            any::<bool>(),
            1i64..3,
        )
            .prop_map(
                |(id, shape, dia, len, avail, offcut, cert, grade)| StockItem {
                    id,
                    grade_id: grade,
                    shape: ["rond", "carre", "plat"][shape as usize].into(),
                    diameter: Decimal::from(dia),
                    length: Decimal::from(len),
                    available: avail,
                    is_offcut: offcut,
                    certified: cert,
                },
            )
    }

    proptest! {
        #[test]
        fn every_candidate_fits_and_offcuts_come_first(
            stock in proptest::collection::vec(arb_item(), 0..30),
            dia in 20u32..60, len in 10u32..1000, qty in 1i64..10,
            certified_required in any::<bool>(), allow_certified in any::<bool>(),
        ) {
            let stock: Vec<StockItem> = stock.into_iter().enumerate().map(|(i, s)| StockItem { id: i as i64 + 1, ..s }).collect();
            let n = StockNeed { grade_id: 1, shape: "rond".into(), diameter: Decimal::from(dia), needed_length: Decimal::from(len), qty, certified_required, allow_certified };
            let c = suggest_stock(&n, &stock);
            for cand in &c {
                let s = stock.iter().find(|s| s.id == cand.item_id).unwrap();
                prop_assert!(s.grade_id == 1 && s.shape == "rond" && s.diameter >= n.diameter && s.length >= n.needed_length && s.available > 0);
                prop_assert!(cand.blanks >= 1 && cand.blanks <= qty);
                prop_assert!(cand.waste_length >= Decimal::ZERO);
                if certified_required { prop_assert!(s.certified); }
                if !certified_required && !allow_certified { prop_assert!(!s.certified); }
            }
            // Within the uncertified (or certified-required) block, no full bar before an offcut.
            let block: Vec<&Candidate> = c.iter().filter(|x| certified_required || !x.certified).collect();
            for w in block.windows(2) {
                prop_assert!(w[0].is_offcut || !w[1].is_offcut);
            }
            // Every fitting, allowed item is offered.
            let fitting = stock.iter().filter(|s| s.grade_id == 1 && s.shape == "rond" && s.diameter >= n.diameter && s.length >= n.needed_length && s.available > 0 && if certified_required { s.certified } else { !s.certified || allow_certified }).count();
            prop_assert_eq!(fitting, c.len());
        }

        #[test]
        fn storage_ranking_is_a_permutation_of_the_places(
            dists in proptest::collection::vec(0u32..100, 1..10),
            counts in proptest::collection::vec((1i64..6, 0u64..50), 0..6),
            grade in 1i64..6,
        ) {
            let places: Vec<Place> = dists.iter().enumerate().map(|(i, d)| Place { id: i as i64, saw_distance: Decimal::from(*d) }).collect();
            let mut dedup = counts.clone();
            dedup.sort();
            dedup.dedup_by_key(|c| c.0);
            let r = suggest_storage(grade, &dedup, &places);
            prop_assert_eq!(r.len(), places.len());
            for w in r.windows(2) { prop_assert!(w[0].gap <= w[1].gap); }
        }
    }
}
