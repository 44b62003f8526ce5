"""The one label table of what managers read: every level, ADKAR element, literacy level,
measure, scale and function under one human name, so a construct never reads as a code.

Scale names come from the instrument files (`BriefMeta.scale_titles`), function names from the
functions table (`BriefMeta.function_names`); the ADKAR scales take their element's name, the
name the barrier point, the profile and the change table all use.
"""

from __future__ import annotations

from surveyapp.briefs.meta import BriefMeta

ADKAR_INSTRUMENT = "adoption-readiness"
ADKAR_NAMES = {
    "awareness": "Awareness",
    "desire": "Desire",
    "knowledge": "Knowledge",
    "ability": "Ability",
    "reinforcement": "Reinforcement",
}
LEVEL_NAMES = {
    "frontline": "Frontline staff",
    "manager": "Managers",
    "senior_leader": "Senior leaders",
}
LITERACY_LEVEL_NAMES = {
    "foundational": "Foundational",
    "developing": "Developing",
    "proficient": "Proficient",
    "advanced": "Advanced",
}
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
INDEX_NAMES = {
    "readiness_index": "Readiness index",
    "literacy_index": "AI-literacy index",
    "quiz_percent": "Quiz, % correct",
}
# Cohen's conventions, said in words: the statistic itself stays in the method section.
GAP_WORDS = ((0.8, "a large gap"), (0.5, "a clear gap"), (0.2, "a small gap"))


def adkar_name(element: str) -> str:
    """`knowledge` is "Knowledge"."""
    return ADKAR_NAMES.get(element, element.replace("_", " ").capitalize())


def scale_label(meta: BriefMeta, key: str) -> str:
    """A scale's one name: the ADKAR element for readiness scales, else the instrument's title
    (`ai-concerns.trust_output` is "Trust in AI output"), else its construct made readable."""
    instrument, _, construct = key.rpartition(".")
    if instrument == ADKAR_INSTRUMENT and construct in ADKAR_NAMES:
        return ADKAR_NAMES[construct]
    if key in INDEX_NAMES:
        return INDEX_NAMES[key]
    return meta.scale_titles.get(key) or construct.replace("_", " ").capitalize()


def construct_label(meta: BriefMeta, construct: str) -> str:
    """A scale named by its construct alone (as findings key them): `leader_support` is the
    title of whichever scale of the campaign has that construct."""
    keys = [key for key in meta.scale_titles if key.rpartition(".")[2] == construct]
    return scale_label(meta, keys[0] if keys else construct)


def function_label(meta: BriefMeta, code: str) -> str:
    """A function's name from the functions table, or its code made readable."""
    return meta.function_names.get(code) or code.replace("-", " ").capitalize()


def level_label(code: str) -> str:
    """`senior_leader` is "Senior leaders"."""
    return LEVEL_NAMES.get(code, code.replace("_", " ").capitalize())


def gap_words(d: float | None) -> str:
    """How large a standardised gap is, in words (Cohen's 0.2 / 0.5 / 0.8)."""
    size = abs(d or 0.0)
    return next((words for bound, words in GAP_WORDS if size >= bound), "hardly any gap")
