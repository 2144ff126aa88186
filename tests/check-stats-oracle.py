#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compares Assay's agreement coefficients with NLTK's on random data.

nltk.metrics.agreement.AnnotationTask is an independent implementation:
  alpha()  Krippendorff's alpha, any number of coders, missing values
           (binary_distance: nominal; interval_distance: interval)
  kappa()  the mean over pairs of coders of Cohen's kappa
  pi()     multi-pi (Fleiss' kappa when every coder rates every item)
NLTK's kappa and pi assume complete data (their expected agreement divides
by all items), so they are compared on complete tables; alpha is compared on
tables with missing values too. Usage: check-stats-oracle.py STATS-ORACLE
"""

import json
import random
import subprocess
import sys

from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance, interval_distance

TOLERANCE = 1e-9


def ours(helper, ratings, n_coders, n_values):
    text = "".join(f"{u} {c} {v}\n" for u, c, v in sorted(ratings))
    out = subprocess.run([helper, str(n_coders), str(n_values)], input=text,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


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
        if complete:
            check(f"case {i} mean Cohen kappa", got["mean_kappa"], nominal.kappa(), failures)
            check(f"case {i} Fleiss kappa (multi-pi)", got["fleiss_kappa"], nominal.pi(),
                  failures)
            check(f"case {i} agreement", got["agreement"], nominal.avg_Ao(), failures)
        cases += 1
        failed_cases += len(failures) > before

    for failure in failures:
        print(failure)
    print(f"{cases} random tables compared with NLTK")
    print(f"{cases - failed_cases} passed, {failed_cases} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
