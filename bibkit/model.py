"""The citation model every reader produces and every writer consumes.

It is shaped like CSL-JSON (the common language of Zotero, pandoc and citation-js), so the
CSL-JSON writer is close to the identity and citeproc gets what it expects. Field names are the
CSL variable names in Python form (``container_title`` for ``container-title``). What CSL lacks
but PubMed carries (MeSH, grants, publication types, relations ...) are typed fields as well.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Season = Literal[1, 2, 3, 4]
"""CSL season numbers: 1 spring, 2 summer, 3 autumn, 4 winter."""


class _Strict(BaseModel):
    """Unknown keys are a bug in a reader, so they are refused rather than kept silently."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Person(_Strict):
    """A name split the way CSL splits it; a collective author has only ``literal``."""

    family: str | None = None
    given: str | None = None
    suffix: str | None = None
    dropping_particle: str | None = None
    non_dropping_particle: str | None = None
    literal: str | None = None
    initials: str | None = None
    """Initials as the source states them (MEDLINE ``AU``), without periods: ``"JM"``."""
    affiliations: list[str] = Field(default_factory=list)
    orcid: str | None = None
    """Bare ORCID iD, ``0000-0002-1825-0097``."""

    @property
    def is_collective(self) -> bool:
        return self.literal is not None and self.family is None

    def display(self) -> str:
        """``Given Family`` for messages and keys, never for output formats."""
        if self.literal:
            return self.literal
        parts = [
            self.given,
            self.dropping_particle,
            self.non_dropping_particle,
            self.family,
            self.suffix,
        ]
        return " ".join(p for p in parts if p)


class PartialDate(_Strict):
    """A date known to the year, month or day, a season, a range, or only as text."""

    year: int | None = None
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    season: Season | None = None
    end: PartialDate | None = None
    """End of a range such as ``2010 Sep-Oct`` (the start is this date)."""
    literal: str | None = None
    """The date as written when it could not be parsed; ``year`` may still be set."""

    def parts(self) -> list[int]:
        """``[year, month, day]`` trimmed to what is known (CSL ``date-parts`` row)."""
        out: list[int] = []
        for value in (self.year, self.month, self.day):
            if value is None:
                break
            out.append(value)
        return out

    def iso(self) -> str | None:
        """ISO 8601 / EDTF form (``2024-04``, ``2010-09/2010-10``) or None without a year."""
        if self.year is None:
            return None
        text = "-".join(
            f"{value:04d}" if i == 0 else f"{value:02d}" for i, value in enumerate(self.parts())
        )
        if self.end is not None and self.end.year is not None:
            end_text = self.end.iso()
            if end_text and end_text != text:
                return f"{text}/{end_text}"
        return text


class Provenance(_Strict):
    """Where a record (or a field of a merged record) was read from."""

    path: str
    line: int | None = None
    format: str


class Grant(_Strict):
    id: str | None = None
    agency: str | None = None
    acronym: str | None = None
    country: str | None = None


class _Value(_Strict):
    """Never changed once made, so one instance can serve every record that has it: readers
    reuse the headings that repeat from record to record instead of validating each again."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class MeshQualifier(_Value):
    name: str
    major: bool = False
    ui: str | None = None


class MeshHeading(_Value):
    """A MeSH descriptor with its qualifiers; ``major`` marks a major topic (``*`` in MEDLINE)."""

    descriptor: str
    major: bool = False
    ui: str | None = None
    qualifiers: list[MeshQualifier] = Field(default_factory=list)


class Chemical(_Strict):
    """An entry of PubMed's "Substances" list."""

    name: str
    registry_number: str | None = None


class RelationKind(StrEnum):
    SIMILAR = "similar"
    CITED_BY = "cited-by"
    REFERENCES = "references"
    COMMENT_IN = "comment-in"
    COMMENT_ON = "comment-on"
    ERRATUM_IN = "erratum-in"
    ERRATUM_FOR = "erratum-for"
    RETRACTION_IN = "retraction-in"
    RETRACTION_OF = "retraction-of"
    UPDATE_IN = "update-in"
    UPDATE_OF = "update-of"
    REPUBLISHED_IN = "republished-in"
    REPUBLISHED_FROM = "republished-from"
    EXPRESSION_OF_CONCERN_IN = "expression-of-concern-in"
    EXPRESSION_OF_CONCERN_FOR = "expression-of-concern-for"
    ASSOCIATED_DATA = "associated-data"


class Relation(_Strict):
    """A link from a record to another work (PubMed's similar / cited-by / comment lists ...).

    ``citation`` holds whatever could be parsed of the other work; ``text`` keeps the entry as
    the source wrote it, so nothing is lost when parsing was partial.
    """

    kind: RelationKind
    citation: Citation
    text: str | None = None


class Citation(_Strict):
    """One bibliographic record."""

    id: str | None = None
    """Citation key; assigned by the pipeline when a reader has none."""
    type: str = "article-journal"
    """CSL item type."""

    title: str | None = None
    """May hold CSL rich-text markup: ``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<sc>``."""
    title_short: str | None = None
    original_title: str | None = None
    """Title in the original language (PubMed ``VernacularTitle`` / MEDLINE ``TT``)."""

    author: list[Person] = Field(default_factory=list)
    editor: list[Person] = Field(default_factory=list)
    investigators: list[Person] = Field(default_factory=list)
    """Collaborators listed apart from the authors (MEDLINE ``IR``/``FIR``)."""

    container_title: str | None = None
    container_title_short: str | None = None
    collection_title: str | None = None
    publisher: str | None = None
    publisher_place: str | None = None
    edition: str | None = None
    chapter_number: str | None = None
    number: str | None = None
    """Report, standard or patent number (CSL ``number``)."""
    genre: str | None = None
    """Kind of work within its type: ``PhD thesis``, ``Technical report`` (CSL ``genre``)."""
    event_title: str | None = None
    """Conference or event a paper was given at (CSL ``event-title``)."""
    event_place: str | None = None
    version: str | None = None
    """Version of a dataset or software."""
    source: str | None = None
    """Database the record came from (Zotero's "Library Catalog": ``PubMed``)."""
    archive: str | None = None
    archive_location: str | None = None
    """Accession number or location within the archive (RIS ``AN``)."""

    issued: PartialDate | None = None
    """The issue (print) date."""
    available_date: PartialDate | None = None
    """The electronic publication date (PubMed "Epub")."""
    accessed: PartialDate | None = None
    """When an online resource was consulted (web pages, datasets)."""

    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    """Page range with full numbers (``1065-1080``) or an e-locator (``e202400410``)."""
    number_of_pages: str | None = None

    DOI: str | None = None
    PMID: str | None = None
    PMCID: str | None = None
    ISSN: list[str] = Field(default_factory=list)
    ISBN: str | None = None
    URL: str | None = None
    PII: str | None = None
    MID: str | None = None
    """NIH manuscript id (``NIHMS…``)."""

    language: str | None = None
    abstract: str | None = None
    """Structured abstracts keep their labels: ``BACKGROUND: …`` paragraphs joined by newlines."""
    keyword: list[str] = Field(default_factory=list)
    note: str | None = None
    status: str | None = None
    """Publication status: ``ahead-of-print`` for PubMed's online-ahead-of-print records."""

    conflict_of_interest: str | None = None
    mesh: list[MeshHeading] = Field(default_factory=list)
    chemicals: list[Chemical] = Field(default_factory=list)
    grants: list[Grant] = Field(default_factory=list)
    publication_types: list[str] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)

    provenance: Provenance | None = None
    field_sources: dict[str, list[Provenance]] = Field(default_factory=dict)
    """For a record merged from several inputs: the inputs each field's value came from (one,
    or several for a list united from the items of several)."""
    merged_from: list[Provenance] = Field(default_factory=list)
    """For a record merged from several inputs: each of them, in input order, also those that
    added nothing new (``--explain`` lists them)."""

    def related(self, kind: RelationKind | None = None) -> list[Citation]:
        return [r.citation for r in self.relations if kind is None or r.kind == kind]


Relation.model_rebuild()
PartialDate.model_rebuild()
