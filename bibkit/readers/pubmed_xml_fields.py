"""One ``PubmedArticle`` or ``PubmedBookArticle`` element to a Citation.

Kept apart from the streaming in ``pubmed_xml`` so that each part has one job. This is the hot
path of a million-record conversion, so children are looked up by walking each element once
and dispatching on the tag (no XPath), and the small nested models are built with
``build`` (see there): every value put into them is a ``str``/``bool`` made right here, so
validating it again would only cost time. Dates, whose ranges can be wrong in the input, are
still validated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date as calendar_date
from typing import Any, TypeVar

from lxml import etree
from pydantic import BaseModel

from bibkit.dates import MONTHS, SEASONS, parse_pubmed_date
from bibkit.model import (
    Chemical,
    Citation,
    Grant,
    MeshHeading,
    MeshQualifier,
    PartialDate,
    Person,
    Relation,
    RelationKind,
)
from bibkit.readers.pubmed_summary import expand_pages, parse_journal_citation

Element = etree._Element
Warn = Callable[[str, str, str | None], None]
"""``warn(code, message, field)``: a problem with the record being read."""

AHEAD_OF_PRINT = "ahead-of-print"
KEPT_MARKUP = frozenset({"i", "b", "sup", "sub"})
"""Inline tags kept as CSL rich-text markup; ``<u>`` and MathML are flattened to their text
(CSL has no underline, and no writer could render it)."""

RELATION_KINDS: dict[str, RelationKind] = {
    "CommentIn": RelationKind.COMMENT_IN,
    "CommentOn": RelationKind.COMMENT_ON,
    "ErratumIn": RelationKind.ERRATUM_IN,
    "ErratumFor": RelationKind.ERRATUM_FOR,
    "RetractionIn": RelationKind.RETRACTION_IN,
    "RetractionOf": RelationKind.RETRACTION_OF,
    "PartialRetractionIn": RelationKind.RETRACTION_IN,
    "PartialRetractionOf": RelationKind.RETRACTION_OF,
    "UpdateIn": RelationKind.UPDATE_IN,
    "UpdateOf": RelationKind.UPDATE_OF,
    "RepublishedIn": RelationKind.REPUBLISHED_IN,
    "RepublishedFrom": RelationKind.REPUBLISHED_FROM,
    "ExpressionOfConcernIn": RelationKind.EXPRESSION_OF_CONCERN_IN,
    "ExpressionOfConcernFor": RelationKind.EXPRESSION_OF_CONCERN_FOR,
    "Cites": RelationKind.REFERENCES,
    "AssociatedDataset": RelationKind.ASSOCIATED_DATA,
}
"""``CommentsCorrections/@RefType`` -> relation; other types are reported, not guessed."""

NOT_AVAILABLE = "[Not Available]"
"""PubMed's placeholder (``[Not Available].``) for an article with no English title."""

_SPACES = re.compile(r"[ \t\r\n]+")
_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])\s*$")
_ABBREVIATION_END = re.compile(
    r"(?:(?:\b[A-Za-z]{1,2}\.\s?){2,}|\b(?:vs|etc|al|Inc|Ltd|Co|Jr|Sr|St|Dr|spp|sp|eds?)\.)$"
)
_ABBREVIATION_CHARS = 8
"""Any match of ``_ABBREVIATION_END`` ends in one within the last 8 characters (two initials
``ab. cd.``, or ``etc.``), so only they are searched: a search over the whole title cost more
than the rest of the title's handling."""
_ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ABBREVIATIONS = frozenset(
    {"vs", "etc", "al", "Inc", "Ltd", "Co", "Jr", "Sr", "St", "Dr", "spp", "sp", "ed", "eds"}
)
"""The words of ``_ABBREVIATION_END``'s second branch."""
_E_LOCATOR = re.compile(r"[A-Za-z]{0,4}\d[\w.]{0,10}")
"""An article number PubMed gives as an ELocationID ``pii`` (``e0212345``, ``531``), as opposed
to a publisher item identifier such as ``S0140-6736(18)30001-X``."""


# -- building models without validating them again -----------------------------------------

Model = TypeVar("Model", bound=BaseModel)
_BLANKS: dict[type[BaseModel], tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...]]]
_BLANKS = {}
_SLOTS = BaseModel.__dict__
_set_dict = _SLOTS["__dict__"].__set__
_set_fields_set = _SLOTS["__pydantic_fields_set__"].__set__
_set_extra = _SLOTS["__pydantic_extra__"].__set__
_set_private = _SLOTS["__pydantic_private__"].__set__
_new = object.__new__


def build(cls: type[Model], values: dict[str, Any]) -> Model:
    """``cls`` holding ``values`` (right types, made by this module), unvalidated.

    What ``model_construct`` does, at a tenth of its cost in this pydantic version (which
    inspects every default factory's signature on each call): validating ~40 nested models
    per article was most of the reader's time. The slots are set through their descriptors
    and a default list is made only for a field ``values`` leaves out (a Person with
    affiliations, ~30 models per article). Tests check that every record built here
    validates to itself.
    """
    blank = _BLANKS.get(cls)
    if blank is None:
        fields = cls.model_fields
        blank = _BLANKS[cls] = (
            {n: f.default for n, f in fields.items() if f.default_factory is None},
            tuple((n, f.default_factory) for n, f in fields.items() if f.default_factory),  # type: ignore[misc]
        )
    scalars, factories = blank
    state = scalars.copy()
    for name, factory in factories:
        if name not in values:
            state[name] = factory()
    state.update(values)
    model = _new(cls)
    _set_dict(model, state)
    _set_fields_set(model, set(values))
    _set_extra(model, None)
    _set_private(model, None)
    return model


def _raw(cls: type[Model], state: dict[str, Any], fields: set[str]) -> Model:
    """``cls`` with ``state`` as its complete ``__dict__`` (every field, in field order) and
    ``fields`` as the fields set: ``build`` without its per-class lookups and copies, for the
    small models made tens of times per article."""
    model = _new(cls)
    _set_dict(model, state)
    _set_fields_set(model, fields)
    _set_extra(model, None)
    _set_private(model, None)
    return model


# -- text -----------------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    """Runs of XML whitespace to one space; other spaces (no-break, thin) are content."""
    if "\n" in text or "\t" in text or "  " in text or "\r" in text:
        return _SPACES.sub(" ", text)
    return text


def plain(element: Element | None) -> str | None:
    """All text of an element, markup dropped, whitespace squeezed; None when empty."""
    if element is None:
        return None
    if len(element):
        text = "".join(map(str, element.itertext()))
    else:
        single = element.text
        if not single:
            return None
        text = single
    # isprintable() is False for tabs and line breaks (and a few rare characters, for which
    # the substitution is merely useless): one test instead of three.
    if "  " in text or not text.isprintable():
        text = _SPACES.sub(" ", text)
    return text.strip() or None


def rich(element: Element | None, warn: Warn) -> str | None:
    """Text keeping ``<i> <b> <sup> <sub>`` as markup; other inline tags give their text.

    Whitespace with a line break next to a tag is the indentation of pretty-printed XML, not
    content, so it is dropped there (``β\\n\\t<sub>2</sub>`` is ``β<sub>2</sub>``).
    """
    if element is None:
        return None
    if len(element) == 0:
        text = element.text
        if not text:
            return None
        return _squeeze(text).strip() or None
    pieces: list[str] = []
    _rich_into(element, pieces, warn)
    text = _squeeze("".join(pieces)).strip()
    return text or None


def _trim_before_tag(pieces: list[str]) -> None:
    """Drop the line break and indentation that end the text before a tag."""
    if pieces:
        last = pieces[-1]
        stripped = last.rstrip(" \t\r\n")
        blank = last[len(stripped) :]
        if "\n" in blank:
            pieces[-1] = stripped + blank[: blank.index("\n")]


def _without_leading_break(text: str) -> str:
    """Drop the line break and indentation that start the text after a tag."""
    stripped = text.lstrip(" \t\r\n")
    blank = text[: len(text) - len(stripped)]
    if "\n" in blank:
        return blank[: blank.index("\n")] + stripped
    return text


def _rich_into(element: Element, pieces: list[str], warn: Warn) -> None:
    if element.text:
        pieces.append(element.text)
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            name = etree.QName(tag).localname if "}" in tag else tag
            _trim_before_tag(pieces)
            if name in KEPT_MARKUP:
                inner: list[str] = []
                _rich_into(child, inner, warn)
                content = "".join(inner)
                if content.strip():
                    pieces.append(f"<{name}>{_without_leading_break(content)}</{name}>")
            else:
                _rich_into(child, pieces, warn)
        elif tag is etree.Entity:
            pieces.append(str(child.text or ""))
            warn(
                "entity-not-expanded",
                f"entity reference {child.text} left as written: bibkit expands no named"
                " entity, and fetches no DTD that could declare one",
                None,
            )
        if child.tail:
            tail = child.tail
            pieces.append(_without_leading_break(tail) if isinstance(tag, str) else tail)


def drop_final_period(title: str | None) -> str | None:
    """PubMed ends every title with a period; a citation's title has none, unless it ends an
    abbreviation (``… in the U.S.``)."""
    if title is None:
        return None
    if title.endswith(".") and not title.endswith(".."):
        # Only a word of one or two ASCII letters, or one of the listed ones, can end an
        # abbreviation: the search (~2 µs) is skipped for the other titles.
        body = title[:-1]
        word = body[len(body.rstrip(_ASCII_LETTERS)) :]
        if (
            not word
            or (len(word) > 2 and word not in _ABBREVIATIONS)
            or not _ABBREVIATION_END.search(title, max(0, len(title) - _ABBREVIATION_CHARS))
        ):
            title = body.rstrip()
    return title or None


# -- dates ----------------------------------------------------------------------------------


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    # isdigit() alone takes '²' for a digit, which int() refuses.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def date(element: Element | None, warn: Warn, field: str) -> PartialDate | None:
    """``<PubDate>``-like element: Year/Month/Day/Season or a free ``MedlineDate``."""
    if element is None:
        return None
    year = month = day = season = medline = None
    for child in element:
        tag = child.tag
        if tag == "Year":
            year = child.text
        elif tag == "Month":
            month = child.text
        elif tag == "Day":
            day = child.text
        elif tag == "Season":
            season = child.text
        elif tag == "MedlineDate":
            medline = child.text
    if medline:
        return parse_pubmed_date(medline)
    number_year = _int(year)
    if number_year is None:
        if year or month or day or season:
            warn("bad-date", f"unreadable date: {year} {month} {day}", field)
        return None
    number_month: int | None = None
    if month:
        month = month.strip()
        number_month = _int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
    season_number = SEASONS.get(season.strip().lower()) if season else None
    number_day = _int(day) if number_month is not None else None
    try:
        if number_month is not None:
            if number_day is not None:
                calendar_date(number_year, number_month, number_day)  # raises on 31 February
            elif not 1 <= number_month <= 12:
                return PartialDate(year=number_year, month=number_month)  # raises
        # Every part is in range now (a SEASONS value is 1 to 4), so this is what validation
        # would make, made directly.
        return _raw(
            PartialDate,
            {
                "year": number_year,
                "month": number_month,
                "day": number_day,
                "season": season_number,
                "end": None,
                "literal": None,
            },
            {"year", "month", "day", "season"},
        )
    except ValueError:
        warn("bad-date", f"impossible date {year}-{month}-{day}: kept the year", field)
        return PartialDate(year=number_year)


# -- people ---------------------------------------------------------------------------------


def orcid(text: str | None) -> str | None:
    """Bare ``0000-0002-1825-0097`` from a bare, dashless or ``https://orcid.org/`` form."""
    if not text:
        return None
    match = _ORCID.search(text)
    if match is None:
        return None
    return "-".join(match.groups()).upper()


_PERSON_FIELDS = {
    "LastName": "family",
    "ForeName": "given",
    "Initials": "initials",
    "Suffix": "suffix",
    "CollectiveName": "literal",
}


def person(author: Element, warn: Warn) -> Person | None:
    """An ``Author`` / ``Investigator``; an entry NLM marked invalid (ValidYN=N) is skipped."""
    if author.get("ValidYN") == "N":
        return None
    values: dict[str, Any] = {}
    for child in author:
        tag = child.tag
        key = _PERSON_FIELDS.get(tag)
        if key is not None:
            # plain(), inlined for a leaf: names are most of an article's elements.
            if len(child):
                text = plain(child)
            else:
                text = child.text
                if text:
                    if "  " in text or not text.isprintable():
                        text = _SPACES.sub(" ", text)
                    text = text.strip()
            if text:
                values[key] = text
        elif tag == "AffiliationInfo":
            for info in child:
                if info.tag == "Affiliation":
                    text = plain(info)
                    if text:
                        values.setdefault("affiliations", []).append(text)
        elif tag == "Identifier" and child.get("Source") == "ORCID":
            found = orcid(child.text)
            if found:
                values["orcid"] = found
            else:
                warn("bad-orcid", f"not an ORCID iD: {child.text!r}", "author")
    if "family" in values or "given" in values or "literal" in values:
        get = values.get
        state = {
            "family": get("family"),
            "given": get("given"),
            "suffix": get("suffix"),
            "dropping_particle": None,
            "non_dropping_particle": None,
            "literal": get("literal"),
            "initials": get("initials"),
            "orcid": get("orcid"),
            "affiliations": get("affiliations") or [],
        }
        return _raw(Person, state, set(values))
    return None


def people(author_list: Element | None, warn: Warn) -> list[Person]:
    if author_list is None:
        return []
    found = []
    for child in author_list:
        if child.tag in ("Author", "Investigator"):
            one = person(child, warn)
            if one is not None:
                found.append(one)
    return found


# -- lists ----------------------------------------------------------------------------------


def abstract(element: Element | None, warn: Warn) -> str | None:
    """Labelled parts as ``LABEL: text`` paragraphs joined by newlines, copyright last."""
    if element is None:
        return None
    paragraphs: list[str] = []
    for child in element:
        tag = child.tag
        if tag == "AbstractText":
            text = rich(child, warn)
            if not text:
                continue
            label = child.get("Label")
            paragraphs.append(f"{label.strip()}: {text}" if label and label.strip() else text)
        elif tag == "CopyrightInformation":
            text = plain(child)
            if text:
                paragraphs.append(text)
    return "\n".join(paragraphs) or None


def mesh(heading_list: Element) -> list[MeshHeading]:
    """Descriptors with their qualifiers, in one pass over the list (the DTD puts each
    heading's descriptor before its qualifiers)."""
    headings: list[MeshHeading] = []
    current: list[MeshQualifier] | None = None
    for node in heading_list.iter("MeshHeading", "DescriptorName", "QualifierName"):
        tag = node.tag
        if tag == "MeshHeading":
            current = None
            continue
        if len(node):
            name = plain(node)
        else:
            name = node.text
            if name:
                if "  " in name or not name.isprintable():
                    name = _SPACES.sub(" ", name)
                name = name.strip()
        if not name:
            continue
        get = node.get
        # _raw() inlined: a MeSH list is ~20 models per article.
        if tag == "DescriptorName":
            current = []
            heading = _new(MeshHeading)
            _set_dict(
                heading,
                {
                    "descriptor": name,
                    "major": get("MajorTopicYN") == "Y",
                    "ui": get("UI"),
                    "qualifiers": current,
                },
            )
            _set_fields_set(heading, {"descriptor", "major", "ui", "qualifiers"})
            _set_extra(heading, None)
            _set_private(heading, None)
            headings.append(heading)
        elif current is not None:
            qualifier = _new(MeshQualifier)
            _set_dict(
                qualifier, {"name": name, "major": get("MajorTopicYN") == "Y", "ui": get("UI")}
            )
            _set_fields_set(qualifier, {"name", "major", "ui"})
            _set_extra(qualifier, None)
            _set_private(qualifier, None)
            current.append(qualifier)
    return headings


def chemicals(chemical_list: Element) -> list[Chemical]:
    found = []
    for chemical in chemical_list:
        name = number = None
        for child in chemical:
            if child.tag == "NameOfSubstance":
                name = plain(child)
            elif child.tag == "RegistryNumber":
                number = plain(child)
        if name:
            found.append(
                build(
                    Chemical,
                    {"name": name, "registry_number": number if number != "0" else None},
                )
            )
    return found


def grants(grant_list: Element) -> list[Grant]:
    found = []
    for grant in grant_list:
        values = {}
        for child in grant:
            key = _GRANT_FIELDS.get(child.tag) if isinstance(child.tag, str) else None
            text = plain(child) if key else None
            if key and text:
                values[key] = text
        if values:
            found.append(build(Grant, values))
    return found


_GRANT_FIELDS = {"GrantID": "id", "Acronym": "acronym", "Agency": "agency", "Country": "country"}


def texts(parent: Element, tag: str) -> list[str]:
    """Plain text of every child called ``tag``, in order, without repeats."""
    found: list[str] = []
    for child in parent:
        if child.tag == tag:
            text = plain(child)
            if text and text not in found:
                found.append(text)
    return found


def article_ids(id_list: Element | None) -> dict[str, str]:
    """``IdType`` -> value (the first of each type)."""
    found: dict[str, str] = {}
    if id_list is None:
        return found
    for child in id_list:
        if child.tag == "ArticleId":
            kind = child.get("IdType")
            if not kind or kind in found:
                continue
            if len(child):
                text = plain(child)
            else:
                text = child.text
                if text:
                    if "  " in text or not text.isprintable():
                        text = _SPACES.sub(" ", text)
                    text = text.strip()
            if text:
                found[kind] = text
    return found


_CITATION_BLANK: dict[str, Any] = {
    name: field.default
    for name, field in Citation.model_fields.items()
    if field.default_factory is None
}
_CITATION_BLANK.update(
    (name, None) for name, field in Citation.model_fields.items() if field.default_factory
)
"""Every Citation field in ``build``'s order (those with a default factory last, for
``_related`` to fill)."""
_CITATION_CONTAINERS = {
    name: field.default_factory
    for name, field in Citation.model_fields.items()
    if field.default_factory is not None
}
_LISTS = ("author", "editor", "investigators", "ISSN", "keyword", "mesh", "chemicals", "grants",
          "publication_types", "relations")  # fmt: skip
if {**dict.fromkeys((*_LISTS, "merged_from"), list), "field_sources": dict} != (
    _CITATION_CONTAINERS
):
    raise ImportError("pubmed_xml_fields._related: update it to Citation's container fields")


def _related(ids: dict[str, str]) -> Citation:
    """The cited work of a reference: its identifiers only (``build`` unrolled: an article
    may cite hundreds of works)."""
    state = _CITATION_BLANK.copy()
    fields = set()
    if "pubmed" in ids:
        state["PMID"] = ids["pubmed"]
        fields.add("PMID")
    if "doi" in ids:
        state["DOI"] = ids["doi"]
        fields.add("DOI")
    if "pmc" in ids:
        state["PMCID"] = ids["pmc"]
        fields.add("PMCID")
    state["author"] = []
    state["editor"] = []
    state["investigators"] = []
    state["ISSN"] = []
    state["keyword"] = []
    state["mesh"] = []
    state["chemicals"] = []
    state["grants"] = []
    state["publication_types"] = []
    state["relations"] = []
    state["field_sources"] = {}
    state["merged_from"] = []
    return _raw(Citation, state, fields)


_RELATION_FIELDS = frozenset({"kind", "citation", "text"})


def references(reference_list: Element) -> list[Relation]:
    """Every ``Reference`` (lists may nest) as a REFERENCES relation with its identifiers."""
    found = []
    kind = RelationKind.REFERENCES
    for reference in reference_list.iter("Reference"):
        citation = id_list = None
        for child in reference:
            tag = child.tag
            if tag == "Citation":
                if citation is None:
                    citation = child
            elif tag == "ArticleIdList" and id_list is None:
                id_list = child
        text = plain(citation)
        ids = article_ids(id_list)
        if text or ids:
            found.append(
                _raw(
                    Relation,
                    {"kind": kind, "citation": _related(ids), "text": text},
                    set(_RELATION_FIELDS),
                )
            )
    return found


def comments_corrections(corrections: Element, warn: Warn) -> list[Relation]:
    found = []
    for item in corrections:
        if item.tag != "CommentsCorrections":
            continue
        ref_type = item.get("RefType") or ""
        kind = RELATION_KINDS.get(ref_type)
        source = plain(item.find("RefSource"))
        if kind is None:
            warn(
                "relation-not-carried",
                f"CommentsCorrections type {ref_type!r} has no relation kind: {source}",
                "relations",
            )
            continue
        pmid = plain(item.find("PMID"))
        if kind is RelationKind.REFERENCES:
            # MEDLINE has no line for these and old records list dozens: kept as the
            # ReferenceList's references are, so they cost no parsing.
            related = build(Citation, {"PMID": pmid} if pmid else {})
        else:
            related = build(Citation, _related_work(source, pmid))
        found.append(build(Relation, {"kind": kind, "citation": related, "text": source}))
    return found


def _related_work(source: str | None, pmid: str | None) -> dict[str, Any]:
    """What a ``RefSource`` (``N Engl J Med. 2018 May 17;378(20):1940-1942``) says, as MEDLINE's
    relation lines are read, so an article's XML and ``.nbib`` give the same related works."""
    values = parse_journal_citation(source) if source else {}
    if pmid:
        values["PMID"] = pmid
    return values


def data_banks(bank_list: Element) -> list[Relation]:
    """``DataBankList`` (trial registries, sequence databases) as associated-data relations."""
    found = []
    for bank in bank_list:
        name = plain(bank.find("DataBankName"))
        numbers = bank.find("AccessionNumberList")
        for number in [] if numbers is None else numbers:
            accession = plain(number)
            if not accession:
                continue
            related = build(
                Citation, {"type": "dataset", "archive": name, "archive_location": accession}
            )
            text = f"{name}: {accession}" if name else accession
            found.append(
                build(
                    Relation,
                    {"kind": RelationKind.ASSOCIATED_DATA, "citation": related, "text": text},
                )
            )
    return found


def pages(pagination: Element | None) -> str | None:
    if pagination is None:
        return None
    medline = plain(pagination.find("MedlinePgn"))
    if medline:
        return expand_pages(medline)
    start, end = plain(pagination.find("StartPage")), plain(pagination.find("EndPage"))
    if start and end and end != start:
        return f"{start}-{end}"
    return start


def e_locator(pii: str | None) -> str | None:
    """A ``pii`` ELocationID that is an article number, usable as the page."""
    if pii and _E_LOCATOR.fullmatch(pii):
        return pii
    return None
