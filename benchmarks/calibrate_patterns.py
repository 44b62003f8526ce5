"""Calibration of the segmentation gate on seeded simulations: the tables in docs/analysis.md.

Prints (1) the reference cases at seed 0, row for row as docs/analysis.md lists them (the tests
re-run them), and (2) over several seeds per case, how often the gate says "distinct", the
median relative entropy, smallest AvePP and (planted cases) adjusted Rand index.

    .venv/bin/python benchmarks/calibrate_patterns.py [--seeds 5]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from surveyapp.analytics.library import load_patterns
from surveyapp.analytics.simulation import (
    CONSTRUCTS,
    FOUR_PATTERNS,
    REFERENCE_SCENARIOS,
    SINGLE_KINDS,
    TABLE_HEADER,
    Scenario,
    run,
    table_row,
)

CHECKOUT = Path(__file__).resolve().parent.parent
SWEEP = (
    *(Scenario("planted", n, d) for d in (1.0, 1.5, 2.0, 2.5, 3.0) for n in (150, 500, 1000, 2000)),
    Scenario("planted", 2000, 1.5, (0.25, 0.25, 0.25, 0.25)),
    Scenario("planted", 2000, 2.0, (0.25, 0.25, 0.25, 0.25)),
    Scenario("planted", 500, 2.0, (0.7, 0.3)),
    Scenario("planted", 2000, 1.0, (0.7, 0.3)),
    *(Scenario(kind, n) for kind in SINGLE_KINDS for n in (500, 2000)),
)


def sweep_row(scenario: Scenario, archetypes, seeds: int) -> str:
    """Share of seeds called distinct and the medians of the evidence, as a Markdown row."""
    distinct, entropy, avepp, ari, power = 0, [], [], [], 0
    for seed in range(seeds):
        result, truth = run(scenario, archetypes, seed)
        gate = result.gate
        distinct += result.distinct
        power += gate.needed is not None
        if gate.avepp:
            entropy.append(gate.entropy)
            avepp.append(min(gate.avepp.values()))
        if truth is not None and len(result.labels):
            ari.append(adjusted_rand_score(truth, result.labels.astype(str)))

    def median(values: list[float]) -> str:
        return f"{statistics.median(values):.2f}" if values else "-"

    cells = [
        scenario.name,
        f"{scenario.n:,}",
        f"{distinct}/{seeds}",
        f"{power}/{seeds}",
        median(entropy),
        median(avepp),
        median(ari),
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    archetypes = load_patterns(CHECKOUT / "instruments" / "patterns.yaml", CONSTRUCTS)
    print(TABLE_HEADER)
    for scenario in REFERENCE_SCENARIOS:
        print(table_row(scenario, *run(scenario, archetypes)), flush=True)
    print()
    print("| case | n | distinct | too few | entropy | min AvePP | ARI |")
    print("|---|---|---|---|---|---|---|")
    for scenario in SWEEP:
        print(sweep_row(scenario, archetypes, args.seeds), flush=True)
    print(f"\nmixture of the 4-pattern cases: {FOUR_PATTERNS}")


if __name__ == "__main__":
    main()
