#!/usr/bin/env python3
"""Reference run of Google OR-Tools CP-SAT on the planner's benchmark instances.

For comparison only: the product never calls OR-Tools. Same instances, same time limit and
same number of workers as `planner-bench`, same JSON shape, so `scripts/planner-bench.sh` can
print both side by side.

Model: one interval per operation (per alternative, optional, for the flexible job shop),
NoOverlap per machine, precedence inside each job, minimise the makespan. CP-SAT's own
defaults otherwise (no hint, no symmetry tricks).

Usage: cpsat_bench.py --family ta --from 1 --to 40 --time-limit 10 --threads 2 --json out.json
"""

import argparse
import json
import os
import sys
import time

from ortools.sat.python import cp_model
import ortools

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "crates", "planner", "data")

FAMILIES = {
    # family: (folder, name pattern, first, last, flexible)
    "ft": ("jobshop", None, None, None, False),
    "la": ("jobshop", "la{:02}", 1, 40, False),
    "ta": ("jobshop", "ta{:02}", 1, 80, False),
    "mk": ("fjsp", "mk{:02}", 1, 10, True),
}


def instance_names(family, first, last):
    if family == "ft":
        return ["ft06", "ft10", "ft20"]
    _, pattern, lo, hi = FAMILIES[family][:4]
    first = lo if first is None else max(first, lo)
    last = hi if last is None else min(last, hi)
    return [pattern.format(i) for i in range(first, last + 1)]


def parse_jobshop(text):
    """Standard format: `jobs machines`, then per job `machine duration` pairs (0-based)."""
    lines = [l.split() for l in text.splitlines() if l.strip() and not l.startswith("#")]
    n, m = int(lines[0][0]), int(lines[0][1])
    jobs = []
    for row in lines[1 : 1 + n]:
        vals = list(map(int, row))
        jobs.append([[(vals[i], vals[i + 1])] for i in range(0, len(vals), 2)])
    return m, jobs


def parse_fjsp(text):
    """Brandimarte format: `jobs machines [avg]`, then per job `n_ops`, per op `k` then k
    pairs `machine duration` (1-based machines)."""
    tokens = text.split()
    n, m = int(tokens[0]), int(tokens[1])
    lines = [l.split() for l in text.splitlines() if l.strip()]
    jobs = []
    for row in lines[1 : 1 + n]:
        vals = list(map(int, row))
        pos = 1
        ops = []
        for _ in range(vals[0]):
            k = vals[pos]
            pos += 1
            alts = []
            for _ in range(k):
                alts.append((vals[pos] - 1, vals[pos + 1]))
                pos += 2
            ops.append(alts)
        jobs.append(ops)
    return m, jobs


def solve(m, jobs, time_limit, threads, seed):
    model = cp_model.CpModel()
    horizon = sum(max(d for _, d in alts) for job in jobs for alts in job)
    per_machine = [[] for _ in range(m)]
    ends = []
    for job in jobs:
        prev_end = None
        for alts in job:
            lo = min(d for _, d in alts)
            hi = max(d for _, d in alts)
            s = model.new_int_var(0, horizon, "")
            e = model.new_int_var(0, horizon, "")
            if len(alts) == 1:
                mach, d = alts[0]
                iv = model.new_interval_var(s, d, e, "")
                per_machine[mach].append(iv)
            else:
                dur = model.new_int_var(lo, hi, "")
                model.new_interval_var(s, dur, e, "")
                lits = []
                for mach, d in alts:
                    lit = model.new_bool_var("")
                    iv = model.new_optional_interval_var(s, d, e, lit, "")
                    per_machine[mach].append(iv)
                    model.add(dur == d).only_enforce_if(lit)
                    lits.append(lit)
                model.add_exactly_one(lits)
            if prev_end is not None:
                model.add(s >= prev_end)
            prev_end = e
        ends.append(prev_end)
    for ivs in per_machine:
        if len(ivs) > 1:
            model.add_no_overlap(ivs)
    cmax = model.new_int_var(0, horizon, "cmax")
    model.add_max_equality(cmax, ends)
    model.minimize(cmax)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_search_workers = threads
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return int(solver.objective_value), solver.status_name(status), int(solver.best_objective_bound)
    return None, solver.status_name(status), None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--family", default="all", choices=["ft", "la", "ta", "mk", "all"])
    ap.add_argument("--from", dest="first", type=int, default=None)
    ap.add_argument("--to", dest="last", type=int, default=None)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", default=None)
    ap.add_argument("--data", default=DATA)
    args = ap.parse_args()

    families = ["ft", "la", "ta", "mk"] if args.family == "all" else [args.family]
    results = []
    print(f"{'instance':<8} {'size':>8} {'bks':>6} {'cp-sat':>7} {'gap%':>7} {'time s':>7}  status")
    for fam in families:
        folder, _, _, _, flexible = FAMILIES[fam]
        bks = json.load(open(os.path.join(args.data, folder, "bks.json")))
        for name in instance_names(fam, args.first, args.last):
            text = open(os.path.join(args.data, folder, name + ".txt")).read()
            m, jobs = parse_fjsp(text) if flexible else parse_jobshop(text)
            t0 = time.monotonic()
            value, status, bound = solve(m, jobs, args.time_limit, args.threads, args.seed)
            elapsed = time.monotonic() - t0
            ub = bks[name]["upper_bound"]
            gap = None if value is None else 100.0 * (value - ub) / ub
            size = f"{len(jobs)}x{m}"
            results.append(
                {
                    "name": name,
                    "family": fam,
                    "size": size,
                    "operations": sum(len(j) for j in jobs),
                    "bks": ub,
                    "lower_bound": bks[name]["lower_bound"],
                    "value": value,
                    "gap": gap,
                    "time": round(elapsed, 3),
                    "status": status,
                    "bound": bound,
                }
            )
            gap_s = "-" if gap is None else f"{gap:.2f}"
            print(f"{name:<8} {size:>8} {ub:>6} {str(value):>7} {gap_s:>7} {elapsed:>7.2f}  {status}")
            sys.stdout.flush()
    out = {
        "solver": "OR-Tools CP-SAT",
        "version": ortools.__version__,
        "time_limit": args.time_limit,
        "threads": args.threads,
        "seed": args.seed,
        "results": results,
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
