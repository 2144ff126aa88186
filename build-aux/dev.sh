#!/usr/bin/env bash
# Set up, build and run Assay on Debian or Ubuntu.
#
#   build-aux/dev.sh run [PROJECT]   install what is missing, build, open the app
#                                    (on the bundled demo project unless given one)
#   build-aux/dev.sh test            install what is missing, build, run every test
#   build-aux/dev.sh deps            only install what is missing
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${ASSAY_BUILDDIR:-$here/_build}

# Build tools and libraries; the validators of the data files; what the
# tests drive the app with (a display, the session and accessibility buses);
# the Python modules the test scripts import; and clang with its sanitizer
# and libFuzzer runtimes and llvm-symbolizer, for the sanitizer and fuzz
# builds that .ci/run adds (tests/fuzz/README).
packages=(
  build-essential pkg-config meson ninja-build gettext
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libsqlite3-dev libjansson-dev
  libsoup-3.0-dev libsecret-1-dev
  desktop-file-utils appstream shared-mime-info
  xvfb xauth dbus dbus-daemon dbus-x11 at-spi2-core libx11-dev libxtst-dev
  python3 python3-gi gir1.2-glib-2.0 gir1.2-atspi-2.0 python3-pyatspi
  python3-jsonschema python3-pandas python3-nltk
  clang libclang-rt-14-dev llvm
)

install_missing () {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build () {
  if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$here"
  fi
  meson compile -C "$builddir"
}

case "${1:-run}" in
  deps)
    install_missing
    ;;
  run)
    install_missing
    build
    shift || true
    # meson devenv points the app at the schema and demo built in the tree.
    if [ $# -gt 0 ]; then
      project=$(realpath "$1")
      exec meson devenv -C "$builddir" src/ui/assay "$project"
    fi
    # The demo opens as a copy in the data folder, so the one in the build
    # tree stays as built.
    exec meson devenv -C "$builddir" src/ui/assay --demo
    ;;
  test)
    install_missing
    build
    # UI tests need a display, a session bus and the accessibility bus.
    exec xvfb-run -a -s "-screen 0 1280x800x24" \
      dbus-run-session -- meson test -C "$builddir" --print-errorlogs "${@:2}"
    ;;
  *)
    echo "usage: $0 run [PROJECT] | test | deps" >&2
    exit 2
    ;;
esac
