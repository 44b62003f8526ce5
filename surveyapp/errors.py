"""Errors that reach a user: each names where the problem is and what is wrong with it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: its source (file), place in it, and the reason."""

    source: str
    where: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        place = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{place}: {self.where}: {self.reason}" if self.where else f"{place}: {self.reason}"


class SurveyappError(Exception):
    """A request the app refuses, with a message the user can act on."""


class InputError(SurveyappError):
    """Input that cannot be accepted; carries every problem found, so all are reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        heading = "1 problem" if count == 1 else f"{count} problems"
        super().__init__("\n".join([f"{heading}, nothing was changed:", *map(str, problems)]))


class NotFound(Exception):
    """Something that does not exist, or that the user may not know exists: both look alike.

    The staff area answers it with its 404 page, the API with its JSON 404."""
