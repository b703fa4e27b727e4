"""``bibkit format`` and ``bibkit styles`` from the command line: output, errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from bibkit.cli import main

DATA = Path(__file__).parent / "data" / "rendering"
SEED = DATA / "pubmed-page-seed.txt"
ITEMS = DATA / "items.json"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_vancouver_for_the_seed() -> None:
    result = run("format", str(SEED), "--from", "pubmed-page", "--style", "vancouver")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "1. Cell Membrane-Coated Biomimetic Nanoparticles in Cancer Treatment. "
        "doi:10.3390/pharmaceutics16040531 PubMed PMID: 38675192; "
        "PubMed Central PMCID: PMC11055162.\n"
    )
    assert "warning: the page states no authors" in result.stderr


def test_apa_with_related_entries() -> None:
    result = run("format", str(SEED), "--from", "pubmed-page", "--style", "apa", "--with-related")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 11
    assert (
        "Biomimetic Cell Membrane-Coated Nanoparticles for Cancer Theranostics. (2024). "
        "ChemMedChem, 19(22), e202400410. https://doi.org/10.1002/cmdc.202400410" in lines
    )


def test_pubmed_summary_style_for_related_entries() -> None:
    result = run(
        "format",
        str(SEED),
        "--from",
        "pubmed-page",
        "--style",
        "pubmed-summary",
        "--with-related",
        "--order",
        "input",
    )
    assert result.exit_code == 0, result.stderr
    assert (
        "Biomimetic Cell Membrane-Coated Nanoparticles for Cancer Theranostics. ChemMedChem. "
        "2024 Nov 18;19(22):e202400410. doi: 10.1002/cmdc.202400410. Epub 2024 Sep 12. "
        "PMID: 39264862." in result.stdout.splitlines()
    )


def test_order_style_sorts_and_order_input_keeps_citation_order(tmp_path: Path) -> None:
    items = json.loads(ITEMS.read_text(encoding="utf-8"))[:3]
    source = tmp_path / "three.json"
    source.write_text(json.dumps(items[::-1]), encoding="utf-8")
    by_style = run("format", str(source), "--from", "csljson", "--style", "apa")
    by_input = run("format", str(source), "--from", "csljson", "--style", "apa", "--order", "input")
    assert by_style.exit_code == 0, by_style.stderr
    assert by_input.exit_code == 0, by_input.stderr
    assert [line.split(",")[0] for line in by_style.stdout.splitlines()] == [
        "Brown",
        "Okafor",
        "Tanaka",
    ]
    assert [line.split(",")[0] for line in by_input.stdout.splitlines()] == [
        "Brown",
        "Tanaka",
        "Okafor",
    ]
    numbered = run("format", str(source), "--from", "csljson", "--style", "ama", "--order", "input")
    assert numbered.stdout.splitlines()[1].startswith("2. Tanaka H.")


def test_unknown_style_is_a_usage_error_with_suggestions() -> None:
    result = run("format", str(SEED), "--style", "vancuver")
    assert result.exit_code == 2
    assert "unknown style 'vancuver'" in result.stderr
    assert "vancouver" in result.stderr.split("closest matches:")[1]
    assert result.stdout == ""


def test_style_citeproc_cannot_process_is_named_without_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csl"
    broken.write_text(
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" class="in-text">'
        "<info><title>Broken</title><id>broken</id></info>"
        "<citation><layout><text variable='title'/></layout></citation>"
        "<bibliography><layout><text macro='missing-macro'/></layout></bibliography></style>",
        encoding="utf-8",
    )
    result = run("format", str(SEED), "--from", "pubmed-page", "--style", str(broken), "-q")
    assert result.exit_code == 1
    assert "style broken" in result.stderr
    assert '<text macro="missing-macro">' in result.stderr
    assert "Traceback" not in result.stderr


def test_output_file_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "refs.rtf"
    result = run("format", str(SEED), "--from", "pubmed-page", "--to", "rtf", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith("{\\rtf1") and "Cell Membrane-Coated" in text
    assert [p.name for p in tmp_path.iterdir()] == ["refs.rtf"]


def test_output_may_not_overwrite_an_input(tmp_path: Path) -> None:
    copy = tmp_path / "page.txt"
    copy.write_bytes(SEED.read_bytes())
    result = run("format", str(copy), "--from", "pubmed-page", "-o", str(copy))
    assert result.exit_code == 2
    assert copy.read_bytes() == SEED.read_bytes()


def test_missing_input_fails_but_others_are_formatted(tmp_path: Path) -> None:
    result = run("format", str(SEED), str(tmp_path / "nope.txt"), "--from", "pubmed-page")
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.txt'}: error:" in result.stderr
    assert "Cell Membrane-Coated" in result.stdout


def test_html_and_markdown_outputs() -> None:
    html = run("format", str(SEED), "--from", "pubmed-page", "--to", "html")
    assert html.stdout.startswith('<div class="csl-bib-body">')
    markdown = run("format", str(SEED), "--from", "pubmed-page", "--to", "markdown")
    assert markdown.stdout.startswith("1. Cell Membrane-Coated")


def test_unknown_locale_is_a_usage_error() -> None:
    result = run("format", str(SEED), "--locale", "xx-XX")
    assert result.exit_code == 2
    assert "unknown locale 'xx-XX'" in result.stderr


def test_styles_search() -> None:
    result = run("styles", "nlm", "citation", "sequence")
    assert result.exit_code == 0
    assert any(line.startswith("nlm-citation-sequence ") for line in result.stdout.splitlines())
    missing = run("styles", "zzqqxx")
    assert missing.exit_code == 1
    assert "no style matches" in missing.stderr


def test_styles_path_for_pandoc() -> None:
    result = run("styles", "--path", "vancouver")
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("nlm-citation-sequence.csl")
    assert Path(result.stdout.strip()).is_file()
    assert run("styles", "--path", "nosuchstyle").exit_code == 2
