"""The evidence coverage audit on the demo-size organisation: time and what it took.

Builds the demo's organisation in memory (its units and sizes, its AI-systems inventory, its
measures and the completions it delivers between the waves, scaled by `--scale`), then times
`coverage_disclosure.publish_coverage` over the evidence day and the two wave days, as a pack
build calls it. Reports the audit's sensitive quantities, linear programs and added
suppressions (by wrapping `disclosure_audit.audit`), and, as the bare baseline measured in the
same run, one plain HiGHS `linprog` over the same equations, with the ratio.

`--every-kind` requires all three kinds of measure of every tier, and gives everyone every
tier and one measure per tier and kind, each completed by half the people on one of the days
(nine required pairs a person: the most cells a requirements file can ask for) and
`--days N` audits N days (the demo's three, then one more a month): together they show
what `coverage_disclosure.MAX_COMBINATIONS` bounds.

    .venv/bin/python benchmarks/evidence_audit.py [--scale 1] [--repeat 3]
        [--every-kind] [--days 3]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
from common import CHECKOUT_DIR
from scipy.optimize import linprog

from surveyapp.analytics import coverage_disclosure, disclosure_audit
from surveyapp.analytics.literacy_evidence import Done, Organisation, Person, Use
from surveyapp.analytics.literacy_requirements import (
    MEASURE_KINDS,
    REQUIREMENTS_FILE,
    Requirements,
    load_requirements,
)
from surveyapp.demo.evidence import CATALOGUE, DELIVERED, INVENTORY, KINDS
from surveyapp.demo.profiles import DEMO_UNITS

DAYS = [date(2026, 1, 31), date(2026, 3, 15), date(2026, 4, 1)]  # wave 1, wave 2, evidence
LEVEL_SHARES = {"frontline": 0.8, "manager": 0.15, "senior_leader": 0.05}


def organisation(rng: np.random.Generator, scale: float) -> tuple[Organisation, list[Done]]:
    """The demo's units and roster (sizes times `scale`) and its delivered completions."""
    names = {plan.code: plan.name for plan in DEMO_UNITS}
    parents = {plan.code: plan.parent for plan in DEMO_UNITS}
    people, completions = [], []
    metadata = {title: (tiers, systems) for title, _, _, tiers, systems in CATALOGUE}
    for plan in DEMO_UNITS:
        for _ in range(round(plan.size * scale)):
            level = rng.choice(list(LEVEL_SHARES), p=list(LEVEL_SHARES.values()))
            person = Person(len(people) + 1, plan.code, "operations", str(level))
            people.append(person)
            titles, share = DELIVERED.get(plan.code, ((), 0.0))
            if rng.random() >= share:
                continue
            for title in titles:
                tiers, systems = metadata[title]
                completions.append(
                    Done(
                        person.person_id,
                        title,
                        KINDS[title],
                        tuple(filter(None, [tiers])),
                        tuple(filter(None, [systems])),
                        DAYS[0] if rng.random() < 0.2 else DAYS[1],
                    )
                )
    return Organisation(names, parents, people), completions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--every-kind", action="store_true", help="every tier needs all kinds")
    parser.add_argument("--days", type=int, default=len(DAYS), help="days audited (3 or more)")
    options = parser.parse_args()
    days = DAYS + [DAYS[-1] + timedelta(days=30 * n) for n in range(1, options.days - 2)]
    rng = np.random.default_rng(7)
    org, completions = organisation(rng, options.scale)
    uses = [Use(system, tier, unit, None, None) for system, _, tier, unit in INVENTORY]
    requirements = load_requirements(CHECKOUT_DIR / "instruments" / REQUIREMENTS_FILE)
    if options.every_kind:
        requirements = Requirements(
            {t: replace(need, measures=MEASURE_KINDS) for t, need in requirements.tiers.items()},
            requirements.coverage_target,
        )
        uses += [Use(f"every {tier}", tier, None, None, None) for tier in requirements.tiers]
        completions += [
            Done(p.person_id, f"{kind} {tier}", kind, (tier,), (), days[rng.integers(len(days))])
            for p in org.people
            for tier in requirements.tiers
            for kind in MEASURE_KINDS
            if rng.random() < 0.5
        ]
    seen: dict = {}
    original = disclosure_audit.audit

    def watched(members, cells, hidden, min_size, fixed=None):
        result = original(members, cells, hidden, min_size, fixed)
        seen.update(members=members, cells=cells, hidden=result.hidden, result=result)
        return result

    coverage_disclosure.disclosure_audit.audit = watched
    print(
        f"people {len(org.people):,}, units {len(org.names)}, completions {len(completions):,}, "
        f"days {len(days)}, every kind required: {options.every_kind}"
    )
    for run in range(options.repeat):
        start = time.perf_counter()
        coverage_disclosure.publish_coverage(org, uses, completions, requirements, 5, days)
        audit_time = time.perf_counter() - start
        members, cells, result = seen["members"], seen["cells"], seen["result"]
        shown = ~seen["hidden"]
        counts = np.asarray(members @ cells).ravel()
        start = time.perf_counter()
        linprog(
            -np.ones(members.shape[1]) / members.shape[1],
            A_eq=members[shown],
            b_eq=counts[shown].astype(float),
            bounds=(0, None),
            method="highs",
        )
        bare = time.perf_counter() - start
        print(
            f"run {run + 1}: publish_coverage {audit_time * 1000:.0f} ms "
            f"(rows {members.shape[0]}, cells {members.shape[1]}, sensitive {result.targets}, "
            f"programs {result.programs}, added {len(result.added)}); one bare linprog of the "
            f"same size {bare * 1000:.1f} ms; ratio {audit_time / bare:.0f}x"
        )


if __name__ == "__main__":
    main()
