//! End-to-end tests of the shop model on a small shop: 3 machines, 3 people, 5 jobs, calendars
//! Mon–Fri 07:30–12:00 / 13:00–16:30, one holiday, one absence.

use chrono::{NaiveDate, NaiveDateTime};

use super::*;

pub(crate) fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

pub(crate) fn dt(m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
    d(m, day).and_hms_opt(h, min, 0).unwrap()
}

pub(crate) fn week_calendar() -> Calendar {
    Calendar {
        shifts: (0..5)
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
            .collect(),
        // A shop closure on Wednesday 4 March (stands for a public holiday).
        closed_days: vec![d(3, 4)],
        unavailable: vec![],
    }
}

fn skill(s: &str, level: i32) -> SkillLevel {
    SkillLevel {
        skill: s.into(),
        level,
    }
}

fn machine_op(
    id: i64,
    position: i32,
    label: &str,
    options: &[(i64, i64, i64)],
    sk: Option<SkillLevel>,
    family: Option<&str>,
) -> OpIn {
    OpIn {
        id,
        position,
        label: label.into(),
        process: label.to_lowercase(),
        resource: OpResource::Machine {
            options: options
                .iter()
                .map(|&(m, s, r)| MachineOption {
                    machine_id: m,
                    setup_min: s,
                    run_min: r,
                })
                .collect(),
        },
        skill: sk,
        predecessors: vec![],
        setup_family: family.map(Into::into),
        release: None,
        fixed: None,
    }
}

fn manual_op(id: i64, position: i32, label: &str, minutes: i64, sk: Option<SkillLevel>) -> OpIn {
    OpIn {
        id,
        position,
        label: label.into(),
        process: label.to_lowercase(),
        resource: OpResource::Manual { minutes },
        skill: sk,
        predecessors: vec![],
        setup_family: None,
        release: None,
        fixed: None,
    }
}

fn sub_op(id: i64, position: i32, label: &str, lead_days: i64) -> OpIn {
    OpIn {
        id,
        position,
        label: label.into(),
        process: "sous-traitance".into(),
        resource: OpResource::Subcontract { lead_days },
        skill: None,
        predecessors: vec![],
        setup_family: None,
        release: None,
        fixed: None,
    }
}

/// Chains the operations in the order given (routing order).
fn job(
    id: i64,
    due: Option<NaiveDate>,
    priority: i32,
    critical: bool,
    mut ops: Vec<OpIn>,
) -> JobIn {
    for i in 1..ops.len() {
        ops[i].predecessors = vec![ops[i - 1].id];
    }
    JobIn {
        id,
        number: format!("OF-2026-{id:04}"),
        order_number: format!("CO-2026-{id:04}"),
        part: format!("Pièce {id}"),
        due,
        critical,
        priority,
        operations: ops,
    }
}

/// Machines: 1 lathe (attended), 2 three-axis mill with 2 stations (attended), 3 five-axis mill
/// running unattended. People: Kévin (tournage 3, fraisage 2), Julie (fraisage 4, contrôle 2,
/// absent Tuesday 3 March), Ahmed (tournage 2, fraisage 3, contrôle 3).
pub(crate) fn small_shop() -> ShopInput {
    let cal = week_calendar();
    let mut julie_cal = cal.clone();
    julie_cal.unavailable.push(Unavailability {
        from: dt(3, 3, 0, 0),
        to: dt(3, 4, 0, 0),
        reason: "Congés".into(),
    });
    let person = |id: i64, name: &str, skills: Vec<SkillLevel>, cal: Calendar| PersonIn {
        id,
        name: name.into(),
        skills,
        calendar: Some(cal),
        history: vec![],
        contract_week_min: 35 * 60,
    };
    let turn = || Some(skill("tournage", 2));
    let mill = |l| Some(skill("fraisage", l));
    let ctrl = || Some(skill("controle", 2));
    ShopInput {
        origin: dt(3, 2, 7, 0),
        horizon_days: 60,
        today: d(3, 2),
        machines: vec![
            MachineIn {
                id: 1,
                code: "TOUR-1".into(),
                name: "Tour CN".into(),
                stations: 1,
                unattended_run: false,
                calendar: cal.clone(),
            },
            MachineIn {
                id: 2,
                code: "CU-3".into(),
                name: "Centre 3 axes".into(),
                stations: 2,
                unattended_run: false,
                calendar: cal.clone(),
            },
            MachineIn {
                id: 3,
                code: "CU-5".into(),
                name: "Centre 5 axes".into(),
                stations: 1,
                unattended_run: true,
                calendar: cal.clone(),
            },
        ],
        people: vec![
            person(
                11,
                "Kévin Martin",
                vec![skill("tournage", 3), skill("fraisage", 2)],
                cal.clone(),
            ),
            person(
                12,
                "Julie Bernard",
                vec![skill("fraisage", 4), skill("controle", 2)],
                julie_cal,
            ),
            person(
                13,
                "Ahmed Benali",
                vec![
                    skill("tournage", 2),
                    skill("fraisage", 3),
                    skill("controle", 3),
                ],
                cal.clone(),
            ),
        ],
        jobs: vec![
            job(
                1,
                Some(d(3, 6)),
                0,
                false,
                vec![
                    machine_op(101, 10, "Tournage", &[(1, 30, 240)], turn(), Some("acier")),
                    machine_op(
                        102,
                        20,
                        "Fraisage",
                        &[(2, 45, 180), (3, 60, 150)],
                        mill(3),
                        Some("etau"),
                    ),
                    manual_op(103, 30, "Contrôle", 60, ctrl()),
                ],
            ),
            job(
                2,
                Some(d(3, 10)),
                1,
                true,
                vec![
                    machine_op(201, 10, "Tournage", &[(1, 30, 300)], turn(), Some("acier")),
                    machine_op(202, 20, "Fraisage 5 axes", &[(3, 90, 600)], mill(4), None),
                    sub_op(203, 30, "Anodisation", 3),
                    manual_op(204, 40, "Contrôle final", 45, ctrl()),
                ],
            ),
            // Past due: sur-urgent.
            job(
                3,
                Some(d(2, 27)),
                0,
                false,
                vec![
                    machine_op(301, 10, "Fraisage", &[(2, 30, 420)], mill(2), Some("etau")),
                    manual_op(302, 20, "Ébavurage", 90, None),
                ],
            ),
            job(
                4,
                Some(d(3, 20)),
                0,
                false,
                vec![
                    machine_op(401, 10, "Tournage", &[(1, 20, 360)], turn(), Some("acier")),
                    machine_op(
                        402,
                        20,
                        "Fraisage",
                        &[(2, 40, 240), (3, 40, 200)],
                        mill(3),
                        Some("etau"),
                    ),
                ],
            ),
            job(
                5,
                None,
                2,
                false,
                vec![
                    machine_op(501, 10, "Fraisage", &[(2, 30, 900)], mill(2), None),
                    manual_op(502, 20, "Contrôle", 30, ctrl()),
                ],
            ),
        ],
        settings: ShopSettings::default(),
    }
}

pub(crate) fn params() -> PlanParams {
    PlanParams {
        time_limit: std::time::Duration::from_millis(300),
        seed: 7,
        threads: 1,
    }
}

fn codes(out: &PlanOut) -> Vec<&str> {
    out.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn small_shop_plan_respects_windows_capacity_precedence_and_skills() {
    let input = small_shop();
    let out = plan(&input, &params());
    assert_eq!(verify_plan(&input, &out), Vec::<String>::new());
    assert_eq!(out.kpis.unplanned_ops, 0, "{:#?}", out.diagnostics);
    assert_eq!(out.ops.len(), 13);
    // Nothing on the closed Wednesday, nothing of Julie on her day off.
    for p in &out.ops {
        let machine_work = p.machine_id.is_some() || p.person_id.is_some();
        if machine_work && p.work_min > 0 {
            assert!(
                (p.start.date() != d(3, 4)),
                "op {} starts on the closed day",
                p.op_id
            );
        }
        if p.person_id == Some(12) {
            assert_ne!(p.start.date(), d(3, 3), "Julie is absent on 3 March");
        }
    }
    // The 5-axis op needs fraisage 4: only Julie has it.
    assert_eq!(
        out.ops.iter().find(|p| p.op_id == 202).unwrap().person_id,
        Some(12)
    );
    // Job 3 is past due.
    let j3 = out.jobs.iter().find(|j| j.job_id == 3).unwrap();
    assert!(j3.sur_urgent && j3.lateness_min > 0);
    assert!(codes(&out).contains(&"sur_urgent"));
    // Deterministic for a seed.
    let again = plan(&input, &params());
    assert_eq!(again.ops, out.ops);
}

#[test]
fn bad_input_is_explained_in_french_and_the_rest_is_planned() {
    let mut input = small_shop();
    // Cycle in job 4: 401 → 402 → 401.
    input.jobs[3].operations[0].predecessors = vec![402];
    // No machine option for 501.
    input.jobs[4].operations[0].resource = OpResource::Machine { options: vec![] };
    // A person without a calendar, the only one with « rectification ».
    input.people.push(PersonIn {
        id: 14,
        name: "Luc Petit".into(),
        skills: vec![skill("rectification", 3)],
        calendar: None,
        history: vec![],
        contract_week_min: 2100,
    });
    input.jobs.push(job(
        6,
        Some(d(3, 31)),
        0,
        false,
        vec![machine_op(
            601,
            10,
            "Rectification",
            &[(2, 10, 60)],
            Some(skill("rectification", 2)),
            None,
        )],
    ));
    // Impossible due date: 40 h of turning due tomorrow evening.
    input.jobs.push(job(
        7,
        Some(d(3, 3)),
        0,
        false,
        vec![machine_op(
            701,
            10,
            "Tournage long",
            &[(1, 0, 2400)],
            Some(skill("tournage", 2)),
            None,
        )],
    ));
    // Unknown machine only.
    input.jobs.push(job(
        8,
        None,
        0,
        false,
        vec![machine_op(
            801,
            10,
            "Électroérosion",
            &[(99, 0, 60)],
            None,
            None,
        )],
    ));

    let out = plan(&input, &params());
    assert_eq!(verify_plan(&input, &out), Vec::<String>::new());
    let find = |code: &str| {
        out.diagnostics
            .iter()
            .filter(|d| d.code == code)
            .collect::<Vec<_>>()
    };
    let cycle = find("cycle");
    assert_eq!(cycle.len(), 1);
    assert!(
        cycle[0].message.contains("cycle")
            && cycle[0].message.contains("10 « Tournage »")
            && cycle[0].message.contains("20 « Fraisage »"),
        "{}",
        cycle[0].message
    );
    assert_eq!(cycle[0].severity, Severity::Error);
    assert!(
        out.ops.iter().all(|p| p.job_id != 4),
        "a job with a cycle is not planned"
    );
    assert_eq!(find("no_machine")[0].op_id, Some(501));
    assert!(
        out.ops.iter().all(|p| p.op_id != 502),
        "its successor waits"
    );
    assert!(find("blocked").iter().any(|d| d.job_id == Some(5)));
    let no_cal = find("no_calendar");
    assert!(
        no_cal.len() == 1
            && no_cal[0].person_id == Some(14)
            && no_cal[0].message.contains("Luc Petit")
    );
    let nsp = find("no_skilled_person");
    assert!(
        nsp.len() == 1
            && nsp[0].op_id == Some(601)
            && nsp[0]
                .message
                .contains("Luc Petit l'a mais sans calendrier"),
        "{nsp:?}"
    );
    let imp = find("impossible_due_date");
    assert!(
        imp.iter()
            .any(|d| d.job_id == Some(7) && d.message.contains("au plus tôt")),
        "{imp:?}"
    );
    assert!(
        find("unknown_machine")
            .iter()
            .any(|d| d.op_id == Some(801) && d.severity == Severity::Error)
    );
    assert!(out.ops.iter().all(|p| p.person_id != Some(14)));
    // The sound jobs are still planned.
    for j in [1, 2, 3, 7] {
        assert!(
            out.jobs
                .iter()
                .find(|o| o.job_id == j)
                .unwrap()
                .end
                .is_some(),
            "job {j}"
        );
    }
    assert!(out.kpis.unplanned_ops >= 5);
}

#[test]
fn what_does_not_fit_the_horizon_is_reported_not_searched_forever() {
    let mut input = small_shop();
    input.horizon_days = 3;
    let out = plan(&input, &params());
    assert_eq!(verify_plan(&input, &out), Vec::<String>::new());
    assert!(
        out.diagnostics
            .iter()
            .any(|d| d.code == "beyond_horizon" && d.message.contains("horizon de 3 jours"))
    );
    assert!(out.kpis.unplanned_ops > 0);
    assert!(out.ops.iter().all(|p| p.end <= dt(3, 5, 7, 0)));
}

#[test]
fn check_move_refuses_an_unskilled_person_with_the_french_reason() {
    let input = small_shop();
    let out = plan(&input, &params());
    let op102 = out.ops.iter().find(|p| p.op_id == 102).unwrap().clone();
    // Kévin has fraisage 2, the op needs 3.
    let err = check_move(
        &input,
        &out,
        &MoveRequest {
            op_id: 102,
            machine_id: None,
            person_id: Some(11),
            start: op102.start,
        },
    )
    .unwrap_err();
    let skill = err
        .iter()
        .find(|v| v.code == "skill")
        .expect("skill violation");
    assert_eq!(
        skill.message,
        "Kévin Martin n'a pas la compétence « fraisage » niveau 3 (son niveau : 2)."
    );
    // Julie has no « tournage » at all.
    let op101 = out.ops.iter().find(|p| p.op_id == 101).unwrap().clone();
    let err = check_move(
        &input,
        &out,
        &MoveRequest {
            op_id: 101,
            machine_id: None,
            person_id: Some(12),
            start: op101.start,
        },
    )
    .unwrap_err();
    assert!(
        err.iter().any(|v| v.code == "skill"
            && v.message == "Julie Bernard n'a pas la compétence « tournage ».")
    );
    // Unknown op, machine not allowed.
    let err = check_move(
        &input,
        &out,
        &MoveRequest {
            op_id: 9999,
            machine_id: None,
            person_id: None,
            start: op101.start,
        },
    )
    .unwrap_err();
    assert_eq!(err[0].code, "unknown_operation");
    let err = check_move(
        &input,
        &out,
        &MoveRequest {
            op_id: 101,
            machine_id: Some(2),
            person_id: None,
            start: op101.start,
        },
    )
    .unwrap_err();
    assert_eq!(err[0].code, "machine_not_allowed");
}

#[test]
fn check_move_checks_calendar_capacity_precedence_and_recomputes_for_the_target_machine() {
    let input = small_shop();
    let out = plan(&input, &params());
    let get = |id: i64| out.ops.iter().find(|p| p.op_id == id).unwrap().clone();
    // Saturday: closed.
    let err = check_move(
        &input,
        &out,
        &MoveRequest {
            op_id: 402,
            machine_id: None,
            person_id: None,
            start: dt(3, 7, 9, 0),
        },
    )
    .unwrap_err();
    assert!(
        err.iter()
            .any(|v| v.code == "calendar" && v.message.contains("ne travaille pas")),
        "{err:?}"
    );
    // 102 before 101 ends: precedence.
    let p101 = get(101);
    let err = check_move(
        &input,
        &out,
        &MoveRequest {
            op_id: 102,
            machine_id: None,
            person_id: None,
            start: p101.start,
        },
    )
    .unwrap_err();
    assert!(
        err.iter()
            .any(|v| v.code == "precedence" && v.message.contains("Tournage")),
        "{err:?}"
    );
    // Onto the lathe while 201 or 101 runs there: capacity, naming the other op.
    let lathe: Vec<PlannedOp> = out
        .ops
        .iter()
        .filter(|p| p.machine_id == Some(1))
        .cloned()
        .collect();
    let other = &lathe[1];
    let moved = lathe
        .iter()
        .find(|p| {
            p.op_id != other.op_id
                && !out
                    .ops
                    .iter()
                    .any(|q| q.job_id == p.job_id && q.start < p.start)
        })
        .unwrap_or(&lathe[0]);
    let at = other.start + chrono::Duration::minutes(10);
    if let Err(err) = check_move(
        &input,
        &out,
        &MoveRequest {
            op_id: moved.op_id,
            machine_id: None,
            person_id: None,
            start: at,
        },
    ) {
        assert!(
            err.iter()
                .any(|v| v.code == "capacity" && v.message.contains("TOUR-1")),
            "{err:?}"
        );
    } else {
        panic!("overlap on the lathe accepted");
    }
    // 402 from the 3-axis mill to the 5-axis one, later: accepted with the 5-axis times.
    let p402 = get(402);
    let later = dt(3, 30, 8, 0);
    let ok = check_move(
        &input,
        &out,
        &MoveRequest {
            op_id: 402,
            machine_id: Some(3),
            person_id: Some(12),
            start: later,
        },
    )
    .unwrap();
    assert_eq!(
        (ok.machine_id, ok.setup_min, ok.work_min),
        (Some(3), 40, 240)
    );
    // Unattended: Julie sets up 40 min (08:40), the 200 min run goes on alone until 12:00.
    assert_eq!((ok.start, ok.end), (later, dt(3, 30, 12, 0)));
    let _ = p402;
}

#[test]
fn repair_after_an_absence_moves_only_the_absent_persons_ops_and_their_successors() {
    let input = small_shop();
    let before = plan(&input, &params());
    // Julie falls ill from Thursday 5 March to Friday 6 March included.
    let mut after_input = input.clone();
    after_input.people[1]
        .calendar
        .as_mut()
        .unwrap()
        .unavailable
        .push(Unavailability {
            from: dt(3, 5, 0, 0),
            to: dt(3, 7, 0, 0),
            reason: "Maladie".into(),
        });
    let after = repair(
        &after_input,
        &before.ops,
        &Event::Absence { person_id: 12 },
        &params(),
    );
    assert_eq!(verify_plan(&after_input, &after), Vec::<String>::new());
    let d = diff(&after_input, &before, &after);
    let hers: Vec<&PlannedOp> = before
        .ops
        .iter()
        .filter(|p| p.person_id == Some(12))
        .collect();
    assert!(
        hers.iter()
            .any(|p| p.start < dt(3, 7, 0, 0) && p.end > dt(3, 5, 0, 0)),
        "the fixture should give Julie work on 5–6 March: {:?}",
        before.ops
    );
    assert!(!d.moves.is_empty());
    // Every move is one of hers, or a successor of one of hers (same job, later position).
    for m in &d.moves {
        let is_hers = hers.iter().any(|p| p.op_id == m.op_id);
        let follows = hers
            .iter()
            .any(|p| p.job_id == m.job_id && m.op_id > p.op_id);
        assert!(
            is_hers || follows,
            "op {} moved without reason: {m:?}",
            m.op_id
        );
    }
    // Nothing else moved: all other ops are identical.
    for p in before
        .ops
        .iter()
        .filter(|p| !d.moves.iter().any(|m| m.op_id == p.op_id))
    {
        let a = after.ops.iter().find(|q| q.op_id == p.op_id).unwrap();
        assert_eq!(
            (a.start, a.machine_id, a.person_id),
            (p.start, p.machine_id, p.person_id)
        );
    }
    assert_eq!(after.kpis.unplanned_ops, before.kpis.unplanned_ops);
}

#[test]
fn repair_with_nothing_changed_moves_nothing_and_an_urgent_job_goes_first() {
    let input = small_shop();
    let before = plan(&input, &params());
    let same = repair(
        &input,
        &before.ops,
        &Event::MachineDown { machine_id: 1 },
        &params(),
    );
    assert_eq!(same.ops, before.ops);
    let mut urgent = input.clone();
    urgent.jobs.push(job(
        9,
        Some(d(3, 3)),
        3,
        true,
        vec![machine_op(
            901,
            10,
            "Tournage urgent",
            &[(1, 10, 120)],
            Some(skill("tournage", 2)),
            None,
        )],
    ));
    let after = repair(
        &urgent,
        &before.ops,
        &Event::UrgentJob { job_id: 9 },
        &params(),
    );
    assert_eq!(verify_plan(&urgent, &after), Vec::<String>::new());
    let op = after.ops.iter().find(|p| p.op_id == 901).unwrap();
    // First free working instant of the lathe and a turner from the origin: Monday 07:30 at the latest.
    assert_eq!(op.start, dt(3, 2, 7, 30));
    let d = diff(&urgent, &before, &after);
    assert!(d.moves.iter().any(|m| m.op_id == 901 && m.before.is_none()));
}

#[test]
fn broken_tool_restarts_the_operation_after_its_new_release() {
    let input = small_shop();
    let before = plan(&input, &params());
    let mut after_input = input.clone();
    after_input.jobs[0].operations[1].release = Some(dt(3, 16, 8, 0));
    let after = repair(
        &after_input,
        &before.ops,
        &Event::BrokenTool { op_id: 102 },
        &params(),
    );
    assert_eq!(verify_plan(&after_input, &after), Vec::<String>::new());
    assert!(after.ops.iter().find(|p| p.op_id == 102).unwrap().start >= dt(3, 16, 8, 0));
    assert!(after.ops.iter().find(|p| p.op_id == 103).unwrap().start >= dt(3, 16, 8, 0));
}

#[test]
fn fixed_operations_stay_where_they_are_and_take_the_capacity() {
    let mut input = small_shop();
    input.jobs[1].operations[0].fixed = Some(Fixed {
        machine_id: Some(1),
        person_id: Some(11),
        start: dt(3, 2, 6, 0),
        end: dt(3, 2, 11, 0),
    });
    let out = plan(&input, &params());
    assert_eq!(verify_plan(&input, &out), Vec::<String>::new());
    let f = out.ops.iter().find(|p| p.op_id == 201).unwrap();
    assert!(f.fixed && f.start == dt(3, 2, 6, 0) && f.end == dt(3, 2, 11, 0));
    for p in out
        .ops
        .iter()
        .filter(|p| p.machine_id == Some(1) && p.op_id != 201)
    {
        assert!(p.start >= dt(3, 2, 11, 0) || p.end <= dt(3, 2, 6, 0));
    }
    let err = check_move(
        &input,
        &out,
        &MoveRequest {
            op_id: 201,
            machine_id: None,
            person_id: None,
            start: dt(3, 3, 8, 0),
        },
    )
    .unwrap_err();
    assert_eq!(err[0].code, "fixed");
}

#[test]
fn same_family_on_a_machine_reduces_the_setup() {
    let mut input = small_shop();
    // Two identical turning ops of the same family, nothing else on the lathe.
    input.jobs = vec![
        job(
            1,
            None,
            0,
            false,
            vec![machine_op(
                1,
                10,
                "Tournage A",
                &[(1, 100, 60)],
                None,
                Some("acier"),
            )],
        ),
        job(
            2,
            None,
            0,
            false,
            vec![machine_op(
                2,
                10,
                "Tournage B",
                &[(1, 100, 60)],
                None,
                Some("acier"),
            )],
        ),
    ];
    let out = plan(&input, &params());
    assert_eq!(verify_plan(&input, &out), Vec::<String>::new());
    let mut setups: Vec<i64> = out.ops.iter().map(|p| p.setup_min).collect();
    setups.sort_unstable();
    assert_eq!(setups, vec![30, 100]);
    assert_eq!(out.kpis.setup_min, 130);
}

#[test]
fn working_time_warns_above_the_french_limits_and_flags_overtime() {
    let mut input = small_shop();
    // Kévin works 06:00–20:00 every day, 7 days a week.
    let long = Calendar {
        shifts: (0..7)
            .map(|wd| Shift {
                weekday: wd,
                start_min: 360,
                end_min: 1200,
            })
            .collect(),
        closed_days: vec![],
        unavailable: vec![],
    };
    input.people[0].calendar = Some(long.clone());
    input.machines[0].calendar = long;
    input.people[0].history = (1..=77)
        .map(|k| DayMinutes {
            day: d(3, 2) - chrono::Duration::days(k),
            minutes: 540,
        })
        .collect();
    let op = |id: i64, day: u32| PlannedOp {
        op_id: id,
        job_id: 1,
        machine_id: Some(1),
        person_id: Some(11),
        start: dt(3, day, 6, 0),
        end: dt(3, day, 18, 0),
        work_min: 720,
        setup_min: 0,
        fixed: false,
    };
    // Ids outside the input (work recorded elsewhere): the person counts from start to end.
    let out = PlanOut {
        ops: (0..5).map(|k| op(9001 + k, 2 + k as u32)).collect(),
        jobs: vec![],
        diagnostics: vec![],
        kpis: Kpis::default(),
    };
    let w = working_time(&input, &out);
    let codes: Vec<&str> = w.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "working_time_day").count(),
        5,
        "{w:#?}"
    );
    assert!(
        codes.contains(&"working_time_week")
            && codes.contains(&"working_time_average")
            && codes.contains(&"overtime")
    );
    let day = w.iter().find(|d| d.code == "working_time_day").unwrap();
    // Monday counts from the origin (07:00): 11 h.
    assert_eq!(
        day.message,
        "Kévin Martin : 11 h planifiées le 02/03/2026, au-delà de la limite de 10 h par jour."
    );
    assert_eq!(day.person_id, Some(11));
    // Under the limits: nothing.
    let light = PlanOut {
        ops: vec![PlannedOp {
            end: dt(3, 2, 10, 0),
            work_min: 240,
            ..op(9001, 2)
        }],
        ..out
    };
    input.people[0].history.clear();
    assert!(working_time(&input, &light).is_empty());
}

#[test]
fn plan_prefers_people_under_the_daily_limit() {
    let mut input = small_shop();
    input.settings.max_day_min = 240;
    let out = plan(&input, &params());
    assert_eq!(verify_plan(&input, &out), Vec::<String>::new());
    let over = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "working_time_day")
        .count();
    // Some ops are longer than 4 h, so some overrun is unavoidable, but not everybody every day.
    let mut unlimited = small_shop();
    unlimited.settings.max_day_min = 240;
    let days_worked: std::collections::HashSet<(i64, NaiveDate)> = out
        .ops
        .iter()
        .filter_map(|p| p.person_id.map(|id| (id, p.start.date())))
        .collect();
    assert!(
        over < days_worked.len(),
        "{over} overruns for {} person-days",
        days_worked.len()
    );
}

mod garbage {
    use super::*;
    use proptest::prelude::*;

    fn any_dt() -> impl Strategy<Value = NaiveDateTime> {
        (-3_000i64..6_000).prop_map(|h| dt(3, 2, 0, 0) + chrono::Duration::minutes(h * 17))
    }

    fn any_cal() -> impl Strategy<Value = Calendar> {
        (
            proptest::collection::vec((0u8..9, 0u16..1500, 0u16..1500), 0..6),
            proptest::collection::vec(0i64..40, 0..4),
            proptest::collection::vec((any_dt(), 0i64..5000), 0..3),
        )
            .prop_map(|(shifts, closed, unav)| Calendar {
                shifts: shifts
                    .into_iter()
                    .map(|(weekday, start_min, end_min)| Shift {
                        weekday,
                        start_min,
                        end_min,
                    })
                    .collect(),
                closed_days: closed
                    .into_iter()
                    .map(|k| d(3, 2) + chrono::Duration::days(k))
                    .collect(),
                unavailable: unav
                    .into_iter()
                    .map(|(from, m)| Unavailability {
                        from,
                        to: from + chrono::Duration::minutes(m - 500),
                        reason: String::new(),
                    })
                    .collect(),
            })
    }

    fn any_op(id: i64) -> impl Strategy<Value = OpIn> {
        (
            0u8..4,
            proptest::collection::vec((0i64..6, -10i64..300, -10i64..900), 0..3),
            -5i64..800,
            proptest::option::of((0usize..3, 0i32..5)),
            proptest::collection::vec(0i64..12, 0..3),
            proptest::option::of(0u8..2),
            proptest::option::of(any_dt()),
            proptest::option::of((
                proptest::option::of(0i64..6),
                proptest::option::of(10i64..15),
                any_dt(),
                -100i64..900,
            )),
        )
            .prop_map(
                move |(kind, opts, minutes, sk, preds, fam, release, fixed)| OpIn {
                    id,
                    position: (id % 10) as i32 * 10,
                    label: format!("op{id}"),
                    process: String::new(),
                    resource: match kind {
                        0 | 1 => OpResource::Machine {
                            options: opts
                                .into_iter()
                                .map(|(m, s, r)| MachineOption {
                                    machine_id: m,
                                    setup_min: s,
                                    run_min: r,
                                })
                                .collect(),
                        },
                        2 => OpResource::Manual { minutes },
                        _ => OpResource::Subcontract {
                            lead_days: minutes / 100,
                        },
                    },
                    skill: sk.map(|(k, level)| SkillLevel {
                        skill: ["tournage", "fraisage", "controle"][k].into(),
                        level,
                    }),
                    predecessors: preds.into_iter().map(|p| (id / 10) * 10 + p).collect(),
                    setup_family: fam.map(|f| format!("f{f}")),
                    release,
                    fixed: fixed.map(|(machine_id, person_id, start, len)| Fixed {
                        machine_id,
                        person_id,
                        start,
                        end: start + chrono::Duration::minutes(len),
                    }),
                },
            )
    }

    fn any_input() -> impl Strategy<Value = ShopInput> {
        (
            proptest::collection::vec((any_cal(), 0u32..4, any::<bool>()), 0..5),
            proptest::collection::vec(
                (
                    proptest::option::of(any_cal()),
                    proptest::collection::vec((0usize..3, 0i32..5), 0..3),
                ),
                0..5,
            ),
            proptest::collection::vec(
                (
                    proptest::collection::vec(0i64..10, 0..5),
                    proptest::option::of(-20i64..40),
                    -2i32..6,
                    any::<bool>(),
                ),
                0..6,
            ),
            0u32..40,
            proptest::bool::ANY,
            -2.0f64..3.0,
        )
            .prop_flat_map(
                |(machines, people, jobs, horizon_days, odd_origin, factor)| {
                    let ops: Vec<_> = jobs
                        .iter()
                        .enumerate()
                        .map(|(j, (ids, ..))| {
                            ids.iter()
                                .map(|k| any_op((j as i64 + 1) * 10 + k))
                                .collect::<Vec<_>>()
                        })
                        .collect();
                    (
                        Just((machines, people, jobs, horizon_days, odd_origin, factor)),
                        ops,
                    )
                },
            )
            .prop_map(
                |((machines, people, jobs, horizon_days, odd_origin, factor), ops)| ShopInput {
                    origin: if odd_origin {
                        dt(3, 4, 10, 17) + chrono::Duration::seconds(29)
                    } else {
                        dt(3, 2, 0, 0)
                    },
                    horizon_days,
                    today: d(3, 10),
                    machines: machines
                        .into_iter()
                        .enumerate()
                        .map(|(i, (calendar, stations, unattended_run))| MachineIn {
                            id: (i % 4) as i64,
                            code: format!("M{i}"),
                            name: String::new(),
                            stations,
                            unattended_run,
                            calendar,
                        })
                        .collect(),
                    people: people
                        .into_iter()
                        .enumerate()
                        .map(|(i, (calendar, skills))| PersonIn {
                            id: 10 + (i % 4) as i64,
                            name: format!("P{i}"),
                            skills: skills
                                .into_iter()
                                .map(|(k, level)| SkillLevel {
                                    skill: ["tournage", "fraisage", "controle"][k].into(),
                                    level,
                                })
                                .collect(),
                            calendar,
                            history: vec![DayMinutes {
                                day: d(2, 27),
                                minutes: 480,
                            }],
                            contract_week_min: 2100,
                        })
                        .collect(),
                    jobs: jobs
                        .into_iter()
                        .zip(ops)
                        .enumerate()
                        .map(|(j, ((_, due, priority, critical), operations))| JobIn {
                            id: j as i64 + 1,
                            number: format!("J{j}"),
                            order_number: String::new(),
                            part: String::new(),
                            due: due.map(|k| d(3, 2) + chrono::Duration::days(k)),
                            critical,
                            priority,
                            operations,
                        })
                        .collect(),
                    settings: ShopSettings {
                        same_family_setup_factor: factor,
                        ..ShopSettings::default()
                    },
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn garbage_never_panics_and_what_is_planned_is_valid(input in any_input()) {
            let p = PlanParams { time_limit: std::time::Duration::from_millis(20), seed: 3, threads: 1 };
            let out = plan(&input, &p);
            prop_assert_eq!(verify_plan(&input, &out), Vec::<String>::new());
            prop_assert_eq!(out.kpis.planned_ops + out.kpis.unplanned_ops,
                input.jobs.iter().map(|j| j.operations.len()).sum::<usize>() - out.diagnostics.iter().filter(|d| d.code == "duplicate_operation").count());
            let again = repair(&input, &out.ops, &Event::Absence { person_id: 10 }, &p);
            prop_assert_eq!(verify_plan(&input, &again), Vec::<String>::new());
            let _ = diff(&input, &out, &again);
            let _ = working_time(&input, &out);
            if let Some(op) = out.ops.first() {
                let _ = check_move(&input, &out, &MoveRequest { op_id: op.op_id, machine_id: Some(1), person_id: Some(11), start: op.start });
            }
        }
    }
}

#[test]
fn repair_of_an_unchanged_shop_sized_plan_keeps_almost_everything() {
    let origin = dt(3, 2, 5, 0);
    let input = sample::sample_shop(42, 300, 2_000, origin);
    let p = PlanParams {
        time_limit: std::time::Duration::from_millis(200),
        seed: 1,
        threads: 1,
    };
    let first = plan(&input, &p);
    assert_eq!(verify_plan(&input, &first), Vec::<String>::new());
    assert_eq!(first.kpis.planned_ops, 2_000);
    let same = repair(
        &input,
        &first.ops,
        &Event::MachineDown { machine_id: 1 },
        &p,
    );
    assert_eq!(verify_plan(&input, &same), Vec::<String>::new());
    // The plan does not carry the station of two-station machines: a few station sequences
    // may not be rebuilt (and what follows them moves), never more than 2 %.
    // Measured: 1 to 32 moves depending on the plan (1.6 %); 148 before the station choice
    // below was added to the repair.
    let moves = diff(&input, &first, &same).moves.len();
    assert!(moves <= 40, "{moves} moves on an unchanged shop");
    let mut absent = input.clone();
    absent
        .people
        .iter_mut()
        .find(|p| p.id == 105)
        .unwrap()
        .calendar
        .as_mut()
        .unwrap()
        .unavailable
        .push(Unavailability {
            from: origin + chrono::Duration::days(2),
            to: origin + chrono::Duration::days(4),
            reason: "Maladie".into(),
        });
    let rep = repair(&absent, &first.ops, &Event::Absence { person_id: 105 }, &p);
    assert_eq!(verify_plan(&absent, &rep), Vec::<String>::new());
    assert_eq!(rep.kpis.planned_ops, 2_000);
}
