"""``biber --tool --validate-datamodel`` finds bibkit's BibLaTeX clean: every entry type and
field is in biblatex's data model, every date parses; a mandatory field may be missing only
where the input truly lacks it and bibkit itself reported that."""

from __future__ import annotations

import re
from pathlib import Path

from tests.interop import clients
from tests.interop.conftest import written
from tests.interop.harness import reported_missing
from tests.interop.outputs import InputSet

_MISSING = re.compile(
    r"^Datamodel: Entry '(?P<key>[^']+)' \([^)]*\): Missing mandatory field"
    r"(?: - one of '(?P<any>[^']+)' must be defined| '(?P<one>[^']+)')$"
)
BIBLATEX_FIELDS: dict[str, tuple[str, ...]] = {
    "author": ("author",),
    "editor": ("editor",),
    "journaltitle": ("container_title", "container_title_short"),
    "booktitle": ("container_title",),
    "date": ("issued",),
    "year": ("issued",),
    "title": ("title",),
    "publisher": ("publisher",),
    "institution": ("publisher",),
}


def missing_fields(warning: str) -> tuple[str, list[str]] | None:
    match = _MISSING.match(warning)
    if match is None:
        return None
    names = (match["any"] or match["one"]).split(", ")
    return match["key"], sorted({f for n in names for f in BIBLATEX_FIELDS.get(n, (n,))})


def test_biber_validates_our_biblatex(biber: str, inputs: InputSet, tmp_path: Path) -> None:
    run = clients.run_biber_validate(biber, written(inputs, "biblatex").text, tmp_path)
    assert not run.errors, "\n".join(run.errors) + "\n" + run.transcript
    by_key = {c.id: c for c in inputs.citations}
    bad = []
    for warning in run.warnings:
        parsed = missing_fields(warning)
        citation = by_key.get(parsed[0]) if parsed else None
        if parsed is None or citation is None:
            bad.append(warning)
        elif not reported_missing(citation, inputs.read_diagnostics, parsed[1]):
            bad.append(f"{warning} (bibkit reported no missing {'/'.join(parsed[1])})")
    assert not bad, "\n".join(bad)


def test_biber_warning_parser() -> None:
    entry = "Datamodel: Entry 'k' (refs.bib): "
    assert missing_fields(entry + "Missing mandatory field 'author'") == ("k", ["author"])
    any_of = entry + "Missing mandatory field - one of 'date, year' must be defined"
    assert missing_fields(any_of) == ("k", ["issued"])
    assert missing_fields(entry + "Field 'pmid' invalid in data model - ignoring") is None
