"""The medline reader: the real PubMed exports field by field, one fixture per case, sniffing,
and arbitrary input that must never make it raise."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibkit.diagnostics import Diagnostic
from bibkit.io import Source
from bibkit.mappings import medline as table
from bibkit.model import Citation, PartialDate, RelationKind
from bibkit.pages import expand_range
from bibkit.readers import medline
from bibkit.readers.medline import read, sniff
from bibkit.registry import REGISTRY, ReadOptions
from bibkit.writers.csljson import to_csl

DATA = Path(__file__).parent.parent / "data" / "medline"


def items(name: str, options: ReadOptions | None = None) -> list[Citation | Diagnostic]:
    return list(read(Source.from_path(DATA / name), options or ReadOptions()))


def records(name: str) -> list[Citation]:
    found = [item for item in items(name) if isinstance(item, Citation)]
    assert found, f"{name} gave no records"
    return found


def diagnostics(name: str) -> list[Diagnostic]:
    return [item for item in items(name) if isinstance(item, Diagnostic)]


def read_bytes(data: bytes) -> list[Citation | Diagnostic]:
    return list(read(Source.from_bytes(data, name="input.nbib"), ReadOptions()))


# -- the real exports -----------------------------------------------------------------------


def test_one_record_export_as_csl_json_written_by_hand() -> None:
    (record,) = records("medline-1-record.nbib")
    assert to_csl(record) == {
        "type": "article-journal",
        "id": "pmid12230038",
        "title": "The Bio* toolkits--a brief overview",
        "author": [{"family": "Mangalam", "given": "Harry"}],
        "container-title": "Briefings in bioinformatics",
        "container-title-short": "Brief Bioinform",
        "journalAbbreviation": "Brief Bioinform",
        "issued": {"date-parts": [[2002, 9]]},
        "volume": "3",
        "issue": "3",
        "page": "296-302",
        "source": "PubMed",
        "PMID": "12230038",
        "language": "eng",
        "abstract": (
            "Bioinformatics research is often difficult to do with commercial software. The "
            "Open Source BioPerl, BioPython and Biojava projects provide toolkits with multiple "
            "functionality that make it easier to create customised pipelines or analysis. This "
            "review briefly compares the quirks of the underlying languages and the "
            "functionality, documentation, utility and relative advantages of the Bio "
            "counterparts, particularly from the point of view of the beginning biologist "
            "programmer."
        ),
        "ISSN": "1467-5463",
        "note": "PMID: 12230038",
        "custom": {
            "author_details": [
                {
                    "affiliations": ["tacg Informatics, Irvine, CA 92612, USA. hjm@tacgi.com"],
                    "initials": "H",
                }
            ],
            "mesh": [
                {"descriptor": "Computational Biology", "major": True},
                {"descriptor": "Computer Systems"},
                {"descriptor": "Humans"},
                {"descriptor": "Internet"},
                {"descriptor": "Programming Languages", "major": True},
                {"descriptor": "Software", "major": True},
                {"descriptor": "User-Computer Interface"},
            ],
            "publication_types": ["Journal Article"],
        },
    }
    assert record.provenance is not None
    assert (record.provenance.line, record.provenance.format) == (2, "medline")
    assert record.provenance.path.endswith("medline-1-record.nbib")
    assert not diagnostics("medline-1-record.nbib")


def test_four_record_export_first_record_field_by_field() -> None:
    first = records("medline-4-records.nbib")[0]
    csl = to_csl(first)
    expected = {
        "title": "A high level interface to SCOP and ASTRAL implemented in python",
        "author": [
            {"family": "Casbon", "given": "James A"},
            {"family": "Crooks", "given": "Gavin E"},
            {"family": "Saqi", "given": "Mansoor A S"},
        ],
        "container-title": "BMC bioinformatics",
        "container-title-short": "BMC Bioinformatics",
        "issued": {"date-parts": [[2006]]},
        "available-date": {"date-parts": [[2006, 1, 10]]},
        "volume": "7",
        "page": "10",
        "DOI": "10.1186/1471-2105-7-10",
        "PMID": "16403221",
        "PMCID": "PMC1373603",
        "ISSN": "1471-2105",
        "language": "eng",
    }
    assert {key: csl.get(key) for key in expected} == expected
    assert "issue" not in csl
    assert first.PII == "1471-2105-7-10"
    assert [a.initials for a in first.author] == ["JA", "GE", "MA"]
    assert first.author[0].affiliations == [
        "Bioinformatics, Institute of Cell and Molecular Science, School of Medicine and "
        "Dentistry, Queen Mary, University of London, London EC1 6BQ, UK. j.a.casbon@qmul.ac.uk"
    ]
    assert first.author[1].affiliations == first.author[2].affiliations == []
    assert first.publication_types == ["Evaluation Studies", "Journal Article"]
    assert first.abstract is not None
    paragraphs = first.abstract.split("\n")
    assert [p.split(":")[0] for p in paragraphs] == ["BACKGROUND", "RESULTS", "CONCLUSION"]
    assert paragraphs[0].endswith("construction of datasets from these resources.")
    assert "The ASTRAL compendium provides non redundant subsets" in paragraphs[0]
    assert paragraphs[2] == (
        "CONCLUSION: The modules make the analysis and generation of datasets for use in "
        "structural genomics easier and more principled."
    )
    info = first.mesh[2]
    assert (info.descriptor, info.major) == ("Information Storage and Retrieval", False)
    assert [(q.name, q.major) for q in info.qualifiers] == [("methods", True)]
    assert [m.descriptor for m in first.mesh if m.major] == [
        "Database Management Systems", "Databases, Protein", "Software",
        "User-Computer Interface",
    ]  # fmt: skip
    assert len(first.mesh) == 9


def test_four_record_export_the_other_records() -> None:
    _, diagram, cluster, pdb = records("medline-4-records.nbib")
    assert [r.provenance.line for r in records("medline-4-records.nbib") if r.provenance] == [
        2, 67, 127, 192,
    ]  # fmt: skip

    assert diagram.PMID == "16377612"
    assert diagram.title == (
        "GenomeDiagram: a python package for the visualization of large-scale genomic data"
    )
    assert diagram.issued == PartialDate(year=2006, month=3, day=1)
    assert diagram.available_date == PartialDate(year=2005, month=12, day=23)
    assert (diagram.volume, diagram.issue, diagram.page) == ("22", "5", "616-617")
    assert (diagram.DOI, diagram.PII) == ("10.1093/bioinformatics/btk021", "btk021")
    assert diagram.container_title == "Bioinformatics (Oxford, England)"
    assert diagram.abstract is not None
    assert [p.split(":")[0] for p in diagram.abstract.split("\n")] == [
        "SUMMARY", "AVAILABILITY", "SUPPLEMENTARY INFORMATION",
    ]  # fmt: skip

    assert cluster.PMID == "14871861"
    assert [(a.family, a.given, a.initials) for a in cluster.author] == [
        ("de Hoon", "M J L", "MJ"), ("Imoto", "S", "S"), ("Nolan", "J", "J"),
        ("Miyano", "S", "S"),
    ]  # fmt: skip
    assert cluster.page == "1453-1454"
    assert cluster.available_date == PartialDate(year=2004, month=2, day=10)
    assert cluster.DOI == "10.1093/bioinformatics/bth078"

    assert pdb.PMID == "14630660"
    assert pdb.page == "2308-2310"
    assert pdb.available_date is None
    assert pdb.DOI is None
    assert [(c.name, c.registry_number) for c in pdb.chemicals] == [
        ("Macromolecular Substances", None)
    ]
    both = pdb.mesh[3]
    assert both.descriptor == "Information Storage and Retrieval"
    assert [(q.name, q.major) for q in both.qualifiers] == [("methods", True), ("standards", True)]
    assert pdb.abstract is not None and "\n" not in pdb.abstract  # unstructured: one paragraph
    assert not diagnostics("medline-4-records.nbib")


# -- one fixture per case -------------------------------------------------------------------


def test_every_field() -> None:
    (record,) = records("every-field.nbib")
    assert record.title == "Cell Membrane-Coated Nanoparticles for the U.S."
    assert record.original_title == "Nanoparticules recouvertes de membranes cellulaires"
    assert record.ISSN == ["1999-4923", "2045-2322"]
    assert record.issued == PartialDate(year=2010, month=9, end=PartialDate(year=2010, month=10))
    assert record.available_date == PartialDate(year=2024, month=4, day=12)
    assert record.page == "148-152"
    assert record.DOI == "10.3390/pharmaceutics16040531"
    assert record.PII == "531"  # the LID wins over the AID
    assert (record.PMCID, record.MID) == ("PMC11055162", "NIHMS1234567")
    assert record.language == "eng"
    assert record.keyword == ["biomimetic", "cell membrane", "drug delivery"]
    assert record.conflict_of_interest == "The authors declare no conflicts of interest."
    assert record.note == "Supplementary data are available online."
    assert record.abstract == "Short abstract text.\n(c) 2024 by the authors."
    assert record.status is None

    zhang, berg, carpenter = record.author
    assert (zhang.family, zhang.given, zhang.orcid) == ("Zhang", "Shu", "0000-0002-1825-009X")
    assert zhang.affiliations == [
        "School of Pharmacy, Example University, Shanghai 200000, China.",
        "Second Institute, Beijing, China.",
    ]
    assert (berg.family, berg.given, berg.suffix, berg.initials, berg.orcid) == (
        "van der Berg", "Jean-Paul", "Jr", "JP", "0000-0002-1825-0097",
    )  # fmt: skip
    assert (carpenter.given, carpenter.suffix, carpenter.initials) == ("William T", "Jr", "WT")

    assert [g.model_dump(exclude_none=True) for g in record.grants] == [
        {"id": "R01 GM123456", "acronym": "GM", "agency": "NIGMS NIH HHS",
         "country": "United States"},
        {"id": "088158/Z/09/Z", "acronym": "WT_", "agency": "Wellcome Trust",
         "country": "United Kingdom"},
        {"id": "24K23757", "agency": "KAKENHI"},
        {"agency": "Wellcome Trust", "country": "United Kingdom"},
    ]  # fmt: skip
    assert [(c.name, c.registry_number) for c in record.chemicals] == [
        ("Macromolecular Substances", None),
        ("DNA", "9007-49-2"),
        ("Plasminogen Activators (tissue-type)", "EC 3.4.21.-"),
    ]
    nano = record.mesh[1]
    assert (nano.descriptor, nano.major) == ("Nanoparticles", True)
    assert [(q.name, q.major) for q in nano.qualifiers] == [
        ("chemistry", False), ("therapeutic use", True),
    ]  # fmt: skip

    kinds = [r.kind for r in record.relations]
    assert kinds == [
        RelationKind.COMMENT_IN, RelationKind.ERRATUM_IN, RelationKind.RETRACTION_OF,
        RelationKind.UPDATE_OF, RelationKind.ASSOCIATED_DATA,
    ]  # fmt: skip
    comment, erratum, retraction, update, trial = record.relations
    assert (
        comment.text == "Lancet. 2004 Oct 2-8;364(9441):1230-1; author reply 1231. PMID: 15464170"
    )
    assert comment.citation.PMID == "15464170"
    assert comment.citation.container_title_short == "Lancet"
    assert comment.citation.issued == PartialDate(
        year=2004, month=10, day=2, end=PartialDate(year=2004, month=10, day=8)
    )
    assert (comment.citation.volume, comment.citation.issue) == ("364", "9441")
    assert erratum.citation.PMID == "38931943"  # the PMID was on a continuation line
    assert erratum.citation.DOI == "10.3390/pharmaceutics16060760"
    assert (erratum.citation.volume, erratum.citation.issue, erratum.citation.page) == (
        "16", "6", "760",
    )  # fmt: skip
    assert retraction.citation.page == "1-2"
    assert update.citation.PMID == "19588310"
    assert (trial.citation.type, trial.citation.archive, trial.citation.archive_location) == (
        "dataset", "ClinicalTrials.gov", "NCT01234567",
    )  # fmt: skip


def test_unknown_and_unkept_tags_are_reported_not_fatal() -> None:
    problems = diagnostics("every-field.nbib")
    assert [(p.code, p.field, p.line, p.severity) for p in problems] == [
        ("field-not-carried", "XYZ", 75, "warning"),
        ("field-not-carried", "OAB", 76, "warning"),
    ]


def test_unknown_tags_are_reported_once_per_file() -> None:
    found = items("unknown-tags.nbib")
    assert [type(i).__name__ for i in found] == ["Diagnostic", "Diagnostic", "Citation", "Citation"]
    problems = diagnostics("unknown-tags.nbib")
    assert [(p.field, p.line) for p in problems] == [("QQQ", 3), ("GS", 4)]
    assert "gene symbol" in problems[1].message


def test_date_forms_and_abbreviated_pages() -> None:
    months, season, day, from_source = records("date-forms.nbib")
    assert months.issued == PartialDate(year=2010, month=9, end=PartialDate(year=2010, month=10))
    assert months.page == "1065-1080"
    assert season.issued == PartialDate(year=2009, season=1)
    assert season.page == "S56-S61"
    assert day.issued == PartialDate(year=2024, month=4, day=12)
    assert day.page == "360-361, table of contents"
    # No DP, TA, VI, IP or PG: the SO line supplies them.
    assert from_source.container_title_short == "J Biol Chem"
    assert from_source.issued == PartialDate(
        year=1998, month=12, day=15, end=PartialDate(year=1998, month=12, day=21)
    )
    assert (from_source.volume, from_source.issue, from_source.page) == ("273", "51", "34000-34005")


def test_each_part_of_a_pagination_is_expanded() -> None:
    """``12-4; author reply 14-5`` was left as written: page 12 to page 4."""
    letter, article = records("paginated-parts.nbib")
    assert letter.page == "1230-1231; author reply 1231-1233"
    assert letter.related(RelationKind.COMMENT_IN)[0].page == "119-120; discussion 120-121"
    assert article.page == "55-61; discussion 61-62; quiz 63"


def test_continuation_lines() -> None:
    (record,) = records("continuation-lines.nbib")
    assert record.title == (
        "A title long enough that PubMed wraps it onto a second line and then onto a third"
    )
    assert record.abstract == (
        "First line of the abstract ends with a space and continues here;\ta tab stays inside"
        " the text. An odd continuation indented with a tab. Another with four spaces only."
    )
    assert record.author[0].affiliations == [
        "Department of Something, A University With A Long Name, Some City, Some Country."
    ]
    assert not diagnostics("continuation-lines.nbib")


def test_crlf_line_ends() -> None:
    first, second = records("crlf.nbib")
    assert b"\r\n" in (DATA / "crlf.nbib").read_bytes()
    assert first.title == "Windows line ends continued"
    assert (first.author[0].family, first.author[0].given) == ("Doe", "Jane")
    assert first.issued == PartialDate(year=2021, month=1)
    assert second.PMID == "20000003"
    assert [r.provenance.line for r in (first, second) if r.provenance] == [1, 8]


def test_group_author_keeps_its_place_among_the_authors() -> None:
    (record,) = records("group-author.nbib")
    assert [(a.family, a.literal) for a in record.author] == [
        ("Horby", None), (None, "RECOVERY Collaborative Group"), ("Lim", None),
    ]  # fmt: skip
    assert record.author[1].is_collective
    assert record.author[0].affiliations == [
        "Nuffield Department of Medicine, University of Oxford, Oxford, UK."
    ]
    assert to_csl(record)["author"][1] == {"literal": "RECOVERY Collaborative Group"}


def test_investigators_are_kept_apart_from_authors() -> None:
    (record,) = records("investigators.nbib")
    assert [a.display() for a in record.author] == ["Example Trial Investigators", "Author First"]
    smith, garcia = record.investigators
    assert (smith.family, smith.given, smith.initials) == ("Smith", "John", "J")
    assert smith.affiliations == ["Hospital One, City, Country."]
    assert (garcia.given, garcia.initials, garcia.orcid) == (
        "Maria Luisa", "ML", "0000-0001-5109-3700",
    )  # fmt: skip
    assert garcia.affiliations == ["Hospital Two, City, Country.", "Hospital Three, City, Country."]


def test_structured_abstract_keeps_its_labels() -> None:
    (record,) = records("structured-abstract.nbib")
    assert record.abstract == (
        "BACKGROUND: In patients with mild asthma, as-needed use is an alternative to daily"
        " therapy.\n"
        "METHODS AND RESULTS: We conducted a 52-week, double-blind trial (P<0.001). The rate"
        " was 0.20 vs. 0.07.\n"
        "CONCLUSIONS: As-needed use was superior. (Funded by AstraZeneca; SYGMA1"
        " ClinicalTrials.gov number, NCT02149199.)\n"
        "Copyright (c) 2018 Massachusetts Medical Society."
    )


def test_ahead_of_print() -> None:
    (record,) = records("ahead-of-print.nbib")
    assert record.status == "ahead-of-print"
    assert record.available_date == PartialDate(year=2024, month=9, day=12)  # from PHST
    assert record.issued == PartialDate(year=2024, month=9, day=12)
    assert record.page == "e202400410"  # the e-locator, as there is no PG
    assert record.DOI == "10.1002/cmdc.202400410"
    assert to_csl(record)["status"] == "ahead-of-print"


def test_a_broken_record_in_the_middle_is_reported_and_reading_resumes() -> None:
    found = items("broken-record.nbib")
    assert [r.PMID for r in found if isinstance(r, Citation)] == ["11111111", "22222222"]
    problems = [(d.line, d.severity, d.code) for d in found if isinstance(d, Diagnostic)]
    assert problems == [
        (5, "error", "not-a-record"),
        (8, "error", "bad-pmid"),
        (13, "warning", "bad-line"),
    ]
    last = [r for r in found if isinstance(r, Citation)][-1]
    assert last.provenance is not None and last.provenance.line == 11
    assert last.issued == PartialDate(year=2021)


def test_records_without_blank_lines_between_them() -> None:
    found = records("glued-records.nbib")
    assert [(r.PMID, r.provenance.line if r.provenance else None) for r in found] == [
        ("40000001", 1), ("40000002", 4), ("40000003", 8),
    ]  # fmt: skip
    assert [r.title for r in found] == [
        "First record", "Second record, no blank line before it",
        "Third record, after a line of spaces",
    ]  # fmt: skip


def test_book_chapter() -> None:
    (chapter,) = records("book-chapter.nbib")
    assert chapter.type == "chapter"
    assert chapter.title == "Alpha-Thalassemia"
    assert chapter.container_title == "GeneReviews(R)"
    assert (chapter.publisher, chapter.publisher_place) == (
        "University of Washington, Seattle", "Seattle (WA)",
    )  # fmt: skip
    assert [e.display() for e in chapter.editor] == ["Margaret P Adam", "Jerry Feldman"]
    assert [a.family for a in chapter.author] == ["Tamary"]
    assert (chapter.archive, chapter.archive_location) == ("NCBI Bookshelf", "NBK1435")
    assert chapter.publication_types == ["Review", "Book Chapter"]


def test_whole_book() -> None:
    (book,) = records("whole-book.nbib")
    assert book.type == "book"
    assert book.title == "Dietary Reference Intakes for Calcium and Vitamin D"
    assert book.container_title is None
    assert (book.edition, book.ISBN) == ("2nd", "9780309163941")
    assert book.collection_title is not None and book.collection_title.startswith("The National")
    assert [a.literal for a in book.author] == ["Institute of Medicine (US) Committee"]
    assert book.publisher_place == "Washington (DC)"


def test_not_available_title_falls_back_to_the_original_title() -> None:
    (record,) = records("not-available-title.nbib")
    assert record.title == record.original_title == "Uber die Behandlung der Krankheit"


def test_affiliation_before_the_authors_belongs_to_the_first_author() -> None:
    (record,) = records("old-affiliation.nbib")
    mangalam, de_hoon = record.author
    assert (mangalam.family, mangalam.given, mangalam.initials) == ("Mangalam", "H", "H")
    assert mangalam.affiliations == ["tacg Informatics, Irvine, CA 92612, USA."]
    assert (de_hoon.family, de_hoon.given, de_hoon.affiliations) == ("de Hoon", "M J", [])


def test_bad_values_are_warnings_at_their_line() -> None:
    problems = diagnostics("bad-values.nbib")
    assert [(p.line, p.code, p.field) for p in problems] == [
        (4, "bad-date", "available_date"),
        (7, "bad-orcid", "author"),
        (8, "identifier-not-carried", "author"),
        (9, "bad-identifier", "DOI"),
        (10, "affiliation-not-carried", "investigators"),
    ]
    first, second = records("bad-values.nbib")
    assert first.available_date == PartialDate(year=2020, literal="20200231")
    assert first.author[0].orcid is None
    assert second.PMID == "50000002"


def test_strict_mode_rejects_a_record_with_problems() -> None:
    found = items("bad-values.nbib", ReadOptions(strict=True))
    assert [r.PMID for r in found if isinstance(r, Citation)] == ["50000002"]
    assert all(d.severity == "error" for d in found if isinstance(d, Diagnostic))


# -- sniffing -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.nbib")))
def test_every_fixture_sniffs_as_medline(name: str) -> None:
    source = Source.from_path(DATA / name)
    head = source.head()
    if not head.lstrip().startswith("PMID"):
        pytest.skip("fixture does not start with a record")
    assert sniff(head) == medline.SNIFF_SCORE
    found = REGISTRY.detect(source)
    assert not isinstance(found, Diagnostic), found
    assert found.name == "medline"


@pytest.mark.parametrize(
    "head",
    [
        "Cell membrane coated nanoparticles\n- PMID: 38675192\n- PMCID: PMC11055162\n",
        '<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle>PMID- 1</PubmedArticle>\n',
        "TY  - JOUR\nTI  - A title\nAN  - PMID- 123\nER  - \n",
        "@article{a,\n  title = {T},\n  note = {\nPMID- 123}\n}\n",
        '[{"id": "a", "PMID": "38675192"}]',
        "just prose\nwith PMID: 123 in it\n",
        "",
    ],
)
def test_sniff_refuses_other_formats(head: str) -> None:
    assert sniff(head) == 0


def test_sniff_finds_a_record_after_leading_blank_lines_and_a_bom() -> None:
    assert sniff("\ufeff\n\nPMID- 12230038\nOWN - NLM\n") == medline.SNIFF_SCORE


def test_a_txt_export_is_detected_by_content() -> None:
    data = (DATA / "medline-1-record.nbib").read_bytes()
    found = REGISTRY.detect(Source.from_bytes(data, name="pubmed-export.txt"))
    assert not isinstance(found, Diagnostic) and found.name == "medline"


# -- the tag table --------------------------------------------------------------------------


def test_every_tag_is_in_exactly_one_table() -> None:
    tables = [
        set(table.TEXT_TAGS), set(table.LIST_TAGS), set(table.RELATION_TAGS),
        set(table.STRUCTURED_TAGS), set(table.ADMINISTRATIVE_TAGS), set(table.NOT_KEPT_TAGS),
    ]  # fmt: skip
    every = [tag for tags in tables for tag in tags]
    assert len(every) == len(set(every))
    assert all(1 < len(tag) <= 4 and tag.isupper() for tag in every)


def test_text_tags_name_model_fields() -> None:
    fields = set(Citation.model_fields)
    assert set(table.TEXT_TAGS.values()) <= fields
    assert set(table.LIST_TAGS.values()) <= fields
    assert set(table.ID_KINDS.values()) <= fields


# -- robustness -----------------------------------------------------------------------------


@pytest.mark.parametrize("chunk", [1, 7, 64, 1000])
def test_records_cut_across_read_blocks_read_the_same(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["medline-4-records.nbib", "glued-records.nbib", "broken-record.nbib", "crlf.nbib"]
    expected = {name: items(name) for name in names}
    monkeypatch.setattr(medline, "CHUNK_CHARS", chunk)
    for name in names:
        assert items(name) == expected[name], name


def test_a_record_that_never_ends_is_skipped_with_bounded_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(medline, "CHUNK_CHARS", 100)
    monkeypatch.setattr(medline, "MAX_RECORD_CHARS", 1000)
    data = b"PMID- 1\nTI  - Endless.\n" + b"AB  - " + b"x" * 5000 + b"\n\nPMID- 2\nTI  - Next.\n"
    found = read_bytes(data)
    assert [(d.code, d.line) for d in found if isinstance(d, Diagnostic)] == [
        ("record-too-long", 1)
    ]
    (record,) = [r for r in found if isinstance(r, Citation)]
    assert (record.PMID, record.title) == ("2", "Next")
    assert record.provenance is not None and record.provenance.line == 5


_TAGS = sorted(
    {*table.TEXT_TAGS, *table.LIST_TAGS, *table.RELATION_TAGS, *table.STRUCTURED_TAGS, "XYZ"}
)
_LINE = st.one_of(
    st.builds(
        lambda tag, value: f"{tag.ljust(4)}- {value}",
        st.sampled_from(_TAGS),
        st.text(st.characters(blacklist_categories=["Cs"]), max_size=40),
    ),
    st.text(max_size=30).map(lambda text: "      " + text),
    st.just(""),
    st.text(max_size=20),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, max_size=30), st.sampled_from(["\n", "\r\n", "\r"]))
def test_medline_like_lines_never_raise(lines: list[str], newline: str) -> None:
    text = newline.join(["PMID- 1", *lines])
    for item in read_bytes(text.encode("utf-8", errors="replace")):
        if isinstance(item, Citation):
            assert item.provenance is not None and item.provenance.format == "medline"
        else:
            assert item.path == "input.nbib"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    read_bytes(data)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=4000), st.binary(max_size=50))
def test_damaged_real_export_never_raises(at: int, junk: bytes) -> None:
    real = (DATA / "medline-4-records.nbib").read_bytes()
    found = read_bytes(real[:at] + junk + real[at:])
    assert any(isinstance(item, Citation) for item in found) or at < 10


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_the_page_fast_path_agrees_with_expand_range(first: int, last: int) -> None:
    text = f"{first}-{last}"
    assert medline._pages(text) == expand_range(text)


def test_gzip_is_read_and_a_damaged_stream_is_an_error_not_a_crash() -> None:
    real = (DATA / "medline-4-records.nbib").read_bytes()
    packed = gzip.compress(real)
    assert [r.PMID for r in read_bytes(packed) if isinstance(r, Citation)] == [
        "16403221", "16377612", "14871861", "14630660",
    ]  # fmt: skip
    damaged = packed[:40] + bytes(b ^ 0x5A for b in packed[40:80]) + packed[80:]
    found = read_bytes(damaged)
    problems = [d for d in found if isinstance(d, Diagnostic)]
    assert problems and problems[-1].code == "bad-gzip" and problems[-1].is_error


def test_every_fixture_gives_valid_csl_json() -> None:
    schema = json.loads(
        (
            Path(__file__).parent.parent.parent / "bibkit" / "data" / "csl-data.schema.json"
        ).read_text()
    )
    found = [
        to_csl(r) for name in sorted(p.name for p in DATA.glob("*.nbib")) for r in records(name)
    ]
    assert len(found) == 32
    jsonschema.validate(found, schema)


def test_a_superscript_digit_in_a_compact_date_keeps_the_record() -> None:
    """``'²'.isdigit()`` is true but ``int('²')`` raises: the record was skipped as bad."""
    found = read_bytes("PMID- 1\nTI  - A title.\nDEP - 2006011²\n".encode())
    (citation,) = [item for item in found if isinstance(item, Citation)]
    assert citation.PMID == "1"
    assert citation.available_date is not None and citation.available_date.literal
    assert any(isinstance(d, Diagnostic) and d.code == "bad-date" for d in found)


# -- the identity scan (pass one of large conversions) --------------------------------------


def _scanned(source: Source) -> list[tuple[str | None, str | None]]:
    return list(medline.identities(source))


def _read_identities(source: Source) -> list[tuple[str | None, str | None]]:
    return [
        (item.PMID, item.DOI) for item in read(source, ReadOptions()) if isinstance(item, Citation)
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.nbib")))
def test_the_identity_scan_gives_what_the_reader_reads(name: str) -> None:
    source = Source.from_path(DATA / name)
    assert _scanned(source) == _read_identities(source)


def test_the_identity_scan_takes_the_doi_from_the_source_line_as_the_reader_does() -> None:
    data = b"PMID- 7\nTI  - T.\nSO  - J Test. 2020;1(2):3-4. doi: 10.1/SO-x.\n"
    source = Source.from_bytes(data, name="input.nbib")
    assert _scanned(source) == _read_identities(source) == [("7", "10.1/SO-x")]


_ID_LINE = st.one_of(
    _LINE,
    st.builds(
        lambda tag, gap, value, kind: f"{tag}{gap}-{value} [{kind}]",
        st.sampled_from(["LID", "AID", "LID ", "AID ", "PMID", "SO  ", "DP  ", "TA  "]),
        st.sampled_from(["", " ", "  "]),
        st.sampled_from([" 10.1/a", " 10.1/B", "10.2/c", " ", " x y", " 10.1/a\n      b"]),
        st.sampled_from(["doi", "pii", " doi ", "doi"]),
    ),
    st.sampled_from(["PMID- 2", "PMID-  3", "PMID- x", "PMID- ", "DP  - 2020 Jan",
                     "SO  - J. 2020;1:2. doi: 10.9/so.", "TA  - J", "   odd continuation"]),
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_ID_LINE, max_size=12), min_size=1, max_size=4), st.booleans())
def test_the_identity_scan_agrees_with_the_reader_on_any_record(
    records: list[list[str]], pmid_first: bool
) -> None:
    """Twins are found in pass one by the scan and merged in pass two by what the reader
    read: the two must agree record for record, whatever the lines."""
    head = ["PMID- 1"] if pmid_first else []
    text = "\n\n".join("\n".join([*head, *lines]) for lines in records)
    source = Source.from_bytes(text.encode("utf-8", errors="replace"), name="input.nbib")
    assert _scanned(source) == _read_identities(source)


def test_repeated_mesh_headings_are_one_frozen_value(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"PMID- 1\nMH  - *Humans/genetics\n\nPMID- 2\nMH  - *Humans/genetics\nMH  - Mice\n"
    first, second = [r for r in read_bytes(data) if isinstance(r, Citation)]
    assert first.mesh[0] is second.mesh[0]
    assert first.mesh[0].descriptor == "Humans" and first.mesh[0].major
    assert [(q.name, q.major) for q in first.mesh[0].qualifiers] == [("genetics", False)]
    with pytest.raises(ValueError):
        first.mesh[0].descriptor = "Changed"
    monkeypatch.setattr(medline, "_MESH_CACHE_SIZE", 1)
    monkeypatch.setattr(medline, "_MESH_HEADINGS", {})
    read_bytes(data)
    assert len(medline._MESH_HEADINGS) <= 1


def test_a_cut_gzip_keeps_every_record_that_arrived_whole() -> None:
    """The text layer drops what it decoded in a read that fails, so the failure comes on the
    read after: the records in the last block before the cut are kept."""
    real = (DATA / "medline-4-records.nbib").read_text(encoding="utf-8").strip()
    text = "\n\n".join(real.replace("PMID- 1", f"PMID- {n}1", 1) for n in range(4000)) + "\n"
    packed = gzip.compress(text.encode("utf-8"))
    cut = packed[: len(packed) // 2]
    arrived = zlib.decompressobj(wbits=31).decompress(cut).decode("utf-8", "ignore")
    whole = arrived[: arrived.rindex("\n\n")].count("PMID- ")
    found = read_bytes(cut)
    assert len([r for r in found if isinstance(r, Citation)]) == whole > 4000
    assert [d.code for d in found if isinstance(d, Diagnostic) and d.is_error] == ["bad-gzip"]


def test_plain_records_are_scanned_without_the_builder() -> None:
    plain = (
        "PMID- 5\nDP  - 2020 Jan\nTI  - T.\nLID - 10.1/x [pii]\nLID - 10.1/Y [doi]\n"
        "AID - 10.1/z [doi]\nTA  - J\nSO  - J. 2020;1:2. doi: 10.9/so."
    )
    assert medline._plain_identities(plain) == ("5", "10.1/Y")
    source = Source.from_bytes(plain.encode(), name="input.nbib")
    assert _scanned(source) == _read_identities(source) == [("5", "10.1/Y")]
    for odd in (
        plain.replace("TA  - J\n", ""),  # the DOI may come from the source line
        plain.replace("LID - 10.1/Y [doi]", "LID - 10.1/Y\n      [doi]"),  # continued
        plain.replace("LID - 10.1/Y [doi]", "LID -10.1/Y [doi]"),  # spacing
        plain.replace("PMID- 5", "PMID- 5\n      6"),
    ):
        assert medline._plain_identities(odd) is None, odd
        source = Source.from_bytes(odd.encode(), name="input.nbib")
        assert _scanned(source) == _read_identities(source)
