#!/usr/bin/python3
# bench_export.py: the sft export in plain Python, to measure the C one against
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench_export.py PROJECT OUT
#
# Reads an Assay project with the standard library's sqlite3 module and writes
# the records `assay-cli export PROJECT --format sft -o OUT` writes (no filters,
# messages style), byte for byte: the same gold rule (a correction first, an
# adjudicator's before others' and then the most recently updated; otherwise
# the template's accept rule), the same prompt filling and json.dumps in
# compact form. Like the core it writes a temporary file, syncs it and renames
# it. Prints the seconds the export took (from opening the project to the
# rename) on standard output.
#
# It is what someone would write for the job in an afternoon: whole tables
# read into dicts keyed by source, then one pass over the sources.

import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict

DEFAULT_PROMPT_TEMPLATE = "Summarise the following.\n\n{{text}}"
PLACEHOLDER = re.compile(r"\{\{[ \t\n\r\f\v]*(text|title|id)[ \t\n\r\f\v]*\}\}")


def fill_prompt(template, text, title, ext_id):
    values = {"text": text, "title": title, "id": ext_id}
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def load(db):
    settings = dict(db.execute("SELECT key, value FROM settings WHERE key LIKE 'template.%'"))
    annotators = {row[0]: (row[1], row[2] == "adjudicator")
                  for row in db.execute("SELECT id, ext_id, kind FROM annotators")}

    candidates = defaultdict(list)
    for source_id, cand_id, model, text, position in db.execute(
            "SELECT source_id, id, model, text, position FROM candidates"):
        candidates[source_id].append((position, cand_id, text))
    for cands in candidates.values():
        cands.sort()

    corrections = defaultdict(list)
    for source_id, cand_id, ann_id, text, updated in db.execute(
            "SELECT c.source_id, r.candidate_id, r.annotator_id, r.text, r.updated_at"
            " FROM corrections r JOIN candidates c ON c.id = r.candidate_id"):
        corrections[source_id].append((cand_id, ann_id, text, updated))

    rule = settings.get("template.accept.rule", "rank")
    judgments = defaultdict(list)
    if rule == "label":
        for row in db.execute(
                "SELECT c.source_id, l.candidate_id, l.annotator_id, s.name, o.name"
                " FROM labels l JOIN candidates c ON c.id = l.candidate_id"
                " JOIN label_options o ON o.id = l.option_id"
                " JOIN label_sets s ON s.id = o.label_set_id"):
            judgments[row[0]].append(row[1:])
    elif rule == "score":
        for row in db.execute(
                "SELECT c.source_id, s.candidate_id, s.annotator_id, s.value, k.weight"
                " FROM scores s JOIN candidates c ON c.id = s.candidate_id"
                " JOIN criteria k ON k.id = s.criterion_id"):
            judgments[row[0]].append(row[1:])
    else:
        for row in db.execute("SELECT source_id, candidate_id, annotator_id, rank FROM rankings"):
            judgments[row[0]].append(row[1:])
    return settings, annotators, candidates, corrections, rule, judgments


def pick_correction(rows, annotators, positions):
    best = None
    for row in sorted(rows, key=lambda r: (positions[r[0]], annotators[r[1]][0])):
        adj = annotators[row[1]][1]
        if best is None or (adj and not best[0]) or (adj == best[0] and row[3] > best[1][3]):
            best = (adj, row)
    return best[1][2]


def pick_candidate(rule, rows, settings, annotators, cands):
    """The index into cands of the accepted candidate, or None."""
    index = {cand_id: i for i, (_, cand_id, _) in enumerate(cands)}
    if rule == "label":
        accept_set = settings.get("template.accept.label_set")
        accept = settings.get("template.accept.label")
        adjudicated = any(annotators[a][1] for _, a, s, _ in rows if s == accept_set)
        counts = defaultdict(int)
        for cand_id, a, s, o in rows:
            if s == accept_set and o == accept and (annotators[a][1] or not adjudicated):
                counts[index[cand_id]] += 1
        if not counts:
            return None
        return min(counts, key=lambda i: (-counts[i], i))
    if rule == "score":
        adjudicated = any(annotators[a][1] for _, a, _, _ in rows)
        groups = defaultdict(list)
        for cand_id, a, value, weight in rows:
            if annotators[a][1] or not adjudicated:
                groups[(index[cand_id], a)].append((value, weight))
        means = defaultdict(list)
        for (i, _), scores in groups.items():
            weights = sum(w for _, w in scores)
            if weights > 0:
                means[i].append(sum(v * w for v, w in scores) / weights)
            else:
                means[i].append(sum(v for v, _ in scores) / len(scores))
        threshold = float(settings.get("template.accept.min_score", "0")) - 1e-9
        ok = {i: sum(m) / len(m) for i, m in means.items() if sum(m) / len(m) >= threshold}
        if not ok:
            return None
        return min(ok, key=lambda i: (-ok[i], i))
    adjudicated = any(annotators[a][1] for _, a, _ in rows)
    ranks = defaultdict(list)
    for cand_id, a, rank in rows:
        if annotators[a][1] or not adjudicated:
            ranks[index[cand_id]].append(rank)
    if not ranks:
        return None
    return min(ranks, key=lambda i: (sum(ranks[i]) / len(ranks[i]), i))


def export(project, out):
    db = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    settings, annotators, candidates, corrections, rule, judgments = load(db)

    template = settings.get("template.prompt_template") or DEFAULT_PROMPT_TEMPLATE
    if "text" not in {m.group(1) for m in PLACEHOLDER.finditer(template)}:
        template += "\n\n{{text}}"
    system = settings.get("template.system_prompt")

    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(out) + ".", dir=os.path.dirname(out) or ".")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for source_id, ext_id, title, text in db.execute(
                "SELECT id, ext_id, title, text FROM sources ORDER BY id"):
            cands = candidates.get(source_id, [])
            if corrections.get(source_id):
                positions = {cand_id: position for position, cand_id, _ in cands}
                gold = pick_correction(corrections[source_id], annotators, positions)
            else:
                i = pick_candidate(rule, judgments.get(source_id, []), settings, annotators, cands)
                if i is None:
                    continue
                gold = cands[i][2]
            messages = []
            if system:
                messages.append({"role": "system", "content": system})
            messages.append({"role": "user", "content": fill_prompt(template, text, title, ext_id)})
            messages.append({"role": "assistant", "content": gold})
            f.write(json.dumps({"messages": messages}, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, out)
    db.close()


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: bench_export.py PROJECT OUT\n")
        sys.exit(2)
    start = time.perf_counter()
    export(sys.argv[1], sys.argv[2])
    print(f"{time.perf_counter() - start:.6f}")


if __name__ == "__main__":
    main()
