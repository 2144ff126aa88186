#!/usr/bin/python3
# check-schemas.py: validate the bundled demo data against Assay's JSON Schemas
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-schemas.py SRCDIR
#
# SRCDIR is the repository root. Checks that
#   - data/schemas/assay-native.schema.json and assay-template.schema.json are
#     valid draft 2020-12 schemas;
#   - every line of data/demo/demo.jsonl is valid against the native schema and
#     data/demo/template.json against the template schema;
#   - the demo is consistent in ways JSON Schema cannot say: span texts equal
#     the candidate's text at their offsets (Unicode code points), evidence
#     ranges lie within the source text, segment times increase, every source
#     has 3 or 4 candidates, at least 2 sources have segments, judgments name
#     labels, criteria, candidates and annotators that exist;
#   - the native schema refuses a few records that are deliberately wrong, so
#     that it is known not to accept everything.
#
# Needs python3-jsonschema (Debian), hence /usr/bin/python3 rather than
# whichever python3 comes first on PATH. Exits 0 when all is well, 1 with a
# list of problems otherwise, 2 on bad usage or missing files.

import json
import os
import re
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    sys.stderr.write("check-schemas.py: needs the jsonschema module (Debian: python3-jsonschema); "
                     "run it with /usr/bin/python3\n")
    sys.exit(2)

NATIVE = "data/schemas/assay-native.schema.json"
TEMPLATE_SCHEMA = "data/schemas/assay-template.schema.json"
DEMO = "data/demo/demo.jsonl"
DEMO_TEMPLATE = "data/demo/template.json"

JUDGMENT_TYPES = {"labels", "span", "correction", "scores", "ranking", "comparison", "note", "status"}

problems = []


def problem(where, message):
    problems.append(f"{where}: {message}")


def load_json(srcdir, rel):
    path = os.path.join(srcdir, rel)
    try:
        with open(path, encoding="utf-8-sig") as f:
            return json.load(f)
    except OSError as e:
        sys.stderr.write(f"check-schemas.py: {rel}: {e.strerror}\n")
        sys.exit(2)
    except json.JSONDecodeError as e:
        problem(f"{rel}:{e.lineno}", f"not valid JSON: {e.msg}")
        return None


def make_validator(schema, template_schema=None):
    """A 2020-12 validator that can resolve the native schema's reference to
    the template schema, with whichever API this jsonschema has."""
    kwargs = {"format_checker": jsonschema.FormatChecker()}
    if template_schema is not None:
        try:
            from referencing import Registry, Resource
            registry = Registry().with_resource(template_schema["$id"],
                                                Resource.from_contents(template_schema))
            return Draft202012Validator(schema, registry=registry, **kwargs)
        except ImportError:
            resolver = jsonschema.RefResolver.from_schema(
                schema, store={template_schema["$id"]: template_schema})
            return Draft202012Validator(schema, resolver=resolver, **kwargs)
    return Draft202012Validator(schema, **kwargs)


def json_path(error):
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(line)"


def best_errors(validator, instance):
    """The most telling errors, innermost first, as 'path: message'. A key
    whose value is wrong also counts as unevaluated in draft 2020-12; that
    second complaint is left out when the key has an error of its own."""
    leaves = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path]):
        leaf = jsonschema.exceptions.best_match([error])
        while leaf.context:
            leaf = jsonschema.exceptions.best_match(leaf.context)
        leaves.append(leaf)
    paths = {tuple(leaf.absolute_path) for leaf in leaves}
    out = []
    for leaf in leaves:
        if leaf.validator == "unevaluatedProperties" and isinstance(leaf.instance, dict):
            base = tuple(leaf.absolute_path)
            evaluated = set(leaf.instance) - set(re.findall(r"'([^']*)'", leaf.message))
            unexplained = [k for k in leaf.instance if k not in evaluated
                           and not any(p[:len(base) + 1] == base + (k,) for p in paths)]
            if not unexplained:
                continue
        message = f"{json_path(leaf)}: {leaf.message}"
        if message not in out:
            out.append(message)
    return out


def source_text(rec):
    if "segments" in rec:
        return "\n".join(seg["text"] for seg in rec["segments"])
    return rec.get("text", "")


# --- the template -----------------------------------------------------------

def check_template(tmpl, where):
    """Rules of the template format that the schema cannot express, and the
    demo's own requirement that every point of every scale has an anchor."""
    keys = {}
    set_names = set()
    for i, ls in enumerate(tmpl.get("label_sets", [])):
        w = f"{where}: label_sets[{i}]"
        if ls["name"] in set_names:
            problem(w, f"label set name “{ls['name']}” is used twice")
        set_names.add(ls["name"])
        names = set()
        for j, opt in enumerate(ls["options"]):
            if opt["name"] in names:
                problem(f"{w}.options[{j}]", f"option name “{opt['name']}” is used twice in the set")
            names.add(opt["name"])
            if "key" in opt:
                if opt["key"] in keys:
                    problem(f"{w}.options[{j}]", f"shortcut “{opt['key']}” is also used by {keys[opt['key']]}")
                keys[opt["key"]] = f"{ls['name']}/{opt['name']}"
    crit_names = set()
    for i, c in enumerate(tmpl.get("criteria", [])):
        w = f"{where}: criteria[{i}]"
        if c["name"] in crit_names:
            problem(w, f"criterion name “{c['name']}” is used twice")
        crit_names.add(c["name"])
        lo, hi = c.get("min"), c.get("max")
        if lo is None or hi is None:
            problem(w, "the demo template gives every criterion its min and max")
            continue
        if not lo < hi:
            problem(w, f"min ({lo}) must be below max ({hi})")
        if hi - lo + 1 > 11:
            problem(w, f"the scale {lo}..{hi} has more than 11 points")
        anchors = c.get("anchors", {})
        for k in anchors:
            if not lo <= int(k) <= hi:
                problem(w, f"anchor “{k}” is outside {lo}..{hi}")
        for point in range(lo, hi + 1):
            if not anchors.get(str(point), "").strip():
                problem(w, f"no anchor for score {point}")
    for field in ("prompt_template",):
        for placeholder in re.findall(r"\{\{\s*([^}]*?)\s*\}\}", tmpl.get(field, "")):
            if placeholder not in ("text", "title", "id"):
                problem(f"{where}: {field}", f"unknown placeholder {{{{{placeholder}}}}}")
    if "{{text}}" not in tmpl.get("prompt_template", ""):
        problem(f"{where}: prompt_template", "does not contain {{text}}")


# --- the demo ----------------------------------------------------------------

def check_judgment(j, where, rec, src_text, cands, tmpl, annotators):
    if "source" in j and j["source"] != rec["id"]:
        problem(where, f"source “{j['source']}” inside source “{rec['id']}”")
    ann = j["annotator"]
    ann_id = ann["id"] if isinstance(ann, dict) else ann
    if ann_id not in annotators and not isinstance(ann, dict):
        problem(where, f"annotator “{ann_id}” has no annotator line")
    if "candidate" in j and j["candidate"] not in cands:
        problem(where, f"no candidate “{j['candidate']}” in source “{rec['id']}”")
        return
    sets = {ls["name"]: ls for ls in tmpl.get("label_sets", [])}
    crits = {c["name"]: c for c in tmpl.get("criteria", [])}
    kind = j["type"]
    if kind == "span":
        text = cands[j["candidate"]]["text"]
        s, e = j["start"], j["end"]
        if not 0 <= s <= e <= len(text):
            problem(where, f"span [{s}, {e}) is not within the candidate's {len(text)} code points")
        elif "text" in j and text[s:e] != j["text"]:
            problem(where, f"span text {j['text']!r} differs from the candidate's text there: {text[s:e]!r}")
        for k, r in enumerate(j.get("evidence", [])):
            if not 0 <= r["start"] <= r["end"] <= len(src_text):
                problem(f"{where}.evidence[{k}]",
                        f"[{r['start']}, {r['end']}) is not within the source's {len(src_text)} code points")
        span_sets = [ls for ls in sets.values() if ls["scope"] == "span"]
        if "label_set" in j:
            ls = sets.get(j["label_set"])
            if ls is None or ls["scope"] != "span":
                problem(where, f"no span label set “{j['label_set']}” in the template")
            elif j["label"] not in {o["name"] for o in ls["options"]}:
                problem(where, f"label “{j['label']}” is not in label set “{j['label_set']}”")
        else:
            having = [ls for ls in span_sets if j["label"] in {o["name"] for o in ls["options"]}]
            if len(having) != 1:
                problem(where, f"label “{j['label']}” is in {len(having)} span label sets; name the set")
    elif kind == "labels":
        for name, choice in j["labels"].items():
            ls = sets.get(name)
            if ls is None or ls["scope"] != "candidate":
                problem(where, f"no candidate label set “{name}” in the template")
                continue
            options = {o["name"] for o in ls["options"]}
            if ls.get("multi", False) != isinstance(choice, list):
                problem(where, f"label set “{name}” takes "
                        + ("an array of strings" if ls.get("multi") else "a string"))
                continue
            for c in (choice if isinstance(choice, list) else [choice]):
                if c not in options:
                    problem(where, f"“{c}” is not an option of label set “{name}”")
    elif kind == "scores":
        for name, value in j["scores"].items():
            crit = crits.get(name)
            if crit is None:
                problem(where, f"no criterion “{name}” in the template")
                continue
            score = value["score"] if isinstance(value, dict) else value
            if not crit["min"] <= score <= crit["max"]:
                problem(where, f"{name}: {score} is outside {crit['min']}..{crit['max']}")
    elif kind == "ranking":
        for cid in j["ranks"]:
            if cid not in cands:
                problem(where, f"ranks: no candidate “{cid}”")
    elif kind == "comparison":
        for side in ("a", "b"):
            if j[side] not in cands:
                problem(where, f"{side}: no candidate “{j[side]}”")
        if j["a"] == j["b"]:
            problem(where, "compares a candidate with itself")


def check_demo(lines, tmpl):
    annotators = set()
    source_ids = set()
    with_segments = 0
    n_sources = 0
    for lineno, rec in lines:
        where = f"{DEMO}:{lineno}"
        kind = rec.get("type")
        if kind == "annotator":
            if rec["id"] in annotators:
                problem(where, f"annotator “{rec['id']}” is declared twice")
            annotators.add(rec["id"])
            continue
        if kind is not None:
            problem(where, f"the demo holds only annotators and sources, not “{kind}” lines")
            continue
        n_sources += 1
        if rec["id"] in source_ids:
            problem(where, f"source id “{rec['id']}” is used twice")
        source_ids.add(rec["id"])
        if "text" not in rec and "segments" not in rec:
            problem(where, "a demo source needs text or segments")
        if "title" not in rec:
            problem(where, "demo sources should have a title")
        segs = rec.get("segments", [])
        if segs:
            with_segments += 1
            prev_end = 0.0
            for k, seg in enumerate(segs):
                s, e = seg.get("start"), seg.get("end")
                if s is None or e is None:
                    continue
                if e < s:
                    problem(f"{where}: segments[{k}]", f"ends ({e}) before it starts ({s})")
                if s < prev_end:
                    problem(f"{where}: segments[{k}]", f"starts ({s}) before the previous segment ends ({prev_end})")
                prev_end = e
            if "text" in rec and rec["text"] != source_text(rec):
                problem(where, "text differs from the segments' texts joined with \"\\n\"")
        cands = {}
        for k, c in enumerate(rec.get("candidates", [])):
            cid = c.get("id", c["model"])
            if cid in cands:
                problem(f"{where}: candidates[{k}]", f"candidate id “{cid}” is used twice")
            cands[cid] = c
        if not 3 <= len(cands) <= 4:
            problem(where, f"has {len(cands)} candidates; demo sources have 3 or 4")
        src_text = source_text(rec)
        for k, j in enumerate(rec.get("judgments", [])):
            check_judgment(j, f"{where}: judgments[{k}]", rec, src_text, cands, tmpl, annotators)
    if n_sources < 6:
        problem(DEMO, f"has {n_sources} sources; the demo needs at least 6")
    if with_segments < 2:
        problem(DEMO, f"{with_segments} sources have segments; at least 2 must")


# --- records the schema must refuse -----------------------------------------

GOOD_SOURCE = {"id": "s1", "text": "Some text.", "candidates": [{"id": "a", "model": "m", "text": "A summary."}]}

BAD_RECORDS = [
    ("a source without id", "'id' is a required",
     {"text": "Some text.", "candidates": [{"model": "m", "text": "A summary."}]}),
    ("a candidate without model", "candidates[0]: 'model' is a required",
     {"id": "s1", "text": "Some text.", "candidates": [{"id": "a", "text": "A summary."}]}),
    ("a span with a string start", "start: '0' is not of type",
     {"type": "span", "source": "s1", "candidate": "a", "annotator": "x",
      "start": "0", "end": 4, "label": "supported"}),
    ("a source with an unknown top-level key", "'summary' was unexpected",
     dict(GOOD_SOURCE, summary="misplaced")),
    ("a judgment on its own line without source", "'source' is a required",
     {"type": "note", "annotator": "x", "text": "No source named."}),
    ("a judgment without annotator inside a source", "judgments[0]: 'annotator' is a required",
     dict(GOOD_SOURCE, judgments=[{"type": "status", "status": "done"}])),
    ("a segment with a negative start", "segments[0].start:",
     {"id": "s2", "segments": [{"start": -1, "end": 2, "text": "Hi."}]}),
    ("a comparison with an unknown winner", "winner:",
     {"type": "comparison", "source": "s1", "annotator": "x", "a": "a", "b": "b", "winner": "both"}),
    ("an unknown record type", "type: 'verdict' is not one of",
     {"type": "verdict", "source": "s1", "annotator": "x"}),
    ("a template line with a bad colour", ".color:",
     {"type": "template", "label_sets": [{"name": "v", "scope": "candidate",
                                          "options": [{"name": "ok", "color": "green"}]}]}),
]

GOOD_RECORDS = [
    ("a source", GOOD_SOURCE),
    ("a line adding candidates to an existing source", {"id": "s1", "candidates": [{"model": "m2", "text": "B."}]}),
    ("an annotator", {"type": "annotator", "id": "x", "name": "X", "kind": "adjudicator"}),
    ("a span on its own line",
     {"type": "span", "source": "s1", "candidate": "a", "annotator": "x", "start": 0, "end": 1,
      "text": "A", "label": "supported", "evidence": [{"start": 0, "end": 4}]}),
    ("short-form scores", {"type": "scores", "source": "s1", "candidate": "a",
                           "annotator": {"id": "x", "kind": "model"}, "scores": {"faithfulness": 4}}),
    ("a status", {"type": "status", "source": "s1", "annotator": "x", "status": "done",
                  "time_spent": 184.5, "created": "2026-11-24T09:15:02.250Z"}),
    ("a template line", {"type": "template", "name": "T", "judgments": ["labels"]}),
]


def check_schema_is_not_vacuous(native):
    for what, expected, rec in BAD_RECORDS:
        errors = best_errors(native, rec)
        if not errors:
            problem(NATIVE, f"accepts {what}: {json.dumps(rec)}")
        elif not any(expected in e for e in errors):
            problem(NATIVE, f"refuses {what}, but not for that reason: {'; '.join(errors)}")
    for what, rec in GOOD_RECORDS:
        for e in best_errors(native, rec):
            problem(NATIVE, f"refuses {what}: {e}")


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        sys.stderr.write("usage: check-schemas.py SRCDIR\n")
        sys.exit(2)
    srcdir = sys.argv[1]

    native_schema = load_json(srcdir, NATIVE)
    template_schema = load_json(srcdir, TEMPLATE_SCHEMA)
    tmpl = load_json(srcdir, DEMO_TEMPLATE)
    if None in (native_schema, template_schema, tmpl):
        return finish()

    for rel, schema in ((NATIVE, native_schema), (TEMPLATE_SCHEMA, template_schema)):
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.exceptions.SchemaError as e:
            problem(rel, f"not a valid draft 2020-12 schema: {e.message}")
    if problems:
        return finish()

    native = make_validator(native_schema, template_schema)
    template_validator = make_validator(template_schema)

    template_ok = True
    for e in best_errors(template_validator, tmpl):
        problem(DEMO_TEMPLATE, e)
        template_ok = False
    if template_ok:
        check_template(tmpl, DEMO_TEMPLATE)

    lines = []
    path = os.path.join(srcdir, DEMO)
    try:
        with open(path, encoding="utf-8-sig") as f:
            raw_lines = f.read().splitlines()
    except OSError as e:
        sys.stderr.write(f"check-schemas.py: {DEMO}: {e.strerror}\n")
        sys.exit(2)
    for lineno, raw in enumerate(raw_lines, 1):
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw)
        except json.JSONDecodeError as e:
            problem(f"{DEMO}:{lineno}", f"not valid JSON: {e.msg} (column {e.colno})")
            continue
        if not isinstance(rec, dict):
            problem(f"{DEMO}:{lineno}", "a line must be a JSON object")
            continue
        errors = best_errors(native, rec)
        for e in errors:
            problem(f"{DEMO}:{lineno}", e)
        if not errors:
            lines.append((lineno, rec))
    if template_ok and len(lines) == len([r for r in raw_lines if r.strip()]):
        check_demo(lines, tmpl)

    check_schema_is_not_vacuous(native)
    return finish(len(lines))


def finish(n_lines=0):
    if problems:
        sys.stderr.write("check-schemas.py: FAILED\n")
        for p in problems:
            sys.stderr.write(f"  {p}\n")
        sys.exit(1)
    print(f"check-schemas.py: OK: both schemas valid; {DEMO_TEMPLATE} valid; {n_lines} lines of {DEMO} valid "
          f"and consistent; {len(BAD_RECORDS)} bad records refused, {len(GOOD_RECORDS)} good ones accepted")
    sys.exit(0)


if __name__ == "__main__":
    main()
