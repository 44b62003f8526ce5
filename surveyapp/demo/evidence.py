"""The demo's AI-literacy evidence: the systems each unit uses, the measures catalogue,
requirements as shipped, and completions between the two pulse waves.

The story the evidence pack tells: the Contact centre, which uses a limited-risk chatbot,
was briefed between the waves and its literacy rose (`LITERACY_LIFT`), so its gap closes;
Corporate lending, which uses a high-risk credit-scoring model, got the training to few
people and its gap stays open. Everything goes through the import services.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.models import OrgUnit, Person
from surveyapp.services.ai_systems import import_ai_systems
from surveyapp.services.csv_input import CsvRow
from surveyapp.services.measures import import_catalogue, import_completions

# unit code → lift of the literacy latent (z) in the second wave, where measures landed
LITERACY_LIFT = {"CONTACT": 0.9}
INVENTORY = (
    ("Service chatbot", "Drafts answers to customers' messages", "limited", "CONTACT"),
    ("Credit scoring model", "Scores corporate loan applications", "high", "LENDING"),
    ("Writing assistant", "Drafts internal documents and e-mails", "minimal", "OPS"),
)
CATALOGUE = (
    ("Chatbot briefing", "briefing", "limits; escalation; customer data", "limited", ""),
    ("Credit model training", "training", "model risk; bias; human oversight", "high", ""),
    ("Credit model briefing", "briefing", "how scores are made; overrides", "high", ""),
    ("AI use policy", "policy_acknowledgement", "acceptable use; data", "", ""),
)
# unit code → (measure titles, share of the unit's people who completed them)
DELIVERED = {
    "CONTACT": (("Chatbot briefing", "AI use policy"), 0.9),
    "LENDING": (("Credit model training", "Credit model briefing"), 0.2),
    "TECHOPS": (("AI use policy",), 0.85),
    "BACKOFFICE": (("AI use policy",), 0.85),
    "LEGALRISK": (("AI use policy",), 0.85),
}
KINDS = {title: kind for title, kind, *_ in CATALOGUE}


def _rows(values: list[dict[str, str]]) -> list[CsvRow]:
    return [CsvRow(line, row) for line, row in enumerate(values, start=2)]


def add_literacy_evidence(
    session: Session, first_closed: date, second_opened: date, rng: np.random.Generator
) -> int:
    """Import the inventory, the catalogue and completions dated between the waves; the
    number of completions."""
    import_ai_systems(
        session,
        _rows(
            [
                {
                    "system": s,
                    "description": d,
                    "risk_tier": t,
                    "unit": u,
                    "function": "",
                    "level": "",
                }
                for s, d, t, u in INVENTORY
            ]
        ),
        "demo AI systems",
    )
    import_catalogue(
        session,
        _rows(
            [
                {"title": t, "kind": k, "topics": topics, "tiers": tiers, "systems": systems}
                for t, k, topics, tiers, systems in CATALOGUE
            ]
        ),
        "demo measures catalogue",
    )
    days = (second_opened - first_closed).days
    completions = []
    for code, (titles, share) in DELIVERED.items():
        people = session.scalars(
            sa.select(Person.employee_id)
            .join(OrgUnit, Person.unit_id == OrgUnit.id)
            .where(OrgUnit.code == code)
            .order_by(Person.employee_id)
        ).all()
        for employee_id in people:
            if rng.random() >= share:
                continue
            for title in titles:
                day = first_closed + timedelta(days=int(rng.integers(1, max(days, 2))))
                completions.append(
                    {
                        "employee_id": employee_id,
                        "measure": title,
                        "kind": KINDS[title],
                        "completed_on": day.isoformat(),
                    }
                )
    added = 0
    for day in sorted({row["completed_on"] for row in completions}):
        # the learning system sends each day's completions on that day
        rows = [row for row in completions if row["completed_on"] == day]
        summary = import_completions(
            session, _rows(rows), "demo completions", date.fromisoformat(day)
        )
        added += summary.added
    return added
