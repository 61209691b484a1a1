"""The errors a user can cause, each with the exit code the README documents.

The CLI prints `gaitcheck: <path>: <problem>` on one line and exits with the code; it never
shows a traceback for these.
"""
from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_NOT_ANALYSED = 1  # the input could not be analysed (not a video, no frames, nobody found)
EXIT_USAGE = 2  # the command was wrong (missing file, a folder where a file belongs, bad option)
EXIT_OUTPUT = 3  # the output could not be written (read-only folder, disk full, path is a folder)
EXIT_FAIL_ON = 5  # analysed, and the verdict reached the level `--fail-on` names (for scripts and CI)
EXIT_INTERRUPTED = 130  # Ctrl-C


class GaitcheckError(Exception):
    """A problem with one file, told in one line."""

    exit_code = EXIT_NOT_ANALYSED

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = None if path is None else str(path)
        self.problem = problem
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.path}: {self.problem}" if self.path else self.problem


class InputError(GaitcheckError):
    """The input file is missing, is a folder, or is not something we can read."""

    exit_code = EXIT_USAGE


class NotAnalysableError(GaitcheckError):
    """The file was read but holds nothing to analyse (no frames, nobody in view)."""

    exit_code = EXIT_NOT_ANALYSED


class OutputError(GaitcheckError):
    """An output file could not be written."""

    exit_code = EXIT_OUTPUT


class FailOnTripped(GaitcheckError):
    """The walk was analysed and its report written, but a rule reached the `--fail-on` level."""

    exit_code = EXIT_FAIL_ON
