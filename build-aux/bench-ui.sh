#!/usr/bin/env bash
# Measures the workbench in the running window under Xvfb (see
# tests/bench/bench-ui.c). The projects it needs are built once, in the
# build directory, and kept.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${ASSAY_BUILDDIR:-$here/_build}

[ -f "$builddir/build.ninja" ] || meson setup "$builddir" "$here"
meson compile -C "$builddir" tests/bench/bench-ui data/gschemas.compiled

GSETTINGS_BACKEND=memory \
GSETTINGS_SCHEMA_DIR="$builddir/data" \
ASSAY_SRCDIR="$here" \
  xvfb-run -a -s "-screen 0 1400x900x24" \
  "$builddir/tests/bench/bench-ui" --dir "$builddir/tests/bench" "$@"
