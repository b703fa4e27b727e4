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
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from bibkit.diagnostics import Diagnostic, Report
from bibkit.latex import escape, name_to_latex, not_ascii_portable, title_to_latex
from bibkit.mappings import bibtex as table
from bibkit.mappings.bibtex import BIBLATEX, BIBTEX, Dialect
from bibkit.model import Citation, PartialDate, Person
from bibkit.pages import expand_range, split_range
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
_KEY_FORBIDDEN = re.compile(r"[\s,{}()\"#%'=\\~]+")
_TITLE_FIELDS = frozenset({"title", "title_short", "original_title"})
_ORDER = {name: i for i, name in enumerate(table.WRITE_ORDER)}
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
    first = True
    for citation in citations:
        entry_type, key, fields = _entry_parts(citation, dialect, ascii=options.ascii)
        for (code, name), message in fields.warnings.items():
            report(_diagnostic(citation, code, message, name))
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
        entry = Entry(entry_type, key, [Field(k, v) for k, v in _ordered(fields.values)])
        text = write_string(Library([entry]), unparse_stack=[], bibtex_format=_FORMAT)
        out.write(text if first else "\n" + text)
        first = False


@dataclass
class _Fields:
    """The fields of one entry being built, and what the record could not carry."""

    dialect: Dialect
    ascii: bool = False
    values: dict[str, str] = field(default_factory=dict)
    warnings: dict[tuple[str, str], str] = field(default_factory=dict)
    """(code, model field) -> message: what the record could not carry, or not in ASCII."""

    def braced(self, name: str, latex: str, source: tuple[str, str] | None = None) -> None:
        """Set a field; ``source`` (model field, text) is checked for what ``--ascii`` cannot
        write portably."""
        if "@" in latex:
            latex = _AT_LINE_START.sub(r"\1{@}", latex)  # LaTeX prints {@} as @
        self.values[name] = "{" + latex + "}"
        if self.ascii and source is not None:
            self._check_ascii(*source)

    def verbatim(self, name: str, model_field: str, value: str, *, check: bool = True) -> None:
        """A URL, DOI or eprint, which biber and hyperref read verbatim: no escaping, so what
        BibTeX syntax cannot hold as it is is percent-encoded, and reported."""
        text = value.replace("{", "%7B").replace("}", "%7D")
        text = _AT_LINE_START.sub(r"\1%40", text)
        if text != value:
            self.warnings.setdefault(
                ("value-changed", model_field),
                f"{value!r} written as {text!r}: a brace, or an @ starting a line, cannot stand "
                "as it is in a verbatim BibTeX field",
            )
        if text.endswith("\\"):
            # "\}" is an escaped brace to bibtexparser, so the field would never close. Readers
            # strip the space again.
            text += " "
        self.braced(name, text, (model_field, value) if check else None)

    def _check_ascii(self, model_field: str, text: str) -> None:
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
        self.warnings.setdefault(("field-not-carried", model_field), message)


def to_entry(
    citation: Citation, dialect: Dialect, *, ascii: bool = False
) -> tuple[Entry, dict[tuple[str, str], str]]:
    """One citation as a bibtexparser entry (values already enclosed) and its warnings:
    (code, model field) -> message, for fields not carried or not portable in ASCII."""
    entry_type, key, fields = _entry_parts(citation, dialect, ascii=ascii)
    ordered = _ordered(fields.values)
    return Entry(entry_type, key, [Field(k, v) for k, v in ordered]), fields.warnings


def _ordered(values: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(values.items(), key=lambda item: _ORDER.get(item[0], len(_ORDER)))


def _entry_parts(citation: Citation, dialect: Dialect, *, ascii: bool) -> tuple[str, str, _Fields]:
    """Entry type, key, and fields with what they could not carry."""
    fields = _Fields(dialect, ascii)
    entry_type = _entry_type(citation, fields)
    _names(citation, fields, ascii)
    _text(citation, fields, ascii)
    if dialect is BIBLATEX:
        _biblatex_dates(citation, fields)
        _biblatex_ids(citation, fields, ascii)
    else:
        _bibtex_dates(citation, fields)
    if citation.accessed is not None:
        _date_field(fields, "urldate", "accessed", citation.accessed)
    _pages(citation, fields, ascii)
    _lists(citation, fields, ascii)
    for model_field, what in dialect.not_carried.items():
        if getattr(citation, model_field):
            fields.lose(model_field, f"{dialect.name} has no field for {what}")
    return entry_type, citation_key(citation), fields


def citation_key(citation: Citation) -> str:
    """The citation's key made safe for BibTeX, or a stable key from its PMID or DOI."""
    key = citation.id or fallback_id(citation)
    return _KEY_FORBIDDEN.sub("_", key) or fallback_id(citation)


def _entry_type(citation: Citation, fields: _Fields) -> str:
    dialect = fields.dialect
    entry_type = _layout(dialect, citation.type)[2]
    if (
        dialect is BIBTEX
        and citation.type == "thesis"
        and citation.genre
        and "master" in citation.genre.lower()
    ):
        entry_type = table.MASTERS_THESIS
    if dialect is BIBLATEX and entry_type == "book" and citation.editor and not citation.author:
        entry_type = table.EDITED_BOOK  # biber wants an author for @book, editors for this
    read_back = dialect.csl_type(entry_type)
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
    if not person.family:
        text = escape(person.literal or person.given or "", ascii=ascii)
        if text.startswith("\\"):
            # "{\&…}" would be one special character to BibTeX, not a braced name.
            text = "{" + text + "}"
        return "{" + text + "}" if text else ""
    von = " ".join(p for p in (person.non_dropping_particle, person.dropping_particle) if p)
    if " " in person.family.strip():
        family = "{" + escape(person.family, ascii=ascii) + "}"
    else:
        family = name_to_latex(person.family, ascii=ascii)
    head = f"{name_to_latex(von, ascii=ascii)} {family}" if von else family
    given = name_to_latex(person.given, ascii=ascii) if person.given else ""
    if person.suffix:
        return f"{head}, {name_to_latex(person.suffix, ascii=ascii)}, {given}"
    if given:
        return f"{head}, {given}"
    return head  # "{Van Helsing}" alone: read back as a group name (see README)


def _names(citation: Citation, fields: _Fields, ascii: bool) -> None:
    for bib, model_field in fields.dialect.name_fields:
        people: list[Person] = getattr(citation, model_field)
        names = [text for text in (format_name(p, ascii=ascii) for p in people) if text]
        if names:
            source = " ".join(p.display() for p in people)
            fields.braced(bib, " and ".join(names), (model_field, source))
        if any(p.affiliations or p.orcid for p in people):
            fields.lose(
                model_field,
                f"{fields.dialect.name} has no field for the {model_field}s' affiliations "
                "and ORCID iDs",
            )


_Layout = tuple[tuple[tuple[str, str], ...], tuple[str, ...], str]
"""For one dialect and CSL type: (field, model field) pairs written, the model text fields with
no field, and the entry type."""
_DIALECTS = {dialect.name: dialect for dialect in (BIBTEX, BIBLATEX)}


def _layout(dialect: Dialect, csl_type: str) -> _Layout:
    if _DIALECTS.get(dialect.name) is dialect:
        return _cached_layout(dialect.name, csl_type)
    return _work_out_layout(dialect, csl_type)


@functools.lru_cache(maxsize=256)
def _cached_layout(dialect_name: str, csl_type: str) -> _Layout:
    """The mapping tables are constants: each type's layout is worked out once, not per
    record."""
    return _work_out_layout(_DIALECTS[dialect_name], csl_type)


def _work_out_layout(dialect: Dialect, csl_type: str) -> _Layout:
    placed = tuple(dialect.field_map(csl_type))
    here = {model_field for _, model_field in placed}
    return placed, tuple(sorted(dialect.text_fields - here)), dialect.entry_type(csl_type)


def _text(citation: Citation, fields: _Fields, ascii: bool) -> None:
    dialect = fields.dialect
    placed, unplaced, entry_type = _layout(dialect, citation.type)
    for bib, model_field in placed:
        value = getattr(citation, model_field)
        if not value and bib in table.SHORT_TITLE_FALLBACK:
            # PubMed's summaries give only the abbreviation; styles need a journal.
            value = citation.container_title_short
        if not value:
            continue
        source = (model_field, value)
        if bib in table.VERBATIM_FIELDS:
            fields.verbatim(bib, model_field, value)
        elif model_field in _TITLE_FIELDS:
            fields.braced(bib, title_to_latex(value, ascii=ascii), source)
        elif model_field == "abstract":
            lines = (line.strip(" \t\r") for line in value.split("\n"))
            paragraphs = [escape(line, ascii=ascii) for line in lines if line]
            fields.braced(bib, "\n\n".join(paragraphs), source)
        else:
            fields.braced(bib, escape(value, ascii=ascii), source)
    for model_field in unplaced:
        if getattr(citation, model_field):
            fields.lose(
                model_field, f"{dialect.name} has no field for {model_field} in @{entry_type}"
            )


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
    parts: list[str] = []
    for part in expand_range(page).split(","):
        part = part.strip()
        first, last = split_range(part)
        if last is not None and part == f"{first}-{last}":
            parts.append(f"{first}--{last}")
        else:
            parts.append(part)
    return ", ".join(parts)


def _pages(citation: Citation, fields: _Fields, ascii: bool) -> None:
    if not citation.page:
        return
    # Escape each piece, keep the en dashes made above.
    pieces = format_pages(citation.page).split("--")
    latex = "--".join(escape(piece, ascii=ascii) for piece in pieces)
    fields.braced("pages", latex, ("page", citation.page))


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
            ("ISSN", " ".join(issns)),
        )
    keywords = [k for k in citation.keyword if k]
    if keywords:
        fields.braced(
            "keywords",
            ", ".join(escape(k, ascii=ascii) for k in keywords),
            ("keyword", " ".join(keywords)),
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
