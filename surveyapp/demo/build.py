"""`surveyapp demo build`: a whole demo organisation in an empty database, through the services.

Units, roster, staff accounts, two quarterly waves of an anonymous campaign (the second with
readiness lifted), actions some units took between them and an outcome series (demo/actions.py),
a confidential literacy campaign with consent, invitations marked as the
answers came in, and every unit's brief. Everything goes through the same service functions
as real data, so the demo shows what the product does, not a special path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.briefs.service import build_briefs
from surveyapp.catalog import ALL_INSTRUMENTS
from surveyapp.catalog.loading import load_instruments
from surveyapp.demo import actions as demo_actions
from surveyapp.demo import synthetic as demo
from surveyapp.demo.evidence import LITERACY_LIFT, add_literacy_evidence
from surveyapp.demo.profiles import FUNCTIONS, LEVEL_SHARES
from surveyapp.errors import SurveyappError
from surveyapp.models import Campaign, Function, Invitation, OrgUnit, Person
from surveyapp.services.campaigns import (
    CampaignSpec,
    create_campaign,
    invitation_links,
    issue_invitations,
)
from surveyapp.services.csv_input import CsvRow
from surveyapp.services.layout import campaign_layout
from surveyapp.services.open_links import create_open_links
from surveyapp.services.org import import_roster, import_units
from surveyapp.services.responses import record_responses
from surveyapp.services.result_releases import publish_waiting
from surveyapp.services.tokens import PersonalLinks
from surveyapp.services.users import create_user

DEMO_PASSWORD = "surveyapp-demo"  # printed with the logins; a demo database only
DEMO_USERS = (
    ("admin@demo.example", "admin", []),
    ("change.manager@demo.example", "change_manager", ["RETAIL"]),
    ("hr@demo.example", "hr", []),
)
PARTICIPATION = (0.55, 0.85)  # each unit's response rate is drawn from this range
CONSENT_SHARE = 0.8
# The second pulse's lifts: where an action worked (demo/actions.py) and where literacy measures
# were delivered between the waves (demo/evidence.py).
SECOND_WAVE_LIFTS = {
    code: {
        **demo_actions.SECOND_WAVE_LIFTS.get(code, {}),
        **demo.literacy_lifts(LITERACY_LIFT).get(code, {}),
    }
    for code in demo_actions.SECOND_WAVE_LIFTS.keys() | LITERACY_LIFT.keys()
}
WAVES = (
    ("ai-pulse-q2", "AI adoption pulse, Q2", 0.0),
    ("ai-pulse-q3", "AI adoption pulse, Q3", 0.2),
)


@dataclass(frozen=True)
class DemoSummary:
    """What was built, for the command to print."""

    campaigns: list[str]
    respondents: int
    people: int
    users: list[tuple[str, str]]
    briefs: list[Path]
    respondent_links: list[tuple[str, str]]  # what each link is, and the link


def _roster_rows(units: list[demo.UnitPlan], rng: np.random.Generator) -> list[CsvRow]:
    """Roster rows: more people than answered, at a response rate drawn per unit."""
    rows: list[CsvRow] = []
    for unit in units:
        if unit.size == 0:
            continue
        people = math.ceil(unit.size / rng.uniform(*PARTICIPATION))
        for _ in range(people):
            number = len(rows) + 1
            rows.append(
                CsvRow(
                    number + 1,
                    {
                        "employee_id": f"D{number:06d}",
                        "email": f"person{number}@demo.example",
                        "unit": unit.code,
                        "function": str(rng.choice(FUNCTIONS)),
                        "level": str(rng.choice(list(LEVEL_SHARES), p=list(LEVEL_SHARES.values()))),
                        "locale": "es" if rng.random() < unit.spanish_share else "en",
                    },
                )
            )
    return rows


def _mark_invitations(
    session: Session, campaign: Campaign, answered: dict[str, int], rng: np.random.Generator
) -> None:
    """Per unit, mark as many invitations submitted as answers came in, and some started."""
    rows = session.execute(
        sa.select(Invitation, OrgUnit.code)
        .join(Person, Invitation.person_id == Person.id)
        .join(OrgUnit, Person.unit_id == OrgUnit.id)
        .where(Invitation.campaign_id == campaign.id)
    ).all()
    by_unit: dict[str, list[Invitation]] = {}
    for invitation, code in rows:
        by_unit.setdefault(code, []).append(invitation)
    for code, invitations in by_unit.items():
        order = rng.permutation(len(invitations))
        count = min(answered.get(code, 0), len(invitations))
        for rank, position in enumerate(order):
            if rank < count:
                invitations[position].status = "submitted"
            elif rng.random() < 0.15:
                invitations[position].status = "started"


def _anonymous_wave(
    session: Session,
    spec: CampaignSpec,
    units: list[demo.UnitPlan],
    seed: int,
    shift: float,
    links: PersonalLinks,
    ids: tuple[dict[str, int], dict[str, int]],
    lifts: dict[str, dict[str, float]] | None = None,
) -> tuple[Campaign, int]:
    """One wave of the anonymous pulse, answered by the planned number of people per unit
    (`lifts`: constructs some units' actions moved since the wave before)."""
    rng = np.random.default_rng(seed)
    campaign = create_campaign(session, spec)
    issue_invitations(session, campaign, links)
    layout = campaign_layout(campaign)
    wave = demo.synthesize(layout, units, seed=seed, shift=shift, lifts=lifts)
    submissions = demo.to_submissions(wave, layout, *ids)
    for submission in submissions:
        submission.submitted_on = (spec.opens_at + timedelta(days=int(rng.integers(0, 14)))).date()
    record_responses(session, campaign, layout, submissions)
    _mark_invitations(session, campaign, wave.respondents["unit"].value_counts().to_dict(), rng)
    return campaign, len(submissions)


def _confidential_literacy(
    session: Session,
    units: list[demo.UnitPlan],
    seed: int,
    links: PersonalLinks,
    ids: tuple[dict[str, int], dict[str, int]],
    opens_at: datetime,
) -> int:
    """The literacy check: confidential, answered by rostered people, most of whom consent;
    taken with the Q3 pulse, after the measures, so it shows the same lift (`LITERACY_LIFT`)."""
    rng = np.random.default_rng(seed)
    spec = CampaignSpec(
        "literacy-check",
        "AI literacy check",
        ["ai-literacy"],
        [],
        True,
        "confidential",
        opens_at=opens_at,
        open_now=False,
    )
    campaign = create_campaign(session, spec)
    campaign.status = "open"
    issue_invitations(session, campaign, links)
    layout = campaign_layout(campaign)
    wave = demo.synthesize(layout, units, seed=seed, lifts=demo.literacy_lifts(LITERACY_LIFT))
    submissions = demo.to_submissions(wave, layout, *ids)
    invitations = {
        invitation.person_id: invitation
        for invitation in session.scalars(
            sa.select(Invitation).where(Invitation.campaign_id == campaign.id)
        )
    }
    people: dict[int, list[Person]] = {}
    for person in session.scalars(sa.select(Person).order_by(Person.employee_id)):
        people.setdefault(person.unit_id, []).append(person)
    for group in people.values():
        rng.shuffle(group)
    taken: dict[int, int] = {}
    for submission in submissions:
        group = people[submission.unit_id]
        person = group[taken.get(submission.unit_id, 0)]
        taken[submission.unit_id] = taken.get(submission.unit_id, 0) + 1
        submission.person_id, submission.invitation_id = person.id, invitations[person.id].id
        submission.function_id, submission.level = person.function_id, person.level
        submission.locale, submission.consent = person.locale, bool(rng.random() < CONSENT_SHARE)
        invitations[person.id].status = "submitted"
    record_responses(session, campaign, layout, submissions)
    return len(submissions)


def build_demo(
    session: Session,
    instruments_dir: Path,
    briefs_dir: Path,
    respondents: int,
    seed: int,
    links: PersonalLinks,
    progress: Callable[[str], None],
) -> DemoSummary:
    """Build the demo organisation in an empty database (refuses any other)."""
    if session.scalar(sa.select(OrgUnit.id).limit(1)) is not None:
        raise SurveyappError(
            "demo build needs an empty database (this one has units); `make demo` builds "
            "instance/demo.db afresh"
        )
    rng = np.random.default_rng(seed)
    progress("instruments")
    load_instruments(session, instruments_dir, instruments_dir / "schema.json")
    units = demo.scaled_units(demo.DEMO_UNITS, respondents)
    progress("organisation")
    unit_rows = [
        CsvRow(index + 2, {"code": u.code, "name": u.name, "parent_code": u.parent or ""})
        for index, u in enumerate(units)
    ]
    import_units(session, unit_rows, "demo organisation")
    roster = _roster_rows(units, rng)
    import_roster(session, roster, "demo roster")
    for email, role, unit_codes in DEMO_USERS:
        create_user(session, email, role, unit_codes, DEMO_PASSWORD)
    ids = (
        dict(session.execute(sa.select(OrgUnit.code, OrgUnit.id)).all()),
        dict(session.execute(sa.select(Function.code, Function.id)).all()),
    )
    today = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    answered = 0
    campaigns: list[Campaign] = []
    for index, (slug, name, shift) in enumerate(WAVES):
        progress(f"wave {slug}")
        opens = today - timedelta(days=91 * (len(WAVES) - 1 - index) + 7)
        spec = CampaignSpec(
            slug,
            name,
            ALL_INSTRUMENTS,
            [],
            True,
            "anonymous",
            opens_at=opens,
            closes_at=opens + timedelta(days=21),
        )
        lifts = SECOND_WAVE_LIFTS if index else None
        campaign, count = _anonymous_wave(
            session, spec, units, seed + index, shift, links, ids, lifts
        )
        campaign.status = "closed" if index < len(WAVES) - 1 else "open"
        campaigns.append(campaign)
        answered += count
    progress("literacy evidence")
    first, second = campaigns[0], campaigns[-1]
    add_literacy_evidence(session, first.closes_at.date(), second.opens_at.date(), rng)
    progress("literacy check")
    answered += _confidential_literacy(
        session, demo.scaled_units(units, respondents // 3), seed + 10, links, ids, today
    )
    progress("open links")
    respondent_links = _respondent_links(session, campaigns[-1], links)
    progress("briefs")
    session.flush()
    publish_waiting(session)
    progress("actions and outcomes")
    demo_actions.plan_actions(session, campaigns[0], campaigns[1], instruments_dir)
    demo_actions.outcome_series(session, campaigns[0], campaigns[1], instruments_dir, seed)
    briefs = build_briefs(session, campaigns[-1], instruments_dir, briefs_dir)
    return DemoSummary(
        campaigns=[c.slug for c in campaigns] + ["literacy-check"],
        respondents=answered,
        people=len(roster),
        users=[(email, role) for email, role, _ in DEMO_USERS],
        briefs=briefs,
        respondent_links=respondent_links,
    )


def _respondent_links(
    session: Session, campaign: Campaign, links: PersonalLinks
) -> list[tuple[str, str]]:
    """Open links for every unit of the open wave, and links to try the survey with."""
    units = list(session.scalars(sa.select(OrgUnit).order_by(OrgUnit.code)))
    codes = create_open_links(session, campaign, units)
    unit = next(unit for unit in units if unit.parent_id is not None)
    open_link = f"{links.base_url}/o/{codes[unit.code]}"
    tried = [(f"open link of {unit.name}", open_link)]
    tried.append(("the same on a shared kiosk", f"{open_link}?kiosk=1"))
    waiting = invitation_links(session, campaign, links, unsubmitted_only=True).links
    if waiting:
        employee_id, link = waiting[0]
        tried.insert(0, (f"personal link of employee {employee_id}", link))
    return tried
