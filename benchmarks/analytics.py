"""Full analysis of a 100,000-respondent campaign of all four instruments: time and memory.

Prints the wall time of each stage, the peak memory the analysis allocates (a second run
under tracemalloc, which sees numpy's buffers but slows the run) and the process's maximum
resident size, and, as the bare baseline measured in the same run, a plain scikit-learn
GaussianMixture fit of the same clustering (the chosen number of patterns, same covariance
type) on the same standardised matrix, with the ratio.
It also stores the campaign in SQLite (answer vectors only) and times reading it back, and
reports the release audit's own share (its time, sensitive quantities, linear programs and
added suppressions), measured by wrapping `disclosure_audit.audit` as the analysis calls it,
and the measurement-invariance check's share, measured the same way.

    .venv/bin/python benchmarks/analytics.py [--respondents 100000]
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
import uuid
from datetime import date

import numpy as np
import sqlalchemy as sa
from common import benchmark_app, demo_campaign, timed

from surveyapp.analytics import disclosure_audit, invariance, scoring
from surveyapp.analytics.patterns import REG_COVAR
from surveyapp.analytics.release_audit import NextRelease, Release, next_release
from surveyapp.analytics.release_rule import figure_masks, quality_masks
from surveyapp.analytics.report import analyze
from surveyapp.demo import synthetic as demo
from surveyapp.extensions import db
from surveyapp.models import Function, OrgUnit, Response
from surveyapp.services.analysis import library_from
from surveyapp.services.datasets import load_campaign_data
from surveyapp.services.layout import campaign_layout
from surveyapp.services.result_releases import MAX_OPEN_RELEASES, publish


def bare_fit_seconds(data, k: int, covariance: str) -> float:
    """Time of one GaussianMixture fit with the analysis's settings on the same matrix."""
    from sklearn.mixture import GaussianMixture
    from threadpoolctl import threadpool_limits

    scores = scoring.respondent_scores(data)
    matrix = scores[[s.key for s in data.scales if s.cluster]].dropna().to_numpy()
    z = (matrix - matrix.mean(axis=0)) / matrix.std(axis=0)
    start = time.perf_counter()
    with threadpool_limits(limits=1):
        GaussianMixture(k, covariance_type=covariance, reg_covar=REG_COVAR, random_state=0).fit(z)
    return time.perf_counter() - start


def store_vectors(campaign, layout, data) -> None:
    """Insert the responses with their answer vectors (no per-item rows) to time the read."""
    units = dict(db.session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all())
    functions = dict(db.session.execute(sa.select(Function.code, Function.id)).all())
    matrix = data.answers[[q.column for q in layout.vector_questions]].to_numpy("<f4")
    rows = [
        {
            "id": uuid.uuid4(),
            "campaign_id": campaign.id,
            "unit_id": units[unit],
            "function_id": functions[function],
            "level": level,
            "locale": locale,
            "consent": False,
            "submitted_on": date.today(),
            "answer_vector": matrix[i].tobytes(),
        }
        for i, (unit, function, level, locale) in enumerate(
            data.respondents[["unit", "function", "level", "locale"]].itertuples(index=False)
        )
    ]
    db.session.execute(sa.insert(Response), rows)
    db.session.commit()


def closing_release(data) -> NextRelease:
    """The step rule and the audit of the most an open campaign is audited against: its
    closing release, stacked on MAX_OPEN_RELEASES earlier ones (arrivals evenly spread up to
    95%), for the last 5%."""
    order = np.arange(len(data.respondents))
    shares = np.linspace(0.95 / MAX_OPEN_RELEASES, 0.95, MAX_OPEN_RELEASES)
    frames = [data.respondents[order < int(len(order) * share)] for share in shares]
    arrived = order < len(frames[-1])
    return next_release(
        [Release(frame, frozenset()) for frame in frames],
        data.respondents[~arrived],
        figure_masks(data)[~arrived],
        data.unit_parents,
        data.min_group_size,
        final=False,
        overall=quality_masks(data)[~arrived],
    )


def timing_the_audit() -> list[tuple[float, disclosure_audit.AuditResult]]:
    """Wrap the audit so every call the analysis makes records its time and result."""
    calls: list[tuple[float, disclosure_audit.AuditResult]] = []
    audit = disclosure_audit.audit

    def timed_audit(*args, **kwargs) -> disclosure_audit.AuditResult:
        start = time.perf_counter()
        result = audit(*args, **kwargs)
        calls.append((time.perf_counter() - start, result))
        return result

    disclosure_audit.audit = timed_audit
    return calls


def timing_the_invariance_check() -> list[float]:
    """Wrap the invariance check so every call the analysis makes records its time."""
    calls: list[float] = []
    check = invariance.scale_invariance

    def timed_check(*args, **kwargs) -> list[invariance.ScaleInvariance]:
        start = time.perf_counter()
        result = check(*args, **kwargs)
        calls.append(time.perf_counter() - start)
        return result

    invariance.scale_invariance = timed_check
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    args = parser.parse_args()
    times: dict[str, float] = {}
    with benchmark_app() as app:
        campaign = demo_campaign(app)
        layout = campaign_layout(campaign)
        library = library_from(app.config["SURVEYAPP_INSTRUMENTS_DIR"])
        with timed("generate", times):
            units = demo.scaled_units(demo.DEMO_UNITS, args.respondents)
            wave = demo.synthesize(layout, units, seed=1)
            parents = {plan.code: plan.parent for plan in demo.DEMO_UNITS}
            data = demo.to_campaign_data(wave, layout, parents, campaign.slug)
        audits = timing_the_audit()
        checks = timing_the_invariance_check()
        with timed("analysis", times):
            document = analyze(data, library, seed=0)
        seconds, audited = audits[0]
        times["  of which release audit"] = seconds
        times["  of which invariance check"] = checks[0]
        tracemalloc.start()
        with timed("analysis under tracemalloc", times):
            analyze(data, library, seed=0)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        k = max(document["patterns"]["count"], 1)
        covariance = document["patterns"]["quality"]["covariance"] or "full"
        times["bare GaussianMixture fit"] = bare_fit_seconds(data, k, covariance)
        with timed("store vectors (SQLite)", times):
            store_vectors(campaign, layout, data)
        with timed("first result release", times):
            publish(db.session, campaign)
            db.session.commit()
        audits.clear()
        with timed("closing result release", times):
            step = closing_release(data)
        times["  of which its audits"] = sum(seconds for seconds, _ in audits)
        with timed("load campaign from SQLite", times):
            loaded = load_campaign_data(db.session, campaign)
    respondents, columns = data.answers.shape
    print(
        f"respondents: {respondents:,}  answer columns: {columns}  "
        f"answers: {int(np.isfinite(data.answers.to_numpy()).sum()):,}  "
        f"comments: {len(data.comments):,}  groups: {len(document['groups']):,}"
    )
    print(
        f"patterns: {document['patterns']['count']} (distinct: "
        f"{document['patterns']['distinct']}, covariance "
        f"{document['patterns']['quality'].get('covariance')}, entropy "
        f"{document['patterns']['quality'].get('entropy')})"
    )
    for label, seconds in times.items():
        print(f"{label:28} {seconds:8.2f} s")
    print(
        f"{'analysis / bare fit':28} {times['analysis'] / times['bare GaussianMixture fit']:8.1f} x"
    )
    print(f"{'analysis peak (tracemalloc)':28} {peak / 2**20:8.0f} MiB")
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'process max RSS':28} {max_rss:8.0f} MiB")
    print(f"loaded back: {len(loaded.respondents):,} responses")
    print(
        f"release audit: {audited.targets} sensitive quantities, {audited.programs} linear "
        f"programs, {len(audited.added)} groups hidden beyond the sibling rule"
    )
    print(
        f"closing release (5% new, audited with {MAX_OPEN_RELEASES} before): "
        f"{int(step.added.sum()):,} of "
        f"{len(step.added):,} new responses added, {len(step.withheld)} groups withheld"
    )
    print("targets: analysis with its release audit <= 15 s, peak <= 2048 MiB")


if __name__ == "__main__":
    main()
