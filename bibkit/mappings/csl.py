"""CSL-JSON field tables, shared by the CSL-JSON reader and writer.

The model is CSL-shaped, so most fields map one to one; the tables list them so both
directions (and the README's field list) come from one place.
"""

from __future__ import annotations

from typing import Final

TEXT_FIELDS: Final[tuple[tuple[str, str], ...]] = (
    # (model field, CSL-JSON key); every value is a plain string.
    ("title", "title"),
    ("title_short", "title-short"),
    ("original_title", "original-title"),
    ("container_title", "container-title"),
    ("container_title_short", "container-title-short"),
    ("collection_title", "collection-title"),
    ("publisher", "publisher"),
    ("publisher_place", "publisher-place"),
    ("edition", "edition"),
    ("chapter_number", "chapter-number"),
    ("number", "number"),
    ("genre", "genre"),
    ("event_title", "event-title"),
    ("event_place", "event-place"),
    ("version", "version"),
    ("source", "source"),
    ("archive", "archive"),
    ("archive_location", "archive_location"),
    ("volume", "volume"),
    ("issue", "issue"),
    ("page", "page"),
    ("number_of_pages", "number-of-pages"),
    ("DOI", "DOI"),
    ("PMID", "PMID"),
    ("PMCID", "PMCID"),
    ("ISBN", "ISBN"),
    ("URL", "URL"),
    ("language", "language"),
    ("abstract", "abstract"),
    ("status", "status"),
)

NAME_FIELDS: Final[tuple[tuple[str, str], ...]] = (
    ("author", "author"),
    ("editor", "editor"),
)

DATE_FIELDS: Final[tuple[tuple[str, str], ...]] = (
    ("issued", "issued"),
    ("available_date", "available-date"),
    ("accessed", "accessed"),
)

NAME_PARTS: Final[tuple[tuple[str, str], ...]] = (
    ("family", "family"),
    ("given", "given"),
    ("dropping_particle", "dropping-particle"),
    ("non_dropping_particle", "non-dropping-particle"),
    ("suffix", "suffix"),
    ("literal", "literal"),
)

PERSON_DETAILS: Final[tuple[str, ...]] = ("affiliations", "orcid", "initials")
"""Person fields CSL lacks; kept per name under ``custom.<role>_details``."""

ALIASES: Final[dict[str, str]] = {
    # Keys other programs write for a CSL variable (Zotero, older CSL-JSON), read only.
    "journalAbbreviation": "container_title_short",
    "shortTitle": "title_short",
    "event": "event_title",
    "archive-location": "archive_location",
}

CUSTOM_FIELDS: Final[tuple[str, ...]] = (
    # Citation fields CSL has no variable for; written under ``custom`` by their model name.
    "PII",
    "MID",
    "conflict_of_interest",
    "mesh",
    "chemicals",
    "grants",
    "publication_types",
    "investigators",
    "relations",
)

CUSTOM_KEYWORDS: Final = "keywords"
"""``custom.keywords``: the keyword list, written only when the comma-joined CSL ``keyword``
string cannot be split back into the same list (a keyword holding a comma)."""

CUSTOM_ISSN: Final = "ISSN"
"""``custom.ISSN``: the ISSN list when an ISSN string cannot be split back unambiguously."""

CUSTOM_TYPE: Final = "bibkit_type"
"""``custom.bibkit_type``: a model type that is not a CSL type (written as ``document``)."""

NOTE_IDS: Final[tuple[tuple[str, str], ...]] = (
    # ``note`` lines Zotero turns into real fields (its "Extra" convention): label, model field.
    ("PMID", "PMID"),
    ("PMCID", "PMCID"),
)

CSL_TYPES: Final[frozenset[str]] = frozenset(
    {
        "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
        "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
        "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
        "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
        "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
        "personal_communication", "post", "post-weblog", "regulation", "report", "review",
        "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
    }
)  # fmt: skip
"""The item types of the CSL 1.0.2 schema."""

TYPE_ALIASES: Final[dict[str, str]] = {
    # Older or non-standard type names seen in the wild -> CSL 1.0.2 types.
    "journal-article": "article-journal",
    "journalArticle": "article-journal",
    "web-page": "webpage",
    "conference-paper": "paper-conference",
    "book-chapter": "chapter",
    "data-set": "dataset",
    "preprint": "article",
}

SEASON_NAMES: Final[dict[str, int]] = {
    "spring": 1,
    "summer": 2,
    "autumn": 3,
    "fall": 3,
    "winter": 4,
}
