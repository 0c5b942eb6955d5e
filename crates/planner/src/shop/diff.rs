//! What a proposal changes compared with the current plan.

use std::collections::{BTreeMap, BTreeSet};

use super::model::*;
use super::out::lateness;

/// Moves: operations whose machine, person or start differ, or that become planned or
/// unplanned. Effects: jobs whose end changes, with their lateness before and after (minutes
/// after the end of the due day). Both sorted by id.
pub fn diff(input: &ShopInput, before: &PlanOut, after: &PlanOut) -> PlanDiff {
    let b: BTreeMap<i64, &PlannedOp> = before.ops.iter().map(|p| (p.op_id, p)).collect();
    let a: BTreeMap<i64, &PlannedOp> = after.ops.iter().map(|p| (p.op_id, p)).collect();
    let ids: BTreeSet<i64> = b.keys().chain(a.keys()).copied().collect();
    let mut moves = Vec::new();
    for id in ids {
        let (x, y) = (b.get(&id).copied(), a.get(&id).copied());
        let changed = match (x, y) {
            (Some(x), Some(y)) => {
                x.machine_id != y.machine_id || x.person_id != y.person_id || x.start != y.start
            }
            _ => true,
        };
        if changed {
            let job_id = y.or(x).map_or(0, |p| p.job_id);
            moves.push(Move {
                op_id: id,
                job_id,
                before: x.cloned(),
                after: y.cloned(),
            });
        }
    }

    let due_of: BTreeMap<i64, Option<chrono::NaiveDate>> =
        input.jobs.iter().map(|j| (j.id, j.due)).collect();
    let jb: BTreeMap<i64, &JobOutcome> = before.jobs.iter().map(|j| (j.job_id, j)).collect();
    let ja: BTreeMap<i64, &JobOutcome> = after.jobs.iter().map(|j| (j.job_id, j)).collect();
    let jobs: BTreeSet<i64> = jb.keys().chain(ja.keys()).copied().collect();
    let mut effects = Vec::new();
    for id in jobs {
        let end_before = jb.get(&id).and_then(|j| j.end);
        let end_after = ja.get(&id).and_then(|j| j.end);
        if end_before == end_after {
            continue;
        }
        let due = due_of
            .get(&id)
            .copied()
            .flatten()
            .or_else(|| ja.get(&id).and_then(|j| j.due))
            .or_else(|| jb.get(&id).and_then(|j| j.due));
        effects.push(DueEffect {
            job_id: id,
            due,
            end_before,
            end_after,
            late_before_min: lateness(due, end_before),
            late_after_min: lateness(due, end_after),
        });
    }
    PlanDiff { moves, effects }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shop::tests::{d, dt, small_shop};

    fn op(id: i64, job: i64, machine: i64, start: chrono::NaiveDateTime) -> PlannedOp {
        PlannedOp {
            op_id: id,
            job_id: job,
            machine_id: Some(machine),
            person_id: Some(11),
            start,
            end: start + chrono::Duration::hours(2),
            work_min: 120,
            setup_min: 0,
            fixed: false,
        }
    }

    fn out(ops: Vec<PlannedOp>, jobs: Vec<JobOutcome>) -> PlanOut {
        PlanOut {
            ops,
            jobs,
            diagnostics: vec![],
            kpis: Kpis::default(),
        }
    }

    #[test]
    fn diff_lists_moved_added_removed_ops_and_job_end_effects() {
        let input = small_shop();
        let job1_due = d(3, 6);
        let before = out(
            vec![
                op(101, 1, 1, dt(3, 2, 8, 0)),
                op(102, 1, 2, dt(3, 2, 10, 0)),
                op(201, 2, 1, dt(3, 2, 13, 0)),
            ],
            vec![JobOutcome {
                job_id: 1,
                end: Some(dt(3, 6, 20, 0)),
                due: Some(job1_due),
                lateness_min: 0,
                sur_urgent: false,
            }],
        );
        let mut moved = op(102, 1, 3, dt(3, 2, 10, 0));
        moved.person_id = Some(13);
        let after = out(
            vec![
                op(101, 1, 1, dt(3, 2, 8, 0)),
                moved,
                op(301, 3, 2, dt(3, 3, 8, 0)),
            ],
            vec![JobOutcome {
                job_id: 1,
                end: Some(dt(3, 7, 1, 30)),
                due: Some(job1_due),
                lateness_min: 90,
                sur_urgent: false,
            }],
        );
        let diff = diff(&input, &before, &after);
        let ids: Vec<i64> = diff.moves.iter().map(|m| m.op_id).collect();
        assert_eq!(ids, vec![102, 201, 301]);
        assert!(diff.moves[1].after.is_none() && diff.moves[2].before.is_none());
        assert_eq!(diff.effects.len(), 1);
        let e = &diff.effects[0];
        assert_eq!((e.late_before_min, e.late_after_min), (0, 90));
        assert_eq!(e.due, Some(job1_due));
        // Same plan: nothing.
        assert_eq!(
            super::diff(&input, &before, &before),
            PlanDiff {
                moves: vec![],
                effects: vec![]
            }
        );
    }
}
