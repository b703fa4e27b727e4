"""Inputs found and decoded; outputs written atomically and never over an input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from bibkit.diagnostics import SameFileError
from bibkit.io import (
    Source,
    atomic_write,
    detect_encoding,
    expand_inputs,
    refuse_overwriting_inputs,
)


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
