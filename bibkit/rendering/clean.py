"""CSL-JSON as citeproc-py needs it: full page numbers, date-parts, names with a family or a
literal, only the variables it knows, and titles whose markup is kept apart from their text.

CSL-JSON from other tools (Zotero, pandoc, our own readers) is valid but loose: abbreviated page
ranges, ``journalAbbreviation`` instead of ``container-title-short``, ``raw`` dates, names with
only a given name. citeproc-py either fails on these or prints them wrongly, so every item is
normalised here before it reaches the engine.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from citeproc import DATES, NAMES, VARIABLES

from bibkit.pages import expand_range

RICH_TEXT_FIELDS = ("title", "container_title", "collection_title", "title_short", "original_title")
"""Fields whose CSL rich-text markup (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<sc>``,
``<span class="nocase">``) is honoured; everywhere else ``<`` is just a character."""

EXTRA_DATES = ("available-date",)
"""CSL 1.0.2 dates citeproc-py lacks; the engine parses them itself."""
_KNOWN = set(VARIABLES) | {"year_suffix"}
_NAME_KEYS = ("family", "given", "suffix", "dropping-particle", "non-dropping-particle", "literal")
_IDENTIFIERS = frozenset(("URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "call_number"))
"""Values copied as they are: an apostrophe in a URL or DOI is part of the address."""
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def typographic(text: str) -> str:
    """An apostrophe between letters is the typographic one (``O'Brien`` -> ``O’Brien``).

    CSL processors print the apostrophe as the typographer's mark (CSL 1.0.2, "Appendix IV -
    Rich text": straight quotes in field values are output as curly ones).
    """
    return _APOSTROPHE.sub("\u2019", text)


def clean_name(name: Mapping[str, Any]) -> dict[str, str] | None:
    """A name with a ``family`` or a ``literal``; a lone given name becomes the family name."""
    out = {k: typographic(str(v)).strip() for k, v in name.items() if k in _NAME_KEYS and v}
    if "literal" in out:
        return {"literal": out["literal"]}
    if "family" not in out:
        if "given" in out:
            return {"literal": out["given"]}
        return None
    return out


def clean_date(value: Any) -> dict[str, Any] | None:
    """``date-parts`` with integer parts; ``raw``/``literal`` ISO dates are parsed."""
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        rows: list[list[int]] = []
        for row in parts[:2]:
            numbers: list[int] = []
            for part in row[:3]:
                try:
                    numbers.append(int(part))
                except (TypeError, ValueError):
                    break
            if numbers:
                rows.append(numbers)
        if rows:
            out: dict[str, Any] = {"date-parts": rows}
            if value.get("season"):
                out["season"] = value["season"]
            return out
    text = value.get("raw") or value.get("literal")
    if isinstance(text, str):
        match = _ISO_DATE.match(text.strip())
        if match:
            return {"date-parts": [[int(g) for g in match.groups() if g]]}
        return {"literal": text}
    return None


def clean_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """One CSL-JSON item as citeproc-py takes it (keys stay in CSL's hyphenated form)."""
    out: dict[str, Any] = {"id": str(item.get("id", "")), "type": item.get("type") or "article"}
    for key, value in item.items():
        if key in ("id", "type") or value in (None, "", [], {}):
            continue
        python_key = key.replace("-", "_")
        if python_key in NAMES:
            names = [clean_name(n) for n in value if isinstance(n, Mapping)]
            kept = [n for n in names if n]
            if kept:
                out[key] = kept
        elif python_key in DATES or key in EXTRA_DATES:
            date = clean_date(value)
            if date:
                out[key] = date
        elif python_key == "page":
            out[key] = expand_range(str(value))
        elif python_key in _KNOWN:
            text = value if isinstance(value, str) else _flatten(value)
            out[key] = text if python_key in _IDENTIFIERS else typographic(text)
    if "note" in out:
        _variables_from_note(out)
    if "container-title-short" not in out and item.get("journalAbbreviation"):
        out["container-title-short"] = str(item["journalAbbreviation"])
    if "container-title" not in out and "container-title-short" in out:
        # PubMed's related entries know only the abbreviation; a style that prints the full
        # journal title would otherwise print no journal at all.
        out["container-title"] = out["container-title-short"]
    return out


_NOTE_FIELD = re.compile(r"^\s*([A-Za-z][A-Za-z-]*)\s*:\s*(\S.*?)\s*$")
_BY_NAME = {name.lower().replace("_", "-"): name.replace("_", "-") for name in VARIABLES}


def _variables_from_note(item: dict[str, Any]) -> None:
    """``PMID: 38675192`` lines of a note are variables (Zotero's convention for its Extra
    field, which becomes the CSL note): they fill the variable if empty and leave the note, so
    a style that prints notes does not print them as text."""
    kept: list[str] = []
    for line in str(item["note"]).splitlines():
        match = _NOTE_FIELD.match(line)
        name = _BY_NAME.get(match.group(1).lower()) if match else None
        if match and name and name not in NAMES and name.replace("-", "_") not in DATES:
            item.setdefault(name, match.group(2))
            continue
        kept.append(line)
    if any(line.strip() for line in kept):
        item["note"] = "\n".join(kept)
    else:
        del item["note"]


def _flatten(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def plain(text: str) -> str:
    """Rich text without its markup, for sorting and messages."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))
