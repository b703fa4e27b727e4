"""MEDLINE (.nbib) tag tables, shared by the MEDLINE reader and any MEDLINE writer.

A MEDLINE record is a list of ``TAG - value`` lines (PubMed's "Citation manager" export). The
tables say what each tag means for the citation model; tags whose meaning needs code (people,
dates, identifiers, MeSH ...) are listed in ``STRUCTURED_TAGS`` and read by the reader itself.
Every tag PubMed writes is in exactly one table, so an unknown tag is really unknown.
"""

from __future__ import annotations

from typing import Final

from bibkit.model import RelationKind

RECORD_TAG: Final = "PMID"
"""Every record starts with its PMID; a new ``PMID-`` line starts a new record."""

TEXT_TAGS: Final[dict[str, str]] = {
    # tag -> model field holding the tag's value as text (the first occurrence wins).
    "PMID": "PMID",
    "TT": "original_title",
    "JT": "container_title",
    "TA": "container_title_short",
    "VI": "volume",
    "IP": "issue",
    "LA": "language",
    "PMC": "PMCID",
    "MID": "MID",
    "COIS": "conflict_of_interest",
    "CTI": "collection_title",
    "EN": "edition",
    "PB": "publisher",
    "ISBN": "ISBN",
}

LIST_TAGS: Final[dict[str, str]] = {
    # tag -> list field; each line adds one entry (repeats dropped).
    "PT": "publication_types",
    "OT": "keyword",
}

RELATION_TAGS: Final[dict[str, RelationKind]] = {
    # Comments and corrections: ``Journal. Date;Volume(Issue):Pages. PMID: 123``.
    "CIN": RelationKind.COMMENT_IN,
    "CON": RelationKind.COMMENT_ON,
    "EIN": RelationKind.ERRATUM_IN,
    "EFR": RelationKind.ERRATUM_FOR,
    "RIN": RelationKind.RETRACTION_IN,
    "ROF": RelationKind.RETRACTION_OF,
    "PRIN": RelationKind.RETRACTION_IN,
    "PROF": RelationKind.RETRACTION_OF,
    "UIN": RelationKind.UPDATE_IN,
    "UOF": RelationKind.UPDATE_OF,
    "RPI": RelationKind.REPUBLISHED_IN,
    "RPF": RelationKind.REPUBLISHED_FROM,
    "CRI": RelationKind.REPUBLISHED_IN,
    "CRF": RelationKind.REPUBLISHED_FROM,
    "ECI": RelationKind.EXPRESSION_OF_CONCERN_IN,
    "ECF": RelationKind.EXPRESSION_OF_CONCERN_FOR,
}

STRUCTURED_TAGS: Final[dict[str, str]] = {
    # tag -> what it holds; read by code in bibkit.readers.medline.
    "TI": "title (the book's chapter title when BTI is present)",
    "BTI": "book title",
    "AB": "abstract; labelled parts become `LABEL: text` paragraphs",
    "CI": "copyright line, kept as the abstract's last paragraph",
    "FAU": "author, full name (`Family, Given`)",
    "AU": "author, family name and initials",
    "CN": "group author, in author order",
    "AD": "affiliation of the author before it (old records: of the first author)",
    "AUID": "author identifier (`ORCID: 0000-…`)",
    "FIR": "investigator, full name",
    "IR": "investigator, family name and initials",
    "IRAD": "affiliation of the investigator before it",
    "FED": "editor, full name",
    "ED": "editor, family name and initials",
    "IS": "ISSN, with `(Print)`, `(Electronic)` or `(Linking)`",
    "DP": "date of publication (issued)",
    "DEP": "date of electronic publication (available-date)",
    "PHST": "publication history; `[aheadofprint]` is the electronic date",
    "PST": "publication status; `aheadofprint` -> status ahead-of-print",
    "PG": "pages, abbreviated (`148-52`)",
    "LID": "location identifier: `[doi]`, `[pii]` (an e-locator when there is no PG)",
    "AID": "article identifier: `[doi]`, `[pii]`, `[bookaccession]`",
    "MH": "MeSH heading: `*Descriptor/qualifier/*qualifier`",
    "RN": "substance: `registry number (name)`",
    "GR": "grant: `id/acronym/agency/country`",
    "SI": "secondary source id (trial registry, databank): associated data",
    "GN": "general note",
    "PL": "place of publication: publisher place of a book (a journal's country otherwise)",
    "SO": "source line; fills journal, date, volume, issue and pages missing elsewhere",
}

ADMINISTRATIVE_TAGS: Final[frozenset[str]] = frozenset(
    # NLM's processing data about the record, not about the work: read and set aside.
    {
        "OWN",  # owner of the record
        "STAT",  # indexing status
        "DA",  # date created
        "DCOM",  # date completed
        "LR",  # date last revised
        "PUBM",  # publishing model
        "JID",  # NLM journal id
        "SB",  # journal subset
        "EDAT",  # Entrez date
        "MHDA",  # MeSH date
        "CRDT",  # create date
        "OTO",  # owner of the OT keywords
        "PMCR",  # PMC release date
        "DRDT",  # book: date revised
        "CTDT",  # book: contribution date
        "RF",  # number of references
        "CDAT",  # book: content date
    }
)

NOT_KEPT_TAGS: Final[dict[str, str]] = {
    # Content of the work that no model field holds; reported once per file when met.
    "OAB": "other abstract (another language)",
    "OABL": "language of the other abstract",
    "OCI": "copyright of the other abstract",
    "GS": "gene symbol",
    "NM": "supplementary concept (substance name)",
    "PS": "personal name as subject",
    "FPS": "personal name as subject (full)",
    "SFM": "space flight mission",
    "OID": "other identifier",
    "VTI": "volume title",
    "SPIN": "summary for patients in",
    "ORI": "original report in",
}

ISSN_KINDS: Final[tuple[str, ...]] = ("Print", "Electronic", "Linking")
"""All three are kept (once each): the linking ISSN is the one catalogues and Zotero match on."""

AHEAD_OF_PRINT_STATUS: Final = "aheadofprint"
"""The ``PST`` and ``PHST`` word for a record published online before its issue."""

ID_KINDS: Final[dict[str, str]] = {
    # ``[kind]`` of an LID/AID line -> model field.
    "doi": "DOI",
    "pii": "PII",
    "mid": "MID",
    "pmc": "PMCID",
    "bookaccession": "archive_location",
}
