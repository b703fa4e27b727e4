"""Running the right reader over each input, in order, in this process or spread over several."""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from bibkit.diagnostics import Diagnostic, Severity
from bibkit.io import GZIP_ERRORS, Source, read_failure
from bibkit.model import Citation
from bibkit.registry import REGISTRY, FormatSpec, ReadOptions

Item = Citation | Diagnostic

PARALLEL_MIN_BYTES = 4 * 1024 * 1024
"""Below this much input, starting worker processes costs more than it saves."""
_CHUNK = 500


def detect(source: Source, spec: FormatSpec | None = None) -> FormatSpec | Diagnostic:
    """The reader for ``source``: ``spec`` when named, else the one its content shows.

    A gzip input damaged so early that its content cannot be sniffed is one ``bad-gzip`` error,
    not an "unknown format" that would send the user looking in the wrong place.
    """
    if spec is not None:
        return spec
    try:
        chosen = REGISTRY.detect(source)
        damage = source.head_damage() if isinstance(chosen, Diagnostic) else None
    except OSError as error:
        return Diagnostic(source.name, None, "error", "unreadable", error.strerror or str(error))
    if damage is not None:
        return Diagnostic(source.name, None, "error", "bad-gzip", damage)
    return chosen


def read_one(source: Source, spec: FormatSpec | None, options: ReadOptions) -> Iterator[Item]:
    """One input through its reader (named, or found by sniffing); never raises on bad input.

    Finding no record is a warning when the format was sniffed (an empty export), and an error
    when it was named with ``--from``: the input is not what the user said it is.
    """
    chosen = detect(source, spec)
    if isinstance(chosen, Diagnostic):
        yield chosen
        return
    decoding: list[Diagnostic] = []
    found = failed = False
    try:
        for item in chosen.load_reader()(source.with_report(decoding.append), options):
            yield from _drain(decoding)
            found = found or isinstance(item, Citation)
            failed = failed or (isinstance(item, Diagnostic) and item.is_error)
            yield item
    except GZIP_ERRORS as error:
        failed = True
        yield read_failure(source.name, error)
    except OSError as error:
        failed = True
        yield Diagnostic(source.name, None, "error", "unreadable", error.strerror or str(error))
    yield from _drain(decoding)
    if not found and not failed:
        severity: Severity = "warning" if spec is None else "error"
        yield Diagnostic(
            source.name, None, severity, "no-records", f"no {chosen.name} records found"
        )


def _drain(pending: list[Diagnostic]) -> Iterator[Diagnostic]:
    """What the decoder reported while the reader read ahead (it reads before it yields)."""
    ready = pending[:]
    pending.clear()
    yield from ready


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


Identity = tuple[str | None, str | None]


def scan_identities(
    sources: list[Source],
    spec: FormatSpec | None,
    options: ReadOptions,
    *,
    with_related: bool = False,
    jobs: int = 1,
) -> Iterator[Identity]:
    """Pass one of a large conversion: ``(PMID, DOI)`` of every record, in no set order.

    Inputs whose reader has an identity scanner are scanned (in worker processes, like
    reading, with ``jobs``), the others read whole. Strict mode and related records need
    whole records: what pass two will yield depends on them.
    """
    scanning = not options.strict and not with_related
    scanned: list[tuple[Source, FormatSpec]] = []
    unscanned: list[Source] = []
    for source in sources:
        chosen = detect(source, spec) if scanning else None
        if isinstance(chosen, FormatSpec) and chosen.identity_scanner is not None:
            scanned.append((source, chosen))
        else:
            unscanned.append(source)
    if jobs > 1 and len(scanned) > 1 and sum(_size(s) for s, _ in scanned) >= PARALLEL_MIN_BYTES:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for found in pool.map(_scan, scanned):
                yield from found
    else:
        for job in scanned:
            yield from _scanner(job)
    items = read_sources(unscanned, spec, options, with_related=with_related, jobs=jobs)
    for item in items:
        if isinstance(item, Citation):
            yield item.PMID, item.DOI


def _scanner(job: tuple[Source, FormatSpec]) -> Iterator[Identity]:
    source, spec = job
    scanner = spec.load_identity_scanner()
    assert scanner is not None
    return scanner(source)


def _scan(job: tuple[Source, FormatSpec]) -> list[Identity]:
    """Worker: one input's identifiers, sent back whole (a few MB for a baseline file)."""
    return list(_scanner(job))


def _read_to_spool(
    source: Source, spec: FormatSpec | None, options: ReadOptions, folder: str
) -> str:
    """Worker: read one input into a temp file of pickled chunks, so memory stays small."""
    fd, name = tempfile.mkstemp(prefix="bibkit-", suffix=".pickle", dir=folder)
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
    """Workers spool into one folder of this run, removed whatever happens: a worker that
    failed or was killed, a run stopped early, a reader bug that ends it."""
    with tempfile.TemporaryDirectory(prefix="bibkit-") as folder:
        pool = ProcessPoolExecutor(max_workers=jobs)
        try:
            futures = [
                pool.submit(_read_to_spool, source, spec, options, folder) for source in sources
            ]
            for future in futures:
                yield from _unspool(future.result())
        finally:
            # Every worker has stopped before the folder goes, so none writes a spool after.
            pool.shutdown(wait=True, cancel_futures=True)
