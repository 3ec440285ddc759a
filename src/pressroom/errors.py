"""The closed set of errors pressroom reports, each with its exit code.

Every message starts with `path:line:` so editors and terminals can jump to it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in one source file."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        name = self.field if self.field.isprintable() else repr(self.field)
        field = f"{name}: " if self.field else ""
        return f"{where}: {field}{self.message}"


class PressroomError(Exception):
    """Base of pressroom's own errors; `exit_code` is what the CLI returns."""

    exit_code = 1


class SourceError(PressroomError):
    """The sources are invalid; carries every problem found, in file and line order."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0))
        super().__init__("\n".join(str(p) for p in self.problems))


class RenderError(PressroomError):
    """An output could not be made (a refused resource, a renderer failure)."""

    exit_code = 3


CHECK_FAILED = 4
"""Exit code of `pressroom check` when an output fails validation."""


class UsageError(PressroomError):
    """The command line is wrong."""

    exit_code = 64
