//! `planner-bench`: runs the planner's engine on public job-shop and flexible job-shop
//! instances and prints the gap to the best-known upper bound per instance and per group.
//!
//! ```text
//! planner-bench --family ta|la|ft|mk|all [--from 1] [--to 40] [--time-limit 10] [--threads 2]
//!               [--seed 1] [--max-iterations N] [--json out.json] [--data DIR]
//! ```
//! The JSON has the shape `scripts/cpsat_bench.py` writes, so `scripts/planner-bench.sh` can
//! put both side by side.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use usinage_planner::jobshop::{self, Objective, Params};

struct Args {
    family: String,
    from: Option<usize>,
    to: Option<usize>,
    time_limit: f64,
    threads: usize,
    seed: u64,
    max_iterations: Option<u64>,
    json: Option<PathBuf>,
    data: PathBuf,
    tardiness: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        family: "all".into(),
        from: None,
        to: None,
        time_limit: 10.0,
        threads: 2,
        seed: 1,
        max_iterations: None,
        json: None,
        data: Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
        tardiness: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("valeur manquante après {flag}"));
        let num = |v: String| {
            v.parse::<f64>()
                .map_err(|_| format!("nombre attendu pour {flag} : {v}"))
        };
        match flag.as_str() {
            "--family" => a.family = value()?,
            "--from" => a.from = Some(num(value()?)? as usize),
            "--to" => a.to = Some(num(value()?)? as usize),
            "--time-limit" => a.time_limit = num(value()?)?,
            "--threads" => a.threads = num(value()?)? as usize,
            "--seed" => a.seed = num(value()?)? as u64,
            "--max-iterations" => a.max_iterations = Some(num(value()?)? as u64),
            "--json" => a.json = Some(PathBuf::from(value()?)),
            "--data" => a.data = PathBuf::from(value()?),
            "--tardiness" => a.tardiness = true,
            "-h" | "--help" => {
                println!(
                    "planner-bench --family ta|la|ft|mk|all [--from N] [--to N] [--time-limit S] [--threads N] \
                     [--seed N] [--max-iterations N] [--json FILE] [--data DIR] [--tardiness]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("argument inconnu : {other}")),
        }
    }
    if !matches!(a.family.as_str(), "ft" | "la" | "ta" | "mk" | "all") {
        return Err(format!(
            "famille inconnue : {} (ft, la, ta, mk, all)",
            a.family
        ));
    }
    Ok(a)
}

/// `(folder, names)` of a family, restricted to `from..=to` (instance numbers).
fn instances(family: &str, from: Option<usize>, to: Option<usize>) -> (&'static str, Vec<String>) {
    let range = |prefix: &str, lo: usize, hi: usize| -> Vec<String> {
        let lo = from.unwrap_or(lo).max(lo);
        let hi = to.unwrap_or(hi).min(hi);
        (lo..=hi).map(|i| format!("{prefix}{i:02}")).collect()
    };
    match family {
        "ft" => ("jobshop", vec!["ft06".into(), "ft10".into(), "ft20".into()]),
        "la" => ("jobshop", range("la", 1, 40)),
        "ta" => ("jobshop", range("ta", 1, 80)),
        _ => ("fjsp", range("mk", 1, 10)),
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let families: Vec<&str> = if args.family == "all" {
        vec!["ft", "la", "ta", "mk"]
    } else {
        vec![args.family.as_str()]
    };
    let mut results = Vec::new();
    println!(
        "{:<8} {:>8} {:>6} {:>7} {:>7} {:>7} {:>10}",
        "instance", "size", "bks", "engine", "gap%", "time s", "iterations"
    );
    for fam in families {
        let (folder, names) = instances(fam, args.from, args.to);
        let bks_path = args.data.join(folder).join("bks.json");
        let bks: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&bks_path)
                .map_err(|e| format!("{} : {e}", bks_path.display()))?,
        )
        .map_err(|e| format!("{} : {e}", bks_path.display()))?;
        for name in names {
            let path = args.data.join(folder).join(format!("{name}.txt"));
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{} : {e}", path.display()))?;
            let instance = if folder == "fjsp" {
                jobshop::parse_fjsp(&text)
            } else {
                jobshop::parse_jobshop(&text)
            }
            .map_err(|e| format!("{name} : {e}"))?;
            let ub = bks[&name]["upper_bound"]
                .as_i64()
                .ok_or(format!("{name} : pas de borne dans bks.json"))?;
            let lb = bks[&name]["lower_bound"].as_i64();
            if args.tardiness {
                tardiness_run(&name, instance, &args)?;
                continue;
            }
            let params = Params {
                objective: Objective::Makespan,
                time_limit: Duration::from_secs_f64(args.time_limit),
                max_iterations: args.max_iterations,
                seed: args.seed,
                threads: args.threads,
            };
            let t0 = Instant::now();
            let sol = jobshop::solve(&instance, &params).map_err(|e| format!("{name} : {e:?}"))?;
            let elapsed = t0.elapsed().as_secs_f64();
            jobshop::verify(&instance, &sol)
                .map_err(|e| format!("{name} : solution invalide : {e}"))?;
            let gap = 100.0 * (sol.makespan - ub) as f64 / ub as f64;
            let size = format!("{}x{}", instance.jobs.len(), instance.machines);
            let ops: usize = instance.jobs.iter().map(|j| j.operations.len()).sum();
            println!(
                "{name:<8} {size:>8} {ub:>6} {:>7} {gap:>7.2} {elapsed:>7.2} {:>10}",
                sol.makespan, sol.iterations
            );
            results.push(serde_json::json!({
                "name": name, "family": fam, "size": size, "operations": ops, "bks": ub,
                "lower_bound": lb, "value": sol.makespan, "gap": gap,
                "time": (elapsed * 1000.0).round() / 1000.0, "iterations": sol.iterations,
            }));
        }
    }
    let gaps: Vec<f64> = results.iter().filter_map(|r| r["gap"].as_f64()).collect();
    if !gaps.is_empty() {
        println!(
            "mean gap {:.2} % over {} instances",
            gaps.iter().sum::<f64>() / gaps.len() as f64,
            gaps.len()
        );
    }
    if let Some(path) = &args.json {
        let out = serde_json::json!({
            "solver": "usinage-planner tabu search",
            "version": env!("CARGO_PKG_VERSION"),
            "time_limit": args.time_limit, "threads": args.threads, "seed": args.seed,
            "max_iterations": args.max_iterations, "results": results,
        });
        std::fs::write(path, serde_json::to_string_pretty(&out).expect("json"))
            .map_err(|e| format!("{} : {e}", path.display()))?;
    }
    Ok(())
}

/// The shop's objective on a benchmark instance: synthetic due dates (a job's own work plus a
/// share of the makespan lower bound spread over ten classes) and weights 1–3. Prints the
/// weighted tardiness of the dispatch and after the search, and the search's makespan.
fn tardiness_run(name: &str, mut instance: jobshop::Instance, args: &Args) -> Result<(), String> {
    let work: Vec<i64> = instance
        .jobs
        .iter()
        .map(|j| {
            j.operations
                .iter()
                .map(|o| o.alternatives.iter().map(|a| a.duration).min().unwrap_or(0))
                .sum()
        })
        .collect();
    let machine_load = work.iter().sum::<i64>() / instance.machines.max(1) as i64;
    for (j, job) in instance.jobs.iter_mut().enumerate() {
        job.due = Some(work[j] + (j as i64 % 10) * machine_load / 10);
        job.weight = 1 + j as i64 % 3;
    }
    let params = |limit: f64| Params {
        objective: Objective::WeightedTardinessThenMakespan,
        time_limit: Duration::from_secs_f64(limit),
        max_iterations: args.max_iterations,
        seed: args.seed,
        threads: args.threads,
    };
    let t0 = Instant::now();
    let start = jobshop::solve(&instance, &params(0.0)).map_err(|e| format!("{name} : {e:?}"))?;
    let t_start = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    let sol = jobshop::solve(&instance, &params(args.time_limit))
        .map_err(|e| format!("{name} : {e:?}"))?;
    let elapsed = t0.elapsed().as_secs_f64();
    jobshop::verify(&instance, &sol).map_err(|e| format!("{name} : solution invalide : {e}"))?;
    println!(
        "{name:<8} tardiness: dispatch {} ({t_start:.3} s) -> search {} (makespan {}, {elapsed:.2} s, {} iterations)",
        start.weighted_tardiness, sol.weighted_tardiness, sol.makespan, sol.iterations
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("planner-bench : {e}");
            ExitCode::FAILURE
        }
    }
}
