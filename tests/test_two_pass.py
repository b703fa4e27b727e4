"""Large inputs are read twice rather than held in memory; a gzip input always counts as large.

Its size on disk says little about what it holds (PubMed XML inflates 10 to 80 times), so a
13 MB ``.xml.gz`` of a 1 GB file must not be taken for a small input and held whole.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

from bibkit import api
from bibkit.io import Source
from bibkit.model import Citation
from bibkit.registry import ReadOptions

NBIB = Path(__file__).parent / "data" / "medline" / "medline-4-records.nbib"


def _passes(monkeypatch: pytest.MonkeyPatch, sources: list[Source]) -> tuple[int, list[str]]:
    """How many times the pipeline read its inputs, and the PMIDs it gave."""
    calls = 0
    real = api.read_sources

    def counting(*args: object, **kwargs: object) -> Iterator[Citation]:
        nonlocal calls
        calls += 1
        yield from real(*args, **kwargs)  # type: ignore[arg-type,misc]

    monkeypatch.setattr(api, "read_sources", counting)
    pipeline = api.Pipeline(sources, None, ReadOptions())
    pmids = [c.PMID or "" for c in pipeline.citations()]
    return calls, pmids


def test_a_small_gzip_input_is_read_twice_like_a_large_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packed = tmp_path / "records.nbib.gz"
    packed.write_bytes(gzip.compress(NBIB.read_bytes()))
    assert packed.stat().st_size < api.TWO_PASS_BYTES
    calls, pmids = _passes(monkeypatch, [Source.from_path(packed)])
    assert calls == 2
    assert len(pmids) == 4


def test_gzip_bytes_given_in_memory_count_as_large_too(monkeypatch: pytest.MonkeyPatch) -> None:
    source = Source.from_bytes(gzip.compress(NBIB.read_bytes()), name="<stdin>")
    calls, pmids = _passes(monkeypatch, [source])
    assert calls == 2
    assert len(pmids) == 4


def test_a_small_plain_input_is_held_and_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls, pmids = _passes(monkeypatch, [Source.from_path(NBIB)])
    assert calls == 1
    assert len(pmids) == 4


def test_both_ways_give_the_same_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packed = tmp_path / "records.nbib.gz"
    packed.write_bytes(gzip.compress(NBIB.read_bytes()))
    _, from_gzip = _passes(monkeypatch, [Source.from_path(packed)])
    _, from_plain = _passes(monkeypatch, [Source.from_path(NBIB)])
    assert from_gzip == from_plain
