//! Readers for the two public text formats of the benchmarks.
//!
//! - Job shop (Fisher–Thompson, Lawrence, Taillard as distributed by ScheduleOpt/JSPLib): first
//!   line `jobs machines`, then one line per job of `machine duration` pairs, machines 0-based.
//!   Lines starting with `#` are comments.
//! - Flexible job shop (Brandimarte 1993): first line `jobs machines [average alternatives]`,
//!   then one line per job: the number of operations, then per operation the number of
//!   alternatives `k` followed by `k` pairs `machine duration`, machines 1-based.

use super::{Alternative, Instance, Job, Operation};

fn numbers(line: &str, line_no: usize) -> Result<Vec<i64>, String> {
    line.split_whitespace()
        .map(|t| {
            t.parse::<i64>()
                .map_err(|_| format!("ligne {line_no} : nombre attendu, lu « {t} »"))
        })
        .collect()
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

fn job(operations: Vec<Operation>) -> Job {
    Job {
        operations,
        release: 0,
        due: None,
        weight: 1,
    }
}

fn operation(alternatives: Vec<Alternative>) -> Operation {
    Operation {
        alternatives,
        release: 0,
        frozen: None,
    }
}

fn header(lines: &mut dyn Iterator<Item = (usize, &str)>) -> Result<(usize, usize), String> {
    let (no, line) = lines
        .next()
        .ok_or("fichier vide : ligne « jobs machines » attendue")?;
    // Brandimarte's header ends with the average number of alternatives, a decimal: only the
    // first two numbers matter.
    let first_two: String = line
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let h = numbers(&first_two, no)?;
    if h.len() < 2 || h[0] < 0 || h[1] < 0 {
        return Err(format!("ligne {no} : « jobs machines » attendu"));
    }
    Ok((h[0] as usize, h[1] as usize))
}

/// Reads the classical job-shop format (one machine per operation, 0-based machines).
pub fn parse_jobshop(text: &str) -> Result<Instance, String> {
    let mut lines = data_lines(text);
    let (n_jobs, machines) = header(&mut lines)?;
    let mut jobs = Vec::with_capacity(n_jobs);
    for j in 0..n_jobs {
        let (no, line) = lines.next().ok_or(format!("job {} manquant", j + 1))?;
        let v = numbers(line, no)?;
        if v.len() % 2 != 0 {
            return Err(format!("ligne {no} : paires « machine durée » incomplètes"));
        }
        let ops = v
            .chunks(2)
            .map(|c| {
                if c[0] < 0 || c[0] as usize >= machines {
                    Err(format!(
                        "ligne {no} : machine {} hors de 0..{machines}",
                        c[0]
                    ))
                } else {
                    Ok(operation(vec![Alternative {
                        machine: c[0] as usize,
                        duration: c[1],
                    }]))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        jobs.push(job(ops));
    }
    Ok(Instance { machines, jobs })
}

/// Reads Brandimarte's flexible job-shop format (1-based machines, turned 0-based).
pub fn parse_fjsp(text: &str) -> Result<Instance, String> {
    let mut lines = data_lines(text);
    let (n_jobs, machines) = header(&mut lines)?;
    let mut jobs = Vec::with_capacity(n_jobs);
    for j in 0..n_jobs {
        let (no, line) = lines.next().ok_or(format!("job {} manquant", j + 1))?;
        let v = numbers(line, no)?;
        let mut it = v.into_iter();
        let mut next = |what: &str| it.next().ok_or(format!("ligne {no} : {what} manquant"));
        let n_ops = next("nombre d'opérations")?;
        let mut ops = Vec::new();
        for _ in 0..n_ops.max(0) {
            let k = next("nombre d'alternatives")?;
            let mut alts = Vec::new();
            for _ in 0..k.max(0) {
                let m = next("machine")?;
                let d = next("durée")?;
                if m < 1 || m as usize > machines {
                    return Err(format!("ligne {no} : machine {m} hors de 1..{machines}"));
                }
                alts.push(Alternative {
                    machine: m as usize - 1,
                    duration: d,
                });
            }
            ops.push(operation(alts));
        }
        if it.next().is_some() {
            return Err(format!("ligne {no} : valeurs en trop"));
        }
        jobs.push(job(ops));
    }
    Ok(Instance { machines, jobs })
}
