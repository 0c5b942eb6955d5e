#!/usr/bin/env bash
# Orders and jobs at scale (issue 6, docs/benchmarks.md "Orders and jobs at scale"): loads ten
# years of a busy shop (20,000 orders, ~150,000 routing operations) into a fresh PostgreSQL
# schema, times the order and job reads at the API, then the validation of 10-line orders
# (jobs, routings and method sheets generated), on PostgreSQL and on a fresh SQLite file.
# Release build; takes a few minutes after the build. Not part of CI. Loopback only.
#
#   bash scripts/orders-bench.sh                        # full run
#   USINAGE_BENCH_ORDERS=2000 bash scripts/orders-bench.sh   # quick try
#   USINAGE_BENCH_KEEP_SCHEMA=1 bash scripts/orders-bench.sh # keep the data for EXPLAIN
source "$(dirname "$0")/lib.sh"
export USINAGE_BENCH_POSTGRES_URL="${USINAGE_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

log "PostgreSQL"
command -v pg_isready >/dev/null || apt_install postgresql-client
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if command -v pg_ctlcluster >/dev/null; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL injoignable sur 127.0.0.1:5432" >&2; exit 1; }
# Schemas left by interrupted runs (a kept schema is dropped by the next run).
PGOPTIONS='--client-min-messages=warning' psql "$USINAGE_BENCH_POSTGRES_URL" -Atqc "SELECT 'DROP SCHEMA ' || nspname || ' CASCADE;' FROM pg_namespace WHERE nspname LIKE 'bench\_%'" \
  | PGOPTIONS='--client-min-messages=warning' psql "$USINAGE_BENCH_POSTGRES_URL" -q >/dev/null

log "build (release) and run: cargo bench -p usinage-api --bench orders_scale"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
cargo bench -p usinage-api --bench orders_scale
