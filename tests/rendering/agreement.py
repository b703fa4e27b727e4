"""The agreement harness: the same CSL-JSON through citeproc-js (node) and through bibkit.

Used by ``test_agreement.py`` and by ``benchmarks/bench_format.py``. Run as a script to rewrite
the ratchet file after a fix: ``python -m tests.rendering.agreement --update``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from citeproc import LOCALES_PATH

from bibkit.rendering import engine_for, resolve
from bibkit.rendering.output import format_entries

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = ROOT / "tests" / "node"
RUNNER = NODE_DIR / "citeproc_render.js"
ITEMS = ROOT / "tests" / "data" / "rendering" / "items.json"
RATCHET = ROOT / "tests" / "data" / "rendering" / "agreement-ratchet.json"
STYLES = (
    "vancouver",
    "apa",
    "ama",
    "nature",
    "bmj",
    "ieee",
    "chicago-author-date",
    "harvard-cite-them-right",
    "modern-language-association",
    "elsevier-harvard",
)


def node_missing() -> str | None:
    """Why citeproc-js cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (NODE_DIR / "node_modules" / "citeproc").is_dir():
        return f"citeproc-js is not installed: run `npm ci` in {NODE_DIR}"
    return None


class _Text(HTMLParser):
    """HTML -> visible text; block elements (div, p) are separated by a space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("div", "p", "br"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("div", "p"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The strict comparison form: visible text, whitespace runs made one space."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.parts).split())


def load_items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(ITEMS.read_text(encoding="utf-8"))
    return items


def run_citeproc_js(
    styles: tuple[str, ...], items: list[dict[str, Any]], repeat: int = 1
) -> dict[str, dict[str, Any]]:
    """One node process for all styles: {style: {"entries": {id: html}, "ms": t, "error": e}}."""
    jobs = [
        {
            "name": s,
            "style": str(resolve(s).path),
            "locale": None,
            "items": items,
            "format": "html",
            "repeat": repeat,
        }
        for s in styles
    ]
    request = json.dumps({"localesDir": LOCALES_PATH, "jobs": jobs})
    done = subprocess.run(
        ["node", str(RUNNER)],
        input=request,
        capture_output=True,
        text=True,
        check=True,
        cwd=NODE_DIR,
        timeout=600,
    )
    answer = json.loads(done.stdout)
    out: dict[str, dict[str, Any]] = {}
    for result in answer["results"]:
        out[result["name"]] = {
            "entries": {e["id"]: e["entry"] for e in result["entries"]},
            "ms": result["ms"],
            "error": result["error"],
        }
    return out


def run_bibkit(style: str, items: list[dict[str, Any]]) -> dict[str, str]:
    """{id: entry HTML} as bibkit renders it (the per-entry divs of its HTML output)."""
    entries = engine_for(style).render(items)
    out: dict[str, str] = {}
    for entry in entries:
        out[entry.id] = format_entries([entry], "html")
    return out


def differences(style: str, js: dict[str, str], ours: dict[str, str]) -> list[dict[str, str]]:
    """Every item whose text differs, as ratchet rows."""
    rows = []
    for item_id in sorted(set(js) | set(ours)):
        theirs = html_to_text(js.get(item_id, ""))
        mine = html_to_text(ours.get(item_id, ""))
        if theirs != mine:
            rows.append({"style": style, "item": item_id, "citeproc_js": theirs, "bibkit": mine})
    return rows


def measure(styles: tuple[str, ...] = STYLES) -> tuple[list[dict[str, str]], dict[str, float]]:
    """All differences and the agreement share per style (node runs while bibkit renders)."""
    items = load_items()
    js: dict[str, dict[str, Any]] = {}
    failure: list[BaseException] = []

    def node() -> None:
        try:
            js.update(run_citeproc_js(styles, items))
        except BaseException as error:  # re-raised below, in the caller's thread
            failure.append(error)

    worker = threading.Thread(target=node)
    worker.start()
    ours = {style: run_bibkit(style, items) for style in styles}
    worker.join()
    if failure:
        raise failure[0]
    rows: list[dict[str, str]] = []
    shares: dict[str, float] = {}
    for style in styles:
        if js[style]["error"]:
            raise RuntimeError(f"citeproc-js failed on {style}: {js[style]['error']}")
        found = differences(style, js[style]["entries"], ours[style])
        rows.extend(found)
        shares[style] = 1 - len(found) / max(1, len(items))
    return rows, shares


def main(argv: list[str]) -> int:
    rows, shares = measure()
    for style, share in shares.items():
        print(f"{style:<32} {share:6.1%}")
    if "--update" in argv:
        RATCHET.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {len(rows)} differences to {RATCHET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
