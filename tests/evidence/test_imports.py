"""`surveyapp aisystems import`, `measures import` and `measures catalogue`: all or nothing,
every bad row named by row, field and what is wrong."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import AiSystem, AiSystemUse, Measure, MeasureCompletion
from tests.factories import write
from tests.plugins.evidence import INVENTORY

COMPLETIONS = "employee_id,measure,kind,completed_on\n"


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_inventory_is_imported_and_replaced_by_the_next_file(survey_layout, run, tmp_path):
    result = run("aisystems", "import", str(write(tmp_path, "ai.csv", INVENTORY)))
    assert result.exit_code == 0
    assert "AI systems: 3 systems, 3 uses, 0 systems removed" in result.output
    smaller = "system,description,risk_tier,unit,function,level\nChatbot,Answers,limited,,,\n"
    result = run("aisystems", "import", str(write(tmp_path, "ai2.csv", smaller)))
    assert "1 systems, 1 uses, 2 systems removed" in result.output
    assert [(s.name, s.risk_tier) for s in db.session.scalars(sa.select(AiSystem))] == [
        ("Chatbot", "limited")
    ]


def test_an_inventory_with_bad_rows_names_each_and_imports_nothing(survey_layout, run, tmp_path):
    text = (
        "system,description,risk_tier,unit,function,level\n"
        "Chatbot,Answers,limited,CONTACT,,\n"  # good
        "Scoring,Scores,extreme,LENDING,,\n"
        "Chatbot,Answers,high,RETAIL,,\n"
        ",Nameless,minimal,,,\n"
        "Copilot,Drafts,minimal,NOPE,astrology,intern\n"
    )
    result = run("aisystems", "import", str(write(tmp_path, "ai.csv", text)))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == "Error: 6 problems, nothing was changed:"
    assert lines[1:] == [
        f"{tmp_path / 'ai.csv'}: {where}: {reason}"
        for where, reason in [
            ("row 3, column 'risk_tier'", "'extreme' is not one of minimal, limited, high"),
            ("row 4, column 'risk_tier'", "system 'Chatbot' has a different risk_tier on row 2"),
            ("row 5, column 'system'", "a system name of 1 to 120 characters is required"),
            ("row 6, column 'unit'", "unknown unit code 'NOPE'"),
            (
                "row 6, column 'function'",
                "unknown function 'astrology'; known: customer-service, finance, hr, legal, "
                "operations, risk, sales, technology",
            ),
            (
                "row 6, column 'level'",
                "'intern' is not one of frontline, manager, senior_leader (or empty)",
            ),
        ]
    ]
    assert count(AiSystem) == 0 and count(AiSystemUse) == 0


def test_completions_are_added_once_and_new_measures_join_the_catalogue(roster, run, tmp_path):
    text = COMPLETIONS + "P-CONTACT-0,Chatbot briefing,briefing,2026-01-10\n"
    result = run("measures", "import", str(write(tmp_path, "m.csv", text)))
    assert result.exit_code == 0
    assert "1 completions added, 0 already recorded, 1 new measures" in result.output
    result = run("measures", "import", str(write(tmp_path, "m.csv", text)))
    assert "0 completions added, 1 already recorded, 0 new measures" in result.output
    assert count(MeasureCompletion) == 1


def test_completions_with_bad_rows_name_each_and_import_nothing(roster, run, tmp_path):
    text = COMPLETIONS + (
        "P-CONTACT-0,Chatbot briefing,briefing,2026-01-10\n"  # good
        "NOBODY,Chatbot briefing,briefing,2026-01-10\n"
        "P-CONTACT-1,Chatbot briefing,training,2026-01-10\n"
        "P-CONTACT-2,AI policy,memo,10/01/2026\n"
        "P-CONTACT-3,AI policy,policy_acknowledgement,2999-01-01\n"
        "P-CONTACT-0,Chatbot briefing,briefing,2026-01-10\n"
    )
    result = run("measures", "import", str(write(tmp_path, "m.csv", text)))
    assert result.exit_code == 1
    assert result.output.count(str(tmp_path / "m.csv")) == 6
    for expected in [
        "row 3, column 'employee_id': 'NOBODY' is not on the roster",
        "row 4, column 'kind': measure 'Chatbot briefing' is a briefing on row 2",
        "row 5, column 'kind': 'memo' is not one of training, briefing, policy_acknowledgement",
        "row 5, column 'completed_on': '10/01/2026' is not a date YYYY-MM-DD",
        "row 6, column 'completed_on': 2999-01-01 is in the future",
        "row 7: the same completion is already on row 2",
    ]:
        assert expected in result.output
    assert count(MeasureCompletion) == 0 and count(Measure) == 0


def test_the_catalogue_names_tiers_and_known_systems_only(survey_layout, run, tmp_path):
    run("aisystems", "import", str(write(tmp_path, "ai.csv", INVENTORY)))
    bad = "title,kind,topics,tiers,systems\nBriefing,briefing,a;b,extreme,Robot\n"
    result = run("measures", "catalogue", str(write(tmp_path, "c.csv", bad)))
    assert result.exit_code == 1
    assert "row 2, column 'tiers': 'extreme' is not one of minimal, limited, high" in result.output
    assert "row 2, column 'systems': 'Robot' is not in the AI systems inventory" in result.output
    assert count(Measure) == 0
    good = "title,kind,topics,tiers,systems\nBriefing,briefing,limits; escalation,,Chatbot\n"
    assert run("measures", "catalogue", str(write(tmp_path, "c.csv", good))).exit_code == 0
    measure = db.session.scalar(sa.select(Measure))
    assert (measure.topics, measure.tiers, measure.systems) == (
        ["limits", "escalation"],
        [],
        ["Chatbot"],
    )
