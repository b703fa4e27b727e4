"""Running the right reader over each input, in order, in this process or spread over several."""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from bibkit.diagnostics import Diagnostic
from bibkit.io import Source
from bibkit.model import Citation
from bibkit.registry import REGISTRY, FormatSpec, ReadOptions

Item = Citation | Diagnostic

PARALLEL_MIN_BYTES = 4 * 1024 * 1024
"""Below this much input, starting worker processes costs more than it saves."""
_CHUNK = 500


def read_one(source: Source, spec: FormatSpec | None, options: ReadOptions) -> Iterator[Item]:
    """One input through its reader (named, or found by sniffing); never raises on bad input."""
    try:
        chosen = spec or REGISTRY.detect(source)
        if isinstance(chosen, Diagnostic):
            yield chosen
            return
        found = False
        for item in chosen.load_reader()(source, options):
            found = found or isinstance(item, Citation)
            yield item
    except OSError as error:
        yield Diagnostic(source.name, None, "error", "unreadable", error.strerror or str(error))
        return
    if not found:
        yield Diagnostic(
            source.name, None, "warning", "no-records", f"no {chosen.name} records found"
        )


RELATED_WANTED = (
    ("author", "no authors"),
    ("container_title", "no journal"),
    ("issued", "no publication year"),
    ("title", "no title"),
)
"""What a citation needs and a linked entry (PubMed's one-line summary form) often lacks."""


def with_related_records(items: Iterable[Item]) -> Iterator[Item]:
    """Each record followed by the works it links to, as records of their own.

    A linked entry that becomes a record is held to the same standard as a main record: what it
    lacks for a complete citation is reported, so no client's complaint comes as a surprise.
    """
    for item in items:
        yield item
        if isinstance(item, Citation):
            for relation in item.relations:
                yield from _missing_in_related(relation.citation)
                yield relation.citation


def _missing_in_related(citation: Citation) -> Iterator[Diagnostic]:
    where = citation.provenance
    if where is None:
        return
    for field, what in RELATED_WANTED:
        present = getattr(citation, field)
        if field == "container_title":
            present = present or citation.container_title_short
        elif field == "issued":
            present = present and present.year
        if not present:
            yield Diagnostic(
                where.path, where.line, "warning", "missing-field",
                f"the linked entry states {what}; left empty", field,
            )  # fmt: skip


def _size(source: Source) -> int:
    if source.path is not None:
        return source.path.stat().st_size
    return len(source.data or b"")


def read_sources(
    sources: list[Source],
    spec: FormatSpec | None,
    options: ReadOptions,
    *,
    with_related: bool = False,
    jobs: int = 1,
) -> Iterator[Item]:
    """Every record of every source in input order, whatever ``jobs`` is."""
    if jobs > 1 and len(sources) > 1 and sum(map(_size, sources)) >= PARALLEL_MIN_BYTES:
        items = _read_parallel(sources, spec, options, jobs)
    else:
        items = (item for source in sources for item in read_one(source, spec, options))
    return with_related_records(items) if with_related else items


def _read_to_spool(source: Source, spec: FormatSpec | None, options: ReadOptions) -> str:
    """Worker: read one input into a temp file of pickled chunks, so memory stays small."""
    fd, name = tempfile.mkstemp(prefix="bibkit-", suffix=".pickle")
    with os.fdopen(fd, "wb") as spool:
        chunk: list[Item] = []
        for item in read_one(source, spec, options):
            chunk.append(item)
            if len(chunk) >= _CHUNK:
                pickle.dump(chunk, spool, protocol=pickle.HIGHEST_PROTOCOL)
                chunk = []
        pickle.dump(chunk, spool, protocol=pickle.HIGHEST_PROTOCOL)
    return name


def _unspool(name: str) -> Iterator[Item]:
    try:
        with open(name, "rb") as spool:
            while True:
                try:
                    chunk: list[Item] = pickle.load(spool)
                except EOFError:
                    return
                yield from chunk
    finally:
        os.unlink(name)


def _read_parallel(
    sources: list[Source], spec: FormatSpec | None, options: ReadOptions, jobs: int
) -> Iterator[Item]:
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_read_to_spool, source, spec, options) for source in sources]
        try:
            for future in futures:
                yield from _unspool(future.result())
        finally:
            for future in futures:
                if future.cancel():
                    continue
                if future.done() and future.exception() is None and os.path.exists(future.result()):
                    os.unlink(future.result())
