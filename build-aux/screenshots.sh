#!/usr/bin/env bash
# Regenerates data/screenshots/ (README and AppStream) from the real window
# on a copy of the demo project, under Xvfb.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${ASSAY_BUILDDIR:-$here/_build}

"$here/build-aux/dev.sh" deps
[ -f "$builddir/build.ninja" ] || meson setup "$builddir" "$here"
meson compile -C "$builddir" tests/assay-screenshots data/demo/demo.assay data/gschemas.compiled

mkdir -p "$here/data/screenshots"
GSETTINGS_BACKEND=memory \
GSETTINGS_SCHEMA_DIR="$builddir/data" \
ASSAY_DEMO_PROJECT="$builddir/data/demo/demo.assay" \
  xvfb-run -a -s "-screen 0 1400x900x24" "$builddir/tests/assay-screenshots" "$here/data/screenshots"
