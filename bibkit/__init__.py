"""bibkit: PubMed records to BibTeX, BibLaTeX, RIS and CSL-JSON, and reference lists in CSL styles."""

from bibkit.diagnostics import Diagnostic
from bibkit.model import Citation, PartialDate, Person

__all__ = ["Citation", "Diagnostic", "PartialDate", "Person"]
__version__ = "0.1.0"
