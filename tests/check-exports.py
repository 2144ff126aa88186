#!/usr/bin/python3
# check-exports.py: the dataset exports pass their JSON Schemas and pandas reads them
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage:
#   check-exports.py --srcdir SRCDIR --dir DIR
#       checks every export in DIR (test-export writes them);
#   check-exports.py --srcdir SRCDIR --cli ASSAY_CLI --project PROJECT
#       exports PROJECT in every format and variant with assay-cli, then checks
#       those files (meson runs this on the demo project).
#
# A file's name says its format: FORMAT.EXT or FORMAT--VARIANT.EXT, and a split
# file adds the split before the extension (preference--split.train.jsonl). For
# each file:
#   - every JSONL line is a JSON object valid against
#     data/schemas/assay-export-FORMAT.schema.json (draft 2020-12), and every
#     line has the same keys;
#   - pandas.read_json(lines=True) reads it, with one row per line and those
#     keys as its columns;
#   - the CSV starts with the header row (no byte order mark), ends its rows
#     with CRLF, each row as csv.DictReader gives it is valid against
#     assay-export-scores-csv.schema.json, and pandas.read_csv reads it with the
#     same rows and columns;
#   - the records of a split file say that split in their metadata, and the
#     scores of scores.jsonl and scores-csv.csv in one directory are the same.
#
# Needs python3-jsonschema and python3-pandas (Debian), hence /usr/bin/python3.
# Exits 0 when all is well, 1 with a list of problems, 2 on bad usage, 77 (skip)
# when a module is missing.

import argparse
import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
    from jsonschema import Draft202012Validator
    import pandas
except ImportError as e:
    sys.stderr.write(f"check-exports.py: needs jsonschema and pandas ({e}); run it with /usr/bin/python3\n")
    sys.exit(77)

CSV_COLUMNS = ["source", "candidate", "model", "annotator", "annotator_kind", "criterion", "score",
               "scale_min", "scale_max", "weight", "rationale", "updated"]

# What assay-cli is asked to write in --cli mode: file name, then its arguments.
CLI_EXPORTS = [
    ("sft.jsonl", ["--format", "sft"]),
    ("sft--provenance.jsonl", ["--format", "sft", "--provenance"]),
    ("sft--pc.jsonl", ["--format", "sft", "--style", "prompt-completion"]),
    ("sft--pc-conversational.jsonl", ["--format", "sft", "--style", "prompt-completion", "--conversational"]),
    ("preference.jsonl", ["--format", "preference"]),
    ("preference--conversational.jsonl", ["--format", "preference", "--conversational"]),
    ("dpo-openai.jsonl", ["--format", "dpo-openai"]),
    ("dpo-openai--provenance.jsonl", ["--format", "dpo-openai", "--provenance"]),
    ("eval.jsonl", ["--format", "eval"]),
    ("openai-evals.jsonl", ["--format", "openai-evals"]),
    ("openai-evals--provenance.jsonl", ["--format", "openai-evals", "--provenance"]),
    ("scores.jsonl", ["--format", "scores"]),
    ("scores-csv.csv", ["--format", "scores-csv"]),
    ("eval--split.jsonl", ["--format", "eval", "--split", "train=0.5,test=0.5", "--seed", "3"]),
    ("scores-csv--split.csv", ["--format", "scores-csv", "--split", "train=0.5,test=0.5"]),
]

# The seed and fractions of the split files that --cli mode and test-export
# write, so that the split of every source can be worked out independently.
SPLITS = {
    "eval--split": (3, [("train", 0.5), ("test", 0.5)]),
    "scores-csv--split": (0, [("train", 0.5), ("test", 0.5)]),
    "preference--split": (0, [("train", 0.5), ("test", 0.5)]),
}

problems = []


def split_of(seed, fractions, source_id):
    """The split a source goes to, as docs/formats.md ("Splits") defines it."""
    digest = hashlib.sha256(f"{seed}:{source_id}".encode()).digest()
    u = (int.from_bytes(digest[:8], "big") >> 11) / 2**53
    total = 0.0
    for name, fraction in fractions:
        total += fraction
        if u < total:
            return name
    return fractions[-1][0]


def problem(where, message):
    problems.append(f"{where}: {message}")


def parse_name(name):
    """(format, split or None) from FORMAT[--VARIANT][.SPLIT].EXT."""
    stem, _ = os.path.splitext(name)
    head, dot, tail = stem.rpartition(".")
    split = tail if dot else None
    base = head if dot else stem
    return base.split("--", 1)[0], split


def load_schema(srcdir, fmt):
    path = os.path.join(srcdir, "data", "schemas", f"assay-export-{fmt}.schema.json")
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def errors_of(validator, instance):
    out = []
    for error in validator.iter_errors(instance):
        leaf = jsonschema.exceptions.best_match([error])
        while leaf.context:
            leaf = jsonschema.exceptions.best_match(leaf.context)
        path = "/".join(str(p) for p in leaf.absolute_path) or "(record)"
        out.append(f"{path}: {leaf.message}")
    return out


def check_split_sources(name, split, records):
    base = name.split(".", 1)[0]
    if split is None or base not in SPLITS:
        return
    seed, fractions = SPLITS[base]
    for i, record in enumerate(records, 1):
        meta = record.get("metadata")
        source = record["source"] if "source" in record else (meta or {}).get("source")
        if source is None:
            continue
        expected = split_of(seed, fractions, source)
        if expected != split:
            problem(f"{name}: record {i}", f"source {source!r} belongs in split {expected!r}, not {split!r}")


def check_jsonl(path, validator, split):
    where = os.path.basename(path)
    records = []
    keys = None
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    if text and not text.endswith("\n"):
        problem(where, "does not end with a line feed")
    for lineno, line in enumerate(text.split("\n")[:-1] if text else [], 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            problem(f"{where}:{lineno}", f"not JSON: {e.msg}")
            continue
        if not isinstance(record, dict):
            problem(f"{where}:{lineno}", "not a JSON object")
            continue
        for e in errors_of(validator, record):
            problem(f"{where}:{lineno}", e)
        if keys is None:
            keys = list(record)
        elif set(record) != set(keys):
            problem(f"{where}:{lineno}", f"keys {sorted(record)} differ from the first line's {sorted(keys)}")
        meta = record.get("metadata")
        if split is not None and isinstance(meta, dict) and meta.get("split") != split:
            problem(f"{where}:{lineno}", f"metadata.split is {meta.get('split')!r}, not {split!r}")
        records.append(record)

    if records:
        frame = pandas.read_json(path, lines=True, dtype=False)
        if len(frame) != len(records):
            problem(where, f"pandas read {len(frame)} rows, the file has {len(records)} lines")
        if sorted(frame.columns) != sorted(keys):
            problem(where, f"pandas columns {sorted(frame.columns)}, expected {sorted(keys)}")
    return records


def check_csv(path, validator, split):
    where = os.path.basename(path)
    with open(path, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        problem(where, "starts with a byte order mark")
    header = ",".join(CSV_COLUMNS).encode() + b"\r\n"
    if not raw.startswith(header):
        problem(where, f"does not start with the header row {header!r}")
    if not raw.endswith(b"\r\n"):
        problem(where, "does not end with CRLF")
    text = raw.decode("utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames != CSV_COLUMNS:
        problem(where, f"columns {reader.fieldnames}, expected {CSV_COLUMNS}")
    rows = list(reader)
    for i, row in enumerate(rows, 2):
        for e in errors_of(validator, row):
            problem(f"{where}: row {i}", e)

    frame = pandas.read_csv(path, dtype=str, keep_default_na=False)
    if len(frame) != len(rows):
        problem(where, f"pandas read {len(frame)} rows, the csv module {len(rows)}")
    if list(frame.columns) != CSV_COLUMNS:
        problem(where, f"pandas columns {list(frame.columns)}, expected {CSV_COLUMNS}")
    elif rows and frame.to_dict("records") != rows:
        problem(where, "pandas and the csv module read different values")
    return rows


def same_scores(jsonl_rows, csv_rows, where):
    if len(jsonl_rows) != len(csv_rows):
        problem(where, f"scores.jsonl has {len(jsonl_rows)} rows, scores-csv.csv {len(csv_rows)}")
        return
    for i, (j, c) in enumerate(zip(jsonl_rows, csv_rows), 1):
        for col in CSV_COLUMNS:
            value = j[col]
            text = "" if value is None else (json.dumps(value) if isinstance(value, (int, float))
                                             and not isinstance(value, bool) else str(value))
            if isinstance(value, float) and value.is_integer():
                text = str(int(value))
            if text != c[col]:
                problem(f"{where}: row {i}", f"{col} is {text!r} in JSONL and {c[col]!r} in CSV")


def check_dir(srcdir, directory):
    validators = {}
    counts = {}
    jsonl_scores = csv_scores = None
    names = sorted(n for n in os.listdir(directory) if n.endswith((".jsonl", ".csv")))
    if not names:
        problem(directory, "holds no exports")
    for name in names:
        fmt, split = parse_name(name)
        try:
            if fmt not in validators:
                validators[fmt] = load_schema(srcdir, fmt)
        except (OSError, json.JSONDecodeError, jsonschema.exceptions.SchemaError) as e:
            problem(name, f"no usable schema for format {fmt!r}: {e}")
            continue
        path = os.path.join(directory, name)
        if name.endswith(".csv"):
            rows = check_csv(path, validators[fmt], split)
            if name == "scores-csv.csv":
                csv_scores = rows
        else:
            rows = check_jsonl(path, validators[fmt], split)
            if name == "scores.jsonl":
                jsonl_scores = rows
        check_split_sources(name, split, rows)
        counts[name] = len(rows)
    if jsonl_scores is not None and csv_scores is not None:
        same_scores(jsonl_scores, csv_scores, "scores.jsonl and scores-csv.csv")
    return counts


# Records each schema must refuse, so that it is known not to accept anything.
BAD_RECORDS = [
    ("sft", "a bot turn", {"messages": [{"role": "user", "content": "Hi."}, {"role": "bot", "content": "Hello."}]}),
    ("sft", "no assistant turn", {"messages": [{"role": "user", "content": "Hi."}]}),
    ("sft", "prompt-completion without metadata", {"prompt": "Hi.", "completion": "Hello."}),
    ("preference", "no rejected", {"prompt": "Hi.", "chosen": "Hello.", "metadata": {}}),
    ("preference", "a string prompt with message lists",
     {"prompt": "Hi.", "chosen": [{"role": "assistant", "content": "A"}],
      "rejected": [{"role": "assistant", "content": "B"}], "metadata": {}}),
    ("dpo-openai", "two preferred messages",
     {"input": {"messages": [{"role": "user", "content": "Hi."}]},
      "preferred_output": [{"role": "assistant", "content": "A"}, {"role": "assistant", "content": "B"}],
      "non_preferred_output": [{"role": "assistant", "content": "C"}]}),
    ("eval", "no target", {"id": "s1", "input": [{"role": "user", "content": "Hi."}], "metadata": {}}),
    ("openai-evals", "an unknown key", {"input": [{"role": "user", "content": "Hi."}], "ideal": "A", "extra": 1}),
    ("scores", "a score as a string",
     {"source": "s", "candidate": "c", "model": "m", "annotator": "a", "annotator_kind": "person",
      "criterion": "k", "score": "4", "scale_min": 1, "scale_max": 5, "weight": 1, "rationale": None,
      "updated": "2026-11-24T09:15:02.250Z", "metadata": {"created": "2026-11-24T09:15:02.250Z",
                                                         "time_spent": 0, "template": None,
                                                         "template_version": None}}),
    ("scores-csv", "a weight that is not a number",
     {"source": "s", "candidate": "c", "model": "m", "annotator": "a", "annotator_kind": "person",
      "criterion": "k", "score": "4", "scale_min": "1", "scale_max": "5", "weight": "heavy",
      "rationale": "", "updated": "2026-11-24T09:15:02.250Z"}),
]


def check_not_vacuous(srcdir):
    for fmt, what, record in BAD_RECORDS:
        if not errors_of(load_schema(srcdir, fmt), record):
            problem(f"assay-export-{fmt}.schema.json", f"accepts {what}: {json.dumps(record)}")


def check_cli_behaviour(cli, project, directory):
    """Exit statuses and -v, which the files cannot show."""
    out = os.path.join(directory, "never.jsonl")
    run = subprocess.run([cli, "export", project, "--format", "alpaca", "-o", out], capture_output=True, text=True)
    if run.returncode != 2 or "sft" not in run.stderr or "preference" not in run.stderr:
        problem("assay-cli export --format alpaca", f"exit {run.returncode} (want 2, listing the formats): {run.stderr}")
    run = subprocess.run([cli, "export", project, "--format", "preference", "--style", "messages", "-o", out],
                         capture_output=True, text=True)
    if run.returncode != 2:
        problem("assay-cli export --format preference --style messages", f"exit {run.returncode}, want 2")
    if os.path.exists(out):
        problem("assay-cli export", "a refused export left a file")
    run = subprocess.run([cli, "export", project, "--format", "sft", "--split", "train=0.5,test=0.5", "-v",
                          "-o", out], capture_output=True, text=True)
    if run.returncode != 0 or "Gold summary:" not in run.stdout or run.stdout.count(" record") != 2:
        problem("assay-cli export -v", f"exit {run.returncode}, printed {run.stdout!r} {run.stderr!r}")
    for split in ("train", "test"):
        path = os.path.join(directory, f"never.{split}.jsonl")
        if os.path.exists(path):
            os.unlink(path)


def export_with_cli(cli, project, directory):
    check_cli_behaviour(cli, project, directory)
    for name, args in CLI_EXPORTS:
        out = os.path.join(directory, name)
        run = subprocess.run([cli, "export", project, *args, "-o", out],
                             capture_output=True, text=True)
        if run.returncode != 0:
            problem(name, f"assay-cli export {' '.join(args)} failed ({run.returncode}): {run.stderr.strip()}")
        elif run.stdout or run.stderr:
            problem(name, f"assay-cli export {' '.join(args)} is not quiet: {run.stdout}{run.stderr}")


def main():
    parser = argparse.ArgumentParser(description="Check Assay's dataset exports.")
    parser.add_argument("--srcdir", required=True, help="the repository root")
    parser.add_argument("--dir", help="a directory of exports to check")
    parser.add_argument("--cli", help="assay-cli, to export --project first")
    parser.add_argument("--project", help="the project to export with --cli")
    args = parser.parse_args()
    if (args.dir is None) == (args.cli is None) or (args.cli is not None) != (args.project is not None):
        parser.error("give --dir, or --cli and --project")

    check_not_vacuous(args.srcdir)
    if args.dir is not None:
        counts = check_dir(args.srcdir, args.dir)
    else:
        with tempfile.TemporaryDirectory(prefix="assay-check-exports-") as directory:
            export_with_cli(args.cli, args.project, directory)
            counts = check_dir(args.srcdir, directory)

    if problems:
        sys.stderr.write("check-exports.py: FAILED\n")
        for p in problems:
            sys.stderr.write(f"  {p}\n")
        sys.exit(1)
    print("check-exports.py: OK: " + ", ".join(f"{name} {n}" for name, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
