#!/usr/bin/env bash
# Property-based fuzz of the OpenAPI spec with schemathesis: no 5xx, and every response must
# match the spec (status codes, content types, schemas). Usage: scripts/fuzz-api.sh BASE_URL
# (a server with demo data must be running there). Installs schemathesis in a venv (PyPI).
# /api/v1/events is a server-sent event stream that never ends: it is tested in
# crates/api/tests/shopfloor.rs instead.
set -euo pipefail
BASE="${1:-http://127.0.0.1:8080}"
VENV="${USINAGE_FUZZ_VENV:-$HOME/.cache/usinage/venv}"
if [ ! -x "$VENV/bin/st" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==4.*"
fi
TOKEN=$(curl -sf -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"login":"admin","password":"usinage-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
"$VENV/bin/st" run "$BASE/api/v1/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "${USINAGE_FUZZ_EXAMPLES:-100}" \
  --workers 1 \
  --seed 20261127 \
  --exclude-path /api/v1/auth/logout \
  --exclude-path /api/v1/auth/password \
  --exclude-path /api/v1/events \
  --warnings off
