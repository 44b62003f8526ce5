"""Long lists shown a page at a time: which page was asked for, and how many there are."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import request

MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Paging:
    """The page shown (from 1), how many pages the `total` rows fill, and the rows to skip."""

    page: int
    pages: int
    total: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


def paging(total: int, size: int) -> Paging:
    """The page the `page` argument asks for, kept within 1..pages; anything else is page 1."""
    raw = request.args.get("page", "1")
    asked = int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < MAX_PAGE else 1
    pages = max(1, math.ceil(total / size))
    return Paging(min(asked, pages), pages, total, size)
