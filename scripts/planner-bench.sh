#!/usr/bin/env bash
# Side-by-side benchmark of the planner's engine and OR-Tools CP-SAT on public instances.
#
#   scripts/planner-bench.sh [--time-limit 10] [--small-time-limit 2] [--threads 2] [--seed 1]
#                            [--out DIR] [--only engine|cpsat] [--families "ft la ta mk"]
#                            [--table-only]
#
# ft and la run with --small-time-limit (they are small), ta and mk with --time-limit.
# Raw results go to DIR (default ~/.cache/usinage/bench): engine-<fam>.json, cpsat-<fam>.json,
# load.log (uptime before/after each part); the side-by-side markdown table to DIR/table.md.
# --only runs one solver (the other's JSON, if present from an earlier run, is still used in
# the table); --table-only just rebuilds the table from the JSON files.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TL=10
SMALL_TL=2
THREADS=2
SEED=1
OUT="${HOME}/.cache/usinage/bench"
ONLY=""
FAMILIES="ft la ta mk"
TABLE_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --time-limit) TL="$2"; shift 2 ;;
    --small-time-limit) SMALL_TL="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --families) FAMILIES="$2"; shift 2 ;;
    --table-only) TABLE_ONLY=1; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/usinage/target}"
VENV="${HOME}/.cache/usinage/venv-ortools"

limit_for() { case "$1" in ft|la) echo "$SMALL_TL" ;; *) echo "$TL" ;; esac; }
load() { echo "$(date -u +%FT%TZ) $1: $(uptime)" | tee -a "$OUT/load.log"; }

if [ "$TABLE_ONLY" = 0 ]; then
  if [ "$ONLY" != "cpsat" ]; then
    cargo build --release -p usinage-planner --bin planner-bench --manifest-path "$ROOT/Cargo.toml"
    for fam in $FAMILIES; do
      load "engine $fam before"
      "$CARGO_TARGET_DIR/release/planner-bench" --family "$fam" --time-limit "$(limit_for "$fam")" \
        --threads "$THREADS" --seed "$SEED" --json "$OUT/engine-$fam.json"
      load "engine $fam after"
    done
  fi
  if [ "$ONLY" != "engine" ]; then
    if [ ! -x "$VENV/bin/python" ]; then
      python3 -m venv "$VENV"
    fi
    "$VENV/bin/python" -c 'import ortools' 2>/dev/null || "$VENV/bin/pip" install -q ortools
    echo "ortools $("$VENV/bin/python" -c 'import ortools; print(ortools.__version__)')" | tee -a "$OUT/load.log"
    for fam in $FAMILIES; do
      load "cpsat $fam before"
      "$VENV/bin/python" "$ROOT/scripts/cpsat_bench.py" --family "$fam" --time-limit "$(limit_for "$fam")" \
        --threads "$THREADS" --seed "$SEED" --json "$OUT/cpsat-$fam.json"
      load "cpsat $fam after"
    done
  fi
fi

python3 - "$OUT" <<'EOF'
import json, os, sys
out = sys.argv[1]
def load(kind, fam):
    p = os.path.join(out, f"{kind}-{fam}.json")
    if not os.path.exists(p):
        return None, {}
    d = json.load(open(p))
    return d, {r["name"]: r for r in d["results"]}
groups = [
    ("ft", "ft", lambda n: True),
    ("la01–la40", "la", lambda n: True),
    ("ta01–ta40", "ta", lambda n: int(n[2:]) <= 40),
    ("ta41–ta80", "ta", lambda n: int(n[2:]) > 40),
    ("mk01–mk10", "mk", lambda n: True),
]
lines = ["| instance | size | BKS | time limit s | engine | gap % | CP-SAT | gap % |",
         "|---|---|---:|---:|---:|---:|---:|---:|"]
means = []
meta = {}
def fmt(v):
    return "–" if v is None else str(v)
def fgap(g):
    return "–" if g is None else f"{g:.2f}"
for fam in ["ft", "la", "ta", "mk"]:
    ed, e = load("engine", fam)
    cd, c = load("cpsat", fam)
    if ed: meta["engine"] = ed
    if cd: meta["cpsat"] = cd
    names = sorted(set(e) | set(c))
    for n in names:
        er, cr = e.get(n, {}), c.get(n, {})
        base = er or cr
        tl = (ed or cd)["time_limit"]
        lines.append(f"| {n} | {base['size']} | {base['bks']} | {tl:g} | {fmt(er.get('value'))} | "
                     f"{fgap(er.get('gap'))} | {fmt(cr.get('value'))} | {fgap(cr.get('gap'))} |")
for label, fam, keep in groups:
    _, e = load("engine", fam)
    _, c = load("cpsat", fam)
    eg = [r["gap"] for n, r in e.items() if keep(n) and r["gap"] is not None]
    cg = [r["gap"] for n, r in c.items() if keep(n) and r["gap"] is not None]
    if not eg and not cg:
        continue
    worse = [n for n in sorted(set(e) & set(c)) if keep(n) and e[n]["value"] is not None
             and c[n]["value"] is not None and e[n]["value"] > c[n]["value"]]
    mean = lambda g: f"{sum(g)/len(g):.2f}" if g else "–"
    means.append(f"| {label} | {len(eg)} | {mean(eg)} | {len(cg)} | {mean(cg)} | "
                 f"{(', '.join(worse) or 'none') if eg and cg else '–'} |")
md = ["## Group means (gap to best-known upper bound, %)", "",
      "| group | n | engine | n | CP-SAT | engine worse than CP-SAT on |", "|---|---:|---:|---:|---:|---|"]
md += means + ["", "## Per instance", ""] + lines + [""]
if "cpsat" in meta:
    md.append(f"CP-SAT: OR-Tools {meta['cpsat']['version']}, {meta['cpsat']['threads']} workers.")
if "engine" in meta:
    md.append(f"Engine: planner-bench, {meta['engine']['threads']} threads, seed {meta['engine']['seed']}.")
text = "\n".join(md) + "\n"
open(os.path.join(out, "table.md"), "w").write(text)
print(text)
EOF
