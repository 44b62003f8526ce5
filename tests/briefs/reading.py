"""Reading the dashboard and the brief as a busy change manager does: the campaigns to read
(all four instruments, literacy only) and the checks (plain words, no empty section, a value in
every heatmap cell)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from surveyapp.demo import synthetic as demo
from surveyapp.extensions import db
from surveyapp.models import Campaign, Function, OrgUnit
from surveyapp.services.campaigns import CampaignSpec, create_campaign
from surveyapp.services.layout import campaign_layout
from surveyapp.services.responses import record_responses
from surveyapp.services.result_releases import publish

ALPHA = "\N{GREEK SMALL LETTER ALPHA}"
JARGON = re.compile(
    r"\bd = |Cohen|R²|R2\b|" + ALPHA + r"|alpha|silhouette|Hedges|p-value|\bNone\b|"
    r"\b[a-z][a-z-]*\.[a-z][a-z_]+\b|customer-service|senior_leader|_"
    r"|Trust output|Fairness ethics|Integration readiness|Job security\b"
)
EMPTY_SECTION = re.compile(
    r"No element scores|no scales|cannot be reported|too few complete answers|"
    r"No driver analysis|No resistance patterns were computed"
)
LITERACY_ONLY_ABSENT = (
    "ADKAR",
    "Resistance patterns",
    "Leaders and frontline",
    "What weighs",
    "readiness index",
    "barrier",
)
FUTURE = datetime.now(UTC) + timedelta(days=20)


def store_literacy_campaign(seed: int = 5) -> Campaign:
    """An open literacy-only campaign, closing in 20 days, with a synthetic wave of answers."""
    spec = CampaignSpec(
        "lit", "Literacy check", ["ai-literacy"], [], True, "confidential", closes_at=FUTURE
    )
    campaign = create_campaign(db.session, spec)
    campaign.status = "open"
    layout = campaign_layout(campaign)
    wave = demo.synthesize(layout, demo.scaled_units(demo.DEMO_UNITS, 900), seed)
    units = dict(db.session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all())
    functions = dict(db.session.execute(sa.select(Function.code, Function.id)).all())
    record_responses(
        db.session, campaign, layout, demo.to_submissions(wave, layout, units, functions)
    )
    publish(db.session, campaign)  # an open campaign shows its latest result release
    db.session.commit()
    return campaign


def close_wave(run, slug: str) -> None:
    """Close a campaign through the CLI, with its closing date set."""
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.slug == slug))
    campaign.opens_at = datetime(2026, 3, 2, tzinfo=UTC)
    campaign.closes_at = datetime(2026, 3, 20, tzinfo=UTC)
    campaign.status = "open"
    db.session.commit()
    assert run("campaign", "close", slug).exit_code == 0


def readable_text(markup: str) -> str:
    """What a reader sees of some HTML: tags gone, entities decoded, spaces single."""
    without_svg_titles = re.sub(r"<(title|desc)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", without_svg_titles)).split())


def dashboard_parts(markup: str) -> tuple[str, str]:
    """The dashboard's main content before its method section, and the method section."""
    main = markup.split("<main", 1)[1].split("</main>", 1)[0]
    before, _, method = main.partition('<details class="card method"')
    return before, method


def assert_plain(text: str, where: str) -> None:
    """No statistic, code or empty-section excuse in what a manager reads first."""
    found = JARGON.findall(text) + EMPTY_SECTION.findall(text)
    assert not found, f"{where}: {found}"


def assert_every_heatmap_cell_has_a_value(markup: str, where: str) -> int:
    """Each heatmap cell drawn carries its number, in the wide layout (a grid) and in the
    phone one (a block per row); returns how many heatmaps were checked."""
    heatmaps = re.findall(r'<svg class="chart heatmap[^"]*"[^>]*>.*?</svg>', markup, flags=re.S)
    checked = 0
    for svg in heatmaps:
        phone = 'class="chart heatmap phone"' in svg
        cells = re.findall(rf'<rect [^>]*height="{22 if phone else 19}"', svg)
        anchor = "end" if phone else "middle"
        values = re.findall(rf'text-anchor="{anchor}"[^>]*>(\d[.,]\d)</text>', svg)
        assert cells and len(cells) == len(values), (where, phone, len(cells), len(values))
        checked += 1
    return checked
