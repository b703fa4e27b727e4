"""pandoc 3.x reads bibkit's BibTeX, BibLaTeX, RIS and CSL-JSON and writes CSL-JSON that
matches bibkit's own CSL-JSON field by field, but for the differences listed for pandoc in
known-differences.json."""

from __future__ import annotations

import re

import pytest

from tests.interop import clients
from tests.interop.conftest import written
from tests.interop.harness import compare_set, failure_report, new_comparison
from tests.interop.outputs import FORMATS, input_set

COMPARED_SETS = ("seed-related", "cases")


@pytest.mark.parametrize("source_format", FORMATS)
def test_pandoc_reads_our_output_back(pandoc: str, source_format: str) -> None:
    comparison = new_comparison("pandoc", source_format)
    for name in COMPARED_SETS:
        inputs = input_set(name)
        text = written(inputs, source_format).text
        written(inputs, "csljson")
        run = clients.run_pandoc_to_csljson(pandoc, text, source_format)
        compare_set(comparison, inputs, run)
    assert comparison.clean, failure_report(comparison)


def test_pandoc_is_3x(pandoc: str) -> None:
    assert clients.pandoc_major(pandoc) == 3, clients.pandoc_version(pandoc)


_WORD = re.compile(r"\w[\w'’-]*")


def protected_words(title: str) -> list[str]:
    """Words whose case a BibTeX reader must keep: acronyms and inner capitals (DNA, mRNA,
    NaCl, B), and in a sentence-case title the capitalized names within it (Zürich)."""
    text = re.sub(r"</?\w+>", "", title)
    words: list[tuple[str, bool]] = []  # (word, starts a sentence or follows a colon)
    for clause in re.split(r":\s+", text):
        words += [(w, i == 0) for i, w in enumerate(_WORD.findall(clause))]
    acronyms = [w for w, _ in words if any(_is_acronym(part) for part in w.split("-"))]
    inner = [
        w for w, first in words if not first and len(w) > 3 and w[0].isupper() and w[1:].islower()
    ]
    candidates = [w for w, first in words if not first and len(w) > 3 and w.isalpha()]
    sentence_case = len(inner) * 2 < len(candidates)
    return acronyms + (inner if sentence_case else [])


def _is_acronym(part: str) -> bool:
    return any(c.isupper() for c in part[1:]) or (len(part) == 1 and part.isupper())


@pytest.mark.parametrize("source_format", ["bibtex", "biblatex"])
def test_pandoc_keeps_protected_capitals(pandoc: str, source_format: str) -> None:
    """pandoc lowercases unbraced words of an English title, as BibTeX styles do: bibkit must
    brace every acronym and every proper name of a sentence-case title."""
    lost: list[str] = []
    for name in COMPARED_SETS:
        inputs = input_set(name)
        run = clients.run_pandoc_to_csljson(
            pandoc, written(inputs, source_format).text, source_format
        )
        assert not run.errors, run.errors
        titles = {item["id"]: item.get("title", "") for item in run.output}
        for citation in inputs.citations:
            theirs = set(_WORD.findall(re.sub(r"</?\w+>", "", titles.get(citation.id, ""))))
            lost += [
                f"{citation.id}: {w!r} lowercased"
                for w in protected_words(citation.title or "")
                if w not in theirs
            ]
    assert not lost, "\n".join(lost)


def test_protected_words() -> None:
    assert protected_words("Chronic hepatitis B in adults") == ["B"]
    assert protected_words("The DNA of naïve Zürich cohorts: a study") == ["DNA", "Zürich"]
    assert protected_words("Cell Membrane-Coated Nanoparticles in Cancer Treatment") == []
    assert protected_words("IL-15 and COVID-19 in T-cells") == ["IL-15", "COVID-19", "T-cells"]
    assert protected_words("Exposure to <i>Escherichia coli</i> in mRNA studies") == [
        "mRNA",
        "Escherichia",
    ]
