#!/usr/bin/env bash
# Builds the desktop app's AppImage from the .deb that `tauri build` made, without linuxdeploy
# or appimagetool (GitHub-only downloads, not allowed here): Debian's packages and the
# project's own runtime (crates/appimage-runtime). Called by scripts/desktop-build.sh;
# see docs/desktop.md.
#
#   bash scripts/desktop-appimage.sh [file.deb]       → artifacts/desktop/*.AppImage
#   bash scripts/desktop-appimage.sh --check [file.AppImage]
#
# What goes in (the AppDir):
#   - the .deb's files (program, .desktop, icons);
#   - WebKitGTK's helper programs (web, network, GPU processes, injected bundle), GTK's image
#     loaders, GIO modules (TLS for WebKit's network process), compiled GSettings schemas,
#     the Adwaita and hicolor icon themes;
#   - every shared library these need, except the ones a desktop must provide itself because
#     they are tied to its graphics driver, display server or fonts (EXCLUDED below).
# WebKitGTK finds its helpers under an absolute path compiled in: the bundled copy of
# libwebkit2gtk is patched to look under "././/lib/..." (same length), and AppRun starts
# the program from inside usr/. The programs get an RPATH to the bundled libraries, so no
# LD_LIBRARY_PATH leaks into the programs the app opens (PDF viewer, browser).
#
# --check runs the AppImage in trial mode under Xvfb twice: on this machine, checking that
# WebKit was loaded from the AppImage and not from /usr/lib; then inside a minimal Debian
# (debootstrap, cached in ~/.cache/usinage/appimage-root) holding only what any Linux
# desktop has (libc, X11, OpenGL, fontconfig, fonts): no GTK, no WebKit, no GLib.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/usinage/target}"
OUT="$ROOT/artifacts/desktop"
MULTIARCH=x86_64-linux-gnu
WEBKIT_DIR=/usr/lib/$MULTIARCH/webkit2gtk-4.1

# Provided by the desktop: graphics drivers and what they link (OpenGL/EGL/GBM/DRM, X11/xcb),
# fonts (fontconfig, freetype, expat: host fonts.conf must be read by the host's parser),
# the C library, sound.
EXCLUDED='^(ld-linux-x86-64|libc|libm|libdl|libpthread|librt|libresolv|libutil|libanl|libnsl|libBrokenLocale|libmvec)\.so|^lib(GL|GLX|GLdispatch|EGL|OpenGL|GLESv2|gbm|drm)\.so|^lib(X11|X11-xcb|xcb|Xau|Xdmcp)\.so|^lib(fontconfig|freetype|expat)\.so|^libasound\.so|^libgcc_s\.so'

apt_install squashfs-tools patchelf file

build() {
  local deb="$1"
  [ -f "$deb" ] || { echo "paquet .deb introuvable : $deb" >&2; exit 1; }
  local version app_dir program name
  version="$(dpkg-deb -f "$deb" Version)"
  app_dir="$(mktemp -d /tmp/usinage-appdir.XXXXXX)/AppDir"
  log "AppDir from $(basename "$deb")"
  dpkg-deb -x "$deb" "$app_dir"
  program="$(find "$app_dir/usr/bin" -maxdepth 1 -type f -perm -u+x | head -1)"
  name="$(basename "$program")"
  [ -x "$program" ] || { echo "pas de programme dans usr/bin du paquet" >&2; exit 1; }

  # WebKitGTK's helpers, GTK/GIO modules and data.
  mkdir -p "$app_dir/usr/lib/$MULTIARCH/webkit2gtk-4.1/injected-bundle" \
    "$app_dir/usr/lib/gdk-pixbuf-2.0/loaders" "$app_dir/usr/lib/gio/modules" \
    "$app_dir/usr/share/glib-2.0/schemas" "$app_dir/usr/share/icons"
  for helper in WebKitWebProcess WebKitNetworkProcess WebKitGPUProcess; do
    [ -f "$WEBKIT_DIR/$helper" ] && cp "$WEBKIT_DIR/$helper" "$app_dir/usr/lib/$MULTIARCH/webkit2gtk-4.1/"
  done
  cp "$WEBKIT_DIR/injected-bundle/libwebkit2gtkinjectedbundle.so" "$app_dir/usr/lib/$MULTIARCH/webkit2gtk-4.1/injected-bundle/"
  local pixbuf=/usr/lib/$MULTIARCH/gdk-pixbuf-2.0/2.10.0
  cp "$pixbuf"/loaders/*.so "$app_dir/usr/lib/gdk-pixbuf-2.0/loaders/"
  # Absolute paths in the cache: AppRun writes the real one at start, with the AppDir's path.
  sed "s|$pixbuf/loaders|@APPDIR@/usr/lib/gdk-pixbuf-2.0/loaders|g" "$pixbuf/loaders.cache" \
    > "$app_dir/usr/lib/gdk-pixbuf-2.0/loaders.cache.in"
  cp /usr/lib/$MULTIARCH/gio/modules/*.so "$app_dir/usr/lib/gio/modules/"
  cp /usr/share/glib-2.0/schemas/gschemas.compiled "$app_dir/usr/share/glib-2.0/schemas/"
  cp -r /usr/share/icons/Adwaita /usr/share/icons/hicolor "$app_dir/usr/share/icons/" 2>/dev/null || true
  # The deb's own icons went to usr/share/icons/hicolor first: the copy above merged, not replaced.

  # Every library the bundled programs and modules need, minus the desktop's own.
  log "libraries"
  local roots libs=0
  roots="$(find "$app_dir/usr" -type f \( -perm -u+x -o -name '*.so' -o -name '*.so.*' \) -exec sh -c 'file -b "$1" | grep -q "^ELF"' _ {} \; -print)"
  while read -r soname path; do
    [ -n "$path" ] || continue
    if [[ "$soname" =~ $EXCLUDED ]]; then continue; fi
    [ -f "$app_dir/usr/lib/$soname" ] && continue
    cp -L "$path" "$app_dir/usr/lib/$soname"
    libs=$((libs + 1))
  done < <(for f in $roots; do ldd "$f" 2>/dev/null; done | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | sort -u)
  echo "$libs libraries bundled"
  if ldd "$program" | grep -q "not found"; then
    ldd "$program" | grep "not found" >&2
    exit 1
  fi

  # WebKit looks for its helpers under the absolute path it was built with: same-length
  # relative path, resolved from usr/ where AppRun starts the program.
  local webkit="$app_dir/usr/lib/libwebkit2gtk-4.1.so.0"
  local patched
  patched="$(perl -0777 -pi -e '$n = s{/usr/lib/x86_64-linux-gnu/webkit2gtk-4\.1}{././/lib/x86_64-linux-gnu/webkit2gtk-4.1}g; END { print STDERR "$n\n" }' "$webkit" 2>&1)"
  [ "${patched:-0}" -ge 1 ] || { echo "chemin des processus WebKit introuvable dans $webkit" >&2; exit 1; }
  echo "libwebkit2gtk: $patched helper path(s) made relative"

  # Programs find the bundled libraries through their RPATH ($ORIGIN), no LD_LIBRARY_PATH.
  patchelf --force-rpath --set-rpath '$ORIGIN/../lib' "$program"
  for helper in "$app_dir/usr/lib/$MULTIARCH/webkit2gtk-4.1"/WebKit*Process; do
    patchelf --force-rpath --set-rpath '$ORIGIN/../..' "$helper"
  done

  cat > "$app_dir/AppRun" <<EOF
#!/bin/sh
# Started by the AppImage runtime with APPDIR set (or from an extracted folder).
HERE="\${APPDIR:-\$(dirname "\$(readlink -f "\$0")")}"
if [ ! -f "\$HERE/usr/lib/gdk-pixbuf-2.0/loaders.cache" ]; then
  sed "s|@APPDIR@|\$HERE|g" "\$HERE/usr/lib/gdk-pixbuf-2.0/loaders.cache.in" > "\$HERE/usr/lib/gdk-pixbuf-2.0/loaders.cache.tmp" &&
    mv "\$HERE/usr/lib/gdk-pixbuf-2.0/loaders.cache.tmp" "\$HERE/usr/lib/gdk-pixbuf-2.0/loaders.cache"
fi
export GDK_PIXBUF_MODULE_FILE="\$HERE/usr/lib/gdk-pixbuf-2.0/loaders.cache"
export GIO_MODULE_DIR="\$HERE/usr/lib/gio/modules"
export GSETTINGS_SCHEMA_DIR="\$HERE/usr/share/glib-2.0/schemas"
export XDG_DATA_DIRS="\$HERE/usr/share:\${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
# Tauri takes APPDIR/APPIMAGE for a FUSE mount under /tmp/.mount_* and warns otherwise; the
# app reads no resource from them (everything is in the program), so they stop here.
unset APPDIR APPIMAGE
# WebKit's helper paths are relative to usr/ (see scripts/desktop-appimage.sh).
cd "\$HERE/usr" || exit 1
exec "\$HERE/usr/bin/$name" "\$@"
EOF
  chmod 755 "$app_dir/AppRun"
  local desktop_file icon
  desktop_file="$(ls "$app_dir/usr/share/applications/"*.desktop | head -1)"
  cp "$desktop_file" "$app_dir/"
  icon="$(sed -n 's/^Icon=//p' "$desktop_file")"
  cp "$(find "$app_dir/usr/share/icons/hicolor" -name "$icon.png" | sort -V | tail -1)" "$app_dir/$icon.png"
  ln -sf "$icon.png" "$app_dir/.DirIcon"

  log "runtime"
  cargo build --release --locked -p usinage-appimage-runtime
  local runtime="$CARGO_TARGET_DIR/release/usinage-appimage-runtime"

  log "SquashFS image"
  local image="${app_dir%/AppDir}/app.squashfs"
  mksquashfs "$app_dir" "$image" -root-owned -noappend -comp gzip -quiet -no-progress
  mkdir -p "$OUT"
  local target="$OUT/Gestion_Usinage-$version-x86_64.AppImage"
  cat "$runtime" "$image" > "$target"
  printf 'AI\002' | dd of="$target" bs=1 seek=8 conv=notrunc status=none
  chmod 755 "$target"
  rm -rf "${app_dir%/AppDir}"
  ls -l "$target"
}

# Trial mode under Xvfb (display :$2 already running), in the root folder $3 ("/" = here).
# Prints the trial server's URL once it answers /readyz and /api/v1/info with the demo data.
run_trial() {
  local app="$1" display="$2" root="$3" work="$4"
  local run=(env -i PATH=/usr/bin:/bin HOME=/root DISPLAY=":$display" LANG=C.UTF-8
    XDG_CONFIG_HOME=/tmp/essai/config XDG_DATA_HOME=/tmp/essai/data XDG_CACHE_HOME=/tmp/essai/cache
    USINAGE_DESKTOP_MODE=essai USINAGE_DESKTOP_LOG=info NO_COLOR=1)
  if [ "$root" = / ]; then
    rm -rf /tmp/essai
    "${run[@]}" "$app" >"$work/app.log" 2>&1 &
  else
    rm -rf "$root/tmp/essai"
    cp "$app" "$root/tmp/app.AppImage"
    chroot "$root" "${run[@]}" /tmp/app.AppImage >"$work/app.log" 2>&1 &
  fi
  echo $! > "$work/pid"
  wait_trial_server "$work/app.log" "$(cat "$work/pid")" 90
}

# The runtime, AppRun and chroot all exec: the PID is the app's, which owns the embedded
# server; WebKit's helpers end with it.
stop_trial() {
  local work="$1" pid
  pid="$(cat "$work/pid" 2>/dev/null)" || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$work/pid"
}

# The window must show the login page: WebKit's web process painted it.
webkit_pids_from() {
  local dir="$1"
  local pid
  for pid in $(pgrep -f WebKitWebProcess); do
    grep -q "$dir.*libwebkit2gtk-4.1.so.0" "/proc/$pid/maps" 2>/dev/null && echo "$pid"
  done
}

# What any Linux desktop has, and nothing of GTK, GLib or WebKit.
DESKTOP_BASE="libgl1 libegl1 libgles2 libgbm1 libx11-6 libx11-xcb1 libxcb1 libfontconfig1 libfreetype6 libexpat1 libasound2 fonts-dejavu-core"

minimal_root() {
  local root="$HOME/.cache/usinage/appimage-root"
  if [ ! -f "$root/.ready" ]; then
    log "minimal Debian for the check (debootstrap, once)"
    apt_install debootstrap
    rm -rf "$root"
    mkdir -p "$(dirname "$root")"
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$root.log" 2>&1 ||
      { tail -20 "$root.log" >&2; exit 1; }
    touch "$root/.ready"
  fi
  if [ "$(cat "$root/.ready")" != "$DESKTOP_BASE" ]; then
    # shellcheck disable=SC2086
    chroot "$root" apt-get install -y -q --no-install-recommends $DESKTOP_BASE >>"$root.log" 2>&1 ||
      { tail -20 "$root.log" >&2; exit 1; }
    chroot "$root" apt-get clean
    echo "$DESKTOP_BASE" > "$root/.ready"
  fi
  if chroot "$root" sh -c 'ls /usr/lib/x86_64-linux-gnu/ | grep -E "^lib(gtk-3|webkit2gtk|glib-2)"'; then
    echo "la racine minimale contient GTK/GLib/WebKit : elle ne prouve rien" >&2
    exit 1
  fi
  echo "$root"
}

check() {
  local app="$1"
  [ -x "$app" ] || { echo "AppImage introuvable : $app" >&2; exit 1; }
  apt_install xvfb xauth imagemagick curl
  local display=77 url
  # Global: the EXIT trap reads it after this function has returned.
  work="$(mktemp -d /tmp/usinage-appimage-check.XXXXXX)"
  Xvfb ":$display" -screen 0 1366x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
  xvfb=$!
  trap 'stop_trial "$work"; kill $xvfb 2>/dev/null || true; umount_root' EXIT
  sleep 1

  log "AppImage on this machine"
  url="$(run_trial "$app" $display / "$work")"
  echo "trial server of the AppImage: $url"
  sleep 8
  local pids
  pids="$(webkit_pids_from /tmp/essai/cache/usinage-appimage)"
  [ -n "$pids" ] || { echo "WebKit n'a pas été chargé depuis l'AppImage" >&2; exit 1; }
  local maps=("/proc/$(cat "$work/pid")/maps")
  for pid in $pids; do maps+=("/proc/$pid/maps"); done
  if grep -h "libwebkit2gtk-4.1.so" "${maps[@]}" | grep -q " /usr/lib"; then
    echo "WebKit du système chargé à la place de celui de l'AppImage" >&2
    exit 1
  fi
  echo "WebKit web process(es) $(echo $pids) run the bundled WebKit"
  DISPLAY=":$display" import -window root "$OUT/appimage-essai.png"
  stop_trial "$work"

  log "AppImage in a minimal Debian (no GTK, GLib, WebKit)"
  local root
  root="$(minimal_root | tail -1)"
  mount_root "$root"
  url="$(run_trial "$app" $display "$root" "$work")"
  echo "trial server of the AppImage in the minimal root: $url"
  sleep 10
  DISPLAY=":$display" import -window root "$OUT/appimage-essai-debian-minimal.png"
  stop_trial "$work"
  echo "AppImage checked: artifacts/desktop/appimage-essai.png, artifacts/desktop/appimage-essai-debian-minimal.png"
}

MOUNTED=""
mount_root() {
  local root="$1"
  mkdir -p "$root/tmp/.X11-unix"
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
  MOUNTED="$root"
}
umount_root() {
  [ -n "$MOUNTED" ] || return 0
  umount -l "$MOUNTED/tmp/.X11-unix" "$MOUNTED/proc" 2>/dev/null || true
  umount -R -l "$MOUNTED/dev" 2>/dev/null || true
  MOUNTED=""
}

case "${1:-}" in
  --check)
    check "${2:-$(ls -t "$OUT"/*.AppImage 2>/dev/null | head -1)}"
    ;;
  *)
    deb="${1:-$(ls -t "$HOME/.cache/usinage/target-desktop/release/bundle/deb/"*.deb 2>/dev/null | head -1)}"
    build "$deb"
    ;;
esac
