"""Style lookup: ids, aliases, renamed ids, journal (dependent) styles, paths, near misses."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibkit.rendering import UnknownStyleError, find_styles, resolve
from bibkit.rendering.styles import PROJECT_STYLES


def test_renamed_style_followed() -> None:
    """The repository renamed "vancouver"; renamed-styles.json says to what."""
    found = resolve("vancouver")
    assert found.info.id == "nlm-citation-sequence"
    assert found.path.name == "nlm-citation-sequence.csl"
    assert "renamed vancouver -> nlm-citation-sequence" in found.via


@pytest.mark.parametrize(
    ("name", "style_id"),
    [
        ("ama", "american-medical-association"),
        ("AMA", "american-medical-association"),
        ("mla", "modern-language-association"),
        ("apa", "apa"),
        ("apa.csl", "apa"),
    ],
)
def test_aliases_and_ids(name: str, style_id: str) -> None:
    assert resolve(name).path.stem == style_id


def test_dependent_style_uses_its_parent() -> None:
    """A journal style only names its parent (independent-parent link)."""
    found = resolve("jama")
    assert found.info.dependent
    assert found.info.parent == "american-medical-association"
    assert found.path.stem == "american-medical-association"


def test_project_style_found_by_id_and_alias() -> None:
    assert resolve("pubmed-summary").path == PROJECT_STYLES / "pubmed-summary.csl"
    assert resolve("pubmed").path == PROJECT_STYLES / "pubmed-summary.csl"


def test_path_to_a_style_file(tmp_path: Path) -> None:
    source = PROJECT_STYLES / "pubmed-summary.csl"
    copy = tmp_path / "mine.csl"
    copy.write_bytes(source.read_bytes())
    found = resolve(str(copy))
    assert found.path == copy
    assert found.info.origin == "file"
    assert found.info.title == "PubMed summary"


def test_unknown_style_names_closest_matches() -> None:
    with pytest.raises(UnknownStyleError) as caught:
        resolve("vancuver")
    assert "vancouver" in caught.value.suggestions
    assert "closest matches" in str(caught.value)


def test_missing_style_file_is_unknown(tmp_path: Path) -> None:
    with pytest.raises(UnknownStyleError) as caught:
        resolve(str(tmp_path / "nope.csl"))
    # The name in quotes is what the user typed; the reason follows it, outside the quotes.
    assert str(caught.value).startswith(f"unknown style '{tmp_path / 'nope.csl'}' (no such style")
    assert caught.value.name == str(tmp_path / "nope.csl")


def test_a_folder_given_as_style_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(UnknownStyleError) as caught:
        resolve(str(tmp_path))
    assert f"'{tmp_path}' (a folder, not a .csl file)" in str(caught.value)


def test_find_styles_by_id_and_title() -> None:
    by_id = [s.id for s in find_styles("nlm-citation-sequence")]
    assert "nlm-citation-sequence" in by_id
    by_title = find_styles("american medical association")
    assert any(s.id == "american-medical-association" for s in by_title)
    assert all(
        all(w in f"{s.id} {s.title}".lower() for w in ("american", "medical", "association"))
        for s in by_title
    )
