"""Display-order names with affiliation numbers, as PubMed's page prints its author block."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibkit.names import (
    is_collective,
    parse_author_entry,
    person_from_display,
    split_affiliation,
    split_author_block,
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Shu Zhang 1 2, Xiaojuan Zhang 2", [("Shu Zhang", (1, 2)), ("Xiaojuan Zhang", (2,))]),
        ("Shu Zhang 1, 2, Huan Gao 3", [("Shu Zhang", (1, 2)), ("Huan Gao", (3,))]),
        ("Shu Zhang¹², Huan Gao³", [("Shu Zhang", (1, 2)), ("Huan Gao", (3,))]),
        ("Shu Zhang 1*, Huan Gao 2†", [("Shu Zhang", (1,)), ("Huan Gao", (2,))]),
        ("Peter Horby, Wei Shen Lim", [("Peter Horby", ()), ("Wei Shen Lim", ())]),
        (
            "RECOVERY Collaborative Group, Peter Horby 1",
            [("RECOVERY Collaborative Group", ()), ("Peter Horby", (1,))],
        ),
        (
            "COVID-19 Genomics UK (COG-UK) Consortium",
            [("COVID-19 Genomics UK (COG-UK) Consortium", ())],
        ),
        (
            "Anaïs  Lefèvre 1 , Łukasz Wiśniewski 2",
            [("Anaïs Lefèvre", (1,)), ("Łukasz Wiśniewski", (2,))],
        ),
    ],
)
def test_split_author_block(line: str, expected: list[tuple[str, tuple[int, ...]]]) -> None:
    block = split_author_block(line)
    assert [(e.name, e.numbers) for e in block.entries] == expected
    assert not block.truncated


@pytest.mark.parametrize("tail", [", ...", " …", ", et al.", " et al"])
def test_truncated_author_block(tail: str) -> None:
    block = split_author_block(f"Shu Zhang 1, Huan Gao 2{tail}")
    assert block.truncated
    assert [e.name for e in block.entries] == ["Shu Zhang", "Huan Gao"]


@pytest.mark.parametrize(
    ("name", "family", "given", "suffix"),
    [
        ("Shu Zhang", "Zhang", "Shu", None),
        ("Wei Shen Lim", "Lim", "Wei Shen", None),
        ("Jonathan R Emberson", "Emberson", "Jonathan R", None),
        ("Ludwig van Beethoven", "van Beethoven", "Ludwig", None),
        ("Ana María van der Berg", "van der Berg", "Ana María", None),
        ("Thi Van Nguyen", "Nguyen", "Thi Van", None),
        ("Martin Luther King Jr", "King", "Martin Luther", "Jr"),
        ("Jean-François Dupré", "Dupré", "Jean-François", None),
        ("Madonna", "Madonna", None, None),
    ],
)
def test_person_from_display(name: str, family: str, given: str | None, suffix: str | None) -> None:
    person = person_from_display(name, ["Oxford"])
    assert (person.family, person.given, person.suffix) == (family, given, suffix)
    assert person.literal is None
    assert person.affiliations == ["Oxford"]


@pytest.mark.parametrize(
    "name",
    [
        "RECOVERY Collaborative Group",
        "COVID-19 Genomics UK (COG-UK) Consortium",
        "Writing Committee for the REMAP-CAP Investigators",
        "GBD 2019 Diseases and Injuries Collaborators",
        "American Diabetes Association Professional Practice Committee",
    ],
)
def test_collective_authors_are_literal(name: str) -> None:
    assert is_collective(name)
    person = person_from_display(name)
    assert person.literal == name and person.family is None and person.is_collective


@pytest.mark.parametrize("name", ["Shu Zhang", "Ludwig van Beethoven", "Mansoor A S Saqi"])
def test_people_are_not_collective(name: str) -> None:
    assert not is_collective(name)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "1 School of Pharmacy, Hangzhou 310013, China.",
            (1, "School of Pharmacy, Hangzhou 310013, China."),
        ),
        ("12. Department of Medicine", (12, "Department of Medicine")),
        ("³ Klinik für Kardiologie", (3, "Klinik für Kardiologie")),
        (
            "Hangzhou Medical College, 310013 Hangzhou",
            (None, "Hangzhou Medical College, 310013 Hangzhou"),
        ),
    ],
)
def test_split_affiliation(line: str, expected: tuple[int | None, str]) -> None:
    assert split_affiliation(line) == expected


def test_entry_without_letters_is_no_name() -> None:
    assert parse_author_entry("1 2") is None
    assert parse_author_entry("*") is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_author_line_gives_usable_names(line: str) -> None:
    for entry in split_author_block(line).entries:
        assert entry.name and entry.name == entry.name.strip()
        person = person_from_display(entry.name)
        assert person.family or person.literal
        assert person.display().split() == entry.name.split()
