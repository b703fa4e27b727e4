"""``python -m bibkit`` runs the command-line interface."""

from bibkit.cli import main

main()
