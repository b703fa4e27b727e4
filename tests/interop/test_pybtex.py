"""pybtex (strict mode: any syntax problem raises) reads bibkit's BibTeX and BibLaTeX with every
record, every name and the fields a bibliography style needs."""

from __future__ import annotations

import pytest
from pybtex.database import parse_string

from bibkit.model import Citation
from tests.interop.conftest import written
from tests.interop.outputs import InputSet


def _year(citation: Citation) -> str | None:
    issued = citation.issued
    return str(issued.year) if issued is not None and issued.year is not None else None


@pytest.mark.parametrize("to", ["bibtex", "biblatex"])
def test_pybtex_reads_our_bib(inputs: InputSet, to: str) -> None:
    data = parse_string(written(inputs, to).text, "bibtex")
    assert sorted(data.entries) == sorted(c.id or "" for c in inputs.citations)
    for citation in inputs.citations:
        entry = data.entries[citation.id]
        for role in ("author", "editor"):
            people = entry.persons.get(role, [])
            assert len(people) == len(getattr(citation, role)), (citation.id, role, people)
        assert ("title" in entry.fields) == bool(citation.title), citation.id
        year = entry.fields.get("year") or entry.fields.get("date", "")[:4] or None
        assert year == _year(citation), (citation.id, dict(entry.fields))
