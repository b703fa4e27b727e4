"""Bytes in and out: finding inputs, decoding them, and writing outputs atomically."""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from bibkit.diagnostics import Diagnostic, SameFileError

STDIN = "-"
SNIFF_BYTES = 8192
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Source:
    """One input: a file on disk or standard input (buffered once, so it can be sniffed)."""

    name: str
    """What messages call it: the path as the user gave it, or ``<stdin>``."""
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: str | Path) -> Source:
        return cls(name=str(path), path=Path(path))

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "<stdin>") -> Source:
        return cls(name=name, data=data)

    @property
    def is_gzip(self) -> bool:
        return self._raw_head(2) == GZIP_MAGIC

    def _raw_open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return open(self.path, "rb")

    def _raw_head(self, size: int) -> bytes:
        with self._raw_open() as handle:
            return handle.read(size)

    def open_binary(self) -> BinaryIO:
        """The content as bytes, gunzipped transparently."""
        raw = self._raw_open()
        if raw.read(2) == GZIP_MAGIC:
            raw.seek(0)
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        raw.seek(0)
        return raw

    def head_bytes(self, size: int = SNIFF_BYTES) -> bytes:
        with self.open_binary() as handle:
            return handle.read(size)

    def encoding(self) -> str:
        return detect_encoding(self.head_bytes())

    def head(self, size: int = SNIFF_BYTES) -> str:
        """The first ``size`` bytes decoded, for sniffing (a cut character is dropped)."""
        raw = self.head_bytes(size)
        return raw.decode(detect_encoding(raw), errors="ignore")

    def open_text(self) -> TextIO:
        """Decoded text with the BOM removed and CRLF/CR turned into LF."""
        return io.TextIOWrapper(
            self.open_binary(), encoding=self.encoding(), errors="replace", newline=None
        )

    def looks_binary(self) -> bool:
        """True for content that is no text format (a PDF, an image): NUL bytes in the head."""
        raw = self.head_bytes()
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return False
        return b"\x00" in raw

    def is_empty(self) -> bool:
        return not self.head_bytes(64).strip()


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 by BOM; Windows-1252 when the bytes are not UTF-8."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the head is still UTF-8.
        if error.start < len(head) - 3:
            return "cp1252"
    return "utf-8"


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def expand_inputs(inputs: Iterable[str]) -> tuple[list[Source], list[Diagnostic]]:
    """Files as given, directories recursed in sorted order (hidden entries skipped), ``-``."""
    sources: list[Source] = []
    problems: list[Diagnostic] = []
    for given in inputs:
        if given == STDIN:
            sources.append(Source.from_bytes(sys.stdin.buffer.read()))
            continue
        path = Path(given)
        if path.is_dir():
            found = sorted(
                (
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and not any(_is_hidden(part) for part in p.relative_to(path).parts)
                ),
                key=lambda p: p.as_posix(),
            )
            if not found:
                problems.append(
                    Diagnostic(given, None, "error", "empty-directory", "directory holds no files")
                )
            sources.extend(Source.from_path(p) for p in found)
        elif path.is_file():
            sources.append(Source.from_path(path))
        elif path.exists():
            problems.append(Diagnostic(given, None, "error", "not-a-file", "not a regular file"))
        else:
            problems.append(
                Diagnostic(given, None, "error", "not-found", "no such file or directory")
            )
    readable: list[Source] = []
    for source in sources:
        if source.path is not None and not os.access(source.path, os.R_OK):
            problems.append(
                Diagnostic(source.name, None, "error", "unreadable", "permission denied")
            )
        else:
            readable.append(source)
    return readable, problems


def refuse_overwriting_inputs(output: str | Path, sources: Iterable[Source]) -> None:
    """Raise SameFileError when ``output`` is one of the inputs."""
    out = Path(output)
    if not out.exists():
        return
    for source in sources:
        if source.path is not None and source.path.exists() and out.samefile(source.path):
            raise SameFileError(f"{output}: output would overwrite input {source.name}")


@contextlib.contextmanager
def atomic_write(path: str | Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Write to a temp file beside ``path`` and rename it into place only on success.

    A reader of ``path`` sees either the old content or the complete new one, never half.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
