"""Finding and running the real programs that read bibkit's output.

Each ``find_*`` returns None when its program is not installed, so a test can skip and name it;
each ``run_*`` returns what the program said, parsed into errors and warnings, so a test can
assert on them and print them when they are not what we want.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
CITATIONJS_SCRIPT = NODE_DIR / "citationjs_roundtrip.js"
INSTALL_HINT = "run .ci/install-clients (as root it installs every client the interop tests use)"
TIMEOUT = 120


@dataclass(frozen=True)
class ClientRun:
    """What one run of a client reported; ``output`` is what it wrote (parsed where JSON)."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    output: Any = None
    transcript: str = ""


def _run(command: list[str], cwd: Path | None = None, stdin: str | None = None) -> str:
    """stdout and stderr of one command; the exit status is judged by each caller."""
    done = subprocess.run(
        command,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    return done.stdout + done.stderr


def _version_line(command: list[str]) -> str:
    return _run(command).strip().splitlines()[0]


# --- bibtex ---------------------------------------------------------------------------------

_BIBTEX_WARNING = re.compile(r"^Warning--(?P<message>.*)$", re.MULTILINE)
_BIBTEX_ERROR_COUNT = re.compile(r"\(There (?:was|were) (?P<n>\d+) error messages?\)")


def find_bibtex() -> str | None:
    """``bibtex`` with its standard styles (plain.bst comes with the TeX distribution)."""
    bibtex, kpsewhich = shutil.which("bibtex"), shutil.which("kpsewhich")
    if bibtex is None or kpsewhich is None or not _run([kpsewhich, "plain.bst"]).strip():
        return None
    return bibtex


def bibtex_version(bibtex: str) -> str:
    return _version_line([bibtex, "--version"])


def run_bibtex(bibtex: str, bib: str, workdir: Path, style: str = "plain") -> ClientRun:
    """Compile ``bib`` through a minimal .aux citing every entry, as a LaTeX run would."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "refs.bib").write_text(bib, encoding="utf-8")
    (workdir / "doc.aux").write_text(
        f"\\relax\n\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n", encoding="utf-8"
    )
    transcript = _run([bibtex, "-terse", "doc"], cwd=workdir)
    blg = (workdir / "doc.blg").read_text(encoding="utf-8", errors="replace")
    warnings = [m["message"].strip() for m in _BIBTEX_WARNING.finditer(blg)]
    errors = _bibtex_errors(blg)
    bbl = workdir / "doc.bbl"
    output = bbl.read_text(encoding="utf-8", errors="replace") if bbl.exists() else None
    return ClientRun(errors, warnings, output, transcript + blg)


def _bibtex_errors(blg: str) -> list[str]:
    """BibTeX ends an error message with ``---line N of file F``, on the same line or the next."""
    lines = blg.splitlines()
    errors: list[str] = []
    for i, line in enumerate(lines):
        if "---line " not in line:
            continue
        before = lines[i - 1].strip() if line.startswith("---") and i > 0 else ""
        errors.append(f"{before} {line.strip()}".strip())
    counted = _BIBTEX_ERROR_COUNT.search(blg)
    if counted and not errors:
        errors.append(counted.group(0))
    return errors


# --- biber ----------------------------------------------------------------------------------

_BIBER_LINE = re.compile(r"^(?P<level>WARN|ERROR) - (?P<message>.*)$", re.MULTILINE)


def find_biber() -> str | None:
    return shutil.which("biber")


def biber_version(biber: str) -> str:
    return _version_line([biber, "--version"])


def run_biber_validate(biber: str, bib: str, workdir: Path) -> ClientRun:
    """``biber --tool --validate-datamodel``: every field and entry type checked against
    biblatex's data model (biber's tool mode carries the default model itself)."""
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / "refs.bib"
    source.write_text(bib, encoding="utf-8")
    transcript = _run(
        [
            biber,
            "--tool",
            "--validate-datamodel",
            "--input-encoding=UTF-8",
            "--output-file",
            str(workdir / "refs_biber.bib"),
            str(source),
        ],
        cwd=workdir,
    )
    found = [(m["level"], m["message"].strip()) for m in _BIBER_LINE.finditer(transcript)]
    errors = [message for level, message in found if level == "ERROR"]
    warnings = [message for level, message in found if level == "WARN"]
    if "Output to" not in transcript and not errors:
        errors.append("biber wrote no output")
    return ClientRun(errors, warnings, None, transcript)


# --- pandoc ---------------------------------------------------------------------------------

PANDOC_INPUT = {"bibtex": "bibtex", "biblatex": "biblatex", "ris": "ris", "csljson": "csljson"}
_PANDOC_WARNING = re.compile(r"^\[WARNING\] (?P<message>.*)$", re.MULTILINE)


def find_pandoc() -> str | None:
    """pandoc 3.x from the pypandoc-binary wheel (Debian's own pandoc is 2.x)."""
    try:
        import pypandoc  # type: ignore[import-untyped]
    except ImportError:
        return None
    try:
        path = str(pypandoc.get_pandoc_path())
    except OSError:
        return None
    return path if pandoc_major(path) >= 3 else None


def pandoc_version(pandoc: str) -> str:
    return _version_line([pandoc, "--version"])


def pandoc_major(pandoc: str) -> int:
    match = re.search(r"pandoc\S* (\d+)\.", pandoc_version(pandoc))
    return int(match.group(1)) if match else 0


def run_pandoc_to_csljson(pandoc: str, text: str, source_format: str) -> ClientRun:
    """pandoc reads ``text`` as a bibliography and writes it back as CSL-JSON."""
    done = subprocess.run(
        [pandoc, "--from", PANDOC_INPUT[source_format], "--to", "csljson"],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    warnings = [m["message"].strip() for m in _PANDOC_WARNING.finditer(done.stderr)]
    errors: list[str] = []
    output: Any = None
    if done.returncode != 0:
        errors.append(done.stderr.strip() or f"pandoc exited with {done.returncode}")
    else:
        output = json.loads(done.stdout)
    return ClientRun(errors, warnings, output, done.stderr)


# --- citation-js ----------------------------------------------------------------------------


def find_citationjs() -> str | None:
    """node, with tests/node's pinned citation-js packages installed (``npm ci``)."""
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "@citation-js" / "core").is_dir():
        return None
    return node


@dataclass(frozen=True)
class CitationJsBatch:
    versions: dict[str, str]
    runs: dict[str, ClientRun]


def run_citationjs(node: str, jobs: dict[str, tuple[str, str]]) -> CitationJsBatch:
    """Read every ``name -> (format, text)`` job with citation-js in one node process."""
    request = {"jobs": [{"name": n, "format": f, "text": t} for n, (f, t) in jobs.items()]}
    done = subprocess.run(
        [node, str(CITATIONJS_SCRIPT)],
        cwd=NODE_DIR,
        input=json.dumps(request),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"citationjs_roundtrip.js failed: {done.stderr}")
    answer = json.loads(done.stdout)
    runs = {
        result["name"]: ClientRun(
            errors=[result["error"]] if result["error"] else [],
            warnings=[f"{e['level']}: {e['scope']} {e['message']}" for e in result["log"]],
            output=result["items"],
        )
        for result in answer["results"]
    }
    return CitationJsBatch(answer["versions"], runs)
