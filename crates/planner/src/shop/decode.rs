//! Placing operations one at a time on the calendars: the schedule builder shared by
//! `plan` (in the order the optimisation core found), `repair` and the due-date check.
//!
//! Each machine station and each person has a timeline of bookings `[start, end)`, sorted and
//! disjoint. An operation is placed at the earliest instant from which its working minutes fit
//! the windows (machine ∩ person for an attended run, machine ∩ person for the set-up then the
//! machine alone for an unattended run, the person alone for a manual operation) without
//! overlapping a booking; gaps left earlier are used (insertion), except where it would break a
//! set-up family pair already counted as reduced.

use std::collections::HashMap;

use chrono::Datelike;

use super::build::{Kind, Model, Opt};
use super::calendar::consume;

#[derive(Clone, Copy, Debug)]
pub(crate) struct Booking {
    pub s: i64,
    pub e: i64,
    pub op: usize,
    pub fam: Option<u32>,
    /// Its set-up was reduced because the booking before it has the same family.
    pub reduced: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Placed {
    pub machine: Option<usize>,
    pub station: usize,
    pub person: Option<usize>,
    pub start: i64,
    pub end: i64,
    /// End of the person's part (set-up of an unattended run; `start` when no person).
    pub pend: i64,
    pub setup: i64,
    pub work: i64,
    pub reduced: bool,
    pub fixed: bool,
}

#[derive(Clone)]
pub(crate) struct State {
    pub stations: Vec<Vec<Vec<Booking>>>,
    pub persons: Vec<Vec<Booking>>,
    pub day_load: Vec<HashMap<i64, i64>>,
    pub week_load: Vec<HashMap<i64, i64>>,
    pub placed: Vec<Option<Placed>>,
    week_offset: i64,
}

/// Why an operation could not be placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NoPlace {
    /// A predecessor is not planned.
    Blocked,
    /// No room before the end of the horizon.
    Horizon,
}

enum Attempt {
    Done(Placed),
    Retry(i64),
}

/// First booking that ends after `t`; a conflict with `[s, e)` when it starts before `e`.
fn conflict(tl: &[Booking], s: i64, e: i64) -> Option<&Booking> {
    let k = tl.partition_point(|b| b.e <= s);
    tl.get(k).filter(|b| b.s < e.max(s + 1))
}

/// Inserts keeping the timeline sorted and disjoint (overlapping bookings, which only fixed
/// operations can produce, are merged: the resource is busy over the union).
fn insert(tl: &mut Vec<Booking>, b: Booking) {
    if b.e <= b.s {
        return;
    }
    let k = tl.partition_point(|x| x.e <= b.s);
    let mut end = k;
    while end < tl.len() && tl[end].s < b.e {
        end += 1;
    }
    if end == k {
        tl.insert(k, b);
    } else {
        let s = tl[k].s.min(b.s);
        let e = tl[end - 1].e.max(b.e);
        tl.splice(
            k..end,
            [Booking {
                s,
                e,
                op: b.op,
                fam: None,
                reduced: false,
            }],
        );
    }
}

impl State {
    pub fn new(model: &Model) -> State {
        State {
            stations: model
                .machines
                .iter()
                .map(|m| vec![Vec::new(); m.stations])
                .collect(),
            persons: vec![Vec::new(); model.people.len()],
            day_load: vec![HashMap::new(); model.people.len()],
            week_load: vec![HashMap::new(); model.people.len()],
            placed: vec![None; model.ops.len()],
            week_offset: i64::from(model.base.date().weekday().num_days_from_monday()),
        }
    }

    pub fn week_of_day(&self, day: i64) -> i64 {
        (day + self.week_offset).div_euclid(7)
    }

    /// Earliest start allowed by the release and the predecessors.
    pub fn est(&self, model: &Model, o: usize) -> Result<i64, NoPlace> {
        let mut t = model.ops[o].release.max(model.min_t);
        for &p in &model.ops[o].preds {
            match &self.placed[p] {
                Some(pl) => t = t.max(pl.end),
                None => return Err(NoPlace::Blocked),
            }
        }
        Ok(t)
    }

    /// The person's working pieces of a placement (for the working-time loads).
    pub fn person_segments(model: &Model, o: usize, pl: &Placed) -> Vec<(i64, i64)> {
        let mut segs = Vec::new();
        let Some(p) = pl.person else { return segs };
        let pw = model.pwin(p);
        if pl.fixed {
            let mut i = pw.first_after(pl.start);
            while i < pw.iv.len() && pw.iv[i].0 < pl.end {
                segs.push((pw.iv[i].0.max(pl.start), pw.iv[i].1.min(pl.end)));
                i += 1;
            }
            return segs;
        }
        match (&model.ops[o].kind, pl.machine) {
            (Kind::Machine(_), Some(m)) => {
                let demand = if model.machines[m].unattended {
                    pl.setup
                } else {
                    pl.work
                };
                consume(
                    &model.machines[m].win,
                    Some(pw),
                    pl.start,
                    demand,
                    Some(&mut segs),
                );
            }
            (Kind::Manual(min), _) => {
                consume(pw, None, pl.start, *min, Some(&mut segs));
            }
            _ => {}
        }
        segs
    }

    /// Per-day pieces of the segments: `(day, minutes)`.
    pub fn by_day(model: &Model, segs: &[(i64, i64)]) -> Vec<(i64, i64)> {
        let mut out: Vec<(i64, i64)> = Vec::new();
        for &(mut a, b) in segs {
            while a < b {
                let d = model.day_of(a);
                let day_end = (d + 1) * 1440 - model.base_tod;
                let piece = b.min(day_end) - a;
                match out.last_mut() {
                    Some(last) if last.0 == d => last.1 += piece,
                    _ => out.push((d, piece)),
                }
                a += piece;
            }
        }
        out
    }

    /// Would these pieces push the person over the daily or weekly limit?
    fn over_limits(&self, model: &Model, p: usize, days: &[(i64, i64)]) -> bool {
        let s = &model.input.settings;
        let mut weeks: Vec<(i64, i64)> = Vec::new();
        for &(d, m) in days {
            if self.day_load[p].get(&d).copied().unwrap_or(0) + m > s.max_day_min {
                return true;
            }
            let w = self.week_of_day(d);
            match weeks.last_mut() {
                Some(last) if last.0 == w => last.1 += m,
                _ => weeks.push((w, m)),
            }
        }
        weeks
            .iter()
            .any(|&(w, m)| self.week_load[p].get(&w).copied().unwrap_or(0) + m > s.max_week_min)
    }

    /// Earliest placement of `o` from `t0` on this option/station/person.
    pub fn search(
        &self,
        model: &Model,
        o: usize,
        opt: Option<Opt>,
        station: usize,
        p: Option<usize>,
        t0: i64,
    ) -> Option<Placed> {
        let mut t = t0.max(model.min_t);
        loop {
            match self.attempt(model, o, opt, station, p, t, false)? {
                Attempt::Done(pl) => return Some(pl),
                Attempt::Retry(next) => t = next.max(t + 1),
            }
        }
    }

    /// The placement of `o` on this option/station/person if it starts exactly at `t`
    /// (`full_setup`: without the family reduction, always a valid choice).
    #[allow(clippy::too_many_arguments)]
    pub fn fits_at(
        &self,
        model: &Model,
        o: usize,
        opt: Option<Opt>,
        station: usize,
        p: Option<usize>,
        t: i64,
        full_setup: bool,
    ) -> Option<Placed> {
        match self.attempt(model, o, opt, station, p, t, full_setup)? {
            Attempt::Done(pl) if pl.start == t => Some(pl),
            _ => None,
        }
    }

    /// One try from `t`: the placement, or the next instant worth trying, or `None` when the
    /// windows run out.
    #[allow(clippy::too_many_arguments)]
    fn attempt(
        &self,
        model: &Model,
        o: usize,
        opt: Option<Opt>,
        station: usize,
        p: Option<usize>,
        t: i64,
        full_setup: bool,
    ) -> Option<Attempt> {
        let op = &model.ops[o];
        if t >= model.horizon {
            return None;
        }
        match (&op.kind, opt) {
            (Kind::Sub(days), _) => {
                let (s, _) = consume(&model.shop, None, t, 0, None)?;
                let e = s + days * 1440;
                if e > model.horizon {
                    return None;
                }
                Some(Attempt::Done(Placed {
                    machine: None,
                    station: 0,
                    person: None,
                    start: s,
                    end: e,
                    pend: s,
                    setup: 0,
                    work: 0,
                    reduced: false,
                    fixed: false,
                }))
            }
            (Kind::Manual(min), _) => {
                let (s, e, person) = match p {
                    Some(p) => {
                        let (s, e) = consume(model.pwin(p), None, t, *min, None)?;
                        (s, e, (*min > 0).then_some(p))
                    }
                    None => {
                        let (s, e) = consume(&model.shop, None, t, *min, None)?;
                        (s, e, None)
                    }
                };
                if let Some(p) = person
                    && let Some(c) = conflict(&self.persons[p], s, e)
                {
                    return Some(Attempt::Retry(c.e));
                }
                Some(Attempt::Done(Placed {
                    machine: None,
                    station: 0,
                    person,
                    start: s,
                    end: e,
                    pend: if person.is_some() { e } else { s },
                    setup: 0,
                    work: *min,
                    reduced: false,
                    fixed: false,
                }))
            }
            (Kind::Machine(_), Some(opt)) => {
                let m = opt.m;
                let tl = &self.stations[m][station];
                let mw = &model.machines[m].win;
                let k = tl.partition_point(|b| b.e <= t);
                let reduced =
                    !full_setup && op.family.is_some() && k > 0 && tl[k - 1].fam == op.family;
                let setup = if reduced {
                    model.reduced_setup(opt.setup)
                } else {
                    opt.setup
                };
                let unattended = model.machines[m].unattended;
                let demand = if unattended { setup } else { setup + opt.run };
                let pw = if demand > 0 {
                    p.map(|p| model.pwin(p))
                } else {
                    None
                };
                let (s, e, pe) = if unattended {
                    match pw {
                        Some(pw) => {
                            let (s, se) = consume(mw, Some(pw), t, setup, None)?;
                            let e = if opt.run == 0 {
                                se
                            } else {
                                consume(mw, None, se, opt.run, None)?.1
                            };
                            (s, e, se)
                        }
                        None => {
                            let (s, e) = consume(mw, None, t, setup + opt.run, None)?;
                            (s, e, s)
                        }
                    }
                } else {
                    let (s, e) = consume(mw, pw, t, setup + opt.run, None)?;
                    (s, e, if pw.is_some() { e } else { s })
                };
                let k2 = tl.partition_point(|b| b.e <= s);
                if k2 != k {
                    return Some(Attempt::Retry(s));
                }
                if let Some(next) = tl.get(k2)
                    && (next.s < e.max(s + 1) || (next.reduced && next.fam != op.family))
                {
                    return Some(Attempt::Retry(next.e));
                }
                let person = if pw.is_some() { p } else { None };
                if let Some(p) = person
                    && let Some(c) = conflict(&self.persons[p], s, pe)
                {
                    return Some(Attempt::Retry(c.e));
                }
                Some(Attempt::Done(Placed {
                    machine: Some(m),
                    station,
                    person,
                    start: s,
                    end: e,
                    pend: pe,
                    setup,
                    work: setup + opt.run,
                    reduced,
                    fixed: false,
                }))
            }
            (Kind::Machine(_), None) => None,
        }
    }

    /// Best placement of `o` from `t0`: over every allowed machine (or only `only_machine`),
    /// station and eligible person, the earliest end, preferring people under the daily and
    /// weekly limits, then the lowest level that fits, then the id.
    pub fn best(
        &self,
        model: &Model,
        o: usize,
        only_machine: Option<usize>,
        t0: i64,
    ) -> Option<Placed> {
        let op = &model.ops[o];
        let persons: Vec<Option<usize>> = if op.eligible.is_empty() {
            vec![None]
        } else {
            op.eligible.iter().map(|&p| Some(p)).collect()
        };
        let opts: Vec<Option<Opt>> = match &op.kind {
            Kind::Machine(opts) => {
                let filtered: Vec<Option<Opt>> = opts
                    .iter()
                    .filter(|x| only_machine.is_none_or(|m| x.m == m))
                    .map(|&x| Some(x))
                    .collect();
                if filtered.is_empty() {
                    opts.iter().map(|&x| Some(x)).collect()
                } else {
                    filtered
                }
            }
            _ => vec![None],
        };
        // (over the limits, end, start, person rank, option, station)
        type Key = (bool, i64, i64, usize, usize, usize);
        let mut best: Option<(Key, Placed)> = None;
        for (oi, opt) in opts.iter().enumerate() {
            let nst = opt.map_or(1, |x| model.machines[x.m].stations);
            for st in 0..nst {
                for (rank, &p) in persons.iter().enumerate() {
                    let Some(pl) = self.search(model, o, *opt, st, p, t0) else {
                        continue;
                    };
                    let over = match pl.person {
                        Some(p) => {
                            let segs = State::person_segments(model, o, &pl);
                            self.over_limits(model, p, &State::by_day(model, &segs))
                        }
                        None => false,
                    };
                    let key = (over, pl.end, pl.start, rank, oi, st);
                    if best.as_ref().is_none_or(|(k, _)| key < *k) {
                        best = Some((key, pl));
                    }
                    if pl.person.is_none() {
                        break; // No person involved: the others give the same placement.
                    }
                }
            }
        }
        best.map(|(_, pl)| pl)
    }

    /// Places `o` at its best from its earliest start; `Err` says why not.
    pub fn place(
        &mut self,
        model: &Model,
        o: usize,
        only_machine: Option<usize>,
    ) -> Result<Placed, NoPlace> {
        let t0 = self.est(model, o)?;
        let pl = self
            .best(model, o, only_machine, t0)
            .ok_or(NoPlace::Horizon)?;
        self.book(model, o, pl);
        Ok(pl)
    }

    pub fn book(&mut self, model: &Model, o: usize, pl: Placed) {
        let fam = model.ops[o].family;
        if let Some(m) = pl.machine
            && let Some(tl) = self.stations.get_mut(m).and_then(|s| s.get_mut(pl.station))
        {
            insert(
                tl,
                Booking {
                    s: pl.start,
                    e: pl.end,
                    op: o,
                    fam,
                    reduced: pl.reduced,
                },
            );
        }
        if let Some(p) = pl.person {
            insert(
                &mut self.persons[p],
                Booking {
                    s: pl.start,
                    e: pl.pend,
                    op: o,
                    fam: None,
                    reduced: false,
                },
            );
            let segs = State::person_segments(model, o, &pl);
            for (d, m) in State::by_day(model, &segs) {
                *self.day_load[p].entry(d).or_insert(0) += m;
                let w = self.week_of_day(d);
                *self.week_load[p].entry(w).or_insert(0) += m;
            }
        }
        self.placed[o] = Some(pl);
    }

    /// Removes a placement (repair).
    pub fn unbook(&mut self, model: &Model, o: usize) {
        let Some(pl) = self.placed[o].take() else {
            return;
        };
        if let Some(m) = pl.machine
            && let Some(tl) = self.stations.get_mut(m).and_then(|s| s.get_mut(pl.station))
        {
            tl.retain(|b| b.op != o);
        }
        if let Some(p) = pl.person {
            self.persons[p].retain(|b| b.op != o);
            let segs = State::person_segments(model, o, &pl);
            for (d, m) in State::by_day(model, &segs) {
                *self.day_load[p].entry(d).or_insert(0) -= m;
                let w = self.week_of_day(d);
                *self.week_load[p].entry(w).or_insert(0) -= m;
            }
        }
    }

    /// Books the fixed operations where they are; returns the overlaps found (op, other op,
    /// machine or person) for the `frozen_overlap` diagnostics.
    pub fn book_fixed(&mut self, model: &Model) -> Vec<(usize, Option<usize>, Option<usize>)> {
        let mut overlaps = Vec::new();
        for (o, op) in model.ops.iter().enumerate() {
            let Some(f) = op.fixed else { continue };
            let start = model.rel(f.start, false);
            let end = model.rel(f.end, true).max(start);
            let machine = f
                .machine_id
                .and_then(|id| model.machine_idx.get(&id).copied());
            let person = f
                .person_id
                .and_then(|id| model.person_idx.get(&id).copied());
            let (setup, work) = match (&op.kind, machine) {
                (Kind::Machine(opts), Some(m)) => opts
                    .iter()
                    .find(|x| x.m == m)
                    .map_or((0, 0), |x| (x.setup, x.setup + x.run)),
                (Kind::Manual(min), _) => (0, *min),
                _ => (0, 0),
            };
            let mut station = 0;
            if let Some(m) = machine {
                let free = (0..model.machines[m].stations)
                    .find(|&st| conflict(&self.stations[m][st], start, end).is_none());
                match free {
                    Some(st) => station = st,
                    None if end > start => {
                        let other = conflict(&self.stations[m][0], start, end).map(|b| b.op);
                        overlaps.push((o, other, None));
                    }
                    None => {}
                }
            }
            if let Some(p) = person
                && end > start
                && let Some(c) = conflict(&self.persons[p], start, end)
            {
                overlaps.push((o, Some(c.op), Some(p)));
            }
            let pl = Placed {
                machine,
                station,
                person,
                start,
                end,
                pend: end,
                setup,
                work,
                reduced: false,
                fixed: true,
            };
            self.book(model, o, pl);
        }
        overlaps
    }
}
