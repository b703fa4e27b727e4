"""CSL-JSON reader: Zotero, citation-js, pandoc and bibkit's own exports.

An array is decoded one item at a time, so memory stays at about one item and every citation
knows its line. Items are read leniently, the way the programs that write them behave: numbers
where strings belong, Zotero's ``journalAbbreviation``, ``raw`` and ``literal`` dates, and
identifiers in ``note`` lines (Zotero's "Extra" convention). ``custom`` as bibkit writes it
(see the README) is read back into the model's typed fields.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from pydantic import ValidationError

from bibkit.dates import parse_pubmed_date
from bibkit.diagnostics import Diagnostic, Severity
from bibkit.io import READ_ERRORS, Source, read_failure
from bibkit.mappings import csl as table
from bibkit.model import Citation, PartialDate, Person, Provenance
from bibkit.registry import ReadOptions

__all__ = ["date_from_csl", "from_csl", "person_from_csl", "read", "sniff"]

FORMAT = "csljson"
_CHUNK = 1 << 16
_CSL_KEYS = re.compile(
    r'"(?:title|container-title|issued|author|DOI|page|volume|date-parts|'
    r'journalAbbreviation|PMID|publisher|URL|citation-key)"\s*:'
)
_NOTE_ID = re.compile(r"^\s*(?P<label>PMID|PMCID)\s*:\s*(?P<value>\S.*?)\s*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"(?P<year>-?\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")
_IGNORED_NAME_KEYS = frozenset({"parse-names", "comma-suffix", "static-ordering"})
"""Formatting hints for citeproc, not parts of the name."""
_TEXT_KEYS = {key: field for field, key in table.TEXT_FIELDS}
_NAME_KEYS = {key: field for field, key in table.NAME_FIELDS}
_DATE_KEYS = {key: field for field, key in table.DATE_FIELDS}


def sniff(head: str) -> int:
    """80 for a JSON array or object whose keys are CSL's (``"type"`` plus a CSL variable)."""
    text = head.lstrip("\ufeff \t\r\n")
    if not text.startswith(("[", "{")):
        return 0
    if text.startswith("[") and text[1:].strip() in ("", "]"):
        return 0
    if '"type"' not in text or not _CSL_KEYS.search(text):
        return 0
    return 80


def read(source: Source, options: ReadOptions) -> Iterator[Citation | Diagnostic]:
    """Citations and diagnostics in input order; a bad item is reported and skipped."""
    try:
        with source.open_text() as handle:
            for line, item in _items(handle, source.name):
                if isinstance(item, Diagnostic):
                    yield item
                    continue
                yield from _one(item, source.name, line, options)
    except READ_ERRORS as error:
        yield read_failure(source.name, error)


def _one(
    item: object, path: str, line: int, options: ReadOptions
) -> Iterator[Citation | Diagnostic]:
    if not isinstance(item, Mapping):
        yield Diagnostic(
            path, line, "error", "invalid-record", f"item skipped: not an object but {item!r:.40}"
        )
        return
    problems: list[tuple[str, str]] = []
    try:
        citation = _citation(item, problems)
    except (ValidationError, ValueError, TypeError) as error:
        yield Diagnostic(path, line, "error", "invalid-record", f"item skipped: {error}")
        return
    citation.provenance = Provenance(path=path, line=line, format=FORMAT)
    severity: Severity = "error" if options.strict else "warning"
    warnings = [
        Diagnostic(path, line, severity, _code(name), message, field=name)
        for name, message in problems
    ]
    yield from warnings
    if not (options.strict and warnings):
        yield citation


def _code(field: str) -> str:
    return "unknown-type" if field == "type" else "field-not-carried"


def _items(handle: TextIO, path: str) -> Iterator[tuple[int, object | Diagnostic]]:
    """(line, value) for each element of a top-level array, or for a single top-level object.

    The buffer holds one item at a time; after a syntax error, reading resumes at the next
    ``{`` that starts a line at the broken item's indentation, so one broken item does not take
    the rest of the file with it.
    """
    decoder = json.JSONDecoder()
    buffer = ""
    position = 0
    line = 1
    eof = False

    def fill() -> bool:
        nonlocal buffer, eof
        chunk = handle.read(_CHUNK)
        if not chunk:
            eof = True
            return False
        buffer += chunk
        return True

    def skip_space() -> None:
        nonlocal position, line
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n\ufeff":
                if buffer[position] == "\n":
                    line += 1
                position += 1
            if position < len(buffer) or not fill():
                return

    skip_space()
    if position >= len(buffer):
        yield line, Diagnostic(path, None, "error", "empty-input", "no JSON in the input")
        return
    in_array = buffer[position] == "["
    if in_array:
        position += 1
    while True:
        skip_space()
        if position >= len(buffer):
            if in_array:
                yield line, Diagnostic(path, line, "error", "truncated", "the array is not closed")
            return
        if in_array and buffer[position] == "]":
            position += 1
            skip_space()
            if position < len(buffer):
                yield (
                    line,
                    Diagnostic(
                        path, line, "warning", "trailing-text", "text after the JSON array ignored"
                    ),
                )
            return
        start_line = line
        try:
            value, end = decoder.raw_decode(buffer, position)
        except RecursionError:
            # Arrays or objects nested past Python's recursion limit: the item is skipped, and
            # reading resumes as after a syntax error.
            yield start_line, Diagnostic(
                path, start_line, "error", "too-deep",
                "item skipped: nested too deeply to decode",
            )  # fmt: skip
            indent = position - (buffer.rfind("\n", 0, position) + 1)
            pattern = re.compile(rf"\n[ \t]{{{indent}}}\{{")
            while (resume := pattern.search(buffer, position)) is None and fill():
                pass
            if resume is None or not in_array:
                return
            line += buffer.count("\n", position, resume.start() + 1)
            position = resume.start() + 1
            continue
        except json.JSONDecodeError as error:
            if not eof and fill():
                continue
            yield start_line, Diagnostic(
                path, start_line + buffer.count("\n", position, error.pos), "error",
                "invalid-json", f"item skipped: {error.msg}",
            )  # fmt: skip
            indent = position - (buffer.rfind("\n", 0, position) + 1)
            resume = re.compile(rf"\n[ \t]{{{indent}}}\{{").search(buffer, error.pos)
            if resume is None or not in_array:
                return
            line += buffer.count("\n", position, resume.start() + 1)
            position = resume.start() + 1
            continue
        line += buffer.count("\n", position, end)
        position = end
        if in_array:
            yield start_line, value
        else:
            for inner in _unwrapped(value):
                yield start_line, inner
        if not in_array:
            skip_space()
            if position < len(buffer):
                yield (
                    line,
                    Diagnostic(
                        path, line, "warning", "trailing-text", "text after the JSON object ignored"
                    ),
                )
            return
        skip_space()
        if position < len(buffer) and buffer[position] == ",":
            position += 1
        buffer, position = buffer[position:], 0


def _unwrapped(value: object) -> list[object]:
    """The items of a top-level object that holds items rather than being one: citeproc-js's
    map of items by id (``{"ITEM-1": {"type": …}, …}``) or a wrapper such as
    ``{"items": [{…}, …]}``. Read as one item, either became an empty record without a type."""
    if not isinstance(value, Mapping) or "type" in value or not value:
        return [value]
    inner = list(value.values())
    if all(isinstance(v, Mapping) and "type" in v for v in inner):
        return [{"id": key} | dict(item) for key, item in value.items()]  # the key is its id
    items = inner[0] if len(inner) == 1 and isinstance(inner[0], list) else []
    if items and all(isinstance(v, Mapping) and "type" in v for v in items):
        return list(items)
    return [value]


def from_csl(item: Mapping[str, Any], *, problems: list[tuple[str, str]] | None = None) -> Citation:
    """One CSL-JSON item as a Citation (the inverse of :func:`bibkit.writers.csljson.to_csl`).

    Keys bibkit has no field for are listed in ``problems`` as (key, message) when given.
    Raises ValueError (pydantic's ValidationError) for an item that is no CSL item at all.
    """
    return _citation(item, problems if problems is not None else [])


def _citation(item: Mapping[str, Any], problems: list[tuple[str, str]]) -> Citation:
    custom = item.get("custom")
    custom = dict(custom) if isinstance(custom, Mapping) else {}
    fields: dict[str, Any] = {}
    kind = item.get("type")
    fields["type"] = _type(kind, custom, problems)
    key = item.get("citation-key") or item.get("id")
    # Zotero's ids are item URIs (http://zotero.org/users/…/items/…), no citation keys:
    # without a key, the pipeline gives the record a readable one.
    if _is_key(key):
        fields["id"] = str(key)

    for key, value in item.items():
        if key in ("type", "id", "citation-key", "custom", "note", "ISSN", "keyword"):
            continue
        if value is None or value == "" or value == []:
            continue
        try:
            _variable(key, value, fields, problems)
        except ValueError as error:
            # Say which key: "expected text, found True" alone leaves the user searching.
            raise ValueError(f"{key!r}: {error}") from None
    if "page" not in fields and item.get("page-first") not in (None, ""):
        fields["page"] = _text(item["page-first"])

    for listed, parse in (("ISSN", _issns), ("keyword", _keywords)):
        if item.get(listed):
            try:
                fields[listed] = parse(item[listed])
            except ValueError as error:
                raise ValueError(f"{listed!r}: {error}") from None
    if isinstance(item.get("note"), str):
        _note(item["note"], fields)
    _custom(custom, fields, problems)
    return Citation.model_validate(fields)


def _variable(
    key: str, value: object, fields: dict[str, Any], problems: list[tuple[str, str]]
) -> None:
    """One top-level CSL key into ``fields``; ValueError for a value of an impossible type."""
    if key in _TEXT_KEYS or key in table.ALIASES:
        name = _TEXT_KEYS.get(key) or table.ALIASES[key]
        fields.setdefault(name, _text(value))
    elif key in _NAME_KEYS:
        fields[_NAME_KEYS[key]] = [person_from_csl(n) for n in _as_list(value)]
    elif key in _DATE_KEYS:
        date = date_from_csl(value)
        if date is not None:
            fields[_DATE_KEYS[key]] = date
        elif value != {}:
            problems.append((key, f"date {value!r:.60} not understood; not kept"))
    elif key != "page-first":
        problems.append((key, f"bibkit has no field for CSL-JSON {key!r}; not kept"))


def _is_key(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return False
    return bool(str(value)) and not re.match(r"https?://", str(value))


def _type(kind: object, custom: dict[str, Any], problems: list[tuple[str, str]]) -> str:
    original = custom.pop(table.CUSTOM_TYPE, None)
    if isinstance(original, str) and original:
        return original
    if not isinstance(kind, str) or not kind:
        problems.append(("type", "item has no type; read as document"))
        return "document"
    if kind in table.CSL_TYPES:
        return kind
    if kind in table.TYPE_ALIASES:
        return table.TYPE_ALIASES[kind]
    problems.append(("type", f"{kind!r} is no CSL type; read as document"))
    return "document"


def person_from_csl(name: object) -> Person:
    """A CSL name object; a plain string is taken as a literal name."""
    if isinstance(name, str):
        return Person(literal=name)
    if not isinstance(name, Mapping):
        raise ValueError(f"a name must be an object, not {name!r:.40}")
    parts = {
        field: _text(name[key])
        for field, key in table.NAME_PARTS
        if name.get(key) not in (None, "")
    }
    return Person.model_validate(parts)


def date_from_csl(value: object) -> PartialDate | None:
    """``date-parts`` (strings or numbers, one or two rows), ``season``, ``literal``, ``raw``,
    or an EDTF/ISO string; citeproc-js's months 13–16 (and 21–24) are seasons."""
    if isinstance(value, str | int):
        return _date_text(str(value))
    if not isinstance(value, Mapping):
        return None
    literal = value.get("literal")
    rows = value.get("date-parts")
    date: PartialDate | None = None
    if isinstance(rows, list) and rows and isinstance(rows[0], list):
        date = _row(rows[0])
        if date is not None and len(rows) > 1 and isinstance(rows[1], list):
            end = _row(rows[1])
            if end is not None and end != date:
                date = date.model_copy(update={"end": end})
    elif isinstance(value.get("raw"), str):
        date = _date_text(value["raw"])
    season = _season(value.get("season"))
    if season is not None:
        date = (date or PartialDate()).model_copy(update={"season": season})
    if isinstance(literal, str) and literal:
        date = (date or PartialDate()).model_copy(update={"literal": literal})
    if date is not None and date == PartialDate():
        return None
    return date


def _row(row: list[Any]) -> PartialDate | None:
    numbers: list[int] = []
    for part in row[:3]:
        try:
            numbers.append(int(str(part).strip()))
        except ValueError:
            break
    if not numbers or numbers[0] == 0:
        return None
    year, month, day = [*numbers, 0, 0][:3]
    season = None
    if 13 <= month <= 16 or 21 <= month <= 24:
        season, month, day = (month - 12 if month <= 16 else month - 20), 0, 0
    date = PartialDate(
        year=year,
        month=month if 1 <= month <= 12 else None,
        day=day if 1 <= month <= 12 and 1 <= day <= 31 else None,
    )
    return date.model_copy(update={"season": season}) if season else date


def _season(value: object) -> int | None:
    if isinstance(value, int) and 1 <= value <= 4:
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text.isdigit() and 1 <= int(text) <= 4:
            return int(text)
        return table.SEASON_NAMES.get(text)
    return None


def _date_text(text: str) -> PartialDate | None:
    """ISO 8601 / EDTF (``2024-04-12``, ``2010-09/2010-10``) or PubMed-like text."""
    text = text.strip()
    if not text:
        return None
    start, slash, end = text.partition("/")
    first = _ISO_DATE.fullmatch(start)
    if first:
        date = _iso(first)
        if slash:
            last = _ISO_DATE.fullmatch(end)
            if last is None:
                return PartialDate(year=date.year, literal=text)
            date = date.model_copy(update={"end": _iso(last)})
        return date
    return parse_pubmed_date(text)


def _iso(match: re.Match[str]) -> PartialDate:
    month = int(match["month"]) if match["month"] else None
    return PartialDate(
        year=int(match["year"]),
        month=month if month and 1 <= month <= 12 else None,
        day=int(match["day"]) if match["day"] and month else None,
    )


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        # 16.0 is how some writers (and JavaScript's JSON) give the number 16.
        return str(int(value)) if value.is_integer() else str(value)
    # NaN and Infinity are not JSON, though Python's decoder takes them: they are no volume.
    raise ValueError(f"expected text, found {value!r:.40}")


def _as_list(value: object) -> list[Any]:
    if isinstance(value, list):
        return value
    raise ValueError(f"expected a list of names, found {value!r:.40}")


def _issns(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [part for item in items for part in re.split(r"[,;\s]+", _text(item)) if part]


def _keywords(value: object) -> list[str]:
    if isinstance(value, list):
        return [_text(v).strip() for v in value if _text(v).strip()]
    return [k.strip() for k in _text(value).split(",") if k.strip()]


def _note(note: str, fields: dict[str, Any]) -> None:
    """``PMID: …`` / ``PMCID: …`` lines fill those fields; the rest stays the note."""
    rest: list[str] = []
    for line in note.split("\n"):
        match = _NOTE_ID.match(line)
        if match is None:
            rest.append(line)
            continue
        label = match["label"].upper()
        field = dict((lbl.upper(), f) for lbl, f in table.NOTE_IDS)[label]
        if fields.get(field) in (None, match["value"]):
            fields[field] = match["value"]
        else:
            rest.append(line)
    text = "\n".join(rest).strip("\n")
    if text:
        fields["note"] = text


def _custom(
    custom: dict[str, Any], fields: dict[str, Any], problems: list[tuple[str, str]]
) -> None:
    """bibkit's extras, in the shape the CSL-JSON writer gives them (README, CSL-JSON)."""
    for role, _key in table.NAME_FIELDS:
        details = custom.pop(f"{role}_details", None)
        people: list[Person] = fields.get(role, [])
        if isinstance(details, list):
            for person, extra in zip(people, details, strict=False):
                if isinstance(extra, Mapping):
                    for name in table.PERSON_DETAILS:
                        if extra.get(name):
                            setattr(person, name, extra[name])
    keywords = custom.pop(table.CUSTOM_KEYWORDS, None)
    if isinstance(keywords, list):
        fields["keyword"] = [_text(k) for k in keywords]
    issns = custom.pop(table.CUSTOM_ISSN, None)
    if isinstance(issns, list):
        fields["ISSN"] = [_text(i) for i in issns]
    for name in table.CUSTOM_FIELDS:
        value = custom.pop(name, None)
        if value is None:
            continue
        if name == "relations" and isinstance(value, list):
            fields[name] = [_relation(r, problems) for r in value]
        elif name == "investigators" and isinstance(value, list):
            fields[name] = [_investigator(v) for v in value]
        else:
            fields[name] = value
    for key in custom:
        problems.append((f"custom.{key}", f"bibkit has no field for custom.{key!s}; not kept"))


def _relation(value: object, problems: list[tuple[str, str]]) -> dict[str, Any]:
    if not isinstance(value, Mapping) or not isinstance(value.get("item"), Mapping):
        raise ValueError(f"a relation needs a kind and an item, not {value!r:.60}")
    out: dict[str, Any] = {
        "kind": value.get("kind"),
        "citation": _citation({"type": "article-journal"} | dict(value["item"]), problems),
    }
    if value.get("text"):
        out["text"] = value["text"]
    return out


def _investigator(value: object) -> Person:
    if not isinstance(value, Mapping):
        raise ValueError(f"an investigator must be an object, not {value!r:.40}")
    person = person_from_csl(value)
    for name in table.PERSON_DETAILS:
        if value.get(name):
            setattr(person, name, value[name])
    return person
