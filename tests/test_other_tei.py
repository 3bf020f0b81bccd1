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


def semantic_html(name: str):
    from tei_edition.pipeline import transform

    return transform(FIXTURES / name)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_parallel_segmentation_has_its_lemma_in_the_text_and_readings_with_sigla() -> None:
    """app/lem/rdg with @wit and listWit: "word" in the text, "A ] voice B C" as its entry,
    each siglum described by its witness; an empty reading is an omission."""
    document = semantic_html("apparatus.xml")
    entries = document.html.find_class("app")
    assert [text(entry.find_class("lem")[0]) for entry in entries[:2]] == ["word", "with"]
    assert [text(entry.find_class("app-readings")[0]) for entry in entries] == [
        "A ] voice B C", "A B ] om. C", "A B", "A ] āϑrōi B C"]
    [first_siglum, *_] = entries[0].find_class("siglum")
    assert first_siglum.get("title") == "Codex A, tenth century"
    # Without a lemma, the first reading stands in the text.
    assert text(entries[3].find_class("base")[0]) == "āϑrō"
    paragraph = entries[0].getparent()
    assert text(paragraph).startswith("In the beginning was the wordA ] voice B C,")
    assert not [d for d in document.diagnostics if d.code == "html-unhandled"]


def test_an_apparatus_inside_a_note_reads_lemma_bracket_readings() -> None:
    """Perseus' notes: <note><app><lem>x</lem></app> y M</note> read "x ] y M" (it read "x y M",
    "loco modo")."""
    document = semantic_html("verse.xml")
    [note] = document.html.find_class("footnote-text")
    assert text(note) == "Laviniaque ] Lavinaque M"


def test_verse_is_set_line_by_line_with_line_numbers() -> None:
    document = semantic_html("verse.xml")
    lines = document.html.find_class("l")
    assert [line.tag for line in lines] == ["div"] * 7
    assert [line.get("data-n") for line in lines] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [text(number) for number in document.html.find_class("line-number")] == ["5"]
    assert text(lines[4]) == "5multa quoque et bello passus, dum conderet urbem"


def test_standoff_and_back_registers_and_bibliographies_are_lists() -> None:
    """A standOff with listBibl (bibl, biblStruct) and listPerson, a back with a listBibl: each
    entry a list item (the standOff rendered as nothing; biblStruct was dropped silently)."""
    document = semantic_html("registers.xml")
    items = {item.get("id"): text(item) for item in document.html.iter("li") if item.get("id")}
    assert items["smith1901"] == "Smith, John. A History of Letters. London, 1901."
    assert items["roe1930"] == "Roe, Richard, A Structured Book, Berlin, 1930."
    assert items["jsmith"] == "John Smith; A historian of letters."
    assert items["jdoe"] == "Jane Doe"
    assert "Brown, Paul. A Third Book. Rome, 1950." in [text(li) for li in
                                                       document.html.find_class("bibl")]
    [link] = [a for a in document.html.iter("a") if text(a) == "Smith"]
    assert link.get("href") == "#jsmith"
    assert not [d for d in document.diagnostics if d.severity.name != "INFO"], \
        document.diagnostics


def test_an_epub_leaves_out_the_metadata_the_header_lacks() -> None:
    """EPUBCheck refuses an empty dc:description, dc:rights or dc:date."""
    from tei_edition.writers.epub import for_pandoc, package_metadata

    document = semantic_html("verse.xml")
    fields = package_metadata(document.metadata)
    assert not [name for name, value in fields.items() if not value]
    assert {"date", "rights", "publisher", "identifier"}.isdisjoint(fields)
    head = for_pandoc(document).find("head")
    assert not [meta for meta in head.iter("meta") if meta.get("content", "x").strip() == ""]
