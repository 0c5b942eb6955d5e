//! Planning (issue 8): the current plan, the planner's proposals and their validation by a
//! manager, manual moves from the Gantt, absences and machine downtime with their repair
//! proposals, the load per machine and week, and planned working time against the French
//! limits.
//!
//! The planner itself is the pure crate `usinage-planner` (`shop::plan`, `repair`, `diff`,
//! `check_move`, `working_time`). This service reads the shop's data into a
//! [`usinage_planner::shop::ShopInput`] ([`input`]), runs the planner on the blocking pool, and
//! stores what it proposes. Nothing changes the current plan without a person: a proposal
//! waits for `planning.validate` (direction, chef d'atelier, admin), except a repair after an
//! absence, a breakdown or a broken tool when the setting `rebalance_mode` is `appliquer`
//! (default `attendre`), and never one that raises an urgent order or plans overtime.

pub mod demo;
pub mod input;
pub mod moves;
pub mod proposals;
pub mod unavailability;
pub mod views;

use crate::error::{AppError, Validator};
use crate::settings;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use usinage_documents::time::ParisTz;
use usinage_planner::shop::Shift;

/// Settings key of [`PlanningSettings`].
pub const SETTINGS_KEY: &str = "planning";

/// What a repair after an absence, a breakdown or a broken tool does.
pub const REBALANCE_MODES: &[(&str, &str, &str)] = &[
    (
        "attendre",
        "Attendre la validation d'un responsable",
        "Wait for a manager's validation",
    ),
    (
        "appliquer",
        "Appliquer tout de suite et prévenir",
        "Apply at once and notify",
    ),
];

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ShiftView {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// Minutes from midnight.
    pub start_min: u16,
    pub end_min: u16,
}

impl From<&Shift> for ShiftView {
    fn from(s: &Shift) -> Self {
        ShiftView {
            weekday: s.weekday,
            start_min: s.start_min,
            end_min: s.end_min,
        }
    }
}

impl From<&ShiftView> for Shift {
    fn from(s: &ShiftView) -> Self {
        Shift {
            weekday: s.weekday,
            start_min: s.start_min,
            end_min: s.end_min,
        }
    }
}

/// Stored planning settings (JSON under [`SETTINGS_KEY`]).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PlanningSettings {
    pub rebalance_mode: String,
    pub horizon_days: u32,
    pub nightly: bool,
    /// Fraction of the set-up left when a part follows one of the same family on a machine.
    pub same_family_setup_factor: Decimal,
    /// The shop's working week; machines without their own calendar follow it.
    pub shop_shifts: Vec<Shift>,
    /// Bumped on every save (settings, shop week and closures are saved together): a save made
    /// from a stale screen is refused rather than silently undoing someone else's change.
    #[serde(default)]
    pub version: i64,
}

/// 39 h: Monday–Thursday 07:30–12:00 and 13:00–17:00, Friday 07:30–12:30 (DEMO-SHOP §1).
pub fn default_shop_shifts() -> Vec<Shift> {
    let mut v = vec![];
    for d in 0..4u8 {
        v.push(Shift {
            weekday: d,
            start_min: 450,
            end_min: 720,
        });
        v.push(Shift {
            weekday: d,
            start_min: 780,
            end_min: 1020,
        });
    }
    v.push(Shift {
        weekday: 4,
        start_min: 450,
        end_min: 750,
    });
    v
}

impl Default for PlanningSettings {
    fn default() -> Self {
        PlanningSettings {
            rebalance_mode: "attendre".into(),
            horizon_days: 30,
            nightly: true,
            same_family_setup_factor: Decimal::new(3, 1),
            shop_shifts: default_shop_shifts(),
            version: 0,
        }
    }
}

pub async fn load_settings<C: ConnectionTrait>(db: &C) -> Result<PlanningSettings, AppError> {
    Ok(settings::get(db, SETTINGS_KEY).await?.unwrap_or_default())
}

/// Checks a list of shifts: weekday 0–6, start < end ≤ 24 h, no overlap on a day.
pub fn validate_shifts(v: &mut Validator, field: &str, shifts: &[ShiftView]) {
    let mut sorted: Vec<&ShiftView> = shifts.iter().collect();
    sorted.sort_by_key(|s| (s.weekday, s.start_min));
    for s in &sorted {
        if s.weekday > 6 || s.start_min >= s.end_min || s.end_min > 1440 {
            v.add(
                field,
                "invalid_shift",
                "Plage horaire invalide : jour de 0 (lundi) à 6 (dimanche), début avant fin, fin à 24 h au plus.",
                "Invalid shift: day 0 (Monday) to 6 (Sunday), start before end, end at 24:00 at the latest.",
            );
            return;
        }
    }
    for w in sorted.windows(2) {
        if w[0].weekday == w[1].weekday && w[1].start_min < w[0].end_min {
            v.add(
                field,
                "overlapping_shifts",
                "Deux plages horaires se chevauchent le même jour.",
                "Two shifts overlap on the same day.",
            );
            return;
        }
    }
}

/// Shop wall clock (Europe/Paris) of an instant.
pub fn local(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&ParisTz).naive_local()
}

/// The instant of a shop wall-clock time.
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    match ParisTz.from_local_datetime(&t) {
        chrono::LocalResult::Single(d) => d.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(d, _) => d.with_timezone(&Utc),
        chrono::LocalResult::None => Utc.from_utc_datetime(&t),
    }
}

/// Parses `2026-12-08T07:30` or `2026-12-08T07:30:00` (shop time).
pub fn parse_local(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .ok()
}

pub fn fr_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

pub fn fr_local(t: NaiveDateTime) -> String {
    t.format("%d/%m/%Y %H:%M").to_string()
}

/// Minutes of a routing time text (`"12.5"`), never negative; unreadable → 0.
pub(crate) fn minutes(s: &str) -> Decimal {
    s.trim()
        .replace(',', ".")
        .parse::<Decimal>()
        .ok()
        .filter(|d| !d.is_sign_negative())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_week_is_39_hours() {
        let m: i64 = default_shop_shifts()
            .iter()
            .map(|s| i64::from(s.end_min - s.start_min))
            .sum();
        assert_eq!(m, 39 * 60);
    }

    #[test]
    fn shifts_are_checked() {
        let ok = vec![
            ShiftView {
                weekday: 0,
                start_min: 450,
                end_min: 720,
            },
            ShiftView {
                weekday: 0,
                start_min: 780,
                end_min: 1020,
            },
        ];
        let mut v = Validator::default();
        validate_shifts(&mut v, "s", &ok);
        assert!(v.finish().is_ok());
        let overlap = vec![
            ShiftView {
                weekday: 0,
                start_min: 450,
                end_min: 800,
            },
            ShiftView {
                weekday: 0,
                start_min: 780,
                end_min: 1020,
            },
        ];
        let mut v = Validator::default();
        validate_shifts(&mut v, "s", &overlap);
        assert!(v.finish().is_err());
        let bad = vec![ShiftView {
            weekday: 7,
            start_min: 0,
            end_min: 10,
        }];
        let mut v = Validator::default();
        validate_shifts(&mut v, "s", &bad);
        assert!(v.finish().is_err());
    }

    #[test]
    fn local_and_utc_round_trip_in_winter_and_summer() {
        for s in ["2026-12-08T07:30:00", "2026-07-08T07:30:00"] {
            let t = parse_local(s).unwrap();
            assert_eq!(local(utc(t)), t);
        }
        assert_eq!(
            utc(parse_local("2026-12-08T07:30").unwrap()).to_rfc3339(),
            "2026-12-08T06:30:00+00:00"
        );
        assert!(parse_local("08/12/2026").is_none());
    }
}
