"""The command line as a user runs it: outputs, diagnostics on stderr, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
from click.testing import CliRunner, Result

from bibkit import sources
from bibkit.cli import main

DATA = Path(__file__).parent / "data" / "cli"
SEED = DATA / "seed.txt"


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def entries(bibtex: str) -> list[bibtexparser.model.Entry]:
    library = bibtexparser.parse_string(bibtex)
    assert library.failed_blocks == []
    return list(library.entries)


def test_seed_to_bibtex_holds_identifiers_abstract_keywords_and_grants() -> None:
    result = run("convert", str(SEED), "--to", "bibtex")
    assert result.exit_code == 0, result.stderr
    (entry,) = entries(result.stdout)
    fields = {f.key: f.value for f in entry.fields}
    assert fields["pmid"] == "38675192"
    assert fields["pmcid"] == "PMC11055162"
    assert fields["doi"] == "10.3390/pharmaceutics16040531"
    assert "Nanoparticle-based drug delivery systems" in fields["abstract"]
    for keyword in ["biomimetic", "cell membrane-coated nanoparticles", "drug delivery",
                    "tumor targeting"]:  # fmt: skip
        assert keyword in fields["keywords"]
    assert "Membrane" in fields["title"]
    # The dump has no authors, journal or year: bibkit says so rather than inventing them.
    assert "author" not in fields and "year" not in fields
    assert "missing" in result.stderr.lower() or "no author" in result.stderr.lower()


def test_with_related_gives_eleven_records() -> None:
    result = run("convert", str(SEED), "--to", "csljson", "--with-related")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) == 11
    by_pmid = {item.get("PMID"): item for item in items}
    similar = by_pmid["37962304"]
    assert similar["container-title-short"] == "J Drug Target"
    assert similar["issued"]["date-parts"] == [[2023, 12]]
    assert (similar["volume"], similar["issue"], similar["page"]) == ("31", "10", "1065-1080")
    assert similar["DOI"] == "10.1080/1061186X.2023.2283838"
    ahead = by_pmid["38441015"]
    assert ahead["status"] == "ahead-of-print"
    assert len({item["id"].lower() for item in items}) == 11


def test_keys_are_the_same_on_every_run() -> None:
    first = run("convert", str(SEED), "--to", "bibtex", "--with-related").stdout
    second = run("convert", str(SEED), "--to", "bibtex", "--with-related").stdout
    assert first == second


def test_output_file_is_written_and_an_input_is_never_overwritten(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    shutil.copy(SEED, seed)
    out = tmp_path / "refs.bib"
    assert run("convert", str(seed), "--to", "bibtex", "-o", str(out)).exit_code == 0
    assert "38675192" in out.read_text(encoding="utf-8")
    refused = run("convert", str(seed), "--to", "bibtex", "-o", str(seed))
    assert refused.exit_code == 2
    assert "overwrite" in refused.stderr
    assert seed.read_bytes() == SEED.read_bytes()


def test_unknown_output_format_is_a_usage_error_naming_the_formats() -> None:
    result = run("convert", str(SEED), "--to", "endnote")
    assert result.exit_code == 2
    assert "bibtex" in result.stderr and "csljson" in result.stderr


def test_mixed_folder_reports_each_bad_file_once_and_converts_the_rest(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "a.txt")
    (tmp_path / "paper.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00")
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "out" / "refs.ris"
    out.parent.mkdir()
    result = run("convert", str(tmp_path), "--to", "ris", "-o", str(out))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 2
    assert any("paper.pdf" in line for line in errors)
    assert any("empty.txt" in line for line in errors)
    assert all("pubmed-page" in line for line in errors)
    assert "38675192" in out.read_text(encoding="utf-8")


def test_stdin_is_read_with_a_dash() -> None:
    result = run("convert", "-", "--to", "ris", stdin=SEED.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert "M2  - PMID: 38675192" in result.stdout


def test_missing_path_fails_with_exit_one_and_no_output_file(tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    result = run("convert", str(tmp_path / "nope.txt"), "--to", "bibtex", "-o", str(out))
    assert result.exit_code == 1
    assert "nope.txt: error: no such file or directory" in result.stderr


def test_directory_without_dumps_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("shopping list\nmilk\n")
    result = run("convert", str(tmp_path), "--to", "bibtex")
    assert result.exit_code == 1
    assert "notes.txt:1: error:" in result.stderr


def test_twin_dumps_are_merged_into_one_record(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "a.txt")
    shutil.copy(SEED, tmp_path / "b.txt")
    result = run("convert", str(tmp_path), "--to", "csljson")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 1


def test_parallel_reading_gives_the_same_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(3):
        shutil.copy(SEED, tmp_path / f"{index}.txt")
    monkeypatch.setattr(sources, "PARALLEL_MIN_BYTES", 0)
    serial = run("convert", str(tmp_path), "--to", "bibtex", "--with-related", "-j", "1")
    parallel = run("convert", str(tmp_path), "--to", "bibtex", "--with-related", "-j", "2")
    assert serial.exit_code == parallel.exit_code == 0
    assert serial.stdout == parallel.stdout


def test_report_ledger_lists_records_and_lost_fields(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = run("convert", str(SEED), "--to", "ris", "--report", str(report))
    assert result.exit_code == 0, result.stderr
    ledger = json.loads(report.read_text(encoding="utf-8"))
    (record,) = ledger["records"]
    assert record["PMID"] == "38675192"
    assert record["source"]["format"] == "pubmed-page"
    assert ledger["target"] == "ris"


def test_explain_names_the_source_of_each_field() -> None:
    result = run("convert", str(SEED), "--to", "bibtex", "--explain", "38675192")
    assert "PMID 38675192" in result.stderr
    assert "seed.txt:1 (pubmed-page)" in result.stderr


def test_explain_lists_every_input_of_a_merged_record(tmp_path: Path) -> None:
    """The same article as a page dump and a BibTeX entry: both inputs are named, and each
    field's own input; the page's warnings about what the BibTeX entry filled are dropped."""
    page = DATA.parent / "pubmed_page" / "real_seed.txt"
    bib = DATA.parent / "bibtex" / "zotero_export.bib"
    out = tmp_path / "out.json"
    result = run("convert", str(page), str(bib), "--to", "csljson", "-o", str(out),
                 "--explain", "38675192")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "merged from 2 records:" in result.stderr
    assert f"    {page}:1 (pubmed-page)" in result.stderr
    assert f"    {bib}:2 (bibtex)" in result.stderr
    volume = next(line for line in result.stderr.splitlines() if line.startswith("  volume "))
    assert volume.endswith(f"from {bib}:2 (bibtex)")
    assert "the page states no authors" not in result.stderr
    alone = run("convert", str(page), "--to", "csljson", "-o", str(tmp_path / "alone.json"))
    assert "the page states no authors; left empty" in alone.stderr


@pytest.mark.parametrize(
    "name", ["pubmed_xml/book-whole.xml", "pubmed_xml/book-chapter.xml",
             "medline/whole-book.nbib", "medline/book-chapter.nbib"],
)  # fmt: skip
def test_inspect_judges_a_book_as_a_book(name: str) -> None:
    """A book needs no journal, volume or DOI (it was judged as an article)."""
    result = run("inspect", str(DATA.parent / name))
    assert result.exit_code == 0, result.output
    assert "missing" not in result.stdout


def test_inspect_names_what_a_book_lacks(tmp_path: Path) -> None:
    bare = tmp_path / "book.json"
    bare.write_text(json.dumps([{"id": "b", "type": "book", "title": "A book",
                                 "editor": [{"family": "Ito"}]}]), encoding="utf-8")  # fmt: skip
    result = run("inspect", str(bare))
    assert "missing publisher, issued" in result.stdout
    assert "author" not in result.stdout.split("missing", 1)[1]  # its editors stand in


def test_inspect_shows_long_paths_whole(tmp_path: Path) -> None:
    deep = tmp_path / ("a-folder-with-a-long-name-" * 3) / "seed.txt"
    deep.parent.mkdir()
    shutil.copy(SEED, deep)
    result = run("inspect", str(deep))
    assert str(deep) in result.stdout


def test_formats_lists_readers_and_writers() -> None:
    result = run("formats")
    assert result.exit_code == 0
    for name in ["pubmed-page", "bibtex", "biblatex", "ris", "csljson"]:
        assert name in result.stdout


def test_inspect_shows_format_records_and_missing_fields() -> None:
    result = run("inspect", str(SEED))
    assert result.exit_code == 0
    assert "pubmed-page" in result.stdout
    assert "missing author" in result.stdout


BAD = Path(__file__).parent / "data" / "bad_input"


@pytest.mark.parametrize("locale_encoding", ["ascii", "cp1252"])
def test_format_to_stdout_in_a_non_utf8_locale_gives_the_utf8_of_the_file(
    tmp_path: Path, locale_encoding: str
) -> None:
    """``bibkit format x > refs.txt`` from a console that is not UTF-8 (Windows cp1252, an
    ASCII locale): the very bytes ``-o`` writes, not text in the console's encoding."""
    shutil.copy(BAD / "latin1_undeclared.nbib", tmp_path / "in.nbib")
    env = {**os.environ, "PYTHONIOENCODING": locale_encoding}
    command = [sys.executable, "-m", "bibkit", "format", "in.nbib", "-q"]
    to_file = subprocess.run(
        [*command, "-o", "out.txt"], capture_output=True, cwd=tmp_path, env=env
    )
    assert to_file.returncode == 0, to_file.stderr.decode()
    piped = subprocess.run(command, capture_output=True, cwd=tmp_path, env=env, timeout=60)
    assert piped.returncode == 0, piped.stderr.decode()
    assert "Lefèvre".encode() in piped.stdout
    assert piped.stdout == (tmp_path / "out.txt").read_bytes()


def test_format_output_in_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run("format", str(BAD / "good.nbib"), "-o", str(tmp_path / "missing" / "refs.txt"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"bibkit: error: {tmp_path / 'missing' / 'refs.txt'}: ")


def test_stray_bytes_are_warned_about_with_their_line(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = run("convert", str(BAD / "stray_byte_in_utf8.ris"), "--to", "csljson", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"{BAD / 'stray_byte_in_utf8.ris'}:9: warning: byte 0x93 is not UTF-8" in result.stderr
    titles = [item["title"] for item in json.loads(out.read_text(encoding="utf-8"))]
    assert titles[1] == "A second record with a “quoted” word"


def test_report_is_refused_on_an_input_inside_a_folder(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "a.txt")
    before = (tmp_path / "a.txt").read_bytes()
    result = run("convert", str(tmp_path), "--to", "ris", "--report", str(tmp_path / "a.txt"))
    assert result.exit_code == 2
    assert "report would overwrite input" in result.stderr
    assert (tmp_path / "a.txt").read_bytes() == before


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_output_and_report_into_one_pipe_are_both_written(tmp_path: Path) -> None:
    """``-o /dev/stdout --report /dev/stderr`` with both going to one pipe: nothing is
    overwritten (a pipe is written into, not replaced), so nothing is refused."""
    command = [sys.executable, "-m", "bibkit", "convert", str(SEED), "--to", "ris", "-q"]
    done = subprocess.run(
        [*command, "-o", "/dev/stdout", "--report", "/dev/stderr"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
        timeout=60,
    )
    shown = done.stdout.decode("utf-8")
    assert done.returncode == 0, shown
    assert "M2  - PMID: 38675192" in shown and '"records_written": 1' in shown
    assert list(tmp_path.iterdir()) == []


def _two_issn_records(count: int) -> str:
    """CSL-JSON records whose second ISSN BibLaTeX cannot carry, each with its own ISSN."""
    items = [
        {
            "id": f"r{i}",
            "type": "article-journal",
            "title": f"Record {i}",
            "PMID": str(1000 + i),
            "ISSN": f"1234-{5000 + i}, 2345-{6000 + i}",
        }
        for i in range(count)
    ]
    return json.dumps(items)  # one line: records share a place


def test_a_field_lost_by_many_records_is_one_line_with_a_count(tmp_path: Path) -> None:
    source = tmp_path / "many.json"
    source.write_text(_two_issn_records(40), encoding="utf-8")
    result = run("convert", str(source), "--to", "biblatex", "-o", str(tmp_path / "out.bib"))
    issn_lines = [line for line in result.stderr.splitlines() if "ISSN" in line]
    assert len(issn_lines) == 1, result.stderr
    assert issn_lines[0].endswith("(and 39 more records)")


def test_the_report_still_lists_every_records_lost_field(tmp_path: Path) -> None:
    source = tmp_path / "many.json"
    source.write_text(_two_issn_records(5), encoding="utf-8")
    report = tmp_path / "report.json"
    result = run(
        "convert", str(source), "--to", "biblatex", "-o", str(tmp_path / "o.bib"),
        "--report", str(report),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    ledger = json.loads(report.read_text(encoding="utf-8"))
    assert [r["fields_not_carried"] for r in ledger["records"]] == [["ISSN"]] * 5
    assert sum("ISSN" in line for line in result.stderr.splitlines()) == 1


@pytest.mark.parametrize(("cores", "expected"), [(1, 1), (2, 1), (3, 3), (8, 8)])
def test_default_jobs_reads_in_parallel_only_beyond_two_cores(
    cores: int, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On two cores the main process keeps one busy: parallel reading measured slower."""
    from bibkit import cli

    monkeypatch.setattr(cli.os, "sched_getaffinity", lambda _pid: set(range(cores)), raising=False)
    assert cli.default_jobs() == expected
