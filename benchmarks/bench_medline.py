"""Benchmark: 100,000 MEDLINE (.nbib) records to BibTeX, against Biopython and bibutils.

    python benchmarks/bench_medline.py [--records 100000] [--workdir DIR] [--no-biopython]
                                       [--no-bibutils] [--profile]

The input is generated from the real PubMed exports in tests/data/medline/ (PMID, DOI, PII,
PMCID, title and first author varied per record, so that no two records merge), and every
tool reads the same file. Each run is a separate process under ``/usr/bin/time -v``, which
gives wall time, CPU time and peak resident memory (RSS):

- ``Biopython``: ``Bio.Medline.parse`` over the file, records counted and dropped (a bare parse
  into dicts of strings, the reference point for Python). Biopython is no dependency of
  bibkit: the benchmark installs it into a virtual environment of its own (under the work
  directory's cache) and says so;
- ``bibkit read``: ``medline.read`` alone, every record converted to a validated Citation;
- ``bibkit identity scan``: ``medline.identities`` alone, pass one of a large conversion (the
  PMID and DOI of each record, to find twins);
- ``bibkit convert``: ``python -m bibkit convert big.nbib --to bibtex -o out.bib`` end to end,
  one process (``-j 1``); another writer is named in the output while BibTeX is not installed;
- ``bibutils``: ``med2xml big.nbib | xml2bib`` (Debian package ``bibutils``). Its ``med2xml``
  reads PubMed XML, not MEDLINE text; a bibutils with ``nbib2xml`` is used when installed. The
  count of entries it wrote is printed, so a run that read nothing is plain to see.

Rates and ratios are per CPU second (user + system): the one-core rate, which stays honest on a
machine shared with other work; wall time is shown beside it. ``--profile`` also runs the
reader under cProfile and prints where its time goes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import (
    PYTHON,
    ROOT,
    Run,
    count_entries,
    phase_floor,
    report_floor,
    run_floor,
    timed,
    verdict_line,
    writable_formats,
)

SAMPLES = ROOT / "tests" / "data" / "medline"
SAMPLE_FILES = ("medline-4-records.nbib", "medline-1-record.nbib")
TARGET = 10_000
"""Records per CPU second that issue 4 asks of ``convert --to bibtex``."""
EXTENSIONS = {"bibtex": ".bib", "ris": ".ris", "csljson": ".json"}
TOOLS_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "bibkit-bench"

FAMILY = ("Okafor", "Núñez", "Zhang", "Müller", "Smith", "Kowalski", "Ivanova", "García",
          "Nakamura", "O'Brien", "Haddad", "Larsen", "Rossi", "Singh", "Dubois", "Kim")  # fmt: skip
GIVEN = ("Ada", "Bruno", "Chen", "Dalia", "Emeka", "Freya", "Goran", "Hana", "Ines", "Jun")
WORDS = ("cohort", "trial", "imaging", "kinase", "therapy", "outcomes", "screening", "model",
         "receptor", "mortality", "sequencing", "inflammation", "vaccine", "exposure")  # fmt: skip


# -- input ----------------------------------------------------------------------------------


def templates() -> list[str]:
    """Each record of the real exports, as written (continuation lines and all)."""
    found: list[str] = []
    for name in SAMPLE_FILES:
        text = (SAMPLES / name).read_text(encoding="utf-8")
        found.extend(part.strip("\n") for part in re.split(r"\n\s*\n", text) if part.strip())
    return found


def vary(template: str, number: int) -> str:
    """The template with its identifiers, title and first author changed."""
    pmid = str(40_000_000 + number)
    text = re.sub(r"^PMID- \d+", f"PMID- {pmid}", template, count=1)
    text = re.sub(r"^((?:AID|LID) - \S+)( \[doi\])$", rf"\g<1>.{number}\g<2>", text, flags=re.M)
    text = re.sub(r"^((?:AID|LID) - \S+)( \[pii\])$", rf"\g<1>-{number}\g<2>", text, flags=re.M)
    text = re.sub(r"^PMC - PMC\d+$", f"PMC - PMC{9_000_000 + number}", text, flags=re.M)
    words = f"{WORDS[number % len(WORDS)]} {WORDS[number // len(WORDS) % len(WORDS)]} {number}"
    text = text.replace("TI  - ", f"TI  - {words.capitalize()}: ", 1)
    family = FAMILY[number % len(FAMILY)] + ("" if number < len(FAMILY) else str(number % 97))
    given = GIVEN[number % len(GIVEN)]
    text = re.sub(r"^FAU - .*$", f"FAU - {family}, {given}", text, count=1, flags=re.M)
    return re.sub(r"^AU  - .*$", f"AU  - {family} {given[0]}", text, count=1, flags=re.M)


def generate(path: Path, records: int) -> None:
    parts = templates()
    with open(path, "w", encoding="utf-8") as out:
        for number in range(records):
            out.write("\n" if number else "")
            out.write(vary(parts[number % len(parts)], number))
            out.write("\n")


# -- measured phases (each runs in its own process) -----------------------------------------


def phase_read(path: str) -> int:
    from bibkit.io import Source
    from bibkit.model import Citation
    from bibkit.readers.medline import read
    from bibkit.registry import ReadOptions

    return sum(isinstance(item, Citation) for item in read(Source.from_path(path), ReadOptions()))


def phase_scan(path: str) -> int:
    """Pass one of a large conversion alone: the identifiers of twins, scanned."""
    from bibkit.io import Source
    from bibkit.readers.medline import identities

    return sum(1 for _ in identities(Source.from_path(path)))


def phase_pipeline(path: str) -> int:
    """All of ``convert`` but the writer: the input (over ``api.TWO_PASS_BYTES``, so scanned
    for the identifiers of twins, then read to merge and yield), merging, keys."""
    from bibkit.api import Pipeline
    from bibkit.io import Source
    from bibkit.registry import ReadOptions

    return sum(1 for _ in Pipeline([Source.from_path(path)], None, ReadOptions()).citations())


def phase_stack_floor(path: str) -> str:
    """pydantic and bibtexparser alone on the records the reader makes (see measure.py)."""
    return phase_floor("medline", path)


def phase_biopython(path: str) -> int:
    from Bio import Medline  # type: ignore[import-not-found]

    with open(path, encoding="utf-8") as handle:
        return sum(1 for _record in Medline.parse(handle))


def phase_profile(path: str) -> int:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    count = profiler.runcall(phase_read, path)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    return count


PHASES: dict[str, Callable[[str], object]] = {
    "read": phase_read, "scan": phase_scan, "pipeline": phase_pipeline,
    "biopython": phase_biopython, "profile": phase_profile, "floor": phase_stack_floor,
}  # fmt: skip


# -- tools that are not bibkit's ------------------------------------------------------------


def biopython_python() -> str | None:
    """An interpreter that can import Bio: this one, or a private venv made for the benchmark."""
    if _imports(PYTHON, "Bio"):
        return PYTHON
    env = TOOLS_CACHE / "venv"
    python = str(env / "bin" / "python")
    if not _imports(python, "Bio"):
        print(f"installing Biopython into {env} (for this benchmark only; not a dependency"
              " of bibkit) ...")  # fmt: skip
        venv.create(env, with_pip=True, clear=True)
        done = subprocess.run([python, "-m", "pip", "install", "--quiet", "biopython"], check=False)
        if done.returncode != 0 or not _imports(python, "Bio"):
            print("could not install Biopython: skipped")
            return None
    return python


def _imports(python: str, module: str) -> bool:
    if not Path(python).exists():
        return False
    done = subprocess.run([python, "-c", f"import {module}"], capture_output=True, check=False)
    return done.returncode == 0


# -- tools that are not bibkit's, and the report ------------------------------------------


def bibutils(big: Path, workdir: Path) -> Run | None:
    """``med2xml big.nbib | xml2bib`` (``nbib2xml`` where this bibutils has it)."""
    reader = shutil.which("nbib2xml") or shutil.which("med2xml")
    if reader is None or shutil.which("xml2bib") is None:
        print("bibutils not installed (apt-get install bibutils): skipped")
        return None
    mods = workdir / "big.mods.xml"
    first = timed(f"bibutils {Path(reader).name}", [reader, str(big)], stdout=mods)
    second = timed("bibutils xml2bib", ["xml2bib", str(mods)], stdout=workdir / "bu.bib")
    entries = count_entries(workdir / "bu.bib")
    note = (f"{entries} entries; steps: {first.wall:.1f} s / {first.peak_mb:.0f} MB,"
            f" {second.wall:.1f} s / {second.peak_mb:.0f} MB")  # fmt: skip
    if entries == 0 and Path(reader).name == "med2xml":
        note += (". This bibutils' med2xml reads PubMed XML only and finds no reference in"
                 " MEDLINE text; see bench_pubmed_xml.py for bibutils on PubMed XML")  # fmt: skip
    return Run(
        f"bibutils {Path(reader).name} + xml2bib",
        first.wall + second.wall,
        first.cpu + second.cpu,
        max(first.peak_mb, second.peak_mb),
        first.ok and second.ok,
        note,
    )


def report(runs: list[Run], records: int) -> None:
    base = next((r for r in runs if r.name.startswith("Biopython")), runs[0])
    print(f"\n{'run':36} {'wall s':>7} {'cpu s':>7} {'records/s':>10} {'peak MB':>8}"
          f" {'x ' + base.name.split()[0]:>12}")  # fmt: skip
    for run in runs:
        rate = records / run.cpu if run.cpu else 0
        ratio = run.cpu / base.cpu if base.cpu else 0
        print(f"{run.name:36} {run.wall:7.1f} {run.cpu:7.1f} {rate:10,.0f} {run.peak_mb:8.0f}"
              f" {ratio:12.2f}{'' if run.ok else '  FAILED'}")  # fmt: skip
        if run.note:
            print(f"{'':38}{run.note}")
    ours = next((r for r in runs if r.name.startswith("bibkit convert")), None)
    reader = next((r for r in runs if r.name.startswith("bibkit read")), None)
    theirs = next((r for r in runs if r.name.startswith("bibutils") and "+" in r.name), None)
    if ours and theirs and "0 entries" not in theirs.note:
        print(f"\nbibkit convert vs bibutils: {theirs.cpu / ours.cpu:.1f}x less CPU time,"
              f" {theirs.peak_mb / ours.peak_mb:.1f}x less memory")  # fmt: skip
    if reader:
        verdict = "meets" if records / reader.cpu >= TARGET else "misses"
        print(f"bibkit reader: {records / reader.cpu:,.0f} records per CPU second"
              f" ({verdict} the {TARGET:,}/s target)")  # fmt: skip
    if ours:
        rate = records / ours.cpu
        print(f"bibkit convert: {verdict_line(rate, TARGET, ours.peak_mb, 'records')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--no-biopython", action="store_true")
    parser.add_argument("--no-bibutils", action="store_true")
    parser.add_argument("--profile", action="store_true", help="profile the reader (cProfile)")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("input", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        print(PHASES[args.phase](args.input))
        return 0

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bibkit-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    big = workdir / "big.nbib"
    started = time.perf_counter()
    generate(big, args.records)
    size_mb = big.stat().st_size / 1e6
    print(f"input: {big} — {args.records} records, {size_mb:.0f} MB"
          f" ({size_mb * 1e3 / args.records:.1f} KB per record), generated in"
          f" {time.perf_counter() - started:.1f} s")  # fmt: skip

    runs: list[Run] = []
    python = None if args.no_biopython else biopython_python()
    if python:
        runs.append(timed("Biopython Medline.parse (bare)",
                          [python, __file__, "--phase", "biopython", str(big)]))  # fmt: skip
    runs.append(timed("bibkit read (reader only)", [PYTHON, __file__, "--phase", "read", str(big)]))
    runs.append(timed("bibkit identity scan (pass one)",
                      [PYTHON, __file__, "--phase", "scan", str(big)]))  # fmt: skip
    pipeline = [PYTHON, __file__, "--phase", "pipeline", str(big)]
    runs.append(timed("bibkit scan + read + merge + keys", pipeline))
    formats = writable_formats()
    target = "bibtex" if "bibtex" in formats else ("ris" if "ris" in formats else "csljson")
    note = "" if target == "bibtex" else f"BibTeX writer not installed yet: wrote {target}"
    output = workdir / f"out{EXTENSIONS[target]}"
    convert = [PYTHON, "-m", "bibkit", "convert", str(big), "--to", target, "-o", str(output)]
    runs.append(timed(f"bibkit convert --to {target}", [*convert, "-q", "-j", "1"], note=note))
    runs[-1].note = f"{runs[-1].note} {count_entries(output)} entries written".strip()
    if not args.no_bibutils:
        found = bibutils(big, workdir)
        if found:
            runs.append(found)
    report(runs, args.records)
    floor = run_floor(__file__, big)
    parse = next((r for r in runs if r.name.startswith("Biopython")), None)
    if floor and parse:
        report_floor(floor, parse, "Biopython's bare parse", args.records, TARGET)
    if args.profile:
        print("\nwhere the reader's time goes (cProfile, sorted by own time):")
        subprocess.run([PYTHON, __file__, "--phase", "profile", str(big)], cwd=ROOT, check=False,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    if args.workdir is None:
        shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
