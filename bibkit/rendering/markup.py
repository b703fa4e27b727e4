"""Field values as the engine's HTML: text escaped, CSL rich-text markup kept as tags.

CSL-JSON titles may carry ``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<sc>`` and
``<span class="nocase">`` (CSL 1.0.2, "Appendix VI - Rich text markup"). Everything else that
looks like a tag is text and is escaped, so the HTML output never passes raw text through and
the plain-text output never shows a tag.
"""

from __future__ import annotations

import html
import re
from typing import Any

from bibkit.rendering.clean import RICH_TEXT_FIELDS

_TAG = re.compile(r"<(/?)(i|b|sup|sub|sc|span)(\s+[^>]*)?>", re.IGNORECASE)
_OPEN = {
    "i": "<i>",
    "b": "<b>",
    "sup": "<sup>",
    "sub": "<sub>",
    "sc": '<span style="font-variant:small-caps;">',
    "span": '<span class="nocase">',
}
_CLOSE = {
    "i": "</i>",
    "b": "</b>",
    "sup": "</sup>",
    "sub": "</sub>",
    "sc": "</span>",
    "span": "</span>",
}


QUOTE_OPEN, QUOTE_CLOSE = "<q>", "</q>"
"""Straight double quotes in a title, paired; the engine prints them as the locale's quotes
(inner quotes where the title itself is quoted)."""


class _Quotes:
    """Turns paired ``"`` into ``<q>``/``</q>``; an unpaired last one stays as typed."""

    def __init__(self, text: str) -> None:
        self.left = text.count('"') - text.count('"') % 2
        self.open = False

    def escape(self, segment: str) -> str:
        out: list[str] = []
        for char in segment:
            if char == '"' and (self.left or self.open):
                out.append(QUOTE_CLOSE if self.open else QUOTE_OPEN)
                self.open = not self.open
                self.left -= 1
            else:
                out.append(html.escape(char, quote=False))
        return "".join(out)


def rich_to_html(text: str) -> str:
    """Balanced, known tags kept; paired straight quotes marked; everything else escaped."""
    out: list[str] = []
    stack: list[str] = []
    position = 0
    quotes = _Quotes(_TAG.sub("", text))
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        attributes = match.group(3) or ""
        if name == "span" and not closing and "nocase" not in attributes:
            continue
        out.append(quotes.escape(text[position : match.start()]))
        position = match.end()
        if closing:
            if name in stack:
                while stack:
                    top = stack.pop()
                    out.append(_CLOSE[top])
                    if top == name:
                        break
        else:
            stack.append(name)
            out.append(_OPEN[name])
    out.append(quotes.escape(text[position:]))
    if quotes.open:
        out.append(QUOTE_CLOSE)
    out.extend(_CLOSE[name] for name in reversed(stack))
    return "".join(out)


def item_to_html(item: dict[str, Any]) -> dict[str, Any]:
    """A cleaned CSL-JSON item with every text value turned into the engine's HTML."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        python_key = key.replace("-", "_")
        if key in ("id", "type", "language") or isinstance(value, dict):
            out[key] = value
        elif isinstance(value, list):
            out[key] = [
                {k: html.escape(str(v), quote=False) for k, v in name.items()}
                if isinstance(name, dict)
                else name
                for name in value
            ]
        elif python_key in RICH_TEXT_FIELDS:
            out[key] = rich_to_html(str(value))
        else:
            out[key] = html.escape(str(value), quote=False)
    return out
