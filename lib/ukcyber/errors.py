"""The project's one error family, so callers (and the CLI) can tell a user mistake from a bug.

Every error a user can cause — bad data, a bad parameter, an unusable build matrix or output
folder — is a :class:`UkcyberError`; the command line prints its message and exits with 2.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class UkcyberError(Exception):
    """Base of every error caused by the user's input rather than by a bug."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as the check allows."""

    file: str
    row: int | str
    field: str
    found: str
    expected: str

    def __str__(self) -> str:
        """The problem as ``file:row:field — found …, expected …``, one line a reader can act on."""
        return f"{self.file}:{self.row}:{self.field} — found {self.found}, expected {self.expected}"


class DataError(UkcyberError, ValueError):
    """The data package does not validate; lists every problem found."""

    def __init__(self, problems: Iterable[Problem], *, context: str = "data package") -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{context}: {len(self.problems)} problem(s)\n{lines}")


class ParameterError(UkcyberError, ValueError):
    """A notebook or build parameter has the wrong type or a value outside the valid set."""


class BuildError(UkcyberError):
    """The build matrix or the build environment is unusable (nothing was built)."""
