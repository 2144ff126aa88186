#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Measures evidence suggestions on an evaluation set, through assay-cli.

    tests/evidence-eval.py --cli BUILD/src/cli/assay-cli \
        --sources tests/data/evidence/sources.jsonl --claims tests/data/evidence-eval.jsonl

Each claim names its source and quotes the passages a person would pick as its
evidence. A passage returned by `assay-cli evidence --json` is relevant when it
overlaps one of those quotes. Prints precision@1, recall@3 (the share of a
claim's quotes covered by the first three passages, averaged over claims) and
the mean reciprocal rank of the first relevant passage. With --min-p1,
--min-r3 and --min-mrr, exits 1 when a measure falls below its floor (the
test suite runs it so).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def source_text(record):
    if "text" in record:
        return record["text"]
    return "\n".join(seg["text"] for seg in record["segments"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--sources", required=True)
    ap.add_argument("--claims", required=True)
    ap.add_argument("--min-p1", type=float, default=0)
    ap.add_argument("--min-r3", type=float, default=0)
    ap.add_argument("--min-mrr", type=float, default=0)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    texts = {}
    with open(args.sources, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                texts[record["id"]] = source_text(record)

    claims = []
    with open(args.claims, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            claim = json.loads(line)
            text = texts[claim["source"]]
            ranges = []
            for quote in claim["evidence"]:
                at = text.find(quote)
                if at < 0:
                    sys.exit(f"{args.claims}:{n}: the quote {quote!r} is not in {claim['source']}")
                ranges.append((at, at + len(quote)))
            claims.append((claim, ranges))

    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "eval.assay")
        subprocess.run([args.cli, "init", project], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([args.cli, "import", project, args.sources], check=True,
                       stdout=subprocess.DEVNULL)
        p1 = r3 = mrr = 0.0
        for claim, ranges in claims:
            out = subprocess.run([args.cli, "evidence", project, "--source", claim["source"],
                                  "--text", claim["claim"], "--json", "--limit", "10"],
                                 check=True, capture_output=True, text=True).stdout
            passages = json.loads(out)

            def relevant(p):
                return [i for i, (s, e) in enumerate(ranges) if p["start"] < e and s < p["end"]]

            first = next((rank for rank, p in enumerate(passages, 1) if relevant(p)), None)
            covered = set()
            for p in passages[:3]:
                covered.update(relevant(p))
            p1 += 1 if first == 1 else 0
            r3 += len(covered) / len(ranges)
            mrr += 1 / first if first else 0
            if args.verbose and first != 1:
                top = passages[0]["text"] if passages else "(nothing)"
                print(f"rank {first}: {claim['claim']}\n    top: {top}")
        n = len(claims)
        p1, r3, mrr = p1 / n, r3 / n, mrr / n

    print(f"claims {n}  precision@1 {p1:.3f}  recall@3 {r3:.3f}  MRR {mrr:.3f}")
    if p1 < args.min_p1 or r3 < args.min_r3 or mrr < args.min_mrr:
        print("below the floor", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
