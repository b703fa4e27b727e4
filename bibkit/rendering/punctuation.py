"""Joining rendered pieces the way CSL processors do: no doubled punctuation, and periods and
commas moved inside closing quotes where the locale says so.

The engine renders HTML (text escaped, formatting as tags), so the characters that meet at a
seam are the last *visible* character of the left piece and the first visible one of the right
piece; tags and entities in between are looked through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PUNCTUATION = frozenset(".,;:!?")
_TAIL_TAGS = re.compile(r"(?:</?[a-zA-Z][^>]*>)+$")
_HEAD_TAGS = re.compile(r"^(?:</?[a-zA-Z][^>]*>)+")
_TAIL_ENTITY = re.compile(r"&#?\w+;$")


@dataclass(frozen=True)
class SeamRules:
    """The locale's choices that affect seams."""

    punctuation_in_quote: bool = False
    """CSL ``punctuation-in-quote`` locale option (true for en-US)."""
    close_quotes: frozenset[str] = frozenset("\u201d\u2019")
    """The locale's ``close-quote`` and ``close-inner-quote`` terms."""


def _last_visible(text: str) -> int | None:
    """Index of the last visible character, looking through trailing tags."""
    end = len(text)
    match = _TAIL_TAGS.search(text)
    if match:
        end = match.start()
    if end == 0:
        return None
    if _TAIL_ENTITY.search(text[:end]):
        return None  # an escaped character such as &amp; is never punctuation
    return end - 1


def _first_visible(text: str) -> int | None:
    match = _HEAD_TAGS.match(text)
    start = match.end() if match else 0
    return start if start < len(text) else None


def absorbs(left: str, right: str) -> bool:
    """Whether punctuation ``right`` is swallowed by punctuation ``left`` (CSL 1.0.2, "Affixes":
    affixes are not doubled; ``?``/``!`` already end a sentence, and after ``;`` or ``:`` a
    period would be a second stop, so it goes; a ``:`` after ``;``, ``?`` or ``!`` too)."""
    return left == right or (left in "!?;:" and right == ".") or (left in "!?;" and right == ":")


def yields(left: str, right: str) -> bool:
    """Whether punctuation ``left`` gives way to ``right``: a ``?`` or ``!`` after ``;`` or
    ``:`` ends the piece alone (``2024;: e1`` and ``;?`` are never printed; citeproc-js
    merges them the same way)."""
    return left in ";:" and right in "!?"


def seam(left: str, right: str, rules: SeamRules) -> str:
    """``left + right`` with the punctuation at the seam settled."""
    if not left:
        return right
    if not right:
        return left
    r = _first_visible(right)
    if r is None:
        return left + right
    char = right[r]
    if char == " " and left.endswith(" "):
        return left + right[:r] + right[r + 1 :]
    if char not in PUNCTUATION:
        return left + right
    l_index = _last_visible(left)
    if l_index is None:
        return left + right
    last = left[l_index]
    rest = right[:r] + right[r + 1 :]
    if rules.punctuation_in_quote and char in ".," and last in rules.close_quotes:
        before = _last_visible(left[:l_index])
        inner = left[:l_index]
        if before is not None and left[before] in PUNCTUATION and absorbs(left[before], char):
            return left + rest
        return inner + char + left[l_index:] + rest
    if last in PUNCTUATION and absorbs(last, char):
        return left + rest
    if yields(last, char):
        return left[:l_index] + left[l_index + 1 :] + right
    return left + right


def join(pieces: list[str], delimiter: str, rules: SeamRules) -> str:
    """Pieces joined with ``delimiter``, every seam settled."""
    out = ""
    for i, piece in enumerate(pieces):
        if i:
            out = seam(out, delimiter, rules)
        out = seam(out, piece, rules)
    return out
