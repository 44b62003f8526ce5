"""What a brief needs beyond the analysis document: names, dates and the response rate."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from surveyapp.language import N_, _, current_language

MISSING = "\N{EN DASH}"  # printed where a figure does not exist


@dataclass(frozen=True)
class BriefMeta:
    """Names and dates of one unit's brief; plain values, so it crosses process boundaries."""

    campaign: str
    campaign_name: str
    unit_name: str
    opens: date | None = None
    closes: date | None = None
    response_rate: float | None = None
    status: str = "closed"
    previous_name: str | None = None
    scale_titles: dict[str, str] = field(default_factory=dict)
    function_names: dict[str, str] = field(default_factory=dict)
    pattern_names: dict[str, str] = field(default_factory=dict)  # archetype -> its pattern's
    author: str = "surveyapp"
    language: str = "en"  # the language the brief is written in (en or es)

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for a worker process; `from_dict` rebuilds the meta."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> BriefMeta:
        """The meta `to_dict` produced."""
        return cls(**values)


def fieldwork(meta: BriefMeta) -> str:
    """The campaign's dates as the brief prints them (also how tests find them in the text)."""
    if meta.opens and meta.closes:
        return _(
            "Fieldwork %(opens)s to %(closes)s",
            opens=long_date(meta.opens),
            closes=long_date(meta.closes),
        )
    if meta.opens:
        return _("Fieldwork from %(opens)s", opens=long_date(meta.opens))
    if meta.closes:
        return _("Fieldwork until %(closes)s", closes=long_date(meta.closes))
    return _("Fieldwork dates not set")


# Each state's sentence with the closing date and rate, with the date only, the rate only,
# neither; then what it means for the figures.
FIELDWORK_STATES = {
    "open": (
        N_(
            "Fieldwork is still open until %(closes)s; %(rate)s of those invited have answered "
            "so far."
        ),
        N_("Fieldwork is still open until %(closes)s."),
        N_("Fieldwork is still open; %(rate)s of those invited have answered so far."),
        N_("Fieldwork is still open."),
        N_("These figures may change."),
    ),
    "closed": (
        N_("Fieldwork closed on %(closes)s; %(rate)s of those invited answered."),
        N_("Fieldwork closed on %(closes)s."),
        N_("Fieldwork closed; %(rate)s of those invited answered."),
        N_("Fieldwork closed."),
        N_("These figures are final."),
    ),
}


def fieldwork_state(meta: BriefMeta) -> str:
    """Whether the figures are final: open until a date, the response rate so far and a word
    that they may change; or closed on a date."""
    if meta.status not in FIELDWORK_STATES:
        return " ".join((_("Fieldwork has not opened yet."), _("These figures may change.")))
    both, dated, rated, bare, meaning = FIELDWORK_STATES[meta.status]
    values = {
        "closes": long_date(meta.closes) if meta.closes else None,
        "rate": None if meta.response_rate is None else share_text(meta.response_rate),
    }
    chosen = {(True, True): both, (True, False): dated, (False, True): rated}
    sentence = chosen.get((bool(values["closes"]), bool(values["rate"])), bare)
    shown = {key: value for key, value in values.items() if value and f"%({key})s" in sentence}
    return " ".join((_(sentence, **shown), _(meaning)))


def long_date(day: date) -> str:
    """`3 March 2025` (in Spanish `3 de marzo de 2025`)."""
    if current_language() == "en":
        return f"{day.day} {day:%B %Y}"
    return format_date(day, format="long", locale=current_language())


def utc_moment(value: datetime) -> str:
    """A moment in UTC: `2026-03-01 09:30 UTC` (in Spanish `1 mar 2026, 09:30 UTC`)."""
    if current_language() == "en":
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return format_datetime(value, "d MMM y, HH:mm", tzinfo=UTC, locale=current_language()) + " UTC"


def decimal_text(value: float, pattern: str) -> str:
    """`value` in Babel's `pattern`, in the brief's language. A brief prints some 300 rounded
    means (every heatmap cell), nearly all of them repeats, and Babel takes about a tenth of a
    millisecond for each: the words are kept per value, pattern and language (not for zero,
    whose -0.0 and 0.0 a cache would take for one)."""
    if value == 0:
        return format_decimal(value, pattern, locale=current_language())
    return _decimal_text(value, pattern, current_language())


@lru_cache(maxsize=4096)
def _decimal_text(value: float, pattern: str, language: str) -> str:
    return format_decimal(value, pattern, locale=language)


def mean_text(value: float | None) -> str:
    """A mean on a 1-5 scale: one decimal (a decimal comma in Spanish)."""
    return MISSING if value is None else decimal_text(round(value, 1), "0.0")


def figure_text(value: float) -> str:
    """Any other figure (an outcome metric): three significant digits, in the reader's
    language (`1.25`, `1,25`; `1,230`, `1230`)."""
    return decimal_text(float(f"{value:.3g}"), "#,##0.###")


def index_text(value: float | None) -> str:
    """An index on 0-100 (readiness, AI literacy, quiz percent): a whole number."""
    return MISSING if value is None else f"{value:.0f}"


def share_text(value: float | None) -> str:
    """A share of people: a whole percent."""
    if value is None:
        return MISSING
    return format_percent(value, "#,##0%", locale=current_language()).replace("\xa0", " ")


def signed_text(value: float) -> str:
    """A change of a whole-number index: `+6`, `-3`, `0`."""
    return "0" if round(value) == 0 else f"{value:+.0f}"


def signed_mean(value: float) -> str:
    """A change of a 1-5 mean: `+0.3` (`+0,3` in Spanish), `0` for none."""
    if round(value, 1) == 0:
        return "0"
    sign = "+" if value > 0 else "-"
    return sign + decimal_text(round(abs(value), 1), "0.0")


def statistic_text(value: float) -> str:
    """A statistic of the method section (alpha, d, R²): two decimals, in the brief's language."""
    return decimal_text(round(value, 2), "0.00")
