"""The red team's attack on the evidence, replayed: build the pack of the whole organisation and
of every unit, read back every figure they publish, and let a linear program combine them all.
No hidden small figure may be narrowed below k, no sentence may carry a hidden rate, and no
rate may stand beside fewer than k people who completed or who did not."""

from __future__ import annotations

import re
from itertools import product

import numpy as np
import openpyxl
import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from scipy.optimize import linprog

from surveyapp.analytics import LEVELS
from surveyapp.analytics.suppression import HIDDEN_REASON
from surveyapp.extensions import db
from surveyapp.models import OrgUnit
from tests import factories
from tests.plugins.evidence import INVENTORY, recorded_when_completed

K = 5  # the wave's minimum group size
DAY = "2026-03-01"
BOARD = "Board analytics,Summarises board papers,high,,,senior_leader\n"
CATALOGUE = """title,kind,topics,tiers,systems
Chatbot briefing,briefing,limits,,
Board briefing,briefing,oversight,high,
Board training,training,oversight,high,
"""
# measure → (kind, tiers): what the attacker reads in the catalogue
MEASURES = {
    "Chatbot briefing": ("briefing", ()),
    "Board briefing": ("briefing", ("high",)),
    "Board training": ("training", ("high",)),
}
REQUIRED = {"minimal": ("policy_acknowledgement",), "limited": ("briefing",)}
REQUIRED["high"] = ("training", "briefing")
TIER_CODES = {"minimal-risk": "minimal", "limited-risk": "limited", "high-risk": "high"}
# (system, tier, unit, level) as the inventory says: the attacker knows it
USES = [
    ("Chatbot", "limited", "CONTACT", None),
    ("Credit scoring", "high", "LENDING", None),
    ("Copilot", "minimal", None, None),
    ("Board analytics", "high", None, "senior_leader"),
]


def senior_leaders(counts: dict[str, tuple[int, dict[str, int]]]) -> str:
    """Add senior leaders per unit (how many, measure → how many of them completed it); the
    completions as a CSV for `measures import`."""
    lines = ["employee_id,measure,kind,completed_on"]
    units = {u.code: u for u in db.session.scalars(sa.select(OrgUnit))}
    for code, (size, done) in counts.items():
        people = [factories.person(db.session, units[code], "senior_leader") for _ in range(size)]
        for measure, number in done.items():
            kind = MEASURES[measure][0]
            lines += [f"{p.employee_id},{measure},{kind},2026-02-01" for p in people[:number]]
    db.session.commit()
    return "\n".join(lines) + "\n"


def published(run, tmp_path, scopes: list[str | None]) -> dict:
    """Build the pack of each scope through the CLI and read back every coverage figure: per
    scope, {("pop", unit, tier) | ("done", unit, tier, kind) | ("rate", ...): value}, and the
    findings' sentences."""
    found = {}
    for scope in scopes:
        out = tmp_path / (scope or "all")
        args = ["evidence", "build", "--out", str(out), "--as-of", DAY]
        result = run(*args, *(["--unit", scope] if scope else []))
        assert result.exit_code == 0, result.output
        (xlsx,) = out.glob("*.xlsx")
        (pdf,) = out.glob("*.pdf")
        book = openpyxl.load_workbook(xlsx)
        figures: dict[tuple, object] = {}
        for unit, _, _, tier, _, people in book["systems"].iter_rows(min_row=2, values_only=True):
            if unit is None:
                break  # the note under the table
            figures[("pop", unit, TIER_CODES[tier])] = people
        for row in book["coverage"].iter_rows(min_row=2, values_only=True):
            if row[2] is None:
                break
            unit, _, tier, kind, people, done, rate = row
            tier, kind = TIER_CODES[tier], kind.replace(" ", "_")
            assert figures[("pop", unit, tier)] == people  # one figure, one value
            figures[("done", unit, tier, kind)] = done
            figures[("rate", unit, tier, kind)] = rate
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        gaps = list(book["gaps"].iter_rows(min_row=2, values_only=True))
        sentences = {row[0]: row[-1] for row in gaps if row[0] and row[-1]}
        found[scope] = (figures, sentences, re.sub(r"\s+", " ", text))
    return found


def attacker(shown: dict[tuple, int], codes: dict[str, str | None]):
    """The attacker's linear program: unknown counts per unit (its own people), level and set
    of measures completed, every shown figure an equation; returns the interval of a figure."""

    def ancestry(code):
        chain = [code]
        while codes[chain[-1]] is not None:
            chain.append(codes[chain[-1]])
        return chain

    classes = [
        (unit, level, done)
        for unit in codes
        for level in LEVELS
        for done in product((False, True), repeat=len(MEASURES))
    ]

    def tiers(unit, level):
        return {t for _, t, u, lv in USES if u in (None, *ancestry(unit)) and lv in (None, level)}

    def row(figure) -> np.ndarray:
        what, unit, tier, *kind = figure
        vector = np.zeros(len(classes))
        for i, (own, level, done) in enumerate(classes):
            if unit not in ancestry(own) or tier not in tiers(own, level):
                continue
            if what == "pop":
                vector[i] = 1
                continue
            completed = any(
                d and MEASURES[m][0] == kind[0] and (not MEASURES[m][1] or tier in MEASURES[m][1])
                for d, m in zip(done, MEASURES, strict=True)
            )
            vector[i] = completed if what == "done" else not completed
        return vector

    equations = np.array([row(f) for f in shown]) if shown else np.zeros((0, len(classes)))
    totals = np.array(list(shown.values()), dtype=float)

    def interval(figure) -> float:
        target = row(figure)
        low = linprog(target, A_eq=equations, b_eq=totals, bounds=(0, None), method="highs")
        high = linprog(-target, A_eq=equations, b_eq=totals, bounds=(0, None), method="highs")
        assert low.status == 0
        return np.inf if high.status == 3 else -high.fun - low.fun

    return interval


def attack(run, tmp_path, completions: str, truth: dict[tuple, int]) -> dict:
    """Every scope's pack read back, checked figure by figure; the shown figures combined."""
    for command, name, text in (
        ("aisystems import", "ai.csv", INVENTORY + BOARD),
        ("measures catalogue", "c.csv", CATALOGUE),
        ("measures import", "m.csv", completions),
    ):
        result = run(*command.split(), str(factories.write(tmp_path, name, text)))
        assert result.exit_code == 0, result.output
    recorded_when_completed()
    units = db.session.scalars(sa.select(OrgUnit))
    codes = {u.code: (u.parent.code if u.parent else None) for u in units}
    packs = published(run, tmp_path, [None, *sorted(codes)])
    shown: dict[tuple, int] = {}
    hidden: set[tuple] = set()
    for scope, (figures, sentences, text) in packs.items():
        for figure, value in figures.items():
            if value == HIDDEN_REASON:
                if figure[0] != "rate":
                    hidden.add(figure)
                continue
            if figure[0] == "rate":  # a rate only beside both counts, each 0 or at least k
                done = figures[("done", *figure[1:])]
                people = figures[("pop", *figure[1:3])]
                assert isinstance(done, int) and value == pytest.approx(done / people)
                allowed = (0, *range(K, people + 1))
                assert done in allowed and people - done in allowed
                continue
            assert shown.setdefault(figure, value) == value, (scope, figure)
        for unit, line in sentences.items():  # no sentence carries a rate the tables hide
            for percent, kind in re.findall(r"(\d+)% completed the required ([a-z ]+)", line):
                tier = next(f[2] for f in figures if f[:2] == ("rate", unit))
                rate = figures[("rate", unit, tier, kind.replace(" ", "_"))]
                assert rate != HIDDEN_REASON and round(rate * 100) == int(percent), line
            assert re.sub(r"\s+", "", line) in re.sub(r"\s+", "", text)  # the PDF says the same
    assert not hidden & set(shown)  # a figure hidden in one scope is hidden in all
    interval = attacker(shown, codes)
    for figure, value in truth.items():  # the small figures: hidden, and not narrowed below k
        assert figure not in shown, figure
        assert interval(figure) >= K - 1e-6, (figure, value, interval(figure))
    return shown


def test_two_senior_leaders_and_their_one_completion_cannot_be_worked_out(
    evidence_wave, run, tmp_path
):
    completions = senior_leaders(
        {"MARKETS": (2, {"Board briefing": 1, "Board training": 1}), "LENDING": (0, {})}
    )
    shown = attack(
        run,
        tmp_path,
        completions,
        {
            ("pop", "MARKETS", "high"): 2,
            ("done", "MARKETS", "high", "briefing"): 1,
            ("notdone", "MARKETS", "high", "briefing"): 1,
            ("done", "MARKETS", "high", "training"): 1,
        },
    )
    # CORP's 12 users less LENDING's 10 would give MARKETS' 2 (the old systems table showed both)
    assert not {("pop", "CORP", "high"), ("pop", "LENDING", "high")} <= set(shown)


def test_two_hidden_siblings_under_k_together_are_protected_as_well(evidence_wave, run, tmp_path):
    completions = senior_leaders(
        {
            "TECHOPS": (2, {"Board briefing": 1}),
            "BACKOFFICE": (2, {"Board briefing": 1}),
            "LEGALRISK": (6, {"Board briefing": 6}),
        }
    )
    attack(
        run,
        tmp_path,
        completions,
        {
            ("pop", "TECHOPS", "high"): 2,
            ("pop", "BACKOFFICE", "high"): 2,
            ("done", "TECHOPS", "high", "briefing"): 1,
            ("done", "BACKOFFICE", "high", "briefing"): 1,
        },
    )


def test_five_of_six_is_no_rate_since_it_names_the_one_who_did_not(evidence_wave, run, tmp_path):
    completions = senior_leaders({"BR-NORTH": (6, {"Board briefing": 5, "Board training": 6})})
    shown = attack(
        run,
        tmp_path,
        completions,
        {("notdone", "BR-NORTH", "high", "briefing"): 1},
    )
    assert shown[("pop", "BR-NORTH", "high")] == 6  # six people may be counted ...
    assert shown[("done", "BR-NORTH", "high", "training")] == 6  # ... and all of them trained
    assert ("done", "BR-NORTH", "high", "briefing") not in shown  # but not 83% briefed
