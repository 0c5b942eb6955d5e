//! Calendars turned into working windows on the planner's time axis.
//!
//! The time axis of the shop model is an integer number of minutes from the plan's base (the
//! origin truncated to the minute). A [`Windows`] is the sorted list of half-open intervals
//! `[start, end)` when a resource works: the shifts of each weekday, minus the closed days,
//! minus the unavailable periods, clipped to the horizon. Adjacent windows are merged, so a
//! night shift 22:00–24:00 followed by 00:00–06:00 is one window.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::model::Calendar;

/// Sorted, disjoint, non-adjacent working intervals `[start, end)` in minutes from the base.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Windows {
    pub iv: Vec<(i64, i64)>,
}

/// Minutes from `base` to `dt`, rounded down (`ceil = false`) or up.
pub(crate) fn minutes_between(base: NaiveDateTime, dt: NaiveDateTime, ceil: bool) -> i64 {
    let d = dt.signed_duration_since(base);
    let m = d.num_minutes();
    if ceil && d > Duration::minutes(m) {
        m + 1
    } else if !ceil && d < Duration::minutes(m) {
        m - 1
    } else {
        m
    }
}

impl Windows {
    /// Builds the windows of `cal` over `[from, to)` minutes from `base` (`base` must be at a
    /// whole minute). Shifts with an invalid weekday or bounds are ignored.
    pub fn build(cal: &Calendar, base: NaiveDateTime, from: i64, to: i64) -> Windows {
        let mut iv: Vec<(i64, i64)> = Vec::new();
        if to <= from {
            return Windows { iv };
        }
        let base_date = base.date();
        let base_tod = i64::from(base.time().num_seconds_from_midnight()) / 60;
        let first_day = (from + base_tod).div_euclid(1440);
        let last_day = (to + base_tod - 1).div_euclid(1440);
        let mut closed: Vec<NaiveDate> = cal.closed_days.clone();
        closed.sort_unstable();
        let mut shifts: Vec<(u8, i64, i64)> = cal
            .shifts
            .iter()
            .filter(|s| s.weekday <= 6 && s.start_min < s.end_min && s.end_min <= 1440)
            .map(|s| (s.weekday, i64::from(s.start_min), i64::from(s.end_min)))
            .collect();
        shifts.sort_unstable();
        for day in first_day..=last_day {
            let Some(date) = base_date.checked_add_signed(Duration::days(day)) else {
                continue;
            };
            if closed.binary_search(&date).is_ok() {
                continue;
            }
            let wd = date.weekday().num_days_from_monday() as u8;
            let day0 = day * 1440 - base_tod;
            for &(_, s, e) in shifts.iter().filter(|s| s.0 == wd) {
                let (a, b) = ((day0 + s).max(from), (day0 + e).min(to));
                if a < b {
                    iv.push((a, b));
                }
            }
        }
        iv.sort_unstable();
        let mut w = Windows { iv: merge(iv) };
        let mut holes: Vec<(i64, i64)> = cal
            .unavailable
            .iter()
            .map(|u| {
                (
                    minutes_between(base, u.from, false),
                    minutes_between(base, u.to, true),
                )
            })
            .filter(|(a, b)| a < b && *b > from && *a < to)
            .collect();
        holes.sort_unstable();
        w.subtract(&merge(holes));
        w
    }

    /// The whole range `[from, to)` as one window (no calendar).
    pub fn always(from: i64, to: i64) -> Windows {
        Windows {
            iv: if from < to {
                vec![(from, to)]
            } else {
                Vec::new()
            },
        }
    }

    /// Union of several window lists.
    pub fn union<'a>(all: impl Iterator<Item = &'a Windows>) -> Windows {
        let mut iv: Vec<(i64, i64)> = all.flat_map(|w| w.iv.iter().copied()).collect();
        iv.sort_unstable();
        Windows { iv: merge(iv) }
    }

    fn subtract(&mut self, holes: &[(i64, i64)]) {
        if holes.is_empty() {
            return;
        }
        let mut out = Vec::with_capacity(self.iv.len());
        let mut h = 0;
        for &(mut a, b) in &self.iv {
            while h < holes.len() && holes[h].1 <= a {
                h += 1;
            }
            let mut k = h;
            while a < b {
                if k >= holes.len() || holes[k].0 >= b {
                    out.push((a, b));
                    break;
                }
                let (ha, hb) = holes[k];
                if ha > a {
                    out.push((a, ha));
                }
                a = a.max(hb);
                k += 1;
            }
        }
        self.iv = out;
    }

    /// Index of the first window that ends after `t`.
    pub fn first_after(&self, t: i64) -> usize {
        self.iv.partition_point(|&(_, e)| e <= t)
    }

    /// Is the instant `t` inside a window (`start <= t < end`)?
    pub fn contains(&self, t: i64) -> bool {
        let i = self.first_after(t);
        i < self.iv.len() && self.iv[i].0 <= t
    }

    /// Working minutes in `[a, b)`.
    pub fn minutes_in(&self, a: i64, b: i64) -> i64 {
        let mut total = 0;
        let mut i = self.first_after(a);
        while i < self.iv.len() && self.iv[i].0 < b {
            total += self.iv[i].1.min(b) - self.iv[i].0.max(a);
            i += 1;
        }
        total
    }

    /// Total working minutes.
    pub fn total(&self) -> i64 {
        self.iv.iter().map(|(a, b)| b - a).sum()
    }
}

/// Merges sorted intervals that overlap or touch.
fn merge(iv: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(iv.len());
    for (a, b) in iv {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Consumes `minutes` working minutes from `t` inside `a` (and inside `b` too when given: both
/// resources must work at the same time). Returns `(start, end)`: `start` the first working
/// instant used, `end` when the minutes are used up; for zero minutes, `start == end` = the next
/// common working instant. `None` when the windows run out (beyond the horizon). The used
/// pieces are appended to `segs` when given.
pub fn consume(
    a: &Windows,
    b: Option<&Windows>,
    t: i64,
    minutes: i64,
    mut segs: Option<&mut Vec<(i64, i64)>>,
) -> Option<(i64, i64)> {
    let minutes = minutes.max(0);
    let mut i = a.first_after(t);
    let mut j = b.map_or(0, |b| b.first_after(t));
    let mut cur = t;
    let mut remaining = minutes;
    let mut start: Option<i64> = None;
    loop {
        let &(as_, ae) = a.iv.get(i)?;
        let (bs, be) = match b {
            Some(b) => *b.iv.get(j)?,
            None => (i64::MIN, i64::MAX),
        };
        let lo = cur.max(as_).max(bs);
        let hi = ae.min(be);
        if lo < hi {
            let s = *start.get_or_insert(lo);
            if remaining == 0 {
                return Some((s, s));
            }
            let take = remaining.min(hi - lo);
            if let Some(segs) = segs.as_deref_mut() {
                segs.push((lo, lo + take));
            }
            remaining -= take;
            if remaining == 0 {
                return Some((s, lo + take));
            }
            cur = hi;
        }
        if ae <= be {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// Easter Sunday (Gregorian calendar, anonymous algorithm "Meeus/Jones/Butcher").
fn easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The 11 French public holidays of `year` (Code du travail, art. L3133-1): 1 January, Easter
/// Monday, 1 May, 8 May, Ascension (Easter + 39 days), Whit Monday (Easter + 50), 14 July,
/// 15 August, 1 November, 11 November, 25 December. Sorted. Empty for a year chrono cannot
/// represent.
///
/// ```
/// use chrono::NaiveDate;
/// let h = usinage_planner::shop::french_public_holidays(2026);
/// assert_eq!(h.len(), 11);
/// assert!(h.contains(&NaiveDate::from_ymd_opt(2026, 4, 6).unwrap())); // Easter Monday
/// ```
pub fn french_public_holidays(year: i32) -> Vec<NaiveDate> {
    let Some(easter) = easter(year) else {
        return Vec::new();
    };
    let fixed = [
        (1, 1),
        (5, 1),
        (5, 8),
        (7, 14),
        (8, 15),
        (11, 1),
        (11, 11),
        (12, 25),
    ];
    let mut days: Vec<NaiveDate> = fixed
        .iter()
        .filter_map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d))
        .collect();
    for offset in [1, 39, 50] {
        if let Some(d) = easter.checked_add_signed(Duration::days(offset)) {
            days.push(d);
        }
    }
    days.sort_unstable();
    days
}

/// Working minutes of `cal` in the week starting `monday` 00:00 (seven days; shifts minus closed
/// days minus unavailabilities). Any date works as the start; the name says what the load view
/// passes.
pub fn weekly_capacity_min(cal: &Calendar, monday: NaiveDate) -> i64 {
    let base = monday.and_time(NaiveTime::MIN);
    Windows::build(cal, base, 0, 7 * 1440).total()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shop::model::{Shift, Unavailability};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn day_shifts() -> Vec<Shift> {
        (0..5)
            .flat_map(|wd| {
                [
                    Shift {
                        weekday: wd,
                        start_min: 450,
                        end_min: 720,
                    },
                    Shift {
                        weekday: wd,
                        start_min: 780,
                        end_min: 990,
                    },
                ]
            })
            .collect()
    }

    #[test]
    fn french_holidays_2026_are_the_eleven_legal_days() {
        let h = french_public_holidays(2026);
        let expected = [
            d(2026, 1, 1),
            d(2026, 4, 6),
            d(2026, 5, 1),
            d(2026, 5, 8),
            d(2026, 5, 14),
            d(2026, 5, 25),
            d(2026, 7, 14),
            d(2026, 8, 15),
            d(2026, 11, 1),
            d(2026, 11, 11),
            d(2026, 12, 25),
        ];
        assert_eq!(h, expected);
        // Easter 2024 was 31 March: Easter Monday 1 April, Ascension 9 May, Whit Monday 20 May.
        let h = french_public_holidays(2024);
        assert!(
            h.contains(&d(2024, 4, 1)) && h.contains(&d(2024, 5, 9)) && h.contains(&d(2024, 5, 20))
        );
    }

    #[test]
    fn weekly_capacity_counts_shifts_minus_holiday_and_absence() {
        let mut cal = Calendar {
            shifts: day_shifts(),
            closed_days: vec![],
            unavailable: vec![],
        };
        let monday = d(2026, 3, 2);
        assert_eq!(weekly_capacity_min(&cal, monday), 5 * 480);
        cal.closed_days.push(d(2026, 3, 4));
        assert_eq!(weekly_capacity_min(&cal, monday), 4 * 480);
        cal.unavailable.push(Unavailability {
            from: d(2026, 3, 5).and_hms_opt(10, 0, 0).unwrap(),
            to: d(2026, 3, 5).and_hms_opt(14, 0, 0).unwrap(),
            reason: "Médecin".into(),
        });
        // 10:00–12:00 and 13:00–14:00 lost.
        assert_eq!(weekly_capacity_min(&cal, monday), 4 * 480 - 180);
    }

    #[test]
    fn night_shifts_merge_across_midnight() {
        let cal = Calendar {
            shifts: vec![
                Shift {
                    weekday: 0,
                    start_min: 1320,
                    end_min: 1440,
                },
                Shift {
                    weekday: 1,
                    start_min: 0,
                    end_min: 360,
                },
            ],
            closed_days: vec![],
            unavailable: vec![],
        };
        let base = d(2026, 3, 2).and_hms_opt(0, 0, 0).unwrap();
        let w = Windows::build(&cal, base, 0, 7 * 1440);
        assert_eq!(w.iv, vec![(1320, 1440 + 360)]);
    }

    #[test]
    fn consume_runs_over_the_lunch_break_and_into_the_next_day() {
        let cal = Calendar {
            shifts: day_shifts(),
            closed_days: vec![],
            unavailable: vec![],
        };
        let base = d(2026, 3, 2).and_hms_opt(0, 0, 0).unwrap();
        let w = Windows::build(&cal, base, 0, 14 * 1440);
        // 11:00 + 120 min: 60 before lunch, 60 after → 14:00.
        assert_eq!(consume(&w, None, 660, 120, None), Some((660, 840)));
        // 16:00 + 60 min: 30 today, 30 tomorrow from 07:30 → 08:00 Tuesday.
        assert_eq!(consume(&w, None, 960, 60, None), Some((960, 1440 + 480)));
        // Starting at night: first working instant is 07:30.
        assert_eq!(
            consume(&w, None, 1200, 0, None),
            Some((1440 + 450, 1440 + 450))
        );
        // Intersection with a person who starts at 09:00.
        let p = Windows {
            iv: vec![(540, 1000)],
        };
        assert_eq!(consume(&w, Some(&p), 0, 60, None), Some((540, 600)));
        // Beyond the windows: none.
        assert_eq!(consume(&p, None, 0, 1000, None), None);
    }

    #[test]
    fn base_in_the_middle_of_a_day_shifts_the_axis() {
        let cal = Calendar {
            shifts: day_shifts(),
            closed_days: vec![],
            unavailable: vec![],
        };
        let base = d(2026, 3, 2).and_hms_opt(10, 0, 0).unwrap();
        let w = Windows::build(&cal, base, 0, 1440);
        // 10:00–12:00 → 0–120, 13:00–16:30 → 180–390, Tuesday 07:30–10:00 → 1290–1440.
        assert_eq!(w.iv, vec![(0, 120), (180, 390), (1290, 1440)]);
    }
}
