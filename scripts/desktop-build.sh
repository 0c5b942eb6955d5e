#!/usr/bin/env bash
# Builds the desktop app (desktop/, Tauri 2) and its Linux package (.deb), from nothing:
# Debian packages, npm packages, the web UI (the trial mode embeds the server, which embeds
# web/dist), then `tauri build`. See docs/desktop.md.
#
#   bash scripts/desktop-build.sh            release .deb  → artifacts/desktop/
#   bash scripts/desktop-build.sh --debug    debug build and .deb (faster, for testing)
#
# The AppImage is not built: Tauri's AppImage bundler downloads linuxdeploy from GitHub at build
# time, which this project does not allow (only package registries). Windows (msi/nsis) and
# macOS (dmg) are configured in tauri.conf.json but must be built on those systems.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Its own target folder: the desktop workspace must not wait on the server's build lock.
export CARGO_TARGET_DIR="${USINAGE_DESKTOP_TARGET_DIR:-$HOME/.cache/usinage/target-desktop}"

profile=release
tauri_args=()
for a in "$@"; do
  case "$a" in
    --debug) profile=debug; tauri_args+=(--debug) ;;
    *) echo "option inconnue : $a" >&2; exit 2 ;;
  esac
done

desktop_apt_deps() {
  apt_install libwebkit2gtk-4.1-dev build-essential file libxdo-dev libssl-dev \
    libayatana-appindicator3-dev librsvg2-dev pkg-config
}

desktop_npm_deps() {
  if [ ! -d desktop/node_modules ] || [ desktop/package-lock.json -nt desktop/node_modules/.package-lock.json ]; then
    log "npm ci (desktop)"
    (cd desktop && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

desktop_apt_deps
web_build
desktop_npm_deps

log "tauri build ($profile, .deb)"
start=$(date +%s)
(cd desktop && npx tauri build "${tauri_args[@]}" --bundles deb --ci)
log "built in $(( $(date +%s) - start )) s"

mkdir -p artifacts/desktop
find "$CARGO_TARGET_DIR/$profile/bundle/deb" -name '*.deb' -newer desktop/src-tauri/Cargo.toml -exec cp -v {} artifacts/desktop/ \;
ls -l artifacts/desktop/*.deb
