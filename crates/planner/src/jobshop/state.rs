//! A schedule as the search holds it: one alternative per operation and a processing order per
//! machine (the disjunctive graph's selection), with heads (earliest starts) and tails (longest
//! path from an operation's end to the sink), recomputed in O(n) after each move.

use super::problem::{NONE, Problem};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Move {
    /// Move `u` to right after `v` (same machine, `u` before `v`).
    Forward { u: u32, v: u32 },
    /// Move `v` to right before `u` (same machine, `u` before `v`).
    Backward { u: u32, v: u32 },
    /// Put `op` on its alternative `alt`, at index `pos` of that machine's sequence.
    Reassign { op: u32, alt: u16, pos: u32 },
}

/// What to restore to undo a move.
pub(crate) struct Undo {
    seqs: Vec<(usize, Vec<u32>)>,
    reassigned: Option<(u32, u16)>,
}

#[derive(Clone)]
pub(crate) struct State {
    pub alt: Vec<u16>,
    pub mach: Vec<u32>,
    pub dur: Vec<i64>,
    pub seq: Vec<Vec<u32>>,
    pub pos: Vec<u32>,
    pub head: Vec<i64>,
    pub tail: Vec<i64>,
    pub makespan: i64,
    pub tardiness: i64,
    topo: Vec<u32>,
    indeg: Vec<u32>,
    stack: Vec<u32>,
}

/// Lexicographic objective value: (weighted tardiness, makespan); tardiness is 0 for the
/// makespan objective.
pub(crate) type Score = (i64, i64);

impl State {
    /// A state from an assignment and sequences (positions derived); heads not yet computed.
    pub(crate) fn new(p: &Problem, alt: Vec<u16>, seq: Vec<Vec<u32>>) -> State {
        let mach = (0..p.n).map(|i| p.alts[i][alt[i] as usize].0).collect();
        let dur = (0..p.n).map(|i| p.alts[i][alt[i] as usize].1).collect();
        let mut s = State {
            alt,
            mach,
            dur,
            seq,
            pos: vec![0; p.n],
            head: vec![0; p.n],
            tail: vec![0; p.n],
            makespan: 0,
            tardiness: 0,
            topo: Vec::with_capacity(p.n),
            indeg: vec![0; p.n],
            stack: Vec::with_capacity(p.n),
        };
        for m in 0..s.seq.len() {
            s.renumber(m, 0);
        }
        s
    }

    fn renumber(&mut self, m: usize, from: usize) {
        for (k, &i) in self.seq[m].iter().enumerate().skip(from) {
            self.pos[i as usize] = k as u32;
        }
    }

    #[inline]
    pub(crate) fn mp(&self, i: u32) -> u32 {
        let k = self.pos[i as usize] as usize;
        if k == 0 {
            NONE
        } else {
            self.seq[self.mach[i as usize] as usize][k - 1]
        }
    }

    #[inline]
    pub(crate) fn ms(&self, i: u32) -> u32 {
        let m = self.mach[i as usize] as usize;
        let k = self.pos[i as usize] as usize + 1;
        self.seq[m].get(k).copied().unwrap_or(NONE)
    }

    #[inline]
    pub(crate) fn end(&self, i: u32) -> i64 {
        self.head[i as usize] + self.dur[i as usize]
    }

    /// Lower bound of `i`'s start from its release and its machine's frozen operations.
    #[inline]
    pub(crate) fn lb(&self, p: &Problem, i: u32) -> i64 {
        p.release[i as usize].max(p.ready[self.mach[i as usize] as usize])
    }

    pub(crate) fn score(&self) -> Score {
        (self.tardiness, self.makespan)
    }

    /// Heads, tails, makespan and tardiness. `false` (state unchanged otherwise) if the
    /// selection has a cycle.
    pub(crate) fn evaluate(&mut self, p: &Problem) -> bool {
        if !self.topological(p) {
            return false;
        }
        let mut head = std::mem::take(&mut self.head);
        self.heads_into(p, &mut head);
        self.head = head;
        for k in (0..self.topo.len()).rev() {
            let i = self.topo[k];
            let mut q = 0;
            let js = p.js[i as usize];
            if js != NONE {
                q = self.tail[js as usize] + self.dur[js as usize];
            }
            let ms = self.ms(i);
            if ms != NONE {
                q = q.max(self.tail[ms as usize] + self.dur[ms as usize]);
            }
            self.tail[i as usize] = q;
        }
        let (t, c) = self.objective_of(p, &self.head);
        self.tardiness = t;
        self.makespan = c;
        true
    }

    /// The score of the current selection, computed into `heads` (the state's own heads and
    /// tails are left alone). `None` on a cycle.
    pub(crate) fn score_into(&mut self, p: &Problem, heads: &mut [i64]) -> Option<Score> {
        if !self.topological(p) {
            return None;
        }
        self.heads_into(p, heads);
        Some(self.objective_of(p, heads))
    }

    fn topological(&mut self, p: &Problem) -> bool {
        self.topo.clear();
        self.stack.clear();
        for i in 0..p.n {
            let d = (p.jp[i] != NONE) as u32 + (self.pos[i] > 0) as u32;
            self.indeg[i] = d;
            if d == 0 {
                self.stack.push(i as u32);
            }
        }
        while let Some(i) = self.stack.pop() {
            self.topo.push(i);
            let js = p.js[i as usize];
            if js != NONE {
                self.indeg[js as usize] -= 1;
                if self.indeg[js as usize] == 0 {
                    self.stack.push(js);
                }
            }
            let ms = self.ms(i);
            if ms != NONE {
                self.indeg[ms as usize] -= 1;
                if self.indeg[ms as usize] == 0 {
                    self.stack.push(ms);
                }
            }
        }
        self.topo.len() == p.n
    }

    fn heads_into(&self, p: &Problem, head: &mut [i64]) {
        for &i in &self.topo {
            let iu = i as usize;
            let mut h = self.lb(p, i);
            let jp = p.jp[iu];
            if jp != NONE {
                h = h.max(head[jp as usize] + self.dur[jp as usize]);
            }
            let mp = self.mp(i);
            if mp != NONE {
                h = h.max(head[mp as usize] + self.dur[mp as usize]);
            }
            head[iu] = h;
        }
    }

    fn objective_of(&self, p: &Problem, head: &[i64]) -> Score {
        let mut cmax = p.frozen_makespan.max(0);
        for (h, d) in head.iter().zip(&self.dur) {
            cmax = cmax.max(h + d);
        }
        let mut wt = 0;
        if p.objective == super::Objective::WeightedTardinessThenMakespan {
            for j in 0..p.n_jobs {
                if let Some(due) = p.due[j] {
                    let c = self.completion_with(p, head, j);
                    if c != i64::MIN {
                        wt += (c - due).max(0) * p.weight[j];
                    }
                }
            }
        }
        (wt, cmax)
    }

    fn completion_with(&self, p: &Problem, head: &[i64], j: usize) -> i64 {
        let mut c = p.job_fixed_end[j];
        if let Some(&last) = p.job_ops[j].last() {
            c = c.max(head[last as usize] + self.dur[last as usize]);
        }
        c
    }

    pub(crate) fn completion(&self, p: &Problem, j: usize) -> i64 {
        self.completion_with(p, &self.head, j)
    }

    /// A critical path ending at `last` (in time order): walks back along arcs whose end equals
    /// the next operation's start; at a tie between the job and the machine predecessor, the
    /// machine one (keeps blocks long, which is where the moves are).
    pub(crate) fn path_to(&self, p: &Problem, last: u32) -> Vec<u32> {
        let mut path = vec![last];
        let mut i = last;
        loop {
            let h = self.head[i as usize];
            let mp = self.mp(i);
            if mp != NONE && self.end(mp) == h {
                i = mp;
            } else {
                let jp = p.jp[i as usize];
                if jp != NONE && self.end(jp) == h {
                    i = jp;
                } else {
                    break;
                }
            }
            path.push(i);
        }
        path.reverse();
        path
    }

    /// Blocks of a path: maximal runs of consecutive operations on one machine, as
    /// `(start, end)` index ranges into `path` (inclusive start, exclusive end), length >= 2.
    pub(crate) fn blocks(&self, path: &[u32]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut s = 0;
        for k in 1..=path.len() {
            let linked = k < path.len() && self.mp(path[k]) == path[k - 1];
            if !linked {
                if k - s >= 2 {
                    out.push((s, k));
                }
                s = k;
            }
        }
        out
    }

    pub(crate) fn apply(&mut self, p: &Problem, mv: Move) -> Undo {
        match mv {
            Move::Forward { u, v } => {
                let m = self.mach[u as usize] as usize;
                let old = self.seq[m].clone();
                let (a, b) = (self.pos[u as usize] as usize, self.pos[v as usize] as usize);
                self.seq[m][a..=b].rotate_left(1);
                self.renumber(m, a);
                Undo {
                    seqs: vec![(m, old)],
                    reassigned: None,
                }
            }
            Move::Backward { u, v } => {
                let m = self.mach[u as usize] as usize;
                let old = self.seq[m].clone();
                let (a, b) = (self.pos[u as usize] as usize, self.pos[v as usize] as usize);
                self.seq[m][a..=b].rotate_right(1);
                self.renumber(m, a);
                Undo {
                    seqs: vec![(m, old)],
                    reassigned: None,
                }
            }
            Move::Reassign { op, alt, pos } => {
                let i = op as usize;
                let from = self.mach[i] as usize;
                let (to, d) = p.alts[i][alt as usize];
                let to = to as usize;
                let undo = Undo {
                    seqs: vec![(from, self.seq[from].clone()), (to, self.seq[to].clone())],
                    reassigned: Some((op, self.alt[i])),
                };
                let k = self.pos[i] as usize;
                self.seq[from].remove(k);
                self.renumber(from, k);
                self.seq[to].insert(pos as usize, op);
                self.alt[i] = alt;
                self.mach[i] = to as u32;
                self.dur[i] = d;
                self.renumber(to, pos as usize);
                undo
            }
        }
    }

    pub(crate) fn undo(&mut self, p: &Problem, undo: Undo) {
        if let Some((op, alt)) = undo.reassigned {
            let i = op as usize;
            self.alt[i] = alt;
            self.mach[i] = p.alts[i][alt as usize].0;
            self.dur[i] = p.alts[i][alt as usize].1;
        }
        for (m, s) in undo.seqs.into_iter().rev() {
            self.seq[m] = s;
            self.renumber(m, 0);
        }
    }

    /// Approximate makespan after an intra-machine move, from the current heads and tails:
    /// only the moved segment's heads and tails are recomputed (Balas–Vazacopoulos / Dell'Amico–
    /// Trubian style estimate: the longest path through the moved operations).
    pub(crate) fn estimate_shift(&self, p: &Problem, mv: Move, buf: &mut Vec<u32>) -> i64 {
        buf.clear();
        let (first, last) = match mv {
            Move::Forward { u, v } | Move::Backward { u, v } => (u, v),
            Move::Reassign { .. } => unreachable!("estimate_shift on a reassignment"),
        };
        let m = self.mach[first as usize] as usize;
        let (a, b) = (
            self.pos[first as usize] as usize,
            self.pos[last as usize] as usize,
        );
        let seg = &self.seq[m][a..=b];
        match mv {
            Move::Forward { .. } => {
                buf.extend_from_slice(&seg[1..]);
                buf.push(seg[0]);
            }
            _ => {
                buf.push(seg[seg.len() - 1]);
                buf.extend_from_slice(&seg[..seg.len() - 1]);
            }
        }
        let before = self.mp(first);
        let after = self.ms(last);
        let mut prev_end = if before != NONE {
            self.end(before)
        } else {
            i64::MIN
        };
        let mut heads = [0i64; 64];
        let long = buf.len() > heads.len();
        let mut best = i64::MIN;
        if long {
            return self.makespan;
        }
        for (k, &x) in buf.iter().enumerate() {
            let xu = x as usize;
            let mut h = self.lb(p, x).max(prev_end);
            let jp = p.jp[xu];
            if jp != NONE {
                h = h.max(self.end(jp));
            }
            heads[k] = h;
            prev_end = h + self.dur[xu];
        }
        let mut next_tail = if after != NONE {
            self.tail[after as usize] + self.dur[after as usize]
        } else {
            0
        };
        for k in (0..buf.len()).rev() {
            let xu = buf[k] as usize;
            let mut q = next_tail;
            let js = p.js[xu];
            if js != NONE {
                q = q.max(self.tail[js as usize] + self.dur[js as usize]);
            }
            best = best.max(heads[k] + self.dur[xu] + q);
            next_tail = q + self.dur[xu];
        }
        best
    }
}
