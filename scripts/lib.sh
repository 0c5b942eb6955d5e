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
