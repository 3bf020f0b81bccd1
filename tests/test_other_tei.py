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


@pytest.mark.parametrize("output_format", ["html", "epub", "pdf"])
def test_a_link_to_a_missing_anchor_is_one_warning_at_its_ref_in_every_format(
        output_format: str, tmp_path: Path, run_cli) -> None:
    """The input's error, said with the file and line of the <ref>, the same in every format;
    the link is kept as text and the output written (WeasyPrint said "No anchor" without a
    place, as an error, and wrote the PDF anyway)."""
    source = FIXTURES / "missing-anchor.xml"
    output = tmp_path / f"out.{output_format}"
    result = run_cli("build", output_format, source, "-o", output)
    assert result.status == 0, result.stderr
    problems = [line for line in result.stderr.splitlines() if "#nowhere" in line]
    assert problems == [f"{source}:12: warning: link to #nowhere, which the document does not "
                        "hold; kept as text"]
    assert output.exists()


def test_a_pdf_whose_render_reports_an_error_is_not_written(
        tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from tei_edition import html

    monkeypatch.setattr(html, "unlink_missing_anchors", lambda *_: None)
    result = run_cli("build", "pdf", FIXTURES / "missing-anchor.xml", "-o", tmp_path / "out.pdf")
    assert result.status == 1
    assert "error: WeasyPrint: No anchor #nowhere" in result.stderr
    assert "the PDF is not written" in result.stderr
    assert not list(tmp_path.iterdir())
