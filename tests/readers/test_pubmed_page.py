"""The pubmed-page reader against one real dump and one fixture per variation of the format."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibkit.diagnostics import Diagnostic
from bibkit.io import Source
from bibkit.model import Citation, RelationKind
from bibkit.readers.pubmed_page import read, sniff
from bibkit.registry import REGISTRY, ReadOptions

DATA = Path(__file__).resolve().parent.parent / "data" / "pubmed_page"
SEED = DATA / "real_seed.txt"


def read_all(source: Source, strict: bool = False) -> tuple[list[Citation], list[Diagnostic]]:
    citations: list[Citation] = []
    diagnostics: list[Diagnostic] = []
    for record in read(source, ReadOptions(strict=strict)):
        if isinstance(record, Citation):
            citations.append(record)
        else:
            diagnostics.append(record)
    return citations, diagnostics


def read_fixture(name: str) -> tuple[Citation, list[Diagnostic]]:
    citations, diagnostics = read_all(Source.from_path(DATA / name))
    assert len(citations) == 1, diagnostics
    return citations[0], diagnostics


def missing_fields(diagnostics: list[Diagnostic]) -> set[str | None]:
    return {d.field for d in diagnostics if d.code == "missing-field"}


# --- the real seed -------------------------------------------------------------------------

SEED_RELATED = [
    # kind, journal, issued (y, m, d), volume, issue, page, DOI, PMID, epub (y, m, d) or None
    (RelationKind.SIMILAR, "ChemMedChem", (2024, 11, 18), "19", "22", "e202400410",
     "10.1002/cmdc.202400410", "39264862", (2024, 9, 12)),
    (RelationKind.SIMILAR, "J Drug Target", (2023, 12), "31", "10", "1065-1080",
     "10.1080/1061186X.2023.2283838", "37962304", (2023, 11, 29)),
    (RelationKind.SIMILAR, "Curr Pharm Des", (2024, 3, 1), None, None, None,
     "10.2174/0113816128295414240221063434", "38441015", None),
    (RelationKind.SIMILAR, "J Control Release", (2022, 5), "345", None, "744-754",
     "10.1016/j.jconrel.2022.03.060", "35381274", (2022, 4, 2)),
    (RelationKind.SIMILAR, "J Photochem Photobiol B", (2023, 12), "249", None, "112813",
     "10.1016/j.jphotobiol.2023.112813", "37977004", (2023, 11, 8)),
    (RelationKind.CITED_BY, "Mater Today Bio", (2025, 5, 27), "32", None, "101914",
     "10.1016/j.mtbio.2025.101914", "40520563", None),
    (RelationKind.CITED_BY, "Polymers (Basel)", (2025, 6, 16), "17", "12", "1670",
     "10.3390/polym17121670", "40574198", None),
    (RelationKind.CITED_BY, "Bioeng Transl Med", (2025, 2, 26), "10", "4", "e70006",
     "10.1002/btm2.70006", "40708975", None),
    (RelationKind.CITED_BY, "Mater Today Bio", (2025, 7, 12), "33", None, "102077",
     "10.1016/j.mtbio.2025.102077", "40697323", None),
    (RelationKind.CITED_BY, "Mater Today Bio", (2025, 4, 5), "32", None, "101726",
     "10.1016/j.mtbio.2025.101726", "40270890", None),
]  # fmt: skip


def test_seed_main_article() -> None:
    citation, _ = read_fixture("real_seed.txt")
    assert citation.title == "Cell Membrane-Coated Biomimetic Nanoparticles in Cancer Treatment"
    assert citation.PMID == "38675192"
    assert citation.PMCID == "PMC11055162"
    assert citation.DOI == "10.3390/pharmaceutics16040531"
    assert citation.abstract is not None
    assert citation.abstract.startswith("Nanoparticle-based drug delivery systems hold promise")
    assert citation.abstract.endswith("avenue for personalized tumor therapy.")
    assert "\n" not in citation.abstract
    assert citation.keyword == [
        "biomimetic",
        "cell membrane-coated nanoparticles",
        "drug delivery",
        "tumor targeting",
    ]
    assert citation.conflict_of_interest == "The authors declare no conflicts of interest."
    assert [(g.id, g.agency) for g in citation.grants] == [
        ("81872220", "National Natural Science Foundation of China"),
        ("81703437", "National Natural Science Foundation of China"),
        ("LTGY24H160007", "Basic Public Welfare Research Project of Zhejiang Province"),
        ("LGF18H160034", "Basic Public Welfare Research Project of Zhejiang Province"),
        ("LGF20H300012", "Basic Public Welfare Research Project of Zhejiang Province"),
    ]
    assert citation.publication_types == []
    assert citation.mesh == []
    assert citation.provenance is not None
    assert (citation.provenance.line, citation.provenance.format) == (1, "pubmed-page")
    assert citation.provenance.path.endswith("real_seed.txt")


def test_seed_never_invents_authors_journal_or_year() -> None:
    citation, diagnostics = read_fixture("real_seed.txt")
    assert citation.author == []
    assert citation.container_title is None and citation.container_title_short is None
    assert citation.issued is None
    assert missing_fields(diagnostics) == {"author", "container_title", "issued"}
    assert all(d.severity == "warning" and d.line == 1 for d in diagnostics)


@pytest.mark.parametrize("index", range(len(SEED_RELATED)))
def test_seed_related_entry(index: int) -> None:
    citation, _ = read_fixture("real_seed.txt")
    kind, journal, issued, volume, issue, page, doi, pmid, epub = SEED_RELATED[index]
    relation = citation.relations[index]
    related = relation.citation
    assert relation.kind == kind
    assert related.container_title_short == journal
    assert related.issued is not None and tuple(related.issued.parts()) == issued
    assert (related.volume, related.issue, related.page) == (volume, issue, page)
    assert (doi, pmid) == (related.DOI, related.PMID)
    if epub is None:
        assert related.available_date is None
    else:
        assert related.available_date is not None
        assert tuple(related.available_date.parts()) == epub
    assert related.title and not related.title.endswith(".")
    assert relation.text is not None and f"PMID: {pmid}" in relation.text
    assert related.provenance is not None and related.provenance.line == 31 + 2 * index + (
        index >= 5
    )


def test_seed_relation_counts_and_flags() -> None:
    citation, _ = read_fixture("real_seed.txt")
    assert len(citation.related(RelationKind.SIMILAR)) == 5
    assert len(citation.related(RelationKind.CITED_BY)) == 5
    by_pmid = {c.PMID: c for c in citation.related()}
    assert by_pmid["38441015"].status == "ahead-of-print"
    assert by_pmid["39264862"].publication_types == ["Review"]
    assert by_pmid["40574198"].publication_types == ["Review"]  # after "Free PMC article."
    assert by_pmid["35381274"].publication_types == []
    assert by_pmid["40520563"].note == "eCollection 2025 Jun"
    assert all(c.status is None for p, c in by_pmid.items() if p != "38441015")
    assert by_pmid["39264862"].title == (
        "Biomimetic Cell Membrane-Coated Nanoparticles for Cancer Theranostics"
    )


@pytest.mark.parametrize("name", ["bom_crlf.txt", "trailing_whitespace.txt"])
def test_encoding_and_whitespace_variants_read_like_the_seed(name: str) -> None:
    seed, seed_diagnostics = read_fixture("real_seed.txt")
    variant, diagnostics = read_fixture(name)

    def comparable(citation: Citation) -> dict[str, Any]:
        return citation.model_dump(exclude={"provenance": True}, mode="json") | {
            "relations": [
                r.model_dump(exclude={"citation": {"provenance"}, "text": True}, mode="json")
                for r in citation.relations
            ]
        }

    assert comparable(variant) == comparable(seed)
    assert [r.text.strip() for r in variant.relations if r.text] == [
        r.text for r in seed.relations if r.text
    ]
    assert [(d.line, d.code) for d in diagnostics] == [(d.line, d.code) for d in seed_diagnostics]


def test_bom_file_really_starts_with_a_bom_and_crlf() -> None:
    raw = (DATA / "bom_crlf.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw


# --- one fixture per variation ---------------------------------------------------------------

EXPECTED: dict[str, dict[str, Any]] = {
    "author_block_journal_line.txt": {
        "title": "Cell Membrane-Coated Biomimetic Nanoparticles in Cancer Treatment",
        "container_title_short": "Pharmaceutics",
        "issued": [2024, 4, 12],
        "volume": "16",
        "issue": "4",
        "page": "531",
        "DOI": "10.3390/pharmaceutics16040531",
        "PMID": "38675192",
        "PMCID": "PMC11055162",
        "authors": ["Zhang, Shu", "Zhang, Xiaojuan", "Gao, Huan", "Sun, Lining", "Ba, Benjamin"],
        "publication_types": ["Review"],
        "missing": set(),
    },
    "browser_copy_split_lines.txt": {
        "container_title_short": "Pharmaceutics",
        "issued": [2024, 4, 12],
        "volume": "16",
        "issue": "4",
        "page": "531",
        "DOI": "10.3390/pharmaceutics16040531",
        "PMID": "38675192",
        "PMCID": "PMC11055162",
        "authors": ["Zhang, Shu", "Zhang, Xiaojuan", "Gao, Huan"],
        "keyword": ["biomimetic", "drug delivery"],
        "related": 2,
        "missing": set(),
    },
    "main_ahead_of_print.txt": {
        "container_title_short": "Curr Pharm Des",
        "issued": [2024, 3, 1],
        "status": "ahead-of-print",
        "volume": None,
        "page": None,
        "DOI": "10.2174/0113816128295414240221063434",
        "authors": ["Chen, Wei", "Liu, Mingyue", "Wang, Yan"],
        "missing": set(),
    },
    "collective_author.txt": {
        "container_title_short": "N Engl J Med",
        "issued": [2021, 2, 25],
        "available_date": [2020, 7, 17],
        "page": "693-704",
        "authors": [
            "RECOVERY Collaborative Group",
            "Horby, Peter",
            "Lim, Wei Shen",
            "Emberson, Jonathan R",
            "Landray, Martin J",
        ],
        "publication_types": ["Clinical Trial", "Multicenter Study", "Randomized Controlled Trial"],
        "missing": set(),
    },
    "non_ascii.txt": {
        "title": "[Management of arterial hypertension in the elderly: what is new in 2023?]",
        "container_title_short": "Rev Med Suisse",
        "issued": [2023, 3, 15],
        "page": "512-516",
        "authors": [
            "Dupré, Jean-François",
            "Lefèvre, Anaïs",
            "Müller, Jörg",
            "Wiśniewski, Łukasz",
            "van der Berg, Ana María",
        ],
        "keyword": ["hypertension artérielle", "personne âgée", "β-bloquants"],
        "missing": set(),
    },
    "structured_abstract_inline.txt": {
        "abstract_labels": ["BACKGROUND:", "METHODS:", "RESULTS:", "CONCLUSIONS:", "Copyright"],
        "missing": {"author", "container_title", "issued"},
    },
    "structured_abstract_own_lines.txt": {
        "abstract_labels": ["Background:", "Results:", "Conclusion:"],
        "PMCID": "PMC1373603",
        "publication_types": ["Evaluation Studies"],
        "missing": {"author", "container_title", "issued"},
    },
    "no_abstract.txt": {
        "abstract": None,
        "publication_types": ["Editorial", "Comment"],
        "related": 1,
        "missing": {"author", "container_title", "issued"},
    },
    "empty_sections.txt": {
        "title": "Open source clustering software",
        "abstract": None,
        "conflict_of_interest": None,
        "keyword": [],
        "related": 0,
        "grants": [],
        "missing": {"author", "container_title", "issued"},
    },
    "mesh_substances_pubtypes.txt": {
        "publication_types": [
            "Clinical Trial, Phase III",
            "Comparative Study",
            "Multicenter Study",
            "Randomized Controlled Trial",
            "Research Support, Non-U.S. Gov't",
        ],
        "related": 1,
        "missing": {"author", "container_title", "issued"},
    },
    "grants_variants.txt": {
        "grants": [
            ("81872220", "National Natural Science Foundation of China", None, None),
            ("R01 CA204020", "NCI NIH HHS", "CA", "United States"),
            ("MR/K006584/1", "Medical Research Council", "MRC", "United Kingdom"),
            (None, "Wellcome Trust", None, "United Kingdom"),
            (None, "National Key Research and Development Program of China", None, None),
        ],
        "missing": {"author", "container_title", "issued"},
    },
}


def _date(value: Any) -> list[int] | None:
    return None if value is None else value.parts()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_fields(name: str) -> None:
    citation, diagnostics = read_fixture(name)
    expected = dict(EXPECTED[name])
    assert missing_fields(diagnostics) == expected.pop("missing")
    for key, value in expected.items():
        if key == "authors":
            assert [p.literal or f"{p.family}, {p.given}" for p in citation.author] == value
        elif key == "related":
            assert len(citation.relations) == value
        elif key == "abstract_labels":
            assert citation.abstract is not None
            paragraphs = citation.abstract.split("\n")
            assert [p.split(" ")[0] for p in paragraphs] == value
        elif key == "grants":
            assert [(g.id, g.agency, g.acronym, g.country) for g in citation.grants] == value
        elif key in ("issued", "available_date"):
            assert _date(getattr(citation, key)) == value
        else:
            assert getattr(citation, key) == value, key


def test_affiliations_follow_their_numbers() -> None:
    citation, _ = read_fixture("author_block_journal_line.txt")
    first, second, *_, fourth, _fifth = citation.author
    assert first.affiliations == [
        "School of Pharmacy, Hangzhou Medical College, Hangzhou 310013, China.",
        "Department of Pharmacy, Zhejiang Provincial People's Hospital, Hangzhou 310014, China.",
    ]
    assert second.affiliations == first.affiliations[1:]
    assert fourth.family == "Sun" and fourth.affiliations == [
        "Center for Clinical Pharmacy, Affiliated People's Hospital, Hangzhou Medical College, "
        "Hangzhou 310014, China."
    ]


def test_affiliation_numbers_on_their_own_lines() -> None:
    citation, diagnostics = read_fixture("browser_copy_split_lines.txt")
    assert citation.author[0].affiliations[0].startswith("School of Pharmacy")
    assert citation.author[2].affiliations == [
        "Department of Pharmacy, Zhejiang Provincial People's Hospital, Hangzhou 310014, China."
    ]
    assert diagnostics == []  # "expand", "Free PMC article", "See all …" are page furniture


def test_collective_author_is_literal_and_unsplit() -> None:
    citation, _ = read_fixture("collective_author.txt")
    group = citation.author[0]
    assert group.literal == "RECOVERY Collaborative Group"
    assert group.family is None and group.given is None and group.affiliations == []
    assert [g.id for g in citation.grants] == ["MC_PC_19056", "MR/V028979/1", None]


def test_structured_abstract_keeps_labels_and_copyright() -> None:
    citation, _ = read_fixture("structured_abstract_inline.txt")
    assert citation.abstract is not None
    paragraphs = citation.abstract.split("\n")
    assert paragraphs[0].startswith("BACKGROUND: In patients with mild asthma")
    assert paragraphs[-1] == "Copyright © 2018 Massachusetts Medical Society."
    assert citation.conflict_of_interest == (
        "Dr. O'Byrne reports receiving grant support and lecture fees from AstraZeneca.\n"
        "Dr. Reddel reports receiving advisory board fees from AstraZeneca and GlaxoSmithKline."
    )
    own_lines, _ = read_fixture("structured_abstract_own_lines.txt")
    assert own_lines.abstract is not None
    assert own_lines.abstract.split("\n")[1] == (
        "Results: We have designed a set of python modules to provide an abstraction of the SCOP "
        "and ASTRAL databases. The modules are designed to work as part of the Biopython "
        "distribution."
    )


def test_mesh_terms_substances_and_associated_data() -> None:
    citation, _ = read_fixture("mesh_substances_pubtypes.txt")
    mesh = {h.descriptor: h for h in citation.mesh}
    assert list(mesh)[:3] == ["Administration, Inhalation", "Adolescent", "Asthma"]
    assert len(mesh) == 8  # two lines each for Bronchodilator Agents and Budesonide
    assert not mesh["Asthma"].major
    assert [(q.name, q.major) for q in mesh["Asthma"].qualifiers] == [("drug therapy", True)]
    assert [(q.name, q.major) for q in mesh["Budesonide"].qualifiers] == [
        ("administration & dosage", True),
        ("adverse effects", False),
    ]
    assert mesh["Glucocorticoids"].major
    assert [q.name for q in mesh["Glucocorticoids"].qualifiers] == ["therapeutic use"]
    assert mesh["Humans"].qualifiers == [] and not mesh["Humans"].major
    assert [c.name for c in citation.chemicals] == [
        "Bronchodilator Agents",
        "Drug Combinations",
        "Glucocorticoids",
        "Budesonide",
        "Terbutaline",
        "Formoterol Fumarate",
    ]
    (data,) = citation.relations
    assert data.kind == RelationKind.ASSOCIATED_DATA
    assert (data.citation.type, data.citation.publisher, data.citation.title) == (
        "dataset",
        "ClinicalTrials.gov",
        "NCT02149199",
    )


def test_comment_and_erratum_entries() -> None:
    citation, diagnostics = read_fixture("comment_erratum.txt")
    kinds = [(r.kind, r.citation.PMID) for r in citation.relations]
    assert kinds == [
        (RelationKind.COMMENT_IN, "29768146"),
        (RelationKind.COMMENT_IN, "30242404"),
        (RelationKind.ERRATUM_IN, "29897851"),
    ]
    erratum = citation.relations[2].citation
    assert (
        erratum.title
        == "Correction: Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma"
    )
    assert (erratum.volume, erratum.issue, erratum.page) == ("378", "24", "2345")
    assert citation.relations[1].citation.page == "JC31"
    assert all(r.citation.publication_types == [] for r in citation.relations)
    assert {d.code for d in diagnostics} == {"missing-field"}


def test_no_abstract_available_is_no_abstract() -> None:
    citation, _ = read_fixture("no_abstract.txt")
    assert citation.abstract is None
    (comment_on,) = citation.relations
    assert comment_on.kind == RelationKind.COMMENT_ON
    assert comment_on.citation.page == "1865-1876"


RELATED_TITLES = [
    ("Trends in lung cancer incidence in the U.S.", "J Natl Cancer Inst", "33030001"),
    ("Long-term PM2.5 exposure and respiratory mortality in China: a national cohort study",
     "Environ Int", "37100002"),
    ("Sulfonylureas vs. metformin as first-line therapy: is the cardiovascular risk different?",
     "Diabetes Care", "34700001"),
    ("Stop smoking now!", "Lancet Respir Med", "32000001"),
    ("[Air pollution and cardiovascular diseases: the role of fine particles]", "Herz", "31300001"),
    ("Ozone, PM10, and PM2.5: what do the 2021 WHO guidelines change for Europe? A review",
     "Environ Res", "36100001"),
]  # fmt: skip


def test_related_titles_with_periods_questions_and_brackets() -> None:
    citation, _ = read_fixture("related_title_punctuation.txt")
    got = [(c.title, c.container_title_short, c.PMID) for c in citation.related()]
    assert got == RELATED_TITLES
    herz = citation.related()[4]
    assert herz.language == "de" and herz.publication_types == []


SUMMARY_VARIANTS = [
    # PMID, issued, end of a date range, volume, issue, page, status, publication types
    ("37962304", [2023, 12], None, "31", "10", "1065-1080", None, ["Review"]),
    ("20852177", [2010, 9], [2010, 10], "34", "5", "S56-S61", None, []),
    ("37191001", [2023, 5, 17], None, "329", "19", "1635-1646", None, ["Review"]),
    ("39264862", [2024, 11, 18], None, "19", "22", "e202400410", None, ["Review"]),
    ("9558795", [1998], None, "17", "2", "360-361, table of contents", None, []),
    ("38441015", [2024, 3, 1], None, None, None, None, "ahead-of-print", []),
    ("40520563", [2025, 5, 27], None, "32", None, "101914", None, []),
    ("11027818", [2000, 12], [2001, 1], "19", "4-5", "538-545", None, []),
    ("38200001", [2024], None, None, None, None, "ahead-of-print", []),
    ("40574198", [2025, 6, 16], None, "17", "12", "1670", None, ["Review"]),
]  # fmt: skip


@pytest.mark.parametrize("index", range(len(SUMMARY_VARIANTS)))
def test_summary_date_and_page_variants(index: int) -> None:
    citation, diagnostics = read_fixture("summary_date_page_variants.txt")
    pmid, issued, end, volume, issue, page, status, types = SUMMARY_VARIANTS[index]
    related = citation.related()[index]
    assert pmid == related.PMID
    assert related.issued is not None and related.issued.parts() == issued
    assert (related.issued.end.parts() if related.issued.end else None) == end
    assert (related.volume, related.issue, related.page) == (volume, issue, page)
    assert related.status == status
    assert related.publication_types == types
    assert {d.code for d in diagnostics} == {"missing-field"}


def test_spring_issue_keeps_its_season() -> None:
    citation, _ = read_fixture("summary_date_page_variants.txt")
    assert citation.related()[4].issued is not None
    assert citation.related()[4].issued.season == 1


def test_references_keep_unparsed_text_and_warn() -> None:
    citation, diagnostics = read_fixture("references_section.txt")
    first, second = citation.relations
    assert first.kind == second.kind == RelationKind.REFERENCES
    assert first.citation.title == "The Bio* toolkits--a brief overview"
    assert first.citation.page == "296-302"
    assert second.citation.DOI == "10.1093/nar/28.1.235"
    assert second.citation.title is None  # not guessed from an author-style reference
    assert second.text is not None and second.text.startswith("Berman HM")
    partial = [d for d in diagnostics if d.code == "partial-entry"]
    assert len(partial) == 1 and partial[0].line == 11


def test_truncated_page_keeps_what_is_complete() -> None:
    citation, diagnostics = read_fixture("truncated_mid_section.txt")
    assert citation.PMID == "38675192"
    assert [c.PMID for c in citation.related()] == ["39264862", "37962304"]
    cut = [d for d in diagnostics if d.code == "unparsed-entry"]
    assert len(cut) == 1 and cut[0].line == 35 and "Curr Pharm" in cut[0].message
    assert citation.grants == []


def test_not_a_dump_yields_one_error() -> None:
    citations, diagnostics = read_all(Source.from_path(DATA / "not_a_dump.txt"))
    assert citations == []
    assert len(diagnostics) == 1
    assert diagnostics[0].severity == "error" and diagnostics[0].code == "not-a-dump"


def test_unreadable_input_is_an_error_not_an_exception(tmp_path: Path) -> None:
    citations, diagnostics = read_all(Source.from_path(tmp_path / "gone.txt"))
    assert citations == [] and [d.code for d in diagnostics] == ["unreadable"]
    citations, diagnostics = read_all(Source.from_bytes(b"\x1f\x8b\x08\x00broken gzip"))
    assert citations == [] and [d.severity for d in diagnostics] == ["error"]


def test_strict_mode_turns_warnings_into_errors_and_rejects_the_record() -> None:
    citations, diagnostics = read_all(Source.from_path(SEED), strict=True)
    assert citations == []
    assert {d.code for d in diagnostics} == {"missing-field"}
    assert all(d.severity == "error" for d in diagnostics)
    citations, diagnostics = read_all(
        Source.from_path(DATA / "author_block_journal_line.txt"), strict=True
    )
    assert len(citations) == 1 and diagnostics == []


# --- sniffing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", sorted(p.name for p in DATA.glob("*.txt") if p.name != "not_a_dump.txt")
)
def test_sniff_recognizes_every_dump(name: str) -> None:
    assert sniff(Source.from_path(DATA / name).head()) == 60


OTHER_FORMATS = {
    "not a dump": (DATA / "not_a_dump.txt").read_text(encoding="utf-8"),
    "medline": "PMID- 12230038\nOWN - NLM\nSTAT- MEDLINE\nTI  - The Bio* toolkits--a brief "
    "overview.\nAB  - Abstract\n",
    "xml": '<?xml version="1.0"?>\n<PubmedArticleSet>\n<PubmedArticle>\n<PMID Version="1">'
    "29768149</PMID>\n",
    "bibtex": "@article{zhang2024cell,\n  title = {Cell Membrane-Coated},\n"
    "  pmid = {38675192}\n}\n",
    "ris": "TY  - JOUR\nTI  - Cell Membrane-Coated\nM2  - PMID: 38675192\nER  - \n",
    "json": '[{"id": "a", "PMID": "38675192", "title": "Abstract"}]',
    "json object": '{"items": []}',
    "empty": "",
    "paper full text": "Biomimetic nanoparticles\nAbstract\nWe review coatings.\nKeywords: "
    "biomimetic.\n1. Introduction\nText.\nReferences\n1. Zhang S. Pharmaceutics. 2024.\n",
}


@pytest.mark.parametrize("name", sorted(OTHER_FORMATS))
def test_sniff_rejects_other_formats(name: str) -> None:
    assert sniff(OTHER_FORMATS[name]) == 0


def test_page_without_id_lines_is_known_by_its_headings() -> None:
    text = "\n".join(SEED.read_text(encoding="utf-8").splitlines()[5:])  # from "Abstract" on
    assert sniff(text) == 60
    citations, diagnostics = read_all(Source.from_bytes(text.encode()))
    assert len(citations) == 1 and citations[0].PMID is None
    assert len(citations[0].relations) == 10
    assert missing_fields(diagnostics) == {"author", "container_title", "issued", "title"}


def test_no_abstract_badge_of_a_related_entry_keeps_the_main_abstract() -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "Cited by\n", "Cited by\nNo abstract available\n"
    )
    (citation,) = read_all(Source.from_bytes(text.encode()))[0]
    assert citation.abstract is not None and citation.abstract.startswith("Nanoparticle-based")


def test_header_reports_what_it_does_not_understand() -> None:
    text = (DATA / "author_block_journal_line.txt").read_text(encoding="utf-8")
    text = text.replace(
        "Shu Zhang 1 2, Xiaojuan Zhang 2, Huan Gao 2, Lining Sun 3, Benjamin Ba 2",
        "Shu Zhang 1 2, Xiaojuan Zhang 2, …\nSupported by a travel award.",
    )
    (citation,), diagnostics = read_all(Source.from_bytes(text.encode()))
    assert [p.family for p in citation.author] == ["Zhang", "Zhang"]
    codes = {(d.code, d.line) for d in diagnostics}
    assert ("truncated-authors", 4) in codes
    assert ("unrecognized-line", 5) in codes
    assert "Supported by a travel award." not in citation.model_dump_json()


def test_keywords_as_a_list_section() -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "Keywords: biomimetic; cell membrane-coated nanoparticles; drug delivery; tumor targeting.",
        "Keywords\n- biomimetic\n- drug delivery",
    )
    (citation,), _ = read_all(Source.from_bytes(text.encode()))
    assert citation.keyword == ["biomimetic", "drug delivery"]
    assert citation.conflict_of_interest == "The authors declare no conflicts of interest."


def test_registry_detects_the_seed_as_a_page_dump() -> None:
    spec = REGISTRY.detect(Source.from_path(SEED))
    assert not isinstance(spec, Diagnostic) and spec.name == "pubmed-page"


# --- speed ---------------------------------------------------------------------------------


def _long_dump(entries: int) -> bytes:
    seed = SEED.read_text(encoding="utf-8")
    head, _, tail = seed.partition("Cited by\n")
    lines = [line for line in seed.splitlines() if "PMID: " in line and not line.startswith("-")]
    body = "".join(f"-\n{lines[i % len(lines)]}\n" for i in range(entries))
    return f"{head}Cited by\n{body}{tail}".encode()


def test_reading_time_grows_linearly() -> None:
    timings = []
    for entries in (200, 2000):
        data = _long_dump(entries)
        started = time.perf_counter()
        (*_, citation) = read(Source.from_bytes(data), ReadOptions())
        timings.append(time.perf_counter() - started)
        assert isinstance(citation, Citation) and len(citation.relations) == entries + 10
    # Ten times the entries: ~10x the time when linear, ~100x when quadratic.
    assert timings[1] < 30 * timings[0] + 0.5


# --- robustness ----------------------------------------------------------------------------

_FRAGMENTS = [
    line
    for line in SEED.read_text(encoding="utf-8").splitlines()
    + (DATA / "author_block_journal_line.txt").read_text(encoding="utf-8").splitlines()
    + (DATA / "mesh_substances_pubtypes.txt").read_text(encoding="utf-8").splitlines()
] + ["-", "", "Affiliations", "1", "Keywords:", "BACKGROUND:", "PMID: ", ". 2024", "doi:"]

_line = st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=40))
dump_like = st.lists(_line, max_size=40).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=400), dump_like))
def test_no_text_makes_read_raise(text: str) -> None:
    for encoding in ("utf-8", "utf-16"):
        source = Source.from_bytes(text.encode(encoding, "surrogatepass"))
        records = list(read(source, ReadOptions()))
        citations = [r for r in records if isinstance(r, Citation)]
        assert len(citations) <= 1
        if not citations:
            assert [r.severity for r in records if isinstance(r, Diagnostic)] == ["error"]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_no_bytes_make_read_raise(data: bytes) -> None:
    for record in read(Source.from_bytes(data), ReadOptions()):
        assert isinstance(record, Citation | Diagnostic)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_sniff_never_raises(text: str) -> None:
    assert sniff(text) in (0, 60)
