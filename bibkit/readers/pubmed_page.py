"""Reader for the text of a PubMed article page (``pubmed-page``), saved or copied from a browser.

A dump has a header (title, ``- PMID:`` / ``- PMCID:`` / ``- DOI:`` lines, and when copied from
a browser an author block with affiliation numbers, a numbered ``Affiliations`` list and a
journal line) followed by sections under fixed headings (``Abstract``, ``Similar articles``,
``MeSH terms`` …). Any part may be missing and the page may stop anywhere, so every section is
optional and the reader reports what it could not find instead of guessing it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from bibkit.diagnostics import Diagnostic
from bibkit.io import READ_ERRORS, Source, read_failure
from bibkit.model import (
    Chemical,
    Citation,
    Grant,
    MeshHeading,
    MeshQualifier,
    Person,
    Provenance,
    Relation,
    RelationKind,
)
from bibkit.names import (
    PARTICLES,
    is_collective,
    person_from_display,
    split_affiliation,
    split_author_block,
)
from bibkit.readers.pubmed_summary import Details, parse_details, parse_summary
from bibkit.registry import ReadOptions

FORMAT = "pubmed-page"
SNIFF_SCORE = 60
SNIFF_LINES = 200
"""An id line or the page's headings show up within this many lines of the top."""

RELATION_HEADINGS: dict[str, RelationKind] = {
    "similar articles": RelationKind.SIMILAR,
    "cited by": RelationKind.CITED_BY,
    "references": RelationKind.REFERENCES,
    "comment in": RelationKind.COMMENT_IN,
    "comment on": RelationKind.COMMENT_ON,
    "erratum in": RelationKind.ERRATUM_IN,
    "erratum for": RelationKind.ERRATUM_FOR,
    "retraction in": RelationKind.RETRACTION_IN,
    "retraction of": RelationKind.RETRACTION_OF,
    "update in": RelationKind.UPDATE_IN,
    "update of": RelationKind.UPDATE_OF,
    "republished in": RelationKind.REPUBLISHED_IN,
    "republished from": RelationKind.REPUBLISHED_FROM,
    "corrected and republished in": RelationKind.REPUBLISHED_IN,
    "corrected and republished from": RelationKind.REPUBLISHED_FROM,
    "expression of concern in": RelationKind.EXPRESSION_OF_CONCERN_IN,
    "expression of concern for": RelationKind.EXPRESSION_OF_CONCERN_FOR,
    "associated data": RelationKind.ASSOCIATED_DATA,
}
TEXT_HEADINGS = {
    "abstract": "abstract",
    "conflict of interest statement": "coi",
    "affiliations": "affiliations",
    "affiliation": "affiliations",
    "keywords": "keywords",
    "publication types": "publication-types",
    "mesh terms": "mesh",
    "substances": "substances",
    "grants and funding": "grants",
}
IGNORED_HEADINGS = frozenset(
    {
        "figures",
        "linkout - more resources",
        "full text links",
        "related information",
        "supplementary info",
        "actions",
        "share",
        "page navigation",
        "similar articles and cited by",
    }
)
"""Sections whose content is page furniture (figure thumbnails, link lists), not bibliography."""

PAGE_HEADINGS = frozenset(
    {
        "similar articles",
        "cited by",
        "publication types",
        "mesh terms",
        "substances",
        "grants and funding",
        "linkout - more resources",
        "conflict of interest statement",
        "comment in",
        "erratum in",
        "associated data",
    }
)
"""Headings only a PubMed page has; "Abstract" or "References" alone could be any paper."""

BADGES = frozenset(
    {
        "review",
        "systematic review",
        "meta-analysis",
        "clinical trial",
        "randomized controlled trial",
        "observational study",
        "multicenter study",
        "comparative study",
        "case reports",
        "editorial",
        "comment",
        "letter",
        "news",
        "guideline",
        "practice guideline",
        "published erratum",
        "retracted publication",
        "retraction notice",
        "preprint",
    }
)
"""Publication types PubMed prints as a label above the title."""

COUNTRIES = frozenset(
    {
        "united states",
        "united kingdom",
        "canada",
        "china",
        "germany",
        "france",
        "japan",
        "netherlands",
        "switzerland",
        "sweden",
        "italy",
        "spain",
        "australia",
        "international",
        "belgium",
        "denmark",
        "norway",
        "finland",
        "austria",
        "ireland",
        "israel",
        "brazil",
        "india",
        "korea",
        "south korea",
        "singapore",
        "taiwan",
        "new zealand",
        "south africa",
        "european union",
    }
)
"""Countries as the last part of a PubMed grant (``…/NCI NIH HHS/United States``)."""

_ID_LINE = re.compile(r"^-?\s*(?:PMID|PMCID|DOI):", re.IGNORECASE)
_PMID = re.compile(r"\bPMID:\s*(\d+)", re.IGNORECASE)
_PMCID = re.compile(r"\bPMCID:\s*(PMC\d+)", re.IGNORECASE)
_DOI = re.compile(r"\bDOI:\s*(10\.\S+?)\.?(?=\s|$)", re.IGNORECASE)
_JOURNAL_LINE = re.compile(
    r"^(?P<journal>[^\s.\-][^.]{0,150}?)\.\s+(?P<details>\d{4}"
    r"(?:\s+[A-Za-z]{3,9}(?:-[A-Za-z]{3,9})?(?:\s+\d{1,2}(?:-\d{1,2})?)?)?(?:[;:]|\.(?=\s|$)|$).*)$"
)
_NOISE = re.compile(
    r"^(?:(?:show|see) (?:all|more|less|fewer|details)\b.*|display options.*|expand|collapse"
    r"|free (?:pmc )?article|cite|full text|item in clipboard|figures? \d+.*)$",
    re.IGNORECASE,
)
"""Page furniture a browser copies along (buttons, link labels); never bibliographic data."""
_LABEL_ONLY = re.compile(r"^[A-Z][A-Za-z0-9 ,&/()'-]{0,60}:$")
_LINK_LABELS = re.compile(r"(?:\s+-\s+(?:DOI|PubMed|PMC|Google Scholar|CAS|Free PMC article))+$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{0,7}_*$")


def sniff(head: str) -> int:
    """60 for a page dump: a ``- PMID: 123`` line or two of the page's headings near the top."""
    lines = [line.strip() for line in head.lstrip("\ufeff").splitlines()[:SNIFF_LINES]]
    first = next((line for line in lines if line), "")
    if _other_format(first):
        return 0
    return SNIFF_SCORE if _looks_like_dump(lines) else 0


def _other_format(first: str) -> bool:
    """XML, BibTeX, JSON, MEDLINE and RIS show themselves in their first line."""
    if first[:1] in {"<", "@", "{"} or re.match(r"^\[\s*(?:[\[\]{\"\d]|$)", first):
        return True
    return bool(re.match(r"^(?:PMID|TY)\s*-", first))


def _looks_like_dump(lines: list[str]) -> bool:
    if any(re.match(r"^-\s*PMID:\s*\d+", line) for line in lines):
        return True
    if any(re.match(r"^PMID:\s*\d+\s+(?:PMCID|DOI):", line) for line in lines):
        return True
    headings = {_heading_key(line) for line in lines} & PAGE_HEADINGS
    return len(headings) >= 2


def _heading_key(line: str) -> str:
    return " ".join(line.strip().rstrip(":").lower().split())


def _section_of(line: str) -> str | None:
    """The section a heading line opens, or None for an ordinary line."""
    key = _heading_key(line)
    if not key or len(key) > 40:
        return None
    if key in RELATION_HEADINGS:
        return f"relation:{key}"
    if key in TEXT_HEADINGS:
        return TEXT_HEADINGS[key]
    if key in IGNORED_HEADINGS:
        return "ignored"
    if re.fullmatch(r"cited by \d+ articles?", key):
        return "relation:cited by"
    return None


@dataclass(frozen=True)
class Line:
    number: int
    text: str


@dataclass
class Section:
    kind: str
    start: int
    lines: list[Line] = field(default_factory=list)

    def items(self) -> list[Line]:
        """List entries: a ``-`` line starts one (``- text`` or the text on the next lines).

        Without any ``-`` line (some browser copies), every line is an entry of its own.
        """
        items: list[Line] = []
        number = 0
        parts: list[str] = []
        dashed = any(line.text.startswith("-") for line in self.lines)

        def close() -> None:
            if parts:
                items.append(Line(number, " ".join(parts)))
                parts.clear()

        for line in self.lines:
            if not line.text:
                continue
            if line.text.startswith("-") or not dashed:
                close()
                rest = line.text[1:].strip() if dashed else line.text
                number = line.number if rest or not dashed else line.number + 1
                if rest:
                    parts.append(rest)
            else:
                if not parts:
                    number = line.number
                parts.append(line.text)
        close()
        return items


@dataclass
class Page:
    """The dump cut into its header and its sections, with line numbers kept."""

    header: list[Line] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    keywords: list[Line] = field(default_factory=list)
    no_abstract: bool = False

    def section(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]


def split_page(lines: list[str]) -> Page:
    page = Page()
    current: Section | None = None
    for number, raw in enumerate(lines, start=1):
        text = " ".join(raw.split())
        kind = _section_of(text)
        if kind is not None and not (kind == "keywords" and current is None):
            current = Section(kind, number)
            page.sections.append(current)
            continue
        if re.match(r"^keywords:", text, re.IGNORECASE) and _is_text_section(current):
            page.keywords.append(Line(number, text))
            continue
        if re.fullmatch(r"no abstract available\.?", text, re.IGNORECASE):
            # Said of the main article only above or in its abstract; elsewhere it is a badge.
            page.no_abstract = page.no_abstract or current is None or current.kind == "abstract"
            continue
        if _NOISE.match(text) and (current is None or current.kind not in {"abstract", "coi"}):
            continue
        if current is not None and current.kind == "affiliations" and _ID_LINE.match(text):
            current = None  # the id line after the affiliations belongs to the header again
        if current is None:
            page.header.append(Line(number, text))
        else:
            current.lines.append(Line(number, text))
    return page


def _is_text_section(section: Section | None) -> bool:
    return section is None or section.kind in {"abstract", "coi", "affiliations"}


@dataclass
class Header:
    title: str | None = None
    title_line: int | None = None
    ids: dict[str, str] = field(default_factory=dict)
    journal: str | None = None
    details: Details | None = None
    authors: Line | None = None
    badges: list[str] = field(default_factory=list)
    unknown: list[Line] = field(default_factory=list)


def read_header(lines: list[Line], affiliations_follow: bool) -> Header:
    header = Header()
    candidates: list[Line] = []
    for line in _join_journal_lines(lines):
        text = line.text
        if not text or _NOISE.match(text):
            continue
        if _ID_LINE.match(text):
            for name, pattern in (("PMID", _PMID), ("PMCID", _PMCID), ("DOI", _DOI)):
                found = pattern.search(text)
                if found and name not in header.ids:
                    header.ids[name] = found[1]
            continue
        if text.lower() in BADGES:
            header.badges.append(text)
            continue
        journal = _JOURNAL_LINE.match(text)
        if journal and header.journal is None:
            header.journal = journal["journal"].strip()
            header.details = parse_details(journal["details"])
            continue
        candidates.append(line)
    if not candidates:
        return header
    counts = Counter(c.text for c in candidates)
    title = next((c for c in candidates if counts[c.text] > 1), candidates[0])
    header.title, header.title_line = title.text, title.number
    rest = [c for c in candidates if c.text != title.text]
    after_title = next((j for j, c in enumerate(rest) if c.number > title.number), -1)
    for i, line in enumerate(rest):
        # Right after the title a plain list of names is the author block; elsewhere only a
        # list with affiliation numbers is taken for one.
        if _looks_like_authors(line.text, strong=not (i == after_title or affiliations_follow)):
            header.authors = line
            rest = rest[:i] + rest[i + 1 :]
            break
    header.unknown = rest
    return header


def _join_journal_lines(lines: list[Line]) -> list[Line]:
    """A browser splits ``Pharmaceutics`` / ``. 2024 Apr 12;16(4):531.`` / ``doi: …`` apart."""
    out: list[Line] = []
    for line in lines:
        if not line.text:
            continue
        if out and re.match(r"^\.\s*\d{4}\b", line.text):
            out[-1] = Line(out[-1].number, out[-1].text + line.text)
        elif out and line.text.lower().startswith("doi:") and _JOURNAL_LINE.match(out[-1].text):
            out[-1] = Line(out[-1].number, f"{out[-1].text} {line.text}")
        else:
            out.append(line)
    return out


def _looks_like_authors(text: str, strong: bool) -> bool:
    """A list of names; ``strong`` asks for affiliation numbers, the sure sign of authors."""
    block = split_author_block(text)
    if not block.entries or (text.endswith(".") and not block.truncated):
        return False
    if any(entry.numbers for entry in block.entries):
        return True
    if strong:
        return False
    return all(_name_like(entry.name) for entry in block.entries)


def _name_like(name: str) -> bool:
    if is_collective(name):
        return True
    words = name.split()
    return 1 <= len(words) <= 6 and all(w[0].isupper() or w in PARTICLES for w in words)


def read(source: Source, options: ReadOptions) -> Iterator[Citation | Diagnostic]:
    """One Citation for the page's main article, its related entries kept as relations."""
    try:
        with source.open_text() as handle:
            text = handle.read()
    except READ_ERRORS as error:
        yield read_failure(source.name, error)
        return
    lines = [line.strip() for line in text.split("\n")]
    if not _looks_like_dump(lines):
        yield Diagnostic(
            source.name,
            None,
            "error",
            "not-a-dump",
            "not a PubMed page dump: no '- PMID:' line and none of the page's own headings "
            "('Similar articles', 'Cited by', 'MeSH terms' …); name the format with --from",
        )
        return
    builder = _Builder(source.name)
    citation = builder.build(split_page(lines))
    problems = builder.diagnostics
    if options.strict and problems:
        for problem in problems:
            yield Diagnostic(
                problem.path, problem.line, "error", problem.code, problem.message, problem.field
            )
        return
    yield from problems
    yield citation


class _Builder:
    """Turns a split page into a Citation, collecting diagnostics on the way."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def warn(self, line: int | None, code: str, message: str, field: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, "warning", code, message, field))

    def provenance(self, line: int | None) -> Provenance:
        return Provenance(path=self.path, line=line, format=FORMAT)

    def build(self, page: Page) -> Citation:
        affiliations = self.affiliations(page)
        header = read_header(page.header, affiliations_follow=bool(page.section("affiliations")))
        first = next((line.number for line in page.header if line.text), None)
        citation = Citation(provenance=self.provenance(first or 1))
        citation.title = header.title
        citation.PMID = header.ids.get("PMID")
        citation.PMCID = header.ids.get("PMCID")
        citation.DOI = header.ids.get("DOI")
        if header.journal is not None and header.details is not None:
            citation.container_title_short = header.journal
            header.details.apply(citation)
        if header.authors is not None:
            citation.author = self.authors(header.authors, affiliations)
        for line in header.unknown:
            self.warn(
                line.number, "unrecognized-line", f"line not understood, left out: {line.text!r}"
            )
        citation.abstract = None if page.no_abstract else self.abstract(page)
        citation.keyword = self.keywords(page)
        citation.conflict_of_interest = self.joined(page, "coi")
        citation.publication_types = _unique(
            [*header.badges, *citation.publication_types, *self.entries(page, "publication-types")]
        )
        citation.mesh = _mesh([line.text for line in self.items(page, "mesh")])
        citation.chemicals = [Chemical(name=n) for n in _unique(self.entries(page, "substances"))]
        citation.grants = [_grant(line.text) for line in self.items(page, "grants")]
        citation.relations = self.relations(page)
        self.check_missing(citation)
        return citation

    def items(self, page: Page, kind: str) -> list[Line]:
        return [item for section in page.section(kind) for item in section.items()]

    def entries(self, page: Page, kind: str) -> list[str]:
        return [item.text for item in self.items(page, kind)]

    def joined(self, page: Page, kind: str) -> str | None:
        paragraphs = [line.text for s in page.section(kind) for line in s.lines if line.text]
        return "\n".join(paragraphs) or None

    def abstract(self, page: Page) -> str | None:
        """Paragraphs joined by newlines; a label alone on its line joins the paragraph after it."""
        paragraphs: list[str] = []
        label: str | None = None
        for section in page.section("abstract"):
            for line in section.lines:
                if not line.text:
                    continue
                if _LABEL_ONLY.match(line.text):
                    if label is not None:
                        paragraphs.append(label)
                    label = line.text
                    continue
                paragraphs.append(f"{label} {line.text}" if label else line.text)
                label = None
        if label is not None:
            paragraphs.append(label)
        return "\n".join(paragraphs) or None

    def keywords(self, page: Page) -> list[str]:
        words: list[str] = []
        for line in page.keywords:
            text = re.sub(r"^keywords:\s*", "", line.text, flags=re.IGNORECASE)
            words.extend(text.rstrip(".").split(";"))
        words.extend(item.rstrip(".;") for item in self.entries(page, "keywords"))
        return _unique([w.strip() for w in words if w.strip()])

    def affiliations(self, page: Page) -> list[tuple[int | None, str]]:
        found: list[tuple[int | None, str]] = []
        pending: int | None = None
        for section in page.section("affiliations"):
            for item in section.items():
                if re.fullmatch(r"\d{1,3}", item.text):
                    pending = int(item.text)
                    continue
                number, text = split_affiliation(item.text)
                found.append((number if number is not None else pending, text))
                pending = None
        return found

    def authors(self, line: Line, affiliations: list[tuple[int | None, str]]) -> list[Person]:
        block = split_author_block(line.text)
        numbered = {n: text for n, text in affiliations if n is not None}
        unnumbered = [text for n, text in affiliations if n is None]
        shared = unnumbered if len(unnumbered) == 1 and not numbered else []
        if len(unnumbered) > 1 or (unnumbered and numbered):
            self.warn(
                line.number,
                "unlinked-affiliations",
                f"{len(unnumbered)} affiliations carry no number, so no author is linked to them",
                "author",
            )
        people: list[Person] = []
        for entry in block.entries:
            missing = [n for n in entry.numbers if n not in numbered]
            if missing:
                self.warn(
                    line.number,
                    "unknown-affiliation",
                    f"{entry.name}: affiliation {', '.join(map(str, missing))} is not listed",
                    "author",
                )
            texts = [numbered[n] for n in entry.numbers if n in numbered] or list(shared)
            people.append(person_from_display(entry.name, texts))
        if block.truncated:
            self.warn(
                line.number,
                "truncated-authors",
                f"the author list is cut short ('…'); only {len(people)} authors are on the page",
                "author",
            )
        return people

    def relations(self, page: Page) -> list[Relation]:
        relations: list[Relation] = []
        for section in page.sections:
            if not section.kind.startswith("relation:"):
                continue
            kind = RELATION_HEADINGS[section.kind.removeprefix("relation:")]
            partial: list[int] = []
            for item in section.items():
                relation = self.relation(kind, item)
                if relation is None:
                    self.warn(
                        item.number,
                        "unparsed-entry",
                        f"{kind.value} entry not understood, left out: {item.text!r}",
                    )
                    continue
                if not _complete(relation.citation):
                    partial.append(item.number)
                relations.append(relation)
            if partial:
                where = ", ".join(map(str, partial[:5])) + (" …" if len(partial) > 5 else "")
                self.warn(
                    partial[0],
                    "partial-entry",
                    f"{len(partial)} {kind.value} entries only partly understood "
                    f"(lines {where}); their text is kept in the relation",
                )
        return relations

    def relation(self, kind: RelationKind, item: Line) -> Relation | None:
        text = _LINK_LABELS.sub("", item.text).strip()
        entry = parse_summary(text)
        citation = entry.citation
        if kind is RelationKind.ASSOCIATED_DATA and not entry.complete:
            citation = _dataset(text)
        if not (citation.title or citation.PMID or citation.DOI):
            return None
        citation.provenance = self.provenance(item.number)
        return Relation(kind=kind, citation=citation, text=item.text)

    def check_missing(self, citation: Citation) -> None:
        line = citation.provenance.line if citation.provenance else None
        wanted = (
            ("author", not citation.author, "no authors"),
            ("container_title", not citation.container_title_short, "no journal"),
            ("issued", not (citation.issued and citation.issued.year), "no publication year"),
            ("title", not citation.title, "no title"),
        )
        for name, missing, what in wanted:
            if missing:
                self.warn(line, "missing-field", f"the page states {what}; left empty", name)


def _complete(citation: Citation) -> bool:
    return bool(citation.title and (citation.PMID or citation.DOI or citation.type == "dataset"))


def _dataset(text: str) -> Citation:
    """``ClinicalTrials.gov/NCT04280705`` -> a dataset record: repository and accession."""
    repository, slash, accession = text.partition("/")
    if not slash or not accession.strip():
        return Citation(type="dataset", title=text.strip() or None)
    accession = accession.strip()
    doi = accession if accession.startswith("10.") else None
    return Citation(type="dataset", title=accession, publisher=repository.strip(), DOI=doi)


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        value = value.strip()
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return out


def _mesh(entries: list[str]) -> list[MeshHeading]:
    """``Neoplasms / drug therapy*`` -> descriptor + qualifiers; ``*`` marks a major topic.

    PubMed prints one line per descriptor/qualifier pair; lines of one descriptor are merged.
    """
    majors: dict[str, bool] = {}
    qualifiers: dict[str, dict[str, bool]] = {}
    for entry in entries:
        parts = [p for p in re.split(r"\s*/\s*", entry) if p.strip(" *")]
        if not parts:
            continue
        descriptor, major = _starred(parts[0])
        majors[descriptor] = majors.get(descriptor, False) or major
        known = qualifiers.setdefault(descriptor, {})
        for part in parts[1:]:
            name, q_major = _starred(part)
            known[name] = known.get(name, False) or q_major
    return [
        MeshHeading(
            descriptor=descriptor,
            major=major,
            qualifiers=[MeshQualifier(name=n, major=m) for n, m in qualifiers[descriptor].items()],
        )
        for descriptor, major in majors.items()
    ]


def _starred(text: str) -> tuple[str, bool]:
    text = text.strip()
    major = text.startswith("*") or text.endswith("*")
    return text.strip("* ").strip(), major


def _grant(text: str) -> Grant:
    """``id/acronym/agency/country``, read from the right: ids may hold slashes (``MR/K0/1``)."""
    parts = [p.strip() for p in text.split("/")]
    country = parts.pop() if len(parts) > 1 and parts[-1].lower() in COUNTRIES else None
    agency: str | None = None
    if (parts and not _id_like(parts[-1])) or len(parts) > 1:
        agency = parts.pop() or None
    acronym: str | None = None
    if len(parts) > 1 and _ACRONYM.match(parts[-1]):
        acronym = parts.pop().rstrip("_")
    grant_id = "/".join(parts).strip() or None
    return Grant(id=grant_id, agency=agency, acronym=acronym, country=country)


def _id_like(text: str) -> bool:
    return bool(re.search(r"\d", text)) and " " not in text.strip()
