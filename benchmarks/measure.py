"""What the MEDLINE and PubMed XML benchmarks share: timing a run in a process of its own, and
the stack floor.

The stack floor is the CPU time per record that the libraries bibkit is built on need by
themselves, with no bibkit logic: pydantic validating a record's data (the model is pydantic)
and bibtexparser serialising its entry (bibtexparser writes every BibTeX entry). Added to the
bare parse the benchmark already measures (Biopython for MEDLINE, lxml ``iterparse`` for
XML), it is the least any conversion built on this stack can cost, so a target rate can be
checked against what the stack allows before anyone tunes bibkit's own code for it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bibkit.model import Citation

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHUNK = 2_000
"""Records prepared (untimed) before their validation and serialisation are timed: memory
stays at one chunk however large the file."""
BATCH = 16
"""Entries per bibtexparser call, as the BibTeX writer batches them."""


@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    peak_mb: float
    ok: bool
    note: str = ""


def timed(name: str, command: list[str], stdout: Path | None = None, note: str = "") -> Run:
    """``command`` under ``/usr/bin/time -v``: wall, user+system CPU and peak RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
        try:
            started = time.perf_counter()
            done = subprocess.run(
                ["/usr/bin/time", "-v", "-o", report.name, *command],
                stdout=out,
                stderr=subprocess.PIPE,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                check=False,
            )
            wall = time.perf_counter() - started
        finally:
            if stdout:
                out.close()  # type: ignore[union-attr]
        text = report.read()
    user, system, peak = (
        float(_field(text, r"User time \(seconds\): ([\d.]+)")),
        float(_field(text, r"System time \(seconds\): ([\d.]+)")),
        int(_field(text, r"Maximum resident set size \(kbytes\): (\d+)")),
    )
    if done.returncode not in (0, 1):
        note = f"{note} exit {done.returncode}: {done.stderr.decode(errors='replace')[-300:]}"
    return Run(name, wall, user + system, peak / 1024, done.returncode in (0, 1), note.strip())


def _field(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    return match.group(1) if match else "0"


def writable_formats() -> list[str]:
    done = subprocess.run(
        [PYTHON, "-m", "bibkit", "formats"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    return [line.split()[0] for line in done.stdout.splitlines()[1:] if " yes " in f" {line} "]


def count_entries(path: Path) -> int:
    if not path.exists():
        return 0
    text = path.read_text(encoding="utf-8", errors="replace")
    return len(re.findall(r"^\ufeff?@\w+\{|^TY  - |\"type\":", text, re.M))


def verdict_line(rate: float, target: float, peak_mb: float, unit: str) -> str:
    """Issue 4's end-to-end targets: the one-core rate and a peak under 200 MB."""
    return (f"{rate:,.0f} {unit} per CPU second ({'meets' if rate >= target else 'misses'} the"
            f" {target:,.0f}/s target), peak {peak_mb:.0f} MB"
            f" ({'under' if peak_mb < 200 else 'over'} 200 MB)")  # fmt: skip


# -- the stack floor ------------------------------------------------------------------------


@dataclass
class Floor:
    """CPU seconds the stack's libraries spent, over ``records`` records."""

    records: int = 0
    validation: float = 0.0
    serialisation: float = 0.0

    def per_record(self, seconds: float) -> float:
        """Microseconds a record."""
        return seconds * 1e6 / max(self.records, 1)

    def line(self) -> str:
        """What the phase prints, and :func:`run_floor` reads back."""
        return f"{self.records} {self.validation!r} {self.serialisation!r}"


def stack_floor(citations: Iterable[Citation]) -> Floor:
    """Time pydantic and bibtexparser on bibkit's own records, chunk by chunk.

    Each record is dumped to the plain data it was validated from, and turned into its BibTeX
    entry, untimed; then the validation of that data and the serialisation of the entries (in
    the writer's batches) are timed alone."""
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library
    from bibtexparser.model import Block
    from bibtexparser.writer import BibtexFormat

    from bibkit.mappings.bibtex import BIBTEX
    from bibkit.model import Citation
    from bibkit.writers.bibtex import to_entry

    layout = BibtexFormat()  # type: ignore[no-untyped-call]
    layout.indent = "  "
    layout.block_separator = "\n"
    floor = Floor()
    for chunk in _chunks(citations, CHUNK):
        data: list[dict[str, Any]] = [c.model_dump(exclude_unset=True) for c in chunk]
        entries: list[Block] = [to_entry(c, BIBTEX)[0] for c in chunk]
        started = time.process_time()
        for item in data:
            Citation.model_validate(item)
        floor.validation += time.process_time() - started
        started = time.process_time()
        for start in range(0, len(entries), BATCH):
            write_string(
                Library(entries[start : start + BATCH]), unparse_stack=[], bibtex_format=layout
            )
        floor.serialisation += time.process_time() - started
        floor.records += len(chunk)
    return floor


def _chunks(items: Iterable[Citation], size: int) -> Iterator[list[Citation]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def run_floor(script: str, path: Path) -> Floor | None:
    """The floor phase of a benchmark script, in a process of its own."""
    done = subprocess.run(
        [PYTHON, script, "--phase", "floor", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    fields = done.stdout.split()
    if done.returncode != 0 or len(fields) != 3:
        print(f"stack floor not measured: {done.stderr.strip()[-300:]}")
        return None
    return Floor(int(fields[0]), float(fields[1]), float(fields[2]))


def report_floor(floor: Floor, parse: Run, parse_name: str, records: int, target: float) -> None:
    """The floor beside the target's budget: what is left for bibkit's own work."""
    per = 1e6 / records
    parse_us = parse.cpu * per
    validation = floor.per_record(floor.validation)
    serialisation = floor.per_record(floor.serialisation)
    total = parse_us + validation + serialisation
    budget = 1e6 / target
    print(f"\nstack floor per record (CPU): {parse_name} {parse_us:.0f} us + pydantic validation"
          f" {validation:.0f} us + bibtexparser serialisation {serialisation:.0f} us"
          f" = {total:.0f} us, {1e6 / total:,.0f}/s at most;")  # fmt: skip
    print(f"the {target:,.0f}/s target allows {budget:.0f} us a record, which leaves"
          f" {budget - total:.0f} us for everything bibkit does itself")  # fmt: skip


def phase_floor(reader: str, path: str) -> str:
    """The floor phase's output (see :meth:`Floor.line`) for ``path`` read by the reader
    module ``bibkit.readers.<reader>``."""
    import importlib

    from bibkit.io import Source
    from bibkit.model import Citation
    from bibkit.registry import ReadOptions

    read = importlib.import_module(f"bibkit.readers.{reader}").read
    items = read(Source.from_path(path), ReadOptions())
    return stack_floor(item for item in items if isinstance(item, Citation)).line()
