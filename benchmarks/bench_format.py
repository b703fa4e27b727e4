"""Benchmark: a 1,000-item reference list in APA and in Vancouver, bibkit against citeproc-js.

    python benchmarks/bench_format.py [--items 1000] [--repeat 3] [--styles apa vancouver]

The items are the agreement fixtures (tests/data/rendering/items.json) varied per copy: id, title
word, author family names and year change, so disambiguation and sorting have real work to do.
Both engines get the same CSL-JSON, the same style file and the same locale files. Each timing
covers what a user waits for: loading the style, registering the items, sorting, and rendering
every entry (HTML). citeproc-js runs in one node process (tests/node/citeproc_render.js) that
times itself, so node's start-up is not counted against it. The figure is the mean of
``--repeat`` runs; the ratio is bibkit's time over citeproc-js's.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bibkit.rendering import engine_for  # noqa: E402
from tests.rendering.agreement import load_items, node_missing, run_citeproc_js  # noqa: E402

SURNAMES = ("Abe", "Bauer", "Costa", "Diaz", "Eze", "Fox", "Gupta", "Haas", "Ito", "Jung")
WORDS = ("cohort", "trial", "registry", "review", "survey", "audit", "model", "atlas")


def make_items(count: int) -> list[dict[str, Any]]:
    """``count`` items varied from the fixture set."""
    base = load_items()
    out: list[dict[str, Any]] = []
    for n in range(count):
        item = copy.deepcopy(base[n % len(base)])
        round_ = n // len(base)
        item["id"] = f"{item['id']}-{n}"
        if round_:
            item["title"] = f"{item.get('title', 'Untitled')} {WORDS[round_ % len(WORDS)]} {n}"
            for person in item.get("author", []):
                if "family" in person:
                    person["family"] = f"{person['family']}-{SURNAMES[round_ % len(SURNAMES)]}"
            issued = item.get("issued", {}).get("date-parts")
            if issued:
                issued[0][0] = 1990 + (n % 35)
        out.append(item)
    return out


def time_bibkit(style: str, items: list[dict[str, Any]], repeat: int) -> tuple[float, int]:
    """Mean milliseconds per full run, and how many entries came out."""
    entries = 0
    start = time.perf_counter()
    for _ in range(repeat):
        entries = len(engine_for(style).render(items))
    return (time.perf_counter() - start) * 1000 / repeat, entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--styles", nargs="+", default=["apa", "vancouver"])
    args = parser.parse_args(argv)
    items = make_items(args.items)
    reason = node_missing()
    js: dict[str, dict[str, Any]] = {}
    if reason:
        print(f"citeproc-js skipped: {reason}", file=sys.stderr)
    else:
        js = run_citeproc_js(tuple(args.styles), items, repeat=args.repeat)
    rows = []
    print(f"{args.items} items, mean of {args.repeat} runs")
    print(f"{'style':<12} {'bibkit ms':>10} {'citeproc-js ms':>15} {'ratio':>7}")
    for style in args.styles:
        ours, count = time_bibkit(style, items, args.repeat)
        theirs = js.get(style, {}).get("ms")
        ratio = ours / theirs if theirs else None
        rows.append({"style": style, "items": count, "bibkit_ms": round(ours, 1),
                     "citeproc_js_ms": round(theirs, 1) if theirs else None,
                     "ratio": round(ratio, 2) if ratio else None})  # fmt: skip
        shown = f"{theirs:15.0f}" if theirs else f"{'-':>15}"
        ratio_text = f"{ratio:6.1f}x" if ratio else f"{'-':>7}"
        print(f"{style:<12} {ours:10.0f} {shown} {ratio_text}")
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
