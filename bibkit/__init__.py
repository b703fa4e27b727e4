"""bibkit: PubMed records to BibTeX, BibLaTeX, RIS and CSL-JSON, and CSL reference lists."""

from bibkit.api import ConvertResult, convert, dumps, iter_read, read, write
from bibkit.diagnostics import BibkitError, Diagnostic
from bibkit.model import Citation, PartialDate, Person, Provenance
from bibkit.registry import REGISTRY, ReadOptions, WriteOptions

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
    "write",
]
__version__ = "0.1.0"
