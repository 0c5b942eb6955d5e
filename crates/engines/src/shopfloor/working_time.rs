//! French working-time limits and overtime tiers (NORMS.md §9, Code du travail default rules).
//!
//! - At most 10 h of work per day (L3121-18), 48 h per week (L3121-20), 44 h on average over
//!   any 12 consecutive weeks (L3121-22). Above → warning (the time is still recorded).
//! - Overtime beyond the legal 35 h week (L3121-27): the first 8 h at +25 %, the rest at +50 %
//!   (L3121-36).
//! - Weeks are ISO weeks (Monday to Sunday); the 12-week window ends with the week checked, and
//!   weeks without data count 0.
//!
//! Every threshold is a parameter ([`Limits`]); the defaults are the legal values. Minutes
//! everywhere.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Thresholds in minutes (defaults: the legal values of NORMS.md §9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Maximum per day (600 = 10 h, L3121-18).
    pub day_max_min: i64,
    /// Maximum per week (2880 = 48 h, L3121-20).
    pub week_max_min: i64,
    /// Maximum average per week over `avg_weeks` consecutive weeks (2640 = 44 h, L3121-22).
    pub avg_max_min: i64,
    /// Weeks of the rolling average (12).
    pub avg_weeks: u32,
    /// Legal week, overtime threshold (2100 = 35 h, L3121-27).
    pub legal_week_min: i64,
    /// Overtime minutes paid at `tier1_pct` (480 = 8 h, L3121-36).
    pub tier1_min: i64,
    pub tier1_pct: u32,
    pub tier2_pct: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            day_max_min: 600,
            week_max_min: 2880,
            avg_max_min: 2640,
            avg_weeks: 12,
            legal_week_min: 2100,
            tier1_min: 480,
            tier1_pct: 25,
            tier2_pct: 50,
        }
    }
}

/// Minutes worked on a date (several rows for one date add up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayWork {
    pub date: NaiveDate,
    pub minutes: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    DayOver,
    WeekOver,
    AverageOver,
}

/// A limit passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub kind: WarningKind,
    /// `2026-12-07` (day), `2026-W50` (week) or `2026-W39..2026-W50` (average window).
    pub period: String,
    /// Minutes worked (the average per week for `AverageOver`).
    pub value_min: i64,
    pub limit_min: i64,
    pub fr: String,
    pub en: String,
}

/// One ISO week of one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekSummary {
    pub monday: NaiveDate,
    /// Minutes per day, Monday first.
    pub days: [i64; 7],
    pub total_min: i64,
    pub overtime_25_min: i64,
    pub overtime_50_min: i64,
    /// Average minutes per week over the `avg_weeks` window ending this week (rounded).
    pub average_min: i64,
    /// Largest weekly average the coming weeks may have so that no rolling window containing
    /// this week passes `avg_max_min` (NORMS §9: after 8 weeks at 48 h, the remaining 4 weeks
    /// must average ≤ 36 h). Can be negative when a window is already over.
    pub average_budget_min: i64,
    pub warnings: Vec<Warning>,
}

/// `2026-W50`.
pub fn iso_week_label(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// Monday of an ISO week written `2026-W49` (or `2026-w49`, `2026-W9`).
pub fn parse_iso_week(s: &str) -> Option<NaiveDate> {
    let (year, week) = s.trim().split_once('-')?;
    let week = week.strip_prefix('W').or_else(|| week.strip_prefix('w'))?;
    if year.is_empty() || week.is_empty() || week.len() > 2 {
        return None;
    }
    if !year.bytes().all(|b| b.is_ascii_digit()) || !week.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, Weekday::Mon)
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Overtime of a week: (minutes at tier 1 (+25 %), minutes at tier 2 (+50 %)).
pub fn overtime(total_min: i64, limits: &Limits) -> (i64, i64) {
    let over = (total_min - limits.legal_week_min).max(0);
    let t1 = over.min(limits.tier1_min.max(0));
    (t1, over - t1)
}

/// `10 h 30`, `10 h`, `0 h 45`.
fn hm(min: i64) -> String {
    let sign = if min < 0 { "-" } else { "" };
    let a = min.abs();
    if a % 60 == 0 {
        format!("{sign}{} h", a / 60)
    } else {
        format!("{sign}{} h {:02}", a / 60, a % 60)
    }
}

fn fr_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn avg_weeks(limits: &Limits) -> i64 {
    i64::from(limits.avg_weeks.max(1))
}

/// `total / weeks`, rounded half up.
fn average(total: i64, weeks: i64) -> i64 {
    (2 * total + weeks).div_euclid(2 * weeks)
}

/// Minutes per week for `n` weeks ending with `last_monday`'s week (index 0 = oldest).
fn weekly_totals(history: &[DayWork], last_monday: NaiveDate, n: i64) -> Vec<i64> {
    let first = last_monday - Duration::weeks(n - 1);
    let end = last_monday + Duration::days(7);
    let mut out = vec![0i64; n as usize];
    for h in history {
        if h.date >= first && h.date < end {
            out[((h.date - first).num_days() / 7) as usize] += h.minutes;
        }
    }
    out
}

fn day_warning(date: NaiveDate, minutes: i64, limits: &Limits) -> Option<Warning> {
    (minutes > limits.day_max_min).then(|| Warning {
        kind: WarningKind::DayOver,
        period: date.to_string(),
        value_min: minutes,
        limit_min: limits.day_max_min,
        fr: format!(
            "{} travaillées le {} : au-delà du maximum de {} par jour (art. L3121-18).",
            hm(minutes),
            fr_date(date),
            hm(limits.day_max_min)
        ),
        en: format!(
            "{} worked on {}: above the maximum of {} per day (art. L3121-18).",
            hm(minutes),
            date,
            hm(limits.day_max_min)
        ),
    })
}

fn week_warning(monday: NaiveDate, minutes: i64, limits: &Limits) -> Option<Warning> {
    let label = iso_week_label(monday);
    let sunday = monday + Duration::days(6);
    (minutes > limits.week_max_min).then(|| Warning {
        kind: WarningKind::WeekOver,
        period: label.clone(),
        value_min: minutes,
        limit_min: limits.week_max_min,
        fr: format!(
            "{} travaillées la semaine {label} (du {} au {}) : au-delà du maximum de {} par \
             semaine (art. L3121-20).",
            hm(minutes),
            fr_date(monday),
            fr_date(sunday),
            hm(limits.week_max_min)
        ),
        en: format!(
            "{} worked in week {label} ({monday} to {sunday}): above the maximum of {} per week \
             (art. L3121-20).",
            hm(minutes),
            hm(limits.week_max_min)
        ),
    })
}

fn average_warning(monday: NaiveDate, avg: i64, limits: &Limits) -> Option<Warning> {
    let n = avg_weeks(limits);
    let first = iso_week_label(monday - Duration::weeks(n - 1));
    let last = iso_week_label(monday);
    (avg > limits.avg_max_min).then(|| Warning {
        kind: WarningKind::AverageOver,
        period: format!("{first}..{last}"),
        value_min: avg,
        limit_min: limits.avg_max_min,
        fr: format!(
            "{} par semaine en moyenne sur les {n} semaines {first} à {last} : au-delà du \
             maximum de {} en moyenne sur {n} semaines consécutives (art. L3121-22).",
            hm(avg),
            hm(limits.avg_max_min)
        ),
        en: format!(
            "{} per week on average over the {n} weeks {first} to {last}: above the maximum \
             average of {} over {n} consecutive weeks (art. L3121-22).",
            hm(avg),
            hm(limits.avg_max_min)
        ),
    })
}

/// Largest weekly average for the coming weeks that keeps every rolling window containing the
/// week of `weeks` (oldest first, this week last) within the average maximum.
fn budget(weeks: &[i64], limits: &Limits) -> i64 {
    let n = weeks.len();
    let cap = limits.avg_max_min * n as i64;
    (1..n)
        .map(|j| {
            // Window ending j weeks from now: its known part is the last n − j weeks.
            let known: i64 = weeks[j..].iter().sum();
            (cap - known).div_euclid(j as i64)
        })
        .min()
        .unwrap_or(limits.avg_max_min)
}

/// Warnings for `day`: the day itself, its ISO week, and the rolling window ending that week.
pub fn check(history: &[DayWork], day: NaiveDate, limits: &Limits) -> Vec<Warning> {
    let monday = monday_of(day);
    let n = avg_weeks(limits);
    let weeks = weekly_totals(history, monday, n);
    let day_total: i64 = history
        .iter()
        .filter(|h| h.date == day)
        .map(|h| h.minutes)
        .sum();
    let week_total = *weeks.last().unwrap_or(&0);
    let avg = average(weeks.iter().sum(), n);
    [
        day_warning(day, day_total, limits),
        week_warning(monday, week_total, limits),
        average_warning(monday, avg, limits),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The week starting `monday` (any day of the week is accepted and taken back to its Monday):
/// days, total, overtime tiers, rolling average and warnings (every day over, the week, the
/// average).
pub fn week(history: &[DayWork], monday: NaiveDate, limits: &Limits) -> WeekSummary {
    let monday = monday_of(monday);
    let n = avg_weeks(limits);
    let weeks = weekly_totals(history, monday, n);
    let mut days = [0i64; 7];
    let end = monday + Duration::days(7);
    for h in history {
        if h.date >= monday && h.date < end {
            days[(h.date - monday).num_days() as usize] += h.minutes;
        }
    }
    let total_min: i64 = days.iter().sum();
    let (overtime_25_min, overtime_50_min) = overtime(total_min, limits);
    let average_min = average(weeks.iter().sum(), n);
    let mut warnings: Vec<Warning> = days
        .iter()
        .enumerate()
        .filter_map(|(i, m)| day_warning(monday + Duration::days(i as i64), *m, limits))
        .collect();
    warnings.extend(week_warning(monday, total_min, limits));
    warnings.extend(average_warning(monday, average_min, limits));
    WeekSummary {
        monday,
        days,
        total_min,
        overtime_25_min,
        overtime_50_min,
        average_min,
        average_budget_min: budget(&weeks, limits),
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// NORMS §9 worked week starting `monday`: Mon–Thu 10 h, Fri 8 h.
    fn norms_week(monday: NaiveDate) -> Vec<DayWork> {
        [600, 600, 600, 600, 480]
            .into_iter()
            .enumerate()
            .map(|(i, minutes)| DayWork {
                date: monday + Duration::days(i as i64),
                minutes,
            })
            .collect()
    }

    #[test]
    fn iso_weeks() {
        assert_eq!(iso_week_label(date(2026, 12, 7)), "2026-W50");
        assert_eq!(iso_week_label(date(2027, 1, 1)), "2026-W53");
        assert_eq!(iso_week_label(date(2024, 12, 30)), "2025-W01");
        assert_eq!(parse_iso_week("2026-W49"), Some(date(2026, 11, 30)));
        assert_eq!(parse_iso_week("2026-w9"), Some(date(2026, 2, 23)));
        assert_eq!(parse_iso_week("2026-W53"), Some(date(2026, 12, 28)));
        assert_eq!(parse_iso_week("2025-W53"), None);
        assert_eq!(parse_iso_week("2026-W00"), None);
        assert_eq!(parse_iso_week("2026-49"), None);
        assert_eq!(parse_iso_week("2026-W+4"), None);
        assert_eq!(parse_iso_week(""), None);
    }

    #[test]
    fn norms_worked_example() {
        let monday = date(2026, 12, 7);
        let h = norms_week(monday);
        let w = week(&h, monday, &Limits::default());
        assert_eq!(w.days, [600, 600, 600, 600, 480, 0, 0]);
        assert_eq!(w.total_min, 48 * 60);
        // 13 h overtime: 8 h at +25 %, 5 h at +50 %.
        assert_eq!(w.overtime_25_min, 8 * 60);
        assert_eq!(w.overtime_50_min, 5 * 60);
        // At 15 €/h: 8 × 15 × 1.25 + 5 × 15 × 1.5 = 262.50 €.
        let rate = Decimal::from(15);
        let pay =
            Decimal::from(w.overtime_25_min) / Decimal::from(60) * rate * Decimal::new(125, 2)
                + Decimal::from(w.overtime_50_min) / Decimal::from(60) * rate * Decimal::new(15, 1);
        assert_eq!(pay, Decimal::new(26250, 2));
        // Each day ≤ 10 h, week ≤ 48 h, one week in the window: no warning.
        assert!(w.warnings.is_empty(), "{:?}", w.warnings);
        assert_eq!(w.average_min, 240);
        assert!(check(&h, monday, &Limits::default()).is_empty());
    }

    #[test]
    fn repeated_48h_weeks_pass_the_average() {
        let first = date(2026, 9, 21); // 2026-W39
        let limits = Limits::default();
        let mut h = Vec::new();
        for k in 0..12 {
            h.extend(norms_week(first + Duration::weeks(k)));
        }
        // After 8 weeks at 48 h, the remaining 4 weeks must average ≤ 36 h.
        let w8 = week(&h[..8 * 5], first + Duration::weeks(7), &limits);
        assert_eq!(w8.average_budget_min, 36 * 60);
        assert!(w8.warnings.is_empty());
        // 11 weeks: 11 × 48 / 12 = 44 h, not above.
        let w11 = week(&h[..11 * 5], first + Duration::weeks(10), &limits);
        assert_eq!(w11.average_min, 2640);
        assert!(w11.warnings.is_empty());
        // 12 weeks at 48 h: average 48 h > 44 h.
        let last = first + Duration::weeks(11);
        assert_eq!(iso_week_label(last), "2026-W50");
        let w12 = week(&h, last, &limits);
        assert_eq!(w12.average_min, 2880);
        assert_eq!(w12.warnings.len(), 1);
        let warn = &w12.warnings[0];
        assert_eq!(warn.kind, WarningKind::AverageOver);
        assert_eq!(warn.period, "2026-W39..2026-W50");
        assert_eq!(warn.value_min, 2880);
        assert_eq!(warn.limit_min, 2640);
        assert_eq!(
            warn.fr,
            "48 h par semaine en moyenne sur les 12 semaines 2026-W39 à 2026-W50 : au-delà du \
             maximum de 44 h en moyenne sur 12 semaines consécutives (art. L3121-22)."
        );
        let c = check(&h, last + Duration::days(2), &limits);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].kind, WarningKind::AverageOver);
    }

    #[test]
    fn day_and_week_over_with_several_rows_per_date() {
        let monday = date(2026, 12, 7);
        let mut h = norms_week(monday);
        // Monday gets a second row of 30 min → 10 h 30; Saturday 2 h → week 50 h 30.
        h.push(DayWork {
            date: monday,
            minutes: 30,
        });
        h.push(DayWork {
            date: monday + Duration::days(5),
            minutes: 120,
        });
        let limits = Limits::default();
        let c = check(&h, monday, &limits);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].kind, WarningKind::DayOver);
        assert_eq!(c[0].period, "2026-12-07");
        assert_eq!(c[0].value_min, 630);
        assert_eq!(
            c[0].fr,
            "10 h 30 travaillées le 07/12/2026 : au-delà du maximum de 10 h par jour \
             (art. L3121-18)."
        );
        assert_eq!(
            c[0].en,
            "10 h 30 worked on 2026-12-07: above the maximum of 10 h per day (art. L3121-18)."
        );
        assert_eq!(c[1].kind, WarningKind::WeekOver);
        assert_eq!(c[1].period, "2026-W50");
        assert_eq!(c[1].value_min, 3030);
        assert_eq!(
            c[1].fr,
            "50 h 30 travaillées la semaine 2026-W50 (du 07/12/2026 au 13/12/2026) : au-delà \
             du maximum de 48 h par semaine (art. L3121-20)."
        );
        // Tuesday: only the week.
        let c = check(&h, monday + Duration::days(1), &limits);
        assert_eq!(c.len(), 1);
        // The week summary lists Monday and the week; any day of the week gives the same.
        let w = week(&h, monday + Duration::days(3), &limits);
        assert_eq!(w.monday, monday);
        assert_eq!(w.days[0], 630);
        assert_eq!(w.warnings.len(), 2);
        assert_eq!(w.overtime_25_min, 480);
        assert_eq!(w.overtime_50_min, 3030 - 2100 - 480);
    }

    #[test]
    fn overtime_tiers() {
        let l = Limits::default();
        assert_eq!(overtime(0, &l), (0, 0));
        assert_eq!(overtime(2100, &l), (0, 0));
        assert_eq!(overtime(2400, &l), (300, 0));
        assert_eq!(overtime(2580, &l), (480, 0));
        assert_eq!(overtime(2640, &l), (480, 60));
        assert_eq!(hm(45), "0 h 45");
        assert_eq!(hm(605), "10 h 05");
    }

    #[test]
    fn serde_shapes() {
        assert_eq!(
            serde_json::to_string(&WarningKind::AverageOver).unwrap(),
            "\"average_over\""
        );
        let w = week(
            &norms_week(date(2026, 12, 7)),
            date(2026, 12, 7),
            &Limits::default(),
        );
        let back: WeekSummary = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
        assert_eq!(back, w);
    }

    proptest! {
        #[test]
        fn overtime_adds_up(total in 0i64..6000) {
            let l = Limits::default();
            let (a, b) = overtime(total, &l);
            prop_assert_eq!(a + b, (total - 2100).max(0));
            prop_assert!((0..=480).contains(&a) && b >= 0);
        }

        #[test]
        fn week_days_add_up(mins in proptest::collection::vec(0i64..800, 1..60), start in 0i64..400) {
            let base = date(2026, 1, 1) + Duration::days(start);
            let h: Vec<DayWork> = mins.iter().enumerate()
                .map(|(i, m)| DayWork { date: base + Duration::days(i as i64 / 2), minutes: *m })
                .collect();
            let w = week(&h, base, &Limits::default());
            let expected: i64 = h.iter()
                .filter(|d| d.date >= w.monday && d.date < w.monday + Duration::days(7))
                .map(|d| d.minutes).sum();
            prop_assert_eq!(w.total_min, expected);
            prop_assert_eq!(w.days.iter().sum::<i64>(), w.total_min);
        }
    }
}
