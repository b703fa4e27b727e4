"""BibTeX and BibLaTeX readers: ``.bib`` files as bibtex, biber, Zotero, JabRef and pandoc
write them, with LaTeX decoded to Unicode.

bibtexparser v2 splits the file into blocks (keeping the line of each, and what it could not
parse as data); bibkit resolves the values itself, because BibTeX's ``@string`` macros, the
predefined month macros and ``#`` concatenation all need the whole file, and so does
``crossref`` (a child may come before its parent). A ``.bib`` file is therefore read whole,
then yielded one record at a time. Field names come from :mod:`bibkit.mappings.bibtex`, shared
with the writers; a reader accepts the other dialect's fields too (``journal`` in BibLaTeX,
``date`` in BibTeX), since real files mix them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import Block, DuplicateBlockKeyBlock, Entry, ParsingFailedBlock, String

from bibkit.dates import MONTHS, SEASONS
from bibkit.diagnostics import Diagnostic
from bibkit.io import READ_ERRORS, Source, read_failure
from bibkit.latex import TooDeeplyNested, decode
from bibkit.mappings import bibtex as table
from bibkit.mappings.bibtex import BIBLATEX, BIBTEX, Dialect
from bibkit.model import Citation, PartialDate, Person, Provenance, Season
from bibkit.registry import ReadOptions

__all__ = [
    "MAX_VALUE_CHARS",
    "MacroExpansionRefused",
    "Macros",
    "parse_date",
    "parse_name",
    "read_biblatex",
    "read_bibtex",
    "sniff_biblatex",
    "sniff_bibtex",
]

logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
# bibtexparser logs each block it cannot parse; bibkit reports them as diagnostics instead.

_ENTRY = re.compile(
    r"^[ \t]*@[ \t]*(?!comment\b|preamble\b|string\b)[A-Za-z]+[ \t]*[{(]", re.M | re.I
)
_OTHER_BLOCK = re.compile(r"^[ \t]*@[ \t]*(?:comment|preamble|string)[ \t]*[{(]", re.M | re.I)
_BIBLATEX_ONLY = re.compile(
    r"^[ \t]*(?:journaltitle|date|eprinttype|origdate|pubstate|langid)[ \t]*=", re.M | re.I
)
_EDTF = re.compile(r"(?P<year>-?\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_PMCID = re.compile(r"\bPMCID:?\s*(PMC\d+)\b[.;,]?", re.IGNORECASE)
_NOTE_ID = re.compile(r"\bPMID:\s*(?P<pmid>\d+)\b|\bPMCID:\s*(?P<pmcid>PMC\d+)\b", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_VERBATIM_ESCAPES = re.compile(r"\\([_%&#$])")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip
_SEASONS_BY_EDTF: dict[int, Season] = {21: 1, 22: 2, 23: 3, 24: 4}
_PUBSTATE_TO_STATUS = {key: status for status, key in table.PUBSTATES.items()}
_MARKUP_FIELDS = frozenset({"title", "title_short", "original_title"})
_SPECIAL = frozenset(
    {"author", "editor", "year", "month", "day", "date", "origdate", "urldate", "pages",
     "keywords", "issn", "eprint", "eprinttype", "pmid", "pmcid", "addendum", "pubstate",
     "crossref", "doi", "url"}
)  # fmt: skip
_Resolved = tuple[Entry, int, dict[str, str], list[Diagnostic]]
"""An entry, its line, its field values as LaTeX, and the problems found resolving them."""
_PARENT_TITLE = {"chapter": "booktitle", "paper-conference": "booktitle"}
"""Which field of a child a crossref parent's ``title`` fills (biber's inheritance rule)."""


def sniff_bibtex(head: str) -> int:
    """50 when an entry (``@article{key,``) starts a line; 30 when only ``@string``,
    ``@preamble`` or ``@comment`` blocks do (a file's first kilobytes may hold nothing else);
    0 otherwise."""
    if _ENTRY.search(head):
        return 50
    return 30 if _OTHER_BLOCK.search(head) else 0


def sniff_biblatex(head: str) -> int:
    """55 (beating BibTeX) when entries use fields only BibLaTeX has; 0 otherwise."""
    return 55 if _ENTRY.search(head) and _BIBLATEX_ONLY.search(head) else 0


def read_bibtex(source: Source, options: ReadOptions) -> Iterator[Citation | Diagnostic]:
    """Citations and diagnostics in file order; a block that does not parse is reported."""
    return _read(source, options, BIBTEX, "bibtex")


def read_biblatex(source: Source, options: ReadOptions) -> Iterator[Citation | Diagnostic]:
    return _read(source, options, BIBLATEX, "biblatex")


def _read(
    source: Source, options: ReadOptions, dialect: Dialect, format_name: str
) -> Iterator[Citation | Diagnostic]:
    try:
        with source.open_text() as handle:
            text = handle.read()
    except READ_ERRORS as error:
        # A .bib is read whole: of a damaged or cut-off gzip stream nothing can be kept.
        yield read_failure(source.name, error)
        return
    library = parse_string(text.lstrip("\ufeff"), parse_stack=[])
    strings = Macros(len(text))
    entries: list[_Resolved] = []
    events: list[Diagnostic | _Resolved] = []
    for block, line in zip(library.blocks, _block_lines(text, library.blocks), strict=True):
        if isinstance(block, String):
            events.extend(strings.define(block.key, str(block.value), source.name, line))
        elif isinstance(block, Entry):
            entries.append(_resolved(block, line, strings, source.name))
            events.append(entries[-1])
        elif isinstance(block, DuplicateBlockKeyBlock):
            duplicate = block.ignore_error_block
            if isinstance(duplicate, Entry):
                problem = Diagnostic(
                    source.name,
                    line,
                    "warning",
                    "duplicate-key",
                    f"the key {block.key!r} is used twice in this file",
                    "id",
                )
                entry, _, values, problems = _resolved(duplicate, line, strings, source.name)
                entries.append((entry, line, values, [problem, *problems]))
                events.append(entries[-1])
        elif isinstance(block, ParsingFailedBlock):
            inner = block.ignore_error_block
            if isinstance(inner, Entry):  # duplicate fields: the last value wins, reported
                problem = Diagnostic(
                    source.name, line, "warning", "duplicate-field", _error_text(block)
                )
                entry, _, values, problems = _resolved(inner, line, strings, source.name)
                entries.append((entry, line, values, [problem, *problems]))
                events.append(entries[-1])
            else:
                events.append(
                    Diagnostic(
                        source.name,
                        line,
                        "error",
                        "syntax-error",
                        f"not a BibTeX entry, skipped: {_error_text(block)}",
                    )
                )
    by_key = {entry.key.lower(): values for entry, _, values, _ in entries}
    for event in events:
        if isinstance(event, Diagnostic):
            yield event
            continue
        entry, line, values, problems = event
        builder = _Builder(entry, line, values, dialect, source.name, format_name, problems)
        builder.inherit(by_key)
        try:
            built = builder.build()
        except TooDeeplyNested as error:
            yield Diagnostic(
                source.name, line, "error", "too-deep", f"entry {entry.key!r} skipped: {error}"
            )
            continue
        yield from _finish(built, options)


def _error_text(block: ParsingFailedBlock) -> str:
    reason = getattr(block.error, "abort_reason", None) or str(block.error)
    text = " ".join(str(reason).split())
    return text or "unbalanced braces or quotes"


def _finish(
    built: tuple[Citation, list[Diagnostic]], options: ReadOptions
) -> Iterator[Citation | Diagnostic]:
    citation, problems = built
    if options.strict and problems:
        for p in problems:
            yield Diagnostic(p.path, p.line, "error", p.code, p.message, p.field)
        return
    yield from problems
    yield citation


def _undefined(path: str, line: int, names: list[str]) -> Iterator[Diagnostic]:
    for name in names:
        yield Diagnostic(
            path, line, "warning", "undefined-macro", f"@string {name!r} is not defined; kept"
        )


def _block_lines(text: str, blocks: list[Block]) -> list[int]:
    """The line (1-based) each block starts on. bibtexparser does not count a line end that
    follows a backslash (it takes ``\\`` + newline for an escape), so its ``start_line``
    falls behind after ``% C:\\refs\\`` at the end of a line; each block's raw text is
    found in the input instead, in order, and the line counted there."""
    lines: list[int] = []
    cursor = counted = 0
    line = 1
    drift = 0
    for block in blocks:
        parsed = (block.start_line or 0) + 1
        raw = block.raw
        position = text.find(raw, cursor) if raw else -1
        if position < 0:  # not found as written: trust the parser, corrected as far as known
            lines.append(parsed + drift)
            continue
        line += text.count("\n", counted, position)
        counted = position
        cursor = position + len(raw or "")
        drift = line - parsed
        lines.append(line)
    return lines


def _resolved(entry: Entry, line: int, strings: Macros, path: str) -> _Resolved:
    """The entry's fields as LaTeX text: enclosing removed, macros and ``#`` resolved."""
    values: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for item in entry.fields:
        name = item.key.lower().strip()
        raw = str(item.value)
        try:
            value, undefined = strings.resolve(raw)
        except MacroExpansionRefused as error:
            problems.append(
                Diagnostic(path, line, "error", "refused-input", f"{error}; kept as written", name)
            )
            value, undefined = raw, []
        if name == "month" and undefined:
            undefined = [u for u in undefined if u.lower()[:3] not in table.MONTH_MACROS]
        problems.extend(_undefined(path, line, undefined))
        values[name] = value
    return entry, line, values, problems


MAX_VALUE_CHARS: Final = 1 << 19
"""The longest value ``@string`` expansion may make: no real field comes near half a million
characters, while macros that double each other reach gigabytes in a few lines."""
EXPANSION_PER_INPUT_CHAR: Final = 16
MIN_EXPANSION_BUDGET: Final = 1 << 24
"""What macro expansion may add over a whole file: 16 times the input, and at least 16 Mi
characters (a journal macro used in every entry is far below it)."""


class MacroExpansionRefused(ValueError):
    """Expanding a value would pass :data:`MAX_VALUE_CHARS` or the file's budget, or it uses
    a macro that was refused for that reason."""


class Macros:
    """The ``@string`` macros of one file, and what expanding them may still add."""

    def __init__(self, input_chars: int) -> None:
        self.strings: dict[str, str] = {}
        self.refused: set[str] = set()
        self.budget = max(EXPANSION_PER_INPUT_CHAR * input_chars, MIN_EXPANSION_BUDGET)

    def define(self, key: str, raw: str, path: str, line: int) -> list[Diagnostic]:
        """Define ``@string{key = raw}``; a refused expansion leaves the macro refused."""
        name = key.lower()
        try:
            value, undefined = self.resolve(raw)
        except MacroExpansionRefused as error:
            self.refused.add(name)
            self.strings.pop(name, None)
            return [Diagnostic(path, line, "error", "refused-input", f"@string {key!r}: {error}")]
        self.refused.discard(name)
        self.strings[name] = value
        return list(_undefined(path, line, undefined))

    def resolve(self, raw: str) -> tuple[str, list[str]]:
        """A raw BibTeX value (``{…}``, ``"…"``, ``2020``, ``macro``, ``a # b``) as its text,
        and the macros that were not defined (kept as their names; a month macro is its
        month). Raises :class:`MacroExpansionRefused` rather than grow past the limits."""
        pieces: list[str] = []
        undefined: list[str] = []
        size = added = 0
        for part in _split_concatenation(raw):
            part = part.strip()
            key = part.lower()
            if len(part) >= 2 and (part[0], part[-1]) in {("{", "}"), ('"', '"')}:
                piece = part[1:-1]
            elif part.isdigit() or not part:
                piece = part
            elif key in self.strings:
                piece = self.strings[key]
                added += len(piece)
            elif key in self.refused:
                raise MacroExpansionRefused(f"uses @string {part!r}, which was refused")
            elif key in table.MONTH_MACROS:
                piece = _MONTH_NAMES[table.MONTH_MACROS.index(key)]
            else:
                undefined.append(part)
                piece = part
            size += len(piece)
            if size > MAX_VALUE_CHARS:
                raise MacroExpansionRefused(
                    f"expanding macros would make a value of more than {MAX_VALUE_CHARS} "
                    "characters: refused"
                )
            if added > self.budget:
                raise MacroExpansionRefused(
                    "macro expansion in this file has passed its budget of "
                    f"{EXPANSION_PER_INPUT_CHAR} times the input: refused"
                )
            pieces.append(piece)
        self.budget -= added
        return "".join(pieces), undefined


def _split_concatenation(raw: str) -> list[str]:
    """Split at ``#`` outside braces and quotes."""
    if "#" not in raw:
        return [raw]
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for index, char in enumerate(raw):
        escaped = index > 0 and raw[index - 1] == "\\"
        if char == "{" and not escaped:
            depth += 1
        elif char == "}" and not escaped:
            depth -= 1
        elif char == '"' and depth == 0 and not escaped:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(raw[start:index])
            start = index + 1
    parts.append(raw[start:])
    return parts


def parse_name(text: str) -> Person | None:
    """One BibTeX name as a Person: ``{World Health Organization}`` is a group (``literal``);
    ``van der Berg, Jr, Jean`` gives particle, family, suffix and given names."""
    text = re.sub(r"[ \t\r\n]+", " ", text).strip(" ")
    if not text:
        return None
    if _wholly_braced(text):
        return Person(literal=decode(text, markup=False))
    try:
        parts = parse_single_name_into_parts(text, strict=False)
    except InvalidNameError:
        return Person(literal=decode(text, markup=False))

    def joined(words: list[str]) -> str | None:
        value = decode(" ".join(words), markup=False)
        return value or None

    family = joined(parts.last)
    given = joined(parts.first)
    if family is None:
        return Person(literal=given) if given else None
    return Person(
        family=family,
        given=given,
        non_dropping_particle=joined(parts.von),
        suffix=joined(parts.jr),
    )


def _wholly_braced(text: str) -> bool:
    """``{Group Name}``: one brace group that spans the whole name; not a special character
    (``{\\"O}``, ``{$\\Xi$}``), which BibTeX reads as one letter of a name."""
    if not (text.startswith("{") and text.endswith("}")) or text.startswith(("{\\", "{$")):
        return False
    depth = 0
    for index, char in enumerate(text):
        if char == "{" and text[index - 1 : index] != "\\":
            depth += 1
        elif char == "}" and text[index - 1 : index] != "\\":
            depth -= 1
            if depth == 0 and index != len(text) - 1:
                return False
    return True


def parse_date(text: str) -> PartialDate | None:
    """biblatex's ISO 8601 / EDTF date: ``2024-04-12``, ``2010-09/2010-10``, ``2009-21``
    (spring); anything else keeps its year (if any) and is kept as ``literal``."""
    text = text.strip()
    if not text:
        return None
    start_text, slash, end_text = text.partition("/")
    start = _edtf_point(start_text)
    if start is not None and (not slash or not end_text.strip() or end_text.strip() == ".."):
        return start
    if start is not None:
        end = _edtf_point(end_text)
        if end is not None:
            return start.model_copy(update={"end": end})
    year = _YEAR.search(text)
    return PartialDate(year=int(year.group()) if year else None, literal=text)


def _edtf_point(text: str) -> PartialDate | None:
    match = _EDTF.fullmatch(text.strip())
    if match is None:
        return None
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    try:
        if month is not None and month in _SEASONS_BY_EDTF and day is None:
            return PartialDate(year=year, season=_SEASONS_BY_EDTF[month])
        return PartialDate(year=year, month=month, day=day)
    except ValueError:
        return None


def _bibtex_date(year: str, month: str, day: str) -> PartialDate | None:
    """``year``, ``month`` (a macro's month name, a number, a season) and ``day`` fields."""
    year, month, day = year.strip(), month.strip(), day.strip()
    if not (year or month):
        return None
    parsed_year: int | None = None
    literal: str | None = None
    if re.fullmatch(r"\d{1,4}", year):
        parsed_year = int(year)
    elif year:
        found = _YEAR.search(year)
        parsed_year = int(found.group()) if found else None
        literal = year
    month_number: int | None = None
    season: Season | None = None
    word = month.lower().rstrip(".")
    if re.fullmatch(r"\d{1,2}", word) and 1 <= int(word) <= 12:
        month_number = int(word)
    elif word in MONTHS:
        month_number = MONTHS[word]
    elif word in SEASONS:
        season = SEASONS[word]
    elif month:
        literal = " ".join(p for p in (year, month, day) if p)
    parsed_day = int(day) if re.fullmatch(r"\d{1,2}", day) and month_number else None
    try:
        return PartialDate(
            year=parsed_year, month=month_number, day=parsed_day, season=season, literal=literal
        )
    except ValueError:
        return PartialDate(year=parsed_year, literal=" ".join(p for p in (year, month, day) if p))


@dataclass
class _Builder:
    entry: Entry
    line: int
    values: dict[str, str]
    dialect: Dialect
    path: str
    format_name: str
    problems: list[Diagnostic] = field(default_factory=list)
    data: dict[str, object] = field(default_factory=dict)

    def warn(self, code: str, message: str, name: str | None = None) -> None:
        self.problems.append(Diagnostic(self.path, self.line, "warning", code, message, name))

    def csl_type(self) -> str:
        entry_type = self.entry.entry_type.lower()
        found = self.dialect.csl_type(entry_type)
        other = BIBLATEX if self.dialect is BIBTEX else BIBTEX
        found = found or other.csl_type(entry_type)
        if found is None:
            self.warn(
                "unknown-type",
                f"unknown entry type @{entry_type}; read as a generic document",
                "type",
            )
            return "document"
        return found

    def inherit(self, by_key: dict[str, dict[str, str]]) -> None:
        """Fill what a ``crossref`` parent has and the entry lacks (``title`` -> ``booktitle``
        for a chapter or paper)."""
        target = self.values.get("crossref", "").strip()
        if not target:
            return
        parent = by_key.get(target.lower())
        if parent is None:
            self.warn("crossref-missing", f"crossref {target!r}: no such entry in this file")
            return
        csl_type = self.dialect.csl_type(self.entry.entry_type) or ""
        for name, value in parent.items():
            if name in {"crossref", "ids"}:
                continue
            if name == "title" and csl_type in _PARENT_TITLE:
                self.values.setdefault(_PARENT_TITLE[csl_type], value)
                continue
            self.values.setdefault(name, value)

    def build(self) -> tuple[Citation, list[Diagnostic]]:
        csl_type = self.csl_type()
        self.data["type"] = csl_type
        self.data["id"] = self.entry.key
        values = self.values
        self._text_fields(csl_type)
        self._names()
        self._dates()
        self._identifiers()
        if values.get("pages"):
            page = decode(values["pages"], markup=False).replace("–", "-").replace("—", "-")
            self.data["page"] = page
        if values.get("keywords"):
            self.data["keyword"] = _split_list(values["keywords"], r"[,;]")
        if values.get("issn"):
            self.data["ISSN"] = _split_list(values["issn"], r"[,;\s]+")
        if values.get("pubstate"):
            state = decode(values["pubstate"], markup=False)
            self.data["status"] = _PUBSTATE_TO_STATUS.get(state, state)
        if self.entry.entry_type.lower() == table.MASTERS_THESIS and "genre" not in self.data:
            self.data["genre"] = table.MASTERS_GENRE
        self.data["provenance"] = Provenance(
            path=self.path, line=self.line, format=self.format_name
        )
        try:
            citation = Citation.model_validate(self.data)
        except ValueError as error:  # a value the model refuses: keep the record, say so
            self.warn("invalid-value", f"entry {self.entry.key!r}: {error}")
            citation = Citation(
                id=self.entry.key,
                type=csl_type,
                title=str(self.data.get("title") or "") or None,
                provenance=Provenance(path=self.path, line=self.line, format=self.format_name),
            )
        return citation, self.problems

    def _text_fields(self, csl_type: str) -> None:
        other = BIBLATEX if self.dialect is BIBTEX else BIBTEX
        mapping: dict[str, str] = {}
        # Least specific first, so that the dialect's own table for this type wins.
        for source in (
            other.read_aliases,
            {bib: model for bib, model in other.field_map(csl_type)},
            self.dialect.read_aliases,
            {bib: model for bib, model in self.dialect.field_map(csl_type)},
        ):
            mapping.update(source)
        mapping.pop("pmid", None)
        mapping.pop("pmcid", None)
        # Fields read in order of preference: the type's own field before an alias.
        own = {bib for bib, _ in self.dialect.field_map(csl_type)}
        names = sorted(self.values, key=lambda name: name not in own)
        for name in names:
            value = self.values[name]
            if name in _SPECIAL:
                continue
            model_field = mapping.get(name)
            if model_field is None:
                if value.strip():
                    self.warn(
                        "field-not-read",
                        f"{self.dialect.name} field {name!r} has no place in bibkit's model; "
                        "ignored",
                        name,
                    )
                continue
            if model_field in self.data:
                continue
            text = decode(value, markup=model_field in _MARKUP_FIELDS)
            if text and model_field == "language":
                text = table.language_code(text)
            if text:
                self.data[model_field] = text

    def _names(self) -> None:
        for bib, model_field in (*self.dialect.name_fields,):
            raw = self.values.get(bib, "")
            if not raw.strip():
                continue
            people: list[Person] = []
            for text in split_multiple_persons_names(raw):
                if text.strip().lower() == "others":
                    self.warn(
                        "field-not-carried",
                        f"'and others': the {bib} list is truncated, and bibkit's model has "
                        "no mark for 'et al.'",
                        model_field,
                    )
                    continue
                person = parse_name(text)
                if person is not None:
                    people.append(person)
            if people:
                self.data[model_field] = people

    def _dates(self) -> None:
        values = self.values
        issued: PartialDate | None = None
        if values.get("date", "").strip():
            issued = parse_date(decode(values["date"], markup=False))
        if issued is None:
            issued = _bibtex_date(
                decode(values.get("year", ""), markup=False),
                decode(values.get("month", ""), markup=False),
                decode(values.get("day", ""), markup=False),
            )
        if issued is not None:
            self.data["issued"] = issued
        for bib, model_field in (("origdate", "available_date"), ("urldate", "accessed")):
            if values.get(bib, "").strip():
                self.data[model_field] = parse_date(decode(values[bib], markup=False))

    def _identifiers(self) -> None:
        values = self.values
        if values.get("doi", "").strip():
            self.data["DOI"] = _DOI_PREFIX.sub("", _verbatim(values["doi"]))
        if values.get("url", "").strip():
            self.data["URL"] = _verbatim(values["url"])
        eprint = _verbatim(values.get("eprint", ""))
        kind = decode(values.get("eprinttype", ""), markup=False).lower()
        if eprint:
            if kind in {table.PUBMED_EPRINT_TYPE, "pmid"}:
                self.data["PMID"] = eprint
            elif kind in {"pmc", "pmcid"}:
                self.data["PMCID"] = eprint
            else:
                self.warn(
                    "field-not-read",
                    f"eprint {eprint!r} of type {kind or 'unknown'!r} has no place in "
                    "bibkit's model; ignored",
                    "eprint",
                )
        for bib, model_field in (("pmid", "PMID"), ("pmcid", "PMCID")):
            value = decode(values.get(bib, ""), markup=False)
            if value and model_field not in self.data:
                self.data[model_field] = value
        addendum = decode(values.get("addendum", ""), markup=False)
        if addendum:
            match = _PMCID.search(addendum)
            if match and "PMCID" not in self.data:
                self.data["PMCID"] = match.group(1)
            rest = _PMCID.sub("", addendum).strip(" .;,")
            if rest:
                note = self.data.get("note")
                self.data["note"] = f"{note}\n{rest}" if note else rest
        note = self.data.get("note")
        if isinstance(note, str):
            # Zotero exports its "Extra" field as note: "PMID: 123 PMCID: PMC456".
            rest = _NOTE_ID.sub(self._take_id, note).strip(" \n.;,")
            if rest:
                self.data["note"] = rest
            else:
                del self.data["note"]

    def _take_id(self, match: re.Match[str]) -> str:
        """An identifier of a note line: taken (and dropped from the note) unless the record
        already has a different one."""
        field_name, value = ("PMID", match["pmid"]) if match["pmid"] else ("PMCID", match["pmcid"])
        current = self.data.get(field_name)
        if current is None:
            self.data[field_name] = value
            return ""
        return "" if current == value else match.group()


def _verbatim(value: str) -> str:
    return _VERBATIM_ESCAPES.sub(r"\1", value.strip()).strip("{}").strip()


def _split_list(value: str, separators: str) -> list[str]:
    text = decode(value, markup=False)
    return [part.strip() for part in re.split(separators, text) if part.strip()]
