"""Field-by-field comparison of a client's CSL-JSON with bibkit's, allowing only listed differences.

Both sides are first put in one canonical form that changes no meaning (date strings and
``date-parts`` alike, numbers as text, Zotero's ``journalAbbreviation`` and ``note`` lines
``PMID: …`` as the variables they stand for). What still differs must be listed in
``known-differences.json`` for that client, input format and field:

- ``dropped``: the client leaves out a field bibkit wrote;
- ``added``: the client has a field bibkit did not write;
- ``rewritten``: both have it, and they agree once the named normalizers (below) are applied
  to both sides.

Client ``*`` is for what the format itself cannot hold (a line break in an RIS value), seen by
every client alike.

A listed difference that no test run needs any more is reported too, so the list stays true.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from bibkit.mappings import csl as table
from bibkit.mappings.bibtex import biblatex_language, language_code

KNOWN_DIFFERENCES = Path(__file__).with_name("known-differences.json")
ANY_CLIENT = "*"
"""An entry for what the source format itself cannot hold, whichever client reads it."""
DATE_KEYS = frozenset(key for _, key in table.DATE_FIELDS) | {"event-date", "original-date"}
NAME_KEYS = frozenset(key for _, key in table.NAME_FIELDS) | {
    "composer", "container-author", "director", "interviewer", "recipient", "translator",
    "collection-editor", "editorial-director", "reviewed-author", "illustrator",
}  # fmt: skip
IGNORED_KEYS = frozenset({"id", "citation-key", "custom"})
NOTE_LABELS = {label: next(k for f, k in table.TEXT_FIELDS if f == field)
               for label, field in table.NOTE_IDS}  # fmt: skip
_NOTE_LINE = re.compile(r"^(?P<label>[A-Za-z-]+):\s*(?P<value>\S.*)$")
_EDTF = re.compile(r"^(?P<y>-?\d{4})(?:-(?P<m>\d{2}))?(?:-(?P<d>\d{2}))?$")


# --- canonical form (both sides, every client) -----------------------------------------------


def canonical(item: dict[str, Any]) -> dict[str, Any]:
    """One CSL item as ``field -> value``, with ``custom.X`` fields flattened."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key in IGNORED_KEYS or _empty(value):
            continue
        if key in DATE_KEYS:
            out[key] = canonical_date(value)
        elif key in NAME_KEYS and isinstance(value, list):
            out[key] = [canonical_name(name) for name in value]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[key] = str(value)
        else:
            out[key] = value
    abbreviation = out.pop("journalAbbreviation", None)
    if abbreviation is not None and out.setdefault("container-title-short", abbreviation) != (
        abbreviation
    ):
        out["journalAbbreviation"] = abbreviation
    _lift_note_ids(out)
    for key, value in (item.get("custom") or {}).items():
        if not _empty(value):
            out[f"custom.{key}"] = value
    return out


def _empty(value: Any) -> bool:
    return value is None or value in ("", [], {})


def _lift_note_ids(out: dict[str, Any]) -> None:
    """``note`` lines ``PMID: …`` are the variable itself (Zotero's and citeproc's reading)."""
    note = out.get("note")
    if not isinstance(note, str):
        return
    kept: list[str] = []
    for line in note.splitlines():
        match = _NOTE_LINE.match(line.strip())
        key = NOTE_LABELS.get(match["label"]) if match else None
        if match and key and out.get(key, match["value"]) == match["value"]:
            out[key] = match["value"]
        else:
            kept.append(line)
    if "\n".join(kept).strip():
        out["note"] = "\n".join(kept)
    else:
        del out["note"]


def canonical_date(value: Any) -> Any:
    """``{"date-parts": [[y, m, d], …]}`` with integers, from whichever form a client wrote."""
    if isinstance(value, str):
        rows = [_edtf_row(part) for part in value.split("/")]
        if all(row is not None for row in rows):
            return {"date-parts": rows}
        return {"literal": value}
    if not isinstance(value, dict):
        return value
    out = {key: v for key, v in value.items() if not _empty(v) and key != "date-parts"}
    if "date-parts" in value:
        out["date-parts"] = [[int(part) for part in row if part not in (None, "")]
                             for row in value["date-parts"]]  # fmt: skip
    elif "raw" in value and isinstance(value["raw"], str):
        parsed = canonical_date(value["raw"])
        if "date-parts" in parsed:
            del out["raw"]
            out["date-parts"] = parsed["date-parts"]
    if "season" in out:
        out["season"] = str(out["season"])
    return out


def _edtf_row(text: str) -> list[int] | None:
    match = _EDTF.match(text.strip())
    if not match:
        return None
    return [int(part) for part in match.group("y", "m", "d") if part is not None]


def canonical_name(name: Any) -> Any:
    if not isinstance(name, dict):
        return name
    return {key: v.strip() for key, v in sorted(name.items()) if isinstance(v, str) and v.strip()}


# --- normalizers that a listed "rewritten" difference may name ---------------------------------


def _map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    return value


def _map_names(value: Any, fn: Callable[[dict[str, str]], Any]) -> Any:
    if isinstance(value, list):
        return [fn(dict(name)) if isinstance(name, dict) else name for name in value]
    return value


def _carried_parts(value: Any) -> list[Any]:
    """What a client may still hold of a field the writer reported lost: all of it, of a
    date range whose end was lost the start, of a list of identifiers (ISSNs) the first."""
    parts = [value]
    if isinstance(value, dict) and len(value.get("date-parts") or []) > 1:
        parts.append(_date_start(value))
    if isinstance(value, str) and ", " in value:
        parts.append(value.split(", ")[0])
    return parts


def _date_start(value: Any) -> Any:
    if isinstance(value, dict) and value.get("date-parts"):
        return {"date-parts": value["date-parts"][:1]}
    return value


def _year_only(value: Any) -> Any:
    if isinstance(value, dict) and value.get("date-parts"):
        return {"date-parts": [value["date-parts"][0][:1]]}
    return value


def _keyword_set(value: Any) -> Any:
    if isinstance(value, str):
        return sorted(part.strip() for part in value.split(",") if part.strip())
    return value


_QUOTES = str.maketrans("’‘“”", "''\"\"")


def _smart_quotes(text: str) -> str:
    return text.translate(_QUOTES)


def _whitespace(text: str) -> str:
    return " ".join(text.split())


def _nocase_span(text: str) -> str:
    return re.sub(r'<span class="nocase">(.*?)</span>', r"\1", text)


def _dashes(text: str) -> str:
    return text.replace("–", "-").replace("—", "-")


def _name_words(name: dict[str, str]) -> list[str]:
    return sorted(word for part in name.values() for word in part.split())


def _particle_kind(name: dict[str, str]) -> dict[str, str]:
    if "dropping-particle" in name:
        name["non-dropping-particle"] = name.pop("dropping-particle")
    return name


def _particle_in_family(name: dict[str, str]) -> dict[str, str]:
    particle = name.pop("non-dropping-particle", None)
    if particle and "family" in name:
        name["family"] = f"{particle} {name['family']}"
    return name


def _literal_as_family(name: dict[str, str]) -> dict[str, str]:
    if set(name) == {"literal"}:
        return {"family": name["literal"]}
    return name


def _latex_accents_composed(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _paragraphs_glued(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", text)


STATUS_SYNONYMS = {"prepublished": "ahead-of-print", "pre-published": "ahead-of-print"}
"""BibLaTeX's ``pubstate`` key for a work published online before print, as clients spell it."""


def _status(value: Any) -> Any:
    return STATUS_SYNONYMS.get(value, value) if isinstance(value, str) else value


def _issn_list(value: Any) -> Any:
    return sorted(re.split(r"[,;\s]+", value.strip())) if isinstance(value, str) else value


def _language(value: Any) -> Any:
    """A language by what it is: ``eng``, ``english`` and ``en-US`` are all ``en``."""
    if not isinstance(value, str):
        return value
    return language_code(biblatex_language(value)).split("-")[0]


NORMALIZERS: dict[str, Callable[[Any], Any]] = {
    "language-code": _language,
    "year-only": _year_only,
    "date-start": _date_start,
    "keyword-set": _keyword_set,
    "smart-quotes": lambda v: _map_strings(v, _smart_quotes),
    "whitespace": lambda v: _map_strings(v, _whitespace),
    "nocase-span": lambda v: _map_strings(v, _nocase_span),
    "dashes": lambda v: _map_strings(v, _dashes),
    "nfc": lambda v: _map_strings(v, _latex_accents_composed),
    "casefold": lambda v: _map_strings(v, str.casefold),
    "paragraphs-glued": lambda v: _map_strings(v, _paragraphs_glued),
    "status-synonyms": _status,
    "issn-list": _issn_list,
    "name-words": lambda v: _map_names(v, _name_words),
    "particle-kind": lambda v: _map_names(v, _particle_kind),
    "particle-in-family": lambda v: _map_names(v, _particle_in_family),
    "literal-as-family": lambda v: _map_names(v, _literal_as_family),
}
"""What a ``rewritten`` entry may excuse: each changes both sides the same way."""


# --- the list of known differences -----------------------------------------------------------


@dataclass(frozen=True)
class KnownDifference:
    client: str
    formats: tuple[str, ...]
    field: str
    kind: str
    why: str
    normalize: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    """CSL types (of bibkit's record) the entry is limited to; empty means every type."""

    def applies(self, client: str, source_format: str, key: str, csl_type: str | None) -> bool:
        return (
            self.client in (client, ANY_CLIENT)
            and source_format in self.formats
            and fnmatchcase(key, self.field)
            and (not self.types or csl_type in self.types)
        )

    def label(self) -> str:
        return f"{self.client} {'/'.join(self.formats)} {self.field} {self.kind}"


def load_known_differences(path: Path = KNOWN_DIFFERENCES) -> list[KnownDifference]:
    data = json.loads(path.read_text(encoding="utf-8"))
    entries: list[KnownDifference] = []
    for raw in data["differences"]:
        entry = KnownDifference(
            client=raw["client"],
            formats=tuple(raw["formats"]),
            field=raw["field"],
            kind=raw["kind"],
            why=raw["why"],
            normalize=tuple(raw.get("normalize", ())),
            types=tuple(raw.get("types", ())),
        )
        assert entry.kind in {"dropped", "added", "rewritten"}, entry
        assert all(name in NORMALIZERS for name in entry.normalize), entry
        assert (entry.kind == "rewritten") == bool(entry.normalize), entry
        entries.append(entry)
    return entries


# --- comparing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    record: str
    field: str
    ours: Any
    theirs: Any

    def __str__(self) -> str:
        ours = json.dumps(self.ours, ensure_ascii=False)
        theirs = json.dumps(self.theirs, ensure_ascii=False)
        return f"{self.record}: {self.field}: bibkit {ours} / client {theirs}"


@dataclass
class Comparison:
    """Every difference found, split into those a listed entry explains and the rest."""

    client: str
    source_format: str
    known: list[KnownDifference]
    unexplained: list[Difference] = field(default_factory=list)
    used: set[KnownDifference] = field(default_factory=set)
    client_errors: list[str] = field(default_factory=list)
    """A client that could not read a set at all: that set is not compared."""

    @property
    def clean(self) -> bool:
        return not (self.unexplained or self.client_errors or self.unused())

    def record(
        self,
        record: str,
        ours: dict[str, Any],
        theirs: dict[str, Any],
        not_carried: Iterable[str] = (),
    ) -> None:
        """Compare one record: ``ours`` and ``theirs`` are raw CSL items; ``not_carried`` are
        the CSL fields bibkit's writer reported it could not put in the source format."""
        mine, other = canonical(ours), canonical(theirs)
        lost = set(not_carried)
        csl_type = ours.get("type")
        for key in sorted(set(mine) | set(other)):
            if key in lost and (key not in other or other[key] in _carried_parts(mine.get(key))):
                continue
            expected = None if key in lost else mine.get(key)
            got = other.get(key)
            if expected == got:
                continue
            entries = [e for e in self.known if e.applies(self.client, self.source_format,
                                                          key, csl_type)]  # fmt: skip
            if not self._explained(entries, expected, got):
                self.unexplained.append(Difference(record, key, expected, got))

    def _explained(self, entries: list[KnownDifference], ours: Any, theirs: Any) -> bool:
        kind = "dropped" if theirs is None else "added" if ours is None else "rewritten"
        matching = [e for e in entries if e.kind == kind]
        if kind != "rewritten":
            self.used.update(matching)
            return bool(matching)
        a, b = ours, theirs
        needed: list[KnownDifference] = []
        for entry in matching:
            before = (a, b)
            for name in entry.normalize:
                a, b = NORMALIZERS[name](a), NORMALIZERS[name](b)
            if (a, b) != before:
                needed.append(entry)
        if a == b:
            self.used.update(needed)
            return True
        return False

    def missing_record(self, record: str, *, in_client: bool) -> None:
        """A record only one side has: bibkit wrote it and the client lost it, or the reverse."""
        ours, theirs = ("written", None) if in_client else (None, "invented")
        self.unexplained.append(Difference(record, "(record)", ours, theirs))

    def unused(self) -> list[KnownDifference]:
        """Listed entries for this client and format that nothing needed in this run (not
        judged when a client failed on a whole set, whose records may have needed them)."""
        if self.client_errors:
            return []
        return [
            e
            for e in self.known
            if e.client in (self.client, ANY_CLIENT)
            and self.source_format in e.formats
            and e not in self.used
        ]
