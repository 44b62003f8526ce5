"""Comment themes: two clear topics are separated, in English and in Spanish."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from surveyapp.analytics.themes import (
    MIN_COMMENTS,
    SPANISH_STOP_WORDS,
    comment_themes,
    find_themes,
    language_of,
    theme_count,
    themes_within,
)

ENGLISH = {
    "training": [
        "I need more time for training on the new tools",
        "There is no training time in my week",
        "Training sessions clash with my shifts, give us time",
        "We were promised training time but never got it",
    ],
    "jobs": [
        "I am worried AI will replace my job",
        "Job loss is my biggest fear with this",
        "Will my job still exist next year if AI does it",
        "People fear job cuts and losing their role",
    ],
}
SPANISH = {
    "formacion": [
        "Necesito más tiempo de formación con las nuevas herramientas",
        "No tengo tiempo de formación en mi semana",
        "La formación choca con mis turnos, necesitamos tiempo",
        "Nos prometieron tiempo de formación y nunca llegó",
    ],
    "empleo": [
        "Me preocupa que la IA elimine mi empleo",
        "Perder el empleo es mi mayor miedo",
        "No sé si mi empleo seguirá existiendo con la IA",
        "La gente teme recortes de empleo y perder su puesto",
    ],
}
ENDINGS = {"en": ["", " honestly", " to be fair"], "es": ["", " la verdad", " sinceramente"]}


def corpus(topics: dict[str, list[str]], language: str) -> tuple[list[str], dict[str, str]]:
    """4 sentences x 3 endings per topic = 24 comments, and each comment's topic."""
    texts, topic_of = [], {}
    for topic, sentences in topics.items():
        for sentence, ending in itertools.product(sentences, ENDINGS[language]):
            texts.append(sentence + ending)
            topic_of[sentence + ending] = topic
    return texts, topic_of


@pytest.mark.parametrize(
    ("topics", "language", "words"),
    [
        (ENGLISH, "en", {"training": "training", "jobs": "job"}),
        (SPANISH, "es", {"formacion": "formación", "empleo": "empleo"}),
    ],
)
def test_two_topics_are_separated(topics, language, words) -> None:
    texts, topic_of = corpus(topics, language)
    result = find_themes(texts, language, seed=0)
    assert result.reason is None and result.n_comments == 24
    assert len(result.themes) == 2  # theme_count(24) = 2
    found = set()
    for theme in result.themes:
        assert 1 <= len(theme.examples) <= 3 and len(theme.terms) <= 8
        assert all(example in texts for example in theme.examples)  # verbatim
        (topic,) = {topic_of[example] for example in theme.examples}
        assert words[topic] in theme.terms[:3]
        found.add(topic)
        assert theme.n_comments == 12 and theme.share == pytest.approx(0.5)
    assert found == set(topics)
    stop_words = SPANISH_STOP_WORDS if language == "es" else {"the", "is", "my", "and"}
    assert not stop_words & {term for theme in result.themes for term in theme.terms}


def test_same_seed_same_themes() -> None:
    texts, _ = corpus(ENGLISH, "en")
    first, second = find_themes(texts, "en", seed=3), find_themes(texts, "en", seed=3)
    assert first.themes == second.themes
    assert first.comments["theme"].tolist() == second.comments["theme"].tolist()


def test_a_units_themes_are_read_off_the_campaign_fit() -> None:
    texts, _ = corpus(ENGLISH, "en")
    series = pd.Series(texts, index=[f"c{i}" for i in range(len(texts))])
    result = find_themes(series, "en", seed=0)
    subset = series.index[: len(series) // 2]
    within = themes_within(result, subset)
    assert {theme.id for theme in within} <= {theme.id for theme in result.themes}
    assert sum(theme.n_comments for theme in within) == len(subset)
    assert abs(sum(theme.share for theme in within) - 1.0) < 1e-9
    for theme in within:
        assert set(theme.examples) <= set(series[subset])
        assert theme.terms == next(t.terms for t in result.themes if t.id == theme.id)


def test_too_few_comments_give_a_reason() -> None:
    texts = corpus(ENGLISH, "en")[0][: MIN_COMMENTS - 1]
    result = find_themes([*texts, "   ", None], "en")  # blanks and non-text are not comments
    assert result.themes == ()
    assert result.reason == f"{MIN_COMMENTS - 1} comments; at least 20 are needed to form themes"


def test_no_shared_words_give_a_reason() -> None:
    texts = [f"word{i}" for i in range(25)]  # every term in one comment only (min_df = 2)
    assert find_themes(texts, "en").reason == "no word is shared by two or more comments"


def test_theme_count_rule() -> None:
    # floor(sqrt(n / 10)) within 2..6
    assert [theme_count(n) for n in (20, 89, 90, 159, 160, 250, 359, 360, 5000)] == [
        2,  # sqrt(2) = 1.4 -> 1, raised to 2
        2,  # sqrt(8) = 2.8
        3,  # sqrt(9)
        3,  # sqrt(15) = 3.9
        4,  # sqrt(16)
        5,  # sqrt(25)
        5,  # sqrt(35) = 5.9
        6,  # sqrt(36)
        6,  # sqrt(500) = 22.4, capped
    ]


def test_comment_themes_split_by_language() -> None:
    english, _ = corpus(ENGLISH, "en")
    spanish, _ = corpus(SPANISH, "es")
    comments = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(48)],
            "item": "ai-concerns.comment",
            "locale": ["en"] * 24 + ["es-MX"] * 24,
            "text": english + spanish,
        }
    )
    themes = comment_themes(comments)
    assert sorted(themes) == ["en", "es"]
    assert themes["es"].n_comments == 24 and len(themes["es"].themes) == 2
    assert language_of("es_MX") == "es" and language_of("EN") == "en"
