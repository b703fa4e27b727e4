"""RIS reader for what Zotero, EndNote, Mendeley, PubMed-style exporters and Web of Science write.

Lines are read one record (``TY`` … ``ER``) at a time, so memory stays at one record and every
citation and warning carries its line number. Tags mean what the RIS specification says for the
record's type (:mod:`bibkit.mappings.ris`, shared with the writer); the tags other programs use
for the same things (EndNote's ``T1``/``A1``/``Y1``/``JF``/``N2``, identifiers in ``M2``/``N1``
lines, PubMed accession numbers in ``AN``) are recognised as well. Web of Science's own
field-tagged export (``PT J`` … ``ER``, the last part of this module) is read here too, so that
one ``ris`` format covers what users call "RIS" files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from bibkit.dates import parse_pubmed_date
from bibkit.diagnostics import Diagnostic
from bibkit.io import READ_ERRORS, Source, read_failure
from bibkit.mappings import ris as table
from bibkit.model import Citation, PartialDate, Person, Provenance
from bibkit.pages import expand_range
from bibkit.registry import ReadOptions

__all__ = ["parse_date", "parse_name", "read", "sniff"]

FORMAT = "ris"
_TAG_LINE = re.compile(table.TAG_LINE)
_RIS_DATE = re.compile(
    r"(?P<year>\d{4})?(?:/(?P<month>\d{0,2})(?:/(?P<day>\d{0,2})(?:/(?P<other>.*))?)?)?"
)
_ID_LINE = re.compile(r"^\s*(?P<label>PMID|PMCID)\s*:\s*(?P<value>\S.*?)\s*$", re.IGNORECASE)
_ISSN = re.compile(r"\b\d{4}-?\d{3}[\dXx]\b")
_PUBMED_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d+)")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_INITIALS_NAME = re.compile(
    r"^(?P<family>[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*)?) (?P<initials>[A-Z]{1,3})$"
)
_PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la",
     "le", "ter", "ten", "zu", "bin", "ibn", "al", "el", "af", "av")
)  # fmt: skip
_RIS_TO_CSL = {ris: csl for csl, ris in table.TYPES} | table.READ_TYPES
_PUBMED_DATABASES = re.compile(r"pubmed|medline|\bnlm\b", re.IGNORECASE)


def sniff(head: str) -> int:
    """90 when the first tag is ``TY  - ``; 85 for a Web of Science export; 0 otherwise."""
    lines = [line.strip("\ufeff \t") for line in head.splitlines()]
    lines = [line for line in lines if line][:12]
    if not lines:
        return 0
    if re.match(r"^TY  ?- ", lines[0]):
        return 90
    if _is_wos(lines):
        return 85
    # Some exporters put a header (a count, "Provider: …") before the first record.
    if any(re.match(r"^TY  - \S", line) for line in lines[1:]):
        return 70
    return 0


def read(source: Source, options: ReadOptions) -> Iterator[Citation | Diagnostic]:
    """Citations and diagnostics in input order; a bad record is reported and skipped."""
    try:
        with source.open_text() as handle:
            head = source.head()
            heads = [line.strip("\ufeff \t") for line in head.splitlines() if line.strip()]
            wos = _is_wos(heads[:12])
            records = _wos_records(handle, source.name) if wos else _records(handle, source.name)
            for record in records:
                if isinstance(record, Diagnostic):
                    yield record
                    continue
                builder = _WosBuilder(source.name, record) if wos else _Builder(source.name, record)
                yield from _finish(_build(builder), options)
    except READ_ERRORS as error:
        yield read_failure(source.name, error)


def _build(builder: _Builder) -> tuple[Citation | None, list[Diagnostic]]:
    """The record, or an error for a value the model refuses (a date like ``2024 Feb 30``)."""
    try:
        return builder.build()
    except ValueError as error:
        start = builder.record.start
        message = f"record skipped: {error}"
        error_line = Diagnostic(builder.path, start, "error", "invalid-record", message)
        return None, [*builder.problems, error_line]


def _finish(
    built: tuple[Citation | None, list[Diagnostic]], options: ReadOptions
) -> Iterator[Citation | Diagnostic]:
    citation, problems = built
    if options.strict and problems:
        for p in problems:
            yield Diagnostic(p.path, p.line, "error", p.code, p.message, p.field)
        return
    yield from problems
    if citation is not None:
        yield citation


@dataclass
class _Line:
    tag: str
    value: str
    line: int


@dataclass
class _Record:
    start: int
    lines: list[_Line] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def _records(handle: Iterable[str], path: str) -> Iterator[_Record | Diagnostic]:
    """Split the input into records at ``TY`` / ``ER``; continuation lines join their tag."""
    record: _Record | None = None
    stray: int | None = None
    for number, raw in enumerate(handle, start=1):
        text = raw.rstrip("\n").lstrip("\ufeff").rstrip()
        match = _TAG_LINE.match(text)
        if record is None:
            if match and match["tag"] == table.TYPE_TAG:
                record = _Record(start=number)
                record.lines.append(_Line(table.TYPE_TAG, (match["value"] or "").strip(), number))
            elif text.strip() and stray is None:
                stray = number
            continue
        if match is None and text.strip() == table.END_TAG:
            # "ER" alone, without its dash: some hand-edited files and older exporters end
            # records so; read as a continuation line it would glue into the last value.
            yield record
            record = None
            continue
        if match is None:
            if text.strip() and record.lines:
                record.lines[-1].value += "\n" + text.strip()
            continue
        tag, value = match["tag"], (match["value"] or "").strip()
        if tag == table.END_TAG:
            yield record
            record = None
            continue
        if tag == table.TYPE_TAG:
            record.problems.append(
                Diagnostic(path, number, "warning", "missing-end", "record has no ER line")
            )
            yield record
            record = _Record(start=number)
        record.lines.append(_Line(tag, value, number))
    if record is not None:
        record.problems.append(
            Diagnostic(path, record.start, "warning", "missing-end", "last record has no ER line")
        )
        yield record
    if stray is not None:
        yield Diagnostic(
            path, stray, "warning", "stray-text", "text outside a TY … ER record was skipped"
        )


def parse_name(text: str) -> Person:
    """``Family, Given, Suffix`` (lower-case particles split off as CSL wants them); a name
    without a comma is a group author, except PubMed's ``Zhang S`` form (family + initials)."""
    text = " ".join(text.split())
    if "," not in text:
        initials = _INITIALS_NAME.match(text)
        if initials:
            return Person(family=initials["family"], given=initials["initials"])
        return Person(literal=text)
    family, _, rest = (part.strip() for part in text.partition(","))
    given, _, suffix = (part.strip() for part in rest.partition(","))
    words = family.split(" ")
    particle: list[str] = []
    while len(words) > 1 and words[0] in _PARTICLES:
        particle.append(words.pop(0))
    given_words = given.split(" ") if given else []
    dropping: list[str] = []
    while len(given_words) > 1 and given_words[-1] in _PARTICLES:
        dropping.insert(0, given_words.pop())
    return Person(
        family=" ".join(words) or None,
        given=" ".join(given_words) or None,
        suffix=suffix or None,
        non_dropping_particle=" ".join(particle) or None,
        dropping_particle=" ".join(dropping) or None,
    )


def parse_date(text: str, year_hint: int | None = None) -> PartialDate | None:
    """``2024/04/12/``, ``2024///Spring``, ``2010/09//2010 Sep-2010 Oct`` or free text
    (``Apr 12``, completed with ``year_hint`` from ``PY``)."""
    text = text.strip()
    if not text:
        return None
    match = _RIS_DATE.fullmatch(text)
    if match and "/" in text:
        year = int(match["year"]) or None if match["year"] else None
        # Some programs write an unknown part as 0 (2024/00/00/), as Zotero's import expects.
        month = int(match["month"]) or None if match["month"] else None
        day = int(match["day"]) or None if match["day"] else None
        other = (match["other"] or "").strip()
        if not 1 <= (month or 1) <= 12 or not 1 <= (day or 1) <= 31:
            return PartialDate(year=year, literal=text)
        base = PartialDate(
            year=year if year is not None else year_hint, month=month, day=day if month else None
        )
        if not other or re.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?", other):
            # Zotero writes the time of an access date there: not part of the date.
            return base if base.year is not None else None
        return _other_date(other, base)
    if match and match["year"]:
        return PartialDate(year=int(match["year"])) if int(match["year"]) else None
    return _other_date(text, PartialDate(year=year_hint))


def _other_date(text: str, base: PartialDate) -> PartialDate:
    """Free date text: parsed when PubMed's date forms cover it, else kept as ``literal``."""
    parsed = parse_pubmed_date(text)
    if parsed is not None and parsed.literal is None:
        return parsed
    if base.year is not None and not re.match(r"\d{4}", text):
        with_year = parse_pubmed_date(f"{base.year} {text}")
        if with_year is not None and with_year.literal is None:
            return with_year
    return base.model_copy(update={"literal": text})


class _Builder:
    """Turns one record's tag lines into a Citation, collecting what it could not place."""

    def __init__(self, path: str, record: _Record) -> None:
        self.path = path
        self.record = record
        self.problems: list[Diagnostic] = list(record.problems)
        self.fields: dict[str, object] = {}
        self.reported: set[str] = set()

    def warn(self, line: int, code: str, message: str, name: str | None = None) -> None:
        key = f"{code}:{name}"
        if name is not None and key in self.reported:
            return
        self.reported.add(key)
        self.problems.append(Diagnostic(self.path, line, "warning", code, message, field=name))

    def build(self) -> tuple[Citation | None, list[Diagnostic]]:
        lines = self.record.lines
        kind = lines[0].value.upper()
        csl_type = _RIS_TO_CSL.get(kind)
        if csl_type is None:
            csl_type = table.DEFAULT_CSL_TYPE
            self.warn(
                lines[0].line,
                "unknown-type",
                f"unknown RIS type {kind or '(empty)'!r}; read as a journal article",
                "type",
            )
        self.fields["type"] = csl_type
        if kind == "INPR":
            self.fields["status"] = "in press"
        self._place(csl_type, lines[1:])
        return self._validated()

    def _validated(self) -> tuple[Citation | None, list[Diagnostic]]:
        where = Provenance(path=self.path, line=self.record.start, format=FORMAT)
        try:
            citation = Citation.model_validate(self.fields | {"provenance": where})
        except ValueError as error:
            message = f"record skipped: {error}"
            self.problems.append(
                Diagnostic(self.path, self.record.start, "error", "invalid-record", message)
            )
            return None, self.problems
        return citation, self.problems

    def _place(self, csl_type: str, lines: list[_Line]) -> None:
        text_tags = {tag: name for tag, name in table.field_tags(csl_type)}
        name_tags = table.NAME_TAGS | table.TYPE_NAME_TAGS.get(csl_type, {})
        name_fields = {tag: name for name, tag in name_tags.items()}
        name_fields |= {t: f for t, f in table.READ_NAME_ALIASES.items() if t not in name_fields}
        database = " ".join(line.value for line in lines if line.tag in ("DB", "DP"))
        pages = csl_type not in table.NO_PAGE_RANGE_TYPES
        found: dict[str, _Line] = {}
        notes: list[str] = []
        urls: list[_Line] = []
        aliased: list[_Line] = []
        for line in lines:
            tag = line.tag
            if tag in table.ID_NOTE_TAGS and self._identifiers(line):
                continue
            value = line.value
            if not value.strip():
                continue
            if tag in name_fields:
                person = parse_name(value)
                if person.family or person.given or person.literal:
                    self._list(name_fields[tag]).append(person)
                else:
                    self.warn(
                        line.line,
                        "invalid-value",
                        f"{tag} value {value!r} holds no name; skipped",
                        tag,
                    )
            elif tag in _SPECIAL or (pages and tag == table.START_PAGE_TAG):
                found.setdefault(tag, line)
            elif tag == table.KEYWORD_TAG:
                self._list("keyword").extend(
                    k.strip() for k in re.split(r"[\n;]", value) if k.strip()
                )
            elif tag == table.ISSN_TAG and csl_type in table.ISSN_TYPES:
                issns = _ISSN.findall(value) or value.split()
                self.fields["ISSN"] = list(dict.fromkeys(issns))
            elif tag == "AN" and value.isdigit() and _PUBMED_DATABASES.search(database):
                self._set("PMID", line, value)
            elif tag == "UR":
                urls.append(line)
            elif tag in ("N1", "M2") or text_tags.get(tag) == "note":
                notes.append(value)
            elif tag in text_tags:
                self._set(text_tags[tag], line, _clean(text_tags[tag], value))
            elif tag == table.ID_TAG:
                # EndNote numbers its records (ID 1187): a record number is no citation key.
                if not value.isdigit():
                    self.fields.setdefault("id", value)
            elif tag == "ET" and csl_type == "article-journal":
                self._epub(line)
            elif tag in table.READ_ALIASES or tag in ("BT", "M3", "C2"):
                aliased.append(line)
            else:
                self.warn(
                    line.line,
                    "field-not-carried",
                    f"bibkit has no field for RIS tag {tag} in an {csl_type!r} record",
                    tag,
                )
        for line in aliased:
            self._alias(csl_type, line)
        self._dates(found)
        self._pages(found)
        self._urls(urls)
        if notes:
            self.fields["note"] = "\n".join(notes)

    def _list(self, name: str) -> list[object]:
        values = self.fields.setdefault(name, [])
        assert isinstance(values, list)
        return values

    def _set(self, name: str, line: _Line, value: str) -> None:
        if name in self.fields:
            if self.fields[name] != value:
                self.warn(
                    line.line,
                    "duplicate-field",
                    f"second {line.tag} value {value!r} ignored; {name} is {self.fields[name]!r}",
                    name,
                )
            return
        self.fields[name] = value

    def _identifiers(self, line: _Line) -> bool:
        """Take ``PMID: …`` / ``PMCID: …`` lines out of an M2/N1/M1 value; True when that
        was all the value held (otherwise the rest stays for the tag's own field)."""
        rest: list[str] = []
        found = False
        for part in re.split(r"\n|;\s*", line.value):
            match = _ID_LINE.match(part)
            if match:
                label = match["label"].upper()
                self._set(label, line, match["value"])
                found = True
            elif part.strip():
                rest.append(part.strip())
        if found and rest:
            line.value = "\n".join(rest)
            return False
        return found

    def _alias(self, csl_type: str, line: _Line) -> None:
        """Tags other programs write for fields this record has no standard tag for."""
        tag, value = line.tag, line.value
        if tag == "BT":
            name = "title" if csl_type == "book" else "container_title"
        elif tag == "M3":
            if _DOI_PREFIX.sub("", value).startswith("10."):
                name = "DOI"
            elif csl_type == "article-journal":
                # EndNote's "Type of Article": PubMed's publication types.
                kinds = [k.strip() for k in value.split(";") if k.strip()]
                self.fields.setdefault("publication_types", kinds)
                return
            else:
                name = "genre"
        elif tag == "C2":
            if not re.fullmatch(r"PMC\d+", value):
                self.warn(line.line, "field-not-carried", f"C2 value {value!r} is no PMCID", tag)
                return
            name = "PMCID"
        else:
            name = table.READ_ALIASES[tag]
        if name not in self.fields:
            self.fields[name] = _clean(name, value)

    def _epub(self, line: _Line) -> None:
        """EndNote writes a journal article's Epub date in ET (its "Edition" slot)."""
        compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", line.value.strip())
        text = "/".join(compact.groups()) + "/" if compact else line.value
        date = parse_date(text)
        if date is None or date.year is None or date.literal is not None:
            self.warn(line.line, "field-not-carried", f"ET {line.value!r} is no Epub date", "ET")
            return
        self.fields.setdefault("available_date", date)

    def _dates(self, found: dict[str, _Line]) -> None:
        """DA is the date (Zotero's choice too); PY or EndNote's Y1 gives or completes it."""
        year_line = found.get(table.YEAR_TAG) or found.get("Y1")
        year = parse_date(year_line.value) if year_line else None
        hint = year.year if year is not None else None
        full = found.get(table.DATE_TAG)
        issued = parse_date(full.value, hint) if full else None
        if issued is None or (
            year is not None
            and issued.year == year.year
            and len(year.parts()) > len(issued.parts())
        ):
            issued = year
        elif issued.year is None and hint is not None:
            issued = issued.model_copy(update={"year": hint})
        if issued is not None:
            self.fields["issued"] = issued
        accessed = found.get(table.ACCESSED_TAG)
        parsed = parse_date(accessed.value) if accessed else None
        if parsed is not None:
            self.fields["accessed"] = parsed

    def _pages(self, found: dict[str, _Line]) -> None:
        start, end = found.get(table.START_PAGE_TAG), found.get(table.END_PAGE_TAG)
        article_number = found.get("C7")
        if start is not None:
            page = start.value
            if end is not None and "-" not in page:
                page = f"{page}-{end.value}"
            self.fields["page"] = expand_range(page)
        elif end is not None:
            self.warn(end.line, "field-not-carried", "EP without a first page was skipped", "EP")
        if article_number is not None:
            # EndNote's "Article Number": the e-locator when there are no pages.
            self.fields.setdefault("page", article_number.value)
            if self.fields["page"] != article_number.value:
                self._set("number", article_number, article_number.value)

    def _urls(self, urls: list[_Line]) -> None:
        # One URL per line; "; " separates several on one line (a URL has no spaces).
        values = [u.strip() for line in urls for u in re.split(r"\n|;\s+", line.value) if u.strip()]
        for url in values:
            pmid = _PUBMED_URL.search(url)
            if pmid and "PMID" not in self.fields:
                self.fields["PMID"] = pmid.group(1)
        if values:
            self.fields["URL"] = values[0]
        if len(values) > 1:
            self.warn(
                urls[0].line,
                "field-not-carried",
                f"only the first of {len(values)} URLs is kept",
                "URL",
            )


_SPECIAL = frozenset(
    {table.DATE_TAG, table.YEAR_TAG, table.ACCESSED_TAG, table.END_PAGE_TAG, "C7",
     *table.READ_DATE_ALIASES}
)  # fmt: skip
"""Tags gathered first and combined afterwards (dates, page ranges)."""


def _clean(name: str, value: str) -> str:
    if name == "DOI":
        return _DOI_PREFIX.sub("", value.strip())
    return value


# Web of Science field-tagged export: "PT J", tags followed by one space, continuation lines
# indented by three spaces, "ER" closing each record.

_WOS_LINE = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])(?: (?P<value>.*))?$")
_WOS_SEASONS = {"SPR": "Spring", "SUM": "Summer", "FAL": "Fall", "WIN": "Winter"}
_WOS_CITED = re.compile(r"^(?P<author>[^,]*), (?P<year>\d{4})(?:, (?P<source>[^,]+))?")


def _is_wos(lines: list[str]) -> bool:
    """A Web of Science export starts with ``FN …`` and ``VR …`` or directly with ``PT J``;
    a ``TY  -`` line among the first says RIS whatever the first line is (a stray header)."""
    if not lines or any(_RIS_RECORD_START.match(line) for line in lines):
        return False
    if lines[0].startswith(("FN Clarivate", "FN Thomson", "FN ISI")):
        return any(_WOS_HEADER_NEXT.match(line) for line in lines[1:3])
    return bool(_WOS_FIRST_RECORD.match(lines[0]))


_RIS_RECORD_START = re.compile(r"^TY  ?- ")
_WOS_FIRST_RECORD = re.compile(r"^PT [A-Z]$")
_WOS_HEADER_NEXT = re.compile(r"^(?:VR \S|PT [A-Z]$)")


def _wos_records(handle: Iterable[str], path: str) -> Iterator[_Record | Diagnostic]:
    """Records from ``PT`` to ``ER``; a list tag's continuation lines become further values."""
    record: _Record | None = None
    for number, raw in enumerate(handle, start=1):
        text = raw.rstrip("\n").lstrip("\ufeff").rstrip()
        if record is not None and text.startswith("   ") and record.lines:
            last = record.lines[-1]
            if last.tag in table.WOS_LIST_TAGS:
                record.lines.append(_Line(last.tag, text.strip(), number))
            else:
                last.value += " " + text.strip()
            continue
        match = _WOS_LINE.match(text)
        if match is None:
            continue
        tag, value = match["tag"], (match["value"] or "").strip()
        if tag == "PT":
            if record is not None:
                record.problems.append(
                    Diagnostic(path, number, "warning", "missing-end", "record has no ER line")
                )
                yield record
            record = _Record(start=number, lines=[_Line(tag, value, number)])
        elif tag == "ER" and record is not None:
            yield record
            record = None
        elif record is not None:
            record.lines.append(_Line(tag, value, number))
    if record is not None:
        record.problems.append(
            Diagnostic(path, record.start, "warning", "missing-end", "last record has no ER line")
        )
        yield record


class _WosBuilder(_Builder):
    """One Web of Science record: full names (AF), ISO abbreviation (JI), funding (FU) as
    grants, addresses (C1) and ORCID iDs (OI) attached to the authors they name."""

    def build(self) -> tuple[Citation | None, list[Diagnostic]]:
        values: dict[str, list[_Line]] = {}
        for line in self.record.lines:
            values.setdefault(line.tag, []).append(line)

        def first(tag: str) -> str | None:
            lines = values.get(tag)
            return lines[0].value if lines and lines[0].value else None

        document_types = [t.strip() for t in (first("DT") or "").split(";") if t.strip()]
        self.fields["type"] = _wos_type(first("PT") or "J", document_types)
        if document_types:
            self.fields["publication_types"] = document_types
        if "Early Access" in document_types:
            self.fields["status"] = "ahead-of-print"
        for tag, name in table.WOS_FIELD_TAGS.items():
            value = first(tag)
            if value is not None:
                self.fields[name] = _clean(name, value)
        short = first("JI") or first("J9")
        if short:
            self.fields["container_title_short"] = short
        self._people(values)
        self._wos_dates(first("PY"), first("PD"), first("EA"))
        begin, end, number = first("BP"), first("EP"), first("AR")
        if begin:
            self.fields["page"] = expand_range(f"{begin}-{end}" if end else begin)
        if number:
            self.fields.setdefault("page", number)
            if self.fields["page"] != number:
                self.fields["number"] = number
        issns = [v for v in (first("SN"), first("EI")) if v]
        if issns:
            self.fields["ISSN"] = issns
        keywords: list[str] = []
        for tag in ("DE", "ID"):
            for keyword in re.split(r";\s*", first(tag) or ""):
                if keyword.strip() and keyword.strip().casefold() not in {
                    k.casefold() for k in keywords
                }:
                    keywords.append(keyword.strip())
        if keywords:
            self.fields["keyword"] = keywords
        if first("FU"):
            self.fields["grants"] = _wos_grants(first("FU") or "")
        references = [_wos_reference(line.value) for line in values.get("CR", []) if line.value]
        if references:
            self.fields["relations"] = references
        handled = {"PT", "DT", "PY", "PD", "EA", "EY", "BP", "EP", "AR", "SN", "EI", "DE", "ID",
                   "FU", "CR", "JI", "J9", "AU", "AF", "CA", "BE", "C1", "OI"}  # fmt: skip
        for tag, lines in values.items():
            known = tag in handled or tag in table.WOS_FIELD_TAGS or tag in table.WOS_IGNORED
            if not known:
                message = f"bibkit has no field for Web of Science tag {tag}"
                self.warn(lines[0].line, "field-not-carried", message, tag)
        return self._validated()

    def _people(self, values: dict[str, list[_Line]]) -> None:
        names = [line for line in values.get("AF") or values.get("AU") or [] if line.value]
        authors = [parse_name(line.value) for line in names]
        by_name = {
            " ".join(line.value.split()).casefold(): person
            for line, person in zip(names, authors, strict=True)
        }
        for line in values.get("C1", []):
            match = re.match(r"^\[(?P<names>[^\]]+)\]\s*(?P<address>.+)$", line.value)
            if match is None:
                self.warn(line.line, "field-not-carried", "address names no author", "C1")
                continue
            for name in match["names"].split(";"):
                person = by_name.get(" ".join(name.split()).casefold())
                if person is not None:
                    person.affiliations.append(match["address"].strip())
        for line in values.get("OI", []):
            for entry in re.split(r";\s*", line.value):
                name, _, orcid = entry.rpartition("/")
                person = by_name.get(" ".join(name.split()).casefold())
                if person is not None and re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", orcid):
                    person.orcid = orcid
        authors.extend(Person(literal=line.value) for line in values.get("CA", []) if line.value)
        if authors:
            self.fields["author"] = authors
        editors = [parse_name(line.value) for line in values.get("BE", []) if line.value]
        if editors:
            self.fields["editor"] = editors

    def _wos_dates(self, year: str | None, day: str | None, early: str | None) -> None:
        if year:
            text = f"{year} {_WOS_SEASONS.get(day or '', day or '')}".strip()
            issued = parse_pubmed_date(text)
            if issued is not None:
                self.fields["issued"] = issued
        if early:
            match = re.fullmatch(
                r"(?:(?P<month>[A-Z]{3}) (?:(?P<day>\d{1,2}) )?)?(?P<year>\d{4})", early
            )
            text = (
                " ".join(p for p in (match["year"], match["month"], match["day"]) if p)
                if match
                else early
            )
            available = parse_pubmed_date(text)
            if available is not None:
                self.fields["available_date"] = available


def _wos_type(kind: str, document_types: list[str]) -> str:
    if "Proceedings Paper" in document_types:
        return "paper-conference"
    if "Book Chapter" in document_types and kind != "J":
        return "chapter"
    return table.WOS_TYPES.get(kind, table.DEFAULT_CSL_TYPE)


def _wos_grants(text: str) -> list[dict[str, str]]:
    """``Agency A [id1, id2]; Agency B`` -> one grant per id (an agency alone: one grant)."""
    grants: list[dict[str, str]] = []
    for match in re.finditer(r"\s*(?P<agency>[^;\[]+?)\s*(?:\[(?P<ids>[^\]]*)\])?\s*(?:;|$)", text):
        agency = match["agency"].strip()
        if not agency:
            continue
        ids = [i.strip() for i in (match["ids"] or "").split(",") if i.strip()]
        grants.extend({"id": i, "agency": agency} for i in ids) if ids else grants.append(
            {"agency": agency}
        )
    return grants


def _wos_reference(text: str) -> dict[str, object]:
    """A cited reference (``Zhang S, 2020, NANO LETT, V20, P1, DOI 10.1021/x``) as a relation."""
    cited: dict[str, object] = {}
    match = _WOS_CITED.match(text)
    if match:
        if match["author"].strip():
            cited["author"] = [parse_name(match["author"])]
        cited["issued"] = {"year": int(match["year"])}
        if match["source"]:
            cited["container_title_short"] = match["source"].strip()
    for part in text.split(", "):
        if re.fullmatch(r"V\d+\w*", part):
            cited["volume"] = part[1:]
        elif re.fullmatch(r"P\w+", part):
            cited["page"] = part[1:]
        elif part.startswith("DOI "):
            cited["DOI"] = _clean("DOI", part[4:].strip("[] "))
    return {"kind": "references", "citation": cited, "text": text}
