"""Reader ``pubmed-xml``: PubMed's ``PubmedArticleSet`` XML from efetch or the annual baseline.

Baseline files hold ~30,000 articles each and users push a million through, so the file is
streamed with lxml ``iterparse``: each ``PubmedArticle`` / ``PubmedBookArticle`` is converted
when it ends, then cleared and unlinked, and memory stays at about one record.

The input may be hostile, so the parser expands no entities, loads no DTD, fetches nothing
from the network and keeps libxml2's limits on text size and depth (no ``huge_tree``). A gzip
bomb is stopped where every gzip input is opened (``bibkit.io.MAX_GZIP_RATIO``), and a single
record that never ends by ``MAX_RECORD_BYTES``. Each of these, and malformed or truncated
XML, ends the file with one error at ``path:line`` after the good records before it.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from typing import Any, BinaryIO, cast

from lxml import etree

from bibkit.diagnostics import Diagnostic, Severity
from bibkit.io import READ_ERRORS, STRAY_BYTES_SHOWN, Source, read_failure
from bibkit.model import Citation, Person, Provenance, Relation
from bibkit.readers import pubmed_xml_fields as f
from bibkit.registry import ReadOptions

FORMAT = "pubmed-xml"
RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
ROOT_TAGS = frozenset({"PubmedArticleSet", "PubmedBookArticleSet", *RECORD_TAGS})

MAX_RECORD_BYTES = 32 * 1024 * 1024
"""Input read without a record ending; the largest real records (thousands of authors with
affiliations, long reference lists) are a few MB."""
MAX_RECORD_TAGS = 500_000
"""Tags (counted as ``<``) read without a record ending. Tiny elements (``<x/>``) cost libxml2
~30 times their size in memory, so bytes alone would bound memory too loosely; real records
have at most ~100,000 tags. Together the two limits keep an endless record under ~100 MB."""

_SNIFF_MARKERS = ("<PubmedArticle", "<PubmedBookArticle", "<!DOCTYPE PubmedArticleSet")


class RefusedInput(Exception):
    """The input is refused for safety (a record that never ends); the message says why."""


class GuardedStream:
    """A binary stream that refuses to give more than a sane amount of data.

    lxml pulls the input through ``read``; an exception raised here stops the parse and comes
    back out of ``iterparse``.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.position = 0
        self.record_end = 0
        self._uncounted: list[bytes] = []
        """Data read since the last record end whose tags are not counted yet."""
        self._tags = 0
        """Tags counted since the last record end."""

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.position += len(data)
        # Tags are counted only once the bytes since the record end could hold too many
        # (a tag takes at least one byte): counting every chunk cost ~10 µs per article.
        self._uncounted.append(data)
        since = self.position - self.record_end
        if since > MAX_RECORD_TAGS:
            self._tags += sum(chunk.count(b"<") for chunk in self._uncounted)
            self._uncounted.clear()
        if since > MAX_RECORD_BYTES or self._tags > MAX_RECORD_TAGS:
            raise RefusedInput(
                f"refused: more than {MAX_RECORD_BYTES // (1024 * 1024)} MB or"
                f" {MAX_RECORD_TAGS} tags without the end of a PubmedArticle"
            )
        return data

    def mark_record_end(self) -> None:
        self.record_end = self.position
        self._uncounted.clear()
        self._tags = 0


def sniff(head: str) -> int:
    """100 for the start of a PubMed XML document, 0 for anything else."""
    if not head.lstrip("\ufeff \t\r\n").startswith("<"):
        return 0
    return 100 if any(marker in head for marker in _SNIFF_MARKERS) else 0


def read(source: Source, options: ReadOptions) -> Iterator[Citation | Diagnostic]:
    """Every record of a PubMed XML file in order; problems come back as Diagnostics.

    UTF-8 XML with a stray byte that is not UTF-8 (a Windows-1252 letter pasted in) or a
    control character makes libxml2 stop there; the file is then read again with such bytes
    read as Windows-1252 or left out, and reported, as the text formats are, going on after
    the records already given. Good files are read once, with nothing in the way.
    """
    done = yield from _read(source, options, repair=False, skip=0)
    if done is not None:
        yield from _read(source, options, repair=True, skip=done)


def _read(
    source: Source, options: ReadOptions, *, repair: bool, skip: int
) -> Generator[Citation | Diagnostic, None, int | None]:
    """The records after the first ``skip``; the number read when a stray byte stopped a
    read without ``repair`` that ``repair`` can go on with (else None)."""
    line: int | None = None
    done = 0
    try:
        with _open_repaired(source) if repair else source.open_binary() as raw:
            stream = GuardedStream(raw)
            events = etree.iterparse(
                stream,
                events=("end",),
                tag=RECORD_TAGS,
                resolve_entities=False,
                load_dtd=False,
                no_network=True,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
            )
            for _event, element in events:
                line = line_of(element)
                done += 1
                if done > skip:
                    yield from _record(element, source.name, options)
                stream.mark_record_end()
                _forget(element)
            root = events.root
            if root is not None and etree.QName(root).localname not in ROOT_TAGS:
                yield Diagnostic(
                    source.name,
                    line_of(root),
                    "error",
                    "not-pubmed-xml",
                    f"XML whose root is <{etree.QName(root).localname}>, not a PubMed"
                    " PubmedArticleSet",
                )
    except etree.XMLSyntaxError as error:
        code: object = getattr(error, "code", None)  # lxml's stubs do not type it
        if not repair and _repairable(source, code):
            return done
        where = error.lineno or line
        bomb = "amplification" in str(error.msg)
        if bomb or (line is not None and where is not None and where < line):
            # libxml2 counts lines inside the entity it was expanding: find the reference.
            where = _entity_reference_line(source, line or 0) or where
        if bomb:
            yield Diagnostic(
                source.name,
                where,
                "error",
                "refused-input",
                "entity expansion bomb refused: an entity expands to far more text than"
                " it is written in; reading stopped here",
            )
            return None
        yield Diagnostic(
            source.name,
            where,
            "error",
            "malformed-xml",
            f"malformed or truncated XML, reading stopped here: {_message(error)}",
        )
    except RefusedInput as error:
        yield Diagnostic(source.name, line, "error", "refused-input", str(error))
    except READ_ERRORS as error:
        # gzip: a bad header, damaged data, or a cut-off stream; or the disk failing.
        yield read_failure(source.name, error, line)
    return None


_UTF8_REPAIRS = frozenset(
    {etree.ErrorTypes.ERR_INVALID_ENCODING, etree.ErrorTypes.ERR_INVALID_CHAR}
)
"""A byte that is not UTF-8, or a control character (``bibkit.io`` repairs both in UTF-8)."""
_AMPERSAND_REPAIRS = frozenset(
    {etree.ErrorTypes.ERR_ENTITYREF_SEMICOL_MISSING, etree.ErrorTypes.ERR_NAME_REQUIRED}
)
"""A bare ``&`` (``R&D``, ``A & B``), which hand-edited XML often has."""
_DECLARED_ENCODING = re.compile(rb"\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([^\"']*)")


def _encoding_kind(source: Source) -> str:
    """``utf-8`` (by BOM, declaration or default), ``wide`` (UTF-16/32: not byte-repairable)
    or ``other`` (a declared 8-bit encoding)."""
    head = source.head_bytes(256)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        return "wide"
    declared = _DECLARED_ENCODING.match(head)
    if declared is None or declared[1].strip().lower() in (b"utf-8", b"utf8"):
        return "utf-8"
    return "other"


def _repairable(source: Source, code: object) -> bool:
    """Whether reading again with :func:`_open_repaired` gets past this error: a stray byte
    or a control character only in UTF-8 (the bytes are read as Windows-1252 letters, as in
    the text formats), a bare ``&`` in any 8-bit encoding."""
    if code in _UTF8_REPAIRS:
        return _encoding_kind(source) == "utf-8"
    return code in _AMPERSAND_REPAIRS and _encoding_kind(source) != "wide"


def _open_repaired(source: Source) -> BinaryIO:
    """The input with every repair its encoding allows, each reported as it is made."""
    kind = _encoding_kind(source)
    raw = source.open_repaired_utf8() if kind == "utf-8" else source.open_binary()
    return raw if kind == "wide" else cast(BinaryIO, _BareAmpersands(raw, source))


class _BareAmpersands:
    """Bytes passed on with each ``&`` that starts no entity or character reference written
    ``&amp;``, and reported with its line; for the second read of a file that has them."""

    _BARE = re.compile(rb"&(?!(?:[A-Za-z_:][\w.:-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
    _LOOKAHEAD = 64
    """Bytes after an ``&`` that tell whether it starts a reference (names are short)."""

    def __init__(self, raw: BinaryIO, source: Source) -> None:
        self._raw = raw
        self._name = source.name
        self._report = source.report
        self._held = b""
        self._line = 1
        self._found = 0

    def read(self, size: int = -1) -> bytes:
        while True:
            chunk = self._raw.read(size if size > 0 else 1 << 16)
            data = self._held + chunk
            cut = len(data)
            if chunk:
                last = data.rfind(b"&", max(0, len(data) - self._LOOKAHEAD))
                cut = last if last >= 0 else cut
            data, self._held = data[:cut], data[cut:]
            if not chunk and self._report is not None and self._found > STRAY_BYTES_SHOWN:
                more, self._found = self._found - STRAY_BYTES_SHOWN, 0
                self._report(
                    Diagnostic(self._name, None, "warning", "bare-ampersand",
                               f"{more} more bare & read as the character &")
                )  # fmt: skip
            if data or not chunk:
                return self._repair(data)

    def _repair(self, data: bytes) -> bytes:
        if b"&" in data:
            at, line = 0, self._line
            for bare in self._BARE.finditer(data):
                line += data.count(b"\n", at, bare.start())
                at = bare.start()
                self._found += 1
                if self._report is not None and self._found <= STRAY_BYTES_SHOWN:
                    self._report(
                        Diagnostic(
                            self._name, line, "warning", "bare-ampersand",
                            "a bare & (XML writes &amp;) read as the character &",
                        )
                    )  # fmt: skip
            data = self._BARE.sub(b"&amp;", data)
        self._line += data.count(b"\n")
        return data

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> _BareAmpersands:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _message(error: etree.XMLSyntaxError) -> str:
    """libxml2's message without its position and its advice to programmers (``use
    XML_PARSE_HUGE option``), which a user of bibkit cannot follow."""
    text = str(error.msg or error)
    head, sep, _ = text.rpartition(", line ")
    return _LIBXML2_ADVICE.sub("", head if sep else text)


_LIBXML2_ADVICE = re.compile(r",? *(?:use|see) (?:XML_PARSE_HUGE|xml[A-Z]\w*)[^,]*\.?$")
_ENTITY_REFERENCE = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);)[A-Za-z_:][\w.:-]*;")
_SCAN_CHUNK = 1 << 20


def _entity_reference_line(source: Source, after: int) -> int | None:
    """The line of the first entity reference in the document body past line ``after`` (the
    last record read): where an expansion went wrong, which libxml2 reports as a line of the
    entity's own text. Only read after a failure, a megabyte at a time."""
    line, carry, body = 1, b"", False
    try:
        with source.open_binary() as raw:
            while True:
                chunk = raw.read(_SCAN_CHUNK)
                data = carry + chunk
                # What could be cut at the end (a reference, the root tag) waits for more.
                searched = data if not chunk else data[: max(0, len(data) - 256)]
                carry = data[len(searched) :]
                start = 0
                if not body:  # the DTD's own entity declarations hold references too
                    at = searched.find(b"<Pubmed")
                    body = at >= 0
                    start = at if body else len(searched)
                    line += searched.count(b"\n", 0, start)
                if line <= after:
                    lines = searched.count(b"\n", start)
                    if line + lines <= after:
                        line, start = line + lines, len(searched)
                    while line <= after and start < len(searched):
                        start = searched.index(b"\n", start) + 1
                        line += 1
                if line > after:
                    found = _ENTITY_REFERENCE.search(searched, start)
                    if found is not None:
                        return line + searched.count(b"\n", start, found.start())
                line += searched.count(b"\n", start)
                if not chunk:
                    return None
    except READ_ERRORS:
        return None


def line_of(element: etree._Element) -> int | None:
    """The line an element starts on (lxml's stubs do not type ``sourceline``)."""
    line: object = element.sourceline
    return line if isinstance(line, int) else None


def _forget(element: etree._Element) -> None:
    """Free a converted record and the already converted ones before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _record(
    element: etree._Element, path: str, options: ReadOptions
) -> Iterator[Citation | Diagnostic]:
    line = line_of(element)
    problems: list[Diagnostic] = []

    def warn(code: str, message: str, field: str | None) -> None:
        severity: Severity = "error" if options.strict else "warning"
        problems.append(Diagnostic(path, line, severity, code, message, field))

    tag = element.tag
    if tag == "DeleteCitation":
        count = sum(1 for child in element if child.tag == "PMID")
        yield Diagnostic(
            path,
            line,
            "warning",
            "delete-citation-ignored",
            f"DeleteCitation lists {count} PMIDs to delete; bibkit converts records and"
            " deletes none",
        )
        return
    try:
        citation = article(element, warn) if tag == "PubmedArticle" else book(element, warn)
        citation.__dict__["provenance"] = f.build(
            Provenance, {"path": path, "line": line, "format": FORMAT}
        )
    except ValueError as error:
        # A value the model refuses (pydantic's ValidationError is a ValueError).
        yield from problems
        yield Diagnostic(path, line, "error", "bad-record", f"record skipped: {error}")
        return
    yield from problems
    if options.strict and problems:
        return
    yield citation


# -- articles -------------------------------------------------------------------------------


def article(element: etree._Element, warn: f.Warn) -> Citation:
    """A ``PubmedArticle`` (MedlineCitation + PubmedData) as a journal article."""
    values: dict[str, Any] = {"source": "PubMed"}
    keywords: list[str] = []
    relations: list[Relation] = []
    electronic = None
    short_titles: dict[str, str | None] = {}
    issn: list[str] = []
    linking_issn: str | None = None
    for part in element:
        tag = part.tag
        if tag == "MedlineCitation":
            for child in part:
                tag = child.tag
                if tag == "PMID":
                    values["PMID"] = f.plain(child)
                elif tag == "Article":
                    electronic = _article_body(child, values, keywords, relations, issn,
                                               short_titles, warn)  # fmt: skip
                elif tag == "MedlineJournalInfo":
                    short_titles["MedlineTA"] = f.plain(child.find("MedlineTA"))
                    linking_issn = f.plain(child.find("ISSNLinking"))
                elif tag == "ChemicalList":
                    values["chemicals"] = f.chemicals(child)
                elif tag == "MeshHeadingList":
                    values["mesh"] = f.mesh(child)
                elif tag == "KeywordList":
                    keywords.extend(f.texts(child, "Keyword"))
                elif tag == "CommentsCorrectionsList":
                    relations.extend(f.comments_corrections(child, warn))
                elif tag == "InvestigatorList":
                    values["investigators"] = f.people(child, warn)
                elif tag == "CoiStatement":
                    values["conflict_of_interest"] = f.plain(child)
        elif tag == "PubmedData":
            electronic = _pubmed_data(part, values, relations, electronic, warn)
    values["container_title_short"] = short_titles.get("MedlineTA") or short_titles.get(
        "ISOAbbreviation"
    )
    if linking_issn and linking_issn not in issn:
        issn.append(linking_issn)
    return _finish(values, keywords, relations, issn, electronic)


def _article_body(
    article: etree._Element,
    values: dict[str, Any],
    keywords: list[str],
    relations: list[Relation],
    issn: list[str],
    short_titles: dict[str, str | None],
    warn: f.Warn,
) -> Any:
    """The ``Article`` element: journal, title, pages, authors ...; returns the epub date."""
    electronic = None
    locations: dict[str, str] = {}
    for child in article:
        tag = child.tag
        if tag == "Journal":
            _journal(child, values, issn, short_titles, warn)
        elif tag == "ArticleTitle":
            values["title"] = f.drop_final_period(f.rich(child, warn))
        elif tag == "VernacularTitle":
            values["original_title"] = f.drop_final_period(f.rich(child, warn))
        elif tag == "Pagination":
            values["page"] = f.pages(child)
        elif tag == "ELocationID":
            kind = child.get("EIdType")
            text = f.plain(child)
            if kind and text and child.get("ValidYN") != "N":
                locations.setdefault(kind, text)
        elif tag == "Abstract":
            values["abstract"] = f.abstract(child, warn)
        elif tag == "AuthorList":
            key = "editor" if child.get("Type") == "editors" else "author"
            values[key] = f.people(child, warn)
        elif tag == "Language":
            values.setdefault("language", f.plain(child))
        elif tag == "GrantList":
            values["grants"] = f.grants(child)
        elif tag == "PublicationTypeList":
            values["publication_types"] = f.texts(child, "PublicationType")
        elif tag == "ArticleDate":
            if child.get("DateType", "Electronic") == "Electronic" and electronic is None:
                electronic = f.date(child, warn, "available_date")
        elif tag == "DataBankList":
            relations.extend(f.data_banks(child))
    if "doi" in locations:
        values["DOI"] = locations["doi"]
    if "pii" in locations:
        values["PII"] = locations["pii"]
        if not values.get("page"):
            values["page"] = f.e_locator(locations["pii"])
    return electronic


def _journal(
    journal: etree._Element,
    values: dict[str, Any],
    issn: list[str],
    short_titles: dict[str, str | None],
    warn: f.Warn,
) -> None:
    for child in journal:
        tag = child.tag
        if tag == "ISSN":
            text = f.plain(child)
            if text and text not in issn:
                issn.append(text)
        elif tag == "JournalIssue":
            for part in child:
                if part.tag == "Volume":
                    values["volume"] = f.plain(part)
                elif part.tag == "Issue":
                    values["issue"] = f.plain(part)
                elif part.tag == "PubDate":
                    values["issued"] = f.date(part, warn, "issued")
        elif tag == "Title":
            values["container_title"] = f.plain(child)
        elif tag == "ISOAbbreviation":
            short_titles["ISOAbbreviation"] = f.plain(child)


def _pubmed_data(
    data: etree._Element,
    values: dict[str, Any],
    relations: list[Relation],
    electronic: Any,
    warn: f.Warn,
) -> Any:
    """History, status, identifiers and references; returns the epub date."""
    for child in data:
        tag = child.tag
        if tag == "History":
            if electronic is None:
                for date in child:
                    if date.get("PubStatus") == "aheadofprint":
                        electronic = f.date(date, warn, "available_date")
                        break
        elif tag == "PublicationStatus":
            if f.plain(child) == "aheadofprint":
                values["status"] = f.AHEAD_OF_PRINT
        elif tag == "ArticleIdList":
            _ids(child, values)
        elif tag == "ReferenceList":
            relations.extend(f.references(child))
    return electronic


def _ids(id_list: etree._Element, values: dict[str, Any]) -> None:
    """``ArticleIdList``: fills the identifiers not already known from the citation itself."""
    ids = f.article_ids(id_list)
    for kind, key in (("pubmed", "PMID"), ("doi", "DOI"), ("pmc", "PMCID"), ("pii", "PII"),
                      ("mid", "MID"), ("bookaccession", "archive_location")):  # fmt: skip
        if kind in ids and not values.get(key):
            values[key] = ids[kind]
    if "bookaccession" in ids:
        values["archive"] = "NCBI Bookshelf"


def _finish(
    values: dict[str, Any],
    keywords: list[str],
    relations: list[Relation],
    issn: list[str],
    electronic: Any,
) -> Citation:
    if keywords:
        values["keyword"] = list(dict.fromkeys(keywords))
    if relations:
        values["relations"] = relations
    if issn:
        values["ISSN"] = issn
    if electronic is not None:
        values["available_date"] = electronic
    if values.get("title") == f.NOT_AVAILABLE:
        values["title"] = None
    if not values.get("title") and values.get("original_title"):
        values["title"] = values["original_title"]
    return f.build(Citation, {k: v for k, v in values.items() if v is not None})


# -- books ----------------------------------------------------------------------------------


def book(element: etree._Element, warn: f.Warn) -> Citation:
    """A ``PubmedBookArticle``: a whole book, or a chapter when it has its own title."""
    values: dict[str, Any] = {"source": "PubMed"}
    keywords: list[str] = []
    relations: list[Relation] = []
    book_people: dict[str, list[Person]] = {}
    own_people: dict[str, list[Person]] = {}
    chapter_title = None
    book_title = None
    electronic = None
    for part in element:
        if part.tag == "BookDocument":
            for child in part:
                tag = child.tag
                if tag == "PMID":
                    values["PMID"] = f.plain(child)
                elif tag == "ArticleIdList":
                    _ids(child, values)
                elif tag == "Book":
                    book_title = _book(child, values, book_people, warn)
                elif tag == "LocationLabel" and child.get("Type") == "chapter":
                    values["chapter_number"] = f.plain(child)
                elif tag == "ArticleTitle":
                    chapter_title = f.drop_final_period(f.rich(child, warn))
                elif tag == "VernacularTitle":
                    values["original_title"] = f.drop_final_period(f.rich(child, warn))
                elif tag == "Pagination":
                    values["page"] = f.pages(child)
                elif tag == "Language":
                    values.setdefault("language", f.plain(child))
                elif tag == "AuthorList":
                    key = "editor" if child.get("Type") == "editors" else "author"
                    own_people[key] = f.people(child, warn)
                elif tag == "InvestigatorList":
                    values["investigators"] = f.people(child, warn)
                elif tag == "PublicationType":
                    values.setdefault("publication_types", []).append(f.plain(child))
                elif tag == "Abstract":
                    values["abstract"] = f.abstract(child, warn)
                elif tag == "KeywordList":
                    keywords.extend(f.texts(child, "Keyword"))
                elif tag == "GrantList":
                    values["grants"] = f.grants(child)
                elif tag == "ReferenceList":
                    relations.extend(f.references(child))
        elif part.tag == "PubmedBookData":
            electronic = _pubmed_data(part, values, relations, electronic, warn)
    if "publication_types" in values:
        values["publication_types"] = [t for t in dict.fromkeys(values["publication_types"]) if t]
    if chapter_title:
        values.update(type="chapter", title=chapter_title, container_title=book_title)
        values["author"] = own_people.get("author") or book_people.get("author", [])
    else:
        values.update(type="book", title=book_title)
        values["author"] = own_people.get("author") or book_people.get("author", [])
    values["editor"] = own_people.get("editor") or book_people.get("editor", [])
    return _finish(values, keywords, relations, [], electronic)


def _book(
    book: etree._Element,
    values: dict[str, Any],
    book_people: dict[str, list[Person]],
    warn: f.Warn,
) -> str | None:
    """The ``Book`` element: publisher, dates, volume, edition ...; returns the book title."""
    title = None
    for child in book:
        tag = child.tag
        if tag == "Publisher":
            values["publisher"] = f.plain(child.find("PublisherName"))
            values["publisher_place"] = f.plain(child.find("PublisherLocation"))
        elif tag == "BookTitle":
            title = f.drop_final_period(f.rich(child, warn))
        elif tag == "PubDate":
            values["issued"] = f.date(child, warn, "issued")
        elif tag == "AuthorList":
            key = "editor" if child.get("Type") == "editors" else "author"
            book_people[key] = f.people(child, warn)
        elif tag == "Volume":
            values["volume"] = f.plain(child)
        elif tag == "Edition":
            values["edition"] = f.plain(child)
        elif tag == "CollectionTitle":
            values["collection_title"] = f.rich(child, warn)
        elif tag == "Isbn":
            values.setdefault("ISBN", f.plain(child))
        elif tag == "ReportNumber":
            values["number"] = f.plain(child)
    return title
