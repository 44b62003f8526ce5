"""A unit's literacy evidence in one sentence, in English and in Spanish."""

from __future__ import annotations

from surveyapp.analytics.literacy_evidence import Coverage, Literacy, TierFinding, UnitEvidence
from surveyapp.evidence.sentences import unit_sentence
from surveyapp.language import writing_in

CS_LITERACY = Literacy(
    40, {"foundational": 0.41, "developing": 0.39, "proficient": 0.15, "advanced": 0.05}, 52, 58
)


def customer_service(literacy: Literacy | None, completed: int | None) -> UnitEvidence:
    """Customer service (50 people) using a limited-risk chatbot, with a briefing required."""
    share = literacy.share_at_least("developing") if literacy else None
    finding = TierFinding(
        "limited",
        ("chatbot",),
        50,
        "developing",
        0.6,
        share,
        (Coverage("briefing", 50, completed),),
        "gap" if literacy else "unknown",
    )
    return UnitEvidence("CS", "Customer service", 1, literacy, (finding,))


def test_a_unit_falling_short_reads_as_one_sentence_in_the_packs_language():
    unit = customer_service(CS_LITERACY, 19)
    assert unit_sentence(unit) == (
        "Customer service uses limited-risk chatbot; 41% foundational; 59% at developing or "
        "above (target 60%); 38% completed the required briefing: falls short."
    )
    with writing_in("es"):
        assert unit_sentence(unit) == (
            "Customer service usa chatbot de riesgo limitado; 41% con nivel inicial; 59% con "
            "nivel en desarrollo o superior (objetivo 60%); 38% completó la sesión informativa "
            "exigida: no alcanza el requisito."
        )


def test_hidden_figures_are_said_plainly_and_carry_no_rate():
    sentence = unit_sentence(customer_service(None, None))
    assert "literacy hidden to protect small groups or not measured" in sentence
    assert "completion of the required briefing hidden to protect small groups" in sentence
    assert sentence.endswith(": cannot be judged (figures hidden).")
    assert "%" not in sentence


def test_a_unit_with_no_system_says_so():
    unit = UnitEvidence("FIN", "Finance", 1, CS_LITERACY, ())
    assert unit_sentence(unit) == "Finance: no AI system recorded in use."
