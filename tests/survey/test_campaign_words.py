"""Campaign names and descriptions per language: typed through the CLI and the admin form,
refused line by line when wrong, and shown on the respondent's pages in their language."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Campaign
from tests.plugins.survey import make_campaign

EN = {"Accept-Language": "en"}
ES = {"Accept-Language": "es"}


def create(run, slug: str, *words: str):
    return run(
        "campaign", "create", slug, "--name", "AI pulse", "--instruments", "adoption-readiness",
        "--units", "OPS", "--mode", "anonymous", "--open", *words,
    )  # fmt: skip


def test_the_cli_takes_a_name_and_description_per_language_and_pages_show_them(
    app, run, browser_client
):
    make_campaign(app, run, open_now=True)  # instruments, units, people and a first campaign
    made = create(
        run, "wave-2",
        "--name-in", "es = Pulso de IA", "--description", "es=Cinco minutos sobre la IA.",
        "--description", "en=Five minutes on AI at work.",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    run("openlinks", "create", "wave-2", "--units", "OPS-N")
    with app.app_context():
        campaign = db.session.scalar(sa.select(Campaign).where(Campaign.slug == "wave-2"))
        assert campaign.names == {"es": "Pulso de IA"}
        code = campaign_open_code(campaign)
    spanish = browser_client.get(f"/o/{code}", headers=ES).get_data(as_text=True)
    assert "<title>Pulso de IA" in spanish and "Cinco minutos sobre la IA." in spanish
    assert "AI pulse" not in spanish and "Five minutes" not in spanish
    english = browser_client.get(f"/o/{code}", headers=EN).get_data(as_text=True)
    assert "AI pulse" in english and "Five minutes on AI at work." in english


def campaign_open_code(campaign: Campaign) -> str:
    from surveyapp.services.open_links import campaign_open_links

    (link,) = campaign_open_links(db.session, campaign)
    return link.code


def test_bad_words_are_named_entry_by_entry_and_nothing_is_created(app, run):
    make_campaign(app, run, open_now=True)
    refused = create(
        run, "wave-3", "--name-in", "fr=Pouls", "--name-in", "es", "--description", "es=",
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "--name-in: line 1: 'fr' is not one of the app's languages (en, es)" in refused.stderr
    assert "--name-in: line 2: write LOCALE=TEXT" in refused.stderr
    assert "--description: line 1: the text must have 1 to 1000 characters" in refused.stderr
    with app.app_context():
        assert db.session.scalar(sa.select(Campaign).where(Campaign.slug == "wave-3")) is None
