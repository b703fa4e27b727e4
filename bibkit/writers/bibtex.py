"""BibTeX and BibLaTeX writers, made for the programs that read them: bibtex and its styles,
biber, pandoc, and Zotero's BibTeX import.

Each citation becomes one bibtexparser entry, serialised by bibtexparser on its own, so memory
stays at one record. Values are LaTeX (:mod:`bibkit.latex`): specials escaped, title capitals
protected, title markup as text commands, group authors braced. Field names come from
:mod:`bibkit.mappings.bibtex`; what a record holds but the dialect has no field for is reported
once per record and field as a ``field-not-carried`` warning.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterable
from itertools import compress
from typing import Any, NamedTuple, TextIO

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Block, Entry, Field
from bibtexparser.writer import BibtexFormat

from bibkit.diagnostics import Diagnostic, Report, Tally
from bibkit.io import CONTROL_CHARACTERS
from bibkit.latex import escape, is_plain, name_to_latex, not_ascii_portable, title_to_latex
from bibkit.mappings import bibtex as table
from bibkit.mappings.bibtex import BIBLATEX, BIBTEX, Dialect
from bibkit.model import Citation, PartialDate, Person
from bibkit.pages import expand_range
from bibkit.registry import WriteOptions
from bibkit.writers.csljson import fallback_id

__all__ = [
    "citation_key",
    "edtf",
    "format_name",
    "format_pages",
    "to_entry",
    "write_biblatex",
    "write_bibtex",
]

_FORMAT = BibtexFormat()  # type: ignore[no-untyped-call]
_FORMAT.indent = "  "
_FORMAT.block_separator = "\n"  # each entry ends with a line end: one blank line between
_BATCH = 16
"""Entries bibtexparser serialises per call: its cost per call is spread over a batch, and
memory holds only the batch. (Larger batches keep enough objects alive to wake the garbage
collector far more often.)"""
_KEY_FORBIDDEN = re.compile(r"[\s,{}()\"#%'=\\~]+")
_TITLE_FIELDS = frozenset({"title", "title_short", "original_title"})
_ORDER = {name: i for i, name in enumerate(table.WRITE_ORDER)}
_PLAIN, _VERBATIM, _TITLE, _ABSTRACT, _LANGUAGE = range(5)
"""How :func:`_text` writes a field."""
_RANGE_OR_LIST = re.compile(r"[-,\u2010-\u2015]")
"""What :func:`bibkit.pages.expand_range` looks for: a page without it stays as it is."""
_strip_blanks = operator.methodcaller("strip", " \t\r")
"""What a line of an abstract is written without."""
_LOST = "field-not-carried"
"""The code of the warning for what a record holds and the entry cannot."""
_AT_LINE_START = re.compile(r"([\r\n]\s*)@")
"""An ``@`` first on a line of a value: bibtexparser (and so bibkit's reader) takes it for the
start of a new block and aborts the entry. (A lone CR is a line end when bibkit reads.)"""


def write_bibtex(
    citations: Iterable[Citation], out: TextIO, options: WriteOptions, report: Report
) -> None:
    """Classic BibTeX for bibtex styles, natbib and Zotero."""
    _write(citations, out, options, report, BIBTEX)


def write_biblatex(
    citations: Iterable[Citation], out: TextIO, options: WriteOptions, report: Report
) -> None:
    """BibLaTeX for biber: ISO dates, ``journaltitle``, ``eprint`` for the PMID."""
    _write(citations, out, options, report, BIBLATEX)


def _write(
    citations: Iterable[Citation],
    out: TextIO,
    options: WriteOptions,
    report: Report,
    dialect: Dialect,
) -> None:
    ascii = options.ascii
    batch: list[Block] = []
    keys: set[str] = set()  # bibtexparser refuses a library holding a key twice
    first = True
    count_repeat = report.count_repeat if isinstance(report, Tally) else None
    try:
        for citation in citations:
            entry = _entry(citation, dialect, ascii, report, count_repeat)
            if len(batch) == _BATCH or entry.key in keys:
                first = _flush(batch, out, first)
                keys.clear()
            batch.append(entry)
            keys.add(entry.key)
    finally:
        _flush(batch, out, first)


def _flush(batch: list[Block], out: TextIO, first: bool) -> bool:
    """Write and empty ``batch``; whether nothing has been written yet."""
    if not batch:
        return first
    library = Library(batch)
    batch.clear()
    text = write_string(library, unparse_stack=[], bibtex_format=_FORMAT)
    out.write(text if first else "\n" + text)
    return False


def _entry(
    citation: Citation,
    dialect: Dialect,
    ascii: bool,
    report: Report,
    count_repeat: Callable[[str, str, str], bool] | None = None,
) -> Entry:
    """One citation as an entry, its problems reported (a repeat only counted, when the report
    folds repeats: see :class:`bibkit.diagnostics.Tally`)."""
    entry_type, key, fields = _entry_parts(citation, dialect, ascii=ascii)
    for (code, name), message in fields.warnings.items():
        if count_repeat is None or not count_repeat(code, name, message):
            where = citation.provenance
            path, line = (where.path, where.line) if where else ("<output>", None)
            report(Diagnostic(path, line, "warning", code, message, name))
    if key != (citation.id or key):
        report(
            _diagnostic(
                citation,
                "key-changed",
                f"citation key {citation.id!r} written as {key!r}: "
                "BibTeX keys cannot hold spaces, commas, braces or quotes",
                "id",
            )
        )
    values = fields.values
    return Entry(entry_type, key, [Field(name, values[name]) for name in _order(tuple(values))])


class _Fields:
    """The fields of one entry being built, and what the record could not carry."""

    __slots__ = ("ascii", "dialect", "values", "warnings")

    def __init__(self, dialect: Dialect, ascii: bool = False) -> None:
        self.dialect = dialect
        self.ascii = ascii
        self.values: dict[str, str] = {}
        self.warnings: dict[tuple[str, str], str] = {}
        """(code, model field) -> message: what the record could not carry, or not in ASCII."""

    def braced(self, name: str, latex: str, source: tuple[str, str] | None = None) -> None:
        """Set a field; ``source`` (model field, text) is checked for what ``--ascii`` cannot
        write portably (callers may leave it out when not writing ASCII)."""
        if "@" in latex:
            latex = _AT_LINE_START.sub(r"\1{@}", latex)  # LaTeX prints {@} as @
        self.values[name] = "{" + latex + "}"
        if source is not None and self.ascii:
            self.check_ascii(*source)

    def verbatim(self, name: str, model_field: str, value: str, *, check: bool = True) -> None:
        """A URL, DOI or eprint, which biber and hyperref read verbatim: no escaping, so what
        BibTeX syntax cannot hold as it is is percent-encoded, and reported."""
        text = value
        if "{" in text or "}" in text:
            text = text.replace("{", "%7B").replace("}", "%7D")
        if "@" in text:
            text = _AT_LINE_START.sub(r"\1%40", text)
        if text != value:
            self.warnings.setdefault(
                ("value-changed", model_field),
                f"{value!r} written as {text!r}: a brace, or an @ starting a line, cannot stand "
                "as it is in a verbatim BibTeX field",
            )
        if text.rstrip(CONTROL_CHARACTERS).endswith("\\"):
            # "\}" is an escaped brace to bibtexparser, so the field would never close (also
            # once reading has left out a control character after the backslash). Readers
            # strip the space again.
            text += " "
        self.braced(name, text, (model_field, value) if check and self.ascii else None)

    def check_ascii(self, model_field: str, text: str) -> None:
        garbled, kept = not_ascii_portable(text)
        if garbled:
            self.warnings.setdefault(
                ("escape-not-portable", model_field),
                f"{', '.join(garbled)} written as LaTeX that pdflatex reads but Zotero's BibTeX "
                "import garbles",
            )
        if kept:
            self.warnings.setdefault(
                ("no-ascii-form", model_field),
                f"{', '.join(kept)} kept as UTF-8: LaTeX has no ASCII form for it",
            )

    def bare(self, name: str, value: str) -> None:
        self.values[name] = value

    def lose(self, model_field: str, message: str) -> None:
        self.warnings.setdefault((_LOST, model_field), message)


def to_entry(
    citation: Citation, dialect: Dialect, *, ascii: bool = False
) -> tuple[Entry, dict[tuple[str, str], str]]:
    """One citation as a bibtexparser entry (values already enclosed) and its warnings:
    (code, model field) -> message, for fields not carried or not portable in ASCII."""
    entry_type, key, fields = _entry_parts(citation, dialect, ascii=ascii)
    values = fields.values
    return Entry(
        entry_type, key, [Field(name, values[name]) for name in _order(tuple(values))]
    ), fields.warnings


@functools.lru_cache(maxsize=1024)
def _order(names: tuple[str, ...]) -> tuple[str, ...]:
    """Field names in writing order (unknown ones last). Records of one kind set the same
    fields in the same order, so each sequence is sorted once."""
    return tuple(sorted(names, key=lambda name: _ORDER.get(name, len(_ORDER))))


def _entry_parts(citation: Citation, dialect: Dialect, *, ascii: bool) -> tuple[str, str, _Fields]:
    """Entry type, key, and fields with what they could not carry."""
    plan = _plan(dialect, citation.type)
    fields = _Fields(dialect, ascii)
    entry_type = _entry_type(citation, fields, plan.entry_type)
    _names(citation, fields, ascii)
    _text(citation, fields, ascii, plan)
    if dialect is BIBLATEX:
        _biblatex_dates(citation, fields)
        _biblatex_ids(citation, fields, ascii)
    else:
        _bibtex_dates(citation, fields)
    if citation.accessed is not None:
        _date_field(fields, "urldate", "accessed", citation.accessed)
    _pages(citation, fields, ascii)
    _lists(citation, fields, ascii)
    lose = fields.warnings.setdefault  # what fields.lose does, without a call per warning
    for key, message in compress(plan.not_carried, plan.not_carried_values(citation)):
        lose(key, message)
    return entry_type, citation_key(citation), fields


def citation_key(citation: Citation) -> str:
    """The citation's key made safe for BibTeX, or a stable key from its PMID or DOI."""
    key = citation.id or fallback_id(citation)
    return _KEY_FORBIDDEN.sub("_", key) or fallback_id(citation)


def _entry_type(citation: Citation, fields: _Fields, entry_type: str) -> str:
    dialect = fields.dialect
    if (
        dialect is BIBTEX
        and citation.type == "thesis"
        and citation.genre
        and "master" in citation.genre.lower()
    ):
        entry_type = table.MASTERS_THESIS
    if dialect is BIBLATEX and entry_type == "book" and citation.editor and not citation.author:
        entry_type = table.EDITED_BOOK  # biber wants an author for @book, editors for this
    read_back = _read_back(dialect, entry_type)
    if read_back != citation.type:
        fields.lose(
            "type",
            f"{dialect.name} has no entry type for {citation.type!r}: written as @{entry_type}, "
            f"which reads back as {read_back!r}",
        )
    return entry_type


def format_name(person: Person, *, ascii: bool = False) -> str:
    """BibTeX's ``von Last, Jr, First``; a group author braced so it is never split, and a
    family name of several words braced so no word of it is taken for a particle
    (``{de la Cruz}, Ana`` keeps the family name the record has)."""
    return _name(
        person.family,
        person.given,
        person.suffix,
        person.non_dropping_particle,
        person.dropping_particle,
        person.literal,
        ascii,
    )


@functools.lru_cache(maxsize=8192)
def _name(
    family: str | None,
    given: str | None,
    suffix: str | None,
    non_dropping_particle: str | None,
    dropping_particle: str | None,
    literal: str | None,
    ascii: bool,
) -> str:
    """:func:`format_name` from the name's parts: the same authors come back record after
    record, so each name is worked out once."""
    if not family:
        text = escape(literal or given or "", ascii=ascii)
        if text.startswith("\\"):
            # "{\&…}" would be one special character to BibTeX, not a braced name.
            text = "{" + text + "}"
        return "{" + text + "}" if text else ""
    von = " ".join(p for p in (non_dropping_particle, dropping_particle) if p)
    if " " in family.strip():
        family = "{" + escape(family, ascii=ascii) + "}"
    else:
        family = name_to_latex(family, ascii=ascii)
    head = f"{name_to_latex(von, ascii=ascii)} {family}" if von else family
    given = name_to_latex(given, ascii=ascii) if given else ""
    if suffix:
        return f"{head}, {name_to_latex(suffix, ascii=ascii)}, {given}"
    if given:
        return f"{head}, {given}"
    return head  # "{Van Helsing}" alone: read back as a group name (see README)


def _names(citation: Citation, fields: _Fields, ascii: bool) -> None:
    for bib, model_field in fields.dialect.name_fields:
        people: list[Person] = getattr(citation, model_field)
        if not people:
            continue
        names: list[str] = []
        lost = False
        for p in people:
            text = _name(
                p.family,
                p.given,
                p.suffix,
                p.non_dropping_particle,
                p.dropping_particle,
                p.literal,
                ascii,
            )
            if text:
                names.append(text)
            lost = lost or bool(p.affiliations or p.orcid)
        if names:
            source = (model_field, " ".join(p.display() for p in people)) if ascii else None
            fields.braced(bib, " and ".join(names), source)
        if lost:
            fields.lose(model_field, _people_lost(fields.dialect.name, model_field))


@functools.lru_cache(maxsize=64)
def _people_lost(dialect_name: str, model_field: str) -> str:
    return f"{dialect_name} has no field for the {model_field}s' affiliations and ORCID iDs"


class _Plan(NamedTuple):
    """What one dialect writes for one CSL type, worked out from the mapping tables."""

    placed: tuple[tuple[str, str, int], ...]
    """(field, model field, how it is written)."""
    placed_values: Callable[[Citation], tuple[Any, ...]]
    """The record's values of the placed model fields, in one call."""
    fallbacks: tuple[int, ...]
    """Where in ``placed`` the short journal title stands in for a missing journal."""
    unplaced: tuple[tuple[tuple[str, str], str], ...]
    """((``field-not-carried``, model text field with no field here), the warning when a
    record has it): keyed as :attr:`_Fields.warnings` is."""
    unplaced_values: Callable[[Citation], tuple[Any, ...]]
    entry_type: str
    not_carried: tuple[tuple[tuple[str, str], str], ...]
    """((``field-not-carried``, model field the dialect has no place for), the warning when a
    record has it)."""
    not_carried_values: Callable[[Citation], tuple[Any, ...]]


_DIALECTS = {dialect.name: dialect for dialect in (BIBTEX, BIBLATEX)}


def _plan(dialect: Dialect, csl_type: str) -> _Plan:
    if _DIALECTS.get(dialect.name) is dialect:
        return _cached_plan(dialect.name, csl_type)
    return _work_out_plan(dialect, csl_type)


@functools.lru_cache(maxsize=256)
def _cached_plan(dialect_name: str, csl_type: str) -> _Plan:
    """The mapping tables are constants: each type's plan is worked out once, not per
    record."""
    return _work_out_plan(_DIALECTS[dialect_name], csl_type)


def _work_out_plan(dialect: Dialect, csl_type: str) -> _Plan:
    field_map = dialect.field_map(csl_type)
    here = {model_field for _, model_field in field_map}
    entry_type = dialect.entry_type(csl_type)
    placed = tuple(
        (bib, model_field, _how(dialect, bib, model_field)) for bib, model_field in field_map
    )
    fallbacks = tuple(
        index for index, (bib, _) in enumerate(field_map) if bib in table.SHORT_TITLE_FALLBACK
    )
    unplaced = tuple(
        ((_LOST, model_field), f"{dialect.name} has no field for {model_field} in @{entry_type}")
        for model_field in sorted(dialect.text_fields - here)
    )
    not_carried = tuple(
        ((_LOST, model_field), f"{dialect.name} has no field for {what}")
        for model_field, what in dialect.not_carried.items()
    )
    return _Plan(
        placed,
        _getter(tuple(model_field for _, model_field, _ in placed)),
        fallbacks,
        unplaced,
        _getter(tuple(model_field for (_, model_field), _ in unplaced)),
        entry_type,
        not_carried,
        _getter(tuple(model_field for (_, model_field), _ in not_carried)),
    )


def _getter(names: tuple[str, ...]) -> Callable[[Citation], tuple[Any, ...]]:
    """A function giving a record's values of ``names`` as a tuple (one C call)."""
    if len(names) > 1:
        get: Callable[[Citation], tuple[Any, ...]] = operator.attrgetter(*names)
        return get
    return lambda citation: tuple(getattr(citation, name) for name in names)


def _how(dialect: Dialect, bib: str, model_field: str) -> int:
    if bib in table.VERBATIM_FIELDS:
        return _VERBATIM
    if model_field in _TITLE_FIELDS:
        return _TITLE
    if model_field == "abstract":
        return _ABSTRACT
    if model_field == "language" and dialect is BIBLATEX:
        return _LANGUAGE
    return _PLAIN


def _read_back(dialect: Dialect, entry_type: str) -> str | None:
    """The CSL type an entry type reads back as."""
    if _DIALECTS.get(dialect.name) is dialect:
        return _cached_read_back(dialect.name, entry_type)
    return dialect.csl_type(entry_type)


@functools.lru_cache(maxsize=256)
def _cached_read_back(dialect_name: str, entry_type: str) -> str | None:
    return _DIALECTS[dialect_name].csl_type(entry_type)


def _text(citation: Citation, fields: _Fields, ascii: bool, plan: _Plan) -> None:
    values = plan.placed_values(citation)
    for index in plan.fallbacks:
        if not values[index]:
            # PubMed's summaries give only the abbreviation; styles need a journal.
            values = (*values[:index], citation.container_title_short, *values[index + 1 :])
    # Most fields are empty: walk only the others (compress and filter keep them in step).
    written = fields.values
    for (bib, model_field, how), value in zip(
        compress(plan.placed, values), filter(None, values), strict=True
    ):
        # What Fields.braced does, inline: this loop runs for most fields of every record.
        if how == _PLAIN:
            latex = escape(value, ascii=ascii)
        elif how == _TITLE:
            latex = title_to_latex(value, ascii=ascii)
        elif how == _ABSTRACT:
            if "\n" in value:
                lines = list(filter(None, map(_strip_blanks, value.split("\n"))))
                if is_plain(value, ascii=ascii):  # most abstracts: no line needs escaping
                    latex = "\n\n".join(lines)
                else:
                    latex = "\n\n".join([escape(line, ascii=ascii) for line in lines])
            else:
                latex = escape(value.strip(" \t\r"), ascii=ascii)
        elif how == _LANGUAGE:
            # PubMed's ``eng`` would be printed as it is; a localisation key is translated.
            latex = escape(table.biblatex_language(value), ascii=ascii)
        else:
            fields.verbatim(bib, model_field, value)
            continue
        if "@" in latex:
            latex = _AT_LINE_START.sub(r"\1{@}", latex)
        written[bib] = "{" + latex + "}"
        if ascii:
            fields.check_ascii(model_field, value)
    lose = fields.warnings.setdefault  # what fields.lose does, without a call per warning
    for key, message in compress(plan.unplaced, plan.unplaced_values(citation)):
        lose(key, message)


def _bibtex_dates(citation: Citation, fields: _Fields) -> None:
    date = citation.issued
    if date is None:
        return
    if date.year is not None:
        fields.braced("year", str(date.year))
    if date.month is not None:
        fields.bare("month", table.MONTH_MACROS[date.month - 1])
        if date.day is not None:
            fields.braced("day", str(date.day))
    elif date.season is not None:
        fields.braced("month", table.SEASONS[date.season - 1])
    if date.end is not None:
        fields.lose("issued", "BibTeX has no field for the end of a date range")
    if date.literal:
        fields.lose("issued", f"BibTeX cannot carry the date as written ({date.literal!r})")


def edtf(date: PartialDate) -> str | None:
    """``2024-04-12``, ``2010-09/2010-10``, ``2009-21`` (spring): biblatex's ISO/EDTF dates."""
    if date.year is None:
        return None
    text = f"{date.year:04d}"
    if date.month is not None:
        text += f"-{date.month:02d}"
        if date.day is not None:
            text += f"-{date.day:02d}"
    elif date.season is not None:
        text += f"-{table.EDTF_SEASONS[date.season]}"
    if date.end is not None:
        end = edtf(date.end)
        if end and end != text:
            text += f"/{end}"
    return text


def _date_field(fields: _Fields, bib: str, model_field: str, date: PartialDate) -> None:
    text = edtf(date)
    if text is not None:
        fields.braced(bib, text)
    if date.literal or text is None:
        fields.lose(
            model_field,
            f"{fields.dialect.name} takes ISO dates only: the date as written "
            f"({date.literal!r}) is not carried",
        )


def _biblatex_dates(citation: Citation, fields: _Fields) -> None:
    if citation.issued is not None:
        _date_field(fields, "date", "issued", citation.issued)
    if citation.available_date is not None:
        _date_field(fields, "origdate", "available_date", citation.available_date)
    if citation.status:
        fields.braced("pubstate", escape(table.PUBSTATES.get(citation.status, citation.status)))


def _biblatex_ids(citation: Citation, fields: _Fields, ascii: bool) -> None:
    if citation.PMID:
        fields.verbatim("eprint", "PMID", citation.PMID, check=False)
        fields.braced("eprinttype", table.PUBMED_EPRINT_TYPE)
    if citation.PMCID:
        fields.braced("addendum", escape(f"{table.PMCID_LABEL}: {citation.PMCID}", ascii=ascii))


def format_pages(page: str) -> str:
    """``1065-80`` -> ``1065--1080`` (full numbers, BibTeX's en dash); an e-locator or any
    other text stays as it is."""
    if _RANGE_OR_LIST.search(page) is None:
        return page.strip()  # one page or an e-locator: nothing to expand
    first, dash, last = page.partition("-")
    if dash and first.isdecimal() and last.isdecimal():
        # "1065-80", most ranges: what expand_range does with it, without its regex.
        full = first[: len(first) - len(last)] + last if len(last) < len(first) else last
        return f"{first}--{full if int(full) >= int(first) else last}"
    parts: list[str] = []
    for part in expand_range(page).split(","):
        part = part.strip()
        # Already expanded: a full range is first-last (see split_range).
        first, dash, last = part.partition("-")
        parts.append(f"{first}--{last}" if dash and first and last else part)
    return ", ".join(parts)


def _pages(citation: Citation, fields: _Fields, ascii: bool) -> None:
    page = citation.page
    if not page:
        return
    formatted = format_pages(page)
    if "--" in formatted:
        # Escape each piece, keep the en dashes made above.
        latex = "--".join(escape(piece, ascii=ascii) for piece in formatted.split("--"))
    else:
        latex = escape(formatted, ascii=ascii)
    fields.braced("pages", latex, ("page", page) if ascii else None)


def _lists(citation: Citation, fields: _Fields, ascii: bool) -> None:
    if citation.ISSN:
        issns = list(citation.ISSN)
        if fields.dialect is BIBLATEX and len(issns) > 1:
            # biber checks that issn is one valid ISSN.
            fields.lose("ISSN", f"BibLaTeX's issn holds one ISSN: {', '.join(issns[1:])} left out")
            issns = issns[:1]
        fields.braced(
            "issn",
            ", ".join(escape(issn, ascii=ascii) for issn in issns),
            ("ISSN", " ".join(issns)) if ascii else None,
        )
    keywords = [k for k in citation.keyword if k]
    if keywords:
        fields.braced(
            "keywords",
            ", ".join(escape(k, ascii=ascii) for k in keywords),
            ("keyword", " ".join(keywords)) if ascii else None,
        )
        split = [k for k in keywords if "," in k or ";" in k]
        if split:
            fields.lose(
                "keyword",
                f"the keyword {split[0]!r} holds a comma or semicolon: readers split it there",
            )


def _diagnostic(citation: Citation, code: str, message: str, name: str) -> Diagnostic:
    where = citation.provenance
    return Diagnostic(
        where.path if where else "<output>",
        where.line if where else None,
        "warning",
        code,
        message,
        field=name,
    )
