"""`--format sarif`: the diagnostics of `edition validate` and `edition lint` as a SARIF 2.1.0
log, the form VS Code's SARIF Viewer and GitHub code scanning read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from tei_edition.diagnostics import Diagnostic, Severity
from tei_edition.sarif import to_sarif
from test_lint import KARS_VARIANT


def results(log: dict) -> list[dict]:
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "edition"
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
    return run["results"]


def location(result: dict) -> tuple[str, int, int | None]:
    (place,) = result["locations"]
    physical = place["physicalLocation"]
    region = physical["region"]
    return physical["artifactLocation"]["uri"], region["startLine"], region.get("startColumn")


@pytest.mark.parametrize("name", ["p-inside-p.xml", "misspelt-attribute.xml",
                                  "duplicate-xml-id.xml"])
def test_validate_gives_each_diagnostic_of_the_json_output_as_a_result(
        run_cli, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(ROOT)
    path = Path("tests/fixtures/bad") / name
    expected = json.loads(run_cli("validate", "--format", "json", path).stdout)["diagnostics"]
    result = run_cli("validate", "--format", "sarif", path)
    assert result.status == 1
    found = results(json.loads(result.stdout))
    assert expected, "the fixture should have problems"
    assert [(r["level"], r["ruleId"], r["message"]["text"], location(r)) for r in found] == [
        (d["severity"], d["code"], d["message"], (path.as_posix(), d["line"], d["column"]))
        for d in expected]
    (base,) = json.loads(result.stdout)["runs"][0]["originalUriBaseIds"].values()
    assert base["uri"] == ROOT.as_uri() + "/"


def test_lint_findings_are_sarif_results(run_cli, monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    shutil.copytree(ROOT / "edition", tmp_path / "edition")
    monkeypatch.chdir(tmp_path)
    article = Path("edition/treaty-of-kars.xml")
    text = article.read_text(encoding="utf-8")  # an encoded variant undone: lint reports it
    article.write_text(text.replace(KARS_VARIANT, "Nakhichevan", 1), encoding="utf-8")
    expected = json.loads(run_cli("lint", "--format", "json", article).stdout)
    result = run_cli("lint", "--format", "sarif", article)
    assert result.status == 1
    found = results(json.loads(result.stdout))
    assert expected, "the edit should give lint findings"
    assert [(r["level"], r["ruleId"], r["message"]["text"], location(r)) for r in found] == [
        (d["severity"], d["code"], d["message"], (d["file"], d["line"], d["column"]))
        for d in expected]


def test_levels_and_locations_inside_and_outside_the_source_root(tmp_path: Path) -> None:
    base = tmp_path / "project"
    outside = tmp_path / "other" / "a.xml"
    log = json.loads(to_sarif([
        Diagnostic(Severity.WARNING, "a warning", str(outside), 3),
        Diagnostic(Severity.INFO, "a note, nowhere"),
        Diagnostic(Severity.ERROR, "spaced", str(base / "my folder" / "b c.xml"), 7, 2,
                   "rule-x"),
    ], base=base))
    warning_, note, spaced = results(log)
    assert warning_["level"] == "warning" and warning_["ruleId"] == "edition"
    assert warning_["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": outside.as_uri()}
    assert note["level"] == "note" and "locations" not in note
    assert spaced["ruleId"] == "rule-x"
    assert location(spaced) == ("my%20folder/b%20c.xml", 7, 2)
    assert spaced["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == \
        "%SRCROOT%"
