"""Reader ``medline``: PubMed's MEDLINE export (.nbib, "Send to > Citation manager").

A record is a run of ``TAG - value`` lines (the tag padded to four characters), long values
continue on lines indented by six spaces, and records are separated by blank lines (a new
``PMID-`` line also starts a record, for files glued together without one). What each tag means
is data in :mod:`bibkit.mappings.medline`; this module does the parts that need code: people
with the affiliations and ORCIDs that follow them, dates, identifiers, MeSH, grants, relations.

A bibliometrics user pushes a million records through this, so the input is read in blocks of
about a megabyte and split into records with C-level string operations; continuation lines are
joined with one replace per record; each line costs one dict lookup to know what it is; the
citation is built as plain data and validated once. Memory stays at a few megabytes (a block
and its records) however large the file. Line numbers are counted per record, and found again
only when something must be reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date as calendar_date
from typing import Any, TextIO, TypeVar

from bibkit.dates import parse_pubmed_date
from bibkit.diagnostics import Diagnostic, Severity
from bibkit.io import READ_ERRORS, Source, read_failure
from bibkit.mappings import medline as table
from bibkit.model import Citation, MeshHeading, PartialDate, RelationKind
from bibkit.readers.pubmed_summary import expand_pages, parse_journal_citation
from bibkit.registry import ReadOptions

__all__ = ["read", "sniff"]

_T = TypeVar("_T")
Fields = dict[str, Any]
"""A model's fields as plain data; the citation is validated once, nested parts with it."""

FORMAT = "medline"
SNIFF_SCORE = 90
AHEAD_OF_PRINT = "ahead-of-print"
CHUNK_CHARS = 1 << 20
"""Characters read at a time; records are cut out of each block."""
MAX_RECORD_CHARS = 16 << 20
"""A "record" longer than this (no blank line, no PMID line for 16 M characters) is no MEDLINE
record; it is reported and skipped, so memory stays bounded whatever the input."""

_SEPARATOR = re.compile(r"\n[ \t\f\v]*\n")
_SPACE = frozenset(" \t\n\r\f\v")
_CONTINUATION = re.compile(r"\n[ \t]+")
_SPACES = re.compile(" {2,}")
_TAG_LINE = re.compile(r"([A-Z][A-Z0-9]{1,3}) {0,3}-(?: ?(.*))?")
_SNIFF = re.compile(r"^PMID- ?\d", re.MULTILINE)
_LABEL = re.compile(r"[A-Z][A-Z0-9 ,&/'()-]*[A-Z0-9)]: ")
"""A structured abstract's label (``BACKGROUND: ``) at the start of a sentence."""
_LABEL_AFTER_SENTENCE = re.compile(r"\. (?=[A-Z][A-Z0-9 ,&/'()-]*[A-Z0-9)]: )")
"""The end of a sentence followed by a label: where a structured abstract's paragraph ends."""
_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])\s*$")
_GRANT_ACRONYM = re.compile(r"[A-Z0-9_]{2,5}")
_E_LOCATOR = re.compile(r"[A-Za-z]{0,4}\d[\w.]{0,10}")
"""A ``[pii]`` location that is an article number (``e0212345``), usable as the page."""
_KEEPS_PERIOD = re.compile(
    r"(?:\b[A-Za-z]\.[A-Za-z]\.|\b(?:vs|etc|al|Inc|Ltd|Co|Jr|Sr|No|St|Dr|spp|sp)\.)$"
)
"""A title ending in an abbreviation keeps its period (searched in the last characters only)."""
_SUFFIXES = frozenset({"Jr", "Sr", "2nd", "3rd", "4th", "II", "III", "IV"})
_AHEAD_OF_PRINT_MARK = f"[{table.AHEAD_OF_PRINT_STATUS}]"
_ID_FIELDS = table.ID_KINDS


def _padded(tags: dict[str, _T]) -> dict[str, _T]:
    """Tags as lines write them, padded to four characters (``"AB  "``), so the hot loop
    compares the first four characters of a line without stripping them."""
    return {tag.ljust(4): value for tag, value in tags.items()}


_TEXT_TAGS = _padded(table.TEXT_TAGS)
_LIST_TAGS = _padded(table.LIST_TAGS)
_RELATION_TAGS = _padded(table.RELATION_TAGS)
_ADMINISTRATIVE_TAGS = frozenset(tag.ljust(4) for tag in table.ADMINISTRATIVE_TAGS)
_FULL_NAMES = {"FAU ": ("author", "AU  "), "FIR ": ("investigators", "IR  "),
               "FED ": ("editor", "ED  ")}  # fmt: skip
"""Full-name tags: the list the person goes to, and the short-name tag that follows."""
_SHORT_NAMES = {"AU  ": "author", "IR  ": "investigators", "ED  ": "editor"}

# What a tag is, so the hot loop does one dict lookup per line and then compares small ints,
# the most frequent kinds first. Tags of kind _OTHER are told apart by comparing the tag.
(_SKIP, _AFFILIATION, _MESH, _TEXT, _FULL_NAME, _SHORT_NAME, _LIST, _HISTORY, _IDENTIFIER,
 _RELATION, _UNKNOWN, _OTHER) = range(12)  # fmt: skip
_KINDS: dict[str, int] = {
    **dict.fromkeys(_ADMINISTRATIVE_TAGS, _SKIP),
    **dict.fromkeys(_TEXT_TAGS, _TEXT),
    **dict.fromkeys(_LIST_TAGS, _LIST),
    **dict.fromkeys(_RELATION_TAGS, _RELATION),
    **dict.fromkeys(_padded(table.STRUCTURED_TAGS), _OTHER),
    **dict.fromkeys(_FULL_NAMES, _FULL_NAME),
    **dict.fromkeys(_SHORT_NAMES, _SHORT_NAME),
    "AD  ": _AFFILIATION,
    "MH  ": _MESH,
    "PHST": _HISTORY,
    "AID ": _IDENTIFIER,
    "LID ": _IDENTIFIER,
}
_LINE_KINDS = {f"{tag}- ": kind for tag, kind in _KINDS.items()}


def sniff(head: str) -> int:
    """90 when a line starts with ``PMID- 123``; 0 for page dumps (``- PMID: 123``) and the rest."""
    first = head.lstrip("\ufeff \t\r\n")[:8]
    if not first or first[0] in "<@{[" or first.startswith("TY  -"):
        return 0
    return SNIFF_SCORE if _SNIFF.search(head) else 0


def read(source: Source, options: ReadOptions) -> Iterator[Citation | Diagnostic]:
    """Every record in input order; a broken record is reported and reading goes on."""
    try:
        with source.open_text() as handle:
            yield from _read(handle, source.name, options)
    except READ_ERRORS as error:
        # A damaged or cut-off gzip stream ends the file here, after the records before it.
        yield read_failure(source.name, error)


def _read(handle: TextIO, path: str, options: ReadOptions) -> Iterator[Citation | Diagnostic]:
    seen: set[str] = set()
    for batch in _blocks(handle, path):
        if isinstance(batch, Diagnostic):
            yield batch
            continue
        for line, text in batch:
            citation, messages = _record(text, line, path, options, seen)
            if messages:
                yield from messages
            if citation is not None:
                yield citation


def identities(source: Source) -> Iterator[tuple[str | None, str | None]]:
    """Pass one of a large conversion: ``(PMID, DOI)`` of each record ``read`` yields.

    The reader's own builder reads each record cut down to the lines those can come from
    (``_identity_text``), so they are the reader's values at a fraction of the cost; a record
    the model would refuse may still be counted here, which only delays its twins. Problems
    are left to ``read``, which reports them in pass two.
    """
    try:
        with source.open_text() as handle:
            for batch in _blocks(handle, source.name):
                if isinstance(batch, Diagnostic):
                    continue
                for line, text in batch:
                    if not text.startswith("PMID"):
                        continue  # the reader rejects it
                    quick = _plain_identities(text)
                    if quick is not None:
                        yield quick
                        continue
                    builder = _Builder(_identity_text(text), line, source.name, False, set())
                    values = builder.values()
                    if values is not None:
                        yield values.get("PMID"), values.get("DOI")
    except READ_ERRORS:
        return


_PLAIN_PMID = re.compile(r"PMID- (\d+)\n(?![ \t])")
_PLAIN_ID = re.compile(r"(\S+) \[(\w+)\]")
_PLAIN_DATE = re.compile(r"\nDP  - \S")
_PLAIN_ABBREVIATION = re.compile(r"\nTA  - \S")


def _plain_identities(text: str) -> tuple[str, str | None] | None:
    """PMID and DOI of a record whose identifier lines are as PubMed writes them, without the
    builder; None for any other record, which the builder reads (see ``_identity_text``).

    What makes a line plain here is what makes the builder read it the same: one
    ``PMID- digits`` line first, every ``LID``/``AID`` line ``XID - value [kind]`` on one
    line, and a date and a journal abbreviation, so the source line gives no DOI."""
    pmid = _PLAIN_PMID.match(text)
    if pmid is None or not _PLAIN_DATE.search(text) or not _PLAIN_ABBREVIATION.search(text):
        return None
    dois: dict[str, str] = {}
    for tag in ("\nLID", "\nAID"):
        at = text.find(tag)
        while at >= 0:
            end = text.find("\n", at + 1)
            line = text[at + 1 : end] if end >= 0 else text[at + 1 :]
            if line[3:6] != " - " or (end >= 0 and text[end + 1 : end + 2] in (" ", "\t")):
                return None
            found = _PLAIN_ID.fullmatch(line, 6)
            if found is None:
                return None
            if found[2] == "doi":
                dois.setdefault(tag, found[1])
            at = text.find(tag, at + 1)
    return pmid[1], dois.get("\nLID") or dois.get("\nAID")


_IDENTITY_LINE = re.compile(r"\n(?:PMID|LID|AID|SO|DP|TA)")
"""Where a record's PMID and DOI can come from: their own lines, and the source line (``SO``),
which gives the DOI when the date (``DP``) or the journal abbreviation (``TA``) is missing."""


def _identity_text(text: str) -> str:
    """The record's first line and its identifier lines, in order, with their continuations."""
    lines = [_line_at(text, 0)]
    lines.extend(_line_at(text, found.start() + 1) for found in _IDENTITY_LINE.finditer(text))
    return "\n".join(lines)


def _line_at(text: str, start: int) -> str:
    """The line starting at ``start`` and the indented lines that continue it."""
    end = text.find("\n", start)
    while end >= 0 and text[end + 1 : end + 2] in (" ", "\t"):
        end = text.find("\n", end + 1)
    return text[start:] if end < 0 else text[start:end]


# -- records --------------------------------------------------------------------------------


def _blocks(handle: TextIO, path: str) -> Iterator[list[tuple[int, str]] | Diagnostic]:
    """``(first line, text)`` of the records of each block read, cut at blank lines and at
    ``PMID-`` lines."""
    line = 1
    pending = ""
    skipping = False
    while True:
        chunk = handle.read(CHUNK_CHARS)
        text = pending + chunk if pending else chunk
        if chunk:
            cut = text.rfind("\n\n")
            cut = cut + 2 if cut >= 0 else text.rfind("\nPMID-") + 1
            if cut <= 0:
                if len(text) > MAX_RECORD_CHARS:
                    if not skipping:
                        yield Diagnostic(
                            path, line, "error", "record-too-long",
                            f"no record boundary in {MAX_RECORD_CHARS // (1 << 20)} M"
                            " characters: skipped up to the next blank line",
                        )  # fmt: skip
                    line += text.count("\n")
                    pending, skipping = "", True
                else:
                    pending = text
                continue
            complete, pending = text[:cut], text[cut:]
        else:
            complete, pending = text, ""
        if skipping:
            boundary = _SEPARATOR.search(complete)
            end = boundary.end() if boundary else len(complete)
            line += complete.count("\n", 0, end)
            complete, skipping = complete[end:], False
        yield _split(complete, line)
        line += complete.count("\n")
        if not chunk:
            return


def _split(text: str, line: int) -> list[tuple[int, str]]:
    """Records of a block of whole lines. A blank line holding spaces separates nothing here:
    the record after it is still found by its ``PMID-`` line (see ``_glued``)."""
    found: list[tuple[int, str]] = []
    for piece in text.split("\n\n"):
        if piece:
            block = piece.lstrip() if piece[0] in _SPACE else piece
            if block:
                start = line + piece.count("\n", 0, len(piece) - len(block))
                if block[-1] in _SPACE:
                    block = block.rstrip()
                if "\nPMID-" in block:
                    found.extend(_glued(block, start))
                else:
                    found.append((start, block))
            line += piece.count("\n")
        line += 2
    return found


def _glued(block: str, line: int) -> Iterator[tuple[int, str]]:
    """Records with no blank line between them: each ``PMID-`` line starts one."""
    parts = block.split("\nPMID-")
    yield line, parts[0]
    line += parts[0].count("\n") + 1
    for part in parts[1:]:
        yield line, "PMID-" + part
        line += part.count("\n") + 1


def _line_of(text: str, start: int, where: str) -> int:
    """The line of a record that starts like ``where`` (a tag line), else the first line with
    its tag; found again only when something must be reported."""
    for probe in (where[:24], where[:4]):
        if text.startswith(probe):
            return start
        at = text.find("\n" + probe)
        if at >= 0:
            return start + text.count("\n", 0, at) + 1
    return start


def _record(
    text: str, start: int, path: str, options: ReadOptions, seen: set[str]
) -> tuple[Citation | None, list[Diagnostic]]:
    """One record's citation (None when it is rejected) and its messages, in order."""
    if not text.startswith("PMID"):
        first = text.split("\n", 1)[0].strip()
        return None, [
            Diagnostic(
                path, start, "error", "not-a-record",
                f"record skipped: a MEDLINE record starts with a PMID line, not {first[:60]!r}",
            )
        ]  # fmt: skip
    builder = _Builder(text, start, path, options.strict, seen)
    try:
        citation = builder.build()
    except ValueError as error:
        # A value the model refuses (pydantic's ValidationError is a ValueError), or a number
        # too long for int().
        refused = Diagnostic(path, start, "error", "bad-record", f"record skipped: {error}")
        return None, [*builder.notices, *builder.problems, refused]
    messages = builder.notices + builder.problems if builder.notices else builder.problems
    if options.strict and builder.problems:
        return None, messages
    return citation, messages


class _OddIndentation(Exception):
    """A continuation line not indented by six spaces: the record is read again."""


class _Builder:
    """One record's lines to a Citation; problems are collected, never raised."""

    def __init__(self, text: str, start: int, path: str, strict: bool, seen: set[str]) -> None:
        self.text = text
        self.start = start
        self.path = path
        self.severity: Severity = "error" if strict else "warning"
        self.seen = seen
        self.problems: list[Diagnostic] = []
        """About this record (rejects it in strict mode)."""
        self.notices: list[Diagnostic] = []
        """About the file: unknown tags, reported once per file."""

    def warn(
        self, code: str, message: str, field: str | None = None, where: str | None = None
    ) -> None:
        """A problem of this record; ``where`` is the offending line as written."""
        line = self.start if where is None else _line_of(self.text, self.start, where)
        self.problems.append(Diagnostic(self.path, line, self.severity, code, message, field))

    def notice(self, tag: str, message: str) -> None:
        if tag in self.seen:
            return
        self.seen.add(tag)
        line = _line_of(self.text, self.start, tag)
        self.notices.append(
            Diagnostic(self.path, line, "warning", "field-not-carried", message, field=tag.strip())
        )

    def build(self) -> Citation | None:
        values = self.values()
        # One validation of plain data for the whole record: pydantic checks nested dicts in
        # its compiled core, far faster than building each Person or MeshHeading in Python.
        return None if values is None else Citation.model_validate(values)

    def values(self) -> dict[str, Any] | None:
        """The record as plain data for the model; None when it is rejected.

        Continuation lines as PubMed writes them (six spaces) are joined in one pass; a line
        indented any other way is met in the loop, and the record is read again with every
        indented line joined (a space ending the line before gives a double space, squeezed
        per value)."""
        try:
            return self._values(self.text.replace("\n      ", " "), odd_indentation=False)
        except _OddIndentation:
            self.problems.clear()
            return self._values(_CONTINUATION.sub(" ", self.text), odd_indentation=True)

    def _values(self, text: str, odd_indentation: bool) -> dict[str, Any] | None:
        """The hot path: one pass over the lines, one dict lookup per line to know what it
        is, plain dicts validated once at the end."""
        values: dict[str, Any] = {}
        lists: dict[str, list[str]] = {}
        people: dict[str, list[Fields]] = {"author": [], "investigators": [], "editor": []}
        authors = people["author"]
        waiting: Fields | None = None
        waiting_for = ""
        last: Fields | None = None
        orphans: list[str] = []
        abstract: list[str] = []
        copyright_lines: list[str] = []
        issn: list[str] = []
        mesh: list[MeshHeading] = []
        chemicals: list[Fields] = []
        grants: list[Fields] = []
        relations: list[Fields] = []
        lid: dict[str, str] = {}
        aid: dict[str, str] = {}
        notes: list[str] = []
        title = book_title = place = source_line = None
        published = history_epub = None
        text_tags = _TEXT_TAGS
        list_tags = _LIST_TAGS
        full_names = _FULL_NAMES
        short_names = _SHORT_NAMES
        kinds = _KINDS
        line_kinds = _LINE_KINDS
        headings = _MESH_HEADINGS
        for raw in text.split("\n"):
            # ``"AB  - "``: one lookup checks the tag and the separator of a well-formed line.
            kind = line_kinds.get(raw[:6])
            if kind is not None:
                if kind == _SKIP:
                    continue
                tag = raw[:4]
                value = raw[6:]
            else:
                if raw[:1] in (" ", "\t") and not odd_indentation and raw.strip():
                    raise _OddIndentation
                match = _TAG_LINE.fullmatch(raw.rstrip())
                if match is None:
                    if raw.strip():
                        self.warn("bad-line", f"not a MEDLINE tag line, skipped: {raw[:60]!r}",
                                  where=raw)  # fmt: skip
                    continue
                tag, value = match[1].ljust(4), match[2] or ""
                kind = kinds.get(tag, _UNKNOWN)
                if kind == _SKIP:
                    continue
            value = value.strip()
            if "  " in value:
                value = value.replace("  ", " ")
                if "  " in value:
                    value = _SPACES.sub(" ", value)
            if not value:
                continue
            if kind == _AFFILIATION:
                if last is None:
                    orphans.append(value)
                else:
                    last.setdefault("affiliations", []).append(value)
            elif kind == _MESH:
                mesh.append(headings.get(value) or _mesh_heading(value))
            elif kind == _TEXT:
                text_field = text_tags[tag]
                if text_field not in values:
                    values[text_field] = value
            elif kind == _FULL_NAME:
                last = waiting = _full_name(value)
                group, waiting_for = full_names[tag]
                people[group].append(last)
            elif kind == _SHORT_NAME:
                if tag == waiting_for and waiting is not None:
                    _, space, last_word = value.rpartition(" ")
                    if (
                        space
                        and last_word.isalpha()
                        and last_word.isupper()
                        and (last_word not in _SUFFIXES)
                    ):
                        waiting["initials"] = last_word
                    elif initials := _initials(value):
                        waiting["initials"] = initials
                else:
                    last = _short_name(value)
                    people[short_names[tag]].append(last)
                waiting = None
            elif kind == _LIST:
                found = lists.setdefault(list_tags[tag], [])
                if value not in found:
                    found.append(value)
            elif kind == _HISTORY:
                if history_epub is None and value.endswith(_AHEAD_OF_PRINT_MARK):
                    history_epub = value
            elif kind == _IDENTIFIER:
                ident, _, id_kind = value.rpartition(" [")
                if ident and id_kind.endswith("]"):
                    (lid if tag == "LID " else aid).setdefault(id_kind[:-1].strip(), ident.strip())
                else:
                    self.warn("bad-identifier", f"{tag.strip()} without a [kind]: {value!r}",
                              "DOI", f"{tag}- {value}")  # fmt: skip
            elif kind == _RELATION:
                relations.append(_relation(_RELATION_TAGS[tag], value))
            elif kind == _UNKNOWN:
                self._unknown(tag)
            elif tag == "AUID":
                self._identifier(value, last)
            elif tag == "CN  ":
                last = {"literal": value}
                authors.append(last)
                waiting = None
            elif tag == "IRAD":
                if people["investigators"]:
                    people["investigators"][-1].setdefault("affiliations", []).append(value)
                else:
                    self.warn("affiliation-not-carried", f"IRAD without an investigator: "
                              f"{value!r}", "investigators", f"{tag}- {value}")  # fmt: skip
            elif tag == "TI  ":
                title = title or value
            elif tag == "AB  ":
                abstract.append(value)
            elif tag == "CI  ":
                copyright_lines.append(value)
            elif tag == "IS  ":
                number = value.partition(" (")[0].strip()
                if number and number not in issn:
                    issn.append(number)
            elif tag == "DP  ":
                published = published or value
            elif tag == "DEP ":
                if "available_date" not in values:
                    values["available_date"] = self._date(_compact_date(value), "available_date",
                                                          f"{tag}- {value}")  # fmt: skip
            elif tag == "PG  ":
                if "page" not in values:
                    values["page"] = _pages(value)
            elif tag == "PST ":
                if value == table.AHEAD_OF_PRINT_STATUS:
                    values["status"] = AHEAD_OF_PRINT
            elif tag == "RN  ":
                chemicals.append(_chemical(value))
            elif tag == "GR  ":
                grants.append(_grant(value))
            elif tag == "SI  ":
                relations.append(_data_bank(value))
            elif tag == "BTI ":
                book_title = book_title or value
            elif tag == "PL  ":
                place = place or value
            elif tag == "GN  ":
                notes.append(value)
            elif tag == "SO  ":
                source_line = source_line or value

        pmid = values.get("PMID")
        if pmid is None or not pmid.isdigit():
            self.problems.append(
                Diagnostic(
                    self.path,
                    self.start,
                    "error",
                    "bad-pmid",
                    "record skipped: it has no PMID"
                    if pmid is None
                    else f"record skipped: PMID {pmid!r} is not a number",
                )
            )
            return None
        if orphans:
            if authors:
                authors[0]["affiliations"] = [*orphans, *authors[0].get("affiliations", ())]
            else:
                self.warn("affiliation-not-carried", "affiliation with no author to belong to:"
                          f" {orphans[0]!r}", "author", "AD")  # fmt: skip
        for field, found_people in people.items():
            if found_people:
                values[field] = found_people
        for field, found in lists.items():
            values[field] = found
        if abstract or copyright_lines:
            values["abstract"] = "\n".join([*map(_abstract, abstract), *copyright_lines])
        if issn:
            values["ISSN"] = issn
        if mesh:
            values["mesh"] = mesh
        if chemicals:
            values["chemicals"] = chemicals
        if grants:
            values["grants"] = grants
        if relations:
            values["relations"] = relations
        if notes:
            values["note"] = "\n".join(notes)
        if published is not None:
            values["issued"] = self._date(_pubmed_date(published), "issued", f"DP  - {published}")
        if "available_date" not in values and history_epub is not None:
            values["available_date"] = _compact_date(history_epub.split(" ", 1)[0])
        self._identifiers(values, lid, aid)
        if title is not None:
            title = None if title.startswith("[Not Available]") else _title(title)
        if title is None and "original_title" in values:
            values["original_title"] = title = _title(values["original_title"])
        elif "original_title" in values:
            values["original_title"] = _title(values["original_title"])
        if book_title is not None:
            book_title = _title(book_title)
            if title:
                values.update(type="chapter", title=title, container_title=book_title)
            else:
                values.update(type="book", title=book_title)
            if place:
                values["publisher_place"] = place
        elif title:
            values["title"] = title
        if source_line is not None and ("issued" not in values or
                                        "container_title_short" not in values):  # fmt: skip
            _fill_from_source(values, source_line)
        values["source"] = "PubMed"
        values["provenance"] = {"path": self.path, "line": self.start, "format": FORMAT}
        return values

    def _unknown(self, tag: str) -> None:
        name = tag.strip()
        if name in table.NOT_KEPT_TAGS:
            self.notice(tag, f"MEDLINE {name} ({table.NOT_KEPT_TAGS[name]}) has no field in"
                        " bibkit's model: not kept (reported once per file)")  # fmt: skip
        else:
            self.notice(tag, f"unknown MEDLINE tag {name!r}: skipped (reported once per file)")

    def _date(self, date: Fields | PartialDate | None, field: str, where: str) -> Any:
        """A date that could only be kept as written is reported."""
        literal = date.get("literal") if isinstance(date, dict) else date and date.literal
        if literal:
            self.warn("bad-date", f"date not understood, kept as written: {literal!r}", field,
                      where)  # fmt: skip
        return date

    def _identifier(self, value: str, last: Fields | None) -> None:
        """``AUID- ORCID: 0000-0002-1825-0097`` (also dashless or as an orcid.org URL)."""
        source, colon, ident = value.partition(":")
        if colon and source.strip().upper() == "ORCID":
            match = _ORCID.search(ident)
            if match is None:
                self.warn("bad-orcid", f"not an ORCID iD: {value!r}", "author", f"AUID- {value}")
            elif last is None:
                self.warn("identifier-not-carried", f"AUID with no author: {value!r}",
                          "author", f"AUID- {value}")  # fmt: skip
            else:
                last["orcid"] = "-".join(match.groups()).upper()
            return
        self.warn("identifier-not-carried", f"author identifier kept nowhere: {value!r}",
                  "author", f"AUID- {value}")  # fmt: skip

    def _identifiers(
        self, values: dict[str, Any], lid: dict[str, str], aid: dict[str, str]
    ) -> None:
        """LID (the article's own location) first, then AID; a ``[pii]`` LID can be the page."""
        for ids in (lid, aid):
            for kind, found in ids.items():
                field = _ID_FIELDS.get(kind)
                if field is not None and found and field not in values:
                    values[field] = found
        if "archive_location" in values:
            values["archive"] = "NCBI Bookshelf"
        if "page" not in values:
            pii = lid.get("pii")
            if pii and _E_LOCATOR.fullmatch(pii):
                values["page"] = pii


# -- values ---------------------------------------------------------------------------------


def _full_name(value: str) -> Fields:
    """``FAU - de Hoon, M J L`` / ``Carpenter, William T Jr`` / ``Aristotle``."""
    family, comma, given = value.partition(",")
    if not comma:
        return {"family": value}
    name: Fields = {"family": family.strip()}
    given, comma, suffix = given.partition(",")
    given = given.strip()
    if comma:
        name["suffix"] = suffix.strip()
    elif " " in given and (word := given.rpartition(" ")[2]) in _SUFFIXES:
        name["suffix"], given = word, given[: -len(word)].rstrip()
    if given:
        name["given"] = given
    return name


def _initials(value: str) -> str | None:
    """``AU - Casbon JA`` after ``FAU - Casbon, James A``: the initials ``JA``."""
    words = value.rsplit(" ", 2)
    if len(words) > 2 and words[-1] in _SUFFIXES:
        words.pop()
    if len(words) > 1 and words[-1].isalpha() and words[-1].isupper():
        return words[-1]
    return None


def _short_name(value: str) -> Fields:
    """``AU - Mangalam H`` with no FAU (records before 2002): family name and initials."""
    name: Fields = {}
    words = value.split(" ")
    if len(words) > 2 and words[-1] in _SUFFIXES:
        name["suffix"] = words.pop()
    if len(words) > 1 and words[-1].isalpha() and words[-1].isupper():
        name["initials"] = words.pop()
        name["given"] = " ".join(name["initials"])
    name["family"] = " ".join(words)
    return name


def _abstract(value: str) -> str:
    """``BACKGROUND: … RESULTS: …`` -> one ``LABEL: text`` paragraph per label."""
    if not _LABEL.match(value):
        return value
    return ".\n".join(_LABEL_AFTER_SENTENCE.split(value))


def _pages(value: str) -> str:
    """``616-7`` -> ``616-617`` on a fast path; anything else through ``expand_pages``."""
    if value.isalnum():
        return value  # one page or an e-locator
    first, dash, last = value.partition("-")
    if dash and first.isdigit() and last.isdigit() and last[0] != "0":
        if len(last) == len(first) and last >= first:
            return value
        if len(last) < len(first):
            whole = first[: len(first) - len(last)] + last
            if whole > first:
                return f"{first}-{whole}"
    return expand_pages(value)


def _mesh_heading(value: str) -> MeshHeading:
    """``Information Storage and Retrieval/*methods/standards``; ``*`` marks a major topic.

    The same few thousand headings come back record after record, and a heading never
    changes, so each is validated once and shared (see ``_MESH_CACHE_SIZE``)."""
    descriptor, *qualifiers = value.split("/")
    heading = MeshHeading.model_validate(
        {
            "descriptor": descriptor.lstrip("*").strip(),
            "major": descriptor.startswith("*"),
            "qualifiers": [
                {"name": q.lstrip("*").strip(), "major": q.startswith("*")}
                for q in qualifiers
                if q.strip("* ")
            ],
        }
    )
    if len(_MESH_HEADINGS) >= _MESH_CACHE_SIZE:
        _MESH_HEADINGS.clear()
    _MESH_HEADINGS[value] = heading
    return heading


_MESH_CACHE_SIZE = 16384
_MESH_HEADINGS: dict[str, MeshHeading] = {}


def _chemical(value: str) -> Fields:
    """``9007-49-2 (DNA)``; ``0 (Macromolecular Substances)`` has no registry number."""
    number, paren, name = value.partition(" (")
    if not paren:
        return {"name": value}
    number = number.strip()
    return {
        "name": name[:-1].strip() if name.endswith(")") else name.strip(),
        "registry_number": None if number in ("", "0") else number,
    }


def _grant(value: str) -> Fields:
    """``R01 GM123456/GM/NIGMS NIH HHS/United States``; ids may hold slashes themselves
    (``088158/Z/09/Z/WT_/Wellcome Trust/United Kingdom``), parts may be empty."""
    parts = value.split("/")
    found: dict[str, str] = {}
    if len(parts) == 1:
        found["id"] = value
    else:
        country = parts.pop().strip()
        agency = parts.pop().strip()
        if country:
            found["country"] = country
        if agency:
            found["agency"] = agency
        if len(parts) > 1 and _GRANT_ACRONYM.fullmatch(parts[-1].strip()):
            found["acronym"] = parts.pop().strip()
        ident = "/".join(parts).strip()
        if ident:
            found["id"] = ident
    return found


def _relation(kind: RelationKind, value: str) -> Fields:
    return {"kind": kind, "citation": parse_journal_citation(value), "text": value}


def _data_bank(value: str) -> Fields:
    """``SI - ClinicalTrials.gov/NCT00000419``: a trial registry or databank entry."""
    bank, slash, accession = value.partition("/")
    related: Fields = (
        {"type": "dataset", "archive": bank.strip(), "archive_location": accession.strip()}
        if slash
        else {"type": "dataset", "archive_location": value}
    )
    text = f"{bank.strip()}: {accession.strip()}" if slash else value
    return {"kind": RelationKind.ASSOCIATED_DATA, "citation": related, "text": text}


def _compact_date(text: str) -> Fields | PartialDate | None:
    """``20060110`` (DEP) or ``2006/01/10`` (PHST); other forms as PubMed dates."""
    digits = text.replace("/", "")
    if len(digits) == 8 and digits.isascii() and digits.isdigit():  # not '²', int() refuses it
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
        try:
            calendar_date(year, month, day)
        except ValueError:
            return {"year": year, "literal": text}
        return {"year": year, "month": month, "day": day}
    return parse_pubmed_date(text)


def _pubmed_date(text: str) -> Fields | None:
    """``DP`` dates repeat from record to record (``2006 Mar 1``), so each is parsed once.

    The cache holds plain data, never a model: every citation validates its own copy.
    """
    if text in _DATES:
        return _DATES[text]
    date = parse_pubmed_date(text)
    found = None if date is None else date.model_dump(exclude_defaults=True)
    if len(_DATES) >= _DATE_CACHE_SIZE:
        _DATES.clear()
    _DATES[text] = found
    return found


_DATE_CACHE_SIZE = 4096
_DATES: dict[str, Fields | None] = {}


def _title(text: str) -> str | None:
    """Drop the period PubMed ends a title with, unless it ends an abbreviation (``U.S.``)."""
    if (
        text.endswith(".")
        and not text.endswith("..")
        and not _KEEPS_PERIOD.search(text, max(0, len(text) - 8))
    ):
        text = text[:-1].rstrip()
    return text or None


def _fill_from_source(values: dict[str, Any], source_line: str) -> None:
    """``SO - Brief Bioinform. 2002 Sep;3(3):296-302.`` fills what the other tags left empty."""
    found = parse_journal_citation(source_line)
    for field in ("container_title_short", "issued", "volume", "issue", "page", "DOI"):
        if field in found and field not in values:
            values[field] = found[field]
