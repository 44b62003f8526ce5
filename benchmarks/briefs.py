"""PDF briefs: one unit's brief against a bare WeasyPrint render, and a 50-brief batch rate.

Stores two demo waves (about 900 respondents each), analyses the second once, then times
(a) one unit's brief, warm, against a bare WeasyPrint render of static HTML with the same
number of pages and the same number of inline SVG charts, each with the brief's average
number of shapes (target: at most 1.5 times), and (b) 50 briefs rendered through the process
pool the CLI uses, in briefs per second.

    .venv/bin/python benchmarks/briefs.py [--respondents 900] [--batch 50] [--keep DIR]
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import re
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from common import benchmark_app, demo_campaign, timed

from surveyapp.briefs.meta import BriefMeta
from surveyapp.briefs.render import brief_html
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
    for campaign, seed, shift in ((first, 3, 0.0), (second, 4, 0.4)):
        wave = demo.synthesize(layout, demo.scaled_units(demo.DEMO_UNITS, respondents), seed, shift)
        submissions = demo.to_submissions(wave, layout, units, functions)
        record_responses(db.session, campaign, layout, submissions)
        publish(db.session, campaign)  # figures read the latest result release only
    db.session.commit()
    return second


SHAPE = re.compile(r"<(?:rect|text|line)\b")


def brief_charts(job: BriefJob) -> tuple[int, int]:
    """How many SVG charts the job's brief draws, and their average number of shapes."""
    html = brief_html(job.analysis, job.unit, BriefMeta.from_dict(job.meta))
    charts = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    shapes = sum(len(SHAPE.findall(chart)) for chart in charts)
    return len(charts), shapes // max(1, len(charts))


def bare_chart(shapes: int) -> str:
    """A plain SVG bar chart of about `shapes` shapes (a bar and a label per row)."""
    rows = max(1, shapes // 2)
    body = "".join(
        f'<rect x="200" y="{i * 13}" width="{120 + i * 7 % 200}" height="11" fill="#1d3557"/>'
        f'<text x="190" y="{i * 13 + 10}" text-anchor="end">Row {i}</text>'
        for i in range(rows)
    )
    return (
        f'<svg viewBox="0 0 600 {rows * 13}" width="600" height="{rows * 13}" '
        f'font-size="10" style="width: 90%; height: auto">{body}</svg>'
    )


def bare_html(pages: int, charts: int = 0, shapes: int = 0) -> str:
    """Static HTML of `pages` A4 pages (one heading, paragraphs and a table each), same font,
    with `charts` SVG charts of `shapes` shapes spread over the pages."""
    rows = "".join(f"<tr><td>Row {i}</td><td>{i * 7}</td></tr>" for i in range(8))
    page = (
        f"<h2>Section</h2>{f'<p>{PARAGRAPH}</p>' * (3 if not charts else 1)}<table>{rows}</table>"
    )
    per_page = [charts // pages + (1 if i < charts % pages else 0) for i in range(pages)]
    sections = "".join(
        f'<section style="break-before: page">{page}{bare_chart(shapes) * count}</section>'
        for count in per_page
    )
    style = "<style>@page { size: A4 } body { font-family: 'DejaVu Sans' }</style>"
    return f"<!DOCTYPE html><html lang='en'><head>{style}</head><body>{sections}</body></html>"


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
    charts, shapes = brief_charts(job)
    static = bare_html(pages, charts, shapes)
    bare_pages = len(pypdf.PdfReader(io.BytesIO(HTML(string=static).write_pdf())).pages)
    same_fonts = bare_with_brief_fonts()
    brief_time = best_of(5, lambda: render_job(job))
    bare_time = best_of(5, lambda: HTML(string=static).write_pdf())
    bare_same_time = best_of(5, lambda: HTML(string=static).write_pdf(**same_fonts))
    brief_cpu = best_of(5, lambda: render_job(job), time.process_time)
    bare_cpu = best_of(5, lambda: HTML(string=static).write_pdf(), time.process_time)
    shown = [j for j in jobs if not unit_group(j)["suppressed"]]
    batch = [
        BriefJob(j.unit, f"{i:02d}-{j.path_name}", j.analysis, j.meta)
        for i, j in enumerate(itertools.islice(itertools.cycle(shown), args.batch))
    ]
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        write_briefs(batch, Path(out))
        batch_time = time.perf_counter() - start

    rows = {
        **results,
        f"one brief of {UNIT} ({pages} pages), warm": brief_time,
        f"bare, {bare_pages} pages, {charts} charts x {shapes} shapes, DejaVu": bare_time,
        f"bare, {bare_pages} pages, {charts} charts, the brief's fonts": bare_same_time,
        "one brief, CPU time": brief_cpu,
        "bare, CPU time": bare_cpu,
    }
    for label, seconds in rows.items():
        print(f"{label:<52} {seconds:8.3f} s")
    print(f"{'ratio brief / bare (system fonts)':<52} {brief_time / bare_time:8.2f} x (target 1.5)")
    print(f"{'ratio brief / bare (same fonts)':<52} {brief_time / bare_same_time:8.2f} x")
    print(f"{'ratio brief / bare (CPU time)':<52} {brief_cpu / bare_cpu:8.2f} x (target 1.5)")
    print(
        f"batch of {len(batch)} briefs on {min(len(batch), os.cpu_count() or 1)} workers"
        f"        {batch_time:8.3f} s = {len(batch) / batch_time:.2f} briefs/s"
        " (pool start included)"
    )


if __name__ == "__main__":
    main()
