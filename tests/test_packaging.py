"""What ``pip install .`` puts in the package: every subpackage and the project's own styles."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setuptools() -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    table: dict[str, Any] = config["tool"]["setuptools"]
    return table


def test_every_subpackage_is_installed() -> None:
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "bibkit").rglob("__init__.py")
    }
    listed = set(_setuptools()["packages"])
    assert on_disk <= listed, f"add to pyproject's packages: {sorted(on_disk - listed)}"


def test_project_styles_are_installed_inside_the_package() -> None:
    setuptools = _setuptools()
    folder = ROOT / setuptools["package-dir"]["bibkit.styles"]
    assert folder == ROOT / "styles"
    patterns = setuptools["package-data"]["bibkit.styles"]
    shipped = {path.name for pattern in patterns for path in folder.glob(pattern)}
    assert shipped == {path.name for path in folder.iterdir() if path.suffix == ".csl"}
    assert "pubmed-summary.csl" in shipped
