"""bibkit's own output for the interop tests: the inputs, written by bibkit's writers.

Three input sets: the seed PubMed page read by the pubmed-page reader as ``bibkit convert``
reads it (``seed``), the same with its related entries as records (``seed-related``, as with
``--with-related``), and the hand-built cases of :mod:`tests.interop.citations` (``cases``).
Each is written in every format by the writers ``bibkit convert`` uses.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bibkit.diagnostics import BibkitError, Diagnostic
from bibkit.model import Citation
from tests.interop import citations as cases

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_0315cca8728e713f.txt"
FORMATS = ("bibtex", "biblatex", "ris", "csljson")


@dataclass(frozen=True)
class Written:
    """One input set in one format, and what the writer reported it could not carry."""

    text: str
    diagnostics: list[Diagnostic]


@dataclass
class InputSet:
    name: str
    citations: list[Citation]
    read_diagnostics: list[Diagnostic] = field(default_factory=list)
    """What the reader reported (the seed states no authors, journal or year ...)."""
    _written: dict[str, Written | None] = field(default_factory=dict)

    def written(self, to: str) -> Written | None:
        """The set in format ``to``, or None while bibkit has no writer for it."""
        if to not in self._written:
            self._written[to] = _write(self.citations, to)
        return self._written[to]


def _write(citations: list[Citation], to: str) -> Written | None:
    from bibkit import api

    buffer = io.StringIO()
    try:
        diagnostics = api.write([c.model_copy(deep=True) for c in citations], to, buffer)
    except BibkitError:
        return None
    return Written(buffer.getvalue(), diagnostics)


@cache
def seed_set(*, with_related: bool = False) -> InputSet:
    """The seed page as ``bibkit convert`` reads it (``--with-related``: 11 records)."""
    from bibkit import api

    found, diagnostics = api.read([SEED], from_format="pubmed-page", with_related=with_related)
    return InputSet("seed-related" if with_related else "seed", found, diagnostics)


@cache
def fixture_set() -> InputSet:
    return InputSet("cases", cases.all_citations())


INPUT_SETS = ("seed", "seed-related", "cases")


def input_set(name: str) -> InputSet:
    if name == "seed":
        return seed_set()
    if name == "seed-related":
        return seed_set(with_related=True)
    assert name == "cases", name
    return fixture_set()
