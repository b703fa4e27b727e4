"""Citation keys a person can read and type: ``zhang2024cellmembrane``.

Keys are made in output order from the record alone, so the same input always gives the same
keys; collisions get ``a``, ``b`` … suffixes. citeproc lowercases ids, so uniqueness is checked
case-insensitively.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from hashlib import blake2b
from itertools import filterfalse, islice

from bibkit.model import Citation

STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "de",
        "del",
        "der",
        "des",
        "die",
        "du",
        "el",
        "for",
        "from",
        "how",
        "in",
        "into",
        "is",
        "it",
        "la",
        "le",
        "les",
        "of",
        "on",
        "or",
        "the",
        "their",
        "these",
        "this",
        "to",
        "un",
        "una",
        "une",
        "via",
        "vs",
        "was",
        "were",
        "what",
        "when",
        "which",
        "who",
        "why",
        "with",
    }
)
_WORD = re.compile(r"[a-z0-9]+")
_TAG = re.compile(r"<[^>]+>")
# Letters that Unicode does not decompose into a base letter and an accent.
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ı": "i", "œ": "oe"}
    | {"Æ": "AE", "Ø": "O", "Đ": "D", "Ł": "L", "Þ": "TH", "Œ": "OE"}
)


def ascii_fold(text: str) -> str:
    """``Müller-Łukasz`` -> ``Muller-Lukasz``: accents removed, other non-ASCII dropped."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _folded(text: str) -> str:
    """The text keys are made of: tags gone, ASCII, lower case."""
    if "<" in text:
        text = _TAG.sub("", text)
    return ascii_fold(text).lower()


def _words(text: str) -> list[str]:
    return _WORD.findall(_folded(text))


def _significant(title: str, count: int) -> str:
    """The first ``count`` words of the title that are not stopwords. Only as far into the
    title as they go: a key is made for every record, and titles run to dozens of words."""
    words = map(re.Match.group, _WORD.finditer(_folded(title)))
    return "".join(islice(filterfalse(STOPWORDS.__contains__, words), count))


def base_key(citation: Citation) -> str:
    """The key before de-duplication: author + year + title words, or title words + year."""
    year = str(citation.issued.year) if citation.issued and citation.issued.year else ""
    if citation.author:
        first = citation.author[0]
        name = first.family or first.literal or ""
        if first.non_dropping_particle and first.family:
            name = first.family
        author = "".join(_words(name))
        if first.literal and not first.family:
            author = "".join(_words(name)[:2])
        if author:
            return f"{author}{year}{_significant(citation.title or '', 2)}"
    title = _significant(citation.title or "", 3)
    if title:
        return f"{title}{year}"
    if citation.PMID:
        return f"pmid{citation.PMID}"
    return f"anon{year}"


class _Digests:
    """A set of strings kept as 64-bit digests in an open-addressing table: 16 bytes a member
    at most, where a set of the strings took about 110 (a million keys in one run). Two strings
    sharing a digest count as one: a key taken by chance only gets a suffix it did not need,
    the same on every run (the digest is BLAKE2b, not Python's per-process hash)."""

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * 1024))
        self._count = 0

    def add(self, text: str) -> bool:
        """Add ``text``; False when it (or a string sharing its digest) was there."""
        digest = int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")
        digest = digest or 1  # 0 marks an empty slot
        if not self._insert(self._slots, digest):
            return False
        self._count += 1
        if self._count * 2 > len(self._slots):
            self._grow()
        return True

    @staticmethod
    def _insert(slots: array[int], digest: int) -> bool:
        mask = len(slots) - 1
        at = digest & mask
        while slots[at]:
            if slots[at] == digest:
                return False
            at = (at + 1) & mask
        slots[at] = digest
        return True

    def _grow(self) -> None:
        bigger = array("Q", bytes(16 * len(self._slots)))
        for digest in self._slots:
            if digest:
                self._insert(bigger, digest)
        self._slots = bigger


class KeyAllocator:
    """Hands out keys unique within one run, case-insensitively (``a`` … ``z``, ``aa`` …)."""

    def __init__(self) -> None:
        self._taken = _Digests()
        self._next_suffix: dict[str, int] = {}
        """Per base, the first suffix not yet tried: every one before it is taken (the taken set
        only grows), so a thousand ``wang2020…`` records cost a thousand tries, not half a
        million."""

    def reserve(self, key: str) -> bool:
        """Claim a key the input already had; False when it is taken."""
        return self._taken.add(key.casefold())

    def allocate(self, base: str) -> str:
        if self.reserve(base):
            return base
        folded = base.casefold()
        index = self._next_suffix.get(folded, 0)
        while True:
            candidate = base + _suffix(index)
            index += 1
            if self.reserve(candidate):
                self._next_suffix[folded] = index
                return candidate


def _suffix(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters
