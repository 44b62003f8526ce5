"""PDF briefs: one unit's brief against a bare WeasyPrint render of as much, and a batch rate.

Stores two demo waves (about 900 respondents each), analyses the second once, then times
(a) one unit's brief, warm, against bare WeasyPrint renders of static HTML (target: at most
1.5 times the full baseline, CPU time), and (b) briefs rendered through the process pool the
CLI uses, in briefs per second.

The full baseline is the brief's own volume, counted from the HTML it renders: the same number
of pages, the same headings, paragraphs and table cells with as many characters of text, in the
brief's order and type size, and the same SVG charts (each with the brief's size and numbers of
rectangles, lines and texts, the texts as long), with no CSS beyond @page, a font and a page
break where each page's share ends. What the product adds (its stylesheet, fonts, running
headers, tagged PDF/UA, fixed tables, chart styling) is what the ratio prices. The ratio is
read two ways: best brief over best bare, each timed apart, and the median over renders of
the brief and the bare taken in turn (pairs that met the same load of a shared machine).

The sparse baseline is the one used before: one heading, one short paragraph and an 8-row table
a page plus the charts, far emptier than a page of the brief (about 2.2 times cheaper); it is
still printed, so that the change of yardstick stays visible.

    .venv/bin/python benchmarks/briefs.py [--respondents 900] [--batch 50] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gc
import io
import itertools
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from bare_briefs import brief_charts, brief_volume, full_bare_html, sparse_bare_html
from common import benchmark_app, demo_campaign, timed

from surveyapp.briefs.service import BriefJob, plan_briefs, render_job, write_briefs
from surveyapp.catalog import ALL_INSTRUMENTS
from surveyapp.demo import synthetic as demo
from surveyapp.extensions import db
from surveyapp.models import Campaign, Function, OrgUnit
from surveyapp.services.campaigns import CampaignSpec, create_campaign
from surveyapp.services.layout import campaign_layout
from surveyapp.services.responses import record_responses
from surveyapp.services.result_releases import publish

UNIT = "BR-NORTH"
PAIRS = 11  # brief and bare renders taken in turn for the paired ratio
PARAGRAPH = ("Readiness for AI differs between teams, and the reasons differ too. " * 12).strip()


def store_waves(app, respondents: int) -> Campaign:
    """Two waves of the demo organisation; the second, with dates, is returned."""
    first = demo_campaign(app, "wave-1")
    layout = campaign_layout(first)
    units = dict(db.session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all())
    functions = dict(db.session.execute(sa.select(Function.code, Function.id)).all())
    second = create_campaign(
        db.session,
        CampaignSpec(
            "wave-2", "AI adoption pulse, spring 2025", ALL_INSTRUMENTS, [], True, "anonymous"
        ),
    )
    second.opens_at = datetime(2025, 3, 3, tzinfo=UTC)
    second.closes_at = datetime(2025, 3, 24, tzinfo=UTC)
    second.status = "closed"  # fieldwork of spring 2025, over: the brief says so
    for campaign, seed, shift in ((first, 3, 0.0), (second, 4, 0.4)):
        wave = demo.synthesize(layout, demo.scaled_units(demo.DEMO_UNITS, respondents), seed, shift)
        submissions = demo.to_submissions(wave, layout, units, functions)
        record_responses(db.session, campaign, layout, submissions)
        publish(db.session, campaign)  # figures read the latest result release only
    db.session.commit()
    return second


def bare_with_brief_fonts() -> dict:
    """write_pdf options that give the bare HTML the brief's own fonts (and nothing else)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from surveyapp.briefs.fetcher import StaticAssetFetcher

    fonts = FontConfiguration()
    faces = "".join(
        f'@font-face {{ font-family: "Brief Sans"; font-weight: {weight}; '
        f"src: url(surveyapp-static:fonts/BriefSans-{name}.ttf) }}"
        for weight, name in (("normal", "Regular"), ("bold", "Bold"))
    )
    css = CSS(
        string=faces + 'body { font-family: "Brief Sans" }',
        url_fetcher=StaticAssetFetcher(),
        font_config=fonts,
    )
    return {"stylesheets": [css], "font_config": fonts}


def unit_group(job: BriefJob) -> dict:
    """The job's own unit group (a unit missing from the document counts as hidden)."""
    found = (g for g in job.analysis["groups"] if g["kind"] == "unit" and g["key"] == job.unit)
    return next(found, {"suppressed": True})


def paired_cpu(runs: int, brief, bare) -> tuple[list[float], list[float]]:
    """CPU times of `brief` and `bare` taken in turn, `runs` of each, so that both meet the
    same moments of a shared machine; their ratio is read pair by pair."""
    briefs, bares = [], []
    for _ in range(runs):
        for work, times in ((brief, briefs), (bare, bares)):
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
    return briefs, bares


def best_of(runs: int, work, clock=time.perf_counter) -> float:
    """The shortest time of `runs` calls: wall time, or with `time.process_time` the CPU time
    of this process, which other work on a shared machine does not inflate (a render is
    single-threaded, so its CPU time is what it costs)."""
    times = []
    for _ in range(runs):
        start = clock()
        work()
        times.append(clock() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=900)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="also write every unit's brief here")
    args = parser.parse_args()

    import pypdf

    from surveyapp.briefs import fetcher  # noqa: F401 (imports WeasyPrint quietly)

    from weasyprint import HTML  # isort: skip

    results: dict[str, float] = {}
    with benchmark_app() as app:
        campaign = store_waves(app, args.respondents)
        with timed("analysis and planning (all units)", results):
            jobs = plan_briefs(db.session, campaign, app.config["SURVEYAPP_INSTRUMENTS_DIR"])
        if args.keep:
            write_briefs(jobs, args.keep)
    job = next(j for j in jobs if j.unit == UNIT)
    with timed("first brief (cold: imports, fonts)", results):
        pdf = render_job(job)
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    volume = brief_volume(job)
    charts, shapes = brief_charts(job)
    baselines = {
        "full": full_bare_html(volume, pages),
        "sparse": sparse_bare_html(pages, charts, shapes),
    }
    bare_pages = {
        name: len(pypdf.PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages)
        for name, html in baselines.items()
    }
    same_fonts = bare_with_brief_fonts()
    # As a brief worker does after its warm-up (briefs.service._warm_up): what is loaded, here
    # with the benchmark's own stored waves and analysis, stays out of the collector's passes,
    # for the brief and the bare render alike.
    gc.collect()
    gc.freeze()
    pairs = paired_cpu(
        PAIRS, lambda: render_job(job), lambda: HTML(string=baselines["full"]).write_pdf()
    )
    brief_wall = best_of(5, lambda: render_job(job))
    brief_cpu = best_of(5, lambda: render_job(job), time.process_time)
    wall = {n: best_of(5, lambda h=h: HTML(string=h).write_pdf()) for n, h in baselines.items()}
    cpu = {
        n: best_of(5, lambda h=h: HTML(string=h).write_pdf(), time.process_time)
        for n, h in baselines.items()
    }
    full_same_fonts = best_of(5, lambda: HTML(string=baselines["full"]).write_pdf(**same_fonts))
    tables = [b for b in volume.blocks if b[0] == "table"]
    print(
        f"brief of {UNIT}: {pages} pages, {volume.count('h')} headings, {volume.count('p')} "
        f"text blocks, {volume.text_chars()} characters of text, {len(tables)} tables of "
        f"{sum(t[1] for t in tables)} rows and {sum(t[1] * t[2] for t in tables)} cells, "
        f"{charts} charts of {shapes} shapes on average"
    )
    rows = {
        **results,
        "one brief, warm (wall)": brief_wall,
        "one brief, warm (CPU)": brief_cpu,
        f"full bare, same volume, {bare_pages['full']} pages (wall)": wall["full"],
        f"full bare, same volume, {bare_pages['full']} pages (CPU)": cpu["full"],
        "full bare, the brief's fonts (wall)": full_same_fonts,
        f"sparse bare (old), {bare_pages['sparse']} pages (wall)": wall["sparse"],
        f"sparse bare (old), {bare_pages['sparse']} pages (CPU)": cpu["sparse"],
    }
    for label, seconds in rows.items():
        print(f"{label:<52} {seconds:8.3f} s")
    for name in baselines:
        print(
            f"{f'ratio brief / {name} bare, CPU (wall)':<52} {brief_cpu / cpu[name]:8.2f} x "
            f"({brief_wall / wall[name]:.2f} x){' target 1.5' if name == 'full' else ''}"
        )
    print(
        f"{'ratio brief / full bare, same fonts (wall)':<52} {brief_wall / full_same_fonts:8.2f} x"
    )
    ratios = sorted(b / a for b, a in zip(*pairs, strict=True))
    print(
        f"{f'ratio brief / full bare, CPU, {PAIRS} pairs in turn':<52} "
        f"{statistics.median(ratios):8.2f} x median (range {ratios[0]:.2f}-{ratios[-1]:.2f}; "
        f"best brief / best bare {min(pairs[0]) / min(pairs[1]):.2f} x)"
    )
    if args.batch:
        batch_rate(jobs, args.batch)


def batch_rate(jobs: list[BriefJob], size: int) -> None:
    """Print how many briefs a second the CLI's process pool writes (pool start included)."""
    shown = [j for j in jobs if not unit_group(j)["suppressed"]]
    batch = [
        BriefJob(j.unit, f"{i:02d}-{j.path_name}", j.analysis, j.meta)
        for i, j in enumerate(itertools.islice(itertools.cycle(shown), size))
    ]
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        write_briefs(batch, Path(out))
        batch_time = time.perf_counter() - start
    print(
        f"batch of {len(batch)} briefs on {min(len(batch), os.cpu_count() or 1)} workers"
        f"        {batch_time:8.3f} s = {len(batch) / batch_time:.2f} briefs/s"
        " (pool start included)"
    )


if __name__ == "__main__":
    main()
