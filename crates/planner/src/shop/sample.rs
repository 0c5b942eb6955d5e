//! A generated shop-sized case (benchmarks and load tests): deterministic for a seed.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::model::*;

/// Small deterministic generator (SplitMix64).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

const SKILLS: [&str; 4] = ["tournage", "fraisage", "rectification", "controle"];

/// `jobs` jobs of `ops_total` operations in all on 20 machines (every fifth with two
/// stations, every fourth running unattended) and 25 people (morning 05:00–13:00 or afternoon
/// 13:00–21:00 shift, Monday to Friday), machines on both shifts, due dates spread over one
/// month from `origin` (a Monday at 05:00 suits), French public holidays closed. Operation
/// mix: turning (2 lathes among 7), milling (3 mills among 9), grinding (2 grinders), manual
/// control, and sometimes a subcontract of 2–5 days.
pub fn sample_shop(seed: u64, jobs: usize, ops_total: usize, origin: NaiveDateTime) -> ShopInput {
    let mut g = Gen(seed);
    let year = origin
        .date()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap_or(2026);
    let mut holidays = super::french_public_holidays(year);
    holidays.extend(super::french_public_holidays(year + 1));
    let shifts = |from: u16, to: u16| -> Vec<Shift> {
        (0..5)
            .map(|weekday| Shift {
                weekday,
                start_min: from,
                end_min: to,
            })
            .collect()
    };
    let cal = |shifts: Vec<Shift>| Calendar {
        shifts,
        closed_days: holidays.clone(),
        unavailable: vec![],
    };
    let machines: Vec<MachineIn> = (1..=20)
        .map(|i| MachineIn {
            id: i,
            code: match i {
                1..=7 => format!("TOUR-{i}"),
                8..=16 => format!("CU-{}", i - 7),
                _ => format!("RECT-{}", i - 16),
            },
            name: String::new(),
            stations: if i % 5 == 0 { 2 } else { 1 },
            unattended_run: i % 4 == 0,
            calendar: cal(shifts(300, 1260)),
        })
        .collect();
    let people: Vec<PersonIn> = (1..=25)
        .map(|i| {
            let mut skills = vec![SkillLevel {
                skill: SKILLS[(i % 4) as usize].into(),
                level: g.range(2, 4) as i32,
            }];
            for s in SKILLS {
                if skills[0].skill != s && g.range(0, 2) == 0 {
                    skills.push(SkillLevel {
                        skill: s.into(),
                        level: g.range(1, 4) as i32,
                    });
                }
            }
            PersonIn {
                id: 100 + i,
                name: format!("Opérateur {i}"),
                skills,
                calendar: Some(cal(if i % 2 == 0 {
                    shifts(300, 780)
                } else {
                    shifts(780, 1260)
                })),
                history: vec![],
                contract_week_min: 35 * 60,
            }
        })
        .collect();
    let mut out_jobs = Vec::with_capacity(jobs);
    let mut op_id = 1_000;
    let base_ops = ops_total / jobs.max(1);
    let extra = ops_total % jobs.max(1);
    for j in 0..jobs {
        let n = base_ops + usize::from(j < extra);
        let mut ops: Vec<OpIn> = Vec::with_capacity(n);
        for k in 0..n {
            op_id += 1;
            let kind = if k == n - 1 { 3 } else { g.range(0, 5) };
            let setup = g.range(15, 60);
            let run = g.range(20, 200);
            let family = Some(format!("fam{}", g.range(0, 5)));
            let pick = |g: &mut Gen, lo: i64, hi: i64, count: usize| -> Vec<MachineOption> {
                let mut ids: Vec<i64> = Vec::new();
                while ids.len() < count.min((hi - lo + 1) as usize) {
                    let m = g.range(lo, hi);
                    if !ids.contains(&m) {
                        ids.push(m);
                    }
                }
                ids.into_iter()
                    .map(|m| MachineOption {
                        machine_id: m,
                        setup_min: setup,
                        run_min: run + g.range(-10, 10).max(-run),
                    })
                    .collect()
            };
            let (resource, skill, family) = match kind {
                0 | 1 => (
                    OpResource::Machine {
                        options: pick(&mut g, 1, 7, 2),
                    },
                    Some(("tournage", g.range(1, 3))),
                    family,
                ),
                2 | 3 if k < n - 1 => (
                    OpResource::Machine {
                        options: pick(&mut g, 8, 16, 3),
                    },
                    Some(("fraisage", g.range(1, 3))),
                    family,
                ),
                4 => (
                    OpResource::Machine {
                        options: pick(&mut g, 17, 20, 2),
                    },
                    Some(("rectification", g.range(1, 2))),
                    family,
                ),
                5 => (
                    OpResource::Subcontract {
                        lead_days: g.range(2, 5),
                    },
                    None,
                    None,
                ),
                _ => (
                    OpResource::Manual {
                        minutes: g.range(15, 60),
                    },
                    Some(("controle", g.range(1, 2))),
                    None,
                ),
            };
            ops.push(OpIn {
                id: op_id,
                position: (k as i32 + 1) * 10,
                label: format!("Op {}", k + 1),
                process: String::new(),
                resource,
                skill: skill.map(|(s, l)| SkillLevel {
                    skill: s.into(),
                    level: l as i32,
                }),
                predecessors: if k == 0 { vec![] } else { vec![op_id - 1] },
                setup_family: family,
                release: (k == 0 && g.range(0, 9) == 0)
                    .then(|| origin + Duration::days(g.range(1, 10))),
                fixed: None,
            });
        }
        let due: NaiveDate = origin.date() + Duration::days(g.range(5, 35));
        out_jobs.push(JobIn {
            id: j as i64 + 1,
            number: format!("OF-{:04}", j + 1),
            order_number: format!("CO-{:04}", j / 2 + 1),
            part: format!("Pièce {}", j + 1),
            due: Some(due),
            critical: g.range(0, 9) == 0,
            priority: if g.range(0, 9) == 0 { 2 } else { 0 },
            operations: ops,
        });
    }
    ShopInput {
        origin,
        horizon_days: 62,
        today: origin.date(),
        machines,
        people,
        jobs: out_jobs,
        settings: ShopSettings::default(),
    }
}
