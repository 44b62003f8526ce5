"""What a brief needs beyond the analysis document: names, dates and the response rate."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

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
    author: str = "surveyapp"

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
        return f"Fieldwork {long_date(meta.opens)} to {long_date(meta.closes)}"
    if meta.opens:
        return f"Fieldwork from {long_date(meta.opens)}"
    if meta.closes:
        return f"Fieldwork until {long_date(meta.closes)}"
    return "Fieldwork dates not set"


def fieldwork_state(meta: BriefMeta) -> str:
    """Whether the figures are final: open until a date, the response rate so far and a word
    that they may change; or closed on a date."""
    if meta.status == "open":
        until = f" until {long_date(meta.closes)}" if meta.closes else ""
        so_far = (
            f"; {share_text(meta.response_rate)} of those invited have answered so far"
            if meta.response_rate is not None
            else ""
        )
        return f"Fieldwork is still open{until}{so_far}. These figures may change."
    if meta.status == "closed":
        on = f" on {long_date(meta.closes)}" if meta.closes else ""
        rate = (
            f"; {share_text(meta.response_rate)} of those invited answered"
            if meta.response_rate is not None
            else ""
        )
        return f"Fieldwork closed{on}{rate}. These figures are final."
    return "Fieldwork has not opened yet. These figures may change."


def long_date(day: date) -> str:
    """`3 March 2025`."""
    return f"{day.day} {day:%B %Y}"


def mean_text(value: float | None) -> str:
    """A mean on a 1-5 scale: one decimal."""
    return MISSING if value is None else f"{value:.1f}"


def index_text(value: float | None) -> str:
    """An index on 0-100 (readiness, AI literacy, quiz percent): a whole number."""
    return MISSING if value is None else f"{value:.0f}"


def share_text(value: float | None) -> str:
    """A share of people: a whole percent."""
    return MISSING if value is None else f"{value * 100:.0f}%"
