#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifest: it must parse as JSON and keep the sandbox narrow.

Files are opened through the document portal (GtkFileChooserNative), so the app needs no
filesystem permission; a change that adds one should be a deliberate edit here too.
"""

import json
import re
import sys

APP_ID = "io.github.assaylab.Assay"
FINISH_ARGS = [
    "--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri",
    # Suggest asks an OpenAI-compatible endpoint over HTTP(S), often one on
    # this machine (Ollama, llama.cpp) or the local network (vLLM).
    "--share=network",
    # An endpoint's API key is kept in the keyring through libsecret: the
    # Secret portal where the desktop has one, and the Secret Service
    # (org.freedesktop.secrets) where it has not.
    "--talk-name=org.freedesktop.secrets",
]


def check(manifest):
    problems = []

    def expect(key, value):
        if manifest.get(key) != value:
            problems.append(f"{key} is {manifest.get(key)!r}, expected {value!r}")

    expect("app-id", APP_ID)
    expect("runtime", "org.gnome.Platform")
    expect("sdk", "org.gnome.Sdk")
    expect("command", "assay")

    finish_args = manifest.get("finish-args", [])
    if sorted(finish_args) != sorted(FINISH_ARGS):
        extra = [a for a in finish_args if a not in FINISH_ARGS]
        missing = [a for a in FINISH_ARGS if a not in finish_args]
        problems.append(f"finish-args differ: unexpected {extra}, missing {missing}")

    modules = manifest.get("modules", [])
    if not modules or not isinstance(modules[-1], dict) or modules[-1].get("name") != "assay":
        problems.append("the last module must be assay itself")
    else:
        app = modules[-1]
        if app.get("buildsystem") != "meson" or app.get("builddir") is not True:
            problems.append("the assay module must use meson with builddir: true")

    # Every downloaded source is pinned by a checksum.
    for module in modules:
        if not isinstance(module, dict):
            continue
        for source in module.get("sources", []):
            if source.get("type") in ("archive", "file"):
                if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
                    problems.append(f"{module.get('name')}: {source.get('url')} has no sha256")

    return problems


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} MANIFEST.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{argv[1]}: {e}", file=sys.stderr)
        return 1
    if not isinstance(manifest, dict):
        print(f"{argv[1]}: the top level is not an object", file=sys.stderr)
        return 1

    problems = check(manifest)
    for problem in problems:
        print(f"{argv[1]}: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"{argv[1]}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
