"""CSL ``text-case`` applied to rendered HTML, word by word, without touching tags, entities
or text marked ``<span class="nocase">``.

CSL 1.0.2, "Text-case": ``title`` capitalizes the first character of every lowercase word
except stop words (which stay lowercase unless first, last, or after a colon); words with
capitals already (``mRNA``, ``CRISPR``) are left alone; each part of a hyphenated compound is a
word. ``sentence`` is deprecated in the spec and implemented as capitalize-first of a
lowercased-where-lowercase text.
"""

from __future__ import annotations

import re

_STOP_TEXT = (
    "a across afore after against along alongside amid amidst among amongst an and anenst "
    "apropos apud around as aside astride at athwart atop barring before behind below beneath "
    "beside besides between beyond but by c. ca. circa d'après de despite down during et "
    "except for forenenst from given in inside into lest like modulo near next "
    "notwithstanding of off on onto or out outside over pace past per plus pro qua regarding "
    "sans save since so than the through throughout thru thruout till times to toward towards "
    "under underneath until unto up upon v. van versus via vis-à-vis von vs. with within "
    "without worth"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())
"""The single-word stop words of CSL 1.0.2 ("Title case conversion")."""
_TOKEN = re.compile(r"(<[^>]+>|&#?\w+;)")
_LATIN = re.compile(r"[a-z\u00df-\u00ff\u0100-\u024f]")
"""Only words in Latin script are capitalized: a Greek letter in ``TNF-α`` is a symbol."""
_WORD = re.compile(r"[^\W_](?:[\w'\u2019.]*[^\W_])?")


def _segments(html: str) -> list[tuple[str, bool]]:
    """(piece, is_text) pieces; text inside nocase spans is reported as not text."""
    out: list[tuple[str, bool]] = []
    depth = 0
    stack: list[bool] = []
    for piece in _TOKEN.split(html):
        if not piece:
            continue
        if piece.startswith("<") and piece.endswith(">"):
            if piece.startswith("</"):
                if stack and stack.pop():
                    depth -= 1
            elif not piece.endswith("/>"):
                nocase = 'class="nocase"' in piece
                stack.append(nocase)
                depth += nocase
            out.append((piece, False))
        elif piece.startswith("&") and piece.endswith(";"):
            out.append((piece, False))
        else:
            out.append((piece, depth == 0))
    return out


def _upper_first(word: str) -> str:
    return word[:1].upper() + word[1:]


def _upper_first_if_lower(word: str) -> str:
    """CSL 1.0.2: capitalize-first and capitalize-all change a word "if the word is
    lowercase": ``bioRxiv`` and ``mRNA`` stay as they are."""
    return _upper_first(word) if word == word.lower() else word


def apply(html: str, text_case: str | None) -> str:
    """``html`` with ``text_case`` applied (None or unknown leaves it as it is)."""
    if not text_case:
        return html
    segments = _segments(html)
    if text_case == "title":
        return _title(segments)
    out: list[str] = []
    first = True
    for piece, is_text in segments:
        if not is_text:
            out.append(piece)
            if piece.startswith("&") or (piece.startswith("<") and 'class="nocase"' in piece):
                first = False
            continue
        if text_case == "lowercase":
            piece = piece.lower()
        elif text_case == "uppercase":
            piece = piece.upper()
        elif text_case == "capitalize-all":
            piece = _WORD.sub(lambda m: _upper_first_if_lower(m.group()), piece)
        elif text_case in ("capitalize-first", "sentence"):
            if text_case == "sentence":
                piece = _WORD.sub(
                    lambda m: m.group() if _has_upper(m.group()[1:]) else m.group().lower(), piece
                )
            if first:
                match = _WORD.search(piece)
                if match:
                    word = _upper_first_if_lower(match.group())
                    piece = piece[: match.start()] + word + piece[match.end() :]
        if piece.strip():
            first = False
        out.append(piece)
    return "".join(out)


def _has_upper(text: str) -> bool:
    return any(c.isupper() for c in text)


def _title(segments: list[tuple[str, bool]]) -> str:
    words: list[tuple[int, int, int]] = []  # (segment, start, end)
    for index, (piece, is_text) in enumerate(segments):
        if is_text:
            for match in re.finditer(r"[^\s\-\u2010\u2013\u2014/]+", piece):
                inner = _WORD.search(match.group())
                if inner:
                    words.append(
                        (index, match.start() + inner.start(), match.start() + inner.end())
                    )
    pieces = [piece for piece, _ in segments]
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for n, (index, start, end) in enumerate(words):
        word = pieces[index][start:end]
        if word != word.lower() or not _LATIN.match(word):
            continue
        previous = _text_before(segments, words, n)
        after_colon = previous.rstrip().endswith((":", "?", "!")) if previous else False
        is_edge = n == 0 or n == len(words) - 1
        # "vs." and "v." are stop words with their period, which the word match leaves out.
        dotted = pieces[index][end : end + 1] == "." and f"{word}." in STOP_WORDS
        if (word in STOP_WORDS or dotted) and not is_edge and not after_colon:
            continue
        edits.setdefault(index, []).append((start, end, _upper_first(word)))
    for index, changes in edits.items():
        text = pieces[index]
        for start, end, new in sorted(changes, reverse=True):
            text = text[:start] + new + text[end:]
        pieces[index] = text
    return "".join(pieces)


def _text_before(
    segments: list[tuple[str, bool]], words: list[tuple[int, int, int]], n: int
) -> str:
    """The visible text between the previous word and word ``n``."""
    if n == 0:
        return ""
    p_index, _, p_end = words[n - 1]
    index, start, _ = words[n]
    if p_index == index:
        return segments[index][0][p_end:start]
    gap = segments[p_index][0][p_end:]
    for between in range(p_index + 1, index):
        piece, is_text = segments[between]
        if is_text:
            gap += piece
    return gap + segments[index][0][:start]
