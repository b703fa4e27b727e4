"""CSL-JSON reader: Zotero exports, lenient dates and names, damaged files, round trips."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibkit.diagnostics import Diagnostic
from bibkit.io import Source
from bibkit.model import (
    Chemical,
    Citation,
    Grant,
    MeshHeading,
    MeshQualifier,
    PartialDate,
    Person,
    Relation,
    RelationKind,
)
from bibkit.readers.csljson import date_from_csl, from_csl, read, sniff
from bibkit.registry import REGISTRY, ReadOptions, WriteOptions
from bibkit.writers.csljson import to_csl, write
from tests.readers.test_ris import (
    ENTRY_TYPES,
    LOWER,
    citations,
    comparable,
    every_field,
    people,
    short_text,
)
from tests.writers.test_csljson import VALIDATOR, seed_like

DATA = Path(__file__).parents[1] / "data" / "csljson"


def read_source(source: Source, strict: bool = False) -> tuple[list[Citation], list[Diagnostic]]:
    found: list[Citation] = []
    diagnostics: list[Diagnostic] = []
    for item in read(source, ReadOptions(strict=strict)):
        if isinstance(item, Citation):
            found.append(item)
        else:
            diagnostics.append(item)
    return found, diagnostics


def read_path(name: str, strict: bool = False) -> tuple[list[Citation], list[Diagnostic]]:
    return read_source(Source.from_path(DATA / name), strict)


def read_text(text: str) -> tuple[list[Citation], list[Diagnostic]]:
    return read_source(Source.from_bytes(text.encode("utf-8"), "in.json"))


def write_text(items: list[Citation]) -> str:
    out = io.StringIO()
    write(items, out, WriteOptions(), lambda d: None)
    return out.getvalue()


# --- sniffing -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["zotero_export.json", "single_object.json", "dates.json"])
def test_sniff_recognises_csl_json(name: str) -> None:
    assert sniff((DATA / name).read_text("utf-8")) == 80


@pytest.mark.parametrize(
    "head",
    [
        "",
        "[]",
        '{"name": "bibkit", "version": "1.0", "dependencies": {}}',
        '[{"type": "Feature", "geometry": {}}]',
        "TY  - JOUR\nER  - ",
        "@article{x, title = {T}}",
    ],
)
def test_sniff_rejects_other_json_and_formats(head: str) -> None:
    assert sniff(head) == 0


@pytest.mark.parametrize("name", ["zotero_export.json", "single_object.json"])
def test_registry_detects_csljson(name: str) -> None:
    detected = REGISTRY.detect(Source.from_path(DATA / name))
    assert not isinstance(detected, Diagnostic) and detected.name == "csljson"


# --- a Zotero export ------------------------------------------------------------------------


def test_zotero_export_every_entry_type() -> None:
    found, diagnostics = read_path("zotero_export.json")
    assert diagnostics == []
    assert [c.type for c in found] == [
        "article-journal",
        "chapter",
        "thesis",
        "report",
        "paper-conference",
        "article",
        "dataset",
        "webpage",
        "book",
    ]
    article = found[0]
    assert article.id is None  # a Zotero item URI is no citation key
    assert article.container_title_short == "ChemMedChem"  # journalAbbreviation
    assert (article.PMID, article.PMCID) == ("39264862", "PMC11900001")  # note lines
    assert article.note == "Read for the journal club."
    assert article.issued == PartialDate(year=2024, month=11, day=18)  # "2024" as a string
    assert article.accessed == PartialDate(year=2024, month=12, day=1)
    assert article.author[2] == Person(family="Berg", given="Jan", non_dropping_particle="van der")
    assert article.ISSN == ["1860-7187"]
    assert article.source == "PubMed"
    assert [c.provenance.line for c in found if c.provenance][:3] == [2, 25, 38]

    chapter, thesis, report, conference, preprint, dataset, webpage, book = found[1:]
    assert chapter.editor == [Person(family="Langer", given="Robert")]
    assert chapter.container_title == "Nanomedicine: Principles and Perspectives"
    assert (thesis.genre, thesis.number_of_pages) == ("PhD thesis", "214")
    assert (report.number, report.issued) == ("TR-2020-01", PartialDate(year=2020))
    assert conference.event_title == "European Nanomedicine Conference 2021"
    assert conference.issued == PartialDate(
        year=2021, month=9, day=6, end=PartialDate(year=2021, month=9, day=8)
    )
    assert (preprint.genre, preprint.publisher) == ("Preprint", "bioRxiv")
    assert (dataset.version, dataset.author[0].suffix) == ("1.2", "Jr.")
    assert webpage.author == [Person(literal="World Health Organization")]
    assert book.issued == PartialDate(literal="Spring 2019")


def test_zotero_export_converts_to_schema_valid_csl_and_back() -> None:
    found, _ = read_path("zotero_export.json")
    text = write_text(found)
    assert list(VALIDATOR.iter_errors(json.loads(text))) == []
    again, diagnostics = read_text(text)
    assert diagnostics == []
    assert [comparable(c) for c in again] == [
        comparable(c.model_copy(update={"id": to_csl(c)["id"]})) for c in found
    ]


def test_single_object_with_numbers_where_strings_belong() -> None:
    (citation,), diagnostics = read_path("single_object.json")
    assert diagnostics == []
    assert citation.id == "zhang2024cellmembrane"
    assert (citation.volume, citation.issue, citation.page) == ("16", "4", "531")
    assert citation.container_title_short == "Pharmaceutics"


@pytest.mark.parametrize(
    ("key", "date"),
    [
        ("raw-iso", PartialDate(year=2024, month=4, day=12)),
        ("raw-text", PartialDate(year=2023, month=12)),
        ("literal", PartialDate(literal="in press")),
        ("season", PartialDate(year=2009, season=1)),
        ("season-month", PartialDate(year=2009, season=3)),
        ("range", PartialDate(year=2010, month=9, end=PartialDate(year=2010, month=10))),
        ("edtf", PartialDate(year=2010, month=9, end=PartialDate(year=2010, month=10))),
        ("strings", PartialDate(year=2024, month=4, day=12)),
    ],
)
def test_dates(key: str, date: PartialDate) -> None:
    found, _ = read_path("dates.json")
    assert {c.id: c.issued for c in found}[key] == date


def test_empty_date_is_none() -> None:
    assert date_from_csl({"date-parts": [[]]}) is None
    assert date_from_csl({}) is None


def test_date_not_understood_is_reported() -> None:
    found, diagnostics = read_text('{"id": "a", "type": "book", "issued": {"date-parts": "x"}}')
    assert found[0].issued is None
    assert [(d.code, d.field) for d in diagnostics] == [("field-not-carried", "issued")]


# --- damaged input --------------------------------------------------------------------------


def test_broken_items_are_reported_with_their_line_and_the_rest_is_read() -> None:
    found, diagnostics = read_path("broken_item.json")
    assert [c.id for c in found] == ["good-1", "good-2"]
    assert [(d.line, d.severity, d.code) for d in diagnostics] == [
        (11, "error", "invalid-json"),
        (23, "error", "invalid-record"),
        (24, "error", "invalid-record"),
    ]


def test_unknown_keys_are_warned_and_strict_rejects() -> None:
    found, diagnostics = read_path("unknown_keys.json")
    assert len(found) == 1
    assert [d.field for d in diagnostics] == ["call-number", "dimensions", "custom.other-tool"]
    assert {d.code for d in diagnostics} == {"field-not-carried"}
    found, diagnostics = read_path("unknown_keys.json", strict=True)
    assert found == []
    assert {d.severity for d in diagnostics} == {"error"}


def test_unclosed_array_keeps_the_complete_items() -> None:
    found, diagnostics = read_text('[\n  {"id": "a", "type": "book", "title": "A"},\n')
    assert [c.id for c in found] == ["a"]
    assert [d.code for d in diagnostics] == ["truncated"]


def test_missing_or_unknown_type_is_a_warning() -> None:
    found, diagnostics = read_text('[{"id": "a", "title": "T"}, {"id": "b", "type": "hologram"}]')
    assert [c.type for c in found] == ["document", "document"]
    assert [(d.code, d.field) for d in diagnostics] == [("unknown-type", "type")] * 2


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "type",
                        "id",
                        "title",
                        "author",
                        "issued",
                        "date-parts",
                        "custom",
                        "page",
                        "note",
                        "keyword",
                        "ISSN",
                        "literal",
                        "family",
                        "relations",
                        "mesh",
                        "item",
                        "kind",
                        "season",
                        "raw",
                    ]
                ),
                inner,
                max_size=5,
            )
        ),
        max_leaves=20,
    )
)
def test_reader_never_raises_on_any_json(value: Any) -> None:
    found, diagnostics = read_text(json.dumps(value))
    assert all(isinstance(c, Citation) for c in found)
    assert all(d.path == "in.json" for d in diagnostics)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_reader_never_raises_on_any_text(text: str) -> None:
    read_text(text)


# --- the writer's output back, losslessly ---------------------------------------------------


def test_seed_like_citation_round_trips_losslessly() -> None:
    citation = seed_like()
    found, diagnostics = read_text(write_text([citation]))
    assert diagnostics == []
    assert [comparable(c) for c in found] == [comparable(citation)]


def test_from_csl_is_the_inverse_of_to_csl_for_every_entry_type() -> None:
    for kind in ENTRY_TYPES:
        citation = Citation(id=kind, type=kind, title=kind.title())
        assert from_csl(to_csl(citation)) == citation


MESH = st.builds(
    MeshHeading,
    descriptor=short_text(),
    major=st.booleans(),
    ui=st.none() | st.just("D009336"),
    qualifiers=st.lists(
        st.builds(MeshQualifier, name=short_text(), major=st.booleans()), max_size=2
    ),
)
GRANTS = st.builds(
    Grant,
    id=st.none() | st.text(alphabet="ABC0123456789", min_size=1, max_size=8),
    agency=st.none() | short_text(),
)


@st.composite
def rich_citations(draw: st.DrawFn) -> Citation:
    """Everything the CSL-JSON writer keeps, including bibkit's extras under ``custom``."""
    citation = draw(citations(extras=True))
    authors = [
        p.model_copy(
            update={
                "affiliations": draw(st.lists(short_text(), max_size=2)),
                "orcid": draw(st.none() | st.just("0000-0002-1825-0097")),
            }
        )
        for p in citation.author
    ]
    related = draw(st.lists(citations(), max_size=2))
    return citation.model_copy(
        update={
            "author": authors,
            "keyword": draw(st.lists(short_text() | st.just("cancer, breast"), max_size=3)),
            "mesh": draw(st.lists(MESH, max_size=2)),
            "grants": draw(st.lists(GRANTS, max_size=2)),
            "chemicals": draw(st.lists(st.builds(Chemical, name=short_text()), max_size=1)),
            "publication_types": draw(st.lists(short_text(), max_size=2)),
            "conflict_of_interest": draw(st.none() | short_text()),
            "investigators": draw(st.lists(people(), max_size=2)),
            "PII": draw(st.none() | st.text(alphabet=LOWER, min_size=1, max_size=6)),
            "relations": [
                Relation(kind=draw(st.sampled_from(list(RelationKind))), citation=r, text=None)
                for r in related
            ],
            "issued": draw(
                st.none()
                | st.just(PartialDate(year=2001, literal="2001 Early Winter"))
                | st.just(PartialDate(literal="in press"))
                | st.just(citation.issued)
            ),
        }
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rich_citations())
def test_round_trip_is_lossless_and_schema_valid(citation: Citation) -> None:
    text = write_text([citation])
    assert list(VALIDATOR.iter_errors(json.loads(text))) == []
    first, problems = read_text(text)
    assert problems == []
    expected = citation.model_copy(update={"id": to_csl(citation)["id"]})
    assert [comparable(c) for c in first] == [comparable(expected)]
    second, _ = read_text(write_text(first))
    assert [comparable(c) for c in second] == [comparable(c) for c in first]


@pytest.mark.parametrize("name", ["zotero_export.json", "single_object.json", "dates.json"])
def test_fixtures_read_write_read_are_lossless(name: str) -> None:
    first, _ = read_path(name)
    second, problems = read_text(write_text(first))
    assert problems == []
    assert [comparable(c) for c in second] == [
        comparable(c.model_copy(update={"id": to_csl(c)["id"]})) for c in first
    ]


@pytest.mark.parametrize("kind", ENTRY_TYPES)
def test_every_model_field_survives(kind: str) -> None:
    citation = every_field(kind).model_copy(update={"id": "key"})
    item = to_csl(citation)
    assert list(VALIDATOR.iter_errors([item])) == []
    assert from_csl(item) == citation


@pytest.mark.parametrize("depth", [50_000, 1_000])
def test_an_item_nested_too_deeply_costs_only_itself(depth: int) -> None:
    """Past Python's recursion limit the JSON decoder raises RecursionError: one diagnostic
    for that item, and the items around it are read."""
    deep = '{"type": "book", "title": "Deep", "note": ' + "[" * depth + "]" * depth + "}"
    text = "\n".join(
        [
            "[",
            '  {"type": "book", "title": "First"},',
            f"  {deep},",
            '  {"type": "book", "title": "Last"}',
            "]",
        ]
    )
    citations, diagnostics = read_text(text)
    assert [c.title for c in citations] == ["First", "Last"]
    assert [(d.line, d.code, d.severity) for d in diagnostics] == [(3, "too-deep", "error")]


def test_a_second_array_after_the_first_is_reported_not_dropped_silently() -> None:
    one = '[{"id": "a", "type": "book", "title": "A"}]'
    citations, problems = read_text(one + "\n" + one.replace('"a"', '"b"') + "\n")
    assert [c.title for c in citations] == ["A"]
    assert [(p.code, p.line) for p in problems] == [("trailing-text", 2)]


@pytest.mark.parametrize(
    ("item", "key"),
    [
        ('"title": ["a"]', "'title'"),
        ('"page": true', "'page'"),
        ('"author": [7]', "'author'"),
        ('"ISSN": [{"x": 1}]', "'ISSN'"),
    ],
)
def test_an_impossible_value_names_its_key(item: str, key: str) -> None:
    found, diagnostics = read_text(
        f'[{{"type": "book", {item}}}, {{"type": "book", "title": "ok"}}]'
    )
    assert [c.title for c in found] == ["ok"]
    assert [(d.code, d.message.split(":")[1].strip()) for d in diagnostics] == [
        ("invalid-record", key)
    ]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_number_that_is_no_number_is_refused(number: str) -> None:
    found, diagnostics = read_text(f'[{{"type": "book", "title": "t", "volume": {number}}}]')
    assert found == []
    assert [(d.code, d.field) for d in diagnostics] == [("invalid-record", None)]
    assert "'volume'" in diagnostics[0].message


def test_a_whole_float_is_read_as_its_integer() -> None:
    found, _ = read_text('[{"type": "book", "title": "t", "volume": 16.0, "issue": 2.5}]')
    assert (found[0].volume, found[0].issue) == ("16", "2.5")


def test_a_top_level_map_of_items_by_id_is_read_item_by_item() -> None:
    found, diagnostics = read_text(
        '{"ITEM-1": {"type": "book", "title": "One"},\n'
        ' "ITEM-2": {"id": "own", "type": "article-journal", "title": "Two"}}'
    )
    assert [(c.id, c.type, c.title) for c in found] == [
        ("ITEM-1", "book", "One"),
        ("own", "article-journal", "Two"),
    ]
    assert diagnostics == []


def test_a_top_level_wrapper_around_the_items_is_read_item_by_item() -> None:
    found, diagnostics = read_text('{"items": [{"type": "book", "title": "A"}, {"type": "book"}]}')
    assert [c.title for c in found] == ["A", None]
    assert diagnostics == []


def test_a_top_level_object_without_items_is_still_one_record() -> None:
    found, diagnostics = read_text('{"title": "No type", "volume": "3"}')
    assert [(c.type, c.title) for c in found] == [("document", "No type")]
    assert [d.code for d in diagnostics] == ["unknown-type"]
