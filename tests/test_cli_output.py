"""What the command line makes of diagnostics: counting the warnings that repeat."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bibkit import api
from bibkit.cli_output import WriterDiagnostics
from bibkit.diagnostics import Tally

DATA = Path(__file__).parent / "data"
INPUTS = [DATA / "medline", DATA / "pubmed_xml", DATA / "pubmed_page"]


@pytest.mark.parametrize("to", ["bibtex", "biblatex", "ris"])
@pytest.mark.parametrize("ascii", [False, True])
def test_counting_a_repeat_folds_as_reporting_it_would(to: str, ascii: bool) -> None:
    """A writer that only counts a repeated warning (``count_repeat``) leaves the report as
    reporting each one would: the same first diagnostics, counts and kept ones, in order."""
    citations, _ = api.read(INPUTS)
    options = api.WriteOptions(ascii=ascii)
    counted = WriterDiagnostics(keep_all=False)
    api.write(citations, to, io.StringIO(), options=options, report=counted)
    each = WriterDiagnostics(keep_all=False)
    for diagnostic in api.write(citations, to, io.StringIO(), options=options):
        each(diagnostic)
    assert list(counted.repeated.items()) == list(each.repeated.items())
    assert counted.kept == each.kept
    assert sum(count for _, count in each.repeated.values()) > len(each.repeated)


def test_a_full_report_counts_nothing_away() -> None:
    written = WriterDiagnostics(keep_all=True)
    assert isinstance(written, Tally)
    assert not written.count_repeat("field-not-carried", "mesh", "no field for MeSH terms")


def test_only_a_repeat_of_a_folded_warning_is_counted() -> None:
    written = WriterDiagnostics(keep_all=False)
    assert not written.count_repeat("field-not-carried", "mesh", "no field")  # the first
    assert not written.count_repeat("key-changed", "id", "key changed")  # never folded
    assert not written.count_repeat("field-not-carried", "", "no field")  # no field named
