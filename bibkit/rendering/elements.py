"""citeproc-py's CSL element classes, extended where its output differs from the CSL rules.

Each subclass names the specification rule it implements. The engine parses styles and locales
with these classes (see ``engine.element_lookup``), so citeproc-py does everything else.
"""

from __future__ import annotations

import html
import re
from typing import Any

from citeproc import model
from citeproc.source import LiteralDate, VariableError
from citeproc.string import String

from bibkit.rendering import casing
from bibkit.rendering.clean import plain
from bibkit.rendering.markup import QUOTE_CLOSE, QUOTE_OPEN
from bibkit.rendering.punctuation import SeamRules, join, seam

ENGLISH = ("en",)
DISAMBIGUATE = "bk_disambiguate"
"""Reference key: set when only the style's ``disambiguate="true"`` branches can tell it apart."""
EXPANDED_NAMES = "bk_names_shown"
"""Reference key: how many authors the bibliography shows after add-names disambiguation."""


def _rules(element: Any) -> SeamRules:
    root = element.get_root()
    style = getattr(root, "style", None)
    style = root if style is None else style
    rules = getattr(style, "bk_rules", None)
    return rules if isinstance(rules, SeamRules) else SeamRules()


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class Fast:
    """Macro and layout lookups cached per style: citeproc-py runs an XPath query for each,
    many times per entry."""

    def get_macro(self, name: str) -> Any:
        root = _style_root(self)
        cache = getattr(root, "bk_macros", None)
        if cache is None:
            cache = root.bk_macros = {}
        if name not in cache:
            cache[name] = super().get_macro(name)  # type: ignore[misc]
        return cache[name]

    def get_layout(self) -> Any:
        root = _style_root(self)
        cache = getattr(root, "bk_layouts", None)
        if cache is None:
            cache = root.bk_layouts = {}
        if self not in cache:
            cache[self] = super().get_layout()  # type: ignore[misc]
        return cache[self]


class Seams:
    """Affixes and delimiters joined without doubled punctuation, with punctuation-in-quote
    (CSL 1.0.2, "Affixes"; "Locale Options: punctuation-in-quote")."""

    def wrap(self, string: Any) -> Any:
        if string is None:
            return None
        rules = _rules(self)
        prefix = html.escape(self.get("prefix", ""), quote=False)  # type: ignore[attr-defined]
        suffix = html.escape(self.get("suffix", ""), quote=False)  # type: ignore[attr-defined]
        return String(seam(seam(prefix, _text(string), rules), suffix, rules))

    def join(self, strings: Any, default_delimiter: str = "") -> Any:
        delimiter = self.get("delimiter", default_delimiter)  # type: ignore[attr-defined]
        pieces = [_text(s) for s in strings if s is not None]
        return String(join(pieces, html.escape(delimiter, quote=False), _rules(self)))


class Cased:
    """``text-case`` on HTML, word by word (CSL 1.0.2, "Text-case"); title case only for
    English items (same section: "title case conversion ... only for English-language items")."""

    def case(self, text: Any, language: str | None = None) -> Any:
        text_case = self.get("text-case")  # type: ignore[attr-defined]
        if text_case is None or text is None:
            return text
        if text_case == "title" and language is not None and language not in ENGLISH:
            return text
        return String(casing.apply(_text(text), text_case))


class Children:
    """Children rendered and joined through ``Seams``."""

    def render_children(self, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
        output: list[str] = []
        for child in self.iterchildren():  # type: ignore[attr-defined]
            try:
                if isinstance(child, model.Choose):
                    text = child.render(item, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, **kwargs)
            except VariableError:
                continue
            if text is not None and _text(text) != "":
                output.append(_text(text))
        if not output:
            return None
        return String(join(output, html.escape(delimiter, quote=False), _rules(self)))


def _log(context: Any, tag: str, variable: str) -> None:
    """Record a rendered variable, so a substitution can suppress it afterwards."""
    try:
        layout = context.get_layout()
    except (IndexError, AttributeError):
        return
    for frame in getattr(layout, "bk_logs", None) or []:
        frame.append((tag, variable))


def _layout(context: Any) -> Any:
    try:
        return context.get_layout()
    except (IndexError, AttributeError):
        return None


def _repressed(context: Any, tag: str, variable: str) -> bool:
    try:
        layout = context.get_layout()
    except (IndexError, AttributeError):
        return False
    return variable in (getattr(layout, "repressed", None) or {}).get(tag, [])


class PageRanges:
    """CSL 1.0.2, "Appendix V - Page Range Formats": ``chicago-16`` (the 16th edition rule)
    has no special case for four-digit numbers (``1893–901``); only ``chicago``/``chicago-15``
    keep all digits when three or more of a four-digit number change (``1496–1504``)."""

    def _format_last_page(self, first: str, last: str) -> str:
        range_format = self.get_root().get_option("page-range-format")  # type: ignore[attr-defined]
        prefix = re.match(r"[A-Za-z]+", first)
        if range_format and range_format != "expanded" and prefix and last.startswith(prefix[0]):
            # A letter prefix both pages share is written once: S56-S61 -> S56–61.
            first, last = first[prefix.end() :], last[prefix.end() :]
        if range_format in ("minimal", "minimal-two") and len(first) != len(last):
            # Only digits both numbers share can be dropped: 98-102 and 1-60 stay whole.
            return last
        if range_format != "chicago-16":
            return str(super()._format_last_page(first, last))  # type: ignore[misc]
        prefix = re.match(r"[A-Za-z]*", first)
        head = prefix.group() if prefix else ""
        if head and last.startswith(head):
            first, last = first[len(head) :], last[len(head) :]
        match = re.search(r"\d+", first)
        if not match or not last.isdigit() or len(first) != len(last):
            return last
        number = int(match.group())
        if number < 100 or number % 100 == 0:
            return last
        common = 0
        for a, b in zip(first, last, strict=False):
            if a != b:
                break
            common += 1
        if number % 100 < 10:
            return last[common:]
        return last[min(common, len(first) - 2) :]


def _style_root(element: Any) -> Any:
    root = element.get_root()
    style = getattr(root, "style", None)
    return root if style is None else style


class Layout(Fast, Children, Seams, model.Layout):  # type: ignore[misc]
    def render_entry(self, item: Any) -> tuple[str | None, str | None]:
        """One bibliography entry as (first field, rest) when the bibliography aligns its
        second field (CSL 1.0.2, "Whitespace: second-field-align"), else (None, entry)."""
        self.repressed: dict[str, list[str]] = {}
        self.bk_logs: list[list[tuple[str, str]]] = []
        self.bk_names_seen = False
        self.bk_suffix_done = False
        align = self.getparent().get_option("second-field-align")
        if not align:
            text = self.render_children(item)
            if text is None:
                return None, None
            return None, _text(self.format(self.wrap(text)))
        pieces: list[str] = []
        for child in self.iterchildren():
            try:
                if isinstance(child, model.Choose):
                    text = child.render(item, delimiter="")
                else:
                    text = child.render(item)
            except VariableError:
                continue
            if text is not None and _text(text) != "":
                pieces.append(_text(text))
        if not pieces:
            return None, None
        if len(pieces) == 1:
            return pieces[0], ""  # nothing but the number: no layout suffix after nothing
        rest = join(pieces[1:], "", _rules(self))
        suffix = html.escape(self.get("suffix", ""), quote=False)
        return pieces[0], seam(rest, suffix, _rules(self))


class Macro(Fast, Children, model.Macro):  # type: ignore[misc]
    pass


class Disambiguating:
    """CSL 1.0.2, "Choose": the ``disambiguate="true"`` test holds only for a cite that the
    other disambiguation methods left ambiguous (citeproc-py treats it as always true)."""

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        attributes = self.attrib  # type: ignore[attr-defined]
        undecided = "disambiguate" in attributes and not item.reference.get(DISAMBIGUATE)
        if undecided and attributes.get("match", "all") == "all":
            raise model.ConditionFailed
        return super().render(item, context=context, delimiter=delimiter, **kwargs)  # type: ignore[misc]


_NUMBER = r"[A-Za-z]*\d+[A-Za-z]*"
_NUMERIC = re.compile(rf"^{_NUMBER}(?:\s*(?:[-\u2013,&]|and)\s*{_NUMBER})*$")


class NumericTest:
    """CSL 1.0.2, "Choose: is-numeric": numbers with prefixes or suffixes and lists or ranges
    of them (``211-236``, ``2, 4``, ``S56-S61``) are numeric; ``12 Suppl`` is not."""

    def _is_numeric(self, item: Any) -> list[bool]:
        results = []
        for variable in self.get("is-numeric").split():  # type: ignore[attr-defined]
            try:
                value = _text(item.reference[variable.replace("-", "_")])
            except VariableError:
                results.append(False)
                continue
            results.append(bool(_NUMERIC.match(value.strip())))
        return results


_CHOOSING: list[list[Any]] = []
"""One frame per ``cs:choose`` a group is rendering: the branches that matched, innermost
first, so the group can ask the matched branch (not every branch) whether it calls a variable."""


class Branch:
    """Records that this branch of a ``cs:choose`` matched (see ``Group``)."""

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        text = super().render(item, context=context, delimiter=delimiter, **kwargs)  # type: ignore[misc]
        if _CHOOSING:
            _CHOOSING[-1].append(self)
        return text


class If(Branch, Fast, NumericTest, Disambiguating, Children, model.If):  # type: ignore[misc]
    pass


class Else_If(Branch, Fast, NumericTest, Disambiguating, Children, model.Else_If):  # type: ignore[misc]
    pass


class Else(Branch, Fast, Children, model.Else):  # type: ignore[misc]
    pass


class Group(Fast, Seams, model.Group):  # type: ignore[misc]
    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        """CSL 1.0.2, "Group": a group is suppressed when it calls variables and all of them
        are empty. A ``cs:choose`` calls the variables of the branch that matched only:
        citeproc-py counted every branch's, so APA's thesis printed a lone "(Publication)",
        a term chosen by ``variable="genre"`` beside an empty ``number``."""
        output: list[Any] = []
        called = rendered = False
        delimiter = self.get("delimiter", "")
        for child in self.iterchildren():
            if isinstance(child, model.Choose):
                _CHOOSING.append([])
                try:
                    text = child.render(item, context=context, delimiter=delimiter, **kwargs)
                except VariableError:
                    text = None
                finally:
                    matched = _CHOOSING.pop()
                calls = bool(matched) and matched[-1].calls_variable()
            else:
                calls = child.calls_variable()
                try:
                    text = child.render(item, context=context, **kwargs)
                except VariableError:
                    text = None
            called = called or calls
            if text is not None:
                output.append(text)
                rendered = rendered or calls
        if output and (not called or rendered):
            return self.join(output)
        raise VariableError


class Text(Fast, PageRanges, Seams, Cased, model.Text):  # type: ignore[misc]
    def markup(self, text: Any, language: Any) -> Any:
        """Quotes typed in a title become the locale's quotes, its inner quotes when this
        element quotes the title itself (CSL 1.0.2, "Appendix VI - Rich text" and "Quotes")."""
        if text is not None and QUOTE_OPEN in _text(text):
            inner = self.get("quotes", "false").lower() == "true"
            names = (
                ("open-inner-quote", "close-inner-quote")
                if inner
                else ("open-quote", "close-quote")
            )
            opening, closing = (_text(self.get_single_term(name)) for name in names)
            value = _text(text).replace(QUOTE_OPEN, opening).replace(QUOTE_CLOSE, closing)
            text = String(value)
        return super().markup(text, language)

    def _variable(self, item: Any, context: Any) -> Any:
        variable = self.get("variable")
        text = super()._variable(item, context)
        if text is not None and _text(text) != "" and variable != "citation-number":
            _log(context, self.tag, variable)
            if variable in _NUMBER_VARIABLES and _NUMBER_RANGE.match(_text(text)):
                # A range in a number variable printed as text takes the style's range
                # delimiter (an en dash unless it says otherwise, as AMA does), as citeproc-js
                # gives it: issue "4-5" is "19(4–5)".
                dash = _text(self.get_single_term(name="page-range-delimiter")) or "\u2013"
                text = String(_NUMBER_RANGE.sub(lambda m: m[1] + dash + m[2], _text(text)))
        return text


_NUMBER_VARIABLES = frozenset(
    ("chapter-number", "collection-number", "edition", "issue", "number", "number-of-pages",
     "number-of-volumes", "part-number", "printing-number", "section", "supplement-number",
     "volume")
)  # fmt: skip
"""CSL's number variables but the page and locator, which have range formats of their own."""
_NUMBER_RANGE = re.compile(r"^(\d+)\s*-\s*(\d+)$")


class Number(Fast, PageRanges, Seams, Cased, model.Number):  # type: ignore[misc]
    pass


class Label(Fast, Seams, Cased, model.Label):  # type: ignore[misc]
    def process(
        self,
        item: Any,
        variable: Any = None,
        plural: Any = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Any:
        """CSL 1.0.2, "Label": a label is rendered only when its variable is non-empty (no
        lone "p." for an item without pages)."""
        own = self.get("variable")
        if variable is None and own and own != "locator":
            value = item.reference.get(own.replace("-", "_"))
            if value is None or _text(value) == "":
                return None
            if plural is None and own.startswith("number-of"):
                # citeproc-py looks the count up under the hyphenated name, fails, and drops
                # the label: "412." for a book's "412 p." in Vancouver.
                count = re.match(r"\s*(\d+)", _text(value))
                plural = bool(count and int(count[1]) > 1)
        return super().process(item, variable, plural, context, **kwargs)


class Date(Fast, Seams, model.Date):  # type: ignore[misc]
    def render_single_date(self, date: Any, show_parts: Any = None, context: Any = None) -> Any:
        """A localized date keeps the locale's delimiter (CSL 1.0.2, "Localized Date Formats":
        the calling cs:date may only add affixes, display, formatting and text-case)."""
        if context is not self and context is not None:
            parts = self.parts(date, show_parts, context)
        else:
            parts = self.parts(date, show_parts)
        return self.join(parts) if parts else None

    def render_date_range(
        self, date_range: Any, show_parts: Any = None, context: Any = None
    ) -> Any:
        """CSL 1.0.2, "Date Ranges": parts the two dates share are printed once; the run of
        parts from the largest differing one down is printed for both, joined by that part's
        ``range-delimiter`` (en dash by default): ``2010 Sep–Oct``, ``September 1–October 3,
        2010``."""
        begin, end = date_range.begin, date_range.end
        shown = list(show_parts or ("year", "month", "day"))
        if end.is_nil():
            return self.render_single_date(begin, shown, context)
        units = ("year", "month", "day")
        differing = next(
            (u for u in units if u in shown and dict(begin).get(u) != dict(end).get(u)), None
        )
        if differing is None:
            return self.render_single_date(begin, shown, context)
        varying = set(units[units.index(differing) :])
        order = [p.get("name") for p in self.iterchildren() if p.get("name") in shown]
        pieces: list[str] = []
        index = 0
        while index < len(order):
            if order[index] not in varying:
                pieces.extend(_text(p) for p in self._parts(begin, [order[index]], context))
                index += 1
                continue
            stop = index
            while stop < len(order) and order[stop] in varying:
                stop += 1
            block = order[index:stop]
            first = self._block(begin, block, context, trim_suffix=True)
            last = self._block(end, block, context, trim_suffix=False)
            lead = self._part(block[0])
            opening = html.escape(lead.get("prefix", ""), quote=False) if lead is not None else ""
            if opening and last.startswith(opening):
                last = last[len(opening) :]
            element = self._part(differing)
            dash = element.get("range-delimiter", "\u2013") if element is not None else "\u2013"
            if first and last:
                pieces.append(first + html.escape(dash, quote=False) + last)
            else:
                pieces.append(first or last)
            index = stop
        pieces = [p for p in pieces if p]
        return self.join(pieces) if pieces else None

    def _parts(self, date: Any, names: list[str], context: Any) -> list[Any]:
        if context is not self and context is not None:
            return list(self.parts(date, names, context))
        return list(self.parts(date, names))

    def _part(self, name: str) -> Any:
        for part in self.iterchildren():
            if part.get("name") == name:
                return part
        return None

    def _block(self, date: Any, names: list[str], context: Any, trim_suffix: bool) -> str:
        text = _text(self.join(self._parts(date, names, context)))
        # The suffix to trim is that of the last part printed: a range of months has no day,
        # and the day's ", " left "September " before the dash ("September –October 2010").
        known = dict(date)
        shown = [name for name in names if known.get(name) not in (None, "")] or names
        last = self._part(shown[-1])
        suffix = html.escape(last.get("suffix", ""), quote=False) if last is not None else ""
        if trim_suffix and suffix and text.endswith(suffix):
            text = text[: -len(suffix)]
        return text

    def process(
        self,
        item: Any,
        variable: Any = None,
        show_parts: Any = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Any:
        name = variable or self.get("variable")
        if (
            name
            and not self.is_locale_date()
            and _repressed(context if context is not None else self, self.tag, name)
        ):
            return None
        if name and not self.is_locale_date() and not self._shows_year():
            value = item.reference.get(name.replace("-", "_"))
            if isinstance(value, LiteralDate):
                # A literal date stands for the whole date: a month-and-day date (Chicago's
                # after the journal) printed it a second time. citeproc-js prints it only
                # where the year goes.
                return None
        root = _style_root(self)
        pending = None
        if (
            name == "issued"
            and not self.is_locale_date()
            and getattr(root, "bk_implicit_suffix", None)
        ):
            layout = _layout(context if context is not None else self)
            if layout is not None and not getattr(layout, "bk_suffix_done", None):
                pending = item.reference.get("year_suffix")
                if pending:
                    layout.bk_suffix_done = True
        if pending is None:
            # A localized date renders inside the calling date: leave its suffix pending.
            text = super().process(item, variable, show_parts, context, **kwargs)
        else:
            root.bk_pending_suffix = pending
            try:
                text = super().process(item, variable, show_parts, context, **kwargs)
            finally:
                root.bk_pending_suffix = None
        if text is not None and name and not self.is_locale_date():
            _log(context if context is not None else self, self.tag, name)
        return text

    def _shows_year(self) -> bool:
        if self.get("form") is not None:
            return "year" in self.get("date-parts", "year-month-day").split("-")
        return any(part.get("name") == "year" for part in self.iterchildren())


class Date_Part(Fast, Seams, Cased, model.Date_Part):  # type: ignore[misc]
    def process(self, date: Any, context: Any = None) -> Any:
        if self.get("name") == "month" and "month" not in date and "season" in date:
            # A season has one term form (CSL 1.0.2 "Seasons"): "Spring", whatever the month
            # form asks for.
            term = (context if context is not None else self).get_single_term(
                f"season-{int(date['season']):02d}"
            )
            return term or None
        return self._with_suffix(date, context)

    def _with_suffix(self, date: Any, context: Any = None) -> Any:
        """A style that never prints ``year-suffix`` gets it after the first year of the
        issued date (CSL 1.0.2, "Disambiguation": "If cs:text ... year-suffix is not used, the
        year-suffix is rendered after the first year of cs:date ... issued")."""
        text = super().process(date, context)
        if self.get("name") == "year" and text:
            root = _style_root(self)
            suffix = getattr(root, "bk_pending_suffix", None)
            if suffix:
                root.bk_pending_suffix = None
                return String(str(text) + str(suffix))
        return text


class Names(Fast, Seams, model.Names):  # type: ignore[misc]
    def process(
        self, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any
    ) -> Any:
        ctx = context if context is not None else self
        roles = self.get("variable", "").split()
        kept = [role for role in roles if not _repressed(ctx, self.tag, role)]
        if roles and not kept:
            raise VariableError
        if names_context is None and self.name is None:
            names_context = self._inherited_context()
        layout = _layout(ctx)
        if layout is not None:
            layout.bk_shown_names = []
        try:
            if kept != roles:
                # CSL 1.0.2 "Substitution": a substituted name variable is empty afterwards,
                # also when it is one of several in a cs:names element.
                self.set("variable", " ".join(kept))
            text = super().process(item, names_context=names_context, context=context, **kwargs)
        finally:
            if kept != roles:
                self.set("variable", " ".join(roles))
        rendered = [role for role in kept if role in item.reference]
        for role in rendered:
            _log(ctx, self.tag, role)
        if kwargs.get("sort_options") is None and text is not None and rendered:
            text = self._substitute_repeat(ctx, text)
        return text

    def _inherited_context(self) -> Any:
        """CSL 1.0.2 "Substitution": a shorthand cs:names inside cs:substitute (at any depth,
        e.g. within cs:choose) takes the cs:name, cs:et-al and cs:label of the cs:names that
        holds the substitute."""
        holders = self.xpath_search("./ancestor::cs:substitute[1]/parent::cs:names[1]")
        return holders[0] if holders else None

    def _substitute_repeat(self, context: Any, text: Any) -> Any:
        """CSL 1.0.2, "Reference Grouping": ``subsequent-author-substitute`` replaces the first
        names of an entry when all its rendered names (``et al.`` is not a name) match those
        of the previous entry (rule ``complete-all``)."""
        layout = _layout(context)
        if layout is None:
            return text
        bibliography = layout.getparent()
        if not isinstance(bibliography, model.Bibliography) or layout.bk_names_seen:
            return text
        layout.bk_names_seen = True
        substitute = bibliography.get("subsequent-author-substitute")
        shown = tuple(getattr(layout, "bk_shown_names", None) or ())
        previous = getattr(layout, "bk_previous_names", None)
        layout.bk_previous_names = shown
        if substitute is None or not shown or previous != shown:
            return text
        rule = bibliography.get("subsequent-author-substitute-rule", "complete-all")
        if rule not in ("complete-all", "complete-each"):
            return text
        return String(html.escape(substitute, quote=False))


_INITIAL = re.compile(r"^[A-Z\u00C0-\u024F]\.?$")


class Name(Fast, Seams, model.Name):  # type: ignore[misc]
    def process(
        self, item: Any, variable: Any, context: Any = None, sort_options: Any = None, **kwargs: Any
    ) -> Any:
        options = None if sort_options is None else dict(sort_options)
        if options is not None and self._sort_only(context):
            # CSL 1.0.2 "Name-part Order": with demote-non-dropping-particle="sort-only" the
            # particle is demoted in sort keys ("Berg, Joost van der"), shown in display.
            options["demote-non-dropping-particle"] = "display-and-sort"
        layout = _layout(context if context is not None else self)
        in_bibliography = layout is not None and isinstance(layout.getparent(), model.Bibliography)
        expanded = item.reference.get(EXPANDED_NAMES) if variable == "author" else None
        if options is None and in_bibliography and expanded:
            options = {"et-al-use-first": expanded}
        if sort_options is None and layout is not None:
            self._record_shown(layout, item, variable, context)
        names = item.reference.get(variable, [])
        first = self.get_option("et-al-use-first", context, options)
        if len(names) <= first:
            # CSL 1.0.2 "Name: et-al-min / et-al-use-first": the list is truncated only when
            # names are left out; keeping all of them never adds "et al.".
            options = {**(options or {}), "et-al-min": 0}
        if len(names) > 1 and "literal" in names[-1] and "literal" not in names[-2]:
            # An institution after personal names is joined by the "and" term alone, as
            # Zotero's processor does ("Sadoff, J. & Johnson & Johnson Vaccine Group").
            options = {**(options or {}), "delimiter-precedes-last": "never"}
        self.bk_sorting = sort_options is not None
        if self.get("initialize", "true").lower() == "false":
            return self._whole_given_names(item, variable, context, options, **kwargs)
        return super().process(item, variable, context, options, **kwargs)

    def et_al(self) -> Any:
        """Sort keys leave out the et-al term (CSL 1.0.2, "Sorting": name lists in keys are
        compared by their names), so "Ivanova, Elena, et al." sorts with "Ivanova, Elena"."""
        if getattr(self, "bk_sorting", None):
            return String("")
        return super().et_al()

    def _record_shown(self, layout: Any, item: Any, variable: Any, context: Any) -> None:
        """The names this element will show (for subsequent-author-substitute)."""
        names = list(item.reference.get(variable, []))
        minimum = self.get_option("et-al-min", context, None)
        first = self.get_option("et-al-use-first", context, None)
        expanded = item.reference.get(EXPANDED_NAMES) if variable == "author" else None
        if expanded:
            first = int(expanded)
        if len(names) > 1 and minimum and len(names) >= minimum:
            names = names[:first]
        shown = getattr(layout, "bk_shown_names", None)
        if shown is not None:
            shown.extend(tuple(sorted(dict(n).items())) for n in names)

    def _sort_only(self, context: Any) -> bool:
        value = self.get_option("demote-non-dropping-particle", context, None)
        return str(value).lower() == "sort-only"

    def _whole_given_names(
        self, item: Any, variable: Any, context: Any, sort_options: Any, **kwargs: Any
    ) -> Any:
        """``initialize="false"`` keeps given names whole; only what already is an initial gets
        the ``initialize-with`` mark (CSL 1.0.2, "Name-part Formatting: initialize")."""
        mark = self.get_option("initialize-with", context, sort_options)
        options = dict(sort_options or {})
        options["initialize-with"] = None
        names = item.reference.get(variable, [])
        originals = [dict(name) for name in names]
        try:
            if mark is not None:
                for name in names:
                    if name.get("given"):
                        name["given"] = _mark_initials(str(name["given"]), str(mark))
            return super().process(item, variable, context, options, **kwargs)
        finally:
            for name, original in zip(names, originals, strict=True):
                name.clear()
                name.update(original)


def _mark_initials(given: str, mark: str) -> str:
    words = given.replace(".", ". ").split()
    out = [w.rstrip(".") + mark.rstrip() if _INITIAL.match(w) else w for w in words]
    return " ".join(out)


class Name_Part(Fast, Seams, Cased, model.Name_Part):  # type: ignore[misc]
    def format_part(self, given: Any, family: Any) -> Any:
        if self.get("name") == "given" and given:
            given = self.wrap(self.format(self.case(given)))
        elif self.get("name") == "family" and family:
            family = self.wrap(self.format(self.case(family)))
        return given, family


class Et_Al(Fast, Seams, model.Et_Al):  # type: ignore[misc]
    pass


class Substitute(Fast, model.Substitute):  # type: ignore[misc]
    def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        """The variables a substitution rendered are suppressed in the rest of the entry
        (CSL 1.0.2, "Substitution": "Substituted variables are considered empty for the
        remainder of the output"), not just the element that rendered them."""
        ctx = context if context is not None else self
        try:
            layout = ctx.get_layout()
        except IndexError:
            return super().render(item, context=context, **kwargs)
        for child in self.getchildren():
            frame: list[tuple[str, str]] = []
            logs = getattr(layout, "bk_logs", None) or []
            layout.bk_logs = [*logs, frame]
            try:
                if isinstance(child, model.Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            finally:
                layout.bk_logs = logs
            if text:
                if getattr(layout, "repressed", None) is None:
                    layout.repressed = {}
                for tag, variable in frame:
                    layout.repressed.setdefault(tag, []).append(variable)
                for outer in logs:
                    outer.extend(frame)
                return text
        return None


class Key(Fast, model.Key):  # type: ignore[misc]
    def sort_keys(self, items: Any, context: Any) -> Any:
        """Sort keys compare text, not markup: ``<i>Plasmodium</i>`` sorts under P."""
        keys = super().sort_keys(items, context)
        # A variable key comes escaped once more by citeproc-py (``get_field`` preformats it).
        twice = "variable" in self.attrib
        return [
            plain(html.unescape(str(key)) if twice else str(key)) if isinstance(key, str) else key
            for key in keys
        ]


OVERRIDES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Layout,
        Macro,
        If,
        Else_If,
        Else,
        Group,
        Text,
        Number,
        Label,
        Date,
        Date_Part,
        Names,
        Name,
        Name_Part,
        Et_Al,
        Substitute,
        Key,
    )
}
"""citeproc-py class name -> bibkit's extension of it."""
