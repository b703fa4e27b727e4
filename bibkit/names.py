"""Person names as PubMed displays them: ``Shu Zhang 1 2, Xiaojuan Zhang 2, ...``.

PubMed's web page writes names in display order (given names first) with the numbers of the
author's affiliations after the name. CSL, and every writer, wants ``family`` and ``given``
apart, and a collective author ("RECOVERY Collaborative Group") as one ``literal`` that is
never split, so that BibTeX can brace it and citeproc can sort it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bibkit.model import Person

_SUPERSCRIPTS = str.maketrans({c: f" {d}" for d, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")})
"""Superscript affiliation numbers (``Zhang¹²``) are read as one number per digit."""
_MARKS = "*†‡§#"
_NUMBERS_AT_END = re.compile(r"^(?P<name>.*?[^\d\s,])\s*(?P<numbers>\d+(?:[\s,]+\d+)*)$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PARTICLES = _words(
    "van von der den de del della di da dos das du la le ter ten zu bin ibn al el af av"
)
"""Words that, written in lower case, belong to the family name after them (``van der Berg``).
A capitalised "Van" is more often a given name (Vietnamese ``Thi Van Nguyen``)."""

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "2nd", "3rd", "4th"})

COLLECTIVE_WORDS = _words(
    """group groups consortium consortia collaboration collaborative collaborators committee
    investigators network team society association council initiative alliance organization
    organisation panel program programme project study trial trialists working writing
    partnership foundation centre center institute academy board force taskforce registry
    coalition unit department"""
)
"""Words that mark a collective author; a person's name does not contain them."""


@dataclass(frozen=True)
class AuthorEntry:
    """One name of an author block with the affiliation numbers printed after it."""

    name: str
    numbers: tuple[int, ...] = ()


@dataclass
class AuthorBlock:
    entries: list[AuthorEntry] = field(default_factory=list)
    truncated: bool = False
    """The block ended in ``...`` / ``et al.``: the page showed only the first authors."""


def is_collective(name: str) -> bool:
    """A group, consortium, committee ... rather than a person."""
    words = re.findall(r"[^\W\d_]+", name.lower())
    if any(word in COLLECTIVE_WORDS for word in words):
        return True
    # Persons have no digits, parentheses or "for the"/"on behalf of" in their names.
    return bool(re.search(r"\d|\(|\bfor the\b|\bon behalf\b", name, re.IGNORECASE))


def split_author_block(line: str) -> AuthorBlock:
    """``Shu Zhang 1 2, Xiaojuan Zhang 2, …`` -> names with their affiliation numbers."""
    text = line.translate(_SUPERSCRIPTS).strip()
    block = AuthorBlock()
    trimmed = re.sub(r"(?:,?\s*(?:\.\.\.|…|et al\.?))+\s*$", "", text, flags=re.IGNORECASE)
    if trimmed != text:
        block.truncated = True
    for raw in _split_names(trimmed):
        entry = parse_author_entry(raw)
        if entry is not None:
            block.entries.append(entry)
    return block


def _split_names(text: str) -> list[str]:
    """Split on commas, but keep a bare affiliation-number list with the name before it."""
    parts: list[str] = []
    for chunk in text.split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        if parts and re.fullmatch(r"[\d\s" + re.escape(_MARKS) + r"]+", chunk):
            parts[-1] = f"{parts[-1]} {chunk}"  # "Shu Zhang 1, 2" printed with a comma
        else:
            parts.append(chunk)
    return parts


def parse_author_entry(text: str) -> AuthorEntry | None:
    """``Shu Zhang 1 2`` -> AuthorEntry("Shu Zhang", (1, 2)); None when no name is left."""
    text = text.translate(_SUPERSCRIPTS).strip().strip(_MARKS).strip()
    numbers: tuple[int, ...] = ()
    match = _NUMBERS_AT_END.match(text)
    if match and not is_collective(match["name"]):
        text = match["name"].strip()
        numbers = tuple(int(n) for n in re.findall(r"\d+", match["numbers"]))
    text = text.strip(_MARKS + " ")
    if not re.search(r"[^\W\d_]", text):
        return None
    return AuthorEntry(name=" ".join(text.split()), numbers=numbers)


def person_from_display(name: str, affiliations: list[str] | None = None) -> Person:
    """``Jean-Paul van der Berg Jr`` -> family "van der Berg", given "Jean-Paul", suffix "Jr".

    Display-order names have no marker between given and family name, so the last word (with
    any lower-case particles before it) is the family name. The particles stay in ``family``
    as MEDLINE keeps them (``FAU - van der Berg, Jean-Paul``), so no writer can drop them.
    A collective author becomes ``literal`` and is never split.
    """
    affiliations = list(affiliations or [])
    name = " ".join(name.split())
    if is_collective(name):
        return Person(literal=name, affiliations=affiliations)
    words = name.split(" ")
    suffix: str | None = None
    if len(words) > 2 and words[-1].lower().rstrip(".") in SUFFIXES:
        suffix = words.pop()
    if len(words) == 1:
        return Person(family=words[0], suffix=suffix, affiliations=affiliations)
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    return Person(
        family=" ".join(words[start:]),
        given=" ".join(words[:start]),
        suffix=suffix,
        affiliations=affiliations,
    )


def split_affiliation(line: str) -> tuple[int | None, str]:
    """``1 School of Pharmacy, …`` -> (1, "School of Pharmacy, …"); unnumbered -> (None, line)."""
    text = line.translate(_SUPERSCRIPTS).strip()
    match = re.match(r"^(\d{1,3})[.):]?\s+(?=\S)(.*)$", text)
    if match:
        return int(match[1]), match[2].strip()
    return None, text
