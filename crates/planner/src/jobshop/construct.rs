//! Constructive start: Giffler–Thompson active schedule generation with a priority rule,
//! extended to alternatives (each candidate takes the machine where it would end first).
//! Most work remaining first for the makespan; least slack per unit of weight first for the
//! tardiness objective. `noise` > 0 picks a random member of the conflict set with that
//! probability (per mille), which diversifies the threads' starts.

use super::Objective;
use super::problem::{NONE, Problem};
use super::rng::Rng;
use super::state::State;

pub(crate) fn construct(p: &Problem, rng: &mut Rng, noise: u64) -> State {
    let mut next: Vec<u32> = p
        .job_ops
        .iter()
        .map(|ops| ops.first().copied().unwrap_or(NONE))
        .collect();
    let mut job_ready = vec![i64::MIN; p.n_jobs];
    let mut m_avail: Vec<i64> = p.ready.clone();
    let mut alt = vec![0u16; p.n];
    let mut seq: Vec<Vec<u32>> = vec![Vec::new(); p.machines];
    // (op, alt, start, end) of each job's next operation at its best alternative.
    let mut cand: Vec<(u32, u16, i64, i64)> = Vec::with_capacity(p.n_jobs);
    let mut conflict: Vec<usize> = Vec::new();
    for _ in 0..p.n {
        cand.clear();
        for j in 0..p.n_jobs {
            let i = next[j];
            if i == NONE {
                continue;
            }
            let lb = p.release[i as usize].max(job_ready[j]);
            let mut best: Option<(u16, i64, i64)> = None;
            for (k, &(m, d)) in p.alts[i as usize].iter().enumerate() {
                let s = lb.max(m_avail[m as usize]);
                let e = s + d;
                if best.is_none_or(|b| e < b.2 || (e == b.2 && d < b.2 - b.1)) {
                    best = Some((k as u16, s, e));
                }
            }
            let (k, s, e) = best.expect("an operation has at least one alternative");
            cand.push((i, k, s, e));
        }
        // The operation that can end first fixes the machine and the conflict window.
        let star = (0..cand.len())
            .min_by_key(|&c| (cand[c].3, cand[c].2))
            .expect("an operation is left");
        let m_star = p.alts[cand[star].0 as usize][cand[star].1 as usize].0;
        let e_star = cand[star].3;
        conflict.clear();
        for (c, &(i, k, s, _)) in cand.iter().enumerate() {
            if p.alts[i as usize][k as usize].0 == m_star && s < e_star.max(cand[star].2 + 1) {
                conflict.push(c);
            }
        }
        if conflict.is_empty() {
            conflict.push(star);
        }
        let pick = if noise > 0 && rng.chance(noise, 1000) {
            conflict[rng.below(conflict.len())]
        } else {
            *conflict
                .iter()
                .max_by_key(|&&c| {
                    (
                        priority(p, cand[c].0, cand[c].2),
                        std::cmp::Reverse(cand[c].0),
                    )
                })
                .expect("conflict set is not empty")
        };
        let (i, k, _, e) = cand[pick];
        let iu = i as usize;
        let m = p.alts[iu][k as usize].0 as usize;
        alt[iu] = k;
        seq[m].push(i);
        m_avail[m] = e;
        let j = p.job[iu] as usize;
        job_ready[j] = e;
        next[j] = p.js[iu];
    }
    let mut s = State::new(p, alt, seq);
    let ok = s.evaluate(p);
    debug_assert!(ok, "a dispatched schedule has no cycle");
    s
}

fn priority(p: &Problem, i: u32, start: i64) -> i64 {
    let iu = i as usize;
    match p.objective {
        Objective::Makespan => p.remaining[iu],
        Objective::WeightedTardinessThenMakespan => {
            let j = p.job[iu] as usize;
            match p.due[j] {
                // Least slack per unit of weight first (negated: larger is more urgent).
                Some(due) => -((due - start - p.remaining[iu]) / p.weight[j]),
                None => i64::MIN / 4 + p.remaining[iu],
            }
        }
    }
}
