"""Rendered entries (the engine's HTML) as plain text, HTML, Markdown or RTF.

The engine's HTML uses a handful of tags (``i b sup sub span[small-caps|nocase] u``), so each
output is a walk over that small tree; text is unescaped exactly once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from html.parser import HTMLParser

from bibkit.rendering.engine import Entry

OUTPUTS = ("text", "html", "markdown", "rtf")


class _Walker(HTMLParser):
    """Calls ``on_text`` for text and ``on_tag`` for each opening/closing formatting tag."""

    def __init__(self, on_text: Callable[[str], None], on_tag: Callable[[str, bool], None]):
        super().__init__(convert_charrefs=True)
        self.on_text = on_text
        self.on_tag = on_tag
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        style = dict(attrs).get("style") or ""
        name = "sc" if tag == "span" and "small-caps" in style else tag
        self.stack.append(name)
        self.on_tag(name, True)

    def handle_endtag(self, tag: str) -> None:
        name = self.stack.pop() if self.stack else tag
        self.on_tag(name, False)

    def handle_data(self, data: str) -> None:
        self.on_text(data)


def _walk(markup: str, on_text: Callable[[str], None], on_tag: Callable[[str, bool], None]) -> None:
    walker = _Walker(on_text, on_tag)
    walker.feed(markup)
    walker.close()


def to_text(markup: str) -> str:
    """Visible text: tags dropped, entities decoded, whitespace runs made single spaces."""
    out: list[str] = []
    _walk(markup, out.append, lambda _tag, _opening: None)
    return " ".join("".join(out).split())


_MARKDOWN = {"i": "*", "b": "**", "sup": "^", "sub": "~"}
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#^~|@$"})
"""``@key`` would be a pandoc citation and ``$x$`` math; the rest are Markdown's own marks."""
_MD_LIST_START = re.compile(r"^([+-](?= )|\(?(?:\d{1,9}|[A-Za-z])(?=[.)] ))")
"""What starts a list item: ``+ Plus Group.`` or ``2020. Title`` would become a list."""


def to_markdown(markup: str) -> str:
    """Pandoc Markdown: ``*italic*``, ``**bold**``, ``^sup^``, ``~sub~``; specials escaped."""
    out: list[str] = []

    def tag(name: str, _opening: bool) -> None:
        out.append(_MARKDOWN.get(name, ""))

    _walk(markup, lambda text: out.append(text.translate(_MD_SPECIAL)), tag)
    return " ".join("".join(out).split())


_RTF_ON = {
    "i": r"{\i ",
    "b": r"{\b ",
    "sup": r"{\super ",
    "sub": r"{\sub ",
    "sc": r"{\scaps ",
    "u": r"{\ul ",
}


def _rtf_escape(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif ord(char) > 127:
            code = ord(char)
            if code > 0xFFFF:  # RTF \u takes 16-bit signed values: write a surrogate pair
                code -= 0x10000
                pair = (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
                out.extend(f"\\u{c - 65536}?" for c in pair)
            else:
                out.append(f"\\u{code if code < 32768 else code - 65536}?")
        elif char == "\n":
            out.append("\\line ")
        else:
            out.append(char)
    return "".join(out)


def to_rtf_fragment(markup: str) -> str:
    out: list[str] = []

    def tag(name: str, opening: bool) -> None:
        if name in _RTF_ON:
            out.append(_RTF_ON[name] if opening else "}")

    _walk(markup, lambda text: out.append(_rtf_escape(text)), tag)
    return " ".join("".join(out).split(" ")).strip()


def _entry_markup(entry: Entry, separator: str = " ") -> str:
    return entry.html if entry.left is None else f"{entry.left}{separator}{entry.html}"


def format_entries(entries: Sequence[Entry], output: str) -> str:
    """The whole reference list in ``output`` (one of ``OUTPUTS``), ending with a newline."""
    if output == "text":
        return "".join(to_text(_entry_markup(e)) + "\n" for e in entries)
    if output == "markdown":
        return "\n".join(_markdown_entry(e) + "\n" for e in entries)
    if output == "html":
        return _html_document(entries)
    if output == "rtf":
        return _rtf_document(entries)
    raise ValueError(f"unknown output {output!r}; choose from {', '.join(OUTPUTS)}")


def _markdown_entry(entry: Entry) -> str:
    """A numbered style's ``1.`` makes the list a numbered list, on purpose; an entry's own
    text that happens to start like a list item is escaped so that it stays text."""
    text = to_markdown(entry.html)
    match = _MD_LIST_START.match(text)
    if match is not None:
        cut = 0 if match[0] in "+-" else match.end()
        text = text[:cut] + "\\" + text[cut:]
    return text if entry.left is None else f"{to_markdown(entry.left)} {text}"


def _html_document(entries: Sequence[Entry]) -> str:
    lines = ['<div class="csl-bib-body">']
    for entry in entries:
        ident = html.escape(entry.id, quote=True)
        if entry.left is None:
            lines.append(f'  <div class="csl-entry" id="{ident}">{entry.html}</div>')
        else:
            lines.append(
                f'  <div class="csl-entry" id="{ident}"><div class="csl-left-margin">'
                f'{entry.left}</div><div class="csl-right-inline">{entry.html}</div></div>'
            )
    lines.append("</div>")
    return "\n".join(lines) + "\n"


def _rtf_document(entries: Sequence[Entry]) -> str:
    """RTF that Word opens (or pastes) with italics, bold, super/subscript kept."""
    head = r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}\f0\fs24" + "\n"
    body = "".join(
        (r"{\pard\li720\fi-720\sa120 " if e.left is None else r"{\pard\li720\fi-720\tx720\sa120 ")
        + (to_rtf_fragment(e.left) + r"\tab " if e.left is not None else "")
        + to_rtf_fragment(e.html)
        + r"\par}"
        + "\n"
        for e in entries
    )
    return head + body + "}\n"
