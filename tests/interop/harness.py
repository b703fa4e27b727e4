"""Glue between bibkit's output and a client's answer: which record is which, what the writer
said it could not carry, and which client complaints are excused by a field the input lacks."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from bibkit import api
from bibkit.diagnostics import Diagnostic
from bibkit.mappings import csl as table
from bibkit.model import Citation
from tests.interop.clients import ClientRun
from tests.interop.compare import Comparison, load_known_differences
from tests.interop.outputs import InputSet

FORMATS_WITH_KEYS = frozenset({"bibtex", "biblatex", "csljson"})
"""Formats that carry the citation key, so a client's records are matched by id (RIS: order)."""

MODEL_TO_CSL: dict[str, str] = {
    **{f: k for f, k in (*table.TEXT_FIELDS, *table.NAME_FIELDS, *table.DATE_FIELDS)},
    **{f: f"custom.{f}" for f in table.CUSTOM_FIELDS},
    "ISSN": "ISSN",
    "keyword": "keyword",
    "note": "note",
    "type": "type",
}


def csl_keys(model_field: str) -> set[str]:
    """The CSL-JSON fields that hold a model field (a person detail lives under custom)."""
    if model_field in MODEL_TO_CSL:
        return {MODEL_TO_CSL[model_field]}
    if model_field in table.PERSON_DETAILS:
        return {f"custom.{role}_details" for role, _ in table.NAME_FIELDS}
    return {model_field, f"custom.{model_field}"}


def not_carried(citation: Citation, to: str) -> set[str]:
    """CSL fields the ``to`` writer reports it cannot carry for this one record."""
    found = api.write([citation.model_copy(deep=True)], to, io.StringIO())
    return {
        key for d in found if d.code == "field-not-carried" and d.field for key in csl_keys(d.field)
    }


def our_csl(input_set: InputSet) -> list[dict[str, Any]]:
    """bibkit's own CSL-JSON of the set: the reference every client's answer is held to."""
    written = input_set.written("csljson")
    assert written is not None, "bibkit has no csljson writer"
    items: list[dict[str, Any]] = json.loads(written.text)
    return items


def compare_set(comparison: Comparison, input_set: InputSet, run: ClientRun) -> None:
    """Add every record of ``input_set`` to ``comparison``, matched by key or by position.

    A client that failed, or warned, on the set is a failure of its own."""
    where = f"{input_set.name} as {comparison.source_format}"
    comparison.client_errors += [f"{where}: {e}" for e in run.errors]
    comparison.client_errors += [f"{where}: warning: {w}" for w in run.warnings]
    if run.errors:
        return
    theirs: list[dict[str, Any]] = run.output
    ours = our_csl(input_set)
    lost = {c.id: not_carried(c, comparison.source_format) for c in input_set.citations}
    if comparison.source_format in FORMATS_WITH_KEYS:
        by_id = {str(item.get("id")): item for item in theirs}
        for item in ours:
            key = str(item["id"])
            if key in by_id:
                comparison.record(key, item, by_id.pop(key), lost.get(key, ()))
            else:
                comparison.missing_record(key, in_client=False)
        for key in by_id:
            comparison.missing_record(key, in_client=True)
        return
    for i, item in enumerate(ours):
        key = str(item["id"])
        if i < len(theirs):
            comparison.record(key, item, theirs[i], lost.get(key, ()))
        else:
            comparison.missing_record(key, in_client=False)
    for extra in theirs[len(ours) :]:
        comparison.missing_record(str(extra.get("id")), in_client=True)


def new_comparison(client: str, source_format: str) -> Comparison:
    return Comparison(client, source_format, load_known_differences())


def failure_report(comparison: Comparison) -> str:
    lines = [f"client failed: {e}" for e in comparison.client_errors]
    lines += [str(d) for d in comparison.unexplained]
    lines += [f"listed but no longer seen (remove it): {e.label()}" for e in comparison.unused()]
    return "\n".join(lines)


# --- complaints about missing fields ----------------------------------------------------------


def reported_missing(
    citation: Citation, diagnostics: Iterable[Diagnostic], fields: Iterable[str]
) -> bool:
    """Whether the record truly lacks every one of ``fields`` and bibkit said so for one."""
    wanted = set(fields)
    if any(_has(citation, name) for name in wanted):
        return False
    where = citation.provenance
    if where is None:
        return False
    return any(
        d.field in wanted and d.path == where.path and d.line == where.line for d in diagnostics
    )


def _has(citation: Citation, name: str) -> bool:
    value = getattr(citation, name)
    return bool(value) if not isinstance(value, str) else bool(value.strip())
