"""PubMed's one-line summaries: where the title ends, and every detail after the journal."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibkit.readers.pubmed_summary import (
    clean_title,
    expand_pages,
    parse_details,
    parse_summary,
)

CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "Biomimetic Cell Membrane-Coated Nanoparticles for Cancer Theranostics.ChemMedChem. "
        "2024 Nov 18;19(22):e202400410. doi: 10.1002/cmdc.202400410. Epub 2024 Sep 12. "
        "ChemMedChem. 2024. PMID: 39264862 Review.",
        {
            "title": "Biomimetic Cell Membrane-Coated Nanoparticles for Cancer Theranostics",
            "container_title_short": "ChemMedChem",
            "issued": [2024, 11, 18],
            "available_date": [2024, 9, 12],
            "volume": "19",
            "issue": "22",
            "page": "e202400410",
            "DOI": "10.1002/cmdc.202400410",
            "PMID": "39264862",
            "publication_types": ["Review"],
        },
    ),
    (
        "Trends in lung cancer incidence in the U.S.J Natl Cancer Inst. 2021 Mar 1;113(3):"
        "270-9. J Natl Cancer Inst. 2021. PMID: 33030001",
        {
            "title": "Trends in lung cancer incidence in the U.S.",
            "container_title_short": "J Natl Cancer Inst",
            "page": "270-279",
            "DOI": None,
        },
    ),
    (
        "Is PM2.5 a cause of dementia?Environ Health Perspect. 2023 May 17;131(5):57001. "
        "doi: 10.1289/EHP11234. Environ Health Perspect. 2023. PMID: 37191002 Free PMC article.",
        {
            "title": "Is PM2.5 a cause of dementia?",
            "container_title_short": "Environ Health Perspect",
            "issued": [2023, 5, 17],
            "publication_types": [],
        },
    ),
    (
        "[Fine particles and the heart].Herz. 2019 Sep;44(6):511-517. Herz. 2019. "
        "PMID: 31300001 Review. German.",
        {
            "title": "[Fine particles and the heart]",
            "container_title_short": "Herz",
            "language": "de",
            "publication_types": ["Review"],
        },
    ),
    (
        # The journal abbreviation appears inside the title too; the glued, dated one counts.
        "Cell biology of the Cell cycle.Cell. 2020 Jan 9;180(1):1-3. Cell. 2020. PMID: 31900001",
        {"title": "Cell biology of the Cell cycle", "container_title_short": "Cell"},
    ),
    (
        "Quality of care in rural hospitals.Health Aff (Millwood). 1998 Spring;17(2):360-1, "
        "table of contents. Health Aff (Millwood). 1998. PMID: 9558795",
        {
            "container_title_short": "Health Aff (Millwood)",
            "issued": [1998],
            "page": "360-361, table of contents",
        },
    ),
    (
        "Nutritional support.J Parenter Enteral Nutr. 2010 Sep-Oct;34(5 Suppl):S56-61. "
        "J Parenter Enteral Nutr. 2010. PMID: 20852177",
        {"issue": "5 Suppl", "page": "S56-S61", "issued": [2010, 9]},
    ),
    (
        "Short note.Cell. 2020. PMID: 31111111",
        {"title": "Short note", "container_title_short": "Cell", "issued": [2020], "page": None},
    ),
    (
        "Machine learning for sepsis prediction.Crit Care Med. 2024. doi: 10.1097/CCM.0000000000006"
        "100. Online ahead of print. Crit Care Med. 2024. PMID: 38200001",
        {"status": "ahead-of-print", "DOI": "10.1097/CCM.0000000000006100", "issued": [2024]},
    ),
    (
        "IL-15 vaccine.Mater Today Bio. 2025 May 27;32:101914. doi: 10.1016/j.mtbio.2025.101914. "
        "eCollection 2025 Jun. Mater Today Bio. 2025. PMID: 40520563 Free PMC article.",
        {"note": "eCollection 2025 Jun", "volume": "32", "issue": None, "available_date": None},
    ),
    (
        "Erythrocyte nanosystems.J Control Release. 2022 May;345:744-754. doi: 10.1016/j.jconrel"
        ".2022.03.060. Epub 2022 Apr 2. J Control Release. 2022. PMID: 35381274",
        {"DOI": "10.1016/j.jconrel.2022.03.060", "available_date": [2022, 4, 2]},
    ),
]


def _value(citation: Any, key: str) -> Any:
    value = getattr(citation, key)
    if key in ("issued", "available_date") and value is not None:
        return value.parts()
    return value


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[1].get("title", "") for c in CASES])
def test_summary_entries(text: str, expected: dict[str, Any]) -> None:
    entry = parse_summary(text)
    assert entry.complete
    for key, value in expected.items():
        assert _value(entry.citation, key) == value, key


def test_entry_without_pmid_tail_is_partial_but_keeps_what_is_sure() -> None:
    entry = parse_summary(
        "Global cancer statistics 2020.CA Cancer J Clin. 2021 May;71(3):209-249. "
        "doi: 10.3322/caac.21660. Epub 2021 Feb 4."
    )
    assert not entry.complete
    citation = entry.citation
    assert citation.title == "Global cancer statistics 2020"
    assert citation.container_title_short == "CA Cancer J Clin"
    assert (citation.volume, citation.issue, citation.page) == ("71", "3", "209-249")
    assert citation.DOI == "10.3322/caac.21660"


def test_author_style_reference_gives_only_identifiers() -> None:
    entry = parse_summary(
        "Berman HM, Westbrook J. The Protein Data Bank. Nucleic Acids Res. 2000;28:235-242. "
        "doi: 10.1093/nar/28.1.235. PMID: 10592235."
    )
    assert not entry.complete
    assert entry.citation.title is None
    assert (entry.citation.DOI, entry.citation.PMID) == ("10.1093/nar/28.1.235", "10592235")


@pytest.mark.parametrize(
    "text",
    ["", "-", "Biomimetic Cell Membrane-Coated Nanoparticles.ChemMed", "PMID: 12", ". 2024. PMID:"],
)
def test_cut_entries_invent_nothing(text: str) -> None:
    citation = parse_summary(text).citation
    assert citation.title is None or "ChemMed" not in citation.title
    assert citation.container_title_short is None
    assert citation.issued is None


@pytest.mark.parametrize(
    ("text", "issued", "volume", "issue", "page", "rest"),
    [
        ("2024 Apr 12;16(4):531. doi: 10.3390/pharmaceutics16040531.", [2024, 4, 12], "16", "4",
         "531", None),
        ("2023 Dec;31(10):1065-80.", [2023, 12], "31", "10", "1065-1080", None),
        ("2024 Mar 1. doi: 10.2174/0113.", [2024, 3, 1], None, None, None, None),
        ("2021;71:209-49.", [2021], "71", None, "209-249", None),
        ("2015 Jan;(1):12-4. Print 2015 Jan.", [2015, 1], None, "1", "12-14", "Print 2015 Jan"),
    ],
)  # fmt: skip
def test_details(
    text: str,
    issued: list[int],
    volume: str | None,
    issue: str | None,
    page: str | None,
    rest: str | None,
) -> None:
    details = parse_details(text)
    assert details.issued is not None and details.issued.parts() == issued
    assert (details.volume, details.issue, details.page) == (volume, issue, page)
    assert (details.notes or [None]) == [rest]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Cancer in the U.S.", "Cancer in the U.S."),
        ("Smith vs.", "Smith vs."),
        ("A plain title.", "A plain title"),
        ("[Bracketed translation].", "[Bracketed translation]"),
        ("Why?", "Why?"),
        ("  spaced   out  ", "spaced out"),
        ("", None),
    ],
)
def test_clean_title(raw: str, clean: str | None) -> None:
    assert clean_title(raw) == clean


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parse_summary_never_raises(text: str) -> None:
    entry = parse_summary(text)
    if entry.citation.PMID is not None:
        assert entry.citation.PMID.isdigit()


@pytest.mark.parametrize(
    "text",
    [
        "A. " * 1300 + "Title.J. 2020. PMID: 1",
        "a.b" * 1300 + ". 2020. PMID: 1",
        "x. " * 20000 + "PMID: 1",
    ],
)
def test_pathological_lines_stay_fast(text: str) -> None:
    started = time.perf_counter()
    parse_summary(text)
    assert time.perf_counter() - started < 0.5  # about 2 ms each; quadratic work would show


@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("1065-80", "1065-1080"),
        ("12-4; author reply 14-5", "12-14; author reply 14-15"),
        ("1-10; discussion 11-2", "1-10; discussion 11-12"),
        ("S56-61; quiz S62", "S56-S61; quiz S62"),
        ("360-1, table of contents; 362-4", "360-361, table of contents; 362-364"),
        ("e123; author reply e124", "e123; author reply e124"),
        ("iii-iv; 1-5", "iii-iv; 1-5"),
    ],
)
def test_each_part_of_a_pubmed_pagination_is_expanded(text: str, full: str) -> None:
    assert expand_pages(text) == full
