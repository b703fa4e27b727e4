"""BibTeX and BibLaTeX readers: real-looking files in, the model out; round trips are lossless
for every field the dialect carries."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibkit.diagnostics import Diagnostic
from bibkit.io import Source
from bibkit.mappings.bibtex import BIBLATEX, BIBTEX, biblatex_language, language_code
from bibkit.model import Citation, PartialDate, Person
from bibkit.readers.bibtex import (
    Macros,
    parse_date,
    parse_name,
    read_biblatex,
    read_bibtex,
    sniff_biblatex,
    sniff_bibtex,
)
from bibkit.registry import ReadOptions, WriteOptions
from bibkit.writers.bibtex import write_biblatex, write_bibtex
from tests.test_latex import markup, titles
from tests.writers.test_csljson import seed_like

DATA = Path(__file__).parents[1] / "data" / "bibtex"


def read(
    text: str | Path, *, biblatex: bool = False, strict: bool = False
) -> tuple[list[Citation], list[Diagnostic]]:
    source = (
        Source.from_path(text)
        if isinstance(text, Path)
        else Source.from_bytes(text.encode("utf-8"), "x.bib")
    )
    reader = read_biblatex if biblatex else read_bibtex
    items = list(reader(source, ReadOptions(strict=strict)))
    return (
        [i for i in items if isinstance(i, Citation)],
        [i for i in items if isinstance(i, Diagnostic)],
    )


def by_id(citations: list[Citation]) -> dict[str, Citation]:
    return {c.id or "": c for c in citations}


# Fixtures


def test_classic_bibtex_with_strings_months_and_crossref() -> None:
    citations, diagnostics = read(DATA / "classic_string_crossref.bib")
    found = by_id(citations)
    assert list(found) == ["berg1998", "king2020", "conf2020", "who2021", "doe2019"]

    berg = found["berg1998"]
    assert berg.title == "The role of DNA repair in <i>Escherichia coli</i>: a review"
    assert berg.author == [
        Person(family="Berg", given="Jean-Paul", non_dropping_particle="van der", suffix="Jr"),
        Person(family="Müller", given="Jörg"),
        Person(family="Østergaard", given="Søren"),
    ]
    assert berg.container_title == "J. Biol. Chem."  # @string macro
    assert berg.issued == PartialDate(year=1998, month=12)  # month macro
    assert (berg.volume, berg.issue, berg.page) == ("273", "51", "34107-34114")
    assert berg.note == "Erratum in J. Biol. Chem. 1999"  # concatenation with a macro
    assert berg.provenance is not None and berg.provenance.line == 7

    king = found["king2020"]
    assert king.type == "paper-conference"
    assert king.title == "Attention Is All You Need — Again"
    assert king.author[0] == Person(family="King", given="Martin Luther")
    assert king.author[1] == Person(family="Beethoven", given="Ludwig", non_dropping_particle="van")
    # Inherited from the crossref parent, its title as the proceedings title.
    assert king.container_title == "Proceedings of the Tenth Conference on Things"
    assert (king.publisher, king.publisher_place) == ("ACM", "New York")
    assert king.issued == PartialDate(year=2020, month=6)
    assert king.editor == [Person(literal="World Health Organization")]

    who = found["who2021"]
    assert who.type == "report"
    assert who.author == [
        Person(literal="WHO Working Group on the Clinical Characterisation of COVID-19")
    ]
    assert (who.publisher, who.number) == ("World Health Organization", "WHO/2019-nCoV/2021.1")
    assert who.issued == PartialDate(year=2021, season=1)

    doe = found["doe2019"]
    assert (doe.type, doe.genre, doe.publisher) == (
        "thesis",
        "Master's thesis",
        "University of Somewhere",
    )

    assert [(d.line, d.code, d.field) for d in diagnostics] == [
        (7, "field-not-carried", "author")  # "and others"
    ]


def test_biblatex_with_date_journaltitle_and_eprint() -> None:
    citations, diagnostics = read(DATA / "biblatex_date_journaltitle_eprint.bib", biblatex=True)
    found = by_id(citations)
    zhang = found["zhang2024"]
    assert zhang.container_title == "Pharmaceutics"
    assert zhang.container_title_short == "Pharmaceutics"
    assert zhang.issued == PartialDate(year=2024, month=4, day=12)
    assert zhang.available_date == PartialDate(year=2024, month=3, day=30)
    assert (zhang.PMID, zhang.PMCID) == ("38675192", "PMC11055162")
    assert zhang.keyword == ["biomimetic", "drug delivery", "tumor targeting"]
    assert zhang.language == "en"  # CSL processors take "english" for no language they know
    assert zhang.abstract == (
        "BACKGROUND: Nanoparticles hold promise.\nCONCLUSIONS: More work is needed."
    )

    kim = found["kim2010"]
    assert kim.title == "β-Catenin signalling in T cells"
    assert kim.author[1] == Person(family="Fuente", given="Ana", non_dropping_particle="de la")
    assert kim.issued == PartialDate(year=2010, month=9, end=PartialDate(year=2010, month=10))
    assert kim.status == "ahead-of-print"
    assert kim.page == "e1002345"

    ng = found["ng2015"]
    assert (ng.type, ng.genre, ng.publisher, ng.publisher_place) == (
        "thesis",
        "phdthesis",
        "MIT",
        "Cambridge, MA",
    )
    who = found["who2024"]
    assert (who.type, who.container_title) == ("webpage", "WHO")
    assert who.accessed == PartialDate(year=2024, month=5, day=1)
    assert who.author == [Person(literal="World Health Organization")]
    data = found["data2022"]
    assert (data.type, data.version, data.DOI) == ("dataset", "2.1", "10.5281/zenodo.1234")
    assert data.issued == PartialDate(year=2022, season=1)
    assert diagnostics == []


def test_zotero_export() -> None:
    (citation,), diagnostics = read(DATA / "zotero_export.bib")
    assert citation.title == "Cell Membrane-Coated Biomimetic Nanoparticles in Cancer Treatment"
    assert (citation.PMID, citation.PMCID) == ("38675192", "PMC11055162")
    assert citation.issued == PartialDate(year=2024, month=4)
    assert citation.accessed == PartialDate(year=2024, month=6, day=1)
    assert citation.URL == "https://www.mdpi.com/1999-4923/16/4/531"
    # Zotero's link to the PDF has no place in the model: reported, not silently dropped.
    assert [(d.code, d.field) for d in diagnostics] == [("field-not-read", "file")]


def test_zotero_extra_field_in_note_gives_the_identifiers() -> None:
    (citation,), diagnostics = read(DATA / "zotero_extra_in_note.bib")
    assert (citation.PMID, citation.PMCID, citation.note) == (
        "33516284",
        "PMC7906734",
        "Publisher: Elsevier",
    )
    assert diagnostics == []
    # A note that names another PMID than the record's keeps it.
    (other,), _ = read("@article{k, pmid = {1}, note = {PMID: 2}}")
    assert (other.PMID, other.note) == ("1", "PMID: 2")


def test_a_broken_block_is_reported_and_the_rest_is_read() -> None:
    citations, diagnostics = read(DATA / "broken_block.bib")
    assert [c.id for c in citations] == ["first", "last"]
    assert [(d.line, d.severity, d.code) for d in diagnostics] == [
        (6, "error", "syntax-error"),
        (10, "warning", "field-not-read"),  # mrnumber
    ]


def test_strict_mode_rejects_a_record_with_warnings() -> None:
    citations, diagnostics = read(DATA / "broken_block.bib", strict=True)
    assert [c.id for c in citations] == ["first"]
    assert all(d.severity == "error" for d in diagnostics)


def test_duplicates_unknown_types_and_macros_are_reported() -> None:
    text = (
        "@article{a, title={One}}\n"
        "@article{a, title={Two}}\n"
        "@weird{b, title={Three}, journal = undefinedmacro}\n"
        "@article{c, title={x}, title={y}, crossref={nowhere}}\n"
    )
    citations, diagnostics = read(text)
    assert [(c.id, c.title, c.type) for c in citations] == [
        ("a", "One", "article-journal"),
        ("a", "Two", "article-journal"),
        ("b", "Three", "document"),
        ("c", "y", "article-journal"),
    ]
    assert [(d.line, d.code) for d in diagnostics] == [
        (2, "duplicate-key"),
        (3, "undefined-macro"),
        (3, "unknown-type"),
        (4, "duplicate-field"),
        (4, "crossref-missing"),
    ]


def test_lines_stay_right_after_lines_ending_in_a_backslash() -> None:
    """bibtexparser does not count a line end after a backslash; bibkit's lines must."""
    text = (
        "% from C:\\refs\\\n"
        "@article{a,\n  title = {A line break \\\\\n  here},\n  journal = nope\n}\n"
        "@article{b,\n  title = {B}, title = {again}\n}\n"
        "@misc{c, title = {C}, note = {unclosed\n"
    )
    citations, diagnostics = read(text)
    assert [(c.id, c.provenance and c.provenance.line) for c in citations] == [("a", 2), ("b", 7)]
    assert [(d.line, d.code) for d in diagnostics] == [
        (2, "undefined-macro"),
        (7, "duplicate-field"),
        (10, "syntax-error"),
    ]


def test_a_macro_expansion_bomb_is_refused_and_the_rest_read() -> None:
    text = '@string{s0 = "xxxxxxxxxx"}\n'
    text += "".join(f"@string{{s{n} = s{n - 1} # s{n - 1}}}\n" for n in range(1, 30))
    text += "@article{bomb, title = s29 # {!}, year = 2000}\n@article{good, title = {Good}}\n"
    citations, diagnostics = read(text)
    assert [(c.id, c.title) for c in citations] == [("bomb", "s29 # !"), ("good", "Good")]
    refused = [(d.line, d.severity, d.code, d.field) for d in diagnostics]
    # s16 would be 655 360 characters: refused, and so is every macro built from it.
    assert refused == [(n + 1, "error", "refused-input", None) for n in range(16, 30)] + [
        (31, "error", "refused-input", "title")
    ]
    assert "more than 524288 characters" in diagnostics[0].message


def test_macro_expansion_has_a_budget_for_the_whole_file() -> None:
    """Each value stays under the limit, but 40 entries of 500 000 characters would not."""
    text = "@string{big = {" + "x" * 500_000 + "}}\n"
    text += "".join(f"@misc{{e{n}, note = big, title = {{T{n}}}}}\n" for n in range(40))
    citations, diagnostics = read(text)
    assert len(citations) == 40
    expanded = [c for c in citations if c.note and len(c.note) == 500_000]
    assert 0 < len(expanded) < 40
    assert {(d.code, d.field) for d in diagnostics} == {("refused-input", "note")}
    assert len(diagnostics) == 40 - len(expanded)


def test_a_journal_macro_used_by_every_entry_is_expanded() -> None:
    text = "@string{jbc = {The Journal of Biological Chemistry}}\n"
    text += "".join(f"@article{{a{n}, journal = jbc, title = {{T}}}}\n" for n in range(2000))
    citations, diagnostics = read(text)
    assert diagnostics == []
    assert {c.container_title for c in citations} == {"The Journal of Biological Chemistry"}


@pytest.mark.parametrize("case", ["damaged_gzip.xml.gz", "truncated_gzip.xml.gz"])
def test_damaged_gzip_is_one_diagnostic(case: str) -> None:
    data = (Path(__file__).parent.parent / "data" / "bad_input" / case).read_bytes()
    items = list(read_bibtex(Source.from_bytes(data, name=case), ReadOptions()))
    assert [(type(i).__name__, getattr(i, "code", None)) for i in items] == [
        ("Diagnostic", "bad-gzip")
    ]


def test_unreadable_and_empty_input() -> None:
    items = list(read_bibtex(Source.from_path("/nonexistent/x.bib"), ReadOptions()))
    assert [(type(i).__name__, getattr(i, "code", None)) for i in items] == [
        ("Diagnostic", "unreadable")
    ]
    assert read("") == ([], [])
    assert read("\ufeff% only a comment\n") == ([], [])


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("{World Health Organization}", Person(literal="World Health Organization")),
        ("{{Group Authors}}", Person(literal="Group Authors")),
        ("van der Berg, Jr, Jean", Person(family="Berg", given="Jean",
                                          non_dropping_particle="van der", suffix="Jr")),
        ("Jean-Paul de la Fontaine", Person(family="Fontaine", given="Jean-Paul",
                                            non_dropping_particle="de la")),
        (r"{\"O}zt{\"u}rk, A.", Person(family="Öztürk", given="A.")),
        ("Müller", Person(family="Müller")),
        ("  ", None),
    ],
)  # fmt: skip
def test_parse_name(text: str, person: Person | None) -> None:
    assert parse_name(text) == person


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2024-04-12", PartialDate(year=2024, month=4, day=12)),
        ("2024", PartialDate(year=2024)),
        ("2010-09/2010-10", PartialDate(year=2010, month=9, end=PartialDate(year=2010, month=10))),
        ("2009-23", PartialDate(year=2009, season=3)),
        ("2014/", PartialDate(year=2014)),
        ("circa 1850", PartialDate(year=1850, literal="circa 1850")),
        ("2024-13-01", PartialDate(year=2024, literal="2024-13-01")),
    ],
)
def test_parse_date(text: str, date: PartialDate) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("fields", "date"),
    [
        ("year = 2020, month = apr, day = 3", PartialDate(year=2020, month=4, day=3)),
        ("year = {2020}, month = {4}", PartialDate(year=2020, month=4)),
        ("year = {2020}, month = {Sept.}", PartialDate(year=2020, month=9)),
        ("year = {2020}, month = {Winter}", PartialDate(year=2020, season=4)),
        ("year = {in press}", PartialDate(literal="in press")),
        ("year = {2020}, date = {2021-02}", PartialDate(year=2021, month=2)),
    ],
)
def test_bibtex_dates(fields: str, date: PartialDate) -> None:
    (citation,), _ = read(f"@article{{k, {fields}}}")
    assert citation.issued == date


def test_resolve_concatenation_and_macros() -> None:
    macros = Macros(0)
    assert macros.define("JBC", '"J. Biol. Chem."', "x.bib", 1) == []
    assert macros.resolve('jbc # " 12"') == ("J. Biol. Chem. 12", [])
    assert macros.resolve("{a # b} # nope") == ("a # bnope", ["nope"])
    assert macros.resolve("jan") == ("January", [])
    assert macros.resolve("2020") == ("2020", [])


@pytest.mark.parametrize(
    ("head", "bibtex", "biblatex"),
    [
        ("@article{a,\n  journal = {J},\n  year = 2020\n}\n", 50, 0),
        ("% comment\n@Book{b,\n title={T}}", 50, 0),
        ("@article{a,\n  journaltitle = {J},\n  date = {2020}\n}\n", 50, 55),
        ("@article{a,\n  eprinttype = {pubmed}\n}", 50, 55),
        ("@string{a = {b}}\n", 30, 0),
        ("@Comment{jabref-meta: databaseType:biblatex;}\n", 30, 0),
        ("TY  - JOUR\nER  - \n", 0, 0),
        ("Send mail to me@example.org {today}", 0, 0),
        ('[{"type": "article-journal"}]', 0, 0),
    ],
)
def test_sniffers(head: str, bibtex: int, biblatex: int) -> None:
    assert (sniff_bibtex(head), sniff_biblatex(head)) == (bibtex, biblatex)


# Round trips


def written(citations: list[Citation], *, biblatex: bool, ascii: bool = False) -> str:
    out = io.StringIO()
    writer = write_biblatex if biblatex else write_bibtex
    writer(citations, out, WriteOptions(ascii=ascii), lambda d: None)
    return out.getvalue()


def comparable(citation: Citation, lost: set[str | None] | None = None) -> dict[str, object]:
    """The model as BibTeX carries it: a language by what it is, not how its code is spelt
    (``eng`` is written as BibLaTeX's ``english`` and read back as ``en``)."""
    exclude = {"provenance", "field_sources", *(f for f in lost or () if f)}
    found = citation.model_dump(exclude=exclude, exclude_defaults=True)
    if "language" in found:
        found["language"] = language_code(biblatex_language(found["language"]))
    return found


@pytest.mark.parametrize("biblatex", [False, True])
@pytest.mark.parametrize(
    "fixture", sorted(p.name for p in DATA.glob("*.bib") if p.name != "broken_block.bib")
)
def test_fixtures_read_write_read_is_lossless(fixture: str, biblatex: bool) -> None:
    """read F -> write F -> read F gives the same model (for every field F carries)."""
    first, _ = read(DATA / fixture, biblatex=biblatex)
    out = io.StringIO()
    losses: list[Diagnostic] = []
    (write_biblatex if biblatex else write_bibtex)(first, out, WriteOptions(), losses.append)
    again, diagnostics = read(out.getvalue(), biblatex=biblatex)
    lost = {d.field for d in losses if d.code == "field-not-carried"}
    if biblatex or "biblatex" not in fixture:
        assert lost == set()  # a file of the dialect itself loses nothing
    assert [comparable(c, lost) for c in again] == [comparable(c, lost) for c in first]
    assert not [d for d in diagnostics if d.code != "field-not-carried"]


def test_seed_like_citation_keeps_every_carried_field() -> None:
    citation = seed_like()
    for biblatex in (False, True):
        (back,), _ = read(written([citation], biblatex=biblatex), biblatex=biblatex)
        lost = {"author", "conflict_of_interest", "mesh", "chemicals", "grants",
                "publication_types", "relations"}  # fmt: skip
        if not biblatex:
            lost.add("available_date")
        expected = comparable(citation, {*lost})
        assert comparable(back) | {"author": None} == expected | {"author": None}
        assert [(p.family, p.given) for p in back.author] == [
            (p.family, p.given) for p in citation.author
        ]


letters = st.characters(categories=("Ll", "Lu", "Lo"))
capitalised = st.builds(
    lambda first, rest: first + rest,
    st.characters(categories=("Lu",)),
    st.text(alphabet=st.characters(categories=("Ll",)), max_size=8),
)
given_names = st.lists(
    st.builds(lambda first, rest: first + rest, letters, st.text(alphabet=letters, max_size=6)),
    min_size=1,
    max_size=3,
).map(" ".join)
people = st.one_of(
    st.builds(
        Person,
        family=st.lists(capitalised, min_size=1, max_size=2).map(" ".join),
        given=given_names,
        non_dropping_particle=st.one_of(
            st.none(), st.sampled_from(["van", "von", "de", "van der", "de la", "da"])
        ),
        suffix=st.one_of(st.none(), st.sampled_from(["Jr", "Sr", "III"])),
    ),
    st.builds(Person, family=capitalised),
    st.builds(Person, literal=titles.filter(bool)),
)
days = st.integers(1, 28)


@st.composite
def dates(draw: st.DrawFn, *, ranges: bool) -> PartialDate:
    year = draw(st.integers(1000, 2999))
    kind = draw(st.sampled_from(["year", "month", "day", "season", "range"][: 5 if ranges else 4]))
    if kind == "year":
        return PartialDate(year=year)
    if kind == "season":
        return PartialDate(year=year, season=draw(st.sampled_from([1, 2, 3, 4])))
    month = draw(st.integers(1, 12))
    if kind == "month":
        return PartialDate(year=year, month=month)
    if kind == "day":
        return PartialDate(year=year, month=month, day=draw(days))
    end_month = draw(st.integers(1, 12))
    return PartialDate(year=year, month=month, end=PartialDate(year=year + 1, month=end_month))


words = st.text(alphabet=st.characters(categories=("Ll", "Lu", "Nd")), min_size=1, max_size=10)
plain = titles.filter(bool)


@st.composite
def citations(draw: st.DrawFn, *, biblatex: bool) -> Citation:
    kind = draw(st.sampled_from(["article-journal", "book", "chapter", "thesis", "report"]))
    data: dict[str, object] = {
        "id": draw(st.from_regex(r"[a-z][a-z0-9]{0,12}", fullmatch=True)),
        "type": kind,
        "title": draw(markup.filter(bool)),
        "author": draw(st.lists(people, max_size=4)),
        "issued": draw(st.one_of(st.none(), dates(ranges=biblatex))),
        "volume": draw(st.one_of(st.none(), words)),
        "page": draw(
            st.one_of(
                st.none(),
                st.integers(1, 5000).map(lambda n: f"{n}-{n + 7}"),
                st.from_regex(r"e[0-9]{4,9}", fullmatch=True),
            )
        ),
        "DOI": draw(st.one_of(st.none(), st.from_regex(r"10\.[0-9]{4}/[a-z0-9._()-]{1,20}",
                                                       fullmatch=True))),
        "PMID": draw(st.one_of(st.none(), st.from_regex(r"[1-9][0-9]{0,8}", fullmatch=True))),
        "PMCID": draw(st.one_of(st.none(), st.from_regex(r"PMC[0-9]{1,8}", fullmatch=True))),
        "keyword": draw(st.lists(plain.filter(lambda k: k == k.strip() and k.strip()
                                              and "," not in k and ";" not in k),
                                 max_size=3)),
        "abstract": draw(st.one_of(st.none(), st.lists(plain, min_size=1, max_size=3)
                                   .map("\n".join))),
        "publisher": draw(st.one_of(st.none(), plain)),
        "language": draw(st.one_of(st.none(), words)),
    }  # fmt: skip
    if kind in {"article-journal", "chapter"}:
        data["container_title"] = draw(st.one_of(st.none(), plain))
    if kind == "article-journal":
        data["issue"] = draw(st.one_of(st.none(), words))
        data["container_title_short"] = data["container_title"] and draw(
            st.one_of(st.none(), plain)
        )
    if biblatex:
        data["available_date"] = draw(st.one_of(st.none(), dates(ranges=True)))
        data["status"] = draw(st.one_of(st.none(), st.just("ahead-of-print")))
    return Citation.model_validate(data)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.booleans(), st.booleans())
def test_model_write_read_round_trip(data: st.DataObject, biblatex: bool, ascii: bool) -> None:
    """model -> write F -> read F gives the model back, for every field F carries."""
    citation = data.draw(citations(biblatex=biblatex))
    (back,), diagnostics = read(written([citation], biblatex=biblatex, ascii=ascii),
                                biblatex=biblatex)  # fmt: skip
    assert comparable(back) == comparable(citation)
    assert diagnostics == []


def alias_table() -> str:
    """The README's table of fields read besides the writers' own, from the mapping tables."""
    rows = ["| field | bibkit field | read by |", "|---|---|---|"]
    merged: dict[tuple[str, str], list[str]] = {}
    for dialect in (BIBTEX, BIBLATEX):
        for bib, model in dialect.read_aliases.items():
            merged.setdefault((bib, model), []).append(f"`{dialect.name.lower()}`")
    for (bib, model), readers in sorted(merged.items()):
        rows.append(f"| `{bib}` | `{model}` | {', '.join(readers)} |")
    return "\n".join(rows) + "\n"


def read_type_list() -> str:
    merged: dict[str, str] = {}
    for dialect in (BIBTEX, BIBLATEX):
        merged.update(dialect.read_types)
    return ", ".join(f"@{bib} `{csl}`" for bib, csl in sorted(merged.items())) + "\n"


def test_readme_reader_tables_match_the_mapping_tables() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    assert alias_table() in readme
    assert read_type_list() in readme


bib_like = st.lists(
    st.one_of(
        st.sampled_from(
            ["@article{", "@string{", "@comment{", "@preamble{", "@book(", "}", "{", ")", "(",
             '"', ",", "=", "#", "\\", "$", "%", "and", " and others", "~", "\n", "  ", "--",
             "title", "author", "month", "jan", "crossref", "date", "2024-13-45", "{\\\"o}",
             "{\\it", "\\textit{", "$^", "eprinttype", "pubmed"]
        ),
        st.text(max_size=8),
    ),
    max_size=60,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(bib_like, st.booleans(), st.booleans())
def test_no_input_makes_the_reader_raise(text: str, biblatex: bool, strict: bool) -> None:
    citations, diagnostics = read(text, biblatex=biblatex, strict=strict)
    assert all(isinstance(c, Citation) for c in citations)
    assert all(d.path == "x.bib" for d in diagnostics)


@pytest.mark.parametrize(
    ("written_as", "read_as"),
    [("english", "en"), ("ngerman", "de"), ("American", "en-US"), ("Japanese", "ja"),
     ("en", "en"), ("eng", "eng"), ("Klingon", "Klingon")],
)  # fmt: skip
def test_a_language_named_in_words_is_read_as_its_code(written_as: str, read_as: str) -> None:
    text = f"@article{{a, title = {{T}}, language = {{{written_as}}}}}\n"
    (citation,), _ = read(text, biblatex=True)
    assert citation.language == read_as
