#!/usr/bin/python3
# bench_precheck.py: what the pre-check adds to an import
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench_precheck.py ASSAY_CLI [SOURCES [CHARS]]
#
# Writes a JSONL file of SOURCES fictional sources (default 5000) of about
# CHARS characters each (default 3000), full of figures, dates and names,
# with three candidates each, some faithful and some not; imports it twice
# into fresh projects with `assay-cli import`, once with --no-precheck and
# once with the pre-check, and prints the seconds each took and the
# difference. Then does the same for one source of about 1 MB.

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

FIRST = ["Erik", "Anna", "Tomas", "Lina", "Priya", "Samuel", "Mei", "James", "Rosa", "Dina"]
LAST = ["Lund", "Hansen", "Berg", "Moe", "Raman", "Okafor", "Tanaka", "Okoro", "Castellano"]
PLACES = ["Bergen", "Leeds", "Aberdeen", "Marlow Bay", "Eastfield", "Kirkby", "Lowmoor"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def sentence(rng):
    who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    kind = rng.randrange(4)
    if kind == 0:
        return (f"{who} said the {rng.choice(PLACES)} office spent "
                f"${rng.randrange(1, 900)},{rng.randrange(100, 999)} on repairs.")
    if kind == 1:
        return (f"On {rng.randrange(1, 28)} {rng.choice(MONTHS)} {rng.randrange(2015, 2026)} "
                f"the board met at {rng.randrange(9, 17)}:00 in {rng.choice(PLACES)}.")
    if kind == 2:
        return (f"Leak losses fell from {rng.randrange(10, 30)}% to "
                f"{rng.randrange(1, 9)}.{rng.randrange(0, 9)}% over {rng.randrange(2, 9)} years.")
    return (f"Dr. {who} prescribed {rng.randrange(5, 500)} mg twice a day for "
            f"{rng.randrange(3, 30)} days.")


def text_of(rng, chars):
    parts, n = [], 0
    while n < chars:
        s = sentence(rng)
        parts.append(s)
        n += len(s) + 1
    return " ".join(parts)


def write_jsonl(path, n_sources, chars, seed=7):
    rng = random.Random(seed)
    with open(path, "w") as f:
        for i in range(n_sources):
            text = text_of(rng, chars)
            sentences = text.split(". ")
            cands = []
            for c in range(3):
                picked = rng.sample(sentences, min(6, len(sentences)))
                cand = ". ".join(picked)
                if c == 2:
                    cand += f" {text_of(rng, 200)}"  # some of it invented
                cands.append({"id": "abc"[c], "model": f"m{c}", "text": cand})
            f.write(json.dumps({"id": f"s{i}", "text": text, "candidates": cands}) + "\n")


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_import(cli, directory, name, jsonl, extra):
    """The import's wall-clock and CPU seconds (the CPU time does not depend
    on what else the machine is doing)."""
    project = os.path.join(directory, name)
    subprocess.run([cli, "init", project], check=True)
    started, cpu = time.monotonic(), cpu_of_children()
    subprocess.run([cli, "import", *extra, project, jsonl], check=True)
    return time.monotonic() - started, cpu_of_children() - cpu


def compare(cli, directory, label, n_sources, chars):
    jsonl = os.path.join(directory, f"{label}.jsonl")
    write_jsonl(jsonl, n_sources, chars)
    size = os.path.getsize(jsonl) / 1e6
    wall_off, cpu_off = timed_import(cli, directory, f"{label}-off.assay", jsonl,
                                     ["--no-precheck"])
    wall_on, cpu_on = timed_import(cli, directory, f"{label}-on.assay", jsonl, [])
    print(f"{label}: {n_sources} sources, {size:.1f} MB, {3 * n_sources} candidates")
    print(f"  without the pre-check: {wall_off:.2f} s ({cpu_off:.2f} s CPU)")
    print(f"  with it:               {wall_on:.2f} s ({cpu_on:.2f} s CPU)")
    print(f"  the pre-check adds {cpu_on - cpu_off:.2f} s CPU "
          f"({1000 * (cpu_on - cpu_off) / (3 * n_sources):.2f} ms per candidate, "
          f"{100 * (cpu_on - cpu_off) / cpu_off:.0f}% of the import's CPU time)")


def main():
    cli = sys.argv[1]
    n_sources = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    chars = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    with tempfile.TemporaryDirectory() as directory:
        compare(cli, directory, "many", n_sources, chars)
        compare(cli, directory, "one-1MB", 1, 1_000_000)


if __name__ == "__main__":
    main()
