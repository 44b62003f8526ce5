"""A comment theme's readable name: its most telling phrase, in the comments' own language.

A theme arrives as its top terms and its most representative comments (already released under
the comment rules). Its name is the shortest run of words, in one of those comments, that holds
the most of the theme's leading terms, so "saves, hour, day, reports" reads as "Saves me an hour
a day on reports" rather than as a word list.
"""

from __future__ import annotations

import re

LEADING_TERMS = 6  # the terms a name should hold
LONGEST_NAME = 7  # words
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?|\d+", re.UNICODE)
CLAUSE = re.compile(r"[.!?;:()\"“”¿¡]+")


def theme_label(terms: list[str], examples: list[str]) -> str:
    """The theme's name; when no comment holds two leading terms, the opening words of its
    most representative comment; with no comment at all, its leading terms."""
    wanted = {term.lower() for term in terms[:LEADING_TERMS]}
    best: tuple[int, int, int] | None = None
    label = ""
    for rank, example in enumerate(examples):
        for clause in CLAUSE.split(example):
            words = WORD.findall(clause)
            for start in range(len(words)):
                for end in range(start + 1, min(len(words), start + LONGEST_NAME) + 1):
                    span = words[start:end]
                    if span[0].lower() not in wanted or span[-1].lower() not in wanted:
                        continue  # a name starts and ends on a theme word
                    held = len(wanted & {w.lower() for w in span})
                    score = (held, -len(span), -rank)
                    if held >= 2 and (best is None or score > best):
                        best, label = score, " ".join(span)
    if not label and examples:
        words = WORD.findall(CLAUSE.split(examples[0].strip())[0] or examples[0])
        label = " ".join(words[:LONGEST_NAME]) + (
            "\N{HORIZONTAL ELLIPSIS}" if len(words) > LONGEST_NAME else ""
        )
    if not label:
        return ", ".join(terms[:3]).capitalize()
    return label[0].upper() + label[1:]
