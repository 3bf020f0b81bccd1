"""The edition is faithful to its sources: the diplomatic export reproduces each extraction line
for line, the TEI is valid against the official schema, and the sources are kept byte for byte."""

from __future__ import annotations

import hashlib
import re
import shutil

import pytest

from conftest import ARTICLES, EDITION, ROOT, SOURCES
from tei_edition import tei
from tei_edition.importer import import_extract
from tei_edition.load import load
from tei_edition.text import diplomatic_lines

SHARED_SOURCES = ROOT.parent / "shared" / "sources"


def source_lines(name: str) -> list[str]:
    """Source lines up to leading/trailing white space and runs of spaces."""
    text = (SOURCES / f"{name}.txt").read_text(encoding="utf-8")
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def assert_same_lines(expected: list[str], actual: list[str]) -> None:
    while actual and not actual[-1]:
        actual.pop()
    mismatches = [
        (number, want, got)
        for number, (want, got) in enumerate(zip(expected, actual, strict=False), start=1)
        if want != got
    ]
    assert not mismatches, f"first differing lines: {mismatches[:5]}"
    assert len(actual) == len(expected)


@pytest.mark.parametrize("name", ARTICLES)
def test_diplomatic_export_reproduces_the_source(name: str) -> None:
    tree = load(EDITION / f"{name}.xml")
    assert_same_lines(source_lines(name), diplomatic_lines(tree))


@pytest.mark.parametrize("name", ARTICLES)
def test_diplomatic_export_cli_reproduces_the_source(name: str, run_cli) -> None:
    result = run_cli("text", "--diplomatic", EDITION / f"{name}.xml")
    assert result.status == 0, result.stderr
    assert_same_lines(source_lines(name), result.stdout.split("\n"))


@pytest.mark.parametrize("name", ARTICLES)
def test_line_beginnings_follow_the_source_order(name: str) -> None:
    """Line numbers strictly increase in document order: no line moved, doubled or dropped."""
    tree = load(EDITION / f"{name}.xml")
    numbers = [int(lb.get("n")) for lb in tree.iter(tei("lb"))]
    assert numbers == sorted(set(numbers))
    witness_lines = {n for n, line in enumerate(source_lines(name), start=1) if line}
    assert witness_lines <= set(numbers)


@pytest.mark.parametrize("name", ARTICLES)
def test_importer_draft_round_trips(name: str) -> None:
    draft = import_extract(SOURCES / f"{name}.txt", running_heads=["History"])
    assert_same_lines(source_lines(name), diplomatic_lines(draft))


@pytest.mark.parametrize("name", ARTICLES)
def test_sources_are_byte_copies(name: str) -> None:
    shared = SHARED_SOURCES / f"{name}.txt"
    if not shared.exists():
        pytest.skip("the shared reference folder is not on this machine")
    assert (SOURCES / f"{name}.txt").read_bytes() == shared.read_bytes()


def test_sources_match_their_recorded_checksums() -> None:
    """The witnesses are kept byte for byte: their SHA-256 sums are recorded beside them."""
    recorded = dict(
        reversed(line.split(maxsplit=1))
        for line in (SOURCES / "SHA256SUMS").read_text().splitlines()
    )
    assert set(recorded) == {f"{name}.txt" for name in ARTICLES}
    for filename, digest in recorded.items():
        assert hashlib.sha256((SOURCES / filename).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("name", [*ARTICLES, "edition"])
def test_edition_is_valid_tei_all(name: str, tei_all) -> None:
    tree = load(EDITION / f"{name}.xml")
    valid = tei_all.validate(tree)
    assert valid, [f"{e.line}: {e.message}" for e in tei_all.error_log][:10]


@pytest.mark.parametrize("name", ARTICLES)
def test_curated_encoding_has_the_promised_structure(name: str) -> None:
    tree = load(EDITION / f"{name}.xml")
    header = tree.getroot().find(tei("teiHeader"))
    decl = header.find(f".//{tei('editorialDecl')}")
    for policy in ("correction", "normalization", "hyphenation", "interpretation"):
        assert decl.find(tei(policy)) is not None, policy
    assert header.find(f".//{tei('sourceDesc')}/{tei('biblStruct')}") is not None
    body = tree.getroot().find(f"{tei('text')}/{tei('body')}")
    assert body.find(tei("div")) is not None
    assert len(list(body.iter(tei("quote")))) >= 5
    dates = list(body.iter(tei("date")))
    assert len(dates) >= 15
    iso = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
    for date in dates:  # a day, a month or a year; a season as a range
        values = ([date.get("when")] if date.get("when")
                  else [date.get("notBefore", ""), date.get("notAfter", "")])
        assert all(iso.fullmatch(value) for value in values), (date.sourceline, values)


def test_normalised_export_joins_hyphenated_words(run_cli) -> None:
    result = run_cli("text", "--normalised", EDITION / "nakhchivan-autonomy.xml")
    assert result.status == 0
    assert "Soviet government in Azerbaijan" in result.stdout
    assert "gov-" not in result.stdout
    assert "42, WINTER 2019" not in result.stdout  # page furniture is not reading text
    kars = run_cli("text", EDITION / "treaty-of-kars.xml").stdout
    assert "Azerbaijan and Georgia’s consent" in kars
    assert "An eight-point resolution" in kars  # a hard hyphen stays


def test_text_export_refuses_a_missing_file(run_cli, tmp_path) -> None:
    result = run_cli("text", "--diplomatic", tmp_path / "missing.xml")
    assert result.status == 1
    assert "missing.xml" in result.stderr and "no such file" in result.stderr


def test_copied_sources_survive_a_fresh_checkout(tmp_path) -> None:
    """The edition reads its sources from inside the repository, not from ../shared."""
    copy = tmp_path / "edition"
    shutil.copytree(EDITION, copy)
    tree = load(copy / "treaty-of-kars.xml")
    assert diplomatic_lines(tree)[0].startswith("The Russian-Turkish treaty")


def test_the_reading_text_keeps_the_trailer_and_sets_captions_apart(run_cli) -> None:
    """Nakhchivan 106/120: a caption that interrupts a sentence follows its paragraph instead of
    splitting it; the closing "to be continued" is the text's last line."""
    result = run_cli("text", "--normalised", EDITION / "nakhchivan-autonomy.xml")
    assert result.status == 0, result.stderr
    paragraphs = result.stdout.split("\n\n")
    assert ("The third clause of that agreement said that the Russian Soviet government "
            "unconditionally approves “the territories") in result.stdout
    caption = next(p for p in paragraphs if p.startswith("People’s Commissar of Foreign Affairs"))
    assert caption.endswith("to sign a friendship agreement with the RSFSR")
    assert paragraphs[paragraphs.index("to be continued") - 1].endswith("territorial affiliation.")


def test_a_running_head_that_opens_a_page_has_its_page_break() -> None:
    """Nakhchivan 333: the running head "History" stands at the top of a page of the magazine."""
    tree = load(EDITION / "nakhchivan-autonomy.xml")
    [head] = [fw for fw in tree.iter(tei("fw")) if "".join(fw.itertext()).strip() == "History"]
    assert head.getprevious().tag == tei("pb")
