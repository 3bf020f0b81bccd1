"""Other people's TEI (fixtures in fixtures/other-tei, made with the features of real files):
never a traceback, never silent loss, the critical apparatus and verse rendered."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "other-tei"


def test_pretty_printed_notes_and_line_beginnings_make_a_pdf(tmp_path: Path, run_cli) -> None:
    """A note holding a space before a newline, an <lb/> followed by a newline: WeasyPrint 70
    kept the line end in the footnote float and stopped on an AssertionError."""
    result = run_cli("build", "pdf", FIXTURES / "pretty-printed-notes.xml",
                     "-o", tmp_path / "out.pdf")
    assert result.status == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")


def test_a_writer_that_fails_says_so_in_one_line_and_writes_nothing(
        tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last resort: an unexpected exception inside a writer is one line naming the file,
    exit 1, no output."""
    from tei_edition import pipeline

    def broken_writer(*_: object) -> None:
        raise AssertionError("Got ' \\n' between two lines.\nsecond line")

    monkeypatch.setattr(pipeline, "writers", lambda: {"pdf": broken_writer})
    source = FIXTURES / "pretty-printed-notes.xml"
    result = run_cli("build", "pdf", source, "-o", tmp_path / "out.pdf")
    assert result.status == 1
    [line] = [line for line in result.stderr.splitlines() if "error" in line]
    assert str(source) in line and "AssertionError" in line and "second line" not in line
    assert not list(tmp_path.iterdir())
