"""PubMed date forms: single dates, seasons, ranges, and what cannot be parsed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibkit.dates import MONTH_ABBREVIATIONS, format_medline_date, parse_pubmed_date
from bibkit.model import PartialDate

CASES = [
    # text, [year, month, day], season, end parts, ISO form
    ("2024 Apr 12", [2024, 4, 12], None, None, "2024-04-12"),
    ("2023 Dec", [2023, 12], None, None, "2023-12"),
    ("2023 May 17", [2023, 5, 17], None, None, "2023-05-17"),
    ("2006", [2006], None, None, "2006"),
    ("2010 Sep-Oct", [2010, 9], None, [2010, 10], "2010-09/2010-10"),
    ("2000 Dec-2001 Jan", [2000, 12], None, [2001, 1], "2000-12/2001-01"),
    ("1998 Dec 15-21", [1998, 12, 15], None, [1998, 12, 21], "1998-12-15/1998-12-21"),
    ("2023 Dec 1-2024 Jan 5", [2023, 12, 1], None, [2024, 1, 5], "2023-12-01/2024-01-05"),
    ("2009 Spring", [2009], 1, None, "2009"),
    ("1998 Fall", [1998], 3, None, "1998"),
    ("2009 Spring-Summer", [2009], 1, [2009], "2009"),
    ("2023 Sept 4", [2023, 9, 4], None, None, "2023-09-04"),
    ("2024 Apr 12.", [2024, 4, 12], None, None, "2024-04-12"),
    ("2021-03-15", [2021, 3, 15], None, None, "2021-03-15"),
    ("2021/03", [2021, 3], None, None, "2021-03"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "parts", "season", "end", "iso"), CASES)
def test_parse_pubmed_date(
    text: str, parts: list[int], season: int | None, end: list[int] | None, iso: str
) -> None:
    date = parse_pubmed_date(text)
    assert date is not None and date.literal is None
    assert date.parts() == parts
    assert date.season == season
    assert (date.end.parts() if date.end else None) == end
    assert date.iso() == iso


@pytest.mark.parametrize(
    ("text", "year"),
    [("2019 Nov/Dec", 2019), ("Summer 2009", 2009), ("2023 Dec 32", 2023), ("undated", None)],
)
def test_unparsed_dates_keep_their_text_and_year(text: str, year: int | None) -> None:
    date = parse_pubmed_date(text)
    assert date is not None
    assert (date.year, date.month, date.literal) == (year, None, text)
    assert format_medline_date(date) == text  # written as read, not cut to the year


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_is_no_date(text: str) -> None:
    assert parse_pubmed_date(text) is None


@pytest.mark.parametrize("text", ["2024 Apr 12", "2023 Dec", "2006", "2009 Spring", "1998 Fall"])
def test_format_medline_date_writes_what_it_reads(text: str) -> None:
    date = parse_pubmed_date(text)
    assert date is not None and format_medline_date(date) == text


def test_format_medline_date_writes_the_start_of_a_range() -> None:
    date = parse_pubmed_date("2010 Sep-Oct")
    assert date is not None and date.end is not None
    assert (format_medline_date(date), format_medline_date(date.end)) == ("2010 Sep", "2010 Oct")


dates = st.builds(
    PartialDate,
    year=st.integers(1800, 2100),
    month=st.one_of(st.none(), st.integers(1, 12)),
    day=st.one_of(st.none(), st.integers(1, 28)),
).filter(lambda d: d.month is not None or d.day is None)


@given(dates)
def test_format_then_parse_round_trips(date: PartialDate) -> None:
    text = format_medline_date(date)
    assert text.split()[1:2] in ([], [MONTH_ABBREVIATIONS[(date.month or 1) - 1]])
    assert parse_pubmed_date(text) == date


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.text(alphabet="0123456789 -/,.;JanDecSpringOctMayWinter", max_size=30),
    )
)
def test_no_text_makes_parsing_raise(text: str) -> None:
    date = parse_pubmed_date(text)
    if date is not None:
        format_medline_date(date)
        date.iso()
        assert date.literal is not None or date.year is not None
