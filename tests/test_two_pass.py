"""Large inputs are read twice rather than held in memory; a gzip input always counts as large.

Its size on disk says little about what it holds (PubMed XML inflates 10 to 80 times), so a
13 MB ``.xml.gz`` of a 1 GB file must not be taken for a small input and held whole.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bibkit import api, sources
from bibkit.io import Source
from bibkit.model import Citation
from bibkit.readers import medline
from bibkit.registry import ReadOptions

NBIB = Path(__file__).parent / "data" / "medline" / "medline-4-records.nbib"


def _passes(
    monkeypatch: pytest.MonkeyPatch, sources: list[Source], options: ReadOptions | None = None
) -> tuple[int, list[str]]:
    """How many passes the pipeline made over its inputs (reading or scanning them), and the
    PMIDs it gave."""
    calls = 0
    real_read, real_scan = medline.read, medline.identities

    def reading(*args: object, **kwargs: object) -> Iterator[Citation]:
        nonlocal calls
        calls += 1
        yield from real_read(*args, **kwargs)  # type: ignore[arg-type,misc]

    def scanning(*args: object, **kwargs: object) -> Iterator[tuple[str | None, str | None]]:
        nonlocal calls
        calls += 1
        yield from real_scan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(medline, "read", reading)
    monkeypatch.setattr(medline, "identities", scanning)
    pipeline = api.Pipeline(sources, None, options or ReadOptions())
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


def test_a_large_medline_input_is_scanned_then_read_once_and_its_twins_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    twice = tmp_path / "twice.nbib"
    twice.write_bytes(NBIB.read_bytes() + b"\n\n" + NBIB.read_bytes())
    monkeypatch.setattr(api, "TWO_PASS_BYTES", 0)
    scans: list[str] = []
    real = medline.identities

    def scanning(source: Source) -> Iterator[tuple[str | None, str | None]]:
        scans.append(source.name)
        yield from real(source)

    monkeypatch.setattr(medline, "identities", scanning)
    pipeline = api.Pipeline([Source.from_path(twice)], None, ReadOptions())
    pmids = [c.PMID for c in pipeline.citations()]
    assert len(scans) == 1
    assert pmids == ["16403221", "16377612", "14871861", "14630660"]
    assert pipeline.merged == 4
    assert not [d for d in pipeline.diagnostics if d.code == "twins-unchecked"]


def test_strict_mode_reads_pass_one_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A record strict mode rejects is not in pass two: pass one must not count it either."""
    packed = tmp_path / "records.nbib.gz"
    packed.write_bytes(gzip.compress(NBIB.read_bytes()))
    scans: list[str] = []
    monkeypatch.setattr(medline, "identities", lambda source: scans.append(source.name) or iter(()))
    list(api.Pipeline([Source.from_path(packed)], None, ReadOptions(strict=True)).citations())
    assert scans == []


def test_a_scan_that_missed_identifiers_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "TWO_PASS_BYTES", 0)
    monkeypatch.setattr(medline, "identities", lambda source: iter([("0", None)] * 4))
    pipeline = api.Pipeline([Source.from_path(NBIB)], None, ReadOptions())
    assert len(list(pipeline.citations())) == 4
    (warning,) = [d for d in pipeline.diagnostics if d.code == "twins-unchecked"]
    assert warning.path == str(NBIB) and warning.line == 2  # the first record
    assert warning.message.startswith("4 record(s)")


def test_inputs_are_scanned_in_worker_processes_with_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pass one spreads over processes like reading; twins across inputs are still found."""
    copy = tmp_path / "copy.nbib"
    copy.write_bytes(NBIB.read_bytes())
    monkeypatch.setattr(api, "TWO_PASS_BYTES", 0)
    monkeypatch.setattr(sources, "PARALLEL_MIN_BYTES", 0)
    pools: list[int | None] = []

    class CountingPool(ProcessPoolExecutor):
        def __init__(self, max_workers: int | None = None) -> None:
            pools.append(max_workers)
            super().__init__(max_workers=max_workers)

    monkeypatch.setattr(sources, "ProcessPoolExecutor", CountingPool)
    inputs = [Source.from_path(NBIB), Source.from_path(copy)]
    pipeline = api.Pipeline(inputs, None, ReadOptions(), jobs=2)
    pmids = [c.PMID for c in pipeline.citations()]
    assert pmids == ["16403221", "16377612", "14871861", "14630660"]
    assert pipeline.merged == 4
    assert not [d for d in pipeline.diagnostics if d.code == "twins-unchecked"]
    assert pools == [2, 2]  # pass one (scanning), pass two (reading)
