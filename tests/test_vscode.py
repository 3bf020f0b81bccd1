"""The VS Code workspace (.vscode/): the task that runs `edition validate` reads its output
into the Problems view through a problem matcher, which must match every line it prints."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT

VSCODE = ROOT / ".vscode"


def task(label: str) -> dict:
    tasks = json.loads((VSCODE / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    (found,) = [task for task in tasks if task["label"] == label]
    return found


def assert_matched(run_cli, path: Path) -> None:
    """Each line `edition validate` prints for `path` is read as its JSON record says."""
    matcher = task("edition: validate")["problemMatcher"]["pattern"]
    expected = json.loads(run_cli("validate", "--format", "json", path).stdout)["diagnostics"]
    lines = run_cli("validate", path).stdout.splitlines()[:-1]  # the last: the summary
    assert expected and len(lines) == len(expected)
    for line, diagnostic in zip(lines, expected, strict=True):
        match = re.match(matcher["regexp"], line)
        assert match, line
        column = match.group(matcher["column"])
        assert (match.group(matcher["file"]), int(match.group(matcher["line"])),
                int(column) if column else None, match.group(matcher["severity"]),
                match.group(matcher["message"])) == (
            diagnostic["file"], diagnostic["line"], diagnostic["column"],
            diagnostic["severity"], diagnostic["message"])


@pytest.mark.parametrize("name", ["p-inside-p.xml", "duplicate-xml-id.xml", "bad-when-date.xml"])
def test_the_validate_tasks_problem_matcher_reads_every_diagnostic(
        run_cli, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(ROOT)
    assert_matched(run_cli, Path("tests/fixtures/bad") / name)


def test_the_problem_matcher_reads_a_diagnostic_without_a_column(
        run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    Path("not-tei.xml").write_text("<notes/>\n", encoding="utf-8")
    assert run_cli("validate", "not-tei.xml").stdout.startswith("not-tei.xml:1: error: ")
    assert_matched(run_cli, Path("not-tei.xml"))


def test_the_workspace_validates_an_xincluding_corpus_and_recommends_its_extensions() -> None:
    settings = json.loads((VSCODE / "settings.json").read_text(encoding="utf-8"))
    assert settings["xml.validation.xInclude.enabled"] is True
    extensions = json.loads((VSCODE / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-xml" in extensions["recommendations"]
    assert task("edition: serve")["args"] == ["serve"]
