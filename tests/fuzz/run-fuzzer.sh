#!/bin/sh
# Runs one fuzz target for ASSAY_FUZZ_SECONDS (30 by default), starting
# from its seed corpus. New inputs go to WORKDIR/corpus and a crash, leak or
# hang to WORKDIR/artifacts, never into the source tree.
#
#   run-fuzzer.sh FUZZER SEEDS WORKDIR
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fuzzer=$1
seeds=$2
work=$3

mkdir -p "$work/corpus" "$work/artifacts"
exec "$fuzzer" -max_total_time="${ASSAY_FUZZ_SECONDS:-30}" -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds"
