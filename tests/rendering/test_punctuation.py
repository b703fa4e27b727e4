"""Punctuation where two rendered pieces meet, as citeproc-js (Zotero) settles it."""

from __future__ import annotations

import pytest

from bibkit.rendering.punctuation import SeamRules, seam

# What citeproc-js prints for "X<left>" followed by "<right> Y", every pair of marks.
MERGED = {
    ";.": "X; Y",
    ";:": "X; Y",
    ";!": "X! Y",
    ";?": "X? Y",
    ":.": "X: Y",
    ":!": "X! Y",
    ":?": "X? Y",
    "!.": "X! Y",
    "!:": "X! Y",
    "?.": "X? Y",
    "?:": "X? Y",
}


@pytest.mark.parametrize("pair", [a + b for a in ".,;:!?" for b in ".,;:!?" if a != b])
def test_every_pair_of_marks_meets_as_in_citeproc_js(pair: str) -> None:
    """PLOS printed "2024;: e202400410" for an article without a volume."""
    left, right = pair
    expected = MERGED.get(pair, f"X{left}{right} Y")
    assert seam(f"X{left}", f"{right} Y", SeamRules()) == expected


def test_merging_looks_through_tags() -> None:
    assert seam("<i>2024;</i>", ": e1", SeamRules()) == "<i>2024;</i> e1"
    assert seam("<i>Why;</i>", "? e1", SeamRules()) == "<i>Why</i>? e1"
