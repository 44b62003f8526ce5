"""Per-person literacy CSV export of 1,000,000 rows: rows per second and peak memory.

In the same run, a bare `csv.writer` loop writes the same rows (already as Python lists) to
compare with. The people and their scores are synthetic frames shaped as the export reads
them (`consenting_people` input); reading them from a database is not part of this figure.

    .venv/bin/python benchmarks/exports.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from surveyapp.analytics.scoring import (
    LITERACY_INDEX,
    LITERACY_LEVEL,
    QUIZ_PERCENT,
    literacy_levels,
)
from surveyapp.exports.literacy import DIMENSIONS, consenting_people, person_table
from surveyapp.exports.writers import write_csv


def synthetic_people(rows: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Respondents (all consenting) and their literacy scores, as the export receives them."""
    rng = np.random.default_rng(0)
    index = pd.Index([f"r{i:07d}" for i in range(rows)], name="response_id")
    respondents = pd.DataFrame(
        {
            "unit": rng.choice(["BR-NORTH", "BR-SOUTH", "CONTACT", "=HYPERLINK(1)"], rows),
            "function": rng.choice(["finance", "sales", "operations"], rows),
            "level": rng.choice(["frontline", "manager", "senior_leader"], rows),
            "locale": "en",
            "consent": True,
            "employee_id": [f"E{i:07d}" for i in range(rows)],
        },
        index=index,
    )
    scores = pd.DataFrame(
        {f"ai-literacy.{name}": rng.uniform(1, 5, rows) for name in DIMENSIONS}, index=index
    )
    scores[QUIZ_PERCENT] = rng.uniform(0, 100, rows)
    scores[LITERACY_INDEX] = rng.uniform(0, 100, rows)
    scores[LITERACY_LEVEL] = literacy_levels(scores[LITERACY_INDEX])
    return respondents, scores


def export(respondents: pd.DataFrame, scores: pd.DataFrame, path: Path) -> int:
    """The export as the CLI runs it, from the score frames to the CSV file."""
    return write_csv(
        person_table("bench", consenting_people(respondents, scores, "bench", {}, {})), path
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    respondents, scores = synthetic_people(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        written = export(respondents, scores, Path(tmp) / "p.csv")
        export_seconds = time.perf_counter() - start
        tracemalloc.start()
        export(respondents, scores, Path(tmp) / "q.csv")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        people = consenting_people(respondents, scores, "bench", {}, {})
        rows = people.astype(object).where(people.notna(), None).to_numpy().tolist()
        start = time.perf_counter()
        with (Path(tmp) / "bare.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(list(people.columns))
            writer.writerows(rows)
        bare_seconds = time.perf_counter() - start
    print(f"rows: {written:,}")
    print(
        f"export:               {written / export_seconds:10,.0f} rows/s  {export_seconds:6.2f} s"
    )
    print(f"bare csv.writer loop: {len(rows) / bare_seconds:10,.0f} rows/s  {bare_seconds:6.2f} s")
    print(
        f"export / bare rate:      {(written / export_seconds) / (len(rows) / bare_seconds):10.2f}"
    )
    print(
        f"export peak memory (second run, tracemalloc, beyond the inputs): {peak / 2**20:,.0f} MiB"
    )
    print("targets: >= 200,000 rows/s, peak < 300 MB")


if __name__ == "__main__":
    main()
