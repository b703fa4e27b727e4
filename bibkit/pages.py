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
    return ", ".join(_expand_part(part.strip()) for part in text.split(","))


def _expand_part(part: str) -> str:
    match = _RANGE.fullmatch(part)
    if not match:
        return part
    first, last = match["first"], match["last"]
    prefix, prefix2 = match["prefix"], match["prefix2"] or match["prefix"]
    if match["prefix2"] and match["prefix2"] != prefix:
        return part
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    if int(last) < int(first):
        return part
    return f"{prefix}{first}{match['suffix']}-{prefix2}{last}{match['suffix2']}"


def split_range(page: str) -> tuple[str, str | None]:
    """First and last page of a (full) range; an e-locator or single page has no last page."""
    expanded = expand_range(page).split(",")[0].strip()
    first, dash, last = expanded.partition("-")
    if dash and first and last:
        return first, last
    return expanded, None
