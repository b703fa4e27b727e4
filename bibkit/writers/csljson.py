"""CSL-JSON writer: the citation model as CSL items, for pandoc, citeproc and Zotero.

The model is CSL-shaped, so this is mostly renaming. What CSL has no variable for (MeSH,
grants, relations, affiliations ...) goes under ``custom`` in the shape documented in the
README, so that :func:`bibkit.readers.csljson.from_csl` reads it back without loss.
Zotero reads neither ``PMID`` before version 8 nor ``container-title-short``; the PMID/PMCID
also go into ``note`` lines and the abbreviation into ``journalAbbreviation``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any, TextIO

from bibkit.diagnostics import Diagnostic, Report
from bibkit.mappings import csl as table
from bibkit.model import Citation, PartialDate, Person, Relation
from bibkit.registry import WriteOptions

__all__ = ["date_to_csl", "person_to_csl", "pretty", "to_csl", "write"]


def write(
    citations: Iterable[Citation], out: TextIO, options: WriteOptions, report: Report
) -> None:
    """Write a pretty-printed JSON array one item at a time, so memory stays at one record."""
    del options  # CSL-JSON is always UTF-8 text; no option changes it.
    count = 0
    for citation in citations:
        for field in _not_carried(citation):
            report(_loss(citation, field))
        out.write("[\n  " if count == 0 else ",\n  ")
        out.write(pretty(to_csl(citation), 1))
        count += 1
    out.write("\n]\n" if count else "[]\n")


_WIDTH = 96


def pretty(value: Any, level: int = 0) -> str:
    """Indented JSON that keeps short values (names, date-parts) on one line, for people."""
    compact = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if not isinstance(value, dict | list) or len(compact) + 2 * level <= _WIDTH or not value:
        return compact
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, dict):
        body = [
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {pretty(v, level + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(body) + f"\n{pad}}}"
    body = [f"{inner}{pretty(v, level + 1)}" for v in value]
    return "[\n" + ",\n".join(body) + f"\n{pad}]"


def to_csl(citation: Citation) -> dict[str, Any]:
    """One citation as a CSL-JSON item, valid against the CSL 1.0.2 data schema."""
    item: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    item["type"], unknown_type = _csl_type(citation.type)
    if unknown_type:
        custom[table.CUSTOM_TYPE] = citation.type
    item["id"] = citation.id if citation.id else fallback_id(citation)

    for field, key in table.TEXT_FIELDS:
        value = getattr(citation, field)
        if value:
            item[key] = value
    if citation.container_title_short:
        item["journalAbbreviation"] = citation.container_title_short

    for field, key in table.NAME_FIELDS:
        people: list[Person] = getattr(citation, field)
        if people:
            item[key] = [person_to_csl(p) for p in people]
            details = [person_details(p) for p in people]
            if any(details):
                custom[f"{field}_details"] = details

    for field, key in table.DATE_FIELDS:
        date: PartialDate | None = getattr(citation, field)
        csl_date = date_to_csl(date) if date is not None else None
        if csl_date:
            item[key] = csl_date

    if citation.ISSN:
        item["ISSN"] = ", ".join(citation.ISSN)
        if any("," in issn or issn != issn.strip() or not issn for issn in citation.ISSN):
            custom[table.CUSTOM_ISSN] = list(citation.ISSN)
    if citation.keyword:
        item["keyword"] = ", ".join(citation.keyword)
        if any("," in kw or kw != kw.strip() or not kw for kw in citation.keyword):
            custom[table.CUSTOM_KEYWORDS] = list(citation.keyword)

    note = _note(citation)
    if note:
        item["note"] = note

    custom.update(_custom_fields(citation))
    if custom:
        item["custom"] = custom
    return _ordered(item)


def fallback_id(citation: Citation) -> str:
    """A stable id for a citation the pipeline gave no key (the schema requires one)."""
    if citation.PMID:
        return f"pmid{citation.PMID}"
    if citation.DOI:
        return f"doi:{citation.DOI}"
    origin = {"provenance", "field_sources", "merged_from"}
    digest = hashlib.sha1(citation.model_dump_json(exclude=origin).encode("utf-8")).hexdigest()
    return f"item-{digest[:12]}"


def person_to_csl(person: Person) -> dict[str, str]:
    """The CSL name object: only the name parts, never affiliations (the schema forbids them)."""
    return {key: value for field, key in table.NAME_PARTS if (value := getattr(person, field))}


def person_details(person: Person) -> dict[str, Any]:
    """Affiliations, ORCID and initials of one name; empty when the source gave none."""
    details: dict[str, Any] = {}
    for field in table.PERSON_DETAILS:
        value = getattr(person, field)
        if value:
            details[field] = list(value) if isinstance(value, list) else value
    return details


def date_to_csl(date: PartialDate) -> dict[str, Any]:
    """``date-parts`` (two rows for a range), plus ``season`` and ``literal`` when known."""
    out: dict[str, Any] = {}
    start = date.parts()
    if start:
        rows = [start]
        if date.end is not None and date.end.parts():
            rows.append(date.end.parts())
        out["date-parts"] = rows
    if date.season is not None:
        out["season"] = date.season
    if date.literal:
        out["literal"] = date.literal
    return out


def _csl_type(kind: str) -> tuple[str, bool]:
    """The CSL type, and whether it differs from the model's (which ``custom`` then keeps)."""
    if kind in table.CSL_TYPES:
        return kind, False
    return table.TYPE_ALIASES.get(kind, "document"), True


def _note(citation: Citation) -> str:
    """``PMID: …`` / ``PMCID: …`` lines (Zotero's Extra convention) before the citation's note."""
    existing = citation.note.splitlines() if citation.note else []
    lines = [
        line
        for label, field in table.NOTE_IDS
        if (value := getattr(citation, field)) and (line := f"{label}: {value}") not in existing
    ]
    if citation.note:
        lines.append(citation.note)
    return "\n".join(lines)


def _custom_fields(citation: Citation) -> dict[str, Any]:
    custom: dict[str, Any] = {}
    for field in table.CUSTOM_FIELDS:
        value = getattr(citation, field)
        if not value:
            continue
        if field == "relations":
            custom[field] = [_relation(r) for r in value]
        elif field == "investigators":
            custom[field] = [person_to_csl(p) | person_details(p) for p in value]
        elif isinstance(value, list):
            custom[field] = [
                v.model_dump(mode="json", exclude_defaults=True) if hasattr(v, "model_dump") else v
                for v in value
            ]
        else:
            custom[field] = value
    return custom


def _relation(relation: Relation) -> dict[str, Any]:
    """A related work as a nested CSL item (its id only if it has one of its own)."""
    item = to_csl(relation.citation)
    if not relation.citation.id:
        del item["id"]
    out: dict[str, Any] = {"kind": relation.kind.value, "item": item}
    if relation.text:
        out["text"] = relation.text
    return out


_ORDER = (
    "type", "id", "title", "title-short", "original-title", "author", "editor",
    "container-title", "container-title-short", "journalAbbreviation", "issued",
    "available-date", "status", "volume", "issue", "page",
)  # fmt: skip


def _ordered(item: dict[str, Any]) -> dict[str, Any]:
    """Key order for people reading the file: identity, names, source, then the rest."""
    first = {key: item[key] for key in _ORDER if key in item}
    rest = {key: value for key, value in item.items() if key not in first and key != "custom"}
    tail = {"custom": item["custom"]} if "custom" in item else {}
    return first | rest | tail


def _not_carried(citation: Citation) -> list[str]:
    """Fields CSL-JSON has no room for even under ``custom``: ends of season ranges."""
    lost: list[str] = []
    for field, _key in table.DATE_FIELDS:
        date: PartialDate | None = getattr(citation, field)
        if date is not None and date.end is not None:
            end = date.end
            if end.season is not None or end.literal or not end.parts():
                lost.append(field)
    return lost


def _loss(citation: Citation, field: str) -> Diagnostic:
    where = citation.provenance
    return Diagnostic(
        where.path if where else "<output>",
        where.line if where else None,
        "warning",
        "field-not-carried",
        f"CSL-JSON has no place for the end season or text of the {field} range",
        field=field,
    )
