"""The library behind the command line: read, write and convert citations.

Reading yields records one at a time; the pipeline merges duplicates and gives every record a
citation key; writers stream. Problems never raise: they come back as Diagnostics.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bibkit.diagnostics import BibkitError, Diagnostic, Report
from bibkit.io import (
    Source,
    atomic_write,
    expand_inputs,
    refuse_overwriting_inputs,
    utf8_stdout,
)
from bibkit.keys import KeyAllocator, base_key
from bibkit.merge import Deduplicator, identities_of
from bibkit.model import Citation
from bibkit.registry import REGISTRY, FormatSpec, ReadOptions, WriteOptions
from bibkit.sources import read_sources, scan_identities

InputLike = str | Path | Source

TWO_PASS_BYTES = 16 * 1024 * 1024
"""Above this much input, records are read twice instead of held in memory to merge twins."""


def _input_bytes(source: Source) -> int:
    """What an input holds once read. A gzip input counts as large whatever its size on disk:
    PubMed XML inflates 10 to 80 times, and the gzip trailer's size is only the last member's,
    modulo 4 GB, so it cannot promise that holding every record stays small."""
    size = source.path.stat().st_size if source.path else len(source.data or b"")
    if source.path is not None and not source.path.is_file():
        return size  # a pipe or device is not opened an extra time to look at it
    try:
        packed = source.is_gzip
    except OSError:
        return size  # unreadable: its reader says so
    return TWO_PASS_BYTES + 1 if packed else size


def _sources(inputs: Iterable[InputLike]) -> tuple[list[Source], list[Diagnostic]]:
    sources: list[Source] = []
    names: list[str] = []
    for item in inputs:
        if isinstance(item, Source):
            sources.append(item)
        else:
            names.append(str(item))
    found, problems = expand_inputs(names)
    return sources + found, problems


def _reader_spec(from_format: str | None) -> FormatSpec | None:
    return REGISTRY.reader_for(from_format) if from_format else None


def iter_read(
    inputs: Iterable[InputLike],
    *,
    from_format: str | None = None,
    options: ReadOptions | None = None,
    with_related: bool = False,
) -> Iterator[Citation | Diagnostic]:
    """Every record of every input as its reader yields it: no merging, no keys.

    With ``with_related``, the works a record links to (similar articles, cited by …) follow
    it as records of their own.
    """
    sources, problems = _sources(inputs)
    yield from problems
    yield from read_sources(
        sources, _reader_spec(from_format), options or ReadOptions(), with_related=with_related
    )


@dataclass
class Pipeline:
    """Merging twins and assigning keys, shared by ``read`` and ``convert``."""

    sources: list[Source]
    spec: FormatSpec | None
    options: ReadOptions
    with_related: bool = False
    jobs: int = 1
    on_record: Callable[[Citation], None] | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    records_read: int = 0
    merged: int = 0
    _missing: defaultdict[tuple[str, int | None], list[Diagnostic]] = field(
        default_factory=lambda: defaultdict(list), repr=False
    )
    """``missing-field`` warnings by record, for a twin that fills the field."""

    def _pass(self, keep_diagnostics: bool) -> Iterator[Citation]:
        for item in read_sources(
            self.sources, self.spec, self.options, with_related=self.with_related, jobs=self.jobs
        ):
            if isinstance(item, Diagnostic):
                if keep_diagnostics:
                    self.diagnostics.append(item)
                    if item.code == "missing-field":
                        self._missing[(item.path, item.line)].append(item)
            else:
                yield item

    def _identities(self, dedupe: Deduplicator) -> None:
        """Pass one: the identifiers of every record, to know the twins before yielding."""
        found = scan_identities(
            self.sources, self.spec, self.options, with_related=self.with_related, jobs=self.jobs
        )
        for pmid, doi in found:
            dedupe.count_ids(identities_of(pmid, doi))

    def citations(self) -> Iterator[Citation]:
        """Merged, keyed records in input order (a merged record where its last twin stood)."""
        dedupe = Deduplicator()
        total = sum(map(_input_bytes, self.sources))
        if total > TWO_PASS_BYTES:
            self._identities(dedupe)
            second: Iterable[Citation] = self._pass(keep_diagnostics=True)
        else:
            held = list(self._pass(keep_diagnostics=True))
            for citation in held:
                dedupe.count(citation)
            second = held
        self.merged = dedupe.duplicates
        keys = KeyAllocator()
        answered: set[int] = set()
        for citation in dedupe.run(second):
            self.records_read += 1
            if citation.merged_from:
                answered.update(self._answered_by_twins(citation))
            key = citation.id if citation.id and keys.reserve(citation.id) else None
            citation.id = key or keys.allocate(base_key(citation))
            if self.on_record is not None:
                self.on_record(citation)
            yield citation
        if answered:
            self.diagnostics = [d for d in self.diagnostics if id(d) not in answered]
        if dedupe.unforeseen:
            self.diagnostics.append(_unforeseen(dedupe))

    def _answered_by_twins(self, citation: Citation) -> Iterator[int]:
        """The ``missing-field`` warnings of a merged record's inputs about a field a twin
        filled: they no longer describe what is written (ids of the diagnostics)."""
        for where in citation.merged_from:
            for diagnostic in self._missing.get((where.path, where.line), ()):
                if diagnostic.field and getattr(citation, diagnostic.field, None) not in (
                    None, "", []
                ):  # fmt: skip
                    yield id(diagnostic)


def _unforeseen(dedupe: Deduplicator) -> Diagnostic:
    """Pass one missed identifiers that pass two read: a bug of a scanner, told, not hidden."""
    where = dedupe.first_unforeseen.provenance if dedupe.first_unforeseen else None
    return Diagnostic(
        where.path if where else "<input>",
        where.line if where else None,
        "warning",
        "twins-unchecked",
        f"{dedupe.unforeseen} record(s), this the first, hold identifiers the first pass did not"
        " see: their twins, if any, are not merged",
    )


def read(
    inputs: Iterable[InputLike],
    *,
    from_format: str | None = None,
    options: ReadOptions | None = None,
    with_related: bool = False,
) -> tuple[list[Citation], list[Diagnostic]]:
    """All records, twins merged and keys assigned, with every problem found on the way."""
    sources, problems = _sources(inputs)
    pipeline = Pipeline(sources, _reader_spec(from_format), options or ReadOptions(), with_related)
    citations = list(pipeline.citations())
    return citations, problems + pipeline.diagnostics


def write(
    citations: Iterable[Citation],
    to: str,
    out: TextIO,
    *,
    options: WriteOptions | None = None,
    report: Report | None = None,
) -> list[Diagnostic]:
    """Write ``citations`` in format ``to``; returns what the format could not carry."""
    found: list[Diagnostic] = []
    writer = REGISTRY.writer_for(to).load_writer()
    writer(citations, out, options or WriteOptions(), report or found.append)
    return found


def dumps(citations: Iterable[Citation], to: str, *, options: WriteOptions | None = None) -> str:
    buffer = io.StringIO()
    write(citations, to, buffer, options=options)
    return buffer.getvalue()


class _NothingRead(Exception):
    """Raised inside the atomic write so that the temp file is dropped, not renamed."""


@dataclass
class ConvertResult:
    records: int = 0
    merged: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    citations_seen: list[Citation] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def convert(
    inputs: Iterable[InputLike],
    to: str,
    output: str | Path | None = None,
    *,
    from_format: str | None = None,
    read_options: ReadOptions | None = None,
    write_options: WriteOptions | None = None,
    with_related: bool = False,
    jobs: int = 1,
    on_record: Callable[[Citation], None] | None = None,
    stdout: TextIO | None = None,
    report: Report | None = None,
) -> ConvertResult:
    """Read every input, merge twins, key the records and write them to ``output`` (or stdout).

    The output file is replaced atomically, and only once the whole conversion has run; a run
    in which no input could be read leaves an existing file as it was (a mistyped input name
    must not empty yesterday's output).
    ``report``, when given, receives what the writer reports instead of ``diagnostics``, so a
    caller can count repeated warnings rather than hold one per record (a
    :class:`~bibkit.diagnostics.Tally` is asked first, so that a repeat costs only a count).
    Raises BibkitError for usage problems (unknown format, output equal to an input).
    """
    spec = _reader_spec(from_format)
    writer_spec = REGISTRY.writer_for(to)
    sources, problems = _sources(inputs)
    if output is not None:
        refuse_overwriting_inputs(output, sources)
    result = ConvertResult(diagnostics=list(problems))
    pipeline = Pipeline(sources, spec, read_options or ReadOptions(), with_related, jobs, on_record)
    writer = writer_spec.load_writer()
    options = write_options or WriteOptions()

    def run(out: TextIO) -> None:
        writer(pipeline.citations(), out, options, report or result.diagnostics.append)

    def nothing_read() -> bool:
        found = problems + pipeline.diagnostics
        return pipeline.records_read == 0 and any(d.is_error for d in found)

    if output is None:
        if stdout is not None:
            run(stdout)
        else:
            with utf8_stdout() as out:
                run(out)
    else:
        try:
            with atomic_write(output) as handle:
                run(handle)
                if nothing_read():
                    raise _NothingRead
        except _NothingRead:
            state = "left as it was" if Path(output).exists() else "not written"
            result.diagnostics.append(
                Diagnostic(
                    str(output), None, "warning", "output-kept", f"{state}: no input could be read"
                )
            )
        except OSError as error:
            raise BibkitError(f"{output}: cannot write: {error.strerror or error}") from error
    result.records = pipeline.records_read
    result.merged = pipeline.merged
    result.diagnostics[len(problems) : len(problems)] = pipeline.diagnostics
    return result
