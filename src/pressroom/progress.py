"""Progress of long builds: a bar on a terminal, plain lines otherwise, nothing when quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Reports what a build writes. On a terminal, per-release work shows as one bar."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False,
                 tty: bool | None = None, errors: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.errors = errors or sys.stderr
        self.quiet = quiet
        self.tty = self.stream.isatty() if tty is None else tty
        self.label = ""
        self.total = 0
        self.done = 0
        self.started = 0.0

    def start(self, label: str, total: int) -> None:
        """A new batch of `total` releases to render."""
        self.label, self.total, self.done = label, total, 0
        self.started = time.monotonic()

    def advance(self, path: str) -> None:
        """One release rendered (`path`: what was written for it)."""
        self.done += 1
        if self.quiet:
            return
        if not self.tty:
            self.stream.write(f"wrote {path}\n")
        elif self.done == self.total or self.done % max(1, self.total // 100) == 0:
            self._bar()

    def note(self, line: str) -> None:
        """A line about something other than a release (a collection, a removal)."""
        if not self.quiet and not self.tty:
            self.stream.write(line + "\n")

    def warn(self, line: str) -> None:
        """A problem that does not stop the build (a draft left out), shown even when quiet."""
        self.errors.write(line + "\n")

    def finish(self) -> None:
        """End of the batch: the bar gets its newline."""
        if not self.quiet and self.tty and self.total:
            self.stream.write("\n")
        self.stream.flush()

    def _bar(self) -> None:
        width = 30
        filled = width * self.done // self.total
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r{self.label:5} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{self.done}/{self.total} {elapsed:5.1f}s")
        self.stream.flush()
