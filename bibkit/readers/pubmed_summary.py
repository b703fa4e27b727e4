"""PubMed's one-line summary of an article, as its pages list similar / citing / cited works.

``Title.Journal. 2024 Nov 18;19(22):e202400410. doi: 10.1002/cmdc.202400410. Epub 2024 Sep 12.
ChemMedChem. 2024. PMID: 39264862 Review.``

The title is glued to the journal abbreviation, and a title may itself hold periods ("U.S.",
"PM2.5", "vs."), so the title's end cannot be found by looking for a period. PubMed repeats the
journal abbreviation verbatim in the ``Journal. Year. PMID:`` tail, so the tail names the
abbreviation, and its first earlier occurrence marks where the title ends. The same details
grammar (``Date;Volume(Issue):Pages. doi: … . Epub …``) is the journal line of a page's main
article, so it lives here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bibkit.dates import parse_pubmed_date
from bibkit.model import Citation, PartialDate
from bibkit.pages import expand_range

AHEAD_OF_PRINT = "ahead-of-print"
MAX_ENTRY_LENGTH = 4000
"""Longer "entries" are no summaries; they get the cheap fallback so reading stays linear."""
MAX_JOURNAL_PARTS = 8
"""A journal abbreviation is a few words: only the last boundaries before the tail are tried."""

_TAIL = re.compile(r"\.\s+(?P<year>\d{4})\.?\s+PMID:\s*(?P<pmid>\d+)\.?(?P<after>.*)$")
_CITATION = re.compile(
    r"^(?P<date>\d{4}\b[^;:]*?)?"
    r"(?:;\s*(?P<volume>[^():;]*?)\s*(?:\((?P<issue>[^()]*)\))?)?"
    r"(?::\s*(?P<page>.+?))?"
    r"(?:\.(?=\s|$)|$)"
)
_DOI = re.compile(r"\bdoi:\s*(?P<doi>10\.\S+?)\.?(?=\s|$)", re.IGNORECASE)
_SENTENCE = re.compile(r"\s*(?P<text>.+?)(?:\.(?=\s|$)|$)")
_EPUB = re.compile(r"^Epub\s+(?P<date>\d{4}\b.*)$")
_GLUED_JOURNAL = re.compile(r"(?<=[.?!\]])(?P<journal>[^\s.][^.]*?)\.\s+(?=\d{4}\b)")
_AHEAD = re.compile(r"^(?:Online|Epub) ahead of print$", re.IGNORECASE)
_BADGES = re.compile(r"^(?:Free (?:PMC )?article|No abstract available)$", re.IGNORECASE)
LANGUAGES: dict[str, str] = {
    "chinese": "zh",
    "danish": "da",
    "dutch": "nl",
    "english": "en",
    "french": "fr",
    "german": "de",
    "hungarian": "hu",
    "italian": "it",
    "japanese": "ja",
    "korean": "ko",
    "norwegian": "no",
    "polish": "pl",
    "portuguese": "pt",
    "russian": "ru",
    "spanish": "es",
    "swedish": "sv",
    "turkish": "tr",
}
"""PubMed names an article's language after the PMID (``… PMID: 123 Review. German.``)."""
_TITLE_KEEPS_PERIOD = re.compile(
    r"(?:\b[A-Za-z]\.[A-Za-z]\.|\b(?:vs|etc|al|Inc|Ltd|Co|Jr|Sr|No|St|Dr|spp|sp)\.)$"
)
"""A title ending in an abbreviation ("… in the U.S.") keeps its final period."""


@dataclass
class Details:
    """What follows the journal name: date, volume, issue, pages, DOI, Epub, status …"""

    issued: PartialDate | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    DOI: str | None = None
    available_date: PartialDate | None = None
    status: str | None = None
    notes: list[str] = field(default_factory=list)
    """Sentences kept as said (``eCollection 2025 Jun``, anything not understood)."""

    def apply(self, citation: Citation) -> None:
        """Fill the citation's empty fields; a field the caller already set wins."""
        for name in ("issued", "volume", "issue", "page", "DOI", "available_date", "status"):
            value = getattr(self, name)
            if value is not None and getattr(citation, name) is None:
                setattr(citation, name, value)
        if self.notes:
            citation.note = "\n".join(n for n in [citation.note, *self.notes] if n)


@dataclass
class SummaryEntry:
    citation: Citation
    complete: bool
    """False when the entry's parts could not all be told apart (truncated, another form)."""


def parse_details(text: str) -> Details:
    """``2023 Dec;31(10):1065-80. doi: 10.1080/x. Epub 2023 Nov 29.`` -> Details."""
    details = Details()
    text = text.strip()
    match = _CITATION.match(text)
    if match and match.group(0).strip(" .") and (match["date"] or match["volume"] is not None):
        if match["date"]:
            details.issued = parse_pubmed_date(match["date"])
        details.volume = _clean(match["volume"])
        details.issue = _clean(match["issue"])
        if match["page"]:
            details.page = expand_pages(match["page"].strip())
        text = text[match.end() :]
    doi = _DOI.search(text)
    if doi:
        details.DOI = doi["doi"]
        text = text[: doi.start()] + text[doi.end() :]
    for sentence in _sentences(text):
        _read_sentence(sentence, details)
    return details


_LABELLED_PAGES = re.compile(r"(?P<label>(?:[A-Za-z]+ )+)(?P<pages>\d.*)")


def expand_pages(text: str) -> str:
    """PubMed's pagination in full, each of its parts too: ``12-4; author reply 14-5`` ->
    ``12-14; author reply 14-15``, ``1-10; discussion 11-2`` -> ``1-10; discussion 11-12``
    (:func:`bibkit.pages.expand_range` expands a plain range or a list of them)."""
    if ";" not in text:
        return expand_range(text)
    parts = []
    for part in text.split(";"):
        part = part.strip()
        labelled = _LABELLED_PAGES.fullmatch(part)
        if labelled is not None:
            parts.append(labelled["label"] + expand_range(labelled["pages"]))
        else:
            parts.append(expand_range(part))
    return "; ".join(parts)


_PMID_TEXT = re.compile(r"\bPMID:\s*(\d+)")
_JOURNAL = re.compile(r"(?P<journal>[^.]+?(?:\.[^ .][^.]*?)*)\.\s+(?=\d{4}\b)")


def parse_journal_citation(text: str) -> dict[str, Any]:
    """``Lancet. 2004 Oct 2;364(9441):1230-1. doi: 10.1016/x. PMID: 15464170`` as far as it
    goes: journal abbreviation, date, volume, issue, pages, DOI, PMID (as plain data).

    MEDLINE's ``SO`` and relation lines and PubMed XML's ``RefSource`` share this form, so a
    related work read from either export gets the same fields.
    """
    values: dict[str, Any] = {}
    pmid = _PMID_TEXT.search(text)
    if pmid is not None:
        values["PMID"] = pmid[1]
        text = text[: pmid.start()]
    journal = _JOURNAL.match(text)
    if journal is not None:
        values["container_title_short"] = journal["journal"].strip()
        details = parse_details(text[journal.end() :])
        for name in ("issued", "volume", "issue", "page", "DOI", "available_date"):
            found = getattr(details, name)
            if found is not None:
                values[name] = found
    return values


def _sentences(text: str) -> list[str]:
    return [m["text"].strip() for m in _SENTENCE.finditer(text) if m["text"].strip(" .")]


def _read_sentence(sentence: str, details: Details) -> None:
    if _AHEAD.match(sentence):
        details.status = AHEAD_OF_PRINT
        return
    epub = _EPUB.match(sentence)
    if epub and details.available_date is None:
        details.available_date = parse_pubmed_date(epub["date"])
        return
    details.notes.append(sentence)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def clean_title(title: str) -> str | None:
    """Drop the period PubMed ends a title with, unless it ends an abbreviation."""
    title = " ".join(title.split())
    if title.endswith(".") and not title.endswith("..") and not _TITLE_KEEPS_PERIOD.search(title):
        title = title[:-1].rstrip()
    return title or None


def parse_summary(text: str) -> SummaryEntry:
    """Parse one summary entry; what cannot be told apart stays empty (never guessed)."""
    text = " ".join(text.split())
    tail = _last_tail(text) if len(text) <= MAX_ENTRY_LENGTH else None
    if tail is not None:
        entry = _with_tail(text, tail)
        if entry is not None:
            return entry
    return _without_tail(text)


def _last_tail(text: str) -> re.Match[str] | None:
    at = text.rfind("PMID:")
    if at < 0:
        return None
    return _TAIL.search(text, max(0, at - 12))


def _boundaries(text: str) -> list[int]:
    """Where a journal name could start: after ``. `` or glued right after ``.?!]``."""
    out = [0]
    for i in range(1, len(text)):
        spaced = text[i - 1] == " " and i >= 2 and text[i - 2] in ".?!]" and text[i] != " "
        glued = text[i - 1] in ".?!]" and text[i] not in " ."
        if spaced or glued:
            out.append(i)
    return out


def _with_tail(text: str, tail: re.Match[str]) -> SummaryEntry | None:
    head = text[: tail.start()]
    after = tail["after"]
    # A journal abbreviation spans a few words at most: looking further back only costs time.
    candidates = [i for i in _boundaries(head) if i > 0][-MAX_JOURNAL_PARTS:]
    journal: str | None = None
    where: int | None = None
    details_text = ""
    for start in reversed(candidates):  # shortest first; keep the longest that repeats
        name = head[start:].strip()
        spot = _first_occurrence(head[:start], name) if name else None
        if spot is not None:
            journal, where = name, spot
            details_text = head[spot + len(name) : start].lstrip(" .")
    if journal is None or where is None:
        # Nothing repeated: "Title.Journal. 2024. PMID: …" (no details), the journal glued.
        glued = [i for i in candidates if head[i - 1] in ".?!]"]
        if not glued:
            return None
        where = glued[-1]
        journal = head[where:].strip()
    citation = Citation(
        title=clean_title(text[:where]),
        container_title_short=journal,
        PMID=tail["pmid"],
    )
    details = parse_details(details_text)
    if details.issued is None:
        details.issued = PartialDate(year=int(tail["year"]))
    details.apply(citation)
    _read_after_pmid(after, citation)
    return SummaryEntry(citation=citation, complete=citation.title is not None)


def _first_occurrence(text: str, name: str) -> int | None:
    """Index of ``name`` followed by ``. `` that starts right after the title (glued or not)."""
    best: int | None = None
    for match in re.finditer(re.escape(name) + r"(?=\.(?:\s|$))", text):
        i = match.start()
        if i == 0:
            continue
        glued = text[i - 1] in ".?!]"
        spaced = text[i - 1] == " " and i >= 2 and text[i - 2] in ".?!]"
        if not (glued or spaced):
            continue
        dated = re.match(r"\.\s+(?:\d{4}\b|doi:)", text[match.end() :])
        if glued and dated:
            return i
        if best is None:
            best = i
    return best


def _read_after_pmid(after: str, citation: Citation) -> None:
    """``Free PMC article. Review. German.`` in any order: publication types and language."""
    types = list(citation.publication_types)
    for sentence in _sentences(after):
        if _BADGES.match(sentence):
            continue  # a badge of the page (full text is free, no abstract), not of the work
        if sentence.lower() in LANGUAGES:
            citation.language = LANGUAGES[sentence.lower()]
        elif _AHEAD.match(sentence):
            citation.status = AHEAD_OF_PRINT
        elif sentence not in types:
            types.append(sentence)
    citation.publication_types = types


def _without_tail(text: str) -> SummaryEntry:
    """No ``Journal. Year. PMID:`` tail: take the first glued ``Journal. Year`` if there is one."""
    match = _GLUED_JOURNAL.search(text)
    citation = Citation()
    if match is not None:
        citation.title = clean_title(text[: match.start()])
        citation.container_title_short = match["journal"].strip()
        details = parse_details(text[match.end() :])
        details.notes = [n for n in details.notes if not n.startswith("PMID:")]
        details.apply(citation)
    else:
        doi = _DOI.search(text)
        if doi:
            citation.DOI = doi["doi"]
    pmid = re.search(r"\bPMID:\s*(\d+)", text)
    if pmid:
        citation.PMID = pmid[1]
    return SummaryEntry(citation=citation, complete=False)
