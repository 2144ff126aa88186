#!/usr/bin/python3
# bench_suggest.py: the time `assay-cli suggest` spends per candidate apart
# from the model's own latency
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench_suggest.py ASSAY_CLI [N_CANDIDATES] [CONCURRENCY] [RUNS]
#
# Builds a project of N sources (200 by default) with one candidate each and
# a template asking for labels, spans and scores, starts tests/chat-server.py
# (which answers at once), and runs `assay-cli suggest` on a fresh copy RUNS
# times (5 by default). The model's latency is what the endpoint took as the
# client saw it: the seconds each suggestions row records. What is left of
# the run's wall time is Assay's own: starting, reading the project, making
# each prompt, checking each answer and storing it (one durable transaction
# per candidate). Prints both per candidate, and the median over the runs.

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

TEMPLATE = {
    "name": "Bench", "version": "1",
    "judgments": ["labels", "spans", "scores"],
    "guidelines": "Judge each summary against the call only.",
    "label_sets": [
        {"name": "claims", "scope": "span", "options": [
            {"name": "unsupported", "description": "The call never says this."}]},
        {"name": "verdict", "scope": "candidate", "options": [
            {"name": "accept", "description": "Fit to file."},
            {"name": "reject", "description": "Would mislead."}]}],
    "criteria": [{"name": "faithfulness", "min": 1, "max": 5,
                  "anchors": {"1": "Mostly false.", "5": "All supported."}}],
}


def main():
    cli = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    concurrency = sys.argv[3] if len(sys.argv) > 3 else "1"
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5

    with tempfile.TemporaryDirectory(prefix="assay-bench-suggest-") as d:
        template = os.path.join(d, "template.json")
        data = os.path.join(d, "data.jsonl")
        base = os.path.join(d, "base.assay")
        with open(template, "w") as f:
            json.dump(TEMPLATE, f)
        with open(data, "w") as f:
            for i in range(n):
                f.write(json.dumps({
                    "id": f"call-{i}",
                    "segments": [
                        {"speaker": "Agent", "text": f"Thanks for calling about order {i}."},
                        {"speaker": "Customer",
                         "text": "It came late and damaged; I want forty dollars back."}],
                    "candidates": [{"id": "a", "model": "m1",
                                    "text": f"Order {i} came late and damaged; the customer "
                                            "wants a forty dollar refund."}]}) + "\n")
        subprocess.run([cli, "init", base, "--template", template], check=True)
        subprocess.run([cli, "import", base, data], check=True)

        server = subprocess.Popen([sys.executable, os.path.join(HERE, "..", "chat-server.py"),
                                   "--log", os.path.join(d, "requests.jsonl")],
                                  stdout=subprocess.PIPE, text=True)
        port = server.stdout.readline().strip()
        env = dict(os.environ, GIO_USE_PROXY_RESOLVER="dummy")
        own, model = [], []
        try:
            for r in range(runs):
                project = os.path.join(d, f"run{r}.assay")
                shutil.copy(base, project)
                start = time.monotonic()
                subprocess.run([cli, "suggest", project, "--endpoint",
                                f"http://127.0.0.1:{port}/v1", "--model", "tiny",
                                "--concurrency", concurrency],
                               check=True, env=env, stderr=subprocess.DEVNULL)
                wall = time.monotonic() - start
                db = sqlite3.connect(project)
                count, seconds = db.execute(
                    "SELECT count(*), sum(seconds) FROM suggestions WHERE error IS NULL"
                ).fetchone()
                db.close()
                assert count == n, count
                # With requests in flight together, the model's time overlaps:
                # what the client waited for is at least the total divided by
                # the concurrency.
                waited = seconds / int(concurrency)
                own.append((wall - waited) / n * 1000)
                model.append(seconds / n * 1000)
                print(f"run {r + 1}: {wall:.2f} s for {n} candidates; endpoint "
                      f"{model[-1]:.2f} ms, Assay {own[-1]:.2f} ms per candidate")
        finally:
            server.terminate()
            server.wait()
        print(f"median: endpoint {statistics.median(model):.2f} ms, Assay "
              f"{statistics.median(own):.2f} ms per candidate (concurrency {concurrency})")


if __name__ == "__main__":
    main()
