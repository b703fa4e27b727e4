"""Citation keys: readable, deterministic, unique regardless of case."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bibkit.keys import STOPWORDS, KeyAllocator, _significant, _words, ascii_fold, base_key
from bibkit.model import Citation, PartialDate, Person


def test_author_year_and_two_significant_title_words() -> None:
    citation = Citation(
        title="The Cell Membrane-Coated Biomimetic Nanoparticles in Cancer Treatment",
        author=[Person(family="Zhang", given="Shu")],
        issued=PartialDate(year=2024, month=4),
    )
    assert base_key(citation) == "zhang2024cellmembrane"


def test_family_name_is_ascii_folded() -> None:
    citation = Citation(
        title="Øresund studies",
        author=[Person(family="Müller-Łukasz", given="Jörg")],
        issued=PartialDate(year=2001),
    )
    assert base_key(citation) == "mullerlukasz2001oresundstudies"


def test_title_based_without_author() -> None:
    citation = Citation(
        title="Cell Membrane-Coated Biomimetic Nanoparticles", issued=PartialDate(year=2024)
    )
    assert base_key(citation) == "cellmembranecoated2024"


def test_group_author_uses_first_words_of_name() -> None:
    citation = Citation(
        title="Global tuberculosis report",
        author=[Person(literal="World Health Organization")],
        issued=PartialDate(year=2023),
    )
    assert base_key(citation) == "worldhealth2023globaltuberculosis"


def test_markup_and_stopwords_are_skipped() -> None:
    citation = Citation(title="The <i>BRCA1</i> gene and the cell", issued=PartialDate(year=2020))
    assert base_key(citation) == "brca1genecell2020"


def test_no_title_no_author_falls_back_to_pmid() -> None:
    assert base_key(Citation(PMID="123")) == "pmid123"


def test_collisions_get_letter_suffixes_case_insensitively() -> None:
    keys = KeyAllocator()
    assert [keys.allocate("smith2020") for _ in range(3)] == [
        "smith2020",
        "smith2020a",
        "smith2020b",
    ]
    assert keys.allocate("Smith2020") == "Smith2020c"


def test_suffixes_continue_past_z() -> None:
    keys = KeyAllocator()
    made = [keys.allocate("k") for _ in range(30)]
    assert made[26] == "kz" and made[27] == "kaa"
    assert len({m.casefold() for m in made}) == 30


@given(st.text())
def test_ascii_fold_gives_ascii(text: str) -> None:
    assert ascii_fold(text).isascii()


@given(st.lists(st.sampled_from(["a", "A", "b", "smith", "Smith"]), max_size=60))
def test_allocated_keys_are_unique_ignoring_case(bases: list[str]) -> None:
    keys = KeyAllocator()
    made = [keys.allocate(b) for b in bases]
    assert len({m.casefold() for m in made}) == len(made)


def test_many_records_with_one_base_key_get_the_smallest_free_suffixes() -> None:
    keys = KeyAllocator()
    assert keys.reserve("wang2020b")
    given = [keys.allocate("wang2020") for _ in range(30)]
    assert given[:4] == ["wang2020", "wang2020a", "wang2020c", "wang2020d"]
    assert given[-1] == "wang2020ad"
    assert len({k.casefold() for k in given} | {"wang2020b"}) == 31
    assert keys.allocate("WANG2020") == "WANG2020ae"


def test_allocating_many_twins_of_one_base_stays_linear() -> None:
    keys = KeyAllocator()
    tries = 0
    reserve = keys.reserve

    def counting(key: str) -> bool:
        nonlocal tries
        tries += 1
        return reserve(key)

    keys.reserve = counting  # type: ignore[method-assign]
    for _ in range(2000):
        keys.allocate("smith2021")
    assert tries < 2 * 2000 + 10


title_words = st.lists(
    st.one_of(st.sampled_from(sorted(STOPWORDS)), st.text(max_size=8), st.just("<i>Ünï</i>")),
    max_size=12,
).map(" ".join)


@given(title_words, st.integers(min_value=0, max_value=4))
def test_significant_words_are_the_first_non_stopwords(title: str, count: int) -> None:
    # Keys stop reading a title at its last significant word; they must be those of all words.
    words = [word for word in _words(title) if word not in STOPWORDS]
    assert _significant(title, count) == "".join(words[:count])


def test_taken_keys_survive_the_table_growing() -> None:
    """The set of keys handed out grows past its first table many times over."""
    from bibkit.keys import _Digests

    taken = _Digests()
    keys = [f"smith{n}" for n in range(5_000)]
    assert all(taken.add(key) for key in keys)
    assert not any(taken.add(key) for key in keys)
    assert taken.add("jones1")


def test_a_shared_digest_only_costs_a_suffix() -> None:
    """Two keys whose digests collide: the second is taken as used, and gets a suffix, so
    keys stay unique (and the same on every run)."""
    from array import array

    from bibkit.keys import _Digests

    slots = array("Q", bytes(8 * 8))
    assert _Digests._insert(slots, 12345)
    assert not _Digests._insert(slots, 12345)
    assert _Digests._insert(slots, 12345 + 8)  # same first slot, another digest: probed on
