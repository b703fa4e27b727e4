"""What the command line shows a person: diagnostics, progress, reports and explanations."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import click

from bibkit import api
from bibkit.diagnostics import Diagnostic
from bibkit.io import atomic_write, expand_inputs
from bibkit.model import Citation, Provenance
from bibkit.registry import REGISTRY, ReadOptions
from bibkit.sources import detect, read_one, with_related_records

PROGRESS_MIN_BYTES = 8 * 1024 * 1024
LOSS_CODE = "field-not-carried"


class Progress(Protocol):
    def update(self, n: int = 1) -> object: ...
    def close(self) -> None: ...


class _NoProgress:
    def update(self, n: int = 1) -> None:
        return None

    def close(self) -> None:
        return None


def progress_for(inputs: Sequence[str], *, quiet: bool) -> Progress:
    """A progress bar on stderr only for large inputs and only when a person watches it."""
    if quiet or not sys.stderr.isatty():
        return _NoProgress()
    sources, _ = expand_inputs(i for i in inputs if i != "-")
    total = sum(s.path.stat().st_size for s in sources if s.path is not None)
    if total < PROGRESS_MIN_BYTES:
        return _NoProgress()
    from tqdm import tqdm

    bar: Progress = tqdm(unit=" records", file=sys.stderr, desc="converting", leave=False)
    return bar


AGGREGATED_CODES = frozenset({LOSS_CODE, "missing-field"})
"""Warnings that repeat record after record: printed once, with a count (the report has all)."""


def _repeat_key(diagnostic: Diagnostic) -> tuple[str, ...] | None:
    """Which printed line a repeating warning counts toward: a lost field is one line however
    its message varies (``… one ISSN: 1234-5678 left out``); a missing field one per wording."""
    if diagnostic.is_error or not diagnostic.field or diagnostic.code not in AGGREGATED_CODES:
        return None
    if diagnostic.code == LOSS_CODE:
        return (diagnostic.code, diagnostic.field)
    return (diagnostic.code, diagnostic.field, diagnostic.message)


class WriterDiagnostics:
    """What the writer reports, counted rather than kept when no ``--report`` needs each one:
    a million records would otherwise hold five million warnings to the end of the run.

    For ``--report`` each one is also filed under the record being written (``record``, set as
    each record is handed to the writer): records that share a line, as in a one-line JSON
    file, cannot be told apart by place.
    """

    def __init__(self, *, keep_all: bool) -> None:
        self.keep_all = keep_all
        self.kept: list[Diagnostic] = []
        self.repeated: dict[tuple[str, ...], tuple[Diagnostic, int]] = {}
        self.record = -1
        self.by_record: dict[int, list[Diagnostic]] = defaultdict(list)

    def __call__(self, diagnostic: Diagnostic) -> None:
        key = None if self.keep_all else _repeat_key(diagnostic)
        if key is None:
            self.kept.append(diagnostic)
            if self.keep_all:
                self.by_record[self.record].append(diagnostic)
            return
        first, count = self.repeated.get(key, (diagnostic, 0))
        self.repeated[key] = (first, count + 1)

    def count_repeat(self, code: str, field: str, message: str, /) -> bool:
        """What ``self(Diagnostic(…, "warning", code, message, field))`` does when it only
        counts, without the Diagnostic: writers report about five warnings a record."""
        if self.keep_all or not field or code not in AGGREGATED_CODES:
            return False
        key = (code, field) if code == LOSS_CODE else (code, field, message)
        found = self.repeated.get(key)
        if found is None:
            return False
        self.repeated[key] = (found[0], found[1] + 1)
        return True


def print_diagnostics(
    diagnostics: Sequence[Diagnostic],
    *,
    quiet: bool,
    counted: dict[tuple[str, ...], tuple[Diagnostic, int]] | None = None,
) -> None:
    """Errors and warnings as ``path:line: severity: message``; repeated warnings once each,
    with how many more records had them."""
    repeated: dict[tuple[str, ...], tuple[Diagnostic, int]] = {}
    for diagnostic in diagnostics:
        key = _repeat_key(diagnostic)
        if key is not None:
            first, count = repeated.get(key, (diagnostic, 0))
            repeated[key] = (first, count + 1)
            continue
        if quiet and not diagnostic.is_error:
            continue
        click.echo(str(diagnostic), err=True)
    if quiet:
        return
    for key, (first, count) in (counted or {}).items():
        earlier, earlier_count = repeated.get(key, (first, 0))
        repeated[key] = (earlier, earlier_count + count)
    for first, count in repeated.values():
        where = first.path if first.line is None else f"{first.path}:{first.line}"
        others = f" (and {count - 1} more records)" if count > 1 else ""
        click.echo(f"{where}: warning: {first.message}{others}", err=True)


def write_report(
    path: Path,
    citations: Sequence[Citation],
    result: api.ConvertResult,
    target: str,
    written: WriterDiagnostics,
) -> None:
    """The ``--report`` ledger: every record, its diagnostics and the fields the target lost.

    The writer's diagnostics are filed by record; the readers' by place (path and line).
    """
    from_writer = {id(d) for found in written.by_record.values() for d in found}
    by_place: dict[tuple[str, int | None], list[Diagnostic]] = defaultdict(list)
    for diagnostic in result.diagnostics:
        if id(diagnostic) not in from_writer:
            by_place[(diagnostic.path, diagnostic.line)].append(diagnostic)

    def entry(index: int, citation: Citation) -> dict[str, Any]:
        origin = citation.provenance
        place = (origin.path, origin.line) if origin else ("", None)
        found = by_place.pop(place, []) + written.by_record.pop(index, [])
        return {
            "key": citation.id,
            "PMID": citation.PMID,
            "DOI": citation.DOI,
            "source": origin.model_dump() if origin else None,
            "merged_from": [p.model_dump() for p in citation.merged_from],
            "fields_not_carried": sorted(
                {d.field for d in found if d.code == LOSS_CODE and d.field}
            ),
            "diagnostics": [_diagnostic_json(d) for d in found if d.code != LOSS_CODE],
        }

    records = [entry(i, c) for i, c in enumerate(citations)]
    for found in written.by_record.values():  # reported outside any record
        for diagnostic in found:
            by_place[(diagnostic.path, diagnostic.line)].append(diagnostic)
    ledger = {
        "target": target,
        "records": records,
        "records_written": result.records,
        "records_merged": result.merged,
        "errors": sum(d.is_error for d in result.diagnostics),
        "warnings": sum(not d.is_error for d in result.diagnostics),
        "other_diagnostics": [_diagnostic_json(d) for found in by_place.values() for d in found],
    }
    with atomic_write(path) as handle:
        json.dump(ledger, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


def _diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "path": diagnostic.path,
        "line": diagnostic.line,
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "field": diagnostic.field,
    }


def explain_record(citation: Citation) -> str:
    """Each field of a (possibly merged) record and the inputs it came from."""
    lines = [f"PMID {citation.PMID} ({citation.id}):"]
    if citation.merged_from:
        lines.append(f"  merged from {len(citation.merged_from)} records:")
        lines.extend(f"    {_place(where)}" for where in citation.merged_from)
    for name in Citation.model_fields:
        if name in {"provenance", "field_sources", "merged_from"}:
            continue
        value = getattr(citation, name)
        if value in (None, "", []):
            continue
        if name == "relations":
            shown = f"{len(value)} links"
        elif isinstance(value, str):
            shown = value
        else:
            shown = json.dumps(_plain(value), ensure_ascii=False)
        if len(shown) > 70:
            shown = shown[:67] + "..."
        lines.append(f"  {name:<22} {shown:<72} from {_origins(citation, name)}")
    return "\n".join(lines)


def _origins(citation: Citation, name: str) -> str:
    found = citation.field_sources.get(name)
    if found is None:
        found = [citation.provenance] if citation.provenance else []
    return " + ".join(map(_place, found)) or "?"


def _place(where: Provenance) -> str:
    return f"{where.path}:{where.line} ({where.format})"


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(exclude_defaults=True)
    return value


_COMPLETE: dict[str, tuple[str, ...]] = {
    "article-journal": ("author", "title", "container_title", "issued", "volume", "page", "DOI"),
    "book": ("author", "title", "publisher", "issued"),
    "chapter": ("author", "title", "container_title", "publisher", "issued"),
}
"""What a reference list shows of each kind of work; any other kind needs the first three."""
_COMPLETE_OTHER = ("author", "title", "issued")


def missing_for_citation(citation: Citation) -> list[str]:
    """What a reference list needs of this kind of work that the record lacks: a journal's
    volume and pages, a book's publisher (a book by its editors has its authors)."""
    wanted = _COMPLETE.get(citation.type, _COMPLETE_OTHER)
    missing = [name for name in wanted if getattr(citation, name) in (None, "", [])]
    if "container_title" in missing and citation.container_title_short:
        missing.remove("container_title")
    if "author" in missing and citation.type == "book" and citation.editor:
        missing.remove("author")
    return missing


def inspect_table(
    inputs: Sequence[str], from_format: str | None, with_related: bool
) -> tuple[str, bool]:
    """Per file: format, records, warnings, errors; per record: what is missing."""
    sources, problems = expand_inputs(inputs)
    spec = REGISTRY.reader_for(from_format) if from_format else None
    width = max((len(source.name) for source in sources), default=4)
    lines = [f"{'file':<{width}} {'format':<12} {'records':>7} {'warnings':>8} {'errors':>6}"]
    details: list[str] = []
    failed = bool(problems)
    for problem in problems:
        details.append(str(problem))
    for source in sources:
        chosen = detect(source, spec)
        format_name = chosen.name if not isinstance(chosen, Diagnostic) else "?"
        items = read_one(source, spec, ReadOptions())
        if with_related:
            items = with_related_records(items)
        records = warnings = errors = 0
        for item in items:
            if isinstance(item, Diagnostic):
                errors += item.is_error
                warnings += not item.is_error
                details.append(str(item))
                continue
            records += 1
            missing = missing_for_citation(item)
            if missing:
                origin = item.provenance
                where = f"{origin.path}:{origin.line}" if origin else source.name
                label = f"PMID {item.PMID}" if item.PMID else (item.title or "record")[:40]
                details.append(f"{where}: {label}: missing {', '.join(missing)}")
        failed = failed or errors > 0
        lines.append(
            f"{source.name:<{width}} {format_name:<12} {records:>7} {warnings:>8} {errors:>6}"
        )
    text = "\n".join(lines) + "\n"
    if details:
        text += "\n" + "\n".join(details) + "\n"
    return text, failed
