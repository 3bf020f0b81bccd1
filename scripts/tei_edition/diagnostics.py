"""Typed diagnostics with locations, shared by every stage.

Every problem the pipeline meets (XML syntax, RELAX NG, Schematron, BibTeX, citations, rendering)
becomes one `Diagnostic`, printed the way compilers print them (`file:line:col: severity: message`)
so that editors and IDEs can jump to it. The exit status comes from the worst severity.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    code: str = ""

    def __str__(self) -> str:
        location = ":".join(
            str(part) for part in (self.file, self.line, self.column) if part is not None
        )
        prefix = f"{location}: " if location else ""
        return f"{prefix}{self.severity}: {self.message}"

    def as_json(self) -> dict[str, object]:
        record = asdict(self)
        record["severity"] = str(self.severity)
        return record


class EditionError(Exception):
    """A problem that stops the current command; carries its diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def error(message: str, file: object = None, line: int | None = None,
          column: int | None = None, code: str = "") -> EditionError:
    """Build an EditionError at a location (file may be a Path or str)."""
    return EditionError(Diagnostic(Severity.ERROR, message, _name(file), line, column, code))


def warning(message: str, file: object = None, line: int | None = None,
            column: int | None = None, code: str = "") -> Diagnostic:
    return Diagnostic(Severity.WARNING, message, _name(file), line, column, code)


def _name(file: object) -> str | None:
    return None if file is None else str(file)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity >= Severity.ERROR for d in diagnostics)


def exit_status(diagnostics: Iterable[Diagnostic]) -> int:
    return EXIT_INVALID if has_errors(diagnostics) else EXIT_OK


def without_repeats(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each message once, at its first place, with how often it came: a renderer repeats a
    warning for every glyph a font lacks (thousands of identical lines)."""
    counts: dict[tuple[Severity, str, str], int] = {}
    first: dict[tuple[Severity, str, str], Diagnostic] = {}
    for diagnostic in diagnostics:
        key = (diagnostic.severity, diagnostic.code, diagnostic.message)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, diagnostic)
    return [replace(diagnostic, message=f"{diagnostic.message} ({counts[key]:,} times; the "
                    "first here)") if counts[key] > 1 else diagnostic
            for key, diagnostic in first.items()]


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.as_json() for d in diagnostics], ensure_ascii=False, indent=2)
