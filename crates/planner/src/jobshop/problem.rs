//! The instance as the search sees it: frozen operations taken out (they become machine ready
//! times and operation releases), the others numbered `0..n` with their job chain.

use super::{Instance, InstanceError, Objective, Placement};

pub(crate) const NONE: u32 = u32::MAX;

pub(crate) struct Problem {
    /// Operations the search places.
    pub n: usize,
    pub machines: usize,
    pub n_jobs: usize,
    pub job: Vec<u32>,
    /// Job predecessor / successor among the searchable operations (`NONE` if none).
    pub jp: Vec<u32>,
    pub js: Vec<u32>,
    /// Earliest start: operation release, job release, end of the frozen operations before it
    /// in its job.
    pub release: Vec<i64>,
    /// `(machine, duration)` per alternative.
    pub alts: Vec<Vec<(u32, i64)>>,
    /// Per machine, end of its frozen operations (they come first on their machine).
    pub ready: Vec<i64>,
    /// `(job, operation)` of each searchable operation.
    pub orig: Vec<(usize, usize)>,
    /// Per job, its searchable operations in order.
    pub job_ops: Vec<Vec<u32>>,
    /// Per job and operation, the frozen placement if any.
    pub frozen: Vec<Vec<Option<Placement>>>,
    /// Per job, latest end of its frozen operations (`i64::MIN` if none).
    pub job_fixed_end: Vec<i64>,
    pub due: Vec<Option<i64>>,
    pub weight: Vec<i64>,
    /// Latest end of any frozen operation (`i64::MIN` if none).
    pub frozen_makespan: i64,
    /// Shortest remaining work from each operation to the end of its job (itself included).
    pub remaining: Vec<i64>,
    pub objective: Objective,
}

/// Checks the instance and builds the search's view of it.
pub(crate) fn build(instance: &Instance, objective: Objective) -> Result<Problem, InstanceError> {
    let machines = instance.machines;
    // Validation first, in a stable order: the first faulty operation wins.
    for (j, job) in instance.jobs.iter().enumerate() {
        for (o, op) in job.operations.iter().enumerate() {
            if op.alternatives.is_empty() {
                return Err(InstanceError::NoAlternative {
                    job: j,
                    operation: o,
                });
            }
            for a in &op.alternatives {
                if a.machine >= machines {
                    return Err(InstanceError::UnknownMachine {
                        job: j,
                        operation: o,
                        machine: a.machine,
                    });
                }
                if a.duration < 0 {
                    return Err(InstanceError::NegativeDuration {
                        job: j,
                        operation: o,
                    });
                }
            }
            if let Some(f) = op.frozen
                && f.machine >= machines
            {
                return Err(InstanceError::UnknownMachine {
                    job: j,
                    operation: o,
                    machine: f.machine,
                });
            }
        }
    }
    let mut frozen = Vec::with_capacity(instance.jobs.len());
    let mut per_machine: Vec<Vec<(i64, i64)>> = vec![Vec::new(); machines];
    for job in &instance.jobs {
        let row: Vec<Option<Placement>> = job
            .operations
            .iter()
            .map(|op| {
                op.frozen.map(|f| {
                    let d = frozen_duration(op, f.machine);
                    Placement {
                        machine: f.machine,
                        start: f.start,
                        end: f.start + d,
                    }
                })
            })
            .collect();
        for p in row.iter().flatten() {
            per_machine[p.machine].push((p.start, p.end));
        }
        frozen.push(row);
    }
    let mut ready = vec![i64::MIN; machines];
    let mut frozen_makespan = i64::MIN;
    for (m, list) in per_machine.iter_mut().enumerate() {
        list.sort_unstable();
        for w in list.windows(2) {
            if w[1].0 < w[0].1 {
                return Err(InstanceError::FrozenOverlap { machine: m });
            }
        }
        for &(_, e) in list.iter() {
            ready[m] = ready[m].max(e);
            frozen_makespan = frozen_makespan.max(e);
        }
    }

    let mut p = Problem {
        n: 0,
        machines,
        n_jobs: instance.jobs.len(),
        job: Vec::new(),
        jp: Vec::new(),
        js: Vec::new(),
        release: Vec::new(),
        alts: Vec::new(),
        ready,
        orig: Vec::new(),
        job_ops: Vec::with_capacity(instance.jobs.len()),
        frozen,
        job_fixed_end: Vec::with_capacity(instance.jobs.len()),
        due: instance.jobs.iter().map(|j| j.due).collect(),
        weight: instance.jobs.iter().map(|j| j.weight.max(1)).collect(),
        frozen_makespan,
        remaining: Vec::new(),
        objective,
    };
    for (j, job) in instance.jobs.iter().enumerate() {
        let mut ops = Vec::new();
        let mut after_frozen = i64::MIN;
        for (o, op) in job.operations.iter().enumerate() {
            if let Some(fp) = p.frozen[j][o] {
                after_frozen = after_frozen.max(fp.end);
                continue;
            }
            let id = p.job.len() as u32;
            p.job.push(j as u32);
            p.jp.push(ops.last().copied().unwrap_or(NONE));
            if let Some(&prev) = ops.last() {
                p.js[prev as usize] = id;
            }
            p.js.push(NONE);
            p.release
                .push(op.release.max(job.release).max(after_frozen));
            p.alts.push(
                op.alternatives
                    .iter()
                    .map(|a| (a.machine as u32, a.duration))
                    .collect(),
            );
            p.orig.push((j, o));
            ops.push(id);
        }
        p.job_fixed_end.push(after_frozen);
        p.job_ops.push(ops);
    }
    p.n = p.job.len();
    p.remaining = vec![0; p.n];
    for ops in &p.job_ops {
        let mut acc = 0;
        for &i in ops.iter().rev() {
            acc += p.alts[i as usize].iter().map(|a| a.1).min().unwrap_or(0);
            p.remaining[i as usize] = acc;
        }
    }
    Ok(p)
}

/// Duration of a frozen operation: that of its alternative on the frozen machine, else (the
/// operation was moved by hand to a machine outside its list) its first alternative's.
pub(crate) fn frozen_duration(op: &super::Operation, machine: usize) -> i64 {
    op.alternatives
        .iter()
        .find(|a| a.machine == machine)
        .or(op.alternatives.first())
        .map(|a| a.duration)
        .unwrap_or(0)
}
