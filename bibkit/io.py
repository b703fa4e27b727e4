"""Bytes in and out: finding inputs, decoding them, and writing outputs atomically."""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import gzip
import io
import os
import re
import stat
import sys
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO, cast

from bibkit.diagnostics import Diagnostic, Report, SameFileError

STDIN = "-"
SNIFF_BYTES = 8192
GZIP_MAGIC = b"\x1f\x8b"
MAX_GZIP_RATIO = 200
"""Decompressed bytes per compressed byte beyond which a gzip input is refused as a bomb.

PubMed XML and MEDLINE compress about 5 to 10 times (a baseline file: ~30 MB gzip, ~200 MB
XML); even machine-generated, highly repetitive exports stay far below 100. A gzip bomb (a few
KB inflating to gigabytes) goes past 1,000."""
GZIP_RATIO_FREE_BYTES = 8 * 1024 * 1024
"""Decompressing up to this much is always allowed, so small files are never refused."""


class GzipBombError(gzip.BadGzipFile):
    """A gzip input that inflates far beyond what real exports do (see ``MAX_GZIP_RATIO``).

    A ``BadGzipFile``, so every reader stops at it as at damage, keeping what came before."""


GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)
"""What a damaged (zlib.error, BadGzipFile) or cut-off (EOFError) gzip stream raises, and a
gzip bomb (GzipBombError)."""

READ_ERRORS = (OSError, UnicodeError, *GZIP_ERRORS)
"""What reading an input may raise: the reader reports it with :func:`read_failure`."""


def read_failure(path: str, error: Exception, line: int | None = None) -> Diagnostic:
    """The one diagnostic for an input that stopped being readable: ``bad-gzip`` when the
    compressed stream is damaged or cut (the records before the damage are kept),
    ``refused-input`` for a gzip bomb, otherwise ``unreadable``."""
    if isinstance(error, GzipBombError):
        return Diagnostic(path, line, "error", "refused-input", str(error))
    if isinstance(error, GZIP_ERRORS):
        return Diagnostic(path, line, "error", "bad-gzip", f"damaged compressed input: {error}")
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return Diagnostic(path, line, "error", "unreadable", f"cannot read: {reason}")


_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
"""C0 control characters but tab, line feed and carriage return; and DEL."""
_CONTROL = re.compile(b"[" + re.escape(_CONTROL_BYTES) + b"]")
CONTROL_CHARACTERS = _CONTROL_BYTES.decode("ascii")
"""What reading UTF-8 text may leave out (see ``control-character``): a writer must not let a
value's meaning hang on them."""
STRAY_BYTES_SHOWN = 20
"""Bytes that are not UTF-8 reported one by one; the rest of a file's are counted in one line."""
_REPAIR_CHUNK = 1 << 16


@dataclass(frozen=True)
class Source:
    """One input: a file on disk or standard input (buffered once, so it can be sniffed)."""

    name: str
    """What messages call it: the path as the user gave it, or ``<stdin>``."""
    path: Path | None = None
    data: bytes | None = None
    report: Report | None = dataclasses.field(default=None, compare=False, repr=False)
    """Where decoding problems go (bytes that are not UTF-8), as they are met."""

    @classmethod
    def from_path(cls, path: str | Path) -> Source:
        return cls(name=str(path), path=Path(path))

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "<stdin>") -> Source:
        return cls(name=name, data=data)

    def with_report(self, report: Report | None) -> Source:
        """The same input, its decoding problems sent to ``report``."""
        return dataclasses.replace(self, report=report)

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
        """The content as bytes, gunzipped transparently.

        A damaged gzip stream raises what ``GZIP_ERRORS`` lists once reading reaches the damage.
        """
        return self._open_binary(self.report)

    def _open_binary(self, report: Report | None) -> BinaryIO:
        """``report`` gets what is worth a warning (text after the gzip data): None for a look
        at the head, which would report it once more."""
        raw = self._raw_open()
        try:
            magic = raw.read(2)
            raw.seek(0)
        except BaseException:
            raw.close()
            raise
        if magic == GZIP_MAGIC:
            gunzipped = _OwningGzipFile(raw, self._compressed_size(raw), self.name, report)
            return cast(BinaryIO, gunzipped)
        return raw

    def _compressed_size(self, raw: BinaryIO) -> int:
        if self.data is not None:
            return len(self.data)
        try:
            return os.fstat(raw.fileno()).st_size
        except (OSError, io.UnsupportedOperation):
            return 0

    def _head_and_damage(self, size: int) -> tuple[bytes, str | None]:
        """Up to ``size`` bytes of content, and why fewer came when a gzip stream is damaged."""
        got = bytearray()
        try:
            with self._open_binary(None) as handle:
                # One inflate step at a time (read1): what came before the damage is kept.
                step = getattr(handle, "read1", handle.read)
                while len(got) < size:
                    chunk = step(size - len(got))
                    if not chunk:
                        break
                    got += chunk
        except GZIP_ERRORS as error:
            return bytes(got), f"damaged compressed input: {error}"
        return bytes(got), None

    def head_bytes(self, size: int = SNIFF_BYTES) -> bytes:
        """The first ``size`` bytes; of a damaged gzip, what comes before the damage."""
        return self._head_and_damage(size)[0]

    def head_damage(self, size: int = SNIFF_BYTES) -> str | None:
        """Why the first ``size`` bytes of a gzip input cannot be inflated, or None."""
        return self._head_and_damage(size)[1]

    def encoding(self) -> str:
        return detect_encoding(self.head_bytes())

    def head(self, size: int = SNIFF_BYTES) -> str:
        """The first ``size`` bytes decoded, for sniffing (a cut character is dropped)."""
        raw = self.head_bytes(size)
        return raw.decode(detect_encoding(raw), errors="ignore")

    def open_repaired_utf8(self) -> BinaryIO:
        """The content as UTF-8 bytes in which a byte that is not UTF-8 becomes the
        Windows-1252 character it stands for and every control character is left out, each
        reported to ``report`` with its line, for parsers that take bytes (XML)."""
        repaired = _RepairedUtf8(self.open_binary(), self.name, self.report, all_controls=True)
        return cast(BinaryIO, io.BufferedReader(repaired, _REPAIR_CHUNK))

    def open_text(self) -> TextIO:
        """Decoded text with the BOM removed and CRLF/CR turned into LF.

        In UTF-8 text a byte that is not UTF-8 is read as Windows-1252 (where such stray bytes
        come from), and NUL and ESC characters (a damaged file, terminal colours) are left out,
        with the other control characters of a block that holds one; each is reported to
        ``report`` with its line.
        """
        encoding = self.encoding()
        binary = self.open_binary()
        if encoding in ("utf-8", "utf-8-sig"):
            repaired = _RepairedUtf8(binary, self.name, self.report)
            binary = cast(BinaryIO, io.BufferedReader(repaired, _REPAIR_CHUNK))
        elif isinstance(binary, _OwningGzipFile):
            unit = 2 if encoding == "utf-16" else 1
            binary = cast(BinaryIO, io.BufferedReader(_EndsAtDamage(binary, unit), _REPAIR_CHUNK))
        return io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline=None)

    def looks_binary(self) -> bool:
        """True for content that is no text format (a PDF, an image): NUL bytes in the head."""
        raw = self.head_bytes()
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return False
        return b"\x00" in raw

    def is_empty(self) -> bool:
        """Nothing but white space, or a byte order mark (what Notepad saves for no text)."""
        return not self.head(64).lstrip("\ufeff").strip()


class _OwningGzipFile(gzip.GzipFile):
    """A GzipFile that closes the file it inflates (GzipFile leaves a given file open), and
    that gives what it inflated before damage or a cut-off end, the error coming on the next
    read: a reader asking for a megabyte at a time would otherwise lose the records in the
    last megabyte before the cut.

    It also refuses a gzip bomb: past ``GZIP_RATIO_FREE_BYTES``, inflating more than
    ``MAX_GZIP_RATIO`` times the compressed size raises ``GzipBombError`` (as damage does), so
    no reader spends minutes on gigabytes of blank lines packed into a megabyte."""

    def __init__(
        self, raw: BinaryIO, compressed_size: int, name: str = "", report: Report | None = None
    ) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._compressed = raw
        self._compressed_size = compressed_size
        self._limit = max(GZIP_RATIO_FREE_BYTES, MAX_GZIP_RATIO * compressed_size)
        self._inflated = 0
        self._failure: BaseException | None = None
        self._name = name
        self._report = report
        self._trailing = False

    def read1(self, size: int = -1) -> bytes:
        if self._trailing:
            return b""
        try:
            data = super().read1(size)
        except gzip.BadGzipFile as error:
            if not self._after_whole_member(error):
                raise
            # What gzip -d does too: the data is whole, what follows it (a download's error
            # page, a second file pasted on) is no gzip and is left out, with a warning.
            self._trailing = True
            if self._report is not None:
                self._report(
                    Diagnostic(
                        self._name, None, "warning", "bad-gzip",
                        "text after the end of the compressed data is no gzip: ignored",
                    )
                )  # fmt: skip
            return b""
        self._inflated += len(data)
        if self._inflated > self._limit:
            raise GzipBombError(
                f"gzip bomb refused: {self._compressed_size} compressed bytes inflate to more"
                f" than {self._inflated} (over {MAX_GZIP_RATIO} times their size; real PubMed"
                " exports are about 10 times)"
            )
        return data

    def read(self, size: int | None = -1) -> bytes:
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure
        got = bytearray()
        wanted = -1 if size is None else size
        try:
            while wanted < 0 or len(got) < wanted:
                step = self.read1(io.DEFAULT_BUFFER_SIZE * 8 if wanted < 0 else wanted - len(got))
                if not step:
                    break
                got += step
        except GZIP_ERRORS as error:
            if not got:
                raise
            self._failure = error
        return bytes(got)

    def _after_whole_member(self, error: gzip.BadGzipFile) -> bool:
        """Whether ``error`` is bytes that are no gzip header where a member could start, all
        members before them whole (checked against their CRC and length)."""
        reader = getattr(getattr(self, "_buffer", None), "raw", None)  # gzip's _GzipReader
        return (
            self._inflated > 0
            and getattr(reader, "_new_member", False) is True
            and str(error).startswith("Not a gzipped file")
        )

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._compressed.close()


class _EndsAtDamage(io.RawIOBase):
    """Bytes passed on as they are, a gzip failure ending the read that meets it and raised on
    the next read (or on closing): the text layer above drops what it decoded in a read that
    raises, up to a megabyte of whole records before the damage. (``_RepairedUtf8`` does the
    same for UTF-8; this is for the other encodings.) Bytes are given in whole code units
    (``unit``): a UTF-16 text layer left with half a character at the end reads once more in
    the same call, and would meet the error there."""

    def __init__(self, raw: BinaryIO, unit: int) -> None:
        super().__init__()
        self._raw = raw
        self._unit = unit
        self._tail = b""
        self._failure: BaseException | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure
        data = self._tail
        while True:
            try:
                more = self._raw.read(max(len(buffer) - len(data), self._unit))
            except GZIP_ERRORS as error:
                self._failure, self._tail = error, b""  # half a character, cut by the damage
                return 0
            data += more
            size = min(len(data), len(buffer))
            if more:
                size -= size % self._unit
                if not size:
                    continue
            # (At the end of the input, what is left goes to the decoder as it is.)
            buffer[:size] = data[:size]
            self._tail = data[size:]
            return size

    def close(self) -> None:
        if not self.closed:
            try:
                self._raw.close()
            finally:
                super().close()
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 by BOM; Windows-1252 when the bytes are not UTF-8.

    A few stray bytes in text that is otherwise UTF-8 (a curly quote pasted from Word) leave it
    UTF-8: read as Windows-1252 it would turn every other accented letter into mojibake.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    letters, stray = _utf8_tally(head)
    if stray > letters:
        return "cp1252"
    return "utf-8"


def _utf8_tally(data: bytes) -> tuple[int, int]:
    """Non-ASCII characters that decode as UTF-8, and bytes that do not.

    A multi-byte character cut at the end is neither: the head may end in the middle of one.
    """
    letters = stray = 0
    rest = data
    while rest:
        try:
            text, _ = codecs.utf_8_decode(rest, "strict", False)
        except UnicodeDecodeError as error:
            text = rest[: error.start].decode("utf-8")
            stray += error.end - error.start
            rest = rest[error.end :]
        else:
            rest = b""
        letters += len(text) - len(text.encode("ascii", "ignore"))
    return letters, stray


def _as_cp1252(byte: int) -> str:
    return bytes([byte]).decode("cp1252", errors="replace")


class _RepairedUtf8(io.RawIOBase):
    """UTF-8 bytes passed on as they are; a byte that is not UTF-8 becomes the Windows-1252
    character it stands for (in UTF-8), and is reported with its line."""

    def __init__(
        self, raw: BinaryIO, name: str, report: Report | None, *, all_controls: bool = False
    ) -> None:
        super().__init__()
        self._raw = raw
        self._all_controls = all_controls
        """Every control character is left out, not only NUL and ESC and those near them."""
        self._name = name
        self._report = report
        self._tail = b""
        """An incomplete character at the end of the last chunk, completed by the next."""
        self._out = b""
        self._at = 0
        self._eof = False
        self._line = 1
        self._after_cr = False
        self._stray = 0
        self._first_unshown: int | None = None
        self._failure: BaseException | None = None
        self._controls = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._failure is not None and self._at >= len(self._out):
            failure, self._failure = self._failure, None
            raise failure
        while self._at >= len(self._out) and not self._eof:
            try:
                chunk = self._raw.read(_REPAIR_CHUNK)
            except GZIP_ERRORS as error:
                # The text layer above drops what it decoded in a read that raises: end this
                # read here, and raise on the next one (or on closing, if none comes).
                self._failure = error
                return 0
            self._eof = not chunk
            first_line = self._line
            self._out, self._at = self._repair(self._tail + chunk, final=self._eof), 0
            if self._all_controls or b"\x00" in self._out or b"\x1b" in self._out:
                # Two byte searches (memchr) cost nothing; a scan for every control
                # character would cost a text reader ~2 %.
                self._out = self._without_controls(self._out, first_line)
            if self._eof:
                self._summarise()
        size = min(len(buffer), len(self._out) - self._at)
        buffer[:size] = self._out[self._at : self._at + size]
        self._at += size
        return size

    def close(self) -> None:
        if not self.closed:
            try:
                self._raw.close()
            finally:
                super().close()
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure

    def _repair(self, data: bytes, *, final: bool) -> bytes:
        if data.isascii():  # no decoding needed to know it is UTF-8
            self._count_lines(data)
            self._tail = b""
            return data
        out = bytearray()
        rest = data
        while True:
            try:
                _, used = codecs.utf_8_decode(rest, "strict", final)
            except UnicodeDecodeError as error:
                self._count_lines(rest[: error.start])
                out += rest[: error.start]
                for byte in rest[error.start : error.end]:
                    letter = _as_cp1252(byte)
                    self._stray_byte(byte, letter)
                    out += letter.encode("utf-8")
                self._after_cr = False
                rest = rest[error.end :]
                continue
            self._count_lines(rest[:used])
            out += rest[:used]
            self._tail = rest[used:]
            return bytes(out)

    def _count_lines(self, text: bytes) -> None:
        """Lines as the text reader counts them: LF, CRLF and a lone CR each end one."""
        if not text:
            return
        ends = text.count(b"\n")
        if b"\r" in text:  # most files have none: one pass over the bytes, not three
            ends += text.count(b"\r") - text.count(b"\r\n")
        if self._after_cr and text.startswith(b"\n"):
            ends -= 1
        self._line += ends
        self._after_cr = text.endswith(b"\r")

    def _stray_byte(self, byte: int, letter: str) -> None:
        self._stray += 1
        if self._report is None:
            return
        if self._stray > STRAY_BYTES_SHOWN:
            if self._first_unshown is None:
                self._first_unshown = self._line
            return
        if letter == "\ufffd":
            how = "neither UTF-8 nor Windows-1252; replaced by U+FFFD"
        else:
            how = f"not UTF-8; read as the Windows-1252 character {letter!r}"
        self._report(
            Diagnostic(self._name, self._line, "warning", "not-utf8", f"byte 0x{byte:02X} is {how}")
        )

    def _without_controls(self, data: bytes, line: int) -> bytes:
        """``data`` without control characters (NUL, ESC …: no bibliographic format holds
        them, XML refuses them, a terminal obeys them), each reported with its line."""
        if len(data.translate(None, _CONTROL_BYTES)) == len(data):
            return data
        at = 0
        for found in _CONTROL.finditer(data):
            line += data.count(b"\n", at, found.start())
            at = found.start()
            self._controls += 1
            if self._report is not None and self._controls <= STRAY_BYTES_SHOWN:
                self._report(
                    Diagnostic(
                        self._name, line, "warning", "control-character",
                        f"control character U+{found[0][0]:04X} left out",
                    )
                )  # fmt: skip
        return data.translate(None, _CONTROL_BYTES)

    def _summarise(self) -> None:
        if self._report is not None and self._controls > STRAY_BYTES_SHOWN:
            more = self._controls - STRAY_BYTES_SHOWN
            self._report(
                Diagnostic(
                    self._name, None, "warning", "control-character",
                    f"{more} more control characters left out",
                )
            )  # fmt: skip
        if self._report is None or self._first_unshown is None:
            return
        more = self._stray - STRAY_BYTES_SHOWN
        self._report(
            Diagnostic(
                self._name,
                self._first_unshown,
                "warning",
                "not-utf8",
                f"{more} more bytes from here on are not UTF-8; each was read as Windows-1252",
            )
        )
        self._first_unshown = None


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _kind(path: Path) -> str:
    """What a path that is neither a file nor a directory is, in words."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "not a regular file"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _directory_files(root: Path, problems: list[Diagnostic]) -> list[Path]:
    """Regular files under ``root`` (hidden entries skipped); anything else found is reported.

    A broken link, a FIFO or an unreadable folder looks like an input the user meant to
    convert: it is named, never silently left out (and a FIFO is never opened, so never waited
    on).
    """
    found: list[Path] = []

    def skipped(where: str | Path, code: str, message: str) -> None:
        problems.append(Diagnostic(str(where), None, "error", code, message))

    def unreadable(error: OSError) -> None:
        where = error.filename if error.filename is not None else root
        skipped(where, "unreadable", f"folder cannot be read: {error.strerror or error}")

    walked: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(root, onerror=unreadable, followlinks=True):
        # Linked folders are followed; a folder met again (a link loop, or two links to one
        # folder) is read once, at its first path in sorted order.
        try:
            status = os.stat(folder)
        except OSError as error:
            unreadable(error)
            dirs[:] = []
            continue
        if (status.st_dev, status.st_ino) in walked:
            dirs[:] = []
            continue
        walked.add((status.st_dev, status.st_ino))
        dirs[:] = sorted(d for d in dirs if not _is_hidden(d))
        for name in files:
            if _is_hidden(name):
                continue
            path = Path(folder, name)
            if path.is_file():
                found.append(path)
            elif path.is_symlink() and not path.exists():
                target = os.readlink(path)
                skipped(path, "broken-link", f"link to {target}, which does not exist; skipped")
            elif not path.is_dir():
                skipped(path, "not-a-file", f"{_kind(path)}, not a regular file; skipped")
    return sorted(found, key=lambda p: p.as_posix())


def expand_inputs(inputs: Iterable[str]) -> tuple[list[Source], list[Diagnostic]]:
    """Files as given, directories recursed in sorted order (hidden entries skipped), ``-``."""
    sources: list[Source] = []
    problems: list[Diagnostic] = []
    stdin_read = False
    for given in inputs:
        if given == STDIN:
            if stdin_read:
                # A second read would find it empty: "empty input", an error for nothing.
                problems.append(
                    Diagnostic("<stdin>", None, "warning", "stdin-again",
                               "standard input named more than once; read once")
                )  # fmt: skip
                continue
            stdin_read = True
            sources.append(Source.from_bytes(sys.stdin.buffer.read()))
            continue
        path = Path(given)
        if path.is_dir():
            inside: list[Diagnostic] = []
            found = _directory_files(path, inside)
            problems.extend(inside)
            if not found and not inside:
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


def same_file(one: str | Path, other: str | Path) -> bool:
    """Whether two paths name one file: the same inode, or the same place once resolved."""
    first, second = Path(one), Path(other)
    if first.exists() and second.exists():
        return first.samefile(second)
    return first.resolve() == second.resolve()


def refuse_overwriting_inputs(
    output: str | Path, sources: Iterable[Source], *, what: str = "output"
) -> None:
    """Raise SameFileError when ``output`` (a file bibkit writes) is one of the inputs."""
    out = Path(output)
    if not out.exists():
        return
    for source in sources:
        if source.path is not None and source.path.exists() and out.samefile(source.path):
            raise SameFileError(f"{output}: {what} would overwrite input {source.name}")


def is_pipe_or_device(path: str | Path) -> bool:
    """An existing path that is no regular file nor folder: a FIFO, a device, /dev/stdout."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


@contextlib.contextmanager
def atomic_write(path: str | Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Write to a temp file beside ``path`` and rename it into place only on success.

    A reader of ``path`` sees either the old content or the complete new one, never half.
    A symbolic link is followed: the file it points to is replaced and the link stays. A FIFO
    or a device (``/dev/stdout``) is written straight into, since renaming over it would
    replace the pipe or device itself.
    """
    given = Path(path)
    if is_pipe_or_device(given):
        with open(given, "w", encoding=encoding, newline="\n") as stream:
            yield stream
        return
    target = Path(os.path.realpath(given))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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


@contextlib.contextmanager
def utf8_stdout() -> Iterator[TextIO]:
    """Standard output as UTF-8 with LF line ends whatever the locale: the bytes ``-o`` writes.

    Every format bibkit writes is UTF-8; text encoded for a cp1252 console or an ASCII locale
    would either fail on the first accented name or not be the format any more.
    """
    stream = sys.stdout
    binary = getattr(stream, "buffer", None)
    if binary is None:  # a stream that only takes text (a notebook, a StringIO)
        yield stream
        return
    stream.flush()
    wrapper = io.TextIOWrapper(binary, encoding="utf-8", newline="\n")
    try:
        yield wrapper
        wrapper.flush()
    finally:
        with contextlib.suppress(ValueError, OSError):
            wrapper.detach()  # standard output itself stays open


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
