"""RIS reader: the dialects programs write, every entry type both ways, and round trips."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibkit.diagnostics import Diagnostic
from bibkit.io import Source
from bibkit.mappings import ris as ris_table
from bibkit.model import Citation, PartialDate, Person, RelationKind
from bibkit.readers.ris import parse_date, parse_name, read, sniff
from bibkit.registry import REGISTRY, ReadOptions, WriteOptions
from bibkit.writers.ris import record_lines, write

DATA = Path(__file__).parents[1] / "data" / "ris"
ENTRY_TYPES = (
    "article-journal",
    "book",
    "chapter",
    "thesis",
    "report",
    "paper-conference",
    "article",
    "dataset",
    "webpage",
)


def read_path(path: Path, strict: bool = False) -> tuple[list[Citation], list[Diagnostic]]:
    citations: list[Citation] = []
    diagnostics: list[Diagnostic] = []
    for item in read(Source.from_path(path), ReadOptions(strict=strict)):
        (citations if isinstance(item, Citation) else diagnostics).append(item)  # type: ignore[arg-type]
    return citations, diagnostics


def read_text(text: str) -> tuple[list[Citation], list[Diagnostic]]:
    citations: list[Citation] = []
    diagnostics: list[Diagnostic] = []
    for item in read(Source.from_bytes(text.encode("utf-8"), "in.ris"), ReadOptions()):
        (citations if isinstance(item, Citation) else diagnostics).append(item)  # type: ignore[arg-type]
    return citations, diagnostics


def write_text(citations: list[Citation]) -> str:
    out = io.StringIO()
    write(citations, out, WriteOptions(), lambda d: None)
    return out.getvalue()


def comparable(citation: Citation) -> dict[str, Any]:
    return citation.model_dump(exclude={"provenance", "field_sources"})


# --- sniffing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "score"),
    [
        ("zotero_export.ris", 90),
        ("endnote_export.ris", 90),
        ("pubmed_style.ris", 90),
        ("stray_text.ris", 70),
        ("web_of_science.txt", 85),
    ],
)
def test_sniff_scores_ris_files(name: str, score: int) -> None:
    assert sniff((DATA / name).read_text("utf-8")) == score


@pytest.mark.parametrize(
    "head",
    ["", "@article{x, title={T}}", '[{"type": "book"}]', "PMID- 123\nTI  - not RIS", "TYPO - x"],
)
def test_sniff_rejects_other_formats(head: str) -> None:
    assert sniff(head) == 0


# --- dialects -------------------------------------------------------------------------------


def test_zotero_export() -> None:
    citations, diagnostics = read_path(DATA / "zotero_export.ris")
    assert diagnostics == []
    article, chapter, thesis, webpage = citations
    assert article.type == "article-journal"
    assert [p.display() for p in article.author] == [
        "Li Wang",
        "María José García-López",
        "Jan van der Berg",
    ]
    assert article.author[2].non_dropping_particle == "van der"
    assert (article.container_title, article.container_title_short) == ("ChemMedChem",) * 2
    assert article.issued == PartialDate(year=2024, month=11, day=18)
    assert (article.volume, article.issue, article.page) == ("19", "22", "e202400410")
    assert (article.PMID, article.PMCID) == ("39264862", "PMC11900001")  # multi-line M2
    assert article.abstract is not None and article.abstract.count("\n") == 2
    assert article.keyword == ["Nanoparticles", "Theranostic Nanomedicine"]
    assert article.note == "<p>Read for the journal club on 3 March.</p>"
    assert article.source == "PubMed"
    assert article.provenance is not None and article.provenance.line == 1

    assert chapter.type == "chapter"
    assert chapter.container_title == "Nanomedicine: Principles and Perspectives"
    assert [p.family for p in chapter.editor] == ["Langer"]
    assert (chapter.page, chapter.ISBN) == ("101-129", "978-3-031-00000-1")
    assert chapter.provenance is not None and chapter.provenance.line == 27

    assert (thesis.type, thesis.genre, thesis.publisher) == (
        "thesis",
        "PhD thesis",
        "University of Oslo",
    )
    assert (thesis.number_of_pages, thesis.page) == ("214", None)
    assert thesis.issued == PartialDate(year=2022, month=6)

    assert webpage.type == "webpage"
    assert webpage.author == [Person(literal="World Health Organization")]
    assert webpage.accessed == PartialDate(year=2024, month=1, day=5)  # time of day dropped


def test_endnote_export() -> None:
    citations, diagnostics = read_path(DATA / "endnote_export.ris")
    article, book, conference, report = citations
    assert article.id is None  # EndNote's record number (ID 1187) is no citation key
    assert article.title == "Cell Membrane-Coated Biomimetic Nanoparticles in Cancer Treatment"
    assert [p.family for p in article.author] == ["Zhang", "Zhang"]  # A1
    assert article.issued == PartialDate(year=2024, month=4, day=12)  # Y1
    assert article.available_date == PartialDate(year=2024, month=4, day=12)  # ET 20240412
    assert article.container_title == "Pharmaceutics"  # JF
    assert article.container_title_short == "Pharmaceutics"  # JA
    assert article.abstract is not None and article.abstract.startswith("Nanoparticle-based")
    assert article.keyword == [
        "biomimetic",
        "cell membrane-coated nanoparticles",
        "drug delivery",
        "tumor targeting",
    ]
    assert article.ISSN == ["1999-4923"]  # "(Print)" and "(Linking)" lines
    assert article.PMCID == "PMC11055162"  # C2
    assert article.PMID == "38675192"  # AN with DP NLM
    assert article.publication_types == ["Review"]  # M3
    assert article.page == "531"

    assert book.type == "book" and book.title == "Nanoparticle Drug Delivery"
    assert [p.family for p in book.editor] == ["Müller"]  # a book's editor is A3
    assert book.collection_title == "Advances in Pharmaceutical Sciences"
    assert (book.number_of_pages, book.edition, book.ISBN) == ("412", "2nd", "978-0-12-000000-2")

    assert conference.type == "paper-conference"
    assert conference.event_title == "European Nanomedicine Conference 2021"
    assert conference.container_title == "Proceedings of the European Nanomedicine Conference"
    assert conference.event_place == "Milan"

    assert report.type == "report"
    assert (report.number, report.genre) == ("TR-2020-01", "Technical report")
    assert report.author == [Person(literal="International Agency for Research on Cancer")]

    # What has no field is reported with its line, never dropped silently.
    assert [(d.line, d.field, d.code) for d in diagnostics] == [
        (20, "AD", "field-not-carried"),
        (34, "A2", "field-not-carried"),
    ]


def test_pubmed_style_export() -> None:
    citations, diagnostics = read_path(DATA / "pubmed_style.ris")
    first, second = citations
    assert first.author == [
        Person(family="Zhang", given="S"),
        Person(family="Zhang", given="X"),
        Person(literal="RECOVERY Collaborative Group"),
    ]
    assert first.container_title_short == "Pharmaceutics"  # JO
    assert first.container_title is None  # never invented from the abbreviation
    assert first.issued == PartialDate(year=2024, month=4, day=12)  # DA as free text
    assert first.DOI == "10.3390/pharmaceutics16040531"  # M3
    assert first.PMID == "38675192"  # from the PubMed URL
    assert first.PMCID == "PMC11055162"  # N1 line
    assert first.note is None
    assert first.ISSN == ["1999-4923"]
    assert second.page == "1065-1080"
    assert second.issued == PartialDate(year=2023, month=12)
    assert second.PMID == "37962387"
    assert [d.field for d in diagnostics] == ["AD"]


def test_a_stray_web_of_science_header_over_ris_records_still_reads_as_ris() -> None:
    """Found by the garbled-record robustness test: a first record of FN ISI lines made the
    whole file Web of Science."""
    ris = (DATA / "zotero_export.ris").read_text(encoding="utf-8")
    plain, _ = read_text(ris)
    headed, _ = read_text("FN ISI Export Format\n" + ris)
    assert [c.title for c in headed] == [c.title for c in plain] and plain


def test_web_of_science_export() -> None:
    citations, diagnostics = read_path(DATA / "web_of_science.txt")
    first, second = citations
    assert first.title == "Cell Membrane-Coated Biomimetic Nanoparticles in Cancer Treatment"
    assert [(p.family, p.given) for p in first.author] == [("Zhang", "Shu"), ("Zhang", "Xiaojuan")]
    assert first.author[0].orcid == "0000-0002-1825-0097"
    assert first.author[1].affiliations == [
        "Hangzhou Med Coll, Sch Pharm, Hangzhou 311399, Peoples R China."
    ]
    assert (first.container_title, first.container_title_short) == (
        "PHARMACEUTICS",
        "Pharmaceutics",
    )
    assert first.issued == PartialDate(year=2024, month=4, day=12)
    assert (first.volume, first.issue, first.page) == ("16", "4", "531")
    assert (first.DOI, first.PMID) == ("10.3390/pharmaceutics16040531", "38675192")
    assert first.keyword[:4] == [
        "biomimetic",
        "cell membrane-coated nanoparticles",
        "drug delivery",
        "tumor targeting",
    ]
    assert [(g.id, g.agency) for g in first.grants][2] == (
        "LGF20H300012",
        "Basic Public Welfare Research Project of Zhejiang Province",
    )
    assert len(first.grants) == 3
    references = first.related(RelationKind.REFERENCES)
    assert [r.DOI for r in references] == ["10.1002/adma.201706759", "10.1073/pnas.1106634108"]
    assert references[1].page == "10980"
    assert second.page == "1065-1080"
    assert second.status == "ahead-of-print"
    assert second.available_date == PartialDate(year=2023, month=11)
    assert {d.field for d in diagnostics} == {"RP", "EM", "WC", "SC"}


# --- damaged input --------------------------------------------------------------------------


def test_missing_end_lines_are_warned_and_records_kept() -> None:
    citations, diagnostics = read_path(DATA / "missing_end.ris")
    assert [c.title for c in citations] == [
        "First record, closed by the next TY",
        "Second record, never closed",
    ]
    assert [c.provenance.line for c in citations if c.provenance] == [1, 4]
    assert [d.code for d in diagnostics] == ["missing-end", "missing-end"]


def test_text_outside_records_is_reported() -> None:
    citations, diagnostics = read_path(DATA / "stray_text.ris")
    assert [c.type for c in citations] == ["article-journal", "book"]
    assert [(d.line, d.code) for d in diagnostics] == [(1, "stray-text")]


def test_unknown_type_and_tag_are_warnings_and_strict_rejects_the_record() -> None:
    citations, diagnostics = read_path(DATA / "unknown_type.ris")
    assert len(citations) == 1
    assert [(d.code, d.field, d.severity) for d in diagnostics] == [
        ("unknown-type", "type", "warning"),
        ("field-not-carried", "ZZ", "warning"),
    ]
    citations, diagnostics = read_path(DATA / "unknown_type.ris", strict=True)
    assert citations == []
    assert {d.severity for d in diagnostics} == {"error"}


def test_not_ris_at_all_gives_no_citation_and_no_exception() -> None:
    citations, diagnostics = read_text("just some words\nover two lines\n")
    assert citations == []
    assert [d.code for d in diagnostics] == ["stray-text"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "TY  - JOUR",
                    "ER  - ",
                    "PY  - 2024",
                    "DA  - 2024/13/40/x",
                    "TY  - ",
                    "SP  - 12",
                    "EP  - 3",
                    "AU  - ,",
                    "Y2  - //",
                    "M2  - PMID:",
                    "PT J",
                    "FN Clarivate",
                    "   continued",
                    "KW  - ;;",
                ]
            ),
            st.text(max_size=30),
        ),
        max_size=30,
    )
)
def test_reader_never_raises(lines: list[str]) -> None:
    citations, diagnostics = read_text("\n".join(lines))
    assert all(isinstance(d, Diagnostic) and d.path == "in.ris" for d in diagnostics)
    assert all(c.provenance is not None and c.provenance.line for c in citations)


# --- names and dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Zhang, Shu", Person(family="Zhang", given="Shu")),
        ("Müller,", Person(family="Müller")),
        ("van der Berg, Jan", Person(family="Berg", given="Jan", non_dropping_particle="van der")),
        (
            "Gaulle, Charles de, Jr",
            Person(family="Gaulle", given="Charles", dropping_particle="de", suffix="Jr"),
        ),
        ("Zhang S", Person(family="Zhang", given="S")),
        ("WHO Working Group", Person(literal="WHO Working Group")),
        ("Centers for Disease Control CDC", Person(literal="Centers for Disease Control CDC")),
    ],
)
def test_parse_name(text: str, person: Person) -> None:
    assert parse_name(text) == person


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2024/04/12/", PartialDate(year=2024, month=4, day=12)),
        ("2024/04/12", PartialDate(year=2024, month=4, day=12)),
        ("2023/12//", PartialDate(year=2023, month=12)),
        ("2023///", PartialDate(year=2023)),
        ("2023", PartialDate(year=2023)),
        ("2009///Spring", PartialDate(year=2009, season=1)),
        ("2010/09//2010 Sep-2010 Oct",
         PartialDate(year=2010, month=9, end=PartialDate(year=2010, month=10))),
        ("///in press", PartialDate(literal="in press")),
        ("2024 Apr 12", PartialDate(year=2024, month=4, day=12)),
        ("2024/13/45/", PartialDate(year=2024, literal="2024/13/45/")),
        ("2024/00/00/", PartialDate(year=2024)),
        ("2024/05/00", PartialDate(year=2024, month=5)),
        ("0000///", None),
    ],
)  # fmt: skip
def test_parse_date(text: str, date: PartialDate | None) -> None:
    assert parse_date(text) == date


def test_free_text_date_takes_its_year_from_py() -> None:
    citations, _ = read_text("TY  - JOUR\nPY  - 2019\nDA  - Apr 3\nER  - \n")
    assert citations[0].issued == PartialDate(year=2019, month=4, day=3)


# --- every entry type both ways -------------------------------------------------------------


def test_every_entry_type_maps_both_ways() -> None:
    written = write_text([Citation(type=kind, title=kind) for kind in ENTRY_TYPES])
    kinds = [line[6:] for line in written.splitlines() if line.startswith("TY  - ")]
    assert kinds == ["JOUR", "BOOK", "CHAP", "THES", "RPRT", "CONF", "UNPB", "DATA", "ELEC"]
    citations, diagnostics = read_text(written)
    assert [c.type for c in citations] == list(ENTRY_TYPES)
    assert diagnostics == []


@pytest.mark.parametrize(
    ("ris", "csl"),
    [("EJOUR", "article-journal"), ("INPR", "article-journal"), ("EBOOK", "book"),
     ("EDBOOK", "book"), ("ECHAP", "chapter"), ("CPAPER", "paper-conference"), ("WEB", "webpage"),
     ("DBASE", "dataset"), ("GOVDOC", "report")],
)  # fmt: skip
def test_other_programs_types_are_read(ris: str, csl: str) -> None:
    citations, _ = read_text(f"TY  - {ris}\nTI  - T\nER  - \n")
    assert citations[0].type == csl


def test_no_two_fields_share_a_tag_within_a_type() -> None:
    for kind in (*ENTRY_TYPES, *ris_table.TYPE_FIELD_TAGS):
        tags = [tag for tag, _ in ris_table.field_tags(kind)]
        assert len(tags) == len(set(tags)), kind


# --- round trips ----------------------------------------------------------------------------

UPPER = "ABCDEFGHIJKLMNOPRSTUVWZÉÅØŁŽÇЖΩ"
LOWER = "abcdefghijklmnoprstuvwzéåøłžçßñüжω"
PARTICLES = ["van", "von", "de", "di", "du", "la", "van der", "de la", "von der"]


def words(min_words: int = 1, max_words: int = 3) -> st.SearchStrategy[str]:
    word = st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(UPPER),
        st.text(alphabet=LOWER, min_size=1, max_size=8),
    )
    return st.lists(word, min_size=min_words, max_size=max_words).map(" ".join)


@st.composite
def people(draw: st.DrawFn) -> Person:
    if draw(st.booleans()) and draw(st.booleans()):
        return Person(literal=draw(words(1, 4)))
    given = draw(st.none() | words(1, 2))
    return Person(
        family=draw(st.one_of(words(1, 2), words(2, 2).map(lambda t: t.replace(" ", "-")))),
        given=given,
        non_dropping_particle=draw(st.none() | st.sampled_from(PARTICLES)),
        dropping_particle=draw(st.none() | st.sampled_from(PARTICLES)) if given else None,
        suffix=draw(st.none() | st.sampled_from(["Jr", "Sr", "III"])),
    )


@st.composite
def dates(draw: st.DrawFn, ranges: bool = True) -> PartialDate:
    year = draw(st.integers(1800, 2030))
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.integers(1, 28)) if month is not None and draw(st.booleans()) else None
    if month is None and draw(st.booleans()):
        season = draw(st.sampled_from([1, 2, 3, 4]))
        return PartialDate(year=year, season=season)
    date = PartialDate(year=year, month=month, day=day)
    if ranges and month is not None and day is None and month < 12 and draw(st.booleans()):
        end_month = draw(st.integers(month + 1, 12))
        return date.model_copy(update={"end": PartialDate(year=year, month=end_month)})
    return date


TITLE_TEXT = st.text(
    alphabet=st.sampled_from(list(LOWER + UPPER + "0123456789 &%$#_{}~^\\.,:;?!()[]-'\"βαµ±")),
    min_size=1,
    max_size=40,
)


@st.composite
def titles(draw: st.DrawFn) -> str:
    parts = draw(st.lists(TITLE_TEXT, min_size=1, max_size=3))
    tags = draw(st.lists(st.sampled_from(["i", "b", "sup", "sub"]), min_size=len(parts) - 1,
                         max_size=len(parts) - 1))  # fmt: skip
    text = parts[0]
    for tag, part in zip(tags, parts[1:], strict=True):
        text += f"<{tag}>{part}</{tag}>"
    text = " ".join(text.split())
    return text or "Untitled"


def short_text() -> st.SearchStrategy[str]:
    return words(1, 4)


@st.composite
def citations(draw: st.DrawFn, extras: bool = False) -> Citation:
    """A citation of any of the nine entry types, with the fields that type usually has."""
    kind = draw(st.sampled_from(ENTRY_TYPES))
    maybe = st.none() | short_text()
    fields: dict[str, Any] = {
        "type": kind,
        "title": draw(titles()),
        "author": draw(st.lists(people(), max_size=4)),
        "editor": draw(st.lists(people(), max_size=2)),
        "issued": draw(st.none() | dates()),
        "container_title": draw(maybe),
        "container_title_short": draw(maybe),
        "collection_title": draw(maybe),
        "publisher": draw(maybe),
        "publisher_place": draw(maybe),
        "volume": draw(st.none() | st.integers(1, 999).map(str)),
        "issue": draw(st.none() | st.integers(1, 99).map(str)),
        "page": draw(st.none() | st.sampled_from(["1065-1080", "e202400410", "531", "S56-S61"])),
        "DOI": draw(st.none() | st.integers(1000, 99999).map(lambda n: f"10.{n}/x.{n}")),
        "PMID": draw(st.none() | st.integers(1, 40_000_000).map(str)),
        "PMCID": draw(st.none() | st.integers(1, 9_999_999).map(lambda n: f"PMC{n}")),
        "ISSN": draw(
            st.lists(
                st.sampled_from(["1999-4923", "0028-0836", "1476-4687"]), max_size=2, unique=True
            )
        ),
        "language": draw(st.none() | st.sampled_from(["eng", "ger", "fre"])),
        "abstract": draw(st.none() | st.lists(short_text(), min_size=1, max_size=3).map("\n".join)),
        "keyword": draw(st.lists(short_text(), max_size=4, unique=True)),
        "URL": draw(st.none() | st.integers(1, 999).map(lambda n: f"https://example.org/{n}")),
        "number": draw(st.none() | st.integers(1, 99).map(lambda n: f"TR-{n}")),
        "genre": draw(maybe),
        "event_title": draw(maybe),
        "event_place": draw(maybe),
        "version": draw(st.none() | st.sampled_from(["1.0", "2.1"])),
        "number_of_pages": draw(st.none() | st.integers(10, 900).map(str)),
        "edition": draw(st.none() | st.sampled_from(["2", "3rd"])),
        "ISBN": draw(st.none() | st.just("978-3-16-148410-0")),
        "accessed": draw(st.none() | dates(ranges=False)),
        "note": draw(maybe),
    }
    if extras:
        fields["available_date"] = draw(st.none() | dates())
        fields["status"] = draw(st.none() | st.just("ahead-of-print"))
        fields["id"] = draw(st.none() | st.text(alphabet=LOWER + "0123456789", min_size=1))
    return Citation(**fields)


def carried(citation: Citation) -> Citation:
    """What RIS keeps of a citation: everything but the fields the writer reports as lost."""
    _, lost = record_lines(citation)
    update: dict[str, Any] = {
        name: Citation.model_fields[name].get_default(call_default_factory=True)
        for name in lost
        if name not in ("author", "editor")
    }
    for name in ("author", "editor"):  # the names are written, their details are not
        people = getattr(citation, name)
        update[name] = [
            p.model_copy(update={"affiliations": [], "orcid": None, "initials": None})
            for p in people
        ]
    update["id"] = None
    for name in ("abstract", "note"):  # written on one line
        value = getattr(citation, name)
        if value is not None and name not in lost:
            update[name] = " ".join(value.split("\n"))
    return citation.model_copy(update=update)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(citations())
def test_round_trip_keeps_every_field_ris_carries(citation: Citation) -> None:
    first, problems = read_text(write_text([citation]))
    assert problems == []
    assert [comparable(c) for c in first] == [comparable(carried(citation))]
    second, _ = read_text(write_text(first))
    assert [comparable(c) for c in second] == [comparable(c) for c in first]


@pytest.mark.parametrize(
    "name",
    ["zotero_export.ris", "endnote_export.ris", "pubmed_style.ris", "web_of_science.txt"],
)
def test_registry_detects_ris_among_every_format(name: str) -> None:
    detected = REGISTRY.detect(Source.from_path(DATA / name))
    assert not isinstance(detected, Diagnostic) and detected.name == "ris"


def test_readme_lists_every_type_and_tag_the_reader_knows() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    section = readme[readme.index("### RIS input") : readme.index("### CSL-JSON input")]
    for ris, csl in ris_table.READ_TYPES.items():
        assert f"`{ris}`" in section and f"`{csl}`" in section
    for tag in (*ris_table.READ_ALIASES, *ris_table.READ_NAME_ALIASES, *ris_table.WOS_IGNORED):
        assert f"`{tag}`" in section, tag


@pytest.mark.parametrize(
    "name",
    ["zotero_export.ris", "endnote_export.ris", "pubmed_style.ris", "web_of_science.txt"],
)
def test_fixtures_read_write_read_keep_every_field_ris_carries(name: str) -> None:
    first, _ = read_path(DATA / name)
    second, problems = read_text(write_text(first))
    assert problems == []
    assert [comparable(c) for c in second] == [comparable(carried(c)) for c in first]


def every_field(kind: str) -> Citation:
    """A citation with a value in every field of the model (a new field shows up here)."""
    values: dict[str, Any] = {}
    for name, info in Citation.model_fields.items():
        if name in ("id", "type", "provenance", "field_sources", "merged_from"):
            continue
        annotation = str(info.annotation)
        if "PartialDate" in annotation:
            values[name] = PartialDate(year=2020, month=5)
        elif "Person" in annotation:
            values[name] = [Person(family="Family", given="Given")]
        elif "Relation" in annotation:
            values[name] = [{"kind": "similar", "citation": {"title": "Other", "PMID": "1"}}]
        elif "Grant" in annotation:
            values[name] = [{"id": "R01", "agency": "NIH"}]
        elif "MeshHeading" in annotation:
            values[name] = [{"descriptor": "Humans"}]
        elif "Chemical" in annotation:
            values[name] = [{"name": "Water"}]
        elif annotation.startswith("list"):
            values[name] = ["1234-5678"] if name == "ISSN" else [f"{name} value"]
        else:
            realistic = {"page": "12-34", "PMID": "123", "PMCID": "PMC1", "DOI": "10.1/x"}
            values[name] = realistic.get(name, f"{name} value")
    return Citation.model_validate({"type": kind, **values})


@pytest.mark.parametrize("kind", ENTRY_TYPES)
def test_every_model_field_is_written_or_reported(kind: str) -> None:
    citation = every_field(kind)
    _, lost = record_lines(citation)
    (back,), problems = read_text(write_text([citation]))
    assert problems == []
    silent = [
        name
        for name in citation.model_fields_set - {"type"}
        if name not in lost and getattr(back, name) in (None, [])
    ]
    assert silent == []


def test_a_bare_er_line_ends_the_record() -> None:
    citations, diagnostics = read_text("TY  - JOUR\nTI  - a\nER\nTY  - JOUR\nTI  - b\nER\n")
    assert [c.title for c in citations] == ["a", "b"]
    assert diagnostics == []


@pytest.mark.parametrize("value", [",", ", ,", ",,,,", " , , Jr"])
def test_a_name_line_without_a_name_is_reported_not_kept(value: str) -> None:
    text = f"TY  - JOUR\nTI  - t\nAU  - {value}\nAU  - Smith, J\nER  - \n"
    citations, diagnostics = read_text(text)
    assert [a.family for a in citations[0].author] == ["Smith"]
    assert [(d.line, d.code, d.field) for d in diagnostics] == [(3, "invalid-value", "AU")]
