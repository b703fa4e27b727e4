"""``bibkit format`` (a reference list in a CSL style) and ``bibkit styles`` (find a style).

Thin: options are checked here, the work is ``bibkit.api.read`` and ``bibkit.rendering``.
Exit status: 0 clean, 1 some inputs or records failed (the rest was still formatted), 2 usage.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from bibkit.diagnostics import BibkitError, Diagnostic
from bibkit.io import atomic_write, refuse_overwriting_inputs, utf8_stdout
from bibkit.io import expand_inputs as _expand

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _usage(message: str) -> None:
    click.echo(f"bibkit: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _print(diagnostics: Sequence[Diagnostic], quiet: bool) -> None:
    for diagnostic in diagnostics:
        if quiet and not diagnostic.is_error:
            continue
        click.echo(str(diagnostic), err=True)


@click.command(name="format")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "-s",
    "--style",
    default="vancouver",
    show_default=True,
    help="Style id, alias (ama, mla ...), journal name, or path to a .csl file.",
)
@click.option(
    "--to",
    "output_format",
    type=click.Choice(["text", "html", "markdown", "rtf"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--locale",
    default=None,
    metavar="LANG",
    help="Locale such as en-US, en-GB, de-DE (default: the style's own).",
)
@click.option(
    "--order",
    type=click.Choice(["style", "input"]),
    default="style",
    show_default=True,
    help="Sort as the style says, or keep input order (numbers follow it).",
)
@click.option(
    "--from",
    "from_format",
    metavar="FORMAT",
    help="Input format, instead of recognising each input by its content.",
)
@click.option(
    "--with-related", is_flag=True, help="Also format every related work (similar, cited by ...)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically) instead of standard output.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr, no warnings.")
def format_command(
    inputs: Sequence[str],
    style: str,
    output_format: str,
    locale: str | None,
    order: str,
    from_format: str | None,
    with_related: bool,
    output: Path | None,
    quiet: bool,
) -> None:
    """Format INPUT files, directories or - (stdin) as a reference list in a CSL style.

    \b
    Examples:
      bibkit format seeds/ --style vancouver
      bibkit format refs.bib --style apa --to html -o refs.html
      bibkit format export.nbib --style nature --to rtf -o refs.rtf
    """
    from bibkit import api, rendering  # imported here: `bibkit --help` stays fast

    try:
        engine = rendering.engine_for(style, locale)
    except rendering.UnknownStyleError as error:
        _usage(str(error))
        return
    except BibkitError as error:
        _usage(str(error))
        return
    if output is not None:
        sources, _ = _expand(i for i in inputs if i != "-")
        try:
            refuse_overwriting_inputs(output, sources)
        except BibkitError as error:
            _usage(str(error))
            return
    try:
        citations, diagnostics = api.read(
            inputs, from_format=from_format, with_related=with_related
        )
    except BibkitError as error:
        _usage(str(error))
        return
    _print(diagnostics, quiet)
    failed = any(d.is_error for d in diagnostics)
    try:
        text = rendering.render(
            citations, engine, output=output_format, order="input" if order == "input" else "style"
        )
    except rendering.StyleError as error:
        click.echo(f"bibkit: error: {error}", err=True)
        sys.exit(EXIT_FAILED)
    if output is None:
        with utf8_stdout() as out:
            out.write(text)
    elif not citations and failed:
        # A mistyped input name must not empty yesterday's reference list.
        state = "left as it was" if output.exists() else "not written"
        if not quiet:
            click.echo(f"{output}: warning: {state}: no input could be read", err=True)
    else:
        try:
            with atomic_write(output) as handle:
                handle.write(text)
        except OSError as error:
            _usage(f"{output}: cannot write: {error.strerror or error}")
    if not citations and not failed:
        click.echo("bibkit: warning: no records to format", err=True)
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


@click.command(name="styles")
@click.argument("query", nargs=-1)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Without QUERY: also list journal (dependent) styles (a search always includes them).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="At most this many styles (0: no limit).",
)
@click.option(
    "--path",
    "show_path",
    is_flag=True,
    help="Print the .csl file QUERY resolves to (for pandoc --csl) instead of searching.",
)
def styles_command(query: Sequence[str], show_all: bool, limit: int, show_path: bool) -> None:
    """List CSL styles, or search them by id and title (all words must match).

    \b
    Examples:
      bibkit styles vancouver
      bibkit styles --all lancet
      bibkit styles --path ama
    """
    from bibkit import rendering

    text = " ".join(query) or None
    if show_path:
        if not text:
            _usage("--path needs a style name")
            return
        try:
            click.echo(str(rendering.resolve(text).path))
        except rendering.UnknownStyleError as error:
            _usage(str(error))
        sys.exit(EXIT_OK)
    found = rendering.find_styles(text)
    if not show_all and not text:
        found = [s for s in found if not s.dependent]
    shown = found if limit == 0 else found[:limit]
    for style in shown:
        parent = f"  (uses {style.parent})" if style.dependent and style.parent else ""
        click.echo(f"{style.id:<50} {style.title}{parent}")
    if len(found) > len(shown):
        click.echo(f"... {len(found) - len(shown)} more (use --limit 0 to list all)", err=True)
    if not found:
        click.echo(f"bibkit: no style matches {text!r}", err=True)
        sys.exit(EXIT_FAILED)
    sys.exit(EXIT_OK)
