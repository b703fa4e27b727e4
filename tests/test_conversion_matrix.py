"""The README's conversion matrix: every reader x every writer, and what each pair loses.

Each cell is measured, not declared: the reader's fixtures in ``tests/data/`` are converted to
the writer's format and the fields the writer reported it could not carry are listed. Every
listed field must also be in that writer's not-carried mapping table, so table and behaviour
agree. Regenerate with ``python -m tests.test_conversion_matrix``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from bibkit import api
from bibkit.mappings import bibtex as bibtex_table
from bibkit.mappings import ris as ris_table
from bibkit.registry import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
README = ROOT / "README.md"
LOSS = "field-not-carried"

FIXTURES: dict[str, list[Path]] = {
    "pubmed-page": [ROOT / "seeds", DATA / "pubmed_page"],
    "medline": [DATA / "medline"],
    "pubmed-xml": [DATA / "pubmed_xml"],
    "bibtex": [DATA / "bibtex"],
    "biblatex": [DATA / "bibtex"],
    "ris": [DATA / "ris"],
    "csljson": [DATA / "csljson"],
}
"""Where each reader's realistic inputs are (files it cannot read are skipped with an error)."""

DECLARED_LOSSES: dict[str, set[str]] = {
    "bibtex": set(bibtex_table.BIBTEX.not_carried),
    "biblatex": set(bibtex_table.BIBLATEX.not_carried),
    "ris": set(ris_table.NOT_CARRIED),
    "csljson": set(),
}

PARTIAL_LOSSES: frozenset[str] = frozenset(
    {"author", "issued", "available_date", "type", "ISSN", "number", "number_of_pages"}
)
"""Fields a writer carries in part (names but not affiliations, ISO dates but not seasons ...):
not in a not-carried table, explained in the README's legend under the matrix."""


def _inputs(reader: str) -> list[Path]:
    suffixes = {"bibtex": ".bib", "biblatex": ".bib", "ris": (".ris", ".txt")}.get(reader)
    files = [
        path
        for folder in FIXTURES[reader]
        for path in sorted(folder.iterdir())
        if path.is_file() and (suffixes is None or path.name.endswith(suffixes))
    ]
    return files


def losses(reader: str, writer: str) -> set[str]:
    citations, _ = api.read(_inputs(reader), from_format=reader, with_related=True)
    diagnostics = api.write(citations, writer, io.StringIO())
    return {d.field for d in diagnostics if d.code == LOSS and d.field}


def matrix() -> dict[tuple[str, str], set[str]]:
    readers = REGISTRY.reader_names()
    writers = REGISTRY.writer_names()
    return {(r, w): losses(r, w) for r in readers for w in writers}


def matrix_table(cells: dict[tuple[str, str], set[str]]) -> str:
    writers = sorted({w for _, w in cells}, key=REGISTRY.writer_names().index)
    readers = sorted({r for r, _ in cells}, key=REGISTRY.reader_names().index)
    rows = [
        "| reader \\ writer | " + " | ".join(f"`{w}`" for w in writers) + " |",
        "|---|" + "---|" * len(writers),
    ]
    for reader in readers:
        row = []
        for writer in writers:
            lost = sorted(cells[(reader, writer)])
            row.append("✓" if not lost else "✓ not carried: " + ", ".join(f"`{f}`" for f in lost))
        rows.append(f"| `{reader}` | " + " | ".join(row) + " |")
    return "\n".join(rows) + "\n"


def test_every_loss_is_in_the_writers_mapping_table() -> None:
    for (reader, writer), lost in matrix().items():
        undeclared = lost - DECLARED_LOSSES[writer] - PARTIAL_LOSSES
        assert not undeclared, f"{reader} -> {writer} loses {undeclared} outside the table"


def test_readme_explains_every_partial_loss() -> None:
    readme = README.read_text(encoding="utf-8")
    legend = readme.split("<!-- /matrix -->", 1)[1].split("<!-- /section: matrix -->", 1)[0]
    assert all(f"`{field}`" in legend for field in PARTIAL_LOSSES)


def test_readme_matrix_is_current() -> None:
    readme = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- matrix -->\n(.*?)<!-- /matrix -->", readme, re.S)
    assert found, "README has no <!-- matrix --> block"
    assert found[1] == matrix_table(matrix()), "run python -m tests.test_conversion_matrix"


def test_every_reader_and_writer_has_fixtures() -> None:
    for reader in REGISTRY.reader_names():
        citations, _ = api.read(_inputs(reader), from_format=reader)
        assert citations, f"no {reader} fixture reads"


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    table = matrix_table(matrix())
    updated = re.sub(
        r"(<!-- matrix -->\n).*?(<!-- /matrix -->)",
        lambda m: m[1] + table + m[2],
        text,
        flags=re.S,
    )
    README.write_text(updated, encoding="utf-8")
    print(table)
