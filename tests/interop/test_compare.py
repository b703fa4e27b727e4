"""The comparison the interop tests rest on: canonical forms, listed differences, the ratchet."""

from __future__ import annotations

from tests.interop.compare import (
    Comparison,
    KnownDifference,
    canonical,
    load_known_differences,
)

OURS = {
    "id": "k",
    "type": "article-journal",
    "title": "A title",
    "journalAbbreviation": "J Abbr",
    "issued": {"date-parts": [[2024, 4, 12]]},
    "volume": "16",
    "note": "PMID: 38675192\nPMCID: PMC11055162",
    "custom": {"grants": [{"id": "81872220"}]},
}


def _comparison(*known: KnownDifference) -> Comparison:
    return Comparison("client", "bibtex", list(known))


def test_canonical_reads_zotero_conventions_and_date_strings() -> None:
    theirs = {
        "id": "other",
        "type": "article-journal",
        "title": "A title",
        "container-title-short": "J Abbr",
        "issued": "2024-04-12",
        "volume": 16,
        "PMID": "38675192",
        "PMCID": "PMC11055162",
        "custom": {"grants": [{"id": "81872220"}]},
    }
    assert canonical(OURS) == canonical(theirs)
    assert canonical(OURS)["custom.grants"] == [{"id": "81872220"}]


def test_an_unlisted_difference_is_reported() -> None:
    comparison = _comparison()
    comparison.record("k", OURS, {**OURS, "volume": "61"})
    assert [(d.field, d.ours, d.theirs) for d in comparison.unexplained] == [("volume", "16", "61")]
    assert not comparison.clean


def test_a_listed_rewrite_excuses_only_what_its_normalizer_equates() -> None:
    casefold = KnownDifference("client", ("bibtex",), "title", "rewritten", "why", ("casefold",))
    comparison = _comparison(casefold)
    comparison.record("k", OURS, {**OURS, "title": "A Title"})
    assert comparison.clean
    comparison.record("k", OURS, {**OURS, "title": "Another title"})
    assert [d.field for d in comparison.unexplained] == ["title"]


def test_a_field_the_writer_reported_lost_is_not_expected() -> None:
    comparison = _comparison()
    theirs = {key: value for key, value in OURS.items() if key != "custom"}
    comparison.record("k", OURS, theirs, not_carried={"custom.grants"})
    assert comparison.clean


def test_a_client_may_keep_the_first_of_identifiers_the_writer_reported_lost() -> None:
    ours = {"id": "k", "type": "article-journal", "ISSN": "1057-9230, 1099-1050"}
    kept_first = _comparison()
    kept_first.record("k", ours, {**ours, "ISSN": "1057-9230"}, not_carried={"ISSN"})
    assert kept_first.clean
    kept_other = _comparison()
    kept_other.record("k", ours, {**ours, "ISSN": "1099-1050"}, not_carried={"ISSN"})
    assert not kept_other.clean


def test_a_listed_difference_nothing_needs_fails_the_ratchet() -> None:
    dropped = KnownDifference("client", ("bibtex",), "custom.*", "dropped", "why")
    comparison = _comparison(dropped)
    comparison.record("k", OURS, OURS)
    assert comparison.unused() == [dropped]
    comparison.record("k", OURS, {k: v for k, v in OURS.items() if k != "custom"})
    assert comparison.unused() == [] and comparison.clean


def test_the_committed_list_is_well_formed() -> None:
    known = load_known_differences()
    assert known and all(entry.why.strip() for entry in known)
    assert len({(e.client, e.formats, e.field, e.kind, e.types) for e in known}) == len(known)
