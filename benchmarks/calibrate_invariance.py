"""Calibration of the measurement-invariance check on seeded simulations: the table in
docs/analysis.md.

Each row draws a three-item scale on a 1-5 scale in groups of the given sizes from a known
one-factor model (`analytics/invariance_simulation.py`), over seeds 0..N-1, and counts the
verdicts: with the rule the analysis uses (CFI drop > .01 and chi-square difference p < .01)
and, for comparison, with the CFI drop alone.

    .venv/bin/python benchmarks/calibrate_invariance.py [--seeds 40]
"""

from __future__ import annotations

import argparse
from collections import Counter

from surveyapp.analytics import invariance
from surveyapp.analytics.invariance_simulation import Scenario, check

SIZES = ((200, 200), (500, 500), (2000, 2000), (700, 300), (1400, 400, 200))
VERDICTS = (invariance.SCALAR, invariance.METRIC, invariance.CONFIGURAL_ONLY)


def cfi_alone(result: invariance.ScaleInvariance) -> str:
    """The verdict a CFI drop over .01 alone would give."""
    _, metric, scalar = result.steps
    if metric.delta_cfi > invariance.MAX_DELTA_CFI:
        return invariance.CONFIGURAL_ONLY
    if scalar.delta_cfi > invariance.MAX_DELTA_CFI:
        return invariance.METRIC
    return invariance.SCALAR


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=40)
    args = parser.parse_args()
    print("| groups | model | scalar | metric | configural only | CFI drop alone |")
    print("|---|---|---|---|---|---|")
    for sizes in SIZES:
        for scenario in (
            Scenario(sizes),
            Scenario(sizes, intercept_shift=0.3),
            Scenario(sizes, intercept_shift=0.5),
            Scenario(sizes, loading_ratio=0.5),
        ):
            results = [check(scenario, seed) for seed in range(args.seeds)]
            verdicts = Counter(r.verdict for r in results)
            alone = Counter(cfi_alone(r) for r in results)
            counts = " | ".join(f"{verdicts[v]}/{args.seeds}" for v in VERDICTS)
            alternative = "/".join(str(alone[v]) for v in VERDICTS)
            groups = " + ".join(f"{n:,}" for n in sizes)
            print(f"| {groups} | {scenario.label} | {counts} | {alternative} |", flush=True)


if __name__ == "__main__":
    main()
