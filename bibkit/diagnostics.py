"""Problems found in input or output, kept as data so nothing stops at the first one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, located at ``path:line`` so a user can open the file at the spot.

    ``code`` is a stable machine-readable name (``unknown-format``, ``field-not-carried`` …);
    ``field`` names the citation field concerned, where there is one.
    """

    path: str
    line: int | None
    severity: Severity
    code: str
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class Report(Protocol):
    """Where readers' and writers' diagnostics go (a list's ``append`` fits)."""

    def __call__(self, diagnostic: Diagnostic, /) -> None: ...


@runtime_checkable
class Tally(Report, Protocol):
    """A report that folds a warning repeated record after record into a count (the command
    line's). A writer asks it first, so that a repeat costs a count, not a Diagnostic."""

    def count_repeat(self, code: str, field: str, message: str, /) -> bool:
        """Count one more warning like one already reported; False when it must be reported
        (the first of its kind, or one that is not folded)."""
        ...


class BibkitError(Exception):
    """A problem the user must fix before anything can run (bad option, unknown style …)."""


class UnknownFormatError(BibkitError):
    pass


class SameFileError(BibkitError):
    """An output path is one of the inputs: writing it would destroy the input."""
