"""Merging the same work met in several inputs."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibkit import merge
from bibkit.merge import Deduplicator, identities, identities_of, merge_pair
from bibkit.model import (
    Citation,
    MeshHeading,
    PartialDate,
    Person,
    Provenance,
    Relation,
    RelationKind,
)

PAGE = Provenance(path="seeds/a.txt", line=1, format="pubmed-page")
XML = Provenance(path="export.xml", line=3, format="pubmed-xml")


def test_identities_fold_doi_case() -> None:
    assert identities(Citation(PMID="1", DOI="10.1/ABC")) == ["pmid:1", "doi:10.1/abc"]


def test_more_complete_value_wins_and_remembers_its_source() -> None:
    page = Citation(PMID="1", title="Short", issued=PartialDate(year=2024), provenance=PAGE)
    xml = Citation(
        PMID="1",
        author=[Person(family="Zhang", given="Shu")],
        issued=PartialDate(year=2024, month=4, day=12),
        mesh=[MeshHeading(descriptor="Humans")],
        provenance=XML,
    )
    merged = merge_pair(page, xml)
    assert merged.title == "Short"
    assert merged.author[0].family == "Zhang"
    assert merged.issued == PartialDate(year=2024, month=4, day=12)
    assert merged.field_sources["title"] == [PAGE]
    assert merged.field_sources["issued"] == [XML]
    assert merged.field_sources["author"] == [XML]
    assert merged.provenance == PAGE
    assert merged.merged_from == [PAGE, XML]


def test_a_list_united_from_two_inputs_names_both() -> None:
    first = Citation(PMID="1", keyword=["a"], mesh=[MeshHeading(descriptor="Humans")],
                     provenance=PAGE)  # fmt: skip
    second = Citation(PMID="1", keyword=["b"], mesh=[MeshHeading(descriptor="Humans")],
                      provenance=XML)  # fmt: skip
    merged = merge_pair(first, second)
    assert merged.field_sources["keyword"] == [PAGE, XML]
    assert merged.field_sources["mesh"] == [PAGE]  # the second added nothing new


def test_every_merged_input_is_listed_even_one_that_added_nothing() -> None:
    nbib = Provenance(path="export.nbib", line=1, format="medline")
    records = [
        Citation(PMID="1", title="A title", provenance=PAGE),
        Citation(PMID="1", title="A title", volume="3", provenance=XML),
        Citation(PMID="1", title="A title", provenance=nbib),
    ]
    merged = merge.merge_all(records)
    assert merged.merged_from == [PAGE, XML, nbib]
    assert merge_pair(merge_pair(records[0], records[1]), records[2]).merged_from == [
        PAGE, XML, nbib
    ]  # fmt: skip


def test_one_link_worded_two_ways_is_kept_once_in_its_fuller_form() -> None:
    """MEDLINE's CIN line and XML's RefSource word the same comment differently."""
    short = Relation(kind=RelationKind.COMMENT_IN, citation=Citation(PMID="9"),
                     text="N Engl J Med. 2018;379:1")  # fmt: skip
    full = Relation(
        kind=RelationKind.COMMENT_IN,
        citation=Citation(PMID="9", container_title_short="N Engl J Med", volume="379"),
        text="N Engl J Med. 2018 Sep 6;379(10):1-2. doi: 10.1/x",
    )
    other_kind = Relation(kind=RelationKind.ERRATUM_IN, citation=Citation(PMID="9"), text="x")
    by_doi = Relation(kind=RelationKind.COMMENT_IN, citation=Citation(DOI="10.1/AB"), text="a")
    by_doi_again = Relation(kind=RelationKind.COMMENT_IN, citation=Citation(DOI="10.1/ab"))
    page = Citation(PMID="1", relations=[short, by_doi], provenance=PAGE)
    xml = Citation(PMID="1", relations=[full, other_kind, by_doi_again], provenance=XML)
    merged = merge_pair(page, xml)
    assert merged.relations == [full, by_doi, other_kind]


def test_lists_are_united_without_repeats() -> None:
    first = Citation(PMID="1", keyword=["a", "b"], provenance=PAGE)
    second = Citation(PMID="1", keyword=["b", "c"], provenance=XML)
    assert merge_pair(first, second).keyword == ["a", "b", "c"]


def test_nothing_known_is_lost() -> None:
    first = Citation(PMID="1", abstract="Text.", provenance=PAGE)
    second = Citation(PMID="1", abstract=None, volume="16", provenance=XML)
    merged = merge_pair(first, second)
    assert merged.abstract == "Text." and merged.volume == "16"


def _run(records: list[Citation]) -> list[Citation]:
    dedupe = Deduplicator()
    for record in records:
        dedupe.count(record)
    return list(dedupe.run(records))


def test_twins_by_pmid_or_doi_become_one_record_where_the_last_stood() -> None:
    records = [
        Citation(PMID="1", title="A"),
        Citation(PMID="2", title="B"),
        Citation(DOI="10.1/X", title="C", volume="3"),
        Citation(PMID="1", DOI="10.1/x", issue="4"),
    ]
    out = _run(records)
    assert [c.title for c in out] == ["B", "A"]
    assert out[1].volume == "3" and out[1].issue == "4" and out[1].PMID == "1"


def test_records_without_identifiers_are_never_merged() -> None:
    out = _run([Citation(title="A"), Citation(title="A")])
    assert len(out) == 2


def _run_with_scan(
    scanned: list[list[str]], records: list[Citation]
) -> tuple[list[Citation], Deduplicator]:
    dedupe = Deduplicator()
    for ids in scanned:
        dedupe.count_ids(ids)
    return list(dedupe.run(records)), dedupe


def test_a_scan_that_links_too_much_delays_records_but_merges_only_true_twins() -> None:
    records = [
        Citation(PMID="1", title="A"),
        Citation(PMID="2", title="B"),
        Citation(PMID="1", volume="3"),
    ]
    # The scan wrongly gave record 2 the DOI of record 1 too: one group of three.
    out, dedupe = _run_with_scan([["pmid:1", "doi:x"], ["pmid:2", "doi:x"], ["pmid:1"]], records)
    assert [(c.PMID, c.title, c.volume) for c in out] == [("2", "B", None), ("1", "A", "3")]
    assert dedupe.unforeseen == 0


def test_identifiers_the_scan_missed_are_counted_not_passed_over() -> None:
    records = [Citation(PMID="1", DOI="10.1/new", title="A"), Citation(PMID="2")]
    out, dedupe = _run_with_scan([["pmid:1"], ["pmid:2"]], records)
    assert len(out) == 2
    assert dedupe.unforeseen == 1 and dedupe.first_unforeseen is records[0]


def test_identifiers_that_share_a_number_by_chance_merge_only_true_twins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pass one keeps identifiers as numbers; here every identifier gets the same one."""
    monkeypatch.setattr(merge, "_digests", lambda ids: (7, 0) if ids else (0, 0))
    records = [
        Citation(PMID="1", title="A"),
        Citation(PMID="2", title="B"),
        Citation(PMID="1", volume="3"),
        Citation(PMID="3", title="C"),
    ]
    out = _run(records)
    assert [(c.PMID, c.title, c.volume) for c in out] == [
        ("2", "B", None), ("1", "A", "3"), ("3", "C", None),
    ]  # fmt: skip


def test_pass_one_holds_a_few_bytes_a_record() -> None:
    """A million records must not need hundreds of MB just to find their twins."""
    dedupe = Deduplicator()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for number in range(50_000):
            dedupe.count_ids(identities_of(str(number), f"10.1/{number}"))
        assert dedupe.duplicates == 0
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held / 50_000 < 48


_PEOPLE_ST = st.lists(
    st.builds(Person, family=st.sampled_from(["Li", "Okafor"]), given=st.sampled_from(["", "A"])),
    max_size=2,
)
_RECORD = st.builds(
    Citation,
    PMID=st.just("1"),
    title=st.sampled_from([None, "", "T", "Longer title"]),
    author=_PEOPLE_ST,
    keyword=st.lists(st.sampled_from(["a", "b", "c"]), max_size=3),
    mesh=st.lists(
        st.builds(MeshHeading, descriptor=st.sampled_from(["Humans", "Mice"])), max_size=2
    ),
    issued=st.sampled_from([None, PartialDate(year=2024), PartialDate(year=2024, month=4)]),
    volume=st.sampled_from([None, "1", "12"]),
    provenance=st.sampled_from([PAGE, XML]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_RECORD, min_size=1, max_size=6))
def test_merging_a_group_at_once_equals_merging_pair_by_pair(records: list[Citation]) -> None:
    folded = records[0]
    for record in records[1:]:
        folded = merge_pair(folded, record)
    assert merge.merge_all(records) == folded


def test_many_twins_with_long_lists_merge_in_linear_steps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each list item is looked at once, however many twins there are (the growing list was
    compared anew with every next twin: hours for a few thousand twins)."""
    looked_at = 0
    real = merge._marker

    def counting(item: object) -> object:
        nonlocal looked_at
        looked_at += 1
        return real(item)

    monkeypatch.setattr(merge, "_marker", counting)
    twins = [Citation(PMID="1", keyword=[f"k{n}", f"k{n + 1}"], provenance=XML) for n in range(300)]
    merged = merge.merge_all(twins)
    assert merged.keyword == [f"k{n}" for n in range(301)]
    assert looked_at <= 2 * len(twins)
