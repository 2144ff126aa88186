#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Soak test: the workbench under a random expert, killed at random, with
assay-cli imports, exports and merges running against the same project.

After each SIGKILL, every judgment whose save the window acknowledged must
be in the file (each source's stored state equals the state the window held
after its last acknowledged save; only the item an unfinished action was
working on may be newer), and `assay-cli check` must find nothing wrong.

Run it from the top of the tree, after building, under a display:

    xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \\
        python3 tests/soak/soak.py --builddir _build --minutes 10

It prints what it did and ends with one summary line; the exit status is 0
only if nothing was lost and every check was clean.
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time


class Run:
    """One life of the app, from start to SIGKILL."""

    def __init__(self, proc):
        self.proc = proc
        self.last_ack = {}          # source -> state
        self.item = None
        self.open_action = None     # the action under way, if any
        self.open_item = None
        self.acks = 0
        self.ready = threading.Event()
        self.lines = []

    def read(self):
        for raw in self.proc.stdout:
            line = raw.rstrip("\n")
            kind, _, rest = line.partition(" ")
            if kind == "READY":
                self.ready.set()
            elif kind == "ITEM":
                self.item = rest
            elif kind == "BEGIN":
                self.open_action = rest
                self.open_item = self.item
            elif kind == "DONE":
                self.open_action = None
            elif kind == "ACK":
                source, _, state = rest.partition(" ")
                self.last_ack[source] = state
                self.acks += 1
            self.lines.append(line)
            if len(self.lines) > 200:
                del self.lines[:100]


def cli(args, builddir, **kw):
    return subprocess.run([os.path.join(builddir, "src", "cli", "assay-cli")] + args,
                          capture_output=True, text=True, env=dict(os.environ, LC_ALL="C.UTF-8"),
                          **kw)


def dump(builddir, project):
    out = subprocess.run([os.path.join(builddir, "tests", "soak-app"), "dump", project],
                         capture_output=True, text=True, check=True).stdout
    states = {}
    for line in out.splitlines():
        _, source, n, state = line.split(" ", 3)
        states[source] = (state, int(n))
    return states


class Commands(threading.Thread):
    """assay-cli beside the window: reads must work, writes must be refused
    while the app is open (and work when it is not), and none may fail
    otherwise."""

    def __init__(self, builddir, project, workdir, merge_from, rng, app_alive):
        super().__init__(daemon=True)
        self.builddir, self.project, self.workdir = builddir, project, workdir
        self.merge_from, self.rng, self.app_alive = merge_from, rng, app_alive
        self.stop = threading.Event()
        # Held while a command runs, so that what is beside the project can
        # be looked at between commands (an export under way has its
        # temporary file).
        self.busy = threading.Lock()
        self.counts = {"export": 0, "info": 0, "import": 0, "merge": 0, "refused": 0}
        self.failures = []
        self.n = 0

    def one(self):
        choice = self.rng.choice(["export", "export", "info", "import", "merge"])
        self.n += 1
        alive = self.app_alive()
        if choice == "export":
            fmt = self.rng.choice(["native", "sft", "scores"])
            out = os.path.join(self.workdir, f"out-{self.n}.jsonl")
            r = cli(["export", self.project, "--format", fmt, "-o", out], self.builddir)
            ok = r.returncode == 0 or (fmt != "native" and "nothing" in r.stderr.lower())
            if os.path.exists(out):
                os.unlink(out)
        elif choice == "info":
            r = cli(["info", "--json", self.project], self.builddir)
            ok = r.returncode == 0
        else:
            if choice == "import":
                path = os.path.join(self.workdir, f"in-{self.n}.jsonl")
                with open(path, "w") as f:
                    f.write('{"id": "soak-%d", "text": "Dr. Lund: take it twice a day.", '
                            '"candidates": [{"id": "c%d", "model": "m", "text": '
                            '"Twice daily."}]}\n' % (self.n, self.n))
                args = ["import", self.project, path]
            else:
                args = ["merge", self.project, self.merge_from]
            r = cli(args, self.builddir)
            refused = r.returncode == 1 and "is open in Assay" in r.stderr
            if refused:
                self.counts["refused"] += 1
            # While the app is (or was, a moment ago) open, a refusal is the
            # answer; otherwise the command must do its work.
            ok = r.returncode == 0 or refused
            if refused and not alive and not self.app_alive():
                ok = False
        if ok:
            self.counts[choice] += 1
        else:
            self.failures.append(f"assay-cli {choice} -> {r.returncode}: {r.stderr.strip()}")

    def run(self):
        while not self.stop.is_set():
            with self.busy:
                self.one()
            time.sleep(self.rng.uniform(0.05, 0.4))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builddir", default="_build")
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()

    builddir = os.path.abspath(args.builddir)
    rng = random.Random(args.seed)
    workdir = tempfile.mkdtemp(prefix="assay-soak-")
    demo = os.path.join(builddir, "data", "demo", "demo.assay")
    project = os.path.join(workdir, "soak.assay")
    merge_from = os.path.join(workdir, "colleague.assay")
    shutil.copy(demo, project)
    shutil.copy(demo, merge_from)

    env = dict(os.environ,
               GSETTINGS_BACKEND="memory",
               GSETTINGS_SCHEMA_DIR=os.path.join(builddir, "data"),
               ASSAY_DEV_DATADIR=os.path.join(builddir, "data", "xdg"),
               GDK_BACKEND="x11", GSK_RENDERER="cairo", NO_AT_BRIDGE="1",
               LC_ALL="C.UTF-8")

    current = {"run": None}

    def app_alive():
        r = current["run"]
        return r is not None and r.proc.poll() is None

    commands = Commands(builddir, project, workdir, merge_from, rng, app_alive)
    commands.start()

    deadline = time.monotonic() + args.minutes * 60
    runs = kills = checked = judgments = unverified = 0
    problems = []
    print(f"soak: seed {args.seed}, {args.minutes} minutes, in {workdir}", flush=True)

    while time.monotonic() < deadline and not problems:
        err_path = os.path.join(workdir, "app-stderr.log")
        err_file = open(err_path, "w")
        proc = subprocess.Popen([os.path.join(builddir, "tests", "soak-app"), "run", project,
                                 str(rng.randrange(1 << 31))],
                                stdout=subprocess.PIPE, stderr=err_file, text=True,
                                env=env, cwd=workdir)
        err_file.close()

        def app_stderr():
            with open(err_path) as f:
                return f.read()[-3000:] + "\nlast events:\n" + "\n".join(run.lines[-15:])
        run = Run(proc)
        reader = threading.Thread(target=run.read, daemon=True)
        reader.start()
        current["run"] = run
        if not run.ready.wait(30):
            problems.append("the app did not start: " + app_stderr())
            proc.kill()
            break
        runs += 1

        time.sleep(rng.uniform(0.3, 6.0))
        if proc.poll() is not None:
            reader.join(5)
            problems.append(f"the app ended by itself ({proc.returncode}): " + app_stderr())
            break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        reader.join(5)
        kills += 1
        current["run"] = None

        stored = dump(builddir, project)
        for source, state in run.last_ack.items():
            have, n = stored.get(source, (None, 0))
            if state == have:
                checked += 1
                judgments += n
            elif run.open_action is not None and source == run.open_item:
                # Killed between a save and its acknowledgement.
                unverified += 1
            else:
                problems.append(f"run {runs}: {source} lost an acknowledged judgment\n"
                                f"  acknowledged: {state}\n  stored:       {have}")
        r = cli(["check", project], builddir)
        if r.returncode != 0:
            problems.append(f"run {runs}: check failed: {r.stdout}{r.stderr}")
        with commands.busy:
            leftovers = [n for n in os.listdir(workdir)
                         if n.startswith(".") and n.endswith(".tmp")]
        if leftovers:
            problems.append(f"run {runs}: temporary files left: {leftovers}")
        print(f"run {runs}: {run.acks} saves acknowledged, {len(run.last_ack)} items checked",
              flush=True)

        # While the app is down, a command may write.
        with commands.busy:
            commands.one()

    commands.stop.set()
    commands.join(30)
    problems.extend(commands.failures)

    for p in problems:
        print("PROBLEM:", p)
    c = commands.counts
    print(f"soak: {runs} runs, {kills} kills, {checked} item states holding {judgments} "
          f"judgments checked after kills ({unverified} in flight at the kill, not comparable), "
          f"commands: "
          f"{c['export']} exports, {c['info']} infos, {c['import']} imports, {c['merge']} merges "
          f"done, {c['refused']} writes refused while the app was open; "
          f"{len(problems)} problems")
    if not args.keep and not problems:
        shutil.rmtree(workdir)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
