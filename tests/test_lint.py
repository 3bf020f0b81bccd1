"""`edition lint`: clean on the edition; on a copy with one variant un-encoded (or a name the
register does not know) it exits 1 and names the file and the line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import EDITION, ROOT
from tei_edition.lint import lint

FIXTURES = ROOT / "tests" / "fixtures" / "apparatus"
KARS_VARIANT = (
    '<placeName ref="places.xml#nakhchivan-region"><choice><orig>Nakhichevan</orig>'
    '<reg type="variant" resp="edition.xml#edition-team">Nakhchivan</reg></choice></placeName>'
)


def copy_edition(tmp_path: Path) -> Path:
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    return edition


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in a file; return the line where it stood."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_the_edition_is_clean(run_cli) -> None:
    result = run_cli("lint", *sorted(EDITION.glob("*.xml")))
    assert result.status == 0, result.stdout
    assert result.stdout == ""


def test_an_unencoded_variant_is_reported_with_file_and_line(run_cli, tmp_path: Path) -> None:
    edition = copy_edition(tmp_path)
    article = edition / "treaty-of-kars.xml"
    line = edit(article, KARS_VARIANT, "Nakhichevan")
    result = run_cli("lint", *sorted(edition.glob("*.xml")))
    assert result.status == 1
    assert result.stdout.splitlines() == [
        f"{article}:{line}: error: variant “Nakhichevan” outside <choice> (witness line 8); "
        "encode it with <orig>/<reg>, regular form: Nakhchivan (places.xml#nakhchivan-region), "
        "Nakhchivan district (places.xml#nakhchivan-uyezd)"
    ]


def test_a_stray_file_that_is_not_xml_is_said_not_a_stop(run_cli, tmp_path: Path) -> None:
    """A backup half written beside the articles: lint of every article stopped at it (the
    folder's files are read for registers). A warning at the file; the articles linted."""
    edition = copy_edition(tmp_path)
    stray = edition / "treaty-of-kars.backup.xml"
    stray.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader>", encoding="utf-8")
    article = edition / "treaty-of-kars.xml"
    line = edit(article, KARS_VARIANT, "Nakhichevan")
    result = run_cli("lint", article)
    assert result.status == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[1].startswith(f"{article}:{line}: error: variant"), lines
    assert re.fullmatch(rf"{re.escape(str(stray))}:\d+(:\d+)?: warning: not well-formed XML: "
                        ".*: not read as a register", lines[0]), lines


def test_the_corpus_is_linted_through_its_articles(tmp_path: Path) -> None:
    edition = copy_edition(tmp_path)
    line = edit(edition / "treaty-of-kars.xml", KARS_VARIANT, "Nakhichevan")
    found = lint([edition / "edition.xml", edition / "treaty-of-kars.xml"])
    assert [(Path(d.file).name, d.line, d.code) for d in found] == [
        ("treaty-of-kars.xml", line, "lint-variant")
    ]


def test_a_variant_hyphenated_over_a_line_end_is_found(tmp_path: Path) -> None:
    folder = tmp_path / "fixture"
    shutil.copytree(FIXTURES, folder)
    article = folder / "good.xml"
    text = article.read_text(encoding="utf-8")
    encoded = re.search(r'<placeName ref="places.xml#nakhchivan">.*?</placeName>', text, re.S)
    article.write_text(text.replace(encoded.group(0), 'Nakhiche<pc force="weak">-</pc>'
                                    '<lb n="2" break="no"/>van'), encoding="utf-8")
    (found,) = lint([article])
    assert found.code == "lint-variant"
    assert "“Nakhichevan”" in found.message and "witness line 1" in found.message


def test_a_longer_variant_is_reported_once(tmp_path: Path) -> None:
    folder = tmp_path / "fixture"
    shutil.copytree(FIXTURES, folder)
    article = folder / "good.xml"
    edit(article, "spoke", "and B. Shahtakhtinski spoke")
    (found,) = lint([article])
    assert "“B. Shahtakhtinski”" in found.message


@pytest.mark.parametrize(
    ("old", "new", "code", "words"),
    [
        ('<persName ref="persons.xml#legran">B. Legran</persName>',
         '<persName ref="persons.xml#legran">B. Legrand</persName>', "lint-unknown-form",
         "“B. Legrand” is not a regular form of persons.xml#legran"),
        ('<persName ref="persons.xml#legran">B. Legran</persName>',
         "<persName>B. Legran</persName>", "lint-unlinked", "has no @ref"),
        ('<persName ref="persons.xml#legran">B. Legran</persName>',
         '<persName ref="persons.xml#legrand">B. Legran</persName>', "lint-unresolved",
         "names no register entry"),
        ('<persName ref="persons.xml#legran">B. Legran</persName>',
         '<persName ref="places.xml#kars-city">B. Legran</persName>', "lint-kind",
         "points to a place"),
        # today's name is the register's, for reference: the text's form must be one it accepts
        ('<placeName ref="places.xml#tiflis">Tiflis</placeName>',
         '<placeName ref="places.xml#tiflis">Tbilisi</placeName>', "lint-unknown-form",
         "“Tbilisi” is not a regular form of places.xml#tiflis"),
        ('<orig>Orjonikidze</orig>', '<orig>Orjonikidse</orig>', "lint-unknown-variant",
         "witness form “G. Orjonikidse” is not in the register entry"),
    ],
)
def test_names_the_register_does_not_know(tmp_path: Path, old: str, new: str, code: str,
                                          words: str) -> None:
    edition = copy_edition(tmp_path)
    article = edition / "treaty-of-kars.xml"
    line = edit(article, old, new)
    found = [d for d in lint([article]) if d.code == code]
    assert [(d.file, d.line) for d in found] == [(str(article), line)]
    assert words in found[0].message


def test_json_output(run_cli, tmp_path: Path) -> None:
    edition = copy_edition(tmp_path)
    edit(edition / "treaty-of-kars.xml", KARS_VARIANT, "Nakhichevan")
    result = run_cli("lint", "--format", "json", edition / "treaty-of-kars.xml")
    assert result.status == 1
    (record,) = json.loads(result.stdout)
    assert record["code"] == "lint-variant" and record["severity"] == "error"


def test_a_missing_file_is_a_clear_error(run_cli, tmp_path: Path) -> None:
    result = run_cli("lint", tmp_path / "missing.xml")
    assert result.status == 1
    assert "missing.xml" in result.stderr and "no such file" in result.stderr



@pytest.mark.parametrize(
    ("article", "edits", "witness_line", "kind"),
    [
        # Nakhchivan 89-93: the Revkom declaration's clause, closing mark only
        ("nakhchivan-autonomy.xml", [("said. <quote>The", "said. The"),
                                     ("determination”</quote>", "determination”")], 93, "closing"),
        # Nakhchivan 264-266: Shahtakhtinsky's words, opening mark only
        ("nakhchivan-autonomy.xml", [("the latter said that <quote>“", "the latter said that “"),
                                     ("able</quote><note", "able<note")], 264, "opening"),
        # Kars 403-413: a source's sentence, closing mark only
        ("treaty-of-kars.xml", [(". <quote>The discussions at", ". The discussions at"),
                                ("participation.”</quote>", "participation.”")], 413, "closing"),
    ],
)
def test_an_unencoded_unbalanced_quotation_mark_is_reported(
        tmp_path: Path, article: str, edits: list[tuple[str, str]], witness_line: int,
        kind: str) -> None:
    """Undo the encoding of one quotation the witness gives one mark of: lint names the mark."""
    path = copy_edition(tmp_path) / article
    lines = [edit(path, old, new) for old, new in edits]
    found = [d for d in lint([path]) if d.code == "lint-quotation-mark"]
    assert [(Path(d.file), d.line) for d in found] == [(path, lines[-1])]
    assert found[0].message.startswith(
        f"{kind} quotation mark without its partner (witness line {witness_line})")


def test_balanced_quotation_marks_outside_a_quote_are_no_finding(tmp_path: Path) -> None:
    """Scare quotes (Kars 402, the “support” of Russia) are balanced: no finding, encoded or not."""
    path = copy_edition(tmp_path) / "treaty-of-kars.xml"
    edit(path, "<quote>“support”</quote>", "“support”")
    assert [d for d in lint([path]) if d.code == "lint-quotation-mark"] == []
