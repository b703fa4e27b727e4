"""The library API: reading, merging, keying and writing without the command line."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import bibkit
from bibkit import api
from bibkit.io import Source
from bibkit.model import Citation

SEED = Path(__file__).parent / "data" / "cli" / "seed.txt"


def test_read_returns_keyed_citations_and_diagnostics() -> None:
    citations, problems = bibkit.read([SEED])
    (citation,) = citations
    assert citation.PMID == "38675192"
    assert citation.id
    assert all(p.severity == "warning" for p in problems)


def test_iter_read_streams_unmerged_records_with_related_ones() -> None:
    items = list(bibkit.iter_read([SEED], with_related=True))
    records = [i for i in items if isinstance(i, Citation)]
    assert len(records) == 11
    assert all(r.id is None for r in records)


def test_sources_can_be_given_as_bytes() -> None:
    citations, _ = bibkit.read([Source.from_bytes(SEED.read_bytes(), name="pasted")])
    assert citations[0].provenance is not None
    assert citations[0].provenance.path == "pasted"


def test_two_pass_merging_gives_what_holding_everything_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SEED, tmp_path / "a.txt")
    shutil.copy(SEED, tmp_path / "b.txt")
    in_memory = bibkit.dumps(bibkit.read([tmp_path], with_related=True)[0], "csljson")
    monkeypatch.setattr(api, "TWO_PASS_BYTES", 0)
    streamed = io.StringIO()
    result = bibkit.convert([tmp_path], "csljson", with_related=True, stdout=streamed)
    assert streamed.getvalue() == in_memory
    assert result.merged == 11 and result.records == 11


def test_write_returns_what_the_format_could_not_carry() -> None:
    citations, _ = bibkit.read([SEED])
    lost = bibkit.write(citations, "ris", io.StringIO())
    assert all(d.code == "field-not-carried" and d.field for d in lost)


def test_unknown_format_raises_a_usage_error() -> None:
    with pytest.raises(bibkit.BibkitError, match="bibtex"):
        bibkit.convert([SEED], "docx")
