#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compares Assay's agreement coefficients with NLTK's on random data, and
its maximum-likelihood Bradley-Terry fit with a Newton-Raphson fit here.

nltk.metrics.agreement.AnnotationTask is an independent implementation:
  alpha()  Krippendorff's alpha, any number of coders, missing values
           (binary_distance: nominal; interval_distance: interval; the
           ratio metric ((a - b) / (a + b))^2 given as a distance here)
  kappa()  the mean over pairs of coders of Cohen's kappa
  pi()     multi-pi (Fleiss' kappa when every coder rates every item)
NLTK's kappa and pi assume complete data (their expected agreement divides
by all items), so they are compared on complete tables; alpha is compared on
tables with missing values too.

Judge calibration's two-rater numbers, on a judge's integer scores against
an expert's (integers) or the experts' means (reals): Spearman's rho
against Pearson's correlation of pandas' average ranks; the
quadratic-weighted kappa against its definition, 1 - observed mean squared
difference / the mean squared difference over every pairing of the two
raters' values (all n^2); the interval alpha against NLTK's.

Bradley-Terry: Assay fits with Hunter's MM algorithm and decides whether the
maximum-likelihood estimate exists from the graph of wins. Here the
log-likelihood is maximised by Newton-Raphson, and existence is decided by
trying every split of the models into two groups (Ford 1957: it exists
unless one group never lost to the other). Usage: check-stats-oracle.py
STATS-ORACLE
"""

import itertools
import json
import math
import random
import subprocess
import sys

from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance, interval_distance

TOLERANCE = 1e-9


def ours(helper, ratings, n_coders, n_values, first=0):
    text = "".join(f"{u} {c} {v}\n" for u, c, v in sorted(ratings))
    out = subprocess.run([helper, str(n_coders), str(n_values), str(first)], input=text,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def ratio_distance(a, b):
    return 0.0 if a == b else ((a - b) / (a + b)) ** 2


def ours_bt(helper, wins):
    text = "\n".join(" ".join(str(x) for x in row) for row in wins) + "\n"
    out = subprocess.run([helper, "bt", str(len(wins))], input=text,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def mle_exists(wins):
    """Ford's condition, by brute force over the splits of the models that
    played (a tie counts half a win to each side)."""
    n = len(wins)
    played = [i for i in range(n) if any(wins[i][j] + wins[j][i] > 0 for j in range(n) if j != i)]
    for size in range(1, len(played)):
        for group in itertools.combinations(played, size):
            rest = [j for j in played if j not in group]
            if not any(wins[j][i] > 0 for j in rest for i in group):
                return False
    return True


def newton_bt(wins):
    """Log-strengths maximising the Bradley-Terry likelihood, centred."""
    n = len(wins)
    b = [0.0] * n
    for _ in range(100):
        grad = [0.0] * n
        hess = [[0.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(n):
                games = wins[i][j] + wins[j][i] if i != j else 0
                if games == 0:
                    continue
                p = 1.0 / (1.0 + math.exp(b[j] - b[i]))
                grad[i] += wins[i][j] - games * p
                hess[i][i] -= games * p * (1 - p)
                hess[i][j] += games * p * (1 - p)
        # the last model is held at 0; solve hess * step = -grad by elimination
        m = n - 1
        rows = [hess[i][:m] + [-grad[i]] for i in range(m)]
        for c in range(m):
            pivot = max(range(c, m), key=lambda r: abs(rows[r][c]))
            rows[c], rows[pivot] = rows[pivot], rows[c]
            for r in range(m):
                if r != c:
                    f = rows[r][c] / rows[c][c]
                    rows[r] = [x - f * y for x, y in zip(rows[r], rows[c])]
        step = [rows[i][m] / rows[i][i] for i in range(m)]
        for i in range(m):
            b[i] += step[i]
        if max(abs(s) for s in step) < 1e-12:
            break
    mean = sum(b) / n
    return [x - mean for x in b]


def check_bradley_terry(helper, rng, failures):
    cases = 0
    absent = 0
    for i in range(80):
        n = rng.randint(2, 6)
        wins = [[0.0] * n for _ in range(n)]
        for a in range(n):
            for b in range(a + 1, n):
                for _ in range(rng.randint(0 if i % 3 else 1, 4)):
                    r = rng.random()
                    # the first model is often much stronger: no MLE then
                    edge = 0.9 if (i % 4 == 0 and a == 0) else 0.5
                    if r < 0.1:
                        wins[a][b] += 0.5
                        wins[b][a] += 0.5
                    elif r < 0.1 + 0.9 * edge:
                        wins[a][b] += 1
                    else:
                        wins[b][a] += 1
        if not all(any(wins[i][j] + wins[j][i] > 0 for j in range(n) if j != i)
                   for i in range(n)):
            continue
        got = ours_bt(helper, wins)
        exists = mle_exists(wins)
        cases += 1
        if got["exists"] != exists:
            failures.append(f"BT case {i}: Assay says the MLE exists: {got['exists']}, "
                            f"Ford's condition: {exists}")
            continue
        if not exists:
            absent += 1
            if got["strength"] is not None:
                failures.append(f"BT case {i}: no MLE, yet Assay gave {got['strength']}")
            continue
        expected = newton_bt(wins)
        for k in range(n):
            if got["strength"] is None or abs(got["strength"][k] - expected[k]) > 1e-6:
                failures.append(f"BT case {i}: Assay {got['strength']}, Newton {expected}")
                break
    return cases, absent


def check_pairs(helper, rng, failures):
    import pandas

    cases = 0
    for i in range(60):
        n = rng.randint(4, 50)
        experts = rng.randint(1, 3) if i % 2 else 1
        x, y = [], []
        for _ in range(n):
            truth = rng.randint(1, 5)
            x.append(truth if rng.random() < 0.5 else rng.randint(1, 5))
            y.append(sum(truth if rng.random() < 0.6 else rng.randint(1, 5)
                         for _ in range(experts)) / experts)
        if len(set(x)) < 2 or len(set(y)) < 2:
            continue
        text = "".join(f"{a!r} {b!r}\n" for a, b in zip(x, y))
        got = json.loads(subprocess.run([helper, "pairs"], input=text, capture_output=True,
                                        text=True, check=True).stdout)
        # pandas' Spearman needs SciPy: its average ranks and Pearson instead
        rho = pandas.Series(x).rank().corr(pandas.Series(y).rank())
        observed = sum((a - b) ** 2 for a, b in zip(x, y)) / n
        chance = sum((a - b) ** 2 for a in x for b in y) / (n * n)
        data = [("judge", f"u{u}", a) for u, a in enumerate(x)] + \
               [("ref", f"u{u}", b) for u, b in enumerate(y)]
        alpha = AnnotationTask(data=data, distance=interval_distance).alpha()
        check(f"pairs {i} Spearman rho", got["rho"], rho, failures)
        check(f"pairs {i} quadratic-weighted kappa", got["qwk"], 1 - observed / chance, failures)
        check(f"pairs {i} interval alpha", got["alpha_interval"], alpha, failures)
        cases += 1
    return cases


def table(rng, n_coders, n_units, n_values, missing):
    ratings = []
    for u in range(n_units):
        truth = rng.randrange(n_values)
        for c in range(n_coders):
            if rng.random() < missing:
                continue
            v = truth if rng.random() < 0.6 else rng.randrange(n_values)
            ratings.append((u, c, v))
    return ratings


def varied(ratings):
    """NLTK returns 1 for data with one value, Assay undefined: skip those,
    and data where no unit has two values."""
    if len({v for _, _, v in ratings}) < 2:
        return False
    per_unit = {}
    for u, _, _ in ratings:
        per_unit[u] = per_unit.get(u, 0) + 1
    return any(n >= 2 for n in per_unit.values())


def check(name, got, expected, failures):
    if got is None or abs(got - expected) > TOLERANCE:
        failures.append(f"{name}: Assay {got}, NLTK {expected}")


def main():
    helper = sys.argv[1]
    rng = random.Random(20261124)
    failures = []
    cases = 0
    failed_cases = 0

    for i in range(60):
        n_coders = rng.randint(2, 5)
        n_units = rng.randint(5, 60)
        n_values = rng.randint(2, 5)
        complete = i % 2 == 0
        ratings = table(rng, n_coders, n_units, n_values, 0.0 if complete else 0.3)
        if not varied(ratings):
            continue
        before = len(failures)
        got = ours(helper, ratings, n_coders, n_values)
        data = [(f"c{c}", f"u{u}", v) for u, c, v in ratings]

        nominal = AnnotationTask(data=data, distance=binary_distance)
        interval = AnnotationTask(data=data, distance=interval_distance)
        check(f"case {i} nominal alpha", got["alpha_nominal"], nominal.alpha(), failures)
        check(f"case {i} interval alpha", got["alpha_interval"], interval.alpha(), failures)

        # the ratio metric needs a true zero: values from 1 (or 0) up
        first = i % 3
        shifted = ours(helper, ratings, n_coders, n_values, first)
        ratio = AnnotationTask(data=[(c, u, v + first) for c, u, v in data],
                               distance=ratio_distance)
        check(f"case {i} ratio alpha", shifted["alpha_ratio"], ratio.alpha(), failures)
        if complete:
            check(f"case {i} mean Cohen kappa", got["mean_kappa"], nominal.kappa(), failures)
            check(f"case {i} Fleiss kappa (multi-pi)", got["fleiss_kappa"], nominal.pi(),
                  failures)
            check(f"case {i} agreement", got["agreement"], nominal.avg_Ao(), failures)
        cases += 1
        failed_cases += len(failures) > before

    bt_cases, bt_absent = check_bradley_terry(helper, rng, failures)
    pair_cases = check_pairs(helper, rng, failures)

    for failure in failures:
        print(failure)
    print(f"{cases} random tables compared with NLTK")
    print(f"{cases - failed_cases} passed, {failed_cases} failed")
    print(f"{bt_cases} Bradley-Terry tables compared with Newton-Raphson "
          f"({bt_absent} without a maximum-likelihood estimate)")
    print(f"{pair_cases} judge-against-reference series compared with pandas, NLTK and the "
          "definition of quadratic-weighted kappa")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
