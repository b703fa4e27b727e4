"""BibTeX and BibLaTeX writers: what bibtexparser, pybtex, bibtex and biber get back."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string

from bibkit.diagnostics import Diagnostic
from bibkit.io import Source
from bibkit.latex import decode, escape
from bibkit.mappings.bibtex import BIBLATEX, BIBTEX, Dialect
from bibkit.model import Citation, PartialDate, Person, Provenance
from bibkit.pages import expand_range, split_range
from bibkit.readers.bibtex import read_biblatex, read_bibtex
from bibkit.registry import ReadOptions, WriteOptions
from bibkit.writers.bibtex import (
    _BATCH,
    citation_key,
    edtf,
    format_name,
    format_pages,
    to_entry,
    write_biblatex,
    write_bibtex,
)
from tests.test_latex import markup, titles
from tests.writers.test_csljson import seed_like

SEED_LOSSES = {
    "author",  # affiliations and ORCID iDs
    "conflict_of_interest",
    "mesh",
    "chemicals",
    "grants",
    "publication_types",
    "relations",
}


def written(
    citations: list[Citation], *, biblatex: bool = False, ascii: bool = False
) -> tuple[str, list[Diagnostic]]:
    out = io.StringIO()
    diagnostics: list[Diagnostic] = []
    writer = write_biblatex if biblatex else write_bibtex
    writer(citations, out, WriteOptions(ascii=ascii), diagnostics.append)
    return out.getvalue(), diagnostics


def parsed(text: str) -> list[dict[str, str]]:
    """Entries as bibtexparser v2 reads them (no failed blocks), values LaTeX-decoded."""
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return [
        {"ENTRYTYPE": e.entry_type, "ID": e.key}
        | {
            f.key: f.value if f.key in {"url", "doi", "month"} else decode(f.value)
            for f in e.fields
        }
        for e in library.entries
    ]


def _where() -> Provenance:
    return Provenance(path="x.bib", line=3, format="bibtex")


def test_seed_like_bibtex_reads_back_in_bibtexparser_field_by_field() -> None:
    citation = seed_like()
    text, diagnostics = written([citation])
    (entry,) = parsed(text)
    assert entry == {
        "ENTRYTYPE": "article",
        "ID": "zhang2024cellmembrane",
        "title": citation.title,
        "author": "Zhang, Shu and Zhang, Xiaojuan",
        "journal": "Pharmaceutics",
        "shortjournal": "Pharmaceutics",
        "year": "2024",
        "month": "apr",
        "day": "12",
        "volume": "16",
        "number": "4",
        "pages": "531",
        "doi": "10.3390/pharmaceutics16040531",
        "pmid": "38675192",
        "pmcid": "PMC11055162",
        "issn": "1999-4923",
        "keywords": ", ".join(citation.keyword),
        "abstract": citation.abstract,
        "language": "eng",
    }
    assert "month = apr," in text  # a bare macro, as Zotero and the styles want it
    assert {d.field for d in diagnostics} == SEED_LOSSES | {"available_date"}
    assert all(d.code == "field-not-carried" and d.severity == "warning" for d in diagnostics)
    assert len(diagnostics) == len({d.field for d in diagnostics})  # once per record and field
    assert {(d.path, d.line) for d in diagnostics} == {("seeds/000.txt", 1)}


def test_seed_like_bibtex_reads_back_in_pybtex() -> None:
    citation = seed_like()
    text, _ = written([citation])
    entry = parse_string(text, "bibtex").entries["zhang2024cellmembrane"]
    assert entry.type == "article"
    assert [(p.last_names, p.first_names) for p in entry.persons["author"]] == [
        (["Zhang"], ["Shu"]),
        (["Zhang"], ["Xiaojuan"]),
    ]
    fields = dict(entry.fields)
    assert fields["month"] == "April"  # the macro resolved
    assert fields["pages"] == "531"
    assert fields["pmid"] == "38675192"
    assert fields["doi"] == "10.3390/pharmaceutics16040531"
    assert fields["journal"] == "Pharmaceutics"
    assert decode(fields["title"]) == citation.title


def test_seed_like_biblatex_fields() -> None:
    citation = seed_like().model_copy(
        update={"status": "ahead-of-print", "available_date": PartialDate(year=2024, month=3)}
    )
    text, diagnostics = written([citation], biblatex=True)
    (entry,) = parsed(text)
    expected = {
        "journaltitle": "Pharmaceutics",
        "shortjournal": "Pharmaceutics",
        "date": "2024-04-12",
        "origdate": "2024-03",
        "eprint": "38675192",
        "eprinttype": "pubmed",
        "addendum": "PMCID: PMC11055162",
        "pubstate": "prepublished",
        "number": "4",
        "doi": "10.3390/pharmaceutics16040531",
    }
    assert {key: entry[key] for key in expected} == expected
    for absent in ("journal", "year", "month", "day", "pmid", "pmcid"):
        assert absent not in entry
    assert {d.field for d in diagnostics} == SEED_LOSSES
    parse_string(text, "bibtex")  # pybtex reads it too


@pytest.mark.parametrize(
    ("person", "text"),
    [
        (Person(family="Zhang", given="Shu"), "Zhang, Shu"),
        (Person(literal="World Health Organization"), "{World Health Organization}"),
        (Person(family="Beethoven", given="Ludwig", non_dropping_particle="van"),
         "van Beethoven, Ludwig"),
        (Person(family="Gaulle", given="Charles", dropping_particle="de"), "de Gaulle, Charles"),
        (Person(family="King", given="Martin Luther", suffix="Jr"), "King, Jr, Martin Luther"),
        (Person(family="Müller"), "Müller"),
        (Person(family="Van Helsing"), "{Van Helsing}"),
        (Person(family="Smith and Wesson", given="A"), "{Smith and Wesson}, A"),
    ],
)  # fmt: skip
def test_format_name(person: Person, text: str) -> None:
    assert format_name(person) == text


def test_names_split_by_pybtex_as_intended() -> None:
    citation = Citation(
        id="k",
        title="T",
        author=[
            Person(literal="RECOVERY Collaborative Group"),
            Person(family="Berg", given="Jean-Paul", non_dropping_particle="van der"),
            Person(family="King", given="Martin", suffix="Jr"),
        ],
    )
    text, _ = written([citation])
    people = parse_string(text, "bibtex").entries["k"].persons["author"]
    assert [(p.first_names, p.prelast_names, p.last_names, p.lineage_names) for p in people] == [
        ([], [], ["{RECOVERY Collaborative Group}"], []),
        (["Jean-Paul"], ["van", "der"], ["Berg"], []),
        (["Martin"], [], ["King"], ["Jr"]),
    ]


@pytest.mark.parametrize(
    ("page", "text"),
    [
        ("1065-80", "1065--1080"),
        ("1065-1080", "1065--1080"),
        ("e202400410", "e202400410"),
        ("S56-61", "S56--S61"),
        ("360-1, table of contents", "360--361, table of contents"),
        ("531", "531"),
    ],
)
def test_pages_are_full_numbers_with_an_en_dash(page: str, text: str) -> None:
    assert format_pages(page) == text
    entry = parse_string(written([Citation(id="k", page=page)])[0], "bibtex").entries["k"]
    assert entry.fields["pages"] == text


def _pages_by_definition(page: str) -> str:
    """format_pages spelt out: each comma-separated part expanded, a full range en-dashed."""
    parts = []
    for part in expand_range(page).split(","):
        part = part.strip()
        first, last = split_range(part)
        parts.append(f"{first}--{last}" if last is not None and part == f"{first}-{last}" else part)
    return ", ".join(parts)


@given(st.text(alphabet=st.sampled_from(list("0123456789eSA -,\u2013\u2010\t")), max_size=16))
@example("1065\u201380")
@example("30-12")
@example("09-1")
@example("\u0661\u0662-\u0663")
@example(" 531\t")
@example("S56 -61, 7")
def test_format_pages_agrees_with_expand_range_and_split_range(page: str) -> None:
    assert format_pages(page) == _pages_by_definition(page)


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (PartialDate(year=2024, month=4, day=12), "2024-04-12"),
        (PartialDate(year=2023, month=12), "2023-12"),
        (PartialDate(year=2010, month=9, end=PartialDate(year=2010, month=10)), "2010-09/2010-10"),
        (PartialDate(year=2009, season=1), "2009-21"),
        (PartialDate(literal="n.d."), None),
    ],
)
def test_edtf(date: PartialDate, text: str | None) -> None:
    assert edtf(date) == text


def test_bibtex_dates_and_their_losses() -> None:
    ranged = Citation(
        id="r", issued=PartialDate(year=2010, month=9, end=PartialDate(year=2010, month=10))
    )
    season = Citation(id="s", issued=PartialDate(year=2009, season=2))
    text, diagnostics = written([ranged, season])
    entries = parse_string(text, "bibtex").entries
    assert (entries["r"].fields["year"], entries["r"].fields["month"]) == ("2010", "September")
    assert entries["s"].fields["month"] == "Summer"
    assert [(d.field, d.code) for d in diagnostics] == [("issued", "field-not-carried")]


def test_biblatex_literal_date_is_reported() -> None:
    citation = Citation(id="x", issued=PartialDate(year=1999, literal="Winter 1999-2000"))
    text, diagnostics = written([citation], biblatex=True)
    assert parsed(text)[0]["date"] == "1999"
    assert [d.field for d in diagnostics] == ["issued"]


def test_title_protection_markup_and_specials() -> None:
    title = "mRNA & IL-15 in 50% of <i>E. coli</i>: T cells_x {DNA} #1 ~ ^ \\"
    text, _ = written([Citation(id="k", title=title)])
    assert (
        r"title = {{mRNA} \& {IL-15} in 50\% of \textit{{E}. coli}: {T} cells\_x \{{DNA}\} "
        r"\#1 \textasciitilde{} \textasciicircum{} \textbackslash{}}" in text
    )
    assert parsed(text)[0]["title"] == title
    parse_string(text, "bibtex")


def test_ascii_option_writes_commands_pdflatex_and_zotero_decode() -> None:
    citation = Citation(
        id="k",
        title="β-Catenin in Müller glia",
        author=[Person(family="Ødegård", given="Åse")],
        provenance=_where(),
    )
    plain, diagnostics = written([citation])
    assert "β-Catenin in Müller glia" in plain and diagnostics == []
    text, diagnostics = written([citation], ascii=True)
    assert text.isascii()
    assert r"title = {{$\beta$}-Catenin in M{\"u}ller glia}" in text
    assert r"author = {{\O}deg{\aa}rd, {\AA}se}" in text
    entry = parsed(text)[0]
    assert (entry["title"], entry["author"]) == ("β-Catenin in Müller glia", "Ødegård, Åse")
    # Zotero garbles \O: pdflatex reads it, and the user is told.
    assert [(d.code, d.field) for d in diagnostics] == [("escape-not-portable", "author")]


def test_ascii_option_keeps_what_latex_cannot_write_and_says_so() -> None:
    citation = Citation(id="k", title="Medicine in 北京 — a review")
    text, diagnostics = written([citation], ascii=True)
    assert "北京 {---} a review" in text
    assert sorted((d.code, d.field) for d in diagnostics) == [
        ("escape-not-portable", "title"),
        ("no-ascii-form", "title"),
    ]
    assert parsed(text)[0]["title"] == citation.title


def test_other_types_use_their_fields() -> None:
    chapter = Citation(
        id="c",
        type="chapter",
        title="A chapter",
        container_title="The Book",
        publisher="Springer",
        publisher_place="Cham",
        editor=[Person(family="Ed", given="Ann")],
        issued=PartialDate(year=2020),
        page="1-10",
    )
    thesis = Citation(id="t", type="thesis", title="T", publisher="MIT", genre="Master's thesis")
    report = Citation(id="r", type="report", title="R", publisher="WHO", number="WHO/2020.1")
    text, diagnostics = written([chapter, thesis, report])
    entries = {e["ID"]: e for e in parsed(text)}
    assert entries["c"]["ENTRYTYPE"] == "incollection"
    assert (entries["c"]["booktitle"], entries["c"]["address"]) == ("The Book", "Cham")
    assert entries["t"]["ENTRYTYPE"] == "mastersthesis"
    assert entries["t"]["school"] == "MIT"
    assert (entries["r"]["institution"], entries["r"]["number"]) == ("WHO", "WHO/2020.1")
    assert diagnostics == []
    text, diagnostics = written([chapter, thesis, report], biblatex=True)
    entries = {e["ID"]: e for e in parsed(text)}
    assert [e["ENTRYTYPE"] for e in entries.values()] == ["incollection", "thesis", "report"]
    assert (entries["t"]["institution"], entries["t"]["type"]) == ("MIT", "Master's thesis")
    assert diagnostics == []


def test_a_type_bibtex_cannot_tell_apart_is_reported() -> None:
    page = Citation(id="w", type="webpage", title="W", URL="https://x.org/a_b%20c")
    text, diagnostics = written([page])
    entry = parsed(text)[0]
    assert (entry["ENTRYTYPE"], entry["url"]) == ("misc", "https://x.org/a_b%20c")
    assert [d.field for d in diagnostics] == ["type"]
    _, diagnostics = written([page], biblatex=True)
    assert diagnostics == []


def test_keywords_with_commas_are_reported() -> None:
    text, diagnostics = written([Citation(id="k", keyword=["a", "b, c"])])
    assert parsed(text)[0]["keywords"] == "a, b, c"
    assert [d.field for d in diagnostics] == ["keyword"]


def test_keys_fall_back_to_pmid_and_are_made_safe() -> None:
    assert citation_key(Citation(PMID="123")) == "pmid123"
    assert citation_key(Citation(id="a b,c{d}")) == "a_b_c_d_"
    text, diagnostics = written([Citation(id="a b", provenance=_where())])
    assert text.startswith("@misc{a_b,") or text.startswith("@article{a_b,")
    assert [(d.code, d.field) for d in diagnostics] == [("key-changed", "id")]


def test_writer_streams_in_small_batches() -> None:
    # bibtexparser serialises a few dozen entries per call; the writer never holds more.
    out = io.StringIO()
    written_before: list[int] = []  # entries written when each citation is asked for
    count = 3 * _BATCH + 5

    def citations() -> Iterator[Citation]:
        for index in range(count):
            written_before.append(out.getvalue().count("@article{"))
            yield Citation(id=f"k{index}", title=f"T{index}")

    write_bibtex(citations(), out, WriteOptions(), lambda d: None)
    assert written_before[0] == 0
    assert all(index - done <= _BATCH for index, done in enumerate(written_before))
    assert [e["ID"] for e in parsed(out.getvalue())] == [f"k{i}" for i in range(count)]


def test_a_key_twice_is_written_twice() -> None:
    # One bibtexparser library cannot hold a key twice: the second starts a new batch.
    text, _ = written([Citation(id="k", title="A"), Citation(id="k", title="B"), Citation(id="j")])
    assert text.count("@article{k,") == 2 and text.count("@article{j,") == 1
    assert "}\n\n@article{k," in text and "\n\n\n" not in text


def test_empty_input_writes_nothing() -> None:
    assert written([])[0] == ""


@pytest.mark.parametrize("dialect", [BIBTEX, BIBLATEX], ids=lambda d: d.name)
def test_every_type_has_an_entry_type(dialect: Dialect) -> None:
    for csl, entry_type in dialect.types:
        assert dialect.entry_type(csl) == entry_type
        assert dialect.csl_type(entry_type) is not None


@settings(max_examples=150, deadline=None)
@given(st.one_of(titles, markup), st.booleans(), st.booleans())
def test_any_title_survives_write_and_bibtexparser(title: str, ascii: bool, biblatex: bool) -> None:
    text, _ = written([Citation(id="k", title=title or None)], biblatex=biblatex, ascii=ascii)
    (entry,) = parsed(text)
    assert entry.get("title", "") == title


# Real clients: skipped where they are not installed.


def _run(args: list[str], cwd: Path) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)
    return done.stdout + done.stderr


def _fixture_citations() -> list[Citation]:
    return [
        seed_like(),
        Citation(
            id="who2020",
            title="Clinical management of COVID-19: interim guidance",
            author=[Person(literal="World Health Organization")],
            container_title="WHO Technical Report",
            issued=PartialDate(year=2020, month=5, day=27),
            page="1065-80",
            volume="3",
        ),
    ]


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="bibtex (texlive-binaries) missing")
def test_bibtex_program_reads_our_output_without_warnings(tmp_path: Path) -> None:
    text, _ = written(_fixture_citations())
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    log = _run(["bibtex", "doc"], tmp_path)
    assert "Warning" not in log and "error" not in log.lower(), log
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    # plain lowercases titles: the braces keep the acronym's capitals.
    assert "Cell membrane-coated" in bbl and "{COVID-19}" in bbl


@pytest.mark.skipif(shutil.which("biber") is None, reason="biber missing")
def test_biber_validates_our_biblatex(tmp_path: Path) -> None:
    text, _ = written(_fixture_citations(), biblatex=True)
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    log = _run(["biber", "--tool", "--validate-datamodel", "refs.bib"], tmp_path)
    assert "WARN" not in log and "ERROR" not in log, log


@pytest.mark.parametrize("biblatex", [False, True])
def test_journal_falls_back_to_the_abbreviation(biblatex: bool) -> None:
    citation = Citation(id="k", title="T", container_title_short="ChemMedChem")
    (entry,) = parsed(written([citation], biblatex=biblatex)[0])
    assert entry["journaltitle" if biblatex else "journal"] == "ChemMedChem"
    assert entry["shortjournal"] == "ChemMedChem"


def field_table(dialect: Dialect) -> str:
    """The README's field table of one dialect, generated from the mapping tables."""
    rows = [f"| bibkit field | {dialect.name} field | other types |", "|---|---|---|"]
    defaults = {model: bib for bib, model in dialect.fields}
    extra = sorted(dialect.text_fields - set(defaults))
    for model in [*defaults, *extra]:
        by_field: dict[str, list[str]] = {}
        for kind, overrides in dialect.type_fields.items():
            if model in overrides:
                bib = overrides[model]
                by_field.setdefault(f"`{bib}`" if bib else "none", []).append(kind)
        others = "; ".join(f"{bib} in {', '.join(kinds)}" for bib, kinds in by_field.items())
        default = f"`{defaults[model]}`" if model in defaults else "none"
        rows.append(f"| `{model}` | {default} | {others} |")
    return "\n".join(rows) + "\n"


def type_list(dialect: Dialect) -> str:
    return ", ".join(f"`{csl}` @{bib}" for csl, bib in dialect.types) + "\n"


@pytest.mark.parametrize("dialect", [BIBTEX, BIBLATEX], ids=lambda d: d.name)
def test_readme_field_tables_match_the_mapping_tables(dialect: Dialect) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    assert field_table(dialect) in readme
    assert type_list(dialect) in readme
    prose = " ".join(readme.split())
    for field, what in dialect.not_carried.items():
        assert f"`{field}` ({what})" in prose


def test_an_edited_book_is_a_biblatex_collection() -> None:
    book = Citation(id="b", type="book", title="T", editor=[Person(family="Ed", given="A")])
    text, diagnostics = written([book], biblatex=True)
    assert parsed(text)[0]["ENTRYTYPE"] == "collection"
    assert diagnostics == []
    assert parsed(written([book])[0])[0]["ENTRYTYPE"] == "book"  # BibTeX has no such type


def _awkward() -> list[Citation]:
    """Values BibTeX syntax trips over: a paragraph starting ``@`` (``@{\\'e}cole`` with
    --ascii), a lone CR before an ``@``, URLs and DOIs ending in a backslash."""
    return [
        Citation(
            id="at",
            title="Handles\r@{x} and\n  @misc(y)",
            abstract="Contact:\n@école on social media\n @article{z,",
            URL="C:\\papers\\",
            DOI="10.1000/a\\",
        ),
        Citation(id="b", title="The entry after it", URL="https://example.org/a\\\\"),
    ]


@pytest.mark.parametrize("ascii", [False, True])
@pytest.mark.parametrize("biblatex", [False, True])
def test_at_line_starts_and_trailing_backslashes_stay_inside_their_field(
    biblatex: bool, ascii: bool
) -> None:
    citations = _awkward()
    text, diagnostics = written(citations, biblatex=biblatex, ascii=ascii)
    assert [e["ID"] for e in parsed(text)] == ["at", "b"]
    assert sorted(parse_string(text, "bibtex").entries) == ["at", "b"]
    reader = read_biblatex if biblatex else read_bibtex
    items = list(reader(Source.from_bytes(text.encode(), name="x.bib"), ReadOptions()))
    back = [i for i in items if isinstance(i, Citation)]
    assert [i for i in items if isinstance(i, Diagnostic) and i.is_error] == []
    assert [(c.abstract, c.URL, c.DOI) for c in back] == [
        ("Contact:\n@école on social media\n@article{z,", "C:\\papers\\", "10.1000/a\\"),
        (None, "https://example.org/a\\\\", None),
    ]
    assert [c.title for c in back] == ["Handles @{x} and @misc(y)", "The entry after it"]
    assert not [d for d in diagnostics if d.code == "value-changed"]


def test_verbatim_values_bibtex_cannot_hold_are_percent_encoded_and_reported() -> None:
    citation = Citation(id="k", URL="https://example.org/{a}\n@b", DOI="10.1/x{y}")
    text, diagnostics = written([citation])
    assert "https://example.org/%7Ba%7D\n%40b" in text and "10.1/x%7By%7D" in text
    assert sorted((d.code, d.field) for d in diagnostics) == [
        ("value-changed", "DOI"),
        ("value-changed", "URL"),
    ]


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="bibtex (texlive-binaries) missing")
def test_bibtex_program_reads_awkward_values(tmp_path: Path) -> None:
    text, _ = written(_awkward(), ascii=True)
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    log = _run(["bibtex", "doc"], tmp_path)
    assert "error" not in log.lower(), log
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert "\\bibitem{at}" in bbl and "\\bibitem{b}" in bbl
    assert "The entry after it" in bbl


abstract_text = st.text(alphabet=st.sampled_from(list("ab \t\r\n-%&{}\\é@–")), max_size=40)


@given(abstract_text.filter(lambda text: text.strip(" \t\r\n")), st.booleans())
def test_an_abstract_is_its_lines_escaped_one_by_one(abstract: str, ascii: bool) -> None:
    # An abstract without specials takes a faster road; it must write what escaping each
    # line does, each line an own paragraph.
    entry, _ = to_entry(Citation(title="T", abstract=abstract), BIBTEX, ascii=ascii)
    lines = [line.strip(" \t\r") for line in abstract.split("\n")]
    latex = "\n\n".join(escape(line, ascii=ascii) for line in lines if line)
    if "\n" not in abstract:
        latex = escape(abstract.strip(" \t\r"), ascii=ascii)
    if latex:
        latex = re.sub(r"([\r\n]\s*)@", r"\1{@}", latex)
        assert {f.key: f.value for f in entry.fields}["abstract"] == "{" + latex + "}"


@pytest.mark.parametrize(
    ("language", "biblatex", "bibtex"),
    [("eng", "english", "eng"), ("ger", "german", "ger"), ("en-US", "english", "en-US"),
     ("jpn", "Japanese", "jpn"), ("xyz", "xyz", "xyz")],
)  # fmt: skip
def test_biblatex_names_a_language_by_its_localisation_key(
    language: str, biblatex: str, bibtex: str
) -> None:
    """biblatex prints ``eng`` as it is, but translates ``english`` (and leaves it out in an
    English document); classic BibTeX keeps the code, which Zotero imports as it is."""
    citation = Citation(id="a", title="T", language=language)
    assert f"language = {{{biblatex}}}" in written([citation], biblatex=True)[0]
    assert f"language = {{{bibtex}}}" in written([citation])[0]


@pytest.mark.parametrize("biblatex", [False, True])
def test_a_url_ending_in_a_backslash_and_a_control_character_still_closes(
    biblatex: bool,
) -> None:
    """Reading leaves control characters out (with the ESC in the abstract, all of its block),
    so a backslash before one would escape the field's closing brace once read."""
    citations = [
        Citation(id="a", title="A", abstract="\x1b"),
        Citation(id="b", title="B", URL="https://example.org/x\\\x1f"),
    ]
    text, _ = written(citations, biblatex=biblatex)
    reader = read_biblatex if biblatex else read_bibtex
    items = list(reader(Source.from_bytes(text.encode(), name="x.bib"), ReadOptions()))
    assert [i.id for i in items if isinstance(i, Citation)] == ["a", "b"]
    assert [i for i in items if isinstance(i, Diagnostic) and i.is_error] == []
