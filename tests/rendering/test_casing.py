"""CSL ``text-case`` on rendered HTML: the word rules of CSL 1.0.2, "Text-case"."""

from __future__ import annotations

import pytest

from bibkit.rendering.casing import apply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sulfonylureas vs. metformin", "Sulfonylureas vs. Metformin"),
        ("smith v. jones", "Smith v. Jones"),
        ("a study: vs. the rest", "A Study: Vs. the Rest"),
    ],
)
def test_title_case_keeps_dotted_stop_words_lowercase(text: str, expected: str) -> None:
    """ "vs." and "v." are stop words with their period (Chicago printed "Sulfonylureas Vs.")."""
    assert apply(text, "title") == expected


@pytest.mark.parametrize(
    ("text", "text_case", "expected"),
    [
        ("bioRxiv", "capitalize-first", "bioRxiv"),
        ("bioRxiv preprint", "capitalize-first", "bioRxiv preprint"),
        ("the preprint", "capitalize-first", "The preprint"),
        ("mRNA in eLife", "capitalize-all", "mRNA In eLife"),
        ("<i>bioRxiv</i> server", "capitalize-first", "<i>bioRxiv</i> server"),
    ],
)
def test_capitalize_changes_only_lowercase_words(text: str, text_case: str, expected: str) -> None:
    """CSL 1.0.2: capitalize-first and capitalize-all change a word "if the word is lowercase"
    (Chicago printed "BioRxiv")."""
    assert apply(text, text_case) == expected
