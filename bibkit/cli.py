"""The ``bibkit`` command: a thin layer that parses options, calls the API and sets exit codes.

Exit status: 0 clean, 1 some inputs or records failed (all good ones were still written),
2 usage error.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from bibkit import api
from bibkit.cli_output import (
    WriterDiagnostics,
    explain_record,
    inspect_table,
    print_diagnostics,
    progress_for,
    write_report,
)
from bibkit.diagnostics import BibkitError
from bibkit.io import expand_inputs, is_pipe_or_device, refuse_overwriting_inputs, same_file
from bibkit.model import Citation
from bibkit.registry import REGISTRY, ReadOptions, WriteOptions

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bibkit")
def main() -> None:
    """Convert PubMed records to BibTeX, BibLaTeX, RIS and CSL-JSON, and format reference lists."""


def _fail_usage(message: str) -> None:
    click.echo(f"bibkit: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _check_report_path(report: Path, inputs: Sequence[str], output: Path | None) -> None:
    """``--report`` is a file bibkit writes too: it gets the checks ``-o`` gets, before any
    work is done, so that neither an input nor the converted output is lost to the ledger."""
    # Two streams into one pipe or terminal (-o /dev/stdout --report /dev/stderr) lose nothing.
    if output is not None and not is_pipe_or_device(report) and same_file(report, output):
        _fail_usage(f"{report}: the report would overwrite the output {output}")
    sources, _ = expand_inputs(i for i in inputs if i != "-")
    try:
        refuse_overwriting_inputs(report, sources, what="report")
    except BibkitError as error:
        _fail_usage(str(error))
    if not report.parent.is_dir():
        _fail_usage(f"{report}: cannot write: no such directory {report.parent}")


def _check_format(name: str | None, *, writable: bool) -> str | None:
    """Validated here rather than with click.Choice so the message names what bibkit reads."""
    if name is None:
        return None
    try:
        spec = REGISTRY.writer_for(name) if writable else REGISTRY.reader_for(name)
    except BibkitError as error:
        _fail_usage(str(error))
        raise
    return spec.name


def default_jobs() -> int:
    """All the cores this process may use, when there are more than two. The main process
    merges, writes and unpickles what the workers read, so it keeps a core busy: on two cores
    the workers share the other, and such runs measured no faster for MEDLINE and slower for
    PubMed XML (more CPU for the same work) than reading in the main process."""
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:  # pragma: no cover - macOS, Windows
        cores = os.cpu_count() or 1
    return cores if cores > 2 else 1


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--to",
    "to",
    required=True,
    metavar="FORMAT",
    help="Output format: " + ", ".join(REGISTRY.writer_names()) + ".",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically) instead of standard output.",
)
@click.option(
    "--from",
    "from_format",
    metavar="FORMAT",
    help="Input format, instead of recognising each input by its content.",
)
@click.option(
    "--with-related",
    is_flag=True,
    help="Also write every related work (similar, cited by, comments …) as a record.",
)
@click.option(
    "--ascii",
    "ascii_only",
    is_flag=True,
    help="BibTeX/BibLaTeX: write non-ASCII characters as LaTeX escapes.",
)
@click.option("--strict", is_flag=True, help="Treat a record's warnings as errors that reject it.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes reading input files in parallel (default: all cores, if more than two).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings, only errors.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a JSON ledger of every record, its problems and the fields lost.",
)
@click.option(
    "--explain",
    "explain",
    multiple=True,
    metavar="PMID",
    help="Show on stderr which input each field of this record came from.",
)
def convert(
    inputs: Sequence[str],
    to: str,
    output: Path | None,
    from_format: str | None,
    with_related: bool,
    ascii_only: bool,
    strict: bool,
    jobs: int | None,
    quiet: bool,
    report_path: Path | None,
    explain: Sequence[str],
) -> None:
    """Convert INPUT files, directories or - (stdin) to another format.

    \b
    Examples:
      bibkit convert seeds/ --to bibtex > refs.bib
      bibkit convert export.nbib pubmed.xml.gz --to ris -o refs.ris
    """
    to_name = _check_format(to, writable=True)
    from_name = _check_format(from_format, writable=False)
    assert to_name is not None
    if report_path is not None:
        _check_report_path(report_path, inputs, output)
    ledger: list[Citation] = []
    wanted = set(explain)
    explained: list[Citation] = []
    progress = progress_for(inputs, quiet=quiet)
    written = WriterDiagnostics(keep_all=report_path is not None)

    def on_record(citation: Citation) -> None:
        if report_path is not None:
            written.record = len(ledger)
            ledger.append(citation)
        if citation.PMID in wanted:
            explained.append(citation)
        progress.update(1)

    try:
        result = api.convert(
            inputs,
            to_name,
            output,
            from_format=from_name,
            read_options=ReadOptions(strict=strict),
            write_options=WriteOptions(ascii=ascii_only),
            with_related=with_related,
            jobs=jobs or default_jobs(),
            on_record=on_record,
            report=written,
        )
    except BibkitError as error:
        progress.close()
        _fail_usage(str(error))
        return
    progress.close()
    for citation in explained:
        click.echo(explain_record(citation), err=True)
    for pmid in sorted(wanted - {c.PMID for c in explained if c.PMID}):
        click.echo(f"bibkit: warning: --explain {pmid}: no record with this PMID", err=True)
    result.diagnostics.extend(written.kept)
    print_diagnostics(result.diagnostics, quiet=quiet, counted=written.repeated)
    if report_path is not None:
        try:
            write_report(report_path, ledger, result, to_name, written)
        except OSError as error:
            _fail_usage(f"{report_path}: cannot write: {error.strerror or error}")
    sys.exit(EXIT_FAILED if result.failed else EXIT_OK)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def formats(as_json: bool) -> None:
    """List the formats bibkit reads and writes."""
    shown = [s for s in REGISTRY.formats if s in REGISTRY.readers or s in REGISTRY.writers]
    if as_json:
        rows = [
            {
                "name": spec.name,
                "aliases": list(spec.aliases),
                "extensions": list(spec.extensions),
                "read": spec in REGISTRY.readers,
                "write": spec in REGISTRY.writers,
                "description": spec.description,
            }
            for spec in shown
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{'format':<13} {'read':<5} {'write':<6} description")
    for spec in shown:
        read_mark = "yes" if spec in REGISTRY.readers else "-"
        write_mark = "yes" if spec in REGISTRY.writers else "-"
        aliases = f" (also: {', '.join(spec.aliases)})" if spec.aliases else ""
        click.echo(f"{spec.name:<13} {read_mark:<5} {write_mark:<6} {spec.description}{aliases}")


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--from", "from_format", metavar="FORMAT", help="Input format (default: sniffed).")
@click.option("--with-related", is_flag=True, help="Also check every related work.")
def inspect(inputs: Sequence[str], from_format: str | None, with_related: bool) -> None:
    """Check INPUT files before converting: format, records, problems, what is missing."""
    from_name = _check_format(from_format, writable=False)
    try:
        text, failed = inspect_table(inputs, from_name, with_related)
    except BibkitError as error:
        _fail_usage(str(error))
        return
    click.echo(text, nl=False)
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


def _add_optional_commands() -> None:
    """Commands whose modules are optional parts of an installation (formatting)."""
    if importlib.util.find_spec("bibkit.cli_format") is None:
        return
    from bibkit.cli_format import format_command, styles_command

    main.add_command(format_command, "format")
    main.add_command(styles_command, "styles")


_add_optional_commands()


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI in-process and return its exit status (for tests and embedding)."""
    try:
        main.main(
            args=list(argv) if argv is not None else None, prog_name="bibkit", standalone_mode=True
        )
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_USAGE)
    return EXIT_OK
