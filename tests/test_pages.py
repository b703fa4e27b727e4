"""Page ranges: PubMed's abbreviated last pages become full numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibkit.pages import expand_range, split_range


@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("1065-80", "1065-1080"),
        ("1065-1080", "1065-1080"),
        ("2308-10", "2308-2310"),
        ("1453-4", "1453-1454"),
        ("1099-102", "1099-1102"),
        ("10-5", "10-15"),
        ("S56-61", "S56-S61"),
        ("e1003-5", "e1003-e1005"),
        ("R12-R15", "R12-R15"),
        ("360-1, table of contents", "360-361, table of contents"),
        ("1065-80, 1090-5", "1065-1080, 1090-1095"),
        ("1065–80", "1065-1080"),
        ("1065 - 80", "1065-1080"),
        ("e202400410", "e202400410"),
        ("112813", "112813"),
        ("JC31", "JC31"),
        ("iii-iv", "iii-iv"),
        ("5-3", "5-3"),
        ("S56-R61", "S56-R61"),
        ("", ""),
    ],
)
def test_expand_range(text: str, full: str) -> None:
    assert expand_range(text) == full


@pytest.mark.parametrize(
    ("page", "first", "last"),
    [
        ("1065-80", "1065", "1080"),
        ("S56-61", "S56", "S61"),
        ("e202400410", "e202400410", None),
        ("360-1, table of contents", "360", "361"),
        ("531", "531", None),
    ],
)
def test_split_range(page: str, first: str, last: str | None) -> None:
    assert split_range(page) == (first, last)


@given(st.integers(1, 99999), st.integers(0, 4))
def test_abbreviated_last_page_expands_to_the_full_number(first: int, extra: int) -> None:
    last = first + extra
    digits = str(last)
    # PubMed drops the leading digits the last page shares with the first.
    shared = 0
    while shared < len(digits) - 1 and str(first)[shared : shared + 1] == digits[shared]:
        shared += 1
    abbreviated = digits[shared:] if len(str(first)) == len(digits) else digits
    assert expand_range(f"{first}-{abbreviated}") == f"{first}-{last}"


@given(st.text(alphabet="0123456789 -,eSRab–", max_size=24))
def test_expanding_twice_changes_nothing(text: str) -> None:
    once = expand_range(text)
    assert expand_range(once) == once
    split_range(text)
