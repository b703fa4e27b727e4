"""citation-js (npm @citation-js/core with plugin-bibtex, plugin-ris, plugin-csl) reads
bibkit's BibTeX, BibLaTeX, RIS and CSL-JSON back to CSL-JSON that matches bibkit's own field
by field, but for the differences listed for citation-js in known-differences.json."""

from __future__ import annotations

import json
from functools import cache

import pytest

from tests.interop import clients
from tests.interop.conftest import written
from tests.interop.harness import compare_set, failure_report, new_comparison
from tests.interop.outputs import FORMATS, input_set

COMPARED_SETS = ("seed-related", "cases")


@cache
def _batch(node: str) -> clients.CitationJsBatch:
    """Every set in every format that bibkit can write, read in one node process."""
    jobs: dict[str, tuple[str, str]] = {}
    for name in COMPARED_SETS:
        for fmt in FORMATS:
            out = input_set(name).written(fmt)
            if out is not None:
                jobs[f"{name}/{fmt}"] = (fmt, out.text)
    return clients.run_citationjs(node, jobs)


@pytest.mark.parametrize("source_format", FORMATS)
def test_citationjs_reads_our_output_back(node: str, source_format: str) -> None:
    comparison = new_comparison("citation-js", source_format)
    for name in COMPARED_SETS:
        inputs = input_set(name)
        written(inputs, source_format)
        written(inputs, "csljson")
        compare_set(comparison, inputs, _batch(node).runs[f"{name}/{source_format}"])
    assert comparison.clean, failure_report(comparison)


def test_citationjs_versions_are_the_pinned_ones(node: str) -> None:
    package = json.loads((clients.NODE_DIR / "package.json").read_text(encoding="utf-8"))
    pinned = {k: v for k, v in package["dependencies"].items() if k.startswith("@citation-js/")}
    assert _batch(node).versions == pinned
