#!/usr/bin/env bash
# Measures what docs/benchmarks.md reports: release binary size, time from `serve` to ready,
# idle memory, p50/p99 latency of GET /api/v1/auth/me and of a paged list at 200 concurrent
# connections on loopback (wrk), and the engines' criterion benches. Loopback only.
source "$(dirname "$0")/lib.sh"
command -v wrk >/dev/null || apt_install wrk
PORT="${USINAGE_BENCH_PORT:-18181}"
DURATION="${USINAGE_BENCH_SECONDS:-15}"
web_build
cargo build --release -p usinage
BIN="$CARGO_TARGET_DIR/release/usinage"
DIR=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
log "binary size"
ls -l "$BIN" | awk '{printf "%.1f MiB\n", $5/1048576}'

run_server() { "$BIN" --data-dir "$DIR" --listen "127.0.0.1:$PORT" --log-format json serve "$@" >"$DIR/server.log" 2>&1 & PID=$!; }
wait_ready() { while ! curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do sleep 0.005; done; }

log "time from serve to ready (empty database: migrations + admin creation; then warm restart)"
t0=$(date +%s%N); run_server; wait_ready; t1=$(date +%s%N)
echo "first start: $(( (t1 - t0) / 1000000 )) ms"
kill $PID; wait $PID 2>/dev/null || true; rm -rf "$DIR"/*
"$BIN" --data-dir "$DIR" demo >/dev/null
t0=$(date +%s%N); run_server --demo; wait_ready; t1=$(date +%s%N)
echo "restart on the demo database: $(( (t1 - t0) / 1000000 )) ms"
sleep 1
echo "idle RSS: $(grep VmRSS /proc/$PID/status | awk '{print $2/1024 " MiB"}')"

TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' -d '{"login":"admin","password":"usinage-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
for path in "/api/v1/auth/me" "/api/v1/users?page=1&per_page=50&sort=login"; do
  log "wrk 200 connections, ${DURATION}s: GET $path"
  wrk -t2 -c200 -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$path" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx|Socket errors"
done
echo "RSS after load: $(grep VmRSS /proc/$PID/status | awk '{print $2/1024 " MiB"}')"

log "engines (criterion)"
cargo bench -p usinage-engines --bench engines -- --noplot 2>/dev/null | grep -E "^[a-z_/0-9]+ +time:|time:" || true

log "drawing engine: synthetic corpus (48 drawings, vector + scans), precision/recall and s/page"
cargo run --release -q -p usinage-drawing --bin drawing-corpus -- --out "$CARGO_TARGET_DIR/drawing-corpus" --count 48 --seed 2026
cargo run --release -q -p usinage-drawing --bin drawing-bench -- --dir "$CARGO_TARGET_DIR/drawing-corpus"
