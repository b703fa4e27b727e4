"""The documented library API (``bibkit.__all__``): what the README's library section uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import bibkit

SEED = Path(__file__).resolve().parent.parent / "seeds"


def test_everything_in_all_is_there() -> None:
    missing = [name for name in bibkit.__all__ if not hasattr(bibkit, name)]
    assert not missing


def test_render_formats_what_read_returns() -> None:
    citations, _ = bibkit.read([SEED])
    text = bibkit.render(citations, "pubmed-summary")
    assert text.startswith("Cell Membrane-Coated Biomimetic Nanoparticles in Cancer Treatment.")
    assert "PMID: 38675192" in text
    html = bibkit.render(citations, "vancouver", output="html")
    assert html.lstrip().startswith("<")


def test_render_stays_a_function_after_the_engine_is_imported() -> None:
    import bibkit.rendering  # binds the subpackage on bibkit: were it named render, it would win

    assert callable(bibkit.render)


def test_importing_bibkit_does_not_load_the_csl_engine() -> None:
    code = "import sys, bibkit; print('citeproc' in sys.modules, 'bibkit.rendering' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
