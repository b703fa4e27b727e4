"""Citation keys a person can read and type: ``zhang2024cellmembrane``.

Keys are made in output order from the record alone, so the same input always gives the same
keys; collisions get ``a``, ``b`` … suffixes. citeproc lowercases ids, so uniqueness is checked
case-insensitively.
"""

from __future__ import annotations

import re
import unicodedata
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


class KeyAllocator:
    """Hands out keys unique within one run, case-insensitively (``a`` … ``z``, ``aa`` …)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._next_suffix: dict[str, int] = {}
        """Per base, the first suffix not yet tried: every one before it is taken (the taken set
        only grows), so a thousand ``wang2020…`` records cost a thousand tries, not half a
        million."""

    def reserve(self, key: str) -> bool:
        """Claim a key the input already had; False when it is taken."""
        folded = key.casefold()
        if folded in self._taken:
            return False
        self._taken.add(folded)
        return True

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
