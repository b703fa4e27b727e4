"""LaTeX in BibTeX values: escaping text for LaTeX and decoding it back to Unicode.

BibTeX and BibLaTeX files hold LaTeX, not plain text: ``&`` must be ``\\&``, a capital that a
style must not lowercase needs braces (``{DNA}``), italics are ``\\textit{…}``. Writers use
:func:`escape`, :func:`title_to_latex` and :func:`name_to_latex`; readers use :func:`decode`,
which inverts all of them exactly (the tests prove it for arbitrary Unicode), and also decodes
the LaTeX people write by hand (``\\"{o}``, ``{\\o}``, ``$\\alpha$``, ``{\\em …}``).

With ``ascii=True`` a character is written as a LaTeX command only when pdflatex *and* Zotero's
BibTeX import both decode it: accent commands (``{\\"u}``), a few letters (``{\\ss}``) and
single-symbol math for Greek (``{$\\beta$}``). Zotero garbles commands that start with ``\\l``,
``\\o``, ``\\th`` or ``\\i`` (it reads ``\\lambda`` as ``ł`` + ``ambda``), so ``ø``, ``ł``,
``λ``, ``θ``, ``ω``, ``ι`` … stay UTF-8, as does everything without such a command; pdflatex
reads UTF-8 input by default since 2018.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Final

__all__ = [
    "MAX_DEPTH",
    "TooDeeplyNested",
    "ascii_form",
    "decode",
    "escape",
    "is_plain",
    "is_sentence_case",
    "name_to_latex",
    "not_ascii_portable",
    "protect_word",
    "title_to_latex",
]

SPECIALS: Final[dict[str, str]] = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
"""Characters LaTeX gives a meaning, as the text commands that print them."""

BALANCED_BRACES: Final[dict[str, str]] = {"{": r"\{", "}": r"\}"}
UNBALANCED_BRACES: Final[dict[str, str]] = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
"""BibTeX counts ``\\{`` as a brace, so a lone brace is written as a command without one."""

ACCENTS: Final[dict[str, str]] = {
    # combining mark -> LaTeX accent command
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0308": '"',
    "\u0304": "=",
    "\u0307": ".",
    "\u0327": "c",
    "\u030c": "v",
    "\u0306": "u",
    "\u030b": "H",
    "\u0328": "k",
    "\u0323": "d",
    "\u030a": "r",
    "\u0331": "b",
}
ACCENT_MARKS: Final[dict[str, str]] = {command: mark for mark, command in ACCENTS.items()}

ASCII_LETTERS: Final[dict[str, str]] = {"ß": "ss", "æ": "ae", "Æ": "AE", "å": "aa", "Å": "AA"}
"""Letters written as a command in ``--ascii`` output (others stay UTF-8, see the module doc)."""

GREEK: Final[dict[str, str]] = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "κ": "kappa", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho",
    "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi",
    "ς": "varsigma", "Γ": "Gamma", "Δ": "Delta", "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma",
    "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi",
}  # fmt: skip
"""Greek letters written as ``{$\\beta$}`` in ``--ascii`` output."""

PDFLATEX_ONLY: Final[dict[str, str]] = {
    # --ascii forms pdflatex reads but Zotero's BibTeX import garbles (reported when written).
    "ø": r"{\o}", "Ø": r"{\O}", "ł": r"{\l}", "Ł": r"{\L}", "œ": r"{\oe}", "Œ": r"{\OE}",
    "þ": r"{\th}", "Þ": r"{\TH}", "ı": r"{\i}", "ȷ": r"{\j}", "ð": r"{\dh}", "Ð": r"{\DH}",
    "ŋ": r"{\ng}", "Ŋ": r"{\NG}", "đ": r"{\dj}", "Đ": r"{\DJ}",
    "λ": r"{$\lambda$}", "Λ": r"{$\Lambda$}", "θ": r"{$\theta$}", "Θ": r"{$\Theta$}",
    "ω": r"{$\omega$}", "Ω": r"{$\Omega$}", "ι": r"{$\iota$}", "ϑ": r"{$\vartheta$}",
    "ϕ": r"{$\varphi$}", "ϵ": r"{$\varepsilon$}", "ϱ": r"{$\varrho$}", "ϖ": r"{$\varpi$}",
    "–": "{--}", "—": "{---}", "\u00a0": "~", "‘": r"{\textquoteleft}",
    "’": r"{\textquoteright}", "“": r"{\textquotedblleft}", "”": r"{\textquotedblright}",
    "…": r"{\ldots}", "«": r"{\guillemotleft}", "»": r"{\guillemotright}",
    "°": r"{\textdegree}", "µ": r"{\textmu}", "§": r"{\S}", "¶": r"{\P}",
    "©": r"{\textcopyright}", "®": r"{\textregistered}", "™": r"{\texttrademark}",
    "€": r"{\texteuro}", "£": r"{\pounds}", "†": r"{\dag}", "‡": r"{\ddag}",
    "±": r"{$\pm$}", "∓": r"{$\mp$}", "×": r"{$\times$}", "÷": r"{$\div$}",
    "·": r"{$\cdot$}", "≤": r"{$\leq$}", "≥": r"{$\geq$}", "≠": r"{$\neq$}",
    "≈": r"{$\approx$}", "∼": r"{$\sim$}", "≃": r"{$\simeq$}", "∞": r"{$\infty$}",
    "→": r"{$\rightarrow$}", "←": r"{$\leftarrow$}", "↔": r"{$\leftrightarrow$}",
    "↑": r"{$\uparrow$}", "↓": r"{$\downarrow$}", "∘": r"{$\circ$}", "′": r"{$\prime$}",
    "∂": r"{$\partial$}", "∑": r"{$\sum$}", "∏": r"{$\prod$}", "∈": r"{$\in$}",
    "ℓ": r"{$\ell$}",
}  # fmt: skip
SCRIPTS: Final[dict[str, tuple[str, str]]] = {
    # Unicode super- and subscripts -> ("^" or "_", the character), written {$^2$}.
    **{c: ("^", d) for c, d in zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", "0123456789+-=()ni", strict=True)},
    **{c: ("_", d) for c, d in zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", "0123456789+-=()", strict=True)},
}
SCRIPTS_READ: Final[dict[tuple[str, str], str]] = {form: char for char, form in SCRIPTS.items()}

SYMBOLS: Final[dict[str, str]] = {
    # Commands read from hand-written files (never written by bibkit except those above).
    "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^",
    "textbraceleft": "{", "textbraceright": "}", "textunderscore": "_", "textdollar": "$",
    "textless": "<", "textgreater": ">", "textbar": "|", "textendash": "–",
    "textemdash": "—", "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“",
    "textquotedblright": "”", "textellipsis": "…", "ldots": "…", "dots": "…",
    "textdegree": "°", "textpm": "±", "texttimes": "×", "textmu": "µ", "textperiodcentered": "·",
    "textregistered": "®", "texttrademark": "™", "copyright": "©", "textcopyright": "©",
    "pounds": "£", "textsterling": "£", "texteuro": "€", "euro": "€", "S": "§", "P": "¶",
    "dag": "†", "ddag": "‡", "textdagger": "†", "textsection": "§",
    "ss": "ß", "ae": "æ", "AE": "Æ", "aa": "å", "AA": "Å", "o": "ø", "O": "Ø", "l": "ł",
    "L": "Ł", "oe": "œ", "OE": "Œ", "i": "ı", "j": "ȷ", "th": "þ", "TH": "Þ", "dh": "ð",
    "DH": "Ð", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ", "guillemotleft": "«",
    "guillemotright": "»", "guillemetleft": "«", "guillemetright": "»",
    "pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "·", "leq": "≤", "le": "≤",
    "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃",
    "infty": "∞", "to": "→", "rightarrow": "→", "leftarrow": "←", "leftrightarrow": "↔",
    "uparrow": "↑", "downarrow": "↓", "circ": "∘", "deg": "°", "prime": "′", "partial": "∂",
    "sqrt": "√", "sum": "∑", "prod": "∏", "in": "∈", "ell": "ℓ", "degree": "°",
    "lambda": "λ", "Lambda": "Λ", "theta": "θ", "Theta": "Θ", "omega": "ω", "Omega": "Ω",
    "iota": "ι", "omicron": "ο", "vartheta": "ϑ", "varphi": "ϕ", "varepsilon": "ϵ",
    "varrho": "ϱ", "varpi": "ϖ", "textalpha": "α", "textbeta": "β", "textgamma": "γ",
    "textdelta": "δ", "textmugreek": "μ", "textkappa": "κ", "textlambda": "λ",
}  # fmt: skip
SYMBOLS_READ: Final[dict[str, str]] = {**{cmd: ch for ch, cmd in GREEK.items()}, **SYMBOLS}

MARKUP: Final[dict[str, str]] = {
    # CSL rich-text tag <-> LaTeX command.
    "i": "textit",
    "b": "textbf",
    "sup": "textsuperscript",
    "sub": "textsubscript",
    "sc": "textsc",
}
MARKUP_READ: Final[dict[str, str]] = {
    **{command: tag for tag, command in MARKUP.items()},
    "emph": "i",
    "mkbibemph": "i",
    "mkbibitalic": "i",
    "mkbibbold": "b",
    "mkbibsuperscript": "sup",
}
SWITCHES_READ: Final[dict[str, str]] = {"it": "i", "em": "i", "itshape": "i", "bf": "b",
                                         "bfseries": "b", "sc": "sc", "scshape": "sc"}  # fmt: skip
"""Old-style declarations: ``{\\it text}`` is italic up to the end of its group."""
TRANSPARENT: Final[frozenset[str]] = frozenset(
    {"textup", "textrm", "textnormal", "textsf", "texttt", "textmd", "mbox", "text", "url",
     "nolinkurl", "NoCaseChange", "MakeUppercase", "ensuremath", "mathrm", "mathit", "mathbf",
     "textsl", "enquote", "mkbibquote", "hbox", "uppercase"}
)  # fmt: skip
"""Commands whose argument is simply the text."""
SPACES: Final[dict[str, str]] = {" ": " ", ",": " ", ";": " ", ":": " ", "!": "", "-": "",
                                 "/": "", "\\": " ", "@": ""}  # fmt: skip

_MARKUP_TAG = re.compile(r"<(/?)(i|b|sup|sub|sc)>|<span class=\"nocase\">|</span>")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
"""Splits text into text, word, text, …, text (the words as :data:`_WORD` finds them)."""
_WORD_SPLIT_ASCII = re.compile(r"([A-Za-z0-9]++(?:['\-][A-Za-z0-9]++)*+)")
"""The same for ASCII text, where it is much faster."""
_WORD_PARTS = re.compile(r"[-'’]")
_CLAUSES = re.compile(r":\s+")
_AND = re.compile(r"(?i)(?:^|\s)and(?:\s|$)")
_BLANK = re.compile(r"[ \t\r\n]+")
_DECODER_SPECIAL = re.compile(r"[\\{}$~-]")
_BRACED_SCRIPT = re.compile(r"\{\$([_^])(.)\$\}")
"""``{$^2$}``: a Unicode super- or subscript character as --ascii writes it."""


# ---------------------------------------------------------------------------------------------
# Writing


_TO_ESCAPE = re.compile(r"[\\&%$#_~^{}]|-(?=-)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_TO_ESCAPE_ASCII = re.compile(r"[\\&%$#_~^{}\x80-\U0010ffff]|-(?=-)")
"""What :func:`escape` changes."""


def escape(text: str, *, ascii: bool = False, balanced: bool | None = None) -> str:
    """Plain text as LaTeX: specials escaped, ``--`` kept from becoming a dash, and (with
    ``ascii``) the characters listed in the module doc written as commands. ``balanced`` says
    whether the whole value's braces pair up, when ``text`` is only a piece of it."""
    # str methods scan far faster than a regex: most text has nothing to escape, and text
    # whose only specials are those with a fixed form (the "%" of abstracts) needs no regex.
    if "\\" in text or "{" in text or "}" in text or "--" in text:
        if balanced is None:
            balanced = _balanced(text)
        pattern = _TO_ESCAPE_ASCII if ascii else _TO_ESCAPE
        return pattern.sub(_ESCAPED_BALANCED if balanced else _ESCAPED_UNBALANCED, text)
    if (
        "%" in text
        or "&" in text
        or "_" in text
        or "$" in text
        or "#" in text
        or "~" in text
        or "^" in text
    ):
        for char, latex in _FIXED:
            if char in text:
                text = text.replace(char, latex)
    if ascii and not text.isascii():
        # What is left for --ascii is beyond ASCII, and what it becomes is not looked at again.
        text = _NON_ASCII.sub(_ascii_char, text)
    return text


def _ascii_char(match: re.Match[str]) -> str:
    return _ascii_form(match.group())[0]


def is_plain(text: str, *, ascii: bool = False) -> bool:
    """Whether :func:`escape` returns ``text`` as it is (and so any piece of it)."""
    return _plain(text, ascii)


def _plain(text: str, ascii: bool) -> bool:
    """Whether :func:`escape` returns ``text`` as it is."""
    return not (
        "\\" in text
        or "{" in text
        or "}" in text
        or "--" in text
        or (ascii and not text.isascii())
        or "%" in text
        or "&" in text
        or "_" in text
        or "$" in text
        or "#" in text
        or "~" in text
        or "^" in text
    )


_FIXED: Final = tuple((char, SPECIALS[char]) for char in "&%$#_~^")
"""Specials whose LaTeX form holds no other special but themselves: replacing them one after
another gives what the regex gives."""


def _escaped(braces: dict[str, str]) -> Callable[[re.Match[str]], str]:
    def one(match: re.Match[str]) -> str:
        char = match.group()
        if char in SPECIALS:
            return SPECIALS[char]
        if char in braces:
            return braces[char]
        if char == "-":
            return "-{}"  # "--" would print an en dash
        return _ascii_form(char)[0]

    return one


_ESCAPED_BALANCED = _escaped(BALANCED_BRACES)
_ESCAPED_UNBALANCED = _escaped(UNBALANCED_BRACES)


@functools.lru_cache(maxsize=4096)
def _ascii_form(char: str) -> tuple[str, bool | None]:
    """:func:`ascii_form`, worked out once per character (it normalises Unicode)."""
    return ascii_form(char)


def _balanced(text: str) -> bool:
    if "{" not in text and "}" not in text:
        return True
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def ascii_form(char: str) -> tuple[str, bool | None]:
    """How ``--ascii`` writes a non-ASCII character, and whether Zotero reads it too (True),
    only pdflatex does (False), or it stays UTF-8 for want of a LaTeX form (None)."""
    if char in ASCII_LETTERS:
        return "{\\" + ASCII_LETTERS[char] + "}", True
    if char in GREEK:
        return "{$\\" + GREEK[char] + "$}", True
    if char in PDFLATEX_ONLY:
        return PDFLATEX_ONLY[char], False
    if char in SCRIPTS:
        mark, base = SCRIPTS[char]
        return "{$" + mark + base + "$}", False
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if (
        marks
        and base.isascii()
        and base.isalpha()
        and all(m in ACCENTS for m in marks)
        # The accent command reads back composed: the ANGSTROM SIGN would come back as Å.
        and unicodedata.normalize("NFC", decomposed) == char
    ):
        text = base
        for mark in marks:
            command = ACCENTS[mark]
            if len(marks) == 1:
                sep = " " if command.isalpha() else ""
                text = "\\" + command + sep + text
            else:
                text = "\\" + command + "{" + text + "}"
        return "{" + text + "}", len(marks) == 1
    return char, None


def not_ascii_portable(text: str) -> tuple[str, str]:
    """The characters of ``text`` that ``--ascii`` writes in a form Zotero garbles, and those
    it keeps as UTF-8 (no LaTeX form), each once in order of appearance."""
    if text.isascii():
        return "", ""
    garbled: dict[str, None] = {}
    kept: dict[str, None] = {}
    for char in dict.fromkeys(_NON_ASCII.findall(text)):  # each once, in order
        portable = _ascii_form(char)[1]
        if portable is False:
            garbled[char] = None
        elif portable is None:
            kept[char] = None
    return "".join(garbled), "".join(kept)


def protect_word(word: str, *, first: bool) -> bool:
    """Whether a title word keeps its capitals even in a style that lowercases titles.

    Braced: words with more than one capital (``DNA``, ``NSCLC``, ``IL-15``), a capital after
    the first letter (``mRNA``, ``McDonald``), a capital and a digit (``T4``, ``COVID-19``), and
    a lone capital (``T`` cells, vitamin ``D``) unless it opens the title. A single initial
    capital (``Cancer``, ``Parkinson``) is left alone: a proper noun cannot be told from a
    title-cased word, and braces would keep every title-cased word capitalised.
    """
    if word.islower() or (len(word) > 1 and word.isalpha() and word[1:].islower()):
        return False  # the common case: no capital, or only the first of a plain word
    for part in _WORD_PARTS.split(word):
        capitals = sum(1 for char in part if char.isupper())
        if capitals > 1 or any(char.isupper() for char in part[1:]):
            return True
        if capitals and any(char.isdigit() for char in part):
            return True
    return len(word) == 1 and word.isupper() and not first


def is_sentence_case(title: str) -> bool:
    """Whether a title is in sentence case: fewer than half of its longer words (four letters
    or more, not opening the title or a subtitle) are capitalised. In a title-cased title a
    capital says nothing, so only acronyms are protected there."""
    capitalised = candidates = 0
    for clause in _CLAUSES.split(title):
        for index, word in enumerate(_WORD.findall(clause)):
            if index == 0 or len(word) < 4 or not word.isalpha():
                continue
            candidates += 1
            capitalised += word[0].isupper() and word[1:].islower()
    return capitalised * 2 < candidates


def title_to_latex(title: str, *, ascii: bool = False) -> str:
    """A title with CSL rich-text markup as LaTeX: ``<i>`` -> ``\\textit{}`` (and ``<b>``,
    ``<sup>``, ``<sub>``, ``<sc>``), ``<span class="nocase">`` -> braces, capitals protected
    (see :func:`protect_word`; the first word after a colon is protected too, since it opens a
    subtitle). In a sentence-case title every other capitalised word is a proper name
    (``Zürich``, ``Escherichia``) and is protected as well; see :func:`is_sentence_case`.
    Tags that are not properly paired are text."""
    if "<" not in title:
        return _untagged_title(title, ascii=ascii)  # most titles
    pieces = _markup_pieces(title)
    out: list[str] = []
    state = _TitleState(balanced=_balanced(title))
    state.sentence_case = is_sentence_case(
        " ".join(value for kind, value in pieces if kind == "text")
    )
    nocase = 0
    for kind, value in pieces:
        if kind == "open":
            out.append("{" if value == "nocase" else "\\" + MARKUP[value] + "{")
            nocase += value == "nocase"
        elif kind == "close":
            out.append("}")
            nocase -= value == "nocase"
        elif nocase:
            out.append(escape(value, ascii=ascii, balanced=state.balanced))
            state.advance(value)
        else:
            out.append(_protect_text(value, state, ascii=ascii))
    return "".join(out)


def _untagged_title(title: str, *, ascii: bool) -> str:
    """:func:`title_to_latex` for a title without markup, in one pass over its words: the
    sentence-case count (see :func:`is_sentence_case`) and the protection of each word (see
    :func:`_protect_text`) are worked out together."""
    parts = _split_words(title)
    colon = ":" in title  # without one, every word but the first is inside the first clause
    candidates = capitalised = 0
    protected: list[int] = []
    capitals: list[int] = []  # capitalised words protected only if the title is sentence case
    for index in range(1, len(parts), 2):
        word = parts[index]
        if word.islower() or word.isdigit():  # the common case: counted, never protected
            if (
                index > 1
                and len(word) > 3
                and word.isalpha()
                and not (colon and ":" in parts[index - 1] and _opens_clause(parts[index - 1]))
            ):
                candidates += 1
            continue
        if index == 1:
            if _protects(word, True):
                protected.append(index)
            continue
        before = parts[index - 1]
        if (
            len(word) > 3
            and word.isalpha()
            and not (colon and ":" in before and _opens_clause(before))
        ):
            candidates += 1
            capitalised += word[0].isupper() and word[1:].islower()
        if _protects(word, False) or (
            colon and before.rstrip().endswith(":") and word[0].isupper()
        ):
            protected.append(index)
        elif word[0].isupper():
            capitals.append(index)
    if capitalised * 2 < candidates:
        protected += capitals
    if not _plain(title, ascii):
        balanced = _balanced(title)
        for index in range(0, len(parts), 2):
            parts[index] = escape(parts[index], ascii=ascii, balanced=balanced)
        if ascii:
            for index in range(1, len(parts), 2):
                parts[index] = escape(parts[index], ascii=True, balanced=balanced)
    for index in protected:
        parts[index] = "{" + parts[index] + "}"
    return "".join(parts)


def _split_words(text: str) -> list[str]:
    """Text, word, text, …, text."""
    return (_WORD_SPLIT_ASCII if text.isascii() else _WORD_SPLIT).split(text)


def _opens_clause(before: str) -> bool:
    """Whether the text before a word ends a clause (``: ``), so the word opens the next."""
    return ":" in before and _CLAUSES.search(before) is not None


class _TitleState:
    """What came before a piece of title text: is the next word the first, or after a colon?"""

    def __init__(self, balanced: bool) -> None:
        self.balanced = balanced
        self.seen_word = False
        self.after_colon = False
        self.sentence_case = False

    def advance(self, text: str) -> None:
        stripped = text.rstrip()
        if _WORD.search(text):
            self.seen_word = True
        if stripped:
            self.after_colon = stripped.endswith(":")


@functools.lru_cache(maxsize=8192)
def _protects(word: str, first: bool) -> bool:
    """:func:`protect_word` once per word: title words repeat a lot."""
    return protect_word(word, first=first)


def _protect_text(text: str, state: _TitleState, *, ascii: bool) -> str:
    """A piece of title text with the words that keep their capitals braced, and the rest
    escaped."""
    parts = _split_words(text)
    protected: list[int] = []
    sentence_case = state.sentence_case
    for index in range(1, len(parts), 2):
        word = parts[index]
        if word.islower() or word.isdigit():
            continue  # the common case: never protected (nor is a number)
        if index == 1:
            first = not state.seen_word
            stripped = parts[0].rstrip()
            after_colon = stripped.endswith(":") if stripped else state.after_colon
        else:
            # What lies between two words holds no word: only a colon there changes the state.
            first = False
            after_colon = parts[index - 1].rstrip().endswith(":")
        if _protects(word, first) or (
            (after_colon or sentence_case) and not first and word[0].isupper()
        ):
            protected.append(index)
    rest = parts[-1]
    if len(parts) > 1:
        state.seen_word = True
        state.after_colon = False  # a word never ends with a colon
    stripped = rest.rstrip()
    if stripped:
        state.after_colon = stripped.endswith(":")
    if not _plain(text, ascii):
        # Nothing to escape in the whole text means nothing in any part of it either.
        balanced = state.balanced
        for index in range(0, len(parts), 2):
            parts[index] = escape(parts[index], ascii=ascii, balanced=balanced)
        if ascii:
            # A word holds no LaTeX special: only --ascii changes it, and only beyond ASCII.
            for index in range(1, len(parts), 2):
                parts[index] = escape(parts[index], ascii=True, balanced=balanced)
    for index in protected:
        parts[index] = "{" + parts[index] + "}"
    return "".join(parts)


def _markup_pieces(title: str) -> list[tuple[str, str]]:
    """Split at markup tags; only tags that pair up properly are markup, the rest is text."""
    if "<" not in title:
        return [("text", title)] if title else []
    tokens: list[tuple[str, str, str]] = []  # (kind, name, raw)
    position = 0
    for match in _MARKUP_TAG.finditer(title):
        if match.start() > position:
            tokens.append(("text", "", title[position : match.start()]))
        raw = match.group()
        if raw.startswith("<span"):
            tokens.append(("open", "nocase", raw))
        elif raw == "</span>":
            tokens.append(("close", "nocase", raw))
        else:
            tokens.append(("close" if match.group(1) else "open", match.group(2), raw))
        position = match.end()
    if position < len(title):
        tokens.append(("text", "", title[position:]))
    paired: set[int] = set()
    stack: list[int] = []
    for index, (kind, name, _) in enumerate(tokens):
        if kind == "open":
            stack.append(index)
        elif kind == "close":
            if stack and tokens[stack[-1]][1] == name:
                paired.update({stack.pop(), index})
            else:
                stack.clear()  # a stray close tag: what is still open cannot pair across it
    pieces: list[tuple[str, str]] = []
    for index, (kind, name, raw) in enumerate(tokens):
        if kind != "text" and index in paired:
            pieces.append((kind, name))
        elif pieces and pieces[-1][0] == "text":
            pieces[-1] = ("text", pieces[-1][1] + raw)
        else:
            pieces.append(("text", raw))
    return pieces


def name_to_latex(part: str, *, ascii: bool = False) -> str:
    """A name part, braced when BibTeX's name parser would otherwise split it wrongly (a
    comma, or the word ``and``), escaped otherwise."""
    text = escape(part, ascii=ascii)
    if "," in part or _AND.search(part):
        return "{" + text + "}"
    return text


# ---------------------------------------------------------------------------------------------
# Reading

MAX_DEPTH: Final = 100
"""Groups and commands nested deeper than this are refused: real values nest a few levels, and
the decoder recurses once per level (Python stops at about a thousand)."""


class TooDeeplyNested(ValueError):
    """A LaTeX value nests braces or commands more than :data:`MAX_DEPTH` levels deep."""


def decode(latex: str, *, markup: bool = True) -> str:
    """LaTeX as Unicode text. ``\\textit{x}`` becomes ``<i>x</i>`` (CSL rich text) when
    ``markup`` is true, else just ``x``; braces go; a blank line is a line break; other runs
    of spaces and line ends are one space. Commands bibkit does not know are kept as written,
    so nothing is lost. Raises :class:`TooDeeplyNested` for nesting past :data:`MAX_DEPTH`."""
    text = _Decoder(latex, markup).run()
    return text


class _Decoder:
    def __init__(self, text: str, markup: bool) -> None:
        self.text = text
        self.pos = 0
        self.markup = markup
        self.depth = -1  # the value itself is level 0
        self.closed = False
        """Whether the last group ended at its "}" (rather than at the end of the text)."""

    def run(self) -> str:
        return _collapse(self.group(until=None))

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooDeeplyNested(f"LaTeX nested more than {MAX_DEPTH} levels deep")

    # A sequence of items up to an unmatched "}" (when inside a group) or the end.
    def group(self, until: str | None) -> str:
        self._enter()
        try:
            return self._group(until)
        finally:
            self.depth -= 1

    def _group(self, until: str | None) -> str:
        out: list[str] = []
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "}" and until == "}":
                self.pos += 1
                self.closed = True
                return "".join(out)
            if char == "\\":
                out.append(self.command(out))
            elif char == "{":
                script = _BRACED_SCRIPT.match(text, self.pos)
                if script and (script[1], script[2]) in SCRIPTS_READ:
                    self.pos = script.end()
                    out.append(SCRIPTS_READ[(script[1], script[2])])
                    continue
                self.pos += 1
                out.append(self.group(until="}"))
            elif char == "}":
                self.pos += 1  # a stray closing brace: dropped, as LaTeX would fail on it
            elif char == "$":
                out.append(self.math())
            elif char == "~":
                self.pos += 1
                out.append("\u00a0")
            elif text.startswith("---", self.pos):
                self.pos += 3
                out.append("—")
            elif text.startswith("--", self.pos):
                self.pos += 2
                out.append("–")
            else:
                # A run of ordinary characters in one step (most of any value).
                special = _DECODER_SPECIAL.search(text, self.pos + 1)
                end = special.start() if special else len(text)
                out.append(text[self.pos : end])
                self.pos = end
        self.closed = False
        return "".join(out)

    def argument(self) -> str:
        """The next argument: a braced group or a single character (spaces skipped)."""
        text = self.text
        while self.pos < len(text) and text[self.pos] in " \t\r\n":
            self.pos += 1
        if self.pos >= len(text):
            return ""
        if text[self.pos] == "{":
            self.pos += 1
            return self.group(until="}")
        if text[self.pos] == "\\":
            return self.command([])
        self.pos += 1
        return text[self.pos - 1]

    def command(self, before: list[str]) -> str:
        self._enter()
        try:
            return self._command()
        finally:
            self.depth -= 1

    def _command(self) -> str:
        text = self.text
        start = self.pos
        self.pos += 1
        match = re.compile(r"[A-Za-z]+").match(text, self.pos)
        if match is None:
            char = text[self.pos : self.pos + 1]
            self.pos += len(char)
            if char in ACCENT_MARKS:
                return _accent(self.argument(), ACCENT_MARKS[char])
            if char in SPACES:
                return SPACES[char]
            return char  # \& \% \$ \# \_ \{ \} and friends
        name = match.group()
        self.pos = match.end()
        if name in ACCENT_MARKS:
            return _accent(self.argument(), ACCENT_MARKS[name])
        self._skip_spaces()
        if name in MARKUP_READ:
            inner = self.argument()
            tag = MARKUP_READ[name]
            return f"<{tag}>{inner}</{tag}>" if self.markup else inner
        if name in SWITCHES_READ:
            rest = self.group(until="}")
            if self.closed:
                self.pos -= 1  # the "}" ends the enclosing group too: leave it to that group
            tag = SWITCHES_READ[name]
            return f"<{tag}>{rest.lstrip()}</{tag}>" if self.markup else rest.lstrip()
        if name in TRANSPARENT:
            return self.argument()
        if name == "href":
            self.argument()
            return self.argument()
        if name in SYMBOLS_READ:
            if text.startswith("{}", self.pos):
                self.pos += 2
            return SYMBOLS_READ[name]
        return text[start : self.pos] + self._raw_groups()

    def _raw_groups(self) -> str:
        """The braced arguments of an unknown command, kept as written."""
        text = self.text
        start = self.pos
        while self.pos < len(text) and text[self.pos] == "{":
            depth = 0
            for index in range(self.pos, len(text)):
                if text[index] == "{" and text[index - 1 : index] != "\\":
                    depth += 1
                elif text[index] == "}" and text[index - 1 : index] != "\\":
                    depth -= 1
                    if depth == 0:
                        self.pos = index + 1
                        break
            else:
                break
        return text[start : self.pos]

    def _skip_spaces(self) -> None:
        text = self.text
        while self.pos < len(text) and text[self.pos] in " \t":
            self.pos += 1

    def math(self) -> str:
        """``$\\beta$``, ``$^{2}$`` and the like; anything else is kept as written."""
        text = self.text
        end = self.pos + 1
        while end < len(text) and not (text[end] == "$" and text[end - 1] != "\\"):
            end += 1
        if end >= len(text):
            self.pos += 1
            return "$"
        raw = text[self.pos : end + 1]
        inner = text[self.pos + 1 : end]
        self.pos = end + 1
        decoded = _math(inner, self.markup)
        return raw if decoded is None else decoded


def _math(inner: str, markup: bool) -> str | None:
    out: list[str] = []
    position = 0
    pattern = re.compile(r"\\([A-Za-z]+)\s*|([\^_])(?:\{([^{}]*)\}|(\S))|(\s+)|([^\\^_$])")
    while position < len(inner):
        match = pattern.match(inner, position)
        if match is None:
            return None
        position = match.end()
        if match.group(1):
            if match.group(1) not in SYMBOLS_READ:
                return None
            out.append(SYMBOLS_READ[match.group(1)])
        elif match.group(2):
            tag = "sup" if match.group(2) == "^" else "sub"
            body = match.group(3) if match.group(3) is not None else match.group(4)
            inner_text = _math(body, markup)
            if inner_text is None:
                return None
            out.append(f"<{tag}>{inner_text}</{tag}>" if markup else inner_text)
        elif match.group(5):
            continue  # spaces do not print in math
        else:
            out.append(match.group(6))
    return "".join(out)


def _accent(base: str, mark: str) -> str:
    if not base:
        return unicodedata.normalize("NFC", " " + mark).strip() or mark
    if base == "ı":
        base = "i"
    elif base == "ȷ":
        base = "j"
    return unicodedata.normalize("NFC", base[0] + mark) + base[1:]


def _collapse(text: str) -> str:
    """Runs of blanks are one space; a run holding a blank line is a line break (LaTeX's
    paragraph break). Leading and trailing blanks go."""

    def blank(match: re.Match[str]) -> str:
        return "\n" if match.group().count("\n") >= 2 else " "

    return _BLANK.sub(blank, text).strip(" \t\r\n")
