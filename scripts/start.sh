#!/usr/bin/env bash
# Command 1: build everything (web UI included) and start Gestion Usinage with demo data on
# the embedded SQLite database. Extra arguments go to `usinage serve` (e.g. --listen 0.0.0.0:8080).
source "$(dirname "$0")/lib.sh"
command -v cargo >/dev/null || { echo "Rust (cargo) est requis : https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js 20+ et npm sont requis." >&2; exit 1; }
web_build
log "cargo build --release"
cargo build --release -p usinage
log "start"
exec "$CARGO_TARGET_DIR/release/usinage" serve --demo "$@"
