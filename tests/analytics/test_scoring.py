"""Scale scores, quiz percent, literacy index and levels, ADKAR barrier point and readiness."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveyapp.analytics.frames import ADKAR_ORDER, CampaignData, QuizSpec, ScaleSpec
from surveyapp.analytics.scoring import (
    BARRIER_THRESHOLD,
    LITERACY_CUTOFFS,
    adkar_profile,
    barrier_point,
    literacy_index,
    literacy_levels,
    min_answered,
    quiz_percent,
    readiness_index,
    respondent_scores,
    score_scales,
)

NAN = np.nan
SCALE = ScaleSpec("inst.s", "inst", "s", ("inst.a", "inst.b", "inst.c"), 5, frozenset({"inst.c"}))
ADKAR = [
    ScaleSpec(f"adoption-readiness.{e}", "adoption-readiness", e, (f"{e}_1",), 5, adkar=e)
    for e in ADKAR_ORDER
]
LITERACY = [
    ScaleSpec(f"ai-literacy.{d}", "ai-literacy", d, (f"ai-literacy.{d}_1",), 5)
    for d in ("understanding", "use")
]
QUIZ = QuizSpec(
    "ai-literacy", ("ai-literacy.q1", "ai-literacy.q2", "ai-literacy.q3", "ai-literacy.q4")
)


def test_min_answered_is_two_thirds_rounded_up():
    # ceil(2n/3): 1->1, 2->2 (1.33), 3->2, 4->3 (2.67), 5->4 (3.33), 6->4, 7->5 (4.67)
    assert [min_answered(n) for n in range(1, 8)] == [1, 2, 2, 3, 4, 4, 5]


def test_score_scales_reverses_and_needs_two_thirds_answered():
    answers = pd.DataFrame(
        {"inst.a": [4, 5, 3, NAN], "inst.b": [2, NAN, NAN, NAN], "inst.c": [1, 2, NAN, NAN]},
        index=pd.Index(["r1", "r2", "r3", "r4"], name="response_id"),
    )
    scores = score_scales(answers, [SCALE])
    # r1: c reversed 5 + 1 - 1 = 5 -> (4 + 2 + 5) / 3 = 11/3
    # r2: c reversed 6 - 2 = 4, 2 of 3 answered (>= ceil(2)) -> (5 + 4) / 2 = 4.5
    # r3: 1 of 3 answered < 2 -> NaN; r4: nothing -> NaN
    np.testing.assert_allclose(scores["inst.s"].to_numpy(), [11 / 3, 4.5, NAN, NAN])
    assert list(scores.index) == ["r1", "r2", "r3", "r4"]


def test_score_scales_four_items_need_three():
    scale = ScaleSpec("i.s", "i", "s", ("i.a", "i.b", "i.c", "i.d"), 5)
    answers = pd.DataFrame({"i.a": [1, 1], "i.b": [2, 2], "i.c": [3, NAN], "i.d": [NAN, NAN]})
    # 3 of 4 answered -> (1 + 2 + 3) / 3 = 2; 2 of 4 < ceil(8/3) = 3 -> NaN
    np.testing.assert_allclose(score_scales(answers, [scale])["i.s"], [2.0, NAN])


def test_quiz_percent_counts_unanswered_as_wrong_but_all_unanswered_as_missing():
    answers = pd.DataFrame(
        {
            "ai-literacy.q1": [1, NAN, 0, 1],
            "ai-literacy.q2": [0, NAN, 0, 1],
            "ai-literacy.q3": [NAN, NAN, 0, 1],
            "ai-literacy.q4": [1, NAN, 0, 1],
        }
    )
    # 2 right of 4 -> 50; none answered -> NaN; 0 of 4 -> 0; 4 of 4 -> 100
    np.testing.assert_allclose(quiz_percent(answers, QUIZ), [50.0, NAN, 0.0, 100.0])


def test_literacy_index_averages_self_assessment_and_quiz():
    scores = pd.DataFrame(
        {"ai-literacy.understanding": [4.0, 5.0, 3.0], "ai-literacy.use": [3.0, NAN, 3.0]}
    )
    quiz = pd.Series([40.0, 90.0, NAN])
    # r1: (4-1)/4*100 = 75, (3-1)/4*100 = 50 -> self 62.5; (62.5 + 40) / 2 = 51.25
    # r2: only understanding present: 1 of 2 dimensions < ceil(2/3 * 2) = 2 -> NaN
    # r3: quiz missing -> NaN
    index = literacy_index(scores, LITERACY, quiz)
    np.testing.assert_allclose(index, [51.25, NAN, NAN])
    assert list(literacy_levels(index).astype(object).fillna("-")) == ["developing", "-", "-"]


def test_self_assessed_literacy_needs_three_of_the_four_dimensions():
    four = [
        ScaleSpec(f"ai-literacy.{d}", "ai-literacy", d, (f"ai-literacy.{d}_1",), 5)
        for d in ("understanding", "use", "evaluation", "ethics")
    ]
    scores = pd.DataFrame(
        [[5.0, 3.0, 1.0, 3.0], [5.0, 3.0, 1.0, NAN], [5.0, 3.0, NAN, NAN]],
        columns=[s.key for s in four],
    )
    # 100, 50, 0, 50 -> 50; three of four (100, 50, 0) -> 50; two of four -> NaN
    quiz = pd.Series([50.0, 50.0, 50.0])
    np.testing.assert_allclose(literacy_index(scores, four, quiz), [50.0, 50.0, NAN])


def test_literacy_levels_at_the_cut_offs():
    assert LITERACY_CUTOFFS == (40.0, 60.0, 80.0)
    values = pd.Series([0, 39.99, 40, 59.99, 60, 79.99, 80, 100])
    levels = literacy_levels(values)
    assert list(levels) == [
        "foundational",
        "foundational",
        "developing",
        "developing",
        "proficient",
        "proficient",
        "advanced",
        "advanced",
    ]
    assert levels.cat.ordered


def test_barrier_point_is_the_first_element_at_or_below_three():
    assert BARRIER_THRESHOLD == 3.0
    profile = {"awareness": 3.4, "desire": 3.0, "knowledge": 2.1, "ability": 4, "reinforcement": 1}
    assert barrier_point(profile) == "desire"  # a tie at exactly 3.0 is a barrier
    assert barrier_point({e: 3.01 for e in ADKAR_ORDER}) is None
    assert barrier_point({}) is None
    # (0.1 + 0.2) * 10 is 3.0000000000000004 in floating point: rounding hides no barrier
    assert barrier_point({"awareness": 4.0, "desire": (0.1 + 0.2) * 10}) == "desire"
    assert barrier_point({"awareness": 4.0, "desire": 3.000001}) is None
    # missing elements are skipped, order is ADKAR's, not the mapping's
    assert barrier_point({"ability": 2.0, "awareness": NAN, "knowledge": 2.5}) == "knowledge"
    assert barrier_point({"awareness": 3.6}, threshold=3.5) is None


def test_adkar_profile_maps_scale_means_to_elements():
    means = {
        f"adoption-readiness.{e}": v for e, v in zip(ADKAR_ORDER, [4, 3.5, 2, NAN, 3], strict=True)
    }
    profile = adkar_profile(means, ADKAR)
    assert profile == {"awareness": 4.0, "desire": 3.5, "knowledge": 2.0, "reinforcement": 3.0}
    assert list(profile) == ["awareness", "desire", "knowledge", "reinforcement"]
    assert barrier_point(profile) == "knowledge"


def test_readiness_index_needs_four_of_five_elements():
    scores = pd.DataFrame(
        [[5, 4, 3, 2, 1], [5, 4, 3, 2, NAN], [5, 4, 3, NAN, NAN]],
        columns=[s.key for s in ADKAR],
        dtype=float,
    )
    # rescaled (x-1)/4*100: 100, 75, 50, 25, 0 -> 50; without the last -> 250/4 = 62.5; 3 -> NaN
    np.testing.assert_allclose(readiness_index(scores, ADKAR), [50.0, 62.5, NAN])


def _campaign(scales: list[ScaleSpec], quizzes: list[QuizSpec]) -> CampaignData:
    columns = [i for s in scales for i in s.items] + [i for q in quizzes for i in q.items]
    index = pd.Index(["r1", "r2"], name="response_id")
    answers = pd.DataFrame(3.0, index=index, columns=columns)
    for quiz in quizzes:
        answers[list(quiz.items)] = [[1.0, 1.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]]
    respondents = pd.DataFrame(
        {"unit": "U", "function": "hr", "level": "frontline", "locale": "en"}, index=index
    )
    return CampaignData("c", respondents, answers, pd.DataFrame(), scales, quizzes, {"U": None})


def test_respondent_scores_has_every_part_of_a_full_campaign():
    scores = respondent_scores(_campaign([SCALE, *LITERACY, *ADKAR], [QUIZ]))
    assert list(scores.columns) == [
        "inst.s",
        *(s.key for s in LITERACY),
        *(s.key for s in ADKAR),
        "quiz_percent",
        "quiz_dont_know",
        "literacy_index",
        "literacy_level",
        "readiness_index",
    ]
    # self-assessed (3-1)/4*100 = 50; quiz 75 and 0 -> index 62.5 (proficient), 25 (foundational)
    np.testing.assert_allclose(scores["literacy_index"], [62.5, 25.0])
    assert list(scores["literacy_level"]) == ["proficient", "foundational"]
    np.testing.assert_allclose(scores["readiness_index"], [50.0, 50.0])


@pytest.mark.parametrize(
    ("scales", "quizzes", "absent"),
    [
        ([SCALE], [], {"quiz_percent", "literacy_index", "literacy_level", "readiness_index"}),
        ([*ADKAR], [], {"quiz_percent", "literacy_index", "literacy_level"}),
        ([*LITERACY], [QUIZ], {"readiness_index"}),
    ],
)
def test_respondent_scores_leaves_out_absent_instruments(scales, quizzes, absent):
    columns = set(respondent_scores(_campaign(scales, quizzes)).columns)
    assert not columns & absent
    assert {s.key for s in scales} <= columns


def test_items_not_asked_of_a_respondent_are_left_out_of_the_two_thirds_rule_and_the_quiz():
    answers = pd.DataFrame(
        {"i.a": [4.0, 4.0], "i.b": [2.0, NAN], "i.c": [3.0, NAN], "i.q1": [1.0, 1.0]}
        | {"i.q2": [0.0, NAN]}
    )
    asked = pd.DataFrame(
        {"i.a": [True, True], "i.b": [True, False], "i.c": [True, False]}
        | {"i.q1": [True, True], "i.q2": [True, False]}
    )
    scale = ScaleSpec("i.s", "i", "s", ("i.a", "i.b", "i.c"), 5)
    # the second respondent was asked one item of three and answered it: a score, not NaN
    np.testing.assert_allclose(score_scales(answers, [scale], asked)["i.s"], [3.0, 4.0])
    np.testing.assert_allclose(score_scales(answers, [scale])["i.s"], [3.0, NAN])
    quiz = QuizSpec("i", ("i.q1", "i.q2"))
    np.testing.assert_allclose(quiz_percent(answers, quiz, asked), [50.0, 100.0])
