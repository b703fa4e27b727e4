"""Text, HTML, Markdown and RTF from the engine's HTML entries."""

from __future__ import annotations

import pytest

from bibkit.rendering import Entry
from bibkit.rendering.output import format_entries, to_markdown, to_rtf_fragment, to_text

ENTRY = Entry(
    "chen2022",
    "Chen W. CRISPR editing of <i>PCSK9</i> &amp; <b>LDL</b> H<sub>2</sub>O "
    "x<sup>2</sup> &lt;tag&gt;. Nat Biotechnol.",
    "1.",
)


def test_text_drops_tags_and_decodes_entities_once() -> None:
    assert to_text("a &amp;amp; <i>b</i>") == "a &amp; b"
    assert format_entries([ENTRY], "text") == (
        "1. Chen W. CRISPR editing of PCSK9 & LDL H2O x2 <tag>. Nat Biotechnol.\n"
    )


def test_html_keeps_escaping_and_marks_the_number_column() -> None:
    out = format_entries([ENTRY], "html")
    assert '<div class="csl-entry" id="chen2022">' in out
    assert '<div class="csl-left-margin">1.</div>' in out
    assert "&amp; <b>LDL</b>" in out
    assert "&lt;tag&gt;" in out


def test_markdown_formatting_and_escapes() -> None:
    assert to_markdown("<i>PCSK9</i> and <b>LDL</b> x<sup>2</sup> a_b [c] *d*") == (
        "*PCSK9* and **LDL** x^2^ a\\_b \\[c\\] \\*d\\*"
    )


def test_rtf_formatting_and_unicode() -> None:
    assert to_rtf_fragment("<i>Cell</i> {x} \\ <b>b</b> α") == (
        "{\\i Cell} \\{x\\} \\\\ {\\b b} \\u945?"
    )
    document = format_entries([ENTRY], "rtf")
    assert document.startswith("{\\rtf1\\ansi")
    assert document.rstrip().endswith("}")
    assert "{\\i PCSK9}" in document and "{\\sub 2}" in document
    assert "1.\\tab Chen W." in document
    assert document.count("{") == document.count("}")


def test_rtf_characters_outside_the_basic_plane() -> None:
    assert to_rtf_fragment("\U0001d6fc") == "\\u-10187?\\u-8452?"


def test_markdown_escapes_pandoc_citations_and_math() -> None:
    assert to_markdown("Mail @smith2020 costs $5 and $x$") == (
        "Mail \\@smith2020 costs \\$5 and \\$x\\$"
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("+ Plus Group. (2021).", "\\+ Plus Group. (2021)."),
        ("- Dash Group. (2021).", "\\- Dash Group. (2021)."),
        ("2019. Team. (2020).", "2019\\. Team. (2020)."),
        ("(1) Paren Group. (2021).", "(1\\) Paren Group. (2021)."),
        ("a. Letter Group. (2021).", "a\\. Letter Group. (2021)."),
        ("2019 Novel Coronavirus Team. (2020).", "2019 Novel Coronavirus Team. (2020)."),
    ],
)
def test_markdown_entry_that_starts_like_a_list_item_stays_text(body: str, expected: str) -> None:
    assert format_entries([Entry("k", body, None)], "markdown") == expected + "\n"
    # A numbered style's own number stays a list marker; the body after it is escaped too,
    # or pandoc nests a second list inside the first.
    assert format_entries([Entry("k", body, "1.")], "markdown") == f"1. {expected}\n"
