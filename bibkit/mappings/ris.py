"""RIS tag tables, shared by the RIS reader and writer.

RIS tags mean different things for different reference types (``SP`` is the first page of an
article but the page count of a book; ``T2`` is the journal of an article but the series of a
book). The tables follow the RIS specification as Zotero and EndNote apply it, so that what
bibkit writes lands in the right field there, and what they write lands in the right field here.
"""

from __future__ import annotations

from typing import Final

TAG_LINE: Final = r"^(?P<tag>[A-Z][A-Z0-9])  ?-(?: (?P<value>.*))?$"
"""A tag line: two characters, two spaces (one in sloppy files), a hyphen, a space, the value."""

TYPES: Final[tuple[tuple[str, str], ...]] = (
    # (CSL type, RIS TY) written; read back the same way. Zotero's own choices where RIS has two.
    ("article-journal", "JOUR"),
    ("book", "BOOK"),
    ("chapter", "CHAP"),
    ("thesis", "THES"),
    ("report", "RPRT"),
    ("paper-conference", "CONF"),
    ("article", "UNPB"),
    ("dataset", "DATA"),
    ("webpage", "ELEC"),
    ("article-magazine", "MGZN"),
    ("article-newspaper", "NEWS"),
    ("manuscript", "MANSCPT"),
    ("patent", "PAT"),
    ("software", "COMP"),
    ("standard", "STAND"),
    ("post-weblog", "BLOG"),
    ("personal_communication", "PCOMM"),
    ("map", "MAP"),
    ("motion_picture", "MPCT"),
    ("graphic", "ART"),
    ("bill", "BILL"),
    ("legal_case", "CASE"),
    ("legislation", "STAT"),
    ("hearing", "HEAR"),
    ("entry-encyclopedia", "ENCYC"),
    ("entry-dictionary", "DICT"),
    ("pamphlet", "PAMP"),
    ("speech", "SLIDE"),
    ("song", "SOUND"),
    ("periodical", "JFULL"),
    ("document", "GEN"),
)

DEFAULT_RIS_TYPE: Final = "GEN"
DEFAULT_CSL_TYPE: Final = "article-journal"
"""A record without a known TY is read as a journal article (the common case, and Zotero's)."""

READ_TYPES: Final[dict[str, str]] = {
    # RIS types written by other programs that bibkit does not write itself.
    "EJOUR": "article-journal",
    "INPR": "article-journal",
    "ABST": "article-journal",
    "EBOOK": "book",
    "EDBOOK": "book",
    "ECHAP": "chapter",
    "CPAPER": "paper-conference",
    "WEB": "webpage",
    "DBASE": "dataset",
    "AGGR": "dataset",
    "GOVDOC": "report",
    "ICOMM": "personal_communication",
    "VIDEO": "motion_picture",
    "ADVS": "motion_picture",
    "MUSIC": "musical_score",
    "CTLG": "book",
    "SER": "book",
    "CLSWK": "classic",
    "LEGAL": "regulation",
    "FIGURE": "figure",
    "CHART": "figure",
    "MULTI": "motion_picture",
    "UNBILL": "bill",
}

FIELD_TAGS: Final[tuple[tuple[str, str], ...]] = (
    # (tag, model field) in writing order; text fields only, for every type unless overridden.
    ("TI", "title"),
    ("ST", "title_short"),
    ("OP", "original_title"),
    ("T2", "container_title"),
    ("J2", "container_title_short"),
    ("T3", "collection_title"),
    ("VL", "volume"),
    ("IS", "issue"),
    ("M1", "number"),
    ("SE", "chapter_number"),
    ("PB", "publisher"),
    ("CY", "publisher_place"),
    ("ET", "edition"),
    ("M3", "genre"),
    ("SN", "ISBN"),
    ("DO", "DOI"),
    ("AB", "abstract"),
    ("LA", "language"),
    ("UR", "URL"),
    ("DB", "archive"),
    ("AN", "archive_location"),
    ("DP", "source"),
    ("N1", "note"),
)

ISSN_TYPES: Final[frozenset[str]] = frozenset(
    {"article-journal", "article-magazine", "article-newspaper", "periodical"}
)
"""Types whose ``SN`` is an ISSN; for the others it is an ISBN (or a report/patent number)."""

TYPE_FIELD_TAGS: Final[dict[str, dict[str, str | None]]] = {
    # Per CSL type: model field -> tag that replaces the default (None: the type has no place).
    "article-journal": {"ISBN": None, "genre": None, "edition": None},
    "book": {"collection_title": "T2", "container_title": None, "number_of_pages": "SP"},
    "thesis": {"number_of_pages": "SP"},
    "report": {"number": "SN", "ISBN": None, "collection_title": "T2", "container_title": None},
    "patent": {"number": "SN", "ISBN": None},
    "paper-conference": {
        "event_title": "T2",
        "container_title": "C3",
        "publisher_place": "C1",
        "event_place": "CY",
    },
    "dataset": {"version": "ET", "edition": None},
    "software": {"version": "ET", "edition": None},
}

NO_PAGE_RANGE_TYPES: Final[frozenset[str]] = frozenset({"book", "thesis"})
"""Types whose ``SP`` holds the number of pages, so a page range has no tag."""

NAME_TAGS: Final[dict[str, str]] = {"author": "AU", "editor": "A2"}
TYPE_NAME_TAGS: Final[dict[str, dict[str, str]]] = {
    "book": {"editor": "A3"},  # a book's A2 is its series editor
}

DATE_TAG: Final = "DA"
YEAR_TAG: Final = "PY"
ACCESSED_TAG: Final = "Y2"
KEYWORD_TAG: Final = "KW"
ID_TAG: Final = "ID"
START_PAGE_TAG: Final = "SP"
END_PAGE_TAG: Final = "EP"
ISSN_TAG: Final = "SN"
EXTRA_TAG: Final = "M2"
"""Zotero reads ``M2`` into its "Extra" field, where ``PMID: …`` lines become real fields."""
TYPE_TAG: Final = "TY"
END_TAG: Final = "ER"

EXTRA_IDS: Final[tuple[tuple[str, str], ...]] = (("PMID", "PMID"), ("PMCID", "PMCID"))
"""``M2  - PMID: …`` lines: (label, model field)."""

NOT_CARRIED: Final[dict[str, str]] = {
    # Model fields RIS has no tag for -> how a warning names them.
    "available_date": "the electronic publication (Epub) date",
    "status": "the publication status (ahead of print)",
    "PII": "the publisher item identifier (PII)",
    "MID": "the NIH manuscript id",
    "conflict_of_interest": "the conflict-of-interest statement",
    "mesh": "MeSH terms",
    "chemicals": "substances (chemicals)",
    "grants": "grants",
    "publication_types": "publication types",
    "investigators": "investigators",
    "relations": "links to related articles (similar, cited by, comments ...)",
}

READ_ALIASES: Final[dict[str, str]] = {
    # Tags other programs write (EndNote, older RIS, PubMed-style exports) -> model field.
    "T1": "title",
    "CT": "title",
    "BT": "container_title",
    "JF": "container_title",
    "JO": "container_title_short",
    "JA": "container_title_short",
    "J1": "container_title_short",
    "N2": "abstract",
    "L3": "DOI",
}
READ_NAME_ALIASES: Final[dict[str, str]] = {"A1": "author", "ED": "editor"}
READ_DATE_ALIASES: Final[tuple[str, ...]] = ("Y1",)
ID_NOTE_TAGS: Final[tuple[str, ...]] = ("M2", "N1", "M1")
"""Tags whose ``PMID: …`` / ``PMCID: …`` lines are recognised as identifiers when reading."""

# Web of Science field-tagged export ("FN Clarivate Analytics Web of Science", "PT J" ...).
WOS_TYPES: Final[dict[str, str]] = {
    "J": "article-journal",
    "B": "book",
    "S": "chapter",
    "P": "patent",
    "C": "paper-conference",
}
WOS_FIELD_TAGS: Final[dict[str, str]] = {
    "TI": "title",
    "SO": "container_title",
    "JI": "container_title_short",
    "SE": "collection_title",
    "VL": "volume",
    "IS": "issue",
    "DI": "DOI",
    "AB": "abstract",
    "LA": "language",
    "PU": "publisher",
    "PI": "publisher_place",
    "BN": "ISBN",
    "PM": "PMID",
    "UT": "archive_location",
    "CT": "event_title",
    "CL": "event_place",
    "PG": "number_of_pages",
}
WOS_IGNORED: Final[frozenset[str]] = frozenset(
    # Bookkeeping of the export and citation counts, not bibliographic data.
    {"FN", "VR", "EF", "NR", "TC", "Z9", "U1", "U2", "GA", "DA", "OA", "HC", "HP", "WE"}
)
WOS_LIST_TAGS: Final[frozenset[str]] = frozenset(
    # Tags whose continuation lines are further values, not wrapped text.
    {"AU", "AF", "BA", "BF", "CA", "GP", "BE", "CR", "C1", "C3"}
)


def field_tags(csl_type: str) -> list[tuple[str, str]]:
    """(tag, model field) for the text fields of one item type, defaults with its overrides."""
    overrides = TYPE_FIELD_TAGS.get(csl_type, {})
    tags: list[tuple[str, str]] = []
    for tag, field in FIELD_TAGS:
        if field in overrides:
            replacement = overrides[field]
            if replacement is not None:
                tags.append((replacement, field))
        else:
            tags.append((tag, field))
    defaults = {field for _, field in FIELD_TAGS}
    tags.extend((tag, f) for f, tag in overrides.items() if f not in defaults and tag is not None)
    return tags


TEXT_FIELDS: Final[frozenset[str]] = frozenset(
    {field for _, field in FIELD_TAGS}
    | {field for overrides in TYPE_FIELD_TAGS.values() for field in overrides}
)
"""Every text field some RIS type has a tag for."""

WRITE_ORDER: Final[tuple[str, ...]] = (
    "TY", "TI", "ST", "OP", "AU", "A2", "A3", "T2", "J2", "C3", "T3", "PY", "DA", "Y2",
    "VL", "IS", "SP", "EP", "M1", "SE", "PB", "CY", "C1", "ET", "M3", "SN", "DO", "AB",
    "KW", "LA", "UR", "DB", "AN", "DP", "M2", "N1",
)  # fmt: skip
"""Tag order within a written record: identity, names, source, numbers, content, notes."""
