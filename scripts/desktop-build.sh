#!/usr/bin/env bash
# Builds the desktop app (desktop/, Tauri 2) and its Linux packages (.deb and AppImage), from
# nothing: Debian packages, npm packages, the web UI (the trial mode embeds the server, which
# embeds web/dist), `tauri build` for the .deb, then scripts/desktop-appimage.sh for the
# AppImage. See docs/desktop.md.
#
#   bash scripts/desktop-build.sh            release .deb + AppImage → artifacts/desktop/
#   bash scripts/desktop-build.sh --debug    debug build and .deb only (faster, for testing)
#   bash scripts/desktop-build.sh --check-only   only the checks below, on the last packages built
#
# The packages are then checked as a user would get them. The .deb: its declared dependencies
# are read, its files are unpacked into a temporary folder, and the packaged program is started
# in trial mode under Xvfb: its embedded server must answer with the demo data and the window
# is captured (artifacts/desktop/deb-essai.png). The AppImage: started in trial mode here and
# in a minimal Debian without GTK or WebKit (scripts/desktop-appimage.sh --check).
#
# Tauri's own AppImage bundler is not used: it downloads linuxdeploy from GitHub at build time,
# which this project does not allow (only package registries). Windows (msi/nsis) and macOS
# (dmg) are configured in tauri.conf.json but must be built on those systems.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Its own target folder: the desktop workspace must not wait on the server's build lock.
export CARGO_TARGET_DIR="${USINAGE_DESKTOP_TARGET_DIR:-$HOME/.cache/usinage/target-desktop}"

profile=release
tauri_args=()
check_only=0
for a in "$@"; do
  case "$a" in
    --debug) profile=debug; tauri_args+=(--debug) ;;
    --check-only) check_only=1 ;;
    *) echo "option inconnue : $a" >&2; exit 2 ;;
  esac
done

desktop_apt_deps() {
  apt_install libwebkit2gtk-4.1-dev build-essential file libxdo-dev libssl-dev \
    libayatana-appindicator3-dev librsvg2-dev pkg-config xvfb xauth imagemagick
}

# The .deb's own program, unpacked, in trial mode under Xvfb: the embedded server answers
# /readyz and has the demo users; the screen is captured once the window has painted.
check_package() {
  local deb="$1" work out
  work="$(mktemp -d /tmp/usinage-deb.XXXXXX)"
  out="$ROOT/artifacts/desktop"
  mkdir -p "$out"
  log "check the package $(basename "$deb")"
  echo "Depends: $(dpkg-deb -f "$deb" Depends)"
  dpkg-deb -x "$deb" "$work/root"
  local bin
  bin="$(find "$work/root/usr/bin" -type f -perm -u+x | head -1)"
  [ -x "$bin" ] || { echo "pas de programme dans usr/bin du paquet" >&2; return 1; }
  ls "$work/root/usr/share/applications/"*.desktop >/dev/null
  XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache" \
    USINAGE_DESKTOP_MODE=essai USINAGE_DESKTOP_LOG=info NO_COLOR=1 \
    xvfb-run -a -s "-screen 0 1366x900x24" bash -c '
      source "$4/scripts/lib.sh"
      "$1" >"$2/app.log" 2>&1 &
      app=$!
      trap "kill $app 2>/dev/null || true" EXIT
      url="$(wait_trial_server "$2/app.log" $app 60)"
      echo "trial server of the packaged app: $url"
      sleep 8
      import -window root "$3/deb-essai.png"
    ' _ "$bin" "$work" "$out" "$ROOT"
  rm -rf "$work"
  echo "package checked: artifacts/desktop/deb-essai.png"
}

desktop_npm_deps() {
  if [ ! -d desktop/node_modules ] || [ desktop/package-lock.json -nt desktop/node_modules/.package-lock.json ]; then
    log "npm ci (desktop)"
    (cd desktop && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

desktop_apt_deps
if [ $check_only = 1 ]; then
  deb="$(ls -t "$CARGO_TARGET_DIR/$profile/bundle/deb/"*.deb 2>/dev/null | head -1)"
  [ -n "$deb" ] || { echo "aucun .deb construit dans $CARGO_TARGET_DIR/$profile/bundle/deb" >&2; exit 1; }
  check_package "$deb"
  if [ $profile = release ]; then bash scripts/desktop-appimage.sh --check; fi
  exit 0
fi
web_build
desktop_npm_deps

log "tauri build ($profile, .deb)"
start=$(date +%s)
(cd desktop && npx tauri build "${tauri_args[@]}" --bundles deb --ci)
log "built in $(( $(date +%s) - start )) s"

mkdir -p artifacts/desktop
find "$CARGO_TARGET_DIR/$profile/bundle/deb" -name '*.deb' -newer desktop/src-tauri/Cargo.toml -exec cp -v {} artifacts/desktop/ \;
ls -l artifacts/desktop/*.deb
deb="$(find "$CARGO_TARGET_DIR/$profile/bundle/deb" -name '*.deb' -newer desktop/src-tauri/Cargo.toml | head -1)"
check_package "$deb"
if [ $profile = release ]; then
  log "AppImage"
  start=$(date +%s)
  bash scripts/desktop-appimage.sh "$deb"
  log "AppImage built in $(( $(date +%s) - start )) s"
  bash scripts/desktop-appimage.sh --check
fi
