"""Reader ``medline``: PubMed's MEDLINE export (.nbib, "Send to > Citation manager").

A record is a run of ``TAG - value`` lines (the tag padded to four characters), long values
continue on lines indented by six spaces, and records are separated by blank lines (a new
``PMID-`` line also starts a record, for files glued together without one). What each tag means
is data in :mod:`bibkit.mappings.medline`; this module does the parts that need code: people
with the affiliations and ORCIDs that follow them, dates, identifiers, MeSH, grants, relations.

A bibliometrics user pushes a million records through this, so the input is read in blocks of
about a megabyte and split into records with C-level string operations; continuation lines are
joined with one substitution per record. Memory stays at one block plus one record. Line
numbers are counted per record, and found again only when something must be reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date as calendar_date
from itertools import pairwise
from typing import Any, TextIO

from bibkit.dates import parse_pubmed_date
from bibkit.diagnostics import Diagnostic, Severity
from bibkit.io import Source
from bibkit.mappings import medline as table
from bibkit.model import (
    Chemical,
    Citation,
    Grant,
    MeshHeading,
    MeshQualifier,
    PartialDate,
    Person,
    Provenance,
    Relation,
    RelationKind,
)
from bibkit.pages import expand_range
from bibkit.readers.pubmed_summary import clean_title, parse_details
from bibkit.registry import ReadOptions

__all__ = ["read", "sniff"]

FORMAT = "medline"
SNIFF_SCORE = 90
AHEAD_OF_PRINT = "ahead-of-print"
CHUNK_CHARS = 1 << 20
"""Characters read at a time; records are cut out of each block."""
MAX_RECORD_CHARS = 16 << 20
"""A "record" longer than this (no blank line, no PMID line for 16 M characters) is no MEDLINE
record; it is reported and skipped, so memory stays bounded whatever the input."""

_SEPARATOR = re.compile(r"(\n(?:[ \t\f\v]*\n)+)")
_CONTINUATION = re.compile(r"\n[ \t]+")
_TAG_LINE = re.compile(r"([A-Z][A-Z0-9]{1,3}) {0,3}-(?: ?(.*))?")
_SNIFF = re.compile(r"^PMID- ?\d", re.MULTILINE)
_PMID_TEXT = re.compile(r"\bPMID:\s*(\d+)")
_JOURNAL = re.compile(r"(?P<journal>[^.]+?(?:\.[^ .][^.]*?)*)\.\s+(?=\d{4}\b)")
_LABEL = re.compile(r"(?:^|(?<=[.?!)] ))(?P<label>[A-Z][A-Z0-9 ,&/'()-]*[A-Z0-9)]): ")
_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])\s*$")
_GRANT_ACRONYM = re.compile(r"[A-Z0-9_]{2,5}")
_E_LOCATOR = re.compile(r"[A-Za-z]{0,4}\d[\w.]{0,10}")
"""A ``[pii]`` location that is an article number (``e0212345``), usable as the page."""
_SUFFIXES = frozenset({"Jr", "Sr", "2nd", "3rd", "4th", "II", "III", "IV"})


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
    except (OSError, EOFError, UnicodeError) as error:
        yield Diagnostic(source.name, None, "error", "unreadable", f"cannot read: {error}")


def _read(handle: TextIO, path: str, options: ReadOptions) -> Iterator[Citation | Diagnostic]:
    seen: set[str] = set()
    for item in _blocks(handle, path):
        if isinstance(item, Diagnostic):
            yield item
            continue
        line, text = item
        yield from _record(text, line, path, options, seen)


# -- records --------------------------------------------------------------------------------


def _blocks(handle: TextIO, path: str) -> Iterator[tuple[int, str] | Diagnostic]:
    """``(first line, text)`` of each record, cut at blank lines and at ``PMID-`` lines."""
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
        yield from _split(complete, line)
        line += complete.count("\n")
        if not chunk:
            return


def _split(text: str, line: int) -> Iterator[tuple[int, str]]:
    pieces = _SEPARATOR.split(text)
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            block = piece.lstrip()
            if block:
                start = line + piece.count("\n", 0, len(piece) - len(block))
                block = block.rstrip()
                if "\nPMID-" in block:
                    yield from _glued(block, start)
                else:
                    yield start, block
        line += piece.count("\n")


def _glued(block: str, line: int) -> Iterator[tuple[int, str]]:
    """Records with no blank line between them: each ``PMID-`` line starts one."""
    parts = block.split("\nPMID-")
    yield line, parts[0]
    line += parts[0].count("\n") + 1
    for part in parts[1:]:
        yield line, "PMID-" + part
        line += part.count("\n") + 1


def _line_of(text: str, start: int, tag: str) -> int:
    """The line of the first ``tag`` line of a record (only needed to report something)."""
    at = text.find("\n" + tag)
    return start if at < 0 else start + text.count("\n", 0, at) + 1


def _record(
    text: str, start: int, path: str, options: ReadOptions, seen: set[str]
) -> Iterator[Citation | Diagnostic]:
    if not text.startswith("PMID"):
        first = text.split("\n", 1)[0].strip()
        yield Diagnostic(
            path, start, "error", "not-a-record",
            f"record skipped: a MEDLINE record starts with a PMID line, not {first[:60]!r}",
        )  # fmt: skip
        return
    builder = _Builder(text, start, path, options.strict, seen)
    try:
        citation = builder.build()
    except ValueError as error:
        # A value the model refuses (pydantic's ValidationError is a ValueError), or a number
        # too long for int().
        yield from builder.notices
        yield from builder.problems
        yield Diagnostic(path, start, "error", "bad-record", f"record skipped: {error}")
        return
    yield from builder.notices
    yield from builder.problems
    if citation is not None and not (options.strict and builder.problems):
        yield citation


class _Name:
    """A person being read: AU, AD and AUID lines after FAU complete it."""

    __slots__ = ("affiliations", "family", "given", "initials", "literal", "orcid", "suffix")

    def __init__(self) -> None:
        self.family: str | None = None
        self.given: str | None = None
        self.suffix: str | None = None
        self.literal: str | None = None
        self.initials: str | None = None
        self.orcid: str | None = None
        self.affiliations: list[str] = []

    def person(self) -> Person:
        values: dict[str, Any] = {
            key: value
            for key in ("family", "given", "suffix", "literal", "initials", "orcid")
            if (value := getattr(self, key)) is not None
        }
        if self.affiliations:
            values["affiliations"] = self.affiliations
        return Person.model_construct(None, **values)


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
        self, code: str, message: str, field: str | None = None, tag: str | None = None
    ) -> None:
        line = self.start if tag is None else _line_of(self.text, self.start, tag)
        self.problems.append(Diagnostic(self.path, line, self.severity, code, message, field))

    def notice(self, tag: str, message: str) -> None:
        if tag in self.seen:
            return
        self.seen.add(tag)
        line = _line_of(self.text, self.start, tag)
        self.notices.append(
            Diagnostic(self.path, line, "warning", "field-not-carried", message, field=tag)
        )

    def build(self) -> Citation | None:
        text = self.text
        if "\n " in text or "\n\t" in text:
            text = _CONTINUATION.sub(" ", text)
        values: dict[str, Any] = {}
        lists: dict[str, list[str]] = {}
        authors: list[_Name] = []
        investigators: list[_Name] = []
        editors: list[_Name] = []
        waiting: _Name | None = None
        waiting_for = ""
        last: _Name | None = None
        orphans: list[str] = []
        abstract: list[str] = []
        copyright_lines: list[str] = []
        issn: list[str] = []
        mesh: list[MeshHeading] = []
        chemicals: list[Chemical] = []
        grants: list[Grant] = []
        relations: list[Relation] = []
        lid: dict[str, str] = {}
        aid: dict[str, str] = {}
        notes: list[str] = []
        title = book_title = place = source_line = None
        published = history_epub = None
        text_tags = table.TEXT_TAGS
        list_tags = table.LIST_TAGS
        administrative = table.ADMINISTRATIVE_TAGS
        for raw in text.split("\n"):
            if raw[4:6] == "- ":
                tag = raw[:4].rstrip()
                value = raw[6:].strip()
            else:
                match = _TAG_LINE.fullmatch(raw.rstrip())
                if match is None:
                    if raw.strip():
                        self.warn("bad-line", f"not a MEDLINE tag line, skipped: {raw[:60]!r}")
                    continue
                tag, value = match[1], (match[2] or "").strip()
            if not value:
                continue
            if "  " in value:
                value = " ".join(value.split())
            if tag == "AD":
                if last is None:
                    orphans.append(value)
                else:
                    last.affiliations.append(value)
            elif tag in ("FAU", "FIR", "FED"):
                last = waiting = _full_name(value)
                waiting_for = tag[1:]
                (authors if tag == "FAU" else investigators if tag == "FIR" else editors).append(
                    last
                )
            elif tag in ("AU", "IR", "ED"):
                if waiting is not None and waiting_for == tag:
                    _add_initials(waiting, value)
                else:
                    last = _short_name(value)
                    (authors if tag == "AU" else investigators if tag == "IR" else editors).append(
                        last
                    )
                waiting = None
            elif tag == "MH":
                mesh.append(_mesh(value))
            elif tag in administrative:
                pass
            elif (field := text_tags.get(tag)) is not None:
                values.setdefault(field, value)
            elif (field := list_tags.get(tag)) is not None:
                found = lists.setdefault(field, [])
                if value not in found:
                    found.append(value)
            elif tag == "PHST":
                if history_epub is None and value.endswith(f"[{table.AHEAD_OF_PRINT_STATUS}]"):
                    history_epub = value
            elif tag == "AID" or tag == "LID":
                ident, _, kind = value.rpartition(" [")
                if ident and kind.endswith("]"):
                    (lid if tag == "LID" else aid).setdefault(kind[:-1].strip(), ident.strip())
                else:
                    self.warn("bad-identifier", f"{tag} without a [kind]: {value!r}", "DOI", tag)
            elif tag == "AUID":
                self._identifier(value, last)
            elif tag == "CN":
                last = _Name()
                last.literal = value
                authors.append(last)
                waiting = None
            elif tag == "IRAD":
                if investigators:
                    investigators[-1].affiliations.append(value)
                else:
                    self.warn("affiliation-not-carried", f"IRAD without an investigator: "
                              f"{value!r}", "investigators", tag)  # fmt: skip
            elif tag == "TI":
                title = title or value
            elif tag == "AB":
                abstract.append(value)
            elif tag == "CI":
                copyright_lines.append(value)
            elif tag == "IS":
                number = value.partition(" (")[0].strip()
                if number and number not in issn:
                    issn.append(number)
            elif tag == "DP":
                published = published or value
            elif tag == "DEP":
                values.setdefault("available_date", _compact_date(value))
            elif tag == "PG":
                values.setdefault("page", expand_range(value))
            elif tag == "PST":
                if value == table.AHEAD_OF_PRINT_STATUS:
                    values["status"] = AHEAD_OF_PRINT
            elif tag == "RN":
                chemicals.append(_chemical(value))
            elif tag == "GR":
                grants.append(_grant(value))
            elif (kind_of := table.RELATION_TAGS.get(tag)) is not None:
                relations.append(_relation(kind_of, value))
            elif tag == "SI":
                relations.append(_data_bank(value))
            elif tag == "BTI":
                book_title = book_title or value
            elif tag == "PL":
                place = place or value
            elif tag == "GN":
                notes.append(value)
            elif tag == "SO":
                source_line = source_line or value
            elif tag in table.NOT_KEPT_TAGS:
                self.notice(tag, f"MEDLINE {tag} ({table.NOT_KEPT_TAGS[tag]}) has no field in"
                            " bibkit's model: not kept")  # fmt: skip
            else:
                self.notice(tag, f"unknown MEDLINE tag {tag!r}: skipped (reported once per file)")

        pmid = values.get("PMID")
        if pmid is None or not pmid.isdigit():
            self.problems.append(
                Diagnostic(
                    self.path,
                    self.start,
                    "error",
                    "bad-pmid",
                    f"record skipped: PMID {pmid!r} is not a number",
                )
            )
            return None
        if orphans:
            if authors:
                authors[0].affiliations[:0] = orphans
            else:
                self.warn("affiliation-not-carried", "affiliation with no author to belong to:"
                          f" {orphans[0]!r}", "author", "AD")  # fmt: skip
        if authors:
            values["author"] = [name.person() for name in authors]
        if investigators:
            values["investigators"] = [name.person() for name in investigators]
        if editors:
            values["editor"] = [name.person() for name in editors]
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
            values["issued"] = parse_pubmed_date(published)
        if "available_date" not in values and history_epub is not None:
            values["available_date"] = _compact_date(history_epub.split(" ", 1)[0])
        self._identifiers(values, lid, aid)
        if title is not None:
            title = None if title.startswith("[Not Available]") else clean_title(title)
        if title is None and "original_title" in values:
            values["original_title"] = title = clean_title(values["original_title"])
        elif "original_title" in values:
            values["original_title"] = clean_title(values["original_title"])
        if book_title is not None:
            book_title = clean_title(book_title)
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
        values["provenance"] = Provenance.model_construct(
            path=self.path, line=self.start, format=FORMAT
        )
        return Citation(**values)

    def _identifier(self, value: str, last: _Name | None) -> None:
        """``AUID- ORCID: 0000-0002-1825-0097`` (also dashless or as an orcid.org URL)."""
        source, colon, ident = value.partition(":")
        if colon and source.strip().upper() == "ORCID":
            match = _ORCID.search(ident)
            if match is None:
                self.warn("bad-orcid", f"not an ORCID iD: {value!r}", "author", "AUID")
            elif last is None:
                self.warn("identifier-not-carried", f"AUID with no author: {value!r}",
                          "author", "AUID")  # fmt: skip
            else:
                last.orcid = "-".join(match.groups()).upper()
            return
        self.warn("identifier-not-carried", f"author identifier kept nowhere: {value!r}",
                  "author", "AUID")  # fmt: skip

    def _identifiers(
        self, values: dict[str, Any], lid: dict[str, str], aid: dict[str, str]
    ) -> None:
        """LID (the article's own location) first, then AID; a ``[pii]`` LID can be the page."""
        for kind, field in table.ID_KINDS.items():
            found = lid.get(kind) or aid.get(kind)
            if found and field not in values:
                values[field] = found
        if "archive_location" in values:
            values["archive"] = "NCBI Bookshelf"
        if "page" not in values:
            pii = lid.get("pii")
            if pii and _E_LOCATOR.fullmatch(pii):
                values["page"] = pii


# -- values ---------------------------------------------------------------------------------


def _full_name(value: str) -> _Name:
    """``FAU - de Hoon, M J L`` / ``Carpenter, William T Jr`` / ``Aristotle``."""
    name = _Name()
    family, comma, given = value.partition(",")
    if not comma:
        name.family = value
        return name
    name.family = family.strip() or None
    given, comma, suffix = given.partition(",")
    given = given.strip()
    if comma:
        name.suffix = suffix.strip() or None
    elif " " in given and (word := given.rpartition(" ")[2]) in _SUFFIXES:
        name.suffix, given = word, given[: -len(word)].rstrip()
    name.given = given or None
    return name


def _add_initials(name: _Name, value: str) -> None:
    """``AU - Casbon JA`` after ``FAU - Casbon, James A``: the initials."""
    words = value.split(" ")
    if len(words) > 2 and words[-1] in _SUFFIXES:
        words.pop()
    if len(words) > 1 and words[-1].isalpha() and words[-1].isupper():
        name.initials = words[-1]


def _short_name(value: str) -> _Name:
    """``AU - Mangalam H`` with no FAU (records before 2002): family name and initials."""
    name = _Name()
    words = value.split(" ")
    if len(words) > 2 and words[-1] in _SUFFIXES:
        name.suffix = words.pop()
    if len(words) > 1 and words[-1].isalpha() and words[-1].isupper():
        name.initials = words.pop()
        name.given = " ".join(name.initials)
    name.family = " ".join(words)
    return name


def _abstract(value: str) -> str:
    """``BACKGROUND: … RESULTS: …`` -> one ``LABEL: text`` paragraph per label."""
    if not _LABEL.match(value):
        return value
    starts = [match.start() for match in _LABEL.finditer(value)]
    starts.append(len(value))
    return "\n".join(value[a:b].strip() for a, b in pairwise(starts))


def _mesh(value: str) -> MeshHeading:
    """``Information Storage and Retrieval/*methods/standards``; ``*`` marks a major topic."""
    descriptor, *qualifiers = value.split("/")
    major = descriptor.startswith("*")
    return MeshHeading.model_construct(
        descriptor=descriptor.lstrip("*").strip(),
        major=major,
        qualifiers=[
            MeshQualifier.model_construct(name=q.lstrip("*").strip(), major=q.startswith("*"))
            for q in qualifiers
            if q.strip("* ")
        ],
    )


def _chemical(value: str) -> Chemical:
    """``9007-49-2 (DNA)``; ``0 (Macromolecular Substances)`` has no registry number."""
    number, paren, name = value.partition(" (")
    if not paren:
        return Chemical.model_construct(name=value)
    number = number.strip()
    return Chemical.model_construct(
        name=name[:-1].strip() if name.endswith(")") else name.strip(),
        registry_number=None if number in ("", "0") else number,
    )


def _grant(value: str) -> Grant:
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
    return Grant.model_construct(None, **found)


def _journal_citation(text: str) -> Citation:
    """``Lancet. 2004 Oct 2;364(9441):1230-1. doi: 10.1016/x. PMID: 15464170`` as far as it
    goes: journal abbreviation, date, volume, issue, pages, DOI, PMID."""
    values: dict[str, Any] = {}
    pmid = _PMID_TEXT.search(text)
    if pmid is not None:
        values["PMID"] = pmid[1]
        text = text[: pmid.start()]
    journal = _JOURNAL.match(text)
    if journal is not None:
        values["container_title_short"] = journal["journal"].strip()
        details = parse_details(text[journal.end() :])
        for field in ("issued", "volume", "issue", "page", "DOI", "available_date"):
            found = getattr(details, field)
            if found is not None:
                values[field] = found
    return Citation(**values)


def _relation(kind: RelationKind, value: str) -> Relation:
    return Relation.model_construct(kind=kind, citation=_journal_citation(value), text=value)


def _data_bank(value: str) -> Relation:
    """``SI - ClinicalTrials.gov/NCT00000419``: a trial registry or databank entry."""
    bank, slash, accession = value.partition("/")
    related = (
        Citation(type="dataset", archive=bank.strip(), archive_location=accession.strip())
        if slash
        else Citation(type="dataset", archive_location=value)
    )
    text = f"{bank.strip()}: {accession.strip()}" if slash else value
    return Relation.model_construct(kind=RelationKind.ASSOCIATED_DATA, citation=related, text=text)


def _compact_date(text: str) -> PartialDate | None:
    """``20060110`` (DEP) or ``2006/01/10`` (PHST); other forms as PubMed dates."""
    digits = text.replace("/", "")
    if len(digits) == 8 and digits.isdigit():
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
        try:
            calendar_date(year, month, day)
        except ValueError:
            return PartialDate(year=year, literal=text)
        return PartialDate(year=year, month=month, day=day)
    return parse_pubmed_date(text)


def _fill_from_source(values: dict[str, Any], source_line: str) -> None:
    """``SO - Brief Bioinform. 2002 Sep;3(3):296-302.`` fills what the other tags left empty."""
    found = _journal_citation(source_line)
    for field in ("container_title_short", "issued", "volume", "issue", "page", "DOI"):
        value = getattr(found, field)
        if value is not None and field not in values:
            values[field] = value
