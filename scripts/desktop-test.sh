#!/usr/bin/env bash
# Real-window test of the desktop app: the debug build runs under Xvfb and is driven through
# WebDriver (tauri-driver + WebKitWebDriver, plain HTTP calls from desktop/tests/webdriver.mjs).
#   1. essai   — the app starts its embedded server (trial mode), chef logs in, home screen.
#   2. server  — the app connects to a separate `usinage serve --demo`; the server is killed
#                (banner « Serveur injoignable »), restarted (banner gone, the page works).
#   3. tls     — https with a self-signed certificate: the launcher shows the fingerprint, the
#                user trusts it, logs in; a new certificate is then refused (banner, then
#                « Remplacer le certificat » in the launcher).
# Screenshots (WebDriver + X root window): artifacts/desktop/.
#   bash scripts/desktop-test.sh [essai|server|tls ...]    (default: all three)
# USINAGE_DESKTOP_APP=path runs an already built program instead of the debug build, e.g. the
# release one that scripts/desktop-build.sh packaged ($HOME/.cache/usinage/target-desktop/
# release/usinage-desktop): WebDriver automation is switched on by tauri-driver at run time
# (TAURI_WEBVIEW_AUTOMATION), not at build time.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SERVER_TARGET="$CARGO_TARGET_DIR"
export CARGO_TARGET_DIR="${USINAGE_DESKTOP_TARGET_DIR:-$HOME/.cache/usinage/target-desktop}"
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(essai server tls)

apt_install libwebkit2gtk-4.1-dev build-essential file libxdo-dev libssl-dev \
  libayatana-appindicator3-dev librsvg2-dev pkg-config xvfb xauth webkit2gtk-driver imagemagick

[ -f web/dist/index.html ] || web_build
if [ ! -d desktop/node_modules ] || [ desktop/package-lock.json -nt desktop/node_modules/.package-lock.json ]; then
  (cd desktop && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ -n "${USINAGE_DESKTOP_APP:-}" ]; then
  APP="$USINAGE_DESKTOP_APP"
  [ -x "$APP" ] || { echo "USINAGE_DESKTOP_APP : $APP n'est pas un programme" >&2; exit 2; }
  log "desktop app: $APP (already built)"
else
  log "build the desktop app (debug)"
  start=$(date +%s)
  (cd desktop/src-tauri && cargo build --locked)
  log "desktop app built in $(( $(date +%s) - start )) s"
  APP="$CARGO_TARGET_DIR/debug/usinage-desktop"
fi

USINAGE_BIN="$SERVER_TARGET/debug/usinage"
if [[ " ${scenarios[*]} " =~ " server " || " ${scenarios[*]} " =~ " tls " ]] && [ ! -x "$USINAGE_BIN" ]; then
  log "build the server (debug, $SERVER_TARGET)"
  CARGO_TARGET_DIR="$SERVER_TARGET" cargo build -p usinage
fi

if ! command -v tauri-driver >/dev/null; then
  log "cargo install tauri-driver"
  cargo install tauri-driver --locked
fi

OUT="$ROOT/artifacts/desktop"
WORK="$(mktemp -d /tmp/usinage-desktop-test.XXXXXX)"
mkdir -p "$OUT"
# The app's config and data (server list, pins, trial database) live in this run's folder.
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" XDG_CACHE_HOME="$WORK/cache"
export USINAGE_DESKTOP_LOG="${USINAGE_DESKTOP_LOG:-info}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run_scenario() {
  local name="$1" port native
  port=$(free_port); native=$(free_port)
  log "scenario $name"
  xvfb-run -a -s "-screen 0 1366x900x24" bash -c '
    set -euo pipefail
    tauri-driver --port '"$port"' --native-port '"$native"' --native-driver /usr/bin/WebKitWebDriver >"'"$WORK"'/tauri-driver-'"$name"'.log" 2>&1 &
    driver=$!
    trap "kill $driver 2>/dev/null || true" EXIT
    for _ in $(seq 50); do curl -fs http://127.0.0.1:'"$port"'/status >/dev/null 2>&1 && break; sleep 0.2; done
    WEBDRIVER_URL=http://127.0.0.1:'"$port"' node desktop/tests/webdriver.mjs '"$name"' "'"$APP"'" "'"$OUT"'" "'"$USINAGE_BIN"'" "'"$WORK"'"
  '
}

failed=0
for s in "${scenarios[@]}"; do
  run_scenario "$s" || { failed=1; echo "scenario $s FAILED (logs: $WORK)"; }
done
ls -l "$OUT"
[ $failed = 0 ] && rm -rf "$WORK"
exit $failed
