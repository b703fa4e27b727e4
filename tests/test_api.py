"""The library API: reading, merging, keying and writing without the command line."""

from __future__ import annotations

import gzip
import io
import shutil
import tempfile
from pathlib import Path

import pytest

import bibkit
from bibkit import api, sources
from bibkit.diagnostics import Diagnostic
from bibkit.io import Source
from bibkit.model import Citation
from bibkit.registry import ReadOptions

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


# -- bad input through the library --------------------------------------------------------------

BAD = Path(__file__).parent / "data" / "bad_input"


def _medline(count: int, first: int = 90000000) -> bytes:
    template = (BAD / "good.nbib").read_text("utf-8").strip("\n")
    records = (template.replace("PMID- 12230038", f"PMID- {first + n}") for n in range(count))
    return ("\n" + "\n\n".join(records) + "\n").encode()


def test_format_named_with_from_that_finds_nothing_is_an_error() -> None:
    good = BAD / "good.nbib"
    named = list(bibkit.iter_read([good], from_format="bibtex"))
    assert [(d.code, d.severity) for d in named if isinstance(d, Diagnostic)] == [
        ("no-records", "error")
    ]
    empty = Source.from_bytes(b"<PubmedArticleSet>\n</PubmedArticleSet>\n", name="none.xml")
    sniffed = list(bibkit.iter_read([empty]))
    assert [(d.code, d.severity) for d in sniffed if isinstance(d, Diagnostic)] == [
        ("no-records", "warning")
    ]


def test_an_input_that_failed_is_not_also_said_to_hold_no_records() -> None:
    items = list(bibkit.iter_read([BAD / "damaged_gzip.xml.gz", BAD / "truncated_gzip.xml.gz"]))
    found = [(Path(d.path).name, d.code) for d in items if isinstance(d, Diagnostic)]
    assert found == [("damaged_gzip.xml.gz", "bad-gzip"), ("truncated_gzip.xml.gz", "bad-gzip")]


def _pubmed_xml(count: int) -> bytes:
    """PubMed XML of ``count`` records (PMIDs 20000000 …), like an efetch download."""
    fixture = (Path(__file__).parent / "data" / "pubmed_xml" / "collective-name.xml").read_text()
    start, end = fixture.index("<PubmedArticle>"), fixture.index("</PubmedArticleSet>")
    record = fixture[start:end]
    body = "".join(record.replace("20000301", str(20000000 + n)) for n in range(count))
    return (fixture[:start] + body + fixture[end:]).encode()


def test_a_gzip_cut_short_keeps_the_records_before_the_cut() -> None:
    """A download that stopped: the records that arrived are converted, the cut is reported."""
    packed = gzip.compress(_pubmed_xml(400))
    cut = Source.from_bytes(packed[: len(packed) // 2], name="cut.xml.gz")
    assert cut.head_damage() is None
    citations, problems = bibkit.read([cut])
    assert 50 < len(citations) < 400
    assert [c.PMID for c in citations[:2]] == ["20000000", "20000001"]
    assert [(p.code, p.severity) for p in problems] == [("bad-gzip", "error")]


def test_a_gzip_cut_within_its_head_is_still_recognised() -> None:
    """Cut so early that sniffing meets the damage: the format is known from what came, and
    the damage is the one error (not "unknown format", not an exception)."""
    data = _pubmed_xml(40)
    packed = gzip.compress(data)
    cut = Source.from_bytes(packed[: len(packed) * 2 // 3], name="cut.xml.gz")
    assert len(data) > 8192 and cut.head_damage() is not None
    chosen = sources.detect(cut)
    assert not isinstance(chosen, Diagnostic) and chosen.name == "pubmed-xml"
    _, problems = bibkit.read([cut])
    assert [(p.code, p.severity, p.path) for p in problems] == [("bad-gzip", "error", "cut.xml.gz")]


def test_stray_bytes_are_warnings_with_their_lines() -> None:
    _, problems = bibkit.read([BAD / "stray_byte_in_utf8.ris"])
    stray = [p for p in problems if p.code == "not-utf8"]
    assert [(p.line, p.severity) for p in stray] == [(9, "warning"), (9, "warning")]


def test_nothing_read_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "refs.ris"
    out.write_text("yesterday\n", encoding="utf-8")
    result = bibkit.convert([tmp_path / "typo.nbib"], "ris", out)
    assert out.read_text(encoding="utf-8") == "yesterday\n"
    assert result.failed and [d.code for d in result.diagnostics] == ["not-found", "output-kept"]
    assert [p.name for p in tmp_path.iterdir()] == ["refs.ris"]
    fresh = tmp_path / "new.ris"
    bibkit.convert([tmp_path / "typo.nbib"], "ris", fresh)
    assert not fresh.exists()


def test_an_empty_input_without_errors_still_writes_an_empty_output(tmp_path: Path) -> None:
    (tmp_path / "none.xml").write_text("<PubmedArticleSet>\n</PubmedArticleSet>\n")
    out = tmp_path / "refs.ris"
    out.write_text("yesterday\n", encoding="utf-8")
    result = bibkit.convert([tmp_path / "none.xml"], "ris", out)
    assert not result.failed and out.read_text(encoding="utf-8") == ""


def test_parallel_reading_stopped_early_leaves_no_spool_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    monkeypatch.setattr(sources, "PARALLEL_MIN_BYTES", 0)
    inputs = []
    for n, count in enumerate([50, 3000, 3000]):  # the others still being read at the stop
        path = tmp_path / f"{n}.nbib"
        path.write_bytes(_medline(count, first=90000000 + 10000 * n))
        inputs.append(Source.from_path(path))
    items = sources.read_sources(inputs, None, ReadOptions(), jobs=3)
    assert isinstance(next(items), Citation)
    items.close()  # type: ignore[attr-defined]
    assert list(spool.iterdir()) == []
