"""bibkit: PubMed records to BibTeX, BibLaTeX, RIS and CSL-JSON, and CSL reference lists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bibkit.api import ConvertResult, convert, dumps, iter_read, read, write
from bibkit.diagnostics import BibkitError, Diagnostic
from bibkit.model import Citation, PartialDate, Person, Provenance
from bibkit.registry import REGISTRY, ReadOptions, WriteOptions

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from bibkit.rendering import Engine, Order

__all__ = [
    "REGISTRY",
    "BibkitError",
    "Citation",
    "ConvertResult",
    "Diagnostic",
    "PartialDate",
    "Person",
    "Provenance",
    "ReadOptions",
    "WriteOptions",
    "convert",
    "dumps",
    "iter_read",
    "read",
    "render",
    "write",
]
__version__ = "0.1.0"


def render(
    citations: Iterable[Citation | Mapping[str, Any]],
    style: str | Engine,
    *,
    output: str = "text",
    locale: str | None = None,
    order: Order = "style",
) -> str:
    """The reference list of ``citations`` in a CSL ``style`` (a name, an alias or a path), as
    ``output``: ``text``, ``html``, ``markdown`` or ``rtf``.

    The CSL engine is imported on first use, so converting never pays for it.
    """
    from bibkit import rendering

    return rendering.render(citations, style, output=output, locale=locale, order=order)
