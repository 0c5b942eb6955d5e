#!/usr/bin/env bash
# Shop floor under load (issue 7, docs/benchmarks.md "Shop floor under load"): 100 operators,
# each on his own keep-alive HTTP/1.1 connection, start then finish 5 operations each, all
# released at the same instant, against the real router served on loopback in the bench
# process; p50/p95/p99/max latency of start and finish, then 100 idempotent replays. On a fresh
# SQLite file and on a fresh PostgreSQL schema (dropped at the end). Release build (the bench
# profile); about a minute after the build. Not part of CI. Loopback only.
#
#   bash scripts/shopfloor-bench.sh
#   USINAGE_BENCH_OPERATORS=20 bash scripts/shopfloor-bench.sh   # quick try
#   USINAGE_BENCH_SKIP_POSTGRES=1 bash scripts/shopfloor-bench.sh # SQLite only
source "$(dirname "$0")/lib.sh"
export USINAGE_BENCH_POSTGRES_URL="${USINAGE_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

if [ "${USINAGE_BENCH_SKIP_POSTGRES:-}" != 1 ]; then
  log "PostgreSQL"
  command -v pg_isready >/dev/null || apt_install postgresql-client
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    if command -v pg_ctlcluster >/dev/null; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
    fi
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL injoignable sur 127.0.0.1:5432" >&2; exit 1; }
  # Schemas left by interrupted runs of this bench (sfbench_…; other benches' are not touched).
  PGOPTIONS='--client-min-messages=warning' psql "$USINAGE_BENCH_POSTGRES_URL" -Atqc "SELECT 'DROP SCHEMA ' || nspname || ' CASCADE;' FROM pg_namespace WHERE nspname LIKE 'sfbench\_%'" \
    | PGOPTIONS='--client-min-messages=warning' psql "$USINAGE_BENCH_POSTGRES_URL" -q >/dev/null
fi

log "build (release) and run: cargo bench -p usinage-api --bench shopfloor_load"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
cargo bench -p usinage-api --bench shopfloor_load
