//! Tabu search on critical blocks.
//!
//! Neighbourhood, built each iteration from one critical path (for the tardiness objective,
//! also from the paths ending at tardy jobs):
//! - inside each block (maximal run of critical operations on one machine), an operation moves
//!   to the block's start or end, or the block's first/last operation moves inside the block
//!   (Balas–Vazacopoulos N6; Nowicki–Smutnicki's N5 swaps are its special cases). Moves that
//!   cannot create a cycle by Balas–Vazacopoulos' conditions only;
//! - a critical operation with alternatives moves to another machine, at the position where the
//!   longest path through it is shortest among the positions that cannot create a cycle
//!   (Mastrolilli–Gambardella).
//!
//! For the makespan, moves are ranked by the estimate of the longest path through the moved
//! operations (heads/tails of the current schedule, O(block) per move), then the chosen move is
//! applied and evaluated exactly. For weighted tardiness then makespan, a sample of the moves
//! is evaluated exactly (O(n) each). Tabu attributes are the reversed pairs (and the machine an
//! operation left), with a random tenure; a tabu move is taken if it beats the best (aspiration).
//! After a stall the search jumps back to the best schedule and perturbs it with a few random
//! moves (a light form of i-TSAB's back jump).

use std::time::Instant;

use super::Objective;
use super::problem::{NONE, Problem};
use super::rng::Rng;
use super::state::{Move, Score, State};

/// Exact evaluations per iteration for the tardiness objective: each costs O(n), so large
/// instances sample fewer moves to keep the iteration rate up.
fn exact_sample(n: usize) -> usize {
    (24_000 / n.max(1)).clamp(12, 48)
}

pub(crate) struct Outcome {
    pub best: State,
    pub iterations: u64,
}

/// Above this many `(operation, job)` pairs the pair table is hashed into this many slots
/// (a collision only keeps a move tabu a little longer); bounds memory for shops with many
/// small jobs (32 MiB per thread at most).
const PAIR_SLOTS_LOG2: u32 = 22;

struct Tabu {
    n_jobs: usize,
    machines: usize,
    hashed: bool,
    /// `pair[slot(a, job(b))]`: iteration until which putting `a` before `b` is tabu.
    pair: Vec<u64>,
    /// `assign[op * machines + m]`: iteration until which putting `op` back on `m` is tabu.
    assign: Vec<u64>,
}

impl Tabu {
    fn new(p: &Problem) -> Tabu {
        let n_jobs = p.n_jobs.max(1);
        let machines = p.machines.max(1);
        let pairs = p.n * n_jobs;
        let hashed = pairs > 1 << PAIR_SLOTS_LOG2;
        let slots = if hashed { 1 << PAIR_SLOTS_LOG2 } else { pairs };
        Tabu {
            n_jobs,
            machines,
            hashed,
            pair: vec![0; slots],
            assign: vec![0; p.n * machines],
        }
    }

    #[inline]
    fn slot(&self, a: u32, job: u32) -> usize {
        let k = a as usize * self.n_jobs + job as usize;
        if self.hashed {
            ((k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PAIR_SLOTS_LOG2)) as usize
        } else {
            k
        }
    }

    fn clear(&mut self) {
        self.pair.iter_mut().for_each(|x| *x = 0);
        self.assign.iter_mut().for_each(|x| *x = 0);
    }

    fn is_tabu(&self, p: &Problem, s: &State, mv: Move, it: u64) -> bool {
        match mv {
            Move::Forward { u, v } => {
                let m = s.mach[u as usize] as usize;
                let ju = p.job[u as usize];
                let (a, b) = (s.pos[u as usize] as usize, s.pos[v as usize] as usize);
                s.seq[m][a + 1..=b]
                    .iter()
                    .any(|&l| self.pair[self.slot(l, ju)] > it)
            }
            Move::Backward { u, v } => {
                let m = s.mach[u as usize] as usize;
                let (a, b) = (s.pos[u as usize] as usize, s.pos[v as usize] as usize);
                s.seq[m][a..b]
                    .iter()
                    .any(|&l| self.pair[self.slot(v, p.job[l as usize])] > it)
            }
            Move::Reassign { op, alt, .. } => {
                let m = p.alts[op as usize][alt as usize].0 as usize;
                self.assign[op as usize * self.machines + m] > it
            }
        }
    }

    /// Records the attributes a move destroys; call before applying it.
    fn record(&mut self, p: &Problem, s: &State, mv: Move, until: u64) {
        match mv {
            Move::Forward { u, v } => {
                let m = s.mach[u as usize] as usize;
                let (a, b) = (s.pos[u as usize] as usize, s.pos[v as usize] as usize);
                for &l in &s.seq[m][a + 1..=b] {
                    let k = self.slot(u, p.job[l as usize]);
                    self.pair[k] = until;
                }
            }
            Move::Backward { u, v } => {
                let m = s.mach[u as usize] as usize;
                let jv = p.job[v as usize];
                let (a, b) = (s.pos[u as usize] as usize, s.pos[v as usize] as usize);
                for &l in &s.seq[m][a..b] {
                    let k = self.slot(l, jv);
                    self.pair[k] = until;
                }
            }
            Move::Reassign { op, .. } => {
                let m = s.mach[op as usize] as usize;
                self.assign[op as usize * self.machines + m] = until;
            }
        }
    }
}

/// Intra-block moves of one block `path[s..e]` that pass Balas–Vazacopoulos' no-cycle tests.
fn block_moves(p: &Problem, st: &State, block: &[u32], out: &mut Vec<Move>) {
    let k = block.len();
    let first = block[0];
    let last = block[k - 1];
    // Forward: `u` right after `v` is safe if L(v, n) >= L(JS[u], n).
    let fwd_ok = |u: u32, v: u32| {
        let js = p.js[u as usize];
        js == NONE
            || st.tail[v as usize] + st.dur[v as usize]
                >= st.tail[js as usize] + st.dur[js as usize]
    };
    // Backward: `v` right before `u` is safe if L(0, u) + p(u) >= L(0, JP[v]) + p(JP[v]).
    let bwd_ok = |u: u32, v: u32| {
        let jp = p.jp[v as usize];
        jp == NONE || st.end(u) >= st.end(jp)
    };
    for (x, &u) in block.iter().enumerate().take(k - 1) {
        // `u` to the end of the block.
        if fwd_ok(u, last) {
            out.push(Move::Forward { u, v: last });
        }
        // The first operation to just after `u`'s successor positions inside the block.
        if x == 0 {
            for &v in &block[1..k - 1] {
                if fwd_ok(first, v) {
                    out.push(Move::Forward { u: first, v });
                }
            }
        }
    }
    for (y, &v) in block.iter().enumerate().skip(1) {
        // `v` to the start of the block.
        if bwd_ok(first, v) {
            out.push(Move::Backward { u: first, v });
        }
        // The last operation to just before inner positions.
        if y == k - 1 {
            for &u in &block[1..k - 1] {
                if bwd_ok(u, last) {
                    out.push(Move::Backward { u, v: last });
                }
            }
        }
    }
}

/// Best insertion of `op` on alternative `alt` (another machine): `(pos, estimate)`.
fn best_insertion(p: &Problem, st: &State, op: u32, alt: u16) -> Option<(u32, i64)> {
    let i = op as usize;
    let (m, d) = p.alts[i][alt as usize];
    if m == st.mach[i] {
        return None;
    }
    let seq = &st.seq[m as usize];
    let jp = p.jp[i];
    let js = p.js[i];
    let mut h0 = p.release[i].max(p.ready[m as usize]);
    if jp != NONE {
        h0 = h0.max(st.end(jp));
    }
    let q0 = if js != NONE {
        st.tail[js as usize] + st.dur[js as usize]
    } else {
        0
    };
    let mut best: Option<(u32, i64)> = None;
    for k in 0..=seq.len() {
        if k < seq.len() && jp != NONE {
            // `y` must not reach `op`'s job predecessor.
            let y = seq[k];
            if y == jp || st.tail[y as usize] >= st.dur[jp as usize] + st.tail[jp as usize] {
                continue;
            }
        }
        let mut h = h0;
        if k > 0 {
            let x = seq[k - 1];
            // `x` must not be reachable from `op`'s job successor; later ones neither then.
            if js != NONE && (x == js || st.head[x as usize] >= st.end(js)) {
                break;
            }
            h = h.max(st.end(x));
        }
        let q = if k < seq.len() {
            q0.max(st.tail[seq[k] as usize] + st.dur[seq[k] as usize])
        } else {
            q0
        };
        let est = h + d + q;
        if best.is_none_or(|b| est < b.1) {
            best = Some((k as u32, est));
        }
    }
    best
}

fn neighbourhood(p: &Problem, st: &State, path: &[u32], out: &mut Vec<Move>) {
    for (s, e) in st.blocks(path) {
        block_moves(p, st, &path[s..e], out);
    }
    for &op in path {
        let n_alts = p.alts[op as usize].len();
        if n_alts > 1 {
            for alt in 0..n_alts as u16 {
                if let Some((pos, _)) = best_insertion(p, st, op, alt) {
                    out.push(Move::Reassign { op, alt, pos });
                }
            }
        }
    }
}

/// The operation ending a critical path: a random one among those ending at the makespan.
fn makespan_end(st: &State, rng: &mut Rng) -> Option<u32> {
    let mut chosen = None;
    let mut seen = 0;
    for i in 0..st.head.len() {
        if st.end(i as u32) == st.makespan {
            seen += 1;
            if rng.below(seen) == 0 {
                chosen = Some(i as u32);
            }
        }
    }
    chosen
}

/// Candidate moves for the current schedule.
fn candidates(p: &Problem, st: &State, rng: &mut Rng, out: &mut Vec<Move>) {
    out.clear();
    if let Some(end) = makespan_end(st, rng) {
        let path = st.path_to(p, end);
        neighbourhood(p, st, &path, out);
    }
    if p.objective == Objective::WeightedTardinessThenMakespan && st.tardiness > 0 {
        // Paths into tardy jobs: the most costly one and two random others.
        let mut tardy: Vec<(i64, usize)> = Vec::new();
        for j in 0..p.n_jobs {
            if let (Some(due), Some(&last)) = (p.due[j], p.job_ops[j].last()) {
                let c = st.end(last);
                if c > due && c >= st.completion(p, j) {
                    tardy.push(((c - due) * p.weight[j], j));
                }
            }
        }
        if !tardy.is_empty() {
            let worst = tardy
                .iter()
                .max_by_key(|t| (t.0, std::cmp::Reverse(t.1)))
                .expect("non-empty")
                .1;
            let mut picks = vec![worst];
            for _ in 0..2 {
                picks.push(tardy[rng.below(tardy.len())].1);
            }
            picks.dedup();
            for j in picks {
                let last = *p.job_ops[j].last().expect("tardy job has an operation");
                let path = st.path_to(p, last);
                neighbourhood(p, st, &path, out);
            }
        }
        out.sort_unstable_by_key(move_key);
        out.dedup();
    }
}

fn move_key(m: &Move) -> (u8, u32, u32, u32) {
    match *m {
        Move::Forward { u, v } => (0, u, v, 0),
        Move::Backward { u, v } => (1, u, v, 0),
        Move::Reassign { op, alt, pos } => (2, op, alt as u32, pos),
    }
}

/// Makespan estimate of a move from the current heads and tails.
fn estimate(p: &Problem, st: &State, mv: Move, buf: &mut Vec<u32>) -> i64 {
    match mv {
        Move::Reassign { op, alt, .. } => best_insertion(p, st, op, alt)
            .map(|b| b.1)
            .unwrap_or(i64::MAX),
        _ => st.estimate_shift(p, mv, buf),
    }
}

/// A lower bound of the makespan (job chains, and machines' single-alternative work).
pub(crate) fn makespan_lower_bound(p: &Problem) -> i64 {
    let mut lb = p.frozen_makespan.max(0);
    for ops in &p.job_ops {
        if let Some(&f) = ops.first() {
            lb = lb.max(p.release[f as usize] + p.remaining[f as usize]);
        }
    }
    let mut load = vec![0i64; p.machines];
    let mut first = vec![i64::MAX; p.machines];
    for i in 0..p.n {
        if p.alts[i].len() == 1 {
            let (m, d) = p.alts[i][0];
            load[m as usize] += d;
            first[m as usize] = first[m as usize].min(p.release[i]);
        }
    }
    for m in 0..p.machines {
        if first[m] != i64::MAX {
            lb = lb.max(first[m].max(p.ready[m]) + load[m]);
        }
    }
    lb
}

pub(crate) fn search(
    p: &Problem,
    start: State,
    rng: &mut Rng,
    deadline: Instant,
    max_iterations: Option<u64>,
) -> Outcome {
    let mut cur = start;
    let mut best = cur.clone();
    let mut best_score = best.score();
    let lower_bound = makespan_lower_bound(p);
    let mut tabu = Tabu::new(p);
    let tenure_base = 10 + (p.n_jobs / p.machines.max(1)) as u64;
    let stall_limit = (10 * p.n as u64).max(4000);
    let exact = p.objective == Objective::WeightedTardinessThenMakespan;
    let sample = exact_sample(p.n);
    let mut moves: Vec<Move> = Vec::new();
    let mut buf: Vec<u32> = Vec::new();
    let mut scratch_heads = vec![0i64; p.n];
    let mut it: u64 = 0;
    let mut stall: u64 = 0;
    loop {
        if max_iterations.is_some_and(|m| it >= m) {
            break;
        }
        if it.is_multiple_of(16) && Instant::now() >= deadline {
            break;
        }
        if best_score.0 == 0 && best_score.1 <= lower_bound {
            break; // proven optimal
        }
        it += 1;
        candidates(p, &cur, rng, &mut moves);
        if moves.is_empty() {
            if !exact || cur.tardiness == 0 {
                break; // the critical path is one job's chain: nothing can shorten it
            }
            stall += 1;
            if stall > stall_limit {
                break;
            }
            continue;
        }
        // Choose: best non-tabu (or aspirating) move; ties at random.
        let mut chosen: Option<(Move, Score)> = None;
        let mut fallback: Option<(Move, Score)> = None;
        let mut ties = 0usize;
        if exact && moves.len() > sample {
            for k in 0..sample {
                let r = k + rng.below(moves.len() - k);
                moves.swap(k, r);
            }
            moves.truncate(sample);
        }
        for &mv in &moves {
            let score = if exact {
                let undo = cur.apply(p, mv);
                let s = cur.score_into(p, &mut scratch_heads);
                cur.undo(p, undo);
                match s {
                    Some(s) => s,
                    None => continue,
                }
            } else {
                (0, estimate(p, &cur, mv, &mut buf))
            };
            if fallback.is_none_or(|f| score < f.1) {
                fallback = Some((mv, score));
            }
            let allowed = !tabu.is_tabu(p, &cur, mv, it) || score < best_score;
            if !allowed {
                continue;
            }
            match chosen {
                Some((_, s)) if score > s => {}
                Some((_, s)) if score == s => {
                    ties += 1;
                    if rng.below(ties + 1) == 0 {
                        chosen = Some((mv, score));
                    }
                }
                _ => {
                    ties = 0;
                    chosen = Some((mv, score));
                }
            }
        }
        let Some((mv, _)) = chosen.or(fallback) else {
            stall += 1;
            continue;
        };
        let tenure = tenure_base + rng.below((tenure_base / 2 + 1) as usize) as u64;
        let snapshot_score = cur.score();
        tabu.record(p, &cur, mv, it + tenure);
        let undo = cur.apply(p, mv);
        if !cur.evaluate(p) {
            cur.undo(p, undo);
            let ok = cur.evaluate(p);
            debug_assert!(ok && cur.score() == snapshot_score);
            stall += 1;
            continue;
        }
        if cur.score() < best_score {
            best = cur.clone();
            best_score = cur.score();
            stall = 0;
        } else {
            stall += 1;
        }
        if stall > stall_limit {
            // Back jump: restart from the best schedule, perturbed by a few random moves.
            cur = best.clone();
            tabu.clear();
            let kicks = 2 + rng.below(4);
            for _ in 0..kicks {
                candidates(p, &cur, rng, &mut moves);
                if moves.is_empty() {
                    break;
                }
                let mv = moves[rng.below(moves.len())];
                let undo = cur.apply(p, mv);
                if !cur.evaluate(p) {
                    cur.undo(p, undo);
                    let ok = cur.evaluate(p);
                    debug_assert!(ok);
                }
            }
            stall = 0;
        }
    }
    Outcome {
        best,
        iterations: it,
    }
}
