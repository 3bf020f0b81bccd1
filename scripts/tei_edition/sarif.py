"""Diagnostics as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format).

SARIF is what editors' and forges' tools read: VS Code's SARIF Viewer lists the problems and
jumps to them, GitHub code scanning annotates them on a pull request. Each `Diagnostic` becomes
one result; a file inside the working folder is named relative to it (uriBaseId %SRCROOT%, the
working folder, given as an absolute URI), so that the log reads the same on every checkout.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from . import __doc__ as PACKAGE_DOC
from .diagnostics import Diagnostic, Severity

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
UNCODED = "edition"  # the rule id of a diagnostic that has no code of its own


def to_sarif(diagnostics: Iterable[Diagnostic], tool: str = "edition",
             base: Path | None = None) -> str:
    """One SARIF run of the `edition` tool with every diagnostic as a result."""
    base = Path(os.path.abspath(base or Path.cwd()))
    diagnostics = list(diagnostics)
    rule_ids = sorted({diagnostic.code or UNCODED for diagnostic in diagnostics})
    run = {
        "tool": {"driver": {
            "name": tool,
            "fullName": PACKAGE_DOC.strip().splitlines()[0],
            "rules": [{"id": rule_id} for rule_id in rule_ids],
        }},
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": base.as_uri() + "/"}},
        "results": [_result(diagnostic, rule_ids, base) for diagnostic in diagnostics],
    }
    log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2)


def _result(diagnostic: Diagnostic, rule_ids: list[str], base: Path) -> dict[str, object]:
    rule_id = diagnostic.code or UNCODED
    result: dict[str, object] = {
        "ruleId": rule_id,
        "ruleIndex": rule_ids.index(rule_id),
        "level": LEVELS[diagnostic.severity],
        "message": {"text": diagnostic.message},
    }
    if diagnostic.file is not None:
        physical: dict[str, object] = {"artifactLocation": _artifact(diagnostic.file, base)}
        if diagnostic.line:
            region = {"startLine": diagnostic.line}
            if diagnostic.column:
                region["startColumn"] = diagnostic.column
            physical["region"] = region
        result["locations"] = [{"physicalLocation": physical}]
    return result


def _artifact(file: str, base: Path) -> dict[str, str]:
    """A file relative to the source root when it is inside it, else its absolute URI."""
    path = Path(os.path.abspath(file))
    if path.is_relative_to(base):
        return {"uri": quote(path.relative_to(base).as_posix()), "uriBaseId": SOURCE_ROOT}
    return {"uri": path.as_uri()}
