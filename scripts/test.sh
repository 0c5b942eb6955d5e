#!/usr/bin/env bash
# Command 2: the whole test suite, as CI runs it. Installs what it needs (Debian chromium for
# the browser tests, a Python venv with schemathesis for the API fuzz) and starts PostgreSQL
# when it is down. Rust tests run on SQLite and PostgreSQL.
source "$(dirname "$0")/lib.sh"
START=$(date +%s)
PG_URL="${USINAGE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
SHOTS="${USINAGE_E2E_SHOTS:-$ROOT/artifacts/screenshots}"
E2E_PORT="${USINAGE_E2E_PORT:-18080}"

log "system packages"
command -v chromium >/dev/null || apt_install chromium
command -v pg_isready >/dev/null || apt_install postgresql-client
# Drawing engine (crates/drawing): PDF text and rasterisation, OCR (French + English), fonts of
# the generated corpus, qpdf for encrypted-PDF fixtures, prlimit (util-linux) for memory caps;
# mksquashfs, which packs the desktop AppImage, for the AppImage runtime's tests.
apt_install poppler-utils tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng fonts-dejavu-core qpdf util-linux squashfs-tools

log "PostgreSQL"
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if command -v pg_ctlcluster >/dev/null; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL injoignable sur 127.0.0.1:5432" >&2; exit 1; }
# Schemas left by interrupted test runs.
psql "$PG_URL" -Atqc "SELECT 'DROP SCHEMA ' || nspname || ' CASCADE;' FROM pg_namespace WHERE nspname LIKE 't\_%'" | psql "$PG_URL" -q >/dev/null

log "web: type check, lint, unit tests, build"
web_deps
(cd web && npm run --silent typecheck && npm run --silent lint && npm test --silent && npm run --silent build)

log "rust: format and clippy"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

log "rust: tests (SQLite + PostgreSQL)"
mkdir -p "$ROOT/artifacts"
# Every test binary runs (--no-fail-fast); the exit status is cargo's, read before anything
# else can overwrite PIPESTATUS.
set +e
USINAGE_TEST_POSTGRES_URL="$PG_URL" cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$ROOT/artifacts/cargo-test.log" | grep -E '^(test |test result|error|warning: unused|failures)'
status=${PIPESTATUS[0]}
set -e
if [ "$status" != 0 ]; then
  grep -E '^test .* FAILED$|panicked at' "$ROOT/artifacts/cargo-test.log" | head -40
  echo "cargo test a échoué (code $status) : détail dans artifacts/cargo-test.log" >&2
  exit "$status"
fi

log "end-to-end: server with demo data, Playwright in chromium, API fuzz"
cargo build -p usinage --locked
# A server already on the port would answer /readyz while ours dies on the bind, and the tests
# would run against someone else's build and data.
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$E2E_PORT/"; then
  echo "le port $E2E_PORT est déjà pris : arrêtez ce serveur ou choisissez USINAGE_E2E_PORT" >&2
  exit 1
fi
E2E_DIR=$(mktemp -d)
"$CARGO_TARGET_DIR/debug/usinage" --data-dir "$E2E_DIR" --listen "127.0.0.1:$E2E_PORT" --public-url "http://127.0.0.1:$E2E_PORT" serve --demo >"$E2E_DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$E2E_DIR"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$E2E_PORT/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$E2E_PORT/readyz" >/dev/null || { cat "$E2E_DIR/server.log"; exit 1; }
mkdir -p "$SHOTS"
(cd web && USINAGE_E2E_URL="http://127.0.0.1:$E2E_PORT" USINAGE_E2E_SHOTS="$SHOTS" npm run --silent e2e)
bash scripts/fuzz-api.sh "http://127.0.0.1:$E2E_PORT"

log "CLI: audit verify passes, then fails after one audit row is altered"
"$CARGO_TARGET_DIR/debug/usinage" --data-dir "$E2E_DIR" audit verify
kill $SERVER; wait $SERVER 2>/dev/null || true
python3 - "$E2E_DIR/usinage.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE audit_log SET actor_login='intrus' WHERE id=2"); c.commit()
PY
if "$CARGO_TARGET_DIR/debug/usinage" --data-dir "$E2E_DIR" audit verify; then
  echo "audit verify aurait dû échouer après altération" >&2; exit 1
fi

echo
echo "Toute la suite est passée en $(( $(date +%s) - START )) s. Captures d'écran : $SHOTS"
