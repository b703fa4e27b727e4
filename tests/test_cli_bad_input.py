"""Bad input at the command line: a clear ``path[:line]: error: …`` line, the right exit
status, the other inputs still converted, and no output file half-written or lost.

What a demanding user expects, decided here:
- every bad input gets one ``path[:line]: error: …`` line on stderr naming it, never a
  traceback or click's bare "Aborted!";
- exit 1 when any input or record failed, 2 for usage errors (bad option, output equal to an
  input, output that is a directory), 0 only when everything was read;
- the good inputs are converted whatever happens to the bad ones;
- ``-o FILE`` is replaced atomically: no temp file is ever left beside it; a usage error or a
  crash leaves an existing FILE byte for byte as it was; a run in which no input could be read
  at all does not replace an existing FILE with an empty one;
- no path bibkit writes (``-o``, ``--report``) may be one of the inputs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bibkit.cli import main
from bibkit.registry import REGISTRY

BAD = Path(__file__).parent / "data" / "bad_input"
GOOD_PMID = "12230038"
"""The one record of ``good.nbib``: whatever else fails, it must come out."""
DIAGNOSTIC = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?: (?P<severity>error|warning): \S")
USAGE = re.compile(r"^(?:bibkit: error: \S|Usage: |Try '|Error: |$)")

TO_FORMATS = REGISTRY.writer_names()


_OPEN_BUGS: dict[str, list[str]] = {}
KNOWN_BUGS = {name: reason for reason, names in _OPEN_BUGS.items() for name in names}
"""Test id -> the open bug it shows (owner, place). Each is an xfail(strict=True): once the
bug is fixed the test passes, strict makes that fail, and its line here must go."""


@pytest.fixture(autouse=True)
def _known_bug(request: pytest.FixtureRequest) -> None:
    reason = KNOWN_BUGS.get(request.node.name)
    if reason is not None:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch folder holding copies of the hostile fixtures, as the current directory."""
    for fixture in BAD.iterdir():
        shutil.copy(fixture, tmp_path / fixture.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


def stderr_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_clean_messages(result: Result) -> None:
    """Every stderr line is a diagnostic or a usage message; nothing escaped as an exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"exception escaped: {result.exception!r}\n{result.stderr}"
    )
    for line in stderr_lines(result):
        assert "Traceback" not in line and line != "Aborted!", result.stderr
        assert DIAGNOSTIC.match(line) or USAGE.match(line), f"unclear message: {line!r}"


def errors_for(result: Result, name: str) -> list[str]:
    return [
        line
        for line in stderr_lines(result)
        if (m := DIAGNOSTIC.match(line)) and m["path"] == name and m["severity"] == "error"
    ]


def leftovers(folder: Path) -> list[str]:
    """Temp files an interrupted or failed write could leave beside its target."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- each kind of bad input, next to a good one -------------------------------------------------


def _fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe")
    return "pipe"


def _empty_dir(folder: Path) -> str:
    (folder / "nothing_here").mkdir()
    return "nothing_here"


def _dir_of_unknowns(folder: Path) -> str:
    (folder / "notes").mkdir()
    shutil.copy(BAD / "not_a_format.txt", folder / "notes" / "shopping.txt")
    shutil.copy(BAD / "binary.pdf", folder / "notes" / "scan.pdf")
    return "notes"


BAD_INPUTS: dict[str, Callable[[Path], str]] = {
    "binary": lambda _: "binary.pdf",
    "empty-file": lambda _: "empty.nbib",
    "whitespace-only": lambda _: "whitespace_only.txt",
    "unrecognized-text": lambda _: "not_a_format.txt",
    "nonexistent": lambda _: "no_such_file.nbib",
    "fifo": _fifo,
    "dev-null": lambda _: os.devnull,
    "empty-directory": _empty_dir,
    "directory-of-unrecognized-files": _dir_of_unknowns,
    "truncated-gzip": lambda _: "truncated_gzip.xml.gz",
    "damaged-gzip": lambda _: "damaged_gzip.xml.gz",
}


def _named_in(result: Result, given: str, folder: Path) -> bool:
    """An error names the input itself, or (for a directory) each bad file inside it."""
    if errors_for(result, given):
        return True
    inside = folder / given
    if inside.is_dir():
        files = [str(p.relative_to(folder)) for p in inside.rglob("*") if p.is_file()]
        return bool(files) and all(errors_for(result, f) for f in files)
    return False


@pytest.mark.parametrize("case", list(BAD_INPUTS))
@pytest.mark.parametrize("order", ["bad-first", "bad-last"])
def test_bad_input_is_named_and_the_good_one_still_converted(
    work: Path, case: str, order: str
) -> None:
    bad = BAD_INPUTS[case](work)
    inputs = [bad, "good.nbib"] if order == "bad-first" else ["good.nbib", bad]
    result = run("convert", *inputs, "--to", "csljson", "-o", "out.json")
    assert_clean_messages(result)
    assert result.exit_code == 1, result.stderr
    assert _named_in(result, bad, work), f"no 'error' line names {bad}:\n{result.stderr}"
    written = json.loads((work / "out.json").read_text("utf-8"))
    assert [item.get("PMID") for item in written] == [GOOD_PMID]
    assert leftovers(work) == []


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_format_command_names_bad_input_and_formats_the_rest(work: Path, case: str) -> None:
    bad = BAD_INPUTS[case](work)
    result = run("format", bad, "good.nbib", "-o", "refs.txt")
    assert_clean_messages(result)
    assert result.exit_code == 1, result.stderr
    assert _named_in(result, bad, work), f"no 'error' line names {bad}:\n{result.stderr}"
    assert "The Bio* toolkits" in (work / "refs.txt").read_text("utf-8")
    assert leftovers(work) == []


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_inspect_command_reports_bad_input(work: Path, case: str) -> None:
    """``inspect`` is for checking a folder before converting it: a bad file is a row of the
    report with its error, never a crash."""
    bad = BAD_INPUTS[case](work)
    result = run("inspect", bad, "good.nbib")
    assert_clean_messages(result)
    assert result.exit_code == 1, result.output
    assert re.search(r"^good\.nbib +medline +1 ", result.stdout, re.M), result.stdout
    shown = result.stdout + result.stderr
    named = (
        [bad]
        if not (work / bad).is_dir()
        else [str(p.relative_to(work)) for p in (work / bad).rglob("*") if p.is_file()] or [bad]
    )
    for name in named:
        assert re.search(rf"^{re.escape(name)}(?::\d+)?: error: ", shown, re.M), shown


def _dangling_link(folder: Path) -> str:
    (folder / "refs" / "moved.nbib").symlink_to("/nonexistent/moved.nbib")
    return "refs/moved.nbib"


def _fifo_in_dir(folder: Path) -> str:
    os.mkfifo(folder / "refs" / "pipe.nbib")
    return "refs/pipe.nbib"


@pytest.mark.parametrize("make", [_dangling_link, _fifo_in_dir], ids=["dangling-link", "fifo"])
def test_unreadable_entry_in_a_directory_is_not_skipped_silently(
    work: Path, make: Callable[[Path], str]
) -> None:
    """Something in the folder that looks like an input but cannot be read: the user is
    told, rather than finding a record missing later."""
    (work / "refs").mkdir()
    shutil.copy(work / "good.nbib", work / "refs" / "good.nbib")
    entry = make(work)
    result = run("convert", "refs", "--to", "ris", "-o", "out.ris")
    assert_clean_messages(result)
    assert f"PMID: {GOOD_PMID}" in (work / "out.ris").read_text("utf-8")
    assert re.search(rf"^{re.escape(entry)}: (?:error|warning): ", result.stderr, re.M), (
        result.stderr
    )


@pytest.mark.parametrize("to", TO_FORMATS)
def test_binary_from_stdin(work: Path, to: str) -> None:
    result = CliRunner().invoke(
        main, ["convert", "-", "--to", to], input=(BAD / "binary.pdf").read_bytes()
    )
    assert_clean_messages(result)
    assert result.exit_code == 1
    assert errors_for(result, "<stdin>"), result.stderr


def test_a_fifo_does_not_hang_the_real_command(work: Path) -> None:
    """Run as a user would (a subprocess): a FIFO nobody writes to must not block bibkit."""
    _fifo(work)
    done = subprocess.run(
        [sys.executable, "-m", "bibkit", "convert", "pipe", "good.nbib", "--to", "ris"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=work,
    )
    assert done.returncode == 1, done.stderr
    assert re.search(r"^pipe: error: ", done.stderr, re.M), done.stderr
    assert f"PMID: {GOOD_PMID}" in done.stdout


# -- encodings ----------------------------------------------------------------------------------


def test_latin1_without_declaration_is_read_right(work: Path) -> None:
    """Windows/Latin-1 bytes in a MEDLINE file: every accented letter survives."""
    result = run("convert", "latin1_undeclared.nbib", "--to", "csljson", "-o", "out.json")
    assert_clean_messages(result)
    assert result.exit_code == 0, result.stderr
    (item,) = json.loads((work / "out.json").read_text("utf-8"))
    assert item["title"].startswith("Études sur la santé publique à Montréal")
    assert item["author"][0]["family"] == "Lefèvre" and item["author"][0]["given"] == "Zoë"
    assert "\ufffd" not in json.dumps(item, ensure_ascii=False)


# -- forcing the wrong format -------------------------------------------------------------------


@pytest.mark.parametrize("wrong", [n for n in REGISTRY.reader_names() if n != "medline"])
@pytest.mark.parametrize("command", ["convert", "format"])
def test_from_the_wrong_format_fails(work: Path, wrong: str, command: str) -> None:
    """``--from X`` on a file that is not X: nothing could be read, so the run failed. Exit 0
    with an empty output would tell a script that all went well."""
    to = ["--to", "bibtex"] if command == "convert" else []
    result = run(command, "good.nbib", "--from", wrong, *to, "-o", "out.txt")
    assert_clean_messages(result)
    assert errors_for(result, "good.nbib"), result.stderr
    assert result.exit_code == 1, f"exit {result.exit_code}:\n{result.stderr}"


def test_from_an_unknown_format_is_a_usage_error(work: Path) -> None:
    result = run("convert", "good.nbib", "--from", "endnote-xml", "--to", "bibtex")
    assert result.exit_code == 2
    assert re.search(r"^bibkit: error: .*medline", result.stderr, re.M), result.stderr


# -- the output file ----------------------------------------------------------------------------

BEFORE = "% refs.bib as the user left it\n@article{keep, title = {Keep me}}\n"


@pytest.fixture
def existing(work: Path) -> Iterator[Path]:
    target = work / "refs.bib"
    target.write_text(BEFORE, encoding="utf-8")
    yield target


def test_partial_failure_replaces_the_output_with_the_good_records(existing: Path) -> None:
    result = run("convert", "good.nbib", "binary.pdf", "--to", "bibtex", "-o", "refs.bib")
    assert result.exit_code == 1
    assert f"pmid = {{{GOOD_PMID}}}" in existing.read_text("utf-8")
    assert leftovers(existing.parent) == []


COMMANDS = {"convert": ["convert", "--to", "bibtex"], "format": ["format"]}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_nothing_readable_leaves_the_existing_output_alone(existing: Path, command: str) -> None:
    """A typo in the input name must not wipe yesterday's refs.bib."""
    name, *options = COMMANDS[command]
    result = run(name, "no_such_file.nbib", *options, "-o", "refs.bib")
    assert result.exit_code == 1
    assert errors_for(result, "no_such_file.nbib")
    assert existing.read_text("utf-8") == BEFORE
    assert leftovers(existing.parent) == []


@pytest.mark.parametrize(
    "args",
    [
        ["--to", "no-such-format"],
        ["--to", "bibtex", "--from", "no-such-format"],
        ["--to", "bibtex", "--jobs", "0"],
    ],
    ids=["unknown-to", "unknown-from", "bad-jobs"],
)
def test_usage_error_leaves_the_output_untouched(existing: Path, args: list[str]) -> None:
    result = run("convert", "good.nbib", *args, "-o", "refs.bib")
    assert result.exit_code == 2, result.stderr
    assert existing.read_text("utf-8") == BEFORE
    assert leftovers(existing.parent) == []


def test_crash_mid_run_leaves_the_output_untouched(
    existing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug that raises after some records were written: the old file stays, no temp file."""
    from bibkit.readers import medline

    real = medline.read

    def read_then_crash(*args: object, **kwargs: object) -> Iterator[object]:
        yield from real(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("simulated bug after the records")

    monkeypatch.setattr(medline, "read", read_then_crash)
    result = run("convert", "good.nbib", "--to", "bibtex", "-o", "refs.bib")
    assert result.exit_code != 0
    assert existing.read_text("utf-8") == BEFORE
    assert leftovers(existing.parent) == []


def test_output_that_is_a_directory_is_a_usage_error(work: Path) -> None:
    (work / "outdir").mkdir()
    result = run("convert", "good.nbib", "--to", "bibtex", "-o", "outdir")
    assert result.exit_code == 2
    assert "outdir" in result.stderr and "directory" in result.stderr


def test_output_in_a_missing_directory_is_a_clear_error(work: Path) -> None:
    result = run("convert", "good.nbib", "--to", "bibtex", "-o", "missing/refs.bib")
    assert_clean_messages(result)
    assert result.exit_code == 2
    assert re.search(r"^bibkit: error: missing/refs\.bib: ", result.stderr, re.M)


# -- an output path equal to an input -----------------------------------------------------------


def _same(work: Path) -> str:
    return "good.nbib"


def _dotted(work: Path) -> str:
    return "./good.nbib"


def _absolute(work: Path) -> str:
    return str(work / "good.nbib")


def _symlink(work: Path) -> str:
    (work / "alias.nbib").symlink_to("good.nbib")
    return "alias.nbib"


def _hardlink(work: Path) -> str:
    os.link(work / "good.nbib", work / "twin.nbib")
    return "twin.nbib"


SAME_FILE: dict[str, Callable[[Path], str]] = {
    "same-name": _same,
    "dot-slash": _dotted,
    "absolute": _absolute,
    "symlink": _symlink,
    "hard-link": _hardlink,
}


@pytest.mark.parametrize("spelling", list(SAME_FILE))
@pytest.mark.parametrize("via", ["file", "directory"])
def test_output_equal_to_an_input_is_refused(work: Path, spelling: str, via: str) -> None:
    original = (work / "good.nbib").read_bytes()
    output = SAME_FILE[spelling](work)
    given = "good.nbib" if via == "file" else "."
    result = run("convert", given, "--to", "ris", "-o", output)
    assert result.exit_code == 2, result.stderr
    assert re.search(r"^bibkit: error: .*overwrite", result.stderr, re.M), result.stderr
    assert (work / "good.nbib").read_bytes() == original


def test_report_path_equal_to_an_input_is_refused(work: Path) -> None:
    """``--report`` writes a file too: pointing it at an input must not destroy the input."""
    original = (work / "good.nbib").read_bytes()
    result = run("convert", "good.nbib", "--to", "ris", "--report", "good.nbib")
    assert (work / "good.nbib").read_bytes() == original
    assert result.exit_code == 2, result.stderr


# -- output targets that are not plain files ----------------------------------------------------


def test_output_through_a_symlink_updates_its_target(work: Path) -> None:
    """``refs.bib -> ~/Sync/refs.bib``: the atomic rename must replace the file the link
    points to, not the link itself (which would leave the synced copy stale)."""
    (work / "real").mkdir()
    (work / "real" / "refs.ris").write_text("old\n", encoding="utf-8")
    (work / "link.ris").symlink_to("real/refs.ris")
    result = run("convert", "good.nbib", "--to", "ris", "-o", "link.ris")
    assert result.exit_code == 0, result.stderr
    assert (work / "link.ris").is_symlink()
    assert f"PMID: {GOOD_PMID}" in (work / "real" / "refs.ris").read_text("utf-8")
    assert leftovers(work) == [] and leftovers(work / "real") == []


def test_output_to_a_fifo_writes_into_it(work: Path) -> None:
    """``-o`` naming a pipe (or /dev/stdout): the data goes through it. Renaming a temp file
    over it instead destroys the pipe, and as root would replace a device such as /dev/null."""
    fifo = work / "out.pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = run("convert", "good.nbib", "--to", "ris", "-o", "out.pipe")
        try:
            received = os.read(reader, 1 << 20)
        except BlockingIOError:
            received = b""
    finally:
        os.close(reader)
    assert fifo.is_fifo(), "the pipe was replaced by a regular file"
    assert result.exit_code == 0, result.stderr
    assert f"PMID: {GOOD_PMID}".encode() in received


# -- parallel reading ---------------------------------------------------------------------------


def _big_medline(folder: Path, name: str, records: int, first: int = 90000000) -> Path:
    """Enough records to pass the size at which input files are read in worker processes."""
    template = (BAD / "good.nbib").read_text("utf-8").strip("\n")
    body = "\n\n".join(
        template.replace(f"PMID- {GOOD_PMID}", f"PMID- {first + n}") for n in range(records)
    )
    target = folder / name
    target.write_text("\n" + body + "\n", encoding="utf-8")
    return target


@pytest.fixture
def spool_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where worker processes spool their records (inherited by forked workers)."""
    import tempfile

    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    return spool


def test_parallel_run_with_a_bad_file_converts_the_rest(work: Path, spool_dir: Path) -> None:
    from bibkit import sources

    big = _big_medline(work, "big.nbib", 2000)
    other = _big_medline(work, "other.nbib", 2000, first=80000000)
    assert big.stat().st_size + other.stat().st_size > sources.PARALLEL_MIN_BYTES
    result = run(
        "convert",
        "binary.pdf",
        "big.nbib",
        "other.nbib",
        "--to",
        "ris",
        "-j",
        "2",
        "-o",
        "out.ris",
        "-q",
    )
    assert_clean_messages(result)
    assert result.exit_code == 1, result.stderr
    assert errors_for(result, "binary.pdf")
    assert (work / "out.ris").read_text("utf-8").count("\nER  - ") == 4000
    assert list(spool_dir.iterdir()) == [], "worker spool files left behind"


def test_parallel_run_that_crashes_leaves_no_spool_files(
    work: Path, spool_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader bug in one worker stops the run; the other workers' spools are removed."""
    from bibkit.readers import medline

    real = medline.read

    def crash_on_first(source: object, options: object) -> Iterator[object]:
        if str(getattr(source, "name", "")).endswith("first.nbib"):
            raise RuntimeError("simulated reader bug")
        yield from real(source, options)  # type: ignore[arg-type]

    monkeypatch.setattr(medline, "read", crash_on_first)
    _big_medline(work, "first.nbib", 1500)
    _big_medline(work, "second.nbib", 3000, first=80000000)
    (work / "out.ris").write_text("old\n", encoding="utf-8")
    result = run("convert", "first.nbib", "second.nbib", "--to", "ris", "-j", "2", "-o", "out.ris")
    assert result.exit_code != 0
    assert (work / "out.ris").read_text("utf-8") == "old\n"
    assert leftovers(work) == []
    assert list(spool_dir.iterdir()) == [], "worker spool files left behind"


# -- the --report ledger ------------------------------------------------------------------------


def test_report_in_a_missing_directory_is_a_clear_error(work: Path) -> None:
    result = run(
        "convert", "good.nbib", "--to", "ris", "-o", "out.ris", "--report", "missing/r.json"
    )
    assert_clean_messages(result)
    assert result.exit_code == 2, result.stderr
    assert re.search(r"^bibkit: error: missing/r\.json: ", result.stderr, re.M), result.stderr


def test_report_and_output_on_the_same_path_is_refused(work: Path) -> None:
    """Otherwise the ledger silently replaces the converted records."""
    result = run("convert", "good.nbib", "--to", "ris", "-o", "out.ris", "--report", "out.ris")
    assert result.exit_code == 2, result.stderr


# -- standard output that is not UTF-8 ----------------------------------------------------------


@pytest.mark.parametrize("to", TO_FORMATS)
def test_stdout_in_a_non_utf8_locale_gets_the_same_utf8_as_a_file(work: Path, to: str) -> None:
    """``bibkit convert x --to bibtex > refs.bib`` from a console whose encoding is not UTF-8
    (Windows cp1252, PYTHONIOENCODING=ascii): the file formats are UTF-8, so the bytes must be
    those ``-o`` writes, not a UnicodeEncodeError traceback."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    command = [sys.executable, "-m", "bibkit", "convert", "latin1_undeclared.nbib", "--to", to]
    to_file = subprocess.run([*command, "-o", "out", "-q"], capture_output=True, cwd=work, env=env)
    assert to_file.returncode == 0, to_file.stderr.decode()
    piped = subprocess.run([*command, "-q"], capture_output=True, cwd=work, env=env, timeout=60)
    assert b"Traceback" not in piped.stderr, piped.stderr.decode()
    assert piped.returncode == 0
    assert piped.stdout == (work / "out").read_bytes()
