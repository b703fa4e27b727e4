"""Regenerate the example outputs from seeds/: ``python examples/generate.py [OUTDIR]``.

tests/test_examples.py runs this into a temporary folder and compares, so the committed
examples always show what the current bibkit writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bibkit import api
from bibkit.registry import WriteOptions

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

OUTPUTS: dict[str, tuple[str, bool]] = {
    "seed.bib": ("bibtex", False),
    "seed-ascii.bib": ("bibtex", False),
    "seed-biblatex.bib": ("biblatex", False),
    "seed.ris": ("ris", False),
    "seed.json": ("csljson", False),
    "seed-with-related.bib": ("bibtex", True),
    "seed-with-related.json": ("csljson", True),
}


def generate(outdir: Path) -> list[Path]:
    """Write every example into ``outdir``; paths are stored relative to the project root."""
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    relative_seeds = SEEDS.relative_to(ROOT)
    for name, (target, with_related) in OUTPUTS.items():
        path = outdir / name
        api.convert(
            [relative_seeds],
            target,
            path,
            with_related=with_related,
            write_options=WriteOptions(ascii=name.endswith("-ascii.bib")),
        )
        written.append(path)
    return written


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    target_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "examples"
    for written_path in generate(target_dir):
        print(written_path)
