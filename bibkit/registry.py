"""Every format bibkit reads or writes, declared once; modules are imported only when used."""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, TextIO, cast

from bibkit.diagnostics import Diagnostic, Report, UnknownFormatError
from bibkit.io import Source
from bibkit.model import Citation


@dataclass(frozen=True)
class ReadOptions:
    strict: bool = False
    """Turn warnings about a record into errors that reject it."""


@dataclass(frozen=True)
class WriteOptions:
    ascii: bool = False
    """BibTeX/BibLaTeX: write non-ASCII characters as LaTeX escapes."""


class Reader(Protocol):
    def __call__(self, source: Source, options: ReadOptions) -> Iterator[Citation | Diagnostic]: ...


class Writer(Protocol):
    def __call__(
        self, citations: Iterable[Citation], out: TextIO, options: WriteOptions, report: Report
    ) -> None: ...


IdentityScanner = Callable[[Source], Iterator[tuple[str | None, str | None]]]

Sniffer = Callable[[str], int]
"""Scores the decoded head of an input: 0 = not this format; higher = more specific match."""


def _present(ref: str | None) -> bool:
    """Whether a declared entry point's module is part of this installation."""
    return ref is not None and importlib.util.find_spec(ref.partition(":")[0]) is not None


def _load(ref: str) -> object:
    module_name, _, attribute = ref.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


@dataclass(frozen=True)
class FormatSpec:
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    reader: str | None = None
    """``module:function`` of the reader, imported on first use."""
    writer: str | None = None
    sniffer: str | None = None
    output_extension: str | None = None
    identity_scanner: str | None = None
    """``module:function`` giving ``(PMID, DOI)`` of each record the reader yields, much faster
    than reading it: pass one of a large conversion, which only looks for twins."""

    @property
    def can_read(self) -> bool:
        return _present(self.reader) and (self.sniffer is None or _present(self.sniffer))

    @property
    def can_write(self) -> bool:
        return _present(self.writer)

    def load_reader(self) -> Reader:
        assert self.reader is not None, f"{self.name} has no reader"
        return cast(Reader, _load(self.reader))

    def load_writer(self) -> Writer:
        assert self.writer is not None, f"{self.name} has no writer"
        return cast(Writer, _load(self.writer))

    def load_identity_scanner(self) -> IdentityScanner | None:
        return (
            None
            if self.identity_scanner is None
            else cast(IdentityScanner, _load(self.identity_scanner))
        )

    def sniff(self, head: str) -> int:
        if self.sniffer is None:
            return 0
        return cast(Sniffer, _load(self.sniffer))(head)


@dataclass
class Registry:
    formats: list[FormatSpec] = field(default_factory=list)

    def add(self, spec: FormatSpec) -> None:
        taken = {n for f in self.formats for n in (f.name, *f.aliases)}
        clash = {spec.name, *spec.aliases} & taken
        assert not clash, f"format names declared twice: {clash}"
        self.formats.append(spec)

    @property
    def readers(self) -> list[FormatSpec]:
        return [f for f in self.formats if f.can_read]

    @property
    def writers(self) -> list[FormatSpec]:
        return [f for f in self.formats if f.can_write]

    def reader_names(self) -> list[str]:
        return [f.name for f in self.readers]

    def writer_names(self) -> list[str]:
        return [f.name for f in self.writers]

    def choices(self, *, readable: bool = False, writable: bool = False) -> list[str]:
        """Names and aliases, for the CLI's ``--from`` / ``--to`` choices."""
        out: list[str] = []
        for spec in self.formats:
            if (readable and spec not in self.readers) or (writable and spec not in self.writers):
                continue
            out.extend((spec.name, *spec.aliases))
        return out

    def get(self, name: str) -> FormatSpec:
        wanted = name.lower()
        for spec in self.formats:
            if wanted == spec.name or wanted in spec.aliases:
                return spec
        raise UnknownFormatError(
            f"unknown format {name!r}; known formats: {', '.join(f.name for f in self.formats)}"
        )

    def reader_for(self, name: str) -> FormatSpec:
        if not self._known(name):
            raise UnknownFormatError(
                f"unknown input format {name!r}; bibkit reads: {', '.join(self.reader_names())}"
            )
        spec = self.get(name)
        if spec not in self.readers:
            raise UnknownFormatError(
                f"bibkit cannot read {spec.name}; it reads: {', '.join(self.reader_names())}"
            )
        return spec

    def writer_for(self, name: str) -> FormatSpec:
        if not self._known(name):
            # The formats it can write, not every format: --to medline would be refused next.
            raise UnknownFormatError(
                f"unknown output format {name!r}; bibkit writes: {', '.join(self.writer_names())}"
            )
        spec = self.get(name)
        if spec not in self.writers:
            raise UnknownFormatError(
                f"bibkit cannot write {spec.name}; it writes: {', '.join(self.writer_names())}"
            )
        return spec

    def _known(self, name: str) -> bool:
        wanted = name.lower()
        return any(wanted == spec.name or wanted in spec.aliases for spec in self.formats)

    def detect(self, source: Source) -> FormatSpec | Diagnostic:
        """Sniff the content; the highest score wins, then the file extension decides ties.

        No match, or a tie that the extension cannot settle, is an error naming what we read,
        at line 1: the content from its start is what no format matches.
        """
        known = ", ".join(self.reader_names())
        if source.looks_binary():
            return Diagnostic(
                source.name,
                1,
                "error",
                "unknown-format",
                f"binary content, not a bibliographic format bibkit reads ({known})",
            )
        if source.is_empty():
            return Diagnostic(
                source.name,
                1,
                "error",
                "empty-input",
                f"empty input; bibkit reads {known}",
            )
        head = source.head()
        scores = [(spec.sniff(head), spec) for spec in self.readers]
        best = max((score for score, _ in scores), default=0)
        candidates = [spec for score, spec in scores if score == best and score > 0]
        if not candidates:
            # Only a format that cannot be sniffed is trusted on its file name alone.
            candidates = [s for s in self.readers if s.sniffer is None]
        if len(candidates) > 1:
            candidates = [s for s in candidates if self._extension_matches(s, source.name)]
        if len(candidates) == 1:
            return candidates[0]
        export = pubmed_export_hint(head) if not candidates else None
        if export is not None:
            return Diagnostic(source.name, 1, "error", "unknown-format", export)
        return Diagnostic(
            source.name,
            1,
            "error",
            "unknown-format",
            f"not in a format bibkit recognizes; bibkit reads {known} (or name one with --from)",
        )

    @staticmethod
    def _extension_matches(spec: FormatSpec, name: str) -> bool:
        lowered = name.lower().removesuffix(".gz")
        return any(lowered.endswith(ext) for ext in spec.extensions)


_SAVE_AS_PUBMED = (
    "; save the results from PubMed in 'PubMed' format (Save > Format: PubMed, or Send to >"
    " Citation manager), which bibkit reads"
)
_PMID_LIST = re.compile(r"(?:\s*\d{1,9}\s*\n)+\s*(?:\d{1,9}\s*)?")
_TEXT_EXPORT = re.compile(r"^(?:\d+[:.] .*)?PMID: \d+", re.MULTILINE)
"""``PMID: 29768149 [Indexed for MEDLINE]`` ending an abstract, or a numbered summary line."""


_EUTILS_ERROR = re.compile(r"<ERROR>\s*(?P<text>[^<]{0,200}?)\s*</ERROR>")
_HTML = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?<(?:!DOCTYPE\s+html|html)\b", re.IGNORECASE)


def pubmed_export_hint(head: str) -> str | None:
    """What to do with one of PubMed's other exports (CSV, a PMID list, the text summaries),
    which hold too little or too loose a form for a citation and are saved by mistake; or with
    what a download script saved instead of records (an E-utilities error, an HTML page)."""
    text = head.lstrip("\ufeff")
    error = _EUTILS_ERROR.search(text)
    if error is not None and text.lstrip().startswith("<"):
        return f"an E-utilities error message, not records: {error['text'] or '(empty)'}"
    if _HTML.match(text):
        return "an HTML page (a web page, or a server's error page a download saved), no records"
    if text.startswith("PMID,Title,Authors,Citation"):
        return "PubMed's CSV export, which bibkit does not read" + _SAVE_AS_PUBMED
    if _PMID_LIST.fullmatch(text):
        return "a list of PMIDs, which holds no citations" + _SAVE_AS_PUBMED
    if _TEXT_EXPORT.search(text):
        return (
            "PubMed's 'Summary (text)' or 'Abstract (text)' export, which bibkit does not read"
            + _SAVE_AS_PUBMED
        )
    return None


def _builtin() -> Registry:
    registry = Registry()
    for spec in BUILTIN_FORMATS:
        registry.add(spec)
    return registry


BUILTIN_FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec(
        name="pubmed-page",
        description="text of a PubMed article page (copied or scraped from the web page)",
        aliases=("page", "pubmed-dump"),
        extensions=(".txt",),
        reader="bibkit.readers.pubmed_page:read",
        sniffer="bibkit.readers.pubmed_page:sniff",
    ),
    FormatSpec(
        name="medline",
        description="PubMed MEDLINE export (.nbib, 'Send to > Citation manager')",
        aliases=("nbib", "pubmed-medline"),
        extensions=(".nbib", ".medline", ".txt"),
        reader="bibkit.readers.medline:read",
        sniffer="bibkit.readers.medline:sniff",
        identity_scanner="bibkit.readers.medline:identities",
    ),
    FormatSpec(
        name="pubmed-xml",
        description="PubMed XML (PubmedArticleSet from efetch or the baseline, .xml/.xml.gz)",
        aliases=("pubmedxml", "efetch"),
        extensions=(".xml",),
        reader="bibkit.readers.pubmed_xml:read",
        sniffer="bibkit.readers.pubmed_xml:sniff",
        identity_scanner="bibkit.readers.pubmed_xml_scan:identities",
    ),
    FormatSpec(
        name="bibtex",
        description="BibTeX (.bib) for LaTeX with bibtex/natbib, and for Zotero import",
        aliases=("bib",),
        extensions=(".bib",),
        reader="bibkit.readers.bibtex:read_bibtex",
        writer="bibkit.writers.bibtex:write_bibtex",
        sniffer="bibkit.readers.bibtex:sniff_bibtex",
        output_extension=".bib",
    ),
    FormatSpec(
        name="biblatex",
        description="BibLaTeX (.bib) for LaTeX with biber",
        extensions=(".bib",),
        reader="bibkit.readers.bibtex:read_biblatex",
        writer="bibkit.writers.bibtex:write_biblatex",
        sniffer="bibkit.readers.bibtex:sniff_biblatex",
        output_extension=".bib",
    ),
    FormatSpec(
        name="ris",
        description="RIS for Zotero, EndNote, Mendeley and most reference managers",
        extensions=(".ris",),
        reader="bibkit.readers.ris:read",
        writer="bibkit.writers.ris:write",
        sniffer="bibkit.readers.ris:sniff",
        output_extension=".ris",
    ),
    FormatSpec(
        name="csljson",
        description="CSL-JSON for pandoc, citeproc and Zotero",
        aliases=("csl-json", "json"),
        extensions=(".json",),
        reader="bibkit.readers.csljson:read",
        writer="bibkit.writers.csljson:write",
        sniffer="bibkit.readers.csljson:sniff",
        output_extension=".json",
    ),
)

REGISTRY = _builtin()
"""The formats bibkit knows. Extended by later readers in this tuple, never at run time."""
