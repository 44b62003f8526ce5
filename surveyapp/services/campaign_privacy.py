"""The privacy settings a campaign may have: a mode and minimum group sizes the database can
store and the privacy rules allow, checked alike when a campaign is created and edited."""

from __future__ import annotations

from surveyapp.errors import Problem
from surveyapp.language import _l
from surveyapp.models.campaigns import MAX_GROUP_SIZE, MIN_GROUP_FLOOR, PRIVACY_MODES
from surveyapp.services.csv_input import not_one_of


def privacy_problems(mode: str, min_group_size: int, min_comment_group_size: int) -> list[Problem]:
    """What is wrong with a privacy mode and minimum group sizes, for creating or editing."""
    problems = []
    if mode not in PRIVACY_MODES:
        problems.append(Problem(field="mode", reason=not_one_of(mode, PRIVACY_MODES)))
    if min_group_size < MIN_GROUP_FLOOR:
        problems.append(
            Problem(
                field="min_group_size",
                reason=_l(
                    "%(min_group_size)s is below the floor of %(min_group_floor)s",
                    min_group_size=min_group_size,
                    min_group_floor=MIN_GROUP_FLOOR,
                ),
            )
        )
    sizes = (
        ("min_group_size", min_group_size),
        ("min_comment_group_size", min_comment_group_size),
    )
    problems += [  # sizes the database cannot store (a number typed with too many digits)
        Problem(
            field=name,
            reason=_l(
                "%(size)s is above the largest group size, %(max_group_size)s",
                size=size,
                max_group_size=MAX_GROUP_SIZE,
            ),
        )
        for name, size in sizes
        if size > MAX_GROUP_SIZE
    ]
    if min_comment_group_size < min_group_size:
        problems.append(
            Problem(
                field="min_comment_group_size",
                reason=_l(
                    "must be at least the minimum group size (%(min_group_size)s)",
                    min_group_size=min_group_size,
                ),
            )
        )
    return problems
