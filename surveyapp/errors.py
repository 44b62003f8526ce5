"""Errors that reach a user: each names where the problem is and what is wrong with it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from surveyapp.language import LazyText, _l, ngettext


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is (a file and the place in it, or the `field`
    of a form or command), and the reason (services word it with `language._l`, so it is
    read in the language of whoever is shown it).

    A place in a CSV file is its `row` (the file's line) and `column`, kept apart so a page can
    put the reason beside the form field of that column and word the place in its reader's
    language; other places (an instrument's key path, the header) are `where`, with `line` the
    file's line when known.

    Services name fields as the domain does (`mode`, `min_group_size`): the CLI shows them as
    its options (commands.common.OPTIONS), the admin forms beside their own fields.
    """

    source: str = ""
    where: str | LazyText = ""
    reason: str | LazyText = ""
    line: int | None = None
    field: str | None = None
    row: int | None = None
    column: str | None = None

    @property
    def place(self) -> str | LazyText:
        """Where in the source, worded when shown: "row 3, column 'unit'", else `where`."""
        if self.row is None:
            return self.where
        if self.column is None:
            return _l("row %(row)s", row=self.row)
        return _l("row %(row)s, column %(column)r", row=self.row, column=self.column)

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """The problem in one line, its field shown under `names` (field → what to call it)."""
        if self.field is not None:
            origin = (names or {}).get(self.field, self.field)
        else:
            origin = f"{self.source}:{self.line}" if self.line is not None else self.source
        place = self.place
        return f"{origin}: {place}: {self.reason}" if place else f"{origin}: {self.reason}"

    def __str__(self) -> str:
        return self.describe()


class SurveyappError(Exception):
    """A request the app refuses, with a message the user can act on."""


class InputError(SurveyappError):
    """Input that cannot be accepted; carries every problem found, so all are reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__()

    def __str__(self) -> str:
        return self.describe()

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """Every problem, one a line, under a heading, in the reader's language when shown;
        fields shown under `names`."""
        heading = ngettext(
            "%(num)s problem, nothing was changed:",
            "%(num)s problems, nothing was changed:",
            len(self.problems),
        )
        return "\n".join([heading, *(problem.describe(names) for problem in self.problems)])


class NotFound(Exception):
    """Something that does not exist, or that the user may not know exists: both look alike.

    The staff area answers it with its 404 page, the API with its JSON 404."""
