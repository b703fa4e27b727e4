"""Page ranges: PubMed abbreviates them (``1065-80``); every output wants full numbers."""

from __future__ import annotations

import re

_RANGE = re.compile(
    r"(?P<prefix>[A-Za-z]*)(?P<first>\d+)(?P<suffix>[A-Za-z]*)"
    r"\s*[-\u2010-\u2015]+\s*"
    r"(?P<prefix2>[A-Za-z]*)(?P<last>\d+)(?P<suffix2>[A-Za-z]*)"
)


def expand_range(text: str) -> str:
    """``1065-80`` -> ``1065-1080``, ``S56-61`` -> ``S56-S61``, ``360-1, table of contents``
    -> ``360-361, table of contents``; e-locators and anything unusual pass through unchanged.
    """
    if "," not in text:
        return _expand_part(text.strip())  # the common case: one range
    return ", ".join(_expand_part(part.strip()) for part in text.split(","))


def _expand_part(part: str) -> str:
    match = _RANGE.fullmatch(part)
    if not match:
        return part
    prefix, first, suffix, prefix2, last, suffix2 = match.groups()
    if prefix2 and prefix2 != prefix:
        return part
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    if int(last) < int(first):
        return part
    return f"{prefix}{first}{suffix}-{prefix2 or prefix}{last}{suffix2}"


def split_range(page: str) -> tuple[str, str | None]:
    """First and last page of a (full) range; an e-locator or single page has no last page."""
    expanded = expand_range(page).split(",")[0].strip()
    first, dash, last = expanded.partition("-")
    if dash and first and last:
        return first, last
    return expanded, None
