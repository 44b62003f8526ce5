"""Comment themes: TF-IDF with the language's stop words, then NMF, per campaign and language."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_COMMENTS = 20  # fewer comments in a language: no themes
MIN_THEMES, MAX_THEMES = 2, 6
TOP_TERMS = 8
EXAMPLES = 3
MAX_FEATURES = 5_000
FIT_SAMPLE = 5_000  # NMF is fitted on at most this many comments, then applied to all
# Common Spanish function words (articles, pronouns, prepositions, auxiliaries), written here
# so that nothing is downloaded.
_SPANISH_WORDS = """
    a al algo algunas algunos ante antes aquel aquella aquellas aquello aquellos aqui aquí asi
    así aun aún cada casi como cómo con contra cual cuál cuales cuáles cualquier cuando cuándo
    cuanto cuánto de del demás desde donde dónde dos durante e el él ella ellas ello ellos en
    entre era eran eres es esa esas ese eso esos esta está estaba estaban estado estamos están
    estar estas éstas este éste esto estos éstos estoy etc fue fueron fui ha había habían haber
    habrá hace hacen hacer hacia han has hasta hay he hemos hoy la las le les lo los más me mi
    mí mis mismo misma mismos mismas mucho muchos mucha muchas muy nada ni no nos nosotros
    nosotras nuestra nuestras nuestro nuestros o os otra otras otro otros para pero poco pocos
    poder por porque pues que qué quien quién quienes se sea sean ser será serán si sí sido
    siempre sin sino so sobre sois solo sólo somos son soy su sus suya suyas suyo suyos también
    tan tanto te tendrá tener tengo tenemos tiene tienen toda todas todo todos tu tú tus u un
    una unas uno unos usted ustedes va vamos van vaya vez veces vosotros vuestra vuestro y ya
    yo cosa cosas creo bien puede pueden podría podrían debe deben debería deberían según tal
    tras mientras aunque además entonces luego dentro fuera ahora después cuyo cuya cuyos cuyas
    mas nadie alguien ninguno ninguna algún alguna ningún tampoco quizá quizás haya hayan tenía
    tenían hizo hecho parece siendo mía mío mías míos tuyo tuya
"""
SPANISH_STOP_WORDS = frozenset(_SPANISH_WORDS.split())
_STOP_WORDS = {"es": SPANISH_STOP_WORDS}


@dataclass(frozen=True)
class Theme:
    """A theme: its top terms, the share of comments it dominates and up to three examples."""

    id: str
    terms: tuple[str, ...]
    share: float
    n_comments: int
    examples: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class ThemeResult:
    """The themes of one language's comments; `reason` says why there are none.

    `comments` holds the texts considered, indexed as given, with the theme each belongs to
    (`theme`, None when no theme weighs on it) and that theme's weight (`strength`), so that
    the themes of a sub-group are read off the same fit (`themes_within`).
    """

    language: str
    n_comments: int
    themes: tuple[Theme, ...]
    reason: str | None = None
    comments: pd.DataFrame | None = None


def theme_count(n_comments: int) -> int:
    """Themes for n comments: floor(sqrt(n / 10)) within 2..6 (20-89: 2, 90-159: 3, 360+: 6)."""
    return min(MAX_THEMES, max(MIN_THEMES, math.isqrt(n_comments // 10)))


def language_of(locale: str) -> str:
    """`es-MX` / `es_MX` / `ES` -> `es`."""
    return str(locale).replace("_", "-").split("-")[0].lower()


def stop_words_for(language: str) -> frozenset[str]:
    """Stop words: scikit-learn's English list for en, SPANISH_STOP_WORDS for es, else none."""
    if language == "en":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return ENGLISH_STOP_WORDS
    return _STOP_WORDS.get(language, frozenset())


def find_themes(texts: Sequence[str] | pd.Series, language: str, seed: int = 0) -> ThemeResult:
    """Themes in one language's comments.

    In: comment texts, their language, a seed. Method: TF-IDF (sublinear tf, terms in >= 2
    comments, the language's stop words), NMF (init 'nndsvda', Frobenius loss) with k from
    `theme_count`, fitted on at most 5,000 comments drawn at random and applied to all (bounded
    time at 100,000 respondents). Each comment belongs to the theme with its largest NMF
    weight; a theme's share is its comments over all comments; examples are its comments with
    the highest weight, verbatim (no respondent ids; escaping and group-size suppression are
    the caller's).
    Themes are ordered by share (t1 largest). Deterministic under `seed`.
    """
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from threadpoolctl import threadpool_limits

    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    series = series[series.map(lambda text: isinstance(text, str) and bool(text.strip()))]
    texts = series.tolist()
    n = len(texts)
    if n < MIN_COMMENTS:
        reason = f"{n} comments; at least {MIN_COMMENTS} are needed to form themes"
        return ThemeResult(language, n, (), reason)
    vectorizer = TfidfVectorizer(
        stop_words=sorted(stop_words_for(language)) or None,
        min_df=2,
        max_df=0.95,
        sublinear_tf=True,
        max_features=MAX_FEATURES,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:
        return ThemeResult(language, n, (), "no word is shared by two or more comments")
    terms = vectorizer.get_feature_names_out()
    k = min(theme_count(n), len(terms), n)
    if k < MIN_THEMES:
        return ThemeResult(language, n, (), "too few distinct words to separate themes")
    rows = np.sort(np.random.default_rng(seed).choice(n, min(n, FIT_SAMPLE), replace=False))
    # NMF stopping at max_iter still gives usable factors; we accept it deliberately.
    # One thread: faster than two on these sparse matrices, and reproducible.
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=1_000)
        model.fit(matrix[rows])
        weights = model.transform(matrix)
    themes, dominant = _themes(texts, weights, model.components_, terms)
    strength = weights[np.arange(n), np.maximum(dominant, 0)]
    ids = {topic: theme.id for topic, theme in dominant_ids(themes, dominant).items()}
    assigned = pd.DataFrame(
        {
            "text": texts,
            "theme": [ids.get(topic) for topic in dominant],
            "strength": np.where(dominant >= 0, strength, 0.0),
        },
        index=series.index,
    )
    return ThemeResult(language, n, themes, comments=assigned)


def dominant_ids(themes: tuple[Theme, ...], dominant: np.ndarray) -> dict[int, Theme]:
    """NMF component number -> theme, from the order `_themes` gave them (by size)."""
    counts = np.bincount(dominant[dominant >= 0], minlength=1)
    order = [t for t in np.argsort(-counts, kind="stable") if counts[t] > 0]
    return dict(zip(order, themes, strict=True))


def themes_within(result: ThemeResult, index: pd.Index) -> tuple[Theme, ...]:
    """The campaign's themes as they show among the comments in `index` (e.g. one unit's).

    Same themes and terms; shares and examples (the strongest comments) from the subset only.
    """
    if result.comments is None:
        return ()
    subset = result.comments[result.comments.index.isin(index)]
    total = len(subset)
    themes = []
    for theme in result.themes:
        members = subset[subset["theme"] == theme.id]
        if members.empty:
            continue
        examples = members.sort_values("strength", ascending=False, kind="stable")["text"]
        themes.append(
            Theme(
                id=theme.id,
                terms=theme.terms,
                share=len(members) / total,
                n_comments=len(members),
                examples=tuple(dict.fromkeys(examples))[:EXAMPLES],
            )
        )
    return tuple(sorted(themes, key=lambda theme: -theme.share))


def _themes(
    texts: list[str], weights: np.ndarray, components: np.ndarray, terms: np.ndarray
) -> tuple[tuple[Theme, ...], np.ndarray]:
    """Assign comments to their strongest theme; order themes by share; pick terms, examples."""
    dominant = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    counts = np.bincount(dominant[dominant >= 0], minlength=weights.shape[1])
    order = [t for t in np.argsort(-counts, kind="stable") if counts[t] > 0]
    themes = []
    for rank, topic in enumerate(order):
        ranked = np.argsort(-components[topic], kind="stable")[:TOP_TERMS]
        top = tuple(str(terms[i]) for i in ranked if components[topic, i] > 0)
        members = np.flatnonzero(dominant == topic)
        strongest = members[np.argsort(-weights[members, topic], kind="stable")]
        examples: list[str] = []
        for index in strongest:
            if texts[index] not in examples:
                examples.append(texts[index])
            if len(examples) == EXAMPLES:
                break
        themes.append(
            Theme(
                id=f"t{rank + 1}",
                terms=top,
                share=float(counts[topic] / len(texts)),
                n_comments=int(counts[topic]),
                examples=tuple(examples),
            )
        )
    return tuple(themes), dominant


def comment_themes(comments: pd.DataFrame, seed: int = 0) -> dict[str, ThemeResult]:
    """Themes per language of a campaign's comments (columns `locale`, `text`), by language."""
    languages = comments["locale"].map(language_of)
    return {
        language: find_themes(comments.loc[languages == language, "text"], language, seed)
        for language in sorted(languages.dropna().unique())
    }
