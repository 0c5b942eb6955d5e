//! Measured labour and machine time from work sessions (docs/shop-floor.md, "Time").
//!
//! Rule: at each instant, an operator's time is divided equally among the distinct operations
//! he has open at that instant (machine tending: two machines at once → half each). Two
//! operators on one operation both count fully. Overlapping sessions of the same operator on
//! the same operation count once. So the sum of an operator's shares is the length of the
//! union of his sessions. Labour time of an operation = sum of its shares; machine time
//! (elapsed) = length of the union of its sessions, whoever ran them.
//!
//! Computation: one sweep line per operator over the session starts and ends (O(n log n)).
//! Instead of adding to every open operation at every event, the sweep accumulates
//! `C(t) = ∫ dt / open(t)`; an operation's share is the sum of `C(close) − C(open)` over its
//! open stretches. Shares are rounded to the hundredth of a minute by largest remainder, so
//! that an operator's rounded shares add up exactly to his rounded union.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One work session: `operator` worked on `operation` from `start` to `end` (unix seconds).
/// Sessions with `end <= start` count for nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub operator: i64,
    pub operation: i64,
    pub start: i64,
    pub end: i64,
}

/// Minutes of `operator` credited to `operation` (2 decimals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub operator: i64,
    pub operation: i64,
    pub minutes: Decimal,
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn minutes_of_seconds(s: i64) -> Decimal {
    round2(Decimal::from(s) / Decimal::from(60))
}

/// Exact (unrounded) share in seconds of one operator's operations, and his union in seconds.
fn sweep_operator(events: &mut [(i64, i32, i64)]) -> (Vec<(i64, Decimal)>, i64) {
    // events: (time, +1 open / -1 close, operation), sorted by time.
    events.sort_unstable();
    struct OpState {
        count: u32,
        opened_at: Decimal,
        acc: Decimal,
    }
    let mut ops: HashMap<i64, OpState> = HashMap::new();
    let mut order: Vec<i64> = Vec::new();
    let mut open_ops: u32 = 0;
    let mut c = Decimal::ZERO;
    let mut union: i64 = 0;
    let mut prev_t: Option<i64> = None;
    let mut i = 0;
    while i < events.len() {
        let t = events[i].0;
        if let Some(p) = prev_t
            && open_ops > 0
            && t > p
        {
            c += Decimal::from(t - p) / Decimal::from(open_ops);
            union += t - p;
        }
        while i < events.len() && events[i].0 == t {
            let (_, delta, op) = events[i];
            let st = ops.entry(op).or_insert_with(|| {
                order.push(op);
                OpState {
                    count: 0,
                    opened_at: Decimal::ZERO,
                    acc: Decimal::ZERO,
                }
            });
            if delta > 0 {
                if st.count == 0 {
                    st.opened_at = c;
                    open_ops += 1;
                }
                st.count += 1;
            } else {
                st.count -= 1;
                if st.count == 0 {
                    st.acc += c - st.opened_at;
                    open_ops -= 1;
                }
            }
            i += 1;
        }
        prev_t = Some(t);
    }
    let shares = order.into_iter().map(|op| (op, ops[&op].acc)).collect();
    (shares, union)
}

/// Rounds exact shares (seconds) to hundredths of a minute so they add up to the rounded union.
fn round_shares(exact_sec: &[(i64, Decimal)], union_sec: i64) -> Vec<(i64, Decimal)> {
    let sixty = Decimal::from(60);
    let hundred = Decimal::ONE_HUNDRED;
    let target_cents = minutes_of_seconds(union_sec) * hundred;
    let mut rows: Vec<(i64, Decimal, Decimal)> = exact_sec
        .iter()
        .map(|&(op, s)| {
            let cents = s / sixty * hundred;
            let floor = cents.floor();
            (op, floor, cents - floor)
        })
        .collect();
    let floors: Decimal = rows.iter().map(|r| r.1).sum();
    let mut deficit = (target_cents - floors).max(Decimal::ZERO);
    let mut by_remainder: Vec<usize> = (0..rows.len()).collect();
    by_remainder.sort_by(|&a, &b| rows[b].2.cmp(&rows[a].2).then(rows[a].0.cmp(&rows[b].0)));
    for idx in by_remainder {
        if deficit <= Decimal::ZERO {
            break;
        }
        rows[idx].1 += Decimal::ONE;
        deficit -= Decimal::ONE;
    }
    rows.into_iter()
        .map(|(op, cents, _)| (op, (cents / hundred).round_dp(2)))
        .collect()
}

/// Every operator's share of every operation, sorted by (operation, operator).
pub fn split(segments: &[Segment]) -> Vec<Share> {
    let mut events: Vec<(i64, i64, i32, i64)> = Vec::with_capacity(segments.len() * 2);
    for s in segments.iter().filter(|s| s.end > s.start) {
        events.push((s.operator, s.start, 1, s.operation));
        events.push((s.operator, s.end, -1, s.operation));
    }
    events.sort_unstable_by_key(|e| e.0);
    let mut out: Vec<Share> = Vec::new();
    let mut buf: Vec<(i64, i32, i64)> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let operator = events[i].0;
        buf.clear();
        while i < events.len() && events[i].0 == operator {
            let (_, t, d, op) = events[i];
            buf.push((t, d, op));
            i += 1;
        }
        let (exact, union) = sweep_operator(&mut buf);
        for (operation, minutes) in round_shares(&exact, union) {
            out.push(Share {
                operator,
                operation,
                minutes,
            });
        }
    }
    out.sort_by_key(|s| (s.operation, s.operator));
    out
}

/// Measured labour minutes of `operation`: the sum of its operators' shares.
pub fn labour_minutes(segments: &[Segment], operation: i64) -> Decimal {
    // Only the operators who worked on this operation matter (with all their sessions).
    let mut operators: Vec<i64> = segments
        .iter()
        .filter(|s| s.operation == operation && s.end > s.start)
        .map(|s| s.operator)
        .collect();
    operators.sort_unstable();
    operators.dedup();
    let relevant: Vec<Segment> = segments
        .iter()
        .filter(|s| operators.binary_search(&s.operator).is_ok())
        .cloned()
        .collect();
    split(&relevant)
        .into_iter()
        .filter(|s| s.operation == operation)
        .map(|s| s.minutes)
        .sum()
}

/// Machine (elapsed) minutes of `operation`: the union of its sessions, whoever ran them.
pub fn elapsed_minutes(segments: &[Segment], operation: i64) -> Decimal {
    let mut iv: Vec<(i64, i64)> = segments
        .iter()
        .filter(|s| s.operation == operation && s.end > s.start)
        .map(|s| (s.start, s.end))
        .collect();
    minutes_of_seconds(union_seconds(&mut iv))
}

fn union_seconds(iv: &mut [(i64, i64)]) -> i64 {
    iv.sort_unstable();
    let mut total = 0;
    let mut cur: Option<(i64, i64)> = None;
    for &(s, e) in iv.iter() {
        match cur {
            Some((cs, ce)) if s <= ce => cur = Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs;
                cur = Some((s, e));
            }
            None => cur = Some((s, e)),
        }
    }
    if let Some((cs, ce)) = cur {
        total += ce - cs;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn seg(operator: i64, operation: i64, start_min: i64, end_min: i64) -> Segment {
        Segment {
            operator,
            operation,
            start: start_min * 60,
            end: end_min * 60,
        }
    }

    fn m(v: i64) -> Decimal {
        Decimal::from(v)
    }

    fn share(operator: i64, operation: i64, minutes: Decimal) -> Share {
        Share {
            operator,
            operation,
            minutes,
        }
    }

    #[test]
    fn machine_tending_splits_equally() {
        // Operator 1 on op 10 from 0 to 60, on op 20 from 30 to 90.
        // 0–30: op 10 alone (30); 30–60: both (15 each); 60–90: op 20 alone (30).
        let s = vec![seg(1, 10, 0, 60), seg(1, 20, 30, 90)];
        assert_eq!(split(&s), vec![share(1, 10, m(45)), share(1, 20, m(45))]);
        assert_eq!(labour_minutes(&s, 10), m(45));
        assert_eq!(elapsed_minutes(&s, 10), m(60));
        assert_eq!(elapsed_minutes(&s, 20), m(60));
    }

    #[test]
    fn two_operators_both_count() {
        let s = vec![seg(1, 10, 0, 60), seg(2, 10, 30, 60)];
        assert_eq!(split(&s), vec![share(1, 10, m(60)), share(2, 10, m(30))]);
        assert_eq!(labour_minutes(&s, 10), m(90));
        assert_eq!(elapsed_minutes(&s, 10), m(60));
    }

    #[test]
    fn same_operator_same_operation_counts_once() {
        let s = vec![seg(1, 10, 0, 60), seg(1, 10, 30, 90), seg(1, 20, 30, 60)];
        // 0–30: 10 (30); 30–60: 10 and 20 (15 each); 60–90: 10 (30).
        assert_eq!(split(&s), vec![share(1, 10, m(75)), share(1, 20, m(15))]);
    }

    #[test]
    fn three_way_split_rounds_to_the_total() {
        // 1 minute split among 3 operations: 0.34 + 0.33 + 0.33 = 1.
        let s = vec![seg(1, 10, 0, 1), seg(1, 20, 0, 1), seg(1, 30, 0, 1)];
        let sh = split(&s);
        let total: Decimal = sh.iter().map(|s| s.minutes).sum();
        assert_eq!(total, m(1));
        assert_eq!(sh[0].minutes, Decimal::new(34, 2));
        assert_eq!(sh[1].minutes, Decimal::new(33, 2));
        assert_eq!(labour_minutes(&s, 30), Decimal::new(33, 2));
    }

    #[test]
    fn empty_and_degenerate_segments() {
        assert!(split(&[]).is_empty());
        let s = vec![seg(1, 10, 5, 5), seg(1, 10, 9, 3)];
        assert!(split(&s).is_empty());
        assert_eq!(labour_minutes(&s, 10), m(0));
        assert_eq!(elapsed_minutes(&s, 10), m(0));
        // Seconds: 90 s → 1.5 min.
        let s = vec![Segment {
            operator: 1,
            operation: 1,
            start: 0,
            end: 90,
        }];
        assert_eq!(labour_minutes(&s, 1), Decimal::new(15, 1));
    }

    #[test]
    fn labour_minutes_ignores_other_operators_but_keeps_their_tending() {
        // Operator 2 tends ops 10 and 30 at once; operator 3 works only on 40.
        let s = vec![
            seg(2, 10, 0, 60),
            seg(2, 30, 0, 60),
            seg(3, 40, 0, 600),
            seg(1, 10, 0, 60),
        ];
        assert_eq!(labour_minutes(&s, 10), m(90));
        assert_eq!(labour_minutes(&s, 40), m(600));
    }

    fn arb_segments() -> impl Strategy<Value = Vec<Segment>> {
        proptest::collection::vec((1i64..5, 1i64..6, 0i64..10_000, 0i64..4_000), 0..40).prop_map(
            |v| {
                v.into_iter()
                    .map(|(operator, operation, start, len)| Segment {
                        operator,
                        operation,
                        start,
                        end: start + len,
                    })
                    .collect()
            },
        )
    }

    proptest! {
        #[test]
        fn operator_shares_add_up_to_his_union(segs in arb_segments()) {
            let shares = split(&segs);
            for operator in 1..5 {
                let mut iv: Vec<(i64, i64)> = segs.iter()
                    .filter(|s| s.operator == operator && s.end > s.start)
                    .map(|s| (s.start, s.end)).collect();
                let union = minutes_of_seconds(union_seconds(&mut iv));
                let sum: Decimal = shares.iter().filter(|s| s.operator == operator).map(|s| s.minutes).sum();
                prop_assert_eq!(sum, union);
            }
            for w in shares.windows(2) {
                prop_assert!((w[0].operation, w[0].operator) < (w[1].operation, w[1].operator));
            }
            for s in &shares {
                prop_assert!(s.minutes >= Decimal::ZERO);
                prop_assert_eq!(s.minutes.scale() <= 2, true);
            }
        }

        #[test]
        fn labour_bounded_by_operator_count_times_elapsed(segs in arb_segments(), op in 1i64..6) {
            let labour = labour_minutes(&segs, op);
            let elapsed = elapsed_minutes(&segs, op);
            let total: Decimal = split(&segs).iter().filter(|s| s.operation == op).map(|s| s.minutes).sum();
            prop_assert_eq!(labour, total);
            let ops_count = segs.iter().filter(|s| s.operation == op && s.end > s.start)
                .map(|s| s.operator).collect::<std::collections::BTreeSet<_>>().len();
            // Rounding may add at most one hundredth per operator.
            prop_assert!(labour <= elapsed * Decimal::from(ops_count) + Decimal::new(ops_count as i64, 2));
        }
    }
}
