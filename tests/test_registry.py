"""The format registry: names, aliases, sniffing, and the README listing every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibkit.diagnostics import Diagnostic, UnknownFormatError
from bibkit.io import Source
from bibkit.registry import BUILTIN_FORMATS, REGISTRY

DATA = Path(__file__).parent / "data"
README = Path(__file__).parent.parent / "README.md"


def test_every_declared_format_is_installed() -> None:
    for spec in BUILTIN_FORMATS:
        assert spec.reader is None or spec.can_read, spec.name
        assert spec.writer is None or spec.can_write, spec.name


def test_aliases_resolve_and_unknown_names_list_known_ones() -> None:
    assert REGISTRY.get("csl-json").name == "csljson"
    assert REGISTRY.get("NBIB").name == "medline"
    with pytest.raises(UnknownFormatError, match="pubmed-page"):
        REGISTRY.get("endnote-xml")


def test_every_format_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for spec in BUILTIN_FORMATS:
        assert f"`{spec.name}`" in text, f"README does not document {spec.name}"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Title\n- PMID: 38675192\n- DOI: 10.3390/x\nTitle\nAbstract\nText.\n", "pubmed-page"),
        (b"PMID- 12230038\nOWN - NLM\nTI  - A title.\n", "medline"),
        (
            b'<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>\n',
            "pubmed-xml",
        ),
        (b"TY  - JOUR\nTI  - A title\nER  - \n", "ris"),
        (b'[{"id": "a", "type": "article-journal", "title": "T"}]', "csljson"),
        (b"@article{a,\n  title = {T},\n  journal = {J},\n  year = {2020}\n}\n", "bibtex"),
        (
            b"@article{a,\n  title = {T},\n  journaltitle = {J},\n  date = {2020-04}\n}\n",
            "biblatex",
        ),
    ],
)
def test_content_sniffing_picks_the_most_specific_format(content: bytes, expected: str) -> None:
    found = REGISTRY.detect(Source.from_bytes(content, name="input"))
    assert not isinstance(found, Diagnostic), found
    assert found.name == expected


@pytest.mark.parametrize(
    "content", [b"%PDF-1.7\n\x00\x00binary", b"", b"just some prose\nthat is no format\n"]
)
def test_unrecognised_content_names_the_formats_we_read(content: bytes) -> None:
    found = REGISTRY.detect(Source.from_bytes(content, name="stray.pdf"))
    assert isinstance(found, Diagnostic) and found.is_error
    assert "pubmed-page" in found.message and "medline" in found.message


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"PMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year\n"
         b"29768149,Inhaled Combined,O'Byrne PM,N Engl J Med. 2018,O'Byrne PM,N Engl J Med,2018\n",
         "CSV export"),
        (b"29768149\n12230038\n38675192\n", "list of PMIDs"),
        (b"1. N Engl J Med. 2018 May 17;378(20):1865-1876. doi: 10.1056/NEJMoa1715274.\n\n"
         b"Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.\n\n"
         b"O'Byrne PM(1), FitzGerald JM(2).\n\nPMID: 29768149 [Indexed for MEDLINE]\n",
         "'Abstract (text)' export"),
    ],
)  # fmt: skip
def test_pubmeds_other_exports_are_named_with_what_to_save_instead(
    content: bytes, named: str
) -> None:
    """Saved from PubMed in the wrong format, they got 'not in a format bibkit recognizes'."""
    found = REGISTRY.detect(Source.from_bytes(content, name="export.txt"))
    assert isinstance(found, Diagnostic) and found.code == "unknown-format"
    assert named in found.message and "'PubMed' format" in found.message


def test_an_unknown_output_format_lists_only_the_formats_bibkit_writes() -> None:
    """``--to nope`` listed pubmed-page and medline, which ``--to`` refuses next."""
    with pytest.raises(UnknownFormatError) as raised:
        REGISTRY.writer_for("nope")
    assert "bibkit writes: bibtex, biblatex, ris, csljson" in str(raised.value)
    assert "medline" not in str(raised.value)
    with pytest.raises(UnknownFormatError, match="bibkit reads: pubmed-page, medline"):
        REGISTRY.reader_for("nope")


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eFetchResult>\n<eFetchResult>\n'
         b"\t<ERROR>Empty id list - nothing todo</ERROR>\n</eFetchResult>\n",
         "E-utilities error message, not records: Empty id list - nothing todo"),
        (b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>\n",
         "HTML page"),
    ],
)  # fmt: skip
def test_what_a_download_saved_instead_of_records_is_named(content: bytes, named: str) -> None:
    found = REGISTRY.detect(Source.from_bytes(content, name="efetch.xml"))
    assert isinstance(found, Diagnostic) and found.code == "unknown-format"
    assert named in found.message
