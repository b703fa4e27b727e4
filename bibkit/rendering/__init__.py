"""Reference lists in any CSL style: citations -> CSL-JSON -> citeproc-py (extended by bibkit)
-> text, HTML, Markdown or RTF.

A package rather than one module because it has several jobs: style lookup (``styles``), data
cleaning (``clean``, ``markup``), the engine and its fixes to citeproc-py (``engine``,
``elements``, ``punctuation``, ``casing``) and the output formats (``output``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from bibkit.model import Citation
from bibkit.rendering.engine import Engine, Entry, StyleError, available_locales
from bibkit.rendering.output import OUTPUTS, format_entries
from bibkit.rendering.styles import (
    ResolvedStyle,
    StyleInfo,
    UnknownStyleError,
    find_styles,
    resolve,
)

__all__ = [
    "OUTPUTS",
    "Engine",
    "Entry",
    "ResolvedStyle",
    "StyleError",
    "StyleInfo",
    "UnknownStyleError",
    "available_locales",
    "engine_for",
    "find_styles",
    "render",
    "render_entries",
    "resolve",
    "to_items",
]

Order = Literal["style", "input"]


def to_items(citations: Iterable[Citation | Mapping[str, Any]]) -> list[dict[str, Any]]:
    """CSL-JSON items from citations (or items already in CSL-JSON)."""
    from bibkit.writers.csljson import to_csl

    return [dict(c) if isinstance(c, Mapping) else to_csl(c) for c in citations]


def engine_for(style: str, locale: str | None = None) -> Engine:
    """An engine for a style name, alias, old name, journal style or ``.csl`` path."""
    resolved = resolve(style)
    return Engine(resolved.path, locale, name=resolved.info.id)


def render_entries(
    citations: Iterable[Citation | Mapping[str, Any]],
    style: str | Engine,
    *,
    locale: str | None = None,
    order: Order = "style",
) -> list[Entry]:
    engine = style if isinstance(style, Engine) else engine_for(style, locale)
    return engine.render(to_items(citations), sort=order == "style")


def render(
    citations: Iterable[Citation | Mapping[str, Any]],
    style: str | Engine,
    *,
    output: str = "text",
    locale: str | None = None,
    order: Order = "style",
) -> str:
    """The reference list of ``citations`` in ``style``, as ``output`` (see ``OUTPUTS``).

    ``order="input"`` keeps the given order (numbered styles then number in citation order);
    ``"style"`` sorts as the style says.
    """
    entries = render_entries(citations, style, locale=locale, order=order)
    return format_entries(entries, output)
