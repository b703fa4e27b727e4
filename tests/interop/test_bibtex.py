"""Real ``bibtex`` compiles bibkit's BibTeX: no error, and no warning but for a field the
input truly lacks and bibkit itself reported (the seed page states no authors, journal, year)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bibkit.registry import WriteOptions
from tests.interop import clients
from tests.interop.conftest import written
from tests.interop.harness import reported_missing
from tests.interop.outputs import InputSet

_MISSING = re.compile(r"^(?:empty|to sort, need) (?P<fields>.+?) (?:in|for) (?P<key>\S+)$")
BST_FIELDS: dict[str, tuple[str, ...]] = {
    # BibTeX field a standard style complains about -> the model fields that would fill it.
    "author": ("author",),
    "editor": ("editor",),
    "journal": ("container_title", "container_title_short"),
    "booktitle": ("container_title",),
    "year": ("issued",),
    "title": ("title",),
    "publisher": ("publisher",),
    "school": ("publisher",),
    "institution": ("publisher",),
    "pages": ("page",),
    "chapter": ("chapter_number",),
}


def missing_fields(warning: str) -> tuple[str, list[str]] | None:
    """``empty author and editor in k`` -> ("k", ["author", "editor"]); None for others."""
    match = _MISSING.match(warning)
    if match is None:
        return None
    names = re.split(r",\s*or\s+|,\s*|\s+and\s+|\s+or\s+", match["fields"])
    fields = [f for name in names if name != "key" for f in BST_FIELDS.get(name, (name,))]
    return match["key"], fields


def unexcused(warnings: list[str], inputs: InputSet) -> list[str]:
    by_key = {c.id: c for c in inputs.citations}
    bad: list[str] = []
    for warning in warnings:
        parsed = missing_fields(warning)
        citation = by_key.get(parsed[0]) if parsed else None
        if parsed is None or citation is None:
            bad.append(warning)
        elif not reported_missing(citation, inputs.read_diagnostics, parsed[1]):
            bad.append(f"{warning} (bibkit reported no missing {'/'.join(parsed[1])})")
    return bad


@pytest.mark.parametrize("ascii_only", [False, True], ids=["utf8", "ascii"])
def test_bibtex_compiles_our_bibtex(
    bibtex: str, inputs: InputSet, ascii_only: bool, tmp_path: Path
) -> None:
    text = _ascii_bibtex(inputs) if ascii_only else written(inputs, "bibtex").text
    run = clients.run_bibtex(bibtex, text, tmp_path)
    assert not run.errors, "\n".join(run.errors) + "\n" + run.transcript
    assert not unexcused(run.warnings, inputs), "\n".join(unexcused(run.warnings, inputs))
    items = re.findall(r"\\bibitem\{([^}]*)\}", run.output or "")
    assert sorted(items) == sorted(c.id or "" for c in inputs.citations)


def _ascii_bibtex(inputs: InputSet) -> str:
    from io import StringIO

    from bibkit import api

    written(inputs, "bibtex")  # skips while there is no writer
    out = StringIO()
    api.write([c.model_copy(deep=True) for c in inputs.citations], "bibtex", out,
              options=WriteOptions(ascii=True))  # fmt: skip
    text = out.getvalue()
    assert text.isascii(), [line for line in text.splitlines() if not line.isascii()][:3]
    return text


def test_warning_parser_names_the_fields() -> None:
    assert missing_fields("empty author and editor in k1") == ("k1", ["author", "editor"])
    assert missing_fields("to sort, need author or key in k2") == ("k2", ["author"])
    assert missing_fields("empty journal in k3") == (
        "k3",
        ["container_title", "container_title_short"],
    )
    assert missing_fields("I didn't find a database entry for x") is None
