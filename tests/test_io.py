"""Inputs found and decoded; outputs written atomically and never over an input."""

from __future__ import annotations

import gzip
import io as stdio
import os
import stat
import sys
import zlib
from pathlib import Path

import pytest

from bibkit import io
from bibkit.diagnostics import Diagnostic, SameFileError
from bibkit.io import (
    STRAY_BYTES_SHOWN,
    Source,
    atomic_write,
    detect_encoding,
    expand_inputs,
    refuse_overwriting_inputs,
    same_file,
    utf8_stdout,
)
from bibkit.model import Citation
from bibkit.registry import ReadOptions

BAD = Path(__file__).parent / "data" / "bad_input"


def test_directories_are_recursed_in_sorted_order_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ["b/2.txt", "a.txt", "b/1.txt", ".hidden.txt", ".git/x.txt"]:
        (tmp_path / name).write_text("x")
    sources, problems = expand_inputs([str(tmp_path)])
    assert problems == []
    names = [Path(s.name).relative_to(tmp_path).as_posix() for s in sources]
    assert names == ["a.txt", "b/1.txt", "b/2.txt"]


def test_missing_path_and_empty_directory_are_reported(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    sources, problems = expand_inputs([str(tmp_path / "nope"), str(tmp_path / "empty")])
    assert sources == []
    assert [p.code for p in problems] == ["not-found", "empty-directory"]
    assert all(p.is_error for p in problems)


def test_bom_and_crlf_are_removed() -> None:
    source = Source.from_bytes(b"\xef\xbb\xbfTitle\r\nnext\r\n")
    assert source.open_text().read() == "Title\nnext\n"


def test_latin1_bytes_decode_as_windows_1252() -> None:
    assert detect_encoding("Müller".encode("cp1252")) == "cp1252"
    assert Source.from_bytes("Müller\n".encode("cp1252")).open_text().read() == "Müller\n"


def test_utf8_cut_mid_character_is_still_utf8() -> None:
    assert detect_encoding("abcé".encode()[:-1]) == "utf-8"


def test_gzip_is_opened_transparently(tmp_path: Path) -> None:
    path = tmp_path / "x.txt.gz"
    path.write_bytes(gzip.compress(b"hello\n"))
    source = Source.from_path(path)
    assert source.is_gzip and source.open_text().read() == "hello\n"


def test_binary_and_empty_content_are_recognised() -> None:
    assert Source.from_bytes(b"%PDF-1.7\n\x00\x01\x02").looks_binary()
    assert Source.from_bytes(b"  \n\n").is_empty()
    assert not Source.from_bytes("\ufeffplain".encode("utf-16")).looks_binary()


def test_atomic_write_leaves_old_content_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bib"]


def test_atomic_write_replaces_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    with atomic_write(target) as handle:
        handle.write("new")
    assert target.read_text() == "new"


def test_output_equal_to_an_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("x")
    with pytest.raises(SameFileError):
        refuse_overwriting_inputs(tmp_path / "." / "in.txt", [Source.from_path(source)])
    refuse_overwriting_inputs(tmp_path / "other.txt", [Source.from_path(source)])


# -- damaged gzip -------------------------------------------------------------------------------


def _medline_records(count: int) -> bytes:
    template = (BAD / "good.nbib").read_text("utf-8").strip("\n")
    return "\n\n".join(
        template.replace("PMID- 12230038", f"PMID- {90000000 + n}") for n in range(count)
    ).encode()


def test_damaged_gzip_head_gives_what_came_before_the_damage_and_why() -> None:
    packed = gzip.compress(_medline_records(40))
    cut = Source.from_bytes(packed[: len(packed) // 2], name="cut.nbib.gz")
    head = cut.head_bytes()
    assert head.startswith(b"\nPMID- 90000000") or head.startswith(b"PMID- 90000000")
    assert cut.head_damage() is not None and "ended" in str(cut.head_damage())
    damaged = Source.from_path(BAD / "damaged_gzip.xml.gz")
    assert damaged.head_bytes() == b""
    assert "damaged compressed input" in str(damaged.head_damage())
    assert Source.from_bytes(gzip.compress(b"fine\n")).head_damage() is None


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_gzip_input_closes_its_file(tmp_path: Path) -> None:
    """GzipFile leaves a file it was handed open: a folder of .gz inputs ran out of handles."""
    path = tmp_path / "x.txt.gz"
    path.write_bytes(gzip.compress(b"hello\n"))
    before = len(os.listdir("/proc/self/fd"))
    handles = [Source.from_path(path).open_binary() for _ in range(20)]
    for handle in handles:
        with handle:
            handle.read()
    assert len(os.listdir("/proc/self/fd")) == before


# -- stray bytes in UTF-8 -----------------------------------------------------------------------


def test_a_stray_byte_leaves_a_utf8_file_utf8() -> None:
    text = "García-López, Müller, Søndergaard".encode()
    assert detect_encoding(text + b" \x93quoted\x94") == "utf-8"
    assert detect_encoding("Lefèvre, Zoë, à Montréal".encode("cp1252")) == "cp1252"
    assert detect_encoding(b"plain \x93ascii\x94 with quotes") == "cp1252"


def test_stray_bytes_are_read_as_windows_1252_and_reported_by_line() -> None:
    found: list[Diagnostic] = []
    data = "Müller Søndergaard\r\n".encode() + b"a\rb \x93q\x94\n" + "é\n".encode() + b"\xe9t\xe9"
    source = Source.from_bytes(data, name="x.ris").with_report(found.append)
    assert source.open_text().read() == "Müller Søndergaard\na\nb “q”\né\nété"
    assert [(d.line, d.severity, d.code) for d in found] == [
        (3, "warning", "not-utf8"),
        (3, "warning", "not-utf8"),
        (5, "warning", "not-utf8"),
        (5, "warning", "not-utf8"),
    ]
    assert str(found[0]) == (
        "x.ris:3: warning: byte 0x93 is not UTF-8; read as the Windows-1252 character '“'"
    )


def test_a_stray_byte_split_from_its_line_by_a_chunk_is_counted_right() -> None:
    """Bytes past the sniffed head and past a read chunk still get their own line."""
    found: list[Diagnostic] = []
    data = "ü\n".encode() * 50_000 + b"\x81 after\n" + "é".encode()[:1]
    text = Source.from_bytes(data).with_report(found.append).open_text().read()
    assert text.endswith("ü\n\ufffd after\nÃ")
    assert [d.line for d in found] == [50_001, 50_002]
    assert "replaced by U+FFFD" in found[0].message


def test_many_stray_bytes_are_counted_after_the_first_ones() -> None:
    found: list[Diagnostic] = []
    data = "ü".encode() * 200 + b"\n" + b"x\x93\n" * (STRAY_BYTES_SHOWN + 5)
    Source.from_bytes(data).with_report(found.append).open_text().read()
    assert len(found) == STRAY_BYTES_SHOWN + 1
    assert [d.line for d in found[:3]] == [2, 3, 4]
    assert found[-1].line == STRAY_BYTES_SHOWN + 2 and "5 more bytes" in found[-1].message


# -- what an input folder holds -----------------------------------------------------------------


def test_broken_link_and_fifo_in_a_folder_are_reported_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "good.nbib").write_text("x")
    (tmp_path / "moved.nbib").symlink_to(tmp_path / "gone.nbib")
    os.mkfifo(tmp_path / "pipe.nbib")
    sources, problems = expand_inputs([str(tmp_path)])
    assert [s.name for s in sources] == [str(tmp_path / "good.nbib")]
    assert [(Path(p.path).name, p.code, p.severity) for p in problems] == [
        ("moved.nbib", "broken-link", "error"),
        ("pipe.nbib", "not-a-file", "error"),
    ]
    assert "FIFO" in problems[1].message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_unreadable_subfolder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "ok.nbib").write_text("x")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.nbib").write_text("x")
    locked.chmod(0)
    try:
        sources, problems = expand_inputs([str(tmp_path)])
    finally:
        locked.chmod(0o755)
    assert [Path(s.name).name for s in sources] == ["ok.nbib"]
    assert [(p.path, p.code) for p in problems] == [(str(locked), "unreadable")]


# -- outputs that are not plain files -----------------------------------------------------------


def test_atomic_write_through_a_symlink_replaces_its_target(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "out.bib"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.bib"
    link.symlink_to(target)
    with atomic_write(link) as handle:
        handle.write("new")
    assert link.is_symlink() and target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["out.bib"]


def test_atomic_write_into_a_fifo_and_a_device_keeps_them(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with atomic_write(fifo) as handle:
            handle.write("through\n")
        assert os.read(reader, 100) == b"through\n"
    finally:
        os.close(reader)
    assert fifo.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["pipe"]
    with atomic_write(os.devnull) as handle:
        handle.write("gone")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_same_file_sees_links_and_spellings(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("x")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert same_file(tmp_path / "a", tmp_path / "b")
    assert same_file(tmp_path / "new", tmp_path / "." / "new")
    assert not same_file(tmp_path / "a", tmp_path / "new")


def test_utf8_stdout_writes_utf8_whatever_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = stdio.BytesIO()
    console = stdio.TextIOWrapper(raw, encoding="ascii", newline="\r\n")
    monkeypatch.setattr(sys, "stdout", console)
    console.write("before\n")
    with utf8_stdout() as out:
        out.write("Zoë Lefèvre\n")
    console.write("after\n")
    console.flush()
    assert raw.getvalue() == b"before\r\nZo\xc3\xab Lef\xc3\xa8vre\nafter\r\n"
    assert not console.closed


def test_a_cut_gzip_gives_everything_inflated_before_the_cut_then_the_error() -> None:
    """A reader asking for a megabyte at a time must not lose the last megabyte before the
    cut: the bytes come first, the error on the next read."""
    data = b"".join(b"record %06d\n" % n for n in range(200_000))
    packed = gzip.compress(data)
    cut = packed[: len(packed) // 2]
    before_cut = zlib.decompressobj(wbits=31).decompress(cut)
    got = bytearray()
    with Source.from_bytes(cut, name="cut.gz").open_binary() as handle, pytest.raises(EOFError):
        while chunk := handle.read(1 << 20):
            got += chunk
    assert len(before_cut) > 1 << 20
    assert bytes(got) == before_cut


def test_linked_folders_are_followed_and_each_folder_read_once(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.nbib").write_text("PMID- 2\n")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "a.nbib").write_text("PMID- 1\n")
    (inputs / "linked").symlink_to(outside, target_is_directory=True)
    (inputs / "linked-again").symlink_to(outside, target_is_directory=True)
    (inputs / "loop").symlink_to(inputs, target_is_directory=True)
    sources, problems = expand_inputs([str(inputs)])
    assert [s.name for s in sources] == [str(inputs / "a.nbib"), str(inputs / "linked" / "b.nbib")]
    assert problems == []


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_a_cut_gzip_in_another_encoding_gives_its_text_before_the_cut_then_the_error(
    encoding: str,
) -> None:
    """Only the UTF-8 layer ended a read at the damage: in Windows-1252 or UTF-16 the text
    layer dropped the megabyte it had decoded in the read that met the error."""
    text = "".join(f"record {n:06d} caf\u00e9\n" for n in range(200_000))
    packed = gzip.compress(text.encode(encoding))
    cut = packed[: len(packed) // 2]
    before_cut = zlib.decompressobj(wbits=31).decompress(cut).decode(encoding, "ignore")
    got = ""
    source = Source.from_bytes(cut, name="cut.txt.gz")
    assert source.encoding() == encoding
    with pytest.raises(EOFError), source.open_text() as handle:
        while chunk := handle.read(1 << 20):
            got += chunk
    assert len(before_cut) > 1 << 20
    assert got == before_cut[: len(got)] and len(before_cut) - len(got) <= 1


def test_a_gzip_bomb_is_refused_in_every_reader_after_the_records_before_it() -> None:
    """Gigabytes of blank lines packed into a megabyte took a minute per gigabyte to read
    through: past 8 MB, inflating over 200 times the compressed size is one error."""
    from bibkit.sources import read_one

    first, second = _medline_records(2).split(b"\n\n")
    padding = b"\n" * (io.GZIP_RATIO_FREE_BYTES + (1 << 20))
    packed = gzip.compress(first + b"\n\n" + padding + second, compresslevel=9)
    assert len(padding) > io.MAX_GZIP_RATIO * len(packed)
    items = list(read_one(Source.from_bytes(packed, name="bomb.nbib.gz"), None, ReadOptions()))
    assert [c.PMID for c in items if isinstance(c, Citation)] == ["90000000"]
    (error,) = [d for d in items if isinstance(d, Diagnostic)]
    assert (error.severity, error.code) == ("error", "refused-input")
    assert "gzip bomb refused" in error.message


def test_real_exports_are_far_from_the_gzip_ratio_limit() -> None:
    data = (Path(__file__).parent / "data" / "medline" / "medline-4-records.nbib").read_bytes()
    assert len(data) / len(gzip.compress(data)) < io.MAX_GZIP_RATIO / 10


def test_text_after_the_gzip_data_is_ignored_with_a_warning_and_every_record_kept() -> None:
    """As ``gzip -d`` does: the last record before the garbage is whole, and was lost."""
    from bibkit.sources import read_one

    records = _medline_records(4)
    packed = gzip.compress(records) + b"<html>502 Bad Gateway</html>\n"
    items = list(read_one(Source.from_bytes(packed, name="trail.nbib.gz"), None, ReadOptions()))
    assert [c.PMID for c in items if isinstance(c, Citation)] == [
        "90000000", "90000001", "90000002", "90000003",
    ]  # fmt: skip
    (warning,) = [d for d in items if isinstance(d, Diagnostic)]
    assert (warning.severity, warning.code) == ("warning", "bad-gzip")
    reported: list[Diagnostic] = []
    source = Source.from_bytes(packed, name="trail.gz").with_report(reported.append)
    with source.open_binary() as handle:
        assert handle.read() == records
    assert len(reported) == 1


def test_a_damaged_second_gzip_member_is_still_an_error() -> None:
    packed = gzip.compress(b"first\n") + b"\x1f\x8b" + b"\x00" * 20
    with Source.from_bytes(packed).open_binary() as handle, pytest.raises(io.GZIP_ERRORS):
        while handle.read(1 << 16):
            pass


def test_control_characters_are_left_out_and_reported_by_line() -> None:
    """A NUL or an ESC went into every output (a .bib with a NUL byte, a terminal escape)."""
    data = b"first line\nsecond \x00line\x1b[31m\nthird\tline\r\n" + b"\x07" * 30
    reported: list[Diagnostic] = []
    source = Source.from_bytes(data, name="ctl.txt").with_report(reported.append)
    with source.open_text() as handle:
        assert handle.read() == "first line\nsecond line[31m\nthird\tline\n"
    assert [(d.line, d.code) for d in reported[:2]] == [
        (2, "control-character"), (2, "control-character"),
    ]  # fmt: skip
    assert "U+0000" in reported[0].message and "U+001B" in reported[1].message
    assert len(reported) == STRAY_BYTES_SHOWN + 1
    assert reported[-1].message == f"{32 - STRAY_BYTES_SHOWN} more control characters left out"


@pytest.mark.parametrize(
    "data", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n", b"\xff\xfe", b"\xff\xfe\n\x00 \x00"]
)
def test_a_byte_order_mark_alone_is_an_empty_input(data: bytes) -> None:
    """It was 'not in a format bibkit recognizes'."""
    assert Source.from_bytes(data).is_empty()
    assert not Source.from_bytes(data + b"PMID- 1\n").is_empty()


def test_standard_input_named_twice_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second ``-`` found it empty: an 'empty input' error, exit status 1, for nothing."""
    monkeypatch.setattr(sys, "stdin", stdio.TextIOWrapper(stdio.BytesIO(b"PMID- 1\n")))
    sources, problems = expand_inputs(["-", "-"])
    assert [s.data for s in sources] == [b"PMID- 1\n"]
    assert [(p.severity, p.code) for p in problems] == [("warning", "stdin-again")]
