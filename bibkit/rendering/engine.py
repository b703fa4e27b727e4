"""citeproc-py driven by bibkit: styles and locales parsed with bibkit's element classes, clean
data fed in, year suffixes assigned, and every entry returned as HTML with its item id.
"""

from __future__ import annotations

import os
import re
import traceback
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeproc import LOCALES_PATH, Citation, CitationItem, CitationStylesBibliography, model
from citeproc.formatter import html as html_formatter
from citeproc.frontend import CitationStylesStyle
from citeproc.source.json import CiteProcJSON
from citeproc.string import String
from lxml import etree

from bibkit.diagnostics import BibkitError
from bibkit.rendering.clean import EXTRA_DATES, clean_item, plain
from bibkit.rendering.elements import DISAMBIGUATE, EXPANDED_NAMES, OVERRIDES
from bibkit.rendering.markup import item_to_html
from bibkit.rendering.punctuation import SeamRules

CSL_NS = "http://purl.org/net/xbiblio/csl"
YEAR_SUFFIXES = "abcdefghijklmnopqrstuvwxyz"


class StyleError(BibkitError):
    """A style citeproc-py cannot load or render; names the style and the CSL feature."""


@dataclass(frozen=True)
class Entry:
    """One rendered reference: HTML, with the number or label column apart when the style
    aligns it (``second-field-align``)."""

    id: str
    html: str
    left: str | None = None


def element_lookup() -> etree.ElementNamespaceClassLookup:
    """The CSL namespace mapped to citeproc-py's classes, bibkit's extensions taking over."""
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NS)
    namespace[None] = model.CitationStylesElement
    for cls in model.CitationStylesElement.__subclasses__():
        tag = cls.__name__.replace("_", "-").lower()
        namespace[tag] = OVERRIDES.get(cls.__name__, cls)
    return lookup


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True)
    parser.set_element_class_lookup(element_lookup())
    return parser


def available_locales() -> list[str]:
    return sorted(
        name.removeprefix("locales-").removesuffix(".xml")
        for name in os.listdir(LOCALES_PATH)
        if name.startswith("locales-") and name.endswith(".xml")
    )


def _known_locale(locale: str | None) -> str | None:
    """``en_us``, ``en-US`` or ``fr`` (its primary dialect, ``fr-FR``); unknown is an error."""
    if locale is None:
        return None
    from citeproc import PRIMARY_DIALECTS

    known = available_locales()
    wanted = locale.replace("_", "-")
    by_case = {name.lower(): name for name in known}
    if wanted.lower() in by_case:
        return by_case[wanted.lower()]
    dialect = PRIMARY_DIALECTS.get(wanted.lower())
    if dialect in known:
        return str(dialect)
    raise BibkitError(f"unknown locale {locale!r}; known: {', '.join(known)}")


class _Source(CiteProcJSON):  # type: ignore[misc]
    """CSL-JSON whose strings are already the engine's HTML (see ``markup``)."""

    def __init__(self, items: Sequence[Mapping[str, Any]]) -> None:
        super().__init__([{k: v for k, v in i.items() if k not in EXTRA_DATES} for i in items])
        for item in items:
            for key in EXTRA_DATES:
                if key in item:
                    date = self.parse_date(item[key])
                    if date is not None:
                        self[str(item["id"]).lower()][key.replace("-", "_")] = date

    def parse_string(self, string: Any) -> Any:
        return String(str(string))


class _Style(CitationStylesStyle):  # type: ignore[misc]
    """A style and its locales parsed with bibkit's element classes."""

    def __init__(self, path: Path, locale: str | None) -> None:
        parser = _parser()
        try:
            self.xml = etree.parse(str(path), parser)
        except (OSError, etree.XMLSyntaxError) as error:
            raise StyleError(f"{path}: not a readable CSL style: {error}") from error
        self.root: Any = self.xml.getroot()
        if not isinstance(self.root, model.Style):
            raise StyleError(f"{path}: not a CSL style (root element is not <style>)")
        wanted = locale or self.root.get("default-locale") or "en-US"
        self.root.locales = _locales(self.root, wanted, parser)
        for element in self.root.locales:
            element.style = self.root


def _locales(root: Any, wanted: str, parser: etree.XMLParser) -> list[Any]:
    """CSL 1.0.2 "Locale Fallback": in-style locales (dialect, language, none), then the
    locale files (dialect, primary dialect of the language, en-US)."""
    from citeproc import LANGUAGE_NAMES, PRIMARY_DIALECTS

    found: list[Any] = []
    language = wanted.split("-")[0]
    for lang in (wanted, language, None):
        expression = f'./cs:locale[@xml:lang="{lang}"]' if lang else "./cs:locale[not(@xml:lang)]"
        found.extend(root.xpath_search(expression)[:1])
    files: list[str] = []
    for name in (
        wanted if wanted in LANGUAGE_NAMES else None,
        PRIMARY_DIALECTS.get(language),
        "en-US",
    ):
        if name and name not in files:
            files.append(name)
    for name in files:
        path = Path(LOCALES_PATH) / f"locales-{name}.xml"
        if path.is_file():
            found.append(etree.parse(str(path), parser).getroot())
    return found


def _seam_rules(root: Any) -> SeamRules:
    piq = str(root.get_locale_option("punctuation-in-quote") or "false").lower() == "true"
    quotes = {
        str(root.get_single_term("close-quote")),
        str(root.get_single_term("close-inner-quote")),
    }
    return SeamRules(piq, frozenset(q for q in quotes if len(q) == 1))


class Engine:
    """Renders bibliographies in one style and locale."""

    def __init__(self, style_path: Path, locale: str | None = None, name: str | None = None):
        self.name = name or style_path.stem
        locale = _known_locale(locale)
        self.locale = locale
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.style: Any = _Style(style_path, locale)
        if not self.style.has_bibliography():
            raise StyleError(f"style {self.name} defines no bibliography (<bibliography>)")
        self.style.root.formatter = html_formatter
        self.style.root.bk_rules = _seam_rules(self.style.root)
        citation = self.style.root.citation
        self.year_suffix = (
            citation is not None
            and str(citation.get("disambiguate-add-year-suffix", "false")).lower() == "true"
        )
        explicit = self.style.root.xpath_search('.//cs:text[@variable="year-suffix"]')
        self.style.root.bk_implicit_suffix = self.year_suffix and not explicit
        self.last_bibliography: Any = None
        """The set rendered last, for rendering cites against it."""
        self.add_names = (
            citation is not None
            and str(citation.get("disambiguate-add-names", "false")).lower() == "true"
        )
        add_given = citation is not None and (
            str(citation.get("disambiguate-add-givenname", "false")).lower() == "true"
        )
        rule = str(citation.get("givenname-disambiguation-rule", "by-cite")) if add_given else ""
        self.given_in_cites = "initials" if rule.endswith("with-initials") else rule
        """How much of a given name cites can show to tell authors apart: nothing (the rule
        is off), initials only (``…-with-initials``), or the whole name."""

    def render(self, items: Sequence[Mapping[str, Any]], sort: bool = True) -> list[Entry]:
        """Entries for CSL-JSON ``items``: in the style's order, or in the given order with
        citation numbers following it when ``sort`` is false."""
        prepared = [item_to_html(clean_item(item)) for item in items]
        ids = [str(item["id"]) for item in prepared]
        lowered = [i.lower() for i in ids]
        if len(set(lowered)) != len(lowered):
            raise BibkitError("item ids must be unique regardless of case")
        original = dict(zip(lowered, ids, strict=True))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source = _Source(prepared)
        bibliography = CitationStylesBibliography(self.style, source, html_formatter)
        self.last_bibliography = bibliography
        for item_id in lowered:
            bibliography.register(Citation([CitationItem(item_id)]))
        try:
            if sort:
                bibliography.sort()
            for number, item in enumerate(bibliography.items, start=1):
                item.number = number
            if self.add_names and self._bibliography_follows_cites():
                self._expand_ambiguous_names(bibliography)
            if self.year_suffix:
                self._add_year_suffixes(bibliography)
            layout = self.style.root.bibliography.layout
            layout.bk_previous_names = None
            entries: list[Entry] = []
            for item in bibliography.items:
                left, text = layout.render_entry(item)
                if text is not None:
                    entries.append(Entry(original[item.key], text, left))
        except Exception as error:  # a bug or a style feature citeproc-py lacks
            raise StyleError(_describe_failure(self.name, error)) from error
        return entries

    def _et_al(self, element: Any) -> tuple[int, int]:
        return int(element.get_option("et-al-min")), int(element.get_option("et-al-use-first"))

    def _bibliography_follows_cites(self) -> bool:
        """Names added to disambiguate cites show in the bibliography too when both abbreviate
        name lists alike (citeproc-js does so; MLA is the common case)."""
        root = self.style.root
        return self._et_al(root.citation) == self._et_al(root.bibliography)

    def _expand_ambiguous_names(self, bibliography: Any) -> None:
        """CSL 1.0.2, "Disambiguation" step 1 (disambiguate-add-names): cites that read the same
        show more names, the fewest that tell every one of them apart."""
        minimum, first = self._et_al(self.style.root.citation)
        groups: dict[str, list[Any]] = {}
        for item in bibliography.items:
            groups.setdefault(self._cite_text(bibliography, item), []).append(item)
        for group in groups.values():
            lists = [list(item.reference.get("author") or []) for item in group]
            if len(group) < 2 or not all(lists):
                continue
            for count in range(first + 1, max(len(names) for names in lists) + 1):
                forms = {_names_form(names, count, minimum) for names in lists}
                if len(forms) == len(lists):
                    for item in group:
                        item.reference[EXPANDED_NAMES] = count
                    break
            else:
                if not self.year_suffix:
                    for item in group:
                        item.reference[DISAMBIGUATE] = True

    def _add_year_suffixes(self, bibliography: Any) -> None:
        """CSL 1.0.2, "Disambiguation" step 4: cites that stay identical get a year suffix,
        a, b, ... in bibliography order."""
        groups: dict[str, list[Any]] = {}
        for item in bibliography.items:
            reference = item.reference
            names = reference.get("author") or reference.get("editor") or []
            who = ";".join(
                str(n.get("literal") or f"{n.get('family', '')},{self._given_key(n)}")
                for n in names
            )
            issued = reference.get("issued")
            year = _year(issued)
            if not who:
                who = plain(str(reference.get("title", "")))
            if self.add_names:
                key = f"{who}|{year}"
            else:
                key = f"{self._cite_text(bibliography, item)}|{year}"
            groups.setdefault(key, []).append(item)
        for group in groups.values():
            if len(group) < 2:
                continue
            for index, item in enumerate(group):
                item.reference["year_suffix"] = String(YEAR_SUFFIXES[index % len(YEAR_SUFFIXES)])

    def _given_key(self, name: Any) -> str:
        """The part of a given name cites could show: "Y" and "Yan" are both "Y." in APA,
        whose givenname rule adds initials only, so Li Y 2023 and Li Yan 2023 need a and b."""
        if not self.given_in_cites:
            return ""
        given = str(name.get("given", ""))
        if self.given_in_cites == "initials":
            return "".join(word[0] for word in re.split(r"[\s.\-‐]+", given) if word)
        return given

    def _cite_text(self, bibliography: Any, item: Any) -> str:
        citation = Citation([CitationItem(item.key)])
        citation.bibliography = bibliography
        try:
            return str(bibliography.cite(citation, lambda _: None))
        except Exception:
            return ""


def _year(date: Any) -> str:
    """The (first) year of a citeproc-py date, range or literal date, as text."""
    if date is None:
        return ""
    if isinstance(date, dict) and "begin" in date:
        date = date["begin"]
    if isinstance(date, dict) and "year" in date:
        return str(date["year"])
    return str(getattr(date, "text", ""))


def _names_form(names: list[Any], count: int, minimum: int) -> tuple[Any, ...]:
    """What a cite shows of ``names`` when ``count`` of them are kept before "et al."."""
    keys = [tuple(sorted(dict(name).items())) for name in names]
    if len(keys) > 1 and minimum and len(keys) >= minimum and len(keys) > count:
        return (*keys[:count], "et-al")
    return tuple(keys)


def _describe_failure(style: str, error: Exception) -> str:
    """Name the CSL element citeproc-py failed on, from the innermost frame that had one."""
    element: Any = None
    for frame, _ in traceback.walk_tb(error.__traceback__):
        candidate = frame.f_locals.get("self")
        if isinstance(candidate, model.CitationStylesElement):
            element = candidate
    if element is None:
        return f"style {style}: citeproc-py cannot render it ({type(error).__name__}: {error})"
    tag = str(element.tag).split("}")[-1]
    attributes = " ".join(f'{k}="{v}"' for k, v in element.attrib.items())
    where = f" (line {element.sourceline})" if element.sourceline else ""
    shown = f"<{tag} {attributes}>" if attributes else f"<{tag}>"
    return (
        f"style {style}: citeproc-py cannot process the CSL feature {shown}{where}: "
        f"{type(error).__name__}: {error}"
    )
