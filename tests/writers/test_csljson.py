"""CSL-JSON writer: schema-valid output, Zotero's extra keys, extras under ``custom``."""

from __future__ import annotations

import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bibkit.diagnostics import Diagnostic
from bibkit.mappings import csl as csl_table
from bibkit.model import (
    Chemical,
    Citation,
    Grant,
    MeshHeading,
    MeshQualifier,
    PartialDate,
    Person,
    Provenance,
    Relation,
    RelationKind,
)
from bibkit.registry import WriteOptions
from bibkit.writers.csljson import to_csl, write

SCHEMA = json.loads(
    resources.files("bibkit").joinpath("data/csl-data.schema.json").read_text("utf-8")
)
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


def seed_like() -> Citation:
    """The seed's main article as the PubMed page reader builds it, plus a browser-copied
    author block (affiliations) and the journal line, so every writer field is exercised."""
    return Citation(
        id="zhang2024cellmembrane",
        title="Cell Membrane-Coated Biomimetic Nanoparticles in Cancer Treatment",
        author=[
            Person(family="Zhang", given="Shu", initials="S", affiliations=["Zhejiang Univ."]),
            Person(family="Zhang", given="Xiaojuan", orcid="0000-0002-1825-0097"),
        ],
        container_title="Pharmaceutics",
        container_title_short="Pharmaceutics",
        issued=PartialDate(year=2024, month=4, day=12),
        available_date=PartialDate(year=2024, month=4, day=12),
        volume="16",
        issue="4",
        page="531",
        DOI="10.3390/pharmaceutics16040531",
        PMID="38675192",
        PMCID="PMC11055162",
        ISSN=["1999-4923"],
        language="eng",
        abstract="Nanoparticle-based drug delivery systems hold promise for cancer treatment.\n"
        "© 2024 by the authors.",
        keyword=[
            "biomimetic",
            "cell membrane-coated nanoparticles",
            "drug delivery",
            "tumor targeting",
        ],
        conflict_of_interest="The authors declare no conflicts of interest.",
        grants=[
            Grant(id="81872220", agency="National Natural Science Foundation of China"),
            Grant(id="LGF20H300012", agency="Basic Public Welfare Research Project of Zhejiang"),
        ],
        publication_types=["Journal Article", "Review"],
        mesh=[
            MeshHeading(
                descriptor="Nanoparticles",
                major=True,
                qualifiers=[MeshQualifier(name="chemistry", major=True)],
            )
        ],
        chemicals=[Chemical(name="Antineoplastic Agents", registry_number="0")],
        relations=[
            Relation(
                kind=RelationKind.SIMILAR,
                citation=Citation(
                    title="Biomimetic Cell Membrane-Coated Nanoparticles for Cancer Theranostics.",
                    container_title_short="ChemMedChem",
                    issued=PartialDate(year=2024, month=11, day=18),
                    available_date=PartialDate(year=2024, month=9, day=12),
                    volume="19",
                    issue="22",
                    page="e202400410",
                    DOI="10.1002/cmdc.202400410",
                    PMID="39264862",
                ),
                text="Biomimetic Cell Membrane-Coated Nanoparticles for Cancer Theranostics."
                "ChemMedChem. 2024 Nov 18;19(22):e202400410.",
            )
        ],
        provenance=Provenance(path="seeds/000.txt", line=1, format="pubmed-page"),
    )


def written(citations: list[Citation]) -> tuple[str, list[Diagnostic]]:
    out = io.StringIO()
    diagnostics: list[Diagnostic] = []
    write(citations, out, WriteOptions(), diagnostics.append)
    return out.getvalue(), diagnostics


def assert_valid(document: Any) -> None:
    errors = [e.message for e in VALIDATOR.iter_errors(document)]
    assert errors == []


def test_seed_like_citation_is_schema_valid_and_complete() -> None:
    text, diagnostics = written([seed_like()])
    data = json.loads(text)
    assert_valid(data)
    assert diagnostics == []
    (item,) = data
    assert item["type"] == "article-journal"
    assert item["id"] == "zhang2024cellmembrane"
    assert item["container-title"] == "Pharmaceutics"
    assert item["container-title-short"] == item["journalAbbreviation"] == "Pharmaceutics"
    assert item["issued"] == {"date-parts": [[2024, 4, 12]]}
    assert item["available-date"] == {"date-parts": [[2024, 4, 12]]}
    assert (item["volume"], item["issue"], item["page"]) == ("16", "4", "531")
    assert item["DOI"] == "10.3390/pharmaceutics16040531"
    assert (item["PMID"], item["PMCID"]) == ("38675192", "PMC11055162")
    assert item["note"] == "PMID: 38675192\nPMCID: PMC11055162"
    assert item["ISSN"] == "1999-4923"
    assert item["keyword"] == (
        "biomimetic, cell membrane-coated nanoparticles, drug delivery, tumor targeting"
    )
    assert item["author"] == [
        {"family": "Zhang", "given": "Shu"},
        {"family": "Zhang", "given": "Xiaojuan"},
    ]
    custom = item["custom"]
    assert custom["author_details"] == [
        {"affiliations": ["Zhejiang Univ."], "initials": "S"},
        {"orcid": "0000-0002-1825-0097"},
    ]
    assert custom["grants"][0] == {
        "id": "81872220",
        "agency": "National Natural Science Foundation of China",
    }
    assert custom["mesh"] == [
        {
            "descriptor": "Nanoparticles",
            "major": True,
            "qualifiers": [{"name": "chemistry", "major": True}],
        }
    ]
    assert custom["publication_types"] == ["Journal Article", "Review"]
    assert custom["conflict_of_interest"].startswith("The authors declare")
    (relation,) = custom["relations"]
    assert relation["kind"] == "similar"
    assert "id" not in relation["item"]
    assert relation["item"]["page"] == "e202400410"
    assert relation["item"]["journalAbbreviation"] == "ChemMedChem"
    assert "keywords" not in custom  # the comma-joined keyword string splits back exactly


def test_output_is_utf8_not_ascii_escaped_and_pretty_printed() -> None:
    citation = Citation(
        id="x", title="Ångström β-cells: São Paulo", author=[Person(family="Müller")]
    )
    text, _ = written([citation])
    assert "Ångström β-cells: São Paulo" in text
    assert "\\u" not in text
    assert text.startswith('[\n  {\n    "type"')
    assert text.endswith("\n]\n")


def test_empty_input_writes_an_empty_array() -> None:
    text, _ = written([])
    assert json.loads(text) == []


def test_items_are_streamed_one_at_a_time() -> None:
    out = io.StringIO()
    seen: list[int] = []

    def citations() -> Any:
        for n in range(3):
            seen.append(len(out.getvalue()))
            yield Citation(id=f"k{n}", title=f"T{n}")

    write(citations(), out, WriteOptions(), lambda d: None)
    assert seen[0] == 0 and seen[1] > 0 and seen[2] > seen[1]
    assert [i["id"] for i in json.loads(out.getvalue())] == ["k0", "k1", "k2"]


def test_title_markup_is_kept_as_csl_rich_text() -> None:
    title = "Effect of <i>Escherichia coli</i> on Ca<sup>2+</sup> & CO<sub>2</sub>"
    item = to_csl(Citation(id="m", title=title))
    assert item["title"] == title


def test_names_with_particles_suffix_and_group_author() -> None:
    item = to_csl(
        Citation(
            id="n",
            author=[
                Person(family="Beethoven", given="Ludwig", non_dropping_particle="van"),
                Person(family="Gaulle", given="Charles", dropping_particle="de", suffix="Jr"),
                Person(literal="World Health Organization"),
            ],
            editor=[Person(family="Doe", given="J")],
        )
    )
    assert_valid([item])
    assert item["author"] == [
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
        {"family": "Gaulle", "given": "Charles", "dropping-particle": "de", "suffix": "Jr"},
        {"literal": "World Health Organization"},
    ]
    assert item["editor"] == [{"family": "Doe", "given": "J"}]
    assert "custom" not in item


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (PartialDate(year=2023), {"date-parts": [[2023]]}),
        (PartialDate(year=2023, month=12), {"date-parts": [[2023, 12]]}),
        (
            PartialDate(year=2010, month=9, end=PartialDate(year=2010, month=10)),
            {"date-parts": [[2010, 9], [2010, 10]]},
        ),
        (PartialDate(year=2009, season=1), {"date-parts": [[2009]], "season": 1}),
        (PartialDate(literal="in press"), {"literal": "in press"}),
        (
            PartialDate(year=2001, literal="2001 Early Winter"),
            {"date-parts": [[2001]], "literal": "2001 Early Winter"},
        ),
    ],
)
def test_dates(date: PartialDate, expected: dict[str, Any]) -> None:
    item = to_csl(Citation(id="d", issued=date))
    assert_valid([item])
    assert item["issued"] == expected


def test_ahead_of_print_status_and_epub_date() -> None:
    item = to_csl(
        Citation(
            id="a",
            status="ahead-of-print",
            issued=PartialDate(year=2024, month=3, day=1),
            available_date=PartialDate(year=2024, month=3, day=1),
        )
    )
    assert item["status"] == "ahead-of-print"
    assert item["available-date"] == {"date-parts": [[2024, 3, 1]]}


def test_keywords_with_commas_are_also_kept_as_a_list() -> None:
    item = to_csl(Citation(id="k", keyword=["cancer, breast", "BRCA1"]))
    assert item["keyword"] == "cancer, breast, BRCA1"
    assert item["custom"]["keywords"] == ["cancer, breast", "BRCA1"]


def test_several_issns_are_joined() -> None:
    item = to_csl(Citation(id="i", ISSN=["1999-4923", "1999-4924"]))
    assert item["ISSN"] == "1999-4923, 1999-4924"
    assert "custom" not in item


def test_existing_note_is_kept_after_id_lines_without_duplicates() -> None:
    item = to_csl(Citation(id="n", PMID="1", PMCID="PMC2", note="Reviewed.\nPMID: 1"))
    assert item["note"] == "PMCID: PMC2\nReviewed.\nPMID: 1"


def test_type_not_in_csl_becomes_document_and_is_kept_in_custom() -> None:
    item = to_csl(Citation(id="t", type="hologram"))
    assert_valid([item])
    assert item["type"] == "document"
    assert item["custom"]["bibkit_type"] == "hologram"
    preprint = to_csl(Citation(id="p", type="preprint"))
    assert (preprint["type"], preprint["custom"]["bibkit_type"]) == ("article", "preprint")


def test_missing_key_gets_a_stable_id() -> None:
    first = to_csl(Citation(title="No key here"))
    again = to_csl(Citation(title="No key here"))
    assert first["id"] == again["id"] and first["id"].startswith("item-")
    assert to_csl(Citation(PMID="123"))["id"] == "pmid123"


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("book", {"publisher": "Springer", "publisher_place": "Cham", "ISBN": "9783030000000",
                  "edition": "2", "number_of_pages": "320"}),
        ("chapter", {"container_title": "Handbook", "editor": [Person(family="Ed")],
                     "publisher": "Wiley", "page": "1-20", "chapter_number": "3"}),
        ("thesis", {"genre": "PhD thesis", "publisher": "Univ. of Oslo"}),
        ("report", {"number": "TR-7", "publisher": "WHO", "genre": "Technical report"}),
        ("paper-conference", {"container_title": "Proc. X", "event_title": "X 2023",
                              "event_place": "Rome"}),
        ("article", {"genre": "Preprint", "publisher": "bioRxiv", "DOI": "10.1101/1"}),
        ("dataset", {"publisher": "Zenodo", "version": "1.2", "DOI": "10.5281/zenodo.1"}),
        ("webpage", {"container_title": "WHO", "URL": "https://who.int/x",
                     "accessed": PartialDate(year=2024, month=1, day=5)}),
    ],
)  # fmt: skip
def test_every_entry_type_is_schema_valid(kind: str, fields: dict[str, Any]) -> None:
    item = to_csl(Citation(id=kind, type=kind, title="T", **fields))
    assert_valid([item])
    assert item["type"] == kind
    if "accessed" in fields:
        assert item["accessed"] == {"date-parts": [[2024, 1, 5]]}
    if "event_title" in fields:
        assert item["event-title"] == "X 2023"


def test_lost_end_of_season_range_is_reported_once() -> None:
    citation = Citation(
        id="s",
        issued=PartialDate(year=2009, season=1, end=PartialDate(year=2009, season=2)),
        provenance=Provenance(path="in.nbib", line=7, format="medline"),
    )
    _, diagnostics = written([citation])
    assert [(d.path, d.line, d.code, d.field) for d in diagnostics] == [
        ("in.nbib", 7, "field-not-carried", "issued")
    ]


def field_table() -> str:
    """The README's CSL-JSON field table, generated from the mapping tables."""
    rows = ["| bibkit field | CSL-JSON key |", "|---|---|"]
    for field, key in (*csl_table.TEXT_FIELDS, *csl_table.NAME_FIELDS, *csl_table.DATE_FIELDS):
        rows.append(f"| `{field}` | `{key}` |")
    return "\n".join(rows) + "\n"


def test_readme_field_table_matches_the_mapping_tables() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    assert field_table() in readme
    for field in csl_table.CUSTOM_FIELDS:
        assert f'"{field}"' in readme
