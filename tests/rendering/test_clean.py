"""The data bibkit feeds citeproc-py: normalised CSL-JSON and escaped rich text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bibkit.rendering.clean import clean_date, clean_item, clean_name
from bibkit.rendering.markup import QUOTE_CLOSE, QUOTE_OPEN, item_to_html, rich_to_html
from bibkit.rendering.output import to_text


def test_pages_expanded_and_abbreviation_moved() -> None:
    item = clean_item(
        {
            "id": "a",
            "type": "article-journal",
            "page": "1012-8",
            "journalAbbreviation": "Br J Haematol",
            "custom": {"mesh": ["x"]},
        }
    )
    assert item["page"] == "1012-1018"
    assert item["container-title-short"] == "Br J Haematol"
    assert item["container-title"] == "Br J Haematol"
    assert "custom" not in item and "journalAbbreviation" not in item


def test_names_always_have_family_or_literal() -> None:
    assert clean_name({"given": "Madonna"}) == {"literal": "Madonna"}
    assert clean_name({"literal": "WHO", "family": "x"}) == {"literal": "WHO"}
    assert clean_name({"family": "O'Brien", "given": "S"}) == {"family": "O’Brien", "given": "S"}
    assert clean_name({"given": ""}) is None


def test_dates_become_date_parts() -> None:
    assert clean_date({"date-parts": [["2024", "4", "12"]]}) == {"date-parts": [[2024, 4, 12]]}
    assert clean_date({"raw": "2023-12"}) == {"date-parts": [[2023, 12]]}
    assert clean_date({"literal": "Spring 2009"}) == {"literal": "Spring 2009"}
    assert clean_date("2020") is None


def test_rich_text_keeps_known_tags_only() -> None:
    assert rich_to_html("<i>E. coli</i> & <script>") == "<i>E. coli</i> &amp; &lt;script&gt;"
    assert rich_to_html("<I>unclosed") == "<i>unclosed</i>"
    assert rich_to_html("a</b>") == "a"
    assert (
        rich_to_html('<span class="nocase">iPhone</span>') == '<span class="nocase">iPhone</span>'
    )
    assert rich_to_html("<sc>Dna</sc>") == '<span style="font-variant:small-caps;">Dna</span>'


def test_only_title_fields_are_rich() -> None:
    item = item_to_html({"id": "a", "title": "<i>X</i>", "publisher": "<i>Y</i> & Co"})
    assert item["title"] == "<i>X</i>"
    assert item["publisher"] == "&lt;i&gt;Y&lt;/i&gt; &amp; Co"


ALLOWED = {
    "<i>",
    "</i>",
    "<b>",
    "</b>",
    "<sup>",
    "</sup>",
    "<sub>",
    "</sub>",
    "</span>",
    '<span class="nocase">',
    '<span style="font-variant:small-caps;">',
    QUOTE_OPEN,  # paired straight quotes, which the engine turns into the locale's quotes
    QUOTE_CLOSE,
}


@given(st.text())
def test_rich_text_output_holds_only_known_tags(text: str) -> None:
    """Whatever a title holds, the HTML the engine gets has no tag but the CSL markup ones."""
    for match in re.finditer(r"<[^>]*>", rich_to_html(text)):
        assert match.group() in ALLOWED


@given(st.text(alphabet=st.characters(blacklist_characters='<"')))
def test_text_without_markup_shows_as_typed(text: str) -> None:
    """No tag in the title: the plain-text output is the title itself (entities included).
    (Paired straight quotes are markup too: see the next test.)"""
    assert to_text(rich_to_html(text)) == " ".join(text.split())


def test_paired_straight_quotes_become_quote_markup_and_a_lone_one_stays() -> None:
    """CSL's rich text: ``"…"`` in a title is a quotation the style renders with the locale's
    quotes (and flips inside other quotes); an unpaired one is text."""
    assert rich_to_html('A "new" test') == f"A {QUOTE_OPEN}new{QUOTE_CLOSE} test"
    assert rich_to_html('""') == QUOTE_OPEN + QUOTE_CLOSE
    assert rich_to_html('5" screen') == '5" screen'


def test_note_fields_become_variables() -> None:
    """Zotero's convention: ``KEY: value`` lines of the note (its Extra field) are variables."""
    item = clean_item(
        {"id": "a", "PMID": "1", "note": "PMID: 1\nPMCID: PMC2\neCollection 2025 Jun"}
    )
    assert item["PMCID"] == "PMC2"
    assert item["PMID"] == "1"
    assert item["note"] == "eCollection 2025 Jun"
    assert "note" not in clean_item({"id": "b", "note": "PMID: 3"})


def test_apostrophes_are_typographic_in_every_text_field_but_identifiers() -> None:
    """citeproc-js curls the apostrophe in any printed text ("Master’s thesis", "St Mary’s
    College"); a URL or DOI keeps its own character, or the address would break."""
    item = clean_item(
        {
            "id": "d",
            "type": "thesis",
            "genre": "Master's thesis",
            "publisher": "St Mary's College",
            "URL": "https://x.org/o'brien",
            "DOI": "10.1000/o'brien",
        }
    )
    assert item["genre"] == "Master\u2019s thesis"
    assert item["publisher"] == "St Mary\u2019s College"
    assert item["URL"] == "https://x.org/o'brien"
    assert item["DOI"] == "10.1000/o'brien"
