"""Reference values for the funnel plots' statistics, computed with
SciPy's exact distributions (independently of `shared/src/funnel.rs`,
whose definitions they follow): control limits from binomial and Poisson
quantiles with Spiegelhalter's interpolation, Clopper-Pearson and exact
Poisson confidence intervals from beta and chi-square quantiles, doubled
one-sided p-values, and Benjamini-Hochberg decisions from SciPy's
`false_discovery_control`.

    python e2e/tests/funnel_reference.py > shared/tests/data/funnel_scipy.json

`test_funnel_reference.py` checks that the committed file is exactly what
this prints; `shared/tests/funnel.rs` checks our code against it.
"""

import json
import sys

import numpy as np
from scipy import stats

SIZES = [10, 57, 250, 1000, 4321, 20000, 150000]
SHARES = [0.003, 0.05, 0.21, 0.5]
RATES = [0.0004, 0.01, 0.3, 2.5]
PROBABILITIES = [0.001, 0.025, 0.975, 0.999]


def dist(model, n, theta):
    return stats.binom(n, theta) if model == "binomial" else stats.poisson(theta * n)


def limit(model, n, theta, p):
    d = dist(model, n, theta)
    r = d.ppf(p)
    at, below = d.cdf(r), d.cdf(r - 1)
    alpha = (at - p) / (at - below) if at > below else 0.0
    value = max((r - alpha) / n, 0.0)
    return min(value, 1.0) if model == "binomial" else value


def interval(model, x, n, level):
    a = 1 - level
    if model == "binomial":
        lower = 0.0 if x == 0 else stats.beta.ppf(a / 2, x, n - x + 1)
        upper = 1.0 if x == n else stats.beta.ppf(1 - a / 2, x + 1, n - x)
    else:
        lower = 0.0 if x == 0 else stats.chi2.ppf(a / 2, 2 * x) / 2 / n
        upper = stats.chi2.ppf(1 - a / 2, 2 * x + 2) / 2 / n
    return float(lower), float(upper)


def p_value(model, x, n, theta):
    d = dist(model, n, theta)
    return float(min(1.0, 2 * min(d.cdf(x), d.sf(x - 1))))


def main():
    limits = []
    for model, thetas in (("binomial", SHARES), ("poisson", RATES)):
        for n in SIZES:
            for theta in thetas:
                for p in PROBABILITIES:
                    limits.append(
                        {"model": model, "n": n, "theta": theta, "p": p, "limit": float(limit(model, n, theta, p))}
                    )
    intervals, p_values = [], []
    for model in ("binomial", "poisson"):
        for n, x in [(10, 0), (10, 3), (10, 10), (57, 1), (250, 31), (4321, 220), (20000, 1234), (150000, 77)]:
            lower, upper = interval(model, x, n, 0.95)
            intervals.append({"model": model, "x": x, "n": n, "level": 0.95, "lower": lower, "upper": upper})
            for theta in (0.05, 0.12):
                p_values.append({"model": model, "x": x, "n": n, "theta": theta, "p": p_value(model, x, n, theta)})
    rng = np.random.default_rng(8)
    bh = []
    for m in (1, 5, 20, 114):
        ps = [float(p) for p in np.concatenate([rng.uniform(0, 0.02, m // 4), rng.uniform(0, 1, m - m // 4)])]
        for q in (0.05, 0.1):
            adjusted = stats.false_discovery_control(ps, method="bh")
            bh.append({"p": ps, "q": q, "clear": [bool(a <= q) for a in adjusted]})
    json.dump({"limits": limits, "intervals": intervals, "p_values": p_values, "bh": bh}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
