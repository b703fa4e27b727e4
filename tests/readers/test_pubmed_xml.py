"""The pubmed-xml reader: real efetch samples field by field, one fixture per case, hostile
files, and arbitrary bytes."""

from __future__ import annotations

import gzip
import io as stdio
import resource
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bibkit import io
from bibkit.diagnostics import Diagnostic
from bibkit.io import Source
from bibkit.model import Citation, PartialDate, RelationKind
from bibkit.readers import pubmed_xml
from bibkit.readers.pubmed_xml import read, sniff
from bibkit.registry import REGISTRY, ReadOptions
from bibkit.writers.csljson import to_csl

DATA = Path(__file__).parent.parent / "data" / "pubmed_xml"


def items(name: str, options: ReadOptions | None = None) -> list[Citation | Diagnostic]:
    return list(read(Source.from_path(DATA / name), options or ReadOptions()))


def records(name: str) -> list[Citation]:
    found = [item for item in items(name) if isinstance(item, Citation)]
    assert found, f"{name} gave no records"
    return found


def diagnostics(name: str) -> list[Diagnostic]:
    return [item for item in items(name) if isinstance(item, Diagnostic)]


# -- the real samples -----------------------------------------------------------------------


def test_efetch_sample_first_article_field_by_field() -> None:
    first, second = records("pubmed-2-articles.xml")
    assert first.type == "article-journal"
    assert first.PMID == "11748933"
    assert first.title == (
        "Is cryopreservation a homogeneous process? Ultrastructure and motility of untreated, "
        "prefreezing, and postthawed spermatozoa of Diplodus puntazzo (Cetti)"
    )
    assert first.container_title == "Cryobiology"
    assert first.container_title_short == "Cryobiology"
    assert first.ISSN == ["0011-2240"]
    assert (first.volume, first.issue, first.page) == ("42", "4", "244-255")
    assert first.issued == PartialDate(year=2001, month=6)
    assert first.available_date is None
    assert first.DOI == "10.1006/cryo.2001.2328"
    assert first.PII == "S0011-2240(01)92328-4"
    assert first.PMCID is None
    assert first.language == "eng"
    assert first.status is None
    assert [a.display() for a in first.author] == [
        "A R Taddei", "F Barbato", "L Abelli", "S Canese",
        "F Moretti", "K J Rana", "A M Fausto", "M Mazzini",
    ]  # fmt: skip
    assert first.author[0].initials == "AR"
    assert first.author[0].affiliations == [
        "Dipartimento di Scienze Ambientali, Università degli Studi della Tuscia, "
        "01100 Viterbo, Italy."
    ]
    assert first.author[1].affiliations == []
    assert first.abstract is not None
    assert first.abstract.startswith("This study subdivides the cryopreservation procedure")
    assert "(P < 0.001)" in first.abstract
    assert first.abstract.endswith("process of sperm damage.\nCopyright 2001 Elsevier Science.")
    assert first.publication_types == ["Journal Article", "Research Support, Non-U.S. Gov't"]
    assert len(first.mesh) == 11
    assert (first.mesh[0].descriptor, first.mesh[0].ui, first.mesh[0].major) == (
        "Animals", "D000818", False,
    )  # fmt: skip
    sea_bream = first.mesh[7]
    assert sea_bream.descriptor == "Sea Bream"
    assert [(q.name, q.ui, q.major) for q in sea_bream.qualifiers] == [
        ("anatomy & histology", "Q000033", True),
        ("physiology", "Q000502", False),
    ]
    assert [m.descriptor for m in first.mesh if m.major] == ["Sperm Motility"]
    assert first.provenance is not None
    assert first.provenance.model_dump() == {
        "path": str(DATA / "pubmed-2-articles.xml"),
        "line": 4,
        "format": "pubmed-xml",
    }
    assert second.PMID == "11700088"
    assert second.container_title_short == "J Magn Reson"
    assert second.page == "117-123"
    assert second.author[-1].family == "De Luca"
    assert second.mesh == []


def test_efetch_sample_as_csl_json_written_by_hand() -> None:
    second = records("pubmed-2-articles.xml")[1]
    csl = to_csl(second)
    expected = {
        "type": "article-journal",
        "title": "Proton MRI of (13)C distribution by J and chemical shift editing",
        "author": [
            {"family": "Casieri", "given": "C"},
            {"family": "Testa", "given": "C"},
            {"family": "Carpinelli", "given": "G"},
            {"family": "Canese", "given": "R"},
            {"family": "Podo", "given": "F"},
            {"family": "De Luca", "given": "F"},
        ],
        "container-title": "Journal of magnetic resonance (San Diego, Calif. : 1997)",
        "container-title-short": "J Magn Reson",
        "issued": {"date-parts": [[2001, 11]]},
        "volume": "153",
        "issue": "1",
        "page": "117-123",
        "DOI": "10.1006/jmre.2001.2429",
        "PMID": "11700088",
        "ISSN": "1090-7807",
        "language": "eng",
    }
    assert {key: csl.get(key) for key in expected} == expected
    assert csl["abstract"].endswith("glutamic acid in water.\nCopyright 2001 Academic Press.")


def test_pretty_printed_nejm_article_field_by_field() -> None:
    (nejm,) = records("pubmed-29768149.xml")
    assert nejm.PMID == "29768149"
    assert nejm.title == "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma"
    assert nejm.container_title == "The New England journal of medicine"
    assert nejm.container_title_short == "N Engl J Med"
    assert nejm.ISSN == ["1533-4406", "0028-4793"]
    assert nejm.issued == PartialDate(year=2018, month=5, day=17)
    assert (nejm.volume, nejm.issue, nejm.page) == ("378", "20", "1865-1876")
    assert nejm.DOI == "10.1056/NEJMoa1715274"
    assert len(nejm.author) == 10
    assert nejm.author[0].family == "O'Byrne"
    assert nejm.author[0].given == "Paul M"
    assert nejm.author[1].display() == "J Mark FitzGerald"
    assert nejm.author[0].affiliations[0].startswith("From the Firestone Institute")
    assert nejm.abstract is not None
    paragraphs = nejm.abstract.split("\n")
    assert [p.split(":")[0] for p in paragraphs] == [
        "BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS",
    ]  # fmt: skip
    assert paragraphs[0] == (
        "BACKGROUND: In patients with mild asthma, as-needed use of an inhaled glucocorticoid "
        "plus a fast-acting β<sub>2</sub>-agonist may be an alternative to conventional "
        "treatment strategies."
    )
    assert "200 μg of budesonide" in paragraphs[1]
    assert nejm.publication_types[0] == "Clinical Trial, Phase III"
    assert len(nejm.publication_types) == 6
    assert [(c.name, c.registry_number) for c in nejm.chemicals[:1] + nejm.chemicals[3:4]] == [
        ("Bronchodilator Agents", None),
        ("Budesonide", "51333-22-3"),
    ]
    asthma = next(m for m in nejm.mesh if m.descriptor == "Asthma")
    assert [(q.name, q.major) for q in asthma.qualifiers] == [("drug therapy", True)]
    assert len(nejm.mesh) == 23
    comments = nejm.related(RelationKind.COMMENT_IN)
    assert [c.PMID for c in comments] == ["29768146", "30242404"]
    assert [r.text for r in nejm.relations if r.kind == RelationKind.COMMENT_IN] == [
        "N Engl J Med. 2018 May 17;378(20):1940-1942",
        "Ann Intern Med. 2018 Sep 18;169(6):JC31",
    ]
    # The RefSource is read as MEDLINE's CIN line is: the same related work from both exports.
    editorial = comments[0]
    assert (editorial.container_title_short, editorial.volume, editorial.issue) == (
        "N Engl J Med", "378", "20",
    )  # fmt: skip
    assert (editorial.issued, editorial.page) == (PartialDate(year=2018, month=5, day=17),
                                                  "1940-1942")  # fmt: skip
    assert comments[1].page == "JC31"
    (trial,) = nejm.related(RelationKind.ASSOCIATED_DATA)
    assert (trial.archive, trial.archive_location) == ("ClinicalTrials.gov", "NCT02149199")


# -- one fixture per case -------------------------------------------------------------------


def test_every_field_fixture() -> None:
    (record,) = records("every-field.xml")
    assert record.title == "Effects of fictional compounds in the U.S."
    assert record.original_title == "Efectos de compuestos ficticios en los EE. UU."
    assert record.container_title_short == "J Invent Res"  # MedlineTA over ISOAbbreviation
    assert record.ISSN == ["1234-5678", "8765-4321"]
    assert record.issued == PartialDate(year=2019, season=1)
    assert record.available_date == PartialDate(year=2019, month=1, day=15)  # ArticleDate wins
    assert record.page == "1065-1080"
    assert (record.DOI, record.PMCID, record.MID) == (
        "10.1000/jir.2019.0042", "PMC6000001", "NIHMS100001",
    )  # fmt: skip
    assert record.PII == "JIR-2019-0042"
    assert record.language == "eng"
    assert record.abstract == (
        "BACKGROUND: Nothing was known.\nRESULTS: Something is known now.\n"
        "An unlabelled closing paragraph.\n© 2019 The Authors."
    )
    first, second = record.author  # the ValidYN="N" author is left out
    assert (first.family, first.given, first.suffix, first.initials) == (
        "Núñez", "María José", "Jr", "MJ",
    )  # fmt: skip
    assert first.orcid == "0000-0002-1825-0097"
    assert first.affiliations == [
        "Department of Examples, University of Nowhere, Lima, Peru.",
        "Institute of Samples, Cusco, Peru.",
    ]
    assert (second.family, second.given, second.initials) == ("Smith", None, "J")
    assert [p.display() for p in record.investigators] == ["Chidi Okafor"]
    assert record.investigators[0].affiliations == ["Lagos, Nigeria."]
    assert [g.model_dump() for g in record.grants] == [
        {"id": "R01 GM000001", "acronym": "GM", "agency": "NIGMS NIH HHS",
         "country": "United States"},
        {"id": None, "acronym": None, "agency": "Wellcome Trust", "country": "United Kingdom"},
    ]  # fmt: skip
    assert record.publication_types == ["Journal Article", "Review"]
    assert record.keyword == ["fiction", "examples"]
    assert record.conflict_of_interest == "The authors declare no competing interests."
    assert [(c.name, c.registry_number) for c in record.chemicals] == [
        ("Imaginary Agents", None),
        ("Formaldehyde", "50-00-0"),
    ]
    agents = record.mesh[1]
    assert (agents.descriptor, agents.major, agents.ui) == ("Imaginary Agents", True, "D000003")
    assert [(q.name, q.major, q.ui) for q in agents.qualifiers] == [
        ("pharmacology", False, "Q000494"),
        ("therapeutic use", True, "Q000627"),
    ]
    kinds = [(r.kind, r.citation.PMID) for r in record.relations]
    assert kinds == [
        (RelationKind.ASSOCIATED_DATA, None),
        (RelationKind.COMMENT_IN, "31000010"),
        (RelationKind.ERRATUM_IN, "31000011"),
        (RelationKind.RETRACTION_IN, "31000012"),
        (RelationKind.UPDATE_OF, None),
        (RelationKind.EXPRESSION_OF_CONCERN_IN, "31000013"),
        (RelationKind.REFERENCES, "20000001"),
        (RelationKind.REFERENCES, None),
    ]
    update = record.related(RelationKind.UPDATE_OF)[0]  # no PMID: the RefSource is all there is
    assert (update.container_title_short, update.issued, update.volume, update.page) == (
        "J Invent Res", PartialDate(year=2018), "11", "5",
    )  # fmt: skip
    references = [r for r in record.relations if r.kind == RelationKind.REFERENCES]
    assert references[0].citation.DOI == "10.1000/jir.2010.1"
    assert references[0].text == "Doe J. An earlier result. J Invent Res. 2010;1:1-2."
    assert references[1].text == "Roe R. A book without identifiers. Nowhere Press; 2005."
    (problem,) = diagnostics("every-field.xml")
    assert (problem.severity, problem.code, problem.field) == (
        "warning", "relation-not-carried", "relations",
    )  # fmt: skip
    assert "SummaryForPatientsIn" in problem.message
    assert problem.line == 4


def test_medline_date() -> None:
    two_months, new_year, free = records("medline-date.xml")
    assert two_months.issued == PartialDate(
        year=2010, month=9, end=PartialDate(year=2010, month=10)
    )
    assert two_months.page == "S56-S61"
    assert new_year.issued == PartialDate(year=1998, month=12, end=PartialDate(year=1999, month=1))
    assert new_year.page == "360-361, table of contents"
    assert free.issued == PartialDate(year=2001, literal="Winter 2001-2002")


def test_season_and_day_dates() -> None:
    spring, exact, impossible = records("season-date.xml")
    assert spring.issued == PartialDate(year=2009, season=1)
    assert exact.issued == PartialDate(year=2024, month=4, day=12)
    assert impossible.issued == PartialDate(year=2024)
    (problem,) = diagnostics("season-date.xml")
    assert (problem.code, problem.field, problem.line) == ("bad-date", "issued", 5)


def test_collective_name() -> None:
    (record,) = records("collective-name.xml")
    person, group, marked_up = record.author
    assert (person.family, person.given, person.suffix) == ("García", "Ana", "3rd")
    assert group.literal == "Example Trials Consortium & Partners"
    assert group.is_collective
    assert marked_up.literal == "Group for Invented Studies"
    assert [p.display() for p in record.investigators] == ["Ken Ito", "Lena Berg"]
    assert record.investigators[1].orcid == "0000-0001-5109-3700"


def test_orcid_forms() -> None:
    (record,) = records("orcid.xml")
    assert [a.orcid for a in record.author] == [
        "0000-0002-1825-0097", "0000-0001-5109-370X", "0000-0002-1825-0097", None, None,
    ]  # fmt: skip
    (problem,) = diagnostics("orcid.xml")
    assert (problem.code, problem.field) == ("bad-orcid", "author")


def test_strict_mode_rejects_a_record_with_problems() -> None:
    found = items("orcid.xml", ReadOptions(strict=True))
    assert not [item for item in found if isinstance(item, Citation)]
    assert [(d.severity, d.code) for d in found if isinstance(d, Diagnostic)] == [
        ("error", "bad-orcid")
    ]


def test_ahead_of_print() -> None:
    ahead, history_only = records("ahead-of-print.xml")
    assert ahead.status == "ahead-of-print"
    assert ahead.available_date == PartialDate(year=2024, month=9, day=12)
    assert ahead.page == "e202400410"  # the e-locator stands in for pages
    assert ahead.DOI == "10.1000/chex.202400410"
    assert history_only.status is None
    assert history_only.available_date == PartialDate(year=2024, month=10, day=2)
    assert history_only.page is None  # a publisher item identifier is no page
    assert history_only.PII == "S0140-6736(24)00001-X"


def test_inline_markup() -> None:
    (record,) = records("inline-markup.xml")
    assert record.title == (
        "Growth of <i>Escherichia coli</i> at 10<sup>-3</sup> M Ca<sup>2+</sup> in <b>bold</b>"
        " and underlined media with x=2"
    )
    assert record.abstract == (
        "AIM: To measure CO<sub>2</sub> and <i>P</i> < 0.05 effects.\n"
        "PRETTY: A fast-acting β<sub>2</sub>-agonist <i>in vivo</i> and nothing."
    )


def test_book_chapter() -> None:
    (chapter,) = records("book-chapter.xml")
    assert chapter.type == "chapter"
    assert chapter.title == "Imaginary Syndrome"
    assert chapter.container_title == "ExampleReviews<sup>®</sup>"
    assert chapter.chapter_number == "12"
    assert chapter.collection_title == "Example Series"
    assert (chapter.publisher, chapter.publisher_place) == (
        "University of Examples Press", "Springfield (XX)",
    )  # fmt: skip
    assert (chapter.edition, chapter.volume, chapter.page) == ("3rd", "2", "101-119")
    assert chapter.ISBN == "978-0-00-000000-2"
    assert chapter.issued == PartialDate(year=1993)
    assert [p.display() for p in chapter.author] == ["Wei Chen"]
    assert [p.display() for p in chapter.editor] == ["Mara P Adams", "Jon Baker"]
    assert chapter.PMID == "20300001"
    assert (chapter.archive, chapter.archive_location) == ("NCBI Bookshelf", "NBK900001")
    assert chapter.publication_types == ["Review"]
    assert chapter.abstract == (
        "CLINICAL CHARACTERISTICS: Imaginary syndrome is invented.\n"
        "DIAGNOSIS/TESTING: It is diagnosed by reading.\n"
        "Copyright © 1993-2025, University of Examples."
    )


def test_whole_book() -> None:
    (book,) = records("book-whole.xml")
    assert book.type == "book"
    assert book.title == "Counting Imaginary Things: A Report"
    assert book.container_title is None
    assert [p.literal for p in book.author] == ["Committee on Imaginary Things"]
    assert [p.display() for p in book.editor] == ["Rosa Diaz"]
    assert book.issued == PartialDate(year=2011, month=6)
    assert (book.ISBN, book.number) == ("9780000000019", "R-17")
    assert book.publication_types == ["Review"]


def test_gzip_is_read_transparently() -> None:
    plain = [r.model_dump(exclude={"provenance"}) for r in records("season-date.xml")]
    zipped = [r.model_dump(exclude={"provenance"}) for r in records("gzip.xml.gz")]
    assert zipped == plain
    assert (
        gzip.decompress((DATA / "gzip.xml.gz").read_bytes())
        == (DATA / "season-date.xml").read_bytes()
    )


def test_truncated_xml_keeps_the_good_records_then_one_error() -> None:
    found = items("truncated.xml")
    assert [item.PMID for item in found if isinstance(item, Citation)] == ["20000101", "20000102"]
    assert isinstance(found[-1], Diagnostic)
    error = found[-1]
    assert (error.severity, error.code, error.line) == ("error", "malformed-xml", 5)
    assert str(error).startswith(f"{DATA / 'truncated.xml'}:5: error: malformed or truncated")


def test_delete_citation_is_reported() -> None:
    (record,) = records("delete-citation.xml")
    assert record.PMID == "20000801"
    (problem,) = diagnostics("delete-citation.xml")
    assert problem.code == "delete-citation-ignored"
    assert "2 PMIDs" in problem.message


def test_other_xml_is_named_as_such() -> None:
    assert records_or_none("not-pubmed.xml") == []
    (problem,) = diagnostics("not-pubmed.xml")
    assert (problem.severity, problem.code) == ("error", "not-pubmed-xml")
    assert "<modsCollection>" in problem.message


def records_or_none(name: str) -> list[Citation]:
    return [item for item in items(name) if isinstance(item, Citation)]


# -- hostile files --------------------------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_entity_bomb_does_not_expand() -> None:
    started = time.perf_counter()
    found = items("entity-bomb.xml")
    assert time.perf_counter() - started < 2
    problems = [item for item in found if isinstance(item, Diagnostic)]
    assert [(p.severity, p.code) for p in problems] in (
        [("error", "refused-input")],  # libxml2 refuses the amplification outright
        [("warning", "entity-not-expanded")] * 4,  # or the references stay unexpanded
    )
    for item in found:
        if isinstance(item, Citation):
            assert "lollol" not in (item.title or "") + (item.abstract or "")


def _bomb_after_a_record() -> tuple[bytes, int]:
    """The entity bomb used by the second of three records; and the line it is used on."""
    head, rest = (DATA / "entity-bomb.xml").read_text("utf-8").split("<PubmedArticleSet>\n")
    bomb = rest.split("\n</PubmedArticleSet>")[0]
    good = bomb.replace("&lol9;", "").replace("20000601", "20000600")
    document = f"{head}<PubmedArticleSet>\n{good}\n{bomb}\n{good}\n</PubmedArticleSet>\n"
    return document.encode(), head.count("\n") + 3


@pytest.mark.parametrize("chunk", [1 << 20, 64])
def test_an_entity_bomb_is_reported_where_it_is_used(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """libxml2 gives the line inside the entity's text (1): the reference is looked up."""
    monkeypatch.setattr(pubmed_xml, "_SCAN_CHUNK", chunk)
    data, line = _bomb_after_a_record()
    found = list(read(Source.from_bytes(data, "bomb.xml"), ReadOptions()))
    kept = [item.PMID for item in found if isinstance(item, Citation)]
    (error,) = [item for item in found if isinstance(item, Diagnostic)]
    assert kept == ["20000600"]
    assert (error.code, error.line) == ("refused-input", line)
    assert "xmlCtxt" not in error.message
    (alone,) = diagnostics("entity-bomb.xml")
    assert alone.line == 15


def test_libxml2_advice_to_programmers_is_left_out_of_messages() -> None:
    (error,) = list(read(Source.from_path(DATA.parent / "bad_input" / "deeply_nested.xml"),
                         ReadOptions()))  # fmt: skip
    assert isinstance(error, Diagnostic) and error.code == "malformed-xml"
    assert "Excessive depth in document" in error.message
    assert "XML_PARSE_HUGE" not in error.message


def _with_a_latin1_letter(declaration: bytes | None = None) -> bytes:
    """The two-article sample with a Windows-1252 É (byte 0xC9) in the second title."""
    data = (DATA / "pubmed-2-articles.xml").read_bytes()
    second = data.index(b"<ArticleTitle>", data.index(b"</PubmedArticle>")) + len(b"<ArticleTitle>")
    data = data[:second] + b"\xc9tudes: " + data[second:]
    if declaration is not None:
        data = data.replace(b'<?xml version="1.0" ?>', declaration)
    return data


@pytest.mark.parametrize(
    ("packed", "declaration"),
    [(False, None), (True, None), (False, b'<?xml version="1.0" encoding="UTF-8"?>')],
)
def test_a_byte_that_is_not_utf8_is_read_as_windows_1252_and_reading_goes_on(
    packed: bool, declaration: bytes | None
) -> None:
    """libxml2 stopped at the byte, and the records after it were lost."""
    data = _with_a_latin1_letter(declaration)
    reported: list[Diagnostic] = []
    source = Source.from_bytes(gzip.compress(data) if packed else data, "stray.xml")
    found = list(read(source.with_report(reported.append), ReadOptions()))
    assert [item.PMID for item in found if isinstance(item, Citation)] == [
        "11748933", "11700088",
    ]  # fmt: skip
    assert not [item for item in found if isinstance(item, Diagnostic)]
    second = [item for item in found if isinstance(item, Citation)][1]
    assert second.title is not None and second.title.startswith("Études: ")
    (warning,) = reported
    assert (warning.code, warning.line) == (
        "not-utf8",
        data[: data.index(b"\xc9")].count(b"\n") + 1,
    )


def test_a_control_character_is_left_out_and_reading_goes_on() -> None:
    """libxml2 refuses it (no XML may hold it) and stopped there: the next record was lost."""
    data = _with_a_latin1_letter().replace(b"\xc9tudes: ", b"\x1b[1mStudies: ")
    reported: list[Diagnostic] = []
    source = Source.from_bytes(data, "control.xml").with_report(reported.append)
    found = list(read(source, ReadOptions()))
    titles = [item.title for item in found if isinstance(item, Citation)]
    assert len(titles) == 2 and titles[1] is not None and titles[1].startswith("[1mStudies: ")
    assert [d.code for d in reported] == ["control-character"]


@pytest.mark.parametrize("declaration", [None, b'<?xml version="1.0" encoding="ISO-8859-1"?>'])
def test_a_bare_ampersand_is_read_as_the_character_and_reading_goes_on(
    declaration: bytes | None,
) -> None:
    """``R&D`` in a hand-edited file ended it there (libxml2 wants ``&amp;``)."""
    data = _with_a_latin1_letter(declaration).replace(b"\xc9tudes: ", b"R&D, Q & A, &amp; \xe9: ")
    reported: list[Diagnostic] = []
    source = Source.from_bytes(data, "ampersand.xml").with_report(reported.append)
    found = list(read(source, ReadOptions()))
    titles = [item.title for item in found if isinstance(item, Citation)]
    assert len(titles) == 2 and titles[1] is not None
    assert titles[1].startswith("R&D, Q & A, & é: ")
    assert [d.code for d in reported if d.code != "not-utf8"] == ["bare-ampersand"] * 2
    line = data[: data.index(b"R&D")].count(b"\n") + 1
    assert {d.line for d in reported} == {line}


@pytest.mark.parametrize("size", [1, 3, 7, 64])
def test_bare_ampersands_are_found_across_reads(size: int) -> None:
    text = b"<t>R&D</t>\n<t>&amp; &#233; &#xE9; &lt;&name; A &B</t>\n" * 3
    reported: list[Diagnostic] = []
    source = Source.from_bytes(text, "x.xml").with_report(reported.append)
    stream = pubmed_xml._BareAmpersands(stdio.BytesIO(text), source)
    got = bytearray()
    while chunk := stream.read(size):
        got += chunk
    assert bytes(got) == text.replace(b"R&D", b"R&amp;D").replace(b"A &B", b"A &amp;B")
    assert [d.line for d in reported] == [1, 2, 3, 4, 5, 6]


def test_a_byte_invalid_in_a_declared_encoding_is_not_repaired_as_utf8() -> None:
    """Turned into UTF-8, the file would be decoded as its declaration says: mojibake."""
    data = _with_a_latin1_letter(b'<?xml version="1.0" encoding="US-ASCII"?>')
    reported: list[Diagnostic] = []
    source = Source.from_bytes(data, "ascii.xml").with_report(reported.append)
    found = list(read(source, ReadOptions()))
    assert not reported
    assert [item.code for item in found if isinstance(item, Diagnostic)] == ["malformed-xml"]


def test_external_entity_is_not_fetched() -> None:
    secret = (DATA / "external-entity-secret.txt").read_text().strip()
    # The fixture is a real attack: a parser that resolves entities leaks the file.
    careless = etree.parse(
        str(DATA / "external-entity.xml"),
        etree.XMLParser(resolve_entities=True, no_network=True, recover=True),
    )
    assert secret in "".join(map(str, careless.getroot().itertext()))
    (record,) = records("external-entity.xml")
    assert record.title == "Leaking a file: &secret;"
    assert record.abstract == "Fetching: &remote;"
    assert secret not in record.model_dump_json()
    codes = {d.code for d in diagnostics("external-entity.xml")}
    assert codes == {"entity-not-expanded"}


def test_gzip_bomb_fails_fast_with_bounded_memory() -> None:
    before = _rss_mb()
    started = time.perf_counter()
    found = items("gzip-bomb.xml.gz")
    assert time.perf_counter() - started < 2
    assert _rss_mb() - before < 64
    (error,) = found
    assert isinstance(error, Diagnostic)
    assert (error.severity, error.code) == ("error", "refused-input")
    assert "gzip bomb" in error.message
    inflated = len(gzip.decompress((DATA / "gzip-bomb.xml.gz").read_bytes()))
    assert inflated > io.GZIP_RATIO_FREE_BYTES


def test_a_real_file_is_far_from_the_gzip_ratio_limit() -> None:
    raw = (DATA / "pubmed-29768149.xml").read_bytes()
    assert len(raw) / len(gzip.compress(raw)) < io.MAX_GZIP_RATIO / 10


@pytest.mark.parametrize(("limit", "value"), [("MAX_RECORD_BYTES", 4096), ("MAX_RECORD_TAGS", 50)])
def test_a_record_that_never_ends_is_refused(
    monkeypatch: pytest.MonkeyPatch, limit: str, value: int
) -> None:
    monkeypatch.setattr(pubmed_xml, limit, value)
    found = items("pubmed-29768149.xml")
    assert [(d.code, d.severity) for d in found if isinstance(d, Diagnostic)] == [
        ("refused-input", "error")
    ]
    assert not [item for item in found if isinstance(item, Citation)]


# -- sniffing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["pubmed-2-articles.xml", "pubmed-29768149.xml", "book-chapter.xml", "book-whole.xml",
     "gzip.xml.gz"],
)  # fmt: skip
def test_sniff_and_detect_pubmed_xml(name: str) -> None:
    source = Source.from_path(DATA / name)
    assert sniff(source.head()) == 100
    detected = REGISTRY.detect(source)
    assert not isinstance(detected, Diagnostic)
    assert detected.name == "pubmed-xml"


@pytest.mark.parametrize(
    "head",
    [
        "",
        "PMID- 12345\nTI  - A MEDLINE record mentioning <PubmedArticle> in its title\n",
        "Some page text\n- PMID: 38675192\n",
        '<?xml version="1.0"?>\n<modsCollection><mods/></modsCollection>',
        "@article{key, title={<PubmedArticle>}}",
    ],
)
def test_sniff_refuses_other_content(head: str) -> None:
    assert sniff(head) == 0


def test_sniff_accepts_a_bare_article_and_a_doctype_only_head() -> None:
    assert sniff("<PubmedArticle><MedlineCitation>") == 100
    assert sniff('\ufeff<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "x" "y">') == 100


# -- never raises ---------------------------------------------------------------------------


def _read_bytes(data: bytes) -> list[Citation | Diagnostic]:
    return list(read(Source.from_bytes(data, "fuzz.xml"), ReadOptions()))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    for item in _read_bytes(data):
        assert isinstance(item, Citation | Diagnostic)


_SAMPLE = (DATA / "every-field.xml").read_bytes()


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(_SAMPLE)), st.integers(0, len(_SAMPLE)), st.binary(max_size=40))
def test_damaged_real_records_never_raise(start: int, end: int, junk: bytes) -> None:
    start, end = sorted((start, end))
    for item in _read_bytes(_SAMPLE[:start] + junk + _SAMPLE[end:]):
        assert isinstance(item, Citation | Diagnostic)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_gzip_content_never_raises(data: bytes) -> None:
    packed = gzip.compress(data)
    for cut in (len(packed), len(packed) // 2):
        for item in _read_bytes(packed[:cut]):
            assert isinstance(item, Citation | Diagnostic)


_FIELD_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=150, deadline=None)
@given(year=_FIELD_TEXT, month=_FIELD_TEXT, day=_FIELD_TEXT, orcid=_FIELD_TEXT,
       title=_FIELD_TEXT, pages=_FIELD_TEXT, medline_date=_FIELD_TEXT)  # fmt: skip
def test_odd_field_values_never_raise(
    year: str, month: str, day: str, orcid: str, title: str, pages: str, medline_date: str
) -> None:
    def esc(text: str) -> str:
        return "".join(
            c if c.isprintable() and c not in "<>&\"'" else f"&#{ord(c)};"
            for c in text
            if c in "\t\n\r" or ord(c) >= 0x20
        )

    xml = (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><Journal>"
        f"<JournalIssue><PubDate><Year>{esc(year)}</Year><Month>{esc(month)}</Month>"
        f"<Day>{esc(day)}</Day></PubDate></JournalIssue></Journal>"
        f"<ArticleTitle>{esc(title)}</ArticleTitle><Pagination><MedlinePgn>{esc(pages)}"
        "</MedlinePgn></Pagination><AuthorList><Author><LastName>X</LastName>"
        f'<Identifier Source="ORCID">{esc(orcid)}</Identifier></Author></AuthorList>'
        f"<ArticleDate><MedlineDate>{esc(medline_date)}</MedlineDate></ArticleDate>"
        "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    found = _read_bytes(xml.encode("utf-8"))
    assert any(isinstance(item, Citation) for item in found)


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.xml*")))
def test_records_built_without_validation_are_valid(name: str) -> None:
    """The reader skips pydantic validation for speed; every record must validate as is."""
    for record in records_or_none(name):
        dumped = record.model_dump()
        assert Citation.model_validate(dumped).model_dump() == dumped
        assert Citation.model_validate_json(record.model_dump_json()) == record


def test_not_available_title_gives_way_to_the_vernacular_one() -> None:
    (record,) = records("not-available-title.xml")
    assert record.title == "Une étude sans titre anglais"
    assert record.original_title == "Une étude sans titre anglais"
    assert record.language == "fre"


def test_damaged_gzip_data_is_one_error() -> None:
    packed = bytearray((DATA / "gzip.xml.gz").read_bytes())
    for offset in range(12, len(packed) - 8, 7):
        packed[offset] ^= 0xFF
    found = _read_bytes(bytes(packed))
    assert found
    assert isinstance(found[-1], Diagnostic)
    assert found[-1].severity == "error"


def test_a_superscript_digit_as_the_year_keeps_the_record() -> None:
    """``'²'.isdigit()`` is true but ``int('²')`` raises: the record was skipped as bad."""
    xml = (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><Journal>"
        "<JournalIssue><PubDate><Year>²</Year><Month>²</Month></PubDate></JournalIssue>"
        "</Journal><ArticleTitle>A title.</ArticleTitle></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>"
    )
    found = _read_bytes(xml.encode("utf-8"))
    (citation,) = [item for item in found if isinstance(item, Citation)]
    assert citation.PMID == "1" and citation.issued is None
    assert any(isinstance(d, Diagnostic) and d.code == "bad-date" for d in found)


def test_a_cut_gzip_keeps_every_article_that_arrived_whole() -> None:
    fixture = (DATA / "collective-name.xml").read_text()
    start, end = fixture.index("<PubmedArticle>"), fixture.index("</PubmedArticleSet>")
    body = "".join(fixture[start:end].replace("20000301", str(20000000 + n)) for n in range(3000))
    packed = gzip.compress((fixture[:start] + body + fixture[end:]).encode())
    cut = packed[: len(packed) // 2]
    arrived = zlib.decompressobj(wbits=31).decompress(cut).count(b"</PubmedArticle>")
    found = _read_bytes(cut)
    assert len([c for c in found if isinstance(c, Citation)]) == arrived > 1000
    assert [d.code for d in found if isinstance(d, Diagnostic)] == ["bad-gzip"]
