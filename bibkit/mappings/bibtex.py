"""BibTeX and BibLaTeX field tables, shared by the readers and the writers of both dialects.

Classic BibTeX is what bibtex styles, natbib and Zotero's BibTeX import read: ``journal``,
``year`` + ``month`` macro, ``number`` for an article's issue, ``pmid``/``pmcid`` fields that
Zotero turns into its PMID/PMCID. BibLaTeX is what biber validates against its data model:
``journaltitle``, an ISO ``date``, ``eprint`` + ``eprinttype = {pubmed}``, ``pubstate``. A field
that is not in biber's data model would make ``biber --validate-datamodel`` complain, so the
BibLaTeX tables use only fields the model declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final


@dataclass(frozen=True)
class Dialect:
    """Everything that differs between BibTeX and BibLaTeX, as data."""

    name: str
    """How messages name it: ``BibTeX`` or ``BibLaTeX``."""
    types: tuple[tuple[str, str], ...]
    """(CSL type, entry type) written; the first CSL type of an entry type is what it reads as."""
    read_types: dict[str, str]
    """Entry types of other programs -> CSL type."""
    default_type: str
    fields: tuple[tuple[str, str], ...]
    """(BibTeX field, model field) for text fields, in writing order."""
    type_fields: dict[str, dict[str, str | None]]
    """Per CSL type: model field -> field that replaces the default (None: no place)."""
    name_fields: tuple[tuple[str, str], ...]
    """(BibTeX field, model field) for name lists."""
    not_carried: dict[str, str]
    """Model fields with no place in the dialect -> how a warning names them."""
    read_aliases: dict[str, str] = field(default_factory=dict)
    """Fields other programs write -> model field (read only)."""

    def entry_type(self, csl_type: str) -> str:
        return dict(self.types).get(csl_type, self.default_type)

    def csl_type(self, entry_type: str) -> str | None:
        """The CSL type of an entry type; None when it is unknown."""
        wanted = entry_type.lower()
        for csl, bib in self.types:
            if bib == wanted:
                return csl
        return self.read_types.get(wanted)

    def field_map(self, csl_type: str) -> list[tuple[str, str]]:
        """(BibTeX field, model field) for one CSL type: defaults with its overrides."""
        overrides = self.type_fields.get(csl_type, {})
        out: list[tuple[str, str]] = []
        for bib, model in self.fields:
            if model in overrides:
                replacement = overrides[model]
                if replacement is not None:
                    out.append((replacement, model))
            else:
                out.append((bib, model))
        defaults = {model for _, model in self.fields}
        out.extend((bib, m) for m, bib in overrides.items() if m not in defaults and bib)
        return out

    @property
    def text_fields(self) -> frozenset[str]:
        """Every model text field some entry type has a field for."""
        return frozenset(
            {model for _, model in self.fields}
            | {model for overrides in self.type_fields.values() for model in overrides}
        )


MONTH_MACROS: Final[tuple[str, ...]] = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip
"""BibTeX's predefined month macros, written bare (``month = apr``) as styles and Zotero want."""

SEASONS: Final[tuple[str, ...]] = ("Spring", "Summer", "Autumn", "Winter")
"""A season (CSL 1-4) in BibTeX's free-text ``month`` field."""
EDTF_SEASONS: Final[dict[int, int]] = {1: 21, 2: 22, 3: 23, 4: 24}
"""CSL season -> the EDTF month number biblatex reads (``2009-21`` is spring 2009)."""

PUBSTATES: Final[dict[str, str]] = {"ahead-of-print": "prepublished"}
"""Model ``status`` -> biblatex ``pubstate`` key (other statuses are written as they are)."""

PUBMED_EPRINT_TYPE: Final = "pubmed"
PMCID_LABEL: Final = "PMCID"
"""biblatex has no eprint type for PMC: ``addendum = {PMCID: PMC…}`` carries it (see README)."""

COMMON_NOT_CARRIED: Final[dict[str, str]] = {
    "PII": "the publisher item identifier (PII)",
    "MID": "the NIH manuscript id",
    "conflict_of_interest": "the conflict-of-interest statement",
    "mesh": "MeSH terms",
    "chemicals": "substances (chemicals)",
    "grants": "grants",
    "publication_types": "publication types",
    "investigators": "investigators",
    "relations": "links to related articles (similar, cited by, comments ...)",
    "source": "the database the record came from",
    "archive": "the archive",
    "archive_location": "the place in the archive (accession number)",
}

BIBTEX: Final = Dialect(
    name="BibTeX",
    types=(
        ("article-journal", "article"),
        ("book", "book"),
        ("chapter", "incollection"),
        ("paper-conference", "inproceedings"),
        ("thesis", "phdthesis"),
        ("report", "techreport"),
        ("manuscript", "unpublished"),
        ("document", "misc"),
        ("article-magazine", "article"),
        ("article-newspaper", "article"),
        ("article", "misc"),
        ("webpage", "misc"),
        ("dataset", "misc"),
        ("software", "misc"),
        ("pamphlet", "booklet"),
        ("periodical", "misc"),
    ),
    read_types={
        "mastersthesis": "thesis",
        "inbook": "chapter",
        "conference": "paper-conference",
        "proceedings": "book",
        "manual": "report",
        "online": "webpage",
        "electronic": "webpage",
        "www": "webpage",
        "dataset": "dataset",
        "software": "software",
        "thesis": "thesis",
        "report": "report",
        "collection": "book",
        "incollection": "chapter",
        "patent": "patent",
    },
    default_type="misc",
    fields=(
        ("title", "title"),
        ("shorttitle", "title_short"),
        ("journal", "container_title"),
        ("shortjournal", "container_title_short"),
        ("series", "collection_title"),
        ("edition", "edition"),
        ("chapter", "chapter_number"),
        ("volume", "volume"),
        ("number", "issue"),
        ("type", "genre"),
        ("publisher", "publisher"),
        ("address", "publisher_place"),
        ("doi", "DOI"),
        ("pmid", "PMID"),
        ("pmcid", "PMCID"),
        ("isbn", "ISBN"),
        ("url", "URL"),
        ("language", "language"),
        ("abstract", "abstract"),
        ("note", "note"),
    ),
    type_fields={
        "book": {"container_title": None},
        "chapter": {"container_title": "booktitle"},
        "paper-conference": {"container_title": "booktitle"},
        "thesis": {"publisher": "school", "container_title": None},
        "report": {"publisher": "institution", "number": "number", "issue": None},
        "article": {"container_title": "howpublished"},
        "webpage": {"container_title": "howpublished"},
        "dataset": {"container_title": "howpublished"},
        "software": {"container_title": "howpublished"},
    },
    name_fields=(("author", "author"), ("editor", "editor")),
    not_carried={
        **COMMON_NOT_CARRIED,
        "original_title": "the title in the original language",
        "available_date": "the electronic publication (Epub) date",
        "status": "the publication status (ahead of print)",
        "event_title": "the event (conference) name",
        "event_place": "the event place",
        "version": "the version",
        "number_of_pages": "the number of pages",
    },
    read_aliases={
        "journaltitle": "container_title",
        "booktitle": "container_title",
        "howpublished": "container_title",
        "school": "publisher",
        "institution": "publisher",
        "organization": "publisher",
        "location": "publisher_place",
        "issue": "issue",
        "journal-iso": "container_title_short",
        "journalabbrev": "container_title_short",
        "annote": "note",
        "annotation": "note",
        "eventtitle": "event_title",
        "venue": "event_place",
        "version": "version",
        "pagetotal": "number_of_pages",
        "numpages": "number_of_pages",
        "origtitle": "original_title",
        "langid": "language",
    },
)

BIBLATEX: Final = Dialect(
    name="BibLaTeX",
    types=(
        ("article-journal", "article"),
        ("book", "book"),
        ("chapter", "incollection"),
        ("paper-conference", "inproceedings"),
        ("thesis", "thesis"),
        ("report", "report"),
        ("manuscript", "unpublished"),
        ("webpage", "online"),
        ("dataset", "dataset"),
        ("software", "software"),
        ("patent", "patent"),
        ("periodical", "periodical"),
        ("document", "misc"),
        ("article-magazine", "article"),
        ("article-newspaper", "article"),
        ("article", "misc"),
        ("pamphlet", "booklet"),
    ),
    read_types={
        "inbook": "chapter",
        "bookinbook": "chapter",
        "mvbook": "book",
        "collection": "book",
        "mvcollection": "book",
        "proceedings": "book",
        "mvproceedings": "book",
        "conference": "paper-conference",
        "phdthesis": "thesis",
        "mastersthesis": "thesis",
        "techreport": "report",
        "manual": "report",
        "electronic": "webpage",
        "www": "webpage",
        "reference": "book",
        "inreference": "entry-encyclopedia",
        "suppbook": "chapter",
        "suppcollection": "chapter",
        "suppperiodical": "article-journal",
    },
    default_type="misc",
    fields=(
        ("title", "title"),
        ("shorttitle", "title_short"),
        ("origtitle", "original_title"),
        ("journaltitle", "container_title"),
        ("shortjournal", "container_title_short"),
        ("series", "collection_title"),
        ("edition", "edition"),
        ("chapter", "chapter_number"),
        ("volume", "volume"),
        ("number", "issue"),
        ("type", "genre"),
        ("eventtitle", "event_title"),
        ("venue", "event_place"),
        ("version", "version"),
        ("pagetotal", "number_of_pages"),
        ("publisher", "publisher"),
        ("location", "publisher_place"),
        ("doi", "DOI"),
        ("isbn", "ISBN"),
        ("url", "URL"),
        ("language", "language"),
        ("abstract", "abstract"),
        ("note", "note"),
    ),
    type_fields={
        "book": {"container_title": None},
        "chapter": {"container_title": "booktitle"},
        "paper-conference": {"container_title": "booktitle"},
        "thesis": {"publisher": "institution", "container_title": None},
        "report": {"publisher": "institution", "number": "number", "issue": None},
        "webpage": {"container_title": "organization"},
        "dataset": {"container_title": None},
        "software": {"container_title": None},
        "patent": {"number": "number", "issue": None},
        "document": {"container_title": "howpublished"},
        "article": {"container_title": "howpublished"},
    },
    name_fields=(("author", "author"), ("editor", "editor")),
    not_carried=dict(COMMON_NOT_CARRIED),
    read_aliases={
        "journal": "container_title",
        "booktitle": "container_title",
        "howpublished": "container_title",
        "organization": "container_title",
        "school": "publisher",
        "institution": "publisher",
        "address": "publisher_place",
        "issue": "issue",
        "annote": "note",
        "annotation": "note",
        "numpages": "number_of_pages",
        "pmid": "PMID",
        "pmcid": "PMCID",
        "langid": "language",
    },
)

DIALECTS: Final[dict[str, Dialect]] = {"bibtex": BIBTEX, "biblatex": BIBLATEX}

_LOCALISED: Final[dict[str, tuple[str, ...]]] = {
    "english": ("en", "eng"), "german": ("de", "ger", "deu"), "french": ("fr", "fre", "fra"),
    "spanish": ("es", "spa"), "italian": ("it", "ita"), "portuguese": ("pt", "por"),
    "dutch": ("nl", "dut", "nld"), "polish": ("pl", "pol"), "russian": ("ru", "rus"),
    "swedish": ("sv", "swe"), "danish": ("da", "dan"), "norwegian": ("no", "nor"),
    "finnish": ("fi", "fin"), "czech": ("cs", "cze", "ces"), "slovak": ("sk", "slo", "slk"),
    "slovene": ("sl", "slv"), "croatian": ("hr", "hrv"), "serbian": ("sr", "srp"),
    "hungarian": ("hu", "hun"), "romanian": ("ro", "rum", "ron"), "bulgarian": ("bg", "bul"),
    "greek": ("el", "gre", "ell"), "turkish": ("tr", "tur"), "ukrainian": ("uk", "ukr"),
    "catalan": ("ca", "cat"), "basque": ("eu", "baq", "eus"), "galician": ("gl", "glg"),
    "estonian": ("et", "est"), "latvian": ("lv", "lav"), "lithuanian": ("lt", "lit"),
    "icelandic": ("is", "ice", "isl"),
}  # fmt: skip
"""biblatex's localisation keys (its ``.lbx`` modules) by the ISO 639 codes PubMed (639-2/B),
Zotero and page dumps (639-1) write."""
_NAMED: Final[dict[str, tuple[str, ...]]] = {
    "Japanese": ("ja", "jpn"), "Chinese": ("zh", "chi", "zho"), "Korean": ("ko", "kor"),
    "Arabic": ("ar", "ara"), "Hebrew": ("he", "heb"), "Persian": ("fa", "per", "fas"),
    "Hindi": ("hi", "hin"), "Thai": ("th", "tha"), "Vietnamese": ("vi", "vie"),
    "Indonesian": ("id", "ind"), "Malay": ("ms", "may", "msa"), "Afrikaans": ("af", "afr"),
    "Welsh": ("cy", "wel", "cym"), "Irish": ("ga", "gle"), "Armenian": ("hy", "arm", "hye"),
    "Georgian": ("ka", "geo", "kat"), "Albanian": ("sq", "alb", "sqi"),
    "Macedonian": ("mk", "mac", "mkd"), "Bosnian": ("bs", "bos"), "Latin": ("la", "lat"),
    "Esperanto": ("eo", "epo"), "Urdu": ("ur", "urd"), "Bengali": ("bn", "ben"),
    "Tamil": ("ta", "tam"), "Swahili": ("sw", "swa"),
}  # fmt: skip
"""Languages biblatex has no localisation for: their English names, which it prints as
written (a code such as ``jpn`` would be printed as ``jpn``)."""
BIBLATEX_LANGUAGES: Final[dict[str, str]] = {
    code: key for table in (_LOCALISED, _NAMED) for key, codes in table.items() for code in codes
}
"""ISO 639 code -> what BibLaTeX's ``language`` field holds: a localisation key, which styles
translate and leave out when it is the document's language (biblatex's ``clearlang``), or
else the language's name."""
LANGUAGE_CODES: Final[dict[str, str]] = {
    **{key.lower(): codes[0] for table in (_LOCALISED, _NAMED) for key, codes in table.items()},
    "american": "en-US", "british": "en-GB", "australian": "en-AU", "canadian": "en-CA",
    "ngerman": "de", "austrian": "de-AT", "naustrian": "de-AT", "swissgerman": "de-CH",
    "nswissgerman": "de-CH", "brazilian": "pt-BR", "norsk": "nb", "nynorsk": "nn",
    "slovenian": "sl",
}  # fmt: skip
"""A language as BibTeX files name it (biblatex keys, babel names, English names) -> its
ISO 639-1 code or BCP 47 tag, which CSL processors read (``english`` is not English to them)."""


def biblatex_language(language: str) -> str:
    """BibLaTeX's ``language`` for a code or tag (``eng``, ``en-US``); else as written."""
    wanted = language.strip().lower()
    found = BIBLATEX_LANGUAGES.get(wanted) or BIBLATEX_LANGUAGES.get(wanted.split("-")[0])
    return found or language


def language_code(language: str) -> str:
    """The code of a language a BibTeX file names (``english``, ``ngerman``); else as written."""
    return LANGUAGE_CODES.get(language.strip().lower(), language)


VERBATIM_FIELDS: Final[frozenset[str]] = frozenset({"url", "doi", "eprint", "file"})
"""Fields biber and hyperref read verbatim: written and read without LaTeX escaping."""

SHORT_TITLE_FALLBACK: Final[frozenset[str]] = frozenset({"journal", "journaltitle"})
"""Journal fields that take the abbreviation when the full journal title is unknown."""

EDITED_BOOK: Final = "collection"
"""BibLaTeX's type for a book with editors and no authors (read back as a book)."""

MASTERS_THESIS: Final = "mastersthesis"
MASTERS_GENRE: Final = "Master's thesis"
"""BibTeX's ``@mastersthesis`` is a thesis whose genre is a master's thesis."""

WRITE_ORDER: Final[tuple[str, ...]] = (
    "title", "shorttitle", "origtitle", "author", "editor", "journal", "journaltitle",
    "booktitle", "shortjournal", "howpublished", "organization", "eventtitle", "venue",
    "series", "edition", "chapter", "year", "month", "day", "date", "origdate", "volume",
    "number", "pages", "pagetotal", "type", "version", "publisher", "school", "institution",
    "address", "location", "doi", "eprint", "eprinttype", "pmid", "pmcid", "issn", "isbn",
    "keywords", "abstract", "url", "urldate", "language", "pubstate", "note", "addendum",
)  # fmt: skip
"""Field order within a written entry: title and names, source, date, numbers, ids, content."""
