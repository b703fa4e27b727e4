"""The committed examples are exactly what the current bibkit writes."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def test_examples_are_up_to_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    generate = runpy.run_path(str(EXAMPLES / "generate.py"))["generate"]
    for path in generate(tmp_path):
        committed = EXAMPLES / path.name
        assert committed.exists(), f"run python examples/generate.py: {path.name} missing"
        assert path.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
            f"examples/{path.name} is stale: run python examples/generate.py"
        )


def test_latex_example_cites_a_key_of_the_bibtex_example() -> None:
    cited = re.findall(r"\\cite\{([^}]+)\}", (EXAMPLES / "paper.tex").read_text())
    bib = (EXAMPLES / "seed.bib").read_text(encoding="utf-8")
    keys = re.findall(r"@\w+\{([^,]+),", bib)
    assert cited and all(key in keys for key in cited)
