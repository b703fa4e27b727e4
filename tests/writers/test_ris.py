"""RIS writer: what rispy (and so Zotero-like readers) gets back, field by field."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import rispy

from bibkit.diagnostics import Diagnostic
from bibkit.mappings import ris as ris_table
from bibkit.model import Citation, PartialDate, Person, Provenance
from bibkit.registry import WriteOptions
from bibkit.writers.ris import format_date, format_name, write
from tests.writers.test_csljson import seed_like


def written(citations: list[Citation]) -> tuple[str, list[Diagnostic]]:
    out = io.StringIO()
    diagnostics: list[Diagnostic] = []
    write(citations, out, WriteOptions(), diagnostics.append)
    return out.getvalue(), diagnostics


def read_back(citation: Citation) -> dict[str, Any]:
    text, _ = written([citation])
    (entry,) = rispy.loads(text)
    return entry


def test_seed_like_citation_reads_back_in_rispy_field_by_field() -> None:
    citation = seed_like()
    text, diagnostics = written([citation])
    (entry,) = rispy.loads(text)
    assert entry["type_of_reference"] == "JOUR"
    assert entry["title"] == citation.title
    assert entry["authors"] == ["Zhang, Shu", "Zhang, Xiaojuan"]
    assert entry["secondary_title"] == "Pharmaceutics"  # T2
    assert entry["alternate_title1"] == "Pharmaceutics"  # J2
    assert entry["year"] == "2024"
    assert entry["date"] == "2024/04/12/"
    assert (entry["volume"], entry["number"], entry["start_page"]) == ("16", "4", "531")
    assert "end_page" not in entry
    assert entry["issn"] == "1999-4923"
    assert entry["doi"] == "10.3390/pharmaceutics16040531"
    assert citation.abstract is not None
    # One line per value: the structured abstract's line breaks become spaces.
    assert entry["abstract"] == citation.abstract.replace("\n", " ")
    assert entry["keywords"] == citation.keyword
    assert entry["language"] == "eng"
    assert entry["unknown_tag"]["M2"] == ["PMID: 38675192", "PMCID: PMC11055162"]
    assert text.startswith("TY  - JOUR\n") and text.endswith("ER  - \n\n")

    reported = [d.field for d in diagnostics]
    assert sorted(reported) == sorted(
        [
            "author",
            "available_date",
            "conflict_of_interest",
            "mesh",
            "chemicals",
            "grants",
            "publication_types",
            "relations",
        ]
    )
    assert all(d.code == "field-not-carried" and d.severity == "warning" for d in diagnostics)
    assert {(d.path, d.line) for d in diagnostics} == {("seeds/000.txt", 1)}


def test_several_records_each_end_with_er() -> None:
    text, _ = written([Citation(title="One"), Citation(title="Two", type="book")])
    entries = rispy.loads(text)
    assert [(e["type_of_reference"], e["title"]) for e in entries] == [
        ("JOUR", "One"),
        ("BOOK", "Two"),
    ]
    assert text.count("ER  - \n") == 2


def test_no_citations_write_nothing() -> None:
    assert written([]) == ("", [])


@pytest.mark.parametrize(
    ("page", "start", "end"),
    [
        ("1065-80", "1065", "1080"),
        ("1065-1080", "1065", "1080"),
        ("S56-61", "S56", "S61"),
        ("e202400410", "e202400410", None),
        ("360-1, table of contents", "360-361, table of contents", None),
        ("531", "531", None),
    ],
)
def test_pages_are_full_numbers_and_e_locators_stay_in_sp(
    page: str, start: str, end: str | None
) -> None:
    entry = read_back(Citation(title="P", page=page))
    assert entry["start_page"] == start
    assert entry.get("end_page") == end


@pytest.mark.parametrize(
    ("person", "text"),
    [
        (Person(family="Zhang", given="Shu"), "Zhang, Shu"),
        (Person(family="Müller"), "Müller,"),
        (
            Person(family="Beethoven", given="Ludwig", non_dropping_particle="van"),
            "van Beethoven, Ludwig",
        ),
        (
            Person(family="Gaulle", given="Charles", dropping_particle="de", suffix="Jr"),
            "Gaulle, Charles de, Jr",
        ),
        (Person(literal="RECOVERY Collaborative Group"), "RECOVERY Collaborative Group"),
    ],
)
def test_names(person: Person, text: str) -> None:
    assert format_name(person) == text
    assert read_back(Citation(title="N", author=[person]))["authors"] == [text]


def test_group_name_with_a_comma_is_reported() -> None:
    _, diagnostics = written([Citation(author=[Person(literal="Ministry of Health, Brazil")])])
    assert [d.field for d in diagnostics] == ["author"]
    assert "comma" in diagnostics[0].message


@pytest.mark.parametrize(
    "person",
    [Person(family="O'Neil, Jr", given="Xavier"), Person(family="Smith", given="Ann, Beth")],
)
def test_a_personal_name_with_a_comma_of_its_own_is_reported(person: Person) -> None:
    _, diagnostics = written([Citation(editor=[person])])
    assert [(d.field, d.code) for d in diagnostics] == [("editor", "field-not-carried")]
    assert "comma" in diagnostics[0].message


def test_a_keyword_holding_a_semicolon_is_reported_as_read_back_split() -> None:
    citation = Citation(keyword=["x; y", "cancer, breast", "z"])
    text, diagnostics = written([citation])
    assert "KW  - x; y\n" in text
    assert [d.field for d in diagnostics] == ["keyword"]
    assert "'x; y'" in diagnostics[0].message
    _, plain = written([Citation(keyword=["cancer, breast"])])
    assert plain == []


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (PartialDate(year=2024, month=4, day=12), "2024/04/12/"),
        (PartialDate(year=2023, month=12), "2023/12//"),
        (PartialDate(year=2023), "2023///"),
        (PartialDate(year=2009, season=1), "2009///2009 Spring"),
        (
            PartialDate(year=2010, month=9, end=PartialDate(year=2010, month=10)),
            "2010/09//2010 Sep-2010 Oct",
        ),
        (PartialDate(literal="in press"), "///in press"),
    ],
)
def test_dates(date: PartialDate, text: str) -> None:
    assert format_date(date) == text
    entry = read_back(Citation(title="D", issued=date))
    assert entry["date"] == text
    assert entry.get("year") == (f"{date.year}" if date.year else None)


def test_multi_line_values_are_written_on_one_line_that_pandoc_accepts() -> None:
    abstract = "BACKGROUND: one.\n\nER  - not an end\nRESULTS: two."
    text, _ = written([Citation(title="A", abstract=abstract)])
    assert "AB  - BACKGROUND: one. ER  - not an end RESULTS: two.\n" in text
    assert text.count("\n") == 5  # TY, TI, AB, ER and the blank line after the record
    (entry,) = rispy.loads(text)
    assert entry["abstract"] == "BACKGROUND: one. ER  - not an end RESULTS: two."


@pytest.mark.parametrize(
    "newline", ["\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"]
)
def test_every_kind_of_line_end_is_one_space(newline: str) -> None:
    """A lone CR (or VT, FF, NEL, U+2028 ...) written raw would start a line in any reader
    that takes it for a line end, and the text after it would be a tag or a new record."""
    abstract = newline.join(["one.", "ER  - ", "TY  - JOUR", "AU  - Injected, A"])
    author = Person(family="Real" + newline + "ER  - Name", given="A")
    text, _ = written([Citation(title="A", author=[author], abstract=abstract)])
    assert text.splitlines() == [
        "TY  - JOUR",
        "TI  - A",
        "AU  - Real ER  - Name, A",
        "AB  - one. ER  - TY  - JOUR AU  - Injected, A",
        "ER  - ",
        "",
    ]
    (entry,) = rispy.loads(text)
    assert entry["authors"] == ["Real ER  - Name, A"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"type": "book", "collection_title": "Methods Mol Biol", "number_of_pages": "320",
             "publisher": "Springer", "publisher_place": "Cham", "ISBN": "978-3-030-00000-0",
             "edition": "2", "editor": [Person(family="Ed", given="A")]},
            {"type_of_reference": "BOOK", "secondary_title": "Methods Mol Biol",
             "start_page": "320", "publisher": "Springer", "place_published": "Cham",
             "issn": "978-3-030-00000-0", "edition": "2", "tertiary_authors": ["Ed, A"]},
        ),
        (
            {"type": "chapter", "container_title": "Handbook", "page": "1-20",
             "editor": [Person(family="Ed", given="A")], "chapter_number": "3"},
            {"type_of_reference": "CHAP", "secondary_title": "Handbook", "start_page": "1",
             "end_page": "20", "secondary_authors": ["Ed, A"], "section": "3"},
        ),
        (
            {"type": "thesis", "genre": "PhD thesis", "publisher": "Univ. of Oslo",
             "number_of_pages": "210"},
            {"type_of_reference": "THES", "type_of_work": "PhD thesis",
             "publisher": "Univ. of Oslo", "start_page": "210"},
        ),
        (
            {"type": "report", "number": "TR-7", "publisher": "WHO", "genre": "Technical report",
             "collection_title": "WHO Technical Report Series"},
            {"type_of_reference": "RPRT", "issn": "TR-7", "publisher": "WHO",
             "type_of_work": "Technical report", "secondary_title": "WHO Technical Report Series"},
        ),
        (
            {"type": "paper-conference", "container_title": "Proc. ISMB",
             "event_title": "ISMB 2023", "event_place": "Lyon", "publisher_place": "New York",
             "page": "10-19"},
            {"type_of_reference": "CONF", "secondary_title": "ISMB 2023", "custom3": "Proc. ISMB",
             "place_published": "Lyon", "custom1": "New York", "start_page": "10",
             "end_page": "19"},
        ),
        (
            {"type": "article", "genre": "Preprint", "publisher": "bioRxiv", "DOI": "10.1101/1"},
            {"type_of_reference": "UNPB", "type_of_work": "Preprint", "publisher": "bioRxiv",
             "doi": "10.1101/1"},
        ),
        (
            {"type": "dataset", "publisher": "Zenodo", "version": "1.2", "DOI": "10.5281/z.1"},
            {"type_of_reference": "DATA", "publisher": "Zenodo", "edition": "1.2",
             "doi": "10.5281/z.1"},
        ),
        (
            {"type": "webpage", "container_title": "WHO", "URL": "https://who.int/x",
             "accessed": PartialDate(year=2024, month=1, day=5)},
            {"type_of_reference": "ELEC", "secondary_title": "WHO", "urls": ["https://who.int/x"],
             "access_date": "2024/01/05/"},
        ),
    ],
)  # fmt: skip
def test_entry_types_put_fields_in_their_type_specific_tags(
    fields: dict[str, Any], expected: dict[str, Any]
) -> None:
    text, diagnostics = written([Citation(title="T", **fields)])
    (entry,) = rispy.loads(text)
    assert diagnostics == []
    assert {key: entry.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type": "book", "ISSN": ["1234-5678"]}, "ISSN"),
        ({"type": "book", "page": "1-20"}, "page"),
        ({"type": "article-journal", "genre": "Review"}, "genre"),
        ({"type": "article-journal", "event_title": "ISMB"}, "event_title"),
        ({"type": "hologram"}, "type"),
        ({"status": "ahead-of-print"}, "status"),
    ],
)
def test_fields_without_a_tag_for_the_type_are_reported(fields: dict[str, Any], field: str) -> None:
    citation = Citation(
        title="L", provenance=Provenance(path="x.bib", line=3, format="bibtex"), **fields
    )
    _, diagnostics = written([citation])
    assert [(d.field, d.path, d.line, d.code) for d in diagnostics] == [
        (field, "x.bib", 3, "field-not-carried")
    ]


def field_table() -> str:
    """The README's RIS field table, generated from the mapping tables."""
    rows = ["| bibkit field | RIS tag | other types |", "|---|---|---|"]
    defaults = dict((field, tag) for tag, field in ris_table.FIELD_TAGS)
    extra = sorted(ris_table.TEXT_FIELDS - set(defaults))
    for field in [*defaults, *extra]:
        by_tag: dict[str, list[str]] = {}
        for kind, overrides in ris_table.TYPE_FIELD_TAGS.items():
            if field in overrides:
                by_tag.setdefault(
                    f"`{overrides[field]}`" if overrides[field] else "none", []
                ).append(kind)
        others = "; ".join(f"{tag} in {', '.join(kinds)}" for tag, kinds in by_tag.items())
        default = f"`{defaults[field]}`" if field in defaults else "none"
        rows.append(f"| `{field}` | {default} | {others} |")
    return "\n".join(rows) + "\n"


def type_list() -> str:
    return ", ".join(f"`{csl}` {ris}" for csl, ris in ris_table.TYPES) + "\n"


def test_readme_field_tables_match_the_mapping_tables() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    assert field_table() in readme
    assert type_list() in readme
    prose = " ".join(readme.split())
    for field, what in ris_table.NOT_CARRIED.items():
        assert f"`{field}` ({what})" in prose
