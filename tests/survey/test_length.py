"""The four shipped instruments fit the person answering: a frontline respondent answers at
most 60 questions, a senior leader at most 90, and the first page announces their own time."""

from __future__ import annotations

import re

from surveyapp.catalog import ALL_INSTRUMENTS
from tests.plugins.survey import begin, make_campaign, walk_pages

LIMITS = {"frontline": 60, "senior_leader": 90}
SECONDS = {"likert": 8, "knowledge": 15, "text": 30}  # what the first page promised to count
FIELDSET = re.compile(r'<fieldset id="q\d+" class="question (likert|knowledge|single|multi)')
TEXTAREA = re.compile(r"<textarea[^>]* name=\"(q\d+)\"")
LENGTH = re.compile(r"It has (\d+) questions and takes about (\d+) minutes")
LEADER_ITEM = "I can say in one sentence what business problem this AI initiative should solve."


def walk_counting(client, location: str) -> tuple[list[str], str]:
    """Answer every page; the type of every question met, and every page's text."""
    pages, _ = walk_pages(client, location)
    kinds = [
        kind
        for html in pages
        for kind in FIELDSET.findall(html) + ["text"] * len(TEXTAREA.findall(html))
    ]
    return kinds, "".join(pages)


def test_each_level_answers_within_its_limit_and_is_told_its_own_time(app, run, browser_client):
    setup = make_campaign(
        app, run, instruments=ALL_INSTRUMENTS, levels=tuple(LIMITS), open_now=True
    )
    announced = {}
    for number, level in enumerate(LIMITS):
        client = browser_client.application.test_client()
        path = setup.path(setup.people[number])
        first = client.get(f"{path}?lang=en").get_data(as_text=True)
        questions, minutes = (int(n) for n in LENGTH.search(first).groups())
        kinds, seen = walk_counting(client, begin(client, path, lang="en"))
        assert len(kinds) == questions <= LIMITS[level]
        assert minutes == -(-sum(SECONDS[kind] for kind in kinds) // 60)
        announced[level] = (questions, minutes, LEADER_ITEM in seen)
    assert announced["frontline"][2] is False  # no leader item for frontline staff
    assert announced["senior_leader"][2] is True
    assert announced["frontline"][:2] < announced["senior_leader"][:2]
