"""The one label table of what managers read: every level, ADKAR element, literacy level,
measure, scale and function under one human name, so a construct never reads as a code.

Scale names come from the instrument files (`BriefMeta.scale_titles`), function names from the
functions table (`BriefMeta.function_names`); the ADKAR scales take their element's name, the
name the barrier point, the profile and the change table all use.
"""

from __future__ import annotations

import re

from surveyapp.briefs.meta import BriefMeta
from surveyapp.language import N_, _

ADKAR_INSTRUMENT = "adoption-readiness"
ADKAR_NAMES = {
    "awareness": N_("Awareness"),
    "desire": N_("Desire"),
    "knowledge": N_("Knowledge"),
    "ability": N_("Ability"),
    "reinforcement": N_("Reinforcement"),
}
LEVEL_NAMES = {
    "frontline": N_("Frontline staff"),
    "manager": N_("Managers"),
    "senior_leader": N_("Senior leaders"),
}
# Lower case, as they run in sentences ("59% at developing or above"); legends raise the first
# letter (`literacy_level_title`).
LITERACY_LEVEL_NAMES = {
    "foundational": N_("foundational"),
    "developing": N_("developing"),
    "proficient": N_("proficient"),
    "advanced": N_("advanced"),
}
ACTION_STATUS_NAMES = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
LANGUAGE_NAMES = {"en": N_("English"), "es": N_("Spanish")}
INDEX_NAMES = {
    "readiness_index": N_("Readiness index"),
    "literacy_index": N_("AI-literacy index"),
    "quiz_percent": N_("Quiz, percent correct"),
}
# The playbook's owners and timings (instruments/playbook.yaml), named for the catalogue.
PLAYBOOK_WORDS = (
    N_("unit leader"),
    N_("change manager"),
    N_("HR / L&D"),
    N_("executive sponsor"),
    N_("AI programme team"),
    N_("risk & compliance"),
    N_("next 2 weeks"),
    N_("next 30 days"),
    N_("next quarter"),
)
# Reasons the analysis gives for what it hides, shown in the method section.
REASON_WORDS = (N_("hidden to protect small groups"),)
# Cohen's conventions, said in words: the statistic itself stays in the method section.
GAP_WORDS = ((0.8, N_("a large gap")), (0.5, N_("a clear gap")), (0.2, N_("a small gap")))


def literacy_level_title(level: str) -> str:
    """`developing` as a legend or heading names it: "Developing"."""
    name = _(LITERACY_LEVEL_NAMES[level])
    return name[:1].upper() + name[1:]


def adkar_name(element: str) -> str:
    """`knowledge` is "Knowledge"."""
    return (
        _(ADKAR_NAMES[element])
        if element in ADKAR_NAMES
        else element.replace("_", " ").capitalize()
    )


def scale_label(meta: BriefMeta, key: str) -> str:
    """A scale's one name: the ADKAR element for readiness scales, else the instrument's title
    (`ai-concerns.trust_output` is "Trust in AI output"), else its construct made readable."""
    instrument, _dot, construct = key.rpartition(".")
    if instrument == ADKAR_INSTRUMENT and construct in ADKAR_NAMES:
        return _(ADKAR_NAMES[construct])
    if key in INDEX_NAMES:
        return _(INDEX_NAMES[key])
    return meta.scale_titles.get(key) or construct.replace("_", " ").capitalize()


def construct_label(meta: BriefMeta, construct: str) -> str:
    """A scale named by its construct alone (as findings key them): `leader_support` is the
    title of whichever scale of the campaign has that construct."""
    keys = [key for key in meta.scale_titles if key.rpartition(".")[2] == construct]
    return scale_label(meta, keys[0] if keys else construct)


def function_label(meta: BriefMeta, code: str) -> str:
    """A function's name from the functions table, or its code made readable."""
    named = meta.function_names.get(code)
    return _(named) if named else code.replace("-", " ").capitalize()


def metric_label(metric: str) -> str:
    """An outcome metric's name as readers see it: the import file gives only its id, so the
    id in words (`weekly_active_users` is "Weekly active users")."""
    return re.sub(r"[_.-]+", " ", metric).strip().capitalize() or metric


def level_label(code: str) -> str:
    """`senior_leader` is "Senior leaders"."""
    return _(LEVEL_NAMES[code]) if code in LEVEL_NAMES else code.replace("_", " ").capitalize()


GAP_SIZES = ((0.8, N_("large")), (0.5, N_("clear")), (0.2, N_("small")))


def gap_size(d: float | None) -> str:
    """How large a standardised gap is in one word (English: a key as well as a label)."""
    size = abs(d or 0.0)
    return next((words for bound, words in GAP_SIZES if size >= bound), N_("hardly any"))


def gap_words(d: float | None) -> str:
    """How large a standardised gap is, in words (Cohen's 0.2 / 0.5 / 0.8)."""
    size = abs(d or 0.0)
    return _(next((words for bound, words in GAP_WORDS if size >= bound), N_("hardly any gap")))
