"""PubMed's date forms: ``2024 Apr 12``, ``2023 Dec``, ``2010 Sep-Oct``, ``2009 Spring``, ..."""

from __future__ import annotations

import re

from bibkit.model import PartialDate, Season

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # fmt: skip
SEASONS: dict[str, Season] = {
    "spring": 1,
    "summer": 2,
    "fall": 3,
    "autumn": 3,
    "winter": 4,
}

_POINT = re.compile(
    r"(?:(?P<year>\d{4})\s*)?"
    r"(?:(?P<month>[A-Za-z]+)\.?|(?P<nmonth>\d{1,2}))?"
    r"(?:\s+(?P<day>\d{1,2}))?"
)
_NUMERIC = re.compile(r"(?P<year>\d{4})(?:[/-](?P<month>\d{1,2})(?:[/-](?P<day>\d{1,2}))?)?/?")


def _point(text: str, inherit_year: int | None = None) -> PartialDate | None:
    """One end of a date: ``2024 Apr 12``, ``Apr 12``, ``Oct``, ``12``, ``Spring``."""
    text = text.strip().rstrip(".")
    if not text:
        return None
    numeric = _NUMERIC.fullmatch(text)
    if numeric:
        return _build(int(numeric["year"]), numeric["month"], numeric["day"])
    tokens = text.replace(",", " ").split()
    year: int | None = inherit_year
    if tokens and re.fullmatch(r"\d{4}", tokens[0]):
        year = int(tokens.pop(0))
    if not tokens:
        return PartialDate(year=year) if year is not None else None
    word = tokens[0].lower().rstrip(".")
    if word in SEASONS and len(tokens) == 1:
        return PartialDate(year=year, season=SEASONS[word])
    month = MONTHS.get(word)
    if month is None:
        if inherit_year is not None and re.fullmatch(r"\d{1,2}", word) and len(tokens) == 1:
            return None  # a bare day ("12-18") is handled by the caller
        return None
    day: int | None = None
    if len(tokens) >= 2:
        if not re.fullmatch(r"\d{1,2}", tokens[1]) or len(tokens) > 2:
            return None
        day = int(tokens[1])
    return _build(year, month, day)


def _build(year: int | None, month: int | str | None, day: int | str | None) -> PartialDate | None:
    try:
        return PartialDate(
            year=year,
            month=int(month) if month is not None else None,
            day=int(day) if day is not None else None,
        )
    except ValueError:
        return None


def parse_pubmed_date(text: str) -> PartialDate | None:
    """Parse a PubMed/MEDLINE date; unparseable text keeps its year (if any) and ``literal``.

    Ranges become a start date with ``end``: ``2010 Sep-Oct``, ``2000 Dec-2001 Jan``,
    ``1998 Dec 15-21``. Returns None for empty text.
    """
    text = " ".join(text.split())
    if not text:
        return None
    start_text, dash, end_text = text.partition("-")
    if dash and not _NUMERIC.fullmatch(text):
        start = _point(start_text)
        if start is not None:
            end = _range_end(start, end_text)
            if end is not None:
                return start.model_copy(update={"end": end})
    else:
        whole = _point(text)
        if whole is not None and whole.year is not None:
            return whole
    year = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", text)
    return PartialDate(year=int(year.group()) if year else None, literal=text)


def _range_end(start: PartialDate, text: str) -> PartialDate | None:
    text = text.strip()
    if re.fullmatch(r"\d{1,2}", text) and start.month is not None and start.day is not None:
        return _build(start.year, start.month, text)
    end = _point(text, inherit_year=start.year)
    if end is None or end.year is None:
        return None
    return end


def format_medline_date(date: PartialDate) -> str:
    """``2024 Apr 12`` — PubMed's own way of writing a date, for summaries and MEDLINE.

    Only the start of a range is written (callers join ``date.end`` themselves); a date that
    could not be parsed is written as it was read (``literal``), not cut to its year.
    """
    if date.literal:
        return date.literal
    return _format_point(date)


def _format_point(date: PartialDate) -> str:
    parts: list[str] = []
    if date.year is not None:
        parts.append(str(date.year))
    if date.month is not None:
        parts.append(MONTH_ABBREVIATIONS[date.month - 1])
        if date.day is not None:
            parts.append(str(date.day))
    elif date.season is not None:
        parts.append(("Spring", "Summer", "Fall", "Winter")[date.season - 1])
    return " ".join(parts) if parts else (date.literal or "")
