"""Pass one of a large PubMed XML conversion: each record's PMID and DOI, without parsing it all.

Parsing a whole baseline file costs as much as reading it, and pass one only looks for twins.
So each record's bytes are cut out of the stream, reduced to the elements its PMID and DOI come
from (the record's first ``PMID``, the ``ELocationID`` elements, and the ``ArticleIdList`` of
the document and of ``PubmedData``), and that small document goes through the reader's own
``article`` / ``book``: the identifiers are the reader's, read from a tenth of the bytes.

A record this cannot reduce is parsed whole. Cutting bytes is only safe where the reader
reads the same records, so markup the cut could misread (comments, CDATA, a DTD of the
document's own, a default namespace, processing instructions such as a second document's
declaration, a record inside a record) hands pass one to the reader itself, which stops where
pass two stops. The stream is not checked for well-formedness: that would cost more than
the scan itself. After malformed XML in the middle of a file (``R&D`` unescaped, a tag left
open), where the reader stops with an error, pass one may still count the records behind it;
their twins before it are then written at the end of the output instead of where the last of
them stood. The guards against gzip bombs and records that never end are the reader's.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from lxml import etree

from bibkit.io import READ_ERRORS, Source
from bibkit.model import Citation
from bibkit.readers import pubmed_xml
from bibkit.registry import ReadOptions

BLOCK_BYTES = 1 << 20

_RECORD_START = re.compile(rb"<(PubmedArticle|PubmedBookArticle|DeleteCitation)[\s/>]")
_PMID = re.compile(rb"<PMID[\s>].*?</PMID>", re.DOTALL)
_ID_LIST = re.compile(rb"<ArticleIdList[\s>].*?</ArticleIdList>", re.DOTALL)
_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")
_UNCUTTABLE = re.compile(rb"<!--|<!\[CDATA\[|<!DOCTYPE[^>]*\[|\sxmlns\s*=|<\?")
"""Markup that can hide or fake a record's tags, or take records from the reader (a record in
a default namespace is not a ``PubmedArticle`` to it, and the reader stops at a second
document's declaration)."""
_WIDE = (b"\xff\xfe", b"\xfe\xff", b"\x00")
"""How UTF-16 and UTF-32 input starts: not ASCII-compatible, so not cut by byte patterns."""

_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def identities(source: Source) -> Iterator[tuple[str | None, str | None]]:
    """``(PMID, DOI)`` of each record ``pubmed_xml.read`` yields, in order."""
    done = 0
    try:
        with source.open_binary() as raw:
            stream = pubmed_xml.GuardedStream(raw)
            head = stream.read(BLOCK_BYTES)
            if head.startswith(_WIDE) or b"\x00" in head[:64]:
                yield from _read_whole(source)
                return
            declaration = _DECLARATION.match(head.lstrip())
            prefix = declaration[0] if declaration else b""
            for name, record in _records(stream, head):
                found = _identity(name, record, prefix)
                if found is not None:
                    done += 1
                    yield found
    except (*READ_ERRORS, pubmed_xml.RefusedInput, _Unscannable):
        # A cut or damaged gzip, a bomb, markup the cut could misread: where the reader
        # stops, and what it reads, is the reader's to say.
        yield from itertools.islice(_read_whole(source), done, None)


class _Unscannable(Exception):
    """Input whose records are not safely cut out as bytes: the reader reads the rest."""


def _read_whole(source: Source) -> Iterator[tuple[str | None, str | None]]:
    for item in pubmed_xml.read(source, ReadOptions()):
        if isinstance(item, Citation):
            yield item.PMID, item.DOI


def _records(stream: pubmed_xml.GuardedStream, data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """``(element name, bytes)`` of each record, the stream read a block at a time."""
    body = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    declared = _DECLARATION.match(body)
    if body.startswith(b"<?") and declared is None:
        raise _Unscannable("a broken XML declaration")
    _check_cuttable(data, len(data) - len(body) + (declared.end() if declared else 0))
    at = 0
    ended = False
    following: re.Match[bytes] | None = None
    while True:
        start = following if following is not None else _RECORD_START.search(data, at)
        following = None
        closing = -1 if start is None else data.find(b">", start.end() - 1)
        if start is not None and closing > 0 and data[closing - 1] == 0x2F:  # ``/>``
            # An empty record (``<PubmedArticle />``): its end tag is not to be looked for,
            # it would be the next record's.
            yield start[1], data[start.start() : closing + 1]
            at, ended = closing + 1, True
            continue
        if start is not None:
            name = start[1]
            end = data.find(b"</" + name + b">", start.end())
            if end >= 0:
                following = _RECORD_START.search(data, start.end())
                if following is not None and following.start() < end:
                    # The reader gives the inner record first, the outer one after.
                    raise _Unscannable("a record inside a record")
                end += len(name) + 3
                yield name, data[start.start() : end]
                at, ended = end, True
                continue
        if ended:  # the guard counts the bytes since the last record's end
            stream.mark_record_end()
            ended = False
        more = stream.read(BLOCK_BYTES)
        if not more:
            return
        keep = start.start() if start is not None else max(at, len(data) - 32)
        seam = len(data) - keep
        data = data[keep:] + more
        _check_cuttable(data, max(0, seam - 16))
        at = 0


def _check_cuttable(data: bytes, start: int) -> None:
    # Looking for the rare bytes first keeps the pattern off ordinary blocks; a one-byte
    # search is far faster than one for "<!", whose "<" starts every tag.
    rare = _after_angle(data, start, b"!") or _after_angle(data, start, b"?")
    if (rare or data.find(b"xmlns", start) >= 0) and _UNCUTTABLE.search(data, start):
        raise _Unscannable("markup the cut could misread")


def _after_angle(data: bytes, start: int, byte: bytes) -> bool:
    """Whether ``<`` followed by ``byte`` occurs in ``data`` from ``start``."""
    at = data.find(byte, start + 1)
    while at >= 0:
        if data[at - 1] == 0x3C:  # "<"
            return True
        at = data.find(byte, at + 1)
    return False


def _identity(name: bytes, record: bytes, prefix: bytes) -> tuple[str | None, str | None] | None:
    """The record's identifiers; None for what the reader leaves out (a DeleteCitation, a
    record the model refuses)."""
    if name == b"DeleteCitation":
        return None
    parsed = False
    for document in (_reduced(name, record), record):
        try:
            element = etree.fromstring(prefix + document, _PARSER)
            parsed = True
            citation = (pubmed_xml.article if name == b"PubmedArticle" else pubmed_xml.book)(
                element, _ignore
            )
        except (etree.XMLSyntaxError, ValueError):
            continue
        return citation.PMID, citation.DOI
    if not parsed:
        raise _Unscannable("record not parsed alone")
    return None


def _reduced(name: bytes, record: bytes) -> bytes:
    """The record with only what its PMID and DOI come from, nested as the reader walks it."""
    pmid = _PMID.search(record)
    own = pmid[0] if pmid else b""
    if name == b"PubmedArticle":
        data_at = record.find(b"<PubmedData")
        head = record if data_at < 0 else record[:data_at]
        locations = b"".join(_elements(head, b"ELocationID"))
        data = b"" if data_at < 0 else record[data_at:]
        references = data.find(b"<ReferenceList")
        if references >= 0 and _ID_LIST.search(data, data.rfind(b"</ReferenceList>")):
            return record  # identifiers after the references: the record is parsed whole
        # Every ArticleIdList of PubmedData (the reader fills from each), none of a reference.
        own_end = references if references >= 0 else len(data)
        ids = b"".join(found[0] for found in _ID_LIST.finditer(data, 0, own_end))
        return (
            b"<PubmedArticle><MedlineCitation>" + own + b"<Article>" + locations
            + b"</Article></MedlineCitation><PubmedData>" + ids
            + b"</PubmedData></PubmedArticle>"
        )  # fmt: skip
    data_at = record.find(b"<PubmedBookData")
    head = record if data_at < 0 else record[:data_at]
    first = _ID_LIST.search(head)
    references = head.find(b"<ReferenceList")
    if first is not None and 0 <= references < first.start():
        first = None  # a reference's identifiers, not the document's
    book_ids = _ID_LIST.search(record, data_at) if data_at >= 0 else None
    return (
        b"<PubmedBookArticle><BookDocument>" + own + (first[0] if first else b"")
        + b"</BookDocument><PubmedBookData>" + (book_ids[0] if book_ids else b"")
        + b"</PubmedBookData></PubmedBookArticle>"
    )  # fmt: skip


def _elements(data: bytes, name: bytes) -> Iterator[bytes]:
    """Every ``name`` element of ``data``, as written."""
    opening, closing = b"<" + name, b"</" + name + b">"
    at = data.find(opening)
    while at >= 0:
        end = data.find(closing, at)
        if end < 0:
            return
        end += len(closing)
        if data[at + len(opening) : at + len(opening) + 1] in (b">", b" ", b"\t", b"\n", b"\r"):
            yield data[at:end]
        at = data.find(opening, end)


def _ignore(code: str, message: str, field: str | None) -> None:
    """Problems are reported when the record is read, in pass two."""
