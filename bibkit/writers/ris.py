"""RIS writer, made for the programs that import RIS: Zotero, EndNote, Mendeley.

Tags follow the RIS specification per reference type (see :mod:`bibkit.mappings.ris`).
Zotero keeps an ``M2`` line in its "Extra" field, where ``PMID: …`` / ``PMCID: …`` lines become
real fields, so the identifiers are written that way. RIS has no tag for MeSH, grants,
publication types, the epub date and the like: each such field is reported once per record.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from bibkit.dates import format_medline_date
from bibkit.diagnostics import Diagnostic, Report
from bibkit.mappings import ris as table
from bibkit.model import Citation, PartialDate, Person
from bibkit.pages import expand_range, split_range
from bibkit.registry import WriteOptions

__all__ = ["format_date", "format_name", "record_lines", "ris_type", "write"]

_CSL_TO_RIS = dict(table.TYPES)


def write(
    citations: Iterable[Citation], out: TextIO, options: WriteOptions, report: Report
) -> None:
    """Write one record at a time; what a record holds but RIS cannot is reported."""
    del options  # RIS is UTF-8 text; no option changes it.
    for citation in citations:
        lines, lost = record_lines(citation)
        for field, message in lost.items():
            report(_loss(citation, field, message))
        out.write("".join(_physical(lines)))
        out.write("\n")


def record_lines(citation: Citation) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The (tag, value) lines of one record and the fields it cannot carry (field -> why)."""
    tags: list[tuple[str, str]] = []
    lost: dict[str, str] = {}
    kind = ris_type(citation.type)
    if kind == table.DEFAULT_RIS_TYPE and citation.type != "document":
        lost["type"] = f"RIS has no type for {citation.type!r}; written as {kind}"
    tags.append((table.TYPE_TAG, kind))

    tags.extend(_names(citation, lost))
    tags.extend(_text_fields(citation, lost))
    tags.extend(_dates(citation))
    tags.extend(_pages(citation, lost))
    tags.extend(_issn(citation, lost))
    tags.extend((table.KEYWORD_TAG, keyword) for keyword in citation.keyword if keyword)
    split = next((k for k in citation.keyword if ";" in k), None)
    if split is not None:
        # EndNote, and so bibkit's reader, take "a; b" in one KW line for two keywords.
        lost["keyword"] = f"the keyword {split!r} holds a semicolon: RIS readers split it"
    for label, field in table.EXTRA_IDS:
        value = getattr(citation, field)
        if value:
            tags.append((table.EXTRA_TAG, f"{label}: {value}"))

    for field, what in table.NOT_CARRIED.items():
        if getattr(citation, field):
            lost[field] = f"RIS has no tag for {what}"
    order = {tag: i for i, tag in enumerate(table.WRITE_ORDER)}
    tags.sort(key=lambda line: order.get(line[0], len(order)))  # stable: repeated tags keep order
    tags.append((table.END_TAG, ""))
    return tags, lost


def ris_type(csl_type: str) -> str:
    return _CSL_TO_RIS.get(csl_type, table.DEFAULT_RIS_TYPE)


def format_name(person: Person) -> str:
    """``Family, Given, Suffix`` with particles where readers expect them
    (``van Beethoven, Ludwig``; ``Gaulle, Charles de``); a group author has no comma."""
    if not person.family:
        return person.literal or person.given or ""
    family = " ".join(p for p in (person.non_dropping_particle, person.family) if p)
    given = " ".join(p for p in (person.given, person.dropping_particle) if p)
    text = f"{family}, {given}" if given else f"{family},"
    return f"{text}, {person.suffix}" if person.suffix else text


def format_date(date: PartialDate) -> str | None:
    """``2024/04/12/``; a season, range or unparsed text goes after the last slash
    (``2010/09//2010 Sep-2010 Oct``), where RIS keeps "other date information"."""
    parts = [
        f"{date.year:04d}" if date.year is not None else "",
        f"{date.month:02d}" if date.month is not None else "",
        f"{date.day:02d}" if date.day is not None and date.month is not None else "",
    ]
    other = _date_text(date)
    if not any(parts) and not other:
        return None
    return "/".join(parts) + "/" + other


def _date_text(date: PartialDate) -> str:
    if date.literal:
        return date.literal
    if date.end is not None:
        return f"{format_medline_date(date)}-{format_medline_date(date.end)}"
    if date.season is not None:
        return format_medline_date(date)
    return ""


def _names(citation: Citation, lost: dict[str, str]) -> Iterator[tuple[str, str]]:
    overrides = table.TYPE_NAME_TAGS.get(citation.type, {})
    for field, default_tag in table.NAME_TAGS.items():
        people: list[Person] = getattr(citation, field)
        tag = overrides.get(field, default_tag)
        for person in people:
            text = format_name(person)
            if not text:
                continue
            if not person.family and "," in text:
                lost[field] = f"the group name {text!r} holds a comma: RIS readers split it"
            elif person.family and any("," in (p or "") for p in (person.family, person.given)):
                # "O'Neil, Jr" as a family name comes back as family O'Neil, given Jr.
                lost[field] = f"the name {text!r} holds a comma of its own: RIS readers split it"
            if person.affiliations or person.orcid:
                lost[field] = f"RIS has no tag for the {field}s' affiliations and ORCID iDs"
            yield tag, text


def _text_fields(citation: Citation, lost: dict[str, str]) -> Iterator[tuple[str, str]]:
    placed = table.field_tags(citation.type)
    for tag, field in placed:
        value = getattr(citation, field)
        if value:
            yield tag, value
    here = {field for _, field in placed}
    for field in sorted(table.TEXT_FIELDS - here):
        if getattr(citation, field):
            kind = ris_type(citation.type)
            lost[field] = f"RIS has no tag for {field} in a {kind} record"


def _dates(citation: Citation) -> Iterator[tuple[str, str]]:
    if citation.issued is not None:
        if citation.issued.year is not None:
            yield table.YEAR_TAG, f"{citation.issued.year:04d}"
        text = format_date(citation.issued)
        if text:
            yield table.DATE_TAG, text
    if citation.accessed is not None:
        text = format_date(citation.accessed)
        if text:
            yield table.ACCESSED_TAG, text


def _pages(citation: Citation, lost: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Full numbers in SP and EP (Zotero does not expand ``1065``/``80``); anything that is
    not a plain range — an e-locator, ``360-361, table of contents`` — whole in SP."""
    if not citation.page:
        return
    if citation.type in table.NO_PAGE_RANGE_TYPES:
        lost["page"] = f"a {ris_type(citation.type)} record's SP is its number of pages"
        return
    page = expand_range(citation.page)
    first, last = split_range(page)
    if last is not None and page == f"{first}-{last}":
        yield table.START_PAGE_TAG, first
        yield table.END_PAGE_TAG, last
    else:
        yield table.START_PAGE_TAG, page


def _issn(citation: Citation, lost: dict[str, str]) -> Iterator[tuple[str, str]]:
    if not citation.ISSN:
        return
    if citation.type in table.ISSN_TYPES:
        yield table.ISSN_TAG, " ".join(citation.ISSN)
    else:
        lost["ISSN"] = f"a {ris_type(citation.type)} record's SN is not an ISSN"


def _physical(lines: list[tuple[str, str]]) -> Iterator[str]:
    """One line per value: a value's line breaks (a structured abstract) become spaces, since
    pandoc's RIS reader rejects continuation lines and Zotero and rispy read them joined.
    Every line end Python knows counts (CR, CRLF, VT, FF, NEL, U+2028 ...): readers take a
    lone CR for a line end, and a raw one would start a new tag or record."""
    for tag, value in lines:
        text = " ".join(part.strip() for part in value.splitlines() if part.strip())
        yield f"{tag}  - {text}\n"


def _loss(citation: Citation, field: str, message: str) -> Diagnostic:
    where = citation.provenance
    return Diagnostic(
        where.path if where else "<output>",
        where.line if where else None,
        "warning",
        "field-not-carried",
        message,
        field=field,
    )
