# Shared helpers for the project scripts. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Reuse builds across clones on the same machine (CI clones afresh each time); a new machine
# simply starts from an empty folder.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/usinage/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
log() { printf '\n==> %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    # Another apt (a desktop build, an unattended upgrade) may hold the lock: wait for it.
    as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
  fi
}

web_deps() {
  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    log "npm ci (web)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

web_build() {
  web_deps
  log "build web UI"
  (cd web && npm run build --silent)
}

# The desktop app started in trial mode (PID, its log in LOG, colours stripped): waits up to
# SECONDS for the URL its embedded server logs, checks /readyz and the demo data, prints the URL.
wait_trial_server() {
  local log="$1" pid="$2" seconds="$3" url=""
  for _ in $(seq $((seconds * 2))); do
    url=$(sed -e "s/\x1b\[[0-9;]*m//g" "$log" | sed -n "s/.*trial server started url=\([^ ]*\).*/\1/p" | head -1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.5
  done
  [ -n "$url" ] || { echo "le serveur d'essai n'a pas démarré en $seconds s" >&2; cat "$log" >&2; return 1; }
  curl -fsS "$url/readyz" >/dev/null
  curl -fsS "$url/api/v1/info" | grep -q '"demo":true' || { echo "pas de données de démonstration" >&2; return 1; }
  echo "$url"
}
